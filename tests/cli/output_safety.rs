//! A build never destroys what it should not: output folders that hold the sources are
//! refused, a failed build leaves the previous site as it was, and text from front matter
//! cannot inject markup.

use std::path::Path;

use crate::harness::{Site, assert_no_leftovers, dateline, entries, path_arg, snapshot};

fn one_story() -> Site {
    Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19 10:00",
        "Body.\n",
    )
}

/// Runs a build into `output` and proves it was refused and that nothing under `guarded`
/// changed.
fn assert_refused(site: &Site, output: &Path, guarded: &Path) -> String {
    let before = snapshot(guarded);
    assert!(!before.is_empty());
    let run = site.build_into(output, &[]);
    assert_ne!(run.code, Some(0), "the build was not refused");
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert_eq!(
        snapshot(guarded),
        before,
        "files changed under {}",
        guarded.display()
    );
    run.stderr
}

#[test]
fn output_equal_to_the_root_is_refused_and_nothing_is_deleted() {
    let site = one_story().previous_public();
    let root = site.root().to_path_buf();
    let stderr = assert_refused(&site, &root, &root);
    assert!(stderr.contains("would delete your site"), "{stderr}");
}

#[test]
fn output_equal_to_the_root_written_relatively_is_refused() {
    let site = one_story();
    let before = site.snapshot();
    let run = dateline(site.root())
        .args(["build", "--root", ".", "--output", "."])
        .output_in(site.root())
        .run();
    assert_ne!(run.code, Some(0));
    assert_eq!(site.snapshot(), before);
}

