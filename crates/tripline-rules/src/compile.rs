//! Compilation of loaded rules into matcher programs: done once, with every literal
//! lowercased, every regex, CIDR and encoding prepared, and selection names resolved.

use std::collections::HashMap;
use std::net::IpAddr;

use aho_corasick::AhoCorasick;
use ipnet::IpNet;
use regex::{Regex, RegexBuilder};

use crate::condition::{Condition, Target as CondTarget, name_matches};
use crate::encode;
use crate::modifier::Modifier as M;
use crate::pattern::{Pattern, Tok, lower, plain, tokenize};
use crate::pipeline::Pipeline;
use crate::rule::{CmpOp, Detection, FieldItem, LogSource, SigmaValue};
use crate::settings::Settings;

/// `contains` values grouped into one automaton from this many needles on.
const AC_MIN_NEEDLES: usize = 4;

/// Interns "event field name candidate lists" as slot ids.
#[derive(Debug, Default)]
pub(crate) struct Interner {
    pub(crate) names: Vec<Vec<String>>,
    map: HashMap<Vec<String>, u32>,
}

impl Interner {
    pub(crate) fn id(&mut self, names: Vec<String>) -> u32 {
        if let Some(&i) = self.map.get(&names) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(names.clone());
        self.map.insert(names, i);
        i
    }
}

/// A part of a timestamp for the time modifiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TimePart {
    Minute,
    Hour,
    Day,
    Week,
    Month,
    Year,
}

/// One value test on one field value.
#[derive(Debug, Clone)]
pub(crate) enum Check {
    Pat {
        pat: Pattern,
        cased: bool,
    },
    AnyContains {
        ac: Box<AhoCorasick>,
        needles: Vec<String>,
        cased: bool,
    },
    Regex(Box<Regex>),
    Cidr(IpNet),
    Num(CmpOp, f64),
    Time(TimePart, CmpOp, f64),
    FieldRef {
        other: u32,
        cased: bool,
    },
}

/// What an item reads: a field slot or the raw message (keywords).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Src {
    Field(u32),
    Raw,
}

