//! What happened: the event kinds and their payloads.
//!
//! Classification (ECS category/type, OCSF class/activity) is derived from the variant and its
//! operation by the views, never stored, so the two views cannot disagree.

use std::collections::BTreeMap;

use crate::fields::Text;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::attack::Attack;
use crate::entity::{Endpoint, File, Group, Process, Rule, User};

/// The payload of an [`Event`](crate::Event).
///
/// Every payload but the small [`LogLine`] is boxed: an event is moved whole several times on
/// its way (reader, merge queue, pipeline), and a kind holding a [`Process`] inline would make
/// every event, whatever its kind, as large as the largest payload. Build one with
/// `EventKind::ProcessExec(Box::new(ProcessEvent { .. }))`; reading through the box needs no
/// change (`EventKind::ProcessExec(e) => &e.process`). The JSON form is unchanged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "data", rename_all = "snake_case")]
#[non_exhaustive]
pub enum EventKind {
    /// A program was executed (execve, Docker `exec_start`, Tracee `sched_process_exec`).
    ProcessExec(Box<ProcessEvent>),
    /// A process exited.
    ProcessExit(Box<ProcessEvent>),
    /// A process was created by fork/clone (Tracee `sched_process_fork`, audit `clone`): the
    /// payload's process is the child, its parent the forking process. Not an exec, so
    /// process-creation rules do not see it.
    ProcessFork(Box<ProcessEvent>),
    /// A process accessed another one: ptrace attach, peek or poke (Tracee `ptrace`, audit
    /// `ptrace`), the basis of process injection (ATT&CK T1055.008).
    ProcessAccess(Box<ProcessAccess>),
    /// A process changed identity (setuid family, capset) or a user switched (su/sudo).
    IdentityChange(Box<IdentityChange>),
    /// A file was accessed or changed.
    FileAccess(Box<FileAccess>),
    /// A network socket operation.
    Network(Box<NetworkActivity>),
    /// A login, logout, authentication or credential operation.
    Authentication(Box<Authentication>),
    /// A command run through sudo or similar (auditd `USER_CMD`).
    UserCommand(Box<UserCommand>),
    /// A user or group account was created, changed or deleted.
    AccountChange(Box<AccountChange>),
    /// A Docker object changed state (container, image, network, volume…).
    ContainerLifecycle(Box<ContainerLifecycle>),
    /// A line a container wrote to stdout or stderr.
    LogLine(LogLine),
    /// An alert from Falco, Tracee or our own rules.
    Finding(Box<Finding>),
    /// Anything not modelled above; its fields stay in `unmapped`.
    Other(Box<Other>),
}

impl EventKind {
    /// A short stable name for the variant (`"process_exec"`), as in the native JSON.
    pub fn name(&self) -> &'static str {
        match self {
            EventKind::ProcessExec(_) => "process_exec",
            EventKind::ProcessExit(_) => "process_exit",
            EventKind::ProcessFork(_) => "process_fork",
            EventKind::ProcessAccess(_) => "process_access",
            EventKind::IdentityChange(_) => "identity_change",
            EventKind::FileAccess(_) => "file_access",
            EventKind::Network(_) => "network",
            EventKind::Authentication(_) => "authentication",
            EventKind::UserCommand(_) => "user_command",
            EventKind::AccountChange(_) => "account_change",
            EventKind::ContainerLifecycle(_) => "container_lifecycle",
            EventKind::LogLine(_) => "log_line",
            EventKind::Finding(_) => "finding",
            EventKind::Other(_) => "other",
        }
    }

    /// The acting process, for the kinds that have one.
    pub fn process(&self) -> Option<&Process> {
        match self {
            EventKind::ProcessExec(p) | EventKind::ProcessExit(p) | EventKind::ProcessFork(p) => {
                Some(&p.process)
            }
            EventKind::ProcessAccess(a) => a.process.as_ref(),
            EventKind::IdentityChange(e) => Some(&e.process),
            EventKind::FileAccess(e) => e.process.as_ref(),
            EventKind::Network(e) => e.process.as_ref(),
            EventKind::Authentication(e) => e.process.as_ref(),
            EventKind::UserCommand(e) => e.process.as_ref(),
            EventKind::AccountChange(e) => e.process.as_ref(),
            EventKind::ContainerLifecycle(e) => e.exec.as_ref(),
            EventKind::Finding(e) => e.process.as_ref(),
            EventKind::Other(e) => e.process.as_ref(),
            EventKind::LogLine(_) => None,
        }
    }

    /// The file involved, for the kinds that have one.
    pub fn file(&self) -> Option<&File> {
        match self {
            EventKind::FileAccess(e) => Some(&e.file),
            EventKind::Finding(e) => e.file.as_ref(),
            _ => None,
        }
    }
}

