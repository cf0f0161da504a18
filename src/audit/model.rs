//! What the audit keeps of each object: only the fields the checks need, with absolute byte spans
//! (into the object's file) and JSON Pointers (from the YAML document root).

use ipnet::IpNet;

use super::ranges::{Ip, Set};
use crate::diagnostic::Finding;
use crate::release::ApiVersion;
use crate::yaml::Span;

/// A place in one object: absolute span in its file and JSON Pointer inside the object (a report
/// puts the object's own pointer, [`Obj::base`], before it: [`Ptr::after`]).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct At {
    pub span: Span,
    pub path: Ptr,
}

/// A JSON Pointer inside one object, kept in parts and written out only for a finding: the objects
/// of an export hold hundreds of thousands of places and a report names few of them.
#[derive(Debug, Clone, PartialEq)]
pub enum Ptr {
    /// A fixed path (`/status/current/uid`).
    Fixed(&'static str),
    /// A field of an array element: `{dir}/{index}/{leaf}`.
    Elem(&'static str, usize, &'static str),
    /// Any other path.
    Text(String),
}

impl Ptr {
    /// `base` followed by this pointer.
    pub fn after(&self, base: &str) -> String {
        let mut out = String::with_capacity(base.len() + 40);
        out.push_str(base);
        match self {
            Ptr::Fixed(p) => out.push_str(p),
            Ptr::Elem(dir, index, leaf) => {
                out.push_str(dir);
                crate::yaml::push_index(&mut out, *index);
                out.push('/');
                out.push_str(leaf);
            }
            Ptr::Text(p) => out.push_str(p),
        }
        out
    }
}

impl Default for Ptr {
    fn default() -> Self {
        Ptr::Fixed("")
    }
}

impl From<&'static str> for Ptr {
    fn from(p: &'static str) -> Self {
        Ptr::Fixed(p)
    }
}

/// The pointers the readers format (`&format!(..)`, a record's key).
impl From<&String> for Ptr {
    fn from(p: &String) -> Self {
        Ptr::Text(p.clone())
    }
}

/// The other end of a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct Rel {
    /// Global object index (gives the file).
    pub obj: usize,
    pub at: At,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AFinding {
    pub f: Finding,
    pub related: Vec<Rel>,
}

/// One object of the input (a document or a List item).
#[derive(Debug, Clone)]
pub struct Obj {
    pub file: usize,
    pub doc: usize,
    pub item: Option<usize>,
    /// JSON Pointer of the object in its document, kept only when `item` does not give it (a List
    /// nested in a List item): see [`Obj::pointer`].
    pub base: Option<Box<str>>,
    pub span: Span,
    pub api: Option<String>,
    pub kind: Option<String>,
    pub namespace: Option<String>,
    pub name: Option<String>,
    /// Checked (a kind the audit reads) or skipped.
    pub checked: bool,
    pub findings: Vec<AFinding>,
}

/// `/items/{item}`, the pointer of a List item (built without `format!`'s machinery: one per object).
pub fn item_pointer(item: usize) -> String {
    let mut p = String::with_capacity(16);
    p.push_str("/items");
    crate::yaml::push_index(&mut p, item);
    p
}

impl Obj {
    /// The object's JSON Pointer in its document: `/items/{item}` for a List item, `` for a document.
    pub fn pointer(&self) -> String {
        match (&self.base, self.item) {
            (Some(b), _) => b.to_string(),
            (None, Some(i)) => item_pointer(i),
            (None, None) => String::new(),
        }
    }

    /// Whether `pointer` gives `base` without keeping it.
    pub fn derives(base: &str, item: Option<usize>) -> bool {
        match item {
            None => base.is_empty(),
            Some(i) => base.strip_prefix("/items/").is_some_and(|n| n.bytes().all(|b| b.is_ascii_digit()) && (n == "0" || !n.starts_with('0')) && n.parse() == Ok(i)),
        }
    }
}

/// Which record shape a pool's `allocatedIPs` has (§2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// v1 YAML map with containerID, namespace, pod, ...
    V1Map,
    /// v2beta1 JSON with `interface` (v0.4.0 – v0.8.1).
    JsonInterface,
    /// v2beta1 JSON `{pod, podUid}` (v0.8.2+).
    Json,
    /// The untagged March-2023 shape `{interface, namespace, pod, uid}`.
    JsonDev,
}

