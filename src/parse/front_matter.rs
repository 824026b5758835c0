//! The YAML block between `---` lines at the top of every story and page.
//!
//! Parsing keeps the location of every value that a later check may complain about (a bad date,
//! a photo without alt text, a slug that collides), so each error points into the `.md` file.

use std::collections::HashMap;
use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use jiff::ZonedDateTime as Zoned;
use jiff::tz::TimeZone;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_saphyr::{Location, MessageFormatter, Spanned, UserMessageFormatter};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::parse::bidi;
use crate::parse::schema::{self, Block};
use crate::site::config::unknown_key_help;

/// The folders of a computer's own disk that a photo path pasted from a file browser starts
/// with (`/Users/ana/Pictures/quay.jpg`, `/etc/passwd`); no site publishes pages there.
const COMPUTER_FOLDERS: &[&str] = &[
    "/Users/",
    "/home/",
    "/root/",
    "/etc/",
    "/usr/",
    "/var/",
    "/tmp/",
    "/private/",
    "/Volumes/",
    "/mnt/",
    "/proc/",
    "/sys/",
    "/dev/",
    "/opt/",
    "/Library/",
    "/System/",
];

/// Where on a computer a photo path points, if it does: a folder of its own disk, a Windows
/// drive (`C:\Users\ana\quay.jpg`) or network share (`\\server\photos`), or a `file:` URL.
fn computer_folder(src: &str) -> Option<String> {
    let mut chars = src.chars();
    let drive = match (chars.next(), chars.next(), chars.next()) {
        (Some(letter), Some(':'), Some('\\' | '/')) if letter.is_ascii_alphabetic() => {
            Some(letter.to_ascii_uppercase())
        }
        _ => None,
    };
    if let Some(letter) = drive {
        return Some(format!("on drive {letter}:"));
    }
    if src.starts_with("\\\\") {
        return Some("on a network share".into());
    }
    if src
        .get(..5)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("file:"))
    {
        return Some("a file: address".into());
    }
    COMPUTER_FOLDERS
        .iter()
        .find(|folder| src.starts_with(*folder))
        .map(|folder| format!("in {folder}"))
}

/// The most tags, or authors, one story may have.
const MAX_NAMES: usize = 100;

/// A story file split into its front matter and Markdown body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML text, without the `---` lines.
    pub yaml: &'a str,
    /// Byte offset of the YAML within the file.
    pub yaml_offset: usize,
    pub body: &'a str,
    /// Byte offset of the body within the file.
    pub body_offset: usize,
}

/// Why a file has no front matter to read, and the byte range of the line to point at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unsplit {
    pub message: &'static str,
    pub at: Range<usize>,
}

/// Finds the `---` fences. The text must already have LF line ends and no BOM.
pub fn split(text: &str) -> Result<Split<'_>, Unsplit> {
    let first_line = text.find('\n').unwrap_or(text.len());
    let Some(after_open) = text
        .strip_prefix("---\n")
        .or_else(|| (text == "---").then_some(""))
    else {
        let message = match is_dashed_fence(&text[..first_line]) {
            true => DASHED_FENCE,
            false => "the file does not start with front matter (a `---` line)",
        };
        return Err(Unsplit {
            message,
            at: 0..first_line,
        });
    };
    let yaml_offset = text.len() - after_open.len();
    let mut offset = 0;
    let mut dashed = None;
    for line in after_open.split_inclusive('\n') {
        if line.trim_end() == "---" {
            let body_offset = yaml_offset + offset + line.len();
            return Ok(Split {
                yaml: &after_open[..offset],
                yaml_offset,
                body: &text[body_offset..],
                body_offset,
            });
        }
        if dashed.is_none() && is_dashed_fence(line) {
            let start = yaml_offset + offset;
            dashed = Some(start..start + line.trim_end().len());
        }
        offset += line.len();
    }
    Err(match dashed {
        Some(at) => Unsplit {
            message: DASHED_FENCE,
            at,
        },
        None => Unsplit {
            message: "the front matter is never closed: add a `---` line after it",
            at: 0..first_line,
        },
    })
}

const DASHED_FENCE: &str = "this line should be `---`, three hyphens: a word processor has turned \
                            them into a dash (— or –)";

/// A line of hyphens and dashes that is not `---`: what Word's and Google Docs' autocorrect
/// make of a fence (`—-`, `–-`, `—`).
fn is_dashed_fence(line: &str) -> bool {
    let line = line.trim();
    !line.is_empty()
        && line.contains(['—', '–', '―', '‒'])
        && line
            .chars()
            .all(|c| matches!(c, '-' | '—' | '–' | '―' | '‒'))
}

/// Front matter as written, before dates and defaults are resolved.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    headline: Option<Spanned<String>>,
    dek: Option<Spanned<String>>,
    date: Option<Spanned<String>>,
    updated: Option<Spanned<String>>,
    author: Option<Spanned<String>>,
    authors: Option<Spanned<Vec<Spanned<String>>>>,
    section: Option<Spanned<String>>,
    tags: Option<Spanned<Vec<Spanned<String>>>>,
    photo: Option<Spanned<RawPhoto>>,
    slug: Option<Spanned<String>>,
    #[serde(default)]
    draft: bool,
    layout: Option<Spanned<String>>,
    #[serde(default)]
    corrections: Vec<Spanned<RawCorrection>>,
    #[serde(default)]
    redirect_from: Vec<Spanned<String>>,
    backstory: Option<Spanned<String>>,
    free_to_read: Option<bool>,
    extra: Option<serde_json::Map<String, serde_json::Value>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCorrection {
    date: Option<Spanned<String>>,
    text: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhoto {
    src: Option<Spanned<String>>,
    alt: Option<Spanned<String>>,
    credit: Option<Spanned<String>>,
    caption: Option<Spanned<String>>,
}

/// Whether a file is a dated story or a standalone page (about, support us).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    Story,
    Page,
}

/// Checked front matter with the positions later stages point their errors at.
#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub headline: String,
    pub dek: Option<String>,
    /// The publication time; `None` only for pages, which need no date.
    pub date: Option<Zoned>,
    pub updated: Option<Zoned>,
    pub authors: Vec<String>,
    pub section: Option<String>,
    pub tags: Vec<String>,
    pub photo: Option<Photo>,
    pub slug: Option<String>,
    pub draft: bool,
    pub layout: Layout,
    /// Published corrections and update notes, in the order written.
    pub corrections: Vec<Correction>,
    /// Old addresses that should lead readers here.
    pub redirect_from: Vec<RedirectFrom>,
    /// How the story was reported (sources, methods, why now), for readers and `backstory`.
    pub backstory: Option<String>,
    /// Whether the story can be read without paying (`isAccessibleForFree`); true by default.
    pub free_to_read: bool,
    pub extra: serde_json::Map<String, serde_json::Value>,
    /// Byte span (in the file) of the headline, where duplicate-URL errors point.
    pub headline_span: Range<usize>,
    /// Byte span of the slug when given, else of the headline.
    pub slug_span: Range<usize>,
    /// Byte span of the dek, when the key is there (even if empty).
    pub dek_span: Option<Range<usize>>,
    /// Byte span of the date, when there is one.
    pub date_span: Option<Range<usize>>,
    /// Byte span of each tag in `tags`, in the same order.
    pub tag_spans: Vec<Range<usize>>,
    /// Byte span of `section:` when written (a section from the folder has none).
    pub section_span: Option<Range<usize>>,
    /// Warnings about what reading changed in the values (a stray invisible control removed),
    /// reported with the style warnings.
    pub repairs: Vec<Diagnostic>,
}

