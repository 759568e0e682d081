//! The streaming correlation engine: per-rule, per-group sliding windows over event time.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, VecDeque};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use tripline_schema::{FieldSource, Value};

use super::settings::{Settings, Stats};
use super::spec::{Cmp, CorrelationKind, CorrelationSpec};
use super::types::{CorrelationMatch, Detection, Evidence};
use crate::Error;
use crate::error::snippet;

/// Evidence carried by one window entry: none, one event, or a chained match's evidence.
#[derive(Debug, Clone)]
enum Ev {
    None,
    One(Evidence),
    Many(Arc<[Evidence]>),
}

impl Ev {
    fn push_into(&self, out: &mut Vec<Evidence>) {
        match self {
            Ev::None => {}
            Ev::One(e) => out.push(e.clone()),
            Ev::Many(m) => out.extend(m.iter().cloned()),
        }
    }
}

/// One matched event inside a group's window.
#[derive(Debug, Clone)]
struct Entry {
    /// Event time, ns since the epoch.
    t: i64,
    /// Arrival sequence number: breaks ties between equal times deterministically.
    seq: u64,
    /// Index of the referenced rule in `rules` (temporal types).
    pos: u16,
    /// `value_count`: hash of the value; `value_sum/avg/percentile`: the number's bits.
    v: u64,
    ev: Ev,
}

#[derive(Debug, Default)]
struct Group {
    /// Sequence number of the last update (least recently updated groups are evicted first).
    last_seq: u64,
    /// Entries sorted by (time, seq).
    entries: VecDeque<Entry>,
    /// Deferred correlations: start of the open window and its id (a sequence number).
    window: Option<(i64, u64)>,
}

#[derive(Debug)]
struct Corr {
    spec: CorrelationSpec,
    /// Whether this correlation's matches are returned to the caller.
    emit: bool,
    /// Correlations that reference this one: (correlation index, position in its `rules`).
    consumers: Vec<(usize, u16)>,
    groups: HashMap<Box<str>, Group>,
    /// Inputs since the last sweep of expired groups.
    since_sweep: usize,
    /// Whether the condition is tested when a window closes rather than on arrival.
    deferred: bool,
    /// Deferred correlations: (window end, window id, group key), earliest first.
    deadlines: BinaryHeap<Reverse<(i64, u64, Box<str>)>>,
}

/// Whether a correlation's condition can only turn true as events are added (then it is tested
/// on arrival); otherwise it is tested once per window, when the window closes.
fn grows_true(spec: &CorrelationSpec) -> bool {
    let lower_bounds_only = spec
        .condition
        .checks
        .iter()
        .all(|(c, _)| matches!(c, Cmp::Gt | Cmp::Gte));
    match spec.kind {
        CorrelationKind::TemporalOrdered => true,
        CorrelationKind::Temporal if spec.expression.is_some() => {
            !spec.expression.as_ref().is_some_and(super::spec::has_not)
        }
        CorrelationKind::EventCount
        | CorrelationKind::ValueCount
        | CorrelationKind::ValueSum
        | CorrelationKind::Temporal => lower_bounds_only,
        CorrelationKind::ValueAvg | CorrelationKind::ValuePercentile => false,
    }
}

/// Reusable buffers so the hot path does not allocate.
#[derive(Debug, Default)]
struct Scratch {
    key: String,
    hashes: Vec<u64>,
    nums: Vec<f64>,
}

/// What a window evaluation found.
struct Hit {
    lo: usize,
    hi: usize,
    value: f64,
    /// Entries reported as evidence for temporal types (indices into the group's entries).
    picked: Option<Vec<usize>>,
    mask: u64,
}

