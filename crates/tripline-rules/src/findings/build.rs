//! Detection and correlation matches as normalized findings (`EventKind::Finding`).

use tripline_schema::{
    Attack, Container, Event, EventKind, Finding, Product, Rule, Severity, Source, Text, User,
};

use crate::correlation::{CorrelationMatch, CorrelationSpec};

/// Sigma's comma-separated `author` as a list (the Detection Rule License wants each named).
fn authors(author: Option<&str>) -> Vec<Text> {
    author
        .map(|a| {
            a.split(',')
                .map(|s| Text::from(s.trim()))
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default()
}

fn texts(list: &[String]) -> Vec<Text> {
    list.iter().map(|s| Text::from(s.as_str())).collect()
}

/// Builds the finding event for a detection rule's match on `ev`: the rule's metadata, the
/// event's process, user, file, endpoints and context, the event as the only evidence; the
/// event id is `sigma-<rule>-<event id>`.
pub fn from_detection(f: crate::Finding, rule: &crate::Rule, ev: &Event) -> Event {
    let network = matches!(ev.kind, EventKind::Network(_));
    let finding = Finding {
        rule: Rule {
            id: f.rule_id.as_deref().map(Text::from),
            name: Some(Text::from(f.rule_title.as_str())),
            description: rule.meta.description.as_deref().map(Text::from),
            authors: authors(f.author.as_deref()),
            ruleset: Some(Text::const_new("sigma")),
            category: Some(rule.logsource.to_string().into()),
            license: Some(
                rule.meta
                    .license
                    .as_deref()
                    .map_or_else(|| Text::const_new("DRL-1.1"), Text::from),
            ),
            references: texts(&rule.meta.references),
            ..Rule::default()
        },
        attacks: f.attack,
        evidence: ev.id.iter().cloned().collect(),
        count: Some(1),
        first_seen: Some(ev.time),
        last_seen: Some(ev.time),
        event_type: ev.action.clone(),
        process: ev.kind.process().cloned(),
        user: ev.actor_user().cloned(),
        file: ev.kind.file().cloned(),
        source: ev.source_endpoint().filter(|_| network).cloned(),
        destination: ev.destination_endpoint().filter(|_| network).cloned(),
        ..Finding::default()
    };
    let mut e = Event::new(
        ev.time,
        Source::new(Product::Tripline, "sigma"),
        EventKind::Finding(Box::new(finding)),
    );
    e.id = Some(
        format!(
            "sigma-{}-{}",
            f.rule_id.as_deref().unwrap_or(&f.rule_title),
            ev.id.as_deref().unwrap_or("-")
        )
        .into(),
    );
    e.action = Some(Text::const_new("sigma"));
    e.severity = f.severity.unwrap_or_default();
    e.container = ev.container.clone();
    e.host = ev.host.clone();
    e.orchestrator = ev.orchestrator.clone();
    e.message = Some(Text::from(f.rule_title.as_str()));
    e.tags = texts(&f.tags);
    e
}

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
        authors: authors(spec.author.as_deref()),
        ruleset: Some("sigma".into()),
        category: Some(format!("correlation/{}", m.kind).into()),
        references: texts(&spec.references),
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
    // Endpoints come from network activity and findings (not from logins' client addresses).
    let endpoints = |e: &Event| matches!(e.kind, EventKind::Network(_) | EventKind::Finding(_));
    finding.source = first_with(&|e| endpoints(e) && e.source_endpoint().is_some())
        .and_then(|e| e.source_endpoint().cloned());
    finding.destination = first_with(&|e| endpoints(e) && e.destination_endpoint().is_some())
        .and_then(|e| e.destination_endpoint().cloned());

    let mut event = Event::new(
        m.last_seen,
        Source::new(Product::Tripline, "sigma-correlation"),
        EventKind::Finding(Box::new(finding)),
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
    event.tags = texts(&spec.tags);
    event
}
