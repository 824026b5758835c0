//! Integration tests of the `dateline` binary, one binary with a module per area (as mdBook
//! does). Each test writes a small site into a temporary folder (or copies one from
//! `tests/fixtures/`), runs the real binary on it and checks what it wrote, parsed as HTML, RSS
//! or XML, or what it said: exit code and diagnostics.

mod harness;
#[path = "../shared/images.rs"]
mod images;

mod build;
mod command_line;
mod determinism;
mod distribution;
mod errors;
mod example_site;
mod layers;
mod listings;
mod markdown;
mod output_safety;
mod photos;
mod publishing;
mod rebuild_on_disk;
mod robustness;
mod syndication;
mod themes;
mod workflow;
