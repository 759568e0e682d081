//! Sensor output carried in container logs.
//!
//! Falco and Tracee usually run as containers, so their alerts and events reach disk as the
//! json-file or CRI lines of the sensor's own container. A log message whose text is such a
//! record becomes that source's event (a finding, a process exec…) instead of a log line,
//! and the log's wrapper — the sensor's container, the stream, the log time and format — is
//! kept under `unmapped.docker.carrier`. Text that only looks like a record and does not
//! parse stays a log line: nothing is dropped.

use chrono::{DateTime, Days, NaiveDate, Utc};
use tripline_docker::Message;
use tripline_falco::{Line as FalcoLine, Record as FalcoRecord, TextTime};
use tripline_schema::{Event, Field, Fields, Location, Raw};

/// Nanoseconds in a day. A local time of day more than half a day from the log line's time
/// belongs to the day before or after.
const DAY_NS: i64 = 86_400_000_000_000;

/// The event a sensor wrote into this message, when it wrote one.
pub(crate) fn sensor_event(msg: &Message, file: &str) -> Option<Event> {
    // Most log lines are told apart by their first byte, before any other work.
    let first = *msg.text.iter().find(|b| !b.is_ascii_whitespace())?;
    if first != b'{' && !first.is_ascii_digit() {
        return None;
    }
    let text = std::str::from_utf8(&msg.text).ok()?;
    let mut ev = if first == b'{' {
        json_record(text, file)?
    } else {
        falco_text(text, msg, file)?
    };
    // The record's own location is line 1 of its text; the log line is where it sits.
    let raw = ev.raw.get_or_insert_with(Raw::default);
    if raw.text.is_empty() {
        raw.text = text.into();
    }
    raw.location = Some(Location {
        file: Some(file.into()),
        line: Some(msg.location.line),
        offset: Some(msg.location.offset),
    });
    let mut carrier = Fields::new();
    if !msg.container.is_empty() {
        carrier.insert("container", &*msg.container);
    }
    carrier.insert("stream", msg.stream.as_str());
    carrier.insert("format", msg.format.as_str());
    if let Some(t) = msg.time {
        carrier.insert("time", t.to_rfc3339_nano());
    }
    ev.vendor_mut("docker")
        .insert("carrier", Field::Map(carrier));
    Some(ev)
}

/// A Falco JSON alert or a Tracee event (either era). Application JSON logs are common, so
/// each source's own keys are required before its parser is tried.
fn json_record(text: &str, file: &str) -> Option<Event> {
    let has = |k: &str| text.contains(k);
    if has("\"rule\"") && has("\"priority\"") && (has("\"output_fields\"") || has("\"output\"")) {
        let alert = tripline_falco::from_str(text.trim()).ok()?;
        let mut opts = tripline_falco::NormalizeOptions::default();
        opts.file = Some(file.to_string());
        return Some(alert.normalize_with(&opts));
    }
    match tripline_tracee::sniff(text)? {
        tripline_tracee::Sniff::TraceEvent | tripline_tracee::Sniff::V1Beta1 => {
            let record = tripline_tracee::from_str(text).ok()?;
            Some(tripline_tracee::Normalizer::default().normalize(&record))
        }
        _ => None,
    }
}

/// A Falco text alert (`HH:MM:SS.nnnnnnnnn: Priority …`). Its local time of day is dated by
/// the log line's own time, the day before or after when the two sit more than half a day
/// apart (an alert written just before midnight and logged just after).
fn falco_text(text: &str, msg: &Message, file: &str) -> Option<Event> {
    let Ok(FalcoLine::Record(FalcoRecord::Text(alert))) = tripline_falco::parse_line(text) else {
        return None;
    };
    let mut opts = tripline_falco::NormalizeOptions::default();
    opts.file = Some(file.to_string());
    if let (TextTime::LocalTimeOfDay(tod), Some(logged)) =
        (alert.time, msg.time.and_then(|t| t.to_datetime()))
    {
        opts = opts.date(alert_date(tod, logged));
    }
    Some(alert.normalize_with(&opts))
}

/// The date of a time of day (ns since midnight, UTC) written near `logged`.
fn alert_date(tod: u64, logged: DateTime<Utc>) -> NaiveDate {
    let date = logged.date_naive();
    let logged_tod = logged.timestamp_nanos_opt().unwrap_or(0).rem_euclid(DAY_NS);
    let diff = i64::try_from(tod).unwrap_or(i64::MAX) - logged_tod;
    if diff > DAY_NS / 2 {
        date.checked_sub_days(Days::new(1)).unwrap_or(date)
    } else if diff < -DAY_NS / 2 {
        date.checked_add_days(Days::new(1)).unwrap_or(date)
    } else {
        date
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_time_of_day_takes_the_nearest_date() {
        let at = |h, m| Utc.with_ymd_and_hms(2025, 11, 27, h, m, 0).unwrap();
        let ns = |h: u64, m: u64| (h * 3600 + m * 60) * 1_000_000_000;
        let day = |d| NaiveDate::from_ymd_opt(2025, 11, d).unwrap();
        assert_eq!(alert_date(ns(10, 0), at(10, 1)), day(27));
        assert_eq!(alert_date(ns(23, 59), at(0, 1)), day(26));
        assert_eq!(alert_date(ns(0, 1), at(23, 59)), day(28));
    }
}
