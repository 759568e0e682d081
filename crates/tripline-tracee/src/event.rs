//! `trace.Event`, the JSON every Tracee release from v0.8 to v0.24 prints, in all three of
//! its shapes: flat container fields (v0.8–v0.12), `container{}`/`kubernetes{}` objects
//! (v0.13–v0.17) and the v0.18+ form with `containerId` beside `container{}`, `executable`
//! and entity ids. One struct holds all keys; accessors merge the shapes.

use std::borrow::Cow;

use serde::Deserialize;

use crate::arg::{Arg, ArgValue, Sockaddr};
use crate::json::{self, RawMap};
use crate::{Error, Settings};

/// First event id Tracee allocates to signatures (`StartSignatureID`).
pub const SIGNATURE_ID_MIN: i64 = 6000;
/// Last event id Tracee allocates to signatures (`MaxSignatureID`).
pub const SIGNATURE_ID_MAX: i64 = 6999;

/// One Tracee `trace.Event`, borrowed from its line.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct TraceEvent<'a> {
    /// The whole input line.
    #[serde(skip)]
    pub raw: &'a str,
    /// 1-based line where the record starts (1 for single-record entry points).
    #[serde(skip)]
    pub line: u64,
    /// Byte offset of that line in the stream.
    #[serde(skip)]
    pub offset: u64,
    /// Event time in ns (epoch, or since Tracee start with `relative-time`).
    #[serde(default)]
    pub timestamp: Option<i64>,
    /// Thread start time, same clock as `timestamp` (monotonic in v0.8-era files).
    #[serde(default)]
    pub thread_start_time: Option<i64>,
    /// CPU the event was recorded on.
    #[serde(default)]
    pub processor_id: Option<i64>,
    /// PID in the task's PID namespace.
    #[serde(default)]
    pub process_id: Option<i64>,
    /// cgroup v2 id.
    #[serde(default)]
    pub cgroup_id: Option<u64>,
    /// TID in the task's PID namespace.
    #[serde(default)]
    pub thread_id: Option<i64>,
    /// Parent PID in the task's PID namespace.
    #[serde(default)]
    pub parent_process_id: Option<i64>,
    /// PID in the host's PID namespace.
    #[serde(default)]
    pub host_process_id: Option<i64>,
    /// TID in the host's PID namespace.
    #[serde(default)]
    pub host_thread_id: Option<i64>,
    /// Parent PID in the host's PID namespace.
    #[serde(default)]
    pub host_parent_process_id: Option<i64>,
    /// Real UID.
    #[serde(default)]
    pub user_id: Option<i64>,
    /// Mount namespace inode.
    #[serde(default)]
    pub mount_namespace: Option<u64>,
    /// PID namespace inode.
    #[serde(default)]
    pub pid_namespace: Option<u64>,
    /// `comm` (≤ 15 bytes).
    #[serde(borrow, default)]
    pub process_name: Cow<'a, str>,
    /// `executable{path}` (v0.18+; often empty).
    #[serde(borrow, default)]
    pub executable: Option<Executable<'a>>,
    /// UTS name of the task (the container's hostname inside containers).
    #[serde(borrow, default)]
    pub host_name: Cow<'a, str>,
    /// `containerId` (v0.8–v0.12 and v0.15+; `""` on the host).
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub container_id: Option<Cow<'a, str>>,
    /// Flat `containerImage` (v0.8–v0.12).
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub container_image: Option<Cow<'a, str>>,
    /// Flat `containerName` (v0.8–v0.12).
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub container_name: Option<Cow<'a, str>>,
    /// Flat `podName` (v0.8–v0.12).
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub pod_name: Option<Cow<'a, str>>,
    /// Flat `podNamespace` (v0.8–v0.12).
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub pod_namespace: Option<Cow<'a, str>>,
    /// Flat `podUID` (v0.8–v0.12).
    #[serde(borrow, default, rename = "podUID", deserialize_with = "json::opt_str")]
    pub pod_uid: Option<Cow<'a, str>>,
    /// Flat `podSandbox` (v0.11–v0.12).
    #[serde(default)]
    pub pod_sandbox: Option<bool>,
    /// `container{id,name,image,imageDigest}` (v0.13+).
    #[serde(borrow, default)]
    pub container: Option<ContainerInfo<'a>>,
    /// `kubernetes{podName,podNamespace,podUID,podSandbox}` (v0.13+).
    #[serde(borrow, default)]
    pub kubernetes: Option<KubernetesInfo<'a>>,
    /// Event id; Tracee writes it as a string. Signatures get 6000–6999, allocated at start.
    #[serde(default, deserialize_with = "json::int_or_string")]
    pub event_id: Option<i64>,
    /// Event name (`sched_process_exec`, `anti_debugging`; a signature's human name before v0.13).
    #[serde(borrow)]
    pub event_name: Cow<'a, str>,
    /// Names of the policies that matched (v0.13+; `[""]` for CLI scopes).
    #[serde(borrow, default, deserialize_with = "json::opt_str_vec")]
    pub matched_policies: Option<Vec<Cow<'a, str>>>,
    /// Matched scopes bitmap (v0.11–v0.12).
    #[serde(default)]
    pub matched_scopes: Option<u64>,
    /// Number of args.
    #[serde(default)]
    pub args_num: Option<i64>,
    /// Return value of the syscall or hook.
    #[serde(default)]
    pub return_value: Option<i64>,
    /// Syscall that triggered the event (v0.11+; may be `""`).
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub syscall: Option<Cow<'a, str>>,
    /// User stack addresses (`null` unless `stack-addresses` is on).
    #[serde(default)]
    pub stack_addresses: Option<Vec<u64>>,
    /// `contextFlags{containerStarted,isCompat}` (v0.10+).
    #[serde(default)]
    pub context_flags: Option<ContextFlags>,
    /// Thread entity id (v0.18+): hash of start time and tid.
    #[serde(default)]
    pub thread_entity_id: Option<u64>,
    /// Process entity id (v0.18+): a stable process key.
    #[serde(default)]
    pub process_entity_id: Option<u64>,
    /// Parent's process entity id (v0.18+).
    #[serde(default)]
    pub parent_entity_id: Option<u64>,
    /// Arguments, in the event definition's order (random order for signature data).
    #[serde(borrow, default, deserialize_with = "args_or_null")]
    pub args: Vec<Arg<'a>>,
    /// Signature metadata (signature events from v0.12).
    #[serde(borrow, default)]
    pub metadata: Option<Metadata<'a>>,
}