#[test]
fn output_that_is_a_parent_of_the_root_is_refused_and_nothing_is_deleted() {
    let parent = Site::empty().file("keep.txt", "an unrelated file\n");
    let site_root = parent.root().join("site");
    let site = one_story();
    copy_tree(site.root(), &site_root);
    let before = snapshot(parent.root());
    let run = dateline(parent.root())
        .args(["build", "--root", &path_arg(&site_root)])
        .args(["--output", &path_arg(parent.root())])
        .output_in(parent.root())
        .run();
    assert_ne!(run.code, Some(0));
    assert!(
        run.stderr.contains("would delete your site"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(parent.root()), before);
}

#[test]
fn output_written_as_root_slash_dot_dot_is_refused() {
    let site = one_story();
    let sneaky = site.root().join("public").join("..");
    let root = site.root().to_path_buf();
    assert_refused(&site, &sneaky, &root);
}

#[test]
fn output_inside_content_is_refused_and_content_is_untouched() {
    let site = one_story();
    let content = site.root().join("content");
    let stderr = assert_refused(&site, &content.join("out"), &content);
    assert!(stderr.contains("content/"), "{stderr}");
    assert!(!content.join("out").exists());
    assert_refused(&site, &content, &content);
}

#[test]
fn output_inside_static_or_templates_is_refused() {
    let site = one_story()
        .file("static/logo.svg", "<svg/>")
        .file("templates/extra.html", "<p></p>");
    for folder in ["static", "templates"] {
        let guarded = site.root().join(folder);
        assert_refused(&site, &guarded.join("public"), &guarded);
    }
}

#[test]
fn output_that_is_a_file_is_refused() {
    let site = one_story().file("notes.txt", "keep me\n");
    let root = site.root().to_path_buf();
    let stderr = assert_refused(&site, &root.join("notes.txt"), &root);
    assert!(stderr.contains("not a folder"), "{stderr}");
}

#[cfg(unix)]
#[test]
fn output_that_is_a_symbolic_link_is_refused_and_its_target_kept() {
    // Replacing the output folder renames it and removes the old one: through a link, that
    // would empty the folder it points to.
    let site = one_story().file("www/index.html", "served elsewhere\n");
    let root = site.root().to_path_buf();
    std::os::unix::fs::symlink(root.join("www"), root.join("public")).expect("link public/");
    for output in [root.join("public"), root.join("public/")] {
        let stderr = assert_refused(&site, &output, &root);
        assert!(stderr.contains("symbolic link"), "{stderr}");
    }
    let run = site.build();
    run.assert_failure();
    assert_eq!(
        std::fs::read_to_string(root.join("www/index.html")).expect("www/ is kept"),
        "served elsewhere\n"
    );
}

#[test]
fn failed_build_leaves_the_previous_public_byte_for_byte() {
    let site = one_story().previous_public();
    let before = snapshot(&site.root().join("public"));
    let site = site.story("world/broken.md", "hedline: Broken", "Body.\n");
    let run = site.build();
    run.assert_failure();
    assert!(run.stderr.contains("was left as it was"), "{}", run.stderr);
    assert_eq!(snapshot(&site.root().join("public")), before);
    assert_no_leftovers(&site.root().join("public"));
}

#[cfg(unix)]
#[test]
fn failure_while_writing_leaves_the_previous_public_and_no_staging_folder() {
    // A static file that is a dangling symlink passes loading and rendering and fails only
    // when it is copied, in the middle of writing the staging folder.
    let site = one_story().previous_public();
    std::fs::create_dir_all(site.root().join("static")).expect("create static/");
    std::os::unix::fs::symlink(
        site.root().join("nowhere.css"),
        site.root().join("static/broken.css"),
    )
    .expect("create a symlink");
    let public = site.root().join("public");
    let before = snapshot(&public);
    let run = site.build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert_eq!(snapshot(&public), before);
    assert_no_leftovers(&public);
}

#[test]
fn failed_first_build_leaves_no_public_and_no_staging_folder() {
    // Without a previous site, pages are written into the staging folder as they render: the
    // listing pages are there when every story page fails.
    let site = one_story().file(
        "templates/story.html",
        "<h1>{{ story.headline }}</h1>\n<p>{{ story.no_such_field.deeper }}</p>\n",
    );
    let run = site.build();
    run.assert_failure();
    assert!(
        run.stderr
            .contains("The build failed; nothing was written to "),
        "{}",
        run.stderr
    );
    assert!(!site.root().join("public").exists());
    assert_no_leftovers(&site.root().join("public"));
}

#[cfg(unix)]
#[test]
fn failure_while_writing_a_first_build_leaves_no_public_and_no_staging_folder() {
    // The pages are staged while rendering; the dangling static link fails when it is copied.
    let site = one_story();
    std::fs::create_dir_all(site.root().join("static")).expect("create static/");
    std::os::unix::fs::symlink(
        site.root().join("nowhere.css"),
        site.root().join("static/broken.css"),
    )
    .expect("create a symlink");
    let run = site.build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.starts_with("error: "), "{}", run.stderr);
    assert!(!site.root().join("public").exists());
    assert_no_leftovers(&site.root().join("public"));
}

#[test]
fn static_file_at_a_page_path_replaces_the_page_in_first_and_later_builds() {
    let site = one_story().file("static/world/2025/05/talks/index.html", "<p>static</p>\n");
    let first = site.build();
    first.assert_success();
    assert_eq!(
        first.read("world/2025/05/talks/index.html"),
        "<p>static</p>\n"
    );
    let published = snapshot(&first.out);
    let again = site.build();
    again.assert_success();
    assert_eq!(snapshot(&again.out), published);
    assert_no_leftovers(&again.out);
    // Without the static file, the story's own page is back (not kept from the record).
    std::fs::remove_file(site.root().join("static/world/2025/05/talks/index.html"))
        .expect("remove the static file");
    let after = site.build();
    after.assert_success();
    assert_eq!(after.page("/world/2025/05/talks/").text("h1"), "Talks");
}

