//! Every corpus file parses with no panic and every line accounted for.

use std::collections::BTreeMap;

use tripline_auditd::{Reader, ReaderStats, Settings, StrEvents, StrRecords, WarningKind};

fn corpus_logs() -> Option<Vec<std::path::PathBuf>> {
    let files = tripline_testkit::corpus_files("auditd")?;
    Some(
        files
            .into_iter()
            .filter(|p| p.file_name().is_none_or(|n| n != "MANIFEST.md"))
            .collect(),
    )
}

#[test]
fn every_corpus_line_is_accounted_for() {
    let Some(files) = corpus_logs() else { return };
    assert!(files.len() > 50, "corpus looks incomplete");
    let mut total = ReaderStats::default();
    let mut warnings: BTreeMap<String, usize> = BTreeMap::new();
    for path in &files {
        let bytes = std::fs::read(path).unwrap();
        let mut reader = Reader::new(&bytes[..]);
        let mut n = 0;
        while let Some(r) = reader.next_record() {
            match r {
                Ok(rec) => {
                    n += 1;
                    for w in rec.warnings() {
                        *warnings.entry(format!("{:?}", w.kind)).or_default() += 1;
                    }
                }
                Err(e) => {
                    if std::env::var_os("SHOW_ERRORS").is_some() {
                        eprintln!("{}: {e}", path.display());
                    }
                }
            }
        }
        let s = reader.stats();
        assert!(s.balanced(), "{}: {s:?}", path.display());
        let text_lines = bytes.split(|&b| b == b'\n').count() as u64
            - u64::from(bytes.ends_with(b"\n") || bytes.is_empty());
        assert_eq!(s.lines, text_lines, "{}", path.display());
        assert_eq!(n as u64, s.records);
        // The zero-copy string path agrees with the BufRead path.
        if let Ok(text) = std::str::from_utf8(&bytes) {
            let mut it = StrRecords::new(text);
            let m = it.by_ref().filter(Result::is_ok).count() as u64;
            assert_eq!(m, s.records, "{}", path.display());
            assert_eq!(it.stats(), s, "{}", path.display());
        }
        total.lines += s.lines;
        total.records += s.records;
        total.errors += s.errors;
        total.skipped += s.skipped;
        total.spliced += s.spliced;
    }
    eprintln!("corpus: {total:?}\nwarnings: {warnings:?}");
    // Only non-record lines (YAML structure, malformed headers) may fail.
    assert!(total.records > 15_000);
}

#[test]
fn record_logs_have_no_errors_besides_known_headers() {
    let Some(files) = corpus_logs() else { return };
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "log" || e == "txt"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            if let Err(e) = tripline_auditd::from_str(line) {
                // `type=UNKNOWN[1329] msg=?` has no event id; nothing else may fail.
                assert!(line.contains("msg=?"), "{}:{}: {e}", path.display(), i + 1);
            }
        }
    }
}

#[test]
fn assembly_never_loses_records() {
    let Some(files) = corpus_logs() else { return };
    for settings in [Settings::default(), Settings::ausearch_3_0_9()] {
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let mut it = StrEvents::with_settings(&text, settings.clone());
            let mut records = 0;
            for ev in it.by_ref().flatten() {
                assert!(!ev.is_empty());
                records += ev.len() as u64;
            }
            let a = it.assembler_stats();
            assert_eq!(
                records + a.orphan_eoe,
                it.reader_stats().records,
                "{}",
                path.display()
            );
        }
    }
    let _ = WarningKind::SplicedRecord;
}

#[cfg(feature = "schema")]
#[test]
fn every_corpus_event_normalizes() {
    let Some(files) = corpus_logs() else { return };
    let mut kinds: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut events = 0;
    for path in &files {
        let Ok(text) = std::fs::read_to_string(path) else {
            continue;
        };
        for ev in StrEvents::new(&text).flatten() {
            let e = tripline_auditd::normalize(&ev);
            events += 1;
            *kinds.entry(e.kind.name()).or_default() += 1;
            // Nothing dropped: every record's line is in the raw text.
            let raw = e.raw.as_ref().unwrap();
            assert_eq!(raw.text.lines().count(), ev.len());
            // Audit keys stay visible.
            for k in ev.keys() {
                assert!(e.tags.iter().any(|t| *t == k));
            }
        }
    }
    eprintln!("{events} events: {kinds:?}");
    for k in [
        "process_exec",
        "user_command",
        "authentication",
        "account_change",
        "file_access",
        "network",
        "identity_change",
        "other",
    ] {
        assert!(
            kinds.get(k).copied().unwrap_or(0) > 0,
            "no {k} event in the corpus: {kinds:?}"
        );
    }
}
