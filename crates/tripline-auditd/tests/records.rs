//! In-repo fixtures for the record grammar and the value layer (no shared corpus needed).

use tripline_auditd::{
    ErrorKind, Reader, Record, Scope, StrEvents, StrRecords, ValueKind, WarningKind, from_slice,
    from_str,
};

fn warnings(r: &Record<'_>) -> Vec<WarningKind> {
    r.warnings().iter().map(|w| w.kind).collect()
}

#[test]
fn header_variants() {
    let r = from_str(
        "node=web-1 type=SYSCALL msg=audit(1615114232.375:15558): arch=c000003e syscall=59",
    )
    .unwrap();
    assert_eq!(r.node(), Some("web-1"));
    assert_eq!(r.type_name(), "SYSCALL");
    assert_eq!(
        (r.time().secs, r.time().msec, r.serial()),
        (1615114232, 375, 15558)
    );
    assert_eq!(r.record_type().map(|t| t.0), Some(1300));

    let r = from_str(
        "host=dhcppc2 type=AVC msg=audit(1.000:2): avc:  denied  { read } for  pid=1 comm=\"x\"",
    )
    .unwrap();
    assert_eq!(r.node(), Some("dhcppc2"));
    assert!(warnings(&r).contains(&WarningKind::LegacyHost));
    assert_eq!(r.prefix(), Some("avc:  denied  { read } for"));
    assert_eq!(r.text("comm").unwrap(), "x");

    let r = from_str("type=SYSCALL audit(1572298453.690:5717): arch=c00000b7 syscall=222").unwrap();
    assert!(warnings(&r).contains(&WarningKind::MissingMsgKey));

    let r = from_str("type=UNKNOWN[1334] msg=audit(1.000:3): prog-id=75 op=LOAD").unwrap();
    assert_eq!(r.record_type().map(|t| t.0), Some(1334));
    assert_eq!(r.canonical_type_name(), "BPF");

    let r = from_str("type=DAEMON_CONFIG msg=audit(1490239800.477:34) config changed, auid=0 pid=1512 res=success").unwrap();
    assert!(warnings(&r).contains(&WarningKind::MissingColon));
    assert_eq!(r.prefix(), Some("config changed,"));
    assert_eq!(r.text("res").unwrap(), "success");

    assert_eq!(
        from_str("type=UNKNOWN[1329] msg=?").unwrap_err().kind(),
        ErrorKind::MissingEventId
    );
    assert_eq!(
        from_str("hello world").unwrap_err().kind(),
        ErrorKind::NotARecord
    );
    assert_eq!(
        from_str("type=X msg=audit(1.000:99999999999):")
            .unwrap_err()
            .kind(),
        ErrorKind::BadEventId
    );
    let e = from_str("type=X msg=audit(1.000:x): a=b").unwrap_err();
    assert!(e.to_string().contains("audit("), "{e}");
    assert!(from_slice(b"type=CWD msg=audit(1.000:1): cwd=\xff").is_err());

    // Syslog prefix before the header.
    let r =
        from_str("Jan  1 00:00:00 host audispd: node=n1 type=CWD msg=audit(1.000:1): cwd=\"/\"")
            .unwrap();
    assert_eq!(r.node(), Some("n1"));
    assert!(warnings(&r).contains(&WarningKind::LeadingText));
}

