//! Relative links and image sources in a story's HTML made absolute, for feeds.
//!
//! A story page can say `<img src="/world/2025/05/swap/photo.jpg">` because the browser knows
//! which page it is on; a feed reader shows the same HTML somewhere else, where the link breaks.
//! So feed content is rewritten as the browser would have resolved it on the story's page.
//!
//! The rewrite walks the HTML's tags with a small tokenizer rather than searching the text:
//! text that merely looks like an attribute (`&lt;a href="/x"&gt;` in a code sample, a quoted
//! value such as `title="src=/x"`, a comment, the inside of a `<script>`) is left alone, and
//! only the values of `href`, `src`, `srcset` and `poster` attributes are touched.

use std::borrow::Cow;

/// Attributes whose values are URLs that readers follow or load.
const URL_ATTRIBUTES: &[&str] = &["href", "src", "poster"];

/// Elements whose content is raw text, not markup: tags inside them are not tags.
const RAW_TEXT_ELEMENTS: &[&str] = &[
    "script", "style", "textarea", "title", "xmp", "iframe", "noembed", "noframes",
];

/// `html` with every relative URL in a link or media attribute resolved against `page`, the
/// absolute URL of the page the HTML was written for.
pub fn absolutize(html: &str, page: &str) -> String {
    let mut out = String::with_capacity(html.len() + html.len() / 16);
    let mut copied = 0;
    each_url_attribute(html, |name, value| {
        let raw = &html[value.range.clone()];
        let rewritten = match name.eq_ignore_ascii_case("srcset") {
            true => resolve_srcset(raw, page),
            false => resolve(raw, page),
        };
        if let Cow::Owned(url) = rewritten {
            let url = escape(&url);
            out.push_str(&html[copied..value.range.start]);
            if value.quoted {
                out.push_str(&url);
            } else {
                out.push('"');
                out.push_str(&url);
                out.push('"');
            }
            copied = value.range.end;
        }
    });
    out.push_str(&html[copied..]);
    out
}

/// Where each `href`, `src` and `poster` value of `html` is written (not `srcset`, which
/// holds several URLs), for checking the links a template writes as they are.
pub fn url_values(html: &str) -> Vec<std::ops::Range<usize>> {
    let mut found = Vec::new();
    each_url_attribute(html, |name, value| {
        if !name.eq_ignore_ascii_case("srcset") {
            found.push(value.range.clone());
        }
    });
    found
}

/// Calls `visit` with the name and value of every URL attribute (`href`, `src`, `poster`,
/// `srcset`) of every start tag of `html`, in order, skipping comments and raw text.
fn each_url_attribute(html: &str, mut visit: impl FnMut(&str, &AttributeValue)) {
    let mut at = 0;
    let bytes = html.as_bytes();
    while let Some(found) = html[at..].find('<') {
        let start = at + found;
        let rest = &html[start..];
        if rest.starts_with("<!--") {
            at = html[start + 4..]
                .find("-->")
                .map_or(html.len(), |end| start + 4 + end + 3);
        } else if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            at = html[start..]
                .find('>')
                .map_or(html.len(), |end| start + end + 1);
        } else if bytes.get(start + 1).is_some_and(u8::is_ascii_alphabetic) {
            let tag = start_tag(html, start + 1);
            for attribute in &tag.attributes {
                let Some(value) = &attribute.value else {
                    continue;
                };
                let name = &html[attribute.name.clone()];
                if name.eq_ignore_ascii_case("srcset")
                    || URL_ATTRIBUTES.iter().any(|a| name.eq_ignore_ascii_case(a))
                {
                    visit(name, value);
                }
            }
            at = tag.end;
            let name = &html[tag.name];
            if let Some(raw) = RAW_TEXT_ELEMENTS
                .iter()
                .find(|e| name.eq_ignore_ascii_case(e))
            {
                at = find_end_tag(html, at, raw);
            }
        } else {
            at = start + 1;
        }
    }
}