/// Runs Sigma correlation rules over a stream of detection matches.
///
/// Feed it every detection match in (roughly) event-time order with [`Engine::process`]; it
/// returns the correlation matches to report. Matches of a correlation are also fed to the
/// correlations that reference it (chaining). The engine is deterministic: the same inputs in
/// the same order give the same matches.
///
/// Window semantics: a group's window for an event at time `t` is the closed interval
/// `[t - timespan, t]` — an event exactly `timespan` before `t` is inside (the spec says
/// "within", so the boundary counts). Conditions that can only turn true as events are added
/// are tested when an event arrives, on the window ending at that event (and, for an event
/// that arrived out of order, also on the window ending at the group's newest event, when that
/// window contains it); the others are tested when a window `[first, first + timespan]`
/// closes (see the [module docs](super)). Call [`Engine::flush`] at end of input.
#[derive(Debug)]
pub struct Engine {
    corrs: Vec<Corr>,
    /// Detection-rule reference (id or name) → index into `targets`.
    refs: HashMap<String, usize>,
    /// Per referenced detection rule: (correlation, position in its `rules`).
    targets: Vec<Vec<(usize, u16)>>,
    /// Detection-rule reference → whether some referencing correlation has `generate: true`.
    generate: HashMap<String, bool>,
    settings: Settings,
    stats: Stats,
    /// Indices of the correlations tested at window close.
    deferred: Vec<usize>,
    watermark: i64,
    seq: u64,
    scratch: Scratch,
}

impl Engine {
    /// Builds an engine over these correlation rules.
    ///
    /// References are resolved by id or name: a reference naming another correlation chains
    /// on it, any other reference names a detection rule. Cycles, duplicate ids/names,
    /// chains deeper than `max_chain_depth` and temporal rules over more than 64 rules are
    /// rejected.
    pub fn new(specs: Vec<CorrelationSpec>, settings: Settings) -> Result<Engine, Error> {
        let mut by_name: HashMap<&str, usize> = HashMap::new();
        for (i, s) in specs.iter().enumerate() {
            s.validate()?;
            if s.kind.is_temporal() && s.rules.len() > 64 {
                return Err(Error::Correlation {
                    rule: snippet(s.ident()),
                    reason: "correlation.rules: temporal correlations take at most 64 rules".into(),
                });
            }
            for n in [s.id.as_deref(), s.name.as_deref()].into_iter().flatten() {
                if let Some(&j) = by_name.get(n)
                    && j != i
                {
                    return Err(Error::Correlation {
                        rule: snippet(n),
                        reason: "id or name defined twice".into(),
                    });
                }
                by_name.insert(n, i);
            }
        }
        let mut consumers: Vec<Vec<(usize, u16)>> = vec![Vec::new(); specs.len()];
        let mut referenced_by: Vec<Vec<usize>> = vec![Vec::new(); specs.len()];
        let mut refs: HashMap<String, usize> = HashMap::new();
        let mut targets: Vec<Vec<(usize, u16)>> = Vec::new();
        let mut generate: HashMap<String, bool> = HashMap::new();
        for (i, s) in specs.iter().enumerate() {
            for (pos, r) in s.rules.iter().enumerate() {
                let pos = pos as u16;
                if let Some(&j) = by_name.get(r.as_str()) {
                    consumers[j].push((i, pos));
                    referenced_by[j].push(i);
                } else {
                    let idx = *refs.entry(r.clone()).or_insert_with(|| {
                        targets.push(Vec::new());
                        targets.len() - 1
                    });
                    targets[idx].push((i, pos));
                    *generate.entry(r.clone()).or_default() |= s.generate;
                }
            }
        }
        // Cycle check and chain depth (longest path) by depth-first search.
        let mut depth: Vec<Option<usize>> = vec![None; specs.len()];
        let mut on_stack = vec![false; specs.len()];
        fn visit(
            i: usize,
            specs: &[CorrelationSpec],
            consumers: &[Vec<(usize, u16)>],
            depth: &mut [Option<usize>],
            on_stack: &mut [bool],
        ) -> Result<usize, Error> {
            if let Some(d) = depth[i] {
                return Ok(d);
            }
            if on_stack[i] {
                return Err(Error::Correlation {
                    rule: snippet(specs[i].ident()),
                    reason: "reference cycle".into(),
                });
            }
            on_stack[i] = true;
            let mut d = 1;
            for &(j, _) in &consumers[i] {
                d = d.max(1 + visit(j, specs, consumers, depth, on_stack)?);
            }
            on_stack[i] = false;
            depth[i] = Some(d);
            Ok(d)
        }
        for i in 0..specs.len() {
            let d = visit(i, &specs, &consumers, &mut depth, &mut on_stack)?;
            if d > settings.max_chain_depth {
                return Err(Error::Correlation {
                    rule: snippet(specs[i].ident()),
                    reason: "chain deeper than max_chain_depth".into(),
                });
            }
        }
        let corrs = specs
            .into_iter()
            .enumerate()
            .map(|(i, spec)| Corr {
                emit: referenced_by[i].is_empty(),
                deferred: !grows_true(&spec),
                deadlines: BinaryHeap::new(),
                spec,
                consumers: std::mem::take(&mut consumers[i]),
                groups: HashMap::new(),
                since_sweep: 0,
            })
            .collect::<Vec<_>>();
        let mut engine = Engine {
            corrs,
            refs,
            targets,
            generate,
            settings,
            stats: Stats::default(),
            deferred: Vec::new(),
            watermark: i64::MIN,
            seq: 0,
            scratch: Scratch::default(),
        };
        engine.deferred = (0..engine.corrs.len())
            .filter(|&i| engine.corrs[i].deferred)
            .collect();
        // A correlation referenced by another is emitted only when a referencer generates.
        for (j, by) in referenced_by.iter().enumerate() {
            if by.iter().any(|&i| engine.corrs[i].spec.generate) {
                engine.corrs[j].emit = true;
            }
        }
        Ok(engine)
    }

