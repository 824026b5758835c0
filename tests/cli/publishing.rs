//! What a build publishes: drafts (`--drafts`), scheduled stories (`--future`, `--now`) and
//! the address it publishes at (`--base-url`).

use image::ImageFormat;

use crate::harness::{Run, Site, broken_links};
use crate::images;

const DRAFT: &str = "/world/2025/05/unfinished/";
const SCHEDULED: &str = "/world/2026/03/embargoed/";

fn feed_links(run: &Run) -> Vec<String> {
    run.feed()
        .entries
        .iter()
        .map(|e| e.links[0].href.clone())
        .collect()
}

fn sitemap_locs(run: &Run) -> Vec<String> {
    run.sitemap().into_iter().map(|(loc, _)| loc).collect()
}

/// Every story link on every page of the front-page listing.
fn front_page_links(run: &Run) -> Vec<String> {
    let mut links = Vec::new();
    let mut route = "/".to_string();
    loop {
        let page = run.page(&route);
        links.extend(page.attrs(".card-headline a", "href"));
        match page.attrs(".pagination a[rel=next]", "href").first() {
            Some(next) => route.clone_from(next),
            None => return links,
        }
    }
}

#[test]
fn drafts_are_left_out_of_every_output() {
    let run = Site::fixture("newsroom").build();
    run.assert_success();
    assert!(!run.exists("world/2025/05/unfinished/index.html"));
    assert!(!front_page_links(&run).iter().any(|l| l == DRAFT));
    assert!(!feed_links(&run).iter().any(|l| l.contains("unfinished")));
    assert!(!sitemap_locs(&run).iter().any(|l| l.contains("unfinished")));
    assert!(
        !run.exists("tags/secret-plans/index.html"),
        "a tag used only by a draft has no page"
    );
}

#[test]
fn drafts_flag_publishes_drafts_marked_as_such() {
    let run = Site::fixture("newsroom").build_with(&["--drafts"]);
    run.assert_success();
    let page = run.page(DRAFT);
    assert_eq!(page.text("h1"), "Unfinished draft about the port");
    assert!(page.text(".status-banner").starts_with("Draft"));
    assert_eq!(page.attr("meta[name=robots]", "content"), "noindex");
    assert!(front_page_links(&run).iter().any(|l| l == DRAFT));
    assert!(run.exists("tags/secret-plans/index.html"));
    assert!(
        !run.exists("world/2026/03/embargoed/index.html"),
        "--drafts does not publish scheduled stories"
    );
}

#[test]
fn photo_of_a_draft_story_folder_is_not_published() {
    let site = Site::new()
        .story(
            "world/secret/index.md",
            "headline: Secret\ndate: 2025-05-19 10:00\ndraft: true\nphoto: {src: photo.jpg, alt: A photo}",
            "Body.\n",
        )
        .file(
            "content/world/secret/photo.jpg",
            images::encoded(ImageFormat::Jpeg, 40, 30),
        )
        .story("world/talks.md", "headline: Talks\ndate: 2025-05-19 10:00", "Body.\n");
    let run = site.build();
    run.assert_success();
    let leaked: Vec<String> = run
        .files()
        .into_iter()
        .filter(|f| f.contains("secret") || f.ends_with(".jpg"))
        .collect();
    assert!(leaked.is_empty(), "draft files published: {leaked:?}");

    let with_drafts = site.build_with(&["--drafts"]);
    with_drafts.assert_success();
    assert!(with_drafts.exists("world/2025/05/secret/photo.jpg"));
}

#[test]
fn stories_dated_after_now_wait_for_their_date() {
    let run = Site::fixture("newsroom").build();
    run.assert_success();
    assert!(!run.exists("world/2026/03/embargoed/index.html"));
    assert!(!front_page_links(&run).iter().any(|l| l == SCHEDULED));
    assert!(!feed_links(&run).iter().any(|l| l.contains("embargoed")));
    assert!(!sitemap_locs(&run).iter().any(|l| l.contains("embargoed")));
}

#[test]
fn future_flag_publishes_scheduled_stories_marked_as_such() {
    let run = Site::fixture("newsroom").build_with(&["--future"]);
    run.assert_success();
    let page = run.page(SCHEDULED);
    assert_eq!(page.text("h1"), "Embargoed report on the port");
    assert!(page.text(".status-banner").starts_with("Scheduled"));
    assert_eq!(
        front_page_links(&run).first().map(String::as_str),
        Some(SCHEDULED)
    );
    assert!(
        !run.exists("world/2025/05/unfinished/index.html"),
        "--future does not publish drafts"
    );
}

