//! Golden files: for every event kind, a fully populated realistic event with its native, ECS
//! and OCSF JSON under `tests/golden/`, compared byte-for-byte.
//!
//! Regenerate with `TRIPLINE_BLESS=1 cargo test -p tripline-schema --test golden`; CI runs the
//! ECS and OCSF validators over `tests/golden/*.ecs.json` and `*.ocsf.json`.

use std::collections::BTreeSet;
use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::json;
use tripline_schema::*;

fn at(secs: i64, nanos: u32) -> DateTime<Utc> {
    Utc.timestamp_opt(secs, nanos).unwrap()
}

fn host() -> Host {
    Host {
        name: Some("web-1".into()),
        id: Some("4c4c4544004d3510805ac4c04f4d3232".into()),
        ip: vec!["10.0.0.5".parse().unwrap(), "fd00::5".parse().unwrap()],
        architecture: Some("x86_64".into()),
    }
}

fn container() -> Container {
    Container {
        id: Some("2ae6a7f15b6e3d4c5a8f9e0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d".into()),
        name: Some("web".into()),
        image: Some(Image {
            id: Some(
                "sha256:3f57d9401f8d42f986df300f0c69192fc41da28ccc8d797829467780db3dd741".into(),
            ),
            ..Image::parse_reference(
                "docker.io/library/nginx:1.25@sha256:a484819eb60211f5299034ac80f6a681b06f89e65866ce91f356ed7c72af059c",
            )
        }),
        runtime: Some("docker".into()),
        labels: [
            ("com.docker.compose.project".into(), "shop".into()),
            ("com.docker.compose.service".into(), "web".into()),
        ]
        .into(),
        privileged: Some(false),
    }
}

fn orchestrator() -> Orchestrator {
    Orchestrator {
        namespace: Some("shop".into()),
        pod_name: Some("web-7d9c5b8f6-x2k4q".into()),
        pod_uid: Some("5b7f3e2a-9c1d-4e8f-a6b2-3d4c5e6f7a8b".into()),
        cluster: Some("prod-eu-1".into()),
    }
}

fn raw(text: &str, file: &str, line: u64, offset: u64, lines: Vec<u64>) -> Raw {
    Raw {
        text: text.into(),
        lossy: false,
        location: Some(Location {
            file: Some(file.into()),
            line: Some(line),
            offset: Some(offset),
        }),
        lines,
    }
}

fn alice() -> User {
    User {
        id: Some(1000),
        name: Some("alice".into()),
    }
}

fn root() -> User {
    User {
        id: Some(0),
        name: Some("root".into()),
    }
}

fn root_group() -> Group {
    Group {
        id: Some(0),
        name: Some("root".into()),
    }
}

fn auditd_event(
    secs: i64,
    millis: u32,
    serial: u64,
    code: &str,
    action: &str,
    kind: EventKind,
) -> Event {
    let mut source = Source::new(Product::Auditd, "audit-log");
    source.event_code = Some(code.into());
    source.sequence = Some(serial);
    let mut e = Event::new(at(secs, millis * 1_000_000), source, kind);
    e.id = Some(format!("{secs}.{millis:03}:{serial}").into());
    e.observed = Some(at(secs + 1, 5_000_000));
    e.action = Some(action.into());
    e.host = Some(host());
    e.outcome = Outcome::Success;
    e.severity = Severity::new(SeverityLevel::Informational);
    e
}

/// `docker exec -it web sh` run by alice through sudo, as auditd's execve sees it.
fn process_exec_auditd_docker_exec() -> Event {
    let process = Process {
        pid: Some(24811),
        ppid: Some(24790),
        executable: Some("/usr/bin/docker".into()),
        name: Some("docker".into()),
        args: ["docker", "exec", "-it", "web", "sh"]
            .map(Text::from)
            .to_vec(),
        command_line: Some("docker exec -it web sh".into()),
        cwd: Some("/home/alice".into()),
        user: Some(root()),
        login_user: Some(alice()),
        group: Some(root_group()),
        tty: Some("pts0".into()),
        parent: Some(Box::new(ParentProcess {
            pid: Some(24790),
            executable: Some("/usr/bin/sudo".into()),
            name: Some("sudo".into()),
            ..ParentProcess::default()
        })),
        extra: ProcessExtra {
            real_user: Some(root()),
            saved_user: Some(root()),
            fs_user: Some(root()),
            real_group: Some(root_group()),
            saved_group: Some(root_group()),
            fs_group: Some(root_group()),
            session_id: Some(3),
            ..ProcessExtra::default()
        }
        .boxed(),
        ..Process::default()
    };
    let mut e = auditd_event(
        1_700_000_000,
        123,
        4567,
        "1300",
        "execve",
        EventKind::ProcessExec(Box::new(ProcessEvent {
            process,
            ..ProcessEvent::default()
        })),
    );
    e.tags = vec!["docker_exec".into()];
    let text = "type=SYSCALL msg=audit(1700000000.123:4567): arch=c000003e syscall=59 success=yes exit=0 a0=55d85d6719d0 a1=55d85d671a00 a2=55d85d671a40 a3=0 items=2 ppid=24790 pid=24811 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 comm=\"docker\" exe=\"/usr/bin/docker\" key=\"docker_exec\"\ntype=EXECVE msg=audit(1700000000.123:4567): argc=5 a0=\"docker\" a1=\"exec\" a2=\"-it\" a3=\"web\" a4=\"sh\"\ntype=CWD msg=audit(1700000000.123:4567): cwd=\"/home/alice\"\ntype=PROCTITLE msg=audit(1700000000.123:4567): proctitle=646F636B65720065786563002D697400776562007368";
    e.raw = Some(raw(
        text,
        "/var/log/audit/audit.log",
        120,
        98_304,
        vec![120, 121, 122, 123],
    ));
    e.vendor_mut("auditd").extend([
        ("key".to_string(), json!("docker_exec")),
        ("syscall".to_string(), json!("execve")),
        ("arch".to_string(), json!("x86_64")),
        ("exit".to_string(), json!(0)),
        ("items".to_string(), json!(2)),
    ]);
    e
}

