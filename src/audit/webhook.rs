//! Webhook rules of one object that read.rs does not hold itself (spiderpool-ippool.md §1.4, §3.1):
//! a pool's `podAffinity` (SE510), its owner subnet and whether it was auto-created (for SE511 and
//! S2 in cross.rs), and a SpiderReservedIP whose `ipVersion` cannot be inferred (SE513).

use super::read::{key_span, Cx};
use super::AuditContext;
use crate::check::spiderpool::qualified_name;
use crate::release::Release;
use crate::rules::{Rule, Severity};
use crate::yaml::{escape_pointer, Node, Value};

/// The keys the subnet controller writes into an auto-created pool's `podAffinity.matchLabels`.
pub const AUTO_POOL_AFFINITY_KEYS: [&str; 5] = [
    "ipam.spidernet.io/app-api-group",
    "ipam.spidernet.io/app-api-version",
    "ipam.spidernet.io/app-kind",
    "ipam.spidernet.io/app-namespace",
    "ipam.spidernet.io/app-name",
];

fn get<'n, 'a>(node: &'n Node<'a>, path: &[&str]) -> Option<&'n Node<'a>> {
    path.iter().try_fold(node, |n, k| n.get(k))
}

/// The name of the pool's controller ownerReference of kind SpiderSubnet.
pub fn owner_subnet_ref(root: &Node) -> Option<String> {
    get(root, &["metadata", "ownerReferences"])?.as_seq()?.iter().find_map(|r| {
        let controller = matches!(r.get("controller").map(|n| &n.value), Some(Value::Bool(true)));
        (controller && r.get("kind").and_then(Node::as_str) == Some("SpiderSubnet")).then(|| r.get("name").and_then(Node::as_str).map(str::to_string)).flatten()
    })
}

/// Auto-created by the SpiderSubnet feature (`IsAutoCreatedIPPool`: the owner-application label).
pub fn auto_created(root: &Node) -> bool {
    get(root, &["metadata", "labels"]).is_some_and(|l| l.get("ipam.spidernet.io/owner-application-name").is_some() || l.get("ipam.spidernet.io/owner-application").is_some())
}

/// Why a string is not a label value (`None` when it is one: empty, or a qualified name's name part).
fn label_value(v: &str) -> Option<String> {
    if v.is_empty() {
        return None;
    }
    if v.contains('/') {
        return Some("'/' is not allowed".into());
    }
    qualified_name(v)
}

