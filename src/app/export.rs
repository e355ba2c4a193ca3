//! Exports as use cases: read the workspace in ONE read transaction, render the bytes through
//! [`crate::export`] (snapshot -> bytes, no store), write them whole through
//! [`crate::export::output`]. The command line (`jury export …`, `jury verify-print`) and the
//! console call these; neither reads the workspace for an export itself.
//!
//! Every printout is made from one [`Snapshot`], so the tally, the raw scores and the fingerprint
//! on the paper describe the same state even while judges keep scoring; the workspace is first
//! checked against its audit trail's seal, and a changed one is refused.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::core::Rubric;
use crate::core::shortlist::{Status, shortlist_marks};
use crate::core::standing::{LockScope, group_standing};
use crate::core::tally::{SheetTotal, TallyEntry};
use crate::error::{Error, Result};
use crate::export::cards::{Room as CardsRoom, cards_bytes, cards_file_name};
use crate::export::data::{entries_bytes_with_sources, scores_bytes};
use crate::export::fingerprint::{fingerprint_of, sealed_fingerprint, verify};
use crate::export::output::write_to;
use crate::export::results::{results_bytes, results_file_name};
use crate::export::selected::{refuse_flagged, row_groups, selected_bytes, selected_file_name, selected_rows};
use crate::export::sheets::{page_groups, sheet_pages, sheets_bytes, sheets_file_name};
use crate::store::{SealCheck, Store};

pub use crate::export::blank::blank_file_name;
pub use crate::export::cards::Card;
pub use crate::export::data::DataFormat;
pub use crate::export::fingerprint::{
    Fingerprint, Form, PrintedFingerprint, ResultsMark, Verification, parse_fingerprint,
};
pub use crate::export::output::default_file_name;
pub use crate::export::results::ResultsFormat;
pub use crate::export::selected::SelectedFormat;
pub use crate::export::sheets::SheetsFormat;
pub use crate::export::snapshot::{Snapshot, SnapshotOptions};

/// What a printout export wrote.
#[derive(Debug, Clone)]
pub struct Written {
    pub path: PathBuf,
    pub fingerprint: Fingerprint,
    pub groups: usize,
    pub entries: usize,
}

/// What a data export wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataWritten {
    pub path: PathBuf,
    pub rows: usize,
}

/// What one read transaction gives a printout, before the tally is computed.
struct Parts {
    content: String,
    scores: Vec<crate::core::sheet::ScoreInput>,
    comments: HashMap<(String, String), String>,
    tally_entries: Vec<TallyEntry>,
    sheets: Vec<SheetTotal>,
    withdrawn: Vec<crate::core::withdrawal::Withdrawn>,
    judges: Vec<crate::core::Judge>,
    entries: Vec<crate::core::Entry>,
    audit_head: (i64, String),
    locks: Vec<LockScope>,
}

/// Everything a printout reads; call inside [`Store::read`]. `between` runs after the seal check
/// and before the rest is read (a test writes there from another connection).
fn read_snapshot(s: &Store, options: SnapshotOptions, between: &mut dyn FnMut() -> Result<()>) -> Result<Parts> {
    // First: a workspace changed outside jury is never printed (src/store/seal.rs).
    let content = checked_content(s)?;
    between()?;
    let scores = s.all_scores()?;
    let mut comments = HashMap::new();
    if options.comments {
        let mut pairs: Vec<(&str, &str)> = scores.iter().map(|x| (x.judge.as_str(), x.entry.as_str())).collect();
        pairs.dedup();
        pairs.sort_unstable();
        pairs.dedup();
        for (judge, entry) in pairs {
            if let Some(text) = s.comment(judge, entry)? {
                comments.insert((judge.to_string(), entry.to_string()), text);
            }
        }
    }
    let (tally_entries, sheets) = crate::app::tally::read_inputs(s)?;
    Ok(Parts {
        content,
        scores,
        comments,
        tally_entries,
        sheets,
        withdrawn: s.withdrawals()?,
        judges: s.judges()?,
        entries: s.entries()?,
        audit_head: s.audit_head()?,
        locks: s
            .locks()?
            .into_iter()
            .map(|l| LockScope {
                group: l.group,
                round: l.round,
                locked_at: l.locked_at,
            })
            .collect(),
    })
}

