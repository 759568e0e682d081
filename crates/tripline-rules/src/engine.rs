//! The compiled, indexed engine: logsource buckets, a candidate index per bucket, and
//! allocation-free evaluation with a reusable [`Scratch`].

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Datelike, NaiveDateTime, Timelike, Utc};
use tripline_schema::{Attack, FieldName, FieldSource, Severity, Value};

use crate::compile::{
    self, Anchor, Check, Compiled, Cx, Interner, Item, Prog, Src, Test, TimePart,
};
use crate::error::Error;
use crate::index::{Automaton, FastHash, automaton};
use crate::load::RuleSet;
use crate::pattern::lower_into;
use crate::pipeline::Pipeline;
use crate::rule::{Correlation, Detection, LogSource, Rule};

/// Counters describing a compiled engine.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineStats {
    /// Rules compiled.
    pub rules: usize,
    /// Rules rejected at compile time (bad regex, unknown placeholder…).
    pub rejected: usize,
    /// Logsource buckets.
    pub buckets: usize,
    /// Rules reached through the literal index.
    pub indexed: usize,
    /// Rules with no necessary literal, evaluated for every event of their logsource.
    pub always_evaluated: usize,
    /// Distinct needles in all automata.
    pub needles: usize,
    /// Meta filters applied to at least one rule.
    pub filters_applied: usize,
}

/// The event fields an engine's rules read for one logsource ([`Engine::fields_read`]): what
/// a shipper must keep of its events, and what a source must carry for those rules to work.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldsRead {
    /// One per rule field (after the pipeline's mapping), by the rule's own name (the last
    /// of [`FieldRead::names`]).
    pub fields: Vec<FieldRead>,
    /// Keyword rules read the raw text: the event's raw line, else the first of these
    /// fields it has (`None`: no rule for the logsource has keywords).
    pub raw: Option<FieldRead>,
}

/// One field a rule set reads.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct FieldRead {
    /// The event names tried, in order: the first one an event has is the field's value
    /// (a rule's `Image` is read as `process.executable`, else `Image`).
    pub names: Vec<FieldName>,
    /// When an event's value of it is read.
    pub when: ReadWhen,
}

/// When [`Engine::evaluate`] reads a field of an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub enum ReadWhen {
    /// For every event of the logsource: the candidate index (or a gate) reads it.
    EveryEvent,
    /// For every event whose gate value (an audit record's `type`) some rule indexed on it
    /// asks for.
    Gated,
    /// Only when a rule that needs it is evaluated.
    Candidate,
}

/// A rule match: which rule (index into [`Engine::rules`]) and which selections were true
/// (bit `i` = `Engine::selection_names(m)[i]`, first 64 selections).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Match {
    /// Index of the rule in [`Engine::rules`].
    pub rule: usize,
    /// Bitmask of the selections that evaluated true.
    pub selections: u64,
}

/// A match made presentable: rule identity, level, attribution, matched selections and the
/// values of the fields the rule reads.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Finding {
    /// Rule `id` (or `name`).
    pub rule_id: Option<String>,
    /// Rule `title`.
    pub rule_title: String,
    /// Rule `level` as written (`high`…).
    pub level: Option<String>,
    /// The level normalized to the OCSF severity scale (original kept).
    pub severity: Option<Severity>,
    /// Rule `author` (shown for Detection Rule License attribution).
    pub author: Option<String>,
    /// Rule `tags`.
    pub tags: Vec<String>,
    /// ATT&CK references from the `attack.*` tags.
    pub attack: Vec<Attack>,
    /// Rule file.
    pub rule_file: String,
    /// Selections that were true.
    pub selections: Vec<String>,
    /// Rule field name → event value (first value), for fields present in the event.
    pub fields: BTreeMap<String, String>,
}

#[derive(Debug)]
struct RuleEntry {
    rule: Rule,
    c: Compiled,
}

/// The rules of one or more logsource buckets, indexed together: an event routed to it
/// goes through each slot's index once, however many of the buckets read that slot.
#[derive(Debug, Default)]
struct Plan {
    /// The buckets merged here (sorted).
    buckets: Vec<u32>,
    /// Rules with no necessary literal.
    always: Vec<u32>,
    automata: Vec<Arc<Automaton>>,
    /// Per automaton: when the event must go through it.
    need: Vec<Need>,
    gate: Option<Gate>,
}

/// A slot most rules of a plan require a whole value of (`type` for raw audit records):
/// read first, it tells which other slots can still produce a rule that matches, so an
/// event skips the slots only rules of other record types read.
#[derive(Debug)]
struct Gate {
    src: Src,
    /// Gate value (lowercase) → its bit.
    values: HashMap<Box<str>, u32, FastHash>,
}

/// When an event goes through one automaton of a plan.
#[derive(Debug, Clone, Copy, Default)]
struct Need {
    /// Some rule without a gate needs it: always, unless `unless` says otherwise.
    ungated: bool,
    /// The gate values (bits into `gate.values`) whose rules need it.
    bits: u64,
    /// Skipped when the event holds one of these gate values: another automaton of the same
    /// slot, holding these needles and those of the gated rules, is scanned instead.
    unless: u64,
}

