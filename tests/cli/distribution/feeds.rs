//! RSS and JSON Feed: every required field, read back with feed-rs, roxmltree and serde_json.

use roxmltree::{Document, Node};
use serde_json::Value;

use super::*;

const DC: &str = "http://purl.org/dc/elements/1.1/";
const MEDIA: &str = "http://search.yahoo.com/mrss/";
const ATOM: &str = "http://www.w3.org/2005/Atom";
const CONTENT: &str = "http://purl.org/rss/1.0/modules/content/";

/// The first child element called `name` (namespace, local name); "" is no namespace.
fn child<'a, 'i>(node: Node<'a, 'i>, name: (&str, &str)) -> Node<'a, 'i> {
    node.children()
        .find(|n| {
            n.is_element()
                && n.tag_name().name() == name.1
                && n.tag_name().namespace().unwrap_or_default() == name.0
        })
        .unwrap_or_else(|| panic!("no {name:?} in {:?}", node.tag_name()))
}

fn text<'a>(node: Node<'a, '_>, name: &str) -> &'a str {
    child(node, ("", name)).text().unwrap_or_default()
}

fn items<'a, 'i>(doc: &'a Document<'i>) -> Vec<Node<'a, 'i>> {
    let channel = child(doc.root_element(), ("", "channel"));
    channel
        .children()
        .filter(|n| n.has_tag_name("item"))
        .collect()
}

#[test]
fn main_feed_items_have_every_field_with_the_exact_text() {
    let built = newsroom().build();
    built.assert_success();
    let xml = built.read("feed.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("feed-rs reads the RSS");
    assert_eq!(feed.title.as_ref().unwrap().content, SITE_TITLE);
    // feed-rs lowercases the language; the exact text is checked with roxmltree below.
    assert_eq!(feed.language.as_deref(), Some("pt-br"));
    assert_eq!(feed.entries.len(), 3, "feed_limit = 3");
    let titles: Vec<&str> = feed
        .entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.as_str())
        .collect();
    assert_eq!(titles, [HOSTILE, "Parliament votes", LONG_HEADLINE]);

    let entry = &feed.entries[0];
    assert_eq!(entry.id, HOSTILE_URL);
    assert_eq!(entry.links[0].href, HOSTILE_URL);
    assert_eq!(
        entry.published.unwrap().to_rfc3339(),
        "2025-05-20T11:00:00+00:00"
    );
    let summary = &entry.summary.as_ref().expect("a description").content;
    assert_eq!(
        html_text(summary),
        HOSTILE_DEK,
        "description is the dek as HTML"
    );
    let content = entry.content.as_ref().unwrap().body.as_deref().unwrap();
    // Smart punctuation curls the quotes; the rest of the hostile text survives as text.
    assert!(html_text(content).contains("& <b>tags</b> </script><script>alert(1)</script> 🚀"));
    let categories: Vec<&str> = entry.categories.iter().map(|c| c.term.as_str()).collect();
    assert_eq!(categories, ["World", "Elections", "Tom & Jerry"]);
    let media = &entry.media[0].content[0];
    assert_eq!(
        media.url.as_ref().unwrap().as_str(),
        format!("{HOSTILE_URL}photo.jpg")
    );
    assert_eq!((media.width, media.height), (Some(1200), Some(800)));
}

