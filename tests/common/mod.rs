//! What the integration tests share: a valid SpiderEndpoint and the diagnostics of a report.
#![allow(dead_code)] // each test crate uses a part

use spiderendpoint::{Diagnostic, Report};

/// A valid v2beta1 SpiderEndpoint as Spiderpool writes it.
pub const VALID: &str = "apiVersion: spiderpool.spidernet.io/v2beta1
kind: SpiderEndpoint
metadata:
  name: pod-a
  namespace: default
status:
  current:
    uid: 11111111-2222-4333-8444-555555555555
    node: worker-1
    ips:
    - interface: eth0
      ipv4: 10.1.0.5/24
      ipv4Pool: pool-a
      vlan: 0
  ownerControllerName: pod-a
  ownerControllerType: Pod
";

/// Every diagnostic of a report: the file's, then each document's.
pub fn all(r: &Report) -> Vec<&Diagnostic> {
    r.diagnostics.iter().chain(r.documents.iter().flat_map(|d| d.diagnostics.iter())).collect()
}
