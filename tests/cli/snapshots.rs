//! Snapshots (insta) of what a person should review when it changes: the default theme's story
//! and front pages and the RSS feed of the `newsroom` fixture, and the wording of the errors a
//! newsroom meets most. The assertions elsewhere prove what must always hold; these show every
//! other change as a diff in `tests/cli/snapshots/*.snap`.
//!
//! After an intended change, `INSTA_UPDATE=always cargo test --test cli snapshots::` rewrites
//! the files (or `cargo insta review`, with cargo-insta installed); review and commit them. With
//! `CI` set, a mismatch fails and nothing is written.
//!
//! Everything is built as of the harness's NOW; what would still differ between two runs (the
//! temporary folder, a duration, the version in the generator tag) is normalised first.

use crate::harness::{NOW, Run, Site};

/// The story with the most parts: a photo with caption and credit, tags, an author page, and a
/// body with a subheading.
const STORY: &str = "world/2025/05/talks/index.html";

/// The `newsroom` fixture, built as of NOW.
fn newsroom() -> (Site, Run) {
    let site = Site::fixture("newsroom");
    let run = site.build();
    run.assert_success();
    (site, run)
}

/// `text` without what differs from run to run: the site's temporary folder, build times
/// (`in 57 ms`) and the version of Dateline.
fn normalise(text: &str, site: &Site) -> String {
    let text = text
        .replace(&site.root().display().to_string(), "[site]")
        .replace(
            &format!("Dateline {}", env!("CARGO_PKG_VERSION")),
            "Dateline [version]",
        );
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
    while let Some(at) = rest.find(" in ") {
        let (before, after) = rest.split_at(at);
        out.push_str(before);
        let number = after[4..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(after.len() - 4);
        if number > 0 && after[4 + number..].starts_with(" ms") {
            out.push_str(" in [time] ms");
            rest = &after[4 + number + 3..];
        } else {
            out.push_str(" in ");
            rest = &after[4..];
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn normalise_strips_the_folder_the_time_and_the_version() {
    let site = Site::empty();
    let text = format!(
        "Built 3 stories into {}/public in 57 ms\nin 4 days, in ms\nDateline {}",
        site.root().display(),
        env!("CARGO_PKG_VERSION")
    );
    assert_eq!(
        normalise(&text, &site),
        "Built 3 stories into [site]/public in [time] ms\nin 4 days, in ms\nDateline [version]"
    );
}

#[test]
fn story_page_html() {
    let (site, run) = newsroom();
    insta::assert_snapshot!("story_page", normalise(&run.read(STORY), &site));
}

#[test]
fn front_page_html() {
    let (site, run) = newsroom();
    insta::assert_snapshot!("front_page", normalise(&run.read("index.html"), &site));
}

#[test]
fn feed_xml() {
    let (site, run) = newsroom();
    insta::assert_snapshot!("feed_xml", normalise(&run.read("feed.xml"), &site));
}

/// A story that checks clean, which most cases break.
const TALKS: &str = "content/world/talks.md";
const GOOD_STORY: &str = "---\nheadline: Talks resume\ndek: Both sides will keep talking.\n\
                          date: 2025-05-19 10:00\ntags: [Diplomacy]\n---\nNegotiators met.\n";

/// A whole 1×1 GIF: an image, but not one Dateline publishes, under a JPEG name.
const GIF: &[u8] =
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;";

/// One broken input: files written over a site that checks clean.
struct Case {
    name: &'static str,
    files: &'static [(&'static str, &'static [u8])],
}

const CASES: &[Case] = &[
    Case {
        name: "unknown key with a typo",
        files: &[(TALKS, b"---\nhedline: Talks resume\ndate: 2025-05-19\n---\nText.\n")],
    },
    Case {
        name: "invalid date",
        files: &[(TALKS, b"---\nheadline: Talks resume\ndate: 2025-13-01\n---\nText.\n")],
    },
    Case {
        name: "missing headline",
        files: &[(TALKS, b"---\ndek: Both sides.\ndate: 2025-05-19\n---\nText.\n")],
    },
    Case {
        name: "tab indentation",
        files: &[(
            TALKS,
            b"---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n\tsrc: a.jpg\n\talt: A\n---\nText.\n",
        )],
    },
    Case {
        name: "unclosed quote",
        files: &[(TALKS, b"---\nheadline: \"Talks resume\ndate: 2025-05-19\n---\nText.\n")],
    },
    Case {
        name: "value of the wrong type",
        files: &[(TALKS, b"---\nheadline: Talks resume\ndate: 2025-05-19\ntags: {a: 1}\n---\nText.\n")],
    },
    Case {
        name: "front matter never closed",
        files: &[(TALKS, b"---\nheadline: Talks resume\ndate: 2025-05-19\nText.\n")],
    },
    Case {
        name: "not UTF-8",
        files: &[(TALKS, b"---\nheadline: Talks \xff resume\ndate: 2025-05-19\n---\nText.\n")],
    },
    Case {
        name: "photo that is not a JPEG, PNG or WebP",
        files: &[
            (
                "content/world/quay/index.md",
                b"---\nheadline: Quay\ndek: D\ndate: 2025-05-19\nphoto: {src: photo.jpg, alt: A quay, credit: C}\n---\nText.\n",
            ),
            ("content/world/quay/photo.jpg", GIF),
        ],
    },
    Case {
        name: "photo without alt text",
        files: &[(
            TALKS,
            b"---\nheadline: Talks resume\ndate: 2025-05-19\nphoto:\n  src: https://example.org/a.jpg\n---\nText.\n",
        )],
    },
    Case {
        name: "photo file missing",
        files: &[(
            TALKS,
            b"---\nheadline: Talks resume\ndate: 2025-05-19\nphoto: {src: nope.jpg, alt: A}\n---\nText.\n",
        )],
    },
    Case {
        name: "link to a missing story",
        files: &[(TALKS, b"---\nheadline: Talks resume\ndate: 2025-05-19\n---\nSee [the vote](vote.md).\n")],
    },
    Case {
        name: "link to a story saved as Windows-1252",
        files: &[
            (TALKS, b"---\nheadline: Talks resume\ndate: 2025-05-19\n---\nSee [the vote](vote.md).\n"),
            ("content/world/vote.md", b"---\nheadline: Vote\ndate: 2025-05-18\n---\nCaf\xe9 talks.\n"),
        ],
    },
    Case {
        name: "photo name with `_` for `-`",
        files: &[
            (
                "content/world/call/index.md",
                b"---\nheadline: The call\ndate: 2025-05-19\nphoto: {src: putin_call.jpg, alt: Two leaders}\n---\nText.\n",
            ),
            ("content/world/call/putin-call.jpg", GIF),
        ],
    },
    Case {
        name: "photo name in other capitals",
        files: &[
            (
                "content/world/call/index.md",
                b"---\nheadline: The call\ndate: 2025-05-19\nphoto: {src: Putin-Call.JPG, alt: Two leaders}\n---\nText.\n",
            ),
            ("content/world/call/putin-call.jpg", GIF),
        ],
    },
    Case {
        name: "body image without alt text",
        files: &[(TALKS, b"---\nheadline: Talks resume\ndate: 2025-05-19\n---\nText.\n\n![](https://example.org/map.png)\n")],
    },
    Case {
        name: "link to a path nothing is published at",
        files: &[(TALKS, b"---\nheadline: Talks resume\ndate: 2025-05-19\n---\nFollow the [live blog](/world/2025/05/live-blog/).\n")],
    },
    Case {
        name: "link without the base path",
        files: &[
            (
                "site.toml",
                b"title = \"Test Gazette\"\nbase_url = \"https://me.github.io/gazette/\"\n",
            ),
            (TALKS, b"---\nheadline: Talks resume\ndate: 2025-05-19\n---\nMore in [World](/world/).\n"),
        ],
    },
    Case {
        name: "template link to nowhere",
        files: &[("templates/404.html", b"<!doctype html>\n<title>Not found</title>\n<a href=\"/archive/\">Archive</a>\n")],
    },
    Case {
        name: "two stories at one address",
        files: &[(
            "content/world/talks-again.md",
            b"---\nheadline: Talks again\ndate: 2025-05-19\nslug: talks\n---\nText.\n",
        )],
    },
    Case {
        name: "story outside any section",
        files: &[(
            "content/talks.md",
            b"---\nheadline: Talks resume\ndate: 2025-05-19\n---\nText.\n",
        )],
    },
    Case {
        name: "unknown key in site.toml",
        files: &[(
            "site.toml",
            b"title = \"Test Gazette\"\nbase_url = \"https://news.example.org/\"\ntimezon = \"Europe/Lisbon\"\n",
        )],
    },
    Case {
        name: "unknown time zone",
        files: &[(
            "site.toml",
            b"title = \"Test Gazette\"\nbase_url = \"https://news.example.org/\"\ntimezone = \"Europe/Lisboa\"\n",
        )],
    },
    Case {
        name: "template syntax error",
        files: &[("templates/story.html", b"<h1>\n{{ story.headline }\n</h1>\n")],
    },
];

/// One row per case: its name, the exit code of `dateline check`, and the first error (its
/// `file:line:col`, message and help), as a person reads them on the terminal.
#[test]
fn error_messages_table() {
    let mut table = String::from("case | exit | at | error | help\n");
    for case in CASES {
        let site = Site::new().file(TALKS, GOOD_STORY);
        for (path, bytes) in case.files {
            site.file(path, bytes);
        }
        let run = site.dateline(&["check", "--now", NOW]);
        let first = run
            .diagnostics()
            .into_iter()
            .find(|d| d.severity == "error")
            .unwrap_or_else(|| panic!("{}: no error\n{}", case.name, run.stderr));
        let row = format!(
            "{} | {} | {} | {} | {}\n",
            case.name,
            run.code.map_or("none".to_string(), |c| c.to_string()),
            first.location,
            first.message,
            first.help.as_deref().unwrap_or("(no help)")
        );
        table.push_str(&normalise(&row, &site));
    }
    insta::assert_snapshot!("error_messages", table);
}
