//! Editors' ways of saving, through the real watcher of a running `dateline serve`: whatever
//! the editor does, the preview ends up serving what is on disk.

use std::fs;
use std::io::Write;
use std::time::{Duration, SystemTime};

use crate::support::*;

fn ceasefire(headline: &str) -> String {
    newsroom_stories()[0].1.clone().headline(headline).text()
}

/// A server on the fixture, once the story page is served.
fn serving(site: &Site, args: &[&str]) -> Server {
    let server = Server::start_with(&site.root(), args);
    server.wait_for(CEASEFIRE_URL, "Ceasefire holds along the northern border");
    server
}

#[test]
fn write_in_place_is_served() {
    let site = Site::newsroom();
    let server = serving(&site, &["--port", "0"]);
    site.write(CEASEFIRE, &ceasefire("Written in place"));
    let page = server.wait_for(CEASEFIRE_URL, "Written in place");
    assert_eq!(
        page.text_of("h1.story-headline").as_deref(),
        Some("Written in place")
    );
    server.wait_for("/", "Written in place");
}

#[test]
fn serve_started_inside_the_site_folder_sees_saves() {
    let site = Site::newsroom();
    let server = Server::start_inside(&site.root());
    site.write(CEASEFIRE, &ceasefire("Seen from inside"));
    server.wait_for(CEASEFIRE_URL, "Seen from inside");
}

/// Dates the story's last save a minute back, so that the next save is in a later second.
fn saved_a_minute_ago(site: &Site) -> SystemTime {
    let then = SystemTime::now() - Duration::from_secs(60);
    set_modified(site, then);
    then
}

fn set_modified(site: &Site, time: SystemTime) {
    fs::File::options()
        .write(true)
        .open(site.path(CEASEFIRE))
        .and_then(|file| file.set_modified(time))
        .expect("set the story's modification time");
}

#[test]
fn write_in_place_is_served_when_polling() {
    let site = Site::newsroom();
    saved_a_minute_ago(&site);
    let server = serving(&site, &["--port", "0", "--poll"]);
    site.write(CEASEFIRE, &ceasefire("Seen by polling"));
    server.wait_for(CEASEFIRE_URL, "Seen by polling");
}

#[test]
fn save_within_the_same_second_as_the_last_is_served_when_polling() {
    let site = Site::newsroom();
    let last_save = saved_a_minute_ago(&site);
    let server = serving(&site, &["--port", "0", "--poll"]);
    // A save in the same second as the one before it (editors that write twice, a quick
    // correction): same whole-second modification time, other contents.
    site.write(CEASEFIRE, &ceasefire("Saved in the same second"));
    set_modified(&site, last_save);
    server.wait_for(CEASEFIRE_URL, "Saved in the same second");
}

#[test]
fn temporary_file_renamed_over_the_story_is_served() {
    let site = Site::newsroom();
    let server = serving(&site, &["--port", "0"]);
    let temporary = format!("{CEASEFIRE}.tmp");
    site.write(&temporary, &ceasefire("Saved through a temporary file"));
    site.rename(&temporary, CEASEFIRE);
    server.wait_for(CEASEFIRE_URL, "Saved through a temporary file");
    assert!(!site.path(&temporary).exists());
    // The temporary file was never a story of its own.
    assert_eq!(server.get("/world/2025/05/ceasefire-holds-md/").status, 404);
}

#[test]
fn vim_style_save_with_a_swap_file_is_served() {
    let site = Site::newsroom();
    let server = serving(&site, &["--port", "0"]);
    let swap = "content/world/.ceasefire-holds.md.swp";
    site.write(swap, "b0VIM 9.1\0\0\0swap file contents");
    let backup = format!("{CEASEFIRE}~");
    // Vim's default on Linux: move the original aside, write the new file, drop the backup.
    site.rename(CEASEFIRE, &backup);
    site.write(CEASEFIRE, &ceasefire("Saved by vim"));
    site.remove(&backup);
    site.remove(swap);
    server.wait_for(CEASEFIRE_URL, "Saved by vim");
    assert!(
        !server.stderr().contains(".swp"),
        "the swap file was read as content:\n{}",
        server.stderr()
    );
}

#[test]
fn swap_file_then_write_in_place_is_served() {
    let site = Site::newsroom();
    let server = serving(&site, &["--port", "0"]);
    let swap = "content/world/.ceasefire-holds.md.swp";
    site.write(swap, "b0VIM 9.1");
    site.write(CEASEFIRE, &ceasefire("Saved beside a swap file"));
    site.remove(swap);
    server.wait_for(CEASEFIRE_URL, "Saved beside a swap file");
}

#[test]
fn burst_of_twenty_writes_serves_the_last_one() {
    let site = Site::newsroom();
    let server = serving(&site, &["--port", "0"]);
    let path = site.path(CEASEFIRE);
    for n in 1..=20 {
        let mut file = fs::File::create(&path).unwrap();
        file.write_all(ceasefire(&format!("Burst number {n} of twenty")).as_bytes())
            .unwrap();
    }
    let page = server.wait_for(CEASEFIRE_URL, "Burst number 20 of twenty");
    assert_eq!(
        page.text_of("h1.story-headline").as_deref(),
        Some("Burst number 20 of twenty")
    );
    // Whatever the rebuilds in between saw, the last one saw the last write: the front page
    // agrees and no error is left over.
    server.wait_for("/", "Burst number 20 of twenty");
}

