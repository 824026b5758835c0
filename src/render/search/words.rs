//! Words as search sees them: the text of a body without its markup, split into words by
//! Unicode's rules (UAX #29), lowercased, and stemmed in the site's language.
//!
//! Scripts written without spaces (Chinese, Japanese) have no words to split on: each of their
//! characters is a term of its own, and the client splits a query the same way, so a query
//! finds the stories that contain all its characters.

use rust_stemmers::{Algorithm, Stemmer};
use unicode_segmentation::UnicodeSegmentation;

/// The Snowball stemmer for a language code of `site::config::SEARCH_LANGUAGES`.
pub(crate) fn stemmer(code: Option<&str>) -> Option<Stemmer> {
    let algorithm = match code? {
        "ar" => Algorithm::Arabic,
        "da" => Algorithm::Danish,
        "de" => Algorithm::German,
        "el" => Algorithm::Greek,
        "en" => Algorithm::English,
        "es" => Algorithm::Spanish,
        "fi" => Algorithm::Finnish,
        "fr" => Algorithm::French,
        "hu" => Algorithm::Hungarian,
        "it" => Algorithm::Italian,
        "nl" => Algorithm::Dutch,
        "no" => Algorithm::Norwegian,
        "pt" => Algorithm::Portuguese,
        "ro" => Algorithm::Romanian,
        "ru" => Algorithm::Russian,
        "sv" => Algorithm::Swedish,
        "ta" => Algorithm::Tamil,
        "tr" => Algorithm::Turkish,
        _ => return None,
    };
    Some(Stemmer::create(algorithm))
}

/// The stem of a lowercased word: the word itself without a stemmer, and for the characters
/// of unspaced scripts.
pub(crate) fn stem(stemmer: Option<&Stemmer>, word: &str) -> String {
    match stemmer {
        Some(stemmer) if !word.chars().any(is_unspaced) => stemmer.stem(word).into_owned(),
        _ => word.to_string(),
    }
}

/// Calls `each` with every lowercased word of `text`, characters of unspaced scripts one by
/// one. Apostrophes inside words are kept (`l'élection` is one word, as UAX #29 has it), so
/// the client, which splits the same way, looks the same word up.
pub(crate) fn for_each_word(text: &str, mut each: impl FnMut(&str)) {
    let mut lower = String::new();
    // UAX #29 never joins across white space, and a run of ASCII letters and digits between
    // ASCII punctuation at its ends is one word: most of a text in a Latin script takes this
    // path, ten times faster than the full rules, which the rest gets.
    for chunk in text.split_ascii_whitespace() {
        let trimmed = chunk.trim_matches(|c: char| c.is_ascii_punctuation() && c != '_');
        if trimmed.bytes().all(|b| b.is_ascii_alphanumeric()) {
            if !trimmed.is_empty() {
                lower.clear();
                lower.push_str(trimmed);
                lower.make_ascii_lowercase();
                each(&lower);
            }
        } else {
            unicode_words(chunk, &mut lower, &mut each);
        }
    }
}

/// The words of `text` by the full rules of UAX #29, each lowercased into `lower`.
fn unicode_words(text: &str, lower: &mut String, each: &mut impl FnMut(&str)) {
    for word in text.unicode_words() {
        lower.clear();
        lower.extend(word.chars().flat_map(char::to_lowercase));
        if lower.chars().any(is_unspaced) {
            let mut buffer = [0u8; 4];
            for c in lower.chars() {
                if is_unspaced(c) {
                    each(c.encode_utf8(&mut buffer));
                }
            }
            let rest: String = lower.chars().filter(|c| !is_unspaced(*c)).collect();
            if !rest.is_empty() {
                each(&rest);
            }
        } else {
            each(lower);
        }
    }
}

/// Han ideographs, kana and the CJK symbols written with them: scripts without spaces between
/// words. The client's `UNSPACED` pattern matches the same ranges.
pub(crate) fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4DBF}' // CJK Extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK Unified Ideographs
        | '\u{F900}'..='\u{FAFF}' // CJK Compatibility Ideographs
        | '\u{FF66}'..='\u{FF9F}' // Halfwidth Katakana
        | '\u{20000}'..='\u{2FA1F}') // CJK Extensions B to F, Compatibility Supplement
}

