//! The structural schema of each era, read from the upstream CRD manifests embedded in the binary
//! (`schemas/crds/`), plus the part of ObjectMeta the API server checks for every object.

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::release::Era;
use crate::yaml::{self, Node, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Type {
    String,
    Integer,
    Boolean,
    Object,
    Array,
}

impl Type {
    pub fn name(self) -> &'static str {
        match self {
            Type::String => "string",
            Type::Integer => "integer",
            Type::Boolean => "boolean",
            Type::Object => "object",
            Type::Array => "array",
        }
    }
}

/// One node of an OpenAPI v3 structural schema (only the keywords the CRDs use).
#[derive(Debug, Clone, Default)]
pub struct Schema {
    pub ty: Option<Type>,
    pub description: Option<String>,
    /// Declared properties, in the CRD's order.
    pub properties: Vec<(String, Schema)>,
    pub required: Vec<String>,
    pub items: Option<Box<Schema>>,
    /// `additionalProperties` (maps such as labels).
    pub additional: Option<Box<Schema>>,
    /// An object whose content is not checked (ObjectMeta parts the API server owns).
    pub open: bool,
    pub minimum: Option<i64>,
    pub maximum: Option<i64>,
    pub default: Option<i64>,
    pub format: Option<String>,
}

impl Schema {
    pub fn property(&self, name: &str) -> Option<&Schema> {
        self.properties.iter().find(|(k, _)| yaml::same(k, name)).map(|(_, s)| s)
    }

    /// Follows a path of property names (`["status", "current"]`).
    pub fn at(&self, path: &[&str]) -> Option<&Schema> {
        path.iter().try_fold(self, |s, p| if *p == "[]" { s.items.as_deref() } else { s.property(p) })
    }

    fn leaf(ty: Type) -> Schema {
        Schema { ty: Some(ty), ..Schema::default() }
    }

    fn object(props: Vec<(&str, Schema)>, required: &[&str]) -> Schema {
        Schema {
            ty: Some(Type::Object),
            properties: props.into_iter().map(|(k, v)| (k.to_string(), v)).collect(),
            required: required.iter().map(|s| s.to_string()).collect(),
            ..Schema::default()
        }
    }

    /// Reads an `openAPIV3Schema` node.
    fn from_node(node: &Node) -> Schema {
        let str_of = |k: &str| node.get(k).and_then(Node::as_str).map(str::to_string);
        let int_of = |k: &str| match node.get(k).map(|n| &n.value) {
            Some(Value::Int(i)) => Some(*i),
            _ => None,
        };
        let ty = match str_of("type").as_deref() {
            Some("string") => Some(Type::String),
            Some("integer") => Some(Type::Integer),
            Some("boolean") => Some(Type::Boolean),
            Some("object") => Some(Type::Object),
            Some("array") => Some(Type::Array),
            _ => None,
        };
        let properties: Vec<(String, Schema)> = node
            .get("properties")
            .and_then(Node::as_map)
            .map(|m| m.iter().map(|e| (e.key.to_string(), Schema::from_node(&e.value))).collect())
            .unwrap_or_default();
        Schema {
            ty,
            description: str_of("description"),
            open: ty == Some(Type::Object) && properties.is_empty(),
            properties,
            required: node
                .get("required")
                .and_then(Node::as_seq)
                .map(|s| s.iter().filter_map(|n| n.as_str().map(str::to_string)).collect())
                .unwrap_or_default(),
            items: node.get("items").map(|n| Box::new(Schema::from_node(n))),
            additional: None,
            minimum: int_of("minimum"),
            maximum: int_of("maximum"),
            default: int_of("default"),
            format: str_of("format"),
        }
    }

    /// A JSON Schema (draft-07) rendering, for editors (yaml-language-server) and `schema()`.
    pub fn to_json_schema(&self) -> serde_json::Value {
        use serde_json::{json, Map, Value as J};
        let mut m = Map::new();
        if let Some(d) = &self.description {
            m.insert("description".into(), J::String(d.clone()));
        }
        if let Some(t) = self.ty {
            m.insert("type".into(), J::String(t.name().into()));
        }
        if !self.properties.is_empty() {
            let props: Map<String, J> =
                self.properties.iter().map(|(k, s)| (k.clone(), s.to_json_schema())).collect();
            m.insert("properties".into(), J::Object(props));
        }
        if !self.required.is_empty() {
            m.insert("required".into(), json!(self.required));
        }
        if let Some(items) = &self.items {
            m.insert("items".into(), items.to_json_schema());
        }
        if let Some(a) = &self.additional {
            m.insert("additionalProperties".into(), a.to_json_schema());
        }
        for (k, v) in [("minimum", self.minimum), ("maximum", self.maximum), ("default", self.default)] {
            if let Some(v) = v {
                m.insert(k.into(), json!(v));
            }
        }
        if let Some(f) = &self.format {
            m.insert("format".into(), J::String(f.clone()));
        }
        J::Object(m)
    }
}

/// The upstream manifests, or (without the `full` feature: the page's validate-only wasm module, which has no
/// YAML loader) what validation reads of them (the schema keywords, no descriptions) rendered in the subset
/// the fast reader reads (`schemas/fast/`, checked by tests/schemas_fast.rs).
macro_rules! crd {
    ($file:literal) => {{
        #[cfg(any(feature = "full", not(target_arch = "wasm32")))]
        let text = include_str!(concat!("../schemas/crds/", $file));
        #[cfg(not(any(feature = "full", not(target_arch = "wasm32"))))]
        let text = include_str!(concat!("../schemas/fast/", $file));
        text
    }};
}
const CRD_V1: &str = crd!("spiderendpoints.v1.crd.yaml");
const CRD_V2BETA1_0_4: &str = crd!("spiderendpoints.v2beta1.v0.4.0.crd.yaml");
const CRD_V2BETA1_1_1: &str = crd!("spiderendpoints.v2beta1.v1.1.2.crd.yaml");
const CRD_V2BETA1_1_2: &str = crd!("spiderendpoints.v2beta1.crd.yaml");

