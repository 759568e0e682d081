//! Numeric codes and bit sets → names: modes, permissions, capabilities, open/mmap/clone
//! flags, signals and the small netfilter/seccomp/personality tables ausearch knows.

use std::fmt::Write as _;
use std::sync::OnceLock;

/// C `strtoul`/`strtoull` on a prefix of `s`: leading blanks, a sign, `0x` for base 16, then
/// digits until the first non-digit (none → 0). A minus sign negates modulo 2^64. `None` on
/// overflow (C's `ERANGE`).
pub fn strtoul(s: &str, base: u32) -> Option<u64> {
    let s = s.trim_start_matches([' ', '\t', '\n']);
    let (neg, s) = match s.as_bytes().first() {
        Some(b'-') => (true, &s[1..]),
        Some(b'+') => (false, &s[1..]),
        _ => (false, s),
    };
    let s = if base == 16 {
        s.strip_prefix("0x")
            .or_else(|| s.strip_prefix("0X"))
            .filter(|r| r.bytes().next().is_some_and(|b| b.is_ascii_hexdigit()))
            .unwrap_or(s)
    } else {
        s
    };
    let mut v: u64 = 0;
    for c in s.chars() {
        let Some(d) = c.to_digit(base) else { break };
        v = v.checked_mul(u64::from(base))?.checked_add(u64::from(d))?;
    }
    Some(if neg { v.wrapping_neg() } else { v })
}

/// Joins the names of the set bits of `value` in table order with `sep`.
fn join_bits(value: u64, table: &[(u64, &str)], sep: &str) -> String {
    let mut out = String::new();
    for (bit, name) in table {
        if value & bit == *bit && *bit != 0 {
            if !out.is_empty() {
                out.push_str(sep);
            }
            out.push_str(name);
        }
    }
    out
}

/// `mode=0100644` → `file,644` (type, set-id bits, permissions).
pub fn mode(raw: &str) -> String {
    let Some(m) = strtoul(raw, 8) else {
        return format!("conversion error({raw})");
    };
    let mut out = match m & 0o170000 {
        0o140000 => "socket".to_string(),
        0o120000 => "link".to_string(),
        0o100000 => "file".to_string(),
        0o060000 => "block".to_string(),
        0o040000 => "dir".to_string(),
        0o020000 => "character".to_string(),
        0o010000 => "fifo".to_string(),
        other => format!("{:03o}", other >> 12),
    };
    for (bit, name) in [(0o4000, "suid"), (0o2000, "sgid"), (0o1000, "sticky")] {
        if m & bit != 0 {
            out.push(',');
            out.push_str(name);
        }
    }
    let _ = write!(out, ",{:03o}", m & 0o777);
    out
}

/// A permission argument (`chmod`, `mkdir`, `open` with `O_CREAT`, hex in the log) → `0644`.
pub fn mode_short_hex(raw: &str) -> String {
    match strtoul(raw, 16) {
        Some(m) => mode_short(m),
        None => format!("conversion error({raw})"),
    }
}

fn mode_short(m: u64) -> String {
    let mut out = String::new();
    for (bit, name) in [(0o4000, "suid"), (0o2000, "sgid"), (0o1000, "sticky")] {
        if m & bit != 0 {
            out.push_str(name);
            out.push(',');
        }
    }
    let _ = write!(out, "0{:03o}", m & 0o777);
    out
}

/// Permission bits written in octal (`mode=` of MQ_OPEN) → `0644`.
pub fn mode_short_octal(raw: &str) -> String {
    match strtoul(raw, 8) {
        Some(m) => mode_short(m),
        None => format!("conversion error({raw})"),
    }
}

/// PATH `flags=` (kernel lookup flags, hex) → `follow,directory`; 0 is `none`.
pub fn path_flags(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    if v == 0 {
        return "none".to_string();
    }
    let out = join_bits(
        v,
        &[
            (0x1, "follow"),
            (0x2, "directory"),
            (0x4, "continue"),
            (0x10, "parent"),
            (0x20, "noalt"),
            (0x40, "atomic"),
            (0x100, "open"),
            (0x200, "create"),
            (0x400, "access"),
        ],
        ",",
    );
    if out.is_empty() {
        format!("0x{raw}")
    } else {
        out
    }
}

