//! auditd: parse + assemble vs linux-audit-parser 0.2.8 (parse + an assembly loop over its
//! records), plus interpretation and normalization throughput and streaming peak RSS.
//!
//! The input (~200 MB, `data/auditd-mixed.log`, git-ignored) is generated deterministically
//! from the event templates below (execve, connect, file access, SELinux AVC, user-space PAM /
//! sudo / login, ENRICHED records, plugin-stream EOEs), with renumbered serials and +1 ms per
//! event.

use std::collections::{HashMap, VecDeque};
use std::io::{BufReader, BufWriter, Write};
use std::path::PathBuf;
use std::time::Duration;

use crate::report::{Reporter, best_rate};

const TARGET_BYTES: u64 = 200 * 1024 * 1024;

/// Event templates: `{T}` is the time (`secs.msec`), `{S}` the serial, `{P}` a pid.
const TEMPLATES: &[&str] = &[
    // execve with args, cwd, paths, proctitle (raw format)
    "type=SYSCALL msg=audit({T}:{S}): arch=c000003e syscall=59 success=yes exit=0 a0=55d782c96198 a1=55d782c96120 a2=55d782c96158 a3=1 items=2 ppid=26595 pid={P} auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=842 comm=\"docker\" exe=\"/usr/bin/docker\" key=\"docker-daemon\"
type=EXECVE msg=audit({T}:{S}): argc=5 a0=\"docker\" a1=\"exec\" a2=\"-it\" a3=\"web\" a4=\"sh\"
type=CWD msg=audit({T}:{S}): cwd=\"/root\"
type=PATH msg=audit({T}:{S}): item=0 name=\"/usr/bin/docker\" inode=312545 dev=fd:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0
type=PATH msg=audit({T}:{S}): item=1 name=\"/lib64/ld-linux-x86-64.so.2\" inode=370637 dev=fd:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0
type=PROCTITLE msg=audit({T}:{S}): proctitle=646F636B657200657865630002D697400776562007368
",
    // execve with a hex argument, ENRICHED
    "type=SYSCALL msg=audit({T}:{S}): arch=c000003e syscall=59 success=yes exit=0 a0=ad1150 a1=ad03d0 a2=ad0230 a3=fc2c9fc5 items=2 ppid=16244 pid={P} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=4294967295 comm=\"logger\" exe=\"/usr/bin/logger\" key=(null)\x1dARCH=x86_64 SYSCALL=execve AUID=\"unset\" UID=\"root\" GID=\"root\" EUID=\"root\" SUID=\"root\" FSUID=\"root\" EGID=\"root\" SGID=\"root\" FSGID=\"root\"
type=EXECVE msg=audit({T}:{S}): argc=4 a0=\"logger\" a1=\"-t\" a2=\"zfs-backup\" a3=7A667320696E6372656D656E74616C206261636B7570206661696C6564
type=CWD msg=audit({T}:{S}): cwd=\"/\"
type=PATH msg=audit({T}:{S}): item=0 name=\"/usr/bin/logger\" inode=312545 dev=00:13 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0\x1dOUID=\"root\" OGID=\"root\"
type=PROCTITLE msg=audit({T}:{S}): proctitle=6C6F67676572002D74007A66732D6261636B7570
type=EOE msg=audit({T}:{S}):
",
    // connect with SOCKADDR
    "type=SYSCALL msg=audit({T}:{S}): arch=c000003e syscall=42 success=yes exit=0 a0=3 a1=7ffd2b0c8a40 a2=10 a3=0 items=0 ppid=1 pid={P} auid=4294967295 uid=101 gid=101 euid=101 suid=101 fsuid=101 egid=101 sgid=101 fsgid=101 tty=(none) ses=4294967295 comm=\"curl\" exe=\"/usr/bin/curl\" key=\"network_connect_4\"
type=SOCKADDR msg=audit({T}:{S}): saddr=0200005009C0A8010A0000000000000000
type=PROCTITLE msg=audit({T}:{S}): proctitle=6375726C00687474703A2F2F31302E302E302E31
",
    // openat with CWD and PATH (file watch)
    "type=SYSCALL msg=audit({T}:{S}): arch=c000003e syscall=257 success=no exit=-13 a0=ffffff9c a1=7ffc5c4a1e30 a2=241 a3=1b6 items=1 ppid=2231 pid={P} auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts1 ses=3 comm=\"bash\" exe=\"/usr/bin/bash\" subj=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 key=\"access\"
type=CWD msg=audit({T}:{S}): cwd=\"/home/alice\"
type=PATH msg=audit({T}:{S}): item=0 name=\"/etc/shadow\" inode=1049 dev=fd:00 mode=0100000 ouid=0 ogid=0 rdev=00:00 obj=system_u:object_r:shadow_t:s0 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0
type=PROCTITLE msg=audit({T}:{S}): proctitle=62617368
",
    // SELinux AVC before its SYSCALL, no PROCTITLE (old kernels)
    "type=AVC msg=audit({T}:{S}): avc:  denied  { read write } for  pid={P} comm=\"httpd\" name=\"index.html\" dev=dm-0 ino=1966 scontext=system_u:system_r:httpd_t:s0 tcontext=unconfined_u:object_r:user_home_t:s0 tclass=file
type=SYSCALL msg=audit({T}:{S}): arch=40000003 syscall=5 success=no exit=-13 a0=8a2e6b8 a1=8000 a2=0 a3=8000 items=1 ppid=2400 pid={P} auid=4294967295 uid=48 gid=48 euid=48 suid=48 fsuid=48 egid=48 sgid=48 fsgid=48 tty=(none) ses=4294967295 comm=\"httpd\" exe=\"/usr/sbin/httpd\" subj=system_u:system_r:httpd_t:s0 key=(null)
type=AVC_PATH msg=audit({T}:{S}):  path=\"/var/www/html/index.html\"
",
    // sudo: user-space single records
    "type=USER_CMD msg=audit({T}:{S}): pid={P} uid=1000 auid=1000 ses=15 subj=unconfined_u:unconfined_r:unconfined_t:s0-s0:c0.c1023 msg='cwd=\"/home/alice\" cmd=646F636B65722065786563202D6974207765622073680A terminal=pts/1 res=success'\x1dUID=\"alice\" AUID=\"alice\"
",
    "type=USER_AUTH msg=audit({T}:{S}): pid={P} uid=0 auid=1000 ses=2 msg='op=PAM:authentication grantors=pam_unix acct=\"root\" exe=\"/usr/bin/sudo\" hostname=? addr=? terminal=/dev/pts/0 res=success'
",
    "type=USER_LOGIN msg=audit({T}:{S}): pid={P} uid=0 auid=1000 ses=91158 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=131.107.147.6 addr=131.107.147.6 terminal=/dev/pts/0 res=success'
",
    "type=CRED_ACQ msg=audit({T}:{S}): pid={P} uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:sshd_t:s0-s0:c0.c1023 msg='op=PAM:setcred grantors=pam_env,pam_unix acct=\"alice\" exe=\"/usr/sbin/sshd\" hostname=10.0.0.4 addr=10.0.0.4 terminal=ssh res=success'
",
    // systemd service with a kernel SYSCALL of the same id (merge case)
    "type=SERVICE_START msg=audit({T}:{S}): pid=1 uid=0 auid=4294967295 ses=4294967295 subj=system_u:system_r:init_t:s0 msg='unit=docker comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" hostname=? addr=? terminal=? res=success'\x1dUID=\"root\" AUID=\"unset\"
",
    // setuid
    "type=SYSCALL msg=audit({T}:{S}): arch=c000003e syscall=105 success=yes exit=0 a0=0 a1=0 a2=0 a3=7f1d items=0 ppid=1 pid={P} auid=1000 uid=1000 gid=1000 euid=0 suid=0 fsuid=0 egid=1000 sgid=1000 fsgid=1000 tty=pts2 ses=4 comm=\"su\" exe=\"/usr/bin/su\" key=\"priv_esc\"
type=PROCTITLE msg=audit({T}:{S}): proctitle=7375002D
",
];

