//! URL slugs for stories, sections, tags and authors.

/// A lowercase, hyphenated ASCII slug; accents are transliterated (`Zürich` -> `zurich`).
pub fn slugify(text: &str) -> String {
    slug::slugify(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_transliterate_and_hyphenate() {
        assert_eq!(
            slugify("São Paulo: Élections 2025!"),
            "sao-paulo-elections-2025"
        );
        assert_eq!(slugify("Data Journalism"), "data-journalism");
        assert_eq!(slugify("¿?"), "");
    }
}
