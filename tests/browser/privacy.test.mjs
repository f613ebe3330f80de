// Privacy: a visitor's browser talks to the site's own origin and to nothing else. Every page type
// in both languages is opened with JavaScript, scrolled to the end and its form focused; every
// request is recorded. The built HTML and CSS are also searched for resources on other hosts, so
// pages the browser did not visit are covered too.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { launch, newContext, visit, assertOnlyOwnOrigin, SITE_DIR, TIMEOUT } from './harness.mjs';
import { everyPage } from './pages.mjs';

let browser;
let context;
before(async () => {
  browser = await launch();
  context = await newContext(browser);
});
after(async () => {
  await browser?.close();
});

test('no page makes a request to any origin but its own', async () => {
  const page = await context.newPage();
  const requested = new Set();
  page.on('request', (request) => requested.add(request.url()));
  for (const { path: p, status, ready } of everyPage()) {
    await visit(page, p, { status, ready });
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    const field = page.locator('form.answer-form input:visible').first();
    if (await field.count()) await field.focus();
    await page.waitForLoadState('networkidle', { timeout: TIMEOUT });
  }
  await page.close();
  assert.ok(requested.size > everyPage().length, 'the pages and their files were requested');
  assertOnlyOwnOrigin(assert, context);
});

test('the check sees a request to another origin', async () => {
  const other = await newContext(browser);
  const page = await other.newPage();
  await page.setContent('<img src="http://tracker.example/pixel.gif" alt="">', { waitUntil: 'load' });
  await other.close();
  assert.deepEqual(other.foreign.map((r) => r.to), ['http://tracker.example/pixel.gif']);
});

test('the built pages load nothing from another host', () => {
  // Attributes that make a browser fetch something, and CSS url()s; links to read elsewhere
  // (<a href>) are fine, and so are the canonical and alternate links, which are never fetched.
  const fetching = [
    /<(?:script|img|iframe|audio|video|source|track|embed|input)\b[^>]*?\s(?:src|srcset|poster)=["']?(?:https?:)?\/\/[^\s"'>]+/gi,
    /<link\b(?=[^>]*\brel=["']?(?:stylesheet|preload|prefetch|preconnect|dns-prefetch|modulepreload|icon|manifest)\b)[^>]*\shref=["']?(?:https?:)?\/\/[^\s"'>]+/gi,
    /<object\b[^>]*\sdata=["']?(?:https?:)?\/\/[^\s"'>]+/gi,
    /url\(\s*["']?(?:https?:)?\/\/[^)]+\)/gi,
    /@import\s+["'](?:https?:)?\/\//gi,
  ];
  const found = [];
  for (const file of fs.readdirSync(SITE_DIR, { recursive: true })) {
    if (!/\.(html|css)$/.test(file)) continue;
    const text = fs.readFileSync(path.join(SITE_DIR, file), 'utf8');
    for (const pattern of fetching) {
      for (const match of text.matchAll(pattern)) found.push(`${file}: ${match[0].slice(0, 160)}`);
    }
  }
  assert.deepEqual(found, []);
});
