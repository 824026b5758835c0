//! Two ways to build a test site: in-process through the library (fast, for property tests)
//! and with the real binary under a timeout (for resource limits and failures).

use std::collections::BTreeMap;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dateline::build::{BuildOptions, run};
use dateline::model::Publishing;
use dateline::output::Output;
use tempfile::TempDir;

pub const SITE_TOML: &str = "title = \"Test Gazette\"\nbase_url = \"https://news.example.org/\"\n";

/// A site in a temporary folder with `site.toml` and the given files.
pub fn site(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::Builder::new()
        .prefix("dateline-hardening-")
        .tempdir()
        .expect("create a temporary folder");
    fs::create_dir_all(dir.path().join("content")).expect("create content/");
    fs::write(dir.path().join("site.toml"), SITE_TOML).expect("write site.toml");
    for (path, bytes) in files {
        let path = dir.path().join(path);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create folders");
        fs::write(path, bytes).expect("write a file");
    }
    dir
}

/// Builds the site in `root` in-process; the rendered files by output path, or the errors.
pub fn build_in_process(root: &Path) -> Result<BTreeMap<String, Vec<u8>>, String> {
    let options = BuildOptions {
        root: root.to_path_buf(),
        publishing: Publishing {
            drafts: false,
            future: false,
            now: "2026-01-01T00:00:00Z".parse().expect("a timestamp"),
        },
        base_url: None,
    };
    let built = run(&options).map_err(|errors| format!("{errors:?}"))?;
    Ok(built
        .outputs
        .files
        .iter()
        .filter_map(|(path, output)| match output {
            Output::Bytes(bytes) => Some((path.to_string(), bytes.to_vec())),
            _ => None,
        })
        .collect())
}

/// What the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stderr: String,
    pub elapsed: Duration,
}

/// How long any run of the binary may take before the test fails.
pub const TIMEOUT: Duration = Duration::from_secs(60);

/// Runs `dateline ARGS` in `dir`, killing it and failing the test after [`TIMEOUT`].
pub fn dateline(dir: &Path, args: &[&str]) -> Run {
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start dateline");
    let mut stderr_pipe = child.stderr.take().expect("stderr");
    let reader = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stderr_pipe.read_to_string(&mut text);
        text
    });
    let started = Instant::now();
    loop {
        if let Some(status) = child.try_wait().expect("wait for dateline") {
            let stderr = reader.join().expect("read stderr");
            assert!(!stderr.contains("panicked"), "dateline panicked:\n{stderr}");
            return Run {
                code: status.code(),
                stderr,
                elapsed: started.elapsed(),
            };
        }
        if started.elapsed() > TIMEOUT {
            let _ = child.kill();
            let _ = child.wait();
            panic!("dateline {args:?} ran longer than {TIMEOUT:?} and was killed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

pub fn binary() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_dateline"))
}

/// Every file under `dir` with its bytes, by path relative to `dir`.
pub fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.expect("walk");
        if entry.file_type().is_file() {
            let relative = entry
                .path()
                .strip_prefix(dir)
                .expect("inside")
                .to_path_buf();
            files.insert(relative, fs::read(entry.path()).expect("read"));
        }
    }
    files
}

/// Names in `dir` that look like a staging folder of an interrupted or failed build.
pub fn staging_leftovers(dir: &Path) -> Vec<String> {
    fs::read_dir(dir)
        .expect("list the folder")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.contains("staging"))
        .collect()
}
