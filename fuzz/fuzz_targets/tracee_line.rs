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
    let _ = Normalizer::default().normalize(&r);
});
