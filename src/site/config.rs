//! `site.toml`: what the outlet is, where it lives and how its URLs look.
//!
//! The types here are plain serde data; [`Site::parse`] adds the checks serde cannot do
//! (a real time zone, an absolute base URL, a permalink pattern with known placeholders) and
//! reports every problem at its line in `site.toml`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::site::permalink::Permalink;

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
    /// Stories in each feed: `/feed.xml`, `/feed.json` and the section, tag and author feeds.
    #[serde(default = "default_feed_limit")]
    pub feed_limit: usize,
    /// What feeds carry.
    #[serde(default)]
    pub feeds: Feeds,
    /// Keep raw HTML written in story bodies (embeds, `<aside>` boxes). Set it to `false` when
    /// stories come from people you do not trust with the site's pages: raw HTML tags and
    /// blocks are then dropped (the Markdown around them still renders), so a body cannot
    /// inject scripts. Front matter is always text, whatever this says.
    #[serde(default = "default_true")]
    pub unsafe_html: bool,
    /// How local photos are resized for pages.
    #[serde(default)]
    pub images: Images,
    /// How links to paths on the site are checked.
    #[serde(default)]
    pub links: LinkChecks,
    /// Who publishes the site, for search engines' article data and feed images.
    #[serde(default)]
    pub publisher: Publisher,
    /// Section names in navigation order; sections not named here follow alphabetically.
    #[serde(default)]
    pub sections: Vec<String>,
    /// The "support us" appeal shown on every story and in the footer.
    #[serde(default)]
    pub support: Option<Support>,
    /// Authors described once, by the name used in front matter.
    #[serde(default)]
    pub authors: BTreeMap<String, AuthorInfo>,
    /// The reader-facing search of the site (`/search/` and its index).
    #[serde(default)]
    pub search: Search,
    /// Free-form values for themes, available as `site.extra`.
    #[serde(default)]
    pub extra: toml::Table,
}

/// `[search]`: the search index `dateline build` writes for the `/search/` page.
#[derive(Debug, Clone, Deserialize, Serialize, Hash, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Search {
    /// Write the index and the `/search/` page; `false` publishes neither.
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// Section names whose stories are left out of the index (as written in `sections` or in
    /// front matter).
    #[serde(default)]
    pub exclude_sections: Vec<String>,
    /// The language words are stemmed in, when it is not the site's `language`.
    #[serde(default)]
    pub language: Option<String>,
}

impl Default for Search {
    fn default() -> Search {
        Search {
            enabled: true,
            exclude_sections: Vec::new(),
            language: None,
        }
    }
}

/// `[feeds]`: what feed readers get.
#[derive(Debug, Clone, Deserialize, Serialize, Hash)]
#[serde(deny_unknown_fields)]
pub struct Feeds {
    /// Put each story's whole text in its feed item (`content:encoded`, `content_html`), so
    /// readers can read it in their feed reader; `false` sends only the dek and first paragraph.
    #[serde(default = "default_true")]
    pub full_content: bool,
}

impl Default for Feeds {
    fn default() -> Feeds {
        Feeds { full_content: true }
    }
}

/// `[images]`: the sizes local JPEG, PNG and WebP photos are published at.
#[derive(Debug, Clone, Deserialize, Serialize, Hash, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Images {
    /// Widths in pixels, for `srcset`: browsers pick the smallest that fills the space. Widths
    /// above a photo's own are skipped (photos are never enlarged), and its own is always added.
    #[serde(default = "default_image_widths")]
    pub widths: Vec<u32>,
    /// The largest photo accepted, in millions of pixels, read from the file's header before
    /// anything is decoded: a few hundred bytes can declare a picture that takes gigabytes to
    /// decode (an "image bomb"). 60 takes every camera's full-size photo (50 megapixels).
    #[serde(default = "default_max_megapixels")]
    pub max_megapixels: u32,
    /// The copyright notice every published photo carries (`© The Meridian Dispatch`), in its
    /// XMP, the lead photo's `ImageObject` and feeds' `media:copyright`.
    #[serde(default)]
    pub copyright: Option<String>,
    /// The page saying how the photos may be used: a path on the site or a full URL. It is
    /// the `license` of `ImageObject` and the XMP rights statement (`xmpRights:WebStatement`).
    #[serde(default)]
    pub license: Option<String>,
    /// The page where a photo's licence can be bought or asked for (`acquireLicensePage`).
    #[serde(default)]
    pub acquire_license: Option<String>,
}

