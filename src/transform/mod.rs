//! normalize and convert: text in, the transformed text out (YAML stays YAML with its comments and
//! untouched lines, JSON stays JSON), with the report of every change and the refusals.
//!
//! Layers: `normalize` and `convert` work on JSON values (one object at a time); `lossless` keeps
//! and restores what a conversion drops (the `spiderendpoint.io/lossless` annotation); `driver`
//! finds the objects in the input (documents, List items) and `patch` turns each new object into
//! text edits against its source (`render` writes new values in the document's style); `review`
//! answers a ConversionReview.

mod address;
mod convert;
mod driver;
mod lossless;
mod normalize;
mod outcome;
mod pods;
mod patch;
mod pointer;
mod render;
mod review;
mod sha256;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostic::{Diagnostic, TextEdit};
use crate::release::{ApiVersion, Era};
use crate::error::Misuse;
use crate::options::{ConvertOptions, InputOptions, NormalizeOptions};

use outcome::{Issue, Note, Outcome};

pub use review::convert_review;

/// The one annotation lossless mode writes: a JSON object
/// `{"apiVersion", "restore": {pointer: value}, "remove": [pointer], "was": {pointer: value}}`
/// (documented in docs/api.md).
pub const LOSSLESS_ANNOTATION: &str = "spiderendpoint.io/lossless";

/// The result of `normalize` and `convert`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct TransformResult {
    /// False when a document could not be transformed (it is left unchanged in `output`) or the
    /// input could not be read.
    pub ok: bool,
    /// YAML in, YAML out (comments, key order and untouched lines kept); JSON in, JSON out.
    pub output: String,
    /// The edits that turn the input into `output` (offsets into the input).
    pub edits: Vec<TextEdit>,
    /// Every dropped, invented, changed, defaulted and restored value.
    pub changes: Vec<Change>,
    /// Refusals (errors), warnings, and problems reading the input.
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A field removed (the path is in the source object).
    Dropped,
    /// A value made up for a field the target requires (the path is in the result; the message
    /// says where it came from).
    Invented,
    /// A value replaced (`None` <-> `Pod`, apiVersion, canonical address text).
    Changed,
    /// A value the API server would default (vlan) or an empty default (ips).
    Defaulted,
    /// A value put back from the lossless annotation.
    Restored,
    /// The same value, spelled so that kubectl (YAML 1.1) and YAML 1.2 readers read it alike
    /// (`yes` -> `true`, `010` -> `8`, key `on` -> `"true"`); `from`/`to` are the texts.
    Respelled,
}

/// One entry of the change report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Change {
    /// 0-based YAML document.
    pub document: usize,
    /// 0-based index inside `items` when the document is a List.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub item: Option<usize>,
    pub kind: ChangeKind,
    /// JSON Pointer from the document root (List items start with `/items/N`).
    pub path: String,
    pub message: String,
    /// The value before (absent when the field did not exist).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "unknown"))]
    pub from: Option<Value>,
    /// The value after (absent when the field was removed).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "unknown"))]
    pub to: Option<Value>,
}

/// Documents the calling thread had to rewrite whole because fine-grained edits did not read
/// back as intended (a test hook: comments and layout survive only when this stays put).
#[doc(hidden)]
pub fn whole_rewrites() -> usize {
    driver::rewrites()
}

/// What to do with each SpiderEndpoint.
#[derive(Debug, Clone, Copy)]
enum Op {
    Normalize { drop_unknown: bool, release: Option<crate::release::Release> },
    Convert { target: ApiVersion, era: Era, lossless: bool },
}

/// The objects as the API server would store them: vlan defaulted, nulls pruned, canonical
/// addresses, and with `dropUnknown` the fields the CRD does not define dropped.
pub fn normalize(text: &str, options: &NormalizeOptions) -> Result<TransformResult, Misuse> {
    let input = options.input();
    let op = Op::Normalize { drop_unknown: options.drop_unknown.unwrap_or(false), release: input.release()? };
    Ok(driver::run(text, &input, op))
}

/// Converts every SpiderEndpoint of the input to `to` (documents already there are left alone).
/// `Err` only for misuse: an invalid `spiderpoolVersion`, or one that does not serve `to`.
pub fn convert(text: &str, to: ApiVersion, options: &ConvertOptions) -> Result<TransformResult, Misuse> {
    let input = options.input();
    let op = Op::Convert { target: to, era: target_era(to, &input)?, lossless: options.lossless.unwrap_or(false) };
    Ok(driver::run(text, &input, op))
}

/// [`normalize`] on bytes: invalid UTF-8 is reported, nothing is transformed.
pub fn normalize_bytes(bytes: &[u8], options: &NormalizeOptions) -> Result<TransformResult, Misuse> {
    match crate::input::decode(bytes) {
        Ok(text) => normalize(text, options),
        Err((prefix, finding)) => {
            options.input().release()?;
            Ok(undecodable(bytes, prefix, finding))
        }
    }
}

