//! The command line in Chinese (issue 17): under `LANG=zh_CN.UTF-8` or `--lang zh` every message
//! comes from the Chinese catalogue; under English (the harness's `LANG=C`, or `--lang en` with
//! a Chinese locale) the messages are as before.

mod common;

use common::{Workspace, ZH, fixture, stderr_of_failure, stdout};

fn competition() -> Workspace {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w
}

#[test]
fn a_successful_import_speaks_the_locale() {
    let w = competition();
    let file = fixture("contestants.csv");
    let file = file.to_str().unwrap();
    let zh = stdout(&w.run_with(&["import", "entries", file], ZH));
    assert_eq!(zh, format!("已从 {file} 导入 36 个条目（新增 36 个，更新 0 个）\n"));
    // --lang zh under an English locale; --lang en under a Chinese one.
    let again = stdout(&w.run(&["--lang", "zh", "import", "entries", file, "--update"]));
    assert_eq!(again, format!("已从 {file} 导入 36 个条目（新增 0 个，更新 36 个）\n"));
    let en = stdout(&w.run_with(&["--lang", "en", "import", "entries", file, "--update"], ZH));
    assert_eq!(en, format!("Imported 36 entries from {file} (0 new, 36 updated)\n"));
    let judges = fixture("judges.csv");
    let judges = judges.to_str().unwrap();
    let zh = stdout(&w.run_with(&["import", "judges", judges], ZH));
    assert_eq!(
        zh,
        format!("已从 {judges} 导入 9 位评委（新增 9 位，更新 0 位，未变 0 位）\n")
    );
}

#[test]
fn a_refused_import_names_file_row_and_column_in_chinese() {
    let w = competition();
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let bad = w.path("bad.csv");
    std::fs::write(
        &bad,
        "judge,entry,round,criterion,score\nPW01,JS001,lesson,content,abc\n",
    )
    .unwrap();
    let bad = bad.to_str().unwrap();
    let zh = stderr_of_failure(&w.run_with(&["import", "scores", bad], ZH));
    assert_eq!(
        zh,
        format!(
            "jury: {bad}：第 2 行，第 E 列（score）：分数 \"abc\" 不是数字；应为 18 或 18.5 这样的数字\n\
             未导入任何内容，工作区没有改变。\n"
        )
    );
    let en = stderr_of_failure(&w.run(&["import", "scores", bad]));
    assert_eq!(
        en,
        format!(
            "jury: {bad}: row 2, column E (score): the score \"abc\" is not a number; a number like 18 or 18.5 is \
             expected\nNothing was imported; the workspace is unchanged.\n"
        )
    );
}

