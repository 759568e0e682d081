//! Every file of `../shared/corpus/docker/` parsed with asserted values.

use std::fs;
use std::path::Path;

use tripline_docker::*;

fn file(sub: &str, name: &str) -> Option<Vec<u8>> {
    let dir = tripline_testkit::corpus(&format!("docker/{sub}"))?;
    Some(fs::read(dir.join(name)).unwrap())
}

fn events(sub_name: &str) -> Option<(Vec<Result<EventRecord<'static>, Error>>, Stats)> {
    let data = file("events", sub_name)?;
    let mut r = EventReader::new(&data[..]);
    let v: Vec<_> = r.by_ref().collect();
    let st = r.stats();
    assert!(st.balanced(), "{sub_name}: {st:?}");
    Some((v, st))
}

#[test]
fn every_corpus_file_is_accounted_for() {
    let Some(root) = tripline_testkit::corpus("docker") else {
        return;
    };
    let mut seen = 0;
    for sub in ["events", "jsonfile", "cri", "compose", "inspect"] {
        for p in tripline_testkit::corpus_files(&format!("docker/{sub}")).unwrap() {
            let data = fs::read(&p).unwrap();
            seen += 1;
            let st = match sub {
                "events" => {
                    let mut r = EventReader::new(&data[..]);
                    r.by_ref().for_each(drop);
                    r.stats()
                }
                "inspect" => {
                    let infos = parse_inspect(std::str::from_utf8(&data).unwrap()).unwrap();
                    assert_eq!(infos.len(), 1);
                    continue;
                }
                _ => {
                    let mut r = LogReader::new(&data[..]);
                    r.by_ref().for_each(drop);
                    r.stats()
                }
            };
            assert!(st.balanced(), "{}: {st:?}", p.display());
            assert!(st.lines > 0, "{}", p.display());
        }
    }
    assert!(seen >= 26, "only {seen} files under {}", root.display());
}

#[test]
fn legacy_v121_events() {
    let Some((v, st)) = events("moby-api-v1.21-events-example.jsonl") else {
        return;
    };
    assert_eq!((st.records, st.errors), (4, 0));
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    assert_eq!(v[0].era, Era::Legacy);
    assert_eq!(v[0].event_type, EventType::Image);
    assert!(v[0].type_inferred);
    assert_eq!(v[0].verb(), Action::Pull);
    assert_eq!(v[0].actor_id, "busybox:latest");
    assert_eq!(v[1].event_type, EventType::Container);
    assert_eq!(v[1].actor_id, "5745704abe9caa5");
    assert_eq!(v[1].image(), Some("busybox"));
    assert_eq!(v[3].verb(), Action::Start);
    assert_eq!(
        v[3].timestamp.unwrap().unix_nanos(),
        Some(1_442_421_716_983_607_193)
    );
}

#[test]
fn v124_events() {
    let Some((v, st)) = events("moby-api-v1.24-events-example.jsonl") else {
        return;
    };
    assert_eq!((st.records, st.errors), (9, 0));
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    let verbs: Vec<_> = v.iter().map(|e| e.verb_str().to_owned()).collect();
    assert_eq!(
        verbs,
        [
            "pull",
            "create",
            "attach",
            "connect",
            "start",
            "resize",
            "die",
            "disconnect",
            "destroy"
        ]
    );
    assert_eq!(v[0].actor_id, "alpine:latest");
    assert_eq!(v[0].name(), Some("alpine"));
    assert_eq!(
        v[1].attr("com.example.some-label"),
        Some("some-label-value")
    );
    assert_eq!(v[3].event_type, EventType::Network);
    assert_eq!(v[3].attr("container").unwrap().len(), 64);
    assert_eq!(
        (v[5].attr("height"), v[5].attr("width")),
        (Some("46"), Some("204"))
    );
    assert_eq!(v[6].exit_code(), Some(0));
    assert_eq!(v[6].attribute_trust("exitCode", None), Trust::Unverified);
    assert_eq!(v[6].attribute_trust("name", None), Trust::Daemon);
    assert!(v.iter().all(|e| e.scope.is_none() && e.era == Era::Modern));
    let f = EventFilter::from_args(["type=container", "event=die"]).unwrap();
    assert_eq!(v.iter().filter(|e| f.matches(e)).count(), 1);
    let f = EventFilter::from_args(["container=my-container"]).unwrap();
    assert_eq!(v.iter().filter(|e| f.matches(e)).count(), 6);
    let f = EventFilter::from_args(["image=alpine"]).unwrap();
    assert_eq!(v.iter().filter(|e| f.matches(e)).count(), 7);
}

