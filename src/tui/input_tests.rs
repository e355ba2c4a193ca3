//! The score field and the comment box (issue 11, items 3 and 4): what a typed key means, what is
//! stored, where the terminal cursor stands.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::i18n::Lang;
use super::state::*;
use super::update::Msg;
use super::view;
use crate::demo::{DEMO_JUDGE, create_demo_workspace};
use crate::store::Store;

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let store = Store::open(&path).unwrap();
    (dir, store)
}

fn logged_in<'a>(store: &'a Store, judge: &str, lang: Lang) -> App<'a> {
    let options = Options {
        judge: Some(judge.to_string()),
        trusted: true,
        ..Options::new(lang)
    };
    App::new(store, options).unwrap()
}

fn press(app: &mut App, code: KeyCode) {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn render(app: &mut App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal
}

fn message(app: &App) -> String {
    app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default()
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
