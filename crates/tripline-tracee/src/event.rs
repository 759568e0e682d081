//! `trace.Event`, the JSON every Tracee release from v0.8 to v0.24 prints, in all three of
//! its shapes: flat container fields (v0.8–v0.12), `container{}`/`kubernetes{}` objects
//! (v0.13–v0.17) and the v0.18+ form with `containerId` beside `container{}`, `executable`
//! and entity ids. One struct holds all keys; accessors merge the shapes.

use std::borrow::Cow;

use crate::arg::{Arg, ArgValue, Sockaddr};
use crate::json::{self, RawJson, RawMap};
use crate::scan::{Key, Res, Scanner};
use crate::{Error, Settings};

/// First event id Tracee allocates to signatures (`StartSignatureID`).
pub const SIGNATURE_ID_MIN: i64 = 6000;
/// Last event id Tracee allocates to signatures (`MaxSignatureID`).
pub const SIGNATURE_ID_MAX: i64 = 6999;

/// One Tracee `trace.Event`, borrowed from its line.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct TraceEvent<'a> {
    /// The whole input line.
    pub raw: &'a str,
    /// 1-based line where the record starts (1 for single-record entry points).
    pub line: u64,
    /// Byte offset of that line in the stream.
    pub offset: u64,
    /// Event time in ns (epoch, or since Tracee start with `relative-time`).
    pub timestamp: Option<i64>,
    /// Thread start time, same clock as `timestamp` (monotonic in v0.8-era files).
    pub thread_start_time: Option<i64>,
    /// CPU the event was recorded on.
    pub processor_id: Option<i64>,
    /// PID in the task's PID namespace.
    pub process_id: Option<i64>,
    /// cgroup v2 id.
    pub cgroup_id: Option<u64>,
    /// TID in the task's PID namespace.
    pub thread_id: Option<i64>,
    /// Parent PID in the task's PID namespace.
    pub parent_process_id: Option<i64>,
    /// PID in the host's PID namespace.
    pub host_process_id: Option<i64>,
    /// TID in the host's PID namespace.
    pub host_thread_id: Option<i64>,
    /// Parent PID in the host's PID namespace.
    pub host_parent_process_id: Option<i64>,
    /// Real UID.
    pub user_id: Option<i64>,
    /// Mount namespace inode.
    pub mount_namespace: Option<u64>,
    /// PID namespace inode.
    pub pid_namespace: Option<u64>,
    /// `comm` (≤ 15 bytes).
    pub process_name: Cow<'a, str>,
    /// `executable{path}` (v0.18+; often empty).
    pub executable: Option<Executable<'a>>,
    /// UTS name of the task (the container's hostname inside containers).
    pub host_name: Cow<'a, str>,
    /// `containerId` (v0.8–v0.12 and v0.15+; `""` on the host).
    pub container_id: Option<Cow<'a, str>>,
    /// Flat `containerImage` (v0.8–v0.12).
    pub container_image: Option<Cow<'a, str>>,
    /// Flat `containerName` (v0.8–v0.12).
    pub container_name: Option<Cow<'a, str>>,
    /// Flat `podName` (v0.8–v0.12).
    pub pod_name: Option<Cow<'a, str>>,
    /// Flat `podNamespace` (v0.8–v0.12).
    pub pod_namespace: Option<Cow<'a, str>>,
    /// Flat `podUID` (v0.8–v0.12).
    pub pod_uid: Option<Cow<'a, str>>,
    /// Flat `podSandbox` (v0.11–v0.12).
    pub pod_sandbox: Option<bool>,
    /// `container{id,name,image,imageDigest}` (v0.13+).
    pub container: Option<ContainerInfo<'a>>,
    /// `kubernetes{podName,podNamespace,podUID,podSandbox}` (v0.13+).
    pub kubernetes: Option<KubernetesInfo<'a>>,
    /// Event id; Tracee writes it as a string. Signatures get 6000–6999, allocated at start.
    pub event_id: Option<i64>,
    /// Event name (`sched_process_exec`, `anti_debugging`; a signature's human name before v0.13).
    pub event_name: Cow<'a, str>,
    /// Names of the policies that matched (v0.13+; `[""]` for CLI scopes).
    pub matched_policies: Option<Vec<Cow<'a, str>>>,
    /// Matched scopes bitmap (v0.11–v0.12).
    pub matched_scopes: Option<u64>,
    /// Number of args.
    pub args_num: Option<i64>,
    /// Return value of the syscall or hook.
    pub return_value: Option<i64>,
    /// Syscall that triggered the event (v0.11+; may be `""`).
    pub syscall: Option<Cow<'a, str>>,
    /// User stack addresses (`null` unless `stack-addresses` is on).
    pub stack_addresses: Option<Vec<u64>>,
    /// `contextFlags{containerStarted,isCompat}` (v0.10+).
    pub context_flags: Option<ContextFlags>,
    /// Thread entity id (v0.18+): hash of start time and tid.
    pub thread_entity_id: Option<u64>,
    /// Process entity id (v0.18+): a stable process key.
    pub process_entity_id: Option<u64>,
    /// Parent's process entity id (v0.18+).
    pub parent_entity_id: Option<u64>,
    /// Arguments, in the event definition's order (random order for signature data).
    pub args: Vec<Arg<'a>>,
    /// Signature metadata (signature events from v0.12).
    pub metadata: Option<Metadata<'a>>,
}