/// One slot's `(needle, anchor, rule)`s in a plan.
type Needles = Vec<(String, Anchor, u32)>;

/// A gate is only worth its lookup when it spares this many rules.
const MIN_GATED: usize = 4;

/// Compiled Sigma rules, bucketed by logsource and indexed by literals.
#[derive(Debug)]
pub struct Engine {
    entries: Vec<RuleEntry>,
    /// Per slot, the event field names tried in order (hashes computed once).
    slots: Vec<Vec<FieldName>>,
    /// Bucket keys; plan `i` (for `i < buckets.len()`) holds bucket `i` alone.
    buckets: Vec<LogSource>,
    /// One plan per bucket, then one per set of buckets that together cover an event of some
    /// bucket's logsource (a `product: linux, service: auditd` event reaches the `linux`
    /// bucket too).
    plans: Vec<Plan>,
    keyword_fields: Vec<FieldName>,
    correlations: Vec<Correlation>,
    rejected: Vec<Error>,
    stats: EngineStats,
    /// Distinguishes engines, so a [`Scratch`] moved to another engine drops its routes.
    id: u64,
}

/// Source of [`Engine`] ids.
static NEXT_ENGINE_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

/// A needle witnessing more rules than this is avoided when a rule has another choice.
const COMMON_NEEDLE: usize = 3;

const ABSENT: u8 = 0;
const NULL: u8 = 1;
const PRESENT: u8 = 2;

/// One field value as read: the text as written and, when lowercasing changes it, its
/// lowercase copy (most values are already lowercase and are stored once).
#[derive(Debug, Default, Clone)]
struct Val {
    orig: String,
    low: String,
    /// Whether `low` holds the lowercase text (else `orig` is already lowercase).
    lowered: bool,
}

impl Val {
    fn orig(&self) -> &str {
        &self.orig
    }

    fn low(&self) -> &str {
        if self.lowered { &self.low } else { &self.orig }
    }

    /// Sets `low` from `orig` unless `orig` is already lowercase ASCII.
    fn lower(&mut self) {
        self.lowered = needs_lowering(self.orig.as_bytes());
        if self.lowered {
            lower_into(&self.orig, &mut self.low);
        }
    }
}

/// Whether lowercasing could change `b`: an ASCII uppercase letter or any non-ASCII byte.
/// Eight bytes at a time (the tail zero-padded: a zero byte changes nothing): for ASCII
/// bytes, adding `0x80 - b'A'` sets a byte's high bit when it is `>= b'A'`, adding
/// `0x80 - b'Z' - 1` when it is `> b'Z'` (no carries between bytes).
fn needs_lowering(b: &[u8]) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let word = |x: u64| {
        let ge_a = x.wrapping_add(ONES * u64::from(0x80 - b'A'));
        let gt_z = x.wrapping_add(ONES * u64::from(0x80 - b'Z' - 1));
        x & HIGH != 0 || ge_a & !gt_z & HIGH != 0
    };
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        if word(u64::from_le_bytes(w)) {
            return true;
        }
    }
    let rest = chunks.remainder();
    let mut w = [0u8; 8];
    w[..rest.len()].copy_from_slice(rest);
    word(u64::from_le_bytes(w))
}

#[derive(Debug, Default, Clone)]
struct Slot {
    epoch: u32,
    state: u8,
    n: usize,
    items: Vec<Val>,
}

impl Slot {
    fn push(&mut self) -> &mut Val {
        if self.items.len() == self.n {
            self.items.push(Val::default());
        }
        self.n += 1;
        let it = &mut self.items[self.n - 1];
        it.orig.clear();
        it
    }

    fn push_str(&mut self, s: &str) {
        let it = self.push();
        it.orig.push_str(s);
        it.lower();
    }

    fn push_value(&mut self, v: &Value<'_>) {
        match v {
            Value::Null => {}
            Value::List(l) => {
                for x in l {
                    self.push_value(x);
                }
            }
            Value::Str(s) => self.push_str(s),
            other => {
                let it = self.push();
                let _ = match other {
                    Value::Bool(b) => write!(it.orig, "{b}"),
                    Value::Int(i) => write!(it.orig, "{i}"),
                    Value::UInt(u) => write!(it.orig, "{u}"),
                    Value::Float(f) => write!(it.orig, "{f}"),
                    Value::Ip(ip) => write!(it.orig, "{ip}"),
                    Value::Time(t) => write!(
                        it.orig,
                        "{}",
                        t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
                    ),
                    _ => Ok(()),
                };
                it.lower();
            }
        }
    }

    fn items(&self) -> &[Val] {
        &self.items[..self.n]
    }
}

