//! Record positions (1-based line, byte offset) survive assembly and reach the normalized
//! event's `raw.location` / `raw.lines`.

use tripline_auditd::{AuditEvent, Events, Position, Settings, StrEvents};

/// Two interleaved multi-record events, a blank line, a CRLF line, a user-space record and
/// a line holding two spliced records.
const LOG: &str = "\
type=SYSCALL msg=audit(1700000000.100:10): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=1 pid=42 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"id\" exe=\"/usr/bin/id\" key=\"exec\"
type=SYSCALL msg=audit(1700000000.100:11): arch=c000003e syscall=2 success=yes exit=3 a0=1 a1=0 a2=0 a3=0 items=1 ppid=1 pid=43 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=1 comm=\"cat\" exe=\"/usr/bin/cat\" key=(null)
type=EXECVE msg=audit(1700000000.100:10): argc=1 a0=\"id\"

type=PATH msg=audit(1700000000.100:11): item=0 name=\"/etc/shadow\" inode=5 dev=08:01 mode=0100640 ouid=0 ogid=42 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\r
type=PROCTITLE msg=audit(1700000000.100:10): proctitle=6964
type=PROCTITLE msg=audit(1700000000.100:11): proctitle=636174002F6574632F736861646F77
type=USER_CMD msg=audit(1700000001.000:12): pid=7 uid=1000 auid=1000 ses=3 msg='cwd=\"/\" cmd=6C73 terminal=pts/0 res=success'
type=CWD msg=audit(1700000002.000:13): cwd=\"/\"type=PROCTITLE msg=audit(1700000002.000:13): proctitle=6C73
";

/// Byte offset of the start of 1-based line `n` of `text`.
fn line_start(text: &str, n: u64) -> u64 {
    let mut off = 0;
    for (i, l) in text.split_inclusive('\n').enumerate() {
        if i as u64 + 1 == n {
            return off;
        }
        off += l.len() as u64;
    }
    panic!("no line {n}");
}

fn by_serial(events: &[AuditEvent], serial: u32) -> &AuditEvent {
    events.iter().find(|e| e.id().serial == serial).unwrap()
}

