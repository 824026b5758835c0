//! Just enough of the Chrome DevTools Protocol to drive headless Chromium: launch it, open a
//! tab, run JavaScript in it. One WebSocket to the browser, tabs reached through flat sessions.

use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tungstenite::{Message, WebSocket};

use crate::support::wait_until;

/// How long one protocol call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(15);

/// Where Chromium is: `DATELINE_CHROMIUM`, else the usual names on `PATH`.
pub fn find_chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("DATELINE_CHROMIUM") {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "DATELINE_CHROMIUM={} is not a file",
            path.display()
        );
        return Some(path);
    }
    let path = std::env::var_os("PATH")?;
    ["chromium", "chromium-browser", "google-chrome", "chrome"]
        .iter()
        .flat_map(|name| std::env::split_paths(&path).map(move |dir| dir.join(name)))
        .find(|candidate| candidate.is_file())
}

/// A headless Chromium with a fresh profile, closed (or killed) when dropped.
pub struct Chromium {
    child: Child,
    socket: WebSocket<TcpStream>,
    next_id: u64,
    /// The flat session of the open tab, which page commands go to.
    session: Option<String>,
    /// Events received while waiting for answers, oldest first.
    pub events: Vec<Value>,
    profile: tempfile::TempDir,
}

impl Chromium {
    pub fn launch(binary: &Path) -> Chromium {
        let profile = tempfile::Builder::new()
            .prefix("dateline-chromium-")
            .tempdir()
            .expect("create a Chromium profile folder");
        let log = std::fs::File::create(profile.path().join("chromium.log"))
            .expect("create Chromium's log");
        let mut child = Command::new(binary)
            .args([
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--no-default-browser-check",
                "--remote-debugging-port=0",
            ])
            .arg(format!("--user-data-dir={}", profile.path().display()))
            .arg("about:blank")
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("share the log"))
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary.display()));
        // Chromium writes its DevTools port and browser path there once it listens.
        let port_file = profile.path().join("DevToolsActivePort");
        let mut endpoint = None;
        let deadline = Instant::now() + CALL_TIMEOUT;
        while endpoint.is_none() {
            if let Ok(text) = std::fs::read_to_string(&port_file) {
                let mut lines = text.lines();
                if let (Some(port), Some(path)) = (lines.next(), lines.next()) {
                    endpoint = Some(format!("127.0.0.1:{port}{path}"));
                }
            }
            if let Ok(Some(status)) = child.try_wait() {
                panic!(
                    "Chromium exited ({status}) before listening:\n{}",
                    read_log(profile.path())
                );
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "Chromium did not open its DevTools port in {CALL_TIMEOUT:?}:\n{}",
                    read_log(profile.path())
                );
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let endpoint = endpoint.expect("an endpoint");
        let address = endpoint
            .split('/')
            .next()
            .expect("host and port")
            .to_string();
        let stream = TcpStream::connect(&address).expect("connect to Chromium's DevTools");
        let (socket, _) = tungstenite::client(format!("ws://{endpoint}"), stream)
            .unwrap_or_else(|e| panic!("DevTools handshake with {endpoint}: {e}"));
        socket
            .get_ref()
            .set_read_timeout(Some(Duration::from_millis(100)))
            .expect("set a read timeout");
        Chromium {
            child,
            socket,
            next_id: 0,
            session: None,
            events: Vec::new(),
            profile,
        }
    }

    /// Sends a command (to the open tab, if any) and waits for its result.
    pub fn call(&mut self, method: &str, params: Value) -> Value {
        self.try_call(method, params, CALL_TIMEOUT)
            .unwrap_or_else(|e| panic!("{method}: {e}"))
    }

    fn try_call(
        &mut self,
        method: &str,
        params: Value,
        timeout: Duration,
    ) -> Result<Value, String> {
        self.next_id += 1;
        let id = self.next_id;
        let mut message = json!({ "id": id, "method": method, "params": params });
        if let Some(session) = &self.session {
            message["sessionId"] = json!(session);
        }
        self.socket
            .send(Message::text(message.to_string()))
            .map_err(|e| format!("cannot send: {e}"))?;
        let deadline = Instant::now() + timeout;
        loop {
            match self.socket.read() {
                Ok(Message::Text(text)) => {
                    let value: Value =
                        serde_json::from_str(text.as_str()).map_err(|e| e.to_string())?;
                    if value["id"] == json!(id) {
                        if let Some(error) = value.get("error") {
                            return Err(format!("Chromium answered an error: {error}"));
                        }
                        return Ok(value["result"].clone());
                    }
                    if value.get("method").is_some() {
                        self.events.push(value);
                    }
                }
                Ok(_) => {}
                Err(tungstenite::Error::Io(e))
                    if matches!(
                        e.kind(),
                        std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                    ) => {}
                Err(e) => return Err(format!("DevTools connection: {e}")),
            }
            if Instant::now() > deadline {
                return Err(format!("no answer in {timeout:?}"));
            }
        }
    }

    /// Opens a tab on `about:blank`; later page commands go to it.
    pub fn open_tab(&mut self) {
        let target = self.call("Target.createTarget", json!({ "url": "about:blank" }));
        let target_id = target["targetId"].clone();
        let attached = self.call(
            "Target.attachToTarget",
            json!({ "targetId": target_id, "flatten": true }),
        );
        let session = attached["sessionId"]
            .as_str()
            .expect("a session id")
            .to_string();
        self.session = Some(session);
        self.call("Page.enable", json!({}));
        self.call("Runtime.enable", json!({}));
    }

    /// Runs `script` in every document the tab opens from now on, before the page's own.
    pub fn on_every_document(&mut self, script: &str) {
        self.call(
            "Page.addScriptToEvaluateOnNewDocument",
            json!({ "source": script }),
        );
    }

    pub fn navigate(&mut self, url: &str) {
        let result = self.call("Page.navigate", json!({ "url": url }));
        if let Some(error) = result.get("errorText") {
            panic!("cannot open {url}: {error}");
        }
    }

    /// The value of a JavaScript expression in the tab (`null` while it throws, or while the
    /// tab is between two pages: a live reload can start during the evaluation).
    pub fn eval(&mut self, expression: &str) -> Value {
        let params = json!({ "expression": expression, "returnByValue": true });
        let result = match self.try_call("Runtime.evaluate", params, CALL_TIMEOUT) {
            Ok(result) => result,
            Err(e) if e.contains("Inspected target navigated or closed") => return Value::Null,
            Err(e) => panic!("Runtime.evaluate: {e}"),
        };
        if result.get("exceptionDetails").is_some() {
            return Value::Null;
        }
        result["result"]["value"].clone()
    }

    /// Waits until the tab sends the event `method` (such as `Fetch.requestPaused`); returns
    /// its parameters. Events arrive with the answers to calls, so this keeps calling.
    pub fn wait_for_event(&mut self, timeout: Duration, method: &str) -> Value {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(index) = self.events.iter().position(|e| e["method"] == method) {
                return self.events.remove(index)["params"].clone();
            }
            assert!(
                Instant::now() < deadline,
                "timed out after {timeout:?} waiting for the event {method}"
            );
            self.eval("0");
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Polls `expression` until it is `true`; panics saying `what` it waited for and the
    /// value of `show` then.
    pub fn wait_for(&mut self, timeout: Duration, what: &str, expression: &str, show: &str) {
        let mut done = false;
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            wait_until(timeout, what, || {
                done = self.eval(expression) == json!(true);
                done
            })
        }));
        if let Err(panic) = result {
            let shown = self.eval(show);
            eprintln!("while waiting until {what}, the page showed: {shown}");
            std::panic::resume_unwind(panic);
        }
    }
}

impl Drop for Chromium {
    fn drop(&mut self) {
        self.session = None;
        let _ = self.try_call("Browser.close", json!({}), Duration::from_secs(5));
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                break;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("--- chromium log ---\n{}", read_log(self.profile.path()));
        }
    }
}

fn read_log(profile: &Path) -> String {
    std::fs::read_to_string(profile.join("chromium.log")).unwrap_or_default()
}
