//! Test and fuzz support of spiderendpoint: what the integration tests (tests/*.rs) and the
//! cargo-fuzz targets (fuzz/fuzz_targets/*.rs) share, one copy of each.
//!
//! - [`source`]: where decisions come from: a seeded xorshift64* generator ([`Rng`]) or the
//!   fuzzer's bytes ([`Choices`]), both read through [`Source`].
//! - [`tree`] and [`emit`]: a tree of values (key order kept, anchors, aliases, merge keys, raw
//!   scalars) and the one YAML emitter (styles from plain kubectl-like YAML to anchors, tags, flow,
//!   literal blocks and layout noise), plus a JSON writer.
//! - generators: [`endpoints`] (valid endpoints, interesting values, mutations), [`structured`]
//!   (renderings of mutated endpoints, text-level damage), [`amplify`] (inputs that expand).
//! - checks: [`invariants`] (well-formed reports, fixes and transform results, spans, output
//!   size, alias budgets), [`timing`] (the time-per-byte budget of every engine call, through
//!   [`engine`]), [`known`] (open bugs a long fuzz run may step over), [`scaling`] (time at 4n
//!   against n).
//! - [`bodies`]: the fuzz target bodies (cargo-fuzz runs them; tests/fuzz_smoke.rs runs them on
//!   deterministic inputs and on the saved crashes, on stable Rust).
//!
//! Only `spiderendpoint`, `serde_json` and `std` are used (and, on Linux, libc's `clock_gettime` and
//! `atexit`, which std links).

pub mod amplify;
pub mod bodies;
pub mod emit;
pub mod endpoints;
pub mod engine;
pub mod invariants;
pub mod known;
pub mod scaling;
pub mod source;
pub mod structured;
pub mod timing;
pub mod tree;

pub use invariants::all_diagnostics;

/// The options a fixture file asks for in a `# spiderpool-version: V` comment (tests/fixtures).
pub fn fixture_options(text: &str) -> spiderendpoint::ValidateOptions {
    spiderendpoint::ValidateOptions {
        spiderpool_version: text.lines().find_map(|l| l.strip_prefix("# spiderpool-version: ")).map(str::to_string),
        ..Default::default()
    }
}
pub use source::{Choices, Rng, Source};
pub use tree::{Key, Node};

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
