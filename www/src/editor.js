// CodeMirror 6 set-up: YAML highlighting, the usual editing comforts, and the lint UI (gutter markers,
// underlines with hover tooltips); the diagnostics themselves come from lint.js.
import { EditorState, Compartment } from '@codemirror/state';
import {
  EditorView, keymap, lineNumbers, highlightActiveLineGutter, highlightSpecialChars, drawSelection,
  highlightActiveLine,
} from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import {
  syntaxHighlighting, HighlightStyle, indentOnInput, bracketMatching, foldGutter, foldKeymap, indentUnit,
} from '@codemirror/language';
import { searchKeymap, highlightSelectionMatches } from '@codemirror/search';
import { lintGutter, lintKeymap } from '@codemirror/lint';
import { yaml } from '@codemirror/lang-yaml';
import { tags as t } from '@lezer/highlight';

// Not used on purpose: crosshairCursor() and scrollPastEnd() set inline style attributes, which the page's
// Content-Security-Policy (style-src 'self') would block.

/** Light, high-contrast YAML colours (all pass WCAG AA on white). */
const highlight = HighlightStyle.define([
  { tag: [t.definition(t.propertyName), t.propertyName], color: '#0b4f9c' },
  { tag: [t.string, t.special(t.string)], color: '#0a6b2d' },
  { tag: [t.number, t.bool, t.null, t.atom], color: '#8a3b00' },
  { tag: [t.keyword, t.typeName], color: '#7a1fa2' },
  { tag: t.comment, color: '#5d6470', fontStyle: 'italic' },
  { tag: [t.meta, t.labelName, t.processingInstruction], color: '#6b4f00' },
  { tag: [t.separator, t.punctuation, t.squareBracket, t.brace], color: '#4a5160' },
  { tag: t.invalid, color: '#b00020' },
]);

const theme = EditorView.theme({
  '&': { height: '100%', fontSize: '14px', backgroundColor: '#fff' },
  '.cm-scroller': {
    fontFamily: 'ui-monospace, "SF Mono", "Cascadia Mono", "DejaVu Sans Mono", Menlo, Consolas, monospace',
    lineHeight: '1.55',
  },
  '.cm-content': { caretColor: '#0b4f9c' },
  '.cm-gutters': { backgroundColor: '#f6f8fa', color: '#6a7280', borderRight: '1px solid #e1e4e8' },
  '.cm-activeLine': { backgroundColor: '#f3f7fd' },
  '.cm-activeLineGutter': { backgroundColor: '#e8eef8', color: '#24292f' },
  '&.cm-focused': { outline: 'none' },
  '.cm-tooltip': { border: '1px solid #d0d7de', borderRadius: '6px', boxShadow: '0 4px 14px rgba(0,0,0,.12)' },
  '.cm-tooltip-lint': { maxWidth: '560px' },
  '.cm-diagnostic': { padding: '6px 10px', fontFamily: 'system-ui, sans-serif', fontSize: '13px' },
  '.cm-diagnosticAction': {
    backgroundColor: '#0b5cad', borderRadius: '4px', padding: '2px 8px', marginLeft: '10px', fontSize: '12px',
  },
  // @codemirror/lint draws these as data: SVGs; the page's CSP (img-src 'self') wants our own files.
  '.cm-lintRange-error': { backgroundImage: 'url("img/underline-error.svg")' },
  '.cm-lintRange-warning': { backgroundImage: 'url("img/underline-warning.svg")' },
  '.cm-lintRange-info, .cm-lintRange-hint': { backgroundImage: 'url("img/underline-info.svg")' },
  '.cm-lint-marker-error': { content: 'url("img/marker-error.svg")' },
  '.cm-lint-marker-warning': { content: 'url("img/marker-warning.svg")' },
  '.cm-lint-marker-info': { content: 'url("img/marker-info.svg")' },
  '.diag-code': { font: '600 12px ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace' },
  '.diag-code.sev-error': { color: '#b3261e' },
  '.diag-code.sev-warning': { color: '#8a5a00' },
  '.diag-code.sev-info': { color: '#1f5fa8' },
  '.diag-rule': { color: '#59636e', fontSize: '12px' },
  '.diag-message code': { fontSize: '12px', backgroundColor: '#f0f2f5', borderRadius: '3px', padding: '0 3px' },
}, { dark: false });

/**
 * The editor lives in an open shadow root attached to `host`. Reason: style-mod (CodeMirror's CSS-in-JS)
 * writes a <style> element into a Document, which `style-src 'self'` blocks, but in a shadow root it uses a
 * constructed stylesheet (adoptedStyleSheets), which CSP allows. So the page needs no 'unsafe-inline'.
 * Page CSS does not reach into the shadow root: editor styles belong in `theme` above.
 */
export function createEditor({ host, doc, extensions = [] }) {
  const root = host.shadowRoot || host.attachShadow({ mode: 'open' });
  const lintCompartment = new Compartment();
  const state = EditorState.create({
    doc,
    extensions: [
      lineNumbers(),
      highlightActiveLineGutter(),
      highlightSpecialChars(),
      history(),
      foldGutter(),
      drawSelection(),
      EditorState.allowMultipleSelections.of(true),
      indentOnInput(),
      syntaxHighlighting(highlight),
      bracketMatching(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      EditorState.tabSize.of(2),
      indentUnit.of('  '),
      keymap.of([...defaultKeymap, ...historyKeymap, ...searchKeymap, ...foldKeymap, ...lintKeymap, indentWithTab]),
      yaml(),
      lintGutter(),
      lintCompartment.of([]),
      theme,
      EditorView.contentAttributes.of({ 'aria-label': 'SpiderEndpoint YAML or JSON document' }),
      ...extensions,
    ],
  });
  const view = new EditorView({ state, parent: root, root });
  return { view, lintCompartment };
}
