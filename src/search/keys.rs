//! Search keys: folding text to one comparable form, and the pinyin readings of Chinese characters.
//!
//! Folding is strictly one character to one character, so a character index into a folded key is
//! also the index into the original text: highlights need no mapping back.

use std::collections::HashMap;

use pinyin::ToPinyinMulti;

/// Bits `0..26` of a mask stand for `a`–`z`, `26..36` for `0`–`9`, `36..62` for every other character
/// (hashed by code point). A query can match a field only if its mask is a subset of the field's.
const OTHER_BITS_START: u32 = 36;
const OTHER_BITS: u32 = 26;
/// Set in a field's mask when at least one of its characters has a pinyin reading.
pub(super) const HAS_PINYIN: u64 = 1 << 63;
/// Set in a field's mask when its text holds something besides Chinese characters (Latin letters,
/// digits, punctuation): an ASCII query word can match such a field only by pinyin otherwise.
pub(super) const HAS_ASCII: u64 = 1 << 62;

/// The mask bit of one folded character.
pub(super) fn char_bit(c: char) -> u64 {
    match c {
        'a'..='z' => 1 << (c as u32 - 'a' as u32),
        '0'..='9' => 1 << (26 + c as u32 - '0' as u32),
        _ => 1 << (OTHER_BITS_START + (c as u32) % OTHER_BITS),
    }
}

/// Fold one character: Latin lower case, full-width ASCII to ASCII (Chinese input methods type
/// `ＡＬ２０２５`), traditional to simplified. Anything that would not stay a single character is kept.
pub(super) fn fold_char(c: char) -> char {
    if c.is_ascii() {
        return c.to_ascii_lowercase();
    }
    if ('\u{FF01}'..='\u{FF5E}').contains(&c) {
        // Full-width forms sit at a fixed offset from ASCII.
        return char::from_u32(c as u32 - 0xFEE0).map_or(c, |a| a.to_ascii_lowercase());
    }
    if c == '\u{3000}' {
        return ' ';
    }
    let lower = single(c.to_lowercase()).unwrap_or(c);
    if crate::core::t2s::covers(lower) {
        return crate::core::t2s::simplified(lower).unwrap_or(lower);
    }
    let mut buffer = [0u8; 4];
    let simplified = character_converter::traditional_to_simplified(lower.encode_utf8(&mut buffer));
    single(simplified.chars()).unwrap_or(lower)
}

fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

/// Folds with a memo: building an index folds every character of every document, and the converter's
/// lookups are far slower than an array read.
pub(super) struct Folder {
    /// For each BMP code point: its folded character + 1, or 0 when not folded yet.
    bmp: Vec<u32>,
}

impl Folder {
    pub(super) fn new() -> Folder {
        Folder { bmp: vec![0; 0x1_0000] }
    }

    pub(super) fn fold(&mut self, c: char) -> char {
        if c.is_ascii() {
            return c.to_ascii_lowercase();
        }
        let Some(slot) = self.bmp.get_mut(c as usize) else {
            return fold_char(c);
        };
        if *slot == 0 {
            *slot = fold_char(c) as u32 + 1;
        }
        char::from_u32(*slot - 1).unwrap_or(c)
    }
}

/// The readings of one folded character: every syllable, without tones.
#[derive(Debug, Default)]
pub(super) struct ReadingSet {
    /// Plain syllables in lower-case ASCII (`ü` is given both as `v` and as `u`).
    pub(super) syllables: Vec<Box<[u8]>>,
    /// Bit `k` set when some syllable starts with letter `'a' + k`: the cheap test for where a match may start.
    pub(super) initials: u32,
    /// The mask bits of every letter of every syllable.
    pub(super) letters: u64,
}

