//! Stage 1, load: read the site's files into memory, in parallel. Nothing is parsed here.
//!
//! Reading is the only stage that touches the content and theme folders, so every I/O problem
//! (a file that is not UTF-8, one that vanished during the walk) is reported from here.

pub mod theme;

use std::collections::BTreeMap;
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::site::config::CONFIG_FILE;
use crate::source::theme::ThemeFiles;
use crate::util::fs::FileStamp;
use crate::util::fs::io_reason;

/// Everything the later stages need from disk.
#[derive(Debug)]
pub struct Sources {
    pub root: PathBuf,
    pub config: Arc<str>,
    /// Markdown files under `content/`, by path relative to `content/`.
    pub content: BTreeMap<PathBuf, Arc<SourceFile>>,
    /// Other files under `content/` (photos beside stories), relative to `content/`.
    pub assets: BTreeMap<PathBuf, FileStamp>,
    /// Content files that could not be read, with why; reported on every build until fixed.
    pub unreadable: BTreeMap<PathBuf, Diagnostic>,
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
    /// A hash of `text`, computed once when read: rebuilds compare files by it.
    pub hash: u64,
}

/// The content folder's name under the site root.
pub const CONTENT_DIR: &str = "content";

/// Reads `site.toml`, `content/` and the theme under `root`. Files that cannot be read are
/// kept in `unreadable`; only a missing `site.toml`, `content/` or theme fails the load.
pub fn load(root: &Path) -> Result<Sources, Diagnostics> {
    let mut problems = Diagnostics::new();
    let config = read_config(root).map_err(|d| problems.push(d)).ok();
    let content_dir = root.join(CONTENT_DIR);
    if !content_dir.is_dir() {
        problems.push(
            Diagnostic::error(CONTENT_DIR, "the site has no content/ folder")
                .with_help("create content/ and put your stories in it as .md files"),
        );
    }
    let theme_name = config
        .as_deref()
        .and_then(crate::source::theme::theme_name)
        .unwrap_or_else(|| "default".into());
    let theme = ThemeFiles::load(root, &theme_name).map_err(|d| problems.extend(d));
    let (Some(config), Ok(theme)) = (config, theme) else {
        return Err(problems);
    };
    if problems.has_errors() {
        return Err(problems);
    }
    let mut sources = Sources {
        root: root.to_path_buf(),
        config,
        content: BTreeMap::new(),
        assets: BTreeMap::new(),
        unreadable: BTreeMap::new(),
        theme,
    };
    sources.add_folder(&content_dir);
    Ok(sources)
}

fn read_config(root: &Path) -> Result<Arc<str>, Diagnostic> {
    let path = root.join(CONFIG_FILE);
    let help = format!(
        "run dateline in the folder that holds {CONFIG_FILE}, pass --root DIR, or start a new \
         site with `dateline init`"
    );
    if !path.exists() {
        return Err(Diagnostic::error(
            display_path(root, &path),
            format!("{CONFIG_FILE} does not exist: this folder is not a Dateline site"),
        )
        .with_help(help));
    }
    read_text(&path, root).map_err(|diagnostic| diagnostic.with_help(help))
}

/// The entries of `map` at or under `prefix`: one file, or a folder and everything in it.
/// Paths order by their components, so these are one run of the map, found without walking
/// the ten thousand others.
pub fn under<'a, V>(
    map: &'a BTreeMap<PathBuf, V>,
    prefix: &'a Path,
) -> impl Iterator<Item = (&'a PathBuf, &'a V)> {
    map.range::<Path, _>((Bound::Included(prefix), Bound::Unbounded))
        .take_while(move |(path, _)| path.starts_with(prefix))
}

fn remove_under<V>(map: &mut BTreeMap<PathBuf, V>, prefix: &Path) {
    let gone: Vec<PathBuf> = under(map, prefix).map(|(path, _)| path.clone()).collect();
    for path in gone {
        map.remove(&path);
    }
}

impl Sources {
    /// Re-reads what changed at `path` (a file or folder under `content/`, or gone).
    pub fn refresh_content(&mut self, path: &Path) {
        let Ok(relative) = path.strip_prefix(self.root.join(CONTENT_DIR)) else {
            return;
        };
        remove_under(&mut self.content, relative);
        remove_under(&mut self.assets, relative);
        remove_under(&mut self.unreadable, relative);
        // Only names inside content/ count: the site itself may live in a hidden folder.
        let ignored = relative.iter().any(is_ignored);
        if path.exists() && !ignored {
            self.add_folder(path);
        }
    }

