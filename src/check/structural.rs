//! The CRD's structural schema, applied as the API server applies it: types, required fields,
//! ranges, formats, null pruning and defaulting, and pruning of unknown fields (reported).

use crate::diagnostic::Finding;
use crate::release::Era;
use crate::rules::Rule;
use crate::schema::{Schema, Type};
use crate::yaml::{escape_pointer, push_index, Entry, Node, Span, Value};

use super::suggest::did_you_mean;

pub struct Structural<'c> {
    pub src: &'c str,
    pub era: Era,
    /// How unknown fields are treated (kubectl's `--validate`).
    pub reading: super::Reading,
    pub out: &'c mut Vec<Finding>,
}

impl Structural<'_> {
    /// Checks `node` against `schema`. `anchor` is where findings about the node as a whole point
    /// (the key that holds it), `path` its JSON Pointer.
    pub fn walk(&mut self, node: &Node, schema: &Schema, path: &mut String, anchor: Span) {
        let Some(ty) = schema.ty else { return };
        if !self.type_ok(node, schema, ty, path) {
            return;
        }
        match &node.value {
            Value::Map(entries) if !schema.open => self.object(node, entries, schema, path, anchor),
            Value::Seq(items) => {
                if let Some(item_schema) = &schema.items {
                    for (i, item) in items.iter().enumerate() {
                        let len = path.len();
                        push_index(path, i);
                        self.walk(item, item_schema, path, item.span);
                        path.truncate(len);
                    }
                }
            }
            _ => {}
        }
    }

    fn object(&mut self, node: &Node, entries: &[Entry], schema: &Schema, path: &mut String, anchor: Span) {
        for entry in entries {
            let len = path.len();
            path.push('/');
            path.push_str(&escape_pointer(&entry.key));
            let prop = schema.property(&entry.key).or(schema.additional.as_deref());
            match prop {
                Some(prop) if matches!(entry.value.value, Value::Null) => self.null(entry, prop, schema, path),
                Some(prop) => self.walk(&entry.value, prop, path, entry.key_span),
                None => self.unknown(node, entry, entries, schema, path),
            }
            path.truncate(len);
        }
        for req in &schema.required {
            if entries.iter().any(|e| crate::yaml::same(&e.key, req)) {
                continue; // present (null was reported above)
            }
            let parent = if path.is_empty() { "the object".to_string() } else { format!("`{}`", pointer_to_dotted(path)) };
            self.out.push(Finding::new(
                Rule::RequiredField,
                anchor,
                format!("{path}/{}", escape_pointer(req)),
                format!("missing required field `{req}` in {parent} ({})", self.era_label()),
            ));
        }
    }

    fn null(&mut self, entry: &Entry, prop: &Schema, parent: &Schema, path: &str) {
        let key = &entry.key;
        let (rule, msg) = if let Some(default) = prop.default {
            (Rule::NullValue, format!("`{key}: null` is replaced by the default {default} by the API server"))
        } else if parent.required.iter().any(|r| r == key.as_ref()) {
            (Rule::RequiredField, format!("required field `{key}` is null; the API server prunes nulls, so it is missing"))
        } else {
            (Rule::NullValue, format!("`{key}: null` is pruned by the API server (the field is dropped)"))
        };
        self.out.push(Finding::new(rule, entry.key_span, path, msg));
    }

    fn unknown(&mut self, parent: &Node, entry: &Entry, siblings: &[Entry], schema: &Schema, path: &str) {
        let known: Vec<&str> = schema.properties.iter().map(|(k, _)| k.as_str()).collect();
        let effect = match self.reading.field_validation {
            crate::options::FieldValidation::Strict => "`kubectl apply` refuses the object (strict field validation, its default; with --validate=warn the API server would drop the field)",
            crate::options::FieldValidation::Warn => "the API server drops it and warns (field validation \"warn\")",
            crate::options::FieldValidation::Ignore => "the API server drops it silently (field validation \"ignore\")",
        };
        let mut msg = format!("unknown field `{}`: {effect}", entry.key);
        if let Some(note) = era_note(&entry.key, self.era) {
            msg.push_str(&format!(" ({note})"));
        }
        let mut finding = Finding::new(Rule::UnknownField, entry.key_span, path, String::new());
        if let Some(s) = did_you_mean(&entry.key, &known) {
            msg.push_str(&format!("; did you mean `{s}`?"));
            // No fix when the right key is already there (renaming would duplicate it).
            if !known.contains(&entry.key.as_ref()) && !siblings.iter().any(|e| e.key == s) {
                let new = super::edits::same_quotes(self.src, entry.key_span, s);
                finding = finding.with_fix(format!("Rename to `{s}`"), vec![(entry.key_span, new)]);
            }
        } else if let Some(lines) = super::edits::entry_lines(self.src, parent, entry) {
            finding = finding.with_fix(format!("Remove `{}`", entry.key), vec![(lines, String::new())]);
        }
        finding.message = msg;
        finding.severity = self.reading.field_severity();
        self.out.push(finding);
    }

    /// Checks the JSON type, range and format of a value; false when the type is wrong.
    fn type_ok(&mut self, node: &Node, schema: &Schema, ty: Type, path: &str) -> bool {
        let ok = match (&node.value, ty) {
            (Value::Str(_), Type::String)
            | (Value::Bool(_), Type::Boolean)
            | (Value::Map(_), Type::Object)
            | (Value::Seq(_), Type::Array) => true,
            (Value::Int(i), Type::Integer) => {
                self.range(*i, node, schema, path);
                true
            }
            (Value::BigInt, Type::Integer) => {
                let text = self.text(node.span);
                self.out.push(Finding::new(
                    Rule::OutOfRange,
                    node.span,
                    path,
                    format!("`{}` {text} does not fit in an int64", field(path)),
                ));
                true
            }
            _ => false,
        };
        if ok {
            if let (Value::Str(s), Some("date-time")) = (&node.value, schema.format.as_deref()) {
                if !is_rfc3339(s) {
                    self.out.push(Finding::new(
                        Rule::InvalidFormat,
                        node.span,
                        path,
                        format!("`{}` must be an RFC 3339 date-time such as 2022-07-29T08:54:12Z, got \"{s}\"", field(path)),
                    ));
                }
            }
            return true;
        }
        self.wrong_type(node, ty, path);
        false
    }

    fn range(&mut self, i: i64, node: &Node, schema: &Schema, path: &str) {
        let field = field(path);
        let releases = self.era.releases();
        if let Some(max) = schema.maximum.filter(|m| i > *m) {
            let extra = if field == "vlan" && max == 4094 && i == 4095 {
                " (4095 was allowed up to Spiderpool 0.6.0)"
            } else {
                ""
            };
            self.out.push(Finding::new(
                Rule::OutOfRange,
                node.span,
                path,
                format!("`{field}` {i} is above the maximum {max} of {releases}{extra}"),
            ));
        }
        if let Some(min) = schema.minimum.filter(|m| i < *m) {
            self.out.push(Finding::new(
                Rule::OutOfRange,
                node.span,
                path,
                format!("`{field}` {i} is below the minimum {min}"),
            ));
        }
    }

    fn wrong_type(&mut self, node: &Node, ty: Type, path: &str) {
        let field = field(path);
        let text = self.text(node.span);
        let what = match &node.value {
            Value::Str(s) => format!("a string (\"{s}\")"),
            Value::Float(_) => format!("a number with a fraction ({text})"),
            Value::Null => "null".to_string(),
            _ => format!("{} {}", article(node.type_name()), node.type_name()),
        };
        let mut message = format!("`{field}` must be {} {}, but is {what}", article(ty.name()), ty.name());
        let plain = !text.is_empty() && !text.starts_with(['"', '\'', '|', '>']);
        if let Some((kubectl, yaml12)) = crate::yaml::resolve::readings(text).filter(|_| plain) {
            message.push_str(&format!("; kubectl (YAML 1.1) reads the plain `{text}` as {}, a YAML 1.2 reader as {}", json_text(&kubectl), json_text(&yaml12)));
        }
        let mut finding = Finding::new(Rule::WrongType, node.span, path, message);
        match (&node.value, ty) {
            (Value::Str(s), Type::Integer) if s.trim().parse::<i64>().is_ok() => {
                finding = finding.with_fix("Remove the quotes", vec![(node.span, s.trim().to_string())]);
            }
            (Value::Str(s), Type::Boolean) => {
                let b = match s.to_ascii_lowercase().as_str() {
                    "true" | "yes" | "on" | "y" => Some("true"),
                    "false" | "no" | "off" | "n" => Some("false"),
                    _ => None,
                };
                if let Some(b) = b {
                    finding = finding.with_fix(format!("Write `{b}`"), vec![(node.span, b.to_string())]);
                }
            }
            // Already quoted (a `!!int "5"` tag made it a number): quoting again would not help.
            (Value::Int(_) | Value::Float(_) | Value::Bool(_) | Value::BigInt, Type::String) if !text.starts_with(['"', '\'']) => {
                finding = finding.with_fix("Quote the value", vec![(node.span, format!("\"{text}\""))]);
            }
            _ => {}
        }
        self.out.push(finding);
    }

    fn text(&self, span: Span) -> &str {
        self.src.get(span.start..span.end).unwrap_or("")
    }

    fn era_label(&self) -> String {
        format!("{} CRD of {}", self.era.api_version().short(), self.era.releases())
    }
}

