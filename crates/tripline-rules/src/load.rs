//! Loading Sigma YAML: files, directories (recursive), multi-document text, with limits.
//! One bad document is one rejected entry; loading always goes on.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value as J;

use crate::condition::Condition;
use crate::correlation::parse_timespan;
use crate::error::{Error, Location, snippet};
use crate::modifier::Modifier;
use crate::rule::{
    CmpOp, Correlation, CorrelationType, Detection, FieldItem, Filter, Level, LogSource, Meta,
    Rule, Selection, SigmaValue,
};
use crate::settings::Settings;

/// Counters of a load; every limit hit is counted here and also reported as an [`Error`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LoadStats {
    /// Files read.
    pub files: usize,
    /// YAML documents seen.
    pub documents: usize,
    /// Detection rules accepted.
    pub rules: usize,
    /// Correlation rules accepted.
    pub correlations: usize,
    /// Meta filters accepted.
    pub filters: usize,
    /// Documents or files rejected.
    pub rejected: usize,
    /// Files over `max_file_bytes`.
    pub too_large: usize,
    /// YAML errors, including depth/size/node budgets.
    pub yaml_errors: usize,
    /// Directories not entered because of `max_dir_depth`.
    pub dir_depth_exceeded: usize,
}

/// A collection of loaded (not yet compiled) Sigma documents.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    settings: Settings,
    /// Detection rules.
    pub rules: Vec<Rule>,
    /// Meta filters.
    pub filters: Vec<Filter>,
    /// Correlation rules.
    pub correlations: Vec<Correlation>,
    /// Rejected files and documents, each naming file, title, id and reason.
    pub rejected: Vec<Error>,
    /// Counters.
    pub stats: LoadStats,
}

impl RuleSet {
    /// An empty set with the given limits.
    pub fn new(settings: Settings) -> Self {
        RuleSet {
            settings,
            ..RuleSet::default()
        }
    }

    /// The settings in force.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// Loads a `.yml`/`.yaml` file, or every such file under a directory (recursively, in
    /// sorted order).
    pub fn load_path(&mut self, path: impl AsRef<Path>) -> &mut Self {
        self.load_path_depth(path.as_ref(), 0);
        self
    }

