//! Enrichment of normalized events before detection: container context from a Docker
//! inspect cache (and from what Docker events taught us), and the container a `docker` CLI
//! command line acts on.
//!
//! Sources name containers differently — Tracee gives the full id, Falco a 12-character
//! prefix, Docker events the id and name, a `docker exec web sh` seen by auditd only the name
//! `web` — so correlation rules can group by `container.id` only once each event's container is
//! resolved to one identity. The [`Enricher`] does that: a bounded [`EnrichmentCache`] from
//! `docker inspect`, plus a bounded table learned from Docker container events.
//!
//! ```
//! use tripline::enrich::docker_cli_target;
//!
//! let t = docker_cli_target(&["docker", "exec", "-it", "-u", "root", "-e", "A=1", "web", "sh"]).unwrap();
//! assert_eq!((t.subcommand.as_str(), t.container.as_str()), ("exec", "web"));
//! let t = docker_cli_target(&["docker", "run", "-d", "--name=toolbox", "alpine"]).unwrap();
//! assert_eq!(t.container, "toolbox");
//! assert!(docker_cli_target(&["docker", "ps", "-a"]).is_none());
//! ```

use std::collections::{HashMap, VecDeque};

use serde_json::json;
use tripline_docker::EnrichmentCache;
use tripline_docker::normalize::container_entity;
use tripline_schema::{Container, Event, EventKind, Image, Text};

/// The container argument of a `docker` command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DockerCliTarget {
    /// The subcommand (`exec`, `attach`, `cp`, `run`…; `container exec` is `exec`).
    pub subcommand: String,
    /// The container as written: a name, an id or an id prefix.
    pub container: String,
}

/// Global `docker` options that take a value.
const GLOBAL_VALUE_OPTS: &[&str] = &[
    "-H",
    "--host",
    "-c",
    "--context",
    "--config",
    "-l",
    "--log-level",
    "--tlscacert",
    "--tlscert",
    "--tlskey",
];

/// Options that take a value, per subcommand whose first positional is the container.
fn value_opts(sub: &str) -> &'static [&'static str] {
    match sub {
        "exec" => &[
            "-e",
            "--env",
            "--env-file",
            "-u",
            "--user",
            "-w",
            "--workdir",
            "--detach-keys",
        ],
        "attach" => &["--detach-keys"],
        "run" | "create" => RUN_VALUE_OPTS,
        "logs" => &["--since", "--until", "-n", "--tail"],
        "stop" | "restart" => &["-t", "--time", "-s", "--signal"],
        "kill" => &["-s", "--signal"],
        "commit" => &["-a", "--author", "-c", "--change", "-m", "--message"],
        "export" => &["-o", "--output"],
        "inspect" => &["-f", "--format", "--type"],
        "top" | "rm" | "pause" | "unpause" | "port" | "wait" | "diff" | "start" => {
            &["--detach-keys", "--checkpoint", "--checkpoint-dir"]
        }
        _ => &[],
    }
}

/// `docker run` / `create` options that take a value.
const RUN_VALUE_OPTS: &[&str] = &[
    "-a",
    "--attach",
    "--add-host",
    "--annotation",
    "--blkio-weight",
    "--cap-add",
    "--cap-drop",
    "--cgroup-parent",
    "--cgroupns",
    "--cidfile",
    "--cpu-period",
    "--cpu-quota",
    "--cpu-shares",
    "-c",
    "--cpus",
    "--cpuset-cpus",
    "--cpuset-mems",
    "--detach-keys",
    "--device",
    "--device-cgroup-rule",
    "--dns",
    "--dns-option",
    "--dns-search",
    "--domainname",
    "--entrypoint",
    "-e",
    "--env",
    "--env-file",
    "--expose",
    "--gpus",
    "--group-add",
    "--health-cmd",
    "--health-interval",
    "--health-retries",
    "--health-start-period",
    "--health-timeout",
    "-h",
    "--hostname",
    "--ip",
    "--ip6",
    "--ipc",
    "--isolation",
    "--kernel-memory",
    "-l",
    "--label",
    "--label-file",
    "--link",
    "--log-driver",
    "--log-opt",
    "--mac-address",
    "-m",
    "--memory",
    "--memory-reservation",
    "--memory-swap",
    "--memory-swappiness",
    "--mount",
    "--name",
    "--network",
    "--net",
    "--network-alias",
    "--oom-score-adj",
    "--pid",
    "--pids-limit",
    "--platform",
    "-p",
    "--publish",
    "--pull",
    "--restart",
    "--runtime",
    "--security-opt",
    "--shm-size",
    "--stop-signal",
    "--stop-timeout",
    "--storage-opt",
    "--sysctl",
    "--tmpfs",
    "-u",
    "--user",
    "--ulimit",
    "--userns",
    "--uts",
    "-v",
    "--volume",
    "--volume-driver",
    "--volumes-from",
    "-w",
    "--workdir",
];

