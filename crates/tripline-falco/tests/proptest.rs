//! Property tests: no panic and exact accounting on arbitrary input; generated alerts
//! serialize and parse back equal; generated text lines give back their pairs.

use std::borrow::Cow;

use proptest::prelude::*;
use tripline_falco::{
    Alert, FieldValue, Line, OutputFields, Priority, Reader, Record, Timestamp, parse_line,
};

fn priority() -> impl Strategy<Value = Priority> {
    (0i64..8).prop_map(|l| Priority::from_level(l).unwrap())
}

fn scalar() -> impl Strategy<Value = FieldValue<'static>> {
    prop_oneof![
        Just(FieldValue::Null),
        any::<bool>().prop_map(FieldValue::Bool),
        any::<i64>().prop_map(FieldValue::Int),
        ((i64::MAX as u64 + 1)..=u64::MAX).prop_map(FieldValue::UInt),
        // Dyadic fractions print and parse back exactly.
        (-1_000_000i32..1_000_000).prop_map(|n| FieldValue::Float(f64::from(n) / 1024.0 + 0.5)),
        any::<String>().prop_map(|s| FieldValue::Str(Cow::Owned(s))),
    ]
}

fn value() -> impl Strategy<Value = FieldValue<'static>> {
    prop_oneof![
        4 => scalar(),
        1 => prop::collection::vec(scalar(), 0..4).prop_map(FieldValue::List),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("evt.time".to_string()),
        Just("proc.aname[2]".to_string()),
        Just("container.image".to_string()),
        Just("container.image.repository".to_string()),
        Just("ka.uri.param[command]".to_string()),
        "[a-z]{1,6}(\\.[a-z_]{1,8}){0,3}(\\[[0-9]\\])?",
        any::<String>(),
    ]
}

fn opt_str() -> impl Strategy<Value = Option<Cow<'static, str>>> {
    prop::option::of(any::<String>().prop_map(Cow::Owned))
}

