//! `dateline build`: render the site and publish it into the output folder atomically.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::build::{BuildOptions, Builder};
use crate::cmd::report_site;
use crate::diagnostic::Diagnostic;
use crate::util::fs::FileStamp;
use crate::util::text::plural;
use crate::write::{OutputLock, Staging, WriteError, check_output_dir, write_site};

/// Builds the site; returns the process exit code.
pub fn build(options: &BuildOptions, output: Option<&Path>, timings: bool) -> i32 {
    let started = Instant::now();
    if !options.root.is_dir() {
        eprintln!(
            "error: the site folder {} does not exist
  = help: pass the folder that holds site.toml with --root",
            options.root.display()
        );
        return 1;
    }
    let explicit = output.is_some();
    let output: PathBuf = output.map_or_else(|| options.root.join("public"), Path::to_path_buf);
    if let Err(err) = check_output_dir(&options.root, &output, explicit) {
        return refused(&err);
    }
    // Held until the site is in place, from before the folder is prepared.
    let lock = match OutputLock::acquire(&output) {
        Ok(lock) => lock,
        Err(err) => return refused(&err),
    };
    let staging = match Staging::for_new_site(&output) {
        Ok(staging) => staging,
        Err(err) => return refused(&err),
    };
    // After the staging folder is prepared, which puts back the site of a build that was
    // stopped mid-swap: that site is then the one a failed build leaves.
    let had_site = output.exists();
    let mut builder = Builder::new(options.clone());
    builder.keep_pages_from(&output);
    let built = builder.build_into(staging.as_ref());
    // Every source, parsed story and cached card is freed while the site is written.
    crate::util::background::drop(builder);
    let built = match built {
        Ok(built) => built,
        Err(diagnostics) => {
            // Errors first: warnings wait until the site builds (`check` shows both).
            let warnings = diagnostics.warning_count();
            report_site(
                diagnostics
                    .into_iter()
                    .filter(Diagnostic::is_error)
                    .collect(),
                &options.root,
            );
            if warnings > 0 {
                eprintln!(
                    "({} not shown; `dateline check` lists them)",
                    plural(warnings, "warning")
                );
            }
            failed(&output, had_site);
            return 1;
        }
    };
    let write_started = Instant::now();
    // Without a lock yet, the output's parent folder did not exist: it is made now that the
    // site has built, and locked before anything is written.
    let _lock = match lock.map_or_else(|| OutputLock::acquire_making_parent(&output), Ok) {
        Ok(lock) => lock,
        Err(err) => return refused(&err),
    };
    let stamps = match write_site(&built.outputs, &output, staging) {
        Ok(stamps) => stamps,
        Err(err) => {
            eprintln!("error: {err}");
            failed(&output, had_site);
            return 1;
        }
    };
    if let Some(record) = &built.pages {
        let files: HashMap<&str, FileStamp> = built
            .outputs
            .files
            .keys()
            .map(|path| &**path)
            .zip(stamps)
            .collect();
        if let Err(err) = record.save(&options.root, &output, &files) {
            eprintln!(
                "warning: cannot record the pages of this build ({err}); the next build renders every page again"
            );
        }
    }
    if !built.warnings.is_empty() {
        report_site(built.warnings.clone(), &options.root);
    }
    if timings {
        let mut stages = built.timings.clone();
        stages.push(("write", write_started.elapsed()));
        for (stage, time) in stages {
            eprintln!("  {stage:<8} {}", millis(time));
        }
    }
    let counts = built.counts;
    println!(
        "Built {}, {}, {} and {} ({} files) into {} in {}",
        plural(counts.stories, "story"),
        plural(counts.pages, "page"),
        plural(counts.listings, "listing page"),
        plural(counts.feeds, "feed"),
        built.outputs.len(),
        output.display(),
        millis(started.elapsed())
    );
    0
}

/// Reports why the output folder cannot be written; returns the exit code.
fn refused(err: &WriteError) -> i32 {
    eprintln!("error: {err}");
    if let Some(help) = err.help() {
        eprintln!("  = help: {help}");
    }
    1
}

/// Says what became of the output folder: a failed build publishes nothing.
fn failed(output: &Path, had_site: bool) {
    match had_site {
        true => eprintln!("The build failed; {} was left as it was.", output.display()),
        false => eprintln!(
            "The build failed; nothing was written to {}.",
            output.display()
        ),
    }
}

fn millis(time: Duration) -> String {
    format!("{} ms", time.as_millis())
}
