//! Misuse: the only errors the engine returns (a finding about the input is never an error).

use std::fmt;

/// A wrong argument or option. The JS API throws it; the CLI reports it as a usage error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misuse {
    /// `spiderpoolVersion` is not a release (`"one"`).
    InvalidRelease(String),
    /// `spiderpoolVersion` is a release this engine does not know (`"99"`, `"1.3"`, `"0.1"`), and
    /// the ones it knows.
    UnknownRelease { given: String, known: Vec<String> },
    /// An apiVersion other than v1 or v2beta1.
    UnknownApiVersion(String),
    /// `convert` to an apiVersion the named release does not serve (the message says which).
    VersionNotServed(String),
    /// A rule code or name in `rules` that does not exist.
    UnknownRule(String),
    /// An option or argument of the wrong shape (from the JS boundary).
    InvalidArgument(String),
}

impl fmt::Display for Misuse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Misuse::InvalidRelease(s) => write!(f, "invalid Spiderpool release \"{s}\" (expected e.g. 1.2 or v0.6.1)"),
            Misuse::UnknownRelease { given, known } => write!(f, "unknown Spiderpool release \"{given}\" (known releases: {})", known.join(", ")),
            Misuse::UnknownApiVersion(s) => write!(f, "unknown apiVersion \"{s}\" (expected v1 or v2beta1)"),
            Misuse::VersionNotServed(s) => f.write_str(s),
            Misuse::UnknownRule(s) => write!(f, "unknown rule \"{s}\" in rules (expected a code such as SE313 or a rule name such as owner-type-none)"),
            Misuse::InvalidArgument(s) => f.write_str(s),
        }
    }
}

impl std::error::Error for Misuse {}

impl Misuse {
    /// A stable name for the kind of misuse (the `name` of the JS error).
    pub fn kind(&self) -> &'static str {
        match self {
            Misuse::InvalidRelease(_) => "InvalidRelease",
            Misuse::UnknownRelease { .. } => "UnknownRelease",
            Misuse::UnknownApiVersion(_) => "UnknownApiVersion",
            Misuse::VersionNotServed(_) => "VersionNotServed",
            Misuse::UnknownRule(_) => "UnknownRule",
            Misuse::InvalidArgument(_) => "InvalidArgument",
        }
    }
}
