//! Mistakes in a site: each fails the build with exit code 1, names `file:line:col`, says what
//! is wrong and what to do (`help:`), and leaves the previous `public/` as it was.

use image::ImageFormat;

use crate::harness::{Reported, Run, Site, assert_no_leftovers, snapshot};
use crate::images;

/// Builds `site` over a previous `public/`, checks that the build failed cleanly and that the
/// previous site survived byte for byte, and returns the run.
pub(crate) fn failed_build(site: Site) -> Run {
    let site = site.previous_public();
    let public = site.root().join("public");
    let before = snapshot(&public);
    let run = site.build();
    run.assert_failure();
    assert!(
        run.stderr
            .lines()
            .any(|l| l.starts_with("The build failed;") && l.ends_with("was left as it was.")),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&public), before, "the previous public/ changed");
    assert_no_leftovers(&public);
    for diagnostic in run.diagnostics() {
        assert_eq!(diagnostic.severity, "error", "{}", diagnostic.text);
        assert!(
            diagnostic.help.as_deref().is_some_and(|h| !h.is_empty()),
            "no help line:\n{}",
            diagnostic.text
        );
    }
    run
}

/// The only diagnostic of a failed build of `site`.
fn single_error(site: Site) -> Reported {
    failed_build(site).single_error()
}

/// A site whose only story is `content/world/talks.md` with exactly `text`.
fn talks(text: impl AsRef<[u8]>) -> Site {
    Site::new().file("content/world/talks.md", text)
}

const TALKS: &str = "content/world/talks.md";

#[test]
fn unknown_front_matter_key_is_an_error_at_its_line_with_a_suggestion() {
    let error = single_error(talks(
        "---\nhedline: Talks\ndate: 2025-05-19 10:00\n---\nBody.\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:2:1"));
    assert_eq!(error.message, "unknown front matter key `hedline`");
    assert_eq!(error.help.as_deref(), Some("did you mean `headline`?"));
    assert!(error.text.contains("2 | hedline: Talks"), "{}", error.text);
}

#[test]
fn unknown_photo_key_suggests_the_nearest_photo_key() {
    for (typo, key) in [("atl", "alt"), ("captoin", "caption"), ("credt", "credit")] {
        let error = single_error(talks(format!(
            "---\nheadline: Talks\ndate: 2025-05-19 10:00\nphoto:\n  src: p.jpg\n  {typo}: x\n---\n"
        )));
        assert_eq!(error.location, format!("{TALKS}:6:3"));
        assert!(
            error.message.contains(&format!("`{typo}`")),
            "{}",
            error.text
        );
        assert_eq!(
            error.help.as_deref(),
            Some(format!("did you mean `{key}`?").as_str()),
            "{}",
            error.text
        );
    }
}

#[test]
fn story_without_headline_is_an_error_at_its_front_matter() {
    let error = single_error(talks("---\ndate: 2025-05-19 10:00\n---\nBody.\n"));
    assert_eq!(error.location, format!("{TALKS}:1:1"));
    assert_eq!(error.message, "the front matter has no `headline`");
}

#[test]
fn empty_headline_is_an_error_at_its_value() {
    let error = single_error(talks(
        "---\nheadline: \"  \"\ndate: 2025-05-19 10:00\n---\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:2:11"));
    assert_eq!(error.message, "the headline is empty");
}

#[test]
fn story_without_date_is_an_error_at_its_front_matter() {
    let error = single_error(talks("---\nheadline: Talks\n---\nBody.\n"));
    assert_eq!(error.location, format!("{TALKS}:1:1"));
    assert_eq!(error.message, "the story has no `date`");
}

#[test]
fn invalid_date_is_an_error_at_its_value() {
    let error = single_error(talks(
        "---\nheadline: Talks\ndate: 2025-13-45\n---\nBody.\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:3:7"));
    assert_eq!(error.message, "`date` is not a valid date: `2025-13-45`");
    assert!(
        error.text.contains("^^^^^^^^^^"),
        "underlines the date:\n{}",
        error.text
    );
}

