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
///
/// What most sources set is stored inline; what only some set (the title, the start time, the
/// real, saved and filesystem users and groups, the audit session) sits in one boxed
/// [`ProcessExtra`], so a process without them stays small. Read those through the accessors
/// ([`Process::real_user`], …) and write them through [`Process::extra_mut`]; the JSON form is
/// flat either way (every field at its place in the process object).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "ProcessRepr")]
pub struct Process {
    /// Process id in the host pid namespace.
    pub pid: Option<u32>,
    /// Parent process id (host namespace).
    pub ppid: Option<u32>,
    /// Thread id, when it differs from the pid.
    pub tid: Option<u32>,
    /// Process id inside the container's pid namespace.
    pub vpid: Option<u32>,
    /// A stable unique id for this process instance (Tracee entity id, or derived).
    pub entity_id: Option<Text>,
    /// Absolute path of the executable.
    pub executable: Option<Text>,
    /// Process name (comm, at most 16 bytes on Linux).
    pub name: Option<Text>,
    /// Argument vector, starting with argv\[0\].
    pub args: Vec<Text>,
    /// The full command line as one string.
    pub command_line: Option<Text>,
    /// Current working directory.
    pub cwd: Option<Text>,
    /// Exit code, for exits.
    pub exit_code: Option<i64>,
    /// Effective user.
    pub user: Option<User>,
    /// The login user (auditd `auid`, Falco `user.loginuid`): the human behind the process.
    pub login_user: Option<User>,
    /// Effective group.
    pub group: Option<Group>,
    /// Controlling terminal (`pts0`, `(none)` is kept as written).
    pub tty: Option<Text>,
    /// The parent process, one level.
    pub parent: Option<Box<ParentProcess>>,
    /// The fields only some sources set; `None` when none of them is known.
    pub extra: Option<Box<ProcessExtra>>,
}

/// The rarely set part of a [`Process`]: auditd reports every identity of a syscall, the other
/// sources only the effective ones.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessExtra {
    /// The process title (auditd PROCTITLE), when it differs from the command line.
    pub title: Option<Text>,
    /// When the process started.
    pub start: Option<DateTime<Utc>>,
    /// Real user.
    pub real_user: Option<User>,
    /// Saved user.
    pub saved_user: Option<User>,
    /// Filesystem user (auditd `fsuid`).
    pub fs_user: Option<User>,
    /// Real group.
    pub real_group: Option<Group>,
    /// Saved group.
    pub saved_group: Option<Group>,
    /// Filesystem group (auditd `fsgid`).
    pub fs_group: Option<Group>,
    /// Audit session id (`ses`); `None` when unset.
    pub session_id: Option<u32>,
}

/// Nothing known: what a process without [`ProcessExtra`] reads as.
static NO_EXTRA: ProcessExtra = ProcessExtra {
    title: None,
    start: None,
    real_user: None,
    saved_user: None,
    fs_user: None,
    real_group: None,
    saved_group: None,
    fs_group: None,
    session_id: None,
};

impl ProcessExtra {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        *self == NO_EXTRA
    }

    /// Boxed for [`Process::extra`], or `None` when no field is set (so building one from
    /// optional parts allocates only when something is known).
    pub fn boxed(self) -> Option<Box<ProcessExtra>> {
        (!self.is_empty()).then(|| Box::new(self))
    }
}

impl Process {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        self.pid.is_none()
            && self.ppid.is_none()
            && self.tid.is_none()
            && self.vpid.is_none()
            && self.entity_id.is_none()
            && self.executable.is_none()
            && self.name.is_none()
            && self.args.is_empty()
            && self.command_line.is_none()
            && self.cwd.is_none()
            && self.exit_code.is_none()
            && self.user.is_none()
            && self.login_user.is_none()
            && self.group.is_none()
            && self.tty.is_none()
            && self.parent.is_none()
            && self.extra().is_empty()
    }

    /// The rarely set fields (all `None` when there are none).
    pub fn extra(&self) -> &ProcessExtra {
        self.extra.as_deref().unwrap_or(&NO_EXTRA)
    }

    /// The rarely set fields for writing, created empty when missing.
    pub fn extra_mut(&mut self) -> &mut ProcessExtra {
        self.extra.get_or_insert_with(Box::default)
    }

    /// The process title (auditd PROCTITLE), when it differs from the command line.
    pub fn title(&self) -> Option<&Text> {
        self.extra().title.as_ref()
    }

    /// When the process started.
    pub fn start(&self) -> Option<DateTime<Utc>> {
        self.extra().start
    }

    /// Real user.
    pub fn real_user(&self) -> Option<&User> {
        self.extra().real_user.as_ref()
    }

    /// Saved user.
    pub fn saved_user(&self) -> Option<&User> {
        self.extra().saved_user.as_ref()
    }

    /// Filesystem user (auditd `fsuid`).
    pub fn fs_user(&self) -> Option<&User> {
        self.extra().fs_user.as_ref()
    }

    /// Real group.
    pub fn real_group(&self) -> Option<&Group> {
        self.extra().real_group.as_ref()
    }

    /// Saved group.
    pub fn saved_group(&self) -> Option<&Group> {
        self.extra().saved_group.as_ref()
    }

    /// Filesystem group (auditd `fsgid`).
    pub fn fs_group(&self) -> Option<&Group> {
        self.extra().fs_group.as_ref()
    }

    /// Audit session id (`ses`).
    pub fn session_id(&self) -> Option<u32> {
        self.extra().session_id
    }
}

