//! Checks across objects: the same SpiderEndpoint defined twice and one IP claimed twice, within
//! one input and across the files of one run. Each object is indexed once (by namespace/name and
//! by IP); a finding names the first definition as a related location. First sightings keep only
//! spans and numbers: positions and texts are made for the (rare) duplicates.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::diagnostic::{Finding, RelatedLocation};
use crate::rules::Rule;
use crate::text::LineIndex;
use crate::yaml::Span;

use super::Unit;

/// Where something was first seen.
struct First {
    /// The file it is in (`None`: the only input).
    file: Option<usize>,
    span: Span,
    path: String,
    /// The object it is in (an index into `Cross::objects`).
    object: usize,
    /// For an IP: which interface of the object claims it.
    claim: usize,
}

/// An object that has a first sighting: what a message says about it.
struct Object {
    namespace: Option<String>,
    name: Option<String>,
    document: usize,
    item: Option<usize>,
    interfaces: Vec<String>,
}

impl Object {
    fn of(u: &Unit) -> Object {
        Object { namespace: u.namespace.clone(), name: u.name.clone(), document: u.index, item: u.item, interfaces: Vec::new() }
    }

    /// "ns/name" and "document 2, item 1" (1-based, as every human-facing number).
    fn describe(&self) -> (String, String) {
        let at = match self.item {
            Some(i) => format!("document {}, item {}", self.document + 1, i + 1),
            None => format!("document {}", self.document + 1),
        };
        (format!("{}/{}", self.namespace.as_deref().unwrap_or("(no namespace)"), self.name.as_deref().unwrap_or("(no name)")), at)
    }
}

/// The endpoints and IPs seen so far, in input order.
#[derive(Default)]
pub struct Cross<'t> {
    /// Name and line index of each file of a run.
    files: Vec<(String, LineIndex<'t>)>,
    names: HashMap<(String, String), First>,
    ips: HashMap<IpAddr, First>,
    objects: Vec<Object>,
}

impl<'t> Cross<'t> {
    /// Checks the units of one input against everything seen before (and each other), adding
    /// the findings to the later unit. `file` names the input in a run of several files.
    pub fn add(&mut self, file: Option<&str>, index: &LineIndex<'t>, units: &mut [Unit]) {
        let this = file.map(|f| {
            self.files.push((f.to_string(), index.clone()));
            self.files.len() - 1
        });
        for unit in units.iter_mut() {
            if unit.skipped() || matches!(unit.kind.as_deref(), Some("List" | "SpiderEndpointList")) {
                continue;
            }
            let object = self.objects.len();
            let mut recorded = false;
            let mut found = Vec::new();
            if let Some(n) = &unit.name {
                let key = (unit.namespace.clone().unwrap_or_default(), n.clone());
                let path = crate::yaml::join_pointer(&unit.base, &["metadata", "name"]);
                match self.names.get(&key) {
                    Some(first) => {
                        let (name, _) = Object::of(unit).describe();
                        let (_, doc) = self.objects[first.object].describe();
                        let (related, in_file) = self.related(first, this, index, format!("first definition of {name}"));
                        let msg = format!("SpiderEndpoint {name} is defined twice (first in {in_file}{doc}, line {})", related.location.line);
                        found.push(Finding::new(Rule::DuplicateEndpoint, unit.name_span, path, msg).with_related(related));
                    }
                    None => {
                        self.names.insert(key, First { file: this, span: unit.name_span, path, object, claim: 0 });
                        recorded = true;
                    }
                }
            }
            let mut interfaces = Vec::new();
            // the claims are read here only: their strings move into the index
            for claim in std::mem::take(&mut unit.claims) {
                match self.ips.get(&claim.ip) {
                    Some(first) => {
                        // an object is stored once its unit is done: the current one is `object`
                        let same = first.object == object;
                        let interface = if same { &interfaces[first.claim] } else { &self.objects[first.object].interfaces[first.claim] };
                        let (related, in_file) = self.related(first, this, index, format!("IP {} first claimed here", claim.ip));
                        let whose = if same {
                            format!("interface \"{interface}\" of this endpoint (line {})", related.location.line)
                        } else {
                            let (name, doc) = self.objects[first.object].describe();
                            format!("{name} ({in_file}{doc}, interface \"{interface}\", line {})", related.location.line)
                        };
                        let msg = format!("IP {} is also claimed by {whose}", claim.ip);
                        found.push(Finding::new(Rule::DuplicateIp, claim.span, claim.path, msg).with_related(related));
                    }
                    None => {
                        interfaces.push(claim.interface);
                        let claim_index = interfaces.len() - 1;
                        self.ips.insert(claim.ip, First { file: this, span: claim.span, path: claim.path, object, claim: claim_index });
                        recorded = true;
                    }
                }
            }
            if recorded {
                self.objects.push(Object { interfaces, ..Object::of(unit) });
            }
            unit.findings.extend(found);
        }
    }

    /// The related location of a first sighting seen from `this` file (`index` is this file's),
    /// and the "file, " prefix a message names it with when it is in another file.
    fn related(&self, first: &First, this: Option<usize>, index: &LineIndex<'t>, message: String) -> (RelatedLocation, String) {
        match first.file {
            Some(f) if first.file != this => {
                let (name, idx) = &self.files[f];
                let mut related = RelatedLocation::new(idx, first.span, first.path.clone(), message);
                related.file = Some(name.clone());
                (related, format!("{name}, "))
            }
            _ => (RelatedLocation::new(index, first.span, first.path.clone(), message), String::new()),
        }
    }
}