/// [`convert`] on bytes: invalid UTF-8 is reported, nothing is transformed.
pub fn convert_bytes(bytes: &[u8], to: ApiVersion, options: &ConvertOptions) -> Result<TransformResult, Misuse> {
    match crate::input::decode(bytes) {
        Ok(text) => convert(text, to, options),
        Err((prefix, finding)) => {
            target_era(to, &options.input())?;
            Ok(undecodable(bytes, prefix, finding))
        }
    }
}

fn undecodable(bytes: &[u8], prefix: &str, finding: crate::diagnostic::Finding) -> TransformResult {
    TransformResult {
        ok: false,
        output: String::from_utf8_lossy(bytes).into_owned(),
        edits: Vec::new(),
        changes: Vec::new(),
        diagnostics: vec![finding.resolve(&crate::text::LineIndex::new(prefix))],
    }
}

/// The era a conversion to `to` targets: the named release's, else the newest.
fn target_era(to: ApiVersion, input: &InputOptions) -> Result<Era, Misuse> {
    match input.release()? {
        None => Ok(Era::newest(to)),
        Some(r) if r.era().api_version() == to => Ok(r.era()),
        Some(r) => Err(Misuse::VersionNotServed(format!(
            "Spiderpool {r} serves SpiderEndpoint as {}, not {}; name a release that serves {} (or none)",
            r.era().api_version().full(),
            to.full(),
            to.short()
        ))),
    }
}

/// Converts one SpiderEndpoint (whose apiVersion is the other version): consumes a lossless
/// annotation written for `target`, maps the fields, refuses what cannot be valid, and in
/// lossless mode keeps what the way back would not reproduce.
fn convert_object(obj: &Value, source: ApiVersion, target: ApiVersion, era: Era, lossless: bool, pods: &pods::PodUids) -> Outcome {
    let mut issues: Vec<Issue> = Vec::new();
    let (stripped, record) = lossless::take(obj);
    let ann = lossless::annotation_path();
    let record = match record {
        None => None,
        Some(Err(e)) => {
            issues.push(Issue::new(crate::rules::Rule::InvalidLosslessAnnotation, &ann, format!("the {LOSSLESS_ANNOTATION} annotation is ignored: {e}")));
            None
        }
        Some(Ok(r)) if r.api_version != target.full() => {
            issues.push(Issue::new(
                crate::rules::Rule::InvalidLosslessAnnotation,
                &ann,
                format!("the {LOSSLESS_ANNOTATION} annotation holds data for {}, not {}: ignored", r.api_version, target.full()),
            ));
            None
        }
        Some(Ok(r)) => Some(r),
    };
    let base = if record.is_some() { stripped } else { obj.clone() };
    let (mut value, mut notes) = convert::plain(&base, target);
    if target == ApiVersion::V2beta1 {
        notes.extend(pods.fill_uid(&mut value));
    }
    if let Some(r) = &record {
        let (restored, conflicts) = lossless::apply(&mut value, &r.ops);
        notes.retain(|n| !restored.iter().any(|x| covers(&x.path, &n.path)));
        notes.extend(restored);
        issues.extend(conflicts);
    }
    issues.extend(convert::check(&value, target, era));
    let mut out = Outcome { value, notes, issues };
    if out.refused() {
        out.value = obj.clone();
        out.notes.clear();
        return out;
    }
    if lossless {
        keep_lost(&mut out, &base, source);
    }
    out
}

/// Writes the annotation that restores `base` from `out.value` when converting back to `source`.
fn keep_lost(out: &mut Outcome, base: &Value, source: ApiVersion) {
    // The way back first removes the annotation (and the containers it created).
    let mut sim = out.value.clone();
    lossless::attach(&mut sim, &lossless::Record { api_version: String::new(), ops: Vec::new() });
    let (sim, _) = lossless::take(&sim);
    let (back, _) = convert::plain(&sim, source);
    let ops = lossless::diff(&back, base);
    if ops.is_empty() {
        return;
    }
    for n in out.notes.iter_mut().filter(|n| n.kind == ChangeKind::Dropped) {
        if ops.iter().any(|op| covers(&op.path, &n.path) || covers(&n.path, &op.path)) {
            n.message.push_str(&format!(" (kept in the {LOSSLESS_ANNOTATION} annotation)"));
        }
    }
    let n = ops.len();
    let record = lossless::Record { api_version: source.full().to_string(), ops };
    lossless::attach(&mut out.value, &record);
    let path = lossless::annotation_path();
    let to = pointer::get(&out.value, &path).cloned().unwrap_or(Value::Null);
    out.notes.push(
        Note::new(ChangeKind::Invented, path, format!("lossless: {n} value{} kept to restore the {} object", if n == 1 { "" } else { "s" }, source.full()))
            .to(&to),
    );
}

/// True when `path` is `parent` or inside it.
fn covers(parent: &str, path: &str) -> bool {
    path == parent || (path.starts_with(parent) && path[parent.len()..].starts_with('/'))
}

#[cfg(test)]
mod tests;
