// A phone's first screen (390×844): the header stays compact in every language and on a page
// that has no translation, its menu opens with and without JavaScript, and the home page shows
// its first open call before any scrolling. On a desktop the whole navigation bar shows.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, visit } from './harness.mjs';
import { OPEN_CALL, SAMPLE_RECEIPT } from './pages.mjs';

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1366, height: 900 };
const HEADER_MAX = 120;

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function withPage(options, fn) {
  const context = await newContext(browser, options);
  try {
    return await fn(await context.newPage());
  } finally {
    await context.close();
  }
}

const HEADERS = [
  { what: 'nb home page', path: '/' },
  { what: 'en home page', path: '/en/' },
  { what: 'en call page', path: '/en/calls/what-should-we-research/' },
  { what: 'nb call page', path: `/innspill/${OPEN_CALL}/` },
  // Only in Norwegian: its language link says so, which made the header taller.
  { what: 'untranslated page', path: '/nyheter/doktorgrader-kommunal-innovasjon/' },
  { what: 'en search page (no header search field)', path: '/en/search/' },
];

for (const { what, path } of HEADERS) {
  test(`the header is at most ${HEADER_MAX} px tall on a phone: ${what}`, () =>
    withPage({ viewport: PHONE }, async (page) => {
      await visit(page, path);
      const box = await page.locator('header.site-header').boundingBox();
      assert.ok(box.height <= HEADER_MAX, `the header is ${box.height} px tall at 390 px on ${path}`);
      // Everything in it is on screen: nothing pushed past the right edge.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.equal(overflow, 0, `the page scrolls sideways by ${overflow} px on ${path}`);
    }));
}

for (const javaScriptEnabled of [true, false]) {
  test(`the phone menu opens and leads to the listings (JavaScript ${javaScriptEnabled ? 'on' : 'off'})`, () =>
    withPage({ viewport: PHONE, javaScriptEnabled }, async (page) => {
      await visit(page, '/en/');
      const link = page.locator('nav.main-nav a[href="/en/calls/"]');
      assert.equal(await link.isVisible(), false, 'the navigation waits behind the menu button');
      await page.locator('details.menu > summary').click();
      assert.ok(await link.isVisible(), 'the menu shows the navigation');
      await link.click();
      await page.waitForURL(/\/en\/calls\/$/);
    }));
}

test('on a desktop the navigation is a full bar, without a menu button', () =>
  withPage({ viewport: DESKTOP }, async (page) => {
    await visit(page, '/');
    assert.equal(await page.locator('details.menu > summary').isVisible(), false);
    for (const href of ['/innspill/', '/prosjekter/', '/arrangementer/']) {
      assert.ok(await page.locator(`nav.main-nav a[href="${href}"]`).isVisible(), `${href} in the bar`);
    }
  }));

for (const [lang, path] of [['nb', '/'], ['en', '/en/']]) {
  test(`the first open call is on a phone's first screen, with its answer button (${lang})`, () =>
    withPage({ viewport: PHONE }, async (page) => {
      await visit(page, path);
      const first = page.locator('#h-open-calls ~ .cards .card').first();
      const title = await first.locator('.card-title').boundingBox();
      assert.ok(title, 'the home page lists an open call');
      assert.ok(
        title.y + title.height <= PHONE.height,
        `the first open call's title ends ${title.y + title.height} px down, below the first ${PHONE.height} px`,
      );
      // The home page's heading is not the site's name again.
      const h1 = (await page.locator('h1').innerText()).trim();
      const name = (await page.locator('.brand').innerText()).trim();
      assert.notEqual(h1, name, 'the H1 repeats the header');
      // "Answer now" leads to the call's form.
      await first.locator('.card-action a').click();
      await page.waitForURL(/#h-answer$/);
      assert.ok(await page.locator('form.answer-form').isVisible());
    }));
}

test('on a narrow phone the receipt breaks between its groups, never inside one', () =>
  withPage({ viewport: { width: 320, height: 640 } }, async (page) => {
    await visit(page, `/takk/?receipt=${SAMPLE_RECEIPT}`);
    const lines = await page.locator('[data-receipt]').evaluate((el) =>
      [...el.childNodes]
        .filter((n) => n.nodeType === Node.TEXT_NODE)
        .map((n) => {
          const range = document.createRange();
          range.selectNodeContents(n);
          return { text: n.textContent, lines: new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size };
        }),
    );
    assert.equal(lines.map((l) => l.text).join(''), SAMPLE_RECEIPT);
    for (const l of lines) assert.equal(l.lines, 1, `"${l.text}" is broken across lines`);
    const rows = await page.locator('[data-receipt]').evaluate((el) => el.getClientRects().length);
    assert.ok(rows > 1, 'the code does wrap at 320 px (else this test shows nothing)');
  }));

test('every answer option is a target of at least 44 px on a phone', () =>
  withPage({ viewport: PHONE }, async (page) => {
    await visit(page, `/innspill/${OPEN_CALL}/`);
    const small = await page.locator('form.answer-form .option label').evaluateAll((labels) =>
      labels
        .map((l) => ({ text: l.textContent.trim(), height: l.getBoundingClientRect().height }))
        .filter((l) => l.height < 44),
    );
    assert.deepEqual(small, [], 'options whose label is under 44 px tall');
    // Clicking anywhere on an option's row chooses it.
    const label = page.locator('form.answer-form .option label', { hasText: 'Byutvikling' });
    await label.scrollIntoViewIfNeeded();
    const box = await label.boundingBox();
    await page.mouse.click(box.x + box.width - 5, box.y + box.height - 3);
    assert.ok(await page.locator('form.answer-form').getByLabel('Byutvikling', { exact: true }).isChecked());
  }));
