//! Trust and rights: corrections, backstory and paywall flags in `NewsArticle` data, the
//! publisher's Trust Project policies (each a page the build publishes), and the rights of
//! photos in `ImageObject` data and feeds.

use serde_json::Value;

use crate::harness::{Run, Site};

/// The `[publisher]` policies of a test site, each with the page it names.
const POLICIES: &[(&str, &str, &str)] = &[
    (
        "publishing_principles",
        "publishingPrinciples",
        "principles",
    ),
    ("ethics_policy", "ethicsPolicy", "ethics"),
    ("masthead", "masthead", "masthead"),
    ("ownership_funding", "ownershipFundingInfo", "ownership"),
    (
        "corrections_policy",
        "correctionsPolicy",
        "corrections-policy",
    ),
    (
        "verification_fact_checking",
        "verificationFactCheckingPolicy",
        "fact-checking",
    ),
    (
        "actionable_feedback",
        "actionableFeedbackPolicy",
        "feedback",
    ),
    ("diversity_policy", "diversityPolicy", "diversity"),
];

/// The JSON-LD of the page at `route`, parsed.
fn json_ld(run: &Run, route: &str) -> Value {
    let page = run.page(route);
    let scripts = page.texts("script[type='application/ld+json']");
    assert_eq!(scripts.len(), 1, "one JSON-LD block on {route}");
    serde_json::from_str(&scripts[0]).expect("JSON-LD parses")
}

fn corrected_story(site: Site) -> Site {
    site.story(
        "world/talks.md",
        "headline: Talks resume\ndate: 2025-05-19 10:00\n\
         backstory: \"We were in the room.\"\n\
         corrections:\n  - {date: 2025-05-20 09:00, text: \"The talks were in Istanbul, not Ankara.\"}\n\
         \x20 - {date: 2025-05-21 09:00, text: \"The delegation had 12 members, not 10.\"}",
        "Text.\n",
    )
}

fn with_policies(mut site: Site) -> Site {
    let mut config = String::from("[publisher]\nsame_as = [\"https://social.example/@gazette\"]\n");
    for (key, _, slug) in POLICIES {
        config.push_str(&format!("{key} = \"/{slug}/\"\n"));
        site = site.story(
            &format!("{slug}.md"),
            &format!("headline: \"Policy {slug}\"\nlayout: page"),
            "What we do.\n",
        );
    }
    site.config(&config)
}

#[test]
fn a_corrected_story_has_one_correction_comment_per_correction_and_its_backstory() {
    let run = corrected_story(Site::new()).build();
    run.assert_success();
    let article = json_ld(&run, "/world/2025/05/talks/");
    let corrections = article["correction"]
        .as_array()
        .expect("a list of corrections");
    assert_eq!(corrections.len(), 2);
    for (comment, (date, text)) in corrections.iter().zip([
        (
            "2025-05-20T09:00:00+01:00",
            "The talks were in Istanbul, not Ankara.",
        ),
        (
            "2025-05-21T09:00:00+01:00",
            "The delegation had 12 members, not 10.",
        ),
    ]) {
        assert_eq!(comment["@type"], "CorrectionComment");
        assert_eq!(comment["datePublished"], date);
        assert_eq!(comment["text"], text);
    }
    assert_eq!(article["backstory"], "We were in the room.");
    assert_eq!(article["isAccessibleForFree"], true);
    let page = run.page("/world/2025/05/talks/");
    assert_eq!(page.text(".story-backstory p"), "We were in the room.");
}

#[test]
fn a_story_for_paying_readers_says_so_and_an_uncorrected_one_has_no_correction() {
    let run = Site::new()
        .story(
            "world/talks.md",
            "headline: Talks resume\ndate: 2025-05-19 10:00\nfree_to_read: false",
            "Text.\n",
        )
        .build();
    run.assert_success();
    let article = json_ld(&run, "/world/2025/05/talks/");
    assert_eq!(article["isAccessibleForFree"], false);
    assert!(article.get("correction").is_none(), "{article}");
    assert!(article.get("backstory").is_none(), "{article}");
}

