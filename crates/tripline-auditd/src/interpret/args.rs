//! Syscall arguments `a0`–`a3` (hex in the log), interpreted per syscall where ausearch does:
//! open flags, modes, signals, uids, clone flags, socket calls, ioctl requests, …

use super::bits::{self, strtoul};
use super::{Context, Machine, gid_name, uid_name};

/// Interprets argument `index` (0–3) of the current syscall; unknown cases print `0xRAW`.
pub fn syscall_arg(index: u8, raw: &str, ctx: &Context<'_>) -> String {
    let sys = ctx
        .machine
        .or_else(Machine::host)
        .zip(ctx.syscall)
        .and_then(|(m, n)| m.syscall_name(n));
    if let Some(sys) = sys {
        if let Some(s) = by_syscall(index, sys, raw, ctx) {
            return s;
        }
        if let Some(s) = from_table(index, sys, raw) {
            return s;
        }
    }
    format!("0x{raw}")
}

/// One row of `data/syscall_args.tsv`.
struct ArgRow {
    syscall: &'static str,
    arg: u8,
    kind: &'static str,
    value: Option<u64>,
    text: &'static str,
}

fn arg_table() -> &'static [ArgRow] {
    static T: std::sync::OnceLock<Vec<ArgRow>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        include_str!("../../data/syscall_args.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut it = l.split('\t');
                let syscall = it.next()?;
                let arg = it.next()?.parse().ok()?;
                let kind = it.next()?;
                let value = u64::from_str_radix(it.next()?, 16).ok();
                Some(ArgRow {
                    syscall,
                    arg,
                    kind,
                    value,
                    text: it.next()?,
                })
            })
            .collect()
    })
}

/// Enumerations and bit sets probed from ausearch (`data/syscall_args.tsv`).
fn from_table(index: u8, sys: &str, raw: &str) -> Option<String> {
    // `send`/`recv` (ppc/arm/s390) take the same flags as `sendto`.
    let sys = match sys {
        "send" | "recv" => "sendto",
        other => other,
    };
    let rows: Vec<&ArgRow> = arg_table()
        .iter()
        .filter(|r| r.syscall == sys && r.arg == index)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let v = strtoul(raw, 16)?;
    let mask = rows
        .iter()
        .find(|r| r.kind == "mask")
        .and_then(|r| u64::from_str_radix(r.text, 16).ok())
        .unwrap_or(u64::MAX);
    if rows.iter().any(|r| r.kind == "bits") {
        let names: Vec<&str> = rows
            .iter()
            .filter(|r| r.kind == "bits" && r.value.is_some_and(|b| v & b != 0))
            .map(|r| r.text)
            .collect();
        return Some(if names.is_empty() {
            format!("0x{raw}")
        } else {
            names.join("|")
        });
    }
    if let Some(r) = rows
        .iter()
        .find(|r| r.kind == "enum" && r.value == Some(v & mask))
    {
        return Some(r.text.to_string());
    }
    let unknown = rows.iter().find(|r| r.kind == "unknown")?;
    Some(
        unknown
            .text
            .replace("{raw}", raw)
            .replace("{dec}", &(v as i64).to_string()),
    )
}

/// `shmget` flags: `IPC_CREAT|IPC_EXCL|0600`.
fn shm_flags(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("0x{raw}");
    };
    let mut out = String::new();
    for (bit, name) in [
        (0x200, "IPC_CREAT"),
        (0x400, "IPC_EXCL"),
        (0x800, "SHM_HUGETLB"),
        (0x1000, "SHM_NORESERVE"),
    ] {
        if v & bit != 0 {
            out.push_str(name);
            out.push('|');
        }
    }
    out.push_str(&format!("{:04o}", v & 0o777));
    out
}

const DIRFD_SYSCALLS: [&str; 19] = [
    "openat",
    "openat2",
    "fchownat",
    "fchmodat",
    "mkdirat",
    "mknodat",
    "unlinkat",
    "renameat",
    "renameat2",
    "linkat",
    "readlinkat",
    "faccessat",
    "faccessat2",
    "futimesat",
    "newfstatat",
    "fstatat64",
    "utimensat",
    "execveat",
    "name_to_handle_at",
];

fn dirfd(raw: &str) -> String {
    match strtoul(raw, 16) {
        Some(v) if v as u32 as i32 == -100 => "AT_FDCWD".to_string(),
        _ => format!("0x{raw}"),
    }
}

fn uid_hex(raw: &str, ctx: &Context<'_>) -> String {
    match strtoul(raw, 16) {
        Some(v) => uid_name(v, raw, ctx),
        None => format!("conversion error({raw})"),
    }
}

fn gid_hex(raw: &str, ctx: &Context<'_>) -> String {
    match strtoul(raw, 16) {
        Some(v) => gid_name(v, raw, ctx),
        None => format!("conversion error({raw})"),
    }
}

