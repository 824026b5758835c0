//! Links on the built site: every root-relative link in a story, a page or a template must lead
//! to something the build publishes, body images need alt text, a misspelt photo name gets the
//! name meant, and a file that fails is never blamed a second time through the links to it.

use image::ImageFormat;

use crate::errors::failed_build;
use crate::harness::{SITE_TOML, Site};

const STORY: &str = "content/world/talks.md";

/// A site whose story `content/world/talks.md` has `body` (starting at line 7).
fn talks_with_body(site: Site, body: &str) -> Site {
    site.story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19 10:00\nauthor: Ana Lopes\ntags: [Diplomacy]",
        body,
    )
}

#[test]
fn a_link_to_a_path_nothing_is_published_at_is_an_error_at_its_line() {
    let run = failed_build(talks_with_body(
        Site::new(),
        "Intro.\n\nFollow the [live blog](/world/2025/05/live-blog/) today.\n",
    ));
    let error = run.single_error();
    assert_eq!(error.location, format!("{STORY}:9:12"), "{}", error.text);
    assert_eq!(
        error.message,
        "the link `/world/2025/05/live-blog/` leads to nothing this site publishes"
    );
    let help = error.help.unwrap_or_default();
    assert!(help.contains("`[links] ignore`"), "{help}");
}

#[test]
fn links_to_every_kind_of_output_pass_with_or_without_slash_query_or_fragment() {
    let links = [
        "/",
        "/world/2025/05/vote/",
        "/world/2025/05/vote",
        "/world/2025/05/vote/index.html",
        "/world/2025/05/vote/?utm=x#results",
        "/world/",
        "/world/feed.xml",
        "/tags/diplomacy/",
        "/tags/",
        "/authors/ana-lopes/",
        "/about/",
        "/feed.xml",
        "/feed.json",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/robots.txt",
        "/404.html",
        "/style.css",
        "/files/annual%20report.pdf",
        "/2024/old-vote/",
        "/world/2025/05/vote/chart.png",
    ];
    let body: String = links
        .iter()
        .map(|link| format!("- [a link]({link})\n"))
        .collect();
    let site = talks_with_body(Site::new(), &body)
        .story(
            "world/vote/index.md",
            "headline: Vote\ndate: 2025-05-18 10:00\nredirect_from: [\"/2024/old-vote/\"]",
            "Counted.\n\n![A chart of the results](/world/2025/05/vote/chart.png)\n",
        )
        .file(
            "content/world/vote/chart.png",
            crate::images::encoded(ImageFormat::Png, 4, 4),
        )
        .story(
            "about.md",
            "headline: About us\nlayout: page",
            "We report.\n",
        )
        .file("static/files/annual report.pdf", "%PDF");
    site.build().assert_success();
}

#[test]
fn under_a_base_path_links_must_carry_it_and_the_error_says_so() {
    let config = SITE_TOML.replace("news.example.org/", "me.github.io/gazette/");
    let good = talks_with_body(
        Site::with_config(&config),
        "See [World](/gazette/world/).\n",
    );
    good.build().assert_success();
    // A preview at another address (`serve`, `--base-url`) still accepts links written for
    // the published site.
    good.build_with(&["--base-url", "http://localhost:1111/"])
        .assert_success();

    let bad = talks_with_body(Site::with_config(&config), "See [World](/world/).\n");
    let error = failed_build(bad).single_error();
    assert_eq!(error.location, format!("{STORY}:7:5"));
    assert_eq!(
        error.help.as_deref(),
        Some("the site is published under `/gazette/`: write `/gazette/world/`")
    );
}

#[test]
fn paths_in_links_ignore_are_left_to_whatever_serves_them() {
    let site = talks_with_body(
        Site::new(),
        "[Sign up](/newsletter/) or [give](/donate/monthly?amount=5).\n",
    )
    .config("[links]\nignore = [\"/newsletter/\", \"/donate/*\"]\n");
    site.build().assert_success();
}

#[test]
fn a_links_ignore_entry_that_is_not_a_path_is_an_error_at_its_key() {
    let site =
        talks_with_body(Site::new(), "Text.\n").config("[links]\nignore = [\"newsletter\"]\n");
    let error = failed_build(site).single_error();
    assert_eq!(error.location, "site.toml:5:1");
    assert!(error.message.contains("`newsletter`"), "{}", error.text);
}

