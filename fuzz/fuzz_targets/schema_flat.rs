//! `FlatEvent` parsing never panics, accepts exactly what `serde_json` accepts, and answers
//! every field `serde_json::Value` lists as the value does.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tripline_schema::{FieldName, FieldSource, FlatEvent};

fuzz_target!(|data: &[u8]| {
    let flat = FlatEvent::from_slice(data);
    let value = serde_json::from_slice::<serde_json::Value>(data);
    assert_eq!(flat.is_ok(), value.is_ok());
    if let (Ok(flat), Ok(value)) = (flat, value) {
        for name in value.field_names() {
            let name: &str = &name;
            assert_eq!(flat.field(name), value.field(name));
            assert_eq!(flat.field_by(&FieldName::new(name)), value.field(name));
        }
    }
});
