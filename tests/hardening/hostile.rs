//! Hostile content: bidirectional controls that reorder text are refused at their character, `</script>` cannot leave
//! the JSON-LD block, `unsafe_html = false` strips raw HTML from bodies, and no setting can
//! send a page out of the output folder.

use scraper::{Html, Selector};

use crate::harness::{Site, dateline};
use crate::support::{build_in_process, site};

/// The embeddings and overrides, which reorder the text after them.
const REORDERING: [char; 4] = ['\u{202a}', '\u{202b}', '\u{202d}', '\u{202e}'];

/// Each front matter text field, with `{}` where the character goes.
const FIELDS: [(&str, &str); 5] = [
    ("headline", "headline: \"{}\"\ndate: 2025-05-19"),
    ("dek", "headline: Talks\ndate: 2025-05-19\ndek: \"{}\""),
    (
        "author",
        "headline: Talks\ndate: 2025-05-19\nauthor: \"Ana{}\"",
    ),
    ("tags", "headline: Talks\ndate: 2025-05-19\ntags: [\"x{}\"]"),
    (
        "photo alt",
        "headline: Talks\ndate: 2025-05-19\nphoto: {src: /a.jpg, alt: \"a{}\"}",
    ),
];

#[test]
fn reordering_controls_in_any_front_matter_text_are_refused_at_their_character() {
    for (key, front) in FIELDS {
        for control in REORDERING {
            // Both the raw character and its YAML escape decode to the same text; the raw
            // character is pointed at exactly, the escape at its value.
            for written in [control.to_string(), format!("\\u{:04X}", control as u32)] {
                let text = format!("---\n{}\n---\nBody.\n", front.replace("{}", &written));
                let dir = site(&[("content/world/odd.md", text.as_bytes())]);
                let run = dateline(dir.root()).args(["build"]).run();
                assert_eq!(run.code, Some(1), "{key} {written:?}: {}", run.stderr);
                assert!(run.stderr.contains("reorders"), "{key}: {}", run.stderr);
                let line = text
                    .lines()
                    .position(|l| l.contains(&written))
                    .expect("line");
                let at = match written.chars().count() {
                    1 => {
                        let in_line = &text.lines().nth(line).expect("line");
                        let byte = in_line.find(&written).expect("column");
                        format!(":{}:{}", line + 1, in_line[..byte].chars().count() + 1)
                    }
                    _ => format!(":{}:", line + 1),
                };
                assert!(
                    run.stderr.contains(&format!("content/world/odd.md{at}")),
                    "{key} not at {at}: {}",
                    run.stderr
                );
                assert!(!dir.root().join("public").exists());
            }
        }
    }
}

/// The W3C's way of putting a left-to-right name into right-to-left text, and the marks,
/// are published as written.
#[test]
fn isolates_and_direction_marks_are_published_as_written() {
    let headline = "\u{5e0}\u{5ea}\u{5e0}\u{5d9}\u{5d4}\u{5d5} \u{2066}Zelensky\u{2069} \u{5d0}\u{5de}\u{5e8}\u{200f}";
    let dek = "\u{627}\u{644}\u{631}\u{626}\u{64a}\u{633} \u{2067}\u{2066}Kyiv 2025\u{2069}\u{2069}\u{200e}";
    let story =
        format!("---\nheadline: \"{headline}\"\ndek: \"{dek}\"\ndate: 2025-05-19\n---\nBody.\n");
    let dir = site(&[("content/world/rtl.md", story.as_bytes())]);
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(!run.stderr.contains("warning"), "{}", run.stderr);
    let page = dir.read("public/world/2025/05/rtl/index.html");
    assert!(page.contains(headline), "{page}");
    assert!(page.contains(dek), "{page}");
}

/// A pop that closes nothing cannot change the display: it is removed with a warning at its
/// own character, also inside `photo` (seen in a real archive: a stray U+202C in a photo's alt
/// text and caption, pasted from elsewhere).
#[test]
fn a_stray_pop_is_removed_with_a_warning_at_its_character() {
    let story = "---\nheadline: Quay\ndate: 2025-05-19\nphoto:\n  src: /a.jpg\n  \
                 alt: \"A quay at \u{2066}Kyiv\u{2069} dawn\u{202c}\"\n  caption: Fishing boats\u{202c} return\n  \
                 credit: Ana\u{2069}\n---\nBody.\n";
    let dir = site(&[("content/world/quay.md", story.as_bytes())]);
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for at in [":6:30", ":7:25", ":8:14"] {
        assert!(
            run.stderr.contains(&format!("content/world/quay.md{at}")),
            "no warning at {at}: {}",
            run.stderr
        );
    }
    assert_eq!(
        run.stderr.matches("closes nothing").count(),
        3,
        "{}",
        run.stderr
    );
    let page = dir.read("public/world/2025/05/quay/index.html");
    assert!(page.contains("Fishing boats return"), "{page}");
    assert!(page.contains("\u{2066}Kyiv\u{2069} dawn\""), "{page}");
    assert!(
        !page.contains('\u{202c}') && !page.contains("Ana\u{2069}"),
        "{page}"
    );
}

/// An isolate never closed would also isolate what follows the value in a `<title>` or a
/// feed: it is closed at the end of the value, with a warning.
#[test]
fn an_unclosed_isolate_is_closed_at_the_end_of_its_value() {
    let story = "---\nheadline: \"\u{5e9}\u{5dc}\u{5d5}\u{5dd} \u{2066}Kyiv\"\ndate: 2025-05-19\n---\nBody.\n";
    let dir = site(&[("content/world/open.md", story.as_bytes())]);
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stderr.contains("content/world/open.md:2:17"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("never closed"), "{}", run.stderr);
    let page = dir.read("public/world/2025/05/open/index.html");
    assert!(page.contains("\u{2066}Kyiv\u{2069}"), "{page}");
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
