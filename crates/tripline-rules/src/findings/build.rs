//! Correlation matches as normalized findings (`EventKind::Finding`).

use tripline_schema::{
    Attack, Container, Event, EventKind, Finding, Product, Rule, Severity, Source, Text, User,
};

use crate::correlation::{CorrelationMatch, CorrelationSpec};

/// Builds the finding event for a correlation match.
///
/// `spec` supplies the metadata (description, authors, references, tags → ATT&CK); `evidence`
/// are the evidence events the caller still holds (any order, may be empty): the finding takes
/// its user, process, file, endpoints, container and host from the first evidence event that
/// has each. Group-by values named `user.name`, `container.id` or `container.name` fill the
/// user or container when no evidence provides them. Evidence ids are the match's handles
/// (`id` or `file:line`); the event id is `corr-<rule>-<last seen ns>`.
pub fn from_correlation(m: &CorrelationMatch, spec: &CorrelationSpec, evidence: &[Event]) -> Event {
    let rule = Rule {
        id: m.rule_id.as_deref().map(Text::from),
        name: Some(Text::from(m.title.as_str())),
        description: spec.description.as_deref().map(Text::from),
        authors: spec
            .author
            .as_deref()
            .map(|a| {
                a.split(',')
                    .map(|s| Text::from(s.trim()))
                    .filter(|s| !s.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
        ruleset: Some("sigma".into()),
        category: Some(format!("correlation/{}", m.kind).into()),
        references: spec
            .references
            .iter()
            .map(|r| Text::from(r.as_str()))
            .collect(),
        license: Some("DRL-1.1".into()),
        ..Rule::default()
    };
    let mut ev_sorted: Vec<&Event> = evidence.iter().collect();
    ev_sorted.sort_by_key(|e| e.time);
    let first_with = |get: &dyn Fn(&Event) -> bool| ev_sorted.iter().copied().find(|e| get(e));

    let mut finding = Finding {
        rule,
        attacks: Attack::from_sigma_tags(&spec.tags),
        evidence: m
            .evidence
            .iter()
            .map(|e| Text::from(e.to_string()))
            .collect(),
        group: m
            .group
            .iter()
            .map(|(k, v)| (Text::from(k.as_str()), Text::from(v.as_str())))
            .collect(),
        count: Some(m.count),
        first_seen: Some(m.first_seen),
        last_seen: Some(m.last_seen),
        event_type: Some(m.kind.to_string().into()),
        ..Finding::default()
    };
    finding.user = first_with(&|e| e.actor_user().is_some())
        .and_then(|e| e.actor_user().cloned())
        .or_else(|| m.group_value("user.name").map(User::from_name));
    finding.process =
        first_with(&|e| e.kind.process().is_some()).and_then(|e| e.kind.process().cloned());
    finding.file = first_with(&|e| e.kind.file().is_some()).and_then(|e| e.kind.file().cloned());
    for e in &ev_sorted {
        match &e.kind {
            EventKind::Network(n) => {
                finding.source = finding.source.take().or_else(|| n.source.clone());
                finding.destination = finding.destination.take().or_else(|| n.destination.clone());
            }
            EventKind::Finding(f) => {
                finding.source = finding.source.take().or_else(|| f.source.clone());
                finding.destination = finding.destination.take().or_else(|| f.destination.clone());
            }
            _ => {}
        }
    }

    let mut event = Event::new(
        m.last_seen,
        Source::new(Product::Tripline, "sigma-correlation"),
        EventKind::Finding(finding),
    );
    event.id = Some(
        format!(
            "corr-{}-{}",
            m.ident(),
            crate::correlation::to_ns(m.last_seen)
        )
        .into(),
    );
    event.action = Some(m.kind.to_string().into());
    event.severity = m
        .level
        .as_deref()
        .and_then(Severity::from_sigma_level)
        .unwrap_or_default();
    event.container = first_with(&|e| e.container.is_some())
        .and_then(|e| e.container.clone())
        .or_else(|| {
            let id = m.group_value("container.id").map(Text::from);
            let name = m.group_value("container.name").map(Text::from);
            (id.is_some() || name.is_some()).then(|| Container {
                id,
                name,
                ..Container::default()
            })
        });
    event.host = first_with(&|e| e.host.is_some()).and_then(|e| e.host.clone());
    let group: Vec<String> = m.group.iter().map(|(k, v)| format!("{k}={v}")).collect();
    event.message = Some(if group.is_empty() {
        format!("{} ({} events)", m.title, m.count).into()
    } else {
        format!("{} [{}] ({} events)", m.title, group.join(", "), m.count).into()
    });
    event.tags = spec.tags.iter().map(|t| Text::from(t.as_str())).collect();
    event
}
