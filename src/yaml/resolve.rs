//! Plain scalars to values, the way a reader of each YAML version does it.
//!
//! - [`YamlVersion::V1_1`], the default, is kubectl's reading: sigs.k8s.io/yaml vendors go-yaml v2,
//!   whose resolver (goyaml.v2/resolve.go) takes `yes`/`on`/`y` for true, `no`/`off`/`n` for false,
//!   `010` for octal 8, `1_000` for 1000, `0b11`/`0o17`/`0x1F` in Go's integer syntax; integral
//!   floats become JSON integers once kubectl marshals the object (`10.0` is 10), a float that
//!   overflows (`1e400`) stays a string, and timestamps (`2022-07-29`) stay strings.
//! - [`YamlVersion::V1_2`] is the YAML 1.2 core schema (editors, yq, the `yaml` npm package).

use std::borrow::Cow;

use serde::Deserialize;

use super::Value;

/// Which YAML reader the engine reads as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum YamlVersion {
    /// kubectl's reader (go-yaml v2, YAML 1.1 scalars): what `kubectl apply` sends.
    #[default]
    #[serde(rename = "1.1")]
    V1_1,
    /// The YAML 1.2 core schema.
    #[serde(rename = "1.2")]
    V1_2,
}

impl YamlVersion {
    pub fn other(self) -> YamlVersion {
        match self {
            YamlVersion::V1_1 => YamlVersion::V1_2,
            YamlVersion::V1_2 => YamlVersion::V1_1,
        }
    }

    pub fn reader(self) -> &'static str {
        match self {
            YamlVersion::V1_1 => "kubectl (YAML 1.1)",
            YamlVersion::V1_2 => "a YAML 1.2 reader",
        }
    }
}

/// The value of a plain scalar; `None` for a string (the caller keeps its text).
pub fn plain(t: &str, version: YamlVersion) -> Option<Value<'static>> {
    if !maybe_not_string(t.as_bytes()) {
        return None;
    }
    read(t, version)
}

/// [`plain`], and whether the other reader reads the scalar differently (a spelling SE011 and
/// `normalize` care about). The readers are asked only for candidates of the cheap filter.
pub fn plain_and_ambiguity(t: &str, version: YamlVersion) -> (Option<Value<'static>>, bool) {
    if !maybe_not_string(t.as_bytes()) {
        return (None, false);
    }
    let active = read(t, version);
    let other = read(t, version.other());
    let same = match (&active, &other) {
        (None, None) => true,
        (Some(a), Some(b)) => same_value(a, b),
        _ => false,
    };
    (active, !same)
}

fn read(t: &str, version: YamlVersion) -> Option<Value<'static>> {
    match version {
        YamlVersion::V1_1 => kubectl(t),
        YamlVersion::V1_2 => match super::loader::resolve_plain(t) {
            Value::Str(_) => None,
            v => Some(v),
        },
    }
}

/// The key kubectl's YAML-to-JSON conversion makes of a plain key (`on` -> `"true"`, `010` ->
/// `"8"`); `None` when it is the text itself. YAML 1.2 readers keep the text.
pub fn key(t: &str, version: YamlVersion) -> Option<String> {
    if version != YamlVersion::V1_1 {
        return None;
    }
    match plain(t, version)? {
        Value::Bool(b) => Some(b.to_string()),
        Value::Int(i) => Some(i.to_string()).filter(|s| s != t),
        Value::Float(f) => Some(go_format_float32(f)).filter(|s| s != t),
        Value::Null => Some("null".to_string()).filter(|s| s != t),
        _ => None,
    }
}

/// Go's `strconv.FormatFloat(f, 'g', -1, 32)` with sigs.k8s.io/yaml's names for the specials.
fn go_format_float32(f: f64) -> String {
    if f.is_nan() {
        return ".nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { ".inf".into() } else { "-.inf".into() };
    }
    let s = format!("{}", f as f32);
    s.strip_suffix(".0").map_or(s.clone(), str::to_string)
}

