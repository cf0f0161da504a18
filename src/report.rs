//! The validation report: the public shape of `validate()` and of the CLI's JSON output.

use serde::Serialize;

use crate::check::Unit;
use crate::diagnostic::{Diagnostic, Finding};
use crate::rules::Severity;
use crate::text::LineIndex;

/// The identity of an object as the report shows it: as written, cut after 256 bytes (a valid name
/// is at most 253; a longer one is an error of its own, and aliases could repeat it many times).
fn identity(s: String) -> String {
    if s.len() <= 256 {
        return s;
    }
    crate::diagnostic::clip_to(&s, 256)
}

/// Listed findings are capped per input so that a pathological file cannot produce an unbounded
/// report; the summary still counts them all.
pub const MAX_DIAGNOSTICS: usize = 10_000;

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Report {
    /// File-level diagnostics: syntax errors, budgets, invalid UTF-8.
    pub diagnostics: Vec<Diagnostic>,
    pub documents: Vec<DocumentReport>,
    pub summary: Summary,
    /// Findings silenced by suppression comments (each with `suppressedBy`); not counted above.
    pub suppressed: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "lowercase")]
pub enum DocumentStatus {
    Valid,
    Invalid,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DocumentReport {
    /// 0-based YAML document in the stream.
    pub index: usize,
    /// 0-based index inside `items` when the document is a List.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub item: Option<usize>,
    /// apiVersion, kind, namespace and name as written (each cut after 256 bytes).
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    pub status: DocumentStatus,
    /// First and last line of the object (1-based).
    pub line: usize,
    pub end_line: usize,
    pub diagnostics: Vec<Diagnostic>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Summary {
    pub documents: usize,
    pub valid: usize,
    pub invalid: usize,
    pub skipped: usize,
    #[serde(flatten)]
    pub counts: FindingCounts,
    /// True when more than MAX_DIAGNOSTICS (10,000) findings were found and some are not listed.
    /// The counts above include them.
    pub truncated: bool,
    /// Findings counted above but not listed (warnings and infos go first; errors last).
    pub omitted: usize,
    /// Findings silenced by suppression comments (not counted in errors, warnings, infos).
    pub suppressed: usize,
}

/// Findings counted by severity (suppressed ones are not counted): in a report's [`Summary`] and,
/// over all files, in an audit's summary (`errors`, `warnings`, `infos` in their JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FindingCounts {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl FindingCounts {
    pub fn count(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.errors += 1,
            Severity::Warning => self.warnings += 1,
            Severity::Info => self.infos += 1,
        }
    }

    pub fn add(&mut self, other: &FindingCounts) {
        self.errors += other.errors;
        self.warnings += other.warnings;
        self.infos += other.infos;
    }

    pub fn total(&self) -> usize {
        self.errors + self.warnings + self.infos
    }
}

impl Summary {
    /// Adds the counts of another summary (the files of one run).
    pub fn add(&mut self, other: &Summary) {
        self.documents += other.documents;
        self.valid += other.valid;
        self.invalid += other.invalid;
        self.skipped += other.skipped;
        self.counts.add(&other.counts);
        self.truncated |= other.truncated;
        self.omitted += other.omitted;
        self.suppressed += other.suppressed;
    }

    /// Counts one document and returns its status: skipped when `skipped`, else invalid when one of
    /// its findings is an error, else valid.
    pub(crate) fn count_document(&mut self, skipped: bool, mut severities: impl Iterator<Item = Severity>) -> DocumentStatus {
        let status = if skipped {
            DocumentStatus::Skipped
        } else if severities.any(|s| s == Severity::Error) {
            DocumentStatus::Invalid
        } else {
            DocumentStatus::Valid
        };
        match status {
            DocumentStatus::Valid => self.valid += 1,
            DocumentStatus::Invalid => self.invalid += 1,
            DocumentStatus::Skipped => self.skipped += 1,
        }
        self.documents += 1;
        status
    }
}

impl Report {
    /// A report with only file-level findings (input refused before parsing).
    pub fn file_only(index: &LineIndex, findings: &[Finding]) -> Report {
        Report::build(index, Vec::new(), findings)
    }

    /// Resolves every finding into the report. The summary counts all findings; the report lists at
    /// most [`MAX_DIAGNOSTICS`] of them, errors before warnings and infos, so a flood of warnings can
    /// never push an error out of the listing.
    pub fn build(index: &LineIndex, units: Vec<Unit>, file: &[Finding]) -> Report {
        let mut summary = Summary::default();
        for f in file.iter().chain(units.iter().flat_map(|u| &u.findings)) {
            summary.counts.count(f.severity());
        }
        let total = summary.counts.total();
        let mut error_budget = summary.counts.errors.min(MAX_DIAGNOSTICS);
        let mut other_budget = MAX_DIAGNOSTICS - error_budget;
        let mut listed = 0;
        let mut resolve = |findings: &[Finding]| -> Vec<Diagnostic> {
            let mut sorted: Vec<&Finding> = findings.iter().collect();
            sorted.sort_by_key(|f| (f.span.start, f.rule.code()));
            sorted.retain(|f| {
                let budget = if f.severity() == Severity::Error { &mut error_budget } else { &mut other_budget };
                let keep = *budget > 0;
                *budget -= keep as usize;
                keep
            });
            listed += sorted.len();
            sorted.iter().map(|f| f.resolve(index)).collect()
        };
        let diagnostics = resolve(file);
        let mut documents = Vec::with_capacity(units.len());
        for unit in units {
            let diags = resolve(&unit.findings);
            let status = summary.count_document(unit.skipped(), unit.findings.iter().map(Finding::severity));
            documents.push(DocumentReport {
                index: unit.index,
                item: unit.item,
                api_version: unit.api_version.map(identity),
                kind: unit.kind.map(identity),
                namespace: unit.namespace.map(identity),
                name: unit.name.map(identity),
                status,
                line: index.position(unit.span.start).line,
                end_line: index.position(unit.span.end).line,
                diagnostics: diags,
            });
        }
        summary.omitted = total - listed;
        summary.truncated = summary.omitted > 0;
        Report { diagnostics, documents, summary, suppressed: Vec::new() }
    }

    /// True when any document (or the file) has an error.
    pub fn has_errors(&self) -> bool {
        self.summary.counts.errors > 0
    }
}