    /// The correlation specs, in the order given.
    pub fn specs(&self) -> impl Iterator<Item = &CorrelationSpec> {
        self.corrs.iter().map(|c| &c.spec)
    }

    /// The settings in use.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Counters so far (`live_groups` is current).
    pub fn stats(&self) -> Stats {
        let mut s = self.stats.clone();
        s.live_groups = self.corrs.iter().map(|c| c.groups.len() as u64).sum();
        s
    }

    /// The newest event time seen, if any.
    pub fn watermark(&self) -> Option<DateTime<Utc>> {
        (self.watermark != i64::MIN).then(|| DateTime::from_timestamp_nanos(self.watermark))
    }

    /// Whether a detection rule's own matches should be reported: true unless a correlation
    /// references the rule (by this id or name) and none of those correlations sets
    /// `generate: true` (the spec's default is to emit only the correlation).
    pub fn emits_detection(&self, rule_id: Option<&str>, rule_name: Option<&str>) -> bool {
        let mut referenced = false;
        for r in [rule_id, rule_name].into_iter().flatten() {
            if let Some(&g) = self.generate.get(r) {
                if g {
                    return true;
                }
                referenced = true;
            }
        }
        !referenced
    }

    /// Whether any correlation references this detection rule (by id or name).
    pub fn references(&self, rule_id: Option<&str>, rule_name: Option<&str>) -> bool {
        [rule_id, rule_name]
            .into_iter()
            .flatten()
            .any(|r| self.refs.contains_key(r))
    }

    /// Processes one detection match; correlation matches to report are appended to `out`.
    pub fn process(&mut self, d: &Detection<'_>, out: &mut Vec<CorrelationMatch>) {
        self.stats.inputs += 1;
        let t = to_ns(d.time);
        if self.watermark != i64::MIN
            && t < self
                .watermark
                .saturating_sub(self.settings.allowed_lateness_ns)
        {
            self.stats.late_dropped += 1;
            return;
        }
        let by_id = d.rule_id.and_then(|id| self.refs.get(id)).copied();
        let by_name = d
            .rule_name
            .filter(|n| Some(*n) != d.rule_id)
            .and_then(|n| self.refs.get(n))
            .copied()
            .filter(|&n| Some(n) != by_id);
        if by_id.is_none() && by_name.is_none() {
            self.stats.unreferenced += 1;
            if t > self.watermark {
                self.watermark = t;
                self.close_windows(false, out);
            }
            return;
        }
        self.stats.accepted += 1;
        if t < self.watermark {
            self.stats.reordered += 1;
        } else {
            self.watermark = t;
            self.close_windows(false, out);
        }
        let ev = match d.evidence {
            Some(e) => Ev::One(e.clone()),
            None => Ev::None,
        };
        let mut chained: Vec<CorrelationMatch> = Vec::new();
        for list in [by_id, by_name].into_iter().flatten() {
            for k in 0..self.targets[list].len() {
                let (ci, pos) = self.targets[list][k];
                // A correlation listing both the rule's id and its name sees the input once
                // per listed position, never twice for the same position.
                if Some(list) == by_name
                    && let Some(first) = by_id
                    && self.targets[first].contains(&(ci, pos))
                {
                    continue;
                }
                if let Some(m) = self.feed(ci, pos, d.event, d.rule_id, d.rule_name, t, ev.clone())
                {
                    chained.push(m);
                }
            }
        }
        self.drain(chained, out);
    }

