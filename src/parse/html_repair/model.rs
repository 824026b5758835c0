//! Elements where HTML does not allow them (its "content models"): a block inside an element
//! that holds only text (`<span><div>`, `<b><p>`, `<p>` in `<h2>`), lists holding something other
//! than items, and a link or button inside another. The parser keeps these as written, and
//! browsers mostly show them as meant, but the HTML checker refuses the page. Each is repaired
//! the way a web developer would: the inline formatting moves inside the block, a paragraph is
//! split around a list, a stray `<p>` in a heading gives way to its text, loose text in a list
//! becomes an item; every word stays.

use html5ever::{LocalName, QualName, local_name, ns};

use super::tree::{Arena, Closed, Element, Kind, Made};
use super::{Repair, elements, is_blank};

const HELP_BLOCK: &str = "a block (`<div>`, `<p>`, a list, a table) goes around text-level tags like `<span>` and `<b>`, never inside them";
const HELP_LIST: &str = "a list holds only `<li>` items: put the text in one, and a list inside a list inside the item before it";
const HELP_INTERACTIVE: &str =
    "a link or a button cannot hold another link, button or form field: keep one of them";

/// Blocks: elements allowed only where HTML expects flow content, never among text-level tags.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "details"
            | "dialog"
            | "div"
            | "dl"
            | "fieldset"
            | "figure"
            | "footer"
            | "form"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "header"
            | "hgroup"
            | "hr"
            | "main"
            | "menu"
            | "nav"
            | "ol"
            | "p"
            | "pre"
            | "search"
            | "section"
            | "table"
            | "ul"
    )
}

/// Text-level formatting that may hold only text and other text-level tags; it can be copied
/// into each block it wrapped without changing what it means.
fn is_inline(name: &str) -> bool {
    matches!(
        name,
        "span"
            | "b"
            | "i"
            | "em"
            | "strong"
            | "small"
            | "s"
            | "u"
            | "code"
            | "sub"
            | "sup"
            | "mark"
            | "abbr"
            | "cite"
            | "dfn"
            | "q"
            | "kbd"
            | "samp"
            | "var"
            | "time"
            | "data"
            | "bdi"
            | "bdo"
    )
}

/// Blocks that hold only text-level content: a block inside one ends it, or gives way to it.
fn holds_only_text(name: &str) -> bool {
    matches!(
        name,
        "p" | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "pre"
            | "button"
            | "label"
            | "legend"
            | "output"
    )
}

/// Elements whose content is what their parent allows (`<a>` in a `<div>` may hold a block, in
/// a `<span>` it may not).
fn is_transparent(name: &str) -> bool {
    matches!(
        name,
        "a" | "ins" | "del" | "map" | "object" | "video" | "audio" | "canvas" | "slot"
    )
}

fn html_name(arena: &Arena, id: usize) -> Option<&str> {
    arena
        .element(id)
        .filter(|element| element.name.ns == ns!(html))
        .map(|element| &*element.name.local)
}

/// The nearest ancestor that makes `id` sit among text-level content, if one does.
fn text_holder(arena: &Arena, id: usize) -> Option<usize> {
    let mut parent = arena.nodes[id].parent;
    while let Some(node) = parent {
        let name = html_name(arena, node)?;
        if is_inline(name) || holds_only_text(name) {
            return Some(node);
        }
        if !is_transparent(name) {
            return None;
        }
        parent = arena.nodes[node].parent;
    }
    None
}

/// Parts of lists, tables and other blocks, which hold text-level formatting but never sit in it.
fn is_part(name: &str) -> bool {
    matches!(
        name,
        "li" | "dt"
            | "dd"
            | "tbody"
            | "thead"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "colgroup"
            | "figcaption"
            | "summary"
            | "legend"
            | "optgroup"
            | "option"
    )
}

