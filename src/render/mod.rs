//! Stage 3, render: the newsroom through the theme's templates into `Outputs`, in parallel.
//!
//! Every page is an independent job; the `site` object is set once in Tera's global context
//! and each story's listing card is serialised once, then shared by every listing it is on.

pub(crate) mod feed;
pub(crate) mod redirect;
pub(crate) mod sitemap;
pub(crate) mod structured_data;
pub(crate) mod theme;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use tera::{Context, Value};

use crate::assets::{Images, LeadPhoto};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Group, Newsroom};
use crate::output::{KeptPages, Output, Outputs, PageSink};
use crate::parse::story::{Status, Story};
use crate::render::theme::Theme;
use crate::site::config::{AuthorInfo, Site, Support};
use crate::site::routes::{self, GroupKind, route_file};
use crate::source::theme::{StaticSource, ThemeFiles};
use crate::util::time::rfc3339;

/// How many of each kind of file a build wrote, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub stories: usize,
    pub pages: usize,
    pub listings: usize,
    pub feeds: usize,
}

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    tagline: Option<&'a str>,
    description: Option<&'a str>,
    base_url: &'a str,
    base_path: &'a str,
    language: &'a str,
    timezone: &'a str,
    generator: String,
    /// With a site-relative `url` (`/support/`) under the base path, like every other link.
    support: Option<Support>,
    sections: Vec<LinkView>,
    /// Standalone pages (about, support us), for footers and menus.
    pages: Vec<PageLink<'a>>,
    publisher: PublisherView<'a>,
    extra: &'a toml::Table,
}

/// `[publisher]` with its defaults filled in.
#[derive(Serialize)]
struct PublisherView<'a> {
    name: &'a str,
    url: String,
    logo: Option<String>,
}

/// A section or tag as templates see it.
#[derive(Serialize, Clone)]
struct LinkView {
    name: String,
    slug: String,
    path: String,
    permalink: String,
}

#[derive(Serialize)]
struct PageLink<'a> {
    title: &'a str,
    slug: &'a str,
    path: String,
}

#[derive(Serialize)]
struct AuthorView<'a> {
    #[serde(flatten)]
    link: LinkView,
    bio: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct PhotoView<'a> {
    src: &'a str,
    /// `src` as an absolute URL, for social cards.
    url: String,
    alt: &'a str,
    credit: Option<&'a str>,
    caption: Option<&'a str>,
    /// Pixels, when the photo is a local file whose header could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    height: Option<u32>,
    /// The media type from the file name (`image/jpeg`), when known.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    media_type: Option<&'static str>,
    /// Resized copies in the photo's own format (`url 480w, url 800w`), when it is local.
    #[serde(skip_serializing_if = "Option::is_none")]
    srcset: Option<String>,
    /// The same sizes as WebP, for a `<source type="image/webp">`.
    #[serde(skip_serializing_if = "Option::is_none")]
    srcset_webp: Option<String>,
}

/// A story as listings see it: everything but the body.
#[derive(Serialize)]
struct CardView<'a> {
    headline: &'a str,
    dek: Option<&'a str>,
    date: String,
    updated: Option<String>,
    /// Shared with every other card of the same author, section or tag (see [`CardLinks`]).
    authors: Vec<&'a Value>,
    section: Option<&'a Value>,
    tags: Vec<&'a Value>,
    photo: Option<PhotoView<'a>>,
    summary: &'a str,
    reading_time: usize,
    word_count: usize,
    path: String,
    permalink: String,
    slug: &'a str,
    status: Status,
    has_code: bool,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct StoryView<'a> {
    #[serde(flatten)]
    card: &'a Value,
    content: &'a str,
    corrections: Vec<CorrectionView<'a>>,
}

/// A correction or update note as a story or page shows it.
#[derive(Serialize)]
struct CorrectionView<'a> {
    /// RFC 3339, like every date templates see.
    date: String,
    text: &'a str,
}

/// A line of the site's corrections page: the note and the story it corrects.
#[derive(Serialize)]
struct CorrectionEntry<'a> {
    date: String,
    text: &'a str,
    headline: &'a str,
    path: String,
    permalink: String,
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    dek: Option<&'a str>,
    content: &'a str,
    path: String,
    permalink: String,
    slug: &'a str,
    corrections: Vec<CorrectionView<'a>>,
    has_code: bool,
    extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
struct Paginator<'a> {
    stories: Vec<&'a Value>,
    number: usize,
    total_pages: usize,
    total_stories: usize,
    previous: Option<String>,
    next: Option<String>,
    first: String,
    last: String,
}

#[derive(Serialize)]
struct TagCount {
    #[serde(flatten)]
    link: LinkView,
    count: usize,
}