#[test]
fn successful_build_replaces_public_without_stale_files() {
    let site = one_story().previous_public();
    let run = site.build();
    run.assert_success();
    let files = run.files();
    assert!(!files.iter().any(|f| f == "world/2024/01/old/index.html"));
    assert!(!files.iter().any(|f| f == "photo.jpg"));
    assert!(files.iter().any(|f| f == "world/2025/05/talks/index.html"));
    assert_no_leftovers(&run.out);
    assert_eq!(
        entries(site.root()),
        [
            ".dateline-cache",
            ".public.lock",
            "content",
            "public",
            "site.toml"
        ],
        "the build wrote nothing beside public/ but its lock file and its cache"
    );
    assert_eq!(
        entries(&site.root().join(".dateline-cache")),
        ["pages"],
        "the cache holds the record of the pages built (no image to cache here)"
    );
}

#[test]
fn leftovers_of_an_interrupted_build_are_removed() {
    let site = one_story()
        .file("public/.dateline-output", "")
        .file("public/index.html", "old")
        .file(".public.staging-99999/index.html", "half-written")
        .file(".public.old-12345/index.html", "old copy")
        .file(".public.notes/keep.txt", "not ours");
    let run = site.build();
    run.assert_success();
    let names = entries(site.root());
    assert!(
        !names.iter().any(|n| n.starts_with(".public.staging")),
        "{names:?}"
    );
    assert!(
        !names.iter().any(|n| n.starts_with(".public.old")),
        "{names:?}"
    );
    assert!(names.iter().any(|n| n == ".public.notes"), "{names:?}");
}

#[test]
fn output_outside_the_root_named_with_output_is_allowed() {
    let site = one_story();
    let elsewhere = Site::empty();
    let out = elsewhere.root().join("www");
    let run = site.build_into(&out, &[]);
    run.assert_success();
    assert!(run.exists("world/2025/05/talks/index.html"));
    assert!(!site.root().join("public").exists());
}

#[test]
fn markup_in_front_matter_is_shown_as_text() {
    let headline = "<script>alert(1)</script> Tom & Jerry \"quoted\" <b>bold</b>";
    let site = Site::new().story(
        "world/talks.md",
        &format!(
            "headline: '{headline}'\ndek: '<img src=x onerror=alert(1)>'\n\
             date: 2025-05-19 10:00\ntags: ['<i>tag</i>']\nauthor: '<em>Ana</em>'"
        ),
        "Body.\n",
    );
    let run = site.build();
    run.assert_success();
    for route in ["/world/2025/05/talks/", "/", "/world/"] {
        let page = run.page(route);
        // The one script a page has is its JSON-LD data, which holds the headline escaped.
        assert_eq!(
            page.count("script:not([type='application/ld+json']), b, i, em"),
            0,
            "markup injected on {route}"
        );
        assert_eq!(page.count("script"), 1, "markup injected on {route}");
        assert_eq!(page.count("img[onerror]"), 0, "markup injected on {route}");
    }
    let page = run.page("/world/2025/05/talks/");
    assert_eq!(page.text("h1"), headline);
    assert_eq!(page.text(".story-dek"), "<img src=x onerror=alert(1)>");
    assert_eq!(page.text("title"), format!("{headline} | Test Gazette"));
    let feed = run.feed();
    assert_eq!(
        feed.entries[0].title.as_ref().map(|t| t.content.as_str()),
        Some(headline)
    );
}

#[test]
fn script_url_as_photo_is_refused() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19 10:00\nphoto: {src: \"javascript:alert(1)\", alt: x}",
        "Body.\n",
    );
    let run = site.build();
    run.assert_failure();
    let error = run.single_error();
    assert_eq!(error.location, "content/world/talks.md:4:14");
    assert!(
        error.message.contains("is not an image URL"),
        "{}",
        error.text
    );
}

fn copy_tree(from: &Path, to: &Path) {
    for (path, bytes) in snapshot(from) {
        let target = to.join(path);
        std::fs::create_dir_all(target.parent().expect("a parent")).expect("create folders");
        std::fs::write(target, bytes).expect("write a file");
    }
    std::fs::create_dir_all(to.join("content")).expect("create content/");
}
