//! uid/gid → name lookups for logs without ENRICHED names.
//!
//! ausearch asks the local NSS (in practice `/etc/passwd` and `/etc/group`), so names depend
//! on the machine reading the log. [`SystemResolver`] does the same by reading those files
//! once; [`MapResolver`] gives fixed answers for tests and for replaying logs of another host.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Maps numeric ids to names; `None` means "no such user/group" (printed `unknown(N)`).
pub trait Resolver: Send + Sync {
    /// The user name of `uid`.
    fn user_name(&self, uid: u32) -> Option<String>;
    /// The group name of `gid`.
    fn group_name(&self, gid: u32) -> Option<String>;
}

/// Reads `passwd`/`group` files (default `/etc/passwd`, `/etc/group`) on first use, like the
/// NSS `files` backend ausearch uses; the first entry for an id wins.
#[derive(Debug)]
pub struct SystemResolver {
    passwd: PathBuf,
    group: PathBuf,
    users: OnceLock<HashMap<u32, String>>,
    groups: OnceLock<HashMap<u32, String>>,
}

impl Default for SystemResolver {
    fn default() -> Self {
        SystemResolver::with_files("/etc/passwd", "/etc/group")
    }
}

impl SystemResolver {
    /// A resolver over other `passwd`/`group` files (e.g. a container image's).
    pub fn with_files(passwd: impl AsRef<Path>, group: impl AsRef<Path>) -> Self {
        SystemResolver {
            passwd: passwd.as_ref().to_path_buf(),
            group: group.as_ref().to_path_buf(),
            users: OnceLock::new(),
            groups: OnceLock::new(),
        }
    }
}

/// Parses `name:x:ID:...` lines; unreadable files give an empty map.
fn load(path: &Path) -> HashMap<u32, String> {
    let text = std::fs::read(path)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or_default();
    parse_db(&text)
}

/// Parses passwd/group text: the first entry per id wins.
pub(crate) fn parse_db(text: &str) -> HashMap<u32, String> {
    let mut map = HashMap::new();
    for line in text.lines() {
        if line.starts_with('#') {
            continue;
        }
        let mut parts = line.split(':');
        let (Some(name), Some(_), Some(id)) = (parts.next(), parts.next(), parts.next()) else {
            continue;
        };
        if name.is_empty() || name.starts_with('+') || name.starts_with('-') {
            continue;
        }
        if let Ok(id) = id.trim().parse::<u32>() {
            map.entry(id).or_insert_with(|| name.to_string());
        }
    }
    map
}

impl Resolver for SystemResolver {
    fn user_name(&self, uid: u32) -> Option<String> {
        self.users
            .get_or_init(|| load(&self.passwd))
            .get(&uid)
            .cloned()
    }

    fn group_name(&self, gid: u32) -> Option<String> {
        self.groups
            .get_or_init(|| load(&self.group))
            .get(&gid)
            .cloned()
    }
}

/// Fixed id → name maps.
#[derive(Debug, Clone, Default)]
pub struct MapResolver {
    /// uid → user name.
    pub users: HashMap<u32, String>,
    /// gid → group name.
    pub groups: HashMap<u32, String>,
}

impl MapResolver {
    /// An empty resolver: every id other than 0 is `unknown(N)`.
    pub fn new() -> Self {
        MapResolver::default()
    }

    /// Adds a user.
    pub fn user(mut self, uid: u32, name: &str) -> Self {
        self.users.insert(uid, name.to_string());
        self
    }

    /// Adds a group.
    pub fn group(mut self, gid: u32, name: &str) -> Self {
        self.groups.insert(gid, name.to_string());
        self
    }

    /// Builds the maps from `passwd`- and `group`-format text.
    pub fn from_db_text(passwd: &str, group: &str) -> Self {
        MapResolver {
            users: parse_db(passwd),
            groups: parse_db(group),
        }
    }
}

impl Resolver for MapResolver {
    fn user_name(&self, uid: u32) -> Option<String> {
        self.users.get(&uid).cloned()
    }

    fn group_name(&self, gid: u32) -> Option<String> {
        self.groups.get(&gid).cloned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_passwd_format_first_wins() {
        let r = MapResolver::from_db_text(
            "root:x:0:0:root:/root:/bin/bash\n# c\nbob:x:1000:1000::/h:/s\nalias:x:1000:1:::\nbad\n",
            "root:x:0:\ndocker:x:999:bob\n",
        );
        assert_eq!(r.user_name(1000).as_deref(), Some("bob"));
        assert_eq!(r.user_name(5), None);
        assert_eq!(r.group_name(999).as_deref(), Some("docker"));
    }

    #[test]
    fn missing_files_resolve_nothing() {
        let r = SystemResolver::with_files("/nonexistent/passwd", "/nonexistent/group");
        assert_eq!(r.user_name(0), None);
        assert_eq!(r.group_name(0), None);
    }
}
