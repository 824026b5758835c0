//! The whole rendered site in memory: output path to bytes (or a file to copy).
//!
//! Rendering fills `Outputs` and never touches the disk; `write` publishes them. Keeping them
//! apart is what lets `check` stop before writing and `serve` keep the site in memory.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::util::fs::FileStamp;

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Rendered bytes, shared so that an unchanged page costs no copy between rebuilds.
    Bytes(Arc<[u8]>),
    /// Part of the built-in theme: compiled into the binary, or made once per run from it
    /// (the code stylesheet).
    BuiltIn(&'static [u8]),
    /// A file copied as it is (photos, theme assets on disk), with its stamp when it was
    /// loaded: an edited photo is a changed output even though its path is the same.
    Copy(PathBuf, FileStamp),
    /// Already written into the staging folder of `dateline build`, as soon as it was rendered
    /// (see `write::Staging`), with the stamp of the file there. Only a build into an output
    /// folder without a site makes these; `serve` and `check` never do.
    Staged(FileStamp),
}

/// Output paths (relative, `/`-separated: `world/2025/05/talks/index.html`) to their contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outputs {
    /// Shared paths: a rebuild reuses most of them from the last one.
    pub files: BTreeMap<Arc<str>, Output>,
}

impl Outputs {
    /// Adds an output; returns the one it replaced at the same path, if any.
    pub fn insert(&mut self, path: impl Into<Arc<str>>, output: Output) -> Option<Output> {
        self.files.insert(path.into(), output)
    }

    pub fn get(&self, path: &str) -> Option<&Output> {
        self.files.get(path)
    }

    /// The output that stands where a new file at `path` would go: one at `path` itself, one
    /// at a folder above it (`feed.xml` for `feed.xml/index.html`), or one inside a folder
    /// named `path`. Any of them makes the new file impossible to write, or one of the two lost.
    pub(crate) fn occupant(&self, path: &str) -> Option<&str> {
        if let Some((found, _)) = self.files.get_key_value(path) {
            return Some(found);
        }
        let above = path.match_indices('/').map(|(end, _)| &path[..end]);
        if let Some((found, _)) = above
            .filter_map(|folder| self.files.get_key_value(folder))
            .next()
        {
            return Some(found);
        }
        let folder = format!("{path}/");
        self.files
            .range::<str, _>((
                std::ops::Bound::Excluded(folder.as_str()),
                std::ops::Bound::Unbounded,
            ))
            .next()
            .map(|(found, _)| &**found)
            .filter(|found| found.starts_with(&folder))
    }

    /// Every pair of outputs of which one needs a folder where the other is a file
    /// (`tags` and `tags/index.html`): they cannot both be written. As (file, path under it).
    pub(crate) fn nested(&self) -> Vec<(&str, &str)> {
        self.files
            .keys()
            .flat_map(|path| {
                path.match_indices('/')
                    .map(|(end, _)| &path[..end])
                    .filter_map(|folder| self.files.get_key_value(folder))
                    .map(move |(file, _)| (&**file, &**path))
            })
            .collect()
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The paths whose contents differ from `previous`, including added and removed ones, in
    /// order. Both maps are sorted, so one walk over the two compares them.
    pub fn changed_since(&self, previous: &Outputs) -> Vec<String> {
        use std::cmp::Ordering;
        let mut changed = Vec::new();
        let mut new = self.files.iter().peekable();
        let mut old = previous.files.iter().peekable();
        loop {
            let order = match (new.peek(), old.peek()) {
                (None, None) => break,
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (Some((a, _)), Some((b, _))) => a.cmp(b),
            };
            match order {
                Ordering::Less => changed.extend(new.next().map(|(path, _)| path.to_string())),
                Ordering::Greater => changed.extend(old.next().map(|(path, _)| path.to_string())),
                Ordering::Equal => {
                    if let (Some((path, a)), Some((_, b))) = (new.next(), old.next())
                        && !a.same_as(b)
                    {
                        changed.push(path.to_string());
                    }
                }
            }
        }
        changed
    }
}

/// Where render hands each page as soon as it is rendered, instead of keeping it in memory:
/// the staging folder of `dateline build` (see `write::Staging`). Defined here, before
/// render, so that render streams pages without knowing the write stage.
pub trait PageSink: Sync {
    /// Writes the page at `path`; the stamp of its file, or why it could not be written.
    fn put(&self, path: &str, bytes: &[u8]) -> Result<FileStamp, String>;
}

/// The pages a previous build left in the output folder, which render keeps instead of
/// rendering them again when their key is the same (see `write::PreviousPages`).
pub trait KeptPages: Sync {
    /// The previous file of the page at `path`, when it was rendered from the same inputs.
    fn keep(&self, path: &str, key: u64) -> Option<Output>;
}

impl Output {
    /// Equal contents; shared bytes (a page reused from the last build) compare without
    /// reading them.
    pub fn same_as(&self, other: &Output) -> bool {
        match (self, other) {
            (Output::Bytes(a), Output::Bytes(b)) => Arc::ptr_eq(a, b) || a == b,
            _ => self == other,
        }
    }

    /// Text that `Outputs` will own as bytes.
    pub fn text(text: String) -> Output {
        Output::Bytes(Arc::from(text.into_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_is_occupied_by_a_file_at_it_above_it_or_below_it() {
        let mut outputs = Outputs::default();
        outputs.insert("feed.xml", Output::text("feed".into()));
        outputs.insert("world/index.html", Output::text("world".into()));
        assert_eq!(outputs.occupant("feed.xml"), Some("feed.xml"));
        assert_eq!(outputs.occupant("feed.xml/index.html"), Some("feed.xml"));
        assert_eq!(outputs.occupant("world"), Some("world/index.html"));
        assert_eq!(outputs.occupant("world/old/index.html"), None);
        assert_eq!(outputs.occupant("worlds/index.html"), None);
    }

    #[test]
    fn a_file_where_another_output_needs_a_folder_is_found() {
        let mut outputs = Outputs::default();
        for path in [
            "tags",
            "tags/index.html",
            "tags/x/index.html",
            "world/index.html",
        ] {
            outputs.insert(path, Output::text(String::new()));
        }
        assert_eq!(
            outputs.nested(),
            [("tags", "tags/index.html"), ("tags", "tags/x/index.html")]
        );
    }

    #[test]
    fn changed_since_lists_edits_additions_and_removals() {
        let mut old = Outputs::default();
        old.insert("a.html", Output::text("a".into()));
        old.insert("b.html", Output::text("b".into()));
        old.insert("c.html", Output::text("c".into()));
        let mut new = old.clone();
        new.insert("b.html", Output::text("B".into()));
        new.files.remove("c.html");
        new.insert("d.html", Output::text("d".into()));
        assert_eq!(new.changed_since(&old), ["b.html", "c.html", "d.html"]);
    }
}
