//! `dateline init`: a new newsroom that builds and checks clean at once.

use crate::harness::{Site, dateline};

#[test]
fn init_creates_a_commented_config_an_example_story_and_a_support_page() {
    let dir = Site::empty();
    dateline(dir.root())
        .args(["init", "gazette"])
        .run()
        .assert_success();
    let site = dir.root().join("gazette");
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
    let dir = Site::empty();
    std::fs::write(dir.root().join(".gitignore"), "node_modules/\n").unwrap();
    let init = dateline(dir.root()).arg("init").run();
    assert_eq!(init.code, Some(0), "{}", init.stderr);
    assert_eq!(
        std::fs::read_to_string(dir.root().join(".gitignore")).unwrap(),
        "node_modules/\n"
    );
    assert!(
        init.stdout
            .contains("add what builds make to it: /public/ /.public.* /.dateline-cache/"),
        "{}",
        init.stdout
    );
    assert!(dir.root().join("site.toml").exists());
}

#[test]
fn init_refuses_a_folder_that_already_has_a_site_toml() {
    let dir = Site::empty();
    std::fs::write(dir.root().join("site.toml"), "title = \"Mine\"\n").unwrap();
    let init = dateline(dir.root()).arg("init").run();
    assert_eq!(init.code, Some(1));
    assert!(
        init.stderr.contains("already holds a Dateline site"),
        "{}",
        init.stderr
    );
    assert_eq!(
        std::fs::read_to_string(dir.root().join("site.toml")).unwrap(),
        "title = \"Mine\"\n"
    );
    assert!(!dir.root().join("content").exists());
}

#[test]
fn a_new_site_checks_clean_and_builds() {
    let dir = Site::empty();
    dateline(dir.root())
        .args(["init", "river-times"])
        .run()
        .assert_success();
    let site = dir.root().join("river-times");
    let check = dateline(&site).args(["check", "--deny-warnings"]).run();
    assert_eq!(check.code, Some(0), "{}", check.stderr);
    assert!(
        check.stdout.contains("no problems found"),
        "{}",
        check.stdout
    );
    let public = dateline(&site).arg("build").run();
    public.assert_success();
    let front = public.page("index.html");
    assert_eq!(
        front.trimmed_texts("a.brand"),
        ["River Times"],
        "the title comes from the folder name"
    );
    let story = front.attrs(".card-headline a", "href");
    assert_eq!(story.len(), 1, "the example story is on the front page");
    let support = public.page("support/index.html");
    assert!(
        support
            .attrs("a.button", "href")
            .contains(&"/support/".to_string())
    );
    assert!(public.exists("corrections/index.html"));
}

#[test]
fn init_in_the_current_folder_names_the_site_after_it() {
    let dir = Site::empty();
    let here = dir.root().join("harbour_post");
    std::fs::create_dir(&here).unwrap();
    dateline(&here).arg("init").run().assert_success();
    let config = std::fs::read_to_string(here.join("site.toml")).unwrap();
    assert!(config.contains("title = \"Harbour Post\""), "{config}");
}
