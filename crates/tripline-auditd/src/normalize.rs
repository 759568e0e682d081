//! Normalization of an assembled [`AuditEvent`] into a [`tripline_schema::Event`].
//!
//! execve → process exec; USER_CMD → user command; logins, PAM and credentials →
//! authentication; user/group management → account change; file syscalls with PATH → file
//! access; connect/bind/accept with SOCKADDR → network; setuid family/capset → identity
//! change; AVC → file access (with outcome) or other; everything else → other. Nothing is
//! dropped: the audit keys are the event's tags and `unmapped.auditd.key`, and the raw records
//! are kept in `raw.text`.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use tripline_schema::{
    AccountChange, AccountOp, AuthOp, Authentication, Endpoint, Event, EventKind, File, FileAccess,
    FileExtra, FileOp, FileType, Group, IdentityChange, IdentityOp, Location, NetworkActivity,
    NetworkOp, Other, Outcome, Process, ProcessAccess, ProcessAccessOp, ProcessEvent, ProcessExtra,
    Product, Raw, Source, Text, User, UserCommand,
};
use tripline_schema::{Field, Fields};

use crate::event::AuditEvent;
use crate::interp_support::{arch_name, syscall_text};
use crate::record::{Record, Scope};
use crate::value::{self, Radix};

fn text(r: &Record<'_>, key: &str) -> Option<Text> {
    let f = r.get(key)?;
    if f.is_null() {
        return None;
    }
    Some(Text::from(f.text()))
}

fn num<T: TryFrom<i128>>(r: &Record<'_>, key: &str) -> Option<T> {
    let n = r.get(key)?.number_in(Radix::Decimal)?;
    T::try_from(n.value).ok()
}

/// A uid/gid field: numeric id (None when unset) and the ENRICHED name when present.
fn id_of(r: &Record<'_>, key: &str) -> Option<(Option<u32>, Option<Text>)> {
    let f = r.get(key)?;
    let id = if value::is_unset_id(f.raw) {
        None
    } else {
        f.raw.parse::<u32>().ok()
    };
    let name = r
        .enriched_text()
        .and_then(|_| r.enriched(&key.to_ascii_uppercase()))
        .map(|e| e.raw)
        .filter(|n| *n != "unset" && !n.starts_with("unknown("))
        .map(Text::from);
    if id.is_none() && name.is_none() {
        return None;
    }
    Some((id, name))
}

fn user(r: &Record<'_>, key: &str) -> Option<User> {
    id_of(r, key).map(|(id, name)| User { id, name })
}

fn group(r: &Record<'_>, key: &str) -> Option<Group> {
    id_of(r, key).map(|(id, name)| Group { id, name })
}

/// The audit session (`ses`), unless unset (`4294967295`).
fn session(r: &Record<'_>) -> Option<u32> {
    r.get("ses")
        .filter(|f| !value::is_unset_id(f.raw))
        .and_then(|f| f.raw.parse().ok())
}

/// The process described by a SYSCALL-like record.
fn process_of(r: &Record<'_>) -> Process {
    Process {
        pid: num(r, "pid"),
        ppid: num(r, "ppid"),
        executable: text(r, "exe"),
        name: text(r, "comm"),
        user: user(r, "euid").or_else(|| user(r, "uid")),
        login_user: user(r, "auid"),
        group: group(r, "egid").or_else(|| group(r, "gid")),
        tty: text(r, "tty").or_else(|| text(r, "terminal")),
        extra: ProcessExtra {
            real_user: user(r, "uid"),
            saved_user: user(r, "suid"),
            fs_user: user(r, "fsuid"),
            real_group: group(r, "gid"),
            saved_group: group(r, "sgid"),
            fs_group: group(r, "fsgid"),
            session_id: session(r),
            ..ProcessExtra::default()
        }
        .boxed(),
        ..Process::default()
    }
}

/// `CLONE_THREAD`: a clone that makes a thread, not a process.
const CLONE_THREAD: u64 = 0x0001_0000;

/// Whether a syscall record is a successful process creation (fork, vfork, or clone without
/// `CLONE_THREAD`; clone3 passes its flags in memory, so it counts as a fork).
fn is_process_fork(r: &Record<'_>, syscall: &str) -> bool {
    match syscall {
        "fork" | "vfork" | "clone3" => true,
        "clone" => r
            .get("a0")
            .and_then(|f| u64::from_str_radix(f.raw, 16).ok())
            .is_none_or(|flags| flags & CLONE_THREAD == 0),
        _ => false,
    }
}

