//! Hardening: hostile front matter renders as text, oversized or malicious input ends in a clear
//! error within bounded time, and a failing build loses nothing.

mod clashes;
mod failures;
#[path = "../cli/harness.rs"]
#[allow(
    dead_code,
    reason = "the hardening tests use a part of the one harness"
)]
mod harness;
mod hostile;
mod image_bombs;
#[path = "../shared/images.rs"]
mod images;
mod inputs;
mod limits;
mod output_folder;
mod properties;
mod sources;
mod support;
