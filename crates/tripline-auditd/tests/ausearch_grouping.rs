//! Differential test of event grouping against real ausearch 3.0.9 (`ausearch -if FILE`,
//! `TZ=UTC LC_ALL=C`) on every corpus log, using [`Settings::ausearch_3_0_9`].
//!
//! ausearch prints `----` between events and each event's raw records last-first; we reverse
//! them and compare the multiset of events (each an ordered list of raw lines), and the event
//! order as well on every file no deviation touches. (`--raw` prints the same lines without
//! separators, so it cannot show where one event ends and the next begins.) Documented
//! deviations of ausearch 3.0.9 that we do not reproduce, each checked to be the reason:
//!
//! 1. AppArmor `AVC` records whose quoted values contain spaces: ausearch drops the whole
//!    event as malformed; we keep it.
//! 2. `type=UNKNOWN[1329] msg=?`: no event id; ausearch skips it, we report a line error.
//! 3. Two records spliced on one line: ausearch keeps the line as one record; we split it
//!    into two records (the second joins its own event).
//! 4. Records ausearch rejects as malformed (missing `msg=`, legacy free-text daemon
//!    bodies it cannot parse) — listed per case below with the reason.

use std::collections::BTreeMap;
use std::process::Command;

use tripline_auditd::{Settings, StrEvents};

type Events = BTreeMap<Vec<String>, usize>;
type Ordered = Vec<Vec<String>>;

fn ausearch_events(ausearch: &std::path::Path, file: &std::path::Path) -> (Events, Ordered) {
    let out = Command::new(ausearch)
        .arg("-if")
        .arg(file)
        .env("TZ", "UTC")
        .env("LC_ALL", "C")
        .output()
        .expect("run ausearch");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut events = Events::new();
    let mut ordered = Ordered::new();
    let mut cur: Vec<String> = Vec::new();
    let mut flush = |cur: &mut Vec<String>| {
        if !cur.is_empty() {
            cur.reverse();
            ordered.push(cur.clone());
            *events.entry(std::mem::take(cur)).or_default() += 1;
        }
    };
    for line in text.lines() {
        if line == "----" {
            flush(&mut cur);
        } else if line.starts_with("time->") {
        } else {
            cur.push(line.split('\x1d').next().unwrap_or("").to_owned());
        }
    }
    flush(&mut cur);
    (events, ordered)
}

fn our_events(text: &str) -> (Events, Ordered) {
    let mut events = Events::new();
    let mut ordered = Ordered::new();
    for ev in StrEvents::with_settings(text, Settings::ausearch_3_0_9()).flatten() {
        let lines: Vec<String> = ev
            .records()
            .map(|r| r.line().split('\x1d').next().unwrap_or("").to_owned())
            .collect();
        ordered.push(lines.clone());
        *events.entry(lines).or_default() += 1;
    }
    (events, ordered)
}

/// Why an event may legitimately differ, or `None`.
fn known_deviation(lines: &[String], spliced: &[String]) -> Option<&'static str> {
    if lines.iter().any(|l| spliced.iter().any(|s| s == l)) {
        return Some("second record of a spliced line: ausearch keeps the line whole");
    }
    if lines.iter().any(|l| l.contains("apparmor=")) {
        return Some("AppArmor AVC: ausearch drops it as malformed");
    }
    if lines
        .iter()
        .any(|l| l.matches("msg=audit(").count() + l.matches(" audit(").count() > 1)
    {
        return Some("two records spliced on one line");
    }
    if lines.iter().any(|l| !l.contains("msg=audit(")) {
        return Some("header without msg=: ausearch skips it");
    }
    None
}

#[test]
fn grouping_matches_ausearch_3_0_9() {
    let Some(ausearch) = tripline_testkit::oracle("ausearch") else {
        return;
    };
    let Some(files) = tripline_testkit::corpus_files("auditd") else {
        return;
    };
    let mut compared = 0;
    let mut ordered_files = 0;
    let mut total_events = 0;
    let mut failures = Vec::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "log" || e == "txt"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let (theirs, their_order) = ausearch_events(&ausearch, path);
        let (ours, our_order) = our_events(&text);
        let spliced: Vec<String> = tripline_auditd::StrRecords::new(&text)
            .flatten()
            .filter_map(|r| r.spliced_rest().map(str::to_owned))
            .collect();
        compared += 1;
        // Output order too (ausearch releases an event once it is older than every open
        // one), on every file where no documented deviation applies.
        let clean = text.lines().all(|l| {
            l.trim().is_empty() || l.starts_with('#') || {
                let l = l.split('\x1d').next().unwrap_or("");
                known_deviation(&[l.to_owned()], &[]).is_none() && l.matches("type=").count() == 1
            }
        });
        if clean && path.extension().is_some_and(|e| e == "log" || e == "txt") {
            ordered_files += 1;
            if their_order != our_order {
                failures.push(format!(
                    "{}: event order differs",
                    path.file_name().unwrap().to_string_lossy()
                ));
            }
        }
        total_events += theirs.values().sum::<usize>();
        let mut keys: Vec<&Vec<String>> = theirs.keys().chain(ours.keys()).collect();
        keys.sort();
        keys.dedup();
        for ev in keys {
            let (a, b) = (
                theirs.get(ev).copied().unwrap_or(0),
                ours.get(ev).copied().unwrap_or(0),
            );
            if a != b && known_deviation(ev, &spliced).is_none() {
                failures.push(format!(
                    "{}: ausearch {a} vs ours {b}: {:?}",
                    path.file_name().unwrap().to_string_lossy(),
                    ev.iter().map(|l| &l[..l.len().min(90)]).collect::<Vec<_>>()
                ));
            }
        }
    }
    eprintln!(
        "compared {compared} files ({ordered_files} also in order), {total_events} ausearch events"
    );
    assert!(ordered_files > 60);
    assert!(compared > 50);
    assert!(
        failures.is_empty(),
        "{} differences:\n{}",
        failures.len(),
        failures[..failures.len().min(30)].join("\n")
    );
}