/// Process exec or exit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessEvent {
    /// The process.
    pub process: Process,
    /// The script interpreter when the executable was a script (Tracee `interpreter_path`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interpreter: Option<Text>,
    /// Signal that ended the process, for exits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
}

/// What one process did to another.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ProcessAccessOp {
    /// Became the tracer (`PTRACE_ATTACH`, `PTRACE_SEIZE`, `PTRACE_TRACEME` from the child).
    Attach,
    /// Read the target's memory or registers (`PTRACE_PEEK*`, `PTRACE_GETREGS`…).
    Read,
    /// Wrote the target's memory or registers (`PTRACE_POKE*`, `PTRACE_SETREGS`…): injection.
    Write,
    /// Something else, named by the source (`PTRACE_CONT`, `PTRACE_DETACH`…).
    Other(Text),
}

impl ProcessAccessOp {
    /// The operation a ptrace request performs (`PTRACE_POKETEXT` → `Write`); the request is
    /// its name with or without the `PTRACE_` prefix, or its number (x86-64/arm64 values).
    pub fn from_ptrace_request(request: &str) -> ProcessAccessOp {
        let r = request.trim();
        let name = match r.get(..7) {
            Some(head) if head.eq_ignore_ascii_case("PTRACE_") => &r[7..],
            _ => r,
        };
        let name = match name.parse::<u32>() {
            Ok(n) => match n {
                0 => "TRACEME",
                1..=3 => "PEEK",
                4..=6 => "POKE",
                12 | 14 | 0x4204 => "GETREGS",
                13 | 15 | 0x4205 => "SETREGS",
                16 => "ATTACH",
                0x4206 => "SEIZE",
                _ => return ProcessAccessOp::Other(Text::from(r)),
            },
            Err(_) => name,
        };
        let upper = |p: &str| {
            name.get(..p.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(p))
        };
        if upper("ATTACH") || upper("SEIZE") || upper("TRACEME") {
            ProcessAccessOp::Attach
        } else if upper("PEEK") || upper("GET") {
            ProcessAccessOp::Read
        } else if upper("POKE") || upper("SET") {
            ProcessAccessOp::Write
        } else {
            ProcessAccessOp::Other(Text::from(r))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ptrace_requests_by_name_and_number() {
        use ProcessAccessOp as O;
        for (req, op) in [
            ("PTRACE_ATTACH", O::Attach),
            ("PTRACE_SEIZE", O::Attach),
            ("TRACEME", O::Attach),
            ("PTRACE_PEEKDATA", O::Read),
            ("PTRACE_GETREGS", O::Read),
            ("PTRACE_POKETEXT", O::Write),
            ("ptrace_setregs", O::Write),
            ("16", O::Attach),
            ("2", O::Read),
            ("5", O::Write),
            ("0x4206", O::Other("0x4206".into())),
            ("PTRACE_CONT", O::Other("PTRACE_CONT".into())),
            ("N&*\u{c710a}.", O::Other("N&*\u{c710a}.".into())),
        ] {
            assert_eq!(ProcessAccessOp::from_ptrace_request(req), op, "{req}");
        }
    }
}

/// One process accessing another (ptrace).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProcessAccess {
    /// What was done.
    pub op: ProcessAccessOp,
    /// The source's request name (`PTRACE_POKETEXT`), as written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<Text>,
    /// The accessing process (the tracer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Process>,
    /// The accessed process (the tracee).
    pub target: Process,
}

/// Kinds of identity change.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IdentityOp {
    /// setuid/setreuid/setresuid/setfsuid.
    SetUid,
    /// setgid/setregid/setresgid/setfsgid/setgroups.
    SetGid,
    /// capset.
    SetCapabilities,
    /// A user switch through su or sudo.
    SwitchUser,
    /// Something else, named by the source.
    Other(Text),
}

