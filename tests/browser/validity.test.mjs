// HTML validity: the Nu Html Checker (vnu.jar, the W3C validator run locally) over every page of the
// built site, its stylesheet, and the pages the feedback endpoint makes for residents without
// JavaScript (thank-you with a receipt, withdrawn, problems): zero errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SITE_DIR, url, vnu } from './harness.mjs';
import { OPEN_CALL, CLOSED_CALL, SAMPLE_RECEIPT } from './pages.mjs';

/** What a resident without JavaScript gets from the endpoint, saved as files for the checker. */
async function endpointPages(dir) {
  const origin = new URL(url('/')).origin;
  const form = (fields) => ({
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'text/html', Origin: origin },
    body: new URLSearchParams(fields).toString(),
    signal: AbortSignal.timeout(15_000),
  });
  const pages = {
    'thanks-nb': [url(`/api/calls/${OPEN_CALL}/thanks?lang=nb&receipt=${SAMPLE_RECEIPT}`), undefined, 200],
    'thanks-en': [url(`/api/calls/${OPEN_CALL}/thanks?lang=en&receipt=${SAMPLE_RECEIPT}`), undefined, 200],
    'thanks-bad-receipt': [url(`/api/calls/${OPEN_CALL}/thanks?lang=nb&receipt=%3Cb%3E`), undefined, 200],
    'withdrawn-nb': [url(`/api/withdrawn?lang=nb&call=${OPEN_CALL}`), undefined, 200],
    'withdrawn-en': [url(`/api/withdrawn?lang=en&call=${OPEN_CALL}`), undefined, 200],
    'problems-nb': [url(`/api/calls/${OPEN_CALL}/responses`), form({ lang: 'nb', website: '', utfordring: 'x' }), 422],
    'problems-en': [url(`/api/calls/${OPEN_CALL}/responses`), form({ lang: 'en', website: '', omrade: 'Nope' }), 422],
    'closed-call': [url(`/api/calls/${CLOSED_CALL}/responses`), form({ lang: 'nb', website: '' }), 409],
    'unknown-receipt': [url('/api/withdraw'), form({ lang: 'en', receipt: SAMPLE_RECEIPT, call: OPEN_CALL }), 404],
    'missing-receipt': [url('/api/withdraw'), form({ lang: 'nb', receipt: '' }), 400],
  };
  for (const [name, [address, init, status]] of Object.entries(pages)) {
    const response = await fetch(address, init ?? { signal: AbortSignal.timeout(15_000) });
    assert.equal(response.status, status, `${name}: ${address}`);
    assert.match(response.headers.get('content-type'), /^text\/html/, `${name} is a page`);
    fs.writeFileSync(path.join(dir, `${name}.html`), await response.text());
  }
}

test('every built page, the stylesheet and the endpoint pages are valid HTML (Nu Html Checker)', async () => {
  const endpointDir = fs.mkdtempSync(path.join(os.tmpdir(), 'torget-vnu-'));
  try {
    await endpointPages(endpointDir);
    const pages = fs.readdirSync(SITE_DIR, { recursive: true }).filter((f) => f.endsWith('.html'));
    assert.ok(pages.length > 50, `the built site has its pages (${pages.length})`);
    const messages = await vnu(SITE_DIR, endpointDir);
    const errors = messages
      .filter((m) => m.type === 'error' || m.subType === 'fatal')
      .map((m) => {
        const where = m.url.replace(`file:${SITE_DIR}`, '').replace(`file:${endpointDir}/`, 'endpoint: ');
        return `${where}:${m.lastLine}:${m.firstColumn ?? ''} ${m.message}\n      ${(m.extract ?? '').replace(/\n/g, ' ')}`;
      });
    assert.deepEqual(errors, [], `the checker found ${errors.length} errors:\n  ${errors.join('\n  ')}`);
    // The checker says which files it could not check; none of ours may be among them.
    const skipped = messages.filter((m) => m.type === 'non-document-error');
    assert.deepEqual(skipped, []);
  } finally {
    fs.rmSync(endpointDir, { recursive: true, force: true });
  }
});

test('the checker finds errors when there are some', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'torget-vnu-'));
  try {
    fs.writeFileSync(path.join(dir, 'broken.html'), '<!DOCTYPE html><html lang="nb"><title>x</title><p><div></span>');
    const messages = await vnu(dir);
    assert.ok(messages.some((m) => m.type === 'error' && /span/.test(m.message)), JSON.stringify(messages));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
