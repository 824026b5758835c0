//! Stage 4, assets: the photos the newsroom uses, measured from their headers and encoded at
//! the site's widths (cached between builds). Reads the model, never changes it: what it makes
//! is returned by URL and by story. Imports every stage before it.

pub mod photo;
pub mod picture;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::util::fs::FileStamp;

/// What the assets stage made of the newsroom's images, read by render beside the model.
#[derive(Debug, Default)]
pub struct Images {
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
