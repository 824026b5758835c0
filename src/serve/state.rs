//! What the preview server shows: the last good site, the current error, and a channel that
//! tells open browser tabs what changed.
//!
//! Every published build has a [`Version`], which the pages served from it carry. A tab that
//! connects gives it back and is told what changed since: a rebuild that lands between serving
//! a page and its tab connecting reaches no broadcast, and would otherwise leave the tab
//! showing, say, a story deleted meanwhile.

use std::collections::VecDeque;
use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};

use axum::http::{HeaderMap, header};
use tokio::sync::broadcast;

use crate::output::Outputs;
use crate::serve::reload::Change;

/// One build as this server published it: the server's own number (so that a tab from
/// before a restart is never taken for one of this server's) and the build's count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Version {
    server: u64,
    build: u64,
}

impl Version {
    /// The first build of a server started now.
    fn first() -> Version {
        let started = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        Version {
            server: u64::try_from(started % u128::from(u64::MAX)).unwrap_or_default(),
            build: 0,
        }
    }

    /// Whether this is a later build of the same server than `other`.
    pub fn is_after(self, other: Version) -> bool {
        self.server == other.server && self.build > other.build
    }

    fn next(self) -> Version {
        Version {
            build: self.build + 1,
            ..self
        }
    }

    /// Reads what [`fmt::Display`] wrote (`17f3a2c-4`), or `None`.
    fn parse(text: &str) -> Option<Version> {
        let (server, build) = text.split_once('-')?;
        Some(Version {
            server: u64::from_str_radix(server, 16).ok()?,
            build: build.parse().ok()?,
        })
    }
}

/// Only hexadecimal digits and a `-`: safe in a URL, a script and an event id as it is.
impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:x}-{}", self.server, self.build)
    }
}

/// One consistent view of the site. Rebuilds swap in a new snapshot whole, so a request never
/// sees half of an old build and half of a new one.
#[derive(Debug)]
pub struct Snapshot {
    pub outputs: Outputs,
    /// The overlay message of the last failed build, while it is not fixed.
    pub error: Option<String>,
    /// The build these outputs (and this error) come from.
    pub version: Version,
}

/// A message for open tabs, with the build it tells about.
#[derive(Debug)]
pub struct Published {
    pub version: Version,
    pub message: String,
}

/// What a tab is told when it connects: the current build, and the messages that bring a page
/// served from an earlier build up to date (what changed since, then the current error).
#[derive(Debug)]
pub struct Greeting {
    pub version: Version,
    pub messages: Vec<String>,
}

/// How many builds' changes are kept for tabs that connect late. A tab further behind (asleep
/// for a hundred saves) reloads whatever it shows.
const REMEMBERED: usize = 100;

/// The current snapshot and the changes of the last builds, replaced together.
struct Current {
    snapshot: Arc<Snapshot>,
    /// The change each remembered build made, by build count, oldest first.
    recent: VecDeque<(u64, Change)>,
}

impl Current {
    /// What changed after the build `since`, if this server remembers every build since.
    fn changed_since(&self, since: Version) -> Option<Change> {
        let now = self.snapshot.version;
        if since.server != now.server || since.build > now.build {
            return None;
        }
        let oldest = self.recent.front().map_or(now.build, |(build, _)| *build);
        if since.build + 1 < oldest {
            return None;
        }
        let mut change = Change::default();
        for (_, later) in self.recent.iter().filter(|(build, _)| *build > since.build) {
            change.add(later);
        }
        Some(change)
    }
}

/// Shared between the HTTP handlers and the rebuild loop.
pub struct Shared {
    current: RwLock<Current>,
    events: broadcast::Sender<Arc<Published>>,
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
        let snapshot = Snapshot {
            outputs,
            error,
            version: Version::first(),
        };
        Shared {
            current: RwLock::new(Current {
                snapshot: Arc::new(snapshot),
                recent: VecDeque::new(),
            }),
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
        match self.current.read() {
            Ok(current) => Arc::clone(&current.snapshot),
            Err(poisoned) => Arc::clone(&poisoned.into_inner().snapshot),
        }
    }

