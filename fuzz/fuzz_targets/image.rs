//! Any bytes as an image file, through the header check and the decoder a build runs: an error
//! or a picture within the pixel budget, never a panic, and never more memory than the budget.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    if let Ok((width, height)) = dateline::fuzzing::image(bytes) {
        assert!(u64::from(width) * u64::from(height) <= 60_000_000);
    }
});