/// The root schema of an era: the CRD's `openAPIV3Schema` with ObjectMeta filled in.
pub fn for_era(era: Era) -> &'static Schema {
    static CACHE: OnceLock<HashMap<Era, Schema>> = OnceLock::new();
    let all = CACHE.get_or_init(|| {
        [
            (Era::V1, CRD_V1),
            (Era::V2beta1Vlan4095, CRD_V2BETA1_0_4),
            (Era::V2beta1, CRD_V2BETA1_1_1),
            (Era::V2beta1Mac, CRD_V2BETA1_1_2),
        ]
        .into_iter()
        .map(|(era, text)| (era, from_crd(text)))
        .collect()
    });
    &all[&era]
}

/// The schema of a CRD manifest's first version (public for tests/schemas_fast.rs).
pub fn from_crd(text: &str) -> Schema {
    let stream = yaml::parse(text, yaml::Budget::default());
    let root = stream.docs.into_iter().find_map(|d| d.root).expect("embedded CRD parses");
    let version = root
        .get("spec")
        .and_then(|s| s.get("versions"))
        .and_then(Node::as_seq)
        .and_then(|v| v.first())
        .expect("embedded CRD has a version");
    let node = version.get("schema").and_then(|s| s.get("openAPIV3Schema")).expect("openAPIV3Schema");
    let mut schema = Schema::from_node(node);
    if let Some((_, meta)) = schema.properties.iter_mut().find(|(k, _)| k == "metadata") {
        *meta = object_meta();
    }
    schema
}

/// The ObjectMeta fields the API server decodes strictly (types) for every object.
fn object_meta() -> Schema {
    use Type::*;
    let string_map = || Schema {
        ty: Some(Object),
        additional: Some(Box::new(Schema::leaf(String))),
        ..Schema::default()
    };
    let open_object = || Schema { ty: Some(Object), open: true, ..Schema::default() };
    let owner_ref = Schema::object(
        vec![
            ("apiVersion", Schema::leaf(String)),
            ("kind", Schema::leaf(String)),
            ("name", Schema::leaf(String)),
            ("uid", Schema::leaf(String)),
            ("controller", Schema::leaf(Boolean)),
            ("blockOwnerDeletion", Schema::leaf(Boolean)),
        ],
        &["apiVersion", "kind", "name", "uid"],
    );
    let time = || Schema { format: Some("date-time".into()), ..Schema::leaf(String) };
    let mut meta = Schema::object(
        vec![
            ("name", Schema::leaf(String)),
            ("generateName", Schema::leaf(String)),
            ("namespace", Schema::leaf(String)),
            ("selfLink", Schema::leaf(String)),
            ("uid", Schema::leaf(String)),
            ("resourceVersion", Schema::leaf(String)),
            ("generation", Schema::leaf(Integer)),
            ("creationTimestamp", time()),
            ("deletionTimestamp", time()),
            ("deletionGracePeriodSeconds", Schema::leaf(Integer)),
            ("labels", string_map()),
            ("annotations", string_map()),
            ("ownerReferences", Schema { ty: Some(Array), items: Some(Box::new(owner_ref)), ..Schema::default() }),
            ("finalizers", Schema { ty: Some(Array), items: Some(Box::new(Schema::leaf(String))), ..Schema::default() }),
            ("managedFields", Schema { ty: Some(Array), items: Some(Box::new(open_object())), ..Schema::default() }),
        ],
        &[],
    );
    meta.description = Some("Standard Kubernetes object metadata.".into());
    meta
}

/// The JSON Schema of one era (for `schema()` and `spiderendpoint schema`).
pub fn json_schema(era: Era) -> serde_json::Value {
    let mut v = for_era(era).to_json_schema();
    if let serde_json::Value::Object(m) = &mut v {
        m.insert("$schema".into(), "http://json-schema.org/draft-07/schema#".into());
        m.insert(
            "title".into(),
            format!("SpiderEndpoint {} ({})", era.api_version().full(), era.releases()).into(),
        );
        if let Some(serde_json::Value::Object(props)) = m.get_mut("properties") {
            props.insert("apiVersion".into(), serde_json::json!({"const": era.api_version().full()}));
            props.insert("kind".into(), serde_json::json!({"const": "SpiderEndpoint"}));
        }
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eras_differ_as_upstream() {
        let vlan = |e| for_era(e).at(&["status", "current", "ips", "[]", "vlan"]).unwrap().clone();
        assert_eq!(vlan(Era::V2beta1Vlan4095).maximum, Some(4095));
        assert_eq!(vlan(Era::V2beta1).maximum, Some(4094));
        assert_eq!(vlan(Era::V2beta1Mac).default, Some(0));
        let ip = |e| for_era(e).at(&["status", "current", "ips", "[]"]).unwrap().clone();
        assert!(ip(Era::V2beta1Mac).property("mac").is_some());
        assert!(ip(Era::V2beta1).property("mac").is_none());
        assert_eq!(for_era(Era::V2beta1).at(&["status"]).unwrap().required, ["current", "ownerControllerName", "ownerControllerType"]);
        assert_eq!(for_era(Era::V1).at(&["status", "current"]).unwrap().required, ["containerID"]);
        assert!(for_era(Era::V1).at(&["status", "history", "[]", "creationTime"]).unwrap().format.is_some());
        assert_eq!(for_era(Era::V1).at(&["metadata", "labels"]).unwrap().additional.as_ref().unwrap().ty, Some(Type::String));
    }
}
