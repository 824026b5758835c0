//! Issue 23, items 2 and 8: `--output` never empties a folder that Dateline did not write, and
//! two builds into one output folder never break each other's site.

use std::fs;
use std::path::Path;

use crate::harness::{BINARY, Site, dateline, snapshot};
use crate::support::{site, staging_leftovers};

const STORY: &[u8] = b"---\nheadline: Quay\ndate: 2025-05-19\n---\nText.\n";

#[test]
fn output_naming_a_folder_of_somebodys_files_is_refused_and_the_files_kept() {
    let dir = site(&[("content/world/quay.md", STORY)]);
    let victim = dir.root().join("../victim-of-output");
    fs::create_dir_all(victim.join(".ssh")).unwrap();
    fs::write(victim.join(".ssh/id_rsa"), "secret key").unwrap();
    let before = snapshot(&victim);
    let run = dateline(dir.root())
        .args(["build", "--output", victim.to_str().unwrap()])
        .run();
    let after = snapshot(&victim);
    fs::remove_dir_all(&victim).unwrap();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("did not write"), "{}", run.stderr);
    assert!(run.stderr.contains("help:"), "{}", run.stderr);
    assert_eq!(before, after);
}

#[test]
fn a_folder_written_by_a_build_is_replaced_by_the_next() {
    let dir = site(&[("content/world/quay.md", STORY)]);
    let out = dir.root().join("www");
    let out_arg = out.to_str().unwrap();
    fs::create_dir(&out).unwrap();
    assert_eq!(
        dateline(dir.root())
            .args(["build", "--output", out_arg])
            .run()
            .code,
        Some(0)
    );
    assert!(out.join(".dateline-output").is_file());
    fs::write(
        dir.root().join("content/world/quay.md"),
        b"---\nheadline: Pier\ndate: 2025-05-19\n---\nText.\n",
    )
    .unwrap();
    let run = dateline(dir.root())
        .args(["build", "--output", out_arg])
        .run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let page = fs::read_to_string(out.join("world/2025/05/quay/index.html")).unwrap();
    assert!(page.contains("Pier"));
}

#[test]
fn a_site_built_before_the_marker_existed_is_still_replaced() {
    let dir = site(&[("content/world/quay.md", STORY)]);
    assert_eq!(dateline(dir.root()).args(["build"]).run().code, Some(0));
    fs::remove_file(dir.root().join("public/.dateline-output")).unwrap();
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(dir.root().join("public/.dateline-output").is_file());
}

/// A site of 300 stories: enough for builds that overlap.
fn three_hundred_stories() -> Site {
    let files: Vec<(String, Vec<u8>)> = (0..300)
        .map(|n| {
            let story = format!("---\nheadline: Story {n}\ndate: 2025-05-19\n---\nText {n}.\n");
            (format!("content/world/story-{n}.md"), story.into_bytes())
        })
        .collect();
    let borrowed: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    site(&borrowed)
}

/// Starts `dateline build ARGS` in each site folder at once, then checks that each either
/// built or was refused because another build held the output folder.
fn build_at_once(sites: &[&Site], args: &[&str]) {
    let builds: Vec<std::process::Child> = sites
        .iter()
        .map(|site| {
            std::process::Command::new(BINARY)
                .arg("build")
                .args(args)
                .current_dir(site.root())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for build in builds {
        let output = build.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(
            output.status.success() || stderr.contains("another `dateline build`"),
            "{stderr}"
        );
    }
}

/// Whatever build won, the published site is whole: every story has its page.
fn assert_every_story_published(out: &Path) {
    for n in 0..300 {
        let page = out.join(format!("world/2025/05/story-{n}/index.html"));
        assert!(page.is_file(), "{} is missing", page.display());
    }
}

#[test]
fn concurrent_builds_into_one_folder_never_leave_a_broken_site() {
    let dir = three_hundred_stories();
    build_at_once(&[&dir, &dir, &dir], &[]);
    assert!(staging_leftovers(dir.root()).is_empty());
    assert_every_story_published(&dir.root().join("public"));
}

#[test]
fn a_folder_outside_the_site_emptied_and_refilled_since_a_build_is_not_replaced() {
    let dir = site(&[("content/world/quay.md", STORY)]);
    let victim = tempfile::tempdir().unwrap();
    let out = victim.path().join("www");
    let out_arg = out.to_str().unwrap();
    let first = dateline(dir.root())
        .args(["build", "--output", out_arg])
        .run();
    assert_eq!(first.code, Some(0), "{}", first.stderr);
    fs::remove_dir_all(&out).unwrap();
    fs::create_dir_all(out.join(".ssh")).unwrap();
    fs::write(out.join(".ssh/id_rsa"), "secret key").unwrap();
    let run = dateline(dir.root())
        .args(["build", "--output", out_arg])
        .run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(out.join(".ssh/id_rsa").is_file());
}

#[test]
fn builds_from_two_site_folders_into_one_output_never_break_each_other() {
    let (one, two) = (three_hundred_stories(), three_hundred_stories());
    let shared = tempfile::tempdir().unwrap();
    let out = shared.path().join("www");
    build_at_once(&[&one, &two, &one], &["--output", out.to_str().unwrap()]);
    assert!(staging_leftovers(shared.path()).is_empty());
    assert_every_story_published(&out);
}
