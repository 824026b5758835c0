//! What the previous site in the output folder already holds, so that a build writes only what
//! changed.
//!
//! Rendered files are compared byte for byte with the previous site's, never trusted from a
//! record of an earlier build: a file edited by hand in `public/` is a changed file. Reading the
//! previous files costs a tenth of a second for a 10,000-story site whose files are in the page
//! cache and under a second when they are not (measured in benches/RESULTS.md), far less than writing
//! them again on a slow disk.

use std::fs;
use std::path::Path;

use rayon::prelude::*;

use crate::output::{Output, Outputs};
use crate::util::fs::FileStamp;

/// One output, and the stamp of the previous site's file at its path when that file already
/// holds it.
pub(super) struct Planned<'a> {
    pub path: &'a str,
    pub output: &'a Output,
    pub unchanged: Option<FileStamp>,
}

/// Compares every output with the file at its path in `previous` (the output folder as the last
/// build left it), in parallel.
pub(super) fn plan<'a>(outputs: &'a Outputs, previous: &Path) -> Vec<Planned<'a>> {
    let exists = previous.is_dir();
    outputs
        .files
        .par_iter()
        .map(|(path, output)| Planned {
            path,
            output,
            // A page staged while rendering was never in the previous site: no need to look.
            unchanged: if exists && !matches!(output, Output::Staged(_)) {
                unchanged(output, &previous.join(&**path))
            } else {
                None
            },
        })
        .collect()
}

/// The stamp of the file `old` when it holds what `output` would write. A copy is recognised
/// by its stamp: `write` gives it the modification time of its source, and an edit in
/// `public/` gives it another.
fn unchanged(output: &Output, old: &Path) -> Option<FileStamp> {
    // Not following links: a symbolic link put into `public/` is replaced, never published.
    let metadata = fs::symlink_metadata(old).ok()?;
    if !metadata.is_file() {
        return None;
    }
    let stamp = FileStamp::of(&metadata);
    let same = match output {
        Output::Bytes(bytes) => holds(old, &metadata, bytes),
        Output::BuiltIn(bytes) => holds(old, &metadata, bytes),
        Output::Copy(_, copied) => copied.modified.is_some() && stamp == *copied,
        Output::Staged(_) => false,
    };
    same.then_some(stamp)
}

/// Whether the file at `path` holds exactly `bytes`; the length is compared before reading.
fn holds(path: &Path, metadata: &fs::Metadata, bytes: &[u8]) -> bool {
    metadata.len() == bytes.len() as u64 && fs::read(path).is_ok_and(|old| old == bytes)
}

/// Whether `dir` holds `files` files in `folders` folders and nothing else (no link, no other
/// kind of file). Once every output is known to be in `dir`, equal counts mean that nothing was
/// added beside them.
pub(super) fn holds_only(dir: &Path, files: usize, folders: usize) -> bool {
    count(dir) == Some((files, folders))
}

/// The files and folders under `dir`, counted in parallel (a site has a folder per story);
/// `None` when it holds anything else or cannot be read.
fn count(dir: &Path) -> Option<(usize, usize)> {
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir).ok()?.collect::<Result<_, _>>().ok()?;
    entries
        .par_iter()
        .map(|entry| {
            let kind = entry.file_type().ok()?;
            if kind.is_file() {
                Some((1, 0))
            } else if kind.is_dir() {
                count(&entry.path()).map(|(files, folders)| (files, folders + 1))
            } else {
                None
            }
        })
        .try_reduce(|| (0, 0), |a, b| Some((a.0 + b.0, a.1 + b.1)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs(files: &[(&str, &str)]) -> Outputs {
        let mut outputs = Outputs::default();
        for (path, text) in files {
            outputs.insert(*path, Output::text((*text).into()));
        }
        outputs
    }

    #[test]
    fn only_files_with_the_same_bytes_are_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("a")).unwrap();
        fs::write(dir.path().join("a/same.html"), "same").unwrap();
        fs::write(dir.path().join("edited.html"), "ediTed").unwrap();
        fs::write(dir.path().join("longer.html"), "longer!").unwrap();
        let outputs = outputs(&[
            ("a/same.html", "same"),
            ("edited.html", "edited"),
            ("longer.html", "longer"),
            ("new.html", "new"),
        ]);
        let unchanged: Vec<(&str, bool)> = plan(&outputs, dir.path())
            .iter()
            .map(|p| (p.path, p.unchanged.is_some()))
            .collect();
        assert_eq!(
            unchanged,
            [
                ("a/same.html", true),
                ("edited.html", false),
                ("longer.html", false),
                ("new.html", false)
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_link_with_the_same_bytes_is_not_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("elsewhere.html"), "same").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("elsewhere.html"),
            dir.path().join("page.html"),
        )
        .unwrap();
        let outputs = outputs(&[("page.html", "same")]);
        assert!(plan(&outputs, dir.path())[0].unchanged.is_none());
    }

    #[test]
    fn a_copy_is_unchanged_only_with_its_sources_stamp() {
        let dir = tempfile::tempdir().unwrap();
        let old = dir.path().join("photo.jpg");
        fs::write(&old, "jpeg").unwrap();
        let stamp = FileStamp::of(&fs::metadata(&old).unwrap());
        let copy = |stamp| Output::Copy(dir.path().join("source.jpg"), stamp);
        assert_eq!(unchanged(&copy(stamp), &old), Some(stamp));
        let later = stamp
            .modified
            .map(|t| t + std::time::Duration::from_secs(1));
        let edited = FileStamp {
            modified: later,
            ..stamp
        };
        assert!(unchanged(&copy(edited), &old).is_none());
        assert!(unchanged(&copy(FileStamp::default()), &old).is_none());
    }

    #[test]
    fn holds_only_notices_anything_added() {
        let dir = tempfile::tempdir().unwrap();
        fs::create_dir(dir.path().join("a")).unwrap();
        fs::write(dir.path().join("a/index.html"), "a").unwrap();
        assert!(holds_only(dir.path(), 1, 1));
        fs::create_dir(dir.path().join("empty")).unwrap();
        assert!(!holds_only(dir.path(), 1, 1));
        fs::remove_dir(dir.path().join("empty")).unwrap();
        fs::write(dir.path().join("notes.txt"), "mine").unwrap();
        assert!(!holds_only(dir.path(), 1, 1));
    }
}
