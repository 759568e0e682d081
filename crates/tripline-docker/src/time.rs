//! Timestamps as Docker writes them (RFC 3339 with 0–9 fraction digits, `Z` or an offset) and
//! the `--since`/`--until` argument forms of the Docker CLI.

use std::cell::Cell;
use std::fmt;

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::Error;

/// A point in time with nanosecond precision and the UTC offset it was written with.
///
/// Stored as seconds + nanoseconds so that Go's zero time (`0001-01-01T00:00:00Z`, which
/// json-file writes for zero-valued entries) is representable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Timestamp {
    /// Seconds since the Unix epoch (UTC).
    pub secs: i64,
    /// Nanoseconds within the second, `0..1_000_000_000`.
    pub nanos: u32,
    /// The offset from UTC in seconds the text carried (`0` for `Z`); not part of the instant
    /// but kept so output can be written the way it came in.
    pub offset_secs: i32,
}

impl Timestamp {
    /// The instant `secs.nanos` after the epoch, written in UTC.
    pub fn from_unix(secs: i64, nanos: u32) -> Self {
        Timestamp {
            secs: secs + i64::from(nanos / 1_000_000_000),
            nanos: nanos % 1_000_000_000,
            offset_secs: 0,
        }
    }

    /// The instant `ns` nanoseconds after the epoch, in UTC.
    pub fn from_unix_nanos(ns: i64) -> Self {
        Timestamp {
            secs: ns.div_euclid(1_000_000_000),
            nanos: ns.rem_euclid(1_000_000_000) as u32,
            offset_secs: 0,
        }
    }

    /// Nanoseconds since the epoch, `None` outside 1677–2262.
    pub fn unix_nanos(&self) -> Option<i64> {
        self.secs
            .checked_mul(1_000_000_000)?
            .checked_add(i64::from(self.nanos))
    }

    /// Nanoseconds since the epoch, saturating at the `i64` range (for ordering and windows).
    pub fn unix_nanos_saturating(&self) -> i64 {
        self.unix_nanos()
            .unwrap_or(if self.secs < 0 { i64::MIN } else { i64::MAX })
    }

    /// The instant as a chrono UTC time.
    // Inlined: returned through memory, the result was written in 4-byte pieces and read
    // back in 8-byte ones (a store-forwarding stall in normalization, perf).
    #[inline]
    pub fn to_datetime(&self) -> Option<DateTime<Utc>> {
        // `DateTime::from_timestamp` split in two: the calendar date of a day (chrono's
        // days-to-date conversion, the costly part) is remembered per thread for the last
        // days seen (direct-mapped by day number), since the lines and events of a stream
        // fall on few distinct days.
        thread_local! {
            static DAYS: [Cell<(i64, NaiveDate)>; 16] =
                const { [const { Cell::new((i64::MIN, NaiveDate::MIN)) }; 16] };
        }
        let day = self.secs.div_euclid(86_400);
        let date = memo(&DAYS, (day & 15) as usize, day, || {
            Some(DateTime::from_timestamp(day * 86_400, 0)?.date_naive())
        })?;
        let time = NaiveTime::from_num_seconds_from_midnight_opt(
            self.secs.rem_euclid(86_400) as u32,
            self.nanos,
        )?;
        Some(NaiveDateTime::new(date, time).and_utc())
    }

    /// Parses RFC 3339 with 0–9 fraction digits and `Z`/`z` or `±hh:mm`, the exact forms of
    /// Go's `RFC3339Nano` (json-file, CRI, `docker logs -t`, `docker events`).
    pub fn parse(text: &str) -> Result<Self, Error> {
        parse_rfc3339(text.as_bytes()).ok_or_else(|| Error::timestamp(text.as_bytes()))
    }

    /// Go `RFC3339Nano` in the original offset: trailing fraction zeros trimmed.
    pub fn to_rfc3339_nano(&self) -> String {
        self.render(false)
    }

    /// The fixed 9-digit form `docker logs -t` and `docker events` print.
    pub fn to_rfc3339_fixed(&self) -> String {
        self.render(true)
    }

