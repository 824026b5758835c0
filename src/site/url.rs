//! Small facts about URLs written by users, shared by Markdown, photos and templates.

/// `javascript:`, `vbscript:` and `data:` URLs run code or smuggle content; a photo or link from
/// front matter must never be one. Browsers ignore case, spaces and control characters here.
pub fn is_script_url(url: &str) -> bool {
    let scheme: String = url
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(11)
        .collect::<String>()
        .to_ascii_lowercase();
    ["javascript:", "vbscript:", "data:"]
        .iter()
        .any(|s| scheme.starts_with(s))
}

/// True for URLs with a scheme (`https:`, `mailto:`) or protocol-relative ones (`//cdn`).
pub fn is_external(url: &str) -> bool {
    if url.starts_with("//") {
        return true;
    }
    // A scheme starts with a letter (RFC 3986); paths, the common case, stop here.
    if !url.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return false;
    }
    match url.find(':') {
        Some(colon) => {
            let scheme = &url[..colon];
            !scheme.is_empty()
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn script_urls_are_recognised_in_disguise() {
        assert!(is_script_url("javascript:alert(1)"));
        assert!(is_script_url(" JavaScript:alert(1)"));
        assert!(is_script_url("java\tscript:alert(1)"));
        assert!(is_script_url("data:text/html,x"));
        assert!(!is_script_url("photo.jpg"));
        assert!(!is_script_url("https://example.org/a.jpg"));
    }

    #[test]
    fn external_urls_have_a_scheme() {
        assert!(is_external("https://example.org"));
        assert!(is_external("mailto:desk@example.org"));
        assert!(is_external("//cdn.example.org/x.js"));
        assert!(!is_external("../world/talks.md"));
        assert!(!is_external("photo.jpg"));
        assert!(!is_external("/images/a.jpg"));
        assert!(!is_external("1a:b"));
    }
}
