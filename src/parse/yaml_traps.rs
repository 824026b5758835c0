//! The YAML mistakes that editors make with ordinary text, said in plain words at their cause.
//!
//! A reporter who pastes a headline from Word or a phone gets typographic quotes, tabs and
//! colons; the YAML parser's own words for those ("mapping values are not allowed in this
//! context") blame nothing the writer can see. Each trap here looks at the line the parser
//! stopped on (and the one above it), and gives a sentence and a fix. The parser's message is
//! only a hint for which trap to try; the line's text decides.

/// Typographic quote marks that word processors and phones type instead of `"` and `'`.
const TYPOGRAPHIC_QUOTES: &[char] = &['“', '”', '‘', '’', '„', '‟', '«', '»', '‹', '›'];

/// A plain-words message and help for a YAML syntax error on `line` (number `number` in the
/// file), whose previous line is `previous`; `None` when no trap fits.
pub(crate) fn explain(
    parser_message: &str,
    line: &str,
    number: usize,
    previous: Option<(usize, &str)>,
) -> Option<(String, String)> {
    let (key, value) = split_key(line);
    if let Some(column) = tab_in_indentation(line) {
        return Some((
            format!("line {number} is indented with a tab (column {column}); YAML needs spaces"),
            "replace the tab with spaces, the same number as the lines around it".into(),
        ));
    }
    if let Some(key) = key
        && parser_message.starts_with("duplicate")
    {
        return Some((
            format!("`{key}` is written twice in the front matter"),
            format!("keep one `{key}:` line and delete the other"),
        ));
    }
    if parser_message.contains("BOM") {
        return Some((
            format!(
                "line {number} holds an invisible byte-order mark (U+FEFF), pasted with the text"
            ),
            "delete it: retype the start of the value, or put the value in quotes".into(),
        ));
    }
    if let Some(item) = unspaced_list_item(line, previous) {
        return Some((
            format!("line {number} is a list item without a space after `-`"),
            format!("write it as `- {item}`"),
        ));
    }
    if let Some(value) = value
        && value.starts_with('"')
        && value.contains('\\')
        && (parser_message.contains("escape") || parser_message.contains("hexadecimal"))
    {
        return Some((
            "inside double quotes, `\\` starts an escape such as `\\n`, so this value does \
             not read"
                .to_string(),
            format!(
                "use single quotes, which keep `\\` as it is: {}: '{}'",
                key.unwrap_or("key"),
                value.trim_matches('"').replace('\'', "''")
            ),
        ));
    }
    if let Some(value) = value
        && value.starts_with(['"', '\''])
        && parser_message.contains("quote")
    {
        let quote = &value[..1];
        let column = line.len() - value.len() + 1;
        if let Some(close) = closing_quote(value) {
            let after = value[close + 1..].trim();
            let apostrophe = quote == "'" && after.starts_with(char::is_alphabetic);
            if apostrophe
                && let Some(inner) = value.strip_prefix('\'').and_then(|v| v.strip_suffix('\''))
            {
                return Some((
                    format!(
                        "the apostrophe at {number}:{} ends the value quoted with `'` at {number}:{column}",
                        column + value[..close].chars().count()
                    ),
                    format!(
                        "quote the value with double quotes instead: {}: \"{}\"",
                        key.unwrap_or("key"),
                        inner.replace('"', "\\\"")
                    ),
                ));
            }
            return Some((
                format!(
                    "the quote opened at {number}:{column} closes at {number}:{}, and \
                     YAML allows no text after it: `{after}`",
                    column + value[..close].chars().count()
                ),
                format!(
                    "put the whole value in the other kind of quotes: {}: {}",
                    key.unwrap_or("key"),
                    match quote {
                        "'" => format!("\"{}\"", value.replace("''", "'").replace('"', "\\\"")),
                        _ => format!("'{}'", value.replace('\'', "''")),
                    }
                ),
            ));
        }
        return Some((
            format!("the quote opened at {number}:{column} is never closed"),
            format!("end the value with {quote} on the same line, or remove the opening {quote}"),
        ));
    }
    if let (Some(key), Some(value)) = (key, value)
        && let Some(reading) = indicator(value)
    {
        return Some((
            format!("`{key}` {reading}"),
            format!(
                "put the whole value in quotes: {key}: \"{}\"",
                value.replace('"', "\\\"")
            ),
        ));
    }
    if let Some(value) = value
        && value.contains(TYPOGRAPHIC_QUOTES)
    {
        return Some((
            format!(
                "`{}` has typographic quotes (“ ” ‘ ’), which YAML does not read as quotes",
                key.unwrap_or("the value")
            ),
            format!(
                "wrap the whole value in straight quotes, keeping the typographic ones inside: \
                 {}: \"{}\"",
                key.unwrap_or("key"),
                value.replace('"', "\\\"")
            ),
        ));
    }
    if let (Some(key), Some(value)) = (key, value)
        && value.contains(": ")
        && parser_message.contains("mapping values")
    {
        return Some((
            format!(
                "the value of `{key}` contains `: `, which YAML reads as the start of another key"
            ),
            format!(
                "put the whole value in quotes: {key}: \"{}\"",
                value.replace('"', "\\\"")
            ),
        ));
    }
    if let Some((above, previous)) = previous {
        let (indent, indent_above) = (indentation(line), indentation(previous));
        let opens_block = previous.trim_end().ends_with(':');
        if indent > 0 && indent != indent_above && !opens_block {
            return Some((
                format!(
                    "line {number} is indented differently from line {above} \
                     ({} instead of {indent_above})",
                    crate::util::text::plural(indent, "space")
                ),
                "indent the keys of one block (such as `photo:`) by the same number of spaces"
                    .into(),
            ));
        }
    }
    None
}