/// A `mknod` mode argument (hex) → `character,600`.
pub fn mode_hex(raw: &str) -> String {
    match strtoul(raw, 16) {
        Some(m) => mode(&format!("{m:o}")),
        None => format!("conversion error({raw})"),
    }
}

/// Watch permissions: `perm=3` → `write,exec`; 0 means all, as in the kernel.
pub fn perm(raw: &str) -> String {
    let Some(mut v) = strtoul(raw, 10) else {
        return format!("conversion error({raw})");
    };
    if v == 0 {
        v = 0xf;
    }
    join_bits(
        v,
        &[(4, "read"), (2, "write"), (1, "exec"), (8, "attr")],
        ",",
    )
}

/// Capability names by number (0 = chown … 40 = checkpoint_restore).
pub const CAPABILITIES: [&str; 41] = [
    "chown",
    "dac_override",
    "dac_read_search",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "linux_immutable",
    "net_bind_service",
    "net_broadcast",
    "net_admin",
    "net_raw",
    "ipc_lock",
    "ipc_owner",
    "sys_module",
    "sys_rawio",
    "sys_chroot",
    "sys_ptrace",
    "sys_pacct",
    "sys_admin",
    "sys_boot",
    "sys_nice",
    "sys_resource",
    "sys_time",
    "sys_tty_config",
    "mknod",
    "lease",
    "audit_write",
    "audit_control",
    "setfcap",
    "mac_override",
    "mac_admin",
    "syslog",
    "wake_alarm",
    "block_suspend",
    "audit_read",
    "perfmon",
    "bpf",
    "checkpoint_restore",
];

/// `capability=7` → `setuid` (`base` 10 for the field, 16 for syscall arguments).
pub fn capability(raw: &str, base: u32) -> String {
    let prefix = if base == 16 { "0x" } else { "" };
    match strtoul(raw, base) {
        Some(n) => usize::try_from(n)
            .ok()
            .and_then(|n| CAPABILITIES.get(n))
            .map_or_else(
                || format!("unknown-capability({prefix}{raw})"),
                |s| s.to_string(),
            ),
        None => format!("conversion error({raw})"),
    }
}

/// A capability set in hex (`cap_fp=0000000000000400`) → `net_bind_service`, or `none`.
pub fn cap_bitmap(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    if v == 0 {
        return "none".to_string();
    }
    let names: Vec<&str> = CAPABILITIES
        .iter()
        .enumerate()
        .filter(|(i, _)| v & (1u64 << i) != 0)
        .map(|(_, n)| *n)
        .collect();
    names.join(",")
}

const OPEN_FLAGS: [(u64, &str); 17] = [
    (0o2, "O_RDWR"),
    (0o100, "O_CREAT"),
    (0o200, "O_EXCL"),
    (0o400, "O_NOCTTY"),
    (0o1000, "O_TRUNC"),
    (0o2000, "O_APPEND"),
    (0o4000, "O_NONBLOCK"),
    (0o10000, "O_DSYNC"),
    (0o20000, "O_ASYNC"),
    (0o40000, "O_DIRECT"),
    (0o200000, "O_DIRECTORY"),
    (0o400000, "O_NOFOLLOW"),
    (0o1000000, "O_NOATIME"),
    (0o2000000, "O_CLOEXEC"),
    (0o4000000, "__O_SYNC"),
    (0o10000000, "O_PATH"),
    (0o20000000, "__O_TMPFILE"),
];

