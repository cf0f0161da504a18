//! Rules beyond the CRD: how Spiderpool really fills a SpiderEndpoint (upstream
//! `pkg/workloadendpointmanager/workloadendpoint_manager.go`; the rules are the SE3xx rows of the README's
//! rule table).
//! Each check looks only at values whose type is right; wrong types are the schema's findings.

use std::net::IpAddr;
use std::str::FromStr;

use ipnet::IpNet;

use crate::diagnostic::Finding;
use crate::release::ApiVersion;
use crate::rules::Rule;
use crate::yaml::{join_pointer, push_index, Entry, Node, Span};

/// An address an endpoint claims, for the duplicate-IP check across the input. Its pointer and the
/// interface's name are made only for a duplicate ([`Claim::path`]; `interfaces` of the semantic check).
#[derive(Debug, Clone)]
pub struct Claim {
    pub ip: IpAddr,
    pub span: Span,
    /// The index of its entry in `status.current.ips`.
    pub nic: usize,
}

impl Claim {
    /// Its JSON Pointer in the object at `base`.
    pub fn path(&self, base: &str) -> String {
        let mut path = join_pointer(base, &["status", "current", "ips"]);
        push_index(&mut path, self.nic);
        path.push_str(if self.ip.is_ipv4() { "/ipv4" } else { "/ipv6" });
        path
    }
}

pub struct Semantic<'c> {
    pub src: &'c str,
    pub api: ApiVersion,
    pub out: &'c mut Vec<Finding>,
    pub claims: Vec<Claim>,
    /// The interface of each entry of `status.current.ips` that claims an address, by entry index
    /// (`""` for the others), for the messages about duplicates.
    pub interfaces: Vec<Interface>,
}

/// The name of an interface as [`Semantic`] keeps it: the span of its text when that is the name as
/// written (no quotes or escapes; no copy made), else the name itself.
#[derive(Debug, Clone, Default)]
pub struct Interface {
    span: Span,
    owned: Option<String>,
}

impl Interface {
    fn of(src: &str, name: &str, span: Span) -> Interface {
        match src.get(span.start..span.end) {
            Some(t) if t == name => Interface { span, owned: None },
            _ => Interface { span, owned: Some(name.to_string()) },
        }
    }

