//! The command line itself: help, version, usage errors, and the options that do not change
//! what is built.

use crate::harness::{NOW, Site, path_arg};

/// Runs `dateline` with `args` in a fresh empty folder.
fn dateline(args: &[&str]) -> crate::harness::Run {
    let dir = Site::empty();
    crate::harness::dateline(dir.root()).args(args).run()
}

#[test]
fn help_describes_the_tool_and_lists_the_build_command() {
    let run = dateline(&["--help"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.contains("static site generator"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Usage: dateline <COMMAND>"),
        "{}",
        run.stdout
    );
    let build = run
        .stdout
        .lines()
        .find(|l| l.trim_start().starts_with("build "))
        .unwrap_or_else(|| panic!("no build command in\n{}", run.stdout));
    assert!(build.contains("Build the site"), "{build}");
}

#[test]
fn build_help_mentions_every_option() {
    let run = dateline(&["build", "--help"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    for option in [
        "--root <DIR>",
        "--output <DIR>",
        "--base-url <URL>",
        "--drafts",
        "--future",
        "--now <RFC 3339>",
        "--timings",
    ] {
        assert!(
            run.stdout.contains(option),
            "{option} missing from\n{}",
            run.stdout
        );
    }
    assert!(run.stdout.contains("[default: .]"), "{}", run.stdout);
}

#[test]
fn help_subcommand_works_like_the_flag() {
    let run = dateline(&["help", "build"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(run.stdout.contains("--drafts"), "{}", run.stdout);
}

#[test]
fn version_prints_the_package_version() {
    let expected = format!("dateline {}\n", env!("CARGO_PKG_VERSION"));
    for flag in ["--version", "-V"] {
        let run = dateline(&[flag]);
        assert_eq!(run.code, Some(0), "{}", run.stderr);
        assert_eq!(run.stdout, expected);
    }
    // Subcommands have no version of their own: `dateline build --version` is a usage error.
    let run = dateline(&["build", "--version"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
}

#[test]
fn unknown_flag_is_a_usage_error_with_exit_code_2() {
    for args in [&["--bogus"][..], &["build", "--bogus"][..]] {
        let run = dateline(args);
        assert_eq!(run.code, Some(2), "{args:?}: {}", run.stderr);
        assert!(
            run.stderr.contains("unexpected argument '--bogus'"),
            "{}",
            run.stderr
        );
        assert!(run.stdout.is_empty());
    }
}

#[test]
fn unknown_command_and_missing_command_are_usage_errors() {
    let run = dateline(&["publish"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    let run = dateline(&[]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(
        run.stderr.contains("Usage: dateline <COMMAND>"),
        "{}",
        run.stderr
    );
}

#[test]
fn invalid_now_is_a_usage_error() {
    let run = dateline(&["build", "--now", "tomorrow"]);
    assert_eq!(run.code, Some(2), "{}", run.stderr);
    assert!(run.stderr.contains("--now"), "{}", run.stderr);
}

#[test]
fn default_output_is_public_under_the_root_whatever_the_working_folder() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19",
        "Body.\n",
    );
    let elsewhere = Site::empty();
    let run = crate::harness::dateline(elsewhere.root())
        .args(["build", "--now", NOW, "-r", &path_arg(site.root())])
        .output_in(&site.root().join("public"))
        .run();
    run.assert_success();
    assert!(run.exists("world/2025/05/talks/index.html"));
    assert!(crate::harness::entries(elsewhere.root()).is_empty());
}

#[test]
fn root_defaults_to_the_working_folder() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19",
        "Body.\n",
    );
    let run = crate::harness::dateline(site.root())
        .args(["build", "--now", NOW])
        .run();
    run.assert_success();
    assert!(run.exists("world/2025/05/talks/index.html"));
}

#[test]
fn short_output_flag_writes_there() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19",
        "Body.\n",
    );
    let out = site.root().join("dist");
    let run = site.dateline(&["build", "--now", NOW, "-o", &path_arg(&out)]);
    run.assert_success();
    assert!(out.join("world/2025/05/talks/index.html").is_file());
    assert!(!site.root().join("public").exists());
}

#[test]
fn timings_flag_prints_every_stage_on_stderr() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndek: Why it matters.\ndate: 2025-05-19",
        "Body.\n",
    );
    let run = site.build_with(&["--timings"]);
    run.assert_success();
    let stages: Vec<&str> = run
        .stderr
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert_eq!(
        stages,
        ["load", "parse", "render", "write"],
        "{}",
        run.stderr
    );
    for line in run.stderr.lines() {
        assert!(line.ends_with(" ms"), "{line}");
    }
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
}

#[test]
fn successful_build_prints_nothing_on_stderr() {
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndek: Why it matters.\ndate: 2025-05-19",
        "Body.\n",
    );
    let run = site.build();
    run.assert_success();
    assert_eq!(run.stderr, "");
}

#[test]
fn root_that_does_not_exist_is_an_error_not_a_crash() {
    let dir = Site::empty();
    let missing = dir.root().join("no-such-site");
    let run = crate::harness::dateline(dir.root())
        .args(["build", "--root", &path_arg(&missing)])
        .output_in(&missing.join("public"))
        .run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("the site folder") && run.stderr.contains("does not exist"),
        "{}",
        run.stderr
    );
    assert!(!missing.exists(), "nothing is created for a missing site");
}

/// `dateline check --format json | head -c 100`: the reader closes the pipe before the report
/// is written; the command ends without a panic (killed by SIGPIPE, as other Unix tools are).
#[cfg(unix)]
#[test]
fn a_reader_that_closes_the_pipe_early_gets_no_panic() {
    use std::process::{Command, Stdio};
    let site = Site::new().story(
        "world/talks.md",
        "headline: Talks\ndate: 2025-05-19\ntags: a, b",
        "Text.\n",
    );
    let mut child = Command::new(crate::harness::BINARY)
        .args(["check", "--format", "json", "--now", NOW, "--root"])
        .arg(site.root())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("dateline starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("dateline ends");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
}
