#![no_main]
//! CRI lines: parse or error, never panic; accepted lines re-render and re-parse equal.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = tripline_docker::parse_cri(data) {
        let bytes = tripline_docker::render_cri(&line);
        let back = tripline_docker::parse_cri(&bytes).expect("own output parses");
        assert_eq!(back.time, line.time);
        assert_eq!(back.partial, line.partial);
        assert_eq!(back.content, line.content);
    }
    let _ = tripline_docker::parse_log_line(data);
});
