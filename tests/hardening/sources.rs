//! Issue 23, items 3, 5, 7, 10 and 11: what a site's files can do to a build. A linked
//! content/ folder from outside is refused, a FIFO is skipped instead of hanging the build,
//! script links are errors, absurd tag lists are refused at their line, and file names
//! cannot forge lines in the report.

use std::os::unix::fs::symlink;

use crate::harness::dateline;
use crate::support::site;

const STORY: &[u8] = b"---\nheadline: Quay\ndek: The quay reopens.\ndate: 2025-05-19\n---\nText.\n";

#[test]
fn a_content_folder_linked_from_outside_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(outside.path().join("world")).unwrap();
    std::fs::write(outside.path().join("world/secret.md"), STORY).unwrap();
    let dir = site(&[]);
    std::fs::remove_dir(dir.root().join("content")).unwrap();
    symlink(outside.path(), dir.root().join("content")).unwrap();
    for command in ["check", "build"] {
        let run = dateline(dir.root()).args([command]).run();
        assert_eq!(run.code, Some(1), "{command}: {}", run.stderr);
        assert!(
            run.stderr
                .contains("this folder is a link to a folder outside the site"),
            "{command}: {}",
            run.stderr
        );
    }
    assert!(!dir.root().join("public").exists());
}

#[test]
fn a_static_folder_linked_from_outside_the_site_is_refused() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "secret").unwrap();
    let dir = site(&[("content/world/quay.md", STORY)]);
    symlink(outside.path(), dir.root().join("static")).unwrap();
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("--> static"), "{}", run.stderr);
}

#[test]
fn a_fifo_in_content_is_skipped_with_a_warning_instead_of_hanging_the_build() {
    let dir = site(&[("content/world/quay.md", STORY)]);
    mkfifo(&dir.root().join("content/world/pipe.md"));
    // The harness kills a run that takes longer than its timeout and fails the test.
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/world/pipe.md") && run.stderr.contains("not a regular file"),
        "{}",
        run.stderr
    );
}

#[test]
fn script_links_in_a_body_are_errors_at_their_line_when_raw_html_is_not_trusted() {
    let story =
        b"---\nheadline: Quay\ndek: D.\ndate: 2025-05-19\n---\nRead [this](javascript:alert(1)).\n";
    let dir = site(&[("content/world/quay.md", story)]).config("unsafe_html = false");
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/world/quay.md:6:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("would run code"), "{}", run.stderr);
}

#[test]
fn four_thousand_tags_on_one_story_are_refused_at_the_list() {
    let tags: Vec<String> = (0..4000).map(|n| format!("tag {n}")).collect();
    let story = format!(
        "---\nheadline: Quay\ndek: D.\ndate: 2025-05-19\ntags: [{}]\n---\nText.\n",
        tags.join(", ")
    );
    let dir = site(&[("content/world/quay.md", story.as_bytes())]);
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/world/quay.md:5:"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("at most 100"), "{}", run.stderr);
}

#[test]
fn a_file_name_cannot_forge_a_line_of_the_report() {
    let name = "content/world/x\n::error file=forged.md::forged\u{1b}[31m.md";
    let story = b"---\nheadline: Quay\ndate: 2025-13-45\n---\nText.\n";
    let dir = site(&[(name, story)]);
    for env in [None, Some(("GITHUB_ACTIONS", "true"))] {
        let mut command = dateline(dir.root()).args(["check"]);
        if let Some((key, value)) = env {
            command = command.env(key, value);
        }
        let run = command.run();
        assert_eq!(run.code, Some(1), "{}", run.stderr);
        for stream in [&run.stdout, &run.stderr] {
            assert!(
                !stream
                    .lines()
                    .any(|line| line.starts_with("::error file=forged")),
                "a forged workflow command:\n{stream}"
            );
            assert!(!stream.contains('\u{1b}'), "an escape sequence:\n{stream}");
        }
    }
}

#[test]
fn a_fifo_among_the_static_files_is_skipped_with_a_warning() {
    let dir = site(&[("content/world/quay.md", STORY)]);
    std::fs::create_dir_all(dir.root().join("static")).unwrap();
    mkfifo(&dir.root().join("static/pipe.css"));
    let run = dateline(dir.root()).args(["check"]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("static/pipe.css") && run.stderr.contains("not a regular file"),
        "{}",
        run.stderr
    );
}

fn mkfifo(path: &std::path::Path) {
    let made = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(made.success(), "mkfifo {}", path.display());
}

#[test]
fn twenty_thousand_identical_headings_each_get_their_own_id() {
    let mut story = String::from("---\nheadline: Quay\ndek: D.\ndate: 2025-05-19\n---\n");
    for _ in 0..20_000 {
        story.push_str("## Same\n\n");
    }
    let dir = site(&[("content/world/quay.md", story.as_bytes())]);
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let page = std::fs::read_to_string(dir.root().join("public/world/2025/05/quay/index.html"))
        .expect("the story page");
    for id in ["same", "same-1", "same-19999"] {
        assert!(
            page.contains(&format!("id=\"{id}\"")),
            "no heading with id {id}"
        );
    }
    assert!(!page.contains("id=\"same-20000\""));
}
