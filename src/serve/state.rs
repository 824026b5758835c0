//! What the preview server shows: the last good site, the current error, and a channel that
//! tells open browser tabs what changed.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::http::{HeaderMap, header};
use tokio::sync::broadcast;

use crate::output::Outputs;

/// One consistent view of the site. Rebuilds swap in a new snapshot whole, so a request never
/// sees half of an old build and half of a new one.
#[derive(Debug, Default)]
pub struct Snapshot {
    pub outputs: Outputs,
    /// The overlay message of the last failed build, while it is not fixed.
    pub error: Option<String>,
}

impl Snapshot {
    /// The event that shows the current error to a tab that just connected.
    pub fn error_event(&self) -> Option<String> {
        self.error.clone()
    }
}

/// Shared between the HTTP handlers and the rebuild loop.
pub struct Shared {
    snapshot: RwLock<Arc<Snapshot>>,
    events: broadcast::Sender<String>,
    /// The host names requests may ask for besides `localhost` and IP addresses: the
    /// machine's own name and `--allowed-host` (DNS rebinding).
    hosts: Vec<String>,
    /// The site root, canonical: files copied from disk are served only from inside it.
    root: PathBuf,
}

impl Shared {
    pub fn new(
        hosts: Vec<String>,
        root: PathBuf,
        outputs: Outputs,
        error: Option<String>,
    ) -> Shared {
        let (events, _) = broadcast::channel(64);
        Shared {
            snapshot: RwLock::new(Arc::new(Snapshot { outputs, error })),
            events,
            // A name given with its port (`preview.lan:1111`) means the name.
            hosts: hosts
                .into_iter()
                .map(|host| {
                    let name = host
                        .rsplit_once(':')
                        .map_or(host.as_str(), |(name, _)| name);
                    name.to_ascii_lowercase()
                })
                .collect(),
            root,
        }
    }

    /// The canonical site root.
    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn snapshot(&self) -> Arc<Snapshot> {
        match self.snapshot.read() {
            Ok(guard) => Arc::clone(&guard),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Publishes a new site (or keeps the old one with an error) and tells the browsers.
    pub fn publish(&self, snapshot: Snapshot, event: Option<String>) {
        let snapshot = Arc::new(snapshot);
        match self.snapshot.write() {
            Ok(mut guard) => *guard = snapshot,
            Err(poisoned) => *poisoned.into_inner() = snapshot,
        }
        if let Some(event) = event {
            let _ = self.events.send(event);
        }
    }

    pub fn subscribe(&self) -> broadcast::Receiver<String> {
        self.events.subscribe()
    }

    /// How many live-reload streams are open.
    pub fn subscribers(&self) -> usize {
        self.events.receiver_count()
    }

    /// Whether a request's `Host` is one this preview answers for, on every bind address:
    /// `localhost` (and `*.localhost`), an IP address, or a name in `hosts`. A page on another
    /// site that re-points its own name at this machine (DNS rebinding) names neither, so it
    /// cannot read drafts or embargoed stories through the reader's browser.
    pub fn host_allowed(&self, headers: &HeaderMap) -> bool {
        let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else {
            return false;
        };
        let name = match host.rsplit_once(':') {
            Some((name, port)) if port.chars().all(|c| c.is_ascii_digit()) => name,
            _ => host,
        };
        let ip = name.trim_start_matches('[').trim_end_matches(']');
        let name = name.to_ascii_lowercase();
        name == "localhost"
            || name.ends_with(".localhost")
            || ip.parse::<std::net::IpAddr>().is_ok()
            || self.hosts.contains(&name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn allowed(host: &str) -> bool {
        let hosts = vec!["newsroom-laptop".to_string()];
        let shared = Shared::new(hosts, PathBuf::from("/site"), Outputs::default(), None);
        let mut headers = HeaderMap::new();
        headers.insert(header::HOST, HeaderValue::from_str(host).unwrap());
        shared.host_allowed(&headers)
    }

    #[test]
    fn loopback_names_are_allowed_and_others_refused() {
        assert!(allowed("127.0.0.1:1111"));
        assert!(allowed("localhost:1111"));
        assert!(allowed("[::1]:1111"));
        assert!(!allowed("evil.example:1111"));
        assert!(!allowed("127.0.0.1.evil.example"));
    }

    #[test]
    fn ip_addresses_and_the_machines_own_names_are_allowed_on_any_bind_address() {
        assert!(allowed("192.168.1.20:1111"));
        assert!(allowed("Newsroom-Laptop:1111"));
        assert!(allowed("preview.localhost:1111"));
        assert!(!allowed("newsroom-laptop.evil.example:1111"));
    }
}
