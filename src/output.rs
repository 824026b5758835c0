//! The whole rendered site in memory: output path to bytes (or a file to copy).
//!
//! Rendering fills `Outputs` and never touches the disk; `write` publishes them. Keeping them
//! apart is what lets `check` stop before writing and `serve` keep the site in memory.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

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

/// A hash of some text, for telling inputs apart between rebuilds. The same in every run of
/// one binary (FxHash has no random seed): the page record of `dateline build` keeps keys made
/// from it between runs, and names itself with it.
pub fn hash_of(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}

/// When a file was last changed and how long it is: enough to notice edits without reading it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FileStamp {
    pub modified: Option<std::time::SystemTime>,
    pub len: u64,
}

impl FileStamp {
    pub fn of(metadata: &std::fs::Metadata) -> FileStamp {
        FileStamp {
            modified: metadata.modified().ok(),
            len: metadata.len(),
        }
    }
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

/// Drops the characters XML 1.0 cannot contain at all (most C0 controls, and the
/// noncharacters U+FFFE and U+FFFF), so that one stray control character in a story cannot make
/// a whole feed or sitemap unreadable.
pub fn xml_safe(text: String) -> String {
    let allowed = |c: char| {
        (!c.is_control() || matches!(c, '\t' | '\n' | '\r') || c > '\u{1f}')
            && !matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    // Checked on bytes first, which is several times faster than decoding every character:
    // no C0 control byte, and no `BF BE`/`BF BF` pair that could end U+FFFE or U+FFFF.
    let bytes = text.as_bytes();
    let clean = bytes
        .iter()
        .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
        && !bytes.windows(2).any(|w| w[0] == 0xbf && w[1] >= 0xbe);
    if clean || text.chars().all(allowed) {
        text
    } else {
        text.chars().filter(|c| allowed(*c)).collect()
    }
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

/// The output file of a route: `/world/` -> `world/index.html`, `/` -> `index.html`.
pub fn route_file(route: &str) -> String {
    let trimmed = route.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn xml_safe_drops_only_forbidden_controls() {
        assert_eq!(xml_safe("a\u{b}b\u{1}\tc\n\u{85}".into()), "ab\tc\n\u{85}");
        assert_eq!(xml_safe("x\u{fffe}\u{ffff}🚀".into()), "x🚀");
        // Ends in the same bytes as U+FFFE and U+FFFF, and is allowed.
        assert_eq!(xml_safe("\u{ffe}\u{fff}".into()), "\u{ffe}\u{fff}");
    }

    #[test]
    fn routes_become_index_files() {
        assert_eq!(route_file("/"), "index.html");
        assert_eq!(
            route_file("/world/2025/05/talks/"),
            "world/2025/05/talks/index.html"
        );
        assert_eq!(route_file("/feed.xml"), "feed.xml");
    }
}
