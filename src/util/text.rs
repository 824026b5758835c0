//! Text for people and for XML.

/// `1 story`, `3 stories`.
pub(crate) fn plural(count: usize, noun: &str) -> String {
    match (count, noun) {
        (1, _) => format!("1 {noun}"),
        (_, "story") => format!("{count} stories"),
        _ => format!("{count} {noun}s"),
    }
}

/// Drops the characters XML 1.0 cannot contain at all (most C0 controls, and the
/// noncharacters U+FFFE and U+FFFF), so that one stray control character in a story cannot make
/// a whole feed or sitemap unreadable.
pub(crate) fn xml_safe(text: String) -> String {
    let allowed = |c: char| {
        (!c.is_control() || matches!(c, '\t' | '\n' | '\r') || c > '\u{1f}')
            && !matches!(c, '\u{fffe}' | '\u{ffff}')
    };
    // Checked on bytes first, which is several times faster than decoding every character:
    // no C0 control byte, and no `BF BE`/`BF BF` pair that could end U+FFFE or U+FFFF.
    let bytes = text.as_bytes();
    let clean = bytes
        .iter()
        .all(|&b| b >= 0x20 || matches!(b, b'\t' | b'\n' | b'\r'))
        && !bytes.windows(2).any(|w| w[0] == 0xbf && w[1] >= 0xbe);
    if clean || text.chars().all(allowed) {
        text
    } else {
        text.chars().filter(|c| allowed(*c)).collect()
    }
}

/// Text for one line of a terminal or CI log: control characters (a newline in a file name,
/// an escape sequence) and the bidirectional controls that reorder what a terminal shows are
/// written as `\n` or `\u{1b}`, so that no name can forge a line, a GitHub workflow command
/// or a terminal colour.
pub(crate) fn printable(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden =
        |c: char| c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !text.contains(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut shown = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            c if hidden(c) => shown.push_str(&format!("\\u{{{:x}}}", u32::from(c))),
            c => shown.push(c),
        }
    }
    std::borrow::Cow::Owned(shown)
}

/// Source text for a snippet: the same lines, with every control character but tab and line
/// ends replaced by `?` of the same length in bytes, so that spans still point at their text.
pub(crate) fn without_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let hidden = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if !text.contains(hidden) {
        return std::borrow::Cow::Borrowed(text);
    }
    text.chars()
        .map(|c| match c {
            c if hidden(c) => "?".repeat(c.len_utf8()),
            c => c.to_string(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_safe_drops_only_forbidden_controls() {
        assert_eq!(xml_safe("a\u{b}b\u{1}\tc\n\u{85}".into()), "ab\tc\n\u{85}");
        assert_eq!(xml_safe("x\u{fffe}\u{ffff}🚀".into()), "x🚀");
        // Ends in the same bytes as U+FFFE and U+FFFF, and is allowed.
        assert_eq!(xml_safe("\u{ffe}\u{fff}".into()), "\u{ffe}\u{fff}");
    }

    #[test]
    fn printable_text_cannot_start_a_line_or_a_terminal_sequence() {
        assert_eq!(printable("talks.md"), "talks.md");
        assert_eq!(
            printable("a\n::error file=x::forged"),
            "a\\n::error file=x::forged"
        );
        assert_eq!(printable("\u{1b}[31mred"), "\\u{1b}[31mred");
        assert_eq!(printable("\u{202e}txt.md"), "\\u{202e}txt.md");
        assert_eq!(printable("עברית"), "עברית");
    }

    #[test]
    fn snippet_text_keeps_its_byte_offsets() {
        let text = "a\u{1b}b\u{9b}c\n\td";
        let clean = without_controls(text);
        assert_eq!(clean, "a?b??c\n\td");
        assert_eq!(clean.len(), text.len());
    }
}
