// The explicit-init web build (`spiderendpoint/web`), as a browser app without a bundler plugin uses it.
import init, { initSync, validate } from 'spiderendpoint/web';
import type { FieldValidation, Report, YamlVersion } from 'spiderendpoint/web';

await init({ module_or_path: new URL('spiderendpoint_bg.wasm', import.meta.url) });
const report: Report = validate('kind: SpiderEndpoint\n', { spiderpoolVersion: '1.2' });
// As the page passes its "Reading" and "Fields" selectors.
const reading: { yamlVersion: YamlVersion, fieldValidation: FieldValidation } = { yamlVersion: '1.2', fieldValidation: 'warn' };
const read12: Report = validate('kind: SpiderEndpoint\n', reading);
initSync({ module: new Uint8Array(0) });
// @ts-expect-error the input is text or bytes
validate(null);

// @ts-expect-error the page's selector values are checked against the generated union
validate('', { fieldValidation: 'off' });

export const used = [report, read12];
