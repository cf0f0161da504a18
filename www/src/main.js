// The page: editor + problems panel + actions (normalize, convert, fixes, open, download, share, examples).
// Every piece of document data is rendered as text (see dom.js): no innerHTML anywhere.
import { EditorView } from '@codemirror/view';
import { Core, CoreCrash } from './core.js';
import { createEditor } from './editor.js';
import { lintDriver } from './lint.js';
import { h, $, clear, plural, showValue, richText } from './dom.js';
import { encodeDocument, decodeDocument, readHash, makeHash, MAX_SHARED_BYTES, SharedDocumentTooBig } from './share.js';
import exValid from '../examples/valid-v2beta1.yaml';
import exInvalid from '../examples/invalid-v2beta1.yaml';
import exV1 from '../examples/v1.yaml';
import exList from '../examples/list.yaml';

const EXAMPLES = {
  'valid-v2beta1': { text: exValid, file: 'valid-v2beta1.yaml', label: 'Valid v2beta1 endpoint' },
  'invalid-v2beta1': { text: exInvalid, file: 'invalid-v2beta1.yaml', label: 'Invalid endpoint' },
  v1: { text: exV1, file: 'v1.yaml', label: 'v1 endpoint (Spiderpool 0.3)' },
  list: { text: exList, file: 'list.yaml', label: 'List (kubectl get se -A -o yaml)' },
};
const DEFAULT_EXAMPLE = 'invalid-v2beta1';
const PROBLEM_PAGE = 200;
const MAX_CHANGE_ROWS = 500;
/** The editor's budget (the core's validate budget too); an export above it is audited without the editor. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;
const MAX_SHARE_CHARS = 2_000_000;
const DRAFT_KEY = 'spiderendpoint.draft';

const ui = {
  editor: $('#editor'),
  release: $('#release'),
  yamlVersion: $('#yaml-version'),
  fieldValidation: $('#field-validation'),
  examples: $('#examples'),
  open: $('#open'),
  file: $('#file'),
  normalize: $('#normalize'),
  audit: $('#audit'),
  auditFileButton: $('#audit-file-button'),
  auditFile: $('#audit-file'),
  auditSource: $('#audit-source'),
  auditPanel: $('#audit-panel'),
  auditObjects: $('#audit-objects'),
  auditPools: $('#audit-pools tbody'),
  auditOrphans: $('#audit-orphans'),
  auditRepairs: $('#audit-repairs'),
  closeAudit: $('#close-audit'),
  problemsTitle: $('#problems-title'),
  toV1: $('#to-v1'),
  toV2: $('#to-v2beta1'),
  lossless: $('#lossless'),
  dropUnknown: $('#drop-unknown'),
  download: $('#download'),
  share: $('#share'),
  problemsBody: $('#problems tbody'),
  problemsTable: $('#problems'),
  problemsEmpty: $('#problems-empty'),
  problemsMore: $('#problems-more'),
  problemCounts: $('#problem-counts'),
  changesPanel: $('#changes-panel'),
  changesTitle: $('#changes-title'),
  changesSummary: $('#changes-summary'),
  changesList: $('#changes'),
  changesDiags: $('#changes-diagnostics'),
  closeChanges: $('#close-changes'),
  cursor: $('#status-cursor'),
  docs: $('#status-docs'),
  lintStatus: $('#status-lint'),
  coreVersion: $('#core-version'),
  announce: $('#announce'),
  toast: $('#toast'),
  dropOverlay: $('#drop-overlay'),
  banner: $('#banner'),
  bannerText: $('#banner-text'),
  bannerClose: $('#banner-close'),
  checkFailed: $('#check-failed'),
  checkFailedText: $('#check-failed-text'),
  checkAgain: $('#check-again'),
};

let core = null;
let view = null;
let lintCompartment = null;
let lintPlugin = null;
let fileName = null;
let busy = false;

// ---------------------------------------------------------------- notifications

let toastTimer = null;
function notify(message, kind = 'info') {
  ui.announce.textContent = message;
  ui.toast.textContent = message;
  ui.toast.className = `toast show toast-${kind}`;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { ui.toast.className = 'toast'; }, kind === 'error' ? 8000 : 4000);
}

function showBanner(message) {
  ui.bannerText.textContent = message;
  ui.banner.hidden = false;
}

function hideBanner() {
  ui.banner.hidden = true;
}

/** The problems panel says the last check failed (and why) until a check succeeds. */
function showCheckFailed(err) {
  const crashed = err instanceof CoreCrash;
  ui.checkFailedText.textContent = crashed
    ? `The last check failed. ${err.message} The problems listed are from the check before.`
    : `The last check failed: ${err.message}`;
  ui.checkFailed.hidden = false;
  ui.lintStatus.textContent = crashed ? 'check failed (checker restarted)' : 'check failed';
  ui.lintStatus.dataset.failed = crashed ? err.reason : 'error';
  notify(crashed ? `The check failed: ${err.message}` : `The checker failed: ${err.message}`, 'error');
}

