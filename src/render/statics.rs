//! The files published as they are: theme assets, files beside stories, encoded photos, and
//! the code stylesheet when a body has code.

use std::sync::Arc;

use rustc_hash::FxHashSet as HashSet;

use std::path::Path;

use crate::assets::Images;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Newsroom;
use crate::output::{Output, Outputs};
use crate::source::CONTENT_DIR;
use crate::source::theme::{StaticSource, ThemeFiles};

/// Theme assets, files beside stories, and the code stylesheet when any body has code. Returns
/// the paths whose output they replaced (a static file at a page's path wins, on purpose: a
/// site's own `robots.txt`), and an error for each file under `content/` that stands where a
/// generated file goes (`content/index.html` over the front page, `content/feed.xml` over
/// the feed), which would replace it without a word.
pub(super) fn add_static_files(
    newsroom: &Newsroom,
    images: &Images,
    files: &ThemeFiles,
    outputs: &mut Outputs,
) -> (HashSet<Arc<str>>, Diagnostics) {
    let mut replaced = HashSet::default();
    for (path, source) in &files.statics {
        let output = match source {
            StaticSource::BuiltIn(bytes) => Output::BuiltIn(bytes),
            StaticSource::Disk(file, stamp) => Output::Copy(file.clone(), *stamp),
        };
        add(outputs, &mut replaced, path, output);
    }
    // A file under content/ may not stand where a generated page, feed or theme file is.
    let mut problems = Diagnostics::new();
    for asset in &newsroom.assets {
        let source = newsroom.content_dir.join(&asset.source);
        if let Some(occupant) = outputs.occupant(&asset.output) {
            problems.push(
                Diagnostic::error(
                    Path::new(CONTENT_DIR).join(&asset.source),
                    format!("this file would replace `/{occupant}`, which Dateline makes"),
                )
                .with_help(
                    "rename or move it; files under content/ are published at their own path",
                ),
            );
            continue;
        }
        add(
            outputs,
            &mut replaced,
            &asset.output,
            Output::Copy(source, asset.stamp),
        );
    }
    // After the assets: a re-encoded image replaces its original, metadata and all.
    for (output, file, stamp) in &images.files {
        add(
            outputs,
            &mut replaced,
            output,
            Output::Copy(file.clone(), *stamp),
        );
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
    (replaced, problems)
}

/// Adds an output, remembering the path when it replaced one.
fn add(outputs: &mut Outputs, replaced: &mut HashSet<Arc<str>>, path: &str, output: Output) {
    if outputs.insert(path, output).is_some() {
        replaced.insert(Arc::from(path));
    }
}
