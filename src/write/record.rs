//! The record a build leaves of the pages it published: each page's path, the key of what it
//! shows (the same key the render cache uses) and the stamp of its file in the output folder.
//!
//! With it, the next `dateline build` keeps a page whose key is unchanged and whose file is
//! still the one the record names, without rendering it: the page is hard-linked from the
//! previous site like any unchanged file. Rebuilding a 10,000-story site with nothing changed is
//! then bound by reading and parsing the sources, not by the templates.
//!
//! The record is only ever a hint. Keys include everything a page is rendered from, and the
//! record names the build's context (the Dateline binary, `site.toml`, the templates, the
//! publishing options, the processed images), so a record from another binary or another
//! configuration keeps nothing. A page file edited,
//! replaced or deleted in the output folder no longer has its recorded stamp and is rendered
//! again. A missing or unreadable record keeps nothing.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use crate::output::{KeptPages, Output};
use crate::util::fs::FileStamp;

/// Where records are kept, beside the image cache; one file per output folder.
const RECORD_DIR: &str = ".dateline-cache/pages";
const HEADER: &str = "dateline page record 1";

/// The pages of the site in an output folder, as the build that wrote it recorded them.
#[derive(Debug, Default)]
pub struct PreviousPages {
    dir: PathBuf,
    /// The context of this build, which its own record will name.
    context: u64,
    pages: HashMap<String, (u64, FileStamp)>,
}

/// What a build rendered: every page's output path with its key, under the build's context.
#[derive(Debug, Default, Clone)]
pub struct PageRecord {
    pub context: u64,
    pub pages: Vec<(Arc<str>, u64)>,
}

impl PreviousPages {
    /// The record for `output` made under `context`; empty when there is none, it was made
    /// under another context, or the output folder is gone (a clean build).
    pub fn load(root: &Path, output: &Path, context: u64) -> PreviousPages {
        let dir = super::absolute(output);
        let pages = if dir.is_dir() {
            fs::read_to_string(record_path(root, &dir))
                .ok()
                .and_then(|text| parse(&text, context))
                .unwrap_or_default()
        } else {
            HashMap::new()
        };
        PreviousPages {
            dir,
            context,
            pages,
        }
    }

    /// This build's record of `pages` (paths and keys), to save once the site is written.
    pub fn record(&self, pages: Vec<(Arc<str>, u64)>) -> PageRecord {
        PageRecord {
            context: self.context,
            pages,
        }
    }

    /// The previous site's file for the page at `path` when it was rendered from the same
    /// inputs (`key`) and is still the file that was written then.
    pub fn keep_page(&self, path: &str, key: u64) -> Option<Output> {
        let (recorded, stamp) = self.pages.get(path)?;
        if *recorded != key {
            return None;
        }
        let file = self.dir.join(path);
        let metadata = fs::symlink_metadata(&file).ok()?;
        (metadata.is_file() && FileStamp::of(&metadata) == *stamp)
            .then_some(Output::Copy(file, *stamp))
    }
}

impl PageRecord {
    /// Records the pages as they now are in `output`, replacing the previous record; `files`
    /// are the stamps of the files there, as `write_site` returned them. Written after the site
    /// is in place: a failed build leaves the record of the site it left.
    pub fn save(
        &self,
        root: &Path,
        output: &Path,
        files: &HashMap<&str, FileStamp>,
    ) -> io::Result<()> {
        let mut text = format!("{HEADER} {:016x}\n", self.context);
        for (path, key) in &self.pages {
            let Some(stamp) = files.get(&**path) else {
                continue;
            };
            let nanos = stamp
                .modified
                .and_then(|modified| modified.duration_since(UNIX_EPOCH).ok())
                .and_then(|since| u64::try_from(since.as_nanos()).ok());
            if let Some(nanos) = nanos
                && !path.contains('\n')
            {
                let _ = writeln!(text, "{key:016x} {nanos} {} {path}", stamp.len);
            }
        }
        let path = record_path(root, output);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        // Written aside and renamed: a build killed meanwhile leaves the old record or none.
        let partial = path.with_extension("partial");
        fs::write(&partial, text)?;
        fs::rename(&partial, &path)
    }
}

/// Whether this site root keeps a record of a build into `output`: then Dateline wrote it.
pub(super) fn exists(root: &Path, output: &Path) -> bool {
    record_path(root, output).is_file()
}

/// One record file per output folder, named by a hash of its absolute, normalised path (the
/// write stage's own), so that `public`, `./public` and `public/` share one record.
fn record_path(root: &Path, output: &Path) -> PathBuf {
    let output = super::absolute(output);
    let name = crate::util::hash::hash_of(&output.to_string_lossy());
    root.join(RECORD_DIR).join(format!("{name:016x}.txt"))
}

