//! What the serve tests add to the one harness (`tests/cli/harness.rs`, here `crate::harness`,
//! which gives them its temporary folders, its launcher for one-off builds and its clock): a
//! small newsroom with the edits a reporter makes while the preview runs, the `dateline serve`
//! child process, an HTTP client, and polling with a bounded timeout.

use std::fs;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::harness;

/// The address in the fixture's `site.toml`; the preview must never link to it.
pub const BASE_URL: &str = "https://gazette.example.org/";

/// How long a change on disk may take to show in the preview before a test gives up.
pub const CHANGE_TIMEOUT: Duration = Duration::from_secs(10);

// The fixture's files, relative to the site root.
pub const CEASEFIRE: &str = "content/world/ceasefire-holds.md";
pub const TALKS: &str = "content/world/talks-resume.md";
pub const PORT_REOPENS: &str = "content/world/port-reopens.md";
pub const SUMMIT: &str = "content/world/summit-next-year.md";
pub const RUNOFF: &str = "content/politics/runoff-called.md";
pub const BUDGET: &str = "content/politics/budget-passes.md";
pub const COALITION: &str = "content/politics/coalition-deal.md";
pub const ABOUT: &str = "content/about.md";
pub const PRESS_KIT: &str = "static/press-kit.txt";

// Where the fixture's stories are published.
pub const CEASEFIRE_URL: &str = "/world/2025/05/ceasefire-holds/";
pub const TALKS_URL: &str = "/world/2025/05/talks-resume/";
pub const PORT_REOPENS_URL: &str = "/world/2025/05/port-reopens/";
pub const SUMMIT_URL: &str = "/world/2099/06/summit-next-year/";
pub const RUNOFF_URL: &str = "/politics/2025/05/runoff-called/";
pub const BUDGET_URL: &str = "/politics/2025/05/budget-passes/";
pub const COALITION_URL: &str = "/politics/2025/05/coalition-deal/";
pub const ABOUT_URL: &str = "/about/";

/// One story's front matter and body. The dek is fixed, so that listings (which show the dek)
/// change only with the headline, date, authors or tags; the body's last paragraph is free.
#[derive(Debug, Clone)]
pub struct Story {
    pub headline: String,
    pub date: String,
    pub author: String,
    pub tags: Vec<String>,
    /// More front matter lines, such as `draft: true`.
    pub extra: String,
    pub closing: String,
}

impl Story {
    pub fn new(headline: &str, date: &str, author: &str, tags: &[&str]) -> Story {
        Story {
            headline: headline.into(),
            date: date.into(),
            author: author.into(),
            tags: tags.iter().map(|t| t.to_string()).collect(),
            extra: String::new(),
            closing: "Officials will meet again next week.".into(),
        }
    }

    pub fn headline(mut self, headline: &str) -> Story {
        self.headline = headline.into();
        self
    }

    pub fn closing(mut self, closing: &str) -> Story {
        self.closing = closing.into();
        self
    }

    pub fn extra(mut self, line: &str) -> Story {
        self.extra.push_str(line);
        self.extra.push('\n');
        self
    }

    pub fn text(&self) -> String {
        let tags: Vec<String> = self.tags.iter().map(|t| format!("\"{t}\"")).collect();
        format!(
            "---\nheadline: \"{}\"\ndek: \"The short version of the story.\"\ndate: {}\n\
             author: \"{}\"\ntags: [{}]\n{}---\n\
             Reporters confirmed the news on Monday, officials said.\n\n\
             The second paragraph gives the background.\n\n{}\n",
            self.headline,
            self.date,
            self.author,
            tags.join(", "),
            self.extra,
            self.closing
        )
    }
}

/// The fixture's stories, by file.
pub fn newsroom_stories() -> Vec<(&'static str, Story)> {
    vec![
        (
            CEASEFIRE,
            Story::new(
                "Ceasefire holds along the northern border",
                "2025-05-12 09:00",
                "Ana Lima",
                &["Diplomacy", "Security"],
            ),
        ),
        (
            TALKS,
            Story::new(
                "Talks resume in Geneva",
                "2025-05-10 14:00",
                "Ben Okoro",
                &["Diplomacy"],
            ),
        ),
        (
            PORT_REOPENS,
            Story::new(
                "Port reopens after the storm",
                "2025-05-08 07:30",
                "Ben Okoro",
                &["Weather"],
            ),
        ),
        (
            RUNOFF,
            Story::new(
                "Runoff called for June",
                "2025-05-11 18:00",
                "Ana Lima",
                &["Elections"],
            ),
        ),
        (
            BUDGET,
            Story::new(
                "Budget passes first reading",
                "2025-05-09 12:00",
                "Carla Mendes",
                &["Elections", "Economy"],
            ),
        ),
        (
            COALITION,
            Story::new(
                "Coalition deal within reach",
                "2025-05-13 08:00",
                "Carla Mendes",
                &["Elections"],
            )
            .extra("draft: true"),
        ),
        (
            SUMMIT,
            Story::new(
                "Summit set for next year",
                "2099-06-01 10:00",
                "Ana Lima",
                &["Diplomacy"],
            ),
        ),
    ]
}

