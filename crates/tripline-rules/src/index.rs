//! The candidate index: per field slot, the needles whose presence (at their anchor) makes a
//! rule worth evaluating. Whole-value needles are one hash lookup per value, prefix and
//! suffix needles one anchored trie walk from either end (which stops at the first byte no
//! needle continues with), and only unanchored needles go through an Aho-Corasick scan.

use std::collections::{BTreeMap, HashMap};

use aho_corasick::{AhoCorasick, AhoCorasickKind};

use crate::compile::{Anchor, Src};

/// The hasher of the whole-value index and the route cache (rustc-hash's Fx): its keys are
/// rule literals fixed at compile time (or logsource names), so a flooding event cannot grow
/// a probe chain, and SipHash's per-lookup cost (once per field value per event) buys nothing
/// here.
pub(crate) type FastHash = rustc_hash::FxBuildHasher;

/// A byte trie of needles anchored at one end of a value, flattened for walking.
#[derive(Debug, Default)]
pub(crate) struct Trie {
    /// Per node: its edges (`edges[from..to]`, sorted by byte) and its rules
    /// (`rules[from..to]`, the rules of the needle ending here).
    nodes: Vec<([u32; 2], [u32; 2])>,
    edges: Vec<(u8, u32)>,
    rules: Vec<u32>,
}

impl Trie {
    /// Builds the trie of `needles` (byte strings, in walking order) → rules.
    fn build(needles: &BTreeMap<Vec<u8>, Vec<u32>>) -> Trie {
        // Build with maps, then flatten breadth-first.
        let mut kids: Vec<BTreeMap<u8, usize>> = vec![BTreeMap::new()];
        let mut outs: Vec<Vec<u32>> = vec![Vec::new()];
        for (n, rules) in needles {
            let mut at = 0;
            for &b in n {
                at = match kids[at].get(&b) {
                    Some(&c) => c,
                    None => {
                        kids.push(BTreeMap::new());
                        outs.push(Vec::new());
                        let c = kids.len() - 1;
                        kids[at].insert(b, c);
                        c
                    }
                };
            }
            outs[at].extend(rules);
        }
        let mut t = Trie::default();
        for (k, o) in kids.iter().zip(&outs) {
            let e0 = t.edges.len() as u32;
            t.edges.extend(k.iter().map(|(&b, &c)| (b, c as u32)));
            let r0 = t.rules.len() as u32;
            let mut o = o.clone();
            o.sort_unstable();
            o.dedup();
            t.rules.extend(o);
            t.nodes
                .push(([e0, t.edges.len() as u32], [r0, t.rules.len() as u32]));
        }
        t
    }

    fn is_empty(&self) -> bool {
        self.nodes.len() <= 1
    }

    /// Walks `bytes` from the root, calling `hit` with the rules of every needle that is a
    /// prefix of the walk.
    #[inline]
    pub(crate) fn walk(&self, bytes: impl Iterator<Item = u8>, mut hit: impl FnMut(&[u32])) {
        if self.is_empty() {
            return;
        }
        let mut node = 0usize;
        for b in bytes {
            let ([e0, e1], _) = self.nodes[node];
            let edges = &self.edges[e0 as usize..e1 as usize];
            let next = if edges.len() <= 8 {
                edges.iter().find(|(x, _)| *x == b).map(|(_, c)| *c)
            } else {
                edges
                    .binary_search_by_key(&b, |(x, _)| *x)
                    .ok()
                    .map(|i| edges[i].1)
            };
            let Some(c) = next else {
                return;
            };
            node = c as usize;
            let (_, [r0, r1]) = self.nodes[node];
            if r1 > r0 {
                hit(&self.rules[r0 as usize..r1 as usize]);
            }
        }
    }
}

/// The candidate index of one field slot in one plan.
#[derive(Debug)]
pub(crate) struct Automaton {
    pub(crate) src: Src,
    /// Whole-value needles (lowercase) → rules they witness.
    pub(crate) exact: HashMap<Box<str>, Vec<u32>, FastHash>,
    /// Needles that must start the value.
    pub(crate) prefix: Trie,
    /// Needles that must end the value, reversed.
    pub(crate) suffix: Trie,
    /// Needles found anywhere, and per pattern the rules they witness.
    pub(crate) ac: Option<AhoCorasick>,
    /// A cheap necessary test for `ac`: a value none of whose n-grams is in it holds no
    /// needle, and skips the automaton scan.
    pub(crate) pre: Option<Prescreen>,
    pub(crate) any: Vec<Vec<u32>>,
}

