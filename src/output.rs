//! The whole rendered site in memory: output path to bytes (or a file to copy).
//!
//! Rendering fills `Outputs` and never touches the disk; `write` publishes them. Keeping them
//! apart is what lets `check` stop before writing and `serve` keep the site in memory.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    Bytes(Vec<u8>),
    /// Part of the built-in theme, compiled into the binary.
    BuiltIn(&'static [u8]),
    /// A file copied as it is (photos, theme assets on disk).
    Copy(PathBuf),
}

/// Output paths (relative, `/`-separated: `world/2025/05/talks/index.html`) to their contents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outputs {
    pub files: BTreeMap<String, Output>,
}

impl Outputs {
    pub fn insert(&mut self, path: impl Into<String>, output: Output) {
        self.files.insert(path.into(), output);
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
    fn routes_become_index_files() {
        assert_eq!(route_file("/"), "index.html");
        assert_eq!(
            route_file("/world/2025/05/talks/"),
            "world/2025/05/talks/index.html"
        );
        assert_eq!(route_file("/feed.xml"), "feed.xml");
    }
}