/// The byte offset and text of a plain (unquoted) value on a front matter line: after
/// `key: ` or a list item's `- `. `None` for fences, comments, quoted, flow, block and
/// anchored values, which YAML does not cut at `#`.
pub(crate) fn plain_value(line: &str) -> Option<(usize, &str)> {
    let (at, value) = value_of(line)?;
    if value.starts_with(['"', '\'', '[', '{', '|', '>', '&', '*', '!', '#']) {
        return None;
    }
    Some((at, value))
}

/// The byte offset and text of the value on a front matter line, as written: after `key: `
/// or a list item's `- `; `None` for fences, comments and lines without a value.
pub(crate) fn value_of(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    if trimmed.starts_with('#') || trimmed.starts_with("---") {
        return None;
    }
    let after_key = match trimmed.strip_prefix("- ") {
        Some(item) if !item.contains(": ") => item,
        Some(item) => item.split_once(": ")?.1,
        None => trimmed.split_once(": ")?.1,
    };
    let value = after_key.trim_start();
    if value.is_empty() {
        return None;
    }
    // `value` is a slice of `line`: its offset is where it starts in memory, less the line's.
    Some((value.as_ptr() as usize - line.as_ptr() as usize, value))
}

/// The value on `line` when it starts with `[` or `{` (`headline: [Live] Talks resume`),
/// which YAML reads as a list or a map although the writer meant text.
pub(crate) fn bracketed_text(line: &str) -> Option<&str> {
    let (_, value) = value_of(line)?;
    value.starts_with(['[', '{']).then(|| value.trim_end())
}

/// What YAML makes of a value that starts with one of its indicators instead of text
/// (`headline: !Breaking talks`, `*Updated* Talks`, `@Zelensky says`), in words an editor
/// can act on; `None` for a value YAML reads as written.
fn indicator(value: &str) -> Option<String> {
    let first = value.chars().next()?;
    let second = value[first.len_utf8()..].chars().next();
    let text_follows = second.is_some_and(|c| !c.is_whitespace());
    let reading = match first {
        '!' => "which YAML reads as a type tag and leaves out of the text",
        '&' => "which YAML reads as an anchor name and leaves out of the text",
        '*' => "which YAML reads as a reference to another value",
        '@' | '`' => "which YAML reserves and does not allow at the start of a value",
        '%' => "which YAML reads as a directive",
        '|' | '>' if value.trim_end().len() > 1 => {
            "which YAML reads as the start of a block of lines below"
        }
        '?' if !text_follows => "which YAML reads as the start of a complex key",
        _ => return None,
    };
    let shown = match first {
        '`' => "a backquote (`)".to_string(),
        other => format!("`{other}`"),
    };
    Some(format!("starts with {shown}, {reading}"))
}