/// A cached routing decision: the logsource (and its hash) → the plans to run.
#[derive(Debug, Clone)]
struct Route {
    hash: u64,
    key: LogSource,
    plans: Vec<u32>,
}

/// Per-plan needles: slot → (needle, anchor, rule).
type SlotNeedles = BTreeMap<u32, Needles>;

/// A rule and the gate values it requires.
type Gated = (u32, Vec<String>);

/// Picks the slot that gates the most indexed rules of a plan; returns it with each gated
/// rule's bits (rules absent from the map are ungated).
fn choose_gate(
    entries: &[RuleEntry],
    by_slot: &SlotNeedles,
    src_of: impl Fn(u32) -> Src,
) -> (Option<Gate>, HashMap<u32, u64>) {
    let mut rules: Vec<u32> = by_slot
        .values()
        .flat_map(|ns| ns.iter().map(|(_, _, r)| *r))
        .collect();
    rules.sort_unstable();
    rules.dedup();
    let mut best: Option<(usize, Src, Vec<Gated>)> = None;
    for &sid in by_slot.keys() {
        let src = src_of(sid);
        let gated: Vec<Gated> = rules
            .iter()
            .filter_map(|&r| Some((r, compile::gate(&entries[r as usize].c, src)?)))
            .collect();
        if gated.len() >= MIN_GATED && best.as_ref().is_none_or(|b| gated.len() > b.0) {
            best = Some((gated.len(), src, gated));
        }
    }
    let Some((_, src, gated)) = best else {
        return (None, HashMap::new());
    };
    let mut values: HashMap<Box<str>, u32, FastHash> = HashMap::default();
    for (_, vs) in &gated {
        for v in vs {
            let n = values.len() as u32;
            values.entry(v.as_str().into()).or_insert(n);
        }
    }
    if values.len() > 64 {
        return (None, HashMap::new());
    }
    let bits = gated
        .into_iter()
        .map(|(r, vs)| {
            let b = vs
                .iter()
                .filter_map(|v| values.get(v.as_str()))
                .fold(0u64, |acc, &i| acc | (1 << i));
            (r, b)
        })
        .collect();
    (Some(Gate { src, values }), bits)
}

/// Cached routes looked up without hashing the logsource.
const DIRECT_ROUTES: usize = 8;

/// Hash of a logsource's routing key.
fn route_hash(l: &LogSource) -> u64 {
    use std::hash::BuildHasher as _;
    FastHash::default().hash_one((
        l.product.as_deref(),
        l.category.as_deref(),
        l.service.as_deref(),
    ))
}

/// Reusable per-thread evaluation state: field values lowercased once per event, candidate
/// marks and memo tables. Keep one per thread and pass it to every call; after warm-up the
/// hot path does not allocate.
#[derive(Debug, Default)]
pub struct Scratch {
    epoch: u32,
    slots: Vec<Slot>,
    stamp: Vec<u32>,
    cands: Vec<u32>,
    memo: Vec<u8>,
    routes: Vec<Route>,
    /// The engine the routes belong to.
    engine: u64,
    events: u64,
    evaluated: u64,
}

impl Scratch {
    /// Empty scratch space (sized on first use).
    pub fn new() -> Self {
        Scratch::default()
    }

    /// Events evaluated with this scratch space.
    pub fn events(&self) -> u64 {
        self.events
    }

    /// Rules fully evaluated (index candidates plus always-evaluated rules) over those
    /// events: `rules_evaluated() / events()` is the index's selectivity.
    pub fn rules_evaluated(&self) -> u64 {
        self.evaluated
    }
}

impl Engine {
    /// Compiles every rule of `set` with the built-in pipeline.
    pub fn new(set: &RuleSet) -> Engine {
        Engine::compile(set, &Pipeline::builtin())
    }

