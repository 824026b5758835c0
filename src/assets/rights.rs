//! Who made a photo and on what terms it is published, as the story and `site.toml` say, and
//! that written into the published image files themselves as XMP, the metadata Google Images,
//! photo desks and picture libraries read (Creator, Credit Line, Copyright Notice).
//!
//! The encoded files carry nothing of the source's metadata but its colour profile (see
//! `picture`); what this module adds is made from the newsroom's own words, so no GPS
//! position, camera serial number, owner name, maker note, thumbnail or edit history can
//! travel with it.

use std::borrow::Cow;
use std::hash::{Hash, Hasher};

use crate::site::config::Site;

/// What a published image file says about its rights, in XMP.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub(crate) struct Rights {
    /// `dc:creator`: the photographer (see [`creator`]).
    pub creator: Option<String>,
    /// `photoshop:Credit`: the credit line as written.
    pub credit: Option<String>,
    /// `dc:rights`: `[images] copyright`.
    pub copyright: Option<String>,
    /// `xmpRights:WebStatement`: the absolute URL of `[images] license`.
    pub web_statement: Option<String>,
    /// `dc:description`: the caption, or the alt text when there is none.
    pub description: Option<String>,
    /// `Iptc4xmpCore:AltTextAccessibility`: the alt text.
    pub alt: Option<String>,
}

impl Rights {
    /// The site-wide part: the copyright notice and the licence page, for every image.
    pub(crate) fn of_site(site: &Site) -> Rights {
        let images = &site.config.images;
        Rights {
            copyright: images.copyright.clone(),
            web_statement: images.license.as_deref().map(|url| site.config_url(url)),
            ..Rights::default()
        }
    }

    /// These rights with a story's credit line and what the picture shows.
    pub(crate) fn with_photo(
        &self,
        credit: Option<&str>,
        caption: Option<&str>,
        alt: Option<&str>,
    ) -> Rights {
        let alt = alt.filter(|alt| !alt.trim().is_empty());
        Rights {
            creator: credit.map(|credit| creator(credit).to_string()),
            credit: credit.map(str::to_string),
            description: caption.or(alt).map(str::to_string),
            alt: alt.map(str::to_string),
            ..self.clone()
        }
    }

    /// Whether there is anything to write.
    pub(crate) fn is_empty(&self) -> bool {
        *self == Rights::default()
    }

    /// A hash, which names the files stamped with these rights: two credits of one encoding
    /// must never share a name, or one would be published with the other's credit.
    pub(crate) fn key(&self) -> String {
        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        self.hash(&mut hasher);
        format!("{:016x}", hasher.finish())
    }

    /// The XMP packet, or `None` when there is nothing to say.
    pub(crate) fn xmp(&self) -> Option<String> {
        if self.is_empty() {
            return None;
        }
        let mut properties = String::new();
        if let Some(creator) = &self.creator {
            properties.push_str(&format!(
                "   <dc:creator><rdf:Seq><rdf:li>{}</rdf:li></rdf:Seq></dc:creator>\n",
                text(creator)
            ));
        }
        let alternatives = [
            ("dc:rights", &self.copyright),
            ("dc:description", &self.description),
            ("Iptc4xmpCore:AltTextAccessibility", &self.alt),
        ];
        for (name, value) in alternatives {
            if let Some(value) = value {
                properties.push_str(&format!(
                    "   <{name}><rdf:Alt><rdf:li xml:lang=\"x-default\">{}</rdf:li></rdf:Alt></{name}>\n",
                    text(value)
                ));
            }
        }
        let simple = [
            ("photoshop:Credit", &self.credit),
            ("xmpRights:WebStatement", &self.web_statement),
        ];
        for (name, value) in simple {
            if let Some(value) = value {
                properties.push_str(&format!("   <{name}>{}</{name}>\n", text(value)));
            }
        }
        if self.copyright.is_some() {
            properties.push_str("   <xmpRights:Marked>True</xmpRights:Marked>\n");
        }
        Some(format!(
            "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
             <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n \
             <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n  \
             <rdf:Description rdf:about=\"\"\n    \
             xmlns:dc=\"http://purl.org/dc/elements/1.1/\"\n    \
             xmlns:photoshop=\"http://ns.adobe.com/photoshop/1.0/\"\n    \
             xmlns:xmpRights=\"http://ns.adobe.com/xap/1.0/rights/\"\n    \
             xmlns:Iptc4xmpCore=\"http://iptc.org/std/Iptc4xmpCore/1.0/xmlns/\">\n\
             {properties}  </rdf:Description>\n </rdf:RDF>\n</x:xmpmeta>\n\
             <?xpacket end=\"r\"?>"
        ))
    }
}

/// `value` as XML character data: markup escaped, and the control characters XML 1.0 cannot
/// hold at all (which no reader would accept, escaped or not) left out.
fn text(value: &str) -> Cow<'_, str> {
    let allowed = |c: char| !c.is_control() || matches!(c, '\t' | '\n' | '\r');
    if value.chars().all(allowed) {
        return quick_xml::escape::escape(value);
    }
    let clean: String = value.chars().filter(|c| allowed(*c)).collect();
    Cow::Owned(quick_xml::escape::escape(clean).into_owned())
}

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

    #[test]
    fn the_xmp_packet_is_well_formed_rdf_whatever_the_text() {
        let rights = Rights {
            copyright: Some("© <Gazette> & \"Co\"".into()),
            web_statement: Some("https://news.example.org/licensing/?a=1&b=2".into()),
            ..Rights::default()
        }
        .with_photo(
            Some("Ana & <Lima>/Reuters"),
            Some("A caption\u{0}with a NUL"),
            Some("alt"),
        );
        let xmp = rights.xmp().unwrap_or_default();
        let body = xmp
            .split_once("?>")
            .and_then(|(_, rest)| rest.rsplit_once("<?xpacket"))
            .map_or("", |(body, _)| body);
        let document = roxmltree::Document::parse(body)
            .unwrap_or_else(|err| panic!("not well-formed: {err}\n{xmp}"));
        let texts: Vec<String> = document
            .descendants()
            .filter_map(|node| node.text())
            .map(str::to_string)
            .collect();
        assert!(texts.contains(&"Ana & <Lima>".to_string()), "{texts:?}");
        assert!(
            texts.contains(&"© <Gazette> & \"Co\"".to_string()),
            "{texts:?}"
        );
        assert!(
            texts.contains(&"A captionwith a NUL".to_string()),
            "{texts:?}"
        );
    }

    #[test]
    fn nothing_to_say_writes_no_packet() {
        assert_eq!(Rights::default().xmp(), None);
        assert!(
            Rights::default()
                .with_photo(None, None, Some(" "))
                .is_empty()
        );
    }
}
