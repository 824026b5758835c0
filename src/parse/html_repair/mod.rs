//! Raw HTML in a story, read as browsers read it and written back balanced, so that no tag a
//! story leaves open can swallow the page around it (its footer, the support appeal).
//!
//! The body's HTML (what Dateline wrote for the Markdown, with the story's own tags in between)
//! goes through html5ever, the HTML5 parser of the Servo project: the tree it builds is what a
//! browser would build, and writing that tree back gives HTML in which every element is closed.
//! On that tree the repair then writes obsolete HTML the modern way (`<tt>` as `<code>`,
//! `<a name>` as an id), drops what no HTML allows (Word's `<o:p>`, `<font>`) keeping its text,
//! and puts list items found outside a list into one. Then each element is put where HTML allows
//! it (`model`: a `<div>` in a `<span>`, text in a `<ul>`, a button in a link), each id is made
//! unique on the page and each image given a source (`attrs`), so that the page passes the HTML
//! checker. Every repair is a warning at the story's own tag, in the `.md` file.
//!
//! Only bodies with raw HTML come here: the Markdown alone is always balanced.

mod attrs;
mod model;
mod obsolete;
mod tree;

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, LocalName, ParseOpts, QualName, local_name, ns};
use rustc_hash::FxHashSet as HashSet;

use crate::diagnostic::{Diagnostic, Diagnostics, line_column};
use obsolete::Fate;
use tree::{Arena, Census, Children, Closed, Feed, Kind, Made, Sink, TagAt};

/// Where a stretch of the body's HTML comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// Written in the story, at this byte offset of the file's text. `exact` when the HTML is
    /// the file's text byte for byte (not an HTML block inside a quote, whose `>` marks the
    /// Markdown parser took out).
    Raw { at: usize, exact: bool },
    /// Written by Dateline for the Markdown at this offset; `ends` names the Markdown element it
    /// ends, for messages ("the end of the paragraph").
    Markdown {
        at: usize,
        ends: Option<&'static str>,
    },
}

/// A stretch of the body's HTML, from `start` to the next segment's start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Segment {
    pub start: usize,
    pub origin: Origin,
}

/// The story file the HTML came from, for locating warnings.
pub(crate) struct File<'a> {
    pub display: &'a Path,
    pub text: &'a Arc<str>,
}

/// The body's HTML balanced and cleaned, with a warning for every repair (and an error for
/// what cannot be repaired without losing the story's text).
pub(crate) fn repair(html: &str, segments: &[Segment], file: &File<'_>) -> (String, Diagnostics) {
    let mut repair = Repair {
        html,
        segments,
        file,
        found: Vec::new(),
        quiet: false,
        ids: HashSet::default(),
    };
    if let Some(open) = unclosed_comment(html)
        && repair.is_raw(open)
    {
        repair.found.push(Found {
            error: true,
            at: open,
            message: "the comment `<!--` is never closed: the rest of the story would be hidden inside it".to_string(),
            help: "end the comment with `-->`, or remove it",
        });
    }
    let (mut arena, strays) = match parse(html, segments) {
        Ok(parsed) => parsed,
        Err(at) => {
            repair.found.push(Found {
                error: true,
                at,
                message: format!("the HTML here is nested more than {MAX_HELD} elements deep"),
                help: "close the tags this story opens; no page nests so deep, and browsers give up on it",
            });
            return (String::new(), repair.diagnostics());
        }
    };
    for tag in strays {
        if !repair.is_raw(tag.start) {
            continue;
        }
        let name = html
            .get(tag.name.0..tag.name.1)
            .unwrap_or("")
            .to_ascii_lowercase();
        let message = match tag.end_tag {
            true => format!("stray `</{name}>` removed: nothing it closes is open"),
            false => format!("`<{name}>` outside a table: dropped, its text kept"),
        };
        repair.warn(tag.start, message, HELP_CLOSE);
    }
    repair.fix(&mut arena);
    (write(&arena), repair.diagnostics())
}

/// The same repair, without locations: for a teaser cut out of a repaired body.
pub(crate) fn balance(html: &str) -> String {
    let text: Arc<str> = Arc::from("");
    let file = File {
        display: Path::new(""),
        text: &text,
    };
    let segment = Segment {
        start: 0,
        origin: Origin::Raw {
            at: 0,
            exact: false,
        },
    };
    repair(html, &[segment], &file).0
}

/// How many elements the parser may hold open (with those it keeps to re-open) before the body
/// is refused: each piece costs a count of them, so hostile nesting must not grow unbounded.
/// Browsers stop nesting at 512.
const MAX_HELD: usize = 1024;

