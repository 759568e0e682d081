//! Sigma: `tripline-rules` against rsigma-eval 0.23.0 and sigma-rust 0.7.0 on the SigmaHQ
//! Linux rules (10, 100 and all, shuffled with a fixed seed), single thread, over one
//! deterministic synthetic event corpus shaped like the fields those rules use:
//! process_creation (Sysmon-for-Linux names), raw auditd records, file_event,
//! network_connection and syslog lines, with ~0.2 % positives synthesized from the rules.
//!
//! Parsing is excluded for every engine: events are built before timing (JSON objects for the
//! peers and for our JSON-shaped events; raw audit lines pre-parsed by `tripline-auditd` for
//! ours, their fields as a JSON object for the peers). All engines route by logsource
//! (rsigma through `evaluate_with_logsource`, sigma-rust by skipping rules whose logsource
//! conflicts), because without routing rules fire on other logsources.
//!
//! After timing, the match sets are compared on the same events and every difference is
//! printed per rule (stderr), so peer bugs can be read off with their spec reason.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::time::Duration;

use serde_json::{Map, Value as J, json};
use tripline_rules::{
    Condition, Engine, FieldSource, FlatEvent, LogSource, RuleSet, Scratch, Settings, Target, Value,
};

use crate::report::{Reporter, best_rate};

/// Events in the corpus for our engine and rsigma.
const EVENTS: usize = 100_000;
/// sigma-rust evaluates every rule per event (~1 ms/event with all rules): fewer events.
const SIGMA_RUST_EVENTS: [usize; 3] = [20_000, 2_000, 2_000];

/// Deterministic xorshift generator.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
        xs[self.below(xs.len())]
    }
}

/// One event: our view (JSON or a parsed audit record) and the peers' JSON view.
struct Ev {
    ls: LogSource,
    json: J,
    audit: Option<tripline_auditd::RecordBuf>,
}

impl FieldSource for Ev {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match &self.audit {
            Some(r) => r.field(name),
            None => self.json.field(name),
        }
    }
    fn raw_text(&self) -> Option<&str> {
        self.audit.as_ref().map(|r| r.line())
    }
    fn field_names(&self) -> Vec<Cow<'_, str>> {
        self.json.field_names()
    }
}

/// Our engine's native input for one event, built in a pass of its own before timing (so each
/// sits beside the next in memory, as events parsed one after another do): a [`FlatEvent`] for
/// JSON-shaped events, the parsed audit record for audit lines.
enum Native {
    Flat(FlatEvent),
    Audit(tripline_auditd::RecordBuf),
}

impl FieldSource for Native {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match self {
            Native::Flat(f) => f.field(name),
            Native::Audit(r) => r.field(name),
        }
    }
    fn field_by(&self, name: &tripline_schema::FieldName) -> Option<Value<'_>> {
        match self {
            Native::Flat(f) => f.field_by(name),
            Native::Audit(r) => r.field(name.as_str()),
        }
    }
    fn raw_text(&self) -> Option<&str> {
        match self {
            Native::Flat(_) => None,
            Native::Audit(r) => Some(r.line()),
        }
    }
}

const IMAGES: &[&str] = &[
    "/usr/bin/ls",
    "/usr/bin/python3",
    "/usr/sbin/nginx",
    "/usr/bin/node",
    "/usr/bin/git",
    "/usr/bin/make",
    "/usr/bin/grep",
    "/usr/bin/sed",
    "/usr/bin/awk",
    "/usr/bin/sort",
    "/usr/bin/ps",
    "/usr/bin/java",
    "/usr/lib/postgresql/15/bin/postgres",
    "/usr/bin/containerd-shim",
    "/usr/bin/runc",
    "/usr/bin/dockerd",
    "/opt/app/bin/server",
    "/usr/bin/rsync",
    "/usr/bin/tar",
    "/usr/bin/gzip",
];
const ARGS: &[&str] = &[
    "-la /var/log",
    "--version",
    "install --user requests",
    "-c /etc/nginx/nginx.conf",
    "status",
    "-j4 all",
    "-rn TODO src",
    "-e s/a/b/ file.txt",
    "'{print $1}' access.log",
    "-u data.csv",
    "aux",
    "-jar /opt/app/app.jar",
    "-D /var/lib/postgresql/15/main",
    "-namespace moby -id 5f2c",
    "--root /run/runc state 5f2c",
    "-H fd://",
    "--port 8080",
    "-az /srv/ backup:/srv/",
    "-xf release.tar",
    "-9 report.txt",
];
const USERS: &[&str] = &["root", "alice", "bob", "www-data", "postgres", "nobody"];
const DIRS: &[&str] = &[
    "/home/alice",
    "/srv/app",
    "/var/lib/postgresql",
    "/",
    "/root",
    "/opt/app",
];
const FILES: &[&str] = &[
    "/var/log/app/app.log",
    "/home/alice/notes.txt",
    "/srv/app/cache/x.bin",
    "/var/lib/postgresql/15/main/base/1/2",
    "/run/containerd/io.containerd.runtime.v2.task/moby/5f2c/config.json",
    "/opt/app/data/db.sqlite",
];
const HOSTS: &[&str] = &[
    "api.example.com",
    "registry-1.docker.io",
    "github.com",
    "deb.debian.org",
    "db.internal",
];
const SYSLOG: &[&str] = &[
    "sshd[812]: Accepted publickey for alice from 10.0.0.5 port 50022 ssh2: ED25519 SHA256:abc",
    "CRON[2211]: (root) CMD (run-parts --report /etc/cron.hourly)",
    "kernel: [12345.678901] eth0: link up, 1000 Mbps, full duplex",
    "systemd[1]: Started Daily apt download activities.",
    "dockerd[901]: time=\"2024-03-01T10:00:00Z\" level=info msg=\"Container 5f2c health status changed\"",
    "postgres[4410]: LOG:  checkpoint complete: wrote 42 buffers",
];
const SYSCALLS: &[(&str, &str)] = &[
    ("59", "execve"),
    ("2", "open"),
    ("257", "openat"),
    ("42", "connect"),
    ("0", "read"),
    ("1", "write"),
];

