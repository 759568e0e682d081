//! Normalization of alerts into `tripline_schema::Event` findings.
//!
//! The context an alert carries lives in `output_fields` (never in `output`, whose style
//! changed across rule versions), so entities are built from Falco field names in one pass.
//! Text alerts have no `output_fields`: their recovered `k=v` pairs are translated to Falco
//! field names first (`command` → `proc.cmdline`) and go through the same builder.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, Utc};
use tripline_schema::{
    Attack, Container, Endpoint, Event, EventKind, Field, Fields as Vendor, File, Finding, Group,
    Host, Image, Orchestrator, Outcome, ParentProcess, Process, Product, Raw, Rule, Severity,
    SeverityLevel, Source, Text, User,
};

use crate::alert::{Alert, Flavor, Internal};
use crate::error::Location;
use crate::priority::Priority;
use crate::record::Record;
use crate::text::TextAlert;
use crate::time::TextTime;
use crate::value::{FieldValue, NA};

/// Options for normalization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct NormalizeOptions {
    /// The calendar date for text lines that carry only a local time of day. Default `None`:
    /// today's UTC date, and `unmapped.falco.time_of_day_only` is set.
    pub date: Option<NaiveDate>,
    /// The UTC offset (seconds east) of the host that wrote local times of day. Default 0.
    pub utc_offset_seconds: i32,
    /// The raw line to keep as `event.raw` (with its location), when the caller has it.
    pub raw: Option<(String, Location)>,
    /// The file the raw line came from.
    pub file: Option<String>,
}

impl NormalizeOptions {
    /// Sets the date local times of day are resolved against.
    pub fn date(mut self, date: NaiveDate) -> Self {
        self.date = Some(date);
        self
    }

    /// Sets the UTC offset of local times of day.
    pub fn utc_offset_seconds(mut self, secs: i32) -> Self {
        self.utc_offset_seconds = secs;
        self
    }

    /// Sets the raw line kept in the event.
    pub fn raw(mut self, text: impl Into<String>, at: Location) -> Self {
        self.raw = Some((text.into(), at));
        self
    }
}

/// Tag spellings of ATT&CK that the schema's Falco parser does not read, rewritten into the
/// ones it does: `T1562-impair-defenses` → `T1562`, `TA0005-defense-evasion` → `mitre_TA0005`.
fn attack_tag(tag: &str) -> Cow<'_, str> {
    let b = tag.as_bytes();
    let id_len = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    if b.len() > 7 && tag[..2].eq_ignore_ascii_case("TA") && id_len(2) == 4 && b[6] == b'-' {
        return Cow::Owned(format!("mitre_{}", &tag[..6]));
    }
    if b.len() > 5 && (b[0] == b'T' || b[0] == b't') && id_len(1) == 4 {
        let mut end = 5;
        if b.get(5) == Some(&b'.') && id_len(6) == 3 {
            end = 9;
        }
        if b.get(end) == Some(&b'-') {
            return Cow::Borrowed(&tag[..end]);
        }
    }
    Cow::Borrowed(tag)
}

/// Whether a tag can name an ATT&CK tactic or technique.
fn is_attack_tag(t: &str) -> bool {
    let b = t.as_bytes();
    t.starts_with("mitre_")
        || (b.len() >= 5 && matches!(b[0], b'T' | b't') && b[1].is_ascii_digit())
        || (b.len() >= 6 && b[..2].eq_ignore_ascii_case(b"TA") && b[2].is_ascii_digit())
}

/// Most recent tag sets and their references: a host fires the same few rules over and
/// over, and the schema's tag parser allocates for every tag.
const ATTACK_MEMO: usize = 64;

/// A remembered tag set: the hash of its ATT&CK tags (see [`tag_hash`]), the tags, and
/// their references.
type MemoEntry = (u64, Vec<String>, Vec<Attack>);

thread_local! {
    static MEMO: std::cell::RefCell<Vec<MemoEntry>> =
        const { std::cell::RefCell::new(Vec::new()) };
}

/// Mixes one tag into a hash of a tag sequence: its length and its first and last eight
/// bytes (the memo compares the tags themselves when hashes agree, so this only has to
/// tell different tag sets apart cheaply, without a loop over every byte).
#[inline(always)]
fn tag_hash(h: u64, t: &str) -> u64 {
    let b = t.as_bytes();
    let word = |w: &[u8]| w.iter().fold(0u64, |acc, &c| acc << 8 | u64::from(c));
    let (head, tail) = match (b.first_chunk::<8>(), b.last_chunk::<8>()) {
        (Some(h), Some(t)) => (u64::from_le_bytes(*h), u64::from_le_bytes(*t)),
        _ => (word(b), 0),
    };
    (h ^ head ^ tail.rotate_left(23) ^ (b.len() as u64) << 56)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .rotate_left(29)
}

/// ATT&CK references from Falco tags (schema parser, plus the `T1234-name` spellings of
/// plugin rules).
pub fn attacks_from_tags<S: AsRef<str>>(tags: &[S]) -> Vec<Attack> {
    let relevant = || tags.iter().map(AsRef::as_ref).filter(|t| is_attack_tag(t));
    // One pass: whether any tag is relevant, and the hash the memo is searched by.
    let mut any = false;
    let mut h = 0u64;
    for t in relevant() {
        any = true;
        h = tag_hash(h, t);
    }
    if !any {
        return Vec::new();
    }
    let hit = MEMO.with(|m| {
        m.borrow()
            .iter()
            .find(|(kh, k, _)| *kh == h && k.iter().map(String::as_str).eq(relevant()))
            .map(|(_, _, v)| v.clone())
    });
    if let Some(v) = hit {
        return v;
    }
    remember(h, relevant().collect())
}

