//! Issue 23, item 11: values that used to be accepted silently and published something broken
//! are errors at their line.

use crate::harness::dateline;
use crate::support::site;

#[test]
fn a_photo_path_on_this_computer_is_an_error_at_the_photo() {
    let story = b"---\nheadline: Quay\ndate: 2025-05-19\nphoto:\n  src: /etc/passwd\n  alt: A quay\n---\nText.\n";
    let dir = site(&[("content/world/quay.md", story)]);
    let run = dateline(dir.root()).args(["check"]).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/world/quay.md:5:8")
            && run
                .stderr
                .contains("the photo `/etc/passwd` is a file on a computer"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_feed_limit_of_zero_and_a_width_of_zero_are_errors_in_site_toml() {
    let dir = site(&[(
        "content/world/quay.md",
        b"---\nheadline: Quay\ndate: 2025-05-19\n---\nText.\n",
    )]);
    let toml = format!(
        "{}feed_limit = 0\n[images]\nwidths = [0]\n",
        crate::support::SITE_TOML
    );
    std::fs::write(dir.root().join("site.toml"), toml).unwrap();
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("site.toml:3:1"), "{}", run.stderr);
    assert!(run.stderr.contains("site.toml:5:1"), "{}", run.stderr);
    assert!(!dir.root().join("public").exists());
}

#[test]
fn a_photo_path_that_something_else_may_serve_is_published_as_written() {
    let story = b"---\nheadline: Quay\ndate: 2025-05-19\nphoto:\n  src: /cdn-images/quay.jpg\n  alt: A quay\n---\nText.\n";
    let dir = site(&[("content/world/quay.md", story)]);
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
}