/// `executable{path}`.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Executable<'a> {
    /// Path of the executable (`""` when unknown).
    pub path: Cow<'a, str>,
}

/// `container{…}`; every member is omitempty.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct ContainerInfo<'a> {
    /// Container id (64 hex).
    pub id: Option<Cow<'a, str>>,
    /// Container name.
    pub name: Option<Cow<'a, str>>,
    /// Image reference.
    pub image: Option<Cow<'a, str>>,
    /// Image digest.
    pub image_digest: Option<Cow<'a, str>>,
}

/// `kubernetes{…}`; every member is omitempty.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct KubernetesInfo<'a> {
    /// Pod name.
    pub pod_name: Option<Cow<'a, str>>,
    /// Pod namespace.
    pub pod_namespace: Option<Cow<'a, str>>,
    /// Pod UID.
    pub pod_uid: Option<Cow<'a, str>>,
    /// Whether the container is the pod's sandbox (pause) container.
    pub pod_sandbox: Option<bool>,
}

/// `contextFlags`.
#[derive(Debug, Clone, Copy, Default)]
#[non_exhaustive]
pub struct ContextFlags {
    /// The task runs in a started container.
    pub container_started: Option<bool>,
    /// A 32-bit syscall on a 64-bit kernel.
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
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Metadata<'a> {
    /// Signature version.
    pub version: Option<Cow<'a, str>>,
    /// What the signature detects.
    pub description: Option<Cow<'a, str>>,
    /// Tags (usually `null`).
    pub tags: Option<Vec<Cow<'a, str>>>,
    /// Properties, values kept raw (any key may be `null`).
    pub properties: Option<Properties<'a>>,
}

/// `metadata.Properties`: `Severity` 0–4, `Category`, `Technique`, `Kubernetes_Technique`,
/// `external_id`, `id`, `signatureID`, `signatureName`, plus whatever a signature adds.
#[derive(Debug, Clone, Default)]
pub struct Properties<'a>(pub RawMap<'a>);

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

