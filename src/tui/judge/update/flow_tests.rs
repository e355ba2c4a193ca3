//! Issue 11, items 1, 2 and 5: the stage never pulls a judge off an unfinished sheet, a commit
//! goes where the value was typed, Esc abandons an edit, an emptied field clears the criterion,
//! and the judge is told what the organiser did (reopen, read-only key bar, the key bar at 80
//! columns). Plain messages in; what is stored and what is drawn out.

use crate::tui::test_support::{Driven, ctrl, message, press, type_text};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;

use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
use crate::app::stage;
use crate::core::Points;
use crate::store::{Actor, SheetStatus, Store};
use crate::tui::state::*;
use crate::tui::{Lang, Msg, Options};

fn demo() -> (tempfile::TempDir, Store, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    // The judge's connection and the organiser's, as two processes would have.
    (dir, Store::open(&path).unwrap(), Store::open(&path).unwrap())
}

fn judge_app(store: &Store, lang: Lang) -> Driven<'_> {
    let options = Options {
        judge: Some(DEMO_JUDGE.to_string()),
        trusted: true,
        ..Options::new(lang)
    };
    Driven::new(store, options).unwrap()
}

fn screen_text(app: &mut App, w: u16, h: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| crate::tui::view::draw(f, app)).unwrap();
    crate::tui::test_support::screen(&terminal)
}

/// The bottom line (the key bar) as drawn.
fn key_bar(app: &mut App, w: u16, h: u16) -> String {
    screen_text(app, w, h).lines().last().unwrap_or_default().to_string()
}

fn on_screen(app: &App) -> Option<(String, usize)> {
    app.open.as_ref().map(|o| (o.entry.id.clone(), o.round))
}

fn pts(s: &str) -> Points {
    Points::parse(s).unwrap()
}

fn score(store: &Store, entry: &str, round: &str, criterion: &str) -> Option<Points> {
    store.score(DEMO_JUDGE, entry, round, criterion).unwrap()
}

// ---- item 1: the stage never pulls a judge off an unfinished sheet ----

#[test]
fn a_draft_sheet_stays_when_the_stage_moves_and_f6_goes_there() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, store, organiser) = demo();
        let mut app = judge_app(&store, lang);
        stage::set(&organiser, &Actor::Organiser, "JS002", "lesson").unwrap();
        app.update(Msg::Tick);
        assert_eq!(on_screen(&app), Some(("JS002".into(), 0)));
        type_text(&mut app, "20");
        press(&mut app, KeyCode::Tab);
        // The sheet is a draft now; the organiser moves on.
        stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
        app.update(Msg::Tick);
        assert_eq!(on_screen(&app), Some(("JS002".into(), 0)), "a draft sheet stays");
        let (line, go) = match lang {
            Lang::Zh => ("现在上场：3 JS003 廖伟宇 一通深夜的电话，按 F6 前往", "F6/Ctrl-G 前往"),
            Lang::En => (
                "Now on stage: 3 JS003 廖伟宇 一通深夜的电话; F6 goes there",
                "F6/Ctrl-G go",
            ),
        };
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let text = screen_text(&mut app, w, h);
            assert!(text.contains(line), "{w}x{h}\n{text}");
            let bar = key_bar(&mut app, w, h);
            assert!(bar.contains(go), "{w}x{h}: {bar}");
            assert!(!bar.contains('~'), "{bar}");
            if lang == Lang::Zh {
                insta::assert_snapshot!(format!("stage_waiting_{w}x{h}"), text);
            }
        }
        type_text(&mut app, "21");
        press(&mut app, KeyCode::Tab);
        assert_eq!(on_screen(&app), Some(("JS002".into(), 0)));
        assert_eq!(score(&store, "JS002", "lesson", "content"), Some(pts("20")));
        assert_eq!(score(&store, "JS002", "lesson", "method"), Some(pts("21")));
        assert_eq!(
            store.sheet(DEMO_JUDGE, "JS003", "lesson").unwrap(),
            None,
            "nothing on JS003"
        );
        // The message of the save does not hide where the stage is.
        let text = screen_text(&mut app, 80, 24);
        assert!(text.contains(line), "{text}");
        // F6 goes there.
        press(&mut app, KeyCode::F(6));
        assert_eq!(on_screen(&app), Some(("JS003".into(), 0)));
        assert!(!screen_text(&mut app, 80, 24).contains(go));
    }
}

