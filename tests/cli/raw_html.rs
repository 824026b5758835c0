//! Raw HTML as real archives carry it (`tests/fixtures/broken-html/`: unclosed and stray tags,
//! list items outside lists, `<a name>`, `<tt>`, `<font>`, Word's `<o:p>`, embeds, and a
//! WordPress theme's blocks inside `<span>` and `<b>`, loose text in lists, buttons in links,
//! repeated ids, lazy-loaded images): every
//! repair is a warning at the story's own tag, the story's text comes through whole, and every
//! page passes the Nu HTML checker.
//!
//! The checker (`vnu`, from npm's `vnu-jar` or Debian's package) runs when it is installed;
//! `.ci/run` installs it, so in CI it always runs. Elsewhere the test says it was skipped.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

use crate::harness::{Site, text_of};

const STORIES: [&str; 8] = [
    "unclosed-inline",
    "unclosed-block",
    "stray-end-tags",
    "loose-list-items",
    "old-markup",
    "word-paste",
    "embeds",
    "wordpress-theme",
];

fn route(story: &str) -> String {
    format!("/archive/2014/03/{story}/")
}

#[test]
fn each_repair_of_archive_html_is_a_warning_at_the_stories_own_tag() {
    let site = Site::fixture("broken-html");
    let (code, report) = site.check_json(&[]);
    assert_eq!(code, 0, "{report:#}");
    let found: Vec<String> = report["diagnostics"]
        .as_array()
        .expect("a list of diagnostics")
        .iter()
        .map(|d| {
            assert_eq!(d["severity"], "warning", "{d:#}");
            format!(
                "{}:{}:{} {}",
                d["file"].as_str().unwrap_or(""),
                d["line"],
                d["column"],
                d["message"].as_str().unwrap_or("")
            )
        })
        .collect();
    let expected = [
        "unclosed-inline.md:6:19 `<span>` is never closed; Dateline closed it at the end of the paragraph",
        "unclosed-inline.md:9:21 `<b>` is never closed; Dateline closed it at the end of the paragraph",
        "unclosed-inline.md:11:76 `<i>` is never closed; Dateline closed it at the `</em>` at 11:86",
        "unclosed-block.md:6:1 `<div>` is never closed; Dateline closed it at the end of the story (and 1 more like it in this story)",
        "stray-end-tags.md:6:49 stray `</div>` removed: nothing it closes is open",
        "stray-end-tags.md:8:37 stray `</span>` removed: nothing it closes is open",
        "stray-end-tags.md:8:44 stray `</font>` removed: nothing it closes is open",
        "stray-end-tags.md:10:49 stray `</p>` removed: nothing it closes is open",
        "stray-end-tags.md:11:1 stray `</td>` removed: nothing it closes is open",
        "loose-list-items.md:8:1 `<li>` outside a list: Dateline put it in a `<ul>`",
        "old-markup.md:6:1 `<a name>` is obsolete HTML: written as `<a id>` (and 1 more like it in this story)",
        "old-markup.md:7:1 `<center>` is obsolete HTML: written as `<div style=\"text-align: center\">`",
        "old-markup.md:7:9 `<font>` is obsolete HTML: dropped, its text kept",
        "old-markup.md:9:48 `<tt>` is obsolete HTML: written as `<code>`",
        "old-markup.md:10:26 `<strike>` is obsolete HTML: written as `<s>`",
        "word-paste.md:6:1 Word's `mso-` styles dropped from `<p>`",
        "word-paste.md:7:94 Word's `<st1:place>` dropped, its text kept",
        "word-paste.md:8:18 Word's `<o:p>` dropped, its text kept (and 5 more like it in this story)",
        "word-paste.md:13:5 obsolete HTML attributes dropped from `<td>`: `width`, `valign` (and 3 more like it in this story)",
        "embeds.md:8:1 obsolete HTML attributes dropped from `<iframe>`: `frameborder`",
        "wordpress-theme.md:7:28 `<div>` cannot be inside `<span>`: the `<span>` moved inside it",
        "wordpress-theme.md:8:4 `<p>` cannot be inside `<b>`: the `<b>` moved inside it",
        "wordpress-theme.md:9:41 `<p>` cannot be inside `<h2>`: dropped, its text kept on a line of its own",
        "wordpress-theme.md:10:5 `<ul>` cannot be inside `<em>`: the `<em>` moved inside it",
        "wordpress-theme.md:15:1 `<ol>` cannot be inside `<p>`: the paragraph ends before it",
        "wordpress-theme.md:17:1 text cannot be directly inside `<ul>`: put in an `<li>`",
        "wordpress-theme.md:19:1 `<ul>` cannot be directly inside `<ul>`: moved into the `<li>` before it",
        "wordpress-theme.md:20:1 `<p>` cannot be directly inside `<ul>`: put in an `<li>`",
        "wordpress-theme.md:22:1 `<tr>` outside a table: dropped, its text kept",
        "wordpress-theme.md:23:22 a table row without cells dropped",
        "wordpress-theme.md:24:21 `<button>` cannot be inside a link: dropped, its text kept",
        "wordpress-theme.md:25:23 `<a>` cannot be inside `<button>`: the `<button>` around it dropped, its text and the link kept",
        "wordpress-theme.md:26:1 the id `background` is already used at 32:1: dropped from this `<div>` (and 1 more like it in this story)",
        "wordpress-theme.md:28:1 the image has no `src`: Dateline used its `data-src`",
        "wordpress-theme.md:29:1 the image has no `src`, so it shows nothing: dropped",
    ];
    for line in expected {
        let line = format!("content/archive/{line}");
        assert!(found.contains(&line), "missing {line}\nfound:\n{found:#?}");
    }
}

