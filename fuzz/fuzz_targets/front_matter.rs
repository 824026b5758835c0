//! Front matter parsing: any text either parses or gives diagnostics, never a panic.
#![no_main]

use std::path::Path;
use std::sync::Arc;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let source: Arc<str> = Arc::from(text);
    if let Ok(split) = dateline::parse::front_matter::split(&source) {
        let _ = dateline::parse::front_matter::parse(
            Path::new("content/x.md"),
            &source,
            &split,
            &jiff::tz::TimeZone::UTC,
        );
    }
});
