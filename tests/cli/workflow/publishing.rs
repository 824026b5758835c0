//! What a build publishes: drafts only with --drafts, scheduled stories from their time on.

use super::gazette;
use crate::harness::Site;

fn site() -> Site {
    let site = gazette();
    site.house_story("world/out.md", "Out", "2025-05-01 10:00", "")
        .house_story(
            "world/draft.md",
            "Draft",
            "2025-05-01 11:00",
            "draft: true\n",
        )
        // 10:00 in Lisbon in June is 09:00 UTC.
        .house_story("world/scheduled.md", "Scheduled", "2025-06-01 10:00", "");
    site
}

fn published(site: &Site, args: &[&str]) -> Vec<String> {
    site.dateline(&[&["build"], args].concat()).assert_success();
    let mut slugs: Vec<String> = ["out", "draft", "scheduled"]
        .into_iter()
        .filter(|slug| {
            let month = if *slug == "scheduled" { "06" } else { "05" };
            site.exists(&format!("public/world/2025/{month}/{slug}/index.html"))
        })
        .map(String::from)
        .collect();
    slugs.sort();
    slugs
}

#[test]
fn drafts_are_published_only_with_drafts() {
    let site = site();
    let now = ["--now", "2025-05-20T00:00:00Z"];
    assert_eq!(published(&site, &now), ["out"]);
    assert_eq!(
        published(&site, &[&now[..], &["--drafts"]].concat()),
        ["draft", "out"]
    );
}

#[test]
fn scheduled_stories_go_live_at_their_time_in_the_site_zone() {
    let site = site();
    assert_eq!(
        published(&site, &["--now", "2025-06-01T08:59:59Z"]),
        ["out"]
    );
    assert_eq!(
        published(&site, &["--now", "2025-06-01T09:00:00Z"]),
        ["out", "scheduled"]
    );
    assert_eq!(
        published(&site, &["--now", "2025-05-01T12:00:00Z", "--future"]),
        ["out", "scheduled"]
    );
}

#[test]
fn scheduled_stories_are_kept_out_of_feeds_and_sitemaps_too() {
    let site = site();
    published(&site, &["--now", "2025-05-20T00:00:00Z"]);
    let feed = site.read("public/feed.xml");
    let sitemap = site.read("public/sitemap.xml");
    for text in [feed, sitemap] {
        assert!(text.contains("/world/2025/05/out/"));
        assert!(!text.contains("scheduled"), "{text}");
        assert!(!text.contains("/draft/"), "{text}");
    }
}
