//! The plain-text line `docker events` prints:
//! `<RFC3339Nano fixed> <Type> <Action> <Actor.ID> (k=v, k2=v2)`.
//!
//! Actions can contain spaces (`exec_start: sh -c …`) and attribute values can contain `, `
//! and `)`, so the line is parsed from both ends: the timestamp and type from the left, the
//! attribute list from the right (its keys are sorted, which locates the separators), and
//! the ID is the last token before the attribute list.

use std::borrow::Cow;

use super::kind::EventType;
use super::kind::split_action;
use super::record::{Era, EventRecord};
use crate::attrs::Attributes;
use crate::{Error, Timestamp};

fn valid_key(k: &str) -> bool {
    !k.is_empty()
        && !k
            .bytes()
            .any(|c| c.is_ascii_whitespace() || c == b',' || c == b'(')
}

/// Splits `k=v, k2=v2` where keys are sorted ascending (as the CLI prints them); a `, `
/// followed by something that is not a greater key belongs to the value.
pub(crate) fn parse_attr_list(s: &str) -> Option<Attributes<'_>> {
    let eq = s.find('=')?;
    let mut key = &s[..eq];
    if !valid_key(key) {
        return None;
    }
    let mut out = Vec::new();
    let mut val_start = eq + 1;
    let mut pos = val_start;
    while let Some(j) = s[pos..].find(", ").map(|j| j + pos) {
        let next = &s[j + 2..];
        match next.find('=') {
            Some(e) if valid_key(&next[..e]) && &next[..e] > key => {
                out.push((Cow::Borrowed(key), Cow::Borrowed(&s[val_start..j])));
                key = &next[..e];
                val_start = j + 2 + e + 1;
                pos = val_start;
            }
            _ => pos = j + 2,
        }
    }
    out.push((Cow::Borrowed(key), Cow::Borrowed(&s[val_start..])));
    Some(Attributes(out))
}

fn hex_id(t: &str) -> bool {
    t.len() >= 12 && t.bytes().all(|c| c.is_ascii_hexdigit())
}

/// Parses one text event line.
pub fn parse_text_event(line: &str) -> Result<EventRecord<'_>, Error> {
    let bad = || Error::format("docker events text", line.as_bytes());
    let line = line.trim_end_matches(['\r', '\n']);
    let (ts, rest) = line.split_once(' ').ok_or_else(bad)?;
    let timestamp = Timestamp::parse(ts).map_err(|_| bad())?;
    let (ty, rest) = rest.split_once(' ').ok_or_else(bad)?;
    if ty.is_empty() || rest.is_empty() {
        return Err(bad());
    }
    let verb = rest.split(' ').next().unwrap_or("");
    let detailed = verb.ends_with(':');
    let mut choice: Option<(usize, Attributes<'_>)> = None;
    if rest.ends_with(')') {
        let inner_end = rest.len() - 1;
        let mut first_ok = None;
        for (i, _) in rest.match_indices(" (") {
            let Some(attrs) = parse_attr_list(&rest[i + 2..inner_end]) else {
                continue;
            };
            let head = &rest[..i];
            if !detailed {
                choice = Some((i, attrs));
                break;
            }
            let id = head.rsplit(' ').next().unwrap_or("");
            if hex_id(id) {
                choice = Some((i, attrs));
                break;
            }
            if first_ok.is_none() {
                first_ok = Some((i, attrs));
            }
        }
        if choice.is_none() {
            choice = first_ok;
        }
    }
    let (head, attributes) = match choice {
        Some((i, a)) => (&rest[..i], a),
        None => (rest, Attributes::default()),
    };
    let (action, id) = match head.rsplit_once(' ') {
        Some((a, id)) if !a.is_empty() => (a, id),
        _ => (head, ""),
    };
    if split_action(action).0.is_empty() {
        return Err(bad());
    }
    Ok(EventRecord {
        era: Era::Text,
        event_type: EventType::parse(ty),
        type_inferred: false,
        action: Cow::Borrowed(action),
        actor_id: Cow::Borrowed(id),
        attributes,
        scope: None,
        time: Some(timestamp.secs),
        time_nano: timestamp.unix_nanos(),
        timestamp: Some(timestamp),
        status: None,
        id: None,
        from: None,
        service: None,
        health_status: None,
        container_exit_code: None,
    })
}

/// The length of [`write_head`]'s output (exact for years 0–9999).
pub(crate) fn head_len(ev: &EventRecord<'_>) -> usize {
    let ts_len = ev.timestamp.map_or(0, |t| t.rfc3339_fixed_len() + 1);
    ts_len + ev.event_type.as_str().len() + ev.action.len() + ev.actor_id.len() + 2
}