#[test]
fn a_value_in_the_field_keeps_the_judge_even_on_an_untouched_sheet() {
    let (_dir, store, organiser) = demo();
    let mut app = judge_app(&store, Lang::Zh);
    stage::set(&organiser, &Actor::Organiser, "JS002", "lesson").unwrap();
    app.update(Msg::Tick);
    // A stage change arrives between two keystrokes of one value.
    press(&mut app, KeyCode::Char('2'));
    stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
    app.update(Msg::Tick);
    press(&mut app, KeyCode::Char('0'));
    press(&mut app, KeyCode::Tab);
    assert_eq!(score(&store, "JS002", "lesson", "content"), Some(pts("20")));
    assert_eq!(on_screen(&app), Some(("JS002".into(), 0)), "a draft now: stays");
    // And the next value, with another refresh (the organiser changes the round) in between.
    press(&mut app, KeyCode::Char('1'));
    stage::set_round(&organiser, &Actor::Organiser, "analysis").unwrap();
    app.update(Msg::Tick);
    press(&mut app, KeyCode::Char('9'));
    press(&mut app, KeyCode::Tab);
    assert_eq!(score(&store, "JS002", "lesson", "method"), Some(pts("19")));
    assert_eq!(store.sheet(DEMO_JUDGE, "JS003", "lesson").unwrap(), None);
    assert_eq!(store.sheet(DEMO_JUDGE, "JS003", "analysis").unwrap(), None);
    assert_eq!(on_screen(&app), Some(("JS002".into(), 0)));
    // Ctrl-G: the typed value is stored where it was typed, then the judge goes.
    type_text(&mut app, "15");
    ctrl(&mut app, 'g');
    assert_eq!(score(&store, "JS002", "lesson", "expression"), Some(pts("15")));
    assert_eq!(on_screen(&app), Some(("JS003".into(), 1)));
}

#[test]
fn a_round_change_keeps_a_judge_on_a_draft_sheet() {
    let (_dir, store, organiser) = demo();
    let mut app = judge_app(&store, Lang::En);
    stage::set(&organiser, &Actor::Organiser, "JS004", "lesson").unwrap();
    app.update(Msg::Tick);
    type_text(&mut app, "25");
    press(&mut app, KeyCode::Tab);
    stage::set_round(&organiser, &Actor::Organiser, "analysis").unwrap();
    app.update(Msg::Tick);
    assert_eq!(on_screen(&app), Some(("JS004".into(), 0)));
    let text = screen_text(&mut app, 80, 24);
    assert!(
        text.contains("Now on stage: 4 JS004") && text.contains("(案例分析); F6 goes there"),
        "{text}"
    );
}

#[test]
fn untouched_and_submitted_sheets_the_list_and_the_reader_follow() {
    let (_dir, store, organiser) = demo();
    let mut app = judge_app(&store, Lang::Zh);
    stage::set(&organiser, &Actor::Organiser, "JS001", "lesson").unwrap();
    app.update(Msg::Tick);
    for v in ["25", "24", "18", "17"] {
        type_text(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::F(10));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        store.sheet(DEMO_JUDGE, "JS001", "lesson").unwrap().unwrap().status,
        SheetStatus::Submitted
    );
    // Submitted: follows.
    stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
    app.update(Msg::Tick);
    assert_eq!(on_screen(&app), Some(("JS002".into(), 0)));
    // Untouched: follows.
    stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
    app.update(Msg::Tick);
    assert_eq!(on_screen(&app), Some(("JS003".into(), 0)));
    // A draft, but the judge is in the reader: follows.
    type_text(&mut app, "20");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::F(2));
    assert_eq!(app.open.as_ref().unwrap().focus, Pane::Reader);
    stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
    app.update(Msg::Tick);
    assert_eq!(on_screen(&app), Some(("JS004".into(), 0)));
    // A draft left for the list: on the list, the judge follows.
    type_text(&mut app, "20");
    press(&mut app, KeyCode::Tab);
    stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
    app.update(Msg::Tick);
    assert_eq!(on_screen(&app), Some(("JS004".into(), 0)), "draft: stays");
    press(&mut app, KeyCode::Esc);
    assert_eq!(on_screen(&app), Some(("JS005".into(), 0)), "back on the list: follows");
}

// ---- item 2: Esc abandons an edit ----

#[test]
fn esc_restores_the_stored_value_and_says_so() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, store, _organiser) = demo();
        let mut app = judge_app(&store, lang);
        press(&mut app, KeyCode::Enter);
        type_text(&mut app, "25.5");
        press(&mut app, KeyCode::Tab);
        press(&mut app, KeyCode::Up);
        type_text(&mut app, "2");
        press(&mut app, KeyCode::Esc);
        assert_eq!(score(&store, "JS001", "lesson", "content"), Some(pts("25.5")));
        let o = app.open.as_ref().expect("still on the sheet");
        assert_eq!(o.input, "25.5");
        assert!(!o.dirty);
        let said = match lang {
            Lang::Zh => "已撤销修改，内容设计 仍为 25.5",
            Lang::En => "Change undone: 内容设计 stays 25.5",
        };
        assert_eq!(message(&app), said);
        // A second Esc leaves the sheet.
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.screen, Screen::List);
        assert_eq!(score(&store, "JS001", "lesson", "content"), Some(pts("25.5")));
    }
}

