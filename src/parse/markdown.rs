//! Markdown bodies to HTML with pulldown-cmark, rewriting what a newsroom writes naturally:
//! links to other stories' files become their URLs, photos beside a story get their published
//! path, headings get anchors, and code blocks are highlighted.

use std::cell::Cell;
use std::ops::Range;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use pulldown_cmark::utils::TextMergeWithOffset;
use pulldown_cmark::{CodeBlockKind, CowStr, Event, Options, Parser, Tag, TagEnd};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::parse::html_repair;
use crate::site::slug::slugify;
use crate::site::url::is_external;

/// Where files under `content/` are published, for rewriting links and images.
#[derive(Debug, Default, Clone)]
pub struct Links {
    /// Story and page files (relative to `content/`) to their root-relative URLs.
    pub documents: HashMap<PathBuf, String>,
    /// Other files (photos, PDFs) to their root-relative URLs.
    pub assets: HashMap<PathBuf, String>,
    /// Stories left out of this build (drafts, scheduled): links to them would break.
    pub unpublished: HashSet<PathBuf>,
}

impl Links {
    /// The published URL of a file under `content/`, if it is published.
    fn lookup(&self, path: &Path) -> Option<&String> {
        self.documents.get(path).or_else(|| self.assets.get(path))
    }

    /// The URL of `target` written in the file `from` (both relative to `content/`).
    /// Every file looked up is recorded in `used`, with the answer, so that a cached body can
    /// tell whether it would still resolve the same way.
    fn resolve(
        &self,
        from: &Path,
        target: &str,
        used: &mut Vec<(PathBuf, Option<String>)>,
    ) -> Resolved {
        if target.is_empty()
            || target.starts_with('#')
            || target.starts_with('/')
            || is_external(target)
        {
            return Resolved::Unchanged;
        }
        let (path, fragment) = match target.split_once('#') {
            Some((path, fragment)) => (path, Some(fragment)),
            None => (target, None),
        };
        let (path, query) = match path.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (path, None),
        };
        let Some(resolved) = join(from.parent().unwrap_or(Path::new("")), path) else {
            return Resolved::Missing;
        };
        let url = self.lookup(&resolved);
        used.push((resolved.clone(), url.cloned()));
        match url {
            Some(url) => {
                let mut url = url.clone();
                if let Some(query) = query {
                    url.push('?');
                    url.push_str(query);
                }
                if let Some(fragment) = fragment {
                    url.push('#');
                    url.push_str(fragment);
                }
                Resolved::Url(url)
            }
            None if self.unpublished.contains(&resolved) => Resolved::Unpublished,
            None if path.ends_with(".md") => Resolved::Missing,
            None => Resolved::Unchanged,
        }
    }

    /// The URL of a file referenced from `from`, or `None` if no such file exists.
    pub fn asset(&self, from: &Path, target: &str) -> Option<String> {
        let resolved = join(from.parent().unwrap_or(Path::new("")), target)?;
        self.assets.get(&resolved).cloned()
    }

    /// For a file `target` written in `from` that does not exist, the file in the same folder
    /// that was most likely meant, written as `target` would be: `putin-call.jpg` for
    /// `putin_call.jpg` or `Putin-Call.JPG`. Only asked about names that failed, so it may look
    /// at every file of the site.
    pub fn near_miss(&self, from: &Path, target: &str) -> Option<String> {
        let resolved = join(from.parent().unwrap_or(Path::new("")), target)?;
        let folder = resolved.parent().unwrap_or(Path::new(""));
        let written = resolved.file_name()?.to_str()?;
        let neighbours: Vec<&str> = self
            .assets
            .keys()
            .filter(|path| path.parent() == Some(folder))
            .filter_map(|path| path.file_name()?.to_str())
            .collect();
        let loose = |name: &str| name.to_lowercase().replace('_', "-");
        let meant = neighbours
            .iter()
            .find(|name| loose(name) == loose(written))
            .copied()
            .or_else(|| {
                let lowered: Vec<String> = neighbours.iter().map(|n| loose(n)).collect();
                let keys: Vec<&str> = lowered.iter().map(String::as_str).collect();
                let nearest = crate::site::config::nearest_key(&loose(written), &keys)?;
                let index = keys.iter().position(|k| *k == nearest)?;
                neighbours.get(index).copied()
            })?;
        Some(match target.strip_suffix(written) {
            Some(prefix) => format!("{prefix}{meant}"),
            None => meant.to_string(),
        })
    }
}

/// The help for a file name that names no file, when [`Links::near_miss`] found the one meant.
pub fn did_you_mean_file(meant: &str) -> String {
    format!(
        "did you mean `{meant}`? File names must match exactly, capitals and `-` or `_` included"
    )
}

enum Resolved {
    Unchanged,
    Url(String),
    Missing,
    Unpublished,
}

