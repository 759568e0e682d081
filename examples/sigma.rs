//! Runs Sigma rules over log files with `tripline-rules` and prints one JSON object per match.
//!
//! ```text
//! cargo run --example sigma -- --rules ../shared/corpus/sigma/rules/linux /var/log/audit/audit.log
//! cargo run --example sigma -- --rules rules/ --input json --logsource product=linux,category=process_creation events.ndjson
//! cargo run --example sigma -- --rules rules/ --check
//! ```
//!
//! Inputs (files, or directories read recursively): audit logs (`--input auditd`, one record
//! per line, evaluated by `product: linux, service: auditd` rules and product-only linux
//! rules); Falco alerts, Tracee events, Docker
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
//! attribution), `file`, `line` (1-based line of the event in its file: for audit logs the first
//! line of the multi-record event, with the matching record's own line in `record_line`), `selections`,
//! `fields`. `--check` only loads and compiles the rules and prints a load report; `--fields`
//! prints the event fields the rules read for `--logsource` events (one JSON object per field:
//! the event `names` tried in order; `read`: `every_event` when the candidate index reads it
//! for every event, `gated` for the audit record types whose rules it indexes, `candidate`
//! when only a rule being evaluated does; `raw_text` for the raw line of keyword rules):
//! what a shipper must keep.
//!
//! Correlation rules in the loaded files run over the detection matches (event time: the
//! record's own time, the normalized event's time, or for `--input json` the `--time-field`,
//! default `@timestamp`, as RFC 3339 or epoch seconds / ms / ns). Each correlation match is one
//! JSON object with `rule_id`, `rule_title`, `"correlation": true`, `group` (group-by field →
//! value, alias names for aliased fields), `lines` (1-based lines of the evidence events) and
//! `evidence` (`file:line`). Detections of rules a correlation references are printed only when
//! a correlation sets `generate: true`, as the spec says.
//!
//! ```text
//! cargo run --example sigma -- --rules examples/data/sigma/failed_logins.yml --input json \
//!     --logsource product=linux,service=sshd examples/data/sigma/failed_logins.ndjson
//! ```

use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use clap::Parser;
use tripline::detect::{self, Format};
use tripline::schema::{Event, EventKind, Product};
use tripline::schema::{FieldSource, FlatEvent, Value};
use tripline::source::{InputError, Sources};
use tripline_rules::correlation::{self, CorrelationMatch, CorrelationSpec, Detection, Evidence};
use tripline_rules::{Engine, LogSource, Match, Rule, RuleSet, Scratch, Settings};

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

/// Evaluates the normalized events of every Falco, Tracee or Docker file at `path` (a file,
/// or a directory read recursively in sorted order). Returns the number of matches and the
/// files left to read line by line: audit logs, and files of no recognized format (read as
/// NDJSON).
fn run_normalized(
    engine: &Engine,
    path: &std::path::Path,
    format: Option<Format>,
    sc: &mut Scratch,
    corr: &mut Correlator,
    w: &mut dyn Write,
) -> (usize, Vec<std::path::PathBuf>) {
    let mut sources = Sources::new();
    sources.add_path(path, format);
    let mut line_files: Vec<std::path::PathBuf> = Vec::new();
    for e in sources.errors() {
        match e {
            InputError::UnknownFormat { file, .. } => line_files.push(file.into()),
            other => eprintln!("{other}"),
        }
    }
    let (inputs, _cache) = sources.into_parts();
    let mut total = 0;
    let mut out = Vec::new();
    for input in inputs {
        let fmt = input.format();
        let name = input.name().to_string();
        if fmt == Format::AuditLog {
            line_files.push(name.into());
            continue;
        }
        let mut errors = 0u64;
        for item in input {
            let Ok(ev) = item else {
                errors += 1;
                continue;
            };
            let line = ev
                .raw
                .as_ref()
                .and_then(|r| r.location.as_ref())
                .and_then(|l| l.line)
                .unwrap_or(0);
            for ls in event_logsources(&ev, fmt) {
                out.clear();
                engine.evaluate(&ls, &ev, sc, &mut out);
                let extra = [("logsource", serde_json::Value::String(ls.to_string()))];
                report(
                    engine,
                    corr,
                    &out,
                    &ev,
                    Some(ev.time),
                    &name,
                    line,
                    &extra,
                    w,
                );
                total += out.len();
            }
        }
        if errors > 0 {
            eprintln!("{name}: {errors} records could not be read");
        }
    }
    (total, line_files)
}