#[test]
fn emptying_a_field_then_tab_clears_the_criterion_with_an_audit_row() {
    let (_dir, store, _organiser) = demo();
    let mut app = judge_app(&store, Lang::Zh);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "25.5");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Up);
    for _ in 0..4 {
        press(&mut app, KeyCode::Backspace);
    }
    assert_eq!(app.open.as_ref().unwrap().input, "");
    press(&mut app, KeyCode::Tab);
    assert_eq!(score(&store, "JS001", "lesson", "content"), None);
    assert_eq!(message(&app), "已清除 内容设计");
    let log = store.audit_log(Some("JS001"), Some(DEMO_JUDGE)).unwrap();
    let last = log.last().unwrap();
    assert_eq!(last.action, "score");
    assert_eq!(last.old_value.as_deref(), Some("25.5"));
    assert_eq!(last.new_value, None);
    // Emptying a field that holds nothing stores nothing and writes no audit row.
    let rows = log.len();
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Delete);
    press(&mut app, KeyCode::Tab);
    assert_eq!(store.audit_log(Some("JS001"), Some(DEMO_JUDGE)).unwrap().len(), rows);
    // On an untouched sheet, too: no sheet is created.
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Char('3'));
    press(&mut app, KeyCode::Backspace);
    press(&mut app, KeyCode::Tab);
    assert_eq!(store.sheet(DEMO_JUDGE, "JS001", "analysis").unwrap(), None);
}

#[test]
fn clear_score_is_refused_on_a_submitted_sheet() {
    let (_dir, store, _organiser) = demo();
    let s = crate::app::judging::JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
    for (c, v) in [
        ("content", "25"),
        ("method", "24"),
        ("expression", "18"),
        ("effect", "17"),
    ] {
        s.set_score("JS001", "lesson", c, v).unwrap();
    }
    assert!(s.clear_score("JS001", "lesson", "effect").unwrap());
    assert!(
        !s.clear_score("JS001", "lesson", "effect").unwrap(),
        "nothing left to clear"
    );
    s.set_score("JS001", "lesson", "effect", "17").unwrap();
    s.submit("JS001", "lesson").unwrap();
    let before = store.audit_log(None, Some(DEMO_JUDGE)).unwrap().len();
    assert!(matches!(
        s.clear_score("JS001", "lesson", "effect"),
        Err(crate::app::judging::JudgeError::Refused(
            crate::app::judging::Refusal::Submitted
        ))
    ));
    assert_eq!(score(&store, "JS001", "lesson", "effect"), Some(pts("17")));
    assert_eq!(store.audit_log(None, Some(DEMO_JUDGE)).unwrap().len(), before);
}

#[test]
fn quitting_saves_a_valid_pending_value_and_says_so() {
    let (_dir, store, _organiser) = demo();
    let mut app = judge_app(&store, Lang::Zh);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "20");
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
    assert_eq!(score(&store, "JS001", "lesson", "content"), Some(pts("20")));
    assert_eq!(app.exit_note.as_deref(), Some("已保存 内容设计 = 20"));
    // Ctrl-C with an invalid value: nothing stored, and the judge is told.
    let mut app = judge_app(&store, Lang::En);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "31");
    ctrl(&mut app, 'c');
    assert!(app.quit);
    assert_eq!(score(&store, "JS001", "lesson", "method"), None);
    assert_eq!(app.exit_note.as_deref(), Some("Not saved: 31 is over the maximum 30"));
}

// ---- item 5: the judge is told what the organiser did ----

fn submit_js001_lesson(app: &mut Driven) {
    press(app, KeyCode::Enter);
    for v in ["25", "24", "18", "17"] {
        type_text(app, v);
        press(app, KeyCode::Tab);
    }
    press(app, KeyCode::F(10));
    press(app, KeyCode::Char('y'));
}

