//! Export of findings: NDJSON (native, ECS, OCSF) and tracker-ready Markdown.

use std::fmt::Write as _;
use std::io::{self, Write};

use tripline_schema::{EcsOptions, Event, EventKind, OcsfOptions, Text, paths};

use super::fingerprint::fingerprint;

/// The JSON form of each exported line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Format {
    /// Tripline's own event JSON (`"schema": "tripline/1"`), lossless.
    Native,
    /// Elastic Common Schema 8.17 document (the schema crate's ECS view).
    Ecs,
    /// OCSF 1.8.0 event; findings are Detection Findings (the schema crate's OCSF view).
    Ocsf,
}

impl Format {
    /// Parses `native`, `ecs`, `ocsf`.
    pub fn parse(s: &str) -> Option<Format> {
        match s {
            "native" | "ndjson" => Some(Format::Native),
            "ecs" => Some(Format::Ecs),
            "ocsf" => Some(Format::Ocsf),
            _ => None,
        }
    }
}

/// One event as a JSON value in the given form.
pub fn to_json(event: &Event, format: Format) -> serde_json::Value {
    match format {
        Format::Native => event.to_native_value(),
        Format::Ecs => event.to_ecs(&EcsOptions::default()),
        Format::Ocsf => event.to_ocsf(&OcsfOptions::default()),
    }
}

/// Writes one JSON object per line; returns the number of lines written.
pub fn write_ndjson<'e, W: Write>(
    mut w: W,
    events: impl IntoIterator<Item = &'e Event>,
    format: Format,
) -> io::Result<u64> {
    let mut n = 0;
    for e in events {
        serde_json::to_writer(&mut w, &to_json(e, format))?;
        w.write_all(b"\n")?;
        n += 1;
    }
    Ok(n)
}

/// A tracker-ready Markdown report of one finding (an issue body).
///
/// Sections: title with severity; summary (rule, count, first/last seen, fingerprint); "What
/// happened" — the description and a timeline of the evidence events (time, source, action,
/// detail, location; when `evidence` is empty, the finding's evidence ids); "Affected"
/// (container, user, process, host, group-by values); "Rule" (id, ruleset, authors — the
/// Sigma Detection Rule License requires showing them —, licence, references, ATT&CK).
pub fn to_markdown(finding: &Event, evidence: &[Event]) -> String {
    let mut md = String::new();
    let f = match &finding.kind {
        EventKind::Finding(f) => Some(f),
        _ => None,
    };
    let title = f
        .and_then(|f| f.rule.name.clone())
        .or_else(|| finding.message.clone())
        .unwrap_or_else(|| Text::const_new(finding.kind.name()));
    let sev = finding.severity.level.caption();
    let _ = writeln!(md, "## [{sev}] {}", cell(&title));
    md.push('\n');
    let _ = writeln!(md, "| | |\n|---|---|");
    let _ = writeln!(md, "| Severity | {} |", severity_text(finding));
    if let Some(f) = f {
        if let Some(id) = &f.rule.id {
            let _ = writeln!(md, "| Rule id | `{}` |", cell(id));
        }
        if let Some(c) = f.count {
            let _ = writeln!(md, "| Occurrences | {c} |");
        }
        if let Some(t) = f.first_seen {
            let _ = writeln!(md, "| First seen | {} |", time(t));
        }
        if let Some(t) = f.last_seen {
            let _ = writeln!(md, "| Last seen | {} |", time(t));
        }
    } else {
        let _ = writeln!(md, "| Time | {} |", time(finding.time));
    }
    let _ = writeln!(md, "| Fingerprint | `{}` |", fingerprint(finding));
    md.push('\n');

    md.push_str("### What happened\n\n");
    if let Some(d) = f.and_then(|f| f.rule.description.as_deref()) {
        let _ = writeln!(md, "{}\n", d.trim());
    }
    if let Some(m) = &finding.message {
        let _ = writeln!(md, "> {}\n", m.replace('\n', " "));
    }
    if !evidence.is_empty() {
        let mut ev: Vec<&Event> = evidence.iter().collect();
        ev.sort_by_key(|e| e.time);
        md.push_str(
            "| Time (UTC) | Source | Action | Detail | Location |\n|---|---|---|---|---|\n",
        );
        for e in ev {
            let _ = writeln!(
                md,
                "| {} | {} | {} | {} | {} |",
                time(e.time),
                cell(e.source.product.name()),
                cell(e.action.as_deref().unwrap_or(e.kind.name())),
                cell(&detail(e)),
                cell(&location(e)),
            );
        }
        md.push('\n');
    } else if let Some(f) = f
        && !f.evidence.is_empty()
    {
        md.push_str("Evidence:\n\n");
        for e in &f.evidence {
            let _ = writeln!(md, "- `{}`", e.replace('`', "'"));
        }
        md.push('\n');
    }

    md.push_str("### Affected\n\n");
    let mut any = false;
    let mut item = |md: &mut String, k: &str, v: String| {
        any = true;
        let _ = writeln!(md, "- **{k}:** {v}");
    };
    let container = finding
        .container
        .as_ref()
        .or_else(|| evidence.iter().find_map(|e| e.container.as_ref()));
    if let Some(c) = container {
        let mut s = c
            .name
            .as_deref()
            .or_else(|| c.short_id())
            .unwrap_or_default()
            .to_string();
        if let Some(id) = c.short_id() {
            let _ = write!(s, " (`{id}`)");
        }
        if let Some(img) = c.image.as_ref().and_then(|i| i.name.as_deref()) {
            let _ = write!(s, ", image `{img}`");
            if let Some(tag) = c.image.as_ref().and_then(|i| i.tag.as_deref()) {
                let _ = write!(s, ":{tag}");
            }
        }
        item(&mut md, "Container", s.to_string());
    }
    let user = finding
        .actor_user()
        .or_else(|| evidence.iter().find_map(|e| e.actor_user()));
    if let Some(u) = user {
        let s = match (&u.name, u.id) {
            (Some(n), Some(id)) => format!("{n} (uid {id})"),
            (Some(n), None) => n.to_string(),
            (None, Some(id)) => format!("uid {id}"),
            (None, None) => String::new(),
        };
        if !s.is_empty() {
            item(&mut md, "User", s);
        }
    }
    let process = finding
        .kind
        .process()
        .or_else(|| evidence.iter().find_map(|e| e.kind.process()));
    if let Some(p) = process {
        let cmd = p
            .command_line
            .as_ref()
            .map(|c| c.to_string())
            .or_else(|| (!p.args.is_empty()).then(|| p.args.join(" ")))
            .or_else(|| p.executable.as_ref().map(|x| x.to_string()));
        if let Some(cmd) = cmd {
            item(&mut md, "Process", format!("`{}`", cmd.replace('`', "'")));
        }
    }
    if let Some(h) = finding
        .host
        .as_ref()
        .or_else(|| evidence.iter().find_map(|e| e.host.as_ref()))
        .and_then(|h| h.name.clone())
    {
        item(&mut md, "Host", h.to_string());
    }
    if let Some(f) = f {
        for (k, v) in &f.group {
            item(
                &mut md,
                &format!("Group `{k}`"),
                format!("`{}`", v.replace('`', "'")),
            );
        }
    }
    if !any {
        md.push_str("- (no entity recorded)\n");
    }
    md.push('\n');

    if let Some(f) = f {
        md.push_str("### Rule\n\n");
        let r = &f.rule;
        let _ = writeln!(md, "- **Title:** {}", r.name.as_deref().unwrap_or("-"));
        if let Some(id) = &r.id {
            let _ = writeln!(md, "- **Id:** `{id}`");
        }
        if let Some(rs) = &r.ruleset {
            let _ = writeln!(md, "- **Rule set:** {rs}");
        }
        let authors = if r.authors.is_empty() {
            "unknown".to_string()
        } else {
            r.authors.join(", ")
        };
        let _ = writeln!(md, "- **Authors:** {authors}");
        if let Some(l) = &r.license {
            let _ = writeln!(md, "- **License:** {l}");
        }
        let techniques: Vec<String> = f
            .attacks
            .iter()
            .filter_map(|a| {
                let t = a.sub_technique.as_ref().or(a.technique.as_ref())?;
                Some(match &t.name {
                    Some(n) => format!("{} {n}", t.id),
                    None => t.id.to_string(),
                })
            })
            .collect();
        if !techniques.is_empty() {
            let _ = writeln!(md, "- **ATT&CK:** {}", techniques.join(", "));
        }
        if !r.references.is_empty() {
            md.push_str("- **References:**\n");
            for u in &r.references {
                let _ = writeln!(md, "  - <{u}>");
            }
        }
    }
    md
}

