//! Sitemaps and `robots.txt`: what search engines need to find every page.
//!
//! - `sitemap.xml` lists every story, page and listing with its last change. Past
//!   [`MAX_URLS`] it becomes a sitemap index pointing to `sitemap-1.xml`, `sitemap-2.xml`...,
//!   since search engines read no more URLs than that from one file.
//! - `news-sitemap.xml` is the Google News sitemap: the stories of the last two days (counted
//!   back from the newest story, not the clock, so builds are reproducible), at most
//!   [`MAX_NEWS_URLS`].
//! - `robots.txt` points crawlers to both.

use std::fmt::Write;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use jiff::{SignedDuration, Timestamp, ZonedDateTime};
use quick_xml::escape::escape;
use rayon::prelude::*;

use crate::model::Newsroom;
use crate::output::{Output, Outputs};
use crate::parse::story::Story;
use crate::util::text::xml_safe;
use crate::util::time::rfc3339;

use crate::site::routes::{NEWS_SITEMAP, ROBOTS, SITEMAP};

/// The most URLs one sitemap file may list (sitemaps.org).
pub(crate) const MAX_URLS: usize = 50_000;
/// The most URLs one news sitemap may list (Google News).
pub(crate) const MAX_NEWS_URLS: usize = 1_000;
/// How far back from the newest story the news sitemap reaches (Google News: two days).
pub(crate) const NEWS_WINDOW: SignedDuration = SignedDuration::from_hours(48);

const SITEMAP_NAMESPACE: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
pub(crate) const NEWS_NAMESPACE: &str = "http://www.google.com/schemas/sitemap-news/0.9";

/// One URL of the sitemap.
#[derive(Debug, Clone)]
pub(crate) struct Url {
    /// Absolute.
    pub loc: String,
    pub lastmod: Option<ZonedDateTime>,
}

/// One URL's `<url>` element, with the last change that dates it.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    xml: Arc<str>,
    lastmod: Option<ZonedDateTime>,
}

impl From<&Url> for Entry {
    fn from(url: &Url) -> Entry {
        let mut xml = format!("  <url>\n    <loc>{}</loc>\n", escape(&url.loc));
        if let Some(lastmod) = &url.lastmod {
            let _ = writeln!(xml, "    <lastmod>{}</lastmod>", rfc3339(lastmod));
        }
        xml.push_str("  </url>\n");
        Entry {
            xml: Arc::from(xml_safe(xml)),
            lastmod: url.lastmod.clone(),
        }
    }
}

/// The sitemap files of the last build, with the key of what they list: an edit that changes
/// no URL and no date (most edits) re-renders none of the site's ten thousand URLs. The
/// stories' entries are kept by their route and date, so that a new story formats one entry,
/// not ten thousand.
#[derive(Debug, Default)]
pub(crate) struct SitemapCache {
    key: u64,
    files: Vec<(String, Arc<[u8]>)>,
    entries: rustc_hash::FxHashMap<u64, Entry>,
}

/// Writes the sitemap (split when it is large), the news sitemap and `robots.txt`.
pub(crate) fn render(newsroom: &Newsroom, outputs: &mut Outputs, cache: &mut SitemapCache) {
    let site = &newsroom.site;
    let root = site.absolute(&site.path("/"));
    let corrections = outputs
        .get(&crate::site::routes::route_file(
            crate::site::routes::CORRECTIONS,
        ))
        .is_some();
    let key = key(newsroom, corrections, &root);
    if cache.files.is_empty() || cache.key != key {
        let entries = entries(newsroom, corrections, &root, &mut cache.entries);
        let files = sitemap_files(&entries, MAX_URLS, &root);
        cache.key = key;
        cache.files = files
            .into_iter()
            .map(|(path, xml)| (path, Arc::from(xml.into_bytes())))
            .collect();
    }
    for (path, xml) in &cache.files {
        outputs.insert(path.clone(), Output::Bytes(Arc::clone(xml)));
    }
    outputs.insert(NEWS_SITEMAP, Output::text(xml_safe(news_sitemap(newsroom))));
    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {root}{SITEMAP}\nSitemap: {root}{NEWS_SITEMAP}\n"
    );
    outputs.insert(ROBOTS, Output::text(robots));
}

