//! MITRE ATT&CK references normalized from Falco tags, Tracee properties and Sigma tags.
//!
//! Tactics come from one static table (TA0001…TA0043); technique names need ATT&CK's STIX
//! data, which we do not ship, so they are kept only when the source provides them.

use crate::fields::Text;
use serde::{Deserialize, Serialize};

/// A tactic (`TA0002` Execution).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Tactic {
    /// Tactic id.
    pub id: Text,
    /// Tactic name.
    pub name: Text,
}

/// A technique or sub-technique (`T1059`, `T1059.004`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Technique {
    /// Technique id, upper-case.
    pub id: Text,
    /// Technique name, when the source gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
}

/// One ATT&CK reference: a tactic, a technique and/or a sub-technique.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Attack {
    /// The tactic.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tactic: Option<Tactic>,
    /// The parent technique (`T1059` for `T1059.004`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technique: Option<Technique>,
    /// The sub-technique.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_technique: Option<Technique>,
}

/// The enterprise tactics: id, name, and the slug used in tags.
pub const TACTICS: &[(&str, &str, &str)] = &[
    ("TA0043", "Reconnaissance", "reconnaissance"),
    ("TA0042", "Resource Development", "resource_development"),
    ("TA0001", "Initial Access", "initial_access"),
    ("TA0002", "Execution", "execution"),
    ("TA0003", "Persistence", "persistence"),
    ("TA0004", "Privilege Escalation", "privilege_escalation"),
    ("TA0005", "Defense Evasion", "defense_evasion"),
    ("TA0006", "Credential Access", "credential_access"),
    ("TA0007", "Discovery", "discovery"),
    ("TA0008", "Lateral Movement", "lateral_movement"),
    ("TA0009", "Collection", "collection"),
    ("TA0010", "Exfiltration", "exfiltration"),
    ("TA0011", "Command and Control", "command_and_control"),
    ("TA0040", "Impact", "impact"),
];

impl Tactic {
    /// Looks a tactic up by id (`TA0002`), name (`Execution`) or slug in any of the spellings
    /// sources use (`execution`, `privilege-escalation`, `privilege_escalation`,
    /// `Privilege Escalation`), case-insensitively.
    pub fn lookup(s: &str) -> Option<Tactic> {
        let s = s.trim().as_bytes();
        // `-` and ` ` stand for the slug's `_`; compared in place, without a lowered copy.
        let slug_eq = |slug: &str| {
            slug.len() == s.len()
                && slug.bytes().zip(s).all(|(w, &c)| {
                    w == match c {
                        b'-' | b' ' => b'_',
                        c => c.to_ascii_lowercase(),
                    }
                })
        };
        TACTICS
            .iter()
            .find(|(id, _, slug)| slug_eq(slug) || s.eq_ignore_ascii_case(id.as_bytes()))
            .map(|(id, name, _)| Tactic {
                id: Text::const_new(id),
                name: Text::const_new(name),
            })
    }
}

/// Parses a technique id (`T1059`, `t1059.004`) into (technique, sub-technique).
fn parse_technique(s: &str) -> Option<(Technique, Option<Technique>)> {
    let s = s.trim();
    let digits = s.strip_prefix(['T', 't'])?;
    let (main, sub) = match digits.split_once('.') {
        Some((m, s)) => (m, Some(s)),
        None => (digits, None),
    };
    let all_digits = |d: &str, n: usize| d.len() == n && d.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(main, 4) || sub.is_some_and(|sub| !all_digits(sub, 3)) {
        return None;
    }
    // Only the `T` can be lower-case; ids are short enough to stay inline in `Text`.
    let id = |rest: &str| {
        let mut id = Text::const_new("T");
        id.push_str(rest);
        id
    };
    let technique = Technique {
        id: id(main),
        name: None,
    };
    let sub_technique = sub.map(|_| Technique {
        id: id(digits),
        name: None,
    });
    Some((technique, sub_technique))
}

/// Combines tactics and techniques found in a tag list.
///
/// With exactly one tactic, every technique is attributed to it; otherwise techniques and
/// tactics are listed as separate references (the tags do not say which goes with which).
fn combine(tactics: Vec<Tactic>, techniques: Vec<(Technique, Option<Technique>)>) -> Vec<Attack> {
    let mut out: Vec<Attack> = Vec::new();
    let mut push = |a: Attack| {
        if !out.contains(&a) {
            out.push(a);
        }
    };
    if tactics.len() == 1 && !techniques.is_empty() {
        for (t, s) in techniques {
            push(Attack {
                tactic: Some(tactics[0].clone()),
                technique: Some(t),
                sub_technique: s,
            });
        }
        return out;
    }
    for (t, s) in techniques {
        push(Attack {
            tactic: None,
            technique: Some(t),
            sub_technique: s,
        });
    }
    for t in tactics {
        push(Attack {
            tactic: Some(t),
            technique: None,
            sub_technique: None,
        });
    }
    out
}

impl Attack {
    /// From Falco rule tags: `T1059.004` technique tags and `mitre_execution` tactic tags;
    /// other tags (`container`, `maturity_stable`) are ignored.
    pub fn from_falco_tags<S: AsRef<str>>(tags: &[S]) -> Vec<Attack> {
        let mut tactics = Vec::new();
        let mut techniques = Vec::new();
        for tag in tags {
            let tag = tag.as_ref().trim();
            if let Some(slug) = tag.strip_prefix("mitre_") {
                if let Some(t) = Tactic::lookup(slug) {
                    tactics.push(t);
                }
            } else if let Some(t) = parse_technique(tag) {
                techniques.push(t);
            }
        }
        combine(tactics, techniques)
    }

