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
use crate::model::Newsroom;
use crate::output::{Output, Outputs};
use crate::parse::story::Story;
use crate::site::routes::route_file;

/// Adds a redirect page for every `redirect_from` path of the published stories and pages.
/// A path that is already some file of the site (a page, a listing, a feed, a photo) or that
/// two files claim is an error at its `redirect_from` line: one of them would be lost.
pub(crate) fn render(newsroom: &Newsroom, outputs: &mut Outputs) -> Diagnostics {
    let site = &newsroom.site;
    let mut problems = Diagnostics::new();
    // By output file, the story whose redirect is there: each is added to `outputs` at once,
    // so that a later redirect in its way (`/old.html/sub/` under `/old.html`) is found too.
    let mut redirects: HashMap<String, (&Story, &str)> = HashMap::new();
    let redirecting = newsroom
        .stories
        .iter()
        .chain(&newsroom.pages)
        .filter(|s| !s.front.redirect_from.is_empty());
    for story in redirecting {
        let target = site.absolute(&site.path(&story.route));
        for from in &story.front.redirect_from {
            let file = route_file(&from.path);
            // The path as the writer wrote it, not as it was normalised (`/feed.xml/`).
            let written = story.text()[from.span.clone()].trim_matches(['"', '\'', ' ']);
            let Some(occupant) = outputs.occupant(&file) else {
                outputs.insert(
                    file.as_str(),
                    Output::text(page(&site.config.language, &target)),
                );
                redirects.insert(file, (story, written));
                continue;
            };
            let help = match redirects.get(occupant) {
                Some((other, path)) => format!(
                    "{} redirects from {path} already, and the two cannot both be published; \
                     keep only one of them",
                    other.file.display.display(),
                ),
                None => format!(
                    "{written} is already the address of {}; remove it from `redirect_from`",
                    owner(newsroom, occupant)
                ),
            };
            problems.push(
                Diagnostic::error(
                    &story.file.display,
                    format!("the redirect from {written} would replace another file"),
                )
                .with_span(story.text(), from.span.clone())
                .with_help(help),
            );
        }
    }
    problems
}

/// Who publishes the output file `occupant`: a story's or page's file, or the site itself.
fn owner(newsroom: &Newsroom, occupant: &str) -> String {
    newsroom
        .stories
        .iter()
        .chain(&newsroom.pages)
        .find(|s| route_file(&s.route) == occupant)
        .map_or_else(
            || format!("a file of the site (`/{occupant}`)"),
            |s| s.file.display.display().to_string(),
        )
}

/// The HTML of a redirect to the absolute URL `target`.
pub(crate) fn page(language: &str, target: &str) -> String {
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
