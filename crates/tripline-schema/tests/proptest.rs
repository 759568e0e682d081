//! Property tests over random events: native JSON round-trips exactly, the OCSF view never
//! contains `null` and has consistent ids and the objects each class requires, and the ECS
//! categorization is one ECS 8.17 expects.

use std::collections::BTreeMap;
use std::net::IpAddr;

use chrono::{DateTime, TimeZone, Utc};
use proptest::collection::{btree_map, vec};
use proptest::option::of as opt;
use proptest::prelude::*;
use serde_json::Value as Json;
use tripline_schema::attack::TACTICS;
use tripline_schema::*;

// ---------------------------------------------------------------- strategies

fn text() -> impl Strategy<Value = Text> {
    prop_oneof![
        4 => "[a-zA-Z0-9 /._:@=-]{0,12}",
        1 => ".{0,6}",
        // Longer than the 24 inline bytes of `Text`, so heap strings are exercised too.
        1 => "[a-z/]{25,40}",
        1 => Just("line\nbreak \"quoted\" \\ tab\t".to_string()),
    ]
    .prop_map(Text::from)
}

fn map() -> impl Strategy<Value = BTreeMap<Text, Text>> {
    btree_map(text(), text(), 0..3)
}

fn time() -> impl Strategy<Value = DateTime<Utc>> {
    (0i64..4_102_444_800, 0u32..1_000_000_000).prop_map(|(s, n)| Utc.timestamp_opt(s, n).unwrap())
}

fn ip() -> impl Strategy<Value = IpAddr> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(IpAddr::from),
        any::<[u8; 16]>().prop_map(IpAddr::from),
    ]
}

fn user() -> BoxedStrategy<User> {
    user_inner().boxed()
}

fn user_inner() -> impl Strategy<Value = User> {
    (opt(any::<u32>()), opt(text())).prop_map(|(id, name)| User { id, name })
}

fn group() -> BoxedStrategy<Group> {
    group_inner().boxed()
}

fn group_inner() -> impl Strategy<Value = Group> {
    (opt(any::<u32>()), opt(text())).prop_map(|(id, name)| Group { id, name })
}

fn endpoint() -> BoxedStrategy<Endpoint> {
    endpoint_inner().boxed()
}

fn endpoint_inner() -> impl Strategy<Value = Endpoint> {
    (opt(ip()), opt(any::<u16>()), opt(text()), opt(text())).prop_map(|(ip, port, domain, path)| {
        Endpoint {
            ip,
            port,
            domain,
            path,
        }
    })
}

fn parent() -> BoxedStrategy<ParentProcess> {
    parent_inner().boxed()
}

fn parent_inner() -> impl Strategy<Value = ParentProcess> {
    (
        opt(any::<u32>()),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
    )
        .prop_map(
            |(pid, executable, name, command_line, entity_id)| ParentProcess {
                pid,
                executable,
                name,
                command_line,
                entity_id,
            },
        )
}

fn process() -> BoxedStrategy<Process> {
    process_inner().boxed()
}

fn process_inner() -> impl Strategy<Value = Process> {
    let ids = (
        opt(any::<u32>()),
        opt(any::<u32>()),
        opt(any::<u32>()),
        opt(any::<u32>()),
        opt(text()),
        opt(text()),
        opt(text()),
        vec(text(), 0..4),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(time()),
    );
    let users = (
        opt(any::<i64>()),
        opt(user()),
        opt(user()),
        opt(user()),
        opt(user()),
        opt(user()),
        opt(group()),
        opt(group()),
        opt(group()),
        opt(group()),
        opt(any::<u32>()),
        opt(text()),
    );
    (ids, users, opt(parent())).prop_map(|(a, b, parent)| Process {
        pid: a.0,
        ppid: a.1,
        tid: a.2,
        vpid: a.3,
        entity_id: a.4,
        executable: a.5,
        name: a.6,
        args: a.7,
        command_line: a.8,
        cwd: a.10,
        exit_code: b.0,
        user: b.1,
        login_user: b.5,
        group: b.6,
        tty: b.11,
        parent: parent.map(Box::new),
        extra: ProcessExtra {
            title: a.9,
            start: a.11,
            real_user: b.2,
            saved_user: b.3,
            fs_user: b.4,
            real_group: b.7,
            saved_group: b.8,
            fs_group: b.9,
            session_id: b.10,
        }
        .boxed(),
    })
}

