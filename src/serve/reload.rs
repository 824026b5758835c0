//! Live reload: the script injected into previewed pages and the events it listens to.
//!
//! The server sends one JSON message per rebuild: which pages changed (a tab reloads only if
//! its own page did), which stylesheets changed (swapped in place, no reload), or the errors
//! of a broken build (shown as an overlay over the last good page until fixed).
//!
//! A page carries the version of the build it was served from, and its script sends it back
//! when it connects: a rebuild that happened between serving the page and connecting (which
//! no broadcast can reach) is told to the tab first, as one message of everything that
//! changed since (see `state::Shared::greeting`).

use std::collections::BTreeSet;

use serde::Serialize;

use crate::diagnostic::Diagnostic;

/// Where the browser listens for rebuilds.
pub const EVENTS_PATH: &str = "/__dateline/events";

/// The script every previewed HTML page gets. It builds the overlay with `textContent` only,
/// so an error message can never inject markup.
const SCRIPT: &str = r#"<script data-dateline-reload>
(() => {
  const here = location.pathname.replace(/index\.html$/, "");
  const overlayId = "dateline-error-overlay";
  const clear = () => document.getElementById(overlayId)?.remove();
  const show = (errors) => {
    clear();
    const box = document.createElement("div");
    box.id = overlayId;
    box.setAttribute("role", "alert");
    box.style.cssText = "position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;font:15px/1.5 ui-monospace,monospace;padding:2rem";
    const title = document.createElement("h2");
    title.textContent = "The site could not be rebuilt";
    title.style.cssText = "font:bold 1.3rem system-ui,sans-serif;margin:0 0 1rem;color:#ff8a80";
    box.append(title);
    for (const error of errors) {
      const item = document.createElement("pre");
      item.className = "dateline-error";
      item.style.cssText = "white-space:pre-wrap;margin:0 0 1.2rem;padding:1rem;background:#2b2b2b;border-left:4px solid #ff5252";
      item.textContent = error.location + "\n" + error.message + (error.help ? "\nhelp: " + error.help : "");
      box.append(item);
    }
    document.body.append(box);
  };
  const refreshStyles = (paths) => {
    for (const link of document.querySelectorAll('link[rel="stylesheet"]')) {
      const url = new URL(link.href, location.href);
      if (paths.includes(url.pathname)) {
        url.searchParams.set("dateline", Date.now());
        link.href = url.pathname + url.search;
      }
    }
  };
  const events = new EventSource("__EVENTS__?since=__VERSION__");
  events.onmessage = (message) => {
    const event = JSON.parse(message.data);
    if (event.kind === "error") return show(event.errors);
    clear();
    if (event.pages.includes("*") || event.pages.includes(here)) return location.reload();
    refreshStyles(event.styles);
  };
})();
</script>
"#;

/// Adds the reload script before `</body>`, or at the end if the page has none. `version` is
/// the build the page comes from (a `state::Version`, whose text needs no escaping).
pub fn inject(html: &str, version: &str) -> String {
    let script = SCRIPT
        .replace("__EVENTS__", EVENTS_PATH)
        .replace("__VERSION__", version);
    match html.rfind("</body>") {
        Some(index) => format!("{}{script}{}", &html[..index], &html[index..]),
        None => format!("{html}{script}"),
    }
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
enum Message<'a> {
    Reload {
        pages: &'a BTreeSet<String>,
        styles: &'a BTreeSet<String>,
    },
    Error {
        errors: Vec<ErrorView<'a>>,
    },
}

#[derive(Serialize)]
struct ErrorView<'a> {
    location: String,
    message: &'a str,
    help: Option<&'a str>,
}

/// What one or more rebuilds changed, as open tabs see it: HTML pages by URL (`*` for every
/// page) and stylesheets to swap.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Change {
    pages: BTreeSet<String>,
    styles: BTreeSet<String>,
}