    /// Ends the input: tests every open window of the correlations whose conditions are
    /// tested at window close (see the module docs), as if time had passed them all.
    pub fn flush(&mut self, out: &mut Vec<CorrelationMatch>) {
        self.close_windows(true, out);
    }

    /// Tests and closes the deferred windows whose end is at or before the watermark minus the
    /// allowed lateness (all of them when `all`), then feeds chained correlations.
    fn close_windows(&mut self, all: bool, out: &mut Vec<CorrelationMatch>) {
        let upto = if all {
            i64::MAX
        } else {
            self.watermark
                .saturating_sub(self.settings.allowed_lateness_ns)
        };
        let mut pending = Vec::new();
        for k in 0..self.deferred.len() {
            let ci = self.deferred[k];
            loop {
                let corr = &mut self.corrs[ci];
                let Some(Reverse((end, id, _))) = corr.deadlines.peek() else {
                    break;
                };
                if *end > upto {
                    break;
                }
                let (end, id) = (*end, *id);
                let Some(Reverse((_, _, key))) = corr.deadlines.pop() else {
                    break;
                };
                let Some(group) = corr.groups.get_mut(&key) else {
                    continue;
                };
                if group.window.map(|(_, wid)| wid) != Some(id) {
                    continue; // superseded (late input moved the start) or evicted
                }
                if let Some(hit) = evaluate(&corr.spec, &group.entries, end, &mut self.scratch) {
                    pending.push(build_match(
                        ci,
                        &corr.spec,
                        &key,
                        &group.entries,
                        &hit,
                        &self.settings,
                    ));
                }
                while group.entries.front().is_some_and(|e| e.t <= end) {
                    group.entries.pop_front();
                }
                match group.entries.front() {
                    Some(next) => {
                        let start = next.t;
                        self.seq += 1;
                        group.window = Some((start, self.seq));
                        let span = corr.spec.timespan_ns;
                        corr.deadlines
                            .push(Reverse((start.saturating_add(span), self.seq, key)));
                    }
                    None => {
                        corr.groups.remove(&key);
                    }
                }
            }
        }
        self.drain(pending, out);
    }

    /// Convenience wrapper over [`Engine::process`] returning a fresh vector.
    pub fn process_one(&mut self, d: &Detection<'_>) -> Vec<CorrelationMatch> {
        let mut out = Vec::new();
        self.process(d, &mut out);
        out
    }

    /// Reports matches and feeds them to the correlations chained on them.
    fn drain(&mut self, mut pending: Vec<CorrelationMatch>, out: &mut Vec<CorrelationMatch>) {
        // Depth is bounded by `max_chain_depth` (checked at construction).
        while !pending.is_empty() {
            let mut next = Vec::new();
            for m in pending {
                self.stats.matches += 1;
                let ci = m.index;
                let consumers = self.corrs[ci].consumers.clone();
                if !consumers.is_empty() {
                    let ev = Ev::Many(m.evidence.clone().into());
                    let t = to_ns(m.last_seen);
                    let (rid, rname) = (m.rule_id.clone(), m.rule_name.clone());
                    for (cj, pos) in consumers {
                        if let Some(m2) =
                            self.feed(cj, pos, &m, rid.as_deref(), rname.as_deref(), t, ev.clone())
                        {
                            next.push(m2);
                        }
                    }
                }
                if self.corrs[ci].emit {
                    self.stats.emitted += 1;
                    out.push(m);
                }
            }
            pending = next;
        }
    }

