//! spiderendpoint: validate, normalize and convert Spiderpool `SpiderEndpoint` documents.
//!
//! The core is plain Rust: text in, a [`Report`] out. `src/wasm.rs` (wasm32 only) is the thin
//! wasm-bindgen boundary that the npm package and the page use.

// Layers, each using only the ones above it in this list: text, hash and yaml (reading), rules, error
// and diagnostic (the model), release, schema and list (facts), options and input, check and
// transform (the work), suppress and report, validate (the operations). lib.rs only wires them.
pub mod text;
pub mod hash;
pub mod yaml;
pub mod rules;
pub mod error;
pub mod diagnostic;
pub mod release;
pub mod schema;
pub mod list;
pub mod options;
pub mod input;
pub mod check;
pub mod transform;
pub mod suppress;
pub mod report;
pub mod validate;
pub mod audit;

#[cfg(target_arch = "wasm32")]
pub mod wasm;

pub use diagnostic::{Diagnostic, Finding, Fix, Location, RelatedLocation, Suppression, TextEdit};
pub use error::Misuse;
pub use options::{ConvertOptions, FieldValidation, InputOptions, NormalizeOptions, RuleLevel, SchemaOptions, ValidateOptions, DEFAULT_MAX_BYTES};
pub use release::{known_releases, ApiVersion, Era, Release};
pub use audit::{audit, audit_bytes, AuditOptions, AuditReport};
pub use report::{DocumentReport, DocumentStatus, FindingCounts, Report, Summary};
pub use rules::{Rule, RuleInfo, Severity, RULES};
pub use transform::{Change, ChangeKind, TransformResult, LOSSLESS_ANNOTATION};
pub use validate::{fix, validate, validate_bytes, validate_files, FileReport, FilesReport, FixResult};

/// The object(s) as the API server would store them: vlan defaulted, nulls pruned, canonical
/// addresses, unknown fields dropped with `dropUnknown`. `Err` only for misuse.
pub fn normalize(text: &str, options: &NormalizeOptions) -> Result<TransformResult, Misuse> {
    transform::normalize(text, options)
}

/// Converts every SpiderEndpoint to `to` (v1 <-> v2beta1), with the change report; `lossless`
/// keeps what is dropped in the `spiderendpoint.io/lossless` annotation. `Err` only for misuse.
pub fn convert(text: &str, to: ApiVersion, options: &ConvertOptions) -> Result<TransformResult, Misuse> {
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

/// The JSON Schema (draft-07) of the era the options select (default: the newest v2beta1), or of
/// the newest era of `api_version` when one is given.
pub fn json_schema(options: &SchemaOptions) -> Result<serde_json::Value, Misuse> {
    Ok(schema::json_schema(options.era()?))
}

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
