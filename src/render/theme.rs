//! The theme compiled: every template parsed once per build with the site's filters, and
//! template errors reported at their line in the template's own file.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use tera::{Kwargs, State, Tera};

use crate::diagnostic::{Diagnostic, Diagnostics, line_column};
use crate::render::template_tags;
use crate::source::theme::{THEME_PREFIX, TemplateFile, ThemeFiles};

/// The compiled templates, built once per build and shared by every render.
pub(crate) struct Theme {
    pub tera: Tera,
    templates: BTreeMap<String, TemplateFile>,
}

/// The templates every theme must provide.
pub(crate) const REQUIRED_TEMPLATES: &[&str] = &[
    "index.html",
    "story.html",
    "page.html",
    "section.html",
    "tag.html",
    "tags.html",
    "author.html",
    "404.html",
];

/// The site's corrections page. The built-in theme has it; a theme folder without it still
/// builds, without a /corrections/ page (the build warns when the site has corrections).
pub(crate) const CORRECTIONS_TEMPLATE: &str = "corrections.html";
/// The search page. The built-in theme has it; a theme folder without it builds without a
/// /search/ page (the index is still written, for a theme's own page to use).
pub(crate) const SEARCH_TEMPLATE: &str = "search.html";

impl Theme {
    /// Compiles every template, reporting syntax errors at their template line.
    pub(crate) fn compile(files: &ThemeFiles, timezone: &TimeZone) -> Result<Theme, Diagnostics> {
        let mut tera = Tera::new();
        tera.autoescape_on([".html", ".htm", ".xml"]);
        register_filters(&mut tera, timezone);
        let theme = |tera| Theme {
            tera,
            templates: files.templates.clone(),
        };
        let sources = files
            .templates
            .values()
            .map(|t| (t.name.as_str(), t.text.as_ref()));
        if let Err(err) = tera.add_raw_templates(sources) {
            return Err(theme(Tera::new()).compile_errors(&err));
        }
        let missing: Diagnostics = REQUIRED_TEMPLATES
            .iter()
            .filter(|name| !files.templates.contains_key(**name))
            .map(|name| {
                Diagnostic::error("templates", format!("the theme has no `{name}` template"))
                    .with_help(format!(
                        "add templates/{name}, or remove the theme folder to use the built-in theme"
                    ))
            })
            .collect();
        if missing.has_errors() {
            return Err(missing);
        }
        Ok(theme(tera))
    }

    pub(crate) fn has_template(&self, name: &str) -> bool {
        self.templates.contains_key(name)
    }

    pub(crate) fn render(
        &self,
        template: &str,
        context: &tera::Context,
    ) -> Result<String, Diagnostic> {
        self.tera
            .render(template, context)
            .map_err(|err| self.diagnostic(&err))
    }