/// Prints the detection matches in `out` (unless a correlation swallows them) and feeds them to
/// the correlation engine. `extra` adds keys to each printed object.
#[allow(clippy::too_many_arguments)]
fn report(
    engine: &Engine,
    corr: &mut Correlator,
    out: &[Match],
    event: &dyn FieldSource,
    time: Option<DateTime<Utc>>,
    file: &str,
    line: u64,
    extra: &[(&str, serde_json::Value)],
    w: &mut dyn Write,
) {
    for m in out {
        let Some(rule) = engine.rule(m.rule) else {
            continue;
        };
        if corr.emits(rule)
            && let Some(f) = engine.finding(m, event)
        {
            let mut j = serde_json::json!({
                "rule_id": f.rule_id, "rule_title": f.rule_title, "level": f.level,
                "author": f.author, "file": file, "line": line,
                "selections": f.selections, "fields": f.fields,
            });
            for (k, v) in extra {
                j[*k] = v.clone();
            }
            let _ = writeln!(w, "{j}");
        }
        corr.feed(rule, time, event, file, line, w);
    }
}

/// Runs the loaded correlation rules over the detection matches and prints their matches.
struct Correlator {
    engine: Option<correlation::Engine>,
    out: Vec<CorrelationMatch>,
    printed: usize,
}

impl Correlator {
    fn new(set: &RuleSet) -> Self {
        let mut specs = Vec::new();
        for c in &set.correlations {
            match CorrelationSpec::try_from(c) {
                Ok(s) => specs.push(s),
                Err(e) => eprintln!("rejected correlation: {e}"),
            }
        }
        let engine = if specs.is_empty() {
            None
        } else {
            match correlation::Engine::new(specs, correlation::Settings::default()) {
                Ok(e) => Some(e),
                Err(e) => {
                    eprintln!("correlation rules rejected: {e}");
                    None
                }
            }
        };
        Correlator {
            engine,
            out: Vec::new(),
            printed: 0,
        }
    }

    /// Whether the rule's own matches are printed (Sigma `generate`).
    fn emits(&self, rule: &Rule) -> bool {
        self.engine
            .as_ref()
            .is_none_or(|e| e.emits_detection(rule.meta.id.as_deref(), rule.meta.name.as_deref()))
    }

    /// Feeds one detection of `rule` on an event at `time`, read at `file:line`.
    #[allow(clippy::too_many_arguments)]
    fn feed(
        &mut self,
        rule: &Rule,
        time: Option<DateTime<Utc>>,
        event: &dyn FieldSource,
        file: &str,
        line: u64,
        w: &mut dyn Write,
    ) {
        let Some(engine) = self.engine.as_mut() else {
            return;
        };
        let (id, name) = (rule.meta.id.as_deref(), rule.meta.name.as_deref());
        if !engine.references(id, name) {
            return;
        }
        let Some(time) = time else {
            eprintln!("{file}:{line}: no event time; not correlated");
            return;
        };
        let evidence = Evidence::at(file, line);
        let mut d = Detection::new(id.unwrap_or_default(), time, event).with_evidence(&evidence);
        d.rule_id = id;
        d.rule_name = name;
        engine.process(&d, &mut self.out);
        self.print(w);
    }

    fn print(&mut self, w: &mut dyn Write) {
        for m in self.out.drain(..) {
            let _ = writeln!(w, "{}", m.to_json());
            self.printed += 1;
        }
    }

    /// End of input: windows still open are evaluated.
    fn finish(&mut self, w: &mut dyn Write) {
        if let Some(engine) = self.engine.as_mut() {
            engine.flush(&mut self.out);
        }
        self.print(w);
    }
}

