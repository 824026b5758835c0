//! The tree html5ever builds from a body, in one flat arena, with what the repair needs to know
//! of each element: which tag made it, and what closed it.
//!
//! html5ever's tree builder calls this sink as it reads; the sink is told, before each piece of
//! input is fed, where that piece ends and which tag ends it. So an element remembers whether
//! its own start tag made it (or the parser did, re-opening `<b>` in the next paragraph), and
//! whether its own end tag closed it (or something else did, which is an unclosed tag).

use std::borrow::Cow;
use std::cell::{Cell, Ref, RefCell};
use std::io;

use html5ever::serialize::{Serialize, Serializer, TraversalScope};
use html5ever::tendril::StrTendril;
use html5ever::tree_builder::{ElementFlags, NodeOrText, QuirksMode, Tracer, TreeSink};
use html5ever::{Attribute, QualName, local_name, ns};

/// The piece of input being fed: where it ends, and the tag it ends with.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Feed {
    /// Byte offset in the HTML just after the piece.
    pub(super) end: usize,
    /// The tag the piece ends with, if it ends with one.
    pub(super) tag: Option<TagAt>,
}

/// A tag in the HTML: where its `<` is, where its name is, and whether it is an end tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct TagAt {
    pub(super) start: usize,
    pub(super) name: (usize, usize),
    pub(super) end_tag: bool,
}

/// How an element came to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Made {
    /// By its own start tag, whose `<` is at this offset.
    Tag(usize),
    /// By an end tag of its name that closed nothing (`</p>` makes an empty paragraph).
    StrayEnd(usize),
    /// By the parser re-opening a formatting element that something other than its end tag
    /// closed (`<b>` left open in one paragraph is re-opened in the next).
    Reopened,
    /// By the parser alone: the fragment's root, a table's `<tbody>`, or the copy of a
    /// formatting element that its end tag splits (`<b>a<div>b</b>c</div>`).
    Parser,
}

/// How an element ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Closed {
    /// Never closed before the end of the body.
    Open,
    /// By its own end tag.
    Own,
    /// By something else: the tag at this offset, or the end of the piece at this offset.
    By { tag: Option<TagAt>, at: usize },
}

#[derive(Debug)]
pub(super) struct Element {
    pub(super) name: QualName,
    pub(super) attrs: Vec<Attribute>,
    pub(super) made: Made,
    pub(super) closed: Closed,
    /// For `<template>`: the node holding its contents.
    pub(super) contents: Option<usize>,
    /// Whether the parser lists it among the formatting elements to re-open (only formatting
    /// elements, and not the oldest of four alike, which it forgets).
    pub(super) listed: bool,
}

#[derive(Debug)]
pub(super) enum Kind {
    Root,
    Element(Element),
    Text(StrTendril),
    Comment(StrTendril),
    Other,
}

#[derive(Debug)]
pub(super) struct Node {
    pub(super) kind: Kind,
    pub(super) parent: Option<usize>,
    pub(super) first: Option<usize>,
    pub(super) last: Option<usize>,
    pub(super) prev: Option<usize>,
    pub(super) next: Option<usize>,
}

/// Every node of one parse. Children are linked lists, so that inserting before a sibling (which
/// the parser does for text misplaced in tables) costs the same however many siblings there are.
#[derive(Debug)]
pub(super) struct Arena {
    pub(super) nodes: Vec<Node>,
    /// Answered for a node that is not an element: the tree builder asks only for elements.
    placeholder: QualName,
}

pub(super) const DOCUMENT: usize = 0;

impl Arena {
    fn new() -> Arena {
        Arena {
            nodes: vec![Node::new(Kind::Root)],
            placeholder: QualName::new(None, ns!(html), local_name!("div")),
        }
    }

    pub(super) fn add(&mut self, kind: Kind) -> usize {
        self.nodes.push(Node::new(kind));
        self.nodes.len() - 1
    }

    pub(super) fn element(&self, id: usize) -> Option<&Element> {
        match &self.nodes.get(id)?.kind {
            Kind::Element(element) => Some(element),
            _ => None,
        }
    }