/// Feeds the HTML to html5ever piece by piece (each piece ends at a `>` or a segment's end), so
/// that the sink knows which tag each of the parser's steps comes from. Returns the tree and the
/// tags it dropped (end tags that closed nothing, table parts outside a table); or where the
/// HTML nests too deep.
fn parse(html: &str, segments: &[Segment]) -> Result<(Arena, Vec<TagAt>), usize> {
    let mut strays = Vec::new();
    let census = Census::default();
    let context = QualName::new(None, ns!(html), local_name!("div"));
    let mut parser = html5ever::parse_fragment(
        Sink::new(html),
        ParseOpts::default(),
        context,
        vec![],
        false,
    );
    let mut last_open = 0;
    for (index, segment) in segments.iter().enumerate() {
        let end = segments
            .get(index + 1)
            .map_or(html.len(), |next| next.start);
        let Some(text) = html.get(segment.start..end) else {
            continue;
        };
        let mut start = segment.start;
        for piece in text.split_inclusive('>') {
            if let Some(open) = piece.rfind('<') {
                last_open = start + open;
            }
            let end = start + piece.len();
            let tag = piece
                .ends_with('>')
                .then(|| tag_at(html, last_open, end))
                .flatten();
            let sink = &parser.tokenizer.sink.sink;
            sink.feed.set(Feed { end, tag });
            sink.closed_own.set(false);
            sink.made_stray.set(false);
            sink.made_own.set(false);
            let errors = sink.errors.get();
            parser.process(StrTendril::from_slice(piece));
            if piece.ends_with('>') {
                census.next();
                parser.tokenizer.sink.trace_handles(&census);
                parser.tokenizer.sink.sink.settle(&census);
                if census.held.get() > MAX_HELD {
                    return Err(last_open);
                }
            }
            let sink = &parser.tokenizer.sink.sink;
            if let Some(tag) = tag
                && tag.end_tag
                && sink.errors.get() > errors
                && !sink.closed_own.get()
                && !sink.made_stray.get()
            {
                strays.push(tag);
            }
            if let Some(tag) = tag
                && !tag.end_tag
                && sink.errors.get() > errors
                && !sink.made_own.get()
                && html
                    .get(tag.name.0..tag.name.1)
                    .is_some_and(obsolete::is_table_part)
            {
                strays.push(tag);
            }
            start = end;
        }
    }
    Ok((parser.finish(), strays))
}

/// Where a `<!--` opens a comment that no `-->` closes, if one does.
fn unclosed_comment(html: &str) -> Option<usize> {
    let mut from = 0;
    loop {
        let open = from + html.get(from..)?.find("<!--")?;
        // `<!-->` and `<!--->` are comments that end where they start.
        let body = open + 2;
        match html.get(body..)?.find("-->") {
            Some(close) => from = body + close + 3,
            None => return Some(open),
        }
    }
}

/// The tag written from `start` (a `<`) to `end` (after its `>`), if it is one.
fn tag_at(html: &str, start: usize, end: usize) -> Option<TagAt> {
    let text = html.get(start..end)?;
    let rest = text.strip_prefix('<')?;
    let (end_tag, rest) = match rest.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, rest),
    };
    if !rest.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let length = rest
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(rest.len());
    let name_start = end - rest.len();
    Some(TagAt {
        start,
        name: (name_start, name_start + length),
        end_tag,
    })
}

fn write(arena: &Arena) -> String {
    let mut out = Vec::new();
    let children = Children {
        arena,
        root: arena.top(),
    };
    // Writing into memory cannot fail, and html5ever writes only UTF-8.
    let _ = html5ever::serialize(&mut out, &children, Default::default());
    String::from_utf8(out)
        .unwrap_or_else(|err| String::from_utf8_lossy(err.as_bytes()).into_owned())
}

/// One repair found, before repairs of the same kind in one story are counted together.
struct Found {
    error: bool,
    /// The HTML offset of the tag it is about.
    at: usize,
    message: String,
    help: &'static str,
}

struct Repair<'a> {
    html: &'a str,
    segments: &'a [Segment],
    file: &'a File<'a>,
    found: Vec<Found>,
    /// Repairs made now are not reported (they repeat one that was).
    quiet: bool,
    /// The ids of the body's elements: an `<a name>` becomes an id only if it is free.
    ids: HashSet<String>,
}

const HELP_CLOSE: &str = "close the tag where it should end, or remove it";
const HELP_OBSOLETE: &str =
    "the page is published with the modern form; write that in the story to silence this";
const HELP_WORD: &str =
    "text pasted from Word carries its markup: paste as plain text, or remove the tags";
const HELP_LIST: &str =
    "put list items in a list: `<ul>` or `<ol>` around them, or Markdown's `- item`";

