//! End-to-end: the SigmaHQ Linux rules over every record of the shared audit corpus, read by
//! the real tripline-auditd reader (`product: linux, service: auditd`).

use std::collections::BTreeMap;
use std::io::BufReader;

use tripline_rules::{Engine, LogSource, RuleSet, Scratch, Settings};

#[test]
fn sigma_over_the_audit_corpus() {
    let Some(rules) = tripline_testkit::corpus("sigma/rules/linux") else {
        return;
    };
    let Some(files) = tripline_testkit::corpus_files("auditd") else {
        return;
    };
    let mut set = RuleSet::new(Settings::default());
    set.load_path(&rules);
    let engine = Engine::new(&set);
    let ls = LogSource::new("linux", "", "auditd");
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    let mut hits: BTreeMap<(String, String), usize> = BTreeMap::new();
    let mut records = 0usize;
    for f in files
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e == "log"))
    {
        let file = std::fs::File::open(f).unwrap();
        let reader = tripline_auditd::Reader::new(BufReader::new(file));
        for rec in reader.flatten() {
            records += 1;
            out.clear();
            engine.evaluate(&ls, &rec, &mut sc, &mut out);
            for m in &out {
                let rule = engine.rule(m.rule).unwrap();
                let stem = std::path::Path::new(&rule.at.file)
                    .file_stem()
                    .unwrap()
                    .to_string_lossy()
                    .into_owned();
                let fname = f.file_name().unwrap().to_string_lossy().into_owned();
                *hits.entry((fname, stem)).or_default() += 1;
            }
        }
    }
    eprintln!("{records} records; matches per (file, rule):");
    for ((f, r), n) in &hits {
        eprintln!("  {f:<50} {r:<60} {n}");
    }
    assert!(records > 500, "{records}");
    let fired = |file: &str, rule: &str| {
        hits.get(&(file.to_string(), rule.to_string()))
            .copied()
            .unwrap_or(0)
    };
    // ADD_USER records from useradd runs.
    assert!(
        fired("beats_auditbeat_centos7.log", "lnx_auditd_create_account") >= 1,
        "{hits:?}"
    );
    assert!(
        fired("beats_filebeat_useradd.log", "lnx_auditd_create_account") >= 1,
        "{hits:?}"
    );
    // Three SYSCALL records of `exe="/tmp/setuids"`.
    assert_eq!(
        fired("beats_auditbeat_setuid.log", "lnx_auditd_susp_exe_folders"),
        3,
        "{hits:?}"
    );
    // Every TTY / USER_TTY record.
    assert_eq!(
        fired(
            "go-libaudit_audit-rhel7.log",
            "lnx_auditd_keylogging_with_pam_d"
        ),
        3,
        "{hits:?}"
    );
    assert_eq!(
        fired(
            "beats_filebeat_test.log",
            "lnx_auditd_keylogging_with_pam_d"
        ),
        1,
        "{hits:?}"
    );
}
