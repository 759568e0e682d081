//! Value decoding: hex strings, numbers with their radix, keys, proctitle.
//!
//! auditd hex-encodes a string value exactly when it contains a space, a control byte, a
//! double quote or a non-ASCII byte, and then writes it without quotes. So quoting is the
//! discriminator: an unquoted all-hex value of a string-typed field is hex, a quoted one is
//! text, and numeric fields are never decoded (`uid=1000` inside `msg='…'` stays 1000).

use std::borrow::Cow;

/// Whether `b` is a non-empty, even-length run of hex digits (either case).
pub(crate) fn is_hex(b: &[u8]) -> bool {
    !b.is_empty() && b.len().is_multiple_of(2) && b.iter().all(u8::is_ascii_hexdigit)
}

/// Whether a field holds an encoded (possibly hex) string, by its key.
///
/// The set is the `encoded` format of the audit field dictionary; in `EXECVE` records the
/// arguments `aN` and chunks `aN[k]` are encoded too (elsewhere `a0`–`a3` are hex numbers).
pub(crate) fn is_encoded_field(key: &[u8], in_execve: bool) -> bool {
    if in_execve && key.len() >= 2 && key[0] == b'a' && key[1].is_ascii_digit() {
        return !key.ends_with(b"_len");
    }
    matches!(
        key,
        b"acct"
            | b"addr"
            | b"apparmor"
            | b"cgroup"
            | b"cmd"
            | b"comm"
            | b"cwd"
            | b"data"
            | b"device"
            | b"dir"
            | b"exe"
            | b"file"
            | b"grp"
            | b"invalid_context"
            | b"key"
            | b"name"
            | b"new-chardev"
            | b"new-disk"
            | b"new-fs"
            | b"new-net"
            | b"new-rng"
            | b"ocomm"
            | b"old-chardev"
            | b"old-disk"
            | b"old-fs"
            | b"old-net"
            | b"old-rng"
            | b"path"
            | b"proctitle"
            | b"saddr"
            | b"vm"
            | b"watch"
            | b"root_dir"
            | b"exe_path"
    )
}

#[inline]
fn nibble(c: u8) -> u8 {
    match c {
        b'0'..=b'9' => c - b'0',
        b'a'..=b'f' => c - b'a' + 10,
        _ => c - b'A' + 10,
    }
}

/// Decodes a hex string; pairs that are not hex digits and an odd trailing digit are skipped.
pub fn decode_hex(hex: &str) -> Vec<u8> {
    hex.as_bytes()
        .chunks_exact(2)
        .filter(|p| p[0].is_ascii_hexdigit() && p[1].is_ascii_hexdigit())
        .map(|p| (nibble(p[0]) << 4) | nibble(p[1]))
        .collect()
}

/// Bytes as text: borrowed when valid UTF-8, else lossily decoded.
pub(crate) fn bytes_to_text(b: Vec<u8>) -> Cow<'static, str> {
    match String::from_utf8(b) {
        Ok(s) => Cow::Owned(s),
        Err(e) => Cow::Owned(String::from_utf8_lossy(e.as_bytes()).into_owned()),
    }
}

/// The radix a numeric field is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Radix {
    /// Decimal (`pid`, `uid`, `exit`, `syscall`…).
    Decimal,
    /// Hexadecimal without `0x` (`a0`–`a3`, `arch`, capability masks, `per`…).
    Hex,
    /// Octal (`mode`).
    Octal,
}

/// A number parsed from a field, with the radix it was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Number {
    /// The value (negative only for decimal fields like `exit`).
    pub value: i128,
    /// How it was written.
    pub radix: Radix,
}

impl Number {
    /// The value as `u64` when it fits.
    pub fn as_u64(&self) -> Option<u64> {
        u64::try_from(self.value).ok()
    }

    /// The value as `i64` when it fits.
    pub fn as_i64(&self) -> Option<i64> {
        i64::try_from(self.value).ok()
    }
}