/// Tracee's `sched_process_exit` for a shell inside a Kubernetes pod.
fn process_exit_tracee_container_shell() -> Event {
    let process = Process {
        pid: Some(31337),
        ppid: Some(31300),
        tid: Some(31337),
        vpid: Some(7),
        entity_id: Some("2394175936".into()),
        executable: Some("/bin/sh".into()),
        name: Some("sh".into()),
        args: vec!["sh".into()],
        exit_code: Some(0),
        user: Some(User::from_id(0)),
        parent: Some(Box::new(ParentProcess {
            pid: Some(31300),
            name: Some("containerd-shim".into()),
            entity_id: Some("1867263651".into()),
            ..ParentProcess::default()
        })),
        extra: ProcessExtra {
            start: Some(at(1_700_000_100, 250_000_000)),
            ..ProcessExtra::default()
        }
        .boxed(),
        ..Process::default()
    };
    let mut source = Source::new(Product::Tracee, "tracee-json");
    source.version = Some("0.20.0".into());
    source.event_code = Some("1003".into());
    let mut e = Event::new(
        at(1_700_000_160, 987_654_321),
        source,
        EventKind::ProcessExit(Box::new(ProcessEvent {
            process,
            interpreter: None,
            signal: Some(0),
        })),
    );
    e.id = Some("tracee-1003-31337-1700000160987654321".into());
    e.action = Some("sched_process_exit".into());
    e.host = Some(host());
    e.container = Some(container());
    e.orchestrator = Some(Box::new(orchestrator()));
    e.outcome = Outcome::Success;
    e.severity = Severity::new(SeverityLevel::Informational);
    e.raw = Some(raw(
        r#"{"timestamp":1700000160987654321,"processId":7,"threadId":7,"hostProcessId":31337,"processName":"sh","eventId":"1003","eventName":"sched_process_exit","argsNum":2,"args":[{"name":"exit_code","type":"long","value":0},{"name":"process_group_exit","type":"bool","value":true}]}"#,
        "/var/log/tracee/events.json",
        5012,
        4_194_304,
        vec![],
    ));
    e.vendor_mut("tracee").extend([
        ("processorId".to_string(), json!(3)),
        ("mountNamespace".to_string(), json!(4026532581u64)),
        ("pidNamespace".to_string(), json!(4026532584u64)),
        ("process_group_exit".to_string(), json!(true)),
    ]);
    e
}

/// `su` calling setresuid(0, 0, 0) for alice.
fn identity_change_auditd_setuid() -> Event {
    let process = Process {
        pid: Some(25001),
        ppid: Some(24990),
        executable: Some("/usr/bin/su".into()),
        name: Some("su".into()),
        user: Some(root()),
        login_user: Some(alice()),
        group: Some(Group {
            id: Some(1000),
            name: Some("alice".into()),
        }),
        tty: Some("pts1".into()),
        extra: ProcessExtra {
            real_user: Some(root()),
            saved_user: Some(root()),
            session_id: Some(3),
            ..ProcessExtra::default()
        }
        .boxed(),
        ..Process::default()
    };
    let mut e = auditd_event(
        1_700_000_200,
        7,
        4602,
        "1300",
        "setresuid",
        EventKind::IdentityChange(Box::new(IdentityChange {
            op: IdentityOp::SetUid,
            process,
            target_user: Some(root()),
            target_group: None,
        })),
    );
    e.tags = vec!["priv_change".into()];
    e.raw = Some(raw(
        "type=SYSCALL msg=audit(1700000200.007:4602): arch=c000003e syscall=117 success=yes exit=0 a0=0 a1=0 a2=0 a3=0 items=0 ppid=24990 pid=25001 auid=1000 uid=0 gid=1000 euid=0 suid=0 fsuid=0 egid=1000 sgid=1000 fsgid=1000 tty=pts1 ses=3 comm=\"su\" exe=\"/usr/bin/su\" key=\"priv_change\"",
        "/var/log/audit/audit.log",
        311,
        245_760,
        vec![],
    ));
    e.vendor_mut("auditd").extend([
        ("key".to_string(), json!("priv_change")),
        ("syscall".to_string(), json!("setresuid")),
    ]);
    e
}

/// A write to /etc/shadow by passwd.
fn file_access_auditd_write_shadow() -> Event {
    let process = Process {
        pid: Some(25110),
        ppid: Some(25001),
        executable: Some("/usr/bin/passwd".into()),
        name: Some("passwd".into()),
        user: Some(root()),
        login_user: Some(alice()),
        extra: ProcessExtra {
            session_id: Some(3),
            ..ProcessExtra::default()
        }
        .boxed(),
        ..Process::default()
    };
    let file = File {
        path: Some("/etc/shadow".into()),
        file_type: Some(FileType::File),
        inode: Some(1_835_138),
        device: Some("fd:01".into()),
        mode: Some(0o100640),
        target_path: None,
        extra: FileExtra {
            owner: Some(root()),
            group: Some(Group {
                id: Some(42),
                name: Some("shadow".into()),
            }),
            size: Some(1_204),
        }
        .boxed(),
    };
    let mut e = auditd_event(
        1_700_000_300,
        555,
        4700,
        "1300",
        "openat",
        EventKind::FileAccess(Box::new(FileAccess {
            op: FileOp::Write,
            file,
            target: None,
            process: Some(process),
        })),
    );
    e.tags = vec!["identity".into()];
    e.raw = Some(raw(
        "type=SYSCALL msg=audit(1700000300.555:4700): arch=c000003e syscall=257 success=yes exit=3 a0=ffffff9c a1=7ffd3b2c a2=241 a3=1b6 items=2 ppid=25001 pid=25110 auid=1000 uid=0 gid=0 euid=0 comm=\"passwd\" exe=\"/usr/bin/passwd\" key=\"identity\"\ntype=PATH msg=audit(1700000300.555:4700): item=1 name=\"/etc/shadow\" inode=1835138 dev=fd:01 mode=0100640 ouid=0 ogid=42 nametype=NORMAL",
        "/var/log/audit/audit.log",
        402,
        327_680,
        vec![402, 403],
    ));
    e.vendor_mut("auditd")
        .insert("key".to_string(), json!("identity"));
    e
}

