//! The tally as JSON, written straight to the output: byte for byte what
//! `serde_json::to_string_pretty(&tally_json(t))` gives (keys in the same sorted order), without
//! building a `serde_json::Value` tree first. For 100k entries the tree is millions of small
//! allocations, and `json!` copies each nested value once per level.

use std::io::{self, Write};

use crate::core::exact::{POINT_SCALE, Points, Ratio};
use crate::core::tally::{Dropped, EntryResult, RoundResult, Tally};

/// Write the tally as pretty JSON followed by a newline, as `jury tally --format json` prints it.
/// The frame (contest, groups, ungrouped) is written here; the entries, nearly all of the text,
/// are written by hand in the known layout (no `Serializer` call a key), in blocks rendered on
/// every thread and written in order.
pub fn write_tally_json(tally: &Tally, out: &mut impl Write) -> io::Result<()> {
    let mut w = io::BufWriter::with_capacity(1 << 16, out);
    let d = tally.decimals;
    w.write_all(b"{\n  \"contest\": ")?;
    write_str(&mut w, &tally.contest)?;
    write!(w, ",\n  \"decimals\": {d},\n  \"groups\": ")?;
    if tally.groups.is_empty() {
        w.write_all(b"[]")?;
    } else {
        w.write_all(b"[")?;
        for (i, group) in tally.groups.iter().enumerate() {
            w.write_all(if i == 0 { b"\n    {" } else { b",\n    {" })?;
            w.write_all(b"\n      \"entries\": ")?;
            if group.entries.is_empty() {
                w.write_all(b"[]")?;
            } else {
                w.write_all(b"[")?;
                write_entries(&mut w, &group.entries, d)?;
                w.write_all(b"\n      ]")?;
            }
            w.write_all(b",\n      \"group\": ")?;
            write_str(&mut w, &group.group)?;
            w.write_all(b"\n    }")?;
        }
        w.write_all(b"\n  ]")?;
    }
    w.write_all(b",\n  \"ungrouped\": ")?;
    if tally.ungrouped.is_empty() {
        w.write_all(b"[]")?;
    } else {
        w.write_all(b"[")?;
        for (i, id) in tally.ungrouped.iter().enumerate() {
            w.write_all(if i == 0 { b"\n    " } else { b",\n    " })?;
            write_str(&mut w, id)?;
        }
        w.write_all(b"\n  ]")?;
    }
    // The withdrawn entries are few: pretty-printed as the value tree does, one level in.
    let withdrawn = serde_json::to_string_pretty(&super::json::withdrawn_json(tally)).map_err(io::Error::other)?;
    w.write_all(b",\n  \"withdrawn\": ")?;
    w.write_all(withdrawn.replace('\n', "\n  ").as_bytes())?;
    w.write_all(b"\n}\n")?;
    w.flush()
}

/// A JSON string, escaped as serde_json escapes it.
fn write_str(w: &mut impl Write, text: &str) -> io::Result<()> {
    serde_json::to_writer(w, text).map_err(io::Error::other)
}

/// Entries take their own thread above this many per part.
const ENTRIES_PER_PART: usize = 500;

/// Entries per block handed from a rendering thread to the writing one: about 1.5 MB of text
/// at the bench generator's 7 judges, so a few buffers, reused, carry the whole output (155 MB at
/// 100k entries) without a page fault per 4 KB of fresh memory.
const ENTRIES_PER_BLOCK: usize = 1_000;

