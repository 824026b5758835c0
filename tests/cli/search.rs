//! Search: the index `dateline build` writes under `/search/index/`, read back the way the
//! theme's `search.js` reads it (the format is in docs/search.md), and the `/search/` page.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::harness::*;

/// The documents of the index that has every word of `query`, best first: the page's
/// ranking (headline matches first, then front matter, then body; ties newest first).
fn search(run: &Run, query: &str) -> Vec<String> {
    let index = Index::read(run);
    let mut scores: Option<BTreeMap<u64, u32>> = None;
    for word in query.split_whitespace() {
        let word = word.to_lowercase();
        let found = index.matches(&word);
        scores = Some(match scores {
            None => found,
            Some(before) => before
                .into_iter()
                .filter_map(|(doc, score)| Some((doc, score + found.get(&doc)?)))
                .collect(),
        });
    }
    let mut hits: Vec<(u64, u32)> = scores.unwrap_or_default().into_iter().collect();
    hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    hits.into_iter().map(|(doc, _)| index.url(doc)).collect()
}

struct Index<'r> {
    run: &'r Run,
    meta: Value,
}

impl<'r> Index<'r> {
    fn read(run: &'r Run) -> Index<'r> {
        let meta = serde_json::from_str(&run.read("search/index/meta.json")).expect("meta.json");
        Index { run, meta }
    }

    fn json(&self, file: &str) -> Value {
        let text = self.run.read(&format!("search/index/{file}"));
        serde_json::from_str(&text).unwrap_or_else(|err| panic!("{file}: {err}"))
    }

    /// The shard holding `key`: the last whose first key is not after it.
    fn shard(&self, key: &str) -> Value {
        let shards = self.meta["shards"].as_array().expect("shards");
        let name = shards
            .iter()
            .rfind(|s| s[0].as_str().unwrap() <= key)
            .unwrap_or(&shards[0])[1]
            .as_str()
            .unwrap()
            .to_string();
        self.json(&format!("t/{name}.json"))
    }

    /// The stem `word` is looked up by: its own from `w`, itself when it is a stem, else the
    /// longest stem that begins it and has at least half its characters (a form the archive
    /// does not have).
    fn stem(&self, word: &str) -> String {
        let stem = self.shard(word)["w"][word]
            .as_str()
            .unwrap_or(word)
            .to_string();
        if self.shard(&stem)["p"].get(&stem).is_some() {
            return stem;
        }
        let chars: Vec<char> = word.chars().collect();
        let shortest = 3.max(chars.len().div_ceil(2));
        (shortest..chars.len())
            .rev()
            .map(|n| chars[..n].iter().collect::<String>())
            .find(|prefix| self.shard(prefix)["p"].get(prefix).is_some())
            .unwrap_or(stem)
    }

    /// Each document with `word`, with the weight of the best place it is in.
    fn matches(&self, word: &str) -> BTreeMap<u64, u32> {
        let stem = self.stem(word);
        let mut found = BTreeMap::new();
        let postings = &self.shard(&stem)["p"][&stem];
        for (tier, weight) in [4, 2, 1].into_iter().enumerate() {
            for doc in decode(postings[tier].as_str().unwrap_or("")) {
                let best: &mut u32 = found.entry(doc).or_default();
                *best = (*best).max(weight);
            }
        }
        found
    }

    fn record(&self, doc: u64) -> Value {
        let chunk = self.meta["chunk"].as_u64().unwrap();
        self.json(&format!("d/{}.json", doc / chunk))[(doc % chunk) as usize].clone()
    }

    fn url(&self, doc: u64) -> String {
        self.record(doc)["u"].as_str().unwrap().to_string()
    }
}

/// Postings as docs/search.md describes them.
fn decode(text: &str) -> Vec<u64> {
    const DIGITS: &str = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZ_-wxyz";
    let mut docs = Vec::new();
    let (mut previous, mut value) = (-1i64, 0i64);
    for c in text.chars() {
        let digit = DIGITS.find(c).expect("a postings digit") as i64;
        value = value * 32 + digit % 32;
        if digit < 32 {
            previous += value + 1;
            docs.push(previous as u64);
            value = 0;
        }
    }
    docs
}

fn newsroom() -> Site {
    Site::new()
        .story(
            "politics/vote.md",
            "headline: \"Parliament calls snap election\"\ndate: 2025-03-01 10:00\nauthor: Ana Lima\ntags: [Parliament]",
            "Members voted late on Tuesday after a long debate.\n",
        )
        .story(
            "politics/budget.md",
            "headline: \"Budget passes first reading\"\ndek: \"A narrow vote.\"\ndate: 2025-04-01 10:00\nauthor: Ben Okoro",
            "The finance minister said the elections next year would not change the plan. \
             Fishermen protested outside.\n",
        )
        .story(
            "world/draft.md",
            "headline: \"Secret summit planned\"\ndate: 2025-02-01 10:00\ndraft: true",
            "A clandestine gathering of ministers.\n",
        )
        .story(
            "world/future.md",
            "headline: \"Summit next year\"\ndate: 2027-02-01 10:00",
            "An embargoed announcement.\n",
        )
        .story(
            "world/tokyo.md",
            "headline: \"東京都知事選挙\"\ndate: 2025-01-01 10:00\nslug: tokyo-vote",
            "都知事選挙の投票が始まった。\n",
        )
}

#[test]
fn a_story_is_found_by_a_word_of_its_body() {
    let run = newsroom().build();
    run.assert_success();
    assert_eq!(search(&run, "fishermen"), ["/politics/2025/04/budget/"]);
    assert_eq!(search(&run, "debate"), ["/politics/2025/03/vote/"]);
}

#[test]
fn a_headline_match_ranks_before_a_newer_body_match() {
    let run = newsroom().build();
    assert_eq!(
        search(&run, "election"),
        ["/politics/2025/03/vote/", "/politics/2025/04/budget/",],
        "the older story has the word in its headline; the newer only in its body"
    );
}

#[test]
fn a_stemmed_form_finds_the_other_forms_of_the_word() {
    let run = newsroom().build();
    let elections = search(&run, "elections");
    assert_eq!(elections, search(&run, "election"));
    assert!(elections.contains(&"/politics/2025/03/vote/".into()));
    assert_eq!(search(&run, "voted"), search(&run, "vote"));
    assert_eq!(
        search(&run, "debates"),
        ["/politics/2025/03/vote/"],
        "a form no story has is looked up by its stem's beginning"
    );
}

#[test]
fn drafts_and_scheduled_stories_are_not_in_the_index() {
    let run = newsroom().build();
    assert!(search(&run, "clandestine").is_empty());
    assert!(search(&run, "embargoed").is_empty());
    assert!(!run.read("search/index/d/0.json").contains("Secret summit"));
    let with_drafts = newsroom().build_with(&["--drafts"]);
    with_drafts.assert_success();
    assert!(
        search(&with_drafts, "clandestine").is_empty(),
        "even with --drafts"
    );
}

#[test]
fn text_without_spaces_is_found_by_its_characters() {
    let run = newsroom().build();
    assert_eq!(search(&run, "選 挙"), ["/world/2025/01/tokyo-vote/"]);
    assert_eq!(search(&run, "投"), ["/world/2025/01/tokyo-vote/"]);
}

#[test]
fn the_search_page_has_an_accessible_form_and_a_fallback_without_javascript() {
    let run = newsroom().build();
    let page = run.page("/search/");
    assert_eq!(page.attr("form.search-form", "role"), "search");
    assert_eq!(page.attr("form.search-form", "action"), "/search/");
    assert_eq!(page.attr("label[for=search-q]", "for"), "search-q");
    assert_eq!(page.attr("#search-q", "name"), "q");
    assert_eq!(page.attr("#search-status", "role"), "status");
    assert!(page.text("#search-fallback").contains("needs JavaScript"));
    assert!(
        page.attrs("#search-fallback a", "href")
            .contains(&"/tags/".to_string())
    );
    assert_eq!(
        page.attr("[data-search-index]", "data-search-index"),
        "/search/index/"
    );
    assert!(run.exists("search.js"));
    let front = run.page("/");
    assert_eq!(front.attr("form.masthead-search", "action"), "/search/");
    assert_eq!(front.attr("form.masthead-search input", "name"), "q");
}

#[test]
fn search_can_be_turned_off_or_leave_sections_out() {
    let off = newsroom().config("[search]\nenabled = false\n").build();
    off.assert_success();
    assert!(!off.exists("search/index/meta.json"));
    assert!(!off.exists("search/index.html"));
    assert_eq!(off.page("/").count("form.masthead-search"), 0);

    let no_politics = newsroom()
        .config("[search]\nexclude_sections = [\"Politics\"]\n")
        .build();
    no_politics.assert_success();
    assert!(search(&no_politics, "fishermen").is_empty());
    assert_eq!(search(&no_politics, "投").len(), 1);
}

#[test]
fn stemming_follows_the_site_language_or_search_language() {
    let french = Site::with_config(
        "title = \"Le Journal\"\nbase_url = \"https://journal.example.org/\"\nlanguage = \"fr\"\n",
    )
    .story(
        "politique/vote.md",
        "headline: \"Les élections municipales\"\ndate: 2025-03-01 10:00",
        "Le scrutin a eu lieu.\n",
    );
    let run = french.build();
    run.assert_success();
    assert_eq!(search(&run, "élection").len(), 1);

    let unknown = Site::new()
        .config("[search]\nlanguage = \"klingon\"\n")
        .build();
    unknown.assert_failure();
    let error = unknown.single_error();
    assert!(
        error.message.contains("cannot stem words in `klingon`"),
        "{}",
        error.message
    );
    assert!(error.help.as_deref().unwrap_or("").contains("en, es"));
}