    fn load_path_depth(&mut self, path: &Path, depth: usize) {
        if path.is_dir() {
            if depth >= self.settings.max_dir_depth {
                self.stats.dir_depth_exceeded += 1;
                self.reject(Error::Io {
                    path: path.display().to_string(),
                    message: format!(
                        "directory nesting over max_dir_depth {}",
                        self.settings.max_dir_depth
                    ),
                });
                return;
            }
            let mut entries: Vec<_> = match std::fs::read_dir(path) {
                Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).collect(),
                Err(e) => {
                    self.reject(Error::Io {
                        path: path.display().to_string(),
                        message: e.to_string(),
                    });
                    return;
                }
            };
            entries.sort();
            for p in entries {
                if p.is_dir() || p.extension().is_some_and(|x| x == "yml" || x == "yaml") {
                    self.load_path_depth(&p, depth + 1);
                }
            }
            return;
        }
        let name = path.display().to_string();
        match std::fs::metadata(path) {
            Ok(m) if m.len() as usize > self.settings.max_file_bytes => {
                self.stats.too_large += 1;
                self.reject(Error::TooLarge {
                    at: Location {
                        file: name,
                        ..Location::default()
                    },
                    what: "rule file",
                    actual: m.len() as usize,
                    limit: self.settings.max_file_bytes,
                });
                return;
            }
            Err(e) => {
                self.reject(Error::Io {
                    path: name,
                    message: e.to_string(),
                });
                return;
            }
            _ => {}
        }
        match std::fs::read(path) {
            Ok(bytes) => {
                self.add_bytes(&bytes, &name);
            }
            Err(e) => self.reject(Error::Io {
                path: name,
                message: e.to_string(),
            }),
        }
    }

    fn reject(&mut self, e: Error) {
        self.stats.rejected += 1;
        self.rejected.push(e);
    }

    /// Loads YAML bytes (one or more documents); `origin` names them in errors.
    pub fn add_bytes(&mut self, bytes: &[u8], origin: &str) -> &mut Self {
        match std::str::from_utf8(bytes) {
            Ok(s) => self.add_str(s, origin),
            Err(e) => {
                self.stats.files += 1;
                self.stats.yaml_errors += 1;
                let at = Location {
                    file: origin.to_string(),
                    line: 0,
                    offset: e.valid_up_to() as u64,
                };
                self.reject(Error::Yaml {
                    at,
                    message: "not UTF-8".into(),
                    snippet: crate::error::snippet_bytes(&bytes[e.valid_up_to()..]),
                });
                self
            }
        }
    }

    /// Loads YAML text (one or more documents separated by `---`); `origin` names it in errors.
    pub fn add_str(&mut self, text: &str, origin: &str) -> &mut Self {
        self.stats.files += 1;
        if text.len() > self.settings.max_file_bytes {
            self.stats.too_large += 1;
            self.reject(Error::TooLarge {
                at: Location {
                    file: origin.into(),
                    ..Location::default()
                },
                what: "rule text",
                actual: text.len(),
                limit: self.settings.max_file_bytes,
            });
            return self;
        }
        let docs = match parse_yaml(text, &self.settings) {
            Ok(d) => d,
            Err((line, message)) => {
                self.stats.yaml_errors += 1;
                let offset = line_offset(text, line);
                let snip = snippet(
                    text.get(offset as usize..)
                        .unwrap_or("")
                        .lines()
                        .next()
                        .unwrap_or(""),
                );
                self.reject(Error::Yaml {
                    at: Location {
                        file: origin.into(),
                        line,
                        offset,
                    },
                    message,
                    snippet: snip,
                });
                return self;
            }
        };
        let starts = doc_starts(text);
        for (i, doc) in docs.iter().enumerate() {
            self.stats.documents += 1;
            let (line, offset) = starts.get(i).copied().unwrap_or((1, 0));
            let at = Location {
                file: origin.to_string(),
                line,
                offset,
            };
            match classify(doc, at, &self.settings) {
                Ok(Doc::Rule(r)) => {
                    self.stats.rules += 1;
                    self.rules.push(*r);
                }
                Ok(Doc::Filter(f)) => {
                    self.stats.filters += 1;
                    self.filters.push(*f);
                }
                Ok(Doc::Correlation(c)) => {
                    self.stats.correlations += 1;
                    self.correlations.push(*c);
                }
                Err(e) => self.reject(e),
            }
        }
        self
    }
}

fn parse_yaml(text: &str, s: &Settings) -> Result<Vec<J>, (u64, String)> {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = s.max_yaml_depth;
    budget.max_documents = s.max_documents;
    budget.max_nodes = s.max_yaml_nodes;
    budget.max_reader_input_bytes = Some(s.max_file_bytes);
    let mut opts = serde_saphyr::Options::default();
    opts.budget = Some(budget);
    // YAML 1.1 reading of `00000429` and `1_000` as strings, as PyYAML/pySigma do.
    opts.leading_zero_numbers_as_strings = true;
    opts.underscored_numbers_as_strings = true;
    serde_saphyr::from_multiple_with_options::<J>(text, opts).map_err(|e| {
        let line = e.location().map(|l| l.line()).unwrap_or(0);
        let msg = e.to_string();
        (
            line,
            msg.lines().next().unwrap_or("").chars().take(200).collect(),
        )
    })
}

/// Byte offset of the start of 1-based `line`.
fn line_offset(text: &str, line: u64) -> u64 {
    if line <= 1 {
        return 0;
    }
    let mut n = 1;
    for (i, b) in text.bytes().enumerate() {
        if b == b'\n' {
            n += 1;
            if n == line {
                return i as u64 + 1;
            }
        }
    }
    text.len() as u64
}

/// (line, offset) of the first content line of each non-empty document.
fn doc_starts(text: &str) -> Vec<(u64, u64)> {
    let mut out = Vec::new();
    let mut pending: Option<(u64, u64)> = None;
    let mut have_content = false;
    let mut off = 0u64;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        let t = line.trim_end();
        if t == "---" || t.starts_with("--- ") {
            pending = None;
            have_content = false;
        } else if !have_content
            && !t.trim_start().is_empty()
            && !t.trim_start().starts_with('#')
            && !t.starts_with('%')
        {
            have_content = true;
            pending.get_or_insert((i as u64 + 1, off));
            if let Some(p) = pending.take() {
                out.push(p);
            }
        }
        off += line.len() as u64;
    }
    out
}