/// The snapshot of what was read: the tally computed (only `group`'s when one is named), the
/// fingerprint made, the time taken.
fn assemble(rubric: Rubric, group: Option<&str>, read: Parts) -> Snapshot {
    let mut tally = crate::app::tally::compute(&rubric, &read.tally_entries, &read.sheets, group);
    crate::app::tally::add_withdrawn(&mut tally, read.withdrawn, group);
    let fingerprint = sealed_fingerprint(read.scores.len(), &read.content, read.audit_head);
    let now = chrono::Local::now();
    let rounds: Vec<&str> = rubric.rounds.iter().map(|r| r.id.as_str()).collect();
    let standings = tally
        .groups
        .iter()
        .map(|g| (g.group.clone(), group_standing(&g.group, &rounds, &read.locks)))
        .collect();
    Snapshot {
        rubric,
        tally,
        judges: read.judges,
        entries: read.entries.into_iter().map(|e| (e.id.clone(), e)).collect(),
        scores: read.scores,
        comments: read.comments,
        fingerprint,
        made_at: now.format("%Y-%m-%d %H:%M").to_string(),
        date: now.format("%Y-%m-%d").to_string(),
        standings,
        public: false,
        phase: None,
        chinese: false,
    }
}

/// Read the tally (optionally of one group) and the data behind it in one snapshot.
pub fn take_snapshot(store: &Store, group: Option<&str>, options: SnapshotOptions) -> Result<Snapshot> {
    let rubric = store.rubric()?.clone();
    crate::app::tally::check_group(&rubric, group)?;
    let read = store.read(|s| read_snapshot(s, options, &mut || Ok(())))?;
    let mut snapshot = assemble(rubric, group, read);
    name_phase(store, &mut snapshot)?;
    Ok(snapshot)
}

/// The phase a snapshot shows (see [`crate::app::phases::printout_phase`]); an earlier phase's
/// printout carries the workspace's fingerprint (its seal covers the archive), so `verify-print`
/// matches it while nothing changes.
fn name_phase(store: &Store, snapshot: &mut Snapshot) -> Result<()> {
    snapshot.phase = crate::app::phases::printout_phase(store)?;
    if store.phase_view_name()?.is_some() {
        snapshot.fingerprint = current_fingerprint(store)?;
    }
    Ok(())
}

/// The content hash of a workspace that matches its seal; a changed one is refused, naming what
/// changed (as every export refuses it). Call inside [`Store::read`].
pub fn checked_content(store: &Store) -> Result<String> {
    match store.check_seal()? {
        SealCheck::Matches { content } => Ok(content),
        other => Err(sealed_refusal(&other)),
    }
}

/// The refusal of an export from a workspace that does not match its seal.
fn sealed_refusal(check: &SealCheck) -> Error {
    check
        .refusal()
        .unwrap_or(crate::core::refusal::ExportRefusal::NotSealed)
        .into()
}

/// The workspace's fingerprint now, after checking it against its audit trail's seal (refused
/// when it was changed outside jury). Reads in its own transaction.
pub fn current_fingerprint(store: &Store) -> Result<Fingerprint> {
    store.read(|s| {
        // The count is taken while the check reads (one snapshot, no extra time).
        let (check, count) = s.check_seal_and_count()?;
        let content = match check {
            SealCheck::Matches { content } => content,
            other => return Err(sealed_refusal(&other)),
        };
        Ok(sealed_fingerprint(count, &content, s.audit_head()?))
    })
}

/// Write the results to `out`, or to `results-<contest>[-<group>]-<date>.<ext>` in the current
/// folder (see [`results_file_name`]: the default CSV name carries the fingerprint; with `--out`
/// it is only reported). Refused when the workspace fails `PRAGMA integrity_check`.
pub fn export_results(
    store: &Store,
    format: ResultsFormat,
    group: Option<&str>,
    out: Option<&Path>,
    force: bool,
) -> Result<Written> {
    export_results_as(store, format, group, out, force, false)
}