#[test]
fn cli_golden_json_and_text_agree() {
    let Some((j, _)) = events("docker-cli-golden-events-json.jsonl") else {
        return;
    };
    let Some((t, st)) = events("docker-cli-golden-events-default.txt") else {
        return;
    };
    assert_eq!((st.records, st.errors), (4, 0));
    for (a, b) in j.iter().zip(&t) {
        let (a, b) = (a.as_ref().unwrap(), b.as_ref().unwrap());
        assert_eq!(a.era, Era::Modern);
        assert_eq!(b.era, Era::Text);
        assert_eq!(a.action, b.action);
        assert_eq!(a.actor_id, b.actor_id);
        assert_eq!(a.attributes, b.attributes);
        assert_eq!(
            a.timestamp.unwrap().unix_nanos(),
            b.timestamp.unwrap().unix_nanos()
        );
        assert_eq!(a.scope.as_deref(), Some("local"));
        assert_eq!(render_text_event(a), render_text_event(b));
    }
    assert_eq!(t[3].as_ref().unwrap().timestamp.unwrap().secs, 4);
    assert_eq!(j[3].as_ref().unwrap().time, Some(4_000_000_000));
}

#[test]
fn otel_mock_events() {
    let Some((v, st)) = events("otel-dockerstats-mock-events.jsonl") else {
        return;
    };
    assert_eq!((st.records, st.errors), (2, 0));
    let a = v[0].as_ref().unwrap();
    assert_eq!(a.era, Era::Transition);
    assert_eq!(a.verb(), Action::HealthStatus);
    assert_eq!(a.detail(), Some("running"));
    assert_eq!(a.status.as_deref(), Some("start"));
    let b = v[1].as_ref().unwrap();
    assert_eq!(b.scope.as_deref(), Some("swarm"));
    assert_eq!(b.image(), None);
    assert_eq!(b.attr("driver"), Some("bridge"));
    let f = EventFilter::from_args(["event=health_status"]).unwrap();
    assert!(f.matches(a) && !f.matches(b));

    let Some((v, st)) = events("otel-dockerstats-mock-events2.txt") else {
        return;
    };
    assert_eq!((st.lines, st.records, st.errors), (5, 2, 3));
    let vol = v[0].as_ref().unwrap();
    assert_eq!(vol.event_type, EventType::Volume);
    assert!(vol.attributes.is_empty());
    let d = v[1].as_ref().unwrap();
    assert_eq!(
        (d.event_type.clone(), d.actor_id.as_ref()),
        (EventType::Daemon, "")
    );
    for (i, e) in v[2..].iter().enumerate() {
        let e = e.as_ref().unwrap_err();
        assert!(matches!(e, Error::Format { .. }), "{e}");
        assert_eq!(e.location().unwrap().line, 3 + i as u64);
    }
}

fn lines(sub: &str, name: &str) -> Option<(Vec<Result<LogLine<'static>, Error>>, Stats)> {
    let data = file(sub, name)?;
    let mut r = LogReader::new(&data[..]);
    let v: Vec<_> = r.by_ref().collect();
    let st = r.stats();
    assert!(st.balanced(), "{name}: {st:?}");
    Some((v, st))
}

fn messages(sub: &str, name: &str) -> Option<(Vec<Result<Message, Error>>, Stats)> {
    let data = file(sub, name)?;
    let mut r = MessageReader::new(&data[..], "c1");
    let v: Vec<_> = r.by_ref().collect();
    Some((v, r.stats()))
}

#[test]
fn beats_corrupted_json_file() {
    let Some((v, st)) = lines("jsonfile", "beats-docker_corrupted.log") else {
        return;
    };
    assert_eq!((st.lines, st.records, st.errors), (21, 20, 1));
    let e = v[6].as_ref().unwrap_err();
    assert!(matches!(e, Error::Corrupt { .. }), "{e}");
    assert_eq!(e.location().unwrap().line, 7);
    let l = v[11].as_ref().unwrap();
    assert_eq!(
        l.time.unwrap().to_rfc3339_nano(),
        "2016-03-02T22:59:04.66649744Z"
    );
    assert_eq!(
        l.text(),
        "sed -i.bk 's/device: any/device: en0/' /build/packetbeat-darwin.yml"
    );
    assert_eq!(l.stream, Stream::Stdout);
    assert!(!l.partial);
    assert_eq!(v[20].as_ref().unwrap().text(), "Moving binaries to host...");
}

