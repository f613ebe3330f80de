// Accessibility: axe-core's WCAG 2.1 A and AA rules on every page type in both languages (zero
// violations), the answer form used with the keyboard alone, and errors announced to screen
// readers.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, newContext, visit, assertOnlyOwnOrigin, axeViolations, TIMEOUT } from './harness.mjs';
import { everyPage, PAGES, OPEN_CALL } from './pages.mjs';

let browser;
let context;
before(async () => {
  browser = await launch();
  context = await newContext(browser);
});
after(async () => {
  await browser?.close();
});

async function checkPage(path, status, prepare, ready) {
  const page = await context.newPage();
  try {
    await visit(page, path, { status, ready });
    if (prepare) await prepare(page);
    const problems = await axeViolations(page);
    assert.deepEqual(problems, [], `${path} breaks WCAG 2.1 AA:\n  ${problems.join('\n  ')}`);
  } finally {
    await page.close();
  }
}

test('axe runs and reports what it should (a page with known faults)', async () => {
  const page = await context.newPage();
  try {
    await page.setContent('<!DOCTYPE html><html><head><title>x</title></head><body><main><img src="data:,">' +
      '<p style="color:#aaa;background:#fff">faint</p><input id="q"></main></body></html>');
    const ids = (await axeViolations(page)).map((line) => line.split(' ')[0]).sort();
    assert.deepEqual([...new Set(ids)], ['color-contrast', 'html-has-lang', 'image-alt', 'label']);
  } finally {
    await page.close();
  }
});

for (const { type, lang, path, status, ready } of everyPage()) {
  test(`axe: ${type} (${lang}) ${path}`, () => checkPage(path, status, undefined, ready));
}

const openCall = PAGES.find((p) => p.type === 'open call');

for (const lang of ['nb', 'en']) {
  test(`axe: open call (${lang}) with its errors shown`, () =>
    checkPage(openCall[lang], 200, async (page) => {
      await page.locator('form.answer-form button').click();
      await page.locator('[data-error-summary]').waitFor({ state: 'visible' });
    }));

  test(`axe: the endpoint's page of problems for a plain form post (${lang})`, async () => {
    const page = await context.newPage();
    try {
      await visit(page, openCall[lang]);
      // What a browser without JavaScript posts: the form as it is, with required answers missing.
      await Promise.all([
        page.waitForURL(/\/api\/calls\/[^/]+\/responses$/),
        page.evaluate(() => document.querySelector('form.answer-form').submit()),
      ]);
      assert.match(page.url(), /\/api\/calls\/[^/]+\/responses$/);
      const problems = await axeViolations(page);
      assert.deepEqual(problems, [], `the problems page breaks WCAG 2.1 AA:\n  ${problems.join('\n  ')}`);
    } finally {
      await page.close();
    }
  });
}

/** The element that has focus, as `id` or `tag.class`, and whether it is in the answer form. */
async function focused(page) {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return { name: 'body', inForm: false };
    return {
      name: el.id || `${el.tagName.toLowerCase()}.${el.className}`,
      inForm: !!el.closest('form.answer-form'),
      tag: el.tagName,
      type: el.type,
    };
  });
}

