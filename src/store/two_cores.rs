//! Large reads on two cores: one half on this connection, the other on a second connection in
//! another thread. Each connection reads its own snapshot, so the second half is kept only if its
//! snapshot ends at the same audit row as this one (every change appends an audit row in the same
//! transaction); otherwise this connection reads that half too. The result is always one snapshot.

use rusqlite::OptionalExtension;

use super::Store;
use crate::error::Result;
use crate::search::SearchIndexBuilder;

/// Every entry's search keys, in import order, and each one's `seq`.
pub struct SearchKeys {
    pub builder: SearchIndexBuilder,
    pub seqs: Vec<i64>,
    /// The entries' version the keys were prepared for, when they were prepared now (not loaded).
    built_for: Option<String>,
}

/// The mark of search keys prepared for the entries at `entries_version`.
fn keys_version(entries_version: &str) -> String {
    format!("{}:{entries_version}", crate::search::KEYS_FORMAT)
}

/// Below this many entries one connection reads everything: a second connection costs more than
/// it saves.
pub(crate) const PARALLEL_ENTRIES: i64 = 20_000;

/// Whether a read of `entries` entries is worth splitting over two cores.
pub(crate) fn worth_splitting(entries: i64) -> bool {
    entries >= PARALLEL_ENTRIES && std::thread::available_parallelism().map_or(1, |n| n.get()) >= 2
}

impl Store {
    /// Run `here` on this connection and `there` on a second one in another thread, side by side.
    /// `there` runs again here when the two snapshots differ. Call inside [`Store::read`].
    pub(crate) fn read_beside<A, B>(
        &self,
        here: impl FnOnce(&Store) -> Result<A>,
        there: impl Fn(&Store) -> Result<B> + Sync,
    ) -> Result<(A, B)>
    where
        B: Send,
    {
        // An earlier phase's view (`Store::open_phase`) is this connection's alone.
        if self.is_phase_view() {
            return Ok((here(self)?, there(self)?));
        }
        let head = self.audit_head()?;
        let path = self.path().to_path_buf();
        let (mine, theirs) = std::thread::scope(|scope| {
            let there = &there;
            let other = scope.spawn(move || -> Result<_> {
                let store = Store::open(&path)?;
                store.read(|s| Ok((s.audit_head()?, there(s)?)))
            });
            let mine = here(self);
            let theirs = match other.join() {
                Ok(result) => result,
                Err(panic) => std::panic::resume_unwind(panic),
            };
            (mine, theirs)
        });
        let mine = mine?;
        match theirs {
            Ok((other_head, theirs)) if other_head == head => Ok((mine, theirs)),
            // Another snapshot (a commit came between the two), or no second connection.
            _ => Ok((mine, there(self)?)),
        }
    }

    /// The search keys of every entry (for `jury find`): the stored ones when they hold for the
    /// current entries, else prepared from the entries. Call inside [`Store::read`].
    pub fn search_keys(&self) -> Result<SearchKeys> {
        let version = self.search_keys_version()?;
        let row: Option<i64> = self
            .conn()
            .query_row(
                "SELECT rowid FROM search_keys WHERE name = 'entries' AND version = ?1",
                [&version],
                |r| r.get(0),
            )
            .optional()?;
        // Read straight into one buffer (not through SQLite's own copy of the value): the keys are
        // some 13 MB at 100k entries, and every page of a fresh copy costs a page fault.
        let stored = match row {
            Some(row) => {
                let blob = self
                    .conn()
                    .blob_open(rusqlite::MAIN_DB, "search_keys", "data", row, true)?;
                let mut bytes = vec![0u8; blob.len()];
                blob.read_at_exact(&mut bytes, 0)?;
                Some(bytes)
            }
            None => None,
        };
        if let Some((builder, seqs)) = stored.and_then(SearchIndexBuilder::from_bytes) {
            return Ok(SearchKeys {
                builder,
                seqs,
                built_for: None,
            });
        }
        let (builder, seqs) = self.build_search_keys()?;
        Ok(SearchKeys {
            builder,
            seqs,
            built_for: Some(version),
        })
    }

    /// What stored search keys must be marked with to hold for the current entries: the keys'
    /// format and the entries' version.
    fn search_keys_version(&self) -> Result<String> {
        Ok(keys_version(&self.meta("entries_version")?.unwrap_or_default()))
    }

