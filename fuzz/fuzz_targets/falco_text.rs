#![no_main]
//! Falco text output, mixed stdout and pretty-printed JSON alerts through the streaming
//! reader: never a panic, and every line is accounted for as a record, an error, a skipped
//! line or a continuation line of a multi-line alert — with default limits and with small
//! ones, so documents cut by the line and byte limits are reached too.

use libfuzzer_sys::fuzz_target;
use tripline_falco::{Reader, Settings};

fuzz_target!(|data: &[u8]| {
    let small = Settings::default()
        .max_document_lines(6)
        .max_line_bytes(512);
    for settings in [Settings::default(), small] {
        let mut reader = Reader::with_settings(data, settings);
        while let Some(item) = reader.next_record() {
            if let Ok(record) = item {
                let _ = record.normalize();
            }
        }
        let s = reader.stats();
        assert_eq!(s.lines, s.records + s.errors + s.skipped + s.continuation);
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tripline_falco::parse_line(text);
    }
});