/// One page to render.
enum Job<'a> {
    Story(usize),
    Page(&'a Story),
    Listing {
        kind: Listing<'a>,
        number: usize,
        stories: &'a [usize],
        total: usize,
    },
    Tags,
    Corrections,
    NotFound,
}

#[derive(Clone, Copy)]
enum Listing<'a> {
    Front,
    Section(&'a Group),
    Tag(&'a Group),
    Author(&'a Group),
}

struct Renderer<'a> {
    newsroom: &'a Newsroom,
    images: &'a Images,
    theme: &'a Theme,
    cards: Vec<Value>,
    /// Per story: a hash of everything its card and page are made from.
    fingerprints: Vec<u64>,
    /// A hash of the `site` object, which every page shows.
    site_hash: u64,
}

/// A rendered page: its output path and its bytes.
type CachedPage = (Arc<str>, Arc<[u8]>);
/// A page's output path with what goes there.
type Page = (Arc<str>, Output);
/// A page's output path with its key.
pub(crate) type PageKey = (Arc<str>, u64);

/// Pages and cards of the recent builds, reused when their inputs hash the same: an edit to
/// one story re-renders only the pages that show something of it. Cleared when templates
/// change. Entries no build used are dropped once they are as many as the used ones.
#[derive(Debug, Default)]
pub(crate) struct RenderCache {
    /// By story fingerprint.
    cards: HashMap<u64, Value>,
    /// By the key of a page's inputs (which includes its route).
    pages: HashMap<u64, CachedPage>,
    feeds: crate::render::feed::FeedCache,
    sitemap: crate::render::sitemap::SitemapCache,
}

impl RenderCache {
    pub(crate) fn clear(&mut self) {
        self.cards.clear();
        self.pages.clear();
        self.feeds.clear();
        self.sitemap = Default::default();
    }
}

/// What the render stage made.
pub(crate) struct Rendered {
    pub outputs: Outputs,
    pub counts: Counts,
    /// Every page's output path and key, when pages may be kept from `previous` (for the
    /// record `build` leaves: see `write::record`); else empty.
    pub pages: Vec<PageKey>,
}

/// Renders every page, feed and sitemap of the site, collecting all template errors. Pages
/// that `previous` (the site in the output folder) holds unchanged are kept, not rendered;
/// with a `staging` folder, pages are written into it as they are rendered rather than kept in
/// memory (or in the cache).
pub(crate) fn render(
    newsroom: &Newsroom,
    images: &Images,
    theme: &mut Theme,
    files: &ThemeFiles,
    cache: &mut RenderCache,
    previous: Option<&dyn KeptPages>,
    staging: Option<&dyn PageSink>,
) -> Result<Rendered, Diagnostics> {
    let site = &newsroom.site;
    let site_view = site_view(newsroom);
    let site_hash =
        crate::util::hash::hash_of(&serde_json::to_string(&site_view).unwrap_or_default());
    let global = theme.tera.global_context();
    global.insert("site", &site_view);
    global.insert(
        "feed_url",
        &site.absolute(&site.path(&routes::rss(routes::FRONT))),
    );
    global.insert(
        "json_feed_url",
        &site.absolute(&site.path(&format!("/{}", routes::JSON_FEED))),
    );
    global.insert("stylesheet", &site.path(routes::STYLESHEET));
    register_resize_image(newsroom, images, theme);
    let theme: &Theme = theme;
    let fingerprints: Vec<u64> = newsroom
        .stories
        .par_iter()
        .enumerate()
        .map(|(i, story)| story_fingerprint(newsroom, images, i, story))
        .collect();
    let cards = cards(newsroom, images, &fingerprints, &mut cache.cards);
    let renderer = Renderer {
        newsroom,
        images,
        theme,
        cards,
        fingerprints,
        site_hash,
    };
    let jobs = renderer.jobs();
    let disk = Disk { previous, staging };
    let (mut pages, mut keys, problems) = render_pages(&renderer, &jobs, &mut cache.pages, disk);
    // Sorted first, the map is built in one pass instead of fifteen thousand inserts.
    pages.par_sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
    let mut outputs = Outputs {
        files: pages.into_iter().collect(),
    };
    if problems.has_errors() {
        return Err(problems);
    }
    let listings = jobs
        .iter()
        .filter(|j| matches!(j, Job::Listing { .. } | Job::Tags))
        .count();
    let feeds = crate::render::feed::render(
        newsroom,
        images,
        &renderer.fingerprints,
        site_hash,
        &mut cache.feeds,
        &mut outputs,
    );
    crate::render::sitemap::render(newsroom, &mut outputs, &mut cache.sitemap);
    let replaced = add_static_files(newsroom, images, files, &mut outputs);
    // A page that a static file replaced is not in the output folder: keeping it by its key
    // would keep the static file's copy after the static file is gone.
    keys.retain(|(path, _)| !replaced.contains(path));
    let clashes = crate::render::redirect::render(newsroom, &mut outputs);
    if clashes.has_errors() {
        return Err(clashes);
    }
    let counts = Counts {
        stories: newsroom.stories.len(),
        pages: newsroom.pages.len(),
        listings,
        feeds,
    };
    Ok(Rendered {
        outputs,
        counts,
        pages: keys,
    })
}

/// A page that was not in the cache.
enum Fresh {
    /// Rendered into memory, for the cache.
    Rendered(CachedPage),
    /// A file on disk: the previous site's, unchanged, or one written into the staging folder.
    OnDisk(Page),
}

/// Where pages may come from and go to on disk, besides memory.
#[derive(Clone, Copy)]
struct Disk<'a> {
    previous: Option<&'a dyn KeptPages>,
    staging: Option<&'a dyn PageSink>,
}

