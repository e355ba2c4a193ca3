//! The paper score form (`jury export sheets --blank --format xlsx`), filled in: one worksheet
//! per judge and round, the judge in B2, the round in B3, then one row per entry and one column
//! per criterion ([`crate::core::paper_form`]). It is recognised by its labels (评委 in A2, 轮次 in
//! A3) and read into the long format `judge,entry,round,criterion,score` (one row per filled-in
//! box), which the score import checks and stores as it does any file; [`ScoreForm::locate`]
//! then names the worksheet, row and column of every problem.
//!
//! An empty box is "not scored": it makes no row. A row whose boxes are all empty is skipped
//! whatever its first column says (the signature lines under the table, an entry not scored).

use std::collections::HashMap;
use std::io::Cursor;

use calamine::{Data, DataRef, Range, Reader, SheetType, Xlsx};

use super::ImportErrors;
use super::table::{
    CellMark, Column, Located, MAX_ROWS, MarkKind, Place, Problem, ReadInfo, SourceKind, Table, TableRow, check_cell,
    column_letters,
};
use super::xlsx::{bounded_range, checked_zip, excel_date, scan_sheet, sheet_part};
use crate::core::header::normalise;
use crate::core::paper_form as form;
use crate::core::problems::ReadNote;
use crate::core::rubric::Rubric;

/// Rows below the group row in which the entries' header (编号 …) is looked for.
const HEADER_SEARCH_ROWS: u32 = 20;
/// The long format's columns, as the score import knows them.
const LONG_HEADERS: [&str; 5] = ["judge", "entry", "round", "criterion", "score"];

/// A filled-in form read into the long format, with where each of its rows came from.
#[derive(Debug)]
pub struct ScoreForm {
    /// The long-format table: a row per filled-in box, numbered 2, 3, … (the header is 1).
    pub table: Table,
    /// Per table row (from 2): its worksheet, row and column.
    origins: Vec<Origin>,
    pub sheets: Vec<FormSheet>,
}

/// One worksheet of the form.
#[derive(Debug, Clone)]
pub struct FormSheet {
    pub name: String,
    /// The judge's id as written in B2.
    pub judge: String,
    /// The header row's texts by column (0-based), for column labels.
    headers: Vec<String>,
    /// The header row as Excel counts (1-based).
    header_row: usize,
}

#[derive(Debug, Clone, Copy)]
struct Origin {
    sheet: usize,
    /// As Excel counts (1-based).
    row: usize,
    /// The box's column (0-based).
    col: usize,
}

impl ScoreForm {
    /// How many boxes were filled in.
    pub fn boxes(&self) -> usize {
        self.table.rows.len()
    }

    /// The problems of the long-format table, placed on the form: `sheet "PW01 讲课", row 7,
    /// column D (内容设计 (content))`. The judge's problems point at B2, the round's at B3, an
    /// entry's at its row; the same problem met on every box of a row or a sheet is listed once.
    pub fn locate(&self, errors: ImportErrors) -> ImportErrors {
        let mut seen = std::collections::HashSet::new();
        let mut problems = Vec::with_capacity(errors.problems.len());
        for p in errors.problems {
            let located = self.locate_one(p);
            let key = (
                located.place.as_ref().map(ToString::to_string),
                located.column.as_ref().map(|c| c.label.clone()),
                located.problem.to_string(),
            );
            if seen.insert(key) {
                problems.push(located);
            }
        }
        ImportErrors {
            file: errors.file,
            problems,
            more: errors.more,
        }
    }

    fn origin(&self, row: usize) -> Option<Origin> {
        row.checked_sub(2).and_then(|i| self.origins.get(i)).copied()
    }