#[test]
fn invalid_updated_date_is_an_error_at_its_value() {
    let error = single_error(talks(
        "---\nheadline: Talks\ndate: 2025-05-19\nupdated: yesterday\n---\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:4:10"));
    assert_eq!(error.message, "`updated` is not a valid date: `yesterday`");
}

#[test]
fn value_of_the_wrong_type_is_an_error_at_the_value() {
    let error = single_error(talks(
        "---\nheadline: Talks\ndate: 2025-05-19\ntags: {a: 1}\n---\nBody.\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:4:7"));
    assert!(!error.message.is_empty());
}

#[test]
fn value_of_the_wrong_type_names_the_key_and_the_expected_type() {
    let error = single_error(talks(
        "---\nheadline: Talks\ndate: 2025-05-19\ntags: {a: 1}\n---\nBody.\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:4:7"));
    assert!(
        error.message.contains("`tags`") && error.message.contains("list"),
        "{}",
        error.text
    );
}

#[test]
fn unknown_layout_is_an_error_at_its_value() {
    let error = single_error(talks(
        "---\nheadline: Talks\ndate: 2025-05-19\nlayout: gallery\n---\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:4:9"));
    assert_eq!(error.message, "unknown layout `gallery`");
}

#[test]
fn photo_without_alt_text_is_an_error_at_the_photo() {
    let site = Site::new()
        .file(
            "content/world/talks/index.md",
            "---\nheadline: Talks\ndate: 2025-05-19\nphoto:\n  src: photo.jpg\n  credit: Staff\n---\n",
        )
        .file(
            "content/world/talks/photo.jpg",
            images::encoded(ImageFormat::Jpeg, 40, 30),
        );
    let error = single_error(site);
    assert_eq!(error.location, "content/world/talks/index.md:5:3");
    assert_eq!(error.message, "the photo has no `alt` text");
    assert!(
        error
            .help
            .as_deref()
            .is_some_and(|h| h.contains("alt: \"\"")),
        "{}",
        error.text
    );
}

#[test]
fn photo_whose_file_does_not_exist_is_an_error_at_the_photo() {
    let error = single_error(Site::new().file(
        "content/world/talks/index.md",
        "---\nheadline: Talks\ndate: 2025-05-19\nphoto:\n  src: missing.jpg\n  alt: A photo\n---\n",
    ));
    assert_eq!(error.location, "content/world/talks/index.md:5:3");
    assert_eq!(error.message, "the photo `missing.jpg` does not exist");
}

#[test]
fn markdown_image_that_does_not_exist_is_an_error_at_its_line() {
    let error = single_error(talks(
        "---\nheadline: Talks\ndate: 2025-05-19\n---\nIntro.\n\nText ![Map](map.png) here.\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:7:6"));
    assert_eq!(error.message, "the image `map.png` does not exist");
}

/// A JPEG cut off after its first header: what an interrupted copy leaves.
const TRUNCATED_JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00";

#[test]
fn photo_that_cannot_be_decoded_is_an_error_at_the_photo_naming_the_file() {
    let site = Site::new()
        .file(
            "content/world/talks/index.md",
            "---\nheadline: Talks\ndate: 2025-05-19\nphoto:\n  src: photo.jpg\n  alt: A photo\n---\n",
        )
        .file("content/world/talks/photo.jpg", TRUNCATED_JPEG);
    let error = single_error(site);
    assert_eq!(error.location, "content/world/talks/index.md:5:3");
    assert!(
        error.message.starts_with(
            "the photo `content/world/talks/photo.jpg` cannot be published: it is not a valid image"
        ),
        "{}",
        error.text
    );
    assert!(
        error
            .help
            .as_deref()
            .is_some_and(|h| h.contains("export it again")),
        "{}",
        error.text
    );
}

