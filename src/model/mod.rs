//! The in-memory model of the whole site: stories sorted newest first, pages, and the
//! sections, tags and authors that group them. Pure data: no I/O and no clock (`now` is given).

pub mod style;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;
use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::parse::markdown::{self, Body, Links};
use crate::parse::story::{Status, Story};
use crate::site::config::Site;
use crate::site::routes::GroupKind;
use crate::site::slug::slugify;
use crate::source::SourceFile;
use crate::util::fs::FileStamp;

/// What a build publishes.
#[derive(Debug, Clone, Copy)]
pub struct Publishing {
    /// Include stories marked `draft: true`.
    pub drafts: bool,
    /// Include stories dated after `now`.
    pub future: bool,
    pub now: Timestamp,
}

/// The parse stage's results: what the newsroom is assembled from.
#[derive(Debug, Default)]
pub struct Parsed {
    pub stories: Vec<Story>,
    /// Files (relative to `content/`) that failed to parse: links to them are not "missing".
    pub unparsed: Vec<PathBuf>,
    /// The files among them that were read but whose front matter failed: their bodies' links
    /// and images are still checked, so that one run reports all of a file's problems.
    pub failed: Vec<Arc<SourceFile>>,
    /// Non-Markdown files under `content/`, relative to it, with their stamps.
    pub assets: Vec<(PathBuf, FileStamp)>,
}

/// A section, tag or author: a name, its URL slug and its stories (indices, newest first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub kind: GroupKind,
    pub name: String,
    pub slug: String,
    pub stories: Vec<usize>,
}

impl Group {
    /// The route of the group's listing page.
    pub fn route(&self) -> String {
        self.kind.route(&self.slug)
    }
}

/// A file from `content/` published as it is (a photo beside a story).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Relative to `content/`.
    pub source: PathBuf,
    /// Output path relative to the site root, without a leading slash.
    pub output: String,
    pub stamp: FileStamp,
}

#[derive(Debug)]
pub struct Newsroom {
    pub site: Site,
    /// Where `content/` is, so that assets can be copied from it.
    pub content_dir: PathBuf,
    /// Published stories, newest first.
    pub stories: Vec<Story>,
    pub pages: Vec<Story>,
    pub sections: Vec<Group>,
    pub tags: Vec<Group>,
    pub authors: Vec<Group>,
    pub assets: Vec<Asset>,
    /// Resolved photo URLs, by story index (`None`: no photo).
    pub photos: Vec<Option<String>>,
    /// Problems found while assembling that do not stop the build (raw HTML repaired in a
    /// body), for the build to show.
    pub warnings: Diagnostics,
}

