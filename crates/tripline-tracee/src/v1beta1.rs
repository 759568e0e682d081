//! `v1beta1.Event` JSON, printed by Tracee main after v0.24.1 (PR #5066): RFC 3339
//! `timestamp`, integer `id`, `name`, `policies.matched`, `workload{process,container,k8s}`,
//! `data[]` with typed value keys, `threat`, `detected_from`.
//!
//! The marshaller flattens protobuf wrappers to plain numbers while the docs show
//! `{"value": n}` and `{seconds, nanos}`; every numeric member here accepts all those forms.

use std::borrow::Cow;

use crate::json::{self, RawJson, RawMap};
use serde::Deserialize;

/// One v1beta1 event, borrowed from its input.
#[derive(Debug, Clone, Deserialize)]
#[non_exhaustive]
pub struct V1Event<'a> {
    /// The whole input text.
    #[serde(skip)]
    pub raw: &'a str,
    /// 1-based line where the record starts (1 for single-record entry points).
    #[serde(skip)]
    pub line: u64,
    /// Byte offset of that line in the stream.
    #[serde(skip)]
    pub offset: u64,
    /// Raw `timestamp`: RFC 3339 string, `{seconds,nanos}` or integer ns. See [`V1Event::time_ns`].
    #[serde(borrow, default, deserialize_with = "json::raw_opt")]
    pub timestamp: Option<RawJson<'a>>,
    /// Raw `id`: integer (marshaller) or the enum name as a string (docs).
    #[serde(borrow, default, deserialize_with = "json::raw_opt")]
    pub id: Option<RawJson<'a>>,
    /// Event name.
    #[serde(borrow)]
    pub name: Cow<'a, str>,
    /// `policies{matched}`.
    #[serde(borrow, default)]
    pub policies: Option<Policies<'a>>,
    /// `workload{process,container,k8s}`.
    #[serde(borrow, default)]
    pub workload: Option<Workload<'a>>,
    /// `data[]`: `{name, <kind>: value}` entries.
    #[serde(borrow, default)]
    pub data: Option<Vec<RawMap<'a>>>,
    /// `threat` (detections only).
    #[serde(borrow, default)]
    pub threat: Option<Threat<'a>>,
    /// `detected_from{id,name,data,parent}`, kept raw.
    #[serde(borrow, default, deserialize_with = "json::raw_opt")]
    pub detected_from: Option<RawJson<'a>>,
}

/// `policies`.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Policies<'a> {
    /// Names of the matched policies.
    #[serde(borrow, default, deserialize_with = "json::opt_str_vec")]
    pub matched: Option<Vec<Cow<'a, str>>>,
}

/// `workload`.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Workload<'a> {
    /// The process.
    #[serde(borrow, default)]
    pub process: Option<RawMap<'a>>,
    /// The container.
    #[serde(borrow, default)]
    pub container: Option<RawMap<'a>>,
    /// Kubernetes pod and namespace.
    #[serde(borrow, default)]
    pub k8s: Option<RawMap<'a>>,
}

/// `threat`.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Threat<'a> {
    /// Description.
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub description: Option<Cow<'a, str>>,
    /// Name.
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub name: Option<Cow<'a, str>>,
    /// Raw severity: an int 0–4 (marshaller) or `"MEDIUM"` (docs). See [`Threat::severity_num`].
    #[serde(borrow, default, deserialize_with = "json::raw_opt")]
    pub severity: Option<RawJson<'a>>,
    /// `mitre{tactic{name},technique{id,name}}`, kept raw.
    #[serde(borrow, default)]
    pub mitre: Option<RawMap<'a>>,
    /// `properties`, string to string.
    #[serde(borrow, default)]
    pub properties: Option<RawMap<'a>>,
}

impl<'a> Threat<'a> {
    /// Severity 0 (INFO) … 4 (CRITICAL) from an int or the enum name.
    pub fn severity_num(&self) -> Option<i64> {
        let raw = self.severity?;
        json::flex_i64(raw).or_else(|| {
            let s = json::raw_str(raw)?;
            ["INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"]
                .iter()
                .position(|n| n.eq_ignore_ascii_case(s.trim()))
                .and_then(|p| i64::try_from(p).ok())
        })
    }

    /// `mitre.tactic.name`.
    pub fn tactic(&self) -> Option<Cow<'a, str>> {
        sub(self.mitre.as_ref()?, "tactic")?.str("name")
    }

    /// `mitre.technique.id` (`T1622`).
    pub fn technique_id(&self) -> Option<Cow<'a, str>> {
        sub(self.mitre.as_ref()?, "technique")?.str("id")
    }

    /// `mitre.technique.name`.
    pub fn technique_name(&self) -> Option<Cow<'a, str>> {
        sub(self.mitre.as_ref()?, "technique")?.str("name")
    }
}

fn sub<'a>(m: &RawMap<'a>, key: &str) -> Option<RawMap<'a>> {
    RawMap::parse(m.get(key)?)
}

/// A nested numeric member, `a.b.c`, in any of the accepted number forms.
fn path_i64(m: &RawMap<'_>, path: &[&str]) -> Option<i64> {
    let (last, init) = path.split_last()?;
    let mut cur = m.clone();
    for p in init {
        cur = sub(&cur, p)?;
    }
    json::flex_i64(cur.get(last)?)
}

fn path_str<'a>(m: &RawMap<'a>, path: &[&str]) -> Option<Cow<'a, str>> {
    let (last, init) = path.split_last()?;
    let mut cur = m.clone();
    for p in init {
        cur = sub(&cur, p)?;
    }
    cur.str(last)
}

