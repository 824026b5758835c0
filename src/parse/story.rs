//! A story or standalone page: one Markdown file with its checked front matter.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use jiff::Timestamp;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::parse::front_matter::{self, FrontMatter, Layout};
use crate::parse::markdown::Body;
use crate::site::config::Site;
use crate::site::permalink::PermalinkValues;
use crate::site::slug::slugify;
use crate::source::SourceFile;

/// Whether readers may see a story yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Published,
    Draft,
    /// Dated after the build's "now": published by a later build.
    Scheduled,
}

/// One parsed file. Its `route` is set by the newsroom, which sees all files at once.
#[derive(Debug, Clone)]
pub struct Story {
    pub file: Arc<SourceFile>,
    pub body_offset: usize,
    /// Shared: rebuilds copy stories, and the front matter of an unchanged file never changes.
    pub front: Arc<FrontMatter>,
    // What follows is shared too, like the front matter: `serve` copies ten thousand stories
    // at every rebuild, which must cost no more than counting references.
    pub slug: Arc<str>,
    /// The section name as written (front matter, or the folder), before grouping.
    pub section: Option<Arc<str>>,
    /// URL slugs of the section, tags and authors, made once per parse: rebuilds group
    /// thousands of stories by them.
    pub section_slug: Option<Arc<str>>,
    pub tag_slugs: Arc<[String]>,
    pub author_slugs: Arc<[String]>,
    /// For a story folder (`index.md` with its photos), the folder relative to `content/`.
    pub bundle: Option<Arc<Path>>,
    pub status: Status,
    /// The URL path without the site's base path: `/world/2025/05/talks/`. Empty for a story
    /// without a date or a section, which is an error the newsroom reports.
    pub route: Arc<str>,
    pub body: Arc<Body>,
}

impl Story {
    pub fn is_page(&self) -> bool {
        self.front.layout == Layout::Page
    }

    pub fn timestamp(&self) -> Option<Timestamp> {
        self.front.date.as_ref().map(jiff::ZonedDateTime::timestamp)
    }

    /// The source text, for diagnostics that point into the file.
    pub fn text(&self) -> &Arc<str> {
        &self.file.text
    }
}

/// Parses one file's front matter; the body is rendered later, once every URL is known.
pub fn parse(file: Arc<SourceFile>, site: &Site, now: Timestamp) -> Result<Story, Diagnostics> {
    if file.text.trim().is_empty() {
        return Err(Diagnostics::from_iter([Diagnostic::error(
            &file.display,
            "the file is empty",
        )
        .with_help(
            "start it with front matter: a `---` line, `headline:` and `date:`, then `---`",
        )]));
    }
    let split = front_matter::split(&file.text).map_err(|unsplit| {
        Diagnostics::from_iter([Diagnostic::error(&file.display, unsplit.message)
            .with_span(&file.text, unsplit.at)
            .with_help(
                "a story starts with `---`, its front matter (headline, date...), then `---`",
            )])
    })?;
    let front = front_matter::parse(&file.display, &file.text, &split, &site.timezone)?;
    let body_offset = split.body_offset;
    let bundle = bundle_dir(&file.path);
    let slug = front.slug.clone().unwrap_or_else(|| {
        let stem = match &bundle {
            Some(dir) => dir.file_name(),
            None => file.path.file_stem(),
        };
        slugify(&stem.map(|s| s.to_string_lossy()).unwrap_or_default())
    });
    let section = front.section.clone().or_else(|| top_folder(&file.path));
    let section_slug = section.as_deref().map(slugify);
    let tag_slugs = front.tags.iter().map(|t| slugify(t)).collect();
    let author_slugs = front.authors.iter().map(|a| slugify(a)).collect();
    let route = route(site, &front, section_slug.as_deref(), &slug);
    let status = match (&front.date, front.draft) {
        (_, true) => Status::Draft,
        (Some(date), false) if date.timestamp() > now => Status::Scheduled,
        _ => Status::Published,
    };
    if slug.is_empty() {
        return Err(Diagnostics::from_iter([Diagnostic::error(
            &file.display,
            "cannot make a URL from this file name",
        )
        .with_help(
            "rename the file with letters or digits, or set `slug:` in the front matter",
        )]));
    }
    Ok(Story {
        file,
        body_offset,
        front: Arc::new(front),
        slug: slug.into(),
        section: section.map(Arc::from),
        section_slug: section_slug.map(Arc::from),
        tag_slugs,
        author_slugs,
        bundle: bundle.map(Arc::from),
        status,
        route: route.into(),
        body: Arc::default(),
    })
}

/// Where the site's permalink pattern puts a story; a page is published at `/slug/`.
fn route(site: &Site, front: &FrontMatter, section_slug: Option<&str>, slug: &str) -> String {
    if front.layout == Layout::Page {
        return format!("/{slug}/");
    }
    let (Some(date), Some(section)) = (&front.date, section_slug) else {
        return String::new();
    };
    site.permalink.expand(PermalinkValues {
        section,
        year: date.year(),
        month: date.month(),
        day: date.day(),
        slug,
    })
}

/// `world/talks/index.md` is a story folder: its photos sit beside it.
fn bundle_dir(path: &Path) -> Option<PathBuf> {
    (path.file_name()? == "index.md")
        .then(|| path.parent().map(Path::to_path_buf))
        .flatten()
        .filter(|dir| !dir.as_os_str().is_empty())
}

/// The first folder under `content/`, which names a story's section by default.
fn top_folder(path: &Path) -> Option<String> {
    let mut components = path.components();
    let first = components.next()?;
    components.next()?;
    Some(first.as_os_str().to_string_lossy().into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundles_are_folders_with_index_md() {
        assert_eq!(
            bundle_dir(Path::new("world/talks/index.md")),
            Some("world/talks".into())
        );
        assert_eq!(bundle_dir(Path::new("world/talks.md")), None);
        assert_eq!(bundle_dir(Path::new("index.md")), None);
    }

    #[test]
    fn section_defaults_to_the_first_folder() {
        assert_eq!(
            top_folder(Path::new("world/talks.md")).as_deref(),
            Some("world")
        );
        assert_eq!(
            top_folder(Path::new("world/talks/index.md")).as_deref(),
            Some("world")
        );
        assert_eq!(top_folder(Path::new("about.md")), None);
    }
}