impl Newsroom {
    /// Groups, sorts and links the parsed files, and renders their bodies in parallel.
    pub fn assemble(
        site: Site,
        content_dir: PathBuf,
        parsed: Parsed,
        publishing: Publishing,
        bodies: &mut BodyCache,
    ) -> Result<Newsroom, Diagnostics> {
        let Parsed {
            stories: parsed,
            unparsed,
            failed,
            assets: asset_files,
        } = parsed;
        let mut problems = Diagnostics::new();
        let visible = |story: &Story| match story.status {
            Status::Published => true,
            Status::Draft => publishing.drafts,
            Status::Scheduled => publishing.future,
        };
        let all_bundles: HashSet<PathBuf> = parsed
            .iter()
            .filter_map(|s| s.bundle.as_deref())
            .map(Path::to_path_buf)
            .collect();
        let (visible, hidden): (Vec<Story>, Vec<Story>) = parsed.into_iter().partition(visible);
        let (mut pages, mut stories): (Vec<Story>, Vec<Story>) =
            visible.into_iter().partition(Story::is_page);
        let sections = assign_sections(&site, &mut stories, &mut problems);
        // Sorting keys moves ten thousand stories once, instead of at every comparison.
        stories.sort_by_cached_key(|s| (std::cmp::Reverse(s.timestamp()), Arc::clone(&s.route)));
        pages.sort_by(|a, b| a.route.cmp(&b.route));
        let assets = place_assets(&asset_files, &all_bundles, &stories, &pages);
        // Checking and grouping walk every story in one thread: they run beside the links and
        // photos.
        let ((clashes, sections, tags, authors), (links, (photos, missing))) = rayon::join(
            || {
                let mut clashes = Diagnostics::new();
                check_unique_routes(&stories, &pages, &sections, &mut clashes);
                let (tags, authors) = rayon::join(
                    || group_by_name(GroupKind::Tag, &stories, |s| (&s.front.tags, &s.tag_slugs)),
                    || {
                        group_by_name(GroupKind::Author, &stories, |s| {
                            (&s.front.authors, &s.author_slugs)
                        })
                    },
                );
                (clashes, group_stories(&stories, &sections), tags, authors)
            },
            || {
                let links = bodies.links(&site, &stories, &pages, &assets, unparsed, &hidden);
                let photos: (Vec<Option<String>>, Vec<Option<Diagnostic>>) = stories
                    .par_iter()
                    .map(|story| photo_url(&site, story, &links))
                    .unzip();
                (links, photos)
            },
        );
        problems.extend(clashes);
        problems.extend(missing.into_iter().flatten());
        let raw_html = site.config.unsafe_html;
        problems.extend(failed_bodies(&failed, &links, raw_html));
        render_bodies(&mut stories, &links, raw_html, bodies, &mut problems);
        render_bodies(&mut pages, &links, raw_html, bodies, &mut problems);
        if bodies.entries.len() > stories.len() + pages.len() {
            let live: HashSet<usize> = stories
                .iter()
                .chain(&pages)
                .map(|s| address(&s.file))
                .collect();
            bodies.entries.retain(|file, _| live.contains(file));
        }
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(Newsroom {
            site,
            content_dir,
            stories,
            pages,
            sections,
            tags,
            authors,
            assets,
            photos,
            warnings: problems,
        })
    }
}

/// An error for each story whose section is not one `site.toml` lists but is a spelling away
/// from one (`Wolrd` for `World`): it would quietly make a section of its own, with a page and
/// a menu item. A name far from every listed one is a new section, as the docs say.
fn misspelt_sections(site: &Site, stories: &[Story]) -> Diagnostics {
    let listed: Vec<(String, &str)> = site
        .config
        .sections
        .iter()
        .map(|name| (slugify(name), name.as_str()))
        .collect();
    let slugs: Vec<&str> = listed.iter().map(|(slug, _)| slug.as_str()).collect();
    let mut problems = Diagnostics::new();
    for story in stories {
        let (Some(name), Some(slug)) = (&story.section, &story.section_slug) else {
            continue;
        };
        if slugs.contains(&&**slug) {
            continue;
        }
        let Some(meant) = crate::site::config::nearest_key(slug, &slugs) else {
            continue;
        };
        let meant = listed
            .iter()
            .find(|(slug, _)| slug == meant)
            .map_or(meant, |(_, name)| name);
        problems.push(
            Diagnostic::error(
                &story.file.display,
                format!(
                    "the section `{name}` is not in site.toml's `sections`; did you mean `{meant}`?"
                ),
            )
            .with_span(
                story.text(),
                (story.front.section_span.clone()).unwrap_or(story.front.headline_span.clone()),
            )
            .with_help(format!(
                "fix the spelling (the story's folder, or `section:`), or add \"{name}\" to \
                 `sections` in site.toml to start a new section"
            )),
        );
    }
    problems
}

