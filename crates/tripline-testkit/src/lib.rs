//! Test support shared by the Tripline crates.
//!
//! Tests that read the shared corpus (`../shared/corpus` beside the checkout) or call an
//! external oracle (`ausearch`) use these helpers. When the resource is missing the test is
//! skipped with a printed notice, unless `TRIPLINE_REQUIRE_CORPUS=1` or
//! `TRIPLINE_REQUIRE_ORACLES=1` is set (as `.ci/run` does), in which case it fails: CI can
//! never pass by skipping.
//!
//! ```
//! if let Some(dir) = tripline_testkit::corpus("auditd") {
//!     assert!(dir.is_dir());
//! }
//! ```

use std::path::{Path, PathBuf};

/// The workspace root (the directory holding the top-level `Cargo.toml`).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .ancestors()
        .nth(2)
        .expect("testkit lives at crates/tripline-testkit")
        .to_path_buf()
}

/// The shared corpus root: `$TRIPLINE_CORPUS`, else `<workspace>/../shared/corpus`.
pub fn corpus_root() -> PathBuf {
    match std::env::var_os("TRIPLINE_CORPUS") {
        Some(p) => PathBuf::from(p),
        None => workspace_root().join("..").join("shared").join("corpus"),
    }
}

fn flag(name: &str) -> bool {
    matches!(
        std::env::var(name).as_deref(),
        Ok("1") | Ok("true") | Ok("yes")
    )
}

/// A subdirectory of the shared corpus, or `None` (with a notice) when it is absent.
///
/// # Panics
/// When the corpus is absent and `TRIPLINE_REQUIRE_CORPUS=1`.
pub fn corpus(sub: &str) -> Option<PathBuf> {
    let dir = corpus_root().join(sub);
    if dir.exists() {
        return Some(dir);
    }
    if flag("TRIPLINE_REQUIRE_CORPUS") {
        panic!(
            "shared corpus {} is missing and TRIPLINE_REQUIRE_CORPUS=1",
            dir.display()
        );
    }
    eprintln!(
        "notice: shared corpus {} not found; skipping (set TRIPLINE_CORPUS)",
        dir.display()
    );
    None
}

/// Every regular file directly inside a corpus subdirectory, sorted, or `None` when absent.
pub fn corpus_files(sub: &str) -> Option<Vec<PathBuf>> {
    let dir = corpus(sub)?;
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("reading {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Some(files)
}

/// The path of an external program found on `PATH` (or in `/sbin`, `/usr/sbin`), or `None`
/// with a notice.
///
/// # Panics
/// When the program is absent and `TRIPLINE_REQUIRE_ORACLES=1`.
pub fn oracle(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    dirs.push(PathBuf::from("/sbin"));
    dirs.push(PathBuf::from("/usr/sbin"));
    if let Some(found) = dirs.iter().map(|d| d.join(program)).find(|p| p.is_file()) {
        return Some(found);
    }
    if flag("TRIPLINE_REQUIRE_ORACLES") {
        panic!("oracle `{program}` is not installed and TRIPLINE_REQUIRE_ORACLES=1");
    }
    eprintln!("notice: oracle `{program}` not installed; skipping");
    None
}

/// A file under the calling crate's `tests/` directory, given that crate's manifest dir.
pub fn fixture(manifest_dir: &str, rel: &str) -> PathBuf {
    Path::new(manifest_dir).join("tests").join(rel)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_root_has_manifest() {
        assert!(workspace_root().join("Cargo.toml").is_file());
        assert!(workspace_root().join("crates").is_dir());
    }

    #[test]
    fn fixture_path_is_under_tests() {
        let p = fixture("/x/y", "golden/a.json");
        assert_eq!(p, PathBuf::from("/x/y/tests/golden/a.json"));
    }
}
