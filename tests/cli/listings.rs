//! Listing pages of the `newsroom` fixture (paginate = 2): the front page, sections, tags,
//! authors, the topic index and the 404 page.
//!
//! Its published stories, newest first: vote (politics, May 20), talks (world, May 19),
//! ceasefire (world, May 10), city-budget-2025 (politics, April 2), markets (world, March 15).

use crate::harness::{Run, Site};

const VOTE: &str = "/politics/2025/05/vote/";
const TALKS: &str = "/world/2025/05/talks/";
const CEASEFIRE: &str = "/world/2025/05/ceasefire/";
const BUDGET: &str = "/politics/2025/04/city-budget-2025/";
const MARKETS: &str = "/world/2025/03/markets/";

fn newsroom() -> Run {
    let run = Site::fixture("newsroom").build();
    run.assert_success();
    run
}

/// The story links of a listing page, in order.
fn listed(run: &Run, route: &str) -> Vec<String> {
    run.page(route).attrs(".card-headline a", "href")
}

/// `(previous, next)` pagination links of a listing page.
fn pagination(run: &Run, route: &str) -> (Option<String>, Option<String>) {
    let page = run.page(route);
    let one = |css: &str| {
        let links = page.attrs(css, "href");
        assert!(links.len() <= 1, "several `{css}` on {route}");
        links.into_iter().next()
    };
    (
        one(".pagination a[rel=prev]"),
        one(".pagination a[rel=next]"),
    )
}

#[test]
fn front_page_lists_newest_first_and_paginates() {
    let run = newsroom();
    assert_eq!(listed(&run, "/"), [VOTE, TALKS]);
    assert_eq!(listed(&run, "/page/2/"), [CEASEFIRE, BUDGET]);
    assert_eq!(listed(&run, "/page/3/"), [MARKETS]);
    assert!(!run.exists("page/4/index.html"));
    assert!(
        !run.exists("page/1/index.html"),
        "page 1 is the front page itself"
    );

    assert_eq!(pagination(&run, "/"), (None, Some("/page/2/".into())));
    assert_eq!(
        pagination(&run, "/page/2/"),
        (Some("/".into()), Some("/page/3/".into()))
    );
    assert_eq!(
        pagination(&run, "/page/3/"),
        (Some("/page/2/".into()), None)
    );
    assert_eq!(
        run.page("/page/2/").text(".pagination-status"),
        "Page 2 of 3"
    );
}

#[test]
fn front_page_cards_show_headline_section_and_byline() {
    let run = newsroom();
    let page = run.page("/");
    assert_eq!(
        page.texts(".card-headline a"),
        [
            "Council votes on the harbour plan",
            "Talks resume in Istanbul"
        ]
    );
    assert_eq!(page.texts(".card .kicker a"), ["Politics", "World"]);
    assert_eq!(page.texts(".card .byline a"), ["Ana Costa", "Ana Costa"]);
    assert_eq!(
        page.attrs(".card time", "datetime"),
        ["2025-05-20T08:00:00+01:00", "2025-05-19T23:30:00+01:00"]
    );
}

#[test]
fn section_pages_list_their_own_stories_and_paginate() {
    let run = newsroom();
    assert_eq!(run.page("/world/").text("h1"), "World");
    assert_eq!(listed(&run, "/world/"), [TALKS, CEASEFIRE]);
    assert_eq!(listed(&run, "/world/page/2/"), [MARKETS]);
    assert_eq!(
        pagination(&run, "/world/"),
        (None, Some("/world/page/2/".into()))
    );
    assert_eq!(
        pagination(&run, "/world/page/2/"),
        (Some("/world/".into()), None)
    );
    assert_eq!(run.page("/politics/").text("h1"), "Politics");
    assert_eq!(listed(&run, "/politics/"), [VOTE, BUDGET]);
    assert_eq!(pagination(&run, "/politics/"), (None, None));
}

#[test]
fn navigation_lists_sections_in_site_toml_order() {
    let run = newsroom();
    let page = run.page("/");
    assert_eq!(page.texts(".section-nav a"), ["World", "Politics"]);
    assert_eq!(
        page.attrs(".section-nav a", "href"),
        ["/world/", "/politics/"]
    );
}

