//! JSON: an array of objects, one per row, keys as column headers; or the same array wrapped as
//! `{"entries": [...]}`, `{"scores": [...]}` or `{"judges": [...]}` (what `jury export` writes).
//! An object's `"sections": {"background": …, …}` become columns of their own.
//!
//! Values are read from their literal text, never through a float: a number is kept exactly as
//! it is written (`24.5000000000000001` stays that, and the score importer refuses it as it would
//! in CSV; a 30-digit id stays 30 digits). A key twice in one object is refused.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde_json::value::RawValue;

use super::ImportErrors;
use super::table::{CellMark, MAX_ROWS, MarkKind, ReadInfo, SourceKind, Table, TableRow, check_cell};
use super::text::decode;
use crate::core::problems::{Column, Located, Place, Problem};

/// The keys a wrapping object may hold its array under.
const WRAPPERS: &[&str] = &["entries", "scores", "judges"];
/// The key whose object's members become columns.
const SECTIONS: &str = "sections";

/// An object's members in file order, a key given twice kept twice (to be refused).
struct Members<'a>(Vec<(String, &'a RawValue)>);

impl<'de> Deserialize<'de> for Members<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct MembersVisitor;
        impl<'de> Visitor<'de> for MembersVisitor {
            type Value = Members<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    let value: &'de RawValue = map.next_value()?;
                    members.push((key, value));
                }
                Ok(Members(members))
            }
        }
        deserializer.deserialize_map(MembersVisitor)
    }
}

/// What a JSON value is, by its first character.
fn first_byte(raw: &RawValue) -> u8 {
    raw.get().trim_start().bytes().next().unwrap_or(b' ')
}

pub fn read_json(file: &str, bytes: &[u8]) -> Result<Table, ImportErrors> {
    let whole = |m: Problem| ImportErrors::whole_file(file, m);
    let (text, _) = decode(bytes).map_err(|p| ImportErrors::whole_file(file, p))?;
    // The whole text is checked once here; the parts read below are valid JSON.
    let top: &RawValue = serde_json::from_str(&text).map_err(|e| {
        whole(Problem::JsonInvalid {
            error: e.to_string(),
            line: e.line(),
            column: e.column(),
        })
    })?;
    let array = match first_byte(top) {
        b'[' => top,
        b'{' => {
            let Members(members) = parse::<Members>(top).map_err(&whole)?;
            let mut found = None;
            for (key, value) in members {
                if !WRAPPERS.contains(&key.as_str()) {
                    return Err(whole(Problem::JsonTopKey { key }));
                }
                if found.is_some() {
                    return Err(whole(Problem::JsonTwoArrays { key }));
                }
                if first_byte(value) != b'[' {
                    return Err(whole(Problem::JsonNotArray { key }));
                }
                found = Some(value);
            }
            found.ok_or_else(|| whole(Problem::JsonEmptyObject))?
        }
        _ => return Err(whole(Problem::JsonShape)),
    };
    let items: Vec<&RawValue> = parse(array).map_err(&whole)?;
    if items.len() > MAX_ROWS {
        return Err(whole(Problem::TooManyElements { most: MAX_ROWS }));
    }
    let mut headers: Vec<String> = Vec::new();
    let mut objects: Vec<Vec<(String, String, bool)>> = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let number = i + 1;
        let at = |field: Option<&str>, problem: Problem| at_element(file, number, field, problem);
        if first_byte(item) != b'{' {
            return Err(whole(Problem::JsonNotObject { element: number }));
        }
        let Members(members) = parse::<Members>(item).map_err(&whole)?;
        let mut cells: Vec<(String, String, bool)> = Vec::with_capacity(members.len());
        for (key, value) in members {
            if key == SECTIONS && first_byte(value) == b'{' {
                let Members(sections) = parse::<Members>(value).map_err(&whole)?;
                for (name, value) in sections {
                    let field = format!("{SECTIONS}.{name}");
                    let (text, integer) = cell_text(value).map_err(|m| at(Some(&field), m))?;
                    if cells.iter().any(|(k, _, _)| *k == name) {
                        return Err(at(None, Problem::JsonGivenTwice { name }));
                    }
                    cells.push((name, text, integer));
                }
                continue;
            }
            let (text, integer) = cell_text(value).map_err(|m| at(Some(&key), m))?;
            if cells.iter().any(|(k, _, _)| *k == key) {
                return Err(at(None, Problem::JsonKeyTwice { key }));
            }
            cells.push((key, text, integer));
        }
        for (key, _, _) in &cells {
            if !headers.iter().any(|h| h == key) {
                headers.push(key.clone());
            }
        }
        objects.push(cells);
    }
    let mut rows = Vec::with_capacity(objects.len());
    let mut marks = Vec::new();
    for (i, members) in objects.into_iter().enumerate() {
        let number = i + 1;
        let mut cells = vec![String::new(); headers.len()];
        for (key, text, integer) in members {
            if let Err(what) = check_cell(&text) {
                return Err(at_element(
                    file,
                    number,
                    Some(&key),
                    Problem::BadCell { what, value: true },
                ));
            }
            if let Some(pos) = headers.iter().position(|h| *h == key) {
                if !integer {
                    marks.push(CellMark {
                        row: number,
                        col: pos,
                        kind: MarkKind::Fraction,
                    });
                }
                cells[pos] = text;
            }
        }
        rows.push(TableRow { number, cells });
    }
    Ok(Table {
        file: file.to_string(),
        kind: SourceKind::Json,
        headers,
        rows,
        info: ReadInfo {
            notes: Vec::new(),
            marks,
        },
    })
}

