//! Event arguments: `{name, type, value}` where the value's JSON type does not follow `type`
//! (with `parse-arguments` an `int` can hold `"O_RDONLY|O_CLOEXEC"`). Values stay raw JSON
//! until asked for, so parsing an event never pays for arguments nobody reads.

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

use base64::Engine as _;
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::json::{self, RawJson, RawMap};
use crate::scan::Scanner;

/// One argument of an event.
#[derive(Debug, Clone)]
pub struct Arg<'a> {
    /// Argument name (`pathname`, `argv`, `remote_addr`, `triggeredBy`, …).
    pub name: Cow<'a, str>,
    /// Tracee's declared C/Go type (`const char*`, `int`, `struct sockaddr*`, `bytes`, …).
    /// Advisory only: the value's JSON type may differ.
    pub type_name: Cow<'a, str>,
    /// The value as raw JSON (`None` when the key is absent; `Some("null")` for `null`).
    pub raw_value: Option<RawJson<'a>>,
}

impl<'a> Arg<'a> {
    /// The raw JSON text of the value (`null` when absent).
    pub fn raw(&self) -> &'a str {
        self.raw_value.map_or("null", |r| r.get())
    }

    /// Whether the value is `null` or absent.
    pub fn is_null(&self) -> bool {
        self.raw_value.is_none_or(json::raw_is_null)
    }

    /// The value when it is a JSON string.
    pub fn as_str(&self) -> Option<Cow<'a, str>> {
        json::raw_str(self.raw_value?)
    }

    /// The value as a signed integer: a JSON number or a numeric string (decimal or `0x` hex,
    /// as old releases print pointers).
    pub fn as_i64(&self) -> Option<i64> {
        json::flex_i64(self.raw_value?)
    }

    /// The value as an unsigned integer (numbers above `i64::MAX`, hex pointers).
    pub fn as_u64(&self) -> Option<u64> {
        json::flex_u64(self.raw_value?)
    }

    /// The value as a boolean (`true`/`false`, or 0/1).
    pub fn as_bool(&self) -> Option<bool> {
        json::flex_bool(self.raw_value?)
    }

    /// The value as a list of strings (`const char**`); `Some(vec![])` for `null`.
    pub fn as_str_list(&self) -> Option<Vec<Cow<'a, str>>> {
        let raw = self.raw_value?;
        if json::raw_is_null(raw) {
            return Some(Vec::new());
        }
        json::raw_str_list(raw)
    }

    /// The value as bytes: base64 text for `bytes` arguments, else the string's UTF-8.
    pub fn as_bytes(&self) -> Option<Vec<u8>> {
        let s = self.as_str()?;
        if self.type_name == "bytes" {
            base64::engine::general_purpose::STANDARD
                .decode(s.as_bytes())
                .ok()
        } else {
            Some(s.into_owned().into_bytes())
        }
    }

    /// The value as a socket address (`struct sockaddr*`, an object of strings).
    pub fn as_sockaddr(&self) -> Option<Sockaddr<'a>> {
        let raw = self.raw_value?;
        if !raw.get().starts_with('{') {
            return None;
        }
        Sockaddr::from_raw(raw)
    }

    /// The value as an object of raw members (packet metadata, protocol headers, DNS, …).
    pub fn as_object(&self) -> Option<RawMap<'a>> {
        let raw = self.raw_value?;
        if !raw.get().starts_with('{') {
            return None;
        }
        RawMap::parse(raw)
    }

    /// The value fully decoded into a borrowed tree; `None` when absent.
    pub fn value(&self) -> Option<ArgValue<'a>> {
        serde_json::from_str(self.raw_value?.get()).ok()
    }
}