/// Parses a tag set the memo does not hold yet, and remembers it.
#[cold]
#[inline(never)]
fn remember(h: u64, relevant: Vec<&str>) -> Vec<Attack> {
    let parsed: Vec<Cow<'_, str>> = relevant.iter().map(|t| attack_tag(t)).collect();
    let attacks = Attack::from_falco_tags(&parsed);
    MEMO.with(|m| {
        let mut m = m.borrow_mut();
        if m.len() >= ATTACK_MEMO {
            m.remove(0);
        }
        m.push((
            h,
            relevant.iter().map(|t| (*t).to_string()).collect(),
            attacks.clone(),
        ));
    });
    attacks
}

fn field_of(v: &FieldValue<'_>) -> Field {
    match v {
        FieldValue::Null => Field::Null,
        FieldValue::Str(_) if v.is_missing() => Field::Null,
        FieldValue::Bool(b) => Field::Bool(*b),
        FieldValue::Int(i) => Field::from(*i),
        FieldValue::UInt(u) => Field::from(*u),
        FieldValue::Float(f) => Field::from(*f),
        FieldValue::Str(s) => Field::Str(Text::from(s.as_ref())),
        FieldValue::List(l) => Field::List(l.iter().map(field_of).collect()),
        FieldValue::Object(o) => {
            Field::Map(o.iter().map(|(k, v)| (k.as_ref(), field_of(v))).collect())
        }
    }
}

/// The non-missing text of a value (see [`FieldValue::to_text`]) as a compact string;
/// numbers are formatted straight into it.
fn text_of(v: &FieldValue<'_>) -> Option<Text> {
    let mut out = Text::default();
    match v {
        FieldValue::Str(s) if s != NA => return Some(Text::from(s.as_ref())),
        FieldValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        FieldValue::Int(i) => return Some(decimal(i.unsigned_abs(), *i < 0)),
        FieldValue::UInt(u) => return Some(decimal(*u, false)),
        FieldValue::Float(f) => write!(out, "{f}").ok()?,
        _ => return None,
    }
    Some(out)
}

/// An integer in decimal, without going through `fmt` (pids, ttys and ports are formatted
/// for every alert).
fn decimal(mut n: u64, negative: bool) -> Text {
    let mut buf = [0u8; 21];
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if negative {
        at -= 1;
        buf[at] = b'-';
    }
    // Only ASCII digits and `-` were written.
    Text::from(std::str::from_utf8(&buf[at..]).unwrap_or_default())
}

fn text(v: Option<&FieldValue<'_>>) -> Option<Text> {
    v.and_then(text_of)
}

/// The string of a non-missing string value, borrowed.
fn str_of<'v>(v: Option<&'v FieldValue<'_>>) -> Option<&'v str> {
    match v {
        Some(FieldValue::Str(s)) if s != NA => Some(s),
        _ => None,
    }
}

fn int<T: TryFrom<i64>>(v: Option<&FieldValue<'_>>) -> Option<T> {
    v.and_then(FieldValue::to_i64)
        .and_then(|i| T::try_from(i).ok())
}

fn ip(v: Option<&FieldValue<'_>>) -> Option<IpAddr> {
    v.and_then(FieldValue::as_str)
        .and_then(|s| s.trim().parse().ok())
}

/// A fixed string as a [`Text`]: short ones inline, longer ones by reference, never copied
/// to the heap. (`Text::const_new` copies byte by byte at run time, so the hot fixed strings
/// are `const` items instead.)
fn fixed(s: &'static str) -> Text {
    Text::const_new(s)
}

const FALCO_RULES: Text = Text::const_new("falco_rules");
const FALCO_INTERNAL: Text = Text::const_new("falco_internal");
const SYSCALL: Text = Text::const_new("syscall");
const K8S_AUDIT: Text = Text::const_new("k8s_audit");
const INTERNAL: Text = Text::const_new("internal");
const FORMAT_JSON: Text = Text::const_new("falco-json");
const FORMAT_SIDEKICK: Text = Text::const_new("falcosidekick-json");
const FORMAT_GRPC: Text = Text::const_new("falco-grpc-json");
const FORMAT_TEXT: Text = Text::const_new("falco-text");
const FALCO: Text = Text::const_new("falco");
const OUTPUT_FIELDS: Text = Text::const_new("output_fields");

/// Falco's priority words, indexed by the priority's number.
const PRIORITY_WORDS: [Text; 8] = [
    Text::const_new("Emergency"),
    Text::const_new("Alert"),
    Text::const_new("Critical"),
    Text::const_new("Error"),
    Text::const_new("Warning"),
    Text::const_new("Notice"),
    Text::const_new("Informational"),
    Text::const_new("Debug"),
];

/// The normalized severity of a priority, keeping Falco's word: what
/// `Severity::from_falco_priority` gives for the priority's name, without the name lookup.
fn severity(p: Priority) -> Severity {
    let level = match p {
        Priority::Emergency | Priority::Alert => SeverityLevel::Fatal,
        Priority::Critical => SeverityLevel::Critical,
        Priority::Error => SeverityLevel::High,
        Priority::Warning => SeverityLevel::Medium,
        Priority::Notice => SeverityLevel::Low,
        _ => SeverityLevel::Informational,
    };
    Severity {
        level,
        original: Some(
            PRIORITY_WORDS
                .get(p as usize)
                .cloned()
                .unwrap_or_else(|| fixed(p.as_str())),
        ),
    }
}

/// The raw line of the options, borrowed.
fn raw_of(opts: &NormalizeOptions) -> Option<(&str, Location)> {
    opts.raw.as_ref().map(|(text, at)| (text.as_str(), *at))
}

/// A value the builder maps.
type Slot<'f, 'a> = Option<&'f FieldValue<'a>>;

/// Declares the slot indices (one per mapped value) and their count.
macro_rules! slots {
    ($($name:ident),* $(,)?) => {
        slots!(@ 0usize; $($name),*);
        /// The number of slots.
        const SLOTS: usize = [$(stringify!($name)),*].len();
    };
    (@ $at:expr; $name:ident $(, $rest:ident)*) => {
        const $name: usize = $at;
        slots!(@ $at + 1; $($rest),*);
    };
    (@ $at:expr;) => {};
}

