//! The streaming reader over a mixed Falco stdout: alerts of both renderings, skipped
//! non-alert lines by kind, located errors, limits, and the accounting invariant.

use std::io::{self, BufRead, BufReader, Read};

use tripline_falco::{Error, Priority, Reader, Record, Settings, TextTime};

fn fixture(name: &str) -> String {
    let path = tripline_testkit::fixture(env!("CARGO_MANIFEST_DIR"), &format!("fixtures/{name}"));
    std::fs::read_to_string(path).unwrap()
}

#[test]
fn mixed_stdout_is_classified_line_by_line() {
    let text = fixture("stdout_mixed.txt");
    let mut r = Reader::new(text.as_bytes());
    let mut records = Vec::new();
    let mut errors = Vec::new();
    while let Some(item) = r.next_record() {
        match item {
            Ok(rec) => records.push(rec.into_owned()),
            Err(e) => errors.push(e),
        }
    }
    assert_eq!(records.len(), 4);
    let Record::Text(t) = &records[0] else {
        panic!()
    };
    assert_eq!(t.time, TextTime::LocalTimeOfDay(7_921_123_456_789));
    assert_eq!(t.get("command"), Some("cat /etc/shadow"));
    let Record::Json(j) = &records[1] else {
        panic!()
    };
    assert_eq!(j.rule, "Run shell untrusted");
    let Record::Text(t) = &records[2] else {
        panic!()
    };
    assert_eq!(t.internal, Some(tripline_falco::Internal::SyscallDrop));
    assert_eq!(
        t.time.absolute().unwrap().unix_nanos(),
        1_764_209_523_000_000_000
    );
    assert_eq!(t.get("n_drops"), Some("12"));
    let Record::Text(t) = &records[3] else {
        panic!()
    };
    assert_eq!(t.host.as_deref(), Some("lab-node-1"));
    assert_eq!(t.priority, Priority::Error);
    assert_eq!(
        t.title,
        "File below a known binary directory opened for writing"
    );
    assert_eq!(t.get("container_id"), Some("3c1a3e5f9b2d"));

    assert_eq!(errors.len(), 2);
    assert!(matches!(&errors[0], Error::BadPriority { snippet, .. } if snippet == "Loud"));
    assert_eq!(errors[0].location().line, 13);
    let offset13: usize = text.lines().take(12).map(|l| l.len() + 1).sum();
    assert_eq!(errors[0].location().offset, offset13 as u64);
    assert!(matches!(&errors[1], Error::Json { .. }));
    assert_eq!(errors[1].location().line, 14);

    let s = r.stats();
    assert_eq!(s.lines, 23);
    assert_eq!(s.lines, s.records + s.errors + s.skipped + s.continuation);
    assert_eq!((s.records, s.json, s.text, s.errors), (4, 1, 3, 2));
    assert_eq!(s.skipped_logger, 6);
    assert_eq!(s.skipped_banner, 1);
    assert_eq!(s.skipped_blank, 1);
    assert_eq!(s.skipped_summary, 9);
    assert_eq!(s.skipped_other, 0);
    assert_eq!(s.events_detected, Some(3));
}

#[test]
fn iterator_yields_owned_records_and_crlf_is_accepted() {
    let input = "02:12:01.1: Notice a (k=v)\r\n02:12:02.2: Debug b\r\n";
    let recs: Vec<_> = Reader::new(input.as_bytes())
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(recs.len(), 2);
    let Record::Text(t) = &recs[0] else { panic!() };
    assert_eq!(t.get("k"), Some("v"));
    assert_eq!(t.time, TextTime::LocalTimeOfDay(7_921_100_000_000));
    let Record::Text(t) = &recs[1] else { panic!() };
    assert_eq!(t.message, "b");
}

#[test]
fn long_lines_are_errors_and_the_stream_goes_on() {
    let long = format!(
        "02:12:01.1: Notice {}\n02:12:02.2: Debug ok\n",
        "x".repeat(5000)
    );
    let mut r = Reader::with_settings(long.as_bytes(), Settings::default().max_line_bytes(1000));
    match r.next_record() {
        Some(Err(Error::LineTooLong {
            len,
            limit,
            snippet,
            at,
        })) => {
            assert_eq!((len, limit, at.line, at.offset), (5019, 1000, 1, 0));
            assert!(snippet.len() <= tripline_falco::SNIPPET_MAX);
        }
        other => panic!("{other:?}"),
    }
    let Some(Ok(Record::Text(t))) = r.next_record() else {
        panic!()
    };
    assert_eq!(t.message, "ok");
    assert!(r.next_record().is_none());
    assert_eq!(r.stats().lines_too_long, 1);
    assert_eq!(r.stats().lines, 2);
}

