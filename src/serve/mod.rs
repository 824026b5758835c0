//! `dateline serve`: build, serve from memory, watch, rebuild, and reload the browser.
//!
//! The preview never writes to `public/`: every build lives in memory. Pages show drafts and
//! scheduled stories (the theme marks them) and link to the server's own address.

pub mod http;
mod listen;
pub mod reload;
pub mod state;
pub mod watch;

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::build::{BuildOptions, Builder};
use crate::cmd::report::{from_working_dir, human};
use crate::cmd::{report_site, use_color};
use crate::serve::state::Shared;

/// How to run the preview server.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    pub build: BuildOptions,
    pub bind: IpAddr,
    pub port: u16,
    pub open: bool,
    /// Poll the disk instead of using OS events (WSL, Docker volumes, network drives).
    pub poll: bool,
    /// Host names, besides localhost, IP addresses and this machine's name, that the preview
    /// answers for (`--allowed-host`).
    pub allowed_hosts: Vec<String>,
}

/// How many ports after the asked one to try when it is taken.
const PORT_ATTEMPTS: u16 = 20;

/// Runs the server until Ctrl-C; returns the process exit code.
pub fn serve(options: ServeOptions) -> i32 {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("error: cannot start the server: {err}");
            return 1;
        }
    };
    match runtime.block_on(run(options)) {
        Ok(()) => 0,
        Err(message) => {
            eprintln!("error: {message}");
            1
        }
    }
}

async fn run(options: ServeOptions) -> Result<(), String> {
    let listener = bind(options.bind, options.port).await?;
    let address = listener
        .local_addr()
        .map_err(|err| format!("cannot read the server's address: {err}"))?;
    let url = format!("http://{}/", display_address(address));
    let mut build = options.build.clone();
    build.base_url = Some(url.clone());
    build.publishing.drafts = true;
    build.publishing.future = true;
    // File events name absolute paths: the root must be one too (`--root .` is the default).
    let root = build.root.canonicalize().map_err(|err| {
        format!(
            "cannot open the site folder {}: {err}",
            build.root.display()
        )
    })?;
    build.root = root.clone();

    let (watch, changes) = watch::watch(&root, options.poll)
        .map_err(|err| format!("cannot watch {} for changes: {err}", root.display()))?;
    let mut builder = Builder::new(build);
    let (builder, first) = tokio::task::spawn_blocking(move || {
        let result = builder.build();
        (builder, result)
    })
    .await
    .map_err(|err| format!("the first build stopped: {err}"))?;
    let (outputs, error, warnings) = match first {
        Ok(built) => {
            let warnings = built.warnings.sorted();
            if !warnings.is_empty() {
                let shown = from_working_dir(warnings.clone(), &root);
                eprint!("{}", human(&shown, use_color()));
            }
            (built.outputs, None, warnings)
        }
        Err(diagnostics) => {
            let sorted = diagnostics.clone().sorted();
            report_site(diagnostics, &root);
            (
                Default::default(),
                Some(reload::failed(&sorted)),
                Vec::new(),
            )
        }
    };
    let mut hosts = options.allowed_hosts.clone();
    hosts.extend(machine_name());
    let shared = Arc::new(Shared::new(hosts, root.clone(), outputs, error));
    let loop_shared = Arc::clone(&shared);
    std::thread::Builder::new()
        .name("rebuild".into())
        .spawn(move || watch::rebuild_loop(builder, loop_shared, watch, changes, warnings))
        .map_err(|err| format!("cannot start the rebuild thread: {err}"))?;

    println!("Serving {} at {url}", root.display());
    println!("Drafts and scheduled stories are shown. Watching for changes; press Ctrl-C to stop.");
    if options.open
        && let Err(err) = open::that(&url)
    {
        eprintln!("warning: cannot open a browser: {err}");
    }
    tokio::select! {
        () = listen::serve(listener, http::router(shared)) => {}
        _ = tokio::signal::ctrl_c() => println!("\nStopped."),
    }
    Ok(())
}

/// This machine's own name, which a colleague's browser on the newsroom's network may use to
/// reach a preview bound to `0.0.0.0`.
fn machine_name() -> Option<String> {
    ["/proc/sys/kernel/hostname", "/etc/hostname"]
        .iter()
        .find_map(|file| std::fs::read_to_string(file).ok())
        .or_else(|| std::env::var("HOSTNAME").ok())
        .map(|name| name.trim().to_string())
        .filter(|name| !name.is_empty())
}

/// Binds `port`, or the next free one, saying so when it had to move.
async fn bind(ip: IpAddr, port: u16) -> Result<TcpListener, String> {
    let mut last_error = None;
    for candidate in port..port.saturating_add(PORT_ATTEMPTS) {
        match TcpListener::bind(SocketAddr::new(ip, candidate)).await {
            Ok(listener) => {
                if candidate != port {
                    println!("Port {port} is in use; using {candidate} instead.");
                }
                return Ok(listener);
            }
            Err(err) => last_error = Some(err),
        }
        if port == 0 {
            break;
        }
    }
    Err(format!(
        "cannot listen on {ip} ports {port} to {}: {}",
        port.saturating_add(PORT_ATTEMPTS - 1),
        last_error.map_or_else(|| "unknown error".into(), |e| e.to_string())
    ))
}

/// `127.0.0.1:1111`, `[::1]:1111`; an unspecified bind address is shown as localhost.
fn display_address(address: SocketAddr) -> String {
    if address.ip().is_unspecified() {
        format!("localhost:{}", address.port())
    } else {
        address.to_string()
    }
}

#[cfg(fuzzing)]
/// What the preview read of one request, for the fuzz target (`crate::fuzzing::serve_request`).
#[derive(Debug)]
pub struct ServeRequest {
    pub key: Option<String>,
    pub range: http::Ranged,
    pub host_allowed: bool,
}

#[cfg(fuzzing)]
/// The request-reading steps of the preview on their own, for the fuzz target.
pub(crate) fn fuzz_request(path: &str, range: &str, length: u64, host: &str) -> ServeRequest {
    let mut headers = axum::http::HeaderMap::new();
    if let Ok(value) = axum::http::HeaderValue::from_str(host) {
        headers.insert(axum::http::header::HOST, value);
    }
    let shared = Shared::new(
        vec!["newsroom".into()],
        std::path::PathBuf::from("/site"),
        Default::default(),
        None,
    );
    ServeRequest {
        key: http::output_key(path),
        range: http::byte_range(range, length),
        host_allowed: shared.host_allowed(&headers),
    }
}
