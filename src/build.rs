//! The build as four visible stages: load → parse → render → (write, done by the caller).
//!
//! `build`, `check` and `serve` all drive [`run`]; only what they do with the `Outputs` differs.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rayon::prelude::*;

use crate::config::{CONFIG_FILE, Site};
use crate::diagnostic::Diagnostics;
use crate::load::{CONTENT_DIR, load};
use crate::newsroom::{Newsroom, Parsed, Publishing};
use crate::output::Outputs;
use crate::render::{Counts, render};
use crate::story::{self, Story};

use crate::theme::Theme;

/// What to build and how.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub publishing: Publishing,
    /// Publish at another address than `base_url` in `site.toml` (previews, staging sites).
    pub base_url: Option<String>,
}

/// A rendered site, ready to be written or served.
#[derive(Debug)]
pub struct Built {
    pub outputs: Outputs,
    pub counts: Counts,
    /// How long each stage took, in order.
    pub timings: Vec<(&'static str, Duration)>,
}

/// Runs load, parse and render; every problem in the site is in the returned diagnostics.
pub fn run(options: &BuildOptions) -> Result<Built, Diagnostics> {
    let mut timings = Vec::new();
    let mut clock = Instant::now();
    let mut lap = |name: &'static str| {
        timings.push((name, clock.elapsed()));
        clock = Instant::now();
    };

    let sources = load(&options.root)?;
    lap("load");

    let site = parse_site(&sources.config, options)?;
    let now = options.publishing.now;
    let results: Vec<(std::path::PathBuf, Result<Story, Diagnostics>)> = sources
        .content
        .into_par_iter()
        .map(|file| (file.path.clone(), story::parse(file, &site, now)))
        .collect();
    let mut problems = Diagnostics::new();
    let mut unparsed = Vec::new();
    let mut stories = Vec::with_capacity(results.len());
    for (path, result) in results {
        match result {
            Ok(story) => stories.push(story),
            Err(diagnostics) => {
                problems.extend(diagnostics);
                unparsed.push(path);
            }
        }
    }
    let theme = Theme::compile(&sources.theme, &site.timezone).map_err(|d| problems.extend(d));
    let content_dir = options.root.join(CONTENT_DIR);
    let parsed = Parsed {
        stories,
        unparsed,
        assets: sources.assets,
    };
    let newsroom = Newsroom::assemble(site, content_dir, parsed, options.publishing)
        .map_err(|d| problems.extend(d));
    let (Ok(mut theme), Ok(newsroom)) = (theme, newsroom) else {
        return Err(problems);
    };
    if problems.has_errors() {
        return Err(problems);
    }
    lap("parse");

    let (outputs, counts) = render(&newsroom, &mut theme, &sources.theme)?;
    lap("render");
    Ok(Built {
        outputs,
        counts,
        timings,
    })
}

fn parse_site(config: &str, options: &BuildOptions) -> Result<Site, Diagnostics> {
    let site = Site::parse(config, CONFIG_FILE.as_ref())?;
    match &options.base_url {
        None => Ok(site),
        Some(url) => site.with_base_url(url).map_err(|message| {
            Diagnostics::from_iter([crate::diagnostic::Diagnostic::error("--base-url", message)])
        }),
    }
}
