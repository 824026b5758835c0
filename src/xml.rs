//! What XML cannot hold: the characters XML 1.0 forbids anywhere, even escaped.
//!
//! Front matter and Markdown may carry control characters (a pasted form feed, a vertical tab
//! from a word processor). HTML shrugs them off, but one of them makes a whole feed or sitemap
//! not well-formed, and readers then drop every item. They carry no meaning in text, so they are
//! removed from XML output as it is written.

/// Whether XML 1.0 allows `c` (the `Char` production).
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// `text` without the characters XML 1.0 forbids (returned as it is when it has none).
pub fn without_forbidden_chars(text: String) -> String {
    if text.chars().all(allowed) {
        text
    } else {
        text.chars().filter(|&c| allowed(c)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_removed_and_the_rest_kept() {
        assert_eq!(
            without_forbidden_chars("Breaking\u{b}news\u{1}\tok\n🚀\u{FFFE}é".into()),
            "Breakingnews\tok\n🚀é"
        );
        assert_eq!(
            without_forbidden_chars("<a>plain</a> &amp;".into()),
            "<a>plain</a> &amp;"
        );
    }
}
