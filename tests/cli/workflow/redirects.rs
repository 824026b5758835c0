//! `redirect_from`: pages at old addresses that send readers to the new one.

use crate::harness::{LATER, Site, attrs, diagnostics, html, location};

#[test]
fn an_old_address_redirects_to_the_story() {
    let site = Site::new();
    site.story(
        "content/world/talks.md",
        "Talks resume",
        "2025-05-16 10:00",
        "redirect_from: [/2024/old-talks/, /world/talks.html]\n",
    );
    site.file(
        "content/about.md",
        "---\nheadline: About\nlayout: page\nredirect_from:\n  - /about-us\n---\nUs.\n",
    );
    let public = site.build(&[]);
    let target = "https://gazette.example/world/2025/05/talks/";
    for file in ["2024/old-talks/index.html", "world/talks.html"] {
        let page = html(&public, file);
        assert_eq!(
            attrs(&page, "meta[http-equiv='refresh']", "content"),
            [format!("0; url={target}")],
            "{file}"
        );
        assert_eq!(attrs(&page, "link[rel='canonical']", "href"), [target]);
        assert_eq!(attrs(&page, "a", "href"), [target]);
        assert_eq!(attrs(&page, "meta[name='robots']", "content"), ["noindex"]);
    }
    let about = html(&public, "about-us/index.html");
    assert_eq!(
        attrs(&about, "link[rel='canonical']", "href"),
        ["https://gazette.example/about/"]
    );
}

#[test]
fn redirects_sit_under_the_base_path_and_point_inside_it() {
    let site = Site::with_config(
        "title = \"G\"\nbase_url = \"https://me.github.io/gazette/\"\nsections = [\"World\"]\n",
    );
    site.story(
        "content/world/talks.md",
        "Talks",
        "2025-05-16",
        "redirect_from: [/old/]\n",
    );
    let public = site.build(&[]);
    let page = html(&public, "old/index.html");
    assert_eq!(
        attrs(&page, "link[rel='canonical']", "href"),
        ["https://me.github.io/gazette/world/2025/05/talks/"]
    );
}

#[test]
fn a_redirect_over_a_real_page_is_an_error_at_its_line() {
    let site = Site::new();
    site.story("content/world/talks.md", "Talks", "2025-05-16", "")
        .story(
            "content/world/other.md",
            "Other",
            "2025-05-17",
            "redirect_from:\n  - /old/\n  - /world/2025/05/talks/\n",
        );
    let (code, report) = site.check_json(&["--now", LATER]);
    assert_eq!(code, 1, "{report:#}");
    let first = &diagnostics(&report)[0];
    assert_eq!(
        first["message"],
        "the redirect from /world/2025/05/talks/ would replace another file"
    );
    assert_eq!(location(first), "content/world/other.md:7:5");
    assert!(
        first["help"]
            .as_str()
            .unwrap()
            .contains("content/world/talks.md"),
        "{first:#}"
    );
}

#[test]
fn a_path_claimed_twice_is_an_error() {
    let site = Site::new();
    site.story(
        "content/world/a.md",
        "A",
        "2025-05-16",
        "redirect_from: [/old/]\n",
    )
    .story(
        "content/world/b.md",
        "B",
        "2025-05-17",
        "redirect_from: [/old]\n",
    );
    let (code, report) = site.check_json(&["--now", LATER]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], 1);
}

#[test]
fn only_site_paths_are_accepted() {
    let site = Site::new();
    site.story(
        "content/world/a.md",
        "A",
        "2025-05-16",
        "redirect_from: [\"https://old.example/a/\", old/a/]\n",
    );
    let (code, report) = site.check_json(&["--now", LATER]);
    assert_eq!(code, 1);
    let found: Vec<(String, String)> = diagnostics(&report)
        .iter()
        .map(|d| (location(d), d["message"].as_str().unwrap().to_string()))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/world/a.md:5:17".to_string(),
                "`redirect_from` path `https://old.example/a/` is a full address: give only the path on this site, starting with `/`".to_string()
            ),
            (
                "content/world/a.md:5:43".to_string(),
                "`redirect_from` path `old/a/` must start with `/`: it is a path on this site".to_string()
            ),
        ]
    );
}
