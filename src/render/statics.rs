//! The files published as they are: theme assets, files beside stories, encoded photos, and
//! the code stylesheet when a body has code.

use std::sync::Arc;

use rustc_hash::FxHashSet as HashSet;

use crate::assets::Images;
use crate::model::Newsroom;
use crate::output::{Output, Outputs};
use crate::source::theme::{StaticSource, ThemeFiles};

/// Theme assets, files beside stories, and the code stylesheet when any body has code. Returns
/// the paths whose output they replaced (a static file at a page's path wins).
pub(super) fn add_static_files(
    newsroom: &Newsroom,
    images: &Images,
    files: &ThemeFiles,
    outputs: &mut Outputs,
) -> HashSet<Arc<str>> {
    let mut replaced = HashSet::default();
    let mut add = |path: &str, output: Output| {
        if outputs.insert(path, output).is_some() {
            replaced.insert(Arc::from(path));
        }
    };
    for (path, source) in &files.statics {
        let output = match source {
            StaticSource::BuiltIn(bytes) => Output::BuiltIn(bytes),
            StaticSource::Disk(file, stamp) => Output::Copy(file.clone(), *stamp),
        };
        add(path, output);
    }
    for asset in &newsroom.assets {
        let source = newsroom.content_dir.join(&asset.source);
        add(&asset.output, Output::Copy(source, asset.stamp));
    }
    // After the assets: a re-encoded image replaces its original, metadata and all.
    for (output, file, stamp) in &images.files {
        add(output, Output::Copy(file.clone(), *stamp));
    }
    let has_code = newsroom
        .stories
        .iter()
        .chain(&newsroom.pages)
        .any(|s| s.body.has_code);
    if has_code
        && !outputs
            .files
            .contains_key(crate::parse::highlight::STYLESHEET)
    {
        outputs.insert(
            crate::parse::highlight::STYLESHEET,
            Output::BuiltIn(crate::parse::highlight::stylesheet().as_bytes()),
        );
    }
    replaced
}
