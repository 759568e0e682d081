//! Classification of an event: ECS `event.kind/category/type` and OCSF
//! `class_uid/category_uid/activity_id/type_uid`, computed from the [`EventKind`] variant and
//! its operation in one table, so the ECS and OCSF views can never disagree.
//!
//! | Variant / op | ECS kind · category · type | OCSF class · activity |
//! |---|---|---|
//! | `ProcessExec` | event · process · start | Process Activity 1007 · 1 Launch |
//! | `ProcessExit` | event · process · end | 1007 · 2 Terminate |
//! | `ProcessFork` | event · process · start | 1007 · 1 Launch (launch type Fork) |
//! | `ProcessAccess` `Attach` / `Read` | event · process · access | 1007 · 3 Open |
//! | `ProcessAccess` `Write` | event · process · access, change | 1007 · 4 Inject |
//! | `ProcessAccess` other | event · process · access | 1007 · 99 Other |
//! | `IdentityChange` `SetUid`, `SwitchUser` | event · process · change | 1007 · 5 Set User ID |
//! | `IdentityChange` `SetGid`, `SetCapabilities`, other | event · process · change | 1007 · 99 Other (OCSF has no "set group id") |
//! | `UserCommand` | event · process · start | 1007 · 1 Launch |
//! | `FileAccess` `Open` / `Read` | event · file · access | File System Activity 1001 · 14 Open / 2 Read |
//! | `FileAccess` `Write` | event · file · change | 1001 · 3 Update |
//! | `FileAccess` `Create` / `Link` | event · file · creation | 1001 · 1 Create (a link is a new directory entry) |
//! | `FileAccess` `Delete` | event · file · deletion | 1001 · 4 Delete |
//! | `FileAccess` `Rename` | event · file · change | 1001 · 5 Rename |
//! | `FileAccess` `Chmod` / `Chown` | event · file · change | 1001 · 7 Set Security (mode and owner are the POSIX security descriptor) |
//! | `FileAccess` `SetAttributes` | event · file · change | 1001 · 6 Set Attributes |
//! | `FileAccess` `Mount` / `Unmount` | event · file · change | 1001 · 12 Mount / 13 Unmount |
//! | `FileAccess` other | event · file · info | 1001 · 99 Other |
//! | `Network` `Connect` / `Accept` | event · network · connection, start | Network Activity 4001 · 1 Open |
//! | `Network` `Bind` | event · network · info | 4001 · 99 Other (binding opens no connection) |
//! | `Network` `Listen` | event · network · start | 4001 · 7 Listen |
//! | `Network` `Close` | event · network · connection, end | 4001 · 2 Close |
//! | `Network` `Traffic` | event · network · connection | 4001 · 6 Traffic |
//! | `Network` other | event · network · info | 4001 · 99 Other |
//! | `Authentication` `Login`, `SessionStart` | event · authentication, session · start | Authentication 3002 · 1 Logon |
//! | `Authentication` `Authenticate` | event · authentication · info | 3002 · 1 Logon (a logon attempt, as the corpus sample maps USER_AUTH) |
//! | `Authentication` `Logout`, `SessionEnd` | event · authentication, session · end | 3002 · 2 Logoff |
//! | `Authentication` `CredentialAcquire` / `CredentialRefresh` | event · authentication · info | 3002 · 3 Authentication Ticket (credentials granted) |
//! | `Authentication` `AccountSwitch` | event · authentication · start | 3002 · 7 Account Switch |
//! | `Authentication` `Authorize`, `CredentialDispose`, other | event · authentication · info | 3002 · 99 Other |
//! | `AccountChange` `UserCreate` | event · iam · user, creation | Account Change 3001 · 1 Create |
//! | `AccountChange` `UserDelete` | event · iam · user, deletion | 3001 · 6 Delete |
//! | `AccountChange` `PasswordChange` / `Lock` / `Unlock` | event · iam · user, change | 3001 · 3 Password Change / 9 Lock / 12 Unlock |
//! | `AccountChange` `UserModify`, other | event · iam · user, change | 3001 · 99 Other |
//! | `AccountChange` `GroupCreate` / `GroupDelete` | event · iam · group, creation / deletion | Group Management 3006 · 6 Create / 5 Delete |
//! | `AccountChange` `GroupModify` | event · iam · group, change | 3006 · 99 Other (add or remove is not known) |
//! | `ContainerLifecycle` (Docker, see below) | event · configuration / process / package · … | API Activity 6003 · 1 Create / 2 Read / 3 Update / 4 Delete / 99 Other |
//! | `LogLine` | event · — · — | Base Event 0 · 0 Unknown |
//! | `Finding` | alert · intrusion_detection (+ the activity's category) · info (+ its type) | Detection Finding 2004 · 1 Create |
//! | `Other` | event · process · info when a process is known, else no category | Base Event 0 · 99 Other |
//!
//! Docker lifecycle (no standard has a container-lifecycle class; this follows the research
//! notes §2.5): container `create` → configuration/creation, OCSF Create; `destroy`/`remove` →
//! configuration/deletion, Delete; `rename`/`update` → configuration/change, Update;
//! `start`/`restart`/`unpause` → process/start, Update; `stop`/`kill` → process/end, Update;
//! `pause` → process/change, Update; `die`/`oom`/`exec_die` → process/end, Other;
//! `exec_create` → process/info, Create; `exec_start` → process/start, Other; anything else on a
//! container → process/info, Other. Images: `pull`/`load`/`import` → package/installation,
//! Create; `delete`/`untag` → package/deletion, Delete; `tag` → package/change, Update;
//! `push`/`save` → package/access, Read. Networks, volumes, plugins, services, secrets,
//! configs, nodes, the daemon: `create` → configuration/creation, Create;
//! `destroy`/`remove`/`delete` → configuration/deletion, Delete; `connect`/`disconnect`/
//! `mount`/`unmount`/`update`/`enable`/`disable`/`reload` → configuration/change, Update;
//! else configuration/info, Other.
//!
//! Findings add the category of the detector's event type (Falco `evt.type`, Tracee event
//! name) when it names a well-known syscall: `execve*`/`sched_process_exec` → process/start,
//! `open*`/`creat`/`security_file_open` → file/access, `connect`/`accept*`/
//! `security_socket_connect` → network/connection.

