//! The mistakes editors make, as a table: text pasted from Word, Google Docs and phones,
//! habits from other tools, typos in names. Each is written into one story of a site whose
//! previous build is in `public/`, then `dateline check` says what the editor is told and
//! `dateline build` what readers get. For every row the test proves one of three outcomes:
//!
//! - **stops**: exit 1, each error at a `file:line:col`, and `public/` untouched;
//! - **publishes**: exit 0 and the page shows exactly the text the writer meant;
//! - **holds**: exit 0 and the story is not published yet (a draft or a future date), said
//!   in a warning;
//! - **warns**: exit 0, the page shows what Markdown or YAML made of the text (not what the
//!   writer may have meant), and a warning at its line says so and how to change it.
//!
//! The snapshot (`snapshots/cli__editor_mistakes__table.snap`) shows each row's messages for
//! a person to review when wording changes (without the style warnings every row would repeat:
//! no dek, no photo credit, the site's one author entry unused).

use std::fmt::Write as _;

use image::ImageFormat;

use crate::harness::{NOW, Page, Reported, Site};

/// A site with two sections, one author entry, and a story folder with its photo.
const CONFIG: &str = "title = \"Gazette\"\nbase_url = \"https://g.example/\"\n\
                      sections = [\"World\", \"Sport\"]\n\n\
                      [authors.\"Ana Lopes\"]\nbio = \"Reporter in Kyiv.\"\n";
const STORY: &str = "content/world/talks/index.md";
const PAGE: &str = "public/world/2025/05/talks/index.html";

enum Outcome {
    Stops,
    /// The build succeeds and the element (a CSS selector, `@attr` for an attribute) shows
    /// this text.
    Publishes(&'static str, &'static str),
    Holds,
    /// The build succeeds with a located warning, and the element shows this text.
    Warns(&'static str, &'static str),
}
use Outcome::{Holds, Publishes, Stops, Warns};

struct Mistake {
    what: &'static str,
    /// The whole story file.
    story: &'static str,
    outcome: Outcome,
}

const fn mistake(what: &'static str, story: &'static str, outcome: Outcome) -> Mistake {
    Mistake {
        what,
        story,
        outcome,
    }
}

