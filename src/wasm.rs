//! The wasm-bindgen boundary: the only module that knows about JavaScript. Values cross as JSON
//! text, both ways, through one generic reader ([`options`], [`json_text`]) and one writer ([`to_js`]):
//! `JSON.parse` of one string is faster than building objects field by field, and measured against
//! serde-wasm-bindgen it is also the smaller module (README "Benchmarks"). Findings are returned; only
//! misuse (a wrong argument type or option) throws: a [`Misuse`], thrown by the glue after the wasm call
//! has returned as a plain `Error` whose `name` is the kind (`InvalidArgument`, `UnknownRelease`...).
//! No JavaScript value may make this module panic, nor run user code whose exception would unwind the
//! wasm frames (that leaks the shadow stack): conversions go through catching imports
//! (`JSON.stringify`, `Reflect.construct`, `Reflect.get`) or internal-slot checks.
//!
//! Every export but `validate` and `version` is `#[cfg(feature = "full")]`: without that feature this
//! module is the page's first download (scripts/build.sh), which must stay under 150 KB gzipped and has
//! no YAML loader (see `validate`). A new export belongs under `full` too.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::{Misuse, ValidateOptions};

/// What the exports throw. Its prototype stays `Error.prototype`: the page and the package tell misuse
/// (the instance is intact) from a trap by that.
impl From<Misuse> for JsValue {
    fn from(m: Misuse) -> JsValue {
        let e = js_sys::Error::new(&m.to_string());
        e.set_name(m.kind());
        e.into()
    }
}

fn invalid(what: &str) -> Misuse {
    Misuse::InvalidArgument(what.to_string())
}

/// Options of any operation: `undefined`/`null` for the defaults, else an object whose JSON the
/// operation's options type accepts (each refuses the fields of the others).
fn options<T: serde::de::DeserializeOwned + Default>(value: &JsValue) -> Result<T, Misuse> {
    if value.is_undefined() || value.is_null() {
        return Ok(T::default());
    }
    if !value.is_object() {
        return Err(invalid("options must be an object"));
    }
    let json = json_text(value, "options are not JSON-serializable")?;
    serde_json::from_str(&json).map_err(|e| Misuse::InvalidArgument(format!("invalid options: {e}")))
}

/// `JSON.stringify(value)` as a Rust string. Never panics and never lets a JavaScript exception cross the
/// wasm frames: a throwing `toJSON`, getter or Proxy trap (caught by the import) and a value that has no
/// JSON text (`undefined`, a function, a `toJSON` that returns `undefined`) are all misuse.
fn json_text(value: &JsValue, what: &str) -> Result<String, Misuse> {
    js_sys::JSON::stringify(value)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| invalid(what))
}

/// Input text: a string, or bytes (checked as UTF-8).
enum Input {
    Text(String),
    Bytes(Vec<u8>),
}

fn input(value: &JsValue) -> Result<Input, Misuse> {
    if let Some(s) = value.dyn_ref::<js_sys::JsString>() {
        return Ok(Input::Text(utf8(s).or_else(|| value.as_string()).unwrap_or_default()));
    }
    // `ArrayBuffer.isView` reads an internal slot, so a Proxy is not a view and the `instanceof` that
    // follows runs no user code.
    if js_sys::ArrayBuffer::is_view(value) && value.is_instance_of::<js_sys::Uint8Array>() {
        return copy_bytes(value).map(Input::Bytes);
    }
    Err(invalid("input must be a string or a Uint8Array"))
}

#[wasm_bindgen]
extern "C" {
    /// The global `TextEncoder` of Node and the browsers.
    type TextEncoder;
    #[wasm_bindgen(constructor, catch)]
    fn new() -> Result<TextEncoder, JsValue>;
    #[wasm_bindgen(method, catch, js_name = encodeInto)]
    fn encode_into(this: &TextEncoder, source: &js_sys::JsString, destination: &js_sys::Uint8Array) -> Result<JsValue, JsValue>;
}

thread_local! {
    static ENCODER: Option<TextEncoder> = TextEncoder::new().ok();
}

