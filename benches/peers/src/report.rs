//! Shared timing and reporting for the peer harness.

use std::time::{Duration, Instant};

/// Collects comparison rows and prints them as JSON lines or a table.
pub struct Reporter {
    json: bool,
    rows: usize,
}

/// Runs `f` repeatedly for at least `min` and returns the best per-second rate of `units`.
pub fn best_rate(units: f64, min: Duration, mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    let mut best = f64::MAX;
    let mut runs = 0;
    while runs < 3 || start.elapsed() < min {
        let t = Instant::now();
        f();
        best = best.min(t.elapsed().as_secs_f64());
        runs += 1;
    }
    units / best
}

/// The peer of the JSON families: every line decoded into a `serde_json::Value`.
pub fn value_rate(lines: &[String], min: Duration) -> f64 {
    best_rate(lines.len() as f64, min, || {
        for l in lines {
            let v: serde_json::Value = serde_json::from_str(l).expect("valid");
            std::hint::black_box(&v);
        }
    })
}

/// Copies of already built values per second (each cloned, then dropped): the floor of any
/// producer of the same owned values, before parsing or mapping.
pub fn clone_rate<T: Clone>(built: &[T], min: Duration) -> f64 {
    best_rate(built.len() as f64, min, || {
        for v in built {
            std::hint::black_box(&v.clone());
        }
    })
}

impl Reporter {
    /// A reporter printing JSON lines when `json` is set.
    pub fn new(json: bool) -> Self {
        Reporter { json, rows: 0 }
    }

    /// Prints one comparison row.
    pub fn row(&mut self, name: &str, ours_per_s: f64, peer: &str, peer_per_s: f64, unit: &str) {
        let ratio = if peer_per_s > 0.0 {
            ours_per_s / peer_per_s
        } else {
            f64::INFINITY
        };
        self.rows += 1;
        if self.json {
            println!(
                "{}",
                serde_json::json!({
                    "name": name, "ours_per_s": ours_per_s, "peer": peer,
                    "peer_per_s": peer_per_s, "ratio": ratio, "unit": unit
                })
            );
        } else {
            println!(
                "{name:<40} ours {ours_per_s:>14.0} {unit}/s  {peer:<24} {peer_per_s:>14.0} {unit}/s  ratio {ratio:>6.2}x"
            );
        }
    }

    /// Prints a trailing summary on stderr.
    pub fn finish(self) {
        eprintln!("{} comparisons", self.rows);
    }
}
