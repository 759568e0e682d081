//! Runs Sigma rules over log files with `tripline-rules` and prints one JSON object per match.
//!
//! ```text
//! cargo run --example sigma -- --rules ../shared/corpus/sigma/rules/linux /var/log/audit/audit.log
//! cargo run --example sigma -- --rules rules/ --input json --logsource product=linux,category=process_creation events.ndjson
//! cargo run --example sigma -- --rules rules/ --check
//! ```
//!
//! Inputs: audit logs (`--input auditd`, one record per line, evaluated by `product: linux,
//! service: auditd` rules and product-only linux rules); Falco alerts, Tracee events, Docker
//! events and container logs (`--input falco|tracee|docker`), read by the facade into
//! normalized events and evaluated twice: under `product: linux` with the category of the
//! event (`process_creation`, `file_event`, `network_connection`; Sysmon names map to ECS) and
//! under the source's own logsource (`product: falco, service: alerts`, `product: tracee,
//! service: events`, `product: docker, service: events|logs`); or generic NDJSON (`--input
//! json`: field names used as-is, dotted names reach into nested objects, `--logsource` says
//! which rules apply; default `product=linux`). `--input auto` (default) detects the format of
//! each file and falls back to NDJSON. Reads stdin (auditd or NDJSON) when no file is given.
//!
//! Output per match: `rule_id`, `rule_title`, `level`, `author` (Detection Rule License
//! attribution), `file`, `line` (1-based line of the record in its file), `selections`,
//! `fields`. `--check` only loads and compiles the rules and prints a load report.

use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use clap::Parser;
use tripline::detect::Format;
use tripline::schema::{Event, EventKind, Product};
use tripline::source::Sources;
use tripline_rules::{Engine, LogSource, Match, RuleSet, Scratch, Settings};

/// The logsources a normalized event is evaluated under.
fn event_logsources(ev: &Event, format: Format) -> Vec<LogSource> {
    let mut out = Vec::new();
    let category = match &ev.kind {
        EventKind::ProcessExec(_) => Some("process_creation"),
        EventKind::FileAccess(_) => Some("file_event"),
        EventKind::Network(_) => Some("network_connection"),
        _ => None,
    };
    if let Some(c) = category {
        out.push(LogSource::new("linux", c, ""));
    }
    let own = match (&ev.source.product, format) {
        (Product::Falco, _) => Some(("falco", "alerts")),
        (Product::Tracee, _) => Some(("tracee", "events")),
        (Product::Docker, Format::ContainerLogs) => Some(("docker", "logs")),
        (Product::Docker, _) => Some(("docker", "events")),
        _ => None,
    };
    if let Some((p, s)) = own {
        out.push(LogSource::new(p, "", s));
    }
    out
}

/// Evaluates the normalized events of a Falco, Tracee or Docker file.
fn run_normalized(
    engine: &Engine,
    path: &std::path::Path,
    format: Option<Format>,
    sc: &mut Scratch,
    w: &mut dyn Write,
) -> Option<usize> {
    let mut sources = Sources::new();
    sources.add_path(path, format);
    let (inputs, _cache) = sources.into_parts();
    let input = inputs.into_iter().next()?;
    let fmt = input.format();
    if matches!(fmt, Format::AuditLog | Format::DockerInspect) {
        return None;
    }
    let name = path.display().to_string();
    let mut total = 0;
    let mut out = Vec::new();
    for ev in input.flatten() {
        let line = ev
            .raw
            .as_ref()
            .and_then(|r| r.location.as_ref())
            .and_then(|l| l.line)
            .unwrap_or(0);
        for ls in event_logsources(&ev, fmt) {
            out.clear();
            engine.evaluate(&ls, &ev, sc, &mut out);
            for m in &out {
                if let Some(f) = engine.finding(m, &ev) {
                    let j = serde_json::json!({
                        "rule_id": f.rule_id, "rule_title": f.rule_title, "level": f.level,
                        "author": f.author, "file": name, "line": line, "logsource": ls.to_string(),
                        "selections": f.selections, "fields": f.fields,
                    });
                    let _ = writeln!(w, "{j}");
                }
            }
            total += out.len();
        }
    }
    Some(total)
}

