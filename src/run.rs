//! One call from paths and rule files to a [`Report`]: what the main example does, as a
//! library so tests and other programs run exactly the same path.
//!
//! ```no_run
//! use tripline::run::{RunOptions, lab_dir};
//!
//! let opts = RunOptions { paths: vec![lab_dir()], ..RunOptions::default() };
//! let report = tripline::run::prepare(&opts).unwrap().run(|_| {});
//! for f in &report.findings {
//!     println!("{}", f.message.as_deref().unwrap_or(""));
//! }
//! ```

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::AtomicU64;

use tripline_rules::findings::SuppressionSet;
use tripline_rules::{RuleSet, Settings};

use crate::pipeline::{Pipeline, PipelineSettings, PipelineStats, Report, load_attribution_pack};
use crate::source::{Input, Sources};

/// The embedded lab scenario (`examples/data/lab` of this package).
pub fn lab_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/lab"))
}

/// What to run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Input files or directories (`-` for stdin).
    pub paths: Vec<PathBuf>,
    /// More Sigma rule files or directories.
    pub rules: Vec<PathBuf>,
    /// Whether the attribution pack (`rules/tripline/`) is loaded. Default true.
    pub pack: bool,
    /// A suppression file (YAML or JSON).
    pub suppress: Option<PathBuf>,
    /// Pipeline limits.
    pub settings: PipelineSettings,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            paths: Vec::new(),
            rules: Vec::new(),
            pack: true,
            suppress: None,
            settings: PipelineSettings::default(),
        }
    }
}

/// A pipeline with its inputs open, ready to run.
#[derive(Debug)]
pub struct Prepared {
    /// The pipeline.
    pub pipeline: Pipeline,
    /// The event inputs.
    pub inputs: Vec<Input>,
    /// Bytes read so far over all inputs.
    pub bytes_read: Arc<AtomicU64>,
    /// Total size of the input files.
    pub total_bytes: u64,
    /// The suppressions to apply at the end.
    pub suppressions: Option<SuppressionSet>,
    /// Inputs that could not be opened or recognized, and inspect files loaded.
    pub notes: Vec<String>,
}

/// Opens the inputs, loads the rules and the suppressions. Fails only when the suppression
/// file cannot be read (bad rules are reported in [`Pipeline::rejected`]).
pub fn prepare(opts: &RunOptions) -> Result<Prepared, String> {
    let mut rules = RuleSet::new(Settings::default());
    if opts.pack {
        load_attribution_pack(&mut rules);
    }
    for r in &opts.rules {
        rules.load_path(r);
    }
    let suppressions = match &opts.suppress {
        Some(p) => Some(SuppressionSet::from_path(p).map_err(|e| e.to_string())?),
        None => None,
    };
    let mut sources = Sources::new();
    for p in &opts.paths {
        if p.as_os_str() == "-" {
            sources.add_reader("-", Box::new(std::io::stdin()), None);
        } else {
            sources.add_path(p, None);
        }
    }
    let mut notes: Vec<String> = sources.errors().iter().map(ToString::to_string).collect();
    notes.extend(
        sources
            .inspect_files()
            .iter()
            .map(|f| format!("{f}: docker inspect, loaded into the enrichment cache")),
    );
    let bytes_read = sources.bytes_read();
    let total_bytes = sources.total_bytes();
    let (inputs, cache) = sources.into_parts();
    let pipeline = Pipeline::new(&rules, cache, opts.settings.clone());
    Ok(Prepared {
        pipeline,
        inputs,
        bytes_read,
        total_bytes,
        suppressions,
        notes,
    })
}

impl Prepared {
    /// Runs to the end; `progress` is called every few thousand events.
    pub fn run(mut self, progress: impl FnMut(&PipelineStats)) -> Report {
        if let Some(s) = self.suppressions.take() {
            self.pipeline.set_suppressions(s, chrono::Utc::now());
        }
        self.pipeline.run(self.inputs, progress);
        self.pipeline.finish()
    }
}
