//! The `local` log driver reader: files written by moby's own driver, damage and
//! resynchronisation, and property tests against a small test encoder.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use serde_json::Value;
use tripline_docker::logs::local::{PARTIAL_ID, PARTIAL_LAST, PARTIAL_ORDINAL};
use tripline_docker::*;

// ---------------------------------------------------------------------------------------------
// A small encoder for tests (proto3: defaults omitted).

#[derive(Debug, Clone, PartialEq, Default)]
struct Entry {
    source: String,
    time_nano: i64,
    line: Vec<u8>,
    partial: bool,
    /// (last, id, ordinal)
    meta: Option<(bool, String, i32)>,
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

fn put_bytes(out: &mut Vec<u8>, field: u64, b: &[u8]) {
    put_varint(out, field << 3 | 2);
    put_varint(out, b.len() as u64);
    out.extend_from_slice(b);
}

/// An unknown field of a later Docker: (number, wire type, payload seed).
type Unknown = (u64, u8, u64);

fn put_unknown(out: &mut Vec<u8>, (n, wt, seed): Unknown) {
    put_varint(out, n << 3 | u64::from(wt));
    match wt {
        0 => put_varint(out, seed),
        1 => out.extend_from_slice(&seed.to_le_bytes()),
        5 => out.extend_from_slice(&(seed as u32).to_le_bytes()),
        _ => {
            let b = seed.to_le_bytes();
            put_varint(out, seed % 9);
            out.extend_from_slice(&b[..(seed % 9) as usize]);
        }
    }
}

fn encode(e: &Entry, unknown: &[Unknown]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut extra = unknown.iter();
    if !e.source.is_empty() {
        put_bytes(&mut out, 1, e.source.as_bytes());
    }
    if let Some(u) = extra.next() {
        put_unknown(&mut out, *u);
    }
    if e.time_nano != 0 {
        put_varint(&mut out, 2 << 3);
        put_varint(&mut out, e.time_nano as u64);
    }
    if !e.line.is_empty() {
        put_bytes(&mut out, 3, &e.line);
    }
    if let Some(u) = extra.next() {
        put_unknown(&mut out, *u);
    }
    if e.partial {
        out.extend_from_slice(&[4 << 3, 1]);
    }
    if let Some((last, id, ordinal)) = &e.meta {
        let mut m = Vec::new();
        if *last {
            m.extend_from_slice(&[1 << 3, 1]);
        }
        if !id.is_empty() {
            put_bytes(&mut m, 2, id.as_bytes());
        }
        if *ordinal != 0 {
            put_varint(&mut m, 3 << 3);
            // int32 is sign-extended to 64 bits on the wire.
            put_varint(&mut m, i64::from(*ordinal) as u64);
        }
        put_bytes(&mut out, 5, &m);
    }
    for u in extra {
        put_unknown(&mut out, *u);
    }
    out
}

fn frame(entry: &[u8]) -> Vec<u8> {
    let len = (entry.len() as u32).to_be_bytes();
    [&len[..], entry, &len].concat()
}

fn frames(entries: &[Entry]) -> Vec<u8> {
    entries
        .iter()
        .flat_map(|e| frame(&encode(e, &[])))
        .collect()
}

fn line(source: &str, ns: i64, text: &str) -> Entry {
    Entry {
        source: source.into(),
        time_nano: ns,
        line: text.as_bytes().to_vec(),
        ..Entry::default()
    }
}

/// What the reader made of an entry, in the test's terms.
fn entry_of(l: &LogLine<'_>) -> Entry {
    let meta = l.attrs.get(PARTIAL_ID).map(|id| {
        (
            l.attrs.get(PARTIAL_LAST) == Some("true"),
            id.to_string(),
            l.attrs
                .get(PARTIAL_ORDINAL)
                .and_then(|o| o.parse().ok())
                .unwrap_or(i32::MIN),
        )
    });
    // `partial` on the line means "more chunks follow"; the entry's flag is set on every chunk.
    let partial = l.partial || meta.as_ref().is_some_and(|m| m.0);
    assert_eq!(l.format, LogFormat::Local);
    Entry {
        source: l.stream.as_str().to_string(),
        time_nano: l
            .time
            .and_then(|t| {
                i64::try_from(i128::from(t.secs) * 1_000_000_000 + i128::from(t.nanos)).ok()
            })
            .unwrap_or(i64::MIN),
        line: l.content.to_vec(),
        partial,
        meta,
    }
}

/// Reads `data` whole: the entries and errors in order, and the stats.
fn read_all(data: &[u8], settings: Settings) -> (Vec<Result<Entry, Error>>, LocalStats) {
    let mut r = LocalReader::with_settings(data, settings);
    let mut out = Vec::new();
    while let Some(item) = r.next_record() {
        out.push(item.map(|l| entry_of(&l)));
    }
    (out, r.stats())
}

fn ok_entries(items: &[Result<Entry, Error>]) -> Vec<Entry> {
    items
        .iter()
        .filter_map(|r| r.as_ref().ok().cloned())
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Files written by moby 20.10.24's own `local` driver (see fixtures/local-driver/README.txt).

fn fixture(name: &str) -> Vec<u8> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/local-driver");
    std::fs::read(p.join(name)).unwrap()
}

fn base64(s: &str) -> Vec<u8> {
    const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = A.iter().position(|&a| a == c).expect("base64 digit") as u32;
        acc = acc << 6 | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

fn expected_entries(v: &Value) -> Vec<Entry> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let line = match (e.get("line"), e.get("line_b64")) {
                (Some(Value::String(s)), _) => s.as_bytes().to_vec(),
                (_, Some(Value::String(s))) => base64(s),
                _ => panic!("no line in {e}"),
            };
            let meta = e["partial"].as_object().map(|p| {
                (
                    p["last"].as_bool().unwrap(),
                    p["id"].as_str().unwrap().to_string(),
                    p["ordinal"].as_i64().unwrap() as i32,
                )
            });
            Entry {
                source: e["source"].as_str().unwrap().to_string(),
                time_nano: e["time_nano"].as_i64().unwrap(),
                line,
                partial: meta.is_some(),
                meta,
            }
        })
        .collect()
}

/// The entries of `files` read in order, compared field by field with `expected.json`.
fn check_fixture(files: &[&str], expected: &[Entry]) {
    let mut got = Vec::new();
    for f in files {
        let data = fixture(f);
        let (items, stats) = read_all(&data, Settings::default());
        assert!(stats.balanced(), "{f}: {stats:?}");
        assert_eq!(stats.errors, 0, "{f}: {items:?}");
        assert_eq!(stats.bytes, data.len() as u64, "{f}");
        assert_eq!(stats.entries, items.len() as u64, "{f}");
        got.extend(ok_entries(&items));
    }
    assert_eq!(got.len(), expected.len(), "{files:?}");
    for (i, (g, e)) in got.iter().zip(expected).enumerate() {
        assert_eq!(g.source, e.source, "{files:?} entry {i}");
        assert_eq!(g.time_nano, e.time_nano, "{files:?} entry {i}");
        assert_eq!(g.line, e.line, "{files:?} entry {i}");
        assert_eq!(g.partial, e.partial, "{files:?} entry {i}");
        assert_eq!(g.meta, e.meta, "{files:?} entry {i}");
    }
}