/// The entries of one group as array items at depth 4 (inside top, groups, group, entries), each
/// preceded by its separator. Large groups are rendered in blocks on every thread (block `i` on
/// thread `i % threads`) and written here in order; a thread's used buffers come back to it.
fn write_entries(w: &mut impl Write, entries: &[EntryResult], decimals: u32) -> io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let threads = threads.min(entries.len() / ENTRIES_PER_PART);
    if threads < 2 {
        let mut buffer = Vec::with_capacity(64 * 1024);
        for (k, e) in entries.iter().enumerate() {
            write_entry(&mut buffer, e, decimals, k == 0);
            if buffer.len() > 60 * 1024 {
                w.write_all(&buffer)?;
                buffer.clear();
            }
        }
        return w.write_all(&buffer);
    }
    let blocks: Vec<&[EntryResult]> = entries.chunks(ENTRIES_PER_BLOCK).collect();
    let blocks = &blocks;
    std::thread::scope(|scope| {
        let mut lanes = Vec::with_capacity(threads);
        for t in 0..threads {
            let (full_tx, full_rx) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
            let (empty_tx, empty_rx) = std::sync::mpsc::channel::<Vec<u8>>();
            scope.spawn(move || {
                for (i, block) in blocks.iter().enumerate().skip(t).step_by(threads) {
                    let mut buffer = empty_rx.try_recv().unwrap_or_default();
                    buffer.clear();
                    for (k, e) in block.iter().enumerate() {
                        write_entry(&mut buffer, e, decimals, i == 0 && k == 0);
                    }
                    // The writer gave up (an error): stop.
                    if full_tx.send(buffer).is_err() {
                        return;
                    }
                }
            });
            lanes.push((full_rx, empty_tx));
        }
        for i in 0..blocks.len() {
            let (full_rx, empty_tx) = &lanes[i % threads];
            // A rendering thread only ends early when this side has stopped; a panic in one is
            // raised again by the scope.
            let Ok(buffer) = full_rx.recv() else { break };
            w.write_all(&buffer)?;
            let _ = empty_tx.send(buffer);
        }
        Ok(())
    })
}

/// How deep an entry object sits: top object, groups array, group object, entries array.
const ENTRY_DEPTH: usize = 4;

const SPACES: &[u8; 64] = b"                                                                ";

/// A newline and the indentation of `level` (two spaces a level), as serde_json's pretty printer.
fn newline(b: &mut Vec<u8>, level: usize) {
    b.push(b'\n');
    b.extend_from_slice(&SPACES[..2 * level]);
}

/// The separator before an item or key of a pretty-printed array or object at `level`.
fn item(b: &mut Vec<u8>, level: usize, first: bool) {
    if !first {
        b.push(b',');
    }
    newline(b, level);
}

/// `"key": ` at `level`, after its separator, for a key from the data (a round's id).
fn key(b: &mut Vec<u8>, level: usize, first: bool, name: &str) {
    item(b, level, first);
    put_str(b, name);
    b.extend_from_slice(b": ");
}

/// [`key`] for a key of the layout, given as its JSON text with the colon (`b"\"award\": "`):
/// nothing to escape.
fn key_lit(b: &mut Vec<u8>, level: usize, first: bool, json: &[u8]) {
    item(b, level, first);
    b.extend_from_slice(json);
}

/// A JSON string, escaped exactly as serde_json escapes it (`"` and `\`, and the control
/// characters: the five short forms, else `\u00XX` in lower-case hex; nothing else).
fn put_str(b: &mut Vec<u8>, text: &str) {
    b.push(b'"');
    let bytes = text.as_bytes();
    if !bytes.iter().any(|&c| c < 0x20 || c == b'"' || c == b'\\') {
        b.extend_from_slice(bytes);
        b.push(b'"');
        return;
    }
    let mut start = 0;
    for (i, &c) in bytes.iter().enumerate() {
        let short: &[u8] = match c {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            0x08 => b"\\b",
            0x0C => b"\\f",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x00..=0x1F => b"",
            _ => continue,
        };
        b.extend_from_slice(&bytes[start..i]);
        if short.is_empty() {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            b.extend_from_slice(b"\\u00");
            b.push(HEX[usize::from(c >> 4)]);
            b.push(HEX[usize::from(c & 0xF)]);
        } else {
            b.extend_from_slice(short);
        }
        start = i + 1;
    }
    b.extend_from_slice(&bytes[start..]);
    b.push(b'"');
}

/// The decimal digits of `n`.
fn put_u128(b: &mut Vec<u8>, mut n: u128) {
    let mut digits = [0u8; 40];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    b.extend_from_slice(&digits[at..]);
}

