//! One fixture per invariant (tests/fixtures/audit/): the planted fault's exact findings, each
//! with its code, severity, JSON Pointer and line, and the pointer and line of every related end.
//! Header lines: `# options: spiderpoolVersion=X`, `# expect: CODE SEVERITY PATH LINE [-> PATH LINE]...`.
//! `AUDIT_BLESS=1` rewrites the expect lines from the current output (review the diff).

use std::path::Path;

use spiderendpoint::audit::{audit, AuditOptions, AuditReport};

fn lines_of(r: &AuditReport) -> Vec<String> {
    let mut out = Vec::new();
    for f in &r.files {
        let mut push = |d: &spiderendpoint::Diagnostic| {
            let mut s = format!("{} {} {} {}", d.code, d.severity.as_str(), if d.location.path.is_empty() { "-" } else { &d.location.path }, d.location.line);
            for x in &d.related {
                s.push_str(&format!(" -> {} {}", x.location.path, x.location.line));
            }
            out.push(s);
        };
        for d in &f.report.diagnostics {
            push(d);
        }
        for doc in &f.report.documents {
            for d in &doc.diagnostics {
                push(d);
            }
        }
    }
    out
}

#[test]
fn every_fixture_gives_exactly_its_expected_findings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/audit");
    let mut names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "yaml")).collect();
    names.sort();
    assert!(names.len() >= 38, "fixtures missing");
    let bless = std::env::var_os("AUDIT_BLESS").is_some();
    let mut failures = Vec::new();
    for path in names {
        let text = std::fs::read_to_string(&path).unwrap();
        let mut options = AuditOptions::default();
        let mut want = Vec::new();
        for l in text.lines() {
            if let Some(o) = l.strip_prefix("# options: ") {
                for kv in o.split_whitespace() {
                    match kv.split_once('=') {
                        Some(("spiderpoolVersion", v)) => options.spiderpool_version = Some(v.into()),
                        Some(("now", v)) => options.now = Some(v.into()),
                        _ => panic!("unknown option {kv}"),
                    }
                }
            }
            if let Some(e) = l.strip_prefix("# expect: ") {
                want.push(e.to_string());
            }
        }
        let r = audit(&[(path.file_name().unwrap().to_str().unwrap(), &text)], &options).unwrap();
        let got = lines_of(&r);
        if bless {
            // The header lines are kept; expect lines are replaced. Lines shift by the count difference.
            let header: Vec<&str> = text.lines().take_while(|l| l.starts_with('#')).filter(|l| !l.starts_with("# expect: ")).collect();
            let body: String = text.lines().skip_while(|l| l.starts_with('#')).map(|l| format!("{l}\n")).collect();
            let mut out = header.iter().map(|l| format!("{l}\n")).collect::<String>();
            // Two passes: line numbers depend on the number of expect lines.
            let n = got.len().max(1);
            let pad = if got.is_empty() { vec!["# expect: (none)".to_string()] } else { vec![String::new(); n] };
            let trial = format!("{out}{}{body}", pad.iter().map(|_| "# expect: x\n").collect::<String>());
            let r2 = audit(&[(path.file_name().unwrap().to_str().unwrap(), &trial)], &options).unwrap();
            let got2 = lines_of(&r2);
            if got2.is_empty() {
                out.push_str("# expect: (none)\n");
            }
            for g in &got2 {
                out.push_str(&format!("# expect: {g}\n"));
            }
            out.push_str(&body);
            std::fs::write(&path, out).unwrap();
            continue;
        }
        let want: Vec<String> = want.into_iter().filter(|w| w != "(none)").collect();
        if got != want {
            failures.push(format!("{}:\n  want {want:#?}\n  got  {got:#?}", path.display()));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
