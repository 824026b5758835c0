//! The GitHub Actions example: valid YAML that runs only commands Dateline has, and the same
//! text as the README shows.

use std::path::Path;

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
