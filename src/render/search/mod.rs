//! The search index of the site's published stories and pages, for the `/search/` page: our
//! own, sharded so that a reader downloads only what a query needs, and updated story by story.
//!
//! Why not Pagefind: measured on this project's 10,000-story benchmark it took about 30 s and
//! 2 GB (the whole build takes under 2 s), and it cannot update one page of an index.
//!
//! # Files, under `/search/index/` (the format the theme's `search.js` reads)
//!
//! - `meta.json`: `{"version": 1, "language": "en"|null, "documents": N, "chunk": 20,
//!   "shards": [[first_key, name], ...], "sections": [...], "authors": [...],
//!   "years": [...], "v": "<hash>"}`. `v` changes with any index file, and is added to their
//!   URLs as `?v=` so that a browser never mixes two builds.
//! - `t/<name>.json`, the term shards: `{"w": {word: stem}, "p": {stem: [headline, front
//!   matter, body]}}`. Every key (a word in `w`, a stem in `p`) is in the shard whose
//!   `first_key` is the last one not after it (by code point). `w` maps each word form found
//!   in the archive whose stem differs from it to that stem, so the browser needs no stemmer:
//!   it looks the typed word up in `w` (or takes it as it is) and the stem up in `p`. The three
//!   postings strings are the documents whose headline, other front matter (dek, tags,
//!   section, authors) or body has the stem, each document in its best one only, in the form
//!   [`postings`] describes. Shards end before keys whose hash is a multiple of
//!   [`KEYS_PER_SHARD`], or before one that would take them past [`SHARD_BYTES`]: their limits
//!   depend on the words, so an edit rewrites only the shards of the words it changes (and,
//!   when a shard grows past that size, the few after it up to the next hashed limit).
//! - `d/<n>.json`, document chunk `n`: documents `n * chunk` to `(n + 1) * chunk - 1`, as
//!   `{"u": url, "h": headline, "d": dek, "t": "YYYY-MM-DD", "s": section, "a": [authors],
//!   "i": thumbnail, "x": the body's first words}`. Documents are numbered newest first;
//!   pages, which have no date, come after the stories.
//! - `facets.json`, read only when a reader filters: `{"s": [section index], "a": [[author
//!   index]], "y": [year]}` by document (`-1` and `0` for none).
//!
//! At 10,000 stories (`benches/RESULTS.md`), a one-word query reads `meta.json`, one or two
//! shards and one chunk per result shown.

mod postings;
mod words;

use std::fmt::Write;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

use rayon::prelude::*;
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet, FxHasher};
use serde::Serialize;

use crate::assets::Images;
use crate::model::Newsroom;
use crate::output::{Output, Outputs};
use crate::parse::story::{Status, Story};

/// The folder of the index files, under the site root.
pub(crate) const INDEX_DIR: &str = "search/index";
/// On average, how many keys a term shard holds at most.
const KEYS_PER_SHARD: u64 = 128;
/// About how many bytes a term shard holds at most (one key may be larger on its own).
const SHARD_BYTES: usize = 40_000;
/// How many documents a chunk of the document store holds.
const CHUNK: usize = 20;
/// How much of a body's text the document store keeps for excerpts, in characters.
const EXCERPT_CHARS: usize = 400;
/// The headline, the rest of the front matter, the body: where a stem is found in a document.
const TIERS: usize = 3;

/// What the index of the last build was made of, so that a rebuild tokenises only the
/// stories that changed and rewrites only the files they touch.
#[derive(Default)]
pub(crate) struct SearchCache {
    /// The stemming language the vocabulary was made in.
    language: Option<&'static str>,
    vocabulary: Vocabulary,
    /// By document key (see [`document_key`]).
    documents: HashMap<u64, Arc<Document>>,
    index: Index,
    /// Term shards by name.
    shards: HashMap<String, CachedShard>,
    /// Document chunks by the hash of their documents' keys.
    chunks: HashMap<u64, Arc<[u8]>>,
}

