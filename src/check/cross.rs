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

use super::spiderpool::{Claim, Interface};
use crate::hash::Seeded;
use super::Unit;

/// Where something was first seen (its pointer is made from its object's `base` when a duplicate
/// needs it).
struct First {
    /// The file it is in (`None`: the only input).
    file: Option<usize>,
    span: Span,
    /// The object it is in (an index into `Cross::objects`).
    object: usize,
    /// For an IP: the claim (its entry of `status.current.ips`); `None` for a name.
    claim: Option<Claim>,
}

impl First {
    /// Its pointer, in the object at `base`.
    fn path(&self, base: &str) -> String {
        match &self.claim {
            Some(claim) => claim.path(base),
            None => crate::yaml::join_pointer(base, &["metadata", "name"]),
        }
    }
}

/// An object that has a first sighting: what a message says about it.
struct Object {
    namespace: Option<String>,
    name: Option<String>,
    document: usize,
    item: Option<usize>,
    /// Its JSON Pointer in its document (`""`, or `/items/3`).
    base: String,
    interfaces: Vec<Interface>,
}

impl Object {
    fn of(u: &Unit) -> Object {
        Object { namespace: u.namespace.clone(), name: u.name.clone(), document: u.index, item: u.item, base: u.base.clone(), interfaces: Vec::new() }
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
    names: HashMap<(String, String), First, Seeded>,
    ips: HashMap<IpAddr, First, Seeded>,
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
                match self.names.get(&key) {
                    Some(first) => {
                        let (name, _) = Object::of(unit).describe();
                        let (_, doc) = self.objects[first.object].describe();
                        let (related, in_file) = self.related(first, this, index, &unit.base, format!("first definition of {name}"));
                        let msg = format!("SpiderEndpoint {name} is defined twice (first in {in_file}{doc}, line {})", related.location.line);
                        let path = crate::yaml::join_pointer(&unit.base, &["metadata", "name"]);
                        found.push(Finding::new(Rule::DuplicateEndpoint, unit.name_span, path, msg).with_related(related));
                    }
                    None => {
                        self.names.insert(key, First { file: this, span: unit.name_span, object, claim: None });
                        recorded = true;
                    }
                }
            }
            // the claims are read here only: the interfaces move into the index
            let interfaces = std::mem::take(&mut unit.interfaces);
            for claim in std::mem::take(&mut unit.claims) {
                match self.ips.get(&claim.ip) {
                    Some(first) => {
                        // an object is stored once its unit is done: the current one is `object`
                        let same = first.object == object;
                        let nic = first.claim.as_ref().map_or(0, |c| c.nic);
                        let interface = if same {
                            interfaces.get(nic).map_or("", |i| i.name(index.text()))
                        } else {
                            let src = first.file.map_or(index.text(), |f| self.files[f].1.text());
                            self.objects[first.object].interfaces.get(nic).map_or("", |i| i.name(src))
                        };
                        let (related, in_file) = self.related(first, this, index, &unit.base, format!("IP {} first claimed here", claim.ip));
                        let whose = if same {
                            format!("interface \"{interface}\" of this endpoint (line {})", related.location.line)
                        } else {
                            let (name, doc) = self.objects[first.object].describe();
                            format!("{name} ({in_file}{doc}, interface \"{interface}\", line {})", related.location.line)
                        };
                        let msg = format!("IP {} is also claimed by {whose}", claim.ip);
                        found.push(Finding::new(Rule::DuplicateIp, claim.span, claim.path(&unit.base), msg).with_related(related));
                    }
                    None => {
                        self.ips.insert(claim.ip, First { file: this, span: claim.span, object, claim: Some(claim) });
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
    /// `base`: the pointer of the object being added (not stored yet: a first sighting in it has
    /// the index `self.objects.len()`).
    fn related(&self, first: &First, this: Option<usize>, index: &LineIndex<'t>, base: &str, message: String) -> (RelatedLocation, String) {
        let path = match self.objects.get(first.object) {
            Some(object) => first.path(&object.base),
            None => first.path(base),
        };
        match first.file {
            Some(f) if first.file != this => {
                let (name, idx) = &self.files[f];
                let mut related = RelatedLocation::new(idx, first.span, path, message);
                related.file = Some(name.clone());
                (related, format!("{name}, "))
            }
            _ => (RelatedLocation::new(index, first.span, path, message), String::new()),
        }
    }
}
