//! Corrections: on the story, in its modified date, and on the site's /corrections/ page.

use crate::harness::{LATER, Site, attrs, diagnostics, html, location, texts};

fn site() -> Site {
    let site = Site::new();
    site.story(
        "content/world/talks.md",
        "Talks resume",
        "2025-05-16 10:00",
        "corrections:\n  - date: 2025-05-17 09:30\n    text: \"An earlier version misspelled the envoy's name.\"\n  - {date: 2025-05-18 12:00, text: \"The talks are in Istanbul, not Ankara.\"}\n",
    )
    .story(
        "content/politics/vote.md",
        "Parliament votes",
        "2025-05-10 08:00",
        "updated: 2025-05-11 08:00\ncorrections: [{date: 2025-05-17 11:00, text: The vote was 120 to 80.}]\n",
    )
    .story("content/world/clean.md", "Nothing wrong", "2025-05-12 08:00", "");
    site
}

#[test]
fn the_corrections_page_lists_every_correction_newest_first() {
    let site = site();
    let public = site.build(&[]);
    let page = html(&public, "corrections/index.html");
    assert_eq!(
        texts(&page, ".correction-headline a"),
        ["Talks resume", "Parliament votes", "Talks resume"]
    );
    assert_eq!(
        attrs(&page, ".correction-headline a", "href"),
        [
            "/world/2025/05/talks/",
            "/politics/2025/05/vote/",
            "/world/2025/05/talks/"
        ]
    );
    assert_eq!(
        attrs(&page, ".correction-date time", "datetime"),
        [
            "2025-05-18T12:00:00+01:00",
            "2025-05-17T11:00:00+01:00",
            "2025-05-17T09:30:00+01:00"
        ]
    );
    assert_eq!(
        texts(&page, ".correction-text")[0],
        "The talks are in Istanbul, not Ankara."
    );
}

#[test]
fn a_story_shows_its_corrections_with_dates() {
    let site = site();
    let public = site.build(&[]);
    let story = html(&public, "world/2025/05/talks/index.html");
    let notes = texts(&story, ".corrections li");
    assert_eq!(notes.len(), 2);
    assert!(
        notes[0].ends_with("An earlier version misspelled the envoy's name."),
        "{notes:?}"
    );
    assert!(notes[0].starts_with("May 17, 2025, 09:30"), "{notes:?}");
    assert_eq!(
        attrs(&story, ".corrections time", "datetime"),
        ["2025-05-17T09:30:00+01:00", "2025-05-18T12:00:00+01:00"]
    );
    let clean = html(&public, "world/2025/05/clean/index.html");
    assert!(texts(&clean, ".corrections").is_empty());
}

#[test]
fn the_newest_correction_counts_as_an_update() {
    let site = site();
    let public = site.build(&[]);
    let story = html(&public, "world/2025/05/talks/index.html");
    assert_eq!(
        attrs(&story, "meta[property='article:modified_time']", "content"),
        ["2025-05-18T12:00:00+01:00"]
    );
    let vote = html(&public, "politics/2025/05/vote/index.html");
    assert_eq!(
        attrs(&vote, "meta[property='article:modified_time']", "content"),
        ["2025-05-17T11:00:00+01:00"],
        "later than `updated`, so it wins"
    );
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(
        "<loc>https://gazette.example/world/2025/05/talks/</loc>\n    <lastmod>2025-05-18T12:00:00+01:00</lastmod>"
    ), "{sitemap}");
    assert!(sitemap.contains("<loc>https://gazette.example/corrections/</loc>"));
}

#[test]
fn a_site_without_corrections_still_has_the_page() {
    let site = Site::new();
    site.story("content/world/a.md", "A", "2025-05-01", "");
    let public = site.build(&[]);
    let page = html(&public, "corrections/index.html");
    assert_eq!(texts(&page, ".empty-state"), ["No corrections so far."]);
}

#[test]
fn a_correction_without_text_is_an_error_at_its_line() {
    let site = Site::new();
    site.story(
        "content/world/a.md",
        "A",
        "2025-05-01",
        "corrections:\n  - date: 2025-05-02\n",
    );
    let (code, report) = site.check_json(&["--now", LATER]);
    assert_eq!(code, 1);
    let first = &diagnostics(&report)[0];
    assert_eq!(first["message"], "the correction has no `text`");
    assert_eq!(location(first), "content/world/a.md:6:5");
}
