//! Every limit in `Settings`, exceeded and counted; assembly behaviours.

use tripline_auditd::{
    Assembler, Completion, ErrorKind, Reader, Record, Settings, StrEvents, StrRecords,
};

fn sys(t: &str, serial: u32) -> String {
    format!(
        "type=SYSCALL msg=audit({t}:{serial}): arch=c000003e syscall=2 success=yes exit=3 pid=1 uid=0 auid=0 key=(null)\n"
    )
}

fn rec(line: &str) -> Record<'_> {
    Record::parse(line).unwrap()
}

#[test]
fn line_length_limit() {
    let mut settings = Settings::default();
    settings.max_line_len = 64;
    let long = format!("type=CWD msg=audit(1.000:1): cwd=\"{}\"\n", "x".repeat(200));
    let input = format!("{long}type=CWD msg=audit(1.000:2): cwd=\"/\"\n");
    let mut r = Reader::with_settings(input.as_bytes(), settings.clone());
    assert_eq!(
        r.next_record().unwrap().unwrap_err().kind(),
        ErrorKind::LineTooLong
    );
    assert_eq!(r.next_record().unwrap().unwrap().serial(), 2);
    assert!(r.next_record().is_none());
    let s = r.stats();
    assert_eq!((s.too_long, s.errors, s.records, s.lines), (1, 1, 1, 2));
    assert!(s.balanced());

    let mut it = StrRecords::with_settings(&input, &settings);
    assert_eq!(
        it.next().unwrap().unwrap_err().kind(),
        ErrorKind::LineTooLong
    );
    assert!(it.next().unwrap().is_ok());
    assert_eq!(it.stats().too_long, 1);
}

#[test]
fn records_per_event_limit() {
    let mut settings = Settings::default();
    settings.max_records_per_event = 3;
    let mut asm = Assembler::new(settings);
    for i in 0..5 {
        asm.push(rec(&format!(
            "type=PATH msg=audit(1.000:9): item={i} name=\"/x\""
        )));
    }
    asm.finish();
    let a = asm.pop().unwrap();
    assert_eq!((a.len(), a.completion()), (3, Completion::RecordLimit));
    let b = asm.pop().unwrap();
    assert_eq!((b.len(), b.completion()), (2, Completion::EndOfInput));
    assert_eq!(asm.stats().record_limit, 1);
}

#[test]
fn in_flight_limit() {
    let mut settings = Settings::default();
    settings.max_in_flight = 2;
    let log = format!("{}{}{}", sys("1.000", 1), sys("1.000", 2), sys("1.000", 3));
    let mut it = StrEvents::with_settings(&log, settings);
    let first = it.next().unwrap().unwrap();
    assert_eq!(
        (first.id().serial, first.completion()),
        (1, Completion::Evicted)
    );
    let rest: Vec<_> = it.by_ref().flatten().collect();
    assert_eq!(rest.len(), 2);
    assert_eq!(it.assembler_stats().evicted, 1);
    assert_eq!(it.assembler_stats().peak_in_flight, 2);
}

#[test]
fn end_of_event_timeout_by_log_time() {
    let log = format!(
        "{}{}{}",
        sys("10.100", 1),
        sys("11.900", 2),
        sys("12.000", 3)
    );
    let evs: Vec<_> = StrEvents::new(&log).flatten().collect();
    assert_eq!(evs[0].id().serial, 1);
    assert_eq!(evs[0].completion(), Completion::Timeout);
    assert_eq!(evs[1].completion(), Completion::EndOfInput);
    let mut settings = Settings::default();
    settings.eoe_timeout_secs = 5;
    let mut it = StrEvents::with_settings(&log, settings);
    assert!(
        it.by_ref()
            .flatten()
            .all(|e| e.completion() == Completion::EndOfInput)
    );
    assert_eq!(it.assembler_stats().timed_out, 0);
}

#[test]
fn terminators_interleaving_and_orphans() {
    let log = concat!(
        "type=SYSCALL msg=audit(1.000:1): syscall=59 pid=1\n",
        "type=SYSCALL msg=audit(1.000:2): syscall=59 pid=2\n",
        "type=CWD msg=audit(1.000:1): cwd=\"/\"\n",
        "type=PROCTITLE msg=audit(1.000:2): proctitle=6C73\n",
        "type=EOE msg=audit(1.000:1):\n",
        "type=EOE msg=audit(1.000:2):\n",
    );
    let mut it = StrEvents::new(log);
    let a = it.next().unwrap().unwrap();
    assert_eq!(
        (a.id().serial, a.len(), a.completion()),
        (2, 2, Completion::Terminator)
    );
    let b = it.next().unwrap().unwrap();
    assert_eq!(
        (b.id().serial, b.len(), b.completion()),
        (1, 3, Completion::Terminator)
    );
    assert!(it.next().is_none());
    assert_eq!(it.assembler_stats().orphan_eoe, 1);
}