    /// Keep freshly prepared keys for the next search, if the entries are still the ones they were
    /// prepared from. A cache: when the workspace cannot be written now (busy, read-only), nothing
    /// is kept and nothing fails. Call outside any transaction.
    pub fn keep_search_keys(&self, keys: &SearchKeys) {
        let Some(version) = &keys.built_for else { return };
        let Some(bytes) = keys.builder.to_bytes(&keys.seqs) else {
            return;
        };
        // A lookup must not wait behind a busy panel for a cache: on a connection of its own that
        // gives up after a moment, the keys are simply not kept this time.
        let keep = || -> rusqlite::Result<()> {
            let mut conn = rusqlite::Connection::open(self.path())?;
            conn.busy_timeout(std::time::Duration::from_millis(100))?;
            conn.pragma_update(None, "synchronous", "FULL")?;
            let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let entries: Option<String> = tx
                .query_row("SELECT value FROM meta WHERE key = 'entries_version'", [], |r| r.get(0))
                .optional()?;
            if keys_version(&entries.unwrap_or_default()) == *version {
                tx.execute(
                    "INSERT INTO search_keys(name, version, data) VALUES ('entries', ?1, ?2)
                     ON CONFLICT(name) DO UPDATE SET version = excluded.version, data = excluded.data",
                    rusqlite::params![version, bytes],
                )?;
            }
            tx.commit()
        };
        let _ = keep();
    }

    /// Drop the kept search keys (benchmarks time the first search after an import with it).
    pub fn forget_search_keys(&self) -> Result<()> {
        self.write(|s| Ok(s.conn().execute("DELETE FROM search_keys", []).map(|_| ())?))
    }

    /// The search keys of every entry, prepared from the entries (not from stored keys): on two
    /// cores for large workspaces, each half on its own connection, appended in order.
    fn build_search_keys(&self) -> Result<(SearchIndexBuilder, Vec<i64>)> {
        let build = |s: &Store, from: Option<i64>, to: Option<i64>| -> Result<(SearchIndexBuilder, Vec<i64>)> {
            let mut builder = SearchIndexBuilder::default();
            let mut seqs = Vec::new();
            s.for_each_search_fields_in(from, to, |seq, fields| {
                seqs.push(seq);
                builder.push(&fields);
            })?;
            Ok((builder, seqs))
        };
        let count = self.entry_count()?;
        if !worth_splitting(count) {
            return build(self, None, None);
        }
        let middle = self.middle_seq(count)?;
        let ((mut builder, mut seqs), (rest, rest_seqs)) =
            self.read_beside(|s| build(s, None, Some(middle)), |s| build(s, Some(middle), None))?;
        builder.append(rest);
        seqs.extend(rest_seqs);
        Ok((builder, seqs))
    }

    /// Every entry in import order without long texts (as [`Store::entries`]), together with
    /// whatever `also` reads in the same snapshot. On large workspaces the second half of the
    /// entries is read on another core while this connection reads the first half and runs `also`.
    /// Call inside [`Store::read`].
    pub fn entries_and<T>(
        &self,
        also: impl FnOnce(&Store) -> Result<T>,
    ) -> Result<(crate::core::entry_list::EntryList, T)> {
        let count = self.entry_count()?;
        if !worth_splitting(count) {
            let capacity = usize::try_from(count).unwrap_or(0);
            return Ok((self.entry_list_in_seq(None, None, capacity)?, also(self)?));
        }
        // This connection also runs `also` (a judge's sheets: as many rows as entries), so it
        // takes the smaller share of the entries.
        let here = count * 2 / 5;
        let split = self.seq_at(here)?;
        let total = usize::try_from(count).unwrap_or(0);
        let ((mut entries, extra), rest) = self.read_beside(
            |s| Ok((s.entry_list_in_seq(None, Some(split), total * 2 / 5)?, also(s)?)),
            |s| s.entry_list_in_seq(Some(split), None, total - total * 2 / 5),
        )?;
        entries.append(rest);
        Ok((entries, extra))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Entry;
    use crate::core::rubric::template_source;

    #[test]
    fn entries_read_on_two_cores_are_the_entries_read_on_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        let (f, src) = template_source("cases").unwrap();
        store.init(f, src, None).unwrap();
        let count = PARALLEL_ENTRIES as usize + 1_001;
        // Ids out of import order, so a split by id would not be a split by import order.
        let entries: Vec<Entry> = (0..count)
            .map(|i| Entry {
                id: format!("C{:06}", (i * 7919) % count),
                title: format!("案例 {i}"),
                group: Some("亲子沟通".into()),
                ..Default::default()
            })
            .collect();
        store.write(|s| s.put_entries(&entries)).unwrap();
        let (two, judges) = store.read(|s| s.entries_and(|s| s.judges())).unwrap();
        let one = store.read(|s| s.entries()).unwrap();
        assert_eq!(two.len(), count);
        assert!((0..two.len()).map(|i| two.entry(i)).eq(one.iter().cloned()));
        assert_eq!(two.id(0), "C000000");
        assert_eq!(two.id(1), format!("C{:06}", 7919 % count));
        assert!(judges.is_empty());
    }
}