/// Appends the line up to the attribute list: `<time> <Type> <Action> <Actor.ID>`.
pub(crate) fn write_head(ev: &EventRecord<'_>, s: &mut String) {
    if let Some(t) = ev.timestamp {
        t.write_rfc3339(true, s);
        s.push(' ');
    }
    s.push_str(ev.event_type.as_str());
    s.push(' ');
    s.push_str(&ev.action);
    s.push(' ');
    s.push_str(&ev.actor_id);
}

/// Appends ` (k=v, k=v)` for attributes already in the order to print; nothing when there
/// are none.
pub(crate) fn write_attrs<'x>(attrs: impl Iterator<Item = (&'x str, &'x str)>, s: &mut String) {
    let mut attrs = attrs.peekable();
    if attrs.peek().is_none() {
        return;
    }
    s.push_str(" (");
    for (i, (k, v)) in attrs.enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(k);
        s.push('=');
        s.push_str(v);
    }
    s.push(')');
}

/// Writes a record as `docker events` prints it (attributes sorted by key), for tests and
/// for tools that want the familiar text.
pub fn render_text_event(ev: &EventRecord<'_>) -> String {
    let attrs_len = if ev.attributes.is_empty() {
        0
    } else {
        ev.attributes
            .iter()
            .map(|(k, v)| k.len() + v.len() + 3)
            .sum::<usize>()
            + 1
    };
    let mut s = String::with_capacity(head_len(ev) + attrs_len);
    write_head(ev, &mut s);
    if !ev.attributes.is_empty() {
        // The daemon's attributes come from a Go map marshalled with sorted keys, so they
        // are usually in order already; sort only when they are not.
        let a = &ev.attributes.0;
        // One key comparison per pair (the tuple `<=` compared equal keys twice).
        if a.windows(2)
            .all(|w| match w[0].0.as_ref().cmp(w[1].0.as_ref()) {
                std::cmp::Ordering::Less => true,
                std::cmp::Ordering::Equal => w[0].1 <= w[1].1,
                std::cmp::Ordering::Greater => false,
            })
        {
            write_attrs(a.iter().map(|(k, v)| (k.as_ref(), v.as_ref())), &mut s);
        } else {
            let mut kv: Vec<(&str, &str)> = ev.attributes.iter().collect();
            kv.sort_unstable();
            write_attrs(kv.into_iter(), &mut s);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_with_commas_and_parens() {
        let l = "2024-05-01T10:00:00.000000000+02:00 container exec_start: sh -c echo (a, b) x=1 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef (desc=one, two), execID=e1, image=alpine, name=web)";
        let e = parse_text_event(l).unwrap();
        assert_eq!(e.action, "exec_start: sh -c echo (a, b) x=1");
        assert_eq!(e.detail(), Some("sh -c echo (a, b) x=1"));
        assert_eq!(e.actor_id.len(), 64);
        assert_eq!(e.attr("desc"), Some("one, two)"));
        assert_eq!(e.attr("execID"), Some("e1"));
        assert_eq!(e.name(), Some("web"));
        assert_eq!(e.timestamp.unwrap().offset_secs, 7200);
        assert_eq!(e.timestamp.unwrap().secs, 1_714_550_400);
    }

    #[test]
    fn prune_with_empty_id_and_no_attrs() {
        let e = parse_text_event("2024-05-01T10:00:00.000000000Z container prune  (reclaimed=0)")
            .unwrap();
        assert_eq!((e.action.as_ref(), e.actor_id.as_ref()), ("prune", ""));
        assert_eq!(e.attr("reclaimed"), Some("0"));
        let e = parse_text_event("2024-05-01T10:00:00.000000000Z image delete sha256:abc").unwrap();
        assert_eq!(
            (e.action.as_ref(), e.actor_id.as_ref()),
            ("delete", "sha256:abc")
        );
        assert!(e.attributes.is_empty());
        let e = parse_text_event("2024-05-01T10:00:00.000000000Z container health_status: unhealthy abc123 (image=a (b), name=n)").unwrap();
        assert_eq!(e.detail(), Some("unhealthy"));
        assert_eq!(e.actor_id, "abc123");
        assert_eq!(e.image(), Some("a (b)"));
        assert!(parse_text_event("not an event").is_err());
        assert!(parse_text_event("2024-05-01T10:00:00Z container").is_err());
    }
}
