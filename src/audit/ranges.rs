//! IP addresses as integers, `ips`/`excludeIPs` items (`a` or `a-b`), and merged interval sets.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// An address as (family, integer): IPv4 in the low 32 bits. Hashable key of every index.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Ip {
    pub v6: bool,
    pub n: u128,
}

impl Ip {
    pub fn of(ip: IpAddr) -> Ip {
        match ip {
            IpAddr::V4(a) => Ip { v6: false, n: u32::from(a) as u128 },
            IpAddr::V6(a) => Ip { v6: true, n: u128::from(a) },
        }
    }
    pub fn addr(self) -> IpAddr {
        if self.v6 {
            IpAddr::V6(Ipv6Addr::from(self.n))
        } else {
            IpAddr::V4(Ipv4Addr::from(self.n as u32))
        }
    }
    pub fn family(self) -> u8 {
        if self.v6 {
            6
        } else {
            4
        }
    }
}

impl std::fmt::Display for Ip {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.addr())
    }
}

/// A bare address (no prefix), as Go's `net.ParseIP` accepts it (no zone, no brackets).
pub fn parse_ip(s: &str) -> Option<Ip> {
    s.parse::<IpAddr>().ok().map(Ip::of)
}

/// Go's `net.IP.String()`: dotted IPv4, RFC 5952 IPv6 (what Rust prints too), except that an
/// IPv4-mapped IPv6 address prints as IPv4.
pub fn canonical(ip: Ip) -> String {
    match dotted(ip) {
        Some(n) => v4_text(n, &mut [0; 15]).to_string(),
        None => Ipv6Addr::from(ip.n).to_string(),
    }
}

/// Whether `text` is [`canonical`] of `ip`; IPv4 without formatting machinery or an allocation (every
/// record key of every pool is checked).
pub fn is_canonical(ip: Ip, text: &str) -> bool {
    match dotted(ip) {
        Some(n) => v4_text(n, &mut [0; 15]) == text,
        None => canonical(ip) == text,
    }
}

/// The IPv4 address Go prints for `ip`: an IPv4 one or an IPv4-mapped IPv6 one.
fn dotted(ip: Ip) -> Option<u32> {
    if ip.v6 {
        Ipv6Addr::from(ip.n).to_ipv4_mapped().map(u32::from)
    } else {
        Some(ip.n as u32)
    }
}

/// Dotted decimal of `n`, written into `buf`.
fn v4_text(n: u32, buf: &mut [u8; 15]) -> &str {
    let mut len = 0;
    for (k, octet) in n.to_be_bytes().into_iter().enumerate() {
        if k > 0 {
            buf[len] = b'.';
            len += 1;
        }
        if octet >= 100 {
            buf[len] = b'0' + octet / 100;
            len += 1;
        }
        if octet >= 10 {
            buf[len] = b'0' + octet / 10 % 10;
            len += 1;
        }
        buf[len] = b'0' + octet % 10;
        len += 1;
    }
    std::str::from_utf8(&buf[..len]).expect("ASCII digits and dots")
}

/// An inclusive range of one family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Range {
    pub v6: bool,
    pub start: u128,
    pub end: u128,
}

/// One `ips` item: `10.6.0.2` or `10.6.0.2-10.6.0.10` (no spaces, no CIDR, start <= end).
pub fn parse_item(s: &str) -> Result<Range, String> {
    if s.contains('/') {
        return Err(format!("`{s}` is CIDR notation; an item is an address or a range `start-end`"));
    }
    let (a, b) = match s.split_once('-') {
        Some((a, b)) => (a, b),
        None => (s, s),
    };
    let a = parse_ip(a).ok_or_else(|| format!("`{s}` is not an address or a range `start-end`"))?;
    let b = parse_ip(b).ok_or_else(|| format!("`{s}` is not an address or a range `start-end`"))?;
    if a.v6 != b.v6 {
        return Err(format!("`{s}` mixes IPv4 and IPv6"));
    }
    if a.n > b.n {
        return Err(format!("`{s}`: the start is after the end"));
    }
    Ok(Range { v6: a.v6, start: a.n, end: b.n })
}

/// A sorted set of disjoint, non-adjacent intervals of one family.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Set {
    pub ivs: Vec<(u128, u128)>,
}

