// The staff console (/admin/) in a real browser, in nb and en: signing in with the keyboard
// alone, on pages without any script, axe (WCAG 2.1 A and AA) on every console page, the Nu Html
// Checker on the same pages, and signing out. run.sh adds the staff (admin@ and editor@
// torget.example) with TORGET_BROWSER_STAFF_PASSWORD.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { launch, newContext, visit, axeViolations, assertOnlyOwnOrigin, vnu, url } from './harness.mjs';
import { OPEN_CALL } from './pages.mjs';

const PASSWORD = process.env.TORGET_BROWSER_STAFF_PASSWORD;
const LANGS = ['nb', 'en'];

let browser;
let saved;
before(async () => {
  assert.ok(PASSWORD, 'run.sh sets TORGET_BROWSER_STAFF_PASSWORD');
  browser = await launch();
  saved = fs.mkdtempSync(path.join(os.tmpdir(), 'torget-console-'));
  // Two answers to the open call, so that its page has answers to show and moderate.
  for (const lang of LANGS) {
    const response = await fetch(url(`/api/calls/${OPEN_CALL}/responses`), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({
        lang,
        website: '',
        answers: {
          omrade: lang === 'nb' ? 'Helse og velferd' : 'Health and welfare',
          tema: 'Ensomhet blant eldre',
          'bruk-av-forskning': 4,
        },
      }),
      signal: AbortSignal.timeout(15_000),
    });
    assert.equal(response.status, 201, await response.text());
  }
});
after(async () => {
  await browser?.close();
  if (saved) fs.rmSync(saved, { recursive: true, force: true });
});

/**
 * A context that speaks `lang` to the console (its language cookie, as the switch sets it).
 * The console has no script at all (its CSP allows none), so it is used as a browser without
 * JavaScript uses it; the CSP is bypassed only so that axe can be injected.
 */
async function consoleContext(lang) {
  const context = await newContext(browser, { bypassCSP: true });
  await context.addCookies([{ name: 'torget_lang', value: lang, url: url('/admin/') }]);
  return context;
}

