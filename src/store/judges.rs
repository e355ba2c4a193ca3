//! Judges, PINs and conflicts of interest (回避).

use std::collections::{HashMap, HashSet};

use rusqlite::{OptionalExtension, params};

use super::{Store, Tx};
use crate::core::Judge;
use crate::core::text::organisation_key;
use crate::error::Result;
use crate::store::secret::verify_secret;

/// A conflict of interest between a judge and an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConflictRow {
    pub judge: String,
    pub entry: String,
    pub reason: String,
    /// Found from the judge's and the entry's organisation, not declared.
    pub automatic: bool,
}

pub use crate::core::entry::SAME_ORGANISATION;

impl Store {
    pub fn judges(&self) -> Result<Vec<Judge>> {
        let mut stmt = self
            .conn()
            .prepare("SELECT id, name, organization, county FROM judges ORDER BY seq")?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Judge {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    organization: r.get(2)?,
                    county: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }

    pub fn judge(&self, id: &str) -> Result<Option<Judge>> {
        Ok(self
            .conn()
            .query_row(
                "SELECT id, name, organization, county FROM judges WHERE id = ?1",
                [id],
                |r| {
                    Ok(Judge {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        organization: r.get(2)?,
                        county: r.get(3)?,
                    })
                },
            )
            .optional()?)
    }

    /// A judge's stored PIN hash (never shown; an update that keeps the PIN writes it back).
    pub fn judge_pin_hash(&self, id: &str) -> Result<Option<String>> {
        Ok(self
            .conn()
            .query_row("SELECT pin_hash FROM judges WHERE id = ?1", [id], |r| r.get(0))
            .optional()?)
    }

    /// Check a judge's PIN against the stored hash.
    pub fn verify_pin(&self, judge: &str, pin: &str) -> Result<bool> {
        let hash: Option<String> = self
            .conn()
            .query_row("SELECT pin_hash FROM judges WHERE id = ?1", [judge], |r| r.get(0))
            .optional()?;
        Ok(hash.is_some_and(|h| verify_secret(pin.trim(), &h)))
    }

    /// Every conflict, declared and automatic, by judge then entry.
    ///
    /// Organisations are compared by [`organisation_key`] (invisible characters and spaces removed,
    /// NFKC, traditional as simplified). The distinct organisations of the entries are read from
    /// their index and keyed once; the entries of each matching spelling are then found by index.
    pub fn conflicts(&self) -> Result<Vec<ConflictRow>> {
        self.conflicts_where(None)
    }

    /// The conflicts of one judge, as [`Store::conflicts`] gives them for that judge (declared and
    /// by organisation, by entry id): what a judge's list needs at start-up, without working out
    /// every other judge's.
    pub fn conflicts_of(&self, judge: &str) -> Result<Vec<ConflictRow>> {
        self.conflicts_where(Some(judge))
    }

    /// Every judge's conflicts, or only `judge`'s.
    fn conflicts_where(&self, judge: Option<&str>) -> Result<Vec<ConflictRow>> {
        let mut rows: Vec<ConflictRow> = self
            .conn()
            .prepare("SELECT judge, entry, reason FROM conflicts WHERE ?1 IS NULL OR judge = ?1")?
            .query_map([judge], |r| {
                Ok(ConflictRow {
                    judge: r.get(0)?,
                    entry: r.get(1)?,
                    reason: r.get(2)?,
                    automatic: false,
                })
            })?
            .collect::<Result<_, _>>()?;
        let judges: Vec<(String, String)> = self
            .conn()
            .prepare("SELECT id, organization FROM judges WHERE organization <> '' AND (?1 IS NULL OR id = ?1)")?
            .query_map([judge], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        let mut by_key: HashMap<String, Vec<String>> = HashMap::new();
        for (_, org) in &judges {
            let key = organisation_key(org);
            if !key.is_empty() {
                by_key.entry(key).or_default();
            }
        }
        if !by_key.is_empty() {
            let mut stmt = self
                .conn()
                .prepare("SELECT DISTINCT organization FROM entries WHERE organization <> ''")?;
            let mut spellings = stmt.query([])?;
            while let Some(r) = spellings.next()? {
                let org: String = r.get(0)?;
                if let Some(list) = by_key.get_mut(&organisation_key(&org)) {
                    list.push(org);
                }
            }
        }
        let declared: HashSet<(String, String)> = rows.iter().map(|c| (c.judge.clone(), c.entry.clone())).collect();
        let mut of_org = self
            .conn()
            .prepare_cached("SELECT id FROM entries WHERE organization = ?1")?;
        for (judge, org) in &judges {
            let Some(spellings) = by_key.get(&organisation_key(org)) else {
                continue;
            };
            for spelling in spellings {
                let ids: Vec<String> = of_org.query_map([spelling], |r| r.get(0))?.collect::<Result<_, _>>()?;
                for entry in ids {
                    if !declared.contains(&(judge.clone(), entry.clone())) {
                        rows.push(ConflictRow {
                            judge: judge.clone(),
                            entry,
                            reason: SAME_ORGANISATION.into(),
                            automatic: true,
                        });
                    }
                }
            }
        }
        rows.sort_by(|a, b| (&a.judge, &a.entry).cmp(&(&b.judge, &b.entry)));
        Ok(rows)
    }

    /// The conflict between a judge and an entry, if any (declared first, then organisation).
    pub fn conflict(&self, judge: &str, entry: &str) -> Result<Option<ConflictRow>> {
        let declared: Option<String> = self
            .conn()
            .prepare_cached("SELECT reason FROM conflicts WHERE judge = ?1 AND entry = ?2")?
            .query_row(params![judge, entry], |r| r.get(0))
            .optional()?;
        if let Some(reason) = declared {
            return Ok(Some(ConflictRow {
                judge: judge.into(),
                entry: entry.into(),
                reason,
                automatic: false,
            }));
        }
        // Two lookups by key rather than one join: the join's plan depends on the values bound
        // (the workspace's statistics), so SQLite compiled it again at every use, at every save
        // of the server's writer.
        let judge_org: Option<String> = self
            .conn()
            .prepare_cached("SELECT organization FROM judges WHERE id = ?1")?
            .query_row([judge], |r| r.get(0))
            .optional()?;
        let entry_org: Option<String> = match judge_org {
            Some(_) => self
                .conn()
                .prepare_cached("SELECT organization FROM entries WHERE id = ?1")?
                .query_row([entry], |r| r.get(0))
                .optional()?,
            None => None,
        };
        let orgs = judge_org.zip(entry_org);
        let same_org = orgs.is_some_and(|(j, e)| same_organisation(&j, &e));
        Ok(same_org.then(|| ConflictRow {
            judge: judge.into(),
            entry: entry.into(),
            reason: SAME_ORGANISATION.into(),
            automatic: true,
        }))
    }

    /// A judge's declared conflicts (entry, reason), not the automatic ones: the judges' first
    /// page works those out for its own rows ([`same_organisation`]), not for every entry.
    pub fn declared_conflicts_of(&self, judge: &str) -> Result<HashMap<String, String>> {
        let rows = self
            .conn()
            .prepare_cached("SELECT entry, reason FROM conflicts WHERE judge = ?1")?
            .query_map([judge], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

/// Whether a judge's and an entry's organisations are the same for the conflict check: equal
/// [`organisation_key`]s, neither empty.
pub fn same_organisation(a: &str, b: &str) -> bool {
    let key = organisation_key(a);
    !key.is_empty() && key == organisation_key(b)
}

impl Tx<'_> {
    /// Insert judges (with their PIN hashes) or replace stored ones. Call inside [`Store::write`].
    pub fn put_judges(&self, judges: &[(Judge, String)]) -> Result<()> {
        let mut stmt = self.conn().prepare_cached(
            "INSERT INTO judges(id, name, organization, county, pin_hash) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT(id) DO UPDATE SET name = excluded.name, organization = excluded.organization,
               county = excluded.county, pin_hash = excluded.pin_hash",
        )?;
        for (j, hash) in judges {
            stmt.execute(params![j.id, j.name, j.organization, j.county, hash])?;
        }
        Ok(())
    }

    /// Declare a conflict. Call inside [`Store::write`].
    pub fn put_conflict(&self, judge: &str, entry: &str, reason: &str) -> Result<bool> {
        crate::core::reason::check(reason)?;
        let n = self.conn().execute(
            "INSERT INTO conflicts(judge, entry, reason) VALUES (?1, ?2, ?3)
             ON CONFLICT(judge, entry) DO UPDATE SET reason = excluded.reason",
            params![judge, entry, reason],
        )?;
        Ok(n > 0)
    }

    /// Remove a declared conflict; `false` when there was none. Call inside [`Store::write`].
    pub fn delete_conflict(&self, judge: &str, entry: &str) -> Result<bool> {
        let n = self.conn().execute(
            "DELETE FROM conflicts WHERE judge = ?1 AND entry = ?2",
            params![judge, entry],
        )?;
        Ok(n > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn judge(id: &str, organization: &str) -> (Judge, String) {
        let j = Judge {
            id: id.into(),
            name: "测试".into(),
            organization: organization.into(),
            county: String::new(),
        };
        (j, crate::store::secret::hash_secret("1234").unwrap())
    }

    #[test]
    fn organisations_match_across_invisible_characters_and_traditional_forms() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&crate::app::demo::create_demo_workspace(dir.path()).unwrap()).unwrap();
        let org = store.entry("JS001").unwrap().unwrap().organization;
        assert_eq!(org, "靖安县实验小学");
        store
            .write(|s| {
                s.put_judges(&[
                    judge("ZW01", "靖安县\u{200B}实验小学"),
                    judge("FT01", "靖安縣實驗小學"),
                    judge("BD01", "\u{202A}靖安县实验小学\u{202C}"),
                    judge("OK01", "靖安县实验中学"),
                ])
            })
            .unwrap();
        for id in ["ZW01", "FT01", "BD01"] {
            let c = store.conflict(id, "JS001").unwrap();
            assert_eq!(
                c.map(|c| (c.reason, c.automatic)),
                Some((SAME_ORGANISATION.to_string(), true)),
                "{id}"
            );
            let all: Vec<String> = store
                .conflicts()
                .unwrap()
                .into_iter()
                .filter(|c| c.judge == id)
                .map(|c| c.entry)
                .collect();
            assert!(all.contains(&"JS001".to_string()), "{id}: {all:?}");
            assert!(
                all.iter().all(|e| store.entry(e).unwrap().unwrap().organization == org),
                "{id}"
            );
        }
        assert_eq!(store.conflict("OK01", "JS001").unwrap(), None);
        assert!(store.conflicts().unwrap().iter().all(|c| c.judge != "OK01"));
    }
}