impl FrontMatter {
    /// When the story last changed for readers: `updated`, or the newest correction when it is
    /// later than both `updated` and `date` (a correction is an update the newsroom must not
    /// have to record twice).
    pub fn last_modified(&self) -> Option<&Zoned> {
        let newest_correction = self
            .corrections
            .iter()
            .map(|c| &c.date)
            .max_by_key(|date| date.timestamp())
            .filter(|correction| {
                self.updated
                    .iter()
                    .chain(&self.date)
                    .all(|other| correction.timestamp() > other.timestamp())
            });
        newest_correction.or(self.updated.as_ref())
    }
}

/// A dated correction or update note, shown on the story and on the site's corrections page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Correction {
    pub date: Zoned,
    pub text: String,
}

/// An old address of a story or page (`/old/path/`), already checked and normalised.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedirectFrom {
    pub path: String,
    /// Byte span of the path in the file, where clashes are reported.
    pub span: Range<usize>,
}

/// The lead photo as written in front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Photo {
    pub src: String,
    /// Required; `""` marks a decorative image explicitly.
    pub alt: String,
    pub credit: Option<String>,
    pub caption: Option<String>,
    /// Byte span of the photo block in the file, where missing-file errors point.
    pub span: std::ops::Range<usize>,
}

/// Parses and checks one file's front matter; `yaml_offset` places positions in the file.
pub fn parse(
    file: &Path,
    source: &Arc<str>,
    split: &Split<'_>,
    timezone: &TimeZone,
) -> Result<FrontMatter, Diagnostics> {
    let separated = super::yaml_traps::with_plain_separators(split.yaml);
    let split = &Split {
        yaml: separated.as_deref().unwrap_or(split.yaml),
        ..*split
    };
    let checker = Checker {
        file,
        source,
        split,
        timezone,
        problems: Diagnostics::new(),
        broken: Vec::new(),
    };
    match serde_saphyr::from_str::<Raw>(split.yaml) {
        Ok(raw) => checker.check(raw),
        Err(err) => Err(every_problem(checker, &err)),
    }
}

/// Every problem of front matter that does not read as a whole, found in one run: each
/// top-level entry (a key and the lines that belong to it) is read on its own, with the other
/// lines blanked so that positions stay those of the file, and the entries that read are then
/// checked together. An editor who wrote `auhtor:`, a date in words and `tags: a, b` learns of
/// all three at once, and a broken `headline:` is not also reported as a missing one.
fn every_problem(mut checker: Checker<'_>, err: &serde_saphyr::Error) -> Diagnostics {
    let (file, source, split) = (checker.file, checker.source, checker.split);
    let entries = top_level_entries(split.yaml);
    // A value that YAML drops from (`- &Co`) is reported by the check, at its cause; the
    // parser's word on its entry ("null is not allowed here") would only be a consequence.
    let dropped = super::yaml_traps::dropped_by_indicator(split.yaml);
    let mut problems = Diagnostics::new();
    let mut good = Vec::new();
    let mut broken = Vec::new();
    let mut failed = false;
    for (key, lines) in &entries {
        match serde_saphyr::from_str::<Raw>(&keep_only(split.yaml, std::slice::from_ref(lines))) {
            Ok(_) => good.push(lines.clone()),
            Err(err) => {
                failed = true;
                let explained = dropped.iter().any(|(at, ..)| lines.contains(&at.start));
                if !explained {
                    problems.extend(yaml_errors(file, source, split, &err));
                }
                // The key it is, or the one it is a typo of (`hedline`): not missing.
                let known: Vec<&'static str> = schema::keys(Block::Top).collect();
                let meant = known.iter().copied().find(|known| known == key);
                broken.extend(meant.or_else(|| crate::site::config::nearest_key(key, &known)));
            }
        }
    }
    if !failed {
        // Each entry reads alone but not all together (a key written twice): the parser's
        // own word is the best there is.
        return yaml_errors(file, source, split, err);
    }
    checker.broken = broken;
    match serde_saphyr::from_str::<Raw>(&keep_only(split.yaml, &good)) {
        Ok(raw) => problems.extend(checker.check(raw).err().into_iter().flatten()),
        // The entries that read alone, read together: a key written twice.
        Err(err) => problems.extend(yaml_errors(file, source, split, &err)),
    }
    problems
}

/// The top-level entries of a YAML mapping: each key with the byte range of its lines, up to
/// the next line that starts at the left margin with a key (comments, list items and indented
/// lines belong to the entry above them).
fn top_level_entries(yaml: &str) -> Vec<(String, Range<usize>)> {
    let mut entries: Vec<(String, Range<usize>)> = Vec::new();
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let starts_entry = line
            .chars()
            .next()
            .is_some_and(|c| !c.is_whitespace() && !matches!(c, '#' | '-'));
        if starts_entry {
            let key = line.split(':').next().unwrap_or("").trim();
            let key = key.trim_matches(|c| c == '"' || c == '\'').to_string();
            entries.push((key, offset..offset + line.len()));
        } else if let Some((_, lines)) = entries.last_mut() {
            lines.end = offset + line.len();
        }
        offset += line.len();
    }
    entries
}

/// `yaml` with every line outside `keep` blanked: each byte of another line but its line end
/// becomes a space, so that what is kept stays at its own line, column and byte offset.
fn keep_only(yaml: &str, keep: &[Range<usize>]) -> String {
    let mut text = String::with_capacity(yaml.len());
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        if keep.iter().any(|range| range.contains(&offset)) {
            text.push_str(line);
        } else {
            let body = line.trim_end_matches(['\n', '\r']);
            text.extend(std::iter::repeat_n(' ', body.len()));
            text.push_str(&line[body.len()..]);
        }
        offset += line.len();
    }
    text
}

struct Checker<'a> {
    file: &'a Path,
    source: &'a Arc<str>,
    split: &'a Split<'a>,
    timezone: &'a TimeZone,
    problems: Diagnostics,
    /// Keys whose entry did not read (see [`every_problem`]): they are there, so their absence
    /// is no second error.
    broken: Vec<&'static str>,
}