/// A process changing its identity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdentityChange {
    /// What changed.
    pub op: IdentityOp,
    /// The process (with its identities after the change where known).
    pub process: Process,
    /// The user assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_user: Option<User>,
    /// The group assumed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group: Option<Group>,
}

/// File operations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileOp {
    /// Opened (read or unspecified).
    Open,
    /// Read.
    Read,
    /// Written or opened for writing.
    Write,
    /// Created.
    Create,
    /// Deleted.
    Delete,
    /// Renamed or moved (`target` holds the new name).
    Rename,
    /// Linked (`target` holds the link).
    Link,
    /// Permissions changed.
    Chmod,
    /// Ownership changed.
    Chown,
    /// Attributes (xattr, times) changed.
    SetAttributes,
    /// Filesystem mounted.
    Mount,
    /// Filesystem unmounted.
    Unmount,
    /// Something else, named by the source.
    Other(Text),
}

/// A file access.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileAccess {
    /// What was done.
    pub op: FileOp,
    /// The file acted on (for rename: the old name).
    pub file: File,
    /// The second file of a rename or link (the new name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<File>,
    /// The acting process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Process>,
}

/// Socket operations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum NetworkOp {
    /// Outgoing connection.
    Connect,
    /// Accepted incoming connection.
    Accept,
    /// Socket bound to a local address.
    Bind,
    /// Socket listening.
    Listen,
    /// Connection closed.
    Close,
    /// Data sent or received.
    Traffic,
    /// Something else, named by the source.
    Other(Text),
}

/// Direction of a connection from the host's point of view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Direction {
    /// Incoming.
    Inbound,
    /// Outgoing.
    Outbound,
    /// Both ends on this host.
    Local,
}

/// A network socket operation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkActivity {
    /// What was done.
    pub op: NetworkOp,
    /// Transport, lowercase (`tcp`, `udp`, `unix`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transport: Option<Text>,
    /// Local / initiating side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Endpoint>,
    /// Remote / target side.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Endpoint>,
    /// Direction.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub direction: Option<Direction>,
    /// The acting process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Process>,
}

/// Authentication operations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuthOp {
    /// Logged in (USER_LOGIN).
    Login,
    /// Logged out (USER_LOGOUT).
    Logout,
    /// Authenticated (USER_AUTH).
    Authenticate,
    /// Authorized / account checked (USER_ACCT).
    Authorize,
    /// Switched account (su, sudo).
    AccountSwitch,
    /// Credentials acquired (CRED_ACQ).
    CredentialAcquire,
    /// Credentials refreshed (CRED_REFR).
    CredentialRefresh,
    /// Credentials disposed (CRED_DISP).
    CredentialDispose,
    /// Session started (USER_START).
    SessionStart,
    /// Session ended (USER_END).
    SessionEnd,
    /// Something else, named by the source.
    Other(Text),
}

/// An authentication event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authentication {
    /// What happened.
    pub op: AuthOp,
    /// The account being authenticated or switched to (auditd `acct`/`id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The human acting (auditd `auid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<User>,
    /// Where the attempt came from (`addr`, `hostname`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Endpoint>,
    /// Terminal (`ssh`, `/dev/pts/0`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal: Option<Text>,
    /// Session id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<u32>,
    /// The mechanism (PAM operation such as `PAM:authentication`, or the service name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<Text>,
    /// The authenticating program (sshd, sudo, login).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Process>,
}