/// The time of a generic JSON event: RFC 3339 text, or epoch seconds, milliseconds or
/// nanoseconds as a number (told apart by magnitude).
fn json_time(v: &FlatEvent, field: &str) -> Option<DateTime<Utc>> {
    let (x, exact) = match v.field(field)? {
        Value::Str(s) => {
            return DateTime::parse_from_rfc3339(&s)
                .ok()
                .map(|t| t.with_timezone(&Utc));
        }
        Value::Int(i) => (i as f64, Some(i)),
        Value::UInt(u) => (u as f64, i64::try_from(u).ok()),
        Value::Float(f) => (f, None),
        _ => return None,
    };
    let ns = if x.abs() >= 1e17 {
        x
    } else if x.abs() >= 1e14 {
        x * 1e3
    } else if x.abs() >= 1e11 {
        x * 1e6
    } else {
        x * 1e9
    };
    // Nanoseconds given as an integer keep every digit.
    let ns = exact
        .filter(|i| i.abs() >= 100_000_000_000_000_000)
        .unwrap_or(ns as i64);
    Some(DateTime::from_timestamp_nanos(ns))
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
    /// Field holding the time of `--input json` events, for correlation rules.
    #[arg(long = "time-field", default_value = "@timestamp")]
    time_field: String,
    /// Only load the rules and print the load report.
    #[arg(long)]
    check: bool,
    /// Only load the rules and print the event fields they read for `--logsource` events
    /// (each with the event names tried, and when it is read).
    #[arg(long)]
    fields: bool,
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
    if args.fields {
        let read = engine.fields_read(&json_ls);
        let one = |f: &tripline_rules::FieldRead, raw: bool| {
            let names: Vec<&str> = f.names.iter().map(|n| n.as_str()).collect();
            let when = match f.when {
                tripline_rules::ReadWhen::EveryEvent => "every_event",
                tripline_rules::ReadWhen::Gated => "gated",
                _ => "candidate",
            };
            serde_json::json!({ "names": names, "read": when, "raw_text": raw })
        };
        for f in &read.fields {
            println!("{}", one(f, false));
        }
        if let Some(r) = &read.raw {
            println!("{}", one(r, true));
        }
        return ExitCode::SUCCESS;
    }
    let audit_ls = LogSource::new("linux", "", "auditd");
    let mut corr = Correlator::new(&set);
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
            line_files.extend(tripline::source::files_under(f));
            continue;
        }
        let (n, rest) = run_normalized(&engine, f, forced, &mut sc, &mut corr, &mut w);
        total += n;
        line_files.extend(rest);
    }
    type Input = (String, Box<dyn BufRead>, bool);
    let inputs: Vec<Input> = if args.files.is_empty() {
        let audit = args.input == "auditd";
        vec![(
            "-".to_string(),
            Box::new(BufReader::new(std::io::stdin())),
            audit,
        )]
    } else {
        let mut v: Vec<Input> = Vec::new();
        for f in &line_files {
            match std::fs::File::open(f) {
                Ok(h) => {
                    let mut reader = BufReader::with_capacity(64 * 1024, h);
                    let audit = match args.input.as_str() {
                        "auditd" => true,
                        "json" => false,
                        _ => reader.fill_buf().is_ok_and(|b| {
                            detect::detect(&String::from_utf8_lossy(b)) == Some(Format::AuditLog)
                        }),
                    };
                    v.push((f.display().to_string(), Box::new(reader), audit));
                }
                Err(e) => eprintln!("{}: {e}", f.display()),
            }
        }
        v
    };
    for (name, mut reader, audit) in inputs {
        if audit {
            // Raw records are evaluated one by one, but inside their assembled event, so a
            // match reports the first line of its (possibly multi-record) event.
            let mut events = tripline_auditd::Events::new(&mut reader);
            let mut errors = 0u64;
            for item in events.by_ref() {
                let Ok(ev) = item else {
                    errors += 1;
                    continue;
                };
                let first = ev.position().map_or(0, |p| p.line);
                for rec in ev.records() {
                    out.clear();
                    engine.evaluate(&audit_ls, &rec, &mut sc, &mut out);
                    let time = rec.time().to_datetime();
                    let record_line = rec.position().map(|p| p.line);
                    let extra = [("record_line", serde_json::json!(record_line))];
                    report(
                        &engine, &mut corr, &out, &rec, time, &name, first, &extra, &mut w,
                    );
                    total += out.len();
                }
            }
            let lines = events.reader_stats().lines;
            if errors > 0 {
                eprintln!("{name}: {errors} of {lines} lines were not audit records");
            }
            continue;
        }
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
            if is_json {
                let Ok(v) = FlatEvent::from_str(line) else {
                    skipped += 1;
                    continue;
                };
                engine.evaluate(&json_ls, &v, &mut sc, &mut out);
                let time = json_time(&v, &args.time_field);
                report(
                    &engine,
                    &mut corr,
                    &out,
                    &v,
                    time,
                    &name,
                    line_no,
                    &[],
                    &mut w,
                );
            } else {
                let Ok(rec) = tripline_auditd::from_str(line) else {
                    skipped += 1;
                    continue;
                };
                engine.evaluate(&audit_ls, &rec, &mut sc, &mut out);
                let time = rec.time().to_datetime();
                report(
                    &engine,
                    &mut corr,
                    &out,
                    &rec,
                    time,
                    &name,
                    line_no,
                    &[],
                    &mut w,
                );
            }
            total += out.len();
        }
        if skipped > 0 {
            eprintln!("{name}: {skipped} of {line_no} lines were not records and were skipped");
        }
    }
    corr.finish(&mut w);
    let _ = w.flush();
    eprintln!("{total} matches, {} correlation matches", corr.printed);
    ExitCode::SUCCESS
}