    /// The name (`src`: the text the object was read from).
    pub fn name<'s>(&'s self, src: &'s str) -> &'s str {
        match &self.owned {
            Some(s) => s,
            None => src.get(self.span.start..self.span.end).unwrap_or(""),
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Family {
    V4,
    V6,
}

impl Family {
    fn of(ip: &IpAddr) -> Family {
        if ip.is_ipv4() {
            Family::V4
        } else {
            Family::V6
        }
    }
    fn name(self) -> &'static str {
        match self {
            Family::V4 => "IPv4",
            Family::V6 => "IPv6",
        }
    }
}

impl Semantic<'_> {
    /// `root` is the object; `base` its JSON Pointer (`""`, or `/items/3` inside a List).
    pub fn check(&mut self, root: &Node, base: &str, root_anchor: Span) {
        self.metadata(root, base, root_anchor);
        let Some(status_entry) = root.entry("status") else {
            self.out.push(Finding::new(
                Rule::MissingStatus,
                root_anchor,
                format!("{base}/status"),
                "no `status`: a SpiderEndpoint keeps its whole allocation in status, so this one records nothing",
            ));
            return;
        };
        let status = &status_entry.value;
        if let Some(t) = status.entry("ownerControllerType") {
            if self.api == ApiVersion::V2beta1 && t.value.as_str() == Some("None") {
                self.out.push(
                    Finding::new(
                        Rule::OwnerTypeNone,
                        t.value.span,
                        format!("{base}/status/ownerControllerType"),
                        "`ownerControllerType: None` is the v1 spelling; Spiderpool 0.4 and later write `Pod` for a Pod without a controller",
                    )
                    .with_safe_fix("Write `Pod`", vec![(t.value.span, super::edits::same_quotes(self.src, t.value.span, "Pod"))]),
                );
            }
        }
        if let Some(current) = status.entry("current") {
            self.allocation(current, &join_pointer(base, &["status", "current"]), true);
        }
        if let Some(history) = status.get("history").and_then(Node::as_seq) {
            for (i, h) in history.iter().enumerate() {
                if h.as_map().is_some() {
                    let mut path = join_pointer(base, &["status", "history"]);
                    push_index(&mut path, i);
                    self.allocation_node(h, h.span, &path, false);
                }
            }
        }
    }

    fn metadata(&mut self, root: &Node, base: &str, root_anchor: Span) {
        let meta = root.entry("metadata");
        let anchor = meta.map_or(root_anchor, |m| m.key_span);
        let meta_node = meta.map(|m| &m.value);
        match meta_node.and_then(|m| m.entry("name")) {
            Some(Entry { value: Node { value: crate::yaml::Value::Str(name), span }, .. }) => {
                if let Some(why) = dns1123_subdomain(name) {
                    self.out.push(Finding::new(
                        Rule::InvalidObjectName,
                        *span,
                        format!("{base}/metadata/name"),
                        format!("metadata.name \"{name}\" is not a valid object name: {why}"),
                    ));
                }
            }
            Some(_) => {} // wrong type: reported by the schema
            None => {
                if meta_node.and_then(|m| m.get("generateName")).is_none() {
                    self.out.push(Finding::new(
                        Rule::MissingName,
                        anchor,
                        format!("{base}/metadata/name"),
                        "metadata.name is missing; every object needs a name",
                    ));
                }
            }
        }
        // The API server validates finalizers as qualified names (`[prefix/]name`).
        for (i, f) in meta_node.and_then(|m| m.get("finalizers")).and_then(Node::as_seq).unwrap_or_default().iter().enumerate() {
            if let Some(why) = f.as_str().and_then(qualified_name) {
                let s = f.as_str().unwrap_or_default();
                self.out.push(Finding::new(
                    Rule::InvalidObjectName,
                    f.span,
                    format!("{base}/metadata/finalizers/{i}"),
                    format!("finalizer \"{s}\" is not a qualified name: {why}"),
                ));
            }
        }
        if let Some(ns) = meta_node.and_then(|m| m.get("namespace")) {
            if let Some(s) = ns.as_str() {
                if let Some(why) = dns1123_label(s) {
                    self.out.push(Finding::new(
                        Rule::InvalidObjectName,
                        ns.span,
                        format!("{base}/metadata/namespace"),
                        format!("metadata.namespace \"{s}\" is not a valid namespace: {why}"),
                    ));
                }
            }
        }
    }

    fn allocation(&mut self, entry: &Entry, path: &str, current: bool) {
        if entry.value.as_map().is_some() {
            self.allocation_node(&entry.value, entry.key_span, path, current);
        }
    }

    fn allocation_node(&mut self, alloc: &Node, _anchor: Span, path: &str, current: bool) {
        if self.api == ApiVersion::V2beta1 {
            if let Some(uid) = alloc.get("uid") {
                if let Some(s) = uid.as_str() {
                    if !is_uuid(s) {
                        self.out.push(Finding::new(
                            Rule::UidNotUuid,
                            uid.span,
                            format!("{path}/uid"),
                            format!("uid \"{s}\" is not a UUID; Spiderpool writes the Pod's UID here and compares it on every operation"),
                        ));
                    }
                }
            }
        }
        if let Some(node) = alloc.get("node") {
            if let Some(s) = node.as_str().filter(|s| !s.is_empty()) {
                self.resource_name(s, node.span, path, "node", "node");
            }
        }
        let Some(ips) = alloc.get("ips").and_then(Node::as_seq) else { return };
        let mut seen_ifaces: Vec<(&str, usize)> = Vec::new();
        for (i, nic) in ips.iter().enumerate() {
            if nic.as_map().is_none() {
                continue;
            }
            let mut nic_path = join_pointer(path, &["ips"]);
            push_index(&mut nic_path, i);
            let iface = nic.get("interface").and_then(Node::as_str).unwrap_or("");
            if let Some(node) = nic.get("interface") {
                if let Some(name) = node.as_str() {
                    if let Some(why) = interface_name(name) {
                        self.out.push(Finding::new(
                            Rule::InvalidInterfaceName,
                            node.span,
                            format!("{nic_path}/interface"),
                            format!("interface \"{name}\" is not a valid Linux interface name: {why}"),
                        ));
                    }
                    if !name.is_empty() {
                        if let Some((_, first)) = seen_ifaces.iter().find(|(n, _)| *n == name) {
                            self.out.push(Finding::new(
                                Rule::DuplicateInterface,
                                node.span,
                                format!("{nic_path}/interface"),
                                format!("interface \"{name}\" appears again (first at ips[{first}]); Spiderpool keeps one entry per NIC"),
                            ));
                        } else {
                            seen_ifaces.push((name, i));
                        }
                    }
                }
            }
            self.nic(nic, &nic_path, iface, i, current);
        }
    }

    fn nic(&mut self, nic: &Node, path: &str, iface: &str, index: usize, current: bool) {
        let mut subnets: Vec<IpNet> = Vec::new();
        for (family, addr_key, gw_key, pool_key) in
            [(Family::V4, "ipv4", "ipv4Gateway", "ipv4Pool"), (Family::V6, "ipv6", "ipv6Gateway", "ipv6Pool")]
        {
            let addr = nic.get(addr_key).and_then(|n| n.as_str().map(|s| (s, n.span)));
            let net = addr.and_then(|(s, span)| self.address(s, span, path, addr_key, family));
            if let Some(net) = net {
                subnets.push(net);
                if current {
                    self.claims.push(Claim { ip: net.addr(), span: addr.map(|a| a.1).unwrap_or_default(), nic: index });
                    if self.interfaces.len() <= index {
                        self.interfaces.resize(index + 1, Interface::default());
                    }
                    if let Some(node) = nic.get("interface").filter(|_| !iface.is_empty()) {
                        self.interfaces[index] = Interface::of(self.src, iface, node.span);
                    }
                }
            }
            if let Some((_, span)) = addr {
                match nic.get(pool_key) {
                    None => self.out.push(Finding::new(
                        Rule::MissingPool,
                        span,
                        format!("{path}/{pool_key}"),
                        format!("`{addr_key}` has no `{pool_key}`; Spiderpool writes the address together with the name of its SpiderIPPool"),
                    )),
                    Some(pool) => {
                        if let Some(p) = pool.as_str() {
                            self.resource_name(p, pool.span, path, pool_key, "SpiderIPPool");
                        }
                    }
                }
            }
            if let Some(gw) = nic.entry(gw_key) {
                if let Some(s) = gw.value.as_str() {
                    self.gateway(nic, gw, s, path, family, net);
                }
            }
        }
        if let Some(mac) = nic.get("mac") {
            if let Some(s) = mac.as_str() {
                if !is_mac(s) {
                    self.out.push(Finding::new(
                        Rule::InvalidMac,
                        mac.span,
                        format!("{path}/mac"),
                        format!("mac \"{s}\" is not in the form aa:bb:cc:dd:ee:ff"),
                    ));
                }
            }
        }
        if let Some(routes) = nic.get("routes").and_then(Node::as_seq) {
            for (i, route) in routes.iter().enumerate() {
                self.route(route, path, i, &subnets);
            }
        }
    }

    /// Checks an `ipv4`/`ipv6` value; returns its network when it is a valid address of the family.
    fn address(&mut self, s: &str, span: Span, base: &str, key: &str, family: Family) -> Option<IpNet> {
        let finding = |rule, msg: String| Finding::new(rule, span, format!("{base}/{key}"), msg);
        match parse_net(s) {
            Ok(net) => {
                if Family::of(&net.addr()) != family {
                    self.out.push(finding(
                        Rule::IpFamilyMismatch,
                        format!("`{key}` holds an {} address ({s}); it must be {}", Family::of(&net.addr()).name(), family.name()),
                    ));
                    return None;
                }
                Some(net)
            }
            Err(_) => match IpAddr::from_str(s) {
                Ok(ip) => {
                    let rule = if Family::of(&ip) == family { Rule::MissingPrefixLength } else { Rule::IpFamilyMismatch };
                    let msg = if rule == Rule::MissingPrefixLength {
                        format!("`{key}` \"{s}\" has no prefix length; Spiderpool writes the pool subnet's, e.g. {s}/{}", if family == Family::V4 { 24 } else { 64 })
                    } else {
                        format!("`{key}` holds an {} address ({s}); it must be {}", Family::of(&ip).name(), family.name())
                    };
                    self.out.push(finding(rule, msg));
                    None
                }
                Err(_) => {
                    self.out.push(finding(
                        Rule::InvalidIpAddress,
                        format!("`{key}` \"{s}\" is not an {} address with a prefix length (e.g. {})", family.name(), example(family)),
                    ));
                    None
                }
            },
        }
    }

    fn gateway(&mut self, nic: &Node, gw: &Entry, s: &str, base: &str, family: Family, net: Option<IpNet>) {
        let key = &gw.key;
        let path = || format!("{base}/{key}");
        let span = gw.value.span;
        if s.is_empty() {
            if self.api == ApiVersion::V2beta1 {
                let mut finding =
                    Finding::new(Rule::EmptyGateway, span, path(), format!("`{key}` is empty; Spiderpool omits the gateway when the pool has none"));
                if let Some(lines) = super::edits::entry_lines(self.src, nic, gw) {
                    finding = finding.with_fix(format!("Remove `{key}`"), vec![(lines, String::new())]);
                }
                self.out.push(finding);
            }
            return;
        }
        let (ip, fix) = match parse_addr(s) {
            Ok(ip) => (ip, None),
            Err(_) => match IpNet::from_str(s) {
                Ok(n) => (n.addr(), Some(n.addr().to_string())),
                Err(_) => {
                    self.out.push(Finding::new(
                        Rule::InvalidGateway,
                        span,
                        path(),
                        format!("`{key}` \"{s}\" is not an IP address"),
                    ));
                    return;
                }
            },
        };
        if Family::of(&ip) != family {
            self.out.push(Finding::new(
                Rule::IpFamilyMismatch,
                span,
                path(),
                format!("`{key}` holds an {} address ({s}); it must be {}", Family::of(&ip).name(), family.name()),
            ));
            return;
        }
        if let Some(bare) = fix {
            self.out.push(
                Finding::new(Rule::InvalidGateway, span, path(), format!("`{key}` \"{s}\" has a prefix length; gateways are bare IPs"))
                    .with_safe_fix(format!("Write `{bare}`"), vec![(span, super::edits::same_quotes(self.src, span, &bare))]),
            );
        }
        if let Some(net) = net {
            if ip == net.addr() {
                self.out.push(Finding::new(
                    Rule::InvalidGateway,
                    span,
                    path(),
                    format!("`{key}` {ip} is the endpoint's own address"),
                ));
            } else if !net.contains(&ip) {
                self.out.push(Finding::new(
                    Rule::InvalidGateway,
                    span,
                    path(),
                    format!("`{key}` {ip} is outside the address's subnet {}", net.trunc()),
                ));
            }
        }
    }

    fn route(&mut self, route: &Node, base: &str, index: usize, subnets: &[IpNet]) {
        let path = || format!("{base}/routes/{index}");
        let dst = route.get("dst").and_then(|n| n.as_str().map(|s| (s, n.span)));
        let gw = route.get("gw").and_then(|n| n.as_str().map(|s| (s, n.span)));
        let dst_net = dst.and_then(|(s, span)| match parse_net(s) {
            Ok(n) => Some(n),
            Err(_) => {
                self.out.push(Finding::new(
                    Rule::InvalidRoute,
                    span,
                    format!("{}/dst", path()),
                    format!("route dst \"{s}\" is not a CIDR (e.g. 10.6.0.0/16)"),
                ));
                None
            }
        });
        let gw_ip = gw.and_then(|(s, span)| match parse_addr(s) {
            Ok(ip) => Some((ip, span)),
            Err(_) => {
                self.out.push(Finding::new(
                    Rule::InvalidRoute,
                    span,
                    format!("{}/gw", path()),
                    format!("route gw \"{s}\" is not a bare IP address"),
                ));
                None
            }
        });
        let Some((ip, span)) = gw_ip else { return };
        if let Some(net) = dst_net {
            if Family::of(&ip) != Family::of(&net.addr()) {
                self.out.push(Finding::new(
                    Rule::InvalidRoute,
                    span,
                    format!("{}/gw", path()),
                    format!("route gw {ip} is {} but dst {net} is {}", Family::of(&ip).name(), Family::of(&net.addr()).name()),
                ));
                return;
            }
        }
        let same_family: Vec<&IpNet> = subnets.iter().filter(|n| Family::of(&n.addr()) == Family::of(&ip)).collect();
        if !same_family.is_empty() && !same_family.iter().any(|n| n.contains(&ip)) {
            self.out.push(Finding::new(
                Rule::RouteGatewayOutsideSubnet,
                span,
                format!("{}/gw", path()),
                format!("route gw {ip} is outside the interface's subnet {}", same_family[0].trunc()),
            ));
        }
    }

    fn resource_name(&mut self, s: &str, span: Span, base: &str, key: &str, what: &str) {
        if let Some(why) = dns1123_subdomain(s) {
            self.out.push(Finding::new(
                Rule::InvalidResourceName,
                span,
                format!("{base}/{key}"),
                format!("\"{s}\" cannot be a {what} name: {why}"),
            ));
        }
    }
}

/// `IpAddr::from_str`, with a fast path for the canonical spellings (std's parser and ipnet's took 5 %
/// of a `validate` of the bench corpus in wasm): dotted quads without leading zeros, and IPv6 of 1 to 4
/// hex digit groups with at most one `::` (no embedded IPv4). Both parsers accept those, with the same
/// value; anything else is left to them.
///
/// The page's first module (no `full` feature, built for size) leaves the fast paths out: same results.
fn parse_addr(s: &str) -> Result<IpAddr, std::net::AddrParseError> {
    match if FAST_ADDRESSES { fast_addr(s.as_bytes()) } else { None } {
        Some(ip) => Ok(ip),
        None => IpAddr::from_str(s),
    }
}

/// `IpNet::from_str`, with the fast path of [`parse_addr`] and a decimal prefix length.
fn parse_net(s: &str) -> Result<IpNet, ipnet::AddrParseError> {
    let b = s.as_bytes();
    let fast = memchr::memrchr(b'/', b).filter(|_| FAST_ADDRESSES).and_then(|slash| {
        let (addr, len) = (&b[..slash], &b[slash + 1..]);
        if len.is_empty() || len.len() > 3 || !len.iter().all(u8::is_ascii_digit) {
            return None;
        }
        let len = len.iter().fold(0u32, |v, d| v * 10 + (d - b'0') as u32);
        match fast_addr(addr)? {
            // ipnet reads at most 2 digits for IPv4
            IpAddr::V4(ip) if b.len() - slash <= 3 => ipnet::Ipv4Net::new(ip, u8::try_from(len).ok()?).ok().map(IpNet::V4),
            IpAddr::V6(ip) => ipnet::Ipv6Net::new(ip, u8::try_from(len).ok()?).ok().map(IpNet::V6),
            IpAddr::V4(_) => None,
        }
    });
    match fast {
        Some(net) => Ok(net),
        None => IpNet::from_str(s),
    }
}

const FAST_ADDRESSES: bool = cfg!(any(feature = "full", not(target_arch = "wasm32")));

fn fast_addr(b: &[u8]) -> Option<IpAddr> {
    if memchr::memchr(b':', b).is_some() {
        fast_v6(b).map(IpAddr::V6)
    } else {
        fast_v4(b).map(IpAddr::V4)
    }
}

fn fast_v4(b: &[u8]) -> Option<std::net::Ipv4Addr> {
    let mut octets = [0u8; 4];
    let mut i = 0;
    for (k, octet) in octets.iter_mut().enumerate() {
        if k > 0 {
            if b.get(i) != Some(&b'.') {
                return None;
            }
            i += 1;
        }
        let start = i;
        let mut v = 0u32;
        while i < b.len() && i - start < 3 && b[i].is_ascii_digit() {
            v = v * 10 + (b[i] - b'0') as u32;
            i += 1;
        }
        if i == start || v > 255 || (i - start > 1 && b[start] == b'0') {
            return None;
        }
        *octet = v as u8;
    }
    (i == b.len()).then_some(std::net::Ipv4Addr::from(octets))
}

fn fast_v6(b: &[u8]) -> Option<std::net::Ipv6Addr> {
    /// The groups of `part` (`a:b:c`) into `out`; their count.
    fn groups(part: &[u8], out: &mut [u16; 8]) -> Option<usize> {
        if part.is_empty() {
            return Some(0);
        }
        let mut n = 0;
        for g in part.split(|&c| c == b':') {
            if g.is_empty() || g.len() > 4 || n == 8 {
                return None;
            }
            out[n] = g.iter().try_fold(0u16, |v, &c| Some(v << 4 | (c as char).to_digit(16)? as u16))?;
            n += 1;
        }
        Some(n)
    }
    let mut head = [0u16; 8];
    match b.windows(2).position(|w| w == b"::") {
        None => (groups(b, &mut head)? == 8).then_some(head.into()),
        Some(at) => {
            let mut tail = [0u16; 8];
            let (h, t) = (groups(&b[..at], &mut head)?, groups(&b[at + 2..], &mut tail)?);
            if h + t > 7 {
                return None;
            }
            head[8 - t..].copy_from_slice(&tail[..t]);
            Some(head.into())
        }
    }
}

fn example(f: Family) -> &'static str {
    match f {
        Family::V4 => "172.31.199.193/20",
        Family::V6 => "fd00:172:100::201/64",
    }
}