/// A command run through sudo (auditd `USER_CMD`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserCommand {
    /// The command line, hex-decoded.
    pub command: Text,
    /// Working directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<Text>,
    /// The human who ran it (auid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The user it ran as, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_as: Option<User>,
    /// Terminal.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub terminal: Option<Text>,
    /// The program that reported it (sudo).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Process>,
}

/// Account operations.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AccountOp {
    /// User created.
    UserCreate,
    /// User deleted.
    UserDelete,
    /// User modified.
    UserModify,
    /// Password changed.
    PasswordChange,
    /// Account locked.
    Lock,
    /// Account unlocked.
    Unlock,
    /// Group created.
    GroupCreate,
    /// Group deleted.
    GroupDelete,
    /// Group modified (membership).
    GroupModify,
    /// Something else, named by the source.
    Other(Text),
}

/// A user or group account change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountChange {
    /// What changed.
    pub op: AccountOp,
    /// The account changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_user: Option<User>,
    /// The group changed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_group: Option<Group>,
    /// Who changed it (auid).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<User>,
    /// The program that made the change (useradd, usermod).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Process>,
}

/// A Docker event about a container, image, network, volume, plugin, service, … .
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContainerLifecycle {
    /// The object type (`container`, `image`, `network`, `volume`, `daemon`…).
    pub object_type: Text,
    /// The action verb (`create`, `start`, `exec_start`, `health_status`, `die`).
    pub action: Text,
    /// What follows the verb after `: ` (`sh -c ls` for `exec_start: sh -c ls`, `healthy`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<Text>,
    /// The actor id (container id, image id, network id…).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor_id: Option<Text>,
    /// Actor attributes as Docker sent them (labels included; see `trusted`), sorted by key.
    #[serde(default, skip_serializing_if = "TextMap::is_empty")]
    pub attributes: TextMap,
    /// Exit code (`die`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i64>,
    /// Signal (`kill`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<Text>,
    /// Exec id (`exec_*`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec_id: Option<Text>,
    /// The command of an `exec_create`/`exec_start`, as a process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exec: Option<Process>,
    /// Whether attributes such as `exitCode` can be trusted: `false` when a container label
    /// of the same name may have overwritten Docker's own value.
    #[serde(default = "yes", skip_serializing_if = "is_true")]
    pub trusted: bool,
}

fn yes() -> bool {
    true
}

/// A string-to-string map kept as a `Vec` sorted by key (byte order), for the few to few
/// dozen entries of [`ContainerLifecycle::attributes`]: one allocation instead of a node per
/// few entries, a cheap drop, and the same JSON as a `BTreeMap<Text, Text>` (an object with
/// keys in byte order). A key inserted twice keeps its last value.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct TextMap(Vec<(Text, Text)>);

impl TextMap {
    /// An empty map.
    pub fn new() -> Self {
        TextMap(Vec::new())
    }

