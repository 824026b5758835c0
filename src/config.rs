//! `site.toml`: what the outlet is, where it lives and how its URLs look.
//!
//! The types here are plain serde data; [`SiteConfig::parse`] adds the checks serde cannot do
//! (a real time zone, an absolute base URL, a permalink pattern with known placeholders) and
//! reports every problem at its line in `site.toml`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::permalink::Permalink;

/// The file name of the site configuration, at the site root.
pub const CONFIG_FILE: &str = "site.toml";

/// `site.toml` as the user writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteConfig {
    /// The outlet's name, shown in the masthead, titles and feeds.
    pub title: String,
    /// A short line under the masthead.
    #[serde(default)]
    pub tagline: Option<String>,
    /// One sentence for search engines and feed readers.
    #[serde(default)]
    pub description: Option<String>,
    /// The absolute URL the site is published at, e.g. `https://news.example.org/`.
    pub base_url: String,
    /// The language of the content, as a BCP 47 tag (`en`, `pt-BR`).
    #[serde(default = "default_language")]
    pub language: String,
    /// The IANA time zone that local dates in front matter are read in (`Europe/Lisbon`).
    #[serde(default = "default_timezone")]
    pub timezone: String,
    /// The theme folder under `themes/`; `default` is built into Dateline.
    #[serde(default = "default_theme")]
    pub theme: String,
    /// The URL pattern of stories: `:section`, `:year`, `:month`, `:day`, `:slug`.
    #[serde(default = "default_permalink")]
    pub permalink: String,
    /// Stories per listing page (front, section, tag and author pages).
    #[serde(default = "default_paginate")]
    pub paginate: usize,
    /// Stories in `/feed.xml`.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// Section names in navigation order; sections not named here follow alphabetically.
    #[serde(default)]
    pub sections: Vec<String>,
    /// The "support us" appeal shown on every story and in the footer.
    #[serde(default)]
    pub support: Option<Support>,
    /// Authors described once, by the name used in front matter.
    #[serde(default)]
    pub authors: BTreeMap<String, AuthorInfo>,
    /// Free-form values for themes, available as `site.extra`.
    #[serde(default)]
    pub extra: toml::Table,
}

/// The appeal for reader funding.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Support {
    pub title: String,
    pub text: String,
    /// The label of the donation button.
    #[serde(default = "default_support_button")]
    pub button: String,
    /// Where the button leads: a page of the site (`/support/`, under the base path) or a
    /// donation platform's full address.
    pub url: String,
}

/// What `site.toml` says about one author.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct AuthorInfo {
    #[serde(default)]
    pub bio: Option<String>,
    #[serde(default)]
    pub url: Option<String>,
}

fn default_language() -> String {
    "en".into()
}
fn default_timezone() -> String {
    "UTC".into()
}
fn default_theme() -> String {
    "default".into()
}
fn default_permalink() -> String {
    "/:section/:year/:month/:slug/".into()
}
fn default_paginate() -> usize {
    10
}
fn default_feed_limit() -> usize {
    20
}
fn default_support_button() -> String {
    "Support us".into()
}

/// The configuration after validation, with the derived values every stage needs.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub timezone: TimeZone,
    /// `base_url` without its trailing slash: `https://example.org/news`.
    pub base_url: String,
    /// The path part of `base_url` without a trailing slash: `/news`, or "" at the domain root.
    pub base_path: String,
    pub permalink: Permalink,
}

impl Site {
    /// Parses and checks `site.toml`, reporting every problem with its line.
    pub fn parse(text: &str, file: &Path) -> Result<Site, Diagnostics> {
        let source: Arc<str> = Arc::from(text);
        let config: SiteConfig = toml::from_str(text).map_err(|err| {
            let mut diagnostic = Diagnostic::error(file, toml_message(&err));
            if let Some(span) = err.span() {
                diagnostic = diagnostic.with_span(&source, span);
            }
            if let Some(help) = unknown_key_help(err.message(), SITE_KEYS) {
                diagnostic = diagnostic.with_help(help);
            }
            Diagnostics::from_iter([diagnostic])
        })?;
        let at_key = |key: &str, message: String| {
            let diagnostic = Diagnostic::error(file, message);
            match find_key(text, key) {
                Some(span) => diagnostic.with_span(&source, span),
                None => diagnostic,
            }
        };

        let mut problems = Diagnostics::new();
        let timezone = TimeZone::get(&config.timezone)
            .map_err(|_| {
                problems.push(
                    at_key(
                        "timezone",
                        format!("unknown time zone `{}`", config.timezone),
                    )
                    .with_help("use an IANA zone name such as `Europe/Lisbon`, `America/New_York` or `UTC`"),
                )
            })
            .ok();
        let base = split_base_url(&config.base_url)
            .map_err(|message| {
                problems.push(
                    at_key("base_url", message)
                        .with_help("write the full address, e.g. `https://news.example.org/`"),
                )
            })
            .ok();
        let permalink = Permalink::parse(&config.permalink)
            .map_err(|message| {
                problems.push(at_key("permalink", message).with_help(
                    "placeholders are :section, :year, :month, :day and :slug, e.g. \"/:section/:year/:month/:slug/\"",
                ))
            })
            .ok();
        if config.paginate == 0 {
            problems.push(
                at_key("paginate", "`paginate` must be at least 1".into())
                    .with_help("it is the number of stories on each listing page"),
            );
        }
        match (timezone, base, permalink) {
            (Some(timezone), Some((base_url, base_path)), Some(permalink))
                if !problems.has_errors() =>
            {
                Ok(Site {
                    config,
                    timezone,
                    base_url,
                    base_path,
                    permalink,
                })
            }
            _ => Err(problems),
        }
    }