#[test]
fn value_kinds_and_scopes() {
    let r = from_str("type=USER_CMD msg=audit(1.000:1): pid=7 uid=1000 auid=1000 ses=3 msg='cwd=\"/home/a\" cmd=646F636B6572207073 terminal=pts/0 res=success'\x1dUID=\"alice\" AUID=\"alice\"").unwrap();
    let msg = r.get("msg").unwrap();
    assert_eq!(msg.kind, ValueKind::Nested);
    let cmd = r.get("cmd").unwrap();
    assert_eq!((cmd.kind, cmd.scope), (ValueKind::Hex, Scope::Msg));
    assert_eq!(cmd.text(), "docker ps");
    assert_eq!(r.get("uid").unwrap().kind, ValueKind::Bare);
    assert_eq!(r.enriched("UID").unwrap().text(), "alice");
    assert_eq!(r.enriched_text(), Some("UID=\"alice\" AUID=\"alice\""));

    // Numbers inside msg='…' are never hex-decoded.
    let r = from_str("type=USER_AUTH msg=audit(1.000:2): pid=1 uid=0 msg='op=PAM:auth uid=1000 acct=\"root\" res=success'").unwrap();
    assert_eq!(r.get_in("uid", Scope::Msg).unwrap().text(), "1000");

    // Quoted vs unquoted hex discriminates.
    let r = from_str("type=EXECVE msg=audit(1.000:3): argc=2 a0=\"3005\" a1=3005").unwrap();
    assert_eq!(r.text("a0").unwrap(), "3005");
    assert_eq!(r.text("a1").unwrap(), "0\u{5}");

    // AppArmor quoted values with spaces, unquoted values with spaces.
    let r = from_str("type=AVC msg=audit(1.000:4): apparmor=\"STATUS\" operation=\"profile_replace\" info=\"same as current profile, skipping\" profile=\"unconfined\" pid=1").unwrap();
    assert_eq!(r.text("info").unwrap(), "same as current profile, skipping");
    assert_eq!(r.text("pid").unwrap(), "1");
    let r = from_str(
        "type=SYSCALL msg=audit(1.000:5): pid=1 subj==/usr/sbin/ntpd (enforce) key=(null)",
    )
    .unwrap();
    assert_eq!(r.text("subj").unwrap(), "=/usr/sbin/ntpd (enforce)");
    assert!(r.get("key").unwrap().is_null());
    let r = from_str("type=ADD_GROUP msg=audit(1.000:6): pid=1 msg='op=adding group to /etc/group id=1001 res=success'").unwrap();
    assert_eq!(r.text("op").unwrap(), "adding group to /etc/group");

    // Enriched braces with nested braces and free-text values.
    let r = from_str("type=SOCKADDR msg=audit(1.000:7): saddr=01002F746D70\x1dSADDR={ saddr_fam=local path=/tmp/{x} }").unwrap();
    assert_eq!(
        r.enriched("SADDR").unwrap().raw,
        "{ saddr_fam=local path=/tmp/{x} }"
    );
    assert_eq!(r.enriched("SADDR").unwrap().kind, ValueKind::Braced);
    assert!(r.warnings().is_empty());

    // Legacy bodies.
    let r = from_str("type=USER_START msg=audit(1.000:8): user pid=1 uid=0 auid=0 msg='PAM: session open acct=root : exe=\"/usr/sbin/crond\" (hostname=?, addr=?, terminal=cron res=success)'").unwrap();
    assert_eq!(r.prefix(), Some("user"));
    assert_eq!(r.text("exe").unwrap(), "/usr/sbin/crond");
    assert_eq!(r.get("terminal").unwrap().raw, "cron");
    assert!(r.warnings().is_empty(), "{:?}", r.warnings());
    let r = from_str("type=DAEMON_START msg=audit(1.000:9): auditd start, ver=1.2.9, format=raw, auid=4294967295 pid=2166 res=success").unwrap();
    assert_eq!(r.prefix(), Some("auditd start,"));
    let r = from_str(
        "type=MAC_POLICY_LOAD msg=audit(1.000:10): policy loaded auid=4294967295 ses=4294967295",
    )
    .unwrap();
    assert_eq!(r.prefix(), Some("policy loaded"));

    // Unterminated quotes still give a record.
    let r = from_str("type=SYSCALL msg=audit(1.000:11): comm=\"abc").unwrap();
    assert_eq!(r.text("comm").unwrap(), "abc");
    assert!(warnings(&r).contains(&WarningKind::UnterminatedQuote));
    let r =
        from_str("type=USER_CMD msg=audit(1.000:12): pid=1 msg='cwd=\"/\" cmd=6C73 res=success")
            .unwrap();
    assert_eq!(r.text("cmd").unwrap(), "ls");
    assert!(warnings(&r).contains(&WarningKind::UnterminatedMsg));

    // Keys split on \x01.
    let r =
        from_str("type=SYSCALL msg=audit(1.000:13): syscall=1 key=65786563013634626974").unwrap();
    assert_eq!(r.keys(), ["exec", "64bit"]);
    assert_eq!(r.number("syscall").unwrap().value, 1);
}

