//! `docker container inspect` output → [`ContainerInfo`], and the [`EnrichmentCache`] other
//! sources look containers up in (Tracee gives full ids, Falco 12-char ids, auditd a pid).

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use serde::Deserialize;

use crate::events::record::{EventRecord, Trust};
use crate::{Error, Timestamp};

/// One mount of the container.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mount {
    /// `bind`, `volume`, `tmpfs`…
    pub kind: String,
    /// Volume name (volumes only).
    pub name: Option<String>,
    /// Host path or volume path.
    pub source: String,
    /// Path inside the container.
    pub destination: String,
    /// Whether writable.
    pub rw: bool,
    /// Mode string (`z`, `ro`…).
    pub mode: String,
    /// Propagation (`rprivate`…).
    pub propagation: String,
}

/// The security- and identity-relevant part of an inspect record.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ContainerInfo {
    /// Full 64-hex id.
    pub id: String,
    /// Name without the leading `/`.
    pub name: String,
    /// `Config.Image`: the reference as the user gave it (what events carry).
    pub image: String,
    /// `Image`: the image id (`sha256:…`).
    pub image_id: String,
    /// `Config.Labels`.
    pub labels: BTreeMap<String, String>,
    /// Names of `Config.Env` variables (values are often secrets and are not kept).
    pub env_keys: Vec<String>,
    /// `Config.User`.
    pub user: String,
    /// `Config.Hostname`.
    pub hostname: String,
    /// `Config.Tty`.
    pub tty: bool,
    /// `Path` + `Args`.
    pub command: Vec<String>,
    /// `Created`.
    pub created: Option<Timestamp>,
    /// `HostConfig.Privileged`.
    pub privileged: bool,
    /// `HostConfig.CapAdd`.
    pub cap_add: Vec<String>,
    /// `HostConfig.CapDrop`.
    pub cap_drop: Vec<String>,
    /// `HostConfig.SecurityOpt`.
    pub security_opt: Vec<String>,
    /// `HostConfig.PidMode`.
    pub pid_mode: String,
    /// `HostConfig.IpcMode`.
    pub ipc_mode: String,
    /// `HostConfig.NetworkMode`.
    pub network_mode: String,
    /// `HostConfig.UsernsMode`.
    pub userns_mode: String,
    /// `HostConfig.CgroupnsMode`.
    pub cgroupns_mode: String,
    /// `HostConfig.ReadonlyRootfs`.
    pub readonly_rootfs: bool,
    /// `HostConfig.Runtime`.
    pub runtime: String,
    /// `HostConfig.Binds`.
    pub binds: Vec<String>,
    /// `HostConfig.Devices` (`PathOnHost:PathInContainer`).
    pub devices: Vec<String>,
    /// `Mounts`.
    pub mounts: Vec<Mount>,
    /// `LogPath` (json-file only).
    pub log_path: String,
    /// `HostConfig.LogConfig.Type`.
    pub log_driver: String,
    /// `State.Status`.
    pub status: String,
    /// `State.Running`.
    pub running: bool,
    /// `State.Pid` (0 when stopped).
    pub pid: u32,
    /// `State.ExitCode`.
    pub exit_code: i64,
    /// `State.OOMKilled`.
    pub oom_killed: bool,
    /// `State.StartedAt`.
    pub started_at: Option<Timestamp>,
    /// `State.FinishedAt` (`None` for Go's zero time).
    pub finished_at: Option<Timestamp>,
    /// `State.Health.Status`.
    pub health: Option<String>,
    /// `AppArmorProfile`.
    pub apparmor_profile: String,
    /// IP addresses per network.
    pub ip_addresses: BTreeMap<String, String>,
}

impl ContainerInfo {
    /// The first 12 characters of the id, as `docker ps` and Falco print it.
    pub fn short_id(&self) -> &str {
        &self.id[..self.id.len().min(12)]
    }

    /// `com.docker.compose.project`.
    pub fn compose_project(&self) -> Option<&str> {
        self.labels
            .get("com.docker.compose.project")
            .map(String::as_str)
    }

    /// `com.docker.compose.service`.
    pub fn compose_service(&self) -> Option<&str> {
        self.labels
            .get("com.docker.compose.service")
            .map(String::as_str)
    }

