//! Input format auto-detection from a sample of the first lines.
//!
//! Detection picks the source crate; each crate then handles its own sub-variants (for example
//! the docker crate tells json-file from CRI per line). Lines that no format claims, such as
//! Falco's start-up banner or Tracee's logger lines, are skipped by the sample vote.

/// A recognized input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Format {
    /// Linux audit log (`type=… msg=audit(…)`), raw or ENRICHED.
    AuditLog,
    /// `docker events --format '{{json .}}'` or the API's JSON stream (also json-seq).
    DockerEventsJson,
    /// Plain-text `docker events` lines.
    DockerEventsText,
    /// Container logs: Docker json-file, CRI, compose or `docker logs -t` lines, journald
    /// exports, or the binary frames of Docker's `local` driver (and its dual-logging cache
    /// `container-cached.log`), told apart by [`is_local_log`].
    ContainerLogs,
    /// `docker container inspect` JSON, for the enrichment cache.
    DockerInspect,
    /// Falco JSON alerts (file output, stdout, falcosidekick, gRPC rendering).
    FalcoJson,
    /// Falco text output lines.
    FalcoText,
    /// Tracee JSON events (trace.Event of any era, or v1beta1).
    TraceeJson,
}

impl Format {
    /// A short stable name (`"auditd"`), as accepted by `--source` in the examples.
    pub fn name(self) -> &'static str {
        match self {
            Format::AuditLog => "auditd",
            Format::DockerEventsJson | Format::DockerEventsText => "docker-events",
            Format::ContainerLogs => "docker-logs",
            Format::DockerInspect => "docker-inspect",
            Format::FalcoJson | Format::FalcoText => "falco",
            Format::TraceeJson => "tracee",
        }
    }
}

fn is_rfc3339_start(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 20
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
}

const DOCKER_TYPES: &[&str] = &[
    "container",
    "image",
    "volume",
    "network",
    "daemon",
    "plugin",
    "service",
    "node",
    "secret",
    "config",
    "builder",
];

/// Classifies one JSON document (a line, or a pretty-printed object) by its keys.
pub(crate) fn detect_json(v: &serde_json::Value) -> Option<Format> {
    let obj = match v {
        serde_json::Value::Array(a) => {
            let first = a.first()?.as_object()?;
            return (first.contains_key("Id") && first.contains_key("State"))
                .then_some(Format::DockerInspect);
        }
        serde_json::Value::Object(o) => o,
        _ => return None,
    };
    let has = |k: &str| obj.contains_key(k);
    // `journalctl -o json`: container logs of the journald driver, or any unit's lines
    // (whose Falco alerts and Tracee events are read as such).
    if has("__CURSOR") || has("__REALTIME_TIMESTAMP") {
        return Some(Format::ContainerLogs);
    }
    if has("output_fields") || (has("rule") && has("priority")) {
        Some(Format::FalcoJson)
    } else if has("eventName") || (has("workload") && has("name")) {
        Some(Format::TraceeJson)
    } else if has("log") && has("stream") {
        Some(Format::ContainerLogs)
    } else if (has("Type") && has("Action")) || (has("status") && has("id")) {
        Some(Format::DockerEventsJson)
    } else if has("Id") && has("State") && has("Config") {
        Some(Format::DockerInspect)
    } else {
        None
    }
}

/// Whether a line is the kernel's own printing of an audit record, made when no audit daemon
/// reads them (dmesg, kern.log, journald): `… kernel: audit: type=1300 audit(1700000000.123:42): …`.
pub(crate) fn is_kernel_audit_line(line: &str) -> bool {
    line.find("audit: type=").is_some_and(|at| {
        (at == 0 || line.as_bytes()[at - 1] == b' ') && line[at..].contains(" audit(")
    })
}

/// Classifies one line, or `None` when it could belong to several formats or to none.
pub fn detect_line(line: &str) -> Option<Format> {
    let line = line.trim_start_matches('\u{1e}').trim();
    if line.is_empty() {
        return None;
    }
    if line.starts_with("type=") || (line.starts_with("node=") && line.contains(" type=")) {
        return Some(Format::AuditLog);
    }
    if is_kernel_audit_line(line) {
        return Some(Format::AuditLog);
    }
    if line.starts_with('{') || line.starts_with('[') {
        return detect_json(&serde_json::from_str(line).ok()?);
    }
    let b = line.as_bytes();
    // Falco text: `HH:MM:SS.nnnnnnnnn: Priority …` or ISO 8601 with `+0000: `.
    if b.len() > 20 && b[2] == b':' && b[5] == b':' && b[8] == b'.' && line[9..].contains(": ") {
        return Some(Format::FalcoText);
    }
    if is_rfc3339_start(line) {
        let mut parts = line.splitn(3, ' ');
        let ts = parts.next().unwrap_or("");
        let second = parts.next().unwrap_or("");
        if ts.ends_with("+0000:") {
            return Some(Format::FalcoText);
        }
        if DOCKER_TYPES.contains(&second) {
            return Some(Format::DockerEventsText);
        }
        return Some(Format::ContainerLogs);
    }
    // compose: `service-1  | text`
    if let Some((svc, _)) = line.split_once(" | ")
        && !svc.trim().is_empty()
        && !svc.trim().contains(' ')
    {
        return Some(Format::ContainerLogs);
    }
    None
}