fn put_u64(b: &mut Vec<u8>, mut n: u64) {
    // Scores are mostly below 1000: their digits pushed one by one, where a copy of a slice of
    // unknown length calls `memmove` (3 % of a tally at 100k).
    if n < 10 {
        b.push(b'0' + n as u8);
        return;
    }
    if n < 100 {
        b.push(b'0' + (n / 10) as u8);
        b.push(b'0' + (n % 10) as u8);
        return;
    }
    if n < 1000 {
        b.push(b'0' + (n / 100) as u8);
        b.push(b'0' + (n / 10 % 10) as u8);
        b.push(b'0' + (n % 10) as u8);
        return;
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    b.extend_from_slice(&digits[at..]);
}

/// `null` or `"85.13"`: a ratio rounded half up to `decimals` places, as `Ratio::format_fixed`
/// writes it.
fn put_fixed(b: &mut Vec<u8>, value: Option<Ratio>, decimals: u32) {
    let Some(value) = value else {
        b.extend_from_slice(b"null");
        return;
    };
    let units = value.round_half_up_units(decimals);
    b.push(b'"');
    if units < 0 {
        b.push(b'-');
    }
    let abs = units.unsigned_abs();
    if decimals == 0 {
        put_u128(b, abs);
    } else {
        let scale = 10_u128.pow(decimals);
        let (whole, part) = match (u64::try_from(abs), u64::try_from(scale)) {
            (Ok(abs), Ok(scale)) => (u128::from(abs / scale), u128::from(abs % scale)),
            _ => (abs / scale, abs % scale),
        };
        put_u128(b, whole);
        b.push(b'.');
        // The fraction's digits, zero-padded to `decimals`, made on the stack (not a `Vec` per
        // number) while they fit in a u64; `part < scale` so there are at most `decimals`.
        match u64::try_from(part) {
            Ok(mut part) if decimals <= 19 => {
                let mut digits = [b'0'; 19];
                for d in digits[..decimals as usize].iter_mut().rev() {
                    *d = b'0' + (part % 10) as u8;
                    part /= 10;
                }
                for &d in &digits[..decimals as usize] {
                    b.push(d);
                }
            }
            _ => {
                let mut digits = Vec::with_capacity(decimals as usize);
                put_u128(&mut digits, part);
                for _ in digits.len()..decimals as usize {
                    b.push(b'0');
                }
                b.extend_from_slice(&digits);
            }
        }
    }
    b.push(b'"');
}

/// `"97.5"`: a mark's total as `Points`' `Display` writes it (no trailing zeros).
fn put_points(b: &mut Vec<u8>, p: Points) {
    b.push(b'"');
    if p.0 < 0 {
        b.push(b'-');
    }
    let abs = p.0.unsigned_abs();
    let scale = POINT_SCALE as u64;
    put_u64(b, abs / scale);
    let mut frac = abs % scale;
    if frac != 0 {
        let mut width = 4;
        while frac.is_multiple_of(10) {
            frac /= 10;
            width -= 1;
        }
        b.push(b'.');
        let mut digits = [b'0'; 4];
        for d in digits[..width].iter_mut().rev() {
            *d = b'0' + (frac % 10) as u8;
            frac /= 10;
        }
        for &d in &digits[..width] {
            b.push(d);
        }
    }
    b.push(b'"');
}

fn put_bool(b: &mut Vec<u8>, v: bool) {
    b.extend_from_slice(if v { b"true" } else { b"false" });
}

/// An array of `items` whose key is at `level`: `[]`, or each item at `level + 1`.
fn put_array<T>(b: &mut Vec<u8>, level: usize, items: impl Iterator<Item = T>, mut each: impl FnMut(&mut Vec<u8>, T)) {
    b.push(b'[');
    let mut first = true;
    for x in items {
        item(b, level + 1, first);
        each(b, x);
        first = false;
    }
    if !first {
        newline(b, level);
    }
    b.push(b']');
}

/// Sixteen spaces: the indentation of a mark's keys (level `ENTRY_DEPTH + 4`).
macro_rules! mark_indent {
    () => {
        "                "
    };
}

/// A mark's object up to its judge's value: `{`, `dropped`, `flagged` and the `judge` key, at
/// the mark's level (`ENTRY_DEPTH + 4`, inside the entry, `judges`, the round's array).
macro_rules! mark_head {
    ($dropped:literal, $flagged:literal) => {
        concat!(
            "{\n",
            mark_indent!(),
            "\"dropped\": ",
            $dropped,
            ",\n",
            mark_indent!(),
            "\"flagged\": ",
            $flagged,
            ",\n",
            mark_indent!(),
            "\"judge\": "
        )
        .as_bytes()
    };
}

/// The text of a mark before its judge's id, by what was dropped and whether it is flagged.
fn mark_head(dropped: Option<Dropped>, flagged: bool) -> &'static [u8] {
    match (dropped, flagged) {
        (None, false) => mark_head!("null", "false"),
        (None, true) => mark_head!("null", "true"),
        (Some(Dropped::High), false) => mark_head!("\"high\"", "false"),
        (Some(Dropped::High), true) => mark_head!("\"high\"", "true"),
        (Some(Dropped::Low), false) => mark_head!("\"low\"", "false"),
        (Some(Dropped::Low), true) => mark_head!("\"low\"", "true"),
    }
}

