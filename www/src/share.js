// Share a document in the URL hash: deflate (CompressionStream) + base64url. Nothing goes to a server:
// the part after '#' is never sent in a request.

async function pipe(bytes, stream) {
  const out = new Response(new Blob([bytes]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

function toBase64Url(bytes) {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(s) {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/');
  const bin = atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4));
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  return bytes;
}

export async function encodeDocument(text) {
  return toBase64Url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate')));
}

export async function decodeDocument(encoded) {
  const bytes = await pipe(fromBase64Url(encoded), new DecompressionStream('deflate'));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** '#doc=…&release=1.2' -> {doc, release} (raw, undecoded doc). */
export function readHash(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return { doc: params.get('doc'), release: params.get('release') };
}

export function makeHash({ doc, release }) {
  const params = new URLSearchParams();
  if (release) params.set('release', release);
  params.set('doc', doc);
  return '#' + params.toString();
}
