//! Timestamps: RFC 3339 / ISO 8601 parsing to exact nanoseconds, and the text output's
//! local time of day.
//!
//! Falco writes `time` with 9 fractional digits; re-serializers (falcosidekick, Python gRPC
//! clients) trim or shorten the fraction and use `+00:00`. Parsing goes straight to an `i64` of
//! nanoseconds so no precision is lost and no allocation happens.

use std::fmt;

use chrono::{DateTime, Utc};

/// A point in time as nanoseconds since the Unix epoch (UTC), exact to the nanosecond.
///
/// The `i64` range covers the years 1677 to 2262, which bounds what the parser accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

impl Timestamp {
    /// A timestamp from nanoseconds since the epoch.
    pub const fn from_unix_nanos(nanos: i64) -> Self {
        Timestamp(nanos)
    }

    /// Nanoseconds since the epoch.
    pub const fn unix_nanos(self) -> i64 {
        self.0
    }

    /// Whole seconds since the epoch (floor).
    pub const fn unix_seconds(self) -> i64 {
        self.0.div_euclid(1_000_000_000)
    }

    /// The nanosecond part within the second (0..1e9).
    pub const fn subsec_nanos(self) -> u32 {
        self.0.rem_euclid(1_000_000_000) as u32
    }

    /// The timestamp as a chrono UTC date-time.
    pub fn to_datetime(self) -> DateTime<Utc> {
        DateTime::from_timestamp_nanos(self.0)
    }

    /// Parses RFC 3339 / ISO 8601: `YYYY-MM-DD(T| )HH:MM:SS[.f{1,}](Z|±HH:MM|±HHMM)`.
    ///
    /// Fractions longer than 9 digits are truncated to nanoseconds.
    pub fn parse(s: &str) -> Option<Self> {
        if let Some(ts) = parse_falco_time(s.as_bytes()) {
            return Some(ts);
        }
        let (ts, rest) = parse_iso_prefix(s.as_bytes())?;
        rest.is_empty().then_some(ts.0)
    }

    /// From a protobuf-style `{seconds, nanos}` pair.
    pub fn from_parts(seconds: i64, nanos: i64) -> Option<Self> {
        if !(0..1_000_000_000).contains(&nanos) {
            return None;
        }
        seconds
            .checked_mul(1_000_000_000)?
            .checked_add(nanos)
            .map(Timestamp)
    }
}

impl fmt::Display for Timestamp {
    /// RFC 3339 in UTC with 9 fractional digits, exactly as Falco writes `time`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}",
            self.to_datetime()
                .to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)
        )
    }
}

/// The parsed prefix: the timestamp and whether it carried a fractional part.
pub(crate) struct IsoPrefix(pub Timestamp, pub bool);

fn digits(b: &[u8], at: usize, n: usize) -> Option<i64> {
    let s = b.get(at..at + n)?;
    let mut v = 0i64;
    for &c in s {
        if !c.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(c - b'0');
    }
    Some(v)
}

/// Eight ASCII digits (little-endian in `w`) as their value; `None` when any byte is not a
/// digit. SWAR: the digits are checked and combined pairwise in three multiplications.
#[inline(always)]
fn eight_digits(w: u64) -> Option<i64> {
    const ONES: u64 = u64::MAX / 255;
    let d = w.wrapping_sub(ONES * u64::from(b'0'));
    // Every byte was `'0'..='9'` exactly when every byte of `d` is below 10: no byte
    // borrowed (the high nibbles of `w` are all 3) and adding 6 carries out of none.
    if w & (ONES * 0xF0) != ONES * 0x30 || (d.wrapping_add(ONES * 6)) & (ONES * 0xF0) != 0 {
        return None;
    }
    let d = (d * 10 + (d >> 8)) & 0x00FF_00FF_00FF_00FF;
    let d = (d * 100 + (d >> 16)) & 0x0000_FFFF_0000_FFFF;
    Some(((d * 10_000 + (d >> 32)) & 0xFFFF_FFFF) as i64)
}

/// Two ASCII digits at `b[at]` as their value, `None` when either is not a digit.
#[inline(always)]
fn two_digits(b: &[u8; 30], at: usize) -> Option<i64> {
    let (hi, lo) = (b[at].wrapping_sub(b'0'), b[at + 1].wrapping_sub(b'0'));
    (hi < 10 && lo < 10).then(|| i64::from(hi) * 10 + i64::from(lo))
}