    /// Compiles every rule of `set` through `pipeline`. Rules that fail to compile are listed
    /// in [`Engine::rejected`]; the others are all usable.
    pub fn compile(set: &RuleSet, pipeline: &Pipeline) -> Engine {
        let mut interner = Interner::default();
        let mut entries = Vec::new();
        let mut rejected = Vec::new();
        let mut filters_for: HashMap<usize, Vec<&Detection>> = HashMap::new();
        let mut filters_applied = 0;
        for f in &set.filters {
            let mut hit = false;
            for (i, r) in set.rules.iter().enumerate() {
                let refs = |s: &Option<String>| s.as_ref().is_some_and(|x| f.rules.contains(x));
                if refs(&r.meta.id) || refs(&r.meta.name) {
                    filters_for.entry(i).or_default().push(&f.detection);
                    hit = true;
                }
            }
            filters_applied += usize::from(hit);
        }
        for (i, r) in set.rules.iter().enumerate() {
            let mut cx = Cx {
                pipeline,
                settings: set.settings(),
                interner: &mut interner,
                ls: &r.logsource,
            };
            let filters = filters_for.get(&i).cloned().unwrap_or_default();
            match compile::compile(&r.detection, &filters, &mut cx) {
                Ok(c) => entries.push(RuleEntry { rule: r.clone(), c }),
                Err(reason) => rejected.push(Error::Rule {
                    at: r.at.clone(),
                    title: r.meta.title.clone(),
                    id: r.meta.ident().to_string(),
                    reason,
                }),
            }
        }
        let raw_slot = interner.names.len() as u32;
        let mut stats = EngineStats {
            rules: entries.len(),
            rejected: rejected.len(),
            filters_applied,
            ..EngineStats::default()
        };
        // First pass: how many rules each (slot, needle) would witness when every rule picks
        // its longest literals; the second pass avoids the common ones where a rule has an
        // alternative, so fewer rules become candidates per event.
        let mut uses: HashMap<(u32, &str), usize> = HashMap::new();
        let sid_of = |src: Src| match src {
            Src::Field(f) => f,
            Src::Raw => raw_slot,
        };
        let first: Vec<Option<compile::Witness>> = entries
            .iter()
            .map(|e| compile::witness(&e.c, &|_, _| false))
            .collect();
        for w in first.iter().flatten() {
            let mut seen: Vec<(u32, &str)> =
                w.iter().map(|(s, n, _)| (sid_of(*s), n.as_str())).collect();
            seen.sort_unstable();
            seen.dedup();
            for k in seen {
                *uses.entry(k).or_default() += 1;
            }
        }
        let common =
            |src: Src, n: &str| uses.get(&(sid_of(src), n)).copied().unwrap_or(0) > COMMON_NEEDLE;
        // Per bucket: its always-evaluated rules and its (slot, needle, anchor, rule)s.
        let mut buckets: Vec<LogSource> = Vec::new();
        let mut always: Vec<Vec<u32>> = Vec::new();
        let mut needles: Vec<Vec<(u32, String, Anchor, u32)>> = Vec::new();
        for (ri, e) in entries.iter().enumerate() {
            let key = e.rule.logsource.key();
            let bi = match buckets.iter().position(|b| *b == key) {
                Some(b) => b,
                None => {
                    buckets.push(key);
                    always.push(Vec::new());
                    needles.push(Vec::new());
                    buckets.len() - 1
                }
            };
            match compile::witness(&e.c, &common) {
                Some(w) => {
                    stats.indexed += 1;
                    for (src, n, anchor) in w {
                        needles[bi].push((sid_of(src), n, anchor, ri as u32));
                    }
                }
                None => {
                    stats.always_evaluated += 1;
                    always[bi].push(ri as u32);
                }
            }
        }
        for ns in &needles {
            let distinct: std::collections::BTreeSet<(u32, &str, Anchor)> =
                ns.iter().map(|(s, n, a, _)| (*s, n.as_str(), *a)).collect();
            stats.needles += distinct.len();
        }
        // Plan sets: every bucket alone, then the buckets covering each bucket's logsource.
        let mut sets: Vec<Vec<u32>> = (0..buckets.len() as u32).map(|b| vec![b]).collect();
        for k in &buckets {
            let cover: Vec<u32> = (0..buckets.len() as u32)
                .filter(|&j| buckets[j as usize].covers(k))
                .collect();
            if cover.len() > 1 && !sets.contains(&cover) {
                sets.push(cover);
            }
        }
        // Plans that merge buckets share their slots' needle sets (every linux plan holds the
        // linux keyword rules' raw-line automaton, ~1.4 MB as a DFA): one automaton each.
        let mut built: HashMap<(u32, Needles), Arc<Automaton>> = HashMap::new();
        let mut automaton_of = |sid: u32, src: Src, ns: Needles| {
            built
                .entry((sid, ns))
                .or_insert_with_key(|(_, ns)| Arc::new(automaton(src, ns)))
                .clone()
        };
        let plans = sets
            .into_iter()
            .map(|set| {
                let mut all: Vec<u32> = set
                    .iter()
                    .flat_map(|&b| always[b as usize].iter().copied())
                    .collect();
                all.sort_unstable();
                let mut by_slot: BTreeMap<u32, Vec<(String, Anchor, u32)>> = BTreeMap::new();
                for &b in &set {
                    for (sid, n, a, r) in &needles[b as usize] {
                        by_slot.entry(*sid).or_default().push((n.clone(), *a, *r));
                    }
                }
                let src_of = |sid: u32| {
                    if sid == raw_slot {
                        Src::Raw
                    } else {
                        Src::Field(sid)
                    }
                };
                let (gate, gates) = choose_gate(&entries, &by_slot, src_of);
                let mut need = Vec::new();
                let mut automata = Vec::new();
                for (sid, ns) in by_slot {
                    let mut n = Need::default();
                    for (_, _, r) in &ns {
                        match gates.get(r) {
                            Some(bits) => n.bits |= bits,
                            None => n.ungated = true,
                        }
                    }
                    // The gated rules' substring needles cost every event a scan (and, when
                    // short, the prescreen): events whose gate value no gated rule of this
                    // slot wants go through an automaton of the ungated rules' needles alone.
                    let gated_any = ns
                        .iter()
                        .any(|(_, a, r)| *a == Anchor::Any && gates.contains_key(r));
                    if n.ungated && gated_any {
                        let ungated: Vec<(String, Anchor, u32)> = ns
                            .iter()
                            .filter(|(_, _, r)| !gates.contains_key(r))
                            .cloned()
                            .collect();
                        need.push(Need {
                            ungated: true,
                            bits: 0,
                            unless: n.bits,
                        });
                        automata.push(automaton_of(sid, src_of(sid), ungated));
                        n.ungated = false;
                    }
                    need.push(n);
                    automata.push(automaton_of(sid, src_of(sid), ns));
                }
                Plan {
                    buckets: set,
                    always: all,
                    automata,
                    need,
                    gate,
                }
            })
            .collect();
        stats.buckets = buckets.len();
        Engine {
            entries,
            slots: interner
                .names
                .iter()
                .map(|ns| ns.iter().map(|n| FieldName::new(n)).collect())
                .collect(),
            buckets,
            plans,
            keyword_fields: pipeline
                .keyword_fields
                .iter()
                .map(|n| FieldName::new(n))
                .collect(),
            correlations: set.correlations.clone(),
            rejected,
            stats,
            id: NEXT_ENGINE_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        }
    }

