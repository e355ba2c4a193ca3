//! The search behind the judges' screen and `jury find`: fuzzy, as you type, over every field, and
//! by pinyin (full syllables or initials, every reading of a character) for Chinese text.
//! Simplified and traditional characters find each other. Pure: no I/O.
//!
//! Keys are prepared once in [`SearchIndex::new`]: every field is folded (lower case, full-width to
//! ASCII, traditional to simplified, strictly one character for one) into one arena string, with a
//! 64-bit mask of the characters (and pinyin letters) it holds, so most documents are turned away by a
//! single AND before any matcher runs.

mod keys;
mod prepared;
pub use prepared::KEYS_FORMAT;

use std::cmp::Reverse;
use std::ops::Range;

use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

use keys::{Folder, HAS_ASCII, HAS_PINYIN, Readings, char_bit, fold_char};

/// The field order of [`entry_doc`]. Field 0 is taken as the documents' id: matches there rank higher.
pub const FIELD_ID: usize = 0;
pub const FIELD_TITLE: usize = 1;
pub const FIELD_NAME: usize = 2;
pub const FIELD_ORGANIZATION: usize = 3;
pub const FIELD_SUBMITTER: usize = 4;
pub const FIELD_COUNTY: usize = 5;

/// Above this many documents to look at, a search is split across the machine's threads.
const PARALLEL_THRESHOLD: usize = 20_000;
/// Longer query words are matched only fuzzily (the pinyin matcher works on fixed-size arrays).
const MAX_PINYIN_QUERY: usize = 64;

// Score parts. The fuzzy matcher gives about 16 per matched character plus bonuses for word starts and
// runs; the pinyin matcher is scaled to match. The tier bonuses put whole-field, prefix and
// contiguous matches above scattered ones.
const BONUS_EXACT: i64 = 300;
const BONUS_PREFIX: i64 = 200;
const BONUS_CONTIGUOUS: i64 = 100;
const BONUS_ID_FIELD: i64 = 50;
/// An id's score per character of the typed run it contains: about what the fuzzy matcher gives
/// a run of consecutive characters elsewhere, so ids and titles rank on one scale.
const ID_CHAR_SCORE: i64 = 24;
/// Added to a one-word query's score, above anything a match can score: an entry whose id is the
/// query comes first, then ids whose trailing number is the query's number ([`SearchIndex::id_tier`]).
const TIER_EXACT_ID: i64 = 1 << 40;
const TIER_ID_NUMBER: i64 = 1 << 39;
const PINYIN_LETTER: i32 = 12;
const PINYIN_FULL_SYLLABLE: i32 = 8;
const PINYIN_SAME_CHAR: i32 = 36;

/// One searchable record: its fields in a fixed order chosen by the caller,
/// e.g. [id, title, name, organization, submitter, county].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SearchDoc {
    pub fields: Vec<String>,
}

/// The searchable fields of an entry, in the order of the `FIELD_*` constants.
pub fn entry_doc(e: &crate::core::Entry) -> SearchDoc {
    SearchDoc {
        fields: vec![
            e.id.clone(),
            e.title.clone(),
            e.name.clone(),
            e.organization.clone(),
            e.submitter.clone(),
            e.county.clone(),
        ],
    }
}

/// A field made fit for one tab-separated output line (as `jury find` prints): tabs and line
/// breaks become spaces.
pub fn one_line(field: &str) -> String {
    field
        .chars()
        .map(|c| if c == '\t' || c == '\n' || c == '\r' { ' ' } else { c })
        .collect()
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub doc: usize,
    pub score: i64,
    /// For each field that matched: (field index, CHARACTER indices into the ORIGINAL field text) to highlight.
    pub highlights: Vec<(usize, Vec<usize>)>,
}

/// Prepared search keys for a fixed list of documents.
pub struct SearchIndex {
    /// Every folded field of every document, back to back.
    text: String,
    /// Byte offset of each field in `text`, plus one past the end.
    field_starts: Vec<usize>,
    /// Per field: the characters and pinyin letters it holds (see `keys::char_bit`), and `HAS_PINYIN`.
    field_masks: Vec<u64>,
    /// Per field: the letters a pinyin match can start with (initials, and Latin letters in the text).
    field_initials: Vec<u32>,
    /// One start code (`Readings::start_code`) per character of every field, back to back, and the
    /// offset of each field's first one: the pinyin matcher finds where a match may start by reading
    /// these bytes instead of decoding the text.
    start_codes: Vec<u8>,
    field_code_starts: Vec<usize>,
    /// Index of each document's first field in `field_starts`, plus one past the end.
    doc_fields: Vec<usize>,
    /// The OR of the document's field masks.
    doc_masks: Vec<u64>,
    /// The readings, finished: made when the index is, or (an index for one search) at the first
    /// search that needs them, from `unlearned`. A search without a word for the pinyin matcher
    /// (Chinese characters, digits) never needs them.
    readings: std::sync::OnceLock<Readings>,
    unlearned: std::sync::Mutex<Option<(Readings, Vec<char>)>>,
    /// How many leading digits the ids' trailing numbers all share (`2025000` of `AL20250001` …
    /// `AL20250099`): what comes after is the running number a typed number is compared with.
    id_common_digits: usize,
    /// Whether the per-field keys (masks, initials, start codes) were left out
    /// ([`SearchIndexBuilder::finish_for_one_search`]): each search then works out the keys of only
    /// the fields that hold the characters its words must find there, and `field_masks`,
    /// `field_initials`, `start_codes`, `field_code_starts` and `doc_masks` are empty.
    lazy: bool,
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("docs", &self.len())
            .finish_non_exhaustive()
    }
}

