//! One bad input per kind of error a user's file can cause, with the message and the
//! `file:line:col` it must be reported at, run through the real binary. A change of wording
//! shows up here for review: every message says what happened, where, and (in its help) what
//! to do.

use crate::harness::{Site, json_diagnostics, json_location};

/// A small site that builds: one story in the World section.
const CONFIG: &str = "title = \"G\"\nbase_url = \"https://g.example/\"\nsections = [\"World\"]\n";
const GOOD_STORY: &str = "---\nheadline: H\ndek: D\ndate: 2025-05-01\n---\nText.\n";
/// A whole 1×1 GIF: an image, but not one Dateline re-encodes, under a JPEG or PNG name.
const GIF: &[u8] =
    b"GIF89a\x01\x00\x01\x00\x00\x00\x00,\x00\x00\x00\x00\x01\x00\x01\x00\x00\x02\x00;";

struct Case {
    kind: &'static str,
    /// Files written over the good site; `None` removes the file or folder.
    files: &'static [(&'static str, Option<&'static [u8]>)],
    message: &'static str,
    location: &'static str,
}

const CASES: &[Case] = &[
    Case {
        kind: "config unknown key",
        files: &[("site.toml", Some("title = \"G\"\nbase_url = \"https://g.example/\"\nsections = [\"World\"]\ntimezon = \"UTC\"\n".as_bytes()))],
        message: "unknown key `timezon` in site.toml",
        location: "site.toml:4:1",
    },
    Case {
        kind: "config wrong type",
        files: &[("site.toml", Some("title = 3\nbase_url = \"https://g.example/\"\n".as_bytes()))],
        message: "`title` must be text in double quotes",
        location: "site.toml:1:9",
    },
    Case {
        kind: "config missing title",
        files: &[("site.toml", Some("base_url = \"https://g.example/\"\n".as_bytes()))],
        message: "`title` is missing",
        location: "site.toml:1:1",
    },
    Case {
        kind: "config toml syntax",
        files: &[("site.toml", Some("title = \"G\"\nbase_url = \"https://g.example/\"\nsections = [\"World\"]\ntagline = \"x\n".as_bytes()))],
        message: "`tagline`: invalid basic string, expected `\"`",
        location: "site.toml:4:13",
    },
    Case {
        kind: "config bad timezone",
        files: &[("site.toml", Some("title = \"G\"\nbase_url = \"https://g.example/\"\nsections = [\"World\"]\ntimezone = \"Mars/Olympus\"\n".as_bytes()))],
        message: "unknown time zone `Mars/Olympus`",
        location: "site.toml:4:1",
    },
    Case {
        kind: "config bad base_url",
        files: &[("site.toml", Some("title = \"G\"\nbase_url = \"g.example\"\n".as_bytes()))],
        message: "`base_url` must start with http:// or https://, not `g.example`",
        location: "site.toml:2:1",
    },
    Case {
        kind: "config bad permalink",
        files: &[("site.toml", Some("title = \"G\"\nbase_url = \"https://g.example/\"\nsections = [\"World\"]\npermalink = \"/:sektion/:slug/\"\n".as_bytes()))],
        message: "unknown placeholder `:sektion` in the permalink pattern",
        location: "site.toml:4:1",
    },
    Case {
        kind: "config paginate 0",
        files: &[("site.toml", Some("title = \"G\"\nbase_url = \"https://g.example/\"\nsections = [\"World\"]\npaginate = 0\n".as_bytes()))],
        message: "`paginate` must be at least 1",
        location: "site.toml:4:1",
    },
    Case {
        kind: "no site.toml",
        files: &[("site.toml", None)],
        message: "site.toml does not exist: this folder is not a Dateline site",
        location: "site.toml",
    },
    Case {
        kind: "no content",
        files: &[("content", None)],
        message: "the site has no content/ folder",
        location: "content",
    },
    Case {
        kind: "unknown theme",
        files: &[("site.toml", Some("title = \"G\"\nbase_url = \"https://g.example/\"\nsections = [\"World\"]\ntheme = \"nope\"\n".as_bytes()))],
        message: "the theme `nope` does not exist",
        location: "site.toml",
    },
    Case {
        kind: "template syntax",
        files: &[("templates/story.html", Some("<p>\n{{ story.headline }\n".as_bytes()))],
        message: "template error: Found `}` but expected }}.",
        location: "templates/story.html:2:19",
    },
    Case {
        kind: "template missing",
        files: &[("themes/mine/templates/index.html", Some("x".as_bytes())), ("site.toml", Some("title = \"G\"\nbase_url = \"https://g.example/\"\nsections = [\"World\"]\ntheme = \"mine\"\n".as_bytes()))],
        message: "the theme has no `404.html` template",
        location: "templates",
    },
    Case {
        kind: "not utf8",
        files: &[("content/world/a.md", Some(b"---\nheadline: \xff\n---\n"))],
        message: "the file is not UTF-8 text: it looks saved in the older Windows \"Western\" encoding, where this byte is `ÿ`",
        location: "content/world/a.md:2:11",
    },
    Case {
        kind: "empty file",
        files: &[("content/world/a.md", Some("".as_bytes()))],
        message: "the file is empty",
        location: "content/world/a.md",
    },
    Case {
        kind: "no front matter",
        files: &[("content/world/a.md", Some("headline: H\n".as_bytes()))],
        message: "the file does not start with front matter (a `---` line)",
        location: "content/world/a.md:1:1",
    },
    Case {
        kind: "never closed",
        files: &[("content/world/a.md", Some("---\nheadline: H\n".as_bytes()))],
        message: "the front matter is never closed: add a `---` line after it",
        location: "content/world/a.md:1:1",
    },
    Case {
        kind: "yaml syntax",
        files: &[("content/world/a.md", Some("---\nheadline: \"unclosed\ndate: 2025-05-01\n---\nText.\n".as_bytes()))],
        message: "the quote opened at 2:11 is never closed",
        location: "content/world/a.md:2:11",
    },
    Case {
        kind: "unknown key",
        files: &[("content/world/a.md", Some("---\nhedline: H\ndate: 2025-05-01\n---\nText.\n".as_bytes()))],
        message: "unknown front matter key `hedline`",
        location: "content/world/a.md:2:1",
    },
    Case {
        kind: "unknown photo key",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nphoto:\n  src: a.jpg\n  alt: A\n  credt: X\n---\nText.\n".as_bytes()))],
        message: "unknown photo key `credt`",
        location: "content/world/a.md:8:3",
    },
    Case {
        kind: "unknown correction key",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\ncorrections:\n  - date: 2025-05-02\n    txt: X\n---\nText.\n".as_bytes()))],
        message: "unknown correction key `txt`",
        location: "content/world/a.md:7:5",
    },
    Case {
        kind: "wrong type",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\ntags: {a: 1}\n---\nText.\n".as_bytes()))],
        message: "`tags` should be a list, e.g. `tags: [Ukraine, Diplomacy]`",
        location: "content/world/a.md:5:7",
    },
    Case {
        kind: "wrong type draft",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\ndraft: maybe\n---\nText.\n".as_bytes()))],
        message: "`draft` should be `true` or `false`",
        location: "content/world/a.md:5:8",
    },
    Case {
        kind: "no headline",
        files: &[("content/world/a.md", Some("---\ndate: 2025-05-01\n---\nText.\n".as_bytes()))],
        message: "the front matter has no `headline`",
        location: "content/world/a.md:1:1",
    },
    Case {
        kind: "empty headline",
        files: &[("content/world/a.md", Some("---\nheadline: \"\"\ndate: 2025-05-01\n---\nText.\n".as_bytes()))],
        message: "the headline is empty",
        location: "content/world/a.md:2:11",
    },
    Case {
        kind: "no date",
        files: &[("content/world/a.md", Some("---\nheadline: H\n---\nText.\n".as_bytes()))],
        message: "the story has no `date`",
        location: "content/world/a.md:1:1",
    },
    Case {
        kind: "bad date",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndate: 2025-13-01\n---\nText.\n".as_bytes()))],
        message: "`date` is not a valid date: `2025-13-01`",
        location: "content/world/a.md:3:7",
    },
    Case {
        kind: "bad updated",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nupdated: soon\n---\nText.\n".as_bytes()))],
        message: "`updated` is not a valid date: `soon`",
        location: "content/world/a.md:5:10",
    },
    Case {
        kind: "unknown layout",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nlayout: gallery\n---\nText.\n".as_bytes()))],
        message: "unknown layout `gallery`",
        location: "content/world/a.md:5:9",
    },
    Case {
        kind: "slug no letters",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nslug: \"!!\"\n---\nText.\n".as_bytes()))],
        message: "the slug `!!` has no letters or digits",
        location: "content/world/a.md:5:7",
    },
    Case {
        kind: "photo no src",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nphoto:\n  alt: A\n---\nText.\n".as_bytes()))],
        message: "the photo has no `src`",
        location: "content/world/a.md:6:3",
    },
    Case {
        kind: "photo no alt",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nphoto:\n  src: a.jpg\n---\nText.\n".as_bytes()))],
        message: "the photo has no `alt` text",
        location: "content/world/a.md:6:3",
    },
    Case {
        kind: "photo script",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nphoto: {src: \"javascript:alert(1)\", alt: A}\n---\nText.\n".as_bytes()))],
        message: "the photo source `javascript:alert(1)` is not an image URL",
        location: "content/world/a.md:5:14",
    },
    Case {
        kind: "photo missing",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nphoto: {src: nope.jpg, alt: A, credit: C}\n---\nText.\n".as_bytes()))],
        message: "the photo `nope.jpg` does not exist",
        location: "content/world/a.md:5:8",
    },
    Case {
        kind: "photo not an image",
        files: &[
            ("content/world/a/index.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nphoto: {src: photo.jpg, alt: A, credit: C}\n---\nText.\n".as_bytes())),
            ("content/world/a/photo.jpg", Some(GIF)),
        ],
        message: "the photo `content/world/a/photo.jpg` cannot be published: it is not a JPEG, PNG or WebP image",
        location: "content/world/a/index.md:5:8",
    },
    Case {
        kind: "correction no date",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\ncorrections:\n  - text: X\n---\nText.\n".as_bytes()))],
        message: "the correction has no `date`",
        location: "content/world/a.md:6:5",
    },
    Case {
        kind: "correction no text",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\ncorrections:\n  - date: 2025-05-02\n---\nText.\n".as_bytes()))],
        message: "the correction has no `text`",
        location: "content/world/a.md:6:5",
    },
    Case {
        kind: "correction bad date",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\ncorrections:\n  - {date: tomorrow, text: X}\n---\nText.\n".as_bytes()))],
        message: "`date` is not a valid date: `tomorrow`",
        location: "content/world/a.md:6:12",
    },
    Case {
        kind: "redirect not site",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nredirect_from: [old/]\n---\nText.\n".as_bytes()))],
        message: "`redirect_from` path `old/` must start with `/`: it is a path on this site",
        location: "content/world/a.md:5:17",
    },
    Case {
        kind: "redirect clash",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nredirect_from: [/world/]\n---\nText.\n".as_bytes()))],
        message: "the redirect from /world/ would replace another file",
        location: "content/world/a.md:5:17",
    },
    Case {
        kind: "file name no slug",
        files: &[("content/world/¿.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\n---\nText.\n".as_bytes()))],
        message: "cannot make a URL from this file name",
        location: "content/world/¿.md",
    },
    Case {
        kind: "no section",
        files: &[("content/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\n---\nText.\n".as_bytes()))],
        message: "the story has no section",
        location: "content/a.md:2:11",
    },
    Case {
        kind: "duplicate url",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nslug: same\n---\nText.\n".as_bytes())), ("content/world/b.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\nslug: same\n---\nText.\n".as_bytes()))],
        message: "two files would be published at /world/2025/05/same/",
        location: "content/world/a.md:5:7",
    },
    Case {
        kind: "reserved url",
        files: &[("content/tags.md", Some("---\nheadline: Tags\nlayout: page\n---\nText.\n".as_bytes()))],
        message: "two files would be published at /tags/",
        location: "content/tags.md:2:11",
    },
    Case {
        kind: "image missing",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\n---\nText.\n\n![A](nope.jpg)\n".as_bytes()))],
        message: "the image `nope.jpg` does not exist",
        location: "content/world/a.md:8:1",
    },
    Case {
        kind: "image not an image",
        files: &[
            ("content/world/a/index.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\n---\nText.\n\n![A](map.png)\n".as_bytes())),
            ("content/world/a/map.png", Some(GIF)),
        ],
        message: "the image `content/world/a/map.png` cannot be published: it is not a JPEG, PNG or WebP image",
        location: "content/world/a/index.md:8:1",
    },
    Case {
        kind: "image script",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\n---\nText.\n\n![A](javascript:alert(1))\n".as_bytes()))],
        message: "the image source `javascript:alert(1)` is not an image URL",
        location: "content/world/a.md:8:1",
    },
    Case {
        kind: "link missing",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\n---\nSee [this](other.md).\n".as_bytes()))],
        message: "the link `other.md` points to a file that does not exist",
        location: "content/world/a.md:6:5",
    },
    Case {
        kind: "link unpublished",
        files: &[("content/world/a.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\n---\nSee [this](b.md).\n".as_bytes())), ("content/world/b.md", Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\ndraft: true\n---\nText.\n".as_bytes()))],
        message: "the link `b.md` points to a story that is not published",
        location: "content/world/a.md:6:5",
    },
    Case {
        kind: "tag without letters",
        files: &[(
            "content/world/a.md",
            Some("---\nheadline: H\ndek: D\ndate: 2025-05-01\ntags: [\"¿?\"]\n---\nText.\n".as_bytes()),
        )],
        message: "the tag `¿?` has no letters or digits, so it cannot have a page",
        location: "content/world/a.md:5:7",
    },
    Case {
        kind: "two redirects from one path",
        files: &[
            (
                "content/world/a.md",
                Some("---\nheadline: A\ndek: D\ndate: 2025-05-01\nredirect_from: [/old/]\n---\nText.\n".as_bytes()),
            ),
            (
                "content/world/b.md",
                Some("---\nheadline: B\ndek: D\ndate: 2025-05-02\nredirect_from: [/old]\n---\nText.\n".as_bytes()),
            ),
        ],
        message: "the redirect from /old/ would replace another file",
        // Stories are taken newest first: the older one is told of the clash.
        location: "content/world/a.md:5:17",
    },
];