fn alert() -> impl Strategy<Value = Alert<'static>> {
    (
        // 1970 … 2200, exact nanoseconds.
        0i64..7_258_118_400_000_000_000,
        any::<String>(),
        priority(),
        (opt_str(), opt_str(), opt_str(), opt_str()),
        prop::option::of(prop::collection::vec(
            any::<String>().prop_map(Cow::Owned),
            0..4,
        )),
        prop::option::of(prop::collection::vec((key(), value()), 0..8)),
    )
        .prop_map(
            |(ns, rule, p, (source, hostname, output, message), tags, fields)| {
                let mut a = Alert::new(Timestamp::from_unix_nanos(ns), rule, p);
                // `syscalls` marks a falcosidekick payload; keep generated alerts Falco-shaped.
                a.source = source.filter(|s| s != "syscalls");
                a.hostname = hostname;
                a.output = output;
                a.message = message;
                a.tags = tags;
                a.output_fields = fields.map(|f| {
                    OutputFields::from_entries(
                        f.into_iter()
                            .map(|(k, v)| {
                                // A string evt.time marks the gRPC rendering.
                                let v = match (&v, k.as_str()) {
                                    (FieldValue::Str(_), "evt.time") => FieldValue::Int(1),
                                    _ => v,
                                };
                                (Cow::Owned(k), v)
                            })
                            .collect(),
                    )
                });
                a
            },
        )
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_and_are_accounted(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        let mut r = Reader::new(&data[..]);
        while r.next_record().is_some() {}
        let s = r.stats();
        prop_assert_eq!(s.lines, s.records + s.errors + s.skipped + s.continuation);
        let newlines = data.iter().filter(|&&b| b == b'\n').count() as u64;
        let tail = u64::from(!data.is_empty() && data.last() != Some(&b'\n'));
        prop_assert_eq!(s.lines, newlines + tail);
        let _ = tripline_falco::from_slice(&data);
    }

    #[test]
    fn alert_shaped_noise_never_panics(
        head in prop_oneof![
            Just(""), Just("{"), Just("12:00:00.1: "), Just("2024-01-01T00:00:00.5+0000: "),
            Just("Nov 27 02:12:01 h falco[1]: "), Just("Thu Nov 27 02:11:58 2025: "),
        ],
        body in "[ -~]{0,120}",
    ) {
        let line = format!("{head}{body}");
        if let Ok(Line::Record(Record::Text(t))) = parse_line(&line) {
            for (k, v) in &t.pairs {
                prop_assert!(line.contains(k.as_ref()));
                prop_assert!(line.contains(v.as_ref()));
            }
        }
    }

    #[test]
    fn generated_alerts_serialize_then_parse_equal(a in alert()) {
        let json = a.to_json();
        let back = tripline_falco::from_str(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
        prop_assert_eq!(&back, &a);
        let mut r = Reader::new(json.as_bytes());
        match r.next_record() {
            Some(Ok(Record::Json(b))) => prop_assert_eq!(&b, &a),
            other => prop_assert!(false, "{:?}", other),
        }
        // The same alert pretty-printed (as `jq .` shows it), twice in a row: two records,
        // every line accounted.
        let pretty = serde_json::to_string_pretty(&a).unwrap();
        let twice = format!("{pretty}\n{pretty}\n");
        let mut r = Reader::new(twice.as_bytes());
        for _ in 0..2 {
            match r.next_record() {
                Some(Ok(Record::Json(b))) => prop_assert_eq!(&b, &a),
                other => prop_assert!(false, "{:?}\n{}", other, pretty),
            }
        }
        prop_assert!(r.next_record().is_none());
        let s = r.stats();
        prop_assert_eq!(s.lines, 2 * pretty.lines().count() as u64);
        prop_assert_eq!(s.lines, s.records + s.continuation);
    }

    #[test]
    fn generated_text_lines_give_back_their_pairs(
        nanos in 0u64..86_400_000_000_000,
        p in priority(),
        title in "[A-Z][a-z]{1,8}( [a-z]{1,8}){0,4}",
        pairs in prop::collection::vec(("[a-z][a-z_.]{0,10}", "[a-zA-Z0-9/:@-]{1,10}( [a-zA-Z0-9/-]{1,6}){0,2}"), 1..6),
        pipe in any::<bool>(),
    ) {
        let time = tripline_falco::TextTime::LocalTimeOfDay(nanos);
        let kv: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let line = if pipe {
            format!("{time}: {p} {title} | {}", kv.join(" "))
        } else {
            format!("{time}: {p} {title} ({})", kv.join(" "))
        };
        let Ok(Line::Record(Record::Text(t))) = parse_line(&line) else {
            return Err(TestCaseError::fail(line));
        };
        prop_assert_eq!(t.time, time);
        prop_assert_eq!(t.priority, p);
        prop_assert_eq!(t.title.as_ref(), title.as_str());
        let got: Vec<(String, String)> =
            t.pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        prop_assert_eq!(got, pairs);
    }
}

fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value as J;
    let leaf = prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::from),
        any::<u64>().prop_map(J::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(J::from),
        any::<String>().prop_map(J::String),
    ];
    leaf.prop_recursive(4, 32, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(J::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..6)
                .prop_map(|m| J::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Differential test of the JSON reader against `serde_json`, compact and pretty.
    #[test]
    fn json_reader_agrees_with_serde_json(v in json_value(), pretty in any::<bool>()) {
        let body = if pretty {
            serde_json::to_string_pretty(&v).unwrap()
        } else {
            serde_json::to_string(&v).unwrap()
        };
        let line = format!(
            r#"{{"time":"2024-01-01T00:00:00Z","rule":"R","priority":"Debug","output_fields":{{"v":{body}}}}}"#
        );
        let a = tripline_falco::from_str(&line).map_err(|e| TestCaseError::fail(format!("{e}")))?;
        let ours = serde_json::to_value(a.output_field("v").unwrap()).unwrap();
        prop_assert_eq!(ours, v);
    }
}