/// Whether a non-empty plain scalar could be anything but a string to either reader: a cheap filter
/// (`false` is exact: both resolvers answer only for these forms), so that most scalars (names,
/// addresses, UIDs) stop here.
#[inline]
pub fn maybe_not_string(t: &[u8]) -> bool {
    let Some(&first) = t.first() else { return true };
    match first {
        b'~' | b'y' | b'Y' | b'n' | b'N' | b'o' | b'O' | b't' | b'T' | b'f' | b'F' => matches!(
            t,
            b"~" | b"y" | b"Y" | b"yes" | b"Yes" | b"YES" | b"on" | b"On" | b"ON" | b"true" | b"True" | b"TRUE"
                | b"n" | b"N" | b"no" | b"No" | b"NO" | b"off" | b"Off" | b"OFF" | b"false" | b"False" | b"FALSE"
                | b"null" | b"Null" | b"NULL"
        ),
        b'0'..=b'9' | b'+' | b'-' | b'.' => {
            let body = match first {
                b'+' | b'-' => &t[1..],
                _ => t,
            };
            let rest_all = |from: usize, ok: fn(u8) -> bool| body[from..].iter().all(|&c| ok(c) || c == b'_');
            match body {
                [b'.', ..] if body.len() <= 4 && body[1..].iter().all(u8::is_ascii_alphabetic) => true, // .inf, .nan
                [b'0', b'x' | b'X', ..] => rest_all(2, |c| c.is_ascii_hexdigit()),
                [b'0', b'o' | b'O', ..] => rest_all(2, |c| matches!(c, b'0'..=b'7')),
                [b'0', b'b' | b'B', ..] => rest_all(2, |c| matches!(c, b'0' | b'1')),
                // A number has at most one `.` for either reader: `10.6.0.1` (a gateway) is a string.
                _ => rest_all(0, |c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-')) && body.iter().filter(|&&c| c == b'.').count() <= 1,
            }
        }
        _ => false,
    }
}

/// go-yaml v2's `resolve("", t)` followed by sigs.k8s.io/yaml's JSON marshalling.
fn kubectl(t: &str) -> Option<Value<'static>> {
    match t {
        "" | "~" | "null" | "Null" | "NULL" => return Some(Value::Null),
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => return Some(Value::Bool(true)),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => return Some(Value::Bool(false)),
        ".nan" | ".NaN" | ".NAN" => return Some(Value::Float(f64::NAN)),
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(Value::Float(f64::INFINITY)),
        "-.inf" | "-.Inf" | "-.INF" => return Some(Value::Float(f64::NEG_INFINITY)),
        _ => {}
    }
    match t.as_bytes()[0] {
        b'.' => go_parse_float(t).map(number),
        b'0'..=b'9' | b'+' | b'-' => {
            let plain: Cow<str> = if t.contains('_') { Cow::Owned(t.replace('_', "")) } else { Cow::Borrowed(t) };
            // An integer in Go's syntax; beyond int64 (go-yaml: uint64, a float, or a big.Int) it is
            // still a JSON integer, the text of which the tree keeps.
            match go_parse_int(&plain) {
                Ok(i) => return Some(Value::Int(i)),
                Err(IntError::Range) => return Some(Value::BigInt),
                Err(IntError::Syntax) => {}
            }
            is_yaml_style_float(&plain).then(|| go_parse_float(&plain)).flatten().map(number)
        }
        _ => None,
    }
}

/// A float as kubectl sends it: encoding/json writes an integral float without a fraction, which
/// the API server then reads as an integer (beyond int64: a big integer).
fn number(f: f64) -> Value<'static> {
    match f {
        f if f.fract() != 0.0 => Value::Float(f),
        f if f.abs() < 9.2e18 => Value::Int(f as i64),
        _ => Value::BigInt,
    }
}

enum IntError {
    Syntax,
    Range,
}

