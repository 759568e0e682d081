//! Every field name the Sigma `product: linux, service: auditd` rules use is reachable through
//! `FieldSource` on raw records.
#![cfg(feature = "schema")]

use std::collections::BTreeSet;

use tripline_auditd::Record;
use tripline_schema::FieldSource;

const FIXTURES: &[&str] = &[
    "type=SYSCALL msg=audit(1.000:1): arch=c000003e syscall=319 success=yes exit=3 a0=40000 a1=1 a2=0 a3=0 items=0 ppid=1 pid=2 auid=1000 uid=33 gid=33 euid=33 suid=33 fsuid=33 egid=33 sgid=33 fsgid=33 tty=(none) ses=1 comm=\"split\" exe=\"/usr/bin/split\" key=\"susp_activity\"",
    "type=EXECVE msg=audit(1.000:1): argc=8 a0=\"cp\" a1=\"/bin/sh\" a2=\"/etc/crond\" a3=\"-c\" a4=\"x\" a5=\"y\" a6=\"z\" a7=\"w\"",
    "type=PATH msg=audit(1.000:1): item=0 name=\"/etc/systemd/system/evil.service\" inode=1 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=CREATE",
    "type=SERVICE_STOP msg=audit(1.000:2): pid=1 uid=0 auid=4294967295 ses=4294967295 msg='unit=firewalld comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'",
    "type=USER_CMD msg=audit(1.000:3): pid=7 uid=1000 auid=1000 ses=3 msg='cwd=\"/\" cmd=6C73 terminal=pts/0 res=success'",
    "type=PROCTITLE msg=audit(1.000:1): proctitle=6C73",
    "type=CWD msg=audit(1.000:1): cwd=\"/\"",
];

/// Field names used under `detection:` (map keys nested in a selection), modifiers stripped.
fn rule_fields(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut in_detection = false;
    for line in text.lines() {
        if !line.starts_with(' ') && !line.is_empty() {
            in_detection = line.starts_with("detection:");
            continue;
        }
        if !in_detection {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let t = line.trim_start();
        if indent < 8 || t.starts_with('-') || t.starts_with('#') {
            continue;
        }
        if let Some((name, _)) = t.split_once(':') {
            let field = name
                .split('|')
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches(['\'', '"']);
            if !field.is_empty() && field.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                out.insert(field.to_owned());
            }
        }
    }
    out
}

#[test]
fn every_rule_field_is_reachable() {
    let Some(root) = tripline_testkit::corpus("sigma/rules/linux/auditd") else {
        return;
    };
    let mut fields = BTreeSet::new();
    let mut stack = vec![root];
    let mut rules = 0;
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                rules += 1;
                fields.extend(rule_fields(&std::fs::read_to_string(&p).unwrap()));
            }
        }
    }
    assert!(rules > 30, "{rules} rules");
    let records: Vec<Record<'_>> = FIXTURES.iter().map(|l| Record::parse(l).unwrap()).collect();
    let missing: Vec<&String> = fields
        .iter()
        .filter(|f| !records.iter().any(|r| r.field(f).is_some()))
        .collect();
    eprintln!("{} rules use {fields:?}", rules);
    assert!(missing.is_empty(), "unreachable rule fields: {missing:?}");
}
