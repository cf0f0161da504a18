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

/** The decompressed size a share link may have (bytes). Links the page makes are far smaller. */
export const MAX_SHARED_BYTES = 8 * 1024 * 1024;

/** A share link whose document would be bigger than MAX_SHARED_BYTES once decompressed. */
export class SharedDocumentTooBig extends Error {
  constructor(limit) {
    super(`the shared document is bigger than ${limit / 1048576} MiB once decompressed`);
    this.name = 'SharedDocumentTooBig';
    this.limit = limit;
  }
}

/**
 * Inflates a share link's document, counting bytes as they come out of the DecompressionStream: past
 * `limit` the stream is cancelled and SharedDocumentTooBig thrown, so a deflate bomb (a 611 KB link can
 * inflate to 450 MB) costs at most `limit` bytes and a few milliseconds, and never yields a truncated
 * document. The input is fed in small slices: the decompressor works through a whole input chunk at once
 * (deflate inflates up to ~1000x), so small slices keep each output burst small.
 */
export async function decodeDocument(encoded, { limit = MAX_SHARED_BYTES } = {}) {
  const input = fromBase64Url(encoded);
  const SLICE = 1024;
  let at = 0;
  const source = new ReadableStream({
    pull(controller) {
      if (at >= input.length) { controller.close(); return; }
      controller.enqueue(input.subarray(at, at + SLICE));
      at += SLICE;
    },
  }, { highWaterMark: 0 });
  const reader = source.pipeThrough(new DecompressionStream('deflate')).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      throw new SharedDocumentTooBig(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) { bytes.set(c, off); off += c.byteLength; }
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/**
 * '#release=1.2&yaml=1.2&fields=warn&doc=…' -> {doc, release, yaml, fields} (raw, undecoded doc; absent
 * parameters are null: the page's defaults).
 */
export function readHash(hash = location.hash) {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  return { doc: params.get('doc'), release: params.get('release'), yaml: params.get('yaml'), fields: params.get('fields') };
}

/** The settings go in only when they are not the defaults, so links stay short and old links stay valid. */
export function makeHash({ doc, release, yaml, fields }) {
  const params = new URLSearchParams();
  if (release) params.set('release', release);
  if (yaml) params.set('yaml', yaml);
  if (fields) params.set('fields', fields);
  params.set('doc', doc);
  return '#' + params.toString();
}
