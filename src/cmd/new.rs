//! `dateline new "Headline"`: a new story file with its front matter filled in, as a draft.
//!
//! Prints only the new file's path, so that `$EDITOR "$(dateline new "...")"` works.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::cmd::report;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::site::config::{CONFIG_FILE, Site};
use crate::site::slug::slugify;
use crate::source::{CONTENT_DIR, read_text};
use crate::util::fs::io_reason;

/// What to write and where.
#[derive(Debug, Clone)]
pub struct NewStory {
    pub root: PathBuf,
    pub headline: String,
    /// Defaults to the first of `sections` in `site.toml`.
    pub section: Option<String>,
    pub author: Option<String>,
    /// Write `<slug>/index.md`, a story folder that can hold its photos.
    pub folder: bool,
}

/// Slugs longer than this are cut at a word: file names and URLs stay readable and far from
/// file-system limits, whatever the headline.
const SLUG_LIMIT: usize = 80;

/// Writes the story; returns the process exit code.
pub fn new_story(options: &NewStory) -> i32 {
    match write_story(options) {
        Ok(path) => {
            println!("{}", path.display());
            0
        }
        Err(diagnostics) => {
            report(diagnostics);
            1
        }
    }
}

fn write_story(options: &NewStory) -> Result<PathBuf, Diagnostics> {
    let error = |file: &Path, message: String, help: &str| {
        Diagnostics::from_iter([Diagnostic::error(file, message).with_help(help)])
    };
    let root = &options.root;
    let config = read_text(&root.join(CONFIG_FILE), root).map_err(|d| {
        Diagnostics::from_iter([d.with_help(format!(
            "run dateline new in the folder that holds {CONFIG_FILE}, or pass --root"
        ))])
    })?;
    let site = Site::parse(&config, CONFIG_FILE.as_ref())?;
    let headline = options.headline.trim();
    let slug = story_slug(headline);
    if slug.is_empty() {
        return Err(error(
            Path::new("headline"),
            format!("cannot make a file name from the headline `{headline}`"),
            "the headline needs letters or digits",
        ));
    }
    let Some(section) = options
        .section
        .clone()
        .or_else(|| site.config.sections.first().cloned())
    else {
        return Err(error(
            Path::new(CONFIG_FILE),
            "which section is the story in?".into(),
            "pass --section, e.g. `--section World`, or list the sections in site.toml: \
             `sections = [\"World\"]`",
        ));
    };
    let section_slug = slugify(&section);
    if section_slug.is_empty() {
        return Err(error(
            Path::new("--section"),
            format!("cannot make a folder name from the section `{section}`"),
            "the section name needs letters or digits",
        ));
    }
    if let Some(meant) = misspelt_section(root, &site, &section_slug) {
        return Err(error(
            Path::new("--section"),
            format!("there is no section `{section}`; did you mean `{meant}`?"),
            "pass the section as the site spells it; a name far from every section starts a \
             new one",
        ));
    }
    let relative = story_path(&section_slug, &slug, options.folder);
    let other_form = story_path(&section_slug, &slug, !options.folder);
    let path = root.join(&relative);
    let shown = if root == Path::new(".") {
        relative.clone()
    } else {
        path.clone()
    };
    if root.join(&other_form).exists() {
        return Err(error(
            &shown,
            format!(
                "a story with this slug already exists: {}",
                other_form.display()
            ),
            "edit that story, or choose another headline",
        ));
    }
    let date = jiff::Timestamp::now()
        .to_zoned_datetime(site.timezone.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    let text = front_matter(
        headline,
        &section,
        options.author.as_deref().map(str::trim),
        &date,
    );
    let written = path
        .parent()
        .map_or(Ok(()), std::fs::create_dir_all)
        .and_then(|()| {
            // `create_new`: never replace a story someone is writing.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&path)?;
            file.write_all(text.as_bytes())
        });
    match written {
        Ok(()) => Ok(shown),
        Err(err) if err.kind() == std::io::ErrorKind::AlreadyExists => Err(error(
            &shown,
            "the story already exists; it was left as it was".into(),
            "edit it, or choose another headline",
        )),
        Err(err) => Err(error(
            &shown,
            format!("cannot write the story: {}", io_reason(&err)),
            "check that the content folder is writable",
        )),
    }
}

/// The section, listed in site.toml or a folder of `content/`, that `slug` is a spelling away
/// from, when it is not one itself: `Sprots` would otherwise create `content/sprots/`.
fn misspelt_section(root: &Path, site: &Site, slug: &str) -> Option<String> {
    let mut known: Vec<(String, String)> = site
        .config
        .sections
        .iter()
        .map(|name| (slugify(name), name.clone()))
        .collect();
    if let Ok(entries) = std::fs::read_dir(root.join(CONTENT_DIR)) {
        known.extend(
            entries
                .flatten()
                .filter(|entry| entry.file_type().is_ok_and(|t| t.is_dir()))
                .filter_map(|entry| entry.file_name().to_str().map(str::to_string))
                .map(|folder| (folder.clone(), folder)),
        );
    }
    if known.iter().any(|(known, _)| known == slug) {
        return None;
    }
    let slugs: Vec<&str> = known.iter().map(|(slug, _)| slug.as_str()).collect();
    let meant = crate::site::config::nearest_key(slug, &slugs)?;
    known
        .iter()
        .find(|(known, _)| known == meant)
        .map(|(_, name)| name.clone())
}

/// The slug of a headline, at most `SLUG_LIMIT` (80) characters, cut between words.
pub fn story_slug(headline: &str) -> String {
    let slug = slugify(headline);
    if slug.len() <= SLUG_LIMIT {
        return slug;
    }
    let cut = slug[..=SLUG_LIMIT].rfind('-').unwrap_or(SLUG_LIMIT);
    slug[..cut].trim_end_matches('-').to_string()
}

/// `content/world/talks.md`, or `content/world/talks/index.md` for a story folder.
pub fn story_path(section_slug: &str, slug: &str, folder: bool) -> PathBuf {
    let dir = Path::new(CONTENT_DIR).join(section_slug);
    if folder {
        dir.join(slug).join("index.md")
    } else {
        dir.join(format!("{slug}.md"))
    }
}

/// The new story's text: front matter with every value quoted, and a line to write over.
pub fn front_matter(headline: &str, section: &str, author: Option<&str>, date: &str) -> String {
    let mut text = String::from("---\n");
    text.push_str(&format!("headline: {}\n", yaml_string(headline)));
    text.push_str("dek: \"\"\n");
    text.push_str(&format!("date: {date}\n"));
    if let Some(author) = author.filter(|a| !a.is_empty()) {
        text.push_str(&format!("author: {}\n", yaml_string(author)));
    }
    text.push_str(&format!("section: {}\n", yaml_string(section)));
    text.push_str("tags: []\n");
    text.push_str("draft: true\n");
    text.push_str("---\n");
    text.push_str(
        "Write the story here. Delete `draft: true` above when it is ready to publish.\n",
    );
    text
}

/// A YAML double-quoted scalar: any text (quotes, colons, `#`, leading dashes, newlines)
/// reads back exactly.
pub fn yaml_string(text: &str) -> String {
    let mut quoted = String::with_capacity(text.len() + 2);
    quoted.push('"');
    for c in text.chars() {
        match c {
            '"' => quoted.push_str("\\\""),
            '\\' => quoted.push_str("\\\\"),
            '\n' => quoted.push_str("\\n"),
            '\t' => quoted.push_str("\\t"),
            '\r' => quoted.push_str("\\r"),
            c if c.is_control() || c == '\u{feff}' => {
                quoted.push_str(&format!("\\u{:04X}", u32::from(c)));
            }
            c => quoted.push(c),
        }
    }
    quoted.push('"');
    quoted
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;
    use crate::parse::front_matter::{parse, split};

    fn reparse(text: &str) -> crate::parse::front_matter::FrontMatter {
        let source: Arc<str> = Arc::from(text);
        let split = split(&source).unwrap();
        parse(Path::new("a.md"), &source, &split, &jiff::tz::TimeZone::UTC).unwrap()
    }

    #[test]
    fn awkward_headlines_and_authors_round_trip_through_the_parser() {
        for headline in [
            "Élections à Zürich: ce qui change",
            "\"Never again,\" says minister: #MeToo - [updated] {live}",
            "- starts with a dash & ends with a colon:",
            "Back\\slash and 'single' quotes\tand a tab",
            "yes",
            "2025",
        ] {
            let text = front_matter(
                headline,
                "World: Europe",
                Some("O'Brien: \"Jo\""),
                "2025-05-19 14:30",
            );
            let front = reparse(&text);
            assert_eq!(front.headline, headline.trim());
            assert_eq!(front.authors, ["O'Brien: \"Jo\""]);
            assert_eq!(front.section.as_deref(), Some("World: Europe"));
            assert!(front.draft);
            assert_eq!(front.date.unwrap().hour(), 14);
        }
    }

    #[test]
    fn slugs_transliterate_and_drop_punctuation() {
        assert_eq!(
            story_slug("Élections à Zürich: ce qui change"),
            "elections-a-zurich-ce-qui-change"
        );
    }

    #[test]
    fn long_slugs_are_cut_between_words() {
        let slug = story_slug(&"Parliament approves budget ".repeat(10));
        assert!(slug.len() <= SLUG_LIMIT, "{slug}");
        assert!(
            slug.ends_with("budget") || slug.ends_with("approves") || slug.ends_with("parliament"),
            "{slug}"
        );
    }

    #[test]
    fn folder_stories_are_index_files() {
        assert_eq!(
            story_path("world", "talks", false),
            Path::new("content/world/talks.md")
        );
        assert_eq!(
            story_path("world", "talks", true),
            Path::new("content/world/talks/index.md")
        );
    }
}
