//! The `dateline` command line: parses arguments and hands over to the library.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};
use dateline::build::BuildOptions;
use dateline::cmd::check::CheckOptions;
use dateline::cmd::new::NewStory;
use dateline::cmd::report::Format;
use dateline::model::Publishing;

/// A fast, safe static site generator for news outlets.
#[derive(Parser)]
#[command(name = "dateline", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a new newsroom site: site.toml, an example story and a support page
    Init {
        /// The folder to create the site in
        #[arg(default_value = ".", value_name = "DIR")]
        dir: PathBuf,
    },
    /// Write a new story with its front matter filled in, as a draft, and print its path
    New {
        /// The story's headline; its slug names the file
        headline: String,
        /// The section (and folder under content/) [default: the first in site.toml]
        #[arg(long, short)]
        section: Option<String>,
        /// The byline
        #[arg(long, short, value_name = "NAME")]
        author: Option<String>,
        /// Make a story folder (<slug>/index.md) that can hold its photos
        #[arg(long)]
        folder: bool,
        /// The site's folder, holding site.toml and content/
        #[arg(long, short, value_name = "DIR", default_value = ".")]
        root: PathBuf,
    },
    /// Find every problem a build would, and newsroom style warnings, without writing anything
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// How to print the problems
        #[arg(long, value_enum, default_value_t = Format::Human)]
        format: Format,
        /// Fail (exit code 1) on warnings too
        #[arg(long)]
        deny_warnings: bool,
    },
    /// Build the site into public/ (or --output)
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Where to write the site [default: ROOT/public]
        #[arg(long, short, value_name = "DIR")]
        output: Option<PathBuf>,
        /// Print how long each stage took
        #[arg(long)]
        timings: bool,
    },
    /// Preview the site: build it in memory, serve it, rebuild and reload on every save
    ///
    /// Drafts and scheduled stories are always shown, and pages link to the server's own address.
    Serve {
        /// The site's folder, holding site.toml and content/
        #[arg(long, short, value_name = "DIR", default_value = ".")]
        root: PathBuf,
        /// The time to preview as of [default: now]
        #[arg(long, value_name = "RFC 3339")]
        now: Option<jiff::Timestamp>,
        /// The address to listen on
        #[arg(long, default_value = "127.0.0.1")]
        bind: std::net::IpAddr,
        /// The port to listen on (the next free one if it is taken)
        #[arg(long, short, default_value_t = 1111)]
        port: u16,
        /// Open the preview in the default browser
        #[arg(long)]
        open: bool,
        /// Poll for changes instead of using OS events (WSL, Docker, network drives)
        #[arg(long)]
        poll: bool,
        /// Also answer requests for this host name (repeatable); localhost, IP addresses and
        /// this machine's name always work
        #[arg(long, value_name = "NAME")]
        allowed_host: Vec<String>,
    },
}

#[derive(Args)]
struct SiteArgs {
    /// The site's folder, holding site.toml and content/
    #[arg(long, short, value_name = "DIR", default_value = ".")]
    root: PathBuf,
    /// Publish at this address instead of site.toml's base_url
    #[arg(long, value_name = "URL")]
    base_url: Option<String>,
    /// Include stories marked `draft: true`
    #[arg(long)]
    drafts: bool,
    /// Include stories dated in the future
    #[arg(long)]
    future: bool,
    /// The time to publish as of, for scheduled stories and reproducible builds [default: now]
    #[arg(long, value_name = "RFC 3339")]
    now: Option<jiff::Timestamp>,
}

impl SiteArgs {
    fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            base_url: self.base_url.clone(),
            publishing: Publishing {
                drafts: self.drafts,
                future: self.future,
                now: self.now.unwrap_or_else(jiff::Timestamp::now),
            },
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if !matches!(cli.command, Command::Serve { .. }) {
        end_quietly_on_a_closed_pipe();
    }
    let code = match &cli.command {
        Command::Init { dir } => dateline::cmd::init::init(dir),
        Command::New {
            headline,
            section,
            author,
            folder,
            root,
        } => dateline::cmd::new::new_story(&NewStory {
            root: root.clone(),
            headline: headline.clone(),
            section: section.clone(),
            author: author.clone(),
            folder: *folder,
        }),
        Command::Check {
            site,
            format,
            deny_warnings,
        } => dateline::cmd::check::check(&CheckOptions {
            build: site.options(),
            format: *format,
            deny_warnings: *deny_warnings,
        }),
        Command::Build {
            site,
            output,
            timings,
        } => dateline::cmd::build::build(&site.options(), output.as_deref(), *timings),
        Command::Serve {
            root,
            now,
            bind,
            port,
            open,
            poll,
            allowed_host,
        } => dateline::serve::serve(dateline::serve::ServeOptions {
            build: BuildOptions {
                root: root.clone(),
                base_url: None,
                publishing: Publishing {
                    drafts: true,
                    future: true,
                    now: now.unwrap_or_else(jiff::Timestamp::now),
                },
            },
            bind: *bind,
            port: *port,
            open: *open,
            poll: *poll,
            allowed_hosts: allowed_host.clone(),
        }),
    };
    ExitCode::from(u8::try_from(code).unwrap_or(1))
}

/// A reader that stops early (`dateline check --format json | head`) closes the pipe. Rust
/// ignores SIGPIPE, so the next `println!` would panic; with the signal's default back, the
/// command ends quietly, as other Unix tools do. Not for `serve`, whose sockets must survive a
/// browser that hangs up.
#[cfg(unix)]
fn end_quietly_on_a_closed_pipe() {
    // SAFETY: runs on the main thread before any other starts; SIG_DFL is a valid disposition
    // for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn end_quietly_on_a_closed_pipe() {}
