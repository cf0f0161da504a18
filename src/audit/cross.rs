//! The invariants of spiderpool-ippool.md §4.3 across all objects of one input. Every lookup goes
//! through an index built once (by address, by Pod key, by pool name); nothing is compared all
//! against all.

use std::collections::hash_map::Entry;
use std::collections::BTreeMap;
use std::hash::BuildHasherDefault;

use ipnet::IpNet;

use super::model::*;
use super::ranges::{self, Ip, Set};
use super::AuditContext;
use crate::diagnostic::Finding;
use crate::hash::Mix;
use crate::release::{ApiVersion, Release};
use crate::rules::{Rule, Severity};

type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Mix>>;
type HashSet<K> = std::collections::HashSet<K, BuildHasherDefault<Mix>>;

/// What the summary and the repairs need, gathered while checking.
#[derive(Debug, Default)]
pub struct Gathered {
    /// Per pool: leaked, stale and conflicting addresses.
    pub leaked: BTreeMap<usize, Vec<Ip>>,
    pub stale: BTreeMap<usize, Vec<Ip>>,
    pub conflicting: BTreeMap<usize, Vec<Ip>>,
    /// Per namespace: endpoints without Pods (name, note).
    pub orphans: BTreeMap<String, Vec<String>>,
    /// Records to drop per pool (record indices).
    pub drop: BTreeMap<usize, Vec<usize>>,
    /// Pools whose allocatedIPCount needs a rewrite.
    pub recount: Vec<usize>,
    /// Endpoints to delete (index into store.endpoints).
    pub delete_endpoints: Vec<usize>,
    /// Pods to delete so their records can be released (RE1).
    pub delete_pods: Vec<usize>,
}

struct Out<'s> {
    /// The objects (their pointers come before those of their places).
    objs: &'s [Obj],
    list: Vec<(usize, AFinding)>,
}

impl Out<'_> {
    fn add(&mut self, obj: usize, rule: Rule, at: &At, msg: String, sev: Option<Severity>, related: Vec<Rel>) {
        let mut f = Finding::new(rule, at.span, at.path.after(&self.objs[obj].pointer()), msg);
        f.severity = sev;
        self.list.push((obj, AFinding { f, related }));
    }
}

impl Out<'_> {
    /// A fix for the finding just added: replace `span` (absolute) with `text`.
    fn fix_last(&mut self, message: String, span: crate::yaml::Span, text: String) {
        if let Some((_, f)) = self.list.last_mut() {
            f.f.fix = Some(crate::diagnostic::RawFix { message, edits: vec![(span, text)], safe: false });
        }
    }
}

fn rel(obj: usize, at: &At, message: impl Into<String>) -> Rel {
    Rel { obj, at: at.clone(), message: message.into() }
}

/// The release whose behaviour applies to an object of this apiVersion.
fn release_for(cx: &AuditContext, api: ApiVersion) -> Release {
    cx.release.unwrap_or(match api {
        ApiVersion::V1 => Release(0, 3, 7),
        ApiVersion::V2beta1 => Release(1, 2, 0),
    })
}

/// P7 became an error with 0.8.9 / 0.9.8 / 1.0.0 (PR #4379, back-ported).
fn p7_fixed(r: Release) -> bool {
    r >= Release(1, 0, 0) || (r.0 == 0 && r.1 == 9 && r.2 >= 8) || (r.0 == 0 && r.1 == 8 && r.2 >= 9)
}

/// P4 became an error with 0.9.7 / 1.0.0 (PR #3926).
fn p4_fixed(r: Release) -> bool {
    r >= Release(1, 0, 0) || (r.0 == 0 && r.1 == 9 && r.2 >= 7)
}

/// The records of each address: per address a slice of one flat list, (pool, record) in input
/// order. Walked in the order of its map (X1), which depends only on the order of the inserts.
struct ByIp {
    /// Address -> (start in `flat`, count).
    map: HashMap<Ip, (usize, usize)>,
    flat: Vec<(usize, usize)>,
}

impl ByIp {
    fn new(st: &Store) -> ByIp {
        // Count per address, then place: no list per address (most have one record).
        let mut map: HashMap<Ip, (usize, usize)> = HashMap::default();
        for r in st.pools.iter().flat_map(|p| &p.records) {
            map.entry(r.ip).or_default().1 += 1;
        }
        let mut next = 0;
        for v in map.values_mut() {
            let count = v.1;
            *v = (next, 0);
            next += count;
        }
        let mut flat = vec![(0, 0); next];
        for (pi, p) in st.pools.iter().enumerate() {
            for (ri, r) in p.records.iter().enumerate() {
                let v = map.get_mut(&r.ip).expect("counted");
                flat[v.0 + v.1] = (pi, ri);
                v.1 += 1;
            }
        }
        ByIp { map, flat }
    }
    fn get(&self, ip: &Ip) -> Option<&[(usize, usize)]> {
        self.map.get(ip).map(|&(s, n)| &self.flat[s..s + n])
    }
    fn iter(&self) -> impl Iterator<Item = (&Ip, &[(usize, usize)])> {
        self.map.iter().map(|(ip, &(s, n))| (ip, &self.flat[s..s + n]))
    }
}

