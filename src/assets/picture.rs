//! Responsive pictures: every local photo re-encoded at the site's widths, as WebP and in its
//! own format, with the camera's metadata gone.
//!
//! A 6000-pixel photo straight from a camera is slow on a phone and can carry where it was taken
//! (GPS), so local JPEG, PNG and WebP files are decoded, turned upright by their EXIF
//! orientation, resized to each width in `[images] widths` that is narrower than the original
//! (plus the original width: never upscaled) and encoded again from the pixels alone. Of the
//! source's metadata only its RGB colour profile is kept (without it a Display P3 or Adobe RGB
//! photo would look washed out); the rest goes, not even kept in the full-size copy, which also
//! replaces the file at its own path so that no URL of the site serves the untouched original.
//! Each published file then gets the newsroom's own credit and rights as XMP (see `stamp`).
//!
//! Encoding is the slowest thing a build does, so the files are kept in a cache folder
//! under the site root, named by a hash of the source's bytes and the settings: a rebuild reads
//! and hashes each photo but encodes nothing unless the photo or the settings changed. The
//! builder also remembers each file's stamp, so `serve` does not even re-read unchanged photos.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::io::Cursor;
use std::path::{Path, PathBuf};

use fast_image_resize::{FilterType, ResizeAlg, ResizeOptions, Resizer};
use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::{DynamicImage, ImageDecoder, ImageFormat, ImageReader};
use rayon::prelude::*;

use crate::assets::Images;
use crate::assets::photo::Size;
use crate::assets::rights::Rights;
use crate::assets::stamp;
use crate::diagnostic::{Diagnostic, Diagnostics, display_path};
use crate::model::Newsroom;
use crate::parse::story::Story;
use crate::site::config::Images as ImageSettings;
use crate::source::CONTENT_DIR;
use crate::source::theme::{StaticSource, ThemeFiles};
use crate::util::fs::FileStamp;
use crate::util::fs::io_reason;

/// Where encoded images are kept between builds, relative to the site root.
pub(crate) const CACHE_DIR: &str = ".dateline-cache/images";

/// The site folder the encoded images are published in.
pub(crate) const OUTPUT_DIR: &str = crate::site::routes::IMAGES;

/// Part of every cache key: bumped when encoding changes, so that old files are not reused.
const ENCODER_VERSION: u32 = 4;

/// JPEG quality: visually clean for news photos at about a tenth of a camera file's size.
const JPEG_QUALITY: u8 = 80;

/// Lossy WebP quality for photos (JPEG and WebP sources): about the JPEG's look, smaller.
/// PNG sources (charts, screenshots) get lossless WebP, which keeps their sharp edges.
const WEBP_QUALITY: f32 = 80.0;

/// What is wrong with an image file, said after "the photo `...` cannot be published:".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum ImageError {
    #[error("cannot read it: {0}")]
    Read(String),
    #[error("it is not a JPEG, PNG or WebP image")]
    Unsupported,
    #[error("it is not a valid image: {0}")]
    Corrupt(String),
    #[error(
        "it is {width}×{height} pixels ({} megapixels), above the budget of {budget} megapixels",
        megapixels(*.width, *.height)
    )]
    TooLarge {
        width: u64,
        height: u64,
        budget: u32,
    },
    #[error(
        "it is {width}×{height} pixels: one side is so much longer than the other that no copy \
         of it fits WebP's limit of 16,383 pixels a side"
    )]
    Proportions { width: u32, height: u32 },
    #[error("cannot encode it at {width} pixels: {reason}")]
    Encode { width: u32, reason: String },
    #[error("cannot write {path}: {reason}")]
    Write { path: PathBuf, reason: String },
}

impl ImageError {
    /// What the newsroom can do about it: most often, save the photo again.
    pub(crate) fn help(&self) -> &'static str {
        match self {
            ImageError::Read(_) => "check that the file can be read",
            ImageError::Unsupported | ImageError::Corrupt(_) | ImageError::Encode { .. } => {
                "open it in an image editor and export it again as a JPEG, PNG or WebP file"
            }
            ImageError::Write { .. } => {
                "check that the site folder is writable and the disk has room for the image cache"
            }
            ImageError::Proportions { .. } => {
                "crop it in an image editor to a shape a page can show"
            }
            ImageError::TooLarge { .. } => {
                "scale it down in an image editor (8,000 pixels wide is more than any screen \
                 needs), or raise `max_megapixels` under `[images]` in site.toml"
            }
        }
    }
}

/// Millions of pixels, rounded to one decimal, for messages.
fn megapixels(width: u64, height: u64) -> String {
    format!("{:.1}", (width * height) as f64 / 1e6)
}

/// A decoder's message on one line: some end theirs with a line break and indentation, which
/// would break the line of a diagnostic.
fn one_line(err: &impl std::fmt::Display) -> String {
    err.to_string()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The image formats Dateline re-encodes; others (GIF, SVG) are published as they are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Format {
    Jpeg,
    Png,
    WebP,
}

impl Format {
    /// The format a file name promises, for choosing which files to process at all.
    pub(crate) fn from_name(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::WebP),
            _ => None,
        }
    }

    pub(crate) fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            Format::Png => "png",
            Format::WebP => "webp",
        }
    }
}

