//! The last English under a Chinese locale (issue 17, helper zhlast): a representative set of
//! failing commands under `--lang zh`, each with its exact Chinese message, and none holding a run
//! of three English words outside quoted data, ids and paths.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{BIN, Workspace, euid};

fn failed(out: &std::process::Output) -> String {
    assert!(
        !out.status.success(),
        "should have failed:\nstdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr.clone()).unwrap()
}

/// Runs of three or more English words (ASCII letters only, two or more each) in `text`, once
/// the quoted paths, commands and flags are taken out.
fn english_runs(text: &str, quoted: &[&str]) -> Vec<String> {
    let mut t = text.to_string();
    for q in quoted {
        t = t.replace(q, " ");
    }
    let mut runs = Vec::new();
    let mut run: Vec<&str> = Vec::new();
    for word in t.split(|c: char| !(c.is_ascii_alphabetic() || c == '\'')) {
        let letters = word.chars().filter(|c| c.is_ascii_alphabetic()).count();
        if letters >= 2 {
            run.push(word);
            continue;
        }
        if run.len() >= 3 {
            runs.push(run.join(" "));
        }
        run.clear();
    }
    if run.len() >= 3 {
        runs.push(run.join(" "));
    }
    runs
}

fn chinese_only(text: &str, quoted: &[&str]) {
    let runs = english_runs(text, quoted);
    assert!(runs.is_empty(), "English under zh: {runs:?} in\n{text}");
}

#[test]
fn the_english_runs_finder_finds_english() {
    assert_eq!(english_runs("jury: the disk is full", &[]), ["the disk is full"]);
    assert!(english_runs("磁盘已满：room.jury 无法增大", &[]).is_empty());
    assert!(english_runs("请运行 `jury init --template cases`", &["`jury init --template cases`"]).is_empty());
}

const NOTHING_ZH: &str = "未导入任何内容，工作区没有改变。\n";

#[test]
fn a_damaged_docx_package_is_said_in_chinese_detail_and_all() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let folder = w.path("cases");
    std::fs::create_dir(&folder).unwrap();
    // A ZIP's first bytes and nothing after: cut short.
    std::fs::write(folder.join("案例一.docx"), b"PK\x03\x04\x14\x00\x00\x00").unwrap();
    let f = folder.to_str().unwrap();
    let before = w.digest();
    let err = failed(&w.run(&["--lang", "zh", "import", "entries", f]));
    assert_eq!(before, w.digest(), "nothing stored");
    assert_eq!(
        err,
        format!(
            "jury: {f}：案例一.docx：不是可读的 .docx 文件：它不是完整的 ZIP 文档包（文件已损坏或不完整）；\
             请用 Word 或 WPS 打开后重新保存\n{NOTHING_ZH}"
        )
    );
    chinese_only(&err, &[f]);
    // English, word for word as before.
    let err = failed(&w.run(&["--lang", "en", "import", "entries", f]));
    assert!(
        err.contains(
            "案例一.docx: is not a readable .docx: it is not a complete ZIP package (the file is damaged or cut \
             short); open it in Word and save it again"
        ),
        "{err}"
    );
}

#[test]
fn a_missing_workspace_and_a_bad_file_are_said_in_chinese() {
    let w = Workspace::new();
    let db = w.path("没有.jury");
    let d = db.to_str().unwrap();
    let out = std::process::Command::new(BIN)
        .args(["--lang", "zh", "--db", d, "tally"])
        .env_remove("JURY_DB")
        .output()
        .unwrap();
    let err = failed(&out);
    assert_eq!(
        err,
        format!(
            "jury: {d}：这里没有工作区；请先运行 `jury init --template cases|competition`（或 `jury init --rubric 文件`），\
             或用 --db 路径 给出比赛的文件\n"
        )
    );
    chinese_only(
        &err,
        &[
            d,
            "`jury init --template cases|competition`",
            "`jury init --rubric 文件`",
        ],
    );

    w.ok(&["init", "--template", "competition"]);
    let bad = w.path("选手.csv");
    std::fs::write(&bad, "编号,姓名,组别,出场顺序\nX1,张三,教师组,一\n").unwrap();
    let b = bad.to_str().unwrap();
    let before = w.digest();
    let err = failed(&w.run(&["--lang", "zh", "import", "entries", b]));
    assert_eq!(before, w.digest(), "nothing stored");
    chinese_only(&err, &[b]);
    assert!(err.starts_with(&format!("jury: {b}：第 2 行")), "{err}");
    assert!(err.ends_with(NOTHING_ZH), "{err}");
}

#[test]
fn a_wrong_organiser_passphrase_is_said_in_chinese() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition", "--organiser-pass", "kaimen-2026"]);
    let out = w.run_with(
        &["--lang", "zh", "lock", "--reason", "结果已公布"],
        &[("JURY_ORGANISER_PASS", "not-the-pass")],
    );
    let err = failed(&out);
    assert_eq!(
        err,
        "jury: `jury lock`：组织者口令错误（再错 2 次将暂停 30 秒）。没有任何改动。\n"
    );
    chinese_only(&err, &["`jury lock`"]);
}

