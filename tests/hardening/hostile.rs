//! Hostile content: bidirectional controls are refused at their line, `</script>` cannot leave
//! the JSON-LD block, `unsafe_html = false` strips raw HTML from bodies, and no setting can
//! send a page out of the output folder.

use scraper::{Html, Selector};

use crate::harness::{Site, dateline};
use crate::support::{build_in_process, site};

const BIDI: [char; 9] = [
    '\u{202a}', '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2066}', '\u{2067}', '\u{2068}',
    '\u{2069}',
];

#[test]
fn bidi_controls_in_any_front_matter_text_are_refused_at_their_line() {
    let fields = [
        ("headline", "headline: \"{}\"\ndate: 2025-05-19"),
        ("dek", "headline: Talks\ndate: 2025-05-19\ndek: \"{}\""),
        (
            "author",
            "headline: Talks\ndate: 2025-05-19\nauthor: \"Ana{}\"",
        ),
        ("tags", "headline: Talks\ndate: 2025-05-19\ntags: [\"x{}\"]"),
        (
            "photo",
            "headline: Talks\ndate: 2025-05-19\nphoto: {src: /a.jpg, alt: \"a{}\"}",
        ),
    ];
    for (key, front) in fields {
        for bidi in BIDI {
            // Both the raw character and its YAML escape decode to the same text.
            for written in [bidi.to_string(), format!("\\u{:04X}", bidi as u32)] {
                let text = format!("---\n{}\n---\nBody.\n", front.replace("{}", &written));
                let dir = site(&[("content/world/odd.md", text.as_bytes())]);
                let run = dateline(dir.root()).args(["build"]).run();
                assert_eq!(run.code, Some(1), "{key} {written:?}: {}", run.stderr);
                assert!(
                    run.stderr.contains("bidirectional"),
                    "{key}: {}",
                    run.stderr
                );
                let line = text
                    .lines()
                    .position(|l| l.contains(&written))
                    .expect("the line")
                    + 1;
                assert!(
                    run.stderr
                        .contains(&format!("content/world/odd.md:{line}:")),
                    "{key} not at line {line}: {}",
                    run.stderr
                );
                assert!(!dir.root().join("public").exists());
            }
        }
    }
}

#[test]
fn closing_script_tag_in_a_headline_stays_inside_the_json_ld() {
    let story =
        "---\nheadline: \"</script><script>alert(1)</script><!--\"\ndate: 2025-05-19\n---\nBody.\n";
    let dir = site(&[("content/world/odd.md", story.as_bytes())]);
    let files = build_in_process(dir.root()).expect("builds");
    let html = String::from_utf8(files["world/2025/05/odd/index.html"].clone()).expect("UTF-8");
    let page = Html::parse_document(&html);
    let scripts: Vec<_> = page
        .select(&Selector::parse("script").expect("selector"))
        .collect();
    assert_eq!(scripts.len(), 1, "{html}");
    let json: serde_json::Value =
        serde_json::from_str(&scripts[0].text().collect::<String>()).expect("JSON-LD parses");
    assert_eq!(json["headline"], "</script><script>alert(1)</script><!--");
}

const RAW_HTML_BODY: &str = "---\nheadline: Talks\ndate: 2025-05-19\n---\n\
    Before <script>alert(1)</script> after.\n\n<div onclick=\"x()\">block</div>\n\n\
    <iframe src=\"https://evil.example\"></iframe>\n\nThe *end*.\n";

fn body_of(site_toml_extra: &str) -> Html {
    let dir = site(&[("content/world/odd.md", RAW_HTML_BODY.as_bytes())]);
    let toml = format!("{}{site_toml_extra}", crate::support::SITE_TOML);
    std::fs::write(dir.root().join("site.toml"), toml).expect("write site.toml");
    let files = build_in_process(dir.root()).expect("builds");
    let html = String::from_utf8(files["world/2025/05/odd/index.html"].clone()).expect("UTF-8");
    Html::parse_document(&html)
}

fn count(page: &Html, selector: &str) -> usize {
    page.select(&Selector::parse(selector).expect("selector"))
        .count()
}

#[test]
fn raw_html_in_bodies_is_kept_by_default() {
    let page = body_of("");
    assert_eq!(count(&page, ".story-body script"), 1);
    assert_eq!(count(&page, ".story-body div[onclick]"), 1);
}

#[test]
fn unsafe_html_false_strips_raw_html_from_bodies() {
    let page = body_of("unsafe_html = false\n");
    assert_eq!(count(&page, ".story-body script"), 0);
    assert_eq!(count(&page, ".story-body [onclick]"), 0);
    assert_eq!(count(&page, ".story-body iframe"), 0);
    assert_eq!(count(&page, ".story-body em"), 1, "Markdown still renders");
    let text: String = page
        .select(&Selector::parse(".story-body").expect("selector"))
        .flat_map(|e| e.text())
        .collect();
    assert!(text.contains("Before"), "{text}");
    assert!(text.contains("after."), "{text}");
}

#[test]
fn a_permalink_pattern_that_leads_out_of_the_site_is_refused_and_nothing_is_written() {
    let outer = Site::empty();
    let dir = site(&[(
        "content/world/talks.md",
        b"---\nheadline: Talks\ndate: 2025-05-19\n---\nBody.\n",
    )]);
    let config = std::fs::read_to_string(dir.root().join("site.toml")).expect("site.toml");
    let escape = format!("/../../../../../../../..{}/:slug/", outer.root().display());
    let config = format!("permalink = \"{escape}\"\n{config}");
    std::fs::write(dir.root().join("site.toml"), config).expect("write site.toml");
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(run.stderr.contains("site.toml:1:"), "{}", run.stderr);
    assert!(run.stderr.contains("inside the site"), "{}", run.stderr);
    assert_eq!(std::fs::read_dir(outer.root()).expect("read").count(), 0);
    assert!(!dir.root().join("public").exists());
}
