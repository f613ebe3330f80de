// The search page in a real browser, on the built sample site: stemmed, filtered, folded
// (no æøå) and compound-part queries in both languages, a query without hits, keyboard use,
// the page without JavaScript, and that pagefind loads only when someone searches.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { SITE_URL as SITE, launch, newContext, assertOnlyOwnOrigin } from './harness.mjs';

let browser;
let context;
before(async () => {
  browser = await launch();
  context = await newContext(browser);
});
after(async () => {
  assertOnlyOwnOrigin(assert, context);
  await browser?.close();
});

/** Opens `path`, records every request, and returns the page and the requested paths. */
async function open(path) {
  const page = await context.newPage();
  const requested = [];
  page.on('request', (r) => requested.push(new URL(r.url()).pathname));
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(SITE + path);
  return { page, requested, errors };
}

/** Waits until the results are in and returns what the page says and shows. */
async function results(page) {
  await page.waitForFunction(() => {
    const list = document.querySelector('[data-search-results]');
    const status = document.querySelector('[data-search-status]');
    return status.textContent.trim() !== '' && !list.hasAttribute('aria-busy');
  });
  return page.evaluate(() => ({
    status: document.querySelector('[data-search-status]').textContent.trim(),
    urls: [...document.querySelectorAll('.result-title a')].map((a) => new URL(a.href).pathname),
    types: [...document.querySelectorAll('.result-type')].map((e) => e.textContent),
    marks: [...document.querySelectorAll('.result-excerpt mark')].map((e) => e.textContent),
    listings: !document.querySelector('[data-search-listings]').hidden,
  }));
}

/** Types a query into the search page's field and submits it. */
async function search(page, query) {
  await page.fill('#search-q', query);
  await page.press('#search-q', 'Enter');
  return results(page);
}

test('the header field leads to the search page, which finds a stemmed Norwegian word', async () => {
  const { page, requested, errors } = await open('/');
  await page.fill('#site-search-q', 'barnehagen');
  await page.press('#site-search-q', 'Enter');
  await page.waitForURL(/\/sok\/\?q=barnehagen$/);
  const r = await results(page);
  // "barnehagen" is nowhere in the text; "barnehage" and "barnehager" are.
  assert.ok(r.urls.includes('/prosjekter/ny-i-trondheim/'), JSON.stringify(r));
  assert.ok(r.urls.includes('/omrader/oppvekst-og-utdanning/'), JSON.stringify(r));
  assert.match(r.status, new RegExp(`^${r.urls.length} treff$`));
  assert.ok(r.marks.some((m) => /^barnehage/i.test(m)), JSON.stringify(r.marks));
  assert.ok(!r.listings);
  assert.deepEqual(errors, []);
  // The front page loaded nothing of search; the search page loaded pagefind and its nb index.
  const before = requested.slice(0, requested.indexOf('/sok/'));
  assert.ok(before.every((p) => !p.startsWith('/pagefind/') && !p.startsWith('/search.')), before.join());
  assert.ok(requested.includes('/pagefind/wasm.nb.pagefind'));
  assert.ok(!requested.includes('/pagefind/wasm.en.pagefind'));
  // Pagefind runs on the main thread: its worker would repeat the runtime (13 KB).
  assert.ok(!requested.includes('/pagefind/pagefind-worker.js'), requested.join());
  await page.close();
});

test('an English query finds the singular through the stem', async () => {
  const { page, requested } = await open('/en/search/');
  const r = await search(page, 'schools');
  // These two pages say "school", never "schools".
  for (const url of ['/en/events/konferanse-2019/', '/en/areas/smart-municipality/']) {
    assert.ok(r.urls.includes(url), `${url} not in ${r.urls}`);
  }
  assert.match(r.status, /^\d+ results$/);
  assert.ok(requested.includes('/pagefind/wasm.en.pagefind'));
  assert.ok(!requested.includes('/pagefind/wasm.nb.pagefind'));
  await page.close();
});