impl std::fmt::Debug for SearchCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchCache")
            .field("documents", &self.documents.len())
            .finish_non_exhaustive()
    }
}

/// A term shard's file, with what tells whether its keys are the same: their number and the
/// last one (its name is the first).
#[derive(Clone)]
struct CachedShard {
    keys: usize,
    last: Arc<str>,
    bytes: Arc<[u8]>,
}

/// Every word form and stem seen, numbered once for the life of the cache.
#[derive(Default)]
struct Vocabulary {
    /// A surface word's stem, and its number among the words whose stem differs from them.
    words: HashMap<Box<str>, (u32, Option<u32>)>,
    stems: Vec<Arc<str>>,
    stem_ids: HashMap<Arc<str>, u32>,
    /// By word number: the word (whose stem differs from it) and its stem.
    forms: Vec<(Arc<str>, u32)>,
}

/// One story or page, tokenised.
struct Document {
    /// Its distinct stems in each tier, each in its best tier only.
    stems: [Box<[u32]>; TIERS],
    /// Its word forms whose stem differs from them.
    forms: Box<[u32]>,
    /// Its entry in the document store, as JSON.
    record: String,
    section: Option<Arc<str>>,
    authors: Vec<String>,
    year: i16,
}

/// The inverted index of the last build.
#[derive(Default)]
struct Index {
    documents: Vec<(u64, Arc<Document>)>,
    /// By stem number, per tier: the documents, in increasing order.
    postings: Vec<[Vec<u32>; TIERS]>,
    /// By word number: how many documents have the form.
    form_counts: Vec<u32>,
    /// Every stem with documents and word form in some document, sorted by text.
    keys: Vec<Key>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    Form(u32),
    Stem(u32),
}

/// The keys whose entries changed since the last build.
#[derive(Default)]
struct Changes {
    stems: HashSet<u32>,
    forms: HashSet<u32>,
}

/// A document to index: a published story or page, its key, and its index in the newsroom's
/// stories (`None` for a page).
struct Candidate<'a> {
    key: u64,
    story: &'a Story,
    index: Option<usize>,
}

/// Writes the index files into `outputs`; nothing when search is off.
pub(crate) fn render(
    newsroom: &Newsroom,
    images: &Images,
    cache: &mut SearchCache,
    outputs: &mut Outputs,
) {
    let site = &newsroom.site;
    if !site.config.search.enabled {
        return;
    }
    let language = site.search_language();
    if cache.language != language {
        *cache = SearchCache {
            language,
            ..SearchCache::default()
        };
    }
    let candidates = candidates(newsroom, images);
    let documents = documents(newsroom, images, &candidates, cache);
    let changes = cache.index.update(&cache.vocabulary, documents);
    let shards = shards(&cache.index, &cache.vocabulary, &changes, &mut cache.shards);
    let chunks = chunks(&cache.index, &mut cache.chunks);
    let mut version = FxHasher::default();
    for (name, bytes) in shards.iter().chain(&chunks) {
        (name, bytes).hash(&mut version);
    }
    let facets = facets(&cache.index);
    facets.hash(&mut version);
    let meta = meta(&cache.index, &cache.vocabulary, language, version.finish());
    for (path, bytes) in shards.into_iter().chain(chunks) {
        outputs.insert(path, Output::Bytes(bytes));
    }
    outputs.insert(format!("{INDEX_DIR}/facets.json"), Output::text(facets));
    outputs.insert(format!("{INDEX_DIR}/meta.json"), Output::text(meta));
}