#[test]
fn text_pair_limit_is_counted() {
    let input = "02:12:01.1: Notice m (a=1 b=2 c=3 d=4)\n";
    let mut r = Reader::with_settings(input.as_bytes(), Settings::default().max_text_pairs(2));
    let Some(Ok(Record::Text(t))) = r.next_record() else {
        panic!()
    };
    assert_eq!(t.pairs.len(), 2);
    assert_eq!(r.stats().text_pairs_truncated, 2);
}

#[test]
fn invalid_utf8_lines_are_read_lossily_and_counted() {
    let mut input = b"02:12:01.1: Notice caf".to_vec();
    input.push(0xe9);
    input.extend_from_slice(b" (user=r\xffoot)\n");
    let mut r = Reader::new(&input[..]);
    let Some(Ok(Record::Text(t))) = r.next_record() else {
        panic!()
    };
    assert_eq!(t.get("user"), Some("r\u{FFFD}oot"));
    assert_eq!(r.stats().invalid_utf8, 1);
}

/// A reader that fails after some bytes.
struct Failing(usize);

impl Read for Failing {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.0 == 0 {
            return Err(io::Error::other("disk on fire"));
        }
        let line = b"02:12:01.1: Notice ok\n";
        let n = line.len().min(buf.len());
        buf[..n].copy_from_slice(&line[..n]);
        self.0 -= 1;
        Ok(n)
    }
}

#[test]
fn io_errors_end_the_stream_after_one_err() {
    let inner: Box<dyn BufRead> = Box::new(BufReader::new(Failing(1)));
    let mut r = Reader::new(inner);
    assert!(matches!(r.next_record(), Some(Ok(_))));
    assert!(matches!(r.next_record(), Some(Err(Error::Io { .. }))));
    assert!(r.next_record().is_none());
    let s = r.stats();
    assert_eq!(s.lines, s.records + s.errors + s.skipped + s.continuation);
}

#[test]
fn glued_events_detected_summary_is_split_off() {
    let input =
        "17:48:41.067076000: Warning user=eks verb=get resource=configmapsEvents detected: 1\n";
    let mut r = Reader::new(input.as_bytes());
    let Some(Ok(Record::Text(t))) = r.next_record() else {
        panic!()
    };
    assert_eq!(t.get("resource"), Some("configmaps"));
    assert_eq!(t.events_detected, Some(1));
    assert_eq!(r.stats().events_detected, Some(1));
}

/// Every record of a reader, in order, with the errors.
fn read_all(text: &str, settings: Settings) -> (Vec<Record<'static>>, Vec<Error>, Reader<&[u8]>) {
    let mut r = Reader::with_settings(text.as_bytes(), settings);
    let (mut records, mut errors) = (Vec::new(), Vec::new());
    while let Some(item) = r.next_record() {
        match item {
            Ok(rec) => records.push(rec.into_owned()),
            Err(e) => errors.push(e),
        }
    }
    (records, errors, r)
}

#[test]
fn pretty_printed_alerts_read_as_their_compact_lines() {
    let pretty = fixture("pretty_alerts.json");
    let compact = fixture("pretty_alerts.compact.json");
    let (ours, errors, r) = read_all(&pretty, Settings::default());
    assert!(errors.is_empty(), "{errors:?}");
    let (want, _, _) = read_all(&compact, Settings::default());
    assert_eq!(ours.len(), 3);
    assert_eq!(ours, want);
    // Braces and escaped quotes inside strings did not end the document early.
    let Record::Json(a) = &ours[0] else { panic!() };
    assert_eq!(
        a.output_field("proc.cmdline").and_then(|v| v.as_str()),
        Some("cat \"/etc/shadow\" }")
    );
    let s = r.stats();
    assert_eq!(s.lines, 42);
    assert_eq!((s.records, s.json, s.errors, s.skipped), (3, 3, 0, 2));
    // 42 lines: the banner, the summary, the compact alert and the first line of each
    // pretty alert; the rest continue those two.
    assert_eq!(s.continuation, 42 - 5);
    assert_eq!(s.lines, s.records + s.errors + s.skipped + s.continuation);
    assert_eq!(s.events_detected, Some(3));
}

