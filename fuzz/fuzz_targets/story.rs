//! A whole story through parsing and Markdown rendering.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::Arc;

use dateline::site::config::Site;
use dateline::source::SourceFile;
use dateline::parse::markdown::{Links, Source, render};
use libfuzzer_sys::fuzz_target;

const SITE: &str = "title = \"Fuzz\"\nbase_url = \"https://news.example.org/\"\n";

fuzz_target!(|text: &str| {
    let Ok(site) = Site::parse(SITE, Path::new("site.toml")) else {
        return;
    };
    let file = Arc::new(SourceFile {
        path: PathBuf::from("world/x.md"),
        display: PathBuf::from("content/world/x.md"),
        text: Arc::from(text),
        hash: 0,
    });
    let now = jiff::Timestamp::UNIX_EPOCH;
    let Ok(story) = dateline::parse::story::parse(Arc::clone(&file), &site, now) else {
        return;
    };
    for raw_html in [true, false] {
        let source = Source {
            display: &file.display,
            path: &file.path,
            text: &file.text,
            body_offset: story.body_offset,
            raw_html,
        };
        let _ = render(&source, &Links::default());
    }
});
