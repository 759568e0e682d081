//! A compatible subset of `ausearch` over audit log files, built on `tripline-auditd`.
//!
//! ```text
//! cargo run --example ausearch -- -if /var/log/audit/audit.log -m USER_CMD
//! cargo run --example ausearch -- -if audit.log -k docker-daemon --raw
//! cargo run --example ausearch -- -if audit.log -ua root --format ecs
//! cat audit.log | cargo run --example ausearch -- -p 4242
//! ```
//!
//! Input: `-if FILE` (repeatable) or stdin. Output: ausearch's default (`----`, `time->…`,
//! records last-first), `--raw` (matching records in log order, no separators), `-i`
//! (interpreted, as ausearch prints it with `TZ=UTC LC_ALL=C`), or `--format
//! native|ecs|ocsf` (one normalized JSON event per line). Filters: `-m TYPE[,TYPE]`, `-p`,
//! `-pp`, `-ua`, `-ui`, `-ue`, `-ul`, `-ga`, `-gi`, `-ge`, `-k`, `-c`, `-x`, `-sc`, `-sv yes|no`,
//! `-su`, `-ts`/`-te DATE [TIME]|KEYWORD`, `--node`, `-a SERIAL`, `--eoe-timeout SECS`.
//! Grouping follows ausearch 3.0.9 (`--modern` groups like libauparse 4.x instead: LOGIN
//! with its syscall, user-space messages merged with kernel records of the same id).
//! Times are UTC. Exit status 1 and `<no matches>` on stderr when nothing matched.

use std::io::{BufRead, BufReader, Write};
use std::process::ExitCode;

use chrono::FixedOffset;
use tripline_auditd::{AuditEvent, Events, Query, Settings, TimeBound};
use tripline_schema::{EcsOptions, OcsfOptions};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    Default,
    Raw,
    Interpreted,
    Native,
    Ecs,
    Ocsf,
}

struct Options {
    inputs: Vec<String>,
    output: Output,
    query: Query,
    settings: Settings,
}

fn usage(msg: &str) -> ExitCode {
    eprintln!("ausearch: {msg}");
    eprintln!(
        "usage: ausearch [-if FILE]... [--raw|-i|--format native|ecs|ocsf] [-m TYPE] [-p PID] [-pp PPID] \
         [-ua|-ui|-ue|-ul USER] [-ga|-gi|-ge GROUP] [-k KEY] [-c COMM] [-x EXE] [-sc SYSCALL] \
         [-sv yes|no] [-su CTX] [-ts DATE [TIME]] [-te DATE [TIME]] [--node NODE] [-a SERIAL] \
         [--eoe-timeout SECS] [--modern]"
    );
    ExitCode::from(2)
}

/// Looks a name up in a passwd/group style file (`name:x:id:…`); numbers pass through.
fn resolve_id(value: &str, file: &str) -> Option<u32> {
    if let Ok(n) = value.parse() {
        return Some(n);
    }
    let text = std::fs::read_to_string(file).ok()?;
    text.lines().find_map(|l| {
        let mut f = l.split(':');
        (f.next()? == value).then_some(())?;
        f.next()?;
        f.next()?.parse().ok()
    })
}

