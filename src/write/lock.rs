//! One build at a time per output folder.
//!
//! Two builds into the same folder would each remove the other's staging folder as a leftover
//! and swap their sites over each other. A build therefore holds an operating-system lock on a
//! file of the site's cache, named after the output folder, from before it prepares the folder
//! until its site is in place. The system releases the lock when the process ends, however it
//! ends, so a killed build never leaves a stale lock behind, and a staging folder found while
//! holding the lock can only be a dead build's leftover. The file stays (removing it could let
//! two builds lock two different files of one name) in the cache, not beside the output.

use std::fs::{File, OpenOptions, TryLockError};
use std::path::Path;

use super::{WriteError, absolute, io_error};

/// Where lock files are kept, beside the page records.
const LOCK_DIR: &str = ".dateline-cache/locks";

/// The held lock of an output folder; released when dropped.
#[derive(Debug)]
pub struct OutputLock {
    _file: File,
}

impl OutputLock {
    /// Takes the lock of `output` for the site in `root`, or says that another build holds it.
    pub fn acquire(root: &Path, output: &Path) -> Result<OutputLock, WriteError> {
        let output = absolute(output);
        let dir = root.join(LOCK_DIR);
        std::fs::create_dir_all(&dir).map_err(io_error("create", &dir))?;
        let name = crate::util::hash::hash_of(&output.to_string_lossy());
        let path = dir.join(format!("{name:016x}.lock"));
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io_error("create", &path))?;
        match file.try_lock() {
            Ok(()) => Ok(OutputLock { _file: file }),
            Err(TryLockError::WouldBlock) => Err(WriteError::Busy(output)),
            Err(TryLockError::Error(err)) => Err(io_error("lock", &path)(err)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_build_into_the_same_folder_is_refused_until_the_first_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let output = dir.path().join("public");
        let first = OutputLock::acquire(dir.path(), &output).unwrap();
        assert!(matches!(
            OutputLock::acquire(dir.path(), &output),
            Err(WriteError::Busy(_))
        ));
        assert!(OutputLock::acquire(dir.path(), &dir.path().join("www")).is_ok());
        drop(first);
        assert!(OutputLock::acquire(dir.path(), &output).is_ok());
    }
}
