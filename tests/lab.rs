//! End-to-end: the embedded lab scenario through the main example's library path (sources →
//! merge → enrichment → Sigma → correlation → findings), asserting every finding the
//! scenario's timeline implies, and writing the ECS and OCSF exports that CI validates.

use std::collections::BTreeSet;

use tripline::output::{OutputFormat, write_findings};
use tripline::pipeline::Report;
use tripline::run::{RunOptions, lab_dir, prepare};
use tripline::schema::{Event, EventKind, Finding, Product};

fn lab_report(opts: RunOptions) -> Report {
    let opts = RunOptions {
        paths: vec![lab_dir()],
        ..opts
    };
    let p = prepare(&opts).expect("prepare");
    assert!(
        p.pipeline.rejected().is_empty(),
        "{:?}",
        p.pipeline.rejected()
    );
    p.run(|_| {})
}

fn finding(e: &Event) -> &Finding {
    match &e.kind {
        EventKind::Finding(f) => f,
        _ => panic!("not a finding"),
    }
}

fn by_title<'r>(report: &'r Report, title: &str) -> Vec<&'r Event> {
    report
        .findings
        .iter()
        .filter(|e| finding(e).rule.name.as_deref() == Some(title))
        .collect()
}

fn one<'r>(report: &'r Report, title: &str) -> &'r Event {
    let v = by_title(report, title);
    assert_eq!(v.len(), 1, "{title}: {v:#?}");
    v[0]
}

const WEB_ID: &str = "3f4e8a1c9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
const TOOLBOX_ID: &str = "9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d";

#[test]
fn every_input_is_read_and_accounted() {
    let r = lab_report(RunOptions::default());
    assert_eq!(r.stats.input_errors, 0, "{:?}", r.errors);
    let formats: BTreeSet<&str> = r.inputs.iter().map(|i| i.format.as_str()).collect();
    assert_eq!(
        formats,
        BTreeSet::from(["auditd", "docker-events", "docker-logs", "falco", "tracee"])
    );
    for i in &r.inputs {
        assert!(i.balanced(), "{i:?}");
        assert!(i.events > 0, "{i:?}");
    }
    let audit = r.inputs.iter().find(|i| i.format == "auditd").unwrap();
    assert_eq!((audit.lines, audit.events), (45, 33));
    // The 16 KiB request line arrives as two json-file chunks and is one event.
    let logs = r.inputs.iter().find(|i| i.format == "docker-logs").unwrap();
    assert_eq!((logs.lines, logs.events), (8, 7));
    assert_eq!(r.merge.out_of_order, 0);
    assert_eq!(r.enrich.unresolved, 0);
}

#[test]
fn shell_in_web_is_attributed_to_alice() {
    let r = lab_report(RunOptions::default());
    let e = one(
        &r,
        "Interactive shell in a container attributed to a host user",
    );
    let f = finding(e);
    assert_eq!(e.source.product, Product::Tripline);
    assert_eq!(e.severity.level.caption(), "High");
    // The human: auid 1000, named by auditd's ENRICHED AUID.
    let user = f.user.as_ref().expect("user");
    assert_eq!((user.id, user.name.as_deref()), (Some(1000), Some("alice")));
    // The container: id, name and image resolved through the inspect cache.
    let c = e.container.as_ref().expect("container");
    assert_eq!(c.id.as_deref(), Some(WEB_ID));
    assert_eq!(c.name.as_deref(), Some("web"));
    let img = c.image.as_ref().unwrap();
    assert_eq!(
        (img.name.as_deref(), img.tag.as_deref()),
        (Some("nginx"), Some("1.27"))
    );
    // The command the human typed.
    let p = f.process.as_ref().expect("process");
    assert_eq!(p.command_line.as_deref(), Some("docker exec -it web sh"));
    assert_eq!(
        f.group.get("container.id").map(|s| s.as_str()),
        Some(WEB_ID)
    );
    // Evidence from all three sources, in order: the auditd exec, Docker's exec session,
    // the shell seen by Falco or Tracee.
    let ev = r.evidence_of(e);
    let products: Vec<&str> = ev.iter().map(|e| e.source.product.name()).collect();
    assert_eq!(products.first(), Some(&"auditd"), "{products:?}");
    assert!(products.contains(&"docker"), "{products:?}");
    assert!(
        products.contains(&"tracee") || products.contains(&"falco"),
        "{products:?}"
    );
    let auditd = &ev[0];
    assert_eq!(
        auditd.id.as_deref(),
        Some("auditd:lab-docker-01:1795165390.109:1231")
    );
    let loc = auditd.location().unwrap();
    assert!(loc.file.as_deref().unwrap().ends_with("audit.log"));
    assert_eq!(loc.line, Some(37));
    let docker = ev
        .iter()
        .find(|e| e.source.product == Product::Docker)
        .unwrap();
    assert!(
        matches!(docker.action.as_deref(), Some("exec_create" | "exec_start")),
        "{:?}",
        docker.action
    );
    for id in &f.evidence {
        assert!(
            r.evidence.contains_key(id.as_str()),
            "evidence {id} not held"
        );
    }
}

