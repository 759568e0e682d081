//! The OCSF 1.8.0 view of an [`Event`]: one class per kind (see [`crate::classify`]) with the
//! objects each class requires.
//!
//! Mapping choices:
//!
//! * `time` is epoch milliseconds; the full nanosecond time is kept as RFC 3339 in
//!   `metadata.original_time`. `type_uid = class_uid * 100 + activity_id`; class, category,
//!   activity and type captions are written too.
//! * `severity_id` is the normalized level, `severity` its caption; the source's own value
//!   goes to `unmapped.tripline.severity_original`. `status_id` is 1 Success / 2 Failure /
//!   0 Unknown from the outcome; findings use the finding status 1 New.
//! * `metadata`: `version` 1.8.0, `product{name, vendor_name, version}`, `uid` (event id),
//!   `sequence`, `event_code`, `log_format` (wire format), `log_name` (the stream of a log
//!   line, else the file the record was read from), `processed_time` (observed),
//!   `labels` (tags), `tags` (key/value labels), and `profiles`: `host` whenever `device`
//!   or `actor` is written, `container` whenever a container object or `namespace_pid` is,
//!   `linux/linux_users` whenever `euid`/`auid`/`egid`/`group` is.
//! * `device`: `hostname`, `uid` (host id), `ip` (first address), `type_id` 0 Unknown (a
//!   container host may be a server, a VM or a laptop; we do not know), and the container
//!   (`pod_uuid` only when the pod uid has UUID shape, as OCSF's `uuid_t` demands).
//!   Classes that require `device` get `hostname: "unknown"` when the host is not known.
//! * `process`: `uid` is the process *entity* id (never a Unix uid); `user.uid` the effective
//!   uid as a string; `euid`, `auid`, `egid`, `group` through `linux/linux_users`;
//!   `namespace_pid` the pid inside the container; `session{uid, terminal}`;
//!   `parent_process` from the parent summary. A process object without pid or entity id
//!   (auditd `USER_CMD` reports the command, not its pid) gets the event id, or
//!   `<product>:<time ns>`, as its `uid` because OCSF requires one.
//! * `actor`: the login user (`auid`) or the kind's actor, and the initiating process (the
//!   parent for a launch, the process itself for file, network and identity changes, sudo
//!   for a user command). When nothing is known, `actor.app_name` names the reporting product.
//! * Files: `name` + `type_id` (from the file type, 0 Unknown), `path`, `parent_folder`,
//!   `ext`, `uid` (inode), `owner`, `size`; the POSIX mode, which OCSF lacks, goes to
//!   `unmapped.tripline.file.mode`; the new name of a rename/link is `file_result`.
//! * Network: `src_endpoint`/`dst_endpoint` (Unix socket paths as endpoint `name`),
//!   `connection_info{direction_id (1 Inbound, 2 Outbound, 4 Local, 0 Unknown),
//!   protocol_name, protocol_num, protocol_ver_id}`. With no endpoint at all, the host is the
//!   `src_endpoint` (the class needs one of the two).
//! * Authentication: `user` is the account authenticated (else the actor); `service` is the
//!   authenticating program's name (sshd, sudo) and `dst_endpoint` the host (the class needs
//!   one of the two); `logon_process`, `session`, `is_remote` (source IP not loopback),
//!   `account_switch_type_id` 1 Substitute User for su/sudo switches.
//! * Container lifecycle (API Activity): `api.operation` = `<type>.<action>` (`container.start`),
//!   `api.service.name` = `dockerd`, `actor.app_name` = `dockerd`, `src_endpoint` = the host
//!   (or `svc_name: dockerd`), `resources[0]` = the Docker object with its attributes as
//!   `data`; exec command, exit code, signal go to `unmapped.tripline.docker`.
//! * Findings (Detection Finding): `finding_info{uid (event id, else rule id + time),
//!   title, desc, analytic{name, uid, type_id 1 Rule, category, version}, attacks[], types,
//!   src_url, first/last_seen_time, related_events[] (evidence ids)}`, `evidences[0]` with
//!   the process, file, endpoints, user and container involved, `resources[]` for the
//!   container and pod; rule authors, licence and ruleset go to `unmapped.tripline.rule`.
//! * `raw_data` is the raw record ([`OcsfOptions`] can leave it out); `unmapped` holds the
//!   vendor maps with JSON `null`s removed (OCSF rejects `null`) plus `tripline.*` extras.
//!   Nothing in the output is ever `null`.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::access::op_name;
use crate::classify::class;
use crate::doc::{Doc, str_list, strip_nulls};
use crate::ecs::rfc3339;
use crate::entity::{Container, Endpoint, File, FileType, Group, Process, User};
use crate::event::{Event, Outcome, Product};
use crate::fields::Text;
use crate::kind::{AuthOp, Direction, EventKind};

/// The OCSF version this view follows.
pub const VERSION: &str = "1.8.0";