const MISTAKES: &[Mistake] = &[
    mistake(
        "a hashtag in an unquoted dek",
        "---\nheadline: Talks resume\ndek: Talks lasted two hours #Istanbul, no cease-fire\ndate: 2025-05-19\n---\nText.\n",
        Publishes("p.story-dek", "Talks lasted two hours"),
    ),
    mistake(
        "typographic quotes around the headline (Word, phones)",
        "---\nheadline: “Ukraine and Russia agree to swap prisoners”\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "typographic quotes around a dek holding a colon",
        "---\nheadline: Talks resume\ndek: “Zelensky: ‘We are ready’” says the president\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "straight quotes inside straight quotes, as meant",
        "---\nheadline: '“We are ready,” says Zelensky'\ndate: 2025-05-19\n---\nText.\n",
        Publishes("h1.story-headline", "“We are ready,” says Zelensky"),
    ),
    mistake(
        "a colon and space inside an unquoted headline",
        "---\nheadline: Istanbul talks: no cease-fire\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a closing quote forgotten",
        "---\nheadline: \"Talks resume in Istanbul\ndek: Two hours\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "text after the closing quote",
        "---\nheadline: \"Ready\" says Zelensky\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "an apostrophe-quoted value with an apostrophe inside",
        "---\nheadline: 'Kyiv's mayor speaks'\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a tab before a key",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n\tsrc: quay.jpg\n\talt: A quay\n---\nText.\n",
        Stops,
    ),
    mistake(
        "one space less before `alt:`",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n  src: quay.jpg\n alt: A quay\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a no-break space after the colon (phones, Word)",
        "---\nheadline:\u{a0}Talks resume\ndate:\u{a0}2025-05-19\n---\nText.\n",
        Publishes("h1.story-headline", "Talks resume"),
    ),
    mistake(
        "a no-break space inside a name, kept as written",
        "---\nheadline: Talks resume\nauthor: Ana\u{a0}Lopes\ndate: 2025-05-19\n---\nText.\n",
        Publishes(".story-byline", "By Ana\u{a0}Lopes"),
    ),
    mistake(
        "a key misspelt",
        "---\nheadline: Talks resume\nauhtor: Ana Lopes\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a key capitalised by a phone",
        "---\nHeadline: Talks resume\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "`title:` from Hugo or WordPress habits",
        "---\ntitle: Talks resume\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "tags written as a sentence",
        "---\nheadline: Talks resume\ndate: 2025-05-19\ntags: Ukraine, Russia, Diplomacy\n---\nText.\n",
        Stops,
    ),
    mistake(
        "typographic quotes around a name in a bracketed list",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nauthors: [Ana Lopes, “Nadia Rahman”]\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a list item without its space",
        "---\nheadline: Talks resume\ndate: 2025-05-19\ntags:\n  -Ukraine\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a date in words",
        "---\nheadline: Talks resume\ndate: March 3, 2025\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a day-first date",
        "---\nheadline: Talks resume\ndate: 19/05/2025\n---\nText.\n",
        Stops,
    ),
    mistake(
        "dashes in the date turned into en dashes",
        "---\nheadline: Talks resume\ndate: 2025–05–19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a time written as 6pm",
        "---\nheadline: Talks resume\ndate: 2025-05-19 6pm\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a year typed wrong, 2052 for 2025",
        "---\nheadline: Talks resume\ndek: Two hours\ndate: 2052-05-19\n---\nText.\n",
        Holds,
    ),
    mistake(
        "a section misspelt",
        "---\nheadline: Talks resume\nsection: Wolrd\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a byline with a name site.toml spells otherwise, kept as written",
        "---\nheadline: Talks resume\nauthor: Ana Lopez\ndate: 2025-05-19\n---\nText.\n",
        Publishes(".story-byline", "By Ana Lopez"),
    ),
    mistake(
        "the headline left empty",
        "---\nheadline:\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a headline that starts with a word in brackets",
        "---\nheadline: [Live] Talks resume\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a headline that starts with `!`",
        "---\nheadline: !Breaking talks resume\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a headline that starts with `&`",
        "---\nheadline: &Co sold to investors\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a headline that starts with `*`",
        "---\nheadline: *Updated* Talks resume\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a headline that starts with `@`",
        "---\nheadline: @Zelensky says talks resume\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a headline that YAML could read as a yes or no",
        "---\nheadline: No\ndek: Off\ndate: 2025-05-19\n---\nText.\n",
        Publishes("h1.story-headline", "No"),
    ),
    mistake(
        "a key written twice",
        "---\nheadline: Talks resume\nheadline: Talks resume in Istanbul\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "the fences turned into dashes by Word",
        "—-\nheadline: Talks resume\ndate: 2025-05-19\n—-\nText.\n",
        Stops,
    ),
    mistake(
        "the closing fence forgotten",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nText.\n",
        Stops,
    ),
    mistake(
        "a photo on the writer's computer",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n  src: C:\\Users\\ana\\Pictures\\quay.jpg\n  alt: A quay\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a photo without alt text",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n  src: quay.jpg\n  credit: Ana Lopes\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a photo key misspelt",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n  src: quay.jpg\n  alt: A quay\n  credt: Ana Lopes\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a photo file that is not there",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n  src: quay-at-dawn.jpg\n  alt: A quay\n---\nText.\n",
        Stops,
    ),
    mistake(
        "an invisible right-to-left override pasted into a headline",
        "---\nheadline: Talks \u{202e}resume\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "an invisible stray pop pasted at the end of alt text",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n  src: quay.jpg\n  alt: A quay at dawn\u{202c}\n---\nText.\n",
        Publishes("figure img@alt", "A quay at dawn"),
    ),
    mistake(
        "a Latin name isolated inside a Hebrew headline, as W3C recommends",
        "---\nheadline: שיחות עם \u{2066}Zelensky\u{2069} נמשכות\ndate: 2025-05-19\n---\nText.\n",
        Publishes(
            "h1.story-headline",
            "שיחות עם \u{2066}Zelensky\u{2069} נמשכות",
        ),
    ),
    mistake(
        "a link to a story whose file name is misspelt",
        "---\nheadline: Talks resume\ndate: 2025-05-19\n---\nSee [the first round](../talsk-first-round.md).\n",
        Stops,
    ),
    mistake(
        "an image in the text that is not there",
        "---\nheadline: Talks resume\ndate: 2025-05-19\n---\n![The quay](quay-at-night.jpg)\n",
        Stops,
    ),
    mistake(
        "a photo path from Windows Explorer",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n  src: D:/Fotos/quay.jpg\n  alt: A quay\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a key left without its value",
        "---\nheadline: Talks resume\ndate:\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a date written twice",
        "---\nheadline: Talks resume\ndate: 2025-05-19\ndate: 2025-05-20\n---\nText.\n",
        Stops,
    ),
    mistake(
        "an image in the text without alt text",
        "---\nheadline: Talks resume\ndate: 2025-05-19\n---\n![](quay.jpg)\n",
        Stops,
    ),
    mistake(
        "a decorative image in the text, marked as such",
        "---\nheadline: Talks resume\ndate: 2025-05-19\n---\n![decorative](quay.jpg)\n",
        Publishes(".story-body img@alt", ""),
    ),
    mistake(
        "a photo name with capitals the file has not",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n  src: Quay.JPG\n  alt: A quay\n---\nText.\n",
        Stops,
    ),
    mistake(
        "a link to a page of the site that was never published",
        "---\nheadline: Talks resume\ndate: 2025-05-19\n---\nFollow our [live blog](/world/2025/05/live-blog/).\n",
        Stops,
    ),
    mistake(
        "HTML pasted from Word, with a `<span>` never closed",
        "---\nheadline: Talks resume\ndate: 2025-05-19\n---\nThe minister <span style=\"mso-bidi-font-weight:bold\">spoke<o:p></o:p>.\n\nAfter the talks.\n",
        Publishes(".story-body p:first-child", "The minister spoke."),
    ),
    mistake(
        "a hashtag as the whole headline",
        "---\nheadline: #Breaking news\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "an HTML comment left open in a paragraph",
        "---\nheadline: Talks resume\ndate: 2025-05-19\n---\nDelegations met. <!-- check the figure with Ana\n\nThey agreed.\n",
        Stops,
    ),
    mistake(
        "paragraphs indented with a tab, as Word does",
        "---\nheadline: Talks resume\ndate: 2025-05-19\n---\nDelegations met.\n\n\tThey agreed to meet again.\n",
        Warns(".story-body pre", "They agreed to meet again."),
    ),
    mistake(
        "a no-break space between the date and the time",
        "---\nheadline: Talks resume\ndate: 2025-05-19\u{a0}10:00\n---\nText.\n",
        Publishes("h1.story-headline", "Talks resume"),
    ),
    mistake(
        "an invisible zero-width space inside a byline",
        "---\nheadline: Talks resume\nauthor: \"Ana\u{200b} Lopes\"\ndate: 2025-05-19\n---\nText.\n",
        Warns(".story-byline", "By Ana Lopes"),
    ),
    mistake(
        "an invisible right-to-left override pasted into the text",
        "---\nheadline: Talks resume\ndate: 2025-05-19\n---\nThe talks \u{202e}ended at noon.\n",
        Stops,
    ),
    mistake(
        "a Windows path in double quotes",
        "---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n  src: \"C:\\Users\\ana\\quay.jpg\"\n  alt: A quay\n---\nText.\n",
        Stops,
    ),
    mistake(
        "an HTML <details> box never closed",
        "---\nheadline: Talks resume\ndate: 2025-05-19\n---\n<details><summary>Background</summary>\n\nThe talks began in 2022.\n\nThey resumed today.\n",
        Stops,
    ),
    mistake(
        "a list meant for the dek",
        "---\nheadline: Talks resume\ndek:\n  - Two hours\n  - No deal\ndate: 2025-05-19\n---\nText.\n",
        Stops,
    ),
    mistake(
        "three mistakes in one story",
        "---\nheadline: “Talks resume”\nauhtor: Ana Lopes\ndate: March 3, 2025\n---\nText.\n",
        Stops,
    ),
];