/// A bit set of hashed 4-byte grams taken from the needles, probed at every `stride`-th
/// position of a value. Each needle registers the `stride` consecutive grams of its rarest
/// stretch, so wherever a needle occurs, one of them starts at a probed position: a value
/// whose probes all miss holds none of the needles and skips the Aho-Corasick scan (most
/// values; a probe is a few instructions per `stride` bytes, the automaton several per byte).
#[derive(Debug)]
pub(crate) struct Prescreen {
    stride: usize,
    /// Right shift of the multiplied gram giving the bit index (`32 - log2(bits)`).
    shift: u32,
    bits: Box<[u64]>,
}

/// Gram length.
const GRAM: usize = 4;

/// How unusual a byte is in command lines, paths and log lines (a heuristic: only the
/// choice of grams depends on it, never the result).
fn rarity(b: u8) -> u32 {
    match b {
        b'e' | b't' | b'a' | b'o' | b'i' | b'n' | b's' | b'h' | b'r' | b'd' | b'l' | b'u'
        | b'c' | b'm' | b'p' => 0,
        b'a'..=b'z' | b'0'..=b'9' | b' ' | b'/' | b'.' | b'-' | b'_' | b'=' => 1,
        _ => 3,
    }
}

fn gram(w: &[u8]) -> u32 {
    let mut k = [0u8; GRAM];
    k.copy_from_slice(&w[..GRAM]);
    u32::from_le_bytes(k)
}

impl Prescreen {
    /// `None` when a needle is shorter than a gram.
    fn build(needles: &[&str]) -> Option<Prescreen> {
        let min = needles.iter().map(|n| n.len()).min()?;
        if min < GRAM {
            return None;
        }
        let stride = (min - GRAM + 1).min(4);
        let log = (needles.len() * stride * 1024)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(12, 18);
        let mut p = Prescreen {
            stride,
            shift: 32 - log,
            bits: vec![0u64; 1 << (log - 6)].into_boxed_slice(),
        };
        let span = GRAM + stride - 1;
        for needle in needles {
            let b = needle.as_bytes();
            let (at, _) = b
                .windows(span)
                .enumerate()
                .max_by_key(|(i, w)| (w.iter().map(|&x| rarity(x)).sum::<u32>(), usize::MAX - i))?;
            for j in at..at + stride {
                let i = p.index(gram(&b[j..]));
                p.bits[i >> 6] |= 1 << (i & 63);
            }
        }
        Some(p)
    }

    #[inline]
    fn index(&self, gram: u32) -> usize {
        (gram.wrapping_mul(0x9E37_79B1) >> self.shift) as usize
    }

    /// Whether the value may hold a needle (`false`: it holds none).
    #[inline]
    pub(crate) fn may_match(&self, h: &[u8]) -> bool {
        if h.len() < GRAM {
            return false;
        }
        let mut q = 0;
        // At stride 1 (which a needle of 4 bytes imposes on all the others: raw audit lines,
        // command lines), one 8-byte load gives the grams of five positions. (At wider
        // strides the load does not pay: measured.)
        if self.stride == 1 {
            while let Some(w) = h.get(q..).and_then(|c| c.first_chunk::<8>()) {
                let w = u64::from_le_bytes(*w);
                for k in 0..=8 - GRAM {
                    if self.has((w >> (8 * k)) as u32) {
                        return true;
                    }
                }
                q += 8 - GRAM + 1;
            }
        }
        let last = h.len() - GRAM;
        while q <= last {
            if self.has(gram(&h[q..])) {
                return true;
            }
            q += self.stride;
        }
        false
    }

    /// Whether the gram's bit is set.
    #[inline]
    fn has(&self, gram: u32) -> bool {
        let i = self.index(gram);
        self.bits[i >> 6] >> (i & 63) & 1 != 0
    }
}

