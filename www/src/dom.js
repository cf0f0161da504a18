// Tiny DOM helpers. Everything that can carry document data goes in as a text node:
// there is no innerHTML anywhere in this page.

/**
 * h('div', {class: 'x', onclick: fn, 'aria-label': 'y'}, 'text', child, [more])
 * String children become text nodes; attribute values are set with setAttribute (never parsed as HTML);
 * function values are assigned as properties (event handlers), so no inline handler attributes exist.
 */
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v == null || v === false) continue;
      if (typeof v === 'function') el[k] = v;
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children) {
    if (c == null || c === false) continue;
    if (Array.isArray(c)) append(el, c);
    else if (c instanceof Node) el.appendChild(c);
    else el.appendChild(document.createTextNode(String(c)));
  }
}

export function clear(el) {
  el.replaceChildren();
  return el;
}

export const $ = (sel, root = document) => root.querySelector(sel);

export function plural(n, word, many = word + 's') {
  return `${n.toLocaleString('en-US')} ${n === 1 ? word : many}`;
}

/** A JSON value shown in the change report: short, single line, always plain text. */
export function showValue(v) {
  if (v === undefined) return '';
  let s;
  try { s = JSON.stringify(v); } catch { s = String(v); }
  if (s === undefined) s = String(v);
  return s.length > 120 ? s.slice(0, 117) + '…' : s;
}

/**
 * A diagnostic message with `backticked` parts shown as <code>: split into text nodes and <code>
 * elements whose content is set as text, so nothing in the message is ever parsed as HTML.
 */
export function richText(message) {
  const parts = String(message).split('`');
  if (parts.length < 3) return [String(message)];
  const out = [];
  for (let i = 0; i < parts.length; i++) {
    const odd = i % 2 === 1;
    if (odd && i === parts.length - 1) out.push('`' + parts[i]); // an unpaired backtick stays as typed
    else if (odd) out.push(h('code', null, parts[i]));
    else if (parts[i]) out.push(parts[i]);
  }
  return out;
}
