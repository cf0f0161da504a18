//! Reading an input piece by piece as the split hands the pieces out (split.rs): each YAML
//! document, and each item of a `kind: List` written in kubectl's block style (items at column 0),
//! is parsed on its own (a Pod item is read from the lines of the fields the audit needs, skim.rs),
//! its fields of interest are kept (model.rs) and its tree is dropped. Per-object checks (schema,
//! webhook rules, P1, P8) run here, while the tree exists.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use ipnet::IpNet;

use super::json::{self, JValue, Mapper};
use super::model::*;
use super::ranges::{self, parse_ip, Ip, Range, Set};
use super::skim::read_pod as read_pod_lines;
use super::split::{split, Piece};
use super::AuditContext;
use crate::check::structural::Structural;
use crate::check;
use crate::options::Reading;
use crate::diagnostic::Finding;
use crate::hash::Mix;
use crate::list::{self, Found};
use crate::release::{ApiVersion, Era, GROUP};
use crate::rules::{Rule, Severity};
use crate::schema::{self, Schema};
use crate::yaml::{self, escape_pointer, Node, Span, Value};

pub const FINALIZER: &str = "spiderpool.spidernet.io";

/// Seconds since the epoch of an RFC 3339 time (`2024-01-02T03:04:05Z`, fractions and offsets).
pub fn rfc3339(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') || b[13] != b':' || b[16] != b':' {
        return None;
    }
    // A fixed-width field read as `str::parse::<i64>` reads it (a sign allowed), without its
    // generic machinery (every object's timestamps go through here).
    let n = |r: std::ops::Range<usize>| {
        let field = b.get(r)?;
        let (negative, digits) = match field.split_first()? {
            (b'-', rest) => (true, rest),
            (b'+', rest) => (false, rest),
            _ => (false, field),
        };
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let v = digits.iter().fold(0i64, |v, &c| v * 10 + i64::from(c - b'0'));
        Some(if negative { -v } else { v })
    };
    let (y, mo, d, h, mi, se) = (n(0..4)?, n(5..7)?, n(8..10)?, n(11..13)?, n(14..16)?, n(17..19)?);
    let mut rest = &s[19..];
    if let Some(r) = rest.strip_prefix('.') {
        rest = r.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "Z" | "z" => 0,
        r if r.len() == 6 && (r.starts_with('+') || r.starts_with('-')) => {
            let v = n(s.len() - 5..s.len() - 3)? * 3600 + n(s.len() - 2..s.len())? * 60;
            if r.starts_with('+') {
                v
            } else {
                -v
            }
        }
        _ => return None,
    };
    // days from civil (Howard Hinnant)
    let (y2, m2) = if mo <= 2 { (y - 1, mo + 9) } else { (y, mo - 3) };
    let era = y2.div_euclid(400);
    let yoe = y2 - era * 400;
    let doy = (153 * m2 + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146097 + doe - 719468;
    Some(days * 86400 + h * 3600 + mi * 60 + se - offset)
}

/// Reads one file into the store.
pub fn read_file(cx: &AuditContext, file: usize, text: &str, store: &mut Store) {
    while store.file_findings.len() <= file {
        store.file_findings.push(Vec::new());
    }
    // Reused from item to item (freeing and reallocating it per item costs more than reading a Pod).
    let mut owned = String::new();
    // Where each piece starts and its 0-based line (for `Positions::anchored`).
    let mut anchors = Vec::new();
    // The store before the current document's first item: undone if the document is no List.
    let mut mark = (store.mark(file), 0);
    // Suppression marks, searched piece by piece while the split has the piece in the cache.
    let mut marks = crate::suppress::MarkSearch::default();
    let plain = split(text, |piece| match piece {
        Piece::Item { start, end, doc, item, line, lines } => {
            if item == 0 {
                mark = (store.mark(file), anchors.len());
            }
            anchors.push((start, line));
            marks.up_to(text, end);
            read_item(cx, store, file, (doc, item), text, (start, end), lines, &mut owned);
        }
        Piece::Retract { .. } => {
            store.undo(&mark.0);
            anchors.truncate(mark.1);
        }
        Piece::Doc { start, end, doc, line } => {
            anchors.push((start, line));
            marks.up_to(text, end);
            read_doc(cx, store, file, doc, text, start, end);
        }
    });
    marks.up_to(text, text.len());
    store.scans.resize_with(store.scans.len().max(file + 1), FileScan::default);
    store.scans[file] = FileScan { anchors, ascii_lf: plain, marks: marks.found };
}

/// Reads one item of a block-style List (`at`: its start and end in the file's `text`; `lines`:
/// its line table when it has no tab or CR). Pods are most of an export and the audit needs few
/// of their fields: a Pod in kubectl's layout is read from the lines of those fields (skim.rs);
/// anything else is parsed alone, the item's `-` a space (offsets stay those of the file).
#[allow(clippy::too_many_arguments)]
fn read_item(cx: &AuditContext, store: &mut Store, file: usize, (doc, item): (usize, usize), text: &str, (start, end): (usize, usize), lines: Option<&[usize]>, owned: &mut String) {
    let text = &text[start..end];
    if lines.is_some_and(|lines| read_skimmed_pod(cx, store, file, doc, item, text, start, lines)) {
        return;
    }
    owned.clear();
    owned.push(' ');
    owned.push_str(&text[1..]);
    let stream = yaml::parse(owned, cx.budget);
    let Some(d) = stream.docs.first() else {
        problems_to_file(store, file, &stream, start, "");
        return;
    };
    let Some(root) = &d.root else {
        problems_to_file(store, file, &stream, start, "");
        return;
    };
    let base = item_pointer(item);
    let ambiguous = d.ambiguous;
    if root.as_map().is_some() && list::is_list(root) {
        // A List nested in a List item: its items in order.
        let objs = list::objects(root);
        let mut sub = 0;
        for found in objs {
            if let Found::Object { base: b, node, .. } = found {
                read_object(cx, store, file, doc, Some(item * 100_000 + sub), owned, start, &format!("{base}{b}"), node, ambiguous, None);
                sub += 1;
            }
        }
        problems_to_file(store, file, &stream, start, &base);
        return;
    }
    let o = read_object(cx, store, file, doc, Some(item), owned, start, &base, root, ambiguous, Some(&stream));
    if let Some(o) = o {
        // Reading problems of this item (duplicate keys, syntax) belong to it.
        if store.objs[o].kind.as_deref().is_none_or(|k| k != "SpiderEndpoint") {
            for p in &stream.problems {
                let f = problem_finding(p, start, &base, cx.reading);
                store.objs[o].findings.push(AFinding { f, related: Vec::new() });
            }
        }
    } else {
        problems_to_file(store, file, &stream, start, &base);
    }
}

/// Reads one whole document (at `start..end` of the file's `text`).
fn read_doc(cx: &AuditContext, store: &mut Store, file: usize, doc: usize, text: &str, start: usize, end: usize) {
    let slice = &text[start..end];
    let stream = yaml::parse(slice, cx.budget);
    // SpiderEndpoints are checked as `validate` checks them (same codes, same positions).
    let (units, file_level) = check::check_stream(slice, &stream, cx.release, cx.reading);
    for f in file_level {
        store.file_findings[file].push(AFinding { f: shift(f, start, ""), related: Vec::new() });
    }
    let mut by_item: HashMap<Option<usize>, Vec<Finding>> = HashMap::new();
    for u in units {
        if u.kind.as_deref() == Some("SpiderEndpoint") || u.findings.iter().any(|f| f.rule == Rule::NotAnObject || f.rule == Rule::InvalidList) {
            // Across endpoints the audit has its own checks over all files (SE315 in cross.rs,
            // EP7); a duplicate address inside one endpoint stays SE316.
            let own = u.findings.into_iter().filter(|f| f.rule != Rule::DuplicateEndpoint && (f.rule != Rule::DuplicateIp || f.message.contains("of this endpoint")));
            by_item.entry(u.item).or_default().extend(own);
        }
    }
    for d in &stream.docs {
        let Some(root) = &d.root else { continue };
        if root.as_map().is_none() {
            continue;
        }
        for found in list::objects(root) {
            if let Found::Object { item, base, node } = found {
                let pre = by_item.remove(&item).unwrap_or_default();
                if let Some(o) = read_object(cx, store, file, doc, item, slice, start, &base, node, d.ambiguous, None) {
                    store.objs[o].findings.extend(pre.into_iter().map(|f| AFinding { f: shift(f, start, ""), related: Vec::new() }));
                }
            }
        }
    }
    // Anything left (non-object documents, invalid Lists) is file-level.
    for (_, fs) in by_item {
        for f in fs {
            store.file_findings[file].push(AFinding { f: shift(f, start, ""), related: Vec::new() });
        }
    }
}

