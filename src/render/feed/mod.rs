//! The site's feeds: RSS 2.0 at `/feed.xml` and JSON Feed 1.1 at `/feed.json` with the newest
//! stories, and an RSS feed for every section (`/world/feed.xml`), tag (`/tags/x/feed.xml`) and
//! author (`/authors/x/feed.xml`), each with the newest `feed_limit` stories.
//!
//! Items carry the story's whole text with every link made absolute, its photo with credit,
//! authors and categories. Dates come from the stories, never from the clock, so feeds are
//! reproducible. Each feed is rebuilt only when one of its stories (or the site) changed.

mod json;
mod rss;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::sync::{Arc, OnceLock};

use jiff::ZonedDateTime as Zoned;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::assets::Images;
use crate::assets::photo::Size;
use crate::model::{Group, Newsroom};
use crate::output::{Output, Outputs};
use crate::site::config::Site;
use crate::site::routes::{self, GroupKind};

/// A feed as templates link to it: `<link rel="alternate" title="..." href="...">`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub(crate) struct FeedLink {
    pub title: String,
    pub url: String,
}

/// The site's main feed (`/feed.xml`), which follows every story.
pub(crate) fn main_link(site: &Site) -> FeedLink {
    link(site, None, "", "")
}

/// The RSS feed of the section, tag or author called `name`, whose slug is `slug`.
pub(crate) fn group_link(site: &Site, kind: GroupKind, name: &str, slug: &str) -> FeedLink {
    link(site, Some(kind), name, slug)
}

/// A feed's link: the main feed for no group kind, else the group's, beside its listing page.
fn link(site: &Site, kind: Option<GroupKind>, name: &str, slug: &str) -> FeedLink {
    let route = kind.map_or_else(|| routes::FRONT.to_string(), |kind| kind.route(slug));
    FeedLink {
        title: title(site, kind, name),
        url: site.absolute(&site.path(&routes::rss(&route))),
    }
}

fn title(site: &Site, kind: Option<GroupKind>, name: &str) -> String {
    match kind {
        None => site.config.title.clone(),
        Some(_) => format!("{name} | {}", site.config.title),
    }
}

/// What a feed says about itself, the same in RSS and JSON Feed.
struct Channel {
    title: String,
    /// The listing page the feed follows.
    home: String,
    /// The feed's own URL.
    url: String,
    description: String,
    language: String,
    /// The publisher's logo, shown by readers beside the feed's name.
    logo: Option<String>,
}

/// One story as every feed shows it, made once and kept while the story is unchanged.
#[derive(Debug)]
struct Entry {
    url: String,
    title: String,
    /// The dek as plain text.
    dek: Option<String>,
    /// HTML for RSS `description`: the escaped dek, else the first paragraph.
    description: String,
    /// The body (with `full_content`, else the first paragraph), links made absolute.
    content: String,
    date: Option<Zoned>,
    updated: Option<Zoned>,
    /// Names, with the URL of each author's page.
    authors: Vec<(String, String)>,
    /// The section, then the tags, each once (a tag may repeat the section's name).
    categories: Vec<String>,
    photo: Option<Photo>,
}

#[derive(Debug)]
struct Photo {
    url: String,
    media_type: Option<&'static str>,
    size: Option<Size>,
    alt: String,
    credit: Option<String>,
    /// `[images] copyright`, which every published photo carries.
    copyright: Option<String>,
}

impl Entry {
    /// The story's last change: `updated`, else `date`.
    fn modified(&self) -> Option<&Zoned> {
        self.updated.as_ref().or(self.date.as_ref())
    }
}

/// What the last build's feeds were made of. An edit re-makes only the feeds that show the
/// edited story, and in them only that story's entry: a new story joins the main feed and its
/// section's, tags' and authors' feeds, whose other entries (each the story's whole text with
/// its links made absolute) are reused.
#[derive(Debug, Default)]
pub(crate) struct FeedCache {
    /// By output path: the key of the feed's inputs, and its bytes.
    files: HashMap<String, (u64, Arc<[u8]>)>,
    /// By [`entry_key`].
    entries: FxHashMap<u64, Arc<Entry>>,
}

impl FeedCache {
    /// Forgets everything: the templates, `site.toml` or the time zone changed.
    pub(crate) fn clear(&mut self) {
        *self = FeedCache::default();
    }
}

/// One feed to write.
struct Job<'a> {
    /// The section, tag or author the feed follows; none for the main feed.
    group: Option<&'a Group>,
    /// Story indices, newest first, at most `feed_limit`.
    stories: Vec<usize>,
}

