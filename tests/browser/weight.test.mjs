// Page weight: every byte a page needs (HTML, CSS, JS, fonts, images, and what its script fetches),
// per page type and language, loaded in a fresh browser with an empty cache. Prints a table (run.sh
// shows it after the tests); the home page must stay under 100 KB.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import zlib from 'node:zlib';
import { launch, newContext, visit, assertOnlyOwnOrigin, writeReport, TIMEOUT } from './harness.mjs';
import { everyPage } from './pages.mjs';

const HOME_BUDGET = 100 * 1024;
const KINDS = { document: 'html', stylesheet: 'css', script: 'js', font: 'font', image: 'img' };
const COLUMNS = ['html', 'css', 'js', 'font', 'img', 'other'];

let browser;
const rows = [];
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
  const table = formatTable(rows);
  writeReport('weights.txt', table);
});

async function weigh(path, status, ready) {
  const context = await newContext(browser);
  const page = await context.newPage();
  const bodies = [];
  page.on('response', (response) => {
    const kind = KINDS[response.request().resourceType()] ?? 'other';
    // Redirects have no body of their own; the page they lead to is counted when it comes.
    if (response.status() >= 300 && response.status() < 400) return;
    bodies.push(
      response.body().then(
        (body) => ({ kind, bytes: body.length, gzip: zlib.gzipSync(body, { level: 6 }).length, url: response.url() }),
        () => ({ kind, bytes: 0, gzip: 0, url: response.url() }),
      ),
    );
  });
  try {
    await visit(page, path, { status, ready });
    await page.waitForLoadState('networkidle', { timeout: TIMEOUT });
    const weights = await Promise.all(bodies);
    assertOnlyOwnOrigin(assert, context);
    const row = Object.fromEntries(COLUMNS.map((c) => [c, 0]));
    row.requests = weights.length;
    row.total = 0;
    row.gzip = 0;
    for (const w of weights) {
      row[w.kind] += w.bytes;
      row.total += w.bytes;
      row.gzip += w.gzip;
    }
    return row;
  } finally {
    await context.close();
  }
}

for (const { type, lang, path, status, ready } of everyPage()) {
  test(`weight: ${type} (${lang})`, async () => {
    const row = await weigh(path, status, ready);
    rows.push({ name: `${type} (${lang})`, ...row });
    assert.ok(row.html > 0, 'the page itself was counted');
    if (type === 'home') {
      assert.ok(row.total < HOME_BUDGET, `the ${lang} home page weighs ${kb(row.total)}, over its budget of ${kb(HOME_BUDGET)}`);
    }
  });
}

function kb(bytes) {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

function formatTable(rows) {
  const header = ['page', 'requests', ...COLUMNS, 'total', 'gzipped'];
  const lines = rows.map((r) => [r.name, String(r.requests), ...COLUMNS.map((c) => kb(r[c])), kb(r.total), kb(r.gzip)]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [
    'Page weight: every byte of a first visit (empty cache), uncompressed; "gzipped" is what a host that',
    `compresses would send. Budget for the home page: ${kb(HOME_BUDGET)}.`,
    '',
    fmt(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...lines.map(fmt),
    '',
  ].join('\n');
}
