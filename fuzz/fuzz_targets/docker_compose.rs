#![no_main]
//! Compose console lines and `docker logs -t` lines: parse or error, never panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(line) = tripline_docker::parse_compose(data)
        && let Some(name) = line.source.as_deref()
    {
        let bytes = tripline_docker::render_compose(name, name.len() + 1, &line.content, None);
        let back = tripline_docker::parse_compose(&bytes).expect("own output parses");
        assert_eq!(back.source.as_deref(), Some(name));
    }
    let _ = tripline_docker::parse_timestamped(data, true);
    let mut r = tripline_docker::LogReader::new(data);
    r.by_ref().for_each(drop);
    assert!(r.stats().balanced());
});