/// The published stories, newest first, then the pages; without excluded sections' stories.
fn candidates<'a>(newsroom: &'a Newsroom, images: &Images) -> Vec<Candidate<'a>> {
    let site = &newsroom.site;
    let excluded: HashSet<String> = site
        .config
        .search
        .exclude_sections
        .iter()
        .map(|name| crate::site::slug::slugify(name))
        .collect();
    let stories = newsroom.stories.iter().enumerate().filter(|(_, story)| {
        story
            .section_slug
            .as_deref()
            .is_none_or(|slug| !excluded.contains(slug))
    });
    let stories = stories.map(|(i, story)| (story, Some(i)));
    let pages = newsroom.pages.iter().map(|page| (page, None));
    stories
        .chain(pages)
        .filter(|(story, _)| story.status == Status::Published)
        .map(|(story, index)| Candidate {
            key: document_key(newsroom, images, story, index),
            story,
            index,
        })
        .collect()
}

/// A hash of everything a document's entry is made from.
fn document_key(newsroom: &Newsroom, images: &Images, story: &Story, index: Option<usize>) -> u64 {
    let mut hasher = FxHasher::default();
    story.file.hash.hash(&mut hasher);
    story.route.hash(&mut hasher);
    story.section.hash(&mut hasher);
    story.body.hash.hash(&mut hasher);
    index.and_then(|i| newsroom.photos.get(i)).hash(&mut hasher);
    // The thumbnail is a resized copy, named after the photo's content.
    index.and_then(|i| images.pictures.get(i)).hash(&mut hasher);
    newsroom.site.base_path.hash(&mut hasher);
    newsroom.site.config.timezone.hash(&mut hasher);
    hasher.finish()
}

/// The documents of this build, numbered; tokenised again only when their key is new.
fn documents(
    newsroom: &Newsroom,
    images: &Images,
    candidates: &[Candidate<'_>],
    cache: &mut SearchCache,
) -> Vec<(u64, Arc<Document>)> {
    let known = &cache.documents;
    let fresh: Vec<(u64, Tokens)> = candidates
        .par_iter()
        .filter(|c| !known.contains_key(&c.key))
        .map(|c| (c.key, tokens(newsroom, images, c)))
        .collect();
    let stemmer = words::stemmer(cache.language);
    cache.vocabulary.learn(&fresh, stemmer.as_ref());
    let vocabulary = &cache.vocabulary;
    let made: Vec<(u64, Document)> = fresh
        .into_par_iter()
        .map(|(key, tokens)| (key, vocabulary.document(tokens)))
        .collect();
    for (key, document) in made {
        cache.documents.insert(key, Arc::new(document));
    }
    let documents: Vec<(u64, Arc<Document>)> = candidates
        .iter()
        .filter_map(|c| Some((c.key, Arc::clone(cache.documents.get(&c.key)?))))
        .collect();
    if cache.documents.len() > 2 * documents.len() {
        let used: HashSet<u64> = documents.iter().map(|(key, _)| *key).collect();
        cache.documents.retain(|key, _| used.contains(key));
    }
    documents
}

/// A document's distinct words by tier (joined by `\n`), before they are numbered.
struct Tokens {
    tiers: [String; TIERS],
    record: String,
    section: Option<Arc<str>>,
    authors: Vec<String>,
    year: i16,
}

/// The entry of a document in the store.
#[derive(Serialize)]
struct Record<'a> {
    u: String,
    h: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    d: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    t: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    s: Option<&'a str>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    a: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    i: Option<String>,
    x: &'a str,
}