#[test]
fn new_story_in_a_new_folder_is_served() {
    let site = Site::newsroom();
    let server = serving(&site, &["--port", "0"]);
    let story = Story::new("Final tonight", "2025-05-15 20:00", "Ben Okoro", &[]);
    site.write("content/sport/final-tonight.md", &story.text());
    server.wait_for("/sport/2025/05/final-tonight/", "Final tonight");
    server.wait_for("/", "href=\"/sport/\"");
}

#[test]
fn deleted_story_is_no_longer_served() {
    let site = Site::newsroom();
    let server = serving(&site, &["--port", "0"]);
    assert_eq!(server.get(PORT_REOPENS_URL).status, 200);
    site.remove(PORT_REOPENS);
    wait_until(CHANGE_TIMEOUT, "the deleted story's page is gone", || {
        server.get(PORT_REOPENS_URL).status == 404
    });
    assert!(
        !server
            .get("/")
            .body
            .contains("Port reopens after the storm")
    );
}

#[test]
fn broken_story_keeps_the_last_good_page_until_fixed() {
    let site = Site::newsroom();
    let server = serving(&site, &["--port", "0"]);
    site.write(
        CEASEFIRE,
        &ceasefire("Never shown").replacen("headline:", "hedline:", 1),
    );
    // A report names the file and line after its message.
    server.wait_for_stderr("content/world/ceasefire-holds.md:2");
    assert!(
        server
            .stderr()
            .contains("error: unknown front matter key `hedline`"),
        "{}",
        server.stderr()
    );
    let page = server.get(CEASEFIRE_URL);
    assert_eq!(page.status, 200);
    assert!(
        page.body
            .contains("Ceasefire holds along the northern border")
    );
    site.write(CEASEFIRE, &ceasefire("Fixed and served"));
    server.wait_for(CEASEFIRE_URL, "Fixed and served");
}

fn story_template(marker: &str) -> String {
    include_str!("../../themes/default/templates/story.html").replace(
        "{% block main %}",
        &format!("{{% block main %}}\n<p class=\"edition\">{marker}</p>"),
    )
}

#[test]
fn template_override_edit_is_served() {
    let site = Site::newsroom();
    site.write("templates/story.html", &story_template("First edition"));
    let server = Server::start(&site.root());
    server.wait_for(CEASEFIRE_URL, "First edition");
    site.write("templates/story.html", &story_template("Second edition"));
    server.wait_for(CEASEFIRE_URL, "Second edition");
    server.wait_for(TALKS_URL, "Second edition");
}

#[test]
fn template_override_in_a_folder_created_while_serving_is_served_after_every_edit() {
    let site = Site::newsroom();
    let server = serving(&site, &["--port", "0"]);
    site.write("templates/story.html", &story_template("First edition"));
    server.wait_for(CEASEFIRE_URL, "First edition");
    site.write("templates/story.html", &story_template("Second edition"));
    server.wait_for(CEASEFIRE_URL, "Second edition");
}

#[test]
fn site_broken_at_start_is_served_once_fixed() {
    let site = Site::newsroom();
    site.write(
        CEASEFIRE,
        &ceasefire("Never shown").replacen("headline:", "hedline:", 1),
    );
    let server = Server::start(&site.root());
    server.wait_for_stderr("hedline");
    assert_eq!(server.get(CEASEFIRE_URL).status, 404);
    site.write(CEASEFIRE, &ceasefire("Fixed before the first page"));
    server.wait_for(CEASEFIRE_URL, "Fixed before the first page");
    server.wait_for("/", "Fixed before the first page");
}

#[test]
fn warnings_already_shown_are_not_printed_again_at_every_save() {
    let site = Site::newsroom();
    site.write(
        "content/world/brief.md",
        "---\nheadline: A brief without a dek\ndate: 2025-05-10 10:00\n---\nShort.\n",
    );
    let server = serving(&site, &["--port", "0"]);
    let no_dek = "the story has no dek";
    assert_eq!(server.stderr().matches(no_dek).count(), 1);

    let long = "A headline that goes on and on well past what fits on a phone screen, because the \
                news desk never cut it down to size";
    site.write(CEASEFIRE, &ceasefire(long));
    server.wait_for(CEASEFIRE_URL, "goes on and on");
    wait_until(Duration::from_secs(10), "the rebuild is logged", || {
        server.stdout().contains("changed: rebuilt in")
    });
    let stderr = server.stderr();
    assert_eq!(stderr.matches(no_dek).count(), 1, "{stderr}");
    assert!(
        stderr.contains("the headline is 117 characters long"),
        "{stderr}"
    );
    assert!(
        stderr.contains("2 warnings shown before still apply"),
        "{stderr}"
    );
}
