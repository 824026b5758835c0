//! Incremental rebuilds in-process: one `Builder` kept between edits, as `serve` keeps it. After
//! every step the changed outputs are checked file by file, and the whole site against a fresh
//! build of the same sources.

use std::collections::BTreeMap;

use dateline::build::{BuildOptions, Builder, run};
use dateline::diagnostic::Diagnostic;
use dateline::output::{Output, Outputs};

use crate::harness::build_options;
use crate::support::*;

/// The bytes of every output; files to copy are read now, as `serve` reads them per request.
fn bytes(outputs: &Outputs) -> BTreeMap<String, Vec<u8>> {
    outputs
        .files
        .iter()
        .map(|(path, output)| {
            let bytes = match output {
                Output::Bytes(bytes) => bytes.to_vec(),
                Output::BuiltIn(bytes) => bytes.to_vec(),
                Output::Copy(source, _) => std::fs::read(source)
                    .unwrap_or_else(|e| format!("unreadable {}: {e}", source.display()).into()),
                Output::Staged(_) => panic!("serve staged {path} on disk"),
            };
            (path.to_string(), bytes)
        })
        .collect()
}

/// Paths whose bytes differ, added or removed included, sorted.
fn differing(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> Vec<String> {
    let mut paths: Vec<String> = new
        .iter()
        .filter(|(path, bytes)| old.get(*path) != Some(*bytes))
        .map(|(path, _)| path.clone())
        .chain(old.keys().filter(|p| !new.contains_key(*p)).cloned())
        .collect();
    paths.sort();
    paths
}

fn sorted(paths: &[&str]) -> Vec<String> {
    let mut paths: Vec<String> = paths.iter().map(|p| p.to_string()).collect();
    paths.sort();
    paths
}

fn render(diagnostics: Vec<Diagnostic>) -> String {
    diagnostics
        .iter()
        .map(|d| d.render(false))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The fixture site with a builder that has built it once.
struct Incremental {
    site: Site,
    options: BuildOptions,
    builder: Builder,
    /// The last good build and its bytes at that time.
    outputs: Outputs,
    bytes: BTreeMap<String, Vec<u8>>,
}

impl Incremental {
    fn new() -> Incremental {
        let site = Site::newsroom();
        let options = build_options(&site.root());
        let mut builder = Builder::new(options.clone());
        let outputs = builder
            .build()
            .unwrap_or_else(|d| panic!("the first build failed:\n{}", render(d.sorted())))
            .outputs;
        Incremental {
            bytes: bytes(&outputs),
            site,
            options,
            builder,
            outputs,
        }
    }

    /// Tells the builder that `touched` changed, rebuilds, checks that the result is the same
    /// as a fresh build's and that `changed_since` names exactly the files whose bytes
    /// changed; returns those files but the search index's (whose names are hashes of words:
    /// `search_index_edit_rewrites_only_the_files_of_its_words` follows them).
    fn rebuild(&mut self, touched: &[&str]) -> Vec<String> {
        let mut changed = self.rebuild_all(touched);
        changed.retain(|path| !path.starts_with(SEARCH_INDEX));
        changed
    }

    /// Like `rebuild`, with the search index's files.
    fn rebuild_all(&mut self, touched: &[&str]) -> Vec<String> {
        for path in touched {
            self.builder.changed(&self.site.path(path));
        }
        let built = self
            .builder
            .build()
            .unwrap_or_else(|d| panic!("the rebuild failed:\n{}", render(d.sorted())));
        let fresh = run(&self.options)
            .unwrap_or_else(|d| panic!("the fresh build failed:\n{}", render(d.sorted())));
        let new_bytes = bytes(&built.outputs);
        let fresh_bytes = bytes(&fresh.outputs);
        assert!(
            built.outputs == fresh.outputs && new_bytes == fresh_bytes,
            "the incremental build differs from a fresh build in {:?}",
            differing(&fresh_bytes, &new_bytes)
        );
        let changed = built.outputs.changed_since(&self.outputs);
        let really = differing(&self.bytes, &new_bytes);
        assert_eq!(
            changed, really,
            "changed_since (left) does not name the files whose bytes changed (right)"
        );
        self.outputs = built.outputs;
        self.bytes = new_bytes;
        changed
    }

    /// Like `rebuild` for a broken site: both builds fail with the same errors, returned.
    /// The last good outputs stay the reference for the next step, as in `serve`.
    fn rebuild_fails(&mut self, touched: &[&str]) -> Vec<Diagnostic> {
        for path in touched {
            self.builder.changed(&self.site.path(path));
        }
        let incremental = match self.builder.build() {
            Ok(built) => panic!(
                "the rebuild succeeded; changed: {:?}",
                built.outputs.changed_since(&self.outputs)
            ),
            Err(diagnostics) => diagnostics.sorted(),
        };
        let fresh = match run(&self.options) {
            Ok(_) => panic!("the fresh build succeeded"),
            Err(diagnostics) => diagnostics.sorted(),
        };
        assert_eq!(
            render(incremental.clone()),
            render(fresh),
            "the incremental build reports other problems than a fresh one"
        );
        incremental
    }

    fn story(&self, path: &str) -> Story {
        newsroom_stories()
            .into_iter()
            .find(|(p, _)| *p == path)
            .map(|(_, story)| story)
            .expect("a fixture story")
    }

    fn page(&self, route: &str) -> String {
        match self.outputs.get(&file_of(route)) {
            Some(Output::Bytes(bytes)) => String::from_utf8_lossy(bytes).into_owned(),
            other => panic!("{route} is not a rendered page: {other:?}"),
        }
    }
}

const CEASEFIRE_PAGE: &str = "world/2025/05/ceasefire-holds/index.html";

/// The folder of the search index's files.
const SEARCH_INDEX: &str = "search/index/";

#[test]
fn search_index_edit_rewrites_only_the_files_of_its_words() {
    let mut news = Incremental::new();
    let shards = news
        .outputs
        .files
        .keys()
        .filter(|path| path.starts_with("search/index/t/"))
        .count();
    // One new word: its shard changes, and the chunk with the story's opening.
    let story = news
        .story(CEASEFIRE)
        .closing("Officials will meet again next week. Zebras.");
    news.site.write(CEASEFIRE, &story.text());
    let changed = news.rebuild_all(&[CEASEFIRE]);
    let index: Vec<&String> = changed
        .iter()
        .filter(|path| path.starts_with(SEARCH_INDEX))
        .collect();
    assert!(index.iter().any(|p| p.as_str() == "search/index/meta.json"));
    assert_eq!(
        index
            .iter()
            .filter(|p| p.starts_with("search/index/d/"))
            .count(),
        1,
        "one chunk of the document store: {index:?}"
    );
    let rewritten = index
        .iter()
        .filter(|p| p.starts_with("search/index/t/"))
        .count();
    assert!(shards > 1, "the fixture's index has {shards} shard(s)");
    assert_eq!(rewritten, 1, "{index:?}");
}

#[test]
fn body_edit_changes_only_the_story_page_and_the_full_text_feed() {
    let mut news = Incremental::new();
    let story = news
        .story(CEASEFIRE)
        .closing("The truce was extended by a week.");
    news.site.write(CEASEFIRE, &story.text());
    assert_eq!(
        news.rebuild(&[CEASEFIRE]),
        sorted(&[
            CEASEFIRE_PAGE,
            "feed.xml",
            "feed.json",
            "world/feed.xml",
            "tags/diplomacy/feed.xml",
            "tags/security/feed.xml",
            "authors/ana-lima/feed.xml",
        ]),
        "the feeds holding the story carry its full text; listings show only the dek"
    );
    assert!(news.page(CEASEFIRE_URL).contains("extended by a week"));
}

#[test]
fn headline_edit_changes_the_story_its_listings_and_the_feed() {
    let mut news = Incremental::new();
    let story = news
        .story(CEASEFIRE)
        .headline("Ceasefire collapses overnight");
    news.site.write(CEASEFIRE, &story.text());
    assert_eq!(
        news.rebuild(&[CEASEFIRE]),
        sorted(&[
            CEASEFIRE_PAGE,
            "index.html",
            "world/index.html",
            "tags/diplomacy/index.html",
            "tags/security/index.html",
            "authors/ana-lima/index.html",
            "feed.xml",
            "feed.json",
            "world/feed.xml",
            "tags/diplomacy/feed.xml",
            "tags/security/feed.xml",
            "authors/ana-lima/feed.xml",
            "news-sitemap.xml",
        ])
    );
    assert!(news.page("/").contains("Ceasefire collapses overnight"));
}

#[test]
fn new_story_appears_in_every_listing_it_belongs_to() {
    let mut news = Incremental::new();
    let path = "content/world/bridge-opens.md";
    let story = Story::new(
        "Bridge opens to traffic",
        "2025-05-14 10:00",
        "Ben Okoro",
        &["Diplomacy", "Transport"],
    );
    news.site.write(path, &story.text());
    assert_eq!(
        news.rebuild(&[path]),
        sorted(&[
            "world/2025/05/bridge-opens/index.html",
            "index.html",
            "world/index.html",
            "tags/diplomacy/index.html",
            "tags/transport/index.html",
            "tags/index.html",
            "authors/ben-okoro/index.html",
            "feed.xml",
            "feed.json",
            "world/feed.xml",
            "tags/diplomacy/feed.xml",
            "tags/transport/feed.xml",
            "authors/ben-okoro/feed.xml",
            "sitemap.xml",
            "news-sitemap.xml",
        ])
    );
    for listing in [
        "/",
        "/world/",
        "/tags/diplomacy/",
        "/tags/transport/",
        "/authors/ben-okoro/",
    ] {
        assert!(
            news.page(listing).contains("Bridge opens to traffic"),
            "{listing}"
        );
    }
}

#[test]
fn deleted_story_disappears_with_the_listings_only_it_was_in() {
    let mut news = Incremental::new();
    news.site.remove(PORT_REOPENS);
    assert_eq!(
        news.rebuild(&[PORT_REOPENS]),
        sorted(&[
            "world/2025/05/port-reopens/index.html",
            "tags/weather/index.html",
            "index.html",
            "world/index.html",
            "tags/index.html",
            "authors/ben-okoro/index.html",
            "feed.xml",
            "feed.json",
            "world/feed.xml",
            "tags/weather/feed.xml",
            "authors/ben-okoro/feed.xml",
            "sitemap.xml",
        ])
    );
    assert!(news.outputs.get(&file_of(PORT_REOPENS_URL)).is_none());
    assert!(news.outputs.get("tags/weather/index.html").is_none());
    assert!(
        !news
            .page("/world/")
            .contains("Port reopens after the storm")
    );
}

#[test]
fn renamed_story_moves_to_its_new_url() {
    let mut news = Incremental::new();
    let renamed = "content/politics/runoff-set.md";
    news.site.rename(RUNOFF, renamed);
    assert_eq!(
        news.rebuild(&[RUNOFF, renamed]),
        sorted(&[
            "politics/2025/05/runoff-called/index.html",
            "politics/2025/05/runoff-set/index.html",
            "index.html",
            "politics/index.html",
            "tags/elections/index.html",
            "authors/ana-lima/index.html",
            "feed.xml",
            "feed.json",
            "politics/feed.xml",
            "tags/elections/feed.xml",
            "authors/ana-lima/feed.xml",
            "sitemap.xml",
            "news-sitemap.xml",
        ])
    );
    assert!(news.outputs.get(&file_of(RUNOFF_URL)).is_none());
    assert!(
        news.page("/politics/")
            .contains("/politics/2025/05/runoff-set/")
    );
}

#[test]
fn publishing_a_draft_adds_it_to_its_listings() {
    let mut news = Incremental::new();
    let mut story = news.story(COALITION);
    story.extra.clear();
    news.site.write(COALITION, &story.text());
    assert_eq!(
        news.rebuild(&[COALITION]),
        sorted(&[
            "politics/2025/05/coalition-deal/index.html",
            "index.html",
            "politics/index.html",
            "tags/elections/index.html",
            "tags/index.html",
            "authors/carla-mendes/index.html",
            "feed.xml",
            "feed.json",
            "politics/feed.xml",
            "tags/elections/feed.xml",
            "authors/carla-mendes/feed.xml",
            "sitemap.xml",
            "news-sitemap.xml",
        ])
    );
}

/// Every published story page of the fixture.
fn story_pages() -> Vec<String> {
    let mut pages: Vec<String> = [
        CEASEFIRE_URL,
        TALKS_URL,
        PORT_REOPENS_URL,
        RUNOFF_URL,
        BUDGET_URL,
    ]
    .iter()
    .map(|route| file_of(route))
    .collect();
    pages.sort();
    pages
}

fn story_template(marker: &str) -> String {
    let built_in = include_str!("../../themes/default/templates/story.html");
    assert!(built_in.contains("{% block main %}"));
    built_in.replace(
        "{% block main %}",
        &format!("{{% block main %}}\n<p class=\"edition\">{marker}</p>"),
    )
}

#[test]
fn template_override_re_renders_story_pages_only() {
    let mut news = Incremental::new();
    let template = "templates/story.html";
    news.site.write(template, &story_template("Late edition"));
    assert_eq!(news.rebuild(&[template]), story_pages());
    assert!(news.page(CEASEFIRE_URL).contains("Late edition"));
    news.site.write(template, &story_template("Night edition"));
    assert_eq!(news.rebuild(&[template]), story_pages());
    assert!(news.page(CEASEFIRE_URL).contains("Night edition"));
    news.site.remove(template);
    assert_eq!(news.rebuild(&[template]), story_pages());
    assert!(!news.page(CEASEFIRE_URL).contains("edition</p>"));
}

#[test]
fn site_title_change_changes_every_page() {
    let mut news = Incremental::new();
    // Every page, every feed, and the news sitemap (which names the publication).
    let mut every_page: Vec<String> = news
        .outputs
        .files
        .keys()
        .filter(|p| p.ends_with(".html") || p.ends_with("feed.xml") || p.ends_with("feed.json"))
        .map(|p| p.to_string())
        .collect();
    every_page.push("news-sitemap.xml".into());
    every_page.sort();
    news.site
        .write("site.toml", &site_toml("The Evening Gazette"));
    assert_eq!(news.rebuild(&["site.toml"]), every_page);
    assert!(news.page(TALKS_URL).contains("The Evening Gazette"));
}

#[test]
fn static_file_edit_changes_only_that_file() {
    let mut news = Incremental::new();
    news.site.write(PRESS_KIT, "Press kit, second edition\n");
    assert_eq!(news.rebuild(&[PRESS_KIT]), sorted(&["press-kit.txt"]));
}

#[test]
fn static_file_added_or_removed_changes_only_that_file() {
    let mut news = Incremental::new();
    let logo = "static/logo.svg";
    news.site
        .write(logo, "<svg xmlns=\"http://www.w3.org/2000/svg\"/>\n");
    assert_eq!(news.rebuild(&[logo]), sorted(&["logo.svg"]));
    news.site.remove(logo);
    assert_eq!(news.rebuild(&[logo]), sorted(&["logo.svg"]));
}

#[test]
fn broken_front_matter_fails_and_its_fix_rebuilds_like_a_fresh_build() {
    let mut news = Incremental::new();
    let good = news.story(CEASEFIRE).text();
    news.site
        .write(CEASEFIRE, &good.replacen("headline:", "hedline:", 1));
    let errors = news.rebuild_fails(&[CEASEFIRE]);
    assert!(
        errors.iter().any(|e| e.message.contains("hedline")
            && e.location()
                .starts_with("content/world/ceasefire-holds.md:2")),
        "{}",
        render(errors)
    );
    let fixed = news
        .story(CEASEFIRE)
        .headline("Ceasefire holds for a second week");
    news.site.write(CEASEFIRE, &fixed.text());
    let changed = news.rebuild(&[CEASEFIRE]);
    assert!(changed.contains(&CEASEFIRE_PAGE.to_string()), "{changed:?}");
    assert!(changed.contains(&"index.html".to_string()), "{changed:?}");
}

#[test]
fn new_section_folder_joins_the_navigation_of_every_page() {
    let mut news = Incremental::new();
    let story = Story::new("Final tonight", "2025-05-15 20:00", "Ben Okoro", &[]);
    news.site
        .write("content/sport/final-tonight.md", &story.text());
    // A new folder is reported as the folder alone.
    let changed = news.rebuild(&["content/sport"]);
    for page in news.outputs.files.keys().filter(|p| p.ends_with(".html")) {
        assert!(changed.contains(&page.to_string()), "{page} did not change");
    }
    assert!(news.outputs.get("sport/index.html").is_some());
    assert!(news.page(TALKS_URL).contains("href=\"/sport/\""));
}

#[test]
fn symlink_out_of_the_site_added_later_fails_like_a_fresh_build() {
    let mut news = Incremental::new();
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-TOKEN\n").unwrap();
    let link = "content/world/leak.txt";
    std::os::unix::fs::symlink(&secret, news.site.path(link)).unwrap();
    let errors = news.rebuild_fails(&[link]);
    assert!(
        errors
            .iter()
            .any(|e| e.message.contains("points outside the site folder")),
        "{}",
        render(errors)
    );
}

/// A named edit and the paths it touches.
type Step = (&'static str, Box<dyn Fn(&Site)>, Vec<&'static str>);

#[test]
fn many_edits_in_a_row_stay_identical_to_fresh_builds() {
    let mut news = Incremental::new();
    let steps: Vec<Step> = vec![
        (
            "body edit",
            Box::new(|site: &Site| {
                let story = Story::new(
                    "Talks resume in Geneva",
                    "2025-05-10 14:00",
                    "Ben Okoro",
                    &["Diplomacy"],
                )
                .closing("A second round is planned.");
                site.write(TALKS, &story.text());
            }),
            vec![TALKS],
        ),
        (
            "two files at once",
            Box::new(|site: &Site| {
                let a = Story::new(
                    "Talks stall in Geneva",
                    "2025-05-10 14:00",
                    "Ben Okoro",
                    &["Diplomacy"],
                );
                site.write(TALKS, &a.text());
                let b = Story::new(
                    "Budget fails first reading",
                    "2025-05-09 12:00",
                    "Carla Mendes",
                    &["Economy"],
                );
                site.write(BUDGET, &b.text());
            }),
            vec![TALKS, BUDGET],
        ),
        (
            "date moves a story to the top",
            Box::new(|site: &Site| {
                let story = Story::new(
                    "Port reopens after the storm",
                    "2025-05-20 07:30",
                    "Ben Okoro",
                    &["Weather"],
                );
                site.write(PORT_REOPENS, &story.text());
            }),
            vec![PORT_REOPENS],
        ),
        (
            "link to another story",
            Box::new(|site: &Site| {
                let story = Story::new(
                    "Runoff called for June",
                    "2025-05-11 18:00",
                    "Ana Lima",
                    &["Elections"],
                )
                .closing("Read [the talks story](../world/talks-resume.md).");
                site.write(RUNOFF, &story.text());
            }),
            vec![RUNOFF],
        ),
        (
            "rename the linked story",
            Box::new(|site: &Site| {
                site.rename(TALKS, "content/world/geneva-talks.md");
                let story = Story::new(
                    "Runoff called for June",
                    "2025-05-11 18:00",
                    "Ana Lima",
                    &["Elections"],
                )
                .closing("Read [the talks story](../world/geneva-talks.md).");
                site.write(RUNOFF, &story.text());
            }),
            vec![TALKS, "content/world/geneva-talks.md", RUNOFF],
        ),
        (
            // The story that links to it is not saved: its body must follow the new URL.
            "new slug for the linked story",
            Box::new(|site: &Site| {
                let talks = site.read("content/world/geneva-talks.md");
                let moved = talks.replacen("---\n", "---\nslug: geneva-round-two\n", 1);
                site.write("content/world/geneva-talks.md", &moved);
            }),
            vec!["content/world/geneva-talks.md"],
        ),
        (
            "template override",
            Box::new(|site: &Site| site.write("templates/story.html", &story_template("Extra"))),
            vec!["templates/story.html"],
        ),
        (
            "site title",
            Box::new(|site: &Site| site.write("site.toml", &site_toml("The Late Gazette"))),
            vec!["site.toml"],
        ),
        (
            "body edit after the title",
            Box::new(|site: &Site| {
                let story = Story::new(
                    "Ceasefire holds along the northern border",
                    "2025-05-12 09:00",
                    "Ana Lima",
                    &["Diplomacy", "Security"],
                )
                .closing("Observers arrived on Friday.");
                site.write(CEASEFIRE, &story.text());
            }),
            vec![CEASEFIRE],
        ),
        (
            "delete a story",
            Box::new(|site: &Site| site.remove(BUDGET)),
            vec![BUDGET],
        ),
        (
            "time zone",
            Box::new(|site: &Site| {
                let toml = site_toml("The Late Gazette").replace("UTC", "Europe/Lisbon");
                site.write("site.toml", &toml);
            }),
            vec!["site.toml"],
        ),
        (
            "remove the template override",
            Box::new(|site: &Site| site.remove("templates/story.html")),
            vec!["templates/story.html"],
        ),
    ];
    for (name, edit, touched) in steps {
        edit(&news.site);
        let changed =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| news.rebuild(&touched)))
                .unwrap_or_else(|_| panic!("step `{name}` failed"));
        assert!(!changed.is_empty(), "step `{name}` changed nothing");
    }
}

