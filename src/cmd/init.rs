//! `dateline init [DIR]`: a new newsroom that builds at once, with a commented `site.toml`, one
//! example story and a support page. Nothing else: the built-in theme serves until the outlet
//! wants its own.

use std::path::{Path, PathBuf};

use crate::cmd::new::yaml_string;
use crate::cmd::report;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::site::config::CONFIG_FILE;
use crate::site::slug::slugify;
use crate::source::CONTENT_DIR;
use crate::util::fs::io_reason;

const GITIGNORE: &str = ".gitignore";

/// What builds make beside the sources: the site, the staging folders of a build that was
/// stopped, and the page record and image cache.
const GITIGNORE_TEXT: &str = "\
# Made by `dateline build`: the site, a stopped build's staging folders, the caches.
/public/
/.public.*
/.dateline-cache/
";

/// The patterns of [`GITIGNORE_TEXT`] that `existing` lacks. `public`, `/public` and
/// `public/` all count as `/public/`: what matters is that the folder is ignored.
fn missing_ignores(existing: &str) -> Vec<&'static str> {
    let bare = |line: &str| line.trim().trim_matches('/').to_string();
    let present: Vec<String> = existing.lines().map(bare).collect();
    GITIGNORE_TEXT
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter(|line| !present.contains(&bare(line)))
        .collect()
}

/// The files of a new site, relative to its folder, with their text.
pub struct Starter {
    pub files: Vec<(PathBuf, String)>,
}

/// What a new site is called and when its example story was published.
pub struct StarterValues<'a> {
    pub title: &'a str,
    /// An IANA zone name for `site.toml`.
    pub timezone: &'a str,
    /// `YYYY-MM-DD HH:MM` in that zone.
    pub now: &'a str,
}

/// Creates the site in `dir` (made if missing); returns the process exit code.
pub fn init(dir: &Path) -> i32 {
    let fail = |diagnostic: Diagnostic| {
        report(Diagnostics::from_iter([diagnostic]));
        1
    };
    let config = dir.join(CONFIG_FILE);
    if config.exists() {
        return fail(
            Diagnostic::error(&config, "this folder already holds a Dateline site")
                .with_help("`dateline init` never overwrites a site; give it a new folder, e.g. `dateline init gazette`"),
        );
    }
    let zone = jiff::tz::TimeZone::system();
    let timezone = zone.iana_name().unwrap_or("UTC").to_string();
    let now = jiff::Timestamp::now()
        .to_zoned_datetime(zone)
        .strftime("%Y-%m-%d %H:%M")
        .to_string();
    let title = title_from_folder(dir);
    let starter = starter(&StarterValues {
        title: &title,
        timezone: &timezone,
        now: &now,
    });
    // A folder made by a Git host may come with its own .gitignore: it is kept as it is.
    let own_gitignore = dir.join(GITIGNORE).exists();
    let files: Vec<&(PathBuf, String)> = starter
        .files
        .iter()
        .filter(|(path, _)| !(own_gitignore && path == Path::new(GITIGNORE)))
        .collect();
    if let Some((path, _)) = files.iter().find(|(p, _)| dir.join(p).exists()) {
        return fail(
            Diagnostic::error(dir.join(path), "this file already exists").with_help(
                "`dateline init` never overwrites files; start the site in an empty folder",
            ),
        );
    }
    for (path, text) in files {
        let path = dir.join(path);
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, text));
        if let Err(err) = written {
            return fail(Diagnostic::error(
                &path,
                format!("cannot write the file: {}", io_reason(&err)),
            ));
        }
    }
    println!("Created the newsroom {title} in {}", dir.display());
    if own_gitignore {
        let existing = std::fs::read_to_string(dir.join(GITIGNORE)).unwrap_or_default();
        let missing = missing_ignores(&existing);
        if !missing.is_empty() {
            println!(
                "Your {GITIGNORE} was left as it is; add what builds make to it: {}",
                missing.join(" ")
            );
        }
    }
    println!();
    println!("Next:");
    if dir != Path::new(".") {
        println!("  cd {}", dir.display());
    }
    println!("  dateline serve                       preview it while you write");
    println!("  dateline new \"Your first headline\"   start a story");
    println!("  dateline check && dateline build     publish it into public/");
    0
}

/// `gazette` -> `Gazette`, `river-times` -> `River Times`; the current folder's own name for `.`.
pub fn title_from_folder(dir: &Path) -> String {
    let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
    let name = absolute
        .components()
        .rev()
        .find_map(|c| match c {
            std::path::Component::Normal(name) => Some(name.to_string_lossy().into_owned()),
            _ => None,
        })
        .unwrap_or_default();
    let words: Vec<String> = name
        .split(['-', '_', ' ', '.'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        })
        .collect();
    if words.is_empty() {
        "The Newsroom".into()
    } else {
        words.join(" ")
    }
}

