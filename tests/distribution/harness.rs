//! Fixture sites in temporary folders, built with the `dateline` binary.

use std::path::{Path, PathBuf};

use assert_cmd::cargo::cargo_bin_cmd;
use image::ImageFormat;
use tempfile::TempDir;

use crate::images;

/// The time every fixture is built at, so that output never depends on the clock.
pub const NOW: &str = "2025-06-01T00:00:00Z";

/// Text that breaks naive HTML, XML, JSON and script output all at once.
pub const HOSTILE: &str = "\"Quotes\" & <b>tags</b> </script><script>alert(1)</script> 🚀";
pub const HOSTILE_DEK: &str = "A dek with \"quotes\" & <i>markup</i> </script> 🚀";
pub const HOSTILE_ALT: &str = "Alt \"text\" & <img> </script> 🚀";
pub const HOSTILE_CREDIT: &str = "Credit & \"Co\" <Photo> 🚀";
pub const SITE_TITLE: &str = "Gazette & \"Friends\" <News>";
pub const LONG_HEADLINE: &str = "Negotiators from both sides agree on a framework for further \
    talks on prisoner exchanges, humanitarian corridors and a monitored ceasefire";

/// The address of the fixture site; its base path makes every URL rule visible.
pub const BASE: &str = "https://news.example.org/gazette";

/// A site in a temporary folder.
pub struct Site {
    dir: TempDir,
}

impl Site {
    pub fn empty() -> Site {
        // A visible folder name: tempfile's default (`.tmpXXXX`) is hidden, and Dateline ignores
        // hidden files and folders.
        let dir = tempfile::Builder::new()
            .prefix("dateline-distribution-")
            .tempdir()
            .expect("a temporary folder");
        Site { dir }
    }

    /// The newsroom most tests read: hostile text everywhere, a photo with a known size, one
    /// on another site (whose size is unknown), links of every kind, stories inside and outside
    /// the news window.
    pub fn newsroom() -> Site {
        Site::newsroom_with("")
    }