/// One space-separated word of a query, folded like the keys.
struct Word {
    text: String,
    chars: Vec<char>,
    mask: u64,
    /// Whether to try the pinyin matcher: the word has a Latin letter and is short enough.
    pinyin: bool,
    /// `letter_bit` of the first character, 0 when it is no Latin letter.
    first_letter: u32,
    /// For each start code: whether a pinyin match of this word may start there. `None` when the
    /// word does not start with a letter.
    start_table: Option<[bool; 256]>,
    ascii: bool,
    /// For a word of digits only: the number without its leading zeros (`0005` → `5`).
    number: Option<String>,
    /// The characters a field must hold as they stand for this word to match there, each as text:
    /// all of them for a word the pinyin matcher does not try, else every one but the letters
    /// `a`–`z` (which may also be spelled by a reading). Only the lazy index reads them.
    literals: Vec<String>,
}

/// The documents a search looks at.
#[derive(Clone)]
enum Docs<'a> {
    All(Range<usize>),
    Among(&'a [usize]),
}

impl Docs<'_> {
    fn len(&self) -> usize {
        match self {
            Docs::All(range) => range.len(),
            Docs::Among(docs) => docs.len(),
        }
    }

    fn split(&self, parts: usize) -> Vec<Docs<'_>> {
        let len = self.len();
        let size = len.div_ceil(parts.max(1)).max(1);
        (0..len)
            .step_by(size)
            .map(|start| {
                let end = (start + size).min(len);
                match self {
                    Docs::All(range) => Docs::All(range.start + start..range.start + end),
                    Docs::Among(docs) => Docs::Among(&docs[start..end]),
                }
            })
            .collect()
    }
}

/// Per-thread buffers reused from document to document.
struct Scratch {
    matcher: SkimMatcherV2,
    /// The pinyin matcher's two rows: best score per query position, before and after a character.
    reached: [i32; MAX_PINYIN_QUERY + 1],
    next: [i32; MAX_PINYIN_QUERY + 1],
    /// (field, character) pairs to highlight in the document being matched.
    marks: Vec<(usize, usize)>,
    /// A lazy index's start codes of the fields of the document being matched, and per field the
    /// keys worked out so far (mask, initials, range in `codes`).
    codes: Vec<u8>,
    worked_out: Vec<Option<(u64, u32, usize, usize)>>,
    /// Whether to find the characters to highlight at all: a lazy search only scores, and the
    /// few visible hits get their highlights afterwards ([`SearchIndex::highlights_for`]).
    want_marks: bool,
}

impl Scratch {
    fn new() -> Scratch {
        Scratch {
            matcher: SkimMatcherV2::default().respect_case(),
            reached: [0; MAX_PINYIN_QUERY + 1],
            next: [0; MAX_PINYIN_QUERY + 1],
            marks: Vec::new(),
            codes: Vec::new(),
            worked_out: Vec::new(),
            want_marks: true,
        }
    }
}

/// Builds a [`SearchIndex`] one document at a time from borrowed fields, so a caller streaming rows
/// from the workspace needs no `SearchDoc` (six `String`s) per entry.
pub struct SearchIndexBuilder {
    folder: Folder,
    readings: Readings,
    text: String,
    field_starts: Vec<usize>,
    doc_fields: Vec<usize>,
    /// Characters past the BMP that were pushed: `Readings` remembers only BMP characters as seen,
    /// and [`SearchIndexBuilder::append`] must learn every character of the other part.
    astral: Vec<char>,
    /// Characters whose readings are still to be learned (stored keys just loaded): learned when
    /// the index is finished, or only when a search needs them.
    unlearned: Vec<char>,
}

impl Default for SearchIndexBuilder {
    fn default() -> Self {
        SearchIndexBuilder::with_capacity(0, 0, 0)
    }
}

impl SearchIndexBuilder {
    pub fn with_capacity(docs: usize, fields: usize, bytes: usize) -> SearchIndexBuilder {
        SearchIndexBuilder {
            folder: Folder::new(),
            readings: Readings::new(),
            text: String::with_capacity(bytes),
            field_starts: Vec::with_capacity(fields + 1),
            doc_fields: Vec::with_capacity(docs + 1),
            astral: Vec::new(),
            unlearned: Vec::new(),
        }
    }

    /// Learn the readings of the characters still to be learned.
    fn learn_all(&mut self) {
        for c in std::mem::take(&mut self.unlearned) {
            let folded = self.folder.fold(c);
            self.readings.learn(c, folded);
        }
    }

    /// Add the documents of `other`, built apart (on another thread, from another part of the
    /// same list), after this builder's: the result is what pushing them here would have built.
    pub fn append(&mut self, mut other: SearchIndexBuilder) {
        self.learn_all();
        other.learn_all();
        for original in other.readings.seen_chars().chain(other.astral.iter().copied()) {
            let folded = self.folder.fold(original);
            self.readings.learn(original, folded);
        }
        self.astral.extend(other.astral);
        let text_offset = self.text.len();
        let field_offset = self.field_starts.len();
        self.text.push_str(&other.text);
        self.field_starts
            .extend(other.field_starts.iter().map(|s| s + text_offset));
        self.doc_fields
            .extend(other.doc_fields.iter().map(|f| f + field_offset));
    }