/// Reads a List item (at `start` of the file, `lines` its line table) that is a Pod in kubectl's
/// layout from the lines of the fields the audit needs; `false` when it is not one (then the
/// caller parses it whole).
#[allow(clippy::too_many_arguments)]
fn read_skimmed_pod(cx: &AuditContext, store: &mut Store, file: usize, doc: usize, item: usize, text: &str, start: usize, lines: &[usize]) -> bool {
    let Some(root) = read_pod_lines(text, cx.budget.yaml_version, lines) else { return false };
    let base = item_pointer(item);
    if let Some(o) = read_object(cx, store, file, doc, Some(item), text, start, &base, &root, false, None) {
        // The object ends where the item's text ends, not at its last field read.
        store.objs[o].span.end = start + text.trim_end_matches(['\n', '\r', ' ']).len();
    }
    true
}

fn shrunk<T>(mut v: Vec<T>) -> Vec<T> {
    v.shrink_to_fit();
    v
}

/// Addresses of a `k8s.v1.cni.cncf.io/network-status` annotation.
pub fn network_status_ips(text: &str) -> Vec<Ip> {
    /// One network of the annotation: only `ips` is read, as strings borrowed from the text where
    /// they have no escapes; serde skips the other keys without building values for them.
    #[derive(serde::Deserialize)]
    struct Net<'a> {
        #[serde(borrow)]
        ips: Option<Vec<std::borrow::Cow<'a, str>>>,
    }
    let strings = |ips: &serde_json::Value| ips.as_array().into_iter().flatten().filter_map(|x| x.as_str()).filter_map(parse_ip).collect::<Vec<_>>();
    if let Ok(nets) = serde_json::from_str::<Vec<Net>>(text) {
        return nets.iter().filter_map(|n| n.ips.as_ref()).flatten().filter_map(|ip| parse_ip(ip)).collect();
    }
    // Anything else (an element that is not an object, a repeated key): read loosely.
    let mut out = Vec::new();
    if let Ok(serde_json::Value::Array(nets)) = serde_json::from_str::<serde_json::Value>(text) {
        for n in nets {
            if let Some(ips) = n.get("ips") {
                out.extend(strings(ips));
            }
        }
    }
    out
}

fn problems_to_file(store: &mut Store, file: usize, stream: &yaml::Stream, off: usize, base: &str) {
    for p in &stream.problems {
        let f = problem_finding(p, off, base, Reading::default());
        store.file_findings[file].push(AFinding { f, related: Vec::new() });
    }
}

fn problem_finding(p: &yaml::Problem, off: usize, base: &str, reading: Reading) -> Finding {
    let rule = check::problem_rule(p.kind);
    let keyed = matches!(p.kind, yaml::ProblemKind::DuplicateKey | yaml::ProblemKind::ComplexKey);
    let path = if keyed { format!("{base}{}", p.path) } else { String::new() };
    let mut f = Finding::new(rule, Span::new(p.span.start + off, p.span.end + off), path, p.message.clone());
    if p.kind == yaml::ProblemKind::DuplicateKey {
        f.severity = reading.field_severity();
    }
    f
}

/// A finding of a piece, moved to absolute positions and prefixed with the object's pointer.
pub fn shift(mut f: Finding, off: usize, base: &str) -> Finding {
    f.span = Span::new(f.span.start + off, f.span.end + off);
    if !base.is_empty() {
        f.path = format!("{base}{}", f.path);
    }
    if let Some(fix) = &mut f.fix {
        for (s, _) in &mut fix.edits {
            *s = Span::new(s.start + off, s.end + off);
        }
    }
    f
}

/// Where findings of one object go while its tree exists.
pub struct Cx<'a> {
    pub src: &'a str,
    pub off: usize,
    /// Findings with piece-relative spans and object-relative paths.
    pub out: Vec<Finding>,
}

impl Cx<'_> {
    /// The absolute span in the file of a span of `src`.
    pub fn abs(&self, span: Span) -> Span {
        Span::new(span.start + self.off, span.end + self.off)
    }
    /// The place of a span and its pointer inside the object.
    pub fn at(&self, span: Span, path: impl Into<Ptr>) -> At {
        At { span: self.abs(span), path: path.into() }
    }
    /// [`Cx::at`] of `{dir}/{index}/{leaf}` (an element's field).
    pub fn at_in(&self, span: Span, dir: &'static str, index: usize, leaf: &'static str) -> At {
        At { span: self.abs(span), path: Ptr::Elem(dir, index, leaf) }
    }
    pub fn push(&mut self, rule: Rule, span: Span, path: impl Into<String>, msg: impl Into<String>) -> &mut Finding {
        self.out.push(Finding::new(rule, span, path, msg));
        self.out.last_mut().expect("just pushed")
    }
}

fn s<'n>(node: Option<&'n Node>) -> Option<&'n str> {
    node.and_then(Node::as_str)
}

fn int(node: Option<&Node>) -> Option<i64> {
    match node.map(|n| &n.value) {
        Some(Value::Int(i)) => Some(*i),
        _ => None,
    }
}

fn get<'n, 'a>(node: &'n Node<'a>, path: &[&str]) -> Option<&'n Node<'a>> {
    path.iter().try_fold(node, |n, k| n.get(k))
}

/// The key span of an entry at `path`, else the value span of the deepest present parent.
pub(super) fn key_span(node: &Node, path: &[&str]) -> Span {
    let mut cur = node;
    let mut span = node.as_map().and_then(|m| m.first()).map_or(node.span, |e| e.key_span);
    for k in path {
        match cur.entry(k) {
            Some(e) => {
                span = e.key_span;
                cur = &e.value;
            }
            None => break,
        }
    }
    span
}

