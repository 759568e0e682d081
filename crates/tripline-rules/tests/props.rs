//! Property tests: the condition grammar round-trips and nothing panics on arbitrary input.

use proptest::prelude::*;
use tripline_rules::{Condition, Engine, LogSource, RuleSet, Scratch, Settings, Target};

fn ident() -> impl Strategy<Value = String> {
    "[a-z_][a-z0-9_]{0,6}".prop_filter("reserved", |s| {
        !["and", "or", "not", "of", "them", "all", "any"].contains(&s.as_str())
    })
}

fn target() -> impl Strategy<Value = Target> {
    prop_oneof![
        Just(Target::Them),
        "[a-z_]{1,5}\\*?[a-z]{0,3}".prop_map(Target::Pattern)
    ]
}

fn cond() -> impl Strategy<Value = Condition> {
    let leaf = prop_oneof![
        4 => ident().prop_map(Condition::Ident),
        1 => target().prop_map(Condition::OneOf),
        1 => target().prop_map(Condition::AllOf),
    ];
    leaf.prop_recursive(5, 48, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| Condition::Not(Box::new(c))),
            prop::collection::vec(inner.clone(), 2..4).prop_map(Condition::And),
            prop::collection::vec(inner, 2..4).prop_map(Condition::Or),
        ]
    })
}

proptest! {
    #[test]
    fn render_then_parse_is_identity(c in cond()) {
        let text = c.to_string();
        let parsed = Condition::parse(&text, 64).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        prop_assert_eq!(&parsed, &c.normalized(), "{}", text);
        prop_assert_eq!(parsed.to_string(), c.normalized().to_string());
    }

    #[test]
    fn condition_parser_never_panics(s in "\\PC{0,64}") {
        let _ = Condition::parse(&s, 16);
    }

    #[test]
    fn condition_parser_never_panics_on_grammar_soup(parts in prop::collection::vec(prop_oneof![
        Just("and"), Just("or"), Just("not"), Just("("), Just(")"), Just("1 of"), Just("all of"),
        Just("them"), Just("sel_*"), Just("a"), Just("|"), Just("near"), Just(" "),
    ], 0..24)) {
        let s = parts.join(" ");
        let _ = Condition::parse(&s, 8);
    }

    #[test]
    fn loading_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let mut set = RuleSet::new(Settings::default());
        set.add_bytes(&bytes, "fuzz.yml");
        let engine = Engine::new(&set);
        let mut sc = Scratch::new();
        let mut out = Vec::new();
        engine.evaluate(&LogSource::new("linux", "", ""), &serde_json::json!({"a": "b"}), &mut sc, &mut out);
    }

    #[test]
    fn loading_rule_shaped_yaml_never_panics(
        field in "[A-Za-z|]{0,12}",
        value in "[-a-z*?\\\\%/ ]{0,12}",
        cond_text in "[a-z_ ()*|1]{0,24}",
        ev in "[a-z*?\\\\ ]{0,16}",
    ) {
        let yaml = format!("title: t\nlogsource: {{product: p}}\ndetection:\n  sel:\n    '{field}': '{}'\n  condition: '{cond_text}'\n", value.replace('\'', "''"));
        let mut set = RuleSet::new(Settings::default());
        set.add_str(&yaml, "p.yml");
        prop_assert_eq!(set.rules.len() + set.rejected.len(), 1);
        let engine = Engine::new(&set);
        let mut sc = Scratch::new();
        let mut out = Vec::new();
        let f = field.split('|').next().unwrap_or("").to_string();
        engine.evaluate(&LogSource::new("p", "", ""), &serde_json::json!({ f: ev }), &mut sc, &mut out);
    }
}