impl Set {
    pub fn from_ranges<'r>(ranges: impl IntoIterator<Item = &'r Range>) -> Set {
        let mut ivs: Vec<(u128, u128)> = ranges.into_iter().map(|r| (r.start, r.end)).collect();
        ivs.sort_unstable();
        let mut out: Vec<(u128, u128)> = Vec::with_capacity(ivs.len());
        for (s, e) in ivs {
            match out.last_mut() {
                Some(last) if s <= last.1.saturating_add(1) => last.1 = last.1.max(e),
                _ => out.push((s, e)),
            }
        }
        Set { ivs: out }
    }

    pub fn subtract(&self, other: &Set) -> Set {
        let mut out = Vec::new();
        let mut j = 0;
        for &(s, e) in &self.ivs {
            let mut cur = s;
            while j < other.ivs.len() && other.ivs[j].1 < cur {
                j += 1;
            }
            let mut k = j;
            let mut done = false;
            while k < other.ivs.len() && other.ivs[k].0 <= e {
                let (os, oe) = other.ivs[k];
                if os > cur {
                    out.push((cur, os - 1));
                }
                if oe >= e {
                    done = true;
                    break;
                }
                cur = oe + 1;
                k += 1;
            }
            if !done {
                out.push((cur, e));
            }
        }
        Set { ivs: out }
    }

    pub fn intersect(&self, other: &Set) -> Set {
        let (mut i, mut j) = (0, 0);
        let mut out = Vec::new();
        while i < self.ivs.len() && j < other.ivs.len() {
            let (a, b) = self.ivs[i];
            let (c, d) = other.ivs[j];
            let s = a.max(c);
            let e = b.min(d);
            if s <= e {
                out.push((s, e));
            }
            if b < d {
                i += 1;
            } else {
                j += 1;
            }
        }
        Set { ivs: out }
    }

    /// Number of addresses (saturating).
    pub fn count(&self) -> u128 {
        self.ivs.iter().fold(0u128, |acc, (s, e)| acc.saturating_add(e - s).saturating_add(1))
    }

    pub fn contains(&self, n: u128) -> bool {
        let i = self.ivs.partition_point(|iv| iv.1 < n);
        self.ivs.get(i).is_some_and(|iv| iv.0 <= n)
    }

    pub fn is_empty(&self) -> bool {
        self.ivs.is_empty()
    }

    /// The merged form the mutating webhook writes: `a` or `a-b` per interval.
    pub fn render(&self, v6: bool) -> Vec<String> {
        let ip = |n: u128| canonical(Ip { v6, n });
        self.ivs.iter().map(|&(s, e)| if s == e { ip(s) } else { format!("{}-{}", ip(s), ip(e)) }).collect()
    }

    /// First address in both sets.
    pub fn first_common(&self, other: &Set) -> Option<u128> {
        self.intersect(other).ivs.first().map(|iv| iv.0)
    }
}

/// The range of a CIDR's addresses.
pub fn net_range(net: &ipnet::IpNet) -> (bool, u128, u128) {
    match net {
        ipnet::IpNet::V4(n) => (false, u32::from(n.network()) as u128, u32::from(n.broadcast()) as u128),
        ipnet::IpNet::V6(n) => (true, u128::from(n.network()), u128::from(n.broadcast())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(items: &[&str]) -> Set {
        let r: Vec<Range> = items.iter().map(|s| parse_item(s).unwrap()).collect();
        Set::from_ranges(&r)
    }

    #[test]
    fn sets_merge_subtract_and_count() {
        let a = set(&["10.0.0.5", "10.0.0.1-10.0.0.3", "10.0.0.4"]);
        assert_eq!(a.render(false), ["10.0.0.1-10.0.0.5"]);
        let b = a.subtract(&set(&["10.0.0.2", "10.0.0.5-10.0.0.9"]));
        assert_eq!(b.render(false), ["10.0.0.1", "10.0.0.3-10.0.0.4"]);
        assert_eq!(b.count(), 3);
        assert!(b.contains(parse_ip("10.0.0.4").unwrap().n));
        assert!(!b.contains(parse_ip("10.0.0.2").unwrap().n));
        assert_eq!(set(&["fd00::1-fd00::ff"]).count(), 255);
        assert!(parse_item("10.0.0.0/24").is_err());
        assert!(parse_item("10.0.0.9-10.0.0.1").is_err());
        assert!(parse_item("10.0.0.1-fd00::1").is_err());
        assert_eq!(set(&["10.0.0.1-10.0.0.9"]).first_common(&set(&["10.0.0.7-10.0.1.0"])), Some(parse_ip("10.0.0.7").unwrap().n));
    }

    #[test]
    fn canonical_forms_match_the_standard_library() {
        for n in [0u32, 1, 9, 10, 99, 100, 255, 0x0a00_0001, 0x0a64_0a09, 0xc0a8_6401, u32::MAX] {
            let want = std::net::Ipv4Addr::from(n).to_string();
            let ip = Ip { v6: false, n: n as u128 };
            assert_eq!(canonical(ip), want);
            assert!(is_canonical(ip, &want));
            assert!(!is_canonical(ip, &format!("{want}.")));
        }
        let mapped = parse_ip("::ffff:10.1.2.3").unwrap();
        assert_eq!(canonical(mapped), "10.1.2.3");
        assert!(is_canonical(mapped, "10.1.2.3") && !is_canonical(mapped, "::ffff:10.1.2.3"));
        let v6 = parse_ip("FD00:0:0::1").unwrap();
        assert_eq!(canonical(v6), "fd00::1");
        assert!(is_canonical(v6, "fd00::1") && !is_canonical(v6, "FD00:0:0::1"));
    }
}