/// The `--name` of a `docker run|create` (options before the image only).
fn run_name<S: AsRef<str>>(rest: &[S]) -> Option<&str> {
    let mut k = 0;
    while k < rest.len() {
        let a = rest[k].as_ref();
        k += 1;
        if let Some(v) = a.strip_prefix("--name=") {
            return Some(v);
        }
        if a == "--name" {
            return rest.get(k).map(AsRef::as_ref);
        }
        if a.starts_with("--") {
            if !a.contains('=') && RUN_VALUE_OPTS.contains(&a) {
                k += 1;
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            for (i, c) in a[1..].char_indices() {
                if short_takes_value("run", c) {
                    if i + c.len_utf8() == a.len() - 1 {
                        k += 1;
                    }
                    break;
                }
            }
            continue;
        }
        // The image: options end here.
        return None;
    }
    None
}

/// Short flags that take a value, for splitting clusters such as `-itu root`.
fn short_takes_value(sub: &str, c: char) -> bool {
    let mut buf = [0u8; 4];
    let flag = format!("-{}", c.encode_utf8(&mut buf));
    value_opts(sub).contains(&flag.as_str())
}

/// Positional arguments of a subcommand, options (and their values) skipped.
fn positionals<'a, S: AsRef<str>>(sub: &str, args: &'a [S]) -> Vec<&'a str> {
    let takes = value_opts(sub);
    let mut out = Vec::new();
    let mut i = 0;
    while i < args.len() {
        let a = args[i].as_ref();
        i += 1;
        if a == "--" {
            out.extend(args[i..].iter().map(AsRef::as_ref));
            break;
        }
        if let Some(long) = a.strip_prefix("--") {
            if !long.contains('=') && takes.contains(&a) {
                i += 1;
            }
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            // A cluster of short flags: the first that takes a value takes the rest of the
            // cluster, or the next argument when it ends the cluster.
            for (k, c) in a[1..].char_indices() {
                if short_takes_value(sub, c) {
                    if k + c.len_utf8() == a.len() - 1 {
                        i += 1;
                    }
                    break;
                }
            }
            continue;
        }
        out.push(a);
    }
    out
}

/// Extracts the container a `docker` command line acts on: `docker [global options]
/// [container] exec|attach|logs|… [options] CONTAINER …`, `docker cp` (the side written
/// `CONTAINER:PATH`), `docker run|create --name NAME`. Option values (`-u root`, `-e K=V`,
/// `-w DIR`) are skipped. `None` when the command is not a docker CLI call on a container.
pub fn docker_cli_target<S: AsRef<str>>(args: &[S]) -> Option<DockerCliTarget> {
    let first = args.first()?.as_ref();
    let base = first.rsplit('/').next().unwrap_or(first);
    if base != "docker" {
        return None;
    }
    let mut i = 1;
    // Global options.
    while i < args.len() {
        let a = args[i].as_ref();
        if !a.starts_with('-') {
            break;
        }
        i += 1;
        if GLOBAL_VALUE_OPTS.contains(&a) {
            i += 1;
        }
    }
    let mut sub = args.get(i)?.as_ref();
    i += 1;
    if sub == "container" {
        sub = args.get(i)?.as_ref();
        i += 1;
    }
    let rest = &args[i.min(args.len())..];
    let container = match sub {
        "run" | "create" => run_name(rest)?,
        "cp" => positionals(sub, rest).into_iter().find_map(|p| {
            let (c, _) = p.split_once(':')?;
            (!c.is_empty() && !c.starts_with('/') && !c.starts_with('.')).then_some(c)
        })?,
        "exec" | "attach" | "logs" | "stop" | "restart" | "kill" | "commit" | "export"
        | "inspect" | "top" | "rm" | "pause" | "unpause" | "port" | "wait" | "diff" | "start" => {
            positionals(sub, rest).into_iter().next()?
        }
        _ => return None,
    };
    Some(DockerCliTarget {
        subcommand: sub.to_string(),
        container: container.to_string(),
    })
}

