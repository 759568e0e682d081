//! Sources, detection and the time-ordered merge over real inputs: every lab file detected as
//! its format, several inputs merged by event time, bad lines reported with file, line and
//! byte offset while the stream goes on, and the streaming findings sink.

use std::io::Cursor;
use std::sync::{Arc, Mutex};

use tripline::detect::Format;
use tripline::merge::{Merge, MergeSettings};
use tripline::pipeline::{Pipeline, PipelineSettings, load_attribution_pack};
use tripline::rules::{RuleSet, Settings};
use tripline::run::lab_dir;
use tripline::schema::Event;
use tripline::source::{InputError, Sources, detect_sample};

#[test]
fn every_lab_file_is_detected() {
    let rows = [
        ("audit.log", Format::AuditLog),
        ("docker-events.jsonl", Format::DockerEventsJson),
        ("docker-inspect.json", Format::DockerInspect),
        ("falco.json", Format::FalcoJson),
        ("tracee.json", Format::TraceeJson),
        (
            "3f4e8a1c9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f-json.log",
            Format::ContainerLogs,
        ),
    ];
    for (name, want) in rows {
        let bytes = std::fs::read(lab_dir().join(name)).unwrap();
        assert_eq!(detect_sample(&bytes), Some(want), "{name}");
    }
}

fn mem(s: &mut Sources, name: &str, text: &str) {
    s.add_reader(name, Box::new(Cursor::new(text.as_bytes().to_vec())), None);
}

