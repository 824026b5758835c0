//! The preview server over real HTTP: the binary as a child process, asked with `ureq` (or with
//! hand-written requests where a client would rewrite what is sent).

use std::fs;
use std::net::TcpListener;

use crate::support::*;

#[test]
fn pages_stylesheet_and_feeds_are_served_with_their_content_types() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    for path in ["/", "/world/", CEASEFIRE_URL, ABOUT_URL, "/tags/"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
    }
    let css = server.get("/style.css");
    assert_eq!(css.status, 200);
    assert!(
        css.header("content-type")
            .is_some_and(|t| t.starts_with("text/css")),
        "{:?}",
        css.header("content-type")
    );
    for path in ["/feed.xml", "/sitemap.xml"] {
        let reply = server.get(path);
        assert_eq!(reply.status, 200, "{path}");
        let content_type = reply.header("content-type").unwrap_or_default();
        assert!(content_type.contains("xml"), "{path}: {content_type}");
        assert!(reply.body.starts_with("<?xml"), "{path}");
    }
    let robots = server.get("/robots.txt");
    assert!(
        robots
            .header("content-type")
            .is_some_and(|t| t.starts_with("text/plain")),
        "{:?}",
        robots.header("content-type")
    );
}

#[test]
fn head_answers_like_get_without_a_body() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let get = server.get(CEASEFIRE_URL);
    let head = server.head(CEASEFIRE_URL);
    assert_eq!(head.status, 200);
    assert_eq!(head.header("content-type"), get.header("content-type"));
    assert_eq!(head.header("cache-control"), get.header("cache-control"));
    assert!(head.body.is_empty(), "HEAD sent a body: {:?}", head.body);
    let missing = server.head("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.body.is_empty());
}

#[test]
fn unknown_paths_get_the_themes_404_page_with_status_404() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    for path in [
        "/no/such/page/",
        "/world/2025/05/nothing-here/",
        "/missing.css",
    ] {
        let reply = server.get(path);
        assert_eq!(reply.status, 404, "{path}");
        assert_eq!(
            reply.header("content-type"),
            Some("text/html; charset=utf-8"),
            "{path}"
        );
        assert_eq!(
            reply.text_of("h1").as_deref(),
            Some("We can’t find that page"),
            "{path}"
        );
        assert_eq!(reply.count("script[data-dateline-reload]"), 1, "{path}");
    }
}

#[test]
fn folder_without_trailing_slash_redirects_permanently_keeping_the_query() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let plain = server.get("/world");
    assert_eq!(plain.status, 301);
    assert_eq!(plain.header("location"), Some("/world/"));
    let with_query = server.get("/world?page=2&utm_source=x");
    assert_eq!(with_query.status, 301);
    assert_eq!(
        with_query.header("location"),
        Some("/world/?page=2&utm_source=x")
    );
    let story = server.get(CEASEFIRE_URL.trim_end_matches('/'));
    assert_eq!(story.status, 301);
    assert_eq!(story.header("location"), Some(CEASEFIRE_URL));
}

#[test]
fn double_slash_paths_never_redirect_off_the_site() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let host = format!("127.0.0.1:{}", server.port);
    for target in ["//world", "//world?page=2", "//tags"] {
        let reply = raw_request(server.port, "GET", target, &host);
        if let Some(location) = reply.header("location") {
            assert!(
                location.starts_with('/') && !location.starts_with("//"),
                "{target} redirects to {location}, another host"
            );
        }
    }
}

#[test]
fn html_is_never_cached_by_the_browser() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    for path in ["/", CEASEFIRE_URL, "/no/such/page/"] {
        let reply = server.get(path);
        let cache = reply.header("cache-control").unwrap_or_default();
        assert!(
            cache.contains("no-store"),
            "{path}: Cache-Control {cache:?}"
        );
    }
}

#[test]
fn traversal_attempts_never_return_the_sites_sources() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let host = format!("127.0.0.1:{}", server.port);
    for target in [
        "/../site.toml",
        "/%2e%2e/site.toml",
        "/%2E%2E%2Fsite.toml",
        "/..%5csite.toml",
        "/..%5c..%5csite.toml",
        "/world/../../site.toml",
        "/world/%2e%2e/%2e%2e/site.toml",
        "/%2e%2e%2f%2e%2e%2fcontent/world/ceasefire-holds.md",
        "/../content/world/ceasefire-holds.md",
        "/content/world/ceasefire-holds.md",
        "/site.toml",
        "//site.toml",
        "/%00site.toml",
    ] {
        let reply = raw_request(server.port, "GET", target, &host);
        assert_ne!(reply.status, 200, "{target} was answered");
        assert!(
            !reply.body.contains("base_url") && !reply.body.contains("Reporters confirmed"),
            "{target} returned a source file: {}",
            reply.body
        );
    }
    // The same through a real client, whatever it makes of the dots.
    for path in ["/../site.toml", "/%2e%2e/site.toml", "/%2E%2E%2Fsite.toml"] {
        let reply = server.get(path);
        assert!(!reply.body.contains("base_url"), "{path}");
    }
}

