//! Checks one parsed input: finds the SpiderEndpoints (documents, List items), picks each one's
//! era, and runs the schema rules, the Spiderpool rules and the checks across documents.

pub mod cross;
pub mod edits;
pub(crate) mod reading;
pub mod spiderpool;
pub mod structural;
pub mod suggest;

use crate::diagnostic::Finding;
use crate::list::{self, Found};
use crate::release::{ApiVersion, Era, Release, GROUP};
use crate::rules::Rule;
use crate::schema;
use crate::text::LineIndex;
use crate::yaml::{Document, Node, Problem, ProblemKind, Sink, Span, Stream};

use spiderpool::{Claim, Interface, Semantic};
use structural::Structural;
use suggest::did_you_mean;

const KIND: &str = list::ENDPOINT_KIND;

pub use crate::options::Reading;

/// One object checked: a YAML document, or one item of a List document.
#[derive(Debug)]
pub struct Unit {
    pub index: usize,
    pub item: Option<usize>,
    /// JSON Pointer of the object inside its document (`""` or `/items/3`).
    pub base: String,
    pub span: Span,
    pub api_version: Option<String>,
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// The era it was checked against; `None` when skipped.
    pub era: Option<Era>,
    pub findings: Vec<Finding>,
    /// The addresses it holds (moved into the index of the checks across objects, which reads them last).
    pub claims: Vec<Claim>,
    /// The interfaces of its `status.current.ips` entries that claim addresses (by entry index).
    pub interfaces: Vec<Interface>,
    pub(crate) name_span: Span,
}

impl Unit {
    fn new(index: usize, item: Option<usize>, span: Span) -> Unit {
        Unit {
            index,
            item,
            base: item.map(|i| format!("/items/{i}")).unwrap_or_default(),
            span,
            api_version: None,
            kind: None,
            namespace: None,
            name: None,
            era: None,
            findings: Vec::new(),
            claims: Vec::new(),
            interfaces: Vec::new(),
            name_span: span,
        }
    }

    pub fn skipped(&self) -> bool {
        self.era.is_none()
    }
}

/// Checks the documents of one input as the reader hands them over ([`crate::yaml::parse_each`]), so that
/// no document's tree outlives its checks. [`StreamCheck::finish`] gives the units and the
/// file-level findings (the checks across objects are [`cross::Cross`]'s, called by the operation).
pub struct StreamCheck<'t> {
    text: &'t str,
    release: Option<Release>,
    reading: Reading,
    /// The index of the next document.
    next: usize,
    units: Vec<Unit>,
    file: Vec<Finding>,
    /// The file-level findings about the text alone (the first ones of `file`).
    text_findings: usize,
    /// The spans of the scalars read, when asked for (suppression comments need them).
    scalars: Option<Vec<Span>>,
}

impl<'t> StreamCheck<'t> {
    pub fn new(text: &'t str, release: Option<Release>, reading: Reading, keep_scalars: bool) -> Self {
        let file = reading::kubectl_refusals(text, reading.yaml_version);
        let text_findings = file.len();
        StreamCheck { text, release, reading, next: 0, units: Vec::new(), file, text_findings, scalars: keep_scalars.then(Vec::new) }
    }

    /// Checks one document (the next of the stream).
    pub fn check(&mut self, doc: &Document) {
        let (text, i) = (self.text, self.next);
        self.next += 1;
        reading::kubectl_refusals_in(text, doc, self.reading.yaml_version, &mut self.file);
        let Some(root) = &doc.root else { return };
        if let Some(scalars) = &mut self.scalars {
            root.scalar_spans(scalars);
        }
        // kubectl reads one document per `---`-separated part: one after `...` in the same part is dropped.
        if reading::ignored_by_kubectl(text, doc, i, self.reading.yaml_version) {
            let mut unit = Unit::new(i, None, root.span);
            let msg = "kubectl never sends this document: it follows `...` without a `---` line (kubectl splits files on `---` lines and reads one document from each part); not checked";
            // the marker starts its own line (after indentation, `  ---` would be a scalar)
            let line_start = text[..doc.span.start].rfind(['\n', '\r']).map_or(0, |i| i + 1);
            let at = if text[line_start..doc.span.start].bytes().all(|b| b == b' ' || b == b'\t') { line_start } else { doc.span.start };
            unit.findings.push(Finding::new(Rule::IgnoredByKubectl, first_key_span(root), "", msg).with_fix("Insert `---`", vec![(Span::new(at, at), "---\n".to_string())]));
            self.units.push(unit);
            return;
        }
        check_document(text, i, root, self.release, Reading { ambiguous: doc.ambiguous, ..self.reading }, &mut self.units);
    }

