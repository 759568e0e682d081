//! The candidate index: per field slot, the needles whose presence (at their anchor) makes a
//! rule worth evaluating. Whole-value needles are one hash lookup per value, prefix and
//! suffix needles one anchored trie walk from either end (which stops at the first byte no
//! needle continues with), and only unanchored needles go through an Aho-Corasick scan.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, packed};

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

/// A cheap necessary test for an Aho-Corasick scan: whether a value may hold one of the
/// needles (`false`: it holds none, and the scan is skipped).
///
/// A gram set ([`Grams`]) is probed at a stride its shortest needle allows: one 4-byte
/// needle forces a probe at every byte, and a 3-byte one (`if=`) rules the grams out. For
/// whole raw lines (keyword rules: hundreds of bytes per audit record) the short needles,
/// when few, go to a SIMD packed searcher (Teddy) instead, and the grams of the others are
/// probed every fourth byte.
#[derive(Debug)]
pub(crate) enum Prescreen {
    /// One gram set over all the needles.
    Grams(Grams),
    /// The packed searcher's needles, and a gram set of the others (`None`: there are none).
    Split {
        grams: Option<Grams>,
        short: packed::Searcher,
    },
}

/// Needles shorter than this go to the packed searcher, when it takes them (so do longer
/// ones all of whose stretches hold a [`TYPICAL`] gram, while there is room).
const LONG: usize = GRAM + 3;

/// At most this many needles go to the packed searcher. Teddy takes up to 64 (more fall back
/// to Rabin-Karp); half that keeps few needles in each of its 8 or 16 buckets (a margin, not
/// a measured optimum).
const MAX_SHORT: usize = 32;

impl Prescreen {
    /// `None` when no prescreen can be built (a needle shorter than a gram, and the short
    /// needles not split off). `split`: values are long (raw lines), where the packed
    /// searcher's setup pays.
    fn build(needles: &[&str], split: bool) -> Option<Prescreen> {
        let typical = split.then(|| &*TYPICAL_GRAMS);
        if let Some(typical) = typical {
            // Short needles first, then those whose every stretch holds a typical gram.
            let clean = |n: &str| {
                n.as_bytes()
                    .windows(LONG)
                    .any(|w| w.windows(GRAM).all(|g| !typical.contains(&gram(g))))
            };
            let (long, short): (Vec<&str>, Vec<&str>) =
                needles.iter().partition(|n| n.len() >= LONG);
            let (clean, common): (Vec<&str>, Vec<&str>) = long.into_iter().partition(|n| clean(n));
            let mut packed = short;
            let mut grams = clean;
            for n in common {
                if packed.len() < MAX_SHORT {
                    packed.push(n);
                } else {
                    grams.push(n);
                }
            }
            if !packed.is_empty()
                && packed.len() <= MAX_SHORT
                && packed.iter().all(|n| !n.is_empty())
                && let Some(searcher) = packed::Config::new()
                    .match_kind(packed::MatchKind::LeftmostFirst)
                    .builder()
                    .extend(&packed)
                    .build()
            {
                return Some(Prescreen::Split {
                    grams: Grams::build(&grams, Some(typical)),
                    short: searcher,
                });
            }
        }
        Grams::build(needles, typical).map(Prescreen::Grams)
    }

    /// Whether the value may hold a needle (`false`: it holds none).
    #[inline]
    pub(crate) fn may_match(&self, h: &[u8]) -> bool {
        match self {
            Prescreen::Grams(g) => g.may_match(h),
            Prescreen::Split { grams, short } => {
                grams.as_ref().is_some_and(|g| g.may_match(h)) || finds(short, h)
            }
        }
    }
}

/// Out of line: the gram probes, hot for every field value, stay inlined in the scan.
#[inline(never)]
fn finds(s: &packed::Searcher, h: &[u8]) -> bool {
    s.find(h).is_some()
}

/// A bit set of hashed 4-byte grams taken from the needles, probed at every `stride`-th
/// position of a value. Each needle registers the `stride` consecutive grams of its rarest
/// stretch, so wherever a needle occurs, one of them starts at a probed position: a value
/// whose probes all miss holds none of the needles and skips the Aho-Corasick scan (most
/// values; a probe is a few instructions per `stride` bytes, the automaton several per byte).
///
/// Past stride 1 a gram sets two bits and a probe tests both (a two-hash Bloom filter): one
/// registered gram sharing its bit with a gram every audit line holds (`ch="` of `arch="`)
/// would otherwise let every line through. (At stride 1 the second test costs more than the
/// few scans it spares.)
#[derive(Debug)]
pub(crate) struct Grams {
    stride: usize,
    /// Right shift of a multiplied gram giving a bit index (`32 - log2(bits)`).
    shift: u32,
    bits: Box<[u64]>,
}

