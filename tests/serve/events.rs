//! The live-reload event stream (`/__dateline/events`) as open tabs receive it: which pages to
//! reload, which stylesheets to swap, and the errors of a broken build.

use std::io::{BufRead, BufReader};
use std::sync::mpsc::{Receiver, channel};
use std::time::Instant;

use image::ImageFormat;
use serde_json::Value;

use crate::images;
use crate::support::*;

/// One subscriber to the server's events, as the reload script is.
struct Events {
    messages: Receiver<Value>,
}

impl Events {
    /// Subscribes; the server has subscribed us once it answered, which `call` waits for.
    fn connect(server: &Server) -> Events {
        Events::connect_to(server, "/__dateline/events", None)
    }

    /// Subscribes as the script of a page served from the build `since` does.
    fn connect_since(server: &Server, since: &str) -> Events {
        Events::connect_to(server, &format!("/__dateline/events?since={since}"), None)
    }

    /// Subscribes as a browser reconnecting after it heard of the build `last` does.
    fn reconnect_after(server: &Server, last: &str) -> Events {
        Events::connect_to(server, "/__dateline/events", Some(last))
    }

    fn connect_to(server: &Server, path: &str, last_event_id: Option<&str>) -> Events {
        let agent: ureq::Agent = ureq::Agent::config_builder().proxy(None).build().into();
        let mut request = agent
            .get(server.url(path))
            .header("Accept", "text/event-stream");
        if let Some(last) = last_event_id {
            request = request.header("Last-Event-ID", last);
        }
        let response = request.call().expect("subscribe to the events");
        assert_eq!(response.status().as_u16(), 200);
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        assert!(
            content_type.starts_with("text/event-stream"),
            "{content_type}"
        );
        let (sender, messages) = channel();
        let reader = response.into_body().into_reader();
        // Ends when the server is killed and the stream closes.
        std::thread::spawn(move || {
            for line in BufReader::new(reader).lines() {
                let Ok(line) = line else { break };
                if let Some(data) = line.strip_prefix("data:")
                    && let Ok(value) = serde_json::from_str(data.trim())
                    && sender.send(value).is_err()
                {
                    break;
                }
            }
        });
        Events { messages }
    }

    /// The next message, within the change timeout.
    fn next(&self, what: &str) -> Value {
        self.messages
            .recv_timeout(CHANGE_TIMEOUT)
            .unwrap_or_else(|_| panic!("no event within {CHANGE_TIMEOUT:?}: {what}"))
    }

    /// Skips messages until one satisfies `wanted`.
    fn until(&self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + CHANGE_TIMEOUT;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.messages.recv_timeout(left) {
                Ok(message) if wanted(&message) => return message,
                Ok(_) => {}
                Err(_) => panic!("no event within {CHANGE_TIMEOUT:?}: {what}"),
            }
        }
    }
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|i| i.as_str().map(String::from))
                .collect()
        })
        .unwrap_or_default()
}

/// The build a served page says it comes from, as its reload script sends it back.
fn served_version(page: &Reply) -> String {
    let (_, after) = page
        .body
        .split_once("/__dateline/events?since=")
        .unwrap_or_else(|| panic!("the page has no reload script: {}", page.body));
    after
        .split('"')
        .next()
        .expect("the version ends the URL")
        .to_string()
}

fn ceasefire(headline: &str) -> String {
    newsroom_stories()[0].1.clone().headline(headline).text()
}

#[test]
fn headline_edit_tells_open_tabs_which_pages_to_reload() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let events = Events::connect(&server);
    site.write(CEASEFIRE, &ceasefire("Ceasefire collapses overnight"));
    let message = events.until("a reload after a headline edit", |m| m["kind"] == "reload");
    let mut pages = strings(&message["pages"]);
    pages.sort();
    let mut expected = vec![
        "/",
        "/world/",
        CEASEFIRE_URL,
        "/tags/diplomacy/",
        "/tags/security/",
        "/authors/ana-lima/",
    ];
    expected.sort();
    assert_eq!(pages, expected, "{message}");
    assert_eq!(strings(&message["styles"]), Vec::<String>::new());
}

#[test]
fn body_edit_tells_only_the_story_page_to_reload() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let events = Events::connect(&server);
    let story = newsroom_stories()[0]
        .1
        .clone()
        .closing("The truce was extended by a week.");
    site.write(CEASEFIRE, &story.text());
    let message = events.until("a reload after a body edit", |m| m["kind"] == "reload");
    assert_eq!(strings(&message["pages"]), vec![CEASEFIRE_URL], "{message}");
}