    /// Turns a Tera error into a diagnostic at the template file and line it names.
    pub(crate) fn diagnostic(&self, err: &tera::Error) -> Diagnostic {
        use tera::ErrorKind;
        match err.kind() {
            ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
                let name = report.filename();
                let span = report.span();
                let message = format!("template error: {}", report.message());
                let cause = match (err.kind(), self.templates.get(name)) {
                    (ErrorKind::SyntaxError(_), Some(file)) => {
                        nesting_error(file, span.start_line, report.message())
                    }
                    _ => None,
                };
                if let Some(diagnostic) = cause {
                    return diagnostic;
                }
                match self.templates.get(name) {
                    Some(file) => Diagnostic::error(&file.origin, message)
                        .with_position(&file.text, span.start_line, span.start_col + 1)
                        .with_help("fix the template; see docs/themes.md in Dateline's repository"),
                    None => Diagnostic::error(format!("templates/{name}"), message)
                        .at(span.start_line, span.start_col + 1),
                }
            }
            _ => Diagnostic::error("templates", format!("template error: {err}")),
        }
    }

    /// Every problem of a failed compilation, each at its template file and line. Checks that
    /// look across templates (unknown filters, a block the parent lacks) come as one message
    /// holding a report per problem, `error: ...` then `--> name:line:column`.
    fn compile_errors(&self, err: &tera::Error) -> Diagnostics {
        if matches!(err.kind(), tera::ErrorKind::SyntaxError(_)) {
            let every = self.syntax_errors();
            if !every.is_empty() {
                return every;
            }
        }
        if matches!(err.kind(), tera::ErrorKind::CircularExtend { .. }) {
            let circles = self.circular_extends();
            if !circles.is_empty() {
                return circles;
            }
        }
        let tera::ErrorKind::Msg(text) = err.kind() else {
            return Diagnostics::from_iter([self.diagnostic(err)]);
        };
        let mut reports: Vec<(&str, Option<&str>)> = Vec::new();
        for line in text.lines().map(str::trim_start) {
            if let Some(message) = line.strip_prefix("error: ") {
                reports.push((message, None));
            } else if let (Some(place), Some((_, at @ None))) =
                (line.strip_prefix("--> "), reports.last_mut())
            {
                *at = Some(place);
            }
        }
        let placed: Option<Diagnostics> = reports
            .iter()
            .map(|(message, place)| self.report_at(message, (*place)?))
            .collect();
        match placed {
            Some(diagnostics) if !diagnostics.is_empty() => diagnostics,
            _ => Diagnostics::from_iter([self.diagnostic(err)]),
        }
    }

    /// The syntax error of every template that has one: Tera stops at the first, and a theme
    /// with three broken templates should not take three runs. Each is parsed on its own,
    /// only once the theme has failed to compile.
    fn syntax_errors(&self) -> Diagnostics {
        self.templates
            .values()
            .filter_map(|template| {
                let err = Tera::new()
                    .add_raw_template(&template.name, &template.text)
                    .err()?;
                matches!(err.kind(), tera::ErrorKind::SyntaxError(_)).then(|| self.diagnostic(&err))
            })
            .collect()
    }

    /// Each circle of `{% extends %}` (a template that extends itself, or `a.html` extending
    /// `b.html` extending `a.html`), once, at the extends tag of its first template by name.
    /// Tera names only some template that uses the circle, and no line.
    fn circular_extends(&self) -> Diagnostics {
        let mut circles = Diagnostics::new();
        for (name, file) in &self.templates {
            // Ends at a template that extends nothing, or at the first repeat.
            let mut chain = vec![name.as_str()];
            while let Some(parent) = self.parent_of(chain[chain.len() - 1]) {
                let repeat = chain.contains(&parent);
                chain.push(parent);
                if repeat {
                    break;
                }
            }
            let closes = chain.len() > 1 && chain.last() == Some(&name.as_str());
            if !closes || chain.iter().any(|member| *member < name.as_str()) {
                continue;
            }
            let Some(tag) = extends_tag(&file.text) else {
                continue;
            };
            let (message, help) = if chain.len() == 2 {
                (
                    format!("template error: `{name}` extends itself"),
                    self.extend_the_theme_help(name),
                )
            } else {
                (
                    format!(
                        "template error: these templates extend each other in a circle: {}",
                        chain.join(" -> ")
                    ),
                    "one of them must extend another template, or none".to_string(),
                )
            };
            circles.push(
                Diagnostic::error(&file.origin, message)
                    .with_span(&file.text, tag.span)
                    .with_help(help),
            );
        }
        circles
    }

    /// The template `name` extends, if it is one of the theme's.
    fn parent_of(&self, name: &str) -> Option<&str> {
        let tag = extends_tag(&self.templates.get(name)?.text)?;
        let parent = tag.words.get(1)?.trim_matches(['"', '\'', '`']);
        self.templates
            .get_key_value(parent)
            .map(|(key, _)| key.as_str())
    }

    /// How a site template builds on the theme's template of the same name.
    fn extend_the_theme_help(&self, name: &str) -> String {
        let theirs = format!("{THEME_PREFIX}{name}");
        if self.templates.contains_key(&theirs) {
            format!(
                "to build on the theme's `{name}`, write `{{% extends \"{theirs}\" %}}`; see \"Building on the theme's template\" in docs/themes.md"
            )
        } else {
            "remove the `{% extends %}` tag, or extend another template".to_string()
        }
    }

    /// A diagnostic for `message` at `place` (`name:line:column`), if `name` is a template.
    fn report_at(&self, message: &str, place: &str) -> Option<Diagnostic> {
        let mut parts = place.rsplitn(3, ':');
        let column = parts.next()?.trim().parse().ok()?;
        let line = parts.next()?.parse().ok()?;
        let file = self.templates.get(parts.next()?)?;
        Some(
            Diagnostic::error(&file.origin, format!("template error: {message}"))
                .with_position(&file.text, line, column)
                .with_help("fix the template; see docs/themes.md in Dateline's repository"),
        )
    }
}