#[test]
fn photo_cut_short_after_its_header_is_an_error_not_a_grey_photo() {
    let whole = images::encoded(ImageFormat::Jpeg, 64, 48);
    let site = Site::new()
        .file(
            "content/world/talks/index.md",
            "---\nheadline: Talks\ndate: 2025-05-19\nphoto:\n  src: photo.jpg\n  alt: A photo\n---\n",
        )
        .file("content/world/talks/photo.jpg", &whole[..whole.len() / 2]);
    let error = single_error(site);
    assert_eq!(error.location, "content/world/talks/index.md:5:3");
    assert_eq!(
        error.message,
        "the photo `content/world/talks/photo.jpg` cannot be published: it is not a valid \
         image: the file ends before the picture does (an interrupted upload or copy?)"
    );
}

#[test]
fn markdown_image_of_an_unsupported_format_is_an_error_at_its_line() {
    let site = Site::new()
        .file(
            "content/world/talks/index.md",
            "---\nheadline: Talks\ndate: 2025-05-19\n---\nIntro.\n\nText ![Map](map.png) here.\n",
        )
        .file(
            "content/world/talks/map.png",
            b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        );
    let error = single_error(site);
    assert_eq!(error.location, "content/world/talks/index.md:7:6");
    assert_eq!(
        error.message,
        "the image `content/world/talks/map.png` cannot be published: \
         it is not a JPEG, PNG or WebP image"
    );
}

#[test]
fn image_that_no_story_shows_and_cannot_be_decoded_is_an_error_naming_it() {
    let site = Site::new()
        .file(
            "content/world/talks/index.md",
            "---\nheadline: Talks\ndate: 2025-05-19\n---\nBody.\n",
        )
        .file(
            "content/world/talks/spare.webp",
            b"RIFF\x04\x00\x00\x00WEBP",
        );
    let error = single_error(site);
    assert_eq!(error.location, "content/world/talks/spare.webp");
    assert!(
        error
            .message
            .starts_with("this image cannot be published: it is not a valid image"),
        "{}",
        error.text
    );
    assert!(
        error
            .help
            .as_deref()
            .is_some_and(|h| h.ends_with("or remove it")),
        "{}",
        error.text
    );
}

#[test]
fn link_to_a_missing_story_file_is_an_error_at_the_link() {
    let error = single_error(talks(
        "---\nheadline: Talks\ndate: 2025-05-19\n---\nFirst paragraph.\n\nSee [the vote](../politics/vote.md) too.\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:7:5"));
    assert_eq!(
        error.message,
        "the link `../politics/vote.md` points to a file that does not exist"
    );
    assert!(error.text.contains("7 | See [the vote]"), "{}", error.text);
}

#[test]
fn link_that_climbs_out_of_content_is_an_error() {
    let error = single_error(talks(
        "---\nheadline: Talks\ndate: 2025-05-19\n---\nSee [x](../../../site.md).\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:5:5"));
}

#[test]
fn two_stories_at_one_url_are_both_named() {
    let site = Site::new()
        .file(
            "content/world/talks.md",
            "---\nheadline: Talks\ndate: 2025-05-19\n---\nBody.\n",
        )
        .file(
            "content/world/other.md",
            "---\nheadline: Other talks\ndate: 2025-05-02\nslug: talks\n---\nBody.\n",
        );
    let run = failed_build(site);
    let errors = run.diagnostics();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert_eq!(run.error_count_line(), Some(2));
    let message = "two files would be published at /world/2025/05/talks/";
    assert_eq!(errors[0].location, "content/world/other.md:4:7");
    assert_eq!(errors[0].message, message);
    assert!(
        errors[0].help.as_deref().is_some_and(|h| h.contains(TALKS)),
        "{}",
        errors[0].text
    );
    assert_eq!(errors[1].location, format!("{TALKS}:2:11"));
    assert_eq!(errors[1].message, message);
    assert!(
        errors[1]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("content/world/other.md")),
        "{}",
        errors[1].text
    );
}

#[test]
fn page_at_the_url_of_a_listing_is_an_error() {
    let error = single_error(
        Site::new()
            .file(
                "content/world/talks.md",
                "---\nheadline: Talks\ndate: 2025-05-19\n---\nBody.\n",
            )
            .file(
                "content/tags.md",
                "---\nheadline: Tags\nlayout: page\n---\n",
            ),
    );
    assert_eq!(error.location, "content/tags.md:2:11");
    assert_eq!(error.message, "two files would be published at /tags/");
}