/// What the OCSF view includes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct OcsfOptions {
    /// Write `raw_data` (the raw record) and `raw_data_size`. Default `true`.
    pub raw_data: bool,
    /// Write `unmapped` (vendor leftovers and Tripline extras). Default `true`.
    pub unmapped: bool,
}

impl Default for OcsfOptions {
    fn default() -> Self {
        OcsfOptions {
            raw_data: true,
            unmapped: true,
        }
    }
}

impl OcsfOptions {
    /// Leaves out `raw_data`.
    pub fn without_raw_data(mut self) -> Self {
        self.raw_data = false;
        self
    }
}

/// Profiles used while building, declared in `metadata.profiles`.
#[derive(Default)]
struct Ctx {
    host: bool,
    container: bool,
    linux_users: bool,
}

fn ms(t: DateTime<Utc>) -> Value {
    json!(t.timestamp_millis())
}

fn product_name(p: &Product) -> &str {
    match p {
        Product::Auditd => "auditd",
        Product::Falco => "Falco",
        Product::Tracee => "Tracee",
        Product::Docker => "Docker Engine",
        Product::Tripline => "Tripline",
        other => other.name(),
    }
}

fn user_obj(u: Option<&User>) -> Option<Doc> {
    let u = u?;
    let mut d = Doc::new();
    d.put("uid", u.id.map(|n| Value::String(n.to_string())));
    d.str("name", u.name.as_deref());
    d.non_empty()
}

fn group_obj(g: Option<&Group>) -> Option<Doc> {
    let g = g?;
    let mut d = Doc::new();
    d.put("uid", g.id.map(|n| Value::String(n.to_string())));
    d.str("name", g.name.as_deref());
    d.non_empty()
}

fn unknown_name() -> Doc {
    let mut d = Doc::new();
    d.str("name", Some("unknown"));
    d
}

fn file_type(t: Option<FileType>) -> (u8, &'static str) {
    match t {
        Some(FileType::File) => (1, "Regular File"),
        Some(FileType::Dir) => (2, "Folder"),
        Some(FileType::CharDevice) => (3, "Character Device"),
        Some(FileType::BlockDevice) => (4, "Block Device"),
        Some(FileType::Socket) => (5, "Local Socket"),
        Some(FileType::Fifo) => (6, "Named Pipe"),
        Some(FileType::Symlink) => (7, "Symbolic Link"),
        _ => (0, "Unknown"),
    }
}

fn file_obj(f: &File) -> Doc {
    let mut d = Doc::new();
    let name = f.name().or(f.path.as_deref()).unwrap_or("unknown");
    d.str("name", Some(name));
    let (type_id, caption) = file_type(f.file_type);
    d.put("type_id", json!(type_id));
    d.str("type", Some(caption));
    d.str("path", f.path.as_deref());
    d.str("parent_folder", f.directory());
    d.str("ext", f.extension());
    d.put("uid", f.inode.map(|i| Value::String(i.to_string())));
    d.doc("owner", user_obj(f.owner()));
    d.put(
        "size",
        f.size()
            .filter(|n| i64::try_from(*n).is_ok())
            .map(|n| json!(n)),
    );
    d
}

/// An executable path as a regular file object.
fn exe_obj(path: Option<&str>) -> Option<Doc> {
    let path = path?;
    let f = File {
        path: Some(Text::from(path)),
        file_type: Some(FileType::File),
        ..File::default()
    };
    Some(file_obj(&f))
}

fn command_line(pr: &Process) -> Option<String> {
    pr.command_line
        .as_ref()
        .map(|c| c.to_string())
        .or_else(|| (!pr.args.is_empty()).then(|| pr.args.join(" ")))
}

fn process_obj(pr: &Process, ctx: &mut Ctx) -> Doc {
    let mut d = Doc::new();
    d.put("pid", pr.pid.map(|n| json!(n)));
    d.put("tid", pr.tid.map(|n| json!(n)));
    d.str("uid", pr.entity_id.as_deref());
    let exe_name = File {
        path: pr.executable.clone(),
        ..File::default()
    };
    d.str("name", pr.name.as_deref().or(exe_name.name()));
    d.put("cmd_line", command_line(pr).map(Value::String));
    d.doc("file", exe_obj(pr.executable.as_deref()));
    d.str("working_directory", pr.cwd.as_deref());
    d.put("created_time", pr.start().map(ms));
    d.doc("user", user_obj(pr.user.as_ref()));
    if pr.vpid.is_some() {
        ctx.container = true;
        d.put("namespace_pid", pr.vpid.map(|n| json!(n)));
    }
    let mut session = Doc::new();
    session.put("uid", pr.session_id().map(|n| Value::String(n.to_string())));
    session.str("terminal", pr.tty.as_deref());
    d.doc("session", session.non_empty());
    let linux = [
        ("euid", pr.user.as_ref().and_then(|u| u.id)),
        ("auid", pr.login_user.as_ref().and_then(|u| u.id)),
        ("egid", pr.group.as_ref().and_then(|g| g.id)),
    ];
    for (k, v) in linux {
        if let Some(v) = v {
            ctx.linux_users = true;
            d.put(k, json!(v));
        }
    }
    if let Some(g) = group_obj(pr.group.as_ref()) {
        ctx.linux_users = true;
        d.doc("group", Some(g));
    }
    let parent = pr.parent.as_deref();
    let ppid = pr.ppid.or(parent.and_then(|x| x.pid));
    let parent_uid = parent.and_then(|x| x.entity_id.as_deref());
    if ppid.is_some() || parent_uid.is_some() {
        let mut pp = Doc::new();
        pp.put("pid", ppid.map(|n| json!(n)));
        pp.str("uid", parent_uid);
        if let Some(x) = parent {
            let exe = File {
                path: x.executable.clone(),
                ..File::default()
            };
            pp.str("name", x.name.as_deref().or(exe.name()));
            pp.str("cmd_line", x.command_line.as_deref());
            pp.doc("file", exe_obj(x.executable.as_deref()));
        }
        d.doc("parent_process", Some(pp));
    }
    d
}

