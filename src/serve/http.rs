//! The preview's HTTP side: pages from memory, live-reload events, and nothing else.
//!
//! Requests are answered only from the in-memory `Outputs` of the last good build, so no URL
//! can reach a file the build did not publish, whatever it contains (`..`, encoded or not).

use std::collections::VecDeque;
use std::convert::Infallible;
use std::io::SeekFrom;
use std::path::Path;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use percent_encoding::percent_decode_str;
use tokio::io::{AsyncReadExt, AsyncSeekExt};

use crate::output::Output;
use crate::serve::reload::{self, EVENTS_PATH};
use crate::serve::state::{Shared, Snapshot};

/// The router of the preview server.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, axum::routing::get(events))
        .fallback(page)
        .with_state(shared)
}

async fn events(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let headers = request.headers();
    if !shared.host_allowed(headers) {
        return plain(
            StatusCode::FORBIDDEN,
            "This preview only answers for localhost, IP addresses and this computer's name; \
             start it with --allowed-host NAME to answer for another name.",
        );
    }
    if shared.subscribers() >= MAX_STREAMS {
        return plain(
            StatusCode::SERVICE_UNAVAILABLE,
            "Too many open previews: close some tabs, then reload this one.",
        );
    }
    // A browser that reconnects names the last build it heard of; a page that connects for
    // the first time, the build it was served from.
    let since = headers
        .get("last-event-id")
        .and_then(|value| value.to_str().ok())
        .or_else(|| since_query(request.uri().query()));
    event_stream(&shared, since).into_response()
}

/// `v` of `since=v` in a query string.
fn since_query(query: Option<&str>) -> Option<&str> {
    query?
        .split('&')
        .find_map(|pair| pair.strip_prefix("since="))
}

/// Live-reload streams open at once. Each never ends while its tab is open, so without a cap
/// a client could hold the server's connections with them.
const MAX_STREAMS: usize = 256;