/// `open` flags (hex) → `O_WRONLY|O_CREAT|O_TRUNC`; access mode 0 is `O_RDONLY`.
pub fn open_flags(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    let mut out = String::new();
    if v & 3 == 0 {
        out.push_str("O_RDONLY");
    } else if v & 1 != 0 {
        out.push_str("O_WRONLY");
    }
    for (bit, name) in OPEN_FLAGS {
        if v & bit != 0 {
            if !out.is_empty() {
                out.push('|');
            }
            out.push_str(name);
        }
    }
    out
}

const MMAP_FLAGS: [(u64, &str); 17] = [
    (0x1, "MAP_SHARED"),
    (0x2, "MAP_PRIVATE"),
    (0x10, "MAP_FIXED"),
    (0x20, "MAP_ANONYMOUS"),
    (0x40, "MAP_32BIT"),
    (0x100, "MAP_GROWSDOWN"),
    (0x800, "MAP_DENYWRITE"),
    (0x1000, "MAP_EXECUTABLE"),
    (0x2000, "MAP_LOCKED"),
    (0x4000, "MAP_NORESERVE"),
    (0x8000, "MAP_POPULATE"),
    (0x10000, "MAP_NONBLOCK"),
    (0x20000, "MAP_STACK"),
    (0x40000, "MAP_HUGETLB"),
    (0x80000, "MAP_SYNC"),
    (0x100000, "MAP_FIXED_NOREPLACE"),
    (0x4000000, "MAP_UNINITIALIZED"),
];

/// `mmap` flags (hex) → `MAP_PRIVATE|MAP_ANONYMOUS`; `MAP_FILE` leads when the mapping-type
/// nibble is 0; nothing known prints `0xRAW`.
pub fn mmap_flags(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    let mut out = if v & 0xf == 0 {
        "MAP_FILE".to_string()
    } else {
        String::new()
    };
    let bits = join_bits(v, &MMAP_FLAGS, "|");
    if !bits.is_empty() {
        if !out.is_empty() {
            out.push('|');
        }
        out.push_str(&bits);
    }
    if out.is_empty() {
        return format!("0x{raw}");
    }
    out
}

/// `mmap`/`mprotect` protection (hex) → `PROT_READ|PROT_EXEC`; 0 is `PROT_NONE`.
/// libaudit names `PROT_SEM` for `mmap` only.
pub fn prot(raw: &str, with_sem: bool) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    let table: &[(u64, &str)] = if with_sem {
        &[
            (1, "PROT_READ"),
            (2, "PROT_WRITE"),
            (4, "PROT_EXEC"),
            (8, "PROT_SEM"),
        ]
    } else {
        &[(1, "PROT_READ"), (2, "PROT_WRITE"), (4, "PROT_EXEC")]
    };
    let out = join_bits(v, table, "|");
    if out.is_empty() {
        return "PROT_NONE".to_string();
    }
    out
}

/// `access` mode (hex) → `X_OK|W_OK|R_OK`, 0 is `F_OK`.
pub fn access_mode(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    if v & 7 == 0 {
        return "F_OK".to_string();
    }
    join_bits(v, &[(1, "X_OK"), (2, "W_OK"), (4, "R_OK")], "|")
}

/// Signal names 1–31 (0 prints `SIG0`).
pub const SIGNALS: [&str; 32] = [
    "SIG0",
    "SIGHUP",
    "SIGINT",
    "SIGQUIT",
    "SIGILL",
    "SIGTRAP",
    "SIGABRT",
    "SIGBUS",
    "SIGFPE",
    "SIGKILL",
    "SIGUSR1",
    "SIGSEGV",
    "SIGUSR2",
    "SIGPIPE",
    "SIGALRM",
    "SIGTERM",
    "SIGSTKFLT",
    "SIGCHLD",
    "SIGCONT",
    "SIGSTOP",
    "SIGTSTP",
    "SIGTTIN",
    "SIGTTOU",
    "SIGURG",
    "SIGXCPU",
    "SIGXFSZ",
    "SIGVTALRM",
    "SIGPROF",
    "SIGWINCH",
    "SIGIO",
    "SIGPWR",
    "SIGSYS",
];