#[test]
fn moby_written_files_decode_field_by_field() {
    let expected: Value = serde_json::from_slice(&fixture("expected.json")).unwrap();
    let obj = expected.as_object().unwrap();
    assert_eq!(obj.len(), 2, "{:?}", obj.keys());
    let basic = expected_entries(&obj["basic.log"]);
    assert_eq!(basic.len(), 12);
    check_fixture(&["basic.log"], &basic);
    let (key, rotated) = obj
        .iter()
        .find(|(k, _)| k.starts_with("rotated.log"))
        .unwrap();
    let rotated = expected_entries(rotated);
    assert!(key.contains("rotated.log.1 then rotated.log"), "{key}");
    assert_eq!(rotated.len(), 40);
    check_fixture(&["rotated.log.1", "rotated.log"], &rotated);
}

#[test]
fn moby_written_partials_join_through_reassembly() {
    let data = fixture("basic.log");
    let mut r = LocalReader::from_slice(&data).messages("5f2c0c6f2b1e");
    let msgs: Vec<Message> = r.by_ref().collect::<Result<_, _>>().unwrap();
    let texts: Vec<_> = msgs.iter().map(|m| m.text_lossy().into_owned()).collect();
    // The stderr line written between the chunks completes first; the three stdout chunks
    // are one message, flushed by the chunk marked last, with the first chunk's time.
    assert_eq!(texts[5], "warn: slow query");
    assert_eq!(texts[6], "part-A part-B part-C");
    let joined = &msgs[6];
    assert_eq!((joined.chunks, joined.flush), (3, Flush::Complete));
    assert_eq!(joined.stream, Stream::Stdout);
    assert_eq!(
        joined.time.unwrap().unix_nanos(),
        Some(1_700_000_000_123_461_789)
    );
    assert_eq!(joined.attrs.get(PARTIAL_ORDINAL), Some("1"));
    assert_eq!(&*joined.container, "5f2c0c6f2b1e");
    assert_eq!(msgs.len(), 10);
    assert!(msgs.iter().all(|m| m.format == LogFormat::Local));
    assert_eq!(msgs[2].text, [0xff, 0xfe, b'x', 0, b'y']);
    assert_eq!(r.reassembly_stats().merged, 1);
    assert_eq!(r.reassembly_stats().partial_chunks, 2);
    // The large entry is one frame, one message.
    assert_eq!(msgs[8].text.len(), 16 * 1250);
    assert!(r.stats().balanced());
    // Normalized, the message names its format and keeps its location.
    let ev = joined.normalize();
    assert_eq!(ev.source.format.as_str(), "local");
    let loc = ev.location().unwrap();
    assert_eq!(
        (loc.line, loc.offset),
        (Some(6), Some(joined.location.offset))
    );
}

#[test]
fn moby_written_files_start_with_a_detectable_frame() {
    for f in ["basic.log", "rotated.log", "rotated.log.1"] {
        assert!(is_local_frame(&fixture(f), 1_000_000), "{f}");
    }
    assert!(!is_local_frame(
        br#"{"log":"x\n","stream":"stdout"}"#,
        1_000_000
    ));
    assert!(!is_local_frame(&[0, 0, 0, 0, 0, 0, 0, 0], 1_000_000));
}

// ---------------------------------------------------------------------------------------------
// Damage: one typed error each, located, then the next frame.

fn three() -> (Vec<Entry>, Vec<Vec<u8>>) {
    let e = vec![
        line("stdout", 1, "one"),
        line("stderr", 2, "two"),
        line("stdout", 3, "three"),
    ];
    let f = e.iter().map(|x| frame(&encode(x, &[]))).collect();
    (e, f)
}

/// `data` read whole must give `want` entries and exactly one error, matched by `check`.
fn one_error(data: &[u8], want: &[Entry], check: impl Fn(&Error)) -> LocalStats {
    let (items, stats) = read_all(data, Settings::default());
    let errors: Vec<_> = items.iter().filter_map(|r| r.as_ref().err()).collect();
    assert_eq!(errors.len(), 1, "{items:?}");
    check(errors[0]);
    assert_eq!(ok_entries(&items), want);
    assert!(stats.balanced(), "{stats:?}");
    assert_eq!(stats.errors, 1);
    assert_eq!(stats.entries, want.len() as u64);
    assert_eq!(stats.bytes, data.len() as u64);
    stats
}

#[test]
fn a_truncated_last_frame_is_one_error() {
    let (e, f) = three();
    let cut = f[2].len() - 3;
    let data = [&f[0][..], &f[1], &f[2][..cut]].concat();
    let at = (f[0].len() + f[1].len()) as u64;
    let stats = one_error(&data, &e[..2], |err| match err {
        Error::Frame {
            at: loc,
            damage: FrameDamage::Truncated { needed, available },
            skipped,
            snippet,
        } => {
            assert_eq!((loc.offset, loc.line), (at, 3));
            assert_eq!((*needed, *available), (f[2].len() as u64, cut as u64));
            assert_eq!(*skipped, cut as u64);
            assert!(snippet.0.starts_with("00 00 00 11 0a 06 73"), "{snippet}");
        }
        other => panic!("{other:?}"),
    });
    assert_eq!(stats.skipped_bytes, cut as u64);
    // A cut inside the length header too.
    let data = [&f[0][..], &f[1][..2]].concat();
    one_error(&data, &e[..1], |err| {
        assert!(matches!(
            err,
            Error::Frame {
                damage: FrameDamage::Truncated {
                    needed: 4,
                    available: 2
                },
                skipped: 2,
                ..
            }
        ))
    });
    // A clean end after a whole frame is no error.
    let (items, stats) = read_all(&f[0], Settings::default());
    assert_eq!((items.len(), stats.errors), (1, 0));
}

#[test]
fn an_oversized_length_is_a_limit_error_and_the_reader_resyncs() {
    let (e, f) = three();
    let junk = [0x00, 0x0f, 0x42, 0x41, 0xde, 0xad];
    let data = [&f[0][..], &junk, &f[1], &f[2]].concat();
    let stats = one_error(&data, &e, |err| match err {
        Error::Limit {
            at,
            limit: Limit::EntryBytes,
            actual,
            max,
            snippet,
        } => {
            assert_eq!(at.offset, f[0].len() as u64);
            assert_eq!((*actual, *max), (0x000f_4241, 1_000_000));
            assert!(
                snippet.0.starts_with("00 0f 42 41 de ad 00 00"),
                "{snippet}"
            );
        }
        other => panic!("{other:?}"),
    });
    assert_eq!((stats.limited, stats.skipped_bytes), (1, junk.len() as u64));
    // The limit is a setting.
    let small = Settings {
        max_entry_bytes: 10,
        ..Settings::default()
    };
    let (items, stats) = read_all(&f[2], small);
    assert!(matches!(
        items[..],
        [Err(Error::Limit {
            actual: 17,
            max: 10,
            ..
        })]
    ));
    assert_eq!((stats.limited, stats.skipped_bytes), (1, f[2].len() as u64));
}

