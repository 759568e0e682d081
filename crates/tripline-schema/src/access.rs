//! Field access on an [`Event`] by ECS dotted path, for rules and generic exporters.

use std::borrow::Cow;

use crate::entity::{Endpoint, File, Group, Process, User};
use crate::event::{Event, Outcome};
use crate::fields::{Field, Text};
use crate::kind::{Direction, EventKind};
use crate::paths as p;
use crate::value::{FieldSource, Value, number_value};

fn s(v: &Option<Text>) -> Option<Value<'_>> {
    v.as_deref().map(Value::str)
}

fn u32v(v: Option<u32>) -> Option<Value<'static>> {
    v.map(|n| Value::Int(i64::from(n)))
}

fn user_field<'a>(u: Option<&'a User>, f: &str) -> Option<Value<'a>> {
    let u = u?;
    match f {
        "id" => u32v(u.id),
        "name" => s(&u.name),
        _ => None,
    }
}

fn group_field<'a>(g: Option<&'a Group>, f: &str) -> Option<Value<'a>> {
    let g = g?;
    match f {
        "id" => u32v(g.id),
        "name" => s(&g.name),
        _ => None,
    }
}

fn endpoint_field<'a>(e: Option<&'a Endpoint>, f: &str) -> Option<Value<'a>> {
    let e = e?;
    match f {
        "ip" => e.ip.map(Value::Ip),
        "port" => e.port.map(|p| Value::Int(i64::from(p))),
        "domain" => s(&e.domain),
        "address" => {
            e.ip.map(|ip| Value::Str(Cow::Owned(ip.to_string())))
                .or_else(|| s(&e.path))
                .or_else(|| s(&e.domain))
        }
        _ => None,
    }
}

fn file_field<'a>(file: &'a File, f: &str) -> Option<Value<'a>> {
    match f {
        "path" => s(&file.path),
        "name" => file.name().map(Value::str),
        "directory" => file.directory().map(Value::str),
        "extension" => file.extension().map(Value::str),
        "type" => file.file_type.map(|t| {
            Value::str(match t {
                crate::FileType::Dir => "dir",
                crate::FileType::Symlink => "symlink",
                _ => "file",
            })
        }),
        "inode" => file.inode.map(Value::UInt),
        "device" => s(&file.device),
        "mode" => file
            .mode
            .map(|m| Value::Str(Cow::Owned(format!("{:o}", m & 0o7777)))),
        "uid" => file
            .owner()
            .and_then(|o| o.id)
            .map(|i| Value::Str(Cow::Owned(i.to_string()))),
        "gid" => file
            .group()
            .and_then(|g| g.id)
            .map(|i| Value::Str(Cow::Owned(i.to_string()))),
        "owner" => file.owner().and_then(|o| s(&o.name)),
        "group" => file.group().and_then(|g| s(&g.name)),
        "size" => file.size().map(Value::UInt),
        "target_path" => s(&file.target_path),
        _ => None,
    }
}

fn process_field<'a>(pr: &'a Process, f: &str) -> Option<Value<'a>> {
    if let Some(rest) = f.strip_prefix("parent.") {
        let parent = pr.parent.as_deref();
        return match rest {
            "pid" => u32v(pr.ppid.or(parent.and_then(|x| x.pid))),
            "executable" => parent.and_then(|x| s(&x.executable)),
            "name" => parent.and_then(|x| s(&x.name)),
            "command_line" => parent.and_then(|x| s(&x.command_line)),
            "entity_id" => parent.and_then(|x| s(&x.entity_id)),
            _ => None,
        };
    }
    let (head, tail) = f.split_once('.').unwrap_or((f, ""));
    match head {
        "pid" => u32v(pr.pid),
        "vpid" => u32v(pr.vpid),
        "thread" if tail == "id" => u32v(pr.tid),
        "entity_id" => s(&pr.entity_id),
        "executable" => s(&pr.executable),
        "name" => s(&pr.name),
        "args" => (!pr.args.is_empty())
            .then(|| Value::List(pr.args.iter().map(|a| Value::str(a)).collect())),
        "args_count" => (!pr.args.is_empty()).then_some(Value::Int(pr.args.len() as i64)),
        "command_line" => s(&pr.command_line),
        "title" => s(&pr.extra().title),
        "working_directory" => s(&pr.cwd),
        "start" => pr.start().map(Value::Time),
        "exit_code" => pr.exit_code.map(Value::Int),
        "user" => user_field(pr.user.as_ref(), tail),
        "real_user" => user_field(pr.real_user(), tail),
        "saved_user" => user_field(pr.saved_user(), tail),
        "group" => group_field(pr.group.as_ref(), tail),
        "real_group" => group_field(pr.real_group(), tail),
        "saved_group" => group_field(pr.saved_group(), tail),
        _ => None,
    }
}