/// The results snapshot: the groups' standings read with the rest, the fingerprint marked
/// provisional or final (`-P`/`-F`), the public copy when `public`.
pub fn results_snapshot(store: &Store, group: Option<&str>, public: bool) -> Result<Snapshot> {
    let mut snapshot = take_snapshot(store, group, SnapshotOptions::default())?;
    snapshot.fingerprint = snapshot.fingerprint.marked(snapshot.results_mark());
    snapshot.public = public;
    Ok(snapshot)
}

/// [`export_results`], the panel's copy or (`public`) the copy posted for publicity (公示):
/// without judges' names, marks, deviation flags and judges' signature lines.
pub fn export_results_as(
    store: &Store,
    format: ResultsFormat,
    group: Option<&str>,
    out: Option<&Path>,
    force: bool,
    public: bool,
) -> Result<Written> {
    export_results_in(store, format, group, out, force, public, false)
}

/// [`export_results_as`] in the reader's language: `chinese` gives the results CSV (a document
/// for people) its Chinese headers and 是/否 (the other formats are Chinese already).
pub fn export_results_in(
    store: &Store,
    format: ResultsFormat,
    group: Option<&str>,
    out: Option<&Path>,
    force: bool,
    public: bool,
    chinese: bool,
) -> Result<Written> {
    store.rubric()?;
    store.integrity_check()?;
    let mut snapshot = results_snapshot(store, group, public)?;
    snapshot.chinese = chinese;
    let bytes = results_bytes(&snapshot, format)?;
    let path = write_to(
        out,
        force,
        || PathBuf::from(results_file_name(&snapshot, group, format)),
        &bytes,
    )?;
    Ok(Written {
        path,
        fingerprint: snapshot.fingerprint.clone(),
        groups: snapshot.tally.groups.len(),
        entries: snapshot.tally.groups.iter().map(|g| g.entries.len()).sum(),
    })
}

/// Write the score sheets of every judge (or one) to `out`, or to `sheets-<contest>-<date>.<ext>`
/// (with `-<judge>` when only one judge) in the current folder.
pub fn export_sheets(
    store: &Store,
    format: SheetsFormat,
    judge: Option<&str>,
    group: Option<&str>,
    out: Option<&Path>,
    force: bool,
) -> Result<Written> {
    store.rubric()?;
    store.integrity_check()?;
    let snapshot = take_snapshot(store, group, SnapshotOptions { comments: true })?;
    let pages = sheet_pages(&snapshot, judge)?;
    let bytes = sheets_bytes(&snapshot, &pages, format)?;
    let path = write_to(
        out,
        force,
        || PathBuf::from(sheets_file_name(&snapshot, judge, format)),
        &bytes,
    )?;
    Ok(Written {
        path,
        fingerprint: snapshot.fingerprint.clone(),
        groups: page_groups(&pages),
        entries: pages.iter().map(|p| p.entries.len()).sum(),
    })
}