/// The child a fork created: its pid is the syscall's return value in the parent; it runs the
/// parent's program as the parent's users until it execs.
fn fork_child(r: &Record<'_>, parent: Option<&Process>) -> Option<Process> {
    let pid = r
        .get("exit")
        .and_then(|f| f.raw.parse::<i64>().ok())
        .filter(|p| *p > 0)
        .and_then(|p| u32::try_from(p).ok())?;
    let parent = parent.cloned().unwrap_or_default();
    Some(Process {
        pid: Some(pid),
        ppid: parent.pid,
        parent: Some(Box::new(tripline_schema::ParentProcess {
            pid: parent.pid,
            executable: parent.executable.clone(),
            name: parent.name.clone(),
            ..tripline_schema::ParentProcess::default()
        })),
        executable: parent.executable,
        name: parent.name,
        cwd: parent.cwd,
        user: parent.user,
        login_user: parent.login_user,
        group: parent.group,
        tty: parent.tty,
        // The identities, not the parent's title or start time.
        extra: parent.extra.and_then(|x| {
            ProcessExtra {
                title: None,
                start: None,
                ..*x
            }
            .boxed()
        }),
        ..Process::default()
    })
}

fn outcome_of(ev: &AuditEvent) -> Outcome {
    for r in ev.records() {
        if let Some(f) = r.get_in("success", Scope::Body) {
            return match f.raw {
                "yes" => Outcome::Success,
                "no" => Outcome::Failure,
                _ => Outcome::Unknown,
            };
        }
        if let Some(f) = r.get("res").or_else(|| r.get("result")) {
            return match f.raw.trim_end_matches([')', ',']) {
                "success" | "1" | "yes" => Outcome::Success,
                "failed" | "0" | "no" | "failure" => Outcome::Failure,
                _ => Outcome::Unknown,
            };
        }
        if let Some(p) = r.prefix() {
            if p.contains("denied") {
                return Outcome::Failure;
            }
            if p.contains("granted") {
                return Outcome::Success;
            }
        }
        if let Some(a) = r.get("apparmor") {
            return match &*a.text() {
                "DENIED" => Outcome::Failure,
                "ALLOWED" | "AUDIT" => Outcome::Success,
                _ => Outcome::Unknown,
            };
        }
    }
    Outcome::Unknown
}

/// Decodes a `struct sockaddr` (SOCKADDR `saddr`): inet, inet6 and unix.
fn sockaddr(bytes: &[u8]) -> Option<(u16, Endpoint)> {
    let fam = u16::from_le_bytes([*bytes.first()?, *bytes.get(1)?]);
    let ep = match fam {
        1 => {
            let path = &bytes[2..];
            let p = if path.first() == Some(&0) {
                let end = path[1..]
                    .iter()
                    .position(|&b| b == 0)
                    .map_or(path.len(), |e| e + 1);
                format!("@{}", String::from_utf8_lossy(&path[1..end]))
            } else {
                let end = path.iter().position(|&b| b == 0).unwrap_or(path.len());
                String::from_utf8_lossy(&path[..end]).into_owned()
            };
            Endpoint {
                path: Some(p.into()),
                ..Endpoint::default()
            }
        }
        2 if bytes.len() >= 8 => Endpoint {
            port: Some(u16::from_be_bytes([bytes[2], bytes[3]])),
            ip: Some(IpAddr::V4(Ipv4Addr::new(
                bytes[4], bytes[5], bytes[6], bytes[7],
            ))),
            ..Endpoint::default()
        },
        10 if bytes.len() >= 24 => {
            let mut a = [0u8; 16];
            a.copy_from_slice(&bytes[8..24]);
            Endpoint {
                port: Some(u16::from_be_bytes([bytes[2], bytes[3]])),
                ip: Some(IpAddr::V6(Ipv6Addr::from(a))),
                ..Endpoint::default()
            }
        }
        _ => return None,
    };
    Some((fam, ep))
}

fn file_of(r: &Record<'_>) -> File {
    let mode = r
        .get("mode")
        .and_then(|f| f.number_in(Radix::Octal))
        .and_then(|n| u32::try_from(n.value).ok());
    File {
        path: text(r, "name"),
        file_type: mode.and_then(FileType::from_mode),
        inode: num(r, "inode"),
        device: text(r, "dev"),
        mode,
        extra: FileExtra {
            owner: user(r, "ouid"),
            group: group(r, "ogid"),
            ..FileExtra::default()
        }
        .boxed(),
        ..File::default()
    }
}

fn join_path(cwd: Option<&str>, path: String) -> String {
    match cwd {
        Some(c) if !path.starts_with('/') && !c.is_empty() => {
            format!(
                "{}/{}",
                c.trim_end_matches('/'),
                path.trim_start_matches("./")
            )
        }
        _ => path,
    }
}