    /// Compile-time counters.
    pub fn stats(&self) -> &EngineStats {
        &self.stats
    }

    /// Rules rejected at compile time.
    pub fn rejected(&self) -> &[Error] {
        &self.rejected
    }

    /// The compiled rules, indexed by [`Match::rule`].
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &Rule> {
        self.entries.iter().map(|e| &e.rule)
    }

    /// The rule of a match index.
    pub fn rule(&self, index: usize) -> Option<&Rule> {
        self.entries.get(index).map(|e| &e.rule)
    }

    /// Index of the rule with this `id` or `name` (for correlation references).
    pub fn find_rule(&self, id_or_name: &str) -> Option<usize> {
        self.entries.iter().position(|e| {
            e.rule.meta.id.as_deref() == Some(id_or_name)
                || e.rule.meta.name.as_deref() == Some(id_or_name)
        })
    }

    /// Correlation rules loaded with the set (executed by the correlation stage).
    pub fn correlations(&self) -> &[Correlation] {
        &self.correlations
    }

    /// Names of the selections that were true in a match.
    pub fn selection_names(&self, m: &Match) -> Vec<&str> {
        let Some(e) = self.entries.get(m.rule) else {
            return Vec::new();
        };
        e.c.names
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 64 && m.selections & (1u64 << i) != 0)
            .map(|(_, n)| n.as_str())
            .collect()
    }

    /// Evaluates one event whose logsource is `ls` and appends the matches to `out` in rule
    /// order. Returns the number of matches appended.
    pub fn evaluate<E: FieldSource + ?Sized>(
        &self,
        ls: &LogSource,
        event: &E,
        sc: &mut Scratch,
        out: &mut Vec<Match>,
    ) -> usize {
        self.prepare(sc);
        sc.events += 1;
        let route = self.route(ls, sc);
        let plans = std::mem::take(&mut sc.routes[route].plans);
        let before = out.len();
        for &p in &plans {
            self.eval_plan(&self.plans[p as usize], event, sc, out);
        }
        sc.routes[route].plans = plans;
        out.len() - before
    }

    /// The event fields the rules for events of logsource `ls` read (those of every bucket
    /// covering it, as [`Engine::evaluate`] routes them).
    pub fn fields_read(&self, ls: &LogSource) -> FieldsRead {
        let (covering, plans) = self.plans_for(ls);
        let plans: Vec<&Plan> = plans.iter().map(|&p| &self.plans[p as usize]).collect();
        let mut when = vec![ReadWhen::Candidate; self.slots.len() + 1];
        for p in &plans {
            let mut mark = |src: Src, w: ReadWhen| {
                let at = &mut when[self.slot_id(src)];
                *at = (*at).min(w);
            };
            if let Some(g) = &p.gate {
                mark(g.src, ReadWhen::EveryEvent);
            }
            for (a, n) in p.automata.iter().zip(&p.need) {
                let w = if n.ungated {
                    ReadWhen::EveryEvent
                } else {
                    ReadWhen::Gated
                };
                mark(a.src, w);
            }
        }
        let mut out = FieldsRead::default();
        let mut seen = vec![false; self.slots.len()];
        let mut raw = false;
        for e in &self.entries {
            let key = e.rule.logsource.key();
            if !covering.iter().any(|&b| self.buckets[b as usize] == key) {
                continue;
            }
            raw |= e.c.raw;
            for &(_, sid) in &e.c.fields {
                let sid = sid as usize;
                if seen.get(sid).copied() == Some(false) {
                    seen[sid] = true;
                    out.fields.push(FieldRead {
                        names: self.slots[sid].clone(),
                        when: when[sid],
                    });
                }
            }
        }
        out.fields.sort_by(|a, b| {
            a.names
                .last()
                .map(FieldName::as_str)
                .cmp(&b.names.last().map(FieldName::as_str))
        });
        out.raw = raw.then(|| FieldRead {
            names: self.keyword_fields.clone(),
            when: when[self.slots.len()],
        });
        out
    }

    /// Whether the rule at `index` matches the event (no index, no logsource check).
    pub fn matches_rule<E: FieldSource + ?Sized>(
        &self,
        index: usize,
        event: &E,
        sc: &mut Scratch,
    ) -> bool {
        self.prepare(sc);
        index < self.entries.len() && self.eval_rule(index, event, sc).is_some()
    }

    fn prepare(&self, sc: &mut Scratch) {
        let n = self.slots.len() + 1;
        if sc.slots.len() != n {
            sc.slots = vec![Slot::default(); n];
        }
        if sc.stamp.len() != self.entries.len() {
            sc.stamp = vec![0; self.entries.len()];
        }
        if sc.engine != self.id {
            // Routes name this engine's plans.
            sc.routes.clear();
            sc.engine = self.id;
        }
        sc.epoch = sc.epoch.wrapping_add(1);
        if sc.epoch == 0 {
            sc.stamp.iter_mut().for_each(|s| *s = 0);
            sc.slots.iter_mut().for_each(|s| s.epoch = 0);
            sc.epoch = 1;
        }
    }

    fn route(&self, ls: &LogSource, sc: &mut Scratch) -> usize {
        // The category and service tell most logsources apart by length alone.
        let same = |l: &LogSource| {
            l.category == ls.category && l.service == ls.service && l.product == ls.product
        };
        // A stream has a handful of logsources: the first routes are compared directly
        // (cheaper than hashing the three names), the rest by hash first.
        if let Some(i) = sc
            .routes
            .iter()
            .take(DIRECT_ROUTES)
            .position(|r| same(&r.key))
        {
            return i;
        }
        let hash = route_hash(ls);
        if let Some(i) = sc
            .routes
            .iter()
            .skip(DIRECT_ROUTES)
            .position(|r| r.hash == hash && same(&r.key))
        {
            return i + DIRECT_ROUTES;
        }
        if sc.routes.len() >= 256 {
            sc.routes.clear();
        }
        let (_, plans) = self.plans_for(ls);
        sc.routes.push(Route {
            hash,
            key: ls.key(),
            plans,
        });
        sc.routes.len() - 1
    }

    /// The buckets covering logsource `ls`, and the plans that evaluate its events: one merged
    /// plan for exactly these buckets when there is one, else each bucket's own.
    fn plans_for(&self, ls: &LogSource) -> (Vec<u32>, Vec<u32>) {
        let cover: Vec<u32> = (0..self.buckets.len() as u32)
            .filter(|&b| self.buckets[b as usize].covers(ls))
            .collect();
        let plans = match self.plans.iter().position(|p| p.buckets == cover) {
            Some(p) => vec![p as u32],
            None => cover.clone(),
        };
        (cover, plans)
    }

    fn eval_plan<E: FieldSource + ?Sized>(
        &self,
        p: &Plan,
        ev: &E,
        sc: &mut Scratch,
        out: &mut Vec<Match>,
    ) {
        let mut cands = std::mem::take(&mut sc.cands);
        cands.clear();
        let epoch = sc.epoch;
        for &r in &p.always {
            sc.stamp[r as usize] = epoch;
            cands.push(r);
        }
        // With a gate: which gate values the event holds.
        let live = match &p.gate {
            Some(g) => {
                let sid = self.slot_id(g.src);
                self.fill(sid, ev, sc);
                let slot = &sc.slots[sid];
                let mut live = 0u64;
                if slot.state == PRESENT {
                    for v in slot.items() {
                        if let Some(&i) = g.values.get(v.low()) {
                            live |= 1 << i;
                        }
                    }
                }
                live
            }
            None => u64::MAX,
        };
        for (a, n) in p.automata.iter().zip(&p.need) {
            if (!n.ungated && n.bits & live == 0) || n.unless & live != 0 {
                continue;
            }
            let sid = self.slot_id(a.src);
            self.fill(sid, ev, sc);
            let slot = &sc.slots[sid];
            if slot.state != PRESENT {
                continue;
            }
            let stamp = &mut sc.stamp;
            for v in slot.items() {
                a.scan(v.low(), |rules| {
                    for &r in rules {
                        let s = &mut stamp[r as usize];
                        if *s != epoch {
                            *s = epoch;
                            cands.push(r);
                        }
                    }
                });
            }
        }
        if cands.len() > 1 {
            cands.sort_unstable();
        }
        sc.evaluated += cands.len() as u64;
        for &r in &cands {
            if let Some(sel) = self.eval_rule(r as usize, ev, sc) {
                out.push(Match {
                    rule: r as usize,
                    selections: sel,
                });
            }
        }
        sc.cands = cands;
    }

    fn slot_id(&self, src: Src) -> usize {
        match src {
            Src::Field(f) => f as usize,
            Src::Raw => self.slots.len(),
        }
    }

    /// Reads slot `sid` of the event unless this event's value is already there.
    #[inline]
    fn fill<E: FieldSource + ?Sized>(&self, sid: usize, ev: &E, sc: &mut Scratch) {
        if sc.slots[sid].epoch != sc.epoch {
            self.read_slot(sid, ev, sc);
        }
    }

    #[inline(never)]
    fn read_slot<E: FieldSource + ?Sized>(&self, sid: usize, ev: &E, sc: &mut Scratch) {
        let slot = &mut sc.slots[sid];
        slot.epoch = sc.epoch;
        slot.n = 0;
        slot.state = ABSENT;
        let names = match self.slots.get(sid) {
            Some(names) => names,
            // The raw message, else the first keyword field present.
            None => {
                if let Some(t) = ev.raw_text() {
                    slot.state = PRESENT;
                    slot.push_value(&Value::str(t));
                    return;
                }
                &self.keyword_fields
            }
        };
        // The first of the slot's names the event has, in order (an event may carry both a
        // mapped name and the rule's own).
        for name in names {
            if let Some(v) = ev.field_by(name) {
                // A string (most values) is pushed without the general path or the value's
                // out-of-line drop.
                match v {
                    Value::Str(s) => {
                        slot.state = PRESENT;
                        slot.push_str(&s);
                    }
                    v => {
                        slot.state = if v.is_null() { NULL } else { PRESENT };
                        slot.push_value(&v);
                    }
                }
                return;
            }
        }
    }

    fn eval_rule<E: FieldSource + ?Sized>(
        &self,
        r: usize,
        ev: &E,
        sc: &mut Scratch,
    ) -> Option<u64> {
        let c = &self.entries[r].c;
        let mut memo = std::mem::take(&mut sc.memo);
        memo.clear();
        memo.resize(c.sels.len(), 2);
        let ok = self.eval_prog(&c.prog, c, ev, sc, &mut memo);
        let mut mask = 0u64;
        if ok {
            for (i, &m) in memo.iter().enumerate().take(64) {
                if m == 1 {
                    mask |= 1 << i;
                }
            }
        }
        sc.memo = memo;
        ok.then_some(mask)
    }

    fn eval_prog<E: FieldSource + ?Sized>(
        &self,
        p: &Prog,
        c: &Compiled,
        ev: &E,
        sc: &mut Scratch,
        memo: &mut [u8],
    ) -> bool {
        match p {
            Prog::Sel(i) => {
                if memo[*i] == 2 {
                    let v = c.sels[*i]
                        .alts
                        .iter()
                        .any(|alt| alt.iter().all(|it| self.eval_item(it, ev, sc)));
                    memo[*i] = u8::from(v);
                }
                memo[*i] == 1
            }
            Prog::Not(x) => !self.eval_prog(x, c, ev, sc, memo),
            Prog::And(v) => v.iter().all(|x| self.eval_prog(x, c, ev, sc, memo)),
            Prog::Or(v) => v.iter().any(|x| self.eval_prog(x, c, ev, sc, memo)),
        }
    }

    fn eval_item<E: FieldSource + ?Sized>(&self, it: &Item, ev: &E, sc: &mut Scratch) -> bool {
        let sid = self.slot_id(it.src);
        self.fill(sid, ev, sc);
        let state = sc.slots[sid].state;
        match &it.test {
            Test::Null => state != PRESENT || sc.slots[sid].n == 0,
            Test::Exists(b) => (state != ABSENT) == *b,
            Test::Values { checks, all, neq } => {
                if state != PRESENT {
                    return *neq;
                }
                for ch in checks {
                    if let Check::FieldRef { other, .. } = ch {
                        self.fill(*other as usize, ev, sc);
                    }
                }
                let items = sc.slots[sid].items();
                let one = |ch: &Check| items.iter().any(|item| check(ch, item, &sc.slots));
                let res = if *all {
                    checks.iter().all(one)
                } else {
                    checks.iter().any(one)
                };
                res != *neq
            }
        }
    }

    /// Builds the presentable finding for a match on `event`.
    pub fn finding<E: FieldSource + ?Sized>(&self, m: &Match, event: &E) -> Option<Finding> {
        let e = self.entries.get(m.rule)?;
        let meta = &e.rule.meta;
        let mut fields = BTreeMap::new();
        for (name, sid) in &e.c.fields {
            for n in &self.slots[*sid as usize] {
                if let Some(v) = event.field_by(n) {
                    if let Some(t) = v.to_text() {
                        fields.insert(name.clone(), t.into_owned());
                    }
                    break;
                }
            }
        }
        Some(Finding {
            rule_id: meta.id.clone().or_else(|| meta.name.clone()),
            rule_title: meta.title.clone(),
            level: meta.level.as_ref().map(|l| l.as_str().to_string()),
            severity: meta
                .level
                .as_ref()
                .and_then(|l| Severity::from_sigma_level(l.as_str())),
            author: meta.author.clone(),
            tags: meta.tags.clone(),
            attack: Attack::from_sigma_tags(&meta.tags),
            rule_file: e.rule.at.file.clone(),
            selections: self
                .selection_names(m)
                .into_iter()
                .map(str::to_string)
                .collect(),
            fields,
        })
    }
}