use crate::event::Event;
use crate::kind::{AccountOp, AuthOp, EventKind, FileOp, IdentityOp, NetworkOp, ProcessAccessOp};

/// OCSF class uids used by the views.
pub mod class {
    /// Base Event (category 0, Uncategorized).
    pub const BASE_EVENT: u32 = 0;
    /// File System Activity.
    pub const FILE_SYSTEM_ACTIVITY: u32 = 1001;
    /// Process Activity.
    pub const PROCESS_ACTIVITY: u32 = 1007;
    /// Detection Finding.
    pub const DETECTION_FINDING: u32 = 2004;
    /// Account Change.
    pub const ACCOUNT_CHANGE: u32 = 3001;
    /// Authentication.
    pub const AUTHENTICATION: u32 = 3002;
    /// Group Management.
    pub const GROUP_MANAGEMENT: u32 = 3006;
    /// Network Activity.
    pub const NETWORK_ACTIVITY: u32 = 4001;
    /// API Activity.
    pub const API_ACTIVITY: u32 = 6003;
}

/// How an event is categorized in ECS and OCSF.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Classification {
    /// ECS `event.kind` (`alert` for findings, `event` otherwise).
    pub ecs_kind: &'static str,
    /// ECS `event.category` values (empty for log lines).
    pub ecs_category: &'static [&'static str],
    /// ECS `event.type` values, each expected for one of the categories.
    pub ecs_type: &'static [&'static str],
    /// OCSF `class_uid`.
    pub class_uid: u32,
    /// OCSF `activity_id` within the class.
    pub activity_id: u32,
}

