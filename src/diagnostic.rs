//! The one diagnostic model. Checks produce [`Finding`]s with byte spans; [`Finding::resolve`] turns
//! them into [`Diagnostic`]s with every position a renderer needs (line/column, byte and UTF-16).

use serde::Serialize;

use crate::rules::{Rule, Severity};
use crate::text::{LineIndex, Position};
use crate::yaml::Span;

/// A finding before positions are resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    pub rule: Rule,
    pub span: Span,
    pub path: String,
    pub message: String,
    pub fix: Option<RawFix>,
    /// A severity other than the rule's default (field validation modes).
    pub severity: Option<Severity>,
    /// The other end of a finding about two places (the first definition of a duplicate).
    pub related: Vec<RelatedLocation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RawFix {
    pub message: String,
    pub edits: Vec<(Span, String)>,
    /// Keeps what the object means (see [`Fix::safe`]).
    pub safe: bool,
}

impl Finding {
    pub fn new(rule: Rule, span: Span, path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding { rule, span, path: path.into(), message: message.into(), fix: None, severity: None, related: Vec::new() }
    }

    /// A fix that needs review: it changes what the object means (a guess, a removal).
    pub fn with_fix(mut self, message: impl Into<String>, edits: Vec<(Span, String)>) -> Self {
        self.fix = Some(RawFix { message: message.into(), edits, safe: false });
        self
    }

    /// A fix `--fix` may apply without review: the object means the same afterwards.
    pub fn with_safe_fix(mut self, message: impl Into<String>, edits: Vec<(Span, String)>) -> Self {
        self.fix = Some(RawFix { message: message.into(), edits, safe: true });
        self
    }

    pub fn with_related(mut self, related: RelatedLocation) -> Self {
        self.related.push(related);
        self
    }

    pub fn severity(&self) -> Severity {
        self.severity.unwrap_or_else(|| self.rule.severity())
    }

    pub fn resolve(&self, index: &LineIndex) -> Diagnostic {
        Diagnostic {
            code: self.rule.code().to_string(),
            rule: self.rule.name().to_string(),
            severity: self.severity(),
            message: clip(&self.message),
            location: Location::new(index, self.span, &self.path),
            fix: self.fix.as_ref().map(|f| Fix {
                message: f.message.clone(),
                safe: f.safe,
                edits: f.edits.iter().map(|(span, text)| TextEdit::new(index, *span, text.clone())).collect(),
            }),
            related: self.related.clone(),
            suppressed_by: None,
        }
    }
}

/// Messages quote values from the input; aliases can make many long ones. A message keeps its
/// first [`MAX_MESSAGE`] bytes, so a report stays proportional to its findings, not to the text
/// they quote.
pub const MAX_MESSAGE: usize = 1024;

fn clip(message: &str) -> String {
    clip_to(message, MAX_MESSAGE)
}

/// Longest JSON Pointer token kept whole in a report (a valid key is far shorter; an alias can put
/// one long key into thousands of pointers).
pub const MAX_POINTER_TOKEN: usize = 256;

/// The pointer with every token longer than [`MAX_POINTER_TOKEN`] bytes cut (`…` marks the cut),
/// so that a report stays proportional to its findings.
pub fn clip_pointer(path: &str) -> String {
    if path.len() <= MAX_POINTER_TOKEN {
        return path.to_string();
    }
    path.split('/').map(|t| clip_to(t, MAX_POINTER_TOKEN)).collect::<Vec<_>>().join("/")
}

/// `text` cut at a character boundary after at most `max` bytes, saying how much was left out.
pub fn clip_to(text: &str, max: usize) -> String {
    if text.len() <= max {
        return text.to_string();
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} more bytes)", &text[..end], text.len() - end)
}

/// A finding with resolved positions: the shape every renderer and the JS API use.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Diagnostic {
    /// Stable code, e.g. `SE201`.
    #[cfg_attr(feature = "ts", ts(type = "RuleCode"))]
    pub code: String,
    /// Stable kebab-case rule name, e.g. `required-field`.
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// Where it is (`path`, `line`, … in the JSON: the fields are flattened into the diagnostic's).
    #[serde(flatten)]
    pub location: Location,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub fix: Option<Fix>,
    /// The other places the finding is about (the first definition of a duplicate), possibly in
    /// another file of the same run.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "ts", ts(as = "Option<Vec<RelatedLocation>>", optional))]
    pub related: Vec<RelatedLocation>,
    /// In `Report.suppressed` only: the comment that suppressed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub suppressed_by: Option<Suppression>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Fix {
    pub message: String,
    /// True when applying it keeps what the object means (`fix()` and `--fix` apply only these);
    /// false for guesses and removals, which need review.
    pub safe: bool,
    pub edits: Vec<TextEdit>,
}

/// Where a suppressed diagnostic was suppressed: the line of the comment (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Suppression {
    pub line: usize,
}

/// Another place a diagnostic is about.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RelatedLocation {
    pub message: String,
    /// The file, when it is not the input of the diagnostic (`validateFiles`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub file: Option<String>,
    #[serde(flatten)]
    pub location: Location,
}

impl RelatedLocation {
    pub fn new(index: &LineIndex, span: Span, path: impl Into<String>, message: impl Into<String>) -> Self {
        RelatedLocation { message: clip(&message.into()), file: None, location: Location::new(index, span, &path.into()) }
    }
}

/// A place in the input: the pointer and the span with every position a renderer needs. Diagnostics
/// and related locations carry one, flattened (its fields are theirs in the JSON).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Location {
    /// JSON Pointer from the document root; `""` for the whole document or file.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column in UTF-16 code units.
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// UTF-8 byte offsets into the input.
    pub offset: usize,
    pub end_offset: usize,
    /// UTF-16 code-unit offsets (JavaScript string indices).
    pub utf16_offset: usize,
    pub utf16_end_offset: usize,
}

impl Location {
    /// `span` at `path`, its positions found with `index`; the pointer is clipped ([`clip_pointer`]).
    pub fn new(index: &LineIndex, span: Span, path: &str) -> Location {
        Location::at(clip_pointer(path), span, index.position(span.start), index.position(span.end))
    }

    /// `span` at `path`, given the positions of its start and end (found by the caller, e.g. many at once).
    pub fn at(path: String, span: Span, start: Position, end: Position) -> Location {
        Location {
            path,
            line: start.line,
            column: start.column,
            end_line: end.line,
            end_column: end.column,
            offset: span.start,
            end_offset: span.end,
            utf16_offset: start.utf16,
            utf16_end_offset: end.utf16,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct TextEdit {
    pub offset: usize,
    pub end_offset: usize,
    pub utf16_offset: usize,
    pub utf16_end_offset: usize,
    pub new_text: String,
}

impl TextEdit {
    pub fn new(index: &LineIndex, span: Span, new_text: String) -> Self {
        TextEdit {
            offset: span.start,
            end_offset: span.end,
            utf16_offset: index.utf16(span.start),
            utf16_end_offset: index.utf16(span.end),
            new_text,
        }
    }
}

/// Applies non-overlapping byte-offset edits to a text.
pub fn apply_edits(text: &str, edits: &[(Span, String)]) -> String {
    let mut sorted: Vec<&(Span, String)> = edits.iter().collect();
    sorted.sort_by_key(|(s, _)| (s.start, s.end));
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for (span, new) in sorted {
        if span.start < at || span.end > text.len() {
            continue; // overlapping or out of range: skipped rather than corrupting the text
        }
        out.push_str(&text[at..span.start]);
        out.push_str(new);
        at = span.end;
    }
    out.push_str(&text[at..]);
    out
}