/// A start tag: the byte ranges of its name and attributes, and where it ends.
struct StartTag {
    name: std::ops::Range<usize>,
    attributes: Vec<Attribute>,
    /// Just past the closing `>` (or the end of the text if it never closes).
    end: usize,
}

struct Attribute {
    name: std::ops::Range<usize>,
    value: Option<AttributeValue>,
}

struct AttributeValue {
    /// The value without its quotes, as written (entities not decoded).
    range: std::ops::Range<usize>,
    quoted: bool,
}

/// Reads a start tag whose name begins at `at` (just after `<`), as the HTML standard's
/// tokenizer does: names end at whitespace, `/` or `>`; values are quoted or end at
/// whitespace or `>`.
fn start_tag(html: &str, at: usize) -> StartTag {
    let bytes = html.as_bytes();
    let is_space = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c');
    let mut i = at;
    while i < bytes.len() && !is_space(bytes[i]) && bytes[i] != b'/' && bytes[i] != b'>' {
        i += 1;
    }
    let name = at..i;
    let mut attributes = Vec::new();
    loop {
        while i < bytes.len() && (is_space(bytes[i]) || bytes[i] == b'/') {
            i += 1;
        }
        if i >= bytes.len() {
            return StartTag {
                name,
                attributes,
                end: bytes.len(),
            };
        }
        if bytes[i] == b'>' {
            return StartTag {
                name,
                attributes,
                end: i + 1,
            };
        }
        let name_start = i;
        i += 1;
        while i < bytes.len() && !is_space(bytes[i]) && !matches!(bytes[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let attribute_name = name_start..i;
        let mut j = i;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        if bytes.get(j) != Some(&b'=') {
            attributes.push(Attribute {
                name: attribute_name,
                value: None,
            });
            continue;
        }
        j += 1;
        while j < bytes.len() && is_space(bytes[j]) {
            j += 1;
        }
        let value = match bytes.get(j) {
            Some(&quote @ (b'"' | b'\'')) => {
                let start = j + 1;
                let end = html[start..]
                    .find(char::from(quote))
                    .map_or(html.len(), |e| start + e);
                i = (end + 1).min(html.len());
                AttributeValue {
                    range: start..end,
                    quoted: true,
                }
            }
            _ => {
                let start = j;
                let mut end = j;
                while end < bytes.len() && !is_space(bytes[end]) && bytes[end] != b'>' {
                    end += 1;
                }
                i = end;
                AttributeValue {
                    range: start..end,
                    quoted: false,
                }
            }
        };
        attributes.push(Attribute {
            name: attribute_name,
            value: Some(value),
        });
    }
}

/// Where the raw text of a `<name>` element ends: at its `</name`, or the end of the text.
fn find_end_tag(html: &str, from: usize, name: &str) -> usize {
    let bytes = html.as_bytes();
    let mut at = from;
    while let Some(found) = html[at..].find("</") {
        let start = at + found + 2;
        let end = start + name.len();
        if end <= bytes.len()
            && bytes[start..end].eq_ignore_ascii_case(name.as_bytes())
            && bytes
                .get(end)
                .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'/' | b'>'))
        {
            return start - 2;
        }
        at = start;
    }
    html.len()
}