#[test]
fn a_reopened_sheet_says_why_and_puts_the_cursor_on_the_first_criterion() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, store, organiser) = demo();
        let mut app = judge_app(&store, lang);
        submit_js001_lesson(&mut app);
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Down);
        assert_eq!(app.open.as_ref().unwrap().criterion, 2);
        let stale = match lang {
            Lang::Zh => "「现场说课」已提交",
            Lang::En => "\"现场说课\" submitted",
        };
        assert!(screen_text(&mut app, 80, 24).contains(stale));
        crate::app::organiser::reopen(&organiser, &Actor::Organiser, DEMO_JUDGE, "JS001", "lesson", "评委误填")
            .unwrap();
        app.update(Msg::Tick);
        let said = match lang {
            Lang::Zh => "组织者已重新开放「现场说课」：评委误填",
            Lang::En => "The organiser reopened \"现场说课\": 评委误填",
        };
        assert_eq!(message(&app), said);
        let o = app.open.as_ref().unwrap();
        assert_eq!((o.round, o.criterion), (0, 0), "none empty: the first criterion");
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let text = screen_text(&mut app, w, h);
            assert!(text.contains(said), "{w}x{h}\n{text}");
            assert!(!text.contains(stale), "{w}x{h}\n{text}");
        }
        // The judge can correct it now.
        type_text(&mut app, "26");
        press(&mut app, KeyCode::Tab);
        assert_eq!(score(&store, "JS001", "lesson", "content"), Some(pts("26")));
        // Opening the reopened sheet later from the list says it too.
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.screen, Screen::List);
        press(&mut app, KeyCode::Enter);
        assert_eq!(message(&app), said);
    }
}

#[test]
fn the_first_empty_criterion_gets_the_cursor_on_a_reopened_sheet() {
    let (_dir, store, organiser) = demo();
    let mut app = judge_app(&store, Lang::Zh);
    submit_js001_lesson(&mut app);
    crate::app::organiser::reopen(&organiser, &Actor::Organiser, DEMO_JUDGE, "JS001", "lesson", "评委误填").unwrap();
    app.update(Msg::Tick);
    // The judge clears the third value and leaves; opening again goes to it.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Delete);
    press(&mut app, KeyCode::Tab);
    assert_eq!(score(&store, "JS001", "lesson", "expression"), None);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Enter);
    let o = app.open.as_ref().unwrap();
    assert_eq!((o.round, o.criterion), (0, 2));
}

#[test]
fn a_read_only_sheet_has_no_submit_key_and_the_bar_fits_80_columns() {
    for lang in [Lang::Zh, Lang::En] {
        let (_dir, store, _organiser) = demo();
        let mut app = judge_app(&store, lang);
        press(&mut app, KeyCode::Enter);
        let (submit, back, help) = match lang {
            Lang::Zh => ("F10 提交", "Esc 返回", "? 帮助"),
            Lang::En => ("F10 submit", "Esc back", "? help"),
        };
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let bar = key_bar(&mut app, w, h);
            assert!(bar.contains(submit), "{w}x{h}: {bar}");
            assert!(bar.contains(back), "{w}x{h}: {bar}");
            assert!(bar.contains(help), "{w}x{h}: {bar}");
            assert!(!bar.contains('~'), "no word is cut: {bar}");
            assert!(crate::core::text::width(&bar) <= usize::from(w), "{bar}");
        }
        for v in ["25", "24", "18", "17"] {
            type_text(&mut app, v);
            press(&mut app, KeyCode::Tab);
        }
        press(&mut app, KeyCode::F(10));
        press(&mut app, KeyCode::Char('y'));
        for (w, h) in [(80u16, 24u16), (120, 40)] {
            let bar = key_bar(&mut app, w, h);
            assert!(!bar.contains(submit), "read-only {w}x{h}: {bar}");
            assert!(bar.contains(back) && bar.contains(help), "{w}x{h}: {bar}");
        }
        // The reader and the list keep the important keys at 80 columns too.
        press(&mut app, KeyCode::F(2));
        let bar = key_bar(&mut app, 80, 24);
        assert!(bar.contains(back) && bar.contains(help) && !bar.contains('~'), "{bar}");
        press(&mut app, KeyCode::Esc);
        let bar = key_bar(&mut app, 80, 24);
        assert!(bar.contains(help) && !bar.contains('~'), "{bar}");
    }
}

#[test]
fn a_sheet_reopened_while_the_judge_is_on_the_list_is_named_on_the_list() {
    let (_dir, store, organiser) = demo();
    let mut app = judge_app(&store, Lang::Zh);
    submit_js001_lesson(&mut app);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::List);
    assert_eq!(message(&app), "「现场说课」已提交");
    crate::app::organiser::reopen(&organiser, &Actor::Organiser, DEMO_JUDGE, "JS001", "lesson", "评委误填").unwrap();
    app.update(Msg::Tick);
    assert_eq!(message(&app), "组织者已重新开放「JS001 现场说课」：评委误填");
    let text = screen_text(&mut app, 80, 24);
    assert!(!text.contains("「现场说课」已提交"), "{text}");
}