    /// The absolute URL of a root-relative path that already includes the base path.
    pub fn absolute(&self, path: &str) -> String {
        let origin_len = self.base_url.len() - self.base_path.len();
        format!("{}{}", &self.base_url[..origin_len], path)
    }

    /// The root-relative URL of a site route (`/world/`), with the base path in front.
    pub fn path(&self, route: &str) -> String {
        format!("{}{}", self.base_path, route)
    }

    /// A copy of the site published at another address, as `serve` needs for preview URLs.
    pub fn with_base_url(&self, base_url: &str) -> Result<Site, String> {
        let (base_url, base_path) = split_base_url(base_url)?;
        Ok(Site {
            base_url,
            base_path,
            ..self.clone()
        })
    }
}

const SITE_KEYS: &[&str] = &[
    "title",
    "tagline",
    "description",
    "base_url",
    "language",
    "timezone",
    "theme",
    "permalink",
    "paginate",
    "feed_limit",
    "sections",
    "support",
    "authors",
    "extra",
];

/// toml's message without the snippet it renders itself: we render our own.
fn toml_message(err: &toml::de::Error) -> String {
    let message = err.message().trim();
    message.lines().next().unwrap_or(message).to_string()
}

/// Splits `https://example.org/news/` into (`https://example.org/news`, `/news`).
fn split_base_url(url: &str) -> Result<(String, String), String> {
    let url = url.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or_else(|| format!("`base_url` must start with http:// or https://, not `{url}`"))?;
    let (host, path) = rest.split_at(rest.find('/').unwrap_or(rest.len()));
    if host.is_empty() || host.contains(char::is_whitespace) {
        return Err(format!("`base_url` has no valid host: `{url}`"));
    }
    if path.contains(['?', '#']) {
        return Err("`base_url` cannot have a query or fragment".into());
    }
    Ok((url.to_string(), path.to_string()))
}

/// The byte range of `key = ...`'s key in `text`, to point at it.
fn find_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if let Some(rest) = trimmed.strip_prefix(key)
            && rest.trim_start().starts_with('=')
        {
            let start = offset + (line.len() - trimmed.len());
            return Some(start..start + key.len());
        }
        offset += line.len();
    }
    None
}

/// "did you mean `headline`?" for serde's "unknown field `hedline`, expected ..." messages.
pub fn unknown_key_help(message: &str, known: &[&str]) -> Option<String> {
    let unknown = unknown_key(message)?;
    let nearest = known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(unknown, k), *k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 3))
        .min();
    Some(match nearest {
        Some((_, key)) => format!("did you mean `{key}`?"),
        None => format!("known keys are: {}", known.join(", ")),
    })
}

/// The key named by serde's unknown-field message, if that is what `message` is.
pub fn unknown_key(message: &str) -> Option<&str> {
    let rest = message.split("unknown field `").nth(1)?;
    rest.split('`').next()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Site, Vec<Diagnostic>> {
        Site::parse(text, Path::new("site.toml")).map_err(Diagnostics::sorted)
    }

    #[test]
    fn minimal_config_gets_defaults() {
        let site =
            parse("title = \"Gazette\"\nbase_url = \"https://news.example.com/\"\n").unwrap();
        assert_eq!(site.base_url, "https://news.example.com");
        assert_eq!(site.base_path, "");
        assert_eq!(site.config.language, "en");
        assert_eq!(site.config.paginate, 10);
        assert_eq!(site.absolute("/world/"), "https://news.example.com/world/");
    }

    #[test]
    fn base_path_is_kept_for_project_pages() {
        let site = parse("title = \"G\"\nbase_url = \"https://me.github.io/gazette/\"\n").unwrap();
        assert_eq!(site.base_path, "/gazette");
        assert_eq!(site.path("/world/"), "/gazette/world/");
        assert_eq!(
            site.absolute(&site.path("/world/")),
            "https://me.github.io/gazette/world/"
        );
    }

    #[test]
    fn unknown_key_suggests_the_nearest_one() {
        let errors =
            parse("title = \"G\"\nbase_url = \"https://x.org\"\ntimezon = \"UTC\"\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (3, 1));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `timezone`?"));
    }

    #[test]
    fn every_invalid_value_is_reported_at_its_line() {
        let errors = parse(
            "title = \"G\"\nbase_url = \"example.org\"\ntimezone = \"Mars/Olympus\"\npaginate = 0\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![2, 3, 4], "{errors:?}");
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let errors = parse("title = 3\nbase_url = \"https://x.org\"\n").unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert!(
            errors[0].message.contains("string"),
            "{}",
            errors[0].message
        );
    }
}
