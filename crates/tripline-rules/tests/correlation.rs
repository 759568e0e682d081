//! Correlation engine: every type, window edges, aliases, chaining, lateness, eviction.

use chrono::{DateTime, TimeZone, Utc};
use serde_json::{Value as J, json};
use tripline_rules::Error;
use tripline_rules::correlation::{
    CorrelationKind, CorrelationMatch, CorrelationSpec, Detection, Engine, Evidence, Settings,
};

/// Whether `err` is a correlation error about rule `rule` whose reason contains `want`.
fn correlation_error(err: &Error, rule: &str, want: &str) -> bool {
    matches!(err, Error::Correlation { rule: r, reason } if r == rule && reason.contains(want))
}

const T0: i64 = 1_700_000_000;

fn at(sec: i64) -> DateTime<Utc> {
    Utc.timestamp_opt(T0 + sec, 0).unwrap()
}

fn at_ns(ns: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_nanos(T0 * 1_000_000_000 + ns)
}

fn spec(yaml: &str) -> CorrelationSpec {
    CorrelationSpec::from_yaml_str(yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"))
}

fn engine(yamls: &[&str]) -> Engine {
    Engine::new(yamls.iter().map(|y| spec(y)).collect(), Settings::default()).unwrap()
}

/// Feeds (rule, seconds, event) triples; evidence is the 1-based input index.
fn run(engine: &mut Engine, inputs: &[(&str, i64, J)]) -> Vec<CorrelationMatch> {
    let mut out = Vec::new();
    for (i, (rule, sec, ev)) in inputs.iter().enumerate() {
        let e = Evidence::line(i as u64 + 1);
        engine.process(
            &Detection::new(rule, at(*sec), ev).with_evidence(&e),
            &mut out,
        );
    }
    out
}

fn lines(m: &CorrelationMatch) -> Vec<u64> {
    m.evidence
        .iter()
        .filter_map(Evidence::line_number)
        .collect()
}

const EVENT_COUNT: &str = r#"
title: Failed logins
id: 11111111-0000-4000-8000-000000000001
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [user]
  timespan: 60s
  condition: {gte: 3}
"#;

#[test]
fn event_count_groups_and_threshold() {
    let mut e = engine(&[EVENT_COUNT]);
    let out = run(
        &mut e,
        &[
            ("failed_login", 0, json!({"user": "alice"})),
            ("failed_login", 1, json!({"user": "bob"})),
            ("failed_login", 2, json!({"user": "alice"})),
            ("other_rule", 3, json!({"user": "alice"})),
            ("failed_login", 4, json!({"user": "bob"})),
            ("failed_login", 5, json!({"user": "alice"})),
        ],
    );
    assert_eq!(out.len(), 1);
    let m = &out[0];
    assert_eq!(m.kind, CorrelationKind::EventCount);
    assert_eq!(m.title, "Failed logins");
    assert_eq!(m.group, vec![("user".to_string(), "alice".to_string())]);
    assert_eq!(m.count, 3);
    assert_eq!(m.value, 3.0);
    assert_eq!(lines(m), vec![1, 3, 6]);
    assert_eq!(m.first_seen, at(0));
    assert_eq!(m.last_seen, at(5));
    let j = m.to_json();
    assert_eq!(j["rule_id"], "11111111-0000-4000-8000-000000000001");
    assert_eq!(j["rule_title"], "Failed logins");
    assert_eq!(j["correlation"], true);
    assert_eq!(j["type"], "event_count");
    assert_eq!(j["group"], json!({"user": "alice"}));
    assert_eq!(j["lines"], json!([1, 3, 6]));
    assert_eq!(j["count"], 3);
    assert_eq!(j["first_seen"], "2023-11-14T22:13:20Z");
    let s = e.stats();
    assert_eq!(s.inputs, 6);
    assert_eq!(s.unreferenced, 1);
    assert_eq!(s.matches, 1);
    assert_eq!(s.emitted, 1);
    // reset on match: alice's window is gone, bob's stays.
    assert_eq!(s.live_groups, 1);
}

#[test]
fn window_edge_is_inclusive() {
    // Exactly `timespan` apart: both in the window.
    let y = EVENT_COUNT.replace("gte: 3", "gte: 2");
    let mut e = engine(&[&y]);
    let mut out = Vec::new();
    let ev = json!({"user": "a"});
    e.process(&Detection::new("failed_login", at_ns(0), &ev), &mut out);
    e.process(
        &Detection::new("failed_login", at_ns(60_000_000_000), &ev),
        &mut out,
    );
    assert_eq!(out.len(), 1, "events exactly 60s apart are within 60s");

    // One nanosecond more: not.
    let mut e = engine(&[&y]);
    let mut out = Vec::new();
    e.process(&Detection::new("failed_login", at_ns(0), &ev), &mut out);
    e.process(
        &Detection::new("failed_login", at_ns(60_000_000_001), &ev),
        &mut out,
    );
    assert!(out.is_empty(), "60s + 1ns apart is outside a 60s window");
}

#[test]
fn window_slides_not_tumbles() {
    // 3 events straddling a minute boundary, spread over 50 s: fixed buckets would miss it.
    let mut e = engine(&[EVENT_COUNT]);
    let ev = json!({"user": "a"});
    let out = run(
        &mut e,
        &[
            ("failed_login", 40, ev.clone()),
            ("failed_login", 70, ev.clone()),
            ("failed_login", 90, ev.clone()),
        ],
    );
    assert_eq!(out.len(), 1);
    // Old events fall out: 0, 61, 122 never have 3 within 60s.
    let mut e = engine(&[EVENT_COUNT]);
    let out = run(
        &mut e,
        &[
            ("failed_login", 0, ev.clone()),
            ("failed_login", 61, ev.clone()),
            ("failed_login", 122, ev.clone()),
        ],
    );
    assert!(out.is_empty());
}

#[test]
fn lower_bound_conditions_fire_on_arrival() {
    let ev = json!({"user": "a"});
    let count_at_which_fires = |cond: &str| -> Vec<u64> {
        let y = EVENT_COUNT.replace("{gte: 3}", cond);
        let mut s = spec(&y);
        s.timespan_ns = 3_600_000_000_000;
        let settings = Settings {
            reset_on_match: false,
            ..Settings::default()
        };
        let mut e = Engine::new(vec![s], settings).unwrap();
        let inputs: Vec<_> = (0..6).map(|i| ("failed_login", i, ev.clone())).collect();
        run(&mut e, &inputs).iter().map(|m| m.count).collect()
    };
    assert_eq!(count_at_which_fires("{gt: 4}"), vec![5, 6]);
    assert_eq!(count_at_which_fires("{gte: 4}"), vec![4, 5, 6]);
    assert_eq!(count_at_which_fires("{gt: 2, gte: 4}"), vec![4, 5, 6]);
}

/// Events at 0..n seconds in one 1 h window, then end of input: the counts matched.
fn closed_window_counts(cond: &str, n: i64) -> Vec<u64> {
    let y = EVENT_COUNT.replace("{gte: 3}", cond).replace("60s", "1h");
    let mut e = engine(&[&y]);
    let ev = json!({"user": "a"});
    let inputs: Vec<_> = (0..n).map(|i| ("failed_login", i, ev.clone())).collect();
    let mut out = run(&mut e, &inputs);
    assert!(
        out.is_empty(),
        "upper-bound conditions wait for the window to close"
    );
    e.flush(&mut out);
    out.iter().map(|m| m.count).collect()
}

#[test]
fn upper_bound_conditions_tested_when_window_closes() {
    assert_eq!(closed_window_counts("{lt: 3}", 2), vec![2]);
    assert_eq!(closed_window_counts("{lt: 3}", 6), Vec::<u64>::new());
    assert_eq!(closed_window_counts("{lte: 2}", 2), vec![2]);
    assert_eq!(closed_window_counts("{lte: 2}", 3), Vec::<u64>::new());
    assert_eq!(closed_window_counts("{eq: 3}", 3), vec![3]);
    assert_eq!(closed_window_counts("{eq: 3}", 4), Vec::<u64>::new());
    assert_eq!(closed_window_counts("{neq: 3}", 3), Vec::<u64>::new());
    assert_eq!(closed_window_counts("{neq: 3}", 5), vec![5]);
    assert_eq!(closed_window_counts("{gt: 2, lte: 4}", 3), vec![3]);
    assert_eq!(closed_window_counts("{gt: 2, lte: 4}", 4), vec![4]);
    assert_eq!(
        closed_window_counts("{gt: 2, lte: 4}", 5),
        Vec::<u64>::new()
    );
    assert_eq!(
        closed_window_counts("{gt: 2, lte: 4}", 2),
        Vec::<u64>::new()
    );
}

#[test]
fn closed_windows_follow_the_watermark_and_tumble_from_the_first_event() {
    // eq: 2 within 60 s, lateness 60 s: a window opened at t closes once an input at
    // t + 60 + 60 (any rule) moves the watermark past it.
    let y = EVENT_COUNT.replace("{gte: 3}", "{eq: 2}");
    let mut e = engine(&[&y]);
    let u = json!({"user": "a"});
    let out = run(
        &mut e,
        &[
            ("failed_login", 0, u.clone()),
            ("failed_login", 10, u.clone()),
            ("failed_login", 70, u.clone()), // next window: [70, 130]
            ("unrelated", 119, u.clone()),
        ],
    );
    assert!(out.is_empty(), "window [0, 60] still open for late input");
    let out = run(&mut e, &[("unrelated", 120, u.clone())]);
    assert_eq!(out.len(), 1);
    assert_eq!((out[0].first_seen, out[0].last_seen), (at(0), at(10)));
    assert_eq!(out[0].count, 2);
    // The second window holds one event: eq 2 fails at close.
    let mut out = run(&mut e, &[("unrelated", 1_000, u.clone())]);
    e.flush(&mut out);
    assert!(out.is_empty());
    assert_eq!(e.stats().live_groups, 0);
}

#[test]
fn value_count_distinct_values() {
    let y = r#"
title: One container, many destinations
correlation:
  type: value_count
  rules: [net_connect]
  group-by: [container.id]
  timespan: 5m
  condition: {field: destination.ip, gte: 3}
"#;
    let mut e = engine(&[y]);
    let c = |ip: &str| json!({"container": {"id": "abc"}, "destination": {"ip": ip}});
    let out = run(
        &mut e,
        &[
            ("net_connect", 0, c("10.0.0.1")),
            ("net_connect", 1, c("10.0.0.1")),
            ("net_connect", 2, c("10.0.0.2")),
            ("net_connect", 3, c("10.0.0.2")),
            ("net_connect", 4, c("10.0.0.3")),
        ],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].value, 3.0);
    assert_eq!(out[0].count, 5);
    assert_eq!(out[0].group_value("container.id"), Some("abc"));
    // Missing value field: skipped and counted.
    run(
        &mut e,
        &[("net_connect", 10, json!({"container": {"id": "abc"}}))],
    );
    assert_eq!(e.stats().missing_value_field, 1);
}