impl ReadingSet {
    fn add(&mut self, syllable: &str) {
        let plain: String = syllable.chars().map(|c| if c == 'ü' { 'v' } else { c }).collect();
        let mut variants = vec![plain];
        if syllable.contains('ü') {
            variants.push(syllable.replace('ü', "u"));
        }
        for variant in variants {
            // A syllable with anything but ASCII letters cannot be typed: leave it out.
            if variant.is_empty() || !variant.bytes().all(|b| b.is_ascii_lowercase()) {
                continue;
            }
            if self.syllables.iter().any(|s| **s == *variant.as_bytes()) {
                continue;
            }
            self.initials |= 1 << (variant.as_bytes()[0] - b'a');
            for c in variant.chars() {
                self.letters |= char_bit(c);
            }
            self.syllables.push(variant.into_bytes().into_boxed_slice());
        }
    }
}

/// Folded character → its reading set, for every Chinese character seen while building.
///
/// A set holds the readings of the folded character and of every original character folded into it,
/// so that a traditional character keeps readings its simplified form lacks (乾 qian/gan → 干).
pub(super) struct Readings {
    /// For each BMP code point: index into `sets`, 0 for none.
    bmp: Vec<u32>,
    other: HashMap<char, u32>,
    /// `sets[0]` is the empty set.
    sets: Vec<ReadingSet>,
    /// `sets[i].initials`, kept apart so the hot loop reads 4 bytes, not a whole set.
    initials: Vec<u32>,
    /// The BMP characters that have a set (`bmp` is not 0 there), in the order they got it.
    with_sets: Vec<char>,
    /// Every set's syllables joined by spaces, back to back, and each set's range in it: one
    /// contiguous read instead of a pointer per syllable.
    packed: Vec<u8>,
    packed_ranges: Vec<(u32, u32)>,
    /// Start codes: one byte per distinct set of letters a match may start with at a character (see
    /// [`Readings::start_code`]); `start_masks[code]` is that set. Few distinct sets exist (a letter,
    /// or the two or three initials of a heteronym), so a byte per character is enough.
    start_masks: Vec<u32>,
    start_codes: HashMap<u32, u8>,
    /// For each BMP code point: its start code (after `finish`).
    bmp_start_codes: Vec<u8>,
    /// The start codes of characters past the BMP that have readings (after `finish`).
    other_start_codes: HashMap<char, u8>,
    /// Original characters already merged (BMP only; the rest is rare enough to merge again).
    seen: Vec<bool>,
}

impl Readings {
    pub(super) fn new() -> Readings {
        Readings {
            bmp: vec![0; 0x1_0000],
            other: HashMap::new(),
            sets: vec![ReadingSet::default()],
            initials: Vec::new(),
            with_sets: Vec::new(),
            packed: Vec::new(),
            packed_ranges: Vec::new(),
            start_masks: vec![0],
            start_codes: HashMap::from([(0, 0)]),
            bmp_start_codes: Vec::new(),
            other_start_codes: HashMap::new(),
            seen: vec![false; 0x1_0000],
        }
    }

