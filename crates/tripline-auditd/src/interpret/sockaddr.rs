//! `saddr=` (hex `struct sockaddr`) → `{ saddr_fam=inet laddr=… lport=… }` as ausearch
//! prints it.

use super::escape::tty_escape;
use std::net::{Ipv4Addr, Ipv6Addr};

/// Address family names (`AF_*`, lower case, without the prefix) by number; `None` = unnamed.
pub fn family_name(family: u16) -> Option<&'static str> {
    const NAMES: [&str; 45] = [
        "",
        "local",
        "inet",
        "ax25",
        "ipx",
        "appletalk",
        "netrom",
        "bridge",
        "atmpvc",
        "x25",
        "inet6",
        "rose",
        "decnet",
        "netbeui",
        "security",
        "key",
        "netlink",
        "packet",
        "ash",
        "econet",
        "atmsvc",
        "rds",
        "sna",
        "irda",
        "pppox",
        "wanpipe",
        "llc",
        "",
        "",
        "can",
        "tipc",
        "bluetooth",
        "iucv",
        "rxrpc",
        "isdn",
        "phonet",
        "ieee802154",
        "caif",
        "alg",
        "nfc",
        "vsock",
        "kcm",
        "qipcrtr",
        "smc",
        "xdp",
    ];
    NAMES
        .get(usize::from(family))
        .copied()
        .filter(|n| !n.is_empty())
}

/// Formats an IPv6 address like glibc's `inet_ntop` (IPv4-compatible `::a.b.c.d` included).
pub fn format_ipv6(bytes: [u8; 16]) -> String {
    let addr = Ipv6Addr::from(bytes);
    let seg = addr.segments();
    if seg[..6].iter().all(|s| *s == 0) && seg[6] != 0 {
        return format!(
            "::{}",
            Ipv4Addr::new(bytes[12], bytes[13], bytes[14], bytes[15])
        );
    }
    addr.to_string()
}

/// C-string view of a byte field: up to the first NUL.
fn cstr(b: &[u8]) -> &[u8] {
    let end = b.iter().position(|c| *c == 0).unwrap_or(b.len());
    &b[..end]
}

/// Interprets a `saddr=` value written as hex.
pub fn sockaddr(raw: &str) -> String {
    // libauparse's decoder returns a `(…)` marker such as `(null)` unchanged, and the
    // sockaddr is then read from those characters.
    let marker = raw
        .starts_with('(')
        .then(|| raw.find(')').map(|e| raw.as_bytes()[..=e].to_vec()))
        .flatten();
    let Some(b) = marker.or_else(|| unhex_keep_nul(raw)) else {
        return format!("malformed-host({raw})");
    };
    if b.is_empty() {
        return format!("malformed-host({raw})");
    }
    let family = u16::from_le_bytes([b[0], b.get(1).copied().unwrap_or(0)]);
    let Some(name) = family_name(family) else {
        return format!("unknown-family({family})");
    };
    let len = b.len();
    match family {
        1 => {
            if len < 4 {
                return format!("{{ saddr_fam={name} sockaddr len too short }}");
            }
            let path = &b[2..len.min(2 + 108)];
            let shown = if path.first() == Some(&0) {
                cstr(&path[1..])
            } else {
                cstr(path)
            };
            format!("{{ saddr_fam={name} path={} }}", tty_escape(shown))
        }
        2 => {
            if len < 16 {
                return format!("{{ saddr_fam={name} sockaddr len too short }}");
            }
            let port = u16::from_be_bytes([b[2], b[3]]);
            let ip = Ipv4Addr::new(b[4], b[5], b[6], b[7]);
            format!("{{ saddr_fam={name} laddr={ip} lport={port} }}")
        }
        3 => {
            let call = b.get(2..len.min(9)).unwrap_or(&[]);
            format!("{{ saddr_fam={name} call={} }}", tty_escape(cstr(call)))
        }
        8 => {
            let itf = if len >= 6 {
                i16::from_le_bytes([b[4], b[5]])
            } else {
                0
            };
            format!("{{ saddr_fam={name} int={itf} }}")
        }
        9 => {
            let addr = b.get(2..len.min(2 + 15)).unwrap_or(&[]);
            format!("{{ saddr_fam={name} laddr={} }}", tty_escape(cstr(addr)))
        }
        10 => {
            if len < 28 {
                return format!("{{ saddr_fam={name} sockaddr6 len too short }}");
            }
            let port = u16::from_be_bytes([b[2], b[3]]);
            let mut a = [0u8; 16];
            a.copy_from_slice(&b[8..24]);
            let scope = u32::from_le_bytes([b[24], b[25], b[26], b[27]]);
            let ip = format_ipv6(a);
            if scope != 0 {
                format!("{{ saddr_fam={name} laddr={ip}%{scope} lport={port} }}")
            } else {
                format!("{{ saddr_fam={name} laddr={ip} lport={port} }}")
            }
        }
        16 => {
            if len < 12 {
                return format!("{{ saddr_fam={name} len too short }}");
            }
            let pid = u32::from_le_bytes([b[4], b[5], b[6], b[7]]);
            format!("{{ saddr_fam={name} nlnk-fam={family} nlnk-pid={pid} }}")
        }
        _ => format!("{{ saddr_fam={name} (unsupported) }}"),
    }
}