    fn render(&self, fixed: bool) -> String {
        let mut s = String::with_capacity(36);
        self.write_rfc3339(fixed, &mut s);
        s
    }

    /// Appends Go's `RFC3339Nano` (or, with `fixed`, the 9-digit form) to `s` without
    /// going through `fmt` (this is on the normalization hot path).
    pub(crate) fn write_rfc3339(&self, fixed: bool, s: &mut String) {
        /// `"00" … "99"`: two digits per table read instead of a division and a remainder
        /// per digit.
        const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
2021222324252627282930313233343536373839\
4041424344454647484950515253545556575859\
6061626364656667686970717273747576777879\
8081828384858687888990919293949596979899";
        fn two(b: &mut [u8], v: u64) {
            let i = (v % 100) as usize * 2;
            b[0] = PAIRS[i];
            b[1] = PAIRS[i + 1];
        }
        let local = self.secs.saturating_add(i64::from(self.offset_secs));
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400) as u64;
        let (y, m, d) = civil_from_days(days);
        let off = u64::from(self.offset_secs.unsigned_abs());
        if !(0..10_000).contains(&y) || off / 3600 > 99 {
            self.write_rfc3339_fmt(fixed, s);
            return;
        }
        // `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn±hh:mm` is 35 bytes. Word-aligned, so the UTF-8
        // check at the end reads it a word at a time instead of a byte at a time.
        #[repr(align(16))]
        struct Aligned([u8; 48]);
        let mut buf = Aligned([0; 48]);
        let b = &mut buf.0;
        two(&mut b[0..2], y as u64 / 100);
        two(&mut b[2..4], y as u64);
        let mut n = 4;
        b[n] = b'-';
        two(&mut b[n + 1..n + 3], u64::from(m));
        b[n + 3] = b'-';
        two(&mut b[n + 4..n + 6], u64::from(d));
        b[n + 6] = b'T';
        two(&mut b[n + 7..n + 9], sod / 3600);
        b[n + 9] = b':';
        two(&mut b[n + 10..n + 12], sod / 60 % 60);
        b[n + 12] = b':';
        two(&mut b[n + 13..n + 15], sod % 60);
        n += 15;
        let frac = u64::from(self.nanos);
        // All nine digits, then (Go's `RFC3339Nano`) without the trailing zeros.
        let width = if fixed {
            9
        } else if frac == 0 {
            0
        } else {
            let mut width = 9;
            let mut f = frac;
            while f.is_multiple_of(10) {
                f /= 10;
                width -= 1;
            }
            width
        };
        if width > 0 {
            // The low nine digits (`nanos` is below 10^9 unless set by hand; the digit loop
            // this replaces wrote these then too).
            let frac = frac % 1_000_000_000;
            b[n] = b'.';
            b[n + 1] = b'0' + (frac / 100_000_000) as u8;
            let (hi, lo) = (frac / 10_000 % 10_000, frac % 10_000);
            two(&mut b[n + 2..n + 4], hi / 100);
            two(&mut b[n + 4..n + 6], hi);
            two(&mut b[n + 6..n + 8], lo / 100);
            two(&mut b[n + 8..n + 10], lo);
            n += 1 + width;
        }
        if self.offset_secs == 0 {
            b[n] = b'Z';
            n += 1;
        } else {
            b[n] = if self.offset_secs < 0 { b'-' } else { b'+' };
            two(&mut b[n + 1..n + 3], off / 3600);
            b[n + 3] = b':';
            two(&mut b[n + 4..n + 6], off / 60 % 60);
            n += 6;
        }
        // Only ASCII was written.
        s.push_str(std::str::from_utf8(&b[..n]).unwrap_or_default());
    }

    /// [`Timestamp::write_rfc3339`] through `fmt`, for years outside 0–9999 and offsets
    /// of 100 hours or more.
    #[cold]
    fn write_rfc3339_fmt(&self, fixed: bool, s: &mut String) {
        use std::fmt::Write;
        let local = self.secs.saturating_add(i64::from(self.offset_secs));
        let days = local.div_euclid(86_400);
        let sod = local.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        let _ = write!(
            s,
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}",
            sod / 3600,
            sod / 60 % 60,
            sod % 60
        );
        if fixed {
            let _ = write!(s, ".{:09}", self.nanos);
        } else if self.nanos != 0 {
            let mut n = self.nanos;
            let mut width = 9;
            while n.is_multiple_of(10) {
                n /= 10;
                width -= 1;
            }
            let _ = write!(s, ".{n:0width$}");
        }
        if self.offset_secs == 0 {
            s.push('Z');
        } else {
            let sign = if self.offset_secs < 0 { '-' } else { '+' };
            let off = self.offset_secs.unsigned_abs();
            let _ = write!(s, "{sign}{:02}:{:02}", off / 3600, off / 60 % 60);
        }
    }

    /// Length of [`Timestamp::write_rfc3339`]'s fixed form (for exact buffer sizes).
    pub(crate) fn rfc3339_fixed_len(&self) -> usize {
        // `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn` + `Z` or `±hh:mm`; years past 9999 or before 0
        // only make it longer, which a capacity hint tolerates.
        30 + if self.offset_secs == 0 { 0 } else { 5 }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339_nano())
    }
}