fn data_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("data")
        .join("auditd-mixed.log")
}

/// Writes the mixed log (skipped when a file of the right size exists).
fn generate() -> PathBuf {
    let path = data_path();
    if std::fs::metadata(&path).is_ok_and(|m| m.len() >= TARGET_BYTES) {
        return path;
    }
    std::fs::create_dir_all(path.parent().expect("data dir")).expect("create data dir");
    let tmp = path.with_extension("tmp");
    let mut out =
        BufWriter::with_capacity(1 << 20, std::fs::File::create(&tmp).expect("create log"));
    let (mut written, mut serial, mut ms, mut i) = (0u64, 1_000u32, 1_700_000_000_000u64, 0usize);
    // Deterministic mix: a fixed permutation stride over the templates.
    let weights = [4usize, 2, 2, 3, 3, 1, 1, 1, 1, 1, 1];
    let schedule: Vec<usize> = weights
        .iter()
        .enumerate()
        .flat_map(|(t, &w)| std::iter::repeat_n(t, w))
        .collect();
    while written < TARGET_BYTES {
        let t = schedule[(i * 7) % schedule.len()];
        let time = format!("{}.{:03}", ms / 1000, ms % 1000);
        let pid = 2000 + (i % 30_000);
        let text = TEMPLATES[t]
            .replace("{T}", &time)
            .replace("{S}", &serial.to_string())
            .replace("{P}", &pid.to_string());
        out.write_all(text.as_bytes()).expect("write log");
        written += text.len() as u64;
        serial = serial.wrapping_add(1);
        ms += 1;
        i += 1;
    }
    out.flush().expect("flush log");
    drop(out);
    std::fs::rename(&tmp, &path).expect("rename log");
    path
}