#[test]
fn story_outside_any_section_is_an_error() {
    let error = single_error(Site::new().file(
        "content/loose.md",
        "---\nheadline: Loose\ndate: 2025-05-19\n---\n",
    ));
    assert_eq!(error.location, "content/loose.md:2:11");
    assert_eq!(error.message, "the story has no section");
}

#[test]
fn front_matter_without_closing_fence_is_an_error() {
    let error = single_error(talks("---\nheadline: Talks\ndate: 2025-05-19\nBody.\n"));
    assert_eq!(error.location, format!("{TALKS}:1:1"));
    assert_eq!(
        error.message,
        "the front matter is never closed: add a `---` line after it"
    );
}

#[test]
fn empty_file_is_an_error() {
    let error = single_error(talks(""));
    assert!(
        error.location == TALKS || error.location == format!("{TALKS}:1:1"),
        "{}",
        error.text
    );
    assert_eq!(error.message, "the file is empty");
}

#[test]
fn whitespace_only_file_is_an_empty_file() {
    let error = single_error(talks("\n  \n\n"));
    assert_eq!(error.message, "the file is empty");
}

#[test]
fn file_not_starting_with_a_fence_is_an_error_at_line_one() {
    let error = single_error(talks("headline: Talks\ndate: 2025-05-19\n---\nBody.\n"));
    assert_eq!(error.location, format!("{TALKS}:1:1"));
    assert_eq!(
        error.message,
        "the file does not start with front matter (a `---` line)"
    );
}

#[test]
fn non_utf8_file_is_an_error_at_the_first_bad_byte_naming_its_letter() {
    let error = single_error(talks(
        b"---\nheadline: Talks\ndate: 2025-05-19\n---\nBody \xff\xfe here.\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:5:6"));
    assert_eq!(
        error.message,
        "the file is not UTF-8 text: it looks saved in the older Windows \"Western\" \
         encoding, where this byte is `ÿ`"
    );
    assert!(
        error.help.as_deref().is_some_and(|h| h.contains("UTF-8")),
        "{}",
        error.text
    );
    let utf16 = b"\xff\xfe-\x00-\x00-\x00\n\x00";
    let error = single_error(talks(utf16));
    assert_eq!(error.location, format!("{TALKS}:1:1"));
    assert!(error.message.contains("UTF-16"), "{}", error.text);
}

#[test]
fn errors_in_crlf_files_point_at_the_right_line() {
    let error = single_error(talks(
        "\u{feff}---\r\nheadline: Talks\r\ndate: 2025-05-19\r\nhedline: x\r\n---\r\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:4:1"));
}

#[test]
fn yaml_syntax_error_is_an_error_at_its_position() {
    let error = single_error(talks(
        "---\nheadline: \"unclosed\ndate: 2025-05-19\n---\nBody.\n",
    ));
    assert_eq!(error.location, format!("{TALKS}:2:11"));
    assert!(
        error
            .message
            .contains("the quote opened at 2:11 is never closed"),
        "{}",
        error.text
    );
}

#[test]
fn position_after_multibyte_text_is_counted_in_characters() {
    let error = single_error(talks(
        "---\nheadline: Ação\ndate: 2025-05-19\nextra: {nome: \"São\", x: [}\n---\n",
    ));
    let (_, position) = error.location.split_once(':').expect("a position");
    assert!(position.starts_with("4:"), "{}", error.text);
}

#[test]
fn unknown_key_in_site_toml_is_an_error_with_a_suggestion() {
    let site = Site::new().config("timezon = \"UTC\"").file(
        "content/world/talks.md",
        "---\nheadline: Talks\ndate: 2025-05-19\n---\n",
    );
    let error = single_error(site);
    assert_eq!(error.location, "site.toml:4:1");
    assert!(error.message.contains("`timezon`"), "{}", error.text);
    assert_eq!(error.help.as_deref(), Some("did you mean `timezone`?"));
}