/// The shape Falco writes `time` in, `YYYY-MM-DDTHH:MM:SS.nnnnnnnnnZ`, read at fixed offsets;
/// `None` for anything else (which [`parse_iso_prefix`] then reads, or rejects).
#[inline]
fn parse_falco_time(b: &[u8]) -> Option<Timestamp> {
    let b: &[u8; 30] = b.try_into().ok()?;
    if b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
        || b[19] != b'.'
        || b[29] != b'Z'
    {
        return None;
    }
    let y = two_digits(b, 0)? * 100 + two_digits(b, 2)?;
    let (mo, d) = (two_digits(b, 5)?, two_digits(b, 8)?);
    let (h, mi, sec) = (two_digits(b, 11)?, two_digits(b, 14)?, two_digits(b, 17)?);
    let frac = b[28].wrapping_sub(b'0');
    let nanos = eight_digits(u64::from_le_bytes(*b[20..].first_chunk::<8>()?))?;
    if !(1..=12).contains(&mo)
        || d < 1
        || d > days_in_month(y, mo)
        || h > 23
        || mi > 59
        || sec > 60
        || frac > 9
    {
        return None;
    }
    let secs = days_from_civil(y, mo, d) * 86_400 + h * 3600 + mi * 60 + sec;
    let nanos = secs
        .checked_mul(1_000_000_000)?
        .checked_add(nanos * 10 + i64::from(frac))?;
    Some(Timestamp(nanos))
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        _ => 28,
    }
}

/// Parses `HH:MM:SS[.f]` at the start of `b`: (nanos of day, had fraction, bytes used).
pub(crate) fn parse_clock(b: &[u8]) -> Option<(i64, bool, usize)> {
    let h = digits(b, 0, 2)?;
    let mi = digits(b, 3, 2)?;
    let s = digits(b, 6, 2)?;
    if b[2] != b':' || b[5] != b':' || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let mut nanos = 0i64;
    let mut i = 8;
    let mut frac = false;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while let Some(c) = b.get(i).filter(|c| c.is_ascii_digit()) {
            if i - start < 9 {
                nanos = nanos * 10 + i64::from(c - b'0');
            }
            i += 1;
        }
        let n = i - start;
        if n == 0 {
            return None;
        }
        for _ in n..9 {
            nanos *= 10;
        }
        frac = true;
    }
    Some(((h * 3600 + mi * 60 + s) * 1_000_000_000 + nanos, frac, i))
}

/// Parses an ISO 8601 date-time with offset at the start of `b`, returning the rest.
pub(crate) fn parse_iso_prefix(b: &[u8]) -> Option<(IsoPrefix, &[u8])> {
    let y = digits(b, 0, 4)?;
    let mo = digits(b, 5, 2)?;
    let d = digits(b, 8, 2)?;
    if b[4] != b'-' || b[7] != b'-' || !(1..=12).contains(&mo) {
        return None;
    }
    if d < 1 || d > days_in_month(y, mo) {
        return None;
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) {
        return None;
    }
    let rest = &b[11..];
    let (tod, frac, used) = parse_clock(rest)?;
    let rest = &rest[used..];
    let (offset_s, rest) = match rest.first()? {
        b'Z' | b'z' => (0, &rest[1..]),
        sign @ (b'+' | b'-') => {
            let oh = digits(rest, 1, 2)?;
            let (om, used) = if rest.get(3) == Some(&b':') {
                (digits(rest, 4, 2)?, 6)
            } else {
                (digits(rest, 3, 2)?, 5)
            };
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            (if *sign == b'-' { -off } else { off }, &rest[used..])
        }
        _ => return None,
    };
    let secs = days_from_civil(y, mo, d) * 86_400 - offset_s;
    let nanos = secs.checked_mul(1_000_000_000)?.checked_add(tod)?;
    Some((IsoPrefix(Timestamp(nanos), frac), rest))
}

/// The time prefix of a Falco text output line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum TextTime {
    /// `HH:MM:SS.nnnnnnnnn` in the host's local time zone: the date is not written, so only
    /// the time of day (nanoseconds since local midnight) is known.
    LocalTimeOfDay(u64),
    /// `YYYY-MM-DDTHH:MM:SS.nnnnnnnnn+0000` (`time_format_iso_8601: true`): an absolute time.
    Absolute(Timestamp),
}

impl TextTime {
    /// The absolute time, if the line carried one.
    pub fn absolute(self) -> Option<Timestamp> {
        match self {
            TextTime::Absolute(t) => Some(t),
            TextTime::LocalTimeOfDay(_) => None,
        }
    }

    /// Resolves a local time of day against a calendar date and the host's UTC offset
    /// (seconds east of UTC); absolute times are returned unchanged.
    pub fn resolve(self, date: chrono::NaiveDate, utc_offset_seconds: i32) -> Option<Timestamp> {
        match self {
            TextTime::Absolute(t) => Some(t),
            TextTime::LocalTimeOfDay(nanos) => {
                let days = date
                    .signed_duration_since(chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?)
                    .num_days();
                let secs = days * 86_400 - i64::from(utc_offset_seconds);
                secs.checked_mul(1_000_000_000)?
                    .checked_add(i64::try_from(nanos).ok()?)
                    .map(Timestamp)
            }
        }
    }
}

