//! ausearch-style filters over assembled events.
//!
//! Criteria are ANDed; each one matches when any record of the event satisfies it, like
//! ausearch. Field names and comparisons follow ausearch 3.0.9 (checked against it on the
//! corpus in the differential tests).

use chrono::{
    Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Timelike,
};

use crate::event::AuditEvent;
use crate::record::{EventTime, Record, Scope};

/// A filter over [`AuditEvent`]s, built like an ausearch command line.
///
/// ```
/// use tripline_auditd::Query;
/// let q = Query::new().message_types("USER_CMD,USER_LOGIN").uid_any(0);
/// assert!(!q.is_empty());
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Query {
    /// `-m`: record type names (any record of the event).
    pub types: Vec<String>,
    /// `-p`: process id.
    pub pid: Option<i64>,
    /// `-pp`: parent process id.
    pub ppid: Option<i64>,
    /// `-ua`: uid, euid or auid.
    pub uid_any: Option<u32>,
    /// `-ui`: uid.
    pub uid: Option<u32>,
    /// `-ue`: euid.
    pub euid: Option<u32>,
    /// `-ul`: auid (login uid).
    pub auid: Option<u32>,
    /// `-ga`: gid or egid.
    pub gid_any: Option<u32>,
    /// `-gi`: gid.
    pub gid: Option<u32>,
    /// `-ge`: egid.
    pub egid: Option<u32>,
    /// `-k`: audit rule key.
    pub key: Option<String>,
    /// `-c`: command name (`comm`).
    pub comm: Option<String>,
    /// `-x`: executable (`exe`).
    pub exe: Option<String>,
    /// `-sc NUMBER`: syscall number.
    pub syscall: Option<u32>,
    /// `-sc NAME`: syscall name, resolved per record arch (ENRICHED `SYSCALL=` first).
    pub syscall_name: Option<String>,
    /// `-sv`: success (`true` = yes).
    pub success: Option<bool>,
    /// `-su`: subject security context.
    pub subject: Option<String>,
    /// `-ts`: earliest event time.
    pub start: Option<EventTime>,
    /// `-te`: latest event time.
    pub end: Option<EventTime>,
    /// `--node`: node names (any).
    pub nodes: Vec<String>,
    /// `-a`: event serial.
    pub serial: Option<u32>,
}

fn field<'a>(r: &Record<'a>, key: &str) -> Option<std::borrow::Cow<'a, str>> {
    r.get_in(key, Scope::Body)
        .or_else(|| r.get_in(key, Scope::Msg))
        .map(|f| f.text())
}

fn num_eq(r: &Record<'_>, key: &str, want: i64) -> bool {
    field(r, key).is_some_and(|v| v.parse::<i64>().ok() == Some(want))
}

/// An id field as ausearch reads it: in user-space messages a `uid=` inside `msg='…'` wins
/// over the body's (`msg='uid=500: …'`), leading digits only; daemon records only carry
/// `auid` for searching.
fn id_field(r: &Record<'_>, key: &str) -> Option<i64> {
    let t = r.record_type();
    if t.is_some_and(|t| t.is_daemon()) && key != "auid" {
        return None;
    }
    let f = if t.is_some_and(|t| t.is_user_space()) {
        r.get_in(key, Scope::Msg)
            .or_else(|| r.get_in(key, Scope::Body))
    } else {
        r.get_in(key, Scope::Body)
    }?;
    let digits = f.raw.bytes().take_while(u8::is_ascii_digit).count();
    f.raw[..digits].parse().ok()
}

impl Query {
    /// An empty query (matches everything).
    pub fn new() -> Self {
        Query::default()
    }

    /// Whether no criterion is set.
    pub fn is_empty(&self) -> bool {
        *self == Query::default()
    }

    /// `-m TYPE[,TYPE…]`.
    pub fn message_types(mut self, list: &str) -> Self {
        self.types
            .extend(list.split(',').filter(|s| !s.is_empty()).map(str::to_owned));
        self
    }

    /// `-p PID`.
    pub fn pid(mut self, pid: i64) -> Self {
        self.pid = Some(pid);
        self
    }

