// The page's Audit button (www/), in headless Chromium with the real wasm core: a whole export in the
// editor is audited (in the worker when it is big), the problems panel lists the cross-object findings
// first as a group, a finding's related button jumps to its other end and its line button back, and the
// summary panel shows the per-pool table, the endpoints without Pods and the repairs, all equal to what
// the package's audit() returns for the same text. Saves target/audit.png. Both files of tests/browser/
// build www/dist in their `before`: `make test-browser` runs them one after the other.
//
//   node --test tests/browser/audit.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const WWW = join(ROOT, 'www');
const TARGET = join(ROOT, 'target');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const { chromium } = createRequire(join(WWW, 'package.json'))('playwright-core');
const { serve } = await import(pathToFileURL(join(WWW, 'serve.mjs')).href);
const se = await import(pathToFileURL(join(ROOT, 'pkg', 'index.mjs')).href);

const FIXTURE = readFileSync(join(ROOT, 'tests/fixtures/audit/ep4-leaked-endpoint.yaml'), 'utf8');
let server;
let url;
let browser;
let page;
const problems = [];

async function setText(text) {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(text);
}

async function audit() {
  await page.evaluate(() => { document.querySelector('#status-lint').dataset.audit = ''; });
  await page.locator('#audit').click();
  await page.waitForSelector('#status-lint[data-audit="true"]', { timeout: 60_000 });
}

const cursor = () => page.locator('#status-cursor').textContent();

before(async () => {
  assert.ok(existsSync(CHROMIUM), `${CHROMIUM} is missing`);
  const env = { ...process.env };
  delete env.SE_WASM_DIR;
  execFileSync(process.execPath, [join(WWW, 'build.mjs')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  ({ server, url } = await serve({ port: 0 }));
  browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, timeout: 60_000,
    args: ['--no-sandbox', '--headless', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  context.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(url);
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  await browser?.close();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve()));
});

describe('the page audits an export', { timeout: 240_000 }, () => {
  test('Audit: grouped findings equal to the core\'s, both ends reachable, the per-pool summary', async () => {
    await setText(FIXTURE);
    await audit();
    const want = se.audit([{ name: 'editor', text: FIXTURE }]);
    const report = want.files[0].report;
    const all = [...report.diagnostics, ...report.documents.flatMap((d) => d.diagnostics)];
    const cross = all.filter((d) => d.related && d.related.length);
    const own = all.filter((d) => !(d.related && d.related.length));
    assert.ok(cross.length > 0 && own.length > 0, 'the fixture has findings of both kinds');

    // Groups: across objects first, then per object, each with its count.
    const groups = await page.locator('#problems tr.problem-group').evaluateAll((rows) => rows.map((r) => [r.dataset.group, r.textContent]));
    assert.deepEqual(groups.map((g) => g[0]), ['cross', 'object']);
    assert.match(groups[0][1], new RegExp(`\\(${cross.length}\\)$`));
    assert.match(groups[1][1], new RegExp(`\\(${own.length}\\)$`));
    const rows = await page.locator('#problems tr.problem').evaluateAll((rs) => rs.map((r) => `${r.dataset.code}@${r.dataset.line}:${r.dataset.column}`));
    const key = (d) => `${d.code}@${d.line}:${d.column}`;
    assert.deepEqual(rows.slice(0, cross.length).sort(), cross.map(key).sort());
    assert.deepEqual(rows.slice(cross.length).sort(), own.map(key).sort());
    assert.equal(await page.locator('#problems-title').textContent(), 'Problems (audit)');

    // One end, then the other: the related button goes to the other object, the line button back.
    const d = cross[0];
    const r = d.related[0];
    const row = page.locator(`#problems tr.problem[data-code="${d.code}"][data-line="${d.line}"]`);
    await row.locator('.related-button').first().click();
    assert.equal(await cursor(), `Ln ${r.line}, Col ${r.column}`);
    await row.locator('.jump-button').click();
    assert.equal(await cursor(), `Ln ${d.line}, Col ${d.column}`);

    // The summary view: the core's table, orphans and repairs.
    assert.equal(await page.locator('#audit-panel').isVisible(), true);
    const table = await page.locator('#audit-pools tbody tr').evaluateAll((rs) => rs.map((x) => [...x.cells].map((c) => c.textContent)));
    const list = (ips) => (ips.length ? ips.join(', ') : '0');
    assert.deepEqual(table, want.summary.poolTable.map((p) => [p.name, `${p.allocated} / ${p.total ?? '?'}`, list(p.leaked), list(p.stale), list(p.conflicting)]));
    assert.ok(want.summary.namespaces.length > 0);
    const orphans = await page.locator('#audit-orphans').textContent();
    for (const n of want.summary.namespaces) for (const e of n.endpointsWithoutPods) assert.ok(orphans.includes(e), orphans);
    const repairs = await page.locator('#audit-repairs').textContent();
    for (const rep of want.summary.repairs) for (const c of rep.commands) assert.ok(repairs.includes(c), repairs);
    // The status bar counts the lines of this text (the live check of the same text updates it, not the panel).
    await page.waitForFunction((n) => document.querySelector('#status-docs').textContent.startsWith(`${n} lines`), FIXTURE.split('\n').length);
    assert.equal(await page.locator('#problems-title').textContent(), 'Problems (audit)');
    mkdirSync(TARGET, { recursive: true });
    await page.screenshot({ path: join(TARGET, 'audit.png') });
  });

  test('editing the text returns the panel to validate; a big export is audited in the worker', async () => {
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('\n# edited\n');
    await page.waitForFunction(() => document.querySelector('#problems-title').textContent === 'Problems');
    // ~300,000 characters: above the page's worker threshold.
    const big = `${FIXTURE}${`# ${'x'.repeat(998)}\n`.repeat(300)}`;
    await setText(big);
    await audit();
    assert.equal(await page.locator('#status-lint').getAttribute('data-audit-where'), 'worker');
    const want = se.audit([{ name: 'editor', text: big }]).summary.poolTable;
    assert.equal(await page.locator('#audit-pools tbody tr').count(), want.length);
    assert.deepEqual(problems, []);
  });
});