#[test]
fn kubelet_json_lines_interleaved_partials() {
    let Some((v, _)) = messages("jsonfile", "kubelet-logs-test-lines.jsonl") else {
        return;
    };
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    assert_eq!(v.len(), 5);
    assert_eq!(v[0].text, b"line1");
    assert_eq!(v[0].time.unwrap().to_rfc3339_nano(), "2020-09-27T11:18:01Z");
    // The two lines without `\n` are dangling partials of different streams.
    assert_eq!(
        (v[3].text_lossy().as_ref(), v[3].stream.clone(), v[3].flush),
        ("docker stdout test log", Stream::Stdout, Flush::EndOfInput)
    );
    assert_eq!(
        (v[4].text_lossy().as_ref(), v[4].stream.clone(), v[4].flush),
        ("docker stderr test log", Stream::Stderr, Flush::EndOfInput)
    );
}

#[test]
fn vector_docker_cases() {
    let Some((v, st)) = lines("jsonfile", "vector-k8s-docker-parser-cases.txt") else {
        return;
    };
    assert_eq!((st.records, st.errors), (3, 5));
    let a = v[0].as_ref().unwrap();
    assert_eq!(
        (a.text().as_ref(), a.stream.clone(), a.partial),
        ("The actual log line", Stream::Stderr, false)
    );
    assert!(v[1].as_ref().unwrap().partial);
    assert_eq!(v[2].as_ref().unwrap().time, None);
    assert!(matches!(v[3], Err(Error::Json { .. })));
    assert!(matches!(v[4], Err(Error::Timestamp { .. })));
    assert!(matches!(v[5], Err(Error::Timestamp { .. })));
    assert!(matches!(v[6], Err(Error::Json { .. })));
    assert!(matches!(v[7], Err(Error::Json { .. })));
}

#[test]
fn moby_tag_attrs_and_zero_time() {
    let Some((v, _)) = lines("jsonfile", "moby-jsonfilelog-test-with-tag-attrs.jsonl") else {
        return;
    };
    let l = v[1].as_ref().unwrap();
    assert_eq!(l.attrs.get("tag"), Some("a7317399f3f8/test-container"));
    assert_eq!(l.stream, Stream::Other("src2".into()));
    assert_eq!(l.time.unwrap().to_rfc3339_nano(), "0001-01-01T00:00:00Z");
    assert_eq!(l.text(), "line2");
}

#[test]
fn fluentbit_docker_mode() {
    let Some((v, _)) = messages("jsonfile", "fluentbit-dockermode_splitted_line.log") else {
        return;
    };
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    assert_eq!(v.len(), 2);
    assert_eq!(v[0].text, b"2020-03-24 Single line");
    assert_eq!((v[0].chunks, v[0].flush), (3, Flush::Complete));
    assert_eq!(v[1].text, b"2020-03-24 Another single line");
    assert_eq!(v[1].location.line, 4);
    for name in [
        "fluentbit-dockermode_multiple_lines.log",
        "fluentbit-dockermode_firstline_detection.log",
    ] {
        let Some((v, _)) = messages("jsonfile", name) else {
            return;
        };
        let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
        assert!(
            v.iter()
                .all(|m| m.chunks == 1 && m.flush == Flush::Complete)
        );
        assert_eq!(v.last().unwrap().text, b"2020-03-24 Single line");
        assert_eq!(v[v.len() - 3].text, b"third bullet point");
    }
}

#[test]
fn otel_docker_lines_without_newline() {
    let Some((v, _)) = messages("jsonfile", "otel-container-operator-doc-examples.jsonl") else {
        return;
    };
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    // All three are partial chunks of stdout with no completion: one dangling message.
    assert_eq!(v.len(), 1);
    assert_eq!(v[0].chunks, 3);
    assert_eq!(v[0].flush, Flush::EndOfInput);
    assert!(
        v[0].text_lossy()
            .starts_with("INFO: log line here2024-07-03T13:50:49.526Z  WARN 1")
    );
    assert!(v[0].text_lossy().ends_with("Failed to connect to"));
}