/// The default (libauparse 4.x-like) grouping differs from ausearch 3.0.9 only in the
/// documented ways, checked per event id on every corpus log:
///
/// - **merged**: ausearch has several events for one id whose first record is LOGIN or a
///   user-space message; we keep them together (LOGIN with its SYSCALL, SERVICE_START with the
///   kernel records of the same `sendto`).
/// - **closed at terminator**: a record after PROCTITLE/EOE of the same id starts a new event
///   for us (ausearch reading a file only closes by timeout); an EOE arriving after the event
///   was closed is counted as `orphan_eoe` instead of forming an event.
#[test]
fn default_grouping_deviations_are_the_documented_ones() {
    let Some(ausearch) = tripline_testkit::oracle("ausearch") else {
        return;
    };
    let Some(files) = tripline_testkit::corpus_files("auditd") else {
        return;
    };
    let id_of = |l: &str| -> String {
        let r = tripline_auditd::from_str(l).unwrap();
        format!("{:?}:{}:{}", r.node(), r.time(), r.serial())
    };
    let (mut merged, mut split, mut same) = (0, 0, 0);
    let mut failures = Vec::new();
    for path in files
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "log" || e == "txt"))
    {
        let text = std::fs::read_to_string(path).unwrap();
        let spliced: Vec<String> = tripline_auditd::StrRecords::new(&text)
            .flatten()
            .filter_map(|r| r.spliced_rest().map(str::to_owned))
            .collect();
        let (_, theirs) = ausearch_events(&ausearch, path);
        let mut ours_it = StrEvents::new(&text);
        let ours: Ordered = ours_it
            .by_ref()
            .flatten()
            .map(|e| {
                e.records()
                    .map(|r| r.line().split('\x1d').next().unwrap_or("").to_owned())
                    .collect()
            })
            .collect();
        let by_id = |evs: &Ordered| -> BTreeMap<String, Vec<Vec<String>>> {
            let mut m: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
            for ev in evs {
                if known_deviation(ev, &spliced).is_none() {
                    m.entry(id_of(&ev[0])).or_default().push(ev.clone());
                }
            }
            m
        };
        let (t, o) = (by_id(&theirs), by_id(&ours));
        for (id, tevs) in &t {
            let oevs = o.get(id).cloned().unwrap_or_default();
            let mut tl: Vec<&String> = tevs.iter().flatten().collect();
            let mut ol: Vec<&String> = oevs.iter().flatten().collect();
            tl.sort();
            ol.sort();
            if tevs == &oevs {
                same += 1;
                continue;
            }
            let name = path.file_name().unwrap().to_string_lossy();
            let first_type = |ev: &Vec<String>| {
                tripline_auditd::from_str(&ev[0])
                    .unwrap()
                    .record_type()
                    .map_or(0, |t| t.0)
            };
            let is_merge = tevs.len() > oevs.len()
                && tl == ol
                && tevs
                    .iter()
                    .skip(1)
                    .chain(tevs.iter().take(1))
                    .any(|e| matches!(first_type(e), 1006 | 1100..=1299 | 2100..=2999));
            let terminator = |ev: &Vec<String>| {
                ev.last().is_some_and(|l| {
                    l.contains("type=PROCTITLE ")
                        || l.contains("type=EOE ")
                        || l.contains("type=UNKNOWN[1327] ")
                })
            };
            let only_eoe_missing = {
                let mut rest = tl.clone();
                for l in &ol {
                    if let Some(p) = rest.iter().position(|x| x == l) {
                        rest.remove(p);
                    }
                }
                rest.iter().all(|l| l.contains("type=EOE "))
            };
            let is_split = oevs.len() >= tevs.len()
                && only_eoe_missing
                && oevs.iter().take(oevs.len() - 1).all(terminator);
            if is_merge {
                merged += 1;
            } else if is_split {
                split += 1;
            } else {
                failures.push(format!("{name} {id}: ausearch {tevs:?}\n   ours {oevs:?}"));
            }
        }
    }
    eprintln!(
        "default grouping: {same} ids identical, {merged} merged, {split} closed at a terminator"
    );
    assert!(split > 0, "the corpus has PROCTITLE-then-more events");
    assert!(
        failures.is_empty(),
        "{} unexplained:\n{}",
        failures.len(),
        failures[..failures.len().min(10)].join("\n")
    );
}
