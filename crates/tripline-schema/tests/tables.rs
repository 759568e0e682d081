//! One test row per source value of the severity and ATT&CK normalization tables (issue 2,
//! "Done when"): every Falco priority spelling, Tracee severity (number and name), Sigma level,
//! every Falco `mitre_*` tactic tag, every Sigma `attack.<tactic>` tag and Tracee `Category`.

use tripline_schema::{Attack, Severity, SeverityLevel, Tactic};

use SeverityLevel::*;

#[test]
fn falco_priorities() {
    let rows = [
        ("Emergency", Fatal, 6),
        ("emergency", Fatal, 6),
        ("Alert", Fatal, 6),
        ("Critical", Critical, 5),
        ("Error", High, 4),
        ("Warning", Medium, 3),
        ("Notice", Low, 2),
        ("Informational", Informational, 1),
        ("Info", Informational, 1),
        ("INFO", Informational, 1),
        ("Debug", Informational, 1),
        (" debug ", Informational, 1),
    ];
    for (word, level, id) in rows {
        let s = Severity::from_falco_priority(word).unwrap_or_else(|| panic!("{word}"));
        assert_eq!((s.level, s.level.id()), (level, id), "{word}");
        assert_eq!(s.original.as_deref(), Some(word.trim()), "{word}");
    }
    for bad in ["", "warn", "fatal", "7"] {
        assert!(Severity::from_falco_priority(bad).is_none(), "{bad}");
    }
}

#[test]
fn tracee_severities() {
    let rows = [
        (0, "INFO", Informational),
        (1, "LOW", Low),
        (2, "MEDIUM", Medium),
        (3, "HIGH", High),
        (4, "CRITICAL", Critical),
    ];
    for (n, name, level) in rows {
        let by_number = Severity::from_tracee(n).unwrap();
        assert_eq!(by_number.level, level, "{n}");
        assert_eq!(by_number.original, Some(n.to_string().into()));
        assert_eq!(
            Severity::from_tracee_name(name).unwrap().level,
            level,
            "{name}"
        );
        let lower = name.to_ascii_lowercase();
        assert_eq!(
            Severity::from_tracee_name(&lower).unwrap().level,
            level,
            "{lower}"
        );
        // The v1beta1 JSON writer emits the number; accept it as text too.
        assert_eq!(
            Severity::from_tracee_name(&n.to_string()).unwrap().level,
            level,
            "{n} as text"
        );
    }
    assert!(Severity::from_tracee(5).is_none());
    assert!(Severity::from_tracee_name("SEVERE").is_none());
}

#[test]
fn sigma_levels() {
    let rows = [
        ("informational", Informational, 1),
        ("low", Low, 2),
        ("medium", Medium, 3),
        ("high", High, 4),
        ("critical", Critical, 5),
    ];
    for (word, level, id) in rows {
        let s = Severity::from_sigma_level(word).unwrap();
        assert_eq!((s.level, s.level.id()), (level, id), "{word}");
        assert_eq!(s.original.as_deref(), Some(word));
    }
    assert!(Severity::from_sigma_level("info").is_none());
}

#[test]
fn severity_captions() {
    let rows = [
        (Unknown, 0, "Unknown"),
        (Informational, 1, "Informational"),
        (Low, 2, "Low"),
        (Medium, 3, "Medium"),
        (High, 4, "High"),
        (Critical, 5, "Critical"),
        (Fatal, 6, "Fatal"),
        (SeverityLevel::Other, 99, "Other"),
    ];
    for (level, id, caption) in rows {
        assert_eq!(level.id(), id);
        assert_eq!(level.caption(), caption);
        assert_eq!(SeverityLevel::from_id(id), level);
    }
}

