//! What every page's head tells browsers, feed readers, social networks and search engines,
//! read back with scraper (HTML) and serde_json (JSON-LD).

use scraper::{Html, Selector};
use serde_json::Value;

use super::*;

fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

/// The `content` of `<meta property=...>` (or `name=`) tags, in order.
fn meta(html: &Html, key: &str) -> Vec<String> {
    select(
        html,
        &format!("meta[property=\"{key}\"], meta[name=\"{key}\"]"),
    )
    .iter()
    .filter_map(|m| m.value().attr("content").map(str::to_string))
    .collect()
}

fn one_meta(html: &Html, key: &str) -> Option<String> {
    let values = meta(html, key);
    assert!(values.len() <= 1, "{key}: {values:?}");
    values.into_iter().next()
}

/// The page's RSS links as (title, href).
fn feeds(html: &Html) -> Vec<(String, String)> {
    select(html, "link[rel=alternate][type=\"application/rss+xml\"]")
        .iter()
        .map(|l| {
            let attr = |name| l.value().attr(name).unwrap_or_default().to_string();
            (attr("title"), attr("href"))
        })
        .collect()
}

/// The one JSON-LD block of the page, parsed; the page has no other script.
fn json_ld(html: &Html) -> Value {
    let scripts = select(html, "script");
    assert_eq!(scripts.len(), 1, "exactly one script element");
    assert_eq!(scripts[0].value().attr("type"), Some("application/ld+json"));
    let text: String = scripts[0].text().collect();
    serde_json::from_str(&text).unwrap_or_else(|err| panic!("{err}: {text}"))
}

fn main_feed() -> (String, String) {
    (SITE_TITLE.to_string(), format!("{BASE}/feed.xml"))
}

#[test]
fn story_head_has_social_and_search_metadata_with_the_exact_text() {
    let built = newsroom().build();
    built.assert_success();
    let html = Html::parse_document(&built.read(HOSTILE_PAGE));
    let title: String = select(&html, "title")[0].text().collect();
    assert_eq!(title, format!("{HOSTILE} | {SITE_TITLE}"));
    let canonical = select(&html, "link[rel=canonical]")[0].value().attr("href");
    assert_eq!(canonical, Some(HOSTILE_URL));
    assert_eq!(one_meta(&html, "description").as_deref(), Some(HOSTILE_DEK));
    assert_eq!(
        one_meta(&html, "og:description").as_deref(),
        Some(HOSTILE_DEK)
    );
    assert_eq!(one_meta(&html, "og:type").as_deref(), Some("article"));
    assert_eq!(one_meta(&html, "og:title").as_deref(), Some(HOSTILE));
    assert_eq!(one_meta(&html, "og:url").as_deref(), Some(HOSTILE_URL));
    assert_eq!(one_meta(&html, "og:site_name").as_deref(), Some(SITE_TITLE));
    assert_eq!(
        one_meta(&html, "og:image"),
        Some(format!("{HOSTILE_URL}photo.jpg"))
    );
    assert_eq!(one_meta(&html, "og:image:width").as_deref(), Some("1200"));
    assert_eq!(one_meta(&html, "og:image:height").as_deref(), Some("800"));
    assert_eq!(
        one_meta(&html, "og:image:alt").as_deref(),
        Some(HOSTILE_ALT)
    );
    assert_eq!(
        one_meta(&html, "og:image:type").as_deref(),
        Some("image/jpeg")
    );
    assert_eq!(
        one_meta(&html, "article:published_time").as_deref(),
        Some("2025-05-20T12:00:00+01:00")
    );
    assert_eq!(
        one_meta(&html, "article:modified_time").as_deref(),
        Some("2025-05-21T08:00:00+01:00")
    );
    assert_eq!(one_meta(&html, "article:section").as_deref(), Some("World"));
    assert_eq!(meta(&html, "article:tag"), ["Elections", "Tom & Jerry"]);
    assert_eq!(
        meta(&html, "article:author"),
        [
            format!("{BASE}/authors/ana-sa/"),
            format!("{BASE}/authors/bob-jones-co/")
        ]
    );
    assert_eq!(
        one_meta(&html, "twitter:card").as_deref(),
        Some("summary_large_image")
    );
    let photo = select(&html, ".story-photo img")[0].value();
    assert_eq!(
        (photo.attr("width"), photo.attr("height")),
        (Some("1200"), Some("800"))
    );
    assert_eq!(photo.attr("alt"), Some(HOSTILE_ALT));
    assert_eq!(
        feeds(&html),
        [
            (
                format!("World | {SITE_TITLE}"),
                format!("{BASE}/world/feed.xml")
            ),
            main_feed()
        ]
    );
    let json = select(&html, "link[rel=alternate][type=\"application/feed+json\"]");
    assert_eq!(
        json[0].value().attr("href"),
        Some(&*format!("{BASE}/feed.json"))
    );
}

