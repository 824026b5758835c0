//! Distribution: feeds, sitemaps and the metadata in every page's head, checked on sites built
//! by the real binary and read back with independent parsers (feed-rs, roxmltree, scraper,
//! serde_json), never by searching the output text.

mod feeds;
mod harness;
#[path = "../shared/images.rs"]
mod images;
mod pages;
mod rebuild;
mod sitemaps;
