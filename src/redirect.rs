//! Redirect pages for old addresses: a story or page lists where it used to live in
//! `redirect_from`, and the build writes a small page at each of those paths that sends readers
//! (and search engines, through the canonical link) to where it lives now.
//!
//! A static host cannot answer with a real HTTP redirect, so the page does it in HTML: an
//! instant `<meta http-equiv="refresh">`, a canonical link, a plain link for browsers that
//! ignore both, and `noindex` so the old address drops out of search results.

use std::collections::HashMap;

use quick_xml::escape::escape;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::newsroom::Newsroom;
use crate::output::{Output, Outputs, route_file};
use crate::story::Story;

/// Checks an old address written in front matter and puts it in the form routes have:
/// `/old/path` becomes `/old/path/` (as Hugo and Zola treat aliases), `/old.html` stays.
/// The error says what is wrong with the path, to follow "`redirect_from` path `x` ".
pub fn normalize_path(path: &str) -> Result<String, &'static str> {
    let path = path.trim();
    if crate::url::is_external(path) {
        return Err("is a full address: give only the path on this site, starting with `/`");
    }
    if !path.starts_with('/') {
        return Err("must start with `/`: it is a path on this site");
    }
    if path.contains(['?', '#']) {
        return Err("cannot have a query (`?`) or fragment (`#`)");
    }
    if path.contains(|c: char| c.is_whitespace() || c.is_control() || c == '\\') {
        return Err("cannot contain spaces, control characters or backslashes");
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if *segment == "." || *segment == ".." {
            return Err("cannot contain `.` or `..` segments");
        }
        if segment.is_empty() && i != last {
            return Err("cannot contain empty segments (`//`)");
        }
    }
    let file_like = segments[last].ends_with(".html") || segments[last].ends_with(".htm");
    if path.ends_with('/') || file_like {
        Ok(path.to_string())
    } else {
        Ok(format!("{path}/"))
    }
}

/// Adds a redirect page for every `redirect_from` path of the published stories and pages.
/// A path that is already some file of the site (a page, a listing, a feed, a photo) or that
/// two files claim is an error at its `redirect_from` line: one of them would be lost.
pub fn render(newsroom: &Newsroom, outputs: &mut Outputs) -> Diagnostics {
    let site = &newsroom.site;
    let mut problems = Diagnostics::new();
    let mut redirects: HashMap<String, (&Story, String)> = HashMap::new();
    let redirecting = newsroom
        .stories
        .iter()
        .chain(&newsroom.pages)
        .filter(|s| !s.front.redirect_from.is_empty());
    for story in redirecting {
        let target = site.absolute(&site.path(&story.route));
        for from in &story.front.redirect_from {
            let file = route_file(&from.path);
            let clash = |help: String| {
                Diagnostic::error(
                    &story.file.display,
                    format!("the redirect from {} would replace another file", from.path),
                )
                .with_span(story.text(), from.span.clone())
                .with_help(help)
            };
            if outputs.get(&file).is_some() {
                let owner = newsroom
                    .stories
                    .iter()
                    .chain(&newsroom.pages)
                    .find(|s| route_file(&s.route) == file)
                    .map_or_else(
                        || "a page of the site".to_string(),
                        |s| s.file.display.display().to_string(),
                    );
                problems.push(clash(format!(
                    "{} is already the address of {owner}; remove it from `redirect_from`",
                    from.path
                )));
            } else if let Some((other, _)) = redirects.get(&file) {
                problems.push(clash(format!(
                    "{} also redirects from {}; keep it in only one of them",
                    other.file.display.display(),
                    from.path
                )));
            } else {
                redirects.insert(file, (story, page(&site.config.language, &target)));
            }
        }
    }
    for (file, (_, html)) in redirects {
        outputs.insert(file, Output::text(html));
    }
    problems
}

/// The HTML of a redirect to the absolute URL `target`.
pub fn page(language: &str, target: &str) -> String {
    let url = escape(target);
    let language = escape(language);
    format!(
        "<!doctype html>\n\
         <html lang=\"{language}\">\n\
         <head>\n\
         <meta charset=\"utf-8\">\n\
         <title>Redirecting to {url}</title>\n\
         <meta name=\"robots\" content=\"noindex\">\n\
         <link rel=\"canonical\" href=\"{url}\">\n\
         <meta http-equiv=\"refresh\" content=\"0; url={url}\">\n\
         </head>\n\
         <body>\n\
         <p>This page has moved to <a href=\"{url}\">{url}</a>.</p>\n\
         </body>\n\
         </html>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_paths_are_normalised_like_aliases() {
        assert_eq!(normalize_path("/old/path/").unwrap(), "/old/path/");
        assert_eq!(normalize_path(" /old/path ").unwrap(), "/old/path/");
        assert_eq!(
            normalize_path("/2024/story.html").unwrap(),
            "/2024/story.html"
        );
        assert_eq!(normalize_path("/élections/").unwrap(), "/élections/");
    }

    #[test]
    fn anything_but_a_site_path_is_refused() {
        for bad in [
            "old/path/",
            "https://example.org/old/",
            "//cdn.example.org/old/",
            "/old/?page=2",
            "/old/#top",
            "/old path/",
            "/a/../b/",
            "/a//b/",
            "javascript:alert(1)",
            "",
        ] {
            assert!(normalize_path(bad).is_err(), "{bad} was accepted");
        }
    }

    #[test]
    fn redirect_page_escapes_the_target_in_attributes_and_text() {
        let html = page("en", "https://example.org/a/?x=1&y=\"2\"<b>");
        assert!(html.contains(
            "content=\"0; url=https://example.org/a/?x=1&amp;y=&quot;2&quot;&lt;b&gt;\""
        ));
        assert!(html.contains("<link rel=\"canonical\" href=\"https://example.org/a/?x=1&amp;y="));
        assert!(html.contains("<meta name=\"robots\" content=\"noindex\">"));
        assert!(!html.contains("<b>"));
    }
}
