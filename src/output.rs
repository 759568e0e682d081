//! Rendering a [`Report`]: findings as text, NDJSON (native, ECS, OCSF) or Markdown, a summary
//! table, and the run's statistics.

use std::fmt::Write as _;
use std::io::{self, Write};

use tripline_rules::findings::{self, Format};
use tripline_schema::{Event, EventKind};

use crate::pipeline::Report;

/// The output forms of the main example.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OutputFormat {
    /// Human-readable findings and a summary table.
    Text,
    /// Native NDJSON (lossless).
    Ndjson,
    /// ECS 8.17 NDJSON.
    Ecs,
    /// OCSF 1.8.0 NDJSON (Detection Finding).
    Ocsf,
    /// Tracker-ready Markdown, one section per finding.
    Markdown,
}

impl OutputFormat {
    /// Parses `text`, `ndjson`, `ecs`, `ocsf`, `markdown`.
    pub fn parse(s: &str) -> Option<OutputFormat> {
        Some(match s {
            "text" => OutputFormat::Text,
            "ndjson" | "native" => OutputFormat::Ndjson,
            "ecs" => OutputFormat::Ecs,
            "ocsf" => OutputFormat::Ocsf,
            "markdown" | "md" => OutputFormat::Markdown,
            _ => return None,
        })
    }
}

/// Writes the findings held in `report` in `format` (text also gets the summary table).
pub fn write_findings(report: &Report, format: OutputFormat, w: &mut dyn Write) -> io::Result<()> {
    for f in &report.findings {
        write_finding(f, &report.evidence_of(f), format, w)?;
    }
    if format == OutputFormat::Text {
        w.write_all(summary(report).as_bytes())?;
    }
    Ok(())
}

/// Writes one finding (with the evidence events still held) in `format`; for streaming.
pub fn write_finding(
    f: &Event,
    evidence: &[Event],
    format: OutputFormat,
    w: &mut dyn Write,
) -> io::Result<()> {
    let json = |fmt: Format, w: &mut dyn Write| {
        serde_json::to_writer(&mut *w, &findings::to_json(f, fmt))?;
        w.write_all(b"\n")
    };
    match format {
        OutputFormat::Ndjson => json(Format::Native, w),
        OutputFormat::Ecs => json(Format::Ecs, w),
        OutputFormat::Ocsf => json(Format::Ocsf, w),
        OutputFormat::Markdown => writeln!(w, "{}", findings::to_markdown(f, evidence)),
        OutputFormat::Text => w.write_all(finding_text(f, evidence).as_bytes()),
    }
}

fn short(id: &str) -> &str {
    id.get(..12).unwrap_or(id)
}

/// One finding as a few lines of text (`evidence`: its evidence events, time order).
pub fn finding_text(f: &Event, evidence: &[Event]) -> String {
    let mut s = String::new();
    let EventKind::Finding(x) = &f.kind else {
        return s;
    };
    let title = x.rule.name.as_deref().unwrap_or("(unnamed rule)");
    let _ = writeln!(
        s,
        "[{}] {title}  {}",
        f.severity.level.caption().to_uppercase(),
        f.time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
    );
    let mut who = Vec::new();
    if let Some(u) = f.actor_user() {
        let mut t = u.name.clone().unwrap_or_else(|| "?".into());
        if let Some(id) = u.id {
            let _ = write!(t, " (uid {id})");
        }
        who.push(format!("user: {t}"));
    }
    if let Some(c) = &f.container {
        let mut t = c.name.clone().unwrap_or_else(|| "?".into());
        let mut inner = Vec::new();
        if let Some(id) = &c.id {
            inner.push(short(id).to_string());
        }
        if let Some(img) = &c.image
            && let Some(n) = &img.name
        {
            inner.push(match &img.tag {
                Some(t) => format!("{n}:{t}"),
                None => n.to_string(),
            });
        }
        if !inner.is_empty() {
            let _ = write!(t, " ({})", inner.join(", "));
        }
        who.push(format!("container: {t}"));
    }
    if let Some(h) = f.host.as_ref().and_then(|h| h.name.as_deref()) {
        who.push(format!("host: {h}"));
    }
    if !who.is_empty() {
        let _ = writeln!(s, "  {}", who.join("   "));
    }
    if let Some(p) = &x.process
        && let Some(cmd) = p.command_line.as_deref().or(p.executable.as_deref())
    {
        let _ = writeln!(s, "  command: {cmd}");
    }
    if let Some(file) = x.file.as_ref().and_then(|f| f.path.as_deref()) {
        let _ = writeln!(s, "  file: {file}");
    }
    if let Some(d) = x.destination.as_ref().and_then(|d| d.ip) {
        let _ = writeln!(s, "  destination: {d}");
    }
    if !x.group.is_empty() {
        let g: Vec<String> = x
            .group
            .iter()
            .map(|(k, v)| format!("{k}={}", if v.len() == 64 { short(v) } else { v }))
            .collect();
        let _ = writeln!(
            s,
            "  group: {}   events: {}",
            g.join(", "),
            x.count.unwrap_or(1)
        );
    } else if let Some(c) = x.count.filter(|c| *c > 1) {
        let _ = writeln!(s, "  occurrences: {c}");
    }
    if !evidence.is_empty() {
        let items: Vec<String> = evidence
            .iter()
            .map(|e| {
                let loc = e
                    .location()
                    .map(|l| {
                        let file = l.file.as_deref().unwrap_or("-");
                        let base = file.rsplit('/').next().unwrap_or(file);
                        format!("{base}:{}", l.line.unwrap_or(0))
                    })
                    .unwrap_or_default();
                format!(
                    "{} {} {loc}",
                    e.source.product.name(),
                    e.action.as_deref().unwrap_or(e.kind.name())
                )
            })
            .collect();
        let _ = writeln!(s, "  evidence: {}", items.join(" · "));
    } else if !x.evidence.is_empty() {
        let _ = writeln!(s, "  evidence: {}", x.evidence.join(", "));
    }
    let mut rule = Vec::new();
    if let Some(id) = &x.rule.id {
        rule.push(id.clone());
    }
    if let Some(r) = &x.rule.ruleset {
        rule.push(r.clone());
    }
    if let Some(c) = &x.rule.category {
        rule.push(c.clone());
    }
    if !x.rule.authors.is_empty() {
        rule.push(format!("by {}", x.rule.authors.join(", ")).into());
    }
    if !rule.is_empty() {
        let _ = writeln!(s, "  rule: {}", rule.join(" · "));
    }
    s.push('\n');
    s
}

