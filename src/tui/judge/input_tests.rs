//! The score field and the comment box (issue 11, items 3 and 4): what a typed key means, what is
//! stored, where the terminal cursor stands.

use crate::tui::test_support::{Driven, message, press, render, type_text};
use ratatui::backend::Backend;
use ratatui::crossterm::event::KeyCode;

use super::state::*;
use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
use crate::i18n::judge::Lang;
use crate::store::Store;

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let store = Store::open(&path).unwrap();
    (dir, store)
}

fn logged_in<'a>(store: &'a Store, judge: &str, lang: Lang) -> Driven<'a> {
    let options = Options {
        judge: Some(judge.to_string()),
        trusted: true,
        ..Options::new(lang)
    };
    Driven::new(store, options).unwrap()
}

fn field(app: &App) -> String {
    app.open.as_ref().unwrap().input.clone()
}

// ---- item 3: a score is exactly what the importer would accept ----

#[test]
fn a_decimal_comma_stays_in_the_field_and_nothing_is_stored() {
    for (lang, want) in [
        (Lang::Zh, "\"2,5\" 不是数字（小数点请用 .）"),
        (Lang::En, "\"2,5\" is not a number (use . for the decimal point)"),
    ] {
        let (_dir, store) = demo();
        let mut app = logged_in(&store, DEMO_JUDGE, lang);
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.open.as_ref().unwrap().entry.id, "JS001");
        type_text(&mut app, "2,5");
        assert_eq!(field(&app), "2,5", "the comma is shown, not dropped");
        assert_eq!(
            app.open.as_ref().unwrap().error.as_deref(),
            Some(want),
            "refused while typing"
        );
        press(&mut app, KeyCode::Tab);
        assert_eq!(
            app.open.as_ref().unwrap().criterion,
            0,
            "the focus stays on the refused field"
        );
        assert_eq!(field(&app), "2,5");
        assert_eq!(message(&app), want);
        assert_eq!(store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(), None);
        assert_eq!(store.sheet(DEMO_JUDGE, "JS001", "lesson").unwrap(), None);
        let screen = crate::tui::test_support::screen(&render(&mut app, 80, 24));
        assert!(screen.contains(want), "{screen}");
    }
}

#[test]
fn a_space_or_a_percent_sign_is_refused_never_dropped() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE, Lang::Zh);
    press(&mut app, KeyCode::Enter);
    for typed in ["1 5", "50%", "8,5", "+3"] {
        press(&mut app, KeyCode::Delete);
        type_text(&mut app, typed);
        assert_eq!(field(&app), typed);
        press(&mut app, KeyCode::Tab);
        assert!(message(&app).contains("不是数字"), "{typed}: {}", message(&app));
        assert_eq!(app.open.as_ref().unwrap().criterion, 0, "{typed}");
        assert_eq!(
            store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(),
            None,
            "{typed}"
        );
    }
    // A valid value after the refusals is stored as typed.
    press(&mut app, KeyCode::Delete);
    type_text(&mut app, "２５。５");
    press(&mut app, KeyCode::Tab);
    assert_eq!(
        store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(),
        Some(crate::core::Points::parse("25.5").unwrap())
    );
}

// ---- item 4: comments belong to the sheet ----

fn comment_box(app: &App) -> CommentBox {
    match &app.overlay {
        Some(Overlay::Comment(c)) => c.clone(),
        other => panic!("no comment box: {other:?}"),
    }
}

fn open_comment(store: &Store, lang: Lang) -> Driven<'_> {
    let mut app = logged_in(store, DEMO_JUDGE, lang);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.open.as_ref().unwrap().entry.id, "JS001");
    press(&mut app, KeyCode::F(4));
    app
}

#[test]
fn the_comment_box_moves_and_deletes_at_the_cursor_by_grapheme() {
    let (_dir, store) = demo();
    let mut app = open_comment(&store, Lang::Zh);
    assert!(!comment_box(&app).read_only);
    type_text(&mut app, "表达清楚");
    assert_eq!(comment_box(&app).input.cursor(), 4);
    press(&mut app, KeyCode::Home);
    press(&mut app, KeyCode::Right);
    assert_eq!(
        comment_box(&app).input.visual_cursor(),
        2,
        "a Chinese character is two columns"
    );
    press(&mut app, KeyCode::Delete);
    assert_eq!(
        comment_box(&app).text(),
        "表清楚",
        "Delete takes the character after the cursor"
    );
    assert_eq!(comment_box(&app).input.cursor(), 1);
    press(&mut app, KeyCode::End);
    press(&mut app, KeyCode::Backspace);
    assert_eq!(comment_box(&app).text(), "表清");
    press(&mut app, KeyCode::Left);
    type_text(&mut app, "很");
    assert_eq!(comment_box(&app).text(), "表很清", "typing inserts at the cursor");
    // A letter with a combining accent is one grapheme: one Left steps over it.
    press(&mut app, KeyCode::End);
    type_text(&mut app, "e\u{301}x");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Backspace);
    assert_eq!(comment_box(&app).text(), "表很e\u{301}x");
    // Letters are text here, not keys ('q' does not quit, 'c' does not reopen the box).
    type_text(&mut app, "qc");
    assert!(!app.quit);
    assert_eq!(comment_box(&app).text(), "表很qce\u{301}x");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.overlay, None);
    assert_eq!(
        store.comment(DEMO_JUDGE, "JS001").unwrap().as_deref(),
        Some("表很qce\u{301}x")
    );
    assert_eq!(app.open.as_ref().unwrap().comment, "表很qce\u{301}x");
}

