//! The options of each operation (camelCase in JS). Every type refuses the fields of the others
//! (`validate(text, {lossless: true})` is misuse), and all of them share the fields that say how
//! the input is read: [`InputOptions`].

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::error::Misuse;
use crate::release::{ApiVersion, Era, Release};
use crate::rules::{Rule, Severity};
use crate::yaml::{self, YamlVersion};

/// Largest input accepted by default, in bytes. The budget exists against hostile input.
pub const DEFAULT_MAX_BYTES: usize = 32 * 1024 * 1024;

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

/// How the input is read and how strictly fields are validated (from the options).
#[derive(Debug, Clone, Copy, Default)]
pub struct Reading {
    pub yaml_version: YamlVersion,
    pub field_validation: FieldValidation,
    /// Per document: it has a spelling the two readers read differently (else SE011 is not looked for).
    pub ambiguous: bool,
}

impl Reading {
    /// The severity of unknown fields and duplicate keys: kubectl's `--validate` mode.
    pub fn field_severity(self) -> Option<Severity> {
        match self.field_validation {
            FieldValidation::Strict => None,
            FieldValidation::Warn => Some(Severity::Warning),
            FieldValidation::Ignore => Some(Severity::Info),
        }
    }
}

/// A rule's severity as configured: `off` drops its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum RuleLevel {
    Off,
    Info,
    Warning,
    Error,
}

/// How every operation reads its input: the Spiderpool release and the budgets.
#[derive(Debug, Clone, Default)]
pub struct InputOptions {
    pub spiderpool_version: Option<String>,
    pub max_bytes: Option<usize>,
    pub max_depth: Option<usize>,
    pub max_alias_nodes: Option<usize>,
    pub max_alias_bytes: Option<usize>,
    pub yaml_version: Option<YamlVersion>,
}

impl InputOptions {
    /// The release asked for; `None` means each document against the newest that serves it.
    pub fn release(&self) -> Result<Option<Release>, Misuse> {
        match self.spiderpool_version.as_deref() {
            None | Some("") | Some("latest") | Some("newest") => Ok(None),
            Some(s) => Release::parse(s).map(Some),
        }
    }

    pub fn max_bytes(&self) -> usize {
        self.max_bytes.unwrap_or(DEFAULT_MAX_BYTES)
    }

    pub fn yaml_version(&self) -> YamlVersion {
        self.yaml_version.unwrap_or_default()
    }

    pub fn budget(&self) -> yaml::Budget {
        let d = yaml::Budget::default();
        yaml::Budget {
            max_depth: self.max_depth.unwrap_or(d.max_depth).min(yaml::MAX_DEPTH_LIMIT),
            max_alias_nodes: self.max_alias_nodes.unwrap_or(d.max_alias_nodes),
            max_alias_bytes: self.max_alias_bytes.unwrap_or(d.max_alias_bytes),
            yaml_version: self.yaml_version(),
        }
    }
}