/// Renders the pages whose key is neither in the cache nor kept from the previous site, in
/// parallel, and adds them to the cache unless they go into a staging folder. Returns the
/// pages, and every page's path and key when there is a previous site to keep pages from.
fn render_pages(
    renderer: &Renderer<'_>,
    jobs: &[Job<'_>],
    cache: &mut HashMap<u64, CachedPage>,
    disk: Disk<'_>,
) -> (Vec<Page>, Vec<PageKey>, Diagnostics) {
    let keys: Vec<u64> = jobs.par_iter().map(|job| renderer.key(job)).collect();
    let cached = &*cache;
    // One failed write (a full disk) fails the build: it is reported once, and no other page
    // is written after it.
    let write_failed = AtomicBool::new(false);
    let results: Vec<Result<Option<Fresh>, Diagnostic>> = jobs
        .par_iter()
        .zip(&keys)
        .map(|(job, key)| {
            if cached.contains_key(key) {
                return Ok(None);
            }
            let route = renderer.route(job);
            let path = route_file(&route);
            if let Some(kept) = disk
                .previous
                .and_then(|previous| previous.keep(&path, *key))
            {
                return Ok(Some(Fresh::OnDisk((Arc::from(path), kept))));
            }
            let html = renderer.render_job(job, &route)?;
            let fresh = match disk.staging {
                Some(_) if write_failed.load(Ordering::Relaxed) => return Ok(None),
                Some(staging) => match staging.put(&path, html.as_bytes()) {
                    Ok(stamp) => Fresh::OnDisk((Arc::from(path), Output::Staged(stamp))),
                    Err(_) if write_failed.swap(true, Ordering::Relaxed) => return Ok(None),
                    Err(err) => return Err(Diagnostic::error(&path, err)),
                },
                None => Fresh::Rendered((Arc::from(path), Arc::from(html.into_bytes()))),
            };
            Ok(Some(fresh))
        })
        .collect();
    let mut problems = Diagnostics::new();
    let mut on_disk = Vec::new();
    for (key, result) in keys.iter().zip(results) {
        match result {
            Ok(Some(Fresh::Rendered(page))) => {
                cache.insert(*key, page);
            }
            Ok(Some(Fresh::OnDisk(page))) => on_disk.push((*key, page)),
            Ok(None) => {}
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    if cache.len() > 2 * keys.len() {
        let used: HashSet<u64> = keys.iter().copied().collect();
        cache.retain(|key, _| used.contains(key));
    }
    let mut record = Vec::new();
    let mut pages = Vec::with_capacity(keys.len());
    for key in &keys {
        if let Some((path, bytes)) = cache.get(key) {
            if disk.previous.is_some() {
                record.push((Arc::clone(path), *key));
            }
            pages.push((Arc::clone(path), Output::Bytes(Arc::clone(bytes))));
        }
    }
    for (key, (path, output)) in on_disk {
        if disk.previous.is_some() {
            record.push((Arc::clone(&path), key));
        }
        pages.push((path, output));
    }
    (pages, record, problems)
}

impl<'a> Renderer<'a> {
    fn jobs(&self) -> Vec<Job<'a>> {
        let newsroom = self.newsroom;
        let all: &'a [usize] = &[];
        let mut jobs: Vec<Job<'a>> = (0..newsroom.stories.len()).map(Job::Story).collect();
        jobs.extend(newsroom.pages.iter().map(Job::Page));
        let front = self.listing_jobs(Listing::Front, all, newsroom.stories.len());
        jobs.extend(front);
        for group in &newsroom.sections {
            jobs.extend(self.listing_jobs(
                Listing::Section(group),
                &group.stories,
                group.stories.len(),
            ));
        }
        for group in &newsroom.tags {
            jobs.extend(self.listing_jobs(
                Listing::Tag(group),
                &group.stories,
                group.stories.len(),
            ));
        }
        for group in &newsroom.authors {
            jobs.extend(self.listing_jobs(
                Listing::Author(group),
                &group.stories,
                group.stories.len(),
            ));
        }
        jobs.push(Job::Tags);
        if self
            .theme
            .has_template(crate::render::theme::CORRECTIONS_TEMPLATE)
        {
            jobs.push(Job::Corrections);
        }
        jobs.push(Job::NotFound);
        jobs
    }

    /// One job per page of a listing; the front page lists all stories (`stories` is empty).
    fn listing_jobs(&self, kind: Listing<'a>, stories: &'a [usize], total: usize) -> Vec<Job<'a>> {
        let per_page = self.newsroom.site.config.paginate.max(1);
        let pages = total.div_ceil(per_page).max(1);
        (1..=pages)
            .map(|number| Job::Listing {
                kind,
                number,
                stories,
                total,
            })
            .collect()
    }

    /// The URL path a job renders (without the base path).
    fn route(&self, job: &Job<'_>) -> String {
        match job {
            Job::Story(index) => self.newsroom.stories[*index].route.to_string(),
            Job::Page(page) => page.route.to_string(),
            Job::Listing { kind, number, .. } => routes::page(&self.listing_route(*kind), *number),
            Job::Tags => routes::TAGS.to_string(),
            Job::Corrections => routes::CORRECTIONS.to_string(),
            Job::NotFound => "/404.html".to_string(),
        }
    }

    /// A hash of everything the job's page shows: equal keys render equal pages.
    fn key(&self, job: &Job<'_>) -> u64 {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        // What tells two pages apart is hashed without building their routes: the key is
        // computed for every page on every rebuild.
        self.site_hash.hash(&mut hasher);
        match job {
            Job::Story(index) => {
                self.newsroom.stories[*index].route.hash(&mut hasher);
                self.fingerprints[*index].hash(&mut hasher);
            }
            Job::Page(page) => {
                page.route.hash(&mut hasher);
                page.file.hash.hash(&mut hasher);
                page.body.hash.hash(&mut hasher);
                body_pictures_hash(self.images, page).hash(&mut hasher);
            }
            Job::Listing {
                kind,
                number,
                stories,
                total,
            } => {
                (listing_name(*kind), number, total).hash(&mut hasher);
                for index in self.page_stories(*number, stories, *total) {
                    self.fingerprints[index].hash(&mut hasher);
                }
            }
            Job::Tags => {
                "tags".hash(&mut hasher);
                for tag in &self.newsroom.tags {
                    (&tag.name, tag.stories.len()).hash(&mut hasher);
                }
            }
            Job::Corrections => {
                "corrections".hash(&mut hasher);
                for entry in corrections_page(self.newsroom) {
                    (entry.date, entry.text, entry.headline, entry.path).hash(&mut hasher);
                }
            }
            Job::NotFound => "404".hash(&mut hasher),
        }
        hasher.finish()
    }

    fn render_job(&self, job: &Job<'_>, route: &str) -> Result<String, Diagnostic> {
        let site = &self.newsroom.site;
        let mut context = Context::new();
        let path = site.path(route);
        let canonical = site.absolute(&path);
        let main_feed = feed::link(site, feed::Kind::Main, "");
        let mut feeds = Vec::with_capacity(2);
        let mut json_ld = None;
        let template = match job {
            Job::Story(index) => {
                let story = &self.newsroom.stories[*index];
                feeds.extend(
                    story
                        .section
                        .as_deref()
                        .map(|name| feed::link(site, feed::Kind::Section, name)),
                );
                json_ld = Some(structured_data::news_article(
                    self.newsroom,
                    self.images,
                    *index,
                ));
                let content = body_html(self.newsroom, self.images, story);
                context.insert(
                    "story",
                    &StoryView {
                        card: &self.cards[*index],
                        content: &content,
                        corrections: correction_views(story),
                    },
                );
                "story.html"
            }
            Job::Page(page) => {
                let content = body_html(self.newsroom, self.images, page);
                context.insert(
                    "page",
                    &PageView {
                        content: &content,
                        ..page_view(site, page)
                    },
                );
                "page.html"
            }
            Job::Listing {
                kind,
                number,
                stories,
                total,
            } => {
                let base = self.listing_route(*kind);
                let paginator = self.paginator(&base, *number, stories, *total);
                context.insert("paginator", &paginator);
                let title = &site.config.title;
                let collection = |name: &str, description: String| {
                    structured_data::collection_page(site, name, &canonical, &description)
                };
                match kind {
                    Listing::Front if *number == 1 => {
                        json_ld = Some(structured_data::website(site));
                        "index.html"
                    }
                    Listing::Front => {
                        let description = format!("The latest stories from {title}.");
                        json_ld = Some(collection("Latest stories", description));
                        "index.html"
                    }
                    Listing::Section(group) => {
                        let description =
                            format!("{}: the latest stories from {title}.", group.name);
                        json_ld = Some(collection(&group.name, description));
                        feeds.push(feed::link(site, feed::Kind::Section, &group.name));
                        context.insert("section", &link_view(site, group));
                        "section.html"
                    }
                    Listing::Tag(group) => {
                        let description = format!("Stories about {} from {title}.", group.name);
                        json_ld = Some(collection(&group.name, description));
                        feeds.push(feed::link(site, feed::Kind::Tag, &group.name));
                        context.insert("tag", &link_view(site, group));
                        "tag.html"
                    }
                    Listing::Author(group) => {
                        json_ld =
                            Some(structured_data::profile_page(site, &group.name, &canonical));
                        feeds.push(feed::link(site, feed::Kind::Author, &group.name));
                        context.insert("author", &author_view(site, group));
                        "author.html"
                    }
                }
            }
            Job::Tags => {
                let tags: Vec<TagCount> = self
                    .newsroom
                    .tags
                    .iter()
                    .map(|group| TagCount {
                        link: link_view(site, group),
                        count: group.stories.len(),
                    })
                    .collect();
                context.insert("tags", &tags);
                "tags.html"
            }
            Job::Corrections => {
                context.insert("corrections", &corrections_page(self.newsroom));
                crate::render::theme::CORRECTIONS_TEMPLATE
            }
            Job::NotFound => "404.html",
        };
        feeds.push(main_feed);
        context.insert("feeds", &feeds);
        if let Some(data) = json_ld {
            context.insert(
                "json_ld",
                &Value::safe_string(&structured_data::script_json(&data)),
            );
        }
        context.insert("current_path", &path);
        context.insert("canonical", &canonical);
        self.theme.render(template, &context)
    }

    /// The story indices on page `number` of a listing (all stories when `stories` is empty).
    fn page_stories(&self, number: usize, stories: &[usize], total: usize) -> Vec<usize> {
        let per_page = self.newsroom.site.config.paginate.max(1);
        let range = (number - 1) * per_page..(number * per_page).min(total);
        if stories.is_empty() {
            range.collect()
        } else {
            stories[range].to_vec()
        }
    }

    fn listing_route(&self, kind: Listing<'_>) -> String {
        match kind {
            Listing::Front => routes::FRONT.to_string(),
            Listing::Section(group) | Listing::Tag(group) | Listing::Author(group) => group.route(),
        }
    }

    fn paginator(
        &self,
        base: &str,
        number: usize,
        stories: &[usize],
        total: usize,
    ) -> Paginator<'_> {
        let site = &self.newsroom.site;
        let per_page = site.config.paginate.max(1);
        let total_pages = total.div_ceil(per_page).max(1);
        let link = |n: usize| site.path(&routes::page(base, n));
        Paginator {
            stories: self
                .page_stories(number, stories, total)
                .into_iter()
                .map(|i| &self.cards[i])
                .collect(),
            number,
            total_pages,
            total_stories: total,
            previous: (number > 1).then(|| link(number - 1)),
            next: (number < total_pages).then(|| link(number + 1)),
            first: link(1),
            last: link(total_pages),
        }
    }
}

