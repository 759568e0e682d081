//! A lazy `Fields` map never panics on any text, reads as deserializing the text does when
//! that succeeds, and otherwise keeps every byte of it (whole, or value by value).
#![no_main]

use libfuzzer_sys::fuzz_target;
use tripline_schema::Fields;
use tripline_schema::fields::INVALID_JSON_KEY;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let lazy = Fields::lazy(text.clone());
    let empty = lazy.is_empty();
    match serde_json::from_str::<Fields>(&text) {
        Ok(built) => {
            assert_eq!(empty, built.is_empty());
            assert_eq!(lazy, built);
        }
        Err(_) => {
            // Whole text kept under the invalid key, or (valid syntax) values kept as text:
            // either way something is there.
            assert!(!empty && lazy.iter().next().is_some());
            if let Some(kept) = lazy.get(INVALID_JSON_KEY) {
                assert_eq!(kept.as_str(), Some(text.as_str()));
            }
        }
    }
    let out = serde_json::to_string(&lazy).expect("a Fields map serializes");
    let back: Fields = serde_json::from_str(&out).expect("its JSON reads back");
    assert_eq!(back, lazy);
});
