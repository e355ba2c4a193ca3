//! Entries (cases and contestants) and their long texts.

use std::collections::{BTreeMap, HashSet};

use rusqlite::{OptionalExtension, Row, params};

use super::{Store, Tx};
use crate::core::Entry;
use crate::core::tally::TallyEntry;
use crate::error::Result;

const ENTRY_COLUMNS: &str = "e.id, e.grp, e.title, e.name, e.organization, e.county, e.submitter, e.submitter_type, e.perspective, e.run_order, e.extra";

/// The statement of [`Store::entry_at`].
fn entry_at_sql() -> &'static str {
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    SQL.get_or_init(|| format!("SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.seq = ?1"))
}

/// One row of `SELECT {ENTRY_COLUMNS}` into a list's column arrays.
fn push_list_row(list: &mut crate::core::entry_list::EntryListBuilder, r: &Row<'_>) -> Result<()> {
    use rusqlite::types::ValueRef;
    fn text(v: ValueRef<'_>) -> &[u8] {
        match v {
            ValueRef::Text(b) | ValueRef::Blob(b) => b,
            _ => &[],
        }
    }
    let group = match r.get_ref(1)? {
        ValueRef::Null => None,
        v => Some(text(v)),
    };
    list.push(
        [
            text(r.get_ref(0)?),
            text(r.get_ref(2)?),
            text(r.get_ref(3)?),
            text(r.get_ref(4)?),
            text(r.get_ref(5)?),
            text(r.get_ref(6)?),
            text(r.get_ref(7)?),
            text(r.get_ref(8)?),
            text(r.get_ref(10)?),
        ],
        group,
        r.get(9)?,
    );
    Ok(())
}

/// The list read, its text checked as UTF-8.
fn finish_list(list: crate::core::entry_list::EntryListBuilder) -> Result<crate::core::entry_list::EntryList> {
    use crate::core::entry_list::ListError;
    use rusqlite::types::Type;
    list.finish().map_err(|e| {
        crate::error::Error::from(match e {
            ListError::NotUtf8 => rusqlite::Error::FromSqlConversionFailure(
                0,
                Type::Text,
                Box::new(rusqlite::types::FromSqlError::InvalidType),
            ),
            ListError::TooLarge => rusqlite::Error::IntegralValueOutOfRange(0, i64::from(u32::MAX)),
        })
    })
}

fn entry_from_row(r: &Row<'_>) -> rusqlite::Result<Entry> {
    let extra: String = r.get(10)?;
    Ok(Entry {
        id: r.get(0)?,
        group: r.get(1)?,
        title: r.get(2)?,
        name: r.get(3)?,
        organization: r.get(4)?,
        county: r.get(5)?,
        submitter: r.get(6)?,
        submitter_type: r.get(7)?,
        perspective: r.get(8)?,
        order: r.get(9)?,
        // Written by this module only, from a BTreeMap; an unreadable value means no extras.
        extra: if extra == "{}" {
            BTreeMap::new()
        } else {
            serde_json::from_str::<BTreeMap<String, String>>(&extra).unwrap_or_default()
        },
        sections: Default::default(),
    })
}

/// One entry's fields, borrowed: what [`EntryWriter::put`] stores (plain values in core, so the
/// importers hand over exactly this).
pub use crate::core::entry::EntryFields;