/// Whether `id` is a block (or a block's part) or holds one: what inline formatting around it
/// must move inside it.
fn carries_block(arena: &Arena, id: usize) -> bool {
    let mut stack = vec![id];
    while let Some(node) = stack.pop() {
        if html_name(arena, node).is_some_and(|name| is_block(name) || is_part(name)) {
            return true;
        }
        if arena.element(node).is_some() {
            stack.extend(arena.children(node));
        }
    }
    false
}

/// An element like `id`, empty, as the parser would make it; with its id only if `keep_id`.
fn copy_of(arena: &mut Arena, id: usize, keep_id: bool) -> usize {
    let (name, attrs) = match arena.element(id) {
        Some(element) => (element.name.clone(), element.attrs.clone()),
        None => (
            QualName::new(None, ns!(html), local_name!("span")),
            Vec::new(),
        ),
    };
    let attrs = attrs
        .into_iter()
        .filter(|a| keep_id || &*a.name.local != "id")
        .collect();
    arena.add(Kind::Element(Element {
        name,
        attrs,
        made: Made::Parser,
        closed: Closed::Own,
        contents: None,
        listed: false,
    }))
}

fn new_element(arena: &mut Arena, name: &str) -> usize {
    arena.add(Kind::Element(Element {
        name: QualName::new(None, ns!(html), LocalName::from(name)),
        attrs: Vec::new(),
        made: Made::Parser,
        closed: Closed::Own,
        contents: None,
        listed: false,
    }))
}

fn insert_after(arena: &mut Arena, sibling: usize, node: usize) {
    match arena.nodes[sibling].next {
        Some(next) => arena.insert_before(next, node),
        None => {
            if let Some(parent) = arena.nodes[sibling].parent {
                arena.append_child(parent, node);
            }
        }
    }
}

/// Whether `id` is whitespace, a comment or nothing: what may sit anywhere.
fn is_filler(arena: &Arena, id: usize) -> bool {
    match &arena.nodes[id].kind {
        Kind::Text(text) => is_blank(text),
        Kind::Comment(_) | Kind::Other => true,
        _ => false,
    }
}

/// Moves inline formatting `inline` (a `<b>` around blocks) inside them: each run of text in
/// them gets a copy of it, and `inline` goes. The first copy, in reading order, keeps its id.
fn push_down(arena: &mut Arena, inline: usize) {
    let mut keep_id = true;
    // Per container being walked: its children left to walk (last first), and the run of
    // text-level ones met so far.
    let mut walks: Vec<(Vec<usize>, Vec<usize>)> = vec![(reversed_children(arena, inline), vec![])];
    while let Some((left, run)) = walks.last_mut() {
        let Some(child) = left.pop() else {
            let mut run = std::mem::take(run);
            wrap_run(arena, inline, &mut run, &mut keep_id);
            walks.pop();
            continue;
        };
        if carries_block(arena, child) {
            let mut run = std::mem::take(run);
            wrap_run(arena, inline, &mut run, &mut keep_id);
            walks.push((reversed_children(arena, child), vec![]));
        } else {
            run.push(child);
        }
    }
    arena.unwrap(inline);
}

fn reversed_children(arena: &Arena, id: usize) -> Vec<usize> {
    let mut children = arena.children(id);
    children.reverse();
    children
}

fn wrap_run(arena: &mut Arena, template: usize, run: &mut Vec<usize>, keep_id: &mut bool) {
    let nodes = std::mem::take(run);
    if nodes.iter().all(|&node| is_filler(arena, node)) {
        return;
    }
    let copy = copy_of(arena, template, *keep_id);
    *keep_id = false;
    arena.insert_before(nodes[0], copy);
    for node in nodes {
        arena.append_child(copy, node);
    }
}

/// Ends `holder` (a paragraph, a heading) before its child `child`, and goes on with it after:
/// what comes before moves into a copy of it (which keeps its id), so that a heading split at
/// each of a thousand lists moves each word once. A part left without text goes.
fn split(arena: &mut Arena, holder: usize, child: usize) {
    let before = copy_of(arena, holder, true);
    if let Some(element) = arena.element_mut(holder) {
        element.attrs.retain(|a| &*a.name.local != "id");
    }
    while let Some(first) = arena.nodes[holder].first
        && first != child
    {
        arena.append_child(before, first);
    }
    arena.insert_before(holder, before);
    arena.insert_before(holder, child);
    for part in [before, holder] {
        if holds_nothing(arena, part) {
            arena.unwrap(part);
        }
    }
}