    /// The units, the file-level findings (the reader's `problems` last), and the scalar spans if
    /// kept. `line_of` gives the line of an offset (a duplicate key's message names its first line).
    pub fn finish(mut self, line_of: impl Fn(usize) -> usize, problems: &[Problem]) -> (Vec<Unit>, Vec<Finding>, Vec<Span>) {
        for p in problems {
            let rule = problem_rule(p.kind);
            let mut message = p.message.clone();
            if let Some(first) = p.related {
                message.push_str(&format!(" (first defined on line {})", line_of(first.start)));
            }
            // Only key problems belong to a place in the object; the others are about the text.
            let path = if matches!(p.kind, ProblemKind::DuplicateKey | ProblemKind::ComplexKey) { p.path.clone() } else { String::new() };
            let mut finding = Finding::new(rule, p.span, path, message);
            if p.kind == ProblemKind::DuplicateKey {
                finding.severity = self.reading.field_severity();
            }
            if p.kind == ProblemKind::TabIndent {
                let indent = self.text.get(p.span.start..p.span.end).unwrap_or("");
                finding = finding.with_fix("Indent with spaces", vec![(p.span, indent.replace('\t', "  "))]);
            }
            let owner = self
                .units
                .iter_mut()
                .filter(|u| u.index == p.document && matches!(p.kind, ProblemKind::DuplicateKey | ProblemKind::ComplexKey))
                .find(|u| u.item.is_none() || p.path.starts_with(&format!("{}/", u.base)));
            match owner {
                Some(unit) => unit.findings.push(finding),
                None => self.file.push(finding),
            }
        }
        (self.units, self.file, self.scalars.unwrap_or_default())
    }
}

impl<'a> Sink<'a> for StreamCheck<'_> {
    fn doc(&mut self, doc: Document<'a>) {
        self.check(&doc);
    }

    fn restart(&mut self) {
        self.next = 0;
        self.units.clear();
        self.file.truncate(self.text_findings);
        if let Some(s) = &mut self.scalars {
            s.clear();
        }
    }
}

/// Checks every document of a stream already read: [`StreamCheck`] over its documents.
pub fn check_stream(text: &str, stream: &Stream, release: Option<Release>, reading: Reading) -> (Vec<Unit>, Vec<Finding>) {
    let mut checks = StreamCheck::new(text, release, reading, false);
    for doc in &stream.docs {
        checks.check(doc);
    }
    // The line table only when a message needs a line (the audit checks each List item alone:
    // a table per item would cost more than its checks).
    let index = std::cell::OnceCell::new();
    let line_of = |offset| index.get_or_init(|| LineIndex::new(text)).position(offset).line;
    let (units, file, _) = checks.finish(line_of, &stream.problems);
    (units, file)
}

/// The rule of a problem found while reading the YAML.
pub fn problem_rule(kind: ProblemKind) -> Rule {
    match kind {
        ProblemKind::Syntax => Rule::YamlSyntax,
        ProblemKind::DuplicateKey => Rule::DuplicateKey,
        ProblemKind::TabIndent => Rule::TabIndentation,
        ProblemKind::ControlChar => Rule::ControlCharacter,
        ProblemKind::ComplexKey => Rule::ComplexKey,
        ProblemKind::DepthLimit => Rule::DepthLimit,
        ProblemKind::AliasLimit => Rule::AliasLimit,
        ProblemKind::KubectlRefuses => Rule::KubectlRefuses,
    }
}

