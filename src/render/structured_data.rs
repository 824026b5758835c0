//! schema.org data as JSON-LD: `NewsArticle` on stories, `WebSite` on the front page,
//! `CollectionPage` on section and tag pages, `ProfilePage` on author pages. Search engines
//! read it for rich results and Google News.
//!
//! The data is built as `serde_json` values, never by pasting text into a template, so any
//! headline is valid JSON; [`script_json`] then escapes `<`, `>` and `&` so that no text (a
//! headline quoting `</script>`) can end the `<script>` element that holds it.

use serde_json::{Map, Value, json};

use crate::assets::{Images, LeadPhoto};
use crate::model::Newsroom;
use crate::site::config::Site;
use crate::site::routes::GroupKind;

/// Google shows at most this many characters of a `NewsArticle` headline.
pub(crate) const HEADLINE_LIMIT: usize = 110;

/// The JSON text of `value`, safe to place inside `<script type="application/ld+json">`.
pub(crate) fn script_json(value: &Value) -> String {
    let json = value.to_string();
    // Most JSON-LD has none of these: then the text is used as it is, without a second copy.
    let escaped = |c: char| matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}');
    if !json.contains(escaped) {
        return json;
    }
    let mut safe = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        match c {
            '<' => safe.push_str("\\u003c"),
            '>' => safe.push_str("\\u003e"),
            '&' => safe.push_str("\\u0026"),
            // Line and paragraph separators end lines in older JavaScript parsers.
            '\u{2028}' => safe.push_str("\\u2028"),
            '\u{2029}' => safe.push_str("\\u2029"),
            c => safe.push(c),
        }
    }
    safe
}

/// A headline of at most [`HEADLINE_LIMIT`] characters: cut at a word break where there is one
/// near the end, never inside a character, and marked with an ellipsis.
pub(crate) fn headline(text: &str) -> String {
    if text.chars().count() <= HEADLINE_LIMIT {
        return text.to_string();
    }
    let keep: String = text.chars().take(HEADLINE_LIMIT - 1).collect();
    let cut = match keep.rfind(char::is_whitespace) {
        Some(space) if keep[..space].chars().count() >= HEADLINE_LIMIT * 3 / 4 => &keep[..space],
        _ => keep.as_str(),
    };
    let cut = cut.trim_end_matches(|c: char| c.is_whitespace() || ",;:-–—".contains(c));
    format!("{cut}…")
}

/// The `NewsArticle` of story `index`.
pub(crate) fn news_article(newsroom: &Newsroom, images: &Images, index: usize) -> Value {
    let site = &newsroom.site;
    let story = &newsroom.stories[index];
    let front = &story.front;
    let url = site.absolute(&site.path(&story.route));
    let date = front.date.as_ref().map(crate::util::time::rfc3339);
    let modified = front
        .last_modified()
        .map(crate::util::time::rfc3339)
        .or_else(|| date.clone());
    let authors: Vec<Value> = front
        .authors
        .iter()
        .zip(story.author_slugs.iter())
        .map(|(name, slug)| {
            let page = site.path(&GroupKind::Author.route(slug));
            json!({"@type": "Person", "name": name, "url": site.absolute(&page)})
        })
        .collect();
    let image = images
        .lead_photo(newsroom, index)
        .map(|photo| json!([image_object(site, &photo)]));
    let corrections: Vec<Value> = front
        .corrections
        .iter()
        .map(|correction| {
            json!({
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": crate::util::time::rfc3339(&correction.date),
            })
        })
        .collect();
    clean(json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": headline(&front.headline),
        "description": front.dek,
        "image": image,
        "datePublished": date,
        "dateModified": modified,
        "author": authors,
        "publisher": publisher(site),
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
        "articleSection": story.section.as_deref(),
        "keywords": front.tags,
        "inLanguage": site.config.language,
        "correction": corrections,
        "backstory": front.backstory,
        "isAccessibleForFree": front.free_to_read,
    }))
}

/// A lead photo as an `ImageObject`, with the credit and rights Google Images shows.
fn image_object(site: &Site, photo: &LeadPhoto<'_>) -> Value {
    let rights = &site.config.images;
    let creator = photo
        .credit
        .map(|credit| json!({"@type": "Person", "name": crate::assets::rights::creator(credit)}));
    json!({
        "@type": "ImageObject",
        "url": site.absolute_url(photo.src),
        "contentUrl": site.absolute_url(photo.src),
        "width": photo.size.map(|size| size.width),
        "height": photo.size.map(|size| size.height),
        "caption": photo.caption,
        "creditText": photo.credit,
        "creator": creator,
        "copyrightNotice": rights.copyright,
        "license": rights.license.as_deref().map(|url| site.config_url(url)),
        "acquireLicensePage": rights.acquire_license.as_deref().map(|url| site.config_url(url)),
    })
}