impl Classification {
    /// OCSF `type_uid` = `class_uid * 100 + activity_id`.
    pub fn type_uid(&self) -> u64 {
        u64::from(self.class_uid) * 100 + u64::from(self.activity_id)
    }

    /// OCSF `category_uid`: the thousands of the class uid.
    pub fn category_uid(&self) -> u32 {
        self.class_uid / 1000
    }

    /// OCSF category caption.
    pub fn category_name(&self) -> &'static str {
        match self.category_uid() {
            1 => "System Activity",
            2 => "Findings",
            3 => "Identity & Access Management",
            4 => "Network Activity",
            6 => "Application Activity",
            _ => "Uncategorized",
        }
    }

    /// OCSF class caption.
    pub fn class_name(&self) -> &'static str {
        match self.class_uid {
            class::FILE_SYSTEM_ACTIVITY => "File System Activity",
            class::PROCESS_ACTIVITY => "Process Activity",
            class::DETECTION_FINDING => "Detection Finding",
            class::ACCOUNT_CHANGE => "Account Change",
            class::AUTHENTICATION => "Authentication",
            class::GROUP_MANAGEMENT => "Group Management",
            class::NETWORK_ACTIVITY => "Network Activity",
            class::API_ACTIVITY => "API Activity",
            _ => "Base Event",
        }
    }

    /// OCSF activity caption.
    pub fn activity_name(&self) -> &'static str {
        let a = self.activity_id;
        match (self.class_uid, a) {
            (_, 0) => "Unknown",
            (_, 99) => "Other",
            (class::PROCESS_ACTIVITY, _) => pick(
                &["", "Launch", "Terminate", "Open", "Inject", "Set User ID"],
                a,
            ),
            (class::FILE_SYSTEM_ACTIVITY, _) => pick(
                &[
                    "",
                    "Create",
                    "Read",
                    "Update",
                    "Delete",
                    "Rename",
                    "Set Attributes",
                    "Set Security",
                    "Get Attributes",
                    "Get Security",
                    "Encrypt",
                    "Decrypt",
                    "Mount",
                    "Unmount",
                    "Open",
                ],
                a,
            ),
            (class::NETWORK_ACTIVITY, _) => pick(
                &[
                    "", "Open", "Close", "Reset", "Fail", "Refuse", "Traffic", "Listen",
                ],
                a,
            ),
            (class::AUTHENTICATION, _) => pick(
                &[
                    "",
                    "Logon",
                    "Logoff",
                    "Authentication Ticket",
                    "Service Ticket Request",
                    "Service Ticket Renew",
                    "Preauth",
                    "Account Switch",
                ],
                a,
            ),
            (class::ACCOUNT_CHANGE, _) => pick(
                &[
                    "",
                    "Create",
                    "Enable",
                    "Password Change",
                    "Password Reset",
                    "Disable",
                    "Delete",
                    "Attach Policy",
                    "Detach Policy",
                    "Lock",
                    "MFA Factor Enable",
                    "MFA Factor Disable",
                    "Unlock",
                ],
                a,
            ),
            (class::GROUP_MANAGEMENT, _) => pick(
                &[
                    "",
                    "Assign Privileges",
                    "Revoke Privileges",
                    "Add User",
                    "Remove User",
                    "Delete",
                    "Create",
                    "Add Subgroup",
                    "Remove Subgroup",
                ],
                a,
            ),
            (class::API_ACTIVITY | class::DETECTION_FINDING, _) => {
                if self.class_uid == class::DETECTION_FINDING {
                    pick(&["", "Create", "Update", "Close"], a)
                } else {
                    pick(&["", "Create", "Read", "Update", "Delete"], a)
                }
            }
            _ => "Other",
        }
    }

    /// OCSF `type_name` (`"Process Activity: Launch"`).
    pub fn type_name(&self) -> String {
        format!("{}: {}", self.class_name(), self.activity_name())
    }
}