/// Files that are not UTF-8 text, as Word and Notepad save them.
const ENCODINGS: &[(&str, &[u8])] = &[
    (
        "saved in the Windows \"Western\" encoding",
        b"---\nheadline: Caf\xe9 owners protest\ndate: 2025-05-19\n---\nText.\n",
    ),
    (
        "saved as UTF-16 (\"Unicode\" in Word)",
        b"\xff\xfe-\x00-\x00-\x00\n\x00h\x00",
    ),
];

/// Files that editors' tools write differently and that mean the same.
const SAME_MEANING: &[(&str, &[u8])] = &[
    (
        "a byte-order mark and Windows line ends (Notepad)",
        b"\xef\xbb\xbf---\r\nheadline: Talks resume\r\ndate: 2025-05-19\r\n---\r\nText.\r\n",
    ),
    (
        "a curly apostrophe inside an unquoted headline",
        "---\nheadline: Kyiv’s mayor speaks\ndate: 2025-05-19\n---\nText.\n".as_bytes(),
    ),
];

/// Style warnings that most rows would repeat and none is about: left out of the table.
const UNRELATED: &[&str] = &[
    "the story has no dek",
    "the photo has no credit",
    "`[authors.\"Ana Lopes\"]` matches no story's byline",
];

/// A site with a previous build in `public/`, the story's photo beside it and `story` written.
fn site_with(story: &[u8]) -> Site {
    Site::with_config(CONFIG)
        .previous_public()
        .file(
            "content/world/talks/quay.jpg",
            crate::images::encoded(ImageFormat::Jpeg, 64, 48),
        )
        .file(STORY, story)
}