/// Server-Sent Events: first the greeting (what changed since the tab's page was served, and
/// the current error), then every later rebuild's news. Each event's id is its build, which
/// the browser sends back as `Last-Event-ID` when it reconnects; the greeting always has one,
/// even with nothing to say, so that a reconnect asks only for what came after.
fn event_stream(
    shared: &Shared,
    since: Option<&str>,
) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let receiver = shared.subscribe();
    let greeting = shared.greeting(since);
    let seen = greeting.version;
    let id = seen.to_string();
    let mut first: VecDeque<Event> = greeting
        .messages
        .into_iter()
        .map(|message| Event::default().id(&id).data(message))
        .collect();
    if first.is_empty() {
        first.push_back(Event::default().id(&id));
    }
    let stream = futures_util::stream::unfold(
        (first, receiver),
        move |(mut first, mut receiver)| async move {
            if let Some(event) = first.pop_front() {
                return Some((Ok(event), (first, receiver)));
            }
            loop {
                match receiver.recv().await {
                    // Already told in the greeting.
                    Ok(published) if !published.version.is_after(seen) => continue,
                    Ok(published) => {
                        let event = Event::default()
                            .id(published.version.to_string())
                            .data(&published.message);
                        return Some((Ok(event), (first, receiver)));
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn page(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    if !shared.host_allowed(request.headers()) {
        return plain(
            StatusCode::FORBIDDEN,
            "This preview only answers for localhost, IP addresses and this computer's name; \
             start it with --allowed-host NAME to answer for another name.",
        );
    }
    if !matches!(*request.method(), Method::GET | Method::HEAD) {
        let mut response = plain(
            StatusCode::METHOD_NOT_ALLOWED,
            "The preview only reads pages.",
        );
        response
            .headers_mut()
            .insert(header::ALLOW, HeaderValue::from_static("GET, HEAD"));
        return response;
    }
    let snapshot = shared.snapshot();
    let Some(key) = output_key(request.uri().path()) else {
        return not_found(&shared, &snapshot).await;
    };
    if let Some(output) = snapshot.outputs.get(&key) {
        let range = request.headers().get(header::RANGE);
        return match output {
            Output::Copy(path, _) if !key.ends_with(".html") => {
                file(&shared, path, &key, range).await
            }
            _ => respond(&shared, &snapshot, StatusCode::OK, &key, output).await,
        };
    }
    if !key.is_empty() && snapshot.outputs.get(&format!("{key}/index.html")).is_some() {
        // One leading slash: `//world/` would send the browser to a host named `world`.
        let mut location = format!("/{}/", request.uri().path().trim_start_matches('/'));
        if let Some(query) = request.uri().query() {
            location.push('?');
            location.push_str(query);
        }
        return redirect(&location);
    }
    not_found(&shared, &snapshot).await
}

const NO_SITE: &str = "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Dateline preview</title></head>\n<body><main><h1>No page here yet</h1><p>The site has not been built successfully yet.</p></main></body></html>\n";

/// The output path for a URL path, or `None` for paths that can never be valid: undecodable,
/// with `..` segments, backslashes or NUL bytes.
pub fn output_key(path: &str) -> Option<String> {
    let decoded = percent_decode_str(path).decode_utf8().ok()?;
    if decoded.contains(['\\', '\0']) || decoded.split('/').any(|segment| segment == "..") {
        return None;
    }
    let trimmed = decoded.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        Some(format!("{trimmed}index.html"))
    } else {
        Some(trimmed.to_string())
    }
    .map(|key| key.trim_end_matches("/index.html/").to_string())
}

async fn not_found(shared: &Shared, snapshot: &Snapshot) -> Response {
    let key = crate::site::routes::route_file(crate::site::routes::NOT_FOUND);
    match snapshot.outputs.get(&key) {
        Some(output) => respond(shared, snapshot, StatusCode::NOT_FOUND, &key, output).await,
        // No site yet (the first build failed): a page that carries the reload script, so the
        // error overlay shows and the fix reloads it.
        None => {
            let page = Output::text(NO_SITE.to_string());
            respond(shared, snapshot, StatusCode::NOT_FOUND, &key, &page).await
        }
    }
}

/// A page or file of `snapshot`; an HTML page gets the reload script with the snapshot's build.
async fn respond(
    shared: &Shared,
    snapshot: &Snapshot,
    status: StatusCode,
    key: &str,
    output: &Output,
) -> Response {
    let bytes: Vec<u8> = match output {
        Output::Bytes(bytes) => bytes.to_vec(),
        Output::BuiltIn(bytes) => bytes.to_vec(),
        Output::Copy(path, _) => match read_inside(shared, path).await {
            Some(bytes) => bytes,
            None => return plain(StatusCode::NOT_FOUND, "Not found"),
        },
        // `serve` renders into memory and never stages pages on disk.
        Output::Staged(_) => return plain(StatusCode::NOT_FOUND, "Not found"),
    };
    let is_html = key.ends_with(".html");
    let body = if is_html {
        reload::inject(
            &String::from_utf8_lossy(&bytes),
            &snapshot.version.to_string(),
        )
        .into_bytes()
    } else {
        bytes
    };
    (status, content_headers(key, is_html), Body::from(body)).into_response()
}

/// The headers of a page or file: its type, and no caching (a preview changes on every save).
fn content_headers(key: &str, is_html: bool) -> HeaderMap {
    let content_type = if is_html {
        "text/html; charset=utf-8".to_string()
    } else {
        let guess = mime_guess::from_path(key).first_or_octet_stream();
        match guess.type_() {
            mime_guess::mime::TEXT => format!("{guess}; charset=utf-8"),
            _ if guess.subtype() == "xml"
                || guess.subtype() == "javascript"
                || guess.subtype() == "json" =>
            {
                format!("{guess}; charset=utf-8")
            }
            _ => guess.to_string(),
        }
    };
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&content_type) {
        headers.insert(header::CONTENT_TYPE, value);
    }
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache, no-store"),
    );
    headers.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    headers
}

/// How much of a file is read at a time while it streams.
const CHUNK: usize = 64 * 1024;

/// A file copied as it is (a photo, a video in static/), streamed from disk rather than read
/// whole, with `Range` requests answered by the bytes asked for (206). Only a file inside the
/// site root is served: a published file replaced by a link to `/etc/passwd` after the build
/// gives nothing.
async fn file(shared: &Shared, path: &Path, key: &str, range: Option<&HeaderValue>) -> Response {
    let Some(mut opened) = open_inside(shared, path).await else {
        return plain(StatusCode::NOT_FOUND, "Not found");
    };
    let Ok(length) = opened.metadata().await.map(|m| m.len()) else {
        return plain(StatusCode::NOT_FOUND, "Not found");
    };
    let mut headers = content_headers(key, false);
    headers.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    let asked = range.and_then(|r| r.to_str().ok());
    let (status, start, count) = match asked.map_or(Ranged::Whole, |r| byte_range(r, length)) {
        Ranged::Whole => (StatusCode::OK, 0, length),
        Ranged::Part(start, end) => {
            let value = format!("bytes {start}-{end}/{length}");
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(header::CONTENT_RANGE, value);
            }
            (StatusCode::PARTIAL_CONTENT, start, end - start + 1)
        }
        Ranged::Unsatisfiable => {
            let value = format!("bytes */{length}");
            if let Ok(value) = HeaderValue::from_str(&value) {
                headers.insert(header::CONTENT_RANGE, value);
            }
            return (StatusCode::RANGE_NOT_SATISFIABLE, headers).into_response();
        }
    };
    if start > 0 && opened.seek(SeekFrom::Start(start)).await.is_err() {
        return plain(StatusCode::NOT_FOUND, "Not found");
    }
    headers.insert(header::CONTENT_LENGTH, HeaderValue::from(count));
    let stream = futures_util::stream::unfold((opened, count), |(mut file, left)| async move {
        if left == 0 {
            return None;
        }
        let mut buffer = vec![0; CHUNK.min(usize::try_from(left).unwrap_or(CHUNK))];
        match file.read(&mut buffer).await {
            Ok(0) => None,
            Ok(read) => {
                buffer.truncate(read);
                let left = left.saturating_sub(read as u64);
                Some((Ok::<_, std::io::Error>(buffer), (file, left)))
            }
            Err(err) => Some((Err(err), (file, 0))),
        }
    });
    (status, headers, Body::from_stream(stream)).into_response()
}

/// The file at `path` opened for reading, when it is still inside the site root: a file the
/// build copied may have been replaced by a link to anywhere since.
async fn open_inside(shared: &Shared, path: &Path) -> Option<tokio::fs::File> {
    let real = tokio::fs::canonicalize(path).await.ok()?;
    if !real.starts_with(shared.root()) {
        return None;
    }
    tokio::fs::File::open(real).await.ok()
}

async fn read_inside(shared: &Shared, path: &Path) -> Option<Vec<u8>> {
    let mut bytes = Vec::new();
    open_inside(shared, path)
        .await?
        .read_to_end(&mut bytes)
        .await
        .ok()?;
    Some(bytes)
}

/// What a `Range` header asks of a file, as RFC 9110 reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ranged {
    /// No range the preview answers (none, another unit, several ranges, or not valid):
    /// the whole file, with 200.
    Whole,
    /// The first and last byte asked for, both within the file: 206.
    Part(u64, u64),
    /// A valid range that starts past the end of the file: 416.
    Unsatisfiable,
}