    /// An empty map with room for `n` entries.
    pub fn with_capacity(n: usize) -> Self {
        TextMap(Vec::with_capacity(n))
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are no entries.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn position(&self, key: &str) -> Result<usize, usize> {
        crate::fields::sorted_position(&self.0, key)
    }

    /// The value of `key`.
    pub fn get(&self, key: &str) -> Option<&Text> {
        self.position(key).ok().map(|i| &self.0[i].1)
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_ok()
    }

    /// Sets `key` to `value`, returning the value it replaces. Inserting in key order
    /// appends after one comparison.
    pub fn insert(&mut self, key: impl Into<Text>, value: impl Into<Text>) -> Option<Text> {
        crate::fields::sorted_insert(&mut self.0, key.into(), value.into())
    }

    /// Removes `key`, returning its value.
    pub fn remove(&mut self, key: &str) -> Option<Text> {
        self.position(key).ok().map(|i| self.0.remove(i).1)
    }

    /// The entries in key order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = (&Text, &Text)> + ExactSizeIterator {
        self.0.iter().map(|(k, v)| (k, v))
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &Text> + ExactSizeIterator {
        self.0.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Text> + ExactSizeIterator {
        self.0.iter().map(|(_, v)| v)
    }
}

impl std::fmt::Debug for TextMap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K: Into<Text>, V: Into<Text>> Extend<(K, V)> for TextMap {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Into<Text>, V: Into<Text>> FromIterator<(K, V)> for TextMap {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let iter = iter.into_iter();
        let mut m = TextMap::with_capacity(iter.size_hint().0);
        m.extend(iter);
        m
    }
}

impl<K: Into<Text>, V: Into<Text>, const N: usize> From<[(K, V); N]> for TextMap {
    fn from(a: [(K, V); N]) -> Self {
        a.into_iter().collect()
    }
}

impl From<BTreeMap<Text, Text>> for TextMap {
    fn from(m: BTreeMap<Text, Text>) -> Self {
        // Already sorted and unique.
        TextMap(m.into_iter().collect())
    }
}

impl From<TextMap> for BTreeMap<Text, Text> {
    fn from(m: TextMap) -> Self {
        m.0.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a TextMap {
    type Item = (&'a Text, &'a Text);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (Text, Text)>,
        fn(&'a (Text, Text)) -> (&'a Text, &'a Text),
    >;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k, v))
    }
}

impl IntoIterator for TextMap {
    type Item = (Text, Text);
    type IntoIter = std::vec::IntoIter<(Text, Text)>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl Serialize for TextMap {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

impl<'de> Deserialize<'de> for TextMap {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Any order, a repeated key keeping its last value: exactly the `BTreeMap` reading.
        BTreeMap::<Text, Text>::deserialize(d).map(TextMap::from)
    }
}

fn is_true(b: &bool) -> bool {
    *b
}

/// A container output stream.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Stream {
    /// Standard output.
    Stdout,
    /// Standard error.
    Stderr,
    /// Another stream name.
    Other(Text),
}

/// How a log line was reassembled from partial chunks.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialInfo {
    /// Number of chunks merged (1 when the line arrived whole).
    pub chunks: u32,
    /// `false` when the line was flushed before its final chunk (size cap, idle, end of input).
    pub complete: bool,
    /// Why an incomplete line was flushed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flush_reason: Option<Text>,
}

/// A container log line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// Stream.
    pub stream: Stream,
    /// The line without its trailing newline.
    pub text: Text,
    /// Partial-merge information, when the line was reassembled or flushed incomplete.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub partial: Option<PartialInfo>,
}

/// An alert: from Falco, Tracee, or a Tripline Sigma rule or correlation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// The rule that fired.
    pub rule: Rule,
    /// ATT&CK references.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attacks: Vec<Attack>,
    /// Ids of the events that are evidence for this finding.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<Text>,
    /// Correlation group-by values (field → value).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub group: BTreeMap<Text, Text>,
    /// How many events contributed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count: Option<u64>,
    /// Time of the first contributing event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_seen: Option<DateTime<Utc>>,
    /// Time of the last contributing event.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_seen: Option<DateTime<Utc>>,
    /// The detector's event type (Falco `evt.type`, Tracee event name, syscall).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event_type: Option<Text>,
    /// The process involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Process>,
    /// The human involved (login user, or the process user).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// The file involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<File>,
    /// Local / source endpoint involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Endpoint>,
    /// Remote / destination endpoint involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub destination: Option<Endpoint>,
}

/// An event not modelled by the other kinds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Other {
    /// The source's name for it (audit record type, Tracee event name).
    pub name: Text,
    /// The acting process, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<Process>,
}
