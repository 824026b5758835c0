//! Photos: local images resized to the site's widths, upright, without their metadata, cached
//! between builds, and offered to browsers with `<picture>`, `srcset` and their size.
//!
//! Each test makes its photos with the `image` crate (and EXIF segments by hand), builds a site
//! in a temporary folder through the library (to read what the build counted, and to keep one
//! builder between edits as `serve` does), and reads what was written.

use std::collections::BTreeMap;
use std::fs;
use std::path::PathBuf;
use std::time::SystemTime;

use dateline::build::Built;
use dateline::diagnostic::Diagnostic;
use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage, Rgba, RgbaImage};
use scraper::{Html, Selector};

use crate::harness::Site;

const SITE_TOML: &str = "title = \"Test Gazette\"\nbase_url = \"https://news.example.org/\"\n\
                         [images]\nwidths = [100, 200, 400]\n";

/// Latitude bytes that only a GPS block can put into an output file.
const GPS_MARKER: [u8; 8] = [0x12, 0x34, 0x56, 0x78, 0, 0, 0, 1];

/// A site whose photos are published at widths of 100, 200 and 400 pixels.
fn site_with_widths() -> Site {
    Site::with_config(SITE_TOML)
}

/// A story folder `content/world/<slug>/` with `photo` as its lead photo.
fn story_with_photo(site: &Site, slug: &str, name: &str, photo: &[u8]) {
    site.file(
        &format!("content/world/{slug}/index.md"),
        format!(
            "---\nheadline: Talks in {slug}\ndate: 2025-05-19 10:00\nphoto:\n  src: {name}\n  \
             alt: Delegates at a table\n  credit: Gazette Staff\n---\nNegotiators met.\n"
        ),
    );
    site.file(&format!("content/world/{slug}/{name}"), photo);
}

/// Builds with a fresh builder (like a new `dateline build`) and writes `public/`.
fn build_in_process(site: &Site) -> Built {
    let built = match site.builder().build() {
        Ok(built) => built,
        Err(problems) => panic!("the build failed: {problems:?}"),
    };
    dateline::write::write_site(&built.outputs, &site.root().join("public"), None)
        .expect("the site is written");
    built
}

fn public(site: &Site, path: &str) -> PathBuf {
    site.root().join("public").join(path)
}

fn html(site: &Site, path: &str) -> Html {
    let text = fs::read_to_string(public(site, path)).expect("a page");
    Html::parse_document(&text)
}