#[test]
fn tag_pages_list_the_stories_of_each_tag() {
    let run = newsroom();
    let page = run.page("/tags/diplomacy/");
    assert_eq!(page.text("h1"), "Diplomacy");
    assert_eq!(listed(&run, "/tags/diplomacy/"), [TALKS, CEASEFIRE]);
    assert_eq!(listed(&run, "/tags/ukraine/"), [TALKS]);
    assert_eq!(listed(&run, "/tags/elections/"), [VOTE, BUDGET]);
    assert_eq!(
        run.page("/tags/data-journalism/").text("h1"),
        "Data Journalism"
    );
    assert_eq!(listed(&run, "/tags/data-journalism/"), [BUDGET]);
}

#[test]
fn story_page_links_its_tags_to_their_pages() {
    let run = newsroom();
    let page = run.page(TALKS);
    assert_eq!(page.texts("a[rel=tag]"), ["Diplomacy", "Ukraine"]);
    assert_eq!(
        page.attrs("a[rel=tag]", "href"),
        ["/tags/diplomacy/", "/tags/ukraine/"]
    );
}

#[test]
fn tags_index_lists_every_tag_with_its_story_count() {
    let run = newsroom();
    let page = run.page("/tags/");
    assert_eq!(page.text("h1"), "All topics");
    let links = page.select(".topic-index li");
    let entries: Vec<(String, String, String)> = links
        .iter()
        .map(|li| {
            let a = li
                .select(&crate::harness::selector("a"))
                .next()
                .expect("a link");
            let count = li
                .select(&crate::harness::selector(".count"))
                .next()
                .expect("a count");
            (
                crate::harness::text_of(a),
                a.attr("href").unwrap_or_default().to_string(),
                count.text().next().unwrap_or_default().trim().to_string(),
            )
        })
        .collect();
    let expected = [
        ("Data Journalism", "/tags/data-journalism/", "1"),
        ("Diplomacy", "/tags/diplomacy/", "2"),
        ("Elections", "/tags/elections/", "2"),
        ("Ukraine", "/tags/ukraine/", "1"),
    ]
    .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()));
    assert_eq!(entries, expected);
}

#[test]
fn author_page_shows_the_bio_from_site_toml_and_their_stories() {
    let run = newsroom();
    let page = run.page("/authors/ana-costa/");
    assert_eq!(page.text("h1"), "Ana Costa");
    assert_eq!(
        page.text(".author-bio"),
        "Ana Costa covers the port and city hall."
    );
    assert_eq!(listed(&run, "/authors/ana-costa/"), [VOTE, TALKS]);

    let story = run.page(TALKS);
    assert_eq!(story.text(".author-card .author-name a"), "Ana Costa");
    assert_eq!(
        story.attr(".author-card .author-name a", "href"),
        "/authors/ana-costa/"
    );
}

#[test]
fn author_without_a_bio_still_gets_a_page() {
    let run = newsroom();
    let page = run.page("/authors/ben-okoro/");
    assert_eq!(page.text("h1"), "Ben Okoro");
    assert_eq!(page.count(".author-bio"), 0);
    assert_eq!(listed(&run, "/authors/ben-okoro/"), [CEASEFIRE]);
}

#[test]
fn not_found_page_is_written_and_not_indexed() {
    let run = newsroom();
    let page = run.page("/404.html");
    assert_eq!(page.text("h1"), "We can’t find that page");
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
    assert_eq!(page.attr(".not-found a.button", "href"), "/");
}

#[test]
fn every_page_links_the_stylesheet_and_the_feed() {
    let run = newsroom();
    assert!(run.exists("style.css"));
    for route in ["/", "/world/", TALKS, "/tags/", "/about/", "/404.html"] {
        let page = run.page(route);
        assert_eq!(
            page.attr("link[rel=stylesheet][href$='style.css']", "href"),
            "/style.css",
            "{route}"
        );
        // The site's feed is always linked, last; section and story pages link their
        // section's feed before it.
        assert_eq!(
            page.attrs("link[rel=alternate][type='application/rss+xml']", "href")
                .last()
                .map(String::as_str),
            Some("https://gazette.example.org/feed.xml"),
            "{route}"
        );
    }
}

#[test]
fn empty_site_builds_a_front_page_that_says_so() {
    let run = Site::new().build();
    run.assert_success();
    let page = run.page("/");
    assert_eq!(page.count(".card"), 0);
    assert_eq!(page.text(".empty-title"), "No stories yet");
    assert!(run.exists("404.html"));
    assert!(run.exists("feed.xml"));
    assert!(run.exists("sitemap.xml"));
}
