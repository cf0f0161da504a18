// The page's Audit button (www/), in headless Chromium with the real wasm core: a whole export in the
// editor is audited (in the worker when it is big), the problems panel lists the cross-object findings
// first as a group, a finding's related button jumps to its other end and its line button back, and the
// summary panel shows the per-pool table, the endpoints without Pods and the repairs, all equal to what
// the package's audit() returns for the same text. Saves target/audit.png. Both tests of tests/browser/
// build www/dist in their `before` (startSite, helpers.mjs): `make test-browser` runs them one after the other.
//
//   node --test tests/browser/audit.test.mjs
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, TARGET, startSite } from './helpers.mjs';

const se = await import(pathToFileURL(join(ROOT, 'pkg', 'index.mjs')).href);

const FIXTURE = readFileSync(join(ROOT, 'tests/fixtures/audit/ep4-leaked-endpoint.yaml'), 'utf8');
let site;
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
  site = await startSite();
  const context = await site.browser.newContext({ viewport: { width: 1400, height: 900 } });
  context.on('console', (m) => { if (m.type() === 'error') problems.push(`console.error: ${m.text()}`); });
  context.on('weberror', (e) => problems.push(`pageerror: ${e.error().message}`));
  page = await context.newPage();
  page.setDefaultTimeout(20_000);
  await page.goto(site.url);
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  await site?.close();
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

  test('a settings change audits again: the panel is marked out of date, then shows the new settings\' result', async () => {
    // The gateway allocated: errors for today's releases, infos for 0.4 (legal before 0.5.0).
    const text = readFileSync(join(ROOT, 'tests/fixtures/audit/p6-gateway-allocated.yaml'), 'utf8');
    await page.selectOption('#release', '');
    await setText(text);
    await audit();
    const severities = () => page.locator('#problems tr.problem').evaluateAll((rs) => rs.map((r) => `${r.dataset.code}:${r.dataset.severity}`).sort());
    const expected = (options) => {
      const rep = se.audit([{ name: 'editor', text }], options).files[0].report;
      return [...rep.diagnostics, ...rep.documents.flatMap((d) => d.diagnostics)].map((d) => `${d.code}:${d.severity}`).sort();
    };
    const before = expected({});
    const after04 = expected({ spiderpoolVersion: '0.4' });
    assert.notDeepEqual(before, after04, 'the release changes the findings');
    assert.deepEqual(await severities(), before);
    const settings = await page.locator('#status-lint').getAttribute('data-audit-settings');

    // Nothing but the release changes: the audit runs again by itself.
    await page.evaluate(() => { document.querySelector('#status-lint').dataset.audit = ''; });
    await page.selectOption('#release', '0.4');
    await page.waitForSelector('#status-lint[data-audit="true"]', { timeout: 60_000 });
    const now = await page.locator('#status-lint').getAttribute('data-audit-settings');
    assert.notEqual(now, settings);
    assert.equal(JSON.parse(now).spiderpoolVersion, '0.4');
    assert.deepEqual(await severities(), after04);
    assert.equal(await page.locator('#audit-panel').getAttribute('data-stale'), null);
    assert.equal(await page.locator('#problems-title').textContent(), 'Problems (audit)');

    // Field validation too (an unknown field in the pool: an error under strict, not under ignore).
    const unknown = text.replace('  spec:\n', '  spec:\n    notAField: 1\n');
    assert.notEqual(unknown, text);
    await page.selectOption('#release', '');
    await setText(unknown);
    await audit();
    const strict = (() => { const r = se.audit([{ name: 'editor', text: unknown }], {}).files[0].report; return [...r.diagnostics, ...r.documents.flatMap((d) => d.diagnostics)]; })();
    const ignored = (() => { const r = se.audit([{ name: 'editor', text: unknown }], { fieldValidation: 'ignore' }).files[0].report; return [...r.diagnostics, ...r.documents.flatMap((d) => d.diagnostics)]; })();
    assert.notDeepEqual(strict.map((d) => `${d.code}:${d.severity}`).sort(), ignored.map((d) => `${d.code}:${d.severity}`).sort());
    await page.evaluate(() => { document.querySelector('#status-lint').dataset.audit = ''; });
    await page.selectOption('#field-validation', 'ignore');
    // Out of date at once (the audit under way replaces it).
    await page.waitForSelector('#status-lint[data-audit="true"]', { timeout: 60_000 });
    assert.deepEqual(await severities(), ignored.map((d) => `${d.code}:${d.severity}`).sort());
    await page.selectOption('#field-validation', 'strict');
    await page.waitForFunction(() => JSON.parse(document.querySelector('#status-lint').dataset.auditSettings || '{}').fieldValidation === 'strict', null, { timeout: 60_000 });
    // With the summary closed, a settings change gives the problems panel back to the live check.
    await page.locator('#close-audit').click();
    await page.selectOption('#field-validation', 'warn');
    await page.waitForFunction(() => document.querySelector('#problems-title').textContent === 'Problems');
    await page.selectOption('#field-validation', 'strict');
    assert.deepEqual(problems, []);
  });

  test('an export above the editor\'s 32 MiB is audited from its bytes, not opened; Open… of one does the same', async () => {
    // The fixture as a List, then Pods of ~5 KB (as real ones are) up to ~36 MB.
    const base = FIXTURE.replace(/^#.*\n/gm, '');
    const pod = (i) => `- apiVersion: v1
  kind: Pod
  metadata:
    annotations:
      note: ${'x'.repeat(4800)}
    name: filler-${i}
    namespace: other
    uid: ${String(i).padStart(8, '0')}-0000-4000-8000-000000000000
  spec:
    containers:
    - image: busybox
      name: c
    nodeName: node-2
  status:
    phase: Running
`;
    // The Pods go after the List's last item (before its closing `metadata:`).
    const end = base.lastIndexOf('\nmetadata:') + 1;
    assert.ok(end > 0);
    const parts = [base.slice(0, end)];
    let bytes = 0;
    for (let i = 0; bytes < 36 * 1048576; i++) {
      parts.push(Array.from({ length: 100 }, (_, k) => pod(i * 100 + k)).join(''));
      bytes += parts[parts.length - 1].length;
    }
    parts.push(base.slice(end));
    const text = parts.join('');
    assert.ok(text.length > 32 * 1048576);
    const file = join(TARGET, 'big-export.yaml');
    mkdirSync(TARGET, { recursive: true });
    writeFileSync(file, text);
    const want = se.audit([{ name: 'big-export.yaml', text }]);
    const rep = want.files[0].report;
    const all = [...rep.diagnostics, ...rep.documents.flatMap((d) => d.diagnostics)];
    assert.ok(all.some((d) => d.related && d.related.length), 'cross-object findings');
    assert.ok(want.summary.pods > 7000);

    await page.selectOption('#release', '');
    await setText('kind: SpiderEndpoint\n');
    const editorText = () => page.locator('.cm-content').textContent();
    // (the editor's DOM catches up with the keys a little later)
    for (let i = 0; i < 100 && (await editorText()) !== 'kind: SpiderEndpoint'; i++) await page.waitForTimeout(50);
    const editorBefore = await editorText();
    assert.equal(editorBefore, 'kind: SpiderEndpoint');
    const check = async () => {
      assert.equal(await page.locator('#problems-title').textContent(), 'Problems (audit of big-export.yaml)');
      const rows = await page.locator('#problems tr.problem').evaluateAll((rs) => rs.map((r) => `${r.dataset.code}@${r.dataset.line}:${r.dataset.column}`));
      assert.deepEqual(rows.sort(), all.map((d) => `${d.code}@${d.line}:${d.column}`).sort());
      // The other end is named by file and place (the file is not in the editor: nothing to jump to).
      const related = await page.locator('#problems .msg-related').allTextContents();
      const r = all.find((d) => d.related && d.related.length).related[0];
      assert.ok(related.some((t) => t.includes(`big-export.yaml:${r.line}:${r.column}`)), related.join('\n'));
      assert.equal(await page.locator('#problems .jump-button').count(), 0);
      assert.match(await page.locator('#audit-source').textContent(), /^Of big-export\.yaml \(3\d\.\d MiB\), read as bytes and not opened in the editor\.$/);
      assert.match(await page.locator('#audit-objects').textContent(), new RegExp(`^${want.summary.pods.toLocaleString('en-US')} Pods`));
      const table = await page.locator('#audit-pools tbody tr').evaluateAll((rs) => rs.map((x) => x.cells[0].textContent));
      assert.deepEqual(table, want.summary.poolTable.map((p) => p.name));
      assert.equal(await editorText(), editorBefore, 'the editor keeps its text');
      assert.equal(await page.locator('#status-lint').getAttribute('data-audit-where'), 'worker');
    };
    await page.evaluate(() => { document.querySelector('#status-lint').dataset.audit = ''; });
    await page.locator('#audit-file').setInputFiles(file);
    await page.waitForSelector('#status-lint[data-audit="true"]', { timeout: 120_000 });
    await check();

    // A settings change audits the file again.
    await page.evaluate(() => { document.querySelector('#status-lint').dataset.audit = ''; });
    await page.selectOption('#release', '0.4');
    await page.waitForSelector('#status-lint[data-audit="true"]', { timeout: 120_000 });
    assert.equal(JSON.parse(await page.locator('#status-lint').getAttribute('data-audit-settings')).spiderpoolVersion, '0.4');
    await page.selectOption('#release', '');
    await page.waitForFunction(() => !JSON.parse(document.querySelector('#status-lint').dataset.auditSettings || '{}').spiderpoolVersion, null, { timeout: 120_000 });

    // Open… (or a drop) of a file above the editor's budget audits it the same way.
    await page.evaluate(() => { document.querySelector('#status-lint').dataset.audit = ''; });
    await page.locator('#file').setInputFiles(file);
    await page.waitForSelector('#status-lint[data-audit="true"]', { timeout: 120_000 });
    await check();
    assert.match(await page.locator('#toast').textContent(), /Audit of big-export\.yaml|more than the editor holds/);
    rmSync(file, { force: true });
    assert.deepEqual(problems, []);
  });
});
