//! Prepared keys kept between runs: the folded text of every document and the characters whose
//! readings it needs, as bytes, so `jury find` loads them instead of reading and folding every
//! entry again. Decoding checks every length and offset and gives `None` on anything unexpected
//! (the caller then builds the keys afresh); it never panics on bad bytes.

use super::SearchIndexBuilder;

/// Bump when folding or the layout changes: stored keys of another format are rebuilt.
pub const KEYS_FORMAT: u32 = 1;

const MAGIC: &[u8; 8] = b"JURYKEYS";

/// Bytes before the counts' data: magic, format, and five counts.
const HEADER: usize = 8 + 4 + 5 * 4;

impl SearchIndexBuilder {
    /// The builder's documents as bytes, with `tags` (one per document, e.g. its row number). The
    /// text comes last, so that [`SearchIndexBuilder::from_bytes`] can keep it where it lies.
    /// `None` when the text is too long for 32-bit offsets (over 4 GB).
    pub fn to_bytes(&self, tags: &[i64]) -> Option<Vec<u8>> {
        let text_len = u32::try_from(self.text.len()).ok()?;
        let unlearned = self.unlearned.iter().copied().filter(|&c| c <= '\u{FFFF}');
        let chars: Vec<char> = self
            .readings
            .seen_chars()
            .chain(unlearned)
            .chain(self.astral.iter().copied())
            .collect();
        let mut out = Vec::with_capacity(
            HEADER
                + self.text.len()
                + 4 * (self.field_starts.len() + self.doc_fields.len() + chars.len())
                + 8 * tags.len(),
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&KEYS_FORMAT.to_le_bytes());
        for len in [self.field_starts.len(), self.doc_fields.len(), tags.len(), chars.len()] {
            out.extend_from_slice(&u32::try_from(len).ok()?.to_le_bytes());
        }
        out.extend_from_slice(&text_len.to_le_bytes());
        for &start in self.field_starts.iter().chain(&self.doc_fields) {
            out.extend_from_slice(&u32::try_from(start).ok()?.to_le_bytes());
        }
        for tag in tags {
            out.extend_from_slice(&tag.to_le_bytes());
        }
        for c in chars {
            out.extend_from_slice(&u32::from(c).to_le_bytes());
        }
        out.extend_from_slice(self.text.as_bytes());
        Some(out)
    }

    /// A builder holding the documents of [`SearchIndexBuilder::to_bytes`], and their tags. The
    /// text stays in `bytes`' own allocation (moved to its front), not copied out.
    pub fn from_bytes(mut bytes: Vec<u8>) -> Option<(SearchIndexBuilder, Vec<i64>)> {
        let mut r = Reader { bytes: &bytes, at: 0 };
        if r.take(8)? != MAGIC || r.u32()? != KEYS_FORMAT {
            return None;
        }
        let fields = r.u32()? as usize;
        let docs = r.u32()? as usize;
        let tag_count = r.u32()? as usize;
        let char_count = r.u32()? as usize;
        let text_len = r.u32()? as usize;
        // The counts must account for exactly the bytes that follow, before anything is allocated
        // by them.
        let needed = [
            fields.checked_mul(4)?,
            docs.checked_mul(4)?,
            tag_count.checked_mul(8)?,
            char_count.checked_mul(4)?,
            text_len,
        ]
        .into_iter()
        .try_fold(0usize, usize::checked_add)?;
        if needed != bytes.len() - HEADER || tag_count != docs {
            return None;
        }
        let mut builder = SearchIndexBuilder::with_capacity(docs, fields, 0);
        let offsets = r.take(4 * (fields + docs))?;
        let mut numbers = offsets
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize);
        builder.field_starts.extend(numbers.by_ref().take(fields));
        builder.doc_fields.extend(numbers);
        let tags: Vec<i64> = r
            .take(8 * tag_count)?
            .chunks_exact(8)
            .map(|b| i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            .collect();
        let chars: Vec<char> = r
            .take(4 * char_count)?
            .chunks_exact(4)
            .map(|b| char::from_u32(u32::from_le_bytes([b[0], b[1], b[2], b[3]])))
            .collect::<Option<_>>()?;
        let text_start = r.at;
        bytes.drain(..text_start);
        // The text is 10 MB of mostly Chinese at 100k entries; the standard check took a seventh of
        // a `jury find`, the SIMD one a tenth of that.
        simdutf8::basic::from_utf8(&bytes).ok()?;
        // SAFETY: `bytes` was just checked to be valid UTF-8 (simdutf8 accepts exactly what
        // `std::str::from_utf8` accepts) and is not changed between the check and here.
        builder.text = unsafe { String::from_utf8_unchecked(bytes) };
        let text = &builder.text;
        // Offsets must rise within the text and land on character boundaries, and documents must
        // point at their fields in order: what `push` produces.
        let fields_ok = builder.field_starts.windows(2).all(|w| w[0] <= w[1])
            && builder.field_starts.iter().all(|&s| text.is_char_boundary(s));
        let docs_ok = builder.doc_fields.windows(2).all(|w| w[0] <= w[1])
            && builder.doc_fields.last().is_none_or(|&f| f <= fields);
        if !fields_ok || !docs_ok {
            return None;
        }
        // Learned when the index is finished, or (an index for one search) only when a search needs
        // the readings: looking up every character's readings is a tenth of a `jury find` at 1k.
        builder.astral.extend(chars.iter().copied().filter(|&c| c > '\u{FFFF}'));
        builder.unlearned = chars;
        Some((builder, tags))
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let slice = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(slice)
    }

