//! `tripline_schema::FieldSource` for raw Tracee events (feature `schema`), so Sigma rules
//! with a Tracee logsource match on Tracee's own names: `eventName`, `processName`,
//! `containerId`, `args.pathname`, `metadata.Properties.signatureID`, dotted paths into
//! nested objects (`container.image`, `args.remote_addr.sin_addr`).

use std::borrow::Cow;

use tripline_schema::{FieldSource, Value};

use crate::json::{self, RawJson, RawMap};
use crate::{ArgValue, Record, TraceEvent, V1Event};

fn opt_i(v: Option<i64>) -> Option<Value<'static>> {
    v.map(Value::Int)
}

fn opt_u(v: Option<u64>) -> Option<Value<'static>> {
    v.map(|u| i64::try_from(u).map_or(Value::UInt(u), Value::Int))
}

fn opt_s<'v>(v: Option<&'v str>) -> Option<Value<'v>> {
    v.map(Value::str)
}

fn from_arg_value(v: ArgValue<'_>) -> Value<'_> {
    match v {
        ArgValue::Null => Value::Null,
        ArgValue::Bool(b) => Value::Bool(b),
        ArgValue::Int(i) => Value::Int(i),
        ArgValue::UInt(u) => Value::UInt(u),
        ArgValue::Float(f) => Value::Float(f),
        ArgValue::Str(s) => Value::Str(s),
        ArgValue::List(l) => Value::List(l.into_iter().map(from_arg_value).collect()),
        obj @ ArgValue::Object(_) => Value::Str(Cow::Owned(arg_value_json(&obj))),
    }
}

fn arg_value_json(v: &ArgValue<'_>) -> String {
    fn to_json(v: &ArgValue<'_>) -> serde_json::Value {
        match v {
            ArgValue::Null => serde_json::Value::Null,
            ArgValue::Bool(b) => (*b).into(),
            ArgValue::Int(i) => (*i).into(),
            ArgValue::UInt(u) => (*u).into(),
            ArgValue::Float(f) => (*f).into(),
            ArgValue::Str(s) => s.as_ref().into(),
            ArgValue::List(l) => serde_json::Value::Array(l.iter().map(to_json).collect()),
            ArgValue::Object(m) => serde_json::Value::Object(
                m.iter().map(|(k, v)| (k.to_string(), to_json(v))).collect(),
            ),
        }
    }
    to_json(v).to_string()
}

/// A raw JSON value as a field value; strings borrow, objects become their JSON text.
fn from_raw(raw: RawJson<'_>) -> Value<'_> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => json::raw_str(raw).map_or(Value::Null, Value::Str),
        Some(b'{') => Value::str(text),
        _ => serde_json::from_str::<ArgValue<'_>>(text).map_or(Value::Null, from_arg_value),
    }
}

/// Walks `a.b.c` through raw objects.
fn walk<'v>(mut raw: RawJson<'v>, path: &str) -> Option<Value<'v>> {
    if path.is_empty() {
        return Some(from_raw(raw));
    }
    for part in path.split('.') {
        let m = RawMap::parse(raw)?;
        raw = m.get(part)?;
    }
    Some(from_raw(raw))
}

