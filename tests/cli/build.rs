//! Good builds: where stories and pages are published and what their pages say.

use image::{GenericImageView, ImageFormat};

use crate::harness::{Run, Site, route_file};
use crate::images;

/// A small photo: narrower than every default width, so it is published at its own size only.
fn jpeg() -> Vec<u8> {
    images::encoded(ImageFormat::Jpeg, 64, 48)
}

/// The published file is a re-encoded JPEG of the same size as the source (never the source's
/// bytes, which could carry its metadata).
fn assert_published_photo(run: &Run, path: &str) {
    let bytes = run.bytes(path);
    assert_ne!(bytes, jpeg(), "{path} is re-encoded");
    let format = image::guess_format(&bytes).expect("a known format");
    assert_eq!(format, ImageFormat::Jpeg, "{path}");
    let image = image::load_from_memory(&bytes).expect("a readable photo");
    assert_eq!(image.dimensions(), (64, 48), "{path}");
}

#[test]
fn story_is_published_at_section_year_month_slug() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks resume in Istanbul\ndate: 2025-05-19 23:30",
        "Negotiators met on Monday.\n",
    );
    let run = site.build();
    run.assert_success();
    let page = run.page("/world/2025/05/talks/");
    assert_eq!(page.text("h1"), "Talks resume in Istanbul");
    assert_eq!(
        page.attr(".story-dateline > time", "datetime"),
        "2025-05-19T23:30:00+01:00",
        "a local date is read in the site's time zone (Europe/Lisbon, summer time)"
    );
    assert_eq!(page.text(".story-body p"), "Negotiators met on Monday.");
    assert_eq!(page.attr(".kicker a", "href"), "/world/");
    assert_eq!(
        page.attr("link[rel=canonical]", "href"),
        "https://news.example.org/world/2025/05/talks/"
    );
}

#[test]
fn local_date_just_after_midnight_belongs_to_the_site_time_zone_month() {
    // 00:30 on June 1 in Lisbon is still May 31 in UTC: the URL must follow Lisbon.
    let site = Site::new().story(
        "world/early.md",
        "headline: Early edition\ndate: 2025-06-01 00:30",
        "Body.\n",
    );
    let run = site.build();
    run.assert_success();
    let page = run.page("/world/2025/06/early/");
    assert_eq!(
        page.attr(".story-dateline > time", "datetime"),
        "2025-06-01T00:30:00+01:00"
    );
    assert!(!run.exists("world/2025/05/early/index.html"));
}

#[test]
fn winter_dates_use_the_winter_offset_of_the_site_time_zone() {
    let site = Site::new().story(
        "world/winter.md",
        "headline: Winter\ndate: 2025-01-15 10:00",
        "Body.\n",
    );
    let run = site.build();
    run.assert_success();
    let page = run.page("/world/2025/01/winter/");
    assert_eq!(
        page.attr(".story-dateline > time", "datetime"),
        "2025-01-15T10:00:00+00:00"
    );
}

#[test]
fn rfc3339_dates_keep_their_instant_and_show_in_the_site_time_zone() {
    let site = Site::new()
        .story(
            "world/utc.md",
            "headline: Written in UTC\ndate: 2025-05-19T13:30:00Z",
            "Body.\n",
        )
        .story(
            "world/offset.md",
            "headline: Written in Karachi\ndate: 2025-01-15T10:00:00+05:00",
            "Body.\n",
        );
    let run = site.build();
    run.assert_success();
    assert_eq!(
        run.page("/world/2025/05/utc/")
            .attr(".story-dateline > time", "datetime"),
        "2025-05-19T14:30:00+01:00"
    );
    assert_eq!(
        run.page("/world/2025/01/offset/")
            .attr(".story-dateline > time", "datetime"),
        "2025-01-15T05:00:00+00:00"
    );
}

#[test]
fn date_only_is_midnight_in_the_site_time_zone() {
    let site = Site::new().story("world/day.md", "headline: Day\ndate: 2025-07-01", "Body.\n");
    let run = site.build();
    run.assert_success();
    assert_eq!(
        run.page("/world/2025/07/day/")
            .attr(".story-dateline > time", "datetime"),
        "2025-07-01T00:00:00+01:00"
    );
}