/// What distinguishes listings of one kind from another, for cache keys.
fn listing_name<'g>(kind: Listing<'g>) -> (&'static str, &'g str) {
    match kind {
        Listing::Front => ("front", ""),
        Listing::Section(group) => ("section", &group.name),
        Listing::Tag(group) => ("tag", &group.name),
        Listing::Author(group) => ("author", &group.name),
    }
}

/// Listing cards, serialised once per story and reused while its fingerprint holds.
fn cards(
    newsroom: &Newsroom,
    images: &Images,
    fingerprints: &[u64],
    cache: &mut HashMap<u64, Value>,
) -> Vec<Value> {
    let missing: Vec<usize> = (0..newsroom.stories.len())
        .filter(|&i| !cache.contains_key(&fingerprints[i]))
        .collect();
    let links = CardLinks::of(newsroom, &missing);
    let previous = &*cache;
    // `true`: made now, to be cached.
    let cards: Vec<(Value, bool)> = (0..newsroom.stories.len())
        .into_par_iter()
        .map(|i| match previous.get(&fingerprints[i]) {
            Some(card) => (card.clone(), false),
            None => (
                Value::from_serializable(&card_view(newsroom, images, i, &links)),
                true,
            ),
        })
        .collect();
    for (fingerprint, (card, new)) in fingerprints.iter().zip(&cards) {
        if *new {
            cache.insert(*fingerprint, card.clone());
        }
    }
    if cache.len() > 2 * fingerprints.len() {
        let used: HashSet<u64> = fingerprints.iter().copied().collect();
        cache.retain(|fingerprint, _| used.contains(fingerprint));
    }
    cards.into_iter().map(|(card, _)| card).collect()
}

