//! Normalization into findings and `FieldSource` over raw alerts.
#![cfg(feature = "schema")]

use std::net::IpAddr;

use tripline_falco::{NormalizeOptions, Reader, from_str, parse_line};
use tripline_schema::{EventKind, FieldSource, Outcome, SeverityLevel, Value};

fn fixture(name: &str) -> String {
    let path = tripline_testkit::fixture(env!("CARGO_MANIFEST_DIR"), &format!("fixtures/{name}"));
    std::fs::read_to_string(path).unwrap()
}

fn finding(e: &tripline_schema::Event) -> &tripline_schema::Finding {
    match &e.kind {
        EventKind::Finding(f) => f,
        other => panic!("{other:?}"),
    }
}

#[test]
fn host_process_file_user_from_output_fields() {
    let text = fixture("seed_config.jsonl");
    let e = from_str(text.lines().next().unwrap()).unwrap().normalize();
    assert_eq!(
        e.time.timestamp_nanos_opt(),
        Some(1_764_209_521_123_456_789)
    );
    assert!(
        e.container.is_none(),
        "container.id == host means no container"
    );
    assert_eq!(e.host.as_ref().unwrap().name.as_deref(), Some("lab-node-1"));
    assert_eq!(e.severity.level, SeverityLevel::Medium);
    assert_eq!(e.severity.original.as_deref(), Some("Warning"));
    assert_eq!(e.action.as_deref(), Some("openat"));
    let f = finding(&e);
    assert_eq!(
        f.rule.name.as_deref(),
        Some("Read sensitive file untrusted")
    );
    assert_eq!(f.rule.category.as_deref(), Some("syscall"));
    let p = f.process.as_ref().unwrap();
    assert_eq!(p.pid, Some(48213));
    assert_eq!(p.executable.as_deref(), Some("/usr/bin/cat"));
    assert_eq!(p.command_line.as_deref(), Some("cat /etc/shadow"));
    assert_eq!(p.tty.as_deref(), Some("34817"));
    assert_eq!(p.user.as_ref().unwrap().id, Some(0));
    assert_eq!(p.login_user.as_ref().unwrap().id, Some(1000));
    let parent = p.parent.as_ref().unwrap();
    assert_eq!(parent.name.as_deref(), Some("sudo"));
    assert_eq!(parent.command_line.as_deref(), Some("sudo cat /etc/shadow"));
    assert_eq!(
        f.file.as_ref().unwrap().path.as_deref(),
        Some("/etc/shadow")
    );
    assert_eq!(
        f.user.as_ref().unwrap().id,
        Some(1000),
        "the human is the login user"
    );
    let falco = e.unmapped["falco"].as_map().unwrap();
    assert_eq!(falco["output_fields"]["proc.aname[2]"], "sudo");
    assert!(falco["output_fields"]["proc.aname[3]"].is_null());
    // The schema's path access reaches bracket keys under unmapped.
    assert_eq!(
        e.get("falco.output_fields.proc.aname[2]"),
        Some(Value::str("sudo"))
    );
}

#[test]
fn container_k8s_network_outcome() {
    let text = fixture("seed_config.jsonl");
    let mut lines = text.lines().skip(1);
    let e = from_str(lines.next().unwrap()).unwrap().normalize();
    let c = e.container.as_ref().unwrap();
    assert_eq!(c.id.as_deref(), Some("3c1a3e5f9b2d"));
    assert_eq!(c.name.as_deref(), Some("eventgen"));
    let img = c.image.as_ref().unwrap();
    assert_eq!(
        img.name.as_deref(),
        Some("docker.io/falcosecurity/event-generator")
    );
    assert_eq!(img.tag.as_deref(), Some("latest"));
    assert!(e.orchestrator.is_none(), "null k8s fields are no context");
    assert_eq!(e.outcome, Outcome::Success);
    let p = finding(&e).process.as_ref().unwrap();
    assert_eq!(p.tty, None, "tty 0 is no terminal");
    assert!(p.login_user.is_none(), "loginuid -1 is unset");
    assert_eq!(p.cwd.as_deref(), Some("/"));
    assert_eq!(p.ppid, Some(48299));

    let e = from_str(lines.next().unwrap()).unwrap().normalize();
    let f = finding(&e);
    let src = f.source.as_ref().unwrap();
    let dst = f.destination.as_ref().unwrap();
    assert_eq!(src.ip, Some("172.17.0.3".parse::<IpAddr>().unwrap()));
    assert_eq!((src.port, dst.port), (Some(51234), Some(2222)));
    assert_eq!(dst.ip, Some("10.0.0.7".parse::<IpAddr>().unwrap()));
    assert!(f.file.is_none(), "a socket tuple in fd.name is not a file");
    assert_eq!(e.unmapped["falco"]["output_fields"]["fd.types"][0], "ipv4");
}

