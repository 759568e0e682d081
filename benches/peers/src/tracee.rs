//! Tracee: parse + normalize with `tripline-tracee` against decoding the same JSON lines
//! into `serde_json::Value` (what a generic JSON consumer of Tracee output does).

use std::time::Duration;

use tripline_tracee::{Normalizer, Reader, from_str};

use crate::report::{Reporter, best_rate, value_rate};

/// Deterministic v0.19-shape lines: exec, file open, connect, signature with triggeredBy,
/// DNS packet, in the proportions of a busy container host.
pub fn lines(n: usize) -> Vec<String> {
    lines_with(n, mixed_body)
}

/// Deterministic v0.19-shape process lines the main mix lacks: `sched_process_fork` and a
/// `ptrace` syscall (parse-arguments on), alternating.
pub fn process_lines(n: usize) -> Vec<String> {
    lines_with(n, |i, tail| {
        if i % 2 == 0 {
            format!(
                r#""eventId":"712","eventName":"sched_process_fork","matchedPolicies":["default-policy"],"argsNum":9,"returnValue":0,"syscall":"clone",{tail}"args":[{{"name":"parent_tid","type":"int","value":1}},{{"name":"parent_ns_tid","type":"int","value":1}},{{"name":"parent_pid","type":"int","value":1}},{{"name":"parent_ns_pid","type":"int","value":1}},{{"name":"child_tid","type":"int","value":{}}},{{"name":"child_ns_tid","type":"int","value":{}}},{{"name":"child_pid","type":"int","value":{}}},{{"name":"child_ns_pid","type":"int","value":{}}},{{"name":"start_time","type":"unsigned long","value":{}}}]}}"#,
                20_000 + i,
                7 + i % 50,
                20_000 + i,
                7 + i % 50,
                1_700_000_000_000_000_000u64 + i as u64 * 1_000
            )
        } else {
            format!(
                r#""eventId":"101","eventName":"ptrace","matchedPolicies":["default-policy"],"argsNum":4,"returnValue":-1,"syscall":"ptrace",{tail}"args":[{{"name":"request","type":"long","value":"{}"}},{{"name":"pid","type":"pid_t","value":{}}},{{"name":"addr","type":"void*","value":0}},{{"name":"data","type":"void*","value":0}}]}}"#,
                ["PTRACE_ATTACH", "PTRACE_POKETEXT", "PTRACE_TRACEME"][i % 3],
                4000 + i % 300
            )
        }
    })
}

/// Lines of the shared head and tail with a body per index.
fn lines_with(n: usize, body: impl Fn(usize, &str) -> String) -> Vec<String> {
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let ts = 1_700_000_000_000_000_000u64 + i as u64 * 1_000;
        let pid = 1000 + (i % 5000);
        let cid = format!("{:064x}", (i % 37) as u64 * 0x9e37_79b9_7f4a_7c15);
        let head = format!(
            r#"{{"timestamp":{ts},"threadStartTime":{},"processorId":{},"processId":{},"cgroupId":10994,"threadId":{pid},"parentProcessId":1,"hostProcessId":{pid},"hostThreadId":{pid},"hostParentProcessId":{},"userId":0,"mountNamespace":4026532610,"pidNamespace":4026532613,"processName":"proc{}","executable":{{"path":"/usr/bin/proc{}"}},"hostName":"web-{}","containerId":"{cid}","container":{{"id":"{cid}","name":"web{}","image":"docker.io/library/nginx:1.25","imageDigest":"sha256:0d17b565c37bcbd895e9d92315a05c1c3c9a29f762b011a10c54a66cd53c9b31"}},"kubernetes":{{"podName":"web-{}","podNamespace":"shop","podUID":"5b1d7a9e-3c2f-4e8a-9b6d-0f1e2d3c4b5a"}},"#,
            ts - 1_000_000,
            i % 8,
            i % 97,
            pid - 1,
            i % 13,
            i % 13,
            i % 37,
            i % 37,
            i % 37
        );
        let tail = r#""stackAddresses":null,"contextFlags":{"containerStarted":true,"isCompat":false},"threadEntityId":2146028341,"processEntityId":2146028341,"parentEntityId":1309716227,"#;
        let body = body(i, tail);
        out.push(head + &body);
    }
    out
}