/// Hex decoding that keeps NUL bytes (sockaddrs are binary), with ausearch's odd-digit rule.
fn unhex_keep_nul(raw: &str) -> Option<Vec<u8>> {
    let digits = raw.bytes().take_while(u8::is_ascii_hexdigit).count();
    if digits < 2 {
        return None;
    }
    let hex = &raw.as_bytes()[..digits];
    let nib = |c: u8| match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    };
    Some(
        hex.chunks(2)
            .map(|p| (nib(p[0]) << 4) | p.get(1).map_or(0, |c| nib(*c)))
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_like_ausearch() {
        assert_eq!(
            sockaddr("02000050A9FEA9FE0000000000000000"),
            "{ saddr_fam=inet laddr=169.254.169.254 lport=80 }"
        );
        assert_eq!(
            sockaddr("0A000016000000000000000000000000000000000000000000000000"),
            "{ saddr_fam=inet6 laddr=:: lport=22 }"
        );
        assert_eq!(
            sockaddr("100000000000000000000000"),
            "{ saddr_fam=netlink nlnk-fam=16 nlnk-pid=0 }"
        );
        assert_eq!(
            sockaddr("01007075626C69632F7069636B757000000000"),
            "{ saddr_fam=local path=public/pickup }"
        );
        assert_eq!(sockaddr("0100006162630000"), "{ saddr_fam=local path=abc }");
        assert_eq!(sockaddr("00000000"), "unknown-family(0)");
        assert_eq!(sockaddr("1B00"), "unknown-family(27)");
        assert_eq!(sockaddr("ZZ"), "malformed-host(ZZ)");
        assert_eq!(sockaddr("0"), "malformed-host(0)");
        assert_eq!(
            sockaddr("0200"),
            "{ saddr_fam=inet sockaddr len too short }"
        );
        assert_eq!(sockaddr("1100"), "{ saddr_fam=packet (unsupported) }");
        assert_eq!(sockaddr("100"), "{ saddr_fam=netlink len too short }");
        assert_eq!(sockaddr("41424344"), "unknown-family(16961)");
        assert_eq!(
            sockaddr("0300414243444546470000"),
            "{ saddr_fam=ax25 call=ABCDEFG }"
        );
    }

    #[test]
    fn ipv6_text_like_inet_ntop() {
        let mut a = [0u8; 16];
        a[12..].copy_from_slice(&[1, 2, 3, 4]);
        assert_eq!(format_ipv6(a), "::1.2.3.4");
        a[10] = 0xff;
        a[11] = 0xff;
        assert_eq!(format_ipv6(a), "::ffff:1.2.3.4");
        let mut one = [0u8; 16];
        one[15] = 1;
        assert_eq!(format_ipv6(one), "::1");
    }
}
