//! The judges' screen as a pure state machine: plain values in (keys, outcomes), effects and state
//! out. No workspace file and no runner: whatever the screen shows as saved, it was told so by an
//! outcome; whatever it wants stored, it asks for with the ids of what the judge saw.

use std::collections::BTreeMap;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effects::{Effect, Outcome};
use super::state::*;
use super::update::Msg;
use crate::app::judging::{EntryRow, EntrySheets, OnStage, Opened, OwnSheet, Refusal, SheetProgress, Start, Welcome};
use crate::app::stage::Stage;
use crate::core::rubric::{parse_rubric, template_source};
use crate::core::{Entry, Judge, Points};
use crate::i18n::judge::Lang;

fn pts(s: &str) -> Points {
    Points::parse(s).unwrap()
}

fn contestant(id: &str, order: i64) -> Entry {
    Entry {
        id: id.to_string(),
        group: Some("家长组".to_string()),
        name: format!("选手{order}"),
        title: format!("作品{order}"),
        order: Some(order),
        ..Entry::default()
    }
}

fn judge() -> Judge {
    Judge {
        id: "PW07".to_string(),
        name: "评委七".to_string(),
        organization: "某校".to_string(),
        county: String::new(),
    }
}

/// The demo's competition rubric, two contestants, nobody logged in.
fn screen() -> App {
    let (file, source) = template_source("competition").unwrap();
    let welcome = Welcome {
        rubric: parse_rubric(file, source).unwrap(),
        judges: vec![judge()],
        workspace: "plain.jury".to_string(),
    };
    App::new(welcome, Options::new(Lang::Zh)).unwrap()
}

fn rows(app: &App, ids: &[&str]) -> Vec<EntryRow> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| EntryRow {
            entry: contestant(id, i as i64 + 1).into(),
            rounds: vec![SheetProgress::NotStarted; app.rubric.rounds.len()].into(),
            conflict: None,
            calibration: false,
            withdrawn: None,
        })
        .collect()
}

fn blank_sheets(app: &App) -> EntrySheets {
    let n = app.rubric.rounds.len();
    EntrySheets {
        sheets: vec![
            OwnSheet {
                status: SheetProgress::NotStarted,
                values: BTreeMap::new(),
            };
            n
        ],
        comment: String::new(),
        reopened: vec![None; n],
        discussion: None,
    }
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn type_text(app: &mut App, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| key(app, KeyCode::Char(c))).collect()
}

fn message(app: &App) -> String {
    app.message.as_ref().map(|m| m.text.clone()).unwrap_or_default()
}

/// Logged in (the outcome of the login), nobody on stage, JS001 open on its first round.
fn on_sheet() -> App {
    let mut app = screen();
    let start = Start {
        judge: judge(),
        version: 1,
        head: 0,
        rows: rows(&app, &["JS001", "JS002"]),
    };
    assert_eq!(app.outcome(Outcome::LoggedIn(Box::new(start))), vec![Effect::ReadStage]);
    assert_eq!(app.outcome(Outcome::Stage(None)), vec![]);
    assert_eq!(app.screen, Screen::List);
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        vec![Effect::OpenEntry {
            entry: "JS001".to_string()
        }]
    );
    assert_eq!(app.screen, Screen::List, "nothing is shown before it is read");
    let opened = Opened {
        entry: contestant("JS001", 1),
        sheets: blank_sheets(&app),
        source: None,
    };
    assert_eq!(app.outcome(Outcome::Opened(Box::new(opened))), vec![]);
    assert_eq!(app.screen, Screen::Entry);
    app
}

fn first_criterion(app: &App) -> (String, String) {
    let c = &app.rubric.rounds[0].criteria[0];
    (c.id.clone(), c.name.clone())
}

