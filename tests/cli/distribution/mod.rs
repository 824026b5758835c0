//! Distribution: feeds, sitemaps and the metadata in every page's head, checked on sites built
//! by the real binary and read back with independent parsers (feed-rs, roxmltree, scraper,
//! serde_json), never by searching the output text.
//!
//! Most tests read one site, [`newsroom`]: hostile text in every field, a photo with a known
//! size and one on another site, links of every kind, stories inside and outside the news
//! window. It is written by code rather than kept in `tests/fixtures/`, so that the texts the
//! tests compare with are the same constants that wrote it.

mod feeds;
mod pages;
mod rebuild;
mod sitemaps;

use image::ImageFormat;

use crate::harness::{Site, repo_root};
use crate::images;

/// Text that breaks naive HTML, XML, JSON and script output all at once.
pub const HOSTILE: &str = "\"Quotes\" & <b>tags</b> </script><script>alert(1)</script> 🚀";
pub const HOSTILE_DEK: &str = "A dek with \"quotes\" & <i>markup</i> </script> 🚀";
pub const HOSTILE_ALT: &str = "Alt \"text\" & <img> </script> 🚀";
pub const HOSTILE_CREDIT: &str = "Credit & \"Co\" <Photo> 🚀";
pub const SITE_TITLE: &str = "Gazette & \"Friends\" <News>";
pub const LONG_HEADLINE: &str = "Negotiators from both sides agree on a framework for further \
    talks on prisoner exchanges, humanitarian corridors and a monitored ceasefire";

/// The address of the newsroom; its base path makes every URL rule visible.
pub const BASE: &str = "https://news.example.org/gazette";

/// The output file of the hostile story's page.
pub const HOSTILE_PAGE: &str = "world/2025/05/hostile/index.html";
pub const HOSTILE_URL: &str = "https://news.example.org/gazette/world/2025/05/hostile/";

/// The lead photo of a story, on another site: its size is not known.
pub const WIRE_PHOTO: &str = "https://wire.example.net/photos/crowd.jpg";

/// The newsroom most tests read.
pub fn newsroom() -> Site {
    newsroom_with("")
}

/// [`newsroom`] with more lines at the end of `site.toml`.
pub fn newsroom_with(extra_config: &str) -> Site {
    let site = Site::empty();
    site.file(
        "site.toml",
        format!(
            "title = {title}\nbase_url = \"{BASE}/\"\nlanguage = \"pt-BR\"\n\
             timezone = \"Europe/Lisbon\"\nfeed_limit = 3\n\
             description = \"Independent news & analysis.\"\n\
             sections = [\"World\", \"Politics\"]\n\
             [authors.\"Ana Sá\"]\nbio = \"Ana covers diplomacy.\"\nurl = \"https://ana.example/\"\n\
             {extra_config}\n",
            title = toml_string(SITE_TITLE),
        ),
    );
    site.file("static/logo.png", png_640_480());
    site.file(
        "content/world/hostile/index.md",
        format!(
            "---\nheadline: {headline}\ndek: {dek}\ndate: 2025-05-20 12:00\n\
             updated: 2025-05-21 08:00\nauthors: [\"Ana Sá\", \"Bob <Jones> & Co\"]\n\
             tags: [Elections, \"Tom & Jerry\"]\nphoto:\n  src: photo.jpg\n  alt: {alt}\n  \
             credit: {credit}\n---\n\
             First paragraph with [a link home](/gazette/about/) and **bold** text.\n\n\
             See [the vote](../../politics/vote.md), [the notes](#notes) and \
             [elsewhere](https://other.example/x?a=1&b=2).\n\n\
             ![A chart](chart.png)\n\n\
             <p><a href=\"/gazette/raw/\">raw link</a> <img src='/gazette/raw.png' alt=\"\"></p>\n\n\
             Write `<a href=\"/not-a-link\">` to make a link.\n\n\
             ## Notes\n\nThe end: {body}\n",
            headline = yaml_string(HOSTILE),
            dek = yaml_string(HOSTILE_DEK),
            alt = yaml_string(HOSTILE_ALT),
            credit = yaml_string(HOSTILE_CREDIT),
            body = HOSTILE.replace('<', "&lt;"),
        ),
    );
    // The example site's photo: a real JPEG of a known size (1200×800).
    let photo = std::fs::read(repo_root().join("content/world/istanbul-talks/photo.jpg"))
        .expect("the example site's photo");
    site.file("content/world/hostile/photo.jpg", photo);
    site.file("content/world/hostile/chart.png", png_640_480());
    site.file(
        "content/politics/vote.md",
        "---\nheadline: Parliament votes\ndate: 2025-05-19 09:00\nauthor: \"Bob <Jones> & Co\"\n\
         tags: [Elections]\n---\nThe vote passed.\n",
    );
    site.file(
        "content/politics/old.md",
        format!(
            "---\nheadline: {}\ndate: 2025-05-18 11:59\nauthor: Ana Sá\n---\nOlder news.\n",
            yaml_string(LONG_HEADLINE)
        ),
    );
    site.file(
        "content/world/wire.md",
        format!(
            "---\nheadline: A photo from the wire\ndate: 2025-05-01 10:00\n\
             photo:\n  src: {WIRE_PHOTO}\n  alt: A crowd\n---\nBody.\n"
        ),
    );
    site.file(
        "content/about.md",
        "---\nheadline: About us\nlayout: page\n---\nWho we are.\n",
    )
}

/// A double-quoted YAML string with `"` and `\` escaped.
pub fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A TOML basic string.
pub fn toml_string(text: &str) -> String {
    yaml_string(text)
}

/// A whole 640×480 PNG (every local image is decoded, so a header alone would be an error).
pub fn png_640_480() -> Vec<u8> {
    images::encoded(ImageFormat::Png, 640, 480)
}

/// Text of an HTML fragment as a browser would show it (entities decoded, tags dropped).
pub fn html_text(fragment: &str) -> String {
    scraper::Html::parse_fragment(fragment)
        .root_element()
        .text()
        .collect()
}
