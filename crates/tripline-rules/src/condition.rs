//! The condition grammar: `and`/`or`/`not`, parentheses, `1 of`/`any of`/`all of` with
//! wildcard patterns or `them`. Parsed with nom (kept private); depth-limited.
//!
//! Precedence, low to high: `or` < `and` < `not` < `x of` < parentheses (spec 2.1).

use std::fmt;

use nom::IResult;
use nom::Parser;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::multispace0;
use nom::error::{Error as NomError, ErrorKind};

use crate::error::{Error, snippet};

/// What a quantified `x of` refers to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Target {
    /// `them`: every search identifier not starting with `_`.
    Them,
    /// A name pattern where `*` matches any run of characters (`selection_*`).
    Pattern(String),
}

/// A parsed condition expression.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Condition {
    /// A search identifier.
    Ident(String),
    /// Negation.
    Not(Box<Condition>),
    /// All of the operands (flattened: no direct `And` child).
    And(Vec<Condition>),
    /// Any of the operands (flattened: no direct `Or` child).
    Or(Vec<Condition>),
    /// `1 of` / `any of`.
    OneOf(Target),
    /// `all of`.
    AllOf(Target),
}

impl Condition {
    /// Parses a condition with a nesting limit.
    pub fn parse(input: &str, max_depth: usize) -> Result<Condition, Error> {
        let p = P { max_depth };
        match p.or(input, 0) {
            Ok((rest, c)) => {
                let (rest, _) = ws(rest).unwrap_or((rest, ""));
                if rest.is_empty() {
                    Ok(c)
                } else {
                    Err(cond_err(
                        input,
                        rest,
                        "unexpected text after the expression",
                    ))
                }
            }
            Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                let reason = if e.code == ErrorKind::TooLarge {
                    format!("nesting deeper than {max_depth}")
                } else {
                    "expected a search identifier, `not`, `(` or `1 of`/`any of`/`all of`"
                        .to_string()
                };
                Err(cond_err(input, e.input, &reason))
            }
            Err(nom::Err::Incomplete(_)) => Err(cond_err(input, "", "incomplete expression")),
        }
    }

    /// `And` that flattens nested `And` operands and unwraps a single operand.
    pub fn and(items: Vec<Condition>) -> Condition {
        Self::flat(items, true)
    }

    /// `Or` that flattens nested `Or` operands and unwraps a single operand.
    pub fn or(items: Vec<Condition>) -> Condition {
        Self::flat(items, false)
    }

    fn flat(items: Vec<Condition>, is_and: bool) -> Condition {
        let mut out = Vec::with_capacity(items.len());
        for it in items {
            match (it, is_and) {
                (Condition::And(v), true) | (Condition::Or(v), false) => out.extend(v),
                (other, _) => out.push(other),
            }
        }
        if out.len() == 1 {
            return out.pop().unwrap_or(Condition::And(Vec::new()));
        }
        if is_and {
            Condition::And(out)
        } else {
            Condition::Or(out)
        }
    }

    /// Rebuilds the tree through the flattening constructors (what `parse(render(x))` yields).
    pub fn normalized(&self) -> Condition {
        match self {
            Condition::Not(c) => Condition::Not(Box::new(c.normalized())),
            Condition::And(v) => Condition::and(v.iter().map(Condition::normalized).collect()),
            Condition::Or(v) => Condition::or(v.iter().map(Condition::normalized).collect()),
            other => other.clone(),
        }
    }

    /// Nesting depth (an identifier is 1).
    pub fn depth(&self) -> usize {
        match self {
            Condition::Not(c) => 1 + c.depth(),
            Condition::And(v) | Condition::Or(v) => {
                1 + v.iter().map(Condition::depth).max().unwrap_or(0)
            }
            _ => 1,
        }
    }

    fn prec(&self) -> u8 {
        match self {
            Condition::Or(v) if v.len() > 1 => 1,
            Condition::And(v) if v.len() > 1 => 2,
            Condition::Not(_) => 3,
            _ => 4,
        }
    }

    /// True when the expression contains the Sigma 1 `near` keyword or an aggregation pipe.
    pub(crate) fn looks_v1_aggregation(text: &str) -> bool {
        text.contains('|') || text.split_whitespace().any(|w| w == "near")
    }
}

