//! Spiderpool releases and the CRD era each one shipped.

use std::fmt;

use crate::error::Misuse;

/// One shape of the SpiderEndpoint CRD, with the releases that shipped it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Era {
    /// `spiderpool.spidernet.io/v1`, Spiderpool 0.2.0 – 0.3.7 (CRD of v0.3.7).
    V1,
    /// `v2beta1`, Spiderpool 0.4.0 – 0.6.0: vlan max 4095.
    V2beta1Vlan4095,
    /// `v2beta1`, Spiderpool 0.6.1 – 1.1.x: vlan max 4094.
    V2beta1,
    /// `v2beta1`, Spiderpool 1.2.0 and later: adds `mac`.
    V2beta1Mac,
}

impl Era {
    pub fn api_version(self) -> ApiVersion {
        match self {
            Era::V1 => ApiVersion::V1,
            _ => ApiVersion::V2beta1,
        }
    }

    /// The newest era of an API version (what a document is checked against when no release is named).
    pub fn newest(api: ApiVersion) -> Era {
        match api {
            ApiVersion::V1 => Era::V1,
            ApiVersion::V2beta1 => Era::V2beta1Mac,
        }
    }

    pub fn releases(self) -> &'static str {
        match self {
            Era::V1 => "Spiderpool 0.2.0–0.3.7",
            Era::V2beta1Vlan4095 => "Spiderpool 0.4.0–0.6.0",
            Era::V2beta1 => "Spiderpool 0.6.1–1.1.x",
            Era::V2beta1Mac => "Spiderpool 1.2.0 and later",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ApiVersion {
    V1,
    V2beta1,
}

pub const GROUP: &str = "spiderpool.spidernet.io";

impl ApiVersion {
    pub fn parse(api_version: &str) -> Option<ApiVersion> {
        match api_version.strip_prefix(GROUP)?.strip_prefix('/')? {
            "v1" => Some(ApiVersion::V1),
            "v2beta1" => Some(ApiVersion::V2beta1),
            _ => None,
        }
    }

    pub fn short(self) -> &'static str {
        match self {
            ApiVersion::V1 => "v1",
            ApiVersion::V2beta1 => "v2beta1",
        }
    }

    pub fn full(self) -> &'static str {
        match self {
            ApiVersion::V1 => "spiderpool.spidernet.io/v1",
            ApiVersion::V2beta1 => "spiderpool.spidernet.io/v2beta1",
        }
    }

    pub fn from_short(s: &str) -> Option<ApiVersion> {
        match s {
            "v1" => Some(ApiVersion::V1),
            "v2beta1" => Some(ApiVersion::V2beta1),
            _ => ApiVersion::parse(s),
        }
    }
}

/// The minor release lines this engine knows (0.2.0, the first with SpiderEndpoint's final v1
/// shape, to 1.2, the newest at the time of the upstream snapshot).
pub const KNOWN_LINES: &[(u32, u32)] = &[(0, 2), (0, 3), (0, 4), (0, 5), (0, 6), (0, 7), (0, 8), (0, 9), (1, 0), (1, 1), (1, 2)];

/// The known release lines as written (`0.2` ... `1.2`).
pub fn known_releases() -> Vec<String> {
    KNOWN_LINES.iter().map(|(a, b)| format!("{a}.{b}")).collect()
}

/// A Spiderpool release, e.g. `1.2`, `v0.6.1`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Release(pub u32, pub u32, pub u32);

impl Release {
    /// A release this engine knows: one of the minor lines of [`KNOWN_LINES`], any patch.
    pub fn parse(s: &str) -> Result<Release, Misuse> {
        let t = s.trim();
        let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
        let core = t.split(['-', '+']).next().unwrap_or("");
        let parts: Vec<&str> = core.split('.').collect();
        let invalid = || Misuse::InvalidRelease(s.to_string());
        if parts.is_empty() || parts.len() > 3 || parts.iter().any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(invalid());
        }
        let num = |i: usize| parts.get(i).map_or(Ok(0), |p| p.parse::<u32>().map_err(|_| invalid()));
        let r = Release(num(0)?, num(1)?, num(2)?);
        if !KNOWN_LINES.contains(&(r.0, r.1)) {
            return Err(Misuse::UnknownRelease { given: s.to_string(), known: known_releases() });
        }
        Ok(r)
    }

    pub fn era(self) -> Era {
        match self {
            r if r < Release(0, 4, 0) => Era::V1,
            r if r < Release(0, 6, 1) => Era::V2beta1Vlan4095,
            r if r < Release(1, 2, 0) => Era::V2beta1,
            _ => Era::V2beta1Mac,
        }
    }
}

impl fmt::Display for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}.{}", self.0, self.1, self.2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn releases_map_to_eras() {
        let era = |s: &str| Release::parse(s).unwrap().era();
        assert_eq!(era("0.3.7"), Era::V1);
        assert_eq!(era("v0.4.0"), Era::V2beta1Vlan4095);
        assert_eq!(era("0.6"), Era::V2beta1Vlan4095);
        assert_eq!(era("0.6.1"), Era::V2beta1);
        assert_eq!(era("1.1.2"), Era::V2beta1);
        assert_eq!(era("1.2"), Era::V2beta1Mac);
        assert_eq!(era("v1.2.0-rc1"), Era::V2beta1Mac);
        assert!(Release::parse("0.1").is_err());
        assert!(Release::parse("one").is_err());
        assert!(Release::parse("").is_err());
        assert!(matches!(Release::parse("99"), Err(Misuse::UnknownRelease { given, .. }) if given == "99"));
        assert_eq!(Release::parse("1.3").unwrap_err().to_string(), "unknown Spiderpool release \"1.3\" (known releases: 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.1, 1.2)");
        assert_eq!(Release::parse("1.2.7"), Ok(Release(1, 2, 7)));
        assert_eq!(Release::parse("1.-2"), Err(Misuse::InvalidRelease("1.-2".into())));
    }
}
