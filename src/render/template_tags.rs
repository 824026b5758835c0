//! A light scan of a template's `{% ... %}` tags, to explain Tera's syntax errors at their
//! cause. Tera reports an `{% if %}` left open where parsing could not go on (as "Unknown tag"
//! at the `{% endblock %}` after it, or at the end of the file); the scan finds the tag that was
//! opened and never closed. It runs only on a template Tera has refused, so a theme that
//! compiles never pays for it.

use std::ops::Range;

/// One `{% ... %}` tag: where it is, and its words without the whitespace-control dashes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Tag {
    pub(crate) span: Range<usize>,
    pub(crate) words: Vec<String>,
}

impl Tag {
    fn keyword(&self) -> &str {
        self.words.first().map_or("", String::as_str)
    }

    /// The name of the tag it opens a body for (`if`, `for`, `block`, `<card`), if any.
    fn opens(&self) -> Option<&str> {
        let keyword = self.keyword();
        match keyword {
            "if" | "for" | "block" | "filter" | "component" => Some(keyword),
            // `{% set x %}...{% endset %}` captures a body; `{% set x = 1 %}` does not.
            "set" | "set_global" if !self.assigns() => Some("set"),
            _ if keyword.starts_with('<') && !keyword.starts_with("</") => {
                let self_closing = self.words.last().is_some_and(|w| w.ends_with("/>"));
                (!self_closing).then_some("<")
            }
            _ => None,
        }
    }

    /// Whether a `set` tag assigns a value (`x = 1`, `x=1`) rather than capturing a body.
    fn assigns(&self) -> bool {
        self.words.get(1).is_some_and(|w| w.contains('='))
            || self.words.get(2).is_some_and(|w| w.starts_with('='))
    }

    /// The name of the tag it closes (`if` for `endif`, `<` for `</card>`), if any.
    fn closes(&self) -> Option<&str> {
        let keyword = self.keyword();
        if keyword.starts_with("</") {
            return Some("<");
        }
        keyword
            .strip_prefix("end")
            .filter(|kind| ["if", "for", "block", "filter", "component", "set"].contains(kind))
    }

    /// How the tag reads in a message: `{% if story.dek %}`, shortened when long.
    pub(crate) fn shown(&self) -> String {
        let mut text = self.words.join(" ");
        if text.chars().count() > 40 {
            text = text.chars().take(37).collect::<String>() + "...";
        }
        format!("{{% {text} %}}")
    }

    /// The tag that closes this one, as it would be written.
    fn closing(&self) -> String {
        match self.opens() {
            Some("<") => format!("{{% </{}> %}}", self.keyword().trim_start_matches('<')),
            Some(kind) => format!("{{% end{kind} %}}"),
            None => String::new(),
        }
    }
}

/// Every `{% ... %}` tag of a template, in order; comments, `{{ ... }}` and the inside of
/// `{% raw %}` are skipped, and a `%}` inside a quoted string does not end a tag.
pub(crate) fn tags(text: &str) -> Vec<Tag> {
    let mut tags = Vec::new();
    let mut at = 0;
    let mut in_raw = false;
    while let Some(found) = text[at..].find('{') {
        let start = at + found;
        let rest = &text[start..];
        let closer = match rest.as_bytes().get(1) {
            Some(b'%') => "%}",
            Some(b'{') => "}}",
            Some(b'#') => "#}",
            _ => {
                at = start + 1;
                continue;
            }
        };
        let Some(length) = end_of(&rest[2..], closer) else {
            break;
        };
        let end = start + 2 + length + closer.len();
        at = end;
        if closer != "%}" {
            continue;
        }
        let inner = text[start + 2..end - 2].trim_matches(['-', '+', '~']);
        let tag = Tag {
            span: start..end,
            words: inner.split_whitespace().map(String::from).collect(),
        };
        match (in_raw, tag.keyword()) {
            (false, "raw") => in_raw = true,
            (true, "endraw") => in_raw = false,
            (false, _) => tags.push(tag),
            (true, _) => {}
        }
    }
    tags
}

/// Where `closer` ends a tag's inside, skipping quoted strings.
fn end_of(inside: &str, closer: &str) -> Option<usize> {
    let mut quote = None;
    for (index, c) in inside.char_indices() {
        match quote {
            Some(open) if c == open => quote = None,
            Some(_) => {}
            None if matches!(c, '"' | '\'' | '`') && closer != "#}" => quote = Some(c),
            None if inside[index..].starts_with(closer) => return Some(index),
            None => {}
        }
    }
    None
}

/// What the scan found wrong with the nesting of a template's tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Nesting {
    /// `open` is never closed: `stopped` is the closing tag of an outer body met first, or
    /// `None` at the end of the template.
    Unclosed { open: Tag, stopped: Option<Tag> },
    /// A closing tag with nothing open of its kind.
    Stray(Tag),
}