#[test]
fn every_error_kind_has_its_message_and_location() {
    let mut wrong = Vec::new();
    for case in CASES {
        let site = Site::with_config(CONFIG);
        site.file("content/world/ok.md", GOOD_STORY);
        for (path, contents) in case.files {
            let full = site.root().join(path);
            match contents {
                Some(bytes) => {
                    std::fs::create_dir_all(full.parent().unwrap()).unwrap();
                    std::fs::write(&full, bytes).unwrap();
                }
                None if full.is_dir() => std::fs::remove_dir_all(&full).unwrap(),
                None => std::fs::remove_file(&full).unwrap(),
            }
        }
        let (code, report) = site.check_json(&[]);
        let first = json_diagnostics(&report)
            .iter()
            .find(|d| d["severity"] == "error");
        let Some(first) = first else {
            wrong.push(format!("{}: no error (exit {code})", case.kind));
            continue;
        };
        let found = (
            first["message"].as_str().unwrap_or(""),
            json_location(first),
        );
        if code != 1 || found != (case.message, case.location.to_string()) {
            wrong.push(format!(
                "{}: expected {} at {}, found {:?} (exit {code})",
                case.kind, case.message, case.location, found
            ));
        }
        if first["help"].as_str().is_none_or(str::is_empty) {
            wrong.push(format!("{}: no help says what to do", case.kind));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}
