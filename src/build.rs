//! The build as visible stages: source → parse → model → assets → render; writing is the
//! caller's (`write`), which is why this is the one module that names every stage.
//!
//! `build`, `check` and `serve` all drive a [`Builder`]. A one-off build starts it empty; `serve`
//! keeps it between saves, so that each stage redoes only what the changed files touch: only
//! changed files are re-read and re-parsed, bodies re-rendered only when their text or the
//! site's links changed, and pages re-rendered only when what they show changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::assets::Images;
use crate::assets::photo::PhotoSizes;
use crate::assets::picture::{self, Pictures};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::model::{BodyCache, Newsroom, Parsed, Publishing};
use crate::output::{KeptPages, Outputs, PageSink};
use crate::parse::story::{self, Status, Story};
use crate::render::links::CheckedLinks;
use crate::render::theme::{CORRECTIONS_TEMPLATE, Theme};
use crate::render::{Counts, RenderCache, render};
use crate::site::config::{CONFIG_FILE, Site};
use crate::source::{CONTENT_DIR, SourceFile, Sources, load};
use crate::write::{PageRecord, PreviousPages, Staging};

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub publishing: Publishing,
    /// Publish at another address than `base_url` in `site.toml` (previews, staging sites).
    pub base_url: Option<String>,
}

/// A rendered site, ready to be written or served.
#[derive(Debug)]
pub struct Built {
    pub outputs: Outputs,
    pub counts: Counts,
    /// Problems that do not stop the build, to show the user all the same.
    pub warnings: Diagnostics,
    /// How long each stage took, in order.
    pub timings: Vec<(&'static str, Duration)>,
    /// Image files encoded by this build: none when no photo or image setting changed.
    pub images_encoded: usize,
    /// Every page's path and key, for `build` to record once the site is written; only when
    /// the builder keeps pages from an output folder.
    pub pages: Option<PageRecord>,
}

/// Runs the stages once, from nothing.
pub fn run(options: &BuildOptions) -> Result<Built, Diagnostics> {
    Builder::new(options.clone()).build()
}

/// The stages with what they computed last time, so that a rebuild redoes only what changed.
pub struct Builder {
    pub options: BuildOptions,
    sources: Option<Sources>,
    /// Changed paths under `content/` since the last build.
    pending: Vec<PathBuf>,
    /// Something outside `content/` changed: re-read `site.toml` and the theme, and redo
    /// whatever they affect (a static file alone affects nothing else).
    config_changed: bool,
    /// Files (relative to `content/`) or folders under which something changed since the
    /// last parse: only their files are parsed again.
    dirty: Vec<PathBuf>,
    /// Each file's parse result, by its path relative to `content/`: the same keys, in the same
    /// order, as the loaded sources' content.
    stories: BTreeMap<PathBuf, ParsedFile>,
    tags: TagSpellings,
    /// `site.toml` as last parsed, with the text it was parsed from.
    site: Option<(Arc<str>, Site)>,
    /// The compiled templates, with the time zone their `date` filter was compiled for.
    theme: Option<(String, Theme)>,
    bodies: BodyCache,
    pages: RenderCache,
    /// Bodies whose links were checked and lead somewhere.
    links: CheckedLinks,
    photo_sizes: PhotoSizes,
    pictures: Pictures,
    /// The output folder whose unchanged pages a build keeps instead of rendering them.
    keep_from: Option<PathBuf>,
}

impl Builder {
    pub fn new(options: BuildOptions) -> Builder {
        Builder {
            options,
            sources: None,
            pending: Vec::new(),
            config_changed: false,
            dirty: Vec::new(),
            site: None,
            stories: BTreeMap::new(),
            tags: TagSpellings::default(),
            theme: None,
            bodies: BodyCache::default(),
            pages: RenderCache::default(),
            links: CheckedLinks::default(),
            photo_sizes: PhotoSizes::default(),
            pictures: Pictures::default(),
            keep_from: None,
        }
    }

    /// Lets builds keep the pages of the site in `output` that the record of its build shows
    /// unchanged (see `write::record`), rather than render them again.
    pub fn keep_pages_from(&mut self, output: &Path) {
        self.keep_from = Some(output.to_path_buf());
    }

    /// Records that `path` (absolute, under the site root) changed on disk.
    pub fn changed(&mut self, path: &Path) {
        let root = &self.options.root;
        if path.starts_with(root.join(CONTENT_DIR)) {
            self.pending.push(path.to_path_buf());
        } else {
            self.config_changed = true;
        }
    }

