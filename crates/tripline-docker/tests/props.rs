//! Property tests: no panic on arbitrary bytes, and render → parse round trips.

use std::borrow::Cow;

use proptest::prelude::*;
use tripline_docker::*;

fn ts() -> impl Strategy<Value = Timestamp> {
    (
        -2_000_000_000i64..4_000_000_000,
        0u32..1_000_000_000,
        -14i32 * 4..=14 * 4,
    )
        .prop_map(|(secs, nanos, q)| Timestamp {
            secs,
            nanos,
            offset_secs: q * 900,
        })
}

fn stream() -> impl Strategy<Value = Stream> {
    prop_oneof![Just(Stream::Stdout), Just(Stream::Stderr)]
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse_event(&data);
        let _ = parse_log_line(&data);
        let _ = parse_cri(&data);
        let _ = parse_compose(&data);
        let _ = parse_json_log(&data);
        let _ = parse_timestamped(&data, true);
        let mut r = EventReader::new(&data[..]);
        r.by_ref().for_each(drop);
        prop_assert!(r.stats().balanced());
        let mut r = LogReader::new(&data[..]);
        r.by_ref().for_each(drop);
        prop_assert!(r.stats().balanced());
        MessageReader::new(&data[..], "c").for_each(drop);
        if let Ok(s) = std::str::from_utf8(&data) {
            let _ = parse_inspect(s);
            let _ = parse_time_arg(s, Timestamp::default(), 0);
            let _ = EventFilter::from_json(s);
        }
    }

    #[test]
    fn line_shaped_garbage_never_panics(lines in proptest::collection::vec(
        prop_oneof![
            "\\{\"log\":\"[a-z\\\\n]{0,8}\"(,\"time\":\"[0-9TZ:.-]{0,30}\")?\\}",
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{8,18}(Z|[+-][0-9]{2}:[0-9]{2}) (stdout|stderr|x) (F|P|P:x)? ?.{0,10}",
            "[a-z_-]{1,6} {0,3}\\|.{0,10}",
            ".{0,20}",
        ], 0..12)) {
        let text = lines.join("\n");
        let mut r = LogReader::new(text.as_bytes());
        r.by_ref().for_each(drop);
        prop_assert!(r.stats().balanced());
        let mut r = EventReader::new(text.as_bytes());
        r.by_ref().for_each(drop);
        prop_assert!(r.stats().balanced());
    }

    /// `MessageReader` (which frames and reads a json-file line of the writer's shape in one
    /// pass and builds a complete line's message straight from the fast path) yields what
    /// `LogReader` lines pushed through a `Reassembler` give, with the same counters, whatever
    /// the reader's buffer size (lines split across refills) and line length cap.
    #[test]
    fn message_reader_matches_log_reader_and_reassembler(lines in proptest::collection::vec(
        prop_oneof![
            4 => ("[ -~]{0,12}(\\\\[nt\"]|\\\\u003c|é)?[ -~]{0,6}(\\\\r)?(\\\\n)?", "(stdout|stderr|x)", ts(), "(\\}|\\} |\\}\r| \\})")
                .prop_map(|(log, s, t, end)| format!(
                    r#"{{"log":"{log}","stream":"{s}","time":"{}"{end}"#,
                    Timestamp { offset_secs: 0, ..t }.to_rfc3339_nano()
                )),
            // The writer's exact shape (read in place when complete in the buffer).
            4 => ("[a-z <>é]{0,30}(\\\\n)?", "(stdout|stderr)", ts())
                .prop_map(|(log, s, t)| format!(
                    r#"{{"log":"{log}","stream":"{s}","time":"{}"}}"#,
                    Timestamp { offset_secs: 0, ..t }.to_rfc3339_nano()
                )),
            1 => Just(r#"{"log":"with attrs\n","stream":"stdout","attrs":{"a":"b"},"time":"2024-01-01T00:00:00Z"}"#.to_owned()),
            1 => Just(r#"{"time":"2024-01-01T00:00:00Z","log":"keys reordered\n","stream":"stderr"}"#.to_owned()),
            1 => "[ -~]{0,10}",
            1 => Just(String::new()),
        ], 0..14), crlf in proptest::bool::weighted(0.2), cap in 0usize..90,
        capped: bool, at in any::<proptest::sample::Index>(), delta in -1isize..=1) {
        let text = lines.join(if crlf { "\r\n" } else { "\n" });
        // The cap at, just under or just over the length of one of the lines.
        let max_line = match (capped, lines.is_empty()) {
            (true, false) => lines[at.index(lines.len())].len().saturating_add_signed(delta),
            _ => 1 << 20,
        };
        let settings = Settings { max_line_bytes: max_line, ..Settings::default() };
        // `cap` 0: the slice itself (every line complete in the buffer).
        let input = || -> Box<dyn std::io::BufRead + '_> {
            if cap == 0 {
                Box::new(text.as_bytes())
            } else {
                Box::new(std::io::BufReader::with_capacity(cap, text.as_bytes()))
            }
        };
        let mut messages = MessageReader::with_parser(input(), "c", LogParser::default(), settings.clone());
        let got: Vec<String> = messages.by_ref().map(|m| format!("{m:?}")).collect();
        let mut want = Vec::new();
        let mut reader = LogReader::with_parser(input(), LogParser::default(), settings);
        let mut reasm = Reassembler::default();
        let key: std::sync::Arc<str> = "c".into();
        let mut out = Vec::new();
        while let Some((loc, line)) = reader.next_located() {
            match line {
                Ok(line) => {
                    let k = line.own_key().map_or(key.clone(), std::sync::Arc::from);
                    reasm.push(&k, &line, loc, None, &mut out);
                    want.extend(out.drain(..).map(|m| format!("{:?}", Ok::<_, Error>(m))));
                }
                Err(e) => want.push(format!("{:?}", Err::<Message, _>(e))),
            }
        }
        reasm.finish(&mut out);
        want.extend(out.drain(..).map(|m| format!("{:?}", Ok::<_, Error>(m))));
        prop_assert_eq!(got, want);
        prop_assert_eq!(messages.stats(), reader.stats());
    }

    #[test]
    fn timestamp_roundtrip(t in ts()) {
        let back = Timestamp::parse(&t.to_rfc3339_nano()).unwrap();
        prop_assert_eq!(back, t);
        let fixed = Timestamp::parse(&t.to_rfc3339_fixed()).unwrap();
        prop_assert_eq!(fixed, t);
    }

    #[test]
    fn json_file_roundtrip(content in "[^\\n]{0,40}", partial: bool, s in stream(), t in ts(),
                           attrs in proptest::collection::vec(("[a-z]{1,5}", ".{0,6}"), 0..3)) {
        let t = Timestamp { offset_secs: 0, ..t };
        let line = LogLine {
            format: LogFormat::JsonFile,
            time: Some(t),
            stream: s,
            content: Cow::Owned(content.into_bytes()),
            partial,
            tags: None,
            attrs: Attributes(attrs.into_iter().map(|(k, v)| (Cow::Owned(k), Cow::Owned(v))).collect()),
            source: None,
            container: None,
        };
        let text = render_json_log(&line);
        let back = parse_json_log(text.as_bytes()).unwrap();
        prop_assert_eq!(back.into_owned(), line);
    }

    #[test]
    fn cri_roundtrip(content in proptest::collection::vec(any::<u8>().prop_filter("no newline", |b| *b != b'\n'), 0..40),
                     partial: bool, s in stream(), t in ts()) {
        let line = LogLine {
            format: LogFormat::Cri,
            time: Some(t),
            stream: s,
            content: Cow::Owned(content),
            partial,
            tags: None,
            attrs: Attributes::default(),
            source: None,
            container: None,
        };
        let bytes = render_cri(&line);
        let back = parse_cri(&bytes).unwrap();
        prop_assert_eq!(back.time, line.time);
        prop_assert_eq!(&back.stream, &line.stream);
        prop_assert_eq!(back.partial, line.partial);
        prop_assert_eq!(back.content.as_ref(), line.content.as_ref());
    }

    #[test]
    fn compose_roundtrip(name in "[a-z][a-z0-9_-]{0,10}", extra in 1usize..6, payload in "[^\\x1b\\r\\n]{0,30}", colour in proptest::option::of(30u8..38)) {
        let bytes = render_compose(&name, name.len() + extra, payload.as_bytes(), colour);
        let back = parse_compose(&bytes).unwrap();
        prop_assert_eq!(back.format, LogFormat::Compose);
        prop_assert_eq!(back.source.as_deref(), Some(name.as_str()));
        prop_assert_eq!(back.content.as_ref(), payload.as_bytes());
    }

    #[test]
    fn event_roundtrip_json_and_text(
        ty in prop_oneof![Just("container"), Just("image"), Just("network"), Just("volume"), Just("plugin"), Just("weird")],
        action in prop_oneof![
            "[a-z_]{1,10}".prop_map(|s| s),
            "[a-z ()=,-]{1,20}".prop_map(|s| format!("exec_start: {s}")),
            Just("health_status: healthy".to_owned()),
        ],
        id in "[0-9a-f]{64}",
        attrs in proptest::collection::btree_map("[a-zA-Z.]{1,8}", "[a-z ,()/-]{0,8}", 0..4),
        secs in 0i64..4_000_000_000, nanos in 0u32..1_000_000_000,
    ) {
        let json = serde_json::json!({
            "Type": ty, "Action": action,
            "Actor": {"ID": id, "Attributes": attrs},
            "scope": "local", "time": secs, "timeNano": secs * 1_000_000_000 + i64::from(nanos),
        }).to_string();
        let ev = EventRecord::from_str(&json).unwrap();
        prop_assert_eq!(ev.event_type.as_str(), ty);
        prop_assert_eq!(ev.action.as_ref(), action.as_str());
        prop_assert_eq!(ev.timestamp.unwrap().nanos, nanos);
        let rendered = ev.to_json();
        let again = EventRecord::from_str(&rendered).unwrap();
        prop_assert_eq!(&again, &ev);
        let text = render_text_event(&ev);
        let t = parse_text_event(&text).unwrap();
        prop_assert_eq!(t.action.as_ref(), action.as_str());
        prop_assert_eq!(t.actor_id.as_ref(), id.as_str());
        prop_assert_eq!(t.timestamp, ev.timestamp);
        let got: Vec<(&str, &str)> = t.attributes.iter().collect();
        let want: Vec<(&str, &str)> = attrs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        prop_assert_eq!(got, want);
    }
}