/// A signal number in `base` 10 (`sig=`) or 16 (syscall arguments) → `SIGTERM`.
pub fn signal(raw: &str, base: u32) -> String {
    match strtoul(raw, base) {
        Some(n) if n < 32 => SIGNALS[n as usize].to_string(),
        Some(_) if base == 16 => format!("unknown-signal(0x{raw})"),
        Some(_) => format!("unknown-signal({raw})"),
        None => format!("conversion error({raw})"),
    }
}

const CLONE_FLAGS: [(u64, &str); 23] = [
    (0x0000_0100, "CLONE_VM"),
    (0x0000_0200, "CLONE_FS"),
    (0x0000_0400, "CLONE_FILES"),
    (0x0000_0800, "CLONE_SIGHAND"),
    (0x0000_2000, "CLONE_PTRACE"),
    (0x0000_4000, "CLONE_VFORK"),
    (0x0000_8000, "CLONE_PARENT"),
    (0x0001_0000, "CLONE_THREAD"),
    (0x0002_0000, "CLONE_NEWNS"),
    (0x0004_0000, "CLONE_SYSVSEM"),
    (0x0008_0000, "CLONE_SETTLS"),
    (0x0010_0000, "CLONE_PARENT_SETTID"),
    (0x0020_0000, "CLONE_CHILD_CLEARTID"),
    (0x0040_0000, "CLONE_DETACHED"),
    (0x0080_0000, "CLONE_UNTRACED"),
    (0x0100_0000, "CLONE_CHILD_SETTID"),
    (0x0200_0000, "CLONE_STOPPED"),
    (0x0400_0000, "CLONE_NEWUTS"),
    (0x0800_0000, "CLONE_NEWIPC"),
    (0x1000_0000, "CLONE_NEWUSER"),
    (0x2000_0000, "CLONE_NEWPID"),
    (0x4000_0000, "CLONE_NEWNET"),
    (0x8000_0000, "CLONE_IO"),
];

/// `clone`/`unshare` flags (hex) → `CLONE_CHILD_CLEARTID|CLONE_CHILD_SETTID|SIGCHLD`; the low
/// byte is the exit signal. The names are libaudit 3.0.9's (0x02000000 is `CLONE_STOPPED`,
/// `CLONE_PIDFD` is not named).
pub fn clone_flags(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    let mut out = join_bits(v, &CLONE_FLAGS, "|");
    let sig = v & 0xff;
    if sig != 0 && sig < 32 {
        if !out.is_empty() {
            out.push('|');
        }
        out.push_str(SIGNALS[sig as usize]);
    }
    if out.is_empty() {
        return format!("0x{raw}");
    }
    out
}

/// `fcntl` commands by number.
pub fn fcntl_cmd(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    let name = match v {
        0 => "F_DUPFD",
        1 => "F_GETFD",
        2 => "F_SETFD",
        3 => "F_GETFL",
        4 => "F_SETFL",
        5 => "F_GETLK",
        6 => "F_SETLK",
        7 => "F_SETLKW",
        8 => "F_SETOWN",
        9 => "F_GETOWN",
        10 => "F_SETSIG",
        11 => "F_GETSIG",
        12 => "F_GETLK64",
        13 => "F_SETLK64",
        14 => "F_SETLKW64",
        15 => "F_SETOWN_EX",
        16 => "F_GETOWN_EX",
        17 => "F_GETOWNER_UIDS",
        36 => "F_OFD_GETLK",
        37 => "F_OFD_SETLK",
        38 => "F_OFD_SETLKW",
        1024 => "F_SETLEASE",
        1025 => "F_GETLEASE",
        1026 => "F_NOTIFY",
        1030 => "F_DUPFD_CLOEXEC",
        1031 => "F_SETPIPE_SZ",
        1032 => "F_GETPIPE_SZ",
        1033 => "F_ADD_SEALS",
        1034 => "F_GET_SEALS",
        _ => return format!("unknown-fcntl-command({})", v as i32),
    };
    name.to_string()
}

