//! A rubric changed after `init` (`jury rubric apply`, issue 16): the stored data a change is
//! checked against, the new rubric stored with a copy of every version (`rubric_history`, which
//! `audit verify` checks the `rubric-apply` rows against), and a group renamed in every table that
//! names groups (entries, panels, locks).

use rusqlite::{OptionalExtension, params};

use super::{Store, Tx, now_text};
use crate::core::Points;
use crate::core::rubric_change::{Stored, StoredScore, StoredSheet};
use crate::error::Result;

/// The meta key moved on by every rubric change: each handle's cached rubric is valid while it holds.
pub(crate) const RUBRIC_VERSION: &str = "rubric_version";

/// The SHA-256 of a rubric's source, in hex.
pub fn rubric_sha256(source: &str) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(source.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

impl Store {
    /// The rubric's version (meta `rubric_version`; `None` until the first change).
    pub(crate) fn rubric_version(&self) -> Result<Option<String>> {
        Ok(self
            .conn()
            .prepare_cached("SELECT value FROM meta WHERE key = 'rubric_version'")?
            .query_row([], |r| r.get(0))
            .optional()?)
    }

    /// Every score, sheet and entry (id, group), as a rubric change is checked against them.
    pub fn rubric_stored(&self) -> Result<Stored> {
        let mut stmt = self.conn().prepare(
            "SELECT judge, entry, round, criterion, value FROM scores ORDER BY judge, entry, round, criterion",
        )?;
        let scores = stmt
            .query_map([], |r| {
                Ok(StoredScore {
                    judge: r.get(0)?,
                    entry: r.get(1)?,
                    round: r.get(2)?,
                    criterion: r.get(3)?,
                    value: Points(r.get(4)?),
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        let mut stmt = self
            .conn()
            .prepare("SELECT judge, entry, round, status FROM sheets ORDER BY judge, entry, round")?;
        let sheets = stmt
            .query_map([], |r| {
                Ok(StoredSheet {
                    judge: r.get(0)?,
                    entry: r.get(1)?,
                    round: r.get(2)?,
                    submitted: r.get::<_, String>(3)? == "submitted",
                })
            })?
            .collect::<std::result::Result<_, _>>()?;
        let mut stmt = self.conn().prepare("SELECT id, grp FROM entries ORDER BY seq")?;
        let entries = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<std::result::Result<_, _>>()?;
        Ok(Stored {
            scores,
            sheets,
            entries,
        })
    }

    /// The SHA-256 of the stored rubric's source (meta `rubric`), if there is one.
    pub(crate) fn rubric_source_sha256(&self) -> Result<Option<String>> {
        Ok(self.meta("rubric")?.map(|s| rubric_sha256(&s)))
    }

    /// The SHA-256 of every stored copy of a rubric (computed from the copy, not read).
    pub(crate) fn rubric_copies(&self) -> Result<Vec<String>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT source FROM rubric_history ORDER BY version")?;
        let rows = stmt
            .query_map([], |r| r.get::<_, String>(0))?
            .map(|s| s.map(|s| rubric_sha256(&s)))
            .collect::<std::result::Result<_, _>>()?;
        Ok(rows)
    }
}

impl Tx<'_> {
    /// Store `source` as the contest's rubric (`name`: the contest's name), keeping a copy of it
    /// and of the one it replaces, and move the rubric's version on so every handle reads it
    /// again. Returns the new version. Call inside [`Store::write`].
    pub fn put_rubric(&self, file: &str, source: &str, name: &str) -> Result<i64> {
        let conn = self.conn();
        let version: i64 = self.rubric_version()?.and_then(|v| v.parse().ok()).unwrap_or(0);
        if let (Some(old), 0) = (self.meta("rubric")?, version) {
            let old_file = self.meta("rubric_file")?.unwrap_or_default();
            conn.execute(
                "INSERT OR IGNORE INTO rubric_history(version, file, source, sha256, stored_at) VALUES (0, ?1, ?2, ?3, ?4)",
                params![old_file, old, rubric_sha256(&old), now_text()],
            )?;
        }
        let next = version + 1;
        conn.execute(
            "INSERT INTO rubric_history(version, file, source, sha256, stored_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![next, file, source, rubric_sha256(source), now_text()],
        )?;
        self.set_meta("rubric_file", file)?;
        self.set_meta("rubric", source)?;
        self.set_meta("contest_name", name)?;
        self.set_meta(RUBRIC_VERSION, &next.to_string())?;
        Ok(next)
    }

    /// Rename a group wherever it is stored: its entries, its panel, its locks, the seats a
    /// removed judge left on it. Returns how many
    /// entries moved. Call inside [`Store::write`].
    pub fn rename_group(&self, old: &str, new: &str) -> Result<usize> {
        let conn = self.conn();
        // The entries change: prepared search keys no longer hold (as for an import).
        conn.execute(
            "INSERT INTO meta(key, value) VALUES ('entries_version', '1')
             ON CONFLICT(key) DO UPDATE SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT)",
            [],
        )?;
        conn.execute("DELETE FROM search_keys", [])?;
        let entries = conn.execute("UPDATE entries SET grp = ?2 WHERE grp = ?1", params![old, new])?;
        conn.execute(
            "UPDATE OR REPLACE panels SET grp = ?2 WHERE grp = ?1",
            params![old, new],
        )?;
        conn.execute("UPDATE OR REPLACE locks SET grp = ?2 WHERE grp = ?1", params![old, new])?;
        // A removed judge's seats not yet handed over name their groups: `assign --replace`
        // after the rename must seat the replacement on the renamed panel.
        let left: Vec<(String, String)> = conn
            .prepare("SELECT judge, groups FROM judges_removed WHERE groups <> ''")?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for (judge, groups) in left {
            let renamed: Vec<&str> = groups.split(',').map(|g| if g == old { new } else { g }).collect();
            let renamed = renamed.join(",");
            if renamed != groups {
                conn.execute(
                    "UPDATE judges_removed SET groups = ?2 WHERE judge = ?1",
                    params![judge, renamed],
                )?;
            }
        }
        Ok(entries)
    }
}