/// How to answer `range` for a `length`-byte file.
pub(crate) fn byte_range(range: &str, length: u64) -> Ranged {
    let Some(spec) = range.trim().strip_prefix("bytes=") else {
        return Ranged::Whole;
    };
    if spec.contains(',') {
        return Ranged::Whole;
    }
    let Some((first, last)) = spec.split_once('-') else {
        return Ranged::Whole;
    };
    let (first, last) = (first.trim(), last.trim());
    if first.is_empty() {
        return match last.parse::<u64>() {
            Ok(0) => Ranged::Unsatisfiable,
            Ok(_) if length == 0 => Ranged::Unsatisfiable,
            Ok(suffix) => Ranged::Part(length.saturating_sub(suffix), length - 1),
            Err(_) => Ranged::Whole,
        };
    }
    let Ok(start) = first.parse::<u64>() else {
        return Ranged::Whole;
    };
    let end = match last {
        "" => None,
        last => match last.parse::<u64>() {
            Ok(end) if end >= start => Some(end),
            _ => return Ranged::Whole,
        },
    };
    if start >= length {
        return Ranged::Unsatisfiable;
    }
    Ranged::Part(start, end.map_or(length - 1, |end| end.min(length - 1)))
}

fn redirect(location: &str) -> Response {
    match HeaderValue::from_str(location) {
        Ok(value) => (StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, value)]).into_response(),
        Err(_) => plain(StatusCode::BAD_REQUEST, "Bad request"),
    }
}

fn plain(status: StatusCode, text: &'static str) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
        text,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_output_files() {
        assert_eq!(output_key("/").as_deref(), Some("index.html"));
        assert_eq!(output_key("/world/").as_deref(), Some("world/index.html"));
        assert_eq!(output_key("/style.css").as_deref(), Some("style.css"));
        assert_eq!(
            output_key("/caf%C3%A9/").as_deref(),
            Some("café/index.html")
        );
    }

    #[test]
    fn byte_ranges_are_read_as_browsers_and_players_send_them() {
        use Ranged::{Part, Unsatisfiable, Whole};
        assert_eq!(byte_range("bytes=0-99", 1000), Part(0, 99));
        assert_eq!(byte_range("bytes=900-", 1000), Part(900, 999));
        assert_eq!(byte_range("bytes=-100", 1000), Part(900, 999));
        assert_eq!(byte_range("bytes=990-2000", 1000), Part(990, 999));
        assert_eq!(byte_range("bytes=1000-", 1000), Unsatisfiable);
        assert_eq!(byte_range("bytes=-0", 1000), Unsatisfiable);
        // Not valid, or not answered: the whole file (RFC 9110, 14.2).
        for ignored in [
            "bytes=5-1",
            "bytes=0-1,5-6",
            "items=0-1",
            "bytes=abc",
            "bytes=-x",
        ] {
            assert_eq!(byte_range(ignored, 1000), Whole, "{ignored}");
        }
    }

    #[test]
    fn traversal_attempts_map_to_nothing() {
        for path in [
            "/../etc/passwd",
            "/%2e%2e/etc/passwd",
            "/a/%2E%2E/%2e%2e/x",
            "/a%5c..%5cb",
            "/a%00b",
            "/%ff",
        ] {
            assert_eq!(output_key(path), None, "{path}");
        }
    }
}