#[test]
fn the_terminal_cursor_stands_at_the_insertion_point() {
    let (_dir, store) = demo();
    let mut app = open_comment(&store, Lang::Zh);
    type_text(&mut app, "表达清楚");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    let mut terminal = render(&mut app, 80, 24);
    let (x, y) = crate::tui::test_support::find(terminal.backend().buffer(), "表达清楚").unwrap();
    assert_eq!(
        terminal.backend_mut().get_cursor_position().unwrap(),
        ratatui::layout::Position::new(x + 4, y),
        "after 表达, two columns each"
    );
    // A long comment wraps; the cursor follows onto the second line. At 80 columns the box holds
    // 68 columns of text: 34 Chinese characters a line.
    press(&mut app, KeyCode::End);
    type_text(&mut app, &"好".repeat(36));
    let mut terminal = render(&mut app, 80, 24);
    let (x2, y2) = crate::tui::test_support::find(terminal.backend().buffer(), "表达清楚").unwrap();
    assert_eq!(x2, x, "the box grows a line (and stays centred), its left edge stays");
    let second = crate::tui::test_support::lines(terminal.backend().buffer())[usize::from(y2) + 1].clone();
    assert_eq!(second.trim().chars().filter(|c| *c == '好').count(), 6, "{second}");
    assert_eq!(
        terminal.backend_mut().get_cursor_position().unwrap(),
        ratatui::layout::Position::new(x2 + 12, y2 + 1)
    );
    // Home puts it back at the start of the text.
    press(&mut app, KeyCode::Home);
    let mut terminal = render(&mut app, 120, 40);
    let (x3, y3) = crate::tui::test_support::find(terminal.backend().buffer(), "表达清楚").unwrap();
    assert_eq!(
        terminal.backend_mut().get_cursor_position().unwrap(),
        ratatui::layout::Position::new(x3, y3)
    );
}

#[test]
fn the_comment_is_read_only_once_every_round_is_submitted_and_editable_after_a_reopen() {
    let (_dir, store) = demo();
    let session = crate::app::judging::JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
    session.set_comment("JS001", "表达清楚").unwrap();
    let rounds: Vec<String> = session.rubric().unwrap().rounds.iter().map(|r| r.id.clone()).collect();
    for r in &session.rubric().unwrap().rounds {
        for c in &r.criteria {
            session.set_score("JS001", &r.id, &c.id, "0").unwrap();
        }
        session.submit("JS001", &r.id).unwrap();
    }
    for (lang, mark) in [(Lang::Zh, "只读"), (Lang::En, "read-only")] {
        let mut app = open_comment(&store, lang);
        let comment = comment_box(&app);
        assert!(comment.read_only);
        assert_eq!(comment.text(), "表达清楚");
        let screen = crate::tui::test_support::screen(&render(&mut app, 80, 24));
        assert!(screen.contains(mark), "{screen}");
        assert!(screen.contains("表达清楚"), "{screen}");
        // Typing changes nothing; Enter closes without a write.
        type_text(&mut app, "改");
        press(&mut app, KeyCode::Backspace);
        assert_eq!(comment_box(&app).text(), "表达清楚");
        let audited = store.audit_log(Some("JS001"), Some(DEMO_JUDGE)).unwrap().len();
        press(&mut app, KeyCode::Enter);
        assert_eq!(app.overlay, None);
        assert_eq!(store.audit_log(Some("JS001"), Some(DEMO_JUDGE)).unwrap().len(), audited);
    }
    // The organiser reopens one round: the comment can be changed again.
    crate::app::organiser::reopen(
        &store,
        &crate::store::Actor::Organiser,
        DEMO_JUDGE,
        "JS001",
        &rounds[1],
        "评委误填",
    )
    .unwrap();
    let mut app = open_comment(&store, Lang::Zh);
    assert!(!comment_box(&app).read_only);
    type_text(&mut app, "，节奏好");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        store.comment(DEMO_JUDGE, "JS001").unwrap().as_deref(),
        Some("表达清楚，节奏好")
    );
}
