//! A whole Tracee stream: counts must balance whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tripline_tracee::schema::FieldSource;
use tripline_tracee::{Normalizer, Reader};

fuzz_target!(|data: &[u8]| {
    let mut reader = Reader::new(std::io::Cursor::new(data));
    let n = Normalizer::default();
    while let Some(r) = reader.next_record() {
        if let Ok(r) = r {
            let _ = n.normalize(&r);
            for name in r.field_names() {
                let _ = r.field(&name);
            }
        }
    }
    assert!(reader.counts().balanced());
});
