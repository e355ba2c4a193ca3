//! The judges' screen without a terminal: refused at once with a clear error, never waiting for input.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_jury");

#[test]
fn the_screen_without_a_terminal_fails_fast() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.jury");
    for args in [
        vec![],
        vec!["score"],
        vec!["score", "--judge", "PW01"],
        vec!["--judge", "PW01"],
    ] {
        let started = Instant::now();
        let out = Command::new(BIN)
            .args(&args)
            .arg("--db")
            .arg(&db)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("needs a terminal"), "{args:?}: {err}");
        assert!(started.elapsed() < Duration::from_secs(10));
    }
}

#[test]
fn demo_without_a_terminal_prints_the_tally_and_says_why() {
    let out = Command::new(BIN)
        .arg("demo")
        .arg("--lang")
        .arg("zh")
        .env_remove("JURY_DB")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("一等奖"));
    // --lang zh: the command line says it in Chinese too (issue 17).
    assert!(String::from_utf8_lossy(&out.stderr).contains("评分界面需要终端"));
}

#[test]
fn lang_accepts_only_zh_and_en() {
    let out = Command::new(BIN)
        .args(["--lang", "fr", "demo"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
}
