//! The tally as CSV: UTF-8 with a BOM so Excel on Chinese Windows reads it, one row per entry,
//! formula-like text neutralised.

use crate::core::rubric::Rubric;
use crate::core::tally::Tally;

use crate::i18n::Lang;

use super::neutralise_cell;
use super::snapshot::Snapshot;

/// `jury export results --format csv`: the tally's columns with each entry's contestant name,
/// organisation and county after the title; the public copy has no `flags` (分差过大) column.
pub fn results_csv(snapshot: &Snapshot) -> Vec<u8> {
    let people = |id: &str| {
        [
            snapshot.entry_name(id),
            snapshot.entry_organization(id),
            snapshot.entry_county(id),
        ]
        .map(neutralise_cell)
        .to_vec()
    };
    let lang = if snapshot.chinese { Lang::Zh } else { Lang::En };
    rows_csv(&snapshot.rubric, &snapshot.tally, Some(&people), !snapshot.public, lang)
}

/// `jury tally --format csv`: a data format, its header keys fixed (English, round ids).
pub fn tally_csv(rubric: &Rubric, tally: &Tally) -> Vec<u8> {
    rows_csv(rubric, tally, None, true, Lang::En)
}

type People<'a> = &'a dyn Fn(&str) -> Vec<String>;

/// In Chinese (`lang`): the headers of the catalogue, rounds by name, 是/否 for complete.
fn rows_csv(rubric: &Rubric, tally: &Tally, people: Option<People<'_>>, flags: bool, lang: Lang) -> Vec<u8> {
    let t = crate::i18n::cli::texts(lang);
    let mut out = Vec::from(&b"\xEF\xBB\xBF"[..]);
    {
        let mut w = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        let mut header: Vec<String> = t.csv_headers.iter().map(|s| s.to_string()).collect();
        if people.is_some() {
            header.splice(4..4, t.csv_people.map(String::from));
        }
        header.extend(rubric.rounds.iter().map(|r| match lang {
            Lang::Zh => neutralise_cell(&r.name),
            Lang::En => r.id.clone(),
        }));
        if flags {
            header.push(t.csv_flags.into());
        }
        // Writing into a Vec cannot fail.
        let _ = w.write_record(&header);
        let d = tally.decimals;
        for g in &tally.groups {
            for e in &g.entries {
                let mut row = vec![
                    neutralise_cell(&g.group),
                    e.rank.map(|r| r.to_string()).unwrap_or_default(),
                    neutralise_cell(&e.id),
                    neutralise_cell(&e.title),
                    e.final_score.map(|f| f.format_fixed(d)).unwrap_or_default(),
                    e.award.as_deref().map(neutralise_cell).unwrap_or_default(),
                    if e.complete { t.yes } else { t.no }.to_string(),
                ];
                if let Some(people) = people {
                    row.splice(4..4, people(&e.id));
                }
                row.extend(
                    e.rounds
                        .iter()
                        .map(|r| r.score.map(|s| s.format_fixed(d)).unwrap_or_default()),
                );
                if flags {
                    let flags: Vec<String> = e
                        .flagged_marks()
                        .map(|(round, m)| {
                            let round = match lang {
                                Lang::Zh => rubric.round(round).map_or(round, |r| r.name.as_str()),
                                Lang::En => round,
                            };
                            format!("{round}:{}:{}", m.judge, m.total)
                        })
                        .collect();
                    row.push(flags.join(" "));
                }
                let _ = w.write_record(&row);
            }
        }
        // Withdrawn entries after the ranked ones: no rank and no scores, `complete` says
        // withdrawn or disqualified, `award` 弃权 or 取消资格, `flags` the reason.
        for x in &tally.withdrawn {
            let mut row = vec![
                neutralise_cell(x.group.as_deref().unwrap_or("")),
                String::new(),
                neutralise_cell(&x.id),
                neutralise_cell(&x.title),
                String::new(),
                x.kind.zh().to_string(),
                match lang {
                    Lang::Zh => t.no.to_string(),
                    Lang::En => x.kind.as_str().to_string(),
                },
            ];
            // The same columns as a ranked row: the contestant's name, organisation and county
            // after the title; the reason in `flags`, which the public copy does not have.
            if let Some(people) = people {
                row.splice(4..4, people(&x.id));
            }
            row.extend(rubric.rounds.iter().map(|_| String::new()));
            if flags {
                row.push(neutralise_cell(&x.reason));
            }
            let _ = w.write_record(&row);
        }
        let _ = w.flush();
    }
    out
}