/// Section display names by slug, in navigation order; errors for stories without one.
fn assign_sections(
    site: &Site,
    stories: &mut [Story],
    problems: &mut Diagnostics,
) -> Vec<(String, String)> {
    let mut names: BTreeMap<Arc<str>, String> = BTreeMap::new();
    for story in stories.iter() {
        match (&story.section, &story.section_slug) {
            (Some(name), Some(slug)) if crate::site::routes::RESERVED_SEGMENTS.contains(&&**slug) => problems.push(
                Diagnostic::error(
                    &story.file.display,
                    format!("the section `{name}` would be published at /{slug}/, where Dateline lists all {slug}"),
                )
                .with_span(story.text(), story.front.headline_span.clone())
                .with_help("name the section (its folder, or `section:`) differently"),
            ),
            (Some(name), Some(slug)) if slug.is_empty() => problems.push(
                Diagnostic::error(
                    &story.file.display,
                    format!("the section `{name}` has no letter or digit to make its address from"),
                )
                .with_span(story.text(), story.front.headline_span.clone())
                .with_help("name the section (its folder, or `section:`) with letters or digits"),
            ),
            (Some(name), Some(slug)) => {
                let from_front_matter = story.front.section.is_some();
                let entry = names
                    .entry(Arc::clone(slug))
                    .or_insert_with(|| title_case(name));
                if from_front_matter && **entry != **name && *entry == title_case(name) {
                    *entry = name.to_string();
                }
            }
            _ => problems.push(
                Diagnostic::error(&story.file.display, "the story has no section")
                    .with_span(story.text(), story.front.headline_span.clone())
                    .with_help(
                        "put it in a section folder (content/world/...) or add `section: World`",
                    ),
            ),
        }
    }
    for name in &site.config.sections {
        if let Some(entry) = names.get_mut(slugify(name).as_str()) {
            entry.clone_from(name);
        }
    }
    problems.extend(misspelt_sections(site, stories));
    let position = |slug: &str| {
        site.config
            .sections
            .iter()
            .position(|name| slugify(name) == slug)
            .unwrap_or(usize::MAX)
    };
    let displays: HashMap<Arc<str>, Arc<str>> = names
        .iter()
        .map(|(slug, name)| (Arc::clone(slug), Arc::from(name.as_str())))
        .collect();
    for story in stories.iter_mut() {
        if let Some(slug) = &story.section_slug
            && let Some(display) = displays.get(slug)
            && story.section.as_ref() != Some(display)
        {
            story.section = Some(Arc::clone(display));
        }
    }
    let mut ordered: Vec<(String, String)> = names
        .into_iter()
        .map(|(slug, name)| (slug.to_string(), name))
        .collect();
    ordered.sort_by(|(a, _), (b, _)| position(a).cmp(&position(b)).then_with(|| a.cmp(b)));
    ordered
}