#[test]
fn rss_namespaced_elements_are_right() {
    let built = newsroom().build();
    built.assert_success();
    let xml = built.read("feed.xml");
    let doc = Document::parse(&xml).expect("well-formed XML");
    let rss = doc.root_element();
    assert_eq!(rss.attribute("version"), Some("2.0"));
    let channel = child(rss, ("", "channel"));
    let atom = child(channel, (ATOM, "link"));
    assert_eq!(atom.attribute("rel"), Some("self"));
    assert_eq!(atom.attribute("href"), Some(&*format!("{BASE}/feed.xml")));
    assert_eq!(text(channel, "link"), format!("{BASE}/"));
    // The newest change among the items (an update), in the site's zone; not the clock.
    assert_eq!(
        text(channel, "lastBuildDate"),
        "Wed, 21 May 2025 08:00:00 +0100"
    );
    assert_eq!(text(channel, "language"), "pt-BR");
    assert!(
        !channel.children().any(|n| n.tag_name().name() == "image"),
        "no logo, no image"
    );

    let all = items(&doc);
    let item = all[0];
    let guid = child(item, ("", "guid"));
    assert_eq!(guid.attribute("isPermaLink"), Some("true"));
    assert_eq!(guid.text(), Some(HOSTILE_URL));
    assert_eq!(text(item, "pubDate"), "Tue, 20 May 2025 12:00:00 +0100");
    let creators: Vec<&str> = item
        .children()
        .filter(|n| n.has_tag_name((DC, "creator")))
        .map(|n| n.text().unwrap_or_default())
        .collect();
    assert_eq!(creators, ["Ana Sá", "Bob <Jones> & Co"]);

    let media = child(item, (MEDIA, "content"));
    assert_eq!(
        media.attribute("url"),
        Some(&*format!("{HOSTILE_URL}photo.jpg"))
    );
    assert_eq!(media.attribute("medium"), Some("image"));
    assert_eq!(media.attribute("type"), Some("image/jpeg"));
    assert_eq!(media.attribute("width"), Some("1200"));
    assert_eq!(media.attribute("height"), Some("800"));
    assert_eq!(child(media, (MEDIA, "credit")).text(), Some(HOSTILE_CREDIT));
    assert_eq!(
        child(media, (MEDIA, "description")).text(),
        Some(HOSTILE_ALT)
    );

    // A story without a photo has no media element; one with a photo on another site has no
    // size.
    assert!(
        !all[1]
            .children()
            .any(|n| n.has_tag_name((MEDIA, "content")))
    );
    let world = built.read("world/feed.xml");
    let world = Document::parse(&world).unwrap();
    let wire = child(items(&world)[1], (MEDIA, "content"));
    assert_eq!(wire.attribute("width"), None);
    assert_eq!(wire.attribute("url"), Some(WIRE_PHOTO));
}

#[test]
fn feed_content_has_only_absolute_links() {
    let built = newsroom().build();
    built.assert_success();
    let xml = built.read("feed.xml");
    let doc = Document::parse(&xml).unwrap();
    let content = child(items(&doc)[0], (CONTENT, "encoded")).text().unwrap();
    let html = scraper::Html::parse_fragment(content);
    let selector = scraper::Selector::parse("[href], [src]").unwrap();
    let urls: Vec<&str> = html
        .select(&selector)
        .filter_map(|e| e.value().attr("href").or(e.value().attr("src")))
        .collect();
    assert_eq!(
        urls,
        [
            format!("{BASE}/about/").as_str(),
            &format!("{BASE}/politics/2025/05/vote/"),
            &format!("{HOSTILE_URL}#notes"),
            "https://other.example/x?a=1&b=2",
            &format!("{HOSTILE_URL}chart.png"),
            &format!("{BASE}/raw/"),
            &format!("{BASE}/raw.png"),
        ]
    );
    // Code that shows markup stays text.
    assert!(html_text(content).contains("<a href=\"/not-a-link\">"));
}