/// `base/relative` with `.` and `..` resolved, or `None` if it climbs out of `content/`.
fn join(base: &Path, relative: &str) -> Option<PathBuf> {
    let joined = base.join(relative);
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for component in joined.components() {
        match component {
            Component::Normal(part) => parts.push(part),
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.iter().collect())
}

/// A story body as HTML, with the facts listings and templates need.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Body {
    pub html: String,
    /// A hash of `html`, for cache keys of the pages that show it.
    pub hash: u64,
    /// The files under `content/` this body links to, with the URL each had (or none).
    pub links: Vec<(PathBuf, Option<String>)>,
    /// Images beside the story: the URL each was published at, and where it is written in the
    /// file's text, so that an image that cannot be decoded is reported at its line.
    pub images: Vec<(String, Range<usize>)>,
    /// Root-relative links and image sources (`/world/2025/05/live-blog/`), and links relative
    /// to the page that name no file, as written, with where: they can be checked only once
    /// every output of the build is known.
    pub site_links: Vec<SiteLink>,
    /// The first paragraph, for listings and feeds that show a teaser.
    pub summary: String,
    pub word_count: usize,
    pub has_code: bool,
    /// What was repaired in the story's raw HTML, at its place in the file: shown by every
    /// build and `check` while the text is unchanged.
    pub warnings: Vec<Diagnostic>,
}

/// A link or image source written as a path on the site (`/world/2025/05/live-blog/`), or
/// relative to the page (`../vote/`) without naming a file under `content/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteLink {
    pub url: String,
    /// Where it is written in the file's text.
    pub span: Range<usize>,
    pub image: bool,
    /// Written relative to the page: it leads where a browser on the page's address goes.
    pub relative: bool,
}

/// Words per minute for the reading-time estimate.
const READING_SPEED: usize = 230;

impl Body {
    /// Whether rendering the same text again would give the same HTML: every file it links to
    /// still has the URL it had.
    pub fn links_unchanged(&self, links: &Links) -> bool {
        self.links
            .iter()
            .all(|(path, url)| links.lookup(path) == url.as_ref())
    }

    /// Whole minutes, at least one.
    pub fn reading_time(&self) -> usize {
        self.word_count.div_ceil(READING_SPEED).max(1)
    }
}

fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The Markdown body of one file, as it sits in the file's text.
pub struct Source<'a> {
    /// For messages: `content/world/talks.md`.
    pub display: &'a Path,
    /// For resolving relative links: `world/talks.md`.
    pub path: &'a Path,
    pub text: &'a Arc<str>,
    pub body_offset: usize,
    /// Keep raw HTML written in the body (`unsafe_html` in `site.toml`); when false, raw HTML
    /// tags and blocks are dropped and only the Markdown around them renders.
    pub raw_html: bool,
}