    /// From Sigma tags: `attack.t1059.004` and `attack.execution`; other namespaces ignored.
    pub fn from_sigma_tags<S: AsRef<str>>(tags: &[S]) -> Vec<Attack> {
        let mut tactics = Vec::new();
        let mut techniques = Vec::new();
        for tag in tags {
            let Some(rest) = tag.as_ref().trim().strip_prefix("attack.") else {
                continue;
            };
            if let Some(t) = parse_technique(rest) {
                techniques.push(t);
            } else if let Some(t) = Tactic::lookup(rest) {
                tactics.push(t);
            }
        }
        combine(tactics, techniques)
    }

    /// From Tracee signature properties: `Category` (tactic, kebab-case), `external_id`
    /// (technique id) and `Technique` (technique name). `None` when nothing is recognized.
    pub fn from_tracee(
        category: Option<&str>,
        external_id: Option<&str>,
        technique_name: Option<&str>,
    ) -> Option<Attack> {
        let tactic = category.and_then(Tactic::lookup);
        let parsed = external_id.and_then(parse_technique);
        let name = technique_name
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(Text::from);
        let (technique, sub_technique) = match parsed {
            Some((mut t, Some(mut s))) => {
                s.name = name;
                t.name = None;
                (Some(t), Some(s))
            }
            Some((mut t, None)) => {
                t.name = name;
                (Some(t), None)
            }
            None => (None, None),
        };
        if tactic.is_none() && technique.is_none() {
            return None;
        }
        Some(Attack {
            tactic,
            technique,
            sub_technique,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(a: &Attack) -> (Option<&str>, Option<&str>, Option<&str>) {
        (
            a.tactic.as_ref().map(|t| t.id.as_str()),
            a.technique.as_ref().map(|t| t.id.as_str()),
            a.sub_technique.as_ref().map(|t| t.id.as_str()),
        )
    }

    #[test]
    fn every_tactic_by_each_spelling() {
        for (id, name, slug) in TACTICS {
            for s in [
                id.to_string(),
                name.to_string(),
                slug.to_string(),
                slug.replace('_', "-"),
            ] {
                assert_eq!(Tactic::lookup(&s).unwrap().id, *id, "{s}");
            }
        }
        assert!(Tactic::lookup("t1059").is_none());
        for s in [" ta0004 ", "PRIVILEGE-ESCALATION", "privilege escalation"] {
            assert_eq!(Tactic::lookup(s).unwrap().id, "TA0004", "{s}");
        }
        for s in [
            "privilege_escalatio",
            "privilege_escalationn",
            "TA00044",
            "ex\u{e9}cution",
        ] {
            assert!(Tactic::lookup(s).is_none(), "{s}");
        }
    }

    #[test]
    fn technique_ids() {
        let id = |s| parse_technique(s).map(|(t, sub)| (t.id, sub.map(|s| s.id)));
        assert_eq!(
            id(" t1059.004 "),
            Some(("T1059".into(), Some("T1059.004".into())))
        );
        assert_eq!(id("T1105"), Some(("T1105".into(), None)));
        for bad in [
            "T105",
            "T10599",
            "T1059.04",
            "T1059.",
            "X1059",
            "T1O59",
            "\u{1d5e7}1059",
        ] {
            assert_eq!(id(bad), None, "{bad}");
        }
    }

    #[test]
    fn falco_tags() {
        let a = Attack::from_falco_tags(&[
            "container",
            "mitre_execution",
            "shell",
            "T1059.004",
            "maturity_stable",
        ]);
        assert_eq!(a.len(), 1);
        assert_eq!(
            ids(&a[0]),
            (Some("TA0002"), Some("T1059"), Some("T1059.004"))
        );
        let a =
            Attack::from_falco_tags(&["mitre_persistence", "mitre_privilege_escalation", "T1098"]);
        assert_eq!(a.len(), 3);
        assert_eq!(ids(&a[0]), (None, Some("T1098"), None));
        assert!(Attack::from_falco_tags(&["filesystem", "T12"]).is_empty());
    }

    #[test]
    fn sigma_tags() {
        let a = Attack::from_sigma_tags(&["attack.execution", "attack.t1059.004", "cve.2021-1"]);
        assert_eq!(
            ids(&a[0]),
            (Some("TA0002"), Some("T1059"), Some("T1059.004"))
        );
        let a = Attack::from_sigma_tags(&["attack.defense-evasion"]);
        assert_eq!(ids(&a[0]), (Some("TA0005"), None, None));
        let a = Attack::from_sigma_tags(&["attack.command-and-control", "attack.t1105"]);
        assert_eq!(ids(&a[0]), (Some("TA0011"), Some("T1105"), None));
    }

    #[test]
    fn tracee_properties() {
        let a = Attack::from_tracee(Some("defense-evasion"), Some("T1036"), Some("Masquerading"))
            .unwrap();
        assert_eq!(ids(&a), (Some("TA0005"), Some("T1036"), None));
        assert_eq!(a.technique.unwrap().name.as_deref(), Some("Masquerading"));
        let a = Attack::from_tracee(Some("privilege-escalation"), Some("T1068"), None).unwrap();
        assert_eq!(ids(&a), (Some("TA0004"), Some("T1068"), None));
        let a = Attack::from_tracee(None, Some("T1547.006"), Some("Kernel Modules")).unwrap();
        assert_eq!(ids(&a), (None, Some("T1547"), Some("T1547.006")));
        assert!(Attack::from_tracee(Some("whatever"), None, None).is_none());
    }
}