fn base(image: &str, args: &str) -> String {
    format!("{} {args}", image.rsplit('/').next().unwrap_or(image))
}

fn audit_line(serial: usize, fields: &[(String, String)], enriched: &[(String, String)]) -> String {
    let ty = fields
        .iter()
        .find(|(k, _)| k == "type")
        .map_or("EXECVE", |(_, v)| v.as_str())
        .to_ascii_uppercase();
    let mut s = format!(
        "type={ty} msg=audit(1700000000.{:03}:{serial}):",
        serial % 1000
    );
    for (k, v) in fields.iter().filter(|(k, _)| k != "type") {
        if v.contains('"') {
            s.push_str(&format!(
                " {k}={}",
                v.bytes().map(|b| format!("{b:02X}")).collect::<String>()
            ));
        } else {
            s.push_str(&format!(" {k}=\"{v}\""));
        }
    }
    if !enriched.is_empty() {
        s.push('\u{1d}');
        let parts: Vec<String> = enriched.iter().map(|(k, v)| format!("{k}={v}")).collect();
        s.push_str(&parts.join(" "));
    }
    s
}

fn audit_event(serial: usize, mut fields: Vec<(String, String)>) -> Ev {
    let mut enriched = Vec::new();
    fields.retain(|(k, v)| {
        if k.chars().all(|c| c.is_ascii_uppercase()) {
            enriched.push((k.clone(), v.clone()));
            false
        } else {
            true
        }
    });
    if !fields.iter().any(|(k, _)| k == "type") {
        fields.insert(0, ("type".into(), "EXECVE".into()));
    }
    let line = audit_line(serial, &fields, &enriched);
    let rec = tripline_auditd::RecordBuf::parse(&line).expect("generated audit line parses");
    let mut m = Map::new();
    for (k, v) in fields.iter().chain(enriched.iter()) {
        m.insert(
            k.clone(),
            J::String(if k == "type" {
                v.to_ascii_uppercase()
            } else {
                v.clone()
            }),
        );
    }
    Ev {
        ls: LogSource::new("linux", "", "auditd"),
        json: J::Object(m),
        audit: Some(rec),
    }
}

