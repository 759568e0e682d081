//! Findings lifecycle: building from correlations, fingerprints and de-duplication,
//! suppressions, NDJSON/Markdown export, metrics.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use tripline_rules::Error;
use tripline_rules::correlation::{CorrelationSpec, Detection, Engine, Evidence, Settings};
use tripline_rules::findings::{
    DedupSettings, Deduplicator, Format, Matcher, Metrics, Observed, SuppressionSet, Verdict,
    fingerprint, from_correlation, to_json, to_markdown, write_ndjson,
};
use tripline_schema::{
    Container, Event, EventKind, Finding, Image, Location, Process, ProcessEvent, Product, Raw,
    Rule, SeverityLevel, Source, User,
};

fn at(sec: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000 + sec, 0).unwrap()
}

fn finding(sec: i64, rule: &str, user: &str, container: &str) -> Event {
    let kind = EventKind::Finding(Box::new(Finding {
        rule: Rule {
            id: Some(rule.into()),
            name: Some(format!("Rule {rule}").into()),
            authors: vec!["Jane Doe".into()],
            ..Rule::default()
        },
        user: Some(User::from_name(user)),
        evidence: vec![format!("ev-{sec}").into()],
        ..Finding::default()
    }));
    let mut e = Event::new(at(sec), Source::new(Product::Falco, "falco-json"), kind);
    e.container = Some(Container {
        id: Some(format!("{container}0123456789abcdef").into()),
        name: Some(container.into()),
        ..Container::default()
    });
    e.severity.level = SeverityLevel::High;
    e
}

fn exec_event(sec: i64, line: u64, cmd: &str) -> Event {
    let process = Process {
        executable: Some("/usr/bin/docker".into()),
        command_line: Some(cmd.into()),
        login_user: Some(User {
            id: Some(1000),
            name: Some("alice".into()),
        }),
        ..Process::default()
    };
    let mut e = Event::new(
        at(sec),
        Source::new(Product::Auditd, "audit-log"),
        EventKind::ProcessExec(Box::new(ProcessEvent {
            process,
            ..ProcessEvent::default()
        })),
    );
    e.id = Some(format!("audit-{line}").into());
    e.raw = Some(Raw {
        text: "type=EXECVE ...".into(),
        location: Some(Location {
            file: Some("audit.log".into()),
            line: Some(line),
            offset: None,
        }),
        ..Raw::default()
    });
    e.container = Some(Container {
        id: Some("4f1c2a9b8d7e6f5a4b3c2d1e0f9a8b7c".into()),
        name: Some("web".into()),
        image: Some(Image::parse_reference("nginx:1.27")),
        ..Container::default()
    });
    e
}

#[test]
fn fingerprint_is_stable_and_ignores_time_and_evidence() {
    let a = finding(0, "r1", "alice", "web");
    let b = finding(100, "r1", "alice", "web");
    let c = finding(0, "r1", "bob", "web");
    let d = finding(0, "r2", "alice", "web");
    assert_eq!(fingerprint(&a), fingerprint(&b));
    assert_ne!(fingerprint(&a), fingerprint(&c));
    assert_ne!(fingerprint(&a), fingerprint(&d));
    // Pinned value: FNV-1a is fixed, so this never changes across runs or platforms.
    let s = fingerprint(&a).to_string();
    assert_eq!(s.len(), 16);
    assert_eq!(
        s,
        fingerprint(&finding(7, "r1", "alice", "web")).to_string()
    );

    // With group-by values, the group decides, not the entities.
    let mut g1 = finding(0, "r1", "alice", "web");
    let mut g2 = finding(0, "r1", "bob", "db");
    for g in [&mut g1, &mut g2] {
        if let EventKind::Finding(f) = &mut g.kind {
            f.group.insert("host".into(), "h1".into());
        }
    }
    assert_eq!(fingerprint(&g1), fingerprint(&g2));
}

