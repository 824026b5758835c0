//! Property tests: whatever text a front matter field holds comes back exactly, as text, from
//! every output that shows it: the story page (parsed with scraper), its JSON-LD and the JSON
//! Feed (serde_json), the RSS feed and the news sitemap (roxmltree). Sites are built in-process to stay fast.
//!
//! Generated strings are written as YAML double-quoted scalars with `serde_json::to_string`
//! (JSON string syntax is valid YAML). They have no surrounding whitespace, since fields are
//! documented as trimmed, and no control or format characters: controls are dropped in XML, and
//! bidirectional controls are refused or repaired (see `hostile.rs`).

use proptest::prelude::*;
use scraper::{Html, Selector};

use crate::support::{build_in_process, site};

/// Dated the day before the build's "now", so that the news sitemap lists it too.
const STORY: &str = "world/2025/12/odd/index.html";

/// Text a newsroom or an attacker might write: printable Unicode, or markup and quoting.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        "\\PC{1,40}",
        "[<>&\"'/\\\\=:;!#()a-z \u{e9}\u{5d0}\u{1f600}]{1,40}",
        Just("</script><script>alert(1)</script>".to_string()),
        Just("\"><img src=x onerror=alert(1)>".to_string()),
        Just("javascript:alert(1)".to_string()),
        Just("]]><x>".to_string()),
    ]
    .prop_filter("fields are trimmed", |s| {
        !s.is_empty() && s.trim() == s.as_str()
    })
}

/// A name that gets a page (an author, a tag) needs letters or digits.
fn name() -> impl Strategy<Value = String> {
    text().prop_filter("names need letters or digits", |s| {
        !dateline::site::slug::slugify(s).is_empty()
    })
}

/// A YAML double-quoted scalar: JSON string syntax, plus `\\u` escapes for what JSON leaves raw
/// but YAML does not allow raw (DEL, C1 controls, the byte-order mark).
fn yaml(text: &str) -> String {
    let json = serde_json::to_string(text).expect("a string serialises");
    json.chars()
        .map(|c| match c {
            '\u{7f}'..='\u{84}' | '\u{86}'..='\u{9f}' | '\u{feff}' => {
                format!("\\u{:04X}", c as u32)
            }
            c => c.to_string(),
        })
        .collect()
}

#[derive(Debug)]
struct Fields {
    headline: String,
    dek: String,
    author: String,
    tag: String,
    alt: String,
    credit: String,
    caption: String,
}

fn fields() -> impl Strategy<Value = Fields> {
    (text(), text(), name(), name(), text(), text(), text()).prop_map(
        |(headline, dek, author, tag, alt, credit, caption)| Fields {
            headline,
            dek,
            author,
            tag,
            alt,
            credit,
            caption,
        },
    )
}

struct Built {
    files: std::collections::BTreeMap<String, Vec<u8>>,
}

impl Built {
    fn text(&self, path: &str) -> String {
        String::from_utf8(
            self.files
                .get(path)
                .unwrap_or_else(|| panic!("no {path}"))
                .clone(),
        )
        .expect("UTF-8 output")
    }

    fn page(&self) -> Html {
        Html::parse_document(&self.text(STORY))
    }
}

fn build(fields: &Fields) -> Built {
    let Fields {
        headline,
        dek,
        author,
        tag,
        alt,
        credit,
        caption,
    } = fields;
    let front = format!(
        "---\nheadline: {}\ndek: {}\ndate: 2025-12-31 10:00\nauthor: {}\ntags: [{}]\n\
         photo:\n  src: /lead.jpg\n  alt: {}\n  credit: {}\n  caption: {}\n---\nBody.\n",
        yaml(headline),
        yaml(dek),
        yaml(author),
        yaml(tag),
        yaml(alt),
        yaml(credit),
        yaml(caption),
    );
    let photo = crate::images::encoded(image::ImageFormat::Jpeg, 8, 6);
    let dir = site(&[
        ("content/world/odd.md", front.as_bytes()),
        ("static/lead.jpg", &photo),
    ]);
    let files = build_in_process(dir.root()).unwrap_or_else(|e| panic!("{front}\n{e}"));
    Built { files }
}

fn select<'a>(page: &'a Html, selector: &str) -> Vec<scraper::ElementRef<'a>> {
    let selector = Selector::parse(selector).expect("a selector");
    page.select(&selector).collect()
}

fn text_of(page: &Html, selector: &str) -> String {
    let found = select(page, selector);
    assert_eq!(found.len(), 1, "{selector}");
    found[0].text().collect()
}

fn json_ld(page: &Html) -> serde_json::Value {
    let script = text_of(page, "script[type='application/ld+json']");
    serde_json::from_str(&script).expect("JSON-LD parses")
}