    /// Re-reads `site.toml` and the theme.
    pub fn refresh_config_and_theme(&mut self) -> Result<(), Diagnostics> {
        let config = read_config(&self.root).map_err(|d| Diagnostics::from_iter([d]))?;
        let name = crate::source::theme::theme_name(&config).unwrap_or_else(|| "default".into());
        self.theme = ThemeFiles::load(&self.root, &name)?;
        self.config = config;
        Ok(())
    }

    /// Walks a folder (or one file) of `content/`, reading its Markdown files in parallel.
    fn add_folder(&mut self, dir: &Path) {
        let (markdown, assets, problems) = walk_content(&self.root, dir);
        self.assets.extend(assets);
        self.unreadable.extend(problems);
        let root = &self.root;
        let read: Vec<(PathBuf, Result<SourceFile, Diagnostic>)> = markdown
            .into_par_iter()
            .map(|path| {
                let file = read_source(root, &path);
                (path, file)
            })
            .collect();
        let mut files = Vec::with_capacity(read.len());
        for (path, file) in read {
            match file {
                Ok(file) => files.push((path, Arc::new(file))),
                Err(diagnostic) => {
                    self.unreadable.insert(path, diagnostic);
                }
            }
        }
        // Built from the walk's sorted list in one pass, a map of ten thousand paths costs a
        // fraction of as many inserts, each comparing paths component by component.
        if self.content.is_empty() {
            self.content = files.into_iter().collect();
        } else {
            self.content.extend(files);
        }
    }
}

fn read_source(root: &Path, path: &Path) -> Result<SourceFile, Diagnostic> {
    let text = read_text(&root.join(CONTENT_DIR).join(path), root)?;
    Ok(SourceFile {
        display: Path::new(CONTENT_DIR).join(path),
        path: path.to_path_buf(),
        hash: crate::util::hash::hash_of(&text),
        text,
    })
}

fn non_utf8_name(path: &Path, root: &Path) -> Diagnostic {
    Diagnostic::error(display_path(root, path), "the file name is not valid UTF-8")
        .with_help("rename the file using letters, digits and hyphens")
}

/// Markdown files, other files with their stamps, and entries that cannot be read.
type Walked = (
    Vec<PathBuf>,
    Vec<(PathBuf, FileStamp)>,
    Vec<(PathBuf, Diagnostic)>,
);

/// Lists a folder of `content/`: Markdown files, other files (both relative to `content/`,
/// sorted) and entries that cannot be read.
fn walk_content(root: &Path, dir: &Path) -> Walked {
    let content_dir = root.join(CONTENT_DIR);
    let mut markdown = Vec::new();
    let mut assets = Vec::new();
    let mut problems = Vec::new();
    if let Some(diagnostic) = linked_outside(root, dir) {
        problems.push((PathBuf::new(), diagnostic));
        return (markdown, assets, problems);
    }
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !is_ignored(entry.file_name()));
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(err) => {
                let path = err.path().map_or(dir.to_path_buf(), Path::to_path_buf);
                let relative = path
                    .strip_prefix(&content_dir)
                    .unwrap_or(&path)
                    .to_path_buf();
                let diagnostic = Diagnostic::error(
                    display_path(root, &path),
                    format!("cannot read this folder entry: {err}"),
                );
                problems.push((relative, diagnostic));
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
            problems.push((relative.to_path_buf(), non_utf8_name(entry.path(), root)));
        } else if entry.path_is_symlink() && entry.path().is_dir() {
            let diagnostic = Diagnostic::warning(
                display_path(root, entry.path()),
                "links to folders are not followed",
            )
            .with_help("move the folder into content/ instead of linking to it");
            problems.push((relative.to_path_buf(), diagnostic));
        } else if entry.path_is_symlink() && entry.path().canonicalize().is_err() {
            // A broken link, or one that loops: saying "outside the site" would mislead.
            let diagnostic = Diagnostic::error(
                display_path(root, entry.path()),
                "this link leads nowhere: its target is missing or it links back to itself",
            )
            .with_help("point the link at a file inside the site, or delete it");
            problems.push((relative.to_path_buf(), diagnostic));
        } else if entry.path_is_symlink() && !stays_inside(root, entry.path()) {
            let diagnostic = Diagnostic::error(
                display_path(root, entry.path()),
                "this link points outside the site folder",
            )
            .with_help("copy the file into content/ instead of linking to it");
            problems.push((relative.to_path_buf(), diagnostic));
        } else if let Some(diagnostic) = special_file(root, &entry) {
            problems.push((relative.to_path_buf(), diagnostic));
        } else if relative.extension().is_some_and(|e| e == "md") {
            markdown.push(relative.to_path_buf());
        } else {
            let stamp = entry
                .metadata()
                .map(|m| FileStamp::of(&m))
                .unwrap_or_default();
            assets.push((relative.to_path_buf(), stamp));
        }
    }
    (markdown, assets, problems)
}