/// One record of a pool's `allocatedIPs`. Its texts share one allocation and its places are spans
/// (their pointers are the pool's, see [`Pool::key_at`]): a pool holds thousands of records.
#[derive(Debug, Clone)]
pub struct Record {
    pub ip: Ip,
    /// The key as written, the Pod's namespace and name, then the optional texts ([`Opt`]), one
    /// after the other.
    text: Box<str>,
    /// Where each text of `text` ends.
    ends: [u32; 3 + Opt::COUNT],
    /// Which optional texts are present (bit per [`Opt`]).
    present: u8,
    /// Absolute spans of the key, of the `pod` entry, of the UID (JSON shapes).
    pub key_span: Span,
    pub pod_span: Span,
    pub uid_span: Span,
}

/// The optional texts of a [`Record`].
#[derive(Debug, Clone, Copy)]
pub enum Opt {
    Uid,
    Interface,
    /// v1 only.
    ContainerId,
    /// v1 only.
    OwnerType,
}

impl Opt {
    const COUNT: usize = 4;
}

impl Record {
    /// `opts` in the order of [`Opt`].
    pub fn new(ip: Ip, key: &str, ns: &str, pod: &str, opts: [Option<&str>; Opt::COUNT], spans: [Span; 3]) -> Record {
        let fields = [Some(key), Some(ns), Some(pod)].into_iter().chain(opts);
        let mut text = String::with_capacity(key.len() + ns.len() + pod.len() + opts.iter().flatten().map(|t| t.len()).sum::<usize>());
        let mut ends = [0u32; 3 + Opt::COUNT];
        let mut present = 0u8;
        for (i, f) in fields.enumerate() {
            if let Some(f) = f {
                text.push_str(f);
                if i >= 3 {
                    present |= 1 << (i - 3);
                }
            }
            // The audit refuses inputs above its byte budget, far below 4 GiB.
            ends[i] = u32::try_from(text.len()).expect("a record below 4 GiB");
        }
        let [key_span, pod_span, uid_span] = spans;
        Record { ip, text: text.into_boxed_str(), ends, present, key_span, pod_span, uid_span }
    }
    fn field(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        &self.text[start..self.ends[i] as usize]
    }
    /// The key as written.
    pub fn key(&self) -> &str {
        self.field(0)
    }
    pub fn ns(&self) -> &str {
        self.field(1)
    }
    pub fn pod(&self) -> &str {
        self.field(2)
    }
    pub fn opt(&self, o: Opt) -> Option<&str> {
        (self.present & 1 << o as u8 != 0).then(|| self.field(3 + o as usize))
    }
    pub fn uid(&self) -> Option<&str> {
        self.opt(Opt::Uid)
    }
    pub fn interface(&self) -> Option<&str> {
        self.opt(Opt::Interface)
    }
    pub fn container_id(&self) -> Option<&str> {
        self.opt(Opt::ContainerId)
    }
    pub fn owner_type(&self) -> Option<&str> {
        self.opt(Opt::OwnerType)
    }
}

#[derive(Debug, Clone)]
pub struct Pool {
    pub obj: usize,
    pub name: String,
    pub name_at: At,
    pub api: ApiVersion,
    pub v6: Option<bool>,
    pub subnet: Option<IpNet>,
    pub subnet_text: String,
    pub subnet_at: At,
    /// `ips − excludeIPs` when both parse.
    pub total: Option<Set>,
    pub ips_at: At,
    pub gateway: Option<Ip>,
    pub gateway_at: At,
    /// Label `ipam.spidernet.io/owner-spider-subnet`.
    pub owner_subnet: Option<String>,
    /// The controller ownerReference of kind SpiderSubnet (what the IPPool webhook follows).
    pub owner_ref_subnet: Option<String>,
    /// Auto-created by the SpiderSubnet feature (label `ipam.spidernet.io/owner-application-name`,
    /// before 0.5.0 `ipam.spidernet.io/owner-application`).
    pub auto: bool,
    pub terminating: bool,
    pub finalizer: bool,
    pub meta_at: At,
    pub alloc_count: Option<i64>,
    pub alloc_count_at: At,
    /// The value of `allocatedIPCount` / `totalIPCount` (for the fixes).
    pub alloc_count_value: Option<Span>,
    pub total_count: Option<i64>,
    pub total_count_at: At,
    pub total_count_value: Option<Span>,
    /// `spec.default: true` (v2beta1).
    pub default: bool,
    pub records: Vec<Record>,
    /// `status.allocatedIPs` (key) or `status` or the object.
    pub records_at: At,
    /// `allocatedIPs` present and readable (P1 passed at least partly).
    pub records_read: bool,
    pub shape: Option<Shape>,
}

