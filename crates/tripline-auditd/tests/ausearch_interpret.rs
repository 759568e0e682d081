//! Differential test of interpreted records against real `ausearch -if FILE -i` (audit 3.0.9,
//! `TZ=UTC LC_ALL=C`) over every log of the shared corpus.
//!
//! Both sides are compared per event id `(node, time, serial)` as multisets of rendered
//! record lines, so record order (ausearch prints LIFO) and the grouping differences that
//! `ausearch_grouping.rs` covers do not matter here. Our side is the crate's own reader and
//! assembler ([`StrEvents`]) with [`render_line`] and the default (local passwd/group)
//! resolver — the same lookups ausearch makes on this machine.
//!
//! Every difference must be explained by an entry of [`DEVIATIONS`] (ausearch 3.0.9
//! behaviour we deliberately do not copy, each with its reason), and every entry must still
//! explain at least one difference, so the list cannot rot.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use tripline_auditd::StrEvents;
use tripline_auditd::interpret::{render_line, system_resolver};

/// Which side has a line the other lacks (for the same event id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Only we print the line.
    Ours,
    /// Only ausearch prints the line.
    Ausearch,
}

/// One unmatched line.
#[derive(Debug, Clone)]
struct Diff {
    file: String,
    side: Side,
    line: String,
    /// Our record was split out of another line (two records spliced on one line).
    spliced: bool,
    /// The other side has no line at all for this event id.
    other_side_empty: bool,
    /// All our lines for this event id.
    ours_for_event: Vec<String>,
}

/// A documented ausearch 3.0.9 behaviour we do not reproduce.
struct Deviation {
    /// Short name.
    name: &'static str,
    /// Why we differ.
    reason: &'static str,
    /// Whether the deviation explains a difference.
    explains: fn(&Diff) -> bool,
}

const DEVIATIONS: &[Deviation] = &[
    Deviation {
        name: "apparmor-event-dropped",
        reason: "ausearch 3.0.9 rejects AppArmor AVCs (quoted values with spaces, no SELinux \
                 fields) as malformed and drops their whole event (audit-userspace #351, #94); \
                 we keep and interpret them",
        explains: |d| {
            d.side == Side::Ours
                && d.other_side_empty
                && d.ours_for_event.iter().any(|l| l.contains(" apparmor="))
        },
    },
    Deviation {
        name: "eoe-marker",
        reason: "ausearch prints the EOE end-of-event marker of plugin streams as an empty \
                 record; our assembler consumes it as the completion signal",
        explains: |d| {
            d.side == Side::Ausearch
                && d.line.contains("type=EOE msg=audit(")
                && d.line.ends_with(") :")
        },
    },
    Deviation {
        name: "spliced-record",
        reason: "for two records spliced on one line ausearch prints one record whose text \
                 runs on into the second header; we print that same first line and also the \
                 second record, which the parser splits out",
        explains: |d| d.side == Side::Ours && d.spliced,
    },
];

/// The event id of an interpreted line: `node`, `msg=audit(…)` stamp.
fn event_key(line: &str) -> String {
    let node = line
        .strip_prefix("node=")
        .and_then(|r| r.split(' ').next())
        .unwrap_or("");
    let stamp = line
        .find("msg=audit(")
        .map(|i| &line[i + 10..])
        .and_then(|r| r.find(')').map(|e| &r[..e]))
        .unwrap_or("");
    format!("{node}|{stamp}")
}

