//! Unicode bidirectional controls in front matter text, sorted into what a newsroom needs and
//! what can make a headline display differently from what it says ("Trojan Source").
//!
//! Isolates (U+2066–U+2069) and the marks LRM, RLM and ALM are how W3C recommends mixing a
//! left-to-right name into Arabic or Hebrew text, so they are kept. Explicit embeddings and
//! overrides (U+202A, U+202B, U+202D, U+202E) reorder the text that follows them and are
//! refused. A pop that closes nothing (a PDF or PDI left over from copy and paste) changes no
//! display and is removed; an isolate that is never closed would also isolate whatever a page
//! or feed puts after the value (the site's name in a `<title>`), so it is closed at the end.

/// A control character that the text must not keep as it is, at a byte offset of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Control {
    pub(super) offset: usize,
    pub(super) char: char,
    pub(super) kind: Kind,
}

/// What is wrong with a [`Control`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// An embedding or override, which can reorder the text: an error.
    Reordering,
    /// A pop with nothing to close: removed.
    StrayPop,
    /// An isolate opened and never closed: closed at the end of the text.
    Unclosed,
}

/// Every control of `text` that is refused or repaired, in the order they appear.
pub(super) fn controls(text: &str) -> Vec<Control> {
    let mut found = Vec::new();
    let mut embeddings = 0usize;
    let mut isolates: Vec<Control> = Vec::new();
    for (offset, char) in text.char_indices() {
        let control = |kind| Control { offset, char, kind };
        match char {
            '\u{202a}' | '\u{202b}' | '\u{202d}' | '\u{202e}' => {
                embeddings += 1;
                found.push(control(Kind::Reordering));
            }
            '\u{202c}' if embeddings > 0 => embeddings -= 1,
            '\u{202c}' => found.push(control(Kind::StrayPop)),
            '\u{2066}'..='\u{2068}' => isolates.push(control(Kind::Unclosed)),
            '\u{2069}' if isolates.pop().is_some() => {}
            '\u{2069}' => found.push(control(Kind::StrayPop)),
            _ => {}
        }
    }
    found.extend(isolates);
    found.sort_by_key(|control| control.offset);
    found
}

/// `text` with its stray pops removed and its unclosed isolates closed at the end: what a
/// reader sees, made safe to put next to other text. Reordering controls are left for the
/// caller to refuse.
pub(super) fn repaired(text: &str, controls: &[Control]) -> String {
    let mut repaired = String::with_capacity(text.len());
    let mut from = 0;
    for control in controls {
        if control.kind == Kind::StrayPop {
            repaired.push_str(&text[from..control.offset]);
            from = control.offset + control.char.len_utf8();
        }
    }
    repaired.push_str(&text[from..]);
    let unclosed = controls.iter().filter(|c| c.kind == Kind::Unclosed).count();
    repaired.extend(std::iter::repeat_n('\u{2069}', unclosed));
    repaired
}

/// Any Unicode bidirectional control character (embeddings, overrides, isolates and pops),
/// for finding them in a file's text.
pub(super) fn is_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(usize, Kind)> {
        controls(text).iter().map(|c| (c.offset, c.kind)).collect()
    }

    #[test]
    fn isolates_around_a_name_and_marks_are_kept() {
        let text = "قال \u{2066}Zelensky\u{2069} إن\u{200f} المحادثات\u{200e}";
        assert!(controls(text).is_empty());
        assert_eq!(repaired(text, &[]), text);
    }

    #[test]
    fn nested_isolates_are_matched_inside_out() {
        assert!(controls("\u{2067}a \u{2066}b\u{2069} c\u{2069}").is_empty());
    }

    #[test]
    fn embeddings_and_overrides_are_refused_with_their_offsets() {
        assert_eq!(
            kinds("a\u{202e}b\u{202c}"),
            vec![(1, Kind::Reordering)],
            "the PDF closes the override, so only the override is reported"
        );
        assert_eq!(kinds("\u{202a}\u{202b}\u{202d}").len(), 3);
    }

    #[test]
    fn a_pop_that_closes_nothing_is_removed() {
        let text = "Kyiv photo\u{202c} by Ana\u{2069}";
        let found = controls(text);
        assert_eq!(
            kinds(text),
            vec![(10, Kind::StrayPop), (20, Kind::StrayPop)]
        );
        assert_eq!(repaired(text, &found), "Kyiv photo by Ana");
    }

    #[test]
    fn a_pdi_does_not_close_an_embedding_nor_a_pdf_an_isolate() {
        assert_eq!(
            kinds("\u{2066}a\u{202c}"),
            vec![(0, Kind::Unclosed), (4, Kind::StrayPop)]
        );
    }

    #[test]
    fn an_unclosed_isolate_is_closed_at_the_end() {
        let text = "\u{2067}שלום";
        let found = controls(text);
        assert_eq!(kinds(text), vec![(0, Kind::Unclosed)]);
        assert_eq!(repaired(text, &found), "\u{2067}שלום\u{2069}");
    }
}
