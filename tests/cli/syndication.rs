//! What machines read: `/feed.xml` (parsed with feed-rs), `sitemap.xml` (parsed with roxmltree)
//! and `robots.txt`.

use crate::harness::{Page, Run, Site};

const ORIGIN: &str = "https://gazette.example.org";

fn newsroom() -> Run {
    let run = Site::fixture("newsroom").build();
    run.assert_success();
    run
}

#[test]
fn feed_lists_published_stories_newest_first_with_absolute_links_and_dates() {
    let run = newsroom();
    let feed = run.feed();
    assert_eq!(
        feed.title.as_ref().map(|t| t.content.as_str()),
        Some("The Harbour Gazette")
    );
    let entries: Vec<(String, String, String)> = feed
        .entries
        .iter()
        .map(|entry| {
            (
                entry.title.as_ref().expect("a title").content.clone(),
                entry.links.first().expect("a link").href.clone(),
                entry.published.expect("a date").to_rfc3339(),
            )
        })
        .collect();
    let expected = [
        (
            "Council votes on the harbour plan",
            "/politics/2025/05/vote/",
            "2025-05-20T07:00:00+00:00",
        ),
        (
            "Talks resume in Istanbul",
            "/world/2025/05/talks/",
            "2025-05-19T22:30:00+00:00",
        ),
        (
            "Ceasefire holds for a second day",
            "/world/2025/05/ceasefire/",
            "2025-05-10T09:00:00+00:00",
        ),
        (
            "What the city budget pays for",
            "/politics/2025/04/city-budget-2025/",
            "2025-04-02T11:00:00+00:00",
        ),
        (
            "Markets steady after the harbour strike",
            "/world/2025/03/markets/",
            "2025-03-15T09:00:00+00:00",
        ),
    ]
    .map(|(title, path, date)| {
        (
            title.to_string(),
            format!("{ORIGIN}{path}"),
            date.to_string(),
        )
    });
    assert_eq!(entries, expected);
}

#[test]
fn feed_items_carry_the_full_story_text() {
    let run = newsroom();
    let feed = run.feed();
    let talks = feed
        .entries
        .iter()
        .find(|e| {
            e.title
                .as_ref()
                .is_some_and(|t| t.content == "Talks resume in Istanbul")
        })
        .expect("the talks story is in the feed");
    let content = talks
        .content
        .as_ref()
        .and_then(|c| c.body.as_deref())
        .expect("full content");
    let body = Page::parse(content);
    assert_eq!(
        body.texts("p"),
        [
            "Negotiators met on Monday for the first time in three years.",
            "Both sides agreed to exchange prisoners."
        ]
    );
    assert_eq!(body.text("h2#the-prisoner-swap"), "The prisoner swap");
    assert_eq!(
        talks.summary.as_ref().map(|s| s.content.as_str()),
        Some("Both delegations say they will keep talking."),
        "the dek is the item's description"
    );
    let authors: Vec<Option<&str>> = talks.authors.iter().map(|a| a.name.as_deref()).collect();
    assert_eq!(authors, [Some("Ana Costa")]);
}

#[test]
fn feed_leaves_out_drafts_scheduled_stories_and_pages() {
    let run = newsroom();
    let titles: Vec<String> = run
        .feed()
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    for absent in [
        "Unfinished draft about the port",
        "Embargoed report on the port",
        "About the Gazette",
    ] {
        assert!(
            !titles.iter().any(|t| t == absent),
            "{absent} is in the feed"
        );
    }
}

#[test]
fn feed_limit_in_site_toml_caps_the_items() {
    let site = Site::fixture("newsroom");
    let config = std::fs::read_to_string(site.root().join("site.toml")).expect("site.toml");
    let site = site.file(
        "site.toml",
        config.replace("\npaginate = 2\n", "\npaginate = 2\nfeed_limit = 2\n"),
    );
    let run = site.build();
    run.assert_success();
    let links: Vec<String> = run
        .feed()
        .entries
        .iter()
        .map(|e| e.links[0].href.clone())
        .collect();
    assert_eq!(
        links,
        [
            format!("{ORIGIN}/politics/2025/05/vote/"),
            format!("{ORIGIN}/world/2025/05/talks/")
        ]
    );
}

#[test]
fn sitemap_lists_every_published_url_absolutely() {
    let run = newsroom();
    let sitemap = run.sitemap();
    let locs: Vec<&str> = sitemap.iter().map(|(loc, _)| loc.as_str()).collect();
    for loc in &locs {
        assert!(
            loc.starts_with(&format!("{ORIGIN}/")),
            "{loc} is not absolute"
        );
    }
    for path in [
        "/",
        "/politics/2025/05/vote/",
        "/world/2025/05/talks/",
        "/world/2025/05/ceasefire/",
        "/politics/2025/04/city-budget-2025/",
        "/world/2025/03/markets/",
        "/about/",
        "/support/",
        "/corrections-policy/",
        "/world/",
        "/politics/",
        "/tags/diplomacy/",
        "/authors/ana-costa/",
    ] {
        let url = format!("{ORIGIN}{path}");
        assert!(
            locs.contains(&url.as_str()),
            "{url} is missing from {locs:?}"
        );
    }
    for absent in ["unfinished", "embargoed", "secret-plans", "/page/"] {
        assert!(
            !locs.iter().any(|l| l.contains(absent)),
            "{absent} is in the sitemap"
        );
    }
    let mut unique = locs.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(unique.len(), locs.len(), "duplicate URLs in {locs:?}");
}

#[test]
fn sitemap_gives_every_story_its_lastmod() {
    let run = newsroom();
    let sitemap = run.sitemap();
    let lastmod = |path: &str| {
        sitemap
            .iter()
            .find(|(loc, _)| *loc == format!("{ORIGIN}{path}"))
            .unwrap_or_else(|| panic!("{path} not in the sitemap"))
            .1
            .clone()
    };
    assert_eq!(
        lastmod("/world/2025/05/talks/").as_deref(),
        Some("2025-05-19T23:30:00+01:00")
    );
    assert_eq!(
        lastmod("/world/2025/03/markets/").as_deref(),
        Some("2025-03-15T09:00:00+00:00")
    );
    assert_eq!(
        lastmod("/").as_deref(),
        Some("2025-05-20T08:00:00+01:00"),
        "the front page changes with its newest story"
    );
}

#[test]
fn sitemap_lastmod_is_the_updated_date_when_there_is_one() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19 10:00\nupdated: 2025-05-25 21:30",
        "Body.\n",
    );
    let run = site.build();
    run.assert_success();
    let sitemap = run.sitemap();
    let entry = sitemap
        .iter()
        .find(|(loc, _)| loc == "https://news.example.org/world/2025/05/talks/")
        .expect("the story is in the sitemap");
    assert_eq!(entry.1.as_deref(), Some("2025-05-25T21:30:00+01:00"));
    let page = run.page("/world/2025/05/talks/");
    assert_eq!(
        page.attr(".story-dateline .updated time", "datetime"),
        "2025-05-25T21:30:00+01:00"
    );
}

#[test]
fn robots_txt_allows_crawling_and_names_the_sitemap() {
    let run = newsroom();
    let robots = run.read("robots.txt");
    let lines: Vec<&str> = robots.lines().collect();
    assert!(lines.contains(&"User-agent: *"), "{robots}");
    assert!(
        lines.contains(&"Sitemap: https://gazette.example.org/sitemap.xml"),
        "{robots}"
    );
    assert!(!lines.contains(&"Disallow: /"), "{robots}");
}
