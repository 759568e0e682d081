//! Suppressions: known false positives, matched on finding fields, with reason, author and
//! expiry. Every suppressed finding is counted against the suppression that matched it.

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use tripline_schema::{Event, Value};

use crate::correlation::to_ns;
use crate::error::snippet;
use crate::{Error, Location};

/// How one field condition matches the field's text.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Matcher {
    /// Equal text (case-sensitive).
    Exact(String),
    /// A pattern with `*` (any run) and `?` (one character); `\` escapes the next character.
    Wildcard(String),
    /// Any of these matchers.
    List(Vec<Matcher>),
}

impl Matcher {
    /// A matcher from a pattern text: wildcard when it has an unescaped `*` or `?`, else exact
    /// (with `\` escapes removed).
    pub fn parse(text: &str) -> Matcher {
        let mut plain = String::with_capacity(text.len());
        let mut chars = text.chars();
        let mut wild = false;
        while let Some(c) = chars.next() {
            match c {
                '\\' => plain.push(chars.next().unwrap_or('\\')),
                '*' | '?' => {
                    wild = true;
                    break;
                }
                c => plain.push(c),
            }
        }
        if wild {
            Matcher::Wildcard(text.to_string())
        } else {
            Matcher::Exact(plain)
        }
    }

    /// Whether `text` matches.
    pub fn matches(&self, text: &str) -> bool {
        match self {
            Matcher::Exact(s) => s == text,
            Matcher::Wildcard(p) => wildcard(p, text),
            Matcher::List(l) => l.iter().any(|m| m.matches(text)),
        }
    }
}

/// Wildcard match with backtracking over the last `*`.
fn wildcard(pattern: &str, text: &str) -> bool {
    #[derive(Clone, Copy, PartialEq)]
    enum Tok {
        Lit(char),
        One,
        Any,
    }
    let mut toks = Vec::new();
    let mut it = pattern.chars();
    while let Some(c) = it.next() {
        toks.push(match c {
            '\\' => Tok::Lit(it.next().unwrap_or('\\')),
            '*' => Tok::Any,
            '?' => Tok::One,
            c => Tok::Lit(c),
        });
    }
    let text: Vec<char> = text.chars().collect();
    let (mut p, mut t) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match toks.get(p) {
            Some(Tok::Any) => {
                star = Some((p, t));
                p += 1;
            }
            Some(Tok::One) => {
                p += 1;
                t += 1;
            }
            Some(Tok::Lit(c)) if *c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    toks[p..].iter().all(|t| *t == Tok::Any)
}

/// One suppression: when every condition matches a finding, the finding is suppressed.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    /// An identifier (the file's `id`, else `#<index>`).
    pub id: String,
    /// Why the findings are false positives.
    pub reason: String,
    /// Who decided it.
    pub author: Option<String>,
    /// After this time the suppression no longer applies (it is then reported as expired).
    pub expires: Option<DateTime<Utc>>,
    /// (ECS path read with `Event::get`, matcher); all must match.
    pub conditions: Vec<(String, Matcher)>,
}

impl Suppression {
    /// Whether every condition matches the event (list-valued fields: any element).
    pub fn matches(&self, event: &Event) -> bool {
        self.conditions
            .iter()
            .all(|(path, m)| match event.get(path) {
                Some(Value::List(items)) => items
                    .iter()
                    .filter_map(Value::to_text)
                    .any(|t| m.matches(&t)),
                Some(v) => v.to_text().is_some_and(|t| m.matches(&t)),
                None => false,
            })
    }

    /// Whether the suppression has expired at `now`.
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        self.expires.is_some_and(|e| to_ns(e) <= to_ns(now))
    }
}

/// The outcome of checking one finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Verdict {
    /// No active suppression matched: report the finding.
    Keep,
    /// Suppressed by the suppression at this index.
    Suppressed(usize),
}

/// Per-suppression counters and state, for the report.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SuppressionReport {
    /// The suppression's id.
    pub id: String,
    /// Its reason.
    pub reason: String,
    /// Its author.
    pub author: Option<String>,
    /// Its expiry.
    pub expires: Option<DateTime<Utc>>,
    /// Whether it had expired at the last check.
    pub expired: bool,
    /// Findings it suppressed.
    pub suppressed: u64,
    /// Findings it matched while expired (and therefore did not suppress).
    pub matched_while_expired: u64,
}