// ---------------------------------------------------------------- options

// The defaults of the reading selectors (the core's defaults: kubectl's reading, strict field validation).
const DEFAULT_YAML_VERSION = '1.1';
const DEFAULT_FIELD_VALIDATION = 'strict';

/** ValidateOptions from the toolbar (normalize and convert take its reading fields, without fieldValidation). */
function validateOptions() {
  const options = { yamlVersion: ui.yamlVersion.value, fieldValidation: ui.fieldValidation.value };
  const v = ui.release.value;
  if (v) options.spiderpoolVersion = v;
  return options;
}

/** Sets a selector to `value` if it is one of its options (else to `fallback`); true when it changed. */
function selectValue(select, value, fallback) {
  const next = value != null && [...select.options].some((o) => o.value === value) ? value : fallback;
  if (select.value === next) return false;
  select.value = next;
  return true;
}

// ---------------------------------------------------------------- problems panel

const SEVERITY_LABEL = { error: 'Error', warning: 'Warning', info: 'Info' };
// Each rule's documentation: its row in the README's rule table (RuleInfo.docs is this plus the code).
const RULE_DOCS = 'https://github.com/spiderendpoint/spiderendpoint#';

let problemList = { problems: [], documents: [], shown: 0, groups: null };

/** A problem of an audited file that is not in the editor: its places are shown, there is nothing to jump to. */
function fileProblemRow(p, file) {
  return h('tr', { class: `problem sev-${p.severity}`, dataset: { line: p.line, column: p.column, code: p.code, severity: p.severity } },
    h('td', { class: 'col-sev' }, h('span', { class: `sev-badge sev-${p.severity}` }, SEVERITY_LABEL[p.severity] || p.severity)),
    h('td', { class: 'col-code' }, h('a', {
      class: 'rule-link', href: `${RULE_DOCS}${p.code}`, target: '_blank', rel: 'noopener', title: `${p.rule || p.code}: documentation`,
    }, h('code', null, p.code))),
    h('td', { class: 'col-line' }, h('span', { class: 'file-place' }, `${p.line}:${p.column}`)),
    h('td', { class: 'col-msg' },
      h('span', { class: 'msg-text' }, richText(p.message)),
      p.name ? h('span', { class: 'msg-where' }, p.name) : null,
      p.path ? h('span', { class: 'msg-path' }, p.path) : null,
      ...(p.related || []).map((r) => h('span', { class: 'msg-related' }, `${r.message} (${r.file || file}:${r.line}:${r.column})`))),
    h('td', { class: 'col-fix' }));
}