/// A site in a temporary folder (a [`harness::Site`]), removed when dropped.
pub struct Site {
    dir: harness::Site,
}

impl Site {
    /// "The Test Gazette": two sections, three authors, a draft, a scheduled story, an About
    /// page and a static file. Its stories are dated before the harness's NOW, but for the
    /// scheduled one (in 2099).
    pub fn newsroom() -> Site {
        let site = Site {
            dir: harness::Site::empty(),
        };
        site.write("site.toml", &site_toml("The Test Gazette"));
        for (path, story) in newsroom_stories() {
            site.write(path, &story.text());
        }
        site.write(
            ABOUT,
            "---\nheadline: \"About the Gazette\"\nlayout: page\n---\nWe report the news.\n",
        );
        site.write(PRESS_KIT, "Press kit, first edition\n");
        site
    }

    /// The absolute site root (symbolic links resolved, as the watcher reports paths).
    pub fn root(&self) -> PathBuf {
        self.dir
            .root()
            .canonicalize()
            .expect("canonicalize the site root")
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root().join(relative)
    }

    pub fn write(&self, relative: &str, text: &str) {
        self.write_bytes(relative, text.as_bytes());
    }

    pub fn write_bytes(&self, relative: &str, bytes: &[u8]) {
        let path = self.path(relative);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("create folders");
        }
        fs::write(&path, bytes).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }

    pub fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).expect("read a site file")
    }

    pub fn remove(&self, relative: &str) {
        fs::remove_file(self.path(relative)).expect("remove a site file");
    }

    pub fn rename(&self, from: &str, to: &str) {
        fs::rename(self.path(from), self.path(to)).expect("rename a site file");
    }
}

pub fn site_toml(title: &str) -> String {
    format!(
        "title = \"{title}\"\nbase_url = \"{BASE_URL}\"\ntimezone = \"UTC\"\n\
         sections = [\"World\", \"Politics\"]\n"
    )
}

/// The output file of a route: `/world/` -> `world/index.html`.
pub fn file_of(route: &str) -> String {
    let trimmed = route.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// Calls `done` every few milliseconds until it is true; panics after `timeout` saying `what`
/// it waited for.
pub fn wait_until(timeout: Duration, what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + timeout;
    loop {
        if done() {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "timed out after {timeout:?} waiting until {what}"
        );
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// An HTTP answer, read whole.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    /// Header names in lowercase, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The parsed HTML body.
    pub fn html(&self) -> scraper::Html {
        scraper::Html::parse_document(&self.body)
    }

    /// The text of the first element matching `selector`, trimmed.
    pub fn text_of(&self, selector: &str) -> Option<String> {
        let selector = scraper::Selector::parse(selector).expect("a valid selector");
        self.html()
            .select(&selector)
            .next()
            .map(|e| e.text().collect::<String>().trim().to_string())
    }

    /// How many elements match `selector`.
    pub fn count(&self, selector: &str) -> usize {
        let selector = scraper::Selector::parse(selector).expect("a valid selector");
        self.html().select(&selector).count()
    }
}

/// The client the tests use: no proxy, no redirects followed, 4xx and 5xx are answers.
pub fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .proxy(None)
        .timeout_global(Some(Duration::from_secs(10)))
        .build()
        .into()
}

fn reply(mut response: ureq::http::Response<ureq::Body>) -> Reply {
    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .map(|(name, value)| {
            (
                name.as_str().to_ascii_lowercase(),
                String::from_utf8_lossy(value.as_bytes()).into_owned(),
            )
        })
        .collect();
    let body = response
        .body_mut()
        .read_to_string()
        .expect("read the response body");
    Reply {
        status,
        headers,
        body,
    }
}

/// One request written by hand, so that the path and `Host` reach the server exactly as given
/// (HTTP clients normalise `..` segments and set `Host` themselves).
pub fn raw_request(port: u16, method: &str, target: &str, host: &str) -> Reply {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect to the server");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .expect("set a read timeout");
    write!(
        stream,
        "{method} {target} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n"
    )
    .expect("send the request");
    let mut bytes = Vec::new();
    stream
        .read_to_end(&mut bytes)
        .expect("read the whole response");
    let text = String::from_utf8_lossy(&bytes);
    let (head, body) = text
        .split_once("\r\n\r\n")
        .unwrap_or_else(|| panic!("not an HTTP response: {text:?}"));
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|line| line.split_whitespace().nth(1))
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {head:?}"));
    let headers = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(name, value)| (name.trim().to_ascii_lowercase(), value.trim().to_string()))
        .collect();
    Reply {
        status,
        headers,
        body: body.to_string(),
    }
}

