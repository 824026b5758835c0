//! Tests of `dateline serve`, the live preview.
//!
//! - `http`: the real binary on a free port, asked with a real HTTP client.
//! - `incremental`: the library's `Builder` kept between edits, checked file by file against a
//!   fresh build of the same sources.
//! - `events`: the live-reload messages open tabs receive.
//! - `watch`: editors' ways of saving, through the real file watcher.
//! - `browser`: live reload and the error overlay in headless Chromium.
//!
//! Nothing here asserts on timing: waits poll with a bounded timeout and fail with what they
//! were waiting for.

mod browser;
mod cdp;
mod events;
mod hardening;
#[path = "../cli/harness.rs"]
#[allow(dead_code, reason = "the serve tests use a part of the one harness")]
mod harness;
mod http;
#[path = "../shared/images.rs"]
mod images;
mod incremental;
mod support;
mod watch;
