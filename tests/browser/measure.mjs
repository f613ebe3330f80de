// What a browser downloads for the first search, on whatever site run.sh serves:
//
//   bash tests/browser/run.sh tests/browser/measure.mjs        the sample site
//   TORGET_BROWSER_ROOT=/tmp/corpus TORGET_BROWSER_RELEASE=1 bash tests/browser/run.sh tests/browser/measure.mjs
//
// For each language and query, in a fresh browser (nothing cached): opens the language's home
// page, waits until it is idle, then types the query into the header's search field and submits
// it, and counts every response, the web worker's included, until the first results are shown.
// Bytes are counted as served here (pagefind's index files are gzipped already; its JS and JSON
// are not) and as a host that gzips text sends them. The search page's own stylesheet and
// scripts that the home page fetched already are counted again only when their names carry no
// fingerprint (a host caches fingerprinted files; this server sends `no-store`). A measurement,
// not a test: it prints a table and fails only if search finds nothing.
//
// The queries: a common word and a rare one per language (QUERY_NB, QUERY_EN,
// QUERY_NB_RARE, QUERY_EN_RARE override them; the defaults suit the sample site and the
// 10,000-item corpus of `examples/corpus`).
import { gzipSync } from 'node:zlib';
import { SITE_URL as SITE, launch, newContext } from './harness.mjs';

const QUERIES = [
  ['/', 'common', process.env.QUERY_NB || 'kommune'],
  ['/', 'rare', process.env.QUERY_NB_RARE || 'gloshaugen'],
  ['/en/', 'common', process.env.QUERY_EN || 'municipality'],
  ['/en/', 'rare', process.env.QUERY_EN_RARE || 'gloshaugen'],
];

// Text a static host compresses on the fly; pagefind's own files arrive gzipped already.
const TEXT = /\.(js|mjs|json|html|css|svg|txt|xml)$|\/$/;
// `style.3f2a9c1b.css`: a name that changes with the content, so a host lets browsers keep it.
const FINGERPRINTED = /\.[0-9a-f]{8,}\.[a-z0-9]+$/;

const kind = (p) => {
  if (p.endsWith('.pf_fragment')) return 'fragments';
  if (p.endsWith('.pf_index')) return 'index chunks';
  if (p.endsWith('.pf_filter')) return 'filter chunks';
  if (p.endsWith('.pf_meta')) return 'language metadata';
  if (p.endsWith('.pf_pages')) return 'page lists';
  if (p.endsWith('.pf_words')) return 'word counts';
  if (p.includes('/wasm.')) return 'wasm (stemmer)';
  if (p.endsWith('pagefind-entry.json')) return 'entry';
  if (p.endsWith('pagefind.js')) return 'pagefind.js';
  if (p.endsWith('pagefind-worker.js')) return 'pagefind-worker.js';
  if (p.endsWith('.js')) return 'page scripts';
  if (p.endsWith('.css')) return 'page styles';
  return 'search page';
};

// Until nothing has arrived for a while (Playwright's `networkidle` waits forever on a loaded
// machine here, though every request has finished).
const QUIET = 1000;
let last = 0;
async function quiet() {
  while (Date.now() - last < QUIET) await new Promise((r) => setTimeout(r, 100));
}

const browser = await launch();
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const totals = [];
for (const [home, which, query] of QUERIES) {
  const context = await newContext(browser);
  const page = await context.newPage();
  const seen = new Set();
  let counting = false;
  const files = [];
  last = Date.now();
  // On the context, not the page: the web worker's requests are reported there too.
  context.on('response', async (res) => {
    const url = new URL(res.url());
    last = Date.now();
    if (!counting) {
      seen.add(url.pathname);
      return;
    }
    if (seen.has(url.pathname) && FINGERPRINTED.test(url.pathname)) return;
    try {
      const body = await res.body();
      const gzipped = TEXT.test(url.pathname) ? gzipSync(body).length : body.length;
      files.push({ path: url.pathname, bytes: body.length, gzipped });
    } catch { /* a redirect has no body */ }
  });
  await page.goto(SITE + home, { waitUntil: 'load' });
  await quiet();
  counting = true;
  const started = Date.now();
  await page.fill('#site-search-q', query);
  await page.press('#site-search-q', 'Enter');
  await page.waitForURL(/\?q=/);
  await page.waitForFunction(() => {
    const list = document.querySelector('[data-search-results]');
    const status = document.querySelector('[data-search-status]');
    return list && status && status.textContent && !list.hasAttribute('aria-busy');
  });
  await quiet();
  const ms = Date.now() - started - QUIET;
  const status = await page.textContent('[data-search-status]');
  const shown = await page.$$eval('.result', (r) => r.length);
  const groups = new Map();
  for (const f of files) {
    const g = groups.get(kind(f.path)) || { n: 0, bytes: 0, gzipped: 0 };
    g.n += 1; g.bytes += f.bytes; g.gzipped += f.gzipped;
    groups.set(kind(f.path), g);
  }
  console.log(`\n${home} → ${which} word \`${query}\`: ${status.trim()}, ${shown} shown, ${ms} ms`);
  for (const [name, g] of groups) {
    console.log(`  ${name.padEnd(18)} ${String(g.n).padStart(3)} files ${kb(g.bytes).padStart(10)}  (${kb(g.gzipped)} gzipped)`);
  }
  const total = files.reduce((a, f) => a + f.bytes, 0);
  const gz = files.reduce((a, f) => a + f.gzipped, 0);
  console.log(`  ${'total'.padEnd(18)} ${String(files.length).padStart(3)} files ${kb(total).padStart(10)}  (${kb(gz)} gzipped)`);
  totals.push(`${home.padEnd(5)} ${which.padEnd(7)} ${query.padEnd(14)} ${kb(gz).padStart(9)} gzipped`);
  if (!shown) throw new Error(`no results for ${query}`);
  await context.close();
}
console.log(`\n${totals.join('\n')}`);
await browser.close();