// The process slots come first and in one run (`PID..=GROUP_NAME`): whether any of them
// was printed decides whether the finding has a process.
slots!(
    PID,
    PPID,
    VPID,
    TID,
    EXEPATH,
    EXE,
    NAME,
    CMDLINE,
    CWD,
    TTY,
    PNAME,
    PEXEPATH,
    PCMDLINE,
    USER_NAME,
    UID,
    LOGINUID,
    LOGINNAME,
    GID,
    GROUP_NAME,
    FD_NAME,
    FD_TYPE,
    PATH,
    TARGET,
    SIP,
    SPORT,
    CIP,
    CPORT,
    RIP,
    RPORT,
    LIP,
    LPORT,
    CONTAINER_ID,
    CONTAINER_FULL_ID,
    CONTAINER_NAME,
    IMAGE,
    IMAGE_REPO,
    IMAGE_TAG,
    IMAGE_DIGEST,
    IMAGE_ID,
    CONTAINER_TYPE,
    PRIVILEGED,
    K8S_NS,
    K8S_POD,
    K8S_POD_UID,
    K8S_CLUSTER,
    EVT_TYPE,
    EVT_RES,
    EVT_FAILED,
    EVT_NUM,
    HOSTNAME,
);

/// The target of a field the builder does not keep: the event time fields, which `time`
/// already carries.
const DROP: usize = SLOTS;

/// The target of a field no slot takes: it goes to `unmapped.falco.output_fields`.
const KEEP: usize = SLOTS + 1;

/// Every Falco field name the builder reads, and where it goes (several names can share a
/// slot).
const NAMES: [(&str, usize); 57] = [
    ("proc.pid", PID),
    ("proc.ppid", PPID),
    ("proc.vpid", VPID),
    ("proc.exepath", EXEPATH),
    ("proc.exe", EXE),
    ("proc.name", NAME),
    ("proc.cmdline", CMDLINE),
    ("proc.cwd", CWD),
    ("proc.tty", TTY),
    ("proc.pname", PNAME),
    ("proc.pexepath", PEXEPATH),
    ("proc.pcmdline", PCMDLINE),
    ("thread.tid", TID),
    ("user.name", USER_NAME),
    ("user.uid", UID),
    ("user.loginuid", LOGINUID),
    ("user.loginname", LOGINNAME),
    ("group.gid", GID),
    ("group.name", GROUP_NAME),
    ("fd.name", FD_NAME),
    ("fd.type", FD_TYPE),
    ("fd.sip", SIP),
    ("fd.sport", SPORT),
    ("fd.cip", CIP),
    ("fd.cport", CPORT),
    ("fd.rip", RIP),
    ("fd.rport", RPORT),
    ("fd.lip", LIP),
    ("fd.lport", LPORT),
    ("fs.path.name", PATH),
    ("fs.path.target", TARGET),
    ("evt.arg.pathname", PATH),
    ("evt.arg.path", PATH),
    ("evt.arg.target", TARGET),
    ("evt.type", EVT_TYPE),
    ("evt.res", EVT_RES),
    ("evt.failed", EVT_FAILED),
    ("evt.num", EVT_NUM),
    ("evt.hostname", HOSTNAME),
    ("evt.time", DROP),
    ("evt.time.iso8601", DROP),
    ("evt.datetime", DROP),
    ("evt.time.s", DROP),
    ("container.id", CONTAINER_ID),
    ("container.full_id", CONTAINER_FULL_ID),
    ("container.name", CONTAINER_NAME),
    ("container.image", IMAGE),
    ("container.image.repository", IMAGE_REPO),
    ("container.image.tag", IMAGE_TAG),
    ("container.image.digest", IMAGE_DIGEST),
    ("container.image.id", IMAGE_ID),
    ("container.type", CONTAINER_TYPE),
    ("container.privileged", PRIVILEGED),
    ("k8s.ns.name", K8S_NS),
    ("k8s.pod.name", K8S_POD),
    ("k8s.pod.uid", K8S_POD_UID),
    ("k8s.cluster.name", K8S_CLUSTER),
];

/// A name of [`NAMES`] as the words a key is compared by: its length and its bytes
/// `0..8`, `len-8..len`, `8..16` (when longer than 16) and `16..24` (when longer than 24),
/// which together cover every byte of a name of up to 32 bytes.
#[derive(Clone, Copy)]
struct Key {
    len: usize,
    words: [u64; 4],
    target: usize,
}

/// The longest name of [`NAMES`] a key can match (the words cover up to 32 bytes).
const KEY_MAX: usize = 32;

/// Little-endian bytes `at..at + n` of `b` (`n <= 8`), at compile time.
const fn const_word(b: &[u8], at: usize, n: usize) -> u64 {
    let mut w = 0u64;
    let mut i = 0;
    while i < n {
        w |= (b[at + i] as u64) << (8 * i);
        i += 1;
    }
    w
}

/// [`key_words`] at compile time.
const fn const_words(b: &[u8]) -> [u64; 4] {
    let n = b.len();
    let (first, last) = if n >= 8 {
        (const_word(b, 0, 8), const_word(b, n - 8, 8))
    } else {
        let w = const_word(b, 0, 4) | const_word(b, n - 4, 4) << 32;
        (w, w)
    };
    let mid = if n > 16 { const_word(b, 8, 8) } else { 0 };
    let high = if n > 24 { const_word(b, 16, 8) } else { 0 };
    [first, last, mid, high]
}

/// The table slot of a key's words: a multiplicative hash, checked free of collisions
/// over [`NAMES`] when [`TABLE`] is built.
const fn key_hash(words: &[u64; 4], len: usize) -> usize {
    const M: u64 = 0xc1e9_e3be_574a_c3fb;
    let x = words[0] ^ words[1].rotate_left(29) ^ (len as u64) << 57;
    (x.wrapping_mul(M) >> 56) as usize
}