/// Write every judge's (or one judge's, or one group's) BLANK score sheets, to fill in on paper:
/// the entries each may score, without those in conflict with them or withdrawn; as print-ready
/// HTML, or as the XLSX form that `jury import scores` reads back. Needs no score. Everything is
/// read in one read transaction, after the seal check.
pub fn export_blank_sheets(
    store: &Store,
    format: SheetsFormat,
    judge: Option<&str>,
    group: Option<&str>,
    out: Option<&Path>,
    force: bool,
) -> Result<Written> {
    let rubric = store.rubric()?.clone();
    crate::app::tally::check_group(&rubric, group)?;
    store.integrity_check()?;
    let (fingerprint, pages) = store.read(|s| {
        let (check, count) = s.check_seal_and_count()?;
        let content = match check {
            SealCheck::Matches { content } => content,
            other => return Err(sealed_refusal(&other)),
        };
        let fingerprint = sealed_fingerprint(count, &content, s.audit_head()?);
        let judges = s.judges()?;
        let removed = s.removed_judges()?;
        let entries = s.entries()?;
        let eligibility = s.eligibility()?;
        let conflicts: std::collections::HashSet<(String, String)> =
            s.conflicts()?.into_iter().map(|c| (c.judge, c.entry)).collect();
        let withdrawn: std::collections::HashSet<String> = s.withdrawals()?.into_iter().map(|w| w.id).collect();
        let inputs = crate::export::blank::BlankInputs {
            rubric: &rubric,
            judges: &judges,
            removed: &removed,
            entries: &entries,
            eligibility: &eligibility,
            conflicts: &conflicts,
            withdrawn: &withdrawn,
        };
        Ok((fingerprint, crate::export::blank::blank_pages(&inputs, judge, group)?))
    })?;
    let now = chrono::Local::now();
    let sheets = crate::export::blank::BlankSheets {
        rubric,
        pages,
        fingerprint: fingerprint.to_string(),
        made_at: now.format("%Y-%m-%d %H:%M").to_string(),
        date: now.format("%Y-%m-%d").to_string(),
    };
    let bytes = match format {
        SheetsFormat::Html => crate::export::blank::blank_html(&sheets).into_bytes(),
        SheetsFormat::Xlsx => crate::export::blank::blank_xlsx(&sheets)?,
    };
    let path = write_to(
        out,
        force,
        || {
            PathBuf::from(crate::export::blank::blank_file_name(
                &sheets.rubric.name,
                judge,
                &sheets.date,
                format.extension(),
            ))
        },
        &bytes,
    )?;
    Ok(Written {
        path,
        fingerprint,
        groups: sheets
            .pages
            .iter()
            .map(|p| p.group.as_str())
            .collect::<std::collections::HashSet<_>>()
            .len(),
        entries: sheets.pages.iter().map(|p| p.entries.len()).sum(),
    })
}

/// Write the list of selected cases (or, as .docx, the case collection with their four parts) to
/// `out` or `selected-<contest>-<date>.<ext>`. Refused, with
/// nothing written, while a selected case fails the formal check or is the lower-ranked case of
/// likely duplicates, unless `include_flagged`; the publication never prints the marks. The
/// shortlist and the texts the marks are checked on are read in the snapshot's transaction.
pub fn export_selected(
    store: &Store,
    format: SelectedFormat,
    out: Option<&Path>,
    include_flagged: bool,
    force: bool,
) -> Result<Written> {
    let rubric = store.rubric()?.clone();
    store.integrity_check()?;
    type Statuses = HashMap<String, (Status, Option<i64>)>;
    let (read, statuses, texts): (Parts, Statuses, _) = store.read(|s| {
        let read = read_snapshot(s, SnapshotOptions::default(), &mut || Ok(()))?;
        let texts = if include_flagged && format != SelectedFormat::Docx {
            Vec::new()
        } else {
            s.entries_with_texts()?
        };
        Ok((read, s.shortlist()?, texts))
    })?;
    let mut snapshot = assemble(rubric, None, read);
    name_phase(store, &mut snapshot)?;
    if format == SelectedFormat::Docx {
        // The collection prints the four parts: the texts read in the same transaction.
        for e in &texts {
            if let Some(entry) = snapshot.entries.get_mut(&e.id) {
                entry.sections = e.sections.clone();
            }
        }
    }
    let rows = selected_rows(&snapshot, &statuses);
    if !include_flagged {
        let finals = crate::app::organiser::ranked_finals(&snapshot.tally);
        refuse_flagged(&rows, &shortlist_marks(&snapshot.rubric, &texts, &finals))?;
    }
    let bytes = selected_bytes(&snapshot, &rows, format)?;
    let path = write_to(
        out,
        force,
        || PathBuf::from(selected_file_name(&snapshot, format)),
        &bytes,
    )?;
    Ok(Written {
        path,
        fingerprint: snapshot.fingerprint.clone(),
        groups: row_groups(&rows),
        entries: rows.len(),
    })
}

