//! What HTML no longer allows, and what Dateline writes instead: the obsolete elements and
//! attributes of the HTML standard ("Obsolete features") that old archives and word processors
//! still write, and the names of the elements HTML has.

/// What becomes of an obsolete or unknown element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Fate {
    /// Renamed, keeping its attributes (and a style, when the old element had a look).
    Rename(&'static str, Option<&'static str>),
    /// The tag is dropped and its contents are kept.
    Unwrap,
}

/// Obsolete elements, what they become and why in a few words.
pub(super) fn obsolete(name: &str) -> Option<Fate> {
    Some(match name {
        "tt" => Fate::Rename("code", None),
        "strike" => Fate::Rename("s", None),
        "acronym" => Fate::Rename("abbr", None),
        "dir" => Fate::Rename("ul", None),
        "center" => Fate::Rename("div", Some("text-align: center")),
        "big" => Fate::Rename("span", Some("font-size: larger")),
        "nobr" => Fate::Rename("span", Some("white-space: nowrap")),
        "xmp" | "listing" | "plaintext" => Fate::Rename("pre", None),
        "font" | "basefont" | "blink" | "marquee" | "spacer" | "applet" | "frameset" | "frame"
        | "noframes" | "isindex" | "multicol" | "nextid" | "bgsound" | "image" | "menuitem"
        | "rb" | "rtc" => Fate::Unwrap,
        _ => return None,
    })
}

/// Attributes HTML made obsolete on the elements they are written on (presentational ones that
/// CSS replaced). `width` and `height` are obsolete only on tables and rules: on images and
/// embeds they are what keeps the page from jumping as it loads.
pub(super) fn obsolete_attribute(element: &str, attribute: &str) -> bool {
    match attribute {
        "align" | "valign" | "bgcolor" | "background" | "cellpadding" | "cellspacing"
        | "nowrap" | "hspace" | "vspace" | "clear" | "frameborder" | "scrolling"
        | "marginwidth" | "marginheight" | "longdesc" | "language" | "summary" | "rules"
        | "char" | "charoff" | "noshade" | "compact" | "axis" | "datasrc" | "datafld"
        | "dataformatas" => true,
        "width" | "height" => matches!(
            element,
            "table" | "td" | "th" | "tr" | "col" | "colgroup" | "hr" | "pre"
        ),
        "border" => element != "table",
        "frame" => element == "table",
        "name" => matches!(element, "img" | "embed"),
        "type" => matches!(element, "ul" | "li"),
        "size" => element == "hr",
        "charset" | "rev" | "shape" | "coords" => element == "a",
        _ => false,
    }
}

/// The elements of HTML (and the SVG and MathML roots that may sit in it). A name not here and
/// without a `-` (which custom elements have) is not HTML: the checker refuses it.
pub(super) fn is_html(name: &str) -> bool {
    ELEMENTS.binary_search(&name).is_ok()
}

const ELEMENTS: &[&str] = &[
    "a",
    "abbr",
    "address",
    "area",
    "article",
    "aside",
    "audio",
    "b",
    "base",
    "bdi",
    "bdo",
    "blockquote",
    "body",
    "br",
    "button",
    "canvas",
    "caption",
    "cite",
    "code",
    "col",
    "colgroup",
    "data",
    "datalist",
    "dd",
    "del",
    "details",
    "dfn",
    "dialog",
    "div",
    "dl",
    "dt",
    "em",
    "embed",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hgroup",
    "hr",
    "html",
    "i",
    "iframe",
    "img",
    "input",
    "ins",
    "kbd",
    "label",
    "legend",
    "li",
    "link",
    "main",
    "map",
    "mark",
    "math",
    "menu",
    "meta",
    "meter",
    "nav",
    "noscript",
    "object",
    "ol",
    "optgroup",
    "option",
    "output",
    "p",
    "param",
    "picture",
    "pre",
    "progress",
    "q",
    "rp",
    "rt",
    "ruby",
    "s",
    "samp",
    "script",
    "search",
    "section",
    "select",
    "slot",
    "small",
    "source",
    "span",
    "strong",
    "style",
    "sub",
    "summary",
    "sup",
    "svg",
    "table",
    "tbody",
    "td",
    "template",
    "textarea",
    "tfoot",
    "th",
    "thead",
    "time",
    "title",
    "tr",
    "track",
    "u",
    "ul",
    "var",
    "video",
    "wbr",
];

/// Elements whose end tag HTML lets a writer leave out: the parser closing them is no mistake.
pub(super) fn end_tag_optional(name: &str) -> bool {
    matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "rt"
            | "rp"
            | "optgroup"
            | "option"
            | "colgroup"
            | "caption"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "html"
            | "head"
            | "body"
    )
}

/// Elements that have no end tag at all.
pub(super) fn is_void(name: &str) -> bool {
    matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "param"
            | "source"
            | "track"
            | "wbr"
            | "basefont"
            | "bgsound"
            | "frame"
            | "image"
            | "isindex"
            | "keygen"
            | "spacer"
    )
}

/// The formatting elements the parser re-opens in the next block when one is left open.
pub(super) fn is_formatting(name: &str) -> bool {
    matches!(
        name,
        "a" | "b"
            | "big"
            | "code"
            | "em"
            | "font"
            | "i"
            | "nobr"
            | "s"
            | "small"
            | "strike"
            | "strong"
            | "tt"
            | "u"
    )
}

/// The parts of a table, which the parser drops (keeping their text) outside one.
pub(super) fn is_table_part(name: &str) -> bool {
    [
        "tr", "td", "th", "tbody", "thead", "tfoot", "caption", "col", "colgroup",
    ]
    .iter()
    .any(|part| part.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_element_list_is_sorted_for_binary_search() {
        assert!(ELEMENTS.windows(2).all(|pair| pair[0] < pair[1]));
        assert!(is_html("span") && is_html("wbr") && !is_html("o:p") && !is_html("tt"));
    }
}