/// Whether a sample (an input's first bytes) is a log of Docker's `local` driver: binary
/// frames, the first one whole in the sample — a plausible big-endian length, the same length
/// after the entry, an entry that decodes and starts with its `source` or `time_nano` field.
pub fn is_local_log(sample: &[u8]) -> bool {
    tripline_docker::is_local_frame(sample, tripline_docker::Settings::default().max_entry_bytes)
}

/// Detects the format of a sample (the first lines of a file) by majority vote over its
/// lines; `None` when no line is recognized.
pub fn detect(sample: &str) -> Option<Format> {
    let mut votes: Vec<(Format, usize)> = Vec::new();
    for line in sample.lines().take(64) {
        if let Some(f) = detect_line(line) {
            match votes.iter_mut().find(|(g, _)| *g == f) {
                Some((_, n)) => *n += 1,
                None => votes.push((f, 1)),
            }
        }
    }
    votes.into_iter().max_by_key(|(_, n)| *n).map(|(f, _)| f)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_by_one_line() {
        let rows = [
            (
                r#"type=SYSCALL msg=audit(1364481363.243:24287): arch=c000003e syscall=2"#,
                Format::AuditLog,
            ),
            (r#"node=web1 type=EOE msg=audit(1.0:2): "#, Format::AuditLog),
            (
                "Nov 27 10:00:00 web1 kernel: [12.5] audit: type=1300 audit(1.0:2): arch=c000003e",
                Format::AuditLog,
            ),
            ("audit: type=1320 audit(1.0:2): ", Format::AuditLog),
            (
                r#"{"Type":"container","Action":"start","Actor":{"ID":"ab"},"time":1}"#,
                Format::DockerEventsJson,
            ),
            (
                "\u{1e}{\"status\":\"start\",\"id\":\"ab\",\"from\":\"nginx\",\"time\":1}",
                Format::DockerEventsJson,
            ),
            (
                "2024-01-02T03:04:05.000000000Z container start 0123abcd (image=nginx, name=web)",
                Format::DockerEventsText,
            ),
            (
                r#"{"log":"hello\n","stream":"stdout","time":"2024-01-02T03:04:05.1Z"}"#,
                Format::ContainerLogs,
            ),
            (
                r#"{"__CURSOR":"s=1","__REALTIME_TIMESTAMP":"1","MESSAGE":"hello","CONTAINER_ID":"3f4e8a1c9b2d"}"#,
                Format::ContainerLogs,
            ),
            (
                "2024-01-02T03:04:05.123456789Z stdout F hello",
                Format::ContainerLogs,
            ),
            ("web-1  | GET / 200", Format::ContainerLogs),
            (
                r#"{"output":"x","priority":"Warning","rule":"Terminal shell in container","time":"2024-01-01T00:00:00.000000000Z","output_fields":{}}"#,
                Format::FalcoJson,
            ),
            (
                "16:05:10.123456789: Notice A shell was spawned (user=root)",
                Format::FalcoText,
            ),
            (
                "2024-01-02T03:04:05.123456789+0000: Warning Sensitive file opened",
                Format::FalcoText,
            ),
            (
                r#"{"timestamp":1,"eventName":"execve","args":[]}"#,
                Format::TraceeJson,
            ),
            (
                r#"[{"Id":"ab","State":{},"Config":{}}]"#,
                Format::DockerInspect,
            ),
        ];
        for (line, want) in rows {
            assert_eq!(detect_line(line), Some(want), "{line}");
        }
        assert_eq!(detect_line("Events detected: 4"), None);
        assert_eq!(
            detect_line(r#"{"level":"info","ts":1,"msg":"Tracee is ready"}"#),
            None
        );
    }

    #[test]
    fn majority_vote_skips_banners() {
        let sample = "Falco version: 0.38.0\nLoading rules from file /etc/falco/falco_rules.yaml\n\
            16:05:10.123456789: Notice A shell was spawned (user=root)\n\
            16:05:11.123456789: Warning Sensitive file opened (file=/etc/shadow)\n";
        assert_eq!(detect(sample), Some(Format::FalcoText));
        assert_eq!(detect("nothing here\n"), None);
    }
}
