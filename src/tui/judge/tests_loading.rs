//! The list's first page first, the rest read behind it (issue 18): what the screen shows and does
//! while the list loads. Plain outcomes in (the state machine), then the real runner on the cases
//! fixture (the loader thread), and the frame while loading (TestBackend).

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effects::{Effect, Outcome};
use super::state::*;
use super::tests::cases;
use super::update::Msg;
use crate::app::judging::{EntryRow, JudgeSession, SheetProgress, Start, Welcome};
use crate::core::rubric::{parse_rubric, template_source};
use crate::core::{Entry, Judge};
use crate::i18n::judge::Lang;
use crate::store::Store;
use crate::tui::test_support::{Driven, press, render, screen, type_text};

fn judge() -> Judge {
    Judge {
        id: "PW01".to_string(),
        name: "评委一".to_string(),
        organization: String::new(),
        county: String::new(),
    }
}

/// The cases rubric, nobody logged in.
fn cases_screen() -> App {
    let (file, source) = template_source("cases").unwrap();
    let welcome = Welcome {
        rubric: parse_rubric(file, source).unwrap(),
        judges: vec![judge()],
        workspace: "plain.jury".to_string(),
    };
    App::new(welcome, Options::new(Lang::Zh)).unwrap()
}

fn rows_of(app: &App, ids: &[&str]) -> Vec<EntryRow> {
    ids.iter()
        .map(|id| EntryRow {
            entry: Entry {
                id: id.to_string(),
                group: Some(app.rubric.groups[usize::from(id.starts_with('B'))].clone()),
                title: format!("案例{id}"),
                ..Entry::default()
            }
            .into(),
            rounds: vec![SheetProgress::NotStarted; app.rubric.rounds.len()].into(),
            conflict: None,
            calibration: false,
            withdrawn: None,
        })
        .collect()
}

fn start(app: &App, head: i64, ids: &[&str]) -> Box<Start> {
    Box::new(Start {
        judge: judge(),
        version: 7,
        head,
        rows: rows_of(app, ids),
    })
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn selected_id(app: &App) -> Option<String> {
    let tab = app.tabs.get(app.list.tab)?;
    let row = *tab.rows.get(app.list.selected)?;
    Some(app.rows[row].entry.id().to_string())
}

#[test]
fn keys_needing_the_whole_list_wait_for_it_and_are_pressed_in_order_once_it_is_in() {
    let mut app = cases_screen();
    assert_eq!(
        app.outcome(Outcome::FirstPage(start(&app, 3, &["A1", "A2", "A3"]))),
        vec![]
    );
    assert!(app.loading);
    assert_eq!(app.screen, Screen::List);
    // While it loads, the tick asks for the list, not for changes of the workspace.
    assert_eq!(app.update(Msg::Tick), vec![Effect::TakeList]);
    assert_eq!(app.outcome(Outcome::ListLoading), vec![]);
    // Up and down act on the first page at once.
    assert_eq!(key(&mut app, KeyCode::Down), vec![]);
    assert_eq!(selected_id(&app).as_deref(), Some("A2"));
    // The search needs the whole list: held, and so is every key after it (`q` is typed into
    // the search, not a quit).
    assert_eq!(key(&mut app, KeyCode::Char('/')), vec![]);
    assert_eq!(app.screen, Screen::List);
    assert_eq!(key(&mut app, KeyCode::Char('q')), vec![]);
    assert!(!app.quit);
    assert_eq!(app.held.len(), 2);
    assert_eq!(
        app.message.as_ref().map(|m| m.text.as_str()),
        Some("正在载入列表：2 个按键等列表载入后执行")
    );
    // The whole list (an entry added in front meanwhile): the selected entry stays selected by
    // id, the workspace is looked at from the list's audit row on, the held keys are pressed.
    let effects = app.outcome(Outcome::ListLoaded(start(&app, 5, &["A0", "A1", "A2", "A3", "B1"])));
    assert_eq!(effects, vec![Effect::Poll { version: None, seen: 5 }]);
    assert!(!app.loading);
    assert!(app.held.is_empty());
    assert_eq!(app.rows.len(), 5);
    assert_eq!(selected_id(&app).as_deref(), Some("A2"));
    assert_eq!(app.screen, Screen::Search);
    assert_eq!(app.search.query, "q");
    assert_eq!(app.message, None, "the waiting line is gone");
    // From now on the tick looks at the workspace again.
    assert_eq!(app.update(Msg::Tick), vec![Effect::Poll { version: None, seen: 5 }]);
}

#[test]
fn the_login_lists_search_keys_are_built_only_once_the_login_list_is_drawn_or_searched() {
    // A judge already in (the demo, the start-up probe): the login list is never drawn, its
    // keys never built, before the first frame or after it.
    let mut app = cases_screen();
    assert!(!app.login.keys_built());
    app.outcome(Outcome::FirstPage(start(&app, 3, &["A1", "A2"])));
    let term = render(&mut app, 80, 24);
    assert!(screen(&term).contains("A1"));
    assert!(!app.login.keys_built());
    // The login list drawn: the keys are built, and the filter finds the judge by id.
    let mut app = cases_screen();
    assert!(!app.login.keys_built());
    let term = render(&mut app, 80, 24);
    assert!(screen(&term).contains("评委一"));
    assert!(app.login.keys_built());
    app.login.filter = "pw01".to_string();
    assert_eq!(app.login.visible(), vec![0]);
    app.login.filter = "nobody".to_string();
    assert_eq!(app.login.visible(), Vec::<usize>::new());
}

#[test]
fn the_first_page_stays_when_the_rest_cannot_be_read_and_the_held_keys_act_on_it() {
    let mut app = cases_screen();
    app.outcome(Outcome::FirstPage(start(&app, 3, &["A1", "A2"])));
    key(&mut app, KeyCode::End);
    assert_eq!(selected_id(&app).as_deref(), Some("A1"), "held");
    assert_eq!(app.update(Msg::Tick), vec![Effect::TakeList]);
    app.outcome(Outcome::Failed("disk I/O error".to_string()));
    assert!(!app.loading);
    assert_eq!(
        selected_id(&app).as_deref(),
        Some("A2"),
        "End, pressed on what there is"
    );
    assert!(app.message.as_ref().is_some_and(|m| m.text.contains("disk I/O error")));
}

fn paged<'a>(store: &'a Store, judge: &str) -> Driven<'a> {
    let options = Options {
        judge: Some(judge.to_string()),
        trusted: true,
        // The fixture's 160 entries paged as a large list would be.
        first_page_from: Some(0),
        ..Options::new(Lang::Zh)
    };
    Driven::new(store, options).unwrap()
}

