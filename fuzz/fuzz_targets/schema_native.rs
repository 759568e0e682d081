//! Native JSON reading never panics, and whatever it accepts round-trips exactly and renders
//! to ECS and OCSF without panicking.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tripline_schema::Event;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(event) = Event::from_native_json(text) {
        let again = event.to_native_json();
        let back = Event::from_native_json(&again).expect("our own output reads back");
        assert_eq!(back, event);
        let _ = event.to_ecs(&Default::default());
        let _ = event.to_ocsf(&Default::default());
    }
});
