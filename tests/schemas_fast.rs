//! `schemas/fast/` holds the embedded CRDs rendered in the block-YAML subset that the fast reader reads
//! (`yaml::subset::render`), for the validate-only wasm module, which has no loader (`--no-default-features`
//! on wasm32, see scripts/build.sh). Each must be the rendering of its original in `schemas/crds/`, and the
//! fast reader must read it to the same values as the loader reads the original.
//! `SE_UPDATE_FAST_SCHEMAS=1 cargo test --test schemas_fast` rewrites them.

use spiderendpoint::yaml::{self, Budget, Node, Value};

const CRDS: [&str; 4] = [
    "spiderendpoints.v1.crd.yaml",
    "spiderendpoints.v2beta1.v0.4.0.crd.yaml",
    "spiderendpoints.v2beta1.v1.1.2.crd.yaml",
    "spiderendpoints.v2beta1.crd.yaml",
];

/// Equal values, keys and order; spans ignored.
fn same(a: &Node, b: &Node, path: &str) -> Result<(), String> {
    match (&a.value, &b.value) {
        (Value::Map(x), Value::Map(y)) => {
            if x.len() != y.len() {
                return Err(format!("{path}: {} vs {} entries", x.len(), y.len()));
            }
            for (ex, ey) in x.iter().zip(y) {
                if ex.key != ey.key {
                    return Err(format!("{path}: key {:?} vs {:?}", ex.key, ey.key));
                }
                same(&ex.value, &ey.value, &format!("{path}/{}", ex.key))?;
            }
            Ok(())
        }
        (Value::Seq(x), Value::Seq(y)) => {
            if x.len() != y.len() {
                return Err(format!("{path}: {} vs {} items", x.len(), y.len()));
            }
            x.iter().zip(y).enumerate().try_for_each(|(i, (p, q))| same(p, q, &format!("{path}/{i}")))
        }
        (x, y) if x == y => Ok(()),
        (x, y) => Err(format!("{path}: {x:?} vs {y:?}")),
    }
}

#[test]
fn fast_renderings_match_the_crds() {
    let root = env!("CARGO_MANIFEST_DIR");
    let update = std::env::var_os("SE_UPDATE_FAST_SCHEMAS").is_some();
    for name in CRDS {
        let original = std::fs::read_to_string(format!("{root}/schemas/crds/{name}")).unwrap();
        let stream = yaml::parse_slow(&original, Budget::default());
        assert!(stream.problems.is_empty(), "{name}: {:?}", stream.problems);
        let tree = stream.docs.iter().find_map(|d| d.root.as_ref()).expect("a document");
        let header = format!(
            "# Generated from ../crds/{name} by yaml::subset::render (tests/schemas_fast.rs); do not edit.\n"
        );
        let rendered = header + &yaml::subset::render(tree);
        let path = format!("{root}/schemas/fast/{name}");
        if update {
            std::fs::write(&path, &rendered).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == rendered, "{path} is stale: run SE_UPDATE_FAST_SCHEMAS=1 cargo test --test schemas_fast");
        let fast = yaml::parse_fast(&committed, Budget::default()).unwrap_or_else(|| panic!("{name}: the fast reader gives up"));
        let fast_tree = fast.docs.iter().find_map(|d| d.root.as_ref()).expect("a document");
        same(tree, fast_tree, name).unwrap();
    }
}