/// A renamed binary dropped into PATH inside a container (Tracee).
fn file_access_tracee_rename() -> Event {
    let process = Process {
        pid: Some(31400),
        vpid: Some(42),
        executable: Some("/usr/bin/mv".into()),
        name: Some("mv".into()),
        args: ["mv", "/tmp/.x", "/usr/local/bin/kubectl"]
            .map(Text::from)
            .to_vec(),
        user: Some(User::from_id(0)),
        ..Process::default()
    };
    let mut source = Source::new(Product::Tracee, "tracee-json");
    source.event_code = Some("1018".into());
    let mut e = Event::new(
        at(1_700_000_400, 1),
        source,
        EventKind::FileAccess(Box::new(FileAccess {
            op: FileOp::Rename,
            file: File::from_path("/tmp/.x"),
            target: Some(File {
                file_type: Some(FileType::File),
                ..File::from_path("/usr/local/bin/kubectl")
            }),
            process: Some(process),
        })),
    );
    e.action = Some("security_inode_rename".into());
    e.host = Some(host());
    e.container = Some(container());
    e.orchestrator = Some(Box::new(orchestrator()));
    e.severity = Severity::new(SeverityLevel::Informational);
    e.raw = Some(raw(
        r#"{"timestamp":1700000400000000001,"eventName":"security_inode_rename","args":[{"name":"old_path","type":"const char*","value":"/tmp/.x"},{"name":"new_path","type":"const char*","value":"/usr/local/bin/kubectl"}]}"#,
        "/var/log/tracee/events.json",
        6001,
        5_000_000,
        vec![],
    ));
    e
}

/// curl inside a container connecting to an external HTTPS server.
fn network_connect_auditd() -> Event {
    let process = Process {
        pid: Some(26000),
        ppid: Some(25990),
        executable: Some("/usr/bin/curl".into()),
        name: Some("curl".into()),
        user: Some(User {
            id: Some(33),
            name: Some("www-data".into()),
        }),
        ..Process::default()
    };
    let mut e = auditd_event(
        1_700_000_500,
        42,
        4800,
        "1300",
        "connect",
        EventKind::Network(Box::new(NetworkActivity {
            op: NetworkOp::Connect,
            transport: Some("tcp".into()),
            source: Some(Endpoint {
                ip: Some("172.17.0.2".parse().unwrap()),
                port: Some(40_000),
                ..Endpoint::default()
            }),
            destination: Some(Endpoint {
                ip: Some("93.184.216.34".parse().unwrap()),
                port: Some(443),
                domain: Some("example.com".into()),
                path: None,
            }),
            direction: Some(Direction::Outbound),
            process: Some(process),
        })),
    );
    e.container = Some(container());
    e.raw = Some(raw(
        "type=SYSCALL msg=audit(1700000500.042:4800): arch=c000003e syscall=42 success=yes exit=0 a0=5 a1=7ffc a2=10 a3=0 items=0 ppid=25990 pid=26000 auid=4294967295 uid=33 gid=33 euid=33 comm=\"curl\" exe=\"/usr/bin/curl\" key=\"egress\"\ntype=SOCKADDR msg=audit(1700000500.042:4800): saddr=02000 1BB5DB8D822000000000000000000",
        "/var/log/audit/audit.log",
        530,
        430_080,
        vec![530, 531],
    ));
    e.vendor_mut("auditd")
        .insert("key".to_string(), json!("egress"));
    e
}

/// A listening socket on IPv6 (Tracee).
fn network_listen_tracee_ipv6() -> Event {
    let process = Process {
        pid: Some(27000),
        executable: Some("/usr/bin/nc".into()),
        name: Some("nc".into()),
        args: ["nc", "-l", "-p", "4444"].map(Text::from).to_vec(),
        ..Process::default()
    };
    let mut source = Source::new(Product::Tracee, "tracee-json");
    source.event_code = Some("1029".into());
    let mut e = Event::new(
        at(1_700_000_550, 100),
        source,
        EventKind::Network(Box::new(NetworkActivity {
            op: NetworkOp::Listen,
            transport: Some("TCP".into()),
            source: Some(Endpoint {
                ip: Some("::".parse().unwrap()),
                port: Some(4444),
                ..Endpoint::default()
            }),
            destination: None,
            direction: Some(Direction::Inbound),
            process: Some(process),
        })),
    );
    e.action = Some("security_socket_listen".into());
    e.host = Some(host());
    e.severity = Severity::new(SeverityLevel::Informational);
    e
}

/// A successful SSH login from a remote address.
fn authentication_auditd_ssh_login() -> Event {
    let sshd = Process {
        pid: Some(1022),
        executable: Some("/usr/sbin/sshd".into()),
        ..Process::default()
    };
    let mut e = auditd_event(
        1_700_000_600,
        900,
        4900,
        "1112",
        "USER_LOGIN",
        EventKind::Authentication(Box::new(Authentication {
            op: AuthOp::Login,
            user: Some(alice()),
            actor: Some(alice()),
            source: Some(Endpoint {
                ip: Some("203.0.113.7".parse().unwrap()),
                domain: Some("laptop.example.net".into()),
                ..Endpoint::default()
            }),
            terminal: Some("/dev/pts/2".into()),
            session_id: Some(12),
            method: Some("login".into()),
            process: Some(sshd),
        })),
    );
    e.raw = Some(raw(
        "type=USER_LOGIN msg=audit(1700000600.900:4900): pid=1022 uid=0 auid=1000 ses=12 msg='op=login id=1000 exe=\"/usr/sbin/sshd\" hostname=laptop.example.net addr=203.0.113.7 terminal=/dev/pts/2 res=success'",
        "/var/log/audit/audit.log",
        640,
        512_000,
        vec![],
    ));
    e.vendor_mut("auditd")
        .insert("op".to_string(), json!("login"));
    e
}

/// `su -` failing to switch to root.
fn authentication_auditd_su_switch_failed() -> Event {
    let su = Process {
        pid: Some(25001),
        executable: Some("/usr/bin/su".into()),
        name: Some("su".into()),
        login_user: Some(alice()),
        ..Process::default()
    };
    let mut e = auditd_event(
        1_700_000_650,
        1,
        4950,
        "1100",
        "USER_AUTH",
        EventKind::Authentication(Box::new(Authentication {
            op: AuthOp::AccountSwitch,
            user: Some(User::from_name("root")),
            actor: Some(alice()),
            source: None,
            terminal: Some("pts/1".into()),
            session_id: Some(3),
            method: Some("PAM:authentication".into()),
            process: Some(su),
        })),
    );
    e.outcome = Outcome::Failure;
    e.raw = Some(raw(
        "type=USER_AUTH msg=audit(1700000650.001:4950): pid=25001 uid=1000 auid=1000 ses=3 msg='op=PAM:authentication grantors=? acct=\"root\" exe=\"/usr/bin/su\" hostname=? addr=? terminal=pts/1 res=failed'",
        "/var/log/audit/audit.log",
        700,
        560_000,
        vec![],
    ));
    e
}

