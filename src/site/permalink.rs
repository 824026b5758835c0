//! Story URLs from the `permalink` pattern in `site.toml`.

/// A parsed permalink pattern such as `/:section/:year/:month/:slug/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Permalink {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Literal(String),
    Section,
    Year,
    Month,
    Day,
    Slug,
}

/// The values a story contributes to its URL.
#[derive(Debug, Clone, Copy)]
pub struct PermalinkValues<'a> {
    pub section: &'a str,
    pub year: i16,
    pub month: i8,
    pub day: i8,
    pub slug: &'a str,
}

impl Permalink {
    /// Parses a pattern; it must start and end with `/` and contain `:slug`.
    pub fn parse(pattern: &str) -> Result<Permalink, String> {
        if !pattern.starts_with('/') || !pattern.ends_with('/') {
            return Err(format!(
                "the permalink pattern `{pattern}` must start and end with `/`"
            ));
        }
        if let Some(segment) = pattern
            .split(['/', '\\'])
            .find(|segment| matches!(*segment, "." | ".."))
        {
            return Err(format!(
                "the permalink pattern `{pattern}` has a `{segment}` segment: story addresses must stay inside the site"
            ));
        }
        if pattern.len() > 1 && pattern[1..pattern.len() - 1].split('/').any(str::is_empty) {
            return Err(format!(
                "the permalink pattern `{pattern}` has an empty segment (`//`)"
            ));
        }
        let mut parts = Vec::new();
        let mut literal = String::new();
        let mut rest = pattern;
        while let Some(colon) = rest.find(':') {
            literal.push_str(&rest[..colon]);
            let after = &rest[colon + 1..];
            let name_len = after
                .find(|c: char| !c.is_ascii_alphabetic())
                .unwrap_or(after.len());
            let part = match &after[..name_len] {
                "section" => Part::Section,
                "year" => Part::Year,
                "month" => Part::Month,
                "day" => Part::Day,
                "slug" => Part::Slug,
                other => {
                    return Err(format!(
                        "unknown placeholder `:{other}` in the permalink pattern"
                    ));
                }
            };
            if !literal.is_empty() {
                parts.push(Part::Literal(std::mem::take(&mut literal)));
            }
            parts.push(part);
            rest = &after[name_len..];
        }
        literal.push_str(rest);
        if !literal.is_empty() {
            parts.push(Part::Literal(literal));
        }
        if !parts.contains(&Part::Slug) {
            return Err(format!(
                "the permalink pattern `{pattern}` needs `:slug` so that stories get different URLs"
            ));
        }
        Ok(Permalink { parts })
    }

    /// The root-relative route of a story (without the site's base path).
    pub fn expand(&self, values: PermalinkValues<'_>) -> String {
        let mut url = String::with_capacity(64);
        for part in &self.parts {
            match part {
                Part::Literal(text) => url.push_str(text),
                Part::Section => url.push_str(values.section),
                Part::Year => url.push_str(&format!("{:04}", values.year)),
                Part::Month => url.push_str(&format!("{:02}", values.month)),
                Part::Day => url.push_str(&format!("{:02}", values.day)),
                Part::Slug => url.push_str(values.slug),
            }
        }
        url
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALUES: PermalinkValues<'static> = PermalinkValues {
        section: "world",
        year: 2025,
        month: 5,
        day: 7,
        slug: "talks",
    };

    #[test]
    fn default_pattern_expands_with_padded_dates() {
        let pattern = Permalink::parse("/:section/:year/:month/:slug/").unwrap();
        assert_eq!(pattern.expand(VALUES), "/world/2025/05/talks/");
    }

    #[test]
    fn literals_and_day_are_kept() {
        let pattern = Permalink::parse("/news/:year-:month-:day/:slug/").unwrap();
        assert_eq!(pattern.expand(VALUES), "/news/2025-05-07/talks/");
    }

    #[test]
    fn patterns_that_leave_the_site_are_refused() {
        for pattern in [
            "/../:slug/",
            "/news/../../:slug/",
            "/./:slug/",
            "/a\\..\\:slug/",
        ] {
            let error = Permalink::parse(pattern).unwrap_err();
            assert!(error.contains("inside the site"), "{pattern}: {error}");
        }
        assert!(Permalink::parse("/...:slug/").is_ok());
        assert!(
            Permalink::parse("/news//:slug/")
                .unwrap_err()
                .contains("empty")
        );
        assert!(Permalink::parse("//:slug/").unwrap_err().contains("empty"));
    }

    #[test]
    fn patterns_without_slug_or_with_unknown_placeholders_are_refused() {
        assert!(
            Permalink::parse("/:section/")
                .unwrap_err()
                .contains(":slug")
        );
        assert!(
            Permalink::parse("/:sektion/:slug/")
                .unwrap_err()
                .contains(":sektion")
        );
        assert!(Permalink::parse(":slug").is_err());
    }
}
