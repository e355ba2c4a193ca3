//! The tally as JSON, written straight to the output: byte for byte what
//! `serde_json::to_string_pretty(&tally_json(t))` gives (keys in the same sorted order), without
//! building a `serde_json::Value` tree first. For 100k entries the tree is millions of small
//! allocations, and `json!` copies each nested value once per level.

use std::io::{self, Write};

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};

use crate::core::tally::{EntryResult, Mark, RoundResult, Tally};

/// Write the tally as pretty JSON followed by a newline, as `jury tally --format json` prints it.
/// The frame (contest, groups, ungrouped) is written here; the entries, nearly all of the text,
/// are rendered in parallel parts at their depth and joined in order.
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
                for part in render_entries(&group.entries, d)? {
                    w.write_all(&part)?;
                }
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
const ENTRIES_PER_PART: usize = 2_000;

/// The entries of one group as array items at depth 4 (inside top, groups, group, entries), each
/// preceded by its separator, in parts rendered on every thread; joined in order they are the text.
fn render_entries(entries: &[EntryResult], decimals: u32) -> io::Result<Vec<Vec<u8>>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let parts = threads.min(entries.len() / ENTRIES_PER_PART).max(1);
    let size = entries.len().div_ceil(parts).max(1);
    let render = |first: usize, chunk: &[EntryResult]| -> io::Result<Vec<u8>> {
        let mut buffer = Vec::with_capacity(chunk.len() * 1024);
        for (k, e) in chunk.iter().enumerate() {
            buffer.extend_from_slice(if first + k == 0 { b"\n" } else { b",\n" });
            buffer.extend_from_slice(&b"  ".repeat(ENTRY_DEPTH));
            let mut ser = serde_json::Serializer::with_formatter(&mut buffer, Pretty::at(ENTRY_DEPTH));
            EntryOut(e, decimals).serialize(&mut ser).map_err(io::Error::other)?;
        }
        Ok(buffer)
    };
    if parts == 1 {
        return Ok(vec![render(0, entries)?]);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = entries
            .chunks(size)
            .enumerate()
            .map(|(i, chunk)| scope.spawn(move || render(i * size, chunk)))
            .collect();
        handles
            .into_iter()
            .map(|h| match h.join() {
                Ok(part) => part,
                Err(panic) => std::panic::resume_unwind(panic),
            })
            .collect()
    })
}

/// How deep an entry object sits: top object, groups array, group object, entries array.
const ENTRY_DEPTH: usize = 4;

/// serde_json's `PrettyFormatter` (two spaces), starting at a given depth: serde_json's own always
/// starts at the top, so a part rendered apart would be indented wrongly.
struct Pretty {
    depth: usize,
    has_value: bool,
}

impl Pretty {
    fn at(depth: usize) -> Pretty {
        Pretty {
            depth,
            has_value: false,
        }
    }
}

fn indent<W: ?Sized + Write>(w: &mut W, depth: usize) -> io::Result<()> {
    for _ in 0..depth {
        w.write_all(b"  ")?;
    }
    Ok(())
}

impl serde_json::ser::Formatter for Pretty {
    fn begin_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.depth)?;
        }
        w.write_all(b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.depth)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        w.write_all(b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        self.depth -= 1;
        if self.has_value {
            w.write_all(b"\n")?;
            indent(w, self.depth)?;
        }
        w.write_all(b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(&mut self, w: &mut W, first: bool) -> io::Result<()> {
        w.write_all(if first { b"\n" } else { b",\n" })?;
        indent(w, self.depth)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, w: &mut W) -> io::Result<()> {
        w.write_all(b": ")
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _w: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

struct EntryOut<'a>(&'a EntryResult, u32);

/// The entry's rounds in the order of their ids, as a JSON object (a sorted map) lists them.
fn rounds_by_id(e: &EntryResult) -> Vec<&RoundResult> {
    let mut rounds: Vec<&RoundResult> = e.rounds.iter().collect();
    rounds.sort_by(|a, b| a.round.cmp(&b.round));
    // An object keeps one value per key: the last round of a repeated id, as `collect` into a map does.
    rounds.reverse();
    rounds.dedup_by(|a, b| a.round == b.round);
    rounds.reverse();
    rounds
}

impl Serialize for EntryOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (e, d) = (self.0, self.1);
        let rounds = rounds_by_id(e);
        let mut m = s.serialize_map(Some(10))?;
        m.serialize_entry("award", &e.award)?;
        m.serialize_entry("complete", &e.complete)?;
        m.serialize_entry("final", &e.final_score.map(|f| f.format_fixed(d)))?;
        m.serialize_entry("flags", &Flags(e, d))?;
        m.serialize_entry("id", &e.id)?;
        m.serialize_entry("incomplete", &Shortfalls(e))?;
        m.serialize_entry("judges", &JudgesOut(&rounds))?;
        m.serialize_entry("rank", &e.rank)?;
        m.serialize_entry("rounds", &RoundScores(&rounds, d))?;
        m.serialize_entry("title", &e.title)?;
        m.end()
    }
}