pub fn run(cx: &AuditContext, st: &Store) -> (Vec<(usize, AFinding)>, Vec<AFinding>, Gathered) {
    let mut out = Out { objs: &st.objs, list: Vec::new() };
    let mut file_level: Vec<AFinding> = Vec::new();
    let mut g = Gathered::default();

    // ---- indices ----------------------------------------------------------------------------
    let mut pods_by_key: HashMap<(&str, &str), usize> = HashMap::with_capacity_and_hasher(st.pods.len(), Default::default());
    let mut pods_by_vmi: HashMap<(&str, &str), usize> = HashMap::default();
    for (i, p) in st.pods.iter().enumerate() {
        pods_by_key.insert((&p.ns, &p.name), i);
        if let Some((k, n)) = &p.controller {
            if k == "VirtualMachineInstance" {
                // The newest (last) live one wins over a migration source.
                if p.alive() || !pods_by_vmi.contains_key(&(p.ns.as_str(), n.as_str())) {
                    pods_by_vmi.insert((&p.ns, n), i);
                }
            }
        }
    }
    let mut eps_by_key: HashMap<(&str, &str), usize> = HashMap::with_capacity_and_hasher(st.endpoints.len(), Default::default());
    for (i, e) in st.endpoints.iter().enumerate() {
        match eps_by_key.entry((&e.ns, &e.name)) {
            Entry::Occupied(first) => {
                let f = &st.endpoints[*first.get()];
                out.add(e.obj, Rule::DuplicateEndpoint, &e.name_at, format!("SpiderEndpoint {}/{} is defined twice in the input", e.ns, e.name), None, vec![rel(f.obj, &f.name_at, "the first definition")]);
            }
            Entry::Vacant(v) => {
                v.insert(i);
            }
        }
    }
    let mut pools_by_name: HashMap<&str, usize> = HashMap::with_capacity_and_hasher(st.pools.len(), Default::default());
    for (i, p) in st.pools.iter().enumerate() {
        pools_by_name.insert(&p.name, i);
    }
    let rec_by_ip = ByIp::new(st);
    // Pool subnets by (family, prefix length, network): the pools whose subnet holds an address.
    let mut by_net: HashMap<(bool, u8, u128), Vec<usize>> = HashMap::default();
    let mut prefixes: Vec<(bool, u8)> = Vec::new();
    for (pi, p) in st.pools.iter().enumerate() {
        if let Some(net) = p.subnet {
            let (v6, start, _) = ranges::net_range(&net.trunc());
            let key = (v6, net.prefix_len(), start);
            by_net.entry(key).or_default().push(pi);
            if !prefixes.contains(&(v6, net.prefix_len())) {
                prefixes.push((v6, net.prefix_len()));
            }
        }
    }
    // Into a buffer the caller keeps: it runs for every address of every Pod.
    let pools_holding = |ip: Ip, v: &mut Vec<usize>| {
        v.clear();
        for &(v6, len) in &prefixes {
            if v6 != ip.v6 {
                continue;
            }
            let bits = if v6 { 128 } else { 32 };
            let mask = if len == 0 { 0 } else { (!0u128) << (bits - len as u32) & if v6 { !0u128 } else { 0xffff_ffff } };
            if let Some(ps) = by_net.get(&(v6, len, ip.n & mask)) {
                v.extend(ps);
            }
        }
    };
    let have_pods = !st.pods.is_empty();
    let have_eps = !st.endpoints.is_empty();
    let have_pools = !st.pools.is_empty();
    let reference = cx.now.or(st.newest);

    // ---- per pool: P2–P7, P9, P10 -------------------------------------------------------------
    for (pi, p) in st.pools.iter().enumerate() {
        let r = release_for(cx, p.api);
        let mut uids: HashMap<&str, usize> = HashMap::with_capacity_and_hasher(p.records.len(), Default::default());
        for (ri, rec) in p.records.iter().enumerate() {
            let wrong_family = p.v6.is_some_and(|v6| v6 != rec.ip.v6);
            if wrong_family || p.subnet.is_some_and(|n| !n.contains(&rec.ip.addr())) {
                let msg = if wrong_family {
                    format!("P2: allocated address {} is not of the pool's family (IPv{})", rec.key(), if p.v6 == Some(true) { 6 } else { 4 })
                } else {
                    format!("P2: allocated address {} is outside the pool's subnet {}", rec.key(), p.subnet_text)
                };
                out.add(p.obj, Rule::RecordOutsideSubnet, &p.key_at(rec), msg, None, vec![rel(p.obj, &p.subnet_at, "the pool's subnet")]);
            } else if p.total.as_ref().is_some_and(|t| !t.contains(rec.ip.n)) {
                out.add(p.obj, Rule::RecordOutsidePool, &p.key_at(rec), format!("P3: allocated address {} is not in the pool's `ips` minus `excludeIPs` (the webhook forbids removing a used address: a bypass or a bug)", rec.key()), None, vec![rel(p.obj, &p.ips_at, "the pool's ips")]);
            }
            if p.gateway == Some(rec.ip) {
                let sev = (r < Release(0, 5, 0)).then_some(Severity::Info);
                out.add(p.obj, Rule::RecordIsGateway, &p.key_at(rec), format!("P6: the pool's gateway {} is allocated to Pod {}/{}", rec.key(), rec.ns(), rec.pod()), sev, vec![rel(p.obj, &p.gateway_at, "the pool's gateway")]);
            }
            if let Some(uid) = rec.uid().filter(|u| !u.is_empty()) {
                let first = match uids.entry(uid) {
                    Entry::Occupied(first) => *first.get(),
                    Entry::Vacant(v) => {
                        v.insert(ri);
                        continue;
                    }
                };
                // Two NICs of one Pod from the same pool are legal.
                let multi_nic = eps_by_key.get(&(rec.ns(), rec.pod())).is_some_and(|&e| st.endpoints[e].addrs.iter().filter(|a| a.pool.as_deref() == Some(p.name.as_str())).count() >= 2);
                if !multi_nic {
                    let sev = (!p7_fixed(r)).then_some(Severity::Warning);
                    let f = &p.records[first];
                    out.add(p.obj, Rule::UidOnTwoRecords, &p.uid_at(rec), format!("P7: Pod UID {uid} ({}/{}) owns {} and also {} in this pool: one of them leaked (#4295)", rec.ns(), rec.pod(), f.key(), rec.key()), sev, vec![rel(p.obj, &p.uid_at(f), format!("the record of {}", f.key()))]);
                    g.conflicting.entry(pi).or_default().push(rec.ip);
                }
            }
        }
        if p.records_read {
            let count = p.alloc_count.unwrap_or(0);
            if count != p.records.len() as i64 {
                let sev = (!p4_fixed(r)).then_some(Severity::Warning);
                let at = if p.alloc_count.is_some() { &p.alloc_count_at } else { &p.records_at };
                let said = p.alloc_count.map_or("absent (0)".to_string(), |c| c.to_string());
                out.add(p.obj, Rule::AllocatedCountMismatch, at, format!("P4: `allocatedIPCount` is {said} but `allocatedIPs` has {} record(s)", p.records.len()), sev, vec![rel(p.obj, &p.records_at, "the records")]);
                if let Some(v) = p.alloc_count_value {
                    out.fix_last(format!("Set allocatedIPCount to {}", p.records.len()), v, p.records.len().to_string());
                }
                g.recount.push(pi);
            }
        }
        if let (Some(tc), Some(t)) = (p.total_count, &p.total) {
            let n = t.count();
            if tc as i128 != n as i128 {
                out.add(p.obj, Rule::TotalCountMismatch, &p.total_count_at, format!("P5: `totalIPCount` is {tc} but `ips` minus `excludeIPs` has {n} address(es)"), None, vec![rel(p.obj, &p.ips_at, "the pool's ips")]);
                if let Some(v) = p.total_count_value {
                    out.fix_last(format!("Set totalIPCount to {n}"), v, n.to_string());
                }
            } else if let Some(ac) = p.alloc_count.filter(|&ac| ac > tc) {
                out.add(p.obj, Rule::TotalCountMismatch, &p.alloc_count_at, format!("P5: `allocatedIPCount` {ac} is above `totalIPCount` {tc}"), None, vec![rel(p.obj, &p.total_count_at, "totalIPCount")]);
            }
        }
        if p.terminating && !p.records.is_empty() {
            if p.finalizer {
                out.add(p.obj, Rule::TerminatingPool, &p.meta_at, format!("P9: the pool is being deleted and its finalizer holds it until its {} record(s) are released", p.records.len()), None, vec![rel(p.obj, &p.records_at, "the records")]);
            } else {
                out.add(p.obj, Rule::TerminatingPool, &p.meta_at, format!("P9: the pool is being deleted without its finalizer `spiderpool.spidernet.io` while it still holds {} record(s)", p.records.len()), Some(Severity::Error), vec![rel(p.obj, &p.records_at, "the records")]);
            }
        }
        if p.records.len() > 5000 {
            out.add(p.obj, Rule::PoolRecordCap, &p.records_at, format!("P10: {} records: above the agent's cap of 5000 per pool (SPIDERPOOL_IPPOOL_MAX_ALLOCATED_IPS)", p.records.len()), None, Vec::new());
        }
    }

    // ---- X1: one address in two pools ----------------------------------------------------------
    for (ip, list) in rec_by_ip.iter() {
        if list.len() < 2 {
            continue;
        }
        // The record that fits (inside its pool, listed by its endpoint) is the first end; the
        // others are reported.
        let fits = |&(pi, ri): &(usize, usize)| -> bool {
            let (p, r) = (&st.pools[pi], &st.pools[pi].records[ri]);
            let inside = p.subnet.is_none_or(|n| n.contains(&r.ip.addr())) && p.total.as_ref().is_none_or(|t| t.contains(r.ip.n));
            let listed = eps_by_key.get(&(r.ns(), r.pod())).is_some_and(|&e| st.endpoints[e].addrs.iter().any(|a| a.ip == r.ip && a.pool.as_deref() == Some(p.name.as_str())));
            inside && listed
        };
        let mut list = list.to_vec();
        list.sort_by_key(|x| (!fits(x), *x));
        let (fp, fr) = list[0];
        for &(pi, ri) in &list[1..] {
            if pi == fp {
                continue; // a duplicate JSON key: P1
            }
            let (p, rec, first) = (&st.pools[pi], &st.pools[pi].records[ri], &st.pools[fp]);
            out.add(p.obj, Rule::IpInTwoPools, &p.key_at(rec), format!("X1: {ip} is allocated in pool {} (to {}/{}) and in pool {} (to {}/{})", p.name, rec.ns(), rec.pod(), first.name, first.records[fr].ns(), first.records[fr].pod()), None, vec![rel(first.obj, &first.key_at(&first.records[fr]), format!("the record in pool {}", first.name))]);
            g.conflicting.entry(pi).or_default().push(*ip);
            g.conflicting.entry(fp).or_default().push(*ip);
        }
    }

    // ---- X2: overlapping pools ----------------------------------------------------------------
    {
        // (a) different but overlapping subnets, (b) same subnet, intersecting address sets.
        let mut nets: Vec<(bool, u128, u128, usize)> = st.pools.iter().enumerate().filter_map(|(i, p)| p.subnet.map(|n| {
            let (v6, s, e) = ranges::net_range(&n.trunc());
            (v6, s, e, i)
        })).collect();
        nets.sort_unstable();
        let mut reported: HashSet<(usize, usize)> = HashSet::default();
        let mut cur: Option<(bool, u128, usize)> = None; // family, max end, pool
        for &(v6, s, e, i) in &nets {
            if let Some((cv6, cend, ci)) = cur {
                if cv6 == v6 && s <= cend {
                    // Reported on the pool that comes later in the input.
                    let (a, b) = if st.pools[ci].obj < st.pools[i].obj { (&st.pools[ci], &st.pools[i]) } else { (&st.pools[i], &st.pools[ci]) };
                    if a.subnet.map(|n| n.trunc()) != b.subnet.map(|n| n.trunc()) && reported.insert((ci.min(i), ci.max(i))) {
                        // 0.4.0 – 0.6.x skipped this check when SpiderSubnet was enabled (restored in 0.7.0),
                        // which the export cannot show.
                        let unchecked = !st.subnets.is_empty() && cx.release.is_some_and(|r| r >= Release(0, 4, 0) && r < Release(0, 7, 0));
                        let (sev, note) = if unchecked { (Some(Severity::Warning), "; Spiderpool 0.4 – 0.6 did not check this with SpiderSubnet enabled") } else { (None, "") };
                        out.add(b.obj, Rule::PoolsOverlap, &b.subnet_at, format!("X2: subnet {} of pool {} overlaps subnet {} of pool {} (the webhook rejects overlapping subnets of one family{note})", b.subnet_text, b.name, a.subnet_text, a.name), sev, vec![rel(a.obj, &a.subnet_at, format!("the subnet of pool {}", a.name))]);
                    }
                    if e > cend {
                        cur = Some((v6, e, i));
                    }
                    continue;
                }
            }
            cur = Some((v6, e, i));
        }
        let mut groups: HashMap<IpNet, Vec<usize>> = HashMap::default();
        for (i, p) in st.pools.iter().enumerate() {
            if let (Some(n), Some(_)) = (p.subnet, &p.total) {
                groups.entry(n.trunc()).or_default().push(i);
            }
        }
        for members in groups.values().filter(|m| m.len() > 1) {
            let mut ivs: Vec<(u128, u128, usize)> = members.iter().flat_map(|&i| st.pools[i].total.as_ref().map(|t| t.ivs.iter().map(move |&(s, e)| (s, e, i)).collect::<Vec<_>>()).unwrap_or_default()).collect();
            ivs.sort_unstable();
            let mut cur: Option<(u128, usize)> = None;
            for (s, e, i) in ivs {
                if let Some((cend, ci)) = cur {
                    if s <= cend && ci != i {
                        let key = (ci.min(i), ci.max(i));
                        if reported.insert(key) {
                            let (a, b) = if st.pools[ci].obj < st.pools[i].obj { (&st.pools[ci], &st.pools[i]) } else { (&st.pools[i], &st.pools[ci]) };
                            let ip = Ip { v6: b.v6.unwrap_or(false), n: s };
                            out.add(b.obj, Rule::PoolsOverlap, &b.ips_at, format!("X2: pools {} and {} (same subnet {}) both hold {ip}: their addresses must not intersect", b.name, a.name, b.subnet_text), None, vec![rel(a.obj, &a.ips_at, format!("the ips of pool {}", a.name))]);
                        }
                    }
                    if e > cend {
                        cur = Some((e, i));
                    }
                    continue;
                }
                cur = Some((e, i));
            }
        }
    }

    // ---- SE508: SpiderSubnets of one family do not overlap (subnet webhook) ---------------------
    {
        let mut nets: Vec<(bool, u128, u128, usize)> = st.subnets.iter().enumerate().filter_map(|(i, s)| s.subnet.map(|n| {
            let (v6, a, b) = ranges::net_range(&n.trunc());
            (v6, a, b, i)
        })).collect();
        nets.sort_unstable();
        let mut cur: Option<(bool, u128, usize)> = None;
        for &(v6, a, b, i) in &nets {
            if let Some((cv6, cend, ci)) = cur {
                if cv6 == v6 && a <= cend {
                    let (x, y) = if st.subnets[ci].obj < st.subnets[i].obj { (&st.subnets[ci], &st.subnets[i]) } else { (&st.subnets[i], &st.subnets[ci]) };
                    out.add(y.obj, Rule::AuditSubnetsOverlap, &y.subnet_at, format!("SpiderSubnet {} overlaps SpiderSubnet {} (the subnet webhook rejects overlapping subnets of one family)", y.name, x.name), None, vec![rel(x.obj, &x.subnet_at, format!("SpiderSubnet {}", x.name))]);
                    if b > cend {
                        cur = Some((v6, b, i));
                    }
                    continue;
                }
            }
            cur = Some((v6, b, i));
        }
    }
    // ---- SE509: one default pool per family in 0.4.0-rc3 – 0.6.0-rc0 ---------------------------
    if cx.release.is_some_and(|r| r >= Release(0, 4, 0) && r < Release(0, 6, 0)) {
        let mut first: [Option<usize>; 2] = [None, None];
        for (pi, p) in st.pools.iter().enumerate() {
            let Some(v6) = p.v6.filter(|_| p.default) else { continue };
            match first[v6 as usize] {
                Some(f) => {
                    let a = &st.pools[f];
                    out.add(p.obj, Rule::AuditMultipleDefaultPools, &p.name_at, format!("pools {} and {} are both `default: true` for IPv{}: Spiderpool 0.4 – 0.6.0 allows one (multiple from 0.6.0-rc1)", a.name, p.name, if v6 { 6 } else { 4 }), None, vec![rel(a.obj, &a.name_at, format!("pool {}", a.name))]);
                }
                None => first[v6 as usize] = Some(pi),
            }
        }
    }

    // ---- X3: allocated but reserved ------------------------------------------------------------
    let live_reserved: Vec<&Reserved> = st.reserved.iter().filter(|r| !r.terminating).collect();
    if !live_reserved.is_empty() {
        let mut fam: [Vec<&Reserved>; 2] = [Vec::new(), Vec::new()];
        for r in &live_reserved {
            if let Some(v6) = r.v6 {
                fam[v6 as usize].push(r);
            }
        }
        let merged: [Set; 2] = [0, 1].map(|f| {
            let rs: Vec<ranges::Range> = fam[f].iter().flat_map(|r| r.set.ivs.iter().map(|&(s, e)| ranges::Range { v6: f == 1, start: s, end: e })).collect();
            Set::from_ranges(&rs)
        });
        for p in &st.pools {
            for rec in &p.records {
                if merged[rec.ip.v6 as usize].contains(rec.ip.n) {
                    if let Some(res) = fam[rec.ip.v6 as usize].iter().find(|r| r.set.contains(rec.ip.n)) {
                        out.add(p.obj, Rule::AllocatedIpReserved, &p.key_at(rec), format!("X3: {} is allocated to {}/{} but reserved by SpiderReservedIP {}: the Pod keeps it until it restarts, then gets no address", rec.key(), rec.ns(), rec.pod(), res.name), None, vec![rel(res.obj, &res.ips_at, format!("SpiderReservedIP {}", res.name))]);
                    }
                }
            }
        }
    }

    // ---- records against Pods (RP) and endpoints (RE) ------------------------------------------
    for (pi, p) in st.pools.iter().enumerate() {
        let v1 = p.api == ApiVersion::V1;
        for (ri, rec) in p.records.iter().enumerate() {
            if !have_pods {
                continue;
            }
            let key = (rec.ns(), rec.pod());
            let ep = eps_by_key.get(&key).map(|&e| &st.endpoints[e]);
            let mut pod = pods_by_key.get(&key).map(|&i| &st.pods[i]);
            if pod.is_none() && ep.is_some_and(|e| e.owner_type.as_deref() == Some("VirtualMachineInstance")) {
                pod = pods_by_vmi.get(&key).map(|&i| &st.pods[i]);
            }
            let ep_rel = |what: &str| ep.map(|e| vec![rel(e.obj, &e.name_at, what.to_string())]).unwrap_or_default();
            let Some(pod) = pod else {
                match ep {
                    Some(e) if e.is_static() => {
                        let kind = e.owner_type.as_deref().unwrap_or("");
                        out.add(p.obj, Rule::LeakedIp, &p.pod_at(rec), format!("RP1: unverifiable: Pod {}/{} of {} is not in the export; its endpoint is a {kind} one, kept while the {} exists, which the export cannot show", rec.ns(), rec.pod(), rec.key(), if kind == "StatefulSet" { "StatefulSet ordinal" } else { "VM" }), Some(Severity::Info), ep_rel("its endpoint"));
                    }
                    _ => {
                        let tail = if ep.is_some() { "; its endpoint remains (see EP4)" } else { " and it has no endpoint (the GC releases such a record)" };
                        out.add(p.obj, Rule::LeakedIp, &p.pod_at(rec), format!("RP1: leaked IP: {} is recorded for Pod {}/{}, which does not exist{tail}", rec.key(), rec.ns(), rec.pod()), None, ep_rel("its endpoint"));
                        g.leaked.entry(pi).or_default().push(rec.ip);
                        g.drop.entry(pi).or_default().push(ri);
                    }
                }
                continue;
            };
            let pod_rel = |at: &At, what: &str| vec![rel(pod.obj, at, what.to_string())];
            let mut stale = false;
            // RP2
            if !v1 {
                if let (Some(ru), Some(pu)) = (rec.uid(), pod.uid.as_deref()) {
                    if ru != pu {
                        stale = true;
                        if pod.is_static() && pod.ips.is_empty() {
                            out.add(p.obj, Rule::RecordUidMismatch, &p.uid_at(rec), format!("RP2: the record of {} names Pod UID {ru}, Pod {}/{} is now {pu}: a restarting {} Pod without addresses yet (kept while valid)", rec.key(), rec.ns(), rec.pod(), pod.controller.as_ref().map_or("", |c| c.0.as_str())), Some(Severity::Info), pod_rel(&pod.uid_at, "the Pod's UID"));
                        } else {
                            out.add(p.obj, Rule::RecordUidMismatch, &p.uid_at(rec), format!("RP2: stale record: {} names Pod UID {ru}, but Pod {}/{} has UID {pu}", rec.key(), rec.ns(), rec.pod()), None, pod_rel(&pod.uid_at, "the Pod's UID"));
                            g.stale.entry(pi).or_default().push(rec.ip);
                            if !pod.is_static() {
                                g.drop.entry(pi).or_default().push(ri);
                            }
                        }
                    }
                }
            } else if let (Some(e), Some(rc)) = (ep, rec.container_id()) {
                if e.container_id.as_deref().is_some_and(|c| c != rc) {
                    stale = true;
                    out.add(p.obj, Rule::RecordUidMismatch, &p.key_at(rec), format!("RP2: stale record: {} was allocated to container {rc}, the endpoint's current container is {}", rec.key(), e.container_id.as_deref().unwrap_or("")), None, vec![rel(e.obj, &e.current_at, "the endpoint's current allocation")]);
                    g.stale.entry(pi).or_default().push(rec.ip);
                    g.drop.entry(pi).or_default().push(ri);
                }
            }
            let alive = pod.alive();
            // RP3
            if !alive && !pod.is_static() && !stale {
                let (sev, why) = match (pod.deletion, reference) {
                    (Some(t), Some(now)) if t > 0 => {
                        let stop = t + pod.grace.unwrap_or(30);
                        if now > stop {
                            (None, format!("terminating since {}s past its grace period", now - stop))
                        } else {
                            (Some(Severity::Info), "terminating, within its grace period".to_string())
                        }
                    }
                    (Some(_), _) => (Some(Severity::Info), "terminating (unverifiable: no reference time)".to_string()),
                    (None, _) => (None, format!("{} ({})", pod.phase.as_deref().unwrap_or("completed"), if pod.evicted { "evicted" } else { "not restarted" })),
                };
                out.add(p.obj, Rule::RecordOfDeadPod, &p.pod_at(rec), format!("RP3: {} is still recorded for Pod {}/{}, which is {why}: it should have been released", rec.key(), rec.ns(), rec.pod()), sev, pod_rel(&pod.name_at, "the Pod"));
            }
            // RP4
            if alive && !stale && (!pod.ips.is_empty() || !pod.net_ips.is_empty()) && !pod.has_ip(rec.ip) {
                let at = pod.ips.first().map_or(&pod.name_at, |x| &x.1);
                let has: Vec<String> = pod.ips.iter().map(|x| x.0.to_string()).collect();
                out.add(p.obj, Rule::RecordIpNotOnPod, &p.key_at(rec), format!("RP4: {} is recorded for Pod {}/{}, whose addresses are {}", rec.key(), rec.ns(), rec.pod(), has.join(", ")), None, pod_rel(at, "the Pod's addresses"));
            }
            // RE1–RE3
            if !have_eps {
                continue;
            }
            let Some(e) = ep else {
                if alive {
                    out.add(p.obj, Rule::RecordWithoutEndpoint, &p.pod_at(rec), format!("RE1: {} is recorded for live Pod {}/{}, which has no SpiderEndpoint: the record is never released (#2517)", rec.key(), rec.ns(), rec.pod()), None, pod_rel(&pod.name_at, "the Pod"));
                    g.leaked.entry(pi).or_default().push(rec.ip);
                    g.delete_pods.push(pods_by_key.get(&(pod.ns.as_str(), pod.name.as_str())).copied().unwrap_or(0));
                }
                continue;
            };
            if !v1 && !stale {
                if let (Some(ru), Some(eu)) = (rec.uid(), e.uid.as_deref()) {
                    if ru != eu {
                        out.add(p.obj, Rule::EndpointUidMismatch, &p.uid_at(rec), format!("RE2: the record of {} names Pod UID {ru}, its endpoint {}/{} has {eu}: CNI DEL can never release it", rec.key(), e.ns, e.name), None, vec![rel(e.obj, &e.uid_at, "the endpoint's uid")]);
                    }
                }
            }
            match e.addrs.iter().find(|a| a.ip == rec.ip && a.pool.as_deref() == Some(p.name.as_str())) {
                None => {
                    out.add(p.obj, Rule::RecordNotInEndpoint, &p.key_at(rec), format!("RE3: endpoint {}/{} does not list {} from pool {}", e.ns, e.name, rec.key(), p.name), None, vec![rel(e.obj, &e.current_at, "the endpoint's addresses")]);
                }
                Some(a) => {
                    if let Some(iface) = rec.interface().filter(|_| !v1) {
                        if !a.interface.is_empty() && iface != a.interface {
                            out.add(p.obj, Rule::RecordNotInEndpoint, &p.key_at(rec), format!("RE3: the record of {} says interface \"{iface}\", the endpoint says \"{}\"", rec.key(), a.interface), Some(Severity::Warning), vec![rel(e.obj, &a.at, "the endpoint's entry")]);
                        }
                    }
                }
            }
        }
    }

    // ---- endpoints (EP) ---------------------------------------------------------------------
    let mut ep_by_ip: HashMap<Ip, (usize, usize)> = HashMap::with_capacity_and_hasher(st.endpoints.len(), Default::default());
    // EP6's first record of a Pod, only when an endpoint is being held by its finalizer.
    let mut rec_by_pod: HashMap<(&str, &str), (usize, usize)> = HashMap::default();
    if st.endpoints.iter().any(|e| e.terminating && e.finalizer) {
        for (pi, p) in st.pools.iter().enumerate() {
            for (ri, r) in p.records.iter().enumerate() {
                rec_by_pod.entry((r.ns(), r.pod())).or_insert((pi, ri));
            }
        }
    }
    for (ei, e) in st.endpoints.iter().enumerate() {
        let mut pod = pods_by_key.get(&(e.ns.as_str(), e.name.as_str())).map(|&i| &st.pods[i]);
        if pod.is_none() && e.owner_type.as_deref() == Some("VirtualMachineInstance") {
            pod = pods_by_vmi.get(&(e.ns.as_str(), e.name.as_str())).map(|&i| &st.pods[i]);
        }
        for (ai, a) in e.addrs.iter().enumerate() {
            // EP7 across endpoints
            match ep_by_ip.get(&a.ip) {
                Some(&(fe, fa)) if fe != ei || fa != ai => {
                    let f = &st.endpoints[fe];
                    let whose = if fe == ei { "another interface of this endpoint".to_string() } else { format!("endpoint {}/{}", f.ns, f.name) };
                    out.add(e.obj, Rule::EndpointAddressShared, &a.at, format!("EP7: {} is also the address of {whose} (interface \"{}\")", a.ip, f.addrs[fa].interface), None, vec![rel(f.obj, &f.addrs[fa].at, whose.clone())]);
                    if let Some(&pi) = a.pool.as_deref().and_then(|n| pools_by_name.get(n)) {
                        g.conflicting.entry(pi).or_default().push(a.ip);
                    }
                }
                Some(_) => {}
                None => {
                    ep_by_ip.insert(a.ip, (ei, ai));
                }
            }
            if !have_pools {
                continue;
            }
            let Some(pool_name) = a.pool.as_deref() else { continue };
            let Some(&pi) = pools_by_name.get(pool_name) else {
                out.add(e.obj, Rule::EndpointPoolMissing, &a.pool_at, format!("EP1: pool {pool_name} of {} does not exist in the input", a.ip), None, Vec::new());
                continue;
            };
            let p = &st.pools[pi];
            if p.v6.is_some_and(|v6| v6 != a.ip.v6) {
                out.add(e.obj, Rule::EndpointPoolMissing, &a.pool_at, format!("EP1: pool {pool_name} is IPv{}, the address {} is not", if p.v6 == Some(true) { 6 } else { 4 }, a.ip), None, vec![rel(p.obj, &p.name_at, format!("pool {pool_name}"))]);
                continue;
            }
            // EP2: the pool records this address for this Pod.
            if p.records_read {
                let rec = rec_by_ip.get(&a.ip).and_then(|l| l.iter().find(|&&(rp, _)| rp == pi)).map(|&(_, ri)| &p.records[ri]);
                let ok = rec.is_some_and(|r| r.ns() == e.ns && r.pod() == e.name);
                if !ok {
                    let why = match rec {
                        None => "does not record it".to_string(),
                        Some(r) => format!("records it for {}/{}", r.ns(), r.pod()),
                    };
                    let related = match rec {
                        Some(r) => vec![rel(p.obj, &p.key_at(r), format!("the record in pool {pool_name}"))],
                        None => vec![rel(p.obj, &p.records_at, format!("the records of pool {pool_name}"))],
                    };
                    out.add(e.obj, Rule::StaleEndpoint, &a.at, format!("EP2: stale endpoint: {} of {}/{} comes from pool {pool_name}, which {why}", a.ip, e.ns, e.name), None, related);
                    g.stale.entry(pi).or_default().push(a.ip);
                }
            }
            // EP3
            if let Some(net) = p.subnet {
                let mut issues = Vec::new();
                if !net.contains(&a.ip.addr()) {
                    issues.push(format!("outside the pool's subnet {}", p.subnet_text));
                } else if a.prefix.is_some_and(|l| l != net.prefix_len()) {
                    issues.push(format!("with prefix /{} but the pool's subnet is {}", a.prefix.unwrap_or(0), p.subnet_text));
                }
                if let (Some(g1), Some(g2)) = (a.gateway, p.gateway) {
                    if g1 != g2 {
                        issues.push(format!("with gateway {g1} but the pool's gateway is {g2}"));
                    }
                }
                if !issues.is_empty() {
                    out.add(e.obj, Rule::EndpointPoolMismatch, &a.at, format!("EP3: {} from pool {pool_name} is {}", a.ip, issues.join(", and ")), None, vec![rel(p.obj, &p.subnet_at, format!("pool {pool_name}"))]);
                }
            }
        }
        // EP4 / EP5
        if have_pods {
            if e.is_static() {
                if pod.is_none() {
                    let kind = e.owner_type.as_deref().unwrap_or("");
                    out.add(e.obj, Rule::StaticEndpoint, &e.name_at, format!("EP5: unverifiable: {kind} endpoint {}/{} has no Pod in the export; it is kept while the {} exists", e.ns, e.name, if kind == "StatefulSet" { "StatefulSet ordinal" } else { "VM" }), None, Vec::new());
                    g.orphans.entry(e.ns.clone()).or_default().push(format!("{} ({kind}, unverifiable)", e.name));
                }
            } else {
                match pod {
                    None if !e.terminating => {
                        out.add(e.obj, Rule::EndpointOwnerMismatch, &e.name_at, format!("EP4: leaked endpoint: Pod {}/{} does not exist and the endpoint is not being deleted", e.ns, e.name), None, Vec::new());
                        g.orphans.entry(e.ns.clone()).or_default().push(e.name.clone());
                        g.delete_endpoints.push(ei);
                    }
                    None => {}
                    Some(pod) => {
                        if let (Some(eu), Some(pu)) = (e.uid.as_deref(), pod.uid.as_deref()) {
                            if eu != pu {
                                out.add(e.obj, Rule::EndpointOwnerMismatch, &e.uid_at, format!("EP4: outdated endpoint: it records Pod UID {eu}, Pod {}/{} has UID {pu} (#3699)", e.ns, e.name), None, vec![rel(pod.obj, &pod.uid_at, "the Pod's UID")]);
                                g.delete_endpoints.push(ei);
                            } else if let Some((ou, oat)) = e.pod_owners.iter().find(|(u, _)| u != eu) {
                                out.add(e.obj, Rule::EndpointOwnerMismatch, oat, format!("EP4: the endpoint's Pod ownerReference has UID {ou}, its current.uid is {eu}"), None, vec![rel(pod.obj, &pod.uid_at, "the Pod's UID")]);
                            }
                        }
                    }
                }
            }
        }
        // EP6
        if e.terminating && e.finalizer {
            match rec_by_pod.get(&(e.ns.as_str(), e.name.as_str())) {
                Some(&(pi, ri)) => {
                    let p = &st.pools[pi];
                    out.add(e.obj, Rule::EndpointTerminating, &e.name_at, format!("EP6: endpoint {}/{} is being deleted but pool {} still records {} for it", e.ns, e.name, p.name, p.records[ri].key()), Some(Severity::Warning), vec![rel(p.obj, &p.key_at(&p.records[ri]), format!("the record in pool {}", p.name))]);
                }
                None => out.add(e.obj, Rule::EndpointTerminating, &e.name_at, format!("EP6: endpoint {}/{} is being deleted (release in progress)", e.ns, e.name), None, Vec::new()),
            }
        }
    }

    // ---- Pods (PD) ---------------------------------------------------------------------------
    let mut pod_by_ip: HashMap<Ip, usize> = HashMap::with_capacity_and_hasher(st.pods.len(), Default::default());
    let mut holders: Vec<usize> = Vec::new();
    for (i, pod) in st.pods.iter().enumerate() {
        if pod.host_network {
            continue;
        }
        let mut addrs: Vec<(Ip, &At)> = pod.ips.iter().map(|(ip, at)| (*ip, at)).collect();
        for ip in &pod.net_ips {
            if !addrs.iter().any(|(a, _)| a == ip) {
                addrs.push((*ip, &pod.name_at));
            }
        }
        let alive = pod.alive();
        // PD2
        for (ip, at) in &addrs {
            match pod_by_ip.get(ip) {
                Some(&j) => {
                    let other = &st.pods[j];
                    let other_alive = other.alive();
                    if !alive && !other_alive {
                        continue;
                    }
                    let migration = pod.migration || other.migration;
                    let same_vmi = pod.controller.is_some() && pod.controller == other.controller && pod.controller.as_ref().is_some_and(|c| c.0 == "VirtualMachineInstance");
                    let (sev, why) = if same_vmi && migration {
                        (Some(Severity::Warning), " (a KubeVirt live migration of one VMI)")
                    } else if !alive || !other_alive {
                        (Some(Severity::Warning), " (one of them is terminating or completed; its address may have been re-used by the GC)")
                    } else {
                        (None, "")
                    };
                    let oat = other.ips.iter().find(|x| x.0 == *ip).map_or(&other.name_at, |x| &x.1);
                    out.add(pod.obj, Rule::PodsShareIp, at, format!("PD2: Pods {}/{} and {}/{} both have {ip}{why}", pod.ns, pod.name, other.ns, other.name), sev, vec![rel(other.obj, oat, format!("Pod {}/{}", other.ns, other.name))]);
                    if sev.is_none() {
                        pools_holding(*ip, &mut holders);
                        for &pi in &holders {
                            g.conflicting.entry(pi).or_default().push(*ip);
                        }
                    }
                }
                None => {
                    pod_by_ip.insert(*ip, i);
                }
            }
        }
        if !alive || addrs.is_empty() {
            continue;
        }
        // The name Spiderpool keys this Pod by: the VMI's for KubeVirt.
        let owner_name = match &pod.controller {
            Some((k, n)) if k == "VirtualMachineInstance" => n.as_str(),
            _ => pod.name.as_str(),
        };
        // PD3
        let mut served = pod.served;
        for (ip, at) in &addrs {
            pools_holding(*ip, &mut holders);
            if holders.is_empty() {
                continue;
            }
            served = true;
            let recs = rec_by_ip.get(ip);
            let mine = recs.is_some_and(|l| l.iter().any(|&(pi, ri)| {
                let r = &st.pools[pi].records[ri];
                r.ns() == pod.ns && (r.pod() == pod.name || r.pod() == owner_name)
            }));
            if mine {
                continue;
            }
            let pool_i = holders.iter().copied().find(|&pi| st.pools[pi].total.as_ref().is_some_and(|t| t.contains(ip.n))).unwrap_or(holders[0]);
            let p = &st.pools[pool_i];
            if !p.records_read {
                continue;
            }
            let other = recs.and_then(|l| l.first()).map(|&(pi, ri)| (&st.pools[pi], &st.pools[pi].records[ri]));
            let (msg, related) = match other {
                Some((op, r)) => (format!("PD3: Pod {}/{} uses {ip}, which pool {} records for {}/{}", pod.ns, pod.name, op.name, r.ns(), r.pod()), vec![rel(op.obj, &op.key_at(r), format!("the record in pool {}", op.name))]),
                None => (format!("PD3: Pod {}/{} uses {ip}, inside pool {}'s subnet {}, but no pool records it: IPAM can hand it out again (#3751)", pod.ns, pod.name, p.name, p.subnet_text), vec![rel(p.obj, &p.records_at, format!("the records of pool {}", p.name))]),
            };
            out.add(pod.obj, Rule::PodIpNotRecorded, at, msg, None, related);
            g.conflicting.entry(pool_i).or_default().push(*ip);
        }
        // PD1
        if have_eps && served && !eps_by_key.contains_key(&(pod.ns.as_str(), owner_name)) {
            out.add(pod.obj, Rule::PodWithoutEndpoint, &pod.name_at, format!("PD1: live Pod {}/{} is served by Spiderpool{} but has no SpiderEndpoint {}/{owner_name}", pod.ns, pod.name, if pod.served { " (its ipam.spidernet.io annotation)" } else { " (its address is inside a pool's subnet)" }, pod.ns), None, Vec::new());
        }
    }

    // ---- SE511 / SE512: pools against SpiderSubnets (IPPool and Subnet webhooks) --------------------
    {
        let mut subnets_by_name: HashMap<&str, usize> = HashMap::default();
        let mut subnets_by_net: HashMap<IpNet, usize> = HashMap::default();
        // Per family, (start, end, subnet) sorted by start: the subnets a pool's CIDR overlaps.
        let mut spans: [Vec<(u128, u128, usize)>; 2] = [Vec::new(), Vec::new()];
        for (si, sb) in st.subnets.iter().enumerate() {
            subnets_by_name.entry(sb.name.as_str()).or_insert(si);
            if let Some(n) = sb.subnet {
                subnets_by_net.entry(n.trunc()).or_insert(si);
                let (v6, a, b) = ranges::net_range(&n.trunc());
                spans[v6 as usize].push((a, b, si));
            }
        }
        for v in &mut spans {
            v.sort_unstable();
        }
        let ip_range = |set: &Set, v6: bool| set.render(v6).join(",");
        for p in &st.pools {
            let owner = p.owner_ref_subnet.as_deref().or(p.owner_subnet.as_deref());
            let owner_si = owner.and_then(|o| subnets_by_name.get(o).copied());
            // SE511: a controlled pool holds only its subnet's addresses (0.2.0+).
            if let (Some(si), Some(t)) = (owner_si, &p.total) {
                let sb = &st.subnets[si];
                if let Some(stot) = sb.total.as_ref().filter(|_| release_for(cx, p.api) >= Release(0, 2, 0)) {
                    let same_family = p.v6.is_none() || sb.v6.is_none() || p.v6 == sb.v6;
                    let outside = if same_family { t.subtract(stot) } else { t.clone() };
                    if !outside.is_empty() {
                        let v6 = p.v6.unwrap_or(false);
                        out.add(p.obj, Rule::AuditPoolOutsideOwnerSubnet, &p.ips_at, format!("pool {} is controlled by SpiderSubnet {} but holds {} outside the subnet's `ips` minus `excludeIPs`: the IPPool webhook rejects it", p.name, sb.name, ip_range(&outside, v6)), None, vec![rel(sb.obj, &sb.ips_at, format!("the ips of SpiderSubnet {}", sb.name))]);
                    }
                }
            }
            let Some(net) = p.subnet else { continue };
            let (v6, a, b) = ranges::net_range(&net.trunc());
            // SE512 (a): a SpiderSubnet of another CIDR that overlaps the pool's.
            let fam = &spans[v6 as usize];
            let upto = fam.partition_point(|x| x.0 <= b);
            for &(sa, sb_end, si) in fam[..upto].iter().rev() {
                if sb_end < a {
                    if sa < a {
                        break;
                    }
                    continue;
                }
                let sb = &st.subnets[si];
                if sb.subnet.map(|n| n.trunc()) != Some(net.trunc()) {
                    out.add(p.obj, Rule::AuditSubnetPoolConflict, &p.subnet_at, format!("subnet {} of pool {} overlaps SpiderSubnet {} ({}), a different CIDR: the subnet webhook rejects such a subnet", p.subnet_text, p.name, sb.name, sb.subnet.map(|n| n.to_string()).unwrap_or_default()), None, vec![rel(sb.obj, &sb.subnet_at, format!("the subnet of SpiderSubnet {}", sb.name))]);
                }
            }
            // SE512 (b): a pool of the subnet's CIDR that it does not control holds addresses it lacks.
            if let (Some(&si), Some(t)) = (subnets_by_net.get(&net.trunc()), &p.total) {
                let sb = &st.subnets[si];
                if owner_si != Some(si) {
                    if let Some(stot) = &sb.total {
                        let outside = t.subtract(stot);
                        if !outside.is_empty() {
                            out.add(p.obj, Rule::AuditSubnetPoolConflict, &p.ips_at, format!("pool {} has SpiderSubnet {}'s CIDR {} but holds {} outside the subnet's `ips` minus `excludeIPs`: the subnet webhook rejects such a subnet", p.name, sb.name, p.subnet_text, ip_range(&outside, v6)), None, vec![rel(sb.obj, &sb.ips_at, format!("the ips of SpiderSubnet {}", sb.name))]);
                        }
                    }
                }
            }
        }
    }

    // ---- subnets (S2–S5) ---------------------------------------------------------------------
    let mut owned: HashMap<&str, Vec<usize>> = HashMap::default();
    for (pi, p) in st.pools.iter().enumerate() {
        if let Some(s) = &p.owner_subnet {
            owned.entry(s.as_str()).or_default().push(pi);
        }
    }
    for s in &st.subnets {
        if !s.entries_read {
            continue;
        }
        let entries: HashMap<&str, &SubnetEntry> = s.entries.iter().map(|e| (e.pool.as_str(), e)).collect();
        for &pi in owned.get(s.name.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
            let p = &st.pools[pi];
            let Some(t) = &p.total else { continue };
            let want = match &s.total {
                Some(st_) => t.intersect(st_),
                None => t.clone(),
            };
            // An auto-created pool must equal its entry from 0.4.1 (the IPPool webhook rejects it otherwise).
            let (sev, why) = if p.auto && release_for(cx, p.api) >= Release(0, 4, 1) { (Some(Severity::Error), ": an auto-created pool must equal its entry, the IPPool webhook rejects it") } else { (None, "") };
            match entries.get(p.name.as_str()) {
                None if !want.is_empty() => {
                    out.add(s.obj, Rule::SubnetEntryMismatch, &s.entries_at, format!("S2: pool {} is owned by this subnet but has no `controlledIPPools` entry{why}", p.name), sev, vec![rel(p.obj, &p.name_at, format!("pool {}", p.name))]);
                }
                Some(e) if e.set != want => {
                    out.add(s.obj, Rule::SubnetEntryMismatch, &e.at, format!("S2: the entry of pool {} lists {} but the pool has {}{why}", p.name, e.set.render(e.v6).join(","), want.render(p.v6.unwrap_or(false)).join(",")), sev, vec![rel(p.obj, &p.ips_at, format!("the ips of pool {}", p.name))]);
                }
                _ => {}
            }
        }
        let sum: u128 = s.entries.iter().map(|e| e.set.count()).sum();
        if let Some(ac) = s.alloc_count {
            if ac as i128 != sum as i128 {
                out.add(s.obj, Rule::SubnetCountMismatch, &s.alloc_count_at, format!("S3: `allocatedIPCount` is {ac} but the entries hold {sum} address(es)"), None, vec![rel(s.obj, &s.entries_at, "controlledIPPools")]);
            }
        }
        if let (Some(tc), Some(t)) = (s.total_count, &s.total) {
            if tc as i128 != t.count() as i128 {
                out.add(s.obj, Rule::SubnetCountMismatch, &s.total_count_at, format!("S3: `totalIPCount` is {tc} but `ips` minus `excludeIPs` has {} address(es)", t.count()), None, Vec::new());
            }
        }
        let mut ivs: Vec<(u128, u128, usize)> = Vec::new();
        for (ei, e) in s.entries.iter().enumerate() {
            if let Some(t) = &s.total {
                let outside = e.set.subtract(t);
                if !outside.is_empty() {
                    out.add(s.obj, Rule::SubnetEntryInvalid, &e.at, format!("S4: the entry of pool {} holds {} outside the subnet's addresses", e.pool, outside.render(e.v6).join(",")), None, vec![rel(s.obj, &s.subnet_at, "the subnet")]);
                }
            }
            ivs.extend(e.set.ivs.iter().map(|&(a, b)| (a, b, ei)));
            if !pools_by_name.contains_key(e.pool.as_str()) && have_pools {
                let app = e.application.as_deref().map(|a| format!(" (application {a})")).unwrap_or_default();
                out.add(s.obj, Rule::SubnetEntryOrphan, &e.at, format!("S5: unverifiable: pool {} of this entry does not exist; legal only for a pre-allocation whose application still exists{app}", e.pool), None, Vec::new());
            }
        }
        ivs.sort_unstable();
        let mut cur: Option<(u128, usize)> = None;
        let mut seen: HashSet<(usize, usize)> = HashSet::default();
        for (a, b, ei) in ivs {
            if let Some((cend, ci)) = cur {
                if a <= cend && ci != ei && seen.insert((ci.min(ei), ci.max(ei))) {
                    let (x, y) = (&s.entries[ci], &s.entries[ei]);
                    out.add(s.obj, Rule::SubnetEntryInvalid, &y.at, format!("S4: the entries of pools {} and {} overlap", y.pool, x.pool), None, vec![rel(s.obj, &x.at, format!("the entry of pool {}", x.pool))]);
                }
                if b > cend {
                    cur = Some((b, ei));
                }
                continue;
            }
            cur = Some((b, ei));
        }
    }

    // ---- what the input cannot show ------------------------------------------------------------
    let any_records = st.pools.iter().any(|p| !p.records.is_empty());
    let mut gaps = Vec::new();
    if !have_pods && (any_records || have_eps) {
        gaps.push("no Pods: RP1–RP4, EP4, EP5 and PD1–PD3 are not checked");
    }
    if !have_eps && any_records {
        gaps.push("no SpiderEndpoints: RE1–RE3 and PD1 are not checked");
    }
    if !have_pools && have_eps {
        gaps.push("no SpiderIPPools: EP1–EP3 are not checked");
    }
    for gap in gaps {
        let f = Finding::new(Rule::AuditIncomplete, crate::yaml::Span::new(0, 0), "", format!("the input has {gap}"));
        file_level.push(AFinding { f, related: Vec::new() });
    }
    for v in g.leaked.values_mut().chain(g.stale.values_mut()).chain(g.conflicting.values_mut()) {
        v.sort_unstable();
        v.dedup();
    }
    for v in g.drop.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    g.delete_pods.sort_unstable();
    g.delete_pods.dedup();
    g.delete_endpoints.sort_unstable();
    g.delete_endpoints.dedup();
    (out.list, file_level, g)
}
