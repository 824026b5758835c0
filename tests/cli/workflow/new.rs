//! `dateline new`: a story file with its front matter filled in, never over another.

use std::path::Path;
use std::sync::Arc;

use dateline::parse::front_matter::{self, FrontMatter};

use super::gazette;
use crate::harness::{Site, dateline};

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
    let site = gazette();
    let new = dateline(site.root())
        .args([
            "new",
            "Élections à Zürich: ce qui change",
            "--section",
            "World",
            "--author",
            "Zoë Keller",
        ])
        .run();
    assert_eq!(new.code, Some(0), "{}", new.stderr);
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
    let site = gazette();
    let headline = "\"Never again,\" minister says: #1 priority - [live] {update}";
    let new = dateline(site.root())
        .args(["new", headline, "--section", "Politics"])
        .run();
    assert_eq!(new.code, Some(0), "{}", new.stderr);
    let path = new.stdout.trim().to_string();
    assert_eq!(
        path,
        "content/politics/never-again-minister-says-1-priority-live-update.md"
    );
    assert_eq!(parse(&site, &path).headline, headline);
    // `new` dates the story by the clock, so it is built by the clock too: as of the fixed
    // NOW, which is earlier, it would be scheduled, not published.
    let public = site.dateline(&["build", "--drafts"]);
    public.assert_success();
    let story = public.page(&format!(
        "politics/{}/never-again-minister-says-1-priority-live-update/index.html",
        jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::get("Europe/Lisbon").unwrap())
            .strftime("%Y/%m")
    ));
    assert_eq!(story.trimmed_texts("h1.story-headline"), [headline]);
}

#[test]
fn new_never_overwrites_a_story() {
    let site = gazette();
    site.file("content/world/talks-resume.md", "my story\n");
    let new = dateline(site.root())
        .args(["new", "Talks resume", "--section", "World"])
        .run();
    assert_eq!(new.code, Some(1));
    assert!(new.stderr.contains("already exists"), "{}", new.stderr);
    assert_eq!(site.read("content/world/talks-resume.md"), "my story\n");
    let folder = dateline(site.root())
        .args(["new", "Talks resume", "--section", "World", "--folder"])
        .run();
    assert_eq!(
        folder.code,
        Some(1),
        "the folder form would publish at the same URL"
    );
    assert!(!site.exists("content/world/talks-resume/index.md"));
}

#[test]
fn folder_stories_are_index_files_that_can_hold_photos() {
    let site = gazette();
    let new = dateline(site.root())
        .args(["new", "Talks resume", "--section", "World", "--folder"])
        .run();
    assert_eq!(new.code, Some(0), "{}", new.stderr);
    assert_eq!(new.stdout.trim(), "content/world/talks-resume/index.md");
    assert_eq!(
        parse(&site, "content/world/talks-resume/index.md").headline,
        "Talks resume"
    );
}

#[test]
fn the_section_defaults_to_the_first_in_site_toml() {
    let site = gazette();
    let new = dateline(site.root()).args(["new", "Talks resume"]).run();
    assert_eq!(
        new.stdout.trim(),
        "content/world/talks-resume.md",
        "{}",
        new.stderr
    );
}

#[test]
fn root_names_the_site_from_elsewhere() {
    let site = gazette();
    let elsewhere = Site::empty();
    let root = site.root().to_string_lossy().into_owned();
    let new = dateline(elsewhere.root())
        .args(["new", "Talks", "--root", &root])
        .run();
    assert_eq!(new.code, Some(0), "{}", new.stderr);
    let printed = Path::new(new.stdout.trim());
    assert_eq!(printed, site.root().join("content/world/talks.md"));
    assert!(printed.is_file());
}

#[test]
fn new_outside_a_site_says_where_to_run_it() {
    let elsewhere = Site::empty();
    let new = dateline(elsewhere.root()).args(["new", "Talks"]).run();
    assert_eq!(new.code, Some(1));
    assert!(new.stderr.contains("site.toml"), "{}", new.stderr);
    assert!(new.stderr.contains("--root"), "{}", new.stderr);
}

#[test]
fn a_section_a_spelling_away_from_an_existing_one_is_refused_with_its_name() {
    let site = gazette();
    site.file(
        "content/sport/derby.md",
        "---\nheadline: Derby\ndate: 2025-05-19\n---\nText.\n",
    );
    let new = dateline(site.root())
        .args(["new", "Cup final", "--section", "Sprots"])
        .run();
    assert_eq!(new.code, Some(1), "{}", new.stderr);
    assert!(
        new.stderr
            .contains("there is no section `Sprots`; did you mean `sport`?"),
        "{}",
        new.stderr
    );
    assert!(!site.root().join("content/sprots").exists());
    let wolrd = dateline(site.root())
        .args(["new", "Talks", "--section", "Wolrd"])
        .run();
    assert!(
        wolrd.stderr.contains("did you mean `World`?"),
        "{}",
        wolrd.stderr
    );
    let science = dateline(site.root())
        .args(["new", "Comet seen", "--section", "Science"])
        .run();
    assert_eq!(science.code, Some(0), "{}", science.stderr);
}
