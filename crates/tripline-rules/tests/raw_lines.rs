//! Keyword rules over raw audit lines: with every SigmaHQ linux rule loaded, the candidate
//! index (its raw-line prescreen: short needles in a packed searcher, the others' grams probed
//! every fourth byte) must pick exactly the rules direct evaluation matches, on the shared
//! corpus's real audit lines and on lines carrying each keyword of the rules.

use tripline_rules::{Engine, LogSource, RuleSet, Scratch, Settings, SigmaValue};

#[test]
fn keyword_rules_on_raw_audit_lines_index_equals_direct() {
    let (Some(rules), Some(audit)) = (
        tripline_testkit::corpus("sigma/rules/linux"),
        tripline_testkit::corpus("auditd"),
    ) else {
        return;
    };
    let mut set = RuleSet::new(Settings::default());
    set.load_path(&rules);
    assert!(set.rejected.is_empty(), "{:?}", set.rejected);
    let engine = Engine::new(&set);

    // Every keyword of every rule alone, then all of a rule's together (for `|all` keyword
    // maps and conditions joining keyword selections), embedded in three record types.
    let mut keywords = Vec::new();
    let mut together = Vec::new();
    for r in engine.rules() {
        let mut all = Vec::new();
        for sel in &r.detection.selections {
            for item in sel.alternatives.iter().flatten() {
                if item.field.is_none() {
                    all.extend(item.values.iter().filter_map(SigmaValue::example));
                }
            }
        }
        if !all.is_empty() {
            together.push(all.join(" "));
        }
        keywords.extend(all);
    }
    keywords.extend(together);
    assert!(keywords.len() > 100, "{}", keywords.len());
    let mut lines = Vec::new();
    for (i, k) in keywords.iter().enumerate() {
        lines.push(format!(
            "type=EXECVE msg=audit(1700000000.000:{i}): argc=2 a0=\"sh\" a1=\"{k}\""
        ));
        lines.push(format!(
            "type=SYSCALL msg=audit(1700000000.000:{i}): arch=c000003e syscall=59 success=yes \
             exit=0 ppid=1 pid=2 auid=1000 uid=0 comm=\"x\" exe=\"/usr/bin/x\" key=\"{k}\"\
             \u{1d}ARCH=x86_64 SYSCALL=execve"
        ));
        lines.push(format!(
            "type=USER_CMD msg=audit(1700000000.000:{i}): pid=3 uid=0 auid=1000 ses=1 \
             msg='cwd=\"/root\" cmd=\"{k}\" terminal=pts/0 res=success'"
        ));
    }
    // Real lines: every `.log` file of the shared audit corpus.
    let mut files: Vec<_> = std::fs::read_dir(&audit)
        .unwrap_or_else(|e| panic!("{e}"))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "log"))
        .collect();
    files.sort();
    let real_before = lines.len();
    for f in &files {
        let text = String::from_utf8_lossy(&std::fs::read(f).unwrap_or_default()).into_owned();
        lines.extend(text.lines().map(str::to_owned));
    }
    lines.truncate(real_before + 3000);
    assert!(
        lines.len() - real_before >= 1000,
        "{}",
        lines.len() - real_before
    );

    let ls = LogSource::new("linux", "", "auditd");
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    let (mut records, mut matched) = (0, std::collections::BTreeSet::new());
    for line in &lines {
        let Ok(rec) = tripline_auditd::RecordBuf::parse(line) else {
            continue;
        };
        records += 1;
        out.clear();
        engine.evaluate(&ls, &rec, &mut sc, &mut out);
        let got: Vec<usize> = out.iter().map(|m| m.rule).collect();
        for (i, r) in engine.rules().enumerate() {
            assert_eq!(
                got.contains(&i),
                r.logsource.covers(&ls) && engine.matches_rule(i, &rec, &mut sc),
                "rule {} on {line}",
                r.meta.title,
            );
        }
        matched.extend(got);
    }
    assert!(records > 1000, "{records}");
    // Not vacuous: each builtin keyword rule fires on the lines carrying its keywords.
    let keyword_rules: Vec<&str> = engine
        .rules()
        .filter(|r| {
            r.logsource.service.is_none()
                && r.logsource.category.is_none()
                && r.detection
                    .selections
                    .iter()
                    .any(|s| s.alternatives.iter().flatten().any(|it| it.field.is_none()))
        })
        .map(|r| r.meta.title.as_str())
        .collect();
    assert!(keyword_rules.len() >= 10, "{keyword_rules:?}");
    let fired: Vec<&str> = matched
        .iter()
        .filter_map(|&i| engine.rule(i).map(|r| r.meta.title.as_str()))
        .collect();
    let silent: Vec<&&str> = keyword_rules
        .iter()
        .filter(|t| !fired.contains(t))
        .collect();
    assert!(
        silent.is_empty(),
        "keyword rules that never fired: {silent:?}"
    );
}