#[test]
fn story_json_ld_is_a_news_article() {
    let built = newsroom().build();
    built.assert_success();
    let html = Html::parse_document(&built.read(HOSTILE_PAGE));
    let data = json_ld(&html);
    assert_eq!(data["@context"], "https://schema.org");
    assert_eq!(data["@type"], "NewsArticle");
    assert_eq!(data["headline"], HOSTILE);
    assert_eq!(data["description"], HOSTILE_DEK);
    assert_eq!(data["image"][0]["@type"], "ImageObject");
    assert_eq!(data["image"][0]["url"], format!("{HOSTILE_URL}photo.jpg"));
    assert_eq!(data["datePublished"], "2025-05-20T12:00:00+01:00");
    assert_eq!(data["dateModified"], "2025-05-21T08:00:00+01:00");
    assert_eq!(
        data["author"],
        serde_json::json!([
            {"@type": "Person", "name": "Ana Sá", "url": format!("{BASE}/authors/ana-sa/")},
            {"@type": "Person", "name": "Bob <Jones> & Co", "url": format!("{BASE}/authors/bob-jones-co/")},
        ])
    );
    assert_eq!(
        data["publisher"],
        serde_json::json!({
            "@type": "NewsMediaOrganization",
            "name": SITE_TITLE,
            "url": format!("{BASE}/"),
        })
    );
    assert_eq!(data["mainEntityOfPage"]["@id"], HOSTILE_URL);
    assert_eq!(data["articleSection"], "World");
    assert_eq!(
        data["keywords"],
        serde_json::json!(["Elections", "Tom & Jerry"])
    );
    // In the HTML source, the script's text has no markup at all.
    let source = built.read(HOSTILE_PAGE);
    let start = source.find("application/ld+json\">").unwrap();
    let end = start + source[start..].find("</script>").unwrap();
    let script = &source[start + "application/ld+json\">".len()..end];
    assert!(!script.contains(['<', '>', '&']), "{script}");
}

#[test]
fn long_headlines_are_trimmed_for_search_engines_only() {
    let built = newsroom().build();
    built.assert_success();
    let html = Html::parse_document(&built.read("politics/2025/05/old/index.html"));
    let headline = json_ld(&html)["headline"].as_str().unwrap().to_string();
    assert!(headline.chars().count() <= 110, "{headline}");
    let kept = headline.strip_suffix('…').expect("an ellipsis");
    assert!(LONG_HEADLINE.starts_with(kept), "{headline}");
    assert_eq!(one_meta(&html, "og:title").as_deref(), Some(LONG_HEADLINE));
}

#[test]
fn a_story_without_a_photo_or_its_size_omits_what_is_unknown() {
    let built = newsroom().build();
    built.assert_success();
    let html = Html::parse_document(&built.read("politics/2025/05/vote/index.html"));
    assert_eq!(one_meta(&html, "twitter:card").as_deref(), Some("summary"));
    assert_eq!(one_meta(&html, "og:image"), None);
    // No dek: the site's description.
    assert_eq!(
        one_meta(&html, "description").as_deref(),
        Some("Independent news & analysis.")
    );
    assert_eq!(json_ld(&html).get("image"), None);

    // A photo on another site: its address, but no size.
    let html = Html::parse_document(&built.read("world/2025/05/wire/index.html"));
    assert_eq!(one_meta(&html, "og:image").as_deref(), Some(WIRE_PHOTO));
    assert_eq!(one_meta(&html, "og:image:width"), None);
    let photo = select(&html, ".story-photo img")[0].value();
    assert_eq!(photo.attr("width"), None);
}