/// Values of `yaml` that start with `!` or `&`, which YAML reads without error but drops from
/// the text (`headline: !Breaking talks` publishes "talks"): each as the byte range of its
/// value, its key (`None` for a list item) and what YAML made of it.
pub(crate) fn dropped_by_indicator(
    yaml: &str,
) -> Vec<(std::ops::Range<usize>, Option<&str>, String)> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((at, value)) = value_of(content)
            && value.starts_with(['!', '&'])
            && let Some(reading) = indicator(value)
        {
            let key = match content.trim_start().starts_with("- ") {
                true => None,
                false => split_key(content).0,
            };
            found.push((offset + at..offset + content.len(), key, reading));
        }
        offset += line.len();
    }
    found
}

/// `yaml` with each no-break space that separates a key from its value (`headline:` then
/// U+00A0, as Word and phones type after a colon) written as ordinary spaces, byte for byte,
/// so that positions stay those of the file; `None` when there is none. YAML reads only
/// ordinary spaces there, and would take `headline: Talks` for a line of text.
pub(crate) fn with_plain_separators(yaml: &str) -> Option<String> {
    const NO_BREAK: &[char] = &['\u{a0}', '\u{202f}'];
    if !yaml.contains(NO_BREAK) {
        return None;
    }
    let mut text = String::with_capacity(yaml.len());
    for line in yaml.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches(' ').len();
        let item = line[indent..]
            .strip_prefix('-')
            .filter(|rest| rest.starts_with(NO_BREAK));
        let separator_at = match item {
            Some(_) => Some(indent + 1),
            None => key_colon(&line[indent..]).map(|colon| indent + colon + 1),
        };
        let Some(at) = separator_at else {
            text.push_str(line);
            continue;
        };
        let rest = &line[at..];
        let blank = rest.len() - rest.trim_start_matches(NO_BREAK).len();
        text.push_str(&line[..at]);
        text.extend(std::iter::repeat_n(' ', blank));
        text.push_str(&rest[blank..]);
    }
    Some(text)
}

/// The byte offset of the `:` ending a key at the start of `line` when a no-break space
/// follows it: a key has no spaces of either kind and no quotes.
fn key_colon(line: &str) -> Option<usize> {
    let colon = line.find(':')?;
    let key = &line[..colon];
    let plain_key = !key.is_empty()
        && !key.contains(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | '#' | '[' | '{'));
    let no_break_after = line[colon + 1..].starts_with(['\u{a0}', '\u{202f}']);
    (plain_key && no_break_after).then_some(colon)
}

/// Quote marks that open a quotation in the languages newsrooms write, as word processors
/// type them for `"` and `'`.
const OPENING_QUOTES: &[char] = &['“', '‘', '„', '‚', '«', '‹', '»', '›', '”', '’'];
/// The marks that close one, in the same languages.
const CLOSING_QUOTES: &[char] = &['”', '’', '“', '‘', '»', '›', '«', '‹'];

/// Plain values of `yaml` wrapped whole in typographic quotes (`headline: “Talks resume”`),
/// each as the byte range of its text in `yaml` and its key (`None` for a list item, also one
/// inside `[...]`). YAML keeps such marks as part of
/// the text, so a writer who meant them as YAML quotes would publish them; a writer who meant
/// a quotation can say so with straight quotes around it.
pub(crate) fn wrapped_in_typographic_quotes(
    yaml: &str,
) -> Vec<(std::ops::Range<usize>, Option<&str>)> {
    let mut found = Vec::new();
    let mut offset = 0;
    for line in yaml.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if let Some((at, value)) = plain_value(content)
            && !value.contains(" #")
        {
            let value = value.trim_end();
            if is_wrapped(value) {
                let key = match content.trim_start().starts_with("- ") {
                    true => None,
                    false => split_key(content).0,
                };
                found.push((offset + at..offset + at + value.len(), key));
            }
        }
        if let Some((at, value)) = value_of(content)
            && let Some(items) = value
                .trim_end()
                .strip_prefix('[')
                .and_then(|v| v.strip_suffix(']'))
        {
            let items_at = offset + at + 1;
            let mut from = 0;
            for item in items.split(',') {
                let trimmed = item.trim();
                let lead = item.len() - item.trim_start().len();
                if is_wrapped(trimmed) {
                    let start = items_at + from + lead;
                    found.push((start..start + trimmed.len(), None));
                }
                from += item.len() + 1;
            }
        }
        offset += line.len();
    }
    found
}

/// A value wrapped whole in an opening and a closing typographic quote.
fn is_wrapped(value: &str) -> bool {
    value.chars().count() > 1
        && value.starts_with(OPENING_QUOTES)
        && value.ends_with(CLOSING_QUOTES)
}