    pub(super) fn element_mut(&mut self, id: usize) -> Option<&mut Element> {
        match &mut self.nodes.get_mut(id)?.kind {
            Kind::Element(element) => Some(element),
            _ => None,
        }
    }

    /// The children of `id`, in order.
    pub(super) fn children(&self, id: usize) -> Vec<usize> {
        let mut children = Vec::new();
        let mut next = self.nodes[id].first;
        while let Some(child) = next {
            children.push(child);
            next = self.nodes[child].next;
        }
        children
    }

    pub(super) fn detach(&mut self, id: usize) {
        let (parent, prev, next) = {
            let node = &self.nodes[id];
            (node.parent, node.prev, node.next)
        };
        match prev {
            Some(prev) => self.nodes[prev].next = next,
            None => {
                if let Some(parent) = parent {
                    self.nodes[parent].first = next;
                }
            }
        }
        match next {
            Some(next) => self.nodes[next].prev = prev,
            None => {
                if let Some(parent) = parent {
                    self.nodes[parent].last = prev;
                }
            }
        }
        let node = &mut self.nodes[id];
        (node.parent, node.prev, node.next) = (None, None, None);
    }

    pub(super) fn append_child(&mut self, parent: usize, child: usize) {
        self.detach(child);
        let last = self.nodes[parent].last;
        match last {
            Some(last) => self.nodes[last].next = Some(child),
            None => self.nodes[parent].first = Some(child),
        }
        let node = &mut self.nodes[child];
        (node.parent, node.prev) = (Some(parent), last);
        self.nodes[parent].last = Some(child);
    }

    pub(super) fn insert_before(&mut self, sibling: usize, child: usize) {
        self.detach(child);
        let Some(parent) = self.nodes[sibling].parent else {
            return;
        };
        let prev = self.nodes[sibling].prev;
        match prev {
            Some(prev) => self.nodes[prev].next = Some(child),
            None => self.nodes[parent].first = Some(child),
        }
        self.nodes[sibling].prev = Some(child);
        let node = &mut self.nodes[child];
        (node.parent, node.prev, node.next) = (Some(parent), prev, Some(sibling));
    }

    /// Puts `id`'s children where `id` is, and removes `id`: the tag goes, its text stays.
    pub(super) fn unwrap(&mut self, id: usize) {
        for child in self.children(id) {
            self.insert_before(id, child);
        }
        self.detach(id);
    }

    /// Text after `previous` joins it when `previous` is text too, as the parser requires.
    fn text_after(&mut self, previous: Option<usize>, text: &StrTendril) -> bool {
        match previous.map(|id| &mut self.nodes[id].kind) {
            Some(Kind::Text(existing)) => {
                existing.push_tendril(text);
                true
            }
            _ => false,
        }
    }

    /// The children of the fragment's root (the parser's `<html>` element).
    pub(super) fn top(&self) -> usize {
        self.nodes[DOCUMENT].first.unwrap_or(DOCUMENT)
    }
}

impl Node {
    fn new(kind: Kind) -> Node {
        Node {
            kind,
            parent: None,
            first: None,
            last: None,
            prev: None,
            next: None,
        }
    }
}

/// The html5ever sink: builds the arena and records how each element was made and closed.
pub(super) struct Sink<'h> {
    pub(super) html: &'h str,
    pub(super) arena: RefCell<Arena>,
    pub(super) feed: Cell<Feed>,
    /// Whether the piece being fed closed an element of its end tag's name.
    pub(super) closed_own: Cell<bool>,
    /// Whether the piece being fed made an element of its end tag's name (`</p>`, `</br>`).
    pub(super) made_stray: Cell<bool>,
    /// Whether the piece being fed made an element with its start tag (a `<td>` outside a
    /// table makes none: the parser drops it).
    pub(super) made_own: Cell<bool>,
    /// Elements not known to be closed yet.
    open: RefCell<Vec<usize>>,
    /// How many parse errors html5ever has reported: an end tag it ignored is one, and a
    /// `</p>` written inside a comment or a script (which is text there) is none.
    pub(super) errors: Cell<usize>,
}

