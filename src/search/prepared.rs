//! Prepared keys kept between runs: the folded text of every document, the characters whose
//! readings it needs, and the finished field keys (masks, initials, one start code per character)
//! as bytes, so `jury find` loads them instead of reading, folding and keying every entry again.
//! Decoding checks every length and offset and gives `None` on anything unexpected (the caller
//! then builds the keys afresh); it never panics on bad bytes.

use super::{FieldKeys, SearchIndex, SearchIndexBuilder};

/// Bump when folding or the layout changes: stored keys of another format are rebuilt.
/// 2: the finished field keys are stored too, not computed again on every run.
pub const KEYS_FORMAT: u32 = 2;

const MAGIC: &[u8; 8] = b"JURYKEYS";

/// Bytes before the counts' data: magic, format, and seven counts.
const HEADER: usize = 8 + 4 + 7 * 4;

fn put_u32s(out: &mut Vec<u8>, values: impl IntoIterator<Item = usize>) -> Option<()> {
    for value in values {
        out.extend_from_slice(&u32::try_from(value).ok()?.to_le_bytes());
    }
    Some(())
}

impl SearchIndexBuilder {
    /// Finish the index, and give it as bytes with `tags` (one per document, e.g. its row
    /// number) for [`SearchIndexBuilder::from_bytes`]. The bytes are `None` when the text is too
    /// long for 32-bit offsets (over 4 GB).
    pub fn finish_keeping(self, tags: &[i64]) -> (SearchIndex, Option<Vec<u8>>) {
        let chars: Vec<char> = self.readings.seen_chars().chain(self.astral.iter().copied()).collect();
        let index = self.finish();
        let bytes = index.to_bytes(&chars, tags);
        (index, bytes)
    }

    /// A builder holding the documents and the field keys of
    /// [`SearchIndexBuilder::finish_keeping`], and their tags. The text stays in `bytes`' own
    /// allocation (moved to its front), not copied out.
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
        let code_count = r.u32()? as usize;
        let table_len = r.u32()? as usize;
        // The counts must account for exactly the bytes that follow, before anything is allocated
        // by them.
        let needed = [
            fields.checked_mul(4 + 8 + 4 + 4)?,
            docs.checked_mul(4)?,
            tag_count.checked_mul(8)?,
            char_count.checked_mul(4)?,
            table_len.checked_mul(4)?,
            code_count,
            text_len,
        ]
        .into_iter()
        .try_fold(0usize, usize::checked_add)?;
        if needed != bytes.len() - HEADER || tag_count != docs {
            return None;
        }
        let mut builder = SearchIndexBuilder::with_capacity(docs, fields, 0);
        let offsets = r.take(4 * (fields + docs))?;
        let mut numbers = offsets.chunks_exact(4).map(le_u32).map(|n| n as usize);
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
            .map(|b| char::from_u32(le_u32(b)))
            .collect::<Option<_>>()?;
        let masks: Vec<u64> = r
            .take(8 * fields)?
            .chunks_exact(8)
            .map(|b| u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]))
            .collect();
        let initials: Vec<u32> = r.take(4 * fields)?.chunks_exact(4).map(le_u32).collect();
        let code_starts: Vec<usize> = r
            .take(4 * fields)?
            .chunks_exact(4)
            .map(|b| le_u32(b) as usize)
            .collect();
        let table: Vec<u32> = r.take(4 * table_len)?.chunks_exact(4).map(le_u32).collect();
        let start_codes = r.take(code_count)?.to_vec();
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
        // One start code per character of every field, each field's from where the last ended.
        let mut expected = 0usize;
        for (i, &start) in builder.field_starts.iter().enumerate() {
            let end = builder.field_starts.get(i + 1).copied().unwrap_or(text.len());
            if code_starts[i] != expected {
                return None;
            }
            // Characters are the bytes that do not continue one (UTF-8 checked above).
            expected += text.as_bytes()[start..end]
                .iter()
                .filter(|&&b| (b as i8) >= -0x40)
                .count();
        }
        if expected != code_count {
            return None;
        }
        for c in chars {
            let folded = builder.folder.fold(c);
            builder.readings.learn(c, folded);
            if c > '\u{FFFF}' {
                builder.astral.push(c);
            }
        }
        builder.prepared = Some((
            FieldKeys {
                start_codes,
                code_starts,
                masks,
                initials,
            },
            table,
        ));
        Some((builder, tags))
    }
}

