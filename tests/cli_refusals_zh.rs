//! The library's refusals that were free text (issue 17, "Chinese everywhere"): typed by layer,
//! they come out in Chinese under `--lang zh` or `LANG=zh_CN.UTF-8`, and in the same English as
//! before otherwise.

mod common;

use std::process::{Command, Output, Stdio};

use common::{Workspace, ZH, stderr_of_failure};

/// `jury ARGS` with no `--db` of the harness, under `LANG`.
fn bare(args: &[&str], lang: &str) -> Output {
    Command::new(env!("CARGO_BIN_EXE_jury"))
        .args(args)
        .env_remove("JURY_DB")
        .env_remove("JURY_ORGANISER_PASS")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", lang)
        .stdin(Stdio::null())
        .output()
        .unwrap()
}

#[test]
fn a_folder_given_as_the_workspace_is_refused_in_chinese() {
    // The store's refusal (StoreRefusal::IsFolder).
    let w = Workspace::new();
    let dir = w.path("folder");
    std::fs::create_dir(&dir).unwrap();
    let dir = dir.to_str().unwrap();
    let zh = stderr_of_failure(&bare(&["--db", dir, "tally"], "zh_CN.UTF-8"));
    assert_eq!(
        zh,
        format!("jury: {dir} 是文件夹，不是工作区文件；请用 --db 路径 给出比赛的文件\n")
    );
    let en = stderr_of_failure(&bare(&["--db", dir, "tally"], "C"));
    assert_eq!(
        en,
        format!("jury: {dir} is a folder, not a workspace file; give the contest's file with --db PATH\n")
    );
}

#[test]
fn the_stage_of_a_case_selection_is_refused_in_chinese() {
    // The stage's refusal (StageRefusal::NotCompetition).
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let zh = stderr_of_failure(&w.run(&["--lang", "zh", "stage", "next"]));
    assert_eq!(
        zh,
        "jury: 舞台用于现场比赛；本比赛是案例遴选（评分细则中 kind = \"cases\"）\n"
    );
    let en = stderr_of_failure(&w.run(&["stage", "next"]));
    assert_eq!(
        en,
        "jury: the stage is for live competitions; this contest is a case selection (its rubric has kind = \
         \"cases\")\n"
    );
}

#[test]
fn an_export_over_an_existing_file_is_refused_in_chinese() {
    // The file writer's refusal (FileRefusal::Exists).
    let w = Workspace::loaded("competition");
    let out = w.path("results.md");
    std::fs::write(&out, "mine").unwrap();
    let out = out.to_str().unwrap();
    let args = ["export", "results", "--format", "md", "--out", out];
    let zh = stderr_of_failure(&w.run_with(&args, ZH));
    assert_eq!(zh, format!("jury: {out} 已存在；加 --force 可替换它，或换一个名字\n"));
    let en = stderr_of_failure(&w.run(&args));
    assert_eq!(
        en,
        format!("jury: {out} already exists; add --force to replace it, or choose another name\n")
    );
    assert_eq!(std::fs::read_to_string(out).unwrap(), "mine");
}

#[test]
fn a_wrong_fingerprint_is_refused_in_chinese() {
    // The export layer's refusal (ExportRefusal::NotFingerprint).
    let w = Workspace::loaded("competition");
    let zh = stderr_of_failure(&w.run_with(&["verify-print", "not-a-fingerprint"], ZH));
    assert_eq!(
        zh,
        "jury: \"not-a-fingerprint\"不是指纹；指纹形如 JURY2-1512-3fa9c2d18e77-A57-9b1c04aa（JURY2-<数量>-<哈希> \
         之后的部分可以省略；旧的打印件以 JURY- 开头）\n"
    );
}

#[test]
fn a_missing_reason_is_refused_in_chinese() {
    // A reason's refusal (ReasonRefused::Required), from the organiser's rules.
    let w = Workspace::loaded("competition");
    w.ok(&["lock", "--group", "教师组", "--round", "lesson", "--reason", "已公示"]);
    let zh = stderr_of_failure(&w.run_with(&["unlock", "--group", "教师组", "--round", "lesson"], ZH));
    assert_eq!(zh, "jury: 必须给出理由（--reason \"…\"）；理由记入审计记录\n");
    let en = stderr_of_failure(&w.run(&["unlock", "--group", "教师组", "--round", "lesson"]));
    assert_eq!(
        en,
        "jury: a reason is required (--reason \"…\"); it is kept in the audit trail\n"
    );
    let zh = stderr_of_failure(&w.run_with(
        &["unlock", "--group", "教师组", "--round", "lesson", "--reason", "a\tb"],
        ZH,
    ));
    assert_eq!(zh, "jury: 理由必须是一行文字：第 2 个字符是制表符\n");
}

#[test]
fn the_judges_screen_without_a_terminal_is_refused_in_chinese() {
    // The command line's own refusal (CommandRefusal::JudgesNeedTerminal).
    let w = Workspace::loaded("competition");
    let db = w.db.to_str().unwrap();
    let out = bare(&["--lang", "zh", "score", "--judge", "PW01", "--db", db], "C");
    assert_eq!(
        stderr_of_failure(&out),
        "jury: 评分界面需要终端（标准输入和输出不能重定向）；其他命令不需要终端（jury --help）\n"
    );
}

#[test]
fn a_conflict_of_one_organisation_cannot_be_removed_in_chinese() {
    // An organiser's rule (WorkspaceRefusal::SharedOrganisation).
    let w = Workspace::loaded("cases");
    let conflicts = w.ok(&["conflict", "list"]);
    let Some(auto) = conflicts.lines().find(|l| !l.contains("declared") && l.contains('\t')) else {
        panic!("no automatic conflict in the cases demo:\n{conflicts}");
    };
    let cols: Vec<&str> = auto.split('\t').collect();
    let (judge, entry) = (cols[0], cols[1]);
    let zh = stderr_of_failure(&w.run_with(&["conflict", "remove", judge, entry], ZH));
    assert_eq!(
        zh,
        format!("jury: {judge} 与 {entry} 同属一个单位；这一回避不是申报的，不能取消\n")
    );
}
