//! Stage 3, render: the newsroom through the theme's templates into `Outputs`, in parallel.
//!
//! Every page is an independent job; the `site` object is set once in Tera's global context
//! and each story's listing card is serialised once, then shared by every listing it is on.

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

use crate::config::{AuthorInfo, Site, Support};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::newsroom::{Group, Newsroom};
use crate::output::{Output, Outputs, route_file};
use crate::story::{Status, Story};
use crate::theme::{StaticSource, Theme, ThemeFiles};

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
    support: Option<&'a Support>,
    sections: Vec<LinkView>,
    extra: &'a toml::Table,
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
struct AuthorView<'a> {
    #[serde(flatten)]
    link: LinkView,
    bio: Option<&'a str>,
    url: Option<&'a str>,
}

#[derive(Serialize)]
struct PhotoView<'a> {
    src: &'a str,
    alt: &'a str,
    credit: Option<&'a str>,
    caption: Option<&'a str>,
}

/// A story as listings see it: everything but the body.
#[derive(Serialize)]
struct CardView<'a> {
    headline: &'a str,
    dek: Option<&'a str>,
    date: String,
    updated: Option<String>,
    authors: Vec<AuthorView<'a>>,
    section: Option<LinkView>,
    tags: Vec<LinkView>,
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
}

#[derive(Serialize)]
struct PageView<'a> {
    title: &'a str,
    dek: Option<&'a str>,
    content: &'a str,
    path: String,
    permalink: String,
    slug: &'a str,
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
    theme: &'a Theme,
    cards: Vec<Value>,
}