#[test]
fn a_trailer_that_differs_is_one_error() {
    let (e, mut f) = three();
    let n = f[1].len();
    f[1][n - 1] ^= 0x01;
    let data = f.concat();
    one_error(&data, &[e[0].clone(), e[2].clone()], |err| match err {
        Error::Frame {
            at,
            damage: FrameDamage::TrailerMismatch { header, trailer },
            skipped,
            ..
        } => {
            assert_eq!(at.offset, f[0].len() as u64);
            assert_eq!((*header, *trailer), (15, 14));
            assert_eq!(*skipped, n as u64);
        }
        other => panic!("{other:?}"),
    });
}

#[test]
fn undecodable_protobuf_is_one_error_per_frame() {
    let (e, f) = three();
    let bad: &[(&[u8], &str, u64)] = &[
        // A varint that never ends.
        (&[0x10, 0xff, 0xff], "varint runs past", 0),
        // Eleven continuation bytes.
        (
            &[
                0x10, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
            ],
            "longer than 10",
            0,
        ),
        // A line longer than the entry.
        (
            &[0x0a, 0x01, b'x', 0x1a, 0x20, b'y'],
            "runs past the end",
            3,
        ),
        (&[0x5b, 0x00], "wire type 3", 0),
        (&[0x5c, 0x00], "wire type 4", 0),
        (&[0x0a, 0x01, b'x', 0x5e, 0x00], "wire type 6 or 7", 3),
        (&[0x5f, 0x00], "wire type 6 or 7", 0),
        // A fixed64 field cut short.
        (&[0x59, 1, 2, 3], "fixed-size", 0),
        // `source` as a varint.
        (&[0x08, 0x01], "wrong wire type", 0),
        // Bad metadata inside field 5.
        (&[0x2a, 0x02, 0x18, 0x80], "varint runs past", 2),
    ];
    for (entry, reason_part, pos) in bad {
        let bad_frame = frame(entry);
        let data = [&f[0][..], &bad_frame, &f[1], &f[2]].concat();
        one_error(&data, &e, |err| match err {
            Error::Frame {
                at,
                damage: FrameDamage::Protobuf { reason, position },
                skipped,
                snippet,
            } => {
                assert_eq!(at.offset, f[0].len() as u64);
                assert!(reason.contains(reason_part), "{reason} / {reason_part}");
                assert_eq!(position, pos, "{entry:?}");
                assert_eq!(*skipped, bad_frame.len() as u64);
                assert!(!snippet.0.is_empty());
                assert!(err.to_string().contains("bad protobuf"), "{err}");
            }
            other => panic!("{entry:?}: {other:?}"),
        });
        assert!(parse_local_entry(entry).is_err());
    }
}

#[test]
fn a_nul_run_is_one_error() {
    let (e, f) = three();
    let data = [&f[0][..], &[0u8; 1000], &f[1], &f[2]].concat();
    one_error(&data, &e, |err| {
        assert!(
            matches!(
                err,
                Error::Frame {
                    damage: FrameDamage::Empty,
                    skipped: 1000,
                    ..
                }
            ),
            "{err:?}"
        )
    });
    // NULs to the end of the file (a preallocated tail).
    let data = [&f[0][..], &[0u8; 77]].concat();
    one_error(&data, &e[..1], |err| {
        assert!(matches!(err, Error::Frame { skipped: 77, .. }))
    });
}

/// Damage crafted against the resync: 16-byte units whose header announces a 64 KiB entry
/// with a matching trailer 64 KiB on, and whose fields (unknown varints, the next header
/// hidden in a bytes field) decode until the entry's last byte. Every unit is a candidate
/// that decodes almost whole: without a decoding budget a 512 KiB region took 10 s. The
/// budget bounds the decoding, and the frames after the region are still read.
#[test]
fn crafted_damage_cannot_make_the_resync_decode_without_bound() {
    let l: u32 = 65_532; // ≡ -4 (mod 16): each unit's trailer is another unit's header
    let mut unit = l.to_be_bytes().to_vec();
    unit.extend_from_slice(&[0x48, 1, 0x48, 1, 0x48, 1, 0x48, 1, 0x48, 1, 0x52, 4]);
    let mut data = vec![0xff];
    while data.len() < 256 * 1024 {
        data.extend_from_slice(&unit);
    }
    let good: Vec<Entry> = (0..5)
        .map(|i| {
            line(
                "stdout",
                1_700_000_000_000_000_000 + i,
                &format!("after {i}"),
            )
        })
        .collect();
    data.extend_from_slice(&frames(&good));
    let settings = Settings::default();
    let (items, stats) = read_all(&data, settings.clone());
    assert!(stats.balanced(), "{stats:?}");
    let bound = settings.max_entry_bytes as u64 + 64 * 1024 + 4 * stats.bytes;
    assert!(stats.decoded_bytes <= bound, "{stats:?}");
    // Many candidates were tried, far fewer than one per unit.
    assert!(stats.decoded_bytes > 10 * u64::from(l), "{stats:?}");
    assert_eq!(ok_entries(&items), good);
    // The damage before them: errors only, every byte counted.
    assert!(items[..items.len() - good.len()].iter().all(Result::is_err));
}

#[test]
fn garbage_between_frames_is_skipped_and_counted() {
    let (e, f) = three();
    let garbage = b"\x00\x00\x00\x05not a frame at all \x00\x00\x00\x03abc\x00\x00\x00\x04";
    let data = [&f[0][..], garbage, &f[1], garbage, &f[2]].concat();
    let (items, stats) = read_all(&data, Settings::default());
    assert_eq!(ok_entries(&items), e);
    assert_eq!(stats.errors, 2);
    assert_eq!(stats.skipped_bytes, 2 * garbage.len() as u64);
    assert!(stats.balanced());
    // Locations: entries and errors are numbered in stream order, offsets are the frames'.
    let mut r = LocalReader::from_slice(&data);
    let mut locs = Vec::new();
    while let Some((loc, item)) = r.next_located() {
        locs.push((loc.line, loc.offset, item.is_ok()));
    }
    let g = garbage.len() as u64;
    let (a, b) = (f[0].len() as u64, f[1].len() as u64);
    assert_eq!(
        locs,
        [
            (1, 0, true),
            (2, a, false),
            (3, a + g, true),
            (4, a + g + b, false),
            (5, a + g + b + g, true)
        ]
    );
    assert_eq!(r.stats().to_stats().lines, 5);
    assert!(r.stats().to_stats().balanced());
}