/// `ptrace` requests by number.
pub fn ptrace_request(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    let name = match v {
        0 => "PTRACE_TRACEME",
        1 => "PTRACE_PEEKTEXT",
        2 => "PTRACE_PEEKDATA",
        3 => "PTRACE_PEEKUSER",
        4 => "PTRACE_POKETEXT",
        5 => "PTRACE_POKEDATA",
        6 => "PTRACE_POKEUSER",
        7 => "PTRACE_CONT",
        8 => "PTRACE_KILL",
        9 => "PTRACE_SINGLESTEP",
        12 => "PTRACE_GETREGS",
        13 => "PTRACE_SETREGS",
        14 => "PTRACE_GETFPREGS",
        15 => "PTRACE_SETFPREGS",
        16 => "PTRACE_ATTACH",
        17 => "PTRACE_DETACH",
        18 => "PTRACE_GETFPXREGS",
        19 => "PTRACE_SETFPXREGS",
        24 => "PTRACE_SYSCALL",
        0x4200 => "PTRACE_SETOPTIONS",
        0x4201 => "PTRACE_GETEVENTMSG",
        0x4202 => "PTRACE_GETSIGINFO",
        0x4203 => "PTRACE_SETSIGINFO",
        0x4204 => "PTRACE_GETREGSET",
        0x4205 => "PTRACE_SETREGSET",
        0x4206 => "PTRACE_SEIZE",
        0x4207 => "PTRACE_INTERRUPT",
        0x4208 => "PTRACE_LISTEN",
        0x4209 => "PTRACE_PEEKSIGINFO",
        _ => return format!("unknown-ptrace(0x{raw})"),
    };
    name.to_string()
}

/// `socketcall` sub-call names (`a0` of i386/s390 `socketcall`).
pub fn socketcall_name(n: u64) -> Option<&'static str> {
    const NAMES: [&str; 21] = [
        "",
        "socket",
        "bind",
        "connect",
        "listen",
        "accept",
        "getsockname",
        "getpeername",
        "socketpair",
        "send",
        "recv",
        "sendto",
        "recvfrom",
        "shutdown",
        "setsockopt",
        "getsockopt",
        "sendmsg",
        "recvmsg",
        "accept4",
        "recvmmsg",
        "sendmmsg",
    ];
    usize::try_from(n)
        .ok()
        .and_then(|i| NAMES.get(i))
        .copied()
        .filter(|s| !s.is_empty())
}

/// `ipc` sub-call names (`a0` of i386 `ipc`).
pub fn ipc_name(n: u64) -> Option<&'static str> {
    Some(match n {
        1 => "semop",
        2 => "semget",
        3 => "semctl",
        4 => "semtimedop",
        11 => "msgsnd",
        12 => "msgrcv",
        13 => "msgget",
        14 => "msgctl",
        21 => "shmat",
        22 => "shmdt",
        23 => "shmget",
        24 => "shmctl",
        _ => return None,
    })
}

/// `proto=` / protocol numbers → `/etc/protocols` names (checked in from netbase).
pub fn protocol_name(n: u64) -> Option<&'static str> {
    static TABLE: OnceLock<Vec<(u64, &'static str)>> = OnceLock::new();
    let t = TABLE.get_or_init(|| {
        include_str!("../../data/protocols.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (n, name) = l.split_once('\t')?;
                Some((n.parse().ok()?, name))
            })
            .collect()
    });
    t.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
}

/// `proto=6` → `tcp`.
pub fn protocol(raw: &str) -> String {
    match strtoul(raw, 10).and_then(protocol_name) {
        Some(n) => n.to_string(),
        None => "undefined protocol".to_string(),
    }
}

