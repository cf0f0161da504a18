//! `audit`: a cluster export (Pods, SpiderEndpoints, SpiderIPPools, SpiderSubnets,
//! SpiderReservedIPs; one stream, a List or several files) checked object by object (schema,
//! webhook rules) and across objects (the invariants of spiderpool-ippool.md §4.3).
//!
//! Large exports are read piece by piece in one scan of each file (`split.rs`, `read.rs`): each
//! document and each item of a block-style List is parsed alone (a Pod only through the lines of
//! the fields the checks need, `skim.rs`) and only those fields are kept (`model.rs`).
//! The invariants (`cross.rs`) use indices built once. Positions are resolved at the end from the
//! pieces' line numbers (`resolve.rs`).

pub mod cross;
pub mod json;
pub mod model;
pub mod ranges;
pub mod read;
mod resolve;
mod skim;
mod split;
mod suppress;
mod webhook;

use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Fix, Location, RelatedLocation, TextEdit};
use crate::error::Misuse;
use crate::options::Reading;
use crate::release::Release;
use crate::report::{DocumentReport, FindingCounts, Report, Summary, MAX_DIAGNOSTICS};
use crate::rules::{Rule, Severity};
use crate::yaml::{self, Span};
use crate::FieldValidation;

use model::{AFinding, Store};
use resolve::Positions;

/// Default input budget of `audit`, per file: exports of 50,000 Pods are 300–500 MB.
pub const AUDIT_DEFAULT_MAX_BYTES: usize = 1024 * 1024 * 1024;

crate::options::options! {
    /// Options of `audit` (camelCase in JS). Unknown options are refused. The budgets on depth and
    /// aliases apply per object; `maxBytes` per file (default 1 GiB: exports of 50,000 Pods are
    /// 300–500 MB).
    AuditOptions {
        /// As `validate`'s `fieldValidation`.
        field_validation: Option<FieldValidation>,
        /// The reference time for grace periods (RFC 3339). Default: the newest timestamp in the input.
        now: Option<String>,
        /// Per-rule severity, by code (`"SE621"`) or rule name (`"leaked-ip"`): "off", "info",
        /// "warning" or "error" (as `validate`'s `rules`).
        rules: Option<std::collections::BTreeMap<String, crate::options::RuleLevel>>,
    }
}