impl Pool {
    /// The place of a record's key: a v1 record is a YAML entry with a pointer of its own; a JSON
    /// record points at `allocatedIPs`.
    pub fn key_at(&self, r: &Record) -> At {
        At { span: r.key_span, path: self.record_path(r, "") }
    }
    /// The place of a record's `pod`.
    pub fn pod_at(&self, r: &Record) -> At {
        At { span: r.pod_span, path: self.record_path(r, "/pod") }
    }
    /// The place of a record's UID (none in v1 records).
    pub fn uid_at(&self, r: &Record) -> At {
        if self.shape == Some(Shape::V1Map) {
            return At::default();
        }
        At { span: r.uid_span, path: self.records_at.path.clone() }
    }
    /// A v1 record's own pointer (its key, then `leaf`), else `allocatedIPs`'.
    fn record_path(&self, r: &Record, leaf: &str) -> Ptr {
        if self.shape != Some(Shape::V1Map) {
            return self.records_at.path.clone();
        }
        let mut path = self.records_at.path.after("");
        path.push('/');
        path.push_str(&crate::yaml::escape_pointer(r.key()));
        path.push_str(leaf);
        Ptr::Text(path)
    }
}

#[derive(Debug, Clone)]
pub struct EpAddr {
    pub interface: String,
    pub ip: Ip,
    pub prefix: Option<u8>,
    pub at: At,
    pub pool: Option<String>,
    pub pool_at: At,
    pub gateway: Option<Ip>,
    pub gateway_at: At,
}

#[derive(Debug, Clone)]
pub struct Endpoint {
    pub obj: usize,
    pub ns: String,
    pub name: String,
    pub name_at: At,
    pub api: ApiVersion,
    pub uid: Option<String>,
    pub uid_at: At,
    pub container_id: Option<String>,
    pub owner_type: Option<String>,
    pub owner_type_at: At,
    /// ownerReferences of kind Pod: (uid, place).
    pub pod_owners: Vec<(String, At)>,
    pub terminating: bool,
    pub finalizer: bool,
    pub current_at: At,
    pub addrs: Vec<EpAddr>,
}

impl Endpoint {
    pub fn is_static(&self) -> bool {
        matches!(self.owner_type.as_deref(), Some("StatefulSet") | Some("VirtualMachineInstance"))
    }
}

#[derive(Debug, Clone)]
pub struct Pod {
    pub obj: usize,
    pub ns: String,
    pub name: String,
    pub name_at: At,
    pub uid: Option<String>,
    pub uid_at: At,
    /// Controller ownerReference: (kind, name).
    pub controller: Option<(String, String)>,
    /// Spiderpool annotations `ipam.spidernet.io/ippool(s)` / `subnet(s)`.
    pub served: bool,
    pub migration: bool,
    pub ips: Vec<(Ip, At)>,
    /// Addresses of the `k8s.v1.cni.cncf.io/network-status` annotation.
    pub net_ips: Vec<Ip>,
    pub phase: Option<String>,
    pub restart_always: bool,
    pub deletion: Option<i64>,
    pub grace: Option<i64>,
    pub host_network: bool,
    pub evicted: bool,
}

impl Pod {
    /// `IsPodAlive` of upstream: not terminating, not completed (unless restartPolicy Always), not evicted.
    pub fn alive(&self) -> bool {
        if self.deletion.is_some() || self.evicted {
            return false;
        }
        match self.phase.as_deref() {
            Some("Succeeded") | Some("Failed") => self.restart_always,
            _ => true,
        }
    }
    pub fn is_static(&self) -> bool {
        matches!(self.controller.as_ref().map(|c| c.0.as_str()), Some("StatefulSet") | Some("VirtualMachineInstance"))
    }
    pub fn has_ip(&self, ip: Ip) -> bool {
        self.ips.iter().any(|(i, _)| *i == ip) || self.net_ips.contains(&ip)
    }
}