fn check_document(text: &str, index: usize, root: &Node, release: Option<Release>, reading: Reading, units: &mut Vec<Unit>) {
    let mut unit = Unit::new(index, None, root.span);
    if root.as_map().is_none() {
        unit.findings.push(Finding::new(
            Rule::NotAnObject,
            root.span,
            "",
            format!("this document is {} {}, not a Kubernetes object (a mapping); skipped", article(root.type_name()), root.type_name()),
        ));
        units.push(unit);
        return;
    }
    if !list::is_list(root) {
        check_object(text, &mut unit, root, release, reading);
        units.push(unit);
        return;
    }
    for found in list::objects(root) {
        match found {
            Found::Object { item, base, node } => {
                let mut item_unit = Unit::new(index, item, node.span);
                item_unit.base = base;
                if node.as_map().is_some() {
                    check_object(text, &mut item_unit, node, release, reading);
                } else {
                    item_unit.findings.push(Finding::new(
                        Rule::NotAnObject,
                        node.span,
                        item_unit.base.clone(),
                        format!("List item {} is {} {}, not an object; skipped", item.unwrap_or(0), article(node.type_name()), node.type_name()),
                    ));
                }
                units.push(item_unit);
            }
            Found::BadList { base, node } => {
                let mut list_unit = Unit::new(index, None, node.span);
                list_unit.base = base;
                list_unit.api_version = node.get("apiVersion").and_then(Node::as_str).map(str::to_string);
                list_unit.kind = node.get("kind").and_then(Node::as_str).map(str::to_string);
                let span = node.entry("items").map_or(first_key_span(node), |e| e.key_span);
                let path = format!("{}/items", list_unit.base);
                list_unit.findings.push(Finding::new(Rule::InvalidList, span, path, "a List needs `items`, an array of objects"));
                list_unit.era = Some(Era::newest(ApiVersion::V2beta1)); // counts as checked (and invalid)
                units.push(list_unit);
            }
        }
    }
}

fn first_key_span(node: &Node) -> Span {
    node.as_map().and_then(|m| m.first()).map_or(Span::new(node.span.start, node.span.start), |e| e.key_span)
}