/// Builds the index of one slot from its `(needle, anchor, rule)` triples.
pub(crate) fn automaton(src: Src, needles: &[(String, Anchor, u32)]) -> Automaton {
    let mut exact: HashMap<Box<str>, Vec<u32>, FastHash> = HashMap::default();
    let mut pre: BTreeMap<Vec<u8>, Vec<u32>> = BTreeMap::new();
    let mut suf: BTreeMap<Vec<u8>, Vec<u32>> = BTreeMap::new();
    let mut any: BTreeMap<&str, Vec<u32>> = BTreeMap::new();
    for (n, anchor, r) in needles {
        match anchor {
            Anchor::Whole => exact.entry(n.as_str().into()).or_default().push(*r),
            Anchor::Start => pre.entry(n.as_bytes().to_vec()).or_default().push(*r),
            Anchor::End => suf.entry(n.bytes().rev().collect()).or_default().push(*r),
            Anchor::Any => any.entry(n.as_str()).or_default().push(*r),
        }
    }
    for v in exact.values_mut() {
        v.sort_unstable();
        v.dedup();
    }
    let (pats, mut rules): (Vec<&str>, Vec<Vec<u32>>) = any.into_iter().unzip();
    for v in &mut rules {
        v.sort_unstable();
        v.dedup();
    }
    let prescreen = Prescreen::build(&pats);
    let ac = if pats.is_empty() {
        None
    } else {
        // A DFA scans each byte with one table lookup: worth its memory here, where every
        // value of the field goes through it.
        AhoCorasick::builder()
            .kind(Some(AhoCorasickKind::DFA))
            .build(&pats)
            .or_else(|_| AhoCorasick::new(&pats))
            .ok()
    };
    Automaton {
        src,
        exact,
        prefix: Trie::build(&pre),
        suffix: Trie::build(&suf),
        ac,
        pre: prescreen,
        any: rules,
    }
}

impl Automaton {
    /// Calls `hit` with the rules witnessed by one lowercased value.
    #[inline]
    pub(crate) fn scan(&self, low: &str, mut hit: impl FnMut(&[u32])) {
        if !self.exact.is_empty()
            && let Some(rules) = self.exact.get(low)
        {
            hit(rules);
        }
        self.prefix.walk(low.bytes(), &mut hit);
        self.suffix.walk(low.bytes().rev(), &mut hit);
        if let Some(ac) = &self.ac
            && self
                .pre
                .as_ref()
                .is_none_or(|p| p.may_match(low.as_bytes()))
        {
            for m in ac.find_overlapping_iter(low) {
                hit(&self.any[m.pattern().as_usize()]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn prescreen_needs_grams() {
        assert!(Prescreen::build(&["abc", "defgh"]).is_none());
        let p = Prescreen::build(&["wget ", "/dev/tcp/"]).unwrap_or_else(|| unreachable!());
        assert_eq!(p.stride, 2);
        assert!(p.may_match(b"bash -c wget http://x"));
        assert!(p.may_match(b"exec 3<>/dev/tcp/10.0.0.1/80"));
        assert!(!p.may_match(b"wge"));
    }

    /// The prescreen probing every position one gram at a time.
    fn may_match_by_position(p: &Prescreen, h: &[u8]) -> bool {
        h.len() >= GRAM
            && (0..=h.len() - GRAM)
                .step_by(p.stride)
                .any(|q| p.has(gram(&h[q..])))
    }

    proptest! {
        /// The word-at-a-time probes at stride 1 answer as probing each position does.
        #[test]
        fn word_probes_agree_with_position_probes(
            needles in proptest::collection::vec("[a-z /.-]{4,12}", 1..40),
            hay in "[a-z /.-]{0,120}",
        ) {
            let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
            let p = Prescreen::build(&refs).unwrap_or_else(|| unreachable!());
            prop_assert_eq!(p.may_match(hay.as_bytes()), may_match_by_position(&p, hay.as_bytes()));
        }

        /// A value holding a needle anywhere always passes the prescreen.
        #[test]
        fn prescreen_never_misses_a_needle(
            needles in proptest::collection::vec("[a-z /.-]{4,12}", 1..40),
            pick in any::<prop::sample::Index>(),
            before in "[a-z /.-]{0,60}",
            after in "[a-z /.-]{0,60}",
        ) {
            let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
            let p = Prescreen::build(&refs).unwrap_or_else(|| unreachable!());
            let n = pick.get(&needles);
            let hay = format!("{before}{n}{after}");
            prop_assert!(p.may_match(hay.as_bytes()));
        }
    }
}