impl fmt::Display for TextTime {
    /// Renders the prefix as Falco does (`+0000` for absolute times).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            TextTime::LocalTimeOfDay(n) => {
                let s = n / 1_000_000_000;
                write!(
                    f,
                    "{:02}:{:02}:{:02}.{:09}",
                    s / 3600,
                    s / 60 % 60,
                    s % 60,
                    n % 1_000_000_000
                )
            }
            TextTime::Absolute(t) => write!(
                f,
                "{}",
                t.to_datetime().format("%Y-%m-%dT%H:%M:%S%.9f+0000")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_falco_time_exactly() {
        let t = Timestamp::parse("2016-08-04T16:17:57.881781397Z").unwrap();
        assert_eq!(t.unix_nanos(), 1_470_327_477_881_781_397);
        assert_eq!(t.to_string(), "2016-08-04T16:17:57.881781397Z");
    }

    #[test]
    fn the_fixed_offset_reader_agrees_with_the_general_one() {
        let general = |s: &str| {
            let (ts, rest) = parse_iso_prefix(s.as_bytes())?;
            rest.is_empty().then_some(ts.0)
        };
        let mut n: i64 = 0;
        for i in 0..2_000i64 {
            // Spread over 1970..2100, leap days and the last second of a day included.
            n = n
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let nanos = n.rem_euclid(4_102_444_800_000_000_000);
            let nanos = if i % 7 == 0 {
                nanos - nanos % 86_400_000_000_000 - 1
            } else {
                nanos
            };
            let text = Timestamp(nanos.max(0)).to_string();
            assert_eq!(parse_falco_time(text.as_bytes()), general(&text), "{text}");
            assert_eq!(
                parse_falco_time(text.as_bytes()),
                Some(Timestamp(nanos.max(0)))
            );
            // Every byte replaced by characters around the ones each position expects.
            let mut b = text.clone().into_bytes();
            for at in 0..b.len() {
                let keep = b[at];
                for c in [
                    b'/', b'0', b'9', b':', b'-', b'T', b'Z', b'.', b' ', b'z', b'+',
                ] {
                    b[at] = c;
                    let s = std::str::from_utf8(&b).unwrap();
                    if let Some(t) = parse_falco_time(s.as_bytes()) {
                        assert_eq!(Some(t), general(s), "{s}");
                    }
                }
                b[at] = keep;
            }
        }
        for s in [
            "2023-02-29T00:00:00.000000000Z",
            "2024-02-30T00:00:00.000000000Z",
            "2024-13-01T00:00:00.000000000Z",
            "2024-00-01T00:00:00.000000000Z",
            "2024-01-00T00:00:00.000000000Z",
            "2024-01-01T24:00:00.000000000Z",
            "2024-01-01T00:60:00.000000000Z",
            "2024-01-01T00:00:61.000000000Z",
            "2024-01-01T00:00:60.999999999Z",
            "2024-02-29T23:59:59.999999999Z",
        ] {
            assert_eq!(parse_falco_time(s.as_bytes()), general(s), "{s}");
        }
    }

    #[test]
    fn parses_trimmed_and_offset_forms() {
        assert_eq!(
            Timestamp::parse("2001-01-01T01:10:00Z")
                .unwrap()
                .unix_nanos(),
            978_311_400_000_000_000
        );
        let a = Timestamp::parse("2020-03-03T17:50:03.391768+00:00").unwrap();
        let b = Timestamp::parse("2020-03-03T18:50:03.391768+0100").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.subsec_nanos(), 391_768_000);
        assert_eq!(
            Timestamp::parse("2021-01-11T23:46:19.82302759Z")
                .unwrap()
                .subsec_nanos(),
            823_027_590
        );
    }

    #[test]
    fn rejects_bad_dates() {
        for bad in [
            "2021-02-30T00:00:00Z",
            "2021-13-01T00:00:00Z",
            "2021-01-01T25:00:00Z",
            "2021-01-01T00:00:00",
            "2021-01-01T00:00:00.Z",
            "2021-01-01T00:00:00Zjunk",
            "",
        ] {
            assert!(Timestamp::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn text_time_round_trips() {
        let (n, frac, used) = parse_clock(b"13:44:05.478445995: x").unwrap();
        assert!(frac);
        assert_eq!(used, 18);
        assert_eq!(
            TextTime::LocalTimeOfDay(n as u64).to_string(),
            "13:44:05.478445995"
        );
        let date = chrono::NaiveDate::from_ymd_opt(2023, 5, 25).unwrap();
        let t = TextTime::LocalTimeOfDay(n as u64).resolve(date, 0).unwrap();
        assert_eq!(t.unix_nanos(), 1_685_022_245_478_445_995);
    }
}
