//! Routes: where each thing of the site lives, as a URL path and as an output file.

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
