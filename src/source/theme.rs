//! The theme's files: Tera templates and static assets, from the built-in default theme, a
//! theme folder on disk, and the site's own `templates/` and `static/` overrides, in that
//! order. Only read here; `render::theme` compiles the templates.
//!
//! The default theme is compiled into the binary so that a folder with only `site.toml` and
//! `content/` builds; a `themes/<name>/` folder on disk replaces it entirely.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use include_dir::{Dir, include_dir};
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::source::{is_ignored, linked_outside, read_text, special_file, stays_inside};
use crate::util::fs::FileStamp;

/// Where the built-in theme's templates say they come from: no folder on disk.
pub const BUILT_IN_THEME: &str = "(built-in theme)";

/// The name under which a site template reaches the theme's template it overrides:
/// `templates/base.html` can `{% extends "theme/base.html" %}`.
pub const THEME_PREFIX: &str = "theme/";

static DEFAULT_THEME: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");

/// A template's name, text and where it came from (for error messages).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateFile {
    pub name: String,
    pub text: Arc<str>,
    pub origin: PathBuf,
}

/// Where a static file's bytes come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StaticSource {
    BuiltIn(&'static [u8]),
    Disk(PathBuf, FileStamp),
}

/// The theme's and the site's templates and static files, overrides applied.
#[derive(Debug, Clone, Default)]
pub struct ThemeFiles {
    /// By template name (`story.html`, `partials/card.html`).
    pub templates: BTreeMap<String, TemplateFile>,
    /// By output path relative to the site (`style.css`).
    pub statics: BTreeMap<String, StaticSource>,
    /// What was skipped with a warning (a pipe among the theme's files), reported on every
    /// build until it is gone.
    pub warnings: Diagnostics,
}

/// Reads only the `theme` key, so loading can find the theme before `site.toml` is checked.
pub fn theme_name(config: &str) -> Option<String> {
    #[derive(serde::Deserialize)]
    struct ThemeOnly {
        theme: Option<String>,
    }
    toml::from_str::<ThemeOnly>(config).ok()?.theme
}

impl ThemeFiles {
    /// Collects the theme `name` and the site's overrides under `root`.
    pub fn load(root: &Path, name: &str) -> Result<ThemeFiles, Diagnostics> {
        let mut files = ThemeFiles::default();
        let mut problems = Diagnostics::new();
        let theme_dir = root.join("themes").join(name);
        if theme_dir.is_dir() {
            files.read_dir(root, &theme_dir.join("templates"), true, &mut problems);
            files.read_dir(root, &theme_dir.join("static"), false, &mut problems);
        } else if name == "default" {
            files.add_built_in(&DEFAULT_THEME);
        } else {
            problems.push(
                Diagnostic::error(
                    crate::site::config::CONFIG_FILE,
                    format!("the theme `{name}` does not exist"),
                )
                .with_help(format!(
                    "create themes/{name}/templates/, or remove `theme` to use the built-in default theme"
                )),
            );
        }
        files.read_dir(root, &root.join("templates"), true, &mut problems);
        files.read_dir(root, &root.join("static"), false, &mut problems);
        if problems.has_errors() {
            Err(problems)
        } else {
            files.warnings = problems;
            Ok(files)
        }
    }

    fn add_built_in(&mut self, dir: &'static Dir<'static>) {
        for file in all_files(dir) {
            let path = file.path();
            let Some(relative) = path.to_str() else {
                continue;
            };
            if let Some(name) = relative.strip_prefix("templates/") {
                let text = String::from_utf8_lossy(file.contents());
                self.templates.insert(
                    name.to_string(),
                    TemplateFile {
                        name: name.to_string(),
                        text: Arc::from(text.as_ref()),
                        origin: Path::new(BUILT_IN_THEME).join("templates").join(name),
                    },
                );
            } else if let Some(route) = relative.strip_prefix("static/") {
                self.statics
                    .insert(route.to_string(), StaticSource::BuiltIn(file.contents()));
            }
        }
    }

    fn read_dir(&mut self, root: &Path, dir: &Path, templates: bool, problems: &mut Diagnostics) {
        if !dir.is_dir() {
            return;
        }
        if let Some(diagnostic) = linked_outside(root, dir) {
            problems.push(diagnostic);
            return;
        }
        let walker = WalkDir::new(dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_ignored(e.file_name()));
        for entry in walker {
            let entry = match entry {
                Ok(entry) if entry.file_type().is_dir() => continue,
                Ok(entry) => entry,
                Err(err) => {
                    problems.push(Diagnostic::error(
                        display_path(root, err.path().unwrap_or(dir)),
                        format!("cannot read this theme file: {err}"),
                    ));
                    continue;
                }
            };
            let Some(name) = entry
                .path()
                .strip_prefix(dir)
                .ok()
                .and_then(Path::to_str)
                .map(|n| n.replace('\\', "/"))
            else {
                problems.push(Diagnostic::error(
                    display_path(root, entry.path()),
                    "the file name is not valid UTF-8",
                ));
                continue;
            };
            if entry.path_is_symlink() && !stays_inside(root, entry.path()) {
                problems.push(
                    Diagnostic::error(
                        display_path(root, entry.path()),
                        "this link points outside the site folder",
                    )
                    .with_help("copy the file into the site instead of linking to it"),
                );
                continue;
            }
            if let Some(diagnostic) = special_file(root, &entry) {
                problems.push(diagnostic);
                continue;
            }
            if templates {
                match read_text(entry.path(), root) {
                    Ok(text) => {
                        let origin = display_path(root, entry.path());
                        self.add_template(TemplateFile { name, text, origin });
                    }
                    Err(diagnostic) => problems.push(diagnostic),
                }
            } else {
                let stamp = entry
                    .metadata()
                    .map(|m| FileStamp::of(&m))
                    .unwrap_or_default();
                self.statics
                    .insert(name, StaticSource::Disk(entry.path().to_path_buf(), stamp));
            }
        }
    }
}

impl ThemeFiles {
    /// Adds a template; one that overrides the theme's keeps the theme's under
    /// [`THEME_PREFIX`], so that it can extend or include what it replaces.
    fn add_template(&mut self, file: TemplateFile) {
        if let Some(shadowed) = self.templates.insert(file.name.clone(), file) {
            let name = format!("{THEME_PREFIX}{}", shadowed.name);
            self.templates
                .entry(name.clone())
                .or_insert(TemplateFile { name, ..shadowed });
        }
    }
}

/// Every file of an embedded folder, at any depth.
fn all_files(dir: &'static Dir<'static>) -> Vec<&'static include_dir::File<'static>> {
    let mut files: Vec<_> = dir.files().collect();
    files.extend(dir.dirs().flat_map(all_files));
    files
}
