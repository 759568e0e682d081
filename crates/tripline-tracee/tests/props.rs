//! Property tests: no panic on any input, counts always balance, and generated events
//! (any JSON type under any declared arg type) decode to what was written.

use std::io::Cursor;

use proptest::prelude::*;
use serde_json::{Value, json};
use tripline_tracee::{Reader, Record, Settings, from_slice, from_str, parse_line};

const SAMPLE: &str = include_str!("fixtures/v0.19_events.jsonl");

fn exercise(r: &Record<'_>) {
    let _ = r.time_ns(&Settings::default());
    let _ = r.container_id();
    if let Record::Trace(e) = r {
        for a in &e.args {
            let _ = (
                a.as_str(),
                a.as_i64(),
                a.as_u64(),
                a.as_bool(),
                a.as_str_list(),
            );
            let _ = (a.as_bytes(), a.as_sockaddr(), a.as_object(), a.value());
        }
        let _ = e.triggered_by();
        let _ = e.properties().map(|p| (p.severity(), p.signature_id()));
    }
    if let Record::V1(e) = r {
        let _ = (e.pid(), e.parent_pid(), e.container_image(), e.data_names());
        let _ = e.threat.as_ref().map(|t| (t.severity_num(), t.tactic()));
    }
    #[cfg(feature = "schema")]
    {
        use tripline_schema::FieldSource;
        let _ = tripline_tracee::Normalizer::default().normalize(r);
        for n in r.field_names() {
            let _ = r.field(&n);
        }
    }
}

fn json_leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        "[ -~]{0,12}".prop_map(Value::from),
        "\\PC{0,8}".prop_map(Value::from),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    json_leaf().prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

const TYPES: &[&str] = &[
    "int",
    "const char*",
    "const char**",
    "struct sockaddr*",
    "bytes",
    "unknown",
    "u16",
];

proptest! {
    #[test]
    fn no_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        if let Ok(r) = from_slice(&bytes) { exercise(&r); }
        let mut reader = Reader::new(Cursor::new(&bytes));
        while let Some(r) = reader.next_record() {
            if let Ok(r) = r { exercise(&r); }
        }
        prop_assert!(reader.counts().balanced());
    }

    #[test]
    fn no_panic_on_mutated_events(line in 0usize..17, cut in 0usize..2000, byte in any::<u8>()) {
        let mut b = SAMPLE.lines().nth(line).unwrap().as_bytes().to_vec();
        let at = cut % b.len();
        b[at] = byte;
        if let Ok(r) = from_slice(&b) { exercise(&r); }
        let mut t = b.clone();
        t.truncate(at);
        t.push(b'\n');
        t.extend_from_slice(SAMPLE.as_bytes());
        let mut reader = Reader::new(Cursor::new(&t));
        let mut ok = 0;
        while let Some(r) = reader.next_record() {
            if let Ok(r) = r { exercise(&r); ok += 1; }
        }
        prop_assert!(ok >= 17, "a bad line never hides the good ones after it");
        prop_assert!(reader.counts().balanced());
    }

    #[test]
    fn generated_events_decode(
        name in "[a-z_]{1,20}",
        ts in any::<i64>(),
        pid in any::<u32>(),
        cid in "[0-9a-f]{0,64}",
        nested in any::<bool>(),
        args in prop::collection::vec(("[a-z_]{1,10}", 0..TYPES.len(), json_value()), 0..6),
    ) {
        let mut ev = json!({
            "timestamp": ts, "processId": pid, "hostProcessId": pid, "eventName": name,
            "eventId": "42",
            "args": args.iter().map(|(n, t, v)| json!({"name": n, "type": TYPES[*t], "value": v})).collect::<Vec<_>>(),
        });
        if nested {
            ev["container"] = json!({"id": cid});
        } else {
            ev["containerId"] = json!(cid);
        }
        let text = ev.to_string();
        let Record::Trace(e) = from_str(&text).unwrap() else { panic!("not trace") };
        prop_assert_eq!(&*e.event_name, name.as_str());
        prop_assert_eq!(e.timestamp, Some(ts));
        prop_assert_eq!(e.process_id, Some(i64::from(pid)));
        prop_assert_eq!(e.event_id, Some(42));
        prop_assert_eq!(e.container_id(), (!cid.is_empty()).then_some(cid.as_str()));
        prop_assert_eq!(e.args.len(), args.len());
        for (a, (n, _, v)) in e.args.iter().zip(&args) {
            prop_assert_eq!(&*a.name, n.as_str());
            let back: Value = serde_json::from_str(a.raw()).unwrap();
            prop_assert_eq!(&back, v);
            match v {
                Value::String(s) => { let got = a.as_str(); prop_assert_eq!(got.as_deref(), Some(s.as_str())) }
                Value::Number(n) if n.is_i64() => prop_assert_eq!(a.as_i64(), n.as_i64()),
                Value::Number(n) => prop_assert_eq!(a.as_u64(), n.as_u64()),
                Value::Null => prop_assert!(a.is_null()),
                _ => {}
            }
        }
        exercise(&Record::Trace(e));
    }

    #[test]
    fn text_lines_never_panic(s in "\\PC{0,200}") {
        let _ = parse_line(&s);
    }
}

const KINDS: &[&str] = &[
    "str",
    "int32",
    "int64",
    "u_int64",
    "bytes",
    "bool",
    "str_array",
    "sockaddr",
    "struct",
];

proptest! {
    #[test]
    fn generated_v1beta1_events_decode(
        name in "[a-z_]{1,20}",
        secs in 0i64..4_000_000_000,
        nanos in 0i64..1_000_000_000,
        pid in any::<u32>(),
        wrapped in any::<bool>(),
        data in prop::collection::vec(("[a-z_]{1,10}", 0..KINDS.len(), json_value()), 0..6),
    ) {
        let ts = chrono::DateTime::from_timestamp(secs, u32::try_from(nanos).unwrap()).unwrap();
        let pid_json = if wrapped { json!({"value": pid}) } else { json!(pid) };
        let ev = json!({
            "timestamp": ts.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
            "id": 7, "name": name, "policies": {"matched": ["p"]},
            "workload": {"process": {"pid": pid_json, "host_pid": pid}},
            "data": data.iter().map(|(n, k, v)| json!({"name": n, KINDS[*k]: v})).collect::<Vec<_>>(),
        });
        let text = ev.to_string();
        let Record::V1(e) = from_str(&text).unwrap() else { panic!("not v1") };
        prop_assert_eq!(&*e.name, name.as_str());
        prop_assert_eq!(e.time_ns(), Some(secs * 1_000_000_000 + nanos));
        prop_assert_eq!(e.pid(), Some(i64::from(pid)));
        prop_assert_eq!(e.host_pid(), Some(i64::from(pid)));
        prop_assert_eq!(e.id_num(), Some(7));
        prop_assert_eq!(e.data_names().len(), data.len());
        for (n, _, _) in &data {
            let (_, raw) = e.data(n).unwrap();
            let first = data.iter().find(|(m, _, _)| m == n).unwrap();
            let back: Value = serde_json::from_str(raw.get()).unwrap();
            prop_assert_eq!(&back, &first.2);
        }
        exercise(&Record::V1(e));
    }
}
