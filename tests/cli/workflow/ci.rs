//! The GitHub Actions example: valid YAML that runs only commands Dateline has, the same text
//! as the README shows, and a version step that finds the commit of a branch, a tag or a
//! commit hash (run with bash on a real git repository).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::harness::{dateline, repo_root};

fn workflow_text() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/ci/github-pages.yml");
    std::fs::read_to_string(path).expect("examples/ci/github-pages.yml")
}

fn workflow() -> Value {
    serde_saphyr::from_str(&workflow_text()).expect("the workflow is valid YAML")
}

/// Every `run:` script of every job.
fn scripts(workflow: &Value) -> Vec<String> {
    let mut scripts = Vec::new();
    for job in workflow["jobs"].as_object().expect("jobs").values() {
        for step in job["steps"].as_array().expect("steps") {
            if let Some(script) = step["run"].as_str() {
                scripts.push(script.to_string());
            }
        }
    }
    scripts
}

/// The subcommand of every command line of a script that starts with `dateline`.
fn dateline_subcommands(script: &str) -> Vec<String> {
    script
        .split(['\n', ';', '|', '&'])
        .filter_map(|command| {
            let mut words = command.split_whitespace();
            (words.next() == Some("dateline")).then(|| words.next().unwrap_or("").to_string())
        })
        .collect()
}

/// The commands `dateline --help` lists.
fn help_commands() -> Vec<String> {
    let help = dateline(repo_root()).arg("--help").run();
    assert_eq!(help.code, Some(0));
    help.stdout
        .split("Commands:")
        .nth(1)
        .expect("a Commands: section")
        .lines()
        .skip(1)
        .take_while(|line| !line.trim().is_empty())
        .filter_map(|line| line.split_whitespace().next().map(str::to_string))
        .collect()
}

#[test]
fn the_workflow_runs_only_commands_that_exist() {
    let workflow = workflow();
    let known = help_commands();
    let used: Vec<String> = scripts(&workflow)
        .iter()
        .flat_map(|s| dateline_subcommands(s))
        .collect();
    assert_eq!(used, ["check", "build"], "check, then build");
    for command in &used {
        assert!(
            known.contains(command),
            "`dateline {command}` is not in {known:?}"
        );
    }
}

#[test]
fn the_workflow_deploys_to_pages_and_runs_every_hour() {
    let workflow = workflow();
    let cron = workflow["on"]["schedule"][0]["cron"]
        .as_str()
        .expect("a schedule");
    assert_eq!(
        cron.split_whitespace().collect::<Vec<_>>()[1..],
        ["*", "*", "*", "*"]
    );
    let uses: Vec<&str> = workflow["jobs"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|job| job["steps"].as_array().unwrap())
        .filter_map(|step| step["uses"].as_str())
        .collect();
    for action in [
        "actions/upload-pages-artifact@",
        "actions/deploy-pages@",
        "actions/cache@",
    ] {
        assert!(
            uses.iter().any(|u| u.starts_with(action)),
            "{action} in {uses:?}"
        );
    }
    assert_eq!(workflow["jobs"]["deploy"]["permissions"]["pages"], "write");
}

#[test]
fn the_docs_show_the_workflow_as_it_is() {
    let guide = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/publishing-from-ci.md");
    let guide = std::fs::read_to_string(guide).expect("docs/publishing-from-ci.md");
    assert!(
        guide.contains(&workflow_text()),
        "docs/publishing-from-ci.md's copy of examples/ci/github-pages.yml is out of date"
    );
}

#[test]
fn subcommands_are_found_after_separators() {
    assert_eq!(
        dateline_subcommands(
            "dateline check && dateline build --base-url x\ncargo install dateline"
        ),
        ["check", "build"]
    );
}

/// The `run:` script of the step called `name`.
fn step_script(workflow: &Value, name: &str) -> String {
    workflow["jobs"]["build"]["steps"]
        .as_array()
        .expect("steps")
        .iter()
        .find(|step| step["name"] == name)
        .and_then(|step| step["run"].as_str())
        .unwrap_or_else(|| panic!("a step called {name:?} with a script"))
        .to_string()
}

/// Runs `git args` in `dir` with a fixed author; returns its standard output, trimmed.
fn git(dir: &Path, args: &[&str]) -> String {
    let output = Command::new("git")
        .current_dir(dir)
        .args(["-c", "user.name=Desk", "-c", "user.email=desk@example.org"])
        .args(["-c", "commit.gpgsign=false", "-c", "tag.gpgsign=false"])
        .args(args)
        .output()
        .expect("git is installed");
    assert!(
        output.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).trim().to_string()
}