impl Checker<'_> {
    fn check(mut self, mut raw: Raw) -> Result<FrontMatter, Diagnostics> {
        self.bidi_controls(&mut raw);
        self.typographic_quotes();
        self.dropped_by_indicators();
        let layout = match &raw.layout {
            None => Layout::Story,
            Some(layout) if layout.value == "page" => Layout::Page,
            Some(layout) if layout.value == "story" => Layout::Story,
            Some(layout) => {
                self.error_at(
                    &layout.referenced,
                    format!("unknown layout `{}`", layout.value),
                    "use `layout: page` for standalone pages such as About; stories need no layout",
                );
                Layout::Story
            }
        };
        let headline = match raw.headline {
            Some(h) if !h.value.trim().is_empty() => Some(h),
            Some(h) => {
                self.error_at(
                    &h.referenced,
                    "the headline is empty".into(),
                    "write the story's headline after `headline:`",
                );
                None
            }
            None if self.broken.contains(&"headline") => None,
            None if self.empty_key("headline") => None,
            None => {
                self.problems.push(
                    Diagnostic::error(self.file, "the front matter has no `headline`")
                        .with_span(self.source, self.fence_span())
                        .with_help("add a line such as `headline: \"Talks resume in Istanbul\"`"),
                );
                None
            }
        };
        let date = match (&raw.date, layout) {
            (Some(date), _) => self.date(date, "date"),
            (None, Layout::Page) => None,
            (None, Layout::Story) if self.broken.iter().any(|k| ["date", "layout"].contains(k)) => {
                None
            }
            (None, Layout::Story) if self.empty_key("date") => None,
            (None, Layout::Story) => {
                self.problems.push(
                    Diagnostic::error(self.file, "the story has no `date`")
                        .with_span(self.source, self.fence_span())
                        .with_help("add its publication time, e.g. `date: 2025-05-19 14:30`"),
                );
                None
            }
        };
        let updated = raw.updated.as_ref().and_then(|u| self.date(u, "updated"));
        let mut authors = Vec::new();
        for list in raw.author.map(as_list).into_iter().chain(raw.authors) {
            authors.extend(self.names(list, "author"));
        }
        let mut seen = std::collections::HashSet::new();
        authors.retain(|a| seen.insert(a.clone()));
        let section_span = raw.section.as_ref().map(|s| self.span_of(&s.referenced));
        let section = raw
            .section
            .map(as_list)
            .and_then(|list| self.names(list, "section").pop());
        let photo = raw.photo.and_then(|photo| self.photo(photo));
        let slug = raw.slug.as_ref().map(|slug| {
            let clean = crate::site::slug::slugify(&slug.value);
            if clean.is_empty() {
                self.error_at(
                    &slug.referenced,
                    format!("the slug `{}` has no letters or digits", slug.value),
                    "use words separated by hyphens, e.g. `slug: istanbul-talks`",
                );
            }
            clean
        });
        let (tags, tag_spans): (Vec<String>, Vec<Range<usize>>) = match &raw.tags {
            Some(list) if self.too_many(list.value.len(), "tags", &list.referenced) => {
                (Vec::new(), Vec::new())
            }
            Some(list) => list
                .value
                .iter()
                .filter_map(|tag| self.tag(tag, &list.referenced))
                .unzip(),
            None => (Vec::new(), Vec::new()),
        };
        let corrections = raw
            .corrections
            .into_iter()
            .filter_map(|c| self.correction(c))
            .collect();
        let redirect_from = raw
            .redirect_from
            .iter()
            .filter_map(|path| self.redirect_from(path))
            .collect();
        let Some(headline) = headline.filter(|_| !self.problems.has_errors()) else {
            return Err(self.problems);
        };
        let headline_span = self.span_of(&headline.referenced);
        let slug_span = raw
            .slug
            .as_ref()
            .map_or(headline_span.clone(), |s| self.span_of(&s.referenced));
        // An empty `dek: ""` (as `dateline new` writes) is no dek, but warnings about the
        // missing dek still point at its line.
        let dek_span = raw.dek.as_ref().map(|d| self.span_of(&d.referenced));
        let dek = raw.dek.filter(|d| !d.value.trim().is_empty());
        let date_span = raw.date.as_ref().map(|d| self.span_of(&d.referenced));
        Ok(FrontMatter {
            headline: headline.value.trim().to_string(),
            dek: dek.map(|d| d.value),
            date,
            updated,
            authors,
            section,
            tags,
            photo,
            slug,
            draft: raw.draft,
            layout,
            corrections,
            redirect_from,
            backstory: raw
                .backstory
                .map(|b| b.value.trim().to_string())
                .filter(|b| !b.is_empty()),
            free_to_read: raw.free_to_read.unwrap_or(true),
            extra: raw.extra.unwrap_or_default(),
            headline_span,
            slug_span,
            dek_span,
            date_span,
            tag_spans,
            section_span,
            repairs: self.problems.into_iter().collect(),
        })
    }

    /// Whether a list of `count` names (`what`: "tags", "authors") is longer than any story
    /// needs, which is then an error at the list. Each name is a page and a feed, and every
    /// tag feed lists each story's tags: four thousand tags on one story made a build write
    /// 440 MB.
    fn too_many(&mut self, count: usize, what: &str, list: &Location) -> bool {
        if count <= MAX_NAMES {
            return false;
        }
        self.error_at(
            list,
            format!("this story has {count} {what}; a story can have at most {MAX_NAMES}"),
            &format!("keep the {what} readers browse by, and remove the rest"),
        );
        true
    }

    /// A trimmed tag with its span; like every name with a page, it needs letters or digits
    /// (an error at the `tags` list, `list`).
    fn tag(&mut self, tag: &Spanned<String>, list: &Location) -> Option<(String, Range<usize>)> {
        let name = tag.value.trim();
        if name.is_empty() {
            return None;
        }
        if crate::site::slug::slugify(name).is_empty() {
            self.error_at(
                list,
                format!("the tag `{name}` has no letters or digits, so it cannot have a page"),
                "write the tag with letters or digits",
            );
            return None;
        }
        Some((name.to_string(), self.span_of(&tag.referenced)))
    }

    fn correction(&mut self, correction: Spanned<RawCorrection>) -> Option<Correction> {
        let RawCorrection { date, text } = correction.value;
        let text = text
            .map(|t| t.value.trim().to_string())
            .filter(|t| !t.is_empty());
        let Some(date) = date else {
            self.error_at(
                &correction.referenced,
                "the correction has no `date`".into(),
                "add when it was corrected, e.g. `- {date: 2025-05-20 09:00, text: \"...\"}`",
            );
            return None;
        };
        let date = self.date(&date, "date");
        let Some(text) = text else {
            self.error_at(
                &correction.referenced,
                "the correction has no `text`".into(),
                "say what was wrong and what is right, e.g. `text: \"An earlier version gave \
                 the wrong date.\"`",
            );
            return None;
        };
        Some(Correction { date: date?, text })
    }

    fn redirect_from(&mut self, path: &Spanned<String>) -> Option<RedirectFrom> {
        match crate::site::routes::normalize_path(&path.value) {
            Ok(normalized) => Some(RedirectFrom {
                path: normalized,
                span: self.span_of(&path.referenced),
            }),
            Err(problem) => {
                self.error_at(
                    &path.referenced,
                    format!("`redirect_from` path `{}` {problem}", path.value),
                    "write the old address as a path on this site, e.g. `/2024/05/old-slug/`",
                );
                None
            }
        }
    }

    fn date(&mut self, value: &Spanned<String>, key: &str) -> Option<Zoned> {
        match parse_date(&value.value, self.timezone) {
            Some(date) => Some(date),
            None => {
                self.error_at(
                    &value.referenced,
                    format!("`{key}` is not a valid date: `{}`", value.value),
                    "write it as 2025-05-19, 2025-05-19 14:30 (in the site's time zone) or \
                     2025-05-19T14:30:00+01:00",
                );
                None
            }
        }
    }

    /// Trimmed, non-empty names of tags, authors or a section. Each gets a page, so each needs
    /// letters or digits for its URL.
    fn names(&mut self, list: Spanned<Vec<Spanned<String>>>, kind: &str) -> Vec<String> {
        let mut names = Vec::new();
        if self.too_many(list.value.len(), &format!("{kind}s"), &list.referenced) {
            return names;
        }
        for spanned in &list.value {
            let name = spanned.value.trim();
            if name.is_empty() {
                continue;
            }
            if crate::site::slug::slugify(name).is_empty() {
                self.error_at(
                    &spanned.referenced,
                    format!(
                        "the {kind} `{name}` has no letters or digits, so it cannot have a page"
                    ),
                    &format!("write the {kind} with letters or digits"),
                );
                continue;
            }
            names.push(name.to_string());
        }
        names
    }

    fn photo(&mut self, photo: Spanned<RawPhoto>) -> Option<Photo> {
        let span = self.span_of(&photo.referenced);
        let RawPhoto {
            src,
            alt,
            credit,
            caption,
        } = photo.value;
        let Some(src) = src.filter(|s| !s.value.trim().is_empty()) else {
            self.error_at(
                &photo.referenced,
                "the photo has no `src`".into(),
                "add the image file, e.g. `src: photo.jpg` next to the story",
            );
            return None;
        };
        let Some(alt) = alt else {
            self.error_at(
                &photo.referenced,
                "the photo has no `alt` text".into(),
                "describe the picture for readers who cannot see it (`alt: \"...\"`), \
                 or write `alt: \"\"` if it is purely decorative",
            );
            return None;
        };
        let (src, src_at) = (src.value, src.referenced);
        let trimmed = src.trim();
        let other_scheme = crate::site::url::is_external(trimmed)
            && !trimmed.starts_with("//")
            && !["http://", "https://"].iter().any(|scheme| {
                trimmed
                    .get(..scheme.len())
                    .is_some_and(|start| start.eq_ignore_ascii_case(scheme))
            });
        if let Some(folder) = computer_folder(trimmed) {
            self.error_at(
                &src_at,
                format!("the photo `{src}` is a file on a computer ({folder}), not on the site"),
                "copy the photo next to the story (a story folder with index.md) and write its \
                 name, or put it in static/ (static/images/quay.jpg is /images/quay.jpg)",
            );
            return None;
        }
        if crate::site::url::is_script_url(&src) || other_scheme {
            self.error_at(
                &src_at,
                format!("the photo source `{src}` is not an image URL"),
                "use a file next to the story, a path under static/ or an http(s) URL",
            );
            return None;
        }
        Some(Photo {
            src: src.trim().to_string(),
            alt: alt.value.trim().to_string(),
            credit: credit.map(|c| c.value).filter(|c| !c.trim().is_empty()),
            caption: caption.map(|c| c.value).filter(|c| !c.trim().is_empty()),
            span,
        })
    }

    /// Whether `key` is written with nothing after it (`headline:`), which YAML reads as no
    /// value: then an error says so at its line (true), rather than "no `headline`" at the top.
    fn empty_key(&mut self, key: &str) -> bool {
        let yaml = self.split.yaml;
        let Some((_, lines)) = top_level_entries(yaml).into_iter().find(|(k, _)| k == key) else {
            return false;
        };
        let line = yaml[lines.clone()].lines().next().unwrap_or("");
        let start = self.split.yaml_offset + lines.start;
        self.problems.push(
            Diagnostic::error(self.file, format!("the {key} is empty"))
                .with_span(self.source, start..start + line.len())
                .with_help(format!(
                    "write the story's {key} after `{key}:` on the same line"
                )),
        );
        true
    }

    /// Refuses plain values wrapped whole in typographic quotes: whether they were meant as YAML
    /// quotes or as part of the text, only the writer knows, and straight quotes say which.
    fn typographic_quotes(&mut self) {
        let yaml = self.split.yaml;
        for (range, key) in super::yaml_traps::wrapped_in_typographic_quotes(yaml) {
            let value = &yaml[range.clone()];
            let inner: String = value
                .chars()
                .skip(1)
                .take(value.chars().count() - 2)
                .collect();
            let span = self.split.yaml_offset + range.start..self.split.yaml_offset + range.end;
            let (what, write) = match key {
                Some(key) => (format!("`{key}`"), format!("{key}:")),
                None => ("this list item".to_string(), String::new()),
            };
            let quoted = |text: &str| {
                let text = format!("\"{}\"", text.replace('"', "\\\""));
                format!("{write} {text}").trim_start().to_string()
            };
            self.problems.push(
                Diagnostic::error(
                    self.file,
                    format!(
                        "{what} is wrapped in typographic quotes, which YAML keeps as part of \
                         the text"
                    ),
                )
                .with_span(self.source, span)
                .with_help(format!(
                    "YAML quotes are straight: write `{}` to publish {inner}, or `{}` to \
                     publish the quote marks too",
                    quoted(&inner),
                    quoted(value),
                )),
            );
        }
    }

    /// Refuses values that start with `!` or `&`: YAML reads them without complaint but leaves
    /// the word out (`headline: !Breaking talks` would publish "talks").
    fn dropped_by_indicators(&mut self) {
        let yaml = self.split.yaml;
        for (range, key, reading) in super::yaml_traps::dropped_by_indicator(yaml) {
            let value = &yaml[range.clone()];
            let span = self.split.yaml_offset + range.start..self.split.yaml_offset + range.end;
            let (what, write) = match key {
                Some(key) => (format!("`{key}`"), format!("{key}:")),
                None => ("this list item".to_string(), "-".to_string()),
            };
            self.problems.push(
                Diagnostic::error(self.file, format!("{what} {reading}"))
                    .with_span(self.source, span)
                    .with_help(format!(
                        "put the whole value in quotes: `{write} \"{}\"`",
                        value.replace('"', "\\\"")
                    )),
            );
        }
    }

    /// Checks the bidirectional controls of every text value (see [`bidi`]): embeddings and
    /// overrides are errors, stray pops are removed and unclosed isolates closed, each with a
    /// warning; every message points at the character itself.
    fn bidi_controls(&mut self, raw: &mut Raw) {
        let Raw {
            headline,
            dek,
            date,
            updated,
            author,
            authors,
            section,
            tags,
            photo,
            slug,
            layout,
            corrections,
            redirect_from,
            backstory,
            ..
        } = raw;
        let mut values: Vec<(&str, &mut Spanned<String>)> = Vec::new();
        let single = [
            ("headline", headline),
            ("dek", dek),
            ("date", date),
            ("updated", updated),
            ("author", author),
            ("section", section),
            ("slug", slug),
            ("layout", layout),
            ("backstory", backstory),
        ];
        for (key, value) in single {
            values.extend(value.as_mut().map(|value| (key, value)));
        }
        let lists = [("authors", authors), ("tags", tags)];
        for (key, list) in lists {
            values.extend(list.iter_mut().flat_map(|l| &mut l.value).map(|v| (key, v)));
        }
        if let Some(photo) = photo {
            let RawPhoto {
                src,
                alt,
                credit,
                caption,
            } = &mut photo.value;
            let fields = [
                ("photo src", src),
                ("photo alt", alt),
                ("photo credit", credit),
                ("photo caption", caption),
            ];
            for (key, value) in fields {
                values.extend(value.as_mut().map(|value| (key, value)));
            }
        }
        let texts = corrections.iter_mut().filter_map(|c| c.value.text.as_mut());
        values.extend(texts.map(|text| ("correction", text)));
        values.extend(redirect_from.iter_mut().map(|path| ("redirect_from", path)));
        for (key, value) in values {
            self.bidi(key, value);
            self.invisible(key, value);
        }
    }

    /// Removes invisible characters that only break things, each with a warning at it: a
    /// byte-order mark pasted into any value, and in a name (author, tag, section) a zero-width
    /// space or word joiner, which would make "Lena Hartmann" a second, different author.
    fn invisible(&mut self, key: &str, value: &mut Spanned<String>) {
        let name = matches!(key, "author" | "authors" | "tags" | "section");
        let unwanted = |c: char| c == '\u{feff}' || (name && matches!(c, '\u{200b}' | '\u{2060}'));
        let Some(found) = value.value.chars().find(|c| unwanted(*c)) else {
            return;
        };
        let range = value_range(self.source, self.split, &value.referenced);
        let span = match self.source[range.clone()].find(found) {
            Some(at) => range.start + at..range.start + at + found.len_utf8(),
            None => self.span_of(&value.referenced),
        };
        self.problems.push(
            Diagnostic::warning(
                self.file,
                format!(
                    "the {} holds an invisible character (U+{:04X}); it was removed",
                    key.trim_end_matches('s'),
                    found as u32
                ),
            )
            .with_span(self.source, span)
            .with_help("it is left over from copy and paste; delete it to silence this warning"),
        );
        value.value = value.value.replace(unwanted, "");
    }

    fn bidi(&mut self, key: &str, value: &mut Spanned<String>) {
        let controls = bidi::controls(&value.value);
        if controls.is_empty() {
            return;
        }
        let spans = self.control_spans(value, &controls);
        for (control, span) in controls.iter().zip(spans) {
            let code = control.char as u32;
            let diagnostic = match control.kind {
                bidi::Kind::Reordering => Diagnostic::error(
                    self.file,
                    format!("the {key} holds an invisible control character (U+{code:04X}) that reorders the text after it"),
                )
                .with_help(
                    "delete it: it can make the text display differently from what it says. \
                     Right-to-left text needs no such character; to set a left-to-right name \
                     inside it, use the isolates U+2066 and U+2069, which are accepted",
                ),
                bidi::Kind::StrayPop => Diagnostic::warning(
                    self.file,
                    format!("the {key} holds an invisible control character (U+{code:04X}) that closes nothing; it was removed"),
                )
                .with_help("it is usually left over from copy and paste; delete it to silence this warning"),
                bidi::Kind::Unclosed => Diagnostic::warning(
                    self.file,
                    format!("the {key} opens a direction isolate (U+{code:04X}) that is never closed; it was closed at the end of the {key}"),
                )
                .with_help("put U+2069 where the isolated text ends"),
            };
            self.problems.push(diagnostic.with_span(self.source, span));
        }
        value.value = bidi::repaired(&value.value, &controls);
    }

    /// The byte span in the file of each control, so that each diagnostic points at its own
    /// character. A value that wrote its controls as escapes (`"\u202E"`) has not the same
    /// characters in the file; those point at the value.
    fn control_spans(
        &self,
        value: &Spanned<String>,
        controls: &[bidi::Control],
    ) -> Vec<Range<usize>> {
        let range = value_range(self.source, self.split, &value.referenced);
        let written: Vec<_> = self.source[range.clone()]
            .char_indices()
            .filter(|(_, c)| bidi::is_control(*c))
            .map(|(at, c)| range.start + at..range.start + at + c.len_utf8())
            .collect();
        let read: Vec<usize> = value
            .value
            .char_indices()
            .filter(|(_, c)| bidi::is_control(*c))
            .map(|(at, _)| at)
            .collect();
        let whole = self.span_of(&value.referenced);
        controls
            .iter()
            .map(|control| {
                let nth = read.iter().position(|at| *at == control.offset);
                match nth.and_then(|nth| written.get(nth)) {
                    Some(span) if written.len() == read.len() => span.clone(),
                    _ => whole.clone(),
                }
            })
            .collect()
    }

    fn error_at(&mut self, location: &Location, message: String, help: &str) {
        let span = self.span_of(location);
        self.problems.push(
            Diagnostic::error(self.file, message)
                .with_span(self.source, span)
                .with_help(help),
        );
    }

    fn span_of(&self, location: &Location) -> std::ops::Range<usize> {
        location_span(self.source, self.split, location)
    }

    /// The opening `---`, where errors about missing keys point.
    fn fence_span(&self) -> std::ops::Range<usize> {
        0..3.min(self.source.len())
    }
}