impl Repair<'_> {
    fn fix(&mut self, arena: &mut Arena) {
        let mut loose_items = Vec::new();
        self.ids = ids(arena);
        for id in elements(arena) {
            let Some(element) = arena.element(id) else {
                continue;
            };
            let name = element.name.local.to_string();
            let html_element = element.name.ns == ns!(html);
            let (made, closed) = (element.made, element.closed);
            match made {
                // `</br>` is read as `<br>`, as browsers do; `</p>` as an empty paragraph, which
                // goes.
                Made::StrayEnd(at) if name == "br" => {
                    if self.is_raw(at) {
                        self.warn(
                            at,
                            "`</br>` is not a tag: written as `<br>`".to_string(),
                            HELP_CLOSE,
                        );
                    }
                    continue;
                }
                Made::StrayEnd(at) => {
                    if self.is_raw(at) {
                        self.warn(
                            at,
                            format!("stray `</{name}>` removed: nothing it closes is open"),
                            HELP_CLOSE,
                        );
                    }
                    if arena.nodes[id].first.is_none() {
                        arena.detach(id);
                    }
                    continue;
                }
                // A tag left open is closed where the parser closed it (as the warning about
                // it says), not re-opened in every paragraph that follows.
                Made::Reopened => {
                    arena.unwrap(id);
                    continue;
                }
                // A copy the parser made of a story's formatting tag (splitting `<b>` around a
                // block) is repaired like the tag, which was reported.
                Made::Parser if html_element && obsolete::is_formatting(&name) => {
                    self.quiet = true;
                    if !self.element(arena, id, 0, &name) {
                        self.attributes(arena, id, 0);
                        if name == "a" && in_link(arena, id) {
                            arena.unwrap(id);
                        }
                    }
                    self.quiet = false;
                    continue;
                }
                Made::Parser => continue,
                Made::Tag(at) if !self.is_raw(at) => {
                    self.interrupted(&name, closed);
                    continue;
                }
                Made::Tag(at) => {
                    self.unclosed(at, &name, closed);
                    if !html_element {
                        continue;
                    }
                    if self.element(arena, id, at, &name) {
                        continue;
                    }
                    if name == "a" && in_link(arena, id) {
                        self.warn(
                            at,
                            "a link inside a link: the inner `<a>` dropped, its text kept"
                                .to_string(),
                            HELP_CLOSE,
                        );
                        arena.unwrap(id);
                        continue;
                    }
                    self.attributes(arena, id, at);
                    if name == "li" && !in_list(arena, id) {
                        loose_items.push((id, at));
                    }
                }
            }
        }
        self.wrap_items(arena, &loose_items);
        self.content_model(arena);
        self.unique_ids(arena);
    }

    /// A paragraph, link or emphasis of the Markdown that a story's tag ended early: `<div>` in
    /// the middle of a paragraph ends the paragraph there.
    fn interrupted(&mut self, name: &str, closed: Closed) {
        let Closed::By { tag: Some(tag), .. } = closed else {
            return;
        };
        if tag.end_tag || !self.is_raw(tag.start) {
            return;
        }
        let what = match name {
            "p" => "a paragraph",
            "em" => "emphasis",
            "strong" => "bold text",
            "a" => "a link",
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => "a heading",
            "li" => "a list item",
            _ => return,
        };
        let tag_name = self
            .html
            .get(tag.name.0..tag.name.1)
            .unwrap_or("")
            .to_ascii_lowercase();
        self.warn(
            tag.start,
            format!(
                "`<{tag_name}>` cannot be inside {what}: the {} ends before it",
                what.trim_start_matches("a ")
            ),
            "put the HTML block on lines of its own, with blank lines around it",
        );
    }

    /// An unclosed tag: a warning, or an error when its text would swallow the rest of the
    /// story (`<script>`, `<iframe>`, `<textarea>` read everything up to their end tag as text).
    fn unclosed(&mut self, at: usize, name: &str, closed: Closed) {
        if name == "p" {
            self.paragraph_ended(closed);
        }
        if closed == Closed::Own || obsolete::is_void(name) || obsolete::end_tag_optional(name) {
            return;
        }
        let swallows = matches!(
            name,
            "script"
                | "style"
                | "iframe"
                | "textarea"
                | "title"
                | "noscript"
                | "xmp"
                | "noembed"
                | "noframes"
                | "plaintext"
                // Shown only on demand, or not at all, in a browser that plays or runs them.
                | "template"
                | "dialog"
                | "details"
                | "select"
                | "object"
                | "video"
                | "audio"
                | "canvas"
        );
        let heading = matches!(name, "h1" | "h2" | "h3" | "h4" | "h5" | "h6");
        if (swallows || heading) && closed == Closed::Open {
            let message = match heading {
                true => format!(
                    "`<{name}>` is never closed: the rest of the story would be one heading"
                ),
                false => format!(
                    "`<{name}>` is never closed: the rest of the story would be hidden inside it"
                ),
            };
            self.found.push(Found {
                error: true,
                at,
                message,
                help: "add its end tag where it should end",
            });
            return;
        }
        let by = self.closer(closed);
        self.warn(
            at,
            format!("`<{name}>` is never closed; Dateline closed it {by}"),
            HELP_CLOSE,
        );
    }

    /// A story's `<p>` ended by a block the story starts inside it (`<p>Intro <ul>`), as
    /// browsers end it: the paragraph ends before the block.
    fn paragraph_ended(&mut self, closed: Closed) {
        let Closed::By { tag: Some(tag), .. } = closed else {
            return;
        };
        if tag.end_tag || !self.is_raw(tag.start) {
            return;
        }
        let name = self
            .html
            .get(tag.name.0..tag.name.1)
            .unwrap_or("")
            .to_ascii_lowercase();
        if name == "p" {
            return;
        }
        self.warn(
            tag.start,
            format!("`<{name}>` cannot be inside `<p>`: the paragraph ends before it"),
            "end the paragraph with `</p>` before the block starts",
        );
    }

    /// Where an element was closed, in words.
    fn closer(&self, closed: Closed) -> String {
        match closed {
            Closed::Open | Closed::Own => "at the end of the story".to_string(),
            Closed::By { tag, at } => {
                if let Some(tag) = tag
                    && self.is_raw(tag.start)
                {
                    let name = self.html.get(tag.name.0..tag.name.1).unwrap_or("");
                    let slash = if tag.end_tag { "/" } else { "" };
                    let (line, column) = self.line_column(tag.start);
                    return format!(
                        "at the `<{slash}{}>` at {line}:{column}",
                        name.to_ascii_lowercase()
                    );
                }
                match self.segment(at.saturating_sub(1)).map(|s| s.origin) {
                    Some(Origin::Markdown {
                        ends: Some(what), ..
                    }) => format!("at the end of the {what}"),
                    _ => {
                        let (line, column) = self.line_column(at.saturating_sub(1));
                        format!("at {line}:{column}")
                    }
                }
            }
        }
    }

    /// Obsolete, unknown and Office elements. Returns whether the element was removed.
    fn element(&mut self, arena: &mut Arena, id: usize, at: usize, name: &str) -> bool {
        if let Some((prefix, _)) = name.split_once(':') {
            let who = match prefix {
                "o" | "w" | "v" | "m" | "st1" | "st2" => "Word's",
                _ => "Office",
            };
            self.warn(
                at,
                format!("{who} `<{name}>` dropped, its text kept"),
                HELP_WORD,
            );
            arena.unwrap(id);
            return true;
        }
        match obsolete::obsolete(name) {
            Some(Fate::Unwrap) => {
                self.warn(
                    at,
                    format!("`<{name}>` is obsolete HTML: dropped, its text kept"),
                    HELP_OBSOLETE,
                );
                arena.unwrap(id);
                true
            }
            Some(Fate::Rename(new, style)) => {
                let written = match style {
                    Some(style) => format!("`<{new} style=\"{style}\">`"),
                    None => format!("`<{new}>`"),
                };
                self.warn(
                    at,
                    format!("`<{name}>` is obsolete HTML: written as {written}"),
                    HELP_OBSOLETE,
                );
                if let Some(element) = arena.element_mut(id) {
                    element.name = QualName::new(None, ns!(html), LocalName::from(new));
                    if let Some(style) = style {
                        add_style(&mut element.attrs, style);
                    }
                }
                false
            }
            None if !obsolete::is_html(name) && !name.contains('-') => {
                self.warn(
                    at,
                    format!("`<{name}>` is not an HTML element: dropped, its text kept"),
                    HELP_CLOSE,
                );
                arena.unwrap(id);
                true
            }
            None => false,
        }
    }

    /// `<a name>` as an id, obsolete attributes dropped, Word's own styles dropped, and images
    /// without a text alternative refused.
    fn attributes(&mut self, arena: &mut Arena, id: usize, at: usize) {
        let is_image = arena.element(id).is_some_and(|e| &*e.name.local == "img");
        if is_image && self.image_source(arena, id, at) {
            return;
        }
        let Some(element) = arena.element_mut(id) else {
            return;
        };
        let name = element.name.local.to_string();
        let attrs = &mut element.attrs;
        if name == "a"
            && let Some(index) = attrs.iter().position(|a| &*a.name.local == "name")
        {
            let anchor = attrs.remove(index);
            let has_id = attrs.iter().any(|a| &*a.name.local == "id");
            let usable = !anchor.value.is_empty() && !anchor.value.contains(char::is_whitespace);
            if !has_id && usable && !self.quiet && self.ids.insert(anchor.value.to_string()) {
                attrs.push(Attribute {
                    name: QualName::new(None, ns!(), local_name!("id")),
                    value: anchor.value,
                });
                self.warn(
                    at,
                    "`<a name>` is obsolete HTML: written as `<a id>`".to_string(),
                    HELP_OBSOLETE,
                );
            } else {
                self.warn(
                    at,
                    "`<a name>` is obsolete HTML: dropped (an id is the anchor now)".to_string(),
                    HELP_OBSOLETE,
                );
            }
        }
        let mut dropped: Vec<String> = Vec::new();
        attrs.retain(|a| {
            let keep = a.name.ns != ns!() || !obsolete::obsolete_attribute(&name, &a.name.local);
            if !keep {
                dropped.push(format!("`{}`", a.name.local));
            }
            keep
        });
        if !dropped.is_empty() {
            self.warn(
                at,
                format!(
                    "obsolete HTML attributes dropped from `<{name}>`: {}",
                    dropped.join(", ")
                ),
                HELP_OBSOLETE,
            );
        }
        if let Some(style) = attrs.iter_mut().find(|a| &*a.name.local == "style")
            && let Some(kept) = without_office_styles(&style.value)
        {
            style.value = StrTendril::from_slice(&kept);
            self.warn(
                at,
                format!("Word's `mso-` styles dropped from `<{name}>`"),
                HELP_WORD,
            );
        }
        if name == "img" && !attrs.iter().any(|a| &*a.name.local == "alt") {
            self.found.push(Found {
                error: true,
                at,
                message: "the image has no alt text".to_string(),
                help: "describe the image in `alt=\"...\"` for readers who cannot see it, or write `alt=\"\"` if it is only decoration",
            });
        }
    }

    /// Puts each run of list items that sit outside a list into a `<ul>`.
    fn wrap_items(&mut self, arena: &mut Arena, items: &[(usize, usize)]) {
        let mut list: Option<usize> = None;
        for &(id, at) in items {
            let follows = list.is_some_and(|list| previous_element(arena, id) == Some(list));
            let target = match (follows, list) {
                (true, Some(list)) => list,
                _ => {
                    self.warn(
                        at,
                        "`<li>` outside a list: Dateline put it in a `<ul>`".to_string(),
                        HELP_LIST,
                    );
                    let ul = arena.add(Kind::Element(tree::Element {
                        name: QualName::new(None, ns!(html), local_name!("ul")),
                        attrs: Vec::new(),
                        made: Made::Parser,
                        closed: Closed::Own,
                        contents: None,
                        listed: false,
                    }));
                    arena.insert_before(id, ul);
                    ul
                }
            };
            // Whitespace between the items goes into the list with them.
            while let Some(prev) = arena.nodes[id].prev
                && prev != target
                && matches!(&arena.nodes[prev].kind, Kind::Text(t) if t.trim().is_empty())
            {
                arena.append_child(target, prev);
            }
            arena.append_child(target, id);
            list = Some(target);
        }
    }

    fn warn(&mut self, at: usize, message: String, help: &'static str) {
        if self.quiet {
            return;
        }
        self.found.push(Found {
            error: false,
            at,
            message,
            help,
        });
    }

    fn segment(&self, at: usize) -> Option<&Segment> {
        let index = self.segments.partition_point(|s| s.start <= at);
        self.segments.get(index.checked_sub(1)?)
    }

    fn is_raw(&self, at: usize) -> bool {
        matches!(self.segment(at).map(|s| s.origin), Some(Origin::Raw { .. }))
    }

    /// The byte offset in the file of the HTML at `at`.
    fn source(&self, at: usize) -> usize {
        match self.segment(at) {
            Some(Segment {
                start,
                origin:
                    Origin::Raw {
                        at: source,
                        exact: true,
                    },
            }) => source + (at - start),
            Some(Segment {
                origin: Origin::Raw { at, .. } | Origin::Markdown { at, .. },
                ..
            }) => *at,
            None => 0,
        }
    }

    fn line_column(&self, at: usize) -> (usize, usize) {
        line_column(self.file.text, self.source(at))
    }

    /// The file's text of the tag at `at`: to its `>`, on its line.
    fn span(&self, at: usize) -> Range<usize> {
        let start = self.source(at).min(self.file.text.len());
        let rest = self.file.text.get(start..).unwrap_or("");
        let length = rest.find(['>', '\n']).map_or(rest.len(), |end| {
            end + usize::from(rest[end..].starts_with('>'))
        });
        start..start + length.max(1).min(rest.len())
    }

    /// The repairs as diagnostics; the same repair made many times in one story (a Word table's
    /// every cell) is one warning, at its first place, with the count.
    fn diagnostics(mut self) -> Diagnostics {
        let mut counted: Vec<(Found, usize)> = Vec::new();
        for found in std::mem::take(&mut self.found) {
            match counted
                .iter_mut()
                .find(|(first, _)| first.message == found.message)
            {
                Some((_, count)) => *count += 1,
                None => counted.push((found, 0)),
            }
        }
        counted
            .into_iter()
            .map(|(found, more)| {
                let message = match more {
                    0 => found.message.clone(),
                    more => format!("{} (and {more} more like it in this story)", found.message),
                };
                let diagnostic = match found.error {
                    true => Diagnostic::error(self.file.display, message),
                    false => Diagnostic::warning(self.file.display, message),
                };
                diagnostic
                    .with_span(self.file.text, self.span(found.at))
                    .with_help(found.help)
            })
            .collect()
    }
}