#[test]
fn a_dead_link_in_a_page_and_an_image_on_no_path_are_errors_in_one_run() {
    let site = talks_with_body(Site::new(), "![A map](/maps/istanbul.png)\n").story(
        "about.md",
        "headline: About us\nlayout: page",
        "Write to [the desk](/contact/).\n",
    );
    let run = failed_build(site);
    let found: Vec<(String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.location, d.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                "content/about.md:5:10".to_string(),
                "the link `/contact/` leads to nothing this site publishes".to_string()
            ),
            (
                format!("{STORY}:7:1"),
                "the image `/maps/istanbul.png` leads to nothing this site publishes".to_string()
            ),
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn literal_links_in_templates_are_checked_at_their_line_and_template_values_are_not() {
    let base = "<!doctype html>\n<html><body>\n{% block content %}{% endblock content %}\n\
                <a href=\"{{ site.base_path }}/archive/\">Archive</a>\n\
                <a href=\"/tags/\">Topics</a>\n\
                <footer><a href=\"/archive/\">Archive</a></footer>\n</body></html>\n";
    let site = talks_with_body(Site::new(), "Text.\n").file("templates/404.html", base);
    let error = failed_build(site).single_error();
    assert_eq!(error.location, "templates/404.html:6:18", "{}", error.text);
    assert_eq!(
        error.message,
        "the link `/archive/` leads to nothing this site publishes"
    );
}

#[test]
fn a_body_image_without_alt_text_is_an_error_and_a_decorative_one_is_published_with_empty_alt() {
    let photo = crate::images::encoded(ImageFormat::Png, 4, 4);
    let site = Site::new()
        .story(
            "world/talks/index.md",
            "headline: Talks\ndate: 2025-05-19 10:00",
            "Intro.\n\n![](rule.png)\n",
        )
        .file("content/world/talks/rule.png", &photo);
    let error = failed_build(site.clone()).single_error();
    assert_eq!(error.location, "content/world/talks/index.md:7:1");
    assert_eq!(error.message, "the image has no alt text");
    assert!(
        error
            .help
            .as_deref()
            .unwrap_or("")
            .contains("`![decorative](photo.jpg)`"),
        "{}",
        error.text
    );

    site.story(
        "world/talks/index.md",
        "headline: Talks\ndate: 2025-05-19 10:00",
        "Intro.\n\n![decorative](rule.png)\n",
    );
    let run = site.build();
    run.assert_success();
    let page = run.page("/world/2025/05/talks/");
    assert_eq!(page.attrs(".story-body img", "alt"), [""]);
}

#[test]
fn a_photo_name_off_by_case_or_separator_suggests_the_file_beside_the_story() {
    for written in ["putin_call.jpg", "Putin-Call.JPG"] {
        let site = Site::new()
            .story(
                "world/call/index.md",
                &format!(
                    "headline: The call\ndate: 2025-05-19 10:00\nphoto:\n  src: {written}\n  \
                     alt: The two leaders"
                ),
                "Text.\n",
            )
            .file(
                "content/world/call/putin-call.jpg",
                crate::images::encoded(ImageFormat::Jpeg, 4, 4),
            );
        let error = failed_build(site).single_error();
        assert_eq!(error.location, "content/world/call/index.md:5:3");
        assert_eq!(
            error.help.as_deref(),
            Some(
                "did you mean `putin-call.jpg`? File names must match exactly, capitals and `-` \
                 or `_` included"
            ),
            "{written}"
        );
    }
}

#[test]
fn a_file_that_cannot_be_read_is_not_also_a_missing_link_target() {
    let site = talks_with_body(Site::new(), "See [the vote](vote.md).\n").file(
        "content/world/vote.md",
        b"---\nheadline: Vote\ndate: 2025-05-18\n---\nCaf\xe9 talks.\n",
    );
    let error = failed_build(site).single_error();
    assert_eq!(error.location, "content/world/vote.md:5:4");
    assert!(
        error.message.starts_with("the file is not UTF-8 text"),
        "{}",
        error.message
    );
}

#[test]
fn links_and_images_are_checked_in_a_file_whose_front_matter_failed() {
    let site = Site::new().file(
        STORY,
        "---\nheadline: Talks\nauhtor: Ana Lopes\ndate: 2025-05-19 10:00\n---\n\
         See [the vote](vote.md) and ![](map.png).\n",
    );
    let run = failed_build(site);
    let found: Vec<(String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.location, d.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                format!("{STORY}:3:1"),
                "unknown front matter key `auhtor`".to_string()
            ),
            (
                format!("{STORY}:6:5"),
                "the link `vote.md` points to a file that does not exist".to_string()
            ),
            (
                format!("{STORY}:6:29"),
                "the image `map.png` does not exist".to_string()
            ),
            (
                format!("{STORY}:6:29"),
                "the image has no alt text".to_string()
            ),
        ],
        "{}",
        run.stderr
    );
}