    /// `sheet "…", row N` and the column's label.
    fn place(&self, sheet: usize, row: usize, col: Option<usize>) -> (Place, Option<Column>) {
        let s = &self.sheets[sheet];
        let label = |c: usize| -> String {
            let header = if row == form::JUDGE_ROW as usize + 1 && c == form::VALUE_COL as usize {
                form::JUDGE_LABEL
            } else if row == form::ROUND_ROW as usize + 1 && c == form::VALUE_COL as usize {
                form::ROUND_LABEL
            } else {
                s.headers.get(c).map_or("", String::as_str)
            };
            format!("column {} ({header})", column_letters(c))
        };
        (
            Place::Text(format!("sheet \"{}\", row {row}", s.name)),
            col.map(|c| Column {
                index: Some(c),
                label: label(c),
            }),
        )
    }

    fn locate_one(&self, p: Located) -> Located {
        let Some(origin) = p.place.as_ref().and_then(Place::row).and_then(|n| self.origin(n)) else {
            return p;
        };
        let sheet = &self.sheets[origin.sheet];
        let judge_cell = (form::JUDGE_ROW as usize + 1, Some(form::VALUE_COL as usize));
        let (row, col) = match p.column.as_ref().and_then(|c| c.index) {
            // A conflict or an assignment is the entry's matter: its row.
            Some(0) if matches!(p.problem, Problem::Conflict { .. } | Problem::NotAssigned { .. }) => {
                (origin.row, Some(0))
            }
            Some(0) => judge_cell,
            Some(1) => (origin.row, Some(0)),
            Some(2) => (form::ROUND_ROW as usize + 1, Some(form::VALUE_COL as usize)),
            Some(3) => (sheet.header_row, Some(origin.col)),
            Some(_) => (origin.row, Some(origin.col)),
            None => (origin.row, None),
        };
        let problem = match p.problem {
            Problem::DuplicateScore {
                judge,
                entry,
                round,
                criterion,
                first,
            } => {
                let first = self
                    .origin(first)
                    .map(|o| Box::new(self.place(o.sheet, o.row, Some(o.col))));
                Problem::DuplicateScoreInWorkbook {
                    judge,
                    entry,
                    round,
                    criterion,
                    first,
                }
            }
            other => other,
        };
        let (place, column) = self.place(origin.sheet, row, col);
        Located {
            place: Some(place),
            column,
            problem,
        }
    }
}

/// A cell's text as the long-format reader makes it, and its mark (a date, a duration).
fn cell_text(data: Option<&Data>) -> Result<(String, Option<MarkKind>), Problem> {
    let text = match data {
        None | Some(Data::Empty) => return Ok((String::new(), None)),
        Some(Data::String(s)) => s.trim().to_string(),
        Some(Data::Int(n)) => n.to_string(),
        Some(Data::Float(f)) => format!("{f}"),
        Some(Data::Bool(b)) => b.to_string(),
        Some(Data::DateTime(d)) => {
            let (text, kind) = excel_date(d);
            return Ok((text, Some(kind)));
        }
        Some(Data::DateTimeIso(s)) => return Ok((s.clone(), Some(MarkKind::Date(s.clone())))),
        Some(Data::DurationIso(s)) => return Ok((s.clone(), Some(MarkKind::Duration(s.clone())))),
        Some(Data::Error(e)) => {
            return Err(Problem::ExcelError { error: e.to_string() });
        }
    };
    check_cell(&text).map_err(|what| Problem::BadCell { what, value: false })?;
    Ok((text, None))
}

fn is_label(text: &str, labels: &[&str]) -> bool {
    let t = normalise(text);
    !t.is_empty() && labels.iter().any(|l| normalise(l) == t)
}

/// Whether the worksheet `name` is a form: A2 names the judge's row and A3 the round's. Only its
/// first rows are read.
fn is_form_sheet(book: &mut Xlsx<Cursor<&[u8]>>, name: &str) -> bool {
    let Ok(mut reader) = book.worksheet_cells_reader(name) else {
        return false;
    };
    let (mut a2, mut a3) = (String::new(), String::new());
    while let Ok(Some(cell)) = reader.next_cell() {
        let (row, col) = cell.get_position();
        if row > form::ROUND_ROW {
            break;
        }
        if col != 0 {
            continue;
        }
        let text = match cell.get_value() {
            DataRef::String(s) => s.clone(),
            DataRef::SharedString(s) => s.to_string(),
            _ => continue,
        };
        match row {
            r if r == form::JUDGE_ROW => a2 = text,
            r if r == form::ROUND_ROW => a3 = text,
            _ => {}
        }
    }
    is_label(&a2, form::JUDGE_LABELS) && is_label(&a3, form::ROUND_LABELS)
}