    /// Runs load, parse and render; every problem in the site is in the returned diagnostics.
    pub fn build(&mut self) -> Result<Built, Diagnostics> {
        self.build_into(None)
    }

    /// Like [`Builder::build`], but writes pages into `staging` as they are rendered instead
    /// of keeping them in memory: their outputs are [`Output::Staged`](crate::output::Output).
    pub fn build_into(&mut self, staging: Option<&Staging>) -> Result<Built, Diagnostics> {
        let mut timings = Vec::new();
        let mut clock = Instant::now();
        let mut lap = |name: &'static str| {
            timings.push((name, clock.elapsed()));
            clock = Instant::now();
        };

        self.load()?;
        lap("load");
        let (newsroom, mut problems) = self.parse();
        lap("parse");
        let Some(newsroom) = newsroom else {
            if let Some(sources) = &self.sources
                && let Err(errors) = Theme::compile(&sources.theme, &jiff::tz::TimeZone::UTC)
            {
                problems.extend(errors);
            }
            return Err(problems);
        };
        if let Err(errors) = self.compile_theme(&newsroom.site) {
            problems.extend(errors);
        }
        let (Some(sources), Some((_, theme))) = (&self.sources, &mut self.theme) else {
            return Err(problems);
        };
        if problems.has_errors() {
            return Err(problems);
        }
        let photo_sizes = self.photo_sizes.measure(&newsroom, &sources.theme);
        let (images, image_problems, encoded) = picture::attach(
            &mut self.pictures,
            &newsroom,
            &sources.theme,
            &self.options.root,
            photo_sizes,
        );
        // Counted in the render stage: `--timings` lists a fixed set of stages.
        problems.extend(image_problems);
        if problems.has_errors() {
            return Err(problems);
        }
        let previous = self.keep_from.as_deref().map(|output| {
            let context = record_context(&self.options, sources, &newsroom, &images);
            PreviousPages::load(&self.options.root, output, context)
        });
        let has_corrections = newsroom
            .stories
            .iter()
            .chain(&newsroom.pages)
            .any(|s| !s.front.corrections.is_empty());
        if has_corrections && !theme.has_template(CORRECTIONS_TEMPLATE) {
            problems.push(
                Diagnostic::warning(
                    "templates",
                    format!("the theme has no `{CORRECTIONS_TEMPLATE}`, so the site's corrections page is not published"),
                )
                .with_help(format!(
                    "add templates/{CORRECTIONS_TEMPLATE} (the built-in theme's is a start) to list every correction at /corrections/"
                )),
            );
        }
        let cache = &mut self.pages;
        let rendered = match render(
            &newsroom,
            &images,
            theme,
            &sources.theme,
            cache,
            previous.as_ref().map(|p| p as &dyn KeptPages),
            staging.map(|s| s as &dyn PageSink),
        ) {
            Ok(rendered) => rendered,
            Err(errors) => {
                problems.extend(errors);
                return Err(problems);
            }
        };
        // Every output is known now and none is published yet: the moment to check links.
        problems.extend(crate::render::links::check(
            &newsroom,
            &sources.theme,
            &sources.config,
            &rendered.outputs,
            &mut self.links,
        ));
        lap("render");
        crate::util::background::drop(newsroom);
        if problems.has_errors() {
            return Err(problems);
        }
        Ok(Built {
            outputs: rendered.outputs,
            counts: rendered.counts,
            warnings: problems,
            timings,
            images_encoded: encoded,
            pages: previous
                .as_ref()
                .map(|previous| previous.record(rendered.pages)),
        })
    }

    /// Reads everything the first time; afterwards only what changed.
    fn load(&mut self) -> Result<(), Diagnostics> {
        let Some(sources) = &mut self.sources else {
            self.config_changed = false;
            self.pending.clear();
            self.sources = Some(load(&self.options.root)?);
            return Ok(());
        };
        if self.config_changed {
            let config = Arc::clone(&sources.config);
            let templates = sources.theme.templates.clone();
            // On failure the changes stay pending (and the flag set) for the next build.
            sources.refresh_config_and_theme()?;
            self.config_changed = false;
            if sources.config != config {
                self.stories.clear();
                self.theme = None;
                self.pages.clear();
            } else if sources.theme.templates != templates {
                self.theme = None;
                self.pages.clear();
            }
        }
        let content = self.options.root.join(CONTENT_DIR);
        for path in std::mem::take(&mut self.pending) {
            sources.refresh_content(&path);
            if let Ok(relative) = path.strip_prefix(&content) {
                self.dirty.push(relative.to_path_buf());
            }
        }
        Ok(())
    }

