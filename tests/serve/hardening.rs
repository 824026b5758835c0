//! Issue 23, items 4 and 9: the preview serves only what the build published, answers only
//! for its own names on every bind address, reads only, streams byte ranges, and cannot be
//! held up by slow clients.

use std::fs;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use crate::support::{CHANGE_TIMEOUT, PRESS_KIT, Server, Site, raw_request, wait_until};

/// A request with extra header lines, written by hand; the status, headers and body bytes.
fn request(port: u16, head: &str) -> (u16, String, Vec<u8>) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(20)))
        .expect("timeout");
    write!(stream, "{head}Connection: close\r\n\r\n").expect("send");
    let mut bytes = Vec::new();
    stream.read_to_end(&mut bytes).expect("read the response");
    let end = bytes
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a response head");
    let head = String::from_utf8_lossy(&bytes[..end]).to_string();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .expect("a status");
    (status, head.to_ascii_lowercase(), bytes[end + 4..].to_vec())
}

#[test]
fn a_published_file_replaced_by_a_link_to_outside_is_never_served() {
    let site = Site::newsroom();
    let outside = tempfile::tempdir().unwrap();
    fs::write(outside.path().join("passwd"), "TOP-SECRET-TOKEN\n").unwrap();
    let server = Server::start(&site.root());
    assert_eq!(server.get("/press-kit.txt").status, 200);
    site.remove(PRESS_KIT);
    std::os::unix::fs::symlink(outside.path().join("passwd"), site.path(PRESS_KIT)).unwrap();
    wait_until(CHANGE_TIMEOUT, "the rebuild refuses the link", || {
        server.stderr().contains("points outside the site folder")
    });
    let reply = server.get("/press-kit.txt");
    assert!(!reply.body.contains("TOP-SECRET-TOKEN"), "{}", reply.body);
}

#[test]
fn every_bind_address_answers_only_for_its_own_names() {
    let site = Site::newsroom();
    let server = Server::start_with(
        &site.root(),
        &[
            "--port",
            "0",
            "--bind",
            "0.0.0.0",
            "--allowed-host",
            "preview.newsroom.test",
        ],
    );
    for host in [
        "evil.example",
        "evil.example:1111",
        "127.0.0.1.evil.example",
    ] {
        assert_eq!(
            raw_request(server.port, "GET", "/", host).status,
            403,
            "{host}"
        );
    }
    for host in [
        "127.0.0.1",
        "localhost:1111",
        "[::1]",
        "10.0.0.7",
        "preview.newsroom.test",
    ] {
        assert_eq!(
            raw_request(server.port, "GET", "/", host).status,
            200,
            "{host}"
        );
    }
}

#[test]
fn only_get_and_head_are_answered() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    for method in ["PUT", "DELETE", "TRACE", "POST", "PATCH"] {
        let reply = raw_request(server.port, method, "/press-kit.txt", "127.0.0.1");
        assert_eq!(reply.status, 405, "{method}");
        assert_eq!(reply.header("allow"), Some("GET, HEAD"), "{method}");
    }
    assert_eq!(
        raw_request(server.port, "HEAD", "/", "127.0.0.1").status,
        200
    );
}

#[test]
fn byte_ranges_of_a_large_file_are_answered_with_just_those_bytes() {
    let site = Site::newsroom();
    let video: Vec<u8> = (0..4 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    site.write_bytes("static/video.mp4", &video);
    let server = Server::start(&site.root());
    let get = |range: &str| {
        request(
            server.port,
            &format!("GET /video.mp4 HTTP/1.1\r\nHost: 127.0.0.1\r\nRange: {range}\r\n"),
        )
    };
    let (status, head, body) = get("bytes=100-1123");
    assert_eq!(status, 206, "{head}");
    assert!(
        head.contains("content-range: bytes 100-1123/4194304"),
        "{head}"
    );
    assert_eq!(body, video[100..1124]);
    let (status, _, body) = get("bytes=-10");
    assert_eq!(status, 206);
    assert_eq!(body, video[video.len() - 10..]);
    let (status, head, _) = get("bytes=5000000-");
    assert_eq!(status, 416);
    assert!(head.contains("content-range: bytes */4194304"), "{head}");
    // Ranges that are not valid, or several at once, are ignored: the whole file.
    for ignored in ["bytes=5-1", "bytes=0-1,5-6", "items=0-1"] {
        let (status, _, body) = get(ignored);
        assert_eq!((status, body.len()), (200, video.len()), "{ignored}");
    }
    let (status, head, body) = request(
        server.port,
        "GET /video.mp4 HTTP/1.1\r\nHost: 127.0.0.1\r\n",
    );
    assert_eq!(status, 200);
    assert!(head.contains("accept-ranges: bytes"), "{head}");
    assert_eq!(body, video);
}

#[test]
fn slow_clients_are_cut_off_and_do_not_hold_up_readers() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    // Clients that start a request and never finish its headers.
    let slow: Vec<TcpStream> = (0..200)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
            stream
                .write_all(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                .expect("send");
            stream
        })
        .collect();
    assert_eq!(
        server.get("/").status,
        200,
        "a reader waits behind slow clients"
    );
    // The server closes a connection whose headers never end, within a bounded wait.
    let mut first = slow.into_iter().next().expect("a slow client");
    first
        .set_read_timeout(Some(Duration::from_secs(30)))
        .expect("timeout");
    let started = Instant::now();
    let mut rest = Vec::new();
    let closed = first.read_to_end(&mut rest).is_ok();
    assert!(
        closed,
        "the slow connection was still open after {:?}",
        started.elapsed()
    );
}

#[test]
fn open_live_reload_streams_do_not_lock_readers_out() {
    let site = Site::newsroom();
    let server = Server::start(&site.root());
    let mut statuses = Vec::new();
    let streams: Vec<TcpStream> = (0..600)
        .map(|_| {
            let mut stream = TcpStream::connect(("127.0.0.1", server.port)).expect("connect");
            write!(
                stream,
                "GET /__dateline/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            )
            .expect("send");
            stream
                .set_read_timeout(Some(Duration::from_secs(20)))
                .expect("timeout");
            let mut head = [0u8; 12];
            stream.read_exact(&mut head).expect("a status line");
            statuses.push(String::from_utf8_lossy(&head[9..12]).to_string());
            stream
        })
        .collect();
    assert!(statuses.iter().any(|s| s == "200"), "{statuses:?}");
    assert!(
        statuses.iter().any(|s| s == "503"),
        "no cap on streams: {statuses:?}"
    );
    assert_eq!(
        server.get("/").status,
        200,
        "a reader waits behind open streams"
    );
    drop(streams);
}
