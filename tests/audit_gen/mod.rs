//! Generator of consistent cluster exports (`kind: List` of SpiderSubnets, SpiderIPPools, Pods and
//! SpiderEndpoints, as `kubectl get ... -A -o yaml` writes them) of any size, in the v1 (Spiderpool
//! 0.3) or v2beta1 era, with fault classes planted at random. Self-contained (std only), so it can
//! move to a shared test-support crate: `include!`/`#[path]` it or copy it.
//!
//! Every planted fault lists the findings it must cause: (rule code, `namespace/name` or name of the
//! object the finding is reported on).
#![allow(dead_code)]

use std::collections::HashSet;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Era {
    V1,
    V2beta1,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// RP1: a record for a Pod that does not exist.
    LeakedRecord,
    /// RP2: a record with another Pod UID (v1: another containerID).
    StaleRecord,
    /// EP4 + EP2: the Pod and its record are gone, the endpoint remains.
    LeakedEndpoint,
    /// RE1 + PD1: a live Pod with a record but no endpoint.
    MissingEndpoint,
    /// X1 + P2 + RE3: a Pod's record copied into another pool.
    IpInTwoPools,
    /// P4: allocatedIPCount off by one.
    CountDrift,
    /// P5: totalIPCount off by one.
    TotalDrift,
    /// P7 + RE3 + RP4: the Pod's UID owns a second address of its pool.
    UidTwice,
    /// PD2 + PD3 + RP4: a Pod reports another Pod's address.
    PodsShareIp,
    /// PD3 + EP2: a live Pod's record is gone.
    UnrecordedPodIp,
    /// EP4 + RE2: the endpoint names an older Pod UID.
    OutdatedEndpoint,
    /// RP3: the Pod has completed (restartPolicy Never) and still holds its address.
    CompletedPod,
    /// X3: a SpiderReservedIP reserves an allocated address.
    ReservedAllocated,
    /// EP1 + RE3: the endpoint names a pool that does not exist.
    UnknownPool,
    /// X2: a new empty pool whose subnet overlaps another pool's.
    OverlappingPool,
    /// EP7 + EP2 + RE3: an endpoint lists another endpoint's address.
    SharedEndpointIp,
    /// S2: a subnet lacks the entry of a pool it owns.
    SubnetEntryMissing,
    /// SE511: a pool a subnet owns holds addresses beyond the subnet's `ips`.
    PoolOutsideSubnet,
    /// SE510: a pool with an empty `podAffinity`.
    EmptyPodAffinity,
    /// SE513: a SpiderReservedIP without `ipVersion` and without `ips`.
    ReservedWithoutVersion,
}

impl Fault {
    pub const ALL: &'static [Fault] = &[
        Fault::LeakedRecord,
        Fault::StaleRecord,
        Fault::LeakedEndpoint,
        Fault::MissingEndpoint,
        Fault::IpInTwoPools,
        Fault::CountDrift,
        Fault::TotalDrift,
        Fault::UidTwice,
        Fault::PodsShareIp,
        Fault::UnrecordedPodIp,
        Fault::OutdatedEndpoint,
        Fault::CompletedPod,
        Fault::ReservedAllocated,
        Fault::UnknownPool,
        Fault::OverlappingPool,
        Fault::SharedEndpointIp,
        Fault::SubnetEntryMissing,
        Fault::PoolOutsideSubnet,
        Fault::EmptyPodAffinity,
        Fault::ReservedWithoutVersion,
    ];

    /// Whether the fault exists in the era (v1 records carry no UID).
    pub fn in_era(self, era: Era) -> bool {
        !(era == Era::V1 && matches!(self, Fault::UidTwice | Fault::OutdatedEndpoint))
    }
}