/// Settings of the [`Enricher`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EnrichSettings {
    /// Containers remembered from Docker events (by id and name). Default 65 536; past it the
    /// oldest is forgotten (counted in [`EnrichStats::learned_evicted`]).
    pub max_learned: usize,
}

impl Default for EnrichSettings {
    fn default() -> Self {
        EnrichSettings {
            max_learned: 65_536,
        }
    }
}

/// Counters of the enrichment step.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct EnrichStats {
    /// Events seen.
    pub events: u64,
    /// `docker` CLI executions whose container argument was extracted.
    pub docker_cli_targets: u64,
    /// Events whose container was completed from the inspect cache.
    pub from_inspect: u64,
    /// Events whose container was completed from Docker events seen earlier.
    pub from_events: u64,
    /// Events with a container that neither source knew.
    pub unresolved: u64,
    /// Containers forgotten because of [`EnrichSettings::max_learned`].
    pub learned_evicted: u64,
}

#[derive(Debug, Clone)]
struct Learned {
    name: Option<Text>,
    image: Option<Image>,
}

/// Completes events' container context and extracts `docker` CLI container arguments.
#[derive(Debug, Clone, Default)]
pub struct Enricher {
    cache: EnrichmentCache,
    settings: EnrichSettings,
    learned: HashMap<String, Learned>,
    names: HashMap<String, String>,
    order: VecDeque<String>,
    stats: EnrichStats,
}