#[test]
fn the_other_pack_findings() {
    let r = lab_report(RunOptions::default());

    let e = one(&r, "Repeated failed authentication for one user");
    let f = finding(e);
    assert_eq!(f.group.get("user.name").map(|s| s.as_str()), Some("bob"));
    assert_eq!(f.count, Some(5));
    assert_eq!(f.user.as_ref().unwrap().name.as_deref(), Some("bob"));

    let e = one(
        &r,
        "Sensitive file read in a privileged or host-mounted container",
    );
    let f = finding(e);
    let c = e.container.as_ref().unwrap();
    assert_eq!(
        (c.id.as_deref(), c.name.as_deref()),
        (Some(TOOLBOX_ID), Some("toolbox"))
    );
    assert_eq!(c.privileged, Some(true));
    assert_eq!(
        f.file.as_ref().unwrap().path.as_deref(),
        Some("/host/etc/shadow")
    );

    let e = one(&r, "Write under /etc in a container after an exec into it");
    let f = finding(e);
    assert_eq!(e.container.as_ref().unwrap().name.as_deref(), Some("web"));
    assert_eq!(
        f.file.as_ref().unwrap().path.as_deref(),
        Some("/etc/passwd")
    );

    let e = one(&r, "Container contacting many distinct destinations");
    let f = finding(e);
    assert_eq!(e.container.as_ref().unwrap().id.as_deref(), Some(WEB_ID));
    assert!(f.count.unwrap() >= 10, "{:?}", f.count);

    // Falco's own alerts are findings too, with the container resolved from its short id.
    for title in [
        "Terminal shell in container",
        "Read sensitive file untrusted",
    ] {
        let e = one(&r, title);
        assert_eq!(e.source.product, Product::Falco);
        assert_eq!(e.container.as_ref().unwrap().id.as_deref(), Some(WEB_ID));
    }
    // No other findings: the scenario has exactly these.
    assert_eq!(r.findings.len(), 7, "{:#?}", r.metrics.overall.by_rule);
    assert_eq!(r.metrics.overall.by_container["web"], 5);
    assert_eq!(r.metrics.overall.by_source["tripline"], 5);
}

/// Streaming findings (as the main example does) hands each finding all of its evidence,
/// also when two findings share an event: the `exec_start` that opens both the attributed
/// shell and the write under /etc once went only to whichever was released first.
#[test]
fn streamed_findings_carry_all_their_evidence() {
    use std::sync::{Arc, Mutex};
    let p = prepare(&RunOptions {
        paths: vec![lab_dir()],
        ..RunOptions::default()
    })
    .expect("prepare");
    let mut p = p;
    let got: Arc<Mutex<Vec<(String, usize, usize)>>> = Arc::default();
    let sink = got.clone();
    p.pipeline.stream_findings(move |f, evidence| {
        let EventKind::Finding(x) = &f.kind else {
            return;
        };
        let name = x.rule.name.as_deref().unwrap_or("").to_string();
        sink.lock()
            .unwrap()
            .push((name, x.evidence.len(), evidence.len()));
    });
    let report = p.run(|_| {});
    assert!(report.findings.is_empty(), "streamed, not held");
    let got = got.lock().unwrap();
    let correlated: Vec<_> = got.iter().filter(|(_, ids, _)| *ids > 0).collect();
    assert!(correlated.len() >= 4, "{got:?}");
    for (name, ids, held) in &correlated {
        assert_eq!(
            ids, held,
            "{name}: {held} of {ids} evidence events streamed"
        );
    }
    let etc = correlated
        .iter()
        .find(|(n, _, _)| n == "Write under /etc in a container after an exec into it")
        .expect("etc write finding");
    assert_eq!(etc.1, 2, "{etc:?}");
}