/// Equal when every field is: a process whose extra part is present but empty equals one
/// without (both serialize alike), so the flat views are compared.
impl PartialEq for Process {
    fn eq(&self, other: &Process) -> bool {
        self.flat() == other.flat()
    }
}

impl Eq for Process {}

/// The JSON shape of a [`Process`]: flat, in this field order (the order of the original
/// struct, so the native JSON is unchanged); also what equality compares.
#[derive(Serialize, PartialEq)]
struct ProcessRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    pid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    ppid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    vpid: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    entity_id: Option<&'a Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    executable: Option<&'a Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a Text>,
    #[serde(skip_serializing_if = "<[Text]>::is_empty")]
    args: &'a [Text],
    #[serde(skip_serializing_if = "Option::is_none")]
    command_line: Option<&'a Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    title: Option<&'a Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    cwd: Option<&'a Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    start: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    exit_code: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<&'a User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    real_user: Option<&'a User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    saved_user: Option<&'a User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fs_user: Option<&'a User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    login_user: Option<&'a User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a Group>,
    #[serde(skip_serializing_if = "Option::is_none")]
    real_group: Option<&'a Group>,
    #[serde(skip_serializing_if = "Option::is_none")]
    saved_group: Option<&'a Group>,
    #[serde(skip_serializing_if = "Option::is_none")]
    fs_group: Option<&'a Group>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session_id: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    tty: Option<&'a Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<&'a ParentProcess>,
}

impl Process {
    /// Every field, the extra part's inline.
    fn flat(&self) -> ProcessRef<'_> {
        let x = self.extra();
        ProcessRef {
            pid: self.pid,
            ppid: self.ppid,
            tid: self.tid,
            vpid: self.vpid,
            entity_id: self.entity_id.as_ref(),
            executable: self.executable.as_ref(),
            name: self.name.as_ref(),
            args: &self.args,
            command_line: self.command_line.as_ref(),
            title: x.title.as_ref(),
            cwd: self.cwd.as_ref(),
            start: x.start,
            exit_code: self.exit_code,
            user: self.user.as_ref(),
            real_user: x.real_user.as_ref(),
            saved_user: x.saved_user.as_ref(),
            fs_user: x.fs_user.as_ref(),
            login_user: self.login_user.as_ref(),
            group: self.group.as_ref(),
            real_group: x.real_group.as_ref(),
            saved_group: x.saved_group.as_ref(),
            fs_group: x.fs_group.as_ref(),
            session_id: x.session_id,
            tty: self.tty.as_ref(),
            parent: self.parent.as_deref(),
        }
    }
}

impl Serialize for Process {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.flat().serialize(serializer)
    }
}

/// What [`Process`] reads from JSON: every field flat.
#[derive(Deserialize)]
struct ProcessRepr {
    #[serde(default)]
    pid: Option<u32>,
    #[serde(default)]
    ppid: Option<u32>,
    #[serde(default)]
    tid: Option<u32>,
    #[serde(default)]
    vpid: Option<u32>,
    #[serde(default)]
    entity_id: Option<Text>,
    #[serde(default)]
    executable: Option<Text>,
    #[serde(default)]
    name: Option<Text>,
    #[serde(default)]
    args: Vec<Text>,
    #[serde(default)]
    command_line: Option<Text>,
    #[serde(default)]
    title: Option<Text>,
    #[serde(default)]
    cwd: Option<Text>,
    #[serde(default)]
    start: Option<DateTime<Utc>>,
    #[serde(default)]
    exit_code: Option<i64>,
    #[serde(default)]
    user: Option<User>,
    #[serde(default)]
    real_user: Option<User>,
    #[serde(default)]
    saved_user: Option<User>,
    #[serde(default)]
    fs_user: Option<User>,
    #[serde(default)]
    login_user: Option<User>,
    #[serde(default)]
    group: Option<Group>,
    #[serde(default)]
    real_group: Option<Group>,
    #[serde(default)]
    saved_group: Option<Group>,
    #[serde(default)]
    fs_group: Option<Group>,
    #[serde(default)]
    session_id: Option<u32>,
    #[serde(default)]
    tty: Option<Text>,
    #[serde(default)]
    parent: Option<Box<ParentProcess>>,
}