/// One name as a list of one, keeping its location.
fn as_list(name: Spanned<String>) -> Spanned<Vec<Spanned<String>>> {
    let (referenced, defined) = (name.referenced, name.defined);
    Spanned::new(vec![name], referenced, defined)
}

/// Reads `2025-05-19`, `2025-05-19 14:30` (in `timezone`) or an RFC 3339 timestamp.
pub fn parse_date(text: &str, timezone: &TimeZone) -> Option<Zoned> {
    // A no-break space between the date and the time, as phones and Word type it.
    let text = text.trim().replace(['\u{a0}', '\u{202f}'], " ");
    let text = text.as_str();
    if let Ok(timestamp) = text.parse::<jiff::Timestamp>() {
        return Some(timestamp.to_zoned_datetime(timezone.clone()));
    }
    let civil = text.parse::<jiff::civil::DateTime>().ok().or_else(|| {
        text.parse::<jiff::civil::Date>()
            .ok()
            .map(|d| d.to_datetime(jiff::civil::Time::midnight()))
    })?;
    civil.to_zoned_datetime(timezone.clone()).ok()
}

/// The byte span in the whole file of a value that serde-saphyr located in the YAML.
fn location_span(source: &str, split: &Split<'_>, location: &Location) -> std::ops::Range<usize> {
    let Range { start, end } = value_range(source, split, location);
    let end = source[start..end]
        .find('\n')
        .map_or(end, |newline| start + newline);
    start.min(end)..end
}

