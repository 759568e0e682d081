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
    if let Some(sys) = sys
        && let Some(s) = by_syscall(index, sys, raw, ctx)
    {
        return s;
    }
    format!("0x{raw}")
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
        (0, "clone" | "unshare") => bits::clone_flags(raw),
        (0, "personality") => bits::personality(raw),
        (0, "ptrace") => bits::ptrace_request(raw),
        (0, "socketcall") => {
            let n = strtoul(raw, 16)?;
            bits::socketcall_name(n).map_or_else(|| format!("0x{raw}"), str::to_string)
        }
        (0, s) if DIRFD_SYSCALLS.contains(&s) => dirfd(raw),
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
        (1, "openat" | "openat2") => bits::open_flags(raw),
        (1, "setsockopt" | "getsockopt") => sock_level(raw),
        (2, "open") if ctx.a1.is_some_and(|f| f & 0o100 != 0) => bits::mode_short_hex(raw),
        (2, "openat") if ctx.a1.is_some_and(|f| f & 0o100 != 0) => bits::mode_short_hex(raw),
        (2, "mprotect" | "mmap") => bits::prot(raw),
        (2, "tgkill") => bits::signal(raw, 16),
        (2, "fchmodat" | "mkdirat") => bits::mode_short_hex(raw),
        (2, "mknodat") => bits::mode_hex(raw),
        (2, "faccessat" | "faccessat2") => bits::access_mode(raw),
        (2, "setresuid") => uid_hex(raw, ctx),
        (2, "setresgid") => gid_hex(raw, ctx),
        (2, "setsockopt" | "getsockopt") => sock_optname(ctx.a1?, raw)?,
        (3, "mmap") => bits::mmap_flags(raw),
        _ => return None,
    };
    Some(s)
}

/// `setsockopt` level: `SOL_SOCKET` or a protocol name.
fn sock_level(raw: &str) -> String {
    match strtoul(raw, 16) {
        Some(1) => "SOL_SOCKET".to_string(),
        Some(v) => bits::protocol_name(v).map_or_else(|| format!("0x{raw}"), str::to_string),
        None => format!("conversion error({raw})"),
    }
}

/// `setsockopt` option names for the levels seen in practice (`IPPROTO_IP` iptables options).
fn sock_optname(level: u64, raw: &str) -> Option<String> {
    let v = strtoul(raw, 16)?;
    let name = match (level, v) {
        (0, 64) => "IPT_SO_SET_REPLACE",
        (0, 65) => "IPT_SO_SET_ADD_COUNTERS",
        (41, 64) => "IP6T_SO_SET_REPLACE",
        (41, 65) => "IP6T_SO_SET_ADD_COUNTERS",
        _ => return None,
    };
    Some(name.to_string())
}
