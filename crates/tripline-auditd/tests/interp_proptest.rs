//! Interpretation never panics, whatever the field name, value, record type or line.

use proptest::prelude::*;
use tripline_auditd::RecordType;
use tripline_auditd::interpret::{
    Context, Machine, MapResolver, field_kind, interpret_field, render_line, sockaddr, walk_fields,
};

/// Field names with an interpretation, plus arbitrary ones.
fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "auid",
            "uid",
            "gid",
            "syscall",
            "arch",
            "exit",
            "comm",
            "exe",
            "name",
            "cwd",
            "key",
            "acct",
            "perm",
            "mode",
            "saddr",
            "cap_fp",
            "capability",
            "res",
            "a0",
            "a1",
            "a2",
            "a3",
            "sig",
            "list",
            "data",
            "ses",
            "family",
            "icmptype",
            "proto",
            "per",
            "code",
            "oflag",
            "flags",
            "proctitle",
            "action",
            "macproto",
            "ioctlcmd",
            "resp",
            "hook",
            "prom",
            "addr",
            "id",
            "msg",
        ])
        .prop_map(str::to_string),
        "[a-z_-]{0,12}",
    ]
}

/// Values shaped like audit values (hex, numbers, quoted) and arbitrary text.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[0-9A-Fa-f]{0,64}",
        "-?[0-9]{0,24}",
        "\"[^\"]{0,20}\"",
        "\\([a-z]{0,6}\\)?",
        any::<String>(),
    ]
}

fn record_type() -> impl Strategy<Value = RecordType> {
    prop_oneof![
        prop::sample::select(vec![
            RecordType::SYSCALL,
            RecordType::EXECVE,
            RecordType::SOCKADDR,
            RecordType::PATH,
            RecordType::AVC,
            RecordType::USER_TTY,
            RecordType::ADD_GROUP,
            RecordType::NETFILTER_PKT,
        ]),
        any::<u16>().prop_map(RecordType),
    ]
}

proptest! {
    #[test]
    fn interpret_field_never_panics(
        rt in record_type(),
        n in name(),
        v in value(),
        machine in prop::option::of(prop::sample::select(Machine::all().to_vec())),
        syscall in prop::option::of(0u64..600),
        a0 in prop::option::of(any::<u64>()),
        a1 in prop::option::of(any::<u64>()),
        enriched in prop::option::of(".{0,40}"),
    ) {
        let r = MapResolver::new().user(1, "one").group(1, "one");
        let mut ctx = Context::new(&r);
        ctx.machine = machine;
        ctx.syscall = syscall;
        ctx.a0 = a0;
        ctx.a1 = a1;
        ctx.enriched = enriched.as_deref();
        let _ = field_kind(rt, &n, &v);
        let _ = interpret_field(rt, &n, &v, &ctx);
    }

    #[test]
    fn render_line_never_panics(body in any::<String>(), ty in "[A-Z_]{1,12}|UNKNOWN\\[[0-9]{1,5}\\]") {
        let r = MapResolver::new();
        let line = format!("type={ty} msg=audit(1700000000.123:42): {body}");
        let out = render_line(&line, &r);
        if let Some(out) = out {
            prop_assert!(out.contains("msg=audit(11/14/23 22:13:20.123:42) "));
        }
        let _ = render_line(&body, &r);
        let _ = walk_fields(&body);
    }

    #[test]
    fn render_line_handles_audit_shaped_bodies(
        fields in prop::collection::vec((name(), value()), 0..12),
        sep in prop::sample::select(vec![" ", "  ", ",", " msg='", "'"]),
    ) {
        let body: Vec<String> = fields.iter().map(|(n, v)| format!("{n}={v}")).collect();
        let line = format!("type=SYSCALL msg=audit(1.000:1): {}", body.join(sep));
        prop_assert!(render_line(&line, &MapResolver::new()).is_some());
    }

    #[test]
    fn sockaddr_never_panics(v in "[0-9A-Fa-f]{0,80}|.{0,20}") {
        let _ = sockaddr(&v);
    }
}
