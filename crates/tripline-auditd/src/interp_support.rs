//! Syscall and arch names for normalization and rule fields: the ENRICHED value when the log
//! has one, else the per-arch syscall table of [`crate::interpret`].

use std::borrow::Cow;

use crate::interpret::Machine;
use crate::record::Record;

/// The syscall name of a SYSCALL record: ENRICHED `SYSCALL=`, else the table for its `arch`.
pub(crate) fn syscall_name<'a>(r: &Record<'a>) -> Option<&'a str> {
    if let Some(f) = r.enriched("SYSCALL") {
        return Some(f.raw);
    }
    let num: u64 = r.get("syscall")?.raw.parse().ok()?;
    Machine::from_arch_field(r.get("arch")?.raw)?.syscall_name(num)
}

/// The syscall name as text (the number when the name is unknown).
#[cfg_attr(not(feature = "schema"), allow(dead_code))]
pub(crate) fn syscall_text<'a>(r: &Record<'a>) -> Option<Cow<'a, str>> {
    match syscall_name(r) {
        Some(n) => Some(Cow::Borrowed(n)),
        None => r.get("syscall").map(|f| Cow::Borrowed(f.raw)),
    }
}

/// The arch name of a record: ENRICHED `ARCH=`, else decoded from `arch=`.
#[cfg_attr(not(feature = "schema"), allow(dead_code))]
pub(crate) fn arch_name(r: &Record<'_>) -> Option<String> {
    if let Some(f) = r.enriched("ARCH") {
        return Some(f.raw.to_owned());
    }
    Machine::from_arch_field(r.get("arch")?.raw).map(|m| m.name().to_owned())
}
