//! Story bodies: Markdown extensions, heading anchors, raw HTML, links between stories and
//! highlighted code.

use crate::harness::{Page, Run, Site};

const TALKS: &str = "/world/2025/05/talks/";

/// Builds one story at [`TALKS`] with `body` and returns the run and its page.
fn story_with_body(body: &str) -> (Run, Page) {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19 10:00",
        body,
    );
    let run = site.build();
    run.assert_success();
    let page = run.page(TALKS);
    (run, page)
}

#[test]
fn tables_become_html_tables() {
    let (_, page) =
        story_with_body("| Party | Seats |\n|-------|------:|\n| AD | 91 |\n| PS | 58 |\n");
    assert_eq!(page.texts(".story-body table th"), ["Party", "Seats"]);
    assert_eq!(page.texts(".story-body table td"), ["AD", "91", "PS", "58"]);
}

#[test]
fn footnote_reference_links_to_its_definition() {
    let (_, page) =
        story_with_body("The figure was disputed.[^source]\n\n[^source]: Electoral commission.\n");
    let href = page.attr(".story-body sup.footnote-reference a", "href");
    let target = href.strip_prefix('#').expect("an in-page link");
    assert!(
        page.ids().iter().any(|id| id == target),
        "no element #{target}"
    );
    assert_eq!(
        page.text(".story-body .footnote-definition p"),
        "Electoral commission."
    );
}

#[test]
fn strikethrough_becomes_del() {
    let (_, page) = story_with_body("The minister ~~resigned~~ stayed.\n");
    assert_eq!(page.text(".story-body del"), "resigned");
}

#[test]
fn task_lists_become_checkboxes() {
    let (_, page) = story_with_body("- [x] Count the votes\n- [ ] Certify the result\n");
    assert_eq!(page.count(".story-body li input[type=checkbox]"), 2);
    assert_eq!(
        page.count(".story-body li input[type=checkbox][checked]"),
        1
    );
    assert_eq!(
        page.count(".story-body li input[type=checkbox][disabled]"),
        2
    );
}

#[test]
fn quotes_and_dashes_become_typographic() {
    let (_, page) = story_with_body("\"It's over,\" she said -- and left...\n");
    assert_eq!(
        page.text(".story-body p"),
        "\u{201c}It\u{2019}s over,\u{201d} she said \u{2013} and left\u{2026}"
    );
}

#[test]
fn headings_get_unique_anchor_ids() {
    let (_, page) = story_with_body(
        "## The vote\n\nA.\n\n## The vote\n\nB.\n\n### Who won? {#winners}\n\nC.\n",
    );
    assert_eq!(
        page.attrs(".story-body h2", "id"),
        ["the-vote", "the-vote-1"]
    );
    assert_eq!(page.attr(".story-body h3", "id"), "winners");
    assert_eq!(page.text(".story-body h3#winners"), "Who won?");
}

#[test]
fn raw_html_passes_through() {
    let (_, page) = story_with_body(
        "<div class=\"pull-quote\">Nobody expected a breakthrough.</div>\n\n\
         <iframe src=\"https://player.example.org/embed/1\" title=\"Video\"></iframe>\n",
    );
    assert_eq!(
        page.text(".story-body div.pull-quote"),
        "Nobody expected a breakthrough."
    );
    assert_eq!(
        page.attr(".story-body iframe", "src"),
        "https://player.example.org/embed/1"
    );
}

#[test]
fn links_to_other_story_files_become_their_urls() {
    let site = Site::new()
        .story(
            "world/talks.md",
            "headline: Talks\ndate: 2025-05-19 10:00",
            "Body.\n",
        )
        .story(
            "world/swap/index.md",
            "headline: Swap\ndate: 2025-04-01 10:00",
            "Body.\n",
        )
        .story("about.md", "headline: About\nlayout: page", "Body.\n")
        .story(
            "politics/vote.md",
            "headline: Vote\ndate: 2025-05-20 10:00",
            "See [the talks](../world/talks.md), [day two](../world/talks.md#day-2), \
             [the swap](../world/swap/index.md), [about us](../about.md), \
             [a site](https://example.org/page.md), [top](#top) and [home](/).\n",
        );
    let run = site.build();
    run.assert_success();
    let page = run.page("/politics/2025/05/vote/");
    assert_eq!(
        page.attrs(".story-body a", "href"),
        [
            "/world/2025/05/talks/",
            "/world/2025/05/talks/#day-2",
            "/world/2025/04/swap/",
            "/about/",
            "https://example.org/page.md",
            "#top",
            "/",
        ]
    );
}

#[test]
fn links_from_pages_to_stories_are_rewritten_too() {
    let site = Site::new()
        .story(
            "world/talks.md",
            "headline: Talks\ndate: 2025-05-19 10:00",
            "Body.\n",
        )
        .story(
            "about.md",
            "headline: About\nlayout: page",
            "Our best story: [talks](world/talks.md).\n",
        );
    let run = site.build();
    run.assert_success();
    assert_eq!(
        run.page("/about/").attr(".story-body a", "href"),
        "/world/2025/05/talks/"
    );
}

#[test]
fn code_blocks_are_highlighted_with_classes_not_inline_styles() {
    let (run, page) =
        story_with_body("Intro.\n\n```python\ndef total(lines):\n    return sum(lines)\n```\n");
    let code = page.select(".story-body pre code");
    assert_eq!(code.len(), 1);
    assert_eq!(page.attr(".story-body pre", "data-lang"), "python");
    assert!(
        page.count(".story-body pre span[class]") > 0,
        "the code has no highlighting spans"
    );
    assert_eq!(
        page.count(".story-body pre[style], .story-body pre [style]"),
        0,
        "highlighting must use classes"
    );
    assert_eq!(
        crate::harness::text_of(code[0]),
        "def total(lines): return sum(lines)"
    );
    assert!(run.exists("syntax.css"));
    assert_eq!(
        page.attr("link[rel=stylesheet][href$='syntax.css']", "href"),
        "/syntax.css"
    );
}

#[test]
fn code_in_an_unknown_language_is_escaped_plain_text() {
    let (_, page) = story_with_body("```klingon\n<script>alert(1)</script>\n```\n");
    assert_eq!(page.count(".story-body script"), 0);
    assert_eq!(
        page.text(".story-body pre code"),
        "<script>alert(1)</script>"
    );
}

#[test]
fn syntax_css_is_written_only_when_a_code_block_exists() {
    let (run, page) = story_with_body("No code here, only `inline code`.\n");
    assert!(!run.exists("syntax.css"));
    assert_eq!(page.count("link[href$='syntax.css']"), 0);
    assert_eq!(page.text(".story-body code"), "inline code");
}

#[test]
fn reading_time_is_shown_in_minutes() {
    let words = "word ".repeat(700);
    let (_, page) = story_with_body(&format!("{words}\n"));
    assert_eq!(page.text(".reading-time"), "4 min read");
}

#[test]
fn heading_ids_do_not_clash_with_the_theme_ids() {
    let (run, page) = story_with_body("## Main\n\nText.\n");
    assert_eq!(page.count("main#main"), 1);
    assert_eq!(crate::harness::duplicate_ids(&run), Vec::<String>::new());
}