impl SearchIndex {
    /// The index as bytes: the documents (`chars` are the characters whose readings they need),
    /// the field keys, and `tags`. The text comes last, so that
    /// [`SearchIndexBuilder::from_bytes`] can keep it where it lies.
    fn to_bytes(&self, chars: &[char], tags: &[i64]) -> Option<Vec<u8>> {
        let fields = self.field_starts.len().checked_sub(1)?;
        let docs = self.doc_fields.len().checked_sub(1)?;
        let table = self.readings.start_masks();
        let mut out = Vec::with_capacity(
            HEADER
                + self.text.len()
                + self.start_codes.len()
                + 20 * fields
                + 4 * (docs + chars.len() + table.len())
                + 8 * tags.len(),
        );
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&KEYS_FORMAT.to_le_bytes());
        let counts = [
            fields,
            docs,
            tags.len(),
            chars.len(),
            self.text.len(),
            self.start_codes.len(),
            table.len(),
        ];
        put_u32s(&mut out, counts)?;
        put_u32s(&mut out, self.field_starts[..fields].iter().copied())?;
        put_u32s(&mut out, self.doc_fields[..docs].iter().copied())?;
        for tag in tags {
            out.extend_from_slice(&tag.to_le_bytes());
        }
        put_u32s(&mut out, chars.iter().map(|&c| u32::from(c) as usize))?;
        for mask in &self.field_masks {
            out.extend_from_slice(&mask.to_le_bytes());
        }
        for initials in &self.field_initials {
            out.extend_from_slice(&initials.to_le_bytes());
        }
        put_u32s(&mut out, self.field_code_starts[..fields].iter().copied())?;
        for mask in table {
            out.extend_from_slice(&mask.to_le_bytes());
        }
        out.extend_from_slice(&self.start_codes);
        out.extend_from_slice(self.text.as_bytes());
        Some(out)
    }
}

fn le_u32(b: &[u8]) -> u32 {
    u32::from_le_bytes([b[0], b[1], b[2], b[3]])
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

    fn keys_of(index: &SearchIndex) -> (Vec<u64>, Vec<u32>, Vec<u8>, Vec<usize>, Vec<u64>) {
        (
            index.field_masks.clone(),
            index.field_initials.clone(),
            index.start_codes.clone(),
            index.field_code_starts.clone(),
            index.doc_masks.clone(),
        )
    }

    #[test]
    fn stored_keys_search_like_keys_built_afresh() {
        let mut fresh = SearchIndexBuilder::default();
        MIXED_DOCS.iter().for_each(|d| fresh.push(d));
        let tags = [11, 12, 13, 15, 18, 21];
        let (fresh, bytes) = fresh.finish_keeping(&tags);
        let bytes = bytes.unwrap();
        let (loaded, loaded_tags) = SearchIndexBuilder::from_bytes(bytes.clone()).unwrap();
        assert_eq!(loaded_tags, tags);
        // The stored field keys are used, not computed again, and are the ones computed afresh.
        assert!(loaded.prepared.is_some());
        let loaded = loaded.finish();
        assert_eq!(keys_of(&loaded), keys_of(&fresh));
        assert_eq!(loaded.id_common_digits, fresh.id_common_digits);
        for query in MIXED_QUERIES {
            assert_eq!(loaded.search(query), fresh.search(query), "{query}");
            assert_eq!(loaded.search_top(query, 3), fresh.search_top(query, 3), "{query}");
        }
        assert_eq!(loaded.search("yh")[0].doc, 2);
        // The same documents keyed again from the loaded text give the same keys.
        let (mut again, _) = SearchIndexBuilder::from_bytes(bytes).unwrap();
        again.prepared = None;
        assert_eq!(keys_of(&again.finish()), keys_of(&fresh));
    }

    #[test]
    fn stored_keys_of_another_start_code_table_are_computed_again() {
        let mut builder = SearchIndexBuilder::default();
        MIXED_DOCS.iter().for_each(|d| builder.push(d));
        let (fresh, bytes) = builder.finish_keeping(&[1, 2, 3, 4, 5, 6]);
        let (mut loaded, _) = SearchIndexBuilder::from_bytes(bytes.unwrap()).unwrap();
        // Start codes that would mean other letters under these readings are not trusted.
        if let Some((keys, table)) = &mut loaded.prepared {
            table.push(7);
            keys.start_codes.iter_mut().for_each(|c| *c = 0);
        }
        let loaded = loaded.finish();
        assert_eq!(keys_of(&loaded), keys_of(&fresh));
        for query in MIXED_QUERIES {
            assert_eq!(loaded.search(query), fresh.search(query), "{query}");
        }
    }

    #[test]
    fn keys_of_format_one_are_refused() {
        let mut builder = SearchIndexBuilder::default();
        MIXED_DOCS.iter().for_each(|d| builder.push(d));
        let (_, bytes) = builder.finish_keeping(&[1, 2, 3, 4, 5, 6]);
        let mut bytes = bytes.unwrap();
        bytes[8..12].copy_from_slice(&1u32.to_le_bytes());
        assert!(SearchIndexBuilder::from_bytes(bytes).is_none());
    }

    #[test]
    fn damaged_or_foreign_bytes_are_refused_not_trusted() {
        let mut builder = SearchIndexBuilder::default();
        MIXED_DOCS.iter().for_each(|d| builder.push(d));
        let bytes = builder.finish_keeping(&[1, 2, 3, 4, 5, 6]).1.unwrap();
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
                let index = builder.finish();
                for query in MIXED_QUERIES {
                    let _ = index.search(query);
                }
            }
        }
    }
}