#[test]
fn fixture_positions_through_assembly() {
    let events: Vec<AuditEvent> = StrEvents::new(LOG).collect::<Result<_, _>>().unwrap();
    assert_eq!(events.len(), 4, "{events:#?}");

    let ev = by_serial(&events, 10);
    assert_eq!(ev.line_numbers(), [1, 3, 6]);
    assert_eq!(ev.position(), Some(Position::new(1, 0)));
    let ev = by_serial(&events, 11);
    assert_eq!(ev.line_numbers(), [2, 5, 7]);
    assert_eq!(ev.position(), Some(Position::new(2, line_start(LOG, 2))));
    let ev = by_serial(&events, 12);
    assert_eq!(ev.line_numbers(), [8]);
    // Spliced: both records on line 9, the second one's offset inside the line.
    let ev = by_serial(&events, 13);
    assert_eq!(ev.line_numbers(), [9]);
    let p: Vec<Position> = ev
        .record_bufs()
        .iter()
        .filter_map(|r| r.position())
        .collect();
    let start = line_start(LOG, 9);
    let inner = LOG[start as usize..].find("type=PROCTITLE").unwrap() as u64;
    assert_eq!(
        p,
        [Position::new(9, start), Position::new(9, start + inner)]
    );

    // Every record's offset points at its own text.
    for ev in &events {
        for r in ev.records() {
            let p = r.position().unwrap();
            assert!(LOG[p.offset as usize..].starts_with(r.line()), "{p:?}");
        }
    }

    // The streaming reader gives the same positions.
    let streamed: Vec<AuditEvent> = Events::new(LOG.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(streamed, events);

    // So does ausearch 3.0.9 grouping.
    let old: Vec<AuditEvent> = StrEvents::with_settings(LOG, Settings::ausearch_3_0_9())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(by_serial(&old, 11).line_numbers(), [2, 5, 7]);
}

#[cfg(feature = "schema")]
#[test]
fn normalized_events_carry_location_and_lines() {
    let events: Vec<AuditEvent> = StrEvents::new(LOG).collect::<Result<_, _>>().unwrap();
    let e = tripline_auditd::normalize(by_serial(&events, 11));
    let raw = e.raw.as_ref().unwrap();
    let loc = raw.location.as_ref().unwrap();
    assert_eq!((loc.file.as_deref(), loc.line), (None, Some(2)));
    assert_eq!(loc.offset, Some(line_start(LOG, 2)));
    assert_eq!(raw.lines, [2, 5, 7]);

    let e = tripline_auditd::normalize_in(by_serial(&events, 12), "fixture.log");
    let raw = e.raw.as_ref().unwrap();
    let loc = raw.location.as_ref().unwrap();
    assert_eq!(
        (loc.file.as_deref(), loc.line),
        (Some("fixture.log"), Some(8))
    );
    // One line: no separate list.
    assert!(raw.lines.is_empty());

    // A record parsed alone has no position: no location is invented.
    let r = tripline_auditd::from_str("type=CWD msg=audit(1.000:1): cwd=\"/\"").unwrap();
    let mut asm = tripline_auditd::Assembler::default();
    asm.push(r);
    asm.finish();
    let e = tripline_auditd::normalize(&asm.pop().unwrap());
    assert_eq!(e.raw.unwrap().location, None);
}

/// Over every corpus file: each record's position is the line that holds its text, at the
/// offset where that text starts, and events list their lines in record order.
#[test]
fn corpus_positions_point_at_the_records() {
    let Some(files) = tripline_testkit::corpus_files("auditd") else {
        return;
    };
    let mut checked = 0;
    let mut multi_line = 0;
    for path in files
        .iter()
        .filter(|p| p.file_name().is_none_or(|n| n != "MANIFEST.md"))
    {
        let bytes = std::fs::read(path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        let lossy = matches!(text, std::borrow::Cow::Owned(_));
        let starts: Vec<u64> = std::iter::once(0)
            .chain(text.match_indices('\n').map(|(i, _)| i as u64 + 1))
            .collect();
        for ev in Events::new(&bytes[..]).flatten() {
            let lines = ev.line_numbers();
            assert_eq!(
                lines.first().copied(),
                ev.position().map(|p| p.line),
                "{}",
                path.display()
            );
            if lines.len() > 1 {
                multi_line += 1;
            }
            for r in ev.records() {
                let p = r.position().expect("reader sets positions");
                let start = starts[p.line as usize - 1];
                assert!(p.offset >= start, "{}: {p:?}", path.display());
                if !lossy {
                    assert!(
                        text[p.offset as usize..].starts_with(r.line()),
                        "{}: {p:?} does not hold {:?}",
                        path.display(),
                        r.line()
                    );
                }
                checked += 1;
            }
        }
    }
    eprintln!("{checked} record positions checked, {multi_line} multi-line events");
    assert!(checked > 1000 && multi_line > 100);
}

/// A corpus file through normalization: the first line of every multi-record event is the
/// smallest of its lines and holds its first record.
#[cfg(feature = "schema")]
#[test]
fn corpus_normalized_location() {
    let Some(dir) = tripline_testkit::corpus("auditd") else {
        return;
    };
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "log"))
        .max_by_key(|p| std::fs::metadata(p).map(|m| m.len()).unwrap_or(0))
        .unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let all: Vec<&str> = text.lines().collect();
    let name = path.display().to_string();
    let mut multi = 0;
    for ev in StrEvents::new(&text).flatten() {
        let e = tripline_auditd::normalize_in(&ev, &name);
        let raw = e.raw.unwrap();
        let loc = raw.location.unwrap();
        assert_eq!(loc.file.as_deref(), Some(name.as_str()));
        let line = loc.line.unwrap();
        let first = raw.text.lines().next().unwrap();
        assert!(all[line as usize - 1].contains(first), "{name}:{line}");
        if !raw.lines.is_empty() {
            multi += 1;
            assert_eq!(raw.lines[0], line);
            for (l, rec) in raw.lines.iter().zip(raw.text.lines()) {
                assert!(all[*l as usize - 1].contains(rec) || ev.len() > raw.lines.len());
            }
        }
    }
    assert!(multi > 0, "{name} has no multi-line event");
}