fn file_op(syscall: &str) -> Option<FileOp> {
    Some(match syscall {
        "open" | "openat" | "openat2" | "open_by_handle_at" => FileOp::Open,
        "read" | "pread64" | "readv" => FileOp::Read,
        "write" | "pwrite64" | "writev" | "truncate" | "ftruncate" => FileOp::Write,
        "creat" | "mkdir" | "mkdirat" | "mknod" | "mknodat" => FileOp::Create,
        "unlink" | "unlinkat" | "rmdir" => FileOp::Delete,
        "rename" | "renameat" | "renameat2" => FileOp::Rename,
        "link" | "linkat" | "symlink" | "symlinkat" => FileOp::Link,
        "chmod" | "fchmod" | "fchmodat" | "fchmodat2" => FileOp::Chmod,
        "chown" | "fchown" | "fchownat" | "lchown" => FileOp::Chown,
        "setxattr" | "lsetxattr" | "fsetxattr" | "removexattr" | "lremovexattr"
        | "fremovexattr" | "utime" | "utimes" | "utimensat" | "futimesat" => FileOp::SetAttributes,
        "mount" | "fsmount" | "move_mount" => FileOp::Mount,
        "umount" | "umount2" => FileOp::Unmount,
        _ => return None,
    })
}

fn identity_op(syscall: &str) -> Option<IdentityOp> {
    Some(match syscall {
        "setuid" | "setreuid" | "setresuid" | "setfsuid" | "setuid32" | "setreuid32"
        | "setresuid32" | "setfsuid32" => IdentityOp::SetUid,
        "setgid" | "setregid" | "setresgid" | "setfsgid" | "setgroups" | "setgid32"
        | "setregid32" | "setresgid32" | "setfsgid32" | "setgroups32" => IdentityOp::SetGid,
        "capset" => IdentityOp::SetCapabilities,
        _ => return None,
    })
}

fn auth_op(t: &str, op: Option<&str>) -> Option<AuthOp> {
    Some(match t {
        "USER_LOGIN" | "LOGIN" => AuthOp::Login,
        "USER_LOGOUT" => AuthOp::Logout,
        "USER_AUTH" => AuthOp::Authenticate,
        "USER_ACCT" => AuthOp::Authorize,
        "CRED_ACQ" => AuthOp::CredentialAcquire,
        "CRED_REFR" => AuthOp::CredentialRefresh,
        "CRED_DISP" => AuthOp::CredentialDispose,
        "USER_START" => AuthOp::SessionStart,
        "USER_END" => AuthOp::SessionEnd,
        "USER_ROLE_CHANGE" => AuthOp::AccountSwitch,
        "USER_ERR"
        | "ANOM_LOGIN_FAILURES"
        | "ANOM_LOGIN_TIME"
        | "ANOM_LOGIN_SESSIONS"
        | "ANOM_LOGIN_ACCT"
        | "ANOM_LOGIN_LOCATION"
        | "GRP_AUTH" => AuthOp::Other(Text::from(op.unwrap_or(t))),
        _ => return None,
    })
}

fn account_op(t: &str, op: &str) -> Option<AccountOp> {
    Some(match t {
        "ADD_USER" => AccountOp::UserCreate,
        "DEL_USER" => AccountOp::UserDelete,
        "ADD_GROUP" => AccountOp::GroupCreate,
        "DEL_GROUP" => AccountOp::GroupDelete,
        "USER_CHAUTHTOK" | "GRP_CHAUTHTOK" => AccountOp::PasswordChange,
        "ACCT_LOCK" => AccountOp::Lock,
        "ACCT_UNLOCK" => AccountOp::Unlock,
        "GRP_MGMT" | "CHGRP_ID" => {
            if op.contains("add") {
                AccountOp::GroupCreate
            } else if op.contains("del") {
                AccountOp::GroupDelete
            } else {
                AccountOp::GroupModify
            }
        }
        "USER_MGMT" | "CHUSER_ID" => {
            if op.contains("del") {
                AccountOp::UserDelete
            } else {
                AccountOp::UserModify
            }
        }
        _ => return None,
    })
}

/// The user named in a user-space message: `acct=` (name) or `id=` (uid).
fn subject_user(r: &Record<'_>) -> Option<User> {
    let acct = r
        .get_in("acct", Scope::Msg)
        .map(|f| Text::from(f.text()))
        .filter(|a| a != "?" && !a.is_empty());
    let id = r
        .get_in("id", Scope::Msg)
        .and_then(|f| f.raw.parse::<u32>().ok())
        .filter(|i| *i != u32::MAX);
    let enriched = r.enriched("ID").map(|f| Text::from(f.raw));
    let name = acct.or(enriched).filter(|n| n != "unset");
    if name.is_none() && id.is_none() {
        return None;
    }
    Some(User { id, name })
}

fn endpoint_of(r: &Record<'_>) -> Option<Endpoint> {
    let addr = text(r, "addr").filter(|a| a != "?");
    let host = text(r, "hostname").filter(|h| h != "?");
    let ip = addr.as_deref().and_then(|a| a.parse::<IpAddr>().ok());
    let domain = host.filter(|h| h.parse::<IpAddr>().is_err());
    let port = r.get("rport").and_then(|f| f.raw.parse().ok());
    let ep = Endpoint {
        ip,
        port,
        domain,
        path: None,
    };
    (!ep.is_empty()).then_some(ep)
}

