// Shared by the tests of tests/browser/ and tests/bundlers/ (this file is not a test: node --test runs only
// *.test.mjs): Debian's Chromium launched headless through playwright-core, and the page (www/) built from
// its sources and served on a free port.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const WWW = join(ROOT, 'www');
export const TARGET = join(ROOT, 'target');
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

function assertChromium() {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing (scripts/setup.sh installs Debian's chromium)`);
}

/**
 * Launches CHROMIUM headless with `chromium`, playwright-core's BrowserType from the caller's own install
 * (www's, or tests/bundlers'). Resolves to the Browser.
 */
export function launchChromium(chromium) {
  assertChromium();
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    timeout: 60_000,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/**
 * Builds www/dist from the sources with the real wasm of pkg/dist/web (never SE_WASM_DIR's), serves it on a
 * free port (www/serve.mjs) and launches Chromium (www's playwright-core). Resolves to
 * { url, browser, close() }; close() closes the browser, then the server.
 */
export async function startSite() {
  assertChromium();
  assert.ok(existsSync(join(ROOT, 'pkg/dist/web/spiderendpoint_bg.wasm')), 'pkg/dist/web is missing: run scripts/build.sh first');
  const env = { ...process.env };
  delete env.SE_WASM_DIR;
  execFileSync(process.execPath, [join(WWW, 'build.mjs')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const { serve } = await import(pathToFileURL(join(WWW, 'serve.mjs')).href);
  const { chromium } = createRequire(join(WWW, 'package.json'))('playwright-core');
  const { server, url } = await serve({ port: 0 });
  const closeServer = () => new Promise((resolve) => server.close(resolve));
  let browser;
  try {
    browser = await launchChromium(chromium);
  } catch (err) {
    await closeServer();
    throw err;
  }
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await closeServer();
    },
  };
}
