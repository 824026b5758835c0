//! One diagnostic type for everything a user's file can cause.
//!
//! Every stage collects `Diagnostic`s instead of stopping at the first problem, so one run shows
//! the newsroom every mistake at once. Rendering (terminal snippet, JSON, browser overlay) happens
//! at the edges; the stages only fill in the facts.

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use crate::util::text::{printable, without_controls};

/// How bad a diagnostic is: errors fail the build, warnings are only shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// A problem in one of the site's files, with where it is and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The file, relative to the site root where possible, as the user would type it.
    pub file: PathBuf,
    /// 1-based line, or 0 when the problem concerns the whole file.
    pub line: usize,
    /// 1-based column, or 0 when unknown.
    pub column: usize,
    pub message: String,
    /// What the user can do to fix it.
    pub help: Option<String>,
    /// The file's text and the byte range to underline, for a source snippet.
    pub snippet: Option<Box<(Arc<str>, Range<usize>)>>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: 0,
            column: 0,
            message: message.into(),
            help: None,
            snippet: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    /// Points the diagnostic at a 1-based line and column without a snippet.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = line;
        self.column = column;
        self
    }

    /// Points the diagnostic at a byte range of `source`, deriving line and column from it.
    pub fn with_span(mut self, source: &Arc<str>, span: Range<usize>) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let (line, column) = line_column(source, start);
        self.line = line;
        self.column = column;
        self.snippet = Some(Box::new((Arc::clone(source), start..end)));
        self
    }

    /// Points the diagnostic at a 1-based line and column of `source`, with a snippet.
    pub fn with_position(self, source: &Arc<str>, line: usize, column: usize) -> Self {
        let start = byte_offset(source, line, column);
        let end = next_char_boundary(source, start);
        self.with_span(source, start..end)
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, as editors and CI annotations expect.
    pub fn location(&self) -> String {
        let file = self.file.display().to_string();
        let file = crate::util::text::printable(&file);
        match (self.line, self.column) {
            (0, _) => format!("{file}"),
            (line, 0) => format!("{file}:{line}"),
            (line, column) => format!("{file}:{line}:{column}"),
        }
    }

    /// A rustc-style report with a source snippet, coloured when `color` is set.
    pub fn render(&self, color: bool) -> String {
        let renderer = if color {
            Renderer::styled()
        } else {
            Renderer::plain()
        };
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        // Names and messages can carry a user's file names: nothing in them may start a line
        // (a forged CI command) or a terminal sequence.
        let file = self.file.display().to_string();
        let file = printable(&file);
        let location = self.location();
        let message = printable(&self.message);
        let title = level.primary_title(&*message);
        let source = self
            .snippet
            .as_deref()
            .map(|(source, span)| (without_controls(source), span));
        let mut group = match &source {
            Some((source, span)) => title.element(
                Snippet::source(&**source)
                    .path(&*file)
                    .annotation(AnnotationKind::Primary.span((*span).clone())),
            ),
            None => title.element(annotate_snippets::Origin::path(location.as_str())),
        };
        let help = self.help.as_deref().map(printable);
        if let Some(help) = &help {
            group = group.element(Level::HELP.message(&**help));
        }
        renderer.render(&[group]).to_string()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location(), printable(&self.message))?;
        if let Some(help) = &self.help {
            write!(f, " (help: {})", printable(help))?;
        }
        Ok(())
    }
}

/// All the diagnostics of a run. Errors first, then by file and position, so output is stable
/// whatever order the parallel stages finished in.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Diagnostics(Vec<Diagnostic>);

impl Diagnostics {
    pub fn new() -> Self {
        Diagnostics(Vec::new())
    }

    pub fn push(&mut self, diagnostic: Diagnostic) {
        self.0.push(diagnostic);
    }

    pub fn extend(&mut self, diagnostics: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(diagnostics);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn error_count(&self) -> usize {
        self.0.iter().filter(|d| d.is_error()).count()
    }

    pub fn warning_count(&self) -> usize {
        self.0.len() - self.error_count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &Diagnostic> {
        self.0.iter()
    }

    /// The diagnostics in a stable order: errors before warnings, then by file and position.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.0.sort_by(|a, b| {
            (a.severity, &a.file, a.line, a.column, &a.message)
                .cmp(&(b.severity, &b.file, b.line, b.column, &b.message))
        });
        self.0.dedup();
        self.0
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl FromIterator<Diagnostic> for Diagnostics {
    fn from_iter<I: IntoIterator<Item = Diagnostic>>(iter: I) -> Self {
        Diagnostics(iter.into_iter().collect())
    }
}

/// Shows `path` relative to `root` when it lies inside it, as users think of their files.
pub fn display_path(root: &Path, path: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line, column)
}

/// Byte offset of a 1-based line and column (in characters); clamps to the text.
pub fn byte_offset(source: &str, line: usize, column: usize) -> usize {
    let mut start = 0;
    for _ in 1..line.max(1) {
        match source[start..].find('\n') {
            Some(i) => start += i + 1,
            None => return source.len(),
        }
    }
    let line_text = source[start..].split('\n').next().unwrap_or("");
    let within = line_text
        .char_indices()
        .nth(column.saturating_sub(1))
        .map_or(line_text.len(), |(i, _)| i);
    start + within
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    while index > 0 && !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

fn next_char_boundary(text: &str, index: usize) -> usize {
    text[index..]
        .chars()
        .next()
        .filter(|c| *c != '\n')
        .map_or(index, |c| index + c.len_utf8())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_column_counts_characters_not_bytes() {
        let text = "first\nsé x\n";
        assert_eq!(line_column(text, 0), (1, 1));
        assert_eq!(line_column(text, 6), (2, 1));
        assert_eq!(line_column(text, 10), (2, 4));
    }

    #[test]
    fn byte_offset_is_the_inverse_of_line_column() {
        let text = "a\nbé c\nlast";
        for offset in [0, 2, 3, 5, 6, 8] {
            let (line, column) = line_column(text, offset);
            assert_eq!(byte_offset(text, line, column), offset);
        }
        assert_eq!(byte_offset(text, 99, 1), text.len());
    }

    #[test]
    fn rendered_report_names_the_location_and_help() {
        let source: Arc<str> = Arc::from("---\nhedline: x\n---\n");
        let report = Diagnostic::error("content/a.md", "unknown key `hedline`")
            .with_span(&source, 4..11)
            .with_help("did you mean `headline`?")
            .render(false);
        assert!(report.contains("content/a.md:2:1"), "{report}");
        assert!(report.contains("hedline: x"), "{report}");
        assert!(report.contains("did you mean `headline`?"), "{report}");
    }

    #[test]
    fn sorted_puts_errors_first_and_removes_duplicates() {
        let warning = Diagnostic::warning("a.md", "w");
        let error = Diagnostic::error("b.md", "e");
        let diagnostics: Diagnostics = [warning.clone(), error.clone(), error.clone()]
            .into_iter()
            .collect();
        assert_eq!(diagnostics.sorted(), vec![error, warning]);
    }
}
