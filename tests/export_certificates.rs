//! `jury export certificates`: one A4 landscape page per award winner (for cases: per selected
//! case) with its running number, the date and the organiser.

mod common;

use common::{Workspace, fixture};

/// A competition workspace whose rubric (the template's, with its awards, or without them)
/// has an organiser and a certificate prefix; entries, judges and scores loaded.
fn competition(awards: bool) -> Workspace {
    let w = Workspace::new();
    let mut template = w.ok(&["rubric", "--template", "competition"]);
    if !awards {
        template.truncate(template.find("[[award]]").unwrap());
    }
    let rubric = w.path("rubric.toml");
    let head = "organiser = \"某市教育局\"\ncertificate_prefix = \"JS2026-\"\n";
    std::fs::write(&rubric, format!("{head}{template}")).unwrap();
    w.ok(&["init", "--rubric", rubric.to_str().unwrap()]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w.ok(&["import", "scores", fixture("scores-competition.csv").to_str().unwrap()]);
    w
}

/// The certificates' pages: (number, name, award) of each.
fn pages(html: &str) -> Vec<(String, String, String)> {
    let between = |text: &str, open: &str, close: &str| -> String {
        let at = text.find(open).unwrap_or_else(|| panic!("{open} in {text}")) + open.len();
        text[at..at + text[at..].find(close).unwrap()].to_string()
    };
    html.split("<section class=\"cert\">")
        .skip(1)
        .map(|p| {
            let name = if p.contains("<span class=\"who\">") {
                between(p, "<span class=\"who\">", "</span>")
            } else {
                between(p, "《", "》")
            };
            (
                between(p, "<span class=\"no\">", "</span>"),
                name,
                between(p, "<span class=\"award\">", "</span>"),
            )
        })
        .collect()
}

fn today_in_chinese() -> String {
    use chrono::Datelike;
    let d = chrono::Local::now().date_naive();
    jury::core::certificate::chinese_date(d.year(), d.month(), d.day())
}

#[test]
fn a_page_per_award_winner_numbered_in_ranking_order_dated_by_the_lock() {
    let w = competition(true);
    let out = w.path("certificates.html");
    let out_arg = out.to_str().unwrap();
    // Provisional results and no certificate_date: refused, nothing written.
    let err = w.fails(&["export", "certificates", "--out", out_arg]);
    assert!(err.contains("are not locked"), "{err}");
    assert!(err.contains("certificate_date"), "{err}");
    assert!(!out.exists());

    w.ok(&["lock", "--reason", "结果已公布"]);
    let printed = w.ok(&["export", "certificates", "--out", out_arg]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains("size: A4 landscape"), "{html}");

    // The winners, as the tally ranks them: groups in the rubric's order, then by rank.
    let tally = w.tally_json();
    let store = jury::store::Store::open(&w.db).unwrap();
    let mut expected: Vec<(String, String)> = Vec::new();
    for g in tally["groups"].as_array().unwrap() {
        for e in g["entries"].as_array().unwrap() {
            if let Some(award) = e["award"].as_str() {
                let entry = store.entry(e["id"].as_str().unwrap()).unwrap().unwrap();
                expected.push((entry.name.clone(), award.to_string()));
            }
        }
    }
    assert!(expected.len() >= 3, "{expected:?}");
    let got = pages(&html);
    assert_eq!(got.len(), expected.len(), "one page per winner");
    for (i, ((number, name, award), (want_name, want_award))) in got.iter().zip(&expected).enumerate() {
        assert_eq!(number, &format!("JS2026-{:03}", i + 1));
        assert_eq!((name, award), (want_name, want_award));
    }
    assert_eq!(html.matches("<p class=\"organiser\">某市教育局</p>").count(), got.len());
    assert_eq!(
        html.matches("（盖章）").count(),
        got.len(),
        "a blank for the seal on every page"
    );
    let date = today_in_chinese();
    assert_eq!(
        html.matches(&format!("<p class=\"date\">{date}</p>")).count(),
        got.len(),
        "{date}"
    );
    assert!(html.contains("家庭教育与心理健康教育专业技能大赛"));
    assert!(
        printed.contains(&format!("Wrote {} certificates (JS2026-001 to", got.len())),
        "{printed}"
    );

    // One group alone keeps the numbers of the whole set.
    let parents = w.path("parents.html");
    w.ok(&[
        "export",
        "certificates",
        "--group",
        "家长组",
        "--out",
        parents.to_str().unwrap(),
    ]);
    let alone = pages(&std::fs::read_to_string(&parents).unwrap());
    let in_full: Vec<_> = got
        .iter()
        .zip(tally["groups"].as_array().unwrap().iter().flat_map(|g| {
            g["entries"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|e| e["award"].is_string())
                .map(|_| g["group"].as_str().unwrap_or_default().to_string())
                .collect::<Vec<_>>()
        }))
        .filter(|(_, g)| g == "家长组")
        .map(|(p, _)| p.clone())
        .collect();
    assert!(!alone.is_empty());
    assert_eq!(alone, in_full);
}

#[test]
fn a_rubric_without_awards_or_nothing_selected_is_refused() {
    let w = competition(false);
    w.ok(&["lock", "--reason", "结果已公布"]);
    let err = w.fails(&["export", "certificates", "--out", w.path("c.html").to_str().unwrap()]);
    assert!(
        err.contains("no certificates to print: there is no award winner"),
        "{err}"
    );
    assert!(err.contains("[[award]]"), "{err}");

    let w = Workspace::loaded("cases");
    let err = w.fails(&["export", "certificates", "--out", w.path("c.html").to_str().unwrap()]);
    assert!(err.contains("no case is selected"), "{err}");
    assert!(!w.path("c.html").exists());
    let err = w.fails(&["export", "certificates", "--group", "没有这组"]);
    assert!(err.contains("没有这组"), "{err}");
}

#[test]
fn cases_get_a_page_per_selected_case_with_the_rubrics_date() {
    let w = Workspace::new();
    let template = w.ok(&["rubric", "--template", "cases"]);
    let rubric = w.path("rubric.toml");
    std::fs::write(&rubric, format!("certificate_date = \"二〇二五年十二月\"\n{template}")).unwrap();
    w.ok(&["init", "--rubric", rubric.to_str().unwrap()]);
    w.ok(&["import", "entries", fixture("cases.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w.ok(&["import", "scores", fixture("scores-cases.csv").to_str().unwrap()]);
    w.ok(&[
        "shortlist",
        "set",
        "AL20250001",
        "AL20250002",
        "AL20250005",
        "--status",
        "selected",
    ]);
    w.ok(&["shortlist", "set", "AL20250003", "--status", "shortlisted"]);
    // Not locked, but the rubric gives the date.
    let out = w.path("c.html");
    w.ok(&["export", "certificates", "--out", out.to_str().unwrap()]);
    let html = std::fs::read_to_string(&out).unwrap();
    let got = pages(&html);
    let store = jury::store::Store::open(&w.db).unwrap();
    let mut titles: Vec<String> = ["AL20250001", "AL20250002", "AL20250005"]
        .iter()
        .map(|id| store.entry(id).unwrap().unwrap().title)
        .collect();
    let mut printed: Vec<String> = got.iter().map(|p| p.1.clone()).collect();
    titles.sort();
    printed.sort();
    assert_eq!(printed, titles, "one page per selected case, no other");
    let year = chrono::Local::now().format("%Y").to_string();
    let numbers: Vec<String> = got.iter().map(|p| p.0.clone()).collect();
    assert_eq!(numbers, [1, 2, 3].map(|n| format!("{year}-{n:03}")));
    assert!(got.iter().all(|p| p.2 == "入选案例"));
    assert_eq!(html.matches("<p class=\"date\">二〇二五年十二月</p>").count(), 3);
    let org = store.entry("AL20250001").unwrap().unwrap().organization;
    assert!(html.contains(&format!("<span class=\"org\">{org}</span>")), "{html}");
    // No organiser in the rubric: a line is left to write it in.
    assert_eq!(html.matches("<span class=\"blank\"></span>").count(), 3);
}
