//! Falco: parse + normalize with `tripline-falco` against decoding the same JSON alert lines
//! into `serde_json::Value` (what a generic JSON consumer of Falco output does).

use std::time::Duration;

use tripline_falco::{NormalizeOptions, Reader, from_str};

use crate::report::{Reporter, best_rate, clone_rate, value_rate};

/// Deterministic alert lines in the shapes a host emits: default-config 0.39+ syscall alerts
/// with `output` and `tags`, the seed's config (no `output`, no `tags`), grafted pre-0.39
/// lines, network alerts and k8s audit alerts.
pub fn lines(n: usize) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let ns = 1_764_209_521_000_000_000u64 + i as u64 * 1_337;
        let secs = ns / 1_000_000_000;
        let frac = ns % 1_000_000_000;
        let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
        let time = format!("2025-11-27T{h:02}:{m:02}:{s:02}.{frac:09}Z");
        let cid = format!("{:012x}", (i % 41) as u64 * 0x9e37_79b9_7f4a);
        let pid = 1000 + i % 30_000;
        let line = match i % 10 {
            0..=3 => format!(
                r#"{{"hostname":"node-{}","output":"{h:02}:{m:02}:{s:02}.{frac:09}: Notice A shell was spawned in a container with an attached terminal | evt_type=execve user=root user_uid=0 user_loginuid=-1 process=bash proc_exepath=/usr/bin/bash parent=containerd-shim command=bash -c echo {i} terminal=34816 exe_flags=EXE_WRITABLE container_id={cid} container_name=web{} container_image_repository=docker.io/library/nginx container_image_tag=1.25 k8s_pod_name=web-{} k8s_ns_name=shop","output_fields":{{"container.id":"{cid}","container.image.repository":"docker.io/library/nginx","container.image.tag":"1.25","container.name":"web{}","evt.arg.flags":"EXE_WRITABLE","evt.time":{ns},"evt.type":"execve","k8s.ns.name":"shop","k8s.pod.name":"web-{}","proc.cmdline":"bash -c echo {i}","proc.exepath":"/usr/bin/bash","proc.name":"bash","proc.pid":{pid},"proc.pname":"containerd-shim","proc.tty":34816,"user.loginuid":-1,"user.name":"root","user.uid":0}},"priority":"Notice","rule":"Terminal shell in container","source":"syscall","tags":["T1059","container","maturity_stable","mitre_execution","shell"],"time":"{time}"}}"#,
                i % 7,
                i % 41,
                i % 41,
                i % 41,
                i % 41
            ),
            4..=5 => format!(
                r#"{{"hostname":"node-{}","output_fields":{{"container.id":"host","container.name":"host","evt.time":{ns},"evt.type":"openat","fd.name":"/etc/shadow","proc.aname[2]":"sudo","proc.aname[3]":null,"proc.cmdline":"cat /etc/shadow","proc.exepath":"/usr/bin/cat","proc.name":"cat","proc.pcmdline":"sudo cat /etc/shadow","proc.pid":{pid},"proc.pname":"sudo","proc.tty":34817,"user.loginuid":1000,"user.name":"root","user.uid":0}},"priority":"Warning","rule":"Read sensitive file untrusted","source":"syscall","time":"{time}"}}"#,
                i % 7
            ),
            6..=7 => format!(
                r#"{{"hostname":"node-{}","output":"{h:02}:{m:02}:{s:02}.{frac:09}: Notice Disallowed SSH Connection (connection=172.17.0.{}:{}->10.0.0.7:2222 user=root command=ssh -p 2222 10.0.0.7 container_id={cid} image=alpine)","priority":"Notice","rule":"Disallowed SSH Connection Non Standard Port","source":"syscall","tags":["T1059","host","network","process","mitre_execution"],"time":"{time}", "output_fields": {{"container.id":"{cid}","container.image.repository":"alpine","evt.time":{ns},"fd.cip":"172.17.0.{}","fd.cport":{},"fd.name":"172.17.0.{}:{}->10.0.0.7:2222","fd.sip":"10.0.0.7","fd.sport":2222,"fd.types":["ipv4"],"proc.cmdline":"ssh -p 2222 10.0.0.7","proc.pid":{pid},"user.name":"root"}}}}"#,
                i % 7,
                i % 250,
                30_000 + i % 30_000,
                i % 250,
                30_000 + i % 30_000,
                i % 250,
                30_000 + i % 30_000
            ),
            _ => format!(
                r#"{{"hostname":"falco-k8saudit-{}","output":"{h:02}:{m:02}:{s:02}.{frac:09}: Notice Attach/Exec to pod (user=kubernetes-admin pod=web-{} resource=pods ns=shop action=exec command=sh)","output_fields":{{"evt.time":{ns},"ka.target.name":"web-{}","ka.target.namespace":"shop","ka.target.resource":"pods","ka.target.subresource":"exec","ka.uri.param[command]":"sh","ka.user.name":"kubernetes-admin"}},"priority":"Notice","rule":"Attach/Exec Pod","source":"k8s_audit","tags":["k8s"],"time":"{time}"}}"#,
                i % 3,
                i % 41,
                i % 41
            ),
        };
        out.push(line);
    }
    out
}

/// Runs the Falco comparisons.
pub fn run(out: &mut Reporter) {
    let lines = lines(20_000);
    let text = lines.join("\n");
    let n = lines.len() as f64;
    let min = Duration::from_secs(2);
    let opts = NormalizeOptions::default();

    let peer = value_rate(&lines, min);
    let parse = best_rate(n, min, || {
        for l in &lines {
            let a = from_str(l).expect("valid");
            std::hint::black_box(&a);
        }
    });
    out.row(
        "falco parse (record layer)",
        parse,
        "serde_json::Value",
        peer,
        "lines",
    );
    let full = best_rate(n, min, || {
        for l in &lines {
            let ev = from_str(l).expect("valid").normalize_with(&opts);
            std::hint::black_box(&ev);
        }
    });
    out.row(
        "falco parse+normalize",
        full,
        "serde_json::Value",
        peer,
        "lines",
    );
    // Not a goal row: a floor for any normalizer of these lines. Copying the finished
    // findings (every heap part allocated and its bytes copied, then dropped) is what
    // building the same owned events costs before any parsing or mapping.
    let built: Vec<_> = lines
        .iter()
        .map(|l| from_str(l).expect("valid").normalize_with(&opts))
        .collect();
    let floor = clone_rate(&built, min);
    drop(built);
    out.row(
        "falco Event clone+drop (floor)",
        floor,
        "serde_json::Value",
        peer,
        "lines",
    );
    let stream = best_rate(n, min, || {
        let mut r = Reader::new(std::io::Cursor::new(text.as_bytes()));
        while let Some(rec) = r.next_record() {
            let ev = rec.expect("valid").normalize_with(&opts);
            std::hint::black_box(&ev);
        }
    });
    out.row(
        "falco Reader+normalize",
        stream,
        "serde_json::Value",
        peer,
        "lines",
    );
}
