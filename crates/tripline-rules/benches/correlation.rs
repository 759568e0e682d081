//! Correlation throughput with 100 000 live groups (goal: ≥ 1 M detection matches/s on one
//! thread).

use std::borrow::Cow;

use chrono::DateTime;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use tripline_rules::correlation::{CorrelationSpec, Detection, Engine, Evidence, Settings};
use tripline_schema::{FieldSource, Value};

const GROUPS: usize = 100_000;
/// Event time step: each group sees an event every `GROUPS * STEP_NS` = 1 s.
const STEP_NS: i64 = 10_000;

struct Ev {
    user: String,
    host: &'static str,
}

impl FieldSource for Ev {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match name {
            "user.name" => Some(Value::Str(Cow::Borrowed(&self.user))),
            "host.name" => Some(Value::str(self.host)),
            _ => None,
        }
    }

    fn raw_text(&self) -> Option<&str> {
        None
    }
}

fn engine(kind: &str) -> Engine {
    let yaml = match kind {
        "event_count" => {
            "title: many\nid: bench-ec\ncorrelation: {type: event_count, rules: [r1, r2, r3], group-by: [user.name, host.name], timespan: 1s, condition: {gte: 1000000}}\n"
        }
        _ => {
            "title: seq\nid: bench-to\ncorrelation: {type: temporal_ordered, rules: [r1, r2, r3], group-by: [user.name, host.name], timespan: 1s}\n"
        }
    };
    let spec = CorrelationSpec::from_yaml_str(yaml).unwrap();
    let settings = Settings {
        allowed_lateness_ns: 1_000_000_000,
        max_groups: 200_000,
        ..Settings::default()
    };
    Engine::new(vec![spec], settings).unwrap()
}

fn bench(c: &mut Criterion) {
    let events: Vec<Ev> = (0..GROUPS)
        .map(|i| Ev {
            user: format!("user{i:06}"),
            host: if i % 2 == 0 { "node-a" } else { "node-b" },
        })
        .collect();
    let rules = ["r1", "r2", "r3"];
    let mut g = c.benchmark_group("correlation");
    g.throughput(Throughput::Elements(GROUPS as u64));
    g.sample_size(20);
    for kind in ["event_count", "temporal_ordered"] {
        let mut e = engine(kind);
        let mut out = Vec::new();
        let mut n: i64 = 0;
        let mut round = |e: &mut Engine, out: &mut Vec<_>| {
            for (i, ev) in events.iter().enumerate() {
                let evidence = Evidence::line(n as u64);
                let t = DateTime::from_timestamp_nanos(1_700_000_000_000_000_000 + n * STEP_NS);
                let rule = rules[(i + (n as usize / GROUPS)) % 3];
                e.process(&Detection::new(rule, t, ev).with_evidence(&evidence), out);
                n += 1;
            }
            out.clear();
        };
        // Warm up: all 100 000 groups live before measuring.
        round(&mut e, &mut out);
        assert_eq!(e.stats().live_groups as usize, GROUPS);
        g.bench_function(format!("{kind}/100k_live_groups"), |b| {
            b.iter(|| round(&mut e, &mut out))
        });
        // Wall-clock numbers suffer on a shared machine; also report events per second of
        // this thread's on-CPU time (Linux schedstat), which is what the goal is about.
        if let Some(before) = cpu_ns() {
            let rounds = 10;
            for _ in 0..rounds {
                round(&mut e, &mut out);
            }
            if let Some(after) = cpu_ns() {
                let secs = (after - before) as f64 / 1e9;
                eprintln!(
                    "{kind}: {:.2} M events per CPU-second ({} events, {secs:.3} s on CPU)",
                    (rounds * GROUPS) as f64 / secs / 1e6,
                    rounds * GROUPS
                );
            }
        }
        if let Some(kb) = rss_kb() {
            eprintln!(
                "{kind}: process RSS {:.1} MB with 100k live groups",
                kb as f64 / 1024.0
            );
        }
        let s = e.stats();
        eprintln!(
            "{kind}: live_groups={} evicted={} expired={} matches={}",
            s.live_groups, s.groups_evicted, s.groups_expired, s.matches
        );
    }
    g.finish();
    distinct_keys_under_cap();
}

/// 1 M distinct group keys through a 10 000-group cap: throughput with constant eviction, and
/// RSS before and after (it must not grow with the number of keys).
fn distinct_keys_under_cap() {
    let spec = CorrelationSpec::from_yaml_str(
        "title: many\nid: bench-cap\ncorrelation: {type: event_count, rules: [r1], group-by: [user.name], timespan: 1h, condition: {gte: 1000000}}\n",
    )
    .unwrap();
    let settings = Settings {
        max_groups: 10_000,
        ..Settings::default()
    };
    let mut e = Engine::new(vec![spec], settings).unwrap();
    let mut out = Vec::new();
    let mut feed = |e: &mut Engine, from: u64, to: u64| {
        for i in from..to {
            let ev = Ev {
                user: format!("user{i:08}"),
                host: "node-a",
            };
            let t = DateTime::from_timestamp_nanos(1_700_000_000_000_000_000 + i as i64 * 1_000);
            e.process(&Detection::new("r1", t, &ev), &mut out);
        }
    };
    feed(&mut e, 0, 100_000);
    let rss_before = rss_kb();
    let cpu_before = cpu_ns();
    feed(&mut e, 100_000, 1_100_000);
    let cpu_after = cpu_ns();
    let rss_after = rss_kb();
    let s = e.stats();
    if let (Some(a), Some(b)) = (cpu_before, cpu_after) {
        eprintln!(
            "1M distinct keys, cap 10k: {:.2} M events per CPU-second (key formatting included)",
            1e6 / ((b - a) as f64 / 1e9) / 1e6
        );
    }
    eprintln!(
        "1M distinct keys, cap 10k: live_groups={} evicted={} RSS before={:?} kB after={:?} kB",
        s.live_groups, s.groups_evicted, rss_before, rss_after
    );
}

/// Resident set size of this process in kB (Linux), if available.
fn rss_kb() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmRSS:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// On-CPU nanoseconds of the current thread (Linux), if available.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

criterion_group!(benches, bench);
criterion_main!(benches);
