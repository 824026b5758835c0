//! Stage 4, write: publish `Outputs` into the output folder without ever leaving it half-built.
//!
//! Files go into a staging folder beside the output, written in parallel; only when every file
//! is written is the staging folder swapped into place. A failed build leaves the previous site
//! untouched, and leftovers of an interrupted build are removed by the next one.
//!
//! A file that the previous site already holds byte for byte is not written again but
//! hard-linked from it into the staging folder, so it keeps its inode from build to build.
//! Hard links share their contents, which is why nothing here ever writes into an existing file:
//! every file in the staging folder is either such a link or created new (`create_new` fails
//! rather than open a file that is there), and the old site is only ever renamed and unlinked.
//! Writing into a linked file in place would change the published site, and the previous one,
//! at once.

mod previous;
mod record;

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use thiserror::Error;

use self::previous::{Planned, holds_only, plan};
pub use self::record::{PageRecord, PreviousPages};
use crate::output::{FileStamp, Output, Outputs};

#[derive(Debug, Error)]
pub enum WriteError {
    #[error(
        "the output folder {0} cannot be the site root or one of its parents: it would delete your site"
    )]
    ContainsSite(PathBuf),
    #[error("the output folder {0} is inside {1}/, which holds your sources")]
    InsideSources(PathBuf, &'static str),
    #[error("the output folder {0} is outside the site root; name it with --output to allow that")]
    OutsideRoot(PathBuf),
    #[error("{0} exists and is not a folder")]
    NotAFolder(PathBuf),
    #[error("cannot {action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: io::Error,
    },
}

fn io_error<'p>(
    action: &'static str,
    path: &'p Path,
) -> impl FnOnce(io::Error) -> WriteError + use<'p> {
    move |source| WriteError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Refuses output folders whose replacement would destroy sources. `explicit` is true when the
/// user named the folder with `--output`, which allows one outside the root.
pub fn check_output_dir(root: &Path, output: &Path, explicit: bool) -> Result<(), WriteError> {
    let root = absolute(root);
    let output = absolute(output);
    if root.starts_with(&output) {
        return Err(WriteError::ContainsSite(output));
    }
    for sources in ["content", "templates", "themes", "static"] {
        if output.starts_with(root.join(sources)) {
            return Err(WriteError::InsideSources(output, sources));
        }
    }
    if !explicit && !output.starts_with(&root) {
        return Err(WriteError::OutsideRoot(output));
    }
    if output.exists() && !output.is_dir() {
        return Err(WriteError::NotAFolder(output));
    }
    Ok(())
}

/// A lexically absolute, normalised path (no `.` or `..`), without touching the disk.
fn absolute(path: &Path) -> PathBuf {
    let joined = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut clean = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            other => clean.push(other),
        }
    }
    clean
}

/// Threads of the write stage, more than this machine kind's 2 cores: writing and removing
/// files mostly waits for the disk. Removing the previous site of 10,000 stories (15,000
/// folders) after a one-story edit took 0.4 to 1.2 s with 8 threads and 0.9 to 6.6 s with 2, in
/// four alternating runs on the slow disk of the README's figures.
const WRITE_THREADS: usize = 8;

/// Writes every output into a fresh staging folder, then swaps it in for `output`. Outputs
/// whose contents are already in the previous site are hard-linked from it rather than written
/// again, and when the previous site is already exactly the new one nothing is written at all:
/// on a slow disk, creating and removing the folders of a whole site costs more than rendering
/// it.
///
/// Returns the stamp of every file now in `output`, in the order of `outputs`, so that the
/// record of the build (see [`PageRecord`]) needs no second look at fifteen thousand files.
pub fn write_site(outputs: &Outputs, output: &Path) -> Result<Vec<FileStamp>, WriteError> {
    match rayon::ThreadPoolBuilder::new()
        .num_threads(WRITE_THREADS)
        .build()
    {
        Ok(pool) => pool.install(|| write_site_in(outputs, &absolute(output))),
        Err(_) => write_site_in(outputs, &absolute(output)),
    }
}