    /// Adds one input to correlation `ci` and evaluates the affected windows.
    #[allow(clippy::too_many_arguments)]
    fn feed(
        &mut self,
        ci: usize,
        pos: u16,
        src: &dyn FieldSource,
        rid: Option<&str>,
        rname: Option<&str>,
        t: i64,
        ev: Ev,
    ) -> Option<CorrelationMatch> {
        let settings = &self.settings;
        let stats = &mut self.stats;
        let scratch = &mut self.scratch;
        let corr = &mut self.corrs[ci];
        let spec = &corr.spec;

        // Group key: length-prefixed values, so any value text round-trips.
        scratch.key.clear();
        for g in &spec.group_by {
            let field = resolve_field(spec, g, rid, rname);
            match src.field(field) {
                Some(v) if !v.is_null() => push_key_part(&mut scratch.key, &v),
                _ => {
                    stats.missing_group_field += 1;
                    return None;
                }
            }
        }
        let v = match spec.kind {
            CorrelationKind::ValueCount => {
                let mut h = Fnv::new();
                for f in &spec.fields {
                    let field = resolve_field(spec, f, rid, rname);
                    match src.field(field) {
                        Some(v) if !v.is_null() => {
                            let mut part = String::new();
                            push_key_part(&mut part, &v);
                            h.write(part.as_bytes());
                        }
                        _ => {
                            stats.missing_value_field += 1;
                            return None;
                        }
                    }
                }
                h.finish()
            }
            CorrelationKind::ValueSum
            | CorrelationKind::ValueAvg
            | CorrelationKind::ValuePercentile => {
                let field = resolve_field(spec, &spec.fields[0], rid, rname);
                match src.field(field) {
                    Some(v) if !v.is_null() => match number(&v) {
                        Some(n) => n.to_bits(),
                        None => {
                            stats.non_numeric += 1;
                            return None;
                        }
                    },
                    _ => {
                        stats.missing_value_field += 1;
                        return None;
                    }
                }
            }
            _ => 0,
        };

        let span = spec.timespan_ns;
        let cutoff = self
            .watermark
            .saturating_sub(settings.allowed_lateness_ns)
            .saturating_sub(span);
        self.seq += 1;
        let seq = self.seq;

        // Amortized sweep of groups whose whole window has passed.
        corr.since_sweep += 1;
        if corr.since_sweep >= (corr.groups.len() / 2).max(4096) {
            corr.since_sweep = 0;
            let before = corr.groups.len();
            corr.groups
                .retain(|_, g| g.entries.back().is_some_and(|e| e.t >= cutoff));
            stats.groups_expired += (before - corr.groups.len()) as u64;
        }
        if !corr.groups.contains_key(scratch.key.as_str()) {
            make_room(&mut corr.groups, settings.max_groups, cutoff, stats);
            corr.groups
                .insert(scratch.key.as_str().into(), Group::default());
            stats.peak_groups = stats.peak_groups.max(corr.groups.len() as u64);
        }
        let group = corr.groups.get_mut(scratch.key.as_str())?;
        group.last_seq = seq;
        while group.entries.front().is_some_and(|e| e.t < cutoff) {
            group.entries.pop_front();
        }
        let newest_before = group.entries.back().map(|e| e.t);
        let entry = Entry { t, seq, pos, v, ev };
        if newest_before.is_none_or(|b| b <= t) {
            group.entries.push_back(entry);
        } else {
            let at = group.entries.partition_point(|e| (e.t, e.seq) <= (t, seq));
            group.entries.insert(at, entry);
        }
        while group.entries.len() > settings.max_events_per_group.max(1) {
            group.entries.pop_front();
            stats.entries_evicted += 1;
        }

        if corr.deferred {
            // Tested when the window closes; a late input may move the window's start back.
            if group.window.is_none_or(|(start, _)| t < start) {
                group.window = Some((t, seq));
                corr.deadlines.push(Reverse((
                    t.saturating_add(span),
                    seq,
                    scratch.key.as_str().into(),
                )));
            }
            return None;
        }
        let mut hit = evaluate(spec, &group.entries, t, scratch);
        if hit.is_none()
            && let Some(newest) = newest_before
            && newest > t
            && newest.saturating_sub(span) <= t
        {
            hit = evaluate(spec, &group.entries, newest, scratch);
        }
        let hit = hit?;
        let m = build_match(ci, spec, &scratch.key, &group.entries, &hit, settings);
        if settings.reset_on_match {
            corr.groups.remove(scratch.key.as_str());
        }
        Some(m)
    }
}

/// The event field a group-by (or value) entry reads for an input of rule `rid`/`rname`:
/// the alias's field for that rule when the entry is an alias, else the entry itself.
fn resolve_field<'s>(
    spec: &'s CorrelationSpec,
    entry: &'s str,
    rid: Option<&str>,
    rname: Option<&str>,
) -> &'s str {
    if let Some(per_rule) = spec.aliases.get(entry)
        && let Some(f) = rname
            .and_then(|n| per_rule.get(n))
            .or_else(|| rid.and_then(|i| per_rule.get(i)))
    {
        return f;
    }
    entry
}