/// Inserts entries (or replaces stored ones with the same id) with its statements prepared once,
/// so a 100k-row import binds borrowed text and never looks a statement up again.
pub struct EntryWriter<'c> {
    upsert: rusqlite::CachedStatement<'c>,
    texts: rusqlite::CachedStatement<'c>,
    /// The statements that note a stored entry's rows before they are replaced, and the id of
    /// an entry added without texts (an import that notes its own rows:
    /// [`Tx::import_capture_begin_entries`]).
    note: Option<[rusqlite::CachedStatement<'c>; 3]>,
    /// Plain inserts of an entry and its texts, for an id not stored (see [`EntryWriter::add`]).
    add: Option<[rusqlite::CachedStatement<'c>; 2]>,
}

impl EntryWriter<'_> {
    /// [`EntryWriter::put`] in an entries import that notes its own rows
    /// ([`Tx::import_capture_begin_entries`]): `stored` says the id was stored before the import,
    /// and its rows are noted before they are replaced. Rows added are noted at the end.
    pub fn put_noting(&mut self, e: &EntryFields<'_>, stored: bool) -> Result<()> {
        match (stored, self.note.as_mut()) {
            (true, Some([entry, texts, _])) => {
                entry.execute([e.id])?;
                if e.sections.is_some() {
                    texts.execute([e.id])?;
                }
                self.put(e)
            }
            (false, Some([_, _, bare])) => {
                if e.sections.is_none() {
                    bare.execute([e.id])?;
                }
                self.add(e)
            }
            (_, None) => self.put(e),
        }
    }

    /// Insert an entry whose id is not stored (the import checked it against the ids stored in
    /// its own transaction): a plain `INSERT OR FAIL` instead of the upsert. The upsert's update
    /// may abort half way, so SQLite wraps each one in a statement journal (a copy of every page
    /// it touches, about a tenth of the writer's time); this insert needs none, as nothing it
    /// writes can fail after another of its writes (a failure fails the whole import, whose
    /// transaction is rolled back). A stored id fails it ("UNIQUE constraint failed").
    fn add(&mut self, e: &EntryFields<'_>) -> Result<()> {
        let Some([entry, texts]) = self.add.as_mut() else {
            return self.put(e);
        };
        write_entry(entry, texts, e)
    }

    pub fn put(&mut self, e: &EntryFields<'_>) -> Result<()> {
        write_entry(&mut self.upsert, &mut self.texts, e)
    }
}

/// One entry's row and, when it has any, its texts row, through the writer's two statements (the
/// upsert or the plain insert: the same parameters in the same order).
fn write_entry(
    entry: &mut rusqlite::Statement<'_>,
    texts: &mut rusqlite::Statement<'_>,
    e: &EntryFields<'_>,
) -> Result<()> {
    entry.execute(params![
        e.id,
        e.group,
        e.title,
        e.name,
        e.organization,
        e.county,
        e.submitter,
        e.submitter_type,
        e.perspective,
        e.order,
        e.extra
    ])?;
    if let Some([background, problem, strategy, outcome]) = e.sections {
        texts.execute(params![e.id, background, problem, strategy, outcome])?;
    }
    Ok(())
}

/// The membership rule of selection in phases, once: an entry is part of the current phase unless
/// a phase started without taking it (`phase_left`). The judges' lists, assignment, progress, the
/// tally and the printouts read the entries through it.
const IN_PHASE: &str = "e.id NOT IN (SELECT entry FROM phase_left)";

impl Store {
    pub fn entry_ids(&self) -> Result<HashSet<String>> {
        let mut stmt = self.conn().prepare("SELECT id FROM entries")?;
        let ids = stmt.query_map([], |r| r.get(0))?.collect::<Result<_, _>>()?;
        Ok(ids)
    }

    pub fn entry_count(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT count(*) FROM entries", [], |r| r.get(0))?)
    }

