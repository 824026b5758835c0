//! Builds are reproducible: the same site gives the same bytes, whatever the output folder and
//! however the parallel stages were scheduled.

use crate::harness::{NOW, Site, dateline, repo_root, snapshot};

fn assert_identical(first: &std::path::Path, second: &std::path::Path) {
    let a = snapshot(first);
    let b = snapshot(second);
    assert!(!a.is_empty());
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the two builds wrote different files"
    );
    for (path, bytes) in &a {
        assert!(b[path] == *bytes, "{path} differs between the two builds");
    }
}

#[test]
fn two_builds_of_the_same_site_are_byte_identical() {
    let site = Site::fixture("newsroom");
    let outs = Site::empty();
    let first = outs.root().join("a");
    let second = outs.root().join("elsewhere/b");
    site.build_into(&first, &["--drafts", "--future"])
        .assert_success();
    site.build_into(&second, &["--drafts", "--future"])
        .assert_success();
    assert_identical(&first, &second);
}

#[test]
fn the_example_site_builds_byte_identically_twice() {
    let outs = Site::empty();
    let build = |out: &std::path::Path| {
        dateline(outs.root())
            .args(["build", "--now", NOW, "--root"])
            .arg(repo_root())
            .arg("--output")
            .arg(out)
            .output_in(out)
            .run()
            .assert_success();
    };
    build(&outs.root().join("a"));
    build(&outs.root().join("b"));
    assert_identical(&outs.root().join("a"), &outs.root().join("b"));
}

#[test]
fn rebuilding_in_place_gives_the_same_bytes() {
    let site = Site::fixture("newsroom");
    let first = site.build();
    first.assert_success();
    let before = snapshot(&first.out);
    site.build().assert_success();
    assert_eq!(snapshot(&first.out), before);
}
