//! Open enums for the event `Type` and the verb of `Action`: known values are variants, any
//! other text survives in `Other`.

use std::fmt;

macro_rules! open_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $var:ident = $s:literal,)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum $name {
            $($(#[$vm])* $var,)*
            /// A value this crate does not know, kept verbatim.
            Other(Box<str>),
        }

        impl $name {
            /// Maps the wire text to a variant (unknown text → `Other`).
            pub fn parse(s: &str) -> Self {
                match s {
                    $($s => $name::$var,)*
                    other => $name::Other(other.into()),
                }
            }

            /// The wire text.
            pub fn as_str(&self) -> &str {
                match self {
                    $($name::$var => $s,)*
                    $name::Other(s) => s,
                }
            }

            /// Every known variant, for tests and completion lists.
            pub const KNOWN: &'static [&'static str] = &[$($s,)*];
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

open_enum! {
    /// The object an event is about (`Type`).
    EventType {
        /// BuildKit cache (`builder prune`).
        Builder = "builder",
        /// Swarm config.
        Config = "config",
        /// Container.
        Container = "container",
        /// The daemon itself.
        Daemon = "daemon",
        /// Image.
        Image = "image",
        /// Network.
        Network = "network",
        /// Swarm node.
        Node = "node",
        /// Plugin.
        Plugin = "plugin",
        /// Swarm secret.
        Secret = "secret",
        /// Swarm service.
        Service = "service",
        /// Volume.
        Volume = "volume",
    }
}

open_enum! {
    /// The verb of an event `Action` (the text before `": "`).
    Action {
        /// create
        Create = "create",
        /// start
        Start = "start",
        /// restart
        Restart = "restart",
        /// stop
        Stop = "stop",
        /// pause
        Pause = "pause",
        /// unpause
        Unpause = "unpause",
        /// attach
        Attach = "attach",
        /// detach
        Detach = "detach",
        /// resize (attributes `height`, `width`)
        Resize = "resize",
        /// update
        Update = "update",
        /// rename (attribute `oldName`)
        Rename = "rename",
        /// kill (attribute `signal`)
        Kill = "kill",
        /// die (attributes `exitCode`, `execDuration`)
        Die = "die",
        /// oom
        Oom = "oom",
        /// destroy
        Destroy = "destroy",
        /// commit
        Commit = "commit",
        /// top
        Top = "top",
        /// copy
        Copy = "copy",
        /// archive-path
        ArchivePath = "archive-path",
        /// extract-to-dir
        ExtractToDir = "extract-to-dir",
        /// export
        Export = "export",
        /// checkpoint
        Checkpoint = "checkpoint",
        /// exec_create (detail: the command)
        ExecCreate = "exec_create",
        /// exec_start (detail: the command)
        ExecStart = "exec_start",
        /// exec_detach
        ExecDetach = "exec_detach",
        /// exec_die (attributes `execID`, `exitCode`)
        ExecDie = "exec_die",
        /// health_status (detail: healthy / unhealthy / running)
        HealthStatus = "health_status",
        /// prune (attribute `reclaimed`)
        Prune = "prune",
        /// pull
        Pull = "pull",
        /// push
        Push = "push",
        /// tag
        Tag = "tag",
        /// untag
        Untag = "untag",
        /// delete
        Delete = "delete",
        /// import
        Import = "import",
        /// load
        Load = "load",
        /// save
        Save = "save",
        /// mount (volume)
        Mount = "mount",
        /// unmount (volume)
        Unmount = "unmount",
        /// connect (network)
        Connect = "connect",
        /// disconnect (network)
        Disconnect = "disconnect",
        /// remove (swarm objects, plugins)
        Remove = "remove",
        /// reload (daemon)
        Reload = "reload",
        /// enable (plugin)
        Enable = "enable",
        /// disable (plugin)
        Disable = "disable",
        /// install (plugin)
        Install = "install",
        /// init (Podman)
        Init = "init",
        /// cleanup (Podman)
        Cleanup = "cleanup",
    }
}

impl Action {
    /// Whether `docker events --filter event=` matches this verb by prefix (moby#25798).
    pub fn filters_by_prefix(&self) -> bool {
        matches!(
            self,
            Action::ExecCreate | Action::ExecStart | Action::HealthStatus
        )
    }
}

/// Splits an `Action` at the first `": "` into verb and detail
/// (`exec_start: sh -c ls` → `exec_start`, `sh -c ls`).
pub fn split_action(action: &str) -> (&str, Option<&str>) {
    // `str::find` with a two-byte pattern builds a searcher per call; this runs several
    // times per event, so look for the `:` and check the space.
    let b = action.as_bytes();
    let mut from = 0;
    while let Some(i) = memchr::memchr(b':', &b[from..]).map(|i| i + from) {
        if b.get(i + 1) == Some(&b' ') {
            return (&action[..i], Some(&action[i + 2..]));
        }
        from = i + 1;
    }
    (action, None)
}
