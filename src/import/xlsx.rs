//! XLSX workbooks (the first visible sheet, or one named), read with calamine.
//!
//! Before calamine inflates anything, the ZIP's directory is checked: what it unpacks to is
//! capped, and so is how much each part may have been compressed (a zip bomb packs gigabytes of
//! one repeated byte into a few megabytes). The zip crate stops any part at its declared size, so
//! the sizes checked here are the most that can come out. The sheet's XML is then read once more
//! on its own, for what calamine does not say: hidden rows, formulas without a saved result, and
//! merged cells.

use std::io::{BufReader, Cursor, Read};

use calamine::{Cell, Data, DataRef, Range, Reader, SheetType, SheetVisible, Xlsx};
use quick_xml::events::{BytesStart, Event};

use super::ImportErrors;
use super::table::{
    CellMark, Column, Located, MAX_ROWS, MarkKind, Place, Problem, ReadInfo, SourceKind, Table, TableRow, check_cell,
    column_letters,
};
use crate::core::problems::ReadNote;

/// Most columns a sheet may use (the used area from its first to its last column).
const MAX_COLUMNS: u32 = 1_000;
/// Most cells in a sheet's used area: calamine lays the area out densely in memory, and one stray
/// cell at XFD1048576 would otherwise ask for 17 billion of them.
const MAX_AREA_CELLS: u64 = 40_000_000;
/// Most bytes the parts of a workbook may unpack to, together.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// Most a part larger than [`RATIO_CHECKED_BYTES`] may have been compressed. Measured with zlib
/// at level 6: a sheet of 100,000 score rows packs 9.5 times, the same row repeated 11 times, rows
/// of empty formatted cells 11.5 times; 40 MB of one character (a zip bomb) 1,029 times.
pub const MAX_RATIO: u64 = 100;
const RATIO_CHECKED_BYTES: u64 = 1024 * 1024;
/// Most parts in a workbook (a plain one has about ten).
const MAX_PARTS: usize = 10_000;
/// Problems listed for a sheet's cells before the rest are counted.
const MAX_LISTED: usize = 30;

pub fn read_xlsx(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ImportErrors> {
    // calamine 0.38 panics on some malformed sheets (found by fuzzing: a cell reference whose row
    // overflows when multiplied out). A damaged file must be refused, not crash the program.
    std::panic::catch_unwind(|| read_xlsx_unguarded(file, bytes, sheet)).unwrap_or_else(|_| {
        Err(ImportErrors::whole_file(
            file,
            crate::core::problems::Problem::MalformedWorkbook { csv: true },
        ))
    })
}

pub(super) type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

/// Open the ZIP and check its directory: a workbook, of bounded size, not a zip bomb.
pub(super) fn checked_zip<'a>(bytes: &'a [u8]) -> Result<Zip<'a>, Problem> {
    use crate::core::problems::ZipHolds;
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| Problem::NotZip)?;
    if zip.len() > MAX_PARTS {
        return Err(Problem::TooManyParts {
            parts: zip.len(),
            most: MAX_PARTS,
        });
    }
    let mut total: u64 = 0;
    let mut names = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| Problem::ZipDirectoryDamaged { error: e.to_string() })?;
        let (size, packed) = (part.size(), part.compressed_size());
        total = total.saturating_add(size);
        if total > MAX_UNPACKED_BYTES {
            return Err(Problem::UnpacksTooLarge {
                most_mb: MAX_UNPACKED_BYTES / (1024 * 1024),
            });
        }
        if size > RATIO_CHECKED_BYTES && size / packed.max(1) > MAX_RATIO {
            return Err(Problem::ZipBomb {
                part: part.name().unwrap_or_default().to_string(),
                mb: size / (1024 * 1024),
                kb: packed / 1024,
                ratio: MAX_RATIO,
            });
        }
        names.push((part.name().unwrap_or_default().to_string(), size));
    }
    // calamine reserves room for as many shared strings as the part claims, before reading one:
    // a few bytes saying 400 million would ask for 10 GB and abort the process.
    for (name, size) in &names {
        if !name.to_lowercase().ends_with("sharedstrings.xml") {
            continue;
        }
        if let Some(count) = shared_strings_claimed(&mut zip, name)
            && count > size / 5 + 1
        {
            return Err(Problem::TooManySharedStrings {
                part: name.clone(),
                count,
                kb: size / 1024,
            });
        }
    }
    let names: Vec<String> = names.into_iter().map(|(name, _)| name).collect();
    if !names
        .iter()
        .any(|n| n.ends_with("workbook.xml") || n.ends_with("workbook.bin"))
    {
        let holds = if names.iter().any(|n| n == "word/document.xml") {
            ZipHolds::Word
        } else if names.iter().any(|n| n == "ppt/presentation.xml") {
            ZipHolds::PowerPoint
        } else if names.iter().any(|n| n == "content.xml") && names.iter().any(|n| n == "mimetype") {
            ZipHolds::OpenDocument
        } else {
            let mut shown: Vec<String> = names.iter().take(5).cloned().collect();
            if names.len() > 5 {
                shown.push("…".to_string());
            }
            ZipHolds::Parts(shown)
        };
        return Err(Problem::NoWorkbookInZip { holds });
    }
    Ok(zip)
}