/// Walks a JSON value by a dotted remainder, preferring the longest exact key at each level so
/// flat keys with dots and brackets (`proc.aname[2]`) are reachable.
/// Borrows a vendor field as a [`Value`] (objects become their compact JSON text).
pub(crate) fn field_value(v: &Field) -> Value<'_> {
    match v {
        Field::Null => Value::Null,
        Field::Bool(b) => Value::Bool(*b),
        Field::Number(n) => number_value(n),
        Field::Str(s) => Value::str(s),
        Field::List(a) => Value::List(a.iter().map(field_value).collect()),
        Field::Map(_) => Value::Str(Cow::Owned(v.to_string())),
    }
}

/// Walks `rest` (dotted) into a vendor field; a key that itself contains dots (Falco's flat
/// `proc.aname[2]`) is matched whole, longest first.
fn field_path<'a>(mut cur: &'a Field, mut rest: &str) -> Option<Value<'a>> {
    loop {
        if rest.is_empty() {
            return Some(field_value(cur));
        }
        let obj = cur.as_map()?;
        if let Some(v) = obj.get(rest) {
            return Some(field_value(v));
        }
        let (v, r) = rest
            .rmatch_indices('.')
            .find_map(|(i, _)| obj.get(&rest[..i]).map(|v| (v, &rest[i + 1..])))?;
        cur = v;
        rest = r;
    }
}

impl Event {
    /// The acting user as ECS `user.*` sees it: the login user (auditd `auid`) when known,
    /// else the kind's actor, else the process's effective user.
    pub fn actor_user(&self) -> Option<&User> {
        let process = self.kind.process();
        process
            .and_then(|p| p.login_user.as_ref())
            .or(match &self.kind {
                EventKind::Authentication(a) => a.actor.as_ref().or(a.user.as_ref()),
                EventKind::UserCommand(c) => c.user.as_ref(),
                EventKind::AccountChange(a) => a.actor.as_ref(),
                EventKind::Finding(f) => f.user.as_ref(),
                _ => None,
            })
            .or(process.and_then(|p| p.user.as_ref()))
    }

    pub(crate) fn effective_user(&self) -> Option<&User> {
        match &self.kind {
            EventKind::Authentication(a) => a.user.as_ref(),
            EventKind::UserCommand(c) => c.run_as.as_ref(),
            _ => self.kind.process().and_then(|p| p.user.as_ref()),
        }
    }

    pub(crate) fn target_user(&self) -> Option<&User> {
        match &self.kind {
            EventKind::AccountChange(a) => a.target_user.as_ref(),
            EventKind::IdentityChange(i) => i.target_user.as_ref(),
            _ => None,
        }
    }

    /// The source endpoint of a network activity or finding.
    pub fn source_endpoint(&self) -> Option<&Endpoint> {
        match &self.kind {
            EventKind::Network(n) => n.source.as_ref(),
            EventKind::Authentication(a) => a.source.as_ref(),
            EventKind::Finding(f) => f.source.as_ref(),
            _ => None,
        }
    }

    /// The destination endpoint of a network activity or finding.
    pub fn destination_endpoint(&self) -> Option<&Endpoint> {
        match &self.kind {
            EventKind::Network(n) => n.destination.as_ref(),
            EventKind::Finding(f) => f.destination.as_ref(),
            _ => None,
        }
    }

