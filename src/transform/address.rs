//! Canonical text of an IP address, with or without a `/prefix`: IPv6 per RFC 5952 (lower case,
//! longest zero run compressed — what `std::net::Ipv6Addr` prints), IPv4 without leading zeros.
//! Text that is not an address is left alone (validation reports it).

use std::net::Ipv6Addr;

/// The canonical form of `text`, or `None` when it is not an address (or already canonical is
/// not known: the caller compares).
pub fn canonical(text: &str) -> Option<String> {
    let (addr, prefix) = match text.split_once('/') {
        Some((a, p)) => (a, Some(p)),
        None => (text, None),
    };
    let (addr, max) = if addr.contains(':') {
        (addr.parse::<Ipv6Addr>().ok()?.to_string(), 128)
    } else {
        (ipv4(addr)?, 32)
    };
    match prefix {
        None => Some(addr),
        Some(p) => {
            if p.is_empty() || p.len() > 5 || !p.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            let n: u32 = p.parse().ok()?;
            (n <= max).then(|| format!("{addr}/{n}"))
        }
    }
}

/// Dotted-quad IPv4 with decimal octets (leading zeros allowed on input, removed on output).
fn ipv4(s: &str) -> Option<String> {
    let parts: Vec<&str> = s.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    let mut out = Vec::with_capacity(4);
    for p in parts {
        if p.is_empty() || p.len() > 3 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n: u16 = p.parse().ok()?;
        if n > 255 {
            return None;
        }
        out.push(n.to_string());
    }
    Some(out.join("."))
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical("FD00:10:244:0:0:0:0:10/64").as_deref(), Some("fd00:10:244::10/64"));
        assert_eq!(canonical("2001:db8:0:0:1:0:0:1").as_deref(), Some("2001:db8::1:0:0:1"));
        assert_eq!(canonical("2001:0db8::0001").as_deref(), Some("2001:db8::1"));
        assert_eq!(canonical("::ffff:10.0.0.1").as_deref(), Some("::ffff:10.0.0.1"));
        assert_eq!(canonical("010.001.000.009/016").as_deref(), Some("10.1.0.9/16"));
        assert_eq!(canonical("172.18.40.47/16").as_deref(), Some("172.18.40.47/16"));
        assert_eq!(canonical("10.0.0.256"), None);
        assert_eq!(canonical("10.0.0.1/33"), None);
        assert_eq!(canonical("fe80::1%eth0"), None);
        assert_eq!(canonical(" 10.0.0.1"), None);
        assert_eq!(canonical(""), None);
    }
}