fn table(s: &mut String, title: &str, rows: &std::collections::BTreeMap<String, u64>) {
    if rows.is_empty() {
        return;
    }
    let width = rows
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0)
        .max(title.len());
    let _ = writeln!(s, "  {title:<width$}  findings");
    let mut rows: Vec<(&String, &u64)> = rows.iter().collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    for (k, v) in rows {
        let _ = writeln!(s, "  {k:<width$}  {v:>8}");
    }
    s.push('\n');
}

/// The summary table: counts by rule, severity, source, container and user.
pub fn summary(report: &Report) -> String {
    let c = &report.metrics.overall;
    let mut s = String::new();
    let _ = writeln!(
        s,
        "== Summary: {} findings ({} occurrences), {} suppressed, from {} events ==\n",
        c.total,
        c.occurrences,
        report.suppressed.len(),
        report.stats.events
    );
    table(&mut s, "rule", &c.by_rule);
    table(&mut s, "severity", &c.by_severity);
    table(&mut s, "source", &c.by_source);
    table(&mut s, "container", &c.by_container);
    table(&mut s, "user", &c.by_user);
    s
}

/// The run's statistics: inputs (line accounting), pipeline, enrichment, correlation,
/// de-duplication, suppressions, rejected rules.
pub fn stats_text(report: &Report) -> String {
    let mut s = String::new();
    s.push_str("== Inputs ==\n");
    for i in &report.inputs {
        let _ = writeln!(
            s,
            "  {} [{}] lines={} records={} errors={} skipped={} continuation={} events={} bytes={}{}",
            i.file,
            i.format,
            i.lines,
            i.records,
            i.errors,
            i.skipped,
            i.continuation,
            i.events,
            i.bytes,
            if i.balanced() { "" } else { " (UNBALANCED)" }
        );
    }
    for e in &report.errors {
        let _ = writeln!(s, "  error: {e}");
    }
    let p = &report.stats;
    let _ = writeln!(
        s,
        "== Pipeline ==\n  events={} input_errors={} detections={} correlated={} detection_findings={} source_findings={} correlation_findings={} audit_records={} evidence_evicted={} evidence_missing={}",
        p.events,
        p.input_errors,
        p.detections,
        p.correlated,
        p.detection_findings,
        p.source_findings,
        p.correlation_findings,
        p.audit_records,
        p.evidence_evicted,
        p.evidence_missing
    );
    let by: Vec<String> = p
        .by_product
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    let _ = writeln!(s, "  by product: {}", by.join(" "));
    if p.outside_window > 0 {
        let _ = writeln!(
            s,
            "  outside the --since/--until window: {} events",
            p.outside_window
        );
    }
    let m = &report.merge;
    let _ = writeln!(
        s,
        "  merge: emitted={} out_of_order={} untimed={}",
        m.emitted, m.out_of_order, m.untimed
    );
    let e = &report.enrich;
    let _ = writeln!(
        s,
        "  enrichment: docker_cli_targets={} from_inspect={} from_events={} unresolved={} learned_evicted={}",
        e.docker_cli_targets, e.from_inspect, e.from_events, e.unresolved, e.learned_evicted
    );
    let c = &report.correlation;
    let _ = writeln!(
        s,
        "  correlation: inputs={} accepted={} matches={} emitted={} late_dropped={} missing_group_field={} groups_evicted={} entries_evicted={} peak_groups={}",
        c.inputs,
        c.accepted,
        c.matches,
        c.emitted,
        c.late_dropped,
        c.missing_group_field,
        c.groups_evicted,
        c.entries_evicted,
        c.peak_groups
    );
    let d = &report.dedup;
    let _ = writeln!(
        s,
        "  dedup: observed={} new={} repeats={} evicted={}",
        d.observed, d.new, d.repeats, d.evicted
    );
    for r in &report.suppressions {
        let _ = writeln!(
            s,
            "  suppression {}: suppressed={} expired={} ({})",
            r.id, r.suppressed, r.expired, r.reason
        );
    }
    for r in &report.rejected {
        let _ = writeln!(s, "  rejected: {r}");
    }
    s
}