impl Default for Images {
    fn default() -> Images {
        Images {
            widths: default_image_widths(),
            max_megapixels: default_max_megapixels(),
            copyright: None,
            license: None,
            acquire_license: None,
        }
    }
}

fn default_max_megapixels() -> u32 {
    60
}

fn default_image_widths() -> Vec<u32> {
    vec![480, 800, 1200, 1600]
}

/// `[links]`: every root-relative link in stories, pages and templates must lead to a file the
/// build publishes; these paths are served by something else (a newsletter form, a shop).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LinkChecks {
    /// Paths not checked, as written in links (`"/newsletter/"`); one ending in `*` covers
    /// every path that starts with the rest (`"/donate/*"`).
    #[serde(default)]
    pub ignore: Vec<String>,
}

impl LinkChecks {
    /// Whether `path` (root-relative, without query or fragment) is left to something else.
    /// A path matches with or without its trailing slash.
    pub fn ignores(&self, path: &str) -> bool {
        fn bare(path: &str) -> &str {
            path.trim_end_matches('/')
        }
        self.ignore
            .iter()
            .any(|pattern| match pattern.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix) || bare(path) == bare(prefix),
                None => bare(path) == bare(pattern),
            })
    }
}

/// `[publisher]`: the organisation behind the site, as search engines and feed readers show it.
/// Every key is optional.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Publisher {
    /// The organisation's name, when it differs from the site's `title`.
    #[serde(default)]
    pub name: Option<String>,
    /// The logo: a path on the site (`/logo.png`, a file in `static/`) or a full URL. Used as
    /// the publisher logo in `NewsArticle` data and as the image of every RSS feed.
    #[serde(default)]
    pub logo: Option<String>,
    /// The organisation's home page, when it is not the site's `base_url`.
    #[serde(default)]
    pub url: Option<String>,
    /// The organisation's profiles elsewhere (Wikipedia, social networks), for `sameAs`.
    #[serde(default)]
    pub same_as: Vec<String>,
    /// The page saying how errors are corrected (`/corrections-policy/`).
    #[serde(default)]
    pub corrections_policy: Option<String>,
    /// The page of the newsroom's ethics and standards.
    #[serde(default)]
    pub ethics_policy: Option<String>,
    /// The page listing the editors and who is responsible for what.
    #[serde(default)]
    pub masthead: Option<String>,
    /// The page saying who owns and funds the newsroom.
    #[serde(default)]
    pub ownership_funding: Option<String>,
    /// The page inviting readers' corrections and feedback, and saying what is done with them.
    #[serde(default)]
    pub actionable_feedback: Option<String>,
    /// The page saying how facts are checked before publication.
    #[serde(default)]
    pub verification_fact_checking: Option<String>,
    /// The page of the newsroom's mission and publishing principles.
    #[serde(default)]
    pub publishing_principles: Option<String>,
    /// The page of the newsroom's diversity policy.
    #[serde(default)]
    pub diversity_policy: Option<String>,
}

/// One Trust Project policy of the publisher, as `site.toml`, schema.org and readers name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy<'a> {
    /// Its key in `[publisher]`.
    pub key: &'static str,
    /// Its `NewsMediaOrganization` property.
    pub property: &'static str,
    /// Its link text in the footer.
    pub label: &'static str,
    /// The page, as written in `site.toml`: a path on the site.
    pub path: &'a str,
}

