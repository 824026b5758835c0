//! `redirect_from`: pages at old addresses that send readers to the new one.

use super::gazette;
use crate::harness::{Site, json_diagnostics, json_location};

#[test]
fn an_old_address_redirects_to_the_story() {
    let site = gazette();
    site.house_story(
        "world/talks.md",
        "Talks resume",
        "2025-05-16 10:00",
        "redirect_from: [/2024/old-talks/, /world/talks.html]\n",
    );
    site.file(
        "content/about.md",
        "---\nheadline: About\nlayout: page\nredirect_from:\n  - /about-us\n---\nUs.\n",
    );
    let public = site.build();
    public.assert_success();
    let target = "https://gazette.example/world/2025/05/talks/";
    for file in ["2024/old-talks/index.html", "world/talks.html"] {
        let page = public.page(file);
        assert_eq!(
            page.attrs("meta[http-equiv='refresh']", "content"),
            [format!("0; url={target}")],
            "{file}"
        );
        assert_eq!(page.attrs("link[rel='canonical']", "href"), [target]);
        assert_eq!(page.attrs("a", "href"), [target]);
        assert_eq!(page.attrs("meta[name='robots']", "content"), ["noindex"]);
    }
    let about = public.page("about-us/index.html");
    assert_eq!(
        about.attrs("link[rel='canonical']", "href"),
        ["https://gazette.example/about/"]
    );
}

#[test]
fn redirects_sit_under_the_base_path_and_point_inside_it() {
    let site = Site::with_config(
        "title = \"G\"\nbase_url = \"https://me.github.io/gazette/\"\nsections = [\"World\"]\n",
    );
    site.house_story(
        "world/talks.md",
        "Talks",
        "2025-05-16",
        "redirect_from: [/old/]\n",
    );
    let public = site.build();
    public.assert_success();
    let page = public.page("old/index.html");
    assert_eq!(
        page.attrs("link[rel='canonical']", "href"),
        ["https://me.github.io/gazette/world/2025/05/talks/"]
    );
}

#[test]
fn a_redirect_over_a_real_page_is_an_error_at_its_line() {
    let site = gazette();
    site.house_story("world/talks.md", "Talks", "2025-05-16", "")
        .house_story(
            "world/other.md",
            "Other",
            "2025-05-17",
            "redirect_from:\n  - /old/\n  - /world/2025/05/talks/\n",
        );
    let (code, report) = site.check_json(&[]);
    assert_eq!(code, 1, "{report:#}");
    let first = &json_diagnostics(&report)[0];
    assert_eq!(
        first["message"],
        "the redirect from /world/2025/05/talks/ would replace another file"
    );
    assert_eq!(json_location(first), "content/world/other.md:7:5");
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
    let site = gazette();
    site.house_story("world/a.md", "A", "2025-05-16", "redirect_from: [/old/]\n")
        .house_story("world/b.md", "B", "2025-05-17", "redirect_from: [/old]\n");
    let (code, report) = site.check_json(&[]);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["errors"], 1);
}

#[test]
fn only_site_paths_are_accepted() {
    let site = gazette();
    site.house_story(
        "world/a.md",
        "A",
        "2025-05-16",
        "redirect_from: [\"https://old.example/a/\", old/a/]\n",
    );
    let (code, report) = site.check_json(&[]);
    assert_eq!(code, 1);
    let found: Vec<(String, String)> = json_diagnostics(&report)
        .iter()
        .map(|d| (json_location(d), d["message"].as_str().unwrap().to_string()))
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