proptest! {
    /// A journald entry written the way `journalctl -o json` writes one (the message as a
    /// string, or as byte values when it is not UTF-8) parses back to its message, stream,
    /// container, partial flag and time, with its other fields as attributes.
    #[test]
    fn journald_entries_parse_back(
        msg in prop::collection::vec(any::<u8>(), 0..64),
        stderr in any::<bool>(),
        container in prop::option::of("[0-9a-f]{64}"),
        partial in any::<bool>(),
        micros in 0i64..4_000_000_000_000_000,
        extra in prop::collection::btree_map("[A-Z][A-Z_]{0,8}", "[ -~]{0,12}", 0..4),
    ) {
        let mut e = serde_json::Map::new();
        e.insert("__CURSOR".into(), "s=1".into());
        e.insert("__REALTIME_TIMESTAMP".into(), micros.to_string().into());
        let message = match std::str::from_utf8(&msg) {
            Ok(s) => serde_json::Value::from(s),
            Err(_) => serde_json::Value::from(msg.clone()),
        };
        e.insert("MESSAGE".into(), message);
        e.insert("PRIORITY".into(), if stderr { "3" } else { "6" }.into());
        if let Some(c) = &container {
            e.insert("CONTAINER_ID_FULL".into(), c.clone().into());
        }
        if partial {
            e.insert("CONTAINER_PARTIAL_MESSAGE".into(), "true".into());
        }
        let extra: Vec<_> = extra
            .into_iter()
            .filter(|(k, _)| !["MESSAGE", "PRIORITY", "CONTAINER_ID", "SYSLOG_TIMESTAMP"].contains(&k.as_str()) && !k.starts_with("CONTAINER_"))
            .collect();
        for (k, v) in &extra {
            e.insert(k.clone(), v.clone().into());
        }
        let line = serde_json::Value::Object(e).to_string();
        let l = parse_journald(line.as_bytes()).unwrap();
        prop_assert_eq!(&*l.content, &msg[..]);
        let want_stream = match (&container, stderr) {
            (None, _) => Stream::Unknown,
            (Some(_), true) => Stream::Stderr,
            (Some(_), false) => Stream::Stdout,
        };
        prop_assert_eq!(l.stream, want_stream);
        prop_assert_eq!(l.container.as_deref(), container.as_deref());
        prop_assert_eq!(l.partial, partial);
        prop_assert_eq!(l.time.unwrap().unix_nanos(), Some(micros * 1000));
        for (k, v) in &extra {
            prop_assert_eq!(l.attrs.get(k), Some(v.as_str()));
        }
        prop_assert_eq!(detect_line(line.as_bytes()), LogFormat::Journald);
    }
}
