//! Failures lose nothing: when the disk fills, the output's folder is read-only, files vanish
//! during the walk or the build is interrupted, the previous `public/` stays byte for byte, no
//! staging folder stays behind (or the next build removes it), and the error says what happened.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::harness::{BINARY, NOW, Site, dateline, snapshot};
use crate::support::{site, staging_leftovers};

const STORY: &[u8] = b"---\nheadline: Talks\ndate: 2025-05-19\n---\nBody.\n";

/// A tmpfs mounted for one test, unmounted when dropped.
struct Tmpfs(PathBuf);

impl Tmpfs {
    /// Mounts a tmpfs of `size` at `dir`; `None` (with the reason printed) where mounting is not
    /// permitted. CI runs as root, so there a failure to mount fails the test.
    fn mount(dir: &Path, size: &str) -> Option<Tmpfs> {
        std::fs::create_dir_all(dir).expect("create the mount point");
        let output = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir)
            .output();
        match output {
            Ok(out) if out.status.success() => Some(Tmpfs(dir.to_path_buf())),
            other => {
                let reason = match other {
                    Ok(out) => String::from_utf8_lossy(&out.stderr).into_owned(),
                    Err(err) => err.to_string(),
                };
                assert!(
                    std::env::var_os("CI").is_none(),
                    "cannot mount a tmpfs in CI: {reason}"
                );
                eprintln!("skipped: cannot mount a tmpfs ({reason})");
                None
            }
        }
    }

    fn remount(&self, option: &str) {
        let status = Command::new("mount")
            .args(["-o", &format!("remount,{option}")])
            .arg(&self.0)
            .status()
            .expect("run mount");
        assert!(status.success(), "remount {option}");
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn full_disk_leaves_the_previous_public_and_says_so() {
    let dir = site(&[("content/world/talks.md", STORY)]);
    let out = dir.root().join("out");
    let Some(_tmpfs) = Tmpfs::mount(&out, "1m") else {
        return;
    };
    let public = out.join("public");
    let public_arg = public.to_str().expect("UTF-8 path");
    let run = dateline(dir.root())
        .args(["build", "--output", public_arg])
        .run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let before = snapshot(&public);

    // Incompressible text, so that the new site does not fit in 1 MB.
    let mut big = String::from("---\nheadline: Big\ndate: 2025-05-19\n---\n");
    let mut seed: u64 = 1;
    while big.len() < 2 * 1024 * 1024 {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        big.push_str(&format!("{seed:x} "));
    }
    std::fs::write(dir.root().join("content/world/big.md"), big).expect("write");
    let run = dateline(dir.root())
        .args(["build", "--output", public_arg])
        .run();
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("No space left on device"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("was left as it was"), "{}", run.stderr);
    assert_eq!(snapshot(&public), before, "public/ changed");
    assert_eq!(staging_leftovers(&out), Vec::<String>::new());
}

#[test]
fn read_only_output_parent_leaves_the_previous_public_and_says_so() {
    let dir = site(&[("content/world/talks.md", STORY)]);
    let out = dir.root().join("out");
    let Some(tmpfs) = Tmpfs::mount(&out, "8m") else {
        return;
    };
    let public = out.join("public");
    let public_arg = public.to_str().expect("UTF-8 path");
    let run = dateline(dir.root())
        .args(["build", "--output", public_arg])
        .run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let before = snapshot(&public);
    std::fs::write(dir.root().join("content/world/more.md"), STORY).expect("write");
    tmpfs.remount("ro");
    let run = dateline(dir.root())
        .args(["build", "--output", public_arg])
        .run();
    tmpfs.remount("rw");
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains("Read-only file system"),
        "{}",
        run.stderr
    );
    assert_eq!(snapshot(&public), before, "public/ changed");
    assert_eq!(staging_leftovers(&out), Vec::<String>::new());
}

/// A site big enough that a build takes a noticeable moment.
fn big_site() -> Site {
    let body = "A paragraph about the harbour and the quay, long enough to matter.\n\n".repeat(40);
    let stories: Vec<(String, Vec<u8>)> = (0..1500)
        .map(|i| {
            (
                format!("content/world/story-{i}.md"),
                format!(
                    "---\nheadline: Story {i}\ndate: 2025-05-19\ntags: [t{}]\n---\n{body}",
                    i % 50
                )
                .into_bytes(),
            )
        })
        .collect();
    let files: Vec<(&str, &[u8])> = stories
        .iter()
        .map(|(p, b)| (p.as_str(), b.as_slice()))
        .collect();
    site(&files)
}

#[test]
fn interrupted_build_leaves_the_previous_public_and_the_next_build_cleans_up() {
    let now_arg = format!("--now={NOW}");
    let dir = big_site();
    let public = dir.root().join("public");
    // The site after the build, made first in a copy of the site.
    let reference = big_site();
    std::fs::write(reference.root().join("content/world/new.md"), STORY).expect("write");
    let run = dateline(reference.root()).args(["build", &now_arg]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let after = snapshot(&reference.root().join("public"));

    let run = dateline(dir.root()).args(["build", &now_arg]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let before = snapshot(&public);
    std::fs::write(dir.root().join("content/world/new.md"), STORY).expect("write");
    for delay in [50, 200, 400, 700, 1000, 1300] {
        let child = Command::new(BINARY)
            .args(["build", &now_arg])
            .current_dir(dir.root())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("start dateline");
        std::thread::sleep(Duration::from_millis(delay));
        let status = Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .expect("send SIGINT");
        assert!(status.success());
        let output = child.wait_with_output().expect("wait");
        // Interrupted before the swap, the previous site; after it (while the old one is being
        // removed, or once done), the whole new one. Never a mix, never nothing.
        let now = snapshot(&public);
        assert!(
            now == before || now == after,
            "public/ is neither the previous nor the new site after SIGINT at {delay} ms \
             (exit {:?}, {} files)",
            output.status,
            now.len()
        );
    }
    let run = dateline(dir.root()).args(["build", &now_arg]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let leftovers: Vec<String> = std::fs::read_dir(dir.root())
        .expect("list the site")
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".public.") && name != ".public.lock")
        .collect();
    assert_eq!(leftovers, Vec::<String>::new());
    assert_eq!(snapshot(&public), after);
}

#[test]
fn files_vanishing_during_the_walk_never_crash_the_build() {
    let dir = site(&[("content/world/talks.md", STORY)]);
    let world = dir.root().join("content/world");
    let churn_dir = world.clone();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn_stop = stop.clone();
    let churn = std::thread::spawn(move || {
        let mut i = 0;
        while !churn_stop.load(std::sync::atomic::Ordering::Relaxed) {
            let path = churn_dir.join(format!("flicker-{}.md", i % 20));
            let _ = std::fs::write(&path, STORY);
            let _ = std::fs::remove_file(churn_dir.join(format!("flicker-{}.md", (i + 10) % 20)));
            i += 1;
        }
    });
    for _ in 0..30 {
        match crate::support::build_in_process(dir.root()) {
            Ok(files) => assert!(files.contains_key("world/2025/05/talks/index.html")),
            Err(errors) => assert!(errors.contains("flicker-"), "{errors}"),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().expect("the churn thread");
}
