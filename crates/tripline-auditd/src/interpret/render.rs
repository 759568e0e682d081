//! `ausearch -i` record lines.
//!
//! ausearch does not print a parsed field list: it walks the record text from `=` to `=`,
//! copies everything between values (free-text prefixes, double spaces, `msg='`) and replaces
//! each value by its interpretation followed by one space. This module walks the text the
//! same way so that the output is byte-for-byte what ausearch prints under `TZ=UTC LC_ALL=C`.

use super::bits::strtoul;
use super::{Context, FieldKind, Machine, Resolver, field_kind, interpret_kind, keys};
use crate::RecordType;
use crate::record_type::NameSource;
use std::fmt::Write as _;

/// The header of a record as ausearch prints it.
#[derive(Debug, Clone, Copy)]
pub struct Header<'a> {
    /// `node=` name, if the line had one.
    pub node: Option<&'a str>,
    /// The record type.
    pub record_type: RecordType,
    /// The type as written (`UNKNOWN[1420]`), printed when libaudit has no name for it.
    pub type_text: &'a str,
    /// Seconds since the epoch.
    pub secs: u64,
    /// Milliseconds.
    pub msec: u32,
    /// Event serial.
    pub serial: u64,
}

/// `MM/DD/YY HH:MM:SS` in UTC (ausearch's `%x %T` under `TZ=UTC LC_ALL=C`), `?` when the time
/// cannot be represented.
pub fn format_time(secs: u64) -> String {
    let mut out = String::with_capacity(17);
    push_time(&mut out, secs);
    out
}

/// Appends [`format_time`]'s text (civil date from days since the epoch, no allocation).
fn push_time(out: &mut String, secs: u64) {
    if secs > 253_402_300_799 {
        out.push('?');
        return;
    }
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    // Howard Hinnant's days → (year, month, day).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let _ = write!(
        out,
        "{:02}/{:02}/{:02} {:02}:{:02}:{:02}",
        month,
        day,
        year.rem_euclid(100),
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    );
}

/// Field names whose values may contain commas (SELinux MLS ranges) and run to the space.
fn is_mac_label(name: &str) -> bool {
    matches!(
        name,
        "subj" | "obj" | "scontext" | "tcontext" | "vm-ctx" | "img-ctx"
    )
}

/// One step of ausearch's walk over a record body.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WalkedField<'a> {
    /// Text printed verbatim before the value, up to and including `=`.
    pub lead: &'a str,
    /// The field name (lead without spaces/`(` and a `'` left by `msg='`).
    pub name: &'a str,
    /// The value as written (quotes included).
    pub value: &'a str,
    /// The value ended at a comma rather than a space.
    pub comma: bool,
    /// This is the `msg=` opening a nested `'…'` list (no value of its own).
    pub opens_msg: bool,
}

/// Walks a record body (the text after the `)` closing `audit(…)`) the way ausearch does,
/// yielding each field and the text left over at the end.
pub fn walk_fields(text: &str) -> (Vec<WalkedField<'_>>, Option<&str>) {
    let mut out = Vec::new();
    let mut rest: Option<&str> = Some(text);
    let mut last_comma = false;
    while let Some(s) = rest {
        let Some(eq) = s.find('=') else { break };
        if s.is_empty() {
            break;
        }
        last_comma = false;
        let lead = &s[..=eq];
        let name_full = match s[..eq].rfind(' ') {
            Some(sp) => &s[sp..eq],
            None => &s[..eq],
        };
        let after = &s[eq + 1..];
        // Only a bare `msg=` (right after the previous value's separator) opens the nested
        // list; `(enforce) msg='…'` or a leading `: msg='…'` is one single-quoted value.
        if &s[..eq] == "msg" {
            let (opened, next) = match after.strip_prefix('\'') {
                Some(n) => (true, n),
                None => (false, after),
            };
            out.push(WalkedField {
                lead: if opened { &s[..eq + 2] } else { lead },
                name: "msg",
                value: "",
                comma: false,
                opens_msg: true,
            });
            rest = Some(next);
            continue;
        }
        let name = name_full
            .trim_start_matches([' ', '('])
            .trim_start_matches('\'');
        let first = after.as_bytes().first().copied();
        let (value, next, comma) = if first == Some(b'\'') || first == Some(b'"') {
            let q = first.unwrap_or(b'"') as char;
            match after[1..].find(q) {
                Some(i) => {
                    let end = 1 + i + 1;
                    if let Some(c) = after[end..].chars().next() {
                        // ausearch overwrites the one character after the closing quote.
                        (&after[..end], Some(&after[end + c.len_utf8()..]), false)
                    } else {
                        (&after[..end], Some(""), false)
                    }
                }
                None => (after, None, false),
            }
        } else {
            // The first space or comma ends the value (one scan instead of two full ones).
            match after.bytes().position(|b| b == b' ' || b == b',') {
                Some(p) if after.as_bytes()[p] == b' ' => {
                    (&after[..p], Some(&after[p + 1..]), false)
                }
                Some(c) => {
                    if is_mac_label(name) {
                        match after[c..].find(' ') {
                            Some(sp) => (&after[..c + sp], Some(&after[c + sp + 1..]), false),
                            None => (after, None, false),
                        }
                    } else {
                        (&after[..c], Some(&after[c + 1..]), true)
                    }
                }
                None => (after, None, false),
            }
        };
        last_comma = comma;
        out.push(WalkedField {
            lead,
            name,
            value,
            comma,
            opens_msg: false,
        });
        rest = next;
    }
    let tail = match rest {
        Some(r) if out.is_empty() || last_comma => Some(r),
        _ => None,
    };
    (out, tail)
}

