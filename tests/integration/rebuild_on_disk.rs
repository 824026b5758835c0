//! A rebuild writes only what changed: files whose bytes are already in `public/` are
//! hard-linked into the new site (same inode), changed ones are new files, and the result is
//! always byte for byte what a build into an empty folder writes, whatever was done to
//! `public/` by hand in between.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::harness::{Site, assert_no_leftovers, snapshot};

const STORY: &str = "world/2025/05/talks/index.html";
const OTHER_STORY: &str = "politics/2025/05/vote/index.html";
const STATIC_FILE: &str = "images/logo.svg";

/// Every file under `dir` with its inode.
fn inodes(dir: &Path) -> BTreeMap<String, u64> {
    snapshot(dir)
        .into_keys()
        .map(|path| {
            let inode = fs::metadata(dir.join(&path)).expect("stat").ino();
            (path, inode)
        })
        .collect()
}

/// Builds `site` into an empty folder and proves that its `public/` holds the same bytes.
fn assert_same_as_a_fresh_build(site: &Site) {
    let fresh = Site::empty();
    let out = fresh.root().join("public");
    site.build_into(&out, &[]).assert_success();
    let expected = snapshot(&out);
    let actual = snapshot(&site.root().join("public"));
    assert_eq!(
        actual.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>()
    );
    for (path, bytes) in &expected {
        assert!(actual[path] == *bytes, "{path} differs from a fresh build");
    }
}

#[test]
fn rebuild_with_nothing_changed_keeps_every_file() {
    let site = Site::fixture("newsroom");
    let first = site.build();
    first.assert_success();
    let before = inodes(&first.out);
    assert!(before.contains_key(STATIC_FILE) && before.keys().any(|p| p.starts_with("img/")));
    site.build().assert_success();
    assert_eq!(inodes(&first.out), before, "a file was written again");
    assert_no_leftovers(&first.out);
    assert_same_as_a_fresh_build(&site);
}

#[test]
fn changed_story_gets_a_new_file_and_the_others_keep_theirs() {
    let site = Site::fixture("newsroom");
    let first = site.build();
    first.assert_success();
    let before = inodes(&first.out);
    let story = site.root().join("content/world/talks/index.md");
    let text = fs::read_to_string(&story).expect("read the story");
    fs::write(&story, format!("{text}\nA late paragraph.\n")).expect("edit the story");

    let second = site.build();
    second.assert_success();
    assert!(second.read(STORY).contains("A late paragraph."));
    let after = inodes(&second.out);
    assert_ne!(
        after[STORY], before[STORY],
        "the changed page was written into"
    );
    assert_eq!(after[OTHER_STORY], before[OTHER_STORY]);
    assert_eq!(after[STATIC_FILE], before[STATIC_FILE]);
    assert_no_leftovers(&second.out);
    assert_same_as_a_fresh_build(&site);
}

#[test]
fn files_edited_added_or_removed_by_hand_in_public_are_put_right() {
    let site = Site::fixture("newsroom");
    let first = site.build();
    first.assert_success();
    let public = first.out.clone();
    let page = fs::read_to_string(public.join(STORY)).expect("read a page");
    // Same length, so that only the bytes tell the edit apart.
    fs::write(public.join(STORY), page.replacen("<html", "<HTML", 1)).expect("edit a page");
    fs::write(public.join(STATIC_FILE), "<svg>edited</svg>").expect("edit a copy");
    fs::remove_file(public.join(OTHER_STORY)).expect("remove a page");
    fs::write(public.join("notes.txt"), "not part of the site").expect("add a file");

    site.build().assert_success();
    assert_same_as_a_fresh_build(&site);
    assert_no_leftovers(&public);
}

#[test]
fn edited_static_file_is_copied_again() {
    let site = Site::fixture("newsroom");
    let first = site.build();
    first.assert_success();
    let before = inodes(&first.out);
    // Another modification time and length: what an editor's save gives.
    fs::write(
        site.root().join("static").join(STATIC_FILE),
        "<svg>new</svg>",
    )
    .expect("edit");

    site.build().assert_success();
    assert_eq!(first.read(STATIC_FILE), "<svg>new</svg>");
    assert_ne!(inodes(&first.out)[STATIC_FILE], before[STATIC_FILE]);
    assert_same_as_a_fresh_build(&site);
}