/// Whether `id` holds only whitespace and comments; stops at the first thing it holds.
fn holds_nothing(arena: &Arena, id: usize) -> bool {
    let mut next = arena.nodes[id].first;
    while let Some(node) = next {
        if !is_filler(arena, node) {
            return false;
        }
        next = arena.nodes[node].next;
    }
    true
}

/// Drops the block `block` inside a paragraph or heading, keeping its text on a line of its own.
fn give_way(arena: &mut Arena, block: usize) {
    let before = arena.nodes[block].prev;
    if before.is_some_and(|node| !is_filler(arena, node)) {
        let br = new_element(arena, "br");
        arena.insert_before(block, br);
    }
    let after = arena.nodes[block].next;
    if after.is_some_and(|node| !is_filler(arena, node)) {
        let br = new_element(arena, "br");
        insert_after(arena, block, br);
    }
    arena.unwrap(block);
}

/// The child of `ancestor` that `id` is in (or is).
fn child_toward(arena: &Arena, ancestor: usize, id: usize) -> usize {
    let mut node = id;
    while let Some(parent) = arena.nodes[node].parent {
        if parent == ancestor {
            break;
        }
        node = parent;
    }
    node
}

/// What HTML calls interactive content: what a link or a button may not hold.
fn is_interactive(arena: &Arena, id: usize) -> bool {
    let Some(element) = arena.element(id).filter(|e| e.name.ns == ns!(html)) else {
        return false;
    };
    let has = |attr: &str| element.attrs.iter().any(|a| &*a.name.local == attr);
    match &*element.name.local {
        "a" => has("href"),
        "button" | "select" | "textarea" | "iframe" | "embed" | "label" | "details" => true,
        "input" => !element
            .attrs
            .iter()
            .any(|a| &*a.name.local == "type" && a.value.eq_ignore_ascii_case("hidden")),
        "audio" | "video" => has("controls"),
        _ => false,
    }
}

/// The nearest `<a>` or `<button>` around `id` (or `<label>`, around a label).
fn link_or_button(arena: &Arena, id: usize) -> Option<usize> {
    let label = html_name(arena, id) == Some("label");
    let mut parent = arena.nodes[id].parent;
    while let Some(node) = parent {
        match html_name(arena, node) {
            Some("a" | "button") => return Some(node),
            Some("label") if label => return Some(node),
            _ => {}
        }
        parent = arena.nodes[node].parent;
    }
    None
}

