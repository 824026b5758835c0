//! The staging folder: where a site is written beside the output folder before it replaces it.
//!
//! A [`Staging`] folder that is dropped before it is published is removed, so a build that
//! fails halfway, after some pages were written, leaves the previous site as it was and nothing
//! beside it.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::ops::Bound;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use rayon::prelude::*;

use super::previous::Planned;
use super::{WriteError, absolute, io_error, stays_inside};
use crate::output::{Output, PageSink};
use crate::util::fs::FileStamp;

/// The file every build writes at the top of its output folder. A later build replaces a
/// non-empty output folder only when it finds this file there: `--output` naming a folder of
/// somebody's files is refused instead of emptying it.
pub const MARKER: &str = ".dateline-output";

const MARKER_TEXT: &str = "This folder is written by `dateline build`, which replaces all of it \
on every build. Keep nothing else here.\n";

/// A staging folder beside an output folder, removed unless it is published.
#[derive(Debug)]
pub struct Staging {
    dir: PathBuf,
    output: PathBuf,
    /// The paths written by [`Staging::put`].
    staged: Mutex<BTreeSet<String>>,
    published: bool,
}

impl Staging {
    /// A staging folder that pages can be written into while they render, when `output` holds
    /// no site yet (it is missing or empty): then no page can be linked from a previous site,
    /// every page is written anyway, and writing each as soon as it is rendered spares holding
    /// the whole site in memory. `None` when there is a site in `output`: its unchanged files
    /// are linked, not written again, once every page is rendered (see `write_site`); also
    /// when the folder that would hold the output does not exist yet, so that a build that
    /// fails leaves no folder behind.
    pub fn for_new_site(output: &Path) -> Result<Option<Staging>, WriteError> {
        let output = absolute(output);
        if !output.parent().is_some_and(Path::is_dir) {
            return Ok(None);
        }
        prepare(&output)?;
        let holds_a_site = fs::read_dir(&output).is_ok_and(|mut entries| entries.next().is_some());
        if holds_a_site {
            return Ok(None);
        }
        Staging::create(&output).map(Some)
    }

    /// An empty staging folder for `output`, once [`prepare`] has run.
    pub(super) fn create(output: &Path) -> Result<Staging, WriteError> {
        let dir = sibling(output, "staging");
        fs::create_dir(&dir).map_err(io_error("create", &dir))?;
        let staging = Staging {
            dir,
            output: output.to_path_buf(),
            staged: Mutex::default(),
            published: false,
        };
        // Written first, so no staging folder is ever published without it.
        let marker = staging.dir.join(MARKER);
        write_new(&marker, MARKER_TEXT.as_bytes())?;
        Ok(staging)
    }

    /// The output folder this staging folder is published into.
    pub(super) fn output(&self) -> &Path {
        &self.output
    }

    /// Writes a new file at `path` (relative to the site), creating its folders as needed;
    /// safe to call from many threads at once. A page is nearly always the first file of its
    /// own folder (`world/2025/05/talks/index.html`), so the folder is made first: trying the
    /// file first would fail once for every page.
    pub fn put(&self, path: &str, bytes: &[u8]) -> Result<FileStamp, WriteError> {
        let target = self.inside(path)?;
        if let Some(parent) = target.parent().filter(|parent| *parent != self.dir) {
            self.create_folder(parent)
                .map_err(io_error("create", parent))?;
        }
        let stamp = create(&target, bytes).map_err(io_error("write", &target))?;
        let mut staged = self.staged.lock().unwrap_or_else(PoisonError::into_inner);
        staged.insert(path.to_string());
        Ok(stamp)
    }