fn file_type() -> impl Strategy<Value = FileType> {
    prop_oneof![
        Just(FileType::File),
        Just(FileType::Dir),
        Just(FileType::Symlink),
        Just(FileType::CharDevice),
        Just(FileType::BlockDevice),
        Just(FileType::Fifo),
        Just(FileType::Socket),
    ]
}

fn file() -> BoxedStrategy<File> {
    file_inner().boxed()
}

fn file_inner() -> impl Strategy<Value = File> {
    (
        opt(prop_oneof![
            text(),
            "(/[a-z.]{1,6}){1,4}/?".prop_map(Text::from)
        ]),
        opt(file_type()),
        opt(any::<u64>()),
        opt(text()),
        opt(any::<u32>()),
        opt(user()),
        opt(group()),
        opt(any::<u64>()),
        opt(text()),
    )
        .prop_map(
            |(path, file_type, inode, device, mode, owner, group, size, target_path)| File {
                path,
                file_type,
                inode,
                device,
                mode,
                target_path,
                extra: FileExtra { owner, group, size }.boxed(),
            },
        )
}

fn container() -> BoxedStrategy<Container> {
    container_inner().boxed()
}

fn container_inner() -> impl Strategy<Value = Container> {
    let image =
        (opt(text()), opt(text()), opt(text()), opt(text())).prop_map(|(name, tag, digest, id)| {
            Image {
                name,
                tag,
                digest,
                id,
            }
        });
    (
        opt(text()),
        opt(text()),
        opt(image),
        opt(text()),
        map(),
        opt(any::<bool>()),
    )
        .prop_map(|(id, name, image, runtime, labels, privileged)| Container {
            id,
            name,
            image,
            runtime,
            labels,
            privileged,
        })
}

fn host() -> BoxedStrategy<Host> {
    host_inner().boxed()
}

fn host_inner() -> impl Strategy<Value = Host> {
    (opt(text()), opt(text()), vec(ip(), 0..3), opt(text())).prop_map(
        |(name, id, ip, architecture)| Host {
            name,
            id,
            ip,
            architecture,
        },
    )
}

fn orchestrator() -> impl Strategy<Value = Orchestrator> {
    (opt(text()), opt(text()), opt(text()), opt(text())).prop_map(
        |(namespace, pod_name, pod_uid, cluster)| Orchestrator {
            namespace,
            pod_name,
            pod_uid,
            cluster,
        },
    )
}

fn rule() -> BoxedStrategy<Rule> {
    rule_inner().boxed()
}

fn rule_inner() -> impl Strategy<Value = Rule> {
    (
        opt(text()),
        opt(text()),
        opt(text()),
        vec(text(), 0..3),
        opt(text()),
        opt(text()),
        opt(text()),
        opt(text()),
        vec(text(), 0..3),
    )
        .prop_map(
            |(id, name, description, authors, ruleset, category, version, license, references)| {
                Rule {
                    id,
                    name,
                    description,
                    authors,
                    ruleset,
                    category,
                    version,
                    license,
                    references,
                }
            },
        )
}

fn attack() -> BoxedStrategy<Attack> {
    attack_inner().boxed()
}

fn attack_inner() -> impl Strategy<Value = Attack> {
    let tactic = (0..TACTICS.len()).prop_map(|i| Tactic::lookup(TACTICS[i].0).unwrap());
    let technique = || {
        ("T[0-9]{4}", opt(text())).prop_map(|(id, name)| Technique {
            id: id.into(),
            name,
        })
    };
    (opt(tactic), opt(technique()), opt(technique())).prop_map(
        |(tactic, technique, sub_technique)| Attack {
            tactic,
            technique,
            sub_technique,
        },
    )
}

fn severity() -> impl Strategy<Value = Severity> {
    (
        prop::sample::select(vec![0u8, 1, 2, 3, 4, 5, 6, 99]),
        opt(text()),
    )
        .prop_map(|(id, original)| Severity {
            level: SeverityLevel::from_id(id),
            original,
        })
}

