//! A site in a temporary folder and the `dateline` binary pointed at it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use tempfile::TempDir;

/// A small `site.toml`: a zone with summer time, so tests see offsets at work.
pub const CONFIG: &str = "title = \"The Test Gazette\"\n\
    base_url = \"https://gazette.example/\"\n\
    timezone = \"Europe/Lisbon\"\n\
    sections = [\"World\", \"Politics\"]\n";

/// Long after every story in these tests, so that only `--now` tests see the future.
pub const LATER: &str = "2030-01-01T00:00:00Z";

pub struct Site {
    dir: TempDir,
}

impl Site {
    /// A site with [`CONFIG`] and no stories.
    pub fn new() -> Site {
        Site::with_config(CONFIG)
    }

    pub fn with_config(config: &str) -> Site {
        let site = Site {
            dir: TempDir::new().expect("a temporary folder"),
        };
        site.file("site.toml", config);
        std::fs::create_dir_all(site.path().join("content")).expect("content/");
        site
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes a file under the site, creating its folders.
    pub fn file(&self, path: &str, text: &str) -> &Site {
        let path = self.path().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("folders");
        std::fs::write(path, text).expect("a written file");
        self
    }

    /// A story in house style (dek, credit-free, dated in the past) with `extra` front matter.
    pub fn story(&self, path: &str, headline: &str, date: &str, extra: &str) -> &Site {
        self.file(
            path,
            &format!(
                "---\nheadline: \"{headline}\"\ndek: \"Why it matters.\"\ndate: {date}\n{extra}---\nThe story.\n"
            ),
        )
    }

    pub fn read(&self, path: &str) -> String {
        std::fs::read_to_string(self.path().join(path))
            .unwrap_or_else(|err| panic!("cannot read {path}: {err}"))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.path().join(path).exists()
    }

    /// `dateline ARGS` run in the site's folder.
    pub fn dateline(&self, args: &[&str]) -> Command {
        let mut command = dateline(self.path());
        command.args(args);
        command
    }

    /// Builds with `--now` [`LATER`] plus `args`, and panics with the errors if it fails.
    pub fn build(&self, args: &[&str]) -> PathBuf {
        let output = self
            .dateline(&["build", "--now", LATER])
            .args(args)
            .output()
            .expect("dateline runs");
        assert!(
            output.status.success(),
            "the build failed:\n{}",
            String::from_utf8_lossy(&output.stderr)
        );
        self.path().join("public")
    }

    /// `check --format json ARGS` (with `--now LATER` unless ARGS has a `--now`): the exit code
    /// and the parsed report.
    pub fn check_json(&self, args: &[&str]) -> (i32, serde_json::Value) {
        let mut command = self.dateline(&["check", "--format", "json"]);
        if !args.contains(&"--now") {
            command.args(["--now", LATER]);
        }
        let output = command.args(args).output().expect("dateline runs");
        let report = serde_json::from_slice(&output.stdout).unwrap_or_else(|err| {
            panic!(
                "stdout is not JSON ({err}):\n{}\nstderr:\n{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        });
        (output.status.code().unwrap_or(-1), report)
    }
}

/// The binary, in `dir`, with the environment a test must not inherit removed.
pub fn dateline(dir: &Path) -> Command {
    let mut command = Command::cargo_bin("dateline").expect("the dateline binary");
    command
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .env_remove("GITHUB_ACTIONS");
    command
}

/// Parses an output HTML file.
pub fn html(public: &Path, path: &str) -> scraper::Html {
    let text = std::fs::read_to_string(public.join(path))
        .unwrap_or_else(|err| panic!("cannot read {path}: {err}"));
    scraper::Html::parse_document(&text)
}

/// The text of every element matching `selector`, trimmed.
pub fn texts(document: &scraper::Html, selector: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("a valid selector");
    document
        .select(&selector)
        .map(|e| e.text().collect::<String>().trim().to_string())
        .collect()
}

/// The attribute `name` of every element matching `selector`.
pub fn attrs(document: &scraper::Html, selector: &str, name: &str) -> Vec<String> {
    let selector = scraper::Selector::parse(selector).expect("a valid selector");
    document
        .select(&selector)
        .filter_map(|e| e.value().attr(name).map(str::to_string))
        .collect()
}

/// `file:line:col` of a diagnostic in a JSON report.
pub fn location(diagnostic: &serde_json::Value) -> String {
    let mut location = diagnostic["file"].as_str().unwrap_or("?").to_string();
    if let Some(line) = diagnostic["line"].as_u64() {
        location.push_str(&format!(":{line}"));
        if let Some(column) = diagnostic["column"].as_u64() {
            location.push_str(&format!(":{column}"));
        }
    }
    location
}

/// The diagnostics of a JSON report.
pub fn diagnostics(report: &serde_json::Value) -> &Vec<serde_json::Value> {
    report["diagnostics"]
        .as_array()
        .expect("a diagnostics array")
}

/// What a command did: its exit code, standard output and standard error.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `command` (owned or borrowed) to the end.
pub fn run(mut command: impl std::borrow::BorrowMut<Command>) -> Run {
    let output = command.borrow_mut().output().expect("dateline runs");
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}
