//! The commands: each drives the build stages and reports the result to a person.

pub mod build;

use std::io::IsTerminal;

use crate::diagnostic::{Diagnostic, Diagnostics};

/// Whether to colour terminal output: only on a terminal, and never when `NO_COLOR` is set.
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Prints every diagnostic with its snippet, then a count, to standard error.
pub fn report(diagnostics: Diagnostics) {
    let color = use_color();
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    let sorted: Vec<Diagnostic> = diagnostics.sorted();
    for diagnostic in &sorted {
        eprintln!("{}\n", diagnostic.render(color));
    }
    match (errors, warnings) {
        (0, 0) => {}
        (0, w) => eprintln!("{}", plural(w, "warning")),
        (e, 0) => eprintln!("{}", plural(e, "error")),
        (e, w) => eprintln!("{} and {}", plural(e, "error"), plural(w, "warning")),
    }
}

/// `1 story`, `3 stories`.
pub fn plural(count: usize, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "story") => format!("{count} stories"),
        _ => format!("{count} {noun}s"),
    }
}