/// [`NAMES`] as [`Key`]s, padded to 64 entries with keys no name matches (length 0).
const KEYS: [Key; 64] = {
    let mut out = [Key {
        len: 0,
        words: [0; 4],
        target: KEEP,
    }; 64];
    assert!(NAMES.len() < 64, "room for a padding key");
    let mut i = 0;
    while i < NAMES.len() {
        let b = NAMES[i].0.as_bytes();
        assert!(b.len() >= 4 && b.len() <= KEY_MAX);
        out[i] = Key {
            len: b.len(),
            words: const_words(b),
            target: NAMES[i].1,
        };
        i += 1;
    }
    out
};

/// The index in [`KEYS`] of a padding key: what an empty [`TABLE`] slot holds.
const NO_KEY: u8 = 63;

/// Hash → index into [`KEYS`] ([`NO_KEY`]: no name).
const TABLE: [u8; 256] = {
    let mut t = [NO_KEY; 256];
    let mut i = 0;
    while i < NAMES.len() {
        let h = key_hash(&KEYS[i].words, KEYS[i].len);
        assert!(
            t[h] == NO_KEY,
            "two names share a hash: pick another multiplier"
        );
        t[h] = i as u8;
        i += 1;
    }
    t
};

/// Little-endian bytes `at..at + 8` of `b`, 0 past its end.
#[inline(always)]
fn word(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 8)
        .and_then(|w| <[u8; 8]>::try_from(w).ok())
        .map_or(0, u64::from_le_bytes)
}

/// Little-endian bytes `at..at + 4` of `b`, 0 past its end.
#[inline(always)]
fn half_word(b: &[u8], at: usize) -> u64 {
    b.get(at..at + 4)
        .and_then(|w| <[u8; 4]>::try_from(w).ok())
        .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
}

/// The words of a key of 4 to [`KEY_MAX`] bytes, as [`const_words`] computes them for the
/// names. The middle words are loaded from in-range offsets and masked, rather than loaded
/// behind a branch on the length (key lengths vary from field to field, so such branches
/// are mispredicted).
#[inline(always)]
fn key_words(b: &[u8]) -> [u64; 4] {
    let n = b.len();
    if n < 8 {
        let w = half_word(b, 0) | half_word(b, n.wrapping_sub(4)) << 32;
        return [w, w, 0, 0];
    }
    let mask = |on: bool| 0u64.wrapping_sub(u64::from(on));
    let mid = word(b, 8.min(n - 8)) & mask(n > 16);
    let high = word(b, 16.min(n - 8)) & mask(n > 24);
    [word(b, 0), word(b, n - 8), mid, high]
}

/// Where an output field goes: a slot index, [`DROP`] or [`KEEP`]. One hash and one
/// comparison of four words, instead of comparing the key against names one by one; the
/// outcome is selected without a branch (whether a key is a mapped name changes from
/// field to field).
#[inline(always)]
fn target(k: &str) -> usize {
    let b = k.as_bytes();
    let n = b.len();
    if !(4..=KEY_MAX).contains(&n) {
        return KEEP;
    }
    let words = key_words(b);
    // `TABLE` holds indices below 64 and `KEYS` has 64 entries: no bounds check.
    let key = &KEYS[usize::from(TABLE[key_hash(&words, n)]) % KEYS.len()];
    // Word by word in registers: an array comparison reloads `words` from the stack in
    // 16-byte halves just after it was stored in 8-byte words, and that load waits for
    // the stores (a store-forwarding stall, the hottest spot of normalizing in a
    // `perf record` profile).
    let w = &key.words;
    let diff = (w[0] ^ words[0]) | (w[1] ^ words[1]) | (w[2] ^ words[2]) | (w[3] ^ words[3]);
    let hit = (key.len == n) & (diff == 0);
    if hit { key.target } else { KEEP }
}

/// The output fields the builder maps, collected in one pass, indexed by the slot
/// constants (and two more slots that [`DROP`] and [`KEEP`] write to and nothing reads).
struct Slots<'f, 'a> {
    s: [Slot<'f, 'a>; SLOTS + 2],
}