fn product() -> impl Strategy<Value = Product> {
    prop_oneof![
        Just(Product::Auditd),
        Just(Product::Falco),
        Just(Product::Tracee),
        Just(Product::Docker),
        Just(Product::Tripline),
        text().prop_map(Product::Other),
    ]
}

fn source() -> BoxedStrategy<Source> {
    source_inner().boxed()
}

fn source_inner() -> impl Strategy<Value = Source> {
    (
        product(),
        text(),
        opt(text()),
        opt(text()),
        opt(any::<u64>()),
    )
        .prop_map(|(product, format, version, event_code, sequence)| {
            let mut s = Source::new(product, format);
            s.version = version;
            s.event_code = event_code;
            s.sequence = sequence;
            s
        })
}

fn raw() -> BoxedStrategy<Raw> {
    raw_inner().boxed()
}

fn raw_inner() -> impl Strategy<Value = Raw> {
    let location = (opt(text()), opt(any::<u64>()), opt(any::<u64>()))
        .prop_map(|(file, line, offset)| Location { file, line, offset });
    (
        text(),
        any::<bool>(),
        opt(location),
        vec(any::<u64>(), 0..3),
    )
        .prop_map(|(text, lossy, location, lines)| Raw {
            text,
            lossy,
            location,
            lines,
        })
}

/// JSON values whose text form reads back identically (floats are exact binary fractions).
fn json() -> BoxedStrategy<Json> {
    json_inner().boxed()
}

fn json_inner() -> impl Strategy<Value = Json> {
    let leaf = prop_oneof![
        Just(Json::Null),
        any::<bool>().prop_map(Json::Bool),
        any::<i64>().prop_map(Json::from),
        any::<u64>().prop_map(Json::from),
        any::<i32>().prop_map(|i| Json::from(f64::from(i) / 8.0)),
        text().prop_map(|t| Json::String(t.into())),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            vec(inner.clone(), 0..4).prop_map(Json::Array),
            btree_map(text(), inner, 0..4)
                .prop_map(|m| Json::Object(m.into_iter().map(|(k, v)| (k.into(), v)).collect())),
        ]
    })
}

fn unmapped() -> impl Strategy<Value = Fields> {
    let key = prop_oneof![
        Just(Text::from("auditd")),
        Just(Text::from("falco")),
        Just(Text::from("tracee")),
        Just(Text::from("docker")),
        text(),
    ];
    btree_map(key, json(), 0..3)
        .prop_map(|m| m.into_iter().map(|(k, v)| (k, Field::from(v))).collect())
}