/// ioctl requests ausearch names (checked in from probing ausearch).
pub fn ioctl_name(n: u64) -> Option<&'static str> {
    static TABLE: OnceLock<Vec<(u64, &'static str)>> = OnceLock::new();
    let t = TABLE.get_or_init(|| {
        include_str!("../../data/ioctl.tsv")
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (n, name) = l.split_once('\t')?;
                Some((u64::from_str_radix(n, 16).ok()?, name))
            })
            .collect()
    });
    t.iter().find(|(k, _)| *k == n).map(|(_, v)| *v)
}

/// An ioctl request (hex) → `TCGETS`, else `0xHEX` (32 bits).
pub fn ioctl_req(raw: &str) -> String {
    match strtoul(raw, 16) {
        Some(v) => ioctl_name(v)
            .map(str::to_string)
            .unwrap_or_else(|| format!("0x{:x}", v as u32)),
        None => format!("conversion error({raw})"),
    }
}

/// `res=`/`result=`: `1` → `yes`, `0` → `no`, other numbers `unset`; words stay.
pub fn success(raw: &str) -> String {
    if raw.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        match strtoul(raw, 10) {
            Some(0) => "no".into(),
            Some(1) => "yes".into(),
            Some(_) => "unset".into(),
            None => format!("conversion error({raw})"),
        }
    } else {
        raw.to_string()
    }
}

/// `ses=4294967295` → `unset`.
pub fn session(raw: &str) -> String {
    match strtoul(raw, 10) {
        Some(v) if v as u32 == u32::MAX && v <= u64::from(u32::MAX) => "unset".into(),
        _ => raw.to_string(),
    }
}

/// `prom=` (interface promiscuity): 0 → `no`, else `yes`.
pub fn promisc(raw: &str) -> String {
    match strtoul(raw, 10) {
        Some(0) => "no".into(),
        Some(_) => "yes".into(),
        None => format!("conversion error({raw})"),
    }
}

/// `list=` (audit rule list).
pub fn rule_list(raw: &str) -> String {
    match strtoul(raw, 10) {
        Some(0) => "user".into(),
        Some(1) => "task".into(),
        Some(4) => "exit".into(),
        Some(5) => "exclude".into(),
        Some(6) => "filesystem".into(),
        _ => format!("unknown-list({raw})"),
    }
}

/// `family=` of NETFILTER_CFG (NFPROTO_*).
pub fn nfproto(raw: &str) -> String {
    match strtoul(raw, 10) {
        Some(0) => "unspecified".into(),
        Some(1) => "inet".into(),
        Some(2) => "ipv4".into(),
        Some(3) => "arp".into(),
        Some(5) => "netdev".into(),
        Some(7) => "bridge".into(),
        Some(10) => "ipv6".into(),
        Some(12) => "decnet".into(),
        _ => format!("unknown-netfilter-protocol({raw})"),
    }
}

/// `icmptype=` (decimal).
pub fn icmp_type(raw: &str) -> String {
    let name = match strtoul(raw, 10) {
        Some(0) => Some("echo-reply"),
        Some(3) => Some("destination-unreachable"),
        Some(4) => Some("source-quench"),
        Some(5) => Some("redirect"),
        Some(8) => Some("echo"),
        Some(11) => Some("time-exceeded"),
        Some(12) => Some("parameter-problem"),
        Some(13) => Some("timestamp-request"),
        Some(14) => Some("timestamp-reply"),
        Some(15) => Some("info-request"),
        Some(16) => Some("info-reply"),
        Some(17) => Some("address-mask-request"),
        Some(18) => Some("address-mask-reply"),
        _ => None,
    };
    name.map_or_else(|| format!("unknown-icmp-type({raw})"), str::to_string)
}

/// `hook=` (netfilter hook, hex).
pub fn nf_hook(raw: &str) -> String {
    let name = match strtoul(raw, 16) {
        Some(0) => Some("PREROUTING"),
        Some(1) => Some("INPUT"),
        Some(2) => Some("FORWARD"),
        Some(3) => Some("OUTPUT"),
        Some(4) => Some("POSTROUTING"),
        Some(5) => Some("BROUTING"),
        _ => None,
    };
    name.map_or_else(|| format!("unknown-hook({raw})"), str::to_string)
}