impl<'f, 'a> Slots<'f, 'a> {
    /// Sorts every field into its slot; the ones no slot takes are returned in input order
    /// (Falco writes the names sorted, so [`Vendor::from_sorted`] takes them as they are).
    ///
    /// The first 64 fields are sorted without a branch on where each goes (a mapped name
    /// and a kept one alternate unpredictably): kept ones are marked in a bit set and
    /// converted afterwards, into a vector of the exact size.
    #[inline(always)]
    fn collect<K: AsRef<str>>(entries: &'f [(K, FieldValue<'a>)]) -> (Self, Vec<(Text, Field)>) {
        let mut f = Slots {
            s: [None; SLOTS + 2],
        };
        let (head, tail) = entries.split_at(entries.len().min(64));
        let mut keep = 0u64;
        for (i, (k, v)) in head.iter().enumerate() {
            let t = target(k.as_ref());
            f.put(t, v);
            keep |= u64::from(t == KEEP) << i;
        }
        let mut leftover = Vec::with_capacity(keep.count_ones() as usize);
        while keep != 0 {
            let i = keep.trailing_zeros() as usize;
            keep &= keep - 1;
            if let Some((k, v)) = head.get(i) {
                leftover.push((Text::from(k.as_ref()), field_of(v)));
            }
        }
        for (k, v) in tail {
            let t = target(k.as_ref());
            f.put(t, v);
            if t == KEEP {
                leftover.push((Text::from(k.as_ref()), field_of(v)));
            }
        }
        (f, leftover)
    }

    /// Puts a value in slot `t`: a repeated name keeps its last value, unless that one is
    /// missing and an earlier one was not.
    #[inline(always)]
    fn put(&mut self, t: usize, v: &'f FieldValue<'a>) {
        if let Some(slot) = self.s.get_mut(t)
            && (slot.is_none() || !v.is_missing())
        {
            *slot = Some(v);
        }
    }

    fn user(&self) -> Option<User> {
        let u = User {
            id: int(self.s[UID]),
            name: text(self.s[USER_NAME]),
        };
        (!u.is_empty()).then_some(u)
    }

    fn login_user(&self) -> Option<User> {
        // loginuid -1 (4294967295) means "not set": no login user.
        let u = User {
            id: int::<i64>(self.s[LOGINUID])
                .filter(|&id| id >= 0 && id != i64::from(u32::MAX))
                .and_then(|id| u32::try_from(id).ok()),
            name: text(self.s[LOGINNAME]),
        };
        (!u.is_empty()).then_some(u)
    }

    /// The process; `None` when nothing is known.
    fn process(&self) -> Option<Process> {
        // No process field printed (k8s audit, plugin and internal alerts): `None` without
        // building and discarding a whole process.
        let printed = &self.s[PID..=GROUP_NAME];
        if printed.iter().all(Option::is_none) {
            return None;
        }
        let pid = int(self.s[PID]);
        let group = Group {
            id: int(self.s[GID]),
            name: text(self.s[GROUP_NAME]),
        };
        let parent = if self.s[PPID].is_some()
            || self.s[PEXEPATH].is_some()
            || self.s[PNAME].is_some()
            || self.s[PCMDLINE].is_some()
        {
            let parent = ParentProcess {
                pid: int(self.s[PPID]),
                executable: text(self.s[PEXEPATH]),
                name: text(self.s[PNAME]),
                command_line: text(self.s[PCMDLINE]),
                entity_id: None,
            };
            (parent != ParentProcess::default()).then(|| Box::new(parent))
        } else {
            None
        };
        let p = Process {
            pid,
            ppid: int(self.s[PPID]),
            tid: int(self.s[TID]).filter(|t| Some(*t) != pid),
            vpid: int(self.s[VPID]),
            entity_id: None,
            executable: text(self.s[EXEPATH]).or_else(|| {
                str_of(self.s[EXE])
                    .filter(|e| e.starts_with('/'))
                    .map(Text::from)
            }),
            name: text(self.s[NAME]),
            args: Vec::new(),
            command_line: text(self.s[CMDLINE]),
            cwd: text(self.s[CWD]),
            exit_code: None,
            user: self.user(),
            login_user: self.login_user(),
            group: (group != Group::default()).then_some(group),
            tty: match self.s[TTY].and_then(FieldValue::to_i64) {
                Some(0) => None,
                Some(t) => text_of(&FieldValue::Int(t)),
                None => text(self.s[TTY]).filter(|t| t != "0"),
            },
            parent,
            extra: None,
        };
        // Only the fields set above can be non-empty (cheaper than `Process::is_empty`, which
        // compares against a whole default process).
        let empty = p.pid.is_none()
            && p.ppid.is_none()
            && p.tid.is_none()
            && p.vpid.is_none()
            && p.executable.is_none()
            && p.name.is_none()
            && p.command_line.is_none()
            && p.cwd.is_none()
            && p.user.is_none()
            && p.login_user.is_none()
            && p.group.is_none()
            && p.tty.is_none()
            && p.parent.is_none();
        if empty {
            debug_assert!(p.is_empty());
            return None;
        }
        Some(p)
    }

    fn file(&self) -> Option<File> {
        let fd_is_file = matches!(
            self.s[FD_TYPE].and_then(FieldValue::as_str),
            Some("file" | "directory")
        );
        let path = text(self.s[FD_NAME])
            .filter(|p| fd_is_file || p.starts_with('/'))
            .or_else(|| text(self.s[PATH]))?;
        Some(File {
            target_path: text(self.s[TARGET]),
            ..File::from_path(path)
        })
    }

    /// (source, destination): client/local → server/remote; from `fd.name` tuples
    /// (`1.2.3.4:5->6.7.8.9:443`) when the address fields were not printed.
    fn endpoints(&self) -> (Option<Endpoint>, Option<Endpoint>) {
        let mk = |ip_v, port_v| {
            let e = Endpoint {
                ip: ip(ip_v),
                port: int(port_v),
                ..Endpoint::default()
            };
            (!e.is_empty()).then_some(e)
        };
        let src = mk(self.s[CIP], self.s[CPORT]).or_else(|| mk(self.s[LIP], self.s[LPORT]));
        let dst = mk(self.s[SIP], self.s[SPORT]).or_else(|| mk(self.s[RIP], self.s[RPORT]));
        if src.is_some() || dst.is_some() {
            return (src, dst);
        }
        match self.s[FD_NAME]
            .and_then(FieldValue::as_str)
            .and_then(|s| s.split_once("->"))
        {
            Some((a, b)) => (parse_addr(a), parse_addr(b)),
            None => (None, None),
        }
    }

    fn container(&self) -> Option<Container> {
        let id = self.s[CONTAINER_FULL_ID]
            .and_then(FieldValue::to_text)
            .or_else(|| self.s[CONTAINER_ID].and_then(FieldValue::to_text))?;
        if id == "host" || id.is_empty() {
            return None;
        }
        let mut image = match self.s[IMAGE].and_then(FieldValue::to_text) {
            Some(r) => Image::parse_reference(&r),
            None => Image::default(),
        };
        if let Some(r) = text(self.s[IMAGE_REPO]) {
            image.name = Some(r);
        }
        if let Some(t) = text(self.s[IMAGE_TAG]) {
            image.tag = Some(t);
        }
        // A hand-edited sample shows the digest as a list: take its first string.
        let digest = match self.s[IMAGE_DIGEST] {
            Some(FieldValue::List(l)) => l.iter().find_map(text_of),
            other => text(other),
        };
        if digest.is_some() {
            image.digest = digest;
        }
        image.id = text(self.s[IMAGE_ID]);
        Some(Container {
            id: Some(Text::from(id.as_ref())),
            name: text(self.s[CONTAINER_NAME]).filter(|n| n != "host"),
            image: (!image.is_empty()).then_some(image),
            runtime: text(self.s[CONTAINER_TYPE]).filter(|t| t != "host"),
            privileged: match self.s[PRIVILEGED] {
                Some(FieldValue::Bool(b)) => Some(*b),
                Some(FieldValue::Str(s)) => s.parse().ok(),
                _ => None,
            },
            ..Container::default()
        })
    }

    fn orchestrator(&self) -> Option<Orchestrator> {
        if self.s[K8S_NS].is_none()
            && self.s[K8S_POD].is_none()
            && self.s[K8S_POD_UID].is_none()
            && self.s[K8S_CLUSTER].is_none()
        {
            return None;
        }
        let o = Orchestrator {
            namespace: text(self.s[K8S_NS]),
            pod_name: text(self.s[K8S_POD]),
            pod_uid: text(self.s[K8S_POD_UID]),
            cluster: text(self.s[K8S_CLUSTER]),
        };
        (o != Orchestrator::default()).then_some(o)
    }

    fn outcome(&self) -> Outcome {
        match (
            self.s[EVT_FAILED],
            self.s[EVT_RES].and_then(FieldValue::to_text),
        ) {
            (Some(FieldValue::Bool(true)), _) => Outcome::Failure,
            (_, Some(r)) if r == "SUCCESS" => Outcome::Success,
            (_, Some(r)) if !r.is_empty() => Outcome::Failure,
            (Some(FieldValue::Bool(false)), _) => Outcome::Success,
            _ => Outcome::Unknown,
        }
    }
}

