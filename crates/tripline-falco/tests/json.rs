//! JSON alerts from in-repo fixtures: the seed's config, the default config, every optional-key
//! combination in both key orders, exact integers, nulls, arrays, bracket keys, renderings.

use std::borrow::Cow;

use tripline_falco::{Error, FieldValue, Flavor, Priority, Settings, from_slice, from_str};

fn fixture(name: &str) -> String {
    let path = tripline_testkit::fixture(env!("CARGO_MANIFEST_DIR"), &format!("fixtures/{name}"));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn seed_config_lines_have_no_output_and_no_tags() {
    let text = fixture("seed_config.jsonl");
    let alerts: Vec<_> = text.lines().map(|l| from_str(l).unwrap()).collect();
    assert_eq!(alerts.len(), 4);
    for a in &alerts {
        assert!(a.output.is_none() && a.tags.is_none() && a.message.is_none());
        assert_eq!(a.hostname.as_deref(), Some("lab-node-1"));
        assert_eq!(
            a.event_time(),
            a.time,
            "evt.time equals time to the nanosecond"
        );
        assert_eq!(a.flavor, Flavor::Falco);
    }
    let a = &alerts[0];
    assert_eq!(a.rule, "Read sensitive file untrusted");
    assert_eq!(a.priority, Priority::Warning);
    assert_eq!(
        a.output_field("evt.time"),
        Some(&FieldValue::Int(1_764_209_521_123_456_789))
    );
    assert_eq!(
        a.output_field("proc.aname[2]").and_then(FieldValue::as_str),
        Some("sudo")
    );
    assert_eq!(a.output_field("proc.aname[3]"), Some(&FieldValue::Null));
    assert_eq!(
        a.output_field("proc.aname"),
        None,
        "bracket keys are not prefixes"
    );
    assert_eq!(
        a.output_field("user.loginuid"),
        Some(&FieldValue::Int(1000))
    );
    assert_eq!(
        alerts[1].output_field("user.loginuid"),
        Some(&FieldValue::Int(-1))
    );
    assert_eq!(
        alerts[1].output_field("k8s.ns.name"),
        Some(&FieldValue::Null)
    );
    assert_eq!(
        alerts[2].output_field("fd.types"),
        Some(&FieldValue::List(vec![FieldValue::Str(Cow::Borrowed(
            "ipv4"
        ))]))
    );
    assert_eq!(
        alerts[3].internal(),
        Some(tripline_falco::Internal::SyscallDrop)
    );
    assert_eq!(alerts[3].source.as_deref(), Some("internal"));
}

#[test]
fn default_config_lines_have_output_and_tags() {
    let text = fixture("default_config.jsonl");
    let alerts: Vec<_> = text.lines().map(|l| from_str(l).unwrap()).collect();
    assert!(
        alerts[0]
            .output
            .as_deref()
            .unwrap()
            .contains("| file=/etc/shadow")
    );
    assert_eq!(alerts[0].tags.as_ref().unwrap().len(), 6);
    assert_eq!(
        alerts[0].output_field("evt.time.iso8601"),
        Some(&FieldValue::Int(1_764_209_521_123_456_789))
    );
    // Grafted pre-0.39 spelling: `, "output_fields": {…}` after the sorted keys.
    assert_eq!(
        alerts[1]
            .output_field("proc.cmdline")
            .and_then(FieldValue::as_str),
        Some("bash -c ls")
    );
    assert!(alerts[1].hostname.is_none());
    // Pre-0.30: no source, no tags.
    assert!(alerts[2].source.is_none() && alerts[2].tags.is_none());
    assert_eq!(
        alerts[2].output_field("container.privileged"),
        Some(&FieldValue::Bool(true))
    );
}

const OPTIONAL: [&str; 6] = [
    "source",
    "hostname",
    "output",
    "message",
    "tags",
    "output_fields",
];

fn value_of(key: &str) -> &'static str {
    match key {
        "source" => r#""syscall""#,
        "hostname" => r#""node""#,
        "output" => r#""12:00:00.000000001: Notice m (a=b)""#,
        "message" => r#""m (a=b)""#,
        "tags" => r#"["container","mitre_execution"]"#,
        _ => r#"{"evt.time":1700000000000000001,"proc.cmdline":"sh"}"#,
    }
}

