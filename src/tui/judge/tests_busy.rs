//! Issue 12 item 8: the judges' screen while another process holds the write lock, and when the
//! workspace file is deleted or replaced under it. Plain messages in, state and database out.

use crate::tui::test_support::{Driven, message, press, type_text};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::*;
use super::update::Msg;
use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
use crate::core::Points;
use crate::i18n::judge::Lang;
use crate::store::Store;

fn logged_in(store: &Store) -> Driven<'_> {
    let options = Options {
        judge: Some(DEMO_JUDGE.to_string()),
        trusted: true,
        ..Options::new(Lang::Zh)
    };
    Driven::new(store, options).unwrap()
}

#[test]
fn a_value_typed_while_another_writer_holds_the_lock_waits_and_is_saved_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let store = Store::open(&path).unwrap();
    let mut app = logged_in(&store);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Entry);

    // Another process (an import, or one stopped with SIGSTOP) holds the write lock.
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    type_text(&mut app, "25");
    let started = std::time::Instant::now();
    press(&mut app, KeyCode::Tab);
    assert!(
        started.elapsed() < std::time::Duration::from_secs(5),
        "the screen never freezes"
    );
    assert!(message(&app).starts_with("正在等待写入…"), "{}", message(&app));
    assert!(!message(&app).contains("已保存"), "{}", message(&app));
    let open = app.open.as_ref().unwrap();
    assert_eq!(
        (open.input.as_str(), open.dirty, open.criterion),
        ("25", true, 0),
        "kept, not moved on"
    );
    assert_eq!(open.error, None, "not shown as a wrong value");
    assert_eq!(app.waiting, Some(Waiting::Field));
    // Ticks retry; still held: still waiting, still kept.
    app.update(Msg::Tick);
    assert_eq!(app.open.as_ref().unwrap().input, "25");
    assert!(message(&app).starts_with("正在等待写入…"));
    // Esc does not throw the waiting value away either, nor does a first Ctrl+C.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::Entry);
    assert_eq!(app.open.as_ref().unwrap().input, "25");
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL)));
    assert!(!app.quit);
    assert!(message(&app).contains("再按一次 Ctrl+C"), "{}", message(&app));
    assert_eq!(app.open.as_ref().unwrap().input, "25");
    drop(other); // the other writer ends (its transaction is rolled back)
    assert_eq!(store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(), None);
    app.update(Msg::Tick);
    assert_eq!(app.waiting, None);
    assert!(message(&app).contains("已保存"), "{}", message(&app));
    assert_eq!(
        store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(),
        Some(Points::from_int(25))
    );
}

#[test]
fn a_replaced_workspace_stops_the_screen_from_saving() {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let copy = dir.path().join("copy.jury");
    std::fs::copy(&path, &copy).unwrap();
    let store = Store::open(&path).unwrap();
    let mut app = logged_in(&store);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "25");
    press(&mut app, KeyCode::Tab);
    assert!(message(&app).contains("已保存"));
    // Someone restores "a backup" over the open workspace.
    std::fs::rename(&copy, &path).unwrap();
    type_text(&mut app, "20");
    press(&mut app, KeyCode::Tab);
    assert!(!message(&app).contains("已保存"), "{}", message(&app));
    assert!(message(&app).contains("工作区文件已被删除或替换"), "{}", message(&app));
    assert!(app.gone);
    type_text(&mut app, "18");
    press(&mut app, KeyCode::Enter);
    assert!(message(&app).contains("工作区文件已被删除或替换"));
    let now = Store::open(&path).unwrap();
    assert_eq!(now.score(DEMO_JUDGE, "JS001", "lesson", "method").unwrap(), None);
}

#[test]
fn a_deleted_workspace_is_noticed_on_the_tick() {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let store = Store::open(&path).unwrap();
    let mut app = logged_in(&store);
    std::fs::remove_file(&path).unwrap();
    app.update(Msg::Tick);
    assert!(app.gone);
    assert!(message(&app).contains("工作区文件已被删除或替换"), "{}", message(&app));
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::List, "nothing more is accepted");
}

/// Issue 17: a failure of the workspace underneath (not a refusal of the rules) is said in the
/// screen's language, from the typed error: never the library's English.
#[test]
fn a_storage_failure_is_said_in_the_screens_language() {
    use super::effects::Outcome;
    use crate::Error;
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let store = Store::open(&path).unwrap();
    let mut app = logged_in(&store);
    let corrupt = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CORRUPT), None);
    let locked = rusqlite::Error::SqliteFailure(rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY), None);
    let cases: Vec<(Error, &str)> = vec![
        (
            Error::DiskFull {
                path: "room.jury".into(),
                message: "database or disk is full".into(),
            },
            "操作失败：磁盘已满：room.jury 无法增大（database or disk is full）；没有保存任何内容。\
             请在该磁盘上腾出空间后重试；此前保存的内容完好",
        ),
        (
            Error::ReadOnlyFile {
                path: "room.jury".into(),
            },
            "操作失败：工作区 room.jury 对您是只读的，无法保存",
        ),
        (Error::Sqlite(corrupt), "操作失败：工作区文件已损坏或不是 jury 工作区"),
        (
            Error::Sqlite(locked),
            "操作失败：工作区正被另一个 jury 进程写入（已锁定）",
        ),
        (
            Error::Io(std::io::Error::from(std::io::ErrorKind::PermissionDenied)),
            "操作失败：没有权限（系统信息：",
        ),
        (crate::core::refusal::ServeRefusal::WriterGone.into(), "操作失败："),
    ];
    for (error, zh) in cases {
        let english = error.to_string();
        app.outcome(Outcome::Broken(error.into()));
        let shown = message(&app);
        assert!(shown.starts_with(zh), "{shown}");
        assert_ne!(shown, format!("操作失败：{english}"), "not the English");
    }
}
