//! Raw HTML in a story, read as browsers read it and written back balanced, so that no tag a
//! story leaves open can swallow the page around it (its footer, the support appeal).
//!
//! The body's HTML (what Dateline wrote for the Markdown, with the story's own tags in between)
//! goes through html5ever, the HTML5 parser of the Servo project: the tree it builds is what a
//! browser would build, and writing that tree back gives HTML in which every element is closed.
//! On that tree the repair then writes obsolete HTML the modern way (`<tt>` as `<code>`,
//! `<a name>` as an id), drops what no HTML allows (Word's `<o:p>`, `<font>`) keeping its text,
//! and puts list items found outside a list into one. Every repair is a warning at the story's
//! own tag, in the `.md` file.
//!
//! Only bodies with raw HTML come here: the Markdown alone is always balanced.

mod obsolete;
mod tree;

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use html5ever::tendril::{StrTendril, TendrilSink};
use html5ever::{Attribute, LocalName, ParseOpts, QualName, local_name, ns};

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
    let (mut arena, strays) = parse(html, segments);
    let mut repair = Repair {
        html,
        segments,
        file,
        found: Vec::new(),
    };
    for tag in strays {
        if !repair.is_raw(tag.start) {
            continue;
        }
        let name = html
            .get(tag.name.0..tag.name.1)
            .unwrap_or("")
            .to_ascii_lowercase();
        repair.warn(
            tag.start,
            format!("stray `</{name}>` removed: nothing it closes is open"),
            HELP_CLOSE,
        );
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

/// Feeds the HTML to html5ever piece by piece (each piece ends at a `>` or a segment's end), so
/// that the sink knows which tag each of the parser's steps comes from. Returns the tree and the
/// end tags that closed nothing and were dropped.
fn parse(html: &str, segments: &[Segment]) -> (Arena, Vec<TagAt>) {
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
            parser.process(StrTendril::from_slice(piece));
            if piece.ends_with('>') {
                census.next();
                parser.tokenizer.sink.trace_handles(&census);
                parser.tokenizer.sink.sink.settle(&census);
            }
            let sink = &parser.tokenizer.sink.sink;
            if let Some(tag) = tag
                && tag.end_tag
                && !sink.closed_own.get()
                && !sink.made_stray.get()
            {
                strays.push(tag);
            }
            start = end;
        }
    }
    (parser.finish(), strays)
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
                // A tag left open is closed where the parser closed it, not re-opened in every
                // paragraph that follows.
                Made::Parser(at)
                    if obsolete::is_formatting(&name) && !self.is_raw(at.saturating_sub(1)) =>
                {
                    arena.unwrap(id);
                    continue;
                }
                Made::Parser(_) => continue,
                Made::Tag(_) if !self.is_raw(made_at(made)) => {
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
                    self.attributes(arena, id, at);
                    if name == "li" && !in_list(arena, id) {
                        loose_items.push((id, at));
                    }
                }
            }
        }
        self.wrap_items(arena, &loose_items);
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
        );
        if swallows && closed == Closed::Open {
            self.found.push(Found {
                error: true,
                at,
                message: format!(
                    "`<{name}>` is never closed: the rest of the story would be hidden inside it"
                ),
                help: "add its end tag where the embed ends",
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
            if !has_id && usable {
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
                        made: Made::Parser(0),
                        closed: Closed::Own,
                        contents: None,
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

fn made_at(made: Made) -> usize {
    match made {
        Made::Tag(at) | Made::StrayEnd(at) | Made::Parser(at) => at,
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

fn in_list(arena: &Arena, id: usize) -> bool {
    let parent = arena.nodes[id].parent.and_then(|p| arena.element(p));
    parent.is_some_and(|p| matches!(&*p.name.local, "ul" | "ol" | "menu"))
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