fn tokens(newsroom: &Newsroom, images: &Images, candidate: &Candidate<'_>) -> Tokens {
    let site = &newsroom.site;
    let story = candidate.story;
    let front = &story.front;
    let text = words::html_text(&story.body.html);
    let mut seen: HashSet<String> = HashSet::default();
    let mut tiers: [String; TIERS] = Default::default();
    let mut add = |tier: usize, source: &str| {
        words::for_each_word(source, |word| {
            if !seen.contains(word) {
                seen.insert(word.to_owned());
                let list = &mut tiers[tier];
                list.push_str(word);
                list.push('\n');
            }
        })
    };
    add(0, &front.headline);
    let meta = [front.dek.as_deref(), story.section.as_deref()]
        .into_iter()
        .flatten()
        .chain(front.tags.iter().map(String::as_str))
        .chain(front.authors.iter().map(String::as_str));
    for source in meta {
        add(1, source);
    }
    add(2, &text);
    let date = front
        .date
        .as_ref()
        .map(|date| date.with_time_zone(site.timezone.clone()).date());
    let excerpt = excerpt(&text);
    let record = Record {
        u: site.path(&story.route),
        h: &front.headline,
        d: front.dek.as_deref().filter(|d| !d.is_empty()),
        t: date.map(|d| d.to_string()),
        s: story.section.as_deref().filter(|_| !story.is_page()),
        a: &front.authors,
        i: candidate.index.and_then(|i| thumbnail(newsroom, images, i)),
        x: excerpt,
    };
    Tokens {
        tiers,
        record: serde_json::to_string(&record).unwrap_or_default(),
        section: story.section.clone().filter(|_| !story.is_page()),
        authors: front.authors.clone(),
        year: date.map_or(0, |d| d.year()),
    }
}

/// The start of a body's text, cut at a word.
fn excerpt(text: &str) -> &str {
    match text.char_indices().nth(EXCERPT_CHARS) {
        None => text,
        Some((end, _)) => {
            let cut = &text[..end];
            cut.rfind(' ').map_or(cut, |space| &cut[..space])
        }
    }
}

/// The narrowest copy of a story's photo, or the photo itself.
fn thumbnail(newsroom: &Newsroom, images: &Images, index: usize) -> Option<String> {
    let photo = images.lead_photo(newsroom, index)?;
    let smallest = photo.picture.and_then(|picture| picture.webp.first());
    Some(match smallest {
        Some(variant) => newsroom.site.path(&format!(
            "/{}/{}",
            crate::assets::picture::OUTPUT_DIR,
            variant.file
        )),
        None => photo.src.to_string(),
    })
}

impl Vocabulary {
    /// Stems and numbers the words of `fresh` seen for the first time.
    fn learn(&mut self, fresh: &[(u64, Tokens)], stemmer: Option<&rust_stemmers::Stemmer>) {
        let known = &self.words;
        let unknown: HashSet<&str> = fresh
            .par_iter()
            .fold(
                HashSet::default,
                |mut unknown: HashSet<&str>, (_, tokens)| {
                    let words = tokens.tiers.iter().flat_map(|tier| tier.lines());
                    unknown.extend(words.filter(|word| !known.contains_key(*word)));
                    unknown
                },
            )
            .reduce(HashSet::default, |mut a, b| {
                a.extend(b);
                a
            });
        let mut unknown: Vec<&str> = unknown.into_iter().collect();
        // Numbered in a fixed order, so that two builds of one site write the same files.
        unknown.par_sort_unstable();
        let stemmed: Vec<(&str, String)> = unknown
            .into_par_iter()
            .map(|word| (word, words::stem(stemmer, word)))
            .collect();
        for (word, stem) in stemmed {
            let stem_id = self.stem_id(&stem);
            let form = (stem != word).then(|| {
                self.forms.push((Arc::from(word), stem_id));
                (self.forms.len() - 1) as u32
            });
            self.words.insert(Box::from(word), (stem_id, form));
        }
    }

    fn stem_id(&mut self, stem: &str) -> u32 {
        if let Some(id) = self.stem_ids.get(stem) {
            return *id;
        }
        let stem: Arc<str> = Arc::from(stem);
        let id = self.stems.len() as u32;
        self.stems.push(Arc::clone(&stem));
        self.stem_ids.insert(stem, id);
        id
    }