/// The main mix: file open, exec, connect, a signature with `triggeredBy`, a DNS packet.
fn mixed_body(i: usize, tail: &str) -> String {
    match i % 10 {
        0..=2 => format!(
            r#""eventId":"730","eventName":"security_file_open","matchedPolicies":["default-policy"],"argsNum":6,"returnValue":0,"syscall":"openat",{tail}"args":[{{"name":"pathname","type":"const char*","value":"/etc/app/conf{i}.yaml"}},{{"name":"flags","type":"int","value":"O_RDONLY|O_CLOEXEC"}},{{"name":"dev","type":"dev_t","value":2049}},{{"name":"inode","type":"unsigned long","value":{}}},{{"name":"ctime","type":"unsigned long","value":1699990000000000000}},{{"name":"syscall_pathname","type":"const char*","value":"/etc/app/conf{i}.yaml"}}]}}"#,
            1400 + i
        ),
        3..=4 => format!(
            r#""eventId":"713","eventName":"sched_process_exec","matchedPolicies":["default-policy"],"argsNum":15,"returnValue":0,"syscall":"execve",{tail}"args":[{{"name":"cmdpath","type":"const char*","value":"/bin/sh"}},{{"name":"pathname","type":"const char*","value":"/usr/bin/dash"}},{{"name":"dev","type":"dev_t","value":2049}},{{"name":"inode","type":"unsigned long","value":1835087}},{{"name":"ctime","type":"unsigned long","value":1699999000123456789}},{{"name":"inode_mode","type":"umode_t","value":33261}},{{"name":"interpreter_pathname","type":"const char*","value":"/lib64/ld-linux-x86-64.so.2"}},{{"name":"interpreter_dev","type":"dev_t","value":2049}},{{"name":"interpreter_inode","type":"unsigned long","value":1835300}},{{"name":"interpreter_ctime","type":"unsigned long","value":1699999000223456789}},{{"name":"argv","type":"const char**","value":["sh","-c","echo {i}"]}},{{"name":"interp","type":"const char*","value":"/bin/sh"}},{{"name":"stdin_type","type":"string","value":"S_IFIFO"}},{{"name":"stdin_path","type":"char*","value":"pipe:[{i}]"}},{{"name":"invoked_from_kernel","type":"int","value":0}}]}}"#
        ),
        5..=7 => format!(
            r#""eventId":"734","eventName":"security_socket_connect","matchedPolicies":["default-policy"],"argsNum":2,"returnValue":0,"syscall":"connect",{tail}"args":[{{"name":"sockfd","type":"int","value":3}},{{"name":"remote_addr","type":"struct sockaddr*","value":{{"sa_family":"AF_INET","sin_addr":"10.0.{}.{}","sin_port":"443"}}}}]}}"#,
            i % 250,
            i % 200
        ),
        8 => format!(
            r#""eventId":"6018","eventName":"anti_debugging","matchedPolicies":["default-policy"],"argsNum":1,"returnValue":0,"syscall":"ptrace",{tail}"args":[{{"name":"triggeredBy","type":"unknown","value":{{"id":101,"name":"ptrace","args":[{{"name":"request","type":"long","value":"PTRACE_TRACEME"}},{{"name":"pid","type":"pid_t","value":{i}}},{{"name":"addr","type":"void*","value":0}},{{"name":"data","type":"void*","value":0}}],"returnValue":0}}}}],"metadata":{{"Version":"1","Description":"A process used anti-debugging techniques to block a debugger.","Tags":null,"Properties":{{"Category":"defense-evasion","Kubernetes_Technique":"","Severity":1,"Technique":"Debugger Evasion","external_id":"T1622","id":"attack-pattern--e4dc8c01-417f-458d-9ee0-bb0617c1b391","signatureID":"TRC-102","signatureName":"Anti-Debugging detected"}}}}}}"#
        ),
        _ => format!(
            r#""eventId":"2006","eventName":"net_packet_dns","matchedPolicies":["default-policy"],"argsNum":5,"returnValue":0,"syscall":"sendto",{tail}"args":[{{"name":"src","type":"const char*","value":"10.0.0.{}"}},{{"name":"dst","type":"const char*","value":"10.96.0.10"}},{{"name":"src_port","type":"u16","value":{}}},{{"name":"dst_port","type":"u16","value":53}},{{"name":"proto_dns","type":"trace.ProtoDNS","value":{{"ID":{},"QR":0,"opCode":"query","AA":0,"TC":0,"RD":1,"RA":0,"Z":0,"responseCode":"No Error","QDCount":1,"ANCount":0,"NSCount":0,"ARCount":0,"questions":[{{"name":"svc{i}.shop.svc.cluster.local","type":"A","class":"IN"}}],"answers":[],"authorities":[],"additionals":[]}}}}]}}"#,
            i % 250,
            30000 + i % 30000,
            i % 65536
        ),
    }
}

