//! The three ways a run's diagnostics leave Dateline: snippets for a person at a terminal, one
//! JSON document for tools, and GitHub workflow commands so that each problem shows up as an
//! annotation on the pull request line that caused it.

use std::io::IsTerminal;
use std::path::{Component, Path, PathBuf};

use serde_json::json;

use crate::diagnostic::{Diagnostic, Severity};
use crate::source::theme::BUILT_IN_THEME;
use crate::util::text::printable;

/// How `check` prints what it found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Format {
    /// Source snippets with the line to fix, for people
    #[default]
    Human,
    /// One JSON document on standard output, for scripts and editors
    Json,
}

/// Whether to colour terminal output: only on a terminal, and never when `NO_COLOR` is set.
pub fn use_color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// Whether we run inside GitHub Actions, which sets `GITHUB_ACTIONS=true` in every step.
pub fn in_github_actions() -> bool {
    std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| !v.is_empty() && v != "false")
}

/// The diagnostics with their paths seen from the working directory rather than from the site
/// root: with `--root gazette`, `content/a.md` becomes `gazette/content/a.md`, the path GitHub
/// attaches an annotation to and a terminal or an editor opens. Paths that name no file on
/// disk (the built-in theme's templates) and absolute ones stay as they are.
pub fn from_working_dir(mut sorted: Vec<Diagnostic>, root: &Path) -> Vec<Diagnostic> {
    let prefix = root_from_working_dir(root);
    if prefix.as_os_str().is_empty() {
        return sorted;
    }
    for diagnostic in &mut sorted {
        if diagnostic.file.is_relative() && !diagnostic.file.starts_with(BUILT_IN_THEME) {
            diagnostic.file = prefix.join(&diagnostic.file);
        }
    }
    sorted
}

/// The site root as a path from the working directory: empty when it is the working
/// directory, `gazette` for a folder inside it (however `--root` named it), the root as given
/// (without `./`) when it lies elsewhere.
fn root_from_working_dir(root: &Path) -> PathBuf {
    let inside = std::env::current_dir()
        .and_then(|cwd| cwd.canonicalize())
        .ok()
        .and_then(|cwd| {
            let root = root.canonicalize().ok()?;
            root.strip_prefix(cwd).ok().map(Path::to_path_buf)
        });
    inside.unwrap_or_else(|| {
        root.components()
            .filter(|part| *part != Component::CurDir)
            .collect()
    })
}

/// Every diagnostic with its snippet, then a count line; `sorted` as `Diagnostics::sorted`.
pub fn human(sorted: &[Diagnostic], color: bool) -> String {
    let mut text = String::new();
    for diagnostic in sorted {
        text.push_str(&diagnostic.render(color));
        text.push_str("\n\n");
    }
    let errors = sorted.iter().filter(|d| d.is_error()).count();
    if let Some(counts) = counts(errors, sorted.len() - errors) {
        text.push_str(&counts);
        text.push('\n');
    }
    text
}

/// `2 errors and 1 warning`, or `None` when there is nothing to count.
pub fn counts(errors: usize, warnings: usize) -> Option<String> {
    use crate::util::text::plural;
    match (errors, warnings) {
        (0, 0) => None,
        (0, w) => Some(plural(w, "warning")),
        (e, 0) => Some(plural(e, "error")),
        (e, w) => Some(format!(
            "{} and {}",
            plural(e, "error"),
            plural(w, "warning")
        )),
    }
}

/// `{"errors": N, "warnings": N, "diagnostics": [...]}`; unknown lines and columns are `null`.
pub fn json(sorted: &[Diagnostic]) -> String {
    let errors = sorted.iter().filter(|d| d.is_error()).count();
    let diagnostics: Vec<serde_json::Value> = sorted
        .iter()
        .map(|d| {
            json!({
                "severity": d.severity,
                "file": file_name(d),
                "line": (d.line > 0).then_some(d.line),
                "column": (d.line > 0 && d.column > 0).then_some(d.column),
                "message": d.message,
                "help": d.help,
            })
        })
        .collect();
    let document = json!({
        "errors": errors,
        "warnings": sorted.len() - errors,
        "diagnostics": diagnostics,
    });
    serde_json::to_string_pretty(&document).unwrap_or_default()
}

/// One `::error file=...,line=...,col=...::message` line per diagnostic.
pub fn github(sorted: &[Diagnostic]) -> String {
    let mut text = String::new();
    for d in sorted {
        let command = match d.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let file = file_name(d);
        let mut properties = vec![format!("file={}", escape_property(&printable(&file)))];
        // GitHub rejects a column without a line.
        if d.line > 0 {
            properties.push(format!("line={}", d.line));
            if d.column > 0 {
                properties.push(format!("col={}", d.column));
            }
        }
        let message = match &d.help {
            Some(help) => format!(
                "{}\nhelp: {}",
                printable_lines(&d.message),
                printable_lines(help)
            ),
            None => printable_lines(&d.message),
        };
        text.push_str(&format!(
            "::{command} {}::{}\n",
            properties.join(","),
            escape_data(&message)
        ));
    }
    text
}

/// Text whose line breaks an annotation shows (escaped as `%0A`, they cannot start a command),
/// with every other control character written out as in the terminal report.
fn printable_lines(text: &str) -> String {
    text.split('\n')
        .map(printable)
        .collect::<Vec<_>>()
        .join("\n")
}

/// The file as the repository knows it: relative, with `/` on every platform.
fn file_name(diagnostic: &Diagnostic) -> String {
    diagnostic.file.to_string_lossy().replace('\\', "/")
}

/// A workflow command's message: `%`, CR and LF would end or garble the command.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as message text, and `:` and `,` separate properties.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    fn sample() -> Vec<Diagnostic> {
        let source: Arc<str> = Arc::from("---\nheadline: x\n---\n");
        vec![
            Diagnostic::error("content/a,b:c.md", "100% wrong\nreally")
                .with_span(&source, 4..12)
                .with_help("fix it"),
            Diagnostic::warning("site.toml", "whole file"),
        ]
    }

    #[test]
    fn github_commands_escape_data_and_properties() {
        let text = github(&sample());
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines,
            [
                "::error file=content/a%2Cb%3Ac.md,line=2,col=1::100%25 wrong%0Areally%0Ahelp: fix it",
                "::warning file=site.toml::whole file",
            ]
        );
    }

    #[test]
    fn carriage_returns_are_escaped_too() {
        assert_eq!(escape_data("a\r\nb%"), "a%0D%0Ab%25");
    }

    #[test]
    fn json_has_counts_and_every_field() {
        let value: serde_json::Value = serde_json::from_str(&json(&sample())).unwrap();
        assert_eq!(value["errors"], 1);
        assert_eq!(value["warnings"], 1);
        let first = &value["diagnostics"][0];
        assert_eq!(first["severity"], "error");
        assert_eq!(first["file"], "content/a,b:c.md");
        assert_eq!(
            (first["line"].as_u64(), first["column"].as_u64()),
            (Some(2), Some(1))
        );
        assert_eq!(first["help"], "fix it");
        let second = &value["diagnostics"][1];
        assert_eq!(second["severity"], "warning");
        assert!(second["line"].is_null() && second["column"].is_null() && second["help"].is_null());
    }

    #[test]
    fn human_report_ends_with_the_counts() {
        let text = human(&sample(), false);
        assert!(text.contains("content/a,b:c.md:2:1"), "{text}");
        assert!(text.ends_with("1 error and 1 warning\n"), "{text}");
        assert_eq!(human(&[], false), "");
    }
}
