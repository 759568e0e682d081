//! String patterns: Sigma wildcards (`*`, `?`, `\` escapes) compiled to fast matchers.
//!
//! Case-insensitive patterns are lowercased once here and run against a haystack the engine
//! lowercased once per field per event (the same char-wise lowercasing on both sides).

use memchr::memmem::Finder;

/// A pattern token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Tok {
    /// Literal text.
    Lit(String),
    /// `?`: exactly one character.
    One,
    /// `*`: any run of characters, possibly empty.
    Star,
}

/// Splits a Sigma string into tokens: `*` and `?` are wildcards; `\*`, `\?`, `\\` are the
/// literal characters; any other `\` is literal.
pub(crate) fn tokenize(s: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut lit = String::new();
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.peek() {
                Some(&n @ ('*' | '?' | '\\')) => {
                    lit.push(n);
                    chars.next();
                }
                _ => lit.push('\\'),
            },
            '*' | '?' => {
                if !lit.is_empty() {
                    out.push(Tok::Lit(std::mem::take(&mut lit)));
                }
                out.push(if c == '*' { Tok::Star } else { Tok::One });
            }
            _ => lit.push(c),
        }
    }
    if !lit.is_empty() {
        out.push(Tok::Lit(lit));
    }
    out
}

/// The text of a token list without wildcards (`None` when it has one).
pub(crate) fn plain(toks: &[Tok]) -> Option<String> {
    let mut s = String::new();
    for t in toks {
        match t {
            Tok::Lit(l) => s.push_str(l),
            _ => return None,
        }
    }
    Some(s)
}

/// Char-wise lowercasing into a reused buffer (ASCII fast path).
pub(crate) fn lower_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        out.push_str(s);
        out.make_ascii_lowercase();
    } else {
        for c in s.chars() {
            out.extend(c.to_lowercase());
        }
    }
}

/// Char-wise lowercasing (compile time).
pub(crate) fn lower(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    lower_into(s, &mut o);
    o
}

/// A compiled string pattern.
#[derive(Debug, Clone)]
pub(crate) enum Pattern {
    Exact(Box<str>),
    Prefix(Box<str>),
    Suffix(Box<str>),
    Contains(Box<Finder<'static>>),
    Anything,
    Glob(Vec<Tok>),
}

impl Pattern {
    /// Compiles tokens, lowercasing literals unless `cased`.
    pub(crate) fn new(toks: Vec<Tok>, cased: bool) -> Pattern {
        let mut merged: Vec<Tok> = Vec::with_capacity(toks.len());
        for t in toks {
            let t = match t {
                Tok::Lit(l) if !cased => Tok::Lit(lower(&l)),
                other => other,
            };
            match (merged.last_mut(), &t) {
                (Some(Tok::Lit(a)), Tok::Lit(b)) => a.push_str(b),
                (Some(Tok::Star), Tok::Star) => {}
                _ => merged.push(t),
            }
        }
        match merged.as_slice() {
            [] => Pattern::Exact("".into()),
            [Tok::Lit(l)] => Pattern::Exact(l.as_str().into()),
            [Tok::Star] => Pattern::Anything,
            [Tok::Lit(l), Tok::Star] => Pattern::Prefix(l.as_str().into()),
            [Tok::Star, Tok::Lit(l)] => Pattern::Suffix(l.as_str().into()),
            [Tok::Star, Tok::Lit(l), Tok::Star] => {
                Pattern::Contains(Box::new(Finder::new(l.as_bytes()).into_owned()))
            }
            _ => Pattern::Glob(merged),
        }
    }

    /// The longest literal every match must contain (lowercase when compiled uncased).
    pub(crate) fn needle(&self) -> Option<&str> {
        let s: &str = match self {
            Pattern::Exact(s) | Pattern::Prefix(s) | Pattern::Suffix(s) => s,
            Pattern::Contains(f) => std::str::from_utf8(f.needle()).ok()?,
            Pattern::Anything => return None,
            Pattern::Glob(t) => t
                .iter()
                .filter_map(|t| {
                    if let Tok::Lit(l) = t {
                        Some(l.as_str())
                    } else {
                        None
                    }
                })
                .max_by_key(|l| l.len())?,
        };
        (!s.is_empty()).then_some(s)
    }

