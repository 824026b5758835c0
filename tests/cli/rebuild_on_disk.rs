//! A rebuild writes only what changed: files whose bytes are already in `public/` are
//! hard-linked into the new site (same inode), changed ones are new files, and the result is
//! always byte for byte what a build into an empty folder writes, whatever was done to
//! `public/` by hand in between.

#![cfg(unix)]

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use crate::harness::{NOW, Site, assert_no_leftovers, path_arg, repo_root, snapshot};

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
    assert_same_as_a_fresh_build_at(site, NOW);
}

/// The same, for builds as of `now`.
fn assert_same_as_a_fresh_build_at(site: &Site, now: &str) {
    let fresh = Site::empty();
    let out = fresh.root().join("public");
    let out_arg = path_arg(&out);
    site.dateline(&["build", "--now", now, "--output", &out_arg])
        .assert_success();
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

/// The pages a build renders are recorded, and the next build keeps the ones whose inputs did
/// not change instead of rendering them. Whatever changed around them must still reach them.
mod recorded_pages {
    use super::*;

    fn records(site: &Site) -> Vec<std::path::PathBuf> {
        let dir = site.root().join(".dateline-cache/pages");
        fs::read_dir(dir)
            .map(|entries| {
                entries
                    .map(|e| e.expect("read the record folder").path())
                    .collect()
            })
            .unwrap_or_default()
    }

    #[test]
    fn a_build_records_its_pages_outside_the_published_site() {
        let site = Site::fixture("newsroom");
        let run = site.build();
        run.assert_success();
        let records = records(&site);
        assert_eq!(records.len(), 1, "one record for one output folder");
        let record = fs::read_to_string(&records[0]).expect("read the record");
        assert!(record.lines().any(|line| line.ends_with(STORY)));
        assert!(
            snapshot(&run.out)
                .keys()
                .all(|path| !path.contains("dateline-cache"))
        );
    }

    #[test]
    fn a_template_change_reaches_every_page() {
        let site = Site::fixture("newsroom");
        site.build().assert_success();
        let base = fs::read_to_string(repo_root().join("themes/default/templates/base.html"))
            .expect("read the built-in base template");
        let site = site.file(
            "templates/base.html",
            base.replace("Published with Dateline.", "Printed on recycled pixels."),
        );
        let run = site.build();
        run.assert_success();
        assert!(run.read(STORY).contains("Printed on recycled pixels."));
        assert!(
            run.read("index.html")
                .contains("Printed on recycled pixels.")
        );
        assert_same_as_a_fresh_build(&site);
    }

    #[test]
    fn a_site_toml_change_reaches_every_page() {
        let site = Site::fixture("newsroom");
        site.build().assert_success();
        let config = fs::read_to_string(site.root().join("site.toml")).expect("read site.toml");
        let site = site.file(
            "site.toml",
            format!("{config}\n[extra]\naccent_color = \"#8a1c1c\"\n"),
        );
        let run = site.build();
        run.assert_success();
        assert!(run.read(OTHER_STORY).contains("#8a1c1c"));
        assert_same_as_a_fresh_build(&site);
    }

    #[test]
    fn a_scheduled_story_goes_live_on_the_next_build_after_its_time() {
        const LATER: &str = "2026-04-01T00:00:00Z";
        let site = Site::fixture("newsroom");
        let first = site.build();
        first.assert_success();
        let listed_before = first.read("index.html");
        site.dateline(&["build", "--now", LATER]).assert_success();
        let front = fs::read_to_string(first.out.join("index.html")).expect("read the front page");
        assert_ne!(front, listed_before, "the story that went live is listed");
        assert_same_as_a_fresh_build_at(&site, LATER);
    }

    #[test]
    fn a_changed_photo_reaches_every_page_that_shows_it() {
        // The 404 page shows a story's photo through `resize_image`: no key of its own covers
        // that photo, only the build's context does.
        let site = Site::fixture("newsroom").file(
            "templates/404.html",
            "{% extends \"base.html\" %}{% block main %}\
             {% set photo = resize_image(path=\"/world/2025/05/talks/photo.jpg\", width=40) %}\
             <p id=\"probe\">{{ photo.url }}</p>{% endblock main %}",
        );
        let first = site.build();
        first.assert_success();
        let before = first.read("404.html");
        assert!(before.contains("/img/"), "the photo was resized: {before}");
        fs::write(
            site.root().join("content/world/talks/photo.jpg"),
            crate::images::encoded(image::ImageFormat::Jpeg, 80, 60),
        )
        .expect("replace the photo");
        let second = site.build();
        second.assert_success();
        assert_ne!(second.read("404.html"), before);
        assert_same_as_a_fresh_build(&site);
    }

    #[test]
    fn a_damaged_or_foreign_record_keeps_nothing() {
        let site = Site::fixture("newsroom");
        site.build().assert_success();
        for record in records(&site) {
            let text = fs::read_to_string(&record).expect("read the record");
            let damaged: String = text
                .lines()
                .map(|line| format!("{}\n", &line[..line.len() / 2]))
                .collect();
            fs::write(&record, damaged).expect("damage the record");
        }
        let story = site.root().join("content/world/talks/index.md");
        let text = fs::read_to_string(&story).expect("read the story");
        fs::write(&story, text.replace("Istanbul", "Geneva")).expect("edit the story");
        site.build().assert_success();
        assert_same_as_a_fresh_build(&site);
    }
}
