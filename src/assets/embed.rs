//! Metadata placed into encoded image files, each where its container keeps it: the colour
//! profile (JPEG `APP2`, PNG `iCCP`, WebP `ICCP`) and the XMP packet (JPEG `APP1`, PNG `iTXt`,
//! WebP `XMP `). img-parts reads and rewrites the containers; the pixels are not touched.

use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::{Png, PngChunk};
use img_parts::riff::{RiffChunk, RiffContent};
use img_parts::webp::{CHUNK_VP8X, CHUNK_XMP, WebP};
use img_parts::{Bytes, ImageICC};

use crate::assets::picture::Format;

/// What starts the `APP1` segment of a JPEG's XMP packet.
const JPEG_XMP_PREFIX: &[u8] = b"http://ns.adobe.com/xap/1.0/\0";

/// A JPEG segment holds at most this many bytes after its marker and length.
const JPEG_SEGMENT_MAX: usize = 65533;

/// The XMP flag of a WebP `VP8X` chunk's first byte.
const WEBP_XMP_FLAG: u8 = 0b0000_0100;

/// Whether an ICC profile describes RGB colour (`RGB ` at byte 16 of its header). Encoded
/// files are always RGB(A): the profile of a CMYK or grey source would misdescribe them.
pub(crate) fn is_rgb_profile(profile: &[u8]) -> bool {
    profile.get(16..20) == Some(b"RGB ")
}

/// `bytes` (a file the encoder wrote in `format`) with the colour profile `icc`.
pub(crate) fn with_icc(bytes: Vec<u8>, format: Format, icc: &[u8]) -> Result<Vec<u8>, String> {
    let icc = Some(Bytes::copy_from_slice(icc));
    let bytes = Bytes::from(bytes);
    let out = match format {
        Format::Jpeg => {
            let mut jpeg = Jpeg::from_bytes(bytes).map_err(|err| err.to_string())?;
            jpeg.set_icc_profile(icc);
            jpeg.encoder().bytes()
        }
        Format::Png => {
            let mut png = Png::from_bytes(bytes).map_err(|err| err.to_string())?;
            png.set_icc_profile(icc);
            png.encoder().bytes()
        }
        Format::WebP => {
            let mut webp = WebP::from_bytes(bytes).map_err(|err| err.to_string())?;
            webp.set_icc_profile(icc);
            webp.encoder().bytes()
        }
    };
    Ok(out.to_vec())
}

/// `bytes` (an encoded file in `format`) with the XMP packet `xmp` in place of any it had.
pub(crate) fn with_xmp(bytes: Vec<u8>, format: Format, xmp: &str) -> Result<Vec<u8>, String> {
    let bytes = Bytes::from(bytes);
    let out = match format {
        Format::Jpeg => jpeg_with_xmp(bytes, xmp)?,
        Format::Png => png_with_xmp(bytes, xmp)?,
        Format::WebP => webp_with_xmp(bytes, xmp)?,
    };
    Ok(out.to_vec())
}

fn jpeg_with_xmp(bytes: Bytes, xmp: &str) -> Result<Bytes, String> {
    let mut jpeg = Jpeg::from_bytes(bytes).map_err(|err| err.to_string())?;
    let mut contents = JPEG_XMP_PREFIX.to_vec();
    contents.extend_from_slice(xmp.as_bytes());
    if contents.len() > JPEG_SEGMENT_MAX {
        return Err(format!(
            "its credit and caption take {} bytes, more than a JPEG segment holds (64 KB)",
            contents.len()
        ));
    }
    jpeg.segments_mut().retain(|segment| {
        !(segment.marker() == markers::APP1 && segment.contents().starts_with(JPEG_XMP_PREFIX))
    });
    // After the JFIF and colour profile segments, before the picture's tables.
    let at = jpeg
        .segments()
        .iter()
        .position(|segment| !(markers::APP0..=markers::APP15).contains(&segment.marker()))
        .unwrap_or(0);
    let segment = JpegSegment::new_with_contents(markers::APP1, Bytes::from(contents));
    jpeg.segments_mut().insert(at, segment);
    Ok(jpeg.encoder().bytes())
}

fn png_with_xmp(bytes: Bytes, xmp: &str) -> Result<Bytes, String> {
    const ITXT: [u8; 4] = *b"iTXt";
    const KEYWORD: &[u8] = b"XML:com.adobe.xmp";
    let mut png = Png::from_bytes(bytes).map_err(|err| err.to_string())?;
    png.chunks_mut()
        .retain(|chunk| !(chunk.kind() == ITXT && chunk.contents().starts_with(KEYWORD)));
    // Keyword, then: no compression, method 0, no language tag, no translated keyword.
    let mut contents = KEYWORD.to_vec();
    contents.extend_from_slice(&[0, 0, 0, 0, 0]);
    contents.extend_from_slice(xmp.as_bytes());
    let at = png
        .chunks()
        .iter()
        .position(|chunk| chunk.kind() == *b"IDAT")
        .ok_or("it has no picture data")?;
    png.chunks_mut()
        .insert(at, PngChunk::new(ITXT, Bytes::from(contents)));
    Ok(png.encoder().bytes())
}

fn webp_with_xmp(bytes: Bytes, xmp: &str) -> Result<Bytes, String> {
    let mut webp = WebP::from_bytes(bytes).map_err(|err| err.to_string())?;
    webp.remove_chunks_by_id(CHUNK_XMP);
    let chunk = RiffChunk::new(
        CHUNK_XMP,
        RiffContent::Data(Bytes::copy_from_slice(xmp.as_bytes())),
    );
    webp.chunks_mut().push(chunk);
    // Setting the profile again makes img-parts turn a simple file into an extended one (with
    // a `VP8X` chunk), which metadata needs; it keeps only the profile and EXIF flags of an
    // existing `VP8X` up to date, so the XMP flag is set here.
    let icc = webp.icc_profile();
    webp.set_icc_profile(icc);
    for chunk in webp.chunks_mut() {
        if chunk.id() == CHUNK_VP8X
            && let RiffContent::Data(data) = chunk.content_mut()
            && let Some(flags) = data.first()
        {
            let mut content = data.to_vec();
            content[0] = flags | WEBP_XMP_FLAG;
            *data = Bytes::from(content);
        }
    }
    if !webp.chunks().iter().any(|chunk| chunk.id() == CHUNK_VP8X) {
        return Err("its size could not be read to make room for metadata".into());
    }
    Ok(webp.encoder().bytes())
}