/// Reads one object; returns its global index.
#[allow(clippy::too_many_arguments)]
fn read_object(
    cx: &AuditContext,
    store: &mut Store,
    file: usize,
    doc: usize,
    item: Option<usize>,
    src: &str,
    off: usize,
    base: &str,
    root: &Node,
    ambiguous: bool,
    stream: Option<&yaml::Stream>,
) -> Option<usize> {
    root.as_map()?;
    let kind = s(root.get("kind"));
    let api = s(root.get("apiVersion"));
    let meta = root.get("metadata");
    let name = meta.and_then(|m| s(m.get("name")));
    let ns = meta.and_then(|m| s(m.get("namespace")));
    let idx = store.objs.len();
    let mut c = Cx { src, off, out: Vec::new() };
    let span = c.abs(root.span);
    store.objs.push(Obj {
        file,
        doc,
        item,
        base: (!Obj::derives(base, item)).then(|| base.into()),
        span,
        api: api.map(str::to_string),
        kind: kind.map(str::to_string),
        namespace: ns.map(str::to_string),
        name: name.map(str::to_string),
        checked: false,
        findings: Vec::new(),
    });
    if let Some(meta) = meta {
        for k in ["creationTimestamp", "deletionTimestamp"] {
            if let Some(t) = s(meta.get(k)).and_then(rfc3339) {
                store.newest = Some(store.newest.map_or(t, |n| n.max(t)));
            }
        }
    }
    let group_api = api.and_then(ApiVersion::parse);
    match (kind, api) {
        (Some("Pod"), Some("v1")) => {
            store.objs[idx].checked = true;
            read_pod(&mut c, store, idx, root);
        }
        (Some("SpiderEndpoint"), _) if group_api.is_some() || api.is_some_and(|a| a.starts_with(GROUP)) => {
            store.objs[idx].checked = true;
            if let Some(stream) = stream {
                // A List item: `validate`'s checks on the item's own text.
                let (units, file_level) = check::check_stream(src, stream, cx.release, Reading { ambiguous, ..cx.reading });
                for f in units.into_iter().flat_map(|u| u.findings).chain(file_level) {
                    store.objs[idx].findings.push(AFinding { f: shift(f, off, base), related: Vec::new() });
                }
            }
            if let Some(api) = group_api {
                read_endpoint(&mut c, store, idx, root, api);
            }
        }
        (Some(k @ ("SpiderIPPool" | "SpiderSubnet" | "SpiderReservedIP")), _) if group_api.is_some() => {
            store.objs[idx].checked = true;
            let api = group_api.unwrap_or(ApiVersion::V2beta1);
            schema_check(cx, &mut c, k, api, root, ambiguous);
            match k {
                "SpiderIPPool" => read_pool(cx, &mut c, store, idx, root, api),
                "SpiderSubnet" => read_subnet(cx, &mut c, store, idx, root, api),
                _ => read_reserved(&mut c, store, idx, root),
            }
        }
        (Some(k @ ("SpiderIPPool" | "SpiderSubnet" | "SpiderReservedIP")), Some(a)) if a.starts_with(GROUP) => {
            store.objs[idx].checked = true;
            let span = root.get("apiVersion").map_or(root.span, |n| n.span);
            c.push(Rule::UnknownApiVersion, span, "/apiVersion", format!("`{a}` was never served: {k} exists as {GROUP}/v1 (Spiderpool <= 0.4.0-rc2) and {GROUP}/v2beta1 (>= 0.4.0-rc3)"));
        }
        _ => {}
    }
    let findings: Vec<AFinding> = c.out.into_iter().map(|f| AFinding { f: shift(f, off, base), related: Vec::new() }).collect();
    store.objs[idx].findings.extend(findings);
    Some(idx)
}

const POOL_V1: &str = include_str!("../../schemas/crds/spiderippools.v1.crd.yaml");
const POOL_V2_04: &str = include_str!("../../schemas/crds/spiderippools.v2beta1.v0.4.0.crd.yaml");
const POOL_V2: &str = include_str!("../../schemas/crds/spiderippools.v2beta1.crd.yaml");
const SUBNET_V1: &str = include_str!("../../schemas/crds/spidersubnets.v1.crd.yaml");
const SUBNET_V2_04: &str = include_str!("../../schemas/crds/spidersubnets.v2beta1.v0.4.0.crd.yaml");
const SUBNET_V2: &str = include_str!("../../schemas/crds/spidersubnets.v2beta1.crd.yaml");
const RESERVED_V1: &str = include_str!("../../schemas/crds/spiderreservedips.v1.crd.yaml");
const RESERVED_V2: &str = include_str!("../../schemas/crds/spiderreservedips.v2beta1.crd.yaml");

/// The CRD schema of a kind for the release (eras as in `schemas/crds/README.md`): v1 = v0.3.7;
/// v2beta1 before 0.6 = v0.4.0; otherwise main (vlan removed in 1.0.0 but tolerated before it).
fn crd(kind: &str, api: ApiVersion, old_v2: bool) -> (&'static Schema, &'static str) {
    use std::sync::OnceLock;
    // Each schema is read on first use: an input has one or two of the eight.
    const TEXTS: [[&str; 3]; 3] = [[POOL_V1, POOL_V2_04, POOL_V2], [SUBNET_V1, SUBNET_V2_04, SUBNET_V2], [RESERVED_V1, RESERVED_V2, RESERVED_V2]];
    static CACHE: [[OnceLock<Schema>; 3]; 3] = [const { [const { OnceLock::new() }; 3] }; 3];
    let (t, label) = match (api, old_v2) {
        (ApiVersion::V1, _) => (0, "v1 CRD of Spiderpool 0.3.x"),
        (ApiVersion::V2beta1, true) => (1, "v2beta1 CRD of Spiderpool 0.4.0–0.5.x"),
        (ApiVersion::V2beta1, false) => (2, "v2beta1 CRD of Spiderpool 1.0 and later"),
    };
    let k = match kind {
        "SpiderIPPool" => 0,
        "SpiderSubnet" => 1,
        _ => 2,
    };
    (CACHE[k][t].get_or_init(|| schema::from_crd(TEXTS[k][t])), label)
}

fn schema_check(cx: &AuditContext, c: &mut Cx, kind: &str, api: ApiVersion, root: &Node, _ambiguous: bool) {
    let old_v2 = cx.release.is_some_and(|r| r < crate::release::Release(0, 6, 0));
    let (schema, label) = crd(kind, api, old_v2);
    let era = if api == ApiVersion::V1 { Era::V1 } else { Era::V2beta1Mac };
    let mut out = Vec::new();
    let anchor = root.as_map().and_then(|m| m.first()).map_or(root.span, |e| e.key_span);
    let mut path = String::new();
    Structural { src: c.src, era, reading: cx.reading, out: &mut out }.walk(root, schema, &mut path, anchor);
    let wrong = format!("{} CRD of {}", era.api_version().short(), era.releases());
    // `spec.vlan` was removed in 1.0.0: before it (or when no release is named) it is still accepted.
    let vlan_ok = api == ApiVersion::V2beta1 && !old_v2 && cx.release.is_none_or(|r| r < crate::release::Release(1, 0, 0));
    for mut f in out {
        if vlan_ok && f.rule == Rule::UnknownField && f.path == "/spec/vlan" {
            continue;
        }
        f.message = f.message.replace(&wrong, label);
        c.out.push(f);
    }
}

fn ip_version(n: Option<&Node>) -> Option<bool> {
    match int(n) {
        Some(4) => Some(false),
        Some(6) => Some(true),
        _ => None,
    }
}

/// spec fields shared by SpiderIPPool and SpiderSubnet, with the webhook rules of §1.4 / §3.2.
struct Spec {
    v6: Option<bool>,
    subnet: Option<IpNet>,
    subnet_text: String,
    subnet_at: At,
    total: Option<Set>,
    ips_at: At,
    gateway: Option<Ip>,
    gateway_at: At,
}