fn check(ch: &Check, v: &Val, slots: &[Slot]) -> bool {
    let (orig, low) = (v.orig(), v.low());
    match ch {
        Check::Pat { pat, cased } => pat.is_match(if *cased { orig } else { low }),
        Check::AnyContains { ac, cased, .. } => ac.is_match(if *cased { orig } else { low }),
        Check::Regex(re) => re.is_match(orig),
        Check::Cidr(net) => orig
            .trim()
            .parse::<IpAddr>()
            .is_ok_and(|ip| net.contains(&ip)),
        Check::Num(op, n) => orig.trim().parse::<f64>().is_ok_and(|v| op.test(v, *n)),
        Check::Time(part, op, n) => time_part(orig, *part).is_some_and(|v| op.test(v as f64, *n)),
        Check::FieldRef { other, cased } => {
            let o = &slots[*other as usize];
            o.state == PRESENT
                && o.items().iter().any(|o| {
                    if *cased {
                        o.orig() == orig
                    } else {
                        o.low() == low
                    }
                })
        }
    }
}

fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    for f in [
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(s, f) {
            return Some(t.and_utc());
        }
    }
    let secs: f64 = s.parse().ok()?;
    DateTime::from_timestamp(secs.trunc() as i64, 0)
}

fn time_part(s: &str, part: TimePart) -> Option<u32> {
    let t = parse_time(s)?;
    Some(match part {
        TimePart::Minute => t.minute(),
        TimePart::Hour => t.hour(),
        TimePart::Day => t.day(),
        TimePart::Week => t.iso_week().week(),
        TimePart::Month => t.month(),
        TimePart::Year => t.year().max(0) as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_lowering_agrees_with_lowercasing() {
        let reference = |s: &str| crate::pattern::lower(s) != s || !s.is_ascii();
        // Every byte value at every position of a word longer than one SWAR chunk.
        let base = "abcdefghijklmnopq/0123-_.z";
        for pos in 0..base.len() {
            for c in 0u8..=127 {
                let mut b = base.as_bytes().to_vec();
                b[pos] = c;
                let s = String::from_utf8(b).unwrap_or_default();
                assert_eq!(needs_lowering(s.as_bytes()), reference(&s), "{s:?}");
            }
        }
        for s in [
            "",
            "é",
            "abcdefgh\u{e9}",
            "/usr/bin/ls -la",
            "ABCDEFGHIJ",
            "@[`{",
        ] {
            assert_eq!(needs_lowering(s.as_bytes()), reference(s), "{s:?}");
        }
    }

    #[test]
    fn routes_past_the_directly_compared_ones() {
        let mut set = RuleSet::new(crate::Settings::default());
        for i in 0..12 {
            set.add_str(
                &format!(
                    "title: r{i}\nlogsource:\n  product: p{i}\ndetection:\n  sel:\n    f: x\n  condition: sel\n"
                ),
                &format!("r{i}.yml"),
            );
        }
        let engine = Engine::new(&set);
        assert_eq!(engine.stats().rules, 12);
        let ev = serde_json::json!({"f": "x"});
        let mut sc = Scratch::new();
        let mut out = Vec::new();
        // Twice over, so the second round finds every route cached, the last ones by hash.
        for _ in 0..2 {
            for i in (0..12).rev() {
                out.clear();
                let ls = LogSource::new(&format!("p{i}"), "", "");
                engine.evaluate(&ls, &ev, &mut sc, &mut out);
                let rules: Vec<&str> = out
                    .iter()
                    .filter_map(|m| engine.rule(m.rule))
                    .map(|r| r.meta.title.as_str())
                    .collect();
                assert_eq!(rules, [format!("r{i}")]);
            }
        }
        assert!(sc.routes.len() > DIRECT_ROUTES);
    }

    #[test]
    fn values_stored_once_when_lowercase() {
        let mut slot = Slot::default();
        slot.push_value(&Value::str("/usr/bin/ls"));
        slot.push_value(&Value::str("/usr/bin/LS"));
        slot.push_value(&Value::Int(42));
        let v = slot.items();
        assert_eq!(
            (v[0].orig(), v[0].low(), v[0].lowered),
            ("/usr/bin/ls", "/usr/bin/ls", false)
        );
        assert_eq!(
            (v[1].orig(), v[1].low(), v[1].lowered),
            ("/usr/bin/LS", "/usr/bin/ls", true)
        );
        assert_eq!((v[2].orig(), v[2].low()), ("42", "42"));
    }
}