/// Drops expired groups, then evicts the least recently updated ones, so a new group fits.
fn make_room(groups: &mut HashMap<Box<str>, Group>, max: usize, cutoff: i64, stats: &mut Stats) {
    let max = max.max(1);
    if groups.len() < max {
        return;
    }
    let before = groups.len();
    groups.retain(|_, g| g.entries.back().is_some_and(|e| e.t >= cutoff));
    stats.groups_expired += (before - groups.len()) as u64;
    if groups.len() < max {
        return;
    }
    // Evict a sixteenth at once so the O(groups) selection is amortized over many inserts.
    let n = groups.len() + 1 - max + max / 16;
    let n = n.min(groups.len());
    let mut seqs: Vec<u64> = groups.values().map(|g| g.last_seq).collect();
    let (_, &mut threshold, _) = seqs.select_nth_unstable(n - 1);
    let before = groups.len();
    groups.retain(|_, g| g.last_seq > threshold);
    stats.groups_evicted += (before - groups.len()) as u64;
}

/// Tests the window `[end - timespan, end]` of a group.
fn evaluate(
    spec: &CorrelationSpec,
    entries: &VecDeque<Entry>,
    end: i64,
    scratch: &mut Scratch,
) -> Option<Hit> {
    let start = end.saturating_sub(spec.timespan_ns);
    let lo = entries.partition_point(|e| e.t < start);
    let hi = entries.partition_point(|e| e.t <= end);
    if lo >= hi {
        return None;
    }
    let n = (hi - lo) as f64;
    let range = entries.range(lo..hi);
    let picked = None;
    let mut mask = 0u64;
    let value = match spec.kind {
        CorrelationKind::EventCount => n,
        CorrelationKind::ValueCount => {
            scratch.hashes.clear();
            scratch.hashes.extend(range.map(|e| e.v));
            scratch.hashes.sort_unstable();
            scratch.hashes.dedup();
            scratch.hashes.len() as f64
        }
        CorrelationKind::ValueSum => range.map(|e| f64::from_bits(e.v)).sum(),
        CorrelationKind::ValueAvg => range.map(|e| f64::from_bits(e.v)).sum::<f64>() / n,
        CorrelationKind::ValuePercentile => {
            scratch.nums.clear();
            scratch.nums.extend(range.map(|e| f64::from_bits(e.v)));
            // Nearest-rank percentile.
            let k = scratch.nums.len();
            let rank = ((spec.percentile / 100.0) * k as f64).ceil() as usize;
            let idx = rank.clamp(1, k) - 1;
            let (_, v, _) = scratch.nums.select_nth_unstable_by(idx, f64::total_cmp);
            *v
        }
        CorrelationKind::Temporal => {
            // Latest entry of each referenced rule in the window.
            let mut latest: Vec<Option<usize>> = vec![None; spec.rules.len()];
            for (i, e) in entries.range(lo..hi).enumerate() {
                let p = e.pos as usize;
                mask |= 1u64 << p;
                latest[p] = Some(lo + i);
            }
            let seen = mask.count_ones() as f64;
            let ok = if let Some(expr) = &spec.expression {
                super::spec::eval_expression(expr, &spec.rules, mask)
            } else if spec.condition.checks.is_empty() {
                seen as usize == spec.rules.len()
            } else {
                spec.condition.test(seen)
            };
            if !ok {
                return None;
            }
            let mut p: Vec<usize> = latest.into_iter().flatten().collect();
            p.sort_unstable();
            return Some(Hit {
                lo,
                hi,
                value: seen,
                picked: Some(p),
                mask,
            });
        }
        CorrelationKind::TemporalOrdered => {
            let last = spec.rules.len() - 1;
            let mut chain: Vec<usize> = Vec::with_capacity(spec.rules.len());
            // The latest entry of the last rule, then greedily the latest predecessor of each
            // earlier rule: that leaves the most room for the chain to fit in the window.
            let mut cur = (lo..hi).rev().find(|&i| entries[i].pos as usize == last)?;
            chain.push(cur);
            for want in (0..last).rev() {
                cur = (lo..cur).rev().find(|&i| entries[i].pos as usize == want)?;
                chain.push(cur);
            }
            chain.reverse();
            for &i in &chain {
                mask |= 1u64 << entries[i].pos;
            }
            let value = spec.rules.len() as f64;
            if !spec.condition.checks.is_empty() && !spec.condition.test(value) {
                return None;
            }
            return Some(Hit {
                lo,
                hi,
                value,
                picked: Some(chain),
                mask,
            });
        }
    };
    spec.condition.test(value).then_some(Hit {
        lo,
        hi,
        value,
        picked,
        mask,
    })
}

