//! The owned event's fixed size: every event is filled, moved (reader, merge queue, pipeline)
//! and dropped whole, so its size is a per-event cost whatever its kind. These bounds are the
//! sizes reached (64-bit targets); a change that grows a type fails here. Raise a bound only
//! on purpose, with a measurement (`cargo bench -p tripline-schema --bench event`).

#![cfg(target_pointer_width = "64")]

use std::mem::size_of;

use tripline_schema::{
    AccountChange, Authentication, ContainerLifecycle, Event, EventKind, File, FileAccess, Finding,
    IdentityChange, LogLine, NetworkActivity, Other, Process, ProcessAccess, ProcessEvent,
    UserCommand,
};

fn check(name: &str, size: usize, bound: usize, failures: &mut Vec<String>) {
    println!("{name}: {size} (bound {bound})");
    if size > bound {
        failures.push(format!("size_of::<{name}>() = {size} > {bound}"));
    }
}

#[test]
fn event_and_payload_sizes_stay_within_bounds() {
    let mut failures = Vec::new();
    // Was 2,096 with every payload inline.
    check("Event", size_of::<Event>(), 816, &mut failures);
    // Only the small LogLine is inline; every other payload is one boxed pointer.
    check("EventKind", size_of::<EventKind>(), 80, &mut failures);
    check("LogLine", size_of::<LogLine>(), 80, &mut failures);
    // Was 560 before the rarely set identities moved into `ProcessExtra`.
    check("Process", size_of::<Process>(), 328, &mut failures);
    check("File", size_of::<File>(), 112, &mut failures);
    // The boxed payloads: what one allocation of each kind costs. A Finding above 1,032
    // bytes no longer fits glibc's per-thread cache and costs several times more to
    // allocate and free.
    check("Finding", size_of::<Finding>(), 968, &mut failures);
    check(
        "ProcessEvent",
        size_of::<ProcessEvent>(),
        360,
        &mut failures,
    );
    check(
        "ProcessAccess",
        size_of::<ProcessAccess>(),
        704,
        &mut failures,
    );
    check(
        "IdentityChange",
        size_of::<IdentityChange>(),
        416,
        &mut failures,
    );
    check("FileAccess", size_of::<FileAccess>(), 576, &mut failures);
    check(
        "NetworkActivity",
        size_of::<NetworkActivity>(),
        528,
        &mut failures,
    );
    check(
        "Authentication",
        size_of::<Authentication>(),
        544,
        &mut failures,
    );
    check("UserCommand", size_of::<UserCommand>(), 464, &mut failures);
    check(
        "AccountChange",
        size_of::<AccountChange>(),
        448,
        &mut failures,
    );
    check(
        "ContainerLifecycle",
        size_of::<ContainerLifecycle>(),
        520,
        &mut failures,
    );
    check("Other", size_of::<Other>(), 352, &mut failures);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// A process or file whose extra part is present but empty is the same value as one without
/// (it serializes alike), and the JSON of each is flat.
#[test]
fn empty_extra_parts_compare_equal_and_serialize_flat() {
    use tripline_schema::{FileExtra, ProcessExtra, User};

    let mut with_empty = Process {
        pid: Some(1),
        ..Process::default()
    };
    let without = with_empty.clone();
    with_empty.extra_mut();
    assert!(with_empty.extra.is_some());
    assert_eq!(with_empty, without);
    assert_eq!(
        serde_json::to_string(&with_empty).unwrap(),
        serde_json::to_string(&without).unwrap()
    );
    assert!(ProcessExtra::default().boxed().is_none());

    let p = Process {
        pid: Some(7),
        user: Some(User::from_id(0)),
        login_user: Some(User::from_id(1000)),
        extra: ProcessExtra {
            saved_user: Some(User::from_id(0)),
            session_id: Some(3),
            ..ProcessExtra::default()
        }
        .boxed(),
        ..Process::default()
    };
    let json = serde_json::to_string(&p).unwrap();
    assert_eq!(
        json,
        r#"{"pid":7,"user":{"id":0},"saved_user":{"id":0},"login_user":{"id":1000},"session_id":3}"#
    );
    let back: Process = serde_json::from_str(&json).unwrap();
    assert_eq!(back, p);
    assert_eq!(back.saved_user(), Some(&User::from_id(0)));
    assert_eq!(back.session_id(), Some(3));
    assert_eq!(back.real_user(), None);
    assert!(!back.is_empty());
    assert!(Process::default().is_empty());
    assert!(!without.is_empty());

    let f = File {
        path: Some("/etc/shadow".into()),
        target_path: Some("/x".into()),
        extra: FileExtra {
            size: Some(5),
            ..FileExtra::default()
        }
        .boxed(),
        ..File::default()
    };
    let json = serde_json::to_string(&f).unwrap();
    assert_eq!(
        json,
        r#"{"path":"/etc/shadow","size":5,"target_path":"/x"}"#
    );
    let back: File = serde_json::from_str(&json).unwrap();
    assert_eq!(back, f);
    assert_eq!(back.size(), Some(5));
    assert_eq!(back.owner(), None);
    let mut plain = File::from_path("/etc/shadow");
    let same = plain.clone();
    plain.extra_mut();
    assert_eq!(plain, same);
}