fn read_spec(cx: &AuditContext, c: &mut Cx, root: &Node, kind: &str) -> Spec {
    let spec = root.get("spec");
    let sp = |k: &str| spec.and_then(|n| n.get(k));
    let subnet_node = sp("subnet");
    let subnet_text = s(subnet_node).unwrap_or("").to_string();
    let subnet_at = c.at(key_span(root, &["spec", "subnet"]), "/spec/subnet");
    let mut v6 = ip_version(sp("ipVersion"));
    let mut subnet = None;
    if let Some(n) = subnet_node.filter(|n| n.as_str().is_some()) {
        match subnet_text.parse::<IpNet>() {
            Ok(net) => {
                let fam6 = matches!(net, IpNet::V6(_));
                if let Some(want6) = v6 {
                    if want6 != fam6 {
                        c.push(Rule::AuditIpVersionMismatch, n.span, "/spec/subnet", format!("`spec.subnet` {subnet_text} is IPv{} but `spec.ipVersion` is {}: the webhook rejects it", if fam6 { 6 } else { 4 }, if want6 { 6 } else { 4 }));
                    }
                } else if sp("ipVersion").is_none() {
                    v6 = Some(fam6);
                }
                if net.trunc() != net {
                    let canon = net.trunc().to_string();
                    let sev = if cx.release.is_some_and(|r| r >= crate::release::Release(0, 9, 2)) { Severity::Error } else { Severity::Info };
                    let f = c.push(Rule::NonCanonicalRanges, n.span, "/spec/subnet", format!("P8: `spec.subnet` {subnet_text} is not the network address (canonical: {canon}); the webhook rejects it from Spiderpool 0.9.2"));
                    f.severity = Some(sev);
                }
                subnet = Some(net);
            }
            Err(_) => {
                c.push(Rule::AuditInvalidSubnet, n.span, "/spec/subnet", format!("`spec.subnet` \"{subnet_text}\" is not a CIDR: the {kind} webhook rejects it"));
            }
        }
    }
    let fam_subnet = subnet.map(|n| matches!(n, IpNet::V6(_)));
    let v6 = v6.or(fam_subnet);
    let ranges_of = |c: &mut Cx, key: &str| -> Option<Vec<Range>> {
        let list = sp(key)?;
        let items = list.as_seq()?;
        let mut out = Vec::new();
        let mut ok = true;
        for (i, item) in items.iter().enumerate() {
            let Some(t) = item.as_str() else { continue };
            let path = format!("/spec/{key}/{i}");
            match ranges::parse_item(t) {
                Ok(r) => {
                    if v6.is_some_and(|f| f != r.v6) {
                        c.push(Rule::AuditInvalidRange, item.span, path, format!("`{t}` is not an IPv{} address or range", if v6 == Some(true) { 6 } else { 4 }));
                        ok = false;
                        continue;
                    }
                    if let Some(net) = subnet {
                        let (n6, ns, ne) = ranges::net_range(&net);
                        if n6 != r.v6 || r.start < ns || r.end > ne {
                            c.push(Rule::AuditRangeOutsideSubnet, item.span, path, format!("`{t}` is not inside `spec.subnet` {subnet_text}: the {kind} webhook rejects it"));
                        }
                    }
                    out.push(r);
                }
                Err(m) => {
                    c.push(Rule::AuditInvalidRange, item.span, path, m);
                    ok = false;
                }
            }
        }
        // P8: the mutating webhook writes the merged, sorted form.
        if ok && !out.is_empty() {
            let fam = out[0].v6;
            let merged = Set::from_ranges(&out).render(fam);
            let written: Vec<&str> = items.iter().filter_map(Node::as_str).collect();
            if merged != written {
                c.push(Rule::NonCanonicalRanges, list.span, format!("/spec/{key}"), format!("P8: `spec.{key}` is not in the merged form the mutating webhook writes ({}): the object did not go through the webhook", merged.join(", ")));
            }
        }
        ok.then_some(out)
    };
    let ips = ranges_of(c, "ips");
    let excl = ranges_of(c, "excludeIPs");
    let ips_at = c.at(key_span(root, &["spec", "ips"]), "/spec/ips");
    let total = match (&ips, &excl) {
        (Some(i), Some(e)) => Some(Set::from_ranges(i).subtract(&Set::from_ranges(e))),
        (Some(i), None) if sp("excludeIPs").is_none() => Some(Set::from_ranges(i)),
        (None, _) if sp("ips").is_none() => Some(Set::default()),
        (None, Some(_)) if sp("ips").is_none() => Some(Set::default()),
        _ => None,
    };
    let gateway_at = c.at(key_span(root, &["spec", "gateway"]), "/spec/gateway");
    let mut gateway = None;
    if let Some(g) = sp("gateway").filter(|n| n.as_str().is_some()) {
        let t = g.as_str().unwrap_or("");
        match parse_ip(t) {
            Some(ip) if subnet.is_some_and(|n| !n.contains(&ip.addr())) => {
                c.push(Rule::AuditInvalidGateway, g.span, "/spec/gateway", format!("`spec.gateway` {t} is not inside `spec.subnet` {subnet_text}: the webhook rejects it"));
                gateway = Some(ip);
            }
            Some(ip) => {
                gateway = Some(ip);
                // §1.4: from 0.5.0 the gateway may not be a pool address unless excluded.
                let in_ips = ips.as_ref().is_some_and(|r| Set::from_ranges(r).contains(ip.n) && r.first().is_some_and(|x| x.v6 == ip.v6));
                let excluded = excl.as_ref().is_some_and(|r| Set::from_ranges(r).contains(ip.n));
                if kind == "SpiderIPPool" && in_ips && !excluded {
                    let (sev, when) = if cx.release.is_some_and(|r| r < crate::release::Release(0, 5, 0)) { (Severity::Info, "legal before Spiderpool 0.5.0, ") } else { (Severity::Error, "") };
                    let f = c.push(Rule::AuditGatewayInIps, g.span, "/spec/gateway", format!("`spec.gateway` {t} lies inside `spec.ips` and is not in `excludeIPs`: {when}the webhook rejects it from Spiderpool 0.5.0 (\"conflicts with 'spec.gateway'\")"));
                    f.severity = Some(sev);
                }
            }
            None => {
                c.push(Rule::AuditInvalidGateway, g.span, "/spec/gateway", format!("`spec.gateway` \"{t}\" is not an IP address"));
            }
        }
    }
    // Routes: dst a CIDR of the family, gw inside the subnet, no default route, no repeats (0.4.1+).
    if let Some(routes) = sp("routes").and_then(Node::as_seq) {
        let mut seen: HashMap<&str, usize> = HashMap::new();
        for (i, r) in routes.iter().enumerate() {
            let path = format!("/spec/routes/{i}");
            if let Some(dn) = r.get("dst").filter(|n| n.as_str().is_some()) {
                let d = dn.as_str().unwrap_or("");
                match d.parse::<IpNet>() {
                    Ok(net) if v6.is_some_and(|f| f != matches!(net, IpNet::V6(_))) => {
                        c.push(Rule::AuditInvalidRoute, dn.span, format!("{path}/dst"), format!("route dst {d} is not of the pool's IP family"));
                    }
                    Ok(net) if net.prefix_len() == 0 => {
                        c.push(Rule::AuditInvalidRoute, dn.span, format!("{path}/dst"), format!("route dst {d} is the default route: the webhook rejects it from Spiderpool 0.4.1"));
                    }
                    Ok(_) => {
                        if seen.insert(d, i).is_some() {
                            c.push(Rule::AuditInvalidRoute, dn.span, format!("{path}/dst"), format!("route dst {d} repeats an earlier route: the webhook rejects it from Spiderpool 0.4.1"));
                        }
                    }
                    Err(_) => {
                        c.push(Rule::AuditInvalidRoute, dn.span, format!("{path}/dst"), format!("route dst \"{d}\" is not a CIDR"));
                    }
                }
            }
            if let Some(gn) = r.get("gw").filter(|n| n.as_str().is_some()) {
                let g = gn.as_str().unwrap_or("");
                match parse_ip(g) {
                    Some(ip) if subnet.is_some_and(|n| !n.contains(&ip.addr())) => {
                        c.push(Rule::AuditInvalidRoute, gn.span, format!("{path}/gw"), format!("route gw {g} is not inside `spec.subnet` {subnet_text}"));
                    }
                    Some(_) => {}
                    None => {
                        c.push(Rule::AuditInvalidRoute, gn.span, format!("{path}/gw"), format!("route gw \"{g}\" is not an IP address"));
                    }
                }
            }
        }
    }
    if v6.is_none() && subnet.is_none() && subnet_node.is_some() {
        // nothing more to say: the subnet finding explains it
    }
    Spec { v6, subnet, subnet_text, subnet_at, total, ips_at, gateway, gateway_at }
}

fn meta_flags(root: &Node) -> (bool, bool) {
    let meta = root.get("metadata");
    let terminating = meta.and_then(|m| m.get("deletionTimestamp")).is_some_and(|n| n.as_str().is_some());
    let finalizer = meta.and_then(|m| m.get("finalizers")).and_then(Node::as_seq).is_some_and(|f| f.iter().any(|n| n.as_str() == Some(FINALIZER)));
    (terminating, finalizer)
}

fn name_at(c: &Cx, root: &Node) -> At {
    c.at(key_span(root, &["metadata", "name"]), "/metadata/name")
}

