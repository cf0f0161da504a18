// Lint-as-you-type driver: a CodeMirror ViewPlugin that debounces edits, runs the core (main thread or
// worker, see core.js), maps results through edits made while it ran, and feeds @codemirror/lint via
// setDiagnostics (underlines, hover tooltips with a quick-fix button, gutter markers).
import { ViewPlugin, EditorView } from '@codemirror/view';
import { ChangeSet, EditorSelection } from '@codemirror/state';
import { setDiagnostics } from '@codemirror/lint';
import { h, richText } from './dom.js';
import { WORKER_THRESHOLD } from './core.js';

/** Debounce after the last edit: short for small inputs (instant feedback), longer for worker-sized ones. */
export const lintDelay = (length) => (length > WORKER_THRESHOLD ? 300 : 100);

/**
 * @param {object} ctx
 * @param {import('./core.js').Core} ctx.core
 * @param {() => object} ctx.options       current ValidateOptions (spiderpoolVersion...)
 * @param {(info: object) => void} ctx.onLinted  called after diagnostics are applied
 * @param {(err: Error) => void} ctx.onError
 * @param {(msg: string) => void} ctx.notify
 */
export function lintDriver(ctx) {
  const plugin = ViewPlugin.fromClass(class {
    constructor(view) {
      this.view = view;
      this.timer = null;
      this.inflight = null;   // {doc, changes, t0}: changes = edits made since the text was sent
      this.again = false;     // another lint was requested while one was in flight
      this.applied = null;    // {doc, changes, info}: the diagnostics on screen and edits made since
      this.seq = 0;
      this.destroyed = false;
      this.schedule(0);
    }
    update(u) {
      if (!u.docChanged) return;
      if (this.inflight) this.inflight.changes = this.inflight.changes.compose(u.changes);
      if (this.applied) this.applied.changes = this.applied.changes.compose(u.changes);
      this.schedule(lintDelay(u.state.doc.length));
    }
    destroy() {
      this.destroyed = true;
      clearTimeout(this.timer);
    }
    schedule(ms) {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => this.run(), ms);
    }
    async run() {
      this.timer = null;
      if (this.inflight) { this.again = true; return; }
      const view = this.view;
      const doc = view.state.doc;
      const t0 = performance.now();
      const text = doc.toString();
      const req = this.inflight = { doc, changes: ChangeSet.empty(doc.length), t0 };
      try {
        const { result, ms, where } = await ctx.core.run('validate', text, { options: ctx.options() });
        if (this.destroyed) return;
        this.apply(req, result, ms, where);
      } catch (err) {
        if (!this.destroyed) ctx.onError(err);
      } finally {
        this.inflight = null;
        if (this.again && !this.destroyed) { this.again = false; this.schedule(0); }
      }
    }
    apply(req, result, coreMs, where) {
      const view = this.view;
      const { changes, doc } = req;
      const mapped = !changes.empty;
      const diagnostics = [];
      for (const p of result.problems) {
        let from = Math.min(Math.max(0, p.utf16Offset | 0), doc.length);
        let to = Math.min(Math.max(from, p.utf16EndOffset | 0), doc.length);
        if (mapped) {
          from = changes.mapPos(from, 1);
          to = Math.max(from, changes.mapPos(to, -1));
        }
        diagnostics.push(this.toCodeMirror(p, from, to));
      }
      this.applied = { doc, changes, result };
      this.seq++;
      view.dispatch(setDiagnostics(view.state, diagnostics));
      const info = {
        seq: this.seq, where, coreMs, totalMs: performance.now() - req.t0, stale: mapped,
        chars: doc.length, lines: doc.lines, ...result,
      };
      ctx.onLinted(info);
      // Time until the frame with the new underlines has been painted.
      requestAnimationFrame(() => setTimeout(() => {
        info.paintMs = performance.now() - req.t0;
        ctx.onPainted?.(info);
      }, 0));
    }
    toCodeMirror(p, from, to) {
      const d = {
        from, to,
        severity: p.severity === 'error' || p.severity === 'warning' ? p.severity : 'info',
        message: `${p.code}: ${p.message}`,
        renderMessage: () => h('span', { class: 'diag' },
          h('span', { class: `diag-code sev-${p.severity}` }, p.code),
          ' ', h('span', { class: 'diag-message' }, richText(p.message)),
          p.rule ? h('span', { class: 'diag-rule' }, ` (${p.rule})`) : null),
      };
      if (p.fix && p.fix.edits && p.fix.edits.length) {
        d.actions = [{ name: `Fix: ${p.fix.message.replace(/`/g, '')}`, markClass: 'fix-action', apply: () => this.applyFix(p) }];
      }
      return d;
    }
    /** Current position of a problem, following the edits made since it was reported. */
    position(p) {
      const a = this.applied;
      const len = a ? a.doc.length : this.view.state.doc.length;
      let from = Math.min(Math.max(0, p.utf16Offset | 0), len);
      let to = Math.min(Math.max(from, p.utf16EndOffset | 0), len);
      if (a && !a.changes.empty) { from = a.changes.mapPos(from, 1); to = Math.max(from, a.changes.mapPos(to, -1)); }
      return { from, to };
    }
    applyFix(p) {
      const a = this.applied;
      if (!a || !p.fix) return false;
      const specs = [];
      for (const e of p.fix.edits) {
        const from = e.utf16Offset, to = e.utf16EndOffset;
        if (from < 0 || to < from || to > a.doc.length) return false;
        if (!a.changes.empty) {
          if (a.changes.touchesRange(Math.max(0, from - 1), Math.min(a.doc.length, to + 1))) {
            ctx.notify('The text changed there since the last check; re-checking, try again.');
            this.schedule(0);
            return false;
          }
          specs.push({ from: a.changes.mapPos(from, -1), to: a.changes.mapPos(to, 1), insert: e.newText });
        } else {
          specs.push({ from, to, insert: e.newText });
        }
      }
      const view = this.view;
      const first = Math.min(...specs.map((s) => s.from));
      view.dispatch({
        changes: specs,
        selection: EditorSelection.cursor(first),
        scrollIntoView: true,
        userEvent: 'input.fix',
      });
      this.schedule(0);
      ctx.notify(`Applied fix: ${p.fix.message.replace(/`/g, '')}`);
      return true;
    }
    jumpTo(p) {
      const view = this.view;
      const { from, to } = this.position(p);
      const sameLine = view.state.doc.lineAt(from).number === view.state.doc.lineAt(to).number;
      view.dispatch({
        selection: sameLine ? EditorSelection.range(to, from) : EditorSelection.cursor(from),
        effects: EditorView.scrollIntoView(from, { y: 'center' }),
      });
      view.focus();
    }
    relint() {
      this.schedule(0);
    }
  });
  return plugin;
}