fn write_site_in(outputs: &Outputs, output: &Path) -> Result<Vec<FileStamp>, WriteError> {
    let parent = output.parent().unwrap_or(Path::new("/"));
    fs::create_dir_all(parent).map_err(io_error("create", parent))?;
    remove_leftovers(output);
    let plan = plan(outputs, output);
    let folders = folders(outputs);
    let kept: Option<Vec<FileStamp>> = plan.iter().map(|file| file.unchanged).collect();
    if let Some(stamps) = kept
        && holds_only(output, plan.len(), folders.len())
    {
        return Ok(stamps);
    }
    let staging = sibling(output, "staging");
    let result = write_all(&plan, &folders, &staging, output)
        .and_then(|stamps| swap(&staging, output).map(|()| stamps));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

/// Every folder the outputs need, parents before their children.
fn folders(outputs: &Outputs) -> BTreeSet<PathBuf> {
    outputs
        .files
        .keys()
        .flat_map(|path| Path::new(&**path).ancestors().skip(1))
        .filter(|dir| !dir.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .collect()
}

/// Fills `staging`: a hard link to the previous site's file for every unchanged output, a new
/// file for the others and wherever linking fails (a file system without hard links). Returns
/// the stamp of each file, in the order of `plan`.
fn write_all(
    plan: &[Planned],
    folders: &BTreeSet<PathBuf>,
    staging: &Path,
    previous: &Path,
) -> Result<Vec<FileStamp>, WriteError> {
    fs::create_dir(staging).map_err(io_error("create", staging))?;
    for folder in folders {
        let folder = staging.join(folder);
        fs::create_dir(&folder).map_err(io_error("create", &folder))?;
    }
    plan.par_iter()
        .map(|file| {
            let target = staging.join(file.path);
            if let Some(stamp) = file.unchanged
                && fs::hard_link(previous.join(file.path), &target).is_ok()
            {
                return Ok(stamp);
            }
            match file.output {
                Output::Bytes(bytes) => create(&target, bytes),
                Output::BuiltIn(bytes) => create(&target, bytes),
                Output::Copy(source, stamp) => copy(source, *stamp, &target),
            }
        })
        .collect()
}

/// A new file: `create_new` fails rather than open an existing one, so a write can never go
/// into a file that is hard-linked from the previous site (see the module's documentation).
fn create(target: &Path, bytes: &[u8]) -> Result<FileStamp, WriteError> {
    let mut file = File::create_new(target).map_err(io_error("write", target))?;
    file.write_all(bytes).map_err(io_error("write", target))?;
    stamp(&file, target)
}

/// The stamp of a file just written, from its open handle.
fn stamp(file: &File, path: &Path) -> Result<FileStamp, WriteError> {
    let metadata = file.metadata().map_err(io_error("write", path))?;
    Ok(FileStamp::of(&metadata))
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
    stamp(&to, target)
}

/// Puts `staging` where `output` is, keeping the old folder until the new one is in place.
fn swap(staging: &Path, output: &Path) -> Result<(), WriteError> {
    if output.exists() {
        let old = sibling(output, "old");
        fs::rename(output, &old).map_err(io_error("move aside", output))?;
        if let Err(err) = fs::rename(staging, output) {
            let _ = fs::rename(&old, output);
            return Err(io_error("move into place", staging)(err));
        }
        remove_tree(&old).map_err(io_error("remove", &old))
    } else {
        fs::rename(staging, output).map_err(io_error("move into place", staging))
    }
}

/// Removes the folder `dir` and everything in it, many entries at once: on a slow disk each
/// removal mostly waits, and removing the folders of a whole site one by one can take a minute.
/// Entries are typed without following symbolic links, so a link is removed, never followed.
fn remove_tree(dir: &Path) -> io::Result<()> {
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
    fn output_that_would_delete_sources_is_refused() {
        let root = Path::new("/site");
        assert!(matches!(
            check_output_dir(root, root, true),
            Err(WriteError::ContainsSite(_))
        ));
        assert!(matches!(
            check_output_dir(root, Path::new("/"), true),
            Err(WriteError::ContainsSite(_))
        ));
        assert!(matches!(
            check_output_dir(root, Path::new("/site/content/out"), true),
            Err(WriteError::InsideSources(..))
        ));
        assert!(matches!(
            check_output_dir(root, Path::new("/site/public/../.."), true),
            Err(WriteError::ContainsSite(_))
        ));
        assert!(check_output_dir(root, Path::new("/site/public"), false).is_ok());
    }

    #[test]
    fn output_outside_the_root_needs_to_be_named() {
        let root = Path::new("/site");
        assert!(matches!(
            check_output_dir(root, Path::new("/elsewhere"), false),
            Err(WriteError::OutsideRoot(_))
        ));
        assert!(check_output_dir(root, Path::new("/elsewhere"), true).is_ok());
    }

    #[test]
    fn write_replaces_the_old_site_and_leaves_no_staging() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(output.join("stale")).unwrap();
        let mut outputs = Outputs::default();
        outputs.insert("a/index.html", Output::text("new".into()));
        write_site(&outputs, &output).unwrap();
        assert_eq!(fs::read(output.join("a/index.html")).unwrap(), b"new");
        assert!(!output.join("stale").exists());
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names, vec![OsString::from("public")]);
    }

    #[cfg(unix)]
    #[test]
    fn removing_the_old_site_never_follows_its_links() {
        let dir = tempfile::tempdir().unwrap();
        let elsewhere = dir.path().join("elsewhere");
        fs::create_dir_all(&elsewhere).unwrap();
        fs::write(elsewhere.join("keep.txt"), "keep").unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(output.join("a/b")).unwrap();
        std::os::unix::fs::symlink(&elsewhere, output.join("a/b/link")).unwrap();
        write_site(&Outputs::default(), &output).unwrap();
        assert!(!output.join("a").exists());
        assert_eq!(
            fs::read_to_string(elsewhere.join("keep.txt")).unwrap(),
            "keep"
        );
    }

    #[test]
    fn failed_write_keeps_the_previous_site() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(&output).unwrap();
        fs::write(output.join("index.html"), "old").unwrap();
        let mut outputs = Outputs::default();
        outputs.insert(
            "index.html",
            Output::Copy(dir.path().join("missing.jpg"), Default::default()),
        );
        assert!(write_site(&outputs, &output).is_err());
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

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

    #[test]
    fn leftovers_of_interrupted_builds_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(dir.path().join(".public.staging-99999")).unwrap();
        fs::create_dir_all(dir.path().join(".public.keep")).unwrap();
        write_site(&Outputs::default(), &output).unwrap();
        assert!(!dir.path().join(".public.staging-99999").exists());
        assert!(dir.path().join(".public.keep").exists());
    }
}
