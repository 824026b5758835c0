//! Rebuilds as `serve` does them, through the library's `Builder`: what feeds and page
//! metadata show must follow an edit, and be exactly what a fresh build writes.

use dateline::build::Builder;
use dateline::output::Output;
use image::ImageFormat;

use super::*;
use crate::images;

fn text(builder: &mut Builder, path: &str) -> String {
    let built = builder.build().expect("the site builds");
    match built.outputs.get(path) {
        Some(Output::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
        other => panic!("{path}: {other:?}"),
    }
}

#[test]
fn a_replaced_photo_updates_its_size_in_pages_and_feeds() {
    let site = newsroom();
    let mut builder = site.builder();
    assert!(text(&mut builder, HOSTILE_PAGE).contains("content=\"1200\""));
    // A PNG of another size (and length) in place of the JPEG.
    let replacement = images::encoded(ImageFormat::Png, 320, 200);
    site.file("content/world/hostile/photo.jpg", &replacement);
    let photo = site.root().join("content/world/hostile/photo.jpg");
    builder.changed(&photo);
    let page = text(&mut builder, HOSTILE_PAGE);
    assert!(
        page.contains("<meta property=\"og:image:width\" content=\"320\">"),
        "{page}"
    );
    assert!(page.contains("<meta property=\"og:image:height\" content=\"200\">"));
    let feed = text(&mut builder, "world/feed.xml");
    assert!(feed.contains("width=\"320\""), "{feed}");

    let fresh = site.builder().build().expect("a fresh build");
    let again = builder.build().expect("a rebuild");
    assert!(
        again.outputs.changed_since(&fresh.outputs).is_empty(),
        "the rebuild equals a fresh build"
    );
}

#[test]
fn an_edited_headline_reaches_every_feed_and_sitemap_that_shows_it() {
    let site = newsroom();
    let mut builder = site.builder();
    builder.build().expect("the site builds");
    let path = "content/politics/vote.md";
    site.file(
        path,
        "---\nheadline: Parliament votes again\ndate: 2025-05-19 09:00\n\
         author: \"Bob <Jones> & Co\"\ntags: [Elections]\n---\nThe vote passed.\n",
    );
    builder.changed(&site.root().join(path));
    for feed in [
        "feed.xml",
        "feed.json",
        "politics/feed.xml",
        "tags/elections/feed.xml",
        "authors/bob-jones-co/feed.xml",
        "news-sitemap.xml",
        "politics/2025/05/vote/index.html",
    ] {
        assert!(
            text(&mut builder, feed).contains("Parliament votes again"),
            "{feed}"
        );
    }
    assert!(!text(&mut builder, "world/feed.xml").contains("Parliament votes"));
}