/// Writes every feed into `outputs`, reusing the bytes of feeds whose stories did not change
/// (`fingerprints` hash each story's inputs, `site_hash` the site's); returns how many feeds.
pub(crate) fn render(
    newsroom: &Newsroom,
    images: &Images,
    fingerprints: &[u64],
    site_hash: u64,
    cache: &mut FeedCache,
    outputs: &mut Outputs,
) -> usize {
    let limit = newsroom.site.config.feed_limit;
    let newest = |stories: &[usize]| stories.iter().copied().take(limit).collect::<Vec<_>>();
    let mut jobs = vec![Job {
        group: None,
        stories: (0..newsroom.stories.len().min(limit)).collect(),
    }];
    for groups in [&newsroom.sections, &newsroom.tags, &newsroom.authors] {
        jobs.extend(groups.iter().map(|group| Job {
            group: Some(group),
            stories: newest(&group.stories),
        }));
    }
    let key_of = |index: usize| entry_key(newsroom, fingerprints[index], site_hash);
    let made: Vec<OnceLock<Arc<Entry>>> = (0..newsroom.stories.len())
        .map(|_| OnceLock::new())
        .collect();
    let entry = |index: usize| {
        made[index].get_or_init(|| match cache.entries.get(&key_of(index)) {
            Some(entry) => Arc::clone(entry),
            None => Arc::new(make_entry(newsroom, images, index)),
        })
    };
    let previous = &cache.files;
    let written: Vec<Written> = jobs
        .par_iter()
        .flat_map_iter(|job| {
            let channel = channel(&newsroom.site, job);
            let key = feed_key(newsroom, job, fingerprints, site_hash);
            let route = job
                .group
                .map_or_else(|| routes::FRONT.to_string(), Group::route);
            let mut files = vec![(routes::rss(&route), rss::channel as Writer)];
            if job.group.is_none() {
                files.push((format!("/{}", routes::JSON_FEED), json::feed));
            }
            files
                .into_iter()
                .map(|(path, write)| {
                    let path = path.trim_start_matches('/').to_string();
                    let bytes = match previous.get(&path) {
                        Some((old, bytes)) if *old == key => Arc::clone(bytes),
                        _ => {
                            let items: Vec<&Entry> =
                                job.stories.iter().map(|&i| &**entry(i)).collect();
                            Arc::from(write(&channel, &items).into_bytes())
                        }
                    };
                    Written { path, key, bytes }
                })
                .collect::<Vec<_>>()
        })
        .collect();
    // Keeps the entries of every story in a feed: made now, or unchanged since they were made.
    let mut entries = FxHashMap::default();
    for &index in jobs.iter().flat_map(|job| &job.stories) {
        let key = key_of(index);
        let kept = made[index].get().or_else(|| cache.entries.get(&key));
        if let Some(entry) = kept {
            entries.insert(key, Arc::clone(entry));
        }
    }
    let mut files = HashMap::with_capacity(jobs.len() + 1);
    for Written { path, key, bytes } in written {
        outputs.insert(path.clone(), Output::Bytes(Arc::clone(&bytes)));
        files.insert(path, (key, bytes));
    }
    let count = files.len();
    *cache = FeedCache { files, entries };
    count
}

/// One feed file: its output path, the key of its inputs, its bytes.
struct Written {
    path: String,
    key: u64,
    bytes: Arc<[u8]>,
}

/// Writes a feed in one format.
type Writer = fn(&Channel, &[&Entry]) -> String;

/// A hash of everything a feed shows: the site, the feed settings, its stories.
fn feed_key(newsroom: &Newsroom, job: &Job<'_>, fingerprints: &[u64], site_hash: u64) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    site_hash.hash(&mut hasher);
    newsroom.site.config.feeds.hash(&mut hasher);
    job.group.map(|g| (&g.name, &g.slug)).hash(&mut hasher);
    for &index in &job.stories {
        fingerprints[index].hash(&mut hasher);
    }
    hasher.finish()
}

/// A hash of everything one story's entry shows: the story (its fingerprint), the site, and
/// the feed settings (full text or summary).
fn entry_key(newsroom: &Newsroom, fingerprint: u64, site_hash: u64) -> u64 {
    let mut hasher = rustc_hash::FxHasher::default();
    (fingerprint, site_hash, &newsroom.site.config.feeds).hash(&mut hasher);
    hasher.finish()
}