const FALCO: &str = r#"{"hostname":"h","output_fields":{"container.id":"host","evt.time":1700000001500000000,"proc.cmdline":"id"},"priority":"Notice","rule":"R1","source":"syscall","time":"2023-11-14T22:13:21.500000000Z"}
{"hostname":"h","output_fields":{"evt.time":17,"rule":"R1",
{"hostname":"h","output_fields":{"container.id":"host","evt.time":1700000003500000000,"proc.cmdline":"id"},"priority":"Notice","rule":"R2","source":"syscall","time":"2023-11-14T22:13:23.500000000Z"}
"#;

const AUDIT: &str = "\
type=USER_CMD msg=audit(1700000001.000:1): pid=1 uid=0 auid=1000 ses=1 msg='cwd=\"/\" cmd=6C73 exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'
type=USER_CMD msg=audit(1700000002.000:2): pid=1 uid=0 auid=1000 ses=1 msg='cwd=\"/\" cmd=6C73 exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'
type=USER_CMD msg=audit(1700000004.000:3): pid=1 uid=0 auid=1000 ses=1 msg='cwd=\"/\" cmd=6C73 exe=\"/usr/bin/sudo\" terminal=pts/0 res=success'
";

#[test]
fn inputs_merge_by_event_time_and_errors_are_located() {
    let mut s = Sources::new();
    mem(&mut s, "falco.json", FALCO);
    mem(&mut s, "audit.log", AUDIT);
    let (inputs, _) = s.into_parts();
    assert_eq!(inputs.len(), 2);
    let mut merge = Merge::new(
        inputs,
        |r: &Result<Event, InputError>| r.as_ref().ok().map(|e| e.time),
        MergeSettings::default(),
    );
    let items: Vec<_> = merge.by_ref().collect();
    let errors: Vec<&InputError> = items.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errors.len(), 1);
    match errors[0] {
        InputError::Parse {
            file, line, offset, ..
        } => {
            assert_eq!((file.as_str(), *line), ("falco.json", 2));
            assert_eq!(*offset, FALCO.find("\n{").unwrap() as u64 + 1);
        }
        other => panic!("{other}"),
    }
    let events: Vec<&Event> = items.iter().filter_map(|r| r.as_ref().ok()).collect();
    let order: Vec<String> = events
        .iter()
        .map(|e| format!("{}:{}", e.source.product.name(), e.time.timestamp()))
        .collect();
    assert_eq!(
        order,
        [
            "auditd:1700000001",
            "falco:1700000001",
            "auditd:1700000002",
            "falco:1700000003",
            "auditd:1700000004"
        ]
    );
    for e in &events {
        let loc = e.location().expect("location");
        assert!(loc.file.is_some() && loc.line.is_some(), "{e:?}");
        assert!(e.id.is_some());
    }
    assert_eq!(merge.stats().out_of_order, 0);
    let counts: Vec<_> = merge
        .into_inputs()
        .iter()
        .map(tripline::source::Input::counts)
        .collect();
    assert_eq!(
        (counts[0].lines, counts[0].records, counts[0].errors),
        (3, 2, 1)
    );
    assert_eq!((counts[1].lines, counts[1].events), (3, 3));
    assert!(counts.iter().all(|c| c.balanced()));
}

#[test]
fn declared_format_and_unknown_files() {
    let mut s = Sources::new();
    s.add_reader(
        "x",
        Box::new(Cursor::new(AUDIT.as_bytes().to_vec())),
        Some(Format::AuditLog),
    );
    mem(&mut s, "notes.txt", "just some text\n");
    assert_eq!(s.inputs().len(), 1);
    assert!(matches!(s.errors()[0], InputError::UnknownFormat { .. }));
}

#[test]
fn streaming_sink_gets_every_finding() {
    let mut rules = RuleSet::new(Settings::default());
    load_attribution_pack(&mut rules);
    let mut sources = Sources::new();
    sources.add_path(lab_dir(), None);
    let (inputs, cache) = sources.into_parts();
    let settings = PipelineSettings {
        release_findings_at: 1,
        ..PipelineSettings::default()
    };
    let mut p = Pipeline::new(&rules, cache, settings);
    let got = Arc::new(Mutex::new(Vec::new()));
    let sink = got.clone();
    p.stream_findings(move |f, evidence| {
        sink.lock().unwrap().push((f.clone(), evidence.len()));
    });
    p.run(inputs, |_| {});
    let report = p.finish();
    assert!(report.findings.is_empty());
    let got = got.lock().unwrap();
    assert_eq!(got.len(), 7);
    assert_eq!(report.metrics.overall.total, 7);
    assert_eq!(report.stats.findings_streamed, 7);
    assert!(report.stats.releases >= 6);
    // Correlation findings arrive with their evidence events.
    let shell = got
        .iter()
        .find(|(f, _)| {
            f.message
                .as_deref()
                .unwrap_or("")
                .starts_with("Interactive shell")
        })
        .unwrap();
    assert!(shell.1 >= 3, "{}", shell.1);
}

#[test]
fn evidence_and_groups_stay_bounded() {
    // Many containers, each with one connect: the evidence store and correlation groups stay
    // within their limits and every drop is counted.
    let mut rules = RuleSet::new(Settings::default());
    load_attribution_pack(&mut rules);
    let mut text = String::new();
    for i in 0..3000u64 {
        text.push_str(&format!(
            "{{\"timestamp\":{},\"processId\":1,\"processName\":\"curl\",\"containerId\":\"{:064x}\",\"container\":{{\"id\":\"{:064x}\"}},\"kubernetes\":{{}},\"eventId\":\"731\",\"eventName\":\"security_socket_connect\",\"args\":[{{\"name\":\"remote_addr\",\"type\":\"struct sockaddr*\",\"value\":{{\"sa_family\":\"AF_INET\",\"sin_addr\":\"10.0.0.{}\",\"sin_port\":\"80\"}}}}]}}\n",
            1_700_000_000_000_000_000u64 + i * 1_000_000,
            i + 1,
            i + 1,
            i % 250
        ));
    }
    let mut sources = Sources::new();
    mem(&mut sources, "tracee.json", &text);
    let (inputs, cache) = sources.into_parts();
    let mut settings = PipelineSettings {
        max_evidence_events: 100,
        ..PipelineSettings::default()
    };
    settings.correlation.max_groups = 500;
    let mut p = Pipeline::new(&rules, cache, settings);
    p.run(inputs, |_| {});
    let r = p.finish();
    assert_eq!(r.stats.events, 3000);
    assert_eq!(r.stats.evidence_evicted, 2900);
    assert!(r.correlation.peak_groups <= 500, "{:?}", r.correlation);
    assert!(r.correlation.groups_evicted > 0);
    assert!(r.findings.is_empty());
}

#[test]
fn ptrace_events_are_evaluated_as_process_access() {
    use tripline::schema::{
        Event, EventKind, Process, ProcessAccess, ProcessAccessOp, Product, Source,
    };
    let ev = Event::new(
        chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
        Source::new(Product::Auditd, "audit-log"),
        EventKind::ProcessAccess(Box::new(ProcessAccess {
            op: ProcessAccessOp::Attach,
            request: Some("PTRACE_ATTACH".into()),
            process: None,
            target: Process::default(),
        })),
    );
    let ls = tripline::pipeline::logsources(&ev);
    assert_eq!(
        ls,
        vec![tripline::rules::LogSource::new(
            "linux",
            "process_access",
            ""
        )]
    );
}
