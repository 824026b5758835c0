//! Accepting connections without letting slow or many clients starve the preview.
//!
//! `axum::serve` waits as long as a client likes for its request headers and accepts any
//! number of connections: twenty thousand clients sending a byte every ten seconds made normal
//! requests time out. Each connection here must send its headers within [`HEADER_TIMEOUT`],
//! and at most [`MAX_CONNECTIONS`] may be waiting for theirs at once; the next is accepted
//! when one of them has sent its headers, been cut off or closed. A connection holds its place
//! only until its first request is in, so open live-reload streams (which never end) do not
//! use up the places; they have a cap of their own (see `http`).

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::extract::Request;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper::service::Service;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

/// How long a client may take to send a request's headers (also between requests on a kept
/// connection). A browser sends them at once.
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Connections waiting for their first request's headers at once: far more than the tabs of a
/// newsroom's preview ever open together.
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
        let service = FreesItsPlace {
            inner: TowerToHyperService::new(router.clone()),
            place: Mutex::new(Some(slot)),
        };
        tokio::spawn(async move {
            let _ = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(TokioIo::new(stream), service)
                .await;
        });
    }
}

/// The router of one connection, which gives back the connection's place among those waiting
/// for headers as soon as its first request has arrived (or when the connection ends).
struct FreesItsPlace {
    inner: TowerToHyperService<Router>,
    place: Mutex<Option<OwnedSemaphorePermit>>,
}

impl Service<Request<Incoming>> for FreesItsPlace {
    type Response = <TowerToHyperService<Router> as Service<Request<Incoming>>>::Response;
    type Error = <TowerToHyperService<Router> as Service<Request<Incoming>>>::Error;
    type Future = <TowerToHyperService<Router> as Service<Request<Incoming>>>::Future;

    fn call(&self, request: Request<Incoming>) -> Self::Future {
        match self.place.lock() {
            Ok(mut place) => drop(place.take()),
            Err(poisoned) => drop(poisoned.into_inner().take()),
        }
        self.inner.call(request)
    }
}