/// (tactic id, name, Falco tag, Sigma/Tracee kebab slug)
const TACTIC_ROWS: &[(&str, &str, Option<&str>, &str)] = &[
    (
        "TA0043",
        "Reconnaissance",
        Some("mitre_reconnaissance"),
        "reconnaissance",
    ),
    (
        "TA0042",
        "Resource Development",
        None,
        "resource-development",
    ),
    (
        "TA0001",
        "Initial Access",
        Some("mitre_initial_access"),
        "initial-access",
    ),
    ("TA0002", "Execution", Some("mitre_execution"), "execution"),
    (
        "TA0003",
        "Persistence",
        Some("mitre_persistence"),
        "persistence",
    ),
    (
        "TA0004",
        "Privilege Escalation",
        Some("mitre_privilege_escalation"),
        "privilege-escalation",
    ),
    (
        "TA0005",
        "Defense Evasion",
        Some("mitre_defense_evasion"),
        "defense-evasion",
    ),
    (
        "TA0006",
        "Credential Access",
        Some("mitre_credential_access"),
        "credential-access",
    ),
    ("TA0007", "Discovery", Some("mitre_discovery"), "discovery"),
    (
        "TA0008",
        "Lateral Movement",
        Some("mitre_lateral_movement"),
        "lateral-movement",
    ),
    (
        "TA0009",
        "Collection",
        Some("mitre_collection"),
        "collection",
    ),
    (
        "TA0010",
        "Exfiltration",
        Some("mitre_exfiltration"),
        "exfiltration",
    ),
    (
        "TA0011",
        "Command and Control",
        Some("mitre_command_and_control"),
        "command-and-control",
    ),
    ("TA0040", "Impact", Some("mitre_impact"), "impact"),
];

#[test]
fn every_tactic_from_every_source() {
    assert_eq!(TACTIC_ROWS.len(), tripline_schema::attack::TACTICS.len());
    let mut falco_tags = 0;
    for (id, name, falco, slug) in TACTIC_ROWS {
        let t = Tactic::lookup(id).unwrap();
        assert_eq!((t.id.as_str(), t.name.as_str()), (*id, *name));
        if let Some(tag) = falco {
            falco_tags += 1;
            let a = Attack::from_falco_tags(&[*tag]);
            assert_eq!(a.len(), 1, "{tag}");
            assert_eq!(a[0].tactic.as_ref().unwrap().id, *id, "{tag}");
        }
        let sigma = format!("attack.{slug}");
        let a = Attack::from_sigma_tags(&[sigma.as_str()]);
        assert_eq!(a[0].tactic.as_ref().unwrap().id, *id, "{sigma}");
        let a = Attack::from_tracee(Some(slug), None, None).unwrap();
        assert_eq!(a.tactic.unwrap().name, *name, "{slug}");
    }
    // Falco's rules use 13 distinct mitre_* tactic tags (no resource development).
    assert_eq!(falco_tags, 13);
}

#[test]
fn technique_spellings() {
    /// A technique id and its sub-technique id.
    type Parsed = Option<(&'static str, Option<&'static str>)>;
    let rows: &[(&str, Parsed)] = &[
        ("T1059", Some(("T1059", None))),
        ("T1059.004", Some(("T1059", Some("T1059.004")))),
        ("t1059.004", Some(("T1059", Some("T1059.004")))),
        ("T105", None),
        ("T1059.04", None),
        ("TA0002", None),
        ("X1059", None),
    ];
    for (tag, expected) in rows {
        let falco = Attack::from_falco_tags(&[*tag]);
        let sigma = Attack::from_sigma_tags(&[format!("attack.{tag}")]);
        let tracee = Attack::from_tracee(None, Some(tag), None);
        for got in [falco.first().cloned(), sigma.first().cloned(), tracee] {
            // A tactic-only reference (`attack.TA0002` is a tactic tag) has no technique.
            let got = got.and_then(|a| {
                let sub = a.sub_technique.map(|s| s.id);
                a.technique.map(|t| (t.id, sub))
            });
            let want = expected.map(|(t, s)| {
                (
                    tripline_schema::Text::from(t),
                    s.map(tripline_schema::Text::from),
                )
            });
            assert_eq!(got, want, "{tag}");
        }
    }
}
