#![no_main]
//! Docker events (JSON of any era, json-seq, text lines): any bytes parse or error, never
//! panic; accepted events survive a JSON round trip; the reader accounts for every line.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(ev) = tripline_docker::parse_event(data) {
        let json = ev.to_json();
        let back = tripline_docker::EventRecord::from_str(&json).expect("own output parses");
        assert_eq!(back.action, ev.action);
        assert_eq!(back.actor_id, ev.actor_id);
        let _ = tripline_docker::render_text_event(&ev);
        let _ = ev.normalize();
    }
    let mut r = tripline_docker::EventReader::new(data);
    r.by_ref().for_each(drop);
    assert!(r.stats().balanced());
});
