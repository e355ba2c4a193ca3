//! Calibration (试评): before real scoring every judge scores the same two or three sample
//! entries, and the chair sees how far each judge sits from the panel. The samples' scores never
//! enter the results (the store leaves them out of the tally's inputs).
//!
//! A judge's offset on a sample is their round total minus the panel mean on that sample (every
//! judge who submitted a complete sheet, themselves included). Exact fractions throughout; the
//! report rounds half up only when shown.

use std::collections::{BTreeMap, HashSet};

use crate::core::rubric::Rubric;
use crate::core::tally::SheetTotal;
use crate::core::{Points, Ratio};
use crate::error::Result;
use crate::store::{Actor, AuditEvent, Store};

/// Mark entries as calibration samples (all of them, or none when one is unknown).
/// Returns how many were newly marked.
pub fn add(store: &Store, actor: &Actor, entries: &[String]) -> Result<usize> {
    change(store, actor, entries, true)
}

/// Return samples to the ordinary entries. Returns how many were unmarked.
pub fn remove(store: &Store, actor: &Actor, entries: &[String]) -> Result<usize> {
    change(store, actor, entries, false)
}

fn change(store: &Store, actor: &Actor, entries: &[String], sample: bool) -> Result<usize> {
    if entries.is_empty() {
        return Err(crate::core::refusal::WorkspaceRefusal::NameAnEntry.into());
    }
    store.write(|s| {
        let mut changed = 0;
        for entry in entries {
            if s.entry(entry)?.is_none() {
                return Err(crate::core::organiser::OrganiserRefusal::UnknownEntry {
                    entry: entry.to_string(),
                }
                .into());
            }
            if s.set_calibration(entry, sample)? {
                changed += 1;
                let entry = entry.clone();
                s.audit(
                    actor,
                    &if sample {
                        AuditEvent::CalibrationAdd { entry }
                    } else {
                        AuditEvent::CalibrationRemove { entry }
                    },
                )?;
            }
        }
        Ok(changed)
    })
}

/// One sample (an entry in one round) and every judge's total on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sample {
    pub entry: String,
    pub round: String,
    /// The mean of the judges' totals; `None` when nobody has submitted yet.
    pub panel_mean: Option<Ratio>,
    /// judge → their total
    pub totals: BTreeMap<String, Points>,
}

impl Sample {
    /// The judge's total minus the panel mean, if they scored this sample.
    pub fn offset(&self, judge: &str) -> Option<Ratio> {
        Some(self.totals.get(judge)?.as_ratio() - self.panel_mean?)
    }
}

/// Per judge: samples scored and the mean offset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgeOffset {
    pub judge: String,
    pub name: String,
    pub scored: usize,
    /// The mean of the judge's offsets over the samples they scored; `None` before any.
    pub mean_offset: Option<Ratio>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub samples: Vec<Sample>,
    pub judges: Vec<JudgeOffset>,
    pub decimals: u32,
}

/// Build the report from the samples' submitted sheets. Only complete sheets count, as in the
/// tally; samples appear in the order they were given, rounds in the rubric's order.
pub fn report_of(rubric: &Rubric, samples: &[String], sheets: &[SheetTotal], judges: &[(String, String)]) -> Report {
    let mut out = Vec::new();
    for entry in samples {
        for round in &rubric.rounds {
            let totals: BTreeMap<String, Points> = sheets
                .iter()
                .filter(|s| &s.entry == entry && *s.round == *round.id && s.criteria == round.criteria.len())
                .map(|s| (s.judge.to_string(), s.total))
                .collect();
            let panel_mean = (!totals.is_empty()).then(|| {
                let sum: Points = totals.values().copied().sum();
                sum.as_ratio().div_int(totals.len() as i64)
            });
            out.push(Sample {
                entry: entry.clone(),
                round: round.id.clone(),
                panel_mean,
                totals,
            });
        }
    }
    let per_judge = judges
        .iter()
        .map(|(id, name)| {
            let offsets: Vec<Ratio> = out.iter().filter_map(|s| s.offset(id)).collect();
            let scored = offsets.len();
            JudgeOffset {
                judge: id.clone(),
                name: name.clone(),
                scored,
                mean_offset: (scored > 0).then(|| offsets.into_iter().sum::<Ratio>().div_int(scored as i64)),
            }
        })
        .collect();
    Report {
        samples: out,
        judges: per_judge,
        decimals: rubric.decimals,
    }
}

/// The calibration report of the workspace: samples in import order.
pub fn report(store: &Store) -> Result<Report> {
    let rubric = store.rubric()?;
    let (entries, samples, sheets, judges) = store.read(|s| {
        Ok((
            s.entries()?,
            s.calibration_entries()?,
            s.calibration_sheet_totals()?,
            s.judges()?,
        ))
    })?;
    let ordered: Vec<String> = entries
        .into_iter()
        .map(|e| e.id)
        .filter(|id| samples.contains(id))
        .collect();
    let judges: Vec<(String, String)> = judges.into_iter().map(|j| (j.id, j.name)).collect();
    Ok(report_of(rubric, &ordered, &sheets, &judges))
}

