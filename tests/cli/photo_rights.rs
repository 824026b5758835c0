//! What published image files say about themselves, read back with an independent reader,
//! ExifTool: the credit, copyright, licence page and caption the newsroom gave them, the
//! source's colour profile, and nothing of the camera's metadata (GPS, serial numbers, owner,
//! maker notes, thumbnail, edit history).
//!
//! ExifTool is Debian's `libimage-exiftool-perl`; `.ci/run` installs it, so in CI these tests
//! always run. Elsewhere, without it, they say they were skipped.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use image::{DynamicImage, ImageFormat, Rgb, RgbImage};
use serde_json::{Map, Value};

use crate::harness::Site;

/// The reader: `DATELINE_EXIFTOOL`, or `exiftool` on the PATH. In CI it must be there.
fn exiftool() -> Option<PathBuf> {
    let named = std::env::var_os("DATELINE_EXIFTOOL").map(PathBuf::from);
    let found = named.or_else(|| {
        let path = std::env::var_os("PATH")?;
        std::env::split_paths(&path)
            .map(|dir| dir.join("exiftool"))
            .find(|candidate| candidate.is_file())
    });
    let ci = std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false");
    match (found, ci) {
        (Some(exiftool), _) => Some(exiftool),
        (None, true) => panic!(
            "ExifTool is not installed, and CI must run it: `apt-get install \
             libimage-exiftool-perl`, or name it in DATELINE_EXIFTOOL"
        ),
        (None, false) => {
            eprintln!(
                "skipped: ExifTool is not installed, so the published images' metadata was not \
                 read; `apt-get install libimage-exiftool-perl` installs it"
            );
            None
        }
    }
}

/// Every tag ExifTool finds in `file` (unknown ones too), as `Group:Tag` -> value.
fn tags(exiftool: &Path, file: &Path) -> Map<String, Value> {
    let output = Command::new(exiftool)
        .args(["-j", "-a", "-u", "-G1", "-n"])
        .arg(file)
        .output()
        .expect("run exiftool");
    assert!(output.status.success(), "exiftool failed on {file:?}");
    let mut all: Vec<Map<String, Value>> =
        serde_json::from_slice(&output.stdout).expect("exiftool writes JSON");
    all.pop().expect("one file")
}

/// Writes `tags` (`-TAG=VALUE` arguments) into `file` with ExifTool.
fn write_tags(exiftool: &Path, file: &Path, tags: &[String]) {
    let status = Command::new(exiftool)
        .args(tags)
        .args(["-overwrite_original", "-q"])
        .arg(file)
        .status()
        .expect("run exiftool");
    assert!(status.success(), "exiftool could not write {tags:?}");
}

/// A smooth colour gradient, which survives JPEG compression with small differences.
fn gradient(width: u32, height: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(width, height, |x, y| {
        let r = (40 + x * 150 / width) as u8;
        let g = (200 - y * 120 / height) as u8;
        Rgb([r, g, 90])
    }))
}

fn encoded(image: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut bytes = std::io::Cursor::new(Vec::new());
    image.write_to(&mut bytes, format).expect("encode");
    bytes.into_inner()
}

/// Every image file the build published: the sized copies and the photos at their own path.
fn published_images(site: &Site) -> Vec<PathBuf> {
    let public = site.root().join("public");
    let mut files: Vec<PathBuf> = walk(&public)
        .into_iter()
        .filter(|path| {
            let name = path.to_string_lossy();
            [".jpg", ".png", ".webp"]
                .iter()
                .any(|ext| name.ends_with(ext))
        })
        .collect();
    files.sort();
    files
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for entry in fs::read_dir(dir).expect("read a folder").flatten() {
        let path = entry.path();
        match path.is_dir() {
            true => found.extend(walk(&path)),
            false => found.push(path),
        }
    }
    found
}

const RIGHTS: &str = "[images]\nwidths = [32]\ncopyright = \"© Test Gazette\"\n\
                      license = \"/licensing/\"\n";