#[derive(Parser)]
#[command(about = "Sigma detection over audit logs or NDJSON events")]
struct Args {
    /// Rule file or directory (recursive); repeatable.
    #[arg(long = "rules", required = true)]
    rules: Vec<std::path::PathBuf>,
    /// Input format: auto, auditd or json.
    #[arg(long = "input", default_value = "auto")]
    input: String,
    /// Logsource of JSON events: product=…,category=…,service=….
    #[arg(long = "logsource", default_value = "product=linux")]
    logsource: String,
    /// Only load the rules and print the load report.
    #[arg(long)]
    check: bool,
    /// Input files (stdin when none).
    files: Vec<std::path::PathBuf>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let mut set = RuleSet::new(Settings::default());
    for p in &args.rules {
        set.load_path(p);
    }
    let engine = Engine::new(&set);
    let rejected: Vec<String> = set
        .rejected
        .iter()
        .chain(engine.rejected())
        .map(ToString::to_string)
        .collect();
    if args.check {
        let s = engine.stats();
        println!(
            "{}",
            serde_json::json!({
                "files": set.stats.files, "documents": set.stats.documents,
                "rules_loaded": s.rules, "correlations": set.correlations.len(), "filters": set.filters.len(),
                "rejected": rejected.len(), "buckets": s.buckets, "indexed_rules": s.indexed,
                "always_evaluated": s.always_evaluated, "needles": s.needles,
            })
        );
        for r in &rejected {
            println!("{}", serde_json::json!({ "rejected": r }));
        }
        return if rejected.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        };
    }
    for r in &rejected {
        eprintln!("rejected: {r}");
    }
    let json_ls = match LogSource::parse_spec(&args.logsource) {
        Ok(ls) => ls,
        Err(e) => {
            eprintln!("--logsource: {e}");
            return ExitCode::from(2);
        }
    };
    let audit_ls = LogSource::new("linux", "", "auditd");
    let mut sc = Scratch::new();
    let mut out: Vec<Match> = Vec::new();
    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    let mut total = 0usize;
    let forced = match args.input.as_str() {
        "falco" => Some(Format::FalcoJson),
        "tracee" => Some(Format::TraceeJson),
        "docker" | "docker-events" => Some(Format::DockerEventsJson),
        "docker-logs" => Some(Format::ContainerLogs),
        _ => None,
    };
    let mut line_files = Vec::new();
    for f in &args.files {
        if matches!(args.input.as_str(), "json" | "auditd") {
            line_files.push(f.clone());
            continue;
        }
        match run_normalized(&engine, f, forced, &mut sc, &mut w) {
            Some(n) => total += n,
            None => line_files.push(f.clone()),
        }
    }
    let inputs: Vec<(String, Box<dyn BufRead>)> = if args.files.is_empty() {
        vec![("-".to_string(), Box::new(BufReader::new(std::io::stdin())))]
    } else {
        let mut v: Vec<(String, Box<dyn BufRead>)> = Vec::new();
        for f in &line_files {
            match std::fs::File::open(f) {
                Ok(h) => v.push((f.display().to_string(), Box::new(BufReader::new(h)))),
                Err(e) => eprintln!("{}: {e}", f.display()),
            }
        }
        v
    };
    for (name, mut reader) in inputs {
        let mut buf = Vec::new();
        let mut line_no = 0u64;
        let mut skipped = 0u64;
        loop {
            buf.clear();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) => {
                    eprintln!("{name}: {e}");
                    break;
                }
            }
            line_no += 1;
            let text = String::from_utf8_lossy(&buf);
            let line = text.trim_end_matches(['\n', '\r']);
            let is_json = match args.input.as_str() {
                "json" => true,
                "auditd" => false,
                _ => line.trim_start().starts_with('{'),
            };
            out.clear();
            let emit = |out: &[Match],
                        finding: &dyn Fn(&Match) -> Option<tripline_rules::Finding>,
                        w: &mut dyn Write| {
                for m in out {
                    if let Some(f) = finding(m) {
                        let j = serde_json::json!({
                            "rule_id": f.rule_id, "rule_title": f.rule_title, "level": f.level,
                            "author": f.author, "file": name, "line": line_no,
                            "selections": f.selections, "fields": f.fields,
                        });
                        let _ = writeln!(w, "{j}");
                    }
                }
            };
            if is_json {
                let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                    skipped += 1;
                    continue;
                };
                engine.evaluate(&json_ls, &v, &mut sc, &mut out);
                emit(&out, &|m| engine.finding(m, &v), &mut w);
            } else {
                let Ok(rec) = tripline_auditd::from_str(line) else {
                    skipped += 1;
                    continue;
                };
                engine.evaluate(&audit_ls, &rec, &mut sc, &mut out);
                emit(&out, &|m| engine.finding(m, &rec), &mut w);
            }
            total += out.len();
        }
        if skipped > 0 {
            eprintln!("{name}: {skipped} of {line_no} lines were not records and were skipped");
        }
    }
    let _ = w.flush();
    eprintln!("{total} matches");
    ExitCode::SUCCESS
}