/// When the results of `group` became final: the earliest of a lock on the whole contest, a
/// lock on the group, or (when every round of the group is locked, by the group's or every
/// group's round lock) the last of those; `None` while they are provisional.
pub fn group_locked_at(locks: &[crate::store::LockRow], rubric: &Rubric, group: &str) -> Option<String> {
    let covers = |l: &crate::store::LockRow| l.group.as_deref().is_none_or(|g| g == group);
    let mut times: Vec<String> = locks
        .iter()
        .filter(|l| covers(l) && l.round.is_none())
        .map(|l| l.locked_at.clone())
        .collect();
    let rounds: Option<Vec<String>> = rubric
        .rounds
        .iter()
        .map(|r| {
            locks
                .iter()
                .filter(|l| covers(l) && l.round.as_deref() == Some(r.id.as_str()))
                .map(|l| l.locked_at.clone())
                .min()
        })
        .collect();
    if let Some(all) = rounds.filter(|r| !r.is_empty())
        && let Some(last) = all.into_iter().max()
    {
        times.push(last);
    }
    times.into_iter().min()
}

/// What `jury export certificates` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificatesWritten {
    pub path: PathBuf,
    pub fingerprint: Fingerprint,
    pub certificates: usize,
    /// The first and last certificate numbers printed.
    pub numbers: (String, String),
    pub date: String,
}

/// `jury export certificates`: one A4 landscape page per award winner of a competition (in
/// the rubric's group order, then by rank) or per selected case of a case selection (in the
/// list's order), to `out` or `certificates-<contest>[-<group>]-<date>.html`.
///
/// The numbers (证书编号) run over the whole contest, so a group printed alone keeps the numbers
/// it has in the full set: the rubric's `certificate_prefix` (default: the year of the lock,
/// or of today, and `-`) and a number padded to three digits. The date is the rubric's
/// `certificate_date`, or else the date of the lock that made the printed groups final (the
/// latest of them) in Chinese. Refused, with nothing written, when there is no winner (no case
/// selected), or when a printed group is not locked and the rubric has no `certificate_date`.
pub fn export_certificates(
    store: &Store,
    group: Option<&str>,
    out: Option<&Path>,
    force: bool,
) -> Result<CertificatesWritten> {
    use crate::core::certificate::{certificate_number, chinese_date_of};
    use crate::export::certificates::{Certificate, Certificates, certificates_file_name, certificates_html};
    let rubric = store.rubric()?.clone();
    crate::app::tally::check_group(&rubric, group)?;
    store.integrity_check()?;
    let (read, statuses, locks) = store.read(|s| {
        let read = read_snapshot(s, SnapshotOptions::default(), &mut || Ok(()))?;
        Ok((read, s.shortlist()?, s.locks()?))
    })?;
    let mut snapshot = assemble(rubric, None, read);
    name_phase(store, &mut snapshot)?;
    let cases = snapshot.rubric.kind == crate::core::Kind::Cases;
    let mut all: Vec<Certificate> = Vec::new();
    if cases {
        for r in selected_rows(&snapshot, &statuses) {
            all.push(Certificate {
                number: String::new(),
                group: r.group,
                name: r.title,
                organization: r.organization,
                award: "入选案例".to_string(),
                case: true,
            });
        }
    } else {
        for g in &snapshot.tally.groups {
            for e in g.ranked() {
                let Some(award) = &e.award else { continue };
                let entry = snapshot.entries.get(&e.id);
                let name = entry.map(|x| x.name.as_str()).filter(|n| !n.is_empty());
                all.push(Certificate {
                    number: String::new(),
                    group: g.group.clone(),
                    name: name.unwrap_or(&e.title).to_string(),
                    organization: entry.map(|x| x.organization.clone()).unwrap_or_default(),
                    award: award.clone(),
                    case: false,
                });
            }
        }
    }
    let printed_groups: Vec<String> = {
        let mut g: Vec<String> = all
            .iter()
            .filter(|c| group.is_none_or(|x| x == c.group))
            .map(|c| c.group.clone())
            .collect();
        g.dedup();
        g.sort_unstable();
        g.dedup();
        g
    };
    if printed_groups.is_empty() {
        return Err(crate::core::refusal::ExportRefusal::NoCertificates {
            cases,
            group: group.map(str::to_string),
            no_awards: snapshot.rubric.awards.is_empty(),
        }
        .into());
    }
    let lock_times: Vec<(String, Option<String>)> = printed_groups
        .iter()
        .map(|g| (g.clone(), group_locked_at(&locks, &snapshot.rubric, g)))
        .collect();
    let latest_lock = lock_times.iter().filter_map(|(_, t)| t.clone()).max();
    let date = match &snapshot.rubric.certificate_date {
        Some(d) => d.clone(),
        None => {
            let open: Vec<&str> = lock_times
                .iter()
                .filter(|(_, t)| t.is_none())
                .map(|(g, _)| g.as_str())
                .collect();
            if !open.is_empty() {
                return Err(crate::core::refusal::ExportRefusal::CertificatesUnlocked {
                    groups: open.iter().map(|g| g.to_string()).collect(),
                }
                .into());
            }
            latest_lock
                .as_deref()
                .and_then(chinese_date_of)
                .ok_or_else(|| Error::from(crate::core::refusal::ExportRefusal::LockNotDate))?
        }
    };
    let prefix = match &snapshot.rubric.certificate_prefix {
        Some(p) => p.clone(),
        None => {
            let year = latest_lock.as_deref().unwrap_or(&snapshot.date).get(..4).unwrap_or("");
            format!("{year}-")
        }
    };
    let count = all.len();
    for (i, c) in all.iter_mut().enumerate() {
        c.number = certificate_number(&prefix, i + 1, count);
    }
    let certificates: Vec<Certificate> = all.into_iter().filter(|c| group.is_none_or(|g| g == c.group)).collect();
    let set = Certificates {
        contest: snapshot.tally.contest.clone(),
        date: date.clone(),
        organiser: snapshot.rubric.organiser.clone().unwrap_or_default(),
        fingerprint: snapshot.fingerprint.to_string(),
        certificates,
    };
    let bytes = certificates_html(&set).into_bytes();
    let path = write_to(
        out,
        force,
        || PathBuf::from(certificates_file_name(&set.contest, group, &snapshot.date)),
        &bytes,
    )?;
    let first = set.certificates.first().map(|c| c.number.clone()).unwrap_or_default();
    let last = set.certificates.last().map(|c| c.number.clone()).unwrap_or_default();
    Ok(CertificatesWritten {
        path,
        fingerprint: snapshot.fingerprint.clone(),
        certificates: set.certificates.len(),
        numbers: (first, last),
        date,
    })
}

