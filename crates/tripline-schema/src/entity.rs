//! Entities shared by the event kinds: processes, users, files, endpoints, containers, rules.
//!
//! Every field is optional because every source knows a different subset; numeric ids stay
//! numeric here and are stringified only by the ECS view.

use std::collections::BTreeMap;

use crate::fields::Text;
use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// A user account (Unix uid and/or name).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    /// Numeric uid. `None` when unknown or unset (auditd's 4294967295).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
    /// Account name, when the source or a resolver gave one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
}

impl User {
    /// A user known by uid only.
    pub fn from_id(id: u32) -> Self {
        User {
            id: Some(id),
            name: None,
        }
    }

    /// A user known by name only.
    pub fn from_name(name: impl Into<Text>) -> Self {
        User {
            id: None,
            name: Some(name.into()),
        }
    }

    /// Whether neither id nor name is known.
    pub fn is_empty(&self) -> bool {
        self.id.is_none() && self.name.is_none()
    }
}

/// A group (Unix gid and/or name).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Group {
    /// Numeric gid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<u32>,
    /// Group name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
}

/// A short description of a process's parent (one level of ancestry).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParentProcess {
    /// Parent pid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// Parent executable path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executable: Option<Text>,
    /// Parent process name (comm).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Parent command line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_line: Option<Text>,
    /// Parent entity id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<Text>,
}

/// A process and the identities it ran with.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    /// Process id in the host pid namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pid: Option<u32>,
    /// Parent process id (host namespace).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ppid: Option<u32>,
    /// Thread id, when it differs from the pid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tid: Option<u32>,
    /// Process id inside the container's pid namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vpid: Option<u32>,
    /// A stable unique id for this process instance (Tracee entity id, or derived).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_id: Option<Text>,
    /// Absolute path of the executable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub executable: Option<Text>,
    /// Process name (comm, at most 16 bytes on Linux).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Argument vector, starting with argv\[0\].
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<Text>,
    /// The full command line as one string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command_line: Option<Text>,
    /// The process title (auditd PROCTITLE), when it differs from the command line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<Text>,
    /// Current working directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cwd: Option<Text>,
    /// When the process started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub start: Option<DateTime<Utc>>,
    /// Exit code, for exits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i64>,
    /// Effective user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user: Option<User>,
    /// Real user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real_user: Option<User>,
    /// Saved user.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_user: Option<User>,
    /// Filesystem user (auditd `fsuid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_user: Option<User>,
    /// The login user (auditd `auid`, Falco `user.loginuid`): the human behind the process.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub login_user: Option<User>,
    /// Effective group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
    /// Real group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub real_group: Option<Group>,
    /// Saved group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved_group: Option<Group>,
    /// Filesystem group (auditd `fsgid`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fs_group: Option<Group>,
    /// Audit session id (`ses`); `None` when unset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub session_id: Option<u32>,
    /// Controlling terminal (`pts0`, `(none)` is kept as written).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tty: Option<Text>,
    /// The parent process, one level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<Box<ParentProcess>>,
}

impl Process {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        *self == Process::default()
    }
}

/// The kind of a filesystem object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum FileType {
    /// A regular file.
    File,
    /// A directory.
    Dir,
    /// A symbolic link.
    Symlink,
    /// A character device.
    CharDevice,
    /// A block device.
    BlockDevice,
    /// A named pipe.
    Fifo,
    /// A Unix domain socket.
    Socket,
}

impl FileType {
    /// From the file-type bits of a `st_mode` (e.g. `0o100644` → [`FileType::File`]).
    pub fn from_mode(mode: u32) -> Option<FileType> {
        Some(match mode & 0o170000 {
            0o100000 => FileType::File,
            0o040000 => FileType::Dir,
            0o120000 => FileType::Symlink,
            0o020000 => FileType::CharDevice,
            0o060000 => FileType::BlockDevice,
            0o010000 => FileType::Fifo,
            0o140000 => FileType::Socket,
            _ => return None,
        })
    }
}

/// A file or directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct File {
    /// Full path as the source reported it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Text>,
    /// Object type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_type: Option<FileType>,
    /// Inode number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub inode: Option<u64>,
    /// Device as written by the source (`fd:00`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub device: Option<Text>,
    /// Full `st_mode` including type bits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mode: Option<u32>,
    /// Owner.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub owner: Option<User>,
    /// Owning group.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<Group>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
    /// Symlink target.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_path: Option<Text>,
}