/// Files under `public/img/`, by name.
fn images(site: &Site) -> BTreeMap<String, Vec<u8>> {
    fs::read_dir(public(site, "img"))
        .expect("public/img exists")
        .flatten()
        .map(|e| {
            let bytes = fs::read(e.path()).expect("an image");
            (e.file_name().to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// The encoded files in the image cache, by name, without the copies stamped with each
/// photo's credit (in its `rights/` folder; see [`stamped`]).
fn cache(site: &Site) -> BTreeMap<String, SystemTime> {
    files_in(&site.root().join(".dateline-cache/images"))
}

/// The copies of the encoded files stamped with their credit and rights.
fn stamped(site: &Site) -> BTreeMap<String, SystemTime> {
    files_in(&site.root().join(".dateline-cache/images/rights"))
}

fn files_in(dir: &std::path::Path) -> BTreeMap<String, SystemTime> {
    fs::read_dir(dir)
        .expect("the cache folder exists")
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| {
            let modified = e.metadata().and_then(|m| m.modified()).expect("an mtime");
            (e.file_name().to_string_lossy().into_owned(), modified)
        })
        .collect()
}

fn encode(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image
        .write_to(&mut bytes, format)
        .expect("encode a fixture");
    bytes.into_inner()
}

/// A photo whose left half is red and right half blue, so that rotation can be seen.
fn halves(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, _| {
        if x < width / 2 {
            Rgb([255, 0, 0])
        } else {
            Rgb([0, 0, 255])
        }
    }))
}

/// An EXIF APP1 segment (big-endian TIFF) with an orientation and a GPS block holding a
/// latitude reference and a latitude made of [`GPS_MARKER`] rationals.
fn exif_segment(orientation: u16) -> Vec<u8> {
    let mut tiff: Vec<u8> = b"MM\0\x2a\0\0\0\x08".to_vec();
    let entry = |tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        let mut e = Vec::new();
        e.extend(tag.to_be_bytes());
        e.extend(kind.to_be_bytes());
        e.extend(count.to_be_bytes());
        e.extend(value);
        e
    };
    // IFD0 at 8: two entries, ends at 38; the GPS IFD at 38 ends at 68; the latitude follows.
    tiff.extend(2u16.to_be_bytes());
    let [o1, o2] = orientation.to_be_bytes();
    tiff.extend(entry(0x0112, 3, 1, [o1, o2, 0, 0]));
    tiff.extend(entry(0x8825, 4, 1, 38u32.to_be_bytes()));
    tiff.extend(0u32.to_be_bytes());
    tiff.extend(2u16.to_be_bytes());
    tiff.extend(entry(0x0001, 2, 2, *b"N\0\0\0"));
    tiff.extend(entry(0x0002, 5, 3, 68u32.to_be_bytes()));
    tiff.extend(0u32.to_be_bytes());
    for _ in 0..3 {
        tiff.extend(GPS_MARKER);
    }
    let mut segment = vec![0xFF, 0xE1];
    let length = u16::try_from(2 + 6 + tiff.len()).expect("a short segment");
    segment.extend(length.to_be_bytes());
    segment.extend(b"Exif\0\0");
    segment.extend(tiff);
    segment
}

/// A JPEG of `image` with [`exif_segment`] right after its start marker.
fn jpeg_with_exif(image: &DynamicImage, orientation: u16) -> Vec<u8> {
    let plain = encode(image, ImageFormat::Jpeg);
    let mut bytes = plain[..2].to_vec();
    bytes.extend(exif_segment(orientation));
    bytes.extend(&plain[2..]);
    bytes
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

fn select<'a>(html: &'a Html, css: &str) -> scraper::ElementRef<'a> {
    let selector = Selector::parse(css).expect("a selector");
    html.select(&selector)
        .next()
        .unwrap_or_else(|| panic!("no {css}"))
}

#[test]
fn the_fixture_really_carries_gps_and_orientation() {
    let bytes = jpeg_with_exif(&halves(40, 20), 6);
    assert!(contains(&bytes, b"Exif\0\0") && contains(&bytes, &GPS_MARKER));
    let mut decoder = image::ImageReader::new(std::io::Cursor::new(&bytes))
        .with_guessed_format()
        .expect("a format")
        .into_decoder()
        .expect("a decoder");
    use image::ImageDecoder;
    assert_eq!(
        decoder.orientation().expect("an orientation"),
        image::metadata::Orientation::Rotate90
    );
}

#[test]
fn each_width_up_to_the_original_is_produced_in_webp_and_the_original_format() {
    let site = site_with_widths();
    story_with_photo(
        &site,
        "sizes",
        "photo.png",
        &encode(&halves(300, 150), ImageFormat::Png),
    );
    build_in_process(&site);
    let mut produced: Vec<(String, u32, u32)> = images(&site)
        .iter()
        .map(|(name, bytes)| {
            let image = image::load_from_memory(bytes).expect("a readable output");
            let extension = name.rsplit('.').next().unwrap_or_default().to_string();
            (extension, image.width(), image.height())
        })
        .collect();
    produced.sort();
    assert_eq!(
        produced,
        [
            ("png".into(), 100, 50),
            ("png".into(), 200, 100),
            ("png".into(), 300, 150),
            ("webp".into(), 100, 50),
            ("webp".into(), 200, 100),
            ("webp".into(), 300, 150),
        ],
        "400 is wider than the photo: never upscaled"
    );
}