#[test]
fn value_count_several_fields_are_combined() {
    let y = r#"
title: distinct pairs
correlation:
  type: value_count
  rules: [r]
  group-by: [h]
  timespan: 5m
  condition: {field: [a, b], gte: 3}
"#;
    let mut e = engine(&[y]);
    let v = |a: &str, b: &str| json!({"h": "x", "a": a, "b": b});
    let out = run(
        &mut e,
        &[
            ("r", 0, v("1", "1")),
            ("r", 1, v("1", "2")),
            ("r", 2, v("1", "1")),
        ],
    );
    assert!(out.is_empty());
    let out = run(&mut e, &[("r", 3, v("2", "1"))]);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].value, 3.0);
}

#[test]
fn value_sum_and_avg() {
    let sum = r#"
title: Exfiltration
correlation:
  type: value_sum
  rules: [web]
  group-by: [src]
  timespan: 1h
  condition: {field: bytes, gt: 1000}
"#;
    let mut e = engine(&[sum]);
    let out = run(
        &mut e,
        &[
            ("web", 0, json!({"src": "a", "bytes": 400})),
            ("web", 1, json!({"src": "a", "bytes": "500"})),
            ("web", 2, json!({"src": "a", "bytes": "lots"})),
            ("web", 3, json!({"src": "a", "bytes": 101.5})),
        ],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].value, 1001.5);
    assert_eq!(out[0].count, 3);
    assert_eq!(e.stats().non_numeric, 1);

    let avg = sum
        .replace("value_sum", "value_avg")
        .replace("gt: 1000", "gt: 500");
    let mut e = engine(&[&avg]);
    let mut out = run(
        &mut e,
        &[
            ("web", 0, json!({"src": "a", "bytes": 400})),
            ("web", 1, json!({"src": "a", "bytes": 600})),
            ("web", 2, json!({"src": "a", "bytes": 700})),
        ],
    );
    // Averages move both ways, so the condition is tested when the window closes:
    // average of the window 566.7 > 500.
    assert!(out.is_empty());
    e.flush(&mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].count, 3);
    assert!((out[0].value - 566.666).abs() < 0.01);
}