    /// `-pp PPID`.
    pub fn ppid(mut self, ppid: i64) -> Self {
        self.ppid = Some(ppid);
        self
    }

    /// `-ua UID` (uid, euid or auid).
    pub fn uid_any(mut self, uid: u32) -> Self {
        self.uid_any = Some(uid);
        self
    }

    /// `-k KEY`.
    pub fn key(mut self, key: &str) -> Self {
        self.key = Some(key.to_owned());
        self
    }

    /// `-c COMM`.
    pub fn comm(mut self, comm: &str) -> Self {
        self.comm = Some(comm.to_owned());
        self
    }

    /// `-x EXE`.
    pub fn exe(mut self, exe: &str) -> Self {
        self.exe = Some(exe.to_owned());
        self
    }

    /// `-sc NAME|NUMBER`.
    pub fn syscall(mut self, syscall: &str) -> Self {
        match syscall.parse() {
            Ok(n) => self.syscall = Some(n),
            Err(_) => self.syscall_name = Some(syscall.to_owned()),
        }
        self
    }

    /// `-sv yes|no`.
    pub fn success(mut self, yes: bool) -> Self {
        self.success = Some(yes);
        self
    }

    /// `-a SERIAL`.
    pub fn serial(mut self, serial: u32) -> Self {
        self.serial = Some(serial);
        self
    }

    /// `--node NAME`.
    pub fn node(mut self, node: &str) -> Self {
        self.nodes.push(node.to_owned());
        self
    }

    /// Whether the event satisfies every criterion.
    pub fn matches(&self, ev: &AuditEvent) -> bool {
        let id = ev.id();
        if let Some(s) = self.serial
            && id.serial != s
        {
            return false;
        }
        if let Some(start) = self.start
            && id.time < start
        {
            return false;
        }
        if let Some(end) = self.end
            && id.time > end
        {
            return false;
        }
        if !self.nodes.is_empty()
            && !id
                .node
                .as_deref()
                .is_some_and(|n| self.nodes.iter().any(|w| w == n))
        {
            return false;
        }
        if !self.types.is_empty()
            && !ev.records().any(|r| {
                self.types
                    .iter()
                    .any(|t| t == r.canonical_type_name() || t == r.type_name())
            })
        {
            return false;
        }
        let any = |f: &dyn Fn(&Record<'_>) -> bool| ev.records().any(|r| f(&r));
        if let Some(p) = self.pid
            && !any(&|r| num_eq(r, "pid", p))
        {
            return false;
        }
        if let Some(p) = self.ppid
            && !any(&|r| num_eq(r, "ppid", p))
        {
            return false;
        }
        let idq = |want: Option<u32>, keys: &[&str]| -> bool {
            match want {
                None => true,
                Some(u) => any(&|r| keys.iter().any(|k| id_field(r, k) == Some(i64::from(u)))),
            }
        };
        if !idq(self.uid_any, &["uid", "euid", "auid"])
            || !idq(self.uid, &["uid"])
            || !idq(self.euid, &["euid"])
            || !idq(self.auid, &["auid"])
            || !idq(self.gid_any, &["gid", "egid"])
            || !idq(self.gid, &["gid"])
            || !idq(self.egid, &["egid"])
        {
            return false;
        }
        if let Some(k) = &self.key
            && !ev.keys().iter().any(|have| have == k)
        {
            return false;
        }
        let text_eq = |want: &Option<String>, key: &str| -> bool {
            match want {
                None => true,
                Some(w) => any(&|r| field(r, key).is_some_and(|v| v == w.as_str())),
            }
        };
        if !text_eq(&self.comm, "comm")
            || !text_eq(&self.exe, "exe")
            || !text_eq(&self.subject, "subj")
        {
            return false;
        }
        if let Some(sc) = self.syscall
            && !any(&|r| num_eq(r, "syscall", i64::from(sc)))
        {
            return false;
        }
        if let Some(name) = &self.syscall_name
            && !any(&|r| crate::interp_support::syscall_name(r) == Some(name.as_str()))
        {
            return false;
        }
        if let Some(yes) = self.success
            && !any(&|r| match field(r, "success") {
                Some(v) => (v == "yes") == yes,
                None => match field(r, "res") {
                    Some(v) => matches!(&*v, "success" | "1" | "yes") == yes,
                    None => false,
                },
            })
        {
            return false;
        }
        true
    }
}

/// Which end of a time range a `-ts`/`-te` argument bounds (date-only ends differ).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TimeBound {
    /// `-ts`: a date without time means 00:00:00.
    Start,
    /// `-te`: a date without time means 23:59:59.
    End,
}