fn parse_args(args: Vec<String>) -> Result<Options, String> {
    let mut o = Options {
        inputs: Vec::new(),
        output: Output::Default,
        query: Query::new(),
        settings: Settings::ausearch_3_0_9(),
    };
    let now = chrono::Utc::now().timestamp();
    let utc = FixedOffset::east_opt(0).expect("UTC offset");
    let mut it = args.into_iter().peekable();
    while let Some(a) = it.next() {
        let mut val = |name: &str| it.next().ok_or(format!("{name} needs a value"));
        let user = |v: String| resolve_id(&v, "/etc/passwd").ok_or(format!("unknown user {v}"));
        let group = |v: String| resolve_id(&v, "/etc/group").ok_or(format!("unknown group {v}"));
        match a.as_str() {
            "-if" | "--input" => o.inputs.push(val(&a)?),
            "-r" | "--raw" => o.output = Output::Raw,
            "-i" | "--interpret" => o.output = Output::Interpreted,
            "--format" => {
                o.output = match val(&a)?.as_str() {
                    "raw" => Output::Raw,
                    "default" => Output::Default,
                    "native" => Output::Native,
                    "ecs" => Output::Ecs,
                    "ocsf" => Output::Ocsf,
                    f => return Err(format!("unknown format {f}")),
                }
            }
            "-m" | "--message" => o.query = o.query.message_types(&val(&a)?),
            "-p" | "--pid" => o.query.pid = Some(val(&a)?.parse().map_err(|_| "bad pid")?),
            "-pp" | "--ppid" => o.query.ppid = Some(val(&a)?.parse().map_err(|_| "bad ppid")?),
            "-ua" | "--uid-all" => o.query.uid_any = Some(user(val(&a)?)?),
            "-ui" | "--uid" => o.query.uid = Some(user(val(&a)?)?),
            "-ue" | "--uid-effective" => o.query.euid = Some(user(val(&a)?)?),
            "-ul" | "--loginuid" => o.query.auid = Some(user(val(&a)?)?),
            "-ga" | "--gid-all" => o.query.gid_any = Some(group(val(&a)?)?),
            "-gi" | "--gid" => o.query.gid = Some(group(val(&a)?)?),
            "-ge" | "--gid-effective" => o.query.egid = Some(group(val(&a)?)?),
            "-k" | "--key" => o.query.key = Some(val(&a)?),
            "-c" | "--comm" => o.query.comm = Some(val(&a)?),
            "-x" | "--executable" => o.query.exe = Some(val(&a)?),
            "-su" | "--subject" => o.query.subject = Some(val(&a)?),
            "-sv" | "--success" => {
                o.query.success = Some(match val(&a)?.as_str() {
                    "yes" => true,
                    "no" => false,
                    v => return Err(format!("-sv takes yes or no, not {v}")),
                })
            }
            "-sc" | "--syscall" => o.query = o.query.syscall(&val(&a)?),
            "--node" => o.query.nodes.push(val(&a)?),
            "-a" | "--event" => {
                o.query.serial = Some(val(&a)?.parse().map_err(|_| "bad event id")?)
            }
            "--eoe-timeout" => {
                let secs: u64 = val(&a)?.parse().map_err(|_| "bad timeout")?;
                if secs == 0 {
                    return Err("--eoe-timeout must be at least 1".into());
                }
                o.settings.eoe_timeout_secs = secs;
            }
            "--modern" => {
                let timeout = o.settings.eoe_timeout_secs;
                o.settings = Settings::default();
                o.settings.eoe_timeout_secs = timeout;
            }
            "-ts" | "--start" | "-te" | "--end" => {
                let bound = if a == "-ts" || a == "--start" {
                    TimeBound::Start
                } else {
                    TimeBound::End
                };
                let date = val(&a)?;
                let time = it.next_if(|t| t.contains(':') && !t.starts_with('-'));
                let t = bound
                    .parse(&date, time.as_deref(), utc, now)
                    .ok_or(format!(
                        "Error parsing {} date",
                        if bound == TimeBound::Start {
                            "start"
                        } else {
                            "end"
                        }
                    ))?;
                match bound {
                    TimeBound::Start => o.query.start = Some(t),
                    _ => o.query.end = Some(t),
                }
            }
            _ => return Err(format!("unknown option {a}")),
        }
    }
    Ok(o)
}

fn print(out: &mut impl Write, ev: &AuditEvent, how: Output) -> std::io::Result<()> {
    match how {
        Output::Raw => {
            for r in ev.records() {
                writeln!(out, "{}", r.line())?;
            }
        }
        Output::Default => {
            writeln!(out, "----")?;
            if let Some(t) = ev.id().time.to_datetime() {
                writeln!(out, "time->{}", t.format("%a %b %e %H:%M:%S %Y"))?;
            }
            for r in ev.records().rev() {
                writeln!(out, "{}", r.line().split('\x1d').next().unwrap_or(""))?;
            }
        }
        Output::Interpreted => {
            let mut text = String::new();
            let resolver = tripline_auditd::interpret::system_resolver();
            tripline_auditd::interpret::render_event(&mut text, ev, resolver);
            out.write_all(text.as_bytes())?;
        }
        Output::Native => writeln!(out, "{}", ev.to_event().to_native_json())?,
        Output::Ecs => writeln!(out, "{}", ev.to_event().to_ecs(&EcsOptions::default()))?,
        Output::Ocsf => writeln!(out, "{}", ev.to_event().to_ocsf(&OcsfOptions::default()))?,
    }
    Ok(())
}

fn run(
    o: &Options,
    input: Box<dyn BufRead>,
    out: &mut impl Write,
    matched: &mut u64,
) -> std::io::Result<()> {
    let mut events = Events::with_settings(input, o.settings.clone());
    for ev in events.by_ref() {
        let Ok(ev) = ev else { continue };
        if !o.query.matches(&ev) {
            continue;
        }
        *matched += 1;
        print(out, &ev, o.output)?;
    }
    Ok(())
}

fn main() -> ExitCode {
    let opts = match parse_args(std::env::args().skip(1).collect()) {
        Ok(o) => o,
        Err(e) => return usage(&e),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut matched = 0;
    let inputs: Vec<Option<String>> = if opts.inputs.is_empty() {
        vec![None]
    } else {
        opts.inputs.iter().cloned().map(Some).collect()
    };
    for input in inputs {
        let reader: Box<dyn BufRead> = match &input {
            None => Box::new(BufReader::new(std::io::stdin())),
            Some(path) => match std::fs::File::open(path) {
                Ok(f) => Box::new(BufReader::with_capacity(1 << 16, f)),
                Err(e) => {
                    eprintln!("ausearch: cannot open {path}: {e}");
                    return ExitCode::from(1);
                }
            },
        };
        if let Err(e) = run(&opts, reader, &mut out, &mut matched) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return ExitCode::SUCCESS;
            }
            eprintln!("ausearch: {e}");
            return ExitCode::from(1);
        }
    }
    let _ = out.flush();
    if matched == 0 {
        eprintln!("<no matches>");
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