/// The `WebSite` of the front page.
pub(crate) fn website(site: &Site) -> Value {
    clean(json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": site.config.title,
        "url": site.absolute(&site.path("/")),
        "description": site.config.description,
        "inLanguage": site.config.language,
        "publisher": publisher(site),
    }))
}

/// The `CollectionPage` of a listing (section, tag, later front pages) at `url`.
pub(crate) fn collection_page(site: &Site, name: &str, url: &str, description: &str) -> Value {
    clean(json!({
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": name,
        "url": url,
        "description": description,
        "inLanguage": site.config.language,
        "isPartOf": is_part_of(site),
    }))
}

/// The `ProfilePage` of an author at `url`, with what `site.toml` says about them.
pub(crate) fn profile_page(site: &Site, name: &str, url: &str) -> Value {
    let info = site.config.authors.get(name);
    let same_as = info.and_then(|i| i.url.as_deref()).map(|u| json!([u]));
    clean(json!({
        "@context": "https://schema.org",
        "@type": "ProfilePage",
        "url": url,
        "isPartOf": is_part_of(site),
        "mainEntity": {
            "@type": "Person",
            "name": name,
            "url": url,
            "description": info.and_then(|i| i.bio.as_deref()),
            "sameAs": same_as,
        },
    }))
}

fn is_part_of(site: &Site) -> Value {
    json!({"@type": "WebSite", "name": site.config.title, "url": site.absolute(&site.path("/"))})
}

/// The outlet as a `NewsMediaOrganization`, from `[publisher]` with the site's defaults.
/// Its Trust Project policies (`ethicsPolicy`, `correctionsPolicy`...) are pages of the site,
/// checked to exist before anything is published.
fn publisher(site: &Site) -> Value {
    let config = &site.config.publisher;
    let mut organization = json!({
        "@type": "NewsMediaOrganization",
        "name": site.publisher_name(),
        "url": site.publisher_url(),
        "logo": site.logo_url().map(|logo| json!({"@type": "ImageObject", "url": logo})),
        "sameAs": config.same_as,
    });
    if let Value::Object(map) = &mut organization {
        for policy in config.policies() {
            map.insert(policy.property.into(), site.config_url(policy.path).into());
        }
    }
    organization
}

/// Drops null values and empty lists: schema.org readers want a property absent, not empty.
fn clean(value: Value) -> Value {
    match value {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(key, value)| (key, clean(value)))
                .filter(|(_, value)| !is_empty(value))
                .collect::<Map<String, Value>>(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(clean).collect()),
        other => other,
    }
}

fn is_empty(value: &Value) -> bool {
    match value {
        Value::Null => true,
        Value::Array(items) => items.is_empty(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_headlines_are_kept_whole() {
        let text = "\"Quotes\" & <b>tags</b> </script> 🚀";
        assert_eq!(headline(text), text);
        let exact = "a".repeat(HEADLINE_LIMIT);
        assert_eq!(headline(&exact), exact);
    }

    #[test]
    fn long_headlines_are_cut_at_a_word_within_the_limit() {
        let text = "Negotiators agree on a framework for talks on prisoner exchanges, \
                    humanitarian corridors and a monitored ceasefire along the front line";
        let cut = headline(text);
        assert!(cut.chars().count() <= HEADLINE_LIMIT, "{cut}");
        assert!(cut.ends_with(" a monitored…"), "{cut}");
    }

    #[test]
    fn long_headlines_are_cut_on_a_char_boundary() {
        // Multi-byte characters everywhere: a byte-based cut would split one and panic.
        for text in [
            "é".repeat(200),
            "🚀".repeat(150),
            format!("{}жжж", "x".repeat(108)),
        ] {
            let cut = headline(&text);
            assert_eq!(cut.chars().count(), HEADLINE_LIMIT, "{cut}");
            assert!(cut.ends_with('…'));
        }
    }

    #[test]
    fn script_json_cannot_close_its_script_element() {
        let value = json!({"headline": "</script><script>alert(1)</script> & \u{2028}"});
        let text = script_json(&value);
        assert!(!text.contains('<') && !text.contains('>') && !text.contains('&'));
        assert_eq!(serde_json::from_str::<Value>(&text).unwrap(), value);
    }

    #[test]
    fn empty_values_are_left_out() {
        let value = clean(json!({"a": null, "b": [], "c": {"d": null, "e": 1}, "f": "x"}));
        assert_eq!(value, json!({"c": {"e": 1}, "f": "x"}));
    }
}