#[test]
fn archive_html_keeps_every_word_and_its_embeds() {
    let site = Site::fixture("broken-html");
    let run = site.build();
    run.assert_success();
    for story in STORIES {
        let source = site.read(&format!("content/archive/{story}.md"));
        let body = source.splitn(3, "---\n").nth(2).expect("a body");
        let page = run.page(&route(story));
        let shown = text_of(page.select(".story-body")[0]);
        assert_eq!(words(&shown), words(&strip_tags(body)), "{story}: {shown}");
    }
    let page = run.page(&route("embeds"));
    assert_eq!(
        page.attr(".story-body iframe", "src"),
        "https://video.example.org/embed/storm"
    );
    assert_eq!(page.count(".story-body script[async]"), 1);
    let page = run.page(&route("wordpress-theme"));
    assert_eq!(page.count(".story-body #background"), 1);
    assert_eq!(page.count(".story-body h2#background"), 1);
    assert_eq!(page.count(".story-body a[href='/archive/']"), 2);
    assert_eq!(page.count(".story-body button"), 0);
    assert_eq!(page.count(".story-body p > b"), 1);
    assert_eq!(page.attr(".story-body img", "src"), "/ferry.jpg");
    let page = run.page(&route("unclosed-block"));
    assert_eq!(page.count("footer.story-footer"), 1);
    assert_eq!(
        page.count(".story-body footer"),
        0,
        "an unclosed `<div>` swallowed the page's footer"
    );
}

/// The words of a text, as letters and digits, counted: markup and punctuation aside.
fn words(text: &str) -> BTreeMap<String, usize> {
    let mut counted = BTreeMap::new();
    for word in text.split(|c: char| !c.is_alphanumeric()) {
        if !word.is_empty() {
            *counted.entry(word.to_string()).or_default() += 1;
        }
    }
    counted
}

/// The text of a body with its tags and character references left out (the fixture writes no
/// `<` or `&` in its text).
fn strip_tags(body: &str) -> String {
    let mut text = String::new();
    let (mut in_tag, mut in_reference) = (false, false);
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            '&' if !in_tag => in_reference = true,
            ';' if in_reference => in_reference = false,
            c if !in_tag && !in_reference => text.push(c),
            _ => {}
        }
    }
    text
}

#[test]
fn archive_pages_pass_the_nu_html_checker() {
    let Some(vnu) = vnu() else {
        return;
    };
    let site = Site::fixture("broken-html");
    let run = site.build();
    run.assert_success();
    let pages: Vec<PathBuf> = run
        .files()
        .into_iter()
        .filter(|file| file.ends_with(".html"))
        .map(|file| run.path(&file))
        .collect();
    assert!(pages.len() >= STORIES.len(), "{pages:?}");
    let output = Command::new(&vnu)
        .args(["--errors-only", "--format", "gnu"])
        .args(&pages)
        .output()
        .unwrap_or_else(|err| panic!("cannot run {}: {err}", vnu.display()));
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success() && report.trim().is_empty(),
        "the Nu HTML checker found errors:\n{report}{}",
        String::from_utf8_lossy(&output.stdout)
    );
    // The checker is real: a page with a stray `</div>` fails it.
    let broken = run.path("broken.html");
    std::fs::write(
        &broken,
        "<!DOCTYPE html><html lang=en><title>x</title><p>a</div>",
    )
    .expect("write a broken page");
    let status = Command::new(&vnu)
        .args(["--errors-only", "--format", "gnu"])
        .arg(&broken)
        .output()
        .expect("run vnu");
    assert!(!status.status.success(), "vnu passed a broken page");
}

/// The Nu HTML checker: `DATELINE_VNU`, or `vnu` on the PATH. In CI it must be there.
fn vnu() -> Option<PathBuf> {
    let named = std::env::var_os("DATELINE_VNU").map(PathBuf::from);
    let found = named.or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join("vnu"))
            .find(|candidate| candidate.is_file())
    });
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    match (found, ci) {
        (Some(vnu), _) => Some(vnu),
        (None, true) => panic!(
            "the Nu HTML checker is not installed, and CI must run it: \
             `npm install -g vnu-jar` (it needs Java), or name it in DATELINE_VNU"
        ),
        (None, false) => {
            eprintln!(
                "skipped: the Nu HTML checker (`vnu`) is not installed, so the pages were not \
                 validated; `npm install -g vnu-jar` installs it (it needs Java)"
            );
            None
        }
    }
}