impl Nesting {
    /// Where the scan noticed the problem: Tera reports it there too.
    pub(crate) fn noticed_at(&self) -> Option<usize> {
        match self {
            Nesting::Unclosed { stopped, .. } => stopped.as_ref().map(|tag| tag.span.start),
            Nesting::Stray(tag) => Some(tag.span.start),
        }
    }

    /// The tag to point at: the one never closed, or the stray end.
    pub(crate) fn tag(&self) -> &Tag {
        match self {
            Nesting::Unclosed { open, .. } | Nesting::Stray(open) => open,
        }
    }

    /// A plain sentence, and what to do.
    pub(crate) fn explain(&self, line_of: impl Fn(usize) -> usize) -> (String, String) {
        match self {
            Nesting::Unclosed { open, stopped } => {
                let message = format!("`{}` is never closed", open.shown());
                let place = match stopped {
                    Some(outer) => format!(
                        "before `{}` on line {}",
                        outer.shown(),
                        line_of(outer.span.start)
                    ),
                    None => "before the end of the template".to_string(),
                };
                let help = format!("add `{}` where its part ends, {place}", open.closing());
                (message, help)
            }
            Nesting::Stray(tag) => (
                format!("`{}` closes nothing that is open", tag.shown()),
                format!(
                    "remove it, or add the tag it closes (`{{% {} %}}`) before it",
                    tag.closes().unwrap_or_default().trim_start_matches('<')
                ),
            ),
        }
    }
}

/// The first nesting problem of `text`'s tags, if any.
pub(crate) fn nesting(text: &str) -> Option<Nesting> {
    let mut open: Vec<Tag> = Vec::new();
    for tag in tags(text) {
        if tag.opens().is_some() {
            open.push(tag);
            continue;
        }
        let Some(kind) = tag.closes() else {
            continue;
        };
        match open.iter().rposition(|o| o.opens() == Some(kind)) {
            Some(index) if index + 1 == open.len() => {
                open.pop();
            }
            // It closes an outer body: the tags opened inside it are still open; the last
            // one opened is reported, as at the end of the template.
            Some(_) => {
                return open.pop().map(|inner| Nesting::Unclosed {
                    open: inner,
                    stopped: Some(tag),
                });
            }
            None => return Some(Nesting::Stray(tag)),
        }
    }
    open.pop().map(|tag| Nesting::Unclosed {
        open: tag,
        stopped: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line_of(text: &str) -> impl Fn(usize) -> usize + '_ {
        |offset| text[..offset].matches('\n').count() + 1
    }

    #[test]
    fn an_if_left_open_inside_a_block_is_found_at_its_opening_tag() {
        let text = "{% block main %}\n<p>{% if story.dek %}x\n{% if a %}y{% endif %}\n{% endblock main %}\n";
        let found = nesting(text).unwrap();
        assert_eq!(found.tag().shown(), "{% if story.dek %}");
        assert_eq!(line_of(text)(found.tag().span.start), 2);
        assert_eq!(line_of(text)(found.noticed_at().unwrap()), 4);
        let (message, help) = found.explain(line_of(text));
        assert_eq!(message, "`{% if story.dek %}` is never closed");
        assert_eq!(
            help,
            "add `{% endif %}` where its part ends, before `{% endblock main %}` on line 4"
        );
    }

    #[test]
    fn the_innermost_tag_open_at_the_end_is_the_one_reported() {
        let found = nesting("{% for t in tags %}\n{%- if t -%}\n").unwrap();
        assert_eq!(found.tag().shown(), "{% if t %}");
        assert_eq!(found.noticed_at(), None);
    }

    #[test]
    fn a_closing_tag_with_nothing_open_is_stray() {
        let found = nesting("<p>x</p>\n{% endif %}\n").unwrap();
        assert!(matches!(found, Nesting::Stray(_)), "{found:?}");
        assert_eq!(
            found.explain(|_| 1).0,
            "`{% endif %}` closes nothing that is open"
        );
    }

    #[test]
    fn balanced_templates_and_look_alikes_are_fine() {
        for text in [
            "{% if a %}{% elif b %}{% else %}{% endif %}",
            "{% for x in xs %}{{ x }}{% else %}none{% endfor %}",
            "{% set x = 1 %}{% set y %}captured{% endset %}{% set z=2 %}",
            "{% set w | replace(from=\"a\", to=\"b\") %}captured{% endset %}",
            "{% raw %}{% if %}{% endraw %}",
            "{# {% if a %} #}{{ \"{% if\" }}",
            "{% set s = \"%} {% if\" %}",
            "{% <card(x=1)> %}body{% </card> %}{% <badge() /> %}",
            "{% component card(x) %}{{ x }}{% endcomponent card %}",
            "a { color: red } {% block b %}{% endblock %}",
        ] {
            assert_eq!(nesting(text), None, "{text}");
        }
    }
}