#[test]
fn the_tally_names_rounds_and_speaks_the_locale() {
    let w = competition();
    let entries = w.path("entries.csv");
    std::fs::write(
        &entries,
        "id,title,group,name,organization,county,order\nJS001,我的家访日记,教师组,邓涵,靖安县实验小学,靖安县,1\n\
         JS099,无组别,,某人,某单位,某县,2\n",
    )
    .unwrap();
    w.ok(&["import", "entries", entries.to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    let zh = stdout(&w.run_with(&["tally"], ZH));
    let en = w.ok(&["tally"]);
    // The incomplete note names each round by its name, in both languages.
    let incomplete = "未完成 (现场说课 0/5, 案例分析 0/5, 育人故事分享 0/5)";
    for text in [&zh, &en] {
        let line = text.lines().find(|l| l.contains("JS001")).unwrap();
        assert!(line.ends_with(incomplete), "{line}");
    }
    assert!(!zh.contains("lesson") && !en.contains("lesson"), "{zh}\n{en}");
    assert_eq!(
        zh.lines().last().unwrap(),
        "1 个条目没有组别，未参与排名：JS099（请运行 `jury check`）"
    );
    assert_eq!(
        en.lines().last().unwrap(),
        "1 entries have no group and are not ranked: JS099 (run `jury check`)"
    );
}

#[test]
fn a_lock_and_the_librarys_refusals_speak_the_locale() {
    let w = Workspace::loaded("competition");
    let zh = stdout(&w.run_with(
        &["lock", "--group", "教师组", "--round", "lesson", "--reason", "公示"],
        ZH,
    ));
    assert_eq!(zh, "已锁定 教师组 / 现场说课：解锁之前不能再作任何改动。\n");
    let zh = stdout(&w.run_with(
        &["unlock", "--group", "教师组", "--round", "lesson", "--reason", "更正"],
        ZH,
    ));
    assert_eq!(zh, "已解锁 教师组 / 现场说课。\n");
    let en = w.ok(&["lock", "--group", "教师组", "--reason", "final"]);
    assert_eq!(en, "Locked 教师组 / *: no further changes until unlocked.\n");
    // A typed refusal of the library (the organiser's), and a workspace without a contest.
    let zh = stderr_of_failure(&w.run_with(&["lock", "--group", "无此组", "--reason", "x"], ZH));
    assert!(zh.starts_with("jury: 没有这个组别：无此组。"), "{zh}");
    let en = stderr_of_failure(&w.run(&["lock", "--group", "无此组", "--reason", "x"]));
    assert!(en.starts_with("jury: unknown group \"无此组\""), "{en}");
    let empty = Workspace::new();
    let zh = stderr_of_failure(&empty.run(&["--lang", "zh", "tally"]));
    assert_eq!(
        zh,
        format!(
            "jury: {}：这里没有工作区；请先运行 `jury init --template cases|competition`（或 `jury init --rubric 文件`），\
             或用 --db 路径 给出比赛的文件\n",
            empty.db.display()
        )
    );
    let en = stderr_of_failure(&empty.run(&["tally"]));
    assert_eq!(
        en,
        format!(
            "jury: {}: there is no workspace here; run `jury init --template cases|competition` first (or `jury \
             init --rubric FILE`), or give the contest's file with --db PATH\n",
            empty.db.display()
        )
    );
}

#[test]
fn help_describes_every_command_in_the_locale() {
    let w = Workspace::new();
    let zh = stdout(&w.run_with(&["--help"], ZH));
    let lines: Vec<&str> = zh.lines().collect();
    assert_eq!(lines[0], "评审打分：典型案例遴选与现场技能大赛");
    for line in [
        "用法：jury [OPTIONS] [COMMAND]",
        "命令:",
        "  import        导入条目、评委或录入的评分表（CSV、GBK CSV、XLSX 或 JSON）",
        "  tally         按组别精确计算排名结果",
        "  lock          锁定组别和/或环节的成绩：此后不能再改动，导入也不能",
        "选项:",
    ] {
        assert!(lines.contains(&line), "{line:?} not in:\n{zh}");
    }
    let sub = stdout(&w.run(&["--lang", "zh", "import", "--help"]));
    assert!(
        sub.lines()
            .any(|l| l == "  scores   导入长格式评分 judge,entry,round,criterion,score[,status]"),
        "{sub}"
    );
    let en = w.ok(&["--help"]);
    let lines: Vec<&str> = en.lines().collect();
    for line in [
        "Usage: jury [OPTIONS] [COMMAND]",
        "Commands:",
        "  import        Load entries, judges or typed-in score sheets (CSV, GBK CSV, XLSX or JSON)",
        "  tally         Ranked results per group, computed exactly",
    ] {
        assert!(lines.contains(&line), "{line:?} not in:\n{en}");
    }
    let en = stdout(&w.run_with(&["--lang", "en", "import", "--help"], ZH));
    assert!(en.starts_with("Load entries, judges or typed-in score sheets"), "{en}");
}

#[test]
fn the_results_csv_follows_the_locale_and_data_formats_keep_their_keys() {
    let w = Workspace::loaded("competition");
    let zh_file = w.path("zh.csv");
    let en_file = w.path("en.csv");
    w.run_with(
        &[
            "export",
            "results",
            "--format",
            "csv",
            "--out",
            zh_file.to_str().unwrap(),
        ],
        ZH,
    );
    w.ok(&[
        "export",
        "results",
        "--format",
        "csv",
        "--out",
        en_file.to_str().unwrap(),
    ]);
    let read = |p: &std::path::Path| {
        let text = std::fs::read_to_string(p).unwrap();
        text.trim_start_matches('\u{feff}').to_string()
    };
    let (zh, en) = (read(&zh_file), read(&en_file));
    assert_eq!(
        zh.lines().next().unwrap(),
        "组别,名次,编号,标题,姓名,单位,县市区,最终得分,奖项,是否完成,现场说课,案例分析,育人故事分享,分差过大"
    );
    assert_eq!(
        en.lines().next().unwrap(),
        "group,rank,id,title,name,organization,county,final,award,complete,lesson,analysis,story,flags"
    );
    let complete = |text: &str| -> Vec<String> {
        text.lines()
            .skip(1)
            .filter(|l| l.starts_with("教师组,"))
            .map(|l| l.split(',').nth(9).unwrap().to_string())
            .collect()
    };
    assert!(complete(&zh).iter().all(|c| c == "是" || c == "否"), "{zh}");
    assert!(complete(&zh).iter().any(|c| c == "是"), "{zh}");
    assert!(complete(&en).iter().all(|c| c == "true" || c == "false"), "{en}");
    // `tally --format csv` is data: its keys stay.
    let data = stdout(&w.run_with(&["tally", "--format", "csv"], ZH));
    assert!(
        data.trim_start_matches('\u{feff}')
            .starts_with("group,rank,id,title,final,award,complete,lesson"),
        "{data}"
    );
}

#[test]
fn the_stage_speaks_the_locale_and_names_the_round() {
    let w = Workspace::loaded("competition");
    let zh = stdout(&w.run_with(&["stage", "show"], ZH));
    assert_eq!(
        zh,
        "台上还没有选手。请用 `jury stage next` 或 `jury stage set 编号` 开始。\n"
    );
    let zh = stdout(&w.run_with(&["stage", "set", "JS001", "--round", "lesson"], ZH));
    let first = zh.lines().next().unwrap();
    assert!(first.starts_with("台上：教师组 JS001 邓涵"), "{zh}");
    assert!(first.contains("环节 现场说课，成绩亮分前隐藏"), "{zh}");
    assert!(!zh.contains("lesson"), "{zh}");
    let en = w.ok(&["stage", "show"]);
    assert!(en.starts_with("On stage: 教师组 JS001 邓涵"), "{en}");
    assert!(
        en.contains("round lesson (现场说课), result hidden until revealed"),
        "{en}"
    );
}