/// The whole byte range of a located value in the file, over all its lines, widened to
/// character boundaries.
fn value_range(source: &str, split: &Split<'_>, location: &Location) -> Range<usize> {
    let span = location.span();
    let start = match span.byte_offset() {
        Some(offset) => split.yaml_offset + offset as usize,
        None => {
            let line = location.line() as usize + yaml_first_line(source, split) - 1;
            crate::diagnostic::byte_offset(source, line, location.column() as usize)
        }
    };
    let len = span.byte_len().unwrap_or(1) as usize;
    let mut end = (start + len.max(1)).min(source.len());
    // The span may end inside a multi-byte character (found by fuzzing): widen it to the
    // whole character rather than slice through it.
    while !source.is_char_boundary(end) {
        end += 1;
    }
    let mut start = start.min(end);
    while !source.is_char_boundary(start) {
        start -= 1;
    }
    start..end
}

/// The 1-based line of the file on which the YAML starts.
fn yaml_first_line(source: &str, split: &Split<'_>) -> usize {
    source[..split.yaml_offset].matches('\n').count() + 1
}

/// serde stops at the first unknown key; list them all, so one run shows every typo.
fn yaml_errors(
    file: &Path,
    source: &Arc<str>,
    split: &Split<'_>,
    err: &serde_saphyr::Error,
) -> Diagnostics {
    let first = yaml_error(file, source, split, err);
    if first.message.starts_with("unknown front matter key")
        && let Ok(keys) = serde_saphyr::from_str::<HashMap<Spanned<String>, IgnoredAny>>(split.yaml)
    {
        let unknown: Diagnostics = keys
            .keys()
            .filter(|key| !schema::keys(Block::Top).any(|known| known == key.value))
            .map(|key| {
                let help = unknown_key_help(
                    &format!("unknown field `{}`", key.value),
                    &schema::keys(Block::Top).collect::<Vec<_>>(),
                )
                .unwrap_or_default();
                Diagnostic::error(file, format!("unknown front matter key `{}`", key.value))
                    .with_span(source, location_span(source, split, &key.referenced))
                    .with_help(help)
            })
            .collect();
        if !unknown.is_empty() {
            return unknown;
        }
    }
    Diagnostics::from_iter([first])
}