    /// Add the next document (its fields in the caller's fixed order, as [`SearchDoc::fields`]).
    pub fn push<S: AsRef<str>>(&mut self, fields: &[S]) {
        self.doc_fields.push(self.field_starts.len());
        for field in fields {
            self.field_starts.push(self.text.len());
            for c in field.as_ref().chars() {
                let folded = self.folder.fold(c);
                self.readings.learn(c, folded);
                if c > '\u{FFFF}' {
                    self.astral.push(c);
                }
                self.text.push(folded);
            }
        }
    }

    pub fn finish(mut self) -> SearchIndex {
        self.learn_all();
        self.field_starts.push(self.text.len());
        self.doc_fields.push(self.field_starts.len() - 1);
        SearchIndex::from_folded(self.text, self.field_starts, self.doc_fields, self.readings, None)
    }

    /// The index for one search of `query`: [`SearchIndexBuilder::finish_for_one_search`], unless
    /// a word of the query is letters only (`qzgt`). Such a word holds no character to check
    /// first, so every field's keys are needed anyway, and the full index works them out faster
    /// in one walk.
    pub fn finish_for(self, query: &str) -> SearchIndex {
        let letters_only = query.split(char::is_whitespace).any(|w| {
            let chars: Vec<char> = w.chars().map(fold_char).collect();
            !chars.is_empty() && chars.len() <= MAX_PINYIN_QUERY && chars.iter().all(char::is_ascii_lowercase)
        });
        if letters_only {
            self.finish()
        } else {
            self.finish_for_one_search()
        }
    }

    /// The index for one search (`jury find`): the same hits as [`SearchIndexBuilder::finish`]'s
    /// in the same order, without working out every field's keys first. That walk over every
    /// character is most of a search's time when there is only one search; instead each search
    /// works out the keys of only the fields that hold the characters its words need as they
    /// stand. Slower per search than the full index when the same index serves many searches.
    pub fn finish_for_one_search(mut self) -> SearchIndex {
        self.field_starts.push(self.text.len());
        self.doc_fields.push(self.field_starts.len() - 1);
        let unlearned = std::mem::take(&mut self.unlearned);
        SearchIndex::from_folded(
            self.text,
            self.field_starts,
            self.doc_fields,
            self.readings,
            Some(unlearned),
        )
    }
}

impl SearchIndex {
    /// Prepare every key once: lower-cased text, traditional→simplified folding, pinyin full syllables
    /// and initials for Chinese characters (all readings of heteronyms such as 行 xing/hang).
    pub fn new(docs: Vec<SearchDoc>) -> SearchIndex {
        let total_fields: usize = docs.iter().map(|d| d.fields.len()).sum();
        let total_bytes: usize = docs.iter().flat_map(|d| &d.fields).map(String::len).sum();
        let mut builder = SearchIndexBuilder::with_capacity(docs.len(), total_fields, total_bytes);
        for doc in &docs {
            builder.push(&doc.fields);
        }
        drop(docs);
        builder.finish()
    }

    fn from_folded(
        text: String,
        field_starts: Vec<usize>,
        doc_fields: Vec<usize>,
        mut readings: Readings,
        lazy: Option<Vec<char>>,
    ) -> SearchIndex {
        if let Some(unlearned) = lazy {
            let id_common_digits = common_id_digits(&text, &field_starts, &doc_fields);
            return SearchIndex {
                text,
                field_starts,
                field_masks: Vec::new(),
                field_initials: Vec::new(),
                start_codes: Vec::new(),
                field_code_starts: Vec::new(),
                doc_fields,
                doc_masks: Vec::new(),
                readings: std::sync::OnceLock::new(),
                unlearned: std::sync::Mutex::new(Some((readings, unlearned))),
                id_common_digits,
                lazy: true,
            };
        }
        readings.finish();

        // Masks only now: a later traditional character may have added readings to a set. The
        // fields are cut in one part per thread; each part's keys are computed apart and joined.
        let field_count = field_starts.len().saturating_sub(1);
        let threads = if text.len() > PARALLEL_BUILD_BYTES {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            1
        };
        let size = field_count.div_ceil(threads.max(1)).max(1);
        let parts: Vec<FieldKeys> = if threads > 1 {
            let (text, field_starts, readings) = (&text, &field_starts, &readings);
            std::thread::scope(|scope| {
                let handles: Vec<_> = (0..field_count)
                    .step_by(size)
                    .map(|from| {
                        let to = (from + size).min(field_count);
                        scope.spawn(move || field_keys(text, &field_starts[from..=to], readings))
                    })
                    .collect();
                handles
                    .into_iter()
                    .map(|h| match h.join() {
                        Ok(part) => part,
                        Err(panic) => std::panic::resume_unwind(panic),
                    })
                    .collect()
            })
        } else {
            vec![field_keys(&text, &field_starts, &readings)]
        };
        let mut start_codes = Vec::with_capacity(parts.iter().map(|p| p.start_codes.len()).sum());
        let mut field_code_starts = Vec::with_capacity(field_starts.len());
        let mut field_masks = Vec::with_capacity(field_count);
        let mut field_initials = Vec::with_capacity(field_count);
        for part in parts {
            let offset = start_codes.len();
            field_code_starts.extend(part.code_starts.iter().map(|s| s + offset));
            start_codes.extend_from_slice(&part.start_codes);
            field_masks.extend_from_slice(&part.masks);
            field_initials.extend_from_slice(&part.initials);
        }
        field_code_starts.push(start_codes.len());
        let doc_masks = doc_fields
            .windows(2)
            .map(|w| field_masks[w[0]..w[1]].iter().fold(0, |acc, m| acc | m))
            .collect();
        let id_common_digits = common_id_digits(&text, &field_starts, &doc_fields);
        SearchIndex {
            text,
            field_starts,
            field_masks,
            field_initials,
            start_codes,
            field_code_starts,
            doc_fields,
            doc_masks,
            readings: readings.into(),
            unlearned: std::sync::Mutex::new(None),
            id_common_digits,
            lazy: false,
        }
    }