/// A scalar value as JSON text (for messages).
pub(super) fn json_text(v: &Value) -> String {
    match v {
        Value::Str(s) => format!("\"{s}\""),
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => format!("{f:?}"),
        _ => "a number".into(),
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

/// The last token of a JSON Pointer: the field a message names.
fn field(path: &str) -> &str {
    &path[path.rfind('/').map_or(0, |i| i + 1)..]
}

/// Why a field unknown in one era exists elsewhere.
fn era_note(field: &str, era: Era) -> Option<&'static str> {
    match (field, era) {
        ("mac", Era::V1 | Era::V2beta1 | Era::V2beta1Vlan4095) => Some("`mac` exists from Spiderpool 1.2"),
        ("containerID" | "creationTime" | "history", Era::V2beta1 | Era::V2beta1Vlan4095 | Era::V2beta1Mac) => {
            Some("a v1 field, removed in v2beta1; convert with `spiderendpoint convert --to v2beta1`")
        }
        ("uid", Era::V1) => Some("a v2beta1 field; v1 keys the allocation by containerID"),
        _ => None,
    }
}

/// `/status/current/ips/0` → `status.current.ips[0]`.
pub fn pointer_to_dotted(path: &str) -> String {
    let mut out = String::new();
    for seg in path.split('/').skip(1) {
        if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
            out.push_str(&format!("[{seg}]"));
        } else {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&seg.replace("~1", "/").replace("~0", "~"));
        }
    }
    out
}