enum Doc {
    Rule(Box<Rule>),
    Filter(Box<Filter>),
    Correlation(Box<Correlation>),
}

struct Ctx {
    at: Location,
    title: String,
    id: String,
}

impl Ctx {
    fn err(&self, reason: impl Into<String>) -> Error {
        Error::Rule {
            at: self.at.clone(),
            title: self.title.clone(),
            id: self.id.clone(),
            reason: reason.into(),
        }
    }
}

/// Parses one correlation rule document (the crate's one parser of them; used by the loader
/// through [`classify`] and by [`CorrelationSpec`](crate::correlation::CorrelationSpec)).
pub(crate) fn correlation_doc(doc: &J, at: Location, s: &Settings) -> Result<Correlation, Error> {
    if let Some(obj) = doc.as_object()
        && !obj.contains_key("correlation")
    {
        let meta = parse_meta(obj);
        return Err(Error::Rule {
            at,
            title: meta.title.clone(),
            id: meta.ident().to_string(),
            reason: "missing `correlation`".into(),
        });
    }
    match classify(doc, at.clone(), s)? {
        Doc::Correlation(c) => Ok(*c),
        // Unreachable: a mapping with a `correlation` key classifies as a correlation.
        _ => Err(Error::Rule {
            at,
            title: String::new(),
            id: "-".into(),
            reason: "not a correlation rule".into(),
        }),
    }
}

/// Parses the YAML text of exactly one document (budgets of `s`) for
/// [`CorrelationSpec::from_yaml_str`](crate::correlation::CorrelationSpec::from_yaml_str).
pub(crate) fn one_yaml_doc(text: &str, origin: &str, s: &Settings) -> Result<(J, Location), Error> {
    let mut docs = parse_yaml(text, s)
        .map_err(|(line, message)| Error::parse(origin, text, line, &message, false))?;
    let (line, offset) = doc_starts(text).first().copied().unwrap_or((1, 0));
    let at = Location {
        file: origin.to_string(),
        line,
        offset,
    };
    if docs.len() != 1 {
        return Err(Error::Rule {
            at,
            title: String::new(),
            id: "-".into(),
            reason: format!("expected one YAML document, found {}", docs.len()),
        });
    }
    Ok((docs.remove(0), at))
}

fn classify(doc: &J, at: Location, s: &Settings) -> Result<Doc, Error> {
    let Some(obj) = doc.as_object() else {
        return Err(Error::Rule {
            at,
            title: String::new(),
            id: "-".into(),
            reason: "document is not a mapping".into(),
        });
    };
    let meta = parse_meta(obj);
    let cx = Ctx {
        at,
        title: meta.title.clone(),
        id: meta.ident().to_string(),
    };
    if meta.title.is_empty() {
        return Err(cx.err("missing `title`"));
    }
    let doc = classify_body(obj, meta.clone(), &cx, s)?;
    if s.reject_v1_dates {
        for (k, v) in [("date", &meta.date), ("modified", &meta.modified)] {
            if let Some(d) = v
                && d.contains('/')
            {
                return Err(cx.err(format!(
                    "`{k}: {d}` uses the Sigma 1 date form YYYY/MM/DD; Sigma 2 requires YYYY-MM-DD"
                )));
            }
        }
    }
    Ok(doc)
}

