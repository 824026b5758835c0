//! Issue 23, item 6: `check` and `build` find the same output-path clashes, each at a location:
//! redirects onto generated files, and files under `content/` over generated pages. A green
//! `check` in CI must mean a green build.

use crate::harness::dateline;
use crate::support::site;

const STORY: &str = "---\nheadline: Quay\ndek: The quay reopens.\ndate: 2025-05-19\n";

fn fails_in_check_and_build(files: &[(&str, &[u8])], expected: &[&str]) {
    for command in ["check", "build"] {
        let dir = site(files);
        let run = dateline(dir.root()).args([command]).run();
        assert_eq!(run.code, Some(1), "{command}: {}", run.stderr);
        for text in expected {
            assert!(
                run.stderr.contains(text),
                "{command} does not say {text}:\n{}",
                run.stderr
            );
        }
        assert!(
            !run.stderr.contains("os error"),
            "{command}: {}",
            run.stderr
        );
        assert!(!dir.root().join("public").exists(), "{command} published");
    }
}

#[test]
fn redirects_onto_generated_files_are_errors_at_their_line() {
    for (from, column) in [
        ("/feed.xml", 17),
        ("/style.css", 17),
        ("/sitemap.xml", 17),
        ("/robots.txt", 17),
        ("/feed.json", 17),
    ] {
        let story = format!("{STORY}redirect_from: [\"{from}\"]\n---\nText.\n");
        let location = format!("content/world/quay.md:5:{column}");
        fails_in_check_and_build(
            &[("content/world/quay.md", story.as_bytes())],
            &[&location, "would replace another file"],
        );
    }
}

#[test]
fn content_files_over_generated_pages_are_errors_naming_them() {
    let story = format!("{STORY}---\nText.\n");
    fails_in_check_and_build(
        &[
            ("content/world/quay.md", story.as_bytes()),
            ("content/index.html", b"<p>mine</p>"),
            ("content/feed.xml", b"<rss/>"),
        ],
        &[
            "content/index.html",
            "would replace `/index.html`",
            "content/feed.xml",
            "would replace `/feed.xml`",
        ],
    );
}

#[test]
fn outputs_where_another_needs_a_folder_are_errors_naming_the_file() {
    let story = format!("{STORY}redirect_from: [\"/old.html\", \"/old.html/sub/\"]\n---\nText.\n");
    fails_in_check_and_build(
        &[
            ("content/world/quay.md", story.as_bytes()),
            ("static/tags", b"a file where the tag pages go"),
            ("static/feed.xml/a.txt", b"a folder where the feed goes"),
            ("content/style.css", b"body {}"),
        ],
        &[
            "content/world/quay.md:5:30",
            "redirects from /old.html already",
            "--> static/tags",
            "`/tags` is a file, so `/tags/index.html` cannot be published under it",
            "--> static/feed.xml/a.txt",
            "--> content/style.css",
            "would replace `/style.css`",
        ],
    );
}
