//! The validate operations: one input (text or bytes), the files of one run (with the checks
//! across them), and `fix`. Each parses, checks, applies the rule settings and the suppression
//! comments, and builds the report.

use serde::Serialize;

use crate::check::{self, cross::Cross, Unit};
use crate::diagnostic::{apply_edits, Diagnostic, Finding, Suppression};
use crate::error::Misuse;
use crate::input;
use crate::options::{RuleLevels, ValidateOptions};
use crate::release::Release;
use crate::report::{Report, Summary};
use crate::suppress::Suppressions;
use crate::text::LineIndex;
use crate::yaml::{self, Span};

/// One input checked, before its report is built (the checks across files still to come).
struct Checked<'t> {
    index: LineIndex<'t>,
    units: Vec<Unit>,
    file: Vec<Finding>,
    suppressions: Suppressions,
}

/// The settings every input of one call is checked with.
struct Settings<'o> {
    options: &'o ValidateOptions,
    release: Option<Release>,
    levels: RuleLevels,
}

impl<'o> Settings<'o> {
    fn new(options: &'o ValidateOptions) -> Result<Self, Misuse> {
        Ok(Settings { options, release: options.input().release()?, levels: options.rule_levels()? })
    }

    fn check<'t>(&self, text: &'t str) -> Checked<'t> {
        let index = LineIndex::new(text);
        if let Some(refused) = input::too_large(text.len(), self.options.input().max_bytes()) {
            return Checked { index, units: Vec::new(), file: vec![refused], suppressions: Suppressions::default() };
        }
        let marks = crate::suppress::candidates(text);
        let mut checks = check::StreamCheck::new(text, self.release, self.options.reading(), !marks.is_empty());
        let ending = yaml::parse_each(text, self.options.input().budget(), &mut checks);
        let (units, mut file, scalars) = checks.finish(|offset| index.position(offset).line, &ending.problems);
        let suppressions = Suppressions::find(text, &index, &marks, scalars, &mut file);
        Checked { index, units, file, suppressions }
    }

    /// The report of a checked input: rule levels applied, suppressed findings set apart.
    fn report(&self, mut c: Checked<'_>) -> Report {
        let mut suppressed: Vec<(Finding, usize)> = Vec::new();
        let mut sift = |findings: &mut Vec<Finding>| {
            if self.levels.is_empty() && c.suppressions.is_empty() {
                return;
            }
            findings.retain_mut(|f| {
                let Some(severity) = self.levels.severity(f.rule, f.severity()) else { return false };
                if severity != f.severity() {
                    f.severity = Some(severity);
                }
                match c.suppressions.silencer(f, c.index.position(f.span.start).line) {
                    Some(line) => {
                        suppressed.push((f.clone(), line));
                        false
                    }
                    None => true,
                }
            });
        };
        sift(&mut c.file);
        for unit in &mut c.units {
            sift(&mut unit.findings);
        }
        let mut report = Report::build(&c.index, c.units, &c.file);
        report.summary.suppressed = suppressed.len();
        report.suppressed = suppressed
            .iter()
            .take(crate::report::MAX_DIAGNOSTICS)
            .map(|(f, line)| Diagnostic { suppressed_by: Some(Suppression { line: *line }), ..f.resolve(&c.index) })
            .collect();
        report
    }
}

/// Validates YAML or JSON text. `Err` only for misuse (an invalid option value).
pub fn validate(text: &str, options: &ValidateOptions) -> Result<Report, Misuse> {
    let settings = Settings::new(options)?;
    let mut checked = settings.check(text);
    Cross::default().add(None, &checked.index, &mut checked.units);
    Ok(settings.report(checked))
}

/// Validates bytes: invalid UTF-8 is a diagnostic at the first bad byte.
pub fn validate_bytes(bytes: &[u8], options: &ValidateOptions) -> Result<Report, Misuse> {
    let settings = Settings::new(options)?;
    match input::decode(bytes) {
        Ok(text) => validate(text, options),
        Err((prefix, finding)) => Ok(settings.report(Checked { index: LineIndex::new(prefix), units: Vec::new(), file: vec![finding], suppressions: Suppressions::default() })),
    }
}

/// One file of a run and its report.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FileReport {
    pub name: String,
    pub report: Report,
}

/// The reports of the files of one run.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FilesReport {
    pub files: Vec<FileReport>,
    /// The sums of the files' summaries.
    pub summary: Summary,
}

/// Validates the files of one run as one desired state: each as [`validate`] does, and across
/// them the same endpoint defined twice and one IP claimed twice (reported in the later file, the
/// earlier as a related location with its `file`).
pub fn validate_files<'a>(files: impl IntoIterator<Item = (&'a str, &'a [u8])>, options: &ValidateOptions) -> Result<FilesReport, Misuse> {
    let settings = Settings::new(options)?;
    let mut cross = Cross::default();
    let mut out = Vec::new();
    let mut summary = Summary::default();
    for (name, bytes) in files {
        let mut checked = match input::decode(bytes) {
            Ok(text) => settings.check(text),
            Err((prefix, finding)) => Checked { index: LineIndex::new(prefix), units: Vec::new(), file: vec![finding], suppressions: Suppressions::default() },
        };
        cross.add(Some(name), &checked.index, &mut checked.units);
        let report = settings.report(checked);
        summary.add(&report.summary);
        out.push(FileReport { name: name.to_string(), report });
    }
    Ok(FilesReport { files: out, summary })
}

/// The outcome of [`fix`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FixResult {
    /// The text with every safe fix applied (the input when none applies).
    pub output: String,
    pub changed: bool,
    /// Validation passes that applied fixes.
    pub passes: usize,
    /// The diagnostics whose fixes were applied (positions in the text of their pass).
    pub applied: Vec<Diagnostic>,
    /// The report of `output`: what is left, unsafe fixes included.
    pub report: Report,
}

/// The most passes [`fix`] makes (a fix may uncover another).
pub const MAX_FIX_PASSES: usize = 10;

/// Applies every safe fix, validates again, and repeats until nothing changes. A pass that would
/// leave more errors than before is not kept.
pub fn fix(text: &str, options: &ValidateOptions) -> Result<FixResult, Misuse> {
    let mut current = text.to_string();
    let mut report = validate(&current, options)?;
    let mut applied = Vec::new();
    let mut passes = 0;
    while passes < MAX_FIX_PASSES {
        let safe: Vec<&Diagnostic> = report.diagnostics.iter().chain(report.documents.iter().flat_map(|d| &d.diagnostics)).filter(|d| d.fix.as_ref().is_some_and(|f| f.safe)).collect();
        let edits: Vec<(Span, String)> = safe.iter().flat_map(|d| d.fix.iter().flat_map(|f| &f.edits)).map(|e| (Span::new(e.offset, e.end_offset), e.new_text.clone())).collect();
        if edits.is_empty() {
            break;
        }
        let next = apply_edits(&current, &edits);
        if next == current {
            break;
        }
        let next_report = validate(&next, options)?;
        if next_report.summary.counts.errors > report.summary.counts.errors {
            break;
        }
        applied.extend(safe.into_iter().cloned());
        passes += 1;
        current = next;
        report = next_report;
    }
    Ok(FixResult { changed: current != text, output: current, passes, applied, report })
}

#[cfg(test)]
mod tests;
