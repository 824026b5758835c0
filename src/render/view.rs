//! The theme's template API: what templates see of the site, a story, a page, a listing and a
//! photo. Each view borrows from the newsroom and is serialised into Tera's context; the
//! fields here are the variables documented in docs/themes.md.

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use serde::Serialize;
use tera::Value;

use crate::assets::{Images, LeadPhoto};
use crate::model::{Group, Newsroom};
use crate::parse::story::{Status, Story};
use crate::site::config::{AuthorInfo, Site, Support};
use crate::site::routes::{self, GroupKind};
use crate::util::time::rfc3339;

#[derive(Serialize)]
pub(super) struct SiteView<'a> {
    pub(super) title: &'a str,
    pub(super) tagline: Option<&'a str>,
    pub(super) description: Option<&'a str>,
    pub(super) base_url: &'a str,
    pub(super) base_path: &'a str,
    pub(super) language: &'a str,
    pub(super) timezone: &'a str,
    pub(super) generator: String,
    /// With a site-relative `url` (`/support/`) under the base path, like every other link.
    pub(super) support: Option<Support>,
    pub(super) sections: Vec<LinkView>,
    /// Standalone pages (about, support us), for footers and menus.
    pub(super) pages: Vec<PageLink<'a>>,
    pub(super) publisher: PublisherView<'a>,
    /// Where the search page, its index and its script are; `None` when search is off.
    pub(super) search: Option<SearchView>,
    pub(super) extra: &'a toml::Table,
}

/// The search page's links, under the base path.
#[derive(Serialize)]
pub(super) struct SearchView {
    /// The `/search/` page, which the header's search form is sent to.
    pub(super) url: String,
    /// The folder of the index files, ending in `/`.
    pub(super) index: String,
    /// The built-in theme's search script.
    pub(super) script: String,
}

/// `[publisher]` with its defaults filled in.
#[derive(Serialize)]
pub(super) struct PublisherView<'a> {
    pub(super) name: &'a str,
    pub(super) url: String,
    pub(super) logo: Option<String>,
    pub(super) policies: Vec<PolicyLink>,
}

/// A section or tag as templates see it.
#[derive(Serialize, Clone)]
pub(super) struct LinkView {
    pub(super) name: String,
    pub(super) slug: String,
    pub(super) path: String,
    pub(super) permalink: String,
}

#[derive(Serialize)]
pub(super) struct PageLink<'a> {
    pub(super) title: &'a str,
    pub(super) slug: &'a str,
    pub(super) path: String,
    /// Whether `[publisher]` names the page as one of its policies (listed in
    /// `site.publisher.policies` too).
    pub(super) policy: bool,
}

/// A policy page of `[publisher]` (ethics, corrections, ownership), for footers.
#[derive(Serialize)]
pub(super) struct PolicyLink {
    /// The footer's link text (`Ethics policy`).
    pub(super) label: &'static str,
    /// Its schema.org property (`ethicsPolicy`), for themes that want their own labels.
    pub(super) property: &'static str,
    /// Under the base path.
    pub(super) path: String,
}

#[derive(Serialize)]
pub(super) struct AuthorView<'a> {
    #[serde(flatten)]
    pub(super) link: LinkView,
    pub(super) bio: Option<&'a str>,
    pub(super) url: Option<&'a str>,
}

#[derive(Serialize)]
pub(super) struct PhotoView<'a> {
    pub(super) src: &'a str,
    /// `src` as an absolute URL, for social cards.
    pub(super) url: String,
    pub(super) alt: &'a str,
    pub(super) credit: Option<&'a str>,
    pub(super) caption: Option<&'a str>,
    /// Pixels, when the photo is a local file whose header could be read.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) width: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) height: Option<u32>,
    /// The media type from the file name (`image/jpeg`), when known.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub(super) media_type: Option<&'static str>,
    /// Resized copies in the photo's own format (`url 480w, url 800w`), when it is local.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) srcset: Option<String>,
    /// The same sizes as WebP, for a `<source type="image/webp">`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(super) srcset_webp: Option<String>,
}

/// A story as listings see it: everything but the body.
#[derive(Serialize)]
pub(super) struct CardView<'a> {
    pub(super) headline: &'a str,
    pub(super) dek: Option<&'a str>,
    pub(super) date: String,
    pub(super) updated: Option<String>,
    /// Shared with every other card of the same author, section or tag (see [`CardLinks`]).
    pub(super) authors: Vec<&'a Value>,
    pub(super) section: Option<&'a Value>,
    pub(super) tags: Vec<&'a Value>,
    pub(super) photo: Option<PhotoView<'a>>,
    pub(super) summary: &'a str,
    pub(super) reading_time: usize,
    pub(super) word_count: usize,
    pub(super) path: String,
    pub(super) permalink: String,
    pub(super) slug: &'a str,
    pub(super) status: Status,
    pub(super) has_code: bool,
    pub(super) extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
pub(super) struct StoryView<'a> {
    #[serde(flatten)]
    pub(super) card: &'a Value,
    pub(super) content: &'a str,
    pub(super) corrections: Vec<CorrectionView<'a>>,
    /// How the story was reported, from front matter's `backstory`.
    pub(super) backstory: Option<&'a str>,
}

/// A correction or update note as a story or page shows it.
#[derive(Serialize)]
pub(super) struct CorrectionView<'a> {
    /// RFC 3339, like every date templates see.
    pub(super) date: String,
    pub(super) text: &'a str,
}

/// A line of the site's corrections page: the note and the story it corrects.
#[derive(Serialize)]
pub(super) struct CorrectionEntry<'a> {
    pub(super) date: String,
    pub(super) text: &'a str,
    pub(super) headline: &'a str,
    pub(super) path: String,
    pub(super) permalink: String,
}