    fn u32(&mut self) -> Option<u32> {
        let b = self.take(4)?;
        Some(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::tests::{MIXED_DOCS, MIXED_QUERIES};

    #[test]
    fn stored_keys_search_like_keys_built_afresh() {
        let mut fresh = SearchIndexBuilder::default();
        MIXED_DOCS.iter().for_each(|d| fresh.push(d));
        let tags = [11, 12, 13, 15, 18, 21];
        let bytes = fresh.to_bytes(&tags).unwrap();
        let (loaded, loaded_tags) = SearchIndexBuilder::from_bytes(bytes.clone()).unwrap();
        assert_eq!(loaded_tags, tags);
        let (fresh, loaded) = (fresh.finish(), loaded.finish());
        for query in MIXED_QUERIES {
            assert_eq!(loaded.search(query), fresh.search(query), "{query}");
        }
        assert_eq!(loaded.search("yh")[0].doc, 2);
    }

    #[test]
    fn stored_keys_for_one_search_learn_readings_only_for_a_pinyin_word() {
        let mut fresh = SearchIndexBuilder::default();
        MIXED_DOCS.iter().for_each(|d| fresh.push(d));
        let tags = [1, 2, 3, 4, 5, 6];
        let bytes = fresh.to_bytes(&tags).unwrap();
        let full = fresh.finish();
        let load = || SearchIndexBuilder::from_bytes(bytes.clone()).unwrap().0;
        // What a loaded builder writes again is what it was loaded from, readings not yet learned.
        assert_eq!(load().to_bytes(&tags).unwrap(), bytes);
        let one = load().finish_for_one_search();
        for query in ["亲子", "沟通 濂溪", "𠮷", "0003", "溝通"] {
            assert_eq!(one.search_top(query, 3), full.search_top(query, 3), "{query}");
        }
        assert!(
            one.readings.get().is_none(),
            "no word for the pinyin matcher: no readings"
        );
        assert!(!one.search("亲子").is_empty());
        for query in MIXED_QUERIES {
            assert_eq!(one.search(query), full.search(query), "{query}");
        }
        assert!(one.readings.get().is_some());
        assert_eq!(one.search("yh")[0].doc, 2, "银行 by its initials");
        // Appended after loading, the readings are learned for the joined index too.
        let mut joined = SearchIndexBuilder::default();
        joined.append(load());
        assert_eq!(joined.finish().search("jixiang"), full.search("jixiang"));
    }

    #[test]
    fn damaged_or_foreign_bytes_are_refused_not_trusted() {
        let mut builder = SearchIndexBuilder::default();
        MIXED_DOCS.iter().for_each(|d| builder.push(d));
        let bytes = builder.to_bytes(&[1, 2, 3, 4, 5, 6]).unwrap();
        assert!(SearchIndexBuilder::from_bytes(bytes.clone()).is_some());
        // Every truncation, and a flipped byte in each part of the layout.
        for len in 0..bytes.len() {
            assert!(
                SearchIndexBuilder::from_bytes(bytes[..len].to_vec()).is_none(),
                "truncated to {len}"
            );
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(SearchIndexBuilder::from_bytes(longer).is_none());
        let mut other_format = bytes.clone();
        other_format[8] ^= 0x40;
        assert!(SearchIndexBuilder::from_bytes(other_format).is_none());
        for at in 8..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[at] ^= 0xFF;
            // Never a panic; either refused or a consistent builder.
            if let Some((builder, _)) = SearchIndexBuilder::from_bytes(flipped) {
                let _ = builder.finish().search("qz");
            }
        }
    }
}