#[test]
fn transparent_edges_keep_their_colour_when_resized() {
    // Opaque red beside fully transparent black: a resizer that ignores alpha mixes the black
    // into the half-transparent pixels of the edge, a dark fringe on a light page.
    let image = DynamicImage::ImageRgba8(RgbaImage::from_fn(300, 150, |x, _| {
        if x < 150 {
            Rgba([255, 0, 0, 255])
        } else {
            Rgba([0, 0, 0, 0])
        }
    }));
    let site = site_with_widths();
    story_with_photo(&site, "logo", "logo.png", &encode(&image, ImageFormat::Png));
    build_in_process(&site);
    let (_, small) = images(&site)
        .into_iter()
        .find(|(name, _)| name.ends_with("-100.png"))
        .expect("a 100-pixel PNG");
    let small = image::load_from_memory(&small).expect("a PNG").to_rgba8();
    let edge: Vec<&Rgba<u8>> = small.pixels().filter(|p| p[3] > 0 && p[3] < 255).collect();
    assert!(!edge.is_empty(), "the edge is half transparent");
    for pixel in edge {
        assert!(pixel[0] > 230, "a dark fringe: {pixel:?}");
    }
}

#[test]
fn exif_orientation_is_applied() {
    let site = site_with_widths();
    story_with_photo(
        &site,
        "turned",
        "photo.jpg",
        &jpeg_with_exif(&halves(40, 20), 6),
    );
    build_in_process(&site);
    let page = html(&site, "world/2025/05/turned/index.html");
    let img = select(&page, "figure.story-photo img");
    assert_eq!(img.attr("width"), Some("20"));
    assert_eq!(img.attr("height"), Some("40"));
    let full = image::load_from_memory(
        &fs::read(public(&site, "world/2025/05/turned/photo.jpg")).expect("the photo"),
    )
    .expect("a JPEG");
    assert_eq!(full.dimensions(), (20, 40));
    // Turned clockwise: the left (red) half is now on top.
    let top = full.get_pixel(10, 5);
    let bottom = full.get_pixel(10, 35);
    assert!(top[0] > 200 && top[2] < 60, "top is red: {top:?}");
    assert!(
        bottom[2] > 200 && bottom[0] < 60,
        "bottom is blue: {bottom:?}"
    );
}

#[test]
fn gps_and_all_exif_are_stripped_from_every_output_even_full_size() {
    let site = site_with_widths();
    let source = jpeg_with_exif(&halves(150, 100), 1);
    story_with_photo(&site, "secret", "photo.jpg", &source);
    build_in_process(&site);
    let mut outputs = images(&site);
    assert_eq!(outputs.len(), 4, "100 and 150, twice: {:?}", outputs.keys());
    let at_own_path = fs::read(public(&site, "world/2025/05/secret/photo.jpg")).expect("the photo");
    assert_ne!(
        at_own_path, source,
        "the original is re-encoded, never copied"
    );
    outputs.insert("photo.jpg".into(), at_own_path);
    for (name, bytes) in &outputs {
        assert!(!contains(bytes, b"Exif"), "{name} has an EXIF block");
        assert!(!contains(bytes, &GPS_MARKER), "{name} has the GPS bytes");
        assert!(
            !contains(bytes, b"ICC_PROFILE"),
            "{name} has a colour profile"
        );
        image::load_from_memory(bytes).expect("a readable output");
    }
}

