//! The object as the API server stores it: nulls pruned from the fields the CRD defines (except
//! `vlan`, which gets its default 0 — apiextensions' PruneNonNullableNullsWithoutDefaults), a
//! missing `vlan` defaulted, addresses in canonical text, and — only when asked — the fields the
//! CRD does not define dropped. Normalizing a normalized object changes nothing.

use serde_json::Value;

use crate::release::Era;
use crate::schema::{self, Schema, Type};

use super::address;
use super::outcome::{Note, Outcome};
use super::pointer;
use super::ChangeKind::{Changed, Defaulted, Dropped};

/// Fields that hold an address (`ipv4`, `ipv6`: with a prefix; gateways and route `gw`: bare;
/// route `dst`: a CIDR).
const ADDRESS_FIELDS: &[&str] = &["ipv4", "ipv6", "ipv4Gateway", "ipv6Gateway", "dst", "gw"];

pub fn normalize_object(obj: &Value, era: Era, drop_unknown: bool) -> Outcome {
    let mut value = obj.clone();
    let mut notes = Vec::new();
    walk(&mut value, schema::for_era(era), "", drop_unknown, &mut notes);
    Outcome { value, notes, issues: Vec::new() }
}

fn walk(v: &mut Value, s: &Schema, path: &str, drop_unknown: bool, notes: &mut Vec<Note>) {
    match (v, s.ty) {
        (Value::Object(m), Some(Type::Object)) if !s.open && s.additional.is_none() => {
            let keys: Vec<String> = m.keys().cloned().collect();
            for k in keys {
                let p = pointer::join(path, &k);
                let Some(prop) = s.property(&k) else {
                    if drop_unknown {
                        if let Some(old) = m.remove(&k) {
                            notes.push(Note::new(Dropped, p, format!("unknown field `{k}`: the API server prunes it")).from(&old));
                        }
                    }
                    continue;
                };
                if m.get(&k).is_some_and(Value::is_null) {
                    match prop.default {
                        Some(d) => {
                            let to = Value::from(d);
                            m.insert(k.clone(), to.clone());
                            notes.push(Note::new(Defaulted, p, format!("`{k}: null` is replaced by its default {d}")).from(&Value::Null).to(&to));
                        }
                        None => {
                            m.remove(&k);
                            let required = if s.required.contains(&k) { " (it is required: the API server will reject the object)" } else { "" };
                            notes.push(Note::new(Dropped, p, format!("`{k}: null` is pruned by the API server{required}")).from(&Value::Null));
                        }
                    }
                    continue;
                }
                if let Some(child) = m.get_mut(&k) {
                    if ADDRESS_FIELDS.contains(&k.as_str()) && path.contains("/ips/") {
                        canonical_address(child, &p, notes);
                    } else {
                        walk(child, prop, &p, drop_unknown, notes);
                    }
                }
            }
            for (k, prop) in &s.properties {
                if let (Some(d), false) = (prop.default, m.contains_key(k)) {
                    let to = Value::from(d);
                    m.insert(k.clone(), to.clone());
                    notes.push(Note::new(Defaulted, pointer::join(path, k), format!("`{k}` is missing: the API server defaults it to {d}")).to(&to));
                }
            }
        }
        (Value::Array(items), Some(Type::Array)) => {
            if let Some(item_schema) = &s.items {
                for (i, item) in items.iter_mut().enumerate() {
                    walk(item, item_schema, &format!("{path}/{i}"), drop_unknown, notes);
                }
            }
        }
        _ => {}
    }
}

fn canonical_address(v: &mut Value, path: &str, notes: &mut Vec<Note>) {
    let Value::String(s) = v else { return };
    if let Some(c) = address::canonical(s) {
        if c != *s {
            let from = Value::String(std::mem::replace(s, c.clone()));
            notes.push(Note::new(Changed, path, "address written in canonical form (RFC 5952 for IPv6, no leading zeros in IPv4)").from(&from).to(&Value::String(c)));
        }
    }
}