function problemRow(p, multi, plugin) {
  const where = [];
  if (p.doc != null && multi) {
    const label = p.item != null ? `item ${p.item + 1}` : `document ${p.doc + 1}`;
    where.push(p.name ? `${label} · ${p.name}` : label);
  }
  const hasFix = p.fix && p.fix.edits && p.fix.edits.length;
  return h('tr', {
    class: `problem sev-${p.severity}`,
    dataset: { line: p.line, column: p.column, code: p.code, severity: p.severity },
    onclick: (e) => { if (!e.target.closest('.fix-button')) plugin.jumpTo(p); },
  },
  h('td', { class: 'col-sev' }, h('span', { class: `sev-badge sev-${p.severity}` }, SEVERITY_LABEL[p.severity] || p.severity)),
  h('td', { class: 'col-code' }, h('a', {
    class: 'rule-link', href: `${RULE_DOCS}${p.code}`, target: '_blank', rel: 'noopener',
    title: `${p.rule || p.code}: documentation`,
  }, h('code', null, p.code))),
  h('td', { class: 'col-line' }, h('button', {
    type: 'button', class: 'jump-button',
    'aria-label': `Go to line ${p.line}, column ${p.column}: ${p.code}`,
  }, `${p.line}:${p.column}`)),
  h('td', { class: 'col-msg' },
    h('span', { class: 'msg-text' }, richText(p.message)),
    where.length ? h('span', { class: 'msg-where' }, where.join(' ')) : null,
    p.path ? h('span', { class: 'msg-path' }, p.path) : null,
    // the other end of a duplicate: a button that jumps there (in this text; another file's is named)
    ...(p.related || []).map((r) => (r.file
      ? h('span', { class: 'msg-related' }, `${r.message} (${r.file}:${r.line}:${r.column})`)
      : h('button', {
        type: 'button', class: 'related-button',
        'aria-label': `Go to line ${r.line}, column ${r.column}: ${r.message}`,
        onclick: (e) => { e.stopPropagation(); plugin.jumpTo(r); },
      }, `${r.message} · ${r.line}:${r.column}`)))),
  h('td', { class: 'col-fix' }, hasFix
    ? h('button', {
      type: 'button', class: 'fix-button', title: p.fix.message.replace(/`/g, ''),
      'aria-label': `Apply fix: ${p.fix.message.replace(/`/g, '')}`,
      onclick: () => plugin.applyFix(p),
    }, 'Fix')
    : null));
}

/** Appends the next page of rows (a big List can have thousands of problems: rows are made on demand). */
function showMoreProblems() {
  const { problems, documents } = problemList;
  const plugin = view.plugin(lintPlugin);
  const multi = documents.length > 1;
  const end = Math.min(problems.length, problemList.shown + PROBLEM_PAGE);
  const frag = document.createDocumentFragment();
  for (let i = problemList.shown; i < end; i++) {
    // An audit's findings in groups: across objects (both ends named) first, then per object.
    const group = problemList.groups && problemList.groups.find((g) => g.start === i);
    if (group) {
      frag.appendChild(h('tr', { class: 'problem-group', dataset: { group: group.id } },
        h('th', { colspan: 5, scope: 'colgroup' }, `${group.label} (${group.count.toLocaleString('en-US')})`)));
    }
    frag.appendChild(problemList.file ? fileProblemRow(problems[i], problemList.file) : problemRow(problems[i], multi, plugin));
  }
  ui.problemsBody.appendChild(frag);
  problemList.shown = end;
  const rest = problems.length - end;
  ui.problemsMore.hidden = rest <= 0;
  ui.problemsMore.textContent = `Show ${Math.min(rest, PROBLEM_PAGE).toLocaleString('en-US')} more (${rest.toLocaleString('en-US')} not shown)`;
}

/** `file`: the name of an audited file that is not in the editor (its rows jump nowhere). */
function renderProblems(info, file = null) {
  const { summary, documents } = info;
  let { problems } = info;
  let groups = null;
  if (info.audit) {
    const cross = problems.filter((p) => p.related && p.related.length);
    const own = problems.filter((p) => !(p.related && p.related.length));
    problems = [...cross, ...own];
    groups = [
      { id: 'cross', label: 'Across objects: click either end to go there', start: 0, count: cross.length },
      { id: 'object', label: 'Per object', start: cross.length, count: own.length },
    ].filter((g) => g.count > 0);
  }
  ui.problemsTitle.textContent = file ? `Problems (audit of ${file})` : info.audit ? 'Problems (audit)' : 'Problems';
  problemList = { problems, documents, shown: 0, groups, file };
  clear(ui.problemsBody);
  showMoreProblems();
  ui.problemsTable.hidden = problems.length === 0;
  ui.problemsEmpty.hidden = problems.length !== 0;
  ui.problemsEmpty.textContent = summary && summary.documents === 0 ? 'No documents yet.' : 'No problems found.';

  const s = summary || { errors: 0, warnings: 0, infos: 0 };
  clear(ui.problemCounts).append(
    h('span', { class: 'count sev-error' }, plural(s.errors, 'error')),
    h('span', { class: 'count sev-warning' }, plural(s.warnings, 'warning')),
    h('span', { class: 'count sev-info' }, plural(s.infos, 'info', 'infos')));
}

function renderStatus(info) {
  ui.checkFailed.hidden = true;
  delete ui.lintStatus.dataset.failed;
  const s = info.summary;
  if (s) {
    const parts = [plural(info.lines, 'line'), plural(s.documents, 'document')];
    if (s.documents) parts.push(`${s.valid} valid, ${s.invalid} invalid${s.skipped ? `, ${s.skipped} skipped` : ''}`);
    ui.docs.textContent = parts.join(' · ');
  }
  ui.lintStatus.textContent = `checked in ${info.coreMs < 10 ? info.coreMs.toFixed(1) : Math.round(info.coreMs)} ms${info.where === 'worker' ? ' (worker)' : ''}`;
  Object.assign(ui.lintStatus.dataset, {
    seq: info.seq, where: info.where, coreMs: info.coreMs.toFixed(2), totalMs: info.totalMs.toFixed(2),
    errors: s ? s.errors : 0, warnings: s ? s.warnings : 0, chars: info.chars,
    // Why small documents are checked in the worker too ('' when they run in the page); see core.js.
    offMain: core.offMain ? core.offMain.reason : '',
    workerRestarts: core.restarts.worker, mainRestarts: core.restarts.main,
  });
  ui.lintStatus.title = core.offMain ? `Checks run in a worker: ${core.offMain.reason}.` : '';
}

function updateCursor(state) {
  const pos = state.selection.main.head;
  const line = state.doc.lineAt(pos);
  ui.cursor.textContent = `Ln ${line.number}, Col ${pos - line.from + 1}`;
}

// ---------------------------------------------------------------- documents in and out

function setDocument(text, { name = null, focus = false } = {}) {
  fileName = name;
  view.dispatch({
    changes: { from: 0, to: view.state.doc.length, insert: text },
    selection: { anchor: 0 },
    scrollIntoView: true,
    userEvent: 'input.replace',
  });
  view.scrollDOM.scrollTop = 0;
  view.plugin(lintPlugin)?.relint();
  if (focus) view.focus();
}

async function openFile(file) {
  if (!file) return;
  if (file.size > MAX_FILE_BYTES) {
    // Too big for the editor: a file this size is a cluster export, audited from its bytes.
    notify(`${file.name} is ${(file.size / 1048576).toFixed(1)} MiB, more than the editor holds (32 MiB): auditing it as a cluster export without opening it.`);
    runAudit({ file });
    return;
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text;
  let problem = null;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    text = new TextDecoder('utf-8').decode(bytes);
    let where = '';
    try {
      const first = (await core.validateBytes(bytes, validateOptions())).problems[0];
      if (first) where = ` (line ${first.line}: ${first.message})`;
    } catch { /* the message without a position is still useful */ }
    problem = `${file.name} is not valid UTF-8${where}; invalid bytes are shown as \uFFFD.`;
  }
  setDocument(text, { name: file.name, focus: true });
  if (problem) notify(problem, 'error');
  else notify(`Opened ${file.name}`);
}

function looksLikeJson(text) {
  return /^\s*[{[]/.test(text);
}

function download() {
  const text = view.state.doc.toString();
  const json = looksLikeJson(text);
  const base = (fileName || 'spiderendpoint').replace(/\.(ya?ml|json)$/i, '');
  const name = `${base}.${json ? 'json' : 'yaml'}`;
  const blob = new Blob([text], { type: json ? 'application/json' : 'application/yaml' });
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  notify(`Downloaded ${name}`);
}

async function share() {
  const text = view.state.doc.toString();
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > MAX_SHARED_BYTES) {
    notify(`This document is too big to share in a link (${(bytes / 1048576).toFixed(1)} MiB; links hold up to ${MAX_SHARED_BYTES / 1048576} MiB); download it instead.`, 'error');
    return;
  }
  const hash = makeHash({
    doc: await encodeDocument(text),
    release: ui.release.value || null,
    yaml: ui.yamlVersion.value !== DEFAULT_YAML_VERSION ? ui.yamlVersion.value : null,
    fields: ui.fieldValidation.value !== DEFAULT_FIELD_VALIDATION ? ui.fieldValidation.value : null,
  });
  if (hash.length > MAX_SHARE_CHARS) {
    notify(`This document is too big to share in a link (${Math.round(hash.length / 1024)} KB compressed); download it instead.`, 'error');
    return;
  }
  history.replaceState(null, '', hash);
  lastHash = location.hash;
  let copied = false;
  try { await navigator.clipboard.writeText(location.href); copied = true; } catch { /* not allowed: the URL bar has it */ }
  const size = hash.length < 2048 ? `${hash.length} characters` : `${Math.round(hash.length / 1024)} KB`;
  notify(copied ? `Link copied to the clipboard (${size}).` : `The link is in the address bar (${size}).`);
}

let lastHash = '';
async function loadFromHash() {
  if (location.hash === lastHash) return false;
  lastHash = location.hash;
  const { doc, release, yaml, fields } = readHash();
  if (!doc) {
    // Settings without a document: the ones given (and valid) apply to the editor's text.
    let changed = false;
    if (release) changed = selectValue(ui.release, release, ui.release.value) || changed;
    if (yaml) changed = selectValue(ui.yamlVersion, yaml, ui.yamlVersion.value) || changed;
    if (fields) changed = selectValue(ui.fieldValidation, fields, ui.fieldValidation.value) || changed;
    if (changed) {
      view.plugin(lintPlugin)?.relint();
      settingsChanged();
    }
    return false;
  }
  let text;
  try {
    text = await decodeDocument(doc, { limit: MAX_SHARED_BYTES });
  } catch (err) {
    const message = err instanceof SharedDocumentTooBig
      ? `The shared link was not loaded: its document is bigger than ${MAX_SHARED_BYTES / 1048576} MiB once decompressed `
        + '(links made by this page are much smaller). The editor keeps its previous text.'
      : 'The shared link was not loaded: it is damaged and its document could not be decoded. The editor keeps its previous text.';
    showBanner(message);
    notify(message, 'error');
    return false;
  }
  hideBanner();
  // The document is shown as its sender saw it: the link's settings, the defaults for those it leaves out.
  selectValue(ui.release, release, '');
  selectValue(ui.yamlVersion, yaml, DEFAULT_YAML_VERSION);
  selectValue(ui.fieldValidation, fields, DEFAULT_FIELD_VALIDATION);
  // A document loaded by the page itself is first checked in the worker (see core.js).
  core?.preferWorker('shared link');
  setDocument(text, { name: null });
  notify('Loaded the shared document.');
  return true;
}

// ---------------------------------------------------------------- normalize / convert

const KIND_ORDER = ['dropped', 'invented', 'changed', 'defaulted', 'restored', 'respelled'];

async function transform(op, to) {
  if (busy) return;
  const before = view.state.doc;
  const input = before.toString();
  const { fieldValidation: _validateOnly, ...options } = validateOptions();
  if (op === 'convert') options.lossless = ui.lossless.checked;
  if (op === 'normalize') options.dropUnknown = ui.dropUnknown.checked;
  setBusy(true);
  let res;
  try {
    res = await core.run(op, input, { to, options });
  } catch (err) {
    notify(`${op === 'convert' ? 'Conversion' : 'Normalization'} failed: ${err.message}`, 'error');
    return;
  } finally {
    setBusy(false);
  }
  const r = res.result;
  if (view.state.doc !== before) {
    notify('The text changed while it was being processed; nothing was applied. Try again.', 'error');
    return;
  }
  const changed = r.output !== input;
  if (changed) applyOutput(input, r);
  renderChanges(op, to, r, changed);
  const what = op === 'convert' ? `Converted to ${to}` : 'Normalized';
  if (!r.ok) notify(`${what} with refusals: some documents were left unchanged (see Changes).`, 'error');
  else notify(changed ? `${what}: ${plural(r.changes.length, 'change')}.` : `${what}: nothing to change.`);
}

function applyOutput(input, r) {
  let spec = null;
  if (Array.isArray(r.edits) && r.edits.length) {
    const changes = r.edits.map((e) => ({ from: e.utf16Offset, to: e.utf16EndOffset, insert: e.newText }));
    try {
      const tr = view.state.update({ changes });
      if (tr.state.doc.length === r.output.length && tr.state.doc.toString() === r.output) spec = { changes };
    } catch { /* overlapping or out-of-range edits: fall back to the whole output */ }
  }
  spec ??= { changes: { from: 0, to: input.length, insert: r.output } };
  view.dispatch({ ...spec, userEvent: 'input.transform', scrollIntoView: true });
  view.plugin(lintPlugin)?.relint();
}

function renderChanges(op, to, r, changed) {
  ui.changesTitle.textContent = op === 'convert' ? `Changes: convert to ${to}` : 'Changes: normalize';
  const counts = {};
  for (const c of r.changes) counts[c.kind] = (counts[c.kind] || 0) + 1;
  const countText = KIND_ORDER.filter((k) => counts[k]).map((k) => `${counts[k]} ${k}`);
  for (const k of Object.keys(counts)) if (!KIND_ORDER.includes(k)) countText.push(`${counts[k]} ${k}`);
  ui.changesSummary.textContent = [
    r.ok ? (changed ? 'Applied to the editor (Ctrl+Z undoes it).' : 'Nothing to change.') : 'Some documents could not be transformed and were left unchanged.',
    r.changes.length ? `${plural(r.changes.length, 'change')}: ${countText.join(', ')}.` : '',
  ].filter(Boolean).join(' ');
  ui.changesSummary.className = r.ok ? '' : 'refused';

  const list = clear(ui.changesList);
  for (const c of r.changes.slice(0, MAX_CHANGE_ROWS)) {
    const loc = c.item != null ? `document ${c.document + 1}, item ${c.item + 1}` : `document ${c.document + 1}`;
    const hasFrom = Object.prototype.hasOwnProperty.call(c, 'from');
    const hasTo = Object.prototype.hasOwnProperty.call(c, 'to');
    list.appendChild(h('li', { class: `change kind-${c.kind}`, dataset: { kind: c.kind, path: c.path } },
      h('div', { class: 'change-head' },
        h('span', { class: `kind-badge kind-${c.kind}` }, c.kind),
        h('code', { class: 'change-path' }, c.path || '/'),
        h('span', { class: 'change-doc' }, loc)),
      h('p', { class: 'change-msg' }, richText(c.message)),
      hasFrom || hasTo ? h('p', { class: 'change-values' },
        hasFrom ? h('code', { class: 'from' }, showValue(c.from)) : null,
        hasFrom && hasTo ? h('span', { 'aria-label': 'becomes' }, ' → ') : null,
        hasTo ? h('code', { class: 'to' }, showValue(c.to)) : null) : null));
  }
  if (r.changes.length > MAX_CHANGE_ROWS) {
    list.appendChild(h('li', { class: 'change more' },
      `… and ${(r.changes.length - MAX_CHANGE_ROWS).toLocaleString('en-US')} more changes (the full report is in the CLI's --format json).`));
  }
  const diags = clear(ui.changesDiags);
  for (const d of (r.diagnostics || []).slice(0, MAX_CHANGE_ROWS)) {
    diags.appendChild(h('li', { class: `sev-${d.severity}` },
      h('span', { class: `sev-badge sev-${d.severity}` }, SEVERITY_LABEL[d.severity] || d.severity), ' ',
      h('code', null, d.code), ' ',
      h('span', { class: 'diag-line' }, `line ${d.line}`), ' ',
      h('span', null, richText(d.message))));
  }
  ui.changesDiags.hidden = !(r.diagnostics && r.diagnostics.length);
  ui.changesPanel.hidden = false;
}

// ---------------------------------------------------------------- audit

let auditedDoc = null; // the editor's document while the shown audit stands (CodeMirror documents are immutable)
let auditStatus = '';
let auditedSource = null; // what the shown audit is of: {file} (a file not in the editor) or {} (the editor's text)
let auditedSettings = ''; // the settings it ran with
let auditAgain = false; // the settings changed while an audit ran: run it again when it ends

const settingsKey = () => JSON.stringify(validateOptions());

/**
 * Audits the editor's text, or `source.file` (a File of any size, never put in the editor: see
 * Core.auditFile). The result replaces the problems panel until the text changes; a change of the settings
 * runs the same audit again (see settingsChanged).
 */
async function runAudit(source = {}) {
  if (busy) {
    if (source.file) notify(`${source.file.name} was not audited: another operation is running; try again when it ends.`, 'error');
    return;
  }
  const doc = view.state.doc;
  const settings = settingsKey();
  setBusy(true);
  let res;
  try {
    res = source.file
      ? await core.auditFile(source.file, validateOptions())
      : await core.run('audit', doc.toString(), { options: validateOptions() });
  } catch (err) {
    notify(`The audit failed: ${err.message}`, 'error');
    if (ui.auditPanel.dataset.stale) ui.auditSource.textContent = `${auditSourceText(auditedSource?.file || null)} Out of date: the audit with the new settings failed.`;
    return;
  } finally {
    setBusy(false);
  }
  if (!source.file && view.state.doc !== doc) {
    notify('The text changed while it was being audited; run the audit again.', 'error');
    return;
  }
  auditedDoc = view.state.doc;
  auditedSource = source;
  auditedSettings = settings;
  const info = res.result;
  const name = source.file ? source.file.name : null;
  renderProblems(info, name);
  renderAudit(info.audit, source.file || null);
  auditStatus = `audited${name ? ` ${name}` : ''} in ${Math.round(res.ms)} ms${res.where === 'worker' ? ' (worker)' : ''}`;
  ui.lintStatus.textContent = auditStatus;
  Object.assign(ui.lintStatus.dataset, { audit: 'true', auditWhere: res.where, auditSettings: settings });
  const s = info.summary || { errors: 0, warnings: 0 };
  notify(`Audit${name ? ` of ${name}` : ''}: ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}; ${plural(info.audit.pools, 'pool')}, ${plural(info.audit.pods, 'Pod')}.`);
}

/** Whether the audit panel stands for the current text (or for a file, until the text changes). */
function auditShown() {
  return auditedDoc !== null && auditedDoc === view.state.doc;
}

/**
 * A selector changed: the live check runs again, and a shown audit is marked out of date and run again with
 * the new settings (after the one under way, if any).
 */
function settingsChanged() {
  if (auditedSource === null || settingsKey() === auditedSettings) return;
  if (ui.auditPanel.hidden) {
    auditedDoc = null; // the summary was closed: the live check (with the new settings) takes the problems back
    return;
  }
  const what = auditSourceText(auditedSource.file || null);
  ui.auditPanel.dataset.stale = 'true';
  if (!auditedSource.file && !auditShown()) {
    // The text changed since as well: the user runs the audit again when the text is ready.
    ui.auditSource.textContent = `${what} Out of date: the text and the settings changed since; run the audit again.`;
    return;
  }
  ui.auditSource.textContent = `${what} The settings changed: auditing again…`;
  if (busy) auditAgain = true; // when the call under way ends (setBusy)
  else runAudit(auditedSource);
}

function auditSourceText(file) {
  return file
    ? `Of ${file.name} (${(file.size / 1048576).toFixed(1)} MiB), read as bytes and not opened in the editor.`
    : 'Of the editor\'s text.';
}

function renderAudit(a, file = null) {
  delete ui.auditPanel.dataset.stale;
  ui.auditSource.textContent = auditSourceText(file);
  ui.auditObjects.textContent = [
    plural(a.pods, 'Pod'), plural(a.endpoints, 'SpiderEndpoint'), plural(a.pools, 'SpiderIPPool'),
    plural(a.subnets, 'SpiderSubnet'), plural(a.reservedIps, 'SpiderReservedIP'),
  ].join(', ') + (a.referenceTime ? `; reference time ${a.referenceTime}` : '');
  const rows = clear(ui.auditPools);
  const ips = (list) => h('td', { class: 'ips' }, list.length ? list.join(', ') : '0');
  for (const p of a.poolTable) {
    const bad = p.leaked.length + p.stale.length + p.conflicting.length > 0;
    rows.appendChild(h('tr', { class: bad ? 'bad' : '', dataset: { pool: p.name } },
      h('td', null, p.name), h('td', null, `${p.allocated} / ${p.total ?? '?'}`), ips(p.leaked), ips(p.stale), ips(p.conflicting)));
  }
  if (!a.poolTable.length) rows.appendChild(h('tr', null, h('td', { colspan: 5 }, 'No SpiderIPPool in the text.')));
  const orphans = clear(ui.auditOrphans);
  if (a.namespaces.length) {
    orphans.appendChild(h('h3', null, 'Endpoints without Pods'));
    const ul = h('ul');
    for (const n of a.namespaces) ul.appendChild(h('li', null, h('strong', null, n.namespace), `: ${n.endpointsWithoutPods.join(', ')}`));
    orphans.appendChild(ul);
  }
  const repairs = clear(ui.auditRepairs);
  if (a.repairs.length) {
    repairs.appendChild(h('h3', null, 'Suggested repairs (review them; the page runs nothing)'));
    for (const r of a.repairs) {
      repairs.appendChild(h('p', null, `${r.title} [${r.codes.join(', ')}]`));
      repairs.appendChild(h('pre', null, h('code', null, r.commands.join('\n'))));
    }
  }
  ui.auditPanel.hidden = false;
}

function setBusy(on) {
  busy = on;
  // After the code that follows the call (which records an audit's result), not before it.
  if (!on && auditAgain) {
    auditAgain = false;
    queueMicrotask(settingsChanged);
  }
  ui.normalize.disabled = on || !core.has('normalize');
  ui.audit.disabled = on || !core.has('audit');
  ui.auditFileButton.disabled = on || !core.has('audit');
  ui.toV1.disabled = ui.toV2.disabled = on || !core.has('convert');
  document.body.classList.toggle('busy', on);
}

// ---------------------------------------------------------------- drag and drop

function hasFiles(e) {
  return e.dataTransfer && [...e.dataTransfer.types].includes('Files');
}

function wireDragAndDrop() {
  let depth = 0;
  window.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth++;
    ui.dropOverlay.hidden = false;
  });
  window.addEventListener('dragover', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'copy';
  });
  window.addEventListener('dragleave', (e) => {
    if (!hasFiles(e)) return;
    depth = Math.max(0, depth - 1);
    if (depth === 0) ui.dropOverlay.hidden = true;
  });
  window.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    depth = 0;
    ui.dropOverlay.hidden = true;
    openFile(e.dataTransfer.files[0]);
  });
}