/// Pre-scan of `a0`/`a1` (hex) for SYSCALL records, as ausearch keeps them per record.
fn syscall_args(fields: &[WalkedField<'_>]) -> (Option<u64>, Option<u64>) {
    let get = |n: &str| {
        fields
            .iter()
            .find(|f| f.name == n && !f.opens_msg)
            .and_then(|f| strtoul(f.value, 16))
    };
    (get("a0"), get("a1"))
}

/// Renders one record as an `ausearch -i` line (without the newline).
///
/// `rest` is the record text after the `)` that closes `audit(…)` (so it usually starts with
/// `: `), without the ENRICHED tail, which is passed separately.
pub fn render_interpreted(
    header: &Header<'_>,
    rest: &str,
    enriched: Option<&str>,
    resolver: &dyn Resolver,
) -> String {
    let mut out = String::with_capacity(rest.len() + 64);
    if let Some(node) = header.node {
        let _ = write!(out, "node={node} ");
    }
    match header.record_type.name_source() {
        Some(NameSource::Libaudit) => {
            let _ = write!(out, "type={} msg=audit(", header.record_type);
        }
        _ => {
            let _ = write!(out, "type={} msg=audit(", header.type_text);
        }
    }
    push_time(&mut out, header.secs);
    let _ = write!(out, ".{:03}:{}) ", header.msec, header.serial);

    let rt = header.record_type;
    let (fields, tail) = walk_fields(rest);
    let is_syscall = rt == RecordType::SYSCALL || rt == RecordType::SECCOMP;
    let (a0, a1) = if rt == RecordType::SYSCALL {
        syscall_args(&fields)
    } else {
        (None, None)
    };
    let mut ctx = Context {
        machine: None,
        syscall: if is_syscall { None } else { Some(0) },
        a0,
        a1,
        enriched,
        resolver,
    };
    let mut cur_syscall: Option<u64> = None;
    for f in &fields {
        out.push_str(f.lead);
        if f.opens_msg {
            continue;
        }
        let mut value = f.value;
        if f.name == "acct" {
            value = value.strip_suffix(':').unwrap_or(value);
        }
        if is_syscall {
            if f.name == "arch" {
                match strtoul(value, 16) {
                    Some(code) => {
                        ctx.machine = u32::try_from(code).ok().and_then(Machine::from_audit_arch)
                    }
                    None => {
                        let _ = write!(out, "arch conversion error({value}) ");
                        continue;
                    }
                }
            }
            if cur_syscall.is_none() && f.name == "syscall" {
                match strtoul(value, 10) {
                    Some(n) => cur_syscall = Some(n),
                    None => {
                        let _ = write!(out, "syscall conversion error({value}) ");
                        continue;
                    }
                }
            }
            ctx.syscall = cur_syscall;
        }
        let kind = field_kind(rt, f.name, value);
        match kind {
            FieldKind::Unclassified => {
                out.push_str(value);
                out.push(if f.comma { ',' } else { ' ' });
            }
            FieldKind::EscapedKey => {
                let parts = match ctx.enriched_value(f.name) {
                    Some(v) => vec![v.to_string()],
                    None => keys(value),
                };
                out.push_str(&parts.join(" key="));
                out.push(' ');
            }
            FieldKind::TtyData => {
                out.push_str(&interpret_kind(kind, f.name, value, &ctx));
            }
            _ => {
                out.push_str(&interpret_kind(kind, f.name, value, &ctx));
                out.push(' ');
            }
        }
    }
    if let Some(t) = tail {
        out.push_str(t);
    }
    out
}

/// Renders a record given as a field list (name, value as written — quotes included) rather
/// than as text, for sources without the original line. Separators are normalized to one
/// space and free text between fields is lost, so prefer [`render_interpreted`] when the
/// record text is available; for ordinary `k=v` records both print the same line.
pub fn render_fields<'f>(
    header: &Header<'_>,
    fields: impl IntoIterator<Item = (&'f str, &'f str)>,
    enriched: Option<&str>,
    resolver: &dyn Resolver,
) -> String {
    let mut body = String::from(":");
    for (name, value) in fields {
        body.push(' ');
        body.push_str(name);
        body.push('=');
        body.push_str(value);
    }
    render_interpreted(header, &body, enriched, resolver)
}

