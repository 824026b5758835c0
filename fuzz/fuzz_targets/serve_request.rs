//! What the preview reads of a request (the URL path, a Range header, the Host header): the
//! output path never climbs out, a range never reaches past the file, nothing panics.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &str, u64, &str)| {
    let (path, range, length, host) = input;
    let request = dateline::fuzzing::serve_request(path, range, length, host);
    if let Some(key) = request.key {
        assert!(!key.starts_with('/') && !key.split('/').any(|s| s == ".."), "{key}");
    }
    if let dateline::fuzzing::Ranged::Part(start, end) = request.range {
        assert!(start <= end && end < length, "{start}-{end} of {length}");
    }
});