/// Parse a part of a document already checked as JSON: only its shape can be wrong.
fn parse<'a, T: Deserialize<'a>>(raw: &'a RawValue) -> Result<T, Problem> {
    serde_json::from_str(raw.get()).map_err(|e| Problem::JsonPart { error: e.to_string() })
}

/// A problem at element `number` (1-based), in its field `field` if one.
fn at_element(file: &str, number: usize, field: Option<&str>, problem: Problem) -> ImportErrors {
    ImportErrors {
        file: file.to_string(),
        problems: vec![Located {
            place: Some(Place::Element(number)),
            column: field.map(|f| Column {
                index: None,
                label: format!("field \"{f}\""),
            }),
            problem,
        }],
        more: 0,
    }
}

/// A value as cell text, and whether it is anything but a number with a fraction or exponent.
fn cell_text(raw: &RawValue) -> Result<(String, bool), Problem> {
    let literal = raw.get().trim();
    Ok(match first_byte(raw) {
        b'"' => (parse::<String>(raw)?.trim().to_string(), true),
        b'n' => (String::new(), true),
        b't' | b'f' => (literal.to_string(), true),
        b'[' | b'{' => return Err(Problem::JsonNested),
        // A number, exactly as written.
        _ => {
            let digits = literal.strip_prefix('-').unwrap_or(literal);
            (literal.to_string(), digits.bytes().all(|b| b.is_ascii_digit()))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_objects_and_refuses_others() {
        let t = read_json(
            "a.json",
            "[{\"id\":\"A1\",\"order\":3},{\"id\":\"A2\",\"title\":\"标题\"}]".as_bytes(),
        )
        .unwrap();
        assert_eq!(t.headers, vec!["id", "order", "title"]);
        assert_eq!(t.rows[0].cells, vec!["A1", "3", ""]);
        assert_eq!(t.rows[1].cells, vec!["A2", "", "标题"]);
        assert!(
            read_json("a.json", b"{\"id\":1}")
                .unwrap_err()
                .to_string()
                .contains("has the key \"id\" at the top")
        );
        assert!(
            read_json("a.json", b"[1]")
                .unwrap_err()
                .to_string()
                .contains("element 1")
        );
        assert!(read_json("a.json", b"[{").unwrap_err().to_string().contains("line 1"));
    }

    #[test]
    fn numbers_keep_their_literal_text() {
        let t = read_json(
            "a.json",
            b"[{\"id\": 123456789012345678901234567890, \"score\": 24.5000000000000001, \"n\": -0, \"e\": 1e3}]",
        )
        .unwrap();
        assert_eq!(
            t.rows[0].cells,
            vec!["123456789012345678901234567890", "24.5000000000000001", "-0", "1e3"]
        );
        let fractions: Vec<usize> = t.info.marks.iter().map(|m| m.col).collect();
        assert_eq!(fractions, vec![1, 3], "the fraction and the exponent are marked");
    }

    #[test]
    fn keys_in_file_order_and_twice_refused() {
        let t = read_json("a.json", b"[{\"title\": \"t\", \"id\": \"A1\"}]").unwrap();
        assert_eq!(t.headers, vec!["title", "id"]);
        let e = read_json(
            "a.json",
            b"[{\"id\": \"A1\"}, {\"id\": \"A2\", \"title\": \"x\", \"id\": \"A3\"}]",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.contains("a.json: element 2: the key \"id\" appears twice in this object; keep one"),
            "{e}"
        );
    }

    #[test]
    fn wrapped_arrays_and_sections() {
        let t = read_json(
            "a.json",
            "{\"entries\": [{\"id\": \"A1\", \"title\": \"t\", \"sections\": {\"background\": \"背景\", \"outcome\": null}}]}"
                .as_bytes(),
        )
        .unwrap();
        assert_eq!(t.headers, vec!["id", "title", "background", "outcome"]);
        assert_eq!(t.rows[0].cells, vec!["A1", "t", "背景", ""]);
        let t = read_json(
            "s.json",
            b"{\"scores\": [{\"judge\": \"PW01\", \"entry\": \"A1\", \"round\": \"r\", \"criterion\": \"c\", \"score\": \"24.5\", \"status\": \"draft\"}]}",
        )
        .unwrap();
        assert_eq!(t.headers.last().map(String::as_str), Some("status"));
        assert_eq!(t.rows[0].cells[4], "24.5");
        for (bad, needle) in [
            (&b"{\"entries\": [], \"scores\": []}"[..], "more than one array"),
            (b"{\"entries\": {}}", "\"entries\" must hold an array"),
            (b"{}", "is an empty object"),
            (
                b"[{\"background\": \"a\", \"sections\": {\"background\": \"b\"}}]",
                "element 1: \"background\" is given twice",
            ),
            (
                b"[{\"sections\": {\"background\": {\"x\": 1}}}]",
                "element 1, field \"sections.background\": nested",
            ),
        ] {
            let e = read_json("a.json", bad).unwrap_err().to_string();
            assert!(e.contains(needle), "{e}");
        }
    }
}