#[test]
fn a_later_now_publishes_the_scheduled_story_without_flags() {
    let site = Site::fixture("newsroom");
    let run = site.dateline(&["build", "--now", "2026-03-01T09:00:00Z"]);
    run.assert_success();
    let page = run.page(SCHEDULED);
    assert_eq!(page.count(".status-banner"), 0);
    assert_eq!(
        front_page_links(&run).first().map(String::as_str),
        Some(SCHEDULED)
    );

    // 09:00 in Lisbon in March is 09:00 UTC: one second earlier it is still scheduled.
    let earlier = site.dateline(&["build", "--now", "2026-03-01T08:59:59Z"]);
    earlier.assert_success();
    assert!(!earlier.exists("world/2026/03/embargoed/index.html"));
}

#[test]
fn drafts_and_future_flags_together_publish_both() {
    let run = Site::fixture("newsroom").build_with(&["--drafts", "--future"]);
    run.assert_success();
    assert!(run.exists("world/2025/05/unfinished/index.html"));
    assert!(run.exists("world/2026/03/embargoed/index.html"));
}

#[test]
fn base_url_flag_prefixes_every_link_and_absolute_url() {
    let run = Site::fixture("newsroom").build_with(&["--base-url", "https://x.org/sub/"]);
    run.assert_success();
    assert!(
        run.exists("index.html") && run.exists("world/2025/05/talks/index.html"),
        "files stay at the root of the output folder"
    );

    let front = run.page("/");
    let cards = front.attrs(".card-headline a", "href");
    assert_eq!(
        cards,
        ["/sub/politics/2025/05/vote/", "/sub/world/2025/05/talks/"]
    );
    assert_eq!(front.attr("a.brand", "href"), "/sub/");
    assert_eq!(front.attr("link[rel=stylesheet]", "href"), "/sub/style.css");
    assert_eq!(
        front.attr("link[rel=canonical]", "href"),
        "https://x.org/sub/"
    );
    assert_eq!(
        front.attr(".pagination a[rel=next]", "href"),
        "/sub/page/2/"
    );

    let story = run.page("/world/2025/05/talks/");
    assert_eq!(
        story.attr("figure img", "src"),
        "/sub/world/2025/05/talks/photo.jpg"
    );
    assert_eq!(
        story.attr("link[rel=canonical]", "href"),
        "https://x.org/sub/world/2025/05/talks/"
    );
    assert_eq!(
        run.page("/politics/2025/05/vote/")
            .attrs(".story-body a", "href"),
        [
            "/sub/world/2025/05/talks/",
            "/sub/politics/2025/04/city-budget-2025/#method"
        ]
    );

    let feed = run.feed();
    let channel: Vec<&str> = feed.links.iter().map(|l| l.href.as_str()).collect();
    assert!(channel.contains(&"https://x.org/sub/"), "{channel:?}");
    assert!(
        channel.contains(&"https://x.org/sub/feed.xml"),
        "{channel:?}"
    );
    assert_eq!(
        front.attr("link[rel=alternate][type='application/rss+xml']", "href"),
        "https://x.org/sub/feed.xml"
    );
    for link in feed_links(&run) {
        assert!(link.starts_with("https://x.org/sub/"), "feed link {link}");
    }
    for loc in sitemap_locs(&run) {
        assert!(loc.starts_with("https://x.org/sub/"), "sitemap loc {loc}");
    }
    assert!(
        run.read("robots.txt")
            .lines()
            .any(|l| l == "Sitemap: https://x.org/sub/sitemap.xml")
    );
    assert_eq!(broken_links(&run, "/sub"), Vec::<String>::new());
}

#[test]
fn base_url_in_site_toml_with_a_path_works_like_the_flag() {
    let site = Site::new()
        .file(
            "site.toml",
            "title = \"G\"\nbase_url = \"https://me.example.io/gazette\"\n",
        )
        .story(
            "world/talks.md",
            "headline: Talks\ndate: 2025-05-19 10:00",
            "Body.\n",
        );
    let run = site.build();
    run.assert_success();
    assert_eq!(
        run.page("/").attrs(".card-headline a", "href"),
        ["/gazette/world/2025/05/talks/"]
    );
    assert_eq!(
        feed_links(&run),
        ["https://me.example.io/gazette/world/2025/05/talks/"]
    );
}

#[test]
fn invalid_base_url_flag_is_an_error() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19 10:00",
        "Body.\n",
    );
    let run = site.build_with(&["--base-url", "x.org/sub"]);
    run.assert_failure();
    let error = run.single_error();
    assert_eq!(error.location, "--base-url");
    assert!(error.message.contains("http"), "{}", error.text);
}