fn args_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<Arg<'de>>, D::Error> {
    use serde::de::{self, SeqAccess, Visitor};
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<Arg<'de>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a list of arguments or null")
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
        fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_seq(self)
        }
        fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Self::Value, S::Error> {
            // Most events have a handful of args; start with room for them instead of
            // growing 0 → 4 → 8.
            let mut out = Vec::with_capacity(s.size_hint().unwrap_or(8).min(64));
            while let Some(a) = s.next_element()? {
                out.push(a);
            }
            Ok(out)
        }
    }
    d.deserialize_option(V)
}

/// `executable{path}`.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Executable<'a> {
    /// Path of the executable (`""` when unknown).
    #[serde(borrow, default)]
    pub path: Cow<'a, str>,
}

/// `container{…}`; every member is omitempty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ContainerInfo<'a> {
    /// Container id (64 hex).
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub id: Option<Cow<'a, str>>,
    /// Container name.
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub name: Option<Cow<'a, str>>,
    /// Image reference.
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub image: Option<Cow<'a, str>>,
    /// Image digest.
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub image_digest: Option<Cow<'a, str>>,
}

/// `kubernetes{…}`; every member is omitempty.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct KubernetesInfo<'a> {
    /// Pod name.
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub pod_name: Option<Cow<'a, str>>,
    /// Pod namespace.
    #[serde(borrow, default, deserialize_with = "json::opt_str")]
    pub pod_namespace: Option<Cow<'a, str>>,
    /// Pod UID.
    #[serde(borrow, default, rename = "podUID", deserialize_with = "json::opt_str")]
    pub pod_uid: Option<Cow<'a, str>>,
    /// Whether the container is the pod's sandbox (pause) container.
    #[serde(default)]
    pub pod_sandbox: Option<bool>,
}

