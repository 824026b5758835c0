//! `sitemap.xml`, `news-sitemap.xml` and `robots.txt`, read back with roxmltree.

use roxmltree::Document;

use super::*;

const SITEMAP: &str = "http://www.sitemaps.org/schemas/sitemap/0.9";
const NEWS: &str = "http://www.google.com/schemas/sitemap-news/0.9";

#[test]
fn sitemap_lists_every_page_with_its_last_change() {
    let built = newsroom().build();
    built.assert_success();
    let xml = built.read("sitemap.xml");
    let doc = Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert!(root.has_tag_name((SITEMAP, "urlset")));
    let entries: Vec<(&str, Option<&str>)> = root
        .children()
        .filter(|n| n.has_tag_name((SITEMAP, "url")))
        .map(|url| {
            let field = |name: &str| {
                url.children()
                    .find(|n| n.has_tag_name((SITEMAP, name)))
                    .and_then(|n| n.text())
            };
            (field("loc").unwrap(), field("lastmod"))
        })
        .collect();
    assert!(entries.iter().all(|(loc, _)| loc.starts_with(BASE)));
    let lastmod = |loc: &str| entries.iter().find(|(l, _)| *l == loc).map(|(_, m)| *m);
    assert_eq!(
        lastmod(HOSTILE_URL),
        Some(Some("2025-05-21T08:00:00+01:00"))
    );
    assert_eq!(
        lastmod(&format!("{BASE}/")),
        Some(Some("2025-05-21T08:00:00+01:00"))
    );
    assert_eq!(
        lastmod(&format!("{BASE}/politics/")),
        Some(Some("2025-05-19T09:00:00+01:00"))
    );
    assert!(lastmod(&format!("{BASE}/about/")).is_some());
    assert!(lastmod(&format!("{BASE}/tags/tom-jerry/")).is_some());
    assert!(
        !built.exists("sitemap-1.xml"),
        "a small site needs no index"
    );
}

#[test]
fn news_sitemap_holds_the_two_days_before_the_newest_story() {
    let built = newsroom().build();
    built.assert_success();
    let xml = built.read("news-sitemap.xml");
    let doc = Document::parse(&xml).unwrap();
    let root = doc.root_element();
    assert!(root.has_tag_name((SITEMAP, "urlset")));
    assert_eq!(root.lookup_namespace_uri(Some("news")), Some(NEWS));
    let find = |node: roxmltree::Node<'_, '_>, ns: &str, name: &str| {
        node.descendants()
            .find(|n| n.has_tag_name((ns, name)))
            .and_then(|n| n.text())
            .map(str::to_string)
    };
    let urls: Vec<_> = root
        .children()
        .filter(|n| n.has_tag_name((SITEMAP, "url")))
        .collect();
    let locs: Vec<String> = urls
        .iter()
        .map(|u| find(*u, SITEMAP, "loc").unwrap())
        .collect();
    // The story from 2025-05-18 11:59 is one minute too old; NOW (the clock) plays no part:
    // every story would be too old for it.
    assert_eq!(
        locs,
        [
            HOSTILE_URL.to_string(),
            format!("{BASE}/politics/2025/05/vote/")
        ]
    );
    let first = urls[0];
    assert_eq!(find(first, NEWS, "name").as_deref(), Some(SITE_TITLE));
    assert_eq!(find(first, NEWS, "language").as_deref(), Some("pt"));
    assert_eq!(
        find(first, NEWS, "publication_date").as_deref(),
        Some("2025-05-20T12:00:00+01:00")
    );
    assert_eq!(find(first, NEWS, "title").as_deref(), Some(HOSTILE));
}

#[test]
fn robots_txt_lists_both_sitemaps() {
    let built = newsroom().build();
    built.assert_success();
    let robots = built.read("robots.txt");
    let sitemaps: Vec<&str> = robots
        .lines()
        .filter_map(|l| l.strip_prefix("Sitemap: "))
        .collect();
    assert_eq!(
        sitemaps,
        [
            format!("{BASE}/sitemap.xml"),
            format!("{BASE}/news-sitemap.xml")
        ]
    );
}
