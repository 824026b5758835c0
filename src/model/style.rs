//! The newsroom's style rules: things that are not wrong enough to stop a build, but that an
//! editor would send back before publishing (a headline too long for a phone, a photo without a
//! credit, a story that will not appear until a date in the future).
//!
//! Every rule is a pure function over parsed stories and gives warnings at the line to fix.
//! `check` shows them and can fail on them (`--deny-warnings`); `build` shows them and goes on.

use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

use jiff::Timestamp;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::parse::story::Story;
use crate::site::config::Site;
use crate::source::SourceFile;

/// Longer headlines wrap to four lines and more on a phone and are cut off in search results.
pub const HEADLINE_LIMIT: usize = 110;
/// A dek is one or two sentences; past this it is a paragraph and listings cut it.
pub const DEK_LIMIT: usize = 200;

/// The warnings of the rules that look at one story at a time, with `now` deciding what is in
/// the future. Pages are not held to story rules. The builder keeps them with the parsed file,
/// so a rebuild runs them only for files that changed; [`tag_case`] looks at all stories.
pub fn story_rules(story: &Story, now: Timestamp) -> Vec<Diagnostic> {
    let mut warnings = story.front.repairs.clone();
    warnings.extend(comments_after_text(story));
    if story.is_page() {
        return warnings;
    }
    warnings.extend(
        [
            headline_length(story),
            dek(story),
            photo_credit(story),
            future_date(story, now),
        ]
        .into_iter()
        .flatten(),
    );
    warnings
}

/// Text cut off by a `#` in an unquoted value: YAML reads ` #` and all after it as a comment,
/// so `dek: Talks lasted under two hours #Istanbul, no cease-fire` publishes only "Talks
/// lasted under two hours". Hashtags are common in newsroom copy, so each such value gets a
/// warning that names what was dropped and how to keep it.
pub fn comments_after_text(story: &Story) -> Vec<Diagnostic> {
    comments_in(&story.file, story.body_offset)
}

/// The warnings of [`comments_after_text`] for a file whose front matter did not read: the
/// cut text is one of its problems too, and the editor fixing the others should hear of it in
/// the same run.
pub fn comments_in_unread(file: &Arc<SourceFile>) -> Vec<Diagnostic> {
    match crate::parse::front_matter::split(&file.text) {
        Ok(split) => comments_in(file, split.body_offset),
        Err(_) => Vec::new(),
    }
}

fn comments_in(file: &Arc<SourceFile>, body_offset: usize) -> Vec<Diagnostic> {
    let text = &file.text;
    let front = &text[..body_offset.min(text.len())];
    let mut warnings = Vec::new();
    let mut offset = 0;
    for line in front.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((at, value)) = crate::parse::yaml_traps::value_of(content)
            && value.starts_with('#')
        {
            let key = content.split(':').next().unwrap_or("key").trim();
            warnings.push(
                Diagnostic::warning(
                    &file.display,
                    format!("`{value}` is left out: YAML reads a value that starts with `#` as a comment"),
                )
                .with_span(text, start + at..start + content.len())
                .with_help(format!(
                    "to keep it, put the whole value in quotes: {key}: \"{}\"",
                    value.replace('"', "\\\"")
                )),
            );
            continue;
        }
        let Some((value_at, value)) = crate::parse::yaml_traps::plain_value(content) else {
            continue;
        };
        let Some(hash) = value.find(" #").or_else(|| value.find("\t#")) else {
            continue;
        };
        let kept = value[..hash].trim_end();
        if kept.is_empty() {
            continue;
        }
        let dropped = value[hash..].trim_start();
        let at = start + value_at + hash + (value[hash..].len() - dropped.len());
        warnings.push(
            Diagnostic::warning(
                &file.display,
                format!("`{dropped}` is left out: in YAML, ` #` starts a comment"),
            )
            .with_span(text, at..start + content.len())
            .with_help(format!(
                "to keep it, put the whole value in quotes: \"{}\"",
                value.replace('"', "\\\"")
            )),
        );
    }
    warnings
}

fn warning_at(story: &Story, span: Range<usize>, message: String, help: &str) -> Diagnostic {
    Diagnostic::warning(&story.file.display, message)
        .with_span(story.text(), span)
        .with_help(help)
}