/// Lowercased text of the kind the values are (audit records, syslog lines, paths), whose
/// grams a needle registers only when it has no window without them: a gram found in every
/// audit line (`" exe"`, `"bin/"`) would let every line through. A heuristic: only which
/// grams are registered depends on it, never a result.
const TYPICAL: &str = concat!(
    "type=syscall msg=audit(1700000000.123:4567): arch=c000003e syscall=59 success=yes ",
    "exit=0 a0=55d0c0a1b2c0 a1=55d0c0a1b3f0 a2=55d0c0a1b460 a3=8 items=2 ppid=1234 pid=5678 ",
    "auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=3 ",
    "comm=\"bash\" exe=\"/usr/bin/bash\" subj=unconfined key=\"exec\"\u{1d}arch=x86_64 ",
    "syscall=execve auid=user uid=root gid=root euid=root suid=root fsuid=root egid=root\n",
    "type=execve msg=audit(1700000000.123:4567): argc=3 a0=\"ls\" a1=\"-la\" a2=\"/home\"\n",
    "type=path msg=audit(1700000000.123:4567): item=0 name=\"/usr/sbin/sshd\" inode=1234 ",
    "dev=08:01 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=normal cap_fp=0 cap_fe=0\n",
    "type=cwd msg=audit(1700000000.123:4567): cwd=\"/var/lib/docker\"\n",
    "type=service_start msg=audit(1700000000.123:4567): pid=1 uid=0 auid=4294967295 ",
    "ses=4294967295 msg='unit=cron comm=\"systemd\" exe=\"/usr/lib/systemd/systemd\" ",
    "hostname=? addr=? terminal=? res=success'\n",
    "nov 27 10:00:00 host sshd[123]: accepted publickey for user from 10.0.0.1 port 22 ssh2\n",
    "/usr/local/bin/python3 /etc/passwd /var/log/syslog /proc/self/status /dev/null\n",
    "/usr/bin/containerd-shim-runc-v2 /usr/bin/runc /usr/bin/dockerd /usr/bin/containerd\n",
);

/// The grams of [`TYPICAL`], built once.
static TYPICAL_GRAMS: LazyLock<HashSet<u32, FastHash>> =
    LazyLock::new(|| TYPICAL.as_bytes().windows(GRAM).map(gram).collect());

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

impl Grams {
    /// `None` when there is no needle or one is shorter than a gram. With `avoid`, a needle's
    /// grams are taken from a stretch holding the fewest of these grams (raw lines).
    fn build(needles: &[&str], avoid: Option<&HashSet<u32, FastHash>>) -> Option<Grams> {
        let min = needles.iter().map(|n| n.len()).min()?;
        if min < GRAM {
            return None;
        }
        let stride = (min - GRAM + 1).min(4);
        let log = (needles.len() * stride * 1024)
            .next_power_of_two()
            .trailing_zeros()
            .clamp(12, 18);
        let mut p = Grams {
            stride,
            shift: 32 - log,
            bits: vec![0u64; 1 << (log - 6)].into_boxed_slice(),
        };
        let span = GRAM + stride - 1;
        for needle in needles {
            let b = needle.as_bytes();
            let (at, _) = b.windows(span).enumerate().max_by_key(|(i, w)| {
                let common = avoid.map_or(0, |t| {
                    (0..stride).filter(|&k| t.contains(&gram(&w[k..]))).count()
                });
                let rare = w.iter().map(|&x| rarity(x)).sum::<u32>();
                (usize::MAX - common, rare, usize::MAX - i)
            })?;
            for j in at..at + stride {
                let g = gram(&b[j..]);
                p.set(p.first(g));
                if stride > 1 {
                    p.set(p.second(g));
                }
            }
        }
        Some(p)
    }

    #[inline]
    /// The gram's first bit index.
    fn first(&self, gram: u32) -> usize {
        (gram.wrapping_mul(0x9E37_79B1) >> self.shift) as usize
    }

    /// Its second, by another odd multiplier.
    fn second(&self, gram: u32) -> usize {
        (gram.wrapping_mul(0x85EB_CA6B) >> self.shift) as usize
    }

    fn set(&mut self, i: usize) {
        self.bits[i >> 6] |= 1 << (i & 63);
    }

    fn bit(&self, i: usize) -> bool {
        self.bits[i >> 6] >> (i & 63) & 1 != 0
    }