impl Repair<'_> {
    /// Every element where HTML allows it, after the other repairs.
    pub(super) fn content_model(&mut self, arena: &mut Arena) {
        for id in elements(arena) {
            if arena.nodes[id].parent.is_none() {
                continue;
            }
            self.block_among_text(arena, id);
            if arena.nodes[id].parent.is_none() {
                continue;
            }
            if matches!(html_name(arena, id), Some("ul" | "ol" | "menu")) {
                self.list_children(arena, id);
            }
            if is_interactive(arena, id) || html_name(arena, id) == Some("a") {
                self.nested_interactive(arena, id);
            }
            if html_name(arena, id) == Some("tr") {
                self.empty_row(arena, id);
            }
        }
    }

    /// The story's tag that made `id`, or else the one that made `other`.
    fn tag_of(&self, arena: &Arena, id: usize, other: usize) -> Option<usize> {
        [id, other]
            .into_iter()
            .filter_map(|node| match arena.element(node)?.made {
                Made::Tag(at) if self.is_raw(at) => Some(at),
                _ => None,
            })
            .next()
    }

    /// A block inside text-level content: the inline formatting around it moves inside it, a
    /// `<p>` or `<div>` in a paragraph or heading gives way to its text, and anything else
    /// splits the paragraph or heading around it.
    fn block_among_text(&mut self, arena: &mut Arena, id: usize) {
        let Some(name) = html_name(arena, id)
            .filter(|n| is_block(n))
            .map(str::to_string)
        else {
            return;
        };
        while let Some(holder) = text_holder(arena, id) {
            let Some(holder_name) = html_name(arena, holder).map(str::to_string) else {
                return;
            };
            let at = self.tag_of(arena, id, holder);
            let what = format!("`<{name}>` cannot be inside `<{holder_name}>`");
            if is_inline(&holder_name) {
                self.warn_at(at, format!("{what}: the `<{holder_name}>` moved inside it"));
                push_down(arena, holder);
            } else if matches!(name.as_str(), "p" | "div") {
                self.warn_at(
                    at,
                    format!("{what}: dropped, its text kept on a line of its own"),
                );
                give_way(arena, id);
                return;
            } else {
                self.warn_at(at, format!("{what}: the `<{holder_name}>` ends before it"));
                let child = child_toward(arena, holder, id);
                split(arena, holder, child);
            }
        }
    }

    fn warn_at(&mut self, at: Option<usize>, message: String) {
        if let Some(at) = at {
            self.warn(at, message, HELP_BLOCK);
        }
    }

    /// A list's children that are not items: a list goes into the item before it, anything
    /// else into an item of its own.
    fn list_children(&mut self, arena: &mut Arena, list: usize) {
        let list_name = html_name(arena, list).unwrap_or("ul").to_string();
        let mut run: Vec<usize> = Vec::new();
        let mut item: Option<usize> = None;
        for child in arena.children(list) {
            let name = html_name(arena, child).map(str::to_string);
            match name.as_deref() {
                Some("li") => {
                    self.wrap_in_item(arena, list, &mut run);
                    item = Some(child);
                }
                Some("script" | "template") => {}
                Some(nested @ ("ul" | "ol")) if run.is_empty() && item.is_some() => {
                    if let Some(at) = self.tag_of(arena, child, child) {
                        let message = format!(
                            "`<{nested}>` cannot be directly inside `<{list_name}>`: moved into the `<li>` before it"
                        );
                        self.warn(at, message, HELP_LIST);
                    }
                    if let Some(item) = item {
                        arena.append_child(item, child);
                    }
                }
                _ if run.is_empty() && is_filler(arena, child) => {}
                _ => run.push(child),
            }
        }
        self.wrap_in_item(arena, list, &mut run);
    }

    /// Puts the run of a list's children that are not items into one `<li>`.
    fn wrap_in_item(&mut self, arena: &mut Arena, list: usize, run: &mut Vec<usize>) {
        let mut nodes = std::mem::take(run);
        while nodes.last().is_some_and(|&n| is_filler(arena, n)) {
            nodes.pop();
        }
        let Some(&first) = nodes.first() else {
            return;
        };
        let list_name = html_name(arena, list).unwrap_or("ul").to_string();
        let what = match html_name(arena, first) {
            Some(name) => format!("`<{name}>`"),
            None => "text".to_string(),
        };
        if let Some(at) = self.tag_of(arena, first, list) {
            let message =
                format!("{what} cannot be directly inside `<{list_name}>`: put in an `<li>`");
            self.warn(at, message, HELP_LIST);
        }
        let item = new_element(arena, "li");
        arena.insert_before(first, item);
        for node in nodes {
            arena.append_child(item, node);
        }
    }

    /// A table row without cells, which the checker refuses (a spacer row from an old layout):
    /// it holds no text, and goes.
    fn empty_row(&mut self, arena: &mut Arena, row: usize) {
        if !holds_nothing(arena, row) {
            return;
        }
        if let Some(at) = self.tag_of(arena, row, row) {
            self.warn(
                at,
                "a table row without cells dropped".to_string(),
                "a row holds `<td>` or `<th>` cells: give it some, or remove the `<tr>`",
            );
        }
        arena.detach(row);
    }

    /// A link, button or form field inside a link or button: the link is kept, the button or
    /// label gives way to its text; a form field or embed in a link keeps the field and drops
    /// the link around it.
    fn nested_interactive(&mut self, arena: &mut Arena, id: usize) {
        let Some(outer) = link_or_button(arena, id) else {
            return;
        };
        let (Some(name), Some(outer_name)) = (
            html_name(arena, id).map(str::to_string),
            html_name(arena, outer).map(str::to_string),
        ) else {
            return;
        };
        let what = match outer_name.as_str() {
            "a" => "a link".to_string(),
            _ => format!("`<{outer_name}>`"),
        };
        let at = self.tag_of(arena, id, outer);
        let (message, dropped) = match name.as_str() {
            "button" | "label" => ("dropped, its text kept".to_string(), id),
            "a" if outer_name == "button" => (
                "the `<button>` around it dropped, its text and the link kept".to_string(),
                outer,
            ),
            // A link in a link, which the parser leaves only when the outer one has no href.
            "a" => ("dropped, its text kept".to_string(), id),
            _ => (
                format!("the `<{outer_name}>` around it dropped, its text kept"),
                outer,
            ),
        };
        if let Some(at) = at {
            let message = format!("`<{name}>` cannot be inside {what}: {message}");
            self.warn(at, message, HELP_INTERACTIVE);
        }
        arena.unwrap(dropped);
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::check;
    use crate::diagnostic::Diagnostic;

    fn messages(found: &[Diagnostic]) -> Vec<String> {
        found
            .iter()
            .map(|d| format!("{}:{} {}", d.line, d.column, d.message))
            .collect()
    }

    #[test]
    fn inline_formatting_around_a_block_moves_inside_it() {
        let (html, found) = check(
            "<div><span class=\"lead\" id=\"top-story\"><div>One</div>two<p>Three</p></span>\n<b><p>Bold</p></b></div>",
        );
        assert_eq!(
            html,
            "<div><div><span class=\"lead\" id=\"top-story\">One</span></div><span class=\"lead\">two</span><p><span class=\"lead\">Three</span></p>\n<p><b>Bold</b></p></div>"
        );
        assert_eq!(
            messages(&found),
            [
                "1:40 `<div>` cannot be inside `<span>`: the `<span>` moved inside it",
                "2:4 `<p>` cannot be inside `<b>`: the `<b>` moved inside it",
            ]
        );
    }

    #[test]
    fn formatting_around_a_list_or_table_goes_into_its_items_and_cells() {
        let (html, found) = check(
            "<div><em><ul>\n<li>one</li>\n</ul></em><strong><table><tr><td>cell</td></tr></table></strong></div>",
        );
        assert_eq!(
            html,
            "<div><ul>\n<li><em>one</em></li>\n</ul><table><tbody><tr><td><strong>cell</strong></td></tr></tbody></table></div>"
        );
        assert_eq!(found.len(), 2, "{found:?}");
    }

    #[test]
    fn a_link_around_a_block_is_kept_once_the_span_around_it_moves_in() {
        let (html, found) = check("<div><span><a href=\"/x/\"><div>Read</div></a></span></div>");
        assert_eq!(
            html,
            "<div><a href=\"/x/\"><div><span>Read</span></div></a></div>"
        );
        assert_eq!(found.len(), 1, "{found:?}");
    }

    #[test]
    fn a_paragraph_or_div_in_a_heading_gives_way_to_its_text() {
        let (html, found) = check("<h2>Results <p>by county</p></h2><pre>a<div>b</div>c</pre>");
        assert_eq!(html, "<h2>Results <br>by county</h2><pre>a<br>b<br>c</pre>");
        assert_eq!(
            messages(&found),
            [
                "1:13 `<p>` cannot be inside `<h2>`: dropped, its text kept on a line of its own",
                "1:40 `<div>` cannot be inside `<pre>`: dropped, its text kept on a line of its own",
            ]
        );
    }

    #[test]
    fn a_list_in_a_heading_splits_it() {
        let (html, found) = check("<h3 class=\"t\">Before<ul><li>x</li></ul>after</h3>");
        assert_eq!(
            html,
            "<h3 class=\"t\">Before</h3><ul><li>x</li></ul><h3 class=\"t\">after</h3>"
        );
        assert_eq!(
            messages(&found),
            ["1:21 `<ul>` cannot be inside `<h3>`: the `<h3>` ends before it"]
        );
    }

    #[test]
    fn a_heading_split_many_times_keeps_its_id_on_the_first_part() {
        let (html, found) = check("<h2 id=\"t\">A<hr>B<hr>C<hr></h2>");
        assert_eq!(html, "<h2 id=\"t\">A</h2><hr><h2>B</h2><hr><h2>C</h2><hr>");
        assert_eq!(
            messages(&found),
            [
                "1:13 `<hr>` cannot be inside `<h2>`: the `<h2>` ends before it (and 2 more like it in this story)"
            ]
        );
    }

    #[test]
    fn a_story_paragraph_ended_by_a_block_says_so_at_the_block() {
        let (html, found) = check("<p>Intro\n<ol><li>one</li></ol></p>");
        assert_eq!(html, "<p>Intro\n</p><ol><li>one</li></ol>");
        assert_eq!(
            messages(&found),
            [
                "2:1 `<ol>` cannot be inside `<p>`: the paragraph ends before it",
                "2:22 stray `</p>` removed: nothing it closes is open",
            ]
        );
    }

    #[test]
    fn what_a_list_holds_besides_items_goes_into_items() {
        let (html, found) =
            check("<ul>Intro\n<li>one</li>\n<ul><li>sub</li></ul>\n<p>Last</p>\n</ul>");
        assert_eq!(
            html,
            "<ul><li>Intro\n</li><li>one<ul><li>sub</li></ul></li>\n\n<li><p>Last</p></li>\n</ul>"
        );
        assert_eq!(
            messages(&found),
            [
                "1:1 text cannot be directly inside `<ul>`: put in an `<li>`",
                "3:1 `<ul>` cannot be directly inside `<ul>`: moved into the `<li>` before it",
                "4:1 `<p>` cannot be directly inside `<ul>`: put in an `<li>`",
            ]
        );
    }

    #[test]
    fn a_link_and_a_button_in_each_other_keep_the_link() {
        let (html, found) = check(
            "<a href=\"/give/\"><button>Donate</button></a> <button><a href=\"/join/\">Join</a></button>",
        );
        assert_eq!(
            html,
            "<a href=\"/give/\">Donate</a> <a href=\"/join/\">Join</a>"
        );
        assert_eq!(
            messages(&found),
            [
                "1:18 `<button>` cannot be inside a link: dropped, its text kept",
                "1:54 `<a>` cannot be inside `<button>`: the `<button>` around it dropped, its text and the link kept",
            ]
        );
    }

    #[test]
    fn a_form_field_in_a_link_drops_the_link() {
        let (html, found) = check("<a href=\"/s/\">Search <input name=\"q\"></a>");
        assert_eq!(html, "Search <input name=\"q\">");
        assert_eq!(
            messages(&found),
            ["1:22 `<input>` cannot be inside a link: the `<a>` around it dropped, its text kept"]
        );
    }

    #[test]
    fn table_parts_outside_a_table_and_empty_rows_are_reported() {
        let (html, found) =
            check("<tr><td>Cell</td></tr>\n<table><tr></tr><tr><td>x</td></tr></table>");
        assert_eq!(
            html,
            "Cell\n<table><tbody><tr><td>x</td></tr></tbody></table>"
        );
        assert_eq!(
            messages(&found),
            [
                "1:1 `<tr>` outside a table: dropped, its text kept",
                "1:5 `<td>` outside a table: dropped, its text kept",
                "1:13 stray `</td>` removed: nothing it closes is open",
                "1:18 stray `</tr>` removed: nothing it closes is open",
                "2:8 a table row without cells dropped",
            ]
        );
    }
}