/// The author, section and tag links that cards show, each made once: the thousand cards of
/// a section share one value instead of holding a copy each, which keeps ten thousand cards
/// in a fraction of the memory and spares as many allocations.
struct CardLinks<'a> {
    links: HashMap<(GroupKind, &'a str), Value>,
}

impl<'a> CardLinks<'a> {
    /// The links of the stories at `indices`, as each story spells its names.
    fn of(newsroom: &'a Newsroom, indices: &[usize]) -> CardLinks<'a> {
        let mut names: HashSet<(GroupKind, &'a str)> = HashSet::default();
        for &i in indices {
            let story = &newsroom.stories[i];
            let front = &story.front;
            names.extend(
                front
                    .authors
                    .iter()
                    .map(|a| (GroupKind::Author, a.as_str())),
            );
            names.extend(story.section.as_deref().map(|s| (GroupKind::Section, s)));
            names.extend(front.tags.iter().map(|t| (GroupKind::Tag, t.as_str())));
        }
        let site = &newsroom.site;
        let links = names
            .into_par_iter()
            .map(|(kind, name)| {
                let link = named_link(site, name, kind);
                let value = if kind == GroupKind::Author {
                    let info = site.config.authors.get(name);
                    Value::from_serializable(&AuthorView {
                        link,
                        bio: info.and_then(|i| i.bio.as_deref()),
                        url: info.and_then(|i| i.url.as_deref()),
                    })
                } else {
                    Value::from_serializable(&link)
                };
                ((kind, name), value)
            })
            .collect();
        CardLinks { links }
    }

    /// Every name a card asks for was collected by [`CardLinks::of`] from the same story.
    fn get(&self, kind: GroupKind, name: &'a str) -> Option<&Value> {
        self.links.get(&(kind, name))
    }
}

/// Everything a story's card and page are made from: its text, where it is published, the
/// section name it is shown under, its photo's URL and size, and its rendered body.
fn story_fingerprint(newsroom: &Newsroom, images: &Images, index: usize, story: &Story) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    story.file.hash.hash(&mut hasher);
    story.route.hash(&mut hasher);
    story.section.hash(&mut hasher);
    story.status.hash(&mut hasher);
    newsroom.photos[index].hash(&mut hasher);
    images.photo_sizes.get(index).hash(&mut hasher);
    images.pictures.get(index).hash(&mut hasher);
    body_pictures_hash(images, story).hash(&mut hasher);
    story.body.hash.hash(&mut hasher);
    hasher.finish()
}

/// One size of a picture, as `resize_image` gives it to templates.
#[derive(Serialize)]
struct SizedImage {
    /// In the source's format.
    url: String,
    /// The same size as WebP.
    webp: String,
    width: u32,
    height: u32,
}

/// Registers `resize_image(path=..., width=...)` for this build: the smallest published size of
/// the local image at `path` (a URL as templates see it, such as `story.photo.src`) that is at
/// least `width` wide, or its largest; `{url, webp, width, height}`. Sizes are the site's
/// `[images] widths`, made by the build, so the function encodes nothing. A path without a
/// picture (a photo on another site) gives back `{url: path}`, so teasers still show it. Pages
/// that call it with a story's photo are re-rendered when the photo changes (it is part of the
/// story's fingerprint); other images are not tracked by the page cache.
fn register_resize_image(newsroom: &Newsroom, images: &Images, theme: &mut Theme) {
    let site = &newsroom.site;
    let mut pictures = images.by_url.clone();
    for (url, picture) in newsroom.photos.iter().zip(&images.pictures) {
        if let (Some(url), Some(picture)) = (url, picture) {
            pictures.insert(url.clone(), picture.clone());
        }
    }
    let output = site.path(&format!("/{}/", crate::assets::picture::OUTPUT_DIR));
    register_resize_image_with(&mut theme.tera, pictures, output);
}

/// Registers `resize_image` over `pictures` (by URL), with encoded files under `output`. The
/// theme registers it with no pictures when it compiles, because Tera refuses templates that
/// call unknown functions; each build registers it again with its own.
pub(crate) fn register_resize_image_with(
    tera: &mut tera::Tera,
    pictures: std::collections::HashMap<String, crate::assets::picture::Picture>,
    output: String,
) {
    tera.register_function(
        "resize_image",
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let width: u32 = kwargs.get("width")?.unwrap_or(0);
            let Some(picture) = pictures.get(path) else {
                return Ok(Value::from_serializable(
                    &serde_json::json!({ "url": path }),
                ));
            };
            let pick = |variants: &[crate::assets::picture::Variant]| {
                variants
                    .iter()
                    .find(|v| v.width >= width)
                    .or(variants.last())
                    .map(|v| (format!("{output}{}", v.file), v.width, v.height))
            };
            let (Some((url, width, height)), Some((webp, _, _))) =
                (pick(&picture.original), pick(&picture.webp))
            else {
                return Ok(Value::from_serializable(
                    &serde_json::json!({ "url": path }),
                ));
            };
            Ok(Value::from_serializable(&SizedImage {
                url,
                webp,
                width,
                height,
            }))
        },
    );
}