#[test]
fn internal_drop_events_are_alertable_findings() {
    let text = fixture("seed_config.jsonl");
    let e = from_str(text.lines().nth(3).unwrap()).unwrap().normalize();
    assert_eq!(e.action.as_deref(), Some("syscall_event_drop"));
    let f = finding(&e);
    assert_eq!(
        f.rule.name.as_deref(),
        Some("Falco internal: syscall event drop")
    );
    assert_eq!(f.rule.ruleset.as_deref(), Some("falco_internal"));
    assert_eq!(e.unmapped["falco"]["internal"], "syscall_event_drop");
    assert_eq!(e.unmapped["falco"]["output_fields"]["n_drops"], "12");

    let line = "2025-11-27T02:12:03.000000000+0000: Critical Falco internal: syscall event drop. 12 system calls dropped in last second. (ebpf_enabled=1 n_drops=12)";
    let tripline_falco::Line::Record(r) = parse_line(line).unwrap() else {
        panic!()
    };
    let e = r.normalize();
    assert_eq!(e.action.as_deref(), Some("syscall_event_drop"));
    assert_eq!(e.severity.level, SeverityLevel::Critical);
    assert_eq!(e.unmapped["falco"]["fields"]["n_drops"], "12");
    assert_eq!(
        e.time.timestamp_nanos_opt(),
        Some(1_764_209_523_000_000_000)
    );
}

#[test]
fn attack_from_tags_and_plugin_fields_unmapped() {
    let text = fixture("default_config.jsonl");
    let e = from_str(text.lines().next().unwrap()).unwrap().normalize();
    let f = finding(&e);
    assert_eq!(f.attacks.len(), 1);
    assert_eq!(f.attacks[0].tactic.as_ref().unwrap().id, "TA0006");
    assert_eq!(f.attacks[0].technique.as_ref().unwrap().id, "T1555");
    assert_eq!(e.tags.len(), 6);
    assert!(
        e.message
            .as_deref()
            .unwrap()
            .starts_with("2025-11-27T02:12:01")
    );

    let k8s = r#"{"hostname":"h","output_fields":{"evt.time":1739178940698757000,"ka.response.code":"200","ka.uri.param[command]":"sh","ka.user.name":"yacht","ct.region":null},"priority":"Warning","rule":"Disallowed K8s User","source":"k8s_audit","tags":["k8s"],"time":"2025-02-10T09:15:40.698757000Z"}"#;
    let e = from_str(k8s).unwrap().normalize();
    let of = &e.unmapped["falco"]["output_fields"];
    assert_eq!(of["ka.response.code"], "200");
    assert_eq!(of["ka.uri.param[command]"], "sh");
    assert!(of["ct.region"].is_null());
    assert!(finding(&e).process.is_none());
    assert_eq!(finding(&e).rule.category.as_deref(), Some("k8s_audit"));

    let e = from_str(text.lines().nth(2).unwrap()).unwrap().normalize();
    let c = e.container.unwrap();
    assert_eq!(c.privileged, Some(true));
    assert_eq!(c.image.as_ref().unwrap().name.as_deref(), Some("nginx"));
    assert_eq!(c.image.as_ref().unwrap().tag.as_deref(), Some("1.25"));
}