/// `action=` of NETFILTER_PKT (hex).
pub fn net_action(raw: &str) -> String {
    let name = match strtoul(raw, 16) {
        Some(0) => Some("ACCEPT"),
        Some(1) => Some("DROP"),
        Some(2) => Some("REJECT"),
        _ => None,
    };
    name.map_or_else(|| format!("unknown-action({raw})"), str::to_string)
}

/// `macproto=` (ethertype, hex).
pub fn mac_proto(raw: &str) -> String {
    match strtoul(raw, 16) {
        Some(0x0800) => "IP".into(),
        Some(0x0806) => "ARP".into(),
        _ => "UNKNOWN".into(),
    }
}

/// `resp=` of FANOTIFY.
pub fn fanotify_resp(raw: &str) -> String {
    if raw.as_bytes().first().is_some_and(u8::is_ascii_digit) {
        match strtoul(raw, 10) {
            Some(1) => "allow".into(),
            Some(2) => "deny".into(),
            _ => "unknown".into(),
        }
    } else {
        raw.to_string()
    }
}

/// `per=` (personality, hex).
pub fn personality(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    let name = match v & 0xff {
        0x00 => "PER_LINUX",
        0x06 => "PER_BSD",
        0x08 => "PER_LINUX32",
        0x0c => "PER_RISCOS",
        0x0f => "PER_OSF4",
        0x10 => "PER_HPUX",
        _ => return format!("unknown-personality(0x{raw})"),
    };
    name.to_string()
}

/// `code=` of SECCOMP (hex): the action part.
pub fn seccomp_code(raw: &str) -> String {
    let Some(v) = strtoul(raw, 16) else {
        return format!("conversion error({raw})");
    };
    let name = match v & 0x7fff_0000 {
        0 => "kill",
        0x0003_0000 => "trap",
        0x0005_0000 => "errno",
        0x7ff0_0000 => "trace",
        0x7ffc_0000 => "log",
        0x7fff_0000 => "allow",
        _ => return format!("unknown-seccomp-code({raw})"),
    };
    name.to_string()
}

