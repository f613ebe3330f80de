// Headless Chromium for the tests: the Debian package, never a downloaded browser, in a fresh
// profile, with nothing that talks to the network on its own.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const SITE = process.env.SITE_URL;
if (!SITE) throw new Error('SITE_URL is not set; run tests/browser/run.sh');

// A browser context in a fresh profile; `options` as for Playwright's contexts.
export async function launch(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'torget-chromium-'));
  // Playwright passes the profile to Chromium as --user-data-dir.
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    ...options,
  });
  const close = context.close.bind(context);
  context.close = async () => {
    await close();
    rmSync(profile, { recursive: true, force: true });
  };
  return context;
}