fn kind() -> BoxedStrategy<EventKind> {
    let process_event = || {
        (process(), opt(text()), opt(any::<i32>())).prop_map(|(process, interpreter, signal)| {
            ProcessEvent {
                process,
                interpreter,
                signal,
            }
        })
    };
    let access = (
        prop_oneof![
            Just(Text::from("PTRACE_ATTACH")),
            Just(Text::from("PTRACE_POKEDATA")),
            Just(Text::from("2")),
            text(),
        ],
        opt(process()),
        process(),
    )
        .prop_map(|(request, process, target)| {
            EventKind::ProcessAccess(Box::new(ProcessAccess {
                op: ProcessAccessOp::from_ptrace_request(&request),
                request: Some(request),
                process,
                target,
            }))
        });
    let identity = (
        prop_oneof![
            Just(IdentityOp::SetUid),
            Just(IdentityOp::SetGid),
            Just(IdentityOp::SetCapabilities),
            Just(IdentityOp::SwitchUser),
            text().prop_map(IdentityOp::Other),
        ],
        process(),
        opt(user()),
        opt(group()),
    )
        .prop_map(|(op, process, target_user, target_group)| {
            EventKind::IdentityChange(Box::new(IdentityChange {
                op,
                process,
                target_user,
                target_group,
            }))
        });
    let file_op = prop_oneof![
        Just(FileOp::Open),
        Just(FileOp::Read),
        Just(FileOp::Write),
        Just(FileOp::Create),
        Just(FileOp::Delete),
        Just(FileOp::Rename),
        Just(FileOp::Link),
        Just(FileOp::Chmod),
        Just(FileOp::Chown),
        Just(FileOp::SetAttributes),
        Just(FileOp::Mount),
        Just(FileOp::Unmount),
        text().prop_map(FileOp::Other),
    ];
    let file_access =
        (file_op, file(), opt(file()), opt(process())).prop_map(|(op, file, target, process)| {
            EventKind::FileAccess(Box::new(FileAccess {
                op,
                file,
                target,
                process,
            }))
        });
    let net_op = prop_oneof![
        Just(NetworkOp::Connect),
        Just(NetworkOp::Accept),
        Just(NetworkOp::Bind),
        Just(NetworkOp::Listen),
        Just(NetworkOp::Close),
        Just(NetworkOp::Traffic),
        text().prop_map(NetworkOp::Other),
    ];
    let direction = prop_oneof![
        Just(Direction::Inbound),
        Just(Direction::Outbound),
        Just(Direction::Local),
    ];
    let network = (
        net_op,
        opt(prop_oneof![
            Just(Text::from("tcp")),
            Just(Text::from("UDP")),
            text()
        ]),
        opt(endpoint()),
        opt(endpoint()),
        opt(direction),
        opt(process()),
    )
        .prop_map(|(op, transport, source, destination, direction, process)| {
            EventKind::Network(Box::new(NetworkActivity {
                op,
                transport,
                source,
                destination,
                direction,
                process,
            }))
        });
    let auth_op = prop_oneof![
        Just(AuthOp::Login),
        Just(AuthOp::Logout),
        Just(AuthOp::Authenticate),
        Just(AuthOp::Authorize),
        Just(AuthOp::AccountSwitch),
        Just(AuthOp::CredentialAcquire),
        Just(AuthOp::CredentialRefresh),
        Just(AuthOp::CredentialDispose),
        Just(AuthOp::SessionStart),
        Just(AuthOp::SessionEnd),
        text().prop_map(AuthOp::Other),
    ];
    let auth = (
        auth_op,
        opt(user()),
        opt(user()),
        opt(endpoint()),
        opt(text()),
        opt(any::<u32>()),
        opt(text()),
        opt(process()),
    )
        .prop_map(
            |(op, user, actor, source, terminal, session_id, method, process)| {
                EventKind::Authentication(Box::new(Authentication {
                    op,
                    user,
                    actor,
                    source,
                    terminal,
                    session_id,
                    method,
                    process,
                }))
            },
        );
    let user_command = (
        text(),
        opt(text()),
        opt(user()),
        opt(user()),
        opt(text()),
        opt(process()),
    )
        .prop_map(|(command, cwd, user, run_as, terminal, process)| {
            EventKind::UserCommand(Box::new(UserCommand {
                command,
                cwd,
                user,
                run_as,
                terminal,
                process,
            }))
        });
    let account_op = prop_oneof![
        Just(AccountOp::UserCreate),
        Just(AccountOp::UserDelete),
        Just(AccountOp::UserModify),
        Just(AccountOp::PasswordChange),
        Just(AccountOp::Lock),
        Just(AccountOp::Unlock),
        Just(AccountOp::GroupCreate),
        Just(AccountOp::GroupDelete),
        Just(AccountOp::GroupModify),
        text().prop_map(AccountOp::Other),
    ];
    let account = (
        account_op,
        opt(user()),
        opt(group()),
        opt(user()),
        opt(process()),
    )
        .prop_map(|(op, target_user, target_group, actor, process)| {
            EventKind::AccountChange(Box::new(AccountChange {
                op,
                target_user,
                target_group,
                actor,
                process,
            }))
        });
    let docker_word = || {
        prop_oneof![
            Just(Text::from("container")),
            Just(Text::from("image")),
            Just(Text::from("network")),
            Just(Text::from("create")),
            Just(Text::from("start")),
            Just(Text::from("die")),
            Just(Text::from("pull")),
            Just(Text::from("exec_start")),
            Just(Text::from("health_status: healthy")),
            text(),
        ]
    };
    let lifecycle = (
        (docker_word(), docker_word(), opt(text()), opt(text())),
        map(),
        opt(any::<i64>()),
        opt(text()),
        opt(text()),
        opt(process()),
        any::<bool>(),
    )
        .prop_map(
            |(
                (object_type, action, detail, actor_id),
                attributes,
                exit_code,
                signal,
                exec_id,
                exec,
                trusted,
            )| {
                EventKind::ContainerLifecycle(Box::new(ContainerLifecycle {
                    object_type,
                    action,
                    detail,
                    actor_id,
                    attributes: attributes.into(),
                    exit_code,
                    signal,
                    exec_id,
                    exec,
                    trusted,
                }))
            },
        );
    let partial =
        (any::<u32>(), any::<bool>(), opt(text())).prop_map(|(chunks, complete, flush_reason)| {
            PartialInfo {
                chunks,
                complete,
                flush_reason,
            }
        });
    let log_line = (
        prop_oneof![
            Just(Stream::Stdout),
            Just(Stream::Stderr),
            text().prop_map(Stream::Other)
        ],
        text(),
        opt(partial),
    )
        .prop_map(|(stream, text, partial)| {
            EventKind::LogLine(LogLine {
                stream,
                text,
                partial,
            })
        });
    let finding = (
        rule(),
        vec(attack(), 0..3),
        vec(text(), 0..3),
        map(),
        opt(any::<u64>()),
        opt(time()),
        opt(time()),
        opt(prop_oneof![
            Just(Text::from("execve")),
            Just(Text::from("openat")),
            Just(Text::from("connect")),
            text()
        ]),
        (
            opt(process()),
            opt(user()),
            opt(file()),
            opt(endpoint()),
            opt(endpoint()),
        ),
    )
        .prop_map(
            |(rule, attacks, evidence, group, count, first_seen, last_seen, event_type, x)| {
                EventKind::Finding(Box::new(Finding {
                    rule,
                    attacks,
                    evidence,
                    group,
                    count,
                    first_seen,
                    last_seen,
                    event_type,
                    process: x.0,
                    user: x.1,
                    file: x.2,
                    source: x.3,
                    destination: x.4,
                }))
            },
        );
    let other = (text(), opt(process()))
        .prop_map(|(name, process)| EventKind::Other(Box::new(Other { name, process })));
    prop_oneof![
        process_event()
            .prop_map(|e| EventKind::ProcessExec(Box::new(e)))
            .boxed(),
        process_event()
            .prop_map(|e| EventKind::ProcessExit(Box::new(e)))
            .boxed(),
        process_event()
            .prop_map(|e| EventKind::ProcessFork(Box::new(e)))
            .boxed(),
        access.boxed(),
        identity.boxed(),
        file_access.boxed(),
        network.boxed(),
        auth.boxed(),
        user_command.boxed(),
        account.boxed(),
        lifecycle.boxed(),
        log_line.boxed(),
        finding.boxed(),
        other.boxed(),
    ]
    .boxed()
}

