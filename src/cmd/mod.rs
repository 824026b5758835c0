//! The commands: each drives the build stages and reports the result to a person.

pub mod build;
pub mod check;
pub mod init;
pub mod new;
pub mod report;

pub use report::use_color;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// Prints every diagnostic with its snippet, then a count, to standard error.
pub fn report(diagnostics: Diagnostics) {
    let sorted: Vec<Diagnostic> = diagnostics.sorted();
    eprint!("{}", report::human(&sorted, use_color()));
}