/// What one row says: `check`'s diagnostics, and the build's outcome proven.
fn row(what: &str, story: &[u8], outcome: &Outcome) -> String {
    let site = site_with(story);
    let check = site.dateline(&["check", "--now", NOW]);
    let build = site.build();
    let said = check.diagnostics();
    let mut text = format!("## {what}\n{}\n", shown(story));
    match outcome {
        Stops => {
            assert_eq!(build.code, Some(1), "{what}: {}", build.stderr);
            assert_eq!(check.code, Some(1), "{what}: {}", check.stderr);
            assert_eq!(
                site.read("public/index.html"),
                "<p>previous front page</p>\n",
                "{what}: public/ changed"
            );
            for error in said.iter().filter(|d| d.severity == "error") {
                assert!(
                    error.location.matches(':').count() == 2,
                    "{what}: an error without line and column: {}",
                    error.text
                );
            }
            text.push_str("→ exit 1, nothing published\n");
        }
        Warns(css, shown) => {
            assert_eq!(build.code, Some(0), "{what}: {}", build.stderr);
            let related = said
                .iter()
                .filter(|d| d.severity == "warning" && !UNRELATED.contains(&d.message.as_str()));
            assert!(
                related
                    .clone()
                    .any(|d| d.location.matches(':').count() == 2),
                "{what}: no located warning: {}",
                check.stderr
            );
            let published = published(&site, what, css);
            assert_eq!(published, *shown, "{what}");
            let _ = writeln!(
                text,
                "→ exit 0 with a warning, published: {}",
                escaped(&published)
            );
        }
        Publishes(css, meant) => {
            assert_eq!(build.code, Some(0), "{what}: {}", build.stderr);
            let published = published(&site, what, css);
            assert_eq!(published, *meant, "{what}");
            let _ = writeln!(text, "→ exit 0, published: {}", escaped(&published));
        }
        Holds => {
            assert_eq!(build.code, Some(0), "{what}: {}", build.stderr);
            assert!(!site.exists(PAGE), "{what}: published");
            assert!(
                said.iter().any(|d| d.severity == "warning"),
                "{what}: held without a word: {}",
                check.stderr
            );
            text.push_str("→ exit 0, not published yet\n");
        }
    }
    for diagnostic in said
        .iter()
        .filter(|d| !UNRELATED.contains(&d.message.as_str()))
    {
        text.push_str(&said_line(diagnostic));
    }
    text
}

