//! The newsroom workflow end to end, through the real binary: starting a site, writing a story,
//! checking it, scheduling, corrections, redirects, the CI example, and the wording of every
//! error a user's file can cause.

mod check;
mod ci;
mod corrections;
mod error_table;
mod init;
mod new;
mod publishing;
mod redirects;

use crate::harness::Site;

/// A small `site.toml`: a zone with summer time, so tests see offsets at work.
pub const CONFIG: &str = "title = \"The Test Gazette\"\n\
    base_url = \"https://gazette.example/\"\n\
    timezone = \"Europe/Lisbon\"\n\
    sections = [\"World\", \"Politics\"]\n";

/// A site with [`CONFIG`] and no stories.
pub fn gazette() -> Site {
    Site::with_config(CONFIG)
}