fn read_pool(cx: &AuditContext, c: &mut Cx, store: &mut Store, obj: usize, root: &Node, api: ApiVersion) {
    let spec = read_spec(cx, c, root, "SpiderIPPool");
    let (terminating, finalizer) = meta_flags(root);
    let status = root.get("status");
    let owner_subnet = get(root, &["metadata", "labels", "ipam.spidernet.io/owner-spider-subnet"]).and_then(Node::as_str).map(str::to_string);
    let mut pool = Pool {
        obj,
        name: store.objs[obj].name.clone().unwrap_or_default(),
        name_at: name_at(c, root),
        api,
        v6: spec.v6,
        subnet: spec.subnet,
        subnet_text: spec.subnet_text,
        subnet_at: spec.subnet_at,
        total: spec.total,
        ips_at: spec.ips_at,
        gateway: spec.gateway,
        gateway_at: spec.gateway_at,
        owner_subnet,
        owner_ref_subnet: super::webhook::owner_subnet_ref(root),
        auto: super::webhook::auto_created(root),
        terminating,
        finalizer,
        meta_at: c.at(key_span(root, &["metadata"]), "/metadata"),
        alloc_count: int(status.and_then(|s| s.get("allocatedIPCount"))),
        alloc_count_at: c.at(key_span(root, &["status", "allocatedIPCount"]), "/status/allocatedIPCount"),
        alloc_count_value: status.and_then(|s| s.get("allocatedIPCount")).filter(|n| matches!(n.value, Value::Int(_))).map(|n| c.at(n.span, "").span),
        total_count: int(status.and_then(|s| s.get("totalIPCount"))),
        total_count_at: c.at(key_span(root, &["status", "totalIPCount"]), "/status/totalIPCount"),
        total_count_value: status.and_then(|s| s.get("totalIPCount")).filter(|n| matches!(n.value, Value::Int(_))).map(|n| c.at(n.span, "").span),
        default: matches!(get(root, &["spec", "default"]).map(|n| &n.value), Some(Value::Bool(true))),
        records: Vec::new(),
        records_at: c.at(key_span(root, &["status", "allocatedIPs"]), if status.and_then(|s| s.get("allocatedIPs")).is_some() { "/status/allocatedIPs" } else { "/status" }),
        records_read: false,
        shape: None,
    };
    super::webhook::pod_affinity(cx, c, root, pool.auto);
    if let Some(entry) = status.and_then(|s| s.entry("allocatedIPs")) {
        read_records(cx, c, &mut pool, &entry.value);
    }
    store.pools.push(pool);
}