#[test]
fn pages_offer_webp_and_original_srcsets_with_the_size() {
    let site = site_with_widths();
    story_with_photo(
        &site,
        "lead",
        "photo.jpg",
        &encode(&halves(300, 150), ImageFormat::Jpeg),
    );
    build_in_process(&site);
    let page = html(&site, "world/2025/05/lead/index.html");
    let source = select(
        &page,
        "figure.story-photo picture source[type='image/webp']",
    );
    let srcset = source.attr("srcset").expect("a webp srcset");
    assert!(
        srcset.contains("-100.webp 100w") && srcset.contains("-300.webp 300w"),
        "{srcset}"
    );
    let img = select(&page, "figure.story-photo picture img");
    let fallback = img.attr("srcset").expect("a fallback srcset");
    assert!(
        fallback.contains("/img/") && fallback.contains("-200.jpg 200w"),
        "{fallback}"
    );
    assert!(img.attr("sizes").is_some());
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("300"), Some("150"))
    );
    assert_eq!(img.attr("fetchpriority"), Some("high"));
    assert_eq!(img.attr("loading"), None, "the lead photo is not lazy");
    let caption = select(&page, "figure.story-photo figcaption")
        .text()
        .collect::<String>();
    assert!(caption.contains("Photo: Gazette Staff"), "{caption}");
    for url in srcset.split(", ").chain(fallback.split(", ")) {
        let path = url
            .split(' ')
            .next()
            .unwrap_or_default()
            .trim_start_matches('/');
        assert!(public(&site, path).is_file(), "{path} is published");
    }

    let front = html(&site, "index.html");
    let card = select(&front, "article.card picture img");
    assert!(card.attr("srcset").is_some_and(|s| s.contains("w, ")));
    assert_eq!(
        (card.attr("width"), card.attr("height")),
        (Some("300"), Some("150"))
    );
}

#[test]
fn a_second_build_encodes_nothing_and_rewrites_no_cache_file() {
    let site = site_with_widths();
    story_with_photo(
        &site,
        "one",
        "photo.jpg",
        &encode(&halves(300, 150), ImageFormat::Jpeg),
    );
    story_with_photo(
        &site,
        "two",
        "photo.png",
        &encode(&halves(120, 60), ImageFormat::Png),
    );
    let first = build_in_process(&site);
    assert_eq!(first.images_encoded, 6 + 4);
    let before = cache(&site);
    let second = build_in_process(&site);
    assert_eq!(second.images_encoded, 0);
    assert_eq!(cache(&site), before, "no cache file was rewritten");
    // The served (or written) files come from the cache.
    assert_eq!(images(&site).len(), 10);
}

#[test]
fn a_replaced_photo_is_encoded_again_and_its_old_files_are_pruned() {
    let site = site_with_widths();
    story_with_photo(
        &site,
        "one",
        "photo.jpg",
        &encode(&halves(300, 150), ImageFormat::Jpeg),
    );
    build_in_process(&site);
    let before = cache(&site);
    let stamped_before = stamped(&site);
    site.file(
        "content/world/one/photo.jpg",
        encode(&halves(200, 100), ImageFormat::Jpeg),
    );
    let built = build_in_process(&site);
    assert_eq!(built.images_encoded, 4);
    let after = cache(&site);
    assert!(
        after.keys().all(|name| !before.contains_key(name)),
        "{after:?}"
    );
    assert_eq!(after.len(), 5, "four images and their size note: {after:?}");
    let stamped_after = stamped(&site);
    assert!(
        stamped_after
            .keys()
            .all(|name| !stamped_before.contains_key(name)),
        "{stamped_after:?}"
    );
    assert_eq!(stamped_after.len(), 4, "the four images with their credit");
}

#[test]
fn corrupt_image_is_an_error_at_the_photo_naming_it_until_it_is_replaced() {
    let site = site_with_widths();
    story_with_photo(
        &site,
        "broken",
        "photo.jpg",
        b"\xff\xd8\xff\xe0 not really a JPEG",
    );
    let mut builder = site.builder();
    let errors: Vec<Diagnostic> = match builder.build() {
        Ok(_) => panic!("a corrupt photo was published"),
        Err(problems) => problems.into_iter().filter(Diagnostic::is_error).collect(),
    };
    let [error] = errors.as_slice() else {
        panic!("one error: {errors:?}");
    };
    assert_eq!(error.location(), "content/world/broken/index.md:5:3");
    assert!(
        error
            .message
            .starts_with("the photo `content/world/broken/photo.jpg` cannot be published:"),
        "{error}"
    );
    assert!(error.help.is_some(), "{error}");

    // As in `serve`: the same builder, told of the new file, builds.
    site.file(
        "content/world/broken/photo.jpg",
        encode(&halves(120, 60), ImageFormat::Jpeg),
    );
    builder.changed(&site.root().join("content/world/broken/photo.jpg"));
    let built = builder.build().expect("the replaced photo builds");
    assert_eq!(built.images_encoded, 4);
}