/// The text (or, after `@`, the attribute) of the one element `css` names on the story page,
/// its whitespace runs as single spaces.
fn published(site: &Site, what: &str, css: &str) -> String {
    let page = Page::parse(&site.read(PAGE));
    match css.split_once('@') {
        Some((css, attr)) => page.attr(css, attr),
        None => match page.trimmed_texts(css).as_slice() {
            [text] => text
                .split(['\n', ' '])
                .filter(|w| !w.is_empty())
                .collect::<Vec<_>>()
                .join(" "),
            found => panic!("{what}: expected one `{css}`, found {found:?}"),
        },
    }
}

fn said_line(d: &Reported) -> String {
    let mut line = format!("{} {}: {}\n", d.location, d.severity, d.message);
    if let Some(help) = &d.help {
        let _ = writeln!(line, "    help: {help}");
    }
    line
}

/// The front matter and body as written, with invisible characters made visible.
fn shown(story: &[u8]) -> String {
    let text = String::from_utf8_lossy(story);
    text.lines()
        .map(|line| format!("    {}", escaped(line)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn escaped(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\t' => "\\t".to_string(),
            '\r' => "\\r".to_string(),
            '\u{a0}' | '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' => {
                format!("\\u{{{:x}}}", c as u32)
            }
            '\u{2066}'..='\u{2069}' | '\u{feff}' => format!("\\u{{{:x}}}", c as u32),
            c if c.is_control() => format!("\\u{{{:x}}}", c as u32),
            c => c.to_string(),
        })
        .collect()
}

#[test]
fn table() {
    let mut table = String::new();
    for mistake in MISTAKES {
        table.push_str(&row(
            mistake.what,
            mistake.story.as_bytes(),
            &mistake.outcome,
        ));
        table.push('\n');
    }
    for (what, bytes) in ENCODINGS {
        table.push_str(&row(what, bytes, &Stops));
        table.push('\n');
    }
    for (what, bytes) in SAME_MEANING {
        let headline = match String::from_utf8_lossy(bytes).contains("Kyiv") {
            true => "Kyiv’s mayor speaks",
            false => "Talks resume",
        };
        table.push_str(&row(what, bytes, &Publishes("h1.story-headline", headline)));
        table.push('\n');
    }
    let rows = MISTAKES.len() + ENCODINGS.len() + SAME_MEANING.len();
    assert!(rows >= 40, "the issue asks for at least 40 mistakes");
    insta::assert_snapshot!(table);
}

/// The last row above, on its own: one run names all three mistakes.
#[test]
fn three_mistakes_in_one_story_are_all_reported_in_one_run() {
    let three = MISTAKES.last().expect("rows");
    let run = site_with(three.story.as_bytes()).dateline(&["check", "--now", NOW]);
    let errors: Vec<_> = run
        .diagnostics()
        .into_iter()
        .filter(|d| d.severity == "error")
        .map(|d| d.location)
        .collect();
    assert_eq!(
        errors,
        [
            "content/world/talks/index.md:2:11",
            "content/world/talks/index.md:3:1",
            "content/world/talks/index.md:4:7"
        ],
        "{}",
        run.stderr
    );
}

/// A `#` that cuts a dek is a warning; in a file with an error beside it, `check` still names
/// it in the same run, so the editor fixes both at once.
#[test]
fn a_cut_hashtag_is_named_beside_the_errors_of_its_file() {
    let story =
        "---\nheadline: “Talks resume”\ndek: Two hours #Istanbul\ndate: 2025-05-19\n---\nText.\n";
    let run = site_with(story.as_bytes()).dateline(&["check", "--now", NOW]);
    let said: Vec<_> = run
        .diagnostics()
        .into_iter()
        .map(|d| (d.severity, d.location))
        .collect();
    assert_eq!(
        said,
        [
            ("error".into(), "content/world/talks/index.md:2:11".into()),
            ("warning".into(), "content/world/talks/index.md:3:16".into()),
        ],
        "{}",
        run.stderr
    );
}
