//! Printing and exports end to end: the built binary on the shared fixtures. Every file is read
//! back and compared with `jury tally --format json`.

mod common;

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use calamine::{Data, Reader, Xlsx, open_workbook};
use common::{Workspace, fixture};
use jury::core::Points;
use jury::store::{ScoreInput, Store};
use serde_json::Value;

/// Titles a spreadsheet would run as formulas, and one that would be markup in HTML.
const DANGEROUS_ENTRIES: &str = "id,title,group,organization,county,background,problem,strategy,outcome\n\
X001,\"=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\",亲子沟通,单位甲,县甲,背景,问题,策略,结果\n\
X002,+1 加号开头,亲子沟通,单位乙,县乙,背景,问题,策略,结果\n\
X003,-2 减号开头,习惯培养,单位丙,县丙,背景,问题,策略,结果\n\
X004,@SUM(A1),情感教育,单位丁,县丁,背景,问题,策略,结果\n\
X005,<script>alert(1)</script> & \"引号\",学习焦虑,单位戊,县戊,背景,问题,策略,结果\n";

fn cases_with_dangerous_titles() -> Workspace {
    let w = Workspace::loaded("cases");
    let extra = w.path("dangerous.csv");
    std::fs::write(&extra, DANGEROUS_ENTRIES).unwrap();
    w.ok(&["import", "entries", extra.to_str().unwrap()]);
    // Score X001 fully (three judges) so a dangerous title is also among the ranked rows.
    let mut rows = String::from("judge,entry,round,criterion,score\n");
    for judge in ["PW05", "PW06", "PW07"] {
        for (criterion, score) in [
            ("background", 12),
            ("problem", 15),
            ("strategy", 30),
            ("outcome", 15),
            ("value", 8),
        ] {
            rows.push_str(&format!("{judge},X001,review,{criterion},{score}\n"));
        }
    }
    let scores = w.path("x001.csv");
    std::fs::write(&scores, rows).unwrap();
    w.ok(&["import", "scores", scores.to_str().unwrap()]);
    w
}

fn fingerprint_from(stdout: &str) -> String {
    stdout
        .lines()
        .find_map(|l| l.strip_prefix("Fingerprint: "))
        .expect("the export reports a fingerprint")
        .trim()
        .to_string()
}

/// id → (group, rank, final, round id → shown score) from the tally JSON.
struct Want {
    group: String,
    rank: Option<u64>,
    final_score: Option<String>,
    rounds: Vec<(String, Option<String>)>,
}

fn tally_by_id(tally: &Value) -> (Vec<String>, HashMap<String, Want>) {
    let mut order = Vec::new();
    let mut map = HashMap::new();
    for g in tally["groups"].as_array().unwrap() {
        for e in g["entries"].as_array().unwrap() {
            let id = e["id"].as_str().unwrap().to_string();
            order.push(id.clone());
            let rounds = e["rounds"]
                .as_object()
                .unwrap()
                .iter()
                .map(|(k, v)| (k.clone(), v.as_str().map(String::from)))
                .collect();
            map.insert(
                id,
                Want {
                    group: g["group"].as_str().unwrap().to_string(),
                    rank: e["rank"].as_u64(),
                    final_score: e["final"].as_str().map(String::from),
                    rounds,
                },
            );
        }
    }
    (order, map)
}

fn number(cell: &Data) -> Option<f64> {
    match cell {
        Data::Float(f) => Some(*f),
        Data::Int(i) => Some(*i as f64),
        _ => None,
    }
}

/// id → (name, organisation, county) from the contestants fixture.
fn contestants() -> HashMap<String, (String, String, String)> {
    let mut reader = csv::Reader::from_path(fixture("contestants.csv")).unwrap();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[0].to_string(), (r[3].to_string(), r[4].to_string(), r[5].to_string()))
        })
        .collect()
}

