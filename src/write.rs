//! Stage 4, write: publish `Outputs` into the output folder without ever leaving it half-built.
//!
//! Files go into a staging folder beside the output, written in parallel; only when every file
//! is written is the staging folder swapped into place. A failed build leaves the previous site
//! untouched, and leftovers of an interrupted build are removed by the next one.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use thiserror::Error;

use crate::output::{Output, Outputs};

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

/// Writes every output into a fresh staging folder, then swaps it in for `output`.
pub fn write_site(outputs: &Outputs, output: &Path) -> Result<(), WriteError> {
    let output = absolute(output);
    let parent = output.parent().unwrap_or(Path::new("/")).to_path_buf();
    fs::create_dir_all(&parent).map_err(io_error("create", &parent))?;
    remove_leftovers(&output);
    let staging = sibling(&output, "staging");
    let result = write_all(outputs, &staging).and_then(|()| swap(&staging, &output));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_all(outputs: &Outputs, staging: &Path) -> Result<(), WriteError> {
    fs::create_dir(staging).map_err(io_error("create", staging))?;
    let dirs: BTreeSet<PathBuf> = outputs
        .files
        .keys()
        .filter_map(|path| Path::new(&**path).parent().map(Path::to_path_buf))
        .filter(|dir| !dir.as_os_str().is_empty())
        .collect();
    for dir in &dirs {
        let dir = staging.join(dir);
        fs::create_dir_all(&dir).map_err(io_error("create", &dir))?;
    }
    outputs.files.par_iter().try_for_each(|(path, output)| {
        let target = staging.join(&**path);
        match output {
            Output::Bytes(bytes) => {
                fs::write(&target, &bytes[..]).map_err(io_error("write", &target))
            }
            Output::BuiltIn(bytes) => fs::write(&target, bytes).map_err(io_error("write", &target)),
            Output::Copy(source, _) => fs::copy(source, &target)
                .map(drop)
                .map_err(io_error("copy", source)),
        }
    })
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
        fs::remove_dir_all(&old).map_err(io_error("remove", &old))
    } else {
        fs::rename(staging, output).map_err(io_error("move into place", staging))
    }
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
