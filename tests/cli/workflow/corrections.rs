//! Corrections: on the story, in its modified date, and on the site's /corrections/ page.

use super::gazette;
use crate::harness::{Site, json_diagnostics, json_location};

fn site() -> Site {
    let site = gazette();
    site.house_story(
        "world/talks.md",
        "Talks resume",
        "2025-05-16 10:00",
        "corrections:\n  - date: 2025-05-17 09:30\n    text: \"An earlier version misspelled the envoy's name.\"\n  - {date: 2025-05-18 12:00, text: \"The talks are in Istanbul, not Ankara.\"}\n",
    )
    .house_story(
        "politics/vote.md",
        "Parliament votes",
        "2025-05-10 08:00",
        "updated: 2025-05-11 08:00\ncorrections: [{date: 2025-05-17 11:00, text: The vote was 120 to 80.}]\n",
    )
    .house_story("world/clean.md", "Nothing wrong", "2025-05-12 08:00", "");
    site
}

#[test]
fn the_corrections_page_lists_every_correction_newest_first() {
    let site = site();
    let public = site.build();
    public.assert_success();
    let page = public.page("corrections/index.html");
    assert_eq!(
        page.trimmed_texts(".correction-headline a"),
        ["Talks resume", "Parliament votes", "Talks resume"]
    );
    assert_eq!(
        page.attrs(".correction-headline a", "href"),
        [
            "/world/2025/05/talks/",
            "/politics/2025/05/vote/",
            "/world/2025/05/talks/"
        ]
    );
    assert_eq!(
        page.attrs(".correction-date time", "datetime"),
        [
            "2025-05-18T12:00:00+01:00",
            "2025-05-17T11:00:00+01:00",
            "2025-05-17T09:30:00+01:00"
        ]
    );
    assert_eq!(
        page.trimmed_texts(".correction-text")[0],
        "The talks are in Istanbul, not Ankara."
    );
}

#[test]
fn a_story_shows_its_corrections_with_dates() {
    let site = site();
    let public = site.build();
    public.assert_success();
    let story = public.page("world/2025/05/talks/index.html");
    let notes = story.trimmed_texts(".corrections li");
    assert_eq!(notes.len(), 2);
    assert!(
        notes[0].ends_with("An earlier version misspelled the envoy's name."),
        "{notes:?}"
    );
    assert!(notes[0].starts_with("May 17, 2025, 09:30"), "{notes:?}");
    assert_eq!(
        story.attrs(".corrections time", "datetime"),
        ["2025-05-17T09:30:00+01:00", "2025-05-18T12:00:00+01:00"]
    );
    let clean = public.page("world/2025/05/clean/index.html");
    assert!(clean.trimmed_texts(".corrections").is_empty());
}

#[test]
fn the_newest_correction_counts_as_an_update() {
    let site = site();
    let public = site.build();
    public.assert_success();
    let story = public.page("world/2025/05/talks/index.html");
    assert_eq!(
        story.attrs("meta[property='article:modified_time']", "content"),
        ["2025-05-18T12:00:00+01:00"]
    );
    let vote = public.page("politics/2025/05/vote/index.html");
    assert_eq!(
        vote.attrs("meta[property='article:modified_time']", "content"),
        ["2025-05-17T11:00:00+01:00"],
        "later than `updated`, so it wins"
    );
    let sitemap = public.read("sitemap.xml");
    assert!(sitemap.contains(
        "<loc>https://gazette.example/world/2025/05/talks/</loc>\n    <lastmod>2025-05-18T12:00:00+01:00</lastmod>"
    ), "{sitemap}");
    assert!(sitemap.contains("<loc>https://gazette.example/corrections/</loc>"));
}

#[test]
fn a_site_without_corrections_still_has_the_page() {
    let site = gazette();
    site.house_story("world/a.md", "A", "2025-05-01", "");
    let public = site.build();
    public.assert_success();
    let page = public.page("corrections/index.html");
    assert_eq!(
        page.trimmed_texts(".empty-state"),
        ["No corrections so far."]
    );
}

#[test]
fn a_correction_without_text_is_an_error_at_its_line() {
    let site = gazette();
    site.house_story(
        "world/a.md",
        "A",
        "2025-05-01",
        "corrections:\n  - date: 2025-05-02\n",
    );
    let (code, report) = site.check_json(&[]);
    assert_eq!(code, 1);
    let first = &json_diagnostics(&report)[0];
    assert_eq!(first["message"], "the correction has no `text`");
    assert_eq!(json_location(first), "content/world/a.md:6:5");
}
