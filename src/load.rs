//! Stage 1, load: read the site's files into memory, in parallel. Nothing is parsed here.
//!
//! Reading is the only stage that touches the content and theme folders, so every I/O problem
//! (a file that is not UTF-8, one that vanished during the walk) is reported from here.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::config::CONFIG_FILE;
use crate::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::theme::ThemeFiles;

/// Everything the later stages need from disk.
#[derive(Debug)]
pub struct Sources {
    pub root: PathBuf,
    pub config: Arc<str>,
    /// Markdown files under `content/`, sorted by path.
    pub content: Vec<SourceFile>,
    /// Other files under `content/` (photos beside stories), as paths relative to `content/`.
    pub assets: Vec<PathBuf>,
    pub theme: ThemeFiles,
}

/// One Markdown file, its text normalised to LF line ends without a BOM.
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Relative to `content/`, with `/` separators: `world/talks.md`.
    pub path: PathBuf,
    /// Relative to the site root, for messages: `content/world/talks.md`.
    pub display: PathBuf,
    pub text: Arc<str>,
}

/// The content folder's name under the site root.
pub const CONTENT_DIR: &str = "content";

/// Reads `site.toml`, `content/` and the theme under `root`.
pub fn load(root: &Path) -> Result<Sources, Diagnostics> {
    let mut problems = Diagnostics::new();
    let config_path = root.join(CONFIG_FILE);
    let config = match read_text(&config_path, root) {
        Ok(text) => Some(text),
        Err(diagnostic) => {
            problems.push(diagnostic.with_help(format!(
                "run dateline in the folder that holds {CONFIG_FILE}, or pass --root"
            )));
            None
        }
    };
    let (markdown, assets) = walk_content(root, &mut problems);
    let content: Vec<SourceFile> = markdown
        .par_iter()
        .filter_map(
            |path| match read_text(&root.join(CONTENT_DIR).join(path), root) {
                Ok(text) => Some(Ok(SourceFile {
                    display: Path::new(CONTENT_DIR).join(path),
                    path: path.clone(),
                    text,
                })),
                Err(diagnostic) => Some(Err(diagnostic)),
            },
        )
        .collect::<Vec<_>>()
        .into_iter()
        .filter_map(|result| result.map_err(|d| problems.push(d)).ok())
        .collect();
    let theme_name = config
        .as_deref()
        .and_then(crate::theme::theme_name)
        .unwrap_or_else(|| "default".into());
    let theme = ThemeFiles::load(root, &theme_name).map_err(|d| problems.extend(d));
    match (config, theme) {
        (Some(config), Ok(theme)) if !problems.has_errors() => Ok(Sources {
            root: root.to_path_buf(),
            config,
            content,
            assets,
            theme,
        }),
        _ => Err(problems),
    }
}

/// Lists `content/`: Markdown files and other files, both relative to `content/`, sorted.
fn walk_content(root: &Path, problems: &mut Diagnostics) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let content_dir = root.join(CONTENT_DIR);
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    if !content_dir.is_dir() {
        problems.push(
            Diagnostic::error(CONTENT_DIR, "the site has no content/ folder")
                .with_help("create content/ and put your stories in it as .md files"),
        );
        return (markdown, assets);
    }
    let walker = WalkDir::new(&content_dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_ignored(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map_or(content_dir.clone(), Path::to_path_buf);
                problems.push(Diagnostic::error(
                    display_path(root, &path),
                    format!("cannot read this folder entry: {err}"),
                ));
                continue;
            }
        };
        if entry.file_type().is_dir() {
            continue;
        }
        let Ok(relative) = entry.path().strip_prefix(&content_dir) else {
            continue;
        };
        if relative.to_str().is_none() {
            problems.push(
                Diagnostic::error(
                    display_path(root, entry.path()),
                    "the file name is not valid UTF-8",
                )
                .with_help("rename the file using letters, digits and hyphens"),
            );
            continue;
        }
        if relative.extension().is_some_and(|e| e == "md") {
            markdown.push(relative.to_path_buf());
        } else {
            assets.push(relative.to_path_buf());
        }
    }
    (markdown, assets)
}

/// Hidden files, editor swap and backup files are never content.
pub fn is_ignored(name: &std::ffi::OsStr) -> bool {
    let name = name.to_string_lossy();
    name.starts_with('.')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || (name.starts_with('#') && name.ends_with('#'))
}

/// Reads a text file, refusing anything that is not UTF-8, and normalises line ends and BOM.
pub fn read_text(path: &Path, root: &Path) -> Result<Arc<str>, Diagnostic> {
    let display = display_path(root, path);
    let bytes = std::fs::read(path).map_err(|err| {
        Diagnostic::error(
            &display,
            format!("cannot read the file: {}", io_reason(&err)),
        )
    })?;
    let text = String::from_utf8(bytes).map_err(|err| {
        let offset = err.utf8_error().valid_up_to();
        let valid = String::from_utf8_lossy(&err.as_bytes()[..offset]);
        let (line, column) = crate::diagnostic::line_column(&valid, offset);
        Diagnostic::error(&display, "the file is not valid UTF-8 text")
            .at(line, column)
            .with_help("save the file with UTF-8 encoding in your editor")
    })?;
    Ok(Arc::from(normalize(text)))
}

/// Drops a byte-order mark and turns CRLF (Windows) line ends into LF.
fn normalize(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    if text.contains('\r') {
        text.replace("\r\n", "\n")
    } else {
        text
    }
}

/// The reason of an I/O error in plain words, without Rust's error codes.
pub fn io_reason(err: &std::io::Error) -> String {
    match err.kind() {
        std::io::ErrorKind::NotFound => "it does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => err.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_normalised() {
        assert_eq!(normalize("\u{feff}---\r\na\r\n".into()), "---\na\n");
    }

    #[test]
    fn editor_files_are_ignored() {
        for name in [
            ".hidden.md",
            "story.md~",
            ".story.md.swp",
            "#story.md#",
            "x.tmp",
        ] {
            assert!(is_ignored(name.as_ref()), "{name}");
        }
        assert!(!is_ignored("story.md".as_ref()));
    }
}