fn classify_body(
    obj: &serde_json::Map<String, J>,
    meta: Meta,
    cx: &Ctx,
    s: &Settings,
) -> Result<Doc, Error> {
    if let Some(c) = obj.get("correlation") {
        return parse_correlation(obj, c, meta, cx, s).map(|c| Doc::Correlation(Box::new(c)));
    }
    if let Some(f) = obj.get("filter") {
        let logsource = parse_logsource(obj.get("logsource"), cx)?;
        let fo = f
            .as_object()
            .ok_or_else(|| cx.err("`filter` is not a mapping"))?;
        let rules = string_list(fo.get("rules"));
        let detection = parse_detection(fo, cx, s, &["rules"])?;
        return Ok(Doc::Filter(Box::new(Filter {
            meta,
            logsource,
            rules,
            detection,
            at: cx.at.clone(),
        })));
    }
    let det = obj
        .get("detection")
        .ok_or_else(|| cx.err("missing `detection` (and no `correlation` or `filter`)"))?;
    let logsource = parse_logsource(obj.get("logsource"), cx)?;
    let dobj = det
        .as_object()
        .ok_or_else(|| cx.err("`detection` is not a mapping"))?;
    let detection = parse_detection(dobj, cx, s, &[])?;
    Ok(Doc::Rule(Box::new(Rule {
        meta,
        logsource,
        detection,
        at: cx.at.clone(),
    })))
}