impl From<ProcessRepr> for Process {
    fn from(r: ProcessRepr) -> Process {
        Process {
            pid: r.pid,
            ppid: r.ppid,
            tid: r.tid,
            vpid: r.vpid,
            entity_id: r.entity_id,
            executable: r.executable,
            name: r.name,
            args: r.args,
            command_line: r.command_line,
            cwd: r.cwd,
            exit_code: r.exit_code,
            user: r.user,
            login_user: r.login_user,
            group: r.group,
            tty: r.tty,
            parent: r.parent,
            extra: ProcessExtra {
                title: r.title,
                start: r.start,
                real_user: r.real_user,
                saved_user: r.saved_user,
                fs_user: r.fs_user,
                real_group: r.real_group,
                saved_group: r.saved_group,
                fs_group: r.fs_group,
                session_id: r.session_id,
            }
            .boxed(),
        }
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
///
/// The owner, group and size, which only auditd reports, sit in one boxed [`FileExtra`] so a
/// file known by path (and inode) stays small; read them through [`File::owner`],
/// [`File::group`] and [`File::size`], write them through [`File::extra_mut`]. The JSON form is
/// flat either way.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(from = "FileRepr")]
pub struct File {
    /// Full path as the source reported it.
    pub path: Option<Text>,
    /// Object type.
    pub file_type: Option<FileType>,
    /// Inode number.
    pub inode: Option<u64>,
    /// Device as written by the source (`fd:00`).
    pub device: Option<Text>,
    /// Full `st_mode` including type bits.
    pub mode: Option<u32>,
    /// Symlink target.
    pub target_path: Option<Text>,
    /// Owner, group and size; `None` when none is known.
    pub extra: Option<Box<FileExtra>>,
}

/// The rarely set part of a [`File`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FileExtra {
    /// Owner.
    pub owner: Option<User>,
    /// Owning group.
    pub group: Option<Group>,
    /// Size in bytes.
    pub size: Option<u64>,
}

/// Nothing known: what a file without [`FileExtra`] reads as.
static NO_FILE_EXTRA: FileExtra = FileExtra {
    owner: None,
    group: None,
    size: None,
};

impl FileExtra {
    /// Whether no field is set.
    pub fn is_empty(&self) -> bool {
        *self == NO_FILE_EXTRA
    }

    /// Boxed for [`File::extra`], or `None` when no field is set.
    pub fn boxed(self) -> Option<Box<FileExtra>> {
        (!self.is_empty()).then(|| Box::new(self))
    }
}

/// Equal when every field is: an extra part that is present but empty equals none, so the
/// flat views are compared.
impl PartialEq for File {
    fn eq(&self, other: &File) -> bool {
        self.flat() == other.flat()
    }
}

impl Eq for File {}

/// The JSON shape of a [`File`]: flat, in the original field order; also what equality
/// compares.
#[derive(Serialize, PartialEq)]
struct FileRef<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    path: Option<&'a Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    file_type: Option<FileType>,
    #[serde(skip_serializing_if = "Option::is_none")]
    inode: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    device: Option<&'a Text>,
    #[serde(skip_serializing_if = "Option::is_none")]
    mode: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    owner: Option<&'a User>,
    #[serde(skip_serializing_if = "Option::is_none")]
    group: Option<&'a Group>,
    #[serde(skip_serializing_if = "Option::is_none")]
    size: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    target_path: Option<&'a Text>,
}

impl File {
    /// Every field, the extra part's inline.
    fn flat(&self) -> FileRef<'_> {
        let x = self.extra();
        FileRef {
            path: self.path.as_ref(),
            file_type: self.file_type,
            inode: self.inode,
            device: self.device.as_ref(),
            mode: self.mode,
            owner: x.owner.as_ref(),
            group: x.group.as_ref(),
            size: x.size,
            target_path: self.target_path.as_ref(),
        }
    }
}