impl<'a> V1Event<'a> {
    /// Event time in epoch ns, from an RFC 3339 string, `{seconds, nanos}` or integer ns.
    pub fn time_ns(&self) -> Option<i64> {
        let raw = self.timestamp?;
        let text = raw.get();
        if text.starts_with('"') {
            let s = json::raw_str(raw)?;
            let t = chrono::DateTime::parse_from_rfc3339(s.trim()).ok()?;
            return t.timestamp_nanos_opt();
        }
        if text.starts_with('{') {
            let m = RawMap::parse(raw)?;
            let secs = m.get("seconds").and_then(json::flex_i64).unwrap_or(0);
            let nanos = m.get("nanos").and_then(json::flex_i64).unwrap_or(0);
            return secs.checked_mul(1_000_000_000)?.checked_add(nanos);
        }
        json::flex_i64(raw)
    }

    /// The numeric event id, when given as a number.
    pub fn id_num(&self) -> Option<i64> {
        self.id.and_then(json::flex_i64)
    }

    /// `policies.matched`.
    pub fn matched_policies(&self) -> &[Cow<'a, str>] {
        self.policies
            .as_ref()
            .and_then(|p| p.matched.as_deref())
            .unwrap_or_default()
    }

    fn process(&self) -> Option<&RawMap<'a>> {
        self.workload.as_ref()?.process.as_ref()
    }

    fn container(&self) -> Option<&RawMap<'a>> {
        self.workload.as_ref()?.container.as_ref()
    }

    /// `workload.process.pid` (namespace-local).
    pub fn pid(&self) -> Option<i64> {
        path_i64(self.process()?, &["pid"])
    }

    /// `workload.process.host_pid`.
    pub fn host_pid(&self) -> Option<i64> {
        path_i64(self.process()?, &["host_pid"])
    }

    /// `workload.process.thread.tid`.
    pub fn tid(&self) -> Option<i64> {
        path_i64(self.process()?, &["thread", "tid"])
    }

    /// `workload.process.real_user.id`.
    pub fn uid(&self) -> Option<i64> {
        path_i64(self.process()?, &["real_user", "id"])
    }

    /// `workload.process.unique_id` (entity id).
    pub fn process_unique_id(&self) -> Option<u64> {
        self.process()?.get("unique_id").and_then(json::flex_u64)
    }

    /// `workload.process.thread.name` (comm).
    pub fn process_name(&self) -> Option<Cow<'a, str>> {
        path_str(self.process()?, &["thread", "name"])
    }

    /// `workload.process.thread.syscall`.
    pub fn syscall(&self) -> Option<Cow<'a, str>> {
        path_str(self.process()?, &["thread", "syscall"])
    }

    /// `workload.process.executable.path`.
    pub fn executable_path(&self) -> Option<Cow<'a, str>> {
        path_str(self.process()?, &["executable", "path"]).filter(|p| !p.is_empty())
    }

    /// `workload.process.ancestors[0].pid`, the parent.
    pub fn parent_pid(&self) -> Option<i64> {
        let raw = self.process()?.get("ancestors")?;
        let list: Vec<RawMap<'a>> = serde_json::from_str(raw.get()).ok()?;
        path_i64(list.first()?, &["pid"])
    }

    /// `workload.container.id`.
    pub fn container_id(&self) -> Option<Cow<'a, str>> {
        self.container()?.str("id").filter(|s| !s.is_empty())
    }

    /// `workload.container.name`.
    pub fn container_name(&self) -> Option<Cow<'a, str>> {
        self.container()?.str("name").filter(|s| !s.is_empty())
    }

    /// `workload.container.image.name`.
    pub fn container_image(&self) -> Option<Cow<'a, str>> {
        path_str(self.container()?, &["image", "name"]).filter(|s| !s.is_empty())
    }

    /// `workload.k8s.pod.name`.
    pub fn pod_name(&self) -> Option<Cow<'a, str>> {
        path_str(self.workload.as_ref()?.k8s.as_ref()?, &["pod", "name"])
    }

    /// `workload.k8s.namespace.name`.
    pub fn pod_namespace(&self) -> Option<Cow<'a, str>> {
        path_str(
            self.workload.as_ref()?.k8s.as_ref()?,
            &["namespace", "name"],
        )
    }

    /// The `data[]` entry named `name`: its kind key (`str`, `int32`, `str_array`, …) and raw value.
    pub fn data(&self, name: &str) -> Option<(Cow<'a, str>, RawJson<'a>)> {
        let entry = self
            .data
            .as_ref()?
            .iter()
            .find(|d| d.str("name").as_deref() == Some(name))?;
        entry
            .0
            .iter()
            .find(|(k, _)| k != "name")
            .map(|(k, v)| (k.clone(), *v))
    }

    /// A string data value (`str` kind, or any string).
    pub fn data_str(&self, name: &str) -> Option<Cow<'a, str>> {
        json::raw_str(self.data(name)?.1)
    }

    /// An integer data value (`int32`, `int64` written as a string, `u_int32`, …).
    pub fn data_i64(&self, name: &str) -> Option<i64> {
        json::flex_i64(self.data(name)?.1)
    }

    /// A string-array data value: `str_array` as `[..]` or `{"value":[..]}`.
    pub fn data_str_list(&self, name: &str) -> Option<Vec<Cow<'a, str>>> {
        let raw = self.data(name)?.1;
        if raw.get().starts_with('{') {
            return json::raw_str_list(RawMap::parse(raw)?.get("value")?);
        }
        json::raw_str_list(raw)
    }

    /// The names of all `data[]` entries, in order.
    pub fn data_names(&self) -> Vec<Cow<'a, str>> {
        self.data
            .iter()
            .flatten()
            .filter_map(|d| d.str("name"))
            .collect()
    }
}