fn write_child(f: &mut fmt::Formatter<'_>, c: &Condition, min: u8) -> fmt::Result {
    if c.prec() < min {
        write!(f, "({c})")
    } else {
        write!(f, "{c}")
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Condition::Ident(s) => f.write_str(s),
            Condition::Not(c) => {
                f.write_str("not ")?;
                write_child(f, c, 3)
            }
            Condition::And(v) | Condition::Or(v) => {
                let (op, min) = if matches!(self, Condition::And(_)) {
                    (" and ", 3)
                } else {
                    (" or ", 2)
                };
                if v.is_empty() {
                    return f.write_str("()");
                }
                for (i, c) in v.iter().enumerate() {
                    if i > 0 {
                        f.write_str(op)?;
                    }
                    // A single-element group renders as its element.
                    write_child(f, c, if v.len() == 1 { 0 } else { min })?;
                }
                Ok(())
            }
            Condition::OneOf(t) => write!(f, "1 of {t}"),
            Condition::AllOf(t) => write!(f, "all of {t}"),
        }
    }
}

impl fmt::Display for Target {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Target::Them => f.write_str("them"),
            Target::Pattern(p) => f.write_str(p),
        }
    }
}

fn cond_err(full: &str, rest: &str, reason: &str) -> Error {
    let offset = full.len().saturating_sub(rest.len());
    Error::Condition {
        offset,
        reason: reason.to_string(),
        snippet: snippet(rest),
    }
}

type Res<'a, T> = IResult<&'a str, T>;

fn ws(i: &str) -> Res<'_, &str> {
    multispace0(i)
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
        || matches!(
            c,
            '_' | '*' | '-' | '.' | '?' | '$' | '@' | '#' | '/' | '\\' | ':'
        )
}

fn word(i: &str) -> Res<'_, &str> {
    let (i, _) = ws(i)?;
    take_while1(is_word_char)(i)
}

/// A reserved word: `and`, `or`, `not`, `of`, `them` (case-insensitive as pySigma).
fn is_reserved(w: &str) -> bool {
    ["and", "or", "not", "of", "them"]
        .iter()
        .any(|k| w.eq_ignore_ascii_case(k))
}

fn keyword<'a>(kw: &'static str) -> impl Fn(&'a str) -> Res<'a, &'a str> {
    move |i: &'a str| {
        let (rest, w) = word(i)?;
        if w.eq_ignore_ascii_case(kw) {
            Ok((rest, w))
        } else {
            Err(nom::Err::Error(NomError::new(i, ErrorKind::Tag)))
        }
    }
}

struct P {
    max_depth: usize,
}