/// Every element under the fragment's root, in document order (children before the elements
/// that follow their parent), without recursion.
fn elements(arena: &Arena) -> Vec<usize> {
    let mut order = Vec::new();
    let mut stack: Vec<usize> = arena.children(arena.top()).into_iter().rev().collect();
    while let Some(id) = stack.pop() {
        if let Some(element) = arena.element(id) {
            order.push(id);
            let parent = element.contents.unwrap_or(id);
            stack.extend(arena.children(parent).into_iter().rev());
        }
    }
    order
}

/// The ids the body's elements already have.
fn ids(arena: &Arena) -> HashSet<String> {
    elements(arena)
        .into_iter()
        .filter_map(|id| arena.element(id))
        .flat_map(|element| &element.attrs)
        .filter(|attr| &*attr.name.local == "id")
        .map(|attr| attr.value.to_string())
        .collect()
}

/// Whether `id` sits inside an `<a>`: a link in a link, which HTML does not allow and which
/// would not read back the same.
fn in_link(arena: &Arena, id: usize) -> bool {
    let mut parent = arena.nodes[id].parent;
    while let Some(node) = parent {
        if arena
            .element(node)
            .is_some_and(|e| e.name.ns == ns!(html) && &*e.name.local == "a")
        {
            return true;
        }
        parent = arena.nodes[node].parent;
    }
    false
}