impl FieldSource for TraceEvent<'_> {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        if let Some(rest) = name.strip_prefix("args.") {
            // An arg name may itself contain dots; try the longest match first.
            if let Some(a) = self.arg(rest) {
                return Some(a.value().map_or(Value::Null, from_arg_value));
            }
            let (arg, sub) = rest.split_once('.')?;
            return walk(self.arg(arg)?.raw_value?, sub);
        }
        if let Some(key) = name.strip_prefix("metadata.Properties.") {
            return Some(from_raw(self.properties()?.raw().get(key)?));
        }
        let c = self.container.as_ref();
        let k = self.kubernetes.as_ref();
        match name {
            "timestamp" => opt_i(self.timestamp),
            "threadStartTime" => opt_i(self.thread_start_time),
            "processorId" => opt_i(self.processor_id),
            "processId" => opt_i(self.process_id),
            "cgroupId" => opt_u(self.cgroup_id),
            "threadId" => opt_i(self.thread_id),
            "parentProcessId" => opt_i(self.parent_process_id),
            "hostProcessId" => opt_i(self.host_process_id),
            "hostThreadId" => opt_i(self.host_thread_id),
            "hostParentProcessId" => opt_i(self.host_parent_process_id),
            "userId" => opt_i(self.user_id),
            "mountNamespace" => opt_u(self.mount_namespace),
            "pidNamespace" => opt_u(self.pid_namespace),
            "processName" => Some(Value::str(&self.process_name)),
            "executable.path" => opt_s(self.executable.as_ref().map(|e| e.path.as_ref())),
            "hostName" => Some(Value::str(&self.host_name)),
            "containerId" => Some(Value::str(self.container_id().unwrap_or(""))),
            "containerImage" => Some(Value::str(self.container_image().unwrap_or(""))),
            "containerName" => Some(Value::str(self.container_name().unwrap_or(""))),
            "podName" => Some(Value::str(self.pod_name().unwrap_or(""))),
            "podNamespace" => Some(Value::str(self.pod_namespace().unwrap_or(""))),
            "podUID" => Some(Value::str(self.pod_uid().unwrap_or(""))),
            "podSandbox" => self.pod_sandbox().map(Value::Bool),
            "container.id" => opt_s(c?.id.as_deref()),
            "container.name" => opt_s(c?.name.as_deref()),
            "container.image" => opt_s(c?.image.as_deref()),
            "container.imageDigest" => opt_s(c?.image_digest.as_deref()),
            "kubernetes.podName" => opt_s(k?.pod_name.as_deref()),
            "kubernetes.podNamespace" => opt_s(k?.pod_namespace.as_deref()),
            "kubernetes.podUID" => opt_s(k?.pod_uid.as_deref()),
            "kubernetes.podSandbox" => k?.pod_sandbox.map(Value::Bool),
            "eventId" => opt_i(self.event_id),
            "eventName" => Some(Value::str(&self.event_name)),
            "matchedPolicies" => self
                .matched_policies
                .as_ref()
                .map(|p| Value::List(p.iter().map(|s| Value::str(s)).collect())),
            "matchedScopes" => opt_u(self.matched_scopes),
            "argsNum" => opt_i(self.args_num),
            "returnValue" => opt_i(self.return_value),
            "syscall" => opt_s(self.syscall.as_deref()),
            "stackAddresses" => self.stack_addresses.as_ref().map(|a| {
                Value::List(
                    a.iter()
                        .map(|x| opt_u(Some(*x)).unwrap_or(Value::Null))
                        .collect(),
                )
            }),
            "contextFlags.containerStarted" => {
                self.context_flags?.container_started.map(Value::Bool)
            }
            "contextFlags.isCompat" => self.context_flags?.is_compat.map(Value::Bool),
            "threadEntityId" => opt_u(self.thread_entity_id),
            "processEntityId" => opt_u(self.process_entity_id),
            "parentEntityId" => opt_u(self.parent_entity_id),
            "metadata.Version" => opt_s(self.metadata.as_ref()?.version.as_deref()),
            "metadata.Description" => opt_s(self.metadata.as_ref()?.description.as_deref()),
            "metadata.Tags" => Some(match &self.metadata.as_ref()?.tags {
                Some(t) => Value::List(t.iter().map(|s| Value::str(s)).collect()),
                None => Value::Null,
            }),
            _ => None,
        }
    }

    fn raw_text(&self) -> Option<&str> {
        Some(self.raw)
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        let mut out: Vec<Cow<'_, str>> = [
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
            "executable.path",
            "hostName",
            "containerId",
            "containerImage",
            "containerName",
            "podName",
            "podNamespace",
            "podUID",
            "podSandbox",
            "eventId",
            "eventName",
            "matchedPolicies",
            "argsNum",
            "returnValue",
            "syscall",
            "stackAddresses",
            "contextFlags.containerStarted",
            "contextFlags.isCompat",
            "threadEntityId",
            "processEntityId",
            "parentEntityId",
        ]
        .into_iter()
        .filter(|n| self.field(n).is_some())
        .map(Cow::Borrowed)
        .collect();
        out.extend(
            self.args
                .iter()
                .map(|a| Cow::Owned(format!("args.{}", a.name))),
        );
        if let Some(p) = self.properties() {
            out.extend(
                p.raw()
                    .keys()
                    .map(|k| Cow::Owned(format!("metadata.Properties.{k}"))),
            );
        }
        out
    }
}

impl FieldSource for V1Event<'_> {
    /// `name`, `id`, `timestamp` (epoch ns), `data.<name>`, and dotted paths into the
    /// document (`workload.process.pid`, `threat.mitre.technique.id`).
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match name {
            "name" => return Some(Value::str(&self.name)),
            "timestamp" => return self.time_ns().map(Value::Int),
            _ => {}
        }
        if let Some(rest) = name.strip_prefix("data.") {
            let (data, sub) = rest.split_once('.').unwrap_or((rest, ""));
            let (_, raw) = self.data(data).or_else(|| self.data(rest))?;
            return walk(raw, sub);
        }
        let doc = RawJson::parse(self.raw)?;
        walk(doc, name)
    }

    fn raw_text(&self) -> Option<&str> {
        Some(self.raw)
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        let mut out = vec![Cow::Borrowed("name"), Cow::Borrowed("timestamp")];
        out.extend(
            self.data_names()
                .into_iter()
                .map(|n| Cow::Owned(format!("data.{n}"))),
        );
        out
    }
}

impl FieldSource for Record<'_> {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        match self {
            Record::Trace(e) => e.field(name),
            Record::V1(e) => e.field(name),
        }
    }

    fn raw_text(&self) -> Option<&str> {
        Some(self.raw())
    }

    fn field_names(&self) -> Vec<Cow<'_, str>> {
        match self {
            Record::Trace(e) => e.field_names(),
            Record::V1(e) => e.field_names(),
        }
    }
}