/// One encoded file of a picture.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Variant {
    pub width: u32,
    pub height: u32,
    pub format: Format,
    /// The file's name, both in the cache folder and under [`OUTPUT_DIR`]:
    /// `<hash>-800.webp`.
    pub file: String,
}

/// A photo ready for `<picture>`: its upright size and its encoded files, narrowest first.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct Picture {
    pub width: u32,
    pub height: u32,
    /// In the source's own format, for browsers without WebP; the last is full size.
    pub original: Vec<Variant>,
    /// WebP; the same as `original` when the source is WebP.
    pub webp: Vec<Variant>,
}

impl Picture {
    /// The sizes to encode a `width`×`height` photo at, and the files' names.
    fn plan(key: &str, format: Format, width: u32, height: u32, widths: &[u32]) -> Picture {
        let variants = |format: Format, largest: u32| {
            produced_widths(widths, largest)
                .into_iter()
                .map(|w| Variant {
                    width: w,
                    height: scaled_height(width, height, w),
                    format,
                    file: format!("{key}-{w}.{}", format.extension()),
                })
                .collect::<Vec<_>>()
        };
        let original = variants(format, width);
        let webp = if format == Format::WebP {
            original.clone()
        } else {
            variants(Format::WebP, webp_fit(width, height))
        };
        Picture {
            width,
            height,
            original,
            webp,
        }
    }

    /// Every file of the picture, each once.
    pub(crate) fn files(&self) -> impl Iterator<Item = &Variant> {
        let webp = (self.webp != self.original).then_some(&self.webp);
        self.original.iter().chain(webp.into_iter().flatten())
    }

    /// The full-size copy in the source's format, which replaces the source at its own path.
    pub(crate) fn full_size(&self) -> Option<&Variant> {
        self.original.last()
    }

