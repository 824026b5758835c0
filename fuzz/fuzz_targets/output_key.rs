//! The dev server's URL → output path mapping: never a path that climbs out of the output.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|path: &str| {
    if let Some(key) = dateline::serve::http::output_key(path) {
        assert!(!key.starts_with('/'), "{key}");
        assert!(!key.split('/').any(|s| s == ".."), "{key}");
        assert!(!key.contains(['\\', '\0']), "{key}");
    }
});