#[test]
fn docs_pretty_printed_json_file() {
    let Some((v, st)) = lines("jsonfile", "docker-docs-json-file-example.json") else {
        return;
    };
    assert_eq!(
        (st.lines, st.records, st.errors, st.continuation),
        (5, 1, 0, 4)
    );
    let l = v[0].as_ref().unwrap();
    assert_eq!(l.text(), "Log line is here");
    assert_eq!(l.time.unwrap().nanos, 111_111_111);
}

#[test]
fn cri_kubelet_lines() {
    let Some((v, st)) = lines("cri", "kubelet-logs-test-lines.log") else {
        return;
    };
    assert_eq!((st.records, st.errors), (4, 1));
    let l = v[3].as_ref().unwrap();
    assert_eq!(l.tags.as_deref(), Some("P:TAG1:TAG2"));
    assert!(l.partial);
    assert_eq!(l.text(), "cri stdout partial test log");
    assert_eq!(v[1].as_ref().unwrap().stream, Stream::Stderr);
    assert!(matches!(
        v[4],
        Err(Error::Format {
            expected: "CRI",
            ..
        })
    ));
    let Some((m, _)) = messages("cri", "kubelet-logs-test-lines.log") else {
        return;
    };
    let m: Vec<_> = m.into_iter().filter_map(Result::ok).collect();
    assert_eq!(m.len(), 3);
    assert_eq!(
        m[2].text,
        b"cri stdout partial test logcri stdout partial test log"
    );
    assert_eq!(m[2].flush, Flush::EndOfInput);
}

#[test]
fn cri_vector_stream_change_mid_group() {
    let Some((m, _)) = messages("cri", "vector-cri-cases.log") else {
        return;
    };
    let m: Vec<_> = m.into_iter().map(Result::unwrap).collect();
    assert_eq!(m.len(), 3);
    assert_eq!(m[0].text, b"The content of the log entry 1");
    assert_eq!(
        (m[1].text.as_slice(), m[1].stream.clone()),
        (&b"Last line of the log entry 2"[..], Stream::Stderr)
    );
    assert_eq!(
        m[2].text,
        b"First line of log entry 2Second line of the log entry 2"
    );
    assert_eq!((m[2].chunks, m[2].flush), (2, Flush::EndOfInput));
}

#[test]
fn cri_invalid_utf8_kept_raw() {
    let Some((v, _)) = lines("cri", "vector-cri-invalid-utf8.log") else {
        return;
    };
    let l = v[0].as_ref().unwrap();
    assert!(l.partial);
    assert!(std::str::from_utf8(&l.content).is_err());
    assert!(l.content.starts_with(b"Hello World "));
    assert_eq!(*l.content.last().unwrap(), 0xd1);
}

#[test]
fn cri_o_offsets() {
    let Some((v, _)) = lines("cri", "otel-container-operator-doc-examples.log") else {
        return;
    };
    let t = v[0].as_ref().unwrap().time.unwrap();
    assert_eq!(t.offset_secs, -18_000);
    assert_eq!(
        t.to_datetime().unwrap().to_rfc3339(),
        "2024-04-13T12:59:37.505201169+00:00"
    );
    let Some((m, _)) = messages("cri", "otel-container-operator-doc-examples.log") else {
        return;
    };
    let m: Vec<_> = m.into_iter().map(Result::unwrap).collect();
    assert_eq!(m.len(), 3);
    assert_eq!(
        m[2].text,
        b"multiline containerd line that is super awesomne"
    );
    assert_eq!((m[2].chunks, m[2].flush), (2, Flush::Complete));
}

#[test]
fn compose_v1_up() {
    let Some((v, st)) = lines("compose", "docker-docs-gettingstarted-compose-up-v1.txt") else {
        return;
    };
    assert_eq!(st.errors, 0);
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    assert_eq!(v[0].format, LogFormat::ComposeStatus);
    assert_eq!(
        v[5].text(),
        "Attaching to composetest_web_1, composetest_redis_1"
    );
    assert_eq!(v[6].format, LogFormat::Compose);
    assert_eq!(v[6].source.as_deref(), Some("web_1"));
    assert_eq!(
        v[6].text(),
        " * Running on http://0.0.0.0:5000/ (Press CTRL+C to quit)"
    );
    assert_eq!(v[7].source.as_deref(), Some("redis_1"));
    assert_eq!(
        v.iter()
            .filter(|l| l.source.as_deref() == Some("web_1"))
            .count(),
        4
    );
}

