// Screenshots for a person to look at: the home page, a call and the search page, in both
// languages, at phone (390 px) and desktop (1280 px) widths, full length, into target/screenshots/.
// Also a few states worth seeing: the call form with its errors, and the thank-you page.
import { test, before, after } from 'node:test';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newContext, visit, url, SCREENSHOT_DIR, TIMEOUT } from './harness.mjs';
import { OPEN_CALL, SAMPLE_RECEIPT } from './pages.mjs';

const WIDTHS = { phone: 390, desktop: 1280 };
const SHOTS = [
  { name: 'home', nb: '/', en: '/en/' },
  { name: 'call', nb: `/innspill/${OPEN_CALL}/`, en: '/en/calls/what-should-we-research/' },
  // The search page comes with the search feature; until then this is skipped, saying so.
  { name: 'search', nb: '/sok/?q=skole', en: '/en/search/?q=school', optional: true },
  { name: 'thanks', nb: `/takk/?receipt=${SAMPLE_RECEIPT}`, en: `/en/thanks/?receipt=${SAMPLE_RECEIPT}` },
];

let browser;
before(async () => {
  browser = await launch();
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
});
after(async () => {
  await browser?.close();
});

async function shoot(width, p, file, prepare, { height = 900, fullPage = true } = {}) {
  const context = await newContext(browser, { viewport: { width, height }, deviceScaleFactor: 1 });
  try {
    const page = await context.newPage();
    await visit(page, p);
    await page.waitForLoadState('networkidle', { timeout: TIMEOUT });
    if (prepare) await prepare(page);
    await page.screenshot({ path: path.join(SCREENSHOT_DIR, file), fullPage, animations: 'disabled' });
  } finally {
    await context.close();
  }
}

for (const shot of SHOTS) {
  for (const lang of ['nb', 'en']) {
    test(`screenshots: ${shot.name} (${lang})`, async (t) => {
      if (shot.optional) {
        const response = await fetch(url(shot[lang]), { signal: AbortSignal.timeout(15_000) });
        if (response.status === 404) {
          t.skip(`no ${shot.name} page at ${shot[lang]} in this build`);
          return;
        }
      }
      for (const [device, width] of Object.entries(WIDTHS)) {
        await shoot(width, shot[lang], `${shot.name}-${lang}-${device}.png`);
      }
      // What a phone shows before any scrolling (390×844).
      await shoot(WIDTHS.phone, shot[lang], `${shot.name}-${lang}-phone-first-screen.png`, null, {
        height: 844,
        fullPage: false,
      });
    });
  }
}

test('screenshots: the call form with its errors shown (phone)', () =>
  shoot(WIDTHS.phone, `/innspill/${OPEN_CALL}/`, 'call-errors-nb-phone.png', async (page) => {
    await page.locator('form.answer-form button').click();
    await page.locator('[data-error-summary]').waitFor({ state: 'visible' });
  }));

test('screenshots: the language switch from an untranslated page (phone)', () =>
  shoot(WIDTHS.phone, '/nyheter/doktorgrader-kommunal-innovasjon/', 'untranslated-en-phone.png', async (page) => {
    await page.locator('nav.lang-switch a[hreflang=en]').click();
    await page.waitForURL(/\/en\/news\/#not-translated$/);
  }));