    /// Where [`Pattern::needle`] sits in every match.
    pub(crate) fn anchor(&self) -> crate::compile::Anchor {
        use crate::compile::Anchor;
        match self {
            Pattern::Exact(_) => Anchor::Whole,
            Pattern::Prefix(_) => Anchor::Start,
            Pattern::Suffix(_) => Anchor::End,
            Pattern::Glob(t) => {
                let longest = self.needle();
                let first = matches!(t.first(), Some(Tok::Lit(l)) if Some(l.as_str()) == longest);
                let last = matches!(t.last(), Some(Tok::Lit(l)) if Some(l.as_str()) == longest);
                match (first, last) {
                    (true, true) if t.len() == 1 => Anchor::Whole,
                    (true, _) => Anchor::Start,
                    (_, true) => Anchor::End,
                    _ => Anchor::Any,
                }
            }
            _ => Anchor::Any,
        }
    }

    /// The literal of a whole-value pattern (no wildcards).
    pub(crate) fn exact(&self) -> Option<&str> {
        match self {
            Pattern::Exact(s) => Some(s),
            _ => None,
        }
    }

    /// A plain `contains` needle (for grouping into one automaton).
    pub(crate) fn contains_needle(&self) -> Option<&[u8]> {
        match self {
            Pattern::Contains(f) => Some(f.needle()),
            _ => None,
        }
    }

    /// Matches a haystack (already lowercased for uncased patterns).
    pub(crate) fn is_match(&self, h: &str) -> bool {
        match self {
            Pattern::Exact(s) => h == &**s,
            Pattern::Prefix(s) => h.starts_with(&**s),
            Pattern::Suffix(s) => h.ends_with(&**s),
            Pattern::Contains(f) => f.find(h.as_bytes()).is_some(),
            Pattern::Anything => true,
            Pattern::Glob(t) => glob(t, h),
        }
    }
}

fn char_len(s: &str, i: usize) -> usize {
    s[i..].chars().next().map_or(1, char::len_utf8)
}

/// Wildcard matching with backtracking to the last `*` (complete for `*`/`?`/literals).
fn glob(toks: &[Tok], s: &str) -> bool {
    let (mut ti, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if ti < toks.len() {
            match &toks[ti] {
                Tok::Star => {
                    ti += 1;
                    star = Some((ti, si));
                    continue;
                }
                Tok::One if si < s.len() => {
                    si += char_len(s, si);
                    ti += 1;
                    continue;
                }
                Tok::Lit(l) if s[si..].starts_with(l.as_str()) => {
                    si += l.len();
                    ti += 1;
                    continue;
                }
                _ => {}
            }
        } else if si == s.len() {
            return true;
        }
        match star {
            Some((st, ss)) if ss < s.len() => {
                let ns = ss + char_len(s, ss);
                star = Some((st, ns));
                ti = st;
                si = ns;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, h: &str) -> bool {
        Pattern::new(tokenize(p), false).is_match(&lower(h))
    }

    #[test]
    fn wildcards_and_escapes() {
        assert!(m("*ab?", "abxabx"));
        assert!(m("a*b*c", "aXbYbZc"));
        assert!(!m("a*b*c", "aXbYbZ"));
        assert!(m("?", "é"));
        assert!(!m("?", ""));
        assert!(m(r"a\*b", "a*b"));
        assert!(!m(r"a\*b", "axb"));
        assert!(m(r"a\\*", r"a\anything"));
        assert!(m(r"a\\\*", r"a\*"));
        assert!(!m(r"a\\\*", r"a\x"));
        assert!(m(r"c:\windows", r"C:\Windows"));
        assert!(m(r"a\?", "a?"));
        assert!(m("", ""));
        assert!(!m("", "x"));
        assert!(m("*", ""));
    }

    #[test]
    fn fast_paths() {
        assert!(matches!(
            Pattern::new(tokenize("*/bash"), false),
            Pattern::Suffix(_)
        ));
        assert!(matches!(
            Pattern::new(tokenize("/bin/*"), false),
            Pattern::Prefix(_)
        ));
        assert!(matches!(
            Pattern::new(tokenize("*x*"), false),
            Pattern::Contains(_)
        ));
        assert_eq!(Pattern::new(tokenize("*ab?c*"), false).needle(), Some("ab"));
    }
}