/// The samples' ids, for screens that mark them (试评).
pub fn samples(store: &Store) -> Result<HashSet<String>> {
    store.calibration_entries()
}

/// Signed text with the contest's decimals: `+1.50`, `-0.25`, `0.00`.
pub fn signed(value: Ratio, decimals: u32) -> String {
    let text = value.format_fixed(decimals);
    if value > Ratio::ZERO && !text.starts_with('-') {
        format!("+{text}")
    } else {
        text
    }
}

/// The words of [`report_table`]'s table, in the caller's language.
pub struct TableLabels {
    /// Said instead of the table when there is no sample (ends with a line break).
    pub no_samples: &'static str,
    pub judge: &'static str,
    pub panel_mean: &'static str,
    pub mean_offset: &'static str,
}

/// The English labels.
pub const ENGLISH_LABELS: TableLabels = TableLabels {
    no_samples: "No calibration samples: mark some with `jury calibration add ENTRY...`.\n",
    judge: "judge",
    panel_mean: "panel mean",
    mean_offset: "mean offset",
};

/// The report as a plain table: one row per judge, a column per sample with "total (offset)",
/// and the mean offset; then the panel means.
pub fn report_table(report: &Report) -> String {
    report_table_with(report, &ENGLISH_LABELS)
}

/// [`report_table`] with the words of `labels`.
pub fn report_table_with(report: &Report, labels: &TableLabels) -> String {
    use crate::core::text::pad;
    if report.samples.is_empty() {
        return labels.no_samples.into();
    }
    let d = report.decimals;
    let sample_label = |s: &Sample| format!("{}/{}", s.entry, s.round);
    let cell_of = |s: &Sample, judge: &str| match (s.totals.get(judge), s.offset(judge)) {
        (Some(total), Some(offset)) => format!("{} ({})", total, signed(offset, d)),
        _ => "-".to_string(),
    };
    let mut columns: Vec<Vec<String>> = Vec::new();
    let mut first = vec![labels.judge.to_string()];
    first.extend(report.judges.iter().map(|j| format!("{} {}", j.judge, j.name)));
    first.push(labels.panel_mean.into());
    columns.push(first);
    for s in &report.samples {
        let mut col = vec![sample_label(s)];
        col.extend(report.judges.iter().map(|j| cell_of(s, &j.judge)));
        col.push(s.panel_mean.map_or("-".into(), |m| m.format_fixed(d)));
        columns.push(col);
    }
    let mut last = vec![labels.mean_offset.to_string()];
    last.extend(
        report
            .judges
            .iter()
            .map(|j| j.mean_offset.map_or("-".into(), |m| signed(m, d))),
    );
    last.push(String::new());
    columns.push(last);
    let widths: Vec<usize> = columns
        .iter()
        .map(|c| c.iter().map(|x| crate::core::text::width(x)).max().unwrap_or(0))
        .collect();
    let rows = columns[0].len();
    let mut out = String::new();
    for r in 0..rows {
        let cells: Vec<String> = columns.iter().zip(&widths).map(|(c, w)| pad(&c[r], *w)).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::template_source;
    use crate::store::ScoreInput;

    fn workspace() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        let (f, src) = template_source("competition").unwrap();
        store.init(f, src, Some("试评")).unwrap();
        (dir, store)
    }

    fn totals(entry: &str, judge_totals: &[(&str, &str)]) -> Vec<SheetTotal> {
        judge_totals
            .iter()
            .map(|(j, t)| SheetTotal {
                entry: entry.into(),
                round: "lesson".into(),
                judge: (*j).into(),
                total: Points::parse(t).unwrap(),
                criteria: 4,
            })
            .collect()
    }

    #[test]
    fn offsets_on_a_hand_made_example() {
        let (_dir, store) = workspace();
        let rubric = store.rubric().unwrap();
        // Sample A: 80, 84, 86 -> mean 250/3 = 83.333…; B: 70, 75 (C did not score) -> 72.5.
        let mut sheets = totals("CAL1", &[("A", "80"), ("B", "84"), ("C", "86")]);
        sheets.extend(totals("CAL2", &[("A", "70"), ("B", "75")]));
        // An incomplete sheet (3 of 4 criteria) does not count.
        sheets.push(SheetTotal {
            criteria: 3,
            ..totals("CAL2", &[("C", "10")]).remove(0)
        });
        let judges = vec![
            ("A".into(), "甲".into()),
            ("B".into(), "乙".into()),
            ("C".into(), "丙".into()),
        ];
        let r = report_of(rubric, &["CAL1".into(), "CAL2".into()], &sheets, &judges);
        let lesson: Vec<&Sample> = r.samples.iter().filter(|s| s.round == "lesson").collect();
        assert_eq!(lesson[0].panel_mean, Some(Ratio::new(250 * 10_000, 3 * 10_000)));
        assert_eq!(lesson[1].panel_mean, Some(Ratio::parse_decimal("72.5").unwrap()));
        assert_eq!(lesson[0].offset("A"), Some(Ratio::new(-10, 3)));
        assert_eq!(lesson[1].offset("A"), Some(Ratio::parse_decimal("-2.5").unwrap()));
        assert_eq!(lesson[1].offset("C"), None);
        // A: (-10/3 - 5/2) / 2 = -35/12; B: (2/3 + 5/2) / 2 = 19/12; C: 8/3 on one sample.
        let a = &r.judges[0];
        assert_eq!((a.scored, a.mean_offset), (2, Some(Ratio::new(-35, 12))));
        assert_eq!(r.judges[1].mean_offset, Some(Ratio::new(19, 12)));
        assert_eq!(
            (r.judges[2].scored, r.judges[2].mean_offset),
            (1, Some(Ratio::new(8, 3)))
        );
        let table = report_table(&r);
        assert!(table.contains("80 (-3.33)"), "{table}");
        assert!(table.contains("86 (+2.67)"), "{table}");
        let row_a = table.lines().find(|l| l.starts_with("A 甲")).unwrap();
        assert!(row_a.trim_end().ends_with("-2.92"), "{table}");
        let row_b = table.lines().find(|l| l.starts_with("B 乙")).unwrap();
        assert!(row_b.trim_end().ends_with("+1.58"), "{table}");
        let means = table.lines().find(|l| l.starts_with("panel mean")).unwrap();
        assert!(means.contains("83.33") && means.contains("72.50"), "{table}");
    }

    #[test]
    fn samples_never_enter_the_tally() {
        let dir = tempfile::tempdir().unwrap();
        let path = crate::app::demo::create_demo_workspace(dir.path()).unwrap();
        let store = Store::open(&path).unwrap();
        let before = crate::export::json::tally_json(&crate::app::tally::compute_tally(&store, None).unwrap());
        // The scores a printout lists (the content hash moves: the entries and samples changed).
        let printed_scores = |store: &Store| {
            crate::export::fingerprint::fingerprint_of(&store.all_scores().unwrap(), (0, String::new()))
        };
        let fingerprint = printed_scores(&store);
        // An extra sample entry in 教师组, scored wildly by the demo's judges.
        store
            .write(|s| {
                let mut e = s.entry("JS001")?.unwrap();
                e.id = "CAL01".into();
                e.order = None;
                s.put_entries(&[e])
            })
            .unwrap();
        add(&store, &Actor::Cli, &["CAL01".into()]).unwrap();
        let rubric = store.rubric().unwrap().clone();
        let mut scores = Vec::new();
        for (i, judge) in ["PW01", "PW02", "PW03", "PW04", "PW05"].iter().enumerate() {
            for round in &rubric.rounds {
                for c in &round.criteria {
                    scores.push(ScoreInput {
                        judge: judge.to_string(),
                        entry: "CAL01".into(),
                        round: round.id.clone(),
                        criterion: c.id.clone(),
                        value: if i == 0 { c.max } else { Points::ZERO },
                    });
                }
            }
        }
        store.write(|s| s.put_imported_scores(&scores)).unwrap();
        let after = crate::export::json::tally_json(&crate::app::tally::compute_tally(&store, None).unwrap());
        assert_eq!(before, after);
        let now = printed_scores(&store);
        assert_eq!(
            (now.scores, now.score_hash),
            (fingerprint.scores, fingerprint.score_hash)
        );
        let r = report(&store).unwrap();
        assert_eq!(r.samples.len(), rubric.rounds.len());
        assert_eq!(r.samples[0].totals.len(), 5);
        // Judges see the sample first in its group, marked.
        let session = crate::app::judging::JudgeSession::trusted(&store, "PW07").unwrap();
        let rows = session.entries().unwrap();
        assert_eq!((rows[0].entry.id(), rows[0].calibration), ("CAL01", true));
        assert!(rows[1..].iter().all(|r| !r.calibration));
        let options = crate::tui::Options {
            judge: Some("PW07".into()),
            trusted: true,
            ..crate::tui::Options::new(crate::tui::Lang::Zh)
        };
        let (mut app, _runner) = crate::tui::open(&store, options).unwrap();
        let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(120, 40)).unwrap();
        terminal.draw(|f| crate::tui::view::draw(f, &mut app)).unwrap();
        let row: String = (0..120)
            .map(|x| terminal.backend().buffer()[(x, 3)].symbol().to_string())
            .collect();
        // Cells behind a wide character hold a blank: compare without blanks.
        let row = row.replace(' ', "");
        assert!(row.contains("CAL01") && row.contains("[试评]我的家访日记"), "{row}");
        // Unmarked, the same entry counts again.
        assert_eq!(remove(&store, &Actor::Cli, &["CAL01".into()]).unwrap(), 1);
        let counted = crate::app::tally::compute_tally(&store, None).unwrap();
        assert!(counted.entry("CAL01").is_some());
        assert!(add(&store, &Actor::Cli, &["NOPE".into()]).is_err());
    }
}