/// sudo reporting the command alice ran (auditd USER_CMD).
fn user_command_auditd_sudo() -> Event {
    let sudo = Process {
        pid: Some(24790),
        ppid: Some(24700),
        executable: Some("/usr/bin/sudo".into()),
        name: Some("sudo".into()),
        login_user: Some(alice()),
        extra: ProcessExtra {
            session_id: Some(3),
            ..ProcessExtra::default()
        }
        .boxed(),
        ..Process::default()
    };
    let mut e = auditd_event(
        1_700_000_000,
        100,
        4566,
        "1123",
        "USER_CMD",
        EventKind::UserCommand(Box::new(UserCommand {
            command: "docker exec -it web sh".into(),
            cwd: Some("/home/alice".into()),
            user: Some(alice()),
            run_as: Some(root()),
            terminal: Some("pts/0".into()),
            process: Some(sudo),
        })),
    );
    e.raw = Some(raw(
        "type=USER_CMD msg=audit(1700000000.100:4566): pid=24790 uid=1000 auid=1000 ses=3 msg='cwd=\"/home/alice\" cmd=646F636B65722065786563202D6974207765622073680A terminal=pts/0 res=success'",
        "/var/log/audit/audit.log",
        119,
        98_000,
        vec![],
    ));
    e
}

/// useradd creating a backdoor account.
fn account_change_auditd_useradd() -> Event {
    let useradd = Process {
        pid: Some(28000),
        executable: Some("/usr/sbin/useradd".into()),
        name: Some("useradd".into()),
        user: Some(root()),
        login_user: Some(alice()),
        ..Process::default()
    };
    let mut e = auditd_event(
        1_700_000_700,
        250,
        5000,
        "1114",
        "ADD_USER",
        EventKind::AccountChange(Box::new(AccountChange {
            op: AccountOp::UserCreate,
            target_user: Some(User {
                id: Some(1001),
                name: Some("backdoor".into()),
            }),
            target_group: None,
            actor: Some(alice()),
            process: Some(useradd),
        })),
    );
    e.raw = Some(raw(
        "type=ADD_USER msg=audit(1700000700.250:5000): pid=28000 uid=0 auid=1000 ses=3 msg='op=add-user acct=\"backdoor\" exe=\"/usr/sbin/useradd\" hostname=web-1 addr=? terminal=pts/0 res=success'",
        "/var/log/audit/audit.log",
        800,
        640_000,
        vec![],
    ));
    e
}

/// usermod adding the new account to the docker group.
fn account_change_auditd_group_modify() -> Event {
    let usermod = Process {
        pid: Some(28010),
        executable: Some("/usr/sbin/usermod".into()),
        name: Some("usermod".into()),
        user: Some(root()),
        login_user: Some(alice()),
        ..Process::default()
    };
    let mut e = auditd_event(
        1_700_000_701,
        0,
        5001,
        "1132",
        "GRP_MGMT",
        EventKind::AccountChange(Box::new(AccountChange {
            op: AccountOp::GroupModify,
            target_user: Some(User::from_name("backdoor")),
            target_group: Some(Group {
                id: Some(998),
                name: Some("docker".into()),
            }),
            actor: Some(alice()),
            process: Some(usermod),
        })),
    );
    e.raw = Some(raw(
        "type=GRP_MGMT msg=audit(1700000701.000:5001): pid=28010 uid=0 auid=1000 ses=3 msg='op=add-user-to-group grp=\"docker\" acct=\"backdoor\" exe=\"/usr/sbin/usermod\" hostname=web-1 addr=? terminal=pts/0 res=success'",
        "/var/log/audit/audit.log",
        801,
        640_200,
        vec![],
    ));
    e
}

/// Docker's `exec_start: sh` event for the web container.
fn container_lifecycle_docker_exec_start() -> Event {
    let exec = Process {
        executable: Some("sh".into()),
        args: vec!["sh".into()],
        user: Some(User::from_name("root")),
        ..Process::default()
    };
    let c = container();
    let attributes = [
        (
            "execID",
            "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90",
        ),
        ("image", "nginx:1.25"),
        ("name", "web"),
        ("com.docker.compose.project", "shop"),
    ]
    .map(|(k, v)| (Text::from(k), Text::from(v)))
    .into();
    let mut source = Source::new(Product::Docker, "docker-events-json");
    source.version = Some("1.45".into());
    let mut e = Event::new(
        at(1_700_000_000, 456_789_012),
        source,
        EventKind::ContainerLifecycle(Box::new(ContainerLifecycle {
            object_type: "container".into(),
            action: "exec_start".into(),
            detail: Some("sh".into()),
            actor_id: c.id.clone(),
            attributes,
            exit_code: None,
            signal: None,
            exec_id: Some(
                "a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90".into(),
            ),
            exec: Some(exec),
            trusted: true,
        })),
    );
    e.action = Some("exec_start".into());
    e.host = Some(host());
    e.container = Some(c);
    e.severity = Severity::new(SeverityLevel::Informational);
    e.raw = Some(raw(
        r#"{"status":"exec_start: sh","id":"2ae6a7f15b6e3d4c5a8f9e0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d","from":"nginx:1.25","Type":"container","Action":"exec_start: sh","Actor":{"ID":"2ae6a7f15b6e3d4c5a8f9e0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d","Attributes":{"execID":"a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f90","image":"nginx:1.25","name":"web","com.docker.compose.project":"shop"}},"scope":"local","time":1700000000,"timeNano":1700000000456789012}"#,
        "docker-events.jsonl",
        17,
        8_123,
        vec![],
    ));
    e.vendor_mut("docker")
        .insert("scope".to_string(), json!("local"));
    e
}

/// Docker's `die` event with exit code 137 (OOM-killed).
fn container_lifecycle_docker_die() -> Event {
    let c = container();
    let attributes = [
        ("exitCode", "137"),
        ("image", "nginx:1.25"),
        ("name", "web"),
    ]
    .map(|(k, v)| (Text::from(k), Text::from(v)))
    .into();
    let mut e = Event::new(
        at(1_700_000_900, 0),
        Source::new(Product::Docker, "docker-events-json"),
        EventKind::ContainerLifecycle(Box::new(ContainerLifecycle {
            object_type: "container".into(),
            action: "die".into(),
            detail: None,
            actor_id: c.id.clone(),
            attributes,
            exit_code: Some(137),
            signal: None,
            exec_id: None,
            exec: None,
            trusted: true,
        })),
    );
    e.action = Some("die".into());
    e.host = Some(host());
    e.container = Some(c);
    e.outcome = Outcome::Failure;
    e.severity = Severity::new(SeverityLevel::Informational);
    e
}

