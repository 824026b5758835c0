//! Watching the site's sources: debounced file events in, rebuilt snapshots out.
//!
//! One rebuild per burst of saves. Editors save in many ways (write in place, write a temporary
//! file and rename it over, keep swap and backup files); the builder re-reads what is at each
//! changed path, so all of them end up as "this file changed" or "this file is gone".

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::time::{Duration, Instant};

use notify::RecursiveMode;
use notify_debouncer_full::{DebounceEventResult, new_debouncer, new_debouncer_opt};

use crate::build::Builder;
use crate::cmd::report::{from_working_dir, human};
use crate::cmd::{report_site, use_color};
use crate::diagnostic::Diagnostic;
use crate::serve::reload;
use crate::serve::state::Shared;
use crate::source::is_ignored;

/// The folders and files under the root that make up a site's sources.
pub const SOURCES: &[&str] = &["content", "templates", "themes", "static", "site.toml"];

/// How long a burst of saves must be quiet before the site is rebuilt.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// Starts watching a folder recursively; owns the debouncer, whichever kind it is.
type AddWatch = Box<dyn FnMut(&Path) -> notify::Result<()> + Send>;

/// The running watcher; dropping it stops watching.
pub struct Watch {
    /// Watches one more folder recursively (a source folder created while serving).
    add: AddWatch,
    watched: Vec<PathBuf>,
}

impl Watch {
    /// Starts watching folders among the sources that appeared since the last call.
    fn watch_new_folders(&mut self, root: &Path) {
        for name in SOURCES {
            let path = root.join(name);
            if path.is_dir() && !self.watched.contains(&path) {
                match (self.add)(&path) {
                    Ok(()) => self.watched.push(path),
                    Err(err) => eprintln!(
                        "warning: cannot watch {}: {err}",
                        crate::util::text::printable(&path.display().to_string())
                    ),
                }
            }
        }
    }
}

/// Starts watching the sources under `root`; changed paths arrive on the returned channel.
pub fn watch(root: &Path, poll: bool) -> notify::Result<(Watch, Receiver<Vec<PathBuf>>)> {
    let (sender, receiver) = channel();
    let handler = move |result: DebounceEventResult| forward(result, &sender);
    let mut add: AddWatch = if poll {
        // Compare contents too: modification times can be too coarse to tell two saves apart.
        let config = notify::Config::default()
            .with_poll_interval(Duration::from_millis(250))
            .with_compare_contents(true);
        let mut debouncer = new_debouncer_opt::<_, notify::PollWatcher, _>(
            DEBOUNCE,
            None,
            handler,
            notify_debouncer_full::NoCache,
            config,
        )?;
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        Box::new(move |path: &Path| debouncer.watch(path, RecursiveMode::Recursive))
    } else {
        let mut debouncer = new_debouncer(DEBOUNCE, None, handler)?;
        // The root itself, for `site.toml` and source folders created later.
        debouncer.watch(root, RecursiveMode::NonRecursive)?;
        Box::new(move |path: &Path| debouncer.watch(path, RecursiveMode::Recursive))
    };
    let mut watched = Vec::new();
    for name in SOURCES.iter().filter(|name| root.join(name).is_dir()) {
        add(&root.join(name))?;
        watched.push(root.join(name));
    }
    Ok((Watch { add, watched }, receiver))
}

fn forward(result: DebounceEventResult, sender: &Sender<Vec<PathBuf>>) {
    let Ok(events) = result else {
        return;
    };
    // Reading a file is an event too (inotify's access and close): ours must not loop.
    let paths: Vec<PathBuf> = events
        .iter()
        .filter(|event| !matches!(event.kind, notify::EventKind::Access(_)))
        .flat_map(|event| event.paths.iter().cloned())
        .filter(|path| !path.file_name().is_some_and(is_ignored))
        .collect();
    if !paths.is_empty() {
        let _ = sender.send(paths);
    }
}

/// Whether a changed path is one of the site's sources (and not, say, `public/` or `target/`).
pub fn is_source(root: &Path, path: &Path) -> bool {
    SOURCES.iter().any(|name| path.starts_with(root.join(name)))
}

