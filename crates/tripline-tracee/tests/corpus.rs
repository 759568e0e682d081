//! Every file of the shared Tracee corpus: 0 errors, 0 silent drops, and per sample the
//! event name, time, pid, container id and every arg checked against an independent
//! `serde_json::Value` decoding of the same line.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use serde_json::Value;
use tripline_tracee::{Reader, Record, Settings, SkipKind, TraceEvent, from_str};

fn corpus_file(name: &str) -> Option<std::path::PathBuf> {
    let dir = tripline_testkit::corpus("tracee")?;
    let p = dir.join(name);
    assert!(p.is_file(), "{} missing from the corpus", p.display());
    Some(p)
}

fn expected_container_id(v: &Value) -> Option<String> {
    let flat = v
        .get("containerId")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    let nested = v
        .pointer("/container/id")
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty());
    flat.or(nested).map(str::to_owned)
}

/// Checks one parsed event against the generic decoding of its line.
fn check_event(ev: &TraceEvent<'_>, v: &Value, where_: &str) {
    assert_eq!(
        ev.event_name,
        v["eventName"].as_str().unwrap(),
        "{where_}: eventName"
    );
    assert_eq!(ev.timestamp, v["timestamp"].as_i64(), "{where_}: timestamp");
    assert_eq!(
        ev.process_id,
        v["processId"].as_i64(),
        "{where_}: processId"
    );
    assert_eq!(
        ev.host_process_id,
        v["hostProcessId"].as_i64(),
        "{where_}: hostProcessId"
    );
    assert_eq!(ev.user_id, v["userId"].as_i64(), "{where_}: userId");
    assert_eq!(
        ev.process_name,
        v["processName"].as_str().unwrap(),
        "{where_}: processName"
    );
    assert_eq!(
        ev.container_id().map(str::to_owned),
        expected_container_id(v),
        "{where_}: container id"
    );
    let id: i64 = v["eventId"].as_str().unwrap().parse().unwrap();
    assert_eq!(ev.event_id, Some(id), "{where_}: eventId");
    assert_eq!(
        ev.return_value,
        v["returnValue"].as_i64(),
        "{where_}: returnValue"
    );
    let args = v["args"].as_array().unwrap();
    assert_eq!(ev.args.len(), args.len(), "{where_}: arg count");
    for (a, expect) in ev.args.iter().zip(args) {
        let name = expect["name"].as_str().unwrap();
        assert_eq!(a.name, name, "{where_}: arg name");
        assert_eq!(
            a.type_name,
            expect["type"].as_str().unwrap(),
            "{where_}: arg type"
        );
        let value = &expect["value"];
        let w = format!("{where_}: arg {name}");
        match value {
            Value::String(s) => assert_eq!(ev.arg_str(name).as_deref(), Some(s.as_str()), "{w}"),
            Value::Number(n) => {
                if let Some(i) = n.as_i64() {
                    assert_eq!(ev.arg_i64(name), Some(i), "{w}");
                } else {
                    assert_eq!(ev.arg_u64(name), n.as_u64(), "{w}");
                }
            }
            Value::Null => assert!(a.is_null(), "{w}"),
            Value::Bool(b) => assert_eq!(a.as_bool(), Some(*b), "{w}"),
            Value::Array(items) if items.iter().all(Value::is_string) => {
                let got = ev.arg_str_list(name).unwrap();
                let want: Vec<&str> = items.iter().map(|i| i.as_str().unwrap()).collect();
                assert_eq!(got, want, "{w}");
            }
            other => {
                // Nested objects and arrays of objects: the decoded tree round-trips.
                let decoded = a.value().expect("decodes");
                let back: Value = serde_json::from_str(a.raw()).unwrap();
                assert_eq!(&back, other, "{w}");
                assert!(
                    !matches!(decoded, tripline_tracee::ArgValue::Null),
                    "{w}: non-null value decoded as null"
                );
            }
        }
    }
}