/// Identifies one object and checks it when it is a SpiderEndpoint.
fn check_object(text: &str, unit: &mut Unit, root: &Node, release: Option<Release>, reading: Reading) {
    let base = unit.base.clone();
    let anchor = first_key_span(root);
    let kind_entry = root.entry("kind");
    let api_entry = root.entry("apiVersion");
    let kind = kind_entry.and_then(|e| e.value.as_str());
    let api = api_entry.and_then(|e| e.value.as_str());
    unit.kind = kind.map(str::to_string);
    unit.api_version = api.map(str::to_string);
    let meta = root.get("metadata");
    unit.name = meta.and_then(|m| m.get("name")).and_then(Node::as_str).map(str::to_string);
    unit.namespace = meta.and_then(|m| m.get("namespace")).and_then(Node::as_str).map(str::to_string);
    unit.name_span = meta.and_then(|m| m.get("name")).map_or(anchor, |n| n.span);

    let group = api.and_then(|a| a.split_once('/')).map(|(g, _)| g);
    let in_group = group == Some(GROUP);
    let findings = &mut unit.findings;
    // kubectl refuses a document without apiVersion and kind: never skipped silently.
    let se_shaped = || root.get("status").is_some_and(|s| s.get("current").is_some() || s.get("ownerControllerType").is_some());
    let kind = match kind {
        None if !in_group && se_shaped() => {
            let span = kind_entry.map_or(anchor, |e| e.value.span);
            let msg = format!("this looks like a SpiderEndpoint (its `status` has `current` or `ownerControllerType`) but `kind` is missing: kubectl refuses it; add `kind: {KIND}` and the `apiVersion`");
            findings.push(Finding::new(Rule::MissingTypeMeta, span, format!("{base}/kind"), msg));
            Some(KIND)
        }
        None if !in_group => {
            findings.push(Finding::new(Rule::NoTypeMeta, anchor, base.clone(), "skipped: no `kind` (kubectl refuses a document without `apiVersion` and `kind`)"));
            return;
        }
        Some(k) if k != KIND && api.is_none() => {
            findings.push(Finding::new(Rule::NoTypeMeta, anchor, base.clone(), format!("skipped: `{k}` without `apiVersion` (kubectl refuses a document without `apiVersion` and `kind`)")));
            return;
        }
        k => k,
    };
    match kind {
        Some(KIND) => {}
        Some(k) if in_group => {
            if did_you_mean(k, &[KIND]).is_none() {
                return; // another Spiderpool kind (SpiderIPPool, ...): skipped
            }
            let span = kind_entry.map_or(anchor, |e| e.value.span);
            findings.push(
                Finding::new(Rule::KindTypo, span, format!("{base}/kind"), format!("unknown kind `{k}` in {GROUP}; did you mean `{KIND}`?"))
                    .with_fix(format!("Write `{KIND}`"), vec![(span, edits::same_quotes(text, span, KIND))]),
            );
        }
        None if in_group => {
            let span = kind_entry.map_or(anchor, |e| e.value.span);
            findings.push(Finding::new(Rule::MissingTypeMeta, span, format!("{base}/kind"), format!("`kind` is missing or not a string (expected `{KIND}`)")));
        }
        _ => return, // another kind: skipped
    }

    // The apiVersion decides the era.
    let api_span = api_entry.map_or(anchor, |e| e.value.span);
    let parsed = api.and_then(ApiVersion::parse);
    let doc_api = match (parsed, api) {
        (Some(v), _) => v,
        (None, None) => {
            findings.push(Finding::new(
                Rule::MissingTypeMeta,
                api_span,
                format!("{base}/apiVersion"),
                format!("`apiVersion` is missing or not a string (expected `{}`)", ApiVersion::V2beta1.full()),
            ));
            guess_api(root)
        }
        (None, Some(a)) => {
            let guess = guess_api(root);
            let wanted = guess.full();
            let version = a.rsplit('/').next().unwrap_or(a);
            let why = if in_group {
                format!("`{a}` was never served: SpiderEndpoint exists as {GROUP}/v1 (Spiderpool <= 0.3) and {GROUP}/v2beta1 (>= 0.4); v2beta2/v2 were never released")
            } else {
                format!("SpiderEndpoint belongs to the {GROUP} group, not `{a}`")
            };
            let _ = version;
            findings.push(
                Finding::new(Rule::UnknownApiVersion, api_span, format!("{base}/apiVersion"), why)
                    .with_fix(format!("Write `{wanted}`"), vec![(api_span, edits::same_quotes(text, api_span, wanted))]),
            );
            guess
        }
    };
    let era = match release {
        Some(r) => {
            let era = r.era();
            if era.api_version() != doc_api {
                findings.push(Finding::new(
                    Rule::VersionNotServed,
                    api_span,
                    format!("{base}/apiVersion"),
                    format!(
                        "Spiderpool {r} serves SpiderEndpoint only as {}; {} is not served (convert with `spiderendpoint convert --to {}`)",
                        era.api_version().full(),
                        doc_api.full(),
                        era.api_version().short()
                    ),
                ));
                match doc_api {
                    ApiVersion::V1 => Era::V1,
                    ApiVersion::V2beta1 => Era::V2beta1Vlan4095,
                }
            } else {
                era
            }
        }
        None => {
            if doc_api == ApiVersion::V1 && parsed.is_some() {
                findings.push(Finding::new(
                    Rule::DeprecatedApiVersion,
                    api_span,
                    format!("{base}/apiVersion"),
                    "spiderpool.spidernet.io/v1 is served only by Spiderpool <= 0.3 (checked against the v0.3.7 CRD); convert it with `spiderendpoint convert --to v2beta1`",
                ));
            }
            Era::newest(doc_api)
        }
    };
    unit.era = Some(era);

    // the walk's pointer, grown and cut back in place (room for the deepest usual path)
    let mut path = String::with_capacity(base.len() + 96);
    path.push_str(&base);
    Structural { src: text, era, reading, out: &mut unit.findings }.walk(root, schema::for_era(era), &mut path, anchor);
    let mut semantic = Semantic { src: text, api: doc_api, out: &mut unit.findings, claims: Vec::new(), interfaces: Vec::new() };
    semantic.check(root, &base, anchor);
    unit.claims = semantic.claims;
    unit.interfaces = semantic.interfaces;
    if reading.ambiguous {
        let typed: Vec<String> = unit.findings.iter().filter(|f| f.rule == Rule::WrongType).map(|f| f.path.clone()).collect();
        let typed: Vec<&str> = typed.iter().map(String::as_str).collect();
        reading::spellings(text, root, &base, reading.yaml_version, &typed, &mut unit.findings);
    }
}

/// v1 when the object has v1-only fields, else v2beta1.
fn guess_api(root: &Node) -> ApiVersion {
    let status = root.get("status");
    let v1 = status.is_some_and(|s| s.get("history").is_some() || s.get("current").and_then(|c| c.get("containerID")).is_some());
    if v1 {
        ApiVersion::V1
    } else {
        ApiVersion::V2beta1
    }
}

fn article(word: &str) -> &'static str {
    if word.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}