/// Between a mark's judge and its total.
const MARK_TOTAL: &[u8] = concat!(",\n", mark_indent!(), "\"total\": ").as_bytes();

/// After a mark's total: the object closed at the array's item level (fourteen spaces).
const MARK_END: &[u8] = b"\n              }";

// The templates' indentation is that of the key-by-key layout: keys at `ENTRY_DEPTH + 4`, the
// closing brace at `ENTRY_DEPTH + 3`, two spaces a level.
const _: () = assert!(MARK_TOTAL.len() == 2 + 2 * (ENTRY_DEPTH + 4) + 9 && MARK_END.len() == 2 + 2 * (ENTRY_DEPTH + 3));

/// One entry at [`ENTRY_DEPTH`], with its separator: the text of serde_json's pretty printer for
/// `export::json::tally_json`'s entry object (keys sorted, as a JSON map keeps them).
fn write_entry(b: &mut Vec<u8>, e: &EntryResult, d: u32, first: bool) {
    const L: usize = ENTRY_DEPTH + 1;
    item(b, ENTRY_DEPTH, first);
    // Most entries have one round: it is its own order, lent without a `Vec` (a malloc and a
    // free per entry).
    let one: [&RoundResult; 1];
    let sorted: Vec<&RoundResult>;
    let rounds: &[&RoundResult] = match e.rounds.as_slice() {
        [] => &[],
        [r] => {
            one = [r];
            &one
        }
        _ => {
            sorted = rounds_by_id(e);
            &sorted
        }
    };
    b.push(b'{');
    key_lit(b, L, true, b"\"award\": ");
    match &e.award {
        Some(a) => put_str(b, a),
        None => b.extend_from_slice(b"null"),
    }
    key_lit(b, L, false, b"\"complete\": ");
    put_bool(b, e.complete);
    key_lit(b, L, false, b"\"final\": ");
    put_fixed(b, e.final_score, d);
    key_lit(b, L, false, b"\"flags\": ");
    let flags = e
        .rounds
        .iter()
        .flat_map(|r| r.marks.iter().filter(|m| m.flagged).map(move |m| (r, m)));
    put_array(b, L, flags, |b, (r, mark)| {
        const F: usize = L + 2;
        b.push(b'{');
        key_lit(b, F, true, b"\"flag\": ");
        put_str(b, "分差过大");
        key_lit(b, F, false, b"\"judge\": ");
        put_str(b, &mark.judge);
        key_lit(b, F, false, b"\"median\": ");
        put_fixed(b, r.median, d);
        key_lit(b, F, false, b"\"round\": ");
        put_str(b, &r.round);
        key_lit(b, F, false, b"\"total\": ");
        put_points(b, mark.total);
        newline(b, L + 1);
        b.push(b'}');
    });
    key_lit(b, L, false, b"\"id\": ");
    put_str(b, &e.id);
    key_lit(b, L, false, b"\"incomplete\": ");
    put_array(b, L, e.shortfalls.iter(), |b, sf| {
        const F: usize = L + 2;
        b.push(b'{');
        key_lit(b, F, true, b"\"judges\": ");
        put_u64(b, sf.have as u64);
        key_lit(b, F, false, b"\"needed\": ");
        put_u64(b, sf.need as u64);
        key_lit(b, F, false, b"\"round\": ");
        put_str(b, &sf.round);
        newline(b, L + 1);
        b.push(b'}');
    });
    key_lit(b, L, false, b"\"judges\": ");
    b.push(b'{');
    for (i, r) in rounds.iter().enumerate() {
        key(b, L + 1, i == 0, &r.round);
        put_array(b, L + 1, r.marks.iter(), |b, mark| {
            // The text of a mark is fixed but for its judge and total: written from templates,
            // three copies where key by key it was a dozen.
            b.extend_from_slice(mark_head(mark.dropped, mark.flagged));
            put_str(b, &mark.judge);
            b.extend_from_slice(MARK_TOTAL);
            put_points(b, mark.total);
            b.extend_from_slice(MARK_END);
        });
    }
    if !rounds.is_empty() {
        newline(b, L);
    }
    b.push(b'}');
    key_lit(b, L, false, b"\"rank\": ");
    match e.rank {
        Some(r) => put_u64(b, u64::from(r)),
        None => b.extend_from_slice(b"null"),
    }
    key_lit(b, L, false, b"\"rounds\": ");
    b.push(b'{');
    for (i, r) in rounds.iter().enumerate() {
        key(b, L + 1, i == 0, &r.round);
        put_fixed(b, r.score, d);
    }
    if !rounds.is_empty() {
        newline(b, L);
    }
    b.push(b'}');
    key_lit(b, L, false, b"\"title\": ");
    put_str(b, &e.title);
    newline(b, ENTRY_DEPTH);
    b.push(b'}');
}