#[cfg(feature = "schema")]
#[test]
fn a_pretty_printed_alert_keeps_its_first_line_and_whole_text() {
    let pretty = fixture("pretty_alerts.json");
    let mut r = Reader::new(pretty.as_bytes());
    let opts = tripline_falco::NormalizeOptions::default();
    let ev = r.next_event(&opts).unwrap().unwrap();
    let raw = ev.raw.as_ref().unwrap();
    assert_eq!(raw.location.as_ref().unwrap().line, Some(2));
    assert_eq!(raw.location.as_ref().unwrap().offset, Some(31));
    assert!(raw.text.starts_with("{\n  \"hostname\""));
    assert!(raw.text.ends_with("\n}"));
    let second = r.next_event(&opts).unwrap().unwrap();
    let second_at = pretty.lines().take(23).map(|l| l.len() + 1).sum::<usize>();
    assert_eq!(second.location().unwrap().line, Some(24));
    assert_eq!(
        second.location().unwrap().offset,
        Some(second_at as u64),
        "the second alert starts after the first one's 22 lines"
    );
}

#[test]
fn an_unclosed_pretty_alert_is_one_located_error() {
    let pretty = fixture("pretty_alerts.json");
    // Cut inside the second alert: the first reads, the second is one error at its first
    // line, and nothing after it is lost (there is nothing).
    let cut: String = pretty.lines().take(25).map(|l| format!("{l}\n")).collect();
    let (records, errors, r) = read_all(&cut, Settings::default());
    assert_eq!(records.len(), 1);
    assert_eq!(errors.len(), 1);
    assert!(
        matches!(&errors[0], Error::Unterminated { lines: 2, snippet, .. } if snippet.starts_with('{')),
        "{:?}",
        errors[0]
    );
    assert_eq!(errors[0].location().line, 24);
    let s = r.stats();
    assert_eq!(s.lines, 25);
    assert_eq!(s.lines, s.records + s.errors + s.skipped + s.continuation);
}

#[test]
fn a_pretty_alert_past_the_line_limit_is_an_error_and_reading_goes_on() {
    let pretty = fixture("pretty_alerts.json");
    let (records, errors, r) = read_all(&pretty, Settings::default().max_document_lines(5));
    assert!(matches!(&errors[0], Error::Unterminated { lines: 5, .. }));
    assert_eq!(errors[0].location().line, 2);
    // The rest of the first alert's lines are read as lines again (skipped and counted),
    // and the compact alert after the pretty ones still reads.
    let Record::Json(last) = records.last().unwrap() else {
        panic!()
    };
    assert_eq!(last.rule, "Terminal shell in container");
    let s = r.stats();
    assert_eq!(s.lines, 42);
    assert!(s.skipped_other > 0);
    assert_eq!(s.lines, s.records + s.errors + s.skipped + s.continuation);
}

#[test]
fn a_pretty_alert_past_the_byte_limit_is_too_long() {
    let pretty = fixture("pretty_alerts.json");
    let (_, errors, r) = read_all(&pretty, Settings::default().max_line_bytes(300));
    assert!(
        matches!(&errors[0], Error::LineTooLong { limit: 300, .. }),
        "{:?}",
        errors[0]
    );
    assert_eq!(errors[0].location().line, 2);
    let s = r.stats();
    assert_eq!(s.lines, s.records + s.errors + s.skipped + s.continuation);
}

#[test]
fn a_lone_brace_before_a_compact_alert_does_not_swallow_it() {
    let text = "{\n{\"time\":\"2024-05-07T18:54:19.341081180Z\",\"rule\":\"R\",\"priority\":\"Warning\"}\n";
    let (records, errors, r) = read_all(text, Settings::default());
    assert_eq!(records.len(), 1);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].location().line, 1);
    assert_eq!(r.stats().continuation, 0);
}
