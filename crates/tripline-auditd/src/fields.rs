//! [`FieldSource`] for raw records, so Sigma `product: linux, service: auditd` rules can read
//! every record by its own field names.
//!
//! Names: `type` (the record type name, `UNKNOWN[1327]` read as `PROCTITLE`), the lowercase
//! body fields with hex decoded (`proctitle`, `cmd`, `name`, `exe`, EXECVE `a0`…; split
//! EXECVE arguments `aN[k]` are also readable joined as `aN`), `a0`–`a3` of SYSCALL as
//! written, the fields inside `msg='…'` flattened, and the ENRICHED UPPERCASE fields (`SYSCALL`,
//! `UID`, `AUID`…). `SYSCALL` and `ARCH` fall back to the syscall table when the log is not
//! ENRICHED. Values are strings as written (decoded); `(null)` is [`Value::Null`].

use std::borrow::Cow;

use tripline_schema::{FieldSource, Value};

use crate::record::{Record, RecordBuf, ValueKind};

fn joined_arg<'a>(r: &Record<'a>, name: &str) -> Option<Cow<'a, str>> {
    if r.canonical_type_name() != "EXECVE" {
        return None;
    }
    let digits = name.strip_prefix('a')?;
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut chunks: Vec<(usize, Vec<u8>)> = r
        .fields()
        .filter_map(|f| {
            let rest = f
                .key
                .strip_prefix(name)?
                .strip_prefix('[')?
                .strip_suffix(']')?;
            Some((rest.parse().ok()?, f.bytes().into_owned()))
        })
        .collect();
    if chunks.is_empty() {
        return None;
    }
    chunks.sort_by_key(|c| c.0);
    let bytes: Vec<u8> = chunks.into_iter().flat_map(|c| c.1).collect();
    Some(Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()))
}

pub(crate) fn record_field<'a>(r: &Record<'a>, name: &str) -> Option<Value<'a>> {
    if name == "type" {
        return Some(Value::Str(Cow::Borrowed(r.canonical_type_name())));
    }
    // The key filter answers most lookups of fields a record lacks (rules read `a1`–`a7`,
    // `key`… of every record) without a scan.
    if r.may_have(name) {
        if let Some(f) = r.find_any(name) {
            if f.is_null() && f.kind == ValueKind::Bare && f.raw == "(null)" {
                return Some(Value::Null);
            }
            return Some(Value::Str(f.text()));
        }
        if let Some(v) = joined_arg(r, name) {
            return Some(Value::Str(v));
        }
    }
    match name {
        "SYSCALL" => crate::interp_support::syscall_name(r).map(|s| Value::Str(Cow::Borrowed(s))),
        "ARCH" => crate::interp_support::arch_name(r).map(|s| Value::Str(Cow::Owned(s))),
        _ => None,
    }
}

impl FieldSource for Record<'_> {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        record_field(self, name)
    }

    fn raw_text(&self) -> Option<&str> {
        Some(self.line())
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        let mut out: Vec<Cow<'_, str>> = vec![Cow::Borrowed("type")];
        for f in self.fields() {
            if !out.iter().any(|n| n == f.key) {
                out.push(Cow::Borrowed(f.key));
            }
        }
        out
    }
}

impl FieldSource for RecordBuf {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        record_field(&self.record(), name)
    }

    fn raw_text(&self) -> Option<&str> {
        Some(self.line())
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        let r = self.record();
        let mut out: Vec<Cow<'_, str>> = vec![Cow::Borrowed("type")];
        for f in r.fields() {
            if !out.iter().any(|n| n == f.key) {
                out.push(Cow::Borrowed(f.key));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigma_field_names_are_reachable() {
        let r = Record::parse("type=SYSCALL msg=audit(1.000:2): arch=c000003e syscall=59 success=yes exit=0 a0=55d7 a1=0 items=1 ppid=1 pid=2 auid=1000 uid=0 euid=33 comm=\"split\" exe=2F7573722F62696E2F6E63 key=(null)\x1dARCH=x86_64 SYSCALL=execve AUID=\"alice\"").unwrap();
        assert_eq!(r.field("type"), Some(Value::str("SYSCALL")));
        assert_eq!(r.field("SYSCALL"), Some(Value::str("execve")));
        assert_eq!(r.field("exe"), Some(Value::str("/usr/bin/nc")));
        assert_eq!(r.field("a0"), Some(Value::str("55d7")));
        assert_eq!(r.field("euid"), Some(Value::str("33")));
        assert_eq!(r.field("comm"), Some(Value::str("split")));
        assert_eq!(r.field("key"), Some(Value::Null));
        assert_eq!(r.field("AUID"), Some(Value::str("alice")));
        assert_eq!(r.field("missing"), None);
        // Not ENRICHED: SYSCALL and ARCH come from the tables.
        let plain =
            Record::parse("type=SYSCALL msg=audit(1.000:2): arch=c000003e syscall=319 a0=1")
                .unwrap();
        assert_eq!(plain.field("SYSCALL"), Some(Value::str("memfd_create")));
        assert_eq!(plain.field("ARCH"), Some(Value::str("x86_64")));
        assert_eq!(r.raw_text(), Some(r.line()));

        let e = Record::parse("type=EXECVE msg=audit(1.000:2): argc=3 a0=\"cp\" a1=2F62696E2F7368 a2_len=10 a2[0]=\"/etc/\" a2[1]=\"crond\"").unwrap();
        assert_eq!(e.field("type"), Some(Value::str("EXECVE")));
        assert_eq!(e.field("a1"), Some(Value::str("/bin/sh")));
        assert_eq!(e.field("a2"), Some(Value::str("/etc/crond")));

        let u = Record::parse("type=SERVICE_STOP msg=audit(1.000:3): pid=1 uid=0 msg='unit=auditd comm=\"systemd\" res=success'").unwrap();
        assert_eq!(u.field("unit"), Some(Value::str("auditd")));
        assert_eq!(u.field("type"), Some(Value::str("SERVICE_STOP")));
    }
}