test('filters narrow the results by type, area and call status', async () => {
  const { page } = await open('/sok/');
  const all = await search(page, 'sykkel');
  assert.ok(all.urls.length > 1, JSON.stringify(all));
  assert.ok(new Set(all.types).size > 1, 'several types before filtering');

  await page.click('.search-filters > summary');
  await page.check('#f-type-call');
  await page.waitForFunction(() => location.search.includes('type=call'));
  let r = await results(page);
  assert.deepEqual(r.urls, ['/innspill/sykkelveier-og-byrom-2035/']);
  assert.deepEqual(r.types, ['Innspill']);
  assert.equal(r.status, '1 treff');

  // Within a group the choices add up; across groups they narrow.
  await page.check('#f-type-project');
  await page.waitForFunction(() => location.search.includes('type=project'));
  r = await results(page);
  assert.ok(r.urls.includes('/prosjekter/sykkelveier-og-byrom/'), JSON.stringify(r));
  assert.ok(r.types.every((t) => t === 'Innspill' || t === 'Prosjekt'), JSON.stringify(r.types));
  await page.check('#f-status-open');
  await page.waitForFunction(() => location.search.includes('status=open'));
  r = await results(page);
  assert.ok(!r.urls.includes('/innspill/sykkelveier-og-byrom-2035/'), 'upcoming, not open');

  // A shared link restores query and filters.
  await page.goto(`${SITE}/sok/?q=forske&type=call&status=open`);
  r = await results(page);
  assert.deepEqual(r.urls, ['/innspill/hva-bor-vi-forske-pa/']);
  assert.equal(await page.isChecked('#f-status-open'), true);

  // An area's own page is in its area.
  await page.goto(`${SITE}/sok/?q=området`);
  r = await results(page);
  assert.ok(r.urls.includes('/omrader/helse-og-velferd/'), JSON.stringify(r));
  await page.goto(`${SITE}/sok/?q=området&area=byutvikling`);
  r = await results(page);
  assert.ok(r.urls.includes('/omrader/byutvikling/'), JSON.stringify(r));
  assert.ok(!r.urls.includes('/omrader/helse-og-velferd/'), JSON.stringify(r));
  await page.close();
});

test('a query without æ, ø and å finds the words that have them', async () => {
  const { page } = await open('/sok/');
  let r = await search(page, 'folkemote');
  assert.ok(r.urls.includes('/arrangementer/folkemote-2031/'), JSON.stringify(r));
  r = await search(page, 'hogskoleringen');
  assert.ok(r.urls.includes('/arrangementer/konferanse-2019/'), JSON.stringify(r));
  // Typed with ø it is found too, and the match is marked.
  r = await search(page, 'folkemøte');
  assert.ok(r.urls.includes('/arrangementer/folkemote-2031/'), JSON.stringify(r));
  assert.ok(r.marks.some((m) => /folkemøte/i.test(m)), JSON.stringify(r.marks));
  await page.goto(`${SITE}/en/search/?q=gloshaugen`);
  r = await results(page);
  assert.ok(r.urls.includes('/en/events/konferanse-2019/'), JSON.stringify(r));
  await page.close();
});

test('a part of a compound finds the compound', async () => {
  const { page } = await open('/sok/');
  // The text says "sykkeltellinger", never "tellinger" alone.
  const r = await search(page, 'tellinger');
  assert.ok(r.urls.includes('/prosjekter/apne-data/'), JSON.stringify(r));
  await page.close();
});

test('a query without hits says so kindly and offers the listings', async () => {
  const { page } = await open('/sok/');
  let r = await search(page, 'qwxzyv');
  assert.deepEqual(r.urls, []);
  assert.match(r.status, /^Ingen treff på «qwxzyv»\./);
  assert.ok(r.listings);
  const links = await page.$$eval('[data-search-listings] a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(links, ['/prosjekter/', '/arrangementer/', '/innspill/', '/omrader/']);
  // A new search with hits hides them again.
  r = await search(page, 'innbyggere');
  assert.ok(r.urls.length > 0 && !r.listings);
  await page.goto(`${SITE}/en/search/?q=qwxzyv`);
  r = await results(page);
  assert.match(r.status, /^Nothing found for “qwxzyv”\./);
  await page.close();
});

test('the keyboard reaches the field, the results and back', async () => {
  const { page } = await open('/sok/');
  await page.focus('#search-q');
  await page.keyboard.type('prosjekt');
  await page.keyboard.press('Enter');
  const r = await results(page);
  assert.ok(r.urls.length >= 3);
  await page.keyboard.press('ArrowDown');
  assert.equal(await page.evaluate(() => document.activeElement.closest('.result') !== null), true);
  await page.keyboard.press('ArrowDown');
  const second = await page.evaluate(() => new URL(document.activeElement.href).pathname);
  assert.equal(second, r.urls[1]);
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'search-q');
  // Tab from the field reaches the button, then the filters' summary.
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.type), 'submit');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.tagName), 'SUMMARY');
  // Enter on a result opens it.
  await page.focus('.result-title a');
  await Promise.all([page.waitForURL((u) => u.pathname === r.urls[0]), page.keyboard.press('Enter')]);
  await page.close();
});