    /// Parses changed files and assembles the newsroom; problems of every file are collected.
    fn parse(&mut self) -> (Option<Newsroom>, Diagnostics) {
        let mut problems = Diagnostics::new();
        let Some(sources) = &self.sources else {
            return (None, problems);
        };
        problems.extend(sources.unreadable.values().cloned());
        problems.extend(sources.theme.warnings.clone());
        let site = match self.site.take() {
            Some((config, site)) if Arc::ptr_eq(&config, &sources.config) => Ok(site),
            _ => parse_site(&sources.config, &self.options),
        };
        let site = match site {
            Ok(site) => {
                self.site = Some((Arc::clone(&sources.config), site.clone()));
                site
            }
            Err(errors) => {
                problems.extend(errors);
                return (None, problems);
            }
        };
        let now = self.options.publishing.now;
        let dirty = std::mem::take(&mut self.dirty);
        let drafts = self.options.publishing.drafts;
        if self.stories.is_empty() {
            let parsed: Vec<(PathBuf, ParsedFile)> = sources
                .content
                .par_iter()
                .map(|(path, file)| (path.clone(), parse_file(Arc::clone(file), &site, now)))
                .collect();
            // In order already: the map is built in one pass rather than by inserts.
            self.stories = parsed.into_iter().collect();
            self.tags = TagSpellings::default();
            for file in self.stories.values() {
                self.tags.add(file, drafts);
            }
        } else {
            for prefix in &dirty {
                let parse = |file| parse_file(file, &site, now);
                reparse(
                    &mut self.stories,
                    &mut self.tags,
                    drafts,
                    &sources.content,
                    prefix,
                    parse,
                );
            }
        }
        let mut parsed = Parsed {
            assets: sources
                .assets
                .iter()
                .map(|(p, s)| (p.clone(), *s))
                .collect(),
            ..Parsed::default()
        };
        let publishing = self.options.publishing;
        let mut linted: Vec<&Story> = Vec::new();
        for (path, file) in &self.stories {
            match &file.story {
                Ok(story) => {
                    parsed.stories.push(story.clone());
                    if story.status != Status::Draft || publishing.drafts {
                        problems.extend(file.style.iter().cloned());
                        linted.extend(Some(story).filter(|s| !s.is_page()));
                    }
                }
                Err(errors) => {
                    problems.extend(errors.clone());
                    problems.extend(file.style.iter().cloned());
                    parsed.unparsed.push(path.clone());
                    parsed.failed.extend(sources.content.get(path).cloned());
                }
            }
        }
        // A file that could not be read (not UTF-8, say) is reported once, by the load stage:
        // a link to it is not also a link to a missing file.
        parsed.unparsed.extend(sources.unreadable.keys().cloned());
        if self.tags.may_clash() {
            problems.extend(crate::model::style::tag_case(&linted));
        }
        // A byline in a story that did not parse may be the one an entry is for.
        if parsed.unparsed.is_empty() {
            problems.extend(crate::model::style::unmatched_authors(
                &site,
                &sources.config,
                &linted,
            ));
        }
        let content_dir = self.options.root.join(CONTENT_DIR);
        match Newsroom::assemble(site, content_dir, parsed, publishing, &mut self.bodies) {
            Ok(mut newsroom) => {
                problems.extend(std::mem::take(&mut newsroom.warnings));
                (Some(newsroom), problems)
            }
            Err(errors) => {
                problems.extend(errors);
                (None, problems)
            }
        }
    }

    /// Compiles the templates once; again only after the theme or the site's time zone (which
    /// the `date` filter uses) changed.
    fn compile_theme(&mut self, site: &Site) -> Result<(), Diagnostics> {
        let zone = &site.config.timezone;
        if self
            .theme
            .as_ref()
            .is_some_and(|(compiled, _)| compiled == zone)
        {
            return Ok(());
        }
        self.theme = None;
        self.pages.clear();
        if let Some(sources) = &self.sources {
            let theme = Theme::compile(&sources.theme, &site.timezone)?;
            self.theme = Some((zone.clone(), theme));
        }
        Ok(())
    }
}

