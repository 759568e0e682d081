//! Field access by ECS dotted path.

use chrono::{TimeZone, Utc};
use tripline_schema::*;

fn t() -> chrono::DateTime<Utc> {
    Utc.timestamp_opt(1_700_000_000, 5).unwrap()
}

#[test]
fn process_user_and_container_paths() {
    let process = Process {
        pid: Some(10),
        ppid: Some(1),
        executable: Some("/bin/bash".into()),
        args: vec!["bash".into(), "-i".into()],
        cwd: Some("/root".into()),
        user: Some(User::from_id(0)),
        login_user: Some(User {
            id: Some(1000),
            name: Some("alice".into()),
        }),
        parent: Some(Box::new(ParentProcess {
            executable: Some("/usr/bin/runc".into()),
            ..ParentProcess::default()
        })),
        ..Process::default()
    };
    let mut e = Event::new(
        t(),
        Source::new(Product::Falco, "falco-json"),
        EventKind::ProcessExec(Box::new(ProcessEvent {
            process,
            ..ProcessEvent::default()
        })),
    );
    e.container = Some(Container {
        id: Some("0123456789abcdef0123".into()),
        image: Some(Image::parse_reference(
            "docker.io/library/nginx:1.25@sha256:ab",
        )),
        labels: [("app".into(), "web".into())].into(),
        ..Container::default()
    });
    e.vendor_mut("falco").insert(
        "output_fields",
        serde_json::json!({"proc.aname[2]": "containerd-shim", "evt.time": 1700000000000000005u64}),
    );
    assert_eq!(e.get(paths::PROCESS_PID), Some(Value::Int(10)));
    assert_eq!(e.get(paths::PROCESS_PARENT_PID), Some(Value::Int(1)));
    assert_eq!(
        e.get(paths::PROCESS_PARENT_EXECUTABLE),
        Some(Value::str("/usr/bin/runc"))
    );
    assert_eq!(
        e.get(paths::PROCESS_WORKING_DIRECTORY),
        Some(Value::str("/root"))
    );
    assert_eq!(e.get(paths::PROCESS_ARGS_COUNT), Some(Value::Int(2)));
    assert_eq!(e.get(paths::USER_NAME), Some(Value::str("alice")));
    assert_eq!(e.get(paths::USER_EFFECTIVE_ID), Some(Value::Int(0)));
    assert_eq!(
        e.get(paths::CONTAINER_IMAGE_NAME),
        Some(Value::str("docker.io/library/nginx"))
    );
    assert_eq!(e.get(paths::CONTAINER_IMAGE_TAG), Some(Value::str("1.25")));
    assert_eq!(
        e.get(paths::CONTAINER_IMAGE_HASH_ALL),
        Some(Value::str("sha256:ab"))
    );
    assert_eq!(e.get("container.labels.app"), Some(Value::str("web")));
    assert_eq!(
        e.get(paths::TRIPLINE_CONTAINER_SHORT_ID),
        Some(Value::str("0123456789ab"))
    );
    assert_eq!(
        e.get("falco.output_fields.proc.aname[2]"),
        Some(Value::str("containerd-shim"))
    );
    assert_eq!(
        e.get("falco.output_fields.evt.time"),
        Some(Value::Int(1_700_000_000_000_000_005))
    );
    assert_eq!(e.get(paths::FILE_PATH), None);
    assert_eq!(e.get("nope.x"), None);
    assert_eq!(
        e.get(paths::TRIPLINE_KIND),
        Some(Value::str("process_exec"))
    );
}

#[test]
fn user_command_answers_command_line() {
    let e = Event::new(
        t(),
        Source::new(Product::Auditd, "audit-log"),
        EventKind::UserCommand(Box::new(UserCommand {
            command: "docker exec -it web sh".into(),
            cwd: Some("/home/alice".into()),
            user: Some(User::from_name("alice")),
            run_as: Some(User::from_id(0)),
            terminal: None,
            process: None,
        })),
    );
    assert_eq!(
        e.get(paths::PROCESS_COMMAND_LINE),
        Some(Value::str("docker exec -it web sh"))
    );
    assert_eq!(e.get(paths::USER_NAME), Some(Value::str("alice")));
    assert_eq!(e.get(paths::USER_EFFECTIVE_ID), Some(Value::Int(0)));
}