#[derive(Serialize)]
pub(super) struct PageView<'a> {
    pub(super) title: &'a str,
    pub(super) dek: Option<&'a str>,
    pub(super) content: &'a str,
    pub(super) path: String,
    pub(super) permalink: String,
    pub(super) slug: &'a str,
    pub(super) corrections: Vec<CorrectionView<'a>>,
    pub(super) has_code: bool,
    pub(super) extra: &'a serde_json::Map<String, serde_json::Value>,
}

#[derive(Serialize)]
pub(super) struct Paginator<'a> {
    pub(super) stories: Vec<&'a Value>,
    pub(super) number: usize,
    pub(super) total_pages: usize,
    pub(super) total_stories: usize,
    pub(super) previous: Option<String>,
    pub(super) next: Option<String>,
    pub(super) first: String,
    pub(super) last: String,
}

#[derive(Serialize)]
pub(super) struct TagCount {
    #[serde(flatten)]
    pub(super) link: LinkView,
    pub(super) count: usize,
}

/// The author, section and tag links that cards show, each made once: the thousand cards of
/// a section share one value instead of holding a copy each, which keeps ten thousand cards
/// in a fraction of the memory and spares as many allocations.
pub(super) struct CardLinks<'a> {
    pub(super) links: HashMap<(GroupKind, &'a str), Value>,
}

impl<'a> CardLinks<'a> {
    /// The links of the stories at `indices`, as each story spells its names.
    pub(super) fn of(newsroom: &'a Newsroom, indices: &[usize]) -> CardLinks<'a> {
        // Each name with the slug its story computed for it when it was parsed.
        let mut names: HashSet<(GroupKind, &'a str, &'a str)> = HashSet::default();
        for &i in indices {
            let story = &newsroom.stories[i];
            let front = &story.front;
            let named = |kind, names: &'a [String], slugs: &'a [String]| {
                names
                    .iter()
                    .zip(slugs)
                    .map(move |(name, slug)| (kind, name.as_str(), slug.as_str()))
            };
            names.extend(named(
                GroupKind::Author,
                &front.authors,
                &story.author_slugs,
            ));
            names.extend(named(GroupKind::Tag, &front.tags, &story.tag_slugs));
            let section = story.section.as_deref().zip(story.section_slug.as_deref());
            names.extend(section.map(|(name, slug)| (GroupKind::Section, name, slug)));
        }
        let site = &newsroom.site;
        let links = names
            .into_par_iter()
            .map(|(kind, name, slug)| {
                let link = named_link(site, kind, name, slug);
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
    pub(super) fn get(&self, kind: GroupKind, name: &'a str) -> Option<&Value> {
        self.links.get(&(kind, name))
    }
}

/// A story's or page's corrections, oldest first, as a reader follows them down the page.
pub(super) fn correction_views(story: &Story) -> Vec<CorrectionView<'_>> {
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
pub(super) fn corrections_page(newsroom: &Newsroom) -> Vec<CorrectionEntry<'_>> {
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

/// The file a path to a page is served from, with or without its trailing slash.
fn page_file(path: &str) -> String {
    let path = path.split(['#', '?']).next().unwrap_or(path);
    match path.ends_with('/') || path.ends_with(".html") {
        true => crate::site::routes::route_file(path),
        false => crate::site::routes::route_file(&format!("{path}/")),
    }
}

pub(super) fn site_view(newsroom: &Newsroom) -> SiteView<'_> {
    let site = &newsroom.site;
    let config = &site.config;
    let policies = config.publisher.policies();
    let policy_files: Vec<String> = policies
        .iter()
        .map(|policy| page_file(policy.path))
        .collect();
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
                policy: policy_files.contains(&page_file(&page.route)),
            })
            .collect(),
        publisher: PublisherView {
            name: site.publisher_name(),
            url: site.publisher_url(),
            logo: site.logo_url(),
            policies: policies
                .iter()
                .map(|policy| PolicyLink {
                    label: policy.label,
                    property: policy.property,
                    path: site.path(policy.path),
                })
                .collect(),
        },
        search: config.search.enabled.then(|| SearchView {
            url: site.path(routes::SEARCH),
            index: site.path(&format!("/{}/", crate::render::search::INDEX_DIR)),
            script: site.path("/search.js"),
        }),
        extra: &config.extra,
    }
}

pub(super) fn link_view(site: &Site, group: &Group) -> LinkView {
    let path = site.path(&group.route());
    LinkView {
        name: group.name.clone(),
        slug: group.slug.clone(),
        permalink: site.absolute(&path),
        path,
    }
}

/// The link to the section, tag or author page of `name`, whose slug its story computed.
pub(super) fn named_link(site: &Site, kind: GroupKind, name: &str, slug: &str) -> LinkView {
    let path = site.path(&kind.route(slug));
    LinkView {
        name: name.to_string(),
        slug: slug.to_string(),
        permalink: site.absolute(&path),
        path,
    }
}

pub(super) fn author_view<'a>(site: &'a Site, group: &Group) -> AuthorView<'a> {
    let info: Option<&AuthorInfo> = site.config.authors.get(&group.name);
    AuthorView {
        link: link_view(site, group),
        bio: info.and_then(|i| i.bio.as_deref()),
        url: info.and_then(|i| i.url.as_deref()),
    }
}

pub(super) fn card_view<'a>(
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
pub(super) fn photo_view<'a>(site: &Site, photo: LeadPhoto<'a>) -> PhotoView<'a> {
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

pub(super) fn page_view<'a>(site: &Site, page: &'a Story) -> PageView<'a> {
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
