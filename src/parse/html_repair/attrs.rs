//! What the checker requires of attributes: every id once on the page (an in-page link goes to
//! the first, so a second is a mistake, usually a block pasted twice), and an image with a
//! source (lazy-loading plugins keep it in `data-src` and leave `src` out).

use html5ever::tendril::StrTendril;
use html5ever::{Attribute, QualName, local_name, ns};
use rustc_hash::FxHashMap as HashMap;

use super::tree::{Arena, Made};
use super::{Repair, elements};
use crate::parse::markdown::RESERVED_IDS;

const HELP_ID: &str =
    "an id names one element of the page: give this one another name, or remove it";
const HELP_SOURCE: &str = "give the image its address in `src=\"...\"`, or remove the `<img>` tag";

/// Who has an id already.
#[derive(Clone, Copy)]
enum Owner {
    /// The page around the story (its theme's landmarks).
    Page,
    /// An element at this offset of the HTML.
    Element(usize),
}

/// Attributes lazy-loading plugins (WordPress's among them) keep an image's address in.
const LAZY_SOURCES: [&str; 4] = ["data-src", "data-lazy-src", "data-original", "data-srcset"];

impl Repair<'_> {
    /// Drops each id the story repeats, keeping the first; the ids Dateline gives headings and
    /// the page's own ids stay, whatever comes first.
    pub(super) fn unique_ids(&mut self, arena: &mut Arena) {
        let order = elements(arena);
        let mut taken: HashMap<String, Owner> = RESERVED_IDS
            .iter()
            .map(|id| (id.to_string(), Owner::Page))
            .collect();
        for &node in &order {
            if let Some(Made::Tag(at)) = arena.element(node).map(|e| e.made)
                && !self.is_raw(at)
                && let Some(id) = id_of(arena, node)
            {
                taken.entry(id).or_insert(Owner::Element(at));
            }
        }
        for node in order {
            let made = arena.element(node).map(|e| e.made);
            let at = match made {
                Some(Made::Tag(at)) if !self.is_raw(at) => continue,
                Some(Made::Tag(at)) => Some(at),
                _ => None,
            };
            let Some(id) = id_of(arena, node) else {
                continue;
            };
            let problem = match taken.get(&id) {
                _ if id.is_empty() || id.contains(|c: char| c.is_ascii_whitespace()) => {
                    format!("the id `{id}` is not one word")
                }
                Some(Owner::Page) => format!("the id `{id}` is one the page around the story uses"),
                Some(&Owner::Element(first)) => {
                    let (line, column) = self.line_column(first);
                    format!("the id `{id}` is already used at {line}:{column}")
                }
                None => {
                    taken.insert(id, Owner::Element(at.unwrap_or(0)));
                    continue;
                }
            };
            if let Some(element) = arena.element_mut(node) {
                element.attrs.retain(|a| &*a.name.local != "id");
                if let Some(at) = at {
                    let name = element.name.local.to_string();
                    self.warn(
                        at,
                        format!("{problem}: dropped from this `<{name}>`"),
                        HELP_ID,
                    );
                }
            }
        }
    }

    /// An image without a source: its lazy-loading address becomes its `src`, or, with none, it
    /// shows nothing and goes. Returns whether it went.
    pub(super) fn image_source(&mut self, arena: &mut Arena, node: usize, at: usize) -> bool {
        let Some(element) = arena.element_mut(node) else {
            return false;
        };
        let has = |name: &str| {
            element
                .attrs
                .iter()
                .any(|a| &*a.name.local == name && !a.value.trim().is_empty())
        };
        if has("src") || has("srcset") {
            return false;
        }
        let lazy = LAZY_SOURCES.iter().find_map(|&name| {
            element
                .attrs
                .iter()
                .find(|a| &*a.name.local == name && !a.value.trim().is_empty())
                .map(|a| (name, a.value.clone()))
        });
        element
            .attrs
            .retain(|a| !matches!(&*a.name.local, "src" | "srcset"));
        match lazy {
            Some((name, value)) => {
                let attribute = match name {
                    "data-srcset" => local_name!("srcset"),
                    _ => local_name!("src"),
                };
                element.attrs.push(Attribute {
                    name: QualName::new(None, ns!(), attribute),
                    value: StrTendril::from_slice(&value),
                });
                self.warn(
                    at,
                    format!("the image has no `src`: Dateline used its `{name}`"),
                    HELP_SOURCE,
                );
                false
            }
            None => {
                self.warn(
                    at,
                    "the image has no `src`, so it shows nothing: dropped".to_string(),
                    HELP_SOURCE,
                );
                arena.detach(node);
                true
            }
        }
    }
}

fn id_of(arena: &Arena, node: usize) -> Option<String> {
    arena
        .element(node)?
        .attrs
        .iter()
        .find(|a| &*a.name.local == "id" && a.name.ns == ns!())
        .map(|a| a.value.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::tests::check;

    #[test]
    fn a_repeated_id_is_dropped_from_all_but_the_first() {
        let (html, found) = check(
            "<div id=\"box\">One</div>\n<div id=\"box\">Two</div><p id=\"main\">x</p><b id=\"\">y</b>",
        );
        assert_eq!(
            html,
            "<div id=\"box\">One</div>\n<div>Two</div><p>x</p><b>y</b>"
        );
        let found: Vec<String> = found.iter().map(|d| d.message.clone()).collect();
        assert_eq!(
            found,
            [
                "the id `box` is already used at 1:1: dropped from this `<div>`",
                "the id `main` is one the page around the story uses: dropped from this `<p>`",
                "the id `` is not one word: dropped from this `<b>`",
            ]
        );
    }

    #[test]
    fn an_image_without_src_uses_its_lazy_address_or_goes() {
        let (html, found) = check(
            "<img data-lazy-src=\"/a.jpg\" alt=\"A\"> <img alt=\"B\" src=\"\"> <img class=\"x\">",
        );
        assert_eq!(
            html,
            "<img data-lazy-src=\"/a.jpg\" alt=\"A\" src=\"/a.jpg\">  "
        );
        let found: Vec<String> = found
            .iter()
            .map(|d| format!("{} {} {}", d.column, d.is_error(), d.message))
            .collect();
        assert_eq!(
            found,
            [
                "1 false the image has no `src`: Dateline used its `data-lazy-src`",
                "38 false the image has no `src`, so it shows nothing: dropped (and 1 more like it in this story)",
            ]
        );
    }
}