#[test]
fn custom_permalink_pattern_from_site_toml_places_stories() {
    let site = Site::new()
        .config("permalink = \"/news/:year-:month-:day/:slug/\"")
        .story(
            "world/talks.md",
            "headline: Talks\ndate: 2025-05-07 10:00",
            "Body.\n",
        );
    let run = site.build();
    run.assert_success();
    let page = run.page("/news/2025-05-07/talks/");
    assert_eq!(page.text("h1"), "Talks");
    let front = run.page("/");
    assert_eq!(
        front.attrs(".card-headline a", "href"),
        ["/news/2025-05-07/talks/"]
    );
    assert!(!run.exists("world/2025/05/talks/index.html"));
}

#[test]
fn slug_in_front_matter_overrides_the_file_name() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19 10:00\nslug: \"Istanbul Talks!\"",
        "Body.\n",
    );
    let run = site.build();
    run.assert_success();
    assert_eq!(
        run.page("/world/2025/05/istanbul-talks/").text("h1"),
        "Talks"
    );
    assert!(!run.exists("world/2025/05/talks/index.html"));
}

#[test]
fn file_name_becomes_a_clean_slug() {
    let site = Site::new().story(
        "world/São Paulo Élections.md",
        "headline: Vote\ndate: 2025-05-19 10:00",
        "Body.\n",
    );
    let run = site.build();
    run.assert_success();
    assert_eq!(
        run.page("/world/2025/05/sao-paulo-elections/").text("h1"),
        "Vote"
    );
}

#[test]
fn section_in_front_matter_overrides_the_folder() {
    let site = Site::new().story(
        "world/budget.md",
        "headline: Budget\ndate: 2025-05-19 10:00\nsection: Politics",
        "Body.\n",
    );
    let run = site.build();
    run.assert_success();
    let page = run.page("/politics/2025/05/budget/");
    assert_eq!(page.text(".kicker a"), "Politics");
    assert_eq!(run.page("/politics/").text("h1"), "Politics");
    assert!(!run.exists("world/index.html"));
}

#[test]
fn story_folder_publishes_its_photo_beside_the_page() {
    let site = Site::new()
        .story(
            "world/talks/index.md",
            "headline: Talks\ndate: 2025-05-19 10:00\nphoto:\n  src: photo.jpg\n  \
             alt: Delegates around a table\n  caption: The delegations met at the palace.\n  \
             credit: Gazette Staff",
            "Body.\n",
        )
        .file("content/world/talks/photo.jpg", jpeg());
    let run = site.build();
    run.assert_success();
    assert_published_photo(&run, "world/2025/05/talks/photo.jpg");
    let page = run.page("/world/2025/05/talks/");
    assert_eq!(
        page.attr("figure img", "src"),
        "/world/2025/05/talks/photo.jpg"
    );
    assert_eq!(page.attr("figure img", "alt"), "Delegates around a table");
    assert_eq!(
        page.text("figure figcaption"),
        "The delegations met at the palace. Photo: Gazette Staff"
    );
    assert_eq!(
        page.text("figure figcaption .credit"),
        "Photo: Gazette Staff"
    );
    let front = run.page("/");
    assert_eq!(
        front.attrs(".card-media img", "src"),
        ["/world/2025/05/talks/photo.jpg"]
    );
}

#[test]
fn decorative_photo_with_empty_alt_is_allowed() {
    let site = Site::new()
        .story(
            "world/talks/index.md",
            "headline: Talks\ndate: 2025-05-19 10:00\nphoto: {src: photo.jpg, alt: \"\"}",
            "Body.\n",
        )
        .file("content/world/talks/photo.jpg", jpeg());
    let run = site.build();
    run.assert_success();
    let page = run.page("/world/2025/05/talks/");
    assert_eq!(page.attr("figure img", "alt"), "");
    assert_eq!(page.count("figure figcaption"), 0);
}

#[test]
fn markdown_image_beside_a_story_folder_gets_its_published_path() {
    let site = Site::new()
        .story(
            "world/talks/index.md",
            "headline: Talks\ndate: 2025-05-19 10:00",
            "![Map of the talks](map.jpg)\n",
        )
        .file("content/world/talks/map.jpg", jpeg());
    let run = site.build();
    run.assert_success();
    let page = run.page("/world/2025/05/talks/");
    assert_eq!(
        page.attr(".story-body img", "src"),
        "/world/2025/05/talks/map.jpg"
    );
    assert_eq!(page.attr(".story-body img", "alt"), "Map of the talks");
    assert_published_photo(&run, "world/2025/05/talks/map.jpg");
}

