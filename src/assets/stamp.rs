//! The published copies of encoded images, stamped with their rights (see `rights`).
//!
//! Pixels are the costly part, and they do not change when a credit does: the cache keeps
//! each encoding once, keyed by the source's bytes, and each stamped copy beside it in
//! `rights/`, named by the encoding and a hash of the rights. A corrected credit therefore
//! re-writes only the small metadata of the files, never re-encodes them.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::assets::picture::Variant;
use crate::assets::rights::Rights;
use crate::model::Newsroom;
use crate::parse::story::Story;

/// The folder of stamped copies, inside the image cache.
const STAMPED_DIR: &str = "rights";

/// The rights of every image file the newsroom's stories use, by source file; files no story
/// names get only the site's (`[images] copyright` and `license`).
///
/// A file used by several stories takes the credit of one: a lead photo before an image in a
/// story's text, then the oldest story that gives a credit (the one that first published the
/// picture; later stories reuse it). An image in a story's text takes that story's photo
/// credit, the best that is known of it.
pub(crate) fn by_source(
    newsroom: &Newsroom,
    story_photos: &[Option<PathBuf>],
    by_url: &HashMap<String, PathBuf>,
) -> HashMap<PathBuf, Rights> {
    let site = Rights::of_site(&newsroom.site);
    let stories = &newsroom.stories;
    let mut oldest_first: Vec<usize> = (0..stories.len()).collect();
    oldest_first.sort_by_key(|&i| stories[i].front.date.as_ref().map(|d| d.timestamp()));
    let mut rights: HashMap<PathBuf, Rights> = HashMap::new();
    let mut offer = |path: &Path, offered: Rights| match rights.get(path) {
        Some(known) if known.credit.is_some() || offered.credit.is_none() => {}
        _ => {
            rights.insert(path.to_path_buf(), offered);
        }
    };
    for &index in &oldest_first {
        let (Some(path), Some(photo)) = (&story_photos[index], &stories[index].front.photo) else {
            continue;
        };
        let alt = Some(photo.alt.as_str());
        offer(
            path,
            site.with_photo(photo.credit.as_deref(), photo.caption.as_deref(), alt),
        );
    }
    let in_text = oldest_first
        .iter()
        .map(|&i| &stories[i])
        .chain(&newsroom.pages);
    for story in in_text {
        let credit = credit_of(story);
        for (url, _) in &story.body.images {
            if let Some(path) = by_url.get(url) {
                offer(path, site.with_photo(credit, None, None));
            }
        }
    }
    rights
}

fn credit_of(story: &Story) -> Option<&str> {
    story.front.photo.as_ref()?.credit.as_deref()
}

/// The file to publish for `variant`, kept in `cache`: a copy stamped with `rights`, made now
/// unless an earlier build made it, or the encoding itself when there is nothing to stamp.
pub(crate) fn stamped(cache: &Path, variant: &Variant, rights: &Rights) -> Result<PathBuf, String> {
    let encoded = cache.join(&variant.file);
    let Some(xmp) = rights.xmp() else {
        return Ok(encoded);
    };
    let path = cache.join(STAMPED_DIR).join(stamped_name(variant, rights));
    if path.is_file() {
        return Ok(path);
    }
    let bytes = std::fs::read(&encoded).map_err(|err| crate::util::fs::io_reason(&err))?;
    let bytes = crate::assets::embed::with_xmp(bytes, variant.format, &xmp)?;
    let folder = cache.join(STAMPED_DIR);
    std::fs::create_dir_all(&folder).map_err(|err| crate::util::fs::io_reason(&err))?;
    // Two sources with the same bytes and rights are stamped into one file, maybe at once.
    static WRITES: AtomicUsize = AtomicUsize::new(0);
    let write = WRITES.fetch_add(1, Ordering::Relaxed);
    let partial = folder.join(format!(".partial-{}-{write}", std::process::id()));
    std::fs::write(&partial, &bytes)
        .and_then(|()| std::fs::rename(&partial, &path))
        .map_err(|err| {
            let _ = std::fs::remove_file(&partial);
            crate::util::fs::io_reason(&err)
        })?;
    Ok(path)
}

/// `<hash>-800.<rights>.webp`: the encoding's name with the rights' hash before its extension.
fn stamped_name(variant: &Variant, rights: &Rights) -> String {
    let extension = variant.format.extension();
    let stem = variant
        .file
        .strip_suffix(extension)
        .map_or(variant.file.as_str(), |s| s.trim_end_matches('.'));
    format!("{stem}.{}.{extension}", rights.key())
}

/// Deletes the stamped copies this build did not publish: those of an old credit.
pub(crate) fn prune(cache: &Path, published: &HashSet<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(cache.join(STAMPED_DIR)) else {
        return;
    };
    for entry in entries.flatten() {
        if !published.contains(&entry.path()) && entry.file_type().is_ok_and(|t| t.is_file()) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}