/// Every subset of the optional keys, written in the jsoncpp order with the grafted
/// `output_fields` (≤ 0.38) and in nlohmann order (0.39+), parses with exactly those keys.
#[test]
fn every_optional_key_combination_in_both_key_orders() {
    for mask in 0u32..(1 << OPTIONAL.len()) {
        let present: Vec<&str> = OPTIONAL
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, k)| *k)
            .collect();
        let mut keys: Vec<(&str, &str)> = present.iter().map(|k| (*k, value_of(k))).collect();
        keys.push(("time", r#""2023-11-14T22:13:20.000000001Z""#));
        keys.push(("rule", r#""R""#));
        keys.push(("priority", r#""Notice""#));
        keys.sort();
        let nlohmann = format!(
            "{{{}}}",
            keys.iter()
                .map(|(k, v)| format!("\"{k}\":{v}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        let (grafted_fields, rest): (Vec<_>, Vec<_>) =
            keys.iter().partition(|(k, _)| *k == "output_fields");
        let mut jsoncpp = format!(
            "{{{}",
            rest.iter()
                .map(|(k, v)| format!("\"{k}\":{v}"))
                .collect::<Vec<_>>()
                .join(",")
        );
        if let Some((_, v)) = grafted_fields.first() {
            jsoncpp.push_str(&format!(", \"output_fields\": {v}"));
        }
        jsoncpp.push('}');
        for line in [&nlohmann, &jsoncpp] {
            let a = from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(a.time.unix_nanos(), 1_700_000_000_000_000_001);
            assert_eq!((a.rule.as_ref(), a.priority), ("R", Priority::Notice));
            assert_eq!(a.source.is_some(), present.contains(&"source"), "{line}");
            assert_eq!(
                a.hostname.is_some(),
                present.contains(&"hostname"),
                "{line}"
            );
            assert_eq!(a.output.is_some(), present.contains(&"output"), "{line}");
            assert_eq!(a.message.is_some(), present.contains(&"message"), "{line}");
            assert_eq!(a.tags.is_some(), present.contains(&"tags"), "{line}");
            assert_eq!(
                a.output_fields.is_some(),
                present.contains(&"output_fields"),
                "{line}"
            );
            if a.output_fields.is_some() {
                assert_eq!(a.event_time().unix_nanos(), 1_700_000_000_000_000_001);
            }
        }
    }
}

#[test]
fn required_keys_are_errors_when_missing() {
    let cases = [
        (r#"{"rule":"R","priority":"Notice"}"#, "time"),
        (
            r#"{"time":"2023-11-14T22:13:20Z","priority":"Notice"}"#,
            "rule",
        ),
        (r#"{"time":"2023-11-14T22:13:20Z","rule":"R"}"#, "priority"),
    ];
    for (line, key) in cases {
        match from_str(line) {
            Err(Error::MissingKey { key: k, at, .. }) => {
                assert_eq!(k, key);
                assert_eq!(at.line, 1);
            }
            other => panic!("{line}: {other:?}"),
        }
    }
}

#[test]
fn bad_values_are_located_errors_with_bounded_snippets() {
    let long = format!(
        r#"{{"time":"2023-11-14T22:13:20Z","rule":"{}","priority":"Loud"}}"#,
        "x".repeat(500)
    );
    match from_str(&long) {
        Err(Error::BadPriority { snippet, .. }) => assert_eq!(snippet, "Loud"),
        other => panic!("{other:?}"),
    }
    match from_str(r#"{"time":"yesterday","rule":"R","priority":"Notice"}"#) {
        Err(Error::BadTime { snippet, .. }) => assert_eq!(snippet, "yesterday"),
        other => panic!("{other:?}"),
    }
    match from_str(&format!("{{\"rule\": {}", "1".repeat(300))) {
        Err(e @ Error::Json { .. }) => {
            let Error::Json {
                snippet, column, ..
            } = &e
            else {
                unreachable!()
            };
            assert!(snippet.len() <= tripline_falco::SNIPPET_MAX);
            assert!(*column > 0);
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        from_str(r#"{"time":"2023-11-14T22:13:20Z","rule":["R"],"priority":"Notice"}"#),
        Err(Error::Json { .. })
    ));
}

#[test]
fn priority_is_case_insensitive_with_info_alias() {
    for (word, p) in [
        ("info", Priority::Informational),
        ("INFORMATIONAL", Priority::Informational),
        ("warning", Priority::Warning),
        ("EMERGENCY", Priority::Emergency),
        ("Debug", Priority::Debug),
    ] {
        let line = format!(r#"{{"time":"2023-11-14T22:13:20Z","rule":"R","priority":"{word}"}}"#);
        assert_eq!(from_str(&line).unwrap().priority, p, "{word}");
    }
}

#[test]
fn integers_beyond_2_pow_53_are_exact() {
    // 2^53 + 1 is the first integer f64 cannot hold; evt.time values are ~1.7e18.
    let line = r#"{"time":"2023-11-14T22:13:20Z","rule":"R","priority":"Notice","output_fields":{"a":9007199254740993,"evt.time":1700000000123456789,"u":18446744073709551615,"n":-9223372036854775808,"f":0.5}}"#;
    let a = from_str(line).unwrap();
    assert_eq!(
        a.output_field("a"),
        Some(&FieldValue::Int(9_007_199_254_740_993))
    );
    assert_eq!(
        a.output_field("evt.time"),
        Some(&FieldValue::Int(1_700_000_000_123_456_789))
    );
    assert_eq!(a.output_field("u"), Some(&FieldValue::UInt(u64::MAX)));
    assert_eq!(a.output_field("n"), Some(&FieldValue::Int(i64::MIN)));
    assert_eq!(a.output_field("f"), Some(&FieldValue::Float(0.5)));
    let json = a.to_json();
    let back = from_str(&json).unwrap();
    assert_eq!(back, a);
}

#[test]
fn dotted_prefix_keys_stay_flat() {
    let line = r#"{"time":"2023-11-14T22:13:20Z","rule":"R","priority":"Notice","output_fields":{"container.image":"nginx:1","container.image.repository":"nginx","proc.exe_ino":5,"proc.exe_ino.ctime":7,"ka.uri.param[command]":"sh","json.value[/a/b]":"x"}}"#;
    let a = from_str(line).unwrap();
    let f = a.output_fields.as_ref().unwrap();
    assert_eq!(f.len(), 6);
    assert_eq!(
        f.get("container.image").and_then(FieldValue::as_str),
        Some("nginx:1")
    );
    assert_eq!(f.get("proc.exe_ino.ctime"), Some(&FieldValue::Int(7)));
    assert_eq!(
        f.get("ka.uri.param[command]").and_then(FieldValue::as_str),
        Some("sh")
    );
    assert_eq!(
        f.get("json.value[/a/b]").and_then(FieldValue::as_str),
        Some("x")
    );
}

#[test]
fn strings_are_borrowed_from_the_line() {
    let line = r#"{"time":"2023-11-14T22:13:20Z","rule":"R","priority":"Notice","output_fields":{"proc.cmdline":"sh -c ls","esc":"a\"b"}}"#;
    let a = from_str(line).unwrap();
    assert!(matches!(a.rule, Cow::Borrowed(_)));
    assert!(matches!(
        a.output_field("proc.cmdline"),
        Some(FieldValue::Str(Cow::Borrowed(_)))
    ));
    assert_eq!(
        a.output_field("esc").and_then(FieldValue::as_str),
        Some("a\"b")
    );
    let owned = a.clone().into_owned();
    assert_eq!(owned, a);
}

#[test]
fn grpc_rendering_go_and_python() {
    let go = r#"{"time":{"seconds":1570094449,"nanos":620298462},"priority":4,"rule":"Delete or rename shell history","output":"o","output_fields":{"container.id":"host","evt.arg.name":"<NA>","evt.time":"09:20:49.620298462","proc.pid":"1234"}}"#;
    let a = from_str(go).unwrap();
    assert_eq!(a.flavor, Flavor::Grpc);
    assert_eq!(a.priority, Priority::Warning);
    assert_eq!(a.time.unix_nanos(), 1_570_094_449_620_298_462);
    assert!(a.output_field("evt.arg.name").unwrap().is_missing());
    assert_eq!(a.output_field("proc.pid").unwrap().to_i64(), Some(1234));
    let py = r#"{"time":"2020-03-03T17:50:03.391768+00:00","priority":"warning","source":"syscall","rule":"R","output_fields":{"evt.time":"18:50:03.391767411"},"hostname":"h"}"#;
    let a = from_str(py).unwrap();
    assert_eq!(a.flavor, Flavor::Grpc);
    assert_eq!(a.time.subsec_nanos(), 391_768_000);
    assert!(
        from_str(r#"{"time":{"seconds":1,"nanos":2000000000},"priority":4,"rule":"R"}"#).is_err()
    );
    assert!(from_str(r#"{"time":"2020-03-03T17:50:03Z","priority":9,"rule":"R"}"#).is_err());
}

#[test]
fn falcosidekick_payloads() {
    let line = r#"{"uuid":"5a3e3e1c-0000-4000-8000-000000000001","output":"o","priority":"Debug","rule":"Test rule","time":"2001-01-01T01:10:00Z","source":"syscalls","output_fields":{"proc.name":"falcosidekick","proc.tty":1234,"customfield":"x"},"tags":["test"],"hostname":"test-host","@timestamp":"2001-01-01T01:10:00Z"}"#;
    let a = from_str(line).unwrap();
    assert_eq!(a.flavor, Flavor::Sidekick);
    assert_eq!(
        a.uuid.as_deref(),
        Some("5a3e3e1c-0000-4000-8000-000000000001")
    );
    assert_eq!(a.extra.len(), 1);
    assert_eq!(a.extra[0].0, "@timestamp");
    assert_eq!(a.extra[0].1.get(), r#""2001-01-01T01:10:00Z""#);
    assert_eq!(a.time.unix_nanos(), 978_311_400_000_000_000);
    let json = a.to_json();
    let back = from_str(&json).unwrap();
    assert_eq!(back, a);
}

#[test]
fn invalid_utf8_is_replaced_in_from_slice() {
    let mut line = br#"{"time":"2023-11-14T22:13:20Z","rule":"R"#.to_vec();
    line.push(0xff);
    line.extend_from_slice(br#"","priority":"Notice"}"#);
    let a = from_slice(&line).unwrap();
    assert_eq!(a.rule, "R\u{FFFD}");
}

#[test]
fn output_field_limit_is_enforced() {
    let fields: Vec<String> = (0..10).map(|i| format!("\"f{i}\":{i}")).collect();
    let line = format!(
        r#"{{"time":"2023-11-14T22:13:20Z","rule":"R","priority":"Notice","output_fields":{{{}}}}}"#,
        fields.join(",")
    );
    let s = Settings::default().max_output_fields(9);
    assert!(matches!(
        tripline_falco::from_str_with(&line, &s),
        Err(Error::TooManyFields {
            count: 10,
            limit: 9,
            ..
        })
    ));
    assert!(tripline_falco::from_str_with(&line, &s.max_output_fields(10)).is_ok());
}

#[test]
fn pretty_printed_json_errors_point_at_line_and_column() {
    let text = "{\n  \"time\": \"2023-11-14T22:13:20Z\",\n  \"rule\": @\n}";
    match from_str(text) {
        Err(Error::Json { at, column, .. }) => assert_eq!((at.line, column), (3, 11)),
        other => panic!("{other:?}"),
    }
    let ok = "{\n  \"time\": \"2023-11-14T22:13:20Z\",\n  \"rule\": \"R\",\n  \"priority\": \"Debug\"\n}\n";
    assert_eq!(from_str(ok).unwrap().priority, Priority::Debug);
}
