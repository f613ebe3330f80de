// What every browser test file shares: where the site is, how Chromium is started, and a record
// of every request a page makes (the privacy check). run.sh starts the servers and sets the
// TORGET_BROWSER_* variables; see run.sh.
import fs from 'node:fs';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

/** The served site's origin, e.g. `http://127.0.0.1:40123`. */
export const SITE_URL = required('TORGET_BROWSER_URL');
/** The built site's folder (every page as a file). */
export const SITE_DIR = required('TORGET_BROWSER_SITE');
/** Where reports (weights, …) go; run.sh prints every `*.txt` in it after the tests. */
export const OUT_DIR = process.env.TORGET_BROWSER_OUT || path.resolve('target/browser');
export const SCREENSHOT_DIR = process.env.TORGET_SCREENSHOTS || path.resolve('target/screenshots');

/** Bounds every wait: a test fails with a message rather than hanging. */
export const TIMEOUT = 15_000;

function required(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set: run the browser tests with \`bash tests/browser/run.sh\``);
  }
  return value;
}

export function url(p) {
  return new URL(p, SITE_URL).href;
}

// Playwright gives every launch a fresh temporary profile (its own --user-data-dir) and
// refuses the flag in `args`; the other flags keep Chromium off the network it would otherwise
// call home to, which this machine does not have.
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    timeout: 30_000,
  });
}

/**
 * A fresh browser context whose every request is recorded. Requests to any origin but the site's
 * are recorded and then aborted, so a page that would leak a visitor to a third party fails the
 * privacy check instead of hanging on a network this machine does not have.
 */
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'nb-NO', ...options });
  context.setDefaultTimeout(TIMEOUT);
  context.setDefaultNavigationTimeout(TIMEOUT);
  const site = new URL(SITE_URL).origin;
  context.foreign = [];
  context.on('request', (request) => {
    const target = request.url();
    if (target.startsWith('data:') || target.startsWith('blob:') || target === 'about:blank') return;
    if (new URL(target).origin !== site) {
      context.foreign.push({ from: request.frame()?.url() ?? '?', to: target });
    }
  });
  await context.route(
    (u) => !['data:', 'blob:', 'about:'].includes(u.protocol) && u.origin !== site,
    (route) => route.abort('blockedbyclient'),
  );
  return context;
}

/** Fails when a context sent any request to another origin. */
export function assertOnlyOwnOrigin(assert, context) {
  assert.deepEqual(
    context.foreign,
    [],
    `pages made requests to other origins:\n${context.foreign.map((r) => `  ${r.from} -> ${r.to}`).join('\n')}`,
  );
}

/**
 * Opens a page and fails unless it answered with `status`; with `ready`, also waits until an
 * element matching that selector is visible.
 */
export async function visit(page, p, { status = 200, ready } = {}) {
  const response = await page.goto(url(p), { waitUntil: 'load' });
  if (!response) throw new Error(`no response for ${p}`);
  if (response.status() !== status) {
    throw new Error(`${p} answered ${response.status()}, expected ${status}`);
  }
  if (ready) await page.locator(ready).first().waitFor({ state: 'visible', timeout: TIMEOUT });
  return response;
}

export function writeReport(name, text) {
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.writeFileSync(path.join(OUT_DIR, name), text);
}

const VNU_JAR = path.join(path.dirname(createRequire(import.meta.url).resolve('vnu-jar/package.json')), 'build/dist/vnu.jar');

/** Runs the checker over folders; resolves to its messages (errors only). */
export function vnu(...folders) {
  return new Promise((resolve, reject) => {
    execFile(
      'java',
      ['-Xss4m', '-jar', VNU_JAR, '--errors-only', '--format', 'json', '--skip-non-html', '--also-check-css', ...folders],
      { timeout: 180_000, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        // The checker writes its JSON report to stderr and exits 1 when it found errors.
        try {
          resolve(JSON.parse(stderr).messages);
        } catch {
          reject(error || new Error(`the checker wrote no JSON report:\n${stderr}\n${stdout}`));
        }
      },
    );
  });
}

const AXE_SOURCE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe on the page as it is now; resolves to readable lines, one per failing element. */
export async function axeViolations(page) {
  await page.addScriptTag({ content: AXE_SOURCE });
  const violations = await page.evaluate(
    (tags) =>
      window.axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) => r.violations),
    WCAG_21_AA,
  );
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}): ${v.help}\n      at ${n.target.join(' ')}\n      ${n.failureSummary.replace(/\n/g, '\n      ')}`),
  );
}