fn pick(names: &[&'static str], id: u32) -> &'static str {
    match names.get(id as usize) {
        Some(n) if !n.is_empty() => n,
        _ => "Other",
    }
}

const fn c(
    ecs_category: &'static [&'static str],
    ecs_type: &'static [&'static str],
    class_uid: u32,
    activity_id: u32,
) -> Classification {
    Classification {
        ecs_kind: "event",
        ecs_category,
        ecs_type,
        class_uid,
        activity_id,
    }
}

use class::*;

const PROCESS: &[&str] = &["process"];
const FILE: &[&str] = &["file"];
const NETWORK: &[&str] = &["network"];
const AUTH: &[&str] = &["authentication"];
const AUTH_SESSION: &[&str] = &["authentication", "session"];
const IAM: &[&str] = &["iam"];
const CONFIGURATION: &[&str] = &["configuration"];
const PACKAGE: &[&str] = &["package"];
const NONE: &[&str] = &[];

fn docker(object_type: &str, action: &str) -> Classification {
    let a = action.trim().to_ascii_lowercase();
    let a = a.split(':').next().unwrap_or("").trim();
    match object_type.trim().to_ascii_lowercase().as_str() {
        "container" => match a {
            "create" => c(CONFIGURATION, &["creation"], API_ACTIVITY, 1),
            "destroy" | "remove" => c(CONFIGURATION, &["deletion"], API_ACTIVITY, 4),
            "rename" | "update" => c(CONFIGURATION, &["change"], API_ACTIVITY, 3),
            "start" | "restart" | "unpause" => c(PROCESS, &["start"], API_ACTIVITY, 3),
            "stop" | "kill" => c(PROCESS, &["end"], API_ACTIVITY, 3),
            "pause" => c(PROCESS, &["change"], API_ACTIVITY, 3),
            "die" | "oom" | "exec_die" => c(PROCESS, &["end"], API_ACTIVITY, 99),
            "exec_create" => c(PROCESS, &["info"], API_ACTIVITY, 1),
            "exec_start" => c(PROCESS, &["start"], API_ACTIVITY, 99),
            _ => c(PROCESS, &["info"], API_ACTIVITY, 99),
        },
        "image" => match a {
            "pull" | "load" | "import" => c(PACKAGE, &["installation"], API_ACTIVITY, 1),
            "delete" | "untag" => c(PACKAGE, &["deletion"], API_ACTIVITY, 4),
            "tag" => c(PACKAGE, &["change"], API_ACTIVITY, 3),
            "push" | "save" => c(PACKAGE, &["access"], API_ACTIVITY, 2),
            _ => c(PACKAGE, &["info"], API_ACTIVITY, 99),
        },
        _ => match a {
            "create" => c(CONFIGURATION, &["creation"], API_ACTIVITY, 1),
            "destroy" | "remove" | "delete" => c(CONFIGURATION, &["deletion"], API_ACTIVITY, 4),
            "connect" | "disconnect" | "mount" | "unmount" | "update" | "enable" | "disable"
            | "reload" => c(CONFIGURATION, &["change"], API_ACTIVITY, 3),
            _ => c(CONFIGURATION, &["info"], API_ACTIVITY, 99),
        },
    }
}

fn finding(event_type: Option<&str>) -> Classification {
    let et = event_type.unwrap_or("").trim().to_ascii_lowercase();
    let (category, types): (&'static [&'static str], &'static [&'static str]) = match et.as_str() {
        "execve" | "execveat" | "sched_process_exec" => {
            (&["intrusion_detection", "process"], &["info", "start"])
        }
        "open" | "openat" | "openat2" | "creat" | "security_file_open" => {
            (&["intrusion_detection", "file"], &["info", "access"])
        }
        "connect" | "accept" | "accept4" | "security_socket_connect" => {
            (&["intrusion_detection", "network"], &["info", "connection"])
        }
        _ => (&["intrusion_detection"], &["info"]),
    };
    Classification {
        ecs_kind: "alert",
        ecs_category: category,
        ecs_type: types,
        class_uid: DETECTION_FINDING,
        activity_id: 1,
    }
}

