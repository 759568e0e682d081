#![no_main]
//! `local` log driver frames: read or error, never panic; every byte accounted for; a reader
//! fed a few bytes at a time reads exactly what the slice reader reads; reassembly over
//! arbitrary input balances too.

use std::io::Read;

use libfuzzer_sys::fuzz_target;
use tripline_docker::{LocalReader, Settings, is_local_frame, parse_local_entry};

/// Hands out its bytes `step` at a time.
struct Chunks<'a> {
    data: &'a [u8],
    step: usize,
}

impl Read for Chunks<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

fuzz_target!(|data: &[u8]| {
    let _ = parse_local_entry(data);
    let _ = is_local_frame(data, 1_000_000);
    // The first byte picks a small entry limit and a read size for the chunked reader.
    let knob = data.first().copied().unwrap_or(0);
    for max in [1_000_000, usize::from(knob % 64)] {
        let settings = Settings {
            max_entry_bytes: max,
            ..Settings::default()
        };
        let mut r = LocalReader::with_settings(data, settings.clone());
        let items: Vec<_> = r.by_ref().collect();
        let stats = r.stats();
        assert!(stats.balanced(), "{stats:?}");
        assert_eq!(stats.bytes, data.len() as u64);
        assert_eq!(stats.entries + stats.errors, items.len() as u64);
        let step = usize::from(knob % 13) + 1;
        let mut c = LocalReader::with_settings(Chunks { data, step }, settings.clone());
        let chunked: Vec<_> = c.by_ref().collect();
        assert_eq!(format!("{chunked:?}"), format!("{items:?}"), "step {step}");
        assert_eq!(c.stats(), stats);
        let mut m = LocalReader::with_settings(data, settings).messages("c");
        let n = m.by_ref().count();
        assert!(m.stats().balanced());
        assert!(n as u64 >= stats.errors);
    }
});