    /// The readings, learned and finished now if that was left to the first search needing them.
    fn readings(&self) -> &Readings {
        self.readings.get_or_init(|| {
            let unlearned = self.unlearned.lock().ok().and_then(|mut u| u.take());
            let (mut readings, chars) = unlearned.unwrap_or_else(|| (Readings::new(), Vec::new()));
            for c in chars {
                readings.learn(c, fold_char(c));
            }
            readings.finish();
            readings
        })
    }

    pub fn len(&self) -> usize {
        self.doc_fields.len().saturating_sub(1)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Best first. Empty (or all-space) query: every doc in original order, score 0, no highlights.
    pub fn search(&self, query: &str) -> Vec<Hit> {
        self.run(query, Docs::All(0..self.len()))
    }

    /// Same, but only among `candidates` (doc indices, any order; repeats and indices past the end are ignored).
    pub fn search_among(&self, query: &str, candidates: &[usize]) -> Vec<Hit> {
        // In document order the scan reads the keys front to back, which is much kinder to the cache
        // than the score order the candidates usually come in.
        let mut sorted: Vec<usize> = candidates.iter().copied().filter(|&d| d < self.len()).collect();
        sorted.sort_unstable();
        sorted.dedup();
        self.run(query, Docs::Among(&sorted))
    }

    fn run(&self, query: &str, docs: Docs<'_>) -> Vec<Hit> {
        self.run_with(query, docs, true)
    }

    /// Like [`SearchIndex::search`], same hits in the same order, but without highlights (every
    /// `highlights` is empty): a screen shows a few dozen hits, so finding the matched characters of
    /// all of them is wasted work. Ask [`SearchIndex::highlights_for`] for the visible ones.
    pub fn search_lazy(&self, query: &str) -> Vec<Hit> {
        self.run_with(query, Docs::All(0..self.len()), false)
    }

    /// [`SearchIndex::search_among`] without highlights.
    pub fn search_among_lazy(&self, query: &str, candidates: &[usize]) -> Vec<Hit> {
        let mut sorted: Vec<usize> = candidates.iter().copied().filter(|&d| d < self.len()).collect();
        sorted.sort_unstable();
        sorted.dedup();
        self.run_with(query, Docs::Among(&sorted), false)
    }

    /// The characters to highlight in one document for `query`, as [`Hit::highlights`] has them
    /// (empty when the document does not match).
    pub fn highlights_for(&self, doc: usize, query: &str) -> Vec<(usize, Vec<usize>)> {
        if doc >= self.len() {
            return Vec::new();
        }
        let words = self.prepare_query(query);
        let mut scratch = Scratch::new();
        self.match_doc(doc, &words, &mut scratch)
            .map(|hit| hit.highlights)
            .unwrap_or_default()
    }

    /// The best `limit` hits, best first, with highlights: what `jury find` prints.
    pub fn search_top(&self, query: &str, limit: usize) -> Vec<Hit> {
        let mut hits = self.search_lazy(query);
        hits.truncate(limit);
        for hit in &mut hits {
            hit.highlights = self.highlights_for(hit.doc, query);
        }
        hits
    }

    fn run_with(&self, query: &str, docs: Docs<'_>, want_marks: bool) -> Vec<Hit> {
        let words = self.prepare_query(query);
        if words.is_empty() {
            let all: Vec<usize> = match docs {
                Docs::All(range) => range.collect(),
                Docs::Among(docs) => docs.to_vec(),
            };
            return all
                .into_iter()
                .map(|doc| Hit {
                    doc,
                    score: 0,
                    highlights: Vec::new(),
                })
                .collect();
        }
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let mut hits = if docs.len() > PARALLEL_THRESHOLD && threads > 1 {
            let parts = docs.split(threads);
            let words = &words;
            std::thread::scope(|scope| {
                let handles: Vec<_> = parts
                    .into_iter()
                    .map(|part| scope.spawn(move || self.scan(words, part, want_marks)))
                    .collect();
                let mut hits = Vec::new();
                for handle in handles {
                    // A scan does not panic on any input; if it did, the panic is passed on unchanged.
                    match handle.join() {
                        Ok(part) => hits.extend(part),
                        Err(panic) => std::panic::resume_unwind(panic),
                    }
                }
                hits
            })
        } else {
            self.scan(&words, docs, want_marks)
        };
        hits.sort_unstable_by_key(|h| (Reverse(h.score), h.doc));
        hits
    }

    fn scan(&self, words: &[Word], docs: Docs<'_>, want_marks: bool) -> Vec<Hit> {
        let mut scratch = Scratch::new();
        scratch.want_marks = want_marks;
        let mut hits = Vec::new();
        let mut visit = |doc: usize| {
            if let Some(hit) = self.match_doc(doc, words, &mut scratch) {
                hits.push(hit);
            }
        };
        match docs {
            Docs::All(range) => range.for_each(&mut visit),
            Docs::Among(docs) => docs.iter().copied().for_each(&mut visit),
        }
        hits
    }

    fn prepare_query(&self, query: &str) -> Vec<Word> {
        query
            .split(|c: char| c.is_whitespace())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let chars: Vec<char> = w.chars().map(fold_char).collect();
                let pinyin = chars.iter().any(char::is_ascii_lowercase) && chars.len() <= MAX_PINYIN_QUERY;
                let mut literals: Vec<String> = chars
                    .iter()
                    .filter(|c| !pinyin || !c.is_ascii_lowercase())
                    .map(|c| c.to_string())
                    .collect();
                literals.sort_unstable();
                literals.dedup();
                Word {
                    literals,
                    text: chars.iter().collect(),
                    mask: chars.iter().fold(0, |acc, &c| acc | char_bit(c)),
                    pinyin,
                    first_letter: chars.first().map_or(0, |&c| letter_bit(c)),
                    start_table: chars
                        .first()
                        .filter(|c| pinyin && c.is_ascii_lowercase())
                        .map(|&c| self.readings().start_table(letter_bit(c))),
                    ascii: chars.iter().all(char::is_ascii),
                    number: chars
                        .iter()
                        .all(char::is_ascii_digit)
                        .then(|| chars.iter().skip_while(|&&c| c == '0').collect()),
                    chars,
                }
            })
            // A word that folds to a space (an ideographic space) is no word.
            .filter(|w| !w.text.trim().is_empty())
            .collect()
    }

    /// Every word must match some field; the doc's score is the sum of each word's best field score.
    fn match_doc(&self, doc: usize, words: &[Word], scratch: &mut Scratch) -> Option<Hit> {
        let first_field = self.doc_fields[doc];
        let fields = first_field..self.doc_fields[doc + 1];
        if self.lazy {
            // The fields lie back to back and a character's bytes are found only where it is, so
            // a character missing from the document's text is missing from each of its fields.
            let text = &self.text[self.field_starts[first_field]..self.field_starts[fields.end]];
            if words
                .iter()
                .any(|w| w.literals.iter().any(|l| !text.contains(l.as_str())))
            {
                return None;
            }
        } else {
            let doc_mask = self.doc_masks[doc];
            if words.iter().any(|w| w.mask & !doc_mask != 0) {
                return None;
            }
        }
        scratch.marks.clear();
        let mut codes = std::mem::take(&mut scratch.codes);
        let mut worked_out = std::mem::take(&mut scratch.worked_out);
        if self.lazy {
            codes.clear();
            worked_out.clear();
            worked_out.resize(fields.len(), None);
        }
        let mut total = 0;
        for word in words {
            let mut best: Option<i64> = None;
            for field in fields.clone() {
                // The full index turns a field away by its mask before anything else is read.
                if !self.lazy && word.mask & !self.field_masks[field] != 0 {
                    continue;
                }
                let key = &self.text[self.field_starts[field]..self.field_starts[field + 1]];
                let keys = if self.lazy {
                    match self.lazy_keys(word, key, &mut worked_out[field - first_field], &mut codes) {
                        Some(keys) => keys,
                        None => continue,
                    }
                } else {
                    FieldKey {
                        mask: self.field_masks[field],
                        initials: self.field_initials[field],
                        codes: &self.start_codes[self.field_code_starts[field]..self.field_code_starts[field + 1]],
                    }
                };
                if word.mask & !keys.mask != 0 {
                    continue;
                }
                let local = field - first_field;
                let Some((mut score, spots)) = self.match_field(word, key, &keys, local == FIELD_ID, scratch) else {
                    continue;
                };
                if local == FIELD_ID {
                    score += BONUS_ID_FIELD;
                }
                best = Some(best.map_or(score, |b| b.max(score)));
                match spots {
                    Spots::Chars(indices) => scratch.marks.extend(indices.into_iter().map(|i| (local, i))),
                    Spots::Run(start, end) if scratch.want_marks => {
                        scratch.marks.extend((start..=end).map(|i| (local, i)))
                    }
                    Spots::Run(..) | Spots::Unknown => {}
                }
            }
            let Some(best) = best else {
                scratch.codes = codes;
                scratch.worked_out = worked_out;
                return None;
            };
            total += best;
        }
        scratch.codes = codes;
        scratch.worked_out = worked_out;
        if let [word] = words
            && !fields.is_empty()
        {
            total += self.id_tier(first_field, word);
        }
        Some(Hit {
            doc,
            score: total,
            highlights: group_marks(&mut scratch.marks),
        })
    }

    /// The keys of one field of a lazy index for `word`, worked out now (the start codes into
    /// `codes`); `None` when the field lacks a character the word must find there as it stands,
    /// so that neither matcher can match. A word the pinyin matcher does not try matches only
    /// where its bytes occur in order (the fuzzy matcher, or an id holding it), and needs no keys:
    /// the mask would only turn away what that test already turned away.
    /// `worked_out` is what an earlier word of the query worked out for this field of this
    /// document (its mask, initials and range in `codes`), so each field's keys are worked out once.
    fn lazy_keys<'a>(
        &self,
        word: &Word,
        key: &str,
        worked_out: &mut Option<(u64, u32, usize, usize)>,
        codes: &'a mut Vec<u8>,
    ) -> Option<FieldKey<'a>> {
        if !word.pinyin {
            return is_byte_subsequence(word.text.as_bytes(), key.as_bytes()).then_some(FieldKey {
                mask: HAS_ASCII | word.mask,
                initials: 0,
                codes: &[],
            });
        }
        if word.literals.iter().any(|l| !key.contains(l.as_str())) {
            return None;
        }
        let (mask, initials, from, to) = match *worked_out {
            Some(keys) => keys,
            None => {
                let from = codes.len();
                let (mask, initials) = one_field_keys(key, self.readings(), codes);
                let keys = (mask, initials, from, codes.len());
                *worked_out = Some(keys);
                keys
            }
        };
        Some(FieldKey {
            mask,
            initials,
            codes: &codes[from..to],
        })
    }

    /// The rank tier of a matching document for a one-word query, from its id (`field`): the id
    /// is the word, or its trailing number is the word's number with leading zeros ignored (`5`,
    /// `05` and `0005` for `AL20250005`). Digits every id's number starts with are not part of the
    /// running number (`20250` when the ids run from `AL20250001` to `AL20250160`), so `5` is not
    /// the number of `AL20250105`. Costs a comparison of the id's last bytes, only for matches.
    fn id_tier(&self, field: usize, word: &Word) -> i64 {
        let key = &self.text[self.field_starts[field]..self.field_starts[field + 1]];
        if key == word.text {
            return TIER_EXACT_ID;
        }
        let Some(number) = &word.number else {
            return 0;
        };
        let digits = trailing_digits(key);
        let Some(before) = digits.strip_suffix(number.as_str()) else {
            return 0;
        };
        let padding = before.get(self.id_common_digits..).unwrap_or("");
        if !digits.is_empty() && padding.bytes().all(|b| b == b'0') {
            TIER_ID_NUMBER
        } else {
            0
        }
    }

    /// The better of the fuzzy and the pinyin match of one word in one field. An id is a code, not
    /// words: it matches where it contains the typed text as it stands (`00012`, `al0001`), not
    /// scattered letters, which would make `a1` find every id and cost a fuzzy match per entry on
    /// every keystroke (1M ids all hold `a`, `l` and zeros).
    fn match_field(
        &self,
        word: &Word,
        key: &str,
        keys: &FieldKey<'_>,
        is_id: bool,
        scratch: &mut Scratch,
    ) -> Option<(i64, Spots)> {
        let mut best: Option<(i64, Spots)> = None;
        let mask = keys.mask;
        let fuzzy_possible = !word.ascii || mask & HAS_ASCII != 0;
        if is_id {
            // Scored from where the run lies, without the fuzzy matcher: the first letters of an
            // id query hold in nearly every id, and a fuzzy match each cost most of a keystroke.
            if fuzzy_possible && let Some(at) = key.find(word.text.as_str()) {
                let tier = if key.len() == word.text.len() {
                    BONUS_EXACT
                } else if at == 0 {
                    BONUS_PREFIX
                } else {
                    BONUS_CONTIGUOUS
                };
                let start = key[..at].chars().count();
                let score = ID_CHAR_SCORE * word.chars.len() as i64 + tier;
                best = Some((score, Spots::Run(start, start + word.chars.len() - 1)));
            }
        } else if fuzzy_possible
            && is_byte_subsequence(word.text.as_bytes(), key.as_bytes())
            && let Some((score, spots)) = if scratch.want_marks {
                scratch
                    .matcher
                    .fuzzy_indices(key, &word.text)
                    .map(|(score, indices)| (score, Spots::Chars(indices)))
            } else {
                // The same score without finding the positions: no backtracking, no Vec.
                scratch
                    .matcher
                    .fuzzy_match(key, &word.text)
                    .map(|score| (score, Spots::Unknown))
            }
        {
            let tier = if key == word.text {
                BONUS_EXACT
            } else if key.starts_with(&word.text) {
                BONUS_PREFIX
            } else if key.contains(&word.text) {
                BONUS_CONTIGUOUS
            } else {
                0
            };
            best = Some((score + tier, spots));
        }
        let can_start = word.first_letter & keys.initials != 0 || !word.chars[0].is_ascii();
        if word.pinyin
            && mask & HAS_PINYIN != 0
            && can_start
            && let Some((score, start, end)) = self.pinyin_window(word, key, keys.codes, scratch)
            && best.as_ref().is_none_or(|(b, _)| score > *b)
        {
            best = Some((score, Spots::Run(start, end)));
        }
        best
    }

    /// The best window of consecutive characters that spells `query`: each character consumes a
    /// non-empty prefix of one of its readings (so its initial, or more, or the whole syllable), or
    /// itself. The leftmost such window wins (its best-scoring end): a match does not get better by
    /// starting later, and stopping at the first start keeps long fields cheap.
    /// Returns (score, first char, last char).
    fn pinyin_window(
        &self,
        word: &Word,
        key: &str,
        codes: &[u8],
        scratch: &mut Scratch,
    ) -> Option<(i64, usize, usize)> {
        const UNREACHED: i32 = i32::MIN;
        let query = &word.chars;
        let len = query.len();
        if len == 0 || len > MAX_PINYIN_QUERY {
            return None;
        }
        let (reached, next) = (&mut scratch.reached, &mut scratch.next);
        let readings = self.readings();
        let first = query[0];
        let mut best: Option<(i64, usize, usize)> = None;
        // Where char `start` begins in `key`: found by decoding forward from the last start tried.
        let (mut cursor_char, mut cursor_byte) = (0, 0);
        for start in 0..codes.len() {
            if let Some(table) = &word.start_table
                && !table[usize::from(codes[start])]
            {
                continue;
            }
            for c in key[cursor_byte..].chars().take(start - cursor_char) {
                cursor_byte += c.len_utf8();
            }
            cursor_char = start;
            // A word that starts with something else than a letter starts only at that same character.
            if word.start_table.is_none() && !key[cursor_byte..].starts_with(first) {
                continue;
            }
            let offset = cursor_byte;
            // reached[p]: the best score having consumed query[..p] with the characters so far.
            reached[..=len].fill(UNREACHED);
            reached[0] = 0;
            let window = &key[offset..];
            // The letters the next character must start with to go on, and whether some position
            // needs a character compared as itself (a Chinese character typed in the query).
            let (mut wanted_letters, mut wanted_other) = (0u32, false);
            for (step, (at, ch)) in window.char_indices().take(len).enumerate() {
                if step > 0
                    && !wanted_other
                    && codes
                        .get(start + step)
                        .is_none_or(|&code| readings.start_mask(code) & wanted_letters == 0)
                {
                    break;
                }
                next[..=len].fill(UNREACHED);
                let mut any = false;
                let syllables = readings.syllables_of(ch);
                for p in 0..len {
                    let here = reached[p];
                    if here == UNREACHED {
                        continue;
                    }
                    if query[p] == ch {
                        let gain = if ch.is_ascii() { PINYIN_LETTER } else { PINYIN_SAME_CHAR };
                        next[p + 1] = next[p + 1].max(here + gain);
                        any = true;
                    }
                    for syllable in syllables.split(|&b| b == b' ') {
                        let mut k = 0;
                        while k < syllable.len() && p + k < len && query[p + k] == char::from(syllable[k]) {
                            k += 1;
                            let full = if k == syllable.len() { PINYIN_FULL_SYLLABLE } else { 0 };
                            next[p + k] = next[p + k].max(here + PINYIN_LETTER * k as i32 + full);
                            any = true;
                        }
                    }
                }
                if !any {
                    break;
                }
                std::mem::swap(reached, next);
                (wanted_letters, wanted_other) = (0, false);
                for p in 1..len {
                    if reached[p] != UNREACHED {
                        match letter_bit(query[p]) {
                            0 => wanted_other = true,
                            bit => wanted_letters |= bit,
                        }
                    }
                }
                if reached[len] != UNREACHED {
                    let last = at + ch.len_utf8() == window.len();
                    let tier = match (start == 0, last) {
                        (true, true) => BONUS_EXACT,
                        (true, false) => BONUS_PREFIX,
                        (false, _) => BONUS_CONTIGUOUS,
                    };
                    let score = i64::from(reached[len]) + tier;
                    if best.is_none_or(|(b, _, _)| score > b) {
                        best = Some((score, start, start + step));
                    }
                }
            }
            if best.is_some() {
                break;
            }
        }
        best
    }
}