/// Hands out its bytes a few at a time, with interruptions, then optionally fails.
struct Trickle<'a> {
    data: &'a [u8],
    step: usize,
    tick: usize,
    fail_at_end: bool,
}

impl Read for Trickle<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.tick += 1;
        if self.tick.is_multiple_of(5) {
            return Err(io::ErrorKind::Interrupted.into());
        }
        if self.data.is_empty() && self.fail_at_end {
            return Err(io::Error::other("disk went away"));
        }
        let n = self.step.min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        Ok(n)
    }
}

#[test]
fn a_trickling_reader_reads_what_a_slice_reads() {
    let (_, f) = three();
    let data = [&f[0][..], b"\x00\x00\x00\x09junk", &f[1], &f[2][..9]].concat();
    let (want, want_stats) = read_all(&data, Settings::default());
    for step in [1, 2, 3, 7, 64] {
        let mut r = LocalReader::new(Trickle {
            data: &data,
            step,
            tick: 0,
            fail_at_end: false,
        });
        let got: Vec<_> = r.by_ref().map(|x| x.map(|l| entry_of(&l))).collect();
        assert_eq!(format!("{got:?}"), format!("{want:?}"), "step {step}");
        assert_eq!(r.stats(), want_stats);
    }
    // An I/O error is returned once and ends the input; what was read is accounted for.
    let whole = f.concat();
    let mut r = LocalReader::new(Trickle {
        data: &whole,
        step: 5,
        tick: 0,
        fail_at_end: true,
    });
    let got: Vec<_> = r.by_ref().collect();
    assert_eq!(got.len(), 4);
    assert!(got[..3].iter().all(Result::is_ok));
    assert!(matches!(got[3], Err(Error::Io { .. })), "{:?}", got[3]);
    assert!(r.next().is_none());
    assert!(r.stats().balanced());
    assert_eq!(r.stats().errors, 1);
}

#[test]
fn partial_metadata_follows_the_journald_representation() {
    let chunk = |ord, last, text: &str| Entry {
        source: "stdout".into(),
        time_nano: 5,
        line: text.as_bytes().to_vec(),
        partial: true,
        meta: Some((last, "p1".into(), ord)),
    };
    let data = frames(&[chunk(1, false, "ab"), chunk(2, true, "cd")]);
    let lines: Vec<_> = LocalReader::from_slice(&data)
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(lines[0].partial && !lines[1].partial);
    assert_eq!(lines[0].attrs.get(PARTIAL_ID), Some("p1"));
    assert_eq!(lines[0].attrs.get(PARTIAL_ORDINAL), Some("1"));
    assert_eq!(lines[0].attrs.get(PARTIAL_LAST), Some("false"));
    assert_eq!(lines[1].attrs.get(PARTIAL_LAST), Some("true"));
    // A chunk marked partial with no metadata continues its line (moby reads last = false).
    let bare = Entry {
        partial: true,
        ..line("stderr", 9, "x")
    };
    let data = frames(&[bare, line("stderr", 10, "y")]);
    let msgs: Vec<_> = LocalReader::from_slice(&data)
        .messages("c")
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(msgs.len(), 1);
    assert_eq!((msgs[0].text.as_slice(), msgs[0].chunks), (&b"xy"[..], 2));
    // A dangling chunk at the end of the file is emitted flagged.
    let data = frames(&[chunk(1, false, "only")]);
    let msgs: Vec<_> = LocalReader::from_slice(&data)
        .messages("c")
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(msgs[0].flush, Flush::EndOfInput);
}

// ---------------------------------------------------------------------------------------------
// Properties.

fn entry() -> impl Strategy<Value = Entry> {
    (
        prop_oneof![
            Just("stdout".to_string()),
            Just("stderr".to_string()),
            Just(String::new()),
            "[a-z0-9]{1,6}",
        ],
        prop_oneof![
            Just(0i64),
            any::<i64>(),
            1_600_000_000_000_000_000i64..1_900_000_000_000_000_000
        ],
        proptest::collection::vec(any::<u8>(), 0..64),
        any::<bool>(),
        proptest::option::of((any::<bool>(), "[a-f0-9]{0,10}", any::<i32>())),
    )
        .prop_map(|(source, time_nano, line, partial, meta)| Entry {
            source,
            time_nano,
            line,
            partial,
            meta,
        })
}

fn unknown() -> impl Strategy<Value = Unknown> {
    (
        6u64..40,
        prop_oneof![Just(0u8), Just(1), Just(2), Just(5)],
        any::<u64>(),
    )
}

/// What the reader reports for an entry: partial metadata present whenever `partial` is set.
fn as_read(mut e: Entry) -> Entry {
    if e.partial && e.meta.is_none() {
        e.meta = Some((false, String::new(), 0));
    }
    e.partial = e.partial || e.meta.as_ref().is_some_and(|m| m.0);
    e
}

