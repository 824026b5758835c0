//! Every path on the site that the site links to, checked against what the build publishes:
//! root-relative links and image sources in story and page bodies, the literal `href`, `src`
//! and `poster` values of the theme's templates, and the paths `site.toml` puts on every page
//! (`support.url`, `publisher.logo`). A link that leads nowhere is an error at its line, found
//! before anything is published.
//!
//! It runs on the rendered outputs, not on a list of routes made for the purpose: the outputs
//! are every story, page, listing and its pages, feed, sitemap, static file, photo and
//! redirect the build publishes, so the check cannot drift from what is really there. Each
//! link costs a lookup or two in the outputs' map, whatever the size of the site, and a body
//! found clean is not checked again while the set of outputs stays the same (most saves in
//! `serve`).

use std::ops::Range;
use std::path::Path;
use std::sync::{Arc, OnceLock};

use percent_encoding::percent_decode_str;
use rayon::prelude::*;
use rustc_hash::FxHashMap as HashMap;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::Newsroom;
use crate::output::Outputs;
use crate::parse::markdown::Body;
use crate::parse::story::Story;
use crate::site::config::LinkChecks;
use crate::site::routes::route_file;
use crate::source::theme::ThemeFiles;

/// Errors for every root-relative link in the site's bodies, templates and `site.toml` (whose
/// text is `config`) that leads to no output, except the paths `[links] ignore` leaves to
/// something else.
pub(crate) fn check(
    newsroom: &Newsroom,
    templates: &ThemeFiles,
    config: &Arc<str>,
    outputs: &Outputs,
    checked: &mut CheckedLinks,
) -> Diagnostics {
    let site = Published {
        outputs,
        prefixes: newsroom.site.link_prefixes(),
        ignored: &newsroom.site.config.links,
        pages: OnceLock::new(),
    };
    let mut problems = Diagnostics::new();
    problems.extend(checked.bodies(newsroom, &site));
    for template in templates.templates.values() {
        for span in crate::site::absolute_links::url_values(&template.text) {
            let url = &template.text[span.clone()];
            let literal = !["{{", "{%", "{#"].iter().any(|tag| url.contains(tag));
            if literal
                && url.starts_with('/')
                && !url.starts_with("//")
                && let Some(help) = site.dead_end(url, false)
            {
                problems.push(
                    dead_link(&template.origin, &template.text, &span, "link", url).with_help(help),
                );
            }
        }
    }
    problems.extend(site_toml_paths(newsroom, &site, config));
    problems
}

/// Bodies whose every link led to an output, kept between the builds of `serve`: while no
/// output appears or goes away, only the bodies rendered anew are checked again.
#[derive(Debug, Default)]
pub(crate) struct CheckedLinks {
    /// What the bodies were checked against: every output path, and the link settings.
    key: u64,
    /// By the body's address; each entry holds its body, so that no other body can be made at
    /// that address meanwhile.
    clean: HashMap<usize, Arc<Body>>,
}

impl CheckedLinks {
    /// The errors of every story's and page's links that are not known to be clean already.
    fn bodies(&mut self, newsroom: &Newsroom, site: &Published<'_>) -> Diagnostics {
        let key = site.key();
        if key != self.key {
            self.clean.clear();
            self.key = key;
        }
        let address = |body: &Arc<Body>| Arc::as_ptr(body).addr();
        let all: Vec<&Story> = newsroom.stories.iter().chain(&newsroom.pages).collect();
        let results: Vec<(&Story, Diagnostics)> = all
            .par_iter()
            .filter(|story| {
                !story.body.site_links.is_empty() && !self.clean.contains_key(&address(&story.body))
            })
            .map(|story| (*story, site.body_problems(story)))
            .collect();
        let mut problems = Diagnostics::new();
        for (story, found) in results {
            if found.is_empty() {
                self.clean
                    .insert(address(&story.body), Arc::clone(&story.body));
            }
            problems.extend(found);
        }
        if self.clean.len() > all.len() {
            let live: rustc_hash::FxHashSet<usize> =
                all.iter().map(|story| address(&story.body)).collect();
            self.clean.retain(|body, _| live.contains(body));
        }
        problems
    }
}

