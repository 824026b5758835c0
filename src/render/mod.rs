//! Stage 5, render: the newsroom through the theme's templates into `Outputs`, in parallel.
//!
//! Every page is an independent job; the `site` object is set once in Tera's global context
//! and each story's listing card is serialised once, then shared by every listing it is on.

pub(crate) mod feed;
pub(crate) mod links;
mod pictures;
pub(crate) mod redirect;
pub(crate) mod search;
pub(crate) mod sitemap;
mod statics;
pub(crate) mod structured_data;
mod template_tags;
pub(crate) mod theme;
mod view;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use tera::{Context, Value};

use crate::assets::Images;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{Group, Newsroom};
use crate::output::{KeptPages, Output, Outputs, PageSink};
use crate::parse::story::Story;
use crate::render::theme::Theme;
use crate::site::routes::{self, GroupKind, route_file};
use crate::source::theme::ThemeFiles;

use self::pictures::{body_html, body_pictures_hash, register_resize_image};
use self::statics::add_static_files;
use self::view::{
    CardLinks, PageView, Paginator, StoryView, TagCount, author_view, card_view, correction_views,
    corrections_page, link_view, page_view, site_view,
};

/// How many of each kind of file a build wrote, for the summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub stories: usize,
    pub pages: usize,
    pub listings: usize,
    pub feeds: usize,
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
    Search,
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
    search: crate::render::search::SearchCache,
}

impl RenderCache {
    pub(crate) fn clear(&mut self) {
        self.cards.clear();
        self.pages.clear();
        self.feeds.clear();
        self.sitemap = Default::default();
        self.search = Default::default();
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
    crate::render::search::render(newsroom, images, &mut cache.search, &mut outputs);
    let (replaced, misplaced) = add_static_files(newsroom, images, files, &mut outputs);
    // A page that a static file replaced is not in the output folder: keeping it by its key
    // would keep the static file's copy after the static file is gone.
    keys.retain(|(path, _)| !replaced.contains(path));
    let mut clashes = crate::render::redirect::render(newsroom, &mut outputs);
    clashes.extend(misplaced);
    clashes.extend(nested_outputs(newsroom, &outputs));
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

/// An error for each output that sits where another needs a folder (a file `static/tags`
/// over the tags pages, a folder `static/feed.xml/` under the feed, a redirect from
/// `/old.html` beside one from `/old.html/sub/`), which the write stage could only fail on with
/// no location. Named by the file that can be moved: a copied file's source when there is
/// one.
fn nested_outputs(newsroom: &Newsroom, outputs: &Outputs) -> Diagnostics {
    let root = newsroom
        .content_dir
        .parent()
        .unwrap_or(&newsroom.content_dir);
    let source = |path: &str| match outputs.get(path) {
        Some(Output::Copy(file, _)) => Some(crate::diagnostic::display_path(root, file)),
        _ => None,
    };
    outputs
        .nested()
        .into_iter()
        .map(|(file, under)| {
            let blamed = source(file)
                .or_else(|| source(under))
                .unwrap_or_else(|| std::path::PathBuf::from(format!("/{file}")));
            Diagnostic::error(
                blamed,
                format!("`/{file}` is a file, so `/{under}` cannot be published under it"),
            )
            .with_help(
                "rename or remove one of the two: a file in static/ or content/, or a \
                 `redirect_from` path",
            )
        })
        .collect()
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
        if newsroom.site.config.search.enabled
            && self
                .theme
                .has_template(crate::render::theme::SEARCH_TEMPLATE)
        {
            jobs.push(Job::Search);
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
            Job::Search => routes::SEARCH.to_string(),
            Job::NotFound => routes::NOT_FOUND.to_string(),
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
            Job::Search => "search".hash(&mut hasher),
            Job::NotFound => "404".hash(&mut hasher),
        }
        hasher.finish()
    }

    fn render_job(&self, job: &Job<'_>, route: &str) -> Result<String, Diagnostic> {
        let site = &self.newsroom.site;
        let mut context = Context::new();
        let path = site.path(route);
        let canonical = site.absolute(&path);
        let main_feed = feed::main_link(site);
        let mut feeds = Vec::with_capacity(2);
        let mut json_ld = None;
        let template = match job {
            Job::Story(index) => {
                let story = &self.newsroom.stories[*index];
                feeds.extend(
                    story
                        .section
                        .as_deref()
                        .zip(story.section_slug.as_deref())
                        .map(|(name, slug)| feed::group_link(site, GroupKind::Section, name, slug)),
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
                        backstory: story.front.backstory.as_deref(),
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
                        feeds.push(feed::group_link(site, group.kind, &group.name, &group.slug));
                        context.insert("section", &link_view(site, group));
                        "section.html"
                    }
                    Listing::Tag(group) => {
                        let description = format!("Stories about {} from {title}.", group.name);
                        json_ld = Some(collection(&group.name, description));
                        feeds.push(feed::group_link(site, group.kind, &group.name, &group.slug));
                        context.insert("tag", &link_view(site, group));
                        "tag.html"
                    }
                    Listing::Author(group) => {
                        json_ld =
                            Some(structured_data::profile_page(site, &group.name, &canonical));
                        feeds.push(feed::group_link(site, group.kind, &group.name, &group.slug));
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
            Job::Search => crate::render::theme::SEARCH_TEMPLATE,
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