/// P1: `status.allocatedIPs` of every era, with positions.
fn read_records(cx: &AuditContext, c: &mut Cx, pool: &mut Pool, node: &Node) {
    const P: &str = "/status/allocatedIPs";
    match &node.value {
        Value::Null => pool.records_read = true,
        Value::Map(entries) => {
            // v1: a YAML map IP -> {containerID, interface, namespace, node, ownerControllerName, ownerControllerType, pod}.
            if pool.api == ApiVersion::V2beta1 {
                // The CRD type error (SE202) already says it; v0.4.0-rc3/rc4 docs show this shape.
                return;
            }
            pool.shape = Some(Shape::V1Map);
            pool.records_read = true;
            pool.records.reserve(entries.len());
            for e in entries {
                let path = format!("{P}/{}", escape_pointer(&e.key));
                let Some(ip) = record_key(c, &e.key, e.key_span, &path) else { continue };
                let v = &e.value;
                if v.as_map().is_none() {
                    c.push(Rule::AllocatedIpsUnreadable, v.span, path, format!("P1: the record of {} is {}, not an object", e.key, v.type_name()));
                    continue;
                }
                let mut missing = Vec::new();
                for k in ["containerID", "interface", "namespace", "node", "ownerControllerName", "ownerControllerType", "pod"] {
                    if v.get(k).and_then(Node::as_str).is_none() {
                        missing.push(k);
                    }
                }
                if !missing.is_empty() {
                    let f = c.push(Rule::AllocatedIpsUnreadable, e.key_span, path.clone(), format!("P1: the v1 record of {} lacks {} (the v1 CRD requires all 7 keys)", e.key, missing.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")));
                    if missing.iter().all(|k| *k == "ownerControllerName") {
                        f.severity = Some(Severity::Info); // v0.0.6 – v0.1.4 records
                    }
                }
                let (Some(ns), Some(pod)) = (s(v.get("namespace")), s(v.get("pod"))) else { continue };
                // Its pointers are `{P}/<key>` and `{P}/<key>/pod` (Pool::key_at), no UID.
                let opts = [None, s(v.get("interface")), s(v.get("containerID")), s(v.get("ownerControllerType"))];
                let pod_span = v.entry("pod").map_or(e.key_span, |x| x.key_span);
                pool.records.push(Record::new(ip, &e.key, ns, pod, opts, [c.abs(e.key_span), c.abs(pod_span), Span::default()]));
            }
        }
        Value::Str(text) => {
            let map = Mapper::new(c.src, node.span, text);
            let whole = node.span;
            let sp = |r: (usize, usize)| map.span(r);
            let parsed = match json::parse(text) {
                Ok(p) => p,
                Err(e) => {
                    let span = if map.faithful() { sp((e.at, (e.at + 1).min(text.len()))) } else { whole };
                    c.push(Rule::AllocatedIpsUnreadable, span, P, format!("P1: `status.allocatedIPs` is not valid JSON: {} at character {}", e.message, e.at + 1));
                    return;
                }
            };
            let (root, dups) = parsed;
            let any_dup = !dups.is_empty();
            for (later, first, key) in dups {
                c.push(Rule::AllocatedIpsUnreadable, sp(later), P, format!("P1: key \"{key}\" appears twice in the JSON of `status.allocatedIPs` (first at character {}); a JSON reader keeps only the last record", first.0 + 1));
            }
            let JValue::Obj(entries) = &root.value else {
                c.push(Rule::AllocatedIpsUnreadable, sp(root.span), P, format!("P1: `status.allocatedIPs` is a JSON {}, not an object of records", root.type_name()));
                return;
            };
            pool.records_read = true;
            if pool.api == ApiVersion::V1 {
                let f = c.push(Rule::AllocatedIpsUnreadable, whole, P, "P1: a JSON string under spiderpool.spidernet.io/v1: the untagged March-2023 development shape; no released v1 CRD accepts it");
                f.severity = Some(Severity::Warning);
            }
            // Later duplicates win (what Go reads); without duplicates anywhere in the JSON every
            // entry is the last of its key.
            let last: Option<HashMap<&str, usize, BuildHasherDefault<Mix>>> = any_dup.then(|| entries.iter().enumerate().map(|(i, e)| (&*e.key, i)).collect());
            pool.records.reserve(entries.len());
            let mut reported_shape = false;
            for (i, e) in entries.iter().enumerate() {
                if last.as_ref().is_some_and(|l| l.get(&*e.key) != Some(&i)) {
                    continue;
                }
                let key_span = sp(e.key_span);
                let Some(ip) = record_key(c, &e.key, key_span, P) else { continue };
                let JValue::Obj(_) = &e.value.value else {
                    c.push(Rule::AllocatedIpsUnreadable, sp(e.value.span), P, format!("P1: the record of {} is a JSON {}, not an object", e.key, e.value.type_name()));
                    continue;
                };
                let field = |k: &str| e.value.get(k).map(|x| &x.value);
                let str_field = |k: &str| field(k).and_then(json::JNode::as_str);
                let dev = field("namespace").is_some() || field("uid").is_some();
                let shape = if dev {
                    Shape::JsonDev
                } else if field("interface").is_some() {
                    Shape::JsonInterface
                } else {
                    Shape::Json
                };
                if pool.shape.is_none() || shape == Shape::JsonDev {
                    pool.shape = Some(shape);
                }
                if dev && !reported_shape {
                    reported_shape = true;
                    let f = c.push(Rule::AllocatedIpsUnreadable, key_span, P, format!("P1: the record of {} has `namespace`/`uid` keys: the untagged March-2023 shape, which no release reads (`pod` must be \"<namespace>/<name>\" and the UID `podUid`)", e.key));
                    f.severity = Some(Severity::Warning);
                }
                if shape == Shape::JsonInterface && !reported_shape && cx.release.is_some_and(|r| r >= crate::release::Release(0, 8, 2)) {
                    reported_shape = true;
                    let f = c.push(Rule::AllocatedIpsUnreadable, key_span, P, format!("P1: the record of {} still has `interface`: written by Spiderpool 0.8.1 or older and kept across the upgrade (normal)", e.key));
                    f.severity = Some(Severity::Info);
                }
                let (ns, pod, pod_span) = match (field("pod"), dev) {
                    (Some(p), false) => match &p.value {
                        JValue::Str(v) => match v.split_once('/') {
                            Some((a, b)) if !a.is_empty() && !b.is_empty() && !b.contains('/') => (a, b, sp(p.span)),
                            _ => {
                                c.push(Rule::AllocatedIpsUnreadable, sp(p.span), P, format!("P1: `pod` of the record of {} is \"{v}\", not \"<namespace>/<name>\"", e.key));
                                continue;
                            }
                        },
                        _ => {
                            c.push(Rule::AllocatedIpsUnreadable, sp(p.span), P, format!("P1: `pod` of the record of {} is not a string", e.key));
                            continue;
                        }
                    },
                    (Some(p), true) => match (str_field("namespace"), str_field("pod")) {
                        (Some(ns), Some(name)) => (ns, name, sp(p.span)),
                        _ => continue,
                    },
                    (None, _) => {
                        c.push(Rule::AllocatedIpsUnreadable, key_span, P, format!("P1: the record of {} has no `pod`", e.key));
                        continue;
                    }
                };
                let uid_key = if dev { "uid" } else { "podUid" };
                let uid = str_field(uid_key);
                let uid_span = field(uid_key).map_or(key_span, |x| sp(x.span));
                if uid.is_none() {
                    c.push(Rule::AllocatedIpsUnreadable, key_span, P, format!("P1: the record of {} has no string `{uid_key}`", e.key));
                }
                // Its pointers are all `{P}` (Pool::key_at).
                let opts = [uid, str_field("interface"), None, None];
                pool.records.push(Record::new(ip, &e.key, ns, pod, opts, [c.abs(key_span), c.abs(pod_span), c.abs(uid_span)]));
            }
        }
        _ => {} // wrong type: the schema's finding
    }
}

/// The address of a record key; P1 for keys that are not addresses or not in Go's canonical form.
fn record_key(c: &mut Cx, key: &str, span: Span, path: &str) -> Option<Ip> {
    match parse_ip(key) {
        Some(ip) => {
            if !ranges::is_canonical(ip, key) {
                let canon = ranges::canonical(ip);
                let f = c.push(Rule::AllocatedIpsUnreadable, span, path.to_string(), format!("P1: record key {key} is not in the form Spiderpool writes ({canon}); lookups by address miss it"));
                f.severity = Some(Severity::Warning);
            }
            Some(ip)
        }
        None => {
            c.push(Rule::AllocatedIpsUnreadable, span, path.to_string(), format!("P1: record key \"{key}\" is not an IP address"));
            None
        }
    }
}

fn read_subnet(cx: &AuditContext, c: &mut Cx, store: &mut Store, obj: usize, root: &Node, api: ApiVersion) {
    let spec = read_spec(cx, c, root, "SpiderSubnet");
    let status = root.get("status");
    let mut sub = Subnet {
        obj,
        name: store.objs[obj].name.clone().unwrap_or_default(),
        name_at: name_at(c, root),
        v6: spec.v6,
        subnet: spec.subnet,
        subnet_at: spec.subnet_at,
        total: spec.total,
        ips_at: spec.ips_at,
        entries: Vec::new(),
        entries_at: c.at(key_span(root, &["status", "controlledIPPools"]), "/status/controlledIPPools"),
        alloc_count: int(status.and_then(|s| s.get("allocatedIPCount"))),
        alloc_count_at: c.at(key_span(root, &["status", "allocatedIPCount"]), "/status/allocatedIPCount"),
        total_count: int(status.and_then(|s| s.get("totalIPCount"))),
        total_count_at: c.at(key_span(root, &["status", "totalIPCount"]), "/status/totalIPCount"),
        entries_read: false,
    };
    const P: &str = "/status/controlledIPPools";
    let v6 = spec.v6.unwrap_or(false);
    let parse_list = |c: &mut Cx, items: Vec<(String, Span)>, at_of: &dyn Fn(Span) -> Span| -> Option<Set> {
        let mut rs = Vec::new();
        for (t, span) in items {
            match ranges::parse_item(&t) {
                Ok(r) => rs.push(r),
                Err(m) => {
                    c.push(Rule::SubnetStatusUnreadable, at_of(span), P, format!("S1: {m}"));
                    return None;
                }
            }
        }
        Some(Set::from_ranges(&rs))
    };
    match status.and_then(|s| s.get("controlledIPPools")).map(|n| (n, &n.value)) {
        None | Some((_, Value::Null)) => sub.entries_read = true,
        Some((_, Value::Map(entries))) if api == ApiVersion::V1 => {
            sub.entries_read = true;
            for e in entries {
                let path = format!("{P}/{}", escape_pointer(&e.key));
                let items: Vec<(String, Span)> = e.value.get("ips").and_then(Node::as_seq).map(|s| s.iter().filter_map(|n| n.as_str().map(|t| (t.to_string(), n.span))).collect()).unwrap_or_default();
                if let Some(set) = parse_list(c, items, &|s| s) {
                    sub.entries.push(SubnetEntry { pool: e.key.to_string(), at: c.at(e.key_span, &path), set, v6, application: None });
                }
            }
        }
        Some((node, Value::Str(text))) => {
            let map = Mapper::new(c.src, node.span, text);
            match json::parse(text) {
                Err(e) => {
                    c.push(Rule::SubnetStatusUnreadable, map.span((e.at, (e.at + 1).min(text.len()))), P, format!("S1: `status.controlledIPPools` is not valid JSON: {} at character {}", e.message, e.at + 1));
                }
                Ok((root, _)) => match &root.value {
                    JValue::Obj(entries) => {
                        sub.entries_read = true;
                        for e in entries {
                            let items: Vec<(String, Span)> = match e.value.get("ips").map(|x| &x.value.value) {
                                Some(JValue::Arr(a)) => a.iter().filter_map(|n| n.as_str().map(|t| (t.to_string(), map.span(n.span)))).collect(),
                                _ => {
                                    c.push(Rule::SubnetStatusUnreadable, map.span(e.key_span), P, format!("S1: the entry of pool {} has no `ips` list", e.key));
                                    continue;
                                }
                            };
                            let application = e.value.get("application").and_then(|a| a.value.as_str()).map(str::to_string);
                            if let Some(set) = parse_list(c, items, &|s| s) {
                                sub.entries.push(SubnetEntry { pool: e.key.to_string(), at: c.at(map.span(e.key_span), P), set, v6, application });
                            }
                        }
                    }
                    _ => {
                        c.push(Rule::SubnetStatusUnreadable, map.span(root.span), P, format!("S1: `status.controlledIPPools` is a JSON {}, not an object", root.type_name()));
                    }
                },
            }
        }
        Some(_) => {} // wrong type for the era: the schema's finding
    }
    store.subnets.push(sub);
}

fn read_reserved(c: &mut Cx, store: &mut Store, obj: usize, root: &Node) {
    let spec = root.get("spec");
    let mut v6 = ip_version(spec.and_then(|s| s.get("ipVersion")));
    let mut rs = Vec::new();
    if let Some(items) = spec.and_then(|s| s.get("ips")).and_then(Node::as_seq) {
        for (i, item) in items.iter().enumerate() {
            let Some(t) = item.as_str() else { continue };
            match ranges::parse_item(t) {
                Ok(r) => {
                    if v6.is_none() {
                        v6 = Some(r.v6);
                    }
                    if v6 != Some(r.v6) {
                        c.push(Rule::AuditInvalidRange, item.span, format!("/spec/ips/{i}"), format!("`{t}` is not of the reserved IPs' family (IPv{})", if v6 == Some(true) { 6 } else { 4 }));
                        continue;
                    }
                    rs.push(r);
                }
                Err(m) => {
                    c.push(Rule::AuditInvalidRange, item.span, format!("/spec/ips/{i}"), m);
                }
            }
        }
    }
    super::webhook::reserved_version(c, root);
    let (terminating, _) = meta_flags(root);
    store.reserved.push(Reserved {
        obj,
        name: store.objs[obj].name.clone().unwrap_or_default(),
        v6,
        set: Set::from_ranges(&rs),
        ips_at: c.at(key_span(root, &["spec", "ips"]), "/spec/ips"),
        terminating,
    });
}

fn read_endpoint(c: &mut Cx, store: &mut Store, obj: usize, root: &Node, api: ApiVersion) {
    let (terminating, finalizer) = meta_flags(root);
    let status = root.get("status");
    let current = status.and_then(|s| s.get("current"));
    let mut pod_owners = Vec::new();
    if let Some(refs) = get(root, &["metadata", "ownerReferences"]).and_then(Node::as_seq) {
        for (i, r) in refs.iter().enumerate() {
            if s(r.get("kind")) == Some("Pod") {
                let uid = s(r.get("uid")).unwrap_or("").to_string();
                pod_owners.push((uid, c.at_in(r.get("uid").map_or(r.span, |n| n.span), "/metadata/ownerReferences", i, "uid")));
            }
        }
    }
    let mut addrs = Vec::new();
    if let Some(ips) = current.and_then(|c| c.get("ips")).and_then(Node::as_seq) {
        for (i, e) in ips.iter().enumerate() {
            let iface = s(e.get("interface")).unwrap_or("");
            for (k, pk, gk) in [("ipv4", "ipv4Pool", "ipv4Gateway"), ("ipv6", "ipv6Pool", "ipv6Gateway")] {
                let Some(n) = e.get(k) else { continue };
                let Some(t) = n.as_str() else { continue };
                let (a, prefix) = match t.split_once('/') {
                    Some((a, p)) => (a, p.parse::<u8>().ok()),
                    None => (t, None),
                };
                let Some(ip) = parse_ip(a) else { continue };
                addrs.push(EpAddr {
                    interface: iface.to_string(),
                    ip,
                    prefix,
                    at: c.at_in(n.span, "/status/current/ips", i, k),
                    pool: s(e.get(pk)).map(str::to_string),
                    pool_at: c.at_in(e.get(pk).map_or(n.span, |x| x.span), "/status/current/ips", i, pk),
                    gateway: s(e.get(gk)).and_then(parse_ip),
                    gateway_at: c.at_in(e.get(gk).map_or(n.span, |x| x.span), "/status/current/ips", i, gk),
                });
            }
        }
    }
    let uid_node = current.and_then(|c| c.get("uid"));
    store.endpoints.push(Endpoint {
        obj,
        ns: store.objs[obj].namespace.clone().unwrap_or_else(|| "default".into()),
        name: store.objs[obj].name.clone().unwrap_or_default(),
        name_at: name_at(c, root),
        api,
        uid: s(uid_node).map(str::to_string),
        uid_at: c.at(uid_node.map_or_else(|| key_span(root, &["status", "current"]), |n| n.span), "/status/current/uid"),
        container_id: s(current.and_then(|c| c.get("containerID"))).map(str::to_string),
        owner_type: s(status.and_then(|s| s.get("ownerControllerType"))).map(str::to_string),
        owner_type_at: c.at(key_span(root, &["status", "ownerControllerType"]), "/status/ownerControllerType"),
        // Kept for the whole audit, most with one element: no spare capacity (pushing leaves
        // room for four, which for 50,000 endpoints is tens of MB).
        pod_owners: shrunk(pod_owners),
        terminating,
        finalizer,
        current_at: c.at(key_span(root, &["status", "current"]), "/status/current"),
        addrs: shrunk(addrs),
    });
}

fn read_pod(c: &mut Cx, store: &mut Store, obj: usize, root: &Node) {
    let meta = root.get("metadata");
    let ann = |k: &str| meta.and_then(|m| m.get("annotations")).and_then(|a| a.get(k));
    let served = ["ipam.spidernet.io/ippool", "ipam.spidernet.io/ippools", "ipam.spidernet.io/subnet", "ipam.spidernet.io/subnets"].iter().any(|k| ann(k).is_some());
    let net_ips = ann("k8s.v1.cni.cncf.io/network-status").and_then(Node::as_str).map(network_status_ips).unwrap_or_default();
    let controller = meta.and_then(|m| m.get("ownerReferences")).and_then(Node::as_seq).and_then(|refs| {
        refs.iter()
            .find(|r| matches!(r.get("controller").map(|n| &n.value), Some(Value::Bool(true))))
            .and_then(|r| Some((s(r.get("kind"))?.to_string(), s(r.get("name"))?.to_string())))
    });
    let status = root.get("status");
    let spec = root.get("spec");
    let mut ips = Vec::new();
    if let Some(list) = status.and_then(|s| s.get("podIPs")).and_then(Node::as_seq) {
        for (i, p) in list.iter().enumerate() {
            if let Some(n) = p.get("ip") {
                if let Some(ip) = n.as_str().and_then(parse_ip) {
                    ips.push((ip, c.at_in(n.span, "/status/podIPs", i, "ip")));
                }
            }
        }
    }
    let uid_node = meta.and_then(|m| m.get("uid"));
    let deletion = meta.and_then(|m| s(m.get("deletionTimestamp"))).and_then(rfc3339);
    let grace = meta.and_then(|m| int(m.get("deletionGracePeriodSeconds"))).or_else(|| spec.and_then(|s| int(s.get("terminationGracePeriodSeconds"))));
    store.pods.push(Pod {
        obj,
        ns: store.objs[obj].namespace.clone().unwrap_or_else(|| "default".into()),
        name: store.objs[obj].name.clone().unwrap_or_default(),
        name_at: name_at(c, root),
        uid: s(uid_node).map(str::to_string),
        uid_at: c.at(uid_node.map_or_else(|| key_span(root, &["metadata"]), |n| n.span), "/metadata/uid"),
        controller,
        served,
        migration: ann("kubevirt.io/migrationJobName").is_some(),
        ips: shrunk(ips),
        net_ips: shrunk(net_ips),
        phase: status.and_then(|x| s(x.get("phase"))).map(str::to_string),
        restart_always: spec.and_then(|x| s(x.get("restartPolicy"))).is_none_or(|p| p == "Always"),
        deletion: deletion.or_else(|| meta.and_then(|m| m.get("deletionTimestamp")).map(|_| 0)),
        grace,
        host_network: matches!(spec.and_then(|s| s.get("hostNetwork")).map(|n| &n.value), Some(Value::Bool(true))),
        evicted: status.and_then(|x| s(x.get("reason"))) == Some("Evicted"),
    });
}

#[cfg(test)]
mod tests {
    use super::super::skim::line_table;
    use super::*;

    #[test]
    fn skimmed_pods_read_like_whole_ones() {
        let item = "  apiVersion: v1\n  kind: Pod\n  metadata:\n    annotations:\n      a: b\n      k8s.v1.cni.cncf.io/network-status: |-\n        [{\"ips\": [\"10.0.0.9\"]}]\n      other: |\n        x\n    name: p\n    namespace: n\n    ownerReferences:\n    - controller: true\n      kind: StatefulSet\n      name: s\n    uid: u-1\n  spec:\n    containers:\n    - name: c\n      env:\n      - name: X\n        value: \"1\"\n    nodeName: node-1\n    restartPolicy: Never\n  status:\n    conditions:\n    - type: Ready\n    phase: Failed\n    podIPs:\n    - ip: 10.0.0.9\n";
        let cx = AuditContext { release: None, reading: Reading::default(), budget: yaml::Budget::default(), now: None };
        let mut a = Store::default();
        assert!(read_skimmed_pod(&cx, &mut a, 0, 0, 0, item, 100, &line_table(item).unwrap()));
        let mut b = Store::default();
        let sb = yaml::parse(item, cx.budget);
        read_object(&cx, &mut b, 0, 0, Some(0), item, 100, "/items/0", sb.docs[0].root.as_ref().unwrap(), false, None);
        assert_eq!(format!("{:?}", a.pods), format!("{:?}", b.pods));
        assert_eq!(a.objs[0].span, b.objs[0].span);
        assert_eq!(a.pods[0].net_ips.len(), 1);
        let v = cx.budget.yaml_version;
        let t = "  apiVersion: v1\n  kind: Service\n";
        assert!(read_pod_lines(t, v, &line_table(t).unwrap()).is_none());
        // The item as it stands in the List (its `- ` not yet blanked) reads the same.
        let listed = item.replacen("  ", "- ", 1);
        assert_eq!(read_pod_lines(&listed, v, &line_table(&listed).unwrap()), read_pod_lines(item, v, &line_table(item).unwrap()));
        let skim = |t: &str| read_pod_lines(t, v, &line_table(t)?).is_some().then_some(());
        // A tab anywhere, or a line less indented than kubectl writes, leaves the skim to the parser.
        assert!(skim(&item.replace("    uid: u-1", "\tuid: u-1")).is_none());
        assert!(skim(&item.replace("    nodeName: node-1", " nodeName: node-1")).is_none());
    }

    /// Random edits of a Pod item (indentation, comments, blank lines, repeated or missing lines,
    /// odd values): whenever the whole item reads without a problem, the skimmed reading (or the
    /// fallback to the whole item) gives the same Pod, positions included.
    #[test]
    fn skimmed_pods_read_like_whole_ones_under_random_edits() {
        let base = "- apiVersion: v1\n  kind: Pod\n  metadata:\n    annotations:\n      a: b\n      ipam.spidernet.io/ippool: '{\"ipv4\":[\"p\"]}'\n      k8s.v1.cni.cncf.io/network-status: |-\n        [{\n            \"ips\": [\"10.0.0.9\"]\n        }]\n    creationTimestamp: \"2024-05-01T10:00:00Z\"\n    labels:\n      app: x\n    name: p\n    namespace: n\n    ownerReferences:\n    - apiVersion: apps/v1\n      controller: true\n      kind: StatefulSet\n      name: s\n    uid: u-1\n  spec:\n    containers:\n    - name: c\n      env:\n      - name: X\n        value: \"1\"\n    nodeName: node-1\n    restartPolicy: Never\n    terminationGracePeriodSeconds: 30\n  status:\n    conditions:\n    - type: Ready\n    phase: Failed\n    podIPs:\n    - ip: 10.0.0.9\n    - ip: fd00::9\n";
        let values = [
            "'q'", "\"d\"", "yes", "~", "{}", "[]", "|", "&a x", "*a", "x # c", "a: b", "", "- z", "\"a\\tb\"", "12", "true", "\"true\"", "null", "[a]", "{a: b}",
            "'it''s'", "x:y", "-1", "0x1F", "1e3", "on", ".inf", "!!str 1", "é", "|-", ">",
        ];
        let cx = AuditContext { release: None, reading: Reading::default(), budget: yaml::Budget::default(), now: None };
        let mut seed = 0x9e37_79b9u32;
        let mut rnd = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            seed as usize % n
        };
        let (mut compared, mut skimmed) = (0, 0);
        for _ in 0..std::env::var("SKIM_EDITS").ok().and_then(|n| n.parse().ok()).unwrap_or(4000) {
            let mut lines: Vec<String> = base.lines().map(str::to_string).collect();
            for _ in 0..1 + rnd(3) {
                let i = 1 + rnd(lines.len() - 1);
                match rnd(8) {
                    7 => {
                        // `key : value`, or a sequence item's content moved (`-   x`).
                        lines[i] = lines[i].replacen(": ", " : ", 1).replacen("- ", "-   ", 1);
                    }
                    0 => {
                        let l = &lines[i];
                        let ind = l.len() - l.trim_start().len();
                        let new = (ind + rnd(5)).saturating_sub(2);
                        lines[i] = format!("{}{}", " ".repeat(new), l.trim_start());
                    }
                    1 => lines.insert(i, format!("{}# c", " ".repeat(rnd(9)))),
                    2 => lines.insert(i, " ".repeat(rnd(9))),
                    3 => lines.insert(i, lines[i].clone()),
                    4 => {
                        lines.remove(i);
                    }
                    5 => lines.insert(i, format!("{}- x", " ".repeat(rnd(9)))),
                    _ => {
                        if let Some(c) = lines[i].find(": ") {
                            lines[i] = format!("{}: {}", &lines[i][..c], values[rnd(values.len())]);
                        }
                    }
                }
            }
            let item = lines.join("\n") + "\n";
            let whole_text = format!(" {}", &item[1..]);
            let whole = yaml::parse(&whole_text, cx.budget);
            let Some(root) = whole.docs.first().and_then(|d| d.root.as_ref()) else { continue };
            if !whole.problems.is_empty() || !whole.complete || whole.docs.len() != 1 {
                continue;
            }
            let mut b = Store::default();
            read_object(&cx, &mut b, 0, 0, Some(0), &whole_text, 100, "/items/0", root, whole.docs[0].ambiguous, None);
            if b.pods.is_empty() {
                continue;
            }
            let mut a = Store::default();
            if !line_table(&item).is_some_and(|table| read_skimmed_pod(&cx, &mut a, 0, 0, 0, &item, 100, &table)) {
                continue;
            }
            skimmed += 1;
            b.objs[0].span.end = 100 + item.trim_end().len();
            assert_eq!(format!("{:?}", a.pods), format!("{:?}", b.pods), "{item}");
            assert_eq!(format!("{:?}", a.objs), format!("{:?}", b.objs), "{item}");
            compared += 1;
        }
        assert!(compared > 1000 && skimmed > 1000, "{compared} compared, {skimmed} skimmed");
    }

    #[test]
    fn reads_the_addresses_of_a_network_status() {
        let ips = |t: &str| network_status_ips(t).iter().map(|ip| format!("{ip:?}")).collect::<Vec<_>>();
        let typical = r#"[{"name": "a", "interface": "eth0", "ips": ["10.0.0.1", "fd00::1"], "dns": {}}, {"name": "b", "ips": ["10.0.0.2"]}]"#;
        assert_eq!(ips(typical).len(), 3);
        // Loose input reads like the typical one: a non-object element, a repeated key (the last wins), no `ips`.
        assert_eq!(ips(r#"[1, {"ips": ["10.0.0.1"]}]"#), ips(r#"[{"ips": ["10.0.0.1"]}]"#));
        assert_eq!(ips(r#"[{"ips": ["10.9.9.9"], "ips": ["10.0.0.1"]}]"#), ips(r#"[{"ips": ["10.0.0.1"]}]"#));
        assert!(ips(r#"[{"name": "a"}, {"ips": null}, {"ips": "10.0.0.1"}]"#).is_empty());
        assert!(ips("not json").is_empty());
    }

    #[test]
    fn reads_rfc3339() {
        assert_eq!(rfc3339("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(rfc3339("2024-01-02T03:04:05Z"), Some(1704164645));
        assert_eq!(rfc3339("2024-01-02T03:04:05.5+01:00"), Some(1704164645 - 3600));
        assert_eq!(rfc3339("nope"), None);
        // Fields read as `str::parse` reads them: a sign taken, anything else refused.
        assert_eq!(rfc3339("2024-+1-02T03:04:+5Z"), Some(1704164645));
        assert_eq!(rfc3339("2024-01-02T03:04:-5Z"), Some(1704164645 - 10));
        for bad in ["0x", "-+", " 5", "5 "] {
            assert_eq!(rfc3339(&format!("2024-01-02T03:04:{bad}Z")), None, "{bad}");
        }
        assert_eq!(rfc3339("2024-01-é2T03:04:05Z"), None);
    }
}
