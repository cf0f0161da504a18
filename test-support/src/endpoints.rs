//! Valid endpoints of every shape the engine knows (the structure-aware targets start from them),
//! values that stress the rules, and mutations of values.

use std::sync::OnceLock;

use serde_json::{json, Map, Value};

use crate::source::{Choices, Source};

pub fn bases() -> &'static [Value] {
    static BASES: OnceLock<Vec<Value>> = OnceLock::new();
    BASES.get_or_init(|| {
        let v2 = json!({
            "apiVersion": "spiderpool.spidernet.io/v2beta1",
            "kind": "SpiderEndpoint",
            "metadata": {"name": "pod-a", "namespace": "default"},
            "status": {
                "current": {
                    "uid": "11111111-2222-4333-8444-555555555555",
                    "node": "worker-1",
                    "ips": [{"interface": "eth0", "ipv4": "10.1.0.5/24", "ipv4Pool": "pool-a", "ipv4Gateway": "10.1.0.1", "vlan": 0}]
                },
                "ownerControllerName": "pod-a",
                "ownerControllerType": "Pod"
            }
        });
        let dual = json!({
            "apiVersion": "spiderpool.spidernet.io/v2beta1",
            "kind": "SpiderEndpoint",
            "metadata": {"name": "web-7d9f8c-abcde", "namespace": "shop", "labels": {"app": "web"}},
            "status": {
                "current": {
                    "uid": "3c1e4b8a-9f2d-4e6a-b7c5-d8e9f0a1b2c3",
                    "node": "worker-2",
                    "ips": [
                        {"cleanGateway": false, "interface": "eth0", "ipv4": "10.6.1.21/16", "ipv4Gateway": "10.6.0.1",
                         "ipv4Pool": "default-v4-ippool", "ipv6": "fd00:10:6::21/64", "ipv6Gateway": "fd00:10:6::1",
                         "ipv6Pool": "default-v6-ippool", "mac": "aa:bb:cc:dd:ee:01",
                         "routes": [{"dst": "10.96.0.0/12", "gw": "10.6.0.1"}, {"dst": "fd00:96::/108", "gw": "fd00:10:6::1"}], "vlan": 100},
                        {"interface": "net1", "ipv4": "192.168.40.9/24", "ipv4Pool": "pool-b", "vlan": 4094, "cleanGateway": true}
                    ]
                },
                "ownerControllerName": "web",
                "ownerControllerType": "Deployment"
            }
        });
        let v1 = json!({
            "apiVersion": "spiderpool.spidernet.io/v1",
            "kind": "SpiderEndpoint",
            "metadata": {"name": "demo-sts-0", "namespace": "default"},
            "status": {
                "current": {
                    "containerID": "5c7a1c9cf494c02090848bd3f8131817d02ee9f3046cd33a5ec4b74b897d6789",
                    "creationTime": "2022-07-29T08:54:12Z",
                    "node": "spider-worker",
                    "ips": [{"interface": "eth0", "ipv4": "172.18.40.47/16", "ipv4Gateway": "", "ipv4Pool": "default-v4-ippool",
                             "ipv6": "fc00:f853:ccd:e793:f::63/64", "ipv6Gateway": "", "ipv6Pool": "default-v6-ippool", "vlan": 0}]
                },
                "history": [{
                    "containerID": "cffbddab79dc8eea447315da9b84db402d515b657d2b6943a87b47cdfa876359",
                    "creationTime": "2022-07-29T08:50:00Z",
                    "node": "spider-worker",
                    "ips": [{"interface": "eth0", "ipv4": "172.18.40.47/16", "ipv4Pool": "default-v4-ippool", "vlan": 0}]
                }],
                "ownerControllerType": "StatefulSet"
            }
        });
        let list = json!({
            "apiVersion": "v1",
            "kind": "List",
            "items": [v2.clone(), {
                "apiVersion": "spiderpool.spidernet.io/v2beta1",
                "kind": "SpiderEndpoint",
                "metadata": {"name": "db-0", "namespace": "shop"},
                "status": {"current": {"uid": "7e6d5c4b-3a29-4180-9f7e-6d5c4b3a2918", "node": "worker-2",
                    "ips": [{"interface": "eth0", "ipv4": "10.6.1.22/16", "ipv4Pool": "default-v4-ippool", "vlan": 0}]},
                    "ownerControllerName": "db", "ownerControllerType": "StatefulSet"}
            }],
            "metadata": {"resourceVersion": ""}
        });
        let kubevirt = json!({
            "apiVersion": "spiderpool.spidernet.io/v2beta1",
            "kind": "SpiderEndpoint",
            "metadata": {"name": "vm-1", "namespace": "kubevirt"},
            "status": {
                "current": {"uid": "0d6e2f7a-3b4c-4d5e-8f90-a1b2c3d4e5f6", "node": "worker-3",
                    "ips": [{"interface": "eth0", "ipv6": "fd00:172:100::201/64", "ipv6Pool": "v6", "ipv6Gateway": "fd00:172:100::1", "vlan": 0},
                            {"interface": "", "ipv4": "10.60.1.2/24", "ipv4Pool": "v4", "vlan": 0}]},
                "ownerControllerName": "vm-1",
                "ownerControllerType": "VirtualMachine"
            }
        });
        // a v1 object that converts: its Pod owner reference gives v2beta1 its uid
        let v1_pod = json!({
            "apiVersion": "spiderpool.spidernet.io/v1",
            "kind": "SpiderEndpoint",
            "metadata": {"name": "json-pod", "namespace": "default",
                "ownerReferences": [{"apiVersion": "v1", "kind": "Pod", "name": "json-pod", "uid": "1b2c3d4e-5f60-4718-9a0b-c1d2e3f4a5b6", "controller": false}]},
            "status": {
                "current": {"containerID": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", "creationTime": "2023-01-05T10:00:01Z",
                    "node": "worker-3",
                    "ips": [{"interface": "eth0", "ipv4": "10.7.0.5/24", "ipv4Gateway": "10.7.0.1", "ipv4Pool": "pool-a", "vlan": 0},
                            {"interface": "net1", "ipv6": "fd00:7::5/64", "ipv6Pool": "pool-b", "vlan": 100, "routes": [{"dst": "fd00:96::/108", "gw": "fd00:7::1"}]}]},
                "ownerControllerType": "None"
            }
        });
        let other = json!({"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "cm"}, "data": {"k": "v"}});
        vec![v2, dual, v1, list, kubevirt, v1_pod.clone(), v1_pod, other]
    })
}

pub const KEYS: &[&str] = &[
    "apiVersion", "kind", "metadata", "name", "namespace", "generateName", "labels", "annotations", "status", "current",
    "history", "uid", "node", "ips", "interface", "ipv4", "ipv6", "ipv4Pool", "ipv6Pool", "ipv4Gateway", "ipv6Gateway",
    "cleanGateway", "vlan", "routes", "dst", "gw", "mac", "ownerControllerName", "ownerControllerType", "containerID",
    "creationTime", "items", "spec", "Vlan", "ipv4gateway", "interfce", "x", "",
];

pub const STRINGS: &[&str] = &[
    "", " ", "eth0", "net1", "a very long interface name", "eth0.100", ".", "..", "a/b", "a:b",
    "10.1.0.5/24", "10.1.0.5", "10.1.0.1", "10.1.0.5/33", "10.1.0.5/-1", "300.1.1.1/24", "10.1.0.0/16", "0.0.0.0/0",
    "fd00::5/64", "fd00::1", "fd00::5/129", "::/0", "::ffff:10.1.0.5/120", "fe80::1%eth0/64", "10.1.0.5/24/24",
    "aa:bb:cc:dd:ee:ff", "AA-BB-CC-DD-EE-FF", "aa:bb:cc:dd:ee", "Pod", "None", "StatefulSet", "Deployment", "Job",
    "VirtualMachine", "SpiderEndpoint", "SpiderEndpiont", "SpiderEndpointList", "List", "SpiderIPPool",
    "spiderpool.spidernet.io/v1", "spiderpool.spidernet.io/v2beta1", "spiderpool.spidernet.io/v2beta2", "v1",
    "spiderpool.spidernet.io", "Bad_Name", "kube.system", "a-b-c", "2022-07-29T08:54:12Z", "2022-13-45", "yesterday",
    "11111111-2222-4333-8444-555555555555", "not-a-uuid", "7", "4095", "-1", "true", "null", "~", "0x10", "1e3",
    "é", "😀", "pöd-😀", "\u{feff}", "\u{85}", "\u{2028}", "a\nb", "a\tb", "\"", "'", "\\", "# x", "- x", "a: b", "{}", "[]",
    "&a", "*a", "!!int", "<<",
];

pub fn interesting(c: &mut Choices) -> Value {
    match c.below(16) {
        0 => Value::Null,
        1 => Value::Bool(c.below(2) == 0),
        2 => json!(c.pick(&[0i64, 1, -1, 4094, 4095, 4096, 65535, i64::MAX, i64::MIN, 100])),
        3 => json!(c.pick(&[0.5f64, -0.0, 1e300, 1e-7, 4094.0, 2.5e10])),
        4 => json!({}),
        5 => json!([]),
        6 => {
            let n = c.below(3);
            Value::Array((0..n).map(|_| interesting_scalar(c)).collect())
        }
        7 => {
            let mut m = Map::new();
            for _ in 0..c.below(3) {
                m.insert(c.pick(KEYS).to_string(), interesting_scalar(c));
            }
            Value::Object(m)
        }
        8 => Value::String("x".repeat(c.pick(&[16usize, 64, 254, 2000]))),
        _ => Value::String(c.pick(STRINGS).to_string()),
    }
}

pub fn interesting_scalar(c: &mut Choices) -> Value {
    match interesting(c) {
        Value::Array(_) | Value::Object(_) => Value::String(c.pick(STRINGS).to_string()),
        v => v,
    }
}

// ------------------------------------------------------------------------------------------------
// Mutations of values
// ------------------------------------------------------------------------------------------------

/// JSON Pointers of every node (root first).
pub fn pointers(v: &Value, base: &str, out: &mut Vec<String>) {
    out.push(base.to_string());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                pointers(x, &format!("{base}/{}", k.replace('~', "~0").replace('/', "~1")), out);
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                pointers(x, &format!("{base}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A node picked uniformly (so mostly leaves: the fields the Spiderpool rules look at).
pub fn pick_node<'v>(v: &'v mut Value, c: &mut Choices) -> &'v mut Value {
    let mut all = Vec::new();
    pointers(v, "", &mut all);
    let p = &all[c.below(all.len())];
    v.pointer_mut(p).unwrap()
}

pub fn mutate(root: &mut Value, c: &mut Choices) {
    let op = c.below(12);
    match op {
        9 => {
            let api = c.pick(&["spiderpool.spidernet.io/v1", "spiderpool.spidernet.io/v2beta1", "spiderpool.spidernet.io/v2", "v1", "apps/v1"]);
            return set_top(root, "apiVersion", json!(api));
        }
        10 => {
            let kind = c.pick(&["SpiderEndpoint", "SpiderEndpoints", "spiderendpoint", "List", "SpiderEndpointList", "SpiderIPPool", "Pod"]);
            return set_top(root, "kind", json!(kind));
        }
        _ => {}
    }
    let node = pick_node(root, c);
    match (op, &mut *node) {
        (2, Value::Object(m)) if !m.is_empty() => {
            let k = m.keys().nth(c.below(m.len())).unwrap().clone();
            m.remove(&k);
        }
        (3, Value::Object(m)) => {
            let k = c.pick(KEYS).to_string();
            let v = interesting(c);
            m.insert(k, v);
        }
        (4, Value::Object(m)) if !m.is_empty() => {
            // rename a key: a typo, another case, another known key
            let k = m.keys().nth(c.below(m.len())).unwrap().clone();
            let v = m.remove(&k).unwrap();
            let nk = match c.below(4) {
                0 => k.to_uppercase(),
                1 => format!("{k}s"),
                2 => k.chars().rev().collect(),
                _ => c.pick(KEYS).to_string(),
            };
            m.insert(nk, v);
        }
        (5, Value::Array(a)) if !a.is_empty() => {
            let i = c.below(a.len());
            let dup = a[i].clone();
            a.push(dup);
        }
        (6, Value::Array(a)) if !a.is_empty() => {
            let i = c.below(a.len());
            a.remove(i);
        }
        (7, Value::String(s)) => {
            // small edits of a string: one character or a digit changed, a suffix, a prefix
            match c.below(5) {
                0 => s.push(c.pick(&['/', ':', '.', '0', '9', ' ', 'é', '😀', 'A', '-'])),
                1 => {
                    if let Some((i, ch)) = s.char_indices().nth(c.below(s.chars().count().max(1))) {
                        let repl = if ch.is_ascii_digit() { c.pick(&['0', '5', '9']) } else { c.pick(&['x', ':', '/', '.']) };
                        s.replace_range(i..i + ch.len_utf8(), &repl.to_string());
                    }
                }
                2 => s.insert_str(0, c.pick(&["v", " ", "-", "::", "10."])),
                3 => {
                    let mut keep = c.below(s.len() + 1).min(s.len());
                    while !s.is_char_boundary(keep) {
                        keep -= 1;
                    }
                    s.truncate(keep);
                }
                _ => *s = s.repeat(2),
            }
        }
        (8, _) => {
            // wrap in a list or an object
            let inner = node.take();
            *node = if c.below(2) == 0 { json!([inner]) } else { json!({ c.pick(KEYS): inner }) };
        }
        (11, Value::Number(_) | Value::Bool(_)) => {
            // the same value as a string (a quoted number / boolean)
            let s = node.to_string();
            *node = Value::String(s);
        }
        _ => *node = interesting(c),
    }
}

pub fn set_top(root: &mut Value, key: &str, v: Value) {
    if let Value::Object(m) = root {
        m.insert(key.to_string(), v);
    }
}