    /// Creates `folder` (inside the staging folder) and its missing parents, but never the
    /// staging folder itself: if that is gone (another build removed it as a leftover), the
    /// build fails rather than publish a site without the pages written before.
    fn create_folder(&self, folder: &Path) -> io::Result<()> {
        let exists_or = |result: io::Result<()>| match result {
            Err(err) if err.kind() == io::ErrorKind::AlreadyExists => Ok(()),
            result => result,
        };
        match fs::create_dir(folder) {
            Err(err) if err.kind() == io::ErrorKind::NotFound => match folder.parent() {
                Some(parent) if parent != self.dir && parent.starts_with(&self.dir) => {
                    self.create_folder(parent)?;
                    exists_or(fs::create_dir(folder))
                }
                _ => Err(err),
            },
            result => exists_or(result),
        }
    }

    /// Writes what `plan` still needs (its paths checked by `write_site`): a hard link to the previous site's file (in `previous`)
    /// for every unchanged output, a new file for the others and wherever linking fails (a file
    /// system without hard links). Outputs already written by [`Staging::put`] are left as they
    /// are, unless a later output replaced them (a static file at a page's path). Returns the
    /// stamp of each file, in the order of `plan`.
    pub(super) fn fill(
        &self,
        plan: &[Planned],
        folders: &BTreeSet<&str>,
        previous: &Path,
    ) -> Result<Vec<FileStamp>, WriteError> {
        let staged =
            std::mem::take(&mut *self.staged.lock().unwrap_or_else(PoisonError::into_inner));
        for file in plan {
            if !matches!(file.output, Output::Staged(_)) && staged.contains(file.path) {
                let target = self.dir.join(file.path);
                fs::remove_file(&target).map_err(io_error("replace", &target))?;
            }
        }
        // Sorted, so a folder's staged files follow its name and a `/`.
        let holds_staged = |folder: &str| {
            let prefix = format!("{folder}/");
            let mut after =
                staged.range::<str, _>((Bound::Included(prefix.as_str()), Bound::Unbounded));
            after.next().is_some_and(|path| path.starts_with(&prefix))
        };
        for folder in folders {
            let path = self.dir.join(folder);
            match fs::create_dir(&path) {
                Err(err) if err.kind() == io::ErrorKind::AlreadyExists && holds_staged(folder) => {}
                result => result.map_err(io_error("create", &path))?,
            }
        }
        plan.par_iter()
            .map(|file| {
                let target = self.dir.join(file.path);
                if let Some(stamp) = file.unchanged
                    && fs::hard_link(previous.join(file.path), &target).is_ok()
                {
                    return Ok(stamp);
                }
                match file.output {
                    Output::Bytes(bytes) => write_new(&target, bytes),
                    Output::BuiltIn(bytes) => write_new(&target, bytes),
                    Output::Copy(source, stamp) => copy(source, *stamp, &target),
                    Output::Staged(stamp) => Ok(*stamp),
                }
            })
            .collect()
    }

    /// Where `path` (relative to the site) goes in the staging folder; an error when it would
    /// lead out of it (a `..`, a root): whatever an output's path is made from, nothing is
    /// written outside the output folder.
    fn inside(&self, path: &str) -> Result<PathBuf, WriteError> {
        if stays_inside(path) {
            Ok(self.dir.join(path))
        } else {
            Err(WriteError::Escapes(path.to_string()))
        }
    }

    /// Puts the staging folder where the output folder is, keeping the old one until the new
    /// one is in place.
    pub(super) fn publish(mut self) -> Result<(), WriteError> {
        swap(&self.dir, &self.output)?;
        self.published = true;
        Ok(())
    }
}

impl PageSink for Staging {
    fn put(&self, path: &str, bytes: &[u8]) -> Result<FileStamp, String> {
        Staging::put(self, path, bytes).map_err(|err| err.to_string())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.published {
            let _ = fs::remove_dir_all(&self.dir);
        }
    }
}

/// Makes sure the output folder's parent exists, and cleans up after interrupted builds.
pub(super) fn prepare(output: &Path) -> Result<(), WriteError> {
    let parent = output.parent().unwrap_or(Path::new("/"));
    fs::create_dir_all(parent).map_err(io_error("create", parent))?;
    remove_leftovers(output);
    Ok(())
}

