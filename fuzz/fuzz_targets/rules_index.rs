//! Differential fuzz target: on arbitrary raw audit lines and field values, the candidate
//! index (hash, tries, Aho-Corasick, the gram prescreen and the packed short-needle search)
//! must pick exactly the rules that direct evaluation matches.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use tripline_rules::{Engine, FieldSource, LogSource, RuleSet, Scratch, Settings, Value};

/// Keyword rules with short (`if=`, `scp `), long, wildcard and `|all` needles, and field
/// rules with whole, prefix, suffix and substring needles, routed like SigmaHQ's linux ones.
const RULES: &[(&str, &str)] = &[
    (
        "{product: linux}",
        "kw:\n    - 'scp '\n    - 'sftp '\n    - ' /tmp/'\n    - 'ghost_'\n    - '/etc/ld.so.preload'\n    - 'history -c'\n    - 'cat /dev/null >*sh_history'\n  condition: kw",
    ),
    (
        "{product: linux}",
        "kw:\n    '|all':\n      - 'bash -c /bin/bash'\n      - '&/dev/tcp/'\n  condition: kw",
    ),
    (
        "{product: linux}",
        "kw:\n    - '/bin/sh | nc'\n    - 'socat exec:'\n    - 'truncate -s0 *sh_history'\n    - 'wget * - http* | sh'\n  condition: kw",
    ),
    (
        "{product: linux, service: auditd}",
        "sel:\n    type: EXECVE\n  kw_dd:\n    '|all':\n      - 'dd'\n      - 'if='\n  kw_of:\n    - 'of='\n  condition: sel and kw_dd and not kw_of",
    ),
    (
        "{product: linux, service: auditd}",
        "sel:\n    type: EXECVE\n  kw:\n    - 'halt'\n    - 'init'\n    - 'reboot'\n  condition: sel and kw",
    ),
    (
        "{product: linux, service: auditd}",
        "sel:\n    type: SYSCALL\n    exe|endswith:\n      - '/nc'\n      - '/ncat'\n    comm|startswith: 'py'\n  condition: sel",
    ),
    (
        "{product: linux, service: auditd}",
        "sel:\n    type: PATH\n    name|contains:\n      - '/etc/shadow'\n      - '.ssh/authorized_keys'\n  condition: sel",
    ),
    (
        "{product: linux, service: auditd}",
        "sel:\n    a0: 'chmod'\n    a1|contains: '+x'\n  condition: sel",
    ),
];

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut set = RuleSet::new(Settings::default());
        for (i, (ls, det)) in RULES.iter().enumerate() {
            let yaml = format!(
                "title: r{i}\nid: 11111111-2222-4333-8444-{i:012}\nlogsource: {ls}\ndetection:\n  {det}\n"
            );
            set.add_str(&yaml, "fuzz.yml");
        }
        assert!(set.rejected.is_empty(), "{:?}", set.rejected);
        Engine::new(&set)
    })
}

/// An event whose raw text and every field are the fuzz input (for inputs that do not parse
/// as an audit record).
struct Raw<'a>(&'a str);

impl FieldSource for Raw<'_> {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match name {
            "type" => Some(Value::str("EXECVE")),
            _ => Some(Value::str(self.0)),
        }
    }

    fn raw_text(&self) -> Option<&str> {
        Some(self.0)
    }
}

fn check<E: FieldSource + ?Sized>(e: &Engine, ls: &LogSource, ev: &E, sc: &mut Scratch) {
    let mut out = Vec::new();
    e.evaluate(ls, ev, sc, &mut out);
    for (i, r) in e.rules().enumerate() {
        let got = out.iter().any(|m| m.rule == i);
        let direct = r.logsource.covers(ls) && e.matches_rule(i, ev, sc);
        assert_eq!(got, direct, "rule r{i}");
    }
}

/// Needles of the rules above (and near misses), spliced into the input so that matches are
/// common rather than left for the fuzzer to spell out.
const NEEDLES: &[&str] = &[
    "scp ",
    "sftp ",
    " /tmp/",
    "ghost_",
    "/etc/ld.so.preload",
    "history -c",
    "cat /dev/null >",
    "sh_history",
    "bash -c /bin/bash",
    "&/dev/tcp/",
    "/bin/sh | nc",
    "socat exec:",
    "truncate -s0 ",
    "wget ",
    " - http",
    " | sh",
    "dd",
    "if=",
    "of=",
    "halt",
    "init",
    "reboot",
    "type=EXECVE msg=audit(1.0:1): ",
    "type=SYSCALL msg=audit(1.0:1): ",
    "type=PATH msg=audit(1.0:1): ",
    " exe=\"/usr/bin/nc\"",
    " comm=\"python3\"",
    " name=\"/etc/shadow\"",
    " a0=\"chmod\"",
    " a1=\"+x\"",
    "SCP ",
    "If=",
    "INIT",
    "/ETC/LD.SO.PRELOAD",
];

fuzz_target!(|data: &[u8]| {
    let e = engine();
    let mut sc = Scratch::new();
    let auditd = LogSource::new("linux", "", "auditd");
    let syslog = LogSource::new("linux", "", "syslog");
    // The first bytes pick needles and where they go; the rest is the line.
    let (picks, rest) = data.split_at(data.len().min(4));
    let mut text = String::from_utf8_lossy(rest).into_owned();
    for pair in picks.chunks(2) {
        if let [n, at] = pair {
            let needle = NEEDLES[*n as usize % NEEDLES.len()];
            let mut at = (*at as usize).min(text.len());
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            text.insert_str(at, needle);
        }
    }
    if let Ok(rec) = tripline_auditd::RecordBuf::parse(&text) {
        check(e, &auditd, &rec, &mut sc);
    }
    check(e, &auditd, &Raw(&text), &mut sc);
    check(e, &syslog, &Raw(&text), &mut sc);
});