/// A running `dateline serve`, killed when dropped. Its output is kept, and printed if the
/// test fails.
pub struct Server {
    child: Child,
    pub port: u16,
    stdout: Arc<Mutex<String>>,
    stderr: Arc<Mutex<String>>,
    agent: ureq::Agent,
}

impl Server {
    /// Serves `root` on a free port (`--port 0`).
    pub fn start(root: &Path) -> Server {
        Server::start_with(root, &["--port", "0"])
    }

    /// Serves `root` with more arguments; waits until it says where it listens.
    pub fn start_with(root: &Path, args: &[&str]) -> Server {
        let mut command = Command::new(harness::BINARY);
        command.arg("serve").arg("--root").arg(root).args(args);
        Server::spawn(command)
    }

    /// Serves the site the way `init` tells people to: from inside its folder, with no --root.
    pub fn start_inside(root: &Path) -> Server {
        let mut command = Command::new(harness::BINARY);
        command.current_dir(root).args(["serve", "--port", "0"]);
        Server::spawn(command)
    }

    fn spawn(mut command: Command) -> Server {
        let mut child = command
            .env("NO_COLOR", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start dateline serve");
        let stdout = collect(child.stdout.take().expect("piped stdout"));
        let stderr = collect(child.stderr.take().expect("piped stderr"));
        let mut server = Server {
            child,
            port: 0,
            stdout,
            stderr,
            agent: agent(),
        };
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(port) = served_port(&server.stdout()) {
                server.port = port;
                return server;
            }
            if let Ok(Some(status)) = server.child.try_wait() {
                panic!(
                    "dateline serve exited ({status}) before serving:\n{}{}",
                    server.stdout(),
                    server.stderr()
                );
            }
            assert!(
                Instant::now() < deadline,
                "dateline serve did not say where it listens:\n{}{}",
                server.stdout(),
                server.stderr()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    pub fn get(&self, path: &str) -> Reply {
        reply(
            self.agent
                .get(self.url(path))
                .call()
                .unwrap_or_else(|e| panic!("GET {path}: {e}")),
        )
    }

    pub fn head(&self, path: &str) -> Reply {
        reply(
            self.agent
                .head(self.url(path))
                .call()
                .unwrap_or_else(|e| panic!("HEAD {path}: {e}")),
        )
    }

    /// Everything the server printed on standard output so far.
    pub fn stdout(&self) -> String {
        self.stdout.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Everything the server printed on standard error so far.
    pub fn stderr(&self) -> String {
        self.stderr.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Polls `path` until its body contains `needle`; returns that answer.
    pub fn wait_for(&self, path: &str, needle: &str) -> Reply {
        let mut last = None;
        wait_until(CHANGE_TIMEOUT, &format!("{path} shows {needle:?}"), || {
            let reply = self.get(path);
            let done = reply.status == 200 && reply.body.contains(needle);
            last = Some(reply);
            done
        });
        last.expect("at least one answer")
    }

    /// Polls until standard error contains `needle`.
    pub fn wait_for_stderr(&self, needle: &str) {
        wait_until(
            CHANGE_TIMEOUT,
            &format!("the server reports {needle:?}"),
            || self.stderr().contains(needle),
        );
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!(
                "--- dateline serve stdout ---\n{}--- dateline serve stderr ---\n{}",
                self.stdout(),
                self.stderr()
            );
        }
    }
}

/// Reads a child's output on a thread, line by line, into a shared string.
fn collect(stream: impl Read + Send + 'static) -> Arc<Mutex<String>> {
    let text = Arc::new(Mutex::new(String::new()));
    let sink = Arc::clone(&text);
    std::thread::spawn(move || {
        for line in BufReader::new(stream).lines() {
            let Ok(line) = line else { break };
            if let Ok(mut text) = sink.lock() {
                text.push_str(&line);
                text.push('\n');
            }
        }
    });
    text
}

/// The port of `Serving <root> at http://127.0.0.1:PORT/`.
pub fn served_port(stdout: &str) -> Option<u16> {
    let line = stdout.lines().find(|l| l.starts_with("Serving "))?;
    let address = line.rsplit_once(" at http://")?.1;
    let host_port = address.split('/').next()?;
    host_port.rsplit_once(':')?.1.parse().ok()
}

/// Runs `dateline build` of `root` into `output`; panics with its output if it fails.
/// By the real clock, as `serve` builds.
pub fn build_into(root: &Path, output: &Path) {
    harness::dateline(root)
        .arg("build")
        .arg("--root")
        .arg(root)
        .arg("--output")
        .arg(output)
        .run()
        .assert_success();
}

/// Every file under `dir`, relative and `/`-separated, sorted.
pub fn files_under(dir: &Path) -> Vec<String> {
    fn walk(dir: &Path, base: &Path, files: &mut Vec<String>) {
        for entry in fs::read_dir(dir).expect("read a folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, base, files);
            } else if let Ok(relative) = path.strip_prefix(base) {
                files.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    let mut files = Vec::new();
    walk(dir, dir, &mut files);
    files.sort();
    files
}