fn parse_addr(s: &str) -> Option<Endpoint> {
    let (host, port) = s.trim().rsplit_once(':')?;
    let host = host.trim_start_matches('[').trim_end_matches(']');
    let e = Endpoint {
        ip: host.parse().ok(),
        port: port.parse().ok(),
        ..Endpoint::default()
    };
    (!e.is_empty()).then_some(e)
}

/// What the envelope needs besides the output fields.
struct Envelope<'x> {
    time: DateTime<Utc>,
    format: Text,
    rule: &'x str,
    priority: Priority,
    source: Option<&'x str>,
    hostname: Option<&'x str>,
    message: Option<&'x str>,
    tags: &'x [Cow<'x, str>],
    internal: Option<Internal>,
}

/// A source name as a [`Text`]: the common ones are fixed strings.
fn source_name(s: &str) -> Text {
    match s {
        "syscall" => SYSCALL,
        "k8s_audit" => K8S_AUDIT,
        "internal" => INTERNAL,
        _ => Text::from(s),
    }
}

/// The `unmapped` map of a finding: `falco.internal` for internal events and
/// `falco.output_fields` for the output fields no entity takes. Built as sorted entries
/// (`internal` < `output_fields`) without a search per insert, and kept out of line: most
/// of it is the rare internal case.
#[inline(never)]
fn unmapped(internal: Option<Internal>, leftover: Vec<(Text, Field)>) -> Vendor {
    if internal.is_none() && leftover.is_empty() {
        return Vendor::new();
    }
    let mut vendor = Vec::with_capacity(usize::from(internal.is_some()) + 1);
    if let Some(i) = internal {
        let name = match i {
            Internal::SyscallDrop => "syscall_event_drop",
            Internal::MetricsSnapshot => "metrics_snapshot",
            _ => "other",
        };
        vendor.push((INTERNAL, Field::Str(fixed(name))));
    }
    if !leftover.is_empty() {
        // Sorted, a repeated name keeping its last value: what inserting one by one gave.
        vendor.push((OUTPUT_FIELDS, Field::Map(Vendor::from_sorted(leftover))));
    }
    Vendor::from_sorted(vec![(FALCO, Field::Map(Vendor::from_sorted(vendor)))])
}

/// `event.raw` from the line as read.
#[inline(never)]
fn raw_record(text: &str, at: Location, opts: &NormalizeOptions) -> Raw {
    Raw {
        text: Text::from(text),
        lossy: text.contains('\u{FFFD}'),
        location: Some(tripline_schema::Location {
            file: opts.file.as_deref().map(Text::from),
            line: Some(at.line),
            offset: Some(at.offset),
        }),
        lines: Vec::new(),
    }
}

