//! Who made a photo and on what terms it is published, as the story and `site.toml` say: the
//! one reading of a credit line that the photo files' XMP and the pages' `ImageObject` share.

/// The photographer named by a credit line: the part before a `/` when there is one, as
/// newsrooms write "Photographer/Agency" (`Ana Lima/Reuters` -> `Ana Lima`), else the whole
/// line. The whole line stays the credit (`creditText`, `photoshop:Credit`).
pub(crate) fn creator(credit: &str) -> &str {
    let name = credit.split('/').next().unwrap_or(credit).trim();
    match name.is_empty() {
        true => credit.trim(),
        false => name,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_creator_is_the_photographer_before_the_agency() {
        assert_eq!(creator("Ana Lima/Reuters"), "Ana Lima");
        assert_eq!(creator("Ana Lima / Reuters"), "Ana Lima");
        assert_eq!(creator("Reuters"), "Reuters");
        assert_eq!(creator("/Reuters"), "/Reuters");
    }
}
