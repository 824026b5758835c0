//! The commands: each drives the build stages and reports the result to a person.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod report;

pub use report::use_color;

use std::path::Path;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// Prints every diagnostic with its snippet, then a count, to standard error.
pub fn report(diagnostics: Diagnostics) {
    let sorted: Vec<Diagnostic> = diagnostics.sorted();
    eprint!("{}", report::human(&sorted, use_color()));
}

/// Prints a site's diagnostics as [`report()`] does, their paths seen from the working directory
/// (`gazette/content/a.md` with `--root gazette`), so that a terminal or an editor opens them.
pub fn report_site(diagnostics: Diagnostics, root: &Path) {
    let sorted = report::from_working_dir(diagnostics.sorted(), root);
    eprint!("{}", report::human(&sorted, use_color()));
}