fn build_match(
    index: usize,
    spec: &CorrelationSpec,
    key: &str,
    entries: &VecDeque<Entry>,
    hit: &Hit,
    settings: &Settings,
) -> CorrelationMatch {
    let mut evidence = Vec::new();
    match &hit.picked {
        Some(p) => p
            .iter()
            .for_each(|&i| entries[i].ev.push_into(&mut evidence)),
        None => (hit.lo..hit.hi).for_each(|i| entries[i].ev.push_into(&mut evidence)),
    }
    let max = settings.max_evidence;
    let mut omitted = 0;
    if evidence.len() > max {
        omitted = (evidence.len() - max) as u64;
        let head = max.div_ceil(2);
        let tail = max - head;
        let tail_start = evidence.len() - tail;
        evidence.drain(head..tail_start);
    }
    let (first, last) = match &hit.picked {
        Some(p) if !p.is_empty() => (entries[p[0]].t, entries[p[p.len() - 1]].t),
        _ => (entries[hit.lo].t, entries[hit.hi - 1].t),
    };
    let rules_seen = if spec.kind.is_temporal() {
        spec.rules
            .iter()
            .enumerate()
            .filter(|(i, _)| hit.mask & (1u64 << i) != 0)
            .map(|(_, r)| r.clone())
            .collect()
    } else {
        Vec::new()
    };
    CorrelationMatch {
        index,
        rule_id: spec.id.clone(),
        rule_name: spec.name.clone(),
        title: spec.title.clone(),
        level: spec.level.clone(),
        kind: spec.kind,
        group: spec.group_by.iter().cloned().zip(decode_key(key)).collect(),
        value: hit.value,
        count: (hit.hi - hit.lo) as u64,
        first_seen: DateTime::from_timestamp_nanos(first),
        last_seen: DateTime::from_timestamp_nanos(last),
        evidence,
        evidence_omitted: omitted,
        rules_seen,
    }
}

/// Appends `<len>:<text>` for a value (lists joined with `,`).
fn push_key_part(buf: &mut String, v: &Value<'_>) {
    let text: std::borrow::Cow<'_, str> = match v {
        Value::List(items) => items
            .iter()
            .filter_map(Value::to_text)
            .collect::<Vec<_>>()
            .join(",")
            .into(),
        other => other.to_text().unwrap_or_default(),
    };
    let mut digits = [0u8; 20];
    let mut n = text.len();
    let mut i = digits.len();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.extend(digits[i..].iter().map(|&b| char::from(b)));
    buf.push(':');
    buf.push_str(&text);
}

fn decode_key(mut key: &str) -> Vec<String> {
    let mut out = Vec::new();
    while let Some((len, rest)) = key.split_once(':') {
        let Ok(len) = len.parse::<usize>() else {
            break;
        };
        let Some(v) = rest.get(..len) else { break };
        out.push(v.to_string());
        key = &rest[len..];
    }
    out
}

fn number(v: &Value<'_>) -> Option<f64> {
    match v {
        Value::Int(i) => Some(*i as f64),
        Value::UInt(u) => Some(*u as f64),
        Value::Float(f) if f.is_finite() => Some(*f),
        Value::Str(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        Value::Bool(b) => Some(f64::from(u8::from(*b))),
        _ => None,
    }
}

/// Nanoseconds since the epoch, clamped to the representable range.
pub(crate) fn to_ns(t: DateTime<Utc>) -> i64 {
    t.timestamp_nanos_opt().unwrap_or(if t.timestamp() < 0 {
        i64::MIN / 2
    } else {
        i64::MAX / 2
    })
}

/// 64-bit FNV-1a: a stable hash (same value on every run and platform).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Fnv {
    pub(crate) fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }

    pub(crate) fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }

    pub(crate) fn finish(self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_round_trip() {
        let mut k = String::new();
        push_key_part(&mut k, &Value::str("a:b"));
        push_key_part(&mut k, &Value::Int(42));
        push_key_part(&mut k, &Value::str(""));
        assert_eq!(decode_key(&k), vec!["a:b", "42", ""]);
    }
}
