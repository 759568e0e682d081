//! Loading the shared SigmaHQ corpus: everything supported loads and compiles; every
//! `unsupported/` rule is rejected with the reason.

use tripline_rules::{Engine, Error, RuleSet, Settings};

fn load(sub: &str) -> Option<RuleSet> {
    let dir = tripline_testkit::corpus(sub)?;
    let mut set = RuleSet::new(Settings::default());
    set.load_path(&dir);
    Some(set)
}

#[test]
fn all_linux_rules_load_and_compile() {
    let Some(set) = load("sigma/rules/linux") else {
        return;
    };
    assert!(set.rejected.is_empty(), "{:#?}", set.rejected);
    assert_eq!(set.rules.len(), 210);
    let engine = Engine::new(&set);
    assert!(engine.rejected().is_empty(), "{:#?}", engine.rejected());
    assert_eq!(engine.stats().rules, 210);
    // The index must cover nearly every rule.
    assert!(engine.stats().always_evaluated <= 5, "{:?}", engine.stats());
}

#[test]
fn kubernetes_emerging_and_hunting_load() {
    for sub in [
        "sigma/rules/application/kubernetes",
        "sigma/rules-emerging-threats",
        "sigma/rules-threat-hunting",
    ] {
        let Some(set) = load(sub) else { return };
        assert!(set.rejected.is_empty(), "{sub}: {:#?}", set.rejected);
        assert!(!set.rules.is_empty(), "{sub}");
        let engine = Engine::new(&set);
        assert!(
            engine.rejected().is_empty(),
            "{sub}: {:#?}",
            engine.rejected()
        );
    }
    let k = load("sigma/rules/application/kubernetes").unwrap();
    assert_eq!(k.rules.len(), 16);
    let e = load("sigma/rules-emerging-threats").unwrap();
    assert_eq!(e.rules.len(), 34);
    let h = load("sigma/rules-threat-hunting").unwrap();
    assert_eq!(h.rules.len(), 4);
}

#[test]
fn every_unsupported_rule_is_rejected_with_a_reason() {
    let Some(files) = tripline_testkit::corpus_files("sigma/unsupported/linux") else {
        return;
    };
    assert_eq!(files.len(), 7);
    for f in files {
        let mut set = RuleSet::new(Settings::default());
        set.load_path(&f);
        assert!(set.rules.is_empty(), "{}", f.display());
        assert_eq!(set.rejected.len(), 1, "{}", f.display());
        let Error::Rule {
            at,
            title,
            id,
            reason,
        } = &set.rejected[0]
        else {
            panic!("{:?}", set.rejected)
        };
        assert!(at.file.ends_with(f.file_name().unwrap().to_str().unwrap()));
        assert!(!title.is_empty() && id != "-", "{id}");
        assert!(reason.contains("Sigma 1"), "{}: {reason}", f.display());
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(&f).unwrap();
        if text.contains("count()") || text.contains("near") || text.contains("timeframe") {
            assert!(
                reason.contains("aggregation") || reason.contains("timeframe"),
                "{name}: {reason}"
            );
        } else {
            assert!(reason.contains("date form"), "{name}: {reason}");
        }
    }
}

#[test]
fn spec_test_correlations_and_filters_parse() {
    let Some(set) = load("sigma/spec-tests") else {
        return;
    };
    assert!(set.rejected.is_empty(), "{:#?}", set.rejected);
    assert_eq!(
        set.correlations.len(),
        8,
        "{:?}",
        set.correlations
            .iter()
            .map(|c| &c.meta.title)
            .collect::<Vec<_>>()
    );
    assert_eq!(set.filters.len(), 2);
    assert_eq!(set.rules.len(), 2);
    let _ = Engine::new(&set);
}

#[test]
fn deprecated_rules_report_per_file() {
    let Some(set) = load("sigma/deprecated") else {
        return;
    };
    // Deprecated rules either load or are rejected with file, title and reason; never both.
    assert_eq!(set.rules.len() + set.rejected.len(), set.stats.documents);
    for e in &set.rejected {
        assert!(e.to_string().contains(".yml"), "{e}");
    }
}