/// Above this many bytes of keys, an index build uses every thread.
const PARALLEL_BUILD_BYTES: usize = 1 << 20;

/// The keys of consecutive fields: one start code per character, a mask and the initials per field.
struct FieldKeys {
    start_codes: Vec<u8>,
    /// Offset of each field's first start code in `start_codes`.
    code_starts: Vec<usize>,
    masks: Vec<u64>,
    initials: Vec<u32>,
}

/// The keys of the fields bounded by `starts` (byte offsets into `text`, one more than fields).
fn field_keys(text: &str, starts: &[usize], readings: &Readings) -> FieldKeys {
    let fields = starts.len().saturating_sub(1);
    let bytes = starts.last().copied().unwrap_or(0) - starts.first().copied().unwrap_or(0);
    let mut keys = FieldKeys {
        start_codes: Vec::with_capacity(bytes / 2),
        code_starts: Vec::with_capacity(fields),
        masks: Vec::with_capacity(fields),
        initials: Vec::with_capacity(fields),
    };
    for w in starts.windows(2) {
        keys.code_starts.push(keys.start_codes.len());
        let (mask, initials) = one_field_keys(&text[w[0]..w[1]], readings, &mut keys.start_codes);
        keys.masks.push(mask);
        keys.initials.push(initials);
    }
    keys
}