#[derive(Debug, Clone)]
pub struct Options {
    pub era: Era,
    pub pods: usize,
    pub seed: u64,
    /// How many times each fault is planted.
    pub faults: Vec<(Fault, usize)>,
    /// Extra bytes of realistic Pod spec per Pod (containers, env, volumes), for benchmarks.
    pub pod_padding: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Expect {
    pub code: &'static str,
    /// `namespace/name` of a namespaced object, `name` of a cluster-scoped one.
    pub object: String,
}

#[derive(Debug, Clone)]
pub struct Planted {
    pub fault: Fault,
    pub expect: Vec<Expect>,
}

/// The shared seeded generator (test-support): `Rng::new(seed)`, `below`, `uuid`, `hex`.
pub use test_support::{Rng, Source};

struct PodG {
    ns: String,
    name: String,
    uid: String,
    pool: usize,
    ip: [u8; 4],
    owner: (&'static str, String),
    node: String,
    container: String,
    // what is written
    emit_pod: bool,
    emit_endpoint: bool,
    emit_record: bool,
    record_uid: String,
    record_container: String,
    pod_ip: [u8; 4],
    ep_uid: String,
    ep_ip: [u8; 4],
    ep_pool: String,
    completed: bool,
}

struct PoolG {
    name: String,
    net: [u8; 3],
    subnet: Option<usize>,
    extra_records: Vec<([u8; 4], usize)>, // (ip, pod index) copied records
    count_delta: i64,
    total_delta: i64,
    /// The last address of `ips` (`.2-.{ips_end}`); the subnets' `ips` end at .250.
    ips_end: u8,
    affinity_empty: bool,
    pods: Vec<usize>,
}

fn ip(a: [u8; 4]) -> String {
    format!("{}.{}.{}.{}", a[0], a[1], a[2], a[3])
}

/// Pools per export: about 100 Pods each (a /24 with 249 usable addresses).
fn pool_count(pods: usize) -> usize {
    pods.div_ceil(100).max(2)
}

pub fn generate(o: &Options) -> (String, Vec<Planted>) {
    let mut rng = Rng::new(o.seed);
    let npools = pool_count(o.pods);
    let nsubnets = npools.min(4);
    let mut pools: Vec<PoolG> = (0..npools)
        .map(|i| PoolG { name: format!("pool-{i}"), net: [10, (i >> 8) as u8 + 1, (i & 255) as u8], subnet: (i < nsubnets).then_some(i), extra_records: Vec::new(), count_delta: 0, total_delta: 0, ips_end: 250, affinity_empty: false, pods: Vec::new() })
        .collect();
    let mut pods: Vec<PodG> = Vec::with_capacity(o.pods);
    for i in 0..o.pods {
        let pool = i % npools;
        let slot = pools[pool].pods.len();
        pools[pool].pods.push(i);
        let n = pools[pool].net;
        let addr = [n[0], n[1], n[2], (slot + 2) as u8];
        let ns = format!("ns-{}", i % 7);
        let sts = i % 10 == 3;
        let (name, owner) = if sts {
            (format!("db-{}-{}", i / 10, i % 10), ("StatefulSet", format!("db-{}", i / 10)))
        } else {
            let rs = format!("app-{}-7d9f8c6b5", i / 5);
            (format!("{rs}-{:05x}", rng.next_u64() & 0xfffff), ("ReplicaSet", rs))
        };
        let uid = rng.uuid();
        let container = rng.hex(64);
        pods.push(PodG {
            ns,
            name,
            record_uid: uid.clone(),
            ep_uid: uid.clone(),
            uid,
            pool,
            ip: addr,
            owner,
            node: format!("node-{}", i % 13),
            record_container: container.clone(),
            container,
            emit_pod: true,
            emit_endpoint: true,
            emit_record: true,
            pod_ip: addr,
            ep_ip: addr,
            ep_pool: format!("pool-{pool}"),
            completed: false,
        });
    }
    let mut planted = Vec::new();
    let mut used_pods: HashSet<usize> = HashSet::new();
    let mut used_pools: HashSet<usize> = HashSet::new();
    let mut reserved: Vec<(String, [u8; 4])> = Vec::new();
    let mut extra_pools: Vec<(String, [u8; 3], u8)> = Vec::new(); // name, net, prefix
    let mut ghost = 0usize;
    let mut missing_entries: HashSet<usize> = HashSet::new();
    let mut wide_pools: HashSet<usize> = HashSet::new();
    let mut affinity_pools: HashSet<usize> = HashSet::new();
    let mut unversioned: Vec<String> = Vec::new();
    // Stateless pods only, each used by one fault; pool-level faults on distinct pools.
    let pick_pod = |rng: &mut Rng, pods: &Vec<PodG>, used: &mut HashSet<usize>| -> Option<usize> {
        for _ in 0..1000 {
            let i = rng.below(pods.len());
            if pods[i].owner.0 != "StatefulSet" && used.insert(i) {
                return Some(i);
            }
        }
        None
    };
    let pick_pool = |rng: &mut Rng, used: &mut HashSet<usize>, n: usize| -> Option<usize> {
        for _ in 0..1000 {
            let i = rng.below(n);
            if used.insert(i) {
                return Some(i);
            }
        }
        None
    };
    let obj = |p: &PodG| format!("{}/{}", p.ns, p.name);
    for &(fault, times) in &o.faults {
        if !fault.in_era(o.era) {
            continue;
        }
        for _ in 0..times {
            let mut expect = Vec::new();
            match fault {
                Fault::LeakedRecord => {
                    let Some(pi) = pick_pool(&mut rng, &mut HashSet::new(), npools) else { continue };
                    // A ghost Pod: record only, at a free address of the pool.
                    let slot = pools[pi].pods.len() + 2 + pools[pi].extra_records.len();
                    if slot > 250 {
                        continue;
                    }
                    let n = pools[pi].net;
                    let gi = pods.len();
                    let uid = rng.uuid();
                    let c = rng.hex(64);
                    pods.push(PodG {
                        ns: "ns-ghost".into(),
                        name: format!("ghost-{ghost}"),
                        uid: uid.clone(),
                        pool: pi,
                        ip: [n[0], n[1], n[2], slot as u8],
                        owner: ("ReplicaSet", "ghost".into()),
                        node: "node-0".into(),
                        container: c.clone(),
                        emit_pod: false,
                        emit_endpoint: false,
                        emit_record: true,
                        record_uid: uid.clone(),
                        record_container: c,
                        pod_ip: [0; 4],
                        ep_uid: uid,
                        ep_ip: [0; 4],
                        ep_pool: String::new(),
                        completed: false,
                    });
                    used_pods.insert(gi);
                    pools[pi].pods.push(gi);
                    ghost += 1;
                    expect.push(Expect { code: "SE621", object: pools[pi].name.clone() });
                }
                Fault::StaleRecord => {
                    let Some(i) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    pods[i].record_uid = rng.uuid();
                    pods[i].record_container = rng.hex(64);
                    expect.push(Expect { code: "SE622", object: pools[pods[i].pool].name.clone() });
                }
                Fault::LeakedEndpoint => {
                    let Some(i) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    pods[i].emit_pod = false;
                    pods[i].emit_record = false;
                    expect.push(Expect { code: "SE644", object: obj(&pods[i]) });
                    expect.push(Expect { code: "SE642", object: obj(&pods[i]) });
                }
                Fault::MissingEndpoint => {
                    let Some(i) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    pods[i].emit_endpoint = false;
                    expect.push(Expect { code: "SE631", object: pools[pods[i].pool].name.clone() });
                    expect.push(Expect { code: "SE651", object: obj(&pods[i]) });
                }
                Fault::IpInTwoPools => {
                    let Some(i) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    let other = (pods[i].pool + 1) % npools;
                    pools[other].extra_records.push((pods[i].ip, i));
                    expect.push(Expect { code: "SE611", object: pools[other].name.clone() });
                    expect.push(Expect { code: "SE602", object: pools[other].name.clone() });
                    expect.push(Expect { code: "SE633", object: pools[other].name.clone() });
                }
                Fault::CountDrift => {
                    let Some(pi) = pick_pool(&mut rng, &mut used_pools, npools) else { continue };
                    pools[pi].count_delta += 1;
                    expect.push(Expect { code: "SE604", object: pools[pi].name.clone() });
                }
                Fault::TotalDrift => {
                    let Some(pi) = pick_pool(&mut rng, &mut used_pools, npools) else { continue };
                    pools[pi].total_delta += 1;
                    expect.push(Expect { code: "SE605", object: pools[pi].name.clone() });
                }
                Fault::UidTwice => {
                    let Some(i) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    let pi = pods[i].pool;
                    let slot = 250 - pools[pi].extra_records.len();
                    let n = pools[pi].net;
                    if slot < pools[pi].pods.len() + 3 {
                        continue;
                    }
                    pools[pi].extra_records.push(([n[0], n[1], n[2], slot as u8], i));
                    expect.push(Expect { code: "SE607", object: pools[pi].name.clone() });
                    expect.push(Expect { code: "SE633", object: pools[pi].name.clone() });
                    expect.push(Expect { code: "SE624", object: pools[pi].name.clone() });
                }
                Fault::PodsShareIp => {
                    let Some(a) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    let Some(b) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    pods[b].pod_ip = pods[a].ip;
                    // the finding is on whichever Pod comes second in the export
                    let later = a.max(b);
                    let _ = later;
                    expect.push(Expect { code: "SE652", object: obj(&pods[a.max(b)]) });
                    expect.push(Expect { code: "SE653", object: obj(&pods[b]) });
                    expect.push(Expect { code: "SE624", object: pools[pods[b].pool].name.clone() });
                }
                Fault::UnrecordedPodIp => {
                    let Some(i) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    pods[i].emit_record = false;
                    expect.push(Expect { code: "SE653", object: obj(&pods[i]) });
                    expect.push(Expect { code: "SE642", object: obj(&pods[i]) });
                }
                Fault::OutdatedEndpoint => {
                    let Some(i) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    pods[i].ep_uid = rng.uuid();
                    expect.push(Expect { code: "SE644", object: obj(&pods[i]) });
                    expect.push(Expect { code: "SE632", object: pools[pods[i].pool].name.clone() });
                }
                Fault::CompletedPod => {
                    let Some(i) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    pods[i].completed = true;
                    expect.push(Expect { code: "SE623", object: pools[pods[i].pool].name.clone() });
                }
                Fault::ReservedAllocated => {
                    let Some(i) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    reserved.push((format!("reserved-{}", reserved.len()), pods[i].ip));
                    expect.push(Expect { code: "SE613", object: pools[pods[i].pool].name.clone() });
                }
                Fault::UnknownPool => {
                    let Some(i) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    pods[i].ep_pool = format!("gone-pool-{i}");
                    expect.push(Expect { code: "SE641", object: obj(&pods[i]) });
                    expect.push(Expect { code: "SE633", object: pools[pods[i].pool].name.clone() });
                }
                Fault::OverlappingPool => {
                    let Some(pi) = pick_pool(&mut rng, &mut used_pools, npools) else { continue };
                    let name = format!("overlap-{}", extra_pools.len());
                    extra_pools.push((name.clone(), pools[pi].net, 25));
                    if pools[pi].subnet.is_some() {
                        // It also overlaps the subnet of that CIDR (the subnet webhook's rule).
                        expect.push(Expect { code: "SE512", object: name.clone() });
                    }
                    expect.push(Expect { code: "SE612", object: name });
                }
                Fault::SharedEndpointIp => {
                    let Some(a) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    let Some(b) = pick_pod(&mut rng, &pods, &mut used_pods) else { continue };
                    pods[b].ep_ip = pods[a].ip;
                    pods[b].ep_pool = format!("pool-{}", pods[a].pool);
                    let later = if a > b { a } else { b };
                    expect.push(Expect { code: "SE647", object: obj(&pods[later]) });
                    expect.push(Expect { code: "SE642", object: obj(&pods[b]) });
                    expect.push(Expect { code: "SE633", object: pools[pods[b].pool].name.clone() });
                }
                Fault::SubnetEntryMissing => {
                    let cands: Vec<usize> = (0..nsubnets).filter(|s| !missing_entries.contains(s)).collect();
                    if cands.is_empty() {
                        continue;
                    }
                    let s = cands[rng.below(cands.len())];
                    missing_entries.insert(s);
                    expect.push(Expect { code: "SE662", object: format!("subnet-{s}") });
                }
                Fault::PoolOutsideSubnet => {
                    let Some(pi) = pick_pool(&mut rng, &mut wide_pools, nsubnets) else { continue };
                    pools[pi].ips_end = 254;
                    expect.push(Expect { code: "SE511", object: pools[pi].name.clone() });
                }
                Fault::EmptyPodAffinity => {
                    let Some(pi) = pick_pool(&mut rng, &mut affinity_pools, npools) else { continue };
                    pools[pi].affinity_empty = true;
                    expect.push(Expect { code: "SE510", object: pools[pi].name.clone() });
                }
                Fault::ReservedWithoutVersion => {
                    let name = format!("unversioned-{}", unversioned.len());
                    unversioned.push(name.clone());
                    expect.push(Expect { code: "SE513", object: name });
                }
            }
            planted.push(Planted { fault, expect });
        }
    }
    let text = render(o, &pods, &pools, &reserved, &unversioned, &extra_pools, nsubnets, &missing_entries, &mut rng);
    (text, planted)
}

const T0: &str = "2024-05-01T10:00:00Z";

#[allow(clippy::too_many_arguments)]
fn render(o: &Options, pods: &[PodG], pools: &[PoolG], reserved: &[(String, [u8; 4])], unversioned: &[String], extra_pools: &[(String, [u8; 3], u8)], nsubnets: usize, missing: &HashSet<usize>, rng: &mut Rng) -> String {
    let v1 = o.era == Era::V1;
    let api = if v1 { "spiderpool.spidernet.io/v1" } else { "spiderpool.spidernet.io/v2beta1" };
    let mut t = String::with_capacity(o.pods * if o.pod_padding { 6000 } else { 2000 });
    t.push_str("apiVersion: v1\nitems:\n");
    // Subnets (each owns its pool of the same CIDR).
    for (s, p) in pools.iter().enumerate().take(nsubnets) {
        let n = p.net;
        let cidr = format!("{}.{}.{}.0/24", n[0], n[1], n[2]);
        let range = format!("{}.{}.{}.2-{}.{}.{}.250", n[0], n[1], n[2], n[0], n[1], n[2]);
        let _ = write!(t, "- apiVersion: {api}\n  kind: SpiderSubnet\n  metadata:\n    creationTimestamp: \"{T0}\"\n    finalizers:\n    - spiderpool.spidernet.io\n    name: subnet-{s}\n    uid: {}\n  spec:\n    gateway: {}.{}.{}.1\n    ipVersion: 4\n    ips:\n    - {range}\n    subnet: {cidr}\n", rng.uuid(), n[0], n[1], n[2]);
        let (count, entries) = if missing.contains(&s) { (0, String::new()) } else { (249, format!("{{\"pool-{s}\":{{\"ips\":[\"{range}\"]}}}}")) };
        if v1 {
            let _ = write!(t, "  status:\n    allocatedIPCount: {count}\n");
            if !entries.is_empty() {
                let _ = write!(t, "    controlledIPPools:\n      pool-{s}:\n        ips:\n        - {range}\n");
            }
            t.push_str("    totalIPCount: 249\n");
        } else {
            let _ = write!(t, "  status:\n    allocatedIPCount: {count}\n");
            if !entries.is_empty() {
                let _ = writeln!(t, "    controlledIPPools: '{entries}'");
            }
            t.push_str("    totalIPCount: 249\n");
        }
    }
    for (name, a) in reserved {
        let _ = write!(t, "- apiVersion: {api}\n  kind: SpiderReservedIP\n  metadata:\n    creationTimestamp: \"{T0}\"\n    name: {name}\n  spec:\n    ipVersion: 4\n    ips:\n    - {}\n", ip(*a));
    }
    for name in unversioned {
        let _ = write!(t, "- apiVersion: {api}\n  kind: SpiderReservedIP\n  metadata:\n    creationTimestamp: \"{T0}\"\n    name: {name}\n  spec:\n    ips: []\n");
    }
    for (pi, p) in pools.iter().enumerate() {
        let n = p.net;
        let mut recs: Vec<([u8; 4], &PodG)> = p.pods.iter().map(|&i| &pods[i]).filter(|x| x.emit_record).map(|x| (x.ip, x)).collect();
        recs.extend(p.extra_records.iter().map(|&(a, i)| (a, &pods[i])));
        recs.sort_by_key(|r| r.0);
        let _ = write!(t, "- apiVersion: {api}\n  kind: SpiderIPPool\n  metadata:\n    creationTimestamp: \"{T0}\"\n    finalizers:\n    - spiderpool.spidernet.io\n    generation: 1\n    labels:\n      ipam.spidernet.io/ippool-cidr: {}-{}-{}-0-24\n", n[0], n[1], n[2]);
        if p.subnet.is_some() {
            let _ = writeln!(t, "      ipam.spidernet.io/owner-spider-subnet: subnet-{pi}");
        }
        let _ = write!(t, "    name: {}\n    resourceVersion: \"{}\"\n    uid: {}\n  spec:\n", p.name, 1000 + pi, rng.uuid());
        if !v1 {
            t.push_str("    default: false\n");
        }
        let _ = write!(t, "    disable: false\n    gateway: {}.{}.{}.1\n    ipVersion: 4\n    ips:\n    - {}.{}.{}.2-{}.{}.{}.{}\n", n[0], n[1], n[2], n[0], n[1], n[2], n[0], n[1], n[2], p.ips_end);
        if p.affinity_empty {
            t.push_str("    podAffinity: {}\n");
        }
        let _ = writeln!(t, "    subnet: {}.{}.{}.0/24", n[0], n[1], n[2]);
        if v1 {
            t.push_str("    vlan: 0\n");
        }
        let _ = writeln!(t, "  status:\n    allocatedIPCount: {}", recs.len() as i64 + p.count_delta);
        if !recs.is_empty() {
            if v1 {
                t.push_str("    allocatedIPs:\n");
                for (a, x) in &recs {
                    let _ = write!(t, "      {}:\n        containerID: {}\n        interface: eth0\n        namespace: {}\n        node: {}\n        ownerControllerName: {}\n        ownerControllerType: {}\n        pod: {}\n", ip(*a), x.record_container, x.ns, x.node, x.owner.1, x.owner.0, x.name);
                }
            } else {
                t.push_str("    allocatedIPs: '{");
                for (k, (a, x)) in recs.iter().enumerate() {
                    if k > 0 {
                        t.push(',');
                    }
                    let _ = write!(t, "\"{}\":{{\"pod\":\"{}/{}\",\"podUid\":\"{}\"}}", ip(*a), x.ns, x.name, x.record_uid);
                }
                t.push_str("}'\n");
            }
        }
        if v1 {
            t.push_str("    autoDesiredIPCount: 0\n");
        }
        let _ = writeln!(t, "    totalIPCount: {}", p.ips_end as i64 - 1 + p.total_delta);
    }
    for (name, n, prefix) in extra_pools {
        let _ = write!(t, "- apiVersion: {api}\n  kind: SpiderIPPool\n  metadata:\n    creationTimestamp: \"{T0}\"\n    name: {name}\n  spec:\n    ipVersion: 4\n    subnet: {}.{}.{}.0/{prefix}\n  status:\n    allocatedIPCount: 0\n    totalIPCount: 0\n", n[0], n[1], n[2]);
    }
    for x in pods.iter().filter(|x| x.emit_pod) {
        render_pod(&mut t, x, o.pod_padding);
    }
    for x in pods.iter().filter(|x| x.emit_endpoint && x.ep_ip != [0; 4]) {
        render_endpoint(&mut t, x, v1, api);
    }
    t.push_str("kind: List\nmetadata:\n  resourceVersion: \"\"\n");
    t
}

fn render_pod(t: &mut String, x: &PodG, padding: bool) {
    let _ = write!(t, "- apiVersion: v1\n  kind: Pod\n  metadata:\n    annotations:\n      ipam.spidernet.io/ippool: '{{\"ipv4\":[\"pool-{}\"]}}'\n", x.pool);
    if padding {
        let _ = writeln!(t, "      k8s.v1.cni.cncf.io/network-status: |-\n        [{{\n            \"name\": \"kube-system/macvlan-conf\",\n            \"interface\": \"eth0\",\n            \"ips\": [\n                \"{}\"\n            ],\n            \"mac\": \"4a:1e:22:10:0b:3c\",\n            \"default\": true,\n            \"dns\": {{}}\n        }}]", ip(x.pod_ip));
    }
    let _ = writeln!(t, "    creationTimestamp: \"{T0}\"");
    if x.owner.0 == "ReplicaSet" {
        let _ = writeln!(t, "    generateName: {}-", x.owner.1);
    }
    let _ = write!(t, "    labels:\n      app: {}\n    name: {}\n    namespace: {}\n    ownerReferences:\n    - apiVersion: apps/v1\n      blockOwnerDeletion: true\n      controller: true\n      kind: {}\n      name: {}\n      uid: 3f0c7d8e-1b2a-4c5d-9e6f-7a8b9c0d1e2f\n    resourceVersion: \"48213\"\n    uid: {}\n  spec:\n", x.owner.1, x.name, x.ns, x.owner.0, x.owner.1, x.uid);
    let _ = write!(t, "    containers:\n    - image: registry.example.com/app:1.4.2\n      imagePullPolicy: IfNotPresent\n      name: app\n");
    if padding {
        t.push_str("      env:\n");
        for k in 0..12 {
            let _ = write!(t, "      - name: SETTING_{k}\n        value: value-of-setting-number-{k}-for-this-application\n");
        }
        t.push_str("      ports:\n      - containerPort: 8080\n        name: http\n        protocol: TCP\n      readinessProbe:\n        failureThreshold: 3\n        httpGet:\n          path: /healthz\n          port: 8080\n          scheme: HTTP\n        periodSeconds: 10\n        successThreshold: 1\n        timeoutSeconds: 1\n      resources:\n        limits:\n          cpu: 500m\n          memory: 256Mi\n        requests:\n          cpu: 100m\n          memory: 128Mi\n      terminationMessagePath: /dev/termination-log\n      terminationMessagePolicy: File\n      volumeMounts:\n      - mountPath: /var/run/secrets/kubernetes.io/serviceaccount\n        name: kube-api-access-x2x9q\n        readOnly: true\n    dnsPolicy: ClusterFirst\n    enableServiceLinks: true\n    preemptionPolicy: PreemptLowerPriority\n    priority: 0\n    schedulerName: default-scheduler\n    securityContext: {}\n    serviceAccount: default\n    serviceAccountName: default\n    terminationGracePeriodSeconds: 30\n    tolerations:\n    - effect: NoExecute\n      key: node.kubernetes.io/not-ready\n      operator: Exists\n      tolerationSeconds: 300\n    - effect: NoExecute\n      key: node.kubernetes.io/unreachable\n      operator: Exists\n      tolerationSeconds: 300\n    volumes:\n    - name: kube-api-access-x2x9q\n      projected:\n        defaultMode: 420\n        sources:\n        - serviceAccountToken:\n            expirationSeconds: 3607\n            path: token\n        - configMap:\n            items:\n            - key: ca.crt\n              path: ca.crt\n            name: kube-root-ca.crt\n");
    }
    let _ = write!(t, "    nodeName: {}\n    restartPolicy: {}\n  status:\n", x.node, if x.completed { "Never" } else { "Always" });
    if padding {
        for c in ["Initialized", "Ready", "ContainersReady", "PodScheduled"] {
            let _ = write!(t, "    - lastProbeTime: null\n      lastTransitionTime: \"{T0}\"\n      status: \"True\"\n      type: {c}\n");
        }
        // keep `conditions:` before its items
        let at = t.rfind("  status:\n").map(|i| i + 10).unwrap_or(t.len());
        t.insert_str(at, "    conditions:\n");
        let _ = write!(t, "    containerStatuses:\n    - containerID: containerd://{}\n      image: registry.example.com/app:1.4.2\n      imageID: registry.example.com/app@sha256:{}\n      lastState: {{}}\n      name: app\n      ready: true\n      restartCount: 0\n      started: true\n      state:\n        running:\n          startedAt: \"{T0}\"\n    hostIP: 172.18.0.4\n    hostIPs:\n    - ip: 172.18.0.4\n", x.container, x.container);
    }
    let _ = write!(t, "    phase: {}\n    podIP: {}\n    podIPs:\n    - ip: {}\n    qosClass: Burstable\n    startTime: \"{T0}\"\n", if x.completed { "Succeeded" } else { "Running" }, ip(x.pod_ip), ip(x.pod_ip));
}

fn render_endpoint(t: &mut String, x: &PodG, v1: bool, api: &str) {
    let sts = x.owner.0 == "StatefulSet";
    let _ = write!(t, "- apiVersion: {api}\n  kind: SpiderEndpoint\n  metadata:\n    creationTimestamp: \"{T0}\"\n    finalizers:\n    - spiderpool.spidernet.io\n    generation: 1\n    name: {}\n    namespace: {}\n", x.name, x.ns);
    if !sts {
        let _ = write!(t, "    ownerReferences:\n    - apiVersion: v1\n      blockOwnerDeletion: true\n      controller: true\n      kind: Pod\n      name: {}\n      uid: {}\n", x.name, x.ep_uid);
    }
    let gw = format!("{}.{}.{}.1", x.ep_ip[0], x.ep_ip[1], x.ep_ip[2]);
    t.push_str("    resourceVersion: \"48220\"\n  status:\n    current:\n");
    if v1 {
        let _ = write!(t, "      containerID: {}\n      creationTime: \"{T0}\"\n", x.container);
    }
    let _ = write!(t, "      ips:\n      - interface: eth0\n        ipv4: {}/24\n        ipv4Gateway: {gw}\n        ipv4Pool: {}\n        vlan: 0\n      node: {}\n", ip(x.ep_ip), x.ep_pool, x.node);
    if !v1 {
        let _ = writeln!(t, "      uid: {}", x.ep_uid);
    }
    let (kind, name) = if sts {
        ("StatefulSet", x.owner.1.clone())
    } else if v1 {
        ("ReplicaSet", x.owner.1.clone())
    } else {
        ("Deployment", x.owner.1.rsplit_once('-').map_or(x.owner.1.clone(), |(a, _)| a.to_string()))
    };
    let _ = write!(t, "    ownerControllerName: {name}\n    ownerControllerType: {kind}\n");
}