    /// [`Site::newsroom`] with more lines at the end of `site.toml`.
    pub fn newsroom_with(extra_config: &str) -> Site {
        let site = Site::empty();
        site.write(
            "site.toml",
            &format!(
                "title = {title}\nbase_url = \"{BASE}/\"\nlanguage = \"pt-BR\"\n\
                 timezone = \"Europe/Lisbon\"\nfeed_limit = 3\n\
                 description = \"Independent news & analysis.\"\n\
                 sections = [\"World\", \"Politics\"]\n\
                 [authors.\"Ana Sá\"]\nbio = \"Ana covers diplomacy.\"\nurl = \"https://ana.example/\"\n\
                 {extra_config}\n",
                title = toml_string(SITE_TITLE),
            ),
        );
        site.write_bytes("static/logo.png", &png_640_480());
        site.write(
            "content/world/hostile/index.md",
            &format!(
                "---\nheadline: {headline}\ndek: {dek}\ndate: 2025-05-20 12:00\n\
                 updated: 2025-05-21 08:00\nauthors: [\"Ana Sá\", \"Bob <Jones> & Co\"]\n\
                 tags: [Elections, \"Tom & Jerry\"]\nphoto:\n  src: photo.jpg\n  alt: {alt}\n  \
                 credit: {credit}\n---\n\
                 First paragraph with [a link home](/gazette/about/) and **bold** text.\n\n\
                 See [the vote](../../politics/vote.md), [the notes](#notes) and \
                 [elsewhere](https://other.example/x?a=1&b=2).\n\n\
                 ![A chart](chart.png)\n\n\
                 <p><a href=\"/gazette/raw/\">raw link</a> <img src='/gazette/raw.png' alt=\"\"></p>\n\n\
                 Write `<a href=\"/not-a-link\">` to make a link.\n\n\
                 ## Notes\n\nThe end: {body}\n",
                headline = yaml_string(HOSTILE),
                dek = yaml_string(HOSTILE_DEK),
                alt = yaml_string(HOSTILE_ALT),
                credit = yaml_string(HOSTILE_CREDIT),
                body = HOSTILE.replace('<', "&lt;"),
            ),
        );
        site.copy_example(
            "content/world/istanbul-talks/photo.jpg",
            "content/world/hostile/photo.jpg",
        );
        site.write_bytes("content/world/hostile/chart.png", &png_640_480());
        site.write(
            "content/politics/vote.md",
            "---\nheadline: Parliament votes\ndate: 2025-05-19 09:00\nauthor: \"Bob <Jones> & Co\"\n\
             tags: [Elections]\n---\nThe vote passed.\n",
        );
        site.write(
            "content/politics/old.md",
            &format!(
                "---\nheadline: {}\ndate: 2025-05-18 11:59\nauthor: Ana Sá\n---\nOlder news.\n",
                yaml_string(LONG_HEADLINE)
            ),
        );
        site.write(
            "content/world/wire.md",
            &format!(
                "---\nheadline: A photo from the wire\ndate: 2025-05-01 10:00\n\
                 photo:\n  src: {WIRE_PHOTO}\n  alt: A crowd\n---\nBody.\n"
            ),
        );
        site.write(
            "content/about.md",
            "---\nheadline: About us\nlayout: page\n---\nWho we are.\n",
        );
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn write(&self, path: &str, text: &str) {
        self.write_bytes(path, text.as_bytes());
    }

    pub fn write_bytes(&self, path: &str, bytes: &[u8]) {
        let path = self.root().join(path);
        std::fs::create_dir_all(path.parent().expect("a parent folder")).expect("a folder");
        std::fs::write(path, bytes).expect("a written file");
    }

    /// Copies a file of the repository's example site into the fixture.
    fn copy_example(&self, from: &str, to: &str) {
        let from = Path::new(env!("CARGO_MANIFEST_DIR")).join(from);
        let bytes = std::fs::read(&from).expect("the example site's photo");
        self.write_bytes(to, &bytes);
    }

    /// Builds the site into `public/`, asserting that it fails; returns standard error.
    pub fn build_failure(&self) -> String {
        let output = cargo_bin_cmd!("dateline")
            .args(["build", "--now", NOW, "--root"])
            .arg(self.root())
            .env("NO_COLOR", "1")
            .output()
            .expect("dateline runs");
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(1), "{stderr}");
        stderr
    }

    /// Builds the site into `public/`, asserting success; the result keeps the folder alive.
    pub fn build(self) -> Built {
        let output = cargo_bin_cmd!("dateline")
            .args(["build", "--now", NOW, "--root"])
            .arg(self.root())
            .output()
            .expect("dateline runs");
        assert!(
            output.status.success(),
            "the build failed:\n{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        Built {
            public: self.root().join("public"),
            _site: self,
        }
    }
}

/// A built site's `public/` folder.
pub struct Built {
    public: PathBuf,
    _site: Site,
}

impl Built {
    pub fn read(&self, path: &str) -> String {
        let path = self.public.join(path);
        std::fs::read_to_string(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
    }

    pub fn exists(&self, path: &str) -> bool {
        self.public.join(path).is_file()
    }
}

/// The output file of the hostile story's page.
pub const HOSTILE_PAGE: &str = "world/2025/05/hostile/index.html";
pub const HOSTILE_URL: &str = "https://news.example.org/gazette/world/2025/05/hostile/";

/// A double-quoted YAML string with `"` and `\` escaped.
pub fn yaml_string(text: &str) -> String {
    format!("\"{}\"", text.replace('\\', "\\\\").replace('"', "\\\""))
}

/// A TOML basic string.
pub fn toml_string(text: &str) -> String {
    yaml_string(text)
}

/// The lead photo of a story, on another site: its size is not known.
pub const WIRE_PHOTO: &str = "https://wire.example.net/photos/crowd.jpg";

/// A whole 640×480 PNG (every local image is decoded, so a header alone would be an error).
pub fn png_640_480() -> Vec<u8> {
    images::encoded(ImageFormat::Png, 640, 480)
}

/// Text of an HTML fragment as a browser would show it (entities decoded, tags dropped).
pub fn html_text(fragment: &str) -> String {
    scraper::Html::parse_fragment(fragment)
        .root_element()
        .text()
        .collect()
}