#[test]
fn compose_gpu_table_and_status() {
    let Some((v, _)) = lines("compose", "docker-docs-gpu-support-compose-up-v1.txt") else {
        return;
    };
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        v[4].text(),
        "| NVIDIA-SMI 450.80.02    Driver Version: 450.80.02    CUDA Version: 11.1     |"
    );
    let empty = v
        .iter()
        .find(|l| l.source.is_some() && l.content.is_empty())
        .unwrap();
    assert_eq!(empty.source.as_deref(), Some("test_1"));
    let last = v.last().unwrap();
    assert_eq!(
        (last.format, last.text().as_ref()),
        (LogFormat::ComposeStatus, "gpu_test_1 exited with code 0")
    );
}

#[test]
fn compose_v2_and_others() {
    let Some((v, _)) = lines("compose", "docker-compose-e2e-v2-expected-fragments.txt") else {
        return;
    };
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        (v[0].source.as_deref(), v[0].text().as_ref()),
        (Some("failing-1"), "world")
    );
    assert_eq!(v[5].text(), "SECRETS_URL=https://magic.cloud/secrets");
    let Some((v, _)) = lines("compose", "docker-docs-compose-watch-v2-header.txt") else {
        return;
    };
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    assert!(v.iter().all(|l| l.format == LogFormat::ComposeStatus));
    assert_eq!(v[1].text().trim(), "⦿ watch enabled");
    let Some((v, st)) = lines("compose", "awesome-compose-django-compose-up-v1.txt") else {
        return;
    };
    assert_eq!((st.skipped, st.errors), (2, 0));
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    assert_eq!(v[6].source.as_deref(), Some("db_1"));
    assert!(v[6].content.is_empty());
    assert_eq!(
        v.iter().find(|l| l.text() == "<...>").unwrap().format,
        LogFormat::ComposeStatus
    );
    let Some((v, _)) = lines("compose", "awesome-compose-minecraft-compose-logs-v1.txt") else {
        return;
    };
    let v: Vec<_> = v.into_iter().map(Result::unwrap).collect();
    assert_eq!(v[0].format, LogFormat::Plain);
    assert_eq!(
        v[4].text(),
        "[15:06:39] [Server thread/INFO]: Done (35.526s)! For help, type \"help\""
    );
    assert_eq!(
        v.iter()
            .filter(|l| l.source.as_deref() == Some("minecraft_1"))
            .count(),
        7
    );
}

#[test]
fn inspect_single_container() {
    let Some(data) = file(
        "inspect",
        "otel-dockerstats-single_container-container.json",
    ) else {
        return;
    };
    let info = parse_inspect(std::str::from_utf8(&data).unwrap())
        .unwrap()
        .remove(0);
    assert_eq!(
        info.id,
        "10b703fb312b25e8368ab5a3bce3a1610d1cee5d71a94920f1a7adbc5b0cb326"
    );
    assert_eq!(info.name, "bold_sinoussi");
    assert_eq!(info.image, "ubuntu");
    assert!(info.image_id.starts_with("sha256:825d55fb"));
    assert_eq!(
        info.labels.get("container.label").map(String::as_str),
        Some("container-label")
    );
    assert_eq!(info.env_keys, ["ENV_VAR", "ENV_VAR_2", "PATH"]);
    assert!(!info.privileged && info.tty && info.running);
    assert_eq!(
        (info.pid, info.ipc_mode.as_str(), info.network_mode.as_str()),
        (2968, "private", "default")
    );
    assert_eq!(info.log_driver, "json-file");
    assert!(info.log_path.ends_with("-json.log"));
    assert_eq!(info.finished_at, None);
    assert_eq!(
        info.started_at.unwrap().to_rfc3339_nano(),
        "2022-07-06T04:17:30.2570682Z"
    );
    assert_eq!(
        info.ip_addresses.get("bridge").map(String::as_str),
        Some("10.255.0.2")
    );
    assert_eq!(info.command, ["/bin/sh"]);
    let mut cache = EnrichmentCache::default();
    cache.insert(info);
    assert!(cache.get("10b703fb312b").is_some());
    assert!(cache.get("10b703fb312b25e8").is_some());
    assert!(cache.get("/bold_sinoussi").is_some());
    assert_eq!(cache.by_pid(2968).unwrap().name, "bold_sinoussi");
    assert!(cache.get("10b703fb31").is_none());
    let _ = Path::new("");
}
