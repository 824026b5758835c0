//! What the hardening tests add to the shared harness (`tests/cli/harness.rs`, here
//! `crate::harness`, which gives them its sites, its launcher with a timeout and its clock): a
//! site made of given files, an in-process build that returns the rendered bytes (fast, for the
//! property tests), and the staging folders a failed build may leave.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use dateline::build::run;
use dateline::output::Output;

use crate::harness::{Site, build_options};

/// The smallest `site.toml`: no time zone, no sections, nothing that a hostile input could lean
/// on.
pub const SITE_TOML: &str = "title = \"Test Gazette\"\nbase_url = \"https://news.example.org/\"\n";

/// A site in a temporary folder with [`SITE_TOML`], an empty `content/` and the given files.
pub fn site(files: &[(&str, &[u8])]) -> Site {
    let site = Site::with_config(SITE_TOML);
    for (path, bytes) in files {
        site.file(path, bytes);
    }
    site
}

/// Builds the site in `root` in-process as of the harness's NOW; the rendered files by output
/// path, or the errors.
pub fn build_in_process(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let built = run(&build_options(root)).map_err(|errors| format!("{errors:?}"))?;
    Ok(built
        .outputs
        .files
        .iter()
        .filter_map(|(path, output)| match output {
            Output::Bytes(bytes) => Some((path.to_string(), bytes.to_vec())),
            _ => None,
        })
        .collect())
}

/// Names in `dir` that look like a staging folder of an interrupted or failed build.
pub fn staging_leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("list the folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("staging"))
        .collect()
}
