//! `sitemap.xml` and `robots.txt`: what search engines need to find every page.

use std::fmt::Write;

use quick_xml::escape::escape;

use crate::newsroom::Newsroom;
use crate::output::{Output, Outputs, xml_safe};

pub const SITEMAP: &str = "sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

/// Writes the sitemap (every story, page and first listing page) and `robots.txt`.
pub fn render(newsroom: &Newsroom, outputs: &mut Outputs) {
    let site = &newsroom.site;
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    let newest = newsroom.stories.first().and_then(lastmod);
    entries.push(("/".into(), newest));
    for story in &newsroom.stories {
        entries.push((story.route.clone(), lastmod(story)));
    }
    for page in &newsroom.pages {
        entries.push((page.route.clone(), None));
    }
    let newest_correction = newsroom
        .stories
        .iter()
        .chain(&newsroom.pages)
        .flat_map(|s| &s.front.corrections)
        .map(|c| &c.date)
        .max_by_key(|date| date.timestamp())
        .map(crate::render::rfc3339);
    let corrections = crate::render::CORRECTIONS_ROUTE;
    if outputs
        .get(&crate::output::route_file(corrections))
        .is_some()
    {
        entries.push((corrections.into(), newest_correction));
    }
    let listing = |prefix: &str, groups: &[crate::newsroom::Group]| {
        groups
            .iter()
            .map(|g| {
                let newest = g
                    .stories
                    .first()
                    .and_then(|&i| lastmod(&newsroom.stories[i]));
                (format!("{prefix}{}/", g.slug), newest)
            })
            .collect::<Vec<_>>()
    };
    entries.extend(listing("/", &newsroom.sections));
    entries.extend(listing("/tags/", &newsroom.tags));
    entries.extend(listing("/authors/", &newsroom.authors));

    let mut xml = String::with_capacity(entries.len() * 120 + 200);
    xml.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    xml.push_str("<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (route, lastmod) in entries {
        let loc = site.absolute(&site.path(&route));
        let _ = write!(xml, "  <url>\n    <loc>{}</loc>\n", escape(&loc));
        if let Some(lastmod) = lastmod {
            let _ = writeln!(xml, "    <lastmod>{lastmod}</lastmod>");
        }
        xml.push_str("  </url>\n");
    }
    xml.push_str("</urlset>\n");
    outputs.insert(SITEMAP, Output::text(xml_safe(xml)));

    let robots = format!(
        "User-agent: *\nAllow: /\n\nSitemap: {}\n",
        site.absolute(&site.path(&format!("/{SITEMAP}")))
    );
    outputs.insert(ROBOTS, Output::text(robots));
}

/// W3C datetime of the story's last change: `updated` or its newest correction, else `date`.
fn lastmod(story: &crate::story::Story) -> Option<String> {
    story
        .front
        .last_modified()
        .or(story.front.date.as_ref())
        .map(crate::render::rfc3339)
}
