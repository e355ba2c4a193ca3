//! The tally, read and computed once for every caller: `jury tally`, the console's tally tab, the
//! projector's board, the printouts and the benchmarks.
//!
//! Callers that read more in the same read transaction (the console, the printouts) use
//! [`read_inputs`] inside their own `Store::read` and then [`compute`], so everything they show
//! still describes one state of the workspace.

use crate::core::Rubric;
use crate::core::tally::{SheetRows, SheetTotal, Tally, TallyEntry, tally, tally_rows};
use crate::core::withdrawal::Withdrawn;
use crate::error::Result;
use crate::store::Store;

/// What the tally is computed from: the entries and every submitted sheet's totals.
pub type Inputs = (Vec<TallyEntry>, Vec<SheetTotal>);

/// Compute the tally (optionally one group) from the workspace.
pub fn compute_tally(store: &Store, group: Option<&str>) -> Result<Tally> {
    let (t, entries, sheets) = tally_with_inputs(store, group)?;
    // Freeing a million small strings takes a while; let another core do it while the tally is used.
    std::thread::spawn(move || drop((entries, sheets)));
    Ok(t)
}

/// The tally and what it was computed from (which the caller frees, or not: `jury tally` lets the
/// operating system take it back at exit). The sheets are read by numbers
/// ([`Store::tally_inputs_by_numbers`]): the same tally as [`compute`] of [`read_inputs`].
pub fn tally_with_inputs(store: &Store, group: Option<&str>) -> Result<(Tally, Vec<TallyEntry>, SheetRows)> {
    let rubric = store.rubric()?;
    check_group(rubric, group)?;
    let rounds: Vec<&str> = rubric.rounds.iter().map(|r| r.id.as_str()).collect();
    let (entries, sheets, withdrawn) = store.read(|r| {
        let (entries, sheets) = r.tally_inputs_by_numbers(&rounds)?;
        Ok((entries, sheets, r.withdrawals()?))
    })?;
    let mut t = tally_rows(rubric, &entries, &sheets);
    if let Some(g) = group {
        t.groups.retain(|x| x.group == g);
    }
    add_withdrawn(&mut t, withdrawn, group);
    Ok((t, entries, sheets))
}

/// Refuse a group the rubric does not have.
pub fn check_group(rubric: &Rubric, group: Option<&str>) -> Result<()> {
    if let Some(g) = group
        && !rubric.has_group(g)
    {
        return Err(crate::core::organiser::OrganiserRefusal::UnknownGroup {
            group: g.to_string(),
            known: rubric.groups.clone(),
        }
        .into());
    }
    Ok(())
}

/// Read the tally's inputs; call inside a `Store::read` to share its snapshot with other reads.
pub fn read_inputs(s: &Store) -> Result<Inputs> {
    Ok((s.tally_entries()?, s.sheet_totals()?))
}

/// List the withdrawn entries (read in the same snapshot as the inputs) with the tally, only the
/// given group's when one is named. They are never ranked: the inputs leave them out.
pub fn add_withdrawn(t: &mut Tally, withdrawn: Vec<Withdrawn>, group: Option<&str>) {
    t.withdrawn = withdrawn
        .into_iter()
        .filter(|w| group.is_none_or(|g| w.group.as_deref() == Some(g)))
        .collect();
}

/// The tally of these inputs, only the given group's when one is named.
pub fn compute(rubric: &Rubric, entries: &[TallyEntry], sheets: &[SheetTotal], group: Option<&str>) -> Tally {
    let mut t = tally(rubric, entries, sheets);
    if let Some(g) = group {
        t.groups.retain(|x| x.group == g);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::demo::create_demo_workspace;

    fn demo() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, store)
    }

    #[test]
    fn one_group_is_the_whole_tally_cut_to_that_group() {
        let (_dir, store) = demo();
        let whole = compute_tally(&store, None).unwrap();
        assert!(whole.groups.len() > 1, "the demo has several groups");
        let first = whole.groups[0].group.clone();
        let one = compute_tally(&store, Some(&first)).unwrap();
        assert_eq!(one.groups.len(), 1);
        assert_eq!(one.groups[0], whole.groups[0]);
        // The shared pieces give the same as the whole call.
        let (entries, sheets) = store.read(|r| read_inputs(r)).unwrap();
        assert_eq!(compute(store.rubric().unwrap(), &entries, &sheets, None), whole);
    }

    #[test]
    fn an_unknown_group_is_refused_with_the_groups_named() {
        let (_dir, store) = demo();
        let err = compute_tally(&store, Some("no such group")).unwrap_err().to_string();
        assert!(err.contains("unknown group \"no such group\""), "{err}");
        for g in &store.rubric().unwrap().groups {
            assert!(err.contains(g.as_str()), "{err}");
        }
    }
}