/// An error when the site folder `dir` (`content/`, `static/`, a theme) is itself a link, or
/// lies under one, that leads out of the site root: its files would be published from
/// elsewhere, which the rule for links inside these folders already refuses.
pub(crate) fn linked_outside(root: &Path, dir: &Path) -> Option<Diagnostic> {
    if !dir.is_dir() || stays_inside(root, dir) {
        return None;
    }
    Some(
        Diagnostic::error(
            display_path(root, dir),
            "this folder is a link to a folder outside the site",
        )
        .with_help("move or copy the folder into the site instead of linking to it"),
    )
}

/// A warning for a FIFO, socket or device (or a link to one): reading it could wait forever
/// or never end, and it is no file to publish, so it is skipped.
pub(crate) fn special_file(root: &Path, entry: &walkdir::DirEntry) -> Option<Diagnostic> {
    let metadata = std::fs::metadata(entry.path()).ok()?;
    if metadata.is_file() || metadata.is_dir() {
        return None;
    }
    Some(
        Diagnostic::warning(
            display_path(root, entry.path()),
            "this is not a regular file (a pipe, socket or device), so it is skipped",
        )
        .with_help("remove it from the site folder"),
    )
}

/// Whether a symbolic link resolves to a file inside the site root.
pub fn stays_inside(root: &Path, link: &Path) -> bool {
    match (root.canonicalize(), link.canonicalize()) {
        (Ok(root), Ok(target)) => target.starts_with(root),
        _ => false,
    }
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
    let text = String::from_utf8(bytes)
        .map_err(|err| not_utf8(display, err.as_bytes(), err.utf8_error().valid_up_to()))?;
    Ok(Arc::from(normalize(text)))
}

/// The error for a text file that is not UTF-8, at the first byte that is not, naming the
/// encoding a word processor most likely saved it in: UTF-16 (Word's and Notepad's
/// "Unicode") by its byte-order mark, else the Windows "Western" encoding, with the
/// character that byte stands for there, so the editor sees which letter it is.
fn not_utf8(display: PathBuf, bytes: &[u8], offset: usize) -> Diagnostic {
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Diagnostic::error(
            display,
            "the file is saved as UTF-16 (\"Unicode\"), not UTF-8",
        )
        .at(1, 1)
        .with_help("save it again as UTF-8 (in Word: Plain Text, encoding Unicode (UTF-8))");
    }
    let valid = String::from_utf8_lossy(&bytes[..offset]);
    let (line, column) = crate::diagnostic::line_column(&valid, offset);
    let byte = &bytes[offset..(offset + 1).min(bytes.len())];
    let (western, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(byte);
    Diagnostic::error(
        display,
        format!(
            "the file is not UTF-8 text: it looks saved in the older Windows \"Western\" \
             encoding, where this byte is `{}`",
            crate::util::text::printable(&western)
        ),
    )
    .at(line, column)
    .with_help(
        "save it again with UTF-8 encoding (in most editors: Save As, Encoding, UTF-8); the \
         text stays the same",
    )
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn under_finds_a_folder_and_only_its_files() {
        let map: BTreeMap<PathBuf, ()> = [
            "a.md",
            "world",
            "world/a.md",
            "world/b/c.md",
            "world-x/a.md",
            "world.md",
            "worlds/a.md",
        ]
        .into_iter()
        .map(|p| (PathBuf::from(p), ()))
        .collect();
        let found = |prefix: &str| -> Vec<String> {
            under(&map, Path::new(prefix))
                .map(|(p, _)| p.to_str().unwrap().to_string())
                .collect()
        };
        assert_eq!(found("world"), ["world", "world/a.md", "world/b/c.md"]);
        assert_eq!(found("world/a.md"), ["world/a.md"]);
        assert_eq!(found("world.md"), ["world.md"]);
        assert!(found("sport").is_empty());
    }

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