    /// An event attribute checked against this container's labels, with `exitCode`
    /// corrected from `State.ExitCode` when a label overwrote it (and the container has
    /// exited). Returns the value to believe and how far.
    pub fn check_attribute<'e>(
        &'e self,
        ev: &'e EventRecord<'_>,
        key: &str,
    ) -> Option<(std::borrow::Cow<'e, str>, Trust)> {
        let v = ev.attr(key)?;
        let trust = ev.attribute_trust(key, Some(&self.labels));
        if trust == Trust::Overwritten && key == "exitCode" && !self.running {
            return Some((
                std::borrow::Cow::Owned(self.exit_code.to_string()),
                Trust::Verified,
            ));
        }
        Some((std::borrow::Cow::Borrowed(v), trust))
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawMount {
    #[serde(rename = "Type")]
    kind: Option<String>,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "Source")]
    source: Option<String>,
    #[serde(rename = "Destination")]
    destination: Option<String>,
    #[serde(rename = "RW")]
    rw: Option<bool>,
    #[serde(rename = "Mode")]
    mode: Option<String>,
    #[serde(rename = "Propagation")]
    propagation: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawConfig {
    #[serde(rename = "Image")]
    image: Option<String>,
    #[serde(rename = "Labels")]
    labels: Option<BTreeMap<String, String>>,
    #[serde(rename = "Env")]
    env: Option<Vec<String>>,
    #[serde(rename = "User")]
    user: Option<String>,
    #[serde(rename = "Hostname")]
    hostname: Option<String>,
    #[serde(rename = "Tty")]
    tty: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawLogConfig {
    #[serde(rename = "Type")]
    kind: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawDevice {
    #[serde(rename = "PathOnHost")]
    host: Option<String>,
    #[serde(rename = "PathInContainer")]
    container: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawHostConfig {
    #[serde(rename = "Privileged")]
    privileged: Option<bool>,
    #[serde(rename = "CapAdd")]
    cap_add: Option<Vec<String>>,
    #[serde(rename = "CapDrop")]
    cap_drop: Option<Vec<String>>,
    #[serde(rename = "SecurityOpt")]
    security_opt: Option<Vec<String>>,
    #[serde(rename = "PidMode")]
    pid_mode: Option<String>,
    #[serde(rename = "IpcMode")]
    ipc_mode: Option<String>,
    #[serde(rename = "NetworkMode")]
    network_mode: Option<String>,
    #[serde(rename = "UsernsMode")]
    userns_mode: Option<String>,
    #[serde(rename = "CgroupnsMode")]
    cgroupns_mode: Option<String>,
    #[serde(rename = "ReadonlyRootfs")]
    readonly_rootfs: Option<bool>,
    #[serde(rename = "Runtime")]
    runtime: Option<String>,
    #[serde(rename = "Binds")]
    binds: Option<Vec<String>>,
    #[serde(rename = "Devices")]
    devices: Option<Vec<RawDevice>>,
    #[serde(rename = "LogConfig")]
    log_config: Option<RawLogConfig>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawHealth {
    #[serde(rename = "Status")]
    status: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawState {
    #[serde(rename = "Status")]
    status: Option<String>,
    #[serde(rename = "Running")]
    running: Option<bool>,
    #[serde(rename = "Pid")]
    pid: Option<u32>,
    #[serde(rename = "ExitCode")]
    exit_code: Option<i64>,
    #[serde(rename = "OOMKilled")]
    oom_killed: Option<bool>,
    #[serde(rename = "StartedAt")]
    started_at: Option<String>,
    #[serde(rename = "FinishedAt")]
    finished_at: Option<String>,
    #[serde(rename = "Health")]
    health: Option<RawHealth>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawNetwork {
    #[serde(rename = "IPAddress")]
    ip: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawNetworkSettings {
    #[serde(rename = "Networks")]
    networks: Option<BTreeMap<String, RawNetwork>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RawInspect {
    #[serde(rename = "Id")]
    id: Option<String>,
    #[serde(rename = "Name")]
    name: Option<String>,
    #[serde(rename = "Image")]
    image: Option<String>,
    #[serde(rename = "Created")]
    created: Option<String>,
    #[serde(rename = "Path")]
    path: Option<String>,
    #[serde(rename = "Args")]
    args: Option<Vec<String>>,
    #[serde(rename = "Config")]
    config: Option<RawConfig>,
    #[serde(rename = "HostConfig")]
    host_config: Option<RawHostConfig>,
    #[serde(rename = "State")]
    state: Option<RawState>,
    #[serde(rename = "Mounts")]
    mounts: Option<Vec<RawMount>>,
    #[serde(rename = "LogPath")]
    log_path: Option<String>,
    #[serde(rename = "AppArmorProfile")]
    apparmor_profile: Option<String>,
    #[serde(rename = "NetworkSettings")]
    network_settings: Option<RawNetworkSettings>,
}

fn time_opt(s: Option<String>) -> Option<Timestamp> {
    let t = Timestamp::parse(s.as_deref()?).ok()?;
    (t.secs > -62_135_596_800).then_some(t)
}

impl ContainerInfo {
    fn from_raw(r: RawInspect) -> Result<Self, Error> {
        let id =
            r.id.filter(|s| !s.is_empty())
                .ok_or_else(|| Error::format("docker inspect (no Id)", b""))?;
        let cfg = r.config.unwrap_or_default();
        let hc = r.host_config.unwrap_or_default();
        let st = r.state.unwrap_or_default();
        let mut command: Vec<String> = r.path.into_iter().filter(|p| !p.is_empty()).collect();
        command.extend(r.args.unwrap_or_default());
        Ok(ContainerInfo {
            id,
            name: r
                .name
                .unwrap_or_default()
                .trim_start_matches('/')
                .to_owned(),
            image: cfg.image.unwrap_or_default(),
            image_id: r.image.unwrap_or_default(),
            labels: cfg.labels.unwrap_or_default(),
            env_keys: cfg
                .env
                .unwrap_or_default()
                .into_iter()
                .map(|e| e.split('=').next().unwrap_or("").to_owned())
                .collect(),
            user: cfg.user.unwrap_or_default(),
            hostname: cfg.hostname.unwrap_or_default(),
            tty: cfg.tty.unwrap_or(false),
            command,
            created: time_opt(r.created),
            privileged: hc.privileged.unwrap_or(false),
            cap_add: hc.cap_add.unwrap_or_default(),
            cap_drop: hc.cap_drop.unwrap_or_default(),
            security_opt: hc.security_opt.unwrap_or_default(),
            pid_mode: hc.pid_mode.unwrap_or_default(),
            ipc_mode: hc.ipc_mode.unwrap_or_default(),
            network_mode: hc.network_mode.unwrap_or_default(),
            userns_mode: hc.userns_mode.unwrap_or_default(),
            cgroupns_mode: hc.cgroupns_mode.unwrap_or_default(),
            readonly_rootfs: hc.readonly_rootfs.unwrap_or(false),
            runtime: hc.runtime.unwrap_or_default(),
            binds: hc.binds.unwrap_or_default(),
            devices: hc
                .devices
                .unwrap_or_default()
                .into_iter()
                .map(|d| {
                    format!(
                        "{}:{}",
                        d.host.unwrap_or_default(),
                        d.container.unwrap_or_default()
                    )
                })
                .collect(),
            mounts: r
                .mounts
                .unwrap_or_default()
                .into_iter()
                .map(|m| Mount {
                    kind: m.kind.unwrap_or_default(),
                    name: m.name,
                    source: m.source.unwrap_or_default(),
                    destination: m.destination.unwrap_or_default(),
                    rw: m.rw.unwrap_or(false),
                    mode: m.mode.unwrap_or_default(),
                    propagation: m.propagation.unwrap_or_default(),
                })
                .collect(),
            log_path: r.log_path.unwrap_or_default(),
            log_driver: hc.log_config.and_then(|l| l.kind).unwrap_or_default(),
            status: st.status.unwrap_or_default(),
            running: st.running.unwrap_or(false),
            pid: st.pid.unwrap_or(0),
            exit_code: st.exit_code.unwrap_or(0),
            oom_killed: st.oom_killed.unwrap_or(false),
            started_at: time_opt(st.started_at),
            finished_at: time_opt(st.finished_at),
            health: st.health.and_then(|h| h.status),
            apparmor_profile: r.apparmor_profile.unwrap_or_default(),
            ip_addresses: r
                .network_settings
                .and_then(|n| n.networks)
                .unwrap_or_default()
                .into_iter()
                .filter_map(|(k, v)| v.ip.filter(|s| !s.is_empty()).map(|ip| (k, ip)))
                .collect(),
        })
    }
}

/// Parses `docker container inspect` output: one object or an array of objects.
pub fn parse_inspect(s: &str) -> Result<Vec<ContainerInfo>, Error> {
    let t = s.trim_start();
    if t.starts_with('[') {
        let raws: Vec<RawInspect> =
            serde_json::from_str(t).map_err(|e| Error::json(&e, t.as_bytes()))?;
        raws.into_iter().map(ContainerInfo::from_raw).collect()
    } else {
        let raw: RawInspect = serde_json::from_str(t).map_err(|e| Error::json(&e, t.as_bytes()))?;
        Ok(vec![ContainerInfo::from_raw(raw)?])
    }
}

/// Container lookup by full id, any unique id prefix of ≥ 12 characters, name (with or
/// without `/`), or pid. Bounded: past `capacity` the oldest entry is evicted (counted).
#[derive(Debug, Clone)]
pub struct EnrichmentCache {
    by_id: BTreeMap<String, Arc<ContainerInfo>>,
    by_name: HashMap<String, String>,
    by_pid: HashMap<u32, String>,
    order: std::collections::VecDeque<String>,
    capacity: usize,
    /// Entries evicted because of `capacity`.
    pub evicted: u64,
}

impl Default for EnrichmentCache {
    fn default() -> Self {
        Self::new(65_536)
    }
}

impl EnrichmentCache {
    /// A cache holding at most `capacity` containers (default 65 536).
    pub fn new(capacity: usize) -> Self {
        EnrichmentCache {
            by_id: BTreeMap::new(),
            by_name: HashMap::new(),
            by_pid: HashMap::new(),
            order: std::collections::VecDeque::new(),
            capacity: capacity.max(1),
            evicted: 0,
        }
    }

    /// Adds or replaces a container.
    pub fn insert(&mut self, info: ContainerInfo) {
        let id = info.id.clone();
        if let Some(old) = self.by_id.remove(&id) {
            self.unindex(&old);
            self.order.retain(|x| x != &id);
        }
        while self.by_id.len() >= self.capacity {
            let Some(oldest) = self.order.pop_front() else {
                break;
            };
            if let Some(old) = self.by_id.remove(&oldest) {
                self.unindex(&old);
                self.evicted += 1;
            }
        }
        if !info.name.is_empty() {
            self.by_name.insert(info.name.clone(), id.clone());
        }
        if info.pid != 0 {
            self.by_pid.insert(info.pid, id.clone());
        }
        self.order.push_back(id.clone());
        self.by_id.insert(id, Arc::new(info));
    }

    /// Adds every container of an inspect document.
    pub fn insert_inspect(&mut self, json: &str) -> Result<usize, Error> {
        let v = parse_inspect(json)?;
        let n = v.len();
        for i in v {
            self.insert(i);
        }
        Ok(n)
    }

    fn unindex(&mut self, info: &ContainerInfo) {
        if self.by_name.get(&info.name) == Some(&info.id) {
            self.by_name.remove(&info.name);
        }
        if self.by_pid.get(&info.pid) == Some(&info.id) {
            self.by_pid.remove(&info.pid);
        }
    }

    /// Removes a container (after `destroy`), by any key [`EnrichmentCache::get`] accepts.
    pub fn remove(&mut self, key: &str) -> Option<Arc<ContainerInfo>> {
        let id = self.get(key)?.id.clone();
        let info = self.by_id.remove(&id)?;
        self.unindex(&info);
        self.order.retain(|x| x != &id);
        Some(info)
    }

    /// Looks up by full id, unique id prefix (≥ 12 chars), or name (leading `/` ignored).
    pub fn get(&self, key: &str) -> Option<&Arc<ContainerInfo>> {
        if let Some(i) = self.by_id.get(key) {
            return Some(i);
        }
        let name = key.strip_prefix('/').unwrap_or(key);
        if let Some(id) = self.by_name.get(name) {
            return self.by_id.get(id);
        }
        if key.len() >= 12 && key.bytes().all(|c| c.is_ascii_hexdigit()) {
            let mut it = self
                .by_id
                .range::<str, _>((std::ops::Bound::Included(key), std::ops::Bound::Unbounded))
                .take_while(|(k, _)| k.starts_with(key));
            let first = it.next()?;
            if it.next().is_none() {
                return Some(first.1);
            }
        }
        None
    }

    /// Looks up by the container's main pid (`State.Pid`).
    pub fn by_pid(&self, pid: u32) -> Option<&Arc<ContainerInfo>> {
        self.by_id.get(self.by_pid.get(&pid)?)
    }

    /// Number of containers held.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// Whether empty.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
    }
}