/// A JS string as UTF-8, written by `TextEncoder.encodeInto` straight into the Rust buffer: the glue of
/// `as_string` copies the ASCII prefix one character at a time in JavaScript, which took 9 % of a
/// `validate` of the bench corpus. Lone surrogates become U+FFFD, as with `as_string`. `None` when the
/// encoder is missing or was replaced by one that misbehaves (the caller falls back to `as_string`).
fn utf8(s: &js_sys::JsString) -> Option<String> {
    ENCODER.with(|encoder| {
        let encoder = encoder.as_ref()?;
        let mut source = s.clone();
        let mut buf: Vec<u8> = Vec::new();
        loop {
            let units = source.length();
            if units == 0 {
                break;
            }
            // all of it when ASCII; else the next round gets the rest (at most 3 bytes per UTF-16 unit)
            buf.reserve(units as usize + 8);
            let spare = buf.capacity() - buf.len();
            // SAFETY: the view covers the spare capacity of `buf`, and nothing allocates (and so
            // nothing can grow the memory under the view) before `encodeInto` has returned.
            let view = unsafe { js_sys::Uint8Array::view_mut_raw(buf.as_mut_ptr().add(buf.len()), spare) };
            let result = encoder.encode_into(&source, &view).ok()?;
            let number = |key: &str| js_sys::Reflect::get(&result, &JsValue::from_str(key)).ok().and_then(|v| v.as_f64());
            let (read, written) = (number("read")? as u32, number("written")? as usize);
            if written > spare || read > units || (read == 0 && written == 0) {
                return None;
            }
            // SAFETY: `encodeInto` wrote `written` bytes of UTF-8 into the spare capacity.
            unsafe { buf.set_len(buf.len() + written) };
            source = source.slice(read, units);
        }
        if crate::text::is_ascii(&buf) {
            // SAFETY: ASCII is UTF-8 (the check reads 16 bytes at a time; `from_utf8`'s took 1 % of a
            // `validate` of the bench corpus).
            return Some(unsafe { String::from_utf8_unchecked(buf) });
        }
        String::from_utf8(buf).ok()
    })
}

/// The bytes of a Uint8Array. `Uint8Array::to_vec` on the caller's object would read its `length` property
/// twice (a subclass getter could throw across the wasm frames, or change its answer and fail an assertion)
/// and `set` from a detached buffer throws; `new Uint8Array(view)` through `Reflect.construct` reads the
/// internal slots instead, and its TypeError for a detached or out-of-bounds view comes back as an `Err`.
fn copy_bytes(view: &JsValue) -> Result<Vec<u8>, Misuse> {
    let ctor = js_sys::Uint8Array::new_with_length(0).constructor();
    let copy = js_sys::Reflect::construct(&ctor, &js_sys::Array::of1(view))
        .map_err(|_| invalid("input is a detached or out-of-bounds Uint8Array"))?;
    Ok(js_sys::Uint8Array::unchecked_from_js(copy).to_vec())
}

/// A result as a JS value: its JSON text, then one `JSON.parse` (serde_json never fails on these types,
/// whose map keys are strings).
fn to_js<T: serde::Serialize>(value: &T) -> Result<JsValue, Misuse> {
    let json = serde_json::to_string(value).map_err(|e| Misuse::InvalidArgument(format!("internal error: {e}")))?;
    js_sys::JSON::parse(&json).map_err(|_| invalid("internal error: invalid JSON"))
}

/// Validates YAML or JSON text (or UTF-8 bytes) and returns the report.
///
/// In a module built without the `full` feature (the page's validate-only module) it returns `null`
/// for input outside the block YAML subset that `src/yaml/fast.rs` reads: the caller then uses the full module.
#[wasm_bindgen(js_name = validate, unchecked_return_type = "Report")]
pub fn validate(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: ValidateOptions = options(&opts)?;
    crate::yaml::take_loader_needed();
    let report = match input(&text)? {
        Input::Text(s) => crate::validate(&s, &opts),
        Input::Bytes(b) => crate::validate_bytes(&b, &opts),
    }
    ?;
    if crate::yaml::take_loader_needed() {
        return Ok(JsValue::NULL);
    }
    Ok(to_js(&report)?)
}

#[cfg(feature = "full")]
/// Validates an in-memory object (positions refer to its JSON text; paths are JSON Pointers).
#[wasm_bindgen(js_name = validateObject, unchecked_return_type = "Report")]
pub fn validate_object(
    #[wasm_bindgen(unchecked_param_type = "unknown")] value: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: ValidateOptions = options(&opts)?;
    let json = json_text(&value, "value is not JSON-serializable")?;
    Ok(to_js(&crate::validate(&json, &opts)?)?)
}

#[cfg(feature = "full")]
/// Normalizes YAML or JSON text (or UTF-8 bytes): the objects as the API server would store them.
#[wasm_bindgen(js_name = normalize, unchecked_return_type = "TransformResult")]
pub fn normalize(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "NormalizeOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: crate::NormalizeOptions = options(&opts)?;
    let result = match input(&text)? {
        Input::Text(s) => crate::transform::normalize(&s, &opts),
        Input::Bytes(b) => crate::transform::normalize_bytes(&b, &opts),
    }
    ?;
    Ok(to_js(&result)?)
}