/// What every reading step needs.
#[derive(Debug, Clone, Copy)]
pub struct AuditContext {
    pub release: Option<Release>,
    pub reading: Reading,
    pub budget: yaml::Budget,
    pub now: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditFile {
    pub name: String,
    /// The `validate` report shape; cross-object findings carry the other end in `related` (with
    /// `file` when it is in another file).
    pub report: Report,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AuditReport {
    pub files: Vec<AuditFile>,
    pub summary: AuditSummary,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct AuditSummary {
    pub pods: usize,
    pub endpoints: usize,
    pub pools: usize,
    pub subnets: usize,
    pub reserved_ips: usize,
    /// Objects of other kinds (skipped).
    pub other: usize,
    /// The findings of all files (each file's report counts its own).
    #[serde(flatten)]
    pub counts: FindingCounts,
    /// Findings silenced by suppression comments (not counted above; each file's report lists them).
    pub suppressed: usize,
    /// The reference time used for grace periods (RFC 3339), when there is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reference_time: Option<String>,
    /// Per pool, in input order.
    pub pool_table: Vec<PoolSummary>,
    /// Per namespace, endpoints without Pods.
    pub namespaces: Vec<NamespaceSummary>,
    /// Suggested repairs per class (kubectl commands to review; never executed).
    pub repairs: Vec<Repair>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PoolSummary {
    pub name: String,
    pub file: String,
    /// Number of records.
    pub allocated: usize,
    /// Addresses of `ips − excludeIPs` (saturating), when they parse.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub total: Option<u64>,
    /// Records whose Pod (or, for a live Pod, whose endpoint) is gone (RP1, RE1).
    pub leaked: Vec<String>,
    /// Records or endpoint addresses that no longer match (RP2, EP2).
    pub stale: Vec<String>,
    /// Addresses held twice (X1, P7, EP7, PD2, PD3).
    pub conflicting: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct NamespaceSummary {
    pub namespace: String,
    pub endpoints_without_pods: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Repair {
    /// Rule codes whose findings this repairs.
    pub codes: Vec<String>,
    pub title: String,
    /// Commands to review and run by hand.
    pub commands: Vec<String>,
}

impl AuditOptions {
    pub fn context(&self) -> Result<AuditContext, Misuse> {
        let input = self.input();
        let release = input.release()?;
        let budget = input.budget();
        let now = match self.now.as_deref() {
            None | Some("") => None,
            Some(t) => Some(read::rfc3339(t).ok_or_else(|| Misuse::InvalidArgument(format!("invalid time \"{t}\" for `now` (expected RFC 3339, e.g. 2024-01-02T03:04:05Z)")))?),
        };
        Ok(AuditContext {
            release,
            reading: Reading { yaml_version: self.yaml_version.unwrap_or_default(), field_validation: self.field_validation.unwrap_or_default(), ambiguous: true },
            budget,
            now,
        })
    }
}

/// Audits the objects of all files together. `Err` only for misuse (an invalid option).
pub fn audit(files: &[(&str, &str)], options: &AuditOptions) -> Result<AuditReport, Misuse> {
    audit_inner(files, &vec![None; files.len()], options)
}

/// [`audit`] of bytes (what the wasm boundary and the CLI hold): a file that is not UTF-8 gets
/// SE002 at its first bad byte and is not read; the other files are audited together.
pub fn audit_bytes(files: &[(&str, &[u8])], options: &AuditOptions) -> Result<AuditReport, Misuse> {
    let mut texts: Vec<(&str, &str)> = Vec::with_capacity(files.len());
    let mut refusals = Vec::with_capacity(files.len());
    for (name, bytes) in files {
        match crate::input::decode(bytes) {
            Ok(text) => {
                texts.push((name, text));
                refusals.push(None);
            }
            Err((prefix, finding)) => {
                texts.push((name, prefix));
                refusals.push(Some(finding));
            }
        }
    }
    audit_inner(&texts, &refusals, options)
}

fn audit_inner(files: &[(&str, &str)], refusals: &[Option<crate::diagnostic::Finding>], options: &AuditOptions) -> Result<AuditReport, Misuse> {
    let cx = options.context()?;
    let levels = crate::options::RuleLevels::new(options.rules.as_ref())?;
    let max = options.max_bytes.unwrap_or(AUDIT_DEFAULT_MAX_BYTES);
    let mut store = Store::default();
    for (i, (_, text)) in files.iter().enumerate() {
        while store.file_findings.len() <= i {
            store.file_findings.push(Vec::new());
        }
        if let Some(f) = refusals.get(i).cloned().flatten() {
            store.file_findings[i].push(AFinding { f, related: Vec::new() });
            continue;
        }
        if text.len() > max {
            let f = crate::diagnostic::Finding::new(Rule::InputTooLarge, Span::new(0, 0), "", format!("input is {} bytes, above the {max}-byte budget of audit (maxBytes); not parsed", text.len()));
            store.file_findings[i].push(AFinding { f, related: Vec::new() });
            continue;
        }
        read::read_file(&cx, i, text, &mut store);
    }
    let (cross_findings, file_level, gathered) = cross::run(&cx, &store);
    for (obj, f) in cross_findings {
        store.objs[obj].findings.push(f);
    }
    if let Some(first) = store.file_findings.first_mut() {
        first.extend(file_level);
    }
    // Suppression comments, per file (their SE014 findings get the rule levels like any other).
    let mut silencers: Vec<crate::suppress::Suppressions> = Vec::with_capacity(files.len());
    for (i, (_, text)) in files.iter().enumerate() {
        let mut problems = Vec::new();
        let readable = refusals.get(i).is_none_or(Option::is_none) && text.len() <= max;
        let marks = store.scans.get_mut(i).map(|s| std::mem::take(&mut s.marks)).unwrap_or_default();
        silencers.push(if readable { suppress::find(text, marks, cx.budget, &mut problems) } else { Default::default() });
        store.file_findings[i].extend(problems.into_iter().map(|f| AFinding { f, related: Vec::new() }));
    }
    if !levels.is_empty() {
        let apply = |fs: &mut Vec<AFinding>| {
            fs.retain_mut(|a| match levels.severity(a.f.rule, a.f.severity()) {
                Some(sev) => {
                    a.f.severity = Some(sev);
                    true
                }
                None => false,
            })
        };
        store.objs.iter_mut().for_each(|o| apply(&mut o.findings));
        store.file_findings.iter_mut().for_each(apply);
    }
    let suppressed = sift(files, &mut store, &silencers);
    let summary = summarize(&cx, files, &store, &gathered);
    let reports = build_reports(files, &mut store, &suppressed);
    let mut summary = summary;
    for f in &reports {
        summary.counts.add(&f.report.summary.counts);
        summary.suppressed += f.report.summary.suppressed;
    }
    Ok(AuditReport { files: reports, summary })
}

/// Takes the findings a comment of their file silences (on the line of their primary location) out
/// of the store: per file, each with the line of its comment.
fn sift(files: &[(&str, &str)], store: &mut Store, silencers: &[crate::suppress::Suppressions]) -> Vec<Vec<(AFinding, usize)>> {
    let mut out: Vec<Vec<(AFinding, usize)>> = vec![Vec::new(); files.len()];
    if silencers.iter().all(crate::suppress::Suppressions::is_empty) {
        return out;
    }
    let mut starts: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    for (i, fs) in store.file_findings.iter().enumerate() {
        if !silencers[i].is_empty() {
            starts[i].extend(fs.iter().map(|f| f.f.span.start));
        }
    }
    for o in &store.objs {
        if !silencers[o.file].is_empty() {
            starts[o.file].extend(o.findings.iter().map(|f| f.f.span.start));
        }
    }
    let positions: Vec<Option<Positions>> = files.iter().zip(starts).enumerate().map(|(i, ((_, text), s))| (!silencers[i].is_empty()).then(|| Positions::new(text, s))).collect();
    let take = |file: usize, fs: &mut Vec<AFinding>, out: &mut Vec<Vec<(AFinding, usize)>>| {
        let Some(pos) = &positions[file] else { return };
        let mut kept = Vec::with_capacity(fs.len());
        for f in fs.drain(..) {
            match silencers[file].silencer(&f.f, pos.get(f.f.span.start).line) {
                Some(line) => out[file].push((f, line)),
                None => kept.push(f),
            }
        }
        *fs = kept;
    };
    for (i, fs) in store.file_findings.iter_mut().enumerate() {
        take(i, fs, &mut out);
    }
    for o in store.objs.iter_mut() {
        take(o.file, &mut o.findings, &mut out);
    }
    for fs in &mut out {
        fs.sort_by_key(|(f, _)| (f.f.span.start, f.f.rule.code()));
    }
    out
}

/// The reports of the files. The objects' identities (apiVersion, kind, namespace, name) move from
/// the store into the reports.
fn build_reports(files: &[(&str, &str)], store: &mut Store, suppressed: &[Vec<(AFinding, usize)>]) -> Vec<AuditFile> {
    let mut idents: Vec<[Option<String>; 4]> = store.objs.iter_mut().map(|o| [o.api.take(), o.kind.take(), o.namespace.take(), o.name.take()]).collect();
    let store: &Store = store;
    let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    for (i, o) in store.objs.iter().enumerate() {
        by_file[o.file].push(i);
    }
    // Offsets to resolve, per file.
    let mut offsets: Vec<Vec<usize>> = vec![Vec::new(); files.len()];
    let mut note = |file: usize, span: Span| {
        offsets[file].push(span.start);
        offsets[file].push(span.end);
    };
    let all = |f: &AFinding, file: usize, note: &mut dyn FnMut(usize, Span)| {
        note(file, f.f.span);
        if let Some(fix) = &f.f.fix {
            for (s, _) in &fix.edits {
                note(file, *s);
            }
        }
        for r in &f.related {
            note(store.objs[r.obj].file, r.at.span);
        }
    };
    for (i, fs) in store.file_findings.iter().enumerate() {
        for f in fs {
            all(f, i, &mut note);
        }
    }
    for o in &store.objs {
        note(o.file, o.span);
        for f in &o.findings {
            all(f, o.file, &mut note);
        }
    }
    for (i, fs) in suppressed.iter().enumerate() {
        for (f, _) in fs.iter().take(MAX_DIAGNOSTICS) {
            all(f, i, &mut note);
        }
    }
    let positions: Vec<Positions> = files.iter().zip(offsets).enumerate().map(|(i, ((_, text), offs))| Positions::anchored(text, offs, store.scans.get(i))).collect();
    let related = |f: &AFinding, here: usize| -> Vec<RelatedLocation> {
        f.related
            .iter()
            .map(|r| {
                let file = store.objs[r.obj].file;
                let pos = &positions[file];
                let (a, b) = (pos.get(r.at.span.start), pos.get(r.at.span.end));
                RelatedLocation {
                    message: crate::diagnostic::clip_to(&r.message, crate::diagnostic::MAX_MESSAGE),
                    file: (file != here).then(|| files[file].0.to_string()),
                    location: Location::at(r.at.path.after(&store.objs[r.obj].pointer()), r.at.span, a, b),
                }
            })
            .collect()
    };
    let mut out = Vec::new();
    for (fi, (name, _)) in files.iter().enumerate() {
        let pos = &positions[fi];
        let mut summary = Summary::default();
        let file_fs: &[AFinding] = store.file_findings.get(fi).map(Vec::as_slice).unwrap_or(&[]);
        let objs = &by_file[fi];
        for f in file_fs.iter().chain(objs.iter().flat_map(|&o| store.objs[o].findings.iter())) {
            summary.counts.count(f.f.severity());
        }
        let mut error_budget = summary.counts.errors.min(MAX_DIAGNOSTICS);
        let mut other_budget = MAX_DIAGNOSTICS - error_budget;
        let mut listed = 0usize;
        let mut resolve = |fs: &[AFinding]| -> Vec<Diagnostic> {
            let mut sorted: Vec<&AFinding> = fs.iter().collect();
            sorted.sort_by_key(|f| (f.f.span.start, f.f.rule.code()));
            sorted.retain(|f| {
                let budget = if f.f.severity() == Severity::Error { &mut error_budget } else { &mut other_budget };
                let keep = *budget > 0;
                *budget -= keep as usize;
                keep
            });
            listed += sorted.len();
            sorted
                .iter()
                .map(|f| {
                    let mut d = diagnostic(&f.f, pos);
                    d.related = related(f, fi);
                    d
                })
                .collect()
        };
        let diagnostics = resolve(file_fs);
        let mut documents = Vec::with_capacity(objs.len());
        for &oi in objs {
            let o = &store.objs[oi];
            let diags = resolve(&o.findings);
            let status = summary.count_document(!o.checked && o.findings.is_empty(), o.findings.iter().map(|f| f.f.severity()));
            let clip = |s: Option<String>| s.map(|x| if x.len() <= 256 { x } else { crate::diagnostic::clip_to(&x, 256) });
            let [api, kind, namespace, name] = std::mem::take(&mut idents[oi]);
            documents.push(DocumentReport {
                index: o.doc,
                item: o.item,
                api_version: clip(api),
                kind: clip(kind),
                namespace: clip(namespace),
                name: clip(name),
                status,
                line: pos.get(o.span.start).line,
                end_line: pos.get(o.span.end).line,
                diagnostics: diags,
            });
        }
        let total = summary.counts.total();
        summary.omitted = total - listed;
        summary.truncated = summary.omitted > 0;
        let silenced = suppressed.get(fi).map(Vec::as_slice).unwrap_or(&[]);
        summary.suppressed = silenced.len();
        let suppressed = silenced
            .iter()
            .take(MAX_DIAGNOSTICS)
            .map(|(f, line)| {
                let mut d = diagnostic(&f.f, pos);
                d.related = related(f, fi);
                d.suppressed_by = Some(crate::diagnostic::Suppression { line: *line });
                d
            })
            .collect();
        out.push(AuditFile { name: name.to_string(), report: Report { diagnostics, documents, summary, suppressed } });
    }
    out
}

fn diagnostic(f: &crate::diagnostic::Finding, pos: &Positions) -> Diagnostic {
    let (a, b) = (pos.get(f.span.start), pos.get(f.span.end));
    let info = f.rule.info();
    Diagnostic {
        code: info.code.to_string(),
        rule: info.rule.to_string(),
        severity: f.severity(),
        message: crate::diagnostic::clip_to(&f.message, crate::diagnostic::MAX_MESSAGE),
        location: Location::at(f.path.clone(), f.span, a, b),
        fix: f.fix.as_ref().map(|x| Fix {
            message: x.message.clone(),
            safe: x.safe,
            edits: x.edits.iter().map(|(s, t)| TextEdit { offset: s.start, end_offset: s.end, utf16_offset: pos.get(s.start).utf16, utf16_end_offset: pos.get(s.end).utf16, new_text: t.clone() }).collect(),
        }),
        related: Vec::new(),
        suppressed_by: None,
    }
}

/// `'...'` for a POSIX shell.
fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', "'\\''"))
}

fn summarize(cx: &AuditContext, files: &[(&str, &str)], st: &Store, g: &cross::Gathered) -> AuditSummary {
    let mut s = AuditSummary {
        pods: st.pods.len(),
        endpoints: st.endpoints.len(),
        pools: st.pools.len(),
        subnets: st.subnets.len(),
        reserved_ips: st.reserved.len(),
        ..AuditSummary::default()
    };
    s.other = st.objs.iter().filter(|o| !o.checked).count();
    s.reference_time = cx.now.or(st.newest).map(render_time);
    let strs = |v: Option<&Vec<ranges::Ip>>| v.map(|v| v.iter().map(|ip| ranges::canonical(*ip)).collect()).unwrap_or_default();
    for (pi, p) in st.pools.iter().enumerate() {
        s.pool_table.push(PoolSummary {
            name: p.name.clone(),
            file: files[st.objs[p.obj].file].0.to_string(),
            allocated: p.records.len(),
            total: p.total.as_ref().map(|t| t.count().min(u64::MAX as u128) as u64),
            leaked: strs(g.leaked.get(&pi)),
            stale: strs(g.stale.get(&pi)),
            conflicting: strs(g.conflicting.get(&pi)),
        });
    }
    for (ns, names) in &g.orphans {
        s.namespaces.push(NamespaceSummary { namespace: ns.clone(), endpoints_without_pods: names.clone() });
    }
    // Repairs.
    let mut drops = Vec::new();
    for (&pi, recs) in &g.drop {
        let p = &st.pools[pi];
        let keep: Vec<&model::Record> = p.records.iter().enumerate().filter(|(i, _)| !recs.contains(i)).map(|(_, r)| r).collect();
        let cmd = match p.api {
            crate::release::ApiVersion::V2beta1 => {
                let mut m = serde_json::Map::new();
                for r in &keep {
                    let mut rec = serde_json::Map::new();
                    if let Some(i) = r.interface() {
                        rec.insert("interface".into(), i.into());
                    }
                    rec.insert("pod".into(), format!("{}/{}", r.ns(), r.pod()).into());
                    rec.insert("podUid".into(), r.uid().unwrap_or_default().into());
                    m.insert(r.key().to_string(), serde_json::Value::Object(rec));
                }
                let allocated = if keep.is_empty() { serde_json::Value::Null } else { serde_json::Value::String(serde_json::Value::Object(m).to_string()) };
                let patch = serde_json::json!({"status": {"allocatedIPs": allocated, "allocatedIPCount": keep.len()}});
                format!("kubectl patch spiderippool {} --subresource=status --type=merge -p {}", p.name, sh(&patch.to_string()))
            }
            crate::release::ApiVersion::V1 => {
                let mut ops: Vec<serde_json::Value> = recs.iter().map(|&i| serde_json::json!({"op": "remove", "path": format!("/status/allocatedIPs/{}", crate::yaml::escape_pointer(p.records[i].key()))})).collect();
                ops.push(serde_json::json!({"op": "replace", "path": "/status/allocatedIPCount", "value": keep.len()}));
                format!("kubectl patch spiderippool {} --subresource=status --type=json -p {}", p.name, sh(&serde_json::Value::Array(ops).to_string()))
            }
        };
        drops.push(cmd);
    }
    if !drops.is_empty() {
        s.repairs.push(Repair { codes: vec!["SE621".into(), "SE622".into()], title: "Drop leaked and stale pool records (the Pod is gone or has another UID)".into(), commands: drops });
    }
    let recount: Vec<String> = g
        .recount
        .iter()
        .filter(|pi| !g.drop.contains_key(pi))
        .map(|&pi| {
            let p = &st.pools[pi];
            format!("kubectl patch spiderippool {} --subresource=status --type=merge -p {}", p.name, sh(&serde_json::json!({"status": {"allocatedIPCount": p.records.len()}}).to_string()))
        })
        .collect();
    if !recount.is_empty() {
        s.repairs.push(Repair { codes: vec!["SE604".into()], title: "Set allocatedIPCount to the number of records".into(), commands: recount });
    }
    let eps: Vec<String> = g
        .delete_endpoints
        .iter()
        .flat_map(|&ei| {
            let e = &st.endpoints[ei];
            [
                format!("kubectl patch spiderendpoint -n {} {} --type=merge -p '{{\"metadata\":{{\"finalizers\":null}}}}'", e.ns, e.name),
                format!("kubectl delete spiderendpoint -n {} {}", e.ns, e.name),
            ]
        })
        .collect();
    if !eps.is_empty() {
        s.repairs.push(Repair { codes: vec!["SE644".into()], title: "Delete leaked and outdated endpoints (their Pod is gone or has another UID)".into(), commands: eps });
    }
    let pods: Vec<String> = g.delete_pods.iter().map(|&pi| format!("kubectl delete pod -n {} {}", st.pods[pi].ns, st.pods[pi].name)).collect();
    if !pods.is_empty() {
        s.repairs.push(Repair { codes: vec!["SE631".into()], title: "Recreate Pods whose record has no endpoint (the GC then releases the record; the controller recreates the Pod)".into(), commands: pods });
    }
    s
}

fn render_time(t: i64) -> String {
    let days = t.div_euclid(86400);
    let secs = t.rem_euclid(86400);
    // civil from days (Howard Hinnant)
    let z = days + 719468;
    let era = z.div_euclid(146097);
    let doe = z - era * 146097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = if m <= 2 { y + 1 } else { y };
    format!("{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z", secs / 3600, secs % 3600 / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    #[test]
    fn times_round_trip() {
        for t in ["2024-01-02T03:04:05Z", "1999-12-31T23:59:59Z", "2026-03-01T00:00:00Z"] {
            assert_eq!(super::render_time(super::read::rfc3339(t).unwrap()), t);
        }
    }
}