/// The key and the value text of a `key: value` line, each trimmed; either may be missing.
fn split_key(line: &str) -> (Option<&str>, Option<&str>) {
    let trimmed = line.trim_start();
    let trimmed = trimmed.strip_prefix("- ").unwrap_or(trimmed);
    match trimmed.split_once(':') {
        Some((key, value)) if !key.contains(' ') || !key.contains(['"', '“']) => {
            let value = value.trim();
            (Some(key.trim()), (!value.is_empty()).then_some(value))
        }
        _ => (None, None),
    }
}

/// The text of a list item written without a space after its dash (`-Ukraine` under
/// `tags:`), which YAML reads as the text "-Ukraine" instead of a list.
fn unspaced_list_item<'a>(line: &'a str, previous: Option<(usize, &str)>) -> Option<&'a str> {
    let item = line.trim_start().strip_prefix('-')?;
    let in_list = previous.is_some_and(|(_, above)| {
        above.trim_end().ends_with(':') || above.trim_start().starts_with("- ")
    });
    let text = item.starts_with(|c: char| !c.is_whitespace() && c != '-');
    (in_list && text).then(|| item.trim_end())
}

/// The byte offset of the quote that closes the quoted value at the start of `value`, when
/// text follows it on the line (`'Twas a good day' he said`): a doubled `''` inside single
/// quotes and `\"` inside double quotes do not close.
fn closing_quote(value: &str) -> Option<usize> {
    let quote = value.chars().next()?;
    let mut chars = value.char_indices().skip(1).peekable();
    while let Some((at, c)) = chars.next() {
        match c {
            '\\' if quote == '"' => {
                chars.next();
            }
            '\'' if quote == '\'' && chars.peek().is_some_and(|(_, next)| *next == '\'') => {
                chars.next();
            }
            c if c == quote => return (!value[at + 1..].trim().is_empty()).then_some(at),
            _ => {}
        }
    }
    None
}

/// The 1-based column of a tab among the line's leading blanks.
fn tab_in_indentation(line: &str) -> Option<usize> {
    let blanks = line.len() - line.trim_start_matches([' ', '\t']).len();
    line[..blanks].find('\t').map(|at| at + 1)
}

