//! errno numbers → names and messages (`exit=-2` → `ENOENT(No such file or directory)`).
//!
//! Names come from the kernel's `asm-generic/errno*.h`, messages from glibc's `strerror` in
//! the C locale; both are checked in as `data/errno.tsv`.

use super::bits::strtoul;
use std::borrow::Cow;
use std::sync::OnceLock;

fn table() -> &'static [(u32, &'static str, &'static str)] {
    static T: OnceLock<Vec<(u32, &'static str, &'static str)>> = OnceLock::new();
    T.get_or_init(|| {
        include_str!("../../data/errno.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut it = l.split('\t');
                Some((it.next()?.parse().ok()?, it.next()?, it.next()?))
            })
            .collect()
    })
}

/// `2` → `ENOENT`.
pub fn errno_name(n: u32) -> Option<&'static str> {
    table().iter().find(|e| e.0 == n).map(|e| e.1)
}

/// `2` → `No such file or directory`.
pub fn errno_message(n: u32) -> Option<&'static str> {
    table().iter().find(|e| e.0 == n).map(|e| e.2)
}

/// `exit=` interpretation: negative values become `NAME(message)`; unknown errnos print as
/// glibc/libaudit do (`(null)(Unknown error N)`); other values stay as written.
pub fn exit_code(raw: &str) -> Cow<'_, str> {
    // strtol: the value must fit in an i64.
    let Some(v) = strtoul(raw, 10) else {
        return Cow::Borrowed(raw);
    };
    let neg = raw.trim_start().starts_with('-');
    let signed = v as i64;
    if !neg || signed >= 0 {
        return Cow::Borrowed(raw);
    }
    let Some(e) = signed.checked_neg() else {
        return Cow::Borrowed(raw);
    };
    let n = e as i32 as u32;
    let name = u32::try_from(e)
        .ok()
        .and_then(errno_name)
        .unwrap_or("(null)");
    let msg = match u32::try_from(e).ok().and_then(errno_message) {
        Some(m) => Cow::Borrowed(m),
        None => Cow::Owned(format!("Unknown error {n}")),
    };
    Cow::Owned(format!("{name}({msg})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_values() {
        assert_eq!(exit_code("-2"), "ENOENT(No such file or directory)");
        assert_eq!(exit_code("-13"), "EACCES(Permission denied)");
        assert_eq!(exit_code("-11"), "EAGAIN(Resource temporarily unavailable)");
        assert_eq!(exit_code("-35"), "EDEADLK(Resource deadlock avoided)");
        assert_eq!(exit_code("-95"), "EOPNOTSUPP(Operation not supported)");
        assert_eq!(exit_code("-512"), "(null)(Unknown error 512)");
        assert_eq!(exit_code("-5a"), "EIO(Input/output error)");
        assert_eq!(exit_code("0"), "0");
        assert_eq!(exit_code("-0"), "-0");
        assert_eq!(exit_code("3"), "3");
        assert_eq!(exit_code("abc"), "abc");
    }
}
