//! Real images for fixture sites, shared by the test binaries (`#[path]`-included). Dateline
//! decodes every local JPEG, PNG and WebP it publishes, and a file it cannot decode is an error,
//! so a photo in a fixture must be a whole image, not a few header bytes.

use std::io::Cursor;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};

/// A `width`×`height` image encoded as `format`: a colour gradient, so that a resized copy
/// differs from the original and a wrong orientation would show.
pub fn encoded(format: ImageFormat, width: u32, height: u32) -> Vec<u8> {
    let shade = |at: u32, of: u32| u8::try_from(at * 255 / of.max(1)).unwrap_or(u8::MAX);
    let pixels = RgbImage::from_fn(width, height, |x, y| {
        Rgb([shade(x, width), shade(y, height), 128])
    });
    let mut bytes = Cursor::new(Vec::new());
    DynamicImage::ImageRgb8(pixels)
        .write_to(&mut bytes, format)
        .expect("a fixture image encodes");
    bytes.into_inner()
}