#[test]
fn file_and_network_paths() {
    let e = Event::new(
        t(),
        Source::new(Product::Tracee, "tracee-json"),
        EventKind::FileAccess(Box::new(FileAccess {
            op: FileOp::Rename,
            file: File {
                path: Some("/etc/shadow.tmp".into()),
                mode: Some(0o100640),
                ..File::default()
            },
            target: Some(File::from_path("/etc/shadow")),
            process: None,
        })),
    );
    assert_eq!(e.get(paths::FILE_NAME), Some(Value::str("shadow.tmp")));
    assert_eq!(e.get(paths::FILE_DIRECTORY), Some(Value::str("/etc")));
    assert_eq!(e.get(paths::FILE_EXTENSION), Some(Value::str("tmp")));
    assert_eq!(e.get(paths::FILE_MODE), Some(Value::str("640")));
    assert_eq!(
        e.get(paths::FILE_TARGET_PATH),
        Some(Value::str("/etc/shadow"))
    );
    assert_eq!(
        e.get(paths::TRIPLINE_FILE_OPERATION),
        Some(Value::str("rename"))
    );

    let n = Event::new(
        t(),
        Source::new(Product::Auditd, "audit-log"),
        EventKind::Network(Box::new(NetworkActivity {
            op: NetworkOp::Connect,
            transport: Some("tcp".into()),
            source: None,
            destination: Some(Endpoint {
                ip: Some("10.0.0.1".parse().unwrap()),
                port: Some(443),
                ..Endpoint::default()
            }),
            direction: Some(Direction::Outbound),
            process: None,
        })),
    );
    assert_eq!(
        n.get(paths::DESTINATION_IP),
        Some(Value::Ip("10.0.0.1".parse().unwrap()))
    );
    assert_eq!(n.get(paths::DESTINATION_PORT), Some(Value::Int(443)));
    assert_eq!(n.get(paths::NETWORK_DIRECTION), Some(Value::str("egress")));
    assert_eq!(
        n.get(paths::TRIPLINE_NETWORK_OPERATION),
        Some(Value::str("connect"))
    );
}

#[test]
fn finding_paths() {
    let mut f = Finding {
        rule: Rule {
            id: Some("TRC-102".into()),
            name: Some("Anti-Debugging".into()),
            authors: vec!["Aqua".into()],
            ..Rule::default()
        },
        ..Finding::default()
    };
    f.attacks = Attack::from_sigma_tags(&["attack.execution", "attack.t1059.004"]);
    let e = Event::new(
        t(),
        Source::new(Product::Tracee, "tracee-json"),
        EventKind::Finding(Box::new(f)),
    );
    assert_eq!(e.get(paths::RULE_ID), Some(Value::str("TRC-102")));
    assert_eq!(
        e.get(paths::RULE_AUTHOR),
        Some(Value::List(vec![Value::str("Aqua")]))
    );
    assert_eq!(
        e.get(paths::THREAT_TACTIC_ID),
        Some(Value::List(vec![Value::str("TA0002")]))
    );
    assert_eq!(
        e.get(paths::THREAT_SUBTECHNIQUE_ID),
        Some(Value::List(vec![Value::str("T1059.004")]))
    );
}

#[test]
fn image_reference_parsing() {
    let i = Image::parse_reference("registry:5000/team/app:1.2");
    assert_eq!(i.name.as_deref(), Some("registry:5000/team/app"));
    assert_eq!(i.tag.as_deref(), Some("1.2"));
    let i = Image::parse_reference("registry:5000/team/app");
    assert_eq!(i.name.as_deref(), Some("registry:5000/team/app"));
    assert_eq!(i.tag, None);
    let i = Image::parse_reference("alpine@sha256:abc");
    assert_eq!(i.name.as_deref(), Some("alpine"));
    assert_eq!(i.digest.as_deref(), Some("sha256:abc"));
}