    /// Looks a field up by ECS dotted path (see [`crate::paths`]); vendor fields are reached
    /// through `unmapped` (`auditd.key`, `falco.output_fields.proc.aname[2]`).
    ///
    /// The user command of auditd `USER_CMD` answers `process.command_line`, and a log line's
    /// text answers `message`, so Sysmon-style rules see them where they expect.
    pub fn get(&self, path: &str) -> Option<Value<'_>> {
        if let Some(v) = self.get_modelled(path) {
            return Some(v);
        }
        let (vendor, rest) = path.split_once('.').unwrap_or((path, ""));
        let v = self.unmapped.get(vendor)?;
        field_path(v, rest)
    }

    fn get_modelled(&self, path: &str) -> Option<Value<'_>> {
        let kind = &self.kind;
        let (head, tail) = path.split_once('.').unwrap_or((path, ""));
        match head {
            "@timestamp" => return Some(Value::Time(self.time)),
            "message" => {
                return s(&self.message).or(match kind {
                    EventKind::LogLine(l) => Some(Value::str(&l.text)),
                    _ => None,
                });
            }
            "tags" => {
                return (!self.tags.is_empty())
                    .then(|| Value::List(self.tags.iter().map(|t| Value::str(t)).collect()));
            }
            "labels" => return self.labels.get(tail).map(|v| Value::str(v)),
            "process" => {
                if let EventKind::UserCommand(c) = kind {
                    match tail {
                        "command_line" => return Some(Value::str(&c.command)),
                        "working_directory" if c.cwd.is_some() => return s(&c.cwd),
                        _ => {}
                    }
                }
                if let (EventKind::ContainerLifecycle(c), "exit_code") = (kind, tail) {
                    let exec = c.exec.as_ref().and_then(|e| e.exit_code);
                    return exec.or(c.exit_code).map(Value::Int);
                }
                return kind.process().and_then(|pr| process_field(pr, tail));
            }
            "file" => {
                return kind.file().and_then(|f| {
                    if tail == "target_path"
                        && let EventKind::FileAccess(fa) = kind
                        && let Some(t) = &fa.target
                    {
                        return s(&t.path);
                    }
                    file_field(f, tail)
                });
            }
            "user" => {
                return match tail.split_once('.') {
                    Some(("effective", f)) => user_field(self.effective_user(), f),
                    Some(("target", f)) => user_field(self.target_user(), f),
                    _ => user_field(self.actor_user(), tail),
                };
            }
            "group" => {
                let g = match kind {
                    EventKind::AccountChange(a) => a.target_group.as_ref(),
                    EventKind::IdentityChange(i) => i.target_group.as_ref(),
                    _ => None,
                };
                return group_field(g, tail);
            }
            "source" => return endpoint_field(self.source_endpoint(), tail),
            "destination" => return endpoint_field(self.destination_endpoint(), tail),
            "host" => {
                let h = self.host.as_ref()?;
                return match tail {
                    "name" | "hostname" => s(&h.name),
                    "id" => s(&h.id),
                    "architecture" => s(&h.architecture),
                    "ip" => (!h.ip.is_empty())
                        .then(|| Value::List(h.ip.iter().map(|i| Value::Ip(*i)).collect())),
                    _ => None,
                };
            }
            "container" => {
                let c = self.container.as_ref()?;
                if let Some(label) = tail.strip_prefix("labels.") {
                    return c.labels.get(label).map(|v| Value::str(v));
                }
                let image = c.image.as_ref();
                return match tail {
                    "id" => s(&c.id),
                    "name" => s(&c.name),
                    "runtime" => s(&c.runtime),
                    "image.name" => image.and_then(|i| s(&i.name)),
                    "image.tag" => image.and_then(|i| s(&i.tag)),
                    "image.hash.all" => image.and_then(|i| s(&i.digest)),
                    "security_context.privileged" => c.privileged.map(Value::Bool),
                    _ => None,
                };
            }
            "orchestrator" => {
                let o = self.orchestrator.as_ref()?;
                return match tail {
                    "namespace" => s(&o.namespace),
                    "resource.name" => s(&o.pod_name),
                    "resource.id" => s(&o.pod_uid),
                    "resource.type" => o.pod_name.as_ref().map(|_| Value::str("pod")),
                    "cluster.name" => s(&o.cluster),
                    _ => None,
                };
            }
            "network" => {
                let EventKind::Network(n) = kind else {
                    return None;
                };
                return match tail {
                    // Lowercase, as ECS wants it (sources write `TCP` too).
                    "transport" => n.transport.as_deref().map(|t| {
                        if t.bytes().any(|b| b.is_ascii_uppercase()) {
                            Value::Str(Cow::Owned(t.to_ascii_lowercase()))
                        } else {
                            Value::str(t)
                        }
                    }),
                    "direction" => n.direction.map(|d| {
                        Value::str(match d {
                            Direction::Inbound => "ingress",
                            Direction::Outbound => "egress",
                            Direction::Local => "internal",
                        })
                    }),
                    _ => None,
                };
            }
            "rule" | "threat" => {
                let EventKind::Finding(f) = kind else {
                    return None;
                };
                let r = &f.rule;
                let list = str_list;
                return match path {
                    p::RULE_ID => s(&r.id),
                    p::RULE_NAME => s(&r.name),
                    p::RULE_DESCRIPTION => s(&r.description),
                    p::RULE_AUTHOR => list(r.authors.iter().map(|s| s.as_str()).collect()),
                    p::RULE_RULESET => s(&r.ruleset),
                    p::RULE_CATEGORY => s(&r.category),
                    p::RULE_VERSION => s(&r.version),
                    p::RULE_LICENSE => s(&r.license),
                    p::RULE_REFERENCE => list(r.references.iter().map(|s| s.as_str()).collect()),
                    p::THREAT_FRAMEWORK => {
                        (!f.attacks.is_empty()).then(|| Value::str("MITRE ATT&CK"))
                    }
                    p::THREAT_TACTIC_ID => list(
                        f.attacks
                            .iter()
                            .filter_map(|a| a.tactic.as_ref().map(|t| t.id.as_str()))
                            .collect(),
                    ),
                    p::THREAT_TACTIC_NAME => list(
                        f.attacks
                            .iter()
                            .filter_map(|a| a.tactic.as_ref().map(|t| t.name.as_str()))
                            .collect(),
                    ),
                    p::THREAT_TECHNIQUE_ID => list(
                        f.attacks
                            .iter()
                            .filter_map(|a| a.technique.as_ref().map(|t| t.id.as_str()))
                            .collect(),
                    ),
                    p::THREAT_TECHNIQUE_NAME => list(
                        f.attacks
                            .iter()
                            .filter_map(|a| a.technique.as_ref().and_then(|t| t.name.as_deref()))
                            .collect(),
                    ),
                    p::THREAT_SUBTECHNIQUE_ID => list(
                        f.attacks
                            .iter()
                            .filter_map(|a| a.sub_technique.as_ref().map(|t| t.id.as_str()))
                            .collect(),
                    ),
                    p::THREAT_SUBTECHNIQUE_NAME => list(
                        f.attacks
                            .iter()
                            .filter_map(|a| {
                                a.sub_technique.as_ref().and_then(|t| t.name.as_deref())
                            })
                            .collect(),
                    ),
                    _ => None,
                };
            }
            _ => {}
        }
        match path {
            p::EVENT_KIND => Some(Value::str(kind.classification().ecs_kind)),
            p::EVENT_CATEGORY => {
                let c = kind.classification().ecs_category;
                (!c.is_empty()).then(|| Value::List(c.iter().map(|v| Value::str(v)).collect()))
            }
            p::EVENT_TYPE => {
                let t = kind.classification().ecs_type;
                (!t.is_empty()).then(|| Value::List(t.iter().map(|v| Value::str(v)).collect()))
            }
            p::EVENT_ID => s(&self.id),
            p::EVENT_ACTION => s(&self.action),
            p::EVENT_OUTCOME => Some(Value::str(match self.outcome {
                Outcome::Success => "success",
                Outcome::Failure => "failure",
                Outcome::Unknown => "unknown",
            })),
            p::EVENT_MODULE => Some(Value::str(self.source.product.name())),
            p::EVENT_DATASET => Some(Value::str(&self.source.format)),
            p::EVENT_CODE => s(&self.source.event_code),
            p::EVENT_SEQUENCE => self.source.sequence.map(Value::UInt),
            p::EVENT_SEVERITY => Some(Value::Int(i64::from(self.severity.level.id()))),
            p::EVENT_CREATED => self.observed.map(Value::Time),
            p::EVENT_ORIGINAL => self.raw.as_ref().map(|r| Value::str(&r.text)),
            p::LOG_LEVEL | p::TRIPLINE_SEVERITY_ORIGINAL => s(&self.severity.original),
            p::LOG_FILE_PATH => self.location().and_then(|l| s(&l.file)),
            p::LOG_OFFSET => self.location().and_then(|l| l.offset).map(Value::UInt),
            p::TRIPLINE_KIND => Some(Value::str(kind.name())),
            p::TRIPLINE_CONTAINER_SHORT_ID => self.container.as_ref()?.short_id().map(Value::str),
            p::TRIPLINE_PROCESS_TTY => kind.process().and_then(|pr| s(&pr.tty)),
            p::TRIPLINE_PROCESS_SESSION_ID => kind.process().and_then(|pr| u32v(pr.session_id())),
            p::TRIPLINE_PROCESS_INTERPRETER => match kind {
                EventKind::ProcessExec(e) | EventKind::ProcessExit(e) => s(&e.interpreter),
                _ => None,
            },
            p::TRIPLINE_FILE_OPERATION => match kind {
                EventKind::FileAccess(f) => Some(Value::Str(Cow::Owned(op_name(&f.op)))),
                _ => None,
            },
            p::TRIPLINE_NETWORK_OPERATION => match kind {
                EventKind::Network(n) => Some(Value::Str(Cow::Owned(op_name(&n.op)))),
                _ => None,
            },
            p::TRIPLINE_AUTH_OPERATION => match kind {
                EventKind::Authentication(a) => Some(Value::Str(Cow::Owned(op_name(&a.op)))),
                _ => None,
            },
            p::TRIPLINE_ACCOUNT_OPERATION => match kind {
                EventKind::AccountChange(a) => Some(Value::Str(Cow::Owned(op_name(&a.op)))),
                _ => None,
            },
            p::TRIPLINE_IDENTITY_OPERATION => match kind {
                EventKind::IdentityChange(i) => Some(Value::Str(Cow::Owned(op_name(&i.op)))),
                _ => None,
            },
            p::TRIPLINE_LOG_STREAM => match kind {
                EventKind::LogLine(l) => Some(Value::Str(Cow::Owned(op_name(&l.stream)))),
                _ => None,
            },
            p::TRIPLINE_FINDING_EVIDENCE => match kind {
                EventKind::Finding(f) => (!f.evidence.is_empty())
                    .then(|| Value::List(f.evidence.iter().map(|e| Value::str(e)).collect())),
                _ => None,
            },
            p::TRIPLINE_FINDING_EVENT_TYPE => match kind {
                EventKind::Finding(f) => s(&f.event_type),
                _ => None,
            },
            p::TRIPLINE_FINDING_COUNT => match kind {
                EventKind::Finding(f) => f.count.map(Value::UInt),
                _ => None,
            },
            p::EVENT_START => match kind {
                EventKind::Finding(f) => f.first_seen.map(Value::Time),
                _ => None,
            },
            p::EVENT_END => match kind {
                EventKind::Finding(f) => f.last_seen.map(Value::Time),
                _ => None,
            },
            p::TRIPLINE_LOG_OFFSET => self.location().and_then(|l| l.offset).map(Value::UInt),
            p::TRIPLINE_LOG_LINE => self.location().and_then(|l| l.line).map(Value::UInt),
            p::TRIPLINE_CONTAINER_IMAGE_ID => {
                let image = self.container.as_ref()?.image.as_ref()?;
                s(&image.id)
            }
            p::TRIPLINE_PROCESS_ACCESS_OPERATION => match kind {
                EventKind::ProcessAccess(a) => Some(Value::Str(Cow::Owned(op_name(&a.op)))),
                _ => None,
            },
            p::TRIPLINE_PROCESS_ACCESS_REQUEST => match kind {
                EventKind::ProcessAccess(a) => s(&a.request),
                _ => None,
            },
            p::TRIPLINE_TARGET_PROCESS_PID => match kind {
                EventKind::ProcessAccess(a) => a.target.pid.map(|n| Value::Int(i64::from(n))),
                _ => None,
            },
            p::TRIPLINE_TARGET_PROCESS_EXECUTABLE => match kind {
                EventKind::ProcessAccess(a) => s(&a.target.executable),
                _ => None,
            },
            p::TRIPLINE_TARGET_PROCESS_NAME => match kind {
                EventKind::ProcessAccess(a) => s(&a.target.name),
                _ => None,
            },
            p::TRIPLINE_PROCESS_SIGNAL => match kind {
                EventKind::ProcessExec(e)
                | EventKind::ProcessExit(e)
                | EventKind::ProcessFork(e) => e.signal.map(|n| Value::Int(i64::from(n))),
                _ => None,
            },
            p::TRIPLINE_USER_COMMAND_TERMINAL => match kind {
                EventKind::UserCommand(c) => s(&c.terminal),
                _ => None,
            },
            p::TRIPLINE_AUTH_TERMINAL => match kind {
                EventKind::Authentication(a) => s(&a.terminal),
                _ => None,
            },
            p::TRIPLINE_AUTH_SESSION_ID => match kind {
                EventKind::Authentication(a) => u32v(a.session_id),
                _ => None,
            },
            p::TRIPLINE_AUTH_METHOD => match kind {
                EventKind::Authentication(a) => s(&a.method),
                _ => None,
            },
            p::TRIPLINE_OTHER_NAME => match kind {
                EventKind::Other(o) => Some(Value::str(&o.name)),
                _ => None,
            },
            _ => self.get_docker(path),
        }
    }

    fn get_docker(&self, path: &str) -> Option<Value<'_>> {
        let EventKind::ContainerLifecycle(c) = &self.kind else {
            return None;
        };
        if let Some(k) = path
            .strip_prefix(p::TRIPLINE_DOCKER_ATTRIBUTES)
            .and_then(|r| r.strip_prefix('.'))
        {
            return c.attributes.get(k).map(|v| Value::str(v));
        }
        match path {
            p::TRIPLINE_DOCKER_OBJECT_TYPE => Some(Value::str(&c.object_type)),
            p::TRIPLINE_DOCKER_ACTION => Some(Value::str(&c.action)),
            p::TRIPLINE_DOCKER_DETAIL => s(&c.detail),
            p::TRIPLINE_DOCKER_EXEC_ID => s(&c.exec_id),
            p::TRIPLINE_DOCKER_ACTOR_ID => s(&c.actor_id),
            p::TRIPLINE_DOCKER_SIGNAL => s(&c.signal),
            _ => None,
        }
    }
}

fn str_list(it: Vec<&str>) -> Option<Value<'_>> {
    (!it.is_empty()).then(|| Value::List(it.into_iter().map(Value::str).collect()))
}

/// The snake_case serde name of a unit-like operation enum (`Other(x)` gives `x`).
pub(crate) fn op_name<T: serde::Serialize>(op: &T) -> String {
    match serde_json::to_value(op) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(m)) => m
            .into_iter()
            .next()
            .and_then(|(_, v)| v.as_str().map(str::to_string))
            .unwrap_or_default(),
        _ => String::new(),
    }
}

impl FieldSource for Event {
    fn field(&self, name: &str) -> Option<Value<'_>> {
        self.get(name)
    }

    fn raw_text(&self) -> Option<&str> {
        self.raw
            .as_ref()
            .map(|r| r.text.as_str())
            .or(self.message.as_deref())
    }
}
