//! The bottom layer: small helpers that every stage may use (files, hashing, XML text, time
//! stamps, counted nouns, freeing memory in the background). It imports nothing of Dateline's
//! own, so that any stage can use it without pointing an import the wrong way.

pub(crate) mod background;
pub(crate) mod fs;
pub(crate) mod hash;
pub(crate) mod text;
pub(crate) mod time;
