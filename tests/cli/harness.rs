//! The one test harness: a site in a temporary folder (written by the test, or copied from
//! `tests/fixtures/<name>/`), the real `dateline` binary run on it as of a fixed [`NOW`], and
//! readers that parse what it wrote (HTML with scraper, feeds with feed-rs, sitemaps with
//! roxmltree) and what it said (exit code and diagnostics on stderr).
//!
//! The `cli` tests are built on it; the `hardening` and `serve` suites include it with
//! `#[path = "../cli/harness.rs"]`, so that every suite has the same clock, sites and launcher.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use dateline::build::{BuildOptions, Builder};
use dateline::model::Publishing;
use scraper::{ElementRef, Html, Selector};
use tempfile::TempDir;

/// The "now" of every build, so that tests never depend on the clock: after every story the
/// test sites date in 2025, before the ones they schedule for 2026 and later.
pub const NOW: &str = "2026-01-01T00:00:00Z";

/// The binary under test, built by Cargo for the tests.
pub const BINARY: &str = env!("CARGO_BIN_EXE_dateline");

/// How long one run of the binary may take before it is killed and the test fails: far more
/// than any test site needs, so that only a hang (or a runaway hostile input) reaches it.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// The `site.toml` of [`Site::new`]: a site in Lisbon's time zone at a domain root.
pub const SITE_TOML: &str = "title = \"Test Gazette\"\n\
                             base_url = \"https://news.example.org/\"\n\
                             timezone = \"Europe/Lisbon\"\n";

/// A site in a temporary folder, removed when the last handle to it (a clone, or a [`Run`] of
/// it whose output is still read) is dropped. The methods that write return the site again,
/// so that a site can be written in one expression.
#[derive(Clone)]
pub struct Site {
    dir: Arc<TempDir>,
}

impl Site {
    /// A site with only [`SITE_TOML`] and an empty `content/`: no theme folder, so the
    /// built-in theme is used.
    pub fn new() -> Site {
        Site::with_config(SITE_TOML)
    }

    /// A site with this `site.toml` and an empty `content/`.
    pub fn with_config(toml: &str) -> Site {
        let site = Site::empty();
        fs::create_dir_all(site.root().join("content")).expect("create content/");
        site.file("site.toml", toml)
    }

    /// A temporary folder with nothing in it.
    pub fn empty() -> Site {
        // A visible name: tempfile's default (`.tmpXXXX`) is hidden, and Dateline ignores
        // hidden files and folders.
        let dir = tempfile::Builder::new()
            .prefix("dateline-test-")
            .tempdir()
            .expect("create a temporary folder");
        Site { dir: Arc::new(dir) }
    }

