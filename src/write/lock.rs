//! One build at a time per output folder.
//!
//! Two builds into the same folder (from one site folder or from two checkouts) would each
//! remove the other's staging folder as a leftover and swap their sites over each other. A
//! build therefore holds an operating-system lock on a hidden file beside the output folder
//! (`.public.lock` beside `public`) from before it prepares the folder until its site is in
//! place. The system releases the lock when the process ends, however it ends, so a killed
//! build never leaves a stale lock behind, and a staging folder found while holding the lock
//! can only be a dead build's leftover. The file stays: removing it could let two builds lock
//! two different files of one name.

use std::ffi::OsString;
use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use super::{WriteError, absolute, io_error};

/// The held lock of an output folder; released when dropped.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Takes the lock of `output`, or says that another build holds it. `None` when the
    /// folder that would hold the output does not exist yet: nothing can be building there,
    /// and a build that fails should leave no folder behind.
    pub fn acquire(output: &Path) -> Result<Option<OutputLock>, WriteError> {
        let output = absolute(output);
        match output.parent() {
            Some(parent) if !parent.is_dir() => Ok(None),
            _ => lock_beside(&output).map(Some),
        }
    }

    /// Makes the folder that holds `output`, then takes the lock.
    pub fn acquire_making_parent(output: &Path) -> Result<OutputLock, WriteError> {
        let output = absolute(output);
        if let Some(parent) = output.parent() {
            std::fs::create_dir_all(parent).map_err(io_error("create", parent))?;
        }
        lock_beside(&output)
    }
}

/// Locks `.NAME.lock` beside the output folder `NAME`, whose parent exists.
fn lock_beside(output: &Path) -> Result<OutputLock, WriteError> {
    let mut name = OsString::from(".");
    name.push(output.file_name().unwrap_or_default());
    name.push(".lock");
    let path = output.with_file_name(name);
    let file = OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io_error("create", &path))?;
    match file.try_lock() {
        Ok(()) => Ok(OutputLock { _file: file }),
        Err(TryLockError::WouldBlock) => Err(WriteError::Busy(output.to_path_buf())),
        Err(TryLockError::Error(err)) => Err(io_error("lock", &path)(err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_build_into_the_same_folder_is_refused_until_the_first_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let first = OutputLock::acquire(&output).unwrap();
        assert!(first.is_some());
        assert!(matches!(
            OutputLock::acquire(&output),
            Err(WriteError::Busy(_))
        ));
        assert!(OutputLock::acquire(&dir.path().join("www")).is_ok());
        drop(first);
        assert!(OutputLock::acquire(&output).unwrap().is_some());
    }

    #[test]
    fn no_folder_is_made_for_a_missing_parent_unless_asked() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("new/public");
        assert!(OutputLock::acquire(&output).unwrap().is_none());
        assert!(!dir.path().join("new").exists());
        assert!(OutputLock::acquire_making_parent(&output).is_ok());
    }
}
