//! The whole Tripline pipeline: read audit logs, Docker events and logs, Falco and Tracee
//! output; merge them by event time; run Sigma detection and correlation rules (the
//! cross-source attribution pack in `rules/tripline/` is enabled by default); print the
//! de-duplicated findings and a summary.
//!
//! ```text
//! cargo run --release --example tripline                      # the embedded lab scenario
//! cargo run --release --example tripline -- /var/log/audit/audit.log /var/log/falco.json
//! cargo run --release --example tripline -- --rules ../shared/corpus/sigma/rules/linux \
//!     --suppress suppress.yml --output ecs /data/host1/ > findings.ecs.ndjson
//! ```
//!
//! Inputs are files or directories (every file below them), their formats detected;
//! `docker inspect` JSON among them feeds the enrichment cache. Output: `text` (default;
//! findings and a summary table), `ndjson` (native), `ecs`, `ocsf`, `markdown`. `--stats`
//! adds line accounting and every counter (on stderr for the machine-readable outputs). A
//! progress bar is drawn on stderr for inputs over 16 MiB when stderr is a terminal.

use std::io::{BufWriter, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::atomic::Ordering;

use clap::Parser;
use tripline::output::{OutputFormat, stats_text, summary, write_finding};
use tripline::run::{RunOptions, lab_dir, prepare};

#[derive(Parser)]
#[command(about = "Read, merge, detect, correlate: findings from container-host security logs")]
struct Args {
    /// More Sigma rules (file or directory); repeatable.
    #[arg(long = "rules")]
    rules: Vec<std::path::PathBuf>,
    /// Leave out the built-in attribution pack.
    #[arg(long)]
    no_pack: bool,
    /// Suppression file (YAML or JSON).
    #[arg(long)]
    suppress: Option<std::path::PathBuf>,
    /// Output: text, ndjson, ecs, ocsf, markdown.
    #[arg(long, default_value = "text")]
    output: String,
    /// Print input accounting and pipeline counters.
    #[arg(long)]
    stats: bool,
    /// Detect only on events at or after this time: RFC 3339, Unix seconds, or a duration
    /// back from now (`10m`, `2h`), as `docker events --since` takes it.
    #[arg(long)]
    since: Option<String>,
    /// Detect only on events before this time (same forms as `--since`).
    #[arg(long)]
    until: Option<String>,
    /// Input files or directories (`-` for stdin); the lab scenario when none.
    files: Vec<std::path::PathBuf>,
}

const PROGRESS_MIN_BYTES: u64 = 16 * 1024 * 1024;

fn main() -> ExitCode {
    let args = Args::parse();
    let Some(format) = OutputFormat::parse(&args.output) else {
        eprintln!(
            "unknown --output {} (text, ndjson, ecs, ocsf, markdown)",
            args.output
        );
        return ExitCode::from(2);
    };
    let lab = args.files.is_empty();
    let mut settings = tripline::pipeline::PipelineSettings::default();
    for (arg, slot) in [
        (&args.since, &mut settings.since),
        (&args.until, &mut settings.until),
    ] {
        let Some(text) = arg else { continue };
        let now = chrono::Utc::now();
        let now =
            tripline::docker::Timestamp::from_unix(now.timestamp(), now.timestamp_subsec_nanos());
        match tripline::docker::parse_time_arg(text, now, 0).map(|t| t.to_datetime()) {
            Ok(Some(t)) => *slot = Some(t),
            _ => {
                eprintln!("not a time, Unix timestamp or duration: {text}");
                return ExitCode::from(2);
            }
        }
    }
    let opts = RunOptions {
        paths: if lab {
            vec![lab_dir()]
        } else {
            args.files.clone()
        },
        rules: args.rules.clone(),
        pack: !args.no_pack,
        suppress: args.suppress.clone(),
        settings,
    };
    let prepared = match prepare(&opts) {
        Ok(p) => p,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    for n in &prepared.notes {
        eprintln!("{n}");
    }
    for r in prepared.pipeline.rejected() {
        eprintln!("rejected: {r}");
    }
    if lab && format == OutputFormat::Text {
        println!(
            "Lab scenario: {} (host lab-docker-01, 2026-11-20)\n",
            lab_dir().display()
        );
    }
    let bar = (std::io::stderr().is_terminal() && prepared.total_bytes >= PROGRESS_MIN_BYTES).then(
        || {
            let bar = indicatif::ProgressBar::new(prepared.total_bytes);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {msg}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        },
    );
    // Findings are streamed to stdout as the pipeline releases them, so memory stays flat.
    let mut prepared = prepared;
    let mut out = BufWriter::new(std::io::stdout());
    prepared.pipeline.stream_findings(move |f, evidence| {
        let _ = write_finding(f, evidence, format, &mut out);
    });
    let bytes = prepared.bytes_read.clone();
    let report = prepared.run(|s| {
        if let Some(b) = &bar {
            b.set_position(bytes.load(Ordering::Relaxed));
            b.set_message(format!("{} events", s.events));
        }
    });
    if let Some(b) = bar {
        b.finish_and_clear();
    }
    let stdout = std::io::stdout();
    let mut w = BufWriter::new(stdout.lock());
    if format == OutputFormat::Text {
        let _ = w.write_all(summary(&report).as_bytes());
    }
    if args.stats {
        let text = stats_text(&report);
        if format == OutputFormat::Text {
            let _ = w.write_all(text.as_bytes());
        } else {
            eprint!("{text}");
        }
    }
    if w.flush().is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
