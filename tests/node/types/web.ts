// The explicit-init web build (`spiderendpoint/web`), as a browser app without a bundler plugin uses it.
import init, { initSync, validate } from 'spiderendpoint/web';
import type { Report } from 'spiderendpoint/web';

await init({ module_or_path: new URL('spiderendpoint_bg.wasm', import.meta.url) });
const report: Report = validate('kind: SpiderEndpoint\n', { spiderpoolVersion: '1.2' });
initSync({ module: new Uint8Array(0) });
// @ts-expect-error the input is text or bytes
validate(null);

export const used = [report];