fn by_syscall(index: u8, sys: &str, raw: &str, ctx: &Context<'_>) -> Option<String> {
    let s = match (index, sys) {
        (0, "rt_sigaction") => bits::signal(raw, 16),
        (0, "setuid" | "setreuid" | "setresuid" | "setfsuid") => uid_hex(raw, ctx),
        (0, "setgid" | "setregid" | "setresgid" | "setfsgid") => gid_hex(raw, ctx),
        (0, "unshare") => bits::clone_flags(raw),
        (0, "personality") => bits::personality(raw),
        (0, "ptrace") => bits::ptrace_request(raw),
        (0, "socketcall") => {
            let n = strtoul(raw, 16)?;
            bits::socketcall_name(n)
                .map_or_else(|| format!("unknown-socketcall({raw})"), str::to_string)
        }
        (0, s) if DIRFD_SYSCALLS.contains(&s) => dirfd(raw),
        (0, "socket") => socket_domain(raw),
        (1, "socket") => socket_type(raw),
        (2, "socket") => socket_proto(raw),
        (1, "symlinkat") => dirfd(raw),
        (2, "renameat" | "renameat2" | "linkat") => dirfd(raw),
        (1, "open") => bits::open_flags(raw),
        (1, "fcntl" | "fcntl64") => bits::fcntl_cmd(raw),
        (1, "chmod" | "fchmod" | "mkdir") => bits::mode_short_hex(raw),
        (1, "mknod") => bits::mode_hex(raw),
        (1, "access") => bits::access_mode(raw),
        (1, "ioctl") => bits::ioctl_req(raw),
        (1, "kill" | "tkill") => bits::signal(raw, 16),
        (1, s) if s.starts_with("chown") => uid_hex(raw, ctx),
        (1, "setreuid" | "setresuid") => uid_hex(raw, ctx),
        (1, "setregid" | "setresgid") => gid_hex(raw, ctx),
        (1, "setsockopt" | "getsockopt") => sock_level(raw),
        (2, "open") if ctx.a1.is_some_and(|f| f & 0o100 != 0) => bits::mode_short_hex(raw),
        (2, "openat") => bits::open_flags(raw),
        // libaudit 3.0.9 reads clone flags from a2 on every arch (the glibc wrapper's order),
        // although the kernel passes them in a0 on x86_64/i386; ausearch prints that.
        (2, "clone") => bits::clone_flags(raw),
        (2, "mmap") => bits::prot(raw, true),
        (2, "mprotect") => bits::prot(raw, false),
        (2, "tgkill") => bits::signal(raw, 16),
        (2, "fchmodat" | "mkdirat") => bits::mode_short_hex(raw),
        (2, "mknodat") => bits::mode_short_hex(raw),
        (2, "faccessat" | "faccessat2") => bits::access_mode(raw),
        (2, "setresuid") => uid_hex(raw, ctx),
        (2, "setresgid") => gid_hex(raw, ctx),
        (2, "setsockopt" | "getsockopt") => sock_optname(ctx.a1?, raw)?,
        (3, "mmap") => bits::mmap_flags(raw),
        (2, "shmget") => shm_flags(raw),
        (1, "creat") => bits::mode_short_hex(raw),
        (1, "setns") => bits::clone_flags(raw),
        (1, "mq_open") => bits::open_flags(raw),
        (2, "mq_open") if ctx.a1.is_some_and(|f| f & 0o100 != 0) => bits::mode_short_hex(raw),
        (2, "open_by_handle_at") => bits::open_flags(raw),
        (1, "prctl") if ctx.a0 == Some(1) => bits::signal(raw, 16),
        (1, "prctl") if matches!(ctx.a0, Some(0x17 | 0x18)) => bits::capability(raw, 16),
        _ => return None,
    };
    Some(s)
}

fn load_sol() -> &'static [(u64, &'static str)] {
    static T: std::sync::OnceLock<Vec<(u64, &'static str)>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        include_str!("../../data/sol_levels.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (n, name) = l.split_once('\t')?;
                Some((n.parse().ok()?, name))
            })
            .collect()
    })
}

fn load_sockopt() -> &'static [(u64, u64, &'static str)] {
    static T: std::sync::OnceLock<Vec<(u64, u64, &'static str)>> = std::sync::OnceLock::new();
    T.get_or_init(|| {
        include_str!("../../data/sockopt.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut it = l.split('\t');
                Some((
                    it.next()?.parse().ok()?,
                    it.next()?.parse().ok()?,
                    it.next()?,
                ))
            })
            .collect()
    })
}

/// `setsockopt` level: `SOL_*` names, else a protocol name.
fn sock_level(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    if let Some((_, n)) = load_sol().iter().find(|(k, _)| *k == v) {
        return n.to_string();
    }
    bits::protocol_name(v).map_or_else(|| format!("unknown-sockopt-level(0x{raw})"), str::to_string)
}

/// `setsockopt` option names per level (checked in from probing ausearch).
fn sock_optname(level: u64, raw: &str) -> Option<String> {
    let v = strtoul(raw, 16)?;
    if let Some((_, _, n)) = load_sockopt()
        .iter()
        .find(|(l, o, _)| *l == level && *o == v)
    {
        return Some(n.to_string());
    }
    let kind = match level {
        0 => "ipopt",
        1 => "sockopt",
        6 => "tcpopt",
        17 => "udpopt",
        41 => "ip6opt",
        263 => "pktopt",
        _ => return Some(format!("0x{raw}")),
    };
    Some(format!("unknown-{kind}-name(0x{raw})"))
}

/// `socket` domain (address family).
fn socket_domain(raw: &str) -> String {
    strtoul(raw, 16)
        .and_then(|v| u16::try_from(v).ok())
        .and_then(super::sockaddr::family_name)
        .map_or_else(|| format!("unknown-family(0x{raw})"), str::to_string)
}

/// `socket` type (low byte).
fn socket_type(raw: &str) -> String {
    let name = match strtoul(raw, 16).map(|v| v & 0xff) {
        Some(1) => "SOCK_STREAM",
        Some(2) => "SOCK_DGRAM",
        Some(3) => "SOCK_RAW",
        Some(4) => "SOCK_RDM",
        Some(5) => "SOCK_SEQPACKET",
        Some(6) => "SOCK_DCCP",
        Some(10) => "SOCK_PACKET",
        _ => return format!("unknown-type({raw})"),
    };
    name.to_string()
}

/// `socket` protocol.
fn socket_proto(raw: &str) -> String {
    strtoul(raw, 16)
        .and_then(bits::protocol_name)
        .map_or_else(|| format!("unknown-proto({raw})"), str::to_string)
}
