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
        let s = e.stats();
        eprintln!(
            "{kind}: live_groups={} evicted={} expired={} matches={}",
            s.live_groups, s.groups_evicted, s.groups_expired, s.matches
        );
    }
    g.finish();
}

/// On-CPU nanoseconds of the current thread (Linux), if available.
fn cpu_ns() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    s.split_whitespace().next()?.parse().ok()
}

criterion_group!(benches, bench);
criterion_main!(benches);