fn text_of(v: &J) -> Option<String> {
    match v {
        J::String(s) => Some(s.clone()),
        J::Number(n) => Some(n.to_string()),
        J::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

fn string_list(v: Option<&J>) -> Vec<String> {
    match v {
        Some(J::Array(a)) => a.iter().filter_map(text_of).collect(),
        Some(other) => text_of(other).into_iter().collect(),
        None => Vec::new(),
    }
}

fn parse_meta(o: &serde_json::Map<String, J>) -> Meta {
    let s = |k: &str| o.get(k).and_then(text_of);
    Meta {
        title: s("title").unwrap_or_default(),
        id: s("id").map(|x| x.trim().to_string()),
        name: s("name"),
        status: s("status"),
        description: s("description"),
        author: s("author"),
        references: string_list(o.get("references")),
        tags: string_list(o.get("tags")),
        date: s("date"),
        modified: s("modified"),
        falsepositives: string_list(o.get("falsepositives")),
        level: s("level").map(|l| Level::parse(&l)),
        license: s("license"),
    }
}

fn parse_logsource(v: Option<&J>, cx: &Ctx) -> Result<LogSource, Error> {
    let o = v
        .and_then(J::as_object)
        .ok_or_else(|| cx.err("missing or non-mapping `logsource`"))?;
    let mut ls = LogSource::default();
    for (k, v) in o {
        let t = text_of(v).unwrap_or_else(|| v.to_string());
        match k.as_str() {
            "product" => ls.product = Some(t.to_ascii_lowercase()),
            "category" => ls.category = Some(t.to_ascii_lowercase()),
            "service" => ls.service = Some(t.to_ascii_lowercase()),
            _ => {
                ls.extra.insert(k.clone(), t);
            }
        }
    }
    Ok(ls)
}

fn parse_detection(
    o: &serde_json::Map<String, J>,
    cx: &Ctx,
    s: &Settings,
    skip: &[&str],
) -> Result<Detection, Error> {
    if o.contains_key("timeframe") {
        return Err(cx.err("`timeframe` in detection is Sigma 1 aggregation syntax; use a correlation rule (Sigma 2)"));
    }
    let cond_v = o
        .get("condition")
        .ok_or_else(|| cx.err("detection has no `condition`"))?;
    let texts: Vec<String> = match cond_v {
        J::String(t) => vec![t.clone()],
        J::Array(a) if !a.is_empty() => a
            .iter()
            .map(|x| text_of(x).ok_or_else(|| cx.err("condition list entry is not a string")))
            .collect::<Result<_, _>>()?,
        _ => return Err(cx.err("`condition` must be a string or a non-empty list of strings")),
    };
    let mut conditions = Vec::new();
    for t in &texts {
        if Condition::looks_v1_aggregation(t) {
            return Err(cx.err(format!("condition `{}` uses Sigma 1 aggregation syntax (`| count() by`, `near`); use a correlation rule (Sigma 2)", snippet(t))));
        }
        if t.len() > s.max_condition_bytes {
            return Err(cx.err(format!(
                "condition is {} bytes, over max_condition_bytes {}",
                t.len(),
                s.max_condition_bytes
            )));
        }
        conditions
            .push(Condition::parse(t, s.max_condition_depth).map_err(|e| cx.err(e.to_string()))?);
    }
    let mut selections = Vec::new();
    for (name, v) in o {
        if name == "condition" || skip.contains(&name.as_str()) {
            continue;
        }
        selections.push(parse_selection(name, v, cx)?);
    }
    Ok(Detection {
        selections,
        conditions,
    })
}

fn sigma_value(v: &J) -> Option<SigmaValue> {
    Some(match v {
        J::String(s) => SigmaValue::Str(s.clone()),
        J::Number(n) => {
            if let Some(i) = n.as_i64() {
                SigmaValue::Int(i)
            } else if n.is_u64() {
                SigmaValue::Str(n.to_string())
            } else {
                SigmaValue::Float(n.as_f64()?)
            }
        }
        J::Bool(b) => SigmaValue::Bool(*b),
        J::Null => SigmaValue::Null,
        _ => return None,
    })
}

fn parse_selection(name: &str, v: &J, cx: &Ctx) -> Result<Selection, Error> {
    let mut alternatives = Vec::new();
    match v {
        J::Object(m) => alternatives.push(parse_map(name, m, cx)?),
        J::Array(items) => {
            let mut keywords = Vec::new();
            for it in items {
                match it {
                    J::Object(m) => alternatives.push(parse_map(name, m, cx)?),
                    other => keywords.push(
                        sigma_value(other)
                            .ok_or_else(|| cx.err(format!("selection `{name}`: nested list")))?,
                    ),
                }
            }
            if !keywords.is_empty() {
                alternatives.push(vec![FieldItem {
                    field: None,
                    modifiers: Vec::new(),
                    values: keywords,
                }]);
            }
        }
        other => {
            let kv = sigma_value(other)
                .ok_or_else(|| cx.err(format!("selection `{name}` has an unsupported value")))?;
            alternatives.push(vec![FieldItem {
                field: None,
                modifiers: Vec::new(),
                values: vec![kv],
            }]);
        }
    }
    if alternatives.is_empty() {
        return Err(cx.err(format!("selection `{name}` is empty")));
    }
    Ok(Selection {
        name: name.to_string(),
        alternatives,
    })
}

fn parse_map(sel: &str, m: &serde_json::Map<String, J>, cx: &Ctx) -> Result<Vec<FieldItem>, Error> {
    let mut items = Vec::new();
    for (key, v) in m {
        let mut parts = key.split('|');
        let field = parts.next().unwrap_or("");
        let mut modifiers = Vec::new();
        for p in parts {
            let m = Modifier::parse(p).ok_or_else(|| {
                cx.err(format!(
                    "selection `{sel}`, field `{field}`: unknown modifier `{p}`"
                ))
            })?;
            modifiers.push(m);
        }
        let values = match v {
            J::Array(a) => {
                if a.is_empty() {
                    return Err(cx.err(format!(
                        "selection `{sel}`, field `{field}`: empty value list"
                    )));
                }
                a.iter()
                    .map(|x| {
                        sigma_value(x).ok_or_else(|| {
                            cx.err(format!("selection `{sel}`, field `{field}`: nested value"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()?
            }
            other => vec![sigma_value(other).ok_or_else(|| {
                cx.err(format!(
                    "selection `{sel}`, field `{field}`: a mapping is not a value"
                ))
            })?],
        };
        items.push(FieldItem {
            field: (!field.is_empty()).then(|| field.to_string()),
            modifiers,
            values,
        });
    }
    Ok(items)
}

/// A number or numeric string.
fn number(v: &J) -> Option<f64> {
    v.as_f64()
        .or_else(|| text_of(v).and_then(|t| t.trim().parse().ok()))
}

fn parse_correlation(
    doc: &serde_json::Map<String, J>,
    c: &J,
    meta: Meta,
    cx: &Ctx,
    s: &Settings,
) -> Result<Correlation, Error> {
    let o = c
        .as_object()
        .ok_or_else(|| cx.err("`correlation` is not a mapping"))?;
    let ty = o
        .get("type")
        .and_then(J::as_str)
        .ok_or_else(|| cx.err("correlation without `type`"))?;
    let kind = CorrelationType::parse(ty)
        .ok_or_else(|| cx.err(format!("unknown type `{}` of correlation", snippet(ty))))?;
    let rules = string_list(o.get("rules"));
    if rules.is_empty() {
        return Err(cx.err("correlation without `rules`"));
    }
    let group_by = string_list(o.get("group-by"));
    let ts = o
        .get("timespan")
        .or_else(|| o.get("timeframe"))
        .and_then(text_of)
        .ok_or_else(|| cx.err("correlation without `timespan`"))?;
    let timespan_ns = parse_timespan(&ts).ok_or_else(|| {
        cx.err(format!(
            "timespan `{}` is not a positive <number><ms|s|m|h|d|w|M|y>",
            snippet(&ts)
        ))
    })?;
    let mut condition = Vec::new();
    let mut fields = Vec::new();
    let mut percentile = 50.0;
    let mut expression = None;
    match o.get("condition") {
        Some(J::Object(m)) => {
            for (k, v) in m {
                let op = match k.as_str() {
                    "gt" => CmpOp::Gt,
                    "gte" => CmpOp::Gte,
                    "lt" => CmpOp::Lt,
                    "lte" => CmpOp::Lte,
                    "eq" => CmpOp::Eq,
                    "neq" => CmpOp::Neq,
                    "field" => {
                        fields = match v {
                            J::String(f) => vec![f.clone()],
                            J::Array(a) if a.iter().all(J::is_string) => string_list(Some(v)),
                            _ => {
                                return Err(cx.err(
                                    "correlation `condition.field` must be a string or a list of strings",
                                ));
                            }
                        };
                        continue;
                    }
                    "percentile" => {
                        percentile = number(v).ok_or_else(|| {
                            cx.err("correlation `condition.percentile` is not a number")
                        })?;
                        continue;
                    }
                    other => {
                        return Err(cx.err(format!(
                            "unknown operator `{}` in correlation condition",
                            snippet(other)
                        )));
                    }
                };
                let n = number(v).ok_or_else(|| {
                    cx.err(format!("correlation condition `{k}` is not a number"))
                })?;
                condition.push((op, n));
            }
        }
        Some(J::String(t))
            if matches!(
                kind,
                CorrelationType::Temporal | CorrelationType::TemporalOrdered
            ) =>
        {
            expression = Some(
                Condition::parse(t, s.max_condition_depth).map_err(|e| cx.err(e.to_string()))?,
            );
        }
        Some(_) => return Err(cx.err("correlation `condition` must be a mapping")),
        None => {}
    }
    let temporal = matches!(
        kind,
        CorrelationType::Temporal | CorrelationType::TemporalOrdered
    );
    if !temporal && condition.is_empty() {
        return Err(cx.err(format!(
            "correlation type `{ty}` requires a `condition` with gt/gte/lt/lte/eq/neq"
        )));
    }
    if kind.needs_field() && fields.is_empty() {
        return Err(cx.err(format!(
            "correlation type `{ty}` requires `condition.field`"
        )));
    }
    let mut aliases = BTreeMap::new();
    match o.get("aliases") {
        None | Some(J::Null) => {}
        Some(J::Object(al)) => {
            for (alias, m) in al {
                let mm = m.as_object().ok_or_else(|| {
                    cx.err(format!("alias `{}` is not a mapping", snippet(alias)))
                })?;
                let mut per_rule = BTreeMap::new();
                for (rule, field) in mm {
                    let field = text_of(field).ok_or_else(|| {
                        cx.err(format!(
                            "alias `{}`: field for `{}` must be a string",
                            snippet(alias),
                            snippet(rule)
                        ))
                    })?;
                    per_rule.insert(rule.clone(), field);
                }
                aliases.insert(alias.clone(), per_rule);
            }
        }
        Some(_) => return Err(cx.err("correlation `aliases` must be a mapping")),
    }
    let generate = match doc.get("generate").or_else(|| o.get("generate")) {
        None | Some(J::Null) => false,
        Some(J::Bool(b)) => *b,
        Some(_) => return Err(cx.err("`generate` must be a boolean")),
    };
    Ok(Correlation {
        meta,
        kind,
        rules,
        group_by,
        timespan_ns,
        condition,
        fields,
        percentile,
        expression,
        aliases,
        generate,
        at: cx.at.clone(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_start_lines() {
        let t = "# c\ntitle: a\n---\n\ntitle: b\n";
        assert_eq!(doc_starts(t), vec![(2, 4), (5, 18)]);
    }
}