/// The `uniqueCount` a shared-strings part claims (`u64::MAX` if it is too large to read).
fn shared_strings_claimed(zip: &mut Zip<'_>, name: &str) -> Option<u64> {
    let part = zip.by_name(name).ok()?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(part.take(1 << 20)));
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "sst" => {
                let count = attr(&e, "uniqueCount")?;
                let digits = count.trim_start_matches('+');
                if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                return Some(digits.parse().unwrap_or(u64::MAX));
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// The sheet's cells, refused before calamine builds a dense area too large to hold.
pub(super) fn bounded_range(book: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> Result<Range<Data>, Problem> {
    let unreadable = |e: calamine::XlsxError| Problem::FormSheetUnreadable {
        sheet: name.to_string(),
        error: e.to_string(),
    };
    let mut reader = book.worksheet_cells_reader(name).map_err(unreadable)?;
    let mut cells: Vec<Cell<Data>> = Vec::new();
    let (mut min_row, mut max_row, mut min_col, mut max_col) = (u32::MAX, 0u32, u32::MAX, 0u32);
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        if matches!(cell.get_value(), DataRef::Empty) {
            continue;
        }
        let (row, col) = cell.get_position();
        if row as usize > MAX_ROWS + 1 {
            return Err(Problem::SheetTooLong {
                sheet: name.to_string(),
                row: row as u64 + 1,
                most: MAX_ROWS,
            });
        }
        (min_row, max_row) = (min_row.min(row), max_row.max(row));
        (min_col, max_col) = (min_col.min(col), max_col.max(col));
        if max_col - min_col >= MAX_COLUMNS {
            return Err(Problem::SheetTooWide {
                sheet: name.to_string(),
                from: column_letters(min_col as usize),
                to: column_letters(max_col as usize),
                most: MAX_COLUMNS,
            });
        }
        let area = (max_row - min_row + 1) as u64 * (max_col - min_col + 1) as u64;
        if area > MAX_AREA_CELLS {
            return Err(Problem::SheetTooLarge {
                sheet: name.to_string(),
                rows: max_row - min_row + 1,
                columns: max_col - min_col + 1,
            });
        }
        let value = Data::from(cell.get_value().clone());
        cells.push(Cell::new((row, col), value));
    }
    Ok(Range::from_sparse(cells))
}

/// Which sheet to read: the one named, or the first visible worksheet. Also the note that says so.
fn choose_sheet(book: &Xlsx<Cursor<&[u8]>>, sheet: Option<&str>) -> Result<(String, ReadNote), Problem> {
    let sheets = book.sheets_metadata();
    let names: Vec<&str> = sheets.iter().map(|s| s.name.as_str()).collect();
    if let Some(s) = sheet {
        let Some(found) = sheets.iter().find(|m| m.name == s) else {
            return Err(Problem::NoSuchSheet {
                sheet: s.to_string(),
                sheets: names.iter().map(|n| n.to_string()).collect(),
            });
        };
        return Ok((
            s.to_string(),
            ReadNote::SheetAsked {
                sheet: s.to_string(),
                hidden: found.visible != SheetVisible::Visible,
            },
        ));
    }
    let worksheets: Vec<&calamine::Sheet> = sheets.iter().filter(|s| s.typ == SheetType::WorkSheet).collect();
    let Some(first) = worksheets
        .iter()
        .find(|s| s.visible == SheetVisible::Visible)
        .or(worksheets.first())
    else {
        return Err(Problem::NoSheets);
    };
    let hidden_before: Vec<String> = worksheets
        .iter()
        .take_while(|s| s.name != first.name)
        .map(|s| s.name.clone())
        .collect();
    Ok((
        first.name.clone(),
        ReadNote::SheetChosen {
            sheet: first.name.clone(),
            all_hidden: first.visible != SheetVisible::Visible,
            hidden_before,
            sheets: sheets.len(),
        },
    ))
}

fn read_xlsx_unguarded(file: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Table, ImportErrors> {
    let whole = |m: Problem| ImportErrors::whole_file(file, m);
    let mut zip = checked_zip(bytes).map_err(whole)?;
    let mut book: Xlsx<_> =
        Xlsx::new(Cursor::new(bytes)).map_err(|e| whole(Problem::NotAWorkbook { error: e.to_string() }))?;
    let (name, sheet_note) = choose_sheet(&book, sheet).map_err(whole)?;
    let facts = match sheet_part(&mut zip, &name) {
        Some(path) => scan_sheet(&mut zip, &path).map_err(|e| {
            whole(Problem::FormSheetUnreadable {
                sheet: name.clone(),
                error: e.to_string(),
            })
        })?,
        // calamine found the sheet where this reading of the workbook did not: without the facts,
        // hidden rows and formulas without results could not be told, so the file is refused.
        None => {
            return Err(whole(Problem::FormSheetMissing { sheet: name.clone() }));
        }
    };
    let range = bounded_range(&mut book, &name).map_err(whole)?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let mut headers: Option<Vec<String>> = None;
    let mut header_row = 0;
    let mut rows = Vec::new();
    let mut marks = Vec::new();
    let cell_problem = |number: usize, col: usize, problem: Problem| ImportErrors {
        file: file.to_string(),
        problems: vec![Located {
            place: Some(Place::Text(format!("sheet \"{name}\", row {number}"))),
            column: Some(Column {
                index: Some(col),
                label: format!("column {}", column_letters(col)),
            }),
            problem,
        }],
        more: 0,
    };
    for (i, row) in range.rows().enumerate() {
        let number = first_row as usize + i + 1;
        let mut cells = Vec::with_capacity(row.len());
        for (c, cell) in row.iter().enumerate() {
            let col = first_col as usize + c;
            let text = match cell {
                Data::Empty => String::new(),
                Data::String(s) => s.trim().to_string(),
                Data::Int(n) => n.to_string(),
                Data::Float(f) => format!("{f}"),
                Data::Bool(b) => b.to_string(),
                Data::DateTime(d) => {
                    let (text, kind) = excel_date(d);
                    marks.push((number, col, kind));
                    text
                }
                Data::DateTimeIso(s) => {
                    marks.push((number, col, MarkKind::Date(s.clone())));
                    s.clone()
                }
                Data::DurationIso(s) => {
                    marks.push((number, col, MarkKind::Duration(s.clone())));
                    s.clone()
                }
                Data::Error(e) => {
                    return Err(cell_problem(number, col, Problem::ExcelError { error: e.to_string() }));
                }
            };
            if let Err(what) = check_cell(&text) {
                return Err(cell_problem(number, col, Problem::BadCell { what, value: false }));
            }
            cells.push(text);
        }
        if headers.is_none() {
            if cells.iter().all(String::is_empty) {
                continue;
            }
            // Keep column letters true to the sheet when the data does not start in column A.
            let mut h = vec![String::new(); first_col as usize];
            h.extend(cells);
            headers = Some(h);
            header_row = number;
            continue;
        }
        if cells.iter().all(String::is_empty) {
            continue;
        }
        if rows.len() >= MAX_ROWS {
            return Err(whole(Problem::TooManyRows { most: MAX_ROWS }));
        }
        let mut full = vec![String::new(); first_col as usize];
        full.extend(cells);
        rows.push(TableRow { number, cells: full });
    }
    let Some(headers) = headers else {
        return Err(whole(Problem::SheetEmpty { sheet: name.clone() }));
    };
    facts.refuse(file, &name, header_row)?;
    let mut notes = vec![sheet_note];
    let hidden: Vec<usize> = rows
        .iter()
        .map(|r| r.number)
        .filter(|n| facts.hidden_rows.binary_search(&(*n as u32)).is_ok())
        .collect();
    if !hidden.is_empty() {
        notes.push(ReadNote::HiddenRows { rows: hidden });
    }
    Ok(Table {
        file: file.to_string(),
        kind: SourceKind::Xlsx,
        headers,
        rows,
        info: ReadInfo {
            notes,
            marks: marks
                .into_iter()
                .filter(|(row, _, _)| *row != header_row)
                .map(|(row, col, kind)| CellMark { row, col, kind })
                .collect(),
        },
    })
}

/// A date cell as Excel shows it (`1900-01-25`, `10:30`, `2025-03-01 10:30`), and its mark.
pub(super) fn excel_date(d: &calamine::ExcelDateTime) -> (String, MarkKind) {
    let value = d.as_f64();
    if d.is_duration() {
        let seconds = (value * 86_400.0).round() as i64;
        let text = format!("{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60);
        return (text.clone(), MarkKind::Duration(text));
    }
    let (y, mo, day, h, mi, s, _) = d.to_ymd_hms_milli();
    let time = if s == 0 {
        format!("{h:02}:{mi:02}")
    } else {
        format!("{h:02}:{mi:02}:{s:02}")
    };
    let text = if (0.0..1.0).contains(&value) {
        time
    } else if (h, mi, s) == (0, 0, 0) {
        format!("{y:04}-{mo:02}-{day:02}")
    } else {
        format!("{y:04}-{mo:02}-{day:02} {time}")
    };
    (text.clone(), MarkKind::Date(text))
}

/// Where the sheet `name`'s XML is in the ZIP: the workbook lists its sheets with relationship
/// ids, the workbook's relationships give each id a path.
pub(super) fn sheet_part(zip: &mut Zip<'_>, name: &str) -> Option<String> {
    let workbook = relationships(zip, "_rels/.rels")
        .into_iter()
        .find(|(_, kind, _)| kind.ends_with("/officeDocument"))
        .map(|(_, _, target)| resolve("", &target))
        .unwrap_or_else(|| "xl/workbook.xml".to_string());
    let (folder, base) = match workbook.rfind('/') {
        Some(i) => (&workbook[..=i], &workbook[i + 1..]),
        None => ("", workbook.as_str()),
    };
    let rels = relationships(zip, &format!("{folder}_rels/{base}.rels"));
    let xml = read_part(zip, &workbook)?;
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    loop {
        match reader.read_event_into(&mut buf).ok()? {
            Event::Start(e) | Event::Empty(e)
                if e.local_name().as_ref() == "sheet" && attr(&e, "name").as_deref() == Some(name) =>
            {
                let id = e.attributes().flatten().find_map(|a| {
                    (a.key.local_name().as_ref() == "id" && a.key.prefix().is_some())
                        .then(|| {
                            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                                .ok()
                                .map(|v| v.into_owned())
                        })
                        .flatten()
                })?;
                let (_, _, target) = rels.into_iter().find(|(rid, _, _)| *rid == id)?;
                return Some(resolve(folder, &target));
            }
            Event::Eof => return None,
            _ => {}
        }
        buf.clear();
    }
}

/// A relationship part's (id, type, target) triples; none if it is missing.
fn relationships(zip: &mut Zip<'_>, path: &str) -> Vec<(String, String, String)> {
    let Some(xml) = read_part(zip, path) else {
        return Vec::new();
    };
    let mut reader = quick_xml::Reader::from_reader(xml.as_slice());
    let mut buf = Vec::new();
    let mut out = Vec::new();
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                if let (Some(id), Some(target)) = (attr(&e, "Id"), attr(&e, "Target")) {
                    out.push((id, attr(&e, "Type").unwrap_or_default(), target));
                }
            }
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    out
}

/// `target` relative to `folder` (or absolute, from the ZIP's root), with `..` resolved.
fn resolve(folder: &str, target: &str) -> String {
    let joined = match target.strip_prefix('/') {
        Some(absolute) => absolute.to_string(),
        None => format!("{folder}{target}"),
    };
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    parts.join("/")
}

/// A whole part, within the sizes [`checked_zip`] allowed. A read error at the end (a wrong
/// checksum, which calamine does not see when it stops reading at the last tag) keeps what was read.
fn read_part(zip: &mut Zip<'_>, path: &str) -> Option<Vec<u8>> {
    let part = zip.by_name(path).ok()?;
    let mut bytes = Vec::new();
    let read = part.take(MAX_UNPACKED_BYTES).read_to_end(&mut bytes);
    (read.is_ok() || !bytes.is_empty()).then_some(bytes)
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.try_get_attribute(name).ok().flatten().and_then(|a| {
        a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .ok()
            .map(|v| v.into_owned())
    })
}

/// What the sheet's XML says that calamine does not.
#[derive(Debug, Default)]
pub(super) struct SheetFacts {
    /// Rows (as Excel numbers them) marked hidden, by hand or by a filter; sorted.
    pub(super) hidden_rows: Vec<u32>,
    /// Cells (0-based row and column) with a formula but no saved result, and the formula: the
    /// first [`MAX_LISTED`], and how many more.
    unsaved: Vec<(u32, u32, String)>,
    unsaved_more: usize,
    /// Merged ranges (0-based, first and last row and column), up to [`MAX_MERGES`].
    merged: Vec<((u32, u32), (u32, u32))>,
}

/// Merged ranges kept from one sheet (16 bytes each); the rest are not needed to refuse it.
const MAX_MERGES: usize = 100_000;

impl SheetFacts {
    /// Refuse formulas without results anywhere, and merged cells in the table (from the header
    /// row, `header_row` as Excel counts, down).
    pub(super) fn refuse(&self, file: &str, sheet: &str, header_row: usize) -> Result<(), ImportErrors> {
        let mut problems = Vec::new();
        let cell = |row: u32, col: u32| format!("{}{}", column_letters(col as usize), row as u64 + 1);
        for (row, col, formula) in &self.unsaved {
            problems.push(Located {
                place: Some(Place::Text(format!("sheet \"{sheet}\", row {}", *row as u64 + 1))),
                column: Some(Column {
                    index: Some(*col as usize),
                    label: format!("column {}", column_letters(*col as usize)),
                }),
                problem: Problem::FormulaWithoutValue {
                    formula: formula.to_string(),
                },
            });
        }
        for &((r1, c1), (r2, c2)) in &self.merged {
            if (r2 as u64 + 1) < header_row as u64 || (r1, c1) == (r2, c2) {
                continue;
            }
            problems.push(Located {
                place: Some(Place::Text(format!(
                    "sheet \"{sheet}\", cells {}:{}",
                    cell(r1, c1),
                    cell(r2, c2)
                ))),
                column: None,
                problem: Problem::MergedCells { first: cell(r1, c1) },
            });
        }
        if problems.is_empty() {
            return Ok(());
        }
        let more = problems.len().saturating_sub(MAX_LISTED) + self.unsaved_more;
        problems.truncate(MAX_LISTED);
        Err(ImportErrors {
            file: file.to_string(),
            problems,
            more,
        })
    }
}

/// Read the sheet's XML for [`SheetFacts`]. Broken XML ends the reading here, with what was
/// found so far: whether the sheet can be read at all is calamine's to say.
pub(super) fn scan_sheet(zip: &mut Zip<'_>, path: &str) -> Result<SheetFacts, String> {
    let part = zip.by_name(path).map_err(|e| e.to_string())?;
    let mut reader = quick_xml::Reader::from_reader(BufReader::new(part.take(MAX_UNPACKED_BYTES)));
    let mut facts = SheetFacts::default();
    let mut buf = Vec::new();
    // The row being read (0-based) and the next cell's column when a cell has no reference.
    let (mut row, mut col) = (0u32, 0u32);
    let mut next_row = 0u32;
    // In a cell: its position, type, formula, and whether its value had any text.
    let mut cell: Option<(u32, u32, bool)> = None;
    let mut formula: Option<String> = None;
    let mut valued = false;
    let mut reading = None::<&'static str>;
    while let Ok(event) = reader.read_event_into(&mut buf) {
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                match e.local_name().as_ref() {
                    "row" => {
                        row = attr(e, "r")
                            .and_then(|r| r.parse::<u32>().ok())
                            .map_or(next_row, |r| r.saturating_sub(1));
                        next_row = row.saturating_add(1);
                        col = 0;
                        if matches!(attr(e, "hidden").as_deref(), Some("1" | "true")) {
                            facts.hidden_rows.push(row.saturating_add(1));
                        }
                    }
                    "c" => {
                        let (r, c) = attr(e, "r").and_then(|r| cell_ref(&r)).unwrap_or((row, col));
                        col = c.saturating_add(1);
                        let is_text = matches!(attr(e, "t").as_deref(), Some("str" | "inlineStr"));
                        if !empty {
                            cell = Some((r, c, is_text));
                            formula = None;
                            valued = false;
                        }
                    }
                    "f" if cell.is_some() => {
                        formula = Some(String::new());
                        if !empty {
                            reading = Some("f");
                        }
                    }
                    "v" | "is" if cell.is_some() && !empty => reading = Some("v"),
                    "mergeCell" => {
                        if let Some((a, b)) = attr(e, "ref").as_deref().and_then(|r| r.split_once(':'))
                            && let (Some(a), Some(b)) = (cell_ref(a), cell_ref(b))
                            && facts.merged.len() < MAX_MERGES
                        {
                            facts.merged.push((a, b));
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) => match reading {
                Some("f") => {
                    if let Some(f) = formula.as_mut()
                        && f.len() < 60
                    {
                        f.push_str(t.as_ref());
                    }
                }
                Some(_) => valued |= !t.as_ref().is_empty(),
                None => {}
            },
            Event::GeneralRef(_) | Event::CData(_) if reading == Some("v") => valued = true,
            Event::End(ref e) => match e.local_name().as_ref() {
                "f" | "v" | "is" => reading = None,
                "c" => {
                    if let (Some((r, c, is_text)), Some(f)) = (cell.take(), formula.take())
                        && !valued
                        && !is_text
                    {
                        let mut f = f.trim().to_string();
                        if f.chars().count() > 40 {
                            f = f.chars().take(40).collect::<String>() + "…";
                        }
                        if facts.unsaved.len() < MAX_LISTED {
                            facts.unsaved.push((r, c, if f.is_empty() { "…".into() } else { f }));
                        } else {
                            facts.unsaved_more += 1;
                        }
                    }
                }
                _ => {}
            },
            Event::Eof => break,
            _ => {}
        }
        buf.clear();
    }
    facts.hidden_rows.sort_unstable();
    Ok(facts)
}

/// `B5` as (row 4, column 1), 0-based.
fn cell_ref(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut col: u32 = 0;
    for b in letters.bytes() {
        if !b.is_ascii_uppercase() {
            return None;
        }
        col = col * 26 + u32::from(b - b'A') + 1;
    }
    let row: u32 = digits.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_references() {
        assert_eq!(cell_ref("A1"), Some((0, 0)));
        assert_eq!(cell_ref("B5"), Some((4, 1)));
        assert_eq!(cell_ref("AA10"), Some((9, 26)));
        assert_eq!(cell_ref("XFD1048576"), Some((1_048_575, 16_383)));
        assert_eq!(cell_ref("A0"), None);
        assert_eq!(cell_ref("5"), None);
        assert_eq!(resolve("xl/", "worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/", "/xl/worksheets/sheet1.xml"), "xl/worksheets/sheet1.xml");
        assert_eq!(resolve("xl/sub/", "../worksheets/s.xml"), "xl/worksheets/s.xml");
    }
}