/// Ticks, as the runtime gives them while the list loads, until it is in.
fn until_loaded(app: &mut Driven) {
    let started = Instant::now();
    while app.loading {
        assert!(started.elapsed() < Duration::from_secs(20), "the list never came");
        std::thread::sleep(Duration::from_millis(2));
        app.update(Msg::Tick);
    }
}

#[test]
fn the_screen_opens_on_the_first_page_of_the_list_and_takes_the_rest_from_the_loader() {
    let (_dir, store) = cases();
    let whole = JudgeSession::trusted(&store, "PW01").unwrap().entries().unwrap();
    assert_eq!(whole.len(), 160);
    let mut app = paged(&store, "PW01");
    assert!(app.loading);
    assert_eq!(app.rows[..], whole[..super::FIRST_PAGE_ROWS]);
    let frame = screen(&render(&mut app, 80, 24));
    insta::assert_snapshot!("judge_list_loading_80x24", frame);
    assert!(frame.contains("正在载入列表"), "{frame}");
    assert!(!frame.contains("已提交"), "no count before the whole list: {frame}");
    until_loaded(&mut app);
    assert_eq!(app.rows, whole);
    let frame = screen(&render(&mut app, 80, 24));
    let (done, total) = crate::app::judging::progress_of(&whole);
    assert!(frame.contains(&format!("已提交 {done}/{total}")), "{frame}");
    assert!(frame.contains("亲子沟通 (41)"), "{frame}");
    // Without the option (as under `jury serve`), the whole list at once.
    let options = Options {
        judge: Some("PW01".to_string()),
        trusted: true,
        ..Options::new(Lang::Zh)
    };
    let app = Driven::new(&store, options).unwrap();
    assert!(!app.loading);
    assert_eq!(app.rows, whole);
}

#[test]
fn a_score_typed_while_the_list_loads_is_stored_on_the_entry_the_judge_saw() {
    let (_dir, store) = cases();
    let mut app = paged(&store, "PW01");
    assert!(app.loading);
    press(&mut app, KeyCode::Down);
    let seen = app.rows[1].entry.id().to_string();
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Entry);
    assert_eq!(app.open.as_ref().unwrap().entry.id, seen);
    type_text(&mut app, "12");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        store.score("PW01", &seen, "review", "background").unwrap(),
        Some(crate::core::Points::parse("12").unwrap())
    );
    until_loaded(&mut app);
    // The list read behind may predate the score: the look at the workspace it asks for puts
    // the row right.
    let row = app.rows.iter().find(|r| r.entry.id() == seen).unwrap();
    assert_eq!(row.rounds[0], SheetProgress::Draft);
    assert_eq!(app.open.as_ref().unwrap().entry.id, seen, "the entry stays open");
}