fn is_hex_id(s: &str) -> bool {
    s.len() >= 12 && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

impl Enricher {
    /// An enricher over an inspect cache (possibly empty).
    pub fn new(cache: EnrichmentCache, settings: EnrichSettings) -> Enricher {
        Enricher {
            cache,
            settings,
            ..Enricher::default()
        }
    }

    /// The inspect cache.
    pub fn cache(&self) -> &EnrichmentCache {
        &self.cache
    }

    /// Counters so far.
    pub fn stats(&self) -> &EnrichStats {
        &self.stats
    }

    /// Enriches one event in place.
    pub fn apply(&mut self, ev: &mut Event) {
        self.stats.events += 1;
        self.learn(ev);
        self.docker_cli(ev);
        self.resolve(ev);
    }

    /// Remembers id → name/image from Docker container events.
    fn learn(&mut self, ev: &Event) {
        let EventKind::ContainerLifecycle(l) = &ev.kind else {
            return;
        };
        if l.object_type != "container" {
            return;
        }
        let Some(c) = &ev.container else { return };
        let Some(id) = c.id.as_deref().filter(|id| id.len() == 64) else {
            return;
        };
        if l.action == "destroy" {
            if let Some(old) = self.learned.remove(id)
                && let Some(n) = old.name
                && self.names.get(n.as_str()).map(String::as_str) == Some(id)
            {
                self.names.remove(n.as_str());
            }
            return;
        }
        if !self.learned.contains_key(id) {
            while self.learned.len() >= self.settings.max_learned.max(1) {
                let Some(oldest) = self.order.pop_front() else {
                    break;
                };
                if let Some(old) = self.learned.remove(&oldest) {
                    self.stats.learned_evicted += 1;
                    if let Some(n) = old.name
                        && self.names.get(n.as_str()) == Some(&oldest)
                    {
                        self.names.remove(n.as_str());
                    }
                }
            }
            self.order.push_back(id.to_string());
        }
        if let Some(n) = &c.name {
            self.names.insert(n.to_string(), id.to_string());
        }
        self.learned.insert(
            id.to_string(),
            Learned {
                name: c.name.clone(),
                image: c.image.clone(),
            },
        );
    }

    /// Sets the container of a `docker exec|attach|cp|run --name …` execution.
    fn docker_cli(&mut self, ev: &mut Event) {
        let target = match &ev.kind {
            EventKind::ProcessExec(p) => {
                if p.process.args.is_empty() {
                    let words: Vec<&str> = p
                        .process
                        .command_line
                        .as_deref()
                        .unwrap_or("")
                        .split_whitespace()
                        .collect();
                    docker_cli_target(&words)
                } else {
                    docker_cli_target(&p.process.args)
                }
            }
            EventKind::UserCommand(c) => {
                let words: Vec<&str> = c.command.split_whitespace().collect();
                docker_cli_target(&words)
            }
            _ => None,
        };
        let Some(t) = target else { return };
        self.stats.docker_cli_targets += 1;
        ev.vendor_mut("tripline").insert(
            "docker_cli",
            json!({"subcommand": t.subcommand, "container": t.container}),
        );
        if ev.container.is_none() {
            let id = is_hex_id(&t.container);
            ev.container = Some(Container {
                id: id.then(|| Text::from(t.container.as_str())),
                name: (!id).then(|| Text::from(t.container.as_str())),
                ..Container::default()
            });
        }
    }

    /// Completes the event's container from the inspect cache, else from Docker events.
    fn resolve(&mut self, ev: &mut Event) {
        let Some(c) = ev.container.as_mut() else {
            return;
        };
        let info =
            c.id.as_deref()
                .and_then(|id| self.cache.get(id))
                .or_else(|| c.name.as_deref().and_then(|n| self.cache.get(n)))
                .cloned();
        if let Some(info) = info {
            self.stats.from_inspect += 1;
            let full = container_entity(&info);
            c.id = full.id;
            if c.name.is_none() {
                c.name = full.name;
            }
            if c.image.as_ref().is_none_or(|i| i.name.is_none()) {
                c.image = full.image;
            } else if let (Some(img), Some(fi)) = (c.image.as_mut(), full.image) {
                img.id = img.id.take().or(fi.id);
                img.tag = img.tag.take().or(fi.tag);
                img.digest = img.digest.take().or(fi.digest);
            }
            if c.labels.is_empty() {
                c.labels = full.labels;
            }
            c.privileged = c.privileged.or(full.privileged);
            c.runtime = c.runtime.take().or(full.runtime);
            if matches!(ev.kind, EventKind::ContainerLifecycle(_)) {
                let mut host: Vec<&str> =
                    info.binds.iter().filter_map(|b| bind_source(b)).collect();
                for m in &info.mounts {
                    if m.kind == "bind" && !host.contains(&m.source.as_str()) {
                        host.push(&m.source);
                    }
                }
                if !host.is_empty() {
                    ev.vendor_mut("tripline")
                        .insert("container", json!({"host_mounts": host}));
                }
            }
            return;
        }
        let id =
            c.id.as_deref()
                .and_then(|id| {
                    if self.learned.contains_key(id) {
                        Some(id.to_string())
                    } else if is_hex_id(id) {
                        let mut found = self.order.iter().filter(|k| k.starts_with(id));
                        let first = found.next()?;
                        found.next().is_none().then(|| first.clone())
                    } else {
                        None
                    }
                })
                .or_else(|| c.name.as_deref().and_then(|n| self.names.get(n).cloned()));
        match id.and_then(|id| self.learned.get(&id).map(|l| (id, l))) {
            Some((id, l)) => {
                self.stats.from_events += 1;
                c.id = Some(id.into());
                if c.name.is_none() {
                    c.name = l.name.clone();
                }
                if c.image.is_none() {
                    c.image = l.image.clone();
                }
            }
            None => self.stats.unresolved += 1,
        }
    }
}

/// The host side of a `-v SRC:DST[:opts]` bind (named volumes are not host paths).
fn bind_source(bind: &str) -> Option<&str> {
    let src = bind.split(':').next()?;
    src.starts_with('/').then_some(src)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use tripline_schema::{Process, ProcessEvent, Product, Source};

    fn target(args: &[&str]) -> Option<(String, String)> {
        docker_cli_target(args).map(|t| (t.subcommand, t.container))
    }

    #[test]
    fn container_argument_of_cli_forms() {
        type Row<'a> = (&'a [&'a str], Option<(&'a str, &'a str)>);
        let rows: &[Row<'_>] = &[
            (
                &["docker", "exec", "-it", "web", "sh"],
                Some(("exec", "web")),
            ),
            (
                &[
                    "/usr/bin/docker",
                    "exec",
                    "-u",
                    "root",
                    "-w",
                    "/tmp",
                    "web",
                    "id",
                ],
                Some(("exec", "web")),
            ),
            (
                &["docker", "exec", "-itu", "root", "3f4e8a1c9b2d", "sh"],
                Some(("exec", "3f4e8a1c9b2d")),
            ),
            (
                &["docker", "exec", "-iturootx", "web", "sh"],
                Some(("exec", "web")),
            ),
            (
                &["docker", "exec", "--env=A=1", "--user", "0", "web", "sh"],
                Some(("exec", "web")),
            ),
            (
                &[
                    "docker",
                    "-H",
                    "unix:///run/docker.sock",
                    "container",
                    "exec",
                    "-e",
                    "K=V",
                    "db",
                    "psql",
                ],
                Some(("exec", "db")),
            ),
            (
                &["docker", "attach", "--detach-keys", "ctrl-x", "web"],
                Some(("attach", "web")),
            ),
            (
                &["docker", "cp", "web:/etc/passwd", "./passwd"],
                Some(("cp", "web")),
            ),
            (
                &["docker", "cp", "-a", "./x", "web:/tmp/x"],
                Some(("cp", "web")),
            ),
            (
                &[
                    "docker",
                    "run",
                    "-d",
                    "--privileged",
                    "--name",
                    "toolbox",
                    "alpine",
                ],
                Some(("run", "toolbox")),
            ),
            (&["docker", "run", "-d", "alpine", "--name", "x"], None),
            (
                &[
                    "docker",
                    "run",
                    "-d",
                    "--privileged",
                    "-v",
                    "/:/host",
                    "--name",
                    "toolbox",
                    "alpine:3.20",
                ],
                Some(("run", "toolbox")),
            ),
            (
                &[
                    "docker",
                    "run",
                    "-dv",
                    "/:/host",
                    "-e",
                    "A=1",
                    "--name=tb",
                    "alpine",
                ],
                Some(("run", "tb")),
            ),
            (&["docker", "ps"], None),
            (&["dockerd", "exec", "web"], None),
            (&["docker", "exec"], None),
        ];
        for (args, want) in rows {
            let got = target(args);
            let want = want.map(|(a, b)| (a.to_string(), b.to_string()));
            assert_eq!(got, want, "{args:?}");
        }
    }

    fn exec_event(args: &[&str]) -> Event {
        Event::new(
            chrono::Utc.timestamp_opt(1_700_000_000, 0).unwrap(),
            Source::new(Product::Auditd, "audit-log"),
            EventKind::ProcessExec(Box::new(ProcessEvent {
                process: Process {
                    executable: Some("/usr/bin/docker".into()),
                    args: args.iter().map(|s| Text::from(*s)).collect(),
                    ..Process::default()
                },
                ..ProcessEvent::default()
            })),
        )
    }

    /// A Docker container lifecycle event without container context.
    fn lifecycle_event(action: &str) -> Event {
        Event::new(
            chrono::Utc.timestamp_opt(1_700_000_000, 0).unwrap(),
            Source::new(Product::Docker, "docker-events"),
            EventKind::ContainerLifecycle(Box::new(tripline_schema::ContainerLifecycle {
                object_type: "container".into(),
                action: action.into(),
                ..Default::default()
            })),
        )
    }

    #[test]
    fn cli_container_resolved_from_events_learned() {
        let mut en = Enricher::default();
        let id = "3f4e8a1c9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
        let mut start = lifecycle_event("start");
        start.container = Some(Container {
            id: Some(id.into()),
            name: Some("web".into()),
            image: Some(Image::parse_reference("nginx:1.27")),
            ..Container::default()
        });
        en.apply(&mut start);
        let mut ev = exec_event(&["docker", "exec", "-it", "web", "sh"]);
        en.apply(&mut ev);
        let c = ev.container.unwrap();
        assert_eq!(c.id.as_deref(), Some(id));
        assert_eq!(c.image.unwrap().name.as_deref(), Some("nginx"));
        assert_eq!(ev.unmapped["tripline"]["docker_cli"]["container"], "web");
        // A Falco-style short id resolves by prefix.
        let mut short = exec_event(&["docker", "exec", "3f4e8a1c9b2d", "id"]);
        en.apply(&mut short);
        assert_eq!(short.container.unwrap().name.as_deref(), Some("web"));
        assert_eq!(en.stats().from_events, 3);
        assert_eq!(en.stats().docker_cli_targets, 2);
    }

    #[test]
    fn learned_table_is_bounded() {
        let mut en = Enricher::new(
            EnrichmentCache::default(),
            EnrichSettings { max_learned: 2 },
        );
        for k in 0..5u8 {
            let mut e = lifecycle_event("create");
            e.container = Some(Container {
                id: Some(format!("{:064x}", k).into()),
                name: Some(format!("c{k}").into()),
                ..Container::default()
            });
            en.apply(&mut e);
        }
        assert_eq!(en.learned.len(), 2);
        assert_eq!(en.names.len(), 2);
        assert_eq!(en.stats().learned_evicted, 3);
    }
}