    /// All entries in import order, without their long texts.
    pub fn entries(&self) -> Result<Vec<Entry>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {ENTRY_COLUMNS} FROM entries e WHERE {IN_PHASE} ORDER BY e.seq"
        ))?;
        let rows = stmt.query_map([], entry_from_row)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// The last entry's `seq` (0 without entries): about the number of entries, read without
    /// counting them (the rowid's largest, one look-up).
    pub(crate) fn last_seq(&self) -> Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT coalesce(max(seq), 0) FROM entries", [], |r| r.get(0))?)
    }

    /// The `seq` that splits the entries into two halves of (nearly) equal size.
    pub(crate) fn middle_seq(&self, count: i64) -> Result<i64> {
        self.seq_at(count / 2)
    }

    /// The `seq` of the entry at `offset` in import order (0 is the first).
    pub(crate) fn seq_at(&self, offset: i64) -> Result<i64> {
        Ok(self.conn().query_row(
            "SELECT seq FROM entries ORDER BY seq LIMIT 1 OFFSET ?1",
            [offset],
            |r| r.get(0),
        )?)
    }

    /// The entries with `from <= seq < to` (either end open), in import order, as column arrays
    /// (the judges' lists of one process share one copy, `app::judging`). `capacity` is the number
    /// expected.
    pub(crate) fn entry_list_in_seq(
        &self,
        from: Option<i64>,
        to: Option<i64>,
        capacity: usize,
    ) -> Result<crate::core::entry_list::EntryList> {
        use crate::core::entry_list::EntryListBuilder;
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.seq >= ?1 AND e.seq < ?2 AND {IN_PHASE} ORDER BY e.seq"
        ))?;
        // Plain bounds, so SQLite scans just that range of the rowid.
        let (from, to) = (from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX));
        // The text is copied into the list's arena as SQLite hands it over, with no allocation
        // per field; it is checked as UTF-8 once, at the end.
        let mut list = EntryListBuilder::with_capacity(capacity, 96);
        let mut rows = stmt.query(params![from, to])?;
        while let Some(r) = rows.next()? {
            push_list_row(&mut list, r)?;
        }
        finish_list(list)
    }

    /// The judges' first page without the rest (issue 18): the first `limit` entries of the
    /// list [`Store::entry_list_in_seq`] reads, put in the order of a contest's judges' list, for
    /// the groups `groups` in that order: in each group the calibration samples first, then the
    /// other entries, each in import order; withdrawn entries (listed last) left out. Fewer than
    /// `limit` when these groups have fewer entries (the list then goes on with entries of no
    /// known group, which this does not read). Each query stops at the rows it needs.
    pub(crate) fn first_entries(&self, groups: &[String], limit: usize) -> Result<crate::core::entry_list::EntryList> {
        use crate::core::entry_list::EntryListBuilder;
        // The samples from their own (small) table, by id: a scan of the group for them would
        // read all of it (CROSS JOIN: the samples are the outer loop). The others in import
        // order, until the page is full.
        let mut samples = self.conn().prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM calibration c CROSS JOIN entries e ON e.id = c.entry
             WHERE e.grp = ?1 AND {IN_PHASE} AND e.id NOT IN (SELECT entry FROM withdrawals)
             ORDER BY e.seq LIMIT ?2"
        ))?;
        let mut others = self.conn().prepare_cached(&format!(
            "SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.grp = ?1 AND {IN_PHASE}
               AND e.id NOT IN (SELECT entry FROM withdrawals)
               AND e.id NOT IN (SELECT entry FROM calibration)
             ORDER BY e.seq LIMIT ?2"
        ))?;
        let mut list = EntryListBuilder::with_capacity(limit, 96);
        let mut seen: Vec<&str> = Vec::new();
        let mut len = 0usize;
        for group in groups {
            if seen.contains(&group.as_str()) {
                continue;
            }
            seen.push(group);
            for stmt in [&mut samples, &mut others] {
                if len >= limit {
                    break;
                }
                let want = i64::try_from(limit - len).unwrap_or(i64::MAX);
                let mut rows = stmt.query(params![group, want])?;
                while let Some(r) = rows.next()? {
                    push_list_row(&mut list, r)?;
                    len += 1;
                }
            }
        }
        finish_list(list)
    }

    /// All entries with their four sections (for the formal check and exports).
    pub fn entries_with_texts(&self) -> Result<Vec<Entry>> {
        let mut stmt = self.conn().prepare(&format!(
            "SELECT {ENTRY_COLUMNS}, t.background, t.problem, t.strategy, t.outcome
             FROM entries e LEFT JOIN entry_texts t ON t.entry = e.id ORDER BY e.seq"
        ))?;
        let rows = stmt
            .query_map([], |r| {
                let mut e = entry_from_row(r)?;
                e.sections.background = r.get::<_, Option<String>>(11)?.unwrap_or_default();
                e.sections.problem = r.get::<_, Option<String>>(12)?.unwrap_or_default();
                e.sections.strategy = r.get::<_, Option<String>>(13)?.unwrap_or_default();
                e.sections.outcome = r.get::<_, Option<String>>(14)?.unwrap_or_default();
                Ok(e)
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// One entry with its texts (read when a judge opens it, never at start-up).
    pub fn entry(&self, id: &str) -> Result<Option<Entry>> {
        // Cached statements: the server's writer reads the entry at every save.
        let entry = self
            .conn()
            .prepare_cached(&format!("SELECT {ENTRY_COLUMNS} FROM entries e WHERE e.id = ?1"))?
            .query_row([id], entry_from_row)
            .optional()?;
        let Some(mut entry) = entry else { return Ok(None) };
        let texts: Option<(String, String, String, String)> = self
            .conn()
            .prepare_cached("SELECT background, problem, strategy, outcome FROM entry_texts WHERE entry = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()?;
        if let Some((b, p, s, o)) = texts {
            entry.sections.background = b;
            entry.sections.problem = p;
            entry.sections.strategy = s;
            entry.sections.outcome = o;
        }
        Ok(Some(entry))
    }

    /// An entry's id and group, without its texts: what a judge's write checks (the server's
    /// writer does so at every save). `None` when there is no such entry.
    pub fn entry_id_and_group(&self, id: &str) -> Result<Option<(String, Option<String>)>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT id, grp FROM entries WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?)
    }

    /// Every entry's searchable fields in import order, lent row by row (no allocation per entry):
    /// `f(seq, [id, title, name, organization, submitter, county])`, the order of `search::entry_doc`.
    pub fn for_each_search_fields(&self, f: impl FnMut(i64, [&str; 6])) -> Result<()> {
        self.for_each_search_fields_in(None, None, f)
    }

    /// [`Store::for_each_search_fields`] for the entries with `from <= seq < to` (either end open).
    pub fn for_each_search_fields_in(
        &self,
        from: Option<i64>,
        to: Option<i64>,
        mut f: impl FnMut(i64, [&str; 6]),
    ) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT seq, id, title, name, organization, submitter, county FROM entries
             WHERE seq >= ?1 AND seq < ?2 ORDER BY seq",
        )?;
        let mut rows = stmt.query(params![from.unwrap_or(i64::MIN), to.unwrap_or(i64::MAX)])?;
        while let Some(r) = rows.next()? {
            let text = |i: usize| -> rusqlite::Result<&str> {
                r.get_ref(i)?
                    .as_str()
                    .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
            };
            f(r.get(0)?, [text(1)?, text(2)?, text(3)?, text(4)?, text(5)?, text(6)?]);
        }
        Ok(())
    }

    /// The entry stored at `seq` (see [`Store::for_each_search_fields`]), without its long texts.
    pub fn entry_at(&self, seq: i64) -> Result<Option<Entry>> {
        // Prepared once per connection: `jury find` reads its hits one by one.
        Ok(self
            .conn()
            .prepare_cached(entry_at_sql())?
            .query_row([seq], entry_from_row)
            .optional()?)
    }

    /// What the tally needs of every entry, in import order. Calibration samples (试评) and
    /// withdrawn entries (弃权, 取消资格) are left out here, once, so no result, export or statistic
    /// ever ranks them (the withdrawn ones are listed apart: `Store::withdrawals`).
    pub fn tally_entries(&self) -> Result<Vec<TallyEntry>> {
        let mut stmt = self.conn().prepare(
            "SELECT id, CASE WHEN title <> '' THEN title ELSE name END, grp, run_order FROM entries
             WHERE id NOT IN (SELECT entry FROM calibration)
               AND id NOT IN (SELECT entry FROM withdrawals)
               AND id NOT IN (SELECT entry FROM phase_left) ORDER BY seq",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(TallyEntry {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    group: r.get(2)?,
                    order: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

impl Tx<'_> {
    /// A writer for many entries. Use inside [`Store::write`].
    pub fn entry_writer(&self) -> Result<EntryWriter<'_>> {
        let conn = self.conn();
        // Prepared search keys of the old entries no longer hold (see `Store::search_keys`).
        conn.execute(
            "INSERT INTO meta(key, value) VALUES ('entries_version', '1')
             ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
            [],
        )?;
        conn.execute("DELETE FROM search_keys", [])?;
        let upsert = conn.prepare_cached(
            "INSERT INTO entries(id, grp, title, name, organization, county, submitter, submitter_type, perspective, run_order, extra)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
             ON CONFLICT(id) DO UPDATE SET grp = excluded.grp, title = excluded.title, name = excluded.name,
               organization = excluded.organization, county = excluded.county, submitter = excluded.submitter,
               submitter_type = excluded.submitter_type, perspective = excluded.perspective,
               run_order = excluded.run_order, extra = excluded.extra",
        )?;
        let texts = conn.prepare_cached(
            "INSERT INTO entry_texts(entry, background, problem, strategy, outcome) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(entry) DO UPDATE SET background = excluded.background, problem = excluded.problem,
               strategy = excluded.strategy, outcome = excluded.outcome",
        )?;
        Ok(EntryWriter {
            upsert,
            texts,
            note: None,
            add: None,
        })
    }

    /// [`Tx::entry_writer`] for an import that notes its own rows
    /// ([`Tx::import_capture_begin_entries`]): write with [`EntryWriter::put_noting`].
    pub fn entry_writer_noting(&self) -> Result<EntryWriter<'_>> {
        // The entries this import adds are sealed at once when it commits, not row by row.
        self.seal_defer_new_entries()?;
        let mut writer = self.entry_writer()?;
        let conn = self.conn();
        writer.note = Some([
            conn.prepare_cached(&super::import_log::note_stored_sql("entries"))?,
            conn.prepare_cached(&super::import_log::note_stored_sql("entry_texts"))?,
            conn.prepare_cached(super::import_log::NOTE_BARE_SQL)?,
        ]);
        writer.add = Some([
            conn.prepare_cached(
                "INSERT OR FAIL INTO entries(id, grp, title, name, organization, county, submitter, submitter_type, perspective, run_order, extra)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
            )?,
            conn.prepare_cached(
                "INSERT OR FAIL INTO entry_texts(entry, background, problem, strategy, outcome) VALUES (?1, ?2, ?3, ?4, ?5)",
            )?,
        ]);
        Ok(writer)
    }

    /// Insert entries, or replace stored ones with the same id. Call inside [`Store::write`].
    pub fn put_entries(&self, entries: &[Entry]) -> Result<()> {
        let mut writer = self.entry_writer()?;
        for e in entries {
            let extra = serde_json::to_string(&e.extra).unwrap_or_else(|_| "{}".into());
            let s = &e.sections;
            writer.put(&EntryFields {
                id: &e.id,
                group: e.group.as_deref(),
                title: &e.title,
                name: &e.name,
                organization: &e.organization,
                county: &e.county,
                submitter: &e.submitter,
                submitter_type: &e.submitter_type,
                perspective: &e.perspective,
                order: e.order,
                extra: &extra,
                sections: (!s.is_empty()).then_some([
                    s.background.as_str(),
                    s.problem.as_str(),
                    s.strategy.as_str(),
                    s.outcome.as_str(),
                ]),
            })?;
        }
        Ok(())
    }
}