/// Read `bytes` as a filled-in form, when it is one: `None` when the workbook (its first visible
/// worksheet, or `sheet`) is not a form, or cannot be opened (the long-format reader then says
/// what it is). With `sheet`, only that worksheet is read; else every worksheet, and one that is
/// neither a form nor empty refuses the file (its scores would otherwise be left behind).
pub fn read_form(
    file: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    rubric: &Rubric,
) -> Result<Option<ScoreForm>, ImportErrors> {
    // calamine may panic on a malformed sheet (see xlsx.rs): refused, never a crash.
    std::panic::catch_unwind(|| read_form_unguarded(file, bytes, sheet, rubric)).unwrap_or_else(|_| {
        Err(ImportErrors::whole_file(
            file,
            Problem::MalformedWorkbook { csv: false },
        ))
    })
}

fn read_form_unguarded(
    file: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    rubric: &Rubric,
) -> Result<Option<ScoreForm>, ImportErrors> {
    let Ok(mut zip) = checked_zip(bytes) else {
        return Ok(None);
    };
    let Ok(mut book) = Xlsx::new(Cursor::new(bytes)) else {
        return Ok(None);
    };
    let meta = book.sheets_metadata().to_vec();
    let worksheets: Vec<&calamine::Sheet> = meta.iter().filter(|s| s.typ == SheetType::WorkSheet).collect();
    let first = match sheet {
        Some(name) => match worksheets.iter().find(|s| s.name == name) {
            Some(s) => s.name.clone(),
            None => return Ok(None),
        },
        None => match worksheets
            .iter()
            .find(|s| s.visible == calamine::SheetVisible::Visible)
            .or(worksheets.first())
        {
            Some(s) => s.name.clone(),
            None => return Ok(None),
        },
    };
    if !is_form_sheet(&mut book, &first) {
        return Ok(None);
    }
    let names: Vec<String> = match sheet {
        Some(name) => vec![name.to_string()],
        None => worksheets.iter().map(|s| s.name.clone()).collect(),
    };
    let whole = |m: Problem| ImportErrors::whole_file(file, m);
    let mut reader = FormReader {
        file,
        rubric,
        rows: Vec::new(),
        origins: Vec::new(),
        marks: Vec::new(),
        sheets: Vec::new(),
        problems: Vec::new(),
        seen: HashMap::new(),
    };
    let mut notes = Vec::new();
    let mut skipped = Vec::new();
    for name in &names {
        let range = bounded_range(&mut book, name).map_err(whole)?;
        if range.is_empty() {
            skipped.push(name.clone());
            continue;
        }
        if !is_form_sheet(&mut book, name) {
            return Err(ImportErrors::whole_file(
                file,
                Problem::FormSheetNotForm {
                    sheet: name.clone(),
                    judge_label: form::JUDGE_LABEL,
                    round_label: form::ROUND_LABEL,
                },
            ));
        }
        let facts = match sheet_part(&mut zip, name) {
            Some(path) => scan_sheet(&mut zip, &path).map_err(|e| {
                ImportErrors::whole_file(
                    file,
                    Problem::FormSheetUnreadable {
                        sheet: name.clone(),
                        error: e.to_string(),
                    },
                )
            })?,
            None => {
                return Err(ImportErrors::whole_file(
                    file,
                    Problem::FormSheetMissing { sheet: name.clone() },
                ));
            }
        };
        let header_row = reader.sheet(name, &range)?;
        if let Some(header_row) = header_row {
            facts.refuse(file, name, header_row)?;
            let hidden = facts.hidden_rows.iter().filter(|r| **r as usize > header_row).count();
            if hidden > 0 {
                notes.push(ReadNote::FormHiddenRows {
                    sheet: name.clone(),
                    hidden,
                });
            }
        }
    }
    if !reader.problems.is_empty() {
        let more = reader.problems.len().saturating_sub(super::table::MAX_LISTED_PROBLEMS);
        reader.problems.truncate(super::table::MAX_LISTED_PROBLEMS);
        return Err(ImportErrors {
            file: file.to_string(),
            problems: reader.problems,
            more,
        });
    }
    if reader.rows.is_empty() {
        return Err(ImportErrors::whole_file(
            file,
            Problem::FormNothingFilled {
                sheets: reader.sheets.len(),
            },
        ));
    }
    let first_note = ReadNote::PaperForm {
        sheets: reader.sheets.len(),
        boxes: reader.rows.len(),
        skipped,
    };
    notes.insert(0, first_note);
    let FormReader {
        rows,
        origins,
        marks,
        sheets,
        ..
    } = reader;
    Ok(Some(ScoreForm {
        table: Table {
            file: file.to_string(),
            kind: SourceKind::Xlsx,
            headers: LONG_HEADERS.iter().map(|h| h.to_string()).collect(),
            rows,
            info: ReadInfo { notes, marks },
        },
        origins,
        sheets,
    }))
}