#[test]
fn standalone_page_is_published_at_its_slug_and_not_listed() {
    let site = Site::new()
        .story(
            "about.md",
            "headline: About us\ndek: Who we are.\nlayout: page",
            "We are a newsroom.\n",
        )
        .story(
            "world/talks.md",
            "headline: Talks\ndate: 2025-05-19 10:00",
            "Body.\n",
        );
    let run = site.build();
    run.assert_success();
    let page = run.page("/about/");
    assert_eq!(page.text("h1"), "About us");
    assert_eq!(page.text(".story-dek"), "Who we are.");
    assert_eq!(page.text(".story-body p"), "We are a newsroom.");
    assert_eq!(
        run.page("/").attrs(".card-headline a", "href"),
        ["/world/2025/05/talks/"]
    );
    let titles: Vec<String> = run
        .feed()
        .entries
        .iter()
        .filter_map(|e| e.title.as_ref().map(|t| t.content.clone()))
        .collect();
    assert_eq!(titles, ["Talks"]);
}

#[test]
fn byline_links_every_author_to_their_page() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19 10:00\nauthor: Ana Costa\nauthors: [Ben Okoro, Ana Costa]",
        "Body.\n",
    );
    let run = site.build();
    run.assert_success();
    let page = run.page("/world/2025/05/talks/");
    assert_eq!(page.texts(".story-byline a"), ["Ana Costa", "Ben Okoro"]);
    assert_eq!(
        page.attrs(".story-byline a", "href"),
        ["/authors/ana-costa/", "/authors/ben-okoro/"]
    );
    assert!(run.exists(&route_file("/authors/ana-costa/")));
    assert!(run.exists(&route_file("/authors/ben-okoro/")));
}

#[test]
fn bom_and_crlf_file_builds_like_any_other() {
    let mut text = vec![0xef, 0xbb, 0xbf];
    text.extend_from_slice(
        b"---\r\nheadline: Windows story\r\ndate: 2025-05-19 10:00\r\n---\r\nFirst line.\r\n\r\nSecond paragraph.\r\n",
    );
    let site = Site::new().file("content/world/windows.md", text);
    let run = site.build();
    run.assert_success();
    let page = run.page("/world/2025/05/windows/");
    assert_eq!(page.text("h1"), "Windows story");
    assert_eq!(
        page.texts(".story-body p"),
        ["First line.", "Second paragraph."]
    );
    assert!(
        !run.read("world/2025/05/windows/index.html").contains('\r'),
        "CR characters leaked into the page"
    );
}

#[test]
fn summary_line_counts_stories_pages_listings_feeds_and_files() {
    let site = Site::fixture("newsroom");
    let run = site.build();
    run.assert_success();
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 1, "one summary line: {}", run.stdout);
    // The marker that lets the next build replace the folder is not one of the site's files.
    let files = run.files().len() - 1;
    let expected = format!(
        "Built 5 stories, 3 pages, 13 listing pages and 10 feeds ({files} files) into {} in ",
        run.out.display()
    );
    let line = lines[0];
    assert!(line.starts_with(&expected), "{line}\nexpected: {expected}");
    assert!(
        run.files().iter().any(|f| f == "images/logo.svg"),
        "the fixture's static/ file is among the files counted"
    );
    let time = &line[expected.len()..];
    let millis = time.strip_suffix(" ms").expect("the time is in ms");
    assert!(millis.parse::<u64>().is_ok(), "time `{time}`");
}

#[test]
fn summary_uses_singular_for_one() {
    let site = Site::new()
        .story(
            "world/talks.md",
            "headline: Talks\ndate: 2025-05-19 10:00",
            "Body.\n",
        )
        .story("about.md", "headline: About\nlayout: page", "Body.\n");
    let run = site.build();
    run.assert_success();
    assert!(
        run.stdout
            .starts_with("Built 1 story, 1 page, 3 listing pages and 3 feeds ("),
        "{}",
        run.stdout
    );
}