/// `<kind>-<contest>-<date>.<ext>` for a data export, dated today.
fn data_file_name(store: &Store, kind: &str, format: DataFormat) -> Result<PathBuf> {
    let date = chrono::Local::now().format("%Y-%m-%d").to_string();
    Ok(PathBuf::from(default_file_name(
        kind,
        &store.rubric()?.name,
        &date,
        format.extension(),
    )))
}

/// `jury export entries`: every entry with every stored column, to `out`, or
/// `entries-<contest>-<date>.<ext>` in the current folder.
pub fn export_entries(store: &Store, format: DataFormat, out: Option<&Path>, force: bool) -> Result<DataWritten> {
    store.rubric()?;
    let (entries, sources) = store.read(|s| Ok((s.entries_with_texts()?, s.entry_sources()?)))?;
    let sources = sources.into_iter().map(|(id, s)| (id, s.file)).collect();
    let bytes = entries_bytes_with_sources(&entries, &sources, format)?;
    let default = data_file_name(store, "entries", format)?;
    let path = write_to(out, force, || default, &bytes)?;
    Ok(DataWritten {
        path,
        rows: entries.len(),
    })
}

/// `jury export scores`: every stored score, drafts included, to `out`, or
/// `scores-<contest>-<date>.<ext>` in the current folder.
pub fn export_scores(store: &Store, format: DataFormat, out: Option<&Path>, force: bool) -> Result<DataWritten> {
    store.rubric()?;
    let scores = store.read(|s| s.every_score())?;
    let bytes = scores_bytes(&scores, format)?;
    let default = data_file_name(store, "scores", format)?;
    let path = write_to(out, force, || default, &bytes)?;
    Ok(DataWritten {
        path,
        rows: scores.len(),
    })
}

/// What the connect cards read from the workspace: the contest's name and every judge, in the
/// judges' order (never their PINs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectCardsData {
    pub contest: String,
    pub cards: Vec<Card>,
}

/// What `jury export connect-cards` wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardsWritten {
    pub path: PathBuf,
    pub cards: usize,
}