fn in_list(arena: &Arena, id: usize) -> bool {
    let parent = arena.nodes[id].parent.and_then(|p| arena.element(p));
    parent.is_some_and(|p| matches!(&*p.name.local, "ul" | "ol" | "menu"))
}

/// Whether text is only the whitespace HTML allows anywhere (not `&nbsp;`, which is text).
fn is_blank(text: &str) -> bool {
    text.bytes().all(|b| b.is_ascii_whitespace())
}

/// The element just before `id`, past whitespace.
fn previous_element(arena: &Arena, id: usize) -> Option<usize> {
    let mut prev = arena.nodes[id].prev;
    while let Some(node) = prev {
        match &arena.nodes[node].kind {
            Kind::Text(text) if text.trim().is_empty() => prev = arena.nodes[node].prev,
            Kind::Element(_) => return Some(node),
            _ => return None,
        }
    }
    None
}

fn add_style(attrs: &mut Vec<Attribute>, style: &str) {
    match attrs.iter_mut().find(|a| &*a.name.local == "style") {
        Some(existing) => {
            let joined = format!("{style}; {}", existing.value);
            existing.value = StrTendril::from_slice(&joined);
        }
        None => attrs.push(Attribute {
            name: QualName::new(None, ns!(), local_name!("style")),
            value: StrTendril::from_slice(style),
        }),
    }
}