/// A new file: `create_new` fails rather than open an existing one, so a write can never go
/// into a file that is hard-linked from the previous site (see the module's documentation).
fn create(target: &Path, bytes: &[u8]) -> io::Result<FileStamp> {
    let mut file = File::create_new(target)?;
    file.write_all(bytes)?;
    Ok(FileStamp::of(&file.metadata()?))
}

fn write_new(target: &Path, bytes: &[u8]) -> Result<FileStamp, WriteError> {
    create(target, bytes).map_err(io_error("write", target))
}

/// Copies `source` into a new file with the source's permissions and the modification time of
/// `stamp`, which is how the next build recognises the copy as unchanged.
fn copy(source: &Path, source_stamp: FileStamp, target: &Path) -> Result<FileStamp, WriteError> {
    let mut from = File::open(source).map_err(io_error("copy", source))?;
    let mut to = File::create_new(target).map_err(io_error("write", target))?;
    io::copy(&mut from, &mut to).map_err(io_error("copy", source))?;
    let permissions = from
        .metadata()
        .map_err(io_error("copy", source))?
        .permissions();
    to.set_permissions(permissions)
        .map_err(io_error("write", target))?;
    if let Some(modified) = source_stamp.modified {
        to.set_modified(modified)
            .map_err(io_error("write", target))?;
    }
    let metadata = to.metadata().map_err(io_error("write", target))?;
    Ok(FileStamp::of(&metadata))
}

/// Puts `staging` where `output` is, keeping the old folder until the new one is in place.
/// Where the system can exchange two folders in one step (Linux), readers and a kill at any
/// moment see the old site or the new one, never none; elsewhere the old folder is moved aside
/// first, and a build stopped between the two renames is put right by the next one
/// ([`remove_leftovers`]).
fn swap(staging: &Path, output: &Path) -> Result<(), WriteError> {
    if exchange(staging, output) {
        // `staging` now holds the old site.
        let _ = remove_tree(staging);
        return Ok(());
    }
    if output.exists() {
        let old = sibling(output, "old");
        fs::rename(output, &old).map_err(io_error("move aside", output))?;
        if let Err(err) = fs::rename(staging, output) {
            let _ = fs::rename(&old, output);
            return Err(io_error("move into place", staging)(err));
        }
        // The new site is published now. An old one that cannot be removed stays beside it,
        // hidden, until the next build removes it as a leftover.
        let _ = remove_tree(&old);
        Ok(())
    } else {
        fs::rename(staging, output).map_err(io_error("move into place", staging))
    }
}

/// Exchanges two existing folders atomically; false where that cannot be done (no output
/// folder yet, a system or file system without `RENAME_EXCHANGE`), and nothing was changed.
#[cfg(target_os = "linux")]
fn exchange(staging: &Path, output: &Path) -> bool {
    use rustix::fs::{CWD, RenameFlags, renameat_with};
    output.is_dir() && renameat_with(CWD, staging, CWD, output, RenameFlags::EXCHANGE).is_ok()
}

#[cfg(not(target_os = "linux"))]
fn exchange(_staging: &Path, _output: &Path) -> bool {
    false
}

/// Removes the folder `dir` and everything in it, many entries at once: on a slow disk each
/// removal mostly waits, and removing the folders of a whole site one by one can take a minute.
/// Entries are typed without following symbolic links, so a link is removed, never followed.
fn remove_tree(dir: &Path) -> io::Result<()> {
    if fs::symlink_metadata(dir)?.file_type().is_symlink() {
        return fs::remove_file(dir);
    }
    let entries: Vec<fs::DirEntry> = fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries
        .par_iter()
        .try_for_each(|entry| match entry.file_type() {
            Ok(kind) if kind.is_dir() => remove_tree(&entry.path()),
            _ => fs::remove_file(entry.path()),
        })?;
    fs::remove_dir(dir)
}