/// User+system CPU seconds of this process (from /proc/self/stat, clock ticks of 10 ms).
fn cpu_seconds() -> f64 {
    std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            let f: Vec<&str> = s.rsplit(')').next()?.split_whitespace().collect();
            Some((f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?) / 100.0)
        })
        .unwrap_or(0.0)
}

/// Best of three runs of `units / CPU seconds`: robust to other processes on a shared machine,
/// where wall-clock rates mostly measure the scheduler.
fn cpu_rate(units: f64, mut f: impl FnMut()) -> f64 {
    (0..3)
        .map(|_| {
            let t = cpu_seconds();
            f();
            units / (cpu_seconds() - t).max(0.01)
        })
        .fold(0.0, f64::max)
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// linux-audit-parser parse + the same assembly rules as ours (key = node + id; close on EOE,
/// PROCTITLE or a single-record type; 2 s log-time expiry; flush at end).
fn peer_parse_assemble(text: &str) -> (u64, u64) {
    use linux_audit_parser::{EventID, Message, MessageType, Parser};
    let parser = Parser::default();
    let mut open: HashMap<(Option<Vec<u8>>, EventID), Vec<Message<'static>>> = HashMap::new();
    let mut order: VecDeque<(Option<Vec<u8>>, EventID)> = VecDeque::new();
    let (mut events, mut records) = (0u64, 0u64);
    let mut rest = text.as_bytes();
    while !rest.is_empty() {
        let end = rest
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |p| p + 1);
        let line = &rest[..end];
        rest = &rest[end..];
        let Ok(msg) = parser.parse(line) else {
            continue;
        };
        records += 1;
        let now = msg.id.timestamp;
        while let Some(front) = order.front() {
            if !open.contains_key(front) {
                order.pop_front();
            } else if front.1.timestamp + 2000 <= now {
                let k = order.pop_front().expect("front");
                open.remove(&k);
                events += 1;
            } else {
                break;
            }
        }
        let key = (msg.node.clone(), msg.id);
        let closes = msg.ty == MessageType::EOE || msg.ty == MessageType::PROCTITLE;
        match open.get_mut(&key) {
            Some(v) => {
                v.push(msg);
                if closes {
                    open.remove(&key);
                    events += 1;
                }
            }
            None if !msg.ty.is_multipart() => events += 1,
            None if msg.ty == MessageType::EOE => {}
            None => {
                order.push_back(key.clone());
                open.insert(key, vec![msg]);
            }
        }
    }
    events += open.len() as u64;
    (events, records)
}