    /// A document with its words numbered; every word must have been learnt.
    fn document(&self, tokens: Tokens) -> Document {
        let mut taken: HashSet<u32> = HashSet::default();
        let mut forms = Vec::new();
        let stems = tokens.tiers.map(|tier| {
            let mut stems = Vec::new();
            for (stem, form) in tier.lines().filter_map(|word| self.words.get(word)) {
                forms.extend(*form);
                if taken.insert(*stem) {
                    stems.push(*stem);
                }
            }
            stems.sort_unstable();
            stems.into_boxed_slice()
        });
        forms.sort_unstable();
        forms.dedup();
        Document {
            stems,
            forms: forms.into_boxed_slice(),
            record: tokens.record,
            section: tokens.section,
            authors: tokens.authors,
            year: tokens.year,
        }
    }

    fn key_text(&self, key: Key) -> &str {
        match key {
            Key::Form(id) => &self.forms[id as usize].0,
            Key::Stem(id) => &self.stems[id as usize],
        }
    }
}

impl Index {
    /// Replaces the documents, changing the postings of only those that changed when the
    /// documents are the same in number (an edit); otherwise builds them again.
    fn update(&mut self, vocabulary: &Vocabulary, documents: Vec<(u64, Arc<Document>)>) -> Changes {
        let changed: Vec<usize> = if documents.len() == self.documents.len() {
            (0..documents.len())
                .filter(|&i| documents[i].0 != self.documents[i].0)
                .collect()
        } else {
            Vec::new()
        };
        let few = documents.len() == self.documents.len() && changed.len() <= 16;
        if !few {
            self.documents = documents;
            return self.rebuild(vocabulary);
        }
        self.postings
            .resize_with(vocabulary.stems.len(), Default::default);
        self.form_counts.resize(vocabulary.forms.len(), 0);
        let mut changes = Changes::default();
        for &i in &changed {
            for (_, document) in [&self.documents[i], &documents[i]] {
                changes.stems.extend(document.stems.iter().flatten());
                changes.forms.extend(document.forms.iter());
            }
        }
        let before = self.used(&changes);
        for i in changed {
            let old = std::mem::replace(&mut self.documents[i], documents[i].clone());
            self.remove(i as u32, &old.1);
            self.add(i as u32, &documents[i].1);
        }
        let after = self.used(&changes);
        // The sorted keys are edited rather than sorted again: an edit adds or removes a few.
        self.keys
            .retain(|key| !before.contains(key) || after.contains(key));
        for key in after.difference(&before) {
            let at = self
                .keys
                .binary_search_by(|probe| key_order(vocabulary, *probe, *key))
                .unwrap_or_else(|at| at);
            self.keys.insert(at, *key);
        }
        changes
    }

    /// The keys among `changes` that are in use: stems with documents, forms in some.
    fn used(&self, changes: &Changes) -> HashSet<Key> {
        let stems = changes
            .stems
            .iter()
            .filter(|s| self.postings[**s as usize].iter().any(|p| !p.is_empty()))
            .map(|s| Key::Stem(*s));
        let forms = changes
            .forms
            .iter()
            .filter(|f| self.form_counts[**f as usize] > 0)
            .map(|f| Key::Form(*f));
        stems.chain(forms).collect()
    }

    fn rebuild(&mut self, vocabulary: &Vocabulary) -> Changes {
        self.postings = Vec::new();
        self.postings
            .resize_with(vocabulary.stems.len(), Default::default);
        self.form_counts = vec![0; vocabulary.forms.len()];
        for (number, (_, document)) in self.documents.iter().enumerate() {
            for (tier, stems) in document.stems.iter().enumerate() {
                for stem in stems {
                    self.postings[*stem as usize][tier].push(number as u32);
                }
            }
            for form in &document.forms {
                self.form_counts[*form as usize] += 1;
            }
        }
        self.sort_keys(vocabulary);
        Changes {
            stems: (0..self.postings.len() as u32).collect(),
            forms: (0..self.form_counts.len() as u32).collect(),
        }
    }