test('the answer form can be filled and sent with the keyboard alone', async () => {
  const page = await context.newPage();
  try {
    await visit(page, `/innspill/${OPEN_CALL}/`);
    // Tab from the top of the page until the form has focus; the skip link comes first.
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).name, 'a.skip-link', 'the first Tab reaches the skip link');
    let f;
    for (let i = 0; i < 100; i++) {
      await page.keyboard.press('Tab');
      f = await focused(page);
      if (f.inForm) break;
    }
    assert.ok(f.inForm, 'Tab never reached the answer form');

    // Walk the form with Tab, answering each question as a keyboard user would.
    const order = [];
    for (let i = 0; i < 30 && f.inForm; i++) {
      order.push(f.name);
      if (f.name === 'q-omrade-1') {
        await page.keyboard.press('ArrowDown'); // radio group: arrows move and choose
        await page.keyboard.press('ArrowDown');
        order.push((await focused(page)).name);
      } else if (f.name === 'q-tema') {
        await page.keyboard.type('Ensomhet blant eldre');
      } else if (f.name === 'q-utfordring') {
        await page.keyboard.type('Lange ventetider.\nFå møteplasser.');
      } else if (f.name === 'q-bruk-av-forskning-1') {
        await page.keyboard.press('Space'); // choose the focused radio button
        await page.keyboard.press('ArrowRight');
        await page.keyboard.press('ArrowRight');
        order.push((await focused(page)).name);
      } else if (f.name === 'q-delta-2' || f.name === 'q-delta-4') {
        await page.keyboard.press('Space'); // tick a check box
      }
      if (f.tag === 'BUTTON') break;
      await page.keyboard.press('Tab');
      f = await focused(page);
    }
    assert.deepEqual(order, [
      'q-omrade-1', 'q-omrade-3',
      'q-tema',
      'q-utfordring',
      'q-bruk-av-forskning-1', 'q-bruk-av-forskning-3',
      'q-delta-1', 'q-delta-2', 'q-delta-3', 'q-delta-4', 'q-delta-5',
      'button.button',
    ], 'focus order through the form');

    const answers = await page.evaluate(() =>
      Object.fromEntries(
        [...new FormData(document.querySelector('form.answer-form')).entries()].filter(([k]) => !['lang', 'website', 'form_token'].includes(k)),
      ),
    );
    assert.equal(answers.omrade, 'Byutvikling');
    assert.equal(answers['bruk-av-forskning'], '3');
    assert.equal(answers.tema, 'Ensomhet blant eldre');

    await Promise.all([page.waitForURL(/\/takk\/\?receipt=/, { timeout: TIMEOUT }), page.keyboard.press('Enter')]);
    const receipt = (await page.locator('[data-receipt]').textContent()).trim();
    assert.match(receipt, /^[0-9A-Z]{4}(-[0-9A-Z]{4}){4}$/, 'the thank-you page shows the receipt');
  } finally {
    await page.close();
  }
});

for (const lang of ['nb', 'en']) {
  test(`errors are announced to screen readers (${lang})`, async () => {
    const page = await context.newPage();
    try {
      await visit(page, openCall[lang]);
      // Answer everything but the required text question, then send with Enter from a field.
      await page.locator('#q-omrade-2').check();
      await page.locator('#q-bruk-av-forskning-4').check();
      await page.locator('#q-utfordring').fill('Noe annet');
      await page.locator('#q-utfordring').focus();
      await page.keyboard.press('Tab'); // into the scale
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/responses') && r.request().method() === 'POST'),
        page.locator('form.answer-form button').press('Enter'),
      ]);
      assert.equal(response.status(), 422);

      const summary = page.locator('[data-error-summary]');
      await summary.waitFor({ state: 'visible' });
      assert.equal(await summary.getAttribute('role'), 'alert');
      assert.ok(await summary.evaluate((el) => el === document.activeElement), 'the error summary has focus');
      const items = await summary.locator('li').allTextContents();
      assert.equal(items.length, 1, `one problem listed: ${items.join(' | ')}`);

      const input = page.locator('#q-tema');
      assert.equal(await input.getAttribute('aria-invalid'), 'true');
      const describedBy = (await input.getAttribute('aria-describedby')).split(/\s+/);
      assert.ok(describedBy.includes('q-tema-error'), `aria-describedby="${describedBy.join(' ')}" names the message`);
      assert.ok(describedBy.includes('q-tema-hint'), 'and keeps the hint');
      const message = page.locator('#q-tema-error');
      assert.ok(await message.isVisible(), 'the message beside the field is shown');
      const text = (await message.textContent()).trim();
      assert.ok(text.length > 0, 'the message has text');
      // The summary names the question, so its links are told apart, and gives the message.
      const question = lang === 'nb' ? 'Hvilket tema bør vi forske mer på?' : 'Which topic should we research more?';
      assert.equal(items[0].trim(), `${question} – ${text}`);
      // What a screen reader announces for the field: its name, and the message in its description.
      const description = await input.evaluate((el) =>
        el.getAttribute('aria-describedby').split(/\s+/).map((id) => document.getElementById(id).textContent).join(' '),
      );
      assert.ok(description.includes(text));
      for (const other of ['#q-omrade-2', '#q-bruk-av-forskning-4', '#q-utfordring']) {
        assert.equal(await page.locator(other).getAttribute('aria-invalid'), null, `${other} is not marked invalid`);
      }

      // The link in the summary takes keyboard focus to the field.
      await summary.locator('li a').focus();
      await page.keyboard.press('Enter');
      assert.equal((await focused(page)).name, 'q-tema');

      // Correcting it clears the errors on the next send.
      await page.keyboard.type('Klima');
      await Promise.all([page.waitForURL(/\?receipt=/, { timeout: TIMEOUT }), page.keyboard.press('Enter')]);
    } finally {
      await page.close();
    }
  });
}

test('no page in this file made a request to another origin', () => {
  assertOnlyOwnOrigin(assert, context);
});