/// Another account's `jury serve` on root's shared file: refused in Chinese; with
/// `--allow-shared-file` its warning on the server's terminal is Chinese too. Skipped unless root.
#[test]
fn serve_refuses_and_warns_about_a_shared_file_in_chinese() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    if euid() != 0 {
        eprintln!("skipped: needs to run as root, to run jury as nobody");
        return;
    }
    let set = |p: &std::path::Path, mode| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    set(w.dir.path(), 0o777);
    set(&w.db, 0o666);
    let d = w.db.to_str().unwrap();
    let serve = |extra: &[&str]| {
        std::process::Command::new("timeout")
            .args([
                "-s",
                "INT",
                "15",
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                BIN,
            ])
            .args(["--lang", "zh", "--db", d, "serve", "--listen", "127.0.0.1:0"])
            .args(extra)
            .env_remove("JURY_DB")
            .env_remove("JURY_ORGANISER_PASS")
            .env("LANG", "C")
            .output()
            .expect("timeout, setpriv")
    };
    let out = serve(&[]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err,
        format!(
            "jury: {d} 无法设为仅所有者可读（没有权限（系统信息：Operation not permitted (os error 1)））：\
             其他账户可能读到评委的分数和 PIN 哈希。请以文件所有者的身份运行 `jury serve`，或把工作区复制到您自己的文件夹；\
             如仍要启动，请加 --allow-shared-file。没有启动任何服务\n"
        )
    );
    chinese_only(
        &err,
        &[
            d,
            "`jury serve`",
            "--allow-shared-file",
            "Operation not permitted (os error 1)",
        ],
    );

    let out = serve(&["--allow-shared-file"]);
    let err = String::from_utf8_lossy(&out.stderr).to_string();
    let warning = err.lines().next().unwrap_or_default();
    assert_eq!(
        warning,
        format!(
            "警告：{d} 无法设为仅所有者可读（没有权限（系统信息：Operation not permitted (os error 1)））：\
             其他账户可能读到评委的分数和 PIN 哈希（已加 --allow-shared-file，照常启动）"
        ),
        "{err}"
    );
    chinese_only(
        &err,
        &[d, "--allow-shared-file", "Operation not permitted (os error 1)"],
    );
    let shown = String::from_utf8_lossy(&out.stdout);
    assert!(shown.contains("评审室已开放"), "it started: {shown}");
}

/// What an import of a workbook says once it succeeds (the sheet read, the hidden rows imported)
/// is Chinese too: it was English under `--lang zh`.
#[test]
fn an_imports_notes_on_the_sheet_and_hidden_rows_are_said_in_chinese() {
    use rust_xlsxwriter::Workbook;
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&[
        "import",
        "entries",
        common::fixture("contestants.csv").to_str().unwrap(),
    ]);
    w.ok(&["import", "judges", common::fixture("judges.csv").to_str().unwrap()]);
    let mut book = Workbook::new();
    let old = book.add_worksheet().set_name("旧数据").unwrap();
    old.write_string(0, 0, "nothing to see").unwrap();
    old.set_hidden(true);
    let s = book.add_worksheet().set_name("评分").unwrap().set_active(true);
    for (c, h) in ["judge", "entry", "round", "criterion", "score"].iter().enumerate() {
        s.write_string(0, c as u16, *h).unwrap();
    }
    for (row, criterion, score) in [(1u32, "content", 21.0), (2, "method", 22.0)] {
        for (c, v) in ["PW01", "JS001", "lesson", criterion].iter().enumerate() {
            s.write_string(row, c as u16, *v).unwrap();
        }
        s.write_number(row, 4, score).unwrap();
    }
    s.set_row_hidden(2).unwrap();
    let path = w.path("sheets.xlsx");
    std::fs::write(&path, book.save_to_buffer().unwrap()).unwrap();
    let out = w.run(&["--lang", "zh", "import", "scores", "--partial", path.to_str().unwrap()]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let said = String::from_utf8(out.stdout).unwrap();
    let notes: Vec<&str> = said.lines().skip(1).collect();
    assert_eq!(
        notes,
        [
            "已读取工作表 \"评分\"（第一个可见的工作表；在它之前隐藏的：\"旧数据\"；工作簿有 2 个工作表；\
             用 --sheet 名称 读取其他工作表）。",
            "有 1 行在 Excel 中被隐藏（手动隐藏或被筛选），已和其他行一样导入：第 3 行。",
        ],
        "{said}"
    );
    chinese_only(&said, &[path.to_str().unwrap(), "--sheet", "Excel"]);
}

/// A file that is not a workspace, given with --db: said in Chinese, SQLite's text quoted.
#[test]
fn a_file_that_is_not_a_workspace_is_said_in_chinese() {
    let w = Workspace::new();
    let not = w.path("选手.csv");
    std::fs::write(&not, "编号,姓名\n".repeat(400)).unwrap();
    let d = not.to_str().unwrap();
    let out = std::process::Command::new(BIN)
        .args(["--lang", "zh", "--db", d, "tally"])
        .env_remove("JURY_DB")
        .output()
        .unwrap();
    let err = failed(&out);
    assert_eq!(
        err,
        format!(
            "jury: {d}：这个文件不是可用的 jury 工作区（数据库信息：file is not a database）。如果它是工作区，\
             请恢复最近的备份（`jury export backup` 做的副本）；否则请用 --db 选择另一个文件\n"
        )
    );
    chinese_only(&err, &[d, "file is not a database", "`jury export backup`"]);
}