impl File {
    /// A file known by path only.
    pub fn from_path(path: impl Into<Text>) -> Self {
        File {
            path: Some(path.into()),
            ..File::default()
        }
    }

    /// The last path component.
    pub fn name(&self) -> Option<&str> {
        let p = self.path.as_deref()?.trim_end_matches('/');
        let name = p.rsplit('/').next()?;
        (!name.is_empty()).then_some(name)
    }

    /// The directory part of the path (without a trailing slash; `/` for top-level files).
    pub fn directory(&self) -> Option<&str> {
        let p = self.path.as_deref()?;
        let idx = p.trim_end_matches('/').rfind('/')?;
        Some(if idx == 0 { "/" } else { &p[..idx] })
    }

    /// The extension of the file name, without the dot.
    pub fn extension(&self) -> Option<&str> {
        let name = self.name()?;
        let idx = name.rfind('.')?;
        (idx > 0 && idx + 1 < name.len()).then(|| &name[idx + 1..])
    }
}

/// One side of a network conversation.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Endpoint {
    /// IP address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<IpAddr>,
    /// Port.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    /// Host or domain name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub domain: Option<Text>,
    /// Unix socket path (abstract sockets start with `@`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<Text>,
}

impl Endpoint {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Endpoint::default()
    }
}

/// A container image reference.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Image {
    /// Repository name without tag or digest (`docker.io/library/nginx` or `nginx`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Tag (`1.25`, `latest`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tag: Option<Text>,
    /// Repository digest (`sha256:…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digest: Option<Text>,
    /// Local image id (`sha256:…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Text>,
}

impl Image {
    /// Splits a reference such as `registry:5000/app:1.2@sha256:ab…` into name, tag and digest.
    pub fn parse_reference(reference: &str) -> Image {
        let (rest, digest) = match reference.split_once('@') {
            Some((r, d)) => (r, Some(Text::from(d))),
            None => (reference, None),
        };
        // A tag is after the last ':' that comes after the last '/'.
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[slash..].rfind(':') {
            Some(i) => (&rest[..slash + i], Some(Text::from(&rest[slash + i + 1..]))),
            None => (rest, None),
        };
        Image {
            name: (!name.is_empty()).then(|| Text::from(name)),
            tag,
            digest,
            id: None,
        }
    }

    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Image::default()
    }
}

/// A container.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Container {
    /// Full container id (64 hex characters for Docker), or what the source gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Text>,
    /// Container name without Docker's leading `/`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Image.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<Image>,
    /// Runtime (`docker`, `containerd`, `cri-o`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runtime: Option<Text>,
    /// Container labels.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<Text, Text>,
    /// Whether the container runs privileged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub privileged: Option<bool>,
}

impl Container {
    /// The 12-character short id Docker prints.
    pub fn short_id(&self) -> Option<&str> {
        let id = self.id.as_deref()?;
        Some(id.get(..12).unwrap_or(id))
    }
}

/// The host an event happened on.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Host {
    /// Host name (auditd `node=`, Falco `hostname`, Tracee `hostName`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// Host id (machine id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Text>,
    /// Host addresses.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ip: Vec<IpAddr>,
    /// CPU architecture (`x86_64`, `aarch64`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub architecture: Option<Text>,
}

/// Orchestrator (Kubernetes) context.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Orchestrator {
    /// Namespace.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub namespace: Option<Text>,
    /// Pod name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_name: Option<Text>,
    /// Pod uid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pod_uid: Option<Text>,
    /// Cluster name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cluster: Option<Text>,
}

/// A detection rule.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rule {
    /// Rule id (Sigma UUID, Tracee `TRC-102`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<Text>,
    /// Rule name or title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<Text>,
    /// What the rule detects.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
    /// Authors; Sigma's Detection Rule License requires keeping them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub authors: Vec<Text>,
    /// Rule set (`falco_rules`, `sigma`, `tracee-signatures`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ruleset: Option<Text>,
    /// Category (Falco `source`, Sigma logsource).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub category: Option<Text>,
    /// Rule version.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<Text>,
    /// Licence of the rule text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub license: Option<Text>,
    /// Reference URLs.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Text>,
}