/// A long stderr line reassembled from two json-file chunks.
fn log_line_docker_stderr_partial() -> Event {
    let mut e = Event::new(
        at(1_700_000_950, 123_456_789),
        Source::new(Product::Docker, "docker-json-file"),
        EventKind::LogLine(LogLine {
            stream: Stream::Stderr,
            text: "2023/11/14 22:15:50 [error] 29#29: *1 open() \"/usr/share/nginx/html/.env\" failed (2: No such file or directory)".into(),
            partial: Some(PartialInfo {
                chunks: 2,
                complete: true,
                flush_reason: None,
            }),
        }),
    );
    e.host = Some(host());
    e.container = Some(container());
    e.raw = Some(raw(
        r#"{"log":"2023/11/14 22:15:50 [error] 29#29: *1 open() \"/usr/share/nginx/html/.env\" failed (2: No such file or directory)\n","stream":"stderr","time":"2023-11-14T22:15:50.123456789Z"}"#,
        "/var/lib/docker/containers/2ae6a7f15b6e3d4c5a8f9e0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d/2ae6a7f15b6e3d4c5a8f9e0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d-json.log",
        88,
        65_536,
        vec![87, 88],
    ));
    e
}

/// Falco's "Terminal shell in container" alert.
fn finding_falco_terminal_shell() -> Event {
    let tags = [
        "container",
        "maturity_stable",
        "mitre_execution",
        "shell",
        "T1059",
    ];
    let process = Process {
        pid: Some(31337),
        vpid: Some(7),
        executable: Some("/bin/sh".into()),
        name: Some("sh".into()),
        command_line: Some("sh".into()),
        tty: Some("34816".into()),
        user: Some(root()),
        parent: Some(Box::new(ParentProcess {
            name: Some("runc".into()),
            executable: Some("/usr/bin/runc".into()),
            ..ParentProcess::default()
        })),
        ..Process::default()
    };
    let finding = Finding {
        rule: Rule {
            name: Some("Terminal shell in container".into()),
            description: Some(
                "A shell was used as the entrypoint/exec point into a container with an attached terminal.".into(),
            ),
            ruleset: Some("falco_rules".into()),
            category: Some("syscall".into()),
            ..Rule::default()
        },
        attacks: Attack::from_falco_tags(&tags),
        event_type: Some("execve".into()),
        process: Some(process),
        user: Some(root()),
        ..Finding::default()
    };
    let mut source = Source::new(Product::Falco, "falco-json");
    source.version = Some("0.39.2".into());
    let mut e = Event::new(
        at(1_700_000_010, 5_123),
        source,
        EventKind::Finding(Box::new(finding)),
    );
    e.id = Some("23716645-4d9d-4254-9429-2a287a9af199".into());
    e.action = Some("execve".into());
    e.host = Some(host());
    e.container = Some(container());
    e.orchestrator = Some(Box::new(orchestrator()));
    e.severity = Severity::from_falco_priority("Notice").unwrap();
    e.message = Some("22:13:30.000005123: Notice A shell was spawned in a container with an attached terminal (evt_type=execve user=root user_uid=0 user_loginuid=-1 process=sh proc_exepath=/bin/sh parent=runc command=sh terminal=34816 exe_flags=EXE_WRITABLE container_id=2ae6a7f15b6e container_name=web)".into());
    e.tags = tags.map(Text::from).to_vec();
    e.raw = Some(raw(
        r#"{"hostname":"web-1","output":"22:13:30.000005123: Notice A shell was spawned in a container with an attached terminal (...)","output_fields":{"container.id":"2ae6a7f15b6e","container.name":"web","evt.type":"execve","proc.aname[2]":"containerd-shim","proc.name":"sh","proc.tty":34816,"user.loginuid":-1,"user.name":"root"},"priority":"Notice","rule":"Terminal shell in container","source":"syscall","tags":["T1059","container","maturity_stable","mitre_execution","shell"],"time":"2023-11-14T22:13:30.000005123Z","uuid":"23716645-4d9d-4254-9429-2a287a9af199"}"#,
        "/var/log/falco/events.json",
        3,
        1_024,
        vec![],
    ));
    e.vendor_mut("falco").insert(
        "output_fields".to_string(),
        json!({
            "container.id": "2ae6a7f15b6e",
            "evt.type": "execve",
            "proc.aname[2]": "containerd-shim",
            "proc.tty": 34816,
            "user.loginuid": -1,
            "k8s.pod.name": null
        }),
    );
    e
}

/// A Tripline Sigma correlation: five failed su attempts then a root shell.
fn finding_tripline_correlation() -> Event {
    let finding = Finding {
        rule: Rule {
            id: Some("6c1e2a0f-3b4d-4f5e-8a9b-0c1d2e3f4a5b".into()),
            name: Some("Brute-forced su followed by root shell".into()),
            description: Some("Several failed su attempts by one user followed by a root shell in the same session.".into()),
            authors: vec!["Tripline".into(), "Alice Example".into()],
            ruleset: Some("tripline-correlations".into()),
            category: Some("correlation".into()),
            version: Some("2".into()),
            license: Some("DRL-1.1".into()),
            references: vec!["https://attack.mitre.org/techniques/T1110/001/".into()],
        },
        attacks: Attack::from_sigma_tags(&[
            "attack.credential-access",
            "attack.t1110.001",
        ]),
        evidence: vec![
            "1700000650.001:4950".into(),
            "1700000200.007:4602".into(),
        ],
        group: [
            ("user.name".into(), "alice".into()),
            ("host.name".into(), "web-1".into()),
        ]
        .into(),
        count: Some(5),
        first_seen: Some(at(1_700_000_100, 0)),
        last_seen: Some(at(1_700_000_650, 1_000_000)),
        event_type: None,
        process: None,
        user: Some(alice()),
        file: None,
        source: Some(Endpoint {
            ip: Some("203.0.113.7".parse().unwrap()),
            ..Endpoint::default()
        }),
        destination: None,
    };
    let mut e = Event::new(
        at(1_700_000_650, 1_000_000),
        Source::new(Product::Tripline, "tripline-correlation"),
        EventKind::Finding(Box::new(finding)),
    );
    e.id = Some("tripline-7f3a9c".into());
    e.observed = Some(at(1_700_000_651, 0));
    e.host = Some(host());
    e.severity = Severity::from_sigma_level("high").unwrap();
    e.message = Some("alice failed su 5 times, then ran a root shell".into());
    e.labels = [("team".into(), "platform".into())].into();
    e
}

