//! spiderendpoint: validate, normalize and convert Spiderpool `SpiderEndpoint` documents.
//!
//! The core is plain Rust: text in, a [`Report`] out. `src/wasm.rs` (wasm32 only) is the thin
//! wasm-bindgen boundary that the npm package and the page use.

pub mod check;
pub mod diagnostic;
pub mod list;
pub mod release;
pub mod report;
pub mod rules;
pub mod schema;
pub mod text;
pub mod transform;
pub mod yaml;

#[cfg(target_arch = "wasm32")]
mod wasm;

use serde::Deserialize;

pub use diagnostic::{Diagnostic, Finding, Fix, TextEdit};
pub use release::{ApiVersion, Era, Release};
pub use report::{DocumentReport, DocumentStatus, Report, Summary};
pub use rules::{Rule, RuleInfo, Severity, RULES};
pub use transform::{Change, ChangeKind, TransformResult, LOSSLESS_ANNOTATION};

use rules::Rule as R;
use text::LineIndex;
use yaml::Span;

/// Options of every entry point (camelCase in JS). Unknown options are misuse and are refused.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct ValidateOptions {
    /// Spiderpool release to check against ("1.2", "v0.6.1"). Default: each document against the
    /// newest release that serves its apiVersion.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub spiderpool_version: Option<String>,
    /// Largest input accepted, in bytes (default 32 MiB).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_bytes: Option<usize>,
    /// Deepest nesting accepted (default 64; values above 1,000 count as 1,000).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_depth: Option<usize>,
    /// Most nodes alias expansion may produce (default 100,000).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_alias_nodes: Option<usize>,
    /// Most bytes of text alias expansion may produce (default 8 MiB).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub max_alias_bytes: Option<usize>,
    /// How to read plain scalars: "1.1" (default) as kubectl does (`yes` is true, `010` is 8), or
    /// "1.2" for a YAML 1.2 consumer.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub yaml_version: Option<yaml::YamlVersion>,
    /// What unknown fields and duplicate keys are, like `kubectl apply --validate`: "strict"
    /// (default: errors, the API server refuses the object), "warn" (warnings) or "ignore" (infos).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub field_validation: Option<FieldValidation>,
    /// convert: keep dropped data in an annotation so the way back restores it.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub lossless: Option<bool>,
    /// normalize: also drop fields the CRD does not define (the API server prunes them).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub drop_unknown: Option<bool>,
}

/// kubectl's `--validate` modes for fields the schema does not know and for duplicate keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum FieldValidation {
    /// kubectl's default: the API server refuses the object.
    #[default]
    Strict,
    /// The API server accepts the object, drops unknown fields and returns warnings.
    Warn,
    /// The API server drops unknown fields silently.
    Ignore,
}

pub const DEFAULT_MAX_BYTES: usize = 32 * 1024 * 1024;

impl ValidateOptions {
    pub fn release(&self) -> Result<Option<Release>, String> {
        match self.spiderpool_version.as_deref() {
            None | Some("") | Some("latest") | Some("newest") => Ok(None),
            Some(s) => Release::parse(s).map(Some),
        }
    }

    fn reading(&self) -> check::Reading {
        check::Reading { yaml_version: self.yaml_version.unwrap_or_default(), field_validation: self.field_validation.unwrap_or_default(), ambiguous: true }
    }

    fn budget(&self) -> yaml::Budget {
        let d = yaml::Budget::default();
        yaml::Budget {
            max_depth: self.max_depth.unwrap_or(d.max_depth).min(yaml::MAX_DEPTH_LIMIT),
            max_alias_nodes: self.max_alias_nodes.unwrap_or(d.max_alias_nodes),
            max_alias_bytes: self.max_alias_bytes.unwrap_or(d.max_alias_bytes),
            yaml_version: self.yaml_version.unwrap_or_default(),
        }
    }
}

