#![no_main]
//! Falco text output and mixed stdout through the streaming reader: never a panic, and every
//! line is accounted for as a record, an error or a skipped line.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader = tripline_falco::Reader::new(data);
    while let Some(item) = reader.next_record() {
        if let Ok(record) = item {
            let _ = record.normalize();
        }
    }
    let s = reader.stats();
    assert_eq!(s.lines, s.records + s.errors + s.skipped);
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = tripline_falco::parse_line(text);
    }
});