/// Reads the members of an object (after its `{`): a known key, by its index in `order`,
/// goes to `f` at most once (serde's derived decoders refuse a member given twice); other
/// keys are validated and skipped. Writers put members in a fixed order, so the key after
/// member `i` is first compared with `order[i + 1]` as raw bytes. Returns whether a known
/// key was spelled with an escape (`"event\u004eame"`).
fn members<'a>(
    sc: &mut Scanner<'a>,
    order: &'static [&'static str],
    mut f: impl FnMut(&mut Scanner<'a>, usize) -> Res<()>,
) -> Res<bool> {
    let mut seen = 0u64;
    let mut first = true;
    let mut next = 0;
    let mut escaped = false;
    while let Some(key) = sc.obj_key_guess(&mut first, order.get(next).copied().unwrap_or(""))? {
        let id = match key {
            Key::Guess => next,
            Key::Other(k) => match order.iter().position(|o| *o == k) {
                Some(i) => {
                    escaped |= matches!(k, Cow::Owned(_));
                    i
                }
                None => {
                    sc.skip_value()?;
                    continue;
                }
            },
        };
        if seen >> id & 1 == 1 {
            return sc.err(format!("duplicate field `{}`", order[id]));
        }
        seen |= 1 << id;
        next = id + 1;
        f(sc, id)?;
    }
    Ok(escaped)
}

/// `null` (`None`) or an object read by [`members`].
fn opt_object<'a, T: Default>(
    sc: &mut Scanner<'a>,
    order: &'static [&'static str],
    mut f: impl FnMut(&mut Scanner<'a>, &mut T, usize) -> Res<()>,
) -> Res<Option<T>> {
    if sc.null()? {
        return Ok(None);
    }
    let mut out = T::default();
    sc.obj_start()?;
    members(sc, order, |sc, id| f(sc, &mut out, id))?;
    Ok(Some(out))
}

/// `eventId`: a string or an integer (or `null`).
fn event_id(sc: &mut Scanner<'_>) -> Res<Option<i64>> {
    let start = sc.pos;
    let raw = sc.raw()?;
    if json::raw_is_null(raw) {
        return Ok(None);
    }
    match json::flex_i64(raw) {
        Some(id) => Ok(Some(id)),
        None => {
            sc.pos = start;
            sc.err(format!(
                "expected an integer or numeric string, got {}",
                json::clip(raw.get())
            ))
        }
    }
}

/// `args`: `null` or a list of `{name, type, value}`.
fn args<'a>(sc: &mut Scanner<'a>, hint: Option<i64>) -> Res<Vec<Arg<'a>>> {
    if sc.null()? {
        return Ok(Vec::new());
    }
    sc.arr_start()?;
    // Room for the count the event announced (`argsNum` comes first), else a handful.
    let cap = hint.map_or(8, |n| usize::try_from(n.clamp(0, 64)).unwrap_or(8));
    let mut out = Vec::with_capacity(cap);
    let mut first = true;
    while sc.arr_next(&mut first)? {
        out.push(Arg::parse(sc)?);
    }
    Ok(out)
}

const ARG_KEYS: &[&str] = &["name", "type", "value"];

impl<'a> Arg<'a> {
    /// One `{name, type, value}` object; `name` is required, unknown members are ignored.
    pub(crate) fn parse(sc: &mut Scanner<'a>) -> Res<Self> {
        // Tracee writes every arg as `{"name":…,"type":…,"value":…}`: read that shape by its
        // literal punctuation; anything else (or any error) goes through the general reader.
        let start = sc.pos;
        if let Some(arg) = Self::parse_compact(sc) {
            return Ok(arg);
        }
        sc.pos = start;
        let mut name = None;
        let mut type_name = Cow::Borrowed("");
        let mut raw_value = None;
        sc.obj_start()?;
        members(sc, ARG_KEYS, |sc, id| {
            match id {
                0 => name = Some(sc.string()?),
                1 => type_name = sc.string()?,
                _ => raw_value = Some(sc.raw()?),
            }
            Ok(())
        })?;
        let Some(name) = name else {
            return sc.err("missing field `name`");
        };
        Ok(Arg {
            name,
            type_name,
            raw_value,
        })
    }
}