#[derive(Debug, Clone)]
pub struct SubnetEntry {
    pub pool: String,
    pub at: At,
    pub set: Set,
    pub v6: bool,
    pub application: Option<String>,
}

#[derive(Debug, Clone)]
pub struct Subnet {
    pub obj: usize,
    pub name: String,
    pub name_at: At,
    pub v6: Option<bool>,
    pub subnet: Option<IpNet>,
    pub subnet_at: At,
    pub total: Option<Set>,
    pub ips_at: At,
    pub entries: Vec<SubnetEntry>,
    pub entries_at: At,
    pub alloc_count: Option<i64>,
    pub alloc_count_at: At,
    pub total_count: Option<i64>,
    pub total_count_at: At,
    pub entries_read: bool,
}

#[derive(Debug, Clone)]
pub struct Reserved {
    pub obj: usize,
    pub name: String,
    pub v6: Option<bool>,
    pub set: Set,
    pub ips_at: At,
    pub terminating: bool,
}

/// Everything read from the input.
#[derive(Debug, Default)]
pub struct Store {
    pub objs: Vec<Obj>,
    pub pools: Vec<Pool>,
    pub endpoints: Vec<Endpoint>,
    pub pods: Vec<Pod>,
    pub subnets: Vec<Subnet>,
    pub reserved: Vec<Reserved>,
    /// File-level findings per file.
    pub file_findings: Vec<Vec<AFinding>>,
    /// Per file, what its split saw.
    pub scans: Vec<FileScan>,
    /// The newest timestamp seen (seconds since the epoch): the export's reference time.
    pub newest: Option<i64>,
}

/// What the split of a file saw: its lines (to resolve positions without a line table) and the
/// suppression marks.
#[derive(Debug, Default)]
pub struct FileScan {
    /// Where each piece starts and its 0-based line.
    pub anchors: Vec<(usize, usize)>,
    /// The file is ASCII without CRs (`false`: not known).
    pub ascii_lf: bool,
    /// Where the suppression mark occurs (`suppress::candidates`).
    pub marks: Vec<usize>,
}

/// How much a [`Store`] held, to undo what was read after it.
pub struct Mark {
    objs: usize,
    pools: usize,
    endpoints: usize,
    pods: usize,
    subnets: usize,
    reserved: usize,
    file_findings: usize,
    file: usize,
    newest: Option<i64>,
}

impl Store {
    pub fn mark(&self, file: usize) -> Mark {
        Mark {
            objs: self.objs.len(),
            pools: self.pools.len(),
            endpoints: self.endpoints.len(),
            pods: self.pods.len(),
            subnets: self.subnets.len(),
            reserved: self.reserved.len(),
            file_findings: self.file_findings.get(file).map_or(0, Vec::len),
            file,
            newest: self.newest,
        }
    }

    /// Drops everything read since `m` was taken.
    pub fn undo(&mut self, m: &Mark) {
        self.objs.truncate(m.objs);
        self.pools.truncate(m.pools);
        self.endpoints.truncate(m.endpoints);
        self.pods.truncate(m.pods);
        self.subnets.truncate(m.subnets);
        self.reserved.truncate(m.reserved);
        if let Some(fs) = self.file_findings.get_mut(m.file) {
            fs.truncate(m.file_findings);
        }
        self.newest = m.newest;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_are_written_after_the_object_base() {
        assert_eq!(Ptr::from("/status/current/uid").after("/items/7"), "/items/7/status/current/uid");
        assert_eq!(Ptr::Elem("/status/current/ips", 12, "ipv4Pool").after("/items/0"), "/items/0/status/current/ips/12/ipv4Pool");
        assert_eq!(Ptr::from(&"/status/allocatedIPs/10.0.0.1~1".to_string()).after(""), "/status/allocatedIPs/10.0.0.1~1");
        assert_eq!(Ptr::default().after("/items/3"), "/items/3");
    }
}