    /// A copy of `tests/fixtures/<name>/`.
    pub fn fixture(name: &str) -> Site {
        let site = Site::empty();
        copy_dir(&fixtures().join(name), site.root());
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file relative to the site root, creating its folders.
    pub fn file(&self, path: &str, contents: impl AsRef<[u8]>) -> Site {
        let path = self.root().join(path);
        fs::create_dir_all(path.parent().expect("a file has a parent")).expect("create folders");
        fs::write(&path, contents).expect("write a site file");
        self.clone()
    }

    /// Appends lines to `site.toml`.
    pub fn config(&self, toml: &str) -> Site {
        let path = self.root().join("site.toml");
        let mut text = fs::read_to_string(&path).unwrap_or_default();
        text.push_str(toml);
        if !text.ends_with('\n') {
            text.push('\n');
        }
        self.file("site.toml", text)
    }

    /// Writes `content/<path>` as a front matter block (without its `---` lines) and a body.
    pub fn story(&self, path: &str, front_matter: &str, body: &str) -> Site {
        let front_matter = front_matter.trim_end_matches('\n');
        self.file(
            &format!("content/{path}"),
            format!("---\n{front_matter}\n---\n{body}"),
        )
    }

    /// A story in house style (a dek, no photo) under `content/`, with `extra` front matter
    /// lines, each ending in a newline.
    pub fn house_story(&self, path: &str, headline: &str, date: &str, extra: &str) -> Site {
        self.story(
            path,
            &format!("headline: \"{headline}\"\ndek: \"Why it matters.\"\ndate: {date}\n{extra}"),
            "The story.\n",
        )
    }

    /// A file under the root, as text.
    pub fn read(&self, path: &str) -> String {
        fs::read_to_string(self.root().join(path))
            .unwrap_or_else(|err| panic!("cannot read {path}: {err}"))
    }

    /// Whether a file or folder exists under the root.
    pub fn exists(&self, path: &str) -> bool {
        self.root().join(path).exists()
    }

    /// Runs `dateline <args> --root <root>` in the root; the output is read from `public/`.
    pub fn dateline(&self, args: &[&str]) -> Run {
        let mut launch = dateline(self.root())
            .args(args)
            .arg("--root")
            .arg(self.root());
        launch.site = Some(self.clone());
        launch.run()
    }

    /// Builds into `public/` under the root, as of [`NOW`], with extra arguments.
    pub fn build_with(&self, args: &[&str]) -> Run {
        let mut all = vec!["build", "--now", NOW];
        all.extend_from_slice(args);
        self.dateline(&all)
    }

    pub fn build(&self) -> Run {
        self.build_with(&[])
    }

    /// Builds as of [`NOW`] into `out`, named with `--output`.
    pub fn build_into(&self, out: &Path, args: &[&str]) -> Run {
        let out_arg = path_arg(out);
        let mut all = vec!["build", "--now", NOW, "--output", &out_arg];
        all.extend_from_slice(args);
        let mut run = self.dateline(&all);
        run.out = out.to_path_buf();
        run
    }

    /// A library `Builder` of the site as of [`NOW`], for tests that build in-process: to
    /// keep one between edits as `serve` does, or to read what a build counted.
    pub fn builder(&self) -> Builder {
        Builder::new(build_options(self.root()))
    }

    /// `check --format json <args>` (as of [`NOW`] unless `args` has a `--now`): the exit code
    /// and the parsed report.
    pub fn check_json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let mut all = vec!["check", "--format", "json"];
        if !args.contains(&"--now") {
            all.extend(["--now", NOW]);
        }
        all.extend_from_slice(args);
        let run = self.dateline(&all);
        let report = serde_json::from_str(&run.stdout).unwrap_or_else(|err| {
            panic!(
                "stdout is not JSON ({err}):\n{}\nstderr:\n{}",
                run.stdout, run.stderr
            )
        });
        (run.code.unwrap_or(-1), report)
    }

    /// Every file under the root with its bytes, to prove that nothing was touched.
    pub fn snapshot(&self) -> BTreeMap<String, Vec<u8>> {
        snapshot(self.root())
    }

    /// Puts a previous build into `public/`, for tests that prove it survives: with the marker
    /// every build leaves, so that a build may replace it.
    pub fn previous_public(&self) -> Site {
        self.file("public/.dateline-output", "written by dateline build\n")
            .file("public/index.html", "<p>previous front page</p>\n")
            .file(
                "public/world/2024/01/old/index.html",
                "<p>previous story</p>\n",
            )
            .file("public/photo.jpg", [0xff_u8, 0xd8, 0xff, 0x00, 0x01])
    }
}

/// The options of an in-process build of `root` as of [`NOW`], as `dateline build` makes
/// them: no drafts, no scheduled stories, the base URL of `site.toml`.
pub fn build_options(root: &Path) -> BuildOptions {
    BuildOptions {
        root: root.to_path_buf(),
        publishing: Publishing {
            drafts: false,
            future: false,
            now: NOW.parse().expect("NOW is a timestamp"),
        },
        base_url: None,
    }
}

/// A path as a command-line argument.
pub fn path_arg(path: &Path) -> String {
    path.to_str().expect("a UTF-8 temporary path").to_string()
}

/// The real binary about to run in `cwd`, with no arguments yet: the one way the tests start
/// it. Every run has the same environment: no colours, no backtraces, not in GitHub Actions
/// (whatever the test runner's own environment is). Its output is expected in `cwd/public`.
pub fn dateline(cwd: &Path) -> Dateline {
    let mut command = Command::new(BINARY);
    command
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env_remove("RUST_BACKTRACE")
        .env_remove("GITHUB_ACTIONS");
    Dateline {
        command,
        out: cwd.join("public"),
        site: None,
    }
}

/// A run of `dateline` being put together; see [`dateline`].
pub struct Dateline {
    command: Command,
    out: PathBuf,
    /// The site run on, kept alive by the [`Run`].
    site: Option<Site>,
}

impl Dateline {
    pub fn arg(mut self, arg: impl AsRef<OsStr>) -> Dateline {
        self.command.arg(arg);
        self
    }