/// Reads a whole file, checks every event against the generic decoding, returns counts.
fn read_all(path: &Path) -> (tripline_tracee::Counts, Vec<String>) {
    let text = std::fs::read_to_string(path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let mut reader = Reader::new(BufReader::new(File::open(path).unwrap()));
    let mut names = Vec::new();
    let mut last_line = 0;
    while let Some(r) = reader.next_record() {
        let r = r.unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let (line_no, _) = r.location();
        assert!(line_no > last_line);
        last_line = line_no;
        names.push(r.event_name().to_owned());
        if let Record::Trace(ev) = &r {
            let src = lines[usize::try_from(line_no).unwrap() - 1];
            assert_eq!(ev.raw, src);
            let v: Value = serde_json::from_str(src).unwrap();
            check_event(ev, &v, &format!("{}:{line_no}", path.display()));
        }
    }
    let counts = reader.counts().clone();
    assert!(counts.balanced(), "{}: {counts:?}", path.display());
    assert_eq!(
        counts.lines as usize,
        lines.len(),
        "{}: every line read",
        path.display()
    );
    (counts, names)
}

#[test]
fn v018_v024_network_events() {
    let Some(p) = corpus_file("v0.18-v0.24_trace-event.jsonl") else {
        return;
    };
    let (c, names) = read_all(&p);
    assert_eq!((c.records, c.errors, c.skipped_total()), (69, 0, 0));
    assert!(names.iter().all(|n| n.starts_with("net_packet_")));
    // A known line, asserted by hand: the first net_packet_tcp (vlc, host).
    let text = std::fs::read_to_string(&p).unwrap();
    let Record::Trace(ev) = from_str(text.lines().next().unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(ev.event_name, "net_packet_tcp");
    assert_eq!(ev.timestamp, Some(1_696_255_674_450_496_178));
    assert_eq!(
        ev.time_ns(&Settings::default()),
        Some(1_696_255_674_450_496_178)
    );
    assert_eq!(
        (ev.process_id, ev.thread_id),
        (Some(1_014_858), Some(1_014_989))
    );
    assert_eq!(ev.container_id(), None);
    assert_eq!(ev.executable_path(), None);
    assert_eq!(ev.arg_str("src").as_deref(), Some("192.168.200.50"));
    assert_eq!(ev.arg_str("dst").as_deref(), Some("70.42.73.30"));
    assert_eq!(ev.arg_i64("dst_port"), Some(80));
    let tcp = ev.arg_value("proto_tcp").unwrap();
    assert_eq!(tcp.get("seq").and_then(|v| v.as_i64()), Some(4_173_220_235));
    assert_eq!(
        (
            ev.thread_entity_id,
            ev.process_entity_id,
            ev.parent_entity_id
        ),
        (
            Some(3_489_249_124),
            Some(3_999_221_038),
            Some(3_069_802_613)
        )
    );
    assert_eq!(ev.stack_addresses.as_deref(), Some(&[0u64][..]));
    assert_eq!(ev.matched_policies.as_deref().map(<[_]>::len), Some(1));
    assert!(!ev.is_signature());
    // The containerized process (container{} holding only the id).
    let in_container: Vec<_> = text
        .lines()
        .filter_map(|l| match from_str(l).unwrap() {
            Record::Trace(e) => e.container_id().map(str::to_owned),
            _ => None,
        })
        .collect();
    assert!(!in_container.is_empty());
    assert!(in_container.iter().all(|id| id.len() >= 12));
}

#[test]
fn v013_container_object_shape() {
    let Some(p) = corpus_file("v0.13-v0.14_container-object.jsonl") else {
        return;
    };
    let (c, names) = read_all(&p);
    assert_eq!((c.records, c.errors), (4, 0));
    assert_eq!(
        names,
        ["security_file_open", "vfs_read", "vfs_read", "execve"]
    );
    let text = std::fs::read_to_string(&p).unwrap();
    let Record::Trace(ev) = from_str(text.lines().next().unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(ev.timestamp, Some(1_680_182_976_364_916_505));
    assert_eq!(ev.process_id, Some(676));
    assert_eq!(ev.arg_str("pathname").as_deref(), Some("/proc/meminfo"));
    assert_eq!(ev.arg_str("flags").as_deref(), Some("O_RDONLY|O_LARGEFILE"));
    assert_eq!(ev.arg_i64("dev"), Some(45));
    assert_eq!(ev.syscall.as_deref(), Some("openat"));
    let Record::Trace(ev) = from_str(text.lines().nth(3).unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(ev.arg_str_list("argv").unwrap(), ["/opt/cni/bin/bridge"]);
    assert_eq!(ev.arg_str_list("envp").unwrap(), Vec::<&str>::new());
    assert_eq!(ev.matched_policies.as_deref().unwrap(), ["execve_event"]);
}

#[test]
fn v08_v012_flat_shape() {
    let Some(p) = corpus_file("v0.8-v0.12_flat-container.jsonl") else {
        return;
    };
    let (c, names) = read_all(&p);
    assert_eq!((c.records, c.errors), (128, 0));
    assert!(names.contains(&"sched_process_exec".to_owned()));
    let text = std::fs::read_to_string(&p).unwrap();
    let mut saw_exec = false;
    let mut saw_fileless = false;
    let mut saw_pointer = false;
    for l in text.lines() {
        let Record::Trace(ev) = from_str(l).unwrap() else {
            panic!()
        };
        // v0.8-era threadStartTime is monotonic: relative under Auto, timestamp is epoch.
        assert!(!ev.is_relative_time(&Settings::default()));
        match &*ev.event_name {
            "sched_process_exec" if !saw_exec => {
                saw_exec = true;
                assert_eq!(ev.arg_str("cmdpath").as_deref(), Some("/bin/exa"));
                assert_eq!(ev.arg_str("pathname").as_deref(), Some("/usr/bin/exa"));
                assert_eq!(ev.arg_str_list("argv").unwrap(), ["exa", "--color=auto"]);
                assert_eq!(ev.arg_i64("inode_mode"), Some(33261));
                assert_eq!(ev.process_id, Some(2_578_324));
            }
            "fileless_execution" => {
                saw_fileless = true;
                // Pre-v0.12 finding: no metadata, recognized by its signature event id.
                assert!(ev.metadata.is_none());
                assert!(ev.is_signature());
                assert_eq!(
                    ev.container_id(),
                    Some("c7e3c75bf167348bf79262bf6e688088f9b4d54ebcc79464f40b52b80c73ff55")
                );
                assert_eq!(
                    ev.container_image(),
                    Some("docker.io/aquasec/tracee:latest")
                );
                assert_eq!(ev.pod_name(), Some("tracee-wk8wh"));
                assert_eq!(ev.pod_namespace(), Some("tracee-system"));
                assert!(ev.arg_str("pathname").unwrap().starts_with("memfd:"));
            }
            "clone" if ev.arg_str("stack").as_deref() == Some("0x0") => {
                saw_pointer = true;
                assert_eq!(ev.arg_u64("stack"), Some(0));
                assert_eq!(ev.arg_u64("child_tid"), Some(0x7fd7_ce0d_3a10));
                assert_eq!(
                    ev.arg_str("flags").as_deref(),
                    Some("CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID")
                );
            }
            _ => {}
        }
    }
    assert!(saw_exec && saw_fileless && saw_pointer);
}

#[test]
fn v011_v012_signature_events() {
    let Some(p) = corpus_file("signature-events_v0.11-v0.12_flat-container.jsonl") else {
        return;
    };
    let (c, names) = read_all(&p);
    assert_eq!((c.records, c.errors), (2, 0));
    assert_eq!(names, ["New executable dropped", "Anti-Debugging detected"]);
    let text = std::fs::read_to_string(&p).unwrap();
    let Record::Trace(ev) = from_str(text.lines().next().unwrap()).unwrap() else {
        panic!()
    };
    assert!(ev.is_signature());
    assert_eq!(ev.event_id, Some(6029));
    assert_eq!(ev.return_value, Some(32768));
    assert_eq!(ev.matched_scopes, Some(1));
    assert_eq!(ev.pod_sandbox(), Some(false));
    assert_eq!(ev.container_name(), Some("app"));
    assert_eq!(ev.pod_uid(), Some("0f7ad251-39da-44f7-af28-34a0e971be3e"));
    assert_eq!(
        ev.arg_str("path").as_deref(),
        Some("/usr/bin/strace.dpkg-new")
    );
    let m = ev.metadata.as_ref().unwrap();
    assert_eq!(m.version.as_deref(), Some("1"));
    assert!(m.tags.is_none());
    let props = ev.properties().unwrap();
    assert_eq!(props.severity(), Some(2));
    assert_eq!(props.signature_id().as_deref(), Some("TRC-1022"));
    assert_eq!(
        props.signature_name().as_deref(),
        Some("New executable dropped")
    );
    assert_eq!(props.category().as_deref(), Some("defense-evasion"));
    assert_eq!(props.technique().as_deref(), Some("Masquerading"));
    assert_eq!(props.external_id().as_deref(), Some("T1036"));
    assert_eq!(props.kubernetes_technique().as_deref(), Some(""));
    assert_eq!(
        props.attack_pattern_id().as_deref(),
        Some("attack-pattern--42e8de7b-37b2-4258-905a-6897815e58e0")
    );
    assert!(ev.triggered_by().unwrap().is_none());
    let Record::Trace(ev) = from_str(text.lines().nth(1).unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(
        ev.properties().unwrap().signature_id().as_deref(),
        Some("TRC-102")
    );
    assert_eq!(ev.properties().unwrap().severity(), Some(1));
    assert_eq!(ev.container_id(), None);
    assert!(ev.args.is_empty());
}

fn table_file(name: &str, data_rows: u64) {
    let Some(p) = corpus_file(name) else { return };
    let (c, names) = read_all(&p);
    assert!(names.is_empty());
    assert_eq!((c.records, c.errors), (0, 0));
    assert_eq!(c.skipped(SkipKind::TableHeader), 1);
    assert_eq!(c.skipped(SkipKind::TableRow), data_rows);
    assert_eq!(c.skipped(SkipKind::TableEpilogue), 2);
    assert_eq!(c.skipped(SkipKind::Blank), 1);
}

#[test]
fn table_output_is_skipped_and_counted() {
    table_file("table_output_v0.19-docs.txt", 3);
    table_file("table-verbose_output_v0.19-docs.txt", 3);
}

#[test]
fn v1beta1_handwritten_document() {
    let Some(p) = corpus_file("v1beta1_main_docs-example_HANDWRITTEN.json") else {
        return;
    };
    let (c, names) = read_all(&p);
    assert_eq!((c.records, c.errors), (1, 0));
    assert_eq!(names, ["sched_process_exec"]);
    assert!(c.continuation_lines > 0);
    let text = std::fs::read_to_string(&p).unwrap();
    let Record::V1(ev) = from_str(&text).unwrap() else {
        panic!()
    };
    assert_eq!(ev.time_ns(), Some(1_732_454_400_123_456_789));
    assert_eq!(ev.matched_policies(), ["default-policy"]);
    assert_eq!(ev.pid(), Some(12345));
    assert_eq!(ev.tid(), Some(12345));
    assert_eq!(ev.uid(), Some(1000));
    assert_eq!(ev.parent_pid(), Some(1234));
    assert_eq!(ev.process_name().as_deref(), Some("bash"));
    assert_eq!(ev.executable_path().as_deref(), Some("/usr/bin/bash"));
    assert_eq!(ev.syscall().as_deref(), Some("execve"));
    assert_eq!(ev.container_id(), None);
    assert_eq!(ev.data_str("pathname").as_deref(), Some("/usr/bin/ls"));
    assert_eq!(ev.data_str_list("argv").unwrap(), ["ls", "-la", "/tmp"]);
}

#[test]
fn every_corpus_file_is_covered() {
    let Some(files) = tripline_testkit::corpus_files("tracee") else {
        return;
    };
    let mut total = 0;
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name == "MANIFEST.md" || name == "index.tsv" {
            continue;
        }
        let (c, _) = read_all(&f);
        assert_eq!(c.errors, 0, "{name}");
        total += c.records;
    }
    assert_eq!(total, 69 + 4 + 128 + 2 + 1);
}
