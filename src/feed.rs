//! The RSS 2.0 feed of the newest stories, with their full text, written with the `rss` crate.
//!
//! Dates come from the stories, never from the clock, so the feed is reproducible.

use rss::extension::atom::{AtomExtension, Link};
use rss::extension::dublincore::DublinCoreExtension;
use rss::{CategoryBuilder, ChannelBuilder, Guid, Item, ItemBuilder};

use crate::newsroom::Newsroom;
use crate::output::{Output, Outputs, xml_safe};

/// The output path of the site's main feed.
pub const FEED: &str = "feed.xml";

/// Writes `/feed.xml`; returns the number of feeds written.
pub fn render(newsroom: &Newsroom, outputs: &mut Outputs) -> usize {
    let site = &newsroom.site;
    let config = &site.config;
    let self_url = site.absolute(&site.path(&format!("/{FEED}")));
    let items: Vec<Item> = newsroom
        .stories
        .iter()
        .take(config.feed_limit)
        .map(|story| item(newsroom, story))
        .collect();
    let last_build = newsroom
        .stories
        .first()
        .and_then(|s| s.front.last_modified().or(s.front.date.as_ref()))
        .and_then(rfc2822);
    let channel = ChannelBuilder::default()
        .title(config.title.clone())
        .link(site.absolute(&site.path("/")))
        .description(
            config
                .description
                .clone()
                .or_else(|| config.tagline.clone())
                .unwrap_or_else(|| config.title.clone()),
        )
        .language(Some(config.language.clone()))
        .generator(Some(format!("Dateline {}", env!("CARGO_PKG_VERSION"))))
        .last_build_date(last_build)
        .atom_ext(Some(AtomExtension {
            links: vec![Link {
                href: self_url,
                rel: "self".into(),
                mime_type: Some("application/rss+xml".into()),
                ..Link::default()
            }],
        }))
        .items(items)
        .build();
    outputs.insert(FEED, Output::text(xml_safe(channel.to_string())));
    1
}

fn item(newsroom: &Newsroom, story: &crate::story::Story) -> Item {
    let site = &newsroom.site;
    let link = site.absolute(&site.path(&story.route));
    let categories = story
        .section
        .iter()
        .chain(&story.front.tags)
        .map(|name| CategoryBuilder::default().name(name.clone()).build())
        .collect::<Vec<_>>();
    ItemBuilder::default()
        .title(Some(story.front.headline.clone()))
        .link(Some(link.clone()))
        .guid(Some(Guid {
            value: link,
            permalink: true,
        }))
        .pub_date(story.front.date.as_ref().and_then(rfc2822))
        .description(
            story
                .front
                .dek
                .clone()
                .or_else(|| Some(story.body.summary.clone())),
        )
        .content(Some(story.body.html.clone()))
        .categories(categories)
        .dublin_core_ext(Some(DublinCoreExtension {
            creators: story.front.authors.clone(),
            ..DublinCoreExtension::default()
        }))
        .build()
}

/// RFC 822 dates as RSS wants them, with the story's own offset.
fn rfc2822(date: &jiff::ZonedDateTime) -> Option<String> {
    jiff::fmt::rfc2822::to_string(date).ok()
}