#[test]
fn value_percentile_nearest_rank() {
    let y = r#"
title: p90 latency
correlation:
  type: value_percentile
  rules: [req]
  group-by: [svc]
  timespan: 1h
  condition: {field: ms, percentile: 90, gte: 100}
"#;
    let p90 = |values: &[i64]| {
        let mut e = engine(&[y]);
        let inputs: Vec<(&str, i64, J)> = values
            .iter()
            .enumerate()
            .map(|(i, v)| ("req", i as i64, json!({"svc": "a", "ms": v})))
            .collect();
        let mut out = run(&mut e, &inputs);
        e.flush(&mut out);
        out.iter().map(|m| m.value).collect::<Vec<f64>>()
    };
    // 10 values 1..9, 500: nearest-rank p90 = 9th smallest = 9 → no match
    assert!(p90(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 500]).is_empty());
    // 11 values: rank ceil(9.9) = 10 → 500
    assert_eq!(p90(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 500, 600]), vec![500.0]);

    // Default percentile is the median.
    let med = y
        .replace("percentile: 90, ", "")
        .replace("gte: 100", "gte: 5");
    let s = spec(&med);
    assert_eq!(s.percentile, 50.0);
    let mut e = engine(&[&med]);
    let mut out = run(
        &mut e,
        &[
            ("req", 0, json!({"svc": "a", "ms": 1})),
            ("req", 1, json!({"svc": "a", "ms": 9})),
            ("req", 2, json!({"svc": "a", "ms": 7})),
        ],
    );
    e.flush(&mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].value, 7.0);
}

const TEMPORAL: &str = r#"
title: Recon burst
correlation:
  type: temporal
  rules: [recon_a, recon_b, recon_c]
  group-by: [host]
  timespan: 5m
"#;

#[test]
fn temporal_any_order() {
    let mut e = engine(&[TEMPORAL]);
    let h = json!({"host": "h1"});
    let out = run(
        &mut e,
        &[
            ("recon_c", 0, h.clone()),
            ("recon_a", 10, h.clone()),
            ("recon_a", 20, h.clone()),
            ("recon_a", 30, json!({"host": "h2"})),
            ("recon_b", 40, h.clone()),
        ],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].rules_seen, vec!["recon_a", "recon_b", "recon_c"]);
    assert_eq!(out[0].value, 3.0);
    // evidence: latest match of each rule, in time order
    assert_eq!(lines(&out[0]), vec![1, 3, 5]);
    assert_eq!(out[0].count, 4);

    // Too far apart: no match.
    let mut e = engine(&[TEMPORAL]);
    let out = run(
        &mut e,
        &[
            ("recon_a", 0, h.clone()),
            ("recon_b", 100, h.clone()),
            ("recon_c", 301, h.clone()),
        ],
    );
    assert!(out.is_empty());
}