/** The element that has focus, as `tag#id` or `tag` with its text. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    return `${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ''} ${el.textContent.trim()}`.trim();
  });
}

/** Signs in by keyboard alone: Tab to the email field, type, Tab, type, Enter. */
async function signInByKeyboard(page, email) {
  await visit(page, '/admin/login');
  for (let i = 0; i < 10 && !(await focused(page)).startsWith('input#email'); i++) {
    await page.keyboard.press('Tab');
  }
  assert.match(await focused(page), /^input#email/, 'Tab reaches the email field');
  await page.keyboard.type(email);
  await page.keyboard.press('Tab');
  assert.match(await focused(page), /^input#password/);
  await page.keyboard.type(PASSWORD);
  await Promise.all([page.waitForNavigation(), page.keyboard.press('Enter')]);
  const said = await page.locator('main p').first().textContent();
  assert.equal(page.url(), url('/admin/'), `signed in as ${email}, else: ${said}`);
}

/** The page's HTML kept for the checker (before axe is injected), and axe on it. */
async function check(page, name) {
  assert.equal(await page.locator('script').count(), 0, `${name} has no script`);
  fs.writeFileSync(path.join(saved, `${name}.html`), await page.content());
  const problems = await axeViolations(page);
  assert.deepEqual(problems, [], `${name} (${page.url()}) breaks WCAG 2.1 AA:\n  ${problems.join('\n  ')}`);
}

for (const lang of LANGS) {
  test(`console (${lang}): sign-in, the calls, the audit log and sign-out, by keyboard, without JavaScript`, async () => {
    const context = await consoleContext(lang);
    const page = await context.newPage();
    try {
      // Not signed in: sent to the sign-in page, which passes axe, also with its error shown.
      await visit(page, '/admin/audit');
      assert.ok(page.url().startsWith(url('/admin/login?next=')), page.url());
      assert.equal(await page.getAttribute('html', 'lang'), lang);
      await check(page, `login-${lang}`);
      await page.fill('#email', 'admin@torget.example');
      await page.fill('#password', 'not the password at all');
      await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
      assert.equal(await page.locator('#login-note').count(), 1, 'the mistake is said');
      await check(page, `login-wrong-${lang}`);

      await signInByKeyboard(page, 'admin@torget.example');
      const heading = await page.textContent('h1');
      assert.equal(heading, lang === 'nb' ? 'Innspillsrunder' : 'Calls for input');
      assert.ok((await page.locator('tbody tr').count()) >= 3, 'the sample site has calls');
      await check(page, `calls-${lang}`);

      // Every link and the sign-out button are reached by Tab, in order.
      await page.keyboard.press('Tab');
      assert.match(await focused(page), /^a/, 'the skip link comes first');
      const reached = [];
      for (let i = 0; i < 40; i++) {
        await page.keyboard.press('Tab');
        reached.push(await focused(page));
      }
      const signOut = lang === 'nb' ? 'Logg ut' : 'Sign out';
      assert.ok(reached.some((f) => f === `button ${signOut}`), `Tab reaches sign-out: ${reached.join(' | ')}`);
      assert.ok(reached.some((f) => f.startsWith('a ') && f.includes(lang === 'nb' ? 'English' : 'Norsk')), 'and the language switch');

      await visit(page, '/admin/audit');
      assert.equal(await page.locator('tbody tr').count() > 0, true, 'the sign-in is in the log');
      await check(page, `audit-${lang}`);

      // A call's answers, filtered, then one hidden and shown again, and the delete page.
      await visit(page, `/admin/calls/${OPEN_CALL}`);
      assert.ok((await page.locator('section.response').count()) >= 1, 'the answers are shown');
      assert.ok((await page.locator('svg.chart').count()) >= 2, 'a chart per choice and scale question');
      await check(page, `call-${lang}`);
      await page.selectOption('#f-show', 'visible');
      await Promise.all([page.waitForNavigation(), page.click('form.filters button')]);
      assert.match(page.url(), /show=visible/);
      await check(page, `call-filtered-${lang}`);
      const first = page.locator('section.response').first();
      await first.locator('input[name=reason]').fill('Inneholder personopplysninger');
      await Promise.all([page.waitForNavigation(), first.locator('form[action$="/hide"] button').click()]);
      await visit(page, `/admin/calls/${OPEN_CALL}?show=hidden`);
      assert.equal(await page.locator('section.response .note').count(), 1, 'the hidden answer says why');
      await check(page, `call-hidden-${lang}`);
      await Promise.all([page.waitForNavigation(), page.locator('form[action$="/unhide"] button').click()]);
      await visit(page, `/admin/calls/${OPEN_CALL}`);
      await Promise.all([page.waitForNavigation(), page.locator('section.response a[href*="/delete"]').first().click()]);
      assert.equal(await page.locator('input#reason').count(), 1, 'the delete page asks for a reason');
      await check(page, `delete-confirm-${lang}`);

      await visit(page, '/admin/no-such-page', { status: 404 });
      await check(page, `not-found-${lang}`);
      await visit(page, `/admin/setup/${'0'.repeat(64)}`, { status: 404 });
      await check(page, `setup-gone-${lang}`);

      // Signing out is a plain form post.
      await visit(page, '/admin/');
      await Promise.all([page.waitForURL(/\/admin\/login\?out$/), page.click('form.who button')]);
      await check(page, `signed-out-${lang}`);
      await visit(page, '/admin/');
      assert.ok(page.url().startsWith(url('/admin/login')), 'signed out for real');
      assertOnlyOwnOrigin(assert, context);
    } finally {
      await context.close();
    }
  });

  test(`console (${lang}): an editor is refused the audit log with a page that passes axe`, async () => {
    const context = await consoleContext(lang);
    const page = await context.newPage();
    try {
      await signInByKeyboard(page, 'editor@torget.example');
      assert.equal(await page.locator('a[href="/admin/audit"]').count(), 0, 'no link to it');
      await visit(page, '/admin/audit', { status: 403 });
      await check(page, `audit-refused-${lang}`);
    } finally {
      await context.close();
    }
  });
}

test('every console page saved above is valid HTML (Nu Html Checker)', async () => {
  const files = fs.readdirSync(saved);
  assert.ok(files.length >= 24, `the console tests saved their pages (${files.join(', ')})`);
  const errors = (await vnu(saved))
    .filter((m) => m.type === 'error' || m.subType === 'fatal')
    .map((m) => `${m.url.replace(`file:${saved}/`, '')}:${m.lastLine} ${m.message}\n      ${(m.extract ?? '').replace(/\n/g, ' ')}`);
  assert.deepEqual(errors, [], `the checker found ${errors.length} errors:\n  ${errors.join('\n  ')}`);
});