#[test]
fn text_alerts_fill_entities_from_pairs() {
    let line = "09:46:05.727801343: Warning Sensitive file opened for reading by non-trusted program (file=/etc/shadow gparent=systemd evt_type=openat user=root user_uid=0 user_loginuid=-1 process=cat proc_exepath=/usr/bin/cat parent=containerd-shim command=cat /etc/shadow terminal=34816 container_id=bf74f1749e23 container_image=docker.io/library/nginx container_image_tag=latest container_name=nginx k8s_ns=default k8s_pod_name=nginx-7854ff8877-h97p4)";
    let tripline_falco::Line::Record(r) = parse_line(line).unwrap() else {
        panic!()
    };
    let date = chrono::NaiveDate::from_ymd_opt(2024, 3, 1).unwrap();
    let e = r.normalize_with(
        &NormalizeOptions::default()
            .date(date)
            .utc_offset_seconds(3600),
    );
    assert_eq!(e.time.to_rfc3339(), "2024-03-01T08:46:05.727801343+00:00");
    let c = e.container.as_ref().unwrap();
    assert_eq!(c.id.as_deref(), Some("bf74f1749e23"));
    assert_eq!(c.image.as_ref().unwrap().tag.as_deref(), Some("latest"));
    let o = e.orchestrator.as_ref().unwrap();
    assert_eq!(o.pod_name.as_deref(), Some("nginx-7854ff8877-h97p4"));
    let f = finding(&e);
    let p = f.process.as_ref().unwrap();
    assert_eq!(p.executable.as_deref(), Some("/usr/bin/cat"));
    assert_eq!(p.user.as_ref().unwrap().id, Some(0));
    assert_eq!(
        f.file.as_ref().unwrap().path.as_deref(),
        Some("/etc/shadow")
    );
    assert_eq!(e.unmapped["falco"]["fields"]["gparent"], "systemd");
    assert!(e.unmapped["falco"].get("time_of_day_only").is_none());
}

#[test]
fn reader_next_event_keeps_raw_and_location() {
    let text = fixture("stdout_mixed.txt");
    let mut r = Reader::new(text.as_bytes());
    let opts =
        NormalizeOptions::default().date(chrono::NaiveDate::from_ymd_opt(2025, 11, 27).unwrap());
    let mut events = Vec::new();
    while let Some(e) = r.next_event(&opts) {
        if let Ok(e) = e {
            events.push(e);
        }
    }
    assert_eq!(events.len(), 4);
    let raw = events[1].raw.as_ref().unwrap();
    assert!(raw.text.starts_with("{\"hostname\":\"lab-node-1\""));
    assert_eq!(raw.location.as_ref().unwrap().line, Some(9));
    assert_eq!(events[1].source.format, "falco-json");
    assert_eq!(events[0].source.format, "falco-text");
    assert_eq!(
        events[3].host.as_ref().unwrap().name.as_deref(),
        Some("lab-node-1")
    );
}

#[test]
fn reader_next_event_is_the_record_normalized_with_its_raw_line() {
    let text = fixture("stdout_mixed.txt");
    let mut opts =
        NormalizeOptions::default().date(chrono::NaiveDate::from_ymd_opt(2025, 11, 27).unwrap());
    opts.file = Some("/var/log/falco.log".into());
    let mut events = Reader::new(text.as_bytes());
    let mut records = Reader::new(text.as_bytes());
    let mut n = 0;
    while let Some(e) = events.next_event(&opts) {
        let r = records.next_record().unwrap();
        let (Ok(e), Ok(r)) = (e, r) else { continue };
        let raw = e.raw.as_ref().unwrap();
        let location = raw.location.as_ref().unwrap();
        let at = tripline_falco::Location {
            line: location.line.unwrap(),
            offset: location.offset.unwrap(),
        };
        let line = text.lines().nth(at.line as usize - 1).unwrap();
        assert_eq!(raw.text, line);
        assert_eq!(location.file.as_deref(), Some("/var/log/falco.log"));
        let expected = r.normalize_with(&opts.clone().raw(line, at));
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            serde_json::to_string(&expected).unwrap()
        );
        n += 1;
    }
    assert!(records.next_record().is_none());
    assert_eq!(n, 4);
}

