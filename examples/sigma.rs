//! Runs Sigma rules over log files with `tripline-rules` and prints one JSON object per match.
//!
//! ```text
//! cargo run --example sigma -- --rules ../shared/corpus/sigma/rules/linux /var/log/audit/audit.log
//! cargo run --example sigma -- --rules rules/ --input json --logsource product=linux,category=process_creation events.ndjson
//! cargo run --example sigma -- --rules rules/ --check
//! ```
//!
//! Inputs: audit logs (`--input auditd`, one record per line, evaluated by `product: linux,
//! service: auditd` rules and product-only linux rules) or generic NDJSON (`--input json`: the
//! field names are used as-is, dotted names reach into nested objects, `--logsource` says which
//! rules apply; the default is `product=linux`). `--input auto` (default) picks JSON for lines
//! starting with `{`. Reading stdin when no file is given.
//!
//! Output per match: `rule_id`, `rule_title`, `level`, `author` (Detection Rule License
//! attribution), `file`, `line` (1-based line of the record in its file), `selections`,
//! `fields`. `--check` only loads and compiles the rules and prints a load report.

use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use clap::Parser;
use tripline_rules::{Engine, LogSource, Match, RuleSet, Scratch, Settings};

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
    let inputs: Vec<(String, Box<dyn BufRead>)> = if args.files.is_empty() {
        vec![("-".to_string(), Box::new(BufReader::new(std::io::stdin())))]
    } else {
        let mut v: Vec<(String, Box<dyn BufRead>)> = Vec::new();
        for f in &args.files {
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