/// `support.url`, `publisher.logo`, the publisher's policies and the photos' licence pages,
/// when they are paths on the site: written without the base path, which pages put in front
/// of them.
fn site_toml_paths(newsroom: &Newsroom, site: &Published<'_>, config: &Arc<str>) -> Diagnostics {
    let settings = &newsroom.site.config;
    let mut paths: Vec<(String, Option<&str>, bool)> = vec![
        (
            "support.url".into(),
            settings.support.as_ref().map(|s| s.url.as_str()),
            false,
        ),
        (
            "publisher.logo".into(),
            settings.publisher.logo.as_deref(),
            true,
        ),
        (
            "images.license".into(),
            settings.images.license.as_deref(),
            false,
        ),
        (
            "images.acquire_license".into(),
            settings.images.acquire_license.as_deref(),
            false,
        ),
    ];
    paths.extend(settings.publisher.policies().into_iter().map(|policy| {
        (
            format!("publisher.{}", policy.key),
            Some(policy.path),
            false,
        )
    }));
    let mut problems = Diagnostics::new();
    for (key, path, image) in paths {
        let Some(path) = path.filter(|p| crate::site::config::is_site_path(p)) else {
            continue;
        };
        if site.ignored.ignores(path) {
            continue;
        }
        if let Some(help) = site.dead_end(&newsroom.site.path(path), image) {
            let mut error = Diagnostic::error(
                crate::site::config::CONFIG_FILE,
                format!("`{key}` is `{path}`, which leads to nothing this site publishes"),
            );
            if let Some(span) = crate::site::config::find_key(config, &key) {
                error = error.with_span(config, span);
            }
            problems.push(error.with_help(help));
        }
    }
    problems
}

/// The error of a link (`what`: "link" or "image") to `url` written at `span` of `file`.
fn dead_link(
    file: &Path,
    text: &Arc<str>,
    span: &Range<usize>,
    what: &str,
    url: &str,
) -> Diagnostic {
    Diagnostic::error(
        file,
        format!("the {what} `{url}` leads to nothing this site publishes"),
    )
    .with_span(text, span.clone())
}

/// What the build publishes, as links see it.
struct Published<'a> {
    outputs: &'a Outputs,
    /// The paths the site lives under (see `Site::link_prefixes`).
    prefixes: Vec<String>,
    ignored: &'a LinkChecks,
    /// Page folders (`world/2025/05/talks/`) by their last segment, for suggestions.
    pages: OnceLock<HashMap<&'a str, Vec<&'a str>>>,
}

/// The last segment of a path (`talks` for `/world/2025/05/talks/index.html`).
fn last_segment(path: &str) -> Option<&str> {
    let path = path.strip_suffix("index.html").unwrap_or(path);
    path.trim_end_matches('/')
        .rsplit('/')
        .next()
        .filter(|segment| !segment.is_empty())
}