/// SE510: `spec.podAffinity` must be a valid, non-empty label selector (0.6.0-rc0+); an
/// auto-created pool's may only have the five `ipam.spidernet.io/app-*` matchLabels.
pub fn pod_affinity(cx: &AuditContext, c: &mut Cx, root: &Node, auto: bool) {
    let Some(aff) = get(root, &["spec", "podAffinity"]) else { return };
    if aff.as_map().is_none() {
        return; // null: no selector; another type: the schema's finding
    }
    let legal_before = cx.release.is_some_and(|r| r < Release(0, 6, 0));
    let (sev, when) = if legal_before { (Severity::Info, "legal before Spiderpool 0.6.0-rc0; ") } else { (Severity::Error, "") };
    let mut found: Vec<(crate::yaml::Span, String, String)> = Vec::new();
    const P: &str = "/spec/podAffinity";
    let labels = aff.entry("matchLabels").map(|e| (e, e.value.as_map().unwrap_or(&[])));
    let exprs = aff.entry("matchExpressions").map(|e| (e, e.value.as_seq().unwrap_or(&[])));
    if auto {
        for e in labels.map_or(&[][..], |l| l.1) {
            if !AUTO_POOL_AFFINITY_KEYS.contains(&e.key.as_ref()) {
                found.push((e.key_span, format!("{P}/matchLabels/{}", escape_pointer(&e.key)), format!("matchLabels key `{}` of an auto-created pool: only the five ipam.spidernet.io/app-* keys are allowed", e.key)));
            }
        }
        if let Some((e, items)) = exprs.filter(|x| !x.1.is_empty()) {
            found.push((e.key_span, format!("{P}/matchExpressions"), format!("matchExpressions in an auto-created pool ({} of them): not allowed", items.len())));
        }
    } else {
        let empty = labels.is_none_or(|l| l.1.is_empty()) && exprs.is_none_or(|x| x.1.is_empty());
        if empty {
            found.push((key_span(root, &["spec", "podAffinity"]), P.into(), "an empty podAffinity selects every Pod: the webhook rejects it (\"empty podAffinity is invalid\")".into()));
        }
        for e in labels.map_or(&[][..], |l| l.1) {
            let path = format!("{P}/matchLabels/{}", escape_pointer(&e.key));
            if let Some(why) = qualified_name(&e.key) {
                found.push((e.key_span, path.clone(), format!("matchLabels key `{}` is not a qualified name: {why}", e.key)));
            }
            if let Some(why) = e.value.as_str().and_then(label_value) {
                found.push((e.value.span, path, format!("matchLabels value `{}` is not a label value: {why}", e.value.as_str().unwrap_or(""))));
            }
        }
        for (i, x) in exprs.map_or(&[][..], |x| x.1).iter().enumerate() {
            let path = format!("{P}/matchExpressions/{i}");
            if let Some(k) = x.get("key").and_then(Node::as_str) {
                if let Some(why) = qualified_name(k) {
                    found.push((x.get("key").map_or(x.span, |n| n.span), format!("{path}/key"), format!("key `{k}` is not a qualified name: {why}")));
                }
            }
            let values: &[Node] = x.get("values").and_then(Node::as_seq).unwrap_or(&[]);
            match x.get("operator").and_then(Node::as_str) {
                Some(op @ ("In" | "NotIn")) if values.is_empty() => found.push((x.get("operator").map_or(x.span, |n| n.span), format!("{path}/operator"), format!("operator {op} needs at least one value"))),
                Some(op @ ("Exists" | "DoesNotExist")) if !values.is_empty() => found.push((x.get("values").map_or(x.span, |n| n.span), format!("{path}/values"), format!("operator {op} takes no values"))),
                Some("In" | "NotIn" | "Exists" | "DoesNotExist") | None => {}
                Some(op) => found.push((x.get("operator").map_or(x.span, |n| n.span), format!("{path}/operator"), format!("operator `{op}` is not In, NotIn, Exists or DoesNotExist"))),
            }
            for (j, v) in values.iter().enumerate() {
                if let Some(why) = v.as_str().and_then(label_value) {
                    found.push((v.span, format!("{path}/values/{j}"), format!("value `{}` is not a label value: {why}", v.as_str().unwrap_or(""))));
                }
            }
        }
    }
    for (span, path, msg) in found {
        let f = c.push(Rule::AuditPodAffinityInvalid, span, path, format!("`spec.podAffinity`: {msg}; {when}the IPPool webhook rejects it from Spiderpool 0.6.0-rc0"));
        f.severity = Some(sev);
    }
}

/// SE513: a SpiderReservedIP whose `ipVersion` is unset and cannot be inferred from `ips[0]`.
pub fn reserved_version(c: &mut Cx, root: &Node) {
    let spec = root.get("spec");
    if spec.and_then(|s| s.get("ipVersion")).is_some_and(|n| !matches!(n.value, Value::Null)) {
        return;
    }
    let first = spec.and_then(|s| s.get("ips")).and_then(Node::as_seq).and_then(|l| l.first());
    if first.and_then(Node::as_str).is_some_and(|t| super::ranges::parse_item(t).is_ok()) {
        return;
    }
    let (span, path) = match spec.and_then(|s| s.entry("ips")) {
        Some(e) => (e.key_span, "/spec/ips"),
        None if spec.is_some() => (key_span(root, &["spec"]), "/spec"),
        None => (key_span(root, &["kind"]), "/kind"),
    };
    let why = if first.is_some() { "`ips[0]` is not an address or range" } else { "`spec.ips` is empty" };
    c.push(Rule::ReservedIpVersionUnknown, span, path, format!("`spec.ipVersion` is unset and {why}, so the webhook cannot infer it and rejects the SpiderReservedIP (\"is not generated correctly\")"));
}
