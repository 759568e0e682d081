//! Syscall and arch names for normalization and rule fields: the ENRICHED value when the log
//! has one.

use std::borrow::Cow;

use crate::record::Record;

/// The syscall name of a SYSCALL record from its ENRICHED `SYSCALL=` field.
pub(crate) fn syscall_name<'a>(r: &Record<'a>) -> Option<&'a str> {
    r.enriched("SYSCALL").map(|f| f.raw)
}

/// The syscall name as text (the number when the name is unknown).
pub(crate) fn syscall_text<'a>(r: &Record<'a>) -> Option<Cow<'a, str>> {
    match syscall_name(r) {
        Some(n) => Some(Cow::Borrowed(n)),
        None => r.get("syscall").map(|f| Cow::Borrowed(f.raw)),
    }
}

/// The arch name of a record from its ENRICHED `ARCH=` field.
pub(crate) fn arch_name(r: &Record<'_>) -> Option<String> {
    r.enriched("ARCH").map(|f| f.raw.to_owned())
}
