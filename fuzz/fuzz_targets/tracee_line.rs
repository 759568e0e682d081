//! One Tracee line or document through every decoder, accessor and the normalizer.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tripline_tracee::{Normalizer, Record, Settings};

fuzz_target!(|data: &[u8]| {
    let Ok(r) = tripline_tracee::from_slice(data) else {
        return;
    };
    let _ = r.time_ns(&Settings::default());
    if let Record::Trace(e) = &r {
        for a in &e.args {
            let _ = (
                a.as_str(),
                a.as_i64(),
                a.as_u64(),
                a.as_str_list(),
                a.as_bytes(),
            );
            let _ = (a.as_sockaddr(), a.value());
        }
        if let Ok(Some(t)) = e.triggered_by() {
            let _ = Normalizer::default().trace(&t);
        }
    }
    let ev = Normalizer::default().normalize(&r);
    // `unmapped.tracee` is written as JSON text: it must always read back as an object
    // (a text the reader cannot take would land under the invalid key).
    if let Some(t) = ev.unmapped.get("tracee").and_then(|f| f.as_map()) {
        assert!(
            !t.contains_key(tripline_schema::fields::INVALID_JSON_KEY),
            "unreadable unmapped text: {t:?}"
        );
    }
    let _ = serde_json::to_string(&ev).expect("an event serializes");
});
