//! Stage 6, write: publish `Outputs` into the output folder without ever leaving it half-built.
//!
//! Files go into a staging folder beside the output, written in parallel; only when every file
//! is written is the staging folder swapped into place. A failed build leaves the previous site
//! untouched, and leftovers of an interrupted build are removed by the next one. A build into an
//! output folder without a site writes its pages into the staging folder while they render
//! (see [`Staging`]); the rest of its outputs join them here.
//!
//! A file that the previous site already holds byte for byte is not written again but
//! hard-linked from it into the staging folder, so it keeps its inode from build to build.
//! Hard links share their contents, which is why nothing here ever writes into an existing file:
//! every file in the staging folder is either such a link or created new (`create_new` fails
//! rather than open a file that is there; a page staged while rendering that a static file then
//! replaces is unlinked first), and the old site is only ever renamed and unlinked.
//! Writing into a linked file in place would change the published site, and the previous one,
//! at once.

mod lock;
mod previous;
mod record;
mod staging;

use std::collections::BTreeSet;
use std::io;
use std::path::{Component, Path, PathBuf};

use thiserror::Error;

pub use self::lock::OutputLock;
use self::previous::{Planned, holds_only, plan};
pub use self::record::{PageRecord, PreviousPages};
pub use self::staging::{MARKER, Staging};
use crate::output::{Output, Outputs};
use crate::util::fs::FileStamp;

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
    #[error(
        "the output folder {0} holds files that Dateline did not write, and a build replaces the whole folder"
    )]
    NotASite(PathBuf),
    #[error("another `dateline build` is writing into {0} right now")]
    Busy(PathBuf),
    #[error(
        "the output folder {0} is a symbolic link: the build replaces the output folder as a whole, so name the folder it points to with --output"
    )]
    Link(PathBuf),
    #[error("refusing to write `{0}`: that path leads out of the output folder")]
    Escapes(String),
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
    if std::fs::symlink_metadata(&output).is_ok_and(|m| m.file_type().is_symlink()) {
        return Err(WriteError::Link(output));
    }
    if output.exists() && !output.is_dir() {
        return Err(WriteError::NotAFolder(output));
    }
    if !replaceable(&root, &output) {
        return Err(WriteError::NotASite(output));
    }
    Ok(())
}

impl WriteError {
    /// What the user can do about it, for the errors a command line can cause.
    pub fn help(&self) -> Option<String> {
        match self {
            WriteError::NotASite(output) => Some(format!(
                "a folder that a Dateline build wrote has a `{MARKER}` file in it. If {} \
                 holds nothing you need, delete it and build again; otherwise name an empty \
                 or new folder with --output",
                output.display()
            )),
            WriteError::Busy(_) => {
                Some("wait for the other build to finish, then build again".to_string())
            }
            _ => None,
        }
    }
}

/// Whether a build may replace `output` as a whole: it does not exist yet, is empty, or holds a
/// site that Dateline wrote (its [`MARKER`], or for sites written before the marker existed,
/// the page record this site root keeps of it). Anything else may be somebody's files.
fn replaceable(root: &Path, output: &Path) -> bool {
    let Ok(mut entries) = std::fs::read_dir(output) else {
        return !output.exists();
    };
    // The record only vouches for a folder inside the site root: one elsewhere, named with
    // --output, may have been emptied and filled with somebody's files since it was recorded.
    entries.next().is_none()
        || output.join(MARKER).is_file()
        || (output.starts_with(root) && record::exists(root, output))
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
/// four alternating runs on the slow disk of benches/RESULTS.md's figures. (The pages of a build into
/// an output folder without a site are written earlier, by the render threads: see [`Staging`].)
const WRITE_THREADS: usize = 8;

/// Writes every output into a staging folder, then swaps it in for `output`. Outputs whose
/// contents are already in the previous site are hard-linked from it rather than written again,
/// and when the previous site is already exactly the new one nothing is written at all: on a
/// slow disk, creating and removing the folders of a whole site costs more than rendering it.
/// `staging` is the folder that pages were written into while they rendered, if they were
/// (see [`Staging::for_new_site`]); the other outputs join them there.
///
/// Returns the stamp of every file now in `output`, in the order of `outputs`, so that the
/// record of the build (see [`PageRecord`]) needs no second look at fifteen thousand files.
pub fn write_site(
    outputs: &Outputs,
    output: &Path,
    staging: Option<Staging>,
) -> Result<Vec<FileStamp>, WriteError> {
    let output = absolute(output);
    match rayon::ThreadPoolBuilder::new()
        .num_threads(WRITE_THREADS)
        .build()
    {
        Ok(pool) => pool.install(|| write_site_in(outputs, &output, staging)),
        Err(_) => write_site_in(outputs, &output, staging),
    }
}

fn write_site_in(
    outputs: &Outputs,
    output: &Path,
    staging: Option<Staging>,
) -> Result<Vec<FileStamp>, WriteError> {
    if let Some(path) = outputs.files.keys().find(|path| !stays_inside(path)) {
        return Err(WriteError::Escapes(path.to_string()));
    }
    if staging.is_none() {
        staging::prepare(output)?;
    }
    let plan = plan(outputs, output);
    let folders = folders(&plan);
    let kept: Option<Vec<FileStamp>> = plan.iter().map(|file| file.unchanged).collect();
    if let Some(stamps) = kept
        && output.join(MARKER).is_file()
        && holds_only(output, plan.len() + 1, folders.len())
    {
        return Ok(stamps);
    }
    let staging = match staging {
        Some(staging) => {
            debug_assert_eq!(staging.output(), output, "staged for another output folder");
            staging
        }
        None => Staging::create(output)?,
    };
    let stamps = staging.fill(&plan, &folders, output)?;
    staging.publish()?;
    Ok(stamps)
}

/// Every folder the outputs still to write need, parents before their children (a parent's
/// path is a prefix of its children's, so it sorts first). Compared as strings: comparing fifty
/// thousand paths component by component costs tens of milliseconds.
fn folders<'a>(plan: &[Planned<'a>]) -> BTreeSet<&'a str> {
    plan.iter()
        .filter(|file| !matches!(file.output, Output::Staged(_)))
        .flat_map(|file| parents(file.path))
        .collect()
}

