//! Routes: where each thing of the site lives, as a URL path and as an output file. Every
//! URL Dateline makes comes from here (story permalinks from `site.permalink`, see
//! [`crate::site::permalink`]): moving author pages is a change to this file alone.

/// The front page.
pub const FRONT: &str = "/";
/// The page that lists every tag.
pub const TAGS: &str = "/tags/";
/// The site's corrections page.
pub const CORRECTIONS: &str = "/corrections/";
/// The search page, with the search index in `index/` below it.
pub const SEARCH: &str = "/search/";
/// The theme's stylesheet.
pub const STYLESHEET: &str = "/style.css";
/// The page a static host shows for an address that has none.
pub const NOT_FOUND: &str = "/404.html";
/// The folder photos are published in at each of their sizes (`/img/<hash>-800.webp`).
pub const IMAGES: &str = "img";
/// The stylesheet of highlighted code, published when a story has code.
pub const CODE_STYLESHEET: &str = "syntax.css";
/// The first segments of the listing routes above, which no section may take: `/tags/`,
/// `/authors/x/`, `/world/page/2/`, `/corrections/`, `/search/`.
pub const RESERVED_SEGMENTS: &[&str] = &["tags", "authors", "page", "corrections", "search"];
/// The file name of every RSS feed, under its listing's route.
pub const RSS: &str = "feed.xml";
/// The site's JSON Feed, at the root.
pub const JSON_FEED: &str = "feed.json";
/// The sitemap, the Google News sitemap and robots.txt, at the root.
pub const SITEMAP: &str = "sitemap.xml";
pub const NEWS_SITEMAP: &str = "news-sitemap.xml";
pub const ROBOTS: &str = "robots.txt";

/// What a group of stories is grouped by; each kind has listing pages and feeds of its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum GroupKind {
    Section,
    Tag,
    Author,
}

impl GroupKind {
    /// The listing page of the group with `slug`: `/world/`, `/tags/x/`, `/authors/x/`.
    pub fn route(self, slug: &str) -> String {
        match self {
            GroupKind::Section => format!("/{slug}/"),
            GroupKind::Tag => format!("/tags/{slug}/"),
            GroupKind::Author => format!("/authors/{slug}/"),
        }
    }
}

/// Page `number` of the listing at `base`: page 1 is `base` itself, later pages `page/N/`
/// below it.
pub fn page(base: &str, number: usize) -> String {
    if number <= 1 {
        base.to_string()
    } else {
        format!("{base}page/{number}/")
    }
}

/// The RSS feed of the listing at `route`: `/world/feed.xml`.
pub fn rss(route: &str) -> String {
    format!("{route}{RSS}")
}

/// The output file of a route: `/world/` -> `world/index.html`, `/` -> `index.html`.
pub fn route_file(route: &str) -> String {
    let trimmed = route.trim_start_matches('/');
    if trimmed.is_empty() || trimmed.ends_with('/') {
        format!("{trimmed}index.html")
    } else {
        trimmed.to_string()
    }
}

/// Checks an old address written in front matter and puts it in the form routes have:
/// `/old/path` becomes `/old/path/` (as Hugo and Zola treat aliases), `/old.html` stays.
/// The error says what is wrong with the path, to follow "`redirect_from` path `x` ".
pub fn normalize_path(path: &str) -> Result<String, &'static str> {
    let path = path.trim();
    if crate::site::url::is_external(path) {
        return Err("is a full address: give only the path on this site, starting with `/`");
    }
    if !path.starts_with('/') {
        return Err("must start with `/`: it is a path on this site");
    }
    if path.contains(['?', '#']) {
        return Err("cannot have a query (`?`) or fragment (`#`)");
    }
    if path.contains(|c: char| c.is_whitespace() || c.is_control() || c == '\\') {
        return Err("cannot contain spaces, control characters or backslashes");
    }
    let segments: Vec<&str> = path[1..].split('/').collect();
    let last = segments.len() - 1;
    for (i, segment) in segments.iter().enumerate() {
        if *segment == "." || *segment == ".." {
            return Err("cannot contain `.` or `..` segments");
        }
        if segment.is_empty() && i != last {
            return Err("cannot contain empty segments (`//`)");
        }
    }
    let file_like = segments[last].ends_with(".html") || segments[last].ends_with(".htm");
    if path.ends_with('/') || file_like {
        Ok(path.to_string())
    } else {
        Ok(format!("{path}/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_and_their_pages_have_one_route_each() {
        assert_eq!(GroupKind::Section.route("world"), "/world/");
        assert_eq!(GroupKind::Tag.route("nato"), "/tags/nato/");
        assert_eq!(GroupKind::Author.route("ana-lopes"), "/authors/ana-lopes/");
        assert_eq!(page("/world/", 1), "/world/");
        assert_eq!(page("/world/", 3), "/world/page/3/");
        assert_eq!(rss("/tags/nato/"), "/tags/nato/feed.xml");
    }

    #[test]
    fn routes_become_index_files() {
        assert_eq!(route_file("/"), "index.html");
        assert_eq!(
            route_file("/world/2025/05/talks/"),
            "world/2025/05/talks/index.html"
        );
        assert_eq!(route_file("/feed.xml"), "feed.xml");
    }

    #[test]
    fn site_paths_are_normalised_like_aliases() {
        assert_eq!(normalize_path("/old/path/").unwrap(), "/old/path/");
        assert_eq!(normalize_path(" /old/path ").unwrap(), "/old/path/");
        assert_eq!(
            normalize_path("/2024/story.html").unwrap(),
            "/2024/story.html"
        );
        assert_eq!(normalize_path("/élections/").unwrap(), "/élections/");
    }

    #[test]
    fn anything_but_a_site_path_is_refused() {
        for bad in [
            "old/path/",
            "https://example.org/old/",
            "//cdn.example.org/old/",
            "/old/?page=2",
            "/old/#top",
            "/old path/",
            "/a/../b/",
            "/a//b/",
            "javascript:alert(1)",
            "",
        ] {
            assert!(normalize_path(bad).is_err(), "{bad} was accepted");
        }
    }
}
