//! Resource limits: oversized or malicious input ends in a clear error or correct output within
//! bounded time. Each case runs the real binary, killed (and the test failed) after 60 s.
//! `benches/limits.sh` measures the same cases' time and peak memory.

use crate::harness::dateline;
use crate::support::site;

const FRONT: &str = "---\nheadline: Big\ndate: 2025-05-19\n---\n";

fn ends_cleanly(story: &[u8]) -> crate::harness::Run {
    let dir = site(&[("content/world/odd.md", story)]);
    let run = dateline(dir.root()).args(["build"]).run();
    assert!(
        matches!(run.code, Some(0 | 1)),
        "{:?}: {}",
        run.code,
        run.stderr
    );
    if run.code == Some(1) {
        assert!(
            run.stderr.contains("content/world/odd.md"),
            "the error does not name the file: {}",
            run.stderr
        );
    }
    run
}

#[test]
fn fifty_megabyte_story_builds_or_is_refused_in_bounded_time() {
    let paragraph = "The harbour authority met on Tuesday to discuss the new quay. ".repeat(16);
    let mut story = FRONT.to_string();
    while story.len() < 50 * 1024 * 1024 {
        story.push_str(&paragraph);
        story.push_str("\n\n");
    }
    let started = std::time::Instant::now();
    let run = ends_cleanly(story.as_bytes());
    // Writing the story is timed too; benches/limits.sh times the build alone.
    eprintln!(
        "50 MB story: exit {:?} in {:?}",
        run.code,
        started.elapsed()
    );
}

#[test]
fn yaml_alias_bomb_is_refused_in_bounded_time() {
    let mut yaml = String::from(
        "---\nheadline: Bomb\ndate: 2025-05-19\nextra:\n  a: &a [lol,lol,lol,lol,lol,lol,lol,lol,lol]\n",
    );
    let mut previous = 'a';
    for name in 'b'..='z' {
        let refs = vec![format!("*{previous}"); 9].join(",");
        yaml.push_str(&format!("  {name}: &{name} [{refs}]\n"));
        previous = name;
    }
    yaml.push_str("---\nBody.\n");
    let run = ends_cleanly(yaml.as_bytes());
    assert_eq!(run.code, Some(1), "{}", run.stderr);
}

#[test]
fn ten_thousand_nested_list_items_end_cleanly() {
    let mut body = FRONT.to_string();
    for depth in 0..10_000 {
        body.push_str(&"  ".repeat(depth));
        body.push_str("- item\n");
    }
    ends_cleanly(body.as_bytes());
}

#[test]
fn ten_thousand_nested_block_quotes_end_cleanly() {
    let body = format!("{FRONT}{} deep\n", ">".repeat(10_000));
    ends_cleanly(body.as_bytes());
}

#[cfg(unix)]
#[test]
fn symlink_loop_under_content_ends_cleanly() {
    let dir = site(&[(
        "content/world/talks.md",
        b"---\nheadline: Talks\ndate: 2025-05-19\n---\nBody.\n",
    )]);
    let world = dir.root().join("content/world");
    std::os::unix::fs::symlink(&world, world.join("loop")).expect("a link");
    std::os::unix::fs::symlink("self", world.join("self")).expect("a link to itself");
    let run = dateline(dir.root()).args(["build"]).run();
    assert!(matches!(run.code, Some(0 | 1)), "{}", run.stderr);
    if run.code == Some(0) {
        assert!(
            dir.root()
                .join("public/world/2025/05/talks/index.html")
                .exists()
        );
    } else {
        assert!(run.stderr.contains("content/world/self"), "{}", run.stderr);
    }
    assert!(
        run.stderr.contains("this link leads nowhere"),
        "a link to itself is not reported as such: {}",
        run.stderr
    );
}
