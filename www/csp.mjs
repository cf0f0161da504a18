// The page's Content-Security-Policy, in one place: build.mjs writes it into index.html's
// <meta http-equiv>, serve.mjs also sends it as a header (with the directives a <meta> cannot carry).
//
// - script-src: only our own files, plus 'wasm-unsafe-eval' to compile the wasm core. No 'unsafe-eval',
//   no inline scripts.
// - style-src 'self', no 'unsafe-inline': the editor is mounted in a shadow root, where CodeMirror's
//   style-mod puts its generated CSS in a constructed stylesheet (adoptedStyleSheets), which CSP does not
//   restrict. (Mounted in the document itself, style-mod writes a <style> element, which this policy blocks.)
//   CodeMirror's few inline styles are set through the CSSOM (element.style), which CSP allows.
// - img-src 'self' without data:: the lint underlines and gutter markers that @codemirror/lint draws as
//   data: SVGs are replaced by our own files in img/ (theme in src/editor.js).
const directives = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self'",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

/** For <meta http-equiv="Content-Security-Policy"> (frame-ancestors is ignored there, so it is left out). */
export const META_CSP = directives.join('; ');
/** For the HTTP header sent by serve.mjs. */
export const HEADER_CSP = [...directives, "frame-ancestors 'none'"].join('; ');