// ---------------------------------------------------------------- start

function restoreDraft() {
  try { return localStorage.getItem(DRAFT_KEY); } catch { return null; }
}

let draftTimer = null;
function saveDraft(doc) {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => {
    try {
      if (doc.length < 1_000_000) localStorage.setItem(DRAFT_KEY, doc.toString());
      else localStorage.removeItem(DRAFT_KEY);
    } catch { /* storage full or disabled: drafts are a convenience only */ }
  }, 500);
}

async function start() {
  for (const [value, ex] of Object.entries(EXAMPLES)) ui.examples.appendChild(h('option', { value }, ex.label));

  const draft = restoreDraft();
  ({ view, lintCompartment } = createEditor({
    host: ui.editor,
    doc: draft ?? EXAMPLES[DEFAULT_EXAMPLE].text,
    extensions: [
      EditorView.updateListener.of((u) => {
        if (u.selectionSet || u.docChanged) updateCursor(u.state);
        if (u.docChanged) saveDraft(u.state.doc);
      }),
      // A file dropped on the editor opens it (CodeMirror would otherwise insert its text).
      EditorView.domEventHandlers({
        drop: (e) => {
          if (!hasFiles(e)) return false;
          e.preventDefault();
          ui.dropOverlay.hidden = true;
          openFile(e.dataTransfer.files[0]);
          return true;
        },
      }),
    ],
  }));
  updateCursor(view.state);

  ui.open.addEventListener('click', () => ui.file.click());
  ui.file.addEventListener('change', () => { openFile(ui.file.files[0]); ui.file.value = ''; });
  ui.examples.addEventListener('change', () => {
    const ex = EXAMPLES[ui.examples.value];
    ui.examples.value = '';
    if (ex) { setDocument(ex.text, { name: ex.file, focus: true }); notify(`Loaded example: ${ex.label}`); }
  });
  for (const select of [ui.release, ui.yamlVersion, ui.fieldValidation]) {
    select.addEventListener('change', () => {
      view.plugin(lintPlugin)?.relint();
      settingsChanged();
    });
  }
  ui.download.addEventListener('click', download);
  ui.share.addEventListener('click', () => share().catch((err) => notify(`Could not make a link: ${err.message}`, 'error')));
  ui.problemsMore.addEventListener('click', showMoreProblems);
  ui.closeChanges.addEventListener('click', () => { ui.changesPanel.hidden = true; view.focus(); });
  ui.closeAudit.addEventListener('click', () => { ui.auditPanel.hidden = true; view.focus(); });
  ui.bannerClose.addEventListener('click', hideBanner);
  ui.checkAgain.addEventListener('click', () => view.plugin(lintPlugin)?.relint());
  wireDragAndDrop();
  window.addEventListener('hashchange', () => { loadFromHash(); });

  try {
    core = await Core.load();
  } catch (err) {
    showBanner(`The checker could not be loaded (${err.message}). The editor works, but nothing is checked.`);
    for (const b of [ui.normalize, ui.toV1, ui.toV2, ui.audit, ui.auditFileButton]) b.disabled = true;
    return;
  }
  ui.coreVersion.textContent = `core ${core.version}`;
  if (core.test) {
    window.__seTest = core.test;
    core.test.docLength = () => view.state.doc.length;
    core.test.docStart = (n) => view.state.doc.sliceString(0, n);
  }
  // The saved draft may be the document that froze the page (which is why it was reloaded): its first
  // check runs in the worker, and only a quick result there lets later checks run in the page.
  if (draft != null) core.preferWorker('saved draft');
  ui.normalize.addEventListener('click', () => transform('normalize'));
  ui.toV1.addEventListener('click', () => transform('convert', 'v1'));
  ui.toV2.addEventListener('click', () => transform('convert', 'v2beta1'));
  ui.audit.addEventListener('click', () => runAudit());
  ui.auditFileButton.addEventListener('click', () => ui.auditFile.click());
  ui.auditFile.addEventListener('change', () => {
    const file = ui.auditFile.files[0];
    ui.auditFile.value = '';
    if (file) runAudit({ file });
  });
  for (const [b, op] of [[ui.normalize, 'normalize'], [ui.toV1, 'convert'], [ui.toV2, 'convert'], [ui.audit, 'audit'], [ui.auditFileButton, 'audit']]) {
    b.disabled = !core.has(op);
    if (b.disabled) b.title = `This build of the core has no ${op}().`;
  }

  lintPlugin = lintDriver({
    core,
    options: validateOptions,
    // The audit of the current text stays shown until the text changes (a re-check of the same text keeps it).
    onLinted: (info) => {
      renderStatus(info);
      if (auditShown()) {
        ui.lintStatus.textContent = auditStatus;
        return;
      }
      auditedDoc = null;
      renderProblems(info);
    },
    onPainted: (info) => {
      if (String(info.seq) !== ui.lintStatus.dataset.seq) return;
      ui.lintStatus.dataset.paintMs = info.paintMs.toFixed(2);
      ui.lintStatus.dataset.paintSeq = info.seq;
    },
    onError: showCheckFailed,
    notify,
  });
  view.dispatch({ effects: lintCompartment.reconfigure(lintPlugin) });
  await loadFromHash();
  document.body.dataset.ready = 'true';
}

start();
