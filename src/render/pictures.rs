//! Local images in pages: the `resize_image` template function, and story bodies whose
//! images become responsive `<picture>`s.

use serde::Serialize;
use tera::Value;

use crate::assets::Images;
use crate::model::Newsroom;
use crate::parse::story::Story;
use crate::render::theme::Theme;

/// One size of a picture, as `resize_image` gives it to templates.
#[derive(Serialize)]
pub(super) struct SizedImage {
    /// In the source's format.
    pub(super) url: String,
    /// The same size as WebP.
    pub(super) webp: String,
    pub(super) width: u32,
    pub(super) height: u32,
}

/// Registers `resize_image(path=..., width=...)` for this build: the smallest published size of
/// the local image at `path` (a URL as templates see it, such as `story.photo.src`) that is at
/// least `width` wide, or its largest; `{url, webp, width, height}`. Sizes are the site's
/// `[images] widths`, made by the build, so the function encodes nothing. A path without a
/// picture (a photo on another site) gives back `{url: path}`, so teasers still show it. Pages
/// that call it with a story's photo are re-rendered when the photo changes (it is part of the
/// story's fingerprint); other images are not tracked by the page cache.
pub(super) fn register_resize_image(newsroom: &Newsroom, images: &Images, theme: &mut Theme) {
    let site = &newsroom.site;
    let mut pictures = images.by_url.clone();
    for (url, picture) in newsroom.photos.iter().zip(&images.pictures) {
        if let (Some(url), Some(picture)) = (url, picture) {
            pictures.insert(url.clone(), picture.clone());
        }
    }
    let output = site.path(&format!("/{}/", crate::assets::picture::OUTPUT_DIR));
    register_resize_image_with(&mut theme.tera, pictures, output);
}

/// Registers `resize_image` over `pictures` (by URL), with encoded files under `output`. The
/// theme registers it with no pictures when it compiles, because Tera refuses templates that
/// call unknown functions; each build registers it again with its own.
pub(crate) fn register_resize_image_with(
    tera: &mut tera::Tera,
    pictures: std::collections::HashMap<String, crate::assets::picture::Picture>,
    output: String,
) {
    tera.register_function(
        "resize_image",
        move |kwargs: tera::Kwargs, _: &tera::State| -> tera::TeraResult<Value> {
            let path: &str = kwargs.must_get("path")?;
            let width: u32 = kwargs.get("width")?.unwrap_or(0);
            let Some(picture) = pictures.get(path) else {
                return Ok(Value::from_serializable(
                    &serde_json::json!({ "url": path }),
                ));
            };
            let pick = |variants: &[crate::assets::picture::Variant]| {
                variants
                    .iter()
                    .find(|v| v.width >= width)
                    .or(variants.last())
                    .map(|v| (format!("{output}{}", v.file), v.width, v.height))
            };
            let (Some((url, width, height)), Some((webp, _, _))) =
                (pick(&picture.original), pick(&picture.webp))
            else {
                return Ok(Value::from_serializable(
                    &serde_json::json!({ "url": path }),
                ));
            };
            Ok(Value::from_serializable(&SizedImage {
                url,
                webp,
                width,
                height,
            }))
        },
    );
}

/// A hash of the pictures of the images a body shows, which its page renders as `<picture>`:
/// a replaced image changes the page even though the body's text is the same.
pub(super) fn body_pictures_hash(images: &Images, story: &Story) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    for (_, url) in &story.body.links {
        if let Some(picture) = url.as_ref().and_then(|u| images.by_url.get(u)) {
            picture.hash(&mut hasher);
        }
    }
    hasher.finish()
}

/// A body's HTML with its local images as responsive `<picture>`s.
pub(super) fn body_html<'a>(
    newsroom: &Newsroom,
    images: &Images,
    story: &'a Story,
) -> std::borrow::Cow<'a, str> {
    let site = &newsroom.site;
    let url_of = |file: &str| site.path(&format!("/{}/{file}", crate::assets::picture::OUTPUT_DIR));
    match crate::assets::picture::responsive_html(&story.body.html, &images.by_url, url_of) {
        Some(html) => std::borrow::Cow::Owned(html),
        None => std::borrow::Cow::Borrowed(&story.body.html),
    }
}