#[test]
fn a_typed_value_is_asked_for_with_its_ids_and_shown_saved_only_once_stored() {
    let mut app = on_sheet();
    let (criterion, name) = first_criterion(&app);
    assert_eq!(criterion, "content");
    assert_eq!(type_text(&mut app, "25.5"), vec![]);
    let effects = key(&mut app, KeyCode::Tab);
    assert_eq!(
        effects,
        vec![Effect::SaveScore {
            entry: "JS001".to_string(),
            round: "lesson".to_string(),
            criterion: "content".to_string(),
            value: pts("25.5"),
        }]
    );
    // Not stored yet: nothing says saved, the sheet and the list are as they were, the value
    // stays in the field and the cursor waits.
    let saved_text = (app.t.saved)(&name, "25.5");
    assert_ne!(message(&app), saved_text);
    let o = app.open.as_ref().unwrap();
    assert!(o.sheets[0].values.is_empty());
    assert_eq!((o.criterion, o.input.as_str(), o.dirty), (0, "25.5", true));
    assert_eq!(app.rows[0].rounds[0], SheetProgress::NotStarted);

    let stored = Outcome::Saved {
        entry: "JS001".to_string(),
        round: "lesson".to_string(),
        criterion: "content".to_string(),
        value: Some(pts("25.5")),
        changed: true,
    };
    assert_eq!(app.outcome(stored), vec![]);
    assert_eq!(message(&app), saved_text);
    let o = app.open.as_ref().unwrap();
    assert_eq!(o.sheets[0].values.get("content"), Some(&pts("25.5")));
    assert_eq!(o.sheets[0].status, SheetProgress::Draft);
    assert_eq!((o.criterion, o.dirty), (1, false), "Tab moves on once stored");
    assert_eq!(app.rows[0].rounds[0], SheetProgress::Draft);
}

#[test]
fn a_refused_write_shows_the_refusal_and_keeps_the_value() {
    let mut app = on_sheet();
    type_text(&mut app, "30");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(matches!(&effects[..], [Effect::SaveScore { value, .. }] if *value == pts("30")));
    let refusal = Refusal::Locked("家长组".to_string());
    let said = (app.t.refusal)(&refusal);
    assert_eq!(app.outcome(Outcome::Refused(refusal)), vec![]);
    assert_eq!(message(&app), said);
    let o = app.open.as_ref().unwrap();
    assert_eq!((o.criterion, o.input.as_str(), o.dirty), (0, "30", true));
    assert_eq!(o.error.as_deref(), Some(said.as_str()));
    assert!(o.sheets[0].values.is_empty());
}

#[test]
fn a_value_that_is_no_score_is_refused_at_once_and_nothing_is_asked() {
    let mut app = on_sheet();
    type_text(&mut app, "2,5");
    assert_eq!(key(&mut app, KeyCode::Tab), vec![]);
    assert_eq!(app.open.as_ref().unwrap().criterion, 0);
    assert!(app.message.as_ref().is_some_and(|m| m.level == Level::Error));
}

#[test]
fn a_busy_workspace_keeps_the_value_and_the_tick_retries_it() {
    let mut app = on_sheet();
    type_text(&mut app, "20");
    let asked = key(&mut app, KeyCode::Tab);
    assert_eq!(app.outcome(Outcome::Refused(Refusal::Busy)), vec![]);
    assert_eq!(app.waiting, Some(Waiting::Field));
    assert_eq!(message(&app), (app.t.refusal)(&Refusal::Busy));
    let tick = app.update(Msg::Tick);
    assert_eq!(
        tick,
        vec![
            Effect::Retry(Box::new(asked[0].clone())),
            Effect::Poll {
                version: Some(1),
                seen: 0
            }
        ]
    );
}

#[test]
fn a_stage_change_while_a_draft_is_open_does_not_move_the_judge() {
    let mut app = on_sheet();
    type_text(&mut app, "20");
    key(&mut app, KeyCode::Tab);
    app.outcome(Outcome::Saved {
        entry: "JS001".to_string(),
        round: "lesson".to_string(),
        criterion: "content".to_string(),
        value: Some(pts("20")),
        changed: true,
    });
    let on = OnStage {
        stage: Stage {
            group: "家长组".to_string(),
            entry: "JS002".to_string(),
            round: "lesson".to_string(),
            revealed: false,
        },
        entry: Some(Box::new(contestant("JS002", 2))),
        eligible: true,
    };
    assert_eq!(
        app.outcome(Outcome::Stage(Some(Box::new(on)))),
        vec![],
        "nothing is opened"
    );
    assert_eq!(app.open.as_ref().map(|o| o.entry.id.as_str()), Some("JS001"));
    assert_eq!(app.screen, Screen::Entry);
    assert!(app.stage_pending.is_some(), "the stage line offers F6");
    // F6 goes there: the sheet of JS002 is asked for.
    assert_eq!(
        key(&mut app, KeyCode::F(6)),
        vec![Effect::OpenEntry {
            entry: "JS002".to_string()
        }]
    );
}