/// A template's `{% extends %}` tag: Tera allows it only as the template's first tag.
fn extends_tag(text: &str) -> Option<template_tags::Tag> {
    template_tags::tags(text)
        .into_iter()
        .next()
        .filter(|tag| tag.words.first().is_some_and(|w| w == "extends"))
}

/// For a syntax error where Tera lost track of the nesting of tags, a diagnostic at the cause:
/// the tag left open, or the closing tag with nothing to close, when the scan of the template
/// notices the problem where Tera did (`tera_line`, or the end of the template).
fn nesting_error(file: &TemplateFile, tera_line: usize, tera_message: &str) -> Option<Diagnostic> {
    let found = template_tags::nesting(&file.text)?;
    let line_of = |offset| line_column(&file.text, offset).0;
    let same_place = match found.noticed_at() {
        Some(offset) => line_of(offset) == tera_line,
        None => tera_message.contains("end of input"),
    };
    if !same_place {
        return None;
    }
    let (message, help) = found.explain(line_of);
    Some(
        Diagnostic::error(&file.origin, format!("template error: {message}"))
            .with_span(&file.text, found.tag().span.clone())
            .with_help(help),
    )
}

fn register_filters(tera: &mut Tera, timezone: &TimeZone) {
    let timezone = timezone.clone();
    tera.register_filter(
        "date",
        move |value: &str, kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
            let format: &str = kwargs.get("format")?.unwrap_or("%B %-d, %Y");
            format_date(value, format, &timezone).map_err(tera::Error::message)
        },
    );
    tera.register_filter("urlencode", tera_contrib::urlencode::urlencode);
    tera.register_filter("slugify", tera_contrib::slug::slug);
    crate::render::pictures::register_resize_image_with(tera, Default::default(), String::new());
}

/// Formats an RFC 3339 timestamp in the site's time zone with a strftime pattern.
pub(crate) fn format_date(
    value: &str,
    format: &str,
    timezone: &TimeZone,
) -> Result<String, String> {
    let timestamp: jiff::Timestamp = value
        .parse()
        .map_err(|err| format!("the `date` filter needs an RFC 3339 date, not `{value}`: {err}"))?;
    let zoned = timestamp.to_zoned_datetime(timezone.clone());
    jiff::fmt::strtime::format(format, &zoned)
        .map_err(|err| format!("the `date` filter cannot use the format `{format}`: {err}"))
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;

    #[test]
    fn date_filter_formats_in_the_site_zone() {
        let lisbon = TimeZone::get("Europe/Lisbon").unwrap();
        let text = format_date("2025-07-01T08:05:00Z", "%B %-d, %Y %H:%M", &lisbon).unwrap();
        assert_eq!(text, "July 1, 2025 09:05");
    }

    #[test]
    fn date_filter_errors_instead_of_panicking() {
        assert!(format_date("soon", "%Y", &TimeZone::UTC).is_err());
        assert!(format_date("2025-07-01T08:05:00Z", "%Y %", &TimeZone::UTC).is_err());
    }

    #[test]
    fn built_in_theme_has_every_required_template() {
        // A root without a theme folder: the built-in theme.
        let files = ThemeFiles::load(Path::new("/nonexistent"), "default").unwrap();
        for name in REQUIRED_TEMPLATES
            .iter()
            .chain(&[CORRECTIONS_TEMPLATE, SEARCH_TEMPLATE])
        {
            assert!(files.templates.contains_key(*name), "missing {name}");
        }
        assert!(files.statics.contains_key("style.css"));
        assert!(files.statics.contains_key("search.js"));
    }

    #[test]
    fn template_syntax_error_points_at_its_line() {
        let mut files = ThemeFiles::default();
        files.templates.insert(
            "story.html".into(),
            TemplateFile {
                name: "story.html".into(),
                text: Arc::from("<p>\n{{ story.headline }\n"),
                origin: "templates/story.html".into(),
            },
        );
        let errors = Theme::compile(&files, &TimeZone::UTC)
            .err()
            .unwrap()
            .sorted();
        assert_eq!(errors[0].file, Path::new("templates/story.html"));
        assert_eq!(errors[0].line, 2, "{errors:?}");
    }
}
