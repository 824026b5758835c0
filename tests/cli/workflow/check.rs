//! `dateline check`: errors and style warnings, for people, scripts and GitHub.

use super::gazette;
use crate::harness::{NOW, Site, dateline, json_diagnostics, json_location};

/// One story in house style.
fn good_site() -> Site {
    let site = gazette();
    site.house_story(
        "world/talks.md",
        "Talks resume in Istanbul",
        "2025-05-16 10:00",
        "tags: [Ukraine]\n",
    );
    site
}

#[test]
fn a_good_site_checks_clean_and_nothing_is_written() {
    let site = good_site();
    let check = site.dateline(&["check", "--now", NOW]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert_eq!(
        check.stdout,
        "Checked 1 story and 0 pages: no problems found.\n"
    );
    assert!(!site.exists("public"), "check writes nothing");
}

#[test]
fn errors_fail_the_check_with_their_location() {
    let site = good_site();
    site.file(
        "content/world/bad.md",
        "---\nheadline: Bad\ndate: 2025-13-01\n---\nText.\n",
    );
    let check = site.dateline(&["check", "--now", NOW]);
    assert_eq!(check.code, Some(1));
    assert!(
        check.stderr.contains("content/world/bad.md:3:7"),
        "{}",
        check.stderr
    );
    assert!(
        check.stdout.contains("The check failed: 1 error"),
        "{}",
        check.stdout
    );
    assert!(!site.exists("public"));
}

#[test]
fn warnings_pass_unless_denied() {
    let site = good_site();
    site.file(
        "content/world/nodek.md",
        "---\nheadline: No dek\ndate: 2025-05-17\n---\nText.\n",
    );
    let check = site.dateline(&["check", "--now", NOW]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert!(
        check.stderr.contains("warning: the story has no dek"),
        "{}",
        check.stderr
    );
    let denied = site.dateline(&["check", "--now", NOW, "--deny-warnings"]);
    assert_eq!(denied.code, Some(1));
    assert!(
        denied.stdout.contains("--deny-warnings"),
        "{}",
        denied.stdout
    );
}

#[test]
fn every_style_rule_warns_at_the_line_to_fix() {
    let site = gazette();
    let long_headline = "Long ".repeat(23);
    let long_dek = "word ".repeat(41);
    site.file(
        "content/world/long.md",
        format!("---\nheadline: {long_headline}\ndek: {long_dek}\ndate: 2025-05-01\ntags: [ukraine]\n---\nText.\n"),
    )
    .file(
        "content/world/photo.md",
        "---\nheadline: Photo\ndate: 2025-05-02\ntags: [Ukraine, Ukraine2]\nphoto:\n  src: https://example.org/a.jpg\n  alt: A street\n---\nText.\n",
    )
    .file(
        "content/world/later.md",
        "---\nheadline: Later\ndek: D\ndate: 2025-06-01 10:00\ntags: [Ukraine]\n---\nText.\n",
    );
    let (code, report) = site.check_json(&["--now", "2025-06-01T08:00:00Z"]);
    assert_eq!(code, 0, "{report:#}");
    let found: Vec<(String, String)> = json_diagnostics(&report)
        .iter()
        .map(|d| {
            assert_eq!(d["severity"], "warning");
            (json_location(d), d["message"].as_str().unwrap().to_string())
        })
        .collect();
    let expected = [
        (
            "content/world/later.md:4:7",
            "the story is dated in the future (2025-06-01 10:00 WEST) and is not published yet",
        ),
        (
            "content/world/long.md:2:11",
            "the headline is 114 characters long (the limit is 110)",
        ),
        (
            "content/world/long.md:3:6",
            "the dek is 204 characters long (the limit is 200)",
        ),
        (
            "content/world/long.md:5:8",
            "the tag `ukraine` differs from `Ukraine` only by case",
        ),
        ("content/world/photo.md:2:11", "the story has no dek"),
        ("content/world/photo.md:6:3", "the photo has no credit"),
    ];
    let expected: Vec<(String, String)> = expected
        .iter()
        .map(|(l, m)| (l.to_string(), m.to_string()))
        .collect();
    assert_eq!(found, expected);
    assert_eq!(report["warnings"], 6);
    assert_eq!(report["errors"], 0);
}

#[test]
fn json_report_is_one_document_with_every_field() {
    let site = good_site();
    site.file(
        "content/world/bad.md",
        "---\nhedline: Bad\ndate: 2025-05-01\n---\nText.\n",
    );
    let (code, report) = site.check_json(&[]);
    assert_eq!(code, 1);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["warnings"], 0);
    let first = &json_diagnostics(&report)[0];
    assert_eq!(first["severity"], "error");
    assert_eq!(first["file"], "content/world/bad.md");
    assert_eq!(first["line"], 2);
    assert_eq!(first["column"], 1);
    assert_eq!(first["message"], "unknown front matter key `hedline`");
    assert_eq!(first["help"], "did you mean `headline`?");
}

#[test]
fn github_actions_get_annotations_on_the_lines() {
    let site = good_site();
    site.file(
        "content/world/bad.md",
        "---\nheadline: Bad\ndate: 2025-13-01\n---\nText.\n",
    )
    .file(
        "content/world/nodek.md",
        "---\nheadline: No dek\ndate: 2025-05-17\n---\nText.\n",
    );
    // In the site's folder, as a workflow step runs it.
    let human = dateline(site.root())
        .args(["check", "--now", NOW])
        .env("GITHUB_ACTIONS", "true")
        .run();
    assert_eq!(human.code, Some(1));
    let annotations: Vec<&str> = human
        .stdout
        .lines()
        .filter(|l| l.starts_with("::"))
        .collect();
    assert_eq!(annotations.len(), 2, "{}", human.stdout);
    assert!(
        annotations[0].starts_with(
            "::error file=content/world/bad.md,line=3,col=7::`date` is not a valid date: `2025-13-01`%0Ahelp: "
        ),
        "{}",
        annotations[0]
    );
    assert!(
        annotations[1].starts_with(
            "::warning file=content/world/nodek.md,line=2,col=11::the story has no dek"
        ),
        "{}",
        annotations[1]
    );

    let json = dateline(site.root())
        .args(["check", "--format", "json", "--now", NOW])
        .env("GITHUB_ACTIONS", "true")
        .run();
    let report: serde_json::Value = serde_json::from_str(&json.stdout).expect("stdout stays JSON");
    assert_eq!(report["errors"], 1);
    assert_eq!(
        json.stderr.lines().filter(|l| l.starts_with("::")).count(),
        2,
        "{}",
        json.stderr
    );

    let local = site.dateline(&["check", "--now", NOW]);
    assert!(
        !local.stdout.contains("::error"),
        "no annotations outside GitHub"
    );
}

/// A repository that keeps its site in `gazette/`, checked from the repository's top folder
/// (the working directory of every workflow step) with `--root gazette`.
fn site_in_a_subfolder() -> Site {
    Site::empty().file("gazette/site.toml", super::CONFIG).file(
        "gazette/content/world/bad.md",
        "---\nheadline: Bad\ndate: 2025-13-01\n---\nText.\n",
    )
}

#[test]
fn with_root_every_report_names_files_from_the_working_directory() {
    let repository = site_in_a_subfolder();
    for root in ["gazette", "./gazette/"] {
        let human = dateline(repository.root())
            .args(["check", "--now", NOW, "--root", root])
            .env("GITHUB_ACTIONS", "true")
            .run();
        assert_eq!(human.code, Some(1), "{}", human.stderr);
        assert!(
            human
                .stdout
                .contains("::error file=gazette/content/world/bad.md,line=3,col=7::"),
            "GitHub attaches annotations to paths from the checkout: {}",
            human.stdout
        );
        assert_eq!(
            human.diagnostics()[0].location,
            "gazette/content/world/bad.md:3:7",
            "a terminal opens the path it shows: {}",
            human.stderr
        );

        let json = dateline(repository.root())
            .args(["check", "--format", "json", "--now", NOW, "--root", root])
            .env("GITHUB_ACTIONS", "true")
            .run();
        let report: serde_json::Value =
            serde_json::from_str(&json.stdout).expect("stdout stays JSON");
        assert_eq!(
            json_diagnostics(&report)[0]["file"],
            "gazette/content/world/bad.md"
        );
        assert!(
            json.stderr
                .contains("::error file=gazette/content/world/bad.md,line=3,col=7::"),
            "{}",
            json.stderr
        );
    }

    let build = dateline(repository.root())
        .args(["build", "--now", NOW, "--root", "gazette"])
        .run();
    assert_eq!(build.code, Some(1));
    assert_eq!(
        build.diagnostics()[0].location,
        "gazette/content/world/bad.md:3:7"
    );
}

#[test]
fn from_inside_the_site_or_beside_it_paths_lead_back_to_the_file() {
    let repository = site_in_a_subfolder();
    let inside = dateline(&repository.root().join("gazette/content"))
        .args(["check", "--format", "json", "--now", NOW, "--root", ".."])
        .run();
    let report: serde_json::Value = serde_json::from_str(&inside.stdout).expect("JSON");
    assert_eq!(
        json_diagnostics(&report)[0]["file"],
        "../content/world/bad.md"
    );
    // An absolute --root inside the working directory is shown from it, like a relative one.
    let absolute = repository.root().join("gazette");
    let beside = dateline(repository.root())
        .args(["check", "--format", "json", "--now", NOW, "--root"])
        .arg(&absolute)
        .run();
    let report: serde_json::Value = serde_json::from_str(&beside.stdout).expect("JSON");
    assert_eq!(
        json_diagnostics(&report)[0]["file"],
        "gazette/content/world/bad.md"
    );
}

#[test]
fn build_shows_warnings_and_still_publishes() {
    let site = good_site();
    site.file(
        "content/world/nodek.md",
        "---\nheadline: No dek\ndate: 2025-05-17\n---\nText.\n",
    );
    let build = site.dateline(&["build", "--now", NOW]);
    assert_eq!(build.code, Some(0), "{}", build.stderr);
    assert!(
        build.stderr.contains("warning: the story has no dek"),
        "{}",
        build.stderr
    );
    assert!(site.exists("public/index.html"));
}

#[test]
fn drafts_are_checked_only_with_drafts() {
    let site = good_site();
    site.file(
        "content/world/draft.md",
        "---\nheadline: Draft\ndate: 2025-05-17\ndraft: true\n---\nText.\n",
    );
    let (_, report) = site.check_json(&[]);
    assert_eq!(report["warnings"], 0, "{report:#}");
    let (_, report) = site.check_json(&["--drafts"]);
    assert_eq!(report["warnings"], 1, "{report:#}");
}
