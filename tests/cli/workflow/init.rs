//! `dateline init`: a new newsroom that builds and checks clean at once.

use tempfile::TempDir;

use crate::harness::{attrs, dateline, html, run};

#[test]
fn init_creates_a_commented_config_an_example_story_and_a_support_page() {
    let dir = TempDir::new().unwrap();
    dateline(dir.path())
        .args(["init", "gazette"])
        .assert()
        .success();
    let site = dir.path().join("gazette");
    let config = std::fs::read_to_string(site.join("site.toml")).unwrap();
    for key in [
        "title = \"Gazette\"",
        "base_url = ",
        "language = ",
        "timezone = ",
        "[support]",
    ] {
        assert!(config.contains(key), "site.toml lacks {key}:\n{config}");
    }
    assert!(
        config.lines().filter(|l| l.starts_with('#')).count() > 10,
        "commented"
    );
    let mut files: Vec<String> = walkdir::WalkDir::new(&site)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            e.path()
                .strip_prefix(&site)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    files.sort();
    assert_eq!(
        files,
        [
            ".gitignore",
            "content/news/welcome-to-gazette.md",
            "content/support.md",
            "site.toml"
        ],
        "nothing else: the built-in theme serves"
    );
    let ignored = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    for line in ["/public/", "/.dateline-cache/"] {
        assert!(ignored.lines().any(|l| l == line), "{line} in:\n{ignored}");
    }
}

#[test]
fn init_keeps_a_gitignore_that_is_already_there() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join(".gitignore"), "node_modules/\n").unwrap();
    let init = run(dateline(dir.path()).arg("init"));
    assert_eq!(init.code, 0, "{}", init.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.path().join(".gitignore")).unwrap(),
        "node_modules/\n"
    );
    assert!(
        init.stdout
            .contains("add what builds make to it: /public/ /.public.* /.dateline-cache/"),
        "{}",
        init.stdout
    );
    assert!(dir.path().join("site.toml").exists());
}

#[test]
fn init_refuses_a_folder_that_already_has_a_site_toml() {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("site.toml"), "title = \"Mine\"\n").unwrap();
    let init = run(dateline(dir.path()).arg("init"));
    assert_eq!(init.code, 1);
    assert!(
        init.stderr.contains("already holds a Dateline site"),
        "{}",
        init.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.path().join("site.toml")).unwrap(),
        "title = \"Mine\"\n"
    );
    assert!(!dir.path().join("content").exists());
}

#[test]
fn a_new_site_checks_clean_and_builds() {
    let dir = TempDir::new().unwrap();
    dateline(dir.path())
        .args(["init", "river-times"])
        .assert()
        .success();
    let site = dir.path().join("river-times");
    let check = run(dateline(&site).args(["check", "--deny-warnings"]));
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stdout.contains("no problems found"),
        "{}",
        check.stdout
    );
    dateline(&site).arg("build").assert().success();
    let public = site.join("public");
    let front = html(&public, "index.html");
    assert_eq!(
        crate::harness::texts(&front, "a.brand"),
        ["River Times"],
        "the title comes from the folder name"
    );
    let story = attrs(&front, ".card-headline a", "href");
    assert_eq!(story.len(), 1, "the example story is on the front page");
    let support = html(&public, "support/index.html");
    assert!(attrs(&support, "a.button", "href").contains(&"/support/".to_string()));
    assert!(public.join("corrections/index.html").is_file());
}

#[test]
fn init_in_the_current_folder_names_the_site_after_it() {
    let dir = TempDir::new().unwrap();
    let here = dir.path().join("harbour_post");
    std::fs::create_dir(&here).unwrap();
    dateline(&here).arg("init").assert().success();
    let config = std::fs::read_to_string(here.join("site.toml")).unwrap();
    assert!(config.contains("title = \"Harbour Post\""), "{config}");
}