/// The base and digits of Go's base-0 integer syntax (sign already removed): `0x`, `0o`, `0b`,
/// a leading `0` (octal), or decimal.
fn go_base(s: &str) -> (u32, &str) {
    let b = s.as_bytes();
    match (b.first(), b.get(1)) {
        (Some(b'0'), Some(b'x' | b'X')) => (16, &s[2..]),
        (Some(b'0'), Some(b'o' | b'O')) => (8, &s[2..]),
        (Some(b'0'), Some(b'b' | b'B')) => (2, &s[2..]),
        (Some(b'0'), Some(_)) => (8, &s[1..]),
        _ => (10, s),
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` (underscores already removed).
fn go_parse_int(s: &str) -> Result<i64, IntError> {
    let (neg, rest) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let (base, digits) = go_base(rest);
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(base)) {
        return Err(IntError::Syntax);
    }
    let mut magnitude: u64 = 0;
    for c in digits.chars() {
        let d = c.to_digit(base).unwrap_or(0) as u64;
        magnitude = magnitude.checked_mul(base as u64).and_then(|m| m.checked_add(d)).ok_or(IntError::Range)?;
    }
    match (neg, i64::try_from(magnitude)) {
        (false, Ok(v)) => Ok(v),
        (true, Ok(v)) => Ok(-v),
        (true, Err(_)) if magnitude == 1 << 63 => Ok(i64::MIN),
        _ => Err(IntError::Range),
    }
}

/// Go's `strconv.ParseFloat(s, 64)` for the decimal forms the resolver gives it; `None` on a
/// syntax error or an overflow (Go reports ErrRange there and the resolver keeps the string).
fn go_parse_float(s: &str) -> Option<f64> {
    let b = s.as_bytes();
    let digits = b.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-'));
    if !digits || !b.iter().any(u8::is_ascii_digit) {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
fn is_yaml_style_float(t: &str) -> bool {
    let t = t.strip_prefix(['-', '+']).unwrap_or(t);
    let (mantissa, exp) = match t.find(['e', 'E']) {
        Some(i) => (&t[..i], Some(&t[i + 1..])),
        None => (t, None),
    };
    let all_digits = |s: &str| s.bytes().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some((int, frac)) => all_digits(int) && all_digits(frac) && !(int.is_empty() && frac.is_empty()),
        None => !mantissa.is_empty() && all_digits(mantissa),
    };
    let exp_ok = exp.is_none_or(|e| {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        !e.is_empty() && all_digits(e)
    });
    mantissa_ok && exp_ok
}

/// The `!!binary` payload as kubectl sends it: the decoded bytes as a string.
pub fn binary(t: &str) -> Option<String> {
    let mut out = Vec::with_capacity(t.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0);
    for c in t.bytes().filter(|c| !c.is_ascii_whitespace()) {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            b'=' => break,
            _ => return None,
        };
        acc = (acc << 6) | v as u32;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    String::from_utf8(out).ok()
}

/// The readings of a plain scalar by the two readers, when they differ as JSON values.
pub fn readings(t: &str) -> Option<(Value<'static>, Value<'static>)> {
    let k = plain(t, YamlVersion::V1_1);
    let y = plain(t, YamlVersion::V1_2);
    let same = match (&k, &y) {
        (None, None) => true,
        (Some(a), Some(b)) => same_value(a, b),
        _ => false,
    };
    if same {
        return None;
    }
    let text = || Value::Str(Cow::Owned(t.to_string()));
    Some((k.unwrap_or_else(text), y.unwrap_or_else(text)))
}

/// Equal as JSON: numbers by value (an integer and an integral float are the same number).
fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => *x as f64 == *y,
        (Value::Float(x), Value::Float(y)) => x == y || (x.is_nan() && y.is_nan()),
        (Value::BigInt, _) | (_, Value::BigInt) => false,
        _ => a == b,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn k(t: &str) -> Option<Value<'static>> {
        plain(t, YamlVersion::V1_1)
    }

    #[test]
    fn kubectl_reading() {
        for t in ["yes", "Yes", "on", "On", "y", "Y", "TRUE", "true"] {
            assert_eq!(k(t), Some(Value::Bool(true)), "{t}");
        }
        for t in ["no", "off", "n", "N", "False", "OFF"] {
            assert_eq!(k(t), Some(Value::Bool(false)), "{t}");
        }
        for (t, v) in [("010", 8), ("+0755", 493), ("0o17", 15), ("0x1F", 31), ("-0b11", -3), ("1_000", 1000), ("10.0", 10), ("1e1", 10), ("1.5e3", 1500), ("0", 0), ("-0", 0), ("08", 8), ("0x_1F", 31), ("1__0", 10)] {
            assert_eq!(k(t), Some(Value::Int(v)), "{t}");
        }
        assert_eq!(k("99999999999999999999"), Some(Value::BigInt));
        assert_eq!(k("9223372036854775807"), Some(Value::Int(i64::MAX)));
        assert_eq!(k("-9223372036854775808"), Some(Value::Int(i64::MIN)));
        assert_eq!(k("9223372036854775808"), Some(Value::BigInt));
        assert_eq!(k("0xFFFFFFFFFFFFFFFFFF"), Some(Value::BigInt));
        assert_eq!(k("1.5"), Some(Value::Float(1.5)));
        assert_eq!(k(".5"), Some(Value::Float(0.5)));
        for t in ["1e400", "12:30", "2022-07-29", "yEs", "0x", "1_0.5e", "0b", "abc", "+", "-", ".", "1:20"] {
            assert_eq!(k(t), None, "{t} stays a string");
        }
        assert!(matches!(k(".inf"), Some(Value::Float(f)) if f.is_infinite()));
        assert_eq!(k("~"), Some(Value::Null));
        assert_eq!(key("on", YamlVersion::V1_1).as_deref(), Some("true"));
        assert_eq!(key("n", YamlVersion::V1_1).as_deref(), Some("false"));
        assert_eq!(key("010", YamlVersion::V1_1).as_deref(), Some("8"));
        assert_eq!(key("name", YamlVersion::V1_1), None);
        assert_eq!(key("on", YamlVersion::V1_2), None);
        assert_eq!(binary("aGk=").as_deref(), Some("hi"));
    }

    #[test]
    fn the_filter_lets_every_non_string_through() {
        for t in ["~", "yes", "n", "OFF", "Null", "0", "-0", "+1", "010", "0x1F", "-0X1f", "0o17", "0O1_7", "0b1_0", "-0B1", "1_000", "1.5e3", "-.5", "5.", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "1e400", "99999999999999999999"] {
            assert!(maybe_not_string(t.as_bytes()), "{t}");
            assert!(plain(t, YamlVersion::V1_1).is_some() || plain(t, YamlVersion::V1_2).is_some() || t == "1e400", "{t}");
        }
        for t in ["3f6a9c1e-8b2d-4e7a", "10.1.0.5/24", "worker-1", "fd00::1", "12:30", "0xZ", "1a", "10.6.0.1", "1.2.3", "1..2", "-1.2.3e4", "1_0.5.5"] {
            assert!(!maybe_not_string(t.as_bytes()), "{t}");
            // exact: both readers take it for a string
            assert!(read(t, YamlVersion::V1_1).is_none() && read(t, YamlVersion::V1_2).is_none(), "{t}");
        }
    }

    #[test]
    fn the_readers_differ_on_yaml_11_spellings_only() {
        assert!(readings("yes").is_some());
        assert!(readings("010").is_some());
        assert!(readings("1_0").is_some());
        assert!(readings("1e400").is_some());
        for t in ["true", "10", "0x1F", "0o17", "1.5", "name", "1e1", "null", "~"] {
            assert!(readings(t).is_none(), "{t}");
        }
    }
}