fn yaml_error(
    file: &Path,
    source: &Arc<str>,
    split: &Split<'_>,
    err: &serde_saphyr::Error,
) -> Diagnostic {
    let message = UserMessageFormatter.format_message(err).to_string();
    let span = err
        .location()
        .map(|location| location_span(source, split, &location))
        // A tab is reported where the parser was when it met it, often the line before.
        .map(|span| match message.contains("tab") {
            true => indenting_tab(source, split, span.start).unwrap_or(span),
            false => span,
        });
    let line = span.as_ref().map(|span| line_at(source, span.start));
    let key = span.as_ref().and_then(|span| {
        key_on_line(line_at(source, span.start))
            .or_else(|| enclosing_key(source, split, span.start))
    });
    let trap = span.as_ref().zip(line).and_then(|(span, line)| {
        let (number, _) = crate::diagnostic::line_column(source, span.start);
        let start_of_line = source[..span.start].rfind('\n').map_or(0, |i| i + 1);
        let previous = (number > yaml_first_line(source, split))
            .then(|| (number - 1, line_at(source, start_of_line.saturating_sub(1))));
        super::yaml_traps::explain(&message, line, number, previous)
    });
    let (message, help) = match (unknown_key_message(&message), trap, key) {
        (Some(unknown), _, _) => unknown,
        (None, Some((plain, fix)), _) => (
            plain,
            Some(format!("{fix} (the YAML parser says: {message})")),
        ),
        (None, None, Some((key, expected))) if is_type_error(&message) => (
            format!("`{key}` should be {expected}"),
            Some(match line.and_then(super::yaml_traps::bracketed_text) {
                Some(value) if expected.starts_with("text") => format!(
                    "YAML reads a value that starts with `{}` as a list or a map; put the whole \
                     value in quotes: {key}: \"{}\"",
                    &value[..1],
                    value.replace('"', "\\\"")
                ),
                _ => format!("the YAML parser says: {message}"),
            }),
        ),
        (None, None, _) => (
            message,
            Some(
                "check the YAML syntax: `key: value` pairs, lists as [a, b], quotes around \
                 text that contains `: ` or starts with a special character"
                    .into(),
            ),
        ),
    };
    let mut diagnostic = Diagnostic::error(file, message);
    if let Some(span) = span {
        diagnostic = diagnostic.with_span(source, span);
    }
    match help {
        Some(help) => diagnostic.with_help(help),
        None => diagnostic,
    }
}

/// "unknown field `hedline`, expected one of ..." reads better as "unknown front matter key
/// `hedline`", with the nearest known key of its block as help: serde lists the keys it
/// expected, which tells the photo and correction blocks from the top level.
fn unknown_key_message(message: &str) -> Option<(String, Option<String>)> {
    let key = crate::site::config::unknown_key(message)?;
    let (name, block) = if message.contains("expected one of src, ") {
        ("photo ", Block::Photo)
    } else if message.contains("expected one of date, text") {
        ("correction ", Block::Correction)
    } else {
        ("front matter ", Block::Top)
    };
    let keys: Vec<&str> = schema::keys(block).collect();
    Some((
        format!("unknown {name}key `{key}`"),
        unknown_key_help(message, &keys),
    ))
}

/// A value of the wrong shape, as opposed to broken YAML syntax.
fn is_type_error(message: &str) -> bool {
    message.contains("expected") || message.contains("invalid")
}

/// The first tab in the leading blanks of a front matter line at or after `offset`.
fn indenting_tab(source: &str, split: &Split<'_>, offset: usize) -> Option<std::ops::Range<usize>> {
    let end = split.yaml_offset + split.yaml.len();
    let start = source[..offset].rfind('\n').map_or(0, |i| i + 1);
    let mut at = start;
    for line in source.get(start..end)?.split_inclusive('\n') {
        let blanks = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line[..blanks].find('\t') {
            return Some(at + tab..at + tab + 1);
        }
        at += line.len();
    }
    None
}