impl TimeBound {
    /// Parses ausearch's time arguments: a keyword (`now`, `recent`, `this-hour`, `today`,
    /// `yesterday`, `this-week`, `week-ago`, `this-month`, `this-year`) or a date
    /// `MM/DD/YY` (C locale `%x`) optionally followed by `HH:MM:SS` or `HH:MM`, in the time
    /// zone `tz`, relative to `now` (seconds since the epoch).
    ///
    /// ```
    /// use chrono::FixedOffset;
    /// use tripline_auditd::TimeBound;
    /// let utc = FixedOffset::east_opt(0).unwrap();
    /// let t = TimeBound::Start.parse("04/12/17", Some("22:48:00"), utc, 0).unwrap();
    /// assert_eq!(t.secs, 1492037280);
    /// assert!(TimeBound::Start.parse("04/12/2017", None, utc, 0).is_none());
    /// ```
    pub fn parse(
        self,
        date: &str,
        time: Option<&str>,
        tz: FixedOffset,
        now: i64,
    ) -> Option<EventTime> {
        let now_dt = tz.timestamp_opt(now, 0).single()?;
        let midnight = |d: NaiveDate| tz.from_local_datetime(&d.and_hms_opt(0, 0, 0)?).single();
        let today = now_dt.date_naive();
        let at = match date {
            "now" => Some(now_dt),
            "recent" => Some(now_dt - Duration::minutes(10)),
            "this-hour" => now_dt.with_minute(0).and_then(|d| d.with_second(0)),
            "today" => midnight(today),
            "yesterday" => midnight(today.pred_opt()?),
            "this-week" => {
                midnight(today - Duration::days(i64::from(today.weekday().num_days_from_sunday())))
            }
            "week-ago" => midnight(today - Duration::days(7)),
            "this-month" => midnight(today.with_day(1)?),
            "this-year" => midnight(NaiveDate::from_ymd_opt(today.year(), 1, 1)?),
            _ => {
                let mut parts = date.split('/');
                let (m, d, y) = (parts.next()?, parts.next()?, parts.next()?);
                if parts.next().is_some() || y.len() != 2 {
                    return None;
                }
                let (m, d, y): (u32, u32, i32) =
                    (m.parse().ok()?, d.parse().ok()?, y.parse().ok()?);
                // %y: 69–99 → 19xx, 00–68 → 20xx.
                let year = if y >= 69 { 1900 + y } else { 2000 + y };
                let day = NaiveDate::from_ymd_opt(year, m, d)?;
                let t = match time {
                    Some(t) => NaiveTime::parse_from_str(t, "%H:%M:%S")
                        .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
                        .ok()?,
                    None if self == TimeBound::Start => NaiveTime::from_hms_opt(0, 0, 0)?,
                    None => NaiveTime::from_hms_opt(23, 59, 59)?,
                };
                return tz
                    .from_local_datetime(&NaiveDateTime::new(day, t))
                    .single()
                    .and_then(|dt| {
                        Some(EventTime {
                            secs: u64::try_from(dt.timestamp()).ok()?,
                            msec: 0,
                        })
                    });
            }
        }?;
        let at = match time {
            Some(t) if date != "now" && date != "recent" => {
                let t = NaiveTime::parse_from_str(t, "%H:%M:%S")
                    .or_else(|_| NaiveTime::parse_from_str(t, "%H:%M"))
                    .ok()?;
                tz.from_local_datetime(&NaiveDateTime::new(at.date_naive(), t))
                    .single()?
            }
            _ => at,
        };
        Some(EventTime {
            secs: u64::try_from(at.timestamp()).ok()?,
            msec: 0,
        })
    }
}