/// Declares an options type with the input fields (serde cannot `flatten` into a type that denies
/// unknown fields, so each type spells them out) and its own fields.
macro_rules! options {
    ($(#[$meta:meta])* $name:ident { $($(#[$fmeta:meta])* $field:ident: Option<$ty:ty>,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, Deserialize)]
        #[cfg_attr(feature = "ts", derive(ts_rs::TS))]
        #[serde(rename_all = "camelCase", default, deny_unknown_fields)]
        pub struct $name {
            /// Spiderpool release to check against ("1.2", "v0.6.1"). Default: each document against
            /// the newest release that serves its apiVersion.
            #[cfg_attr(feature = "ts", ts(optional))]
            pub spiderpool_version: Option<String>,
            /// Largest input accepted, in bytes (default 32 MiB; `audit`: 1 GiB per file).
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
            /// How to read plain scalars: "1.1" (default) as kubectl does (`yes` is true, `010` is
            /// 8), or "1.2" for a YAML 1.2 consumer.
            #[cfg_attr(feature = "ts", ts(optional))]
            pub yaml_version: Option<$crate::yaml::YamlVersion>,
            $($(#[$fmeta])* #[cfg_attr(feature = "ts", ts(optional))] pub $field: Option<$ty>,)*
        }

        impl From<$crate::options::InputOptions> for $name {
            fn from(i: $crate::options::InputOptions) -> Self {
                $name {
                    spiderpool_version: i.spiderpool_version,
                    max_bytes: i.max_bytes,
                    max_depth: i.max_depth,
                    max_alias_nodes: i.max_alias_nodes,
                    max_alias_bytes: i.max_alias_bytes,
                    yaml_version: i.yaml_version,
                    ..Default::default()
                }
            }
        }

        impl $name {
            pub fn input(&self) -> $crate::options::InputOptions {
                $crate::options::InputOptions {
                    spiderpool_version: self.spiderpool_version.clone(),
                    max_bytes: self.max_bytes,
                    max_depth: self.max_depth,
                    max_alias_nodes: self.max_alias_nodes,
                    max_alias_bytes: self.max_alias_bytes,
                    yaml_version: self.yaml_version,
                }
            }
        }
    };
}

/// The same declaration for options types of other modules (`audit`).
pub(crate) use options;

options! {
    /// Options of `validate`, `validateObject`, `validateFiles` and `fix`.
    ValidateOptions {
        /// What unknown fields and duplicate keys are, like `kubectl apply --validate`: "strict"
        /// (default: errors, the API server refuses the object), "warn" (warnings) or "ignore" (infos).
        field_validation: Option<FieldValidation>,
        /// Per-rule severity, by code (`"SE313"`) or rule name (`"owner-type-none"`): "off", "info",
        /// "warning" or "error".
        rules: Option<BTreeMap<String, RuleLevel>>,
    }
}

options! {
    /// Options of `normalize`.
    NormalizeOptions {
        /// Also drop fields the CRD does not define (the API server prunes them).
        drop_unknown: Option<bool>,
    }
}

options! {
    /// Options of `convert`.
    ConvertOptions {
        /// Keep dropped data in the `spiderendpoint.io/lossless` annotation so the way back restores it.
        lossless: Option<bool>,
    }
}

impl ValidateOptions {
    pub(crate) fn reading(&self) -> Reading {
        Reading { yaml_version: self.yaml_version.unwrap_or_default(), field_validation: self.field_validation.unwrap_or_default(), ambiguous: true }
    }

    /// The configured severities, checked: an unknown code or rule name is misuse.
    pub fn rule_levels(&self) -> Result<RuleLevels, Misuse> {
        RuleLevels::new(self.rules.as_ref())
    }
}

/// Per-rule severities chosen by the user (few entries: a scan beats a map).
#[derive(Debug, Clone, Default)]
pub struct RuleLevels(Vec<(Rule, RuleLevel)>);

impl RuleLevels {
    /// The levels of a `rules` option, checked: an unknown code or rule name is misuse.
    pub fn new(rules: Option<&BTreeMap<String, RuleLevel>>) -> Result<RuleLevels, Misuse> {
        let mut levels = RuleLevels::default();
        for (key, level) in rules.into_iter().flatten() {
            let rule = Rule::ALL.iter().find(|r| r.code().eq_ignore_ascii_case(key) || r.name() == key).ok_or_else(|| Misuse::UnknownRule(key.clone()))?;
            levels.0.push((*rule, *level));
        }
        Ok(levels)
    }

    /// `None` when the rule is off, else the severity its findings get (`default` when not set).
    pub fn severity(&self, rule: Rule, default: Severity) -> Option<Severity> {
        match self.0.iter().rev().find(|(r, _)| *r == rule).map(|(_, l)| *l) {
            None => Some(default),
            Some(RuleLevel::Off) => None,
            Some(RuleLevel::Info) => Some(Severity::Info),
            Some(RuleLevel::Warning) => Some(Severity::Warning),
            Some(RuleLevel::Error) => Some(Severity::Error),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
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

impl SchemaOptions {
    /// The era to describe: the named release's, else the newest of the apiVersion (v2beta1).
    pub fn era(&self) -> Result<Era, Misuse> {
        Ok(match (self.spiderpool_version.as_deref().filter(|s| !s.is_empty()), self.api_version.as_deref()) {
            (Some(v), _) => Release::parse(v)?.era(),
            (None, Some(a)) => Era::newest(ApiVersion::from_short(a).ok_or_else(|| Misuse::UnknownApiVersion(a.to_string()))?),
            (None, None) => Era::newest(ApiVersion::V2beta1),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_operation_refuses_the_others_fields() {
        assert!(serde_json::from_str::<ValidateOptions>(r#"{"lossless": true}"#).is_err());
        assert!(serde_json::from_str::<ValidateOptions>(r#"{"dropUnknown": true}"#).is_err());
        assert!(serde_json::from_str::<NormalizeOptions>(r#"{"lossless": true}"#).is_err());
        assert!(serde_json::from_str::<NormalizeOptions>(r#"{"fieldValidation": "warn"}"#).is_err());
        assert!(serde_json::from_str::<ConvertOptions>(r#"{"dropUnknown": true}"#).is_err());
        assert!(serde_json::from_str::<ConvertOptions>(r#"{"rules": {}}"#).is_err());
        let v: ValidateOptions = serde_json::from_str(r#"{"maxDepth": 9, "fieldValidation": "warn", "rules": {"SE313": "off"}}"#).unwrap();
        assert_eq!(v.input().budget().max_depth, 9);
        let n: NormalizeOptions = serde_json::from_str(r#"{"maxDepth": 9, "dropUnknown": true}"#).unwrap();
        assert_eq!((n.input().budget().max_depth, n.drop_unknown), (9, Some(true)));
    }

    #[test]
    fn rule_levels_by_code_or_name() {
        let v: ValidateOptions = serde_json::from_str(r#"{"rules": {"se313": "off", "missing-status": "error"}}"#).unwrap();
        let l = v.rule_levels().unwrap();
        assert_eq!(l.severity(Rule::RouteGatewayOutsideSubnet, Severity::Warning), Some(Severity::Warning));
        assert_eq!(l.severity(Rule::MissingStatus, Severity::Warning), Some(Severity::Error));
        assert_eq!(l.severity(Rule::UidNotUuid, Severity::Warning), None);
        let bad: ValidateOptions = serde_json::from_str(r#"{"rules": {"SE999": "off"}}"#).unwrap();
        assert_eq!(bad.rule_levels().unwrap_err(), Misuse::UnknownRule("SE999".into()));
        assert!(serde_json::from_str::<ValidateOptions>(r#"{"rules": {"SE313": "loud"}}"#).is_err());
    }
}