/// An audit record type the schema does not model (BPF program load).
fn other_auditd_bpf() -> Event {
    let process = Process {
        pid: Some(29000),
        executable: Some("/usr/lib/systemd/systemd".into()),
        name: Some("systemd".into()),
        ..Process::default()
    };
    let mut e = auditd_event(
        1_700_001_000,
        0,
        5100,
        "1334",
        "BPF",
        EventKind::Other(Box::new(Other {
            name: "BPF".into(),
            process: Some(process),
        })),
    );
    e.outcome = Outcome::Unknown;
    e.raw = Some(raw(
        "type=BPF msg=audit(1700001000.000:5100): prog-id=75 op=LOAD",
        "/var/log/audit/audit.log",
        900,
        720_000,
        vec![],
    ));
    e.vendor_mut("auditd").extend([
        ("prog-id".to_string(), json!("75")),
        ("op".to_string(), json!("LOAD")),
    ]);
    e
}

fn process_fork_tracee_container_shell() -> Event {
    let process = Process {
        pid: Some(31338),
        ppid: Some(31337),
        tid: Some(31338),
        vpid: Some(8),
        entity_id: Some("1520716380".into()),
        executable: Some("/bin/sh".into()),
        name: Some("sh".into()),
        user: Some(User::from_id(0)),
        parent: Some(Box::new(ParentProcess {
            pid: Some(31337),
            name: Some("sh".into()),
            entity_id: Some("2394175936".into()),
            ..ParentProcess::default()
        })),
        extra: ProcessExtra {
            start: Some(at(1_700_000_120, 500_000_000)),
            ..ProcessExtra::default()
        }
        .boxed(),
        ..Process::default()
    };
    let mut source = Source::new(Product::Tracee, "tracee-json");
    source.version = Some("0.19.0".into());
    source.event_code = Some("1002".into());
    let mut e = Event::new(
        at(1_700_000_120, 500_000_000),
        source,
        EventKind::ProcessFork(Box::new(ProcessEvent {
            process,
            ..ProcessEvent::default()
        })),
    );
    e.id = Some("tracee-1002-31338-1700000120500000000".into());
    e.action = Some("sched_process_fork".into());
    e.host = Some(host());
    e.container = Some(container());
    e.severity = Severity::new(SeverityLevel::Informational);
    e.raw = Some(raw(
        r#"{"timestamp":1700000120500000000,"processId":7,"threadId":7,"hostProcessId":31337,"processName":"sh","eventId":"1002","eventName":"sched_process_fork","argsNum":4,"args":[{"name":"parent_pid","type":"int","value":31337},{"name":"parent_ns_pid","type":"int","value":7},{"name":"child_pid","type":"int","value":31338},{"name":"child_ns_pid","type":"int","value":8}]}"#,
        "/var/log/tracee/events.json",
        4000,
        3_276_800,
        vec![],
    ));
    e
}

fn process_access_tracee_ptrace_poketext() -> Event {
    let tracer = Process {
        pid: Some(31400),
        ppid: Some(31337),
        vpid: Some(12),
        executable: Some("/tmp/.x/inject".into()),
        name: Some("inject".into()),
        user: Some(User::from_id(0)),
        ..Process::default()
    };
    let target = Process {
        pid: Some(31301),
        vpid: Some(1),
        ..Process::default()
    };
    let mut source = Source::new(Product::Tracee, "tracee-json");
    source.version = Some("0.19.0".into());
    source.event_code = Some("101".into());
    let mut e = Event::new(
        at(1_700_000_130, 0),
        source,
        EventKind::ProcessAccess(Box::new(ProcessAccess {
            op: ProcessAccessOp::from_ptrace_request("PTRACE_POKETEXT"),
            request: Some("PTRACE_POKETEXT".into()),
            process: Some(tracer),
            target,
        })),
    );
    e.id = Some("tracee-101-31400-1700000130000000000".into());
    e.action = Some("ptrace".into());
    e.host = Some(host());
    e.container = Some(container());
    e.outcome = Outcome::Success;
    e.severity = Severity::new(SeverityLevel::Informational);
    e.raw = Some(raw(
        r#"{"timestamp":1700000130000000000,"processId":12,"threadId":12,"hostProcessId":31400,"processName":"inject","eventId":"101","eventName":"ptrace","returnValue":0,"argsNum":4,"args":[{"name":"request","type":"long","value":"PTRACE_POKETEXT"},{"name":"pid","type":"pid_t","value":1},{"name":"addr","type":"void*","value":"0x7f3a2c001000"},{"name":"data","type":"void*","value":"0x9090909090909090"}]}"#,
        "/var/log/tracee/events.json",
        4100,
        3_277_900,
        vec![],
    ));
    e.vendor_mut("tracee").extend([
        ("addr".to_string(), json!("0x7f3a2c001000")),
        ("data".to_string(), json!("0x9090909090909090")),
        ("target_ns_pid".to_string(), json!(1)),
    ]);
    e
}

fn cases() -> Vec<(&'static str, Event)> {
    vec![
        (
            "process_exec_auditd_docker_exec",
            process_exec_auditd_docker_exec(),
        ),
        (
            "process_exit_tracee_container_shell",
            process_exit_tracee_container_shell(),
        ),
        (
            "process_fork_tracee_container_shell",
            process_fork_tracee_container_shell(),
        ),
        (
            "process_access_tracee_ptrace_poketext",
            process_access_tracee_ptrace_poketext(),
        ),
        (
            "identity_change_auditd_setuid",
            identity_change_auditd_setuid(),
        ),
        (
            "file_access_auditd_write_shadow",
            file_access_auditd_write_shadow(),
        ),
        ("file_access_tracee_rename", file_access_tracee_rename()),
        ("network_connect_auditd", network_connect_auditd()),
        ("network_listen_tracee_ipv6", network_listen_tracee_ipv6()),
        (
            "authentication_auditd_ssh_login",
            authentication_auditd_ssh_login(),
        ),
        (
            "authentication_auditd_su_switch_failed",
            authentication_auditd_su_switch_failed(),
        ),
        ("user_command_auditd_sudo", user_command_auditd_sudo()),
        (
            "account_change_auditd_useradd",
            account_change_auditd_useradd(),
        ),
        (
            "account_change_auditd_group_modify",
            account_change_auditd_group_modify(),
        ),
        (
            "container_lifecycle_docker_exec_start",
            container_lifecycle_docker_exec_start(),
        ),
        (
            "container_lifecycle_docker_die",
            container_lifecycle_docker_die(),
        ),
        (
            "log_line_docker_stderr_partial",
            log_line_docker_stderr_partial(),
        ),
        (
            "finding_falco_terminal_shell",
            finding_falco_terminal_shell(),
        ),
        (
            "finding_tripline_correlation",
            finding_tripline_correlation(),
        ),
        ("other_auditd_bpf", other_auditd_bpf()),
    ]
}