/// The absolute form of `url` on the page at `page` (itself absolute), as a browser resolves
/// it; borrowed when it already is absolute.
pub fn resolve<'a>(url: &'a str, page: &str) -> Cow<'a, str> {
    let trimmed = url.trim();
    if trimmed.starts_with("//") {
        let scheme = page.find("//").map_or("https:", |i| &page[..i]);
        return Cow::Owned(format!("{scheme}{trimmed}"));
    }
    if crate::site::url::is_external(trimmed) {
        return Cow::Borrowed(url);
    }
    let (origin, path) = split_origin(page);
    let page_without = |stop: &[char]| page.find(stop).map_or(page, |i| &page[..i]);
    let absolute = if trimmed.is_empty() {
        page.to_string()
    } else if trimmed.starts_with('/') {
        format!("{origin}{}", remove_dot_segments(trimmed))
    } else if trimmed.starts_with('#') {
        format!("{}{trimmed}", page_without(&['#']))
    } else if trimmed.starts_with('?') {
        format!("{}{trimmed}", page_without(&['?', '#']))
    } else {
        let path = path.find(['?', '#']).map_or(path, |i| &path[..i]);
        let directory = path.rfind('/').map_or("/", |i| &path[..=i]);
        format!(
            "{origin}{}",
            remove_dot_segments(&format!("{directory}{trimmed}"))
        )
    };
    Cow::Owned(absolute)
}

/// Each candidate of a `srcset` (`a.jpg 1x, b.jpg 2x`) resolved; descriptors kept.
fn resolve_srcset<'a>(srcset: &'a str, page: &str) -> Cow<'a, str> {
    let mut changed = false;
    let candidates: Vec<String> = srcset
        .split(',')
        .map(|candidate| {
            let trimmed = candidate.trim();
            let (url, descriptor) = trimmed
                .split_once(char::is_whitespace)
                .map_or((trimmed, ""), |(u, d)| (u, d.trim()));
            let resolved = resolve(url, page);
            changed |= matches!(resolved, Cow::Owned(_));
            if descriptor.is_empty() {
                resolved.into_owned()
            } else {
                format!("{resolved} {descriptor}")
            }
        })
        .collect();
    if changed {
        Cow::Owned(candidates.join(", "))
    } else {
        Cow::Borrowed(srcset)
    }
}

/// `https://example.org/a/b/` → (`https://example.org`, `/a/b/`).
fn split_origin(url: &str) -> (&str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    match url[after_scheme..].find('/') {
        Some(slash) => url.split_at(after_scheme + slash),
        None => (url, "/"),
    }
}

/// `/a/b/../c/./d` → `/a/c/d` (RFC 3986, section 5.2.4); query and fragment are kept as is.
fn remove_dot_segments(path: &str) -> String {
    let split = path.find(['?', '#']).unwrap_or(path.len());
    let (path, suffix) = path.split_at(split);
    let mut segments: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').skip(1).collect();
    for (index, segment) in parts.iter().enumerate() {
        let last = index + 1 == parts.len();
        match *segment {
            "." => {
                if last {
                    segments.push("");
                }
            }
            ".." => {
                segments.pop();
                if last {
                    segments.push("");
                }
            }
            other => segments.push(other),
        }
    }
    format!("/{}{suffix}", segments.join("/"))
}