    fn remove(&mut self, number: u32, document: &Document) {
        for (tier, stems) in document.stems.iter().enumerate() {
            for stem in stems {
                let documents = &mut self.postings[*stem as usize][tier];
                if let Ok(at) = documents.binary_search(&number) {
                    documents.remove(at);
                }
            }
        }
        for form in &document.forms {
            let count = &mut self.form_counts[*form as usize];
            *count = count.saturating_sub(1);
        }
    }

    fn add(&mut self, number: u32, document: &Document) {
        for (tier, stems) in document.stems.iter().enumerate() {
            for stem in stems {
                let documents = &mut self.postings[*stem as usize][tier];
                if let Err(at) = documents.binary_search(&number) {
                    documents.insert(at, number);
                }
            }
        }
        for form in &document.forms {
            self.form_counts[*form as usize] += 1;
        }
    }

    /// Every key in use, by text (a word form before a stem of the same text).
    fn sort_keys(&mut self, vocabulary: &Vocabulary) {
        let stems = (0..self.postings.len())
            .filter(|&s| self.postings[s].iter().any(|p| !p.is_empty()))
            .map(|s| Key::Stem(s as u32));
        let forms = (0..self.form_counts.len())
            .filter(|&f| self.form_counts[f] > 0)
            .map(|f| Key::Form(f as u32));
        let mut keys: Vec<Key> = stems.chain(forms).collect();
        keys.par_sort_unstable_by(|a, b| key_order(vocabulary, *a, *b));
        self.keys = keys;
    }
}

/// Keys by text, a word form before a stem of the same text.
fn key_order(vocabulary: &Vocabulary, a: Key, b: Key) -> std::cmp::Ordering {
    let order = vocabulary.key_text(a).cmp(vocabulary.key_text(b));
    order.then_with(|| matches!(a, Key::Stem(_)).cmp(&matches!(b, Key::Stem(_))))
}

/// Whether a shard starts at the key `text`.
fn starts_shard(text: &str) -> bool {
    let mut hasher = FxHasher::default();
    text.hash(&mut hasher);
    hasher.finish().is_multiple_of(KEYS_PER_SHARD)
}

/// The key ranges of the shards, each with its name: `0` for the first, else a hash of its
/// first key.
fn shard_ranges(index: &Index, vocabulary: &Vocabulary) -> Vec<(String, std::ops::Range<usize>)> {
    let mut ranges: Vec<(String, std::ops::Range<usize>)> = Vec::new();
    let mut start = 0;
    let mut previous = "";
    let mut size = 0;
    for (i, key) in index.keys.iter().enumerate() {
        let text = vocabulary.key_text(*key);
        let key_size = key_size(index, vocabulary, *key);
        let full = size > 0 && size + key_size > SHARD_BYTES;
        if i > 0 && text != previous && (full || starts_shard(text)) {
            ranges.push((shard_name(index, vocabulary, start), start..i));
            start = i;
            size = 0;
        }
        size += key_size;
        previous = text;
    }
    if start < index.keys.len() || ranges.is_empty() {
        ranges.push((
            shard_name(index, vocabulary, start),
            start..index.keys.len(),
        ));
    }
    ranges
}

/// About how many bytes a key's entry takes in its shard, from its postings' lengths, without
/// encoding them.
fn key_size(index: &Index, vocabulary: &Vocabulary, key: Key) -> usize {
    match key {
        Key::Form(f) => {
            let (form, stem) = &vocabulary.forms[f as usize];
            form.len() + vocabulary.stems[*stem as usize].len() + 6
        }
        Key::Stem(s) => {
            let documents = index.documents.len().max(1);
            let postings: usize = index.postings[s as usize]
                .iter()
                .map(|list| postings_size(list.len(), documents))
                .sum();
            vocabulary.stems[s as usize].len() + 12 + postings
        }
    }
}