fn background(rng: &mut Rng, i: usize) -> Ev {
    let r = rng.below(100);
    if r < 50 {
        let image = rng.pick(IMAGES);
        let parent = rng.pick(IMAGES);
        let json = json!({
            "Image": image, "CommandLine": base(image, rng.pick(ARGS)), "ParentImage": parent,
            "ParentCommandLine": base(parent, rng.pick(ARGS)), "User": rng.pick(USERS),
            "CurrentDirectory": rng.pick(DIRS), "ProcessId": 1000 + rng.below(60000), "ParentProcessId": 1 + rng.below(999),
            "LogonId": rng.below(5000),
        });
        Ev {
            ls: LogSource::new("linux", "process_creation", ""),
            json,
            audit: None,
        }
    } else if r < 75 {
        let k = rng.below(100);
        let fields: Vec<(String, String)> = if k < 40 {
            let (num, name) = SYSCALLS[rng.below(SYSCALLS.len())];
            let exe = rng.pick(IMAGES);
            vec![
                ("type".into(), "SYSCALL".into()),
                ("arch".into(), "c000003e".into()),
                ("syscall".into(), num.into()),
                ("success".into(), "yes".into()),
                ("a0".into(), format!("{:x}", rng.below(1 << 20))),
                ("a1".into(), "0".into()),
                ("ppid".into(), (1 + rng.below(999)).to_string()),
                ("pid".into(), (1000 + rng.below(60000)).to_string()),
                ("auid".into(), "1000".into()),
                ("uid".into(), "0".into()),
                ("euid".into(), ["0", "1000", "999"][rng.below(3)].into()),
                ("comm".into(), exe.rsplit('/').next().unwrap_or(exe).into()),
                ("exe".into(), exe.into()),
                ("key".into(), "exec".into()),
                ("ARCH".into(), "x86_64".into()),
                ("SYSCALL".into(), name.into()),
            ]
        } else if k < 75 {
            let image = rng.pick(IMAGES);
            let mut f = vec![
                ("type".to_string(), "EXECVE".to_string()),
                ("argc".into(), "3".into()),
            ];
            f.push((
                "a0".into(),
                image.rsplit('/').next().unwrap_or(image).into(),
            ));
            for (j, a) in rng.pick(ARGS).split(' ').take(4).enumerate() {
                f.push((format!("a{}", j + 1), a.replace('\'', "")));
            }
            f
        } else if k < 95 {
            vec![
                ("type".into(), "PATH".into()),
                ("item".into(), "0".into()),
                ("name".into(), rng.pick(FILES).into()),
                ("nametype".into(), "NORMAL".into()),
            ]
        } else {
            vec![
                ("type".into(), "SERVICE_START".into()),
                (
                    "unit".into(),
                    ["cron", "ssh", "docker"][rng.below(3)].into(),
                ),
            ]
        };
        audit_event(i, fields)
    } else if r < 85 {
        let json = json!({"TargetFilename": rng.pick(FILES), "Image": rng.pick(IMAGES), "User": rng.pick(USERS)});
        Ev {
            ls: LogSource::new("linux", "file_event", ""),
            json,
            audit: None,
        }
    } else if r < 95 {
        let json = json!({
            "Image": rng.pick(IMAGES), "DestinationIp": format!("10.{}.{}.{}", rng.below(255), rng.below(255), 1 + rng.below(254)),
            "DestinationPort": ([443, 80, 5432, 53, 8080][rng.below(5)]), "DestinationHostname": rng.pick(HOSTS),
            "Initiated": (["true", "false"][rng.below(2)]), "User": rng.pick(USERS),
        });
        Ev {
            ls: LogSource::new("linux", "network_connection", ""),
            json,
            audit: None,
        }
    } else {
        Ev {
            ls: LogSource::new("linux", "", "syslog"),
            json: json!({"message": rng.pick(SYSLOG)}),
            audit: None,
        }
    }
}

fn needed(c: &Condition, names: &[&str], out: &mut Vec<String>) {
    let matching = |t: &Target| -> Vec<String> {
        names
            .iter()
            .filter(|n| match t {
                Target::Them => !n.starts_with('_'),
                Target::Pattern(p) => {
                    let (a, b) = p.split_once('*').unwrap_or((p.as_str(), ""));
                    if p.contains('*') {
                        n.starts_with(a) && n.ends_with(b)
                    } else {
                        *n == p
                    }
                }
                _ => false,
            })
            .map(|n| n.to_string())
            .collect()
    };
    match c {
        Condition::Ident(n) => out.push(n.clone()),
        Condition::And(v) => v.iter().for_each(|x| needed(x, names, out)),
        Condition::Or(v) => {
            if let Some(x) = v.first() {
                needed(x, names, out)
            }
        }
        Condition::OneOf(t) => out.extend(matching(t).into_iter().take(1)),
        Condition::AllOf(t) => out.extend(matching(t)),
        _ => {}
    }
}

