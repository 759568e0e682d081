//! End-to-end pipeline throughput (MB/s, events/s) and peak RSS on a generated mixed input.
//!
//! The input is the lab scenario (`examples/data/lab`: audit log, Docker events, a json-file
//! log, Falco and Tracee output) repeated as "epochs": each copy is shifted 400 s later, with
//! audit serials renumbered and both containers given new ids (so every epoch opens new
//! correlation groups and the enrichment tables keep learning). Inspect data is left out: ids
//! resolve through what the Docker events teach the enricher.
//!
//! Two sizes run one after the other in this process (default 10 and 50 MB; set
//! `TRIPLINE_BENCH_MB=1024` for 205 MB and 1 GB); peak RSS (`VmHWM`) is read after each, so a
//! flat value shows memory does not grow with the input.
//!
//! `TRIPLINE_BENCH_DIR` chooses where the input is generated (default: the temp dir) and
//! `TRIPLINE_BENCH_KEEP=1` keeps it afterwards.
//!
//! ```text
//! cargo bench -p tripline --bench pipeline
//! TRIPLINE_BENCH_MB=1024 cargo bench -p tripline --bench pipeline
//! ```

use std::fmt::Write as _;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use chrono::{DateTime, Utc};
use tripline::run::{RunOptions, lab_dir, prepare};

const EPOCH_SECS: i64 = 400;
const WEB: &str = "3f4e8a1c";
const TOOLBOX: &str = "9c1d2e3f";

/// Rewrites the number that follows each occurrence of `key` (plus `delta`).
fn shift_numbers(line: &str, key: &str, delta: i128) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(i) = rest.find(key) {
        let start = i + key.len();
        out.push_str(&rest[..start]);
        let digits = rest[start..].bytes().take_while(u8::is_ascii_digit).count();
        match rest[start..start + digits].parse::<i128>() {
            Ok(n) => {
                let _ = write!(out, "{}", n + delta);
            }
            Err(_) => out.push_str(&rest[start..start + digits]),
        }
        rest = &rest[start + digits..];
    }
    out.push_str(rest);
    out
}

/// Shifts each RFC 3339 string value after `key` (`"time":"`).
fn shift_rfc3339(line: &str, key: &str, secs: i64) -> String {
    let mut out = String::with_capacity(line.len() + 8);
    let mut rest = line;
    while let Some(i) = rest.find(key) {
        let start = i + key.len();
        out.push_str(&rest[..start]);
        let end = rest[start..].find('"').map_or(rest.len(), |e| start + e);
        let text = &rest[start..end];
        match DateTime::parse_from_rfc3339(text) {
            Ok(t) => {
                let t = t.with_timezone(&Utc) + chrono::Duration::seconds(secs);
                out.push_str(&t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true));
            }
            Err(_) => out.push_str(text),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// The audit header `msg=audit(SECS.MSEC:SERIAL)` shifted in time and renumbered.
fn shift_audit(line: &str, secs: i64, serial: u64) -> String {
    let Some(i) = line.find("msg=audit(") else {
        return line.to_string();
    };
    let start = i + "msg=audit(".len();
    let Some(dot) = line[start..].find('.') else {
        return line.to_string();
    };
    let Some(colon) = line[start..].find(':') else {
        return line.to_string();
    };
    let Some(close) = line[start..].find(')') else {
        return line.to_string();
    };
    let (Ok(s), Ok(n)) = (
        line[start..start + dot].parse::<i64>(),
        line[start + colon + 1..start + close].parse::<u64>(),
    ) else {
        return line.to_string();
    };
    format!(
        "{}{}{}:{}{}",
        &line[..start],
        s + secs,
        &line[start + dot..start + colon],
        (n + serial) % (1 << 32),
        &line[start + close..]
    )
}

fn ids(line: &str, k: u64) -> String {
    line.replace(WEB, &format!("{:08x}", 2 * k + 1))
        .replace(TOOLBOX, &format!("{:08x}", 2 * k + 2))
}

/// Writes `epochs` copies of the lab scenario into `dir`; returns the bytes written.
fn generate(dir: &Path, target_bytes: u64) -> std::io::Result<(u64, u64)> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let lab = lab_dir();
    let mut files: Vec<(String, String)> = Vec::new();
    let mut per_epoch = 0u64;
    for entry in std::fs::read_dir(&lab)? {
        let p = entry?.path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".md") || name.ends_with(".py") || name.contains("inspect") {
            continue;
        }
        let text = std::fs::read_to_string(&p)?;
        per_epoch += text.len() as u64;
        files.push((name, text));
    }
    let epochs = target_bytes.div_ceil(per_epoch.max(1)).max(1);
    let mut total = 0u64;
    for (name, text) in &files {
        let out_name = if name.ends_with("-json.log") {
            "container-json.log".to_string()
        } else {
            name.clone()
        };
        let mut w = std::io::BufWriter::new(std::fs::File::create(dir.join(out_name))?);
        for k in 0..epochs {
            let secs = EPOCH_SECS * k as i64;
            let ns = i128::from(secs) * 1_000_000_000;
            for line in text.lines() {
                let l = if name == "audit.log" {
                    shift_audit(line, secs, k * 1000)
                } else if name.starts_with("docker-events") {
                    let l = shift_numbers(line, "\"timeNano\":", ns);
                    ids(&shift_numbers(&l, "\"time\":", i128::from(secs)), k)
                } else if name.starts_with("falco") {
                    let l = shift_numbers(line, "\"evt.time\":", ns);
                    ids(&shift_rfc3339(&l, "\"time\":\"", secs), k)
                } else if name.starts_with("tracee") {
                    let l = shift_numbers(line, "\"timestamp\":", ns);
                    ids(&shift_numbers(&l, "\"threadStartTime\":", ns), k)
                } else {
                    shift_rfc3339(line, "\"time\":\"", secs)
                };
                w.write_all(l.as_bytes())?;
                w.write_all(b"\n")?;
                total += l.len() as u64 + 1;
            }
        }
        w.flush()?;
    }
    Ok((total, epochs))
}