/// Valid frames of Docker's shape: a stream name always present, so never empty.
fn docker_entry() -> impl Strategy<Value = Entry> {
    entry().prop_map(|mut e| {
        if e.source.is_empty() {
            e.source = "stdout".into();
        }
        e
    })
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic_and_balance(
        data in proptest::collection::vec(any::<u8>(), 0..600),
        max in prop_oneof![Just(1_000_000usize), 0usize..40],
    ) {
        let settings = Settings { max_entry_bytes: max, ..Settings::default() };
        let (items, stats) = read_all(&data, settings.clone());
        prop_assert!(stats.balanced(), "{:?}", stats);
        prop_assert_eq!(stats.bytes, data.len() as u64);
        prop_assert_eq!(stats.entries + stats.errors, items.len() as u64);
        let _ = parse_local_entry(&data);
        let _ = is_local_frame(&data, max);
        let mut m = LocalReader::with_settings(&data[..], settings).messages("c");
        m.by_ref().for_each(drop);
        prop_assert!(m.stats().balanced());
    }

    #[test]
    fn frame_shaped_garbage_balances(
        parts in proptest::collection::vec(
            (0u32..24, proptest::collection::vec(any::<u8>(), 0..24), 0u32..24), 0..8),
    ) {
        let data: Vec<u8> = parts
            .iter()
            .flat_map(|(h, body, t)| [&h.to_be_bytes()[..], body, &t.to_be_bytes()].concat())
            .collect();
        let (items, stats) = read_all(&data, Settings::default());
        prop_assert!(stats.balanced(), "{:?}", stats);
        prop_assert_eq!(stats.bytes, data.len() as u64);
        prop_assert_eq!(stats.entries + stats.errors, items.len() as u64);
    }

    #[test]
    fn encoded_entries_decode_back_equal(
        entries in proptest::collection::vec((entry(), proptest::collection::vec(unknown(), 0..4)), 0..12),
    ) {
        let mut data = Vec::new();
        let mut want = Vec::new();
        for (e, unknown) in &entries {
            let enc = encode(e, unknown);
            if enc.is_empty() {
                continue; // every field default: a zero-length frame, which is damage
            }
            // One entry alone decodes too.
            let alone = parse_local_entry(&enc).map(|l| entry_of(&l));
            prop_assert_eq!(alone.ok(), Some(as_read(e.clone())));
            data.extend(frame(&enc));
            want.push(as_read(e.clone()));
        }
        let (items, stats) = read_all(&data, Settings::default());
        prop_assert_eq!(stats.errors, 0, "{:?}", items);
        prop_assert_eq!(ok_entries(&items), want);
        prop_assert!(stats.balanced());
        prop_assert_eq!(stats.entry_bytes, data.len() as u64);
    }

    #[test]
    fn corruption_is_survived_and_later_frames_are_kept(
        entries in proptest::collection::vec(docker_entry(), 2..10),
        at in any::<prop::sample::Index>(),
        kind in 0u8..3,
        junk in proptest::collection::vec(any::<u8>(), 1..40),
        cut in any::<prop::sample::Index>(),
    ) {
        let framed: Vec<Vec<u8>> = entries.iter().map(|e| frame(&encode(e, &[]))).collect();
        // Damage frame k (never the last, so something untouched follows).
        let k = at.index(framed.len() - 1);
        let mut damaged = framed[k].clone();
        match kind {
            // Junk before the frame.
            0 => damaged.splice(0..0, junk.iter().copied()).for_each(drop),
            // Bytes overwritten from a position of the frame on.
            1 => {
                let p = cut.index(damaged.len());
                for (i, b) in junk.iter().enumerate() {
                    if let Some(x) = damaged.get_mut(p + i) {
                        *x ^= b | 1;
                    }
                }
            }
            // The frame cut short.
            _ => damaged.truncate(cut.index(damaged.len() - 1) + 1),
        }
        let mut data: Vec<u8> = framed[..k].concat();
        data.extend(&damaged);
        for f in &framed[k + 1..] {
            data.extend(f);
        }
        let (items, stats) = read_all(&data, Settings::default());
        prop_assert!(stats.balanced(), "{:?}", stats);
        prop_assert_eq!(stats.bytes, data.len() as u64);
        let got = ok_entries(&items);
        let want: Vec<Entry> = entries.iter().cloned().map(as_read).collect();
        // A frame cut right before its trailer, followed by a frame of the same length: the
        // next header reads as the trailer, the cut frame is whole to the reader, and the
        // next one is lost to the damage (a coincidence no reader can see through).
        prop_assume!(!(kind == 2 && framed[k + 1].len() == framed[k].len()));
        // Everything before the damage, then every untouched frame after it, in order.
        prop_assert!(got.len() >= want.len() - 1, "{:?}", items);
        prop_assert_eq!(&got[..k], &want[..k]);
        let after = want.len() - k - 1;
        prop_assert_eq!(&got[got.len() - after..], &want[k + 1..]);
        if got.len() < want.len() {
            prop_assert!(stats.errors >= 1);
        }
    }
}

#[test]
fn a_line_parser_fixed_to_local_refuses_lines() {
    let mut p = LogParser::new(Detect::Fixed(LogFormat::Local));
    assert!(matches!(p.parse(b"hello"), Err(Error::Format { .. })));
}

// ---------------------------------------------------------------------------------------------
// Following a live file: LocalFollower.

const HEX_ID: &str = "5f2c0c6f2b1e9d8c7b6a5f4e3d2c1b0a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c";

static DIRS: AtomicU64 = AtomicU64::new(0);

/// A fresh `containers/<id>/local-logs/` directory, as Docker lays it out.
fn log_dir(name: &str) -> PathBuf {
    let n = DIRS.fetch_add(1, Ordering::Relaxed);
    let root = std::env::temp_dir().join(format!(
        "tripline-local-follow-{}-{name}-{n}",
        std::process::id()
    ));
    let _ = fs::remove_dir_all(&root);
    let d = root.join("containers").join(HEX_ID).join("local-logs");
    fs::create_dir_all(&d).unwrap();
    d
}

fn remove_log_dir(d: &Path) {
    fs::remove_dir_all(d.ancestors().nth(3).unwrap()).unwrap();
}

fn append(path: &Path, bytes: &[u8]) {
    let mut f = fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .unwrap();
    f.write_all(bytes).unwrap();
}

/// Items as comparable text; the file a message names is left out (a one-pass reader over a
/// `Read` names none).
fn render(items: &[Result<Message, Error>]) -> Vec<String> {
    items
        .iter()
        .map(|r| match r {
            Ok(m) => format!(
                "{:?}",
                Message {
                    file: None,
                    ..m.clone()
                }
            ),
            Err(e) => format!("{e:?}"),
        })
        .collect()
}

/// What `LocalMessageReader` makes of `data` in one pass, and the reader's counters.
fn one_pass(data: &[u8], settings: Settings) -> (Vec<String>, LocalStats) {
    let mut r = LocalReader::with_settings(data, settings).messages(HEX_ID);
    let items: Vec<_> = r.by_ref().collect();
    (render(&items), r.stats())
}

/// Where each frame of well-formed `data` ends.
fn frame_ends(data: &[u8]) -> Vec<u64> {
    let mut r = LocalReader::from_slice(data);
    let mut starts = Vec::new();
    while let Some((loc, item)) = r.next_located() {
        assert!(item.is_ok());
        starts.push(loc.offset);
    }
    starts.remove(0);
    starts.push(data.len() as u64);
    starts
}

fn texts(items: &[Result<Message, Error>]) -> Vec<Vec<u8>> {
    items
        .iter()
        .map(|m| m.as_ref().unwrap().text.clone())
        .collect()
}

#[test]
fn a_file_growing_in_pieces_is_read_frame_by_frame() {
    for name in ["basic.log", "rotated.log.1"] {
        let data = fixture(name);
        let (want, want_stats) = one_pass(&data, Settings::default());
        let ends = frame_ends(&data);
        let first = ends[0] as usize;
        // One byte, seven bytes, a frame and a half, … (the large entry of basic.log arrives
        // over many polls).
        let sizes = [1, 7, first + first / 2, 3, 64, 2, 500, 13, 4096];
        let dir = log_dir("pieces");
        let path = dir.join("container.log");
        fs::write(&path, b"").unwrap();
        let mut f = LocalFollower::open(&path, Start::Beginning).unwrap();
        let mut got = Vec::new();
        let mut at = 0;
        let mut polls = 0usize;
        for size in sizes.iter().cycle() {
            if at == data.len() {
                break;
            }
            let end = (at + size).min(data.len());
            append(&path, &data[at..end]);
            at = end;
            f.poll(&mut got).unwrap();
            polls += 1;
            // Every whole frame is read, the frame being written is held back: no error.
            let whole = ends.iter().take_while(|&&e| e <= at as u64).count();
            let s = f.stats();
            assert_eq!((s.entries, s.errors), (whole as u64, 0), "{name} at {at}");
            assert!(got.iter().all(Result::is_ok), "{name} at {at}");
            assert!(s.balanced(), "{s:?}");
            let resume = whole.checked_sub(1).map_or(0, |i| ends[i]);
            assert_eq!(f.checkpoint().unwrap().offset, resume, "{name} at {at}");
        }
        assert!(polls >= 9, "{name}: {polls} polls");
        f.finish(&mut got);
        assert_eq!(render(&got), want, "{name}");
        assert_eq!(f.stats(), want_stats, "{name}");
        assert_eq!((f.rotations, f.truncations), (0, 0));
        for m in &got {
            let m = m.as_ref().unwrap();
            assert_eq!(m.file.as_deref(), Some(path.as_path()));
            assert_eq!(&*m.container, HEX_ID);
        }
        remove_log_dir(&dir);
    }
}

