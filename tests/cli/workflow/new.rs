//! `dateline new`: a story file with its front matter filled in, never over another.

use std::path::Path;
use std::sync::Arc;

use dateline::parse::front_matter::{self, FrontMatter};

use crate::harness::{LATER, Site, dateline, html, run, texts};

/// Parses a written story with the real front matter parser, in the test site's zone.
fn parse(site: &Site, path: &str) -> FrontMatter {
    let text: Arc<str> = Arc::from(site.read(path));
    let split = front_matter::split(&text).expect("front matter fences");
    let zone = jiff::tz::TimeZone::get("Europe/Lisbon").unwrap();
    front_matter::parse(Path::new(path), &text, &split, &zone)
        .unwrap_or_else(|errors| panic!("{path} does not parse: {errors:?}"))
}

#[test]
fn new_story_slug_transliterates_accents_and_drops_punctuation() {
    let site = Site::new();
    let new = run(site.dateline(&[
        "new",
        "Élections à Zürich: ce qui change",
        "--section",
        "World",
        "--author",
        "Zoë Keller",
    ]));
    assert_eq!(new.code, 0, "{}", new.stderr);
    let path = "content/world/elections-a-zurich-ce-qui-change.md";
    assert_eq!(new.stdout.trim(), path, "prints only the path");
    let front = parse(&site, path);
    assert_eq!(front.headline, "Élections à Zürich: ce qui change");
    assert_eq!(front.authors, ["Zoë Keller"]);
    assert_eq!(front.section.as_deref(), Some("World"));
    assert!(front.draft, "a new story is a draft");
    let date = site
        .read(path)
        .lines()
        .find_map(|l| l.strip_prefix("date: ").map(str::to_string))
        .unwrap();
    assert!(
        date.len() == 16 && date.as_bytes()[4] == b'-' && date.as_bytes()[10] == b' ',
        "YYYY-MM-DD HH:MM, not {date}"
    );
    let written = front.date.unwrap();
    assert_eq!(written.time_zone().iana_name(), Some("Europe/Lisbon"));
    let age = jiff::Timestamp::now().as_second() - written.timestamp().as_second();
    assert!(
        (0..120).contains(&age),
        "dated now in the site's zone, {age} s ago"
    );
}

#[test]
fn headlines_with_quotes_and_colons_round_trip_and_build() {
    let site = Site::new();
    let headline = "\"Never again,\" minister says: #1 priority - [live] {update}";
    let new = run(site.dateline(&["new", headline, "--section", "Politics"]));
    assert_eq!(new.code, 0, "{}", new.stderr);
    let path = new.stdout.trim().to_string();
    assert_eq!(
        path,
        "content/politics/never-again-minister-says-1-priority-live-update.md"
    );
    assert_eq!(parse(&site, &path).headline, headline);
    let public = site.build(&["--drafts"]);
    let story = html(
        &public,
        &format!(
            "politics/{}/never-again-minister-says-1-priority-live-update/index.html",
            jiff::Timestamp::now()
                .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Lisbon").unwrap())
                .strftime("%Y/%m")
        ),
    );
    assert_eq!(texts(&story, "h1.story-headline"), [headline]);
    let _ = LATER;
}

#[test]
fn new_never_overwrites_a_story() {
    let site = Site::new();
    site.file("content/world/talks-resume.md", "my story\n");
    let new = run(site.dateline(&["new", "Talks resume", "--section", "World"]));
    assert_eq!(new.code, 1);
    assert!(new.stderr.contains("already exists"), "{}", new.stderr);
    assert_eq!(site.read("content/world/talks-resume.md"), "my story\n");
    let folder = run(site.dateline(&["new", "Talks resume", "--section", "World", "--folder"]));
    assert_eq!(
        folder.code, 1,
        "the folder form would publish at the same URL"
    );
    assert!(!site.exists("content/world/talks-resume/index.md"));
}

#[test]
fn folder_stories_are_index_files_that_can_hold_photos() {
    let site = Site::new();
    let new = run(site.dateline(&["new", "Talks resume", "--section", "World", "--folder"]));
    assert_eq!(new.code, 0, "{}", new.stderr);
    assert_eq!(new.stdout.trim(), "content/world/talks-resume/index.md");
    assert_eq!(
        parse(&site, "content/world/talks-resume/index.md").headline,
        "Talks resume"
    );
}

#[test]
fn the_section_defaults_to_the_first_in_site_toml() {
    let site = Site::new();
    let new = run(site.dateline(&["new", "Talks resume"]));
    assert_eq!(
        new.stdout.trim(),
        "content/world/talks-resume.md",
        "{}",
        new.stderr
    );
}

#[test]
fn root_names_the_site_from_elsewhere() {
    let site = Site::new();
    let elsewhere = tempfile::TempDir::new().unwrap();
    let root = site.path().to_string_lossy().into_owned();
    let new = run(dateline(elsewhere.path()).args(["new", "Talks", "--root", &root]));
    assert_eq!(new.code, 0, "{}", new.stderr);
    let printed = Path::new(new.stdout.trim());
    assert_eq!(printed, site.path().join("content/world/talks.md"));
    assert!(printed.is_file());
}

#[test]
fn new_outside_a_site_says_where_to_run_it() {
    let elsewhere = tempfile::TempDir::new().unwrap();
    let new = run(dateline(elsewhere.path()).args(["new", "Talks"]));
    assert_eq!(new.code, 1);
    assert!(new.stderr.contains("site.toml"), "{}", new.stderr);
    assert!(new.stderr.contains("--root"), "{}", new.stderr);
}
