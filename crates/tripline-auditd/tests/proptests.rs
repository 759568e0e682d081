//! Property tests: arbitrary bytes never panic and are fully accounted for; generated valid
//! records survive parse → render raw → parse.

use proptest::prelude::*;
use tripline_auditd::{Reader, Record, Settings, StrEvents, StrRecords};

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let mut r = Reader::new(&bytes[..]);
        while let Some(rec) = r.next_record() {
            if let Ok(rec) = rec {
                let _ = rec.render_raw();
                let _ = rec.fields().map(|f| f.text().len()).sum::<usize>();
                // The key filter never hides a field that is there.
                for f in rec.fields() {
                    prop_assert!(rec.get_in(f.key, f.scope).is_some(), "{:?}", f.key);
                }
            }
        }
        prop_assert!(r.stats().balanced());
        let _ = tripline_auditd::from_slice(&bytes);
        let text = String::from_utf8_lossy(&bytes);
        let mut ev = StrEvents::new(&text);
        for e in ev.by_ref().flatten() {
            let _ = e.execve_args();
            #[cfg(feature = "schema")]
            let _ = tripline_auditd::normalize(&e);
        }
        prop_assert!(ev.reader_stats().balanced());
    }

    #[test]
    fn audit_like_text_never_panics(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("type=".to_string()), Just("node=".to_string()), Just("msg=audit(".to_string()),
                Just("1.000:2):".to_string()), Just("'".to_string()), Just("\"".to_string()),
                Just("\x1d".to_string()), Just(" ".to_string()), Just("\n".to_string()),
                Just("a0=".to_string()), Just("{".to_string()), Just("}".to_string()),
                Just("(".to_string()), Just("EXECVE".to_string()), Just("a1[0]=".to_string()),
                "[A-Za-z0-9=]{0,6}",
            ],
            0..60,
        )
    ) {
        let text: String = parts.concat();
        let mut settings = Settings::default();
        settings.max_records_per_event = 4;
        settings.max_in_flight = 3;
        let mut ev = StrEvents::with_settings(&text, settings);
        let mut n = 0u64;
        for e in ev.by_ref().flatten() {
            n += e.len() as u64;
            let _ = e.execve_args();
            #[cfg(feature = "schema")]
            let _ = tripline_auditd::normalize(&e);
        }
        prop_assert_eq!(n + ev.assembler_stats().orphan_eoe, ev.reader_stats().records);
        prop_assert!(ev.reader_stats().balanced());
    }
}

fn key() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9_]{0,7}".prop_filter("reserved", |k| {
        !matches!(k.as_str(), "type" | "node" | "msg" | "host")
    })
}

fn bare() -> impl Strategy<Value = String> {
    "[A-Za-z0-9/_.:,-]{1,12}"
}

fn quoted() -> impl Strategy<Value = String> {
    "[ -!#-&(-~]{0,16}"
}

#[derive(Debug, Clone)]
enum Val {
    Bare(String),
    Quoted(String),
    Hex(Vec<u8>),
}

fn val() -> impl Strategy<Value = Val> {
    prop_oneof![
        bare().prop_map(Val::Bare),
        quoted().prop_map(Val::Quoted),
        proptest::collection::vec(any::<u8>(), 1..12).prop_map(Val::Hex),
    ]
}

fn render(k: &str, v: &Val) -> String {
    match v {
        Val::Bare(b) => format!("{k}={b}"),
        Val::Quoted(q) => format!("{k}=\"{q}\""),
        Val::Hex(h) => {
            let hex: String = h.iter().map(|b| format!("{b:02X}")).collect();
            format!("name={hex}")
        }
    }
}

proptest! {
    #[test]
    fn valid_records_round_trip(
        node in proptest::option::of("[a-z][a-z0-9.-]{0,10}"),
        ty in prop_oneof![Just("SYSCALL"), Just("EXECVE"), Just("USER_CMD"), Just("PATH"), Just("UNKNOWN[1420]")],
        secs in 0u64..4_000_000_000,
        msec in 0u16..1000,
        serial in any::<u32>(),
        body in proptest::collection::vec((key(), val()), 0..8),
        msg in proptest::option::of(proptest::collection::vec((key(), val()), 1..5)),
        enriched in proptest::collection::vec(("[A-Z][A-Z_]{0,6}", bare()), 0..4),
    ) {
        let mut line = String::new();
        if let Some(n) = &node {
            line.push_str(&format!("node={n} "));
        }
        line.push_str(&format!("type={ty} msg=audit({secs}.{msec:03}:{serial}):"));
        for (k, v) in &body {
            line.push(' ');
            line.push_str(&render(k, v));
        }
        if let Some(m) = &msg {
            let inner: Vec<String> = m.iter().map(|(k, v)| render(k, v)).collect();
            line.push_str(&format!(" msg='{}'", inner.join(" ")));
        }
        for (i, (k, v)) in enriched.iter().enumerate() {
            line.push(if i == 0 { '\x1d' } else { ' ' });
            line.push_str(&format!("{k}={v}"));
        }
        let a = Record::parse(&line).unwrap();
        prop_assert_eq!(a.node(), node.as_deref());
        prop_assert_eq!(a.serial(), serial);
        prop_assert_eq!(a.time().msec, msec);
        let expected_fields = body.len() + msg.as_ref().map_or(0, |m| m.len() + 1) + enriched.len();
        prop_assert_eq!(a.fields().count(), expected_fields);
        prop_assert!(a.warnings().is_empty(), "{:?} in {}", a.warnings(), line);
        for (k, v) in &body {
            if let Val::Hex(h) = v {
                prop_assert!(a.fields().any(|f| f.key == "name" && f.bytes().as_ref() == h.as_slice()));
            } else {
                let _ = k;
            }
        }
        for f in a.fields() {
            prop_assert!(a.get_in(f.key, f.scope).is_some(), "{} in {}", f.key, line);
        }
        let raw = a.render_raw();
        let b = Record::parse(&raw).unwrap();
        prop_assert!(a.same_content(&b), "{}\n{}", line, raw);
        let mut it = StrRecords::new(&raw);
        prop_assert!(it.next().unwrap().is_ok());
    }
}
