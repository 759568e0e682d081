//! The candidate index with many rules sharing fields: whole-value needles (hash lookup),
//! anchored and unanchored substrings (one automaton per field), list values and absent or
//! dotted fields. For every event the indexed result must equal direct evaluation of each
//! rule, and the expected rules must fire.

use serde_json::json;
use tripline_rules::{Engine, LogSource, Pipeline, RuleSet, Scratch, Settings};

const RULES: &[(&str, &str)] = &[
    ("exact", "sel:\n    Image: /usr/bin/Curl\n  condition: sel"),
    (
        "exact_list",
        "sel:\n    Image:\n      - /bin/sh\n      - /bin/bash\n  condition: sel",
    ),
    (
        "suffix",
        "sel:\n    Image|endswith: /wget\n  condition: sel",
    ),
    (
        "prefix",
        "sel:\n    CommandLine|startswith: 'nc '\n  condition: sel",
    ),
    (
        "contains_and_exact",
        "sel:\n    CommandLine|contains: ' -e '\n    User: root\n  condition: sel",
    ),
    (
        "exact_shared",
        "sel:\n    Image: /usr/bin/curl\n    CommandLine|contains: evil\n  condition: sel",
    ),
    ("dotted", "sel:\n    process.name: Bash\n  condition: sel"),
    (
        "not_only",
        "sel:\n    Image: /bin/true\n  condition: not sel",
    ),
];

fn engine() -> Engine {
    let mut set = RuleSet::new(Settings::default());
    for (i, (title, det)) in RULES.iter().enumerate() {
        let yaml = format!(
            "title: {title}\nid: 11111111-2222-4333-8444-{i:012}\nlogsource: {{product: test}}\ndetection:\n  {det}\n"
        );
        set.add_str(&yaml, &format!("{title}.yml"));
    }
    assert!(set.rejected.is_empty(), "{:?}", set.rejected);
    let e = Engine::compile(&set, &Pipeline::identity());
    assert!(e.rejected().is_empty());
    assert_eq!(e.stats().rules, RULES.len());
    e
}

fn fired(e: &Engine, ev: &serde_json::Value, sc: &mut Scratch) -> Vec<String> {
    let mut out = Vec::new();
    e.evaluate(&LogSource::new("test", "", ""), ev, sc, &mut out);
    let got: Vec<usize> = out.iter().map(|m| m.rule).collect();
    for i in 0..e.rules().len() {
        assert_eq!(
            got.contains(&i),
            e.matches_rule(i, ev, sc),
            "index vs direct for rule {i} on {ev}"
        );
    }
    got.iter()
        .map(|&i| e.rule(i).unwrap().meta.title.clone())
        .collect()
}

#[test]
fn index_equals_direct_evaluation() {
    let e = engine();
    let mut sc = Scratch::new();
    let rows: Vec<(serde_json::Value, &[&str])> = vec![
        (json!({"Image": "/USR/BIN/CURL"}), &["exact", "not_only"]),
        (
            json!({"Image": "/usr/bin/curl", "CommandLine": "curl EVIL.sh"}),
            &["exact", "exact_shared", "not_only"],
        ),
        (json!({"Image": "/usr/bin/curlx"}), &["not_only"]),
        (json!({"Image": "/bin/BASH"}), &["exact_list", "not_only"]),
        (
            json!({"Image": ["/bin/x", "/bin/sh"]}),
            &["exact_list", "not_only"],
        ),
        (json!({"Image": "/opt/wget"}), &["suffix", "not_only"]),
        (json!({"Image": "/opt/wget2"}), &["not_only"]),
        (
            json!({"CommandLine": "NC -l 4444"}),
            &["prefix", "not_only"],
        ),
        (json!({"CommandLine": "x nc -l"}), &["not_only"]),
        (
            json!({"CommandLine": "nc -e /bin/sh", "User": "ROOT"}),
            &["prefix", "contains_and_exact", "not_only"],
        ),
        (
            json!({"CommandLine": "nc -e /bin/sh", "User": "rooted"}),
            &["prefix", "not_only"],
        ),
        (
            json!({"process": {"name": "bash"}}),
            &["dotted", "not_only"],
        ),
        (json!({"process.name": "BASH"}), &["dotted", "not_only"]),
        (json!({"process": "bash"}), &["not_only"]),
        (json!({"Image": "/bin/true"}), &[]),
        (json!({}), &["not_only"]),
    ];
    for (ev, want) in rows {
        // Twice: the second run reuses the scratch's per-field hints and caches.
        for _ in 0..2 {
            assert_eq!(fired(&e, &ev, &mut sc), want, "{ev}");
        }
    }
}

