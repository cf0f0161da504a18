//! Checks across objects: the same SpiderEndpoint defined twice and one IP claimed twice, within
//! one input and across the files of one run. Each object is indexed once (by namespace/name and
//! by IP); a finding names the first definition as a related location.

use std::collections::HashMap;
use std::net::IpAddr;

use crate::diagnostic::{Finding, RelatedLocation};
use crate::rules::Rule;
use crate::text::LineIndex;

use super::Unit;

/// Where something was first seen.
struct First {
    /// The file it is in (`None`: the only input).
    file: Option<usize>,
    at: RelatedLocation,
    /// The object it is in: "ns/name" and "document 2, item 1", and a number unique in the run.
    name: String,
    doc: String,
    unit: usize,
    /// For an IP: the interface that claims it.
    interface: String,
}

/// The endpoints and IPs seen so far, in input order.
#[derive(Default)]
pub struct Cross {
    files: Vec<String>,
    names: HashMap<(String, String), First>,
    ips: HashMap<IpAddr, First>,
    units: usize,
}

fn identity(u: &Unit) -> (String, String) {
    let at = match u.item {
        Some(i) => format!("document {}, item {}", u.index + 1, i + 1),
        None => format!("document {}", u.index + 1),
    };
    (format!("{}/{}", u.namespace.as_deref().unwrap_or("(no namespace)"), u.name.as_deref().unwrap_or("(no name)")), at)
}

impl Cross {
    /// Checks the units of one input against everything seen before (and each other), adding
    /// the findings to the later unit. `file` names the input in a run of several files.
    pub fn add(&mut self, file: Option<&str>, index: &LineIndex, units: &mut [Unit]) {
        let this = file.map(|f| {
            self.files.push(f.to_string());
            self.files.len() - 1
        });
        for unit in units.iter_mut() {
            self.units += 1;
            let id = self.units;
            if unit.skipped() || matches!(unit.kind.as_deref(), Some("List" | "SpiderEndpointList")) {
                continue;
            }
            let (name, at) = identity(unit);
            let mut found = Vec::new();
            if let Some(n) = &unit.name {
                let key = (unit.namespace.clone().unwrap_or_default(), n.clone());
                match self.names.get(&key) {
                    Some(first) => {
                        let (related, file) = self.locate(first, this);
                        let msg = format!("SpiderEndpoint {name} is defined twice (first in {file}{}, line {})", first.doc, first.at.line);
                        found.push(Finding::new(Rule::DuplicateEndpoint, unit.name_span, format!("{}/metadata/name", unit.base), msg).with_related(related));
                    }
                    None => {
                        let at_rel = RelatedLocation::new(index, unit.name_span, format!("{}/metadata/name", unit.base), format!("first definition of {name}"));
                        self.names.insert(key, First { file: this, at: at_rel, name: name.clone(), doc: at.clone(), unit: id, interface: String::new() });
                    }
                }
            }
            for claim in &unit.claims {
                match self.ips.get(&claim.ip) {
                    Some(first) => {
                        let (related, file) = self.locate(first, this);
                        let whose = if first.unit == id {
                            format!("interface \"{}\" of this endpoint (line {})", first.interface, first.at.line)
                        } else {
                            format!("{} ({file}{}, interface \"{}\", line {})", first.name, first.doc, first.interface, first.at.line)
                        };
                        let msg = format!("IP {} is also claimed by {whose}", claim.ip);
                        found.push(Finding::new(Rule::DuplicateIp, claim.span, claim.path.clone(), msg).with_related(related));
                    }
                    None => {
                        let at_rel = RelatedLocation::new(index, claim.span, claim.path.clone(), format!("IP {} first claimed here", claim.ip));
                        self.ips.insert(claim.ip, First { file: this, at: at_rel, name: name.clone(), doc: at.clone(), unit: id, interface: claim.interface.clone() });
                    }
                }
            }
            unit.findings.extend(found);
        }
    }

    /// The related location of a first sighting seen from `this` file, and the "file, " prefix a
    /// message names it with when it is in another file.
    fn locate(&self, first: &First, this: Option<usize>) -> (RelatedLocation, String) {
        let mut related = first.at.clone();
        match first.file {
            Some(f) if first.file != this => {
                related.file = Some(self.files[f].clone());
                (related, format!("{}, ", self.files[f]))
            }
            _ => (related, String::new()),
        }
    }
}