impl EventKind {
    /// The ECS and OCSF classification of this kind (see the [module docs](crate::classify)).
    pub fn classification(&self) -> Classification {
        match self {
            EventKind::ProcessExec(_) => c(PROCESS, &["start"], PROCESS_ACTIVITY, 1),
            EventKind::ProcessExit(_) => c(PROCESS, &["end"], PROCESS_ACTIVITY, 2),
            EventKind::ProcessFork(_) => c(PROCESS, &["start"], PROCESS_ACTIVITY, 1),
            EventKind::ProcessAccess(a) => match a.op {
                ProcessAccessOp::Attach | ProcessAccessOp::Read => {
                    c(PROCESS, &["access"], PROCESS_ACTIVITY, 3)
                }
                ProcessAccessOp::Write => c(PROCESS, &["access", "change"], PROCESS_ACTIVITY, 4),
                _ => c(PROCESS, &["access"], PROCESS_ACTIVITY, 99),
            },
            EventKind::IdentityChange(i) => {
                let activity = match i.op {
                    IdentityOp::SetUid | IdentityOp::SwitchUser => 5,
                    _ => 99,
                };
                c(PROCESS, &["change"], PROCESS_ACTIVITY, activity)
            }
            EventKind::UserCommand(_) => c(PROCESS, &["start"], PROCESS_ACTIVITY, 1),
            EventKind::FileAccess(f) => {
                let (t, a): (&'static [&'static str], u32) = match f.op {
                    FileOp::Open => (&["access"], 14),
                    FileOp::Read => (&["access"], 2),
                    FileOp::Write => (&["change"], 3),
                    FileOp::Create | FileOp::Link => (&["creation"], 1),
                    FileOp::Delete => (&["deletion"], 4),
                    FileOp::Rename => (&["change"], 5),
                    FileOp::Chmod | FileOp::Chown => (&["change"], 7),
                    FileOp::SetAttributes => (&["change"], 6),
                    FileOp::Mount => (&["change"], 12),
                    FileOp::Unmount => (&["change"], 13),
                    _ => (&["info"], 99),
                };
                c(FILE, t, FILE_SYSTEM_ACTIVITY, a)
            }
            EventKind::Network(n) => {
                let (t, a): (&'static [&'static str], u32) = match n.op {
                    NetworkOp::Connect | NetworkOp::Accept => (&["connection", "start"], 1),
                    NetworkOp::Bind => (&["info"], 99),
                    NetworkOp::Listen => (&["start"], 7),
                    NetworkOp::Close => (&["connection", "end"], 2),
                    NetworkOp::Traffic => (&["connection"], 6),
                    _ => (&["info"], 99),
                };
                c(NETWORK, t, NETWORK_ACTIVITY, a)
            }
            EventKind::Authentication(x) => match x.op {
                AuthOp::Login | AuthOp::SessionStart => {
                    c(AUTH_SESSION, &["start"], AUTHENTICATION, 1)
                }
                AuthOp::Authenticate => c(AUTH, &["info"], AUTHENTICATION, 1),
                AuthOp::Logout | AuthOp::SessionEnd => c(AUTH_SESSION, &["end"], AUTHENTICATION, 2),
                AuthOp::CredentialAcquire | AuthOp::CredentialRefresh => {
                    c(AUTH, &["info"], AUTHENTICATION, 3)
                }
                AuthOp::AccountSwitch => c(AUTH, &["start"], AUTHENTICATION, 7),
                _ => c(AUTH, &["info"], AUTHENTICATION, 99),
            },
            EventKind::AccountChange(x) => match x.op {
                AccountOp::UserCreate => c(IAM, &["user", "creation"], ACCOUNT_CHANGE, 1),
                AccountOp::UserDelete => c(IAM, &["user", "deletion"], ACCOUNT_CHANGE, 6),
                AccountOp::PasswordChange => c(IAM, &["user", "change"], ACCOUNT_CHANGE, 3),
                AccountOp::Lock => c(IAM, &["user", "change"], ACCOUNT_CHANGE, 9),
                AccountOp::Unlock => c(IAM, &["user", "change"], ACCOUNT_CHANGE, 12),
                AccountOp::GroupCreate => c(IAM, &["group", "creation"], GROUP_MANAGEMENT, 6),
                AccountOp::GroupDelete => c(IAM, &["group", "deletion"], GROUP_MANAGEMENT, 5),
                AccountOp::GroupModify => c(IAM, &["group", "change"], GROUP_MANAGEMENT, 99),
                _ => c(IAM, &["user", "change"], ACCOUNT_CHANGE, 99),
            },
            EventKind::ContainerLifecycle(d) => docker(&d.object_type, &d.action),
            EventKind::LogLine(_) => c(NONE, NONE, BASE_EVENT, 0),
            EventKind::Finding(f) => finding(f.event_type.as_deref()),
            EventKind::Other(o) => {
                if o.process.is_some() {
                    c(PROCESS, &["info"], BASE_EVENT, 99)
                } else {
                    c(NONE, NONE, BASE_EVENT, 99)
                }
            }
        }
    }
}