/// A positive event for a rule, built from its first satisfying selections (`None` when the
/// rule needs a regex or another non-literal value).
fn synthesize(rule: &tripline_rules::Rule, serial: usize, rng: &mut Rng) -> Option<Ev> {
    use tripline_rules::Modifier as M;
    let det = &rule.detection;
    let names: Vec<&str> = det.selections.iter().map(|s| s.name.as_str()).collect();
    let mut want = Vec::new();
    needed(det.conditions.first()?, &names, &mut want);
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut keywords: Vec<String> = Vec::new();
    for name in want {
        let sel = det.selections.iter().find(|s| s.name == name)?;
        for it in sel.alternatives.first()? {
            if it.modifiers.iter().any(|m| {
                matches!(
                    m,
                    M::Re
                        | M::Cidr
                        | M::Lt
                        | M::Gt
                        | M::Lte
                        | M::Gte
                        | M::FieldRef
                        | M::Exists
                        | M::Base64
                        | M::Base64Offset
                )
            }) {
                return None;
            }
            let vals: Vec<String> = if it.has(M::All) {
                it.values
                    .iter()
                    .map(|v| v.example().unwrap_or_default())
                    .collect()
            } else {
                vec![it.values.first()?.example().unwrap_or_default()]
            };
            let joined = vals.join(" ");
            let v = if it.has(M::Contains) || it.field.is_none() {
                format!("x {joined} y")
            } else if it.has(M::StartsWith) {
                format!("{joined}_x")
            } else if it.has(M::EndsWith) {
                format!("/opt/x{joined}")
            } else {
                joined
            };
            match &it.field {
                None => keywords.push(v),
                Some(f) => match fields.iter_mut().find(|(k, _)| k == f) {
                    Some(slot) => slot.1 = format!("{} {v}", slot.1),
                    None => fields.push((f.clone(), v)),
                },
            }
        }
    }
    let ls = &rule.logsource;
    if ls.service.as_deref() == Some("auditd") {
        if !keywords.is_empty() {
            fields.push(("a9".into(), keywords.join(" ")));
        }
        return Some(audit_event(serial, fields));
    }
    let mut base = background(rng, serial);
    let cat = ls.category.clone();
    let mut obj = match (cat.as_deref(), base.json) {
        (Some(_), J::Object(m)) if base.audit.is_none() && base.ls.category == cat => m,
        _ => Map::new(),
    };
    for (k, v) in fields {
        obj.insert(k, J::String(v));
    }
    if !keywords.is_empty() {
        obj.insert("message".into(), J::String(keywords.join(" ")));
    }
    base.ls = match cat {
        Some(c) => LogSource::new("linux", &c, ""),
        None => LogSource::new("linux", "", ls.service.as_deref().unwrap_or("syslog")),
    };
    base.json = J::Object(obj);
    base.audit = None;
    Some(base)
}

fn rules_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("TRIPLINE_SIGMA_RULES")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../../shared/corpus/sigma/rules/linux")
        });
    dir.is_dir().then_some(dir)
}

fn rule_files(dir: &std::path::Path) -> Vec<PathBuf> {
    fn walk(d: &std::path::Path, out: &mut Vec<PathBuf>) {
        let mut es: Vec<_> = std::fs::read_dir(d)
            .into_iter()
            .flatten()
            .flatten()
            .map(|e| e.path())
            .collect();
        es.sort();
        for p in es {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "yml") {
                out.push(p);
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, &mut out);
    out
}

fn rsigma_ls(ls: &LogSource) -> rsigma_parser::LogSource {
    rsigma_parser::LogSource {
        category: ls.category.clone(),
        product: ls.product.clone(),
        service: ls.service.clone(),
        definition: None,
        custom: Default::default(),
    }
}

fn conflicts(rule: Option<&String>, ev: Option<&String>) -> bool {
    matches!((rule, ev), (Some(r), e) if Some(r) != e)
}

/// User plus system CPU time of this process (Linux `/proc/self/stat`, 100 Hz ticks; 0
/// elsewhere).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let rest = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = rest.split_whitespace().collect();
    let t = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (t(11) + t(12)) / 100.0
}

