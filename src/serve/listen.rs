//! Accepting connections without letting slow or many clients starve the preview.
//!
//! `axum::serve` waits as long as a client likes for its request headers and accepts any
//! number of connections: twenty thousand clients sending a byte every ten seconds made normal
//! requests time out. Each connection here must send its headers within [`HEADER_TIMEOUT`],
//! and at most [`MAX_CONNECTIONS`] are served at once; the next waits until one closes.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::Semaphore;

/// How long a client may take to send a request's headers (also between requests on a kept
/// connection). A browser sends them at once.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections served at once: far more than the tabs and requests of a newsroom's preview.
const MAX_CONNECTIONS: usize = 512;

/// Serves `router` on `listener` until the task is dropped.
pub(crate) async fn serve(listener: TcpListener, router: Router) {
    let slots = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let Ok((stream, _)) = listener.accept().await else {
            // A failed accept (out of file descriptors, a reset) ends only that connection.
            tokio::time::sleep(Duration::from_millis(10)).await;
            continue;
        };
        let service = TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
            drop(slot);
        });
    }
}