/// A decoded argument value; strings borrow from the input when they have no escapes.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum ArgValue<'a> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// A non-negative integer above `i64::MAX`.
    UInt(u64),
    /// A non-integral number.
    Float(f64),
    /// A string.
    Str(Cow<'a, str>),
    /// An array.
    List(Vec<ArgValue<'a>>),
    /// An object, members in input order.
    Object(Vec<(Cow<'a, str>, ArgValue<'a>)>),
}

impl<'a> ArgValue<'a> {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&ArgValue<'a>> {
        match self {
            ArgValue::Object(m) => m.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            ArgValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The integer, if this is one that fits `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match *self {
            ArgValue::Int(i) => Some(i),
            ArgValue::UInt(u) => i64::try_from(u).ok(),
            _ => None,
        }
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for ArgValue<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = ArgValue<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ArgValue::Null)
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(ArgValue::Null)
            }
            fn visit_bool<E: de::Error>(self, b: bool) -> Result<Self::Value, E> {
                Ok(ArgValue::Bool(b))
            }
            fn visit_i64<E: de::Error>(self, i: i64) -> Result<Self::Value, E> {
                Ok(ArgValue::Int(i))
            }
            fn visit_u64<E: de::Error>(self, u: u64) -> Result<Self::Value, E> {
                Ok(i64::try_from(u).map_or(ArgValue::UInt(u), ArgValue::Int))
            }
            fn visit_f64<E: de::Error>(self, f: f64) -> Result<Self::Value, E> {
                Ok(ArgValue::Float(f))
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Self::Value, E> {
                Ok(ArgValue::Str(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Self::Value, E> {
                Ok(ArgValue::Str(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Self::Value, E> {
                Ok(ArgValue::Str(Cow::Owned(s)))
            }
            fn visit_seq<S: SeqAccess<'de>>(self, mut s: S) -> Result<Self::Value, S::Error> {
                let mut out = Vec::new();
                while let Some(v) = s.next_element()? {
                    out.push(v);
                }
                Ok(ArgValue::List(out))
            }
            fn visit_map<M: MapAccess<'de>>(self, mut m: M) -> Result<Self::Value, M::Error> {
                let mut out = Vec::new();
                while let Some(k) = m.next_key::<Cow<'de, str>>()? {
                    out.push((k, m.next_value()?));
                }
                Ok(ArgValue::Object(out))
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

/// A socket address as Tracee prints `struct sockaddr*`: an object of strings keyed
/// `sa_family`, `sin_addr`/`sin_port` (IPv4), `sin6_addr`/`sin6_port`/`sin6_flowinfo`/
/// `sin6_scopeid` (IPv6) or `sun_path` (unix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sockaddr<'a> {
    /// `AF_INET`, `AF_INET6`, `AF_UNIX`, … (empty when missing).
    pub family: Cow<'a, str>,
    /// The IP address, when the family has one and it parses.
    pub ip: Option<IpAddr>,
    /// The port, when present and numeric.
    pub port: Option<u16>,
    /// The unix socket path (`sun_path`).
    pub path: Option<Cow<'a, str>>,
    /// IPv6 flow info.
    pub flowinfo: Option<u32>,
    /// IPv6 scope id.
    pub scope_id: Option<u32>,
}

impl<'a> Sockaddr<'a> {
    /// Reads the address from a decoded object; `None` when it has no `sa_family`.
    pub fn from_map(m: &RawMap<'a>) -> Option<Self> {
        Self::from_members(|k| m.get(k))
    }

    /// Reads the address straight from a raw JSON object, as
    /// `from_map(&RawMap::parse(raw)?)` reads it: the members of a small object with
    /// plain keys (every `struct sockaddr*` Tracee prints) are looked up on the stack
    /// instead of being collected into a map first.
    pub(crate) fn from_raw(raw: RawJson<'a>) -> Option<Self> {
        /// Members looked up on the stack; objects with more go through a [`RawMap`].
        const SMALL: usize = 8;
        let mut sc = Scanner::new(raw.get());
        sc.ws();
        sc.obj_start().ok()?;
        let mut members = [("", RawJson::new_unchecked("")); SMALL];
        let mut n = 0;
        let mut first = true;
        while let Some(k) = sc.obj_key(&mut first).ok()? {
            let v = sc.raw().ok()?;
            match (k, members.get_mut(n)) {
                (Cow::Borrowed(k), Some(slot)) => {
                    *slot = (k, v);
                    n += 1;
                }
                // An escaped key or a large object: the general path.
                _ => return Self::from_map(&RawMap::parse(raw)?),
            }
        }
        let members = &members[..n];
        // The first occurrence of a key, as `RawMap::get` finds it.
        Self::from_members(|key| members.iter().find(|(k, _)| *k == key).map(|(_, v)| *v))
    }

    /// The address from a member lookup.
    fn from_members(get: impl Fn(&str) -> Option<RawJson<'a>>) -> Option<Self> {
        let family = json::raw_str(get("sa_family")?)?;
        let text = |k: &str| -> Option<Cow<'a, str>> {
            let raw = get(k)?;
            json::raw_str(raw).or_else(|| Some(Cow::Owned(raw.get().to_owned())))
        };
        let ip = text("sin_addr")
            .or_else(|| text("sin6_addr"))
            .and_then(|a| a.trim().parse::<IpAddr>().ok());
        let port = get("sin_port")
            .or_else(|| get("sin6_port"))
            .and_then(json::flex_i64)
            .and_then(|p| u16::try_from(p).ok());
        let u32_of = |k: &str| {
            get(k)
                .and_then(json::flex_i64)
                .and_then(|v| u32::try_from(v).ok())
        };
        Some(Sockaddr {
            family,
            ip,
            port,
            path: get("sun_path").and_then(json::raw_str),
            flowinfo: u32_of("sin6_flowinfo"),
            scope_id: u32_of("sin6_scopeid"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(json: &str) -> Arg<'_> {
        Arg::parse(&mut crate::scan::Scanner::new(json)).unwrap()
    }

    #[test]
    fn value_type_does_not_follow_declared_type() {
        let a = arg(r#"{"name":"flags","type":"int","value":"O_RDONLY|O_CLOEXEC"}"#);
        assert_eq!(a.as_str().as_deref(), Some("O_RDONLY|O_CLOEXEC"));
        assert_eq!(a.as_i64(), None);
        let a = arg(r#"{"name":"stack","type":"void*","value":"0x0"}"#);
        assert_eq!(a.as_u64(), Some(0));
    }

    #[test]
    fn sockaddr_of_strings() {
        let a = arg(
            r#"{"name":"remote_addr","type":"struct sockaddr*","value":{"sa_family":"AF_INET","sin_addr":"10.0.0.1","sin_port":"443"}}"#,
        );
        let s = a.as_sockaddr().unwrap();
        assert_eq!(s.family, "AF_INET");
        assert_eq!(s.ip, Some("10.0.0.1".parse().unwrap()));
        assert_eq!(s.port, Some(443));
        let a = arg(
            r#"{"name":"remote_addr","type":"struct sockaddr*","value":{"sa_family":"AF_UNIX","sun_path":"/var/run/docker.sock"}}"#,
        );
        assert_eq!(
            a.as_sockaddr().unwrap().path.as_deref(),
            Some("/var/run/docker.sock")
        );
    }

    #[test]
    fn sockaddr_from_raw_reads_as_from_map() {
        let cases = [
            r#"{"sa_family":"AF_INET","sin_addr":"10.0.0.1","sin_port":"443"}"#,
            r#"{"sa_family":"AF_INET6","sin6_addr":"::1","sin6_port":"80","sin6_flowinfo":"0","sin6_scopeid":"2"}"#,
            r#"{"sa_family":"AF_UNIX","sun_path":"/run/a\u0041.sock"}"#,
            r#"{"sin_addr":"10.0.0.1","sa_family":"AF_INET","sin_addr":"10.0.0.2"}"#,
            r#"{"sa_f\u0061mily":"AF_INET","sin_addr":"10.0.0.1"}"#,
            r#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7,"h":8,"sa_family":"AF_INET","sin_port":9}"#,
            r#"{"sa_family":null}"#,
            r#"{"sa_family":"AF_INET","sin_addr":[1,2],"sin_port":{"value":"7"}}"#,
            r#"{"sa_family":"AF_INET","#,
            "{}",
        ];
        for c in cases {
            let raw = RawJson::new_unchecked(c);
            assert_eq!(
                Sockaddr::from_raw(raw),
                RawMap::parse(raw).and_then(|m| Sockaddr::from_map(&m)),
                "{c}"
            );
        }
    }

    #[test]
    fn bytes_are_base64() {
        let a = arg(r#"{"name":"bytes","type":"bytes","value":"f0VMRg=="}"#);
        assert_eq!(a.as_bytes().unwrap(), b"\x7fELF");
    }

    #[test]
    fn null_list_is_empty() {
        let a = arg(r#"{"name":"envp","type":"const char*const*","value":null}"#);
        assert!(a.is_null());
        assert_eq!(a.as_str_list(), Some(vec![]));
    }
}
