//! The preview's HTTP side: pages from memory, live-reload events, and nothing else.
//!
//! Requests are answered only from the in-memory `Outputs` of the last good build, so no URL
//! can reach a file the build did not publish, whatever it contains (`..`, encoded or not).

use std::convert::Infallible;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use futures_util::Stream;
use percent_encoding::percent_decode_str;

use crate::output::Output;
use crate::serve::reload::{self, EVENTS_PATH};
use crate::serve::state::Shared;

/// The router of the preview server.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route(EVENTS_PATH, axum::routing::get(events))
        .fallback(page)
        .with_state(shared)
}

async fn events(State(shared): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if !shared.host_allowed(&headers) {
        return plain(
            StatusCode::FORBIDDEN,
            "This preview only answers requests for its own address.",
        );
    }
    event_stream(&shared).into_response()
}

/// Server-Sent Events: the current error first (so a fresh tab shows the overlay), then
/// every rebuild's news.
fn event_stream(shared: &Shared) -> Sse<impl Stream<Item = Result<Event, Infallible>> + use<>> {
    let receiver = shared.subscribe();
    let first = shared.snapshot().error_event();
    let stream =
        futures_util::stream::unfold((first, receiver), |(first, mut receiver)| async move {
            if let Some(message) = first {
                return Some((Ok(Event::default().data(message)), (None, receiver)));
            }
            loop {
                match receiver.recv().await {
                    Ok(message) => {
                        return Some((Ok(Event::default().data(message)), (None, receiver)));
                    }
                    Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                    Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
                }
            }
        });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

async fn page(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    if !shared.host_allowed(request.headers()) {
        return plain(
            StatusCode::FORBIDDEN,
            "This preview only answers requests for its own address.",
        );
    }
    let Some(key) = output_key(request.uri().path()) else {
        return not_found(&shared).await;
    };
    let snapshot = shared.snapshot();
    if let Some(output) = snapshot.outputs.get(&key) {
        return respond(StatusCode::OK, &key, output).await;
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
    not_found(&shared).await
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

async fn not_found(shared: &Shared) -> Response {
    let snapshot = shared.snapshot();
    match snapshot.outputs.get("404.html") {
        Some(output) => respond(StatusCode::NOT_FOUND, "404.html", output).await,
        // No site yet (the first build failed): a page that carries the reload script, so the
        // error overlay shows and the fix reloads it.
        None => {
            let page = Output::text(NO_SITE.to_string());
            respond(StatusCode::NOT_FOUND, "404.html", &page).await
        }
    }
}

async fn respond(status: StatusCode, key: &str, output: &Output) -> Response {
    let bytes: Vec<u8> = match output {
        Output::Bytes(bytes) => bytes.to_vec(),
        Output::BuiltIn(bytes) => bytes.to_vec(),
        Output::Copy(path, _) => match tokio::fs::read(path).await {
            Ok(bytes) => bytes,
            Err(_) => return plain(StatusCode::NOT_FOUND, "Not found"),
        },
        // `serve` renders into memory and never stages pages on disk.
        Output::Staged(_) => return plain(StatusCode::NOT_FOUND, "Not found"),
    };
    let is_html = key.ends_with(".html");
    let body = if is_html {
        reload::inject(&String::from_utf8_lossy(&bytes)).into_bytes()
    } else {
        bytes
    };
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
    (status, headers, Body::from(body)).into_response()
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