#[test]
fn dedup_counts_and_first_last_seen() {
    let mut d = Deduplicator::new(DedupSettings::default());
    let fp = match d.observe(finding(10, "r1", "alice", "web")) {
        Observed::New(fp) => fp,
        other => panic!("{other:?}"),
    };
    assert_eq!(
        d.observe(finding(5, "r1", "alice", "web")),
        Observed::Repeat(fp, 2)
    );
    assert_eq!(
        d.observe(finding(20, "r1", "alice", "web")),
        Observed::Repeat(fp, 3)
    );
    assert!(matches!(
        d.observe(finding(30, "r1", "bob", "web")),
        Observed::New(_)
    ));
    assert_eq!(d.len(), 2);
    let merged = d.get(fp).unwrap();
    let EventKind::Finding(f) = &merged.kind else {
        panic!()
    };
    assert_eq!(f.count, Some(3));
    assert_eq!(f.first_seen, Some(at(5)));
    assert_eq!(f.last_seen, Some(at(20)));
    assert_eq!(f.evidence, vec!["ev-10", "ev-5", "ev-20"]);
    let s = d.stats().clone();
    assert_eq!((s.observed, s.new, s.repeats, s.evicted), (4, 2, 2, 0));
    let all = d.into_findings();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[0].time,
        at(20),
        "first-appearance order, time = last seen"
    );
}

#[test]
fn dedup_limit_evicts_with_count() {
    let mut d = Deduplicator::new(DedupSettings {
        max_findings: 3,
        max_evidence: 1,
    });
    for i in 0..10 {
        d.observe(finding(i, "r1", &format!("u{i}"), "web"));
    }
    d.observe(finding(11, "r1", "u9", "web"));
    assert_eq!(d.len(), 3);
    let s = d.stats();
    assert_eq!(s.evicted, 7);
    assert_eq!(s.evidence_dropped, 1);
    // The survivors are the most recently updated.
    let users: Vec<tripline_schema::Text> = d
        .findings()
        .iter()
        .map(|(_, e)| e.actor_user().unwrap().name.clone().unwrap())
        .collect();
    assert_eq!(users, vec!["u7", "u8", "u9"]);
}

const SUPPRESSIONS: &str = r#"
suppressions:
  - id: backup
    reason: nightly backup
    author: alice@example.com
    expires: 2030-01-01
    match:
      rule.id: r1
      container.name: "back*"
  - id: admins
    reason: admins use shells
    author: bob
    match:
      user.name: [root, admin]
  - id: old
    reason: temporary during migration
    expires: 2023-11-01T00:00:00Z
    match:
      rule.id: r2
"#;

#[test]
fn suppressions_exact_wildcard_list_and_expiry() {
    let mut s = SuppressionSet::from_yaml_str(SUPPRESSIONS).unwrap();
    assert_eq!(s.entries().len(), 3);
    let cond = |path: &str| {
        s.entries()[0]
            .conditions
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, m)| m.clone())
    };
    assert_eq!(
        cond("container.name"),
        Some(Matcher::Wildcard("back*".into()))
    );
    assert_eq!(cond("rule.id"), Some(Matcher::Exact("r1".into())));
    let now = at(0); // 2023-11-14
    assert_eq!(
        s.check(&finding(0, "r1", "u", "backup-1"), now),
        Verdict::Suppressed(0)
    );
    assert_eq!(s.check(&finding(0, "r1", "u", "web"), now), Verdict::Keep);
    assert_eq!(
        s.check(&finding(0, "r9", "admin", "web"), now),
        Verdict::Suppressed(1)
    );
    assert_eq!(
        s.check(&finding(0, "r9", "administrator", "web"), now),
        Verdict::Keep
    );
    // `old` has expired: it matches but does not apply, and that is reported.
    assert_eq!(s.check(&finding(0, "r2", "u", "web"), now), Verdict::Keep);
    let report = s.report(None);
    assert_eq!(report[0].suppressed, 1);
    assert_eq!(report[0].author.as_deref(), Some("alice@example.com"));
    assert_eq!(report[1].suppressed, 1);
    assert_eq!(report[2].suppressed, 0);
    assert_eq!(report[2].matched_while_expired, 1);
    assert!(report[2].expired);
    assert!(!report[0].expired);
    assert_eq!(s.checked(), 5);
    assert_eq!(s.total_suppressed(), 2);
    assert_eq!(s.expired(now).len(), 1);
    // After 2030 the backup suppression expires too.
    let later = Utc.with_ymd_and_hms(2030, 1, 1, 0, 0, 0).unwrap();
    assert_eq!(
        s.check(&finding(0, "r1", "u", "backup-1"), later),
        Verdict::Keep
    );
    assert_eq!(s.report(None)[0].matched_while_expired, 1);
}