/// `contextFlags`.
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct ContextFlags {
    /// The task runs in a started container.
    #[serde(default)]
    pub container_started: Option<bool>,
    /// A 32-bit syscall on a 64-bit kernel.
    #[serde(default)]
    pub is_compat: Option<bool>,
}

/// Where the event happened, from `contextFlags` and the container id (Tracee's `Origin()`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Origin {
    /// Outside any container.
    Host,
    /// In a container that is still being set up.
    ContainerInit,
    /// In a started container.
    Container,
}

/// Signature metadata; the keys are capitalized because the Go struct has no JSON tags.
#[derive(Debug, Clone, Default, Deserialize)]
#[non_exhaustive]
pub struct Metadata<'a> {
    /// Signature version.
    #[serde(
        rename = "Version",
        borrow,
        default,
        deserialize_with = "json::opt_str"
    )]
    pub version: Option<Cow<'a, str>>,
    /// What the signature detects.
    #[serde(
        rename = "Description",
        borrow,
        default,
        deserialize_with = "json::opt_str"
    )]
    pub description: Option<Cow<'a, str>>,
    /// Tags (usually `null`).
    #[serde(
        rename = "Tags",
        borrow,
        default,
        deserialize_with = "json::opt_str_vec"
    )]
    pub tags: Option<Vec<Cow<'a, str>>>,
    /// Properties, values kept raw (any key may be `null`).
    #[serde(rename = "Properties", borrow, default)]
    pub properties: Option<Properties<'a>>,
}

/// `metadata.Properties`: `Severity` 0–4, `Category`, `Technique`, `Kubernetes_Technique`,
/// `external_id`, `id`, `signatureID`, `signatureName`, plus whatever a signature adds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(transparent)]
pub struct Properties<'a>(#[serde(borrow)] pub RawMap<'a>);

impl<'a> Properties<'a> {
    /// A string property; `None` when absent, `null` or not a string.
    pub fn str(&self, key: &str) -> Option<Cow<'a, str>> {
        self.0.str(key)
    }

    /// `Severity`, 0 (info) to 4 (critical); numeric strings accepted.
    pub fn severity(&self) -> Option<i64> {
        self.0.get("Severity").and_then(json::flex_i64)
    }

    /// `signatureID` (`TRC-102`).
    pub fn signature_id(&self) -> Option<Cow<'a, str>> {
        self.str("signatureID")
    }

    /// `signatureName`.
    pub fn signature_name(&self) -> Option<Cow<'a, str>> {
        self.str("signatureName")
    }

    /// `Category`: the ATT&CK tactic in kebab case (`defense-evasion`).
    pub fn category(&self) -> Option<Cow<'a, str>> {
        self.str("Category")
    }

    /// `Technique`: the ATT&CK technique name.
    pub fn technique(&self) -> Option<Cow<'a, str>> {
        self.str("Technique")
    }

    /// `Kubernetes_Technique`.
    pub fn kubernetes_technique(&self) -> Option<Cow<'a, str>> {
        self.str("Kubernetes_Technique")
    }

    /// `external_id`: the ATT&CK technique id (`T1622`).
    pub fn external_id(&self) -> Option<Cow<'a, str>> {
        self.str("external_id")
    }

    /// `id`: the STIX attack-pattern id.
    pub fn attack_pattern_id(&self) -> Option<Cow<'a, str>> {
        self.str("id")
    }

    /// The raw members, in input order.
    pub fn raw(&self) -> &RawMap<'a> {
        &self.0
    }
}

/// The `triggeredBy` argument of a signature event: the event that fired it.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct TriggeredBy<'a> {
    #[serde(default, deserialize_with = "json::int_or_string")]
    id: Option<i64>,
    #[serde(borrow, default)]
    name: Cow<'a, str>,
    #[serde(borrow, default, deserialize_with = "args_or_null")]
    args: Vec<Arg<'a>>,
    #[serde(default)]
    return_value: Option<i64>,
}