impl Serialize for File {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.flat().serialize(serializer)
    }
}

/// What [`File`] reads from JSON: every field flat.
#[derive(Deserialize)]
struct FileRepr {
    #[serde(default)]
    path: Option<Text>,
    #[serde(default)]
    file_type: Option<FileType>,
    #[serde(default)]
    inode: Option<u64>,
    #[serde(default)]
    device: Option<Text>,
    #[serde(default)]
    mode: Option<u32>,
    #[serde(default)]
    owner: Option<User>,
    #[serde(default)]
    group: Option<Group>,
    #[serde(default)]
    size: Option<u64>,
    #[serde(default)]
    target_path: Option<Text>,
}

impl From<FileRepr> for File {
    fn from(r: FileRepr) -> File {
        File {
            path: r.path,
            file_type: r.file_type,
            inode: r.inode,
            device: r.device,
            mode: r.mode,
            target_path: r.target_path,
            extra: FileExtra {
                owner: r.owner,
                group: r.group,
                size: r.size,
            }
            .boxed(),
        }
    }
}

impl File {
    /// Owner, group and size (all `None` when none is known).
    pub fn extra(&self) -> &FileExtra {
        self.extra.as_deref().unwrap_or(&NO_FILE_EXTRA)
    }

    /// Owner, group and size for writing, created empty when missing.
    pub fn extra_mut(&mut self) -> &mut FileExtra {
        self.extra.get_or_insert_with(Box::default)
    }

    /// Owner.
    pub fn owner(&self) -> Option<&User> {
        self.extra().owner.as_ref()
    }

    /// Owning group.
    pub fn group(&self) -> Option<&Group> {
        self.extra().group.as_ref()
    }

    /// Size in bytes.
    pub fn size(&self) -> Option<u64> {
        self.extra().size
    }

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
        // Byte scans (the separators are ASCII): the `char` searchers cost more than the
        // rest of a Docker container event's entity.
        let (rest, digest) = match reference.bytes().position(|c| c == b'@') {
            Some(i) => (&reference[..i], Some(Text::from(&reference[i + 1..]))),
            None => (reference, None),
        };
        // A tag is after the last ':' that comes after the last '/'.
        let b = rest.as_bytes();
        let slash = b.iter().rposition(|&c| c == b'/').map_or(0, |i| i + 1);
        let (name, tag) = match b[slash..].iter().rposition(|&c| c == b':') {
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The split by `str` searches the byte scans replace: (name, tag, digest).
    fn by_chars(reference: &str) -> (Option<&str>, Option<&str>, Option<&str>) {
        let (rest, digest) = match reference.split_once('@') {
            Some((r, d)) => (r, Some(d)),
            None => (reference, None),
        };
        let slash = rest.rfind('/').map_or(0, |i| i + 1);
        let (name, tag) = match rest[slash..].rfind(':') {
            Some(i) => (&rest[..slash + i], Some(&rest[slash + i + 1..])),
            None => (rest, None),
        };
        ((!name.is_empty()).then_some(name), tag, digest)
    }

    fn split(reference: &str) -> (Option<String>, Option<String>, Option<String>) {
        let i = Image::parse_reference(reference);
        let s = |t: Option<Text>| t.map(|t| t.to_string());
        assert_eq!(i.id, None);
        (s(i.name), s(i.tag), s(i.digest))
    }

    fn owned(
        p: (Option<&str>, Option<&str>, Option<&str>),
    ) -> (Option<String>, Option<String>, Option<String>) {
        let s = |t: Option<&str>| t.map(str::to_string);
        (s(p.0), s(p.1), s(p.2))
    }

    #[test]
    fn image_reference_edge_cases() {
        for r in [
            "nginx:1.27",
            "nginx",
            "",
            ":",
            "@",
            "a@b@c",
            "registry:5000/app",
            "registry:5000/app:1.2@sha256:abc",
            "docker.io/library/nginx@sha256:0123",
            "/x:",
            "caf\u{e9}/th\u{e9}:1",
            "a/b/c:d/e",
        ] {
            assert_eq!(split(r), owned(by_chars(r)), "{r}");
        }
    }

    proptest::proptest! {
        #[test]
        fn image_reference_agrees_with_str_searches(r in "[a-z0-9:/@.\u{e9}]{0,16}") {
            proptest::prop_assert_eq!(split(&r), owned(by_chars(&r)));
        }
    }
}