fn golden_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden")
}

fn bless() -> bool {
    std::env::var_os("TRIPLINE_BLESS").is_some_and(|v| v == "1")
}

/// Compares `actual` with the golden file, or writes it when blessing.
fn check(name: &str, actual: &str, failures: &mut Vec<String>) {
    let path = golden_dir().join(name);
    if bless() {
        std::fs::create_dir_all(golden_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
        return;
    }
    match std::fs::read_to_string(&path) {
        Ok(expected) if expected == actual => {}
        Ok(_) => failures.push(format!("{name}: differs (TRIPLINE_BLESS=1 to regenerate)")),
        Err(e) => failures.push(format!("{name}: {e} (TRIPLINE_BLESS=1 to create)")),
    }
}

#[test]
fn every_event_kind_has_a_golden_case() {
    let covered: BTreeSet<&str> = cases().iter().map(|(_, e)| e.kind.name()).collect();
    let all = [
        "process_exec",
        "process_exit",
        "process_fork",
        "process_access",
        "identity_change",
        "file_access",
        "network",
        "authentication",
        "user_command",
        "account_change",
        "container_lifecycle",
        "log_line",
        "finding",
        "other",
    ];
    assert_eq!(covered, all.into_iter().collect());
}

#[test]
fn golden_files_match() {
    let mut failures = Vec::new();
    for (name, event) in cases() {
        let native = canonical::to_string_pretty(&event.to_native_value());
        let ecs = canonical::to_string_pretty(&event.to_ecs(&EcsOptions::default()));
        let ocsf = canonical::to_string_pretty(&event.to_ocsf(&OcsfOptions::default()));
        check(&format!("{name}.native.json"), &native, &mut failures);
        check(&format!("{name}.ecs.json"), &ecs, &mut failures);
        check(&format!("{name}.ocsf.json"), &ocsf, &mut failures);
        // The committed native file reads back to the same event.
        if !bless() {
            let text = std::fs::read_to_string(golden_dir().join(format!("{name}.native.json")))
                .unwrap_or_default();
            match Event::from_native_json(&text) {
                Ok(back) if back == event => {}
                Ok(_) => failures.push(format!("{name}.native.json: reads back different")),
                Err(e) => failures.push(format!("{name}.native.json: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn no_stray_golden_files() {
    let names: BTreeSet<String> = cases()
        .iter()
        .flat_map(|(n, _)| ["native", "ecs", "ocsf"].map(|k| format!("{n}.{k}.json")))
        .collect();
    for entry in std::fs::read_dir(golden_dir()).unwrap() {
        let file = entry.unwrap().file_name().to_string_lossy().into_owned();
        assert!(names.contains(&file), "stray golden file {file}");
    }
}

#[test]
fn options_leave_out_raw_and_location() {
    let e = process_exec_auditd_docker_exec();
    let full = e.to_ecs(&EcsOptions::default());
    assert!(full["event"]["original"].is_string());
    assert_eq!(full["log"]["file"]["path"], "/var/log/audit/audit.log");
    assert_eq!(full["tripline"]["log"]["offset"], 98_304);
    let bare = e.to_ecs(&EcsOptions::default().without_original().without_location());
    assert!(bare["event"].get("original").is_none());
    assert!(bare.get("log").is_none_or(|l| l.get("file").is_none()));
    assert!(bare["tripline"]["log"].get("offset").is_none());
    let mut beats = EcsOptions::default();
    beats.beats_log_offset = true;
    assert_eq!(e.to_ecs(&beats)["log"]["offset"], 98_304);

    let ocsf = e.to_ocsf(&OcsfOptions::default());
    assert!(ocsf["raw_data"].is_string());
    let bare = e.to_ocsf(&OcsfOptions::default().without_raw_data());
    assert!(bare.get("raw_data").is_none());
}

#[test]
fn event_get_classification_paths() {
    let e = finding_falco_terminal_shell();
    assert_eq!(e.get(paths::EVENT_KIND), Some(Value::str("alert")));
    assert_eq!(
        e.get(paths::EVENT_CATEGORY),
        Some(Value::List(vec![
            Value::str("intrusion_detection"),
            Value::str("process")
        ]))
    );
    assert_eq!(
        e.get(paths::EVENT_TYPE),
        Some(Value::List(vec![Value::str("info"), Value::str("start")]))
    );
    let log = log_line_docker_stderr_partial();
    assert_eq!(log.get(paths::EVENT_KIND), Some(Value::str("event")));
    assert_eq!(log.get(paths::EVENT_CATEGORY), None);
    // The views agree with Event::get on categorization.
    for (name, e) in cases() {
        let ecs = e.to_ecs(&EcsOptions::default());
        let cat = e.get(paths::EVENT_CATEGORY).map(|v| match v {
            Value::List(l) => l.iter().map(|x| x.as_str().unwrap().to_string()).collect(),
            _ => vec![],
        });
        let ecs_cat = ecs["event"].get("category").map(|v| {
            v.as_array()
                .unwrap()
                .iter()
                .map(|x| x.as_str().unwrap().to_string())
                .collect::<Vec<_>>()
        });
        assert_eq!(cat, ecs_cat, "{name}");
        let ocsf = e.to_ocsf(&OcsfOptions::default());
        let c = e.classification();
        assert_eq!(ocsf["class_uid"], c.class_uid, "{name}");
        assert_eq!(ocsf["type_uid"], c.type_uid(), "{name}");
    }
}

/// The value at a dotted path of a nested JSON document.
fn lookup<'a>(doc: &'a serde_json::Value, path: &str) -> Option<&'a serde_json::Value> {
    path.split('.').try_fold(doc, |cur, part| cur.get(part))
}

/// Text forms of a field value (lists element-wise); times normalized to nanoseconds.
fn texts_of_value(v: &Value<'_>) -> Vec<String> {
    match v {
        Value::List(l) => l.iter().flat_map(texts_of_value).collect(),
        Value::Time(t) => vec![t.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true)],
        other => other
            .to_text()
            .map(|t| t.into_owned())
            .into_iter()
            .collect(),
    }
}

fn texts_of_json(v: &serde_json::Value) -> Vec<String> {
    match v {
        serde_json::Value::Array(a) => a.iter().flat_map(texts_of_json).collect(),
        serde_json::Value::String(s) => vec![s.clone()],
        other => vec![other.to_string()],
    }
}

#[test]
fn ecs_view_agrees_with_event_get() {
    let paths = [
        paths::MESSAGE,
        paths::TAGS,
        paths::EVENT_ID,
        paths::EVENT_ACTION,
        paths::EVENT_KIND,
        paths::EVENT_CATEGORY,
        paths::EVENT_TYPE,
        paths::EVENT_MODULE,
        paths::EVENT_DATASET,
        paths::EVENT_CODE,
        paths::EVENT_SEQUENCE,
        paths::EVENT_SEVERITY,
        paths::EVENT_CREATED,
        paths::EVENT_ORIGINAL,
        paths::EVENT_START,
        paths::EVENT_END,
        paths::LOG_LEVEL,
        paths::LOG_FILE_PATH,
        paths::HOST_NAME,
        paths::HOST_ID,
        paths::HOST_IP,
        paths::HOST_ARCHITECTURE,
        paths::CONTAINER_ID,
        paths::CONTAINER_NAME,
        paths::CONTAINER_IMAGE_NAME,
        paths::CONTAINER_IMAGE_TAG,
        paths::CONTAINER_IMAGE_HASH_ALL,
        paths::CONTAINER_RUNTIME,
        paths::CONTAINER_PRIVILEGED,
        paths::ORCHESTRATOR_NAMESPACE,
        paths::ORCHESTRATOR_RESOURCE_NAME,
        paths::ORCHESTRATOR_RESOURCE_ID,
        paths::ORCHESTRATOR_CLUSTER_NAME,
        paths::PROCESS_PID,
        paths::PROCESS_VPID,
        paths::PROCESS_THREAD_ID,
        paths::PROCESS_ENTITY_ID,
        paths::PROCESS_EXECUTABLE,
        paths::PROCESS_NAME,
        paths::PROCESS_ARGS,
        paths::PROCESS_ARGS_COUNT,
        paths::PROCESS_COMMAND_LINE,
        paths::PROCESS_TITLE,
        paths::PROCESS_WORKING_DIRECTORY,
        paths::PROCESS_START,
        paths::PROCESS_EXIT_CODE,
        paths::PROCESS_USER_ID,
        paths::PROCESS_USER_NAME,
        paths::PROCESS_REAL_USER_ID,
        paths::PROCESS_SAVED_USER_ID,
        paths::PROCESS_GROUP_ID,
        paths::PROCESS_GROUP_NAME,
        paths::PROCESS_PARENT_PID,
        paths::PROCESS_PARENT_EXECUTABLE,
        paths::PROCESS_PARENT_NAME,
        paths::PROCESS_PARENT_ENTITY_ID,
        paths::TRIPLINE_PROCESS_TTY,
        paths::TRIPLINE_PROCESS_SESSION_ID,
        paths::USER_ID,
        paths::USER_NAME,
        paths::USER_EFFECTIVE_ID,
        paths::USER_EFFECTIVE_NAME,
        paths::USER_TARGET_ID,
        paths::USER_TARGET_NAME,
        paths::GROUP_ID,
        paths::GROUP_NAME,
        paths::FILE_PATH,
        paths::FILE_NAME,
        paths::FILE_DIRECTORY,
        paths::FILE_EXTENSION,
        paths::FILE_TYPE,
        paths::FILE_INODE,
        paths::FILE_DEVICE,
        paths::FILE_MODE,
        paths::FILE_UID,
        paths::FILE_GID,
        paths::FILE_OWNER,
        paths::FILE_GROUP,
        paths::FILE_SIZE,
        paths::FILE_TARGET_PATH,
        paths::SOURCE_IP,
        paths::SOURCE_PORT,
        paths::SOURCE_DOMAIN,
        paths::SOURCE_ADDRESS,
        paths::DESTINATION_IP,
        paths::DESTINATION_PORT,
        paths::DESTINATION_DOMAIN,
        paths::DESTINATION_ADDRESS,
        paths::NETWORK_TRANSPORT,
        paths::NETWORK_DIRECTION,
        paths::RULE_ID,
        paths::RULE_NAME,
        paths::RULE_DESCRIPTION,
        paths::RULE_AUTHOR,
        paths::RULE_RULESET,
        paths::RULE_CATEGORY,
        paths::RULE_VERSION,
        paths::RULE_LICENSE,
        paths::RULE_REFERENCE,
        paths::THREAT_FRAMEWORK,
        paths::THREAT_TACTIC_ID,
        paths::THREAT_TACTIC_NAME,
        paths::THREAT_TECHNIQUE_ID,
        paths::THREAT_SUBTECHNIQUE_ID,
        paths::TRIPLINE_KIND,
        paths::TRIPLINE_LOG_OFFSET,
        paths::TRIPLINE_LOG_LINE,
        paths::TRIPLINE_LOG_STREAM,
        paths::TRIPLINE_FILE_OPERATION,
        paths::TRIPLINE_NETWORK_OPERATION,
        paths::TRIPLINE_AUTH_OPERATION,
        paths::TRIPLINE_AUTH_TERMINAL,
        paths::TRIPLINE_AUTH_SESSION_ID,
        paths::TRIPLINE_AUTH_METHOD,
        paths::TRIPLINE_ACCOUNT_OPERATION,
        paths::TRIPLINE_IDENTITY_OPERATION,
        paths::TRIPLINE_USER_COMMAND_TERMINAL,
        paths::TRIPLINE_DOCKER_OBJECT_TYPE,
        paths::TRIPLINE_DOCKER_ACTION,
        paths::TRIPLINE_DOCKER_DETAIL,
        paths::TRIPLINE_DOCKER_EXEC_ID,
        paths::TRIPLINE_DOCKER_ACTOR_ID,
        paths::TRIPLINE_FINDING_EVIDENCE,
        paths::TRIPLINE_FINDING_EVENT_TYPE,
        paths::TRIPLINE_FINDING_COUNT,
        paths::TRIPLINE_OTHER_NAME,
        paths::TRIPLINE_CONTAINER_IMAGE_ID,
    ];
    let mut mismatches = Vec::new();
    let mut compared = 0;
    for (name, e) in cases() {
        let ecs = e.to_ecs(&EcsOptions::default());
        for path in paths {
            let got = e.get(path).map(|v| texts_of_value(&v)).unwrap_or_default();
            let want = lookup(&ecs, path).map(texts_of_json).unwrap_or_default();
            if !got.is_empty() {
                compared += 1;
            }
            if got != want {
                mismatches.push(format!("{name} {path}: get {got:?} vs ECS {want:?}"));
            }
        }
    }
    assert!(compared > 300, "only {compared} values compared");
    assert!(mismatches.is_empty(), "{}", mismatches.join("\n"));
}