impl Change {
    /// The change of a rebuild that changed `paths` (output files): HTML pages by URL, CSS
    /// files to swap, and `*` (reload every tab) when anything else changed, such as an image.
    pub fn of(paths: &[String], base_path: &str) -> Change {
        let mut change = Change::default();
        for path in paths {
            if path.ends_with(".css") {
                change.styles.insert(format!("{base_path}/{path}"));
            } else if let Some(page) = path.strip_suffix("index.html") {
                change.pages.insert(format!("{base_path}/{page}"));
            } else if path.ends_with(".html") {
                change.pages.insert(format!("{base_path}/{path}"));
            } else if !is_unseen(path) {
                change.pages.insert("*".to_string());
            }
        }
        change
    }

    /// Every page: for a tab whose build is unknown (too old to be remembered, or from
    /// before the server was restarted).
    pub fn everything() -> Change {
        Change {
            pages: BTreeSet::from(["*".to_string()]),
            styles: BTreeSet::new(),
        }
    }

    /// Adds what a later rebuild changed.
    pub fn add(&mut self, later: &Change) {
        self.pages.extend(later.pages.iter().cloned());
        self.styles.extend(later.styles.iter().cloned());
    }

    pub fn is_empty(&self) -> bool {
        self.pages.is_empty() && self.styles.is_empty()
    }

    /// The event that tells tabs about this change.
    pub fn message(&self) -> String {
        json(&Message::Reload {
            pages: &self.pages,
            styles: &self.styles,
        })
    }
}

/// Feeds and sitemaps change with every headline edit but no open tab shows them.
fn is_unseen(path: &str) -> bool {
    path.ends_with(".xml") || path.ends_with(".txt") || path.ends_with(".json")
}

/// The message that shows `errors` as an overlay.
pub fn failed(errors: &[Diagnostic]) -> String {
    json(&Message::Error {
        errors: errors
            .iter()
            .filter(|d| d.is_error())
            .map(|d| ErrorView {
                location: d.location(),
                message: &d.message,
                help: d.help.as_deref(),
            })
            .collect(),
    })
}

fn json(message: &Message<'_>) -> String {
    serde_json::to_string(message).unwrap_or_else(|_| "{}".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_goes_before_the_closing_body_tag() {
        let html = inject("<html><body><p>x</p></body></html>", "1f-3");
        assert!(html.contains("<p>x</p><script data-dateline-reload>"));
        assert!(html.contains("\"/__dateline/events?since=1f-3\""), "{html}");
        assert!(html.ends_with("</body></html>"));
        assert!(inject("<p>no body</p>", "1f-3").contains("data-dateline-reload"));
    }

    #[test]
    fn changed_pages_styles_and_assets_are_told_apart() {
        let paths: Vec<String> = ["index.html", "world/a/index.html", "style.css", "feed.xml"]
            .map(String::from)
            .to_vec();
        let message: serde_json::Value =
            serde_json::from_str(&Change::of(&paths, "").message()).unwrap();
        assert_eq!(message["pages"], serde_json::json!(["/", "/world/a/"]));
        assert_eq!(message["styles"], serde_json::json!(["/style.css"]));
        let image = Change::of(&["world/a/photo.jpg".to_string()], "").message();
        assert!(image.contains("\"*\""));
    }

    #[test]
    fn changes_of_several_rebuilds_add_up_without_repeats() {
        let mut change = Change::of(&["a/index.html".to_string()], "");
        change.add(&Change::of(
            &["a/index.html".to_string(), "style.css".to_string()],
            "",
        ));
        let message: serde_json::Value = serde_json::from_str(&change.message()).unwrap();
        assert_eq!(message["pages"], serde_json::json!(["/a/"]));
        assert_eq!(message["styles"], serde_json::json!(["/style.css"]));
        assert!(Change::default().is_empty());
        assert!(Change::everything().message().contains("\"*\""));
    }

    #[test]
    fn errors_carry_location_message_and_help() {
        let error = Diagnostic::error("content/a.md", "bad <b>")
            .at(2, 1)
            .with_help("fix it");
        let message: serde_json::Value = serde_json::from_str(&failed(&[error])).unwrap();
        assert_eq!(message["kind"], "error");
        assert_eq!(message["errors"][0]["location"], "content/a.md:2:1");
        assert_eq!(message["errors"][0]["message"], "bad <b>");
    }
}