/// One field's mask and initials; its start codes are appended to `codes`. Inlined into the walk
/// over every field (`field_keys`): called there, it cost the full index 10 % more.
#[inline(always)]
fn one_field_keys(key: &str, readings: &Readings, codes: &mut Vec<u8>) -> (u64, u32) {
    let mut mask = 0;
    let mut initials = 0;
    for c in key.chars() {
        codes.push(readings.start_code(c));
        mask |= char_bit(c);
        if c.is_ascii() {
            mask |= HAS_ASCII;
            initials |= letter_bit(c);
        }
        let id = readings.id(c);
        if id != 0 {
            mask |= readings.set(id).letters | HAS_PINYIN;
            initials |= readings.initials(id);
        }
    }
    (mask, initials)
}

/// What the matchers read of one field besides its text: its mask, the letters a pinyin match
/// may start with there, and one start code per character.
struct FieldKey<'a> {
    mask: u64,
    initials: u32,
    codes: &'a [u8],
}

/// The ASCII digits a key ends with.
fn trailing_digits(key: &str) -> &str {
    let start = key.len() - key.bytes().rev().take_while(u8::is_ascii_digit).count();
    &key[start..]
}

/// The length of the prefix that the trailing digits of every document's id (its first field)
/// share; ids without digits are left out.
fn common_id_digits(text: &str, field_starts: &[usize], doc_fields: &[usize]) -> usize {
    let mut common: Option<&str> = None;
    for w in doc_fields.windows(2) {
        if w[0] >= w[1] || w[0] + 1 >= field_starts.len() {
            continue;
        }
        let digits = trailing_digits(&text[field_starts[w[0]]..field_starts[w[0] + 1]]);
        if digits.is_empty() {
            continue;
        }
        common = Some(match common {
            None => digits,
            Some(c) => {
                let same = c.bytes().zip(digits.bytes()).take_while(|(a, b)| a == b).count();
                &c[..same]
            }
        });
    }
    common.map_or(0, str::len)
}