/// Validates YAML or JSON text. `Err` only for misuse (an invalid option value).
pub fn validate(text: &str, options: &ValidateOptions) -> Result<Report, String> {
    let release = options.release()?;
    let index = LineIndex::new(text);
    if let Some(refused) = refuse_size(text.len(), &index, options) {
        return Ok(refused);
    }
    let stream = yaml::parse(text, options.budget());
    let (units, file) = check::check_stream(text, &index, &stream, release, options.reading());
    Ok(Report::build(&index, units, &file))
}

/// Validates bytes: invalid UTF-8 is a diagnostic at the first bad byte.
pub fn validate_bytes(bytes: &[u8], options: &ValidateOptions) -> Result<Report, String> {
    match decode(bytes) {
        Ok(text) => validate(text, options),
        Err(report) => {
            options.release()?;
            Ok(report)
        }
    }
}

/// UTF-8 text of the bytes, or the report that refuses them.
pub fn decode(bytes: &[u8]) -> Result<&str, Report> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        // SAFETY-free: the prefix up to `valid_up_to` is valid UTF-8 by definition.
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
        let index = LineIndex::new(prefix);
        let bad = e.error_len().unwrap_or(bytes.len() - good);
        let finding = Finding::new(
            R::InvalidUtf8,
            Span::new(good, good),
            "",
            format!("invalid UTF-8: byte 0x{:02X} at offset {good} ({bad} bad byte{}); save the file as UTF-8", bytes[good], if bad == 1 { "" } else { "s" }),
        );
        Report::file_only(&index, &[finding])
    })
}

fn refuse_size(len: usize, index: &LineIndex, options: &ValidateOptions) -> Option<Report> {
    let max = options.max_bytes.unwrap_or(DEFAULT_MAX_BYTES);
    (len > max).then(|| {
        let finding = Finding::new(
            R::InputTooLarge,
            Span::new(0, 0),
            "",
            format!("input is {len} bytes, above the {max}-byte budget (maxBytes); not parsed"),
        );
        Report::file_only(index, &[finding])
    })
}

/// The object(s) as the API server would store them: vlan defaulted, nulls pruned, canonical
/// addresses, unknown fields dropped with `dropUnknown`. `Err` only for misuse.
pub fn normalize(text: &str, options: &ValidateOptions) -> Result<TransformResult, String> {
    transform::normalize(text, options)
}

/// Converts every SpiderEndpoint to `to` (v1 <-> v2beta1), with the change report; `lossless`
/// keeps what is dropped in the `spiderendpoint.io/lossless` annotation. `Err` only for misuse.
pub fn convert(text: &str, to: ApiVersion, options: &ValidateOptions) -> Result<TransformResult, String> {
    transform::convert(text, to, options)
}

/// Answers an `apiextensions.k8s.io/v1` ConversionReview (the body of a conversion webhook).
pub fn convert_review(review: &serde_json::Value) -> serde_json::Value {
    transform::convert_review(review)
}

/// The rule table.
pub fn rules() -> &'static [RuleInfo] {
    RULES
}

/// Options of `schema()`.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct SchemaOptions {
    /// Spiderpool release whose CRD to describe (default: the newest).
    #[cfg_attr(feature = "ts", ts(optional))]
    pub spiderpool_version: Option<String>,
    /// `v1` or `v2beta1`: the newest era of that apiVersion.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub api_version: Option<String>,
}

/// The JSON Schema (draft-07) of the era the options select (default: the newest v2beta1), or of
/// the newest era of `api_version` when one is given.
pub fn json_schema(spiderpool_version: Option<&str>, api_version: Option<&str>) -> Result<serde_json::Value, String> {
    let era = match (spiderpool_version.filter(|s| !s.is_empty()), api_version) {
        (Some(v), _) => Release::parse(v)?.era(),
        (None, Some(a)) => Era::newest(ApiVersion::from_short(a).ok_or_else(|| format!("unknown apiVersion \"{a}\" (expected v1 or v2beta1)"))?),
        (None, None) => Era::newest(ApiVersion::V2beta1),
    };
    Ok(schema::json_schema(era))
}

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