/// Why a string is not a DNS-1123 subdomain (`None` when it is one).
pub fn dns1123_subdomain(s: &str) -> Option<String> {
    if s.is_empty() {
        return Some("it is empty".into());
    }
    if s.len() > 253 {
        return Some(format!("it is {} characters long, at most 253 are allowed", s.len()));
    }
    for label in s.split('.') {
        if let Some(why) = label_problem(label, "lower-case letters, digits, '-' and '.'") {
            return Some(why);
        }
    }
    None
}

/// Why a string is not a Kubernetes qualified name (`[DNS-1123 subdomain/]name`, the name at most
/// 63 characters of letters, digits, '-', '_' and '.', starting and ending alphanumeric).
pub fn qualified_name(s: &str) -> Option<String> {
    let (prefix, name) = match s.split_once('/') {
        Some((p, n)) => (Some(p), n),
        None => (None, s),
    };
    if let Some(why) = prefix.and_then(dns1123_subdomain) {
        return Some(format!("its prefix is not a DNS-1123 subdomain: {why}"));
    }
    if name.is_empty() || name.len() > 63 {
        return Some(format!("its name must be 1 to 63 characters long, not {}", name.len()));
    }
    if let Some(c) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))) {
        return Some(format!("'{c}' is not allowed (only letters, digits, '-', '_' and '.')"));
    }
    let alnum = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphanumeric());
    if !alnum(name.chars().next()) || !alnum(name.chars().last()) {
        return Some("its name must start and end with a letter or digit".into());
    }
    None
}