/// Rules sharing a common literal (`type: EXECVE`) are indexed on their own, rarer literal,
/// so an EXECVE record that matches none of them evaluates no rule at all.
#[test]
fn common_needles_are_not_witnesses() {
    let mut set = RuleSet::new(Settings::default());
    for i in 0..6 {
        let yaml = format!(
            "title: r{i}\nid: 11111111-2222-4333-8444-{i:012}\nlogsource: {{product: test}}\ndetection:\n  sel:\n    type: EXECVE\n    a0: tool{i}\n  condition: sel\n"
        );
        set.add_str(&yaml, "r.yml");
    }
    let e = Engine::compile(&set, &Pipeline::identity());
    assert_eq!(e.stats().rules, 6);
    let mut sc = Scratch::new();
    let ls = LogSource::new("test", "", "");
    let mut out = Vec::new();
    e.evaluate(
        &ls,
        &json!({"type": "EXECVE", "a0": "ls"}),
        &mut sc,
        &mut out,
    );
    assert!(out.is_empty());
    assert_eq!(sc.rules_evaluated(), 0);
    e.evaluate(
        &ls,
        &json!({"type": "EXECVE", "a0": "TOOL3"}),
        &mut sc,
        &mut out,
    );
    assert_eq!(out.len(), 1);
    assert_eq!(e.rule(out[0].rule).unwrap().meta.title, "r3");
    assert_eq!(sc.rules_evaluated(), 1);
}

/// Plans merge the buckets covering an event (`product: test` rules also see
/// `product: test, service: audit` events), and a slot most rules require a whole value of
/// (`type`) gates the others: a slot only rules of another `type` read is skipped, while a
/// slot an ungated rule reads is still indexed. Index and direct evaluation must agree.
#[test]
fn merged_plans_and_gates_equal_direct_evaluation() {
    let rules: &[(&str, &str, &str)] = &[
        (
            "g_exec",
            "service: audit",
            "sel:\n    type: EXECVE\n    a0: tool\n  condition: sel",
        ),
        (
            "g_exec_a1",
            "service: audit",
            "sel:\n    type: EXECVE\n    a1|startswith: '-x'\n  condition: sel",
        ),
        (
            "g_sys",
            "service: audit",
            "sel:\n    type: SYSCALL\n    exe|endswith: /nc\n  condition: sel",
        ),
        (
            "g_path",
            "service: audit",
            "sel:\n    type|cased: PATH\n    name|contains: shadow\n  condition: sel",
        ),
        (
            "g_either",
            "service: audit",
            "a:\n    type: EXECVE\n    a0: x\n  b:\n    type: PROCTITLE\n    a0: x\n  condition: a or b",
        ),
        (
            "ungated_a1",
            "service: audit",
            "sel:\n    a1: '--evil'\n  condition: sel",
        ),
        (
            "ungated_not",
            "service: audit",
            "sel:\n    type: EXECVE\n    a0: tool\n  condition: not sel and kw\n  kw:\n    - boom",
        ),
        ("kw_product", "", "kw:\n    - tool\n  condition: kw"),
        (
            "g_exec_kw",
            "service: audit",
            "sel:\n    type: EXECVE\n  kw:\n    - secret\n  condition: sel and kw",
        ),
    ];
    let mut set = RuleSet::new(Settings::default());
    for (i, (title, service, det)) in rules.iter().enumerate() {
        let extra = if service.is_empty() {
            String::new()
        } else {
            format!(", {service}")
        };
        let yaml = format!(
            "title: {title}\nid: 11111111-2222-4333-8444-{i:012}\nlogsource: {{product: test{extra}}}\ndetection:\n  {det}\n"
        );
        set.add_str(&yaml, &format!("{title}.yml"));
    }
    assert!(set.rejected.is_empty(), "{:?}", set.rejected);
    let e = Engine::compile(&set, &Pipeline::identity());
    assert!(e.rejected().is_empty(), "{:?}", e.rejected());
    let audit = LogSource::new("test", "", "audit");
    let other = LogSource::new("test", "", "");
    let rows: Vec<(&LogSource, serde_json::Value, &[&str])> = vec![
        (&audit, json!({"type": "EXECVE", "a0": "TOOL"}), &["g_exec"]),
        (
            &audit,
            json!({"type": "execve", "a1": "-xy"}),
            &["g_exec_a1"],
        ),
        (
            &audit,
            json!({"type": "SYSCALL", "a1": "-xy", "exe": "/bin/nc"}),
            &["g_sys"],
        ),
        (
            &audit,
            json!({"type": "PATH", "name": "/etc/SHADOW"}),
            &["g_path"],
        ),
        (&audit, json!({"type": "path", "name": "/etc/shadow"}), &[]),
        (
            &audit,
            json!({"type": ["SYSCALL", "EXECVE"], "a0": "tool"}),
            &["g_exec"],
        ),
        (
            &audit,
            json!({"type": "PROCTITLE", "a0": "x"}),
            &["g_either"],
        ),
        (
            &audit,
            json!({"type": "SYSCALL", "a0": "x", "a1": "--EVIL"}),
            &["ungated_a1"],
        ),
        (&audit, json!({"a1": "--evil"}), &["ungated_a1"]),
        (
            &audit,
            json!({"type": "PATH", "message": "boom tool"}),
            &["ungated_not", "kw_product"],
        ),
        (
            &audit,
            json!({"type": "EXECVE", "a0": "tool", "message": "boom tool"}),
            &["g_exec", "kw_product"],
        ),
        (
            &other,
            json!({"type": "EXECVE", "a0": "tool", "message": "tool"}),
            &["kw_product"],
        ),
        // The raw slot's needles of the gated keyword rule are in an automaton of their own
        // that only EXECVE events go through, the ungated rules' needles in both.
        (
            &audit,
            json!({"type": "EXECVE", "message": "top secret"}),
            &["g_exec_kw"],
        ),
        (
            &audit,
            json!({"type": "SYSCALL", "message": "top secret tool"}),
            &["kw_product"],
        ),
        (
            &audit,
            json!({"type": "EXECVE", "a0": "tool", "message": "secret tool"}),
            &["g_exec", "kw_product", "g_exec_kw"],
        ),
        (&audit, json!({"message": "secret tool"}), &["kw_product"]),
        (&audit, json!({"type": null, "a0": "tool"}), &[]),
        (&audit, json!({}), &[]),
    ];
    let mut sc = Scratch::new();
    for (ls, ev, want) in rows {
        for _ in 0..2 {
            let mut out = Vec::new();
            e.evaluate(ls, &ev, &mut sc, &mut out);
            let got: Vec<usize> = out.iter().map(|m| m.rule).collect();
            for i in 0..e.rules().len() {
                let covers = e.rule(i).unwrap().logsource.covers(ls);
                assert_eq!(
                    got.contains(&i),
                    covers && e.matches_rule(i, &ev, &mut sc),
                    "index vs direct for rule {i} on {ev}"
                );
            }
            let titles: Vec<String> = got
                .iter()
                .map(|&i| e.rule(i).unwrap().meta.title.clone())
                .collect();
            assert_eq!(titles, want, "{ls} {ev}");
        }
    }
}