/// A `style` without Word's own `mso-` properties (which no browser knows and the HTML checker
/// refuses), or `None` when it has none.
fn without_office_styles(style: &str) -> Option<String> {
    let is_office = |declaration: &str| {
        declaration
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("mso-")
    };
    if !style.split(';').any(is_office) {
        return None;
    }
    let kept: Vec<&str> = style
        .split(';')
        .filter(|d| !is_office(d) && !d.trim().is_empty())
        .map(str::trim)
        .collect();
    Some(kept.join("; "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Repairs `html` as if a story were nothing but it, so positions are the HTML's own.
    pub(super) fn check(html: &str) -> (String, Vec<Diagnostic>) {
        let text: Arc<str> = Arc::from(html);
        let file = File {
            display: Path::new("a.md"),
            text: &text,
        };
        let segment = Segment {
            start: 0,
            origin: Origin::Raw { at: 0, exact: true },
        };
        let (html, diagnostics) = repair(html, &[segment], &file);
        (html, diagnostics.sorted())
    }

    fn messages(diagnostics: &[Diagnostic]) -> Vec<String> {
        diagnostics
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn an_unclosed_div_is_closed_at_the_end_and_reported_at_its_tag() {
        let (html, found) = check("<p>One</p>\n<div class=\"box\">Two\n<p>Three</p>");
        assert_eq!(
            html,
            "<p>One</p>\n<div class=\"box\">Two\n<p>Three</p></div>"
        );
        assert_eq!(
            messages(&found),
            ["2:1 `<div>` is never closed; Dateline closed it at the end of the story"]
        );
        assert!(!found[0].is_error());
    }

    #[test]
    fn an_unclosed_span_is_closed_by_the_tag_that_ends_its_block() {
        let (html, found) = check("<div>a <span>b</div>c");
        assert_eq!(html, "<div>a <span>b</span></div>c");
        assert_eq!(
            messages(&found),
            ["1:8 `<span>` is never closed; Dateline closed it at the `</div>` at 1:15"]
        );
    }

    #[test]
    fn a_bold_tag_left_open_is_not_reopened_in_the_next_paragraph() {
        let (html, found) = check("<p>a <b>bold</p><p>plain</p>");
        assert_eq!(html, "<p>a <b>bold</b></p><p>plain</p>");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn stray_end_tags_are_removed_and_reported() {
        let (html, found) = check("a</div> b</span> c</p> d</br>");
        assert_eq!(html, "a b c d<br>");
        assert_eq!(
            messages(&found),
            [
                "1:2 stray `</div>` removed: nothing it closes is open",
                "1:10 stray `</span>` removed: nothing it closes is open",
                "1:19 stray `</p>` removed: nothing it closes is open",
                "1:25 `</br>` is not a tag: written as `<br>`",
            ]
        );
    }

    #[test]
    fn obsolete_elements_are_written_the_modern_way_with_their_text() {
        let (html, found) = check(
            "<tt>x</tt> <font face=\"Arial\" color=red>y</font> <center>z</center> <strike>w</strike>",
        );
        assert_eq!(
            html,
            "<code>x</code> y <div style=\"text-align: center\">z</div> <s>w</s>"
        );
        assert_eq!(found.len(), 4, "{found:?}");
        assert!(
            found[0]
                .message
                .contains("`<tt>` is obsolete HTML: written as `<code>`")
        );
        assert!(
            found[1]
                .message
                .contains("`<font>` is obsolete HTML: dropped, its text kept")
        );
    }

    #[test]
    fn word_markup_is_dropped_and_its_text_kept() {
        let (html, found) = check(
            "<p class=MsoNormal style='mso-bidi-font-size:12pt; color: red'>Text<o:p>&nbsp;</o:p> <st1:place>Kyiv</st1:place></p>",
        );
        assert_eq!(
            html,
            "<p class=\"MsoNormal\" style=\"color: red\">Text&nbsp; Kyiv</p>"
        );
        assert_eq!(
            messages(&found),
            [
                "1:1 Word's `mso-` styles dropped from `<p>`",
                "1:68 Word's `<o:p>` dropped, its text kept",
                "1:86 Word's `<st1:place>` dropped, its text kept",
            ]
        );
    }

    #[test]
    fn a_name_becomes_an_id() {
        let (html, found) = check("<a name=\"vote\">The vote</a> <a name=\"two words\">x</a>");
        assert_eq!(html, "<a id=\"vote\">The vote</a> <a>x</a>");
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn list_items_outside_a_list_are_put_in_one() {
        let (html, found) = check("<p>Intro</p>\n<li>one</li>\n<li>two</li>\n<p>Then</p><li>three");
        assert_eq!(
            html,
            "<p>Intro</p>\n<ul><li>one</li>\n<li>two</li></ul>\n<p>Then</p><ul><li>three</li></ul>"
        );
        assert_eq!(
            messages(&found),
            [
                "2:1 `<li>` outside a list: Dateline put it in a `<ul>` (and 1 more like it in this story)"
            ]
        );
    }

    #[test]
    fn the_same_repair_in_many_cells_is_one_warning_with_a_count() {
        let row = "<tr><td valign=top width=50>x</td></tr>";
        let (html, found) = check(&format!("<table>{}</table>", row.repeat(30)));
        assert!(!html.contains("valign"), "{html}");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(
            found[0]
                .message
                .ends_with("(and 29 more like it in this story)")
        );
    }

    #[test]
    fn tags_written_inside_a_script_are_its_text() {
        let html = "<script>document.write(\"</div><b>\");</script><textarea></span></textarea>";
        let (out, found) = check(html);
        assert_eq!(out, html.replace("</span>", "&lt;/span&gt;"));
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn embeds_are_kept_as_they_are() {
        let embed = "<blockquote class=\"twitter-tweet\"><p lang=\"en\">Text</p></blockquote>\n\
                     <script async src=\"https://platform.example/widgets.js\" charset=\"utf-8\"></script>\n\
                     <iframe src=\"https://video.example/embed/1\" allowfullscreen></iframe>";
        let (html, found) = check(embed);
        assert_eq!(
            html,
            embed
                .replace("async", "async=\"\"")
                .replace("allowfullscreen", "allowfullscreen=\"\"")
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn an_unclosed_element_that_would_hide_or_take_the_rest_is_an_error() {
        for (open, says) in [
            ("<template>", "hidden inside it"),
            ("<details><summary>More</summary>", "hidden inside it"),
            ("<dialog>", "hidden inside it"),
            ("<h2>Section <span>open", "one heading"),
        ] {
            let (_, found) = check(&format!("{open}\n\nThe rest of the story.\n\nAnd more."));
            assert!(
                found
                    .iter()
                    .any(|f| f.is_error() && f.message.contains(says)),
                "{open}: {found:?}"
            );
        }
    }

    #[test]
    fn an_unclosed_iframe_that_would_hide_the_rest_is_an_error() {
        let (_, found) =
            check("<iframe src=\"https://video.example/1\">\n\nThe rest of the story.");
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].is_error());
        assert!(found[0].message.contains("`<iframe>` is never closed"));
    }

    #[test]
    fn an_unclosed_comment_that_would_hide_the_rest_is_an_error() {
        let (_, found) = check("<p>Seen</p><!-- note\n\n<p>The rest of the story.</p>");
        // The `</p>` inside the comment is text there, not a stray tag.
        assert_eq!(
            messages(&found),
            [
                "1:12 the comment `<!--` is never closed: the rest of the story would be hidden inside it"
            ]
        );
        assert!(found[0].is_error());
        let (html, found) = check("<!-- one --><p>a</p><!----><!-->");
        assert_eq!(html, "<!-- one --><p>a</p><!----><!---->");
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn an_image_without_alt_text_is_an_error() {
        let (_, found) = check("<img src=\"/a.jpg\"> <img src=\"/b.jpg\" alt=\"\">");
        assert_eq!(messages(&found), ["1:1 the image has no alt text"]);
        assert!(found[0].is_error());
    }

    #[test]
    fn unknown_elements_are_dropped_with_their_text_and_custom_ones_kept() {
        let (html, found) = check("<blah>x</blah> <news-widget>y</news-widget>");
        assert_eq!(html, "x <news-widget>y</news-widget>");
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn balanced_html_is_left_alone() {
        let html =
            "<div class=\"box\"><p>A <em>b</em> <a href=\"/x/\">c</a></p><ul><li>d</li></ul></div>";
        assert_eq!(check(html), (html.to_string(), Vec::new()));
    }

    #[test]
    fn ten_thousand_nested_tags_are_refused_at_the_depth_browsers_give_up() {
        let html = format!("{}text", "<div><span>".repeat(10_000));
        let (_, found) = check(&html);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].is_error());
        assert!(
            found[0].message.contains("nested more than 1024"),
            "{found:?}"
        );
        let (out, found) = check(&format!("{}text", "<div>".repeat(500)));
        assert!(out.ends_with(&format!("text{}", "</div>".repeat(500))));
        assert_eq!(out.matches("</div>").count(), 500);
        assert_eq!(
            found.len(),
            1,
            "one warning for 500 unclosed `<div>`: {found:?}"
        );
    }

    /// Tag soup of the kinds archives hold, with words between the tags.
    fn soup() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            Just(" alpha ".to_string()),
            Just(" beta ".to_string()),
            "(div|span|b|i|p|li|ul|tt|font|o:p|a name=x|table|tr|td|center|em|blah|h2|pre|ol|button|label|a href=/x|div id=x|span id=x|img|img data-src=/x\\.jpg alt=\"\")"
                .prop_map(|tag| format!("<{tag}>")),
            "(div|span|b|i|p|li|ul|tt|font|o:p|a|table|tr|td|center|em|blah|h2|pre|ol|button|label)"
                .prop_map(|tag| format!("</{tag}>")),
        ];
        prop::collection::vec(piece, 0..40).prop_map(|pieces| pieces.concat())
    }

    fn words(html: &str) -> Vec<String> {
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => in_tag = false,
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let mut words: Vec<String> = text.split_whitespace().map(str::to_string).collect();
        words.sort();
        words
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn repair_keeps_every_word_and_repairing_again_changes_nothing(html in soup()) {
            let (once, _) = check(&html);
            prop_assert_eq!(words(&once), words(&html));
            let (twice, found) = check(&once);
            prop_assert_eq!(&twice, &once);
            prop_assert!(found.is_empty(), "{:?}", found);
        }
    }
}