fn userspace_process(r: &Record<'_>) -> Process {
    let mut p = Process {
        pid: num(r, "pid"),
        executable: text(r, "exe"),
        name: text(r, "comm"),
        user: user(r, "uid"),
        login_user: user(r, "auid"),
        tty: text(r, "terminal"),
        extra: ProcessExtra {
            real_user: user(r, "uid"),
            session_id: session(r),
            ..ProcessExtra::default()
        }
        .boxed(),
        ..Process::default()
    };
    if p.tty.as_deref() == Some("?") {
        p.tty = None;
    }
    p
}

/// Normalizes an assembled event.
///
/// ```
/// use tripline_auditd::StrEvents;
/// let log = "type=USER_CMD msg=audit(1.000:9): pid=7 uid=1000 auid=1000 ses=3 msg='cwd=\"/home/a\" cmd=646F636B6572207073 terminal=pts/0 res=success'\n";
/// let ev = StrEvents::new(log).next().unwrap().unwrap();
/// let e = tripline_auditd::normalize(&ev);
/// assert_eq!(e.kind.name(), "user_command");
/// ```
pub fn normalize(ev: &AuditEvent) -> Event {
    normalize_inner(ev)
}

/// Normalizes an assembled event read from `file`: like [`normalize`], with
/// `raw.location.file` set (the event id stays file-independent).
///
/// ```
/// let log = "type=CWD msg=audit(1.000:3): cwd=\"/\"\ntype=PATH msg=audit(1.000:3): item=0 name=\"/etc\"\n";
/// let ev = tripline_auditd::StrEvents::new(log).next().unwrap().unwrap();
/// let e = tripline_auditd::normalize_in(&ev, "audit.log");
/// let raw = e.raw.unwrap();
/// let loc = raw.location.unwrap();
/// assert_eq!((loc.file.as_deref(), loc.line, loc.offset), (Some("audit.log"), Some(1), Some(0)));
/// assert_eq!(raw.lines, [1, 2]);
/// ```
pub fn normalize_in(ev: &AuditEvent, file: &str) -> Event {
    let mut e = normalize_inner(ev);
    let raw = e.raw.get_or_insert_with(Raw::default);
    raw.location.get_or_insert_with(Location::default).file = Some(Text::from(file));
    e
}