impl<'a> TraceEvent<'a> {
    /// The argument named `name`.
    pub fn arg(&self, name: &str) -> Option<&Arg<'a>> {
        self.args.iter().find(|a| a.name == name)
    }

    /// A string argument (`arg_str("pathname")`).
    pub fn arg_str(&self, name: &str) -> Option<Cow<'a, str>> {
        self.arg(name)?.as_str()
    }

    /// An integer argument; numeric strings and hex pointers accepted.
    pub fn arg_i64(&self, name: &str) -> Option<i64> {
        self.arg(name)?.as_i64()
    }

    /// An unsigned integer argument.
    pub fn arg_u64(&self, name: &str) -> Option<u64> {
        self.arg(name)?.as_u64()
    }

    /// A boolean argument.
    pub fn arg_bool(&self, name: &str) -> Option<bool> {
        self.arg(name)?.as_bool()
    }

    /// A string-list argument (`argv`); `null` gives an empty list.
    pub fn arg_str_list(&self, name: &str) -> Option<Vec<Cow<'a, str>>> {
        self.arg(name)?.as_str_list()
    }

    /// A `bytes` argument, base64-decoded.
    pub fn arg_bytes(&self, name: &str) -> Option<Vec<u8>> {
        self.arg(name)?.as_bytes()
    }

    /// A `struct sockaddr*` argument.
    pub fn arg_sockaddr(&self, name: &str) -> Option<Sockaddr<'a>> {
        self.arg(name)?.as_sockaddr()
    }

    /// Any argument fully decoded.
    pub fn arg_value(&self, name: &str) -> Option<ArgValue<'a>> {
        self.arg(name)?.value()
    }

    /// The container id from whichever shape carries it; `None` on the host.
    pub fn container_id(&self) -> Option<&str> {
        nonempty(self.container_id.as_deref())
            .or_else(|| nonempty(self.container.as_ref()?.id.as_deref()))
    }

    /// The container name (`container.name` or flat `containerName`).
    pub fn container_name(&self) -> Option<&str> {
        nonempty(self.container.as_ref().and_then(|c| c.name.as_deref()))
            .or_else(|| nonempty(self.container_name.as_deref()))
    }

    /// The container image (`container.image` or flat `containerImage`).
    pub fn container_image(&self) -> Option<&str> {
        nonempty(self.container.as_ref().and_then(|c| c.image.as_deref()))
            .or_else(|| nonempty(self.container_image.as_deref()))
    }

    /// The container image digest (v0.13+).
    pub fn container_image_digest(&self) -> Option<&str> {
        nonempty(
            self.container
                .as_ref()
                .and_then(|c| c.image_digest.as_deref()),
        )
    }

    /// The pod name (`kubernetes.podName` or flat `podName`).
    pub fn pod_name(&self) -> Option<&str> {
        nonempty(self.kubernetes.as_ref().and_then(|k| k.pod_name.as_deref()))
            .or_else(|| nonempty(self.pod_name.as_deref()))
    }

    /// The pod namespace.
    pub fn pod_namespace(&self) -> Option<&str> {
        nonempty(
            self.kubernetes
                .as_ref()
                .and_then(|k| k.pod_namespace.as_deref()),
        )
        .or_else(|| nonempty(self.pod_namespace.as_deref()))
    }

    /// The pod UID.
    pub fn pod_uid(&self) -> Option<&str> {
        nonempty(self.kubernetes.as_ref().and_then(|k| k.pod_uid.as_deref()))
            .or_else(|| nonempty(self.pod_uid.as_deref()))
    }

    /// Whether the container is a pod sandbox.
    pub fn pod_sandbox(&self) -> Option<bool> {
        self.kubernetes
            .as_ref()
            .and_then(|k| k.pod_sandbox)
            .or(self.pod_sandbox)
    }

    /// The executable path when known (v0.18+, often empty).
    pub fn executable_path(&self) -> Option<&str> {
        nonempty(self.executable.as_ref().map(|e| e.path.as_ref()))
    }

    /// Host, container-init or container, as Tracee's `Origin()` decides.
    pub fn origin(&self) -> Origin {
        let started = self
            .context_flags
            .and_then(|f| f.container_started)
            .unwrap_or(false);
        if started {
            Origin::Container
        } else if self.container_id().is_some() {
            Origin::ContainerInit
        } else {
            Origin::Host
        }
    }

    /// Whether this is a signature (finding) event: it has `metadata`, a `triggeredBy`
    /// argument, or an event id in the signature range (pre-v0.12 findings had no metadata).
    pub fn is_signature(&self) -> bool {
        self.metadata.is_some()
            || self.arg("triggeredBy").is_some()
            || self
                .event_id
                .is_some_and(|id| (SIGNATURE_ID_MIN..=SIGNATURE_ID_MAX).contains(&id))
    }

    /// `metadata.Properties` when present.
    pub fn properties(&self) -> Option<&Properties<'a>> {
        self.metadata.as_ref()?.properties.as_ref()
    }

    /// Whether the `timestamp` is relative to Tracee's start under `settings`.
    pub fn is_relative_time(&self, settings: &Settings) -> bool {
        self.timestamp.is_some_and(|t| settings.is_relative(t))
    }

    /// Event time in epoch ns; relative times get [`Settings::epoch_offset_ns`] added and
    /// are `None` without it.
    pub fn time_ns(&self, settings: &Settings) -> Option<i64> {
        settings.epoch_ns(self.timestamp?)
    }

    /// The name and args of the event that fired this signature, without building a whole
    /// event (see [`TraceEvent::triggered_by`]); `None` when absent or malformed.
    pub(crate) fn trigger_parts(&self) -> Option<(Cow<'a, str>, Vec<Arg<'a>>)> {
        let raw = self.arg("triggeredBy")?.raw_value?;
        if json::raw_is_null(raw) {
            return None;
        }
        let t: TriggeredBy<'a> = serde_json::from_str(raw.get()).ok()?;
        Some((t.name, t.args))
    }

    /// The event that fired this signature, decoded from the `triggeredBy` argument into an
    /// event of its own: same process and container context, its own id, name, args and
    /// return value, no metadata. `Ok(None)` when there is no `triggeredBy`.
    ///
    /// # Errors
    /// [`Error::Arg`] when `triggeredBy` is not an event object.
    pub fn triggered_by(&self) -> Result<Option<TraceEvent<'a>>, Error> {
        let Some(arg) = self.arg("triggeredBy") else {
            return Ok(None);
        };
        let Some(raw) = arg.raw_value.filter(|r| !json::raw_is_null(r)) else {
            return Ok(None);
        };
        let t: TriggeredBy<'a> = serde_json::from_str(raw.get()).map_err(|e| Error::Arg {
            name: "triggeredBy".into(),
            message: e.to_string(),
        })?;
        let mut ev = self.clone();
        ev.raw = raw.get();
        ev.event_id = t.id;
        ev.event_name = t.name;
        ev.args_num = i64::try_from(t.args.len()).ok();
        ev.args = t.args;
        ev.return_value = t.return_value;
        ev.metadata = None;
        Ok(Some(ev))
    }
}

fn nonempty(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_strings_borrow_from_the_line() {
        let line = r#"{"eventName":"x","containerId":"abc","container":{"image":"nginx:1"},"kubernetes":{"podName":"p\u0031"},"matchedPolicies":["a","b\n"],"syscall":null}"#;
        let ev: TraceEvent<'_> = serde_json::from_str(line).unwrap();
        assert!(matches!(ev.container_id, Some(Cow::Borrowed("abc"))));
        let image = ev.container.as_ref().and_then(|c| c.image.as_ref());
        assert!(matches!(image, Some(Cow::Borrowed("nginx:1"))));
        // Escapes still decode (into an owned copy).
        let pod = ev.kubernetes.as_ref().and_then(|k| k.pod_name.as_deref());
        assert_eq!(pod, Some("p1"));
        let policies = ev.matched_policies.unwrap();
        assert!(matches!(policies[0], Cow::Borrowed("a")));
        assert_eq!(policies[1], "b\n");
        assert_eq!(ev.syscall, None);
        let bad =
            serde_json::from_str::<TraceEvent<'_>>(r#"{"eventName":"x","matchedPolicies":"a"}"#);
        assert!(bad.is_err());
    }
}