#[cfg(feature = "full")]
/// Converts every SpiderEndpoint of YAML or JSON text (or UTF-8 bytes) to `toVersion`.
#[wasm_bindgen(js_name = convert, unchecked_return_type = "TransformResult")]
pub fn convert(
    #[wasm_bindgen(unchecked_param_type = "string | Uint8Array")] text: JsValue,
    #[wasm_bindgen(js_name = toVersion, unchecked_param_type = "\"v1\" | \"v2beta1\"")] to_version: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ConvertOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let to = to_version
        .as_string()
        .and_then(|v| crate::ApiVersion::from_short(&v))
        .ok_or_else(|| invalid("toVersion must be \"v1\" or \"v2beta1\""))?;
    let opts: crate::ConvertOptions = options(&opts)?;
    let result = match input(&text)? {
        Input::Text(s) => crate::transform::convert(&s, to, &opts),
        Input::Bytes(b) => crate::transform::convert_bytes(&b, to, &opts),
    }
    ?;
    Ok(to_js(&result)?)
}

#[cfg(feature = "full")]
/// The `{ name, text }[]` of `validateFiles` and `audit` as owned names and bytes. Read through
/// `Reflect` (catching imports): the array may be a Proxy whose traps throw.
fn file_list(files: &JsValue) -> Result<Vec<(String, Vec<u8>)>, JsValue> {
    let shape = || invalid("files must be an array of { name, text }");
    if !js_sys::Array::is_array(files) {
        return Err(shape().into());
    }
    let len = js_sys::Reflect::get(files, &JsValue::from_str("length")).ok().and_then(|l| l.as_f64()).ok_or_else(shape)?;
    let mut owned: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..len as u32 {
        let file = js_sys::Reflect::get_u32(files, i).map_err(|_| shape())?;
        let field = |key: &str| js_sys::Reflect::get(&file, &JsValue::from_str(key)).map_err(|_| shape());
        if !file.is_object() {
            return Err(shape().into());
        }
        let name = field("name")?.as_string().ok_or_else(|| invalid("each file needs a string `name`"))?;
        let read = field("read")?;
        let bytes = if read.is_undefined() {
            match input(&field("text")?)? {
                Input::Text(s) => s.into_bytes(),
                Input::Bytes(b) => b,
            }
        } else {
            read_into_memory(&name, &field("size")?, &read)?
        };
        owned.push((name, bytes));
    }
    Ok(owned)
}

#[cfg(feature = "full")]
/// A file given as `{ name, size, read }`: `size` bytes are allocated in this module's memory and `read` is
/// called once, with a Uint8Array view of them, to fill them (e.g. with `fs.readSync`) and return how many it
/// wrote. So a large export is never a JavaScript string nor a second copy: the CLI reads a 300 MB file straight
/// into the memory the core reads it from. The view is valid during the call only. `read` runs through a
/// catching import (`Function.prototype.call`), so its exception is misuse and never crosses the wasm frames;
/// an allocation that fails is misuse too (`try_reserve_exact`, never an abort). Should the callback call into
/// this instance and grow its memory, the view is detached and its writes are lost: still no unsafety, the
/// bytes stay this Vec's.
fn read_into_memory(name: &str, size: &JsValue, read: &JsValue) -> Result<Vec<u8>, Misuse> {
    let size = size
        .as_f64()
        .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= u32::MAX as f64)
        .ok_or_else(|| invalid("a file with `read` needs a non-negative integer `size`"))? as usize;
    if !read.is_function() {
        return Err(invalid("a file's `read` must be a function"));
    }
    let mut bytes: Vec<u8> = Vec::new();
    bytes
        .try_reserve_exact(size)
        .map_err(|_| Misuse::InvalidArgument(format!("{name}: not enough memory for {size} bytes")))?;
    bytes.resize(size, 0);
    // SAFETY: the view covers `bytes`, which nothing else touches until `read` has returned; a view that
    // outlives the call can only write into memory the engine recycles (see pkg/engine.mjs).
    let view = unsafe { js_sys::Uint8Array::view_mut_raw(bytes.as_mut_ptr(), size) };
    let written: JsValue = read
        .unchecked_ref::<js_sys::Function>()
        .call1(&JsValue::UNDEFINED, &view)
        .map_err(|e| {
            let why = js_sys::Reflect::get(&e, &JsValue::from_str("message")).ok().and_then(|m| m.as_string());
            Misuse::InvalidArgument(format!("{name}: read failed{}", why.map(|m| format!(": {m}")).unwrap_or_default()))
        })?;
    let n = written
        .as_f64()
        .filter(|n| n.fract() == 0.0 && *n >= 0.0 && *n <= size as f64)
        .ok_or_else(|| Misuse::InvalidArgument(format!("{name}: read must return the number of bytes it wrote (0 to {size})")))?;
    bytes.truncate(n as usize);
    Ok(bytes)
}