#[test]
fn a_support_url_or_logo_on_the_site_must_lead_to_a_published_page_or_file() {
    let config = "[support]\ntitle = \"Support us\"\ntext = \"Please.\"\nurl = \"/support/\"\n\
                  [publisher]\nlogo = \"/logo.png\"\n";
    let site = talks_with_body(Site::new(), "Text.\n").config(config);
    let run = failed_build(site.clone());
    let found: Vec<(String, String)> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.location, d.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                "site.toml:7:1".to_string(),
                "`support.url` is `/support/`, which leads to nothing this site publishes"
                    .to_string()
            ),
            (
                "site.toml:9:1".to_string(),
                "`publisher.logo` is `/logo.png`, which leads to nothing this site publishes"
                    .to_string()
            ),
        ],
        "{}",
        run.stderr
    );
    site.story(
        "support.md",
        "headline: Support us\nlayout: page",
        "Give.\n",
    )
    .file(
        "static/logo.png",
        crate::images::encoded(ImageFormat::Png, 4, 4),
    );
    site.build().assert_success();
}

#[test]
fn a_rebuild_reports_a_link_whose_target_went_away_and_forgets_it_once_fixed() {
    let site = talks_with_body(Site::new(), "See [the vote](/world/2025/05/vote/).\n").story(
        "world/vote.md",
        "headline: Vote\ndate: 2025-05-18 10:00",
        "Counted.\n",
    );
    let mut builder = site.builder();
    assert!(builder.build().is_ok(), "the first build has no dead link");

    let vote = site.root().join("content/world/vote.md");
    std::fs::remove_file(&vote).expect("remove the linked story");
    builder.changed(&vote);
    let problems = builder
        .build()
        .expect_err("the link now leads nowhere")
        .sorted();
    let messages: Vec<(String, usize)> = problems
        .iter()
        .filter(|d| d.is_error())
        .map(|d| (d.message.clone(), d.line))
        .collect();
    assert_eq!(
        messages,
        [(
            "the link `/world/2025/05/vote/` leads to nothing this site publishes".to_string(),
            7
        )]
    );

    site.story(
        "world/vote.md",
        "headline: Vote\ndate: 2025-05-18 10:00",
        "Counted.\n",
    );
    builder.changed(&vote);
    assert!(builder.build().is_ok(), "the story is back");
}

#[test]
fn a_link_to_a_story_under_another_month_suggests_where_it_is_published() {
    let site = talks_with_body(Site::new(), "See [the vote](/world/2025/04/vote/).\n").story(
        "world/vote.md",
        "headline: Vote\ndate: 2025-05-18 10:00",
        "Counted.\n",
    );
    let error = failed_build(site).single_error();
    assert_eq!(error.location, format!("{STORY}:7:5"));
    assert_eq!(
        error.help.as_deref(),
        Some("did you mean `/world/2025/05/vote/`? It is the one page published under that name")
    );
}

#[test]
fn a_link_relative_to_the_page_is_checked_where_a_browser_would_go() {
    let body =
        "The [vote](../vote/) and the [count](../vote/#count) and [the blog](../live-blog/).\n";
    let site = talks_with_body(Site::new(), body).story(
        "world/vote.md",
        "headline: Vote\ndate: 2025-05-18 10:00",
        "Counted.\n",
    );
    let error = failed_build(site).single_error();
    assert_eq!(error.location, format!("{STORY}:7:58"), "{}", error.text);
    assert_eq!(
        error.message,
        "the link `../live-blog/` leads to nothing this site publishes"
    );
}
