// What residents do, in a real browser: answer the open call with and without JavaScript, read
// the receipt, withdraw with it, meet a closed call, and switch language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, visit, url, assertOnlyOwnOrigin, TIMEOUT } from './harness.mjs';
import { OPEN_CALL, CLOSED_CALL } from './pages.mjs';

const RECEIPT = /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/;

let browser;
const contexts = [];
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function context(options) {
  const c = await newContext(browser, options);
  contexts.push(c);
  return c;
}

/** Answers all five kinds of question on the open call's page, in its language. */
async function answerEverything(page, lang) {
  const options = {
    nb: { omrade: 'Helse og velferd', delta: ['Komme på folkemøter', 'Teste nye tjenester'] },
    en: { omrade: 'Health and welfare', delta: ['Attending public meetings', 'Testing new services'] },
  }[lang];
  const form = page.locator('form.answer-form');
  await form.getByLabel(options.omrade, { exact: true }).check(); // choice
  await form.locator('#q-tema').fill(lang === 'nb' ? 'Ensomhet blant eldre' : 'Loneliness among older people'); // text
  await form.locator('#q-utfordring').fill('Bussen går sjelden.\nDet er langt til legen. «Sitat» & <tegn>'); // longtext
  await form.locator('#q-bruk-av-forskning-4').check(); // scale
  for (const label of options.delta) await form.getByLabel(label, { exact: true }).check(); // multichoice
}

/** Withdraws the answers with a receipt on the withdraw page; returns the confirmation text. */
async function withdraw(page, path, receipt, expectedStatus = 303) {
  await visit(page, path);
  await page.locator('#receipt').fill(receipt);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/withdraw') && r.request().method() === 'POST'),
    page.locator('form.withdraw-form button').click(),
  ]);
  assert.equal(response.status(), expectedStatus, 'the withdraw post');
  await page.waitForLoadState('load');
  return (await page.locator('main').innerText()).trim();
}