impl<'a> Published<'a> {
    /// A hash of what decides where links lead: every output path and the link settings.
    fn key(&self) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        for path in self.outputs.files.keys() {
            path.hash(&mut hasher);
        }
        (&self.prefixes, &self.ignored.ignore).hash(&mut hasher);
        hasher.finish()
    }

    /// An error for each link of a story's body that leads nowhere.
    fn body_problems(&self, story: &Story) -> Diagnostics {
        story
            .body
            .site_links
            .iter()
            .filter_map(|link| {
                let help = match link.relative {
                    true => self.dead_end(&self.on_page(story, &link.url), link.image)?,
                    false => self.dead_end(&link.url, link.image)?,
                };
                let what = if link.image { "image" } else { "link" };
                let error = dead_link(
                    &story.file.display,
                    story.text(),
                    &link.span,
                    what,
                    &link.url,
                );
                Some(error.with_help(help))
            })
            .collect()
    }

    /// The base path this build publishes under: `/gazette`, or "" at the domain root.
    fn base(&self) -> &str {
        self.prefixes.first().map_or("", String::as_str)
    }

    /// The root-relative form of `url`, written relative to the story's page, as a browser on
    /// that page resolves it (`../vote/` on `/world/2025/05/talks/` is `/world/2025/05/vote/`).
    fn on_page(&self, story: &Story, url: &str) -> String {
        // Resolved against a stand-in origin, which is cut off again.
        const ORIGIN: &str = "https://site.invalid";
        let page = format!("{ORIGIN}{}{}", self.base(), story.route);
        let resolved = crate::site::absolute_links::resolve(url, &page);
        resolved
            .strip_prefix(ORIGIN)
            .map_or_else(|| url.to_string(), str::to_string)
    }

    /// `None` when `url` (root-relative) leads to an output or is ignored; else what to do.
    fn dead_end(&self, url: &str, image: bool) -> Option<String> {
        let path = url.split(['#', '?']).next().unwrap_or(url);
        if self.ignored.ignores(path) || self.leads_somewhere(path) {
            return None;
        }
        let base = self.base();
        if !base.is_empty() && self.is_output(path) {
            return Some(format!(
                "the site is published under `{base}/`: write `{base}{path}`"
            ));
        }
        if !image && let Some(page) = self.same_last_segment(path) {
            return Some(format!(
                "did you mean `{base}/{page}`? It is the one page published under that name"
            ));
        }
        let fix = match image {
            true => {
                "put the file in static/ (static/maps/x.png is published at /maps/x.png), or \
                 fix the path"
            }
            false => {
                "no story, page, listing or file is published there: fix the path (copy it from \
                 the address bar of the published page)"
            }
        };
        Some(format!(
            "{fix}; a path served by something other than Dateline goes in `[links] ignore` \
             in site.toml"
        ))
    }

    /// The folder of the one page whose address ends like `path` does (`world/2025/06/talks/`
    /// for `/world/2025/05/talks/`: a story moved to another month or section), if there is
    /// exactly one. The index is made at the first dead link, so a clean site never pays it.
    fn same_last_segment(&self, path: &str) -> Option<&'a str> {
        let pages = self.pages.get_or_init(|| {
            let mut pages: HashMap<&str, Vec<&str>> = HashMap::default();
            for file in self.outputs.files.keys() {
                if let Some(folder) = file.strip_suffix("index.html")
                    && let Some(name) = last_segment(folder)
                {
                    pages.entry(name).or_default().push(folder);
                }
            }
            pages
        });
        match pages.get(last_segment(path)?)?.as_slice() {
            [page] => Some(page),
            _ => None,
        }
    }

    /// Whether `path` is under one of the site's prefixes and names an output there.
    fn leads_somewhere(&self, path: &str) -> bool {
        self.prefixes.iter().any(|prefix| {
            path.strip_prefix(prefix.as_str())
                .filter(|rest| rest.is_empty() || rest.starts_with('/'))
                .is_some_and(|rest| self.is_output(rest))
        })
    }

    /// Whether `path` (without the base path) is a published file, or a folder with an
    /// `index.html`, with or without its trailing slash, as static hosts serve them.
    fn is_output(&self, path: &str) -> bool {
        let path = percent_decode_str(path).decode_utf8_lossy();
        let path = match path.is_empty() {
            true => "/",
            false => &path,
        };
        let has = |file: String| self.outputs.get(&file).is_some();
        has(route_file(path)) || (!path.ends_with('/') && has(route_file(&format!("{path}/"))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Output;

    fn published<'a>(outputs: &'a Outputs, prefix: &str, ignored: &'a LinkChecks) -> Published<'a> {
        Published {
            outputs,
            prefixes: vec![prefix.to_string()],
            ignored,
            pages: OnceLock::new(),
        }
    }

    fn outputs() -> Outputs {
        let mut outputs = Outputs::default();
        for file in [
            "index.html",
            "world/index.html",
            "world/2025/05/talks/index.html",
            "feed.xml",
            "files/annual report.pdf",
        ] {
            outputs.insert(file, Output::BuiltIn(b""));
        }
        outputs
    }

    #[test]
    fn links_to_outputs_lead_somewhere_with_or_without_slash_query_or_fragment() {
        let (outputs, ignored) = (outputs(), LinkChecks::default());
        let site = published(&outputs, "", &ignored);
        for url in [
            "/",
            "/world/",
            "/world",
            "/world/index.html",
            "/world/2025/05/talks/#day-2",
            "/world/2025/05/talks?ref=home",
            "/feed.xml",
            "/files/annual%20report.pdf",
        ] {
            assert_eq!(site.dead_end(url, false), None, "{url}");
        }
        for url in ["/world/2025/05/live-blog/", "/feed.xml/", "/worl"] {
            assert!(site.dead_end(url, false).is_some(), "{url}");
        }
    }

    #[test]
    fn under_a_base_path_links_must_carry_it() {
        let (outputs, ignored) = (outputs(), LinkChecks::default());
        let site = published(&outputs, "/gazette", &ignored);
        assert_eq!(site.dead_end("/gazette/world/", false), None);
        assert_eq!(site.dead_end("/gazette", false), None);
        let help = site.dead_end("/world/", false).unwrap_or_default();
        assert!(help.contains("write `/gazette/world/`"), "{help}");
        assert!(site.dead_end("/gazetteworld/", false).is_some());
    }

    #[test]
    fn a_page_moved_to_another_month_or_section_is_suggested_when_it_is_the_only_one() {
        let (mut outputs, ignored) = (outputs(), LinkChecks::default());
        let help = published(&outputs, "", &ignored).dead_end("/world/2025/06/talks/", false);
        assert_eq!(
            help.as_deref(),
            Some(
                "did you mean `/world/2025/05/talks/`? It is the one page published under that name"
            )
        );
        outputs.insert("politics/2025/05/talks/index.html", Output::BuiltIn(b""));
        let help = published(&outputs, "", &ignored).dead_end("/world/2025/06/talks/", false);
        assert!(!help.unwrap_or_default().contains("did you mean"));
    }

    #[test]
    fn ignored_paths_are_not_checked() {
        let outputs = outputs();
        let ignored = LinkChecks {
            ignore: vec!["/newsletter/".into(), "/donate/*".into()],
        };
        let site = published(&outputs, "", &ignored);
        for url in [
            "/newsletter/",
            "/newsletter",
            "/donate/",
            "/donate/monthly?x=1",
        ] {
            assert_eq!(site.dead_end(url, false), None, "{url}");
        }
        assert!(site.dead_end("/newsletters/", false).is_some());
    }
}