impl<'a> Arg<'a> {
    fn parse_compact(sc: &mut Scanner<'a>) -> Option<Self> {
        if !sc.lit(b"{\"name\":") {
            return None;
        }
        let name = sc.string().ok()?;
        if !sc.lit(b",\"type\":") {
            return None;
        }
        let type_name = sc.string().ok()?;
        if !sc.lit(b",\"value\":") {
            return None;
        }
        let raw_value = Some(sc.raw().ok()?);
        sc.lit(b"}").then_some(Arg {
            name,
            type_name,
            raw_value,
        })
    }
}

/// `metadata.Properties`: `null` or an object, values kept raw.
fn properties<'a>(sc: &mut Scanner<'a>) -> Res<Option<Properties<'a>>> {
    if sc.null()? {
        return Ok(None);
    }
    if sc.peek() != Some(b'{') {
        return sc.invalid_type("a JSON object");
    }
    sc.obj_start()?;
    let mut out = Vec::with_capacity(8);
    let mut first = true;
    while let Some(key) = sc.obj_key(&mut first)? {
        out.push((key, sc.raw()?));
    }
    Ok(Some(Properties(RawMap(out))))
}

const METADATA_KEYS: &[&str] = &["Version", "Description", "Tags", "Properties"];

fn metadata<'a>(sc: &mut Scanner<'a>) -> Res<Option<Metadata<'a>>> {
    opt_object(sc, METADATA_KEYS, |sc, m: &mut Metadata<'a>, id| {
        match id {
            0 => m.version = sc.opt_string()?,
            1 => m.description = sc.opt_string()?,
            2 => m.tags = sc.opt_string_list()?,
            _ => m.properties = properties(sc)?,
        }
        Ok(())
    })
}

/// The members of `trace.Event`, in the order v0.18+ writes them, then those only older
/// releases write.
const EVENT_KEYS: &[&str] = &[
    "timestamp",
    "threadStartTime",
    "processorId",
    "processId",
    "cgroupId",
    "threadId",
    "parentProcessId",
    "hostProcessId",
    "hostThreadId",
    "hostParentProcessId",
    "userId",
    "mountNamespace",
    "pidNamespace",
    "processName",
    "executable",
    "hostName",
    "containerId",
    "container",
    "kubernetes",
    "eventId",
    "eventName",
    "matchedPolicies",
    "argsNum",
    "returnValue",
    "syscall",
    "stackAddresses",
    "contextFlags",
    "threadEntityId",
    "processEntityId",
    "parentEntityId",
    "args",
    "metadata",
    "containerImage",
    "containerName",
    "podName",
    "podNamespace",
    "podUID",
    "podSandbox",
    "matchedScopes",
];

/// Index of `eventName` in [`EVENT_KEYS`].
const EVENT_NAME: usize = 20;

const CONTAINER_KEYS: &[&str] = &["id", "name", "image", "imageDigest"];
const KUBERNETES_KEYS: &[&str] = &["podName", "podNamespace", "podUID", "podSandbox"];
const CONTEXT_FLAGS_KEYS: &[&str] = &["containerStarted", "isCompat"];
const EXECUTABLE_KEYS: &[&str] = &["path"];

impl<'a> TraceEvent<'a> {
    /// Decodes one `trace.Event` JSON object spanning all of `text` (whitespace around it
    /// allowed). Accepts and refuses what the serde-derived decoder did: unknown members
    /// ignored, known members type-checked, a member given twice refused, `eventName`
    /// required.
    pub(crate) fn parse(text: &'a str) -> Res<Self> {
        let mut ev = Self::empty(text);
        ev.parse_into(text)?;
        Ok(ev)
    }

