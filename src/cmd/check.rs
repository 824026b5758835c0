//! `dateline check`: everything a build would find wrong, plus the newsroom's style warnings,
//! without writing a file. Made for editors before publishing and for CI on every pull request.

use crate::build::{BuildOptions, Builder};
use crate::cmd::report::{self, Format};
use crate::diagnostic::Diagnostic;
use crate::util::text::plural;

/// What to check and how to report it.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    pub build: BuildOptions,
    pub format: Format,
    /// Fail on warnings too, for newsrooms that hold every story to the style rules.
    pub deny_warnings: bool,
}

/// Runs every stage but writing; returns the process exit code (1 on errors, or on warnings
/// with `deny_warnings`).
pub fn check(options: &CheckOptions) -> i32 {
    let (diagnostics, counts) = match Builder::new(options.build.clone()).build() {
        Ok(built) => (built.warnings, Some(built.counts)),
        Err(diagnostics) => (diagnostics, None),
    };
    let errors = diagnostics.error_count();
    let warnings = diagnostics.warning_count();
    let failed = errors > 0 || (options.deny_warnings && warnings > 0);
    let sorted: Vec<Diagnostic> =
        report::from_working_dir(diagnostics.sorted(), &options.build.root);
    let github = report::in_github_actions();
    match options.format {
        Format::Human => {
            eprint!("{}", report::human(&sorted, report::use_color()));
            // Workflow commands on standard output, the stream GitHub documents for them.
            if github {
                print!("{}", report::github(&sorted));
            }
            let checked = counts.map(|c| {
                format!(
                    "Checked {} and {}",
                    plural(c.stories, "story"),
                    plural(c.pages, "page")
                )
            });
            let outcome = match (checked, report::counts(errors, warnings)) {
                (Some(checked), None) => format!("{checked}: no problems found."),
                (Some(checked), Some(found)) if !failed => format!("{checked}: {found}."),
                (_, Some(found)) if errors == 0 => {
                    format!("The check failed: {found} (--deny-warnings).")
                }
                (_, found) => format!(
                    "The check failed: {}.",
                    found.unwrap_or_else(|| "the site cannot be built".into())
                ),
            };
            println!("{outcome}");
        }
        Format::Json => {
            println!("{}", report::json(&sorted));
            // Standard output holds one JSON document; GitHub reads commands on stderr too.
            if github {
                eprint!("{}", report::github(&sorted));
            }
        }
    }
    i32::from(failed)
}