/// Rebuilds after every burst of changes until the channel closes, publishing each result.
/// `shown` are the warnings of the first build, already printed.
pub fn rebuild_loop(
    mut builder: Builder,
    shared: Arc<Shared>,
    mut watch: Watch,
    changes: Receiver<Vec<PathBuf>>,
    mut shown: Vec<Diagnostic>,
) {
    let root = builder.options.root.clone();
    while let Ok(mut paths) = changes.recv() {
        watch.watch_new_folders(&root);
        while let Ok(more) = changes.try_recv() {
            paths.extend(more);
        }
        paths.retain(|path| is_source(&root, path));
        paths.sort();
        paths.dedup();
        if paths.is_empty() {
            continue;
        }
        for path in &paths {
            builder.changed(path);
        }
        rebuild(&mut builder, &shared, &paths, &mut shown);
    }
}

/// Rebuilds and publishes; the terminal hears about it only once the browsers have the result.
/// `shown` holds the warnings printed last time, which are not printed again.
fn rebuild(builder: &mut Builder, shared: &Shared, paths: &[PathBuf], shown: &mut Vec<Diagnostic>) {
    let started = Instant::now();
    let previous = shared.snapshot();
    let base_path = builder
        .options
        .base_url
        .as_deref()
        .map(base_path)
        .unwrap_or_default();
    match builder.build() {
        Ok(built) => {
            let changed = built.outputs.changed_since(&previous.outputs);
            let change = reload::Change::of(&changed, &base_path);
            shared.publish(built.outputs, None, change);
            let elapsed = started.elapsed();
            // The old site is large; freeing it can wait.
            crate::util::background::drop(previous);
            report_new_warnings(built.warnings.sorted(), shown, &builder.options.root);
            let pages = changed.iter().filter(|p| p.ends_with(".html")).count();
            let stages: Vec<String> = built
                .timings
                .iter()
                .map(|(stage, time)| format!("{stage} {} ms", time.as_millis()))
                .collect();
            println!(
                "{} changed: rebuilt in {} ms ({}), {} changed",
                describe(&builder.options.root, paths),
                elapsed.as_millis(),
                stages.join(", "),
                crate::util::text::plural(pages, "page")
            );
        }
        Err(diagnostics) => {
            let sorted = diagnostics.clone().sorted();
            let message = reload::failed(&sorted);
            shared.publish(
                previous.outputs.clone(),
                Some(message),
                reload::Change::default(),
            );
            report_site(diagnostics, &builder.options.root);
            eprintln!("Still serving the last good build; fix the error and save again.");
        }
    }
}

/// Prints the warnings that were not printed after the last rebuild, and how many still apply:
/// a newsroom with twenty long headlines should not see all twenty again at every save.
fn report_new_warnings(warnings: Vec<Diagnostic>, shown: &mut Vec<Diagnostic>, root: &Path) {
    let key = |w: &Diagnostic| (w.file.clone(), w.line, w.column, w.message.clone());
    let before: std::collections::HashSet<_> = shown.iter().map(key).collect();
    let (new, old): (Vec<Diagnostic>, Vec<Diagnostic>) = warnings
        .iter()
        .cloned()
        .partition(|w| !before.contains(&key(w)));
    if !new.is_empty() {
        eprint!("{}", human(&from_working_dir(new, root), use_color()));
    }
    if !old.is_empty() {
        eprintln!(
            "{} shown before still {}",
            crate::util::text::plural(old.len(), "warning"),
            if old.len() == 1 { "applies" } else { "apply" }
        );
    }
    *shown = warnings;
}

/// `content/world/a.md` or `3 files`, for the rebuild log line.
fn describe(root: &Path, paths: &[PathBuf]) -> String {
    match paths {
        // A file name can hold anything: printed as it is, it could reach the terminal as an
        // escape sequence or start a line of its own.
        [one] => {
            let name = crate::diagnostic::display_path(root, one);
            crate::util::text::printable(&name.display().to_string()).into_owned()
        }
        many => format!("{} files", many.len()),
    }
}

/// The path part of a base URL: `http://127.0.0.1:1111/` -> "".
fn base_path(url: &str) -> String {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    rest.find('/')
        .map(|i| rest[i..].trim_end_matches('/').to_string())
        .unwrap_or_default()
}