#[test]
fn damage_in_a_growing_file_is_reported_as_the_reader_reports_it() {
    let (_, f) = three();
    let garbage = b"\x00\x00\x00\x05not a frame at all \x00\x00\x00\x03abc\x00\x00\x00\x04";
    // Docker goes on writing after the damage.
    let more: Vec<Entry> = (0..8)
        .map(|i| line("stdout", 10 + i, &format!("later {i}")))
        .collect();
    let data = [
        &f[0][..],
        garbage,
        &f[1],
        &[0u8; 40],
        &[0x00, 0x0f, 0x42, 0x41, 0xde],
        &f[2],
        &frames(&more),
    ]
    .concat();
    let (want, want_stats) = one_pass(&data, Settings::default());
    // The garbage, and the NULs with the over-long length after them: two regions.
    assert_eq!((want_stats.errors, want_stats.entries), (2, 11));
    for step in [1, 2, 5, 9, 33, data.len()] {
        let dir = log_dir("damage");
        let path = dir.join("container.log");
        let mut fl = LocalFollower::open(&path, Start::Beginning).unwrap();
        let mut got = Vec::new();
        for piece in data.chunks(step) {
            append(&path, piece);
            fl.poll(&mut got).unwrap();
            let s = fl.stats();
            assert!(s.balanced(), "{s:?}");
            // A region whose end is not known yet is neither counted nor checkpointed.
            assert_eq!(fl.checkpoint().unwrap().offset, s.bytes);
        }
        // The last frames are whole and tell where the damage ends: every item is out before
        // finishing (a scan candidate ruled out by its first fields is not waited for).
        assert_eq!(render(&got), want, "step {step}");
        fl.finish(&mut got);
        assert_eq!(render(&got), want, "step {step}");
        assert_eq!(fl.stats(), want_stats, "step {step}");
        remove_log_dir(&dir);
    }
}

#[test]
fn rotation_by_rename_loses_and_repeats_nothing() {
    let data = fixture("basic.log");
    let (want, want_stats) = one_pass(&data, Settings::default());
    let ends = frame_ends(&data);
    // Docker rotates between two writes: at every frame boundary (the partial chunks of
    // basic.log straddle some of them, and are joined across the files).
    for cut in std::iter::once(0).chain(ends.iter().map(|&e| e as usize)) {
        let dir = log_dir("rotate");
        let live = dir.join("container.log");
        fs::write(&live, &data[..cut / 2]).unwrap();
        let mut f = LocalFollower::open(&live, Start::Beginning).unwrap();
        let mut got = Vec::new();
        f.poll(&mut got).unwrap();
        // Written after the last poll: read from the old handle after the rename.
        append(&live, &data[cut / 2..cut]);
        fs::rename(&live, dir.join("container.log.1")).unwrap();
        fs::write(&live, &data[cut..]).unwrap();
        f.poll(&mut got).unwrap();
        assert_eq!(f.rotations, 1, "cut {cut}");
        f.finish(&mut got);
        assert_eq!(
            render(&got)
                .iter()
                .map(|s| strip_location(s))
                .collect::<Vec<_>>(),
            want.iter().map(|s| strip_location(s)).collect::<Vec<_>>(),
            "cut {cut}"
        );
        let s = f.stats();
        assert_eq!(
            (s.bytes, s.entries, s.entry_bytes, s.errors),
            (
                want_stats.bytes,
                want_stats.entries,
                want_stats.entry_bytes,
                0
            ),
            "cut {cut}"
        );
        // Locations are the frames' in their own file.
        let first_new = got.iter().filter_map(|m| m.as_ref().ok()).find(|m| {
            m.location.line == 1 && m.location.offset == 0 && cut > 0 && cut < data.len()
        });
        if cut > 0 && cut < data.len() {
            assert!(first_new.is_some(), "cut {cut}");
        }
        remove_log_dir(&dir);
    }
}

/// A rendered item without the item numbers of its location (a follower resumed from a
/// checkpoint numbers from there).
fn without_lines(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find("line: ") {
        out.push_str(&rest[..i]);
        rest = rest[i + 6..].trim_start_matches(|c: char| c.is_ascii_digit());
    }
    out.push_str(rest);
    out
}

/// A rendered message without its location (one pass counts offsets across the files).
fn strip_location(s: &str) -> String {
    match (s.find("location: "), s.find(", file: ")) {
        (Some(a), Some(b)) if a < b => format!("{}{}", &s[..a], &s[b..]),
        _ => s.to_string(),
    }
}