#[test]
fn story_edit_saved_with_a_broken_site_toml_is_kept_once_it_is_fixed() {
    let mut news = Incremental::new();
    let good_config = news.site.read("site.toml");
    news.site.write("site.toml", "title = \n");
    let story = news
        .story(CEASEFIRE)
        .headline("Ceasefire collapses overnight");
    news.site.write(CEASEFIRE, &story.text());
    // One batch: `git checkout` or a search-and-replace over the site touches both.
    news.rebuild_fails(&["site.toml", CEASEFIRE]);
    news.site.write("site.toml", &good_config);
    news.rebuild(&["site.toml"]);
    assert!(
        news.page(CEASEFIRE_URL)
            .contains("Ceasefire collapses overnight")
    );
}

#[test]
fn story_edit_saved_with_a_missing_theme_is_kept_once_it_is_fixed() {
    let mut news = Incremental::new();
    let good_config = news.site.read("site.toml");
    news.site
        .write("site.toml", &format!("{good_config}theme = \"nightly\"\n"));
    let story = news
        .story(CEASEFIRE)
        .headline("Ceasefire collapses overnight");
    news.site.write(CEASEFIRE, &story.text());
    news.rebuild_fails(&["site.toml", CEASEFIRE]);
    news.site.write("site.toml", &good_config);
    news.rebuild(&["site.toml"]);
    assert!(
        news.page(CEASEFIRE_URL)
            .contains("Ceasefire collapses overnight")
    );
}

#[test]
fn tag_spelled_differently_by_an_edit_is_warned_about_until_fixed() {
    let mut news = Incremental::new();
    let tag_case_warnings = |news: &mut Incremental| -> Vec<String> {
        news.builder.changed(&news.site.path(RUNOFF));
        let built = news.builder.build().expect("the rebuild succeeds");
        built
            .warnings
            .iter()
            .map(|w| w.message.clone())
            .filter(|m| m.contains("only by case"))
            .collect()
    };
    let runoff = |tags: &[&str]| {
        Story::new(
            "Runoff called for June",
            "2025-05-11 18:00",
            "Ana Lima",
            tags,
        )
        .text()
    };
    news.site
        .write(RUNOFF, &runoff(&["Elections", "diplomacy"]));
    assert_eq!(
        tag_case_warnings(&mut news),
        ["the tag `diplomacy` differs from `Diplomacy` only by case"]
    );
    news.site
        .write(RUNOFF, &runoff(&["Elections", "Diplomacy"]));
    assert!(tag_case_warnings(&mut news).is_empty());
}