    pub fn args<I, S>(mut self, args: I) -> Dateline
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: &str) -> Dateline {
        self.command.env(key, value);
        self
    }

    /// Where the readers of the [`Run`] find the output (by default `public/` in the folder).
    pub fn output_in(mut self, out: &Path) -> Dateline {
        self.out = out.to_path_buf();
        self
    }

    /// Runs the binary to the end and fails the test if it panicked, or if it ran longer than
    /// [`TIMEOUT`] (it is killed then).
    pub fn run(mut self) -> Run {
        let shown: Vec<String> = self
            .command
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        let started = Instant::now();
        let mut child = self
            .command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dateline");
        // Both pipes are read to their end in threads, so that a chatty child never blocks on
        // a full pipe; they end when the child does, or the deadline passes first.
        let (sender, received) = mpsc::channel();
        let pipes: [Box<dyn Read + Send>; 2] = [
            Box::new(child.stdout.take().expect("piped stdout")),
            Box::new(child.stderr.take().expect("piped stderr")),
        ];
        for (index, mut pipe) in pipes.into_iter().enumerate() {
            let sender = sender.clone();
            std::thread::spawn(move || {
                let mut bytes = Vec::new();
                let _ = pipe.read_to_end(&mut bytes);
                let _ = sender.send((index, bytes));
            });
        }
        let mut streams = [Vec::new(), Vec::new()];
        for _ in 0..streams.len() {
            let left = (started + TIMEOUT).saturating_duration_since(Instant::now());
            match received.recv_timeout(left) {
                Ok((index, bytes)) => streams[index] = bytes,
                Err(_) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    panic!("dateline {shown:?} ran longer than {TIMEOUT:?} and was killed");
                }
            }
        }
        let status = child.wait().expect("wait for dateline");
        let [stdout, stderr] = streams;
        let run = Run {
            code: status.code(),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
            out: self.out,
            _site: self.site,
        };
        assert!(
            !run.stderr.contains("panicked"),
            "dateline {shown:?} panicked:\n{}",
            run.stderr
        );
        run
    }
}

/// What one run of `dateline` did.
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    /// The output folder of the build.
    pub out: PathBuf,
    /// The site that was built, kept alive (not deleted) as long as its output is read.
    _site: Option<Site>,
}

impl Run {
    pub fn assert_success(&self) -> &Run {
        assert_eq!(
            self.code,
            Some(0),
            "dateline failed\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// The build failed with exit code 1 and wrote nothing.
    pub fn assert_failure(&self) -> &Run {
        assert_eq!(
            self.code,
            Some(1),
            "expected the build to fail\nstdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        assert!(
            self.stdout.is_empty(),
            "a failed build printed a summary: {}",
            self.stdout
        );
        self
    }

    /// The diagnostics printed on stderr, in order.
    pub fn diagnostics(&self) -> Vec<Reported> {
        parse_diagnostics(&self.stderr)
    }

    /// The only diagnostic; fails if there are none or several, or if the count line disagrees.
    pub fn single_error(&self) -> Reported {
        let mut all = self.diagnostics();
        assert_eq!(all.len(), 1, "expected one diagnostic:\n{}", self.stderr);
        assert_eq!(
            self.error_count_line(),
            Some(1),
            "expected the line `1 error`:\n{}",
            self.stderr
        );
        all.remove(0)
    }

    /// The number in the closing `N errors` line.
    pub fn error_count_line(&self) -> Option<usize> {
        self.stderr.lines().find_map(|line| {
            let count = line
                .strip_suffix(" errors")
                .or_else(|| line.strip_suffix(" error"))?;
            count.parse().ok()
        })
    }

    pub fn path(&self, file: &str) -> PathBuf {
        self.out.join(file)
    }

    /// Whether the output has exactly this file; `a//b` is not `a/b`, as a browser sees it.
    pub fn exists(&self, file: &str) -> bool {
        !file.contains("//") && !file.starts_with('/') && self.path(file).is_file()
    }

    pub fn read(&self, file: &str) -> String {
        fs::read_to_string(self.path(file))
            .unwrap_or_else(|err| panic!("cannot read {file} from the output: {err}"))
    }

    pub fn bytes(&self, file: &str) -> Vec<u8> {
        fs::read(self.path(file))
            .unwrap_or_else(|err| panic!("cannot read {file} from the output: {err}"))
    }

    /// Every output file, relative and `/`-separated.
    pub fn files(&self) -> Vec<String> {
        snapshot(&self.out).into_keys().collect()
    }

    /// The HTML page of a route (`/world/`, `/404.html`), parsed.
    pub fn page(&self, route: &str) -> Page {
        Page::parse(&self.read(&route_file(route)))
    }

    pub fn feed(&self) -> feed_rs::model::Feed {
        feed_rs::parser::parse(self.bytes("feed.xml").as_slice()).expect("feed.xml parses")
    }

    /// `(loc, lastmod)` of every `<url>` in `sitemap.xml`.
    pub fn sitemap(&self) -> Vec<(String, Option<String>)> {
        let text = self.read("sitemap.xml");
        let doc = roxmltree::Document::parse(&text).expect("sitemap.xml is XML");
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "urlset");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.sitemaps.org/schemas/sitemap/0.9")
        );
        root.children()
            .filter(|n| n.has_tag_name("url"))
            .map(|url| {
                let child = |name: &str| {
                    url.children()
                        .find(|n| n.has_tag_name(name))
                        .and_then(|n| n.text())
                        .map(str::to_string)
                };
                (child("loc").expect("every url has a loc"), child("lastmod"))
            })
            .collect()
    }
}

