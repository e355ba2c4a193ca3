//! The rest of the command line in Chinese (issue 17, helper zhmsg): rubric errors, typed import
//! problems, prompts, the audit log's lines, the corrections' messages and every option's help,
//! under `--lang zh` and `LANG=zh_CN.UTF-8`; English as before.

mod common;

use common::{Workspace, ZH, fixture, stderr_of_failure, stdout};

/// The competition template with its second round's weight changed: the weights add up to 0.9 (0.4 + 0.2 + 0.3).
fn bad_weights(w: &Workspace) -> String {
    let source = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/rubrics/competition.toml"))
        .unwrap()
        .replacen("weight = 0.3", "weight = 0.2", 1);
    assert!(source.contains("weight = 0.2"));
    let path = w.path("bad.toml");
    std::fs::write(&path, source).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn a_refused_rubric_names_its_line_in_chinese() {
    let w = Workspace::new();
    let bad = bad_weights(&w);
    let zh = stderr_of_failure(&w.run_with(&["init", "--rubric", &bad], ZH));
    assert_eq!(
        zh,
        format!("jury: {bad}:19: 各环节权重之和必须为 1，现在是 0.9（0.4 + 0.2 + 0.3）\n")
    );
    let en = stderr_of_failure(&w.run(&["init", "--rubric", &bad]));
    assert_eq!(
        en,
        format!("jury: {bad}:19: round weights must add up to 1; they add up to 0.9 (0.4 + 0.2 + 0.3)\n")
    );
    // An unknown key, as the TOML reader finds it.
    let unknown = w.path("unknown.toml");
    std::fs::write(&unknown, "nmae = \"x\"\n").unwrap();
    let unknown = unknown.to_str().unwrap();
    let zh = stderr_of_failure(&w.run(&["--lang", "zh", "init", "--rubric", unknown]));
    assert!(
        zh.starts_with(&format!("jury: {unknown}:1: 未知的键 `nmae`；可用的键：`name`, `kind`")),
        "{zh}"
    );

    w.ok(&["init", "--template", "competition"]);
    let zh = stderr_of_failure(&w.run_with(&["rubric", "diff", &bad], ZH));
    assert_eq!(
        zh,
        format!("jury: {bad}:19: 各环节权重之和必须为 1，现在是 0.9（0.4 + 0.2 + 0.3）\n")
    );
    let zh = stderr_of_failure(&w.run(&["--lang", "zh", "rubric", "apply", &bad, "--reason", "改权重"]));
    assert_eq!(
        zh,
        format!("jury: {bad}:19: 各环节权重之和必须为 1，现在是 0.9（0.4 + 0.2 + 0.3）\n")
    );
    let zh = stderr_of_failure(&w.run_with(&["phase", "start", "决赛", "--take", "入围", "--rubric", &bad], ZH));
    assert_eq!(
        zh,
        format!("jury: {bad}:19: 各环节权重之和必须为 1，现在是 0.9（0.4 + 0.2 + 0.3）\n")
    );
}

fn competition() -> Workspace {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w
}

#[test]
fn import_problems_that_were_free_text_are_in_chinese() {
    let w = competition();
    let empty = w.path("empty.csv");
    std::fs::write(&empty, "").unwrap();
    let empty = empty.to_str().unwrap();
    assert_eq!(
        stderr_of_failure(&w.run_with(&["import", "entries", empty], ZH)),
        format!("jury: {empty}：文件是空的：需要一个表头行和若干数据行\n未导入任何内容，工作区没有改变。\n")
    );
    assert_eq!(
        stderr_of_failure(&w.run(&["import", "entries", empty])),
        format!(
            "jury: {empty}: the file is empty: it needs a header row and data rows\nNothing was imported; the workspace is unchanged.\n"
        )
    );
    let header = w.path("header.csv");
    std::fs::write(&header, "编号,姓名,密码\n").unwrap();
    let header = header.to_str().unwrap();
    assert_eq!(
        stderr_of_failure(&w.run(&["--lang", "zh", "import", "judges", header])),
        format!("jury: {header}：只有表头，下面没有评委\n未导入任何内容，工作区没有改变。\n")
    );
    let ragged = w.path("ragged.csv");
    std::fs::write(&ragged, "编号,姓名,组别\nJS001,甲,教师组\nJS002,乙\n").unwrap();
    let ragged = ragged.to_str().unwrap();
    assert_eq!(
        stderr_of_failure(&w.run_with(&["import", "entries", ragged], ZH)),
        format!(
            "jury: {ragged}：第 3 行有 2 个单元格，而表头有 3 个；每行的列数必须相同（单元格中的逗号须加引号）\n\
             未导入任何内容，工作区没有改变。\n"
        )
    );
    let no_id = w.path("noid.csv");
    std::fs::write(&no_id, "编号,姓名,组别\n,甲,教师组\n").unwrap();
    let no_id = no_id.to_str().unwrap();
    assert_eq!(
        stderr_of_failure(&w.run_with(&["import", "entries", no_id], ZH)),
        format!(
            "jury: {no_id}：第 2 行，第 A 列（编号）：编号为空；每个条目都需要编号\n未导入任何内容，工作区没有改变。\n"
        )
    );
    let xls = w.path("old.xls");
    std::fs::write(&xls, b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest").unwrap();
    let xls = xls.to_str().unwrap();
    assert_eq!(
        stderr_of_failure(&w.run_with(&["import", "judges", xls], ZH)),
        format!(
            "jury: {xls}：是旧版 Excel 97-2003 工作簿（.xls）；请另存为 .xlsx 或“CSV UTF-8”\n未导入任何内容，工作区没有改变。\n"
        )
    );
}

/// The results CSV's rows as cells (the BOM dropped).
fn csv_rows(path: &std::path::Path) -> Vec<Vec<String>> {
    let bytes = std::fs::read(path).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').unwrap();
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn a_withdrawn_entry_s_row_in_the_results_csv_has_every_column() {
    let w = Workspace::loaded("competition");
    w.ok(&["entry", "withdraw", "JS001", "--reason", "选手弃权"]);
    let out = w.path("r.csv");
    w.ok(&[
        "--lang",
        "zh",
        "export",
        "results",
        "--format",
        "csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    let rows = csv_rows(&out);
    let header = &rows[0];
    assert_eq!(
        header[..10].join(","),
        "组别,名次,编号,标题,姓名,单位,县市区,最终得分,奖项,是否完成",
        "{header:?}"
    );
    for row in &rows {
        assert_eq!(row.len(), header.len(), "{row:?}");
    }
    let withdrawn = rows.iter().find(|r| r[2] == "JS001").unwrap();
    let at = |name: &str| header.iter().position(|h| h == name).unwrap();
    assert_eq!(withdrawn[at("组别")], "教师组");
    assert_eq!(withdrawn[at("名次")], "");
    assert_eq!(withdrawn[at("姓名")], "邓涵");
    assert_eq!(withdrawn[at("单位")], "靖安县实验小学");
    assert_eq!(withdrawn[at("县市区")], "靖安县");
    assert_eq!(withdrawn[at("奖项")], "弃权");
    assert_eq!(withdrawn.last().unwrap(), "选手弃权");
    // The public copy has no flags column: the reason has no cell of its own there either.
    w.ok(&[
        "export",
        "results",
        "--format",
        "csv",
        "--public",
        "--out",
        w.path("p.csv").to_str().unwrap(),
    ]);
    let rows = csv_rows(&w.path("p.csv"));
    for row in &rows {
        assert_eq!(row.len(), rows[0].len(), "{row:?}");
    }
}

/// Every command's path (`export results`) with the help texts of its arguments, in English.
fn commands_and_option_help() -> Vec<(String, Vec<String>)> {
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, Vec<String>)>) {
        let helps = cmd
            .get_arguments()
            .filter_map(|a| a.get_help().map(|h| h.to_string()))
            .collect();
        out.push((path.to_string(), helps));
        for s in cmd.get_subcommands() {
            let p = if path.is_empty() {
                s.get_name().to_string()
            } else {
                format!("{path} {}", s.get_name())
            };
            walk(s, &p, out);
        }
    }
    let mut out = Vec::new();
    walk(&jury::cli::localised_command(jury::i18n::Lang::En), "", &mut out);
    out
}

#[test]
fn every_option_s_help_is_in_chinese_under_zh() {
    let commands = commands_and_option_help();
    assert!(commands.len() > 60, "{}", commands.len());
    let w = Workspace::new();
    let mut english = Vec::new();
    for (path, helps) in &commands {
        if path == "help" || path.starts_with("help ") || path.contains(" help") {
            continue;
        }
        let mut args: Vec<&str> = path.split(' ').filter(|p| !p.is_empty()).collect();
        args.push("--help");
        let out = w.run_with(&args, ZH);
        assert!(out.status.success(), "{path}: {}", String::from_utf8_lossy(&out.stderr));
        let zh = String::from_utf8(out.stdout).unwrap();
        // The command's one-line description too.
        let en = String::from_utf8(w.run(&args).stdout).unwrap();
        let about = en.lines().next().unwrap_or_default();
        if zh.contains(about) {
            english.push(format!("{path}: {about}"));
        }
        assert!(zh.contains("选项:"), "{path}: {zh}");
        for help in helps {
            // The first line of an English help text, as `--help` shows it.
            let first = help.lines().next().unwrap_or_default();
            if zh.contains(first) {
                english.push(format!("{path}: {first}"));
            }
        }
    }
    assert!(
        english.is_empty(),
        "English option help under zh:\n{}",
        english.join("\n")
    );
}

#[cfg(unix)]
#[test]
fn init_asks_for_the_organiser_passphrase_in_chinese_on_a_terminal() {
    use common::tmux::Tmux;
    let w = Workspace::new();
    let t = Tmux::new("zhmsg-init");
    t.start("init", &w.db, &["--lang", "zh", "init", "--template", "competition"]);
    t.wait_for(
        "init",
        "组织者口令（直接按回车跳过，之后可用 `jury passwd --organiser` 设置）：",
        20,
    );
    t.type_text("init", "kaimen-2026");
    t.keys("init", &["Enter"]);
    t.wait_for("init", "再输入一次：", 10);
    t.type_text("init", "kaimen-2027");
    t.keys("init", &["Enter"]);
    t.wait_for("init", "jury: 两次输入的口令不一致，未设置口令", 10);
}

#[test]
fn corrections_and_the_audit_log_speak_chinese() {
    let w = Workspace::loaded("competition");
    let zh = stdout(&w.run_with(&["judge", "remove", "PW09", "--reason", "生病"], ZH));
    assert_eq!(
        zh,
        "已移除评委 PW09：删除草稿评分表 0 份，已提交的评分表 0 份保留；该编号保留，不能再登录。\n"
    );
    let zh = stdout(&w.run_with(
        &[
            "score",
            "remove",
            "PW01",
            "JS001",
            "--round",
            "lesson",
            "--criterion",
            "content",
            "--reason",
            "录错",
        ],
        ZH,
    ));
    assert_eq!(
        zh,
        "已从 PW01 对 JS001 / 现场说课 的评分表中删除评分项 content 的分数（19.5）；该评分表退回为草稿（重新提交之前不计入）。\n"
    );
    let zh = stdout(&w.run(&[
        "--lang", "zh", "score", "remove", "PW02", "JS001", "--round", "lesson", "--reason", "录错",
    ]));
    assert_eq!(
        zh,
        "已从 PW02 对 JS001 / 现场说课 的评分表中删除全部 4 个分数（合计 69.5）；该评分表退回为草稿（重新提交之前不计入）。\n"
    );
    // English as before.
    let en = w.ok(&["score", "remove", "PW03", "JS001", "--round", "lesson", "--reason", "x"]);
    assert!(en.starts_with("Removed 4 scores (total "), "{en}");
    assert!(
        en.ends_with(
            "from PW03's sheet for JS001 / lesson; the sheet is a draft again (it no longer counts until submitted).\n"
        ),
        "{en}"
    );
    w.ok(&["entry", "withdraw", "JS002", "--reason", "弃权了"]);

    let log = stdout(&w.run_with(&["audit", "log", "--entry", "JS002"], ZH));
    let last = log.lines().last().unwrap();
    let (_, tail) = last.split_once(" cli ").unwrap();
    assert_eq!(
        tail,
        "退出排名（entry-withdraw） 条目=JS002 参加排名 -> 弃权 理由：弃权了"
    );
    let log = stdout(&w.run_with(&["audit", "log", "--judge", "PW09"], ZH));
    let (_, tail) = log.lines().last().unwrap().split_once(" cli ").unwrap();
    assert_eq!(tail, "移除评委（judge-remove） 评委=PW09 删除草稿 - -> 0 理由：生病");
    let log = w.ok(&["audit", "log", "--entry", "JS002"]);
    let (_, tail) = log.lines().last().unwrap().split_once(" cli ").unwrap();
    assert_eq!(tail, "entry-withdraw entry=JS002 entered -> withdrawn reason: 弃权了");
}

#[test]
fn assign_replace_speaks_chinese() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w.ok(&["assign", "--group", "教师组", "--judges", "PW01,PW02,PW03,PW04,PW05"]);
    let zh = stdout(&w.run_with(&["assign", "--replace", "PW05", "PW06", "--reason", "调整"], ZH));
    assert_eq!(
        zh,
        "PW06 接替 PW05 未完成的工作：0 个条目，以及 PW05 在 教师组 评委组中的席位。\n"
    );
    let en = w.ok(&["assign", "--replace", "PW06", "PW07", "--reason", "调整"]);
    assert_eq!(
        en,
        "PW07 takes PW06's open work: 0 entries, and PW06's seat on the panel of 教师组.\n"
    );
}

#[test]
fn calibration_show_speaks_chinese() {
    let w = Workspace::loaded("competition");
    assert_eq!(
        stdout(&w.run_with(&["calibration", "show"], ZH)),
        "还没有试评样本：请用 `jury calibration add 条目...` 设定。\n"
    );
    w.ok(&["calibration", "add", "JS010"]);
    let zh = stdout(&w.run_with(&["calibration", "show"], ZH));
    let lines: Vec<&str> = zh.lines().collect();
    assert!(lines[0].starts_with("评委 ") && lines[0].ends_with("平均偏差"), "{zh}");
    assert!(lines.last().unwrap().starts_with("评委组均值 "), "{zh}");
    let en = w.ok(&["calibration", "show"]);
    assert!(
        en.starts_with("judge ") && en.lines().next().unwrap().ends_with("mean offset"),
        "{en}"
    );
}

#[test]
fn verify_print_says_what_differs_in_chinese() {
    let w = Workspace::loaded("competition");
    let out = w.path("r.html");
    let said = w.ok(&["export", "results", "--format", "html", "--out", out.to_str().unwrap()]);
    let fingerprint = said
        .lines()
        .find_map(|l| l.strip_prefix("Fingerprint: "))
        .unwrap()
        .to_string();
    let zh = stdout(&w.run_with(&["verify-print", &fingerprint], ZH));
    let lines: Vec<&str> = zh.lines().collect();
    assert!(
        lines[1].starts_with("  分数个数：") && lines[1].ends_with("（相同）"),
        "{zh}"
    );
    assert!(
        lines[2].starts_with("  内容哈希：") && lines[2].ends_with("（相同）"),
        "{zh}"
    );
    assert!(
        lines[3].starts_with("  审计记录：") && lines[3].ends_with("（相同）"),
        "{zh}"
    );
    assert!(zh.contains("  打印为：暂定结果（打印时未锁定）\n"), "{zh}");
    w.ok(&[
        "score",
        "remove",
        "PW01",
        "JS001",
        "--round",
        "lesson",
        "--criterion",
        "content",
        "--reason",
        "录错",
    ]);
    let out = w.run_with(&["verify-print", &fingerprint], ZH);
    assert!(!out.status.success());
    let zh = String::from_utf8(out.stdout).unwrap();
    assert!(zh.contains("  分数个数：打印时 2520，现在 2516\n"), "{zh}");
    assert!(
        zh.contains("此后分数、评分表、条目的组别、评委的单位、回避关系或评分细则有过改动\n"),
        "{zh}"
    );
    let en = String::from_utf8(w.run(&["verify-print", &fingerprint]).stdout).unwrap();
    assert!(en.contains("  score count: printed 2520, now 2516\n"), "{en}");
}

/// clap's own parse errors (an unknown flag, an unknown command, a wrong value, a missing
/// argument) follow the language too; English stays clap's.
#[test]
fn the_command_lines_parse_errors_are_in_chinese() {
    let w = Workspace::new();
    let out = w.run(&["--lang", "zh", "tally", "--nope"]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8(out.stderr).unwrap(),
        "错误：不认识的参数 '--nope'\n\n用法：jury tally [OPTIONS]\n\n更多信息请加 --help。\n"
    );
    let unknown = stderr_of_failure(&w.run_with(&["frobnicate"], ZH));
    assert!(unknown.starts_with("错误：没有 'frobnicate' 这个命令"), "{unknown}");
    let value = stderr_of_failure(&w.run_with(&["tally", "--format", "xml"], ZH));
    assert!(
        value.starts_with("错误：参数 --format <FORMAT> 的值 'xml' 无效；可用的值：table、json、csv"),
        "{value}"
    );
    let missing = stderr_of_failure(&w.run(&["--lang", "zh", "judge", "remove"]));
    assert!(
        missing.starts_with("错误：缺少必需的参数：--reason <REASON>、<JUDGE>"),
        "{missing}"
    );
    let en = stderr_of_failure(&w.run(&["--lang", "en", "tally", "--nope"]));
    assert!(en.starts_with("error: unexpected argument '--nope' found"), "{en}");
}