/// Runs the Tracee comparisons. Ours and the peer are measured in alternation, best of
/// several rounds each, so a busy machine penalizes both alike.
pub fn run(out: &mut Reporter) {
    let lines = lines(20_000);
    let text = lines.join("\n");
    let n = lines.len() as f64;
    let min = Duration::from_millis(600);
    let norm = Normalizer::default();
    let lean = Normalizer::default().keep_unmapped(false);
    let (mut peer, mut parse, mut full, mut stream) = (0f64, 0f64, 0f64, 0f64);
    let mut lean_rate = 0f64;
    for _ in 0..4 {
        peer = peer.max(value_rate(&lines, min));
        parse = parse.max(best_rate(n, min, || {
            for l in &lines {
                let r = from_str(l).expect("valid");
                std::hint::black_box(&r);
            }
        }));
        full = full.max(best_rate(n, min, || {
            for l in &lines {
                let ev = norm.normalize(&from_str(l).expect("valid"));
                std::hint::black_box(&ev);
            }
        }));
        lean_rate = lean_rate.max(best_rate(n, min, || {
            for l in &lines {
                let ev = lean.normalize(&from_str(l).expect("valid"));
                std::hint::black_box(&ev);
            }
        }));
        stream = stream.max(best_rate(n, min, || {
            let mut r = Reader::new(std::io::Cursor::new(text.as_bytes()));
            while let Some(rec) = r.next_record() {
                let ev = norm.normalize(&rec.expect("valid"));
                std::hint::black_box(&ev);
            }
        }));
    }
    out.row(
        "tracee parse (record layer)",
        parse,
        "serde_json::Value",
        peer,
        "lines",
    );
    out.row(
        "tracee parse+normalize",
        full,
        "serde_json::Value",
        peer,
        "lines",
    );
    out.row(
        "tracee parse+normalize, no unmapped",
        lean_rate,
        "serde_json::Value",
        peer,
        "lines",
    );
    out.row(
        "tracee Reader+normalize",
        stream,
        "serde_json::Value",
        peer,
        "lines",
    );

    // Fork and ptrace lines (process kinds the main mix lacks), each against its own peer
    // run on the same lines.
    let procs = process_lines(20_000);
    let (mut peer2, mut full2) = (0f64, 0f64);
    for _ in 0..3 {
        peer2 = peer2.max(value_rate(&procs, min));
        full2 = full2.max(best_rate(n, min, || {
            for l in &procs {
                let ev = norm.normalize(&from_str(l).expect("valid"));
                std::hint::black_box(&ev);
            }
        }));
    }
    out.row(
        "tracee parse+normalize, fork/ptrace lines",
        full2,
        "serde_json::Value",
        peer2,
        "lines",
    );
}