/// One scratch space used with two engines of the same rule count but different plans:
/// the cached routes belong to the first engine and must not be reused by the second.
#[test]
fn scratch_moves_between_engines() {
    let compile = |services: &[&str]| {
        let mut set = RuleSet::new(Settings::default());
        for (i, svc) in services.iter().enumerate() {
            let yaml = format!(
                "title: s{i}\nid: 11111111-2222-4333-8444-{i:012}\nlogsource: {{product: test{svc}}}\ndetection:\n  sel:\n    a0: x{i}\n  condition: sel\n"
            );
            set.add_str(&yaml, "s.yml");
        }
        Engine::compile(&set, &Pipeline::identity())
    };
    let one = compile(&["", ""]);
    let two = compile(&[", service: a", ", service: b"]);
    let mut sc = Scratch::new();
    let ls = LogSource::new("test", "", "b");
    let mut out = Vec::new();
    one.evaluate(&ls, &json!({"a0": "x1"}), &mut sc, &mut out);
    assert_eq!(out.len(), 1);
    out.clear();
    two.evaluate(&ls, &json!({"a0": "x1"}), &mut sc, &mut out);
    assert_eq!(out.len(), 1);
    assert_eq!(two.rule(out[0].rule).unwrap().meta.title, "s1");
    out.clear();
    two.evaluate(&ls, &json!({"a0": "x0"}), &mut sc, &mut out);
    assert!(out.is_empty());
}

/// A mapped field reads the first of its names the event has (`process.executable` before
/// `Image` for process_creation), whatever shape the previous events of the stream had.
#[test]
fn mapped_names_are_tried_in_order_for_every_event() {
    let mut set = RuleSet::new(Settings::default());
    set.add_str(
        "title: img\nid: 11111111-2222-4333-8444-000000000099\nlogsource: {product: linux, category: process_creation}\ndetection:\n  sel:\n    Image|endswith: /curl\n  condition: sel\n",
        "img.yml",
    );
    let e = Engine::new(&set);
    let ls = LogSource::new("linux", "process_creation", "");
    let sysmon = json!({"Image": "/usr/bin/curl"});
    let both = json!({"process.executable": "/usr/bin/ls", "Image": "/usr/bin/curl"});
    let ecs = json!({"process.executable": "/usr/bin/curl"});
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    let mut fires = |ev: &serde_json::Value| {
        out.clear();
        e.evaluate(&ls, ev, &mut sc, &mut out);
        !out.is_empty()
    };
    // Fresh, then after events of each shape: the ECS name wins when both are present.
    assert!(!fires(&both));
    assert!(fires(&sysmon));
    assert!(
        !fires(&both),
        "the Image-only event before must not change the lookup order"
    );
    assert!(fires(&ecs));
    assert!(!fires(&both));
}