#[test]
fn temporal_with_condition_counts_distinct_rules() {
    let y = format!("{TEMPORAL}  condition: {{gte: 2}}\n");
    let mut e = engine(&[&y]);
    let h = json!({"host": "h1"});
    let out = run(
        &mut e,
        &[("recon_a", 0, h.clone()), ("recon_a", 1, h.clone())],
    );
    assert!(out.is_empty(), "the same rule twice is one rule");
    let out = run(&mut e, &[("recon_c", 2, h.clone())]);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].rules_seen, vec!["recon_a", "recon_c"]);
}

const ORDERED: &str = r#"
title: Exec into container then write under /etc
correlation:
  type: temporal_ordered
  rules: [exec_start, shell_spawned, etc_write]
  group-by: [container]
  timespan: 10m
"#;

#[test]
fn temporal_ordered_requires_order() {
    let c = json!({"container": "web"});
    let mut e = engine(&[ORDERED]);
    let out = run(
        &mut e,
        &[
            ("etc_write", 0, c.clone()),
            ("shell_spawned", 1, c.clone()),
            ("exec_start", 2, c.clone()),
        ],
    );
    assert!(out.is_empty(), "reverse order must not match");
    let out = run(
        &mut e,
        &[("shell_spawned", 3, c.clone()), ("etc_write", 4, c.clone())],
    );
    assert_eq!(out.len(), 1);
    // chain: exec_start (line 3 of the first run), shell_spawned and etc_write (lines 1, 2
    // of the second run)
    assert_eq!(lines(&out[0]), vec![3, 1, 2]);
    assert_eq!(out[0].first_seen, at(2));
    assert_eq!(out[0].last_seen, at(4));
}

#[test]
fn temporal_ordered_picks_latest_start_within_window() {
    let c = json!({"container": "web"});
    let mut e = engine(&[ORDERED]);
    let out = run(
        &mut e,
        &[
            ("exec_start", 0, c.clone()),
            ("exec_start", 500, c.clone()),
            ("shell_spawned", 550, c.clone()),
            ("etc_write", 700, c.clone()),
        ],
    );
    // exec at 0 is out of the 10m window ending at 700, exec at 500 is in.
    assert_eq!(out.len(), 1);
    assert_eq!(lines(&out[0]), vec![2, 3, 4]);
}

#[test]
fn temporal_ordered_equal_times_follow_arrival() {
    let c = json!({"container": "web"});
    let mut e = engine(&[ORDERED]);
    let out = run(
        &mut e,
        &[
            ("exec_start", 5, c.clone()),
            ("shell_spawned", 5, c.clone()),
            ("etc_write", 5, c.clone()),
        ],
    );
    assert_eq!(out.len(), 1);
}

const ALIASES: &str = r#"
title: Internal error then connection from the same pair
correlation:
  type: temporal
  rules: [internal_error, new_network_connection]
  group-by: [internal_ip, remote_ip]
  timespan: 10s
  aliases:
    internal_ip:
      internal_error: destination.ip
      new_network_connection: source.ip
    remote_ip:
      internal_error: source.ip
      new_network_connection: destination.ip
"#;