/// Splits a raw log line the way ausearch does and renders it; `None` when the line has no
/// `type=` or no `(`…`)` time stamp. Convenience for callers without a parsed record.
pub fn render_line(line: &str, resolver: &dyn Resolver) -> Option<String> {
    let line = line.trim_end_matches(['\n', '\r']);
    let (main, enriched) = match line.find('\u{1d}') {
        Some(i) => (&line[..i], Some(&line[i + 1..])),
        None => (line, None),
    };
    let (node, body) = match main.strip_prefix("node=") {
        Some(r) => {
            let sp = r.find(' ')?;
            (Some(&r[..sp]), &r[sp + 1..])
        }
        None => (None, main),
    };
    let type_text = body.strip_prefix("type=")?;
    let type_text = &type_text[..type_text.find(' ')?];
    let record_type = RecordType::from_name(type_text)?;
    let open = body.find('(')?;
    let close = open + body[open..].find(')')?;
    let stamp = &body[open + 1..close];
    let (time, serial) = stamp.split_once(':')?;
    let (secs, msec) = time.split_once('.')?;
    let header = Header {
        node,
        record_type,
        type_text,
        secs: secs.parse().ok()?,
        msec: msec.parse().ok()?,
        serial: serial.parse().ok()?,
    };
    Some(render_interpreted(
        &header,
        &body[close + 1..],
        enriched,
        resolver,
    ))
}