fn event() -> impl Strategy<Value = Event> {
    let envelope = (
        opt(text()),
        time(),
        opt(time()),
        source(),
        opt(text()),
        opt(host()),
        opt(container()),
        opt(orchestrator()),
        prop_oneof![
            Just(Outcome::Success),
            Just(Outcome::Failure),
            Just(Outcome::Unknown)
        ],
        severity(),
        opt(text()),
        vec(text(), 0..3),
    );
    (envelope.boxed(), map(), kind(), opt(raw()), unmapped()).prop_map(
        |(e, labels, kind, raw, unmapped)| {
            let mut ev = Event::new(e.1, e.3, kind);
            ev.id = e.0;
            ev.observed = e.2;
            ev.action = e.4;
            ev.host = e.5;
            ev.container = e.6;
            ev.orchestrator = e.7.map(Box::new);
            ev.outcome = e.8;
            ev.severity = e.9;
            ev.message = e.10;
            ev.tags = e.11;
            ev.labels = labels;
            ev.raw = raw;
            ev.unmapped = unmapped;
            ev
        },
    )
}

// ---------------------------------------------------------------- checks

/// Paths of every `null` in a JSON document.
fn nulls(v: &Json, path: &str, out: &mut Vec<String>) {
    match v {
        Json::Null => out.push(path.to_string()),
        Json::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, x)| nulls(x, &format!("{path}[{i}]"), out)),
        Json::Object(m) => m
            .iter()
            .for_each(|(k, x)| nulls(x, &format!("{path}/{k}"), out)),
        _ => {}
    }
}

fn has_any(v: &Json, keys: &[&str]) -> bool {
    keys.iter().any(|k| v.get(k).is_some())
}