#[test]
fn group_by_with_aliases() {
    let mut e = engine(&[ALIASES]);
    let err = json!({"source": {"ip": "1.2.3.4"}, "destination": {"ip": "10.0.0.5"}});
    let conn_other = json!({"source": {"ip": "10.0.0.5"}, "destination": {"ip": "9.9.9.9"}});
    let conn = json!({"source": {"ip": "10.0.0.5"}, "destination": {"ip": "1.2.3.4"}});
    let out = run(
        &mut e,
        &[
            ("internal_error", 0, err),
            ("new_network_connection", 1, conn_other),
            ("new_network_connection", 2, conn),
        ],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(
        out[0].group,
        vec![
            ("internal_ip".to_string(), "10.0.0.5".to_string()),
            ("remote_ip".to_string(), "1.2.3.4".to_string())
        ]
    );
    assert_eq!(lines(&out[0]), vec![1, 3]);
}

#[test]
fn rules_referenced_by_id_or_name() {
    let y = r#"
title: by id or name
correlation:
  type: event_count
  rules: [5638f7c0-ac70-491d-8465-2a65075e0d86, firewall_block]
  group-by: [host]
  timespan: 1m
  condition: {gte: 2}
"#;
    let mut e = engine(&[y]);
    let h = json!({"host": "fw"});
    let mut out = Vec::new();
    // One rule matched by id (no name), one by name (with an unrelated id).
    e.process(
        &Detection::new("5638f7c0-ac70-491d-8465-2a65075e0d86", at(0), &h),
        &mut out,
    );
    e.process(
        &Detection::new("some-other-id", at(1), &h).with_name("firewall_block"),
        &mut out,
    );
    assert_eq!(out.len(), 1);
    assert!(e.references(Some("x"), Some("firewall_block")));
    assert!(!e.references(Some("x"), Some("y")));
}

const CHAIN: [&str; 2] = [
    r#"
title: Correlation - Multiple Failed Logins Followed by Successful Login
id: b180ead8-d58f-40b2-ae54-c8940995b9b6
level: high
correlation:
  type: temporal_ordered
  rules: [multiple_failed_login, successful_login]
  group-by: [User]
  timespan: 10m
"#,
    r#"
title: Multiple failed logons
id: a8418a5a-5fc4-46b5-b23b-6c73beb19d41
name: multiple_failed_login
correlation:
  type: event_count
  rules: [failed_login]
  group-by: [User]
  timespan: 10m
  condition: {gte: 3}
"#,
];

#[test]
fn chaining_correlations_over_correlations() {
    let mut e = engine(&CHAIN);
    let u = json!({"User": "alice", "ComputerName": "pc1"});
    let out = run(
        &mut e,
        &[
            ("successful_login", 0, u.clone()),
            ("failed_login", 10, u.clone()),
            ("failed_login", 20, u.clone()),
            ("failed_login", 30, u.clone()),
            ("successful_login", 40, u.clone()),
        ],
    );
    // The inner correlation matched but is not reported (the outer has generate: false).
    assert_eq!(out.len(), 1, "{out:#?}");
    let m = &out[0];
    assert_eq!(
        m.rule_id.as_deref(),
        Some("b180ead8-d58f-40b2-ae54-c8940995b9b6")
    );
    assert_eq!(m.level.as_deref(), Some("high"));
    assert_eq!(m.group_value("User"), Some("alice"));
    // Evidence: the three failures (through the inner match) and the success.
    assert_eq!(lines(m), vec![2, 3, 4, 5]);
    assert_eq!(
        m.first_seen,
        at(30),
        "the inner match is an input at its newest event"
    );
    let s = e.stats();
    assert_eq!(s.matches, 2);
    assert_eq!(s.emitted, 1);
    assert!(!e.emits_detection(None, Some("failed_login")));
    assert!(e.emits_detection(None, Some("unrelated_rule")));
}

#[test]
fn generate_true_emits_referenced_matches() {
    let outer = format!("{}generate: true\n", CHAIN[0]);
    let mut e = engine(&[&outer, CHAIN[1]]);
    let u = json!({"User": "alice"});
    let out = run(
        &mut e,
        &[
            ("failed_login", 10, u.clone()),
            ("failed_login", 20, u.clone()),
            ("failed_login", 30, u.clone()),
            ("successful_login", 40, u.clone()),
        ],
    );
    let titles: Vec<_> = out.iter().map(|m| m.title.as_str()).collect();
    assert_eq!(
        titles,
        vec![
            "Multiple failed logons",
            "Correlation - Multiple Failed Logins Followed by Successful Login"
        ]
    );
    assert!(e.emits_detection(None, Some("successful_login")));
}

#[test]
fn cycles_duplicates_and_bad_specs_rejected() {
    let a = r#"
title: a
name: a
correlation: {type: event_count, rules: [b], group-by: [x], timespan: 1m, condition: {gte: 1}}
"#;
    let b = r#"
title: b
name: b
correlation: {type: event_count, rules: [a], group-by: [x], timespan: 1m, condition: {gte: 1}}
"#;
    let err = Engine::new(vec![spec(a), spec(b)], Settings::default()).unwrap_err();
    assert!(correlation_error(&err, "a", "reference cycle"), "{err}");
    let err = Engine::new(vec![spec(a), spec(a)], Settings::default()).unwrap_err();
    assert!(correlation_error(&err, "a", "defined twice"), "{err}");

    // A chain deeper than allowed.
    let chain: Vec<CorrelationSpec> = (0..4)
        .map(|i| {
            spec(&format!(
                "title: c{i}\nname: c{i}\ncorrelation: {{type: event_count, rules: [c{}], group-by: [x], timespan: 1m, condition: {{gte: 1}}}}\n",
                i + 1
            ))
        })
        .collect();
    let settings = Settings {
        max_chain_depth: 3,
        ..Settings::default()
    };
    let err = Engine::new(chain.clone(), settings).unwrap_err();
    assert!(correlation_error(&err, "c3", "max_chain_depth"), "{err}");
    assert!(Engine::new(chain, Settings::default()).is_ok());

    for (bad, want) in [
        (
            "title: t\ncorrelation: {type: event_count, rules: [r], timespan: 1m}",
            "condition",
        ),
        (
            "title: t\ncorrelation: {type: value_sum, rules: [r], timespan: 1m, condition: {gt: 1}}",
            "field",
        ),
        (
            "title: t\ncorrelation: {type: nearby, rules: [r], timespan: 1m}",
            "unknown type",
        ),
        (
            "title: t\ncorrelation: {type: temporal, rules: [r], timespan: 5 minutes}",
            "timespan",
        ),
        (
            "title: t\ncorrelation: {type: temporal, rules: [], timespan: 1m}",
            "rules",
        ),
        (
            "title: t\ncorrelation: {type: event_count, rules: [r], timespan: 1m, condition: {about: 3}}",
            "unknown operator",
        ),
        (
            "correlation: {type: temporal, rules: [r], timespan: 1m}",
            "title",
        ),
        ("- a list", "mapping"),
    ] {
        let err = CorrelationSpec::from_yaml_str(bad).unwrap_err().to_string();
        assert!(err.contains(want), "{bad}: {err}");
    }
}

#[test]
fn missing_group_field_is_counted_not_grouped() {
    let mut e = engine(&[EVENT_COUNT]);
    run(
        &mut e,
        &[
            ("failed_login", 0, json!({})),
            ("failed_login", 1, json!({"user": null})),
        ],
    );
    let s = e.stats();
    assert_eq!(s.missing_group_field, 2);
    assert_eq!(s.live_groups, 0);
}

#[test]
fn out_of_order_within_lateness_counts() {
    let y = EVENT_COUNT.replace("gte: 3", "gte: 2");
    let mut s = spec(&y);
    s.timespan_ns = 10_000_000_000;
    let settings = Settings {
        allowed_lateness_ns: 30_000_000_000,
        ..Settings::default()
    };
    let mut e = Engine::new(vec![s.clone()], settings.clone()).unwrap();
    let u = json!({"user": "a"});
    // newest first at 100, then a late one at 95 (within lateness and within the window).
    let out = run(
        &mut e,
        &[
            ("failed_login", 100, u.clone()),
            ("failed_login", 95, u.clone()),
        ],
    );
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].first_seen, at(95));
    assert_eq!(out[0].last_seen, at(100));
    assert_eq!(lines(&out[0]), vec![2, 1], "evidence in time order");
    assert_eq!(e.stats().reordered, 1);
    assert_eq!(e.stats().late_dropped, 0);

    // Late (within lateness) but outside the window of the newest: counted, no match.
    let mut e = Engine::new(vec![s.clone()], settings.clone()).unwrap();
    let out = run(
        &mut e,
        &[
            ("failed_login", 100, u.clone()),
            ("failed_login", 80, u.clone()),
        ],
    );
    assert!(out.is_empty());
    assert_eq!(e.stats().late_dropped, 0);
    // ...but a later arrival at 85 pairs with the 80 one.
    let out = run(&mut e, &[("failed_login", 85, u.clone())]);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].first_seen, at(80));
}