/// A hash of the pictures of the images a body shows, which its page renders as `<picture>`:
/// a replaced image changes the page even though the body's text is the same.
fn body_pictures_hash(images: &Images, story: &Story) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    for (_, url) in &story.body.links {
        if let Some(picture) = url.as_ref().and_then(|u| images.by_url.get(u)) {
            picture.hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// A body's HTML with its local images as responsive `<picture>`s.
fn body_html<'a>(
    newsroom: &Newsroom,
    images: &Images,
    story: &'a Story,
) -> std::borrow::Cow<'a, str> {
    let site = &newsroom.site;
    let url_of = |file: &str| site.path(&format!("/{}/{file}", crate::assets::picture::OUTPUT_DIR));
    match crate::assets::picture::responsive_html(&story.body.html, &images.by_url, url_of) {
        Some(html) => std::borrow::Cow::Owned(html),
        None => std::borrow::Cow::Borrowed(&story.body.html),
    }
}

/// A story's or page's corrections, oldest first, as a reader follows them down the page.
fn correction_views(story: &Story) -> Vec<CorrectionView<'_>> {
    let mut views: Vec<(jiff::Timestamp, CorrectionView<'_>)> = story
        .front
        .corrections
        .iter()
        .map(|c| {
            let view = CorrectionView {
                date: rfc3339(&c.date),
                text: &c.text,
            };
            (c.date.timestamp(), view)
        })
        .collect();
    views.sort_by_key(|(timestamp, _)| *timestamp);
    views.into_iter().map(|(_, view)| view).collect()
}