    /// A `srcset` attribute: `url 480w, url 800w`, with `url` made by `url_of` from a file name.
    pub(crate) fn srcset(variants: &[Variant], url_of: impl Fn(&str) -> String) -> String {
        variants
            .iter()
            .map(|v| format!("{} {}w", url_of(&v.file), v.width))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// The configured widths narrower than the original, and the original width: small photos are
/// never blown up, and the largest file is always the photo at its full size.
pub(crate) fn produced_widths(configured: &[u32], original: u32) -> Vec<u32> {
    let mut widths: Vec<u32> = configured
        .iter()
        .copied()
        .filter(|w| *w > 0 && *w < original)
        .collect();
    widths.push(original);
    widths.sort_unstable();
    widths.dedup();
    widths
}

/// WebP's largest side in pixels: wider or taller photos get a WebP copy scaled down to fit,
/// while their full size stays in the source's format.
const WEBP_MAX_SIDE: u32 = 16383;

/// The widest WebP copy of a `width`×`height` photo: its own width unless a side is over
/// [`WEBP_MAX_SIDE`].
fn webp_fit(width: u32, height: u32) -> u32 {
    let by_height = u64::from(WEBP_MAX_SIDE) * u64::from(width) / u64::from(height.max(1));
    let fit = u64::from(width.min(WEBP_MAX_SIDE)).min(by_height).max(1);
    u32::try_from(fit).unwrap_or(WEBP_MAX_SIDE)
}

/// The height of a `width` wide copy, keeping the aspect ratio (rounded, at least 1).
fn scaled_height(original_width: u32, original_height: u32, width: u32) -> u32 {
    let (ow, oh, w) = (
        u64::from(original_width),
        u64::from(original_height),
        u64::from(width),
    );
    u32::try_from(((oh * w + ow / 2) / ow).max(1)).unwrap_or(u32::MAX)
}

/// The cache key of a source: its bytes and every setting that changes the encoded files.
/// (The standard library's SipHash: a change of its algorithm only costs one re-encode.)
fn cache_key(bytes: &[u8], widths: &[u32]) -> String {
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    bytes.hash(&mut hasher);
    widths.hash(&mut hasher);
    (ENCODER_VERSION, JPEG_QUALITY, WEBP_QUALITY.to_bits()).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// The result of processing one source: its picture, and how many files were encoded for it
/// (none when the cache had them all).
#[derive(Debug, Clone)]
pub(crate) struct Processed {
    pub picture: Picture,
    pub encoded: usize,
}

/// Processes one source file into `cache`; the error says what is wrong with the file.
pub(crate) fn process(
    source: &Path,
    cache: &Path,
    settings: &ImageSettings,
) -> Result<Processed, ImageError> {
    let widths = &settings.widths;
    let bytes = std::fs::read(source).map_err(|err| ImageError::Read(io_reason(&err)))?;
    within_budget(&bytes, settings.max_megapixels)?;
    let key = cache_key(&bytes, widths);
    let manifest = cache.join(format!("{key}.size"));
    if let Some(picture) = cached(&manifest, &key, cache, widths) {
        return Ok(Processed {
            picture,
            encoded: 0,
        });
    }
    let (image, format, icc) = decode(&bytes, settings.max_megapixels)?;
    let (width, height) = (image.width(), image.height());
    if scaled_height(width, height, webp_fit(width, height)) > WEBP_MAX_SIDE {
        return Err(ImageError::Proportions { width, height });
    }
    let picture = Picture::plan(&key, format, image.width(), image.height(), widths);
    std::fs::create_dir_all(cache).map_err(|err| ImageError::Write {
        path: cache.to_path_buf(),
        reason: io_reason(&err),
    })?;
    let variants: Vec<&Variant> = picture.files().collect();
    let lossless = format == Format::Png;
    // Each size is resized once and encoded in every format it has (the WebP copy of a photo
    // wider than WebP allows has a size of its own); sizes run in parallel.
    let sizes: BTreeSet<(u32, u32)> = variants.iter().map(|v| (v.width, v.height)).collect();
    sizes.par_iter().try_for_each(|&(width, height)| {
        let resized;
        let pixels = if width == image.width() {
            &image
        } else {
            resized = resize(&image, width, height)?;
            &resized
        };
        variants
            .iter()
            .filter(|v| v.width == width)
            .try_for_each(|variant| encode_into(pixels, variant, lossless, icc.as_deref(), cache))
    })?;
    write_atomically(
        &manifest,
        format!(
            "{} {} {}",
            picture.width,
            picture.height,
            format.extension()
        )
        .as_bytes(),
    )?;
    Ok(Processed {
        encoded: variants.len(),
        picture,
    })
}

/// The picture of `key` when the cache holds its manifest (size and format) and every file.
fn cached(manifest: &Path, key: &str, cache: &Path, widths: &[u32]) -> Option<Picture> {
    let text = std::fs::read_to_string(manifest).ok()?;
    let mut fields = text.split_whitespace();
    let width = fields.next()?.parse().ok()?;
    let height = fields.next()?.parse().ok()?;
    let format = Format::from_name(Path::new(&format!("x.{}", fields.next()?)))?;
    let picture = Picture::plan(key, format, width, height, widths);
    let complete = picture.files().all(|v| cache.join(&v.file).is_file());
    complete.then_some(picture)
}

/// The upright size of an image file after the same header check and decoding a build does,
/// with the default budget (for the fuzz target).
#[cfg(fuzzing)]
pub(crate) fn probe(bytes: &[u8]) -> Result<(u32, u32), ImageError> {
    let budget = ImageSettings::default().max_megapixels;
    within_budget(bytes, budget)?;
    let (image, _, _) = decode(bytes, budget)?;
    Ok((image.width(), image.height()))
}

/// Refuses a photo whose header declares more than `budget` megapixels, before anything is
/// decoded: only the header is looked at, not the picture data. A header that cannot be read
/// passes here; the decoder then says what is wrong with the file.
fn within_budget(bytes: &[u8], budget: u32) -> Result<(), ImageError> {
    let Ok(size) = imagesize::blob_size(bytes) else {
        return Ok(());
    };
    let (width, height) = (size.width as u64, size.height as u64);
    if width.saturating_mul(height) > pixel_budget(budget) {
        return Err(ImageError::TooLarge {
            width,
            height,
            budget,
        });
    }
    Ok(())
}

fn pixel_budget(megapixels: u32) -> u64 {
    u64::from(megapixels) * 1_000_000
}

/// The decoder's own bounds, in case its reading of the header differs from `imagesize`'s: no
/// side longer than the budget allows for a one-pixel-high strip, and no more memory than the
/// budget's pixels at 16 bits per channel with alpha (8 bytes each).
fn decoder_limits(budget: u32) -> image::Limits {
    let pixels = pixel_budget(budget);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(u32::try_from(pixels).unwrap_or(u32::MAX));
    limits.max_image_height = Some(u32::try_from(pixels).unwrap_or(u32::MAX));
    limits.max_alloc = Some(pixels.saturating_mul(8));
    limits
}

/// Decodes a JPEG, PNG or WebP (found by its bytes, not its name) within the pixel `budget`
/// and turns it upright; with its colour profile when it has an RGB one.
fn decode(
    bytes: &[u8],
    budget: u32,
) -> Result<(DynamicImage, Format, Option<Vec<u8>>), ImageError> {
    let mut reader = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|err| ImageError::Read(one_line(&err)))?;
    reader.limits(decoder_limits(budget));
    let format = match reader.format() {
        Some(ImageFormat::Jpeg) => Format::Jpeg,
        Some(ImageFormat::Png) => Format::Png,
        Some(ImageFormat::WebP) => Format::WebP,
        _ => return Err(ImageError::Unsupported),
    };
    if format == Format::Jpeg && !jpeg_ends(bytes) {
        return Err(ImageError::Corrupt(
            "the file ends before the picture does (an interrupted upload or copy?)".into(),
        ));
    }
    let mut decoder = reader
        .into_decoder()
        .map_err(|err| ImageError::Corrupt(one_line(&err)))?;
    let (width, height) = decoder.dimensions();
    if u64::from(width) * u64::from(height) > pixel_budget(budget) {
        return Err(ImageError::TooLarge {
            width: width.into(),
            height: height.into(),
            budget,
        });
    }
    // A broken EXIF block is no reason to refuse the photo: it is then shown as stored.
    let orientation = decoder
        .orientation()
        .unwrap_or(image::metadata::Orientation::NoTransforms);
    // Likewise a broken profile: the pixels are then published as sRGB, as browsers show them.
    let icc = decoder
        .icc_profile()
        .ok()
        .flatten()
        .filter(|profile| crate::assets::embed::is_rgb_profile(profile));
    let mut image =
        DynamicImage::from_decoder(decoder).map_err(|err| ImageError::Corrupt(one_line(&err)))?;
    image.apply_orientation(orientation);
    Ok((image, format, icc))
}

/// Whether a JPEG has its end-of-image marker after its last scan. JPEG decoders paint the
/// missing rows of a file that was cut short grey and report no error, so without this an
/// interrupted copy would be published as a half-grey photo. Inside a scan a 0xFF byte is always
/// followed by 0x00 or a restart marker, so the two markers cannot appear there by chance.
fn jpeg_ends(bytes: &[u8]) -> bool {
    const START_OF_SCAN: [u8; 2] = [0xFF, 0xDA];
    const END_OF_IMAGE: [u8; 2] = [0xFF, 0xD9];
    let Some(scan) = bytes.windows(2).rposition(|w| w == START_OF_SCAN) else {
        return false;
    };
    bytes[scan..].windows(2).any(|w| w == END_OF_IMAGE)
}

/// `image` at `width`×`height` through a Catmull-Rom filter: sharp for photos shrunk to a
/// phone's width, with less ringing around edges than Lanczos. fast_image_resize does it with SIMD, many
/// times faster than `image::imageops` with the same filter, and weights pixels by their alpha,
/// so that the edges of a transparent PNG keep no dark fringe.
fn resize(image: &DynamicImage, width: u32, height: u32) -> Result<DynamicImage, ImageError> {
    let mut resized = DynamicImage::new(width, height, image.color());
    let options = ResizeOptions::new().resize_alg(ResizeAlg::Convolution(FilterType::CatmullRom));
    Resizer::new()
        .resize(image, &mut resized, &options)
        .map_err(|err| ImageError::Encode {
            width,
            reason: format!("resizing failed: {}", one_line(&err)),
        })?;
    Ok(resized)
}

/// Encodes `pixels` (already at the variant's size) into the cache folder, with the source's
/// colour profile `icc` (so that a Display P3 or Adobe RGB photo keeps its colours); WebP
/// from a PNG source is `lossless`.
fn encode_into(
    pixels: &DynamicImage,
    variant: &Variant,
    lossless: bool,
    icc: Option<&[u8]>,
    cache: &Path,
) -> Result<(), ImageError> {
    let failed = |reason: String| ImageError::Encode {
        width: variant.width,
        reason,
    };
    let mut bytes = Vec::new();
    match variant.format {
        Format::Jpeg => JpegEncoder::new_with_quality(&mut bytes, JPEG_QUALITY)
            .encode_image(&DynamicImage::ImageRgb8(pixels.to_rgb8()))
            .map_err(|err| failed(one_line(&err)))?,
        Format::Png => pixels
            .write_with_encoder(PngEncoder::new(&mut bytes))
            .map_err(|err| failed(one_line(&err)))?,
        Format::WebP => bytes = encode_webp(pixels, lossless)?,
    }
    if let Some(icc) = icc {
        bytes = crate::assets::embed::with_icc(bytes, variant.format, icc)
            .map_err(|err| failed(format!("cannot attach its colour profile: {err}")))?;
    }
    write_atomically(&cache.join(&variant.file), &bytes)
}

/// Encodes WebP with libwebp (the `image` crate's own encoder is lossless only, which makes
/// photos larger than their JPEG). Only the pixels are given to it: no metadata is written.
fn encode_webp(pixels: &DynamicImage, lossless: bool) -> Result<Vec<u8>, ImageError> {
    let (width, height) = (pixels.width(), pixels.height());
    let failed = |err| ImageError::Encode {
        width,
        reason: format!("WebP: {err:?}"),
    };
    let encoded = if pixels.color().has_alpha() {
        let rgba = pixels.to_rgba8();
        webp::Encoder::from_rgba(&rgba, width, height)
            .encode_simple(lossless, WEBP_QUALITY)
            .map(|memory| memory.to_vec())
    } else {
        let rgb = pixels.to_rgb8();
        webp::Encoder::from_rgb(&rgb, width, height)
            .encode_simple(lossless, WEBP_QUALITY)
            .map(|memory| memory.to_vec())
    };
    encoded.map_err(failed)
}

/// Writes beside the target and renames, so that an interrupted build leaves no half file that
/// a later build would take for a finished one.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<(), ImageError> {
    let mut partial = path.as_os_str().to_owned();
    partial.push(format!(".partial-{}", std::process::id()));
    let partial = PathBuf::from(partial);
    std::fs::write(&partial, bytes)
        .and_then(|()| std::fs::rename(&partial, path))
        .map_err(|err| {
            let _ = std::fs::remove_file(&partial);
            ImageError::Write {
                path: path.to_path_buf(),
                reason: io_reason(&err),
            }
        })
}

/// Pictures of the last build, by source file, with the stamp and widths they were made with.
#[derive(Debug, Default)]
pub(crate) struct Pictures {
    known: HashMap<PathBuf, (FileStamp, Vec<u32>, Picture)>,
}

/// What [`Pictures::process_all`] made of the build's image files.
#[derive(Debug, Default)]
pub(crate) struct Batch {
    /// By source path: the picture, or what is wrong with the file.
    pub results: BTreeMap<PathBuf, Result<Picture, ImageError>>,
    /// Files encoded by this build (0 when nothing changed).
    pub encoded: usize,
}

impl Pictures {
    /// Processes every source in parallel, then deletes the cache files no source uses any more.
    pub(crate) fn process_all(
        &mut self,
        sources: &[(PathBuf, FileStamp)],
        cache: &Path,
        settings: &ImageSettings,
    ) -> Batch {
        let widths = &settings.widths;
        let known = &self.known;
        let done: Vec<(PathBuf, FileStamp, Result<Processed, ImageError>)> = sources
            .par_iter()
            .map(|(path, stamp)| {
                let result = match known.get(path) {
                    Some((old, old_widths, picture))
                        if old == stamp
                            && old_widths == widths
                            && picture.files().all(|v| cache.join(&v.file).is_file()) =>
                    {
                        Ok(Processed {
                            picture: picture.clone(),
                            encoded: 0,
                        })
                    }
                    _ => process(path, cache, settings),
                };
                (path.clone(), *stamp, result)
            })
            .collect();
        let mut batch = Batch::default();
        self.known.clear();
        for (path, stamp, result) in done {
            let result = result.map(|processed| {
                batch.encoded += processed.encoded;
                self.known.insert(
                    path.clone(),
                    (stamp, widths.to_vec(), processed.picture.clone()),
                );
                processed.picture
            });
            batch.results.insert(path, result);
        }
        prune(cache, &batch);
        batch
    }
}

/// Deletes cache files that no picture of this build uses: a replaced photo's old sizes.
fn prune(cache: &Path, batch: &Batch) {
    let mut used: HashSet<String> = HashSet::new();
    for picture in batch.results.values().flatten() {
        used.extend(picture.files().map(|v| v.file.clone()));
        if let Some((key, _)) = picture
            .original
            .first()
            .and_then(|v| v.file.split_once('-'))
        {
            used.insert(format!("{key}.size"));
        }
    }
    let Ok(entries) = std::fs::read_dir(cache) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if !used.contains(&name) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Processes the build's local images into the [`Images`] that render reads: each story's
/// picture and upright size (`photo_sizes`, measured from the headers before), and the files to
/// publish. The images are every JPEG, PNG and WebP
/// under `content/` (so that none is published with its metadata) and the `static/` files that
/// stories use as their photo. Returns them with the problems and how many files were encoded.
///
/// A file that cannot be decoded is an error at each place that uses it (a story's `photo:`, a
/// Markdown image), or at the file itself when nothing does: publishing it as it is would serve
/// whatever metadata it holds, and a page would show a broken image.
pub(crate) fn attach(
    pictures: &mut Pictures,
    newsroom: &Newsroom,
    theme: &ThemeFiles,
    root: &Path,
    photo_sizes: Vec<Option<Size>>,
) -> (Images, Diagnostics, usize) {
    let sources = Sources::collect(newsroom, theme, root);
    let cache = root.join(CACHE_DIR);
    let stamped: Vec<(PathBuf, FileStamp)> = sources
        .stamps
        .iter()
        .map(|(p, s)| (p.clone(), *s))
        .collect();
    let batch = pictures.process_all(&stamped, &cache, &newsroom.site.config.images);
    let mut problems = unusable(&batch, &sources, newsroom);
    let images = record(
        newsroom,
        &batch,
        &sources,
        &cache,
        photo_sizes,
        &mut problems,
    );
    (images, problems, batch.encoded)
}

/// The local images of a build: where each is published and how the newsroom refers to it.
#[derive(Default)]
struct Sources {
    /// Source file -> (output path, path for messages).
    outputs: BTreeMap<PathBuf, (String, PathBuf)>,
    /// The images under `content/`, by the URL stories link them with.
    by_url: HashMap<String, PathBuf>,
    stamps: BTreeMap<PathBuf, FileStamp>,
    /// Each story's photo file, by story index, when it is a local image.
    story_photos: Vec<Option<PathBuf>>,
}

impl Sources {
    fn collect(newsroom: &Newsroom, theme: &ThemeFiles, root: &Path) -> Sources {
        let mut sources = Sources::default();
        for asset in &newsroom.assets {
            if Format::from_name(&asset.source).is_some() {
                let path = newsroom.content_dir.join(&asset.source);
                let url = newsroom.site.path(&format!("/{}", asset.output));
                sources.by_url.insert(url, path.clone());
                sources.stamps.insert(path.clone(), asset.stamp);
                let display = Path::new(CONTENT_DIR).join(&asset.source);
                sources
                    .outputs
                    .insert(path, (asset.output.clone(), display));
            }
        }
        sources.story_photos = newsroom
            .photos
            .iter()
            .map(|url| sources.story_photo(url.as_deref()?, newsroom, theme, root))
            .collect();
        sources
    }

    /// The file of a story's photo URL: an image under `content/`, or a `static/` one (which
    /// is then added to the images to process).
    fn story_photo(
        &mut self,
        url: &str,
        newsroom: &Newsroom,
        theme: &ThemeFiles,
        root: &Path,
    ) -> Option<PathBuf> {
        if let Some(path) = self.by_url.get(url) {
            return Some(path.clone());
        }
        let route = url
            .strip_prefix(newsroom.site.base_path.as_str())?
            .strip_prefix('/')?;
        match theme.statics.get(route)? {
            StaticSource::Disk(path, stamp) if Format::from_name(path).is_some() => {
                let display = display_path(root, path);
                self.outputs
                    .insert(path.clone(), (route.to_string(), display));
                self.stamps.insert(path.clone(), *stamp);
                Some(path.clone())
            }
            _ => None,
        }
    }

    /// The file as the user knows it: `content/world/talks/photo.jpg`.
    fn display<'a>(&'a self, source: &'a Path) -> &'a Path {
        self.outputs
            .get(source)
            .map_or(source, |(_, display)| display)
    }
}

/// An error for each use of an image that cannot be published: at a story's `photo:`, at each
/// Markdown image, and at the file itself when nothing uses it.
fn unusable(batch: &Batch, sources: &Sources, newsroom: &Newsroom) -> Diagnostics {
    let mut problems = Diagnostics::new();
    let failed: HashMap<&Path, &ImageError> = batch
        .results
        .iter()
        .filter_map(|(path, result)| Some((path.as_path(), result.as_ref().err()?)))
        .collect();
    if failed.is_empty() {
        return problems;
    }
    let mut reported: HashSet<&Path> = HashSet::new();
    let photos = newsroom.stories.iter().zip(&sources.story_photos);
    for (story, source) in photos {
        let Some((source, err)) = source.as_deref().and_then(|s| failed.get_key_value(s)) else {
            continue;
        };
        reported.insert(source);
        let mut diagnostic = unusable_at(story, "photo", sources.display(source), err);
        if let Some(photo) = &story.front.photo {
            diagnostic = diagnostic.with_span(story.text(), photo.span.clone());
        }
        problems.push(diagnostic);
    }
    for story in newsroom.stories.iter().chain(&newsroom.pages) {
        for (url, span) in &story.body.images {
            let found = sources.by_url.get(url).map(PathBuf::as_path);
            let Some((source, err)) = found.and_then(|s| failed.get_key_value(s)) else {
                continue;
            };
            reported.insert(source);
            let diagnostic = unusable_at(story, "image", sources.display(source), err);
            problems.push(diagnostic.with_span(story.text(), span.clone()));
        }
    }
    for (source, err) in failed.iter().filter(|(s, _)| !reported.contains(*s)) {
        problems.push(
            Diagnostic::error(
                sources.display(source),
                format!("this image cannot be published: {err}"),
            )
            .with_help(format!("{}, or remove it", err.help())),
        );
    }
    problems
}

/// The error of a story whose `what` ("photo", "image") is the unusable file `display`.
fn unusable_at(story: &Story, what: &str, display: &Path, err: &ImageError) -> Diagnostic {
    Diagnostic::error(
        &story.file.display,
        format!(
            "the {what} `{}` cannot be published: {err}",
            display.display()
        ),
    )
    .with_help(err.help())
}

/// The pictures of the build: each story's, those of images in story text by URL, and the
/// encoded files to publish (the full-size copy also at the source's own path), each stamped
/// with its rights; a file that cannot be stamped is an error at its source. A story's photo
/// size is its picture's upright size where it has one.
fn record(
    newsroom: &Newsroom,
    batch: &Batch,
    sources: &Sources,
    cache: &Path,
    mut photo_sizes: Vec<Option<Size>>,
    problems: &mut Diagnostics,
) -> Images {
    let mut pictures = vec![None; newsroom.stories.len()];
    for (index, source) in sources.story_photos.iter().enumerate() {
        if let Some(Ok(picture)) = source.as_ref().and_then(|s| batch.results.get(s)) {
            pictures[index] = Some(picture.clone());
            photo_sizes[index] = Some(Size {
                width: picture.width,
                height: picture.height,
            });
        }
    }
    let rights = stamp::by_source(newsroom, &sources.story_photos, &sources.by_url);
    let site_rights = Rights::of_site(&newsroom.site);
    let stamped: Vec<Result<Vec<PublishedFile>, Diagnostic>> = batch
        .results
        .par_iter()
        .filter_map(|(source, result)| {
            let ((output, display), picture) = (sources.outputs.get(source)?, result.as_ref().ok()?);
            let rights = rights.get(source).unwrap_or(&site_rights);
            Some(published_files(picture, output, cache, rights).map_err(|reason| {
                Diagnostic::error(display, format!("this image cannot be published: {reason}"))
                    .with_help("shorten the caption or credit of the story that uses it if they are too long, else check that the site folder is writable and the disk has room for the image cache")
            }))
        })
        .collect();
    let mut files = Vec::new();
    let mut published = HashSet::new();
    for result in stamped {
        match result {
            Ok(found) => {
                published.extend(found.iter().map(|(_, path, _)| path.clone()));
                files.extend(found);
            }
            Err(problem) => problems.push(problem),
        }
    }
    stamp::prune(cache, &published);
    let by_url = sources
        .by_url
        .iter()
        .filter_map(|(url, path)| Some((url.clone(), batch.results.get(path)?.clone().ok()?)))
        .collect();
    Images {
        photo_sizes,
        pictures,
        files,
        by_url,
    }
}

/// A file to publish: its output path, its file in the image cache, and that file's stamp.
type PublishedFile = (String, PathBuf, FileStamp);

/// The files of `picture` to publish, stamped with `rights`: the full-size copy at `output`
/// (the source's own path) and every size under [`OUTPUT_DIR`].
fn published_files(
    picture: &Picture,
    output: &str,
    cache: &Path,
    rights: &Rights,
) -> Result<Vec<PublishedFile>, String> {
    let full = picture.full_size().map(|v| (output.to_string(), v));
    let sized = picture
        .files()
        .map(|v| (format!("{OUTPUT_DIR}/{}", v.file), v));
    full.into_iter()
        .chain(sized)
        .map(|(output, variant)| {
            let path = stamp::stamped(cache, variant, rights)?;
            let stamp = std::fs::metadata(&path)
                .map(|m| FileStamp::of(&m))
                .unwrap_or_default();
            Ok((output, path, stamp))
        })
        .collect()
}

/// How wide images in a story's text are shown: the text column (`--measure` in the theme).
const BODY_SIZES: &str = "(min-width: 41rem) 41rem, 100vw";

/// The body HTML with each `<img src="URL">` whose URL has a picture turned into a `<picture>`
/// with a WebP `<source>`, a `srcset`, its size (no layout shift) and lazy loading; `None` when
/// nothing changed. `url_of` makes a URL from an encoded file's name. The `<img>` comes from the
/// Markdown renderer, which escapes `"` and `>` in attributes, so the tag ends at the first `>`.
pub(crate) fn responsive_html(
    html: &str,
    pictures: &HashMap<String, Picture>,
    url_of: impl Fn(&str) -> String,
) -> Option<String> {
    const START: &str = "<img src=\"";
    if pictures.is_empty() || !html.contains(START) {
        return None;
    }
    let mut out = String::with_capacity(html.len() + 1024);
    let mut rest = html;
    let mut changed = false;
    while let Some(at) = rest.find(START) {
        let after = &rest[at + START.len()..];
        let Some(url_end) = after.find('"') else {
            break;
        };
        let url = &after[..url_end];
        let (Some(picture), Some(tag_end)) = (
            pictures.get(url),
            after[url_end..].find('>').map(|i| i + url_end),
        ) else {
            out.push_str(&rest[..at + START.len()]);
            rest = after;
            continue;
        };
        out.push_str(&rest[..at]);
        out.push_str(&format!(
            "<picture><source type=\"image/webp\" srcset=\"{webp}\" sizes=\"{BODY_SIZES}\">\
             <img src=\"{url}\" srcset=\"{original}\" sizes=\"{BODY_SIZES}\" width=\"{width}\" \
             height=\"{height}\" loading=\"lazy\" decoding=\"async\"",
            webp = Picture::srcset(&picture.webp, &url_of),
            original = Picture::srcset(&picture.original, &url_of),
            width = picture.width,
            height = picture.height,
        ));
        out.push_str(&after[url_end + 1..=tag_end]);
        out.push_str("</picture>");
        rest = &after[tag_end + 1..];
        changed = true;
    }
    out.push_str(rest);
    changed.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_above_the_original_are_skipped_and_the_original_is_kept() {
        assert_eq!(
            produced_widths(&[480, 800, 1200, 1600], 1000),
            [480, 800, 1000]
        );
        assert_eq!(produced_widths(&[480, 800], 800), [480, 800]);
        assert_eq!(produced_widths(&[480, 800], 300), [300]);
        assert_eq!(produced_widths(&[800, 0, 480, 480], 2000), [480, 800, 2000]);
    }

    #[test]
    fn heights_keep_the_aspect_ratio() {
        assert_eq!(scaled_height(4000, 3000, 800), 600);
        assert_eq!(scaled_height(3, 2, 1), 1);
        assert_eq!(scaled_height(1000, 1, 10), 1);
    }

    #[test]
    fn the_key_changes_with_the_bytes_and_the_settings() {
        let a = cache_key(b"photo", &[480]);
        assert_eq!(a, cache_key(b"photo", &[480]));
        assert_ne!(a, cache_key(b"photo!", &[480]));
        assert_ne!(a, cache_key(b"photo", &[480, 800]));
    }

    #[test]
    fn srcset_lists_each_width() {
        let picture = Picture::plan("k", Format::Jpeg, 1000, 500, &[480, 1600]);
        let srcset = Picture::srcset(&picture.webp, |f| format!("/img/{f}"));
        assert_eq!(srcset, "/img/k-480.webp 480w, /img/k-1000.webp 1000w");
        assert_eq!(picture.files().count(), 4);
        let webp = Picture::plan("k", Format::WebP, 1000, 500, &[480]);
        assert_eq!(webp.files().count(), 2);
    }

    #[test]
    fn body_images_with_a_picture_become_picture_elements() {
        let pictures = HashMap::from([(
            "/a/map.jpg".to_string(),
            Picture::plan("k", Format::Jpeg, 1000, 500, &[480]),
        )]);
        let html = "<p>See <img src=\"/a/map.jpg\" alt=\"A &gt; B\" /> and \
                    <img src=\"https://x.org/y.jpg\" alt=\"\" /></p>";
        let out = responsive_html(html, &pictures, |f| format!("/img/{f}")).unwrap();
        assert_eq!(
            out,
            "<p>See <picture><source type=\"image/webp\" \
             srcset=\"/img/k-480.webp 480w, /img/k-1000.webp 1000w\" sizes=\"(min-width: 41rem) 41rem, 100vw\">\
             <img src=\"/a/map.jpg\" srcset=\"/img/k-480.jpg 480w, /img/k-1000.jpg 1000w\" \
             sizes=\"(min-width: 41rem) 41rem, 100vw\" width=\"1000\" height=\"500\" loading=\"lazy\" \
             decoding=\"async\" alt=\"A &gt; B\" /></picture> and \
             <img src=\"https://x.org/y.jpg\" alt=\"\" /></p>"
        );
        assert_eq!(
            responsive_html("<p>no images</p>", &pictures, |f| f.into()),
            None
        );
    }

    #[test]
    fn decoder_messages_are_one_line() {
        let Err(err) = decode(b"\xff\xd8\xff\xe0 truncated", 60) else {
            panic!("a truncated JPEG decoded");
        };
        let message = err.to_string();
        assert!(
            message.starts_with("it is not a valid image: "),
            "{message}"
        );
        assert!(
            !message.contains('\n') && message.trim_end() == message,
            "{message:?}"
        );
    }

    #[test]
    fn webp_copies_of_a_photo_over_its_limit_are_scaled_to_fit() {
        assert_eq!(webp_fit(4000, 3000), 4000);
        assert_eq!(webp_fit(17_000, 2_000), 16_383);
        assert_eq!(webp_fit(2_000, 17_000), 1_927);
        let picture = Picture::plan("k", Format::Jpeg, 17_000, 2_000, &[800]);
        assert_eq!(picture.full_size().map(|v| v.width), Some(17_000));
        let widths: Vec<u32> = picture.webp.iter().map(|v| v.width).collect();
        assert_eq!(widths, [800, 16_383]);
    }

    #[test]
    fn a_photo_no_webp_copy_of_which_can_fit_is_an_error() {
        let tall = DynamicImage::new_luma8(1, 17_000);
        let mut png = Vec::new();
        tall.write_to(&mut Cursor::new(&mut png), ImageFormat::Png)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("tall.png");
        std::fs::write(&source, png).unwrap();
        let err = process(
            &source,
            &dir.path().join("cache"),
            &ImageSettings::default(),
        )
        .unwrap_err();
        assert_eq!(
            err,
            ImageError::Proportions {
                width: 1,
                height: 17_000
            }
        );
    }

    #[test]
    fn a_header_over_the_pixel_budget_is_refused_before_decoding() {
        // A PNG signature and header declaring 10000×10000 pixels, with no picture data at all.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&10_000u32.to_be_bytes());
        png.extend_from_slice(&10_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        let err = within_budget(&png, 60).unwrap_err();
        assert_eq!(
            err.to_string(),
            "it is 10000×10000 pixels (100.0 megapixels), above the budget of 60 megapixels"
        );
        assert!(within_budget(&png, 100).is_ok());
        assert!(within_budget(b"not an image", 60).is_ok());
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        assert!(decode(b"not an image", 60).is_err());
        assert!(decode(&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F'], 60).is_err());
    }
}
