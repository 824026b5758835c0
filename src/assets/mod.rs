//! Stage 4, assets: the photos the newsroom uses, measured from their headers and encoded at
//! the site's widths (cached between builds). Reads the model, never changes it: what it makes
//! is returned by URL and by story. Imports every stage before it.

pub(crate) mod embed;
pub(crate) mod photo;
pub(crate) mod picture;
pub(crate) mod rights;
pub(crate) mod stamp;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::model::Newsroom;
use crate::util::fs::FileStamp;

/// What the assets stage made of the newsroom's images, read by render beside the model.
#[derive(Debug, Default)]
pub(crate) struct Images {
    /// The pixel size of each story's photo (by story index), when its file is local and
    /// readable.
    pub photo_sizes: Vec<Option<photo::Size>>,
    /// The resized copies of each story's photo (by story index), when it is a local JPEG, PNG
    /// or WebP.
    pub pictures: Vec<Option<picture::Picture>>,
    /// Encoded image files to publish: output path, file in the image cache, its stamp.
    pub files: Vec<(String, PathBuf, FileStamp)>,
    /// Pictures of the images under `content/`, by their URL, for images in story text.
    pub by_url: HashMap<String, picture::Picture>,
}

/// A story's lead photo as pages, feeds and JSON-LD show it: the one place that joins what
/// front matter says of it (alt text, credit, caption) with where it resolved to and what the
/// assets stage made of its file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LeadPhoto<'a> {
    /// The photo's URL: a site path, or an address on another site.
    pub src: &'a str,
    pub alt: &'a str,
    pub credit: Option<&'a str>,
    pub caption: Option<&'a str>,
    /// Its upright size, when the file is local and readable.
    pub size: Option<photo::Size>,
    /// Its resized copies, when it is a local JPEG, PNG or WebP.
    pub picture: Option<&'a picture::Picture>,
}

impl LeadPhoto<'_> {
    /// The media type from the file name (`image/jpeg`), when known.
    pub(crate) fn media_type(&self) -> Option<&'static str> {
        photo::media_type(self.src)
    }
}

impl Images {
    /// The lead photo of the story at `index`, when it has one.
    pub(crate) fn lead_photo<'a>(
        &'a self,
        newsroom: &'a Newsroom,
        index: usize,
    ) -> Option<LeadPhoto<'a>> {
        let photo = newsroom.stories[index].front.photo.as_ref()?;
        let src = newsroom.photos.get(index)?.as_deref()?;
        Some(LeadPhoto {
            src,
            alt: &photo.alt,
            credit: photo.credit.as_deref(),
            caption: photo.caption.as_deref(),
            size: self.photo_sizes.get(index).copied().flatten(),
            picture: self.pictures.get(index).and_then(Option::as_ref),
        })
    }
}