    /// Publishes a new build (or the old site with the error of a failed one) that made
    /// `change`, and tells the open tabs: the error, or the change (also an empty one when it
    /// fixes an error, so that the overlay goes).
    pub fn publish(&self, outputs: Outputs, error: Option<String>, change: Change) {
        let mut current = match self.current.write() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        let recovered = current.snapshot.error.is_some();
        let version = current.snapshot.version.next();
        let message = match &error {
            Some(error) => Some(error.clone()),
            None => (recovered || !change.is_empty()).then(|| change.message()),
        };
        current.recent.push_back((version.build, change));
        if current.recent.len() > REMEMBERED {
            current.recent.pop_front();
        }
        current.snapshot = Arc::new(Snapshot {
            outputs,
            error,
            version,
        });
        // Sent while the new snapshot is locked in, so that a tab connecting now either sees
        // this build in its greeting or receives this message (both is filtered by version).
        if let Some(message) = message {
            let _ = self.events.send(Arc::new(Published { version, message }));
        }
    }

    /// Subscribes a tab to the messages of the builds to come. Subscribe before asking for
    /// the [`greeting`](Shared::greeting), so that no build falls between the two.
    pub fn subscribe(&self) -> broadcast::Receiver<Arc<Published>> {
        self.events.subscribe()
    }

    /// What a tab that connects is told, given the build its page came from (`since`, as the
    /// page's script or the browser's `Last-Event-ID` gives it; `None` for a client that does
    /// not say). A version this server cannot account for reloads the page.
    pub fn greeting(&self, since: Option<&str>) -> Greeting {
        let current = match self.current.read() {
            Ok(current) => current,
            Err(poisoned) => poisoned.into_inner(),
        };
        let mut messages = Vec::new();
        if let Some(since) = since {
            let change = Version::parse(since)
                .and_then(|since| current.changed_since(since))
                .unwrap_or_else(Change::everything);
            if !change.is_empty() {
                messages.push(change.message());
            }
        }
        // After the change: a reload message clears the overlay, which must then show.
        messages.extend(current.snapshot.error.clone());
        Greeting {
            version: current.snapshot.version,
            messages,
        }
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

    fn page(path: &str) -> Change {
        Change::of(&[format!("{path}/index.html")], "")
    }

    fn pages(greeting: &Greeting) -> Vec<serde_json::Value> {
        greeting
            .messages
            .iter()
            .map(|m| serde_json::from_str::<serde_json::Value>(m).unwrap()["pages"].clone())
            .collect()
    }

    #[test]
    fn a_tab_is_told_every_change_since_its_page_was_served() {
        let shared = Shared::new(Vec::new(), PathBuf::from("/site"), Outputs::default(), None);
        let served = shared.snapshot().version.to_string();
        assert!(shared.greeting(Some(&served)).messages.is_empty());
        shared.publish(Outputs::default(), None, page("a"));
        shared.publish(Outputs::default(), None, page("b"));
        let greeting = shared.greeting(Some(&served));
        assert_eq!(greeting.version, shared.snapshot().version);
        assert_eq!(pages(&greeting), [serde_json::json!(["/a/", "/b/"])]);
        let after_a = Version::parse(&served).unwrap().next().to_string();
        assert_eq!(
            pages(&shared.greeting(Some(&after_a))),
            [serde_json::json!(["/b/"])]
        );
        assert!(shared.greeting(None).messages.is_empty());
    }

    #[test]
    fn an_unknown_or_forgotten_build_reloads_the_page() {
        let shared = Shared::new(Vec::new(), PathBuf::from("/site"), Outputs::default(), None);
        let served = shared.snapshot().version;
        let other_server = Version {
            server: served.server + 1,
            ..served
        };
        for since in [other_server.to_string(), "nonsense".into(), "ff-99".into()] {
            assert_eq!(
                pages(&shared.greeting(Some(&since))),
                [serde_json::json!(["*"])],
                "{since}"
            );
        }
        for _ in 0..=REMEMBERED {
            shared.publish(Outputs::default(), None, Change::default());
        }
        assert_eq!(
            pages(&shared.greeting(Some(&served.to_string()))),
            [serde_json::json!(["*"])]
        );
    }

    #[test]
    fn a_tab_connecting_to_a_broken_build_gets_the_change_then_the_error() {
        let shared = Shared::new(Vec::new(), PathBuf::from("/site"), Outputs::default(), None);
        let served = shared.snapshot().version.to_string();
        shared.publish(Outputs::default(), None, page("a"));
        shared.publish(
            Outputs::default(),
            Some("{\"kind\":\"error\"}".into()),
            Change::default(),
        );
        let greeting = shared.greeting(Some(&served));
        assert_eq!(greeting.messages.len(), 2);
        assert!(greeting.messages[0].contains("reload"));
        assert!(greeting.messages[1].contains("error"));
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