/// The judges for the connect cards, read in one transaction.
pub fn connect_cards_data(store: &Store) -> Result<ConnectCardsData> {
    let contest = store.rubric()?.name.clone();
    let judges = store.read(|s| s.judges())?;
    Ok(ConnectCardsData {
        contest,
        cards: judges.into_iter().map(|j| Card { id: j.id, name: j.name }).collect(),
    })
}

/// `jury export connect-cards`: a card per judge for the room at `host`:`port` whose host key
/// has `fingerprint` (the caller gets both from the server's side), to `out`, or
/// `connect-cards-<contest>-<date>.html` in the current folder.
pub fn export_connect_cards(
    data: &ConnectCardsData,
    host: &str,
    port: u16,
    fingerprint: &str,
    out: Option<&Path>,
    force: bool,
) -> Result<CardsWritten> {
    let room = CardsRoom {
        contest: data.contest.clone(),
        host: host.to_string(),
        port,
        fingerprint: fingerprint.to_string(),
    };
    let bytes = cards_bytes(&room, &data.cards);
    let date = chrono::Local::now().format("%Y-%m-%d").to_string();
    let path = write_to(
        out,
        force,
        || PathBuf::from(cards_file_name(&data.contest, &date)),
        &bytes,
    )?;
    Ok(CardsWritten {
        path,
        cards: data.cards.len(),
    })
}

/// `jury export backup`: a consistent copy of the whole workspace at `file` (never overwritten),
/// and the copy's fingerprint.
pub fn backup(store: &Store, file: &Path) -> Result<Fingerprint> {
    store.backup_to(file)?;
    current_fingerprint(&Store::open(file)?)
}

/// How a printed fingerprint compares with the workspace now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PrintCheck {
    /// The workspace was changed outside jury: it never matches (the seal's refusal says what).
    Changed {
        refusal: crate::core::refusal::ExportRefusal,
    },
    /// Compared: `now` is the workspace's fingerprint of the printed form; `sealed` is false for a
    /// workspace made by an earlier jury that has no seal yet.
    Compared {
        verification: Verification,
        now: Fingerprint,
        sealed: bool,
    },
}