/// A hash of everything [`entries`] lists: each page's route and last change, and the groups'
/// members (whose changes date the group pages).
fn key(newsroom: &Newsroom, corrections: bool, root: &str) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    (root, corrections).hash(&mut hasher);
    for story in newsroom.stories.iter().chain(&newsroom.pages) {
        story.route.hash(&mut hasher);
        last_change(story).hash(&mut hasher);
        if corrections {
            story.front.corrections.len().hash(&mut hasher);
        }
    }
    for groups in [&newsroom.sections, &newsroom.tags, &newsroom.authors] {
        for group in groups.iter() {
            (&group.slug, &group.stories).hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// Every story, page and first listing page, front page first; the corrections page last. A
/// story's or page's entry comes from `cache` while its route and last change are the same.
fn entries(
    newsroom: &Newsroom,
    corrections: bool,
    root: &str,
    cache: &mut rustc_hash::FxHashMap<u64, Entry>,
) -> Vec<Entry> {
    let site = &newsroom.site;
    let url = |route: &str, lastmod: Option<ZonedDateTime>| Url {
        loc: site.absolute(&site.path(route)),
        lastmod,
    };
    let mut entries = vec![Entry::from(&url(
        "/",
        newest_change(newsroom.stories.iter()),
    ))];
    let cached = &*cache;
    let pages: Vec<(u64, Entry)> = newsroom
        .stories
        .par_iter()
        .chain(&newsroom.pages)
        .map(|story| {
            let mut hasher = rustc_hash::FxHasher::default();
            (root, &story.route, last_change(story)).hash(&mut hasher);
            let key = hasher.finish();
            let entry = match cached.get(&key) {
                Some(entry) => entry.clone(),
                None => Entry::from(&url(&story.route, last_change(story).cloned())),
            };
            (key, entry)
        })
        .collect();
    entries.extend(pages.iter().map(|(_, entry)| entry.clone()));
    crate::util::background::drop(std::mem::replace(cache, pages.into_iter().collect()));
    for groups in [&newsroom.sections, &newsroom.tags, &newsroom.authors] {
        entries.extend(groups.iter().map(|group| {
            let stories = group.stories.iter().map(|&i| &newsroom.stories[i]);
            Entry::from(&url(&group.route(), newest_change(stories)))
        }));
    }
    if corrections {
        let newest_correction = newsroom
            .stories
            .iter()
            .chain(&newsroom.pages)
            .flat_map(|s| &s.front.corrections)
            .map(|c| &c.date)
            .max_by_key(|date| date.timestamp())
            .cloned();
        entries.push(Entry::from(&Url {
            loc: site.absolute(&site.path(crate::site::routes::CORRECTIONS)),
            lastmod: newest_correction,
        }));
    }
    entries
}

/// A story's last change: `updated` or its newest correction, else `date`.
fn last_change(story: &Story) -> Option<&ZonedDateTime> {
    story.front.last_modified().or(story.front.date.as_ref())
}

fn newest_change<'a>(stories: impl Iterator<Item = &'a Story>) -> Option<ZonedDateTime> {
    stories
        .filter_map(last_change)
        .max_by_key(|date| date.timestamp())
        .cloned()
}

/// The sitemap files of `entries`: `sitemap.xml` alone while they fit in `limit`, else a
/// `sitemap.xml` index of `sitemap-1.xml`, `sitemap-2.xml`... of `limit` URLs each. `root` is
/// the site's absolute URL with a trailing slash.
pub(crate) fn sitemap_files(entries: &[Entry], limit: usize, root: &str) -> Vec<(String, String)> {
    let limit = limit.max(1);
    if entries.len() <= limit {
        return vec![(SITEMAP.to_string(), urlset(entries))];
    }
    let mut files = Vec::new();
    let mut index = String::with_capacity(200 + entries.len() / limit * 120);
    index.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(index, "<sitemapindex xmlns=\"{SITEMAP_NAMESPACE}\">");
    for (number, chunk) in entries.chunks(limit).enumerate() {
        let name = format!("sitemap-{}.xml", number + 1);
        let _ = write!(
            index,
            "  <sitemap>\n    <loc>{}</loc>\n",
            escape(format!("{root}{name}"))
        );
        if let Some(lastmod) = newest(chunk.iter().filter_map(|e| e.lastmod.as_ref())) {
            let _ = writeln!(index, "    <lastmod>{}</lastmod>", rfc3339(lastmod));
        }
        index.push_str("  </sitemap>\n");
        files.push((name, urlset(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.insert(0, (SITEMAP.to_string(), xml_safe(index)));
    files
}

fn newest<'a>(dates: impl Iterator<Item = &'a ZonedDateTime>) -> Option<&'a ZonedDateTime> {
    dates.max_by_key(|date| date.timestamp())
}

fn urlset(entries: &[Entry]) -> String {
    let length: usize = entries.iter().map(|entry| entry.xml.len()).sum();
    let mut xml = String::with_capacity(length + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(xml, "<urlset xmlns=\"{SITEMAP_NAMESPACE}\">");
    for entry in entries {
        xml.push_str(&entry.xml);
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The Google News sitemap of the newest stories.
fn news_sitemap(newsroom: &Newsroom) -> String {
    let site = &newsroom.site;
    let dates: Vec<Option<Timestamp>> = newsroom.stories.iter().map(Story::timestamp).collect();
    let name = escape(&site.config.title);
    let language = news_language(&site.config.language);
    let mut xml = String::with_capacity(4096);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        xml,
        "<urlset xmlns=\"{SITEMAP_NAMESPACE}\" xmlns:news=\"{NEWS_NAMESPACE}\">"
    );
    for index in news_stories(&dates, NEWS_WINDOW, MAX_NEWS_URLS) {
        let story = &newsroom.stories[index];
        let Some(date) = &story.front.date else {
            continue;
        };
        let loc = site.absolute(&site.path(&story.route));
        let _ = write!(
            xml,
            "  <url>\n    <loc>{}</loc>\n    <news:news>\n      <news:publication>\n        \
             <news:name>{name}</news:name>\n        <news:language>{language}</news:language>\n      \
             </news:publication>\n      <news:publication_date>{}</news:publication_date>\n      \
             <news:title>{}</news:title>\n    </news:news>\n  </url>\n",
            escape(&loc),
            rfc3339(date),
            escape(&story.front.headline),
        );
    }
    xml.push_str("</urlset>\n");
    xml
}

/// The indices of the stories published within `window` before the newest one, at most
/// `limit`, newest first. `dates` are the stories' publication times, newest first.
pub(crate) fn news_stories(
    dates: &[Option<Timestamp>],
    window: SignedDuration,
    limit: usize,
) -> Vec<usize> {
    let Some(newest) = dates.iter().flatten().max() else {
        return Vec::new();
    };
    let Ok(start) = newest.checked_sub(window) else {
        return Vec::new();
    };
    dates
        .iter()
        .enumerate()
        .filter(|(_, date)| date.is_some_and(|d| d >= start))
        .map(|(index, _)| index)
        .take(limit)
        .collect()
}

/// The language code Google News wants: ISO 639 (`pt` for `pt-BR`), except Chinese, which is
/// `zh-cn` (simplified) or `zh-tw` (traditional).
pub(crate) fn news_language(language: &str) -> String {
    let lower = language.trim().to_ascii_lowercase().replace('_', "-");
    let mut parts = lower.split('-');
    let primary = parts.next().unwrap_or_default().to_string();
    if primary != "zh" {
        return primary;
    }
    let traditional = parts.any(|p| matches!(p, "hant" | "tw" | "hk" | "mo"));
    if traditional { "zh-tw" } else { "zh-cn" }.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn url(n: usize, date: &str) -> Entry {
        Entry::from(&Url {
            loc: format!("https://x.org/{n}/"),
            lastmod: Some(
                date.parse::<Timestamp>()
                    .unwrap()
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC),
            ),
        })
    }

    #[test]
    fn a_small_sitemap_is_one_urlset() {
        let urls = vec![
            url(1, "2025-05-01T00:00:00Z"),
            url(2, "2025-05-02T00:00:00Z"),
        ];
        let files = sitemap_files(&urls, 2, "https://x.org/");
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].0, "sitemap.xml");
        assert!(files[0].1.contains("<urlset"));
        assert_eq!(files[0].1.matches("<url>").count(), 2);
    }

    #[test]
    fn past_the_limit_the_sitemap_becomes_an_index() {
        let urls: Vec<Entry> = (1..=5)
            .map(|n| url(n, &format!("2025-05-0{n}T00:00:00Z")))
            .collect();
        let files = sitemap_files(&urls, 2, "https://x.org/news/");
        let names: Vec<&str> = files.iter().map(|(name, _)| name.as_str()).collect();
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap-1.xml",
                "sitemap-2.xml",
                "sitemap-3.xml"
            ]
        );
        let index = &files[0].1;
        assert!(index.contains("<sitemapindex"));
        assert!(index.contains("<loc>https://x.org/news/sitemap-3.xml</loc>"));
        assert!(index.contains("<lastmod>2025-05-04T00:00:00+00:00</lastmod>"));
        let counts: Vec<usize> = files[1..]
            .iter()
            .map(|(_, xml)| xml.matches("<url>").count())
            .collect();
        assert_eq!(counts, [2, 2, 1]);
        assert!(files[3].1.contains("https://x.org/5/"));
    }

    #[test]
    fn news_stories_are_the_two_days_before_the_newest() {
        let at = |text: &str| Some(text.parse::<Timestamp>().unwrap());
        let dates = [
            at("2025-05-20T12:00:00Z"),
            at("2025-05-19T09:00:00Z"),
            at("2025-05-18T12:00:00Z"),
            at("2025-05-18T11:59:59Z"),
            at("2025-05-01T00:00:00Z"),
        ];
        assert_eq!(news_stories(&dates, NEWS_WINDOW, 1000), [0, 1, 2]);
        assert_eq!(news_stories(&dates, NEWS_WINDOW, 2), [0, 1]);
        assert!(news_stories(&[], NEWS_WINDOW, 1000).is_empty());
    }

    #[test]
    fn news_languages_are_what_google_expects() {
        assert_eq!(news_language("en"), "en");
        assert_eq!(news_language("pt-BR"), "pt");
        assert_eq!(news_language("zh-Hant-TW"), "zh-tw");
        assert_eq!(news_language("zh-Hans"), "zh-cn");
    }
}