fn indentation(line: &str) -> usize {
    line.len() - line.trim_start_matches(' ').len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrapped(yaml: &str) -> Vec<(&str, Option<&str>)> {
        wrapped_in_typographic_quotes(yaml)
            .into_iter()
            .map(|(range, key)| (&yaml[range], key))
            .collect()
    }

    #[test]
    fn no_break_spaces_after_a_key_or_a_dash_become_spaces_of_the_same_bytes() {
        let yaml =
            "headline:\u{a0}Talks\u{a0}resume\ntags:\n  -\u{a0}Kyiv\nalt:\u{202f}\u{a0}Quay\n";
        let plain = with_plain_separators(yaml).expect("changed");
        assert_eq!(plain.len(), yaml.len());
        assert_eq!(
            plain,
            "headline:  Talks\u{a0}resume\ntags:\n  -  Kyiv\nalt:     Quay\n"
        );
        assert_eq!(
            with_plain_separators("dek: Talks\u{a0}resume\n"),
            Some("dek: Talks\u{a0}resume\n".into())
        );
        assert_eq!(with_plain_separators("dek: Talks\n"), None);
    }

    #[test]
    fn values_that_start_with_a_tag_or_an_anchor_are_found_and_others_are_not() {
        let yaml = "headline: !Breaking talks\ntags:\n  - &Co\ndek: Talks & tags! \"yes\"\n\
                    caption: \"!Quoted\"\nphoto: {src: a.jpg}\n";
        let found: Vec<_> = dropped_by_indicator(yaml)
            .into_iter()
            .map(|(range, key, _)| (&yaml[range], key))
            .collect();
        assert_eq!(
            found,
            vec![("!Breaking talks", Some("headline")), ("&Co", None)]
        );
    }

    #[test]
    fn each_indicator_is_said_in_words_and_text_is_not() {
        for value in [
            "!x y",
            "&a b",
            "*Updated* Talks",
            "@Zelensky",
            "`code`",
            "%50",
            "| text",
            "? key",
        ] {
            assert!(
                indicator(value).is_some_and(|m| m.contains("YAML")),
                "{value}"
            );
        }
        for value in ["Talks", "?Why", "|", ">", "-5 degrees", "50%"] {
            assert_eq!(indicator(value), None, "{value}");
        }
    }

    #[test]
    fn a_quote_closed_before_the_end_of_the_value_is_told_apart_from_an_unclosed_one() {
        assert_eq!(closing_quote("'Twas a good day' he said"), Some(16));
        assert_eq!(closing_quote("\"Yes\" he said"), Some(4));
        assert_eq!(closing_quote("'It''s' fine"), Some(6));
        assert_eq!(closing_quote("\"a \\\" b\" c"), Some(7));
        assert_eq!(closing_quote("\"Talks resume"), None);
        assert_eq!(closing_quote("\"Talks\"  "), None);
        let said = message(
            "invalid trailing content after single-quoted scalar",
            "headline: 'Twas a good day' he said",
            None,
        );
        assert_eq!(
            said,
            "the quote opened at 3:11 closes at 3:27, and YAML allows no text after it: `he said`"
        );
    }

    #[test]
    fn a_backslash_in_double_quotes_is_told_as_an_escape() {
        let said = message(
            "while parsing a quoted scalar, did not find expected hexadecimal number",
            "  src: \"C:\\Users\\ana\\quay.jpg\"",
            None,
        );
        assert!(
            said.starts_with("inside double quotes, `\\` starts an escape"),
            "{said}"
        );
    }

    #[test]
    fn a_list_item_without_its_space_is_named() {
        let said = message("expected sequence start", "  -Ukraine", Some((2, "tags:")));
        assert_eq!(said, "line 3 is a list item without a space after `-`");
        assert_eq!(
            unspaced_list_item("  -5 degrees", Some((2, "dek: x"))),
            None
        );
        assert_eq!(unspaced_list_item("- Kyiv", Some((2, "tags:"))), None);
    }

    #[test]
    fn values_wrapped_whole_in_typographic_quotes_are_found_with_their_key() {
        let yaml = "headline: “Talks resume”\ndek: «Nous sommes prêts»\ntags:\n  - ‘Kyiv’\n\
                    authors: [Lena Hartmann, “Nadia Rahman”]\n";
        assert_eq!(
            wrapped(yaml),
            vec![
                ("“Talks resume”", Some("headline")),
                ("«Nous sommes prêts»", Some("dek")),
                ("‘Kyiv’", None),
                ("“Nadia Rahman”", None)
            ]
        );
    }

    #[test]
    fn quotes_inside_text_or_inside_straight_quotes_are_the_writers_own() {
        let yaml = "headline: “We are ready,” says Zelensky\ndek: \"“Talks”\"\n\
                    credit: '„Foto“'\nalt: Kyiv’s “quay”, at dawn\ncaption: “Dawn” #x\n";
        assert_eq!(wrapped(yaml), vec![]);
    }

    fn message(parser: &str, line: &str, previous: Option<(usize, &str)>) -> String {
        explain(parser, line, 3, previous)
            .map(|(m, _)| m)
            .unwrap_or_default()
    }

    #[test]
    fn each_trap_is_named_at_its_cause() {
        assert_eq!(
            message("unclosed quote", "headline: \"Talks resume", None),
            "the quote opened at 3:11 is never closed"
        );
        assert_eq!(
            message(
                "mapping values are not allowed",
                "dek: “Zelensky: ‘Ready’” says",
                None
            ),
            "`dek` has typographic quotes (“ ” ‘ ’), which YAML does not read as quotes"
        );
        assert_eq!(
            message(
                "mapping values are not allowed",
                "headline: Quay: the return",
                None
            ),
            "the value of `headline` contains `: `, which YAML reads as the start of another key"
        );
        assert_eq!(
            message("found a tab", "\tdek: tabbed", None),
            "line 3 is indented with a tab (column 1); YAML needs spaces"
        );
        assert_eq!(
            message(
                "did not find expected key",
                " alt: x",
                Some((2, "  src: x.jpg"))
            ),
            "line 3 is indented differently from line 2 (1 space instead of 2)"
        );
        assert_eq!(message("something else", "date: 2025-05-19", None), "");
    }

    #[test]
    fn the_typographic_quote_fix_keeps_the_text() {
        let (_, help) = explain("x", "dek: “We are ready” says", 3, None).unwrap();
        assert_eq!(
            help,
            "wrap the whole value in straight quotes, keeping the typographic ones inside: \
             dek: \"“We are ready” says\""
        );
    }
}