#[cfg(feature = "full")]
/// Validates the files of one run: each as `validate` does, plus the checks across files.
#[wasm_bindgen(js_name = validateFiles, unchecked_return_type = "FilesReport")]
pub fn validate_files(
    #[wasm_bindgen(unchecked_param_type = "{ name: string, text: string | Uint8Array }[]")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: ValidateOptions = options(&opts)?;
    let owned = file_list(&files)?;
    let report = crate::validate_files(owned.iter().map(|(n, b)| (n.as_str(), b.as_slice())), &opts)?;
    Ok(to_js(&report)?)
}

#[cfg(feature = "full")]
/// Applies every safe fix until nothing changes; returns the fixed text and its report.
#[wasm_bindgen(js_name = fix, unchecked_return_type = "FixResult")]
pub fn fix(
    #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ValidateOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: ValidateOptions = options(&opts)?;
    let text = text.as_string().ok_or_else(|| invalid("input must be a string"))?;
    Ok(to_js(&crate::fix(&text, &opts)?)?)
}

#[cfg(feature = "full")]
/// The Spiderpool releases this engine knows (`spiderpoolVersion` accepts these, any patch).
#[wasm_bindgen(js_name = releases, unchecked_return_type = "string[]")]
pub fn releases() -> Result<JsValue, JsValue> {
    Ok(to_js(&crate::known_releases())?)
}

#[cfg(feature = "full")]
/// Answers an apiextensions.k8s.io/v1 ConversionReview: the review with its `response`.
#[wasm_bindgen(js_name = convertReview, unchecked_return_type = "Record<string, unknown>")]
pub fn convert_review(#[wasm_bindgen(unchecked_param_type = "Record<string, unknown>")] review: JsValue) -> Result<JsValue, JsValue> {
    if !review.is_object() {
        return Err(invalid("review must be an object (a ConversionReview)").into());
    }
    let json = json_text(&review, "review is not JSON-serializable")?;
    let value: serde_json::Value = serde_json::from_str(&json).map_err(|e| Misuse::InvalidArgument(format!("review is not JSON: {e}")))?;
    Ok(to_js(&crate::convert_review(&value))?)
}

#[cfg(feature = "full")]
/// The rule table: code, stable name, default severity, summary and help.
#[wasm_bindgen(js_name = rules, unchecked_return_type = "RuleInfo[]")]
pub fn rules() -> Result<JsValue, JsValue> {
    Ok(to_js(&crate::rules())?)
}

#[cfg(feature = "full")]
/// JSON Schema (draft-07) of a Spiderpool release's SpiderEndpoint CRD.
#[wasm_bindgen(js_name = schema, unchecked_return_type = "Record<string, unknown>")]
pub fn schema(
    #[wasm_bindgen(unchecked_param_type = "SchemaOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let o: crate::SchemaOptions = options(&opts)?;
    Ok(to_js(&crate::json_schema(&o)?)?)
}

/// The version of the engine.
#[wasm_bindgen(js_name = version)]
pub fn version() -> String {
    crate::VERSION.to_string()
}

/// Audits a cluster export (Pods, SpiderEndpoints, SpiderIPPools, SpiderSubnets, SpiderReservedIPs; one or
/// several files read together): each object as `validate` does, plus the invariants across objects.
/// Bytes are checked as UTF-8 by the core (SE002 at the first bad byte; that file is not read).
#[cfg(feature = "full")]
#[wasm_bindgen(js_name = audit, unchecked_return_type = "AuditReport")]
pub fn audit(
    #[wasm_bindgen(unchecked_param_type = "({ name: string, text: string | Uint8Array } | { name: string, size: number, read: (into: Uint8Array) => number })[]")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "AuditOptions | undefined")] opts: JsValue,
) -> Result<JsValue, JsValue> {
    let opts: crate::AuditOptions = options(&opts)?;
    let owned = file_list(&files)?;
    let pairs: Vec<(&str, &[u8])> = owned.iter().map(|(n, b)| (n.as_str(), b.as_slice())).collect();
    let report = crate::audit_bytes(&pairs, &opts)?;
    // The inputs go before the report's JSON is written, which may then reuse their memory.
    drop(pairs);
    drop(owned);
    Ok(to_js(&report)?)
}