#[test]
fn out_of_order_beyond_lateness_dropped_with_count() {
    let y = EVENT_COUNT.replace("gte: 3", "gte: 2");
    let settings = Settings {
        allowed_lateness_ns: 5_000_000_000,
        ..Settings::default()
    };
    let mut e = Engine::new(vec![spec(&y)], settings).unwrap();
    let u = json!({"user": "a"});
    let out = run(
        &mut e,
        &[
            ("failed_login", 100, u.clone()),
            ("failed_login", 94, u.clone()), // 6 s late > 5 s lateness
        ],
    );
    assert!(out.is_empty());
    let s = e.stats();
    assert_eq!(s.late_dropped, 1);
    assert_eq!(s.inputs, 2);
    assert_eq!(s.accepted, 1);
    // Exactly at the lateness bound is accepted.
    let out = run(&mut e, &[("failed_login", 95, u.clone())]);
    assert_eq!(out.len(), 1);
}

/// A one-field event without JSON overhead, for the million-key test.
struct UserId(u64);

impl tripline_schema::FieldSource for UserId {
    fn field(&self, name: &str) -> Option<tripline_schema::Value<'_>> {
        (name == "user").then_some(tripline_schema::Value::UInt(self.0))
    }

    fn raw_text(&self) -> Option<&str> {
        None
    }
}

#[test]
fn eviction_under_group_limit_keeps_memory_bounded() {
    let settings = Settings {
        max_groups: 1_000,
        ..Settings::default()
    };
    let y = EVENT_COUNT.replace("gte: 3", "gte: 2");
    let mut e = Engine::new(vec![spec(&y)], settings).unwrap();
    let mut out = Vec::new();
    let n: u64 = 1_000_000;
    // Every event a new group; all within one window (1 µs apart), so nothing expires.
    for i in 0..n {
        let ev = UserId(i);
        e.process(
            &Detection::new("failed_login", at_ns(i as i64 * 1000), &ev),
            &mut out,
        );
        if i % 100_000 == 0 {
            assert!(e.stats().live_groups <= 1_000);
        }
    }
    assert!(out.is_empty());
    let s = e.stats();
    assert!(s.live_groups <= 1_000);
    assert!(s.peak_groups <= 1_000);
    assert_eq!(
        s.groups_evicted + s.live_groups,
        n,
        "every group is accounted for"
    );
    // The most recent group survived eviction and can still match.
    let ev = UserId(n - 1);
    e.process(
        &Detection::new("failed_login", at_ns(n as i64 * 1000), &ev),
        &mut out,
    );
    assert_eq!(out.len(), 1);
}

#[test]
fn events_per_group_limit_evicts_oldest_with_count() {
    let settings = Settings {
        max_events_per_group: 4,
        max_evidence: 3,
        reset_on_match: false,
        ..Settings::default()
    };
    let y = EVENT_COUNT.replace("gte: 3", "gte: 4");
    let mut e = Engine::new(vec![spec(&y)], settings).unwrap();
    let u = json!({"user": "a"});
    let inputs: Vec<_> = (0..6).map(|i| ("failed_login", i, u.clone())).collect();
    let out = run(&mut e, &inputs);
    assert_eq!(
        out.iter().map(|m| m.count).collect::<Vec<_>>(),
        vec![4, 4, 4]
    );
    assert_eq!(e.stats().entries_evicted, 2);
    // max_evidence 3 of 4: two earliest, one latest.
    assert_eq!(lines(&out[2]), vec![3, 4, 6]);
    assert_eq!(out[2].evidence_omitted, 1);
}