/// What the version step did: its exit code, what it wrote to `$GITHUB_OUTPUT`, and its
/// standard output.
struct VersionStep {
    code: Option<i32>,
    output: String,
    stdout: String,
}

/// Runs the version step as GitHub runs a `run:` script on Linux (`bash -e`).
fn find_version(script: &str, git_url: &Path, reference: &str) -> VersionStep {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let script_file = dir.path().join("step.sh");
    let output_file = dir.path().join("github_output");
    std::fs::write(&script_file, script).expect("write the step's script");
    std::fs::write(&output_file, "").expect("create GITHUB_OUTPUT");
    let run = Command::new("bash")
        .arg("-e")
        .arg(&script_file)
        .env("DATELINE_GIT", git_url)
        .env("DATELINE_REF", reference)
        .env("GITHUB_OUTPUT", &output_file)
        .output()
        .expect("bash is installed");
    VersionStep {
        code: run.status.code(),
        output: std::fs::read_to_string(&output_file).expect("read GITHUB_OUTPUT"),
        stdout: String::from_utf8_lossy(&run.stdout).into_owned(),
    }
}

#[test]
fn the_version_step_finds_the_commit_of_a_branch_a_tag_or_a_commit() {
    let script = step_script(&workflow(), "Find the Dateline version");
    let repository = tempfile::tempdir().expect("a temporary folder");
    let repo = repository.path();
    git(repo, &["init", "--quiet", "--initial-branch=main"]);
    git(repo, &["commit", "--quiet", "--allow-empty", "-m", "first"]);
    let first = git(repo, &["rev-parse", "HEAD"]);
    git(repo, &["tag", "light"]);
    git(repo, &["tag", "--annotate", "--message", "Release", "v1.0"]);
    git(
        repo,
        &["commit", "--quiet", "--allow-empty", "-m", "second"],
    );
    let second = git(repo, &["rev-parse", "HEAD"]);
    // A branch whose name ends like `main`, and one named like the tag at another commit.
    git(repo, &["branch", "feature/main", &first]);
    git(repo, &["branch", "v1.0"]);

    for (reference, expected) in [
        ("main", &second),
        ("light", &first),
        // The commit an annotated tag points to, not the tag object itself.
        ("v1.0", &first),
        // A commit that no branch or tag names, as a full hash: used as it is.
        (first.as_str(), &first),
        (second.to_uppercase().as_str(), &second.to_uppercase()),
    ] {
        let step = find_version(&script, repo, reference);
        assert_eq!(step.code, Some(0), "{reference}: {}", step.stdout);
        assert_eq!(step.output, format!("rev={expected}\n"), "{reference}");
    }
}

#[test]
fn the_version_step_fails_with_a_message_rather_than_an_empty_cache_key() {
    let workflow = workflow();
    let script = step_script(&workflow, "Find the Dateline version");
    let repository = tempfile::tempdir().expect("a temporary folder");
    let repo = repository.path();
    git(repo, &["init", "--quiet", "--initial-branch=main"]);
    git(repo, &["commit", "--quiet", "--allow-empty", "-m", "first"]);
    let short = git(repo, &["rev-parse", "--short", "HEAD"]);
    for reference in ["no-such-branch", short.as_str()] {
        let step = find_version(&script, repo, reference);
        assert_eq!(step.code, Some(1), "{reference}");
        assert_eq!(step.output, "", "{reference}: no version is written");
        assert!(
            step.stdout.starts_with(&format!(
                "::error::DATELINE_REF={reference} is no branch or tag"
            )),
            "{reference}: {}",
            step.stdout
        );
    }
    // The cache key and the install both take the version the step found.
    let steps = workflow["jobs"]["build"]["steps"]
        .as_array()
        .expect("steps");
    let cache = steps
        .iter()
        .find(|step| step["id"] == "cache")
        .expect("the cache step");
    assert_eq!(
        cache["with"]["key"],
        "dateline-${{ runner.os }}-${{ steps.dateline.outputs.rev }}"
    );
    let install = step_script(&workflow, "Install Dateline");
    assert!(
        install.contains("--rev \"${{ steps.dateline.outputs.rev }}\""),
        "{install}"
    );
}
