//! The theme compiled: every template parsed once per build with the site's filters, and
//! template errors reported at their line in the template's own file.

use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use tera::{Kwargs, State, Tera};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::theme::{TemplateFile, ThemeFiles};

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
        for name in REQUIRED_TEMPLATES.iter().chain(&[CORRECTIONS_TEMPLATE]) {
            assert!(files.templates.contains_key(*name), "missing {name}");
        }
        assert!(files.statics.contains_key("style.css"));
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