/// Renders a body, reporting every broken link or missing image at its line.
pub fn render(source: &Source<'_>, links: &Links) -> Result<Body, Diagnostics> {
    let body = &source.text[source.body_offset..];
    let mut destinations = Destinations {
        source,
        links,
        used: Vec::new(),
        images: Vec::new(),
        site_links: Vec::new(),
        problems: Diagnostics::new(),
    };
    // The image being read: where its events start and where it is written, until its end
    // tells whether it has alt text.
    let mut image: Option<(usize, Range<usize>)> = None;
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut word_count = 0;
    let mut has_code = false;
    let mut code: Option<(String, String)> = None;
    let mut office = OfficeTags::default();
    // Indented blocks: code to Markdown, but most often a paragraph indented in Word.
    let mut indented: Vec<Range<usize>> = Vec::new();
    let mut html_in_body = RawHtml::new(body);
    let merged = TextMergeWithOffset::new(Parser::new_ext(body, options()).into_offset_iter());
    for (event, range) in merged {
        html_in_body.event(events.len(), &range);
        if let Some((language, text)) = &mut code {
            match event {
                Event::Text(t) => text.push_str(&t),
                Event::End(TagEnd::CodeBlock) => {
                    events.push(Event::Html(
                        crate::parse::highlight::highlight(text, language).into(),
                    ));
                    code = None;
                }
                _ => {}
            }
            continue;
        }
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                has_code = true;
                let language = match kind {
                    CodeBlockKind::Fenced(info) => {
                        info.split_whitespace().next().unwrap_or("").to_string()
                    }
                    CodeBlockKind::Indented => {
                        indented.push(range.clone());
                        String::new()
                    }
                };
                code = Some((language, String::new()));
            }
            Event::Start(Tag::Link {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = destinations.rewrite(dest_url, &range, false);
                events.push(Event::Start(Tag::Link {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            Event::Start(Tag::Image {
                link_type,
                dest_url,
                title,
                id,
            }) => {
                let dest_url = destinations.rewrite(dest_url, &range, true);
                image = Some((events.len(), range.clone()));
                events.push(Event::Start(Tag::Image {
                    link_type,
                    dest_url,
                    title,
                    id,
                }));
            }
            // Only HTML the parser found in the body: the wrappers added here are pushed as
            // `Event::Html` directly and never pass this match.
            Event::Html(_) | Event::InlineHtml(_) if !source.raw_html => {
                html_in_body.dropped(&range);
            }
            Event::Html(ref html) | Event::InlineHtml(ref html) => {
                html_in_body.raw(events.len(), &range, html);
                events.push(event);
            }
            Event::Text(text) => {
                let reordering = may_reorder(&text)
                    .then(|| super::bidi::controls(&text))
                    .into_iter()
                    .flatten()
                    .find(|c| c.kind == super::bidi::Kind::Reordering);
                if let Some(control) = reordering {
                    let message = format!(
                        "the text holds an invisible control character (U+{:04X}) that \
                         reorders the text after it",
                        control.char as u32
                    );
                    destinations
                        .problems
                        .push(error_at(source, &range, message).with_help(
                            "delete it: it can make the text display differently from what it \
                             says; the isolates U+2066 and U+2069 are accepted",
                        ));
                }
                let markup = memchr::memchr(b'<', text.as_bytes()).is_some();
                if let Some(at) = unclosed_comment(&text).filter(|_| markup) {
                    let message = "an HTML comment `<!--` is never closed, so its text would be \
                                   published";
                    let start = range.start + at.min(range.len());
                    destinations.problems.push(
                        error_at(source, &(start..range.end), message.into())
                            .with_help("end the comment with `-->`, or delete it"),
                    );
                }
                let tags = match markup {
                    true => office_tags(&text),
                    false => Vec::new(),
                };
                let text = match tags {
                    tags if tags.is_empty() => text,
                    tags => {
                        office.note(&tags, &text, &range);
                        without(&text, &tags).into()
                    }
                };
                word_count += text.split_whitespace().count();
                events.push(Event::Text(text));
            }
            // Wide tables scroll on phones; the wrapper is focusable so keyboards can scroll it.
            Event::Start(Tag::Table(alignments)) => {
                events.push(Event::Html(
                    "<div class=\"table-scroll\" tabindex=\"0\">".into(),
                ));
                events.push(Event::Start(Tag::Table(alignments)));
            }
            Event::End(TagEnd::Image) => {
                if let Some((start, range)) = image.take() {
                    destinations.check_alt(&mut events, start, &range);
                }
                events.push(Event::End(TagEnd::Image));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html("</div>\n".into()));
            }
            other => events.push(other),
        }
    }
    let Destinations {
        used,
        images,
        site_links,
        problems,
        ..
    } = destinations;
    let office = office.warnings(source);
    let indented = indented.iter().map(|range| {
        Diagnostic::warning(
            source.display,
            "this text is indented (a tab or four spaces), so it is published as a block of code",
        )
        .with_span(source.text, line_span(source, range))
        .with_help(
            "remove the tab or spaces at the start of its lines; for code, put it between \
             lines of three backquotes (```)",
        )
    });
    if problems.has_errors() {
        return Err(problems);
    }
    add_heading_ids(&mut events);
    let mut summary = first_paragraph(&events);
    let (html, mut warnings) = match html_in_body.has_raw() {
        false => {
            let mut html = String::with_capacity(body.len() + body.len() / 4);
            pulldown_cmark::html::push_html(&mut html, events.into_iter());
            (html, html_in_body.dropped_warning(source))
        }
        true => {
            summary = html_repair::balance(&summary);
            html_in_body.repair(events, source)?
        }
    };
    warnings.extend(office);
    warnings.extend(indented);
    Ok(Body {
        hash: crate::util::hash::hash_of(&html),
        html,
        links: used,
        images,
        site_links,
        summary,
        word_count,
        has_code,
        warnings,
    })
}

/// The raw HTML of one body: where each piece was written, so that the repaired HTML's warnings
/// point into the file. Events are only tracked in a body that has a `<` at all.
struct RawHtml<'b> {
    body: &'b str,
    any: bool,
    /// For each Markdown parser event, the index of the first event it became and its range in
    /// the body.
    origins: Vec<(usize, Range<usize>)>,
    /// Raw HTML events: their index, their range in the body and whether their text is the
    /// body's text byte for byte.
    raw: Vec<(usize, Range<usize>, bool)>,
    /// Raw HTML dropped under `unsafe_html = false`: how many pieces, and the first.
    dropped: Option<(usize, Range<usize>)>,
}

impl<'b> RawHtml<'b> {
    fn new(body: &'b str) -> Self {
        RawHtml {
            body,
            any: body.contains('<'),
            origins: Vec::new(),
            raw: Vec::new(),
            dropped: None,
        }
    }

    fn event(&mut self, index: usize, range: &Range<usize>) {
        if self.any {
            self.origins.push((index, range.clone()));
        }
    }

    fn raw(&mut self, index: usize, range: &Range<usize>, html: &str) {
        let exact = self.body.get(range.clone()) == Some(html);
        self.raw.push((index, range.clone(), exact));
    }

    fn dropped(&mut self, range: &Range<usize>) {
        match &mut self.dropped {
            Some((count, _)) => *count += 1,
            None => self.dropped = Some((1, range.clone())),
        }
    }

    fn has_raw(&self) -> bool {
        !self.raw.is_empty()
    }

    /// Raw HTML left out under `unsafe_html = false` is said, once per story: its text goes too.
    fn dropped_warning(&self, source: &Source<'_>) -> Vec<Diagnostic> {
        let Some((count, range)) = &self.dropped else {
            return Vec::new();
        };
        let pieces = crate::util::text::plural(*count, "piece");
        vec![
            Diagnostic::warning(
                source.display,
                format!("raw HTML left out ({pieces}), with any text inside HTML blocks"),
            )
            .with_span(source.text, line_span(source, range))
            .with_help(
                "`unsafe_html = false` in site.toml drops HTML written in stories; write it in Markdown, or trust writers' HTML with `unsafe_html = true`",
            ),
        ]
    }

    /// The body's HTML, with its raw HTML balanced and repaired; a warning for each repair.
    fn repair(
        self,
        events: Vec<Event<'_>>,
        source: &Source<'_>,
    ) -> Result<(String, Vec<Diagnostic>), Diagnostics> {
        let ends: Vec<Option<&'static str>> = events.iter().map(ends).collect();
        let (html, offsets) = html_by_event(events);
        let mut raw = self.raw.iter().peekable();
        let segments: Vec<html_repair::Segment> = offsets
            .iter()
            .enumerate()
            .map(|(index, &start)| {
                let origin = match raw.next_if(|(i, ..)| *i == index) {
                    Some((_, range, exact)) => html_repair::Origin::Raw {
                        at: source.body_offset + range.start,
                        exact: *exact,
                    },
                    None => html_repair::Origin::Markdown {
                        at: source.body_offset + self.origin(index),
                        ends: ends[index],
                    },
                };
                html_repair::Segment { start, origin }
            })
            .collect();
        let file = html_repair::File {
            display: source.display,
            text: source.text,
        };
        let (html, problems) = html_repair::repair(&html, &segments, &file);
        match problems.has_errors() {
            true => Err(problems),
            false => Ok((html, problems.into_iter().collect())),
        }
    }

    /// Where in the body the Markdown of event `index` starts.
    fn origin(&self, index: usize) -> usize {
        let after = self.origins.partition_point(|(i, _)| *i <= index);
        after
            .checked_sub(1)
            .and_then(|i| self.origins.get(i))
            .map_or(0, |(_, range)| range.start)
    }
}

/// The Markdown element an event ends, in words, for "Dateline closed it at the end of the …".
fn ends(event: &Event<'_>) -> Option<&'static str> {
    let Event::End(end) = event else {
        return None;
    };
    Some(match end {
        TagEnd::Paragraph => "paragraph",
        TagEnd::Heading(_) => "heading",
        TagEnd::BlockQuote(_) => "quote",
        TagEnd::List(_) => "list",
        TagEnd::Item => "list item",
        TagEnd::Table => "table",
        TagEnd::TableCell => "table cell",
        TagEnd::Emphasis => "emphasis",
        TagEnd::Strong => "bold text",
        TagEnd::Strikethrough => "struck-out text",
        TagEnd::Link => "link",
        TagEnd::FootnoteDefinition => "footnote",
        _ => return None,
    })
}

/// The HTML of `events`, with the offset in it at which each event's HTML starts: the writer
/// counts what it has written, and the events are counted as the writer takes them.
fn html_by_event(events: Vec<Event<'_>>) -> (String, Vec<usize>) {
    struct Counting<'c> {
        html: String,
        written: &'c Cell<usize>,
    }
    impl std::fmt::Write for Counting<'_> {
        fn write_str(&mut self, text: &str) -> std::fmt::Result {
            self.html.push_str(text);
            self.written.set(self.html.len());
            Ok(())
        }
    }
    let written = Cell::new(0);
    let mut offsets = Vec::with_capacity(events.len());
    let mut out = Counting {
        html: String::new(),
        written: &written,
    };
    let events = events.into_iter().inspect(|_| offsets.push(written.get()));
    // Writing into a String cannot fail.
    let _ = pulldown_cmark::html::write_html_fmt(&mut out, events);
    (out.html, offsets)
}