impl<'h> Sink<'h> {
    pub(super) fn new(html: &'h str) -> Sink<'h> {
        Sink {
            html,
            arena: RefCell::new(Arena::new()),
            feed: Cell::new(Feed::default()),
            closed_own: Cell::new(false),
            made_stray: Cell::new(false),
            made_own: Cell::new(false),
            open: RefCell::new(Vec::new()),
            errors: Cell::new(0),
        }
    }

    /// After a piece: marks the elements the parser no longer holds as closed by it. html5ever
    /// does not tell its sink of every element it closes, but it lists what it holds (its stack
    /// of open elements, then its list of formatting elements to re-open) to `census`. An open
    /// formatting element is in both; one that is only in the list was closed, to be re-opened.
    pub(super) fn settle(&self, census: &Census) {
        let feed = self.feed.get();
        let mut arena = self.arena.borrow_mut();
        self.open.borrow_mut().retain(|&id| {
            let Some(element) = arena.element_mut(id) else {
                return false;
            };
            let count = census.count(id);
            if count > u8::from(element.listed) {
                return true;
            }
            // A fourth `<b>` inside three: the parser forgets the oldest, which stays open.
            if count == 1 && self.tag_is(&element.name, false).is_some() {
                element.listed = false;
                return true;
            }
            element.closed = match self.tag_is(&element.name, true) {
                Some(_) => {
                    self.closed_own.set(true);
                    Closed::Own
                }
                None => Closed::By {
                    tag: feed.tag,
                    at: feed.end,
                },
            };
            false
        });
    }

    /// Whether the tag ending the piece being fed is `name`, as a start or an end tag.
    fn tag_is(&self, name: &QualName, end_tag: bool) -> Option<TagAt> {
        let tag = self.feed.get().tag?;
        let written = self.html.get(tag.name.0..tag.name.1)?;
        (tag.end_tag == end_tag && written.eq_ignore_ascii_case(&name.local)).then_some(tag)
    }
}

impl TreeSink for Sink<'_> {
    type Handle = usize;
    type Output = Arena;
    type ElemName<'a>
        = Ref<'a, QualName>
    where
        Self: 'a;

    fn finish(self) -> Arena {
        self.arena.into_inner()
    }

    fn parse_error(&self, _message: Cow<'static, str>) {
        self.errors.set(self.errors.get() + 1);
    }

    fn get_document(&self) -> usize {
        DOCUMENT
    }

    fn elem_name<'a>(&'a self, target: &'a usize) -> Ref<'a, QualName> {
        Ref::map(self.arena.borrow(), |arena| match arena.element(*target) {
            Some(element) => &element.name,
            None => &arena.placeholder,
        })
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, flags: ElementFlags) -> usize {
        let formatting = name.ns == ns!(html) && super::obsolete::is_formatting(&name.local);
        let made = if let Some(tag) = self.tag_is(&name, false) {
            self.made_own.set(true);
            Made::Tag(tag.start)
        } else if let Some(tag) = self.tag_is(&name, true) {
            match formatting {
                true => Made::Parser,
                false => {
                    self.made_stray.set(true);
                    Made::StrayEnd(tag.start)
                }
            }
        } else if formatting {
            Made::Reopened
        } else {
            Made::Parser
        };
        let mut arena = self.arena.borrow_mut();
        let contents = flags.template.then(|| arena.add(Kind::Root));
        let id = arena.add(Kind::Element(Element {
            name,
            attrs,
            made,
            closed: Closed::Open,
            contents,
            listed: formatting,
        }));
        self.open.borrow_mut().push(id);
        id
    }