#[test]
fn suppressions_partition_never_discards() {
    let mut s = SuppressionSet::from_yaml_str(SUPPRESSIONS).unwrap();
    let input: Vec<Event> = (0..10)
        .map(|i| finding(i, "r1", if i % 2 == 0 { "root" } else { "u" }, "web"))
        .collect();
    let (kept, suppressed) = s.partition(input, at(0));
    assert_eq!(kept.len() + suppressed.len(), 10);
    assert_eq!(suppressed.len(), 5);
    assert!(suppressed.iter().all(|(i, _)| *i == 1));
    assert_eq!(s.report(None)[1].suppressed, 5);
}

#[test]
fn suppressions_from_json_and_file() {
    let json = r#"[{"id": "j", "reason": "r", "match": {"rule.id": "r1", "user.name": "a\\*"}}]"#;
    let mut s = SuppressionSet::from_json_str(json).unwrap();
    assert!(
        s.entries()[0]
            .conditions
            .contains(&("user.name".to_string(), Matcher::Exact("a*".into())))
    );
    assert_eq!(
        s.check(&finding(0, "r1", "a*", "w"), at(0)),
        Verdict::Suppressed(0)
    );
    assert_eq!(s.check(&finding(0, "r1", "ab", "w"), at(0)), Verdict::Keep);

    let dir = std::env::temp_dir().join(format!("tripline-supp-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("suppress.yml");
    std::fs::write(&path, SUPPRESSIONS).unwrap();
    assert_eq!(SuppressionSet::from_path(&path).unwrap().entries().len(), 3);
    let jpath = dir.join("suppress.json");
    std::fs::write(&jpath, json).unwrap();
    assert_eq!(
        SuppressionSet::from_path(&jpath).unwrap().entries().len(),
        1
    );
    let err = SuppressionSet::from_path(dir.join("missing.yml")).unwrap_err();
    assert!(matches!(err, Error::Io { .. }), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn suppression_errors_name_the_entry() {
    for (text, want) in [
        ("- {id: a, match: {rule.id: x}}", "reason"),
        ("- {reason: r}", "match"),
        ("- {reason: r, match: {}}", "match"),
        (
            "- {reason: r, expires: next tuesday, match: {a: b}}",
            "expires",
        ),
        ("- {reason: r, match: {a: {nested: map}}}", "scalar"),
        ("suppressions: 3", "list"),
        ("key: [unclosed", ""),
    ] {
        let err = SuppressionSet::from_yaml_str(text).unwrap_err().to_string();
        assert!(err.contains(want), "{text}: {err}");
    }
    // The entry is named by its 0-based index; quoted user text stays within 80 bytes.
    let long = "x".repeat(300);
    let text = format!(
        "- {{reason: r, match: {{a: b}}}}\n- {{reason: r, expires: {long}, match: {{a: b}}}}"
    );
    let err = SuppressionSet::from_yaml_str(&text).unwrap_err();
    match &err {
        Error::Suppression {
            index: Some(1),
            reason,
            ..
        } => assert!(reason.len() < 80 + 60, "{reason}"),
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().starts_with("<string>:0: suppression #1: "),
        "{err}"
    );
    let err = SuppressionSet::from_json_str("[{\"reason\": \"r\",}]").unwrap_err();
    assert!(
        matches!(&err, Error::Suppression { at, index: None, .. } if at.line == 1 && at.file == "<string>"),
        "{err}"
    );
}

#[test]
fn correlation_match_becomes_a_finding_with_entities() {
    let spec = CorrelationSpec::from_yaml_str(
        r#"
title: Interactive shell in a container
id: 9c3a1f70-0000-4000-8000-000000000001
description: docker exec into a container followed by a shell.
author: Tripline Team, Jane Doe
level: high
references: [https://example.com/attribution]
tags: [attack.execution, attack.t1059.004]
correlation:
  type: event_count
  rules: [docker_exec]
  group-by: [container.name]
  timespan: 5m
  condition: {gte: 2}
"#,
    )
    .unwrap();
    let mut engine = Engine::new(vec![spec.clone()], Settings::default()).unwrap();
    let evidence_events = vec![
        exec_event(0, 12, "docker exec -it web sh"),
        exec_event(30, 40, "docker exec -it web bash"),
    ];
    let mut out = Vec::new();
    for e in &evidence_events {
        let ev = Evidence::id(e.id.clone().unwrap());
        engine.process(
            &Detection::new("docker_exec", e.time, e).with_evidence(&ev),
            &mut out,
        );
    }
    assert_eq!(out.len(), 1);
    let f = from_correlation(&out[0], &spec, &evidence_events);
    assert_eq!(f.severity.level, SeverityLevel::High);
    assert_eq!(f.container.as_ref().unwrap().name.as_deref(), Some("web"));
    let EventKind::Finding(fi) = &f.kind else {
        panic!()
    };
    assert_eq!(fi.rule.authors, vec!["Tripline Team", "Jane Doe"]);
    assert_eq!(fi.evidence, vec!["audit-12", "audit-40"]);
    assert_eq!(
        fi.group.get("container.name").map(|s| s.as_str()),
        Some("web")
    );
    assert_eq!(fi.count, Some(2));
    assert_eq!(fi.user.as_ref().unwrap().name.as_deref(), Some("alice"));
    assert_eq!(
        fi.process.as_ref().unwrap().command_line.as_deref(),
        Some("docker exec -it web sh")
    );
    assert!(
        fi.attacks
            .iter()
            .any(|a| a.technique.as_ref().is_some_and(|t| t.id == "T1059"))
    );

    // Markdown for a tracker.
    let md = to_markdown(&f, &evidence_events);
    for want in [
        "## [High] Interactive shell in a container",
        "| Occurrences | 2 |",
        "docker exec into a container followed by a shell.",
        "| auditd | ",
        "docker exec -it web bash",
        "audit.log:40",
        "- **Container:** web (`4f1c2a9b8d7e`), image `nginx`:1.27",
        "- **User:** alice (uid 1000)",
        "- **Authors:** Tripline Team, Jane Doe",
        "- **License:** DRL-1.1",
        "<https://example.com/attribution>",
        "T1059",
    ] {
        assert!(md.contains(want), "missing {want:?} in\n{md}");
    }
    // Timeline in time order.
    assert!(md.find("audit.log:12").unwrap() < md.find("audit.log:40").unwrap());
    // Without evidence events, the evidence ids are listed.
    let md = to_markdown(&f, &[]);
    assert!(md.contains("- `audit-12`"), "{md}");

    // For the external validators (validate_ecs.py / validate_ocsf.py): set
    // TRIPLINE_EXPORT_DIR to get the exported finding and its evidence as NDJSON files.
    if let Ok(dir) = std::env::var("TRIPLINE_EXPORT_DIR") {
        let mut all = vec![f.clone()];
        all.extend(evidence_events.iter().cloned());
        for (name, format) in [("ecs", Format::Ecs), ("ocsf", Format::Ocsf)] {
            let file = std::fs::File::create(format!("{dir}/findings-{name}.ndjson")).unwrap();
            write_ndjson(file, &all, format).unwrap();
        }
    }

    // Without evidence events the group values still name the container.
    let bare = from_correlation(&out[0], &spec, &[]);
    assert_eq!(
        bare.container.as_ref().unwrap().name.as_deref(),
        Some("web")
    );
}

#[test]
fn markdown_escapes_table_cells() {
    let mut e = exec_event(0, 1, "sh -c 'a | b'\nsecond line");
    e.id = None;
    let f = finding(0, "r1", "alice", "web");
    let md = to_markdown(&f, &[e]);
    assert!(md.contains("sh -c 'a \\| b' second line"), "{md}");
}

#[test]
fn ndjson_export_in_three_forms() {
    let f = finding(0, "r1", "alice", "web");
    let events = vec![f.clone(), finding(1, "r2", "bob", "db")];
    for format in [Format::Native, Format::Ecs, Format::Ocsf] {
        let mut buf = Vec::new();
        let n = write_ndjson(&mut buf, &events, format).unwrap();
        assert_eq!(n, 2);
        let text = String::from_utf8(buf).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 2);
        for l in &lines {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            assert!(v.is_object());
        }
    }
    let native = to_json(&f, Format::Native);
    assert_eq!(native["schema"], "tripline/1");
    assert_eq!(Event::from_native_value(native).unwrap(), f);
    let ecs = to_json(&f, Format::Ecs);
    assert_eq!(ecs["rule"]["id"], "r1");
    assert_eq!(ecs["event"]["kind"], "alert");
    let ocsf = to_json(&f, Format::Ocsf);
    assert_eq!(ocsf["class_uid"], json!(2004), "Detection Finding");
    assert_eq!(Format::parse("ocsf"), Some(Format::Ocsf));
    assert_eq!(Format::parse("xml"), None);
}

#[test]
fn metrics_by_dimension_and_bucket() {
    let mut m = Metrics::new(60);
    let mut a = finding(0, "r1", "alice", "web");
    if let EventKind::Finding(f) = &mut a.kind {
        f.count = Some(5);
    }
    m.add(&a);
    m.add(&finding(30, "r1", "bob", "web"));
    m.add(&finding(61, "r2", "alice", "db"));
    let mut other = exec_event(125, 1, "ls");
    other.container = None;
    m.add(&other);
    let o = &m.overall;
    assert_eq!(o.total, 4);
    assert_eq!(o.occurrences, 8);
    assert_eq!(o.by_rule["Rule r1"], 2);
    assert_eq!(o.by_rule["-"], 1);
    assert_eq!(o.by_severity["High"], 3);
    assert_eq!(o.by_source["falco"], 3);
    assert_eq!(o.by_source["auditd"], 1);
    assert_eq!(o.by_container["web"], 2);
    assert_eq!(o.by_container.values().sum::<u64>(), 3);
    assert_eq!(o.by_user["alice"], 3);
    // Buckets of 60 s aligned to the epoch: 1_700_000_000 is 20 s into a minute.
    let starts: Vec<i64> = m.buckets.keys().map(|t| t.timestamp()).collect();
    assert_eq!(starts, vec![1_699_999_980, 1_700_000_040, 1_700_000_100]);
    let counts: Vec<u64> = m.buckets.values().map(|c| c.total).collect();
    assert_eq!(counts, vec![2, 1, 1]);
    let j = m.to_json();
    assert_eq!(j["bucket_secs"], 60);
    assert_eq!(j["overall"]["by_user"]["bob"], 1);
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn loaders_never_panic(text in "\\PC{0,200}") {
            let _ = SuppressionSet::from_yaml_str(&text);
            let _ = SuppressionSet::from_json_str(&text);
            let _ = CorrelationSpec::from_yaml_str(&text);
        }

        #[test]
        fn structured_suppressions_never_panic(
            path in "[a-z.]{0,12}",
            pattern in "[a-c*?\\\\]{0,8}",
            text in "[a-c*?]{0,10}",
            expires in proptest::option::of("[0-9T:Z-]{0,22}"),
        ) {
            let doc = json!([{"reason": "r", "expires": expires, "match": {path.clone(): pattern.clone()}}]);
            if let Ok(mut s) = SuppressionSet::from_value(&doc, "<prop>") {
                let _ = s.check(&finding(0, &text, &text, &text), at(0));
            }
            // Wildcard matching agrees with a regex built from the same pattern.
            let m = Matcher::parse(&pattern);
            let mut re = String::from("^");
            let mut chars = pattern.chars();
            while let Some(c) = chars.next() {
                match c {
                    '*' => re.push_str(".*"),
                    '?' => re.push('.'),
                    '\\' => re.push_str(&regex::escape(&chars.next().unwrap_or('\\').to_string())),
                    c => re.push_str(&regex::escape(&c.to_string())),
                }
            }
            re.push('$');
            let re = regex::Regex::new(&re).unwrap();
            prop_assert_eq!(m.matches(&text), re.is_match(&text), "{} vs {}", pattern, text);
        }
    }
}
