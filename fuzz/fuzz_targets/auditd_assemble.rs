//! Fuzzes event assembly (small limits so eviction and splitting paths run) and
//! normalization.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tripline_auditd::{Settings, StrEvents};

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut settings = Settings::default();
    settings.max_in_flight = 4;
    settings.max_records_per_event = 8;
    settings.eoe_timeout_secs = 1;
    // Half the inputs read as a kernel log: lines that are not records skipped, not errors.
    settings.skip_foreign_lines = data.first().is_some_and(|b| b & 1 == 1);
    for compat in [false, true] {
        let s = if compat {
            Settings::ausearch_3_0_9()
        } else {
            settings.clone()
        };
        let mut events = StrEvents::with_settings(&text, s);
        let mut records = 0u64;
        for ev in events.by_ref().flatten() {
            records += ev.len() as u64;
            let _ = ev.execve_args();
            let _ = tripline_auditd::normalize(&ev);
        }
        assert_eq!(
            records + events.assembler_stats().orphan_eoe,
            events.reader_stats().records
        );
        assert!(events.reader_stats().balanced());
    }
});
