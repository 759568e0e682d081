//! The kernel's own printing of audit records, as found in `dmesg`, `kern.log` or journald
//! when no audit daemon reads them: a syslog or kmsg prefix, `audit: type=<number>
//! audit(<time>:<serial>): <fields>`, between unrelated kernel messages.

use tripline_auditd::{Events, RecordType, Settings, StrEvents, StrRecords};

const KERN_LOG: &str = "\
Nov 27 09:59:59 web1 kernel: [12344.000000] eth0: link becomes ready
Nov 27 10:00:00 web1 kernel: [12345.678901] audit: type=1300 audit(1764237600.123:4242): arch=c000003e syscall=59 success=yes exit=0 a0=55d5c a1=55d5d a2=55d5e a3=0 items=2 ppid=1000 pid=1001 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"docker\" exe=\"/usr/bin/docker\" key=\"docker-daemon\"
Nov 27 10:00:00 web1 kernel: [12345.678902] audit: type=1309 audit(1764237600.123:4242): argc=4 a0=\"docker\" a1=\"exec\" a2=\"-it\" a3=\"web\"
Nov 27 10:00:00 web1 kernel: [12345.678903] audit: type=1327 audit(1764237600.123:4242): proctitle=646F636B65720065786563002D697400776562
Nov 27 10:00:00 web1 kernel: [12345.678904] audit: type=1320 audit(1764237600.123:4242):
Nov 27 10:00:01 web1 systemd[1]: Started Session 3 of user alice.
[12346.100000] audit: type=1400 audit(1764237601.100:4243): apparmor=\"DENIED\" operation=\"open\" profile=\"docker-default\" name=\"/etc/shadow\" pid=2002 comm=\"cat\" requested_mask=\"r\" denied_mask=\"r\" fsuid=0 ouid=0
";

#[test]
fn numbered_types_read_as_their_names() {
    let settings = Settings::default().skip_foreign_lines(true);
    let types: Vec<_> = StrRecords::with_settings(KERN_LOG, &settings)
        .map(|r| r.unwrap().canonical_type_name().to_string())
        .collect();
    assert_eq!(types, ["SYSCALL", "EXECVE", "PROCTITLE", "EOE", "AVC"]);
    let r = StrRecords::with_settings(KERN_LOG, &settings)
        .next()
        .unwrap()
        .unwrap();
    assert_eq!(r.record_type(), Some(RecordType::SYSCALL));
    assert_eq!((r.time().secs, r.serial()), (1764237600, 4242));
}

#[test]
fn other_kernel_messages_are_skipped_and_counted_when_asked() {
    let settings = Settings::default().skip_foreign_lines(true);
    let mut it = StrEvents::with_settings(KERN_LOG, settings.clone());
    let events: Vec<_> = it.by_ref().map(Result::unwrap).collect();
    assert_eq!(events.len(), 2);
    // PROCTITLE closes the event, as in an audit.log; its EOE then finds no open event.
    assert_eq!(events[0].records().len(), 3);
    let s = it.reader_stats();
    assert_eq!(
        (s.lines, s.records, s.errors, s.skipped, s.foreign),
        (7, 5, 0, 2, 2)
    );
    assert!(s.balanced());

    // The same through the `BufRead` reader.
    let mut it = Events::with_settings(KERN_LOG.as_bytes(), settings);
    assert_eq!(it.by_ref().filter(Result::is_ok).count(), 2);
    let s = it.reader_stats();
    assert_eq!((s.errors, s.foreign), (0, 2));

    // By default an audit log's foreign line is damage: a located error each.
    let mut it = StrEvents::new(KERN_LOG);
    let errors: Vec<_> = it.by_ref().filter_map(Result::err).collect();
    assert_eq!(errors.len(), 2);
    assert_eq!(errors[0].location().line, 1);
    assert_eq!(errors[1].location().line, 6);
    assert_eq!(it.reader_stats().foreign, 0);
}

#[cfg(feature = "schema")]
#[test]
fn a_kernel_printed_execve_normalizes_like_the_daemons() {
    use tripline_schema::EventKind;
    let settings = Settings::default().skip_foreign_lines(true);
    let ev = StrEvents::with_settings(KERN_LOG, settings)
        .next()
        .unwrap()
        .unwrap();
    let e = tripline_auditd::normalize_in(&ev, "kern.log");
    let EventKind::ProcessExec(p) = &e.kind else {
        panic!("{:?}", e.kind)
    };
    assert_eq!(p.process.executable.as_deref(), Some("/usr/bin/docker"));
    assert_eq!(
        p.process.command_line.as_deref(),
        Some("docker exec -it web")
    );
    assert_eq!(e.location().unwrap().line, Some(2));
    assert_eq!(
        e.labels.get("audit.key").map(|k| k.as_str()),
        Some("docker-daemon")
    );
}