/// What every page kept from the previous site depends on beyond its own key: this binary,
/// `site.toml`, the templates, which stories are published, and every processed image (a
/// template can show any of them through `resize_image`, not only its own stories' photos,
/// and a kept page must not point at resized files that are gone). Not the clock: a scheduled
/// story going live changes its own pages' keys.
fn record_context(
    options: &BuildOptions,
    sources: &Sources,
    newsroom: &Newsroom,
    images: &Images,
) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    env!("CARGO_PKG_VERSION").hash(&mut hasher);
    if let Ok(binary) = std::env::current_exe().and_then(std::fs::metadata) {
        (binary.len(), binary.modified().ok()).hash(&mut hasher);
    }
    sources.config.hash(&mut hasher);
    for (name, template) in &sources.theme.templates {
        (name, &template.text).hash(&mut hasher);
    }
    (options.publishing.drafts, options.publishing.future).hash(&mut hasher);
    options.base_url.hash(&mut hasher);
    let mut by_url: Vec<_> = images.by_url.iter().collect();
    by_url.sort_unstable_by(|a, b| a.0.cmp(b.0));
    by_url.hash(&mut hasher);
    newsroom.photos.hash(&mut hasher);
    images.pictures.hash(&mut hasher);
    hasher.finish()
}

/// One file's parse result, with the warnings of the style rules that look at it alone: both
/// hold until the file changes.
struct ParsedFile {
    story: Result<Story, Diagnostics>,
    style: Vec<Diagnostic>,
}

fn parse_file(file: Arc<SourceFile>, site: &Site, now: jiff::Timestamp) -> ParsedFile {
    let story = story::parse(Arc::clone(&file), site, now);
    let style = match &story {
        Ok(story) => crate::model::style::story_rules(story, now),
        Err(_) => crate::model::style::comments_in_unread(&file),
    };
    ParsedFile { story, style }
}

/// How many linted stories (those the style rules look at) use each tag spelling, kept up to
/// date as files are parsed again: the tag-case rule, which compares all stories, runs only
/// when two spellings may differ by case alone.
#[derive(Default)]
struct TagSpellings(HashMap<String, usize>);

impl TagSpellings {
    fn add(&mut self, file: &ParsedFile, drafts: bool) {
        for tag in linted_tags(file, drafts) {
            *self.0.entry(tag.clone()).or_default() += 1;
        }
    }

    fn remove(&mut self, file: &ParsedFile, drafts: bool) {
        for tag in linted_tags(file, drafts) {
            if let Some(count) = self.0.get_mut(tag) {
                *count -= 1;
                if *count == 0 {
                    self.0.remove(tag);
                }
            }
        }
    }

    fn may_clash(&self) -> bool {
        let mut lowercase = HashSet::default();
        self.0
            .keys()
            .any(|tag| !lowercase.insert(tag.to_lowercase()))
    }
}

/// The tags of a file that the style rules look at: a story's, unless it is a draft that this
/// build leaves out.
fn linted_tags(file: &ParsedFile, drafts: bool) -> &[String] {
    match &file.story {
        Ok(story) if !story.is_page() && (story.status != Status::Draft || drafts) => {
            &story.front.tags
        }
        _ => &[],
    }
}

/// Parses again the files at or under `prefix` (one changed file, or a folder that appeared,
/// moved or went away), and forgets those that are gone.
fn reparse(
    stories: &mut BTreeMap<PathBuf, ParsedFile>,
    tags: &mut TagSpellings,
    drafts: bool,
    content: &BTreeMap<PathBuf, Arc<SourceFile>>,
    prefix: &Path,
    parse: impl Fn(Arc<SourceFile>) -> ParsedFile + Sync,
) {
    let gone: Vec<PathBuf> = crate::source::under(stories, prefix)
        .map(|(path, _)| path.clone())
        .collect();
    for path in gone {
        if let Some(file) = stories.remove(&path) {
            tags.remove(&file, drafts);
        }
    }
    let files: Vec<(&PathBuf, &Arc<SourceFile>)> = crate::source::under(content, prefix).collect();
    let parsed: Vec<(PathBuf, ParsedFile)> = files
        .into_par_iter()
        .map(|(path, file)| (path.clone(), parse(Arc::clone(file))))
        .collect();
    for (path, file) in parsed {
        tags.add(&file, drafts);
        stories.insert(path, file);
    }
}

fn parse_site(config: &str, options: &BuildOptions) -> Result<Site, Diagnostics> {
    let site = Site::parse(config, CONFIG_FILE.as_ref())?;
    match &options.base_url {
        None => Ok(site),
        Some(url) => site
            .with_base_url(url)
            .map_err(|message| Diagnostics::from_iter([Diagnostic::error("--base-url", message)])),
    }
}
