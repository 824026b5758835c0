//! `site.toml` loading and its checks.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let _ = dateline::site::config::Site::parse(text, Path::new("site.toml"));
});
