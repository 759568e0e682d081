//! Every SigmaHQ auditd rule against a hand-written positive raw audit record and a near-miss
//! negative (tests/fixtures/auditd_rules.txt), read through the real tripline-auditd parser.

use std::collections::BTreeMap;

use tripline_rules::{Engine, LogSource, RuleSet, Scratch, Settings};

const FIXTURE: &str = include_str!("fixtures/auditd_rules.txt");

fn fixture() -> BTreeMap<String, (String, String)> {
    let mut out = BTreeMap::new();
    let mut cur: Option<String> = None;
    let mut pos = None;
    for line in FIXTURE.lines() {
        let line = line.replace("<GS>", "\u{1d}");
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        if let Some(p) = line.strip_prefix("+ ") {
            pos = Some(p.to_string());
        } else if let Some(n) = line.strip_prefix("- ") {
            let name = cur.clone().expect("rule name before records");
            out.insert(
                name,
                (pos.take().expect("positive before negative"), n.to_string()),
            );
        } else {
            cur = Some(line.trim().to_string());
        }
    }
    out
}

#[test]
fn fixture_is_well_formed_and_parses() {
    let f = fixture();
    assert_eq!(f.len(), 53);
    for (name, (p, n)) in &f {
        tripline_auditd::from_str(p).unwrap_or_else(|e| panic!("{name} +: {e}"));
        tripline_auditd::from_str(n).unwrap_or_else(|e| panic!("{name} -: {e}"));
    }
}

#[test]
fn each_auditd_rule_has_a_positive_and_a_near_miss() {
    let Some(dir) = tripline_testkit::corpus("sigma/rules/linux/auditd") else {
        return;
    };
    let mut set = RuleSet::new(Settings::default());
    set.load_path(&dir);
    assert!(set.rejected.is_empty());
    assert_eq!(set.rules.len(), 53);
    let engine = Engine::new(&set);
    let fx = fixture();
    let ls = LogSource::new("linux", "", "auditd");
    let mut sc = Scratch::new();
    let mut failures = Vec::new();
    for (i, rule) in engine.rules().enumerate() {
        let stem = std::path::Path::new(&rule.at.file)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let Some((p, n)) = fx.get(&stem) else {
            failures.push(format!("{stem}: no fixture"));
            continue;
        };
        for (line, want) in [(p, true), (n, false)] {
            let rec = tripline_auditd::from_str(line).unwrap();
            let mut out = Vec::new();
            engine.evaluate(&ls, &rec, &mut sc, &mut out);
            let got = out.iter().any(|m| m.rule == i);
            if got != want {
                failures.push(format!("{stem}: expected {want} for {line}"));
            }
            assert_eq!(
                engine.matches_rule(i, &rec, &mut sc),
                got,
                "{stem}: index vs direct"
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
