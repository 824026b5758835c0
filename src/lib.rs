//! Dateline: a static site generator for news outlets.
//!
//! A build flows through stages in order over a pure in-memory model. Each top-level module
//! is a layer that imports only from itself and the layers above it in this file (see
//! ARCHITECTURE.md; `tests/cli/layers.rs` keeps the rule).
#![forbid(unsafe_code)]
#![warn(unreachable_pub)]

// Helpers that import nothing of Dateline's own.
pub(crate) mod util;
// The one error type for everything a user's file can cause.
pub mod diagnostic;
// site.toml and the owner of every URL: routes, permalinks, slugs.
pub mod site;
// Stage 1: the site's files read into memory.
pub mod source;
// Stage 2: front matter, Markdown and stories.
pub mod parse;
// Stage 3: the newsroom, a pure model of stories, pages, sections, tags and authors.
pub mod model;
// Stage 4: photos measured and encoded, returned beside the model.
pub(crate) mod assets;
// The rendered site as data: what render fills and write publishes.
pub mod output;
// Stage 5: templates, feeds, sitemaps, structured data and redirects into outputs.
pub(crate) mod render;
// Stage 6: outputs published into the output folder atomically.
pub mod write;
// The one place that names every stage, in order.
pub mod build;
// The edges: the commands, and the preview server.
pub mod cmd;
pub mod serve;

/// Entry points for the fuzz targets in `fuzz/` into stages that are otherwise private, built
/// only for them (cargo-fuzz sets `--cfg fuzzing`): hostile input reaches the same code a build
/// runs, and the library's API does not carry them.
#[cfg(fuzzing)]
pub mod fuzzing {
    /// An image file's bytes through the header check and the decoder, with the default
    /// pixel budget: a decoded image, or an error, never a panic or an unbounded allocation.
    pub fn image(bytes: &[u8]) -> Result<(u32, u32), String> {
        crate::assets::picture::probe(bytes).map_err(|err| err.to_string())
    }

    /// What the preview server reads of a request before answering: the output for a URL
    /// path, a `Range` header against a file of `length` bytes, and whether a `Host` header
    /// is answered.
    pub fn serve_request(path: &str, range: &str, length: u64, host: &str) -> ServeRequest {
        crate::serve::fuzz_request(path, range, length, host)
    }

    pub use crate::serve::ServeRequest;
    pub use crate::serve::http::Ranged;
}