    fn create_comment(&self, text: StrTendril) -> usize {
        self.arena.borrow_mut().add(Kind::Comment(text))
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> usize {
        self.arena.borrow_mut().add(Kind::Other)
    }

    fn append(&self, parent: &usize, child: NodeOrText<usize>) {
        let mut arena = self.arena.borrow_mut();
        match child {
            NodeOrText::AppendNode(node) => arena.append_child(*parent, node),
            NodeOrText::AppendText(text) => {
                let last = arena.nodes[*parent].last;
                if !arena.text_after(last, &text) {
                    let node = arena.add(Kind::Text(text));
                    arena.append_child(*parent, node);
                }
            }
        }
    }

    fn append_based_on_parent_node(
        &self,
        element: &usize,
        prev_element: &usize,
        child: NodeOrText<usize>,
    ) {
        let has_parent = self.arena.borrow().nodes[*element].parent.is_some();
        if has_parent {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &usize) -> usize {
        let arena = self.arena.borrow();
        arena
            .element(*target)
            .and_then(|element| element.contents)
            .unwrap_or(*target)
    }

    fn same_node(&self, x: &usize, y: &usize) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &usize, new_node: NodeOrText<usize>) {
        let mut arena = self.arena.borrow_mut();
        match new_node {
            NodeOrText::AppendNode(node) => arena.insert_before(*sibling, node),
            NodeOrText::AppendText(text) => {
                let prev = arena.nodes[*sibling].prev;
                if !arena.text_after(prev, &text) {
                    let node = arena.add(Kind::Text(text));
                    arena.insert_before(*sibling, node);
                }
            }
        }
    }

    fn add_attrs_if_missing(&self, target: &usize, attrs: Vec<Attribute>) {
        let mut arena = self.arena.borrow_mut();
        if let Some(element) = arena.element_mut(*target) {
            for attr in attrs {
                if !element.attrs.iter().any(|a| a.name == attr.name) {
                    element.attrs.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &usize) {
        self.arena.borrow_mut().detach(*target);
    }

    fn reparent_children(&self, node: &usize, new_parent: &usize) {
        let mut arena = self.arena.borrow_mut();
        for child in arena.children(*node) {
            arena.append_child(*new_parent, child);
        }
    }
}

/// How many times html5ever holds each node, counted afresh at each piece (a generation number
/// per count, so that no count is ever reset one by one).
#[derive(Default)]
pub(super) struct Census {
    generation: Cell<u32>,
    counts: RefCell<Vec<(u32, u8)>>,
    /// How many nodes the parser held at the last count.
    pub(super) held: Cell<usize>,
}

impl Census {
    pub(super) fn next(&self) {
        self.generation.set(self.generation.get().wrapping_add(1));
        self.held.set(0);
    }

    fn count(&self, id: usize) -> u8 {
        match self.counts.borrow().get(id) {
            Some(&(generation, count)) if generation == self.generation.get() => count,
            _ => 0,
        }
    }
}

impl Tracer for Census {
    type Handle = usize;

    fn trace_handle(&self, node: &usize) {
        let mut counts = self.counts.borrow_mut();
        if counts.len() <= *node {
            counts.resize(node + 1, (0, 0));
        }
        let generation = self.generation.get();
        let entry = &mut counts[*node];
        if entry.0 != generation {
            *entry = (generation, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        self.held.set(self.held.get() + 1);
    }
}

/// Writes the children of `root` back as HTML, with html5ever's serializer (which knows how to
/// escape text, and that `<script>` text is not escaped). Iterative: a body nested ten thousand
/// deep must not overflow the stack.
pub(super) struct Children<'a> {
    pub(super) arena: &'a Arena,
    pub(super) root: usize,
}

impl Serialize for Children<'_> {
    fn serialize<S: Serializer>(&self, out: &mut S, _scope: TraversalScope) -> io::Result<()> {
        let arena = self.arena;
        // (node, whether its children are written and only its end tag is left)
        let mut stack: Vec<(usize, bool)> = arena
            .children(self.root)
            .into_iter()
            .rev()
            .map(|id| (id, false))
            .collect();
        while let Some((id, done)) = stack.pop() {
            match &arena.nodes[id].kind {
                Kind::Element(element) if done => out.end_elem(element.name.clone())?,
                Kind::Element(element) => {
                    let attrs = element.attrs.iter().map(|a| (&a.name, &*a.value));
                    out.start_elem(element.name.clone(), attrs)?;
                    stack.push((id, true));
                    let parent = element.contents.unwrap_or(id);
                    stack.extend(arena.children(parent).into_iter().rev().map(|c| (c, false)));
                }
                Kind::Text(text) => out.write_text(text)?,
                Kind::Comment(text) => out.write_comment(text)?,
                Kind::Root | Kind::Other => {}
            }
        }
        Ok(())
    }
}
