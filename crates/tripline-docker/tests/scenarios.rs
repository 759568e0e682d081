//! Scenario tests on in-repo fixtures (no shared corpus needed).

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use tripline_docker::*;

fn fixture(name: &str) -> Vec<u8> {
    fs::read(tripline_testkit::fixture(
        env!("CARGO_MANIFEST_DIR"),
        &format!("fixtures/{name}"),
    ))
    .unwrap()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("tripline-docker-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&d);
    fs::create_dir_all(&d).unwrap();
    d
}

fn jl(log: &str, stream: &str, time: &str) -> String {
    format!(
        "{{\"log\":{},\"stream\":\"{stream}\",\"time\":\"{time}\"}}\n",
        serde_json::to_string(log).unwrap()
    )
}

#[test]
fn mixed_event_stream() {
    let data = fixture("events-mixed.txt");
    let mut r = EventReader::new(&data[..]);
    let v: Vec<_> = r.by_ref().collect();
    let st = r.stats();
    assert!(st.balanced(), "{st:?}");
    assert_eq!(
        (st.records, st.errors, st.skipped, st.continuation),
        (5, 1, 1, 5)
    );
    let kill = v[0].as_ref().unwrap();
    assert_eq!(
        (kill.verb(), kill.attr("signal")),
        (Action::Kill, Some("15"))
    );
    let die = v[1].as_ref().unwrap();
    assert_eq!(die.exit_code(), Some(0));
    assert_eq!(die.timestamp.unwrap().nanos, 2);
    let untag = v[2].as_ref().unwrap();
    assert_eq!(
        (
            untag.event_type.clone(),
            untag.verb(),
            untag.actor_id.as_ref()
        ),
        (EventType::Image, Action::Untag, "sha256:0123")
    );
    assert_eq!(untag.timestamp.unwrap().secs, 1_700_000_003);
    assert_eq!(r.location().line, 12);
    let mount = v[3].as_ref().unwrap();
    assert_eq!(mount.event_type, EventType::Volume);
    assert_eq!(mount.actor_id, "data");
    assert_eq!(mount.attr("propagation"), Some(""));
    assert_eq!(mount.attr("read/write"), Some("true"));
    assert_eq!(mount.timestamp.unwrap().secs, 1_699_996_404);
    let exec = v[4].as_ref().unwrap();
    assert_eq!(exec.detail(), Some("sh -c echo a, b) (x"));
    assert_eq!(exec.attr("execID"), Some("ff00"));
    let err = v[5].as_ref().unwrap_err();
    assert!(matches!(err, Error::Json { .. }), "{err}");
    assert_eq!(err.location().unwrap().line, 12);
}

#[test]
fn damaged_json_file_resynchronizes() {
    let data = fixture("jsonfile-damaged.log");
    let mut r = LogReader::new(&data[..]);
    let v: Vec<_> = r.by_ref().collect();
    assert!(r.stats().balanced());
    assert_eq!(v.len(), 6);
    assert_eq!(v[0].as_ref().unwrap().text(), "one");
    let nul = v[1].as_ref().unwrap_err();
    assert!(
        matches!(
            nul,
            Error::Corrupt {
                reason: "NUL run",
                ..
            }
        ),
        "{nul}"
    );
    assert_eq!(
        nul.location().unwrap(),
        Location {
            line: 2,
            offset: 66
        }
    );
    assert!(nul.to_string().contains("\\\\0"));
    assert_eq!(v[2].as_ref().unwrap().text(), "three");
    assert!(matches!(v[3], Err(Error::Corrupt { .. })));
    let tty = v[4].as_ref().unwrap();
    assert_eq!(tty.content.as_ref(), b"tty line\r");
    let l = v[5].as_ref().unwrap();
    assert_eq!(l.text(), "café <b> \u{fffd}");
    assert!(l.partial);
    assert_eq!(l.attrs.get("env"), Some("prod"));
    // Reassembled: the `\r` of TTY output is stripped; the last line dangles.
    let m: Vec<_> = MessageReader::new(&data[..], "c")
        .filter_map(Result::ok)
        .collect();
    assert_eq!(m[2].text, b"tty line");
    assert_eq!(
        (m[3].flush, m[3].stream.clone()),
        (Flush::EndOfInput, Stream::Stderr)
    );
}

#[test]
fn interleaved_streams_during_a_partial() {
    let mut s = String::new();
    s += &jl("aaa", "stdout", "2024-01-01T00:00:01Z");
    s += &jl("err1\n", "stderr", "2024-01-01T00:00:01.1Z");
    s += &jl("bbb", "stdout", "2024-01-01T00:00:01Z");
    s += &jl("err2-", "stderr", "2024-01-01T00:00:01.2Z");
    s += &jl("ccc\n", "stdout", "2024-01-01T00:00:01Z");
    s += &jl("end\n", "stderr", "2024-01-01T00:00:01.3Z");
    let m: Vec<_> = MessageReader::new(s.as_bytes(), "c")
        .map(Result::unwrap)
        .collect();
    let got: Vec<(String, Stream, u32)> = m
        .iter()
        .map(|m| (m.text_lossy().into_owned(), m.stream.clone(), m.chunks))
        .collect();
    assert_eq!(
        got,
        [
            ("err1".into(), Stream::Stderr, 1),
            ("aaabbbccc".into(), Stream::Stdout, 3),
            ("err2-end".into(), Stream::Stderr, 2),
        ]
    );
    assert_eq!(m[1].location.line, 1);
    assert!(m.iter().all(|m| m.flush == Flush::Complete));
}

#[test]
fn dangling_partial_idle_cap_and_exit() {
    let settings = Settings {
        max_message_bytes: 8,
        partial_idle_ns: 1_000_000_000,
        ..Settings::default()
    };
    let mut s = String::new();
    s += &jl("12345", "stdout", "2024-01-01T00:00:00Z");
    s += &jl("67890", "stdout", "2024-01-01T00:00:00Z"); // cap at 10 ≥ 8
    s += &jl("idle", "stderr", "2024-01-01T00:00:01Z");
    s += &jl("later\n", "stdout", "2024-01-01T00:00:05Z"); // stderr idle > 1 s
    s += &jl("tail", "stdout", "2024-01-01T00:00:06Z");
    let mut r = MessageReader::with_parser(s.as_bytes(), "c", LogParser::default(), settings);
    let mut m: Vec<Message> = Vec::new();
    for x in r.by_ref() {
        m.push(x.unwrap());
    }
    let got: Vec<(&[u8], Flush)> = m.iter().map(|m| (m.text.as_slice(), m.flush)).collect();
    assert_eq!(
        got,
        [
            (&b"1234567890"[..], Flush::SizeCap),
            (b"idle", Flush::Idle),
            (b"later", Flush::Complete),
            (b"tail", Flush::EndOfInput),
        ]
    );
    let st = r.reassembly_stats();
    assert_eq!((st.size_capped, st.idle, st.end_of_input), (1, 1, 1));

    let mut re = Reassembler::default();
    let mut out = Vec::new();
    let key: std::sync::Arc<str> = "0123456789abcdef0123".into();
    let line = parse_json_log(br#"{"log":"half","stream":"stdout","time":"2024-01-01T00:00:00Z"}"#)
        .unwrap();
    re.push(&key, &line, Location::default(), None, &mut out);
    assert!(out.is_empty());
    re.container_exit("0123456789ab", &mut out);
    assert_eq!(
        (out[0].text.as_slice(), out[0].flush),
        (&b"half"[..], Flush::ContainerExit)
    );
    assert!(out[0].is_dangling());
}

fn gz(path: &Path, data: &[u8]) {
    let f = fs::File::create(path).unwrap();
    let mut e = flate2::write::GzEncoder::new(f, flate2::Compression::fast());
    e.write_all(data).unwrap();
    e.finish().unwrap();
}

#[test]
fn rotated_directory_with_gzip_and_partial_across_rotation() {
    let d = tmpdir("rotated");
    let id = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
    let base = d.join(format!("{id}-json.log"));
    gz(
        &d.join(format!("{id}-json.log.2.gz")),
        jl("oldest\n", "stdout", "2024-01-01T00:00:01Z").as_bytes(),
    );
    let mut one = jl("middle\n", "stdout", "2024-01-01T00:00:02Z");
    one += &jl("straddles ", "stdout", "2024-01-01T00:00:03Z");
    fs::write(d.join(format!("{id}-json.log.1")), one).unwrap();
    fs::write(
        &base,
        jl("rotation\n", "stdout", "2024-01-01T00:00:03Z")
            + &jl("newest\n", "stderr", "2024-01-01T00:00:04Z"),
    )
    .unwrap();
    let files = rotated_files(&base).unwrap();
    assert_eq!(files.len(), 3);
    assert!(files[0].to_string_lossy().ends_with(".2.gz"));
    let mut r = LogDirReader::open_container_dir(&d).unwrap();
    let m: Vec<Message> = r.by_ref().map(Result::unwrap).collect();
    let texts: Vec<_> = m.iter().map(|m| m.text_lossy().into_owned()).collect();
    assert_eq!(texts, ["oldest", "middle", "straddles rotation", "newest"]);
    assert_eq!(&*m[0].container, id);
    assert!(
        m[2].file
            .as_ref()
            .unwrap()
            .to_string_lossy()
            .ends_with(".log.1")
    );
    assert_eq!(
        (m[2].chunks, m[2].location.line, m[2].location.offset),
        (2, 2, 67)
    );
    assert_eq!(r.stats().records, 5);
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn follower_across_rotation_and_checkpoint() {
    let d = tmpdir("follow");
    let base = d.join("abc-json.log");
    fs::write(&base, jl("a\n", "stdout", "2024-01-01T00:00:01Z")).unwrap();
    let mut f = Follower::open(&base, Start::Beginning).unwrap();
    let mut out = Vec::new();
    f.poll(&mut out).unwrap();
    // A half-written line is held back until its newline arrives.
    let mut h = fs::OpenOptions::new().append(true).open(&base).unwrap();
    let b = jl("b\n", "stdout", "2024-01-01T00:00:02Z");
    h.write_all(&b.as_bytes()[..10]).unwrap();
    f.poll(&mut out).unwrap();
    assert_eq!(out.len(), 1);
    h.write_all(&b.as_bytes()[10..]).unwrap();
    h.write_all(jl("c-", "stdout", "2024-01-01T00:00:03Z").as_bytes())
        .unwrap();
    drop(h);
    // Rotate by rename, as Docker does, then the new file completes the partial.
    fs::rename(&base, d.join("abc-json.log.1")).unwrap();
    fs::write(&base, jl("continued\n", "stdout", "2024-01-01T00:00:03Z")).unwrap();
    f.poll(&mut out).unwrap();
    assert_eq!(f.rotations, 1);
    let cp = f.checkpoint().unwrap();
    let mut h = fs::OpenOptions::new().append(true).open(&base).unwrap();
    h.write_all(jl("d\n", "stdout", "2024-01-01T00:00:04Z").as_bytes())
        .unwrap();
    drop(h);
    f.poll(&mut out).unwrap();
    f.finish(&mut out);
    let texts: Vec<_> = out
        .iter()
        .map(|m| m.as_ref().unwrap().text_lossy().into_owned())
        .collect();
    assert_eq!(texts, ["a", "b", "c-continued", "d"]);
    // Resuming from the checkpoint yields exactly what came after it.
    let mut g = Follower::open(&base, Start::Checkpoint(cp)).unwrap();
    let mut again = Vec::new();
    g.poll(&mut again).unwrap();
    let texts: Vec<_> = again
        .iter()
        .map(|m| m.as_ref().unwrap().text_lossy().into_owned())
        .collect();
    assert_eq!(texts, ["d"]);
    fs::remove_dir_all(&d).unwrap();
}

#[test]
fn cri_mixed_fixture() {
    let data = fixture("cri-mixed.log");
    let v: Vec<_> = LogReader::new(&data[..]).map(Result::unwrap).collect();
    let t = v[0].time.unwrap();
    assert_eq!(
        (t.offset_secs, t.secs, t.nanos),
        (-18_000, 1_706_799_600, 1)
    );
    assert_eq!(v[1].content.as_ref(), b"part-a ");
    assert_eq!(v[4].content.as_ref(), b"");
    assert_eq!(
        (v[5].tags.as_deref(), v[5].text().as_ref()),
        (None, "unlabelled old runtime line")
    );
    let m: Vec<_> = MessageReader::new(&data[..], "c")
        .map(Result::unwrap)
        .collect();
    let texts: Vec<_> = m.iter().map(|m| m.text_lossy().into_owned()).collect();
    assert_eq!(
        texts,
        [
            "crio offset line",
            "between",
            "part-a part-b",
            "",
            "unlabelled old runtime line"
        ]
    );
}

#[test]
fn compose_v2_with_ansi_and_timestamps() {
    let data = fixture("compose-v2-ansi.txt");
    let v: Vec<_> = LogReader::new(&data[..]).map(Result::unwrap).collect();
    assert_eq!(
        (v[0].source.as_deref(), v[0].text().as_ref()),
        (Some("web-1"), "GET / 200")
    );
    assert_eq!(
        (v[1].source.as_deref(), v[1].text().as_ref()),
        (Some("db-1"), "ready")
    );
    assert_eq!(v[1].time.unwrap().nanos, 123_456_789);
    assert!(v[2].content.is_empty());
    assert_eq!(v[3].format, LogFormat::ComposeStatus);
    let rendered = render_compose("web-1", 7, b"x", Some(36));
    assert_eq!(rendered, b"\x1b[36mweb-1  | \x1b[0mx");
}

#[test]
fn label_overwritten_attributes() {
    let die = EventRecord::from_str(r#"{"Type":"container","Action":"die","Actor":{"ID":"feedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface","Attributes":{"exitCode":"0","image":"evil:1","name":"x","com.acme":"1"}},"time":1,"timeNano":1000000000}"#).unwrap();
    assert_eq!(die.attribute_trust("exitCode", None), Trust::Unverified);
    let inspect = r#"[{"Id":"feedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedfacefeedface","Name":"/x","Config":{"Image":"evil:1","Labels":{"exitCode":"0","com.acme":"1"}},"State":{"Running":false,"ExitCode":137,"Pid":0},"HostConfig":{"Privileged":true,"CapAdd":["SYS_ADMIN"],"PidMode":"host"}}]"#;
    let mut cache = EnrichmentCache::default();
    assert_eq!(cache.insert_inspect(inspect).unwrap(), 1);
    let info = cache.get("feedfacefeed").unwrap().clone();
    assert_eq!(
        die.attribute_trust("exitCode", Some(&info.labels)),
        Trust::Overwritten
    );
    assert_eq!(
        die.attribute_trust("com.acme", Some(&info.labels)),
        Trust::Label
    );
    assert_eq!(
        die.attribute_trust("image", Some(&info.labels)),
        Trust::Daemon
    );
    let (v, t) = info.check_attribute(&die, "exitCode").unwrap();
    assert_eq!((v.as_ref(), t), ("137", Trust::Verified));
    assert_eq!(
        (
            info.cap_add.clone(),
            info.pid_mode.as_str(),
            info.privileged
        ),
        (vec!["SYS_ADMIN".to_owned()], "host", true)
    );
    #[cfg(feature = "schema")]
    {
        use tripline_schema::EventKind;
        let ev = die.normalize_with(&NormalizeOptions {
            cache: Some(&cache),
            ..Default::default()
        });
        let EventKind::ContainerLifecycle(c) = &ev.kind else {
            panic!()
        };
        assert_eq!(c.exit_code, Some(137));
        assert!(!c.trusted);
        assert_eq!(ev.outcome, tripline_schema::Outcome::Failure);
        assert_eq!(ev.container.as_ref().unwrap().privileged, Some(true));
        assert_eq!(
            ev.unmapped["docker"]["attribute_trust"]["exitCode"],
            "overwritten"
        );
        let plain = die.normalize();
        let EventKind::ContainerLifecycle(c) = &plain.kind else {
            panic!()
        };
        assert_eq!((c.exit_code, c.trusted), (Some(0), false));
    }
}

#[cfg(feature = "schema")]
#[test]
fn normalization_and_field_source() {
    use tripline_schema::{EventKind, FieldSource, Value, paths};
    let data = fixture("events-mixed.txt");
    let evs: Vec<_> = EventReader::new(&data[..]).filter_map(Result::ok).collect();
    let kill = evs[0].normalize();
    assert_eq!(kill.source.event_code.as_deref(), Some("container/kill"));
    assert_eq!(
        kill.get(paths::CONTAINER_ID)
            .and_then(|v| v.as_str().map(str::len)),
        Some(64)
    );
    assert_eq!(kill.get(paths::CONTAINER_NAME), Some(Value::str("cache")));
    assert_eq!(
        kill.get(paths::CONTAINER_IMAGE_NAME),
        Some(Value::str("redis"))
    );
    let EventKind::ContainerLifecycle(c) = &kill.kind else {
        panic!()
    };
    assert_eq!(c.signal.as_deref(), Some("15"));
    let exec = evs[4].normalize();
    let EventKind::ContainerLifecycle(c) = &exec.kind else {
        panic!()
    };
    let p = c.exec.as_ref().unwrap();
    assert_eq!((p.executable.as_deref(), p.args.len()), (Some("sh"), 6));
    assert_eq!(c.exec_id.as_deref(), Some("ff00"));
    let mount = evs[3].normalize();
    assert_eq!(
        mount
            .container
            .as_ref()
            .unwrap()
            .id
            .as_deref()
            .map(str::len),
        Some(64)
    );
    // Raw field access with Docker's names.
    let e = &evs[1];
    assert_eq!(e.field("Type"), Some(Value::str("container")));
    assert_eq!(e.field("Action"), Some(Value::str("die")));
    assert_eq!(e.field("Actor.Attributes.exitCode"), Some(Value::str("0")));
    assert_eq!(
        e.field("timeNano"),
        Some(Value::Int(1_700_000_002_000_000_002))
    );
    assert_eq!(e.field("status"), None);
    assert!(
        e.field_names()
            .iter()
            .any(|n| n == "Actor.Attributes.execDuration")
    );
    // Log lines.
    let lines = fixture("jsonfile-damaged.log");
    let m: Vec<_> = MessageReader::new(&lines[..], "0123456789abcdef")
        .filter_map(Result::ok)
        .collect();
    let ev = m[3].normalize();
    let EventKind::LogLine(l) = &ev.kind else {
        panic!()
    };
    assert_eq!(l.text, "café <b> \u{fffd}");
    assert_eq!(l.stream, tripline_schema::Stream::Stderr);
    let p = l.partial.as_ref().unwrap();
    assert_eq!(
        (p.chunks, p.complete, p.flush_reason.as_deref()),
        (1, false, Some("endofinput"))
    );
    assert_eq!(
        ev.container.as_ref().unwrap().id.as_deref(),
        Some("0123456789abcdef")
    );
    assert_eq!(ev.unmapped["docker"]["attrs"]["env"], "prod");
    assert_eq!(ev.source.format, "json-file");
}

#[cfg(feature = "schema")]
#[test]
fn into_event_builds_the_same_event_as_normalize() {
    let mut inputs: Vec<Vec<u8>> = [
        "cri-mixed.log",
        "jsonfile-damaged.log",
        "compose-v2-ansi.txt",
    ]
    .into_iter()
    .map(fixture)
    .collect();
    // Short and long text, a partial joined across stdout/stderr, a dangling tail, and CRI
    // content that is not UTF-8 (the lossy path).
    inputs.push(
        [
            jl("short\n", "stdout", "2024-01-01T00:00:00.1Z"),
            jl(
                "a line longer than twenty-four bytes\r\n",
                "stderr",
                "2024-01-01T00:00:00.2Z",
            ),
            jl("chunk one ", "stdout", "2024-01-01T00:00:00.3Z"),
            jl("chunk two\n", "stdout", "2024-01-01T00:00:00.4Z"),
            jl("dangling", "stderr", "2024-01-01T00:00:00.5Z"),
        ]
        .concat()
        .into_bytes(),
    );
    inputs.push(b"2024-01-01T00:00:00Z stdout F caf\xe9 \xff bytes\n".to_vec());
    let mut lossy = 0;
    let mut n = 0;
    for data in &inputs {
        for m in MessageReader::new(&data[..], "c").flatten() {
            let by_ref = m.normalize();
            lossy += usize::from(by_ref.raw.as_ref().is_some_and(|r| r.lossy));
            assert_eq!(m.into_event(), by_ref);
            n += 1;
        }
    }
    assert!(n > 10, "{n} messages");
    assert!(lossy >= 1, "{lossy} lossy messages");
}

/// `journalctl -o json` of the journald log driver: every entry names its container, so one
/// export interleaving two containers reassembles each one's partial line by (container,
/// stream), and the events carry the driver's container name and image.
#[test]
fn journald_export_of_two_containers() {
    let data = fixture("journald-export.jsonl");
    let mut r = MessageReader::new(&data[..], "");
    let msgs: Vec<Message> = r.by_ref().collect::<Result<_, _>>().unwrap();
    let web = "3f4e8a1c9b2d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f";
    let db = "9c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d";
    let got: Vec<(&str, &str, String, u32)> = msgs
        .iter()
        .map(|m| {
            let text = String::from_utf8_lossy(&m.text).into_owned();
            (&*m.container, m.stream.as_str(), text, m.chunks)
        })
        .collect();
    assert_eq!(
        got,
        [
            (web, "stdout", "nginx: starting".to_string(), 1),
            // stderr passes while stdout's partial is open.
            (web, "stderr", "warning: cache dir missing".to_string(), 1),
            (db, "stdout", "db ready".to_string(), 1),
            (
                web,
                "stdout",
                "a very long line, first chunk and its last chunk".to_string(),
                2
            ),
            // A TTY's line, written as bytes for its `\r`, which is removed.
            (web, "stdout", "hi".to_string(), 1),
        ]
    );
    assert!(msgs.iter().all(|m| m.format == LogFormat::Journald));
    // The merged line keeps its first chunk's time and line; the driver's own time wins.
    assert_eq!(msgs[3].location.line, 2);
    assert_eq!(
        msgs[3].time.unwrap().unix_nanos(),
        Some(1_763_629_200_200_000_000)
    );
    assert_eq!(
        msgs[2].time.unwrap().unix_nanos(),
        Some(1_763_629_200_201_000_123)
    );
    let s = r.stats();
    assert_eq!((s.lines, s.records, s.errors), (6, 6, 0));

    // A followed journal export keys the partials the same way.
    let d = tmpdir("journald");
    let path = d.join("containers.journal.jsonl");
    fs::write(&path, &data).unwrap();
    let mut f = Follower::open(&path, Start::Beginning).unwrap();
    let mut followed = Vec::new();
    f.poll(&mut followed).unwrap();
    f.finish(&mut followed);
    let mut followed: Vec<Message> = followed.into_iter().collect::<Result<_, _>>().unwrap();
    assert!(
        followed
            .iter()
            .all(|m| m.file.as_deref() == Some(path.as_path()))
    );
    followed.iter_mut().for_each(|m| m.file = None);
    assert_eq!(followed, msgs);
    fs::remove_dir_all(&d).unwrap();

    let ev = msgs[1].normalize();
    let c = ev.container.as_ref().unwrap();
    assert_eq!(c.id.as_deref(), Some(web));
    assert_eq!(c.name.as_deref(), Some("web"));
    assert_eq!(c.image.as_ref().unwrap().name.as_deref(), Some("nginx"));
    assert_eq!(ev.source.format, "journald");
    let attrs = &ev.unmapped["docker"]["attrs"];
    assert_eq!(attrs["_SYSTEMD_UNIT"], "docker.service");
    assert_eq!(attrs["CONTAINER_TAG"], "3f4e8a1c9b2d");
}