#[test]
fn userspace_merge_and_login() {
    let log = concat!(
        "type=SERVICE_START msg=audit(1.000:7): pid=1 uid=0 msg='unit=x comm=\"systemd\" res=success'\n",
        "type=SYSCALL msg=audit(1.000:7): syscall=44 pid=1\n",
        "type=SOCKADDR msg=audit(1.000:7): saddr=100000000000000000000000\n",
        "type=LOGIN msg=audit(2.000:8): pid=5 uid=0 old-auid=4294967295 auid=0 tty=(none) old-ses=4294967295 ses=3 res=1\n",
        "type=SYSCALL msg=audit(2.000:8): syscall=1 pid=5\n",
    );
    let merged: Vec<_> = StrEvents::new(log).flatten().collect();
    assert_eq!(merged.len(), 2);
    assert!(merged[0].merged_userspace());
    assert_eq!(merged[0].len(), 3);
    assert_eq!(merged[1].len(), 2);
    let split: Vec<_> = StrEvents::with_settings(log, Settings::ausearch_3_0_9())
        .flatten()
        .collect();
    assert_eq!(
        split.iter().map(|e| e.len()).collect::<Vec<_>>(),
        [1, 2, 1, 1]
    );
}

#[test]
fn lost_events_with_rollover() {
    let log = format!(
        "{}{}{}{}{}",
        sys("1.000", 4294967294),
        sys("1.000", 4294967295),
        sys("1.000", 0),
        sys("1.000", 3),
        sys("1.000", 2),
    );
    let mut it = StrEvents::new(&log);
    assert_eq!(it.by_ref().count(), 5);
    // 0 → 3 skips 1 and 2; 2 then arrives late, so only serial 1 is lost.
    assert_eq!(it.assembler_stats().lost, 1);
}

#[test]
fn ordered_output_like_ausearch() {
    let log = concat!(
        "type=SYSCALL msg=audit(100.000:5): syscall=1 pid=1\n",
        "type=USER_CMD msg=audit(100.000:2): pid=1 uid=0 msg='cmd=6C73 res=success'\n",
        "type=USER_CMD msg=audit(99.000:9): pid=1 uid=0 msg='cmd=6C73 res=success'\n",
        "type=USER_CMD msg=audit(100.500:3): pid=1 uid=0 msg='cmd=6C73 res=success'\n",
        "type=SYSCALL msg=audit(101.000:7): syscall=1 pid=1\n",
        "type=USER_CMD msg=audit(103.000:1): pid=1 uid=0 msg='cmd=6C73 res=success'\n",
    );
    let order = |s: Settings| -> Vec<u32> {
        StrEvents::with_settings(log, s)
            .flatten()
            .map(|e| e.id().serial)
            .collect()
    };
    // Finished events wait for older open ones; ties go by time then serial.
    assert_eq!(order(Settings::ausearch_3_0_9()), [2, 9, 5, 3, 7, 1]);
    // By default each event leaves as soon as it is finished.
    assert_eq!(order(Settings::default()), [2, 9, 3, 5, 7, 1]);
}

#[test]
fn syscall_query_by_name_and_number() {
    let log = concat!(
        "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=59 success=yes exit=0 pid=1 uid=0 key=(null)\n",
        "type=SYSCALL msg=audit(1.000:2): arch=c00000b7 syscall=221 success=no exit=-2 pid=2 uid=0 key=(null)\n",
        "type=SYSCALL msg=audit(1.000:3): arch=c000003e syscall=2 success=yes exit=3 pid=3 uid=0 key=(null)\x1dARCH=x86_64 SYSCALL=open\n",
    );
    let serials = |q: tripline_auditd::Query| -> Vec<u32> {
        StrEvents::new(log)
            .flatten()
            .filter(|e| q.matches(e))
            .map(|e| e.id().serial)
            .collect()
    };
    use tripline_auditd::Query;
    assert_eq!(serials(Query::new().syscall("execve")), [1, 2]);
    assert_eq!(serials(Query::new().syscall("execve").success(true)), [1]);
    assert_eq!(serials(Query::new().syscall("59")), [1]);
    assert_eq!(serials(Query::new().syscall("open")), [3]);
}

#[test]
fn proctitle_first_waits_for_its_event() {
    let log = concat!(
        "type=PROCTITLE msg=audit(1.000:4): proctitle=6c73\n",
        "type=SYSCALL msg=audit(1.000:4): syscall=59 pid=1\n",
        "type=EOE msg=audit(1.000:4):\n",
    );
    let evs: Vec<_> = StrEvents::new(log).flatten().collect();
    assert_eq!(evs.len(), 1);
    assert_eq!(
        (evs[0].len(), evs[0].completion()),
        (3, Completion::Terminator)
    );
    assert_eq!(
        evs[0].first("PROCTITLE").unwrap().proctitle_args().unwrap(),
        ["ls"]
    );
    let compat: Vec<_> = StrEvents::with_settings(log, Settings::ausearch_3_0_9())
        .flatten()
        .collect();
    assert_eq!(compat.iter().map(|e| e.len()).collect::<Vec<_>>(), [1, 2]);
}
