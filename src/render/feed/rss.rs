//! RSS 2.0 with the extensions news readers use: `content:encoded` for the full text,
//! `dc:creator` per author, `atom:link rel="self"`, and Media RSS (`media:content` with its
//! `media:credit`, `media:copyright` and `media:description`) for the lead photo. Written with the `rss` crate,
//! which escapes text and attributes and splits CDATA sections that contain `]]>`.

use std::collections::BTreeMap;

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::extension::{Extension, ExtensionMap};
use rss::{Category, ChannelBuilder, Image, Item, ItemBuilder};

use super::{Channel, Entry};

/// The Media RSS namespace, for photos.
pub(super) const MEDIA_NAMESPACE: &str = "http://search.yahoo.com/mrss/";

/// The feed as RSS 2.0 XML.
pub(super) fn channel(channel: &Channel, entries: &[&Entry]) -> String {
    let last_build = entries
        .iter()
        .filter_map(|e| e.modified())
        .max_by_key(|date| date.timestamp())
        .and_then(rfc822);
    let mut namespaces = BTreeMap::new();
    if entries.iter().any(|e| e.photo.is_some()) {
        namespaces.insert("media".to_string(), MEDIA_NAMESPACE.to_string());
    }
    let image = channel.logo.as_ref().map(|logo| Image {
        url: logo.clone(),
        title: channel.title.clone(),
        link: channel.home.clone(),
        ..Image::default()
    });
    let xml = ChannelBuilder::default()
        .namespaces(namespaces)
        .title(channel.title.clone())
        .link(channel.home.clone())
        .description(channel.description.clone())
        .language(Some(channel.language.clone()))
        .generator(Some(format!("Dateline {}", env!("CARGO_PKG_VERSION"))))
        .last_build_date(last_build)
        .image(image)
        .atom_ext(Some(AtomExtension {
            links: vec![Link {
                href: channel.url.clone(),
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Link::default()
            }],
        }))
        .items(entries.iter().map(|e| item(e)).collect::<Vec<_>>())
        .build()
        .to_string();
    crate::util::text::xml_safe(xml)
}

fn item(entry: &Entry) -> Item {
    let categories = entry
        .categories
        .iter()
        .map(|name| Category {
            name: name.clone(),
            domain: None,
        })
        .collect::<Vec<_>>();
    let mut extensions = ExtensionMap::new();
    // The rss crate leaves `isPermaLink` out when it is true (the RSS 2.0 default). Say it
    // explicitly, so that the guid's meaning does not rest on every reader knowing the default:
    // an extension element of no namespace, in place of the crate's `guid`.
    extensions.insert(
        String::new(),
        BTreeMap::from([(
            "guid".to_string(),
            vec![Extension {
                name: "guid".into(),
                value: Some(entry.url.clone()),
                attrs: BTreeMap::from([("isPermaLink".to_string(), "true".to_string())]),
                ..Extension::default()
            }],
        )]),
    );
    if let Some(photo) = &entry.photo {
        extensions.insert(
            "media".to_string(),
            BTreeMap::from([("content".to_string(), vec![media_content(photo)])]),
        );
    }
    ItemBuilder::default()
        .title(Some(entry.title.clone()))
        .link(Some(entry.url.clone()))
        .pub_date(entry.date.as_ref().and_then(rfc822))
        .description(Some(entry.description.clone()))
        .content(Some(entry.content.clone()))
        .categories(categories)
        .dublin_core_ext(Some(DublinCoreExtension {
            creators: entry.authors.iter().map(|(name, _)| name.clone()).collect(),
            ..DublinCoreExtension::default()
        }))
        .extensions(extensions)
        .build()
}

/// `<media:content url medium="image" type width height>` with the credit and alt text inside.
fn media_content(photo: &super::Photo) -> Extension {
    let mut attrs = BTreeMap::from([
        ("url".to_string(), photo.url.clone()),
        ("medium".to_string(), "image".to_string()),
    ]);
    if let Some(media_type) = photo.media_type {
        attrs.insert("type".into(), media_type.into());
    }
    if let Some(size) = photo.size {
        attrs.insert("width".into(), size.width.to_string());
        attrs.insert("height".into(), size.height.to_string());
    }
    let mut children = BTreeMap::new();
    if let Some(credit) = &photo.credit {
        children.insert(
            "credit".to_string(),
            vec![Extension {
                name: "media:credit".into(),
                value: Some(credit.clone()),
                ..Extension::default()
            }],
        );
    }
    if let Some(copyright) = &photo.copyright {
        children.insert(
            "copyright".to_string(),
            vec![Extension {
                name: "media:copyright".into(),
                value: Some(copyright.clone()),
                ..Extension::default()
            }],
        );
    }
    if !photo.alt.is_empty() {
        children.insert(
            "description".to_string(),
            vec![Extension {
                name: "media:description".into(),
                value: Some(photo.alt.clone()),
                attrs: BTreeMap::from([("type".to_string(), "plain".to_string())]),
                ..Extension::default()
            }],
        );
    }
    Extension {
        name: "media:content".into(),
        value: None,
        attrs,
        children,
    }
}

/// RFC 822 dates as RSS wants them, in the date's own zone: `Fri, 16 May 2025 19:10:00 +0100`.
fn rfc822(date: &jiff::ZonedDateTime) -> Option<String> {
    jiff::fmt::rfc2822::to_string(date).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_keep_their_zone() {
        let lisbon = jiff::tz::TimeZone::get("Europe/Lisbon").unwrap();
        let date = crate::parse::front_matter::parse_date("2025-05-16 19:10", &lisbon).unwrap();
        assert_eq!(
            rfc822(&date).as_deref(),
            Some("Fri, 16 May 2025 19:10:00 +0100")
        );
    }
}