test('answer the open call without JavaScript, read the receipt, withdraw with it', async () => {
  const c = await context({ javaScriptEnabled: false });
  const page = await c.newPage();
  await visit(page, `/innspill/${OPEN_CALL}/`);
  await answerEverything(page, 'nb');

  const [post] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/calls/${OPEN_CALL}/responses`)),
    page.locator('form.answer-form button').click(),
  ]);
  assert.equal(post.request().method(), 'POST');
  assert.match(post.request().headers()['content-type'], /^application\/x-www-form-urlencoded/, 'a plain form post');
  assert.equal(post.status(), 303, 'the endpoint redirects to its thank-you page');
  await page.waitForURL(/\/api\/calls\/[^/]+\/thanks\?lang=nb&receipt=/);
  assert.equal(await page.locator('h1').innerText(), 'Takk for innspillet!');
  const receipt = (await page.locator('[data-receipt]').innerText()).trim();
  assert.match(receipt, RECEIPT, 'the receipt is visible without JavaScript');
  assert.ok(await page.locator('[data-receipt]').isVisible());

  // The thank-you page links to the withdraw page.
  await page.locator('main a[href$="/trekk-tilbake/"]').click();
  await page.waitForURL(/\/trekk-tilbake\/$/);

  const confirmation = await withdraw(page, '/trekk-tilbake/', receipt.toLowerCase().replaceAll('-', ' '));
  assert.match(page.url(), new RegExp(`/api/withdrawn\\?lang=nb&call=${OPEN_CALL}$`));
  assert.match(confirmation, /slettet/i, `the confirmation says the answers are deleted:\n${confirmation}`);
  assert.ok(await page.locator(`main a[href="/innspill/${OPEN_CALL}/"]`).isVisible(), 'it leads back to the call');

  // The same code a second time: nothing left to withdraw.
  const again = await withdraw(page, '/trekk-tilbake/', receipt, 404);
  assert.match(again, /finner ikke noe svar/, `a second withdrawal says so:\n${again}`);
  await page.close();
});

test('without JavaScript, an answer with mistakes comes back as the form: answers kept, mistakes by question text', async () => {
  const c = await context({ javaScriptEnabled: false });
  const page = await c.newPage();
  await visit(page, `/innspill/${OPEN_CALL}/`);
  const form = page.locator('form.answer-form');
  // Two required questions left out (the area and the scale), the rest answered.
  await form.locator('#q-tema').fill('Ensomhet blant eldre');
  const long = 'Bussen går sjelden.\nDet er langt til legen. «Sitat» & <tegn>';
  await form.locator('#q-utfordring').fill(long);
  await form.getByLabel('Teste nye tjenester', { exact: true }).check();
  await form.getByLabel('Komme på folkemøter', { exact: true }).check();
  const [post] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/calls/${OPEN_CALL}/responses`)),
    form.locator('button').click(),
  ]);
  assert.equal(post.status(), 422);
  await page.waitForLoadState('load');

  // The call's own page again, its form filled in as the resident left it.
  assert.equal(await page.locator('h1').innerText(), 'Hva bør vi forske på?');
  const again = page.locator('form.answer-form');
  assert.equal(await again.locator('#q-tema').inputValue(), 'Ensomhet blant eldre');
  assert.equal(await again.locator('#q-utfordring').inputValue(), long);
  assert.ok(await again.getByLabel('Teste nye tjenester', { exact: true }).isChecked());
  assert.ok(await again.getByLabel('Komme på folkemøter', { exact: true }).isChecked());
  assert.equal(await again.getByLabel('Bare lese om resultatene', { exact: true }).isChecked(), false);

  // A summary at the top names the questions by their text, never their ids, and links to them.
  const summary = again.locator('[data-error-summary]');
  assert.ok(await summary.isVisible(), 'the error summary shows');
  const items = await summary.locator('li').allInnerTexts();
  assert.equal(items.length, 2, `two mistakes: ${items.join(' | ')}`);
  assert.match(items[0], /^Hvilket område er viktigst for deg\? – /);
  assert.match(items[1], /^Hvor godt synes du kommunen bruker forskning/);
  assert.doesNotMatch(items.join(' '), /omrade|bruk-av-forskning/, 'no question ids');
  await summary.locator('a').first().click();
  assert.match(page.url(), /#q-omrade-/);

  // Each mistake beside its question, read out with it.
  const areaError = again.locator('[data-question="omrade"] .field-error');
  assert.ok(await areaError.isVisible());
  assert.match(await areaError.innerText(), /\S/);
  assert.equal(await again.locator('[data-question="omrade"]').getAttribute('aria-describedby'), await areaError.getAttribute('id'));
  assert.equal(await again.locator('[data-question="tema"] .field-error').isVisible(), false, 'no mistake where there is none');

  // Fixing the mistakes and sending again gives the receipt.
  await again.getByLabel('Helse og velferd', { exact: true }).check();
  await again.locator('#q-bruk-av-forskning-4').check();
  const [second] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/calls/${OPEN_CALL}/responses`)),
    again.locator('button').click(),
  ]);
  assert.equal(second.status(), 303);
  await page.waitForURL(/\/thanks\?lang=nb&receipt=/);
  assert.match((await page.locator('[data-receipt]').innerText()).trim(), RECEIPT);
  await page.close();
});

test('answer the open call with JavaScript (English), read the receipt, withdraw with it', async () => {
  const c = await context({ locale: 'en-GB' });
  const page = await c.newPage();
  await visit(page, '/en/calls/what-should-we-research/');
  // The script fetches a form token when it shows the form.
  await page.waitForFunction(() => document.querySelector('form.answer-form input[name=form_token]')?.value, null, {
    timeout: TIMEOUT,
  });
  await answerEverything(page, 'en');

  // The page navigates away as soon as it has the answer, so keep a copy of the body on the way.
  let answered;
  await page.route(`**/api/calls/${OPEN_CALL}/responses`, async (route) => {
    const response = await route.fetch();
    answered = { status: response.status(), body: await response.json() };
    await route.fulfill({ response });
  });
  const [post] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/calls/${OPEN_CALL}/responses`)),
    page.locator('form.answer-form button').click(),
  ]);
  assert.equal(post.request().headers()['content-type'], 'application/json', 'the script posts JSON');
  const sent = JSON.parse(post.request().postData());
  assert.equal(sent.lang, 'en');
  assert.ok(sent.form_token, 'with the form token');
  assert.deepEqual(sent.answers, {
    omrade: 'Health and welfare',
    tema: 'Loneliness among older people',
    utfordring: 'Bussen går sjelden.\nDet er langt til legen. «Sitat» & <tegn>',
    'bruk-av-forskning': 4,
    delta: ['Attending public meetings', 'Testing new services'],
  });
  assert.equal(post.status(), 201);
  assert.equal(answered.status, 201);
  const body = answered.body;
  assert.match(body.receipt, RECEIPT);

  await page.waitForURL(/\/en\/thanks\/\?receipt=/);
  const shown = (await page.locator('[data-receipt]').innerText()).trim();
  assert.equal(shown, body.receipt, 'the thank-you page shows the receipt');
  assert.equal(await page.locator('[data-call-link]').innerText(), 'What should we research?', 'it names the call');
  assert.ok(await page.locator('[data-copy-receipt]').isVisible(), 'a copy button');

  // Switching language keeps the receipt.
  await page.locator('nav.lang-switch a[hreflang=nb]').click();
  await page.waitForURL(/\/takk\/\?receipt=/);
  assert.equal((await page.locator('[data-receipt]').innerText()).trim(), body.receipt, 'the receipt in Norwegian too');
  // The withdraw link fills the code in.
  await page.locator('main a[data-withdraw-link]').click();
  await page.waitForURL(/\/trekk-tilbake\/\?receipt=/);
  assert.equal(await page.locator('#receipt').inputValue(), body.receipt, 'the withdraw page has the code');
  assert.equal(await page.locator('form.withdraw-form input[name=call]').inputValue(), OPEN_CALL, 'and the call');
  await page.goto(url(`/en/thanks/?receipt=${body.receipt}`));

  const confirmation = await withdraw(page, '/en/withdraw/', shown);
  assert.match(page.url(), new RegExp(`/api/withdrawn\\?lang=en&call=${OPEN_CALL}$`));
  assert.match(confirmation, /deleted/i, `the confirmation says the answers are deleted:\n${confirmation}`);
  // A code that finds nothing, on a withdraw page opened from the call: the way back is there.
  const again = await withdraw(page, `/en/withdraw/?call=${OPEN_CALL}`, shown, 404);
  assert.match(again, /Back to “What should we research\?”/, `the not-found page leads back:\n${again}`);
  await page.close();
});