#[derive(Debug, Clone)]
pub(crate) enum Test {
    Null,
    Exists(bool),
    Values {
        checks: Vec<Check>,
        all: bool,
        neq: bool,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct Item {
    pub(crate) src: Src,
    pub(crate) test: Test,
}

#[derive(Debug, Clone)]
pub(crate) struct Sel {
    pub(crate) alts: Vec<Vec<Item>>,
}

#[derive(Debug, Clone)]
pub(crate) enum Prog {
    Sel(usize),
    Not(Box<Prog>),
    And(Vec<Prog>),
    Or(Vec<Prog>),
}

/// A compiled rule (detection plus applied meta filters).
#[derive(Debug, Clone)]
pub(crate) struct Compiled {
    pub(crate) sels: Vec<Sel>,
    pub(crate) names: Vec<String>,
    pub(crate) prog: Prog,
    /// Rule field name → slot, for reporting matched values.
    pub(crate) fields: Vec<(String, u32)>,
    /// Whether a keyword item reads the raw text.
    pub(crate) raw: bool,
}

pub(crate) struct Cx<'a> {
    pub(crate) pipeline: &'a Pipeline,
    pub(crate) settings: &'a Settings,
    pub(crate) interner: &'a mut Interner,
    pub(crate) ls: &'a LogSource,
}

/// Compiles a detection, then appends each filter as `and not (filter)`.
pub(crate) fn compile(
    det: &Detection,
    filters: &[&Detection],
    cx: &mut Cx<'_>,
) -> Result<Compiled, String> {
    let mut out = Compiled {
        sels: Vec::new(),
        names: Vec::new(),
        prog: Prog::And(Vec::new()),
        fields: Vec::new(),
        raw: false,
    };
    let prog = compile_detection(det, &mut out, cx, "")?;
    let mut parts = vec![prog];
    for (i, f) in filters.iter().enumerate() {
        let fp = compile_detection(f, &mut out, cx, &format!("filter{i}:"))?;
        parts.push(Prog::Not(Box::new(fp)));
    }
    out.prog = if parts.len() == 1 {
        parts.remove(0)
    } else {
        Prog::And(parts)
    };
    Ok(out)
}

fn compile_detection(
    det: &Detection,
    out: &mut Compiled,
    cx: &mut Cx<'_>,
    prefix: &str,
) -> Result<Prog, String> {
    let base = out.sels.len();
    for s in &det.selections {
        let mut alts = Vec::with_capacity(s.alternatives.len());
        for alt in &s.alternatives {
            let mut items = Vec::with_capacity(alt.len());
            for it in alt {
                items.push(
                    compile_item(it, cx, out)
                        .map_err(|e| format!("selection `{}`: {e}", s.name))?,
                );
            }
            alts.push(items);
        }
        out.sels.push(Sel { alts });
        out.names.push(format!("{prefix}{}", s.name));
    }
    let names: Vec<&str> = det.selections.iter().map(|s| s.name.as_str()).collect();
    let mut conds = Vec::with_capacity(det.conditions.len());
    for c in &det.conditions {
        conds.push(cond_prog(c, &names, base)?);
    }
    Ok(if conds.len() == 1 {
        conds.remove(0)
    } else {
        Prog::Or(conds)
    })
}

fn cond_prog(c: &Condition, names: &[&str], base: usize) -> Result<Prog, String> {
    Ok(match c {
        Condition::Ident(n) => {
            let i = names.iter().position(|x| x == n).ok_or_else(|| {
                format!("condition names `{n}`, which is not a search identifier")
            })?;
            Prog::Sel(base + i)
        }
        Condition::Not(x) => Prog::Not(Box::new(cond_prog(x, names, base)?)),
        Condition::And(v) => Prog::And(
            v.iter()
                .map(|x| cond_prog(x, names, base))
                .collect::<Result<_, _>>()?,
        ),
        Condition::Or(v) => Prog::Or(
            v.iter()
                .map(|x| cond_prog(x, names, base))
                .collect::<Result<_, _>>()?,
        ),
        Condition::OneOf(t) | Condition::AllOf(t) => {
            let idx: Vec<Prog> = names
                .iter()
                .enumerate()
                .filter(|(_, n)| match t {
                    CondTarget::Them => !n.starts_with('_'),
                    CondTarget::Pattern(p) => name_matches(p, n),
                    #[allow(unreachable_patterns)]
                    _ => false,
                })
                .map(|(i, _)| Prog::Sel(base + i))
                .collect();
            if idx.is_empty() {
                return Err(format!("`{c}` matches no search identifier"));
            }
            if matches!(c, Condition::AllOf(_)) {
                Prog::And(idx)
            } else {
                Prog::Or(idx)
            }
        }
        #[allow(unreachable_patterns)]
        _ => return Err(format!("unsupported condition `{c}`")),
    })
}

fn slot_for(field: &str, cx: &mut Cx<'_>, out: &mut Compiled) -> u32 {
    let names = cx.pipeline.field_names(cx.ls, field);
    let id = cx.interner.id(names);
    if !out.fields.iter().any(|(n, _)| n == field) {
        out.fields.push((field.to_string(), id));
    }
    id
}

fn compile_item(it: &FieldItem, cx: &mut Cx<'_>, out: &mut Compiled) -> Result<Item, String> {
    let fname = it.field.as_deref().unwrap_or("");
    let src = match &it.field {
        Some(f) => Src::Field(slot_for(f, cx, out)),
        None => {
            out.raw = true;
            Src::Raw
        }
    };
    let has = |m: M| it.has(m);
    if has(M::Exists) {
        let b = match it.values.as_slice() {
            [SigmaValue::Bool(b)] => *b,
            [SigmaValue::Str(s)]
                if s.eq_ignore_ascii_case("true") || s.eq_ignore_ascii_case("false") =>
            {
                s.eq_ignore_ascii_case("true")
            }
            _ => {
                return Err(format!(
                    "field `{fname}`: `exists` needs a single true/false value"
                ));
            }
        };
        return Ok(Item {
            src,
            test: Test::Exists(b),
        });
    }
    if it.values.iter().any(|v| matches!(v, SigmaValue::Null)) {
        if it.values.len() != 1 || !it.modifiers.is_empty() {
            return Err(format!(
                "field `{fname}`: `null` cannot be mixed with other values or modifiers; use a separate selection"
            ));
        }
        return Ok(Item {
            src,
            test: Test::Null,
        });
    }
    for (i, m) in it.modifiers.iter().enumerate() {
        if matches!(m, M::ReIgnoreCase | M::ReMultiline | M::ReDotAll)
            && !it.modifiers[..i].contains(&M::Re)
        {
            return Err(format!(
                "field `{fname}`: modifier `{m}` only applies after `re`"
            ));
        }
    }
    let all = has(M::All);
    let neq = has(M::Neq);
    let cased = has(M::Cased);
    let cmp = if has(M::Lt) {
        Some(CmpOp::Lt)
    } else if has(M::Lte) {
        Some(CmpOp::Lte)
    } else if has(M::Gt) {
        Some(CmpOp::Gt)
    } else if has(M::Gte) {
        Some(CmpOp::Gte)
    } else {
        None
    };
    let time = [
        (M::Minute, TimePart::Minute),
        (M::Hour, TimePart::Hour),
        (M::Day, TimePart::Day),
        (M::Week, TimePart::Week),
        (M::Month, TimePart::Month),
        (M::Year, TimePart::Year),
    ]
    .into_iter()
    .find(|(m, _)| has(*m))
    .map(|(_, p)| p);
    let mut values: Vec<SigmaValue> = it.values.clone();
    if has(M::Expand) {
        values = expand(&values, cx.settings).map_err(|e| format!("field `{fname}`: {e}"))?;
    }
    let mut checks = Vec::new();
    for v in &values {
        if has(M::FieldRef) {
            let other = v.text().ok_or("fieldref needs a field name")?;
            checks.push(Check::FieldRef {
                other: slot_for(&other, cx, out),
                cased,
            });
        } else if let Some(part) = time {
            checks.push(Check::Time(
                part,
                cmp.unwrap_or(CmpOp::Eq),
                number(v).ok_or_else(|| format!("field `{fname}`: time part needs a number"))?,
            ));
        } else if has(M::Re) {
            let pat = v.text().unwrap_or_default();
            let re = RegexBuilder::new(&pat)
                .case_insensitive(has(M::ReIgnoreCase))
                .multi_line(has(M::ReMultiline))
                .dot_matches_new_line(has(M::ReDotAll))
                .size_limit(cx.settings.max_regex_bytes)
                .build()
                .map_err(|e| {
                    format!(
                        "field `{fname}`: regex: {}",
                        e.to_string().lines().last().unwrap_or("invalid")
                    )
                })?;
            checks.push(Check::Regex(Box::new(re)));
        } else if has(M::Cidr) {
            let t = v.text().unwrap_or_default();
            let net = t
                .parse::<IpNet>()
                .or_else(|_| t.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("field `{fname}`: `{t}` is not a CIDR network"))?;
            checks.push(Check::Cidr(net));
        } else if let Some(op) = cmp {
            checks.push(Check::Num(
                op,
                number(v).ok_or_else(|| format!("field `{fname}`: `{op:?}` needs a number"))?,
            ));
        } else {
            for toks in string_variants(it, v, cx).map_err(|e| format!("field `{fname}`: {e}"))? {
                checks.push(Check::Pat {
                    pat: Pattern::new(toks, cased),
                    cased,
                });
            }
        }
    }
    if !all {
        checks = group_contains(checks);
    }
    Ok(Item {
        src,
        test: Test::Values { checks, all, neq },
    })
}

fn number(v: &SigmaValue) -> Option<f64> {
    match v {
        SigmaValue::Int(i) => Some(*i as f64),
        SigmaValue::Float(f) => Some(*f),
        SigmaValue::Str(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// `%name%` placeholders → the configured values (cross product when several).
fn expand(values: &[SigmaValue], s: &Settings) -> Result<Vec<SigmaValue>, String> {
    let mut out = Vec::new();
    for v in values {
        let SigmaValue::Str(text) = v else {
            out.push(v.clone());
            continue;
        };
        let mut variants = vec![String::new()];
        let mut rest = text.as_str();
        while let Some(p) = rest.find('%') {
            if p > 0 && rest.as_bytes()[p - 1] == b'\\' {
                for x in &mut variants {
                    x.push_str(&rest[..p - 1]);
                    x.push('%');
                }
                rest = &rest[p + 1..];
                continue;
            }
            let Some(q) = rest[p + 1..].find('%') else {
                break;
            };
            let name = &rest[p + 1..p + 1 + q];
            let subst = s.placeholders.get(name).ok_or_else(|| {
                format!("unknown placeholder `%{name}%` (add it to Settings::placeholders)")
            })?;
            let mut next = Vec::new();
            for x in &variants {
                for sv in subst {
                    next.push(format!("{x}{}{sv}", &rest[..p]));
                }
            }
            variants = next;
            rest = &rest[p + 2 + q..];
        }
        out.extend(variants.into_iter().map(|x| SigmaValue::Str(x + rest)));
    }
    Ok(out)
}

/// Token lists for one string value after windash, encodings, value aliases and
/// contains/startswith/endswith.
fn string_variants(it: &FieldItem, v: &SigmaValue, cx: &Cx<'_>) -> Result<Vec<Vec<Tok>>, String> {
    let text = v.text().unwrap_or_default();
    let mut texts = vec![text.clone()];
    if let Some(f) = &it.field
        && let Some(alias) = cx.pipeline.value_alias(cx.ls, f, &text)
    {
        texts.push(
            alias
                .replace('\\', "\\\\")
                .replace('*', "\\*")
                .replace('?', "\\?"),
        );
    }
    if it.has(M::Windash) {
        let mut w = Vec::new();
        for t in &texts {
            w.extend(encode::windash(t).ok_or_else(|| {
                format!(
                    "windash: more than {} dash positions",
                    encode::MAX_WINDASH_POSITIONS
                )
            })?);
        }
        texts = w;
    }
    let encoded = it.modifiers.iter().any(|m| {
        matches!(
            m,
            M::Base64 | M::Base64Offset | M::Utf16 | M::Utf16Be | M::Utf16Le
        )
    });
    let mut tok_lists: Vec<Vec<Tok>> = Vec::new();
    for t in &texts {
        let toks = tokenize(t);
        if !encoded {
            tok_lists.push(toks);
            continue;
        }
        let p = plain(&toks).ok_or("wildcards cannot be combined with base64/utf16 encodings")?;
        let mut bytes_variants = vec![p.into_bytes()];
        for m in &it.modifiers {
            bytes_variants = match m {
                M::Utf16Le => bytes_variants.iter().map(|b| encode::utf16le(b)).collect(),
                M::Utf16Be => bytes_variants.iter().map(|b| encode::utf16be(b)).collect(),
                M::Utf16 => bytes_variants.iter().map(|b| encode::utf16bom(b)).collect(),
                M::Base64 => bytes_variants
                    .iter()
                    .map(|b| encode::base64(b).into_bytes())
                    .collect(),
                M::Base64Offset => bytes_variants
                    .iter()
                    .flat_map(|b| encode::base64offset(b))
                    .map(String::into_bytes)
                    .collect(),
                _ => bytes_variants,
            };
        }
        for b in bytes_variants {
            tok_lists.push(vec![Tok::Lit(encode::bytes_as_text(&b))]);
        }
    }
    let keyword = it.field.is_none();
    let contains =
        it.has(M::Contains) || (keyword && !it.has(M::StartsWith) && !it.has(M::EndsWith));
    for toks in &mut tok_lists {
        if contains || it.has(M::EndsWith) {
            toks.insert(0, Tok::Star);
        }
        if contains || it.has(M::StartsWith) {
            toks.push(Tok::Star);
        }
    }
    Ok(tok_lists)
}

/// Merges many plain `contains` checks of the same casing into one Aho-Corasick automaton.
fn group_contains(checks: Vec<Check>) -> Vec<Check> {
    for cased in [false, true] {
        let n = checks.iter().filter(|c| matches!(c, Check::Pat { pat, cased: cs } if *cs == cased && pat.contains_needle().is_some())).count();
        if n < AC_MIN_NEEDLES {
            continue;
        }
        let mut needles = Vec::new();
        let mut rest = Vec::new();
        for c in checks {
            match c {
                Check::Pat { ref pat, cased: cs }
                    if cs == cased && pat.contains_needle().is_some() =>
                {
                    needles.push(
                        String::from_utf8_lossy(pat.contains_needle().unwrap_or_default())
                            .into_owned(),
                    );
                }
                other => rest.push(other),
            }
        }
        if let Ok(ac) = AhoCorasick::new(&needles) {
            rest.push(Check::AnyContains {
                ac: Box::new(ac),
                needles,
                cased,
            });
        }
        return group_contains(rest);
    }
    checks
}

/// Where a witness needle must sit in the (lowercased) value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Anchor {
    /// Anywhere.
    Any,
    /// At the start.
    Start,
    /// At the end.
    End,
    /// The whole value.
    Whole,
}

/// Necessary literals of a rule: the rule can only match when one of them occurs (lowercase,
/// at its anchor) in its slot. `None`: no such set (the rule is always evaluated).
pub(crate) type Witness = Vec<(Src, String, Anchor)>;

/// Tells whether a needle on a slot is common (witnesses many rules, like `type: EXECVE`):
/// a witness built on it sends every such event to all those rules.
pub(crate) type Common<'a> = &'a dyn Fn(Src, &str) -> bool;

/// The necessary literals of a rule, choosing among alternatives (the items of an AND) the
/// most selective one: uncommon needles first, then long and anchored ones.
pub(crate) fn witness(c: &Compiled, common: Common<'_>) -> Option<Witness> {
    prog_need(&c.prog, c, common)
}

/// What a witness whose needles are all anchored (whole value, prefix, suffix) counts for in
/// extra needle bytes: such a needle is one hash lookup or trie walk, and a value ends with
/// `/nc` far less often than it contains ` -c ` (on the benchmark corpus, +1 → +3 took
/// candidates per event 1.02 → 0.90 and instructions −4 %; +4 and +5 did worse).
const ANCHORED_BONUS: usize = 3;

fn better(a: Witness, b: Witness, common: Common<'_>) -> Witness {
    let score = |w: &Witness| {
        let anchored = w.iter().all(|(_, _, a)| *a != Anchor::Any);
        (
            !w.iter().any(|(src, n, _)| common(*src, n)),
            w.iter().map(|(_, s, _)| s.len()).min().unwrap_or(0).min(8)
                + if anchored { ANCHORED_BONUS } else { 0 },
            usize::MAX - w.len(),
        )
    };
    if score(&b) > score(&a) { b } else { a }
}

fn prog_need(p: &Prog, c: &Compiled, common: Common<'_>) -> Option<Witness> {
    match p {
        Prog::Sel(i) => sel_need(&c.sels[*i], common),
        Prog::Not(_) => None,
        Prog::And(v) => v
            .iter()
            .filter_map(|x| prog_need(x, c, common))
            .reduce(|a, b| better(a, b, common)),
        Prog::Or(v) => {
            let mut all = Vec::new();
            for x in v {
                all.extend(prog_need(x, c, common)?);
            }
            (!all.is_empty()).then_some(all)
        }
    }
}

fn sel_need(s: &Sel, common: Common<'_>) -> Option<Witness> {
    let mut all = Vec::new();
    for alt in &s.alts {
        let w = alt
            .iter()
            .filter_map(item_need)
            .reduce(|a, b| better(a, b, common))?;
        all.extend(w);
    }
    (!all.is_empty()).then_some(all)
}

fn check_needles(c: &Check) -> Option<Vec<(String, Anchor)>> {
    match c {
        Check::Pat { pat, .. } => pat.needle().map(|n| vec![(lower(n), pat.anchor())]),
        Check::AnyContains { needles, .. } => (!needles.iter().any(String::is_empty))
            .then(|| needles.iter().map(|n| (lower(n), Anchor::Any)).collect()),
        _ => None,
    }
}

fn item_need(it: &Item) -> Option<Witness> {
    let Test::Values {
        checks,
        all,
        neq: false,
    } = &it.test
    else {
        return None;
    };
    if checks.is_empty() {
        return None;
    }
    let lists: Vec<Option<Vec<(String, Anchor)>>> = checks.iter().map(check_needles).collect();
    let needles: Vec<(String, Anchor)> = if *all {
        lists
            .into_iter()
            .flatten()
            .max_by_key(|l| l.iter().map(|(n, _)| n.len()).min().unwrap_or(0))?
    } else {
        let mut v = Vec::new();
        for l in lists {
            v.extend(l?);
        }
        v
    };
    Some(needles.into_iter().map(|(n, a)| (it.src, n, a)).collect())
}

/// The whole values (lowercase) one of which `slot` must hold for the rule to match, when
/// the rule requires that (a `type: EXECVE` selection every condition path goes through).
pub(crate) fn gate(c: &Compiled, slot: Src) -> Option<Vec<String>> {
    prog_gate(&c.prog, c, slot)
}

fn prog_gate(p: &Prog, c: &Compiled, slot: Src) -> Option<Vec<String>> {
    match p {
        Prog::Sel(i) => {
            let mut all = Vec::new();
            for alt in &c.sels[*i].alts {
                all.extend(
                    alt.iter()
                        .filter_map(|it| item_gate(it, slot))
                        .min_by_key(Vec::len)?,
                );
            }
            (!all.is_empty()).then_some(all)
        }
        Prog::Not(_) => None,
        Prog::And(v) => v
            .iter()
            .filter_map(|x| prog_gate(x, c, slot))
            .min_by_key(Vec::len),
        Prog::Or(v) => {
            let mut all = Vec::new();
            for x in v {
                all.extend(prog_gate(x, c, slot)?);
            }
            (!all.is_empty()).then_some(all)
        }
    }
}

fn item_gate(it: &Item, slot: Src) -> Option<Vec<String>> {
    let Test::Values {
        checks,
        all,
        neq: false,
    } = &it.test
    else {
        return None;
    };
    if it.src != slot || checks.is_empty() {
        return None;
    }
    let exact = |c: &Check| match c {
        Check::Pat { pat, .. } => pat.exact().map(lower),
        _ => None,
    };
    if *all {
        // Every value must equal its check: any one of them is necessary.
        checks.iter().find_map(exact).map(|v| vec![v])
    } else {
        checks.iter().map(exact).collect()
    }
}
