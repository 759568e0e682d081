//! Peer comparison harness: `cargo run --release --manifest-path benches/peers/Cargo.toml -- --json`.
//!
//! Each module runs one family of comparisons on deterministic generated input and prints one
//! JSON line per comparison: `{"name","ours_per_s","peer","peer_per_s","ratio","unit"}`.
//! Pass module names (`auditd`, `docker`, `falco`, `tracee`, `sigma`) to run a subset.

#![forbid(unsafe_code)]

mod auditd;
mod docker;
mod falco;
mod report;
mod sigma;
mod tracee;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let json = args.iter().any(|a| a == "--json");
    let wanted: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(String::as_str)
        .collect();
    let run = |name: &str| wanted.is_empty() || wanted.contains(&name);
    let mut out = report::Reporter::new(json);
    // Each family registers here: `if run("x") { x::run(&mut out); }`
    if run("auditd") {
        auditd::run(&mut out);
    }
    if run("falco") {
        falco::run(&mut out);
    }
    if run("docker") {
        docker::run(&mut out);
    }
    if run("sigma") {
        sigma::run(&mut out);
    }
    if run("tracee") {
        tracee::run(&mut out);
    }
    let _ = &run;
    out.finish();
}