impl Event {
    /// The ECS and OCSF classification of this event (from its kind).
    pub fn classification(&self) -> Classification {
        self.kind.classification()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn activity_names_cover_every_id_used() {
        let every = [
            (PROCESS_ACTIVITY, 1..=5),
            (FILE_SYSTEM_ACTIVITY, 1..=14),
            (NETWORK_ACTIVITY, 1..=7),
            (AUTHENTICATION, 1..=7),
            (ACCOUNT_CHANGE, 1..=12),
            (GROUP_MANAGEMENT, 1..=8),
            (API_ACTIVITY, 1..=4),
            (DETECTION_FINDING, 1..=3),
        ];
        for (class_uid, ids) in every {
            for activity_id in ids {
                let c = c(NONE, NONE, class_uid, activity_id);
                assert!(!c.activity_name().is_empty(), "{class_uid}/{activity_id}");
                assert_ne!(c.activity_name(), "Other", "{class_uid}/{activity_id}");
            }
        }
        assert_eq!(
            c(NONE, NONE, PROCESS_ACTIVITY, 1).type_name(),
            "Process Activity: Launch"
        );
        assert_eq!(c(NONE, NONE, BASE_EVENT, 99).type_uid(), 99);
        assert_eq!(c(NONE, NONE, AUTHENTICATION, 7).category_uid(), 3);
    }

    #[test]
    fn docker_actions() {
        let cases = [
            ("container", "create", "creation", 1),
            ("container", "destroy", "deletion", 4),
            ("container", "start", "start", 3),
            ("container", "die", "end", 99),
            ("container", "health_status: healthy", "info", 99),
            ("container", "exec_start", "start", 99),
            ("image", "pull", "installation", 1),
            ("image", "untag", "deletion", 4),
            ("network", "connect", "change", 3),
            ("volume", "create", "creation", 1),
            ("daemon", "reload", "change", 3),
            ("builder", "prune", "info", 99),
        ];
        for (ty, action, ecs_type, activity) in cases {
            let c = docker(ty, action);
            assert_eq!(c.ecs_type, &[ecs_type], "{ty} {action}");
            assert_eq!(c.activity_id, activity, "{ty} {action}");
            assert_eq!(c.class_uid, API_ACTIVITY);
        }
    }
}
