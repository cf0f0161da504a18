//! `schemas/fast/` holds what validation reads of the embedded CRDs (the first version's
//! `openAPIV3Schema`, its schema keywords but not the descriptions), rendered in the block-YAML subset
//! that the fast reader reads (`yaml::subset::render`), for the page's validate-only wasm module, which
//! has no YAML loader (`--no-default-features`, see scripts/build.sh). Each file must be the rendering
//! of its original in `schemas/crds/`, the fast reader must read it, and the schema built from it must
//! be the original's without descriptions.
//! `SE_UPDATE_FAST_SCHEMAS=1 cargo test --test schemas_fast` rewrites them.

use std::borrow::Cow;

use spiderendpoint::schema::{self, Schema};
use spiderendpoint::yaml::{self, Budget, Entry, Node, Span, Value};

const CRDS: [&str; 4] = [
    "spiderendpoints.v1.crd.yaml",
    "spiderendpoints.v2beta1.v0.4.0.crd.yaml",
    "spiderendpoints.v2beta1.v1.1.2.crd.yaml",
    "spiderendpoints.v2beta1.crd.yaml",
];

/// The schema keywords `Schema::from_node` reads, except `description`.
const KEYWORDS: [&str; 7] = ["type", "properties", "required", "items", "minimum", "maximum", "default"];
const FORMAT: &str = "format";

fn node(value: Value<'static>) -> Node<'static> {
    Node { value, span: Span::default() }
}

fn map(entries: Vec<(&str, Node<'static>)>) -> Node<'static> {
    node(Value::Map(entries.into_iter().map(|(k, v)| Entry { key: Cow::Owned(k.to_string()), key_span: Span::default(), value: v }).collect()))
}

fn owned(n: &Node) -> Node<'static> {
    node(match &n.value {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Int(i) => Value::Int(*i),
        Value::BigInt => Value::BigInt,
        Value::Float(f) => Value::Float(*f),
        Value::Str(s) => Value::Str(Cow::Owned(s.to_string())),
        Value::Seq(items) => Value::Seq(items.iter().map(owned).collect()),
        Value::Map(entries) => Value::Map(entries.iter().map(|e| Entry { key: Cow::Owned(e.key.to_string()), key_span: Span::default(), value: owned(&e.value) }).collect()),
    })
}

/// A schema node with only the keywords validation reads (recursively through properties and items).
fn prune(s: &Node) -> Node<'static> {
    let Value::Map(entries) = &s.value else { return owned(s) };
    let mut out = Vec::new();
    for e in entries {
        let k = e.key.as_ref();
        if k == "properties" {
            let props = match &e.value.value {
                Value::Map(ps) => ps.iter().map(|p| (p.key.as_ref(), prune(&p.value))).collect(),
                _ => Vec::new(),
            };
            out.push((k, map(props)));
        } else if k == "items" {
            out.push((k, prune(&e.value)));
        } else if KEYWORDS.contains(&k) || k == FORMAT {
            out.push((k, owned(&e.value)));
        }
    }
    map(out)
}

/// The skeleton `from_crd` walks (spec.versions[0].schema.openAPIV3Schema), with the pruned schema.
fn reduced(crd: &Node) -> Node<'static> {
    let schema = crd
        .get("spec")
        .and_then(|s| s.get("versions"))
        .and_then(Node::as_seq)
        .and_then(|v| v.first())
        .and_then(|v| v.get("schema"))
        .and_then(|s| s.get("openAPIV3Schema"))
        .expect("openAPIV3Schema");
    map(vec![("spec", map(vec![("versions", node(Value::Seq(vec![map(vec![("schema", map(vec![("openAPIV3Schema", prune(schema))]))])])))]))])
}

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

fn without_descriptions(mut s: Schema) -> Schema {
    s.description = None;
    s.properties = s.properties.into_iter().map(|(k, p)| (k, without_descriptions(p))).collect();
    s.items = s.items.map(|i| Box::new(without_descriptions(*i)));
    s.additional = s.additional.map(|a| Box::new(without_descriptions(*a)));
    s
}

#[test]
fn fast_renderings_match_the_crds() {
    let root = env!("CARGO_MANIFEST_DIR");
    let update = std::env::var_os("SE_UPDATE_FAST_SCHEMAS").is_some();
    for name in CRDS {
        let original = std::fs::read_to_string(format!("{root}/schemas/crds/{name}")).unwrap();
        let stream = yaml::parse_slow(&original, Budget::default());
        assert!(stream.problems.is_empty(), "{name}: {:?}", stream.problems);
        let tree = reduced(stream.docs.iter().find_map(|d| d.root.as_ref()).expect("a document"));
        let header = format!(
            "# Generated from ../crds/{name} by tests/schemas_fast.rs (SE_UPDATE_FAST_SCHEMAS=1): the schema keywords\n\
             # validation reads, in the YAML subset of src/yaml/fast.rs, for the page's validate-only module. Do not edit.\n"
        );
        let rendered = header + &yaml::subset::render(&tree);
        let path = format!("{root}/schemas/fast/{name}");
        if update {
            std::fs::write(&path, &rendered).unwrap();
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(committed == rendered, "{path} is stale: run SE_UPDATE_FAST_SCHEMAS=1 cargo test --test schemas_fast");
        let fast = yaml::parse_fast(&committed, Budget::default()).unwrap_or_else(|| panic!("{name}: the fast reader gives up"));
        let fast_tree = fast.docs.iter().find_map(|d| d.root.as_ref()).expect("a document");
        same(&tree, fast_tree, name).unwrap();
        assert_eq!(
            format!("{:?}", without_descriptions(schema::from_crd(&original))),
            format!("{:?}", without_descriptions(schema::from_crd(&committed))),
            "{name}: the schema read from schemas/fast differs from the CRD's (descriptions aside)"
        );
    }
}