struct Flags<'a>(&'a EntryResult, u32);

impl Serialize for Flags<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.1;
        s.collect_seq(
            self.0
                .rounds
                .iter()
                .flat_map(|r| r.marks.iter().filter(|m| m.flagged).map(move |m| FlagOut(r, m, d))),
        )
    }
}

struct FlagOut<'a>(&'a RoundResult, &'a Mark, u32);

impl Serialize for FlagOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (r, mark, d) = (self.0, self.1, self.2);
        let mut m = s.serialize_map(Some(5))?;
        m.serialize_entry("flag", "分差过大")?;
        m.serialize_entry("judge", &*mark.judge)?;
        m.serialize_entry("median", &r.median.map(|x| x.format_fixed(d)))?;
        m.serialize_entry("round", &r.round)?;
        m.serialize_entry("total", &AsText(mark.total))?;
        m.end()
    }
}

struct Shortfalls<'a>(&'a EntryResult);

impl Serialize for Shortfalls<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.shortfalls.iter().map(|sf| ShortfallOut {
            judges: sf.have,
            needed: sf.need,
            round: &sf.round,
        }))
    }
}

#[derive(Serialize)]
struct ShortfallOut<'a> {
    judges: usize,
    needed: usize,
    round: &'a str,
}

struct JudgesOut<'a>(&'a [&'a RoundResult]);

impl Serialize for JudgesOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for r in self.0 {
            m.serialize_entry(&r.round, &Marks(r))?;
        }
        m.end()
    }
}

struct Marks<'a>(&'a RoundResult);

impl Serialize for Marks<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.marks.iter().map(MarkOut))
    }
}

struct MarkOut<'a>(&'a Mark);

impl Serialize for MarkOut<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mark = self.0;
        let mut m = s.serialize_map(Some(4))?;
        m.serialize_entry("dropped", &mark.dropped.map(|x| x.as_str()))?;
        m.serialize_entry("flagged", &mark.flagged)?;
        m.serialize_entry("judge", &*mark.judge)?;
        m.serialize_entry("total", &AsText(mark.total))?;
        m.end()
    }
}

/// A value written as a JSON string of its `Display` text, straight into the output (a mark's
/// total: 700k of them at 100k cases, each a `String` before).
struct AsText<T>(T);

impl<T: std::fmt::Display> Serialize for AsText<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

struct RoundScores<'a>(&'a [&'a RoundResult], u32);

impl Serialize for RoundScores<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for r in self.0 {
            m.serialize_entry(&r.round, &r.score.map(|x| x.format_fixed(self.1)))?;
        }
        m.end()
    }
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

    #[test]
    fn writes_flags_shortfalls_and_ungrouped_like_the_value_tree() {
        let dir = tempfile::tempdir().unwrap();
        let g = crate::bench::generator::generate(dir.path(), 12, 9, true, &mut |_| {}).unwrap();
        let store = Store::open(g.workspace.as_ref().unwrap()).unwrap();
        let mut t = crate::app::tally::compute_tally(&store, None).unwrap();
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
    fn parts_rendered_apart_join_into_the_same_text_and_empty_lists_stay_empty() {
        let dir = tempfile::tempdir().unwrap();
        let g = crate::bench::generator::generate(dir.path(), 8, 4, true, &mut |_| {}).unwrap();
        let store = Store::open(g.workspace.as_ref().unwrap()).unwrap();
        let mut t = crate::app::tally::compute_tally(&store, None).unwrap();
        // Over ENTRIES_PER_PART entries in one group: rendered in parts on a machine with 2+ threads.
        let one = t.groups.iter().find(|g| !g.entries.is_empty()).unwrap().entries[0].clone();
        t.groups[0].entries = (0..2 * ENTRIES_PER_PART + 7)
            .map(|i| {
                let mut e = one.clone();
                e.id = format!("E{i}");
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