#[test]
fn field_source_by_falco_names() {
    let line = r#"{"hostname":"h","output":"o","output_fields":{"container.id":"abc","evt.time":1700000000000000001,"proc.aname[2]":"bash","proc.cmdline":"sh -c id","user.uid":0,"fd.types":["ipv4","ipv6"],"k8s.ns.name":null,"evt.arg.name":"<NA>"},"priority":"Error","rule":"R","source":"syscall","tags":["a","b"],"time":"2023-11-14T22:13:20.000000001Z"}"#;
    let a = from_str(line).unwrap();
    assert_eq!(a.field("rule"), Some(Value::str("R")));
    assert_eq!(a.field("priority"), Some(Value::str("Error")));
    assert_eq!(a.field("source"), Some(Value::str("syscall")));
    assert_eq!(a.field("hostname"), Some(Value::str("h")));
    assert_eq!(a.field("output"), Some(Value::str("o")));
    assert_eq!(
        a.field("tags"),
        Some(Value::List(vec![Value::str("a"), Value::str("b")]))
    );
    assert_eq!(a.field("proc.cmdline"), Some(Value::str("sh -c id")));
    assert_eq!(
        a.field("output_fields.proc.cmdline"),
        Some(Value::str("sh -c id"))
    );
    assert_eq!(a.field("container.id"), Some(Value::str("abc")));
    assert_eq!(a.field("proc.aname[2]"), Some(Value::str("bash")));
    assert_eq!(
        a.field("evt.time"),
        Some(Value::Int(1_700_000_000_000_000_001))
    );
    assert_eq!(a.field("user.uid"), Some(Value::Int(0)));
    assert_eq!(a.field("k8s.ns.name"), Some(Value::Null));
    assert_eq!(
        a.field("evt.arg.name"),
        Some(Value::Null),
        "<NA> is missing"
    );
    assert_eq!(a.field("message"), None);
    assert_eq!(a.field("nope"), None);
    assert_eq!(a.raw_text(), Some("o"));
    let names = a.field_names();
    assert!(names.iter().any(|n| n == "proc.aname[2]"));
    assert!(names.iter().any(|n| n == "tags"));

    let tripline_falco::Line::Record(t) =
        parse_line("12:00:00.000000001: Notice T (command=ls parent=<NA>)").unwrap()
    else {
        panic!()
    };
    assert_eq!(t.field("command"), Some(Value::str("ls")));
    assert_eq!(t.field("parent"), Some(Value::Null));
    assert_eq!(t.field("priority"), Some(Value::str("Notice")));
    assert_eq!(t.field("rule"), Some(Value::str("T")));
    assert!(t.raw_text().unwrap().starts_with("12:00:00"));
}

#[test]
fn minimal_alert_without_optional_keys_normalizes() {
    // Falco 0.41+ with every json_include_* switched off, and pre-0.30 without source.
    let e = from_str(r#"{"priority":"Alert","rule":"R","time":"2025-01-01T00:00:00.000000001Z"}"#)
        .unwrap()
        .normalize();
    assert_eq!(e.severity.level, SeverityLevel::Fatal);
    assert_eq!(
        e.time.timestamp_nanos_opt(),
        Some(1_735_689_600_000_000_001)
    );
    assert!(e.host.is_none() && e.container.is_none() && e.message.is_none());
    assert!(e.unmapped.is_empty());
    let f = finding(&e);
    assert_eq!(f.rule.name.as_deref(), Some("R"));
    assert!(f.process.is_none() && f.attacks.is_empty());
}

#[test]
fn grpc_missing_values_are_null_and_strings_are_typed() {
    let line = r#"{"time":{"seconds":1570094449,"nanos":620298462},"priority":4,"rule":"R","output_fields":{"container.id":"host","evt.arg.name":"<NA>","proc.pid":"4242","user.uid":"1000","proc.cmdline":"zsh","fd.sport":"443","fd.sip":"10.0.0.1"}}"#;
    let e = from_str(line).unwrap().normalize();
    assert_eq!(e.source.format, "falco-grpc-json");
    assert!(e.container.is_none());
    assert!(e.unmapped["falco"]["output_fields"]["evt.arg.name"].is_null());
    let f = finding(&e);
    let p = f.process.as_ref().unwrap();
    assert_eq!(p.pid, Some(4242));
    assert_eq!(p.user.as_ref().unwrap().id, Some(1000));
    assert_eq!(f.destination.as_ref().unwrap().port, Some(443));
}