/// Every correction on the site, newest first: the outlet's public record of its mistakes.
fn corrections_page(newsroom: &Newsroom) -> Vec<CorrectionEntry<'_>> {
    let site = &newsroom.site;
    let mut entries: Vec<(jiff::Timestamp, CorrectionEntry<'_>)> = newsroom
        .stories
        .iter()
        .chain(&newsroom.pages)
        .filter(|story| !story.front.corrections.is_empty())
        .flat_map(|story| {
            let path = site.path(&story.route);
            story.front.corrections.iter().map(move |c| {
                let entry = CorrectionEntry {
                    date: rfc3339(&c.date),
                    text: &c.text,
                    headline: &story.front.headline,
                    permalink: site.absolute(&path),
                    path: path.clone(),
                };
                (c.date.timestamp(), entry)
            })
        })
        .collect();
    entries.sort_by(|(a, x), (b, y)| b.cmp(a).then_with(|| x.path.cmp(&y.path)));
    entries.into_iter().map(|(_, entry)| entry).collect()
}

fn site_view(newsroom: &Newsroom) -> SiteView<'_> {
    let site = &newsroom.site;
    let config = &site.config;
    SiteView {
        title: &config.title,
        tagline: config.tagline.as_deref(),
        description: config.description.as_deref(),
        base_url: &site.base_url,
        base_path: &site.base_path,
        language: &config.language,
        timezone: &config.timezone,
        generator: format!("Dateline {}", env!("CARGO_PKG_VERSION")),
        support: config.support.clone().map(|support| Support {
            url: if support.url.starts_with('/') && !support.url.starts_with("//") {
                site.path(&support.url)
            } else {
                support.url
            },
            ..support
        }),
        sections: newsroom
            .sections
            .iter()
            .map(|g| link_view(site, g))
            .collect(),
        pages: newsroom
            .pages
            .iter()
            .map(|page| PageLink {
                title: &page.front.headline,
                slug: &page.slug,
                path: site.path(&page.route),
            })
            .collect(),
        publisher: PublisherView {
            name: site.publisher_name(),
            url: site.publisher_url(),
            logo: site.logo_url(),
        },
        extra: &config.extra,
    }
}

fn link_view(site: &Site, group: &Group) -> LinkView {
    let path = site.path(&group.route());
    LinkView {
        name: group.name.clone(),
        slug: group.slug.clone(),
        permalink: site.absolute(&path),
        path,
    }
}