fn normalize_inner(ev: &AuditEvent) -> Event {
    let id = ev.id();
    let time = id.time.to_datetime().unwrap_or_default();
    let primary = ev.records().next();
    let primary_type = ev.primary_type().to_owned();
    let mut source = Source::new(Product::Auditd, "audit-log");
    source.sequence = Some(u64::from(id.serial));
    source.event_code = primary
        .as_ref()
        .and_then(|r| r.record_type())
        .map(|t| t.0.to_string().into());

    let syscall_rec = ev.first("SYSCALL");
    let syscall = syscall_rec
        .as_ref()
        .and_then(|r| syscall_text(r))
        .map(|s| s.into_owned());
    let cwd = ev.first("CWD").and_then(|r| text(&r, "cwd"));
    let proctitle = ev.first("PROCTITLE").and_then(|r| r.proctitle_args());
    let keys = ev.keys();
    let sc = syscall.as_deref().unwrap_or("");

    let mut process = syscall_rec.as_ref().map(process_of);
    if let Some(p) = process.as_mut() {
        p.cwd = cwd.clone();
        if let Some(t) = &proctitle {
            p.extra_mut().title = Some(t.join(" ").into());
        }
    }

    let user_rec = ev.records().find(|r| {
        r.record_type()
            .is_some_and(|t| t.is_user_space() || matches!(t.0, 1005 | 1006))
    });
    let paths: Vec<Record<'_>> = ev.all("PATH").collect();
    let sockaddr_rec = ev.first("SOCKADDR");
    let avc = ev.first("AVC");

    let kind = if ev.first("EXECVE").is_some() || matches!(sc, "execve" | "execveat") {
        let mut p = process.clone().unwrap_or_default();
        if let Some(args) = ev.execve_args() {
            p.command_line = Some(args.command_line().into());
            p.args = args.args.into_iter().map(Text::from).collect();
        } else if let Some(t) = &proctitle {
            p.args = t.iter().map(|a| Text::from(a.as_str())).collect();
            p.command_line = Some(t.join(" ").into());
        }
        if p.title().map(Text::as_str) == p.command_line.as_deref()
            && let Some(x) = p.extra.as_mut()
        {
            x.title = None;
        }
        if p.executable.is_none()
            && let Some(first) = paths.first()
        {
            p.executable = text(first, "name");
        }
        EventKind::ProcessExec(Box::new(ProcessEvent {
            process: p,
            ..ProcessEvent::default()
        }))
    } else if let Some(child) = syscall_rec
        .as_ref()
        .filter(|r| is_process_fork(r, sc))
        .and_then(|r| fork_child(r, process.as_ref()))
    {
        EventKind::ProcessFork(Box::new(ProcessEvent {
            process: child,
            ..ProcessEvent::default()
        }))
    } else if let (Some(r), "ptrace") = (syscall_rec.as_ref(), sc) {
        // a0 is the request number, a1 the target pid (hex, as the kernel logs arguments).
        let arg = |k: &str| r.get(k).and_then(|f| u64::from_str_radix(f.raw, 16).ok());
        let request = arg("a0").map(|n| n.to_string());
        EventKind::ProcessAccess(Box::new(ProcessAccess {
            op: request
                .as_deref()
                .map_or(ProcessAccessOp::Other(Text::from("?")), |n| {
                    ProcessAccessOp::from_ptrace_request(n)
                }),
            request: request.map(Text::from),
            process: process.clone(),
            target: Process {
                pid: arg("a1").and_then(|n| u32::try_from(n).ok()),
                ..Process::default()
            },
        }))
    } else if let Some(r) = ev.first("USER_CMD") {
        EventKind::UserCommand(Box::new(UserCommand {
            command: text(&r, "cmd").unwrap_or_default(),
            cwd: text(&r, "cwd"),
            user: user(&r, "auid").or_else(|| user(&r, "uid")),
            run_as: None,
            terminal: text(&r, "terminal").filter(|t| t != "?"),
            process: Some(userspace_process(&r)),
        }))
    } else if let Some((r, op)) = user_rec.as_ref().and_then(|r| {
        let op = r.get_in("op", Scope::Msg).map(|f| f.text().into_owned());
        auth_op(r.canonical_type_name(), op.as_deref()).map(|a| (r, a))
    }) {
        let is_login = r.canonical_type_name() == "LOGIN";
        Authentication {
            op,
            user: if is_login {
                user(r, "auid")
            } else {
                subject_user(r)
            },
            actor: if is_login {
                user(r, "old-auid")
            } else {
                user(r, "auid")
            },
            source: endpoint_of(r),
            terminal: text(r, "terminal").filter(|t| t != "?"),
            session_id: session(r),
            method: r.get_in("op", Scope::Msg).map(|f| Text::from(f.text())),
            process: Some(process.clone().unwrap_or_else(|| userspace_process(r))),
        }
        .into_kind()
    } else if let Some((r, op)) = user_rec.as_ref().and_then(|r| {
        let op = r
            .get_in("op", Scope::Msg)
            .map(|f| f.text().into_owned())
            .unwrap_or_default();
        account_op(r.canonical_type_name(), &op).map(|a| (r, a))
    }) {
        let target = subject_user(r);
        let is_group = matches!(
            op,
            AccountOp::GroupCreate | AccountOp::GroupDelete | AccountOp::GroupModify
        );
        EventKind::AccountChange(Box::new(AccountChange {
            op,
            target_group: if is_group {
                target.clone().map(|u| Group {
                    id: u.id,
                    name: u.name,
                })
            } else {
                None
            },
            target_user: if is_group { None } else { target },
            actor: user(r, "auid"),
            process: Some(userspace_process(r)),
        }))
    } else if let (Some(s), Some(op)) = (
        sockaddr_rec.as_ref(),
        match sc {
            "connect" | "sendto" | "sendmsg" => Some(NetworkOp::Connect),
            "bind" => Some(NetworkOp::Bind),
            "accept" | "accept4" => Some(NetworkOp::Accept),
            "listen" => Some(NetworkOp::Listen),
            _ => None,
        },
    ) {
        let decoded = s
            .get("saddr")
            .map(|f| f.bytes().into_owned())
            .and_then(|b| sockaddr(&b));
        let (fam, ep) = match decoded {
            Some((f, e)) => (Some(f), Some(e)),
            None => (None, None),
        };
        let (source_ep, dest_ep) = match op {
            NetworkOp::Bind | NetworkOp::Listen => (ep, None),
            NetworkOp::Accept => (ep, None),
            _ => (None, ep),
        };
        EventKind::Network(Box::new(NetworkActivity {
            op,
            transport: match fam {
                Some(1) => Some(Text::const_new("unix")),
                _ => None,
            },
            source: source_ep,
            destination: dest_ep,
            direction: None,
            process: process.clone(),
        }))
    } else if let (Some(op), false) = (file_op(sc), paths.is_empty()) {
        let pick = paths
            .iter()
            .find(|p| matches!(p.get("nametype").map(|f| f.raw), Some("DELETE" | "CREATE")))
            .or_else(|| {
                paths
                    .iter()
                    .find(|p| p.get("nametype").map(|f| f.raw) != Some("PARENT"))
            })
            .unwrap_or(&paths[0]);
        let mut file = file_of(pick);
        file.path = file
            .path
            .map(|p| Text::from(join_path(cwd.as_deref(), p.to_string())));
        let target = if op == FileOp::Rename || op == FileOp::Link {
            paths
                .iter()
                .rev()
                .find(|p| p.get("nametype").map(|f| f.raw) == Some("CREATE"))
                .filter(|p| !std::ptr::eq(*p, pick))
                .map(|p| {
                    let mut f = file_of(p);
                    f.path = f
                        .path
                        .map(|x| Text::from(join_path(cwd.as_deref(), x.to_string())));
                    f
                })
        } else {
            None
        };
        EventKind::FileAccess(Box::new(FileAccess {
            op,
            file,
            target,
            process: process.clone(),
        }))
    } else if let Some(op) = identity_op(sc) {
        let r = syscall_rec.as_ref();
        EventKind::IdentityChange(Box::new(IdentityChange {
            op,
            process: process.clone().unwrap_or_default(),
            target_user: r.and_then(|r| user(r, "euid")),
            target_group: r.and_then(|r| group(r, "egid")),
        }))
    } else if let Some(a) = avc
        .as_ref()
        .filter(|a| a.get("name").is_some() || a.get("path").is_some())
    {
        let path = text(a, "path")
            .or_else(|| text(a, "name"))
            .unwrap_or_default();
        let op = a
            .get("operation")
            .map(|f| f.text().into_owned())
            .or_else(|| {
                a.prefix().and_then(|p| {
                    let open = p.find('{')?;
                    let close = p.find('}')?;
                    Some(p[open + 1..close].trim().to_owned())
                })
            })
            .unwrap_or_else(|| "access".to_owned());
        let mut p = process.clone().unwrap_or_default();
        if p.pid.is_none() {
            p.pid = num(a, "pid");
            p.name = text(a, "comm");
        }
        EventKind::FileAccess(Box::new(FileAccess {
            op: match op.as_str() {
                "open" => FileOp::Open,
                "read" => FileOp::Read,
                "write" | "append" => FileOp::Write,
                "create" | "mknod" | "mkdir" => FileOp::Create,
                "unlink" | "rmdir" => FileOp::Delete,
                "rename" => FileOp::Rename,
                _ => FileOp::Other(op.into()),
            },
            file: File {
                path: Some(path),
                inode: num(a, "ino"),
                device: text(a, "dev"),
                ..File::default()
            },
            target: None,
            process: Some(p),
        }))
    } else {
        EventKind::Other(Box::new(Other {
            name: syscall
                .clone()
                .filter(|_| primary_type == "SYSCALL")
                .unwrap_or_else(|| primary_type.clone())
                .into(),
            process: process
                .clone()
                .or_else(|| user_rec.as_ref().map(userspace_process)),
        }))
    };

    let mut e = Event::new(time, source, kind);
    e.action = syscall
        .as_deref()
        .map(Text::from)
        .or_else(|| Some(Text::from(primary_type.as_str())));
    e.outcome = outcome_of(ev);
    if let Some(n) = &id.node {
        e.host = Some(tripline_schema::Host {
            name: Some(Text::from(&**n)),
            architecture: syscall_rec.as_ref().and_then(arch_name).map(Text::from),
            ..tripline_schema::Host::default()
        });
    }
    e.tags = keys.iter().map(|k| Text::from(k.as_str())).collect();
    if !keys.is_empty() {
        e.labels
            .insert(Text::const_new("audit.key"), keys.join(",").into());
    }
    e.id = Some(match &id.node {
        Some(n) => format!(
            "auditd:{n}:{}.{:03}:{}",
            id.time.secs, id.time.msec, id.serial
        )
        .into(),
        None => format!("auditd:{}.{:03}:{}", id.time.secs, id.time.msec, id.serial).into(),
    });
    let text: Vec<&str> = ev.records().map(|r| r.line()).collect();
    let lines = ev.line_numbers();
    e.raw = Some(Raw {
        text: text.join("\n").into(),
        location: ev.position().map(|p| Location {
            file: None,
            line: Some(p.line),
            offset: Some(p.offset),
        }),
        lines: if lines.len() > 1 { lines } else { Vec::new() },
        ..Raw::default()
    });

    let vendor = e.vendor_mut("auditd");
    vendor.insert("serial", id.serial);
    vendor.insert("type", primary_type.as_str());
    vendor.insert(
        "records",
        ev.records()
            .map(|r| Field::from(r.canonical_type_name()))
            .collect::<Vec<_>>(),
    );
    match keys.len() {
        0 => {}
        1 => {
            vendor.insert("key", keys[0].as_str());
        }
        _ => {
            vendor.insert("key", keys.iter().map(String::as_str).collect::<Vec<_>>());
        }
    }
    if !ev.completion().is_complete() {
        vendor.insert(
            "completion",
            format!("{:?}", ev.completion()).to_lowercase(),
        );
    }
    if let Some(r) = &syscall_rec {
        let mut sc = Fields::new();
        for k in [
            "arch", "syscall", "exit", "a0", "a1", "a2", "a3", "items", "subj",
        ] {
            if let Some(f) = r.get(k) {
                sc.insert(k, f.raw);
            }
        }
        if let Some(n) = &syscall {
            sc.insert("name", n.as_str());
        }
        vendor.insert("syscall", sc);
    }
    if let Some(r) = &user_rec
        && let Some(m) = r.get_in("msg", Scope::Body)
    {
        let mut msg = Fields::new();
        for f in r.fields().filter(|f| f.scope == Scope::Msg) {
            msg.insert(f.key, f.text());
        }
        if msg.is_empty() {
            msg.insert("text", m.raw);
        }
        vendor.insert("msg", msg);
    }
    if let Some(a) = &avc {
        let mut m = Fields::new();
        if let Some(p) = a.prefix() {
            m.insert("prefix", p);
        }
        for f in a.fields().filter(|f| f.scope == Scope::Body) {
            m.insert(f.key, f.text());
        }
        vendor.insert("avc", m);
    }
    if let Some(t) = proctitle {
        vendor.insert("proctitle", t);
    }
    e
}