/// The first `<item>`'s children named `name`, as text.
fn rss_item(xml: &str, name: &str) -> Vec<String> {
    let doc = roxmltree::Document::parse(xml).expect("feed.xml is well-formed");
    let item = doc
        .descendants()
        .find(|n| n.has_tag_name("item"))
        .expect("an item");
    item.children()
        .filter(|n| n.tag_name().name() == name)
        .map(|n| n.text().unwrap_or("").to_string())
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn front_matter_text_comes_back_exactly_from_every_output(fields in fields()) {
        let built = build(&fields);
        let page = built.page();
        prop_assert_eq!(text_of(&page, "h1"), fields.headline.clone());
        prop_assert_eq!(text_of(&page, ".story-dek"), fields.dek.clone());
        prop_assert_eq!(text_of(&page, ".story-byline a"), fields.author.clone());
        prop_assert_eq!(text_of(&page, "a[rel=tag]"), fields.tag.clone());
        let img = select(&page, ".story-photo img");
        prop_assert_eq!(img[0].value().attr("alt"), Some(fields.alt.as_str()));
        prop_assert_eq!(text_of(&page, "figcaption .credit"), format!("Photo: {}", fields.credit));
        let figcaption = text_of(&page, "figcaption");
        prop_assert!(figcaption.starts_with(&fields.caption), "{:?}", figcaption);
        // Nothing from front matter became an element.
        prop_assert_eq!(select(&page, "script:not([type='application/ld+json'])").len(), 0);
        prop_assert_eq!(select(&page, "[onerror]").len(), 0);

        let ld = json_ld(&page);
        prop_assert_eq!(ld["description"].as_str(), Some(fields.dek.as_str()));
        prop_assert_eq!(ld["author"][0]["name"].as_str(), Some(fields.author.as_str()));
        prop_assert_eq!(ld["keywords"][0].as_str(), Some(fields.tag.as_str()));
        // JSON-LD headlines are cut to 110 characters at a word break.
        let headline = ld["headline"].as_str().unwrap_or_default().trim_end_matches('…');
        prop_assert!(fields.headline.starts_with(headline), "{:?}", ld["headline"]);

        let feed: serde_json::Value =
            serde_json::from_str(&built.text("feed.json")).expect("feed.json parses");
        let item = &feed["items"][0];
        prop_assert_eq!(item["title"].as_str(), Some(fields.headline.as_str()));
        prop_assert_eq!(item["summary"].as_str(), Some(fields.dek.as_str()));
        prop_assert_eq!(item["authors"][0]["name"].as_str(), Some(fields.author.as_str()));
        prop_assert!(item["tags"].as_array().is_some_and(|t| t.iter().any(|t| t == fields.tag.as_str())));

        let sitemap = built.text("news-sitemap.xml");
        let doc = roxmltree::Document::parse(&sitemap).expect("news-sitemap.xml is well-formed");
        let titles: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("title"))
            .filter_map(|n| n.text())
            .collect();
        prop_assert_eq!(titles, vec![fields.headline.as_str()]);

        let rss = built.text("feed.xml");
        prop_assert_eq!(rss_item(&rss, "title"), vec![fields.headline.clone()]);
        // An RSS description is HTML, escaped once more as XML text.
        let description: Vec<String> = rss_item(&rss, "description")
            .iter()
            .map(|html| Html::parse_fragment(html).root_element().text().collect())
            .collect();
        prop_assert_eq!(description, vec![fields.dek.clone()]);
        prop_assert_eq!(rss_item(&rss, "creator"), vec![fields.author.clone()]);
        prop_assert!(rss_item(&rss, "category").contains(&fields.tag), "{:?}", rss_item(&rss, "category"));
    }
}

/// Printable text with C0 controls, DEL and C1 controls mixed in.
fn text_with_controls() -> impl Strategy<Value = String> {
    "[a-z<&\u{0}-\u{8}\u{b}\u{c}\u{e}-\u{1f}\u{7f}\u{80}-\u{9f}]{1,30}"
        .prop_map(|s| format!("A{s}Z"))
}

/// Whether XML 1.0 allows the character (what feeds drop).
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{d7ff}' | '\u{e000}'..='\u{fffd}' | '\u{10000}'..)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn control_characters_are_dropped_in_xml_and_kept_in_json(headline in text_with_controls()) {
        let story = format!("---\nheadline: {}\ndate: 2025-12-31 10:00\n---\nBody.\n", yaml(&headline));
        let dir = site(&[("content/world/odd.md", story.as_bytes())]);
        let files = Built { files: build_in_process(dir.root()).unwrap_or_else(|e| panic!("{story}\n{e}")) };
        let in_xml: String = headline.chars().filter(|c| allowed_in_xml(*c)).collect();
        prop_assert_eq!(rss_item(&files.text("feed.xml"), "title"), vec![in_xml.clone()]);
        let sitemap = files.text("news-sitemap.xml");
        let doc = roxmltree::Document::parse(&sitemap).expect("news-sitemap.xml is well-formed");
        let title = doc.descendants().find(|n| n.has_tag_name("title")).and_then(|n| n.text());
        prop_assert_eq!(title, Some(in_xml.as_str()));
        let feed: serde_json::Value =
            serde_json::from_str(&files.text("feed.json")).expect("feed.json parses");
        prop_assert_eq!(feed["items"][0]["title"].as_str(), Some(headline.as_str()));
        let ld = json_ld(&files.page());
        prop_assert!(ld["headline"].is_string());
    }
}