fn severity_text(e: &Event) -> String {
    let cap = e.severity.level.caption();
    match &e.severity.original {
        Some(o) => format!("{cap} (source: {o})"),
        None => cap.to_string(),
    }
}

fn time(t: chrono::DateTime<chrono::Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
}

/// One line saying what the event did.
fn detail(e: &Event) -> String {
    let text = |p: &str| e.get(p).and_then(|v| v.to_text().map(|t| t.into_owned()));
    match &e.kind {
        EventKind::Finding(f) => f
            .rule
            .name
            .as_deref()
            .or(e.message.as_deref())
            .unwrap_or_default()
            .to_string(),
        EventKind::LogLine(l) => l.text.to_string(),
        _ => text(paths::PROCESS_COMMAND_LINE)
            .or_else(|| text(paths::FILE_PATH))
            .or_else(|| {
                let ip = text("destination.ip")?;
                Some(match text("destination.port") {
                    Some(p) => format!("→ {ip}:{p}"),
                    None => format!("→ {ip}"),
                })
            })
            .or_else(|| text(paths::PROCESS_EXECUTABLE))
            .or_else(|| e.message.as_ref().map(|m| m.to_string()))
            .unwrap_or_default(),
    }
}

fn location(e: &Event) -> String {
    match e.location() {
        Some(l) => match (&l.file, l.line) {
            (Some(f), Some(n)) => format!("{f}:{n}"),
            (Some(f), None) => f.to_string(),
            (None, Some(n)) => format!("line {n}"),
            (None, None) => String::new(),
        },
        None => e.id.clone().unwrap_or_default().to_string(),
    }
}

/// Escapes text for a Markdown table cell: pipes, newlines, and at most 200 characters.
fn cell(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(200)
        .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
        .collect();
    if s.chars().count() > 200 {
        out.push('…');
    }
    out.replace('|', "\\|")
}