trait IntoKind {
    fn into_kind(self) -> EventKind;
}

impl IntoKind for Authentication {
    fn into_kind(self) -> EventKind {
        EventKind::Authentication(Box::new(self))
    }
}

impl AuditEvent {
    /// Normalizes this event (see [`normalize`]).
    pub fn to_event(&self) -> Event {
        normalize(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::StrEvents;

    fn one(log: &str) -> Event {
        let evs: Vec<_> = StrEvents::new(log).collect::<Result<_, _>>().unwrap();
        assert_eq!(evs.len(), 1, "{evs:?}");
        normalize(&evs[0])
    }

    #[test]
    fn docker_exec_keeps_full_args_and_key() {
        let e = one(concat!(
            "type=SYSCALL msg=audit(1700000000.123:77): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=10 pid=11 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=5 comm=\"docker\" exe=\"/usr/bin/docker\" key=\"docker-daemon\"\x1dARCH=x86_64 SYSCALL=execve AUID=\"alice\" UID=\"root\"\n",
            "type=EXECVE msg=audit(1700000000.123:77): argc=5 a0=\"docker\" a1=\"exec\" a2=\"-it\" a3=\"web\" a4=\"sh\"\n",
            "type=CWD msg=audit(1700000000.123:77): cwd=\"/root\"\n",
            "type=PATH msg=audit(1700000000.123:77): item=0 name=\"/usr/bin/docker\" inode=5 dev=fd:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n",
            "type=PROCTITLE msg=audit(1700000000.123:77): proctitle=646F636B6572006578656300\n",
        ));
        let EventKind::ProcessExec(p) = &e.kind else {
            panic!("{:?}", e.kind)
        };
        assert_eq!(p.process.args, ["docker", "exec", "-it", "web", "sh"]);
        assert_eq!(
            p.process.command_line.as_deref(),
            Some("docker exec -it web sh")
        );
        assert_eq!(p.process.executable.as_deref(), Some("/usr/bin/docker"));
        assert_eq!(p.process.cwd.as_deref(), Some("/root"));
        let login = p.process.login_user.as_ref().unwrap();
        assert_eq!(
            (login.id, login.name.as_deref()),
            (Some(1000), Some("alice"))
        );
        assert_eq!(e.tags, ["docker-daemon"]);
        assert_eq!(e.unmapped["auditd"]["key"], "docker-daemon");
        assert_eq!(e.outcome, Outcome::Success);
        assert_eq!(e.action.as_deref(), Some("execve"));
    }

    #[test]
    fn user_space_kinds() {
        let e = one(
            "type=USER_LOGIN msg=audit(1.000:1): pid=5 uid=0 auid=1000 ses=2 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=10.0.0.9 addr=10.0.0.9 terminal=/dev/pts/0 res=failed'\n",
        );
        let EventKind::Authentication(a) = &e.kind else {
            panic!()
        };
        assert_eq!(a.op, AuthOp::Login);
        assert_eq!(a.user.as_ref().unwrap().id, Some(1000));
        assert_eq!(
            a.source.as_ref().unwrap().ip,
            Some("10.0.0.9".parse().unwrap())
        );
        assert_eq!(e.outcome, Outcome::Failure);

        let e = one(
            "type=ADD_USER msg=audit(1.000:2): pid=5 uid=0 auid=0 ses=2 msg='op=add-user id=1001 exe=\"/usr/sbin/useradd\" hostname=? addr=? terminal=pts/0 res=success'\n",
        );
        let EventKind::AccountChange(a) = &e.kind else {
            panic!()
        };
        assert_eq!(a.op, AccountOp::UserCreate);
        assert_eq!(a.target_user.as_ref().unwrap().id, Some(1001));
    }

    #[test]
    fn fork_thread_clone_and_ptrace() {
        // clone(SIGCHLD) by a shell: a new process whose pid is the return value.
        let e = one(
            "type=SYSCALL msg=audit(1.000:6): arch=c000003e syscall=56 success=yes exit=4242 a0=1200011 a1=0 a2=0 a3=7f0 items=0 ppid=1 pid=4000 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"bash\" exe=\"/usr/bin/bash\" key=\"fork\"\n",
        );
        let EventKind::ProcessFork(f) = &e.kind else {
            panic!("{:?}", e.kind)
        };
        assert_eq!((f.process.pid, f.process.ppid), (Some(4242), Some(4000)));
        assert_eq!(f.process.executable.as_deref(), Some("/usr/bin/bash"));
        assert_eq!(f.process.parent.as_ref().unwrap().pid, Some(4000));
        assert_eq!(f.process.login_user.as_ref().unwrap().id, Some(1000));
        assert_eq!(e.kind.classification().class_uid, 1007);

        // CLONE_VM|CLONE_FS|CLONE_FILES|CLONE_SIGHAND|CLONE_THREAD…: a thread, not a process.
        let e = one(
            "type=SYSCALL msg=audit(1.000:7): arch=c000003e syscall=56 success=yes exit=4243 a0=3d0f00 a1=7f00 a2=7f10 a3=7f20 items=0 ppid=1 pid=4000 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"java\" exe=\"/usr/bin/java\" key=\"fork\"\n",
        );
        assert!(matches!(e.kind, EventKind::Other(_)), "{:?}", e.kind);

        // ptrace(PTRACE_POKETEXT=4, 31301, …): writing another process's memory.
        let e = one(
            "type=SYSCALL msg=audit(1.000:8): arch=c000003e syscall=101 success=yes exit=0 a0=4 a1=7a45 a2=7f3a2c001000 a3=9090909090909090 items=0 ppid=1 pid=31400 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"inject\" exe=\"/tmp/.x/inject\" key=\"ptrace\"\n",
        );
        let EventKind::ProcessAccess(a) = &e.kind else {
            panic!("{:?}", e.kind)
        };
        assert_eq!(a.op, ProcessAccessOp::Write);
        assert_eq!(a.request.as_deref(), Some("4"));
        assert_eq!(a.target.pid, Some(31301));
        assert_eq!(a.process.as_ref().unwrap().pid, Some(31400));
        assert_eq!(e.kind.classification().activity_id, 4); // OCSF Inject
    }

    #[test]
    fn network_and_file_and_other() {
        let e = one(concat!(
            "type=SYSCALL msg=audit(1.000:3): arch=c000003e syscall=42 success=yes exit=0 a0=3 a1=2 a2=10 a3=0 items=0 ppid=1 pid=9 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"nc\" exe=\"/bin/nc\" key=(null)\x1dSYSCALL=connect\n",
            "type=SOCKADDR msg=audit(1.000:3): saddr=02001F907F0000010000000000000000\n",
            "type=PROCTITLE msg=audit(1.000:3): proctitle=\"nc\"\n",
        ));
        let EventKind::Network(n) = &e.kind else {
            panic!("{:?}", e.kind)
        };
        let d = n.destination.as_ref().unwrap();
        assert_eq!(
            (d.ip, d.port),
            (Some("127.0.0.1".parse().unwrap()), Some(8080))
        );

        let e = one(concat!(
            "type=SYSCALL msg=audit(1.000:4): arch=c000003e syscall=87 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=2 ppid=1 pid=9 auid=0 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=1 comm=\"rm\" exe=\"/bin/rm\" key=\"del\"\x1dSYSCALL=unlink\n",
            "type=CWD msg=audit(1.000:4): cwd=\"/tmp\"\n",
            "type=PATH msg=audit(1.000:4): item=0 name=\"/tmp\" inode=1 dev=fd:00 mode=040755 ouid=0 ogid=0 rdev=00:00 nametype=PARENT\n",
            "type=PATH msg=audit(1.000:4): item=1 name=\"x\" inode=2 dev=fd:00 mode=0100644 ouid=0 ogid=0 rdev=00:00 nametype=DELETE\n",
            "type=PROCTITLE msg=audit(1.000:4): proctitle=\"rm\"\n",
        ));
        let EventKind::FileAccess(f) = &e.kind else {
            panic!("{:?}", e.kind)
        };
        assert_eq!(f.op, FileOp::Delete);
        assert_eq!(f.file.path.as_deref(), Some("/tmp/x"));
        assert_eq!(f.file.file_type, Some(FileType::File));

        let e = one(
            "type=DAEMON_START msg=audit(1.000:5): op=start ver=3.0.9 format=raw auid=4294967295 pid=1 uid=0 ses=4294967295 res=success\n",
        );
        let EventKind::Other(o) = &e.kind else {
            panic!()
        };
        assert_eq!(o.name, "DAEMON_START");
    }
}