#[test]
fn invalid_time_zone_is_an_error_at_its_line_in_site_toml() {
    let site = Site::new().file(
        "site.toml",
        "title = \"G\"\nbase_url = \"https://x.org/\"\ntimezone = \"Mars/Olympus\"\n",
    );
    let error = single_error(site);
    assert_eq!(error.location, "site.toml:3:1");
    assert_eq!(error.message, "unknown time zone `Mars/Olympus`");
    assert!(
        error
            .help
            .as_deref()
            .is_some_and(|h| h.contains("Europe/Lisbon")),
        "{}",
        error.text
    );
}

#[test]
fn every_invalid_value_of_site_toml_is_reported() {
    let site = Site::new().file(
        "site.toml",
        "title = \"G\"\nbase_url = \"x.org\"\ntimezone = \"Nowhere\"\npermalink = \"/:sektion/:slug/\"\npaginate = 0\n",
    );
    let run = failed_build(site);
    let locations: Vec<String> = run.diagnostics().into_iter().map(|d| d.location).collect();
    assert_eq!(
        locations,
        [
            "site.toml:2:1",
            "site.toml:3:1",
            "site.toml:4:1",
            "site.toml:5:1"
        ]
    );
    assert_eq!(run.error_count_line(), Some(4));
}

#[test]
fn missing_site_toml_is_an_error_that_mentions_root() {
    let site = Site::new().file(
        "content/world/talks.md",
        "---\nheadline: Talks\ndate: 2025-05-19\n---\n",
    );
    std::fs::remove_file(site.root().join("site.toml")).expect("remove site.toml");
    let error = single_error(site);
    assert_eq!(error.location, "site.toml");
    assert!(error.message.contains("does not exist"), "{}", error.text);
    assert!(
        error.help.as_deref().is_some_and(|h| h.contains("--root")),
        "{}",
        error.text
    );
}

#[test]
fn missing_content_folder_is_an_error() {
    let site = Site::new();
    std::fs::remove_dir(site.root().join("content")).expect("remove content/");
    let error = single_error(site);
    assert_eq!(error.location, "content");
    assert_eq!(error.message, "the site has no content/ folder");
}

#[test]
fn template_syntax_error_names_the_template_file_and_line() {
    let site = Site::new()
        .file(
            "content/world/talks.md",
            "---\nheadline: Talks\ndate: 2025-05-19\n---\n",
        )
        .file(
            "templates/story.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ story.headline }</h1>\n{% endblock main %}\n",
        );
    let error = single_error(site);
    assert_eq!(error.location, "templates/story.html:3:23");
    assert!(
        error.message.starts_with("template error:"),
        "{}",
        error.text
    );
}

#[test]
fn unknown_filter_in_a_template_names_the_template_file_line_and_column() {
    let site = Site::new()
        .file(
            "content/world/talks.md",
            "---\nheadline: Talks\ndate: 2025-05-19\n---\n",
        )
        .file(
            "templates/story.html",
            "{% extends \"base.html\" %}\n{% block main %}\n<h1>{{ story.headline | shout }}</h1>\n{% endblock main %}\n",
        );
    let error = single_error(site);
    assert_eq!(error.location, "templates/story.html:3:25");
    assert_eq!(error.message, "template error: Unknown filter `shout`");
}

#[test]
fn template_problems_found_across_templates_are_each_reported_at_their_line() {
    let site = Site::new()
        .file(
            "content/world/talks.md",
            "---\nheadline: Talks\ndate: 2025-05-19\n---\n",
        )
        .file(
            "templates/story.html",
            "{% extends \"base.html\" %}\n{% block aside %}{% endblock %}\n{% block main %}\n<h1>{{ story.headline | shout }}</h1>\n{% endblock main %}\n",
        );
    let reported: Vec<(String, String)> = failed_build(site)
        .diagnostics()
        .into_iter()
        .map(|d| (d.location, d.message))
        .collect();
    assert_eq!(
        reported,
        [
            (
                "templates/story.html:2:10".to_string(),
                "template error: Block `aside` is not defined in any parent template".to_string()
            ),
            (
                "templates/story.html:4:25".to_string(),
                "template error: Unknown filter `shout`".to_string()
            ),
        ]
    );
}