/// Builds the finding as one struct expression in the caller's slot: filling a default
/// event field by field wrote every field twice and dropped each old (empty) value, and
/// the event is ~0.8 KB and its finding ~1 KB.
#[inline(always)]
fn build<K: AsRef<str>>(
    env: Envelope<'_>,
    fields: &[(K, FieldValue<'_>)],
    opts: &NormalizeOptions,
    raw: Option<(&str, Location)>,
) -> Event {
    let (f, leftover) = Slots::collect(fields);
    let event_type = text(f.s[EVT_TYPE]);
    let process = f.process();
    let user = process
        .as_ref()
        .and_then(|p| p.login_user.clone().or_else(|| p.user.clone()));
    let (source, destination) = f.endpoints();
    let action = match env.internal {
        Some(Internal::SyscallDrop) => Some(fixed("syscall_event_drop")),
        Some(Internal::MetricsSnapshot) => Some(fixed("metrics_snapshot")),
        _ => event_type.clone(),
    };
    let hostname = env.hostname.map(Text::from).or_else(|| text(f.s[HOSTNAME]));
    Event {
        id: None,
        time: env.time,
        observed: None,
        source: Source {
            product: Product::Falco,
            format: env.format,
            version: None,
            event_code: event_type.clone(),
            sequence: int(f.s[EVT_NUM]),
        },
        action,
        host: hostname.map(|name| Host {
            name: Some(name),
            ..Host::default()
        }),
        container: f.container(),
        orchestrator: f.orchestrator().map(Box::new),
        outcome: f.outcome(),
        severity: severity(env.priority),
        message: env.message.map(Text::from),
        tags: env.tags.iter().map(|t| Text::from(t.as_ref())).collect(),
        labels: BTreeMap::new(),
        kind: EventKind::Finding(Box::new(Finding {
            rule: Rule {
                name: (!env.rule.is_empty()).then(|| Text::from(env.rule)),
                ruleset: Some(if env.internal.is_some() {
                    FALCO_INTERNAL
                } else {
                    FALCO_RULES
                }),
                category: env.source.map(source_name),
                ..Rule::default()
            },
            attacks: attacks_from_tags(env.tags),
            evidence: Vec::new(),
            group: BTreeMap::new(),
            count: None,
            first_seen: None,
            last_seen: None,
            event_type,
            process,
            user,
            file: f.file(),
            source,
            destination,
        })),
        raw: raw.map(|(text, at)| raw_record(text, at, opts)),
        // Priority and source are kept in `severity.original` and `rule.category`; only what
        // the schema does not model goes to `unmapped.falco`.
        unmapped: unmapped(env.internal, leftover),
    }
}

impl Alert<'_> {
    /// Normalizes into a finding with default options.
    pub fn normalize(&self) -> Event {
        self.normalize_with(&NormalizeOptions::default())
    }

    /// Normalizes into a finding.
    pub fn normalize_with(&self, opts: &NormalizeOptions) -> Event {
        self.normalize_raw(opts, raw_of(opts))
    }

    /// [`Alert::normalize_with`] keeping `raw` (the line as read) instead of `opts.raw`.
    pub(crate) fn normalize_raw(
        &self,
        opts: &NormalizeOptions,
        raw: Option<(&str, Location)>,
    ) -> Event {
        let format = match self.flavor {
            Flavor::Sidekick => FORMAT_SIDEKICK,
            Flavor::Grpc => FORMAT_GRPC,
            _ => FORMAT_JSON,
        };
        let tags: &[Cow<'_, str>] = self.tags.as_deref().unwrap_or(&[]);
        let env = Envelope {
            time: self.time.to_datetime(),
            format,
            rule: &self.rule,
            priority: self.priority,
            source: self.source.as_deref(),
            hostname: self.hostname.as_deref(),
            message: self.output.as_deref().or(self.message.as_deref()),
            tags,
            internal: self.internal(),
        };
        let fields = self.output_fields.as_ref().map_or(&[][..], |f| f.entries());
        let mut event = build(env, fields, opts, raw);
        if self.uuid.is_some() || !self.extra.is_empty() || self.flavor != Flavor::Falco {
            self.vendor_keys(&mut event);
        }
        event
    }

    /// Keeps falcosidekick's `uuid` and any other top-level key under `unmapped.falco`
    /// (out of line: Falco's own alerts have neither).
    #[cold]
    #[inline(never)]
    fn vendor_keys(&self, event: &mut Event) {
        let vendor = event.vendor_mut("falco");
        if let Some(u) = &self.uuid {
            vendor.insert(fixed("uuid"), u.as_ref());
        }
        for (k, v) in &self.extra {
            let v = Field::from_json_str(v.get()).unwrap_or(Field::Null);
            vendor.insert(k.as_ref(), v);
        }
    }
}

/// Text `k=v` labels of rules ≤ 3.x and 4.x, and the Falco field each stands for.
const TEXT_KEYS: &[(&str, &str)] = &[
    ("user", "user.name"),
    ("user_uid", "user.uid"),
    ("user_loginuid", "user.loginuid"),
    ("process", "proc.name"),
    ("shell", "proc.name"),
    ("proc_exepath", "proc.exepath"),
    ("parent", "proc.pname"),
    ("command", "proc.cmdline"),
    ("cmdline", "proc.cmdline"),
    ("pcmdline", "proc.pcmdline"),
    ("proc_pcmdline", "proc.pcmdline"),
    ("terminal", "proc.tty"),
    ("pid", "proc.pid"),
    ("container_id", "container.id"),
    ("container", "container.id"),
    ("container_name", "container.name"),
    ("container_image", "container.image.repository"),
    ("image", "container.image"),
    ("container_image_tag", "container.image.tag"),
    ("k8s_ns", "k8s.ns.name"),
    ("k8s.ns", "k8s.ns.name"),
    ("k8s_pod_name", "k8s.pod.name"),
    ("k8s.pod", "k8s.pod.name"),
    ("file", "fd.name"),
    ("connection", "fd.name"),
    ("evt_type", "evt.type"),
];

impl TextAlert<'_> {
    /// Normalizes into a finding with default options.
    pub fn normalize(&self) -> Event {
        self.normalize_with(&NormalizeOptions::default())
    }

    /// Normalizes into a finding. Recovered pairs with a known label fill the entities; all
    /// pairs are kept under `unmapped.falco.fields`.
    pub fn normalize_with(&self, opts: &NormalizeOptions) -> Event {
        self.normalize_raw(opts, raw_of(opts))
    }

    /// [`TextAlert::normalize_with`] keeping `raw` (the line as read) instead of `opts.raw`.
    pub(crate) fn normalize_raw(
        &self,
        opts: &NormalizeOptions,
        raw: Option<(&str, Location)>,
    ) -> Event {
        let mut resolved_today = false;
        let ts = match (self.time, opts.date) {
            (TextTime::Absolute(t), _) => Some(t),
            (t, Some(d)) => t.resolve(d, opts.utc_offset_seconds),
            (t, None) => {
                resolved_today = true;
                t.resolve(Utc::now().date_naive(), opts.utc_offset_seconds)
            }
        };
        let time = ts.map_or(DateTime::<Utc>::UNIX_EPOCH, |t| t.to_datetime());
        let mut seen: Vec<&str> = Vec::with_capacity(self.pairs.len());
        let mut mapped: Vec<(&str, FieldValue<'_>)> = Vec::with_capacity(self.pairs.len());
        for (k, v) in &self.pairs {
            let Some((_, name)) = TEXT_KEYS.iter().find(|(label, _)| label == k) else {
                continue;
            };
            // Unrendered placeholders (`%proc.cmdline`) from documentation are not values.
            if seen.contains(name) || (v.starts_with('%') && v.len() > 1) {
                continue;
            }
            seen.push(name);
            mapped.push((name, FieldValue::Str(Cow::Borrowed(v.as_ref()))));
        }
        let env = Envelope {
            time,
            format: FORMAT_TEXT,
            rule: self.rule_hint(),
            priority: self.priority,
            source: self.internal.map(|_| "internal"),
            hostname: self.host.as_deref(),
            message: Some(&self.line),
            tags: &[],
            internal: self.internal,
        };
        let mut event = build(env, &mapped, opts, raw);
        let vendor = event.vendor_mut("falco");
        vendor.remove("output_fields");
        if !self.pairs.is_empty() {
            let mut m = Vendor::with_capacity(self.pairs.len());
            for (k, v) in &self.pairs {
                // The first value of a repeated label wins.
                if !m.contains_key(k) {
                    m.insert(k.as_ref(), v.as_ref());
                }
            }
            vendor.insert("fields", m);
        }
        if resolved_today {
            vendor.insert("time_of_day_only", true);
        }
        if let Some(n) = self.events_detected {
            vendor.insert("events_detected", n);
        }
        event
    }
}

impl Record<'_> {
    /// Normalizes either rendering into a finding.
    pub fn normalize_with(&self, opts: &NormalizeOptions) -> Event {
        self.normalize_raw(opts, raw_of(opts))
    }

    /// [`Record::normalize_with`] keeping `raw` (the line as read, borrowed: the reader
    /// copies it once, into the event) instead of `opts.raw`.
    pub(crate) fn normalize_raw(
        &self,
        opts: &NormalizeOptions,
        raw: Option<(&str, Location)>,
    ) -> Event {
        match self {
            Record::Json(a) => a.normalize_raw(opts, raw),
            Record::Text(t) => t.normalize_raw(opts, raw),
        }
    }

    /// Normalizes with default options.
    pub fn normalize(&self) -> Event {
        self.normalize_with(&NormalizeOptions::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attack_tag_spellings() {
        assert_eq!(attack_tag("T1562-impair-defenses"), "T1562");
        assert_eq!(attack_tag("T1059.004-x"), "T1059.004");
        assert_eq!(attack_tag("TA0005-defense-evasion"), "mitre_TA0005");
        assert_eq!(attack_tag("mitre_execution"), "mitre_execution");
        assert_eq!(attack_tag("T1059"), "T1059");
        let a = attacks_from_tags(&["T1562-impair-defenses", "TA0005-defense-evasion"]);
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].tactic.as_ref().unwrap().id, "TA0005");
        assert_eq!(a[0].technique.as_ref().unwrap().id, "T1562");
    }

    #[test]
    fn memoized_attacks_match_the_schema_parser() {
        // More tag sets than the memo holds, each asked twice (a miss, then a hit unless
        // evicted), with sets that share tags, differ only in order or in one byte.
        let sets: Vec<Vec<String>> = (0..ATTACK_MEMO + 10)
            .flat_map(|i| {
                let t = format!("T{:04}", 1000 + i);
                [
                    vec![t.clone(), "mitre_execution".to_string()],
                    vec![
                        "mitre_execution".to_string(),
                        t.clone(),
                        "shell".to_string(),
                    ],
                    vec![t, "mitre_persistence".to_string()],
                ]
            })
            .collect();
        for _ in 0..2 {
            for tags in &sets {
                assert_eq!(
                    attacks_from_tags(tags),
                    Attack::from_falco_tags(tags),
                    "{tags:?}"
                );
            }
        }
        assert!(attacks_from_tags(&["container", "shell"]).is_empty());
    }

    #[test]
    fn severity_matches_the_schema_table() {
        for p in Priority::ALL {
            assert_eq!(
                Some(severity(p)),
                Severity::from_falco_priority(p.as_str()),
                "{p:?}"
            );
        }
    }

    #[test]
    fn text_of_formats_scalars_and_skips_missing() {
        assert_eq!(text_of(&FieldValue::Int(-34816)).as_deref(), Some("-34816"));
        assert_eq!(
            text_of(&FieldValue::Int(i64::MIN)).as_deref(),
            Some("-9223372036854775808")
        );
        assert_eq!(text_of(&FieldValue::Int(0)).as_deref(), Some("0"));
        assert_eq!(
            text_of(&FieldValue::UInt(u64::MAX)).as_deref(),
            Some("18446744073709551615")
        );
        assert_eq!(text_of(&FieldValue::Bool(true)).as_deref(), Some("true"));
        assert_eq!(text_of(&FieldValue::Float(1.5)).as_deref(), Some("1.5"));
        assert_eq!(text_of(&FieldValue::Str(Cow::Borrowed(NA))), None);
        assert_eq!(text_of(&FieldValue::Null), None);
        for v in [
            FieldValue::Int(7),
            FieldValue::Float(0.1),
            FieldValue::Str(Cow::Borrowed("x")),
        ] {
            assert_eq!(text_of(&v).as_deref(), v.to_text().as_deref());
        }
    }

    #[test]
    fn every_name_finds_its_slot_and_nothing_else_does() {
        for (name, slot) in NAMES {
            assert_eq!(target(name), slot, "{name}");
            // Near misses: each byte changed, one byte more or less, other case.
            for i in 0..name.len() {
                let mut b = name.as_bytes().to_vec();
                b[i] ^= 0x20;
                let near = String::from_utf8(b).unwrap();
                assert_eq!(target(&near), KEEP, "{near}");
            }
            assert_eq!(target(&format!("{name}x")), KEEP, "{name}x");
            assert_eq!(target(&format!("x{name}")), KEEP, "x{name}");
            assert_eq!(target(&name[..name.len() - 1]), KEEP, "{name}-1");
            assert_eq!(target(&name[1..]), KEEP, "1-{name}");
        }
        for k in [
            "",
            "a",
            "abc",
            "proc",
            "proc.aname[2]",
            "ka.user.name",
            "évt.time",
        ] {
            assert_eq!(target(k), KEEP, "{k}");
        }
        let long = "container.image.repository.and.some.more";
        assert_eq!(target(long), KEEP);
    }

    #[test]
    fn addr_tuples() {
        let e = parse_addr("172.17.0.9:43812").unwrap();
        assert_eq!(e.port, Some(43812));
        assert_eq!(e.ip, Some("172.17.0.9".parse().unwrap()));
        assert!(parse_addr("nothing").is_none());
    }
}
