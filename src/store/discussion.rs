//! Discussion after scoring (issue 16): the entries under discussion (`jury discuss open|close`),
//! and what the panel submitted for one entry, for [`crate::core::discussion::panel_for`].

use rusqlite::{OptionalExtension, params};

use super::{Store, Tx, now_text};
use crate::core::Points;
use crate::core::discussion::PanelSheet;
use crate::error::Result;

/// (judge, comment) of one entry.
pub type Comments = Vec<(String, String)>;

impl Store {
    /// The entries under discussion, in import order (entries first, then any other id).
    pub fn discussions(&self) -> Result<Vec<String>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT d.entry FROM discussions d LEFT JOIN entries e ON e.id = d.entry ORDER BY e.seq, d.entry",
        )?;
        let rows = stmt
            .query_map([], |r| r.get(0))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }

    /// Whether the entry is under discussion.
    pub fn in_discussion(&self, entry: &str) -> Result<bool> {
        Ok(self
            .conn()
            .prepare_cached("SELECT 1 FROM discussions WHERE entry = ?1")?
            .query_row([entry], |_| Ok(()))
            .optional()?
            .is_some())
    }

    /// Every submitted sheet of the entry with its scores, and every comment on it.
    pub fn entry_panel(&self, entry: &str) -> Result<(Vec<PanelSheet>, Comments)> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT h.judge, h.round, s.criterion, s.value FROM sheets h
             LEFT JOIN scores s ON s.entry = h.entry AND s.round = h.round AND s.judge = h.judge
             WHERE h.entry = ?1 AND h.status = 'submitted' ORDER BY h.judge, h.round, s.criterion",
        )?;
        let mut sheets: Vec<PanelSheet> = Vec::new();
        let rows = stmt.query_map([entry], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, Option<i64>>(3)?,
            ))
        })?;
        for row in rows {
            let (judge, round, criterion, value) = row?;
            if !sheets.last().is_some_and(|s| s.judge == judge && s.round == round) {
                sheets.push(PanelSheet {
                    judge,
                    round,
                    scores: Vec::new(),
                });
            }
            if let (Some(c), Some(v), Some(last)) = (criterion, value, sheets.last_mut()) {
                last.scores.push((c, Points(v)));
            }
        }
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT judge, text FROM comments WHERE entry = ?1 ORDER BY judge")?;
        let comments = stmt
            .query_map([entry], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        Ok((sheets, comments))
    }
}

impl Tx<'_> {
    /// Put the entry under discussion; false when it already was. Call inside [`Store::write`].
    pub fn put_discussion(&self, entry: &str) -> Result<bool> {
        Ok(self.conn().execute(
            "INSERT OR IGNORE INTO discussions(entry, opened_at) VALUES (?1, ?2)",
            params![entry, now_text()],
        )? > 0)
    }

    /// End the entry's discussion; false when it was not under discussion.
    pub fn delete_discussion(&self, entry: &str) -> Result<bool> {
        Ok(self
            .conn()
            .execute("DELETE FROM discussions WHERE entry = ?1", [entry])?
            > 0)
    }
}