/// Whether an output path names a file inside the output folder: plain names only, no `..`, no
/// root, not empty. Whatever an output's path is made from, nothing is written elsewhere.
fn stays_inside(path: &str) -> bool {
    !path.is_empty()
        && Path::new(path)
            .components()
            .all(|part| matches!(part, Component::Normal(_)))
}

/// The folders above an output path: `a/b/index.html` -> `a`, `a/b`.
fn parents(path: &str) -> impl Iterator<Item = &str> {
    path.match_indices('/').map(move |(end, _)| &path[..end])
}

#[cfg(test)]
mod tests {
    use std::ffi::OsString;
    use std::fs;

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
    fn a_folder_that_is_not_a_site_is_never_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let victim = dir.path().join("victim");
        fs::create_dir_all(victim.join(".ssh")).unwrap();
        fs::write(victim.join(".ssh/id_rsa"), "key").unwrap();
        assert!(matches!(
            check_output_dir(&root, &victim, true),
            Err(WriteError::NotASite(_))
        ));
        let empty = dir.path().join("empty");
        fs::create_dir(&empty).unwrap();
        assert!(check_output_dir(&root, &empty, true).is_ok());
        assert!(check_output_dir(&root, &dir.path().join("new"), true).is_ok());
    }

    #[test]
    fn a_page_record_vouches_only_for_a_folder_inside_the_site() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        let elsewhere = dir.path().join("elsewhere");
        let record = PageRecord::default();
        for output in [root.join("public"), elsewhere.clone()] {
            fs::create_dir_all(output.join(".ssh")).unwrap();
            fs::write(output.join(".ssh/id_rsa"), "key").unwrap();
            record.save(&root, &output, &Default::default()).unwrap();
        }
        assert!(check_output_dir(&root, &root.join("public"), false).is_ok());
        assert!(matches!(
            check_output_dir(&root, &elsewhere, true),
            Err(WriteError::NotASite(_))
        ));
    }

    #[test]
    fn a_built_site_carries_the_marker_that_lets_the_next_build_replace_it() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let mut outputs = Outputs::default();
        outputs.insert("index.html", Output::text("page".into()));
        write_site(&outputs, &output, None).unwrap();
        assert!(output.join(MARKER).is_file());
        assert!(check_output_dir(dir.path(), &output, false).is_ok());
        // A second build with nothing changed leaves the site, marker included, as it was.
        write_site(&outputs, &output, None).unwrap();
        assert!(output.join(MARKER).is_file());
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
        write_site(&outputs, &output, None).unwrap();
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
        write_site(&Outputs::default(), &output, None).unwrap();
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
        assert!(write_site(&outputs, &output, None).is_err());
        assert_eq!(
            fs::read_to_string(output.join("index.html")).unwrap(),
            "old"
        );
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn leftovers_of_interrupted_builds_are_cleaned() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        fs::create_dir_all(dir.path().join(".public.staging-99999")).unwrap();
        fs::create_dir_all(dir.path().join(".public.keep")).unwrap();
        write_site(&Outputs::default(), &output, None).unwrap();
        assert!(!dir.path().join(".public.staging-99999").exists());
        assert!(dir.path().join(".public.keep").exists());
    }

    #[test]
    fn outputs_join_the_pages_staged_while_rendering() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let staging = Staging::for_new_site(&output).unwrap().unwrap();
        let mut outputs = Outputs::default();
        for path in ["world/a/index.html", "index.html"] {
            let stamp = staging.put(path, b"page").unwrap();
            outputs.insert(path, Output::Staged(stamp));
        }
        // A later output at a staged page's path replaces it, as it replaces any output.
        outputs.insert("index.html", Output::text("static".into()));
        outputs.insert("world/feed.xml", Output::text("feed".into()));
        let stamps = write_site(&outputs, &output, Some(staging)).unwrap();
        assert_eq!(stamps.len(), 3);
        assert_eq!(
            fs::read(output.join("world/a/index.html")).unwrap(),
            b"page"
        );
        assert_eq!(fs::read(output.join("index.html")).unwrap(), b"static");
        assert_eq!(fs::read(output.join("world/feed.xml")).unwrap(), b"feed");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn an_output_path_leading_out_is_refused_before_anything_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("site/public");
        let mut outputs = Outputs::default();
        outputs.insert("index.html", Output::text("page".into()));
        outputs.insert("../../escaped.html", Output::text("out".into()));
        let refused = write_site(&outputs, &output, None);
        assert!(
            matches!(refused, Err(WriteError::Escapes(_))),
            "{refused:?}"
        );
        assert!(!dir.path().join("escaped.html").exists());
        assert!(!output.exists());
    }
}