/// The starter site's files.
pub fn starter(values: &StarterValues<'_>) -> Starter {
    let StarterValues {
        title,
        timezone,
        now,
    } = values;
    let toml_title = toml_string(title);
    let config = format!(
        r#"# site.toml: the settings of {title}, a newsroom published with Dateline.
#
# Stories are Markdown files in content/<section>/. Start one with
#   dateline new "Headline of the story" --section News
# Preview the site while you write with `dateline serve`, find problems with
# `dateline check`, and write the finished site into public/ with `dateline build`.

# The outlet's name, shown in the masthead, page titles and feeds.
title = {toml_title}

# A short line under the masthead.
tagline = "Independent local news"

# One sentence about the outlet, for search engines and feed readers.
description = {description}

# The public address of the site. Links in feeds, canonical URLs and social cards
# use it. On GitHub Pages it is https://<user>.github.io/<repository>/ unless you
# have a domain of your own.
base_url = "https://example.org/"

# The language of the stories, as a BCP 47 tag: en, pt-BR, de, fr...
language = "en"

# The newsroom's IANA time zone. Dates in front matter without an offset
# (`date: 2025-05-19 14:30`) are read in it, and scheduled stories go live by it.
timezone = {timezone}

# Sections in navigation order. A story's section is its folder under content/
# (content/news/ is "News"), or `section:` in its front matter.
sections = ["News"]

# The reader-funding appeal shown after every story and at the top of the footer.
# Delete this block to show none.
[support]
title = "Support independent journalism"
text = {support_text}
button = "Support us"
# Where the button leads: a page of this site (content/support.md is /support/)
# or the full address of a donation platform.
url = "/support/"

# The newsroom's standards, which search engines read in every story's data and
# readers find in the footer: each is a page of this site (write it in content/,
# e.g. content/ethics.md is /ethics/). Uncomment the ones you have written.
# [publisher]
# publishing_principles = "/principles/"
# ethics_policy = "/ethics/"
# masthead = "/masthead/"
# ownership_funding = "/ownership/"
# corrections_policy = "/corrections-policy/"
# verification_fact_checking = "/fact-checking/"
# actionable_feedback = "/feedback/"
# diversity_policy = "/diversity/"

# What every published photo says about its rights, in its own file and in the
# data search engines read. `license` is a page of this site or a full address.
# [images]
# copyright = "© {title}"
# license = "/photo-licensing/"
"#,
        description = toml_string(&format!(
            "{title} is an independent newsroom. This is its website."
        )),
        timezone = toml_string(timezone),
        support_text = toml_string(&format!(
            "{title} is paid for by its readers, not by advertisers or owners. If our \
             reporting matters to you, a contribution of any size keeps it free for everyone."
        )),
    );
    let headline = format!("Welcome to {title}");
    let story = format!(
        r#"---
headline: {headline}
dek: "The first story of a new newsroom, and how to write the next one."
date: {now}
author: "The Editors"
tags: ["About us"]
---
This story shows how a story file looks. Everything between the `---` lines at
the top is its *front matter*: the headline, the dek (one sentence under the
headline), the publication date and time, the author and the tags. Below it is
the story itself, written in Markdown.

## Writing the next story

Run `dateline new "Headline of the story" --section News`. It creates a file in
`content/news/` with the front matter filled in and `draft: true`, so it stays
off the site until you delete that line. Preview it with `dateline serve`.

A story can also have a lead photo: make the story a folder
(`dateline new "..." --folder`), put the picture beside its `index.md`, and add

```yaml
photo:
  src: photo.jpg
  alt: "What the picture shows"
  credit: "Photographer / Agency"
```

## Publishing

A story dated in the future goes live with the first build after its date.
When a published story needs a correction, add it to the front matter, and it
appears on the story and on the site's corrections page:

```yaml
corrections:
  - date: 2025-05-20 09:00
    text: "An earlier version of this story misspelled the mayor's name."
```
"#,
        headline = yaml_string(&headline),
    );
    let support = format!(
        r#"---
headline: {headline}
dek: "Independent reporting, paid for by the people who read it."
layout: page
---
{title} has no owner to answer to and no advertiser to please. Our reporting is
paid for by our readers, which is why it is free for everyone to read.

## How to give

Tell readers here how to contribute: a monthly membership, a one-off gift or a
bank transfer, with a link to your donation platform.

## Where your money goes

Say what a contribution pays for: reporting, editing and fact-checking.
"#,
        headline = yaml_string(&format!("Support {title}")),
    );
    let story_path = Path::new(CONTENT_DIR)
        .join("news")
        .join(format!("{}.md", slugify(&headline)));
    Starter {
        files: vec![
            (PathBuf::from(CONFIG_FILE), config),
            (story_path, story),
            (Path::new(CONTENT_DIR).join("support.md"), support),
            (PathBuf::from(GITIGNORE), GITIGNORE_TEXT.to_string()),
        ],
    }
}

/// A TOML basic string, quoted and escaped.
fn toml_string(text: &str) -> String {
    toml::Value::String(text.to_string()).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_existing_gitignore_is_checked_for_what_builds_make() {
        assert_eq!(
            missing_ignores("node_modules/\n"),
            ["/public/", "/.public.*", "/.dateline-cache/"]
        );
        assert_eq!(
            missing_ignores("public\n/.dateline-cache\n"),
            ["/.public.*"]
        );
        assert!(missing_ignores(GITIGNORE_TEXT).is_empty());
    }

    #[test]
    fn titles_come_from_the_folder_name() {
        assert_eq!(title_from_folder(Path::new("gazette")), "Gazette");
        assert_eq!(
            title_from_folder(Path::new("/tmp/river-times")),
            "River Times"
        );
        assert_eq!(
            title_from_folder(Path::new("sites/the_daily/")),
            "The Daily"
        );
    }

    #[test]
    fn starter_config_parses_with_awkward_titles() {
        let starter = starter(&StarterValues {
            title: "L'Écho \"du\" Port",
            timezone: "Europe/Paris",
            now: "2025-05-19 14:30",
        });
        let (_, config) = &starter.files[0];
        let site = crate::site::config::Site::parse(config, Path::new("site.toml")).unwrap();
        assert_eq!(site.config.title, "L'Écho \"du\" Port");
        assert_eq!(site.config.timezone, "Europe/Paris");
        assert_eq!(
            starter.files[1].0,
            Path::new("content/news/welcome-to-l-echo-du-port.md")
        );
    }
}
