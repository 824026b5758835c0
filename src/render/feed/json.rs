//! JSON Feed 1.1 (<https://jsonfeed.org/version/1.1>): the main feed's items for readers that
//! prefer JSON, serialised with serde so that any text is valid JSON.

use serde::Serialize;

use super::{Channel, Entry};

#[derive(Serialize)]
struct Feed<'a> {
    version: &'static str,
    title: &'a str,
    home_page_url: &'a str,
    feed_url: String,
    description: &'a str,
    language: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    icon: Option<&'a str>,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
struct Item<'a> {
    id: &'a str,
    url: &'a str,
    title: &'a str,
    content_html: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    summary: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    image: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_modified: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    authors: Vec<Author<'a>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    tags: Vec<&'a str>,
}

#[derive(Serialize)]
struct Author<'a> {
    name: &'a str,
    url: &'a str,
}

/// The feed as JSON Feed 1.1.
pub(super) fn feed(channel: &Channel, entries: &[&Entry]) -> String {
    let feed = Feed {
        version: "https://jsonfeed.org/version/1.1",
        title: &channel.title,
        home_page_url: &channel.home,
        feed_url: format!("{}{}", channel.home, crate::site::routes::JSON_FEED),
        description: &channel.description,
        language: &channel.language,
        icon: channel.logo.as_deref(),
        items: entries.iter().map(|e| item(e)).collect(),
    };
    // Plain data with string keys: serialising it cannot fail.
    let mut json = serde_json::to_string_pretty(&feed).unwrap_or_default();
    json.push('\n');
    json
}

fn item(entry: &Entry) -> Item<'_> {
    Item {
        id: &entry.url,
        url: &entry.url,
        title: &entry.title,
        content_html: &entry.content,
        summary: entry.dek.as_deref(),
        image: entry.photo.as_ref().map(|p| p.url.as_str()),
        date_published: entry.date.as_ref().map(crate::util::time::rfc3339),
        date_modified: entry.modified().map(crate::util::time::rfc3339),
        authors: entry
            .authors
            .iter()
            .map(|(name, url)| Author { name, url })
            .collect(),
        tags: entry.categories.iter().map(String::as_str).collect(),
    }
}
