//! ATT&CK references from Sigma tags (`attack.t1059.004`, `attack.execution`).

/// Splits `attack.*` tags into technique ids (`T1059.004`) and tactic names (`execution`);
/// group/software tags (`attack.g0001`, `attack.s0002`) are neither.
pub fn from_tags(tags: &[String]) -> (Vec<String>, Vec<String>) {
    let mut techniques = Vec::new();
    let mut tactics = Vec::new();
    for t in tags {
        let Some(rest) = t.strip_prefix("attack.") else {
            continue;
        };
        let b = rest.as_bytes();
        if b.len() >= 5 && (b[0] == b't' || b[0] == b'T') && b[1..5].iter().all(u8::is_ascii_digit)
        {
            techniques.push(rest.to_ascii_uppercase());
        } else if b.len() >= 5
            && matches!(b[0], b'g' | b's' | b'G' | b'S')
            && b[1..5].iter().all(u8::is_ascii_digit)
        {
            continue;
        } else {
            tactics.push(rest.replace('-', "_"));
        }
    }
    (techniques, tactics)
}

#[cfg(test)]
mod tests {
    #[test]
    fn splits_tags() {
        let tags = [
            "attack.t1059.004",
            "attack.execution",
            "attack.g0016",
            "cve.2021-4034",
            "attack.defense-evasion",
        ]
        .map(String::from);
        let (t, a) = super::from_tags(&tags);
        assert_eq!(t, vec!["T1059.004"]);
        assert_eq!(a, vec!["execution", "defense_evasion"]);
    }
}