impl P {
    fn check<'a>(&self, i: &'a str, depth: usize) -> Result<(), nom::Err<NomError<&'a str>>> {
        if depth > self.max_depth {
            Err(nom::Err::Failure(NomError::new(i, ErrorKind::TooLarge)))
        } else {
            Ok(())
        }
    }

    fn or<'a>(&self, i: &'a str, depth: usize) -> Res<'a, Condition> {
        self.check(i, depth)?;
        let (mut i, first) = self.and(i, depth)?;
        let mut items = vec![first];
        while let Ok((rest, _)) = keyword("or")(i) {
            let (rest, next) = self.and(rest, depth)?;
            items.push(next);
            i = rest;
        }
        Ok((i, Condition::or(items)))
    }

    fn and<'a>(&self, i: &'a str, depth: usize) -> Res<'a, Condition> {
        let (mut i, first) = self.unary(i, depth)?;
        let mut items = vec![first];
        while let Ok((rest, _)) = keyword("and")(i) {
            let (rest, next) = self.unary(rest, depth)?;
            items.push(next);
            i = rest;
        }
        Ok((i, Condition::and(items)))
    }

    fn unary<'a>(&self, i: &'a str, depth: usize) -> Res<'a, Condition> {
        self.check(i, depth)?;
        if let Ok((rest, _)) = keyword("not")(i) {
            let (rest, c) = self.unary(rest, depth + 1)?;
            return Ok((rest, Condition::Not(Box::new(c))));
        }
        let (j, _) = ws(i)?;
        if let Ok((rest, _)) = tag::<&str, &str, NomError<&str>>("(").parse(j) {
            let (rest, c) = self.or(rest, depth + 1)?;
            let (rest, _) = ws(rest)?;
            let (rest, _) = tag(")").parse(rest)?;
            return Ok((rest, c));
        }
        let (rest, w) = word(i)?;
        if (w == "1" || w.eq_ignore_ascii_case("any") || w.eq_ignore_ascii_case("all"))
            && let Ok((rest2, _)) = keyword("of")(rest)
        {
            {
                let (rest3, t) = word(rest2)?;
                let target = if t.eq_ignore_ascii_case("them") {
                    Target::Them
                } else if is_reserved(t) {
                    return Err(nom::Err::Error(NomError::new(rest2, ErrorKind::Tag)));
                } else {
                    Target::Pattern(t.to_string())
                };
                let c = if w.eq_ignore_ascii_case("all") {
                    Condition::AllOf(target)
                } else {
                    Condition::OneOf(target)
                };
                return Ok((rest3, c));
            }
        }
        if is_reserved(w) {
            return Err(nom::Err::Error(NomError::new(i, ErrorKind::Tag)));
        }
        Ok((rest, Condition::Ident(w.to_string())))
    }
}

/// Whether a `*`-pattern matches a search-identifier name.
pub(crate) fn name_matches(pattern: &str, name: &str) -> bool {
    fn rec(p: &[u8], n: &[u8]) -> bool {
        match p.split_first() {
            None => n.is_empty(),
            Some((b'*', rest)) => (0..=n.len()).any(|k| rec(rest, &n[k..])),
            Some((c, rest)) => n.first() == Some(c) && rec(rest, &n[1..]),
        }
    }
    rec(pattern.as_bytes(), name.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Condition {
        Condition::parse(s, 64).unwrap()
    }

    #[test]
    fn precedence_or_and_not() {
        let c = p("a or b and not c");
        assert_eq!(c.to_string(), "a or b and not c");
        assert_eq!(
            c,
            Condition::Or(vec![
                Condition::Ident("a".into()),
                Condition::And(vec![
                    Condition::Ident("b".into()),
                    Condition::Not(Box::new(Condition::Ident("c".into())))
                ])
            ])
        );
        assert_eq!(p("(a or b) and c").to_string(), "(a or b) and c");
        assert_eq!(p("not (a and b)").to_string(), "not (a and b)");
    }

    #[test]
    fn quantifiers() {
        assert_eq!(
            p("1 of selection_*"),
            Condition::OneOf(Target::Pattern("selection_*".into()))
        );
        assert_eq!(p("any of them"), Condition::OneOf(Target::Them));
        assert_eq!(p("all of them"), Condition::AllOf(Target::Them));
        assert_eq!(
            p("selection and not 1 of filter_*").to_string(),
            "selection and not 1 of filter_*"
        );
    }

    #[test]
    fn errors_and_depth() {
        assert!(Condition::parse("a and", 64).is_err());
        assert!(Condition::parse("(a", 64).is_err());
        assert!(Condition::parse("a b", 64).is_err());
        assert!(Condition::parse("", 64).is_err());
        let deep = format!("{}a{}", "(".repeat(100), ")".repeat(100));
        let e = Condition::parse(&deep, 64).unwrap_err();
        assert!(e.to_string().contains("nesting deeper than 64"), "{e}");
        assert!(Condition::parse(&deep, 200).is_ok());
    }

    #[test]
    fn identifiers_containing_keywords() {
        assert_eq!(
            p("android or notes"),
            Condition::Or(vec![
                Condition::Ident("android".into()),
                Condition::Ident("notes".into())
            ])
        );
    }

    #[test]
    fn name_patterns() {
        assert!(name_matches("selection_*", "selection_a"));
        assert!(name_matches("*_filter", "x_filter"));
        assert!(!name_matches("sel*x", "selection"));
        assert!(name_matches("a", "a"));
    }
}
