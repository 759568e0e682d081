//! Any supported input as normalized NDJSON: native (lossless), ECS 8.17 or OCSF 1.8.0.
//!
//! ```text
//! cargo run --example normalize -- examples/data/lab/audit.log
//! cargo run --example normalize -- --source falco --output ocsf /var/log/falco.json
//! cat tracee.json | cargo run --example normalize -- --source tracee --output ecs --stats
//! ```
//!
//! Inputs are files, directories or stdin (when no file is given). `--source auto` detects
//! the format of each file from its first lines; `docker inspect` JSON files given alongside
//! feed the enrichment cache (container names, images, privileged flag). Events are written in
//! input order, one JSON object per line; bad lines go to stderr with file, line and byte
//! offset. `--stats` prints each input's line accounting on stderr.

use std::io::{BufWriter, Write};
use std::process::ExitCode;

use clap::Parser;
use tripline::detect::Format;
use tripline::enrich::{EnrichSettings, Enricher};
use tripline::rules::findings::{self, Format as Out};
use tripline::source::Sources;

#[derive(Parser)]
#[command(about = "Normalize audit logs, Docker events/logs, Falco and Tracee output to NDJSON")]
struct Args {
    /// Input format: auto, auditd, docker-events, docker-logs, falco, tracee.
    #[arg(long, default_value = "auto")]
    source: String,
    /// Output form: native, ecs, ocsf.
    #[arg(long, default_value = "native")]
    output: String,
    /// Print per-input counts on stderr.
    #[arg(long)]
    stats: bool,
    /// Files or directories (stdin when none).
    files: Vec<std::path::PathBuf>,
}

fn declared(source: &str) -> Result<Option<Format>, String> {
    Ok(match source {
        "auto" => None,
        "auditd" => Some(Format::AuditLog),
        "docker-events" => Some(Format::DockerEventsJson),
        "docker-logs" => Some(Format::ContainerLogs),
        "falco" => Some(Format::FalcoJson),
        "tracee" => Some(Format::TraceeJson),
        other => return Err(format!("unknown --source {other}")),
    })
}

fn main() -> ExitCode {
    let args = Args::parse();
    let format = match declared(&args.source) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let Some(out) = Out::parse(&args.output) else {
        eprintln!("unknown --output {} (native, ecs, ocsf)", args.output);
        return ExitCode::from(2);
    };
    let mut sources = Sources::new();
    if args.files.is_empty() {
        sources.add_reader("-", Box::new(std::io::stdin()), format);
    }
    for f in &args.files {
        sources.add_path(f, format);
    }
    for e in sources.errors() {
        eprintln!("{e}");
    }
    let (inputs, cache) = sources.into_parts();
    let mut enricher = Enricher::new(cache, EnrichSettings::default());
    let stdout = std::io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    let mut errors = 0u64;
    for mut input in inputs {
        for item in input.by_ref() {
            match item {
                Ok(mut ev) => {
                    enricher.apply(&mut ev);
                    let j = findings::to_json(&ev, out);
                    if serde_json::to_writer(&mut w, &j).is_err() || w.write_all(b"\n").is_err() {
                        return ExitCode::FAILURE;
                    }
                }
                Err(e) => {
                    errors += 1;
                    eprintln!("{e}");
                }
            }
        }
        if args.stats {
            let c = input.counts();
            eprintln!(
                "{}: format={} lines={} records={} errors={} skipped={} continuation={} events={} bytes={} balanced={}",
                c.file,
                c.format,
                c.lines,
                c.records,
                c.errors,
                c.skipped,
                c.continuation,
                c.events,
                c.bytes,
                c.balanced()
            );
        }
    }
    if w.flush().is_err() {
        return ExitCode::FAILURE;
    }
    if args.stats {
        let s = enricher.stats();
        eprintln!(
            "enrichment: events={} docker_cli_targets={} from_inspect={} from_events={} unresolved={}",
            s.events, s.docker_cli_targets, s.from_inspect, s.from_events, s.unresolved
        );
    }
    if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