/// The link to the section, tag or author page of `name`.
fn named_link(site: &Site, name: &str, kind: GroupKind) -> LinkView {
    let slug = crate::site::slug::slugify(name);
    let path = site.path(&kind.route(&slug));
    LinkView {
        name: name.to_string(),
        slug,
        permalink: site.absolute(&path),
        path,
    }
}

fn author_view<'a>(site: &'a Site, group: &Group) -> AuthorView<'a> {
    let info: Option<&AuthorInfo> = site.config.authors.get(&group.name);
    AuthorView {
        link: link_view(site, group),
        bio: info.and_then(|i| i.bio.as_deref()),
        url: info.and_then(|i| i.url.as_deref()),
    }
}

fn card_view<'a>(
    newsroom: &'a Newsroom,
    images: &'a Images,
    index: usize,
    links: &'a CardLinks<'a>,
) -> CardView<'a> {
    let site = &newsroom.site;
    let story = &newsroom.stories[index];
    let front = &story.front;
    let path = site.path(&story.route);
    CardView {
        headline: &front.headline,
        dek: front.dek.as_deref(),
        date: front.date.as_ref().map(rfc3339).unwrap_or_default(),
        updated: front.last_modified().map(rfc3339),
        authors: front
            .authors
            .iter()
            .filter_map(|name| links.get(GroupKind::Author, name))
            .collect(),
        section: story
            .section
            .as_deref()
            .and_then(|name| links.get(GroupKind::Section, name)),
        tags: front
            .tags
            .iter()
            .filter_map(|tag| links.get(GroupKind::Tag, tag))
            .collect(),
        photo: images
            .lead_photo(newsroom, index)
            .map(|photo| photo_view(site, photo)),
        summary: &story.body.summary,
        reading_time: story.body.reading_time(),
        word_count: story.body.word_count,
        permalink: site.absolute(&path),
        path,
        slug: &story.slug,
        status: story.status,
        has_code: story.body.has_code,
        extra: &front.extra,
    }
}

/// A lead photo as templates see it.
fn photo_view<'a>(site: &Site, photo: LeadPhoto<'a>) -> PhotoView<'a> {
    let srcset = |variants: &[crate::assets::picture::Variant]| {
        crate::assets::picture::Picture::srcset(variants, |file| {
            site.path(&format!("/{}/{file}", crate::assets::picture::OUTPUT_DIR))
        })
    };
    PhotoView {
        src: photo.src,
        url: site.absolute_url(photo.src),
        alt: photo.alt,
        credit: photo.credit,
        caption: photo.caption,
        width: photo.size.map(|s| s.width),
        height: photo.size.map(|s| s.height),
        media_type: photo.media_type(),
        srcset: photo.picture.map(|p| srcset(&p.original)),
        srcset_webp: photo.picture.map(|p| srcset(&p.webp)),
    }
}

fn page_view<'a>(site: &Site, page: &'a Story) -> PageView<'a> {
    let path = site.path(&page.route);
    PageView {
        title: &page.front.headline,
        dek: page.front.dek.as_deref(),
        content: &page.body.html,
        permalink: site.absolute(&path),
        path,
        slug: &page.slug,
        corrections: correction_views(page),
        has_code: page.body.has_code,
        extra: &page.front.extra,
    }
}

/// Theme assets, files beside stories, and the code stylesheet when any body has code. Returns
/// the paths whose output they replaced (a static file at a page's path wins).
fn add_static_files(
    newsroom: &Newsroom,
    images: &Images,
    files: &ThemeFiles,
    outputs: &mut Outputs,
) -> HashSet<Arc<str>> {
    let mut replaced = HashSet::default();
    let mut add = |path: &str, output: Output| {
        if outputs.insert(path, output).is_some() {
            replaced.insert(Arc::from(path));
        }
    };
    for (path, source) in &files.statics {
        let output = match source {
            StaticSource::BuiltIn(bytes) => Output::BuiltIn(bytes),
            StaticSource::Disk(file, stamp) => Output::Copy(file.clone(), *stamp),
        };
        add(path, output);
    }
    for asset in &newsroom.assets {
        let source = newsroom.content_dir.join(&asset.source);
        add(&asset.output, Output::Copy(source, asset.stamp));
    }
    // After the assets: a re-encoded image replaces its original, metadata and all.
    for (output, file, stamp) in &images.files {
        add(output, Output::Copy(file.clone(), *stamp));
    }
    let has_code = newsroom
        .stories
        .iter()
        .chain(&newsroom.pages)
        .any(|s| s.body.has_code);
    if has_code
        && !outputs
            .files
            .contains_key(crate::parse::highlight::STYLESHEET)
    {
        outputs.insert(
            crate::parse::highlight::STYLESHEET,
            Output::BuiltIn(crate::parse::highlight::stylesheet().as_bytes()),
        );
    }
    replaced
}