    /// An event of `text` with no member set (what [`Self::parse_into`] fills in).
    pub(crate) fn empty(text: &'a str) -> Self {
        TraceEvent {
            raw: text,
            line: 1,
            offset: 0,
            timestamp: None,
            thread_start_time: None,
            processor_id: None,
            process_id: None,
            cgroup_id: None,
            thread_id: None,
            parent_process_id: None,
            host_process_id: None,
            host_thread_id: None,
            host_parent_process_id: None,
            user_id: None,
            mount_namespace: None,
            pid_namespace: None,
            process_name: Cow::Borrowed(""),
            executable: None,
            host_name: Cow::Borrowed(""),
            container_id: None,
            container_image: None,
            container_name: None,
            pod_name: None,
            pod_namespace: None,
            pod_uid: None,
            pod_sandbox: None,
            container: None,
            kubernetes: None,
            event_id: None,
            event_name: Cow::Borrowed(""),
            matched_policies: None,
            matched_scopes: None,
            args_num: None,
            return_value: None,
            syscall: None,
            stack_addresses: None,
            context_flags: None,
            thread_entity_id: None,
            process_entity_id: None,
            parent_entity_id: None,
            args: Vec::new(),
            metadata: None,
        }
    }

    /// [`Self::parse`] into an [`Self::empty`] event where it is (decoding into the
    /// record a caller returns saves copying the event, most of a kilobyte, on the way).
    /// Returns whether a member key was spelled with an escape (then `"eventName"` may
    /// not appear literally in the line).
    pub(crate) fn parse_into(&mut self, text: &'a str) -> Res<bool> {
        let ev = self;
        let mut sc = Scanner::new(text);
        sc.ws();
        let mut has_name = false;
        sc.obj_start()?;
        let escaped = members(&mut sc, EVENT_KEYS, |sc, id| {
            match id {
                0 => ev.timestamp = sc.opt_i64()?,
                1 => ev.thread_start_time = sc.opt_i64()?,
                2 => ev.processor_id = sc.opt_i64()?,
                3 => ev.process_id = sc.opt_i64()?,
                4 => ev.cgroup_id = sc.opt_u64()?,
                5 => ev.thread_id = sc.opt_i64()?,
                6 => ev.parent_process_id = sc.opt_i64()?,
                7 => ev.host_process_id = sc.opt_i64()?,
                8 => ev.host_thread_id = sc.opt_i64()?,
                9 => ev.host_parent_process_id = sc.opt_i64()?,
                10 => ev.user_id = sc.opt_i64()?,
                11 => ev.mount_namespace = sc.opt_u64()?,
                12 => ev.pid_namespace = sc.opt_u64()?,
                13 => ev.process_name = sc.string()?,
                14 => {
                    ev.executable =
                        opt_object(sc, EXECUTABLE_KEYS, |sc, e: &mut Executable<'a>, _| {
                            e.path = sc.string()?;
                            Ok(())
                        })?;
                }
                15 => ev.host_name = sc.string()?,
                16 => ev.container_id = sc.opt_string()?,
                17 => {
                    ev.container =
                        opt_object(sc, CONTAINER_KEYS, |sc, c: &mut ContainerInfo<'a>, id| {
                            let v = sc.opt_string()?;
                            match id {
                                0 => c.id = v,
                                1 => c.name = v,
                                2 => c.image = v,
                                _ => c.image_digest = v,
                            }
                            Ok(())
                        })?;
                }
                18 => {
                    ev.kubernetes =
                        opt_object(sc, KUBERNETES_KEYS, |sc, k: &mut KubernetesInfo<'a>, id| {
                            match id {
                                0 => k.pod_name = sc.opt_string()?,
                                1 => k.pod_namespace = sc.opt_string()?,
                                2 => k.pod_uid = sc.opt_string()?,
                                _ => k.pod_sandbox = sc.opt_bool()?,
                            }
                            Ok(())
                        })?;
                }
                19 => ev.event_id = event_id(sc)?,
                EVENT_NAME => {
                    ev.event_name = sc.string()?;
                    has_name = true;
                }
                21 => ev.matched_policies = sc.opt_string_list()?,
                22 => ev.args_num = sc.opt_i64()?,
                23 => ev.return_value = sc.opt_i64()?,
                24 => ev.syscall = sc.opt_string()?,
                25 => {
                    ev.stack_addresses = if sc.null()? {
                        None
                    } else {
                        let mut out = Vec::new();
                        let mut first = true;
                        sc.arr_start()?;
                        while sc.arr_next(&mut first)? {
                            out.push(sc.u64()?);
                        }
                        Some(out)
                    };
                }
                26 => {
                    ev.context_flags =
                        opt_object(sc, CONTEXT_FLAGS_KEYS, |sc, f: &mut ContextFlags, id| {
                            let v = sc.opt_bool()?;
                            if id == 0 {
                                f.container_started = v;
                            } else {
                                f.is_compat = v;
                            }
                            Ok(())
                        })?;
                }
                27 => ev.thread_entity_id = sc.opt_u64()?,
                28 => ev.process_entity_id = sc.opt_u64()?,
                29 => ev.parent_entity_id = sc.opt_u64()?,
                30 => ev.args = args(sc, ev.args_num)?,
                31 => ev.metadata = metadata(sc)?,
                32 => ev.container_image = sc.opt_string()?,
                33 => ev.container_name = sc.opt_string()?,
                34 => ev.pod_name = sc.opt_string()?,
                35 => ev.pod_namespace = sc.opt_string()?,
                36 => ev.pod_uid = sc.opt_string()?,
                37 => ev.pod_sandbox = sc.opt_bool()?,
                _ => ev.matched_scopes = sc.opt_u64()?,
            }
            Ok(())
        })?;
        if !has_name {
            return sc.err("missing field `eventName`");
        }
        sc.end()?;
        Ok(escaped)
    }
}