/// Runs the comparison.
pub fn run(out: &mut Reporter) {
    let Some(dir) = rules_dir() else {
        eprintln!("sigma: rules not found (set TRIPLINE_SIGMA_RULES); skipped");
        return;
    };
    let mut files = rule_files(&dir);
    // Shuffle with a fixed seed (Fisher-Yates).
    let mut rng = Rng(42);
    for i in (1..files.len()).rev() {
        files.swap(i, rng.below(i + 1));
    }
    let texts: Vec<(String, String)> = files
        .iter()
        .map(|f| {
            (
                f.display().to_string(),
                std::fs::read_to_string(f).unwrap_or_default(),
            )
        })
        .collect();

    // Corpus: background plus ~0.2 % positives synthesized from all rules.
    let mut all = RuleSet::new(Settings::default());
    for (name, t) in &texts {
        all.add_str(t, name);
    }
    let mut rng = Rng(7);
    // `TRIPLINE_SIGMA_EVENTS=N` shrinks the corpus (profiling with cache-resident events).
    let n_events = std::env::var("TRIPLINE_SIGMA_EVENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(EVENTS);
    let mut events = Vec::with_capacity(n_events);
    let mut positives = 0;
    let mut next_rule = 0;
    for i in 0..n_events {
        if rng.below(1000) < 2 {
            let mut made = None;
            for _ in 0..all.rules.len() {
                let r = &all.rules[next_rule % all.rules.len()];
                next_rule += 1;
                if let Some(e) = synthesize(r, i, &mut rng) {
                    made = Some(e);
                    break;
                }
            }
            if let Some(e) = made {
                positives += 1;
                events.push(e);
                continue;
            }
        }
        events.push(background(&mut rng, i));
    }
    // Each with its own copy of the logsource: a stream's logsource sits beside its events
    // (the peers' copies live in their own vector likewise).
    let natives: Vec<(LogSource, Native)> = events
        .iter()
        .map(|e| {
            let n = match &e.audit {
                Some(r) => Native::Audit(r.clone()),
                None => Native::Flat(FlatEvent::from_value(&e.json).expect("small event")),
            };
            (e.ls.clone(), n)
        })
        .collect();
    eprintln!(
        "sigma: {} events, {positives} synthesized positives, {} rule files",
        events.len(),
        texts.len()
    );

    let min = Duration::from_secs(2);
    // `TRIPLINE_SIGMA_SIZES=10,all` restricts the rule counts run (for profiling).
    let sizes = std::env::var("TRIPLINE_SIGMA_SIZES").unwrap_or_default();
    for (si, n) in [10usize, 100, texts.len()].into_iter().enumerate() {
        let name = if n >= texts.len() {
            "all".to_string()
        } else {
            n.to_string()
        };
        if !sizes.is_empty() && !sizes.split(',').any(|s| s.trim() == name) {
            continue;
        }
        let subset = &texts[..n.min(texts.len())];
        // Ours.
        let mut set = RuleSet::new(Settings::default());
        for (name, t) in subset {
            set.add_str(t, name);
        }
        let engine = Engine::new(&set);
        let mut sc = Scratch::new();
        let mut buf = Vec::new();
        // `TRIPLINE_SIGMA_PASSES=N`: exactly N passes of ours and nothing else (instruction
        // counts per event under callgrind).
        if let Some(passes) = std::env::var("TRIPLINE_SIGMA_PASSES")
            .ok()
            .and_then(|v| v.parse::<usize>().ok())
        {
            // `TRIPLINE_SIGMA_JSON=1`: the peers' serde_json objects instead of our native forms.
            let json = std::env::var_os("TRIPLINE_SIGMA_JSON").is_some();
            // `TRIPLINE_SIGMA_ONLY=process_creation`: only events whose kind (the breakdown's
            // label: logsource, and the record type of audit records) contains it.
            let only = std::env::var("TRIPLINE_SIGMA_ONLY").unwrap_or_default();
            let picked: Vec<bool> = events
                .iter()
                .map(|e| only.is_empty() || kind(e).contains(&only))
                .collect();
            for _ in 0..passes {
                for ((e, (ls, nat)), &p) in events.iter().zip(&natives).zip(&picked) {
                    if !p {
                        continue;
                    }
                    buf.clear();
                    if json {
                        engine.evaluate(&e.ls, e, &mut sc, &mut buf);
                    } else {
                        engine.evaluate(ls, nat, &mut sc, &mut buf);
                    }
                    std::hint::black_box(&buf);
                }
            }
            eprintln!(
                "sigma {n}: {} events evaluated, {:.2} rules evaluated per event",
                sc.events(),
                sc.rules_evaluated() as f64 / sc.events().max(1) as f64
            );
            continue;
        }
        let ours = best_rate(events.len() as f64, min, || {
            for (ls, nat) in &natives {
                buf.clear();
                engine.evaluate(ls, nat, &mut sc, &mut buf);
                std::hint::black_box(&buf);
            }
        });
        // The floor of any evaluation by this index: per event, find each field the index
        // reads for every event of its logsource (`Engine::fields_read`, `EveryEvent`), the first
        // of its names present, and read every byte of its value (and of the raw line for
        // keyword rules): no copy, no matching. (The fields of each logsource are listed
        // once before timing.)
        let mut reads: Vec<(LogSource, tripline_rules::FieldsRead)> = Vec::new();
        let read_of: Vec<u8> = natives
            .iter()
            .map(|(ls, _)| {
                let i = match reads.iter().position(|(l, _)| l == ls) {
                    Some(i) => i,
                    None => {
                        reads.push((ls.clone(), engine.fields_read(ls)));
                        reads.len() - 1
                    }
                };
                u8::try_from(i).expect("a few logsources")
            })
            .collect();
        let floor = best_rate(events.len() as f64, min, || {
            for ((_, nat), &r) in natives.iter().zip(&read_of) {
                std::hint::black_box(read_bytes(nat, &reads[r as usize].1));
            }
        });
        // `TRIPLINE_SIGMA_BREAKDOWN=1`: our time per event for each logsource of the corpus.
        if std::env::var_os("TRIPLINE_SIGMA_BREAKDOWN").is_some() {
            let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
            for (i, e) in events.iter().enumerate() {
                groups.entry(kind(e)).or_default().push(i);
            }
            let mut total = 0.0;
            for (kind, idx) in &groups {
                let rate = best_rate(idx.len() as f64, Duration::from_millis(500), || {
                    for &i in idx {
                        buf.clear();
                        engine.evaluate(&natives[i].0, &natives[i].1, &mut sc, &mut buf);
                        std::hint::black_box(&buf);
                    }
                });
                let share = idx.len() as f64 / events.len() as f64;
                total += share * 1e9 / rate;
                eprintln!(
                    "sigma {n}: {kind:<50} {:>6} events  {:>7.0} ns/event  {:>6.0} ns per corpus event",
                    idx.len(),
                    1e9 / rate,
                    share * 1e9 / rate
                );
            }
            eprintln!("sigma {n}: weighted total {total:.0} ns/event");
            continue;
        }
        if std::env::var_os("TRIPLINE_SIGMA_OURS_ONLY").is_some() {
            // CPU time of 10 passes too: steadier than wall time on a busy machine.
            let cpu0 = cpu_seconds();
            for _ in 0..10 {
                for (ls, nat) in &natives {
                    buf.clear();
                    engine.evaluate(ls, nat, &mut sc, &mut buf);
                    std::hint::black_box(&buf);
                }
            }
            let cpu = cpu_seconds() - cpu0;
            eprintln!(
                "sigma {n}: ours {ours:.0} events/s (peers skipped), {:.0} events per CPU second, {:.2} rules evaluated per event",
                10.0 * events.len() as f64 / cpu.max(1e-9),
                sc.rules_evaluated() as f64 / sc.events().max(1) as f64
            );
            continue;
        }
        let file_of = |i: usize| {
            engine
                .rule(i)
                .map(|r| r.at.file.clone())
                .unwrap_or_default()
        };
        let mut our_set: BTreeSet<(usize, String)> = BTreeSet::new();
        for (i, (ls, nat)) in natives.iter().enumerate() {
            buf.clear();
            engine.evaluate(ls, nat, &mut sc, &mut buf);
            for m in &buf {
                our_set.insert((i, file_of(m.rule)));
            }
        }
        // The same events as the peers' `serde_json` objects (audit records still parsed):
        // what our engine does on the peers' input form. Its matches must be the same.
        let ours_json = best_rate(events.len() as f64, min, || {
            for e in &events {
                buf.clear();
                engine.evaluate(&e.ls, e, &mut sc, &mut buf);
                std::hint::black_box(&buf);
            }
        });
        let mut json_set: BTreeSet<(usize, String)> = BTreeSet::new();
        for (i, e) in events.iter().enumerate() {
            buf.clear();
            engine.evaluate(&e.ls, e, &mut sc, &mut buf);
            for m in &buf {
                json_set.insert((i, file_of(m.rule)));
            }
        }
        assert_eq!(
            our_set, json_set,
            "FlatEvent and serde_json inputs must match the same rules"
        );

        // rsigma-eval.
        let mut rs = rsigma_eval::Engine::new();
        let mut rs_files = Vec::new();
        for (name, t) in subset {
            if let Ok(c) = rsigma_parser::parse_sigma_yaml(t) {
                for r in &c.rules {
                    rs_files.push((r.title.clone(), name.clone()));
                }
                let _ = rs.add_collection(&c);
            }
        }
        let rs_ls: Vec<rsigma_parser::LogSource> =
            events.iter().map(|e| rsigma_ls(&e.ls)).collect();
        // Its input gets the same layout as ours: each event's JSON copied beside its
        // logsource, in a pass of its own (timed both ways; the faster counts).
        let rs_in: Vec<(rsigma_parser::LogSource, J)> = events
            .iter()
            .map(|e| (rsigma_ls(&e.ls), e.json.clone()))
            .collect();
        let rs_rate_split = best_rate(events.len() as f64, min, || {
            for (e, ls) in events.iter().zip(&rs_ls) {
                let r = rs.evaluate_with_logsource(&rsigma_eval::JsonEvent::borrow(&e.json), ls);
                std::hint::black_box(&r);
            }
        });
        let rs_rate_paired = best_rate(events.len() as f64, min, || {
            for (ls, json) in &rs_in {
                let r = rs.evaluate_with_logsource(&rsigma_eval::JsonEvent::borrow(json), ls);
                std::hint::black_box(&r);
            }
        });
        drop(rs_in);
        eprintln!(
            "sigma {n}: rsigma-eval {rs_rate_split:.0} events/s (corpus objects), {rs_rate_paired:.0} (copied beside their logsources)"
        );
        let rs_rate = rs_rate_split.max(rs_rate_paired);
        // End to end on the JSON-shaped events (all but audit records): each engine parses
        // the same JSON text into its input form, then evaluates it.
        let json_rows: Vec<(usize, String)> = if n >= texts.len() {
            events
                .iter()
                .enumerate()
                .filter(|(_, e)| e.audit.is_none())
                .map(|(i, e)| (i, e.json.to_string()))
                .collect()
        } else {
            Vec::new()
        };
        let e2e = (!json_rows.is_empty()).then(|| {
            let ours = best_rate(json_rows.len() as f64, min, || {
                for (i, text) in &json_rows {
                    let ev = FlatEvent::from_str(text).expect("valid");
                    buf.clear();
                    engine.evaluate(&events[*i].ls, &ev, &mut sc, &mut buf);
                    std::hint::black_box(&buf);
                }
            });
            let peer = best_rate(json_rows.len() as f64, min, || {
                for (i, text) in &json_rows {
                    let v: J = serde_json::from_str(text).expect("valid");
                    let r =
                        rs.evaluate_with_logsource(&rsigma_eval::JsonEvent::borrow(&v), &rs_ls[*i]);
                    std::hint::black_box(&r);
                }
            });
            let parse_ours = best_rate(json_rows.len() as f64, min, || {
                for (_, text) in &json_rows {
                    std::hint::black_box(FlatEvent::from_str(text).expect("valid"));
                }
            });
            let parse_peer = best_rate(json_rows.len() as f64, min, || {
                for (_, text) in &json_rows {
                    std::hint::black_box(serde_json::from_str::<J>(text).expect("valid"));
                }
            });
            eprintln!(
                "sigma {n}: parse only: FlatEvent::from_str {parse_ours:.0} events/s, serde_json::Value {parse_peer:.0} ({:.2}x)",
                parse_ours / parse_peer
            );
            (ours, peer)
        });
        let title_file: BTreeMap<&str, &str> = rs_files
            .iter()
            .map(|(t, f)| (t.as_str(), f.as_str()))
            .collect();
        let mut rs_set: BTreeSet<(usize, String)> = BTreeSet::new();
        for (i, (e, ls)) in events.iter().zip(&rs_ls).enumerate() {
            for r in rs.evaluate_with_logsource(&rsigma_eval::JsonEvent::borrow(&e.json), ls) {
                rs_set.insert((
                    i,
                    title_file
                        .get(r.header.rule_title.as_str())
                        .map(|s| s.to_string())
                        .unwrap_or(r.header.rule_title.clone()),
                ));
            }
        }

        // sigma-rust, routed by hand.
        let sr_rules: Vec<(String, sigma_rust::Rule)> = subset
            .iter()
            .filter_map(|(name, t)| Some((name.clone(), sigma_rust::rule_from_yaml(t).ok()?)))
            .collect();
        let k = SIGMA_RUST_EVENTS[si].min(events.len());
        let sr_events: Vec<Option<sigma_rust::Event>> = events[..k]
            .iter()
            .map(|e| sigma_rust::Event::try_from(e.json.clone()).ok())
            .collect();
        let applies = |r: &sigma_rust::Rule, e: &Ev| {
            !(conflicts(r.logsource.product.as_ref(), e.ls.product.as_ref())
                || conflicts(r.logsource.category.as_ref(), e.ls.category.as_ref())
                || conflicts(r.logsource.service.as_ref(), e.ls.service.as_ref()))
        };
        let sr_rate = best_rate(k as f64, min, || {
            for (e, se) in events[..k].iter().zip(&sr_events) {
                let Some(se) = se else { continue };
                for (_, r) in &sr_rules {
                    if applies(r, e) {
                        std::hint::black_box(r.is_match(se));
                    }
                }
            }
        });
        let mut sr_set: BTreeSet<(usize, String)> = BTreeSet::new();
        for (i, (e, se)) in events[..k].iter().zip(&sr_events).enumerate() {
            let Some(se) = se else { continue };
            for (name, r) in &sr_rules {
                if applies(r, e) && r.is_match(se) {
                    sr_set.insert((i, name.clone()));
                }
            }
        }
        let ours_k: f64 = {
            let nats = &natives[..k];
            best_rate(k as f64, min, || {
                for (ls, nat) in nats {
                    buf.clear();
                    engine.evaluate(ls, nat, &mut sc, &mut buf);
                    std::hint::black_box(&buf);
                }
            })
        };

        let label = if n >= texts.len() {
            format!("all {}", texts.len())
        } else {
            n.to_string()
        };
        out.row(
            &format!("sigma {label} linux rules, {} events", events.len()),
            ours,
            "rsigma-eval 0.23.0 (routed)",
            rs_rate,
            "events",
        );
        out.row(
            &format!("sigma {label} rules: fields read, no matching (floor)"),
            floor,
            "rsigma-eval 0.23.0 (routed)",
            rs_rate,
            "events",
        );
        out.row(
            &format!("sigma {label} rules, serde_json input"),
            ours_json,
            "rsigma-eval 0.23.0 (routed)",
            rs_rate,
            "events",
        );
        if let Some((ours_e2e, peer_e2e)) = e2e {
            out.row(
                &format!(
                    "sigma {label}, JSON text parse + evaluate ({} events)",
                    json_rows.len()
                ),
                ours_e2e,
                "serde_json + rsigma-eval",
                peer_e2e,
                "events",
            );
        }
        out.row(
            &format!("sigma {label} linux rules, {k} events"),
            ours_k,
            "sigma-rust 0.7.0 (routed)",
            sr_rate,
            "events",
        );
        eprintln!(
            "sigma {label}: {} rules compiled, {} always evaluated; matches ours {} / rsigma {} on {} events; ours {} / sigma-rust {} on {k} events",
            engine.stats().rules,
            engine.stats().always_evaluated,
            our_set.len(),
            rs_set.len(),
            events.len(),
            our_set.iter().filter(|(i, _)| *i < k).count(),
            sr_set.len()
        );
        let ours_k_set: BTreeSet<(usize, String)> =
            our_set.iter().filter(|(i, _)| *i < k).cloned().collect();
        diff("rsigma-eval", &our_set, &rs_set, &events);
        diff("sigma-rust", &ours_k_set, &sr_set, &events);
    }
}

/// Sums every byte of the values of the fields `read` marks as read for every event (the
/// first name present of each; not those read only for some audit record types, so this
/// is a lower bound) and of the raw text when keyword rules read it for every event.
fn read_bytes(ev: &Native, read: &tripline_rules::FieldsRead) -> u64 {
    fn value(v: &Value<'_>) -> u64 {
        match v {
            Value::Str(s) => s.bytes().map(u64::from).sum(),
            Value::List(l) => l.iter().map(value).sum(),
            _ => 1,
        }
    }
    let every = tripline_rules::ReadWhen::EveryEvent;
    let mut n = 0;
    for f in read.fields.iter().filter(|f| f.when == every) {
        if let Some(v) = f.names.iter().find_map(|name| ev.field_by(name)) {
            n += value(&v);
        }
    }
    if let Some(raw) = read.raw.as_ref().filter(|r| r.when == every) {
        match ev.raw_text() {
            Some(t) => n += t.bytes().map(u64::from).sum::<u64>(),
            None => {
                if let Some(v) = raw.names.iter().find_map(|name| ev.field_by(name)) {
                    n += value(&v);
                }
            }
        }
    }
    n
}

/// An event's kind for the breakdown and `TRIPLINE_SIGMA_ONLY`: its logsource, and the record
/// type of an audit record.
fn kind(e: &Ev) -> String {
    match &e.audit {
        Some(r) => format!("{} type={:?}", e.ls, r.record().record_type()),
        None => e.ls.to_string(),
    }
}

/// Prints, per rule, how many events only we or only the peer matched, with one example.
fn diff(
    peer: &str,
    ours: &BTreeSet<(usize, String)>,
    theirs: &BTreeSet<(usize, String)>,
    events: &[Ev],
) {
    let mut per: BTreeMap<(&str, String), (usize, usize)> = BTreeMap::new();
    for (i, r) in ours.difference(theirs) {
        let e = per
            .entry(("ours only", r.rsplit('/').next().unwrap_or(r).to_string()))
            .or_insert((0, *i));
        e.0 += 1;
    }
    for (i, r) in theirs.difference(ours) {
        let e = per
            .entry(("peer only", r.rsplit('/').next().unwrap_or(r).to_string()))
            .or_insert((0, *i));
        e.0 += 1;
    }
    for ((side, rule), (count, ex)) in per {
        let ev = &events[ex];
        let shown = ev
            .audit
            .as_ref()
            .map(|a| a.line().replace('\u{1d}', " <GS> "))
            .unwrap_or_else(|| ev.json.to_string());
        let shown: String = shown.chars().take(300).collect();
        eprintln!(
            "  vs {peer}: {side:<9} {rule:<70} {count:>6}  e.g. [{}] {shown}",
            ev.ls
        );
    }
}