fn channel(site: &Site, job: &Job<'_>) -> Channel {
    let config = &site.config;
    let name = job.group.map_or("", |g| g.name.as_str());
    let kind = job.group.map(|g| g.kind);
    let route = job
        .group
        .map_or_else(|| routes::FRONT.to_string(), Group::route);
    let home = site.absolute(&site.path(&route));
    let description = match kind {
        None => config
            .description
            .clone()
            .or_else(|| config.tagline.clone())
            .unwrap_or_else(|| config.title.clone()),
        Some(GroupKind::Section) => format!("{name}: the latest stories from {}.", config.title),
        Some(GroupKind::Tag) => format!("Stories about {name} from {}.", config.title),
        Some(GroupKind::Author) => format!("Stories by {name} for {}.", config.title),
    };
    Channel {
        title: title(site, kind, name),
        url: routes::rss(&home),
        home,
        description,
        language: config.language.clone(),
        logo: site.logo_url(),
    }
}

fn make_entry(newsroom: &Newsroom, images: &Images, index: usize) -> Entry {
    let site = &newsroom.site;
    let story = &newsroom.stories[index];
    let front = &story.front;
    let url = site.absolute(&site.path(&story.route));
    let summary = || crate::site::absolute_links::absolutize(&story.body.summary, &url);
    let description = match &front.dek {
        Some(dek) => escape_html(dek),
        None => summary(),
    };
    let content = if site.config.feeds.full_content {
        crate::site::absolute_links::absolutize(&story.body.html, &url)
    } else {
        summary()
    };
    let photo = images.lead_photo(newsroom, index).map(|photo| Photo {
        url: site.absolute_url(photo.src),
        media_type: photo.media_type(),
        size: photo.size,
        alt: photo.alt.to_string(),
        credit: photo.credit.map(str::to_string),
        copyright: site.config.images.copyright.clone(),
    });
    Entry {
        title: front.headline.clone(),
        dek: front.dek.clone(),
        description,
        content,
        date: front.date.clone(),
        updated: front.last_modified().cloned(),
        authors: front
            .authors
            .iter()
            .zip(story.author_slugs.iter())
            .map(|(name, slug)| {
                let page = GroupKind::Author.route(slug);
                (name.clone(), site.absolute(&site.path(&page)))
            })
            .collect(),
        categories: categories(story.section.as_deref(), &front.tags),
        photo,
        url,
    }
}

/// The section and the tags, in that order, without repeats.
fn categories(section: Option<&str>, tags: &[String]) -> Vec<String> {
    let mut categories: Vec<String> = section.map(str::to_string).into_iter().collect();
    for tag in tags {
        if !categories.contains(tag) {
            categories.push(tag.clone());
        }
    }
    categories
}

/// Plain text as HTML, for the dek in an RSS `description` (which readers show as HTML).
fn escape_html(text: &str) -> String {
    let mut html = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        match c {
            '&' => html.push_str("&amp;"),
            '<' => html.push_str("&lt;"),
            '>' => html.push_str("&gt;"),
            '"' => html.push_str("&quot;"),
            '\'' => html.push_str("&#39;"),
            c => html.push(c),
        }
    }
    html
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> Site {
        Site::parse(
            "title = \"Gazette\"\nbase_url = \"https://me.github.io/gazette/\"\n",
            "site.toml".as_ref(),
        )
        .unwrap()
    }

    #[test]
    fn feeds_sit_beside_their_listing_pages() {
        let site = site();
        assert_eq!(
            main_link(&site),
            FeedLink {
                title: "Gazette".into(),
                url: "https://me.github.io/gazette/feed.xml".into()
            }
        );
        assert_eq!(
            group_link(&site, GroupKind::Section, "World", "world").url,
            "https://me.github.io/gazette/world/feed.xml"
        );
        assert_eq!(
            group_link(&site, GroupKind::Tag, "Climate change", "climate-change").url,
            "https://me.github.io/gazette/tags/climate-change/feed.xml"
        );
        let author = group_link(&site, GroupKind::Author, "Tomás Ferreira", "tomas-ferreira");
        assert_eq!(
            author.url,
            "https://me.github.io/gazette/authors/tomas-ferreira/feed.xml"
        );
        assert_eq!(author.title, "Tomás Ferreira | Gazette");
    }

    #[test]
    fn a_tag_named_like_the_section_is_one_category() {
        let tags = ["Climate".to_string(), "Law".to_string(), "Law".to_string()];
        assert_eq!(categories(Some("Climate"), &tags), ["Climate", "Law"]);
        assert_eq!(categories(None, &tags[1..]), ["Law"]);
    }

    #[test]
    fn deks_are_escaped_for_html_descriptions() {
        assert_eq!(
            escape_html("\"Q\" & <b>'s</b>"),
            "&quot;Q&quot; &amp; &lt;b&gt;&#39;s&lt;/b&gt;"
        );
    }
}