/// The pages of a record made under `context`; `None` for another context or a damaged record.
fn parse(text: &str, context: u64) -> Option<HashMap<String, (u64, FileStamp)>> {
    let mut lines = text.lines();
    let header = lines.next()?.strip_prefix(HEADER)?.trim();
    if u64::from_str_radix(header, 16).ok()? != context {
        return None;
    }
    lines
        .map(|line| {
            let mut fields = line.splitn(4, ' ');
            let key = u64::from_str_radix(fields.next()?, 16).ok()?;
            let nanos: u64 = fields.next()?.parse().ok()?;
            let len: u64 = fields.next()?.parse().ok()?;
            let path = fields.next()?.to_string();
            let modified = UNIX_EPOCH.checked_add(Duration::from_nanos(nanos))?;
            let stamp = FileStamp {
                modified: Some(modified),
                len,
            };
            Some((path, (key, stamp)))
        })
        .collect()
}

impl KeptPages for PreviousPages {
    fn keep(&self, path: &str, key: u64) -> Option<Output> {
        self.keep_page(path, key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A site root whose `public/` holds `pages` (each with the text "page"), recorded under
    /// context 7 as a build would record them. Returns the root and `public/`.
    fn built(pages: &[(&str, u64)]) -> (tempfile::TempDir, PathBuf) {
        let root = tempfile::tempdir().unwrap();
        let output = root.path().join("public");
        for (path, _) in pages {
            let file = output.join(path);
            fs::create_dir_all(file.parent().unwrap()).unwrap();
            fs::write(file, "page").unwrap();
        }
        let files: HashMap<&str, FileStamp> = pages
            .iter()
            .map(|(p, _)| (*p, FileStamp::of(&fs::metadata(output.join(p)).unwrap())))
            .collect();
        let record = PageRecord {
            context: 7,
            pages: pages.iter().map(|(p, k)| (Arc::from(*p), *k)).collect(),
        };
        record.save(root.path(), &output, &files).unwrap();
        (root, output)
    }

    #[test]
    fn one_output_folder_written_three_ways_shares_one_record() {
        let (root, output) = built(&[("a/index.html", 1)]);
        for spelling in ["public/", "./public", "x/../public"] {
            let output = root.path().join(spelling);
            assert!(
                kept(root.path(), &output, 7, "a/index.html", 1),
                "{spelling}"
            );
        }
        assert!(kept(root.path(), &output, 7, "a/index.html", 1));
    }

    /// Whether a build under `context` keeps the page at `path` with `key`.
    fn kept(root: &Path, output: &Path, context: u64, path: &str, key: u64) -> bool {
        PreviousPages::load(root, output, context)
            .keep(path, key)
            .is_some()
    }

    #[test]
    fn an_unchanged_page_is_kept_from_the_previous_site() {
        let (root, output) = built(&[("a/index.html", 42)]);
        let previous = PreviousPages::load(root.path(), &output, 7);
        let kept = previous.keep("a/index.html", 42);
        assert!(matches!(kept, Some(Output::Copy(path, _)) if path == output.join("a/index.html")));
        assert!(previous.keep("a/index.html", 43).is_none(), "another key");
        assert!(previous.keep("b/index.html", 42).is_none(), "not recorded");
    }

    #[test]
    fn another_context_keeps_nothing() {
        let (root, output) = built(&[("index.html", 1)]);
        assert!(!kept(root.path(), &output, 8, "index.html", 1));
        let elsewhere = root.path().join("elsewhere");
        assert!(!kept(root.path(), &elsewhere, 7, "index.html", 1));
    }

    #[test]
    fn a_page_changed_in_the_output_folder_is_not_kept() {
        let (root, output) = built(&[("index.html", 1)]);
        fs::write(output.join("index.html"), "edited by hand").unwrap();
        assert!(!kept(root.path(), &output, 7, "index.html", 1));
        fs::remove_file(output.join("index.html")).unwrap();
        assert!(!kept(root.path(), &output, 7, "index.html", 1));
    }

    #[test]
    fn a_damaged_record_keeps_nothing() {
        assert!(parse("dateline page record 1 0000000000000007\nnot a line\n", 7).is_none());
        assert!(parse("something else\n", 7).is_none());
        assert!(parse("", 7).is_none());
        let stamp = FileStamp {
            modified: Some(UNIX_EPOCH + Duration::from_nanos(5)),
            len: 3,
        };
        let pages = parse(
            "dateline page record 1 0000000000000007\n000000000000002a 5 3 a b/index.html\n",
            7,
        )
        .unwrap();
        assert_eq!(pages.get("a b/index.html"), Some(&(42, stamp)));
    }
}
