//! The rest of the command line in Chinese (issue 17, helper zhmsg): rubric errors, typed import
//! problems, prompts, the audit log's lines, the corrections' messages and every option's help,
//! under `--lang zh` and `LANG=zh_CN.UTF-8`; English as before.

mod common;

use common::{Workspace, fixture};

const ZH: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];

fn stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "failed:\nstdout: {}\nstderr: {}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).unwrap()
}

fn stderr_of_failure(out: &std::process::Output) -> String {
    assert!(
        !out.status.success(),
        "should have failed:\nstdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8(out.stderr.clone()).unwrap()
}

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