/// Bit `k` for letter `'a' + k`; 0 for anything else.
fn letter_bit(c: char) -> u32 {
    if c.is_ascii_lowercase() {
        1 << (c as u32 - 'a' as u32)
    } else {
        0
    }
}

/// Whether `needle`'s bytes occur in `hay` in order: necessary for a character subsequence, and
/// much cheaper than the fuzzy matcher, which copies the field into a buffer first.
fn is_byte_subsequence(needle: &[u8], hay: &[u8]) -> bool {
    let mut rest = hay.iter();
    needle.iter().all(|b| rest.any(|h| h == b))
}

/// Where a word matched in a field: scattered characters, or a run from one character to another.
enum Spots {
    Chars(Vec<usize>),
    Run(usize, usize),
    /// Not looked for (a lazy search).
    Unknown,
}

/// (field, character) marks grouped per field, in order, without repeats; leaves `marks` empty.
fn group_marks(marks: &mut Vec<(usize, usize)>) -> Vec<(usize, Vec<usize>)> {
    marks.sort_unstable();
    marks.dedup();
    let mut grouped: Vec<(usize, Vec<usize>)> = Vec::new();
    for (field, index) in marks.drain(..) {
        match grouped.last_mut() {
            Some((last, indices)) if *last == field => indices.push(index),
            _ => grouped.push((field, vec![index])),
        }
    }
    grouped
}