/// `.public.staging-1234` beside `public`: hidden, unique to this process.
fn sibling(output: &Path, kind: &str) -> PathBuf {
    let name = output
        .file_name()
        .map_or_else(|| OsString::from("public"), OsString::from);
    let mut sibling_name = OsString::from(".");
    sibling_name.push(&name);
    sibling_name.push(format!(".{kind}-{}", std::process::id()));
    output.with_file_name(sibling_name)
}

/// Staging and old folders of builds that were interrupted (killed, power cut). A build
/// interrupted between its two renames in [`swap`] leaves no `output` but its previous site in
/// an old folder: that one is put back, not deleted.
fn remove_leftovers(output: &Path) {
    let (Some(parent), Some(name)) = (output.parent(), output.file_name()) else {
        return;
    };
    let prefix = format!(".{}.", name.to_string_lossy());
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else {
            continue;
        };
        let ours = ["staging-", "old-"].iter().any(|kind| {
            rest.strip_prefix(kind)
                .is_some_and(|pid| pid.parse::<u32>().is_ok())
        });
        if ours && entry.file_type().is_ok_and(|t| t.is_dir()) {
            let restored = rest.starts_with("old-")
                && !output.exists()
                && fs::rename(entry.path(), output).is_ok();
            if !restored {
                let _ = fs::remove_dir_all(entry.path());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_moved_aside_by_an_interrupted_swap_is_restored() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let old = dir.path().join(".public.old-99999");
        fs::create_dir_all(&old).unwrap();
        fs::write(old.join("index.html"), "previous").unwrap();
        remove_leftovers(&output);
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "previous"
        );
        assert!(!old.exists());
    }

    /// A temporary folder with a staging folder for its `public/`, which does not exist yet.
    fn new_site() -> (tempfile::TempDir, PathBuf, Staging) {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::for_new_site(&output).unwrap().unwrap();
        (dir, output, staging)
    }

    #[test]
    fn pages_are_staged_only_for_an_output_folder_without_a_site() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        assert!(Staging::for_new_site(&output).unwrap().is_some());
        fs::create_dir(&output).unwrap();
        assert!(Staging::for_new_site(&output).unwrap().is_some());
        fs::write(output.join("index.html"), "old").unwrap();
        assert!(Staging::for_new_site(&output).unwrap().is_none());
        // Nor for a folder that is not there yet: a failed build must not leave it.
        let deep = dir.path().join("new/deep/public");
        assert!(Staging::for_new_site(&deep).unwrap().is_none());
        assert!(!dir.path().join("new").exists());
    }

    #[test]
    fn a_staging_folder_dropped_unpublished_is_removed() {
        let (dir, _, staging) = new_site();
        staging.put("a/b/index.html", b"page").unwrap();
        drop(staging);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn nothing_is_written_outside_the_staging_folder() {
        let (dir, _, staging) = new_site();
        for path in [
            "../escaped.html",
            "a/../../escaped.html",
            "/tmp/escaped.html",
            "",
        ] {
            let refused = staging.put(path, b"page");
            assert!(matches!(refused, Err(WriteError::Escapes(_))), "{path}");
        }
        drop(staging);
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
        let outside = dir.path().parent().unwrap().join("escaped.html");
        assert!(!outside.exists());
    }

    #[test]
    fn a_staging_folder_removed_meanwhile_fails_the_build() {
        let (_dir, output, staging) = new_site();
        staging.put("a/index.html", b"page").unwrap();
        // What a second build on the same output does to the first one's staging folder.
        remove_leftovers(&output);
        assert!(staging.put("b/index.html", b"page").is_err());
        assert!(staging.publish().is_err());
        assert!(!output.exists());
    }

    #[test]
    fn put_creates_folders_even_from_many_threads() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::create(&output).unwrap();
        (0..64).into_par_iter().for_each(|i| {
            let stamp = staging
                .put(&format!("world/{}/page-{i}/index.html", i % 3), b"page")
                .unwrap();
            assert_eq!(stamp.len, 4);
        });
        staging.publish().unwrap();
        let published = dir.path().join("public/world/2/page-5/index.html");
        assert_eq!(fs::read(published).unwrap(), b"page");
    }
}