/// The structural requirements of OCSF 1.8.0 that our classes rely on (the CI validator
/// checks the golden files fully; this checks random events cheaply).
fn ocsf_required(o: &Json) -> Result<(), String> {
    let class_uid = o["class_uid"].as_u64().ok_or("class_uid")?;
    for k in [
        "activity_id",
        "category_uid",
        "severity_id",
        "time",
        "type_uid",
    ] {
        if !o[k].is_u64() && !o[k].is_i64() {
            return Err(format!("{k} missing"));
        }
    }
    let meta = &o["metadata"];
    if meta["version"] != "1.8.0" || !has_any(&meta["product"], &["name", "uid"]) {
        return Err("metadata".into());
    }
    let need = |k: &str| -> Result<(), String> {
        if o.get(k).is_none() {
            Err(format!("class {class_uid} needs {k}"))
        } else {
            Ok(())
        }
    };
    match class_uid {
        1007 => {
            need("actor")?;
            need("device")?;
            need("process")?;
        }
        1001 => {
            need("actor")?;
            need("device")?;
            need("file")?;
            if !o["file"]["name"].is_string() || !o["file"]["type_id"].is_u64() {
                return Err("file.name/type_id".into());
            }
        }
        4001 => {
            if !has_any(o, &["src_endpoint", "dst_endpoint"]) {
                return Err("network endpoint".into());
            }
            if !o["connection_info"]["direction_id"].is_u64() {
                return Err("direction_id".into());
            }
        }
        3002 => {
            need("user")?;
            if !has_any(o, &["service", "dst_endpoint"]) {
                return Err("service or dst_endpoint".into());
            }
        }
        3001 => need("user")?,
        3006 => need("group")?,
        2004 => {
            if !o["finding_info"]["uid"].is_string() {
                return Err("finding_info.uid".into());
            }
        }
        6003 => {
            need("actor")?;
            need("src_endpoint")?;
            if !o["api"]["operation"].is_string() {
                return Err("api.operation".into());
            }
        }
        0 => {}
        other => return Err(format!("unexpected class {other}")),
    }
    // Objects with "at least one of" constraints, wherever they appear.
    fn walk(key: &str, v: &Json) -> Result<(), String> {
        let rule: Option<&[&str]> = match key {
            "process" | "parent_process" | "logon_process" => Some(&["pid", "uid", "cpid"]),
            "user" | "owner" => Some(&["uid", "name", "account"]),
            "group" => Some(&["uid", "name"]),
            "device" => Some(&["hostname", "uid", "ip", "name"]),
            "src_endpoint" | "dst_endpoint" => {
                Some(&["ip", "hostname", "name", "uid", "svc_name", "domain"])
            }
            "actor" => Some(&[
                "process",
                "user",
                "app_name",
                "session",
                "invoked_by",
                "app_uid",
            ]),
            "container" => Some(&["uid", "name"]),
            "image" => Some(&["uid"]),
            "evidences" => Some(&[
                "actor",
                "api",
                "connection_info",
                "data",
                "device",
                "dst_endpoint",
                "file",
                "process",
                "src_endpoint",
                "user",
            ]),
            _ => None,
        };
        if let (Some(rule), Json::Object(_)) = (rule, v)
            && !has_any(v, rule)
        {
            return Err(format!("{key} lacks one of {rule:?}: {v}"));
        }
        if key == "pod_uuid" {
            let ok = v
                .as_str()
                .is_some_and(|u| u.len() == 36 && u.split('-').map(str::len).eq([8, 4, 4, 4, 12]));
            if !ok {
                return Err(format!("pod_uuid {v} is not a UUID"));
            }
        }
        match v {
            Json::Object(m) => m
                .iter()
                .filter(|(k, _)| k.as_str() != "unmapped" && k.as_str() != "data")
                .try_for_each(|(k, x)| walk(k, x)),
            Json::Array(a) => a.iter().try_for_each(|x| walk(key, x)),
            _ => Ok(()),
        }
    }
    walk("", o)
}