/// The bytes of `count` documents' postings out of `documents`, were they evenly spread.
fn postings_size(count: usize, documents: usize) -> usize {
    if count == 0 {
        return 0;
    }
    let digits = match documents / count {
        0..32 => 1,
        32..1024 => 2,
        1024..32768 => 3,
        _ => 4,
    };
    count * digits
}

fn shard_name(index: &Index, vocabulary: &Vocabulary, start: usize) -> String {
    if start == 0 {
        return "0".into();
    }
    let mut hasher = FxHasher::default();
    vocabulary.key_text(index.keys[start]).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// The term shards as output paths and bytes: each encoded again only when a key of its
/// changed, or its range did.
fn shards(
    index: &Index,
    vocabulary: &Vocabulary,
    changes: &Changes,
    cache: &mut HashMap<String, CachedShard>,
) -> Vec<(String, Arc<[u8]>)> {
    let ranges = shard_ranges(index, vocabulary);
    let last_key = |range: &std::ops::Range<usize>| -> Arc<str> {
        range.clone().last().map_or_else(
            || Arc::from(""),
            |i| Arc::from(vocabulary.key_text(index.keys[i])),
        )
    };
    let touched = |range: &std::ops::Range<usize>| {
        index.keys[range.clone()].iter().any(|key| match key {
            Key::Stem(s) => changes.stems.contains(s),
            Key::Form(f) => changes.forms.contains(f),
        })
    };
    let known = &*cache;
    // `true`: encoded now, to be cached.
    let encoded: Vec<(String, CachedShard, bool)> = ranges
        .into_par_iter()
        .map(|(name, range)| {
            let last = last_key(&range);
            match known.get(&name) {
                Some(shard)
                    if shard.keys == range.len() && shard.last == last && !touched(&range) =>
                {
                    (name, shard.clone(), false)
                }
                _ => {
                    let json = shard_json(index, vocabulary, range.clone());
                    let shard = CachedShard {
                        keys: range.len(),
                        last,
                        bytes: Arc::from(json.into_bytes()),
                    };
                    (name, shard, true)
                }
            }
        })
        .collect();
    let used: HashSet<&str> = encoded.iter().map(|(name, ..)| name.as_str()).collect();
    cache.retain(|name, _| used.contains(name.as_str()));
    let mut files = Vec::with_capacity(encoded.len());
    for (name, shard, fresh) in encoded {
        files.push((
            format!("{INDEX_DIR}/t/{name}.json"),
            Arc::clone(&shard.bytes),
        ));
        if fresh {
            cache.insert(name, shard);
        }
    }
    files
}

/// One shard's JSON: `{"w": {form: stem}, "p": {stem: [tiers]}}`.
fn shard_json(index: &Index, vocabulary: &Vocabulary, range: std::ops::Range<usize>) -> String {
    let keys = &index.keys[range];
    let mut json = String::from("{\"w\":{");
    let mut first = true;
    for key in keys {
        if let Key::Form(f) = key {
            let (form, stem) = &vocabulary.forms[*f as usize];
            if !first {
                json.push(',');
            }
            first = false;
            push_json_string(&mut json, form);
            json.push(':');
            push_json_string(&mut json, &vocabulary.stems[*stem as usize]);
        }
    }
    json.push_str("},\"p\":{");
    let mut first = true;
    for key in keys {
        if let Key::Stem(s) = key {
            if !first {
                json.push(',');
            }
            first = false;
            push_json_string(&mut json, &vocabulary.stems[*s as usize]);
            json.push_str(":[");
            for (tier, documents) in index.postings[*s as usize].iter().enumerate() {
                if tier > 0 {
                    json.push(',');
                }
                json.push('"');
                postings::encode(documents, &mut json);
                json.push('"');
            }
            json.push(']');
        }
    }
    json.push_str("}}");
    json
}

fn push_json_string(json: &mut String, text: &str) {
    json.push_str(&serde_json::to_string(text).unwrap_or_else(|_| "\"\"".into()));
}

/// The document store's chunks as output paths and bytes, reused while their documents are.
fn chunks(index: &Index, cache: &mut HashMap<u64, Arc<[u8]>>) -> Vec<(String, Arc<[u8]>)> {
    let mut files = Vec::new();
    let mut used = HashSet::default();
    for (number, documents) in index.documents.chunks(CHUNK).enumerate() {
        let mut hasher = FxHasher::default();
        for (key, _) in documents {
            key.hash(&mut hasher);
        }
        let key = hasher.finish();
        used.insert(key);
        let bytes = cache.entry(key).or_insert_with(|| {
            let records: Vec<&str> = documents.iter().map(|(_, d)| d.record.as_str()).collect();
            Arc::from(format!("[{}]", records.join(",")).into_bytes())
        });
        files.push((format!("{INDEX_DIR}/d/{number}.json"), Arc::clone(bytes)));
    }
    cache.retain(|key, _| used.contains(key));
    files
}

/// The sections, authors and years the filters offer, in the order they are shown.
struct Facets<'a> {
    sections: Vec<&'a str>,
    authors: Vec<&'a str>,
    years: Vec<i16>,
}

