//! What a lead photo's file says about it: its size in pixels and its media type.
//!
//! Social cards, `og:image:width` and the `width`/`height` that stop a page from jumping while
//! the photo loads all need the photo's size. Only the file's header is read (the `imagesize`
//! crate stops after the few bytes that hold the dimensions), and sizes are kept between builds
//! while the file's stamp (modification time and length) stays the same, so a site with
//! thousands of photos pays for each once. A file that is missing, unreadable or not an image
//! simply has no size: the page omits the attributes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::Serialize;

use crate::model::Newsroom;
use crate::source::theme::{StaticSource, ThemeFiles};
use crate::util::fs::FileStamp;

/// A photo's size in pixels, as stored in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub(crate) struct Size {
    pub width: u32,
    pub height: u32,
}

/// Where a photo's bytes are, when they are on this machine.
enum Local {
    File(PathBuf, FileStamp),
    BuiltIn(&'static [u8]),
}

/// Reads the size from the image file's header; `None` for anything that is not a readable
/// image of a known format.
pub(crate) fn read_size(path: &Path) -> Option<Size> {
    imagesize::size(path).ok().and_then(size)
}

fn size(dimensions: imagesize::ImageSize) -> Option<Size> {
    let width = u32::try_from(dimensions.width).ok()?;
    let height = u32::try_from(dimensions.height).ok()?;
    (width > 0 && height > 0).then_some(Size { width, height })
}

/// The media type of an image from its file name or URL (`image/jpeg`), for feeds.
pub(crate) fn media_type(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    mime_guess::from_path(path)
        .first_raw()
        .filter(|t| t.starts_with("image/"))
}

/// Photo sizes of the last build, by file, with the stamp the file had when it was read.
#[derive(Debug, Default)]
pub(crate) struct PhotoSizes {
    known: HashMap<PathBuf, (FileStamp, Option<Size>)>,
}

impl PhotoSizes {
    /// The size of every story's lead photo (by story index), reading only the files that are
    /// new or whose stamp changed since the last build.
    pub(crate) fn measure(&mut self, newsroom: &Newsroom, theme: &ThemeFiles) -> Vec<Option<Size>> {
        let locals: Vec<Option<Local>> = local_files(newsroom, theme);
        let known = &self.known;
        let measured: HashMap<PathBuf, (FileStamp, Option<Size>)> = locals
            .par_iter()
            .filter_map(|local| match local {
                Some(Local::File(path, stamp)) => {
                    let size = match known.get(path) {
                        Some((old, size)) if old == stamp => *size,
                        _ => read_size(path),
                    };
                    Some((path.clone(), (*stamp, size)))
                }
                _ => None,
            })
            .collect();
        self.known = measured;
        locals
            .iter()
            .map(|local| match local {
                Some(Local::File(path, _)) => self.known.get(path).and_then(|(_, size)| *size),
                Some(Local::BuiltIn(bytes)) => imagesize::blob_size(bytes).ok().and_then(size),
                None => None,
            })
            .collect()
    }
}

/// The file behind each story's photo: a file beside the story or elsewhere in `content/`, or
/// a static file of the site or theme. Photos on other sites are not fetched.
fn local_files(newsroom: &Newsroom, theme: &ThemeFiles) -> Vec<Option<Local>> {
    let site = &newsroom.site;
    let assets: HashMap<String, (&Path, FileStamp)> = newsroom
        .assets
        .iter()
        .map(|a| {
            let url = site.path(&format!("/{}", a.output));
            (url, (a.source.as_path(), a.stamp))
        })
        .collect();
    newsroom
        .photos
        .iter()
        .map(|url| {
            let url = url.as_deref()?;
            if let Some((source, stamp)) = assets.get(url) {
                return Some(Local::File(newsroom.content_dir.join(source), *stamp));
            }
            let route = url.strip_prefix(site.base_path.as_str())?;
            match theme.statics.get(route.strip_prefix('/')?)? {
                StaticSource::Disk(path, stamp) => Some(Local::File(path.clone(), *stamp)),
                StaticSource::BuiltIn(bytes) => Some(Local::BuiltIn(bytes)),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first bytes of a 3×2 PNG: signature and IHDR chunk.
    const PNG_HEADER: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, b'I', b'H', b'D', b'R', 0, 0,
        0, 3, 0, 0, 0, 2, 8, 6, 0, 0, 0,
    ];

    #[test]
    fn size_comes_from_the_header_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        std::fs::write(&path, PNG_HEADER).unwrap();
        assert_eq!(
            read_size(&path),
            Some(Size {
                width: 3,
                height: 2
            })
        );
    }

    #[test]
    fn missing_or_corrupt_files_have_no_size() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(read_size(&dir.path().join("gone.jpg")), None);
        for (name, bytes) in [
            ("empty.jpg", &[][..]),
            ("text.jpg", b"not an image at all, just text".as_slice()),
            ("cut.png", &PNG_HEADER[..14]),
            (
                "cut.jpg",
                &[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F', b'I', b'F'][..],
            ),
        ] {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            assert_eq!(read_size(&path), None, "{name}");
        }
    }

    #[test]
    fn media_types_come_from_the_extension() {
        assert_eq!(media_type("/a/photo.jpg"), Some("image/jpeg"));
        assert_eq!(media_type("https://cdn.org/p.PNG?w=800"), Some("image/png"));
        assert_eq!(media_type("/a/p.webp"), Some("image/webp"));
        assert_eq!(media_type("/a/p.pdf"), None);
        assert_eq!(media_type("/a/photo"), None);
    }
}
