//! Fuzz target: loading arbitrary bytes as Sigma YAML, compiling, and evaluating one event
//! must never panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tripline_rules::{Engine, FieldSource, LogSource, RuleSet, Scratch, Settings, Value};

/// A fixed event with a few process and audit fields.
struct Ev;

impl FieldSource for Ev {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match name {
            "Image" | "process.executable" => Some(Value::str("/usr/bin/bash")),
            "CommandLine" | "process.command_line" => {
                Some(Value::str("bash -c 'id; echo aGVsbG8='"))
            }
            "type" => Some(Value::str("EXECVE")),
            "a0" => Some(Value::str("id")),
            "a1" => Some(Value::Int(777)),
            "n" => Some(Value::Null),
            "list" => Some(Value::List(vec![Value::str("x"), Value::Int(1)])),
            _ => None,
        }
    }

    fn raw_text(&self) -> Option<&str> {
        Some("type=EXECVE msg=audit(1.0:1): argc=1 a0=\"id\"")
    }
}

fuzz_target!(|data: &[u8]| {
    let mut set = RuleSet::new(Settings::default());
    set.add_bytes(data, "fuzz.yml");
    let engine = Engine::new(&set);
    let mut scratch = Scratch::new();
    let mut out = Vec::new();
    for ls in [
        LogSource::new("linux", "process_creation", ""),
        LogSource::new("linux", "", "auditd"),
    ] {
        engine.evaluate(&ls, &Ev, &mut scratch, &mut out);
    }
});