/// Renders every page, feed and sitemap of the site, collecting all template errors.
pub fn render(
    newsroom: &Newsroom,
    theme: &mut Theme,
    files: &ThemeFiles,
) -> Result<(Outputs, Counts), Diagnostics> {
    let site = &newsroom.site;
    let global = theme.tera.global_context();
    global.insert("site", &site_view(newsroom));
    global.insert("feed_url", &site.absolute(&site.path("/feed.xml")));
    global.insert("stylesheet", &site.path("/style.css"));
    let theme: &Theme = theme;
    let renderer = Renderer {
        newsroom,
        theme,
        cards: (0..newsroom.stories.len())
            .into_par_iter()
            .map(|i| Value::from_serializable(&card_view(newsroom, i)))
            .collect(),
    };
    let jobs = renderer.jobs();
    let results: Vec<Result<(String, Vec<u8>), Diagnostic>> = jobs
        .par_iter()
        .map(|job| renderer.render_job(job))
        .collect();
    let mut outputs = Outputs::default();
    let mut problems = Diagnostics::new();
    for result in results {
        match result {
            Ok((path, bytes)) => outputs.insert(path, Output::Bytes(bytes)),
            Err(diagnostic) => problems.push(diagnostic),
        }
    }
    if problems.has_errors() {
        return Err(problems);
    }
    let listings = jobs
        .iter()
        .filter(|j| matches!(j, Job::Listing { .. } | Job::Tags))
        .count();
    let feeds = crate::feed::render(newsroom, &mut outputs);
    crate::sitemap::render(newsroom, &mut outputs);
    add_static_files(newsroom, files, &mut outputs);
    let counts = Counts {
        stories: newsroom.stories.len(),
        pages: newsroom.pages.len(),
        listings,
        feeds,
    };
    Ok((outputs, counts))
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

    fn render_job(&self, job: &Job<'_>) -> Result<(String, Vec<u8>), Diagnostic> {
        let site = &self.newsroom.site;
        let mut context = Context::new();
        let (route, template) = match job {
            Job::Story(index) => {
                let story = &self.newsroom.stories[*index];
                context.insert(
                    "story",
                    &StoryView {
                        card: &self.cards[*index],
                        content: &story.body.html,
                    },
                );
                (story.route.clone(), "story.html")
            }
            Job::Page(page) => {
                context.insert("page", &page_view(site, page));
                (page.route.clone(), "page.html")
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
                let template = match kind {
                    Listing::Front => "index.html",
                    Listing::Section(group) => {
                        context.insert("section", &link_view(site, group, &base));
                        "section.html"
                    }
                    Listing::Tag(group) => {
                        context.insert("tag", &link_view(site, group, &base));
                        "tag.html"
                    }
                    Listing::Author(group) => {
                        context.insert("author", &author_view(site, group));
                        "author.html"
                    }
                };
                (page_route(&base, *number), template)
            }
            Job::Tags => {
                let tags: Vec<TagCount> = self
                    .newsroom
                    .tags
                    .iter()
                    .map(|group| TagCount {
                        link: link_view(site, group, &format!("/tags/{}/", group.slug)),
                        count: group.stories.len(),
                    })
                    .collect();
                context.insert("tags", &tags);
                ("/tags/".to_string(), "tags.html")
            }
            Job::NotFound => ("/404.html".to_string(), "404.html"),
        };
        let path = site.path(&route);
        context.insert("current_path", &path);
        context.insert("canonical", &site.absolute(&path));
        let html = self.theme.render(template, &context)?;
        Ok((route_file(&route), html.into_bytes()))
    }

    fn listing_route(&self, kind: Listing<'_>) -> String {
        match kind {
            Listing::Front => "/".to_string(),
            Listing::Section(group) => format!("/{}/", group.slug),
            Listing::Tag(group) => format!("/tags/{}/", group.slug),
            Listing::Author(group) => format!("/authors/{}/", group.slug),
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
        let range = (number - 1) * per_page..(number * per_page).min(total);
        let cards = if stories.is_empty() {
            range.map(|i| &self.cards[i]).collect()
        } else {
            stories[range].iter().map(|&i| &self.cards[i]).collect()
        };
        let link = |n: usize| site.path(&page_route(base, n));
        Paginator {
            stories: cards,
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

/// Page 1 of a listing is its own route; later pages are `page/N/` below it.
fn page_route(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
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
        support: config.support.as_ref(),
        sections: newsroom
            .sections
            .iter()
            .map(|g| link_view(site, g, &format!("/{}/", g.slug)))
            .collect(),
        extra: &config.extra,
    }
}

fn link_view(site: &Site, group: &Group, route: &str) -> LinkView {
    let path = site.path(route);
    LinkView {
        name: group.name.clone(),
        slug: group.slug.clone(),
        permalink: site.absolute(&path),
        path,
    }
}

/// The link to the section, tag or author page of `name`, under `prefix` (`/tags/`).
fn named_link(site: &Site, name: &str, prefix: &str) -> LinkView {
    let slug = crate::slug::slugify(name);
    let path = site.path(&format!("{prefix}{slug}/"));
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
        link: link_view(site, group, &format!("/authors/{}/", group.slug)),
        bio: info.and_then(|i| i.bio.as_deref()),
        url: info.and_then(|i| i.url.as_deref()),
    }
}

/// An RFC 3339 timestamp with the site's offset: `2025-05-19T14:30:00+01:00`.
pub fn rfc3339(date: &jiff::ZonedDateTime) -> String {
    date.timestamp()
        .display_with_offset(date.offset())
        .to_string()
}

fn card_view(newsroom: &Newsroom, index: usize) -> CardView<'_> {
    let site = &newsroom.site;
    let story = &newsroom.stories[index];
    let front = &story.front;
    let path = site.path(&story.route);
    let named = |name: &str, prefix: &str| named_link(site, name, prefix);
    CardView {
        headline: &front.headline,
        dek: front.dek.as_deref(),
        date: front.date.as_ref().map(rfc3339).unwrap_or_default(),
        updated: front.updated.as_ref().map(rfc3339),
        authors: front
            .authors
            .iter()
            .map(|name| {
                let info = site.config.authors.get(name);
                AuthorView {
                    link: named(name, "/authors/"),
                    bio: info.and_then(|i| i.bio.as_deref()),
                    url: info.and_then(|i| i.url.as_deref()),
                }
            })
            .collect(),
        section: story.section.as_deref().map(|name| named(name, "/")),
        tags: front.tags.iter().map(|t| named(t, "/tags/")).collect(),
        photo: front
            .photo
            .as_ref()
            .zip(newsroom.photos[index].as_deref())
            .map(|(photo, src)| PhotoView {
                src,
                alt: &photo.alt,
                credit: photo.credit.as_deref(),
                caption: photo.caption.as_deref(),
            }),
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

fn page_view<'a>(site: &Site, page: &'a Story) -> PageView<'a> {
    let path = site.path(&page.route);
    PageView {
        title: &page.front.headline,
        dek: page.front.dek.as_deref(),
        content: &page.body.html,
        permalink: site.absolute(&path),
        path,
        slug: &page.slug,
        extra: &page.front.extra,
    }
}

/// Theme assets, files beside stories, and the code stylesheet when any body has code.
fn add_static_files(newsroom: &Newsroom, files: &ThemeFiles, outputs: &mut Outputs) {
    for (path, source) in &files.statics {
        let output = match source {
            StaticSource::BuiltIn(bytes) => Output::BuiltIn(bytes),
            StaticSource::Disk(file) => Output::Copy(file.clone()),
        };
        outputs.insert(path.clone(), output);
    }
    for asset in &newsroom.assets {
        outputs.insert(
            asset.output.clone(),
            Output::Copy(newsroom.content_dir.join(&asset.source)),
        );
    }
    let has_code = newsroom
        .stories
        .iter()
        .chain(&newsroom.pages)
        .any(|s| s.body.has_code);
    if has_code && !outputs.files.contains_key(crate::highlight::STYLESHEET) {
        outputs.insert(
            crate::highlight::STYLESHEET,
            Output::Bytes(crate::highlight::stylesheet().into_bytes()),
        );
    }
}