#[test]
fn splice_crlf_and_final_line() {
    let log = "type=PATH msg=audit(1.000:74): item=0 name=\"/etc/x\" obj=a:b:c type=CWD msg=audit(1.000:74):  cwd=\"/\"\r\ntype=EOE msg=audit(1.000:74):";
    let mut it = StrRecords::new(log);
    let a = it.next().unwrap().unwrap();
    assert!(warnings(&a).contains(&WarningKind::SplicedRecord));
    assert_eq!(a.text("obj").unwrap(), "a:b:c");
    let b = it.next().unwrap().unwrap();
    assert_eq!(
        (b.type_name(), b.text("cwd").unwrap().as_ref()),
        ("CWD", "/")
    );
    assert!(warnings(&b).contains(&WarningKind::CarriageReturn));
    let c = it.next().unwrap().unwrap();
    assert_eq!(c.type_name(), "EOE");
    assert!(it.next().is_none());
    let s = it.stats();
    assert_eq!((s.lines, s.records, s.spliced), (2, 3, 1));
    assert!(s.balanced());

    // Same through the BufRead reader, with invalid UTF-8 decoded lossily.
    let bytes = b"type=CWD msg=audit(1.000:1): cwd=\"/\xff\"\n# comment\n\nnot a record\n";
    let mut r = Reader::new(&bytes[..]);
    let rec = r.next_record().unwrap().unwrap();
    assert!(warnings(&rec).contains(&WarningKind::InvalidUtf8));
    assert!(r.next_record().unwrap().is_err());
    assert!(r.next_record().is_none());
    let s = r.stats();
    assert_eq!(
        (s.lines, s.records, s.errors, s.skipped, s.invalid_utf8),
        (4, 1, 1, 2, 1)
    );
    assert!(s.balanced());
}

#[test]
fn execve_arguments_rebuilt() {
    let log = concat!(
        "type=SYSCALL msg=audit(5.000:1): arch=c000003e syscall=59 success=yes exit=0 items=1 pid=2 key=(null)\n",
        "type=EXECVE msg=audit(5.000:1): argc=4 a0=\"sh\" a1_len=12 a1[0]=68656C6C6F20 a1[1]=776F726C6421\n",
        "type=EXECVE msg=audit(5.000:1):  a2=\"-x\"\n",
        "type=PROCTITLE msg=audit(5.000:1): proctitle=73680068656C6C6F20776F726C6421\n",
    );
    let ev = StrEvents::new(log).next().unwrap().unwrap();
    let args = ev.execve_args().unwrap();
    assert_eq!(args.args, ["sh", "hello world!", "-x"]);
    assert_eq!(
        (args.argc, args.missing, args.truncated),
        (Some(4), 1, false)
    );
    assert_eq!(
        ev.first("PROCTITLE").unwrap().proctitle_args().unwrap(),
        ["sh", "hello world!"]
    );
}

#[test]
fn render_raw_round_trips() {
    for line in [
        "node=n type=USER_CMD msg=audit(1.000:1): pid=7 uid=1000 msg='cwd=\"/home/a\" cmd=646F636B6572207073 res=success'\x1dUID=\"alice\"",
        "type=AVC msg=audit(1.000:2): avc:  denied  { read write } for  pid=1 comm=\"x\" (hostname=?, addr=?)",
        "type=SOCKADDR msg=audit(1.000:7): saddr=01002F746D70\x1dSADDR={ saddr_fam=local path=/tmp/{x} }",
    ] {
        let r = from_str(line).unwrap();
        let raw = r.render_raw();
        let again = from_str(&raw).unwrap();
        assert!(r.same_content(&again), "{line}\n{raw}");
    }
}
