//! What `dateline serve` does after a save, measured in-process, without the watcher or HTTP:
//! tell the builder which file changed, rebuild, and find the changed outputs.
//!
//!     cargo bench --bench rebuild -- SITE_DIR [RUNS]
//!
//! For each kind of edit (a body edit, a headline edit, a new story) it prints the median and
//! the slowest of RUNS rebuilds, split into the builder's stages and the output diff. The edited
//! story is restored and the new story removed at the end. `benches/serve_latency.py` measures
//! the same edits from outside, over HTTP and through the file watcher.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dateline::build::{BuildOptions, Builder};
use dateline::model::Publishing;
use dateline::output::Outputs;

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| a != "--bench");
    let Some(root) = args.next() else {
        eprintln!("usage: cargo bench --bench rebuild -- SITE_DIR [RUNS]");
        std::process::exit(2);
    };
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10);
    let root = match std::fs::canonicalize(&root) {
        Ok(root) => root,
        Err(error) => fail(&format!("{root}: {error}")),
    };
    let mut builder = Builder::new(BuildOptions {
        root: root.clone(),
        publishing: Publishing {
            drafts: true,
            future: true,
            now: jiff::Timestamp::now(),
        },
        base_url: Some("http://127.0.0.1:1111/".into()),
    });
    let started = Instant::now();
    let mut outputs = build(&mut builder).0;
    println!(
        "first build: {} ms, {} outputs",
        started.elapsed().as_millis(),
        outputs.len()
    );
    let story = first_story(&root.join("content"));
    let original = read(&story);
    let fresh = story.with_file_name("zz-rebuild-bench-new-story.md");
    let _restore = Restore {
        story: story.clone(),
        original: original.clone(),
        fresh: fresh.clone(),
    };
    for kind in ["body", "headline", "new"] {
        let mut times: Vec<Vec<(String, Duration)>> = Vec::new();
        for run in 0..runs {
            let path = match kind {
                "body" => edit(&story, &format!("{original}\nA new paragraph, {run}.\n")),
                "headline" => edit(&story, &retitle(&original, run)),
                _ => edit(&fresh, &new_story(&original, run)),
            };
            builder.changed(&path);
            let (next, mut laps) = build(&mut builder);
            let diffed = Instant::now();
            let changed = next.changed_since(&outputs);
            laps.push(("diff".into(), diffed.elapsed()));
            assert!(!changed.is_empty(), "{kind} edit changed no output");
            outputs = next;
            times.push(laps);
            if kind == "new" {
                remove(&fresh);
                builder.changed(&fresh);
                outputs = build(&mut builder).0;
            }
        }
        report(kind, &times);
        edit(&story, &original);
        builder.changed(&story);
        outputs = build(&mut builder).0;
    }
}

/// Builds, and returns the outputs with each stage's time and the total.
fn build(builder: &mut Builder) -> (Outputs, Vec<(String, Duration)>) {
    let started = Instant::now();
    match builder.build() {
        Ok(built) => {
            let total = started.elapsed();
            let mut laps: Vec<(String, Duration)> = built
                .timings
                .iter()
                .map(|(stage, time)| (stage.to_string(), *time))
                .collect();
            laps.insert(0, ("total".into(), total));
            (built.outputs, laps)
        }
        Err(problems) => {
            let first = problems.iter().find(|p| p.is_error());
            panic!("the site does not build: {first:?}")
        }
    }
}

/// Puts the edited story back and removes the new one, even when a rebuild fails.
struct Restore {
    story: PathBuf,
    original: String,
    fresh: PathBuf,
}

impl Drop for Restore {
    fn drop(&mut self) {
        let _ = std::fs::write(&self.story, &self.original);
        let _ = std::fs::remove_file(&self.fresh);
    }
}

fn report(kind: &str, runs: &[Vec<(String, Duration)>]) {
    let Some(first) = runs.first() else { return };
    let columns: Vec<String> = (0..first.len())
        .map(|column| {
            let mut times: Vec<Duration> = runs.iter().map(|laps| laps[column].1).collect();
            times.sort();
            let median = times[times.len() / 2];
            let max = times[times.len() - 1];
            format!(
                "{} {:.1} ms (max {:.1})",
                first[column].0,
                median.as_secs_f64() * 1e3,
                max.as_secs_f64() * 1e3
            )
        })
        .collect();
    println!("{kind:<9} {} runs: {}", runs.len(), columns.join(", "));
}

fn first_story(content: &Path) -> PathBuf {
    let mut stories: Vec<PathBuf> = walkdir::WalkDir::new(content)
        .into_iter()
        .filter_map(Result::ok)
        .map(walkdir::DirEntry::into_path)
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .filter(|p| read(p).contains("\nheadline:"))
        .collect();
    stories.sort();
    match stories.into_iter().next() {
        Some(story) => story,
        None => fail("no story with a `headline:` under content/"),
    }
}

/// Puts "Update N:" in front of the headline, inside its quotes if it has any.
fn retitle(text: &str, run: usize) -> String {
    let quoted = text.contains("\nheadline: \"");
    let (from, to) = match quoted {
        true => ("\nheadline: \"", format!("\nheadline: \"Update {run}: ")),
        false => ("\nheadline: ", format!("\nheadline: Update {run}: ")),
    };
    text.replacen(from, &to, 1)
}

/// A copy of `text` dated after every other story, so that it leads the front page (its file
/// name gives it its own URL, unless the story names its `slug:`).
fn new_story(text: &str, run: usize) -> String {
    let dated: Vec<String> = text
        .lines()
        .map(|line| match line.starts_with("date:") {
            true => "date: 2099-01-01T09:00:00Z".to_string(),
            false => line.to_string(),
        })
        .collect();
    retitle(&dated.join("\n"), run)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())))
}

fn edit(path: &Path, text: &str) -> PathBuf {
    if let Err(error) = std::fs::write(path, text) {
        fail(&format!("{}: {error}", path.display()));
    }
    path.to_path_buf()
}

fn remove(path: &Path) {
    if let Err(error) = std::fs::remove_file(path) {
        fail(&format!("{}: {error}", path.display()));
    }
}

fn fail(message: &str) -> ! {
    eprintln!("rebuild bench: {message}");
    std::process::exit(1)
}
