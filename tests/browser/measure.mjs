// What a browser downloads for the first search, on whatever site run.sh serves:
//
//   bash tests/browser/run.sh tests/browser/measure.mjs        the sample site
//   TORGET_BROWSER_ROOT=/tmp/corpus TORGET_BROWSER_RELEASE=1 bash tests/browser/run.sh tests/browser/measure.mjs
//
// Opens each language's search page, waits until it is idle, types a common word and counts
// every response until the first results are shown: bytes as served here (pagefind's index
// files are gzipped already; its JS and JSON are not) and as a host that gzips text would send
// them. A measurement, not a test: it prints a table and fails only if search fails.
import { gzipSync } from 'node:zlib';
import { SITE_URL as SITE, launch, newContext } from './harness.mjs';

const QUERIES = [
  ['/sok/', process.env.QUERY_NB || 'kommune'],
  ['/en/search/', process.env.QUERY_EN || 'municipality'],
];

const browser = await launch();
const context = await newContext(browser);
for (const [path, query] of QUERIES) {
  const page = await context.newPage();
  await page.goto(SITE + path);
  await page.waitForLoadState('networkidle');
  const files = [];
  page.on('response', async (res) => {
    const url = new URL(res.url());
    try {
      const body = await res.body();
      const gzipped = /\.(js|json)$/.test(url.pathname) ? gzipSync(body).length : body.length;
      files.push({ path: url.pathname, bytes: body.length, gzipped });
    } catch { /* a redirect has no body */ }
  });
  const started = Date.now();
  await page.fill('#search-q', query);
  await page.press('#search-q', 'Enter');
  await page.waitForFunction(() => {
    const list = document.querySelector('[data-search-results]');
    return document.querySelector('[data-search-status]').textContent && !list.hasAttribute('aria-busy');
  });
  await page.waitForLoadState('networkidle');
  const ms = Date.now() - started;
  const status = await page.textContent('[data-search-status]');
  const shown = await page.$$eval('.result', (r) => r.length);
  const kind = (p) => {
    if (p.endsWith('.pf_fragment')) return 'fragments';
    if (p.endsWith('.pf_index')) return 'index chunks';
    if (p.endsWith('.pf_filter')) return 'filter chunks';
    if (p.endsWith('.pf_meta')) return 'language metadata';
    if (p.includes('/wasm.')) return 'wasm (stemmer)';
    if (p.endsWith('pagefind-entry.json')) return 'entry';
    if (p.endsWith('pagefind.js') || p.endsWith('pagefind-worker.js')) return 'runtime JS';
    return p;
  };
  const groups = new Map();
  for (const f of files) {
    const g = groups.get(kind(f.path)) || { n: 0, bytes: 0, gzipped: 0 };
    g.n += 1; g.bytes += f.bytes; g.gzipped += f.gzipped;
    groups.set(kind(f.path), g);
  }
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`\n${path}?q=${query}: ${status.trim()}, ${shown} shown, ${ms} ms`);
  for (const [name, g] of groups) {
    console.log(`  ${name.padEnd(18)} ${String(g.n).padStart(3)} files ${kb(g.bytes).padStart(10)}  (${kb(g.gzipped)} gzipped)`);
  }
  const total = files.reduce((a, f) => a + f.bytes, 0);
  const gz = files.reduce((a, f) => a + f.gzipped, 0);
  console.log(`  ${'total'.padEnd(18)} ${String(files.length).padStart(3)} files ${kb(total).padStart(10)}  (${kb(gz)} gzipped)`);
  if (!shown) throw new Error(`no results for ${query}`);
  await page.close();
}
await browser.close();