/// The output file of a route (`/world/` -> `world/index.html`), as the build names it.
pub use dateline::site::routes::route_file;

/// A parsed HTML page with selector helpers.
pub struct Page {
    pub html: Html,
}

pub fn selector(css: &str) -> Selector {
    Selector::parse(css).unwrap_or_else(|err| panic!("bad selector `{css}`: {err:?}"))
}

impl Page {
    pub fn parse(text: &str) -> Page {
        Page {
            html: Html::parse_document(text),
        }
    }

    pub fn select(&self, css: &str) -> Vec<ElementRef<'_>> {
        self.html.select(&selector(css)).collect()
    }

    pub fn count(&self, css: &str) -> usize {
        self.select(css).len()
    }

    /// The text of the one element matching `css`, trimmed; fails unless exactly one matches.
    pub fn text(&self, css: &str) -> String {
        let found = self.select(css);
        assert_eq!(
            found.len(),
            1,
            "expected one `{css}`, found {}",
            found.len()
        );
        text_of(found[0])
    }

    /// The trimmed texts of every element matching `css`.
    pub fn texts(&self, css: &str) -> Vec<String> {
        self.select(css).into_iter().map(text_of).collect()
    }

    /// The texts of every element matching `css`, trimmed, with the whitespace inside them as
    /// written (for tests that prove the markup's own spacing too).
    pub fn trimmed_texts(&self, css: &str) -> Vec<String> {
        self.select(css)
            .into_iter()
            .map(|e| e.text().collect::<String>().trim().to_string())
            .collect()
    }

    /// The value of `attr` on the one element matching `css`.
    pub fn attr(&self, css: &str, attr: &str) -> String {
        let found = self.select(css);
        assert_eq!(
            found.len(),
            1,
            "expected one `{css}`, found {}",
            found.len()
        );
        found[0]
            .attr(attr)
            .unwrap_or_else(|| panic!("`{css}` has no `{attr}`"))
            .to_string()
    }

    /// The values of `attr` on every element matching `css` that has it.
    pub fn attrs(&self, css: &str, attr: &str) -> Vec<String> {
        self.select(css)
            .into_iter()
            .filter_map(|e| e.attr(attr).map(str::to_string))
            .collect()
    }

    /// Every `id` on the page.
    pub fn ids(&self) -> Vec<String> {
        self.attrs("[id]", "id")
    }
}

/// An element's text with whitespace runs collapsed, as a reader sees it.
pub fn text_of(element: ElementRef<'_>) -> String {
    element
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// One diagnostic as printed: `error: message`, ` --> location`, `= help: ...`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reported {
    pub severity: String,
    pub message: String,
    /// `file:line:col`, or `file` for problems of a whole file.
    pub location: String,
    pub help: Option<String>,
    /// Every line of the report, for messages in failed assertions.
    pub text: String,
}

/// Reads the rustc-style reports that `dateline` prints on stderr.
pub fn parse_diagnostics(stderr: &str) -> Vec<Reported> {
    let mut found: Vec<Reported> = Vec::new();
    for line in stderr.lines() {
        let header = ["error", "warning"].iter().find_map(|severity| {
            let message = line.strip_prefix(&format!("{severity}: "))?;
            Some((*severity, message))
        });
        if let Some((severity, message)) = header {
            found.push(Reported {
                severity: severity.to_string(),
                message: message.to_string(),
                location: String::new(),
                help: None,
                text: String::new(),
            });
        }
        let Some(current) = found.last_mut() else {
            continue;
        };
        current.text.push_str(line);
        current.text.push('\n');
        let trimmed = line.trim_start();
        if let Some(location) = trimmed.strip_prefix("--> ")
            && current.location.is_empty()
        {
            current.location = location.trim().to_string();
        }
        if let Some(help) = trimmed.strip_prefix("= help: ") {
            current.help = Some(help.trim().to_string());
        }
    }
    found
}