/// Rewrites link and image destinations of one body, remembering what it looked up and what
/// went wrong.
struct Destinations<'s> {
    source: &'s Source<'s>,
    links: &'s Links,
    used: Vec<(PathBuf, Option<String>)>,
    images: Vec<(String, Range<usize>)>,
    site_links: Vec<SiteLink>,
    problems: Diagnostics,
}

/// The alt text that marks an image as decorative: it is published with an empty `alt`, which
/// screen readers skip. CommonMark cannot write an empty alt on purpose (`![](x.jpg)` is
/// also what a forgotten one looks like), so the choice is spelled out.
const DECORATIVE: &str = "decorative";

impl Destinations<'_> {
    fn rewrite<'a>(&mut self, dest: CowStr<'a>, range: &Range<usize>, image: bool) -> CowStr<'a> {
        let (source, problems) = (self.source, &mut self.problems);
        // A script or data URL: never an image, and a link only where writers' HTML is trusted.
        if crate::site::url::is_script_url(&dest) && (image || !source.raw_html) {
            let (message, help) = match image {
                true => (
                    format!("the image source `{dest}` is not an image URL"),
                    "use a file next to the story, a path under static/ or an http(s) URL",
                ),
                false => (
                    format!(
                        "the link `{dest}` would run code or carry a document in readers' browsers"
                    ),
                    "link to an http(s) address or a page of the site; a site that trusts its \
                     writers' HTML can set `unsafe_html = true` in site.toml",
                ),
            };
            problems.push(error_at(source, range, message).with_help(help));
            return dest;
        }
        match self.links.resolve(source.path, &dest, &mut self.used) {
            Resolved::Unchanged if image && !dest.starts_with('/') && !is_external(&dest) => {
                let help = match self.links.near_miss(source.path, &dest) {
                    Some(meant) => did_you_mean_file(&meant),
                    None if source.path.ends_with("index.md") => "put the image file in the \
                        story's folder, next to index.md, or fix the name"
                        .to_string(),
                    None => "put the image file next to the story (a story folder with \
                             index.md), or fix the path"
                        .to_string(),
                };
                problems.push(
                    error_at(source, range, format!("the image `{dest}` does not exist"))
                        .with_help(help),
                );
                dest
            }
            Resolved::Unchanged => {
                let on_the_site = !dest.is_empty() && !dest.starts_with(['#', '?']);
                if on_the_site && !dest.starts_with("//") && !is_external(&dest) {
                    self.site_links.push(SiteLink {
                        url: dest.to_string(),
                        span: line_span(source, range),
                        image,
                        relative: !dest.starts_with('/'),
                    });
                }
                dest
            }
            Resolved::Url(url) => {
                if image {
                    self.images.push((url.clone(), line_span(source, range)));
                }
                url.into()
            }
            Resolved::Unpublished => {
                problems.push(
                error_at(
                    source,
                    range,
                    format!("the link `{dest}` points to a story that is not published"),
                )
                .with_help(
                    "it is a draft or scheduled for later: publish it first, or remove the link",
                ),
            );
                dest
            }
            Resolved::Missing => {
                problems.push(
                error_at(
                    source,
                    range,
                    format!("the link `{dest}` points to a file that does not exist"),
                )
                .with_help(
                    "links to other stories are relative to this file, e.g. `../world/talks.md`",
                ),
            );
                dest
            }
        }
    }

    /// An image without alt text is an error, as the lead photo's is: readers who cannot see
    /// it would learn nothing. One marked [`DECORATIVE`] is published with an empty alt.
    /// `start` is the index of the image's start event in `events`, whose alt text follows it.
    fn check_alt(&mut self, events: &mut Vec<Event<'_>>, start: usize, range: &Range<usize>) {
        let alt: String = events[start + 1..]
            .iter()
            .filter_map(|event| match event {
                Event::Text(text) | Event::Code(text) => Some(text.as_ref()),
                _ => None,
            })
            .collect();
        if alt.trim().eq_ignore_ascii_case(DECORATIVE) {
            events.truncate(start + 1);
        } else if alt.trim().is_empty() {
            self.problems.push(
                error_at(self.source, range, "the image has no alt text".to_string()).with_help(
                    format!(
                        "describe what it shows between the brackets, e.g. `![Delegates at the \
                         table](photo.jpg)`; for an image that only decorates, write \
                         `![{DECORATIVE}](photo.jpg)`"
                    ),
                ),
            );
        }
    }
}