    /// Whether the value may hold a needle (`false`: it holds none).
    #[inline(always)]
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
        self.bit(self.first(gram)) && (self.stride == 1 || self.bit(self.second(gram)))
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
    let prescreen = Prescreen::build(&pats, matches!(src, Src::Raw));
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
    fn grams_need_grams() {
        assert!(Grams::build(&["abc", "defgh"], None).is_none());
        assert!(Grams::build(&[], None).is_none());
        let p = Grams::build(&["wget ", "/dev/tcp/"], None).unwrap_or_else(|| unreachable!());
        assert_eq!(p.stride, 2);
        assert!(p.may_match(b"bash -c wget http://x"));
        assert!(p.may_match(b"exec 3<>/dev/tcp/10.0.0.1/80"));
        assert!(!p.may_match(b"wge"));
    }

    #[test]
    fn grams_avoid_the_grams_of_every_audit_line() {
        // "/bin/sh | nc" has windows free of typical grams ("sh | nc"); a typical line
        // holding "/bin/" and " exe" passes no probe.
        let p = Grams::build(&["/bin/sh | nc", "socat exec:"], Some(&TYPICAL_GRAMS))
            .unwrap_or_else(|| unreachable!());
        assert_eq!(p.stride, 4);
        let line = b"type=syscall msg=audit(1.2:3): comm=\"ls\" exe=\"/usr/bin/ls\" key=\"exec\"";
        assert!(!p.may_match(line));
        assert!(p.may_match(b"x=/bin/sh | nc 10.0.0.1"));
    }

    #[test]
    fn short_needles_of_raw_lines_leave_the_grams_at_stride_four() {
        let needles = ["if=", "scp ", "/etc/ld.so.preload", "history -c"];
        let p = Prescreen::build(&needles, true).unwrap_or_else(|| unreachable!());
        assert!(matches!(&p, Prescreen::Split { grams: Some(g), .. } if g.stride == 4));
        assert!(p.may_match(b"dd if=/dev/zero"));
        assert!(p.may_match(b"a0=\"scp \" a1=x"));
        assert!(p.may_match(b"echo x > /etc/ld.so.preload"));
        assert!(!p.may_match(b"type=syscall msg=audit(1.2:3): arch=c000003e exe=\"/usr/bin/ls\""));
        // Field values (short) keep one gram set, here none: a needle is below a gram.
        assert!(Prescreen::build(&needles, false).is_none());
        // Only short needles: no grams, the searcher alone.
        let p = Prescreen::build(&["if="], true).unwrap_or_else(|| unreachable!());
        assert!(matches!(p, Prescreen::Split { grams: None, .. }));
        assert!(p.may_match(b"if="));
        assert!(!p.may_match(b"of=x"));
    }

    #[test]
    fn too_many_short_needles_fall_back_to_the_grams() {
        let many: Vec<String> = (0..MAX_SHORT + 1).map(|i| format!("n{i:04}")).collect();
        let refs: Vec<&str> = many.iter().map(String::as_str).collect();
        let p = Prescreen::build(&refs, true).unwrap_or_else(|| unreachable!());
        assert!(matches!(&p, Prescreen::Grams(g) if g.stride == 2));
        assert!(p.may_match(b"x n0032 y"));
        // Too many short needles, one shorter than a gram: no prescreen.
        let mut refs = refs;
        refs.push("ab");
        assert!(Prescreen::build(&refs, true).is_none());
    }

    /// The gram set probing every position one gram at a time.
    fn may_match_by_position(p: &Grams, h: &[u8]) -> bool {
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
            let p = Grams::build(&refs, None).unwrap_or_else(|| unreachable!());
            prop_assert_eq!(p.may_match(hay.as_bytes()), may_match_by_position(&p, hay.as_bytes()));
        }

        /// A value holding a needle anywhere always passes the prescreen, split or not.
        #[test]
        fn prescreen_never_misses_a_needle(
            needles in proptest::collection::vec("[a-z /.=\"-]{1,12}", 1..60),
            pick in any::<prop::sample::Index>(),
            before in "[a-z /.=\"-]{0,80}",
            after in "[a-z /.=\"-]{0,80}",
            split in any::<bool>(),
        ) {
            let refs: Vec<&str> = needles.iter().map(String::as_str).collect();
            if let Some(p) = Prescreen::build(&refs, split) {
                let n = pick.get(&needles);
                let hay = format!("{before}{n}{after}");
                prop_assert!(p.may_match(hay.as_bytes()));
            }
        }
    }
}