#[test]
fn a_submission_is_shown_only_once_committed() {
    let mut app = on_sheet();
    let criteria: Vec<String> = app.rubric.rounds[0].criteria.iter().map(|c| c.id.clone()).collect();
    for c in &criteria {
        type_text(&mut app, "1");
        let asked = key(&mut app, KeyCode::Tab);
        assert!(matches!(&asked[..], [Effect::SaveScore { criterion, .. }] if criterion == c));
        app.outcome(Outcome::Saved {
            entry: "JS001".to_string(),
            round: "lesson".to_string(),
            criterion: c.clone(),
            value: Some(pts("1")),
            changed: true,
        });
    }
    assert_eq!(key(&mut app, KeyCode::F(10)), vec![]);
    assert_eq!(app.overlay, Some(Overlay::ConfirmSubmit));
    assert_eq!(
        key(&mut app, KeyCode::Char('y')),
        vec![Effect::Submit {
            entry: "JS001".to_string(),
            round: "lesson".to_string()
        }]
    );
    assert_eq!(app.open.as_ref().unwrap().sheets[0].status, SheetProgress::Draft);
    assert_eq!(app.progress.0, 0);
    app.outcome(Outcome::Submitted {
        entry: "JS001".to_string(),
        round: "lesson".to_string(),
    });
    assert_eq!(app.open.as_ref().unwrap().sheets[0].status, SheetProgress::Submitted);
    assert_eq!(app.progress.0, 1);
}

#[test]
fn a_wrong_pin_is_counted_from_the_outcome() {
    let mut app = screen();
    key(&mut app, KeyCode::Enter);
    assert_eq!(app.login.stage, LoginStage::Pin);
    type_text(&mut app, "1234");
    assert_eq!(
        key(&mut app, KeyCode::Enter),
        vec![Effect::Login {
            judge: "PW07".to_string(),
            pin: "1234".to_string()
        }]
    );
    assert_eq!(app.login.failures, 0);
    app.outcome(Outcome::Refused(Refusal::WrongPin));
    assert_eq!(app.login.failures, 1);
    assert_eq!(app.screen, Screen::Login);
    assert!(app.judge.is_none());
}

/// `jury serve` runs one screen per connection, each in its own thread: the screen and what it
/// exchanges with its runner hold no `Rc` and no thread-local.
#[test]
fn the_screen_and_its_messages_can_move_to_another_thread() {
    fn movable<T: Send + 'static>(_: &T) {}
    let app = on_sheet();
    movable(&app);
    movable(&Effect::ReadStage);
    movable(&Outcome::Refused(Refusal::Busy));
    let handle = std::thread::spawn(move || app.open.map(|o| o.entry.id));
    assert_eq!(handle.join().unwrap().as_deref(), Some("JS001"));
}

#[test]
fn a_poll_of_the_judges_own_sheets_patches_those_rows_and_refreshes_the_open_one() {
    use crate::app::judging::Poll;
    let mut app = on_sheet();
    let rounds = app.rubric.rounds.len();
    assert_eq!(app.progress, (0, 2 * rounds));
    // JS002 submitted in every round (the same judge in another terminal): its row and the
    // header's count change; JS001, open, is not read again.
    let sheets = vec![("JS002".to_string(), vec![SheetProgress::Submitted; rounds])];
    let effects = app.outcome(Outcome::Polled(Poll::Sheets {
        version: 2,
        head: 7,
        sheets,
    }));
    assert_eq!(effects, vec![]);
    let js002 = app.rows.iter().find(|r| r.entry.id() == "JS002").unwrap();
    assert_eq!(js002.rounds, vec![SheetProgress::Submitted; rounds]);
    assert_eq!(app.progress, (rounds, 2 * rounds));
    assert_eq!((app.data_version, app.audit_seen), (Some(2), 7));
    // A change of the open entry's sheets: that entry is read again, keeping what is typed.
    let mut first = vec![SheetProgress::NotStarted; rounds];
    first[0] = SheetProgress::Draft;
    let effects = app.outcome(Outcome::Polled(Poll::Sheets {
        version: 3,
        head: 8,
        sheets: vec![("JS001".to_string(), first.clone())],
    }));
    assert_eq!(
        effects,
        vec![Effect::RefreshEntry {
            entry: "JS001".to_string()
        }]
    );
    assert_eq!(app.rows[0].rounds, first);
}

