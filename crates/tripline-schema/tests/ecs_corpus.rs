//! Checks against the official ECS 8.17 `ecs_flat.yml` in the shared corpus (skipped with a
//! notice when the corpus is absent): the embedded category → type table matches it, and every
//! field of every ECS golden file is defined by it (vendor and `tripline.` namespaces are free,
//! as in the CI validator).

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use tripline_schema::ecs;

fn ecs_flat() -> Option<String> {
    let dir = tripline_testkit::corpus("schema")?;
    let path = dir.join("ecs/v8.17.0/ecs_flat.yml");
    Some(std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
}

/// Top-level keys of `ecs_flat.yml` (each field is a line `name:` at column 0).
fn field_names(yml: &str) -> BTreeSet<&str> {
    yml.lines()
        .filter(|l| !l.starts_with([' ', '#']) && l.ends_with(':'))
        .map(|l| l.trim_end_matches(':').trim_matches('\''))
        .collect()
}

/// `event.category`'s `expected_event_types`, by a line scan of its `allowed_values`.
fn expected_types(yml: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    let mut in_block = false;
    let mut in_types = false;
    let mut types = Vec::new();
    for line in yml.lines() {
        if line.is_empty() {
            continue; // blank lines occur inside multi-line quoted descriptions
        }
        if !line.starts_with(' ') {
            in_block = line == "event.category:";
            continue;
        }
        if !in_block {
            continue;
        }
        if line == "    expected_event_types:" {
            in_types = true;
            types.clear();
        } else if in_types && let Some(t) = line.strip_prefix("    - ") {
            types.push(t.trim().to_string());
        } else if let Some(name) = line.strip_prefix("    name: ") {
            out.insert(name.trim().to_string(), std::mem::take(&mut types));
            in_types = false;
        } else if !line.starts_with("    - ") {
            in_types = false;
        }
    }
    out
}

const FREE: &[&str] = &[
    "auditd.",
    "falco.",
    "tracee.",
    "docker.",
    "tripline.",
    "labels.",
    "container.labels.",
];

fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(m) => {
            for (k, child) in m {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                if FREE.iter().any(|f| format!("{name}.").starts_with(f)) {
                    continue;
                }
                flatten(&name, child, out);
            }
        }
        _ => out.push(prefix.to_string()),
    }
}

#[test]
fn expected_event_types_match_ecs_flat() {
    let Some(yml) = ecs_flat() else { return };
    let corpus = expected_types(&yml);
    assert_eq!(corpus.len(), 20, "{corpus:?}");
    let ours: BTreeMap<String, Vec<String>> = ecs::EXPECTED_EVENT_TYPES
        .iter()
        .map(|(c, t)| (c.to_string(), t.iter().map(|s| s.to_string()).collect()))
        .collect();
    assert_eq!(ours, corpus);
}

#[test]
fn golden_ecs_fields_exist_in_ecs_flat() {
    let Some(yml) = ecs_flat() else { return };
    let names = field_names(&yml);
    assert!(names.len() > 1500, "{}", names.len());
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let mut checked = 0;
    let mut unknown = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if !path.to_string_lossy().ends_with(".ecs.json") {
            continue;
        }
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let mut fields = Vec::new();
        flatten("", &doc, &mut fields);
        for f in fields {
            checked += 1;
            if !names.contains(f.as_str()) {
                unknown.push(format!("{}: {f}", path.display()));
            }
        }
    }
    assert!(checked > 100, "only {checked} fields checked");
    assert!(
        unknown.is_empty(),
        "fields not in ECS 8.17:\n{}",
        unknown.join("\n")
    );
}
