//! Weird input never crashes the build: every case ends with exit code 0 or 1, and the harness
//! fails any run whose stderr mentions a panic. Where the output is well defined, it is checked.

use crate::harness::{Run, Site};

/// Builds a site whose only story is `content/world/odd.md` with exactly `text`.
fn build_odd(text: impl AsRef<[u8]>) -> Run {
    let run = Site::new().file("content/world/odd.md", text).build();
    match run.code {
        Some(0) => {}
        Some(1) => {
            let diagnostics = run.diagnostics();
            assert!(
                !diagnostics.is_empty(),
                "failed without a diagnostic:\n{}",
                run.stderr
            );
            for d in diagnostics {
                assert!(d.location.starts_with("content/world/odd.md"), "{}", d.text);
            }
        }
        other => panic!("exit code {other:?}:\n{}", run.stderr),
    }
    run
}

#[test]
fn story_that_is_only_a_fence_is_an_error() {
    for text in ["---", "---\n", "---\n---", "---\n---\n", "---\n\n---\n"] {
        let run = build_odd(text);
        assert_eq!(run.code, Some(1), "{text:?}");
    }
}

#[test]
fn front_matter_that_is_a_yaml_list_is_an_error_at_its_line() {
    let run = build_odd("---\n- headline\n- date\n---\nBody.\n");
    assert_eq!(run.code, Some(1));
    assert_eq!(run.single_error().location, "content/world/odd.md:2:1");
}

#[test]
fn front_matter_that_is_a_scalar_is_an_error() {
    let run = build_odd("---\njust some text\n---\nBody.\n");
    assert_eq!(run.code, Some(1));
}

#[test]
fn date_that_is_a_number_does_not_crash() {
    let run = build_odd("---\nheadline: Numbers\ndate: 2025\n---\n");
    assert_eq!(run.code, Some(1));
    assert_eq!(run.single_error().location, "content/world/odd.md:3:7");

    let run = build_odd("---\nheadline: Numbers\ndate: 1.5e3\n---\n");
    assert_eq!(run.code, Some(1));

    build_odd("---\nheadline: Numbers\ndate: 20250519\n---\n");
}

#[test]
fn dates_at_the_edges_of_the_calendar_do_not_crash() {
    for date in [
        "0001-01-01",
        "9999-12-31 23:59",
        "-0001-01-01",
        "2025-02-29",
        "2024-02-29",
        "2025-03-30 01:30",
        "2025-10-26 01:30",
        "2025-05-19T25:00:00Z",
        "+002025-05-19T10:00:00Z",
    ] {
        build_odd(format!("---\nheadline: Edge\ndate: {date}\n---\n"));
    }
}

#[test]
fn very_long_headline_is_kept_whole() {
    let headline = "A very long headline about the harbour ".repeat(500);
    let headline = headline.trim();
    let run = build_odd(format!(
        "---\nheadline: \"{headline}\"\ndate: 2025-05-19\n---\nBody.\n"
    ));
    run.assert_success();
    assert_eq!(run.page("/world/2025/05/odd/").text("h1"), headline);
}

#[test]
fn emoji_and_right_to_left_headline_round_trips() {
    let headline = "خبر عاجل 🎉 من القاهرة — שלום 👩🏽‍💻";
    let run = build_odd(format!(
        "---\nheadline: \"{headline}\"\ndate: 2025-05-19\ntags: [\"🎉\", \"مصر\"]\nauthor: \"José 🙂\"\n---\nنص القصة.\n"
    ));
    run.assert_success();
    let page = run.page("/world/2025/05/odd/");
    assert_eq!(page.text("h1"), headline);
    assert_eq!(page.text(".story-body p"), "نص القصة.");
    let feed = run.feed();
    assert_eq!(
        feed.entries[0].title.as_ref().map(|t| t.content.as_str()),
        Some(headline)
    );
    for href in page.attrs("a[rel=tag], .story-byline a", "href") {
        assert!(
            run.exists(&crate::harness::route_file(&href)),
            "{href} leads nowhere"
        );
    }
}

#[test]
fn deeply_nested_yaml_is_an_error_not_a_stack_overflow() {
    let depth = 10_000;
    let run = build_odd(format!(
        "---\nheadline: Deep\ndate: 2025-05-19\nextra:\n  a: {}{}\n---\n",
        "[".repeat(depth),
        "]".repeat(depth)
    ));
    assert_eq!(run.code, Some(1));
}

