//! Docker: json-file log lines and `docker events` JSON, parsed (and normalized) with
//! `tripline-docker`, against decoding the same lines into `serde_json::Value` (what a
//! generic JSON consumer — Fluent Bit's `docker` parser, Promtail's `docker` stage — does).

use std::time::Duration;

use tripline_docker::{EventReader, EventRecord, MessageReader, parse_json_log};

use crate::report::{Reporter, best_rate, clone_rate, value_rate};

/// Deterministic json-file lines: mostly complete lines, stdout/stderr interleaved, every
/// 50th line split into 16 KiB-style partial chunks, some escapes.
pub fn log_lines(n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let stream = if i % 7 == 3 { "stderr" } else { "stdout" };
        let frac = 100_000_000 + (i as u64 * 7_919) % 899_999_999;
        let time = format!(
            "2024-03-0{}T1{}:{:02}:{:02}.{frac}Z",
            1 + i % 9,
            i % 10,
            i % 60,
            (i / 60) % 60
        );
        let log = match i % 50 {
            0 => format!("chunk of a very long line {i} without newline "),
            10 => "GET /api/v1/items?id=42&sort=desc HTTP/1.1 \\u003cok\\u003e \\\"quoted\\\"\\n"
                .to_owned(),
            _ => format!(
                "2024/03/01 10:00:{:02} [notice] {}#{}: worker process {} started, request id {:08x}\\n",
                i % 60,
                i % 4,
                i % 4,
                1000 + i,
                i * 2_654_435_761 % 4_294_967_291
            ),
        };
        out.push(format!(
            r#"{{"log":"{log}","stream":"{stream}","time":"{time}"}}"#
        ));
    }
    out
}

/// Deterministic `docker events --format json` lines across types and actions.
pub fn event_lines(n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let id = format!(
            "{:064x}",
            (i % 41) as u128 * 0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c834
        );
        let ts = 1_700_000_000u64 + i as u64;
        let line = match i % 6 {
            0 => format!(
                r#"{{"Type":"container","Action":"start","Actor":{{"ID":"{id}","Attributes":{{"com.docker.compose.project":"shop","com.docker.compose.service":"web","image":"nginx:1.27","name":"shop-web-{}"}}}},"scope":"local","time":{ts},"timeNano":{ts}123456789}}"#,
                i % 41
            ),
            1 => format!(
                r#"{{"Type":"container","Action":"exec_start: sh -c cat /etc/shadow","Actor":{{"ID":"{id}","Attributes":{{"execID":"{:064x}","image":"nginx:1.27","name":"shop-web-{}"}}}},"scope":"local","time":{ts},"timeNano":{ts}223456789}}"#,
                i,
                i % 41
            ),
            2 => format!(
                r#"{{"Type":"container","Action":"die","Actor":{{"ID":"{id}","Attributes":{{"execDuration":"{}","exitCode":"{}","image":"nginx:1.27","name":"shop-web-{}"}}}},"scope":"local","time":{ts},"timeNano":{ts}323456789}}"#,
                i % 900,
                i % 3,
                i % 41
            ),
            3 => format!(
                r#"{{"Type":"network","Action":"connect","Actor":{{"ID":"{:064x}","Attributes":{{"container":"{id}","name":"bridge","type":"bridge"}}}},"scope":"local","time":{ts},"timeNano":{ts}423456789}}"#,
                7
            ),
            4 => format!(
                r#"{{"status":"pull","id":"alpine:3.{}","Type":"image","Action":"pull","Actor":{{"ID":"alpine:3.{}","Attributes":{{"name":"alpine"}}}},"scope":"local","time":{ts},"timeNano":{ts}523456789}}"#,
                i % 20,
                i % 20
            ),
            _ => format!(
                r#"{{"Type":"volume","Action":"mount","Actor":{{"ID":"data{}","Attributes":{{"container":"{id}","destination":"/var/lib/data","driver":"local","propagation":"","read/write":"true"}}}},"scope":"local","time":{ts},"timeNano":{ts}623456789}}"#,
                i % 9
            ),
        };
        out.push(line);
    }
    out
}

/// Runs the Docker comparisons.
pub fn run(out: &mut Reporter) {
    let min = Duration::from_secs(2);

    let logs = log_lines(50_000);
    let text = logs.join("\n");
    let n = logs.len() as f64;
    let peer = value_rate(&logs, min);
    let parse = best_rate(n, min, || {
        for l in &logs {
            let r = parse_json_log(l.as_bytes()).expect("valid");
            std::hint::black_box(&r);
        }
    });
    out.row(
        "docker json-file parse (record layer)",
        parse,
        "serde_json::Value",
        peer,
        "lines",
    );
    let assembled = best_rate(n, min, || {
        for m in MessageReader::new(text.as_bytes(), "c") {
            std::hint::black_box(&m.expect("valid"));
        }
    });
    out.row(
        "docker json-file Reader+reassembly",
        assembled,
        "serde_json::Value",
        peer,
        "lines",
    );
    let full = best_rate(n, min, || {
        for m in MessageReader::new(text.as_bytes(), "c") {
            let ev = m.expect("valid").normalize();
            std::hint::black_box(&ev);
        }
    });
    out.row(
        "docker json-file parse+reassemble+normalize",
        full,
        "serde_json::Value",
        peer,
        "lines",
    );
    // The same events, built by consuming each message (its text buffer moves into the
    // event instead of being copied), as a caller that owns the messages can.
    let consumed = best_rate(n, min, || {
        for m in MessageReader::new(text.as_bytes(), "c") {
            let ev = m.expect("valid").into_event();
            std::hint::black_box(&ev);
        }
    });
    out.row(
        "docker json-file parse+reassemble+into_event",
        consumed,
        "serde_json::Value",
        peer,
        "lines",
    );

    let events = event_lines(30_000);
    let text = events.join("\n");
    let n = events.len() as f64;
    let peer = value_rate(&events, min);
    let parse = best_rate(n, min, || {
        for l in &events {
            let r = EventRecord::from_str(l).expect("valid");
            std::hint::black_box(&r);
        }
    });
    out.row(
        "docker events parse (record layer)",
        parse,
        "serde_json::Value",
        peer,
        "lines",
    );
    // The goal's own measure: the same lines, each parsed from its string and normalized,
    // as the peer parses each from its string (the Reader row below adds the framing of a
    // byte stream, which the peer does not do).
    let lines_full = best_rate(n, min, || {
        for l in &events {
            let ev = EventRecord::from_str(l).expect("valid").normalize();
            std::hint::black_box(&ev);
        }
    });
    out.row(
        "docker events parse+normalize",
        lines_full,
        "serde_json::Value",
        peer,
        "lines",
    );
    // Not a goal row: a floor for any normalizer of these lines. Copying the finished
    // events (every heap part allocated and its bytes copied, then dropped) is what
    // building the same owned events costs before any parsing or mapping.
    let built: Vec<_> = events
        .iter()
        .map(|l| EventRecord::from_str(l).expect("valid").normalize())
        .collect();
    let floor = clone_rate(&built, min);
    drop(built);
    out.row(
        "docker events Event clone+drop (floor)",
        floor,
        "serde_json::Value",
        peer,
        "lines",
    );
    let full = best_rate(n, min, || {
        let mut r = EventReader::new(text.as_bytes());
        while let Some(rec) = r.next_record() {
            let ev = rec.expect("valid").normalize();
            std::hint::black_box(&ev);
        }
    });
    out.row(
        "docker events Reader+normalize",
        full,
        "serde_json::Value",
        peer,
        "lines",
    );
}