/// A headline over [`HEADLINE_LIMIT`] characters.
pub fn headline_length(story: &Story) -> Option<Diagnostic> {
    let length = story.front.headline.chars().count();
    (length > HEADLINE_LIMIT).then(|| {
        warning_at(
            story,
            story.front.headline_span.clone(),
            format!("the headline is {length} characters long (the limit is {HEADLINE_LIMIT})"),
            "shorten it and move the detail into the dek: long headlines wrap badly on phones \
             and are cut off in search results",
        )
    })
}

/// A story without a dek, or with one over [`DEK_LIMIT`] characters.
pub fn dek(story: &Story) -> Option<Diagnostic> {
    let Some(dek) = &story.front.dek else {
        let span = story.front.dek_span.clone();
        return Some(warning_at(
            story,
            span.unwrap_or_else(|| story.front.headline_span.clone()),
            "the story has no dek".into(),
            "add `dek:` with one sentence under the headline saying why the story matters; \
             listings, feeds and search results show it",
        ));
    };
    let length = dek.chars().count();
    (length > DEK_LIMIT).then(|| {
        let span = story
            .front
            .dek_span
            .clone()
            .unwrap_or_else(|| story.front.headline_span.clone());
        warning_at(
            story,
            span,
            format!("the dek is {length} characters long (the limit is {DEK_LIMIT})"),
            "keep it to one or two sentences; listings cut long deks off",
        )
    })
}

/// A lead photo without a credit.
pub fn photo_credit(story: &Story) -> Option<Diagnostic> {
    let photo = story.front.photo.as_ref()?;
    photo.credit.is_none().then(|| {
        warning_at(
            story,
            photo.span.clone(),
            "the photo has no credit".into(),
            "add `credit:` to the photo with the photographer or agency, e.g. `credit: \"Ana \
             Lopes / Reuters\"`",
        )
    })
}

/// A story dated after `now`: it stays off the site until a build runs after that time.
pub fn future_date(story: &Story, now: Timestamp) -> Option<Diagnostic> {
    let date = story.front.date.as_ref()?;
    (date.timestamp() > now).then(|| {
        let span = story
            .front
            .date_span
            .clone()
            .unwrap_or_else(|| story.front.headline_span.clone());
        let when = date.strftime("%Y-%m-%d %H:%M %Z");
        warning_at(
            story,
            span,
            format!("the story is dated in the future ({when}) and is not published yet"),
            "it goes live with the first build after that time; if the date is a typo, fix it",
        )
    })
}

/// A warning for each `[authors."Name"]` entry of site.toml that no story's byline names
/// (`Nadia Rahmen` for `Nadia Rahman`): its bio and link would silently go unused. `config` is
/// site.toml's text, where the warning points.
pub fn unmatched_authors(site: &Site, config: &Arc<str>, stories: &[&Story]) -> Diagnostics {
    let bylines: HashSet<&str> = stories
        .iter()
        .flat_map(|s| &s.front.authors)
        .map(String::as_str)
        .collect();
    let known: Vec<&str> = bylines.iter().copied().collect();
    let mut problems = Diagnostics::new();
    for name in site.config.authors.keys() {
        if bylines.contains(name.as_str()) {
            continue;
        }
        let help = match crate::site::config::nearest_key(name, &known) {
            Some(byline) => format!("did you mean `{byline}`, as the stories spell it?"),
            None => "check the spelling against the stories' `author:` lines, or remove the \
                     entry"
                .to_string(),
        };
        let mut warning = Diagnostic::warning(
            crate::site::config::CONFIG_FILE,
            format!("`[authors.\"{name}\"]` matches no story's byline"),
        )
        .with_help(help);
        if let Some(at) = config.find(&format!("\"{name}\"")) {
            warning = warning.with_span(config, at..at + name.len() + 2);
        }
        problems.push(warning);
    }
    problems
}