#[test]
fn broken_build_sends_its_errors_and_new_tabs_get_them_first() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let events = Events::connect(&server);
    site.write(
        CEASEFIRE,
        &ceasefire("Never shown").replacen("headline:", "hedline:", 1),
    );
    let message = events.next("after breaking the front matter");
    assert_eq!(message["kind"], "error", "{message}");
    let error = &message["errors"][0];
    assert!(
        error["location"]
            .as_str()
            .is_some_and(|l| l.starts_with("content/world/ceasefire-holds.md:2")),
        "{message}"
    );
    assert!(
        error["message"]
            .as_str()
            .is_some_and(|m| m.contains("hedline")),
        "{message}"
    );

    let late = Events::connect(&server);
    assert_eq!(late.next("on connecting to a broken site")["kind"], "error");

    site.write(CEASEFIRE, &ceasefire("Ceasefire holds for a second week"));
    for tab in [&events, &late] {
        let message = tab.until("a reload after the fix", |m| m["kind"] == "reload");
        assert!(
            strings(&message["pages"]).contains(&CEASEFIRE_URL.to_string()),
            "{message}"
        );
    }
}

#[test]
fn photo_that_cannot_be_decoded_sends_its_error_until_it_is_replaced() {
    const STORY: &str = "content/world/crowds/index.md";
    const PHOTO: &str = "content/world/crowds/photo.jpg";
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let events = Events::connect(&server);
    site.write_bytes(PHOTO, b"\xff\xd8\xff\xe0 cut off while copying");
    site.write(
        STORY,
        "---\nheadline: Crowds gather\ndate: 2025-05-13 10:00\nphoto:\n  src: photo.jpg\n  \
         alt: A crowd\n---\nText.\n",
    );
    let at_the_photo = format!("{STORY}:5:3");
    let message = events.until("the photo's error", |m| {
        m["kind"] == "error" && m["errors"][0]["location"] == at_the_photo.as_str()
    });
    assert!(
        message["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains(PHOTO)),
        "{message}"
    );

    site.write_bytes(PHOTO, &images::encoded(ImageFormat::Jpeg, 64, 48));
    let message = events.until("a reload after the fix", |m| m["kind"] == "reload");
    assert!(
        strings(&message["pages"]).contains(&"/world/2025/05/crowds/".to_string()),
        "{message}"
    );
}

#[test]
fn new_stylesheet_is_swapped_without_reloading_pages() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let events = Events::connect(&server);
    site.write("static/style.css", "body { color: rebeccapurple; }\n");
    let message = events.until("styles after adding static/style.css", |m| {
        !strings(&m["styles"]).is_empty()
    });
    assert_eq!(strings(&message["styles"]), vec!["/style.css"], "{message}");
    assert_eq!(
        strings(&message["pages"]),
        Vec::<String>::new(),
        "{message}"
    );
    server.wait_for("/style.css", "rebeccapurple");
}

#[test]
fn stylesheet_edit_is_swapped_in_open_tabs() {
    let site = Site::newsroom();
    site.write("static/style.css", "body { color: black; }\n");
    let server = Server::start(&site.root());
    let events = Events::connect(&server);
    site.write("static/style.css", "body { color: rebeccapurple; }\n");
    // The server does serve the new file at once: only the tabs are not told.
    server.wait_for("/style.css", "rebeccapurple");
    let message = events.until("styles after editing static/style.css", |m| {
        !strings(&m["styles"]).is_empty()
    });
    assert_eq!(strings(&message["styles"]), vec!["/style.css"], "{message}");
}

#[test]
fn a_tab_that_connects_after_a_rebuild_hears_that_its_page_changed() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let page = server.get(CEASEFIRE_URL);
    assert_eq!(page.status, 200);
    let since = served_version(&page);
    // The race, made certain: the story is deleted and the site rebuilt after the page was
    // served and before its tab connects, so no broadcast can reach the tab.
    site.remove(CEASEFIRE);
    wait_until(CHANGE_TIMEOUT, "the deleted story is gone", || {
        server.get(CEASEFIRE_URL).status == 404
    });
    for tab in [
        Events::connect_since(&server, &since),
        Events::reconnect_after(&server, &since),
    ] {
        let greeting = tab.next("the greeting of a tab served before the rebuild");
        assert_eq!(greeting["kind"], "reload", "{greeting}");
        assert!(
            strings(&greeting["pages"]).contains(&CEASEFIRE_URL.to_string()),
            "{greeting}"
        );
    }
}

#[test]
fn a_tab_served_from_the_current_build_hears_only_later_rebuilds() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    site.write(CEASEFIRE, &ceasefire("Ceasefire collapses overnight"));
    let page = server.wait_for(CEASEFIRE_URL, "Ceasefire collapses overnight");
    let tab = Events::connect_since(&server, &served_version(&page));
    let story = newsroom_stories()[1]
        .1
        .clone()
        .closing("The delegations left on Tuesday.");
    site.write(TALKS, &story.text());
    let first = tab.next("the first message after the talks edit");
    assert_eq!(
        strings(&first["pages"]),
        vec![TALKS_URL],
        "the edit made before the page was served is not told again: {first}"
    );
}

#[test]
fn a_tab_from_another_server_run_reloads() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let since = served_version(&server.get(CEASEFIRE_URL));
    drop(server);
    let restarted = Server::start(&site.root());
    let greeting = Events::connect_since(&restarted, &since).next("the greeting after a restart");
    assert_eq!(strings(&greeting["pages"]), vec!["*"], "{greeting}");
}