fn facet_values(index: &Index) -> Facets<'_> {
    let documents = || index.documents.iter().map(|(_, d)| d);
    let mut sections: Vec<&str> = documents().filter_map(|d| d.section.as_deref()).collect();
    sections.sort_unstable();
    sections.dedup();
    let mut authors: Vec<&str> = documents()
        .flat_map(|d| d.authors.iter().map(String::as_str))
        .collect();
    authors.sort_unstable();
    authors.dedup();
    let mut years: Vec<i16> = documents().map(|d| d.year).filter(|y| *y != 0).collect();
    years.sort_unstable_by(|a, b| b.cmp(a));
    years.dedup();
    Facets {
        sections,
        authors,
        years,
    }
}

/// `facets.json`: each document's section, authors and year, by their place in `meta.json`.
fn facets(index: &Index) -> String {
    let values = facet_values(index);
    let position = |list: &[&str], name: &str| list.binary_search(&name).map_or(-1, |i| i as i64);
    let mut s = String::from("{\"s\":[");
    let mut a = String::from("\"a\":[");
    let mut y = String::from("\"y\":[");
    for (i, (_, document)) in index.documents.iter().enumerate() {
        let sep = if i > 0 { "," } else { "" };
        let section = document
            .section
            .as_deref()
            .map_or(-1, |name| position(&values.sections, name));
        let _ = write!(s, "{sep}{section}");
        let authors: Vec<String> = document
            .authors
            .iter()
            .map(|name| position(&values.authors, name).to_string())
            .collect();
        let _ = write!(a, "{sep}[{}]", authors.join(","));
        let _ = write!(y, "{sep}{}", document.year);
    }
    format!("{s}],{a}],{y}]}}")
}

#[derive(Serialize)]
struct Meta<'a> {
    version: u32,
    language: Option<&'static str>,
    documents: usize,
    chunk: usize,
    shards: Vec<(&'a str, String)>,
    sections: Vec<&'a str>,
    authors: Vec<&'a str>,
    years: Vec<i16>,
    v: String,
}

fn meta(
    index: &Index,
    vocabulary: &Vocabulary,
    language: Option<&'static str>,
    version: u64,
) -> String {
    let values = facet_values(index);
    let shards = shard_ranges(index, vocabulary)
        .into_iter()
        .map(|(name, range)| {
            let first = index
                .keys
                .get(range.start)
                .map_or("", |key| vocabulary.key_text(*key));
            (first, name)
        })
        .collect();
    let meta = Meta {
        version: 1,
        language,
        documents: index.documents.len(),
        chunk: CHUNK,
        shards,
        sections: values.sections,
        authors: values.authors,
        years: values.years,
        v: format!("{version:016x}"),
    };
    serde_json::to_string(&meta).unwrap_or_default()
}
