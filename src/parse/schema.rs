//! The front matter schema, written once: every key a story or page may have, in which block,
//! and what its value looks like. The accepted keys, the "did you mean" candidates and the
//! shapes quoted in type errors all come from [`TABLE`]; tests tie it to the serde types that
//! read front matter and to the reference table in `docs/content.md`.

/// Where a key is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// At the top of the front matter.
    Top,
    /// Inside `photo:`.
    Photo,
    /// Inside each item of `corrections:`.
    Correction,
}

/// One front matter key.
#[derive(Debug)]
pub struct Key {
    pub block: Block,
    pub name: &'static str,
    /// What its value looks like, quoted when a value has the wrong shape.
    pub shape: &'static str,
}

const fn key(block: Block, name: &'static str, shape: &'static str) -> Key {
    Key { block, name, shape }
}

/// Every key, in the order the docs list them. Where a name is in two blocks (`date`), the
/// first row's shape is the one quoted.
pub const TABLE: &[Key] = &[
    key(
        Block::Top,
        "headline",
        "text, e.g. `headline: \"Talks resume in Istanbul\"`",
    ),
    key(
        Block::Top,
        "dek",
        "text, e.g. `dek: \"One sentence under the headline\"`",
    ),
    key(Block::Top, "date", "a date, e.g. `date: 2025-05-19 14:30`"),
    key(
        Block::Top,
        "updated",
        "a date, e.g. `updated: 2025-05-20 09:00`",
    ),
    key(
        Block::Top,
        "author",
        "one name, e.g. `author: \"Lena Hartmann\"`",
    ),
    key(
        Block::Top,
        "authors",
        "a list of names, e.g. `authors: [\"Lena Hartmann\", \"Tomás Ferreira\"]`",
    ),
    key(
        Block::Top,
        "section",
        "a section name, e.g. `section: World`",
    ),
    key(
        Block::Top,
        "tags",
        "a list, e.g. `tags: [Ukraine, Diplomacy]`",
    ),
    key(
        Block::Top,
        "photo",
        "a block with `src`, `alt`, `credit` and `caption` lines",
    ),
    key(Block::Photo, "src", "text: the image file or URL"),
    key(Block::Photo, "alt", "text describing the picture"),
    key(Block::Photo, "credit", "text, e.g. `credit: \"Reuters\"`"),
    key(Block::Photo, "caption", "text"),
    key(Block::Top, "slug", "text, e.g. `slug: istanbul-talks`"),
    key(Block::Top, "draft", "`true` or `false`"),
    key(Block::Top, "layout", "`page` or `story`"),
    key(
        Block::Top,
        "corrections",
        "a list of `{date, text}` blocks, e.g. `corrections: [{date: 2025-05-20, text: \"...\"}]`",
    ),
    key(
        Block::Correction,
        "date",
        "a date, e.g. `date: 2025-05-19 14:30`",
    ),
    key(
        Block::Correction,
        "text",
        "text saying what was wrong and what is right",
    ),
    key(
        Block::Top,
        "redirect_from",
        "a list of old paths, e.g. `redirect_from: [/2024/05/old-slug/]`",
    ),
    key(
        Block::Top,
        "backstory",
        "text, e.g. `backstory: \"We spoke to 14 delegates over three days.\"`",
    ),
    key(Block::Top, "free_to_read", "`true` or `false`"),
    key(Block::Top, "extra", "a block of `key: value` lines"),
];

/// The keys of `block`, in the table's order.
pub fn keys(block: Block) -> impl Iterator<Item = &'static str> {
    TABLE
        .iter()
        .filter(move |key| key.block == block)
        .map(|key| key.name)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The fields serde accepts in a block, read from its unknown-field error, which lists them.
    fn accepted(yaml: &str) -> Vec<String> {
        let front = format!("---\n{yaml}\n---\n");
        let message = match crate::parse::front_matter::raw_error(&front) {
            Err(message) => message,
            Ok(()) => panic!("`{yaml}` was accepted"),
        };
        let list = message
            .split("expected one of ")
            .nth(1)
            .unwrap_or_else(|| panic!("no list of fields in: {message}"));
        let list = list.lines().next().unwrap_or_default();
        list.split(',')
            .map(|field| field.trim().trim_matches('`').to_string())
            .filter(|field| !field.is_empty())
            .collect()
    }

    fn names(block: Block) -> Vec<String> {
        keys(block).map(str::to_string).collect()
    }

    #[test]
    fn the_table_has_every_key_that_front_matter_reads_and_no_other() {
        let mut top = accepted("zzz: 1");
        let mut table = names(Block::Top);
        top.sort();
        table.sort();
        assert_eq!(top, table);
        assert_eq!(accepted("photo: {zzz: 1}"), names(Block::Photo));
        assert_eq!(
            accepted("corrections: [{zzz: 1}]"),
            names(Block::Correction)
        );
    }

    #[test]
    fn the_docs_reference_table_lists_every_key_and_no_other() {
        let docs = include_str!("../../docs/content.md");
        let table = docs
            .split("| key | type | required | default | meaning |")
            .nth(1)
            .expect("docs/content.md has the front matter table");
        let mut rows: Vec<String> = table
            .lines()
            .skip(2)
            .take_while(|line| line.starts_with('|'))
            .filter_map(|line| line.strip_prefix("| `")?.split('`').next())
            .map(str::to_string)
            .collect();
        let mut expected: Vec<String> = names(Block::Top);
        expected.extend(keys(Block::Photo).map(|key| format!("photo.{key}")));
        rows.sort();
        expected.sort();
        assert_eq!(rows, expected);
    }
}