/// A site with a JPEG and a PNG lead photo, both straight from a "camera": GPS position,
/// serial numbers, owner, maker, a thumbnail and an edit history.
fn site_with_camera_photos(exiftool: &Path) -> Site {
    let site = Site::new().config(RIGHTS).story(
        "licensing.md",
        "headline: Licensing\nlayout: page",
        "Ask us.\n",
    );
    let thumbnail = site.root().join("thumb.jpg");
    fs::write(&thumbnail, encoded(&gradient(8, 6), ImageFormat::Jpeg)).expect("thumbnail");
    for (slug, name, format) in [
        ("talks", "photo.jpg", ImageFormat::Jpeg),
        ("vote", "chart.png", ImageFormat::Png),
    ] {
        let site = site.file(
            &format!("content/world/{slug}/{name}"),
            encoded(&gradient(64, 48), format),
        );
        let source = site.root().join(format!("content/world/{slug}/{name}"));
        let mut camera: Vec<String> = [
            "-GPSLatitude=38.7223",
            "-GPSLatitudeRef=N",
            "-GPSLongitude=9.1393",
            "-GPSLongitudeRef=W",
            "-SerialNumber=SN-CAMERA-4711",
            "-LensSerialNumber=SN-LENS-0815",
            "-OwnerName=Private Owner",
            "-Make=Canon",
            "-Model=Canon EOS R5",
            "-XMP-xmpMM:HistoryAction=saved",
            "-XMP-xmpMM:HistorySoftwareAgent=Photo Editor 1.0",
        ]
        .map(str::to_string)
        .to_vec();
        if format == ImageFormat::Jpeg {
            camera.push(format!("-ThumbnailImage<={}", thumbnail.display()));
        }
        write_tags(exiftool, &source, &camera);
        let planted = tags(exiftool, &source);
        assert!(
            planted.keys().any(|k| k.contains("GPSLatitude")),
            "{planted:?}"
        );
        site.story(
            &format!("world/{slug}/index.md"),
            &format!(
                "headline: {slug}\ndate: 2025-05-19 10:00\nphoto:\n  src: {name}\n  alt: A table\n  \
                 credit: \"Ana Lima/Reuters\"\n  caption: \"Delegates <met> & talked.\""
            ),
            "Text.\n",
        );
    }
    site
}

#[test]
fn published_photos_carry_their_credit_and_rights_and_none_of_the_cameras_metadata() {
    let Some(exiftool) = exiftool() else { return };
    let site = site_with_camera_photos(&exiftool);
    site.build().assert_success();
    let files = published_images(&site);
    // Each photo at 32 pixels and its own width, as JPEG or PNG and WebP, and at its own path.
    assert_eq!(files.len(), 10, "{files:?}");
    let forbidden = [
        "GPS",
        "Serial",
        "Owner",
        "MakerNote",
        "Make",
        "Model",
        "Thumbnail",
        "History",
    ];
    for file in files {
        let found = tags(&exiftool, &file);
        let has = |tag: &str, value: &str| found.get(tag).and_then(Value::as_str) == Some(value);
        assert!(has("XMP-dc:Creator", "Ana Lima"), "{file:?}: {found:#?}");
        assert!(
            has("XMP-photoshop:Credit", "Ana Lima/Reuters"),
            "{file:?}: {found:#?}"
        );
        assert!(
            has("XMP-dc:Rights", "© Test Gazette"),
            "{file:?}: {found:#?}"
        );
        assert!(
            has("XMP-dc:Description", "Delegates <met> & talked."),
            "{file:?}: {found:#?}"
        );
        assert!(
            has(
                "XMP-xmpRights:WebStatement",
                "https://news.example.org/licensing/"
            ),
            "{file:?}: {found:#?}"
        );
        assert!(
            has("XMP-iptcCore:AltTextAccessibility", "A table"),
            "{file:?}"
        );
        let leaked: Vec<&String> = found
            .keys()
            .filter(|key| forbidden.iter().any(|word| key.contains(word)))
            .collect();
        assert!(leaked.is_empty(), "{file:?} leaks {leaked:?}");
        let bytes = fs::read(&file).expect("read");
        let text = String::from_utf8_lossy(&bytes);
        for secret in ["SN-CAMERA-4711", "SN-LENS-0815", "Private Owner", "Canon"] {
            assert!(!text.contains(secret), "{file:?} still holds {secret}");
        }
        assert!(
            !found.contains_key("ExifTool:Warning"),
            "{file:?}: {:?}",
            found.get("ExifTool:Warning")
        );
    }
}

#[test]
fn a_changed_credit_restamps_the_files_without_encoding_them_again() {
    let Some(exiftool) = exiftool() else { return };
    let site = site_with_camera_photos(&exiftool);
    let built = site.builder().build().expect("the first build");
    assert!(built.images_encoded > 0);
    let story = site.read("content/world/talks/index.md");
    site.file(
        "content/world/talks/index.md",
        story.replace("Ana Lima/Reuters", "Rui Sá/Lusa"),
    );
    let built = site.builder().build().expect("the second build");
    assert_eq!(built.images_encoded, 0, "only the metadata changed");
    let run = site.build();
    run.assert_success();
    let photo = site.root().join("public/world/2025/05/talks/photo.jpg");
    let found = tags(&exiftool, &photo);
    assert_eq!(found["XMP-photoshop:Credit"], "Rui Sá/Lusa");
    assert_eq!(found["XMP-dc:Creator"], "Rui Sá");
}