/// Escapes what could end or confuse an attribute value. `&` is left as it is: the part of the
/// URL that came from the attribute is still written as it was (entities and all), and the page
/// URL has none.
fn escape(text: &str) -> Cow<'_, str> {
    if !text.contains(['"', '\'', '<', '>']) {
        return Cow::Borrowed(text);
    }
    Cow::Owned(
        text.replace('"', "&quot;")
            .replace('\'', "&#39;")
            .replace('<', "&lt;")
            .replace('>', "&gt;"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "https://news.example.org/gazette/world/2025/05/talks/";

    fn check(html: &str, expected: &str) {
        assert_eq!(absolutize(html, PAGE), expected);
    }

    #[test]
    fn root_relative_urls_get_the_origin() {
        check(
            r#"<p><a href="/gazette/about/">About</a> <img src="/gazette/a.jpg" alt=""></p>"#,
            r#"<p><a href="https://news.example.org/gazette/about/">About</a> <img src="https://news.example.org/gazette/a.jpg" alt=""></p>"#,
        );
    }

    #[test]
    fn document_relative_urls_resolve_against_the_page() {
        check(
            r#"<img src="photo.jpg"><a href="../../06/vote/?x=1&amp;y=2#top">v</a>"#,
            r#"<img src="https://news.example.org/gazette/world/2025/05/talks/photo.jpg"><a href="https://news.example.org/gazette/world/2025/06/vote/?x=1&amp;y=2#top">v</a>"#,
        );
        check(
            "<a href=\"#notes\">n</a><a href=\"?page=2\">2</a><a href=\"\">self</a>",
            "<a href=\"https://news.example.org/gazette/world/2025/05/talks/#notes\">n</a>\
             <a href=\"https://news.example.org/gazette/world/2025/05/talks/?page=2\">2</a>\
             <a href=\"https://news.example.org/gazette/world/2025/05/talks/\">self</a>",
        );
    }

    #[test]
    fn absolute_and_other_scheme_urls_are_left_alone() {
        let html = r#"<a href="https://other.org/x">x</a><a href="mailto:desk@example.org">m</a><a href='tel:+351'>t</a>"#;
        check(html, html);
        check(
            r#"<script src="//cdn.example.org/x.js"></script>"#,
            r#"<script src="https://cdn.example.org/x.js"></script>"#,
        );
    }

    #[test]
    fn quoting_styles_are_understood() {
        check(
            "<img src='/a.jpg'><img src=/b.jpg alt=x><IMG SRC = \"/c.jpg\">",
            "<img src='https://news.example.org/a.jpg'><img src=\"https://news.example.org/b.jpg\" alt=x>\
             <IMG SRC = \"https://news.example.org/c.jpg\">",
        );
    }

    #[test]
    fn srcset_candidates_are_each_resolved() {
        check(
            r#"<img srcset="/s.jpg 480w, m.jpg 800w,https://cdn.org/l.jpg 1200w" src="/m.jpg">"#,
            r#"<img srcset="https://news.example.org/s.jpg 480w, https://news.example.org/gazette/world/2025/05/talks/m.jpg 800w, https://cdn.org/l.jpg 1200w" src="https://news.example.org/m.jpg">"#,
        );
    }

    #[test]
    fn text_that_only_looks_like_markup_is_untouched() {
        let html = concat!(
            "<p>Write &lt;a href=\"/x\"&gt; for links.</p>",
            "<a title=\"src=/y\" data-src=\"/z\" data-href='/w'>t</a>",
            "<!-- <img src=\"/hidden.jpg\"> -->",
            "<script>var s = '<img src=\"/in-script.jpg\">';</script>",
            "<p>1 < 2 and <3</p>",
        );
        check(html, html);
    }

    #[test]
    fn markup_after_raw_text_is_still_rewritten() {
        check(
            "<style>a[href=\"/x\"]{}</STYLE><a href=\"/y\">y</a>",
            "<style>a[href=\"/x\"]{}</STYLE><a href=\"https://news.example.org/y\">y</a>",
        );
    }

    #[test]
    fn unfinished_markup_never_panics() {
        for html in [
            "<a href=\"/x",
            "<a href=",
            "<a href",
            "<",
            "<!--",
            "<script>",
            "<a href='/é",
            "</",
            "<a\u{1F680} src=/🚀>",
        ] {
            absolutize(html, PAGE);
        }
        assert_eq!(
            absolutize("<a href=\"/x", PAGE),
            "<a href=\"https://news.example.org/x"
        );
    }

    #[test]
    fn dot_segments_are_removed() {
        assert_eq!(remove_dot_segments("/a/b/../c/./d"), "/a/c/d");
        assert_eq!(remove_dot_segments("/a/b/.."), "/a/");
        assert_eq!(remove_dot_segments("/../../a"), "/a");
        assert_eq!(remove_dot_segments("/a/./?q=../x#../y"), "/a/?q=../x#../y");
    }

    #[test]
    fn an_origin_without_a_path_works() {
        assert_eq!(
            resolve("a.jpg", "https://example.org"),
            "https://example.org/a.jpg"
        );
        assert_eq!(
            resolve("/a", "https://example.org"),
            "https://example.org/a"
        );
    }
}