#[test]
fn expired_groups_are_swept() {
    let mut e = engine(&[EVENT_COUNT]);
    let mut out = Vec::new();
    for i in 0..10_000i64 {
        let ev = json!({"user": i});
        // 1 s apart with a 60 s window and 60 s lateness: at most ~121 groups stay live
        // between sweeps of 4096.
        e.process(&Detection::new("failed_login", at(i), &ev), &mut out);
    }
    let s = e.stats();
    assert!(s.groups_expired > 5_000, "{s:?}");
    assert!(s.live_groups < 4_300, "{s:?}");
    assert_eq!(s.groups_evicted, 0);
}

#[test]
fn replay_is_deterministic() {
    let build = || engine(&[EVENT_COUNT, TEMPORAL, ORDERED, ALIASES, CHAIN[0], CHAIN[1]]);
    let rules = [
        "failed_login",
        "recon_a",
        "recon_b",
        "recon_c",
        "exec_start",
        "shell_spawned",
        "etc_write",
        "successful_login",
    ];
    let mut inputs = Vec::new();
    let mut x: u64 = 42;
    for i in 0..5_000i64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let rule = rules[(x % rules.len() as u64) as usize];
        let ev = json!({"user": format!("u{}", x % 7), "User": format!("u{}", x % 5),
                        "host": format!("h{}", x % 3), "container": format!("c{}", x % 4)});
        // mostly increasing, sometimes a few seconds back
        let sec = i * 2 - ((x >> 8) % 5) as i64;
        inputs.push((rule, sec, ev));
    }
    let a = run(&mut build(), &inputs);
    let b = run(&mut build(), &inputs);
    assert!(!a.is_empty());
    assert_eq!(a, b);
}

#[test]
fn spec_fields_from_document() {
    let s = spec(
        r#"
title: t
id: 0e95725d-7320-415d-80f7-004da920fc11
name: n
level: high
author: Someone
tags: [attack.t1110]
generate: true
correlation:
  type: value_count
  rules: [r1, r2]
  group-by: [a, b]
  timespan: 90m
  condition: {field: User, gte: 100}
"#,
    );
    assert_eq!(s.kind, CorrelationKind::ValueCount);
    assert_eq!(s.timespan_ns, 90 * 60 * 1_000_000_000);
    assert_eq!(s.fields, vec!["User"]);
    assert_eq!(s.group_by, vec!["a", "b"]);
    assert!(s.generate);
    assert_eq!(s.author.as_deref(), Some("Someone"));
    assert_eq!(s.tags, vec!["attack.t1110"]);
    assert_eq!(s.ident(), "0e95725d-7320-415d-80f7-004da920fc11");
    let v = serde_json::to_value(json!({"title": "x", "correlation": {"type": "temporal", "rules": ["a"], "timespan": "1s"}})).unwrap();
    assert!(CorrelationSpec::from_json_value(&v).is_ok());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    const ALL_TYPES: [&str; 7] = [
        "title: ec\ncorrelation: {type: event_count, rules: [a, b], group-by: [g], timespan: 30s, condition: {gte: 3}}",
        "title: vc\ncorrelation: {type: value_count, rules: [a], group-by: [g], timespan: 30s, condition: {field: v, gte: 2}}",
        "title: t\ncorrelation: {type: temporal, rules: [a, b, c], group-by: [g], timespan: 30s}",
        "title: to\nname: to\ncorrelation: {type: temporal_ordered, rules: [a, b, c], group-by: [g], timespan: 30s}",
        "title: vs\ncorrelation: {type: value_sum, rules: [b], group-by: [g], timespan: 30s, condition: {field: v, gt: 10}}",
        "title: va\ncorrelation: {type: value_avg, rules: [c], group-by: [g], timespan: 30s, condition: {field: v, lt: 3}}",
        "title: vp\ncorrelation: {type: value_percentile, rules: [to, a], group-by: [g], timespan: 1m, condition: {field: v, percentile: 75, gte: 2}}",
    ];

    fn inputs() -> impl Strategy<Value = Vec<(u8, i64, u8, u8)>> {
        // (rule, time step in s (may go back), group, value)
        proptest::collection::vec((0u8..4, -20i64..15, 0u8..4, 0u8..6), 0..200)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        #[test]
        fn invariants_hold(inputs in inputs(), reset in any::<bool>(), max_groups in 1usize..5) {
            let settings = Settings {
                max_groups,
                max_events_per_group: 8,
                max_evidence: 4,
                allowed_lateness_ns: 10_000_000_000,
                reset_on_match: reset,
                ..Settings::default()
            };
            let specs: Vec<_> = ALL_TYPES.iter().map(|y| spec(y)).collect();
            let mut e = Engine::new(specs, settings).unwrap();
            let rules = ["a", "b", "c", "zzz"];
            let mut t = 0i64;
            let mut out = Vec::new();
            for (i, (r, step, g, v)) in inputs.iter().enumerate() {
                t += step;
                let ev = json!({"g": g, "v": v});
                let evidence = Evidence::line(i as u64 + 1);
                e.process(&Detection::new(rules[*r as usize], at(t), &ev).with_evidence(&evidence), &mut out);
            }
            e.flush(&mut out);
            let s = e.stats();
            prop_assert_eq!(s.inputs, inputs.len() as u64);
            prop_assert_eq!(s.inputs, s.accepted + s.unreferenced + s.late_dropped);
            prop_assert!(s.peak_groups <= max_groups as u64);
            prop_assert!(s.live_groups <= (max_groups * ALL_TYPES.len()) as u64);
            prop_assert!(s.emitted <= s.matches);
            for m in &out {
                prop_assert!(m.count >= 1);
                prop_assert!(m.first_seen <= m.last_seen);
                let span = if m.title == "vp" { 60 } else { 30 };
                prop_assert!((m.last_seen - m.first_seen).num_seconds() <= span);
                prop_assert!(m.evidence.len() <= 4);
                prop_assert_eq!(m.title != "to", true, "`to` is referenced and not generated");
            }
        }

        #[test]
        fn event_count_agrees_with_brute_force(steps in proptest::collection::vec((0i64..12, 0u8..3), 1..120)) {
            // In-order input, no reset: a match for every event whose trailing 30 s window
            // holds at least 3 events of its group.
            let settings = Settings { reset_on_match: false, ..Settings::default() };
            let mut e = Engine::new(vec![spec(ALL_TYPES[0])], settings).unwrap();
            let mut t = 0;
            let mut seen: Vec<(i64, u8)> = Vec::new();
            let mut expected = Vec::new();
            let mut got = Vec::new();
            for (step, g) in steps {
                t += step;
                seen.push((t, g));
                let n = seen.iter().filter(|(ts, gg)| *gg == g && *ts >= t - 30).count();
                if n >= 3 {
                    expected.push((t, n as u64));
                }
                let ev = json!({"g": g});
                let mut out = Vec::new();
                e.process(&Detection::new("a", at(t), &ev), &mut out);
                got.extend(out.iter().map(|m| ((m.last_seen - at(0)).num_seconds(), m.count)));
            }
            prop_assert_eq!(got, expected);
        }
    }
}