/// RFC 3339 date-time: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let num = |r: std::ops::Range<usize>| s.get(r).and_then(|t| t.parse::<u32>().ok()).unwrap_or(99);
    if b.len() < 20
        || !digits(0..4)
        || b[4] != b'-'
        || !digits(5..7)
        || b[7] != b'-'
        || !digits(8..10)
        || !matches!(b[10], b'T' | b't' | b' ')
        || !digits(11..13)
        || b[13] != b':'
        || !digits(14..16)
        || b[16] != b':'
        || !digits(17..19)
    {
        return false;
    }
    if !(1..=12).contains(&num(5..7)) || !(1..=31).contains(&num(8..10)) || num(11..13) > 23 || num(14..16) > 59 || num(17..19) > 60 {
        return false;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        let start = i + 1;
        i = start;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return false;
        }
    }
    match &b[i..] {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert!(is_rfc3339("2022-07-29T08:54:12Z"));
        assert!(is_rfc3339("2022-07-29T08:54:12.123+08:00"));
        assert!(!is_rfc3339("2022-07-29"));
        assert!(!is_rfc3339("2022-13-29T08:54:12Z"));
        assert!(!is_rfc3339("2022-07-29T08:54:12"));
    }

    #[test]
    fn dotted() {
        assert_eq!(pointer_to_dotted("/status/current/ips/0/vlan"), "status.current.ips[0].vlan");
    }
}