/// A Display P3 ICC profile (version 2 layout): the P3 primaries adapted to the D50
/// connection space and the sRGB tone curve, as Apple's "Display P3" has them.
fn display_p3_profile() -> Vec<u8> {
    fn s15(value: f64) -> [u8; 4] {
        ((value * 65536.0).round() as i32).to_be_bytes()
    }
    let xyz = |x: f64, y: f64, z: f64| {
        let mut tag = b"XYZ \0\0\0\0".to_vec();
        tag.extend(s15(x));
        tag.extend(s15(y));
        tag.extend(s15(z));
        tag
    };
    let mut curve = b"para\0\0\0\0\0\x03\0\0".to_vec();
    for value in [2.4, 1.0 / 1.055, 0.055 / 1.055, 1.0 / 12.92, 0.04045] {
        curve.extend(s15(value));
    }
    let name = "Display P3 (test)";
    let mut desc = b"desc\0\0\0\0".to_vec();
    desc.extend((name.len() as u32 + 1).to_be_bytes());
    desc.extend(name.as_bytes());
    desc.extend([0; 1 + 4 + 4 + 2 + 1 + 67]);
    let tags: Vec<(&[u8; 4], Vec<u8>)> = vec![
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.515102, 0.241182, -0.001050)),
        (b"gXYZ", xyz(0.291965, 0.692236, 0.041881)),
        (b"bXYZ", xyz(0.157153, 0.066582, 0.784378)),
        (b"rTRC", curve.clone()),
        (b"gTRC", curve.clone()),
        (b"bTRC", curve),
        (b"cprt", b"text\0\0\0\0No copyright, test data\0".to_vec()),
    ];
    let mut table = (tags.len() as u32).to_be_bytes().to_vec();
    let mut data = Vec::new();
    let mut offset = 128 + 4 + 12 * tags.len();
    for (signature, tag) in &tags {
        table.extend(*signature);
        table.extend((offset as u32).to_be_bytes());
        table.extend((tag.len() as u32).to_be_bytes());
        data.extend(tag);
        while data.len() % 4 != 0 {
            data.push(0);
        }
        offset = 128 + 4 + 12 * tags.len() + data.len();
    }
    let size = 128 + table.len() + data.len();
    let mut header = Vec::new();
    header.extend((size as u32).to_be_bytes());
    header.extend(b"none");
    header.extend([2, 0x10, 0, 0]);
    header.extend(b"mntrRGB XYZ ");
    header.extend([0x07, 0xE9, 0, 1, 0, 1, 0, 0, 0, 0, 0, 0]);
    header.extend(b"acsp");
    header.extend([0; 4 + 4 + 4 + 4 + 8 + 8 + 4]);
    header.extend(s15(0.9642));
    header.extend(s15(1.0));
    header.extend(s15(0.8249));
    header.resize(128, 0);
    [header, table, data].concat()
}

#[test]
fn a_display_p3_photo_keeps_its_profile_and_its_colours() {
    let Some(exiftool) = exiftool() else { return };
    let profile = display_p3_profile();
    let site = Site::new().config("[images]\nwidths = [32]\n");
    let icc = site.root().join("p3.icc");
    fs::write(&icc, &profile).expect("write the profile");
    let source = gradient(64, 48);
    for (slug, name, format) in [
        ("talks", "photo.jpg", ImageFormat::Jpeg),
        ("vote", "photo.png", ImageFormat::Png),
    ] {
        site.file(
            &format!("content/world/{slug}/{name}"),
            encoded(&source, format),
        );
        let path = site.root().join(format!("content/world/{slug}/{name}"));
        write_tags(
            &exiftool,
            &path,
            &[format!("-ICC_Profile<={}", icc.display())],
        );
        site.story(
            &format!("world/{slug}/index.md"),
            &format!("headline: {slug}\ndate: 2025-05-19 10:00\nphoto: {{src: {name}, alt: x}}"),
            "Text.\n",
        );
    }
    site.build().assert_success();
    let files = published_images(&site);
    assert_eq!(files.len(), 10, "{files:?}");
    for file in &files {
        let found = tags(&exiftool, file);
        assert_eq!(
            found
                .get("ICC_Profile:ProfileDescription")
                .and_then(Value::as_str),
            Some("Display P3 (test)"),
            "{file:?}: {found:#?}"
        );
        let output = Command::new(&exiftool)
            .args(["-b", "-ICC_Profile"])
            .arg(file)
            .output()
            .expect("run exiftool");
        assert!(
            output.stdout == profile,
            "{file:?} does not carry the same profile"
        );
    }
    // Same profile, same values: the colours are the source's, within JPEG's and lossy WebP's
    // rounding (a mean difference of 3 in 255 per channel; a lost or converted profile moves
    // these colours by 10 or more).
    for (published, lossless) in [
        ("public/world/2025/05/talks/photo.jpg", false),
        ("public/world/2025/05/vote/photo.png", true),
    ] {
        let out = image::open(site.root().join(published))
            .expect("decode")
            .to_rgb8();
        let original = source.to_rgb8();
        let total: u64 = out
            .as_raw()
            .iter()
            .zip(original.as_raw())
            .map(|(a, b)| u64::from(a.abs_diff(*b)))
            .sum();
        let mean = total as f64 / original.as_raw().len() as f64;
        match lossless {
            true => assert_eq!(mean, 0.0, "{published}"),
            false => assert!(mean < 3.0, "{published}: mean difference {mean}"),
        }
    }
}