/// TTY keystroke data (hex) → `"text",<ret>,<backspace>` groups.
pub fn tty_data(raw: &str) -> String {
    if !raw.as_bytes().first().is_some_and(u8::is_ascii_hexdigit) {
        return raw.to_string();
    }
    // Whole hex pairs only; a value without one prints `(null)` like libauparse.
    let digits = raw.bytes().take_while(u8::is_ascii_hexdigit).count() & !1;
    if digits == 0 {
        return "(null)".to_string();
    }
    let Some(bytes) = super::escape::unhex_all(&raw[..digits]) else {
        return raw.to_string();
    };
    let mut out = String::new();
    let mut in_text = false;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let special: Option<String> = match b {
            b'\r' => Some("<ret>".into()),
            b'\n' => Some("<nl>".into()),
            b'\t' => Some("<tab>".into()),
            0x7f | 0x08 => Some("<backspace>".into()),
            0x1b => {
                let seq = bytes.get(i + 1..i + 3);
                let arrow = match seq {
                    Some([b'[', b'A']) => Some("<up>"),
                    Some([b'[', b'B']) => Some("<down>"),
                    Some([b'[', b'C']) => Some("<right>"),
                    Some([b'[', b'D']) => Some("<left>"),
                    _ => None,
                };
                match arrow {
                    Some(a) => {
                        i += 2;
                        Some(a.into())
                    }
                    None => Some("<esc>".into()),
                }
            }
            0..=0x1f => Some(format!("<^{}>", char::from(b + 0x40))),
            _ => None,
        };
        match special {
            Some(s) => {
                if in_text {
                    out.push('"');
                    in_text = false;
                }
                if !out.is_empty() {
                    out.push(',');
                }
                out.push_str(&s);
            }
            None => {
                if !in_text {
                    if !out.is_empty() {
                        out.push(',');
                    }
                    out.push('"');
                    in_text = true;
                }
                if b >= 0x80 {
                    let _ = write!(out, "\\{b:03o}");
                } else {
                    out.push(char::from(b));
                }
            }
        }
        i += 1;
    }
    if in_text {
        out.push('"');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strtoul_like_c() {
        assert_eq!(strtoul("1a4", 10), Some(1));
        assert_eq!(strtoul("abc", 10), Some(0));
        assert_eq!(strtoul("-2", 10), Some(u64::MAX - 1));
        assert_eq!(strtoul("0x10", 16), Some(16));
        assert_eq!(strtoul("99999999999999999999999", 10), None);
    }

    #[test]
    fn probed_values() {
        assert_eq!(mode("0100644"), "file,644");
        assert_eq!(mode("0104755"), "file,suid,755");
        assert_eq!(mode("02755"), "000,sgid,755");
        assert_eq!(mode("0170000"), "017,000");
        assert_eq!(mode("41424344"), "character,suid,344");
        assert_eq!(perm("0"), "read,write,exec,attr");
        assert_eq!(perm("3"), "write,exec");
        assert_eq!(perm("-2"), "read,write,attr");
        assert_eq!(cap_bitmap("0"), "none");
        assert_eq!(cap_bitmap("3"), "chown,dac_override");
        assert_eq!(capability("41", 10), "unknown-capability(41)");
        assert_eq!(capability("29", 16), "unknown-capability(0x29)");
        assert_eq!(open_flags("3"), "O_WRONLY|O_RDWR");
        assert_eq!(open_flags("1a4"), "O_RDONLY|O_EXCL|O_NOCTTY");
        assert_eq!(
            open_flags("41424344"),
            "O_RDONLY|O_CREAT|O_NOCTTY|O_TRUNC|O_DIRECT|O_NOFOLLOW|__O_TMPFILE"
        );
        assert_eq!(mmap_flags("0"), "MAP_FILE");
        assert_eq!(mmap_flags("1000"), "MAP_FILE|MAP_EXECUTABLE");
        assert_eq!(mmap_flags("8"), "0x8");
        assert_eq!(
            mmap_flags("41424344"),
            "MAP_32BIT|MAP_GROWSDOWN|MAP_NORESERVE|MAP_STACK"
        );
        assert_eq!(signal("9", 10), "SIGKILL");
        assert_eq!(signal("32", 10), "unknown-signal(32)");
        assert_eq!(signal("21", 16), "unknown-signal(0x21)");
        assert_eq!(success("1"), "yes");
        assert_eq!(success("2"), "unset");
        assert_eq!(success("success"), "success");
        assert_eq!(session("4294967295"), "unset");
        assert_eq!(rule_list("1a4"), "task");
        assert_eq!(nfproto("13"), "unknown-netfilter-protocol(13)");
        assert_eq!(icmp_type("1a4"), "unknown-icmp-type(1a4)");
        assert_eq!(nf_hook("abc"), "unknown-hook(abc)");
        assert_eq!(nf_hook("?"), "PREROUTING");
        assert_eq!(icmp_type("0x10"), "echo-reply");
        assert_eq!(protocol("6"), "tcp");
        assert_eq!(protocol("254"), "undefined protocol");
        assert_eq!(ioctl_req("5401"), "TCGETS");
        assert_eq!(ioctl_req("-2"), "0xfffffffe");
        assert_eq!(personality("0x1"), "unknown-personality(0x0x1)");
        assert_eq!(personality("8"), "PER_LINUX32");
        assert_eq!(seccomp_code("0x80000000"), "kill");
        assert_eq!(seccomp_code("-2"), "allow");
        assert_eq!(
            seccomp_code("0x40000000"),
            "unknown-seccomp-code(0x40000000)"
        );
        assert_eq!(
            tty_data("72706D202D7161207C2067726570207379736C6F670D"),
            "\"rpm -qa | grep syslog\",<ret>"
        );
    }
}