/// A file outside the site, and links to it from `content/`.
fn link_outside(site: &Site, outside: &tempfile::TempDir) {
    let secret = outside.path().join("secret.txt");
    fs::write(&secret, "TOP-SECRET-TOKEN\n").unwrap();
    let story = outside.path().join("story.md");
    fs::write(
        &story,
        Story::new("SECRET-HEADLINE", "2025-05-20 10:00", "Ana Lima", &[]).text(),
    )
    .unwrap();
    std::os::unix::fs::symlink(&secret, site.path("content/world/leak.txt")).unwrap();
    std::os::unix::fs::symlink(&story, site.path("content/world/leak.md")).unwrap();
}

fn assert_nothing_leaks(server: &Server) {
    for path in [
        "/",
        "/world/",
        "/world/leak.txt",
        "/world/2025/05/leak/",
        "/feed.xml",
    ] {
        let reply = server.get(path);
        assert!(
            !reply.body.contains("TOP-SECRET-TOKEN") && !reply.body.contains("SECRET-HEADLINE"),
            "{path} shows a file from outside the site"
        );
    }
}

#[test]
fn symlink_out_of_the_site_is_reported_and_never_served() {
    let site = Site::newsroom();
    let outside = tempfile::tempdir().unwrap();
    link_outside(&site, &outside);
    let server = Server::start(&site.root());
    // A report names the file after its message.
    server.wait_for_stderr("content/world/leak.txt");
    server.wait_for_stderr("content/world/leak.md");
    assert!(
        server
            .stderr()
            .contains("error: this link points outside the site folder"),
        "{}",
        server.stderr()
    );
    assert_nothing_leaks(&server);

    // `dateline build` refuses it too, and writes nothing.
    let out = tempfile::tempdir().unwrap();
    let build = crate::harness::dateline(&site.root())
        .args(["build", "--root"])
        .arg(site.root())
        .arg("--output")
        .arg(out.path().join("public"))
        .run();
    let stderr = &build.stderr;
    assert!(build.code != Some(0), "{stderr}");
    assert!(
        stderr.contains("this link points outside the site folder"),
        "{stderr}"
    );
    assert!(!out.path().join("public").exists());
}

#[test]
fn symlink_out_of_the_site_created_while_serving_is_reported_and_never_served() {
    let site = Site::newsroom();
    let outside = tempfile::tempdir().unwrap();
    let server = Server::start(&site.root());
    server.get("/");
    link_outside(&site, &outside);
    wait_until(
        CHANGE_TIMEOUT,
        "the server rebuilds or reports the links",
        || {
            server.stderr().contains("points outside the site folder")
                || server.stdout().contains("changed: rebuilt")
        },
    );
    assert_nothing_leaks(&server);
    assert!(
        server
            .stderr()
            .contains("this link points outside the site folder"),
        "the links were not reported:\n{}",
        server.stderr()
    );
}

#[test]
fn site_broken_at_start_still_gets_the_reload_script_and_its_overlay() {
    let site = Site::newsroom();
    let broken = newsroom_stories()[0]
        .1
        .text()
        .replacen("headline:", "hedline:", 1);
    site.write(CEASEFIRE, &broken);
    let server = Server::start(&site.root());
    let reply = server.get("/");
    assert_eq!(
        reply.header("content-type"),
        Some("text/html; charset=utf-8"),
        "{}",
        reply.body
    );
    assert_eq!(
        reply.count("script[data-dateline-reload]"),
        1,
        "{}",
        reply.body
    );
}

#[test]
fn wrong_host_is_forbidden_and_loopback_names_are_served() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let port = server.port;
    for host in [
        "evil.example".to_string(),
        format!("evil.example:{port}"),
        format!("127.0.0.1.evil.example:{port}"),
    ] {
        let reply = raw_request(port, "GET", "/", &host);
        assert_eq!(reply.status, 403, "Host: {host}");
        assert!(!reply.body.contains("The Test Gazette"), "Host: {host}");
        let story = raw_request(port, "GET", CEASEFIRE_URL, &host);
        assert_eq!(story.status, 403, "Host: {host}");
    }
    for host in [format!("localhost:{port}"), format!("127.0.0.1:{port}")] {
        let reply = raw_request(port, "GET", "/", &host);
        assert_eq!(reply.status, 200, "Host: {host}");
        assert!(reply.body.contains("The Test Gazette"), "Host: {host}");
    }
}

#[test]
fn live_reload_events_are_forbidden_to_a_wrong_host() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let status = raw_status(server.port, "/__dateline/events", "evil.example");
    assert_eq!(status, 403);
}

