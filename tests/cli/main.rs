//! The command line end to end, in one test binary with a module per area (as mdBook does).
//! Every test runs on the one harness (`harness.rs`): a site written into a temporary folder
//! or copied from `tests/fixtures/<name>/`, the real binary run on it as of one fixed NOW, and
//! what it wrote read back with parsers (HTML, RSS, XML, JSON) or what it said checked: exit
//! code and diagnostics. A few modules build through the library instead, to read what a build
//! counted or to keep one builder between edits (`photos`, `distribution::rebuild`).
//!
//! `snapshots` keeps reviewable copies of rendered pages, the feed and the error wording in
//! `snapshots/*.snap` (insta); everything else asserts on what must always hold.

mod harness;
#[path = "../shared/images.rs"]
mod images;

mod build;
mod command_line;
mod determinism;
mod distribution;
mod editor_mistakes;
mod errors;
mod example_site;
mod layers;
mod links;
mod listings;
mod markdown;
mod output_safety;
mod photo_rights;
mod photos;
mod publishing;
mod raw_html;
mod rebuild_on_disk;
mod robustness;
mod search;
mod snapshots;
mod syndication;
mod themes;
mod trust;
mod workflow;