/// Appends an assembled event as `ausearch -i` prints it: `----`, then its records
/// last-first, each as [`render_line`] gives it. Like ausearch, a record with no fields after
/// its header is followed by an empty line, and a record ausearch cannot parse (legacy
/// `host=` header) is left out; an event with nothing printable adds nothing. Returns
/// whether anything was appended. Pair with
/// [`Settings::ausearch_3_0_9`](crate::Settings::ausearch_3_0_9) for ausearch's grouping
/// and order.
///
/// ```
/// use tripline_auditd::{Settings, StrEvents};
/// use tripline_auditd::interpret::{MapResolver, render_event};
///
/// let log = "type=CWD msg=audit(1.000:5): cwd=\"/\"\ntype=EOE msg=audit(1.000:5):\n";
/// let ev = StrEvents::with_settings(log, Settings::ausearch_3_0_9()).next().unwrap().unwrap();
/// let mut out = String::new();
/// assert!(render_event(&mut out, &ev, &MapResolver::new()));
/// assert_eq!(out, "----\n\
///     type=EOE msg=audit(01/01/70 00:00:01.000:5) :\n\n\
///     type=CWD msg=audit(01/01/70 00:00:01.000:5) : cwd=/ \n");
/// ```
pub fn render_event(out: &mut String, event: &crate::AuditEvent, resolver: &dyn Resolver) -> bool {
    let start = out.len();
    out.push_str("----\n");
    let mut any = false;
    for r in event.records().rev() {
        let Some(text) = render_line(r.line(), resolver) else {
            continue;
        };
        any = true;
        out.push_str(&text);
        out.push('\n');
        if r.body_text().trim_matches(' ').is_empty() {
            out.push('\n');
        }
    }
    if !any {
        out.truncate(start);
    }
    any
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::interpret::MapResolver;

    fn r(line: &str) -> String {
        render_line(line, &MapResolver::new().user(1000, "user")).unwrap()
    }

    #[test]
    fn syscall_record() {
        let line = "type=SYSCALL msg=audit(1615114232.375:15558): arch=c000003e syscall=59 success=yes exit=0 a0=63b29337fd18 a1=63b293387d58 a2=63b293375640 a3=fffffffffffff000 items=2 ppid=10883 pid=10884 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts1 ses=1 comm=\"whoami\" exe=\"/usr/bin/whoami\" key=(null)";
        assert_eq!(
            r(line),
            "type=SYSCALL msg=audit(03/07/21 10:50:32.375:15558) : arch=x86_64 syscall=execve success=yes exit=0 a0=0x63b29337fd18 a1=0x63b293387d58 a2=0x63b293375640 a3=0xfffffffffffff000 items=2 ppid=10883 pid=10884 auid=user uid=root gid=root euid=root suid=root fsuid=root egid=root sgid=root fsgid=root tty=pts1 ses=1 comm=whoami exe=/usr/bin/whoami key=(null) "
        );
    }

    #[test]
    fn free_text_and_nested_msg() {
        assert_eq!(
            r(
                "type=AVC msg=audit(1631798689.083:65686): avc:  denied  { setuid } for  pid=15381 comm=\"laurel\" capability=7  scontext=system_u:system_r:auditd_t:s0 tcontext=system_u:system_r:auditd_t:s0 tclass=capability permissive=1"
            ),
            "type=AVC msg=audit(09/16/21 13:24:49.083:65686) : avc:  denied  { setuid } for  pid=15381 comm=laurel capability=setuid  scontext=system_u:system_r:auditd_t:s0 tcontext=system_u:system_r:auditd_t:s0 tclass=capability permissive=1 "
        );
        assert_eq!(
            r(
                "type=USER_CMD msg=audit(1610873076.623:460): pid=14178 uid=1002 auid=1002 ses=15 msg='cwd=\"/home/alice\" cmd=62617368 terminal=pts/1 res=success'"
            ),
            "type=USER_CMD msg=audit(01/17/21 08:44:36.623:460) : pid=14178 uid=unknown(1002) auid=unknown(1002) ses=15 msg='cwd=/home/alice cmd=bash terminal=pts/1 res=success' "
        );
        assert_eq!(
            r(
                "type=TTY msg=audit(1702500511.459:370948): tty pid=260398 uid=0 auid=4294967295 ses=4294967295 major=136 minor=1 comm=\"bash\" data=72706D0D\u{1d}UID=\"root\" AUID=\"unset\""
            ),
            "type=TTY msg=audit(12/13/23 20:48:31.459:370948) : tty pid=260398 uid=root auid=unset ses=unset major=136 minor=1 comm=bash data=\"rpm\",<ret>"
        );
    }

    #[test]
    fn times_like_strftime() {
        for secs in [
            0u64,
            1,
            951_782_400,
            1_615_114_232,
            4_102_444_799,
            253_402_300_799,
        ] {
            let want = chrono::DateTime::from_timestamp(secs as i64, 0)
                .unwrap()
                .format("%m/%d/%y %H:%M:%S")
                .to_string();
            assert_eq!(format_time(secs), want, "{secs}");
        }
        assert_eq!(format_time(u64::MAX), "?");
    }

    #[test]
    fn field_lists_render_like_lines() {
        let header = Header {
            node: None,
            record_type: RecordType::PATH,
            type_text: "PATH",
            secs: 1_615_113_648,
            msec: 978,
            serial: 15219,
        };
        let fields = [
            ("item", "1"),
            ("name", "\"/lib64/ld-linux-x86-64.so.2\""),
            ("mode", "0100755"),
            ("ouid", "0"),
        ];
        let line = "type=PATH msg=audit(1615113648.978:15219): item=1 name=\"/lib64/ld-linux-x86-64.so.2\" mode=0100755 ouid=0";
        let resolver = MapResolver::new();
        assert_eq!(
            render_fields(&header, fields, None, &resolver),
            render_line(line, &resolver).unwrap()
        );
    }

    #[test]
    fn unknown_types_and_nodes() {
        assert_eq!(
            r("node=work type=UNKNOWN[1420] msg=audit(1.000:2): a=b"),
            "node=work type=UNKNOWN[1420] msg=audit(01/01/70 00:00:01.000:2) : a=b "
        );
        assert_eq!(
            r("type=KERNEL msg=audit(1.000:2): no fields"),
            "type=KERNEL msg=audit(01/01/70 00:00:01.000:2) : no fields"
        );
        assert_eq!(
            r("type=PATH msg=audit(1.000:2): obj=u:r:t:s0:c2,c7 x=1,2 y=3"),
            "type=PATH msg=audit(01/01/70 00:00:01.000:2) : obj=u:r:t:s0:c2,c7 x=1,2 y=3 "
        );
    }
}