test('a closed call shows no form, and a direct post to it is refused with 409', async () => {
  const c = await context();
  const page = await c.newPage();
  await visit(page, `/innspill/${CLOSED_CALL}/`);
  assert.equal(await page.locator('form.answer-form').count(), 0, 'no answer form');
  assert.ok(await page.locator('[data-closed-notice]').isVisible(), 'the page says the call is closed');
  assert.equal(await page.locator('[data-call-state]').innerText(), 'Avsluttet');

  const action = url(`/api/calls/${CLOSED_CALL}/responses`);
  const form = await page.request.post(action, {
    form: { lang: 'nb', website: '' },
    headers: { Origin: new URL(action).origin, Accept: 'text/html' },
    maxRedirects: 0,
  });
  assert.equal(form.status(), 409, 'a plain form post');
  assert.match(await form.text(), /stengt|avsluttet|closed/i);

  const json = await page.request.post(action, {
    data: { lang: 'en', website: '', answers: {} },
    headers: { Origin: new URL(action).origin, Accept: 'application/json' },
  });
  assert.equal(json.status(), 409, 'a JSON post');
  assert.match((await json.json()).message, /closed/i);
  await page.close();
});

test('switching language on a translated page goes to its translation, and back', async () => {
  const c = await context();
  const page = await c.newPage();
  await visit(page, `/innspill/${OPEN_CALL}/`);
  const english = page.locator('nav.lang-switch a[hreflang=en]');
  assert.equal(await english.innerText(), 'English');
  await english.click();
  await page.waitForURL(url('/en/calls/what-should-we-research/'));
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  assert.equal(await page.locator('h1').innerText(), 'What should we research?');

  await page.locator('nav.lang-switch a[hreflang=nb]').click();
  await page.waitForURL(url(`/innspill/${OPEN_CALL}/`));
  assert.equal(await page.locator('html').getAttribute('lang'), 'nb');
  await page.close();
});

test('switching language on an untranslated page goes to the nearest page and says so', async () => {
  const c = await context();
  const page = await c.newPage();
  await visit(page, '/nyheter/doktorgrader-kommunal-innovasjon/');
  const english = page.locator('nav.lang-switch a[hreflang=en]');
  assert.match(await english.innerText(), /English\s*\(this page is not available in English\)/);
  await english.click();
  await page.waitForURL((u) => u.pathname === '/en/news/');
  assert.equal(await page.locator('html').getAttribute('lang'), 'en');
  const notice = page.locator('#not-translated');
  assert.ok(await notice.isVisible(), 'the English page says the page is not translated');
  assert.match(await notice.innerText(), /not available in English/);

  // Reached any other way, the page does not show the notice.
  await visit(page, '/en/news/');
  assert.equal(await notice.isVisible(), false);
  await page.close();
});

test('no page in this file made a request to another origin', () => {
  for (const c of contexts) assertOnlyOwnOrigin(assert, c);
});
