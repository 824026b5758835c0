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
}
