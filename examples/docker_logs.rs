//! Print container logs from json-file log files (or `journalctl -o json` exports of the
//! journald driver, or the binary files of the `local` driver and the dual-logging cache
//! `container-cached.log`) like `docker logs -t`, with partial lines reassembled, rotated (and
//! gzipped) files read in order, and `--follow` across rotation (json-file with `Follower`,
//! the `local` driver's files with `LocalFollower`: a frame Docker is still writing waits for
//! its end).
//!
//! ```text
//! cargo run --example docker_logs -- /var/lib/docker/containers/<id>
//! cargo run --example docker_logs -- /var/lib/docker/containers/<id>/local-logs/container.log
//! cargo run --example docker_logs -- --since 10m --tail 20 --stream stderr /var/lib/docker/containers
//! cargo run --example docker_logs -- --follow examples/data/lab/<id>-json.log
//! cargo run --example docker_logs -- --follow /var/lib/docker/containers/<id>/local-logs/container.log
//! ```

use std::collections::VecDeque;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Parser;
use tripline_docker::{
    Error, Follower, LocalFollower, LogFormat, Message, Settings, Start, Stream, Timestamp,
    container_log_path, is_local_frame, parse_time_arg,
};

/// Reassembled container logs from json-file log files.
#[derive(Parser, Debug)]
#[command(version)]
struct Args {
    /// `<id>-json.log` or `local` driver files, container directories, or a `containers/`
    /// directory.
    #[arg(required = true)]
    paths: Vec<PathBuf>,
    /// Only lines at or after this time (RFC 3339, Unix seconds, or a duration like `10m`).
    #[arg(long)]
    since: Option<String>,
    /// Only the last N lines of history per container.
    #[arg(long)]
    tail: Option<usize>,
    /// Only this stream.
    #[arg(long, value_parser = ["stdout", "stderr", "all"], default_value = "all")]
    stream: String,
    /// Keep reading as the files grow, across rotations (json-file and `local` driver files).
    #[arg(short, long)]
    follow: bool,
    /// Omit the timestamp prefix.
    #[arg(long)]
    no_timestamps: bool,
}

fn log_files(paths: &[PathBuf]) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_file() {
            out.push(p.clone());
        } else if let Some(f) = container_log_path(p)? {
            out.push(f);
        } else if let Some(f) = local_log_path(p) {
            out.push(f);
        } else {
            let mut dirs: Vec<PathBuf> = std::fs::read_dir(p)?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|d| d.is_dir())
                .collect();
            dirs.sort();
            for d in dirs {
                if let Some(f) = container_log_path(&d)? {
                    out.push(f);
                } else if let Some(f) = local_log_path(&d) {
                    out.push(f);
                }
            }
        }
    }
    Ok(out)
}

/// The `local` driver's log in a container directory, else its dual-logging cache.
fn local_log_path(dir: &Path) -> Option<PathBuf> {
    [
        dir.join("local-logs/container.log"),
        dir.join("container-cached.log"),
    ]
    .into_iter()
    .find(|p| p.is_file())
}

/// Whether `path` is a `local` driver file: its first frame (an entry of up to the default
/// `max_entry_bytes`, with its two lengths) is whole and plausible, or, still empty, it has the
/// name the `local` driver or the dual-logging cache gives its files.
fn is_local_file(path: &Path) -> std::io::Result<bool> {
    let max = Settings::default().max_entry_bytes;
    let mut head = Vec::new();
    std::fs::File::open(path)?
        .take(max as u64 + 8)
        .read_to_end(&mut head)?;
    let local_name = path
        .file_name()
        .is_some_and(|n| n == "container.log" || n == "container-cached.log");
    Ok(is_local_frame(&head, max) || (head.is_empty() && local_name))
}

/// A log and its rotated files (`.N`, `.N.gz`), oldest first, partials joined across files,
/// followed as they grow.
enum Tail {
    /// json-file (and the other line layouts).
    Lines(Follower),
    /// The `local` driver's binary frames.
    Local(LocalFollower),
}

impl Tail {
    fn open(path: &Path) -> std::io::Result<Self> {
        Ok(if is_local_file(path)? {
            Tail::Local(LocalFollower::open(path, Start::Beginning)?)
        } else {
            Tail::Lines(Follower::open(path, Start::Beginning)?)
        })
    }