#[test]
fn template_rendering_error_names_the_template() {
    let site = Site::new()
        .file(
            "content/world/talks.md",
            "---\nheadline: Talks\ndate: 2025-05-19\n---\n",
        )
        .file(
            "templates/story.html",
            "<h1>{{ story.headline }}</h1>\n<p>{{ story.no_such_field.deeper }}</p>\n",
        );
    let error = single_error(site);
    assert!(
        error.location.starts_with("templates/story.html:2:"),
        "{}",
        error.text
    );
}

#[test]
fn errors_in_several_files_are_all_reported_in_one_run() {
    let site = Site::new()
        .file(
            "content/world/a.md",
            "---\nhedline: A\ndate: 2025-05-19\n---\n",
        )
        .file(
            "content/world/b.md",
            "---\nheadline: B\ndate: 2025-13-45\n---\n",
        )
        .file("content/politics/c.md", "---\ndate: 2025-05-19\n---\n")
        .file("content/politics/d.md", "no front matter\n")
        .file(
            "content/world/fine.md",
            "---\nheadline: Fine\ndate: 2025-05-19\n---\n",
        );
    let run = failed_build(site);
    let locations: Vec<String> = run.diagnostics().into_iter().map(|d| d.location).collect();
    assert_eq!(
        locations,
        [
            "content/politics/c.md:1:1",
            "content/politics/d.md:1:1",
            "content/world/a.md:2:1",
            "content/world/b.md:3:7",
        ]
    );
    assert_eq!(run.error_count_line(), Some(4));
}

#[test]
fn several_errors_in_one_file_are_all_reported() {
    let run = failed_build(talks(
        "---\nheadline: Talks\ndate: 2025-13-45\nupdated: never\nlayout: gallery\n---\n",
    ));
    let locations: Vec<String> = run.diagnostics().into_iter().map(|d| d.location).collect();
    assert_eq!(
        locations,
        [
            format!("{TALKS}:3:7"),
            format!("{TALKS}:4:10"),
            format!("{TALKS}:5:9")
        ]
    );
    assert_eq!(run.error_count_line(), Some(3));
}

#[test]
fn broken_links_and_missing_photos_in_several_files_are_all_reported() {
    let site = Site::new()
        .file(
            "content/world/a.md",
            "---\nheadline: A\ndate: 2025-05-19\n---\nSee [x](gone.md).\n",
        )
        .file(
            "content/world/b/index.md",
            "---\nheadline: B\ndate: 2025-05-19\nphoto: {src: nope.jpg, alt: x}\n---\n",
        )
        .file(
            "content/politics/c.md",
            "---\nheadline: C\ndate: 2025-05-19\n---\n![x](nope.png)\n",
        );
    let run = failed_build(site);
    let locations: Vec<String> = run.diagnostics().into_iter().map(|d| d.location).collect();
    assert_eq!(
        locations,
        [
            "content/politics/c.md:5:1",
            "content/world/a.md:5:5",
            "content/world/b/index.md:4:8",
        ]
    );
    assert_eq!(run.error_count_line(), Some(3));
}

#[test]
fn template_error_and_story_error_are_reported_together() {
    let site = Site::new()
        .file(
            "content/world/a.md",
            "---\nhedline: A\ndate: 2025-05-19\n---\n",
        )
        .file("templates/story.html", "{{ story.headline }\n");
    let run = failed_build(site);
    let locations: Vec<String> = run.diagnostics().into_iter().map(|d| d.location).collect();
    assert_eq!(
        locations,
        ["content/world/a.md:2:1", "templates/story.html:1:19"]
    );
}

#[test]
fn link_errors_are_reported_with_front_matter_errors_of_other_files() {
    let site = Site::new()
        .file(
            "content/world/a.md",
            "---\nhedline: A\ndate: 2025-05-19\n---\n",
        )
        .file(
            "content/world/b.md",
            "---\nheadline: B\ndate: 2025-05-19\n---\nSee [x](gone.md).\n",
        );
    let run = failed_build(site);
    let locations: Vec<String> = run.diagnostics().into_iter().map(|d| d.location).collect();
    assert_eq!(
        locations,
        ["content/world/a.md:2:1", "content/world/b.md:5:5"]
    );
    assert_eq!(run.error_count_line(), Some(2));
}