#[test]
fn a_rotation_ends_the_old_file_and_its_unfinished_frame() {
    let (e, f) = three();
    let dir = log_dir("rotate-half");
    let base = dir.join("container.log");
    fs::write(&base, [&f[0][..], &f[1][..6]].concat()).unwrap();
    let mut fl = LocalFollower::open(&base, Start::Beginning).unwrap();
    let mut got = Vec::new();
    fl.poll(&mut got).unwrap();
    assert_eq!(texts(&got), [e[0].line.clone()]);
    // The old file never gets the rest of its frame (Docker rotates between writes; a crash
    // does not): after the rename it is drained and its tail is damage, located in it.
    fs::rename(&base, dir.join("container.log.1")).unwrap();
    fs::write(&base, [&f[1][..], &f[2]].concat()).unwrap();
    fl.poll(&mut got).unwrap();
    assert_eq!(fl.rotations, 1);
    assert_eq!(got.len(), 4);
    match &got[1] {
        Err(Error::Frame {
            at,
            damage: FrameDamage::Truncated { needed, available },
            skipped,
            ..
        }) => {
            assert_eq!((at.line, at.offset), (2, f[0].len() as u64));
            assert_eq!((*needed, *available, *skipped), (f[1].len() as u64, 6, 6));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(texts(&got[2..]), [e[1].line.clone(), e[2].line.clone()]);
    assert_eq!(got[2].as_ref().unwrap().location.offset, 0);
    let s = fl.stats();
    assert!(s.balanced(), "{s:?}");
    assert_eq!((s.entries, s.errors, s.skipped_bytes), (3, 1, 6));
    remove_log_dir(&dir);
}

#[test]
fn rotated_history_is_read_oldest_first_then_the_live_file() {
    let expected: Value = serde_json::from_slice(&fixture("expected.json")).unwrap();
    let (_, rotated) = expected
        .as_object()
        .unwrap()
        .iter()
        .find(|(k, _)| k.starts_with("rotated.log"))
        .unwrap();
    let rotated = expected_entries(rotated);
    // The 2 kB rotation pair, and the same entries written with compress=true.
    for (old, old_name, live) in [
        ("rotated.log.1", "container.log.1", "rotated.log"),
        (
            "rotated-gz.log.1.gz",
            "container.log.1.gz",
            "rotated-gz.log",
        ),
    ] {
        let dir = log_dir("history");
        let base = dir.join("container.log");
        fs::write(dir.join(old_name), fixture(old)).unwrap();
        fs::write(&base, fixture(live)).unwrap();
        let mut f = LocalFollower::open(&base, Start::Beginning).unwrap();
        let mut got = Vec::new();
        f.poll(&mut got).unwrap();
        assert_eq!(got.len(), rotated.len(), "{old}");
        let want: Vec<_> = rotated.iter().map(|e| e.line.clone()).collect();
        assert_eq!(texts(&got), want, "{old}");
        let first = got[0].as_ref().unwrap();
        let last = got[got.len() - 1].as_ref().unwrap();
        assert_eq!(&*first.container, HEX_ID);
        assert_eq!(first.file.as_deref(), Some(dir.join(old_name).as_path()));
        assert_eq!(last.file.as_deref(), Some(base.as_path()));
        assert_eq!((first.location.line, first.location.offset), (1, 0));
        let live_len = fixture(live).len() as u64;
        assert_eq!(f.checkpoint().unwrap().offset, live_len);
        let s = f.stats();
        assert!(s.balanced() && s.errors == 0, "{s:?}");
        assert_eq!(s.entries, 40);
        // Then the live file grows.
        let more = fixture("basic.log");
        append(&base, &more[..111]);
        f.poll(&mut got).unwrap();
        assert_eq!(
            texts(&got[40..]),
            [
                &b"hello from web"[..],
                b"error: connect ECONNREFUSED 10.0.0.7:5432"
            ]
        );
        assert_eq!(got[41].as_ref().unwrap().location.offset, live_len + 42);
        remove_log_dir(&dir);
    }
}

#[test]
fn start_at_the_end_reads_only_what_is_written_after() {
    let dir = log_dir("end");
    let base = dir.join("container.log");
    fs::write(dir.join("container.log.1"), fixture("rotated.log.1")).unwrap();
    fs::write(&base, fixture("rotated.log")).unwrap();
    let mut f = LocalFollower::open(&base, Start::End).unwrap();
    let mut got = Vec::new();
    f.poll(&mut got).unwrap();
    assert!(got.is_empty());
    let (_, frames3) = three();
    append(&base, &frames3.concat());
    f.poll(&mut got).unwrap();
    assert_eq!(texts(&got), [&b"one"[..], b"two", b"three"]);
    assert_eq!(got[0].as_ref().unwrap().location.offset, 1638);
    remove_log_dir(&dir);
}

#[test]
fn a_checkpoint_resumes_where_the_follower_stopped() {
    let data = fixture("basic.log");
    let (want, _) = one_pass(&data, Settings::default());
    let ends = frame_ends(&data);
    // Partial chunks open after each frame (a checkpoint does not hold them).
    let mut open = Vec::new();
    let mut streams: Vec<(Stream, bool)> = Vec::new();
    for l in LocalReader::from_slice(&data) {
        let l = l.unwrap();
        streams.retain(|(s, _)| *s != l.stream);
        streams.push((l.stream.clone(), l.partial));
        open.push(streams.iter().any(|(_, p)| *p));
    }
    let mut tried = 0;
    for stop in [1, 40, 100, 200, 230, 270, 10_000, 20_466, 20_500] {
        let whole = ends.iter().take_while(|&&e| e <= stop as u64).count();
        if whole > 0 && open[whole - 1] {
            continue;
        }
        tried += 1;
        for rotate in [false, true] {
            let dir = log_dir("checkpoint");
            let base = dir.join("container.log");
            fs::write(&base, &data[..stop]).unwrap();
            let mut f = LocalFollower::open(&base, Start::Beginning).unwrap();
            let mut got = Vec::new();
            f.poll(&mut got).unwrap();
            let cp = f.checkpoint().unwrap();
            assert_eq!(cp.offset, whole.checked_sub(1).map_or(0, |i| ends[i]));
            drop(f);
            if rotate {
                // The checkpointed file was rotated while the follower was down.
                // (between two frames, as Docker rotates).
                let split = *ends.iter().find(|&&e| e as usize >= stop).unwrap() as usize;
                append(&base, &data[stop..split]);
                fs::rename(&base, dir.join("container.log.1")).unwrap();
                fs::write(&base, &data[split..]).unwrap();
            } else {
                append(&base, &data[stop..]);
            }
            let mut g = LocalFollower::open(&base, Start::Checkpoint(cp)).unwrap();
            g.poll(&mut got).unwrap();
            g.finish(&mut got);
            let got: Vec<_> = render(&got).iter().map(|s| strip_location(s)).collect();
            let want: Vec<_> = want.iter().map(|s| strip_location(s)).collect();
            assert_eq!(got, want, "stop {stop}, rotate {rotate}");
            assert!(g.stats().balanced());
            assert_eq!(g.stats().errors, 0);
            remove_log_dir(&dir);
        }
    }
    assert!(tried >= 6, "{tried}");
}

#[test]
fn a_truncated_file_is_read_again_from_its_start() {
    let dir = log_dir("truncate");
    let base = dir.join("container.log");
    let basic = fixture("basic.log");
    let rotated = fixture("rotated.log");
    fs::write(&base, &basic).unwrap();
    let mut f = LocalFollower::open(&base, Start::Beginning).unwrap();
    let mut got = Vec::new();
    f.poll(&mut got).unwrap();
    assert_eq!(got.len(), 10);
    // Half a frame is being written when the file is copied and truncated.
    append(&base, &rotated[..10]);
    f.poll(&mut got).unwrap();
    assert_eq!(got.len(), 10);
    fs::OpenOptions::new()
        .write(true)
        .open(&base)
        .unwrap()
        .set_len(0)
        .unwrap();
    append(&base, &rotated);
    f.poll(&mut got).unwrap();
    assert_eq!(f.truncations, 1);
    // The half frame ended with its file: one error, located; then the new content from 0.
    match &got[10] {
        Err(Error::Frame {
            at,
            damage: FrameDamage::Truncated { needed, available },
            skipped,
            ..
        }) => {
            assert_eq!(at.offset, basic.len() as u64);
            assert_eq!((*needed, *available, *skipped), (91, 10, 10));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(got.len(), 11 + 18);
    let first = got[11].as_ref().unwrap();
    assert_eq!((first.location.line, first.location.offset), (1, 0));
    let s = f.stats();
    assert!(s.balanced(), "{s:?}");
    assert_eq!(s.bytes, (basic.len() + 10 + rotated.len()) as u64);
    assert_eq!((s.entries, s.errors, s.skipped_bytes), (12 + 18, 1, 10));
    remove_log_dir(&dir);
}

#[test]
fn finishing_with_half_a_frame_is_one_located_truncation() {
    let (e, f) = three();
    for (cut, needed) in [(9, f[2].len() as u64), (2, 4)] {
        let dir = log_dir("finish");
        let base = dir.join("container.log");
        let mut fl = LocalFollower::open(&base, Start::Beginning).unwrap();
        let mut got = Vec::new();
        append(&base, &[&f[0][..], &f[1], &f[2][..cut]].concat());
        fl.poll(&mut got).unwrap();
        assert_eq!(got.len(), 2);
        assert!(got.iter().all(Result::is_ok));
        fl.poll(&mut got).unwrap();
        assert_eq!(got.len(), 2);
        fl.finish(&mut got);
        assert_eq!(got.len(), 3);
        let at = (f[0].len() + f[1].len()) as u64;
        match &got[2] {
            Err(Error::Frame {
                at: loc,
                damage:
                    FrameDamage::Truncated {
                        needed: n,
                        available,
                    },
                skipped,
                ..
            }) => {
                assert_eq!((loc.line, loc.offset), (3, at));
                assert_eq!((*n, *available, *skipped), (needed, cut as u64, cut as u64));
            }
            other => panic!("{other:?}"),
        }
        let s = fl.stats();
        assert!(s.balanced(), "{s:?}");
        assert_eq!((s.bytes, s.entries, s.errors), (at + cut as u64, 2, 1));
        assert_eq!(texts(&got[..2]), [e[0].line.clone(), e[1].line.clone()]);
        remove_log_dir(&dir);
    }
}

#[test]
fn open_partials_flush_on_exit_idle_and_finish() {
    let data = fixture("basic.log");
    let ends = frame_ends(&data);
    // Up to the first chunk of the three-chunk stdout line.
    let upto = ends[5] as usize;
    for how in ["exit", "idle", "finish"] {
        let dir = log_dir("flush");
        let base = dir.join("container.log");
        fs::write(&base, &data[..upto]).unwrap();
        let mut f = LocalFollower::open(&base, Start::Beginning).unwrap();
        let mut got = Vec::new();
        f.poll(&mut got).unwrap();
        assert_eq!(got.len(), 5);
        let flush = match how {
            "exit" => {
                f.container_exit(&HEX_ID[..12], &mut got);
                Flush::ContainerExit
            }
            "idle" => {
                f.flush_idle(Timestamp::from_unix(1_700_000_000, 0), &mut got);
                assert_eq!(got.len(), 5, "not idle yet");
                f.flush_idle(Timestamp::from_unix(1_700_000_100, 0), &mut got);
                Flush::Idle
            }
            _ => {
                f.finish(&mut got);
                Flush::EndOfInput
            }
        };
        assert_eq!(got.len(), 6, "{how}");
        let m = got[5].as_ref().unwrap();
        assert_eq!((m.text.as_slice(), m.flush), (&b"part-A "[..], flush));
        assert!(m.is_dangling());
        remove_log_dir(&dir);
    }
}

proptest! {
    #[test]
    fn a_follower_fed_in_pieces_reads_what_one_pass_reads(
        parts in proptest::collection::vec(
            prop_oneof![
                3 => docker_entry().prop_map(|e| frame(&encode(&e, &[]))),
                1 => proptest::collection::vec(any::<u8>(), 0..24),
                1 => (0u32..40).prop_map(|n| n.to_be_bytes().to_vec()),
            ],
            0..12,
        ),
        pieces in proptest::collection::vec(1usize..40, 1..8),
        max in prop_oneof![Just(1_000_000usize), 0usize..40],
        stop in any::<prop::sample::Index>(),
    ) {
        let data = parts.concat();
        // No idle flushing: the newest event time a reassembler has seen is not part of a
        // checkpoint (a resumed follower may flush a partial as idle that one pass keeps).
        let settings = Settings {
            max_entry_bytes: max,
            partial_idle_ns: i64::MAX,
            ..Settings::default()
        };
        let (want, want_stats) = one_pass(&data, settings.clone());
        let dir = log_dir("prop");
        let base = dir.join("container.log");
        let mut f = LocalFollower::with_settings(&base, Start::Beginning, settings.clone()).unwrap();
        let mut got = Vec::new();
        let mut at = 0;
        // A checkpoint taken after one of the polls, with what was out by then.
        let polls = data.len().div_ceil(pieces.iter().sum::<usize>()) * pieces.len();
        let stop = stop.index(polls.max(1));
        let mut cp = None;
        for (i, size) in pieces.iter().cycle().enumerate() {
            if at == data.len() {
                break;
            }
            let end = (at + size).min(data.len());
            append(&base, &data[at..end]);
            at = end;
            f.poll(&mut got).unwrap();
            let s = f.stats();
            prop_assert!(s.balanced());
            prop_assert_eq!(f.checkpoint().unwrap().offset, s.bytes);
            if i == stop {
                cp = Some((f.checkpoint().unwrap(), got.len()));
            }
        }
        f.finish(&mut got);
        prop_assert_eq!(render(&got), want.clone());
        prop_assert_eq!(f.stats(), want_stats);
        prop_assert_eq!(f.stats().bytes, data.len() as u64);
        // Resuming from the checkpoint reads the rest: with what was out before it, one
        // pass again (item numbers restart at the resume point). Unless a partial message
        // was open at the checkpoint: its chunks before it are not part of a checkpoint.
        let spans = |(cp, n): &(Checkpoint, usize)| {
            got[*n..].iter().flatten().any(|m| m.location.offset < cp.offset)
        };
        if let Some((cp, n)) = cp.filter(|c| !spans(c)) {
            let mut g = LocalFollower::with_settings(&base, Start::Checkpoint(cp), settings).unwrap();
            let mut rest = Vec::new();
            g.poll(&mut rest).unwrap();
            g.finish(&mut rest);
            let mut union = render(&got[..n]);
            union.extend(render(&rest));
            let strip = |v: &[String]| v.iter().map(|s| without_lines(s)).collect::<Vec<_>>();
            prop_assert_eq!(strip(&union), strip(&want));
            prop_assert_eq!(g.stats().bytes, data.len() as u64 - cp.offset);
        }
        remove_log_dir(&dir);
    }
}