fn digits(b: &[u8]) -> Option<u32> {
    let mut v = 0u32;
    for &c in b {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + u32::from(c - b'0');
    }
    Some(v)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
#[inline]
pub(crate) fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

#[inline]
fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parsed calendar fields before a zone is applied.
struct Civil {
    secs_local: i64,
    nanos: u32,
}

/// `YYYY-MM-DD`, returning days since epoch.
fn parse_date(b: &[u8]) -> Option<i64> {
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let y = i64::from(digits(&b[0..4])?);
    let m = digits(&b[5..7])?;
    let d = digits(&b[8..10])?;
    if !(1..=12).contains(&m) || d == 0 || d > days_in_month(y, m) {
        return None;
    }
    Some(days_from_civil(y, m, d))
}

/// `YYYY-MM-DDTHH:MM:SS[.fffffffff]` with `min_time_parts` of HH, MM, SS required; the rest
/// of the input is returned.
fn parse_civil(b: &[u8], min_parts: usize) -> Option<(Civil, &[u8])> {
    let days = parse_date(b.get(..10)?)?;
    let mut rest = &b[10..];
    let mut secs = days * 86_400;
    let mut nanos = 0;
    if rest.first() == Some(&b'T') {
        rest = &rest[1..];
        let mut parts = 0;
        let limits = [24u32, 60, 60];
        let mults = [3600i64, 60, 1];
        while parts < 3 {
            if parts > 0 {
                if rest.first() != Some(&b':') {
                    break;
                }
                rest = &rest[1..];
            }
            let v = digits(rest.get(..2)?)?;
            if v >= limits[parts] {
                return None;
            }
            secs += i64::from(v) * mults[parts];
            rest = &rest[2..];
            parts += 1;
        }
        if parts < min_parts {
            return None;
        }
        if parts == 3 && rest.first() == Some(&b'.') {
            let n = rest[1..].iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 || n > 9 {
                return None;
            }
            let mut v = digits(&rest[1..1 + n])?;
            for _ in n..9 {
                v *= 10;
            }
            nanos = v;
            rest = &rest[1 + n..];
        }
    } else if min_parts > 0 {
        return None;
    }
    Some((
        Civil {
            secs_local: secs,
            nanos,
        },
        rest,
    ))
}

/// `Z`, `z` or `±hh:mm` making up the whole input.
#[inline]
fn parse_zone(b: &[u8]) -> Option<i32> {
    match b {
        [b'Z'] | [b'z'] => Some(0),
        [s @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let h = digits(&[*h1, *h2])?;
            let m = digits(&[*m1, *m2])?;
            if h > 23 || m > 59 {
                return None;
            }
            let off = (h * 3600 + m * 60) as i32;
            Some(if *s == b'-' { -off } else { off })
        }
        _ => None,
    }
}

pub(crate) fn parse_rfc3339(b: &[u8]) -> Option<Timestamp> {
    if let Some(t) = parse_rfc3339_fixed(b) {
        return Some(t);
    }
    parse_rfc3339_general(b)
}

/// The number the eight ASCII digits `b[..8]` spell, `None` unless `b` starts with eight
/// digits. One word load, a digit check and three multiplications instead of eight
/// multiply-adds and eight branches.
#[inline(always)]
pub(crate) fn eight_digits(b: &[u8]) -> Option<u32> {
    // Pairs, then quads, then the eight digits.
    let v = digit_pairs(b)?;
    let v = ((v & 0x0000_00FF_0000_00FF).wrapping_mul(100 + (1_000_000 << 32))
        + ((v >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32)))
        >> 32;
    Some(v as u32)
}

/// The four two-digit numbers `b[..8]` spells, in bytes 0, 2, 4 and 6 (the first pair
/// lowest), `None` unless `b` starts with eight digits: one word load, a digit check and one
/// multiplication.
#[inline(always)]
fn digit_pairs(b: &[u8]) -> Option<u64> {
    const HI: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    let mut w = [0u8; 8];
    w.copy_from_slice(b.get(..8)?);
    let w = u64::from_le_bytes(w);
    // Each byte's high nibble must be 3 and, with 6 added, still 3 (0x30..=0x39). A byte
    // that carries into the next one (>= 0xFA) fails its own check, so carries cannot pass.
    if (w & HI) | ((w.wrapping_add(0x0606_0606_0606_0606) & HI) >> 4) != 0x3333_3333_3333_3333 {
        return None;
    }
    // Digit `k` is byte `k`; each byte becomes ten times itself plus the next (at most 99,
    // no carry), so bytes 0, 2, 4, 6 hold the pairs.
    let v = w - 0x3030_3030_3030_3030;
    Some(v.wrapping_mul(10).wrapping_add(v >> 8))
}

/// `10^(9 - n)`: scales an `n`-digit fraction to nanoseconds.
const FRACTION_SCALE: [u32; 10] = [
    1_000_000_000,
    100_000_000,
    10_000_000,
    1_000_000,
    100_000,
    10_000,
    1_000,
    100,
    10,
    1,
];

/// A fraction's digits (after the `.`): its value in nanoseconds and its digit count, `None`
/// for no digit or more than nine.
#[inline(always)]
fn fraction(f: &[u8]) -> Option<(u32, usize)> {
    let (v, n) = if let Some(v8) = eight_digits(f) {
        match f.get(8).map(|c| c.wrapping_sub(b'0')) {
            Some(d) if d < 10 => (v8 * 10 + u32::from(d), 9),
            _ => (v8, 8),
        }
    } else {
        // Fewer than eight digits.
        let n = f.iter().take(8).take_while(|c| c.is_ascii_digit()).count();
        let v = f[..n]
            .iter()
            .fold(0u32, |v, &c| v * 10 + u32::from(c - b'0'));
        (v, n)
    };
    if n == 0 || f.get(n).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    Some((v * FRACTION_SCALE[n], n))
}

/// `YYYY-MM-DD` (its `-` at 4 and 7 already checked) as one number, distinct for distinct
/// dates: the first eight bytes with the two day digits folded onto the two `-`.
#[inline(always)]
const fn date_key(b: &[u8]) -> u64 {
    let w = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
    w ^ ((b[8] as u64) << 32) ^ ((b[9] as u64) << 56)
}

/// `1970-01-01`, day 0: every slot of [`DATES`] starts as a true entry (a slot marked
/// empty by an impossible key could be matched by bytes that are not a date).
const EPOCH_DATE: (u64, i64) = (date_key(b"1970-01-01"), 0);

/// A per-thread direct-mapped memo of 16 slots: the value for `key` when slot `slot & 15`
/// last held it, else `compute`'s (stored when there is one). Both date caches of this
/// module use it.
#[inline(always)]
fn memo<K: Copy + PartialEq, V: Copy>(
    cache: &'static std::thread::LocalKey<[Cell<(K, V)>; 16]>,
    slot: usize,
    key: K,
    compute: impl FnOnce() -> Option<V>,
) -> Option<V> {
    let (k, v) = cache.with(|c| c[slot & 15].get());
    if k == key {
        return Some(v);
    }
    let v = compute()?;
    cache.with(|c| c[slot & 15].set((key, v)));
    Some(v)
}

thread_local! {
    /// Recently read dates and their day numbers, by the day's last digit.
    static DATES: [Cell<(u64, i64)>; 16] = const { [const { Cell::new(EPOCH_DATE) }; 16] };
}

/// The full `YYYY-MM-DDTHH:MM:SS[.f…]zone` shape every writer uses, read at fixed offsets.
/// Accepts a subset of what [`parse_rfc3339_general`] accepts, with the same result; `None`
/// sends the input to the general parser.
fn parse_rfc3339_fixed(b: &[u8]) -> Option<Timestamp> {
    rfc3339_prefix(b).and_then(|(t, n)| (n == b.len()).then_some(t))
}

/// The timestamp of [`parse_rfc3339_fixed`]'s shape at the start of `b`, with its length
/// (what follows it is not looked at: a caller that knows where its text ends need not
/// find the end first).
#[inline(always)]
pub(crate) fn rfc3339_prefix(b: &[u8]) -> Option<(Timestamp, usize)> {
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    // The date's day number: the lines of a stream fall on few dates, so the last ones read
    // are remembered per thread (direct-mapped by the day's last digit) and a date seen
    // before is neither checked nor converted again.
    let days = memo(&DATES, usize::from(b[9] & 15), date_key(b), || {
        // The eight date digits packed as `YYYYMMDD`, read at once.
        let date = eight_digits(&[b[0], b[1], b[2], b[3], b[5], b[6], b[8], b[9]])?;
        let (y, m, d) = (date / 10_000, date / 100 % 100, date % 100);
        if !(1..=12).contains(&m) || d == 0 || d > days_in_month(i64::from(y), m) {
            return None;
        }
        Some(days_from_civil(i64::from(y), m, d))
    })?;
    // The six time digits packed as `HHMMSS00` and read as pairs (no divisions to split
    // one number).
    let time = [b[11], b[12], b[14], b[15], b[17], b[18], b'0', b'0'];
    let pairs = digit_pairs(&time)?;
    let (hh, mm, ss) = (
        (pairs & 0xFF) as u32,
        (pairs >> 16 & 0xFF) as u32,
        (pairs >> 32 & 0xFF) as u32,
    );
    if hh >= 24 || mm >= 60 || ss >= 60 {
        return None;
    }
    let mut len = 19;
    let mut nanos = 0;
    if b[19] == b'.' {
        let (v, n) = fraction(&b[20..])?;
        nanos = v;
        len += 1 + n;
    }
    let (off, n) = zone_prefix(&b[len..])?;
    let secs = days * 86_400 + i64::from(hh * 3600 + mm * 60 + ss);
    let t = Timestamp {
        secs: secs - i64::from(off),
        nanos,
        offset_secs: off,
    };
    Some((t, len + n))
}

/// [`parse_zone`] of the zone at the start of `b`, with its length.
#[inline(always)]
fn zone_prefix(b: &[u8]) -> Option<(i32, usize)> {
    match b {
        [b'Z' | b'z', ..] => Some((0, 1)),
        [b'+' | b'-', _, _, b':', _, _, ..] => Some((parse_zone(&b[..6])?, 6)),
        _ => None,
    }
}

fn parse_rfc3339_general(b: &[u8]) -> Option<Timestamp> {
    let (civil, rest) = parse_civil(b, 3)?;
    let off = parse_zone(rest)?;
    Some(Timestamp {
        secs: civil.secs_local - i64::from(off),
        nanos: civil.nanos,
        offset_secs: off,
    })
}

/// Parses a Go duration (`300ms`, `10m`, `1h30m`, `1.5h`, `-2s`) into nanoseconds.
pub fn parse_duration(text: &str) -> Option<i128> {
    let mut s = text.as_bytes();
    let neg = match s.first() {
        Some(b'-') => {
            s = &s[1..];
            true
        }
        Some(b'+') => {
            s = &s[1..];
            false
        }
        _ => false,
    };
    if s == b"0" {
        return Some(0);
    }
    if s.is_empty() {
        return None;
    }
    let mut total: f64 = 0.0;
    while !s.is_empty() {
        let n = s
            .iter()
            .take_while(|c| c.is_ascii_digit() || **c == b'.')
            .count();
        if n == 0 {
            return None;
        }
        let num: f64 = std::str::from_utf8(&s[..n]).ok()?.parse().ok()?;
        s = &s[n..];
        let u = s
            .iter()
            .take_while(|c| !c.is_ascii_digit() && **c != b'.')
            .count();
        let unit = match &s[..u] {
            b"ns" => 1.0,
            b"us" | b"\xc2\xb5s" | b"\xce\xbcs" => 1e3,
            b"ms" => 1e6,
            b"s" => 1e9,
            b"m" => 60e9,
            b"h" => 3600e9,
            _ => return None,
        };
        s = &s[u..];
        total += num * unit;
    }
    if !total.is_finite() || total > 9.3e18 {
        return None;
    }
    let ns = total as i128;
    Some(if neg { -ns } else { ns })
}

/// Parses a `docker events`/`docker logs` `--since`/`--until` value the way the Docker CLI does:
///
/// - a Go duration (`10m`, `1h30m`) → `now` minus it, truncated to whole seconds;
/// - RFC 3339 (`2006-01-02T15:04:05[.999999999]Z07:00`), `2006-01-02Z07:00`, `2006-01-02T15`,
///   `2006-01-02T15:04` (with or without a zone);
/// - the same without a zone → in the local zone given as `local_offset_secs`;
/// - Unix `seconds[.fraction]` (fraction padded or truncated to 9 digits, at most 20 digits).
pub fn parse_time_arg(
    arg: &str,
    now: Timestamp,
    local_offset_secs: i32,
) -> Result<Timestamp, Error> {
    if arg != "0"
        && let Some(d) = parse_duration(arg)
    {
        let now_ns = i128::from(now.secs) * 1_000_000_000 + i128::from(now.nanos);
        let t = now_ns - d;
        return Ok(Timestamp::from_unix(t.div_euclid(1_000_000_000) as i64, 0));
    }
    let b = arg.as_bytes();
    if b.len() >= 10 && b[4] == b'-' {
        return parse_civil_arg(b, local_offset_secs)
            .ok_or_else(|| Error::argument(arg, "not an RFC 3339 date/time"));
    }
    parse_unix_arg(arg)
        .ok_or_else(|| Error::argument(arg, "not a time, duration or Unix timestamp"))
}

fn parse_civil_arg(b: &[u8], local: i32) -> Option<Timestamp> {
    let (civil, rest) = parse_civil(b, 0)?;
    let off = if rest.is_empty() {
        local
    } else {
        parse_zone(rest)?
    };
    Some(Timestamp {
        secs: civil.secs_local - i64::from(off),
        nanos: civil.nanos,
        offset_secs: off,
    })
}

/// `seconds[.fraction]` as the Docker API takes it.
pub fn parse_unix_arg(arg: &str) -> Option<Timestamp> {
    let (sec, frac) = match arg.split_once('.') {
        Some((s, f)) => (s, Some(f)),
        None => (arg, None),
    };
    let neg = sec.starts_with('-');
    let digits_part = sec.strip_prefix('-').unwrap_or(sec);
    if digits_part.is_empty()
        || digits_part.len() > 20
        || !digits_part.bytes().all(|c| c.is_ascii_digit())
    {
        return None;
    }
    let secs: i64 = sec.parse().ok()?;
    let nanos = match frac {
        None => 0,
        Some(f) => {
            if f.is_empty() || f.len() > 20 || !f.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let mut v = digits(&f.as_bytes()[..f.len().min(9)])?;
            for _ in f.len().min(9)..9 {
                v *= 10;
            }
            v
        }
    };
    if neg && nanos != 0 {
        return Some(Timestamp::from_unix_nanos(
            secs.checked_mul(1_000_000_000)?
                .checked_sub(i64::from(nanos))?,
        ));
    }
    Some(Timestamp::from_unix(secs, nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The cached-day conversion is chrono's `from_timestamp`, out-of-range instants and
        /// leap nanoseconds included, whatever day was converted before.
        #[test]
        fn to_datetime_matches_chrono(
            secs in proptest::prop_oneof![-70_000_000_000i64..300_000_000_000, 1_700_000_000i64..1_700_200_000, proptest::num::i64::ANY],
            nanos in proptest::prop_oneof![0u32..1_000_000_000, 1_000_000_000u32..2_100_000_000, proptest::strategy::Just(0u32)],
            step in -200_000i64..200_000,
        ) {
            for s in [secs, secs.saturating_add(step), secs] {
                let t = Timestamp { secs: s, nanos, offset_secs: 0 };
                proptest::prop_assert_eq!(t.to_datetime(), DateTime::from_timestamp(s, nanos));
            }
        }
    }

    proptest::proptest! {
        /// The digit writer and the `fmt` writer agree on every instant and offset.
        #[test]
        fn fast_render_matches_fmt(
            secs in proptest::prop_oneof![-70_000_000_000i64..300_000_000_000, proptest::num::i64::ANY],
            nanos in proptest::prop_oneof![0u32..1_000_000_000, proptest::strategy::Just(0u32), proptest::strategy::Just(500_000_000u32)],
            offset_secs in proptest::prop_oneof![-86_399i32..86_400, proptest::strategy::Just(0i32), proptest::num::i32::ANY],
            fixed: bool,
        ) {
            let t = Timestamp { secs, nanos, offset_secs };
            let (mut a, mut b) = (String::new(), String::new());
            t.write_rfc3339(fixed, &mut a);
            t.write_rfc3339_fmt(fixed, &mut b);
            proptest::prop_assert_eq!(a, b);
        }
    }

    proptest::proptest! {
        /// The word-at-a-time digit readers agree with a byte loop.
        #[test]
        fn eight_digits_agrees_with_bytewise(b in proptest::collection::vec(proptest::prop_oneof![
            b'0'..=b'9', proptest::num::u8::ANY, proptest::strategy::Just(b'/'),
            proptest::strategy::Just(b':'), proptest::strategy::Just(0xffu8)], 0..10)) {
            let expected = (b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit))
                .then(|| b[..8].iter().fold(0u32, |v, &c| v * 10 + u32::from(c - b'0')));
            proptest::prop_assert_eq!(eight_digits(&b), expected);
            let pairs = (b.len() >= 8 && b[..8].iter().all(u8::is_ascii_digit)).then(|| {
                [0, 2, 4, 6].map(|i| u64::from(b[i] - b'0') * 10 + u64::from(b[i + 1] - b'0'))
            });
            proptest::prop_assert_eq!(
                digit_pairs(&b).map(|p| [0, 16, 32, 48].map(|s| p >> s & 0xFF)),
                pairs
            );
        }
    }

    proptest::proptest! {
        /// The fixed-offset reader accepts only what the general parser accepts, with the
        /// same result.
        #[test]
        fn fixed_rfc3339_agrees_with_general(
            s in "[0-9]{4}-[01][0-9]-[0-3][0-9][T ][0-2][0-9]:[0-6][0-9]:[0-6][0-9](\\.[0-9]{0,11})?(Z|z|[+-][0-2][0-9]:[0-6][0-9]|[+-]0000|)x?",
        ) {
            let b = s.as_bytes();
            // Twice: the second read finds its date remembered (when it was one).
            for _ in 0..2 {
                if let Some(t) = parse_rfc3339_fixed(b) {
                    proptest::prop_assert_eq!(Some(t), parse_rfc3339_general(b));
                }
                proptest::prop_assert_eq!(parse_rfc3339(b), parse_rfc3339_general(b));
            }
            // Read at the start of longer text: the timestamp of the prefix it reports.
            let longer = [b, &b"\"}\n"[..]].concat();
            if let Some((t, n)) = rfc3339_prefix(&longer) {
                proptest::prop_assert_eq!(Some(t), parse_rfc3339_general(&longer[..n]));
            }
            if let Some(t) = parse_rfc3339_fixed(b) {
                proptest::prop_assert_eq!(rfc3339_prefix(&longer), Some((t, b.len())));
            }
        }
    }

    #[test]
    fn rfc3339_fraction_digits_and_offsets() {
        let t = Timestamp::parse("2016-03-02T22:59:04.66649744Z").unwrap();
        assert_eq!(t.unix_nanos(), Some(1_456_959_544_666_497_440));
        assert_eq!(t.to_rfc3339_nano(), "2016-03-02T22:59:04.66649744Z");
        let t = Timestamp::parse("2024-04-13T07:59:37.505201169-05:00").unwrap();
        assert_eq!(t.offset_secs, -5 * 3600);
        assert_eq!(
            t.to_datetime().unwrap().to_rfc3339(),
            "2024-04-13T12:59:37.505201169+00:00"
        );
        assert_eq!(t.to_rfc3339_nano(), "2024-04-13T07:59:37.505201169-05:00");
        let zero = Timestamp::parse("0001-01-01T00:00:00Z").unwrap();
        assert_eq!(zero.unix_nanos(), None);
        assert_eq!(zero.to_rfc3339_nano(), "0001-01-01T00:00:00Z");
        for bad in [
            "",
            "qwerty",
            "2016-13-01T00:00:00Z",
            "2016-02-30T00:00:00Z",
            "2016-01-01T00:00:00",
            "2016-01-01T00:00:00.Z",
            "2016-01-01T00:00:00.1234567890Z",
            "2016-01-01T24:00:00Z",
        ] {
            assert!(Timestamp::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn since_arguments() {
        let now = Timestamp::from_unix(1_700_000_000, 500);
        assert_eq!(
            parse_time_arg("10m", now, 0).unwrap().secs,
            1_700_000_000 - 600
        );
        assert_eq!(
            parse_time_arg("1h30m", now, 0).unwrap().secs,
            1_700_000_000 - 5400
        );
        assert_eq!(
            parse_time_arg("1.5h", now, 0).unwrap().secs,
            1_700_000_000 - 5400
        );
        assert_eq!(parse_time_arg("0", now, 0).unwrap().secs, 0);
        let t = parse_time_arg("1442421700.598", now, 0).unwrap();
        assert_eq!((t.secs, t.nanos), (1_442_421_700, 598_000_000));
        let t = parse_time_arg("1442421700.1234567891234", now, 0).unwrap();
        assert_eq!(t.nanos, 123_456_789);
        assert_eq!(
            parse_time_arg("2016-01-02", now, 0).unwrap().secs,
            1_451_692_800
        );
        assert_eq!(
            parse_time_arg("2016-01-02", now, 3600).unwrap().secs,
            1_451_692_800 - 3600
        );
        assert_eq!(
            parse_time_arg("2016-01-02+01:00", now, 0).unwrap().secs,
            1_451_692_800 - 3600
        );
        assert_eq!(
            parse_time_arg("2016-01-02T01", now, 0).unwrap().secs,
            1_451_692_800 + 3600
        );
        assert_eq!(
            parse_time_arg("2016-01-02T01:02Z", now, 7200).unwrap().secs,
            1_451_692_800 + 3720
        );
        let t = parse_time_arg("2016-01-02T00:00:01.5-01:00", now, 0).unwrap();
        assert_eq!((t.secs, t.nanos), (1_451_692_800 + 3601, 500_000_000));
        assert!(parse_time_arg("yesterday", now, 0).is_err());
        assert!(parse_time_arg("2016-01-02Tx", now, 0).is_err());
        assert!(parse_time_arg("123456789012345678901", now, 0).is_err());
    }

    #[test]
    fn civil_roundtrip() {
        for d in [-719_162i64, -1, 0, 1, 11_016, 20_000, 2_932_896] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }
}