/// The `triggeredBy` argument of a signature event: the event that fired it.
struct TriggeredBy<'a> {
    id: Option<i64>,
    name: Cow<'a, str>,
    args: Vec<Arg<'a>>,
    return_value: Option<i64>,
}

const TRIGGERED_BY_KEYS: &[&str] = &["id", "name", "args", "returnValue"];

impl<'a> TriggeredBy<'a> {
    fn parse(raw: RawJson<'a>) -> Res<Self> {
        let mut sc = Scanner::new(raw.get());
        let mut t = TriggeredBy {
            id: None,
            name: Cow::Borrowed(""),
            args: Vec::new(),
            return_value: None,
        };
        sc.obj_start()?;
        members(&mut sc, TRIGGERED_BY_KEYS, |sc, id| {
            match id {
                0 => t.id = event_id(sc)?,
                1 => t.name = sc.string()?,
                2 => t.args = args(sc, None)?,
                _ => t.return_value = sc.opt_i64()?,
            }
            Ok(())
        })?;
        sc.end()?;
        Ok(t)
    }
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
    #[cfg(feature = "schema")]
    pub(crate) fn trigger_parts(&self) -> Option<(Cow<'a, str>, Vec<Arg<'a>>)> {
        let raw = self.arg("triggeredBy")?.raw_value?;
        if json::raw_is_null(raw) {
            return None;
        }
        let t = TriggeredBy::parse(raw).ok()?;
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
        let Some(raw) = arg.raw_value.filter(|r| !json::raw_is_null(*r)) else {
            return Ok(None);
        };
        let t = TriggeredBy::parse(raw).map_err(|e| Error::Arg {
            name: "triggeredBy".into(),
            message: format!("{} at byte {}", e.msg, e.pos),
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
        let ev = TraceEvent::parse(line).unwrap();
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
        let bad = TraceEvent::parse(r#"{"eventName":"x","matchedPolicies":"a"}"#);
        assert!(bad.is_err());
        let dup = TraceEvent::parse(r#"{"eventName":"x","processId":1,"processId":2}"#);
        assert!(
            dup.is_err(),
            "duplicate fields are refused, as serde derive did"
        );
        let missing = TraceEvent::parse(r#"{"processId":1,"unknown":[{"x":null}]}"#);
        assert!(missing.is_err(), "eventName is required");
    }
}