#[test]
fn sections_tags_and_authors_have_their_own_feeds() {
    let built = newsroom().build();
    built.assert_success();
    for (path, title, headlines) in [
        (
            "world/feed.xml",
            "World",
            vec![HOSTILE, "A photo from the wire"],
        ),
        (
            "politics/feed.xml",
            "Politics",
            vec!["Parliament votes", LONG_HEADLINE],
        ),
        (
            "tags/elections/feed.xml",
            "Elections",
            vec![HOSTILE, "Parliament votes"],
        ),
        ("tags/tom-jerry/feed.xml", "Tom & Jerry", vec![HOSTILE]),
        (
            "authors/ana-sa/feed.xml",
            "Ana Sá",
            vec![HOSTILE, LONG_HEADLINE],
        ),
        (
            "authors/bob-jones-co/feed.xml",
            "Bob <Jones> & Co",
            vec![HOSTILE, "Parliament votes"],
        ),
    ] {
        let xml = built.read(path);
        let feed = feed_rs::parser::parse(xml.as_bytes()).expect(path);
        assert_eq!(
            feed.title.unwrap().content,
            format!("{title} | {SITE_TITLE}"),
            "{path}"
        );
        let found: Vec<String> = feed
            .entries
            .into_iter()
            .map(|e| e.title.unwrap().content)
            .collect();
        assert_eq!(found, headlines, "{path}");
        let doc = Document::parse(&xml).unwrap();
        let channel = child(doc.root_element(), ("", "channel"));
        let own = child(channel, (ATOM, "link")).attribute("href").unwrap();
        assert_eq!(own, format!("{BASE}/{path}"));
        assert_eq!(
            text(channel, "link"),
            format!("{BASE}/{}", path.trim_end_matches("feed.xml"))
        );
    }
}

#[test]
fn json_feed_has_the_same_items() {
    let built = newsroom().build();
    built.assert_success();
    let text = built.read("feed.json");
    let feed: Value = serde_json::from_str(&text).expect("valid JSON");
    assert_eq!(feed["version"], "https://jsonfeed.org/version/1.1");
    assert_eq!(feed["title"], SITE_TITLE);
    assert_eq!(feed["home_page_url"], format!("{BASE}/"));
    assert_eq!(feed["feed_url"], format!("{BASE}/feed.json"));
    assert_eq!(feed["language"], "pt-BR");
    let items = feed["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    let item = &items[0];
    assert_eq!(item["id"], HOSTILE_URL);
    assert_eq!(item["url"], HOSTILE_URL);
    assert_eq!(item["title"], HOSTILE);
    assert_eq!(item["summary"], HOSTILE_DEK);
    assert_eq!(item["image"], format!("{HOSTILE_URL}photo.jpg"));
    assert_eq!(item["date_published"], "2025-05-20T12:00:00+01:00");
    assert_eq!(item["date_modified"], "2025-05-21T08:00:00+01:00");
    assert_eq!(
        item["authors"],
        serde_json::json!([
            {"name": "Ana Sá", "url": format!("{BASE}/authors/ana-sa/")},
            {"name": "Bob <Jones> & Co", "url": format!("{BASE}/authors/bob-jones-co/")},
        ])
    );
    assert_eq!(
        item["tags"],
        serde_json::json!(["World", "Elections", "Tom & Jerry"])
    );
    let content = item["content_html"].as_str().unwrap();
    assert!(
        content.contains(&format!("href=\"{BASE}/about/\"")),
        "{content}"
    );
    // A story without a dek or photo leaves those fields out rather than sending nulls.
    assert!(items[1].get("summary").is_none() && items[1].get("image").is_none());
    // feed-rs reads it as JSON Feed too.
    let parsed = feed_rs::parser::parse(text.as_bytes()).expect("feed-rs reads the JSON Feed");
    assert_eq!(parsed.entries[0].title.as_ref().unwrap().content, HOSTILE);
}

#[test]
fn without_full_content_feeds_carry_the_first_paragraph() {
    let built = newsroom_with("[feeds]\nfull_content = false").build();
    built.assert_success();
    let xml = built.read("feed.xml");
    let doc = Document::parse(&xml).unwrap();
    let content = child(items(&doc)[0], (CONTENT, "encoded")).text().unwrap();
    assert_eq!(
        html_text(content).trim(),
        "First paragraph with a link home and bold text."
    );
    assert!(content.contains(&format!("href=\"{BASE}/about/\"")));
    let feed: Value = serde_json::from_str(&built.read("feed.json")).unwrap();
    assert!(
        !feed["items"][0]["content_html"]
            .as_str()
            .unwrap()
            .contains("Notes")
    );
}