/// Word's and Outlook's namespaced tags (`<o:p>`, `<st1:place>`, `<w:Sdt>`) in Markdown text:
/// not HTML, so CommonMark keeps them as text and readers would see `<o:p></o:p>`. Each is
/// dropped, its text kept, with one warning per tag name.
#[derive(Default)]
struct OfficeTags {
    /// Each tag name, with where it is first written and how many times.
    seen: Vec<(String, Range<usize>, usize)>,
}

impl OfficeTags {
    fn note(&mut self, tags: &[Range<usize>], text: &str, range: &Range<usize>) {
        for tag in tags {
            let name = text[tag.clone()].trim_start_matches(['<', '/']);
            let name = name
                .split(|c: char| c.is_whitespace() || c == '>' || c == '/')
                .next()
                .unwrap_or("");
            match self.seen.iter_mut().find(|(seen, ..)| seen == name) {
                Some((.., count)) => *count += 1,
                None => self.seen.push((name.to_string(), range.clone(), 1)),
            }
        }
    }

    fn warnings(self, source: &Source<'_>) -> Vec<Diagnostic> {
        self.seen
            .into_iter()
            .map(|(name, range, count)| {
                let times = match count {
                    1 => String::new(),
                    n => format!(" ({n} times)"),
                };
                Diagnostic::warning(
                    source.display,
                    format!(
                        "`<{name}>` is a Word tag, not HTML: it was left out, its text kept{times}"
                    ),
                )
                .with_span(source.text, line_span(source, &range))
                .with_help("paste from Word as plain text to leave such tags behind")
            })
            .collect()
    }
}

/// Whether `text` may hold an embedding or override control (U+202A to U+202E, the bytes
/// E2 80 AA to E2 80 AE): a scan for the lead byte that spares nearly all text the check of
/// every character.
fn may_reorder(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr_iter(0xe2, bytes).any(|at| {
        bytes.get(at + 1) == Some(&0x80)
            && bytes.get(at + 2).is_some_and(|b| (0xaa..=0xae).contains(b))
    })
}

/// Where text holds the start of an HTML comment that CommonMark did not read as one (it is
/// never closed): `<!--`, or `<!–` once smart punctuation has made an en dash of `--`.
fn unclosed_comment(text: &str) -> Option<usize> {
    ["<!--", "<!–", "<!—"]
        .iter()
        .filter_map(|open| text.find(open))
        .min()
}

/// The byte ranges of the namespaced tags (`<o:p>`, `</st1:place>`) in `text`.
fn office_tags(text: &str) -> Vec<Range<usize>> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find('<').map(|i| from + i) {
        from = at + 1;
        let rest = text[from..].strip_prefix('/').unwrap_or(&text[from..]);
        let prefix = rest
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(rest.len());
        let namespaced = prefix > 0
            && rest.as_bytes().first().is_some_and(u8::is_ascii_alphabetic)
            && rest[prefix..].starts_with(':')
            && rest[prefix + 1..].starts_with(|c: char| c.is_ascii_alphabetic());
        let end = text[from..].find(['>', '<']).map(|i| from + i);
        if let (true, Some(end)) = (namespaced, end)
            && text[end..].starts_with('>')
        {
            found.push(at..end + 1);
            from = end + 1;
        }
    }
    found
}

/// `text` without the byte ranges `cut`, which are in order and do not overlap.
fn without(text: &str, cut: &[Range<usize>]) -> String {
    let mut kept = String::with_capacity(text.len());
    let mut from = 0;
    for range in cut {
        kept.push_str(&text[from..range.start]);
        from = range.end;
    }
    kept.push_str(&text[from..]);
    kept
}