/// The diagnostics of a `check --format json` report.
pub fn json_diagnostics(report: &serde_json::Value) -> &Vec<serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
}

/// `file:line:col` of a diagnostic in a `check --format json` report.
pub fn json_location(diagnostic: &serde_json::Value) -> String {
    let mut location = diagnostic["file"].as_str().unwrap_or("?").to_string();
    if let Some(line) = diagnostic["line"].as_u64() {
        location.push_str(&format!(":{line}"));
        if let Some(column) = diagnostic["column"].as_u64() {
            location.push_str(&format!(":{column}"));
        }
    }
    location
}

/// Every file under `dir` (relative, `/`-separated) with its bytes; empty if `dir` is absent.
pub fn snapshot(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    collect(dir, dir, &mut files);
    files
}

fn collect(root: &Path, dir: &Path, files: &mut BTreeMap<String, Vec<u8>>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let kind = entry.file_type().expect("file type");
        if kind.is_dir() {
            collect(root, &path, files);
        } else if kind.is_file() {
            let relative = path
                .strip_prefix(root)
                .expect("inside the root")
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            files.insert(relative, fs::read(&path).expect("read a file"));
        }
    }
}

/// Names of the entries directly in `dir`.
pub fn entries(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(dir)
        .expect("read a folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// No staging or old folder of a build is left beside `out`.
pub fn assert_no_leftovers(out: &Path) {
    let parent = out.parent().expect("the output has a parent");
    let name = out
        .file_name()
        .expect("the output has a name")
        .to_string_lossy();
    // The lock file stays on purpose (see src/write/lock.rs); staging and old folders never.
    let lock = format!(".{name}.lock");
    let leftovers: Vec<String> = entries(parent)
        .into_iter()
        .filter(|e| e.starts_with(&format!(".{name}.")) && *e != lock)
        .collect();
    assert!(
        leftovers.is_empty(),
        "leftovers beside the output: {leftovers:?}"
    );
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The repository root, which holds the example site.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create a folder");
    for entry in fs::read_dir(from).unwrap_or_else(|err| panic!("read {}: {err}", from.display())) {
        let entry = entry.expect("a folder entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a fixture file");
        }
    }
}

/// Every internal link of every HTML page in the output that leads nowhere, as `page -> link`:
/// a root-relative `href`/`src` (under `base_path`) must name an output file, and a `#fragment`
/// (on the same page or another) must name an element `id` there.
pub fn broken_links(run: &Run, base_path: &str) -> Vec<String> {
    let files: std::collections::BTreeSet<String> = run.files().into_iter().collect();
    let mut ids: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut links: Vec<(String, String)> = Vec::new();
    for file in files.iter().filter(|f| f.ends_with(".html")) {
        let page = Page::parse(&run.read(file));
        ids.insert(file.clone(), page.ids());
        let found = page
            .attrs("a[href], link[href]", "href")
            .into_iter()
            .chain(page.attrs("img[src], script[src], iframe[src]", "src"));
        links.extend(found.map(|link| (file.clone(), link)));
    }
    let mut broken = Vec::new();
    for (file, link) in links {
        let (target, fragment) = match link.split_once('#') {
            Some((target, fragment)) => (target, Some(fragment)),
            None => (link.as_str(), None),
        };
        let target = target.split('?').next().unwrap_or_default();
        let resolved = if target.is_empty() {
            Some(file.clone())
        } else if target.starts_with('/') && !target.starts_with("//") {
            target
                .strip_prefix(base_path)
                .filter(|rest| rest.starts_with('/'))
                .map(route_file)
        } else {
            continue;
        };
        let ok = match resolved {
            Some(path) if files.contains(&path) => match fragment {
                Some(id) if !id.is_empty() && path.ends_with(".html") => ids
                    .get(&path)
                    .is_some_and(|ids| ids.iter().any(|i| i == id)),
                _ => true,
            },
            _ => false,
        };
        if !ok {
            broken.push(format!("{file} -> {link}"));
        }
    }
    broken
}

/// Every `id` used twice on one HTML page of the output, as `page: id`.
pub fn duplicate_ids(run: &Run) -> Vec<String> {
    let mut duplicates = Vec::new();
    for file in run.files().into_iter().filter(|f| f.ends_with(".html")) {
        let mut ids = Page::parse(&run.read(&file)).ids();
        ids.sort();
        for pair in ids.windows(2) {
            if pair[0] == pair[1] {
                duplicates.push(format!("{file}: {}", pair[0]));
            }
        }
    }
    duplicates.dedup();
    duplicates
}