fn ausearch_lines(bin: &Path, file: &Path) -> Vec<String> {
    let out = Command::new(bin)
        .args(["-if"])
        .arg(file)
        .arg("-i")
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .output()
        .expect("run ausearch");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter(|l| *l != "----" && !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Our rendered lines, each flagged when its record was spliced into another line.
fn our_lines(file: &Path) -> Vec<(String, bool)> {
    let bytes = std::fs::read(file).expect("read corpus file");
    let text = String::from_utf8_lossy(&bytes);
    let resolver = system_resolver();
    let events: Vec<_> = StrEvents::new(&text).flatten().collect();
    let spliced: std::collections::HashSet<String> = events
        .iter()
        .flat_map(|e| {
            e.records()
                .filter_map(|r| r.spliced_rest().map(str::to_string))
        })
        .collect();
    let mut lines = Vec::new();
    for event in &events {
        for record in event.records() {
            if let Some(l) = render_line(record.line(), resolver) {
                lines.push((l, spliced.contains(record.line())));
            }
        }
    }
    lines
}

fn group<T: Ord>(lines: Vec<T>, text: impl Fn(&T) -> &str) -> BTreeMap<String, Vec<T>> {
    let mut map: BTreeMap<String, Vec<T>> = BTreeMap::new();
    for l in lines {
        map.entry(event_key(text(&l))).or_default().push(l);
    }
    for v in map.values_mut() {
        v.sort();
    }
    map
}

fn diff_file(bin: &Path, file: &Path) -> (usize, Vec<Diff>) {
    let name = file.file_name().unwrap().to_string_lossy().into_owned();
    let theirs = group(ausearch_lines(bin, file), |l| l.as_str());
    let ours = group(our_lines(file), |(l, _)| l.as_str());
    let mut diffs = Vec::new();
    let mut matched = 0;
    let keys: std::collections::BTreeSet<&String> = theirs.keys().chain(ours.keys()).collect();
    for k in keys {
        let mut a = theirs.get(k).cloned().unwrap_or_default();
        let b = ours.get(k).cloned().unwrap_or_default();
        let ours_for_event: Vec<String> = b.iter().map(|(l, _)| l.clone()).collect();
        let theirs_empty = a.is_empty();
        for (l, spliced) in b {
            if let Some(pos) = a.iter().position(|x| *x == l) {
                a.remove(pos);
                matched += 1;
            } else {
                diffs.push(Diff {
                    file: name.clone(),
                    side: Side::Ours,
                    line: l,
                    spliced,
                    other_side_empty: theirs_empty,
                    ours_for_event: ours_for_event.clone(),
                });
            }
        }
        for l in a {
            diffs.push(Diff {
                file: name.clone(),
                side: Side::Ausearch,
                line: l,
                spliced: false,
                other_side_empty: ours_for_event.is_empty(),
                ours_for_event: ours_for_event.clone(),
            });
        }
    }
    (matched, diffs)
}

/// Log files of the corpus (the YAML fixtures and the manifest are not logs).
fn log_files() -> Option<Vec<std::path::PathBuf>> {
    let files = tripline_testkit::corpus_files("auditd")?;
    Some(
        files
            .into_iter()
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("log") | Some("txt")
                )
            })
            .collect(),
    )
}

#[test]
fn interpreted_records_match_ausearch() {
    let Some(bin) = tripline_testkit::oracle("ausearch") else {
        return;
    };
    let Some(files) = log_files() else { return };
    assert!(files.len() > 50, "corpus has {} logs", files.len());
    let mut total = 0;
    let mut unexplained = Vec::new();
    let mut used = vec![0usize; DEVIATIONS.len()];
    for f in &files {
        let (matched, diffs) = diff_file(&bin, f);
        total += matched;
        for d in diffs {
            match DEVIATIONS.iter().position(|dev| (dev.explains)(&d)) {
                Some(i) => used[i] += 1,
                None => unexplained.push(d),
            }
        }
    }
    eprintln!("{total} interpreted records identical to ausearch");
    for (dev, n) in DEVIATIONS.iter().zip(&used) {
        eprintln!("deviation {}: {n} lines ({})", dev.name, dev.reason);
        assert!(*n > 0, "deviation {} no longer occurs", dev.name);
    }
    if std::env::var_os("INTERP_DUMP").is_some() {
        for d in &unexplained {
            eprintln!("{} {:?}: {}", d.file, d.side, d.line);
        }
    }
    assert!(
        unexplained.is_empty(),
        "{} unexplained differences; differing fields of the first ones:\n{}",
        unexplained.len(),
        field_diffs(&unexplained)
    );
}

/// The header (`type=… msg=audit(…)`) of an interpreted line, which pairs our line with
/// ausearch's.
fn header_of(line: &str) -> &str {
    line.find(") : ").map_or(line, |i| &line[..i])
}

/// For unmatched lines of the same record on both sides, the fields (space-separated
/// tokens) that differ: the field-level view of a record mismatch.
fn field_diffs(diffs: &[Diff]) -> String {
    let mut out = String::new();
    for ours in diffs.iter().filter(|d| d.side == Side::Ours).take(6) {
        let theirs = diffs.iter().find(|d| {
            d.side == Side::Ausearch
                && d.file == ours.file
                && header_of(&d.line) == header_of(&ours.line)
        });
        let Some(theirs) = theirs else {
            out.push_str(&format!("{}: only ours: {}\n", ours.file, ours.line));
            continue;
        };
        let a: Vec<&str> = theirs.line.split(' ').collect();
        let b: Vec<&str> = ours.line.split(' ').collect();
        let only_a: Vec<&&str> = a.iter().filter(|t| !b.contains(t)).collect();
        let only_b: Vec<&&str> = b.iter().filter(|t| !a.contains(t)).collect();
        out.push_str(&format!(
            "{} {}: ausearch {:?} / ours {:?}\n",
            ours.file,
            header_of(&ours.line),
            only_a,
            only_b
        ));
    }
    for d in diffs.iter().filter(|d| d.side == Side::Ausearch).take(3) {
        out.push_str(&format!("{}: ausearch: {}\n", d.file, d.line));
    }
    out
}
