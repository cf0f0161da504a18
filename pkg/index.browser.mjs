// Browser and bundler entry (package.json conditions `browser` and `module`: Vite, webpack, esbuild, Rollup,
// for the browser and for Node bundles alike): the engine (pkg/engine.mjs, built into dist/web/spiderendpoint.js)
// on the .wasm carried inline, as base64 in dist/web/wasm-inline.js. Nothing to configure in a bundler: no
// asset to emit, no URL to resolve at run time, no top-level await, no dev-server pre-bundling pitfall. The
// module is compiled once, synchronously, when this module is evaluated, so the API is ready at once, as in
// Node; the engine instantiates it again, synchronously, whenever it replaces an instance after an internal
// error (a trap). To load a separate .wasm file instead (streaming compilation, cached apart from the JS),
// import `spiderendpoint/web` and call its `init({ module_or_path })`. The API's named exports are generated
// (scripts/assemble-pkg.mjs lists them once for every entry): dist/web/api-inline.js.
export * from './dist/web/api-inline.js';