#[test]
fn a_story_whose_photo_cannot_be_decoded_fails_the_build_naming_it() {
    let site = newsroom();
    site.file(
        "content/world/corrupt/index.md",
        "---\nheadline: A photo that cannot be read\ndate: 2025-05-01 10:00\n\
         photo:\n  src: photo.jpg\n  alt: Nothing to see\n---\nBody.\n",
    );
    site.file(
        "content/world/corrupt/photo.jpg",
        b"\xFF\xD8\xFF\xE0 truncated",
    );
    let run = site.build();
    run.assert_failure();
    let stderr = &run.stderr;
    assert!(
        stderr.contains(
            "error: the photo `content/world/corrupt/photo.jpg` cannot be published: \
             it is not a valid image"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("--> content/world/corrupt/index.md:5:3"),
        "{stderr}"
    );
    assert!(!site.root().join("public").exists(), "nothing was written");
}

#[test]
fn front_page_is_a_website_with_the_main_feed() {
    let built =
        newsroom_with("[publisher]\nname = \"Gazette Media\"\nlogo = \"/logo.png\"").build();
    built.assert_success();
    let html = Html::parse_document(&built.read("index.html"));
    assert_eq!(one_meta(&html, "og:type").as_deref(), Some("website"));
    assert_eq!(one_meta(&html, "twitter:card").as_deref(), Some("summary"));
    assert_eq!(
        one_meta(&html, "og:image"),
        Some(format!("{BASE}/logo.png"))
    );
    assert_eq!(feeds(&html), [main_feed()]);
    let data = json_ld(&html);
    assert_eq!(data["@type"], "WebSite");
    assert_eq!(data["name"], SITE_TITLE);
    assert_eq!(data["url"], format!("{BASE}/"));
    assert_eq!(data["inLanguage"], "pt-BR");
    assert_eq!(data["publisher"]["name"], "Gazette Media");
    assert_eq!(data["publisher"]["logo"]["url"], format!("{BASE}/logo.png"));

    let story = Html::parse_document(&built.read(HOSTILE_PAGE));
    assert_eq!(json_ld(&story)["publisher"]["name"], "Gazette Media");
    let rss = built.read("world/feed.xml");
    let feed = feed_rs::parser::parse(rss.as_bytes()).unwrap();
    let logo = feed.logo.expect("the logo as the feed's image");
    assert_eq!(logo.uri, format!("{BASE}/logo.png"));
    assert_eq!(
        logo.title.as_deref(),
        Some(&*format!("World | {SITE_TITLE}"))
    );
}

#[test]
fn listing_pages_link_their_own_feed_and_describe_themselves() {
    let built = newsroom().build();
    built.assert_success();
    for (path, name, feed, kind) in [
        (
            "world/index.html",
            "World",
            "world/feed.xml",
            "CollectionPage",
        ),
        (
            "tags/tom-jerry/index.html",
            "Tom & Jerry",
            "tags/tom-jerry/feed.xml",
            "CollectionPage",
        ),
        (
            "authors/bob-jones-co/index.html",
            "Bob <Jones> & Co",
            "authors/bob-jones-co/feed.xml",
            "ProfilePage",
        ),
    ] {
        let html = Html::parse_document(&built.read(path));
        assert_eq!(
            feeds(&html),
            [
                (format!("{name} | {SITE_TITLE}"), format!("{BASE}/{feed}")),
                main_feed()
            ],
            "{path}"
        );
        assert_eq!(one_meta(&html, "og:type").as_deref(), Some("website"));
        assert_eq!(one_meta(&html, "og:title").as_deref(), Some(name), "{path}");
        let url = format!("{BASE}/{}", path.trim_end_matches("index.html"));
        let data = json_ld(&html);
        assert_eq!(data["@type"], kind, "{path}");
        assert_eq!(data["url"], url);
        if kind == "ProfilePage" {
            assert_eq!(data["mainEntity"]["name"], name);
        } else {
            assert_eq!(data["name"], name);
        }
    }
    let html = Html::parse_document(&built.read("authors/ana-sa/index.html"));
    let person = &json_ld(&html)["mainEntity"];
    assert_eq!(person["description"], "Ana covers diplomacy.");
    assert_eq!(
        person["sameAs"],
        serde_json::json!(["https://ana.example/"])
    );
}

#[test]
fn standalone_pages_have_the_main_feed_and_no_article_data() {
    let built = newsroom().build();
    built.assert_success();
    let html = Html::parse_document(&built.read("about/index.html"));
    assert_eq!(feeds(&html), [main_feed()]);
    assert_eq!(one_meta(&html, "og:title").as_deref(), Some("About us"));
    assert!(select(&html, "script").is_empty());
}