fn vm_hwm_kib() -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn run(dir: &Path, mb: u64) {
    let t0 = Instant::now();
    let (bytes, epochs) = match generate(dir, mb * 1024 * 1024) {
        Ok(x) => x,
        Err(e) => {
            eprintln!("generating {}: {e}", dir.display());
            return;
        }
    };
    let gen_secs = t0.elapsed().as_secs_f64();
    let opts = RunOptions {
        paths: vec![dir.to_path_buf()],
        ..RunOptions::default()
    };
    let start = Instant::now();
    let mut prepared = match prepare(&opts) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return;
        }
    };
    // Findings are streamed (as the main example does) and serialized as ECS, so the
    // export's cost is measured and nothing accumulates.
    let exported = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let counter = exported.clone();
    prepared.pipeline.stream_findings(move |f, _| {
        let n = serde_json::to_vec(&f.to_ecs(&tripline::schema::EcsOptions::default()))
            .map_or(0, |v| v.len());
        counter.fetch_add(n as u64, std::sync::atomic::Ordering::Relaxed);
    });
    let report = prepared.run(|_| {});
    let secs = start.elapsed().as_secs_f64();
    let mbps = bytes as f64 / 1_048_576.0 / secs;
    let eps = report.stats.events as f64 / secs;
    let attributed = report
        .metrics
        .overall
        .by_rule
        .get("Interactive shell in a container attributed to a host user")
        .copied()
        .unwrap_or(0);
    println!(
        "{{\"name\":\"pipeline_end_to_end\",\"input_mb\":{:.1},\"epochs\":{epochs},\"events\":{},\"secs\":{secs:.3},\"mb_per_s\":{mbps:.1},\"events_per_s\":{eps:.0},\"findings\":{},\"ecs_bytes\":{},\"attributed_shells\":{attributed},\"input_errors\":{},\"peak_rss_mib\":{:.1},\"generate_secs\":{gen_secs:.1}}}",
        bytes as f64 / 1_048_576.0,
        report.stats.events,
        report.metrics.overall.total,
        exported.load(std::sync::atomic::Ordering::Relaxed),
        report.stats.input_errors,
        vm_hwm_kib().unwrap_or(0) as f64 / 1024.0,
    );
    if std::env::var_os("TRIPLINE_BENCH_KEEP").is_none() {
        let _ = std::fs::remove_dir_all(dir);
    }
}

fn main() {
    let big: u64 = std::env::var("TRIPLINE_BENCH_MB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50)
        .max(1);
    let base: PathBuf = std::env::var_os("TRIPLINE_BENCH_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(std::env::temp_dir);
    for mb in [(big / 5).max(1), big] {
        run(&base.join(format!("tripline-bench-{mb}mb")), mb);
    }
}