/// Tags that differ only by case (`ukraine`, `Ukraine`) share one topic page but show two
/// spellings: warn at every spelling but the most used one.
pub fn tag_case(stories: &[&Story]) -> Diagnostics {
    type Uses<'a> = BTreeMap<&'a str, Vec<(&'a Story, Range<usize>)>>;
    // Ten thousand stories use a few hundred spellings: compare those, and look at the uses
    // only when two of them clash (a rebuild in `serve` runs this at every save).
    let spellings: HashSet<&str> = stories
        .iter()
        .flat_map(|s| &s.front.tags)
        .map(String::as_str)
        .collect();
    let mut lowercase: HashMap<String, usize> = HashMap::default();
    for spelling in &spellings {
        *lowercase.entry(spelling.to_lowercase()).or_default() += 1;
    }
    let clashing: HashSet<&str> = spellings
        .into_iter()
        .filter(|s| lowercase.get(&s.to_lowercase()).is_some_and(|&n| n > 1))
        .collect();
    if clashing.is_empty() {
        return Diagnostics::new();
    }
    let mut by_lowercase: BTreeMap<String, Uses<'_>> = BTreeMap::new();
    for story in stories {
        for (tag, span) in story.front.tags.iter().zip(&story.front.tag_spans) {
            if clashing.contains(tag.as_str()) {
                by_lowercase
                    .entry(tag.to_lowercase())
                    .or_default()
                    .entry(tag.as_str())
                    .or_default()
                    .push((story, span.clone()));
            }
        }
    }
    let mut warnings = Diagnostics::new();
    for spellings in by_lowercase.values().filter(|s| s.len() > 1) {
        // The most used spelling wins; on a tie, the first in sort order (capitalised first).
        let Some((preferred, uses)) = spellings
            .iter()
            .max_by(|(a, x), (b, y)| x.len().cmp(&y.len()).then_with(|| b.cmp(a)))
        else {
            continue;
        };
        for (spelling, places) in spellings.iter().filter(|(s, _)| *s != preferred) {
            for (story, span) in places {
                warnings.push(warning_at(
                    story,
                    span.clone(),
                    format!("the tag `{spelling}` differs from `{preferred}` only by case"),
                    &format!(
                        "write it `{preferred}` as in {} so that its topic page shows one name",
                        crate::util::text::plural(uses.len(), "story")
                    ),
                ));
            }
        }
    }
    warnings
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::sync::Arc;

    use super::*;

    use crate::site::config::Site;
    use crate::source::SourceFile;

    const NOW: &str = "2025-06-01T12:00:00Z";

    fn story(path: &str, front_matter: &str) -> Story {
        let site = Site::parse(
            "title = \"T\"\nbase_url = \"https://example.org\"\n",
            Path::new("site.toml"),
        )
        .unwrap();
        let text = format!("---\n{front_matter}\n---\nBody.\n");
        let file = SourceFile {
            path: path.into(),
            display: Path::new("content").join(path),
            hash: crate::util::hash::hash_of(&text),
            text: Arc::from(text),
        };
        crate::parse::story::parse(Arc::new(file), &site, NOW.parse().unwrap()).unwrap()
    }

    fn good(extra: &str) -> Story {
        story(
            "world/a.md",
            &format!("headline: Talks resume\ndek: Why it matters.\ndate: 2025-05-01\n{extra}"),
        )
    }

    fn warnings(stories: &[&Story]) -> Vec<Diagnostic> {
        let now = NOW.parse().unwrap();
        let mut warnings: Diagnostics = stories.iter().flat_map(|s| story_rules(s, now)).collect();
        let stories: Vec<&Story> = stories.iter().copied().filter(|s| !s.is_page()).collect();
        warnings.extend(tag_case(&stories));
        warnings.sorted()
    }

    #[test]
    fn a_story_in_house_style_has_no_warnings() {
        let s = good("photo: {src: a.jpg, alt: A, credit: Staff}\ntags: [Ukraine]");
        assert_eq!(warnings(&[&s]), []);
    }

    #[test]
    fn long_headline_is_a_warning_at_the_headline_line() {
        let long = "A".repeat(HEADLINE_LIMIT + 1);
        let s = story(
            "world/a.md",
            &format!("date: 2025-05-01\ndek: D\nheadline: {long}"),
        );
        let w = warnings(&[&s]);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(w[0].message.contains("111 characters"), "{}", w[0].message);
        assert_eq!(
            (w[0].line, w[0].severity),
            (4, crate::diagnostic::Severity::Warning)
        );
        let exact = "É".repeat(HEADLINE_LIMIT);
        let s = story(
            "world/a.md",
            &format!("date: 2025-05-01\ndek: D\nheadline: {exact}"),
        );
        assert_eq!(
            warnings(&[&s]),
            [],
            "the limit counts characters, not bytes"
        );
    }

    #[test]
    fn missing_and_long_deks_are_warnings() {
        let s = story("world/a.md", "headline: H\ndate: 2025-05-01");
        let w = warnings(&[&s]);
        assert_eq!(w[0].message, "the story has no dek");
        assert_eq!(w[0].line, 2);
        let long = "word ".repeat(41);
        let s = story(
            "world/a.md",
            &format!("headline: H\ndate: 2025-05-01\ndek: {long}"),
        );
        let w = warnings(&[&s]);
        assert!(
            w[0].message.starts_with("the dek is 204 characters"),
            "{w:?}"
        );
        assert_eq!(w[0].line, 4);
    }

    #[test]
    fn photo_without_credit_is_a_warning_at_the_photo_block() {
        let s = good("photo:\n  src: a.jpg\n  alt: A");
        let w = warnings(&[&s]);
        assert_eq!(w.len(), 1, "{w:?}");
        assert_eq!(w[0].message, "the photo has no credit");
        assert_eq!(w[0].line, 6);
    }

    #[test]
    fn future_date_is_relative_to_now() {
        let s = story(
            "world/a.md",
            "headline: H\ndek: D\ndate: 2025-06-01T12:00:01Z",
        );
        let w = warnings(&[&s]);
        assert_eq!(w.len(), 1, "{w:?}");
        assert!(
            w[0].message.contains("2025-06-01 12:00 UTC"),
            "{}",
            w[0].message
        );
        assert_eq!(w[0].line, 4);
        let now = story(
            "world/b.md",
            "headline: H\ndek: D\ndate: 2025-06-01T12:00:00Z",
        );
        assert_eq!(warnings(&[&now]), []);
    }

    #[test]
    fn tags_differing_only_by_case_warn_at_the_less_used_spelling() {
        let a = good("tags: [Ukraine, Energy]");
        let b = story(
            "world/b.md",
            "headline: B\ndek: D\ndate: 2025-05-02\ntags: [Ukraine]",
        );
        let c = story(
            "world/c.md",
            "headline: C\ndek: D\ndate: 2025-05-03\ntags:\n  - energy\n  - ukraine",
        );
        let w = warnings(&[&a, &b, &c]);
        assert_eq!(w.len(), 2, "{w:?}");
        assert_eq!(
            w[0].message, "the tag `energy` differs from `Energy` only by case",
            "on a tie the capitalised spelling wins"
        );
        assert_eq!(
            w[1].message,
            "the tag `ukraine` differs from `Ukraine` only by case"
        );
        assert_eq!(
            (w[1].file.as_path(), w[1].line),
            (Path::new("content/world/c.md"), 7)
        );
        assert!(w[1].help.as_deref().unwrap().contains("2 stories"));
    }

    #[test]
    fn pages_are_not_held_to_story_rules() {
        let page = story("about.md", "headline: About us\nlayout: page");
        assert_eq!(warnings(&[&page]), []);
    }

    #[test]
    fn a_hash_after_text_in_an_unquoted_value_is_named_with_what_it_drops() {
        let story = story(
            "world/a.md",
            "headline: Talks\ndek: Talks lasted under two hours #Istanbul, no cease-fire\n\
             date: 2025-05-19\ntags:\n  - Diplomacy #main",
        );
        let warnings = comments_after_text(&story);
        let messages: Vec<&str> = warnings.iter().map(|w| w.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "`#Istanbul, no cease-fire` is left out: in YAML, ` #` starts a comment",
                "`#main` is left out: in YAML, ` #` starts a comment",
            ]
        );
        assert_eq!((warnings[0].line, warnings[0].column), (3, 35));
        assert!(
            warnings[0]
                .help
                .as_deref()
                .unwrap_or("")
                .contains("\"Talks lasted under two hours #Istanbul, no cease-fire\"")
        );
    }

    #[test]
    fn quoted_values_and_whole_line_comments_are_left_alone() {
        let story = story(
            "world/a.md",
            "headline: \"Talks #1\"\n# a comment #2\ndek: 'No #3 here'\n\
             date: 2025-05-19 # the day\nslug: talks#4",
        );
        let messages: Vec<String> = comments_after_text(&story)
            .into_iter()
            .map(|w| w.message)
            .collect();
        assert_eq!(
            messages,
            ["`# the day` is left out: in YAML, ` #` starts a comment"]
        );
    }
}