fn text(cell: &Data) -> String {
    match cell {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

#[test]
fn results_xlsx_matches_the_tally() {
    let w = Workspace::loaded("competition");
    let tally = w.tally_json();
    let (order, want) = tally_by_id(&tally);
    let out = w.path("results.xlsx");
    let stdout = w.ok(&["export", "results", "--format", "xlsx", "--out", out.to_str().unwrap()]);
    let fingerprint = fingerprint_from(&stdout);

    let mut book: Xlsx<_> = open_workbook(&out).unwrap();
    let names = book.sheet_names();
    assert_eq!(names, ["教师组", "家长组", "社会工作者组", "评分明细"]);
    let round_ids = ["lesson", "analysis", "story"];
    let mut seen = Vec::new();
    let people = contestants();
    for group in ["教师组", "家长组", "社会工作者组"] {
        let range = book.worksheet_range(group).unwrap();
        let styles = book.worksheet_style(group).unwrap();
        let rows: Vec<Vec<String>> = range.rows().map(|r| r.iter().map(text).collect()).collect();
        // The title rows come first, at the top of the sheet: the title, the standing, the
        // rules, the fingerprint; then the table's header.
        assert_eq!(
            rows[0][0],
            format!("家庭教育与心理健康教育专业技能大赛 {group} 评审结果")
        );
        assert_eq!(rows[1][0], "暂定结果（未锁定）");
        assert!(rows[2][0].starts_with("每轮得分："), "{:?}", rows[2]);
        assert!(
            rows[3][0].contains(&fingerprint),
            "fingerprint on sheet {group}: {:?}",
            rows[3]
        );
        let top = 4;
        assert_eq!(
            rows[top],
            [
                "名次",
                "编号",
                "标题",
                "选手",
                "单位",
                "县市区",
                "现场说课（40%）",
                "案例分析（30%）",
                "育人故事分享（30%）",
                "最终得分",
                "奖项",
                "状态",
                "分差过大"
            ]
        );
        for (r, row) in range.rows().enumerate().skip(top + 1) {
            let id = text(&row[1]);
            if id.is_empty() {
                continue;
            }
            let want = &want[&id];
            assert_eq!(want.group, group);
            let (name, organization, county) = &people[&id];
            assert_eq!(
                (&text(&row[3]), &text(&row[4]), &text(&row[5])),
                (name, organization, county),
                "name, 单位 and 县市区 of {id}"
            );
            assert_eq!(number(&row[0]).map(|r| r as u64), want.rank, "rank of {id}");
            for (i, round) in round_ids.iter().enumerate() {
                let shown = want.rounds.iter().find(|(k, _)| k == round).unwrap().1.clone();
                assert_eq!(
                    number(&row[6 + i]),
                    shown.as_deref().map(|s| s.parse::<f64>().unwrap()),
                    "{round} of {id}"
                );
            }
            let final_cell = number(&row[9]).expect("final is a number");
            assert_eq!(
                Some(final_cell),
                want.final_score.as_deref().map(|s| s.parse().unwrap()),
                "final of {id}"
            );
            // Stored exactly as shown: the shown text formats back to the same two decimals.
            assert_eq!(format!("{final_cell:.2}"), want.final_score.clone().unwrap());
            let format = styles
                .get((r as u32, 9))
                .and_then(|s| s.number_format.as_ref())
                .map(|f| f.format_code.clone());
            assert_eq!(format.as_deref(), Some("0.00"), "number format of {id}'s final");
            seen.push(id);
        }
    }
    assert_eq!(seen, order, "every entry, in the tally's order");

    // The raw data: one row per score, every judge's every criterion.
    let raw = book.worksheet_range("评分明细").unwrap();
    let header: Vec<String> = raw.rows().next().unwrap().iter().map(text).collect();
    assert_eq!(
        header,
        ["评委编号", "评委姓名", "编号", "标题", "组别", "轮次", "评分项", "分数"]
    );
    let data_rows: Vec<_> = raw.rows().skip(1).filter(|r| !text(&r[2]).is_empty()).collect();
    let score_lines = std::fs::read_to_string(fixture("scores-competition.csv"))
        .unwrap()
        .lines()
        .count()
        - 1;
    assert_eq!(data_rows.len(), score_lines);
    let first = &data_rows[0];
    assert_eq!(text(&first[1]), "尹霞", "judge name of PW01");
    assert!(number(&first[7]).is_some(), "scores are numbers");
}

#[test]
fn results_csv_matches_the_tally_and_neutralises_formulas() {
    let w = cases_with_dangerous_titles();
    let tally = w.tally_json();
    let (order, want) = tally_by_id(&tally);
    let out = w.path("results.csv");
    w.ok(&["export", "results", "--format", "csv", "--out", out.to_str().unwrap()]);
    let bytes = std::fs::read(&out).unwrap();
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 BOM for Excel");
    let mut reader = csv::Reader::from_reader(&bytes[3..]);
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let mut seen = Vec::new();
    let mut titles = HashMap::new();
    for record in reader.records() {
        let record = record.unwrap();
        let id = record[col("id")].to_string();
        let want = &want[&id];
        assert_eq!(record[col("group")], want.group);
        assert_eq!(record[col("rank")].parse::<u64>().ok(), want.rank, "rank of {id}");
        assert_eq!(
            Some(record[col("final")].to_string()).filter(|s| !s.is_empty()),
            want.final_score
        );
        let review = want.rounds.iter().find(|(k, _)| k == "review").unwrap().1.clone();
        assert_eq!(
            Some(record[col("review")].to_string()).filter(|s| !s.is_empty()),
            review
        );
        titles.insert(id.clone(), record[col("title")].to_string());
        seen.push(id);
    }
    assert_eq!(seen, order);
    assert_eq!(titles["X001"], "'=HYPERLINK(\"http://x\",\"y\")");
    assert_eq!(titles["X002"], "'+1 加号开头");
    assert_eq!(titles["X003"], "'-2 减号开头");
    assert_eq!(titles["X004"], "'@SUM(A1)");
    assert!(want["X001"].rank.is_some(), "the formula title is ranked too");
    // Titles that start harmlessly are left alone.
    assert!(titles.values().filter(|t| t.starts_with('\'')).count() == 4);
}

#[test]
fn results_html_lists_every_entry_in_rank_order_with_signatures() {
    let w = cases_with_dangerous_titles();
    let tally = w.tally_json();
    let out = w.path("results.html");
    let stdout = w.ok(&["export", "results", "--format", "html", "--out", out.to_str().unwrap()]);
    let fingerprint = fingerprint_from(&stdout);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains(&fingerprint));
    assert!(html.contains("size: A4 portrait"));
    assert!(html.contains("thead { display: table-header-group; }"));
    assert!(
        !html.contains("http://") || html.contains("HYPERLINK(&quot;http://x"),
        "nothing fetched"
    );
    assert!(!html.contains("<script>"), "the title's markup is escaped");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;引号&quot;"));

    let sections: Vec<&str> = html.split("<section class=\"page group\">").skip(1).collect();
    let groups = tally["groups"].as_array().unwrap();
    assert_eq!(sections.len(), groups.len(), "one section (page) per group");
    for (section, group) in sections.iter().zip(groups) {
        assert!(section.contains(&format!("{} 评审结果", group["group"].as_str().unwrap())));
        assert!(section.contains("评审组长签字："));
        assert!(section.contains("评委签字（PW0"));
        assert!(section.contains("日期："));
        assert!(section.contains(&fingerprint));
        let mut last = 0;
        for e in group["entries"].as_array().unwrap() {
            let id = e["id"].as_str().unwrap();
            let at = section
                .find(&format!("id=\"{id}\""))
                .unwrap_or_else(|| panic!("{id} is in its group's page"));
            assert!(at > last, "{id} after the entry ranked before it");
            last = at;
        }
        let incomplete = group["entries"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["complete"] == false)
            .count();
        assert_eq!(section.contains("未完成评分（不参与排名）"), incomplete > 0);
    }
    // The dangerous entries without scores are listed apart with the reason.
    assert!(html.contains("已有 0 位评委提交，至少需要 3 位"));
    // Trimmed marks are visible in the cases contest when five judges scored.
    assert!(html.contains("<span class=\"dropped\">"));
}

#[test]
fn results_markdown_tables_are_aligned_by_display_width() {
    let w = Workspace::loaded("competition");
    let out = w.path("results.md");
    let stdout = w.ok(&["export", "results", "--format", "md", "--out", out.to_str().unwrap()]);
    let md = std::fs::read_to_string(&out).unwrap();
    assert!(md.contains(&fingerprint_from(&stdout)));
    let mut tables = 0;
    let mut current: Vec<&str> = Vec::new();
    for line in md.lines().chain(std::iter::once("")) {
        if line.starts_with('|') {
            current.push(line);
        } else if !current.is_empty() {
            let widths: Vec<usize> = current.iter().map(|l| jury::core::text::width(l)).collect();
            assert!(
                widths.iter().all(|x| *x == widths[0]),
                "unaligned table:\n{}",
                current.join("\n")
            );
            assert_eq!(current.len(), 2 + 12, "header, rule and 12 contestants");
            tables += 1;
            current.clear();
        }
    }
    assert_eq!(tables, 3);
    assert!(md.contains("| JS009 | 把课堂搬进田野"));
}

#[test]
fn score_sheets_carry_every_score_comment_and_signature() {
    let w = Workspace::loaded("competition");
    {
        let store = Store::open(&w.db).unwrap();
        store
            .write(|s| s.put_comment("PW02", "JS009", "表达清楚，<b>案例</b>扎实"))
            .unwrap();
    }
    let html_path = w.path("sheets.html");
    let stdout = w.ok(&[
        "export",
        "sheets",
        "--format",
        "html",
        "--out",
        html_path.to_str().unwrap(),
    ]);
    let fingerprint = fingerprint_from(&stdout);
    let html = std::fs::read_to_string(&html_path).unwrap();
    // Seven judges scored three groups each: 21 pages, each with a signature line.
    assert_eq!(html.matches("<section class=\"page sheet\">").count(), 21);
    assert_eq!(html.matches("本人确认以上评分为本人独立评定").count(), 21);
    assert!(html.contains("评委签字（PW02 郑鹏远）"));
    assert!(html.contains("表达清楚，&lt;b&gt;案例&lt;/b&gt;扎实"));
    assert!(html.contains(&fingerprint));

    let xlsx_path = w.path("pw02.xlsx");
    w.ok(&[
        "export",
        "sheets",
        "--format",
        "xlsx",
        "--judge",
        "PW02",
        "--out",
        xlsx_path.to_str().unwrap(),
    ]);
    let mut book: Xlsx<_> = open_workbook(&xlsx_path).unwrap();
    assert_eq!(book.sheet_names(), ["PW02 郑鹏远"]);
    let range = book.worksheet_range("PW02 郑鹏远").unwrap();
    let rows: Vec<_> = range.rows().collect();
    assert_eq!(text(&rows[1][4]), "内容设计（30）");
    let js009 = rows.iter().find(|r| text(&r[1]) == "JS009").expect("JS009 row");
    // The lesson round: four criteria and their total, as in the fixture.
    let fixture_scores = std::fs::read_to_string(fixture("scores-competition.csv")).unwrap();
    let lesson: Vec<f64> = ["content", "method", "expression", "effect"]
        .iter()
        .map(|c| {
            fixture_scores
                .lines()
                .find(|l| l.starts_with(&format!("PW02,JS009,lesson,{c},")))
                .and_then(|l| l.rsplit(',').next())
                .unwrap()
                .parse()
                .unwrap()
        })
        .collect();
    for (i, v) in lesson.iter().enumerate() {
        assert_eq!(number(&js009[4 + i]), Some(*v));
    }
    assert_eq!(number(&js009[8]), Some(lesson.iter().sum()));
    assert_eq!(text(js009.last().unwrap()), "表达清楚，<b>案例</b>扎实");
    let notes: String = rows.iter().map(|r| text(&r[0])).collect();
    assert!(notes.contains("评委签字"));
    assert!(notes.contains(&fingerprint));

    let err = w.fails(&["export", "sheets", "--format", "html", "--judge", "NOBODY"]);
    assert!(err.contains("unknown judge"), "{err}");
}

#[test]
fn backup_while_scores_are_written_holds_every_earlier_score() {
    let w = Workspace::loaded("competition");
    let stop = Arc::new(AtomicBool::new(false));
    let written = Arc::new(AtomicUsize::new(0));
    // PW08 and PW09 have no scores in the fixture: a second connection adds their sheets one
    // committed transaction at a time while the backup runs.
    let writer = {
        let (db, stop, written) = (w.db.clone(), stop.clone(), written.clone());
        std::thread::spawn(move || {
            let store = Store::open(&db).unwrap();
            let criteria = [
                ("lesson", "content"),
                ("lesson", "method"),
                ("lesson", "expression"),
                ("lesson", "effect"),
            ];
            'outer: for judge in ["PW08", "PW09"] {
                for n in 1..=36 {
                    if stop.load(Ordering::SeqCst) {
                        break 'outer;
                    }
                    let entry = format!("JS{n:03}");
                    let batch: Vec<ScoreInput> = criteria
                        .iter()
                        .map(|(round, criterion)| ScoreInput {
                            judge: judge.into(),
                            entry: entry.clone(),
                            round: (*round).into(),
                            criterion: (*criterion).into(),
                            value: Points::from_int(15),
                        })
                        .collect();
                    store.write(|s| s.put_imported_scores(&batch)).unwrap();
                    written.fetch_add(batch.len(), Ordering::SeqCst);
                    std::thread::sleep(std::time::Duration::from_millis(5));
                }
            }
        })
    };
    while written.load(Ordering::SeqCst) < 40 {
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    let before: Vec<ScoreInput> = Store::open(&w.db).unwrap().all_scores().unwrap();
    let written_before = written.load(Ordering::SeqCst);
    let copy = w.path("backup.jury");
    let stdout = w.ok(&["export", "backup", copy.to_str().unwrap()]);
    assert!(stdout.contains("jury --db"), "{stdout}");
    let written_after = written.load(Ordering::SeqCst);
    stop.store(true, Ordering::SeqCst);
    writer.join().unwrap();

    assert!(written_before >= 40);
    let backup = Store::open(&copy).unwrap();
    backup.integrity_check().unwrap();
    let saved: std::collections::HashSet<(String, String, String, String, i64)> = backup
        .all_scores()
        .unwrap()
        .into_iter()
        .map(|s| (s.judge, s.entry, s.round, s.criterion, s.value.units()))
        .collect();
    for s in &before {
        assert!(
            saved.contains(&(
                s.judge.clone(),
                s.entry.clone(),
                s.round.clone(),
                s.criterion.clone(),
                s.value.units()
            )),
            "{s:?} was committed before the backup started"
        );
    }
    assert!(saved.len() >= before.len());
    assert!(saved.len() <= 2520 + written_after + 4, "nothing invented");

    // The copy opens as it is with --db, and a second backup to the same name is refused.
    let out = std::process::Command::new(common::BIN)
        .args(["--db", copy.to_str().unwrap(), "tally", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let err = w.fails(&["export", "backup", copy.to_str().unwrap()]);
    assert!(err.contains("already exists"), "{err}");
}

#[test]
fn verify_print_matches_until_a_score_is_added() {
    let w = Workspace::loaded("competition");
    let out = w.path("r.html");
    let fingerprint =
        fingerprint_from(&w.ok(&["export", "results", "--format", "html", "--out", out.to_str().unwrap()]));
    assert!(fingerprint.starts_with("JURY2-2520-"), "{fingerprint}");
    let ok = w.ok(&["verify-print", &fingerprint]);
    assert!(ok.starts_with("MATCH"), "{ok}");
    // The short form (without the audit part) is accepted too.
    let short: Vec<&str> = fingerprint.split('-').take(3).collect();
    w.ok(&["verify-print", &short.join("-")]);

    let more = w.path("more.csv");
    std::fs::write(
        &more,
        "judge,entry,round,criterion,score\nPW08,JS001,lesson,content,20\nPW08,JS001,lesson,method,20\n\
         PW08,JS001,lesson,expression,15\nPW08,JS001,lesson,effect,15\n",
    )
    .unwrap();
    w.ok(&["import", "scores", more.to_str().unwrap()]);
    let run = w.run(&["verify-print", &fingerprint]);
    assert_eq!(run.status.code(), Some(1));
    let said = String::from_utf8(run.stdout).unwrap();
    assert!(said.starts_with("NO MATCH"), "{said}");
    assert!(said.contains("score count: printed 2520, now 2524"), "{said}");
    assert!(said.contains("content hash: printed"), "{said}");
    assert!(
        w.fails(&["verify-print", "not-a-fingerprint"])
            .contains("is not a fingerprint")
    );
}

#[test]
fn default_file_name_goes_to_the_current_folder() {
    let w = Workspace::loaded("competition");
    let out = std::process::Command::new(common::BIN)
        .current_dir(w.dir.path())
        .args([
            "--db",
            w.db.to_str().unwrap(),
            "export",
            "results",
            "--format",
            "md",
            "--group",
            "教师组",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    let name = format!(
        "results-家庭教育与心理健康教育专业技能大赛-教师组-{}.md",
        chrono::Local::now().format("%Y-%m-%d")
    );
    assert!(stdout.contains(&name), "{stdout}");
    let md = std::fs::read_to_string(Path::new(w.dir.path()).join(&name)).unwrap();
    assert!(md.contains("## 教师组") && !md.contains("## 家长组"));
}