/// The radix a field's numbers are written in, by key and record type.
pub fn field_radix(key: &str, record_type: &str) -> Radix {
    match key {
        "a0" | "a1" | "a2" | "a3" if record_type != "EXECVE" => Radix::Hex,
        "arch" | "cap_fi" | "cap_fp" | "cap_fe" | "cap_fver" | "cap_pa" | "cap_pe" | "cap_pi"
        | "cap_pp" | "cap_pr" | "code" | "flags" | "fi" | "fp" | "fver" | "ioctlcmd" | "old_pa"
        | "old_pe" | "old_pi" | "old_pp" | "pa" | "pe" | "pi" | "pp" | "per" | "qbytes"
        | "new_pa" | "new_pe" | "new_pi" | "new_pp" | "old_pr" | "new_pr" | "cap_frootid" => {
            Radix::Hex
        }
        "mode" | "new_mode" | "old_mode" | "oflag" if record_type != "EXECVE" => Radix::Octal,
        _ => Radix::Decimal,
    }
}

/// Parses `text` as a number in `radix` (`0x`/`0o` prefixes tolerated).
pub fn parse_number(text: &str, radix: Radix) -> Option<Number> {
    let value = match radix {
        Radix::Decimal => text.parse::<i128>().ok()?,
        Radix::Hex => {
            let t = text.strip_prefix("0x").unwrap_or(text);
            i128::from_str_radix(t, 16).ok()?
        }
        Radix::Octal => {
            let t = text.strip_prefix("0o").unwrap_or(text);
            i128::from_str_radix(t, 8).ok()?
        }
    };
    Some(Number { value, radix })
}

/// Splits an audit rule key value on the `\x01` separator; `(null)` and empty give no keys.
pub fn split_keys(decoded: &str) -> Vec<&str> {
    if decoded == "(null)" || decoded.is_empty() {
        return Vec::new();
    }
    decoded.split('\x01').filter(|k| !k.is_empty()).collect()
}

/// Splits a decoded proctitle into its arguments (NUL-separated, trailing NUL ignored).
pub fn split_proctitle(decoded: &[u8]) -> Vec<Cow<'_, str>> {
    let trimmed = decoded.strip_suffix(&[0]).unwrap_or(decoded);
    trimmed
        .split(|&c| c == 0)
        .map(String::from_utf8_lossy)
        .collect()
}

/// Whether an id field holds the "unset" value (`4294967295` or `-1`).
pub fn is_unset_id(text: &str) -> bool {
    text == "4294967295" || text == "-1" || text == "unset"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_detection_and_decoding() {
        assert!(is_hex(b"2F62696E"));
        assert!(!is_hex(b"2F6"));
        assert!(!is_hex(b""));
        assert!(!is_hex(b"(null)"));
        assert_eq!(decode_hex("2f62696e"), b"/bin");
        assert!(is_encoded_field(b"a12", true));
        assert!(is_encoded_field(b"a1[3]", true));
        assert!(!is_encoded_field(b"a1_len", true));
        assert!(!is_encoded_field(b"a1", false));
        assert!(!is_encoded_field(b"uid", false));
    }

    #[test]
    fn numbers_keep_radix() {
        let n = parse_number("0100755", field_radix("mode", "PATH")).unwrap();
        assert_eq!((n.value, n.radix), (0o100755, Radix::Octal));
        let n = parse_number("c000003e", field_radix("arch", "SYSCALL")).unwrap();
        assert_eq!(n.as_u64(), Some(0xc000003e));
        let n = parse_number("-13", field_radix("exit", "SYSCALL")).unwrap();
        assert_eq!(n.as_i64(), Some(-13));
        assert_eq!(field_radix("a1", "EXECVE"), Radix::Decimal);
    }

    #[test]
    fn keys_and_proctitle() {
        assert_eq!(split_keys("exec\x0164bit"), vec!["exec", "64bit"]);
        assert!(split_keys("(null)").is_empty());
        assert_eq!(split_proctitle(b"ls\0-l\0"), vec!["ls", "-l"]);
    }
}