/// `world` -> `World`, for sections named only by their folder.
fn title_case(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Two files at one URL would overwrite each other: report both, at their slug or headline.
fn check_unique_routes(
    stories: &[Story],
    pages: &[Story],
    sections: &[(String, String)],
    problems: &mut Diagnostics,
) {
    let mut seen: HashMap<&str, &Story> = HashMap::default();
    let reserved: Vec<String> = crate::site::routes::RESERVED_SEGMENTS
        .iter()
        .map(|r| format!("/{r}/"))
        .chain(sections.iter().map(|(slug, _)| format!("/{slug}/")))
        .collect();
    for story in stories.iter().chain(pages).filter(|s| !s.route.is_empty()) {
        let clash = |message: String, help: String| {
            Diagnostic::error(&story.file.display, message)
                .with_span(story.text(), story.front.slug_span.clone())
                .with_help(help)
        };
        if reserved.iter().any(|r| **r == *story.route) {
            problems.push(clash(
                format!("two files would be published at {}", story.route),
                format!(
                    "Dateline publishes its own page at {}; give this file another `slug:`",
                    story.route
                ),
            ));
        } else if let Some(first) = seen.insert(&story.route, story) {
            problems.push(clash(
                format!("two files would be published at {}", story.route),
                format!(
                    "{} is also published there; give one of them another `slug:`",
                    first.file.display.display()
                ),
            ));
            problems.push(
                Diagnostic::error(
                    &first.file.display,
                    format!("two files would be published at {}", story.route),
                )
                .with_span(first.text(), first.front.slug_span.clone())
                .with_help(format!(
                    "{} is also published there; give one of them another `slug:`",
                    story.file.display.display()
                )),
            );
        }
    }
}

/// Files beside a story (in its folder) are published beside its page; others keep their path.
/// Files in the folder of an unpublished story (a draft) stay unpublished.
fn place_assets(
    files: &[(PathBuf, FileStamp)],
    all_bundles: &HashSet<PathBuf>,
    stories: &[Story],
    pages: &[Story],
) -> Vec<Asset> {
    let published: HashMap<&Path, &str> = stories
        .iter()
        .chain(pages)
        .filter_map(|s| Some((s.bundle.as_deref()?, &*s.route)))
        .collect();
    files
        .iter()
        .filter_map(|(file, stamp)| {
            let bundle = file
                .ancestors()
                .skip(1)
                .find(|dir| all_bundles.contains(*dir));
            let output = match bundle {
                Some(dir) => {
                    let route = published.get(dir)?;
                    format!("{}{}", route, file.strip_prefix(dir).ok()?.to_str()?)
                }
                None => format!("/{}", file.to_str()?),
            };
            Some(Asset {
                source: file.clone(),
                output: output.trim_start_matches('/').to_string(),
                stamp: *stamp,
            })
        })
        .collect()
}

impl BodyCache {
    /// Where every file of the site is published, for resolving links: the last build's map
    /// while no file moved, appeared or went away (most saves), else a new one.
    fn links(
        &mut self,
        site: &Site,
        stories: &[Story],
        pages: &[Story],
        assets: &[Asset],
        unparsed: Vec<PathBuf>,
        hidden: &[Story],
    ) -> Arc<Links> {
        use std::hash::{Hash, Hasher};
        let mut hasher = rustc_hash::FxHasher::default();
        site.base_path.hash(&mut hasher);
        for story in stories.iter().chain(pages) {
            (story.file.path.as_os_str().as_encoded_bytes(), &story.route).hash(&mut hasher);
        }
        for asset in assets {
            (asset.source.as_os_str().as_encoded_bytes(), &asset.output).hash(&mut hasher);
        }
        for path in unparsed.iter().chain(hidden.iter().map(|s| &s.file.path)) {
            path.as_os_str().as_encoded_bytes().hash(&mut hasher);
        }
        let key = hasher.finish();
        if let Some((previous, links)) = &self.links
            && *previous == key
        {
            return Arc::clone(links);
        }
        let mut links = Links {
            documents: stories
                .par_iter()
                .chain(pages)
                .map(|s| (s.file.path.clone(), site.path(&s.route)))
                .collect(),
            assets: assets
                .iter()
                .map(|a| (a.source.clone(), site.path(&format!("/{}", a.output))))
                .collect(),
            unpublished: hidden.iter().map(|s| s.file.path.clone()).collect(),
        };
        links
            .documents
            .extend(unparsed.into_iter().map(|path| (path, String::new())));
        let links = Arc::new(links);
        if let Some(old) = self.links.replace((key, Arc::clone(&links))) {
            crate::util::background::drop(old);
        }
        links
    }
}

/// The photo's URL for pages: a file beside the story, a path on the site, or any web URL.
/// The second value is the error when a local photo file does not exist.
fn photo_url(site: &Site, story: &Story, links: &Links) -> (Option<String>, Option<Diagnostic>) {
    let Some(photo) = story.front.photo.as_ref() else {
        return (None, None);
    };
    if crate::site::url::is_external(&photo.src) {
        return (Some(photo.src.clone()), None);
    }
    if photo.src.starts_with('/') {
        return (Some(site.path(&photo.src)), None);
    }
    match links.asset(&story.file.path, &photo.src) {
        Some(url) => (Some(url), None),
        None => (
            None,
            Some(
                Diagnostic::error(
                    &story.file.display,
                    format!("the photo `{}` does not exist", photo.src),
                )
                .with_span(story.text(), photo.span.clone())
                .with_help(missing_photo_help(story, &photo.src, links)),
            ),
        ),
    }
}

/// What to do about a photo file that does not exist: the file of the story's folder it most
/// likely names, else where to put it (a story that is not yet a folder must become one).
fn missing_photo_help(story: &Story, src: &str, links: &Links) -> String {
    if let Some(meant) = links.near_miss(&story.file.path, src) {
        return markdown::did_you_mean_file(&meant);
    }
    match story.bundle {
        Some(_) => "put the photo in the story's folder, next to index.md, or fix the name \
                    (or use a path under static/ starting with /)"
            .to_string(),
        None => "put the image next to the story (make it a folder: world/my-story/index.md \
                 with the photo beside it), or use a path under static/ starting with /"
            .to_string(),
    }
}

/// Rendered bodies of the last build, reused while a file's text and the URLs of the files it
/// links to are unchanged: an edit, even a new story, re-renders only the edited story. The
/// links map they were resolved with is kept too.
///
/// Bodies are found by the address of the loaded file they were rendered from: a file that is
/// read again is a new [`SourceFile`], and an unchanged one keeps its address between builds.
/// Each entry holds its file, so that no other file can be loaded at that address meanwhile.
#[derive(Debug, Default)]
pub struct BodyCache {
    entries: HashMap<usize, CachedBody>,
    /// The links map of the last build, with the key of the files and URLs it was made from.
    links: Option<(u64, Arc<Links>)>,
}

fn address(file: &Arc<SourceFile>) -> usize {
    Arc::as_ptr(file).addr()
}

#[derive(Debug)]
struct CachedBody {
    /// Keeps the key's address taken.
    _file: Arc<SourceFile>,
    /// The `unsafe_html` setting it was rendered with.
    raw_html: bool,
    body: Arc<Body>,
}

fn render_bodies(
    stories: &mut [Story],
    links: &Links,
    raw_html: bool,
    cache: &mut BodyCache,
    problems: &mut Diagnostics,
) {
    let previous = &cache.entries;
    // `Ok((body, true))`: rendered now, to be cached.
    let results: Vec<Result<(Arc<Body>, bool), Diagnostics>> = stories
        .par_iter()
        .map(|story| {
            if let Some(hit) = previous.get(&address(&story.file))
                && hit.raw_html == raw_html
                && hit.body.links_unchanged(links)
            {
                return Ok((Arc::clone(&hit.body), false));
            }
            let source = markdown::Source {
                display: &story.file.display,
                path: &story.file.path,
                text: &story.file.text,
                body_offset: story.body_offset,
                raw_html,
            };
            markdown::render(&source, links).map(|body| (Arc::new(body), true))
        })
        .collect();
    for (story, result) in stories.iter_mut().zip(results) {
        match result {
            Ok((body, new)) => {
                problems.extend(body.warnings.iter().cloned());
                if new {
                    cache.entries.insert(
                        address(&story.file),
                        CachedBody {
                            _file: Arc::clone(&story.file),
                            raw_html,
                            body: Arc::clone(&body),
                        },
                    );
                }
                story.body = body;
            }
            Err(diagnostics) => problems.extend(diagnostics),
        }
    }
}

/// The link and image problems of files whose front matter failed, found by rendering their
/// bodies as a published story's would be (the body is thrown away). A file without a body to
/// find (no closing `---`) has only its front matter error.
fn failed_bodies(files: &[Arc<SourceFile>], links: &Links, raw_html: bool) -> Diagnostics {
    files
        .iter()
        .filter_map(|file| {
            let split = crate::parse::front_matter::split(&file.text).ok()?;
            let source = markdown::Source {
                display: &file.display,
                path: &file.path,
                text: &file.text,
                body_offset: split.body_offset,
                raw_html,
            };
            markdown::render(&source, links).err()
        })
        .flatten()
        .collect()
}

/// Sections in navigation order, each with its stories.
fn group_stories(stories: &[Story], sections: &[(String, String)]) -> Vec<Group> {
    let mut groups: Vec<Group> = sections
        .iter()
        .map(|(slug, name)| Group {
            kind: GroupKind::Section,
            name: name.clone(),
            slug: slug.clone(),
            stories: Vec::new(),
        })
        .collect();
    for (index, story) in stories.iter().enumerate() {
        if let Some(slug) = &story.section_slug
            && let Some(group) = groups.iter_mut().find(|g| *g.slug == **slug)
        {
            group.stories.push(index);
        }
    }
    groups.retain(|g| !g.stories.is_empty());
    groups
}

/// Tags or authors by slug, alphabetical; the first spelling seen (newest story) names it.
/// `names` gives a story's names and their slugs, in the same order.
fn group_by_name<'s>(
    kind: GroupKind,
    stories: &'s [Story],
    names: impl Fn(&'s Story) -> (&'s [String], &'s [String]),
) -> Vec<Group> {
    let mut groups: HashMap<&str, Group> = HashMap::default();
    for (index, story) in stories.iter().enumerate() {
        let (names, slugs) = names(story);
        for (name, slug) in names.iter().zip(slugs) {
            if slug.is_empty() {
                continue;
            }
            let group = groups.entry(slug).or_insert_with(|| Group {
                kind,
                name: name.clone(),
                slug: slug.clone(),
                stories: Vec::new(),
            });
            if group.stories.last() != Some(&index) {
                group.stories.push(index);
            }
        }
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    groups.sort_unstable_by(|a, b| a.slug.cmp(&b.slug));
    groups
}