/// Where entries imported from documents came from: the file (its path in the folder) and the
/// SHA-256 of its bytes (`--update` replaces only changed ones).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntrySource {
    pub file: String,
    pub sha256: String,
}

impl Store {
    /// Every entry's source file, by entry id (entries not imported from a document have none).
    pub fn entry_sources(&self) -> Result<std::collections::HashMap<String, EntrySource>> {
        let mut stmt = self.conn().prepare("SELECT entry, file, sha256 FROM entry_sources")?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get(0)?,
                    EntrySource {
                        file: r.get(1)?,
                        sha256: r.get(2)?,
                    },
                ))
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    /// One entry's source file name, if it was imported from a document.
    pub fn entry_source(&self, entry: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT file FROM entry_sources WHERE entry = ?1", [entry], |r| r.get(0))
            .optional()?)
    }

    /// How many sheets of `entry` are submitted (any judge, any round).
    pub fn submitted_sheets_of(&self, entry: &str) -> Result<usize> {
        let n: i64 = self.conn().query_row(
            "SELECT COUNT(*) FROM sheets WHERE entry = ?1 AND status = 'submitted'",
            [entry],
            |r| r.get(0),
        )?;
        Ok(n as usize)
    }
}

impl Tx<'_> {
    /// Record (or replace) the source file of an entry. Inside [`Store::write`].
    pub fn put_entry_source(&self, entry: &str, source: &EntrySource) -> Result<()> {
        self.conn().execute(
            "INSERT INTO entry_sources(entry, file, sha256) VALUES (?1, ?2, ?3)
             ON CONFLICT(entry) DO UPDATE SET file = excluded.file, sha256 = excluded.sha256",
            params![entry, source.file, source.sha256],
        )?;
        Ok(())
    }
}