test('more results come ten at a time', async () => {
  const { page } = await open('/sok/');
  // Filters alone, no words: every project.
  await page.goto(`${SITE}/sok/?type=project&type=call&type=event&type=page&type=area`);
  const r = await results(page);
  const total = Number(r.status.split(' ')[0]);
  assert.ok(total > 10, r.status);
  assert.equal(r.urls.length, 10);
  await page.click('[data-search-more]');
  await page.waitForFunction(() => document.querySelectorAll('.result').length > 10);
  const focused = await page.evaluate(() => [...document.querySelectorAll('.result')].indexOf(document.activeElement.closest('.result')));
  assert.equal(focused, 10, 'focus on the first new result');
  await page.close();
});

test('the search page loads pagefind only when someone searches', async () => {
  const { page, requested } = await open('/sok/');
  await page.waitForLoadState('networkidle');
  assert.ok(requested.some((p) => /^\/search\.[0-9a-f]+\.js$/.test(p)), requested.join());
  assert.ok(requested.every((p) => !p.startsWith('/pagefind/')), requested.join());
  assert.equal(await page.isVisible('#search-form'), true);
  assert.equal(await page.isVisible('[data-search-nojs]'), false);
  await page.close();
});

test('without JavaScript the page says search needs it and links to the listings', async () => {
  const nojs = await newContext(browser, { javaScriptEnabled: false });
  const page = await nojs.newPage();
  await page.goto(`${SITE}/sok/?q=barnehage`);
  assert.equal(await page.isVisible('[data-search-nojs]'), true);
  assert.match(await page.textContent('[data-search-nojs] p'), /^Søket trenger JavaScript/);
  assert.equal(await page.isVisible('#search-form'), false);
  assert.equal(await page.$$eval('[data-search-nojs] a', (as) => as.length), 4);
  await nojs.close();
});

// Regression: the header's search field once pushed 320px-wide pages sideways (an input's
// default width counted towards the form's smallest size).
test('no sideways scrolling at 320px with the search field in the header', async () => {
  const { page } = await open('/');
  await page.setViewportSize({ width: 320, height: 700 });
  for (const path of ['/', '/en/', '/sok/?q=sykkel', '/en/search/?q=school', '/prosjekter/apne-data/']) {
    await page.goto(SITE + path);
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 320, `${path} is ${width}px wide`);
  }
  await page.close();
});

// `torget serve` answers 503 with Retry-After for the index until its first one is built in the
// background. The page says so in its own language and searches by itself once the index is
// there, without a reload. The preview's answer is reproduced here with a route, because the
// sample site's index is ready before a browser could see the wait.
test('while the preview prepares the index the page says so, then searches without a reload', async () => {
  for (const [path, preparing, expected] of [
    ['/sok/?q=barnehage', /^Søkeindeksen gjøres klar\./, '/prosjekter/ny-i-trondheim/'],
    ['/en/search/?q=school', /^The search index is being prepared\./, null],
  ]) {
    const page = await context.newPage();
    let ready = false;
    let refused = 0;
    await page.route('**/pagefind/**', (route) => {
      if (ready) return route.continue();
      refused += 1;
      return route.fulfill({ status: 503, headers: { 'Retry-After': '1' }, body: '' });
    });
    await page.goto(SITE + path);
    await page.evaluate(() => { window.notReloaded = true; });
    await page.waitForFunction(() => document.querySelector('[data-search-status]').textContent.trim() !== '');
    const said = (await page.textContent('[data-search-status]')).trim();
    assert.match(said, preparing);
    assert.ok(refused > 0);
    assert.equal(await page.$$eval('.result', (r) => r.length), 0);
    ready = true;
    await page.waitForFunction(() => document.querySelectorAll('.result').length > 0, null, { timeout: 10000 });
    assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
    const status = (await page.textContent('[data-search-status]')).trim();
    assert.doesNotMatch(status, preparing);
    if (expected) {
      const urls = await page.$$eval('.result-title a', (as) => as.map((a) => new URL(a.href).pathname));
      assert.ok(urls.includes(expected), urls.join());
    }
    await page.close();
  }
});