    /// The BMP characters learned so far (before `finish`).
    pub(super) fn seen_chars(&self) -> impl Iterator<Item = char> + '_ {
        self.seen
            .iter()
            .enumerate()
            .filter(|(_, seen)| **seen)
            .filter_map(|(code, _)| char::from_u32(code as u32))
    }

    /// Record the readings of `original`, which folds to `folded`.
    pub(super) fn learn(&mut self, original: char, folded: char) {
        if original.is_ascii() {
            return;
        }
        if let Some(seen) = self.seen.get_mut(original as usize) {
            if *seen {
                return;
            }
            *seen = true;
        }
        let mut syllables: Vec<&'static str> = Vec::new();
        for c in [folded, original] {
            if let Some(multi) = c.to_pinyin_multi() {
                syllables.extend(multi.into_iter().map(|p| p.plain()));
            }
        }
        if syllables.is_empty() {
            return;
        }
        let id = match self.id(folded) {
            0 => {
                let id = u32::try_from(self.sets.len()).unwrap_or(u32::MAX);
                self.sets.push(ReadingSet::default());
                match self.bmp.get_mut(folded as usize) {
                    Some(slot) => {
                        *slot = id;
                        self.with_sets.push(folded);
                    }
                    None => {
                        self.other.insert(folded, id);
                    }
                }
                id
            }
            id => id,
        };
        if let Some(set) = self.sets.get_mut(id as usize) {
            for syllable in syllables {
                set.add(syllable);
            }
        }
    }

    /// The reading-set id of a folded character (0: none).
    pub(super) fn id(&self, folded: char) -> u32 {
        match self.bmp.get(folded as usize) {
            Some(&id) => id,
            None => self.other.get(&folded).copied().unwrap_or(0),
        }
    }

    pub(super) fn set(&self, id: u32) -> &ReadingSet {
        self.sets.get(id as usize).unwrap_or(&self.sets[0])
    }

    /// Bit `k` set when a reading of set `id` starts with letter `'a' + k` (after [`Readings::finish`]).
    pub(super) fn initials(&self, id: u32) -> u32 {
        self.initials.get(id as usize).copied().unwrap_or(0)
    }

    /// A folded character's syllables, joined by spaces (empty for none).
    #[inline]
    pub(super) fn syllables_of(&self, folded: char) -> &[u8] {
        let (start, end) = self
            .packed_ranges
            .get(self.id(folded) as usize)
            .copied()
            .unwrap_or((0, 0));
        self.packed.get(start as usize..end as usize).unwrap_or(&[])
    }

    /// The start code of a folded character: which letters a pinyin match may start with there (its
    /// initials, or a Latin letter itself). Past 255 distinct sets, the last code stands for "any".
    /// Read from tables filled by [`Readings::finish`], so index building can share `&self` across
    /// threads (and pays no hash lookup per character).
    #[inline]
    pub(super) fn start_code(&self, folded: char) -> u8 {
        match self.bmp_start_codes.get(folded as usize) {
            Some(&code) => code,
            None => self.other_start_codes.get(&folded).copied().unwrap_or(0),
        }
    }

    fn intern_start_code(&mut self, letters: u32) -> u8 {
        if let Some(&code) = self.start_codes.get(&letters) {
            return code;
        }
        if self.start_masks.len() >= usize::from(u8::MAX) {
            if self.start_masks.len() == usize::from(u8::MAX) {
                self.start_masks.push(u32::MAX);
            }
            return u8::MAX;
        }
        let code = self.start_masks.len() as u8;
        self.start_masks.push(letters);
        self.start_codes.insert(letters, code);
        code
    }

    /// The letters a match may start with at a character of this start code.
    #[inline]
    pub(super) fn start_mask(&self, code: u8) -> u32 {
        self.start_masks.get(usize::from(code)).copied().unwrap_or(u32::MAX)
    }

    /// For each start code: whether a match may start there with the letter whose bit is `letter`.
    pub(super) fn start_table(&self, letter: u32) -> [bool; 256] {
        let mut table = [false; 256];
        for (code, mask) in self.start_masks.iter().enumerate() {
            table[code] = mask & letter != 0;
        }
        table
    }

    /// Drop what only building needs; index the initials and pack the syllables for searching.
    pub(super) fn finish(&mut self) {
        self.seen = Vec::new();
        self.initials = self.sets.iter().map(|s| s.initials).collect();
        // Only the letters and the characters with readings have a start code: they are visited in
        // the order of their code points (as a walk over every code point would, which was a fifth
        // of a `jury find` at 1k), so every character gets the code it always got.
        let mut codes = vec![0u8; self.bmp.len()];
        let mut points: Vec<usize> = (usize::from(b'a')..=usize::from(b'z'))
            .chain(self.with_sets.iter().map(|&c| c as usize))
            .collect();
        points.sort_unstable();
        points.dedup();
        for code_point in points {
            let letters = match u8::try_from(code_point) {
                Ok(b) if b.is_ascii_lowercase() => 1 << (b - b'a'),
                _ => self.initials(self.bmp.get(code_point).copied().unwrap_or(0)),
            };
            if letters != 0
                && let Some(slot) = codes.get_mut(code_point)
            {
                *slot = self.intern_start_code(letters);
            }
        }
        self.bmp_start_codes = codes;
        let others: Vec<(char, u32)> = self.other.iter().map(|(&c, &id)| (c, id)).collect();
        for (c, id) in others {
            let letters = self.initials(id);
            let code = self.intern_start_code(letters);
            self.other_start_codes.insert(c, code);
        }
        self.packed.clear();
        self.packed_ranges.clear();
        for set in &self.sets {
            let start = self.packed.len();
            for (i, syllable) in set.syllables.iter().enumerate() {
                if i > 0 {
                    self.packed.push(b' ');
                }
                self.packed.extend_from_slice(syllable);
            }
            let range = (
                u32::try_from(start).unwrap_or(0),
                u32::try_from(self.packed.len()).unwrap_or(0),
            );
            self.packed_ranges.push(range);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_case_width_and_script_one_to_one() {
        assert_eq!("AL2025".chars().map(fold_char).collect::<String>(), "al2025");
        assert_eq!("ＡＬ２０".chars().map(fold_char).collect::<String>(), "al20");
        assert_eq!("親子溝通".chars().map(fold_char).collect::<String>(), "亲子沟通");
        assert_eq!("亲子沟通".chars().map(fold_char).collect::<String>(), "亲子沟通");
        let mut folder = Folder::new();
        assert_eq!("Ä溝".chars().map(|c| folder.fold(c)).collect::<String>(), "ä沟");
        assert_eq!("Ä溝".chars().map(|c| folder.fold(c)).collect::<String>(), "ä沟");
    }

    #[test]
    fn start_codes_are_those_of_a_walk_over_every_code_point() {
        let mut readings = Readings::new();
        let mut folder = Folder::new();
        for c in "親子溝通行长乾干银绿𠮷学习焦虑长城重庆单于Ａ家庭教育说服".chars() {
            readings.learn(c, folder.fold(c));
        }
        readings.finish();
        // What the walk over every BMP code point gave: codes in order of first appearance.
        let mut masks: Vec<u32> = vec![0];
        let mut expected = vec![0u8; 0x1_0000];
        for (code_point, slot) in expected.iter_mut().enumerate() {
            let letters = match u8::try_from(code_point) {
                Ok(b) if b.is_ascii_lowercase() => 1 << (b - b'a'),
                _ => readings.initials(readings.bmp[code_point]),
            };
            if letters != 0 {
                let code = masks.iter().position(|&m| m == letters).unwrap_or_else(|| {
                    masks.push(letters);
                    masks.len() - 1
                });
                *slot = code as u8;
            }
        }
        assert_eq!(readings.start_masks, masks);
        assert!(readings.bmp_start_codes == expected, "start codes differ");
        assert_ne!(readings.start_code('行'), 0);
        assert_eq!(
            readings.start_mask(readings.start_code('行')),
            (1 << (b'x' - b'a')) | (1 << (b'h' - b'a'))
        );
    }

    #[test]
    fn learns_every_reading_and_u_umlaut_both_ways() {
        let mut readings = Readings::new();
        readings.learn('行', '行');
        readings.learn('绿', '绿');
        let xing: Vec<&[u8]> = readings.set(readings.id('行')).syllables.iter().map(|s| &**s).collect();
        assert!(xing.contains(&&b"xing"[..]) && xing.contains(&&b"hang"[..]), "{xing:?}");
        let lv: Vec<&[u8]> = readings.set(readings.id('绿')).syllables.iter().map(|s| &**s).collect();
        assert!(lv.contains(&&b"lv"[..]) && lv.contains(&&b"lu"[..]), "{lv:?}");
        assert_eq!(readings.id('a'), 0);
    }
}