#[test]
fn the_publisher_has_every_configured_policy_pointing_to_a_built_page() {
    let run = with_policies(corrected_story(Site::new())).build();
    run.assert_success();
    for route in ["/world/2025/05/talks/", "/"] {
        let data = json_ld(&run, route);
        let publisher = &data["publisher"];
        assert_eq!(publisher["@type"], "NewsMediaOrganization");
        assert_eq!(publisher["sameAs"][0], "https://social.example/@gazette");
        for (_, property, slug) in POLICIES {
            let url = publisher[property].as_str().unwrap_or_default();
            assert_eq!(
                url,
                format!("https://news.example.org/{slug}/"),
                "{property}"
            );
            let path = url.trim_start_matches("https://news.example.org/");
            assert!(
                run.exists(&format!("{path}index.html")),
                "{url} is not built"
            );
        }
    }
    let footer = run.page("/").attrs(".site-footer a", "href");
    for (_, _, slug) in POLICIES {
        let link = format!("/{slug}/");
        assert_eq!(
            footer.iter().filter(|href| **href == link).count(),
            1,
            "{footer:?}"
        );
    }
}

#[test]
fn a_policy_naming_a_missing_page_is_an_error_at_its_line() {
    let site = Site::new()
        .story("ethics.md", "headline: Ethics\nlayout: page", "Rules.\n")
        .config("[publisher]\nethics_policy = \"/ethics/\"\nmasthead = \"/masthead/\"\n");
    let run = site.build();
    run.assert_failure();
    let error = run.single_error();
    assert_eq!(error.location, "site.toml:6:1");
    assert_eq!(
        error.message,
        "`publisher.masthead` is `/masthead/`, which leads to nothing this site publishes"
    );
    assert!(!run.exists("index.html"), "nothing is published");
}

#[test]
fn a_policy_that_is_not_a_path_on_the_site_is_an_error_at_its_line() {
    let run = Site::new()
        .config("[publisher]\nethics_policy = \"https://elsewhere.example/ethics\"\n")
        .build();
    run.assert_failure();
    let error = run.single_error();
    assert_eq!(error.location, "site.toml:5:1");
    assert!(
        error.message.contains("not a page of the site"),
        "{}",
        error.message
    );
}

#[test]
fn lead_photos_carry_their_credit_and_rights_in_image_object_and_feeds() {
    let site = Site::new()
        .file(
            "content/world/talks/photo.png",
            crate::images::encoded(image::ImageFormat::Png, 40, 30),
        )
        .story(
            "world/talks/index.md",
            "headline: Talks resume\ndate: 2025-05-19 10:00\n\
             photo: {src: photo.png, alt: A table, credit: Ana Lima/Reuters, caption: The table.}",
            "Text.\n",
        )
        .story(
            "licensing.md",
            "headline: Licensing\nlayout: page",
            "Ask us.\n",
        )
        .config(
            "[images]\ncopyright = \"© Test Gazette\"\nlicense = \"/licensing/\"\n\
             acquire_license = \"https://shop.example/photos\"\n",
        );
    let run = site.build();
    run.assert_success();
    let image = &json_ld(&run, "/world/2025/05/talks/")["image"][0];
    assert_eq!(image["@type"], "ImageObject");
    assert_eq!(image["creditText"], "Ana Lima/Reuters");
    assert_eq!(image["creator"]["name"], "Ana Lima");
    assert_eq!(image["copyrightNotice"], "© Test Gazette");
    assert_eq!(image["license"], "https://news.example.org/licensing/");
    assert_eq!(image["acquireLicensePage"], "https://shop.example/photos");
    assert_eq!(image["caption"], "The table.");
    assert_eq!(image["width"], 40);
    let feed = run.read("feed.xml");
    assert!(
        feed.contains("<media:copyright>© Test Gazette</media:copyright>"),
        "{feed}"
    );
    assert!(
        feed.contains("<media:credit>Ana Lima/Reuters</media:credit>"),
        "{feed}"
    );
}

#[test]
fn a_licence_page_naming_nothing_published_is_an_error_at_its_line() {
    let run = Site::new()
        .config("[images]\nlicense = \"/licensing/\"\n")
        .build();
    run.assert_failure();
    let error = run.single_error();
    assert_eq!(error.location, "site.toml:5:1");
    assert_eq!(
        error.message,
        "`images.license` is `/licensing/`, which leads to nothing this site publishes"
    );
}