/// The entry's rounds in the order of their ids, as a JSON object (a sorted map) lists them.
fn rounds_by_id(e: &EntryResult) -> Vec<&RoundResult> {
    let mut rounds: Vec<&RoundResult> = e.rounds.iter().collect();
    if rounds.len() < 2 {
        return rounds;
    }
    rounds.sort_by(|a, b| a.round.cmp(&b.round));
    // An object keeps one value per key: the last round of a repeated id, as `collect` into a map does.
    rounds.reverse();
    rounds.dedup_by(|a, b| a.round == b.round);
    rounds.reverse();
    rounds
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn both(t: &Tally) -> (String, String) {
        let mut streamed = Vec::new();
        write_tally_json(t, &mut streamed).unwrap();
        let tree = serde_json::to_string_pretty(&crate::export::json::tally_json(t)).unwrap() + "\n";
        (String::from_utf8(streamed).unwrap(), tree)
    }

    #[test]
    fn writes_what_the_value_tree_gives_for_the_demo() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let t = crate::app::tally::compute_tally(&store, None).unwrap();
        let (streamed, tree) = both(&t);
        assert!(streamed.contains("\"final\""), "{streamed}");
        assert_eq!(streamed, tree);
    }

    /// The tally of the contest the bench generator makes of `cases` cases from `seed`.
    fn generated_tally(cases: usize, seed: u64) -> (tempfile::TempDir, crate::core::tally::Tally) {
        let dir = tempfile::tempdir().unwrap();
        let g = crate::bench::generator::generate(dir.path(), cases, seed, true, &mut |_| {}).unwrap();
        let store = Store::open(g.workspace.as_ref().unwrap()).unwrap();
        let t = crate::app::tally::compute_tally(&store, None).unwrap();
        (dir, t)
    }

    #[test]
    fn writes_flags_shortfalls_and_ungrouped_like_the_value_tree() {
        let (_dir, mut t) = generated_tally(12, 9);
        // Make every kind of value appear: a flagged mark, an incomplete entry, an ungrouped id.
        let entry = &mut t.groups[0].entries[0];
        entry.rounds[0].marks[0].flagged = true;
        entry.shortfalls.push(crate::core::tally::Shortfall {
            round: "review".into(),
            have: 2,
            need: 3,
        });
        entry.award = Some("一等奖".into());
        t.ungrouped.push("X\"1".into());
        let (streamed, tree) = both(&t);
        assert!(
            streamed.contains("分差过大") && streamed.contains("\"needed\": 3"),
            "{streamed}"
        );
        assert_eq!(streamed, tree);
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        let mut every_control: String = (0u8..0x20).map(char::from).collect();
        every_control.push_str("\"\\/\u{7f}案例 ① “引号” \u{1F600}");
        for text in [every_control.as_str(), "", "plain", "\"", "a\\b", "\n\u{1}x"] {
            let mut ours = Vec::new();
            put_str(&mut ours, text);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                serde_json::to_string(text).unwrap(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn numbers_are_written_as_display_and_format_fixed_write_them() {
        for units in [
            0,
            1,
            5,
            10,
            99,
            1_000,
            9_999,
            10_000,
            12_345,
            975_000,
            1_000_001,
            -1,
            -5_000,
            -12_340,
            i64::MAX,
            i64::MIN + 1,
        ] {
            let mut ours = Vec::new();
            put_points(&mut ours, Points(units));
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                format!("\"{}\"", Points(units)),
                "{units}"
            );
        }
        for (num, den) in [
            (0, 1),
            (1, 3),
            (2, 3),
            (85_125, 1_000),
            (-85_125, 1_000),
            (-1, 3),
            (99_995, 1_000),
            (7, 1),
            (i64::MAX as i128 * 1_000, 7),
        ] {
            let r = Ratio::new(num, den);
            for d in [0, 1, 2, 3, 4] {
                let mut ours = Vec::new();
                put_fixed(&mut ours, Some(r), d);
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    format!("\"{}\"", r.format_fixed(d)),
                    "{num}/{den} at {d}"
                );
            }
        }
        let mut ours = Vec::new();
        put_fixed(&mut ours, None, 2);
        put_u64(&mut ours, 0);
        put_u64(&mut ours, u64::MAX);
        assert_eq!(String::from_utf8(ours).unwrap(), format!("null0{}", u64::MAX));
    }

    #[test]
    fn every_kind_of_mark_is_written_from_its_template_as_the_value_tree_gives_it() {
        let (_dir, mut t) = generated_tally(8, 6);
        let group = t.groups.iter_mut().find(|g| !g.entries.is_empty()).unwrap();
        let marks = &mut group.entries[0].rounds[0].marks;
        assert!(marks.len() >= 6, "six judges' marks");
        let kinds = [None, Some(Dropped::High), Some(Dropped::Low)];
        for (i, mark) in marks.iter_mut().take(6).enumerate() {
            mark.dropped = kinds[i % 3];
            mark.flagged = i >= 3;
            mark.judge = format!("J\"{i}").into();
            mark.total = Points(-12_340 + 97_500 * i as i64);
        }
        let (streamed, tree) = both(&t);
        for text in [
            "\"dropped\": \"high\",",
            "\"dropped\": \"low\",",
            "\"flagged\": true,",
            "\"judge\": \"J\\\"5\"",
        ] {
            assert!(streamed.contains(text), "{text} in {streamed}");
        }
        assert_eq!(streamed, tree);
    }

    #[test]
    fn many_decimals_are_written_as_format_fixed_writes_them() {
        for (num, den) in [(1, 3), (2, 3), (-85_125, 1_000), (0, 1), (99_995, 1_000)] {
            let r = Ratio::new(num, den);
            for d in [5, 6, 9, 18, 19, 20, 24] {
                let mut ours = Vec::new();
                put_fixed(&mut ours, Some(r), d);
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    format!("\"{}\"", r.format_fixed(d)),
                    "{num}/{den} at {d}"
                );
            }
        }
    }

    #[test]
    fn parts_rendered_apart_join_into_the_same_text_and_empty_lists_stay_empty() {
        let (_dir, mut t) = generated_tally(8, 4);
        // Over ENTRIES_PER_PART entries in one group: rendered in parts on a machine with 2+ threads.
        let one = t.groups.iter().find(|g| !g.entries.is_empty()).unwrap().entries[0].clone();
        t.groups[0].entries = (0..2 * ENTRIES_PER_PART + 7)
            .map(|i| {
                let mut e = one.clone();
                e.id = format!("E{i}");
                // Every kind of value somewhere in the blocks: flags, shortfalls, awards, a
                // second round (listed by id), an incomplete entry and escaped text.
                if i % 7 == 0 {
                    let marks = e.rounds[0].marks.len();
                    e.rounds[0].marks[i % marks].flagged = true;
                }
                if i % 11 == 0 {
                    let mut extra = e.rounds[0].clone();
                    extra.round = "a-first\"round".into();
                    extra.score = None;
                    extra.marks.clear();
                    e.rounds.push(extra);
                    e.shortfalls.push(crate::core::tally::Shortfall {
                        round: "a-first\"round".into(),
                        have: 0,
                        need: 3,
                    });
                    e.complete = false;
                    e.rank = None;
                    e.final_score = None;
                }
                if i % 13 == 0 {
                    e.award = Some("二等奖".into());
                    e.title = format!("标题\t{i}\\");
                }
                e
            })
            .collect();
        t.groups[1].entries.clear();
        let (streamed, tree) = both(&t);
        assert!(streamed.contains("\"entries\": []") && streamed.contains("\"ungrouped\": []"));
        assert_eq!(streamed, tree);
        t.groups.clear();
        let (streamed, tree) = both(&t);
        assert!(streamed.contains("\"groups\": []"));
        assert_eq!(streamed, tree);
    }
}