/// Makes sure a process object has one of `pid`/`uid`, as OCSF requires.
fn with_process_id(mut d: Doc, fallback_uid: &str) -> Doc {
    if !d.0.contains_key("pid") && !d.0.contains_key("uid") {
        d.str("uid", Some(fallback_uid));
    }
    d
}

fn endpoint_obj(e: Option<&Endpoint>) -> Option<Doc> {
    let e = e?;
    let mut d = Doc::new();
    d.put("ip", e.ip.map(|ip| Value::String(ip.to_string())));
    d.str("hostname", e.domain.as_deref());
    d.str("name", e.path.as_deref());
    if d.is_empty() {
        return None;
    }
    d.put("port", e.port.map(|n| json!(n)));
    Some(d)
}

fn container_obj(c: &Container, event: &Event) -> Option<Doc> {
    let mut d = Doc::new();
    d.str("uid", c.id.as_deref());
    d.str("name", c.name.as_deref());
    if d.is_empty() {
        return None;
    }
    if let Some(i) = &c.image {
        let uid =
            i.id.as_deref()
                .or(i.digest.as_deref())
                .or(i.name.as_deref());
        if let Some(uid) = uid {
            let mut img = Doc::new();
            img.str("uid", Some(uid));
            img.str("name", i.name.as_deref());
            img.str("tag", i.tag.as_deref());
            d.doc("image", Some(img));
        }
    }
    d.str("runtime", c.runtime.as_deref());
    d.put(
        "labels",
        Value::Array(
            c.labels
                .iter()
                .map(|(k, v)| Value::String(format!("{k}={v}")))
                .collect(),
        ),
    );
    if let Some(o) = &event.orchestrator {
        // OCSF types `pod_uuid` as a UUID; other pod ids stay in `resources[]`.
        d.str("pod_uuid", o.pod_uid.as_deref().filter(|u| is_uuid(u)));
        if **o != crate::Orchestrator::default() {
            d.str("orchestrator", Some("Kubernetes"));
        }
    }
    Some(d)
}