    fn poll(&mut self, out: &mut Vec<Result<Message, Error>>) -> std::io::Result<usize> {
        match self {
            Tail::Lines(f) => f.poll(out),
            Tail::Local(f) => f.poll(out),
        }
    }

    fn flush_idle(&mut self, now: Timestamp, out: &mut Vec<Result<Message, Error>>) {
        match self {
            Tail::Lines(f) => f.flush_idle(now, out),
            Tail::Local(f) => f.flush_idle(now, out),
        }
    }

    fn finish(&mut self, out: &mut Vec<Result<Message, Error>>) {
        match self {
            Tail::Lines(f) => f.finish(out),
            Tail::Local(f) => f.finish(out),
        }
    }
}

struct Printer {
    since: Option<Timestamp>,
    stream: Option<Stream>,
    timestamps: bool,
    prefix: bool,
}

impl Printer {
    fn wanted(&self, m: &Message) -> bool {
        self.since.is_none_or(|s| m.time.is_some_and(|t| t >= s))
            && self.stream.as_ref().is_none_or(|s| &m.stream == s)
    }

    fn print(&self, m: &Message) {
        let mut line = String::new();
        // A journal export holds many containers: each line says whose it is.
        let journald = m.format == LogFormat::Journald;
        if self.prefix || journald {
            match m.attrs.get("CONTAINER_NAME") {
                Some(name) if journald => line.push_str(name),
                _ => line.push_str(&m.container[..m.container.len().min(12)]),
            }
            line.push_str(" | ");
        }
        if self.timestamps {
            line.push_str(&m.time.map_or_else(
                || "-".to_owned(),
                |t| {
                    Timestamp {
                        offset_secs: 0,
                        ..t
                    }
                    .to_rfc3339_fixed()
                },
            ));
            line.push(' ');
        }
        line.push_str(&m.text_lossy());
        if m.is_dangling() {
            line.push_str(&format!("  [partial: {:?}, {} chunks]", m.flush, m.chunks));
        }
        println!("{line}");
    }
}

/// Prints the wanted messages of `items` (the last `tail` of them), errors to stderr.
fn print_history(
    printer: &Printer,
    tail: Option<usize>,
    items: Vec<Result<Message, Error>>,
    f: &Path,
    errors: &mut u64,
) {
    let mut history: VecDeque<Message> = VecDeque::new();
    for it in items {
        match it {
            Ok(m) if printer.wanted(&m) => {
                history.push_back(m);
                if tail.is_some_and(|n| history.len() > n) {
                    history.pop_front();
                }
            }
            Ok(_) => {}
            Err(e) => {
                *errors += 1;
                eprintln!("{}: {e}", f.display());
            }
        }
    }
    history.iter().for_each(|m| printer.print(m));
}

fn now() -> Timestamp {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    Timestamp::from_unix(d.as_secs() as i64, d.subsec_nanos())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args = Args::parse();
    let files = log_files(&args.paths)?;
    if files.is_empty() {
        return Err("no *-json.log or local driver files found".into());
    }
    let printer = Printer {
        since: args
            .since
            .as_deref()
            .map(|s| parse_time_arg(s, now(), 0))
            .transpose()?,
        stream: match args.stream.as_str() {
            "all" => None,
            s => Some(Stream::parse(s)),
        },
        timestamps: !args.no_timestamps,
        prefix: files.len() > 1,
    };
    let mut followers = Vec::new();
    let mut errors = 0u64;
    for f in &files {
        let mut fl = Tail::open(f)?;
        let mut items = Vec::new();
        fl.poll(&mut items)?;
        if !args.follow {
            fl.finish(&mut items);
        }
        print_history(&printer, args.tail, items, f, &mut errors);
        followers.push((f.clone(), fl));
    }
    if args.follow {
        loop {
            std::thread::sleep(Duration::from_millis(250));
            for (f, fl) in &mut followers {
                let mut items = Vec::new();
                fl.poll(&mut items)?;
                fl.flush_idle(now(), &mut items);
                for it in items {
                    match it {
                        Ok(m) if printer.wanted(&m) => printer.print(&m),
                        Ok(_) => {}
                        Err(e) => eprintln!("{}: {e}", f.display()),
                    }
                }
            }
        }
    }
    if errors > 0 {
        eprintln!("{errors} damaged line(s) skipped");
    }
    Ok(())
}