/// The text of rendered body HTML: tags dropped (the contents of `<script>`, `<style>` and
/// `<template>` too), a space where a block ends so that words do not run together, the
/// entities pulldown-cmark and raw HTML use decoded.
pub(crate) fn html_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        push_decoded(&mut text, &rest[..open]);
        let tag = &rest[open..];
        let end = tag.find('>').map_or(tag.len(), |i| i + 1);
        let name: String = tag[1..end.min(tag.len())]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        rest = &tag[end..];
        if matches!(name.as_str(), "script" | "style" | "template") {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&close).map_or("", |i| &rest[i..]);
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
        }
        if !text.ends_with(' ') {
            text.push(' ');
        }
    }
    push_decoded(&mut text, rest);
    collapse_spaces(&text)
}

/// `text` with each run of white space made one space, and none at its ends.
fn collapse_spaces(text: &str) -> String {
    let mut collapsed = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !collapsed.is_empty() {
            collapsed.push(' ');
        }
        collapsed.push_str(word);
    }
    collapsed
}

/// Appends `raw` with its character references decoded (named ones for the characters HTML
/// escapes, and every numeric one); an unknown reference is kept as written.
fn push_decoded(text: &mut String, raw: &str) {
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        text.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|&i| i <= 10);
        let decoded = end.and_then(|end| entity(&after[..end]).map(|c| (c, end)));
        match decoded {
            Some((c, end)) => {
                text.push(c);
                rest = &after[end + 1..];
            }
            None => {
                text.push('&');
                rest = after;
            }
        }
    }
    text.push_str(rest);
}

fn entity(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => ' ',
        "shy" => '\u{AD}',
        "mdash" => '—',
        "ndash" => '–',
        "hellip" => '…',
        "rsquo" => '’',
        "lsquo" => '‘',
        "rdquo" => '”',
        "ldquo" => '“',
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<String> {
        let mut all = Vec::new();
        for_each_word(text, |w| all.push(w.to_string()));
        all
    }

    #[test]
    fn words_are_lowercased_and_split_by_unicode_rules() {
        assert_eq!(
            words("Élections: the PM's “snap” vote, 2025."),
            ["élections", "the", "pm's", "snap", "vote", "2025"]
        );
    }

    #[test]
    fn the_fast_path_splits_as_the_full_rules_do() {
        let text =
            "(Said) \"U.S.\" 3.5% e-mail, rock'n'roll; 'tis __init__ x_1 a:b Zürich’s 2,000.";
        let mut full = Vec::new();
        let mut lower = String::new();
        unicode_words(text, &mut lower, &mut |w: &str| full.push(w.to_string()));
        assert_eq!(words(text), full);
    }

    #[test]
    fn unspaced_scripts_are_indexed_character_by_character() {
        assert_eq!(words("東京都の選挙"), ["東", "京", "都", "の", "選", "挙"]);
    }

    #[test]
    fn stems_follow_the_language() {
        let en = stemmer(Some("en"));
        assert_eq!(
            stem(en.as_ref(), "elections"),
            stem(en.as_ref(), "election")
        );
        let fr = stemmer(Some("fr"));
        assert_eq!(
            stem(fr.as_ref(), "élections"),
            stem(fr.as_ref(), "élection")
        );
        let de = stemmer(Some("de"));
        assert_eq!(stem(de.as_ref(), "wahlen"), stem(de.as_ref(), "wahl"));
        let es = stemmer(Some("es"));
        assert_eq!(
            stem(es.as_ref(), "elecciones"),
            stem(es.as_ref(), "elección")
        );
        assert_eq!(stem(None, "elections"), "elections");
    }

    #[test]
    fn html_text_drops_markup_and_scripts_and_decodes_entities() {
        let html =
            "<p>Fish &amp; chips&#33;</p><script>var x = '<p>';</script><p>Done&nbsp;now</p>";
        assert_eq!(html_text(html), "Fish & chips! Done now");
    }
}