#[test]
fn reload_script_is_in_every_preview_page_but_not_in_the_build() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let out = tempfile::tempdir().unwrap();
    build_into(&site.root(), out.path());
    let pages: Vec<String> = files_under(out.path())
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect();
    assert!(pages.len() >= 15, "too few pages built: {pages:?}");
    let script = scraper::Selector::parse("script[data-dateline-reload]").unwrap();
    for file in &pages {
        let built = fs::read_to_string(out.path().join(file)).unwrap();
        let html = scraper::Html::parse_document(&built);
        assert_eq!(html.select(&script).count(), 0, "{file} was built with it");
        let path = format!("/{}", file.trim_end_matches("index.html"));
        let reply = server.get(&path);
        assert_eq!(reply.status, 200, "{path}");
        assert_eq!(reply.count("script[data-dateline-reload]"), 1, "{path}");
        assert_eq!(
            reply.count("body > script[data-dateline-reload]"),
            1,
            "{path}: not in <body>"
        );
    }
    for path in [COALITION_URL, SUMMIT_URL] {
        assert_eq!(
            server.get(path).count("script[data-dateline-reload]"),
            1,
            "{path}"
        );
    }
}

#[test]
fn drafts_and_scheduled_stories_are_previewed_with_a_banner_but_not_built() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let draft = server.get(COALITION_URL);
    assert_eq!(draft.status, 200);
    assert_eq!(
        draft.text_of("p.status-banner strong").as_deref(),
        Some("Draft — not published.")
    );
    assert_eq!(draft.count("meta[name=robots][content=noindex]"), 1);
    let scheduled = server.get(SUMMIT_URL);
    assert_eq!(scheduled.status, 200);
    assert_eq!(
        scheduled.text_of("p.status-banner strong").as_deref(),
        Some("Scheduled — not yet published.")
    );
    assert_eq!(server.get(CEASEFIRE_URL).count("p.status-banner"), 0);
    let front = server.get("/");
    assert!(front.body.contains("Coalition deal within reach"));
    assert!(front.body.contains("Summit set for next year"));

    let out = tempfile::tempdir().unwrap();
    build_into(&site.root(), out.path());
    let files = files_under(out.path());
    for route in [COALITION_URL, SUMMIT_URL] {
        assert!(!files.contains(&file_of(route)), "{route} was built");
    }
    assert!(files.contains(&file_of(CEASEFIRE_URL)));
    let front = fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(!front.contains("Coalition deal within reach"));
    assert!(!front.contains("Summit set for next year"));
}

#[test]
fn preview_links_use_the_server_address_instead_of_base_url() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let story = server.get(CEASEFIRE_URL);
    let canonical = scraper::Selector::parse("link[rel=canonical]").unwrap();
    let html = story.html();
    let href = html
        .select(&canonical)
        .next()
        .and_then(|e| e.value().attr("href"));
    assert_eq!(href, Some(server.url(CEASEFIRE_URL).as_str()));
    for path in ["/", CEASEFIRE_URL, "/world/", "/feed.xml", "/sitemap.xml"] {
        let reply = server.get(path);
        assert!(
            !reply.body.contains("gazette.example.org"),
            "{path} links to site.toml's base_url"
        );
    }
    assert!(
        server
            .get("/feed.xml")
            .body
            .contains(&server.url(CEASEFIRE_URL))
    );
}

#[test]
fn serve_never_creates_public() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    site.write(
        CEASEFIRE,
        &newsroom_stories()[0]
            .1
            .clone()
            .headline("Ceasefire extended")
            .text(),
    );
    server.wait_for(CEASEFIRE_URL, "Ceasefire extended");
    drop(server);
    assert!(!site.path("public").exists(), "serve created public/");
}

#[test]
fn serve_never_touches_an_existing_public() {
    let site = Site::newsroom();
    site.write("public/index.html", "the last real build\n");
    site.write("public/old/page.html", "an old page\n");
    let before = files_under(&site.path("public"));
    let modified = fs::metadata(site.path("public/index.html"))
        .unwrap()
        .modified()
        .unwrap();
    let server = Server::start(&site.root());
    site.write(
        CEASEFIRE,
        &newsroom_stories()[0]
            .1
            .clone()
            .headline("Ceasefire extended")
            .text(),
    );
    server.wait_for(CEASEFIRE_URL, "Ceasefire extended");
    drop(server);
    assert_eq!(files_under(&site.path("public")), before);
    assert_eq!(site.read("public/index.html"), "the last real build\n");
    assert_eq!(
        fs::metadata(site.path("public/index.html"))
            .unwrap()
            .modified()
            .unwrap(),
        modified
    );
}

#[test]
fn taken_port_moves_to_the_next_free_one_and_says_so() {
    let site = Site::newsroom();
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let server = Server::start_with(&site.root(), &["--port", &port.to_string()]);
    assert_ne!(server.port, port);
    assert!(server.port > port, "{} is not after {port}", server.port);
    assert!(
        server.stdout().contains(&format!(
            "Port {port} is in use; using {} instead.",
            server.port
        )),
        "{}",
        server.stdout()
    );
    assert_eq!(server.get("/").status, 200);
}

/// The status of a request whose answer may never end (an event stream).
fn raw_status(port: u16, target: &str, host: &str) -> u16 {
    use std::io::{BufRead, BufReader, Write};
    let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(10)))
        .unwrap();
    write!(
        stream,
        "GET {target} HTTP/1.1\r\nHost: {host}\r\nAccept: text/event-stream\r\n\r\n"
    )
    .unwrap();
    let mut line = String::new();
    BufReader::new(stream).read_line(&mut line).unwrap();
    line.split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or_else(|| panic!("no status line: {line:?}"))
}