fn strings(v: Option<&Json>) -> Vec<&str> {
    v.and_then(Json::as_array)
        .map(|a| a.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn native_reader_never_panics(text in ".{0,64}", e in event(), cut in 0usize..4096) {
        let _ = Event::from_native_json(&text);
        // Truncated and spliced native documents fail cleanly too.
        let native = e.to_native_json();
        let mut at = cut.min(native.len());
        while !native.is_char_boundary(at) {
            at -= 1;
        }
        let _ = Event::from_native_json(&native[..at]);
        let spliced = format!("{}{}{}", &native[..at], text, &native[at..]);
        let _ = Event::from_native_json(&spliced);
    }

    #[test]
    fn native_json_round_trips(e in event()) {
        let text = e.to_native_json();
        prop_assert_eq!(Event::from_native_json(&text).unwrap(), e.clone());
        let pretty = canonical::to_string_pretty(&e.to_native_value());
        prop_assert_eq!(Event::from_native_json(&pretty).unwrap(), e);
    }

    #[test]
    fn ocsf_has_no_null_and_consistent_ids(e in event()) {
        let o = e.to_ocsf(&OcsfOptions::default());
        let mut found = Vec::new();
        nulls(&o, "", &mut found);
        prop_assert!(found.is_empty(), "nulls at {:?}", found);
        let class_uid = o["class_uid"].as_u64().unwrap();
        let activity_id = o["activity_id"].as_u64().unwrap();
        prop_assert_eq!(o["type_uid"].as_u64().unwrap(), class_uid * 100 + activity_id);
        prop_assert_eq!(o["category_uid"].as_u64().unwrap(), class_uid / 1000);
        let c = e.classification();
        prop_assert_eq!(c.type_uid(), class_uid * 100 + activity_id);
        if let Err(why) = ocsf_required(&o) {
            prop_assert!(false, "{}: {}", why, o);
        }
    }

    #[test]
    fn ecs_categorization_is_expected(e in event()) {
        let d = e.to_ecs(&EcsOptions::default());
        let kind = d["event"]["kind"].as_str().unwrap();
        prop_assert!(["alert", "event"].contains(&kind));
        let cats = strings(d["event"].get("category"));
        let types = strings(d["event"].get("type"));
        prop_assert!(
            ecs::categorization_is_expected(&cats, &types),
            "category {:?} with type {:?}", cats, types
        );
        prop_assert!(d["@timestamp"].is_string());
        prop_assert_eq!(&d["ecs"]["version"], "8.17.0");
        // Outside the vendor namespaces the ECS view never writes null either.
        let mut found = Vec::new();
        for (k, v) in d.as_object().unwrap() {
            if !ecs::VENDOR_NAMESPACES.contains(&k.as_str()) && k != "tripline" {
                nulls(v, k, &mut found);
            }
        }
        prop_assert!(found.is_empty(), "nulls at {:?}", found);
    }
}

/// Writes the ECS and OCSF views of 300 random events (fixed seed) to
/// `<workspace>/target/ci-out/`, where `.ci/run` runs the official-definition validators over
/// them: the Rust properties above are checked for every case, the full OCSF JSON Schemas and
/// ECS field definitions for this sample.
#[test]
fn random_sample_for_ci_validators() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let dir = tripline_testkit::workspace_root().join("target/ci-out");
    std::fs::create_dir_all(&dir).unwrap();
    let mut runner = TestRunner::deterministic();
    let strategy = event();
    let mut ecs = Vec::new();
    let mut ocsf = Vec::new();
    for _ in 0..300 {
        let e = strategy.new_tree(&mut runner).unwrap().current();
        ecs.push(e.to_ecs(&EcsOptions::default()));
        ocsf.push(e.to_ocsf(&OcsfOptions::default()));
    }
    // JSON arrays, not NDJSON: strings may hold U+2028 and other characters that line
    // splitters treat as line breaks.
    for (name, docs) in [("ecs", &ecs), ("ocsf", &ocsf)] {
        let path = dir.join(format!("tripline-schema-random.{name}.json"));
        let text = serde_json::to_string(docs).unwrap();
        std::fs::write(&path, &text).unwrap();
        let back: Vec<Json> =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        assert_eq!(back.len(), 300);
    }
    let classes: std::collections::BTreeSet<u64> = ocsf
        .iter()
        .filter_map(|o| o["class_uid"].as_u64())
        .collect();
    assert_eq!(
        classes.len(),
        9,
        "every OCSF class in the sample: {classes:?}"
    );
}