#[test]
fn replay_gives_the_same_findings() {
    let a = lab_report(RunOptions::default());
    let b = lab_report(RunOptions::default());
    assert_eq!(a.findings, b.findings);
}

#[test]
fn an_investigation_window_detects_only_inside_it() {
    use chrono::{TimeZone, Utc};
    let all = lab_report(RunOptions::default());
    let settings = tripline::pipeline::PipelineSettings {
        since: Some(Utc.with_ymd_and_hms(2026, 11, 20, 9, 3, 0).unwrap()),
        until: Some(Utc.with_ymd_and_hms(2026, 11, 20, 9, 3, 40).unwrap()),
        ..Default::default()
    };
    let r = lab_report(RunOptions {
        settings,
        ..RunOptions::default()
    });
    let titles: BTreeSet<_> = r
        .findings
        .iter()
        .filter_map(|e| finding(e).rule.name.as_deref())
        .collect();
    assert_eq!(
        titles,
        BTreeSet::from([
            "Interactive shell in a container attributed to a host user",
            "Read sensitive file untrusted",
            "Terminal shell in container",
        ])
    );
    // Every event is accounted: detected on, or counted outside the window.
    assert_eq!(r.stats.events + r.stats.outside_window, all.stats.events);
    assert!(r.stats.outside_window > 0 && r.stats.events > 0);
    // The shell is still attributed: the docker exec it comes from is inside the window,
    // and the container names learned before it still apply.
    let shell = one(
        &r,
        "Interactive shell in a container attributed to a host user",
    );
    assert_eq!(
        shell.container.as_ref().unwrap().name.as_deref(),
        Some("web")
    );
}

#[test]
fn without_the_pack_only_source_findings_remain() {
    let r = lab_report(RunOptions {
        pack: false,
        ..RunOptions::default()
    });
    assert_eq!(r.findings.len(), 2);
    assert!(
        r.findings
            .iter()
            .all(|e| e.source.product == Product::Falco)
    );
}

#[test]
fn suppression_is_counted_not_dropped() {
    let dir = std::env::temp_dir().join(format!("tripline-lab-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("suppress.yml");
    std::fs::write(
        &file,
        "- id: bob-typo\n  reason: bob mistypes his sudo password\n  author: secops\n  match: {user.name: bob}\n",
    )
    .unwrap();
    let r = lab_report(RunOptions {
        suppress: Some(file),
        ..RunOptions::default()
    });
    assert_eq!(r.findings.len(), 6);
    assert_eq!(r.suppressed.len(), 1);
    assert_eq!(r.suppressions[0].suppressed, 1);
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn exports_for_the_ci_validators() {
    let r = lab_report(RunOptions::default());
    let dir = tripline_testkit::workspace_root().join("target/ci-out");
    std::fs::create_dir_all(&dir).unwrap();
    for (fmt, name) in [
        (OutputFormat::Ecs, "lab.ecs.ndjson"),
        (OutputFormat::Ocsf, "lab.ocsf.ndjson"),
    ] {
        let mut out = Vec::new();
        write_findings(&r, fmt, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(text.lines().count(), r.findings.len());
        for line in text.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(v.is_object());
        }
        std::fs::write(dir.join(name), &text).unwrap();
    }
    let mut md = Vec::new();
    write_findings(&r, OutputFormat::Markdown, &mut md).unwrap();
    let md = String::from_utf8(md).unwrap();
    assert!(md.contains("Interactive shell in a container attributed to a host user"));
    assert!(md.contains("alice"));
}