#[test]
fn non_utf8_file_is_reported_with_front_matter_errors_of_other_files() {
    let site = Site::new()
        .file(
            "content/world/a.md",
            "---\nhedline: A\ndate: 2025-05-19\n---\n",
        )
        .file(
            "content/world/b.md",
            b"---\nheadline: \xff\ndate: 2025-05-19\n---\n",
        );
    let run = failed_build(site);
    let locations: Vec<String> = run.diagnostics().into_iter().map(|d| d.location).collect();
    assert_eq!(
        locations,
        ["content/world/a.md:2:1", "content/world/b.md:2:11"]
    );
    assert_eq!(run.error_count_line(), Some(2));
}

#[test]
fn link_to_a_draft_or_scheduled_story_says_it_is_not_published() {
    let site = Site::new()
        .file(
            "content/world/plan.md",
            "---\nheadline: Plan\ndate: 2025-05-19\ndraft: true\n---\n",
        )
        .file(
            "content/world/later.md",
            "---\nheadline: Later\ndate: 2026-06-01\n---\n",
        )
        .file(
            "content/world/talks.md",
            "---\nheadline: Talks\ndate: 2025-05-20\n---\nSee [the plan](plan.md).\n\nAnd [later](later.md).\n",
        );
    let run = failed_build(site);
    let errors = run.diagnostics();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert_eq!(errors[0].location, format!("{TALKS}:5:5"));
    assert_eq!(
        errors[0].message,
        "the link `plan.md` points to a story that is not published"
    );
    assert!(
        errors[0]
            .help
            .as_deref()
            .is_some_and(|h| h.contains("draft")),
        "{}",
        errors[0].text
    );
    assert_eq!(errors[1].location, format!("{TALKS}:7:5"));
    assert_eq!(
        errors[1].message,
        "the link `later.md` points to a story that is not published"
    );
}

#[test]
fn link_to_a_draft_is_fine_when_drafts_are_published() {
    let site = Site::new()
        .file(
            "content/world/plan.md",
            "---\nheadline: Plan\ndate: 2025-05-19\ndraft: true\n---\n",
        )
        .file(
            "content/world/talks.md",
            "---\nheadline: Talks\ndate: 2025-05-20\n---\nSee [the plan](plan.md).\n",
        );
    let run = site.build_with(&["--drafts"]);
    run.assert_success();
    assert_eq!(
        run.page("/world/2025/05/talks/")
            .attr(".story-body a", "href"),
        "/world/2025/05/plan/"
    );
}

#[test]
fn every_unknown_key_of_a_file_is_reported_at_once() {
    let run = failed_build(talks(
        "---\nhedline: Talks\ndate: 2025-05-19\nauthr: Ana\ntgas: [a]\n---\n",
    ));
    let errors = run.diagnostics();
    let found: Vec<(&str, &str, Option<&str>)> = errors
        .iter()
        .map(|e| (e.location.as_str(), e.message.as_str(), e.help.as_deref()))
        .collect();
    let expected = [
        (
            "content/world/talks.md:2:1",
            "unknown front matter key `hedline`",
            Some("did you mean `headline`?"),
        ),
        (
            "content/world/talks.md:4:1",
            "unknown front matter key `authr`",
            Some("did you mean `author`?"),
        ),
        (
            "content/world/talks.md:5:1",
            "unknown front matter key `tgas`",
            Some("did you mean `tags`?"),
        ),
    ];
    assert_eq!(found, expected);
    assert_eq!(run.error_count_line(), Some(3));
}

#[test]
fn link_to_a_file_that_failed_to_parse_is_not_reported_again() {
    let site = Site::new()
        .file(
            "content/world/a.md",
            "---\nhedline: A\ndate: 2025-05-19\n---\n",
        )
        .file(
            "content/world/b.md",
            "---\nheadline: B\ndate: 2025-05-19\n---\nSee [a](a.md).\n",
        );
    let run = failed_build(site);
    let locations: Vec<String> = run.diagnostics().into_iter().map(|d| d.location).collect();
    assert_eq!(locations, ["content/world/a.md:2:1"]);
}