/// Remembers the previous query and its hits; when the new query extends the previous one
/// (starts with it), searches only among the previous hits.
///
/// That is exact, not an approximation: every way a word can match (subsequence, pinyin window,
/// character mask) still matches when the word is cut short, so an extended query can only lose hits.
pub struct IncrementalSearch {
    /// Shared: the judges' screens of one server search one index per list (`app::judging`).
    index: std::sync::Arc<SearchIndex>,
    last_query: Option<String>,
    hits: Vec<Hit>,
    /// Whether `hits` were found without highlights ([`IncrementalSearch::update_lazy`]).
    lazy: bool,
}

impl IncrementalSearch {
    pub fn new(index: impl Into<std::sync::Arc<SearchIndex>>) -> Self {
        IncrementalSearch {
            index: index.into(),
            last_query: None,
            hits: Vec::new(),
            lazy: false,
        }
    }

    pub fn index(&self) -> &SearchIndex {
        &self.index
    }

    /// The hits for `query`, with highlights.
    pub fn update(&mut self, query: &str) -> &[Hit] {
        self.update_with(query, false)
    }

    /// The same hits in the same order, without highlights: for a screen that draws only the
    /// visible rows, asking [`SearchIndex::highlights_for`] for those (a keystroke on 100k entries
    /// then costs no allocation per hit).
    pub fn update_lazy(&mut self, query: &str) -> &[Hit] {
        self.update_with(query, true)
    }

    fn update_with(&mut self, query: &str, lazy: bool) -> &[Hit] {
        match self.last_query.as_deref() {
            Some(last) if last == query && self.lazy == lazy => return &self.hits,
            // The previous hits are the same set whether or not they carry highlights.
            Some(last) if !last.trim().is_empty() && query.starts_with(last) => {
                let candidates: Vec<usize> = self.hits.iter().map(|h| h.doc).collect();
                self.hits = if lazy {
                    self.index.search_among_lazy(query, &candidates)
                } else {
                    self.index.search_among(query, &candidates)
                };
            }
            _ => {
                self.hits = if lazy {
                    self.index.search_lazy(query)
                } else {
                    self.index.search(query)
                };
            }
        }
        self.lazy = lazy;
        self.last_query = Some(query.to_string());
        &self.hits
    }
}

#[cfg(test)]
mod tests;
