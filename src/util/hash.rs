//! Hashing text into keys that stay the same between runs of one binary.

/// A hash of some text, for telling inputs apart between rebuilds. The same in every run of
/// one binary (FxHash has no random seed): the page record of `dateline build` keeps keys made
/// from it between runs, and names itself with it.
pub(crate) fn hash_of(text: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = rustc_hash::FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish()
}