pub fn run(out: &mut Reporter) {
    let path = generate();
    let size = std::fs::metadata(&path).expect("log").len();
    let mib = size as f64 / (1024.0 * 1024.0);

    // Streaming first, before the file is loaded: peak RSS of Reader + Assembler + normalize.
    let before = vm_hwm_kib();
    let file = std::fs::File::open(&path).expect("open log");
    let mut stream = tripline_auditd::Events::new(BufReader::with_capacity(1 << 16, file));
    let mut streamed = 0u64;
    for ev in stream.by_ref().flatten() {
        streamed += 1;
        if streamed.is_multiple_of(64) {
            std::hint::black_box(ev.to_event());
        }
    }
    let after = vm_hwm_kib();
    let astats = stream.assembler_stats();
    eprintln!(
        "auditd: {size} bytes, {streamed} events, {} records; streaming peak RSS {:.1} MiB (before {:.1} MiB), peak in flight {}",
        stream.reader_stats().records,
        after as f64 / 1024.0,
        before as f64 / 1024.0,
        astats.peak_in_flight
    );

    let text = std::fs::read_to_string(&path).expect("read log");
    let min = Duration::from_secs(2);

    let mut counts = (0u64, 0u64);
    let ours = best_rate(mib, min, || {
        let mut it = tripline_auditd::StrEvents::new(&text);
        let mut e = 0;
        for ev in it.by_ref().flatten() {
            e += 1;
            std::hint::black_box(&ev);
        }
        counts = (e, it.reader_stats().records);
    });
    let mut peer_counts = (0u64, 0u64);
    let peer = best_rate(mib, min, || peer_counts = peer_parse_assemble(&text));
    eprintln!(
        "auditd: ours {} events / {} records, peer {} events / {} records",
        counts.0, counts.1, peer_counts.0, peer_counts.1
    );
    out.row(
        "auditd parse+assemble",
        ours,
        "linux-audit-parser 0.2.8",
        peer,
        "MiB",
    );
    let ours_cpu = cpu_rate(mib, || {
        std::hint::black_box(tripline_auditd::StrEvents::new(&text).flatten().count());
    });
    let peer_cpu = cpu_rate(mib, || {
        std::hint::black_box(peer_parse_assemble(&text));
    });
    eprintln!(
        "auditd: parse+assemble by CPU time: ours {ours_cpu:.0} MiB/s, linux-audit-parser {peer_cpu:.0} MiB/s, ratio {:.2}x",
        ours_cpu / peer_cpu
    );

    let ours_reader = best_rate(mib, min, || {
        let mut n = 0u64;
        for ev in tripline_auditd::Events::new(text.as_bytes()).flatten() {
            n += ev.len() as u64;
        }
        std::hint::black_box(n);
    });
    out.row(
        "auditd parse+assemble (BufRead reader)",
        ours_reader,
        "linux-audit-parser 0.2.8",
        peer,
        "MiB",
    );

    let ours_parse = best_rate(mib, min, || {
        let mut n = 0usize;
        for r in tripline_auditd::StrRecords::new(&text).flatten() {
            n += r.fields().count();
        }
        std::hint::black_box(n);
    });
    let peer_parse = best_rate(mib, min, || {
        let parser = linux_audit_parser::Parser::default();
        let mut n = 0usize;
        for line in text.split_inclusive('\n') {
            if let Ok(m) = parser.parse(line.as_bytes()) {
                n += m.body.into_iter().count();
            }
        }
        std::hint::black_box(n);
    });
    out.row(
        "auditd parse only",
        ours_parse,
        "linux-audit-parser 0.2.8",
        peer_parse,
        "MiB",
    );

    let resolver = tripline_auditd::interpret::MapResolver::default();
    let ours_interp = best_rate(mib, Duration::from_secs(1), || {
        let mut n = 0usize;
        for ev in tripline_auditd::StrEvents::new(&text).flatten() {
            for r in ev.records() {
                if let Some(s) = tripline_auditd::interpret::render_line(r.line(), &resolver) {
                    n += s.len();
                }
            }
        }
        std::hint::black_box(n);
    });
    out.row(
        "auditd parse+assemble+interpret (-i text)",
        ours_interp,
        "linux-audit-parser 0.2.8 parse+assemble",
        peer,
        "MiB",
    );

    let ours_norm = best_rate(mib, Duration::from_secs(1), || {
        let mut n = 0usize;
        for ev in tripline_auditd::StrEvents::new(&text).flatten() {
            n += ev.to_event().tags.len();
        }
        std::hint::black_box(n);
    });
    out.row(
        "auditd parse+assemble+normalize",
        ours_norm,
        "linux-audit-parser 0.2.8 parse+assemble",
        peer,
        "MiB",
    );
    eprintln!(
        "auditd: peak RSS with the whole input loaded {:.1} MiB",
        vm_hwm_kib() as f64 / 1024.0
    );
}