#[test]
fn a_rubric_changed_by_the_organiser_is_taken_on_the_next_refresh_and_closes_the_open_entry() {
    use crate::app::judging::Poll;
    let mut app = on_sheet();
    let same = std::sync::Arc::clone(&app.rubric);
    let list = rows(&app, &["JS001", "JS002"]);
    app.outcome(Outcome::Polled(Poll::Changed {
        version: 2,
        head: 1,
        rows: list.clone(),
        rubric: same,
    }));
    assert!(app.open.is_some(), "the same rubric: the entry stays open");
    let mut new = (*app.rubric).clone();
    new.rounds[0].criteria[0].name = "教学内容".to_string();
    new.rounds[0].criteria[0].max = pts("25");
    app.outcome(Outcome::Polled(Poll::Changed {
        version: 3,
        head: 2,
        rows: list,
        rubric: std::sync::Arc::new(new),
    }));
    assert_eq!(first_criterion(&app).1, "教学内容");
    assert_eq!(app.rubric.rounds[0].criteria[0].max, pts("25"));
    assert!(app.open.is_none(), "laid out for the old criteria: closed");
    assert_eq!(app.screen, Screen::List);
    assert_eq!(message(&app), app.t.rubric_changed);
}

/// The key is answered at once: Enter on a typed value marks it as on its way (drawn by the
/// runtime before the write runs, `frame_before_effects`), never as saved; the outcome replaces
/// the mark with `Saved`, and a refusal with the reason.
#[test]
fn a_value_on_its_way_is_marked_saving_until_its_outcome_says_saved_or_refused() {
    use crate::tui::runtime::Screen as _;
    let mut app = on_sheet();
    let (_, name) = first_criterion(&app);
    type_text(&mut app, "25.5");
    assert!(!app.frame_before_effects(), "typing writes nothing");
    let effects = key(&mut app, KeyCode::Enter);
    assert!(matches!(&effects[..], [Effect::SaveScore { .. }]));
    let saving = (app.t.saving)(&name, "25.5");
    assert_eq!(app.saving.as_deref(), Some(saving.as_str()));
    assert!(app.frame_before_effects());
    let shown = crate::tui::test_support::lines(crate::tui::test_support::render(&mut app, 80, 24).backend().buffer());
    assert!(
        shown.iter().any(|l| l.contains(&saving)),
        "the frame says Saving: {shown:#?}"
    );
    assert!(!shown.iter().any(|l| l.contains(&(app.t.saved)(&name, "25.5"))));

    app.outcome(Outcome::Saved {
        entry: "JS001".to_string(),
        round: "lesson".to_string(),
        criterion: "content".to_string(),
        value: Some(pts("25.5")),
        changed: true,
    });
    assert_eq!(app.saving, None);
    assert_eq!(message(&app), (app.t.saved)(&name, "25.5"));
    let shown = crate::tui::test_support::lines(crate::tui::test_support::render(&mut app, 80, 24).backend().buffer());
    assert!(!shown.iter().any(|l| l.contains(&saving)));

    // A refused write: the mark goes, the reason shows.
    type_text(&mut app, "30");
    key(&mut app, KeyCode::Enter);
    assert!(app.saving.is_some());
    let refusal = Refusal::Locked("家长组".to_string());
    app.outcome(Outcome::Refused(refusal.clone()));
    assert_eq!(app.saving, None);
    assert_eq!(message(&app), (app.t.refusal)(&refusal));
}

#[test]
fn a_withdrawn_entry_is_shown_marked_and_dimmed_in_the_list() {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    let mut app = screen();
    let mut list = rows(&app, &["JS001", "JS002"]);
    list[1].withdrawn = Some(crate::core::withdrawal::WithdrawalKind::Withdrawn);
    let start = Start {
        judge: judge(),
        version: 1,
        head: 0,
        rows: list,
    };
    app.outcome(Outcome::LoggedIn(Box::new(start)));
    app.outcome(Outcome::Stage(None));
    app.theme = crate::tui::theme::Theme::new(false);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| super::view::draw(f, &mut app)).unwrap();
    let text = crate::tui::test_support::screen(&terminal);
    let line = text.lines().find(|l| l.contains("JS002")).unwrap_or_default();
    assert!(line.contains("[弃权] "), "{text}");
    assert!(
        !text
            .lines()
            .find(|l| l.contains("JS001"))
            .unwrap_or_default()
            .contains("[弃权]")
    );
    let (x, y) = crate::tui::test_support::find(terminal.backend().buffer(), "JS002").unwrap();
    assert_eq!(Some(terminal.backend().buffer()[(x, y)].fg), app.theme.dim.fg);
}
