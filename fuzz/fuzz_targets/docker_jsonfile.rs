#![no_main]
//! json-file and journald (`journalctl -o json`) lines: parse or error, never panic; accepted
//! json-file lines re-render and re-parse to the same content; reassembly over arbitrary
//! input never loses a line.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = tripline_docker::parse_json_log(data) {
        let text = tripline_docker::render_json_log(&line);
        let back = tripline_docker::parse_json_log(text.as_bytes()).expect("own output parses");
        assert_eq!(back.partial, line.partial);
        if std::str::from_utf8(&line.content).is_ok() {
            assert_eq!(back.content, line.content);
        }
    }
    if let Ok(line) = tripline_docker::parse_journald(data) {
        assert_eq!(line.format, tripline_docker::LogFormat::Journald);
    }
    let mut r = tripline_docker::LogReader::new(data);
    r.by_ref().for_each(drop);
    assert!(r.stats().balanced());
    for m in tripline_docker::MessageReader::new(data, "c").flatten() {
        let _ = m.normalize();
    }
});