#[test]
fn extended_temporal_expressions() {
    let y = r#"
title: recon without cleanup
correlation:
  type: temporal
  rules: [recon_a, recon_b, cleanup]
  group-by: [host]
  timespan: 1m
  condition: recon_a and recon_b and not cleanup
"#;
    let s = spec(y);
    assert!(s.expression.is_some());
    let h = json!({"host": "h"});
    // `not` makes the condition able to turn false: tested when the window closes.
    let mut e = engine(&[y]);
    let mut out = run(
        &mut e,
        &[("recon_a", 0, h.clone()), ("recon_b", 5, h.clone())],
    );
    assert!(out.is_empty());
    e.flush(&mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].rules_seen, vec!["recon_a", "recon_b"]);
    let mut e = engine(&[y]);
    let mut out = run(
        &mut e,
        &[
            ("recon_a", 0, h.clone()),
            ("cleanup", 3, h.clone()),
            ("recon_b", 5, h.clone()),
        ],
    );
    e.flush(&mut out);
    assert!(out.is_empty());

    // Without `not`: on arrival; `1 of recon_*` patterns.
    let y2 = y.replace(
        "recon_a and recon_b and not cleanup",
        "cleanup and 1 of recon_*",
    );
    let mut e = engine(&[&y2]);
    let out = run(
        &mut e,
        &[("cleanup", 0, h.clone()), ("recon_b", 1, h.clone())],
    );
    assert_eq!(out.len(), 1);

    // Unknown names are rejected.
    let bad = y.replace("not cleanup", "not mystery");
    let err = CorrelationSpec::from_yaml_str(&bad)
        .unwrap_err()
        .to_string();
    assert!(err.contains("mystery"), "{err}");
}

#[test]
fn loader_and_spec_parse_the_same_document_alike() {
    let yaml = r#"
title: Slow requests
name: slow_requests
generate: true
correlation:
  type: value_percentile
  rules: [request]
  group-by: [host]
  timespan: 1500ms
  condition: {field: [latency, region], percentile: 90, gte: 100}
  aliases:
    host: {request: host.name}
"#;
    let mut set = tripline_rules::RuleSet::new(tripline_rules::Settings::default());
    set.add_str(yaml, "slow.yml");
    assert!(set.rejected.is_empty(), "{:?}", set.rejected);
    let loaded = CorrelationSpec::try_from(&set.correlations[0]).unwrap();
    let parsed = spec(yaml);
    assert_eq!(loaded, parsed);
    assert_eq!(parsed.percentile, 90.0);
    assert_eq!(parsed.fields, vec!["latency", "region"]);
    assert_eq!(parsed.timespan_ns, 1_500_000_000);
    assert!(parsed.generate);
    assert_eq!(parsed.aliases["host"]["request"], "host.name");

    // A detection rule is not a correlation; a non-boolean `generate` is rejected.
    let err = CorrelationSpec::from_yaml_str(
        "title: t\nlogsource: {product: linux}\ndetection: {s: {a: 1}, condition: s}",
    )
    .unwrap_err();
    assert!(err.to_string().contains("missing `correlation`"), "{err}");
    let err =
        CorrelationSpec::from_yaml_str(&yaml.replace("generate: true", "generate: 3")).unwrap_err();
    assert!(err.to_string().contains("generate"), "{err}");
}
