#![no_main]
//! Falco JSON alerts: any bytes parse to an alert or an error, never a panic; accepted alerts
//! survive a serialize → parse round trip and normalization.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(alert) = tripline_falco::from_slice(data) {
        let json = alert.to_json();
        let back = tripline_falco::from_str(&json).expect("own output parses");
        assert_eq!(back.time, alert.time);
        assert_eq!(back.rule, alert.rule);
        let _ = alert.normalize();
    }
});
