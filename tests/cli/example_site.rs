//! The repository's own example site, "The Meridian Dispatch", builds and reads like a news
//! site: enough stories and sections, a reader-funding appeal on every story, no broken links.

use std::path::Path;
use std::sync::OnceLock;

use crate::harness::{NOW, Run, broken_links, dateline, duplicate_ids, repo_root};

/// One build of the example site, shared by the tests of this module. It goes into Cargo's
/// temporary folder for integration tests, never into the repository.
fn example() -> &'static Run {
    static BUILD: OnceLock<Run> = OnceLock::new();
    BUILD.get_or_init(|| {
        let outs = Path::new(env!("CARGO_TARGET_TMPDIR")).join("example-site");
        std::fs::create_dir_all(&outs).expect("create the temporary folder");
        let out = outs.join("public");
        let built = dateline(&outs)
            .args(["build", "--now", NOW, "--root"])
            .arg(repo_root())
            .arg("--output")
            .arg(&out)
            .output_in(&out)
            .run();
        built.assert_success();
        built
    })
}

/// The support appeal of the example's `site.toml`.
fn support() -> (String, String) {
    let text = std::fs::read_to_string(repo_root().join("site.toml")).expect("site.toml");
    let field = |key: &str| {
        let in_support = text.split("[support]").nth(1).expect("a [support] table");
        let line = in_support
            .lines()
            .find(|l| l.starts_with(&format!("{key} =")))
            .unwrap_or_else(|| panic!("support.{key}"));
        line.split_once('=')
            .expect("key = value")
            .1
            .trim()
            .trim_matches('"')
            .to_string()
    };
    (field("title"), field("url"))
}

/// The output files that are story pages (`<body class="page-story">`).
fn story_pages(run: &Run) -> Vec<String> {
    run.files()
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .filter(|f| run.page(&format!("/{f}")).count("body.page-story") == 1)
        .collect()
}

#[test]
fn example_site_builds_with_at_least_eight_stories_in_three_sections() {
    let run = example();
    let stories = story_pages(run);
    assert!(stories.len() >= 8, "only {} story pages", stories.len());
    assert!(
        run.stdout
            .starts_with(&format!("Built {} stories,", stories.len())),
        "{}",
        run.stdout
    );
    let front = run.page("/");
    let sections = front.attrs(".section-nav a", "href");
    assert!(sections.len() >= 3, "sections: {sections:?}");
    for section in &sections {
        let page = run.page(section);
        assert!(page.count(".card") > 0, "{section} lists no story");
    }
}

#[test]
fn every_example_story_ends_with_the_support_box() {
    let run = example();
    let (title, url) = support();
    for file in story_pages(run) {
        let page = run.page(&format!("/{file}"));
        assert_eq!(page.count("aside.support-box"), 1, "{file}");
        assert_eq!(
            page.text("aside.support-box .support-title"),
            title,
            "{file}"
        );
        assert_eq!(
            page.attr("aside.support-box a.button", "href"),
            url,
            "{file}"
        );
    }
}

#[test]
fn every_example_story_has_a_headline_date_and_section() {
    let run = example();
    for file in story_pages(run) {
        let page = run.page(&format!("/{file}"));
        assert!(!page.text("h1.story-headline").is_empty(), "{file}");
        let date = page.attr(".story-dateline > time", "datetime");
        assert!(date.starts_with("2025-"), "{file}: {date}");
        let section = page.attr(".story-header .kicker a", "href");
        assert!(
            file.starts_with(section.trim_start_matches('/')),
            "{file} in {section}"
        );
    }
}

#[test]
fn example_site_has_no_broken_internal_links_or_anchors() {
    assert_eq!(broken_links(example(), ""), Vec::<String>::new());
}

#[test]
fn example_pages_have_unique_ids() {
    assert_eq!(duplicate_ids(example()), Vec::<String>::new());
}

#[test]
fn example_feed_and_sitemap_cover_every_story() {
    let run = example();
    let base = "https://meridian-dispatch.example";
    let locs: Vec<String> = run.sitemap().into_iter().map(|(loc, _)| loc).collect();
    let feed_links: Vec<String> = run
        .feed()
        .entries
        .iter()
        .map(|e| e.links[0].href.clone())
        .collect();
    for file in story_pages(run) {
        let url = format!("{base}/{}", file.trim_end_matches("index.html"));
        assert!(locs.contains(&url), "{url} not in the sitemap");
        assert!(feed_links.contains(&url), "{url} not in the feed");
    }
}

#[test]
fn example_draft_is_not_published() {
    let run = example();
    assert!(
        !run.files().iter().any(|f| f.contains("cop30")),
        "the draft COP30 preview was published"
    );
}