/// `jury verify-print`: the workspace's fingerprint of the printed form, read in one
/// transaction, compared with `printed`.
pub fn check_print(store: &Store, printed: &PrintedFingerprint) -> Result<PrintCheck> {
    let (seal, now) = store.read(|s| {
        let (seal, submitted) = s.check_seal_and_count()?;
        let head = s.audit_head()?;
        let now = match printed.form {
            Form::Old => fingerprint_of(&s.all_scores()?, head),
            Form::Sealed => {
                let content = match &seal {
                    SealCheck::Matches { content } | SealCheck::NotSealed { content } => content.clone(),
                    SealCheck::Changed { .. } => String::new(),
                };
                sealed_fingerprint(submitted, &content, head)
            }
        };
        Ok((seal, now))
    })?;
    Ok(match seal {
        SealCheck::Changed { .. } => PrintCheck::Changed {
            refusal: seal.refusal().unwrap_or(crate::core::refusal::ExportRefusal::NotSealed),
        },
        SealCheck::Matches { .. } | SealCheck::NotSealed { .. } => PrintCheck::Compared {
            verification: verify(printed, &now),
            sealed: matches!(seal, SealCheck::Matches { .. }),
            now,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
    use crate::app::judging::JudgeSession;

    fn demo() -> (tempfile::TempDir, PathBuf, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        (dir, path, store)
    }

    /// The demo judge scores and submits JS001's lesson (the demo's PW07 has scored nothing).
    fn submit_a_sheet(path: &Path) -> Result<()> {
        let other = Store::open(path)?;
        let s = JudgeSession::trusted(&other, DEMO_JUDGE).map_err(|e| Error::refused(format!("{e:?}")))?;
        for (criterion, value) in [
            ("content", "25"),
            ("method", "24.5"),
            ("expression", "18"),
            ("effect", "17"),
        ] {
            s.set_score("JS001", "lesson", criterion, value)
                .map_err(|e| Error::refused(format!("{e:?}")))?;
        }
        s.submit("JS001", "lesson")
            .map_err(|e| Error::refused(format!("{e:?}")))
    }

    #[test]
    fn a_group_is_final_from_its_lock_the_contests_or_its_last_round_lock() {
        let (file, source) = crate::core::rubric::template_source("competition").unwrap();
        let rubric = crate::core::rubric::parse_rubric(file, source).unwrap();
        let lock = |g: Option<&str>, r: Option<&str>, at: &str| crate::store::LockRow {
            group: g.map(String::from),
            round: r.map(String::from),
            reason: "x".into(),
            locked_at: at.into(),
        };
        assert_eq!(group_locked_at(&[], &rubric, "教师组"), None);
        // Two rounds of three locked: still provisional.
        let two = [
            lock(Some("教师组"), Some("lesson"), "2025-12-01"),
            lock(None, Some("analysis"), "2025-12-03"),
        ];
        assert_eq!(group_locked_at(&two, &rubric, "教师组"), None);
        // Every round (some for every group): final at the last of the locks.
        let both = [
            two[0].clone(),
            two[1].clone(),
            lock(Some("教师组"), Some("story"), "2025-12-02"),
        ];
        assert_eq!(group_locked_at(&both, &rubric, "教师组").as_deref(), Some("2025-12-03"));
        assert_eq!(group_locked_at(&both, &rubric, "家长组"), None);
        // A lock on the group or the whole contest; the earliest way counts.
        let group = [
            both[0].clone(),
            both[1].clone(),
            lock(Some("教师组"), None, "2025-12-02"),
        ];
        assert_eq!(
            group_locked_at(&group, &rubric, "教师组").as_deref(),
            Some("2025-12-02")
        );
        let all = [lock(None, None, "2025-11-30")];
        assert_eq!(group_locked_at(&all, &rubric, "家长组").as_deref(), Some("2025-11-30"));
    }

    #[test]
    fn a_write_while_the_snapshot_reads_is_in_none_of_it() {
        let (_dir, path, store) = demo();
        let before = take_snapshot(&store, None, SnapshotOptions { comments: true }).unwrap();
        // Another connection submits a sheet after the seal check, before the rest is read.
        let mut wrote = false;
        let read = store
            .read(|s| {
                read_snapshot(s, SnapshotOptions { comments: true }, &mut || {
                    wrote = true;
                    submit_a_sheet(&path)
                })
            })
            .unwrap();
        assert!(wrote);
        let during = assemble(store.rubric().unwrap().clone(), None, read);
        let after = take_snapshot(&store, None, SnapshotOptions { comments: true }).unwrap();
        // The write happened and is seen by the next export...
        assert_eq!(after.scores.len(), before.scores.len() + 4);
        assert_ne!(after.tally, before.tally);
        assert_ne!(after.fingerprint, before.fingerprint);
        // ...but the snapshot taken around it is the state before, in every part.
        assert_eq!(during.scores.len(), before.scores.len());
        assert_eq!(during.scores, before.scores);
        assert_eq!(during.tally, before.tally);
        assert_eq!(during.fingerprint, before.fingerprint);
        assert_eq!(during.fingerprint.scores, during.scores.len());
        assert_eq!(during.judges, before.judges);
        assert_eq!(during.comments, before.comments);
    }

    #[test]
    fn the_fingerprint_on_an_export_is_the_fingerprint_of_the_workspace_it_read() {
        let (dir, _path, store) = demo();
        let out = dir.path().join("results.html");
        let written = export_results(&store, ResultsFormat::Html, None, Some(&out), false).unwrap();
        assert_eq!(written.path, out);
        let html = std::fs::read_to_string(&out).unwrap();
        assert!(html.contains(&written.fingerprint.to_string()));
        assert_eq!(written.fingerprint.mark, Some(ResultsMark::Provisional));
        assert_eq!(
            written.fingerprint,
            current_fingerprint(&store).unwrap().marked(ResultsMark::Provisional)
        );
        let printed = parse_fingerprint(&written.fingerprint.to_string()).unwrap();
        match check_print(&store, &printed).unwrap() {
            PrintCheck::Compared {
                verification, sealed, ..
            } => {
                assert!(verification.matches());
                assert!(sealed);
            }
            other => panic!("{other:?}"),
        }
    }
}