#[cfg(unix)]
#[test]
fn content_symlink_to_a_file_outside_the_site_is_refused() {
    let outside = Site::empty().file("secret.md", "---\nheadline: S\ndate: 2025-05-19\n---\n");
    let site = Site::new().file(
        "content/world/talks.md",
        "---\nheadline: Talks\ndate: 2025-05-19\n---\n",
    );
    std::os::unix::fs::symlink(
        outside.root().join("secret.md"),
        site.root().join("content/world/secret.md"),
    )
    .expect("create a symlink");
    let error = single_error(site);
    assert_eq!(error.location, "content/world/secret.md");
    assert_eq!(error.message, "this link points outside the site folder");
}

#[cfg(unix)]
#[test]
fn skipped_symlinked_folder_is_reported_as_a_warning() {
    let outside = Site::empty().file(
        "more/story.md",
        "---\nheadline: More\ndate: 2025-05-19\n---\n",
    );
    let site = Site::new().file(
        "content/world/talks.md",
        "---\nheadline: Talks\ndek: Why it matters.\ndate: 2025-05-19\n---\n",
    );
    std::os::unix::fs::symlink(
        outside.root().join("more"),
        site.root().join("content/more"),
    )
    .expect("create a symlink");
    let run = site.build();
    run.assert_success();
    let warnings = run.diagnostics();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert_eq!(warnings[0].severity, "warning");
    assert_eq!(warnings[0].location, "content/more");
    assert_eq!(warnings[0].message, "links to folders are not followed");
}

#[test]
fn section_whose_name_makes_no_address_is_refused() {
    // Its listing would be published at `//`, over the front page.
    let site = Site::new().file(
        "content/¿?/talks.md",
        "---\nheadline: Talks\ndate: 2025-05-19\n---\n",
    );
    let error = single_error(site);
    assert_eq!(error.location, "content/¿?/talks.md:2:11");
    assert!(
        error.message.contains("no letter or digit"),
        "{}",
        error.text
    );
}

#[test]
fn a_section_a_spelling_away_from_a_listed_one_is_an_error_with_the_right_name() {
    let site = talks("---\nheadline: Talks\nsection: Wolrd\ndate: 2025-05-19 10:00\n---\nBody.\n")
        .config("sections = [\"World\", \"Politics\"]");
    let error = single_error(site);
    assert_eq!(
        error.message,
        "the section `Wolrd` is not in site.toml's `sections`; did you mean `World`?"
    );
    assert_eq!(
        error.location,
        format!("{TALKS}:3:10"),
        "at `section:`'s value"
    );
    // A name far from every listed section is a new section, not a typo.
    let site =
        talks("---\nheadline: Talks\nsection: Science\ndate: 2025-05-19 10:00\n---\nBody.\n")
            .config("sections = [\"World\", \"Politics\"]");
    site.build().assert_success();
}

#[test]
fn an_authors_entry_that_matches_no_byline_is_a_warning_naming_the_nearest() {
    let site =
        talks("---\nheadline: Talks\nauthor: Nadia Rahman\ndate: 2025-05-19 10:00\n---\nBody.\n")
            .config("[authors.\"Nadia Rahmen\"]\nbio = \"Reports on Europe.\"\n");
    let (code, report) = site.check_json(&[]);
    assert_eq!(code, 0, "{report}");
    let message = "`[authors.\"Nadia Rahmen\"]` matches no story's byline";
    let diagnostics = report["diagnostics"].as_array().expect("a list");
    let warning = diagnostics
        .iter()
        .find(|d| d["message"] == message)
        .unwrap_or_else(|| panic!("no warning about the entry: {report}"));
    assert_eq!(warning["file"], "site.toml");
    assert_eq!(warning["line"], 4);
    assert_eq!(
        warning["help"],
        "did you mean `Nadia Rahman`, as the stories spell it?"
    );
}
