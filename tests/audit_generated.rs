//! Generated exports: a consistent export has no findings; every planted fault is found, and
//! nothing else is reported (both eras).

mod audit_gen;

use std::collections::BTreeMap;

use audit_gen::{Era, Fault, Options};
use spiderendpoint::audit::{audit, AuditOptions, AuditReport};

/// Every finding as (code, object) with object = `ns/name` or `name`.
fn found(r: &AuditReport) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for f in &r.files {
        for d in &f.report.diagnostics {
            out.push((d.code.clone(), String::from("(file)")));
        }
        for doc in &f.report.documents {
            let obj = match (&doc.namespace, &doc.name) {
                (Some(ns), Some(n)) => format!("{ns}/{n}"),
                (None, Some(n)) => n.clone(),
                _ => "?".into(),
            };
            for d in &doc.diagnostics {
                out.push((d.code.clone(), obj.clone()));
            }
        }
    }
    out.sort();
    out
}

fn options(era: Era) -> AuditOptions {
    AuditOptions { spiderpool_version: Some(if era == Era::V1 { "0.3.7" } else { "1.0.4" }.into()), ..AuditOptions::default() }
}

#[test]
fn consistent_exports_have_no_findings() {
    for era in [Era::V1, Era::V2beta1] {
        for (pods, seed) in [(30, 1), (400, 2)] {
            let (text, planted) = audit_gen::generate(&Options { era, pods, seed, faults: Vec::new(), pod_padding: seed == 2 });
            assert!(planted.is_empty());
            let r = audit(&[("export.yaml", &text)], &options(era)).unwrap();
            assert_eq!(found(&r), Vec::<(String, String)>::new(), "{era:?} {pods}");
            assert_eq!(r.summary.pods, pods);
            assert_eq!(r.summary.endpoints, pods);
            assert!(r.summary.pools >= 2);
            assert!(r.summary.repairs.is_empty());
        }
    }
}

#[test]
fn every_planted_fault_is_found_and_nothing_else() {
    for era in [Era::V1, Era::V2beta1] {
        for seed in 1..=6u64 {
            let faults: Vec<(Fault, usize)> = Fault::ALL.iter().map(|&f| (f, 1 + (seed as usize + f as usize) % 3)).collect();
            let (text, planted) = audit_gen::generate(&Options { era, pods: 600, seed, faults, pod_padding: false });
            let r = audit(&[("export.yaml", &text)], &options(era)).unwrap();
            let mut want: Vec<(String, String)> = planted.iter().flat_map(|p| p.expect.iter().map(|e| (e.code.to_string(), e.object.clone()))).collect();
            want.sort();
            let got = found(&r);
            if got != want {
                let count = |v: &[(String, String)]| {
                    let mut m: BTreeMap<(String, String), i32> = BTreeMap::new();
                    for x in v {
                        *m.entry(x.clone()).or_default() += 1;
                    }
                    m
                };
                let (g, w) = (count(&got), count(&want));
                let missing: Vec<_> = w.iter().filter(|(k, n)| g.get(*k).copied().unwrap_or(0) < **n).collect();
                let extra: Vec<_> = g.iter().filter(|(k, n)| w.get(*k).copied().unwrap_or(0) < **n).collect();
                let kinds: Vec<_> = planted.iter().map(|p| p.fault).collect();
                panic!("{era:?} seed {seed}: missing {missing:?}\nextra {extra:?}\nplanted {kinds:?}");
            }
            if seed <= 2 {
                positions_are_the_texts(&text, &r);
            }
            for f in Fault::ALL.iter().filter(|f| f.in_era(era)) {
                assert!(planted.iter().any(|p| p.fault == *f), "{f:?} not planted");
            }
        }
    }
}

/// Every position of the report is the one a line table of the text gives: diagnostics and their
/// related locations (line, column and UTF-16 offset of both ends), and each object's first and last
/// line (its item's `- ` line, its last non-blank line before the next column-0 line).
fn positions_are_the_texts(text: &str, r: &AuditReport) {
    let idx = spiderendpoint::text::LineIndex::new(text);
    let check = |l: &spiderendpoint::diagnostic::Location| {
        let (a, b) = (idx.position(l.offset), idx.position(l.end_offset));
        assert_eq!((l.line, l.column, l.utf16_offset), (a.line, a.column, a.utf16), "{l:?}");
        assert_eq!((l.end_line, l.end_column, l.utf16_end_offset), (b.line, b.column, b.utf16), "{l:?}");
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut checked = 0;
    for f in &r.files {
        let docs = f.report.documents.iter();
        for d in f.report.diagnostics.iter().chain(docs.flat_map(|doc| doc.diagnostics.iter())) {
            check(&d.location);
            d.related.iter().for_each(|x| check(&x.location));
            checked += 1 + d.related.len();
        }
        for doc in &f.report.documents {
            assert!(lines[doc.line - 1].starts_with("- "), "{doc:?}");
            let next = (doc.line..lines.len()).find(|&k| !lines[k].starts_with(' ') && !lines[k].is_empty()).unwrap_or(lines.len());
            let last = (doc.line - 1..next).rev().find(|&k| !lines[k].trim().is_empty()).unwrap();
            assert_eq!(doc.end_line, last + 1, "{doc:?}");
        }
    }
    assert!(checked > 50, "{checked} locations");
}