/// A list of suppressions with their counters.
///
/// File format (YAML or JSON): a list of entries, or a mapping with a `suppressions:` list.
///
/// ```yaml
/// suppressions:
///   - id: backup-reads-shadow
///     reason: the nightly backup job reads /etc/shadow
///     author: alice@example.com
///     expires: 2027-01-01          # or an RFC 3339 time; absent = never
///     match:
///       rule.id: 7e6d1c24-0000-4000-8000-000000000001
///       container.name: "backup-*"   # wildcard
///       user.name: [root, backup]    # list: any
/// ```
#[derive(Debug, Clone, Default)]
pub struct SuppressionSet {
    entries: Vec<Suppression>,
    suppressed: Vec<u64>,
    matched_expired: Vec<u64>,
    last_now: Option<DateTime<Utc>>,
    checked: u64,
}

impl SuppressionSet {
    /// A set of these suppressions.
    pub fn new(entries: Vec<Suppression>) -> Self {
        let n = entries.len();
        SuppressionSet {
            entries,
            suppressed: vec![0; n],
            matched_expired: vec![0; n],
            last_now: None,
            checked: 0,
        }
    }

    /// Loads a YAML (`.yml`, `.yaml`) or JSON file; the format is chosen by content, so any
    /// extension works.
    pub fn from_path(path: impl AsRef<Path>) -> Result<Self, Error> {
        let path = path.as_ref();
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: file.clone(),
            message: e.to_string(),
        })?;
        Self::parse(&text, &file)
    }

    /// Parses YAML text.
    pub fn from_yaml_str(text: &str) -> Result<Self, Error> {
        Self::parse(text, "<string>")
    }

    /// Parses JSON text.
    pub fn from_json_str(text: &str) -> Result<Self, Error> {
        let v: serde_json::Value = serde_json::from_str(text)
            .map_err(|e| Error::parse("<string>", text, e.line() as u64, &e.to_string(), true))?;
        Self::from_value(&v, "<string>")
    }

    fn parse(text: &str, file: &str) -> Result<Self, Error> {
        let trimmed = text.trim_start();
        let v: serde_json::Value = if trimmed.starts_with('{') || trimmed.starts_with('[') {
            serde_json::from_str(text)
                .map_err(|e| Error::parse(file, text, e.line() as u64, &e.to_string(), true))?
        } else {
            serde_saphyr::from_str(text).map_err(|e| {
                let line = e.location().map(|l| l.line()).unwrap_or(0);
                Error::parse(file, text, line, &e.to_string(), true)
            })?
        };
        Self::from_value(&v, file)
    }

    /// Builds the set from a parsed document.
    pub fn from_value(v: &serde_json::Value, file: &str) -> Result<Self, Error> {
        let list = match v {
            serde_json::Value::Array(a) => a.as_slice(),
            serde_json::Value::Object(o) => match o.get("suppressions") {
                Some(serde_json::Value::Array(a)) => a.as_slice(),
                Some(serde_json::Value::Null) | None => &[],
                Some(_) => {
                    return Err(Error::Suppression {
                        at: at(file),
                        index: None,
                        reason: "`suppressions` must be a list".into(),
                    });
                }
            },
            serde_json::Value::Null => &[],
            _ => {
                return Err(Error::Suppression {
                    at: at(file),
                    index: None,
                    reason: "expected a list of suppressions".into(),
                });
            }
        };
        let mut entries = Vec::with_capacity(list.len());
        for (index, item) in list.iter().enumerate() {
            let bad = |reason: String| Error::Suppression {
                at: at(file),
                index: Some(index),
                reason,
            };
            let obj = item
                .as_object()
                .ok_or_else(|| bad("must be a mapping".into()))?;
            let text = |k: &str| -> Result<Option<String>, Error> {
                match obj.get(k) {
                    None | Some(serde_json::Value::Null) => Ok(None),
                    Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                    Some(serde_json::Value::Number(n)) => Ok(Some(n.to_string())),
                    Some(_) => Err(bad(format!("`{k}` must be text"))),
                }
            };
            let reason = text("reason")?.ok_or_else(|| bad("missing `reason`".into()))?;
            let expires = match text("expires")? {
                None => None,
                Some(s) => Some(parse_time(&s).ok_or_else(|| {
                    bad(format!(
                        "`expires` is not a date or RFC 3339 time: {}",
                        snippet(&s)
                    ))
                })?),
            };
            let conds = match obj.get("match") {
                Some(serde_json::Value::Object(m)) if !m.is_empty() => m,
                _ => return Err(bad("`match` must be a non-empty mapping".into())),
            };
            let mut conditions = Vec::new();
            for (path, want) in conds {
                let m = match want {
                    serde_json::Value::Array(items) => Matcher::List(
                        items
                            .iter()
                            .map(|x| scalar(x).map(|s| Matcher::parse(&s)))
                            .collect::<Option<_>>()
                            .ok_or_else(|| bad(format!("`{path}`: list items must be scalars")))?,
                    ),
                    other => Matcher::parse(
                        &scalar(other)
                            .ok_or_else(|| bad(format!("`{path}` must be a scalar or a list")))?,
                    ),
                };
                conditions.push((path.clone(), m));
            }
            entries.push(Suppression {
                id: text("id")?.unwrap_or_else(|| format!("#{index}")),
                reason,
                author: text("author")?,
                expires,
                conditions,
            });
        }
        Ok(SuppressionSet::new(entries))
    }

    /// The suppressions.
    pub fn entries(&self) -> &[Suppression] {
        &self.entries
    }

    /// Checks one finding at time `now` (expiry is judged against it) and counts the result.
    ///
    /// The first active suppression that matches wins. Matching suppressions that have
    /// expired are counted in [`SuppressionReport::matched_while_expired`] and do not apply.
    pub fn check(&mut self, event: &Event, now: DateTime<Utc>) -> Verdict {
        self.checked += 1;
        self.last_now = Some(match self.last_now {
            Some(t) if t > now => t,
            _ => now,
        });
        for (i, s) in self.entries.iter().enumerate() {
            if !s.matches(event) {
                continue;
            }
            if s.is_expired(now) {
                self.matched_expired[i] += 1;
                continue;
            }
            self.suppressed[i] += 1;
            return Verdict::Suppressed(i);
        }
        Verdict::Keep
    }

    /// Splits findings into kept and suppressed (with the suppression index), counting each.
    pub fn partition(
        &mut self,
        findings: Vec<Event>,
        now: DateTime<Utc>,
    ) -> (Vec<Event>, Vec<(usize, Event)>) {
        let mut kept = Vec::new();
        let mut suppressed = Vec::new();
        for f in findings {
            match self.check(&f, now) {
                Verdict::Keep => kept.push(f),
                Verdict::Suppressed(i) => suppressed.push((i, f)),
            }
        }
        (kept, suppressed)
    }

    /// Findings checked so far.
    pub fn checked(&self) -> u64 {
        self.checked
    }

    /// Findings suppressed so far, over all suppressions.
    pub fn total_suppressed(&self) -> u64 {
        self.suppressed.iter().sum()
    }

    /// Per-suppression counters, expiry judged at the latest `now` seen (or `now` given).
    pub fn report(&self, now: Option<DateTime<Utc>>) -> Vec<SuppressionReport> {
        let now = now.or(self.last_now);
        self.entries
            .iter()
            .enumerate()
            .map(|(i, s)| SuppressionReport {
                id: s.id.clone(),
                reason: s.reason.clone(),
                author: s.author.clone(),
                expires: s.expires,
                expired: now.is_some_and(|n| s.is_expired(n)),
                suppressed: self.suppressed[i],
                matched_while_expired: self.matched_expired[i],
            })
            .collect()
    }

    /// The suppressions expired at `now`.
    pub fn expired(&self, now: DateTime<Utc>) -> Vec<&Suppression> {
        self.entries.iter().filter(|s| s.is_expired(now)).collect()
    }
}

fn scalar(v: &serde_json::Value) -> Option<String> {
    match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        serde_json::Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// RFC 3339, or a `YYYY-MM-DD` date (midnight UTC).
/// The location of a suppression file whose line is not known (entries of parsed values).
fn at(file: &str) -> Location {
    Location {
        file: file.to_string(),
        ..Location::default()
    }
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wildcards() {
        assert!(wildcard("web-*", "web-1"));
        assert!(wildcard("*ab?", "abxabx"));
        assert!(!wildcard("*ab?", "abxab"));
        assert!(wildcard("a\\*b", "a*b"));
        assert!(!wildcard("a\\*b", "axb"));
        assert!(wildcard("*", ""));
        assert!(!wildcard("?", ""));
        assert_eq!(Matcher::parse("a\\*b"), Matcher::Exact("a*b".into()));
        assert_eq!(Matcher::parse("a*"), Matcher::Wildcard("a*".into()));
    }
}