/// The whole line of `source` around `offset`.
fn line_at(source: &str, offset: usize) -> &str {
    let start = source[..offset.min(source.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let end = source[start..]
        .find('\n')
        .map_or(source.len(), |i| start + i);
    &source[start..end]
}

/// The known key written on a line, with what its value should look like.
/// The key whose value holds the line at `offset` (`dek:` above `  - Two hours`): the
/// nearest line above it that is indented less.
fn enclosing_key(
    source: &str,
    split: &Split<'_>,
    offset: usize,
) -> Option<(&'static str, &'static str)> {
    let start = split.yaml_offset;
    let offset = offset.clamp(start, start + split.yaml.len());
    let line = line_at(source, offset);
    let indent = line.len() - line.trim_start().len();
    let above = &source[start..offset];
    let above = &above[..above.rfind('\n').unwrap_or(0)];
    above
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty() && l.len() - l.trim_start().len() < indent)
        .and_then(key_on_line)
}

fn key_on_line(line: &str) -> Option<(&'static str, &'static str)> {
    let line = line.trim_start();
    // A key in a list item: `  - date: ...` in corrections.
    let line = line.strip_prefix("- ").unwrap_or(line);
    let key = line.split(':').next()?.trim();
    let known = schema::TABLE.iter().find(|k| k.name == key)?;
    Some((known.name, known.shape))
}

/// The error serde gives for `text`'s front matter, for the schema's tests.
#[cfg(test)]
pub(crate) fn raw_error(text: &str) -> Result<(), String> {
    let split = split(text).map_err(|_| "no front matter".to_string())?;
    serde_saphyr::from_str::<Raw>(split.yaml)
        .map(|_| ())
        .map_err(|err| err.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse_text(text: &str) -> Result<FrontMatter, Vec<Diagnostic>> {
        let source: Arc<str> = Arc::from(text);
        let split = split(&source).map_err(|e| vec![Diagnostic::error("a.md", e.message)])?;
        parse(Path::new("a.md"), &source, &split, &TimeZone::UTC).map_err(Diagnostics::sorted)
    }

    #[test]
    fn span_ending_inside_a_multibyte_character_does_not_panic() {
        // Minimised from fuzz/artifacts/front_matter/crash-801842d4: the photo's span ended
        // inside the four-byte character that follows the flow mapping.
        let text = "---\nheadline: \"Talks\"\ndate: 2025-0r, \"Sea\"]\n\
                    photo: {src: /a.jpg, alt: \"A quay\", credit: AP, caption: Dawn}\u{5c40d}rections:\n\
                    ---\nBody\n";
        assert!(parse_text(text).is_err());
        // From fuzz/artifacts/story/crash-48921b76: a byte-order mark inside the front matter.
        assert!(parse_text("---\n\u{feff}>>>/b>.\n---\nBody\n").is_err());
    }

    #[test]
    fn split_finds_yaml_and_body_offsets() {
        let text = "---\nheadline: x\n---\nBody\n";
        let s = split(text).unwrap();
        assert_eq!(s.yaml, "headline: x\n");
        assert_eq!(s.body, "Body\n");
        assert_eq!(&text[s.body_offset..], "Body\n");
    }

    #[test]
    fn photo_paths_on_a_computer_are_told_by_their_folder_drive_or_scheme() {
        let said = |src| computer_folder(src);
        assert_eq!(said("/Users/ana/q.jpg").as_deref(), Some("in /Users/"));
        assert_eq!(
            said("C:\\Users\\ana\\q.jpg").as_deref(),
            Some("on drive C:")
        );
        assert_eq!(said("d:/Fotos/q.jpg").as_deref(), Some("on drive D:"));
        assert_eq!(
            said("\\\\server\\photos\\q.jpg").as_deref(),
            Some("on a network share")
        );
        assert_eq!(said("FILE:///q.jpg").as_deref(), Some("a file: address"));
        for on_the_site in [
            "q.jpg",
            "/images/q.jpg",
            "https://x.org/C:/q.jpg",
            "c:q.jpg",
        ] {
            assert_eq!(said(on_the_site), None, "{on_the_site}");
        }
    }

    #[test]
    fn split_refuses_missing_fences() {
        let message = |text| split(text).unwrap_err().message;
        assert!(message("headline: x\n").contains("does not start"));
        assert!(message("---\nheadline: x\n").contains("never closed"));
    }

    #[test]
    fn fences_a_word_processor_turned_into_dashes_are_named_at_their_line() {
        for fence in ["—-", "–-", "—", "-–-"] {
            let opening = format!("{fence}\nheadline: x\n---\n");
            let unsplit = split(&opening).unwrap_err();
            assert_eq!(
                (unsplit.message, unsplit.at),
                (DASHED_FENCE, 0..fence.len())
            );
            let closing = format!("---\nheadline: x\n{fence}\nBody\n");
            let unsplit = split(&closing).unwrap_err();
            assert_eq!(unsplit.message, DASHED_FENCE);
            assert_eq!(&closing[unsplit.at], fence);
        }
        assert!(
            split("---\nheadline: x\n- - -\n")
                .unwrap_err()
                .message
                .contains("never")
        );
    }

    #[test]
    fn full_front_matter_parses() {
        let fm = parse_text(
            "---\nheadline: \"Talks\"\ndek: A dek\ndate: 2025-05-19 14:30\nauthors: [A, B]\n\
             tags: [x, y]\nphoto:\n  src: p.jpg\n  alt: A photo\n  credit: Staff\n---\nBody",
        )
        .unwrap();
        assert_eq!(fm.headline, "Talks");
        assert_eq!(fm.authors, ["A", "B"]);
        assert_eq!(
            fm.date.unwrap().to_string(),
            "2025-05-19T14:30:00+00:00[UTC]"
        );
        assert_eq!(fm.photo.unwrap().credit.as_deref(), Some("Staff"));
    }

    #[test]
    fn unknown_key_is_an_error_at_its_line_with_a_suggestion() {
        let errors = parse_text("---\nhedline: Talks\ndate: 2025-01-01\n---\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].message, "unknown front matter key `hedline`");
        assert_eq!((errors[0].line, errors[0].column), (2, 1));
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `headline`?"));
    }

    #[test]
    fn every_unknown_key_is_reported() {
        let errors = parse_text("---\nhedline: T\ndate: 2025-01-01\nauthr: A\n---\n").unwrap_err();
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 4], "{errors:?}");
        assert_eq!(errors[1].help.as_deref(), Some("did you mean `author`?"));
    }

    #[test]
    fn unknown_photo_key_suggests_a_photo_key() {
        let errors =
            parse_text("---\nheadline: T\ndate: 2025-01-01\nphoto:\n  src: p.jpg\n  atl: x\n---\n")
                .unwrap_err();
        assert_eq!(errors[0].message, "unknown photo key `atl`");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `alt`?"));
    }

    #[test]
    fn wrong_type_names_the_key_and_what_it_should_be() {
        let errors =
            parse_text("---\nheadline: T\ndate: 2025-01-01\ntags: {a: 1}\n---\n").unwrap_err();
        assert!(
            errors[0].message.starts_with("`tags` should be a list"),
            "{errors:?}"
        );
    }

    #[test]
    fn three_different_mistakes_are_all_reported_in_one_run() {
        let text = "---\nheadline: Talks\nauhtor: Lena Hartmann\ndate: March 3, 2025\n\
                    tags: Ukraine, Russia, Diplomacy\n---\nBody\n";
        let errors = parse_text(text).unwrap_err();
        let found: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.as_str()))
            .collect();
        assert_eq!(errors.len(), 3, "{found:?}");
        assert!(
            found[0].1.contains("unknown front matter key `auhtor`"),
            "{found:?}"
        );
        assert_eq!((found[1].0, found[2].0), (4, 5), "{found:?}");
        assert!(found[1].1.contains("`date`"), "{found:?}");
        assert!(
            found[2].1.starts_with("`tags` should be a list"),
            "{found:?}"
        );
    }

    #[test]
    fn a_broken_headline_is_not_also_a_missing_one() {
        let text = "---\nheadline: [unclosed\ndate: 2025-05-19\n---\nBody\n";
        let errors = parse_text(text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 2, "{errors:?}");
    }

    #[test]
    fn blanking_keeps_every_position() {
        let yaml = "headline: Ünï\ndate: x\ntags:\n- a\n";
        let entries = top_level_entries(yaml);
        let keys: Vec<&str> = entries.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["headline", "date", "tags"]);
        let kept = keep_only(yaml, &[entries[2].1.clone()]);
        assert_eq!(kept.len(), yaml.len());
        assert_eq!(kept.lines().count(), yaml.lines().count());
        assert!(kept.ends_with("tags:\n- a\n"));
    }

    #[test]
    fn a_photo_source_that_is_no_web_address_is_an_error() {
        for src in [
            "file:///etc/passwd",
            "ftp://host/p.jpg",
            "javascript:alert(1)",
            "/etc/passwd",
            "/Users/ana/Pictures/quay.jpg",
            "C:/Users/ana/quay.jpg",
        ] {
            let text = format!(
                "---\nheadline: T\ndate: 2025-01-01\nphoto:\n  src: \"{src}\"\n  alt: A\n---\n"
            );
            let errors = parse_text(&text).unwrap_err();
            let message = &errors[0].message;
            assert!(
                message.contains("is not an image URL") || message.contains("on a computer"),
                "{src}: {errors:?}"
            );
        }
        for src in [
            "https://cdn.example.org/p.jpg",
            "HTTP://x.org/p.jpg",
            "//cdn/p.jpg",
            "p.jpg",
        ] {
            let text = format!(
                "---\nheadline: T\ndate: 2025-01-01\nphoto:\n  src: \"{src}\"\n  alt: A\n---\n"
            );
            assert!(parse_text(&text).is_ok(), "{src}");
        }
    }

    #[test]
    fn a_story_with_more_tags_than_any_story_needs_is_an_error_at_the_list() {
        let tags: Vec<String> = (0..4000).map(|n| format!("tag {n}")).collect();
        let text = format!(
            "---\nheadline: T\ndate: 2025-01-01\ntags: [{}]\n---\n",
            tags.join(", ")
        );
        let errors = parse_text(&text).unwrap_err();
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(
            errors[0].message,
            "this story has 4000 tags; a story can have at most 100"
        );
        assert_eq!(errors[0].line, 4);
        let hundred = &tags[..100].join(", ");
        let text = format!("---\nheadline: T\ndate: 2025-01-01\ntags: [{hundred}]\n---\n");
        assert!(parse_text(&text).is_ok());
    }

    #[test]
    fn tags_without_letters_are_refused_at_their_line() {
        let errors = parse_text("---\nheadline: T\ndate: 2025-01-01\ntags: [\"¿?\", Real]\n---\n")
            .unwrap_err();
        assert_eq!(errors[0].line, 4, "{errors:?}");
        assert!(errors[0].message.contains("`¿?`"), "{errors:?}");
    }

    #[test]
    fn bad_date_and_photo_without_alt_are_both_reported() {
        let errors = parse_text("---\nheadline: T\ndate: 2025-13-45\nphoto:\n  src: p.jpg\n---\n")
            .unwrap_err();
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert_eq!(errors[0].line, 3);
        assert!(errors[0].message.contains("not a valid date"));
        assert!(errors[1].message.contains("no `alt`"));
    }

    #[test]
    fn wrong_types_in_corrections_name_their_key() {
        let errors =
            parse_text("---\nheadline: T\ndate: 2025-01-01\ncorrections: oops\n---\n").unwrap_err();
        assert!(
            errors[0]
                .message
                .starts_with("`corrections` should be a list"),
            "{}",
            errors[0].message
        );
        let errors = parse_text(
            "---\nheadline: T\ndate: 2025-01-01\ncorrections:\n  - date: [2025]\n    text: x\n---\n",
        )
        .unwrap_err();
        assert!(
            errors[0].message.starts_with("`date` should be a date"),
            "{}",
            errors[0].message
        );
        assert_eq!(errors[0].line, 5);
    }

    #[test]
    fn unknown_keys_in_the_photo_and_corrections_suggest_their_own_keys() {
        let errors = parse_text(
            "---\nheadline: T\ndate: 2025-01-01\nphoto: {src: a.jpg, alt: A, credt: X}\n---\n",
        )
        .unwrap_err();
        assert_eq!(errors[0].message, "unknown photo key `credt`");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `credit`?"));
        let errors = parse_text(
            "---\nheadline: T\ndate: 2025-01-01\ncorrections: [{date: 2025-01-02, txt: X}]\n---\n",
        )
        .unwrap_err();
        assert_eq!(errors[0].message, "unknown correction key `txt`");
        assert_eq!(errors[0].help.as_deref(), Some("did you mean `text`?"));
    }

    #[test]
    fn corrections_and_redirects_parse_with_their_positions() {
        let fm = parse_text(
            "---\nheadline: T\ndate: 2025-01-01\nupdated: 2025-01-03\ncorrections:\n  - {date: 2025-01-02, text: A}\n  - {date: 2025-01-04, text: B}\nredirect_from: [/old, /older/]\n---\n",
        )
        .unwrap();
        assert_eq!(fm.corrections.len(), 2);
        assert_eq!(fm.corrections[1].text, "B");
        assert_eq!(
            fm.last_modified().unwrap().to_string(),
            "2025-01-04T00:00:00+00:00[UTC]",
            "the newest correction is later than `updated`"
        );
        let paths: Vec<&str> = fm.redirect_from.iter().map(|r| r.path.as_str()).collect();
        assert_eq!(paths, ["/old/", "/older/"]);
    }

    #[test]
    fn an_older_correction_does_not_move_the_update_date() {
        let fm = parse_text(
            "---\nheadline: T\ndate: 2025-01-01\nupdated: 2025-01-05\ncorrections: [{date: 2025-01-02, text: A}]\n---\n",
        )
        .unwrap();
        assert_eq!(fm.last_modified(), fm.updated.as_ref());
    }

    #[test]
    fn wrong_type_is_reported_in_the_file() {
        let errors =
            parse_text("---\nheadline: T\ndate: 2025-01-01\ntags: {a: 1}\n---\n").unwrap_err();
        assert_eq!(errors[0].line, 4, "{errors:?}");
    }

    #[test]
    fn dates_in_every_accepted_form() {
        let lisbon = TimeZone::get("Europe/Lisbon").unwrap();
        let summer = parse_date("2025-07-01 09:05", &lisbon).unwrap();
        assert_eq!(summer.offset().to_string(), "+01");
        assert_eq!(parse_date("2025-07-01", &lisbon).unwrap().hour(), 0);
        let utc = parse_date("2025-07-01T09:05:00Z", &lisbon).unwrap();
        assert_eq!(utc.hour(), 10);
        assert!(parse_date("yesterday", &lisbon).is_none());
    }

    #[test]
    fn pages_need_no_date_but_stories_do() {
        assert!(parse_text("---\nheadline: About\nlayout: page\n---\n").is_ok());
        let errors = parse_text("---\nheadline: Story\n---\n").unwrap_err();
        assert!(errors[0].message.contains("no `date`"));
    }

    #[test]
    fn decorative_photo_with_empty_alt_is_allowed() {
        let fm =
            parse_text("---\nheadline: T\ndate: 2025-01-01\nphoto: {src: a.jpg, alt: \"\"}\n---\n")
                .unwrap();
        assert_eq!(fm.photo.unwrap().alt, "");
    }

    #[test]
    fn script_urls_are_refused_as_photos() {
        let errors = parse_text(
            "---\nheadline: T\ndate: 2025-01-01\nphoto: {src: \"javascript:alert(1)\", alt: x}\n---\n",
        )
        .unwrap_err();
        assert!(errors[0].message.contains("not an image URL"));
    }
}