struct FormReader<'a> {
    file: &'a str,
    rubric: &'a Rubric,
    rows: Vec<TableRow>,
    origins: Vec<Origin>,
    marks: Vec<CellMark>,
    sheets: Vec<FormSheet>,
    problems: Vec<Located>,
    /// (sheet, criterion) columns already taken, for duplicate headers.
    seen: HashMap<(usize, String), usize>,
}

impl FormReader<'_> {
    fn problem(&mut self, sheet: &str, row: u32, col: Option<u16>, label: &str, problem: impl Into<Problem>) {
        self.problems.push(Located {
            place: Some(Place::Text(format!("sheet \"{sheet}\", row {}", row + 1))),
            column: col.map(|c| Column {
                index: Some(c as usize),
                label: format!("column {} ({label})", column_letters(c as usize)),
            }),
            problem: problem.into(),
        });
    }

    /// Read one form sheet into rows; its header row (1-based) when it has one.
    fn sheet(&mut self, name: &str, range: &Range<Data>) -> Result<Option<usize>, ImportErrors> {
        let file = self.file;
        let cell = |row: u32, col: u32| -> Result<(String, Option<MarkKind>), ImportErrors> {
            cell_text(range.get_value((row, col))).map_err(|problem| ImportErrors {
                file: file.to_string(),
                problems: vec![Located {
                    place: Some(Place::Text(format!("sheet \"{name}\", row {}", row + 1))),
                    column: Some(Column {
                        index: Some(col as usize),
                        label: format!("column {}", column_letters(col as usize)),
                    }),
                    problem,
                }],
                more: 0,
            })
        };
        let (end_row, end_col) = range.end().unwrap_or((0, 0));
        let index = self.sheets.len();
        let (judge, _) = cell(form::JUDGE_ROW, form::VALUE_COL as u32)?;
        let (round_text, _) = cell(form::ROUND_ROW, form::VALUE_COL as u32)?;
        let header_row = (form::GROUP_ROW + 1..=(form::GROUP_ROW + HEADER_SEARCH_ROWS).min(end_row))
            .find(|r| cell(*r, 0).is_ok_and(|(t, _)| is_label(&t, form::ENTRY_HEADERS)));
        let Some(header_row) = header_row else {
            self.problem(
                name,
                form::HEADER_ROW,
                Some(0),
                "",
                Problem::FormNoHeader {
                    entry_header: form::ENTRY_HEADER,
                },
            );
            return Ok(None);
        };
        let mut headers = Vec::with_capacity(end_col as usize + 1);
        for c in 0..=end_col {
            headers.push(cell(header_row, c)?.0);
        }
        self.sheets.push(FormSheet {
            name: name.to_string(),
            judge: judge.clone(),
            headers: headers.clone(),
            header_row: header_row as usize + 1,
        });
        if judge.is_empty() {
            self.problem(
                name,
                form::JUDGE_ROW,
                Some(form::VALUE_COL),
                form::JUDGE_LABEL,
                Problem::FormNoJudge,
            );
        }
        let Some(round) = self.rubric.round(&round_text) else {
            let known: Vec<String> = self
                .rubric
                .rounds
                .iter()
                .map(|r| format!("{} ({})", r.id, r.name))
                .collect();
            self.problem(
                name,
                form::ROUND_ROW,
                Some(form::VALUE_COL),
                form::ROUND_LABEL,
                Problem::UnknownRound {
                    round: round_text,
                    known,
                },
            );
            return Ok(Some(header_row as usize + 1));
        };
        let has_data = |c: u32| -> bool {
            (header_row + 1..=end_row).any(|r| cell(r, c).is_ok_and(|(t, m)| !t.is_empty() || m.is_some()))
        };
        // The criteria's columns.
        let mut columns: Vec<(u32, String)> = Vec::new();
        for (c, h) in headers.iter().enumerate().skip(1) {
            let c = c as u32;
            if h.is_empty() {
                if has_data(c) {
                    self.problem(
                        name,
                        header_row,
                        Some(c as u16),
                        "",
                        crate::core::problems::Problem::DataWithoutHeader,
                    );
                }
                continue;
            }
            if is_label(h, form::INFO_HEADERS) {
                continue;
            }
            let criterion = round.criterion(form::criterion_key(h)).or_else(|| round.criterion(h));
            match criterion {
                Some(k) => {
                    if let Some(prev) = self.seen.insert((index, k.id.clone()), c as usize) {
                        self.problem(
                            name,
                            header_row,
                            Some(c as u16),
                            h,
                            Problem::FormSecondColumn {
                                criterion: k.id.clone(),
                                first: column_letters(prev),
                            },
                        );
                    } else {
                        columns.push((c, k.id.clone()));
                    }
                }
                None if has_data(c) => {
                    let known: Vec<String> = round
                        .criteria
                        .iter()
                        .map(|k| format!("{} ({})", k.id, k.name))
                        .collect();
                    self.problem(
                        name,
                        header_row,
                        Some(c as u16),
                        h,
                        Problem::UnknownCriterion {
                            criterion: h.clone(),
                            round: round.id.clone(),
                            known,
                        },
                    );
                }
                None => {}
            }
        }
        for r in header_row + 1..=end_row {
            let mut filled = Vec::new();
            for (c, criterion) in &columns {
                let (text, mark) = cell(r, *c)?;
                if !text.is_empty() || mark.is_some() {
                    filled.push((*c, criterion, text, mark));
                }
            }
            if filled.is_empty() {
                continue;
            }
            let (entry, entry_mark) = cell(r, 0)?;
            if entry.is_empty() {
                self.problem(
                    name,
                    r,
                    Some(0),
                    headers.first().map_or("", String::as_str),
                    Problem::FormNoEntryId,
                );
                continue;
            }
            for (c, criterion, text, mark) in filled {
                if self.rows.len() >= MAX_ROWS {
                    return Err(ImportErrors::whole_file(file, Problem::TooManyBoxes { most: MAX_ROWS }));
                }
                let number = self.rows.len() + 2;
                if let Some(kind) = mark {
                    self.marks.push(CellMark {
                        row: number,
                        col: 4,
                        kind,
                    });
                }
                if let Some(kind) = entry_mark.clone() {
                    self.marks.push(CellMark {
                        row: number,
                        col: 1,
                        kind,
                    });
                }
                self.rows.push(TableRow {
                    number,
                    cells: vec![judge.clone(), entry.clone(), round.id.clone(), criterion.clone(), text],
                });
                self.origins.push(Origin {
                    sheet: index,
                    row: r as usize + 1,
                    col: c as usize,
                });
            }
        }
        Ok(Some(header_row as usize + 1))
    }
}