#[test]
fn yaml_alias_bomb_is_an_error_not_a_hang() {
    let mut yaml = String::from(
        "---\nheadline: Bomb\ndate: 2025-05-19\nextra:\n  a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let mut previous = 'a';
    for name in 'b'..='j' {
        let refs = vec![format!("*{previous}"); 9].join(",");
        yaml.push_str(&format!("  {name}: &{name} [{refs}]\n"));
        previous = name;
    }
    yaml.push_str("---\n");
    let run = build_odd(yaml);
    assert_eq!(run.code, Some(1));
}

#[test]
fn nul_and_control_characters_do_not_crash() {
    build_odd("---\nheadline: \"a\\x00b\\x07c\"\ndate: 2025-05-19\n---\nBody\u{0}with a NUL.\n");
}

#[test]
fn unbalanced_markdown_does_not_crash() {
    let body = "*unclosed **strong [link](\n\n```\nunclosed fence\n\n| a |\n|---|\n| b | c | d |\n\n[^missing]\n\n<div><span>\n";
    let run = build_odd(format!("---\nheadline: Odd\ndate: 2025-05-19\n---\n{body}"));
    run.assert_success();
}

#[test]
fn only_a_bom_is_an_empty_file() {
    let run = build_odd(b"\xef\xbb\xbf");
    assert_eq!(run.code, Some(1));
    assert_eq!(run.single_error().message, "the file is empty");
}

#[test]
fn slug_without_letters_is_an_error_at_the_slug() {
    let run = build_odd("---\nheadline: Odd\ndate: 2025-05-19\nslug: \"¿?\"\n---\n");
    assert_eq!(run.code, Some(1));
    assert_eq!(run.single_error().location, "content/world/odd.md:4:7");
}

#[test]
fn file_name_without_letters_is_an_error() {
    let run = Site::new()
        .file(
            "content/world/¿¿.md",
            "---\nheadline: Odd\ndate: 2025-05-19\n---\n",
        )
        .build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.single_error()
            .location
            .starts_with("content/world/¿¿.md")
    );
}

#[cfg(unix)]
#[test]
fn file_name_that_is_not_utf8_is_an_error() {
    use std::os::unix::ffi::OsStrExt;
    let site = Site::new();
    let name = std::ffi::OsStr::from_bytes(b"bad-\xff.md");
    let world = site.root().join("content/world");
    std::fs::create_dir_all(&world).expect("create a folder");
    std::fs::write(
        world.join(name),
        "---\nheadline: Odd\ndate: 2025-05-19\n---\n",
    )
    .expect("write a file");
    let run = site.build();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert_eq!(
        run.single_error().message,
        "the file name is not valid UTF-8"
    );
}

#[test]
fn control_characters_in_a_story_keep_the_feed_well_formed() {
    let run = build_odd(
        "---\nheadline: \"Breaking\\x0bnews\\x01\"\ndate: 2025-05-19\n---\nForm\u{c}feed.\n",
    );
    run.assert_success();
    let xml = run.read("feed.xml");
    roxmltree::Document::parse(&xml).expect("feed.xml is well-formed XML");
    run.feed();
}

#[test]
fn tag_without_letters_is_refused_at_its_line() {
    let run = build_odd("---\nheadline: Odd\ndate: 2025-05-19\ntags: [\"¿?\", Real]\n---\n");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let diagnostics = run.diagnostics();
    assert_eq!(diagnostics.len(), 1, "{}", run.stderr);
    assert!(diagnostics[0].location.ends_with(":4:7"), "{}", run.stderr);
    assert!(diagnostics[0].message.contains("`¿?`"), "{}", run.stderr);
}

#[test]
fn section_named_tags_does_not_collide_with_the_topic_index() {
    let run = Site::new()
        .file(
            "content/tags/story.md",
            "---\nheadline: Tagged\ndate: 2025-05-19\ntags: [Alpha]\n---\n",
        )
        .build();
    // Either the build refuses the clash, as it does for pages at /tags/, or both pages exist.
    match run.code {
        Some(1) => assert!(run.stderr.contains("/tags/"), "{}", run.stderr),
        _ => {
            run.assert_success();
            let section_link = run.page("/").attr(".section-nav a", "href");
            let section = run.page(&section_link);
            assert_eq!(
                section.attrs(".card-headline a", "href"),
                ["/tags/2025/05/story/"],
                "the section page lists its story"
            );
            assert_eq!(run.page("/tags/").text("h1"), "All topics");
        }
    }
}
