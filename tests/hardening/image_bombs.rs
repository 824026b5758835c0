//! Issue 23, items 1 and 11: images whose header declares more pixels than the budget are
//! refused from the header alone, in `build` and `check`, whether a story uses them or not; a
//! panorama wider than WebP allows is published with a WebP copy scaled to fit.

use crate::harness::dateline;
use crate::support::site;

const STORY: &str = "---\nheadline: Harbour\ndate: 2025-05-19\nphoto:\n  src: bomb.{ext}\n  alt: The quay\n---\nText.\n";

/// The CRC-32 of a PNG chunk's type and data.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    chunk.extend_from_slice(&body);
    chunk.extend_from_slice(&crc32(&body).to_be_bytes());
    chunk
}

/// A valid PNG header for a `side`×`side` RGB picture, followed by a few kilobytes of
/// compressed zero rows: small on disk, gigabytes once decoded.
fn png_bomb(side: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut header = side.to_be_bytes().to_vec();
    header.extend_from_slice(&side.to_be_bytes());
    header.extend_from_slice(&[8, 2, 0, 0, 0]);
    bytes.extend(png_chunk(b"IHDR", &header));
    // A stored zlib stream of zero rows (filter byte 0 and black pixels).
    let zeros = vec![0u8; 4096];
    let mut zlib = vec![0x78, 0x01, 1];
    zlib.extend_from_slice(&(zeros.len() as u16).to_le_bytes());
    zlib.extend_from_slice(&(!(zeros.len() as u16)).to_le_bytes());
    zlib.extend_from_slice(&zeros);
    bytes.extend(png_chunk(b"IDAT", &zlib));
    bytes.extend(png_chunk(b"IEND", &[]));
    bytes
}

/// A JPEG whose frame header declares `side`×`side` pixels: a few hundred bytes.
fn jpeg_bomb(side: u16) -> Vec<u8> {
    let mut bytes = vec![0xFF, 0xD8];
    // SOF0: length 11, 8 bits, height, width, one component.
    bytes.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8]);
    bytes.extend_from_slice(&side.to_be_bytes());
    bytes.extend_from_slice(&side.to_be_bytes());
    bytes.extend_from_slice(&[1, 1, 0x11, 0]);
    bytes.extend_from_slice(&[0xFF, 0xDA, 0, 8, 1, 1, 0, 0, 0x3F, 0]);
    bytes.extend_from_slice(&[0u8; 256]);
    bytes.extend_from_slice(&[0xFF, 0xD9]);
    bytes
}

fn refused_for_its_size(files: &[(&str, &[u8])], file: &str) {
    for command in ["build", "check"] {
        let dir = site(files);
        let run = dateline(dir.root()).args([command]).run();
        assert_eq!(run.code, Some(1), "{command}: {}", run.stderr);
        assert!(
            run.stderr.contains("megapixels") && run.stderr.contains(file),
            "{command} does not refuse {file} for its size:\n{}",
            run.stderr
        );
        assert!(!dir.root().join("public").exists(), "{command} published");
    }
}

#[test]
fn a_jpeg_declaring_sixteen_thousand_pixels_square_is_refused_from_its_header() {
    let story = STORY.replace("{ext}", "jpg");
    let bomb = jpeg_bomb(16_000);
    refused_for_its_size(
        &[
            ("content/world/harbour/index.md", story.as_bytes()),
            ("content/world/harbour/bomb.jpg", &bomb),
        ],
        "bomb.jpg",
    );
}

#[test]
fn a_png_declaring_fifty_thousand_pixels_square_is_refused_from_its_header() {
    let story = STORY.replace("{ext}", "png");
    let bomb = png_bomb(50_000);
    refused_for_its_size(
        &[
            ("content/world/harbour/index.md", story.as_bytes()),
            ("content/world/harbour/bomb.png", &bomb),
        ],
        "bomb.png",
    );
}

#[test]
fn an_image_bomb_that_no_story_uses_is_refused_from_its_header() {
    let bomb = png_bomb(20_000);
    refused_for_its_size(
        &[
            (
                "content/world/quay.md",
                b"---\nheadline: Quay\ndate: 2025-05-19\n---\nText.\n",
            ),
            ("content/world/unused.png", &bomb),
        ],
        "unused.png",
    );
}

#[test]
fn the_pixel_budget_can_be_raised_in_site_toml() {
    let story = STORY.replace("{ext}", "png");
    let bomb = png_bomb(9_000);
    let dir = site(&[
        ("content/world/harbour/index.md", story.as_bytes()),
        ("content/world/harbour/bomb.png", &bomb),
    ]);
    let refused = dateline(dir.root()).args(["check"]).run();
    assert!(
        refused.stderr.contains("above the budget of 60 megapixels"),
        "{}",
        refused.stderr
    );
    let toml = format!(
        "{}[images]\nmax_megapixels = 100\n",
        crate::support::SITE_TOML
    );
    std::fs::write(dir.root().join("site.toml"), toml).unwrap();
    let run = dateline(dir.root()).args(["check"]).run();
    // Within the raised budget the file is decoded, and this one's rows are missing.
    assert!(!run.stderr.contains("megapixels"), "{}", run.stderr);
}

#[test]
fn a_panorama_wider_than_webp_allows_gets_a_webp_copy_that_fits() {
    let story = STORY.replace("{ext}", "jpg");
    let panorama = crate::images::encoded(image::ImageFormat::Jpeg, 17_000, 1_000);
    let dir = site(&[
        ("content/world/harbour/index.md", story.as_bytes()),
        ("content/world/harbour/bomb.jpg", &panorama),
    ]);
    let run = dateline(dir.root()).args(["build"]).run();
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let mut widest = 0;
    for entry in std::fs::read_dir(dir.root().join("public/img")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "webp") {
            let (width, height) = image::image_dimensions(&path).unwrap();
            assert!(width <= 16_383 && height <= 16_383, "{width}x{height}");
            widest = widest.max(width);
        }
    }
    assert_eq!(widest, 16_383);
    let full = walkdir::WalkDir::new(dir.root().join("public"))
        .into_iter()
        .flatten()
        .find(|entry| entry.file_name() == "bomb.jpg")
        .expect("the photo is published at its own path");
    assert_eq!(
        image::image_dimensions(full.path()).unwrap(),
        (17_000, 1_000)
    );
}