impl Publisher {
    /// The configured policies, in the order the footer lists them.
    pub fn policies(&self) -> Vec<Policy<'_>> {
        let all = [
            (
                "publishing_principles",
                "publishingPrinciples",
                "Our principles",
                &self.publishing_principles,
            ),
            (
                "ethics_policy",
                "ethicsPolicy",
                "Ethics policy",
                &self.ethics_policy,
            ),
            ("masthead", "masthead", "Masthead", &self.masthead),
            (
                "ownership_funding",
                "ownershipFundingInfo",
                "Ownership and funding",
                &self.ownership_funding,
            ),
            (
                "corrections_policy",
                "correctionsPolicy",
                "Corrections policy",
                &self.corrections_policy,
            ),
            (
                "verification_fact_checking",
                "verificationFactCheckingPolicy",
                "Fact-checking",
                &self.verification_fact_checking,
            ),
            (
                "actionable_feedback",
                "actionableFeedbackPolicy",
                "Send us feedback",
                &self.actionable_feedback,
            ),
            (
                "diversity_policy",
                "diversityPolicy",
                "Diversity policy",
                &self.diversity_policy,
            ),
        ];
        all.into_iter()
            .filter_map(|(key, property, label, path)| {
                Some(Policy {
                    key,
                    property,
                    label,
                    path: path.as_deref()?,
                })
            })
            .collect()
    }
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
fn default_true() -> bool {
    true
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
            let key = err.span().and_then(|span| key_on_line(text, span.start));
            let (message, help) = toml_problem(&toml_message(&err), key);
            let mut diagnostic = Diagnostic::error(file, message).with_help(help);
            if let Some(span) = err.span() {
                diagnostic = diagnostic.with_span(&source, span);
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
        if config.feed_limit == 0 {
            problems.push(
                at_key("feed_limit", "`feed_limit` must be at least 1".into()).with_help(
                    "it is the number of stories in each feed; 0 would publish empty feeds",
                ),
            );
        }
        if config.images.widths.contains(&0) {
            problems.push(
                at_key(
                    "images.widths",
                    "`images.widths` cannot have a width of 0".into(),
                )
                .with_help("list widths in pixels, e.g. `widths = [480, 800, 1200, 1600]`"),
            );
        }
        if config.images.max_megapixels == 0 {
            problems.push(
                at_key(
                    "images.max_megapixels",
                    "`images.max_megapixels` must be at least 1".into(),
                )
                .with_help("it is the largest photo accepted, in millions of pixels (default 60)"),
            );
        }
        for pattern in &config.links.ignore {
            if !pattern.starts_with('/') || pattern.starts_with("//") {
                problems.push(
                    at_key(
                        "links.ignore",
                        format!("`links.ignore` has `{pattern}`, which is not a path on the site"),
                    )
                    .with_help("write paths as links write them, starting with `/`: \"/newsletter/\", or \"/donate/*\" for everything under /donate/"),
                );
            }
        }
        if let Some(logo) = &config.publisher.logo
            && !(is_site_path(logo) || is_web_url(logo))
        {
            problems.push(
                at_key(
                    "publisher.logo",
                    format!("the publisher logo `{logo}` is not a path or web URL"),
                )
                .with_help("use a file in static/ such as \"/logo.png\", or an https:// URL"),
            );
        }
        for policy in config.publisher.policies() {
            if !is_site_path(policy.path) {
                let key = format!("publisher.{}", policy.key);
                problems.push(
                    at_key(&key, format!("`{key}` is `{}`, which is not a page of the site", policy.path))
                        .with_help("policies must be pages this site publishes: write the path, e.g. \"/corrections-policy/\", and put the page in content/"),
                );
            }
        }
        for url in config
            .publisher
            .same_as
            .iter()
            .filter(|url| !is_web_url(url))
        {
            problems.push(
                at_key("publisher.same_as", format!("`publisher.same_as` has `{url}`, which is not a web URL"))
                    .with_help("list full addresses of the outlet's profiles, e.g. \"https://en.wikipedia.org/wiki/Example\""),
            );
        }
        for (key, url) in [
            ("images.license", &config.images.license),
            ("images.acquire_license", &config.images.acquire_license),
        ] {
            if let Some(url) = url
                && !(is_site_path(url) || is_web_url(url))
            {
                problems.push(
                    at_key(
                        key,
                        format!("`{key}` is `{url}`, which is not a path or web URL"),
                    )
                    .with_help(
                        "use a page of the site (\"/photo-licensing/\") or an https:// address",
                    ),
                );
            }
        }
        if let Some(url) = &config.publisher.url
            && !is_web_url(url)
        {
            problems.push(
                at_key(
                    "publisher.url",
                    format!("the publisher url `{url}` is not a web URL"),
                )
                .with_help("write the full address, e.g. `https://news.example.org/`"),
            );
        }
        // Links written in site.toml become `href`s on every page: none may run a script.
        let links = config
            .support
            .iter()
            .map(|support| ("support.url".to_string(), &support.url))
            .chain(config.authors.iter().filter_map(|(name, info)| {
                let url = info.url.as_ref()?;
                Some((format!("the url of author `{name}`"), url))
            }));
        for (what, url) in links {
            if crate::site::url::is_script_url(url) {
                let key = if what == "support.url" {
                    "support.url"
                } else {
                    "authors"
                };
                problems.push(
                    at_key(key, format!("{what} `{url}` is a script, not a link"))
                        .with_help("use a page of the site (`/support/`) or an https:// address"),
                );
            }
        }
        if let Some(language) = &config.search.language
            && search_language(language).is_none()
        {
            problems.push(
                at_key(
                    "search.language",
                    format!("search cannot stem words in `{language}`"),
                )
                .with_help(format!(
                    "use one of {}, or leave `search.language` out to use the site's `language` \
                     (a language without stemming is searched by whole words)",
                    SEARCH_LANGUAGES.join(", ")
                )),
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

    /// The absolute form of a URL as pages write it: root-relative with the base path
    /// (`/gazette/a.jpg`), or already absolute.
    pub fn absolute_url(&self, url: &str) -> String {
        crate::site::absolute_links::resolve(url, &self.base_url).into_owned()
    }

    /// The path prefixes that root-relative links into the site start with: the base path,
    /// and `site.toml`'s own when `--base-url` publishes the site elsewhere (`serve` previews
    /// at `/`), so that links written for the published site are still links into it.
    pub fn link_prefixes(&self) -> Vec<String> {
        let configured = split_base_url(&self.config.base_url).map(|(_, path)| path);
        let mut prefixes = vec![self.base_path.clone()];
        prefixes.extend(configured.ok().filter(|path| *path != self.base_path));
        prefixes
    }

    /// The publisher's name: `[publisher] name`, else the site's title.
    pub fn publisher_name(&self) -> &str {
        self.config
            .publisher
            .name
            .as_deref()
            .unwrap_or(&self.config.title)
    }

    /// The publisher's home page: `[publisher] url`, else the site's front page.
    pub fn publisher_url(&self) -> String {
        match &self.config.publisher.url {
            Some(url) => url.clone(),
            None => self.absolute(&self.path("/")),
        }
    }

    /// The absolute URL of the publisher's logo, if there is one.
    pub fn logo_url(&self) -> Option<String> {
        let logo = self.config.publisher.logo.as_deref()?;
        Some(if is_web_url(logo) {
            logo.to_string()
        } else {
            self.absolute_url(&self.path(logo))
        })
    }

    /// The absolute form of a URL written in `site.toml`: a path on the site (written without
    /// the base path) or a full address, kept as it is.
    pub fn config_url(&self, url: &str) -> String {
        match is_site_path(url) {
            true => self.absolute(&self.path(url)),
            false => url.to_string(),
        }
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

/// The languages search stems words in (Snowball's), by their ISO 639-1 code.
pub const SEARCH_LANGUAGES: &[&str] = &[
    "ar", "da", "de", "el", "en", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru", "sv",
    "ta", "tr",
];

/// The stemming language of a BCP 47 tag (`pt-BR` is `pt`; Norwegian Bokmål and Nynorsk are
/// `no`), or `None` when search has no stemmer for it.
pub fn search_language(tag: &str) -> Option<&'static str> {
    let primary = tag
        .split(['-', '_'])
        .next()
        .unwrap_or(tag)
        .to_ascii_lowercase();
    let primary = match primary.as_str() {
        "nb" | "nn" => "no",
        other => other,
    };
    SEARCH_LANGUAGES
        .iter()
        .copied()
        .find(|code| *code == primary)
}

impl Site {
    /// The language search stems in: `search.language`, else the site's, when it has a stemmer.
    pub fn search_language(&self) -> Option<&'static str> {
        let search = &self.config.search;
        search_language(search.language.as_deref().unwrap_or(&self.config.language))
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
    "feeds",
    "unsafe_html",
    "images",
    "links",
    "publisher",
    "sections",
    "support",
    "authors",
    "search",
    "extra",
];

/// toml's message without the snippet it renders itself: we render our own.
fn toml_message(err: &toml::de::Error) -> String {
    let message = err.message().trim();
    message.lines().next().unwrap_or(message).to_string()
}

/// toml's and serde's messages in a newsroom's words, with what to do: `key` is the key on
/// the line the error points at, when there is one.
fn toml_problem(message: &str, key: Option<&str>) -> (String, String) {
    const SYNTAX: &str = "check the TOML syntax: `key = value`, text in double quotes, lists as \
                          [\"a\", \"b\"]; `dateline init` writes a commented example";
    if let Some(unknown) = unknown_key(message) {
        let expected: Vec<&str> = message
            .split("expected one of ")
            .nth(1)
            .unwrap_or("")
            .split(", ")
            .map(|k| k.trim_matches('`'))
            .filter(|k| !k.is_empty())
            .collect();
        let known = if expected.is_empty() {
            SITE_KEYS.to_vec()
        } else {
            expected
        };
        let help = unknown_key_help(message, &known).unwrap_or_else(|| SYNTAX.into());
        return (format!("unknown key `{unknown}` in site.toml"), help);
    }
    if let Some(missing) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
    {
        let example = match missing {
            "title" => "title = \"The Harbour Gazette\"",
            "base_url" => "base_url = \"https://news.example.org/\"",
            "text" => "text = \"Our reporting is paid for by our readers.\"",
            "url" => "url = \"/support/\"",
            _ => "",
        };
        let help = if example.is_empty() {
            format!("add `{missing} = ...`")
        } else {
            format!("add it, e.g. `{example}`")
        };
        return (format!("`{missing}` is missing"), help);
    }
    let Some(key) = key else {
        return (message.to_string(), SYNTAX.into());
    };
    let (kind, example) = if message.contains("expected a string") {
        ("text in double quotes", "\"...\"")
    } else if message.contains("expected usize") || message.contains("expected an integer") {
        ("a whole number", "10")
    } else if message.contains("expected a sequence") {
        ("a list", "[\"a\", \"b\"]")
    } else if message.contains("expected a boolean") {
        ("`true` or `false`", "true")
    } else {
        return (format!("`{key}`: {message}"), SYNTAX.into());
    };
    (
        format!("`{key}` must be {kind}"),
        format!("write it as `{key} = {example}`"),
    )
}

/// The key of the `key = value` line around byte `offset`, if the line has one.
fn key_on_line(text: &str, offset: usize) -> Option<&str> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text[start..].lines().next()?;
    let (key, _) = line.split_once('=')?;
    let key = key.trim();
    (!key.is_empty() && key.chars().all(|c| c.is_alphanumeric() || c == '_')).then_some(key)
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

/// `http://` and `https://` URLs: what a logo or home page can be.
fn is_web_url(url: &str) -> bool {
    url.starts_with("https://") || url.starts_with("http://")
}

/// A root-relative path on the site (`/about/`), not a protocol-relative address (`//x.org`).
pub(crate) fn is_site_path(url: &str) -> bool {
    url.starts_with('/') && !url.starts_with("//")
}

/// The byte range of `key = ...`'s key in `text`, to point at it; `table.key` looks for the
/// key only below the `[table]` header.
pub(crate) fn find_key(text: &str, key: &str) -> Option<std::ops::Range<usize>> {
    let (table, key) = match key.split_once('.') {
        Some((table, key)) => (Some(format!("[{table}]")), key),
        None => (None, key),
    };
    let mut in_table = table.is_none();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let trimmed = line.trim_start();
        if trimmed.starts_with('[') {
            in_table = table.as_deref().is_some_and(|t| trimmed.trim_end() == t);
        } else if in_table
            && let Some(rest) = trimmed.strip_prefix(key)
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
    Some(match nearest_key(unknown, known) {
        Some(key) => format!("did you mean `{key}`?"),
        None => format!("known keys are: {}", known.join(", ")),
    })
}

/// The known key that `unknown` is most likely a typo of, if one is close enough.
pub fn nearest_key<'k>(unknown: &str, known: &[&'k str]) -> Option<&'k str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(unknown, k), *k))
        .filter(|(distance, k)| *distance <= 2.max(k.len() / 3))
        .min()
        .map(|(_, key)| key)
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
    fn script_urls_in_site_toml_links_are_refused() {
        let text = "title = \"G\"\nbase_url = \"https://x.org/\"\n\
                    [support]\ntitle = \"T\"\ntext = \"x\"\nurl = \" JavaScript:alert(1)\"\n\
                    [authors.\"Ana\"]\nurl = \"javascript:alert(2)\"\n";
        let errors = Site::parse(text, Path::new("site.toml"))
            .unwrap_err()
            .sorted();
        let messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(messages.len(), 2, "{messages:?}");
        assert!(
            messages.iter().any(|m| m.starts_with("support.url")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|m| m.contains("author `Ana`")),
            "{messages:?}"
        );
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
    fn numbers_that_would_publish_nothing_are_errors_at_their_line() {
        let errors = parse(
            "title = \"G\"\nbase_url = \"https://x.org\"\nfeed_limit = 0\n\
             [images]\nwidths = [0, 800]\nmax_megapixels = 0\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![3, 5, 6], "{errors:?}");
    }

    #[test]
    fn publisher_defaults_to_the_site() {
        let site =
            parse("title = \"Gazette\"\nbase_url = \"https://me.github.io/gazette/\"\n").unwrap();
        assert_eq!(site.publisher_name(), "Gazette");
        assert_eq!(site.publisher_url(), "https://me.github.io/gazette/");
        assert_eq!(site.logo_url(), None);
        assert!(site.config.feeds.full_content);
    }

    #[test]
    fn publisher_logo_is_published_under_the_base_path() {
        let site = parse(
            "title = \"G\"\nbase_url = \"https://me.github.io/gazette/\"\n\
             [publisher]\nname = \"Gazette Media\"\nlogo = \"/logo.png\"\n",
        )
        .unwrap();
        assert_eq!(site.publisher_name(), "Gazette Media");
        assert_eq!(
            site.logo_url().as_deref(),
            Some("https://me.github.io/gazette/logo.png")
        );
    }

    #[test]
    fn publisher_logo_and_url_must_be_web_addresses() {
        let errors = parse(
            "title = \"G\"\nbase_url = \"https://x.org\"\n[publisher]\n\
             logo = \"javascript:alert(1)\"\nurl = \"x.org\"\n",
        )
        .unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|d| d.line).collect();
        assert_eq!(lines, vec![4, 5], "{errors:?}");
    }

    #[test]
    fn wrong_type_points_at_the_value() {
        let errors = parse("title = 3\nbase_url = \"https://x.org\"\n").unwrap_err();
        assert_eq!(errors[0].line, 1);
        assert_eq!(errors[0].message, "`title` must be text in double quotes");
        assert_eq!(
            errors[0].help.as_deref(),
            Some("write it as `title = \"...\"`")
        );
    }

    #[test]
    fn unknown_keys_in_tables_suggest_the_keys_of_that_table() {
        let errors = parse(
            "title = \"G\"\nbase_url = \"https://x.org\"\n[support]\ntitle = \"T\"\ntext = \"x\"\nulr = \"/s/\"\n",
        )
        .unwrap_err();
        assert_eq!(errors[0].message, "unknown key `ulr` in site.toml");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `url`?"));
    }

    #[test]
    fn a_missing_key_says_how_to_add_it() {
        let errors = parse("base_url = \"https://x.org\"\n").unwrap_err();
        assert_eq!(errors[0].message, "`title` is missing");
        assert!(errors[0].help.as_deref().unwrap().contains("title = "));
    }
}