/// Whether `s` has the 8-4-4-4-12 hex shape OCSF's `uuid_t` requires.
fn is_uuid(s: &str) -> bool {
    let groups: Vec<&str> = s.split('-').collect();
    groups.len() == 5
        && groups
            .iter()
            .zip([8, 4, 4, 4, 12])
            .all(|(g, n)| g.len() == n && g.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn device_obj(event: &Event, required: bool, ctx: &mut Ctx) -> Option<Doc> {
    let mut d = Doc::new();
    if let Some(h) = &event.host {
        d.str("hostname", h.name.as_deref());
        d.str("uid", h.id.as_deref());
        d.put("ip", h.ip.first().map(|ip| Value::String(ip.to_string())));
    }
    if d.is_empty() {
        if !required {
            return None;
        }
        d.str("hostname", Some("unknown"));
    }
    d.put("type_id", json!(0));
    d.str("type", Some("Unknown"));
    if let Some(c) = event
        .container
        .as_ref()
        .and_then(|c| container_obj(c, event))
    {
        ctx.container = true;
        d.doc("container", Some(c));
    }
    ctx.host = true;
    Some(d)
}

fn status(outcome: Outcome) -> (u8, &'static str) {
    match outcome {
        Outcome::Success => (1, "Success"),
        Outcome::Failure => (2, "Failure"),
        _ => (0, "Unknown"),
    }
}

/// A synthetic id for objects OCSF requires but the source did not identify.
fn fallback_uid(event: &Event) -> String {
    event
        .id
        .clone()
        .unwrap_or_else(|| {
            format!(
                "{}:{}",
                event.source.product.name(),
                event.time.timestamp_nanos_opt().unwrap_or_default()
            )
            .into()
        })
        .to_string()
}

/// The OCSF 1.8.0 event for `event`.
pub fn to_ocsf(event: &Event, opts: &OcsfOptions) -> Value {
    let cls = event.classification();
    let mut ctx = Ctx::default();
    let mut d = Doc::new();
    let mut extra = Doc::new(); // unmapped.tripline
    let kind = &event.kind;

    d.put("class_uid", json!(cls.class_uid));
    d.str("class_name", Some(cls.class_name()));
    d.put("category_uid", json!(cls.category_uid()));
    d.str("category_name", Some(cls.category_name()));
    d.put("activity_id", json!(cls.activity_id));
    d.str("activity_name", Some(cls.activity_name()));
    d.put("type_uid", json!(cls.type_uid()));
    d.str("type_name", Some(&cls.type_name()));
    d.put("time", ms(event.time));
    d.put("severity_id", json!(event.severity.level.id()));
    d.str("severity", Some(event.severity.level.caption()));
    extra.str("severity_original", event.severity.original.as_deref());
    if matches!(kind, EventKind::Finding(_)) {
        d.put("status_id", json!(1));
        d.str("status", Some("New"));
        let (id, caption) = status(event.outcome);
        if id != 0 {
            extra.str("outcome", Some(caption));
        }
    } else {
        let (id, caption) = status(event.outcome);
        d.put("status_id", json!(id));
        d.str("status", Some(caption));
    }
    let message = event.message.as_deref().or(match kind {
        EventKind::LogLine(l) => Some(l.text.as_str()),
        _ => None,
    });
    d.str("message", message);
    if opts.raw_data
        && let Some(raw) = &event.raw
    {
        d.str("raw_data", Some(&raw.text));
        d.put("raw_data_size", json!(raw.text.len()));
    }

    let fallback = fallback_uid(event);
    let actor_user = user_obj(event.actor_user());
    match kind {
        EventKind::ProcessExec(_)
        | EventKind::ProcessExit(_)
        | EventKind::ProcessFork(_)
        | EventKind::ProcessAccess(_)
        | EventKind::IdentityChange(_)
        | EventKind::UserCommand(_) => {
            process_class(event, &mut d, &mut extra, &mut ctx, &fallback);
        }
        EventKind::FileAccess(f) => {
            d.doc("file", Some(file_obj(&f.file)));
            if let Some(t) = &f.target {
                d.doc("file_result", Some(file_obj(t)));
            }
            extra.put(
                "file.mode",
                f.file
                    .mode
                    .map(|m| Value::String(format!("{:04o}", m & 0o7777))),
            );
            extra.str("file.operation", Some(&op_name(&f.op)));
            let mut actor = Doc::new();
            actor.doc("user", actor_user);
            if let Some(pr) = &f.process {
                actor.doc(
                    "process",
                    Some(with_process_id(process_obj(pr, &mut ctx), &fallback)),
                );
            }
            d.doc("actor", Some(actor_or_app(actor, event)));
            d.doc("device", device_obj(event, true, &mut ctx));
        }
        EventKind::Network(n) => {
            let src = endpoint_obj(n.source.as_ref());
            let dst = endpoint_obj(n.destination.as_ref());
            if src.is_none() && dst.is_none() {
                let mut host = Doc::new();
                host.str(
                    "hostname",
                    event.host.as_ref().and_then(|h| h.name.as_deref()),
                );
                if host.is_empty() {
                    host.str("name", Some("unknown"));
                }
                d.doc("src_endpoint", Some(host));
            }
            d.doc("src_endpoint", src);
            d.doc("dst_endpoint", dst);
            let mut ci = Doc::new();
            let (dir_id, dir) = match n.direction {
                Some(Direction::Inbound) => (1, "Inbound"),
                Some(Direction::Outbound) => (2, "Outbound"),
                Some(Direction::Local) => (4, "Local"),
                _ => (0, "Unknown"),
            };
            ci.put("direction_id", json!(dir_id));
            ci.str("direction", Some(dir));
            if let Some(t) = &n.transport {
                let t = t.to_ascii_lowercase();
                let num = match t.as_str() {
                    "icmp" => Some(1),
                    "tcp" => Some(6),
                    "udp" => Some(17),
                    "icmpv6" | "ipv6-icmp" => Some(58),
                    "sctp" => Some(132),
                    _ => None,
                };
                ci.put("protocol_num", num.map(|n: u8| json!(n)));
                ci.str("protocol_name", Some(&t));
            }
            let ip = n
                .destination
                .as_ref()
                .and_then(|e| e.ip)
                .or(n.source.as_ref().and_then(|e| e.ip));
            ci.put(
                "protocol_ver_id",
                ip.map(|ip| match ip {
                    IpAddr::V4(_) => json!(4),
                    IpAddr::V6(_) => json!(6),
                }),
            );
            d.doc("connection_info", Some(ci));
            extra.str("network.operation", Some(&op_name(&n.op)));
            extra.str(
                "network.source_path",
                n.source.as_ref().and_then(|e| e.path.as_deref()),
            );
            extra.str(
                "network.destination_path",
                n.destination.as_ref().and_then(|e| e.path.as_deref()),
            );
            let mut actor = Doc::new();
            actor.doc("user", actor_user);
            if let Some(pr) = &n.process {
                actor.doc(
                    "process",
                    Some(with_process_id(process_obj(pr, &mut ctx), &fallback)),
                );
            }
            if let Some(a) = actor.non_empty() {
                ctx.host = true;
                d.doc("actor", Some(a));
            }
            d.doc("device", device_obj(event, false, &mut ctx));
        }
        EventKind::Authentication(a) => {
            let user = user_obj(a.user.as_ref())
                .or_else(|| user_obj(a.actor.as_ref()))
                .unwrap_or_else(unknown_name);
            d.doc("user", Some(user));
            let mut actor = Doc::new();
            actor.doc("user", user_obj(a.actor.as_ref()));
            if let Some(pr) = &a.process {
                let lp = process_obj(pr, &mut ctx);
                if lp.0.contains_key("pid") || lp.0.contains_key("uid") {
                    d.doc("logon_process", Some(lp.clone()));
                    actor.doc("process", Some(lp));
                }
            }
            if let Some(actor) = actor.non_empty() {
                ctx.host = true;
                d.doc("actor", Some(actor));
            }
            d.doc("src_endpoint", endpoint_obj(a.source.as_ref()));
            if let Some(ip) = a.source.as_ref().and_then(|e| e.ip) {
                d.put(
                    "is_remote",
                    Value::Bool(!ip.is_loopback() && !ip.is_unspecified()),
                );
            }
            let host = event.host.as_ref().and_then(|h| h.name.as_deref());
            if let Some(h) = host {
                let mut dst = Doc::new();
                dst.str("hostname", Some(h));
                d.doc("dst_endpoint", Some(dst));
            }
            let service = a.process.as_ref().and_then(|pr| {
                pr.name.clone().or_else(|| {
                    File {
                        path: pr.executable.clone(),
                        ..File::default()
                    }
                    .name()
                    .map(Text::from)
                })
            });
            let service = service.or_else(|| {
                host.is_none().then(|| {
                    a.method
                        .clone()
                        .unwrap_or_else(|| Text::from(event.source.product.name()))
                })
            });
            if let Some(service) = service {
                let mut s = Doc::new();
                s.str("name", Some(&service));
                d.doc("service", Some(s));
            }
            let mut session = Doc::new();
            session.put("uid", a.session_id.map(|n| Value::String(n.to_string())));
            session.str("terminal", a.terminal.as_deref());
            d.doc("session", session.non_empty());
            if a.op == AuthOp::AccountSwitch {
                d.put("account_switch_type_id", json!(1));
                d.str("account_switch_type", Some("Substitute User"));
            }
            extra.str("auth.operation", Some(&op_name(&a.op)));
            extra.str("auth.method", a.method.as_deref());
            d.doc("device", device_obj(event, false, &mut ctx));
        }
        EventKind::AccountChange(a) => {
            if cls.class_uid == class::GROUP_MANAGEMENT {
                d.doc(
                    "group",
                    Some(group_obj(a.target_group.as_ref()).unwrap_or_else(unknown_name)),
                );
                d.doc("user", user_obj(a.target_user.as_ref()));
            } else {
                d.doc(
                    "user",
                    Some(user_obj(a.target_user.as_ref()).unwrap_or_else(unknown_name)),
                );
                extra.put(
                    "account.group",
                    group_obj(a.target_group.as_ref()).map(Doc::into_value),
                );
            }
            let mut actor = Doc::new();
            actor.doc("user", user_obj(a.actor.as_ref()).or(actor_user));
            if let Some(pr) = &a.process {
                actor.doc(
                    "process",
                    Some(with_process_id(process_obj(pr, &mut ctx), &fallback)),
                );
            }
            if let Some(actor) = actor.non_empty() {
                ctx.host = true;
                d.doc("actor", Some(actor));
            }
            extra.str("account.operation", Some(&op_name(&a.op)));
            d.doc("device", device_obj(event, false, &mut ctx));
        }
        EventKind::ContainerLifecycle(c) => {
            let mut actor = Doc::new();
            actor.str("app_name", Some("dockerd"));
            ctx.host = true;
            d.doc("actor", Some(actor));
            let mut api = Doc::new();
            api.str(
                "operation",
                Some(&format!("{}.{}", c.object_type, c.action)),
            );
            api.str("service.name", Some("dockerd"));
            d.doc("api", Some(api));
            let mut src = Doc::new();
            src.str(
                "hostname",
                event.host.as_ref().and_then(|h| h.name.as_deref()),
            );
            if src.is_empty() {
                src.str("svc_name", Some("dockerd"));
            }
            d.doc("src_endpoint", Some(src));
            let mut res = Doc::new();
            res.str("type", Some(&c.object_type));
            res.str(
                "uid",
                c.actor_id
                    .as_deref()
                    .or(event.container.as_ref().and_then(|x| x.id.as_deref())),
            );
            res.str("name", c.attributes.get("name").map(|s| s.as_str()));
            if res.0.contains_key("uid") || res.0.contains_key("name") {
                res.put(
                    "data",
                    Value::Object(
                        c.attributes
                            .iter()
                            .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                            .collect(),
                    ),
                );
                d.put("resources", Value::Array(vec![res.into_value()]));
            }
            extra.str("docker.detail", c.detail.as_deref());
            extra.str("docker.exec_id", c.exec_id.as_deref());
            extra.put("docker.exit_code", c.exit_code.map(|n| json!(n)));
            extra.str("docker.signal", c.signal.as_deref());
            if !c.trusted {
                extra.put("docker.trusted", Value::Bool(false));
            }
            if let Some(exec) = &c.exec {
                let mut ex = Doc::new();
                ex.put("cmd_line", command_line(exec).map(Value::String));
                ex.str("user", exec.user.as_ref().and_then(|u| u.name.as_deref()));
                ex.put("pid", exec.pid.map(|n| json!(n)));
                extra.doc("docker.exec", ex.non_empty());
            }
            d.doc("device", device_obj(event, false, &mut ctx));
        }
        EventKind::Finding(f) => {
            finding_class(event, f, &mut d, &mut extra, &mut ctx, &fallback);
        }
        EventKind::LogLine(l) => {
            extra.str("log.stream", Some(&op_name(&l.stream)));
            if let Some(p) = &l.partial {
                extra.put("log.partial.chunks", json!(p.chunks));
                extra.put("log.partial.complete", json!(p.complete));
                extra.str("log.partial.flush_reason", p.flush_reason.as_deref());
            }
            d.doc("device", device_obj(event, false, &mut ctx));
        }
        EventKind::Other(o) => {
            extra.str("other.name", Some(&o.name));
            if let Some(pr) = &o.process {
                let mut actor = Doc::new();
                actor.doc(
                    "process",
                    Some(with_process_id(process_obj(pr, &mut ctx), &fallback)),
                );
                ctx.host = true;
                d.doc("actor", Some(actor));
            }
            d.doc("device", device_obj(event, false, &mut ctx));
        }
    }

    // metadata
    let mut m = Doc::new();
    m.str("version", Some(VERSION));
    m.str("product.name", Some(product_name(&event.source.product)));
    m.str("product.vendor_name", Some(event.source.product.vendor()));
    m.str("product.version", event.source.version.as_deref());
    let mut profiles = Vec::new();
    if ctx.host {
        profiles.push("host");
    }
    if ctx.container {
        profiles.push("container");
    }
    if ctx.linux_users {
        profiles.push("linux/linux_users");
    }
    m.put("profiles", str_list(profiles));
    m.str("original_time", Some(&rfc3339(event.time)));
    m.str("uid", event.id.as_deref());
    m.put(
        "sequence",
        event
            .source
            .sequence
            .filter(|n| i64::try_from(*n).is_ok())
            .map(|n| json!(n)),
    );
    m.str("event_code", event.source.event_code.as_deref());
    m.str("log_format", Some(&event.source.format));
    let log_name = match kind {
        EventKind::LogLine(l) => Some(op_name(&l.stream)),
        _ => event
            .location()
            .and_then(|l| l.file.as_ref().map(|f| f.to_string())),
    };
    m.put("log_name", log_name.map(Value::String));
    m.put("processed_time", event.observed.map(ms));
    m.put("labels", str_list(event.tags.iter().map(|s| s.as_str())));
    m.put(
        "tags",
        Value::Array(
            event
                .labels
                .iter()
                .map(|(k, v)| json!({"name": k, "value": v}))
                .collect(),
        ),
    );
    d.doc("metadata", Some(m));

    if opts.unmapped {
        let mut u = Doc::new();
        for (k, v) in &event.unmapped {
            if let Some(v) = strip_nulls(v) {
                u.0.insert(k.to_string(), v);
            }
        }
        if let Some(raw) = &event.raw
            && let Some(loc) = &raw.location
        {
            extra.put("log.line", loc.line.map(|n| json!(n)));
            extra.put("log.offset", loc.offset.map(|n| json!(n)));
        }
        extra.str("kind", Some(kind.name()));
        extra.str("event_action", event.action.as_deref());
        u.doc("tripline", extra.non_empty());
        d.doc("unmapped", u.non_empty());
    }
    d.into_value()
}

fn actor_or_app(actor: Doc, event: &Event) -> Doc {
    if actor.is_empty() {
        let mut a = Doc::new();
        a.str("app_name", Some(product_name(&event.source.product)));
        a
    } else {
        actor
    }
}

fn process_class(event: &Event, d: &mut Doc, extra: &mut Doc, ctx: &mut Ctx, fallback: &str) {
    let mut actor = Doc::new();
    actor.doc("user", user_obj(event.actor_user()));
    match &event.kind {
        EventKind::ProcessExec(e) | EventKind::ProcessExit(e) | EventKind::ProcessFork(e) => {
            let mut pr = process_obj(&e.process, ctx);
            if matches!(event.kind, EventKind::ProcessFork(_)) {
                d.put("launch_type_id", json!(2));
                d.str("launch_type", Some("Fork"));
            } else if matches!(event.kind, EventKind::ProcessExit(_)) {
                pr.put("terminated_time", ms(event.time));
                d.put(
                    "exit_code",
                    e.process
                        .exit_code
                        .filter(|c| i32::try_from(*c).is_ok())
                        .map(|c| json!(c)),
                );
            } else {
                d.put("launch_type_id", json!(3));
                d.str("launch_type", Some("Exec"));
            }
            if let Some(pp) = pr.0.get("parent_process").cloned() {
                actor.put("process", Some(pp));
            }
            d.doc("process", Some(with_process_id(pr, fallback)));
            extra.str("process.interpreter", e.interpreter.as_deref());
            extra.put("process.signal", e.signal.map(|n| json!(n)));
        }
        EventKind::ProcessAccess(a) => {
            // OCSF: `process` is the accessed process, the accessor is `actor.process`.
            d.doc(
                "process",
                Some(with_process_id(process_obj(&a.target, ctx), fallback)),
            );
            if let Some(pr) = &a.process {
                actor.doc(
                    "process",
                    Some(with_process_id(process_obj(pr, ctx), fallback)),
                );
            }
            extra.str("process_access.operation", Some(&op_name(&a.op)));
            extra.str("process_access.request", a.request.as_deref());
        }
        EventKind::IdentityChange(i) => {
            let mut p = i.process.clone();
            if p.user.is_none() {
                p.user = i.target_user.clone();
            }
            if p.group.is_none() {
                p.group = i.target_group.clone();
            }
            let pr = with_process_id(process_obj(&p, ctx), fallback);
            let mut who = Doc::new();
            for k in ["pid", "uid", "name", "file"] {
                if let Some(v) = pr.0.get(k) {
                    who.put(k, v.clone());
                }
            }
            actor.doc("process", who.non_empty());
            d.doc("process", Some(pr));
            extra.str("identity.operation", Some(&op_name(&i.op)));
            extra.put(
                "identity.target_user",
                user_obj(i.target_user.as_ref()).map(Doc::into_value),
            );
            extra.put(
                "identity.target_group",
                group_obj(i.target_group.as_ref()).map(Doc::into_value),
            );
        }
        EventKind::UserCommand(c) => {
            let mut pr = Doc::new();
            pr.str("cmd_line", Some(&c.command));
            pr.str("working_directory", c.cwd.as_deref());
            pr.doc("user", user_obj(c.run_as.as_ref()));
            pr.str("session.terminal", c.terminal.as_deref());
            d.doc("process", Some(with_process_id(pr, fallback)));
            actor.doc("user", user_obj(c.user.as_ref()));
            if let Some(sudo) = &c.process {
                let s = process_obj(sudo, ctx);
                if s.0.contains_key("pid") || s.0.contains_key("uid") {
                    actor.doc("process", Some(s));
                }
            }
        }
        _ => {}
    }
    d.doc("actor", Some(actor_or_app(actor, event)));
    d.doc("device", device_obj(event, true, ctx));
}

fn finding_class(
    event: &Event,
    f: &crate::Finding,
    d: &mut Doc,
    extra: &mut Doc,
    ctx: &mut Ctx,
    fallback: &str,
) {
    let r = &f.rule;
    let mut fi = Doc::new();
    let uid = event.id.clone().unwrap_or_else(|| match &r.id {
        Some(id) => format!(
            "{id}:{}",
            event.time.timestamp_nanos_opt().unwrap_or_default()
        )
        .into(),
        None => Text::from(fallback),
    });
    fi.str("uid", Some(&uid));
    fi.str("title", r.name.as_deref().or(r.id.as_deref()));
    fi.str("desc", r.description.as_deref());
    if r.name.is_some() || r.id.is_some() {
        let mut an = Doc::new();
        an.str("name", r.name.as_deref());
        an.str("uid", r.id.as_deref());
        an.put("type_id", json!(1));
        an.str("type", Some("Rule"));
        an.str("category", r.category.as_deref());
        an.str("version", r.version.as_deref());
        fi.doc("analytic", Some(an));
    }
    let attacks: Vec<Value> = f
        .attacks
        .iter()
        .filter_map(|a| {
            let mut x = Doc::new();
            if let Some(t) = &a.tactic {
                x.put("tactic", json!({"uid": t.id, "name": t.name}));
            }
            for (key, t) in [
                ("technique", &a.technique),
                ("sub_technique", &a.sub_technique),
            ] {
                if let Some(t) = t {
                    let mut td = Doc::new();
                    td.str("uid", Some(&t.id));
                    td.str("name", t.name.as_deref());
                    x.doc(key, Some(td));
                }
            }
            x.non_empty().map(Doc::into_value)
        })
        .collect();
    fi.put("attacks", Value::Array(attacks));
    fi.put("types", str_list(r.category.as_deref()));
    fi.str("src_url", r.references.first().map(|s| s.as_str()));
    fi.put("first_seen_time", f.first_seen.map(ms));
    fi.put("last_seen_time", f.last_seen.map(ms));
    fi.put(
        "related_events",
        Value::Array(f.evidence.iter().map(|id| json!({"uid": id})).collect()),
    );
    fi.put("created_time", ms(event.time));
    d.doc("finding_info", Some(fi));
    d.put("start_time", f.first_seen.map(ms));
    d.put("end_time", f.last_seen.map(ms));
    d.put(
        "count",
        f.count
            .filter(|n| i64::try_from(*n).is_ok())
            .map(|n| json!(n)),
    );

    let mut ev = Doc::new();
    if let Some(pr) = &f.process {
        ev.doc(
            "process",
            Some(with_process_id(process_obj(pr, ctx), fallback)),
        );
    }
    if let Some(file) = &f.file {
        ev.doc("file", Some(file_obj(file)));
    }
    ev.doc("src_endpoint", endpoint_obj(f.source.as_ref()));
    ev.doc("dst_endpoint", endpoint_obj(f.destination.as_ref()));
    ev.doc("user", user_obj(f.user.as_ref()));
    // An evidence needs one of process/file/endpoints/user…; the container only adds context.
    if let Some(mut ev) = ev.non_empty() {
        if let Some(c) = event
            .container
            .as_ref()
            .and_then(|c| container_obj(c, event))
        {
            ctx.container = true;
            ev.doc("container", Some(c));
        }
        d.put("evidences", Value::Array(vec![ev.into_value()]));
    }

    let mut resources = Vec::new();
    if let Some(c) = &event.container {
        let mut res = Doc::new();
        res.str("uid", c.id.as_deref());
        res.str("name", c.name.as_deref());
        if !res.is_empty() {
            res.str("type", Some("container"));
            res.put(
                "labels",
                Value::Array(
                    c.labels
                        .iter()
                        .map(|(k, v)| Value::String(format!("{k}={v}")))
                        .collect(),
                ),
            );
            resources.push(res.into_value());
        }
    }
    if let Some(o) = &event.orchestrator {
        let mut res = Doc::new();
        res.str("uid", o.pod_uid.as_deref());
        res.str("name", o.pod_name.as_deref());
        if !res.is_empty() {
            res.str("type", Some("pod"));
            res.str("namespace", o.namespace.as_deref());
            resources.push(res.into_value());
        }
    }
    d.put("resources", Value::Array(resources));

    let mut actor = Doc::new();
    actor.doc("user", user_obj(event.actor_user()));
    if let Some(a) = actor.non_empty() {
        ctx.host = true;
        d.doc("actor", Some(a));
    }
    d.doc("device", device_obj(event, false, ctx));

    extra.put(
        "rule.authors",
        str_list(r.authors.iter().map(|s| s.as_str())),
    );
    extra.str("rule.license", r.license.as_deref());
    extra.str("rule.ruleset", r.ruleset.as_deref());
    extra.put(
        "rule.references",
        str_list(r.references.iter().map(|s| s.as_str())),
    );
    extra.str("finding.event_type", f.event_type.as_deref());
    extra.put(
        "finding.group",
        Value::Object(
            f.group
                .iter()
                .map(|(k, v)| (k.to_string(), Value::String(v.to_string())))
                .collect(),
        ),
    );
}

impl Event {
    /// The OCSF 1.8.0 event for this event (see [`crate::ocsf`]).
    pub fn to_ocsf(&self, opts: &OcsfOptions) -> Value {
        to_ocsf(self, opts)
    }
}

#[cfg(test)]
mod tests {
    use super::is_uuid;

    #[test]
    fn uuid_shape() {
        assert!(is_uuid("5b7f3e2a-9c1d-4e8f-a6b2-3d4c5e6f7a8B"));
        for bad in [
            "",
            "5b7f3e2a9c1d4e8fa6b23d4c5e6f7a8b",
            "5b7f3e2a-9c1d-4e8f-a6b2-3d4c5e6f7a8",
            "5b7f3e2a-9c1d-4e8f-a6b2-3d4c5e6f7a8g",
            "web-7d9c5b8f6-x2k4q",
        ] {
            assert!(!is_uuid(bad), "{bad}");
        }
    }
}