fn error_at(source: &Source<'_>, range: &Range<usize>, message: String) -> Diagnostic {
    Diagnostic::error(source.display, message).with_span(source.text, line_span(source, range))
}

/// A body range as a range of the file's text, cut at the end of its first line: a snippet
/// underlines one line.
fn line_span(source: &Source<'_>, range: &Range<usize>) -> Range<usize> {
    let start = source.body_offset + range.start;
    let end = source.body_offset + range.end;
    let line_end = source.text[start..end]
        .find('\n')
        .map_or(end, |newline| start + newline);
    start..line_end
}

/// Gives every heading without an explicit `{#id}` an id from its text, unique in the story.
/// Ids the page around a story body already uses (the theme's landmarks and headings).
pub(super) const RESERVED_IDS: &[&str] = &[
    "main",
    "top",
    "content",
    "footnotes",
    "share-title",
    "support-title",
    "tags-title",
    "authors-title",
    "latest-title",
    "rail-title",
];

fn add_heading_ids(events: &mut [Event<'_>]) {
    let mut used: HashSet<String> = RESERVED_IDS.iter().map(|id| id.to_string()).collect();
    used.extend(events.iter().filter_map(|e| match e {
        Event::Start(Tag::Heading { id: Some(id), .. }) => Some(id.to_string()),
        _ => None,
    }));
    let mut next = HashMap::default();
    let mut index = 0;
    while index < events.len() {
        if let Event::Start(Tag::Heading { id: None, .. }) = &events[index] {
            let text: String = events[index + 1..]
                .iter()
                .take_while(|e| !matches!(e, Event::End(TagEnd::Heading(_))))
                .filter_map(|e| match e {
                    Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                    _ => None,
                })
                .collect();
            let id = unique_id(&text, &mut used, &mut next);
            if let Event::Start(Tag::Heading { id: slot, .. }) = &mut events[index] {
                *slot = Some(id.into());
            }
        }
        index += 1;
    }
}

/// The heading's id: its slug, or the slug with the first free `-N`. `next` remembers, per
/// slug, the number to try first, so that twenty thousand headings of one text cost one try
/// each instead of one per earlier heading.
fn unique_id(text: &str, used: &mut HashSet<String>, next: &mut HashMap<String, usize>) -> String {
    let base = match slugify(text) {
        slug if slug.is_empty() => "section".to_string(),
        slug => slug,
    };
    if used.insert(base.clone()) {
        return base;
    }
    let n = next.entry(base.clone()).or_insert(1);
    loop {
        let id = format!("{base}-{n}");
        *n += 1;
        if used.insert(id.clone()) {
            return id;
        }
    }
}

/// The HTML of the first top-level paragraph.
fn first_paragraph(events: &[Event<'_>]) -> String {
    let mut depth = 0usize;
    let mut start = None;
    for (index, event) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::Paragraph) if depth == 0 => start = Some(index),
            Event::End(TagEnd::Paragraph) if depth == 1 && start.is_some() => {
                let mut html = String::new();
                let from = start.unwrap_or(index);
                pulldown_cmark::html::push_html(&mut html, events[from..=index].iter().cloned());
                return html;
            }
            _ => {}
        }
        match event {
            Event::Start(_) => depth += 1,
            Event::End(_) => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    String::new()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_text(path: &str, body: &str, links: &Links) -> Result<Body, Vec<Diagnostic>> {
        render_with(path, body, links, true)
    }

    fn render_with(
        path: &str,
        body: &str,
        links: &Links,
        raw_html: bool,
    ) -> Result<Body, Vec<Diagnostic>> {
        let text: Arc<str> = Arc::from(format!("---\nheadline: x\n---\n{body}"));
        let source = Source {
            display: Path::new("content/x.md"),
            path: Path::new(path),
            text: &text,
            body_offset: 19,
            raw_html,
        };
        render(&source, links).map_err(Diagnostics::sorted)
    }

    fn links() -> Links {
        let mut links = Links::default();
        links
            .documents
            .insert("world/talks.md".into(), "/world/2025/05/talks/".into());
        links.assets.insert(
            "world/swap/photo.jpg".into(),
            "/world/2025/05/swap/photo.jpg".into(),
        );
        links
    }

    #[test]
    fn links_to_story_files_become_their_urls() {
        let body = render_text(
            "politics/vote.md",
            "See [talks](../world/talks.md#day-2).",
            &links(),
        )
        .unwrap();
        assert!(
            body.html.contains("href=\"/world/2025/05/talks/#day-2\""),
            "{}",
            body.html
        );
    }

    #[test]
    fn link_to_a_missing_file_is_an_error_at_its_line() {
        let errors = render_text(
            "politics/vote.md",
            "One.\n\nSee [x](../world/gone.md).",
            &links(),
        )
        .unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 6);
        assert!(errors[0].message.contains("../world/gone.md"));
    }

    #[test]
    fn images_beside_the_story_get_their_published_path() {
        let body = render_text("world/swap/index.md", "![Delegates](photo.jpg)", &links()).unwrap();
        assert!(
            body.html.contains("src=\"/world/2025/05/swap/photo.jpg\""),
            "{}",
            body.html
        );
        let errors = render_text("world/swap/index.md", "![x](nope.jpg)", &links()).unwrap_err();
        assert!(errors[0].message.contains("nope.jpg"));
    }

    #[test]
    fn images_beside_the_story_are_remembered_with_where_they_are_written() {
        let body = "Intro.\n\nSee ![Delegates](photo.jpg) and [a link](photo.jpg).";
        let text = format!("---\nheadline: x\n---\n{body}");
        let rendered = render_text("world/swap/index.md", body, &links()).unwrap();
        let [(url, span)] = rendered.images.as_slice() else {
            panic!("one image: {:?}", rendered.images);
        };
        assert_eq!(url, "/world/2025/05/swap/photo.jpg");
        assert_eq!(&text[span.clone()], "![Delegates](photo.jpg)");
    }

    #[test]
    fn external_and_absolute_links_are_left_alone() {
        let body = render_text(
            "a.md",
            "[a](https://x.org/a.md) [b](/about/) [c](#top)",
            &links(),
        )
        .unwrap();
        assert!(body.html.contains("href=\"https://x.org/a.md\""));
        assert!(body.html.contains("href=\"/about/\""));
        assert!(body.html.contains("href=\"#top\""));
    }

    #[test]
    fn headings_get_unique_ids() {
        let body = render_text(
            "a.md",
            "## The vote\n\n## The vote\n\n## Custom {#mine}",
            &links(),
        )
        .unwrap();
        assert!(body.html.contains("<h2 id=\"the-vote\">"), "{}", body.html);
        assert!(
            body.html.contains("<h2 id=\"the-vote-1\">"),
            "{}",
            body.html
        );
        assert!(body.html.contains("<h2 id=\"mine\">"), "{}", body.html);
    }

    #[test]
    fn heading_ids_avoid_the_ids_of_the_page_around_the_body() {
        let body = render_text("a.md", "## Main", &links()).unwrap();
        assert!(body.html.contains("<h2 id=\"main-1\">"), "{}", body.html);
    }

    #[test]
    fn script_links_are_errors_unless_raw_html_is_trusted() {
        for link in ["javascript:alert(1)", "VBScript:x", "data:text/html,hi"] {
            let text = format!("Text with [a link]({link}).");
            let errors = render_with("a.md", &text, &links(), false).unwrap_err();
            assert!(
                errors[0].message.contains("would run code"),
                "{link}: {errors:?}"
            );
            assert!(render_with("a.md", &text, &links(), true).is_ok());
        }
        assert!(render_with("a.md", "[ok](https://example.org/)", &links(), false).is_ok());
    }

    #[test]
    fn repeated_headings_get_numbered_ids_that_skip_ones_already_taken() {
        let text = "## Same\n\n## Same {#same-2}\n\n## Same\n\n## Same\n";
        let body = render_text("a.md", text, &links()).unwrap();
        let ids: Vec<&str> = body
            .html
            .split("<h2 id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .collect();
        assert_eq!(ids, ["same", "same-2", "same-1", "same-3"], "{}", body.html);
    }

    #[test]
    fn extensions_are_on() {
        let body = render_text(
            "a.md",
            "\"Quote\" ~~gone~~\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- [x] done\n\nNote[^1]\n\n[^1]: A footnote.",
            &links(),
        )
        .unwrap();
        for needle in [
            "\u{201c}Quote\u{201d}",
            "<del>",
            "<table>",
            "type=\"checkbox\"",
            "footnote",
        ] {
            assert!(body.html.contains(needle), "{needle} in {}", body.html);
        }
    }

    #[test]
    fn code_blocks_are_highlighted_and_counted() {
        let body = render_text(
            "a.md",
            "Intro words here.\n\n```python\nprint(1)\n```\n",
            &links(),
        )
        .unwrap();
        assert!(body.has_code);
        assert!(
            body.html.contains("class=\"hl-source hl-python\""),
            "{}",
            body.html
        );
        assert_eq!(body.summary, "<p>Intro words here.</p>\n");
        assert_eq!(body.word_count, 3);
        assert_eq!(body.reading_time(), 1);
    }

    #[test]
    fn raw_html_passes_through() {
        let body = render_text(
            "a.md",
            "<iframe src=\"https://player.example\"></iframe>\n",
            &links(),
        )
        .unwrap();
        assert!(body.html.contains("<iframe"));
    }

    #[test]
    fn raw_html_left_open_is_closed_and_reported_at_its_line() {
        let body = render_text(
            "a.md",
            "Intro.\n\nThe minister <span class=\"x\">spoke.\n\nNext.",
            &links(),
        )
        .unwrap();
        assert!(
            body.html
                .contains("<p>The minister <span class=\"x\">spoke.</span></p>\n<p>Next.</p>"),
            "{}",
            body.html
        );
        let [warning] = body.warnings.as_slice() else {
            panic!("one warning: {:?}", body.warnings);
        };
        assert_eq!((warning.line, warning.column), (6, 14));
        assert_eq!(
            warning.message,
            "`<span>` is never closed; Dateline closed it at the end of the paragraph"
        );
    }

    #[test]
    fn a_teaser_cut_from_a_body_with_raw_html_is_balanced() {
        let body = render_text("a.md", "Lead <b>bold.\n\nMore.", &links()).unwrap();
        assert_eq!(body.summary, "<p>Lead <b>bold.</b></p>\n");
    }

    #[test]
    fn a_block_tag_inside_a_paragraph_is_reported() {
        let body = render_text("a.md", "Text <div>box</div> more.", &links()).unwrap();
        assert_eq!(body.html, "<p>Text </p><div>box</div> more.\n");
        assert_eq!(
            body.warnings[0].message,
            "`<div>` cannot be inside a paragraph: the paragraph ends before it"
        );
    }

    #[test]
    fn raw_html_dropped_by_unsafe_html_false_is_said_once() {
        let body = render_with(
            "a.md",
            "<div>\nboxed\n</div>\n\nA <b>b</b>.",
            &links(),
            false,
        )
        .unwrap();
        assert_eq!(body.html, "<p>A b.</p>\n");
        let [warning] = body.warnings.as_slice() else {
            panic!("one warning: {:?}", body.warnings);
        };
        assert_eq!(warning.line, 4);
        assert!(
            warning.message.contains("raw HTML left out (5 pieces)"),
            "{}",
            warning.message
        );
    }

    #[test]
    fn the_byte_scan_finds_every_reordering_control_and_passes_curly_quotes() {
        for control in ['\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}'] {
            assert!(
                may_reorder(&format!("Kyiv’s “mayor” {control}")),
                "{control:?}"
            );
        }
        assert!(!may_reorder(
            "Kyiv’s “mayor” — said… \u{2066}x\u{2069} \u{200f}"
        ));
        assert!(!may_reorder("\u{e2}\u{80}"));
    }

    #[test]
    fn word_tags_in_text_are_dropped_with_one_warning_per_name() {
        let body = render_text(
            "a.md",
            "The minister spoke<o:p></o:p> in <st1:place w:st=\"on\">Kyiv</st1:place>.<o:p></o:p>\n\n2 <3 and a:b <x:>",
            &links(),
        )
        .unwrap();
        assert!(
            body.html.contains("<p>The minister spoke in Kyiv.</p>"),
            "{}",
            body.html
        );
        assert!(
            body.html.contains("2 &lt;3 and a:b &lt;x:&gt;"),
            "{}",
            body.html
        );
        let said: Vec<_> = body
            .warnings
            .iter()
            .map(|w| (w.line, w.message.as_str()))
            .collect();
        assert_eq!(
            said,
            [
                (
                    4,
                    "`<o:p>` is a Word tag, not HTML: it was left out, its text kept (4 times)"
                ),
                (
                    4,
                    "`<st1:place>` is a Word tag, not HTML: it was left out, its text kept (2 times)"
                ),
            ]
        );
    }

    #[test]
    fn a_body_without_raw_html_has_no_warnings() {
        let body = render_text("a.md", "Plain *text* with 3 < 4.", &links()).unwrap();
        assert!(body.warnings.is_empty());
        assert_eq!(body.html, "<p>Plain <em>text</em> with 3 &lt; 4.</p>\n");
    }

    #[test]
    fn an_image_without_alt_text_is_an_error_at_its_line_and_a_decorative_one_is_not() {
        let errors =
            render_text("world/swap/index.md", "Intro.\n\n![](photo.jpg)", &links()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (6, 1));
        assert_eq!(errors[0].message, "the image has no alt text");
        assert!(
            errors[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("![decorative](")
        );
        let body = render_text(
            "world/swap/index.md",
            "![Decorative](photo.jpg) ![ ](https://x.org/rule.png)",
            &links(),
        );
        assert_eq!(
            body.unwrap_err().len(),
            1,
            "the blank alt of the second image"
        );
        let body =
            render_text("world/swap/index.md", "![decorative](photo.jpg)", &links()).unwrap();
        assert!(body.html.contains("alt=\"\""), "{}", body.html);
    }

    #[test]
    fn paths_on_the_site_are_kept_for_checking_with_where_they_are_written() {
        let body = "Intro.\n\nSee [the blog](/world/live/#now) and ![Map](/maps/a.png), not [x](//cdn.org/x).\n\n[Up](../) [top](#top) [mail](mailto:a@b.org)";
        let text = format!("---\nheadline: x\n---\n{body}");
        let rendered = render_text("world/a.md", body, &links()).unwrap();
        let found: Vec<(&str, &str, bool, bool)> = rendered
            .site_links
            .iter()
            .map(|l| (l.url.as_str(), &text[l.span.clone()], l.image, l.relative))
            .collect();
        assert_eq!(
            found,
            [
                (
                    "/world/live/#now",
                    "[the blog](/world/live/#now)",
                    false,
                    false
                ),
                ("/maps/a.png", "![Map](/maps/a.png)", true, false),
                ("../", "[Up](../)", false, true),
            ]
        );
    }

    #[test]
    fn a_missing_file_suggests_its_neighbour_differing_in_case_or_separator() {
        let mut links = links();
        links.assets.insert(
            "world/call/putin-call.jpg".into(),
            "/world/2025/05/call/putin-call.jpg".into(),
        );
        let from = Path::new("world/call/index.md");
        for written in ["putin_call.jpg", "Putin-Call.JPG", "putin-cal.jpg"] {
            assert_eq!(
                links.near_miss(from, written).as_deref(),
                Some("putin-call.jpg"),
                "{written}"
            );
        }
        assert_eq!(
            links.near_miss(from, "./putin_call.jpg").as_deref(),
            Some("./putin-call.jpg")
        );
        assert_eq!(links.near_miss(from, "zelensky.jpg"), None);
        assert_eq!(
            links.near_miss(Path::new("world/swap/index.md"), "putin-call.jpg"),
            None
        );
    }

    #[test]
    fn join_refuses_to_climb_out_of_content() {
        assert_eq!(
            join(Path::new("world"), "../politics/a.md"),
            Some("politics/a.md".into())
        );
        assert_eq!(join(Path::new("world"), "../../etc/passwd"), None);
    }
}
