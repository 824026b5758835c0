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
    if let Some(value) = value
        && value.starts_with(['"', '\''])
        && parser_message.contains("quote")
    {
        let quote = &value[..1];
        let column = line.len() - value.len() + 1;
        return Some((
            format!("the quote opened at {number}:{column} is never closed"),
            format!("end the value with {quote} on the same line, or remove the opening {quote}"),
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
