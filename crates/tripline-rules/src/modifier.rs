//! Sigma value modifiers (`field|contains|all`), spec 2.1 appendix plus pySigma's long names.

use std::fmt;

/// One value modifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Modifier {
    /// `contains`: `*value*`.
    Contains,
    /// `startswith`: `value*`.
    StartsWith,
    /// `endswith`: `*value`.
    EndsWith,
    /// `all`: a value list is AND instead of OR.
    All,
    /// `exists`: presence test with a boolean value.
    Exists,
    /// `cased`: case-sensitive comparison.
    Cased,
    /// `neq`: the field differs from every value.
    Neq,
    /// `windash`: `-` and `/` and the dash variants are interchangeable.
    Windash,
    /// `re`: regular expression.
    Re,
    /// `i` / `ignorecase` after `re`.
    ReIgnoreCase,
    /// `m` / `multiline` after `re`.
    ReMultiline,
    /// `s` / `dotall` after `re`.
    ReDotAll,
    /// `base64`.
    Base64,
    /// `base64offset`: the three alignments of the value inside a longer base64 text.
    Base64Offset,
    /// `utf16le` / `wide`.
    Utf16Le,
    /// `utf16be`.
    Utf16Be,
    /// `utf16`: little-endian with a byte-order mark.
    Utf16,
    /// `lt`.
    Lt,
    /// `lte`.
    Lte,
    /// `gt`.
    Gt,
    /// `gte`.
    Gte,
    /// `minute` of a timestamp.
    Minute,
    /// `hour` of a timestamp.
    Hour,
    /// `day` of the month of a timestamp.
    Day,
    /// ISO `week` of a timestamp.
    Week,
    /// `month` of a timestamp.
    Month,
    /// `year` of a timestamp.
    Year,
    /// `cidr`: IPv4 or IPv6 network.
    Cidr,
    /// `expand`: `%placeholder%` substitution.
    Expand,
    /// `fieldref`: compare with another field of the same event.
    FieldRef,
}

impl Modifier {
    /// Parses a modifier name as written after `|`.
    pub fn parse(s: &str) -> Option<Modifier> {
        use Modifier::*;
        Some(match s {
            "contains" => Contains,
            "startswith" => StartsWith,
            "endswith" => EndsWith,
            "all" => All,
            "exists" => Exists,
            "cased" => Cased,
            "neq" => Neq,
            "windash" => Windash,
            "re" => Re,
            "i" | "ignorecase" => ReIgnoreCase,
            "m" | "multiline" => ReMultiline,
            "s" | "dotall" => ReDotAll,
            "base64" => Base64,
            "base64offset" => Base64Offset,
            "utf16le" | "wide" => Utf16Le,
            "utf16be" => Utf16Be,
            "utf16" => Utf16,
            "lt" => Lt,
            "lte" => Lte,
            "gt" => Gt,
            "gte" => Gte,
            "minute" => Minute,
            "hour" => Hour,
            "day" => Day,
            "week" => Week,
            "month" => Month,
            "year" => Year,
            "cidr" => Cidr,
            "expand" => Expand,
            "fieldref" => FieldRef,
            _ => return None,
        })
    }

    /// The canonical name.
    pub fn name(self) -> &'static str {
        use Modifier::*;
        match self {
            Contains => "contains",
            StartsWith => "startswith",
            EndsWith => "endswith",
            All => "all",
            Exists => "exists",
            Cased => "cased",
            Neq => "neq",
            Windash => "windash",
            Re => "re",
            ReIgnoreCase => "i",
            ReMultiline => "m",
            ReDotAll => "s",
            Base64 => "base64",
            Base64Offset => "base64offset",
            Utf16Le => "utf16le",
            Utf16Be => "utf16be",
            Utf16 => "utf16",
            Lt => "lt",
            Lte => "lte",
            Gt => "gt",
            Gte => "gte",
            Minute => "minute",
            Hour => "hour",
            Day => "day",
            Week => "week",
            Month => "month",
            Year => "year",
            Cidr => "cidr",
            Expand => "expand",
            FieldRef => "fieldref",
        }
    }
}

impl fmt::Display for Modifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