#[test]
fn markdown_images_beside_a_story_become_pictures_without_metadata() {
    let site = site_with_widths();
    site.file(
        "content/world/map/index.md",
        "---\nheadline: The map\ndate: 2025-05-19 10:00\n---\nIntro.\n\n![Where they met](map.jpg)\n",
    );
    site.file(
        "content/world/map/map.jpg",
        jpeg_with_exif(&halves(300, 150), 1),
    );
    build_in_process(&site);
    let page = html(&site, "world/2025/05/map/index.html");
    let img = select(&page, ".story-body picture img");
    assert_eq!(img.attr("alt"), Some("Where they met"));
    assert_eq!(
        (img.attr("width"), img.attr("height")),
        (Some("300"), Some("150"))
    );
    assert_eq!(img.attr("loading"), Some("lazy"));
    assert!(
        img.attr("srcset")
            .is_some_and(|s| s.contains("-100.jpg 100w"))
    );
    let source = select(&page, ".story-body picture source[type='image/webp']");
    assert!(
        source
            .attr("srcset")
            .is_some_and(|s| s.contains("-300.webp 300w"))
    );
    let published = fs::read(public(&site, "world/2025/05/map/map.jpg")).expect("the image");
    assert!(!contains(&published, &GPS_MARKER));
}

#[test]
fn resize_image_gives_templates_the_smallest_size_at_least_as_wide() {
    let site = site_with_widths();
    story_with_photo(
        &site,
        "teaser",
        "photo.jpg",
        &encode(&halves(300, 150), ImageFormat::Jpeg),
    );
    site.file(
        "templates/index.html",
        "{% for s in paginator.stories %}{% if s.photo %}\
         {% set small = resize_image(path=s.photo.src, width=150) %}\
         <img class=\"teaser\" src=\"{{ small.url }}\" data-webp=\"{{ small.webp }}\" \
         width=\"{{ small.width }}\" height=\"{{ small.height }}\" alt=\"\">\
         {% set far = resize_image(path=\"https://cdn.example.org/x.jpg\", width=150) %}\
         <img class=\"external\" src=\"{{ far.url }}\" alt=\"\">{% endif %}{% endfor %}",
    );
    build_in_process(&site);
    let front = html(&site, "index.html");
    let teaser = select(&front, "img.teaser");
    let url = teaser.attr("src").expect("a src");
    assert!(
        url.starts_with("/img/") && url.ends_with("-200.jpg"),
        "{url}"
    );
    assert!(
        teaser
            .attr("data-webp")
            .is_some_and(|u| u.ends_with("-200.webp"))
    );
    assert_eq!(
        (teaser.attr("width"), teaser.attr("height")),
        (Some("200"), Some("100"))
    );
    assert!(public(&site, url.trim_start_matches('/')).is_file());
    let external = select(&front, "img.external");
    assert_eq!(external.attr("src"), Some("https://cdn.example.org/x.jpg"));
}

#[test]
fn a_static_photo_is_resized_and_stripped_at_its_own_path() {
    let site = site_with_widths();
    site.file(
        "static/images/lead.jpg",
        jpeg_with_exif(&halves(300, 150), 1),
    );
    site.file(
        "content/world/square.md",
        "---\nheadline: Square\ndate: 2025-05-19 10:00\nphoto:\n  src: /images/lead.jpg\n  \
         alt: The square\n---\nText.\n",
    );
    build_in_process(&site);
    let page = html(&site, "world/2025/05/square/index.html");
    let img = select(&page, "figure.story-photo picture img");
    assert!(
        img.attr("srcset")
            .is_some_and(|s| s.contains("-300.jpg 300w"))
    );
    let published = fs::read(public(&site, "images/lead.jpg")).expect("the static photo");
    assert!(!contains(&published, &GPS_MARKER) && !contains(&published, b"Exif"));
}