/// Why a string is not a DNS-1123 label (`None` when it is one).
pub fn dns1123_label(s: &str) -> Option<String> {
    if s.len() > 63 {
        return Some(format!("it is {} characters long, at most 63 are allowed", s.len()));
    }
    label_problem(s, "lower-case letters, digits and '-'")
}

fn label_problem(label: &str, allowed: &str) -> Option<String> {
    if label.is_empty() {
        return Some("it has an empty part (two dots, or a leading or trailing dot)".into());
    }
    let bad = label.bytes().position(|b| !(b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'));
    if let Some(c) = bad.and_then(|i| label[i..].chars().next()) {
        return Some(format!("'{c}' is not allowed (only {allowed})"));
    }
    if label.starts_with('-') || label.ends_with('-') {
        return Some("it must start and end with a letter or digit".into());
    }
    None
}

/// Why a string is not a valid Linux interface name (`""` is legal: a NIC not yet named).
pub fn interface_name(s: &str) -> Option<String> {
    if s.is_empty() {
        return None;
    }
    if s.len() > 15 {
        return Some(format!("it is {} bytes long, at most 15 are allowed", s.len()));
    }
    if s == "." || s == ".." {
        return Some("`.` and `..` are reserved".into());
    }
    if let Some(c) = s.chars().find(|c| *c == '/' || *c == ':' || c.is_whitespace()) {
        return Some(format!("'{}' is not allowed", c.escape_default()));
    }
    None
}

pub fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

pub fn is_mac(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 17
        && b.iter().enumerate().all(|(i, c)| if i % 3 == 2 { *c == b':' } else { c.is_ascii_hexdigit() })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fast paths accept only what std's and ipnet's parsers accept, with the same value.
    #[test]
    fn address_fast_paths_agree_with_the_parsers() {
        let mut cases: Vec<String> = [
            "10.6.1.120", "10.6.1.120/16", "0.0.0.0/0", "255.255.255.255/32", "1.2.3.4/33", "01.2.3.4", "1.2.3.04/8",
            "256.1.1.1", "1.2.3", "1.2.3.4.5", "1.2.3.4/", "1.2.3.4/08", "1.2.3.4/008", "fd00:10:6::26a/64", "fd00:10:6::1",
            "::", "::1", "1::", "::/0", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::8", "::1:2:3:4:5:6:7", "::1:2:3:4:5:6:7:8",
            "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", ":::", "1:::2", "1::2::3", ":1::2", "12345::1", "0db8::/128",
            "fd00::/129", "fd00::/0064", "::ffff:1.2.3.4", "1.2.3.4/8/8", "", "/", "abc",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        // and pseudo-random strings over the characters that matter
        let alphabet = b"0123456789af:./";
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let len = (x % 24) as usize;
            cases.push((0..len).map(|i| alphabet[((x >> (i * 2 % 60)) as usize ^ (i * 7)) % alphabet.len()] as char).collect());
        }
        // and near-valid ones: 3 to 5 numbers of 1 to 4 digits, 5 to 10 hex groups of 0 to 5 digits, prefixes of 0 to 4 digits
        let mut next = |n: u64| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x % n
        };
        for _ in 0..100_000 {
            let mut s = String::new();
            if next(2) == 0 {
                for k in 0..3 + next(3) {
                    if k > 0 {
                        s.push('.');
                    }
                    for _ in 0..1 + next(4) {
                        let range = if next(3) == 0 { 3 } else { 10 };
                        s.push((b'0' + next(range) as u8) as char);
                    }
                }
            } else {
                for k in 0..5 + next(6) {
                    if k > 0 {
                        s.push(':');
                    }
                    for _ in 0..next(6) {
                        s.push(b"0123456789abcdef"[next(16) as usize] as char);
                    }
                }
            }
            if next(2) == 0 {
                s.push('/');
                for _ in 0..next(5) {
                    s.push((b'0' + next(10) as u8) as char);
                }
            }
            cases.push(s);
        }
        let accepted = cases.iter().filter(|s| fast_addr(s.as_bytes()).is_some()).count();
        assert!(accepted > 1_000, "the fast path is exercised ({accepted})");
        for s in &cases {
            assert_eq!(parse_addr(s).ok(), IpAddr::from_str(s).ok(), "address {s:?}");
            assert_eq!(parse_net(s).ok(), IpNet::from_str(s).ok(), "network {s:?}");
        }
        assert!(fast_addr(b"fd00:10:6::26a").is_some() && fast_addr(b"10.6.1.120").is_some());
    }

    #[test]
    fn names() {
        assert_eq!(dns1123_subdomain("test-app-1-9dc78fb9-rs99d"), None);
        assert_eq!(qualified_name("spiderpool.spidernet.io"), None);
        assert_eq!(qualified_name("spiderpool.spidernet.io/ippool"), None);
        assert!(qualified_name("_1").is_some());
        assert!(qualified_name("a/").is_some());
        assert!(qualified_name("Bad_Prefix/x").is_some());
        assert!(dns1123_subdomain("Test").is_some());
        assert!(dns1123_subdomain("a..b").is_some());
        assert_eq!(dns1123_label("kube-system"), None);
        assert!(dns1123_label("a.b").is_some());
        assert_eq!(interface_name(""), None);
        assert_eq!(interface_name("eth0"), None);
        assert!(interface_name("a-very-long-interface").is_some());
        assert!(interface_name("eth 0").is_some());
        assert!(is_uuid("e7b50a38-25c2-41d0-b332-7f619c69194e"));
        assert!(!is_uuid("pod-uid-123"));
        assert!(is_mac("aa:bb:cc:dd:ee:ff"));
        assert!(!is_mac("aa-bb-cc-dd-ee-ff"));
    }
}
