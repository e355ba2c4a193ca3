//! The screen without a terminal: key sequences in, state and database out; and what each screen
//! draws at 80x24 and 120x40 with Chinese content (TestBackend).

use crate::tui::test_support::{Driven, ctrl, message, press, render, type_text};
use crate::tui::test_support::{find, lines, screen};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::style::Modifier;

use super::state::*;
use super::update::Msg;
use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
use crate::app::import::{import_entries, import_judges};
use crate::app::judging::JudgeSession;
use crate::core::Points;
use crate::core::rubric::template_source;
use crate::i18n::judge::Lang;
use crate::import::read_table;
use crate::store::{SheetStatus, Store};

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let store = Store::open(&path).unwrap();
    (dir, store)
}

/// The cases fixture (160 typical cases, long Chinese sections) with the fixture judges.
pub(super) fn cases() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("cases.jury")).unwrap();
    let (file, source) = template_source("cases").unwrap();
    store.init(file, source, None).unwrap();
    let fixtures = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures"));
    import_entries(&store, &read_table(&fixtures.join("cases.csv"), None).unwrap(), false).unwrap();
    import_judges(&store, &read_table(&fixtures.join("judges.csv"), None).unwrap()).unwrap();
    (dir, store)
}

fn options(lang: Lang, judge: &str, trusted: bool) -> Options {
    Options {
        judge: Some(judge.to_string()),
        trusted,
        ..Options::new(lang)
    }
}

fn logged_in<'a>(store: &'a Store, judge: &str) -> Driven<'a> {
    Driven::new(store, options(Lang::Zh, judge, true)).unwrap()
}

fn pts(s: &str) -> Points {
    Points::parse(s).unwrap()
}

// ---- the state machine ----

#[test]
fn over_max_is_refused_at_once_and_never_stored() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    assert_eq!(app.screen, Screen::List);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Entry);
    assert_eq!(app.open.as_ref().unwrap().entry.id, "JS001");
    type_text(&mut app, "30.5");
    let open = app.open.as_ref().unwrap();
    assert_eq!(open.input, "30.5");
    assert_eq!(open.error.as_deref(), Some("30.5 超过满分 30"), "shown while typing");
    press(&mut app, KeyCode::Tab);
    let open = app.open.as_ref().unwrap();
    assert_eq!(open.criterion, 0, "the focus stays on the refused field");
    assert!(message(&app).contains("超过满分"), "{}", message(&app));
    assert_eq!(store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(), None);
    assert_eq!(store.sheet(DEMO_JUDGE, "JS001", "lesson").unwrap(), None);
    // Off the step and not a number are refused the same way.
    press(&mut app, KeyCode::Delete);
    type_text(&mut app, "18.25");
    assert!(app.open.as_ref().unwrap().error.as_deref().unwrap().contains("0.5"));
    press(&mut app, KeyCode::Enter);
    assert_eq!(store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(), None);
    // Esc throws the invalid text away; a full-width value from an input method is accepted.
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.open.as_ref().unwrap().input, "");
    type_text(&mut app, "２５．５");
    press(&mut app, KeyCode::Enter);
    assert_eq!(
        store.score(DEMO_JUDGE, "JS001", "lesson", "content").unwrap(),
        Some(pts("25.5"))
    );
    assert_eq!(app.open.as_ref().unwrap().criterion, 1, "Enter saves and moves on");
    assert!(message(&app).contains("已保存"));
}

#[test]
fn submit_needs_every_criterion_then_locks_the_sheet() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    press(&mut app, KeyCode::Enter);
    for v in ["25", "24.5", "18"] {
        type_text(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    assert_eq!(app.live_total(), Some(pts("67.5")));
    press(&mut app, KeyCode::F(10));
    assert_eq!(app.overlay, None, "no confirmation for an incomplete sheet");
    assert!(message(&app).contains("现场效果"), "{}", message(&app));
    assert_eq!(
        store.sheet(DEMO_JUDGE, "JS001", "lesson").unwrap().unwrap().status,
        SheetStatus::Draft
    );
    type_text(&mut app, "17");
    assert_eq!(
        app.live_total(),
        Some(pts("84.5")),
        "the total includes the field being typed"
    );
    ctrl(&mut app, 's');
    assert_eq!(
        app.overlay,
        Some(Overlay::ConfirmSubmit),
        "the typed value was saved first"
    );
    assert_eq!(
        store.score(DEMO_JUDGE, "JS001", "lesson", "effect").unwrap(),
        Some(pts("17"))
    );
    // Declining leaves it a draft.
    press(&mut app, KeyCode::Esc);
    assert_eq!(
        store.sheet(DEMO_JUDGE, "JS001", "lesson").unwrap().unwrap().status,
        SheetStatus::Draft
    );
    press(&mut app, KeyCode::F(10));
    press(&mut app, KeyCode::Char('y'));
    assert_eq!(
        store.sheet(DEMO_JUDGE, "JS001", "lesson").unwrap().unwrap().status,
        SheetStatus::Submitted
    );
    assert!(message(&app).contains("已提交"));
    // The header's count follows the submission without a recount on each draw.
    assert_eq!(app.progress, (1, 36 * 3));
    assert_eq!(app.progress, crate::app::judging::progress_of(&app.rows));
    // The id column's width is measured once per load: the demo's ids are like JS001.
    assert_eq!(app.id_width, 5);
    // Locked: typing is refused, nothing changes.
    press(&mut app, KeyCode::Up);
    type_text(&mut app, "1");
    assert!(message(&app).contains("已提交"), "{}", message(&app));
    assert_eq!(
        store.score(DEMO_JUDGE, "JS001", "lesson", "effect").unwrap(),
        Some(pts("17"))
    );
    press(&mut app, KeyCode::F(10));
    assert_eq!(app.overlay, None);
    // The list shows it.
    let row = app.rows.iter().find(|r| r.entry.id() == "JS001").unwrap();
    assert_eq!(row.submitted_rounds(), 1);
}

#[test]
fn a_conflicted_entry_cannot_be_opened() {
    let (_dir, store) = demo();
    store
        .write(|s| s.put_conflict(DEMO_JUDGE, "JS002", "亲属关系"))
        .unwrap();
    let mut app = logged_in(&store, DEMO_JUDGE);
    press(&mut app, KeyCode::Down);
    assert_eq!(app.rows[app.selected_row().unwrap()].entry.id(), "JS002");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::List);
    assert!(app.open.is_none());
    assert!(
        message(&app).contains("回避") && message(&app).contains("亲属关系"),
        "{}",
        message(&app)
    );
    // Next unscored skips it.
    press(&mut app, KeyCode::Up);
    press(&mut app, KeyCode::Char('n'));
    assert_eq!(app.rows[app.selected_row().unwrap()].entry.id(), "JS003");
}

#[test]
fn search_narrows_as_you_type_and_highlights() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    press(&mut app, KeyCode::Char('/'));
    assert_eq!(app.screen, Screen::Search);
    type_text(&mut app, "家");
    let wide = app.search.results.len();
    type_text(&mut app, "访");
    let narrow = app.search.results.len();
    assert!(narrow >= 1 && narrow < wide, "{narrow} < {wide}");
    assert!(
        app.search.results.iter().all(|f| !f.highlighted),
        "no highlights before anything is drawn"
    );
    render(&mut app, 80, 24);
    let first = &app.search.results[0];
    assert!(first.highlighted);
    assert_eq!(app.rows[first.row].entry.title(), "我的家访日记");
    let title_marks: Vec<usize> = first
        .highlights
        .iter()
        .filter(|(f, _)| *f == 1)
        .flat_map(|(_, m)| m.clone())
        .collect();
    assert_eq!(title_marks, vec![2, 3]);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Entry);
    assert_eq!(app.open.as_ref().unwrap().entry.id, "JS001");
}

#[test]
fn search_finds_by_pinyin_initials_and_highlights_the_characters() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    ctrl(&mut app, 'f');
    type_text(&mut app, "jfrj");
    let term = render(&mut app, 80, 24);
    let first = app.search.results.first().expect("a result");
    assert_eq!(app.rows[first.row].entry.title(), "我的家访日记");
    let marks: Vec<usize> = first
        .highlights
        .iter()
        .filter(|(f, _)| *f == crate::search::FIELD_TITLE)
        .flat_map(|(_, m)| m.clone())
        .collect();
    assert_eq!(marks, vec![2, 3, 4, 5]);
    let buffer = term.backend().buffer();
    let (x, y) = find(buffer, "日记").unwrap();
    assert!(buffer[(x, y)].modifier.contains(Modifier::UNDERLINED));
}

#[test]
fn login_checks_the_pin_and_pauses_after_three_wrong_tries() {
    let (_dir, store) = demo();
    let mut app = Driven::new(&store, Options::new(Lang::Zh)).unwrap();
    assert_eq!(app.screen, Screen::Login);
    type_text(&mut app, "汪燕");
    assert_eq!(app.login.chosen().unwrap().id, "PW03");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.login.stage, LoginStage::Pin);
    for _ in 0..2 {
        type_text(&mut app, "0000");
        press(&mut app, KeyCode::Enter);
    }
    assert_eq!(app.login.error.as_deref(), Some("PIN 不正确，还可尝试 1 次"));
    type_text(&mut app, "0000");
    press(&mut app, KeyCode::Enter);
    assert!(app.login.locked_secs(std::time::Instant::now()).is_some());
    // The right PIN is not even tried during the pause.
    type_text(&mut app, "1584");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::Login);
    let mut term = render(&mut app, 80, 24);
    assert!(screen(&term).contains("请等待"), "{}", screen(&term));
    // After the pause, the right PIN logs in.
    app.login.locked_until = Some(std::time::Instant::now());
    // The library keeps its own 30 s lockout (src/store/logins.rs): let that time pass too.
    store.forget_login_failures("PW03").unwrap();
    type_text(&mut app, "1584");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::List);
    assert_eq!(app.judge.as_ref().unwrap().id, "PW03");
    // A fresh terminal for each picture: TestBackend keeps stale cells behind wide characters.
    term = render(&mut app, 80, 24);
    assert!(screen(&term).contains("汪燕"));
}

#[test]
fn the_login_list_filters_by_pinyin_and_organisation_as_the_search_does() {
    let (_dir, store) = demo();
    let mut app = Driven::new(&store, Options::new(Lang::Zh)).unwrap();
    let ids = |app: &App| -> Vec<String> {
        app.login
            .visible()
            .iter()
            .map(|&i| app.login.judges[i].id.clone())
            .collect()
    };
    let filter = |app: &mut Driven, text: &str| {
        while !app.login.filter.is_empty() {
            press(app, KeyCode::Backspace);
        }
        type_text(app, text);
    };
    // 汪燕 by initials and in full; 铜鼓县 and 樟树市 (organisations) by pinyin; 师范学院 as typed.
    filter(&mut app, "wy");
    assert_eq!(app.login.chosen().unwrap().id, "PW03");
    filter(&mut app, "wangyan");
    assert_eq!(ids(&app), ["PW03"]);
    filter(&mut app, "tonggu");
    assert_eq!(ids(&app), ["PW06", "PW08"]);
    filter(&mut app, "zss");
    assert_eq!(ids(&app), ["PW01"]);
    filter(&mut app, "师范学院");
    assert_eq!(ids(&app), ["PW05", "PW06", "PW08"]);
    filter(&mut app, "pw09");
    assert_eq!(ids(&app)[0], "PW09");
    filter(&mut app, "05");
    assert_eq!(ids(&app)[0], "PW05");
    // What is drawn is the filtered list, and Enter asks the chosen judge's PIN.
    filter(&mut app, "tonggu");
    let text = screen(&render(&mut app, 80, 24));
    assert!(text.contains("钟洋佳") && text.contains("龙娟"), "{text}");
    assert!(!text.contains("尹霞"), "{text}");
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.login.stage, LoginStage::Pin);
    assert_eq!(app.login.chosen().unwrap().id, "PW08");
    assert!(!app.quit);
}

#[test]
fn the_demo_hint_names_a_working_pin() {
    let (_dir, store) = demo();
    for lang in [Lang::Zh, Lang::En] {
        let hint = (lang.texts().demo_hint)("/tmp/x.jury");
        assert!(hint.contains("--judge PW03") && hint.contains("PIN 1584"), "{hint}");
    }
    assert!(store.verify_pin("PW03", "1584").unwrap());
}

#[test]
fn judge_flag_preselects_but_still_asks_the_pin() {
    let (_dir, store) = demo();
    let mut app = Driven::new(&store, options(Lang::En, "PW03", false)).unwrap();
    assert_eq!(app.screen, Screen::Login);
    assert_eq!(app.login.stage, LoginStage::Pin);
    type_text(&mut app, "1584");
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.screen, Screen::List);
    assert!(Driven::new(&store, options(Lang::En, "PW99", false)).is_err());
}

#[test]
fn another_process_changes_show_after_a_tick() {
    let (dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    press(&mut app, KeyCode::Enter);
    let other = Store::open(&dir.path().join("demo.jury")).unwrap();
    // The same judge in a second terminal, and the organiser declaring a conflict: both audited,
    // as every change made through jury is.
    let twin = JudgeSession::trusted(&other, DEMO_JUDGE).unwrap();
    twin.set_score("JS001", "lesson", "method", "20").unwrap();
    crate::app::workspace::add_conflict(&other, &crate::store::Actor::Cli, DEMO_JUDGE, "JS005", "declared").unwrap();
    app.update(Msg::Tick);
    let open = app.open.as_ref().unwrap();
    assert_eq!(open.sheets[0].values.get("method"), Some(&Points::from_int(20)));
    assert!(app.rows.iter().any(|r| r.entry.id() == "JS005" && r.conflict.is_some()));
}

#[test]
fn other_judges_scoring_does_not_reload_the_list() {
    let (dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    let other = Store::open(&dir.path().join("demo.jury")).unwrap();
    // A colleague with an entry still to score in the first round.
    let judges = other.judges().unwrap();
    let (session, free) = judges
        .iter()
        .filter(|j| j.id != DEMO_JUDGE)
        .find_map(|j| {
            let session = JudgeSession::trusted(&other, &j.id).unwrap();
            let free = session
                .entries()
                .unwrap()
                .into_iter()
                .find(|r| r.conflict.is_none() && r.rounds[0] != crate::app::judging::SheetProgress::Submitted)?;
            Some((session, free))
        })
        .unwrap();
    let before = app.audit_seen;
    // A marker only a reload would wipe out: the rows are replaced when the list is reloaded.
    let mut marked = app.rows[0].entry.to_entry();
    marked.title.push_str(" (not reloaded)");
    app.rows[0].entry = marked.into();
    session.set_score(free.entry.id(), "lesson", "method", "20").unwrap();
    app.update(Msg::Tick);
    assert!(app.rows[0].entry.title().ends_with(" (not reloaded)"));
    assert!(app.audit_seen > before, "the colleague's row is taken as seen");
    // The same judge in another terminal: that entry's row changes, the list is not read again.
    let twin = JudgeSession::trusted(&other, DEMO_JUDGE).unwrap();
    let js002 =
        |app: &crate::tui::judge::state::App| app.rows.iter().find(|r| r.entry.id() == "JS002").unwrap().rounds[0];
    let was = js002(&app);
    assert_eq!(was, crate::app::judging::SheetProgress::NotStarted);
    twin.set_score("JS002", "lesson", "method", "19").unwrap();
    app.update(Msg::Tick);
    assert!(app.rows[0].entry.title().ends_with(" (not reloaded)"));
    assert_eq!(js002(&app), crate::app::judging::SheetProgress::Draft);
    // Any other change that concerns this judge (a conflict declared) reloads the list.
    crate::app::workspace::add_conflict(&other, &crate::store::Actor::Organiser, DEMO_JUDGE, "JS003", "亲属").unwrap();
    app.update(Msg::Tick);
    assert!(!app.rows[0].entry.title().ends_with(" (not reloaded)"));
}

#[test]
fn ctrl_n_opens_the_next_entry_to_score_and_quit_keys() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    press(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'n');
    assert_eq!(app.open.as_ref().unwrap().entry.id, "JS002");
    type_text(&mut app, "20");
    // Quitting saves a valid field first.
    ctrl(&mut app, 'q');
    assert!(app.quit);
    assert_eq!(
        store.score(DEMO_JUDGE, "JS002", "lesson", "content").unwrap(),
        Some(pts("20"))
    );
}

#[test]
fn esc_then_a_key_typed_fast_is_two_keys() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "dh");
    // A terminal sends Esc q typed quickly as Alt+q.
    app.update(Msg::Key(KeyEvent::new(KeyCode::Char('q'), KeyModifiers::ALT)));
    assert_eq!(app.search.query, "dh");
    assert!(app.quit);
}

#[test]
fn mouse_clicks_select_then_open() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    let _ = render(&mut app, 80, 24);
    let list = app.areas.list;
    let click = |row: u16| {
        Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: list.x + 5,
            row,
            modifiers: KeyModifiers::NONE,
        })
    };
    app.update(click(list.y + 2));
    assert_eq!(app.list.selected, 2);
    app.update(click(list.y + 2));
    assert_eq!(app.screen, Screen::Entry);
    assert_eq!(app.open.as_ref().unwrap().entry.id, "JS003");
}

// ---- what is drawn ----

#[test]
fn too_small_says_so() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    let term = render(&mut app, 70, 20);
    let text = screen(&term);
    assert!(text.contains("80x24") && text.contains("70x20"), "{text}");
    assert!(!text.contains("JS001"));
}

#[test]
fn login_screen_draws_judges_and_masked_pin() {
    let (_dir, store) = demo();
    let mut app = Driven::new(&store, Options::new(Lang::Zh)).unwrap();
    let term = render(&mut app, 80, 24);
    let text = screen(&term);
    assert!(text.contains("评委登录"));
    assert!(text.contains("尹霞") && text.contains("PW01"));
    insta::assert_snapshot!("login_pick_80x24", term.backend());
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "12");
    let mut term = render(&mut app, 120, 40);
    let text = screen(&term);
    assert!(text.contains("郑鹏远（PW02）"), "{text}");
    assert!(text.contains("PIN：**"), "{text}");
    assert!(!text.contains("12"), "the PIN is masked");
    insta::assert_snapshot!("login_pin_120x40", term.backend());
    // The real cursor is after the mask, for the input method.
    let pos = term.get_cursor_position().unwrap();
    let (x, y) = find(term.backend().buffer(), "PIN：").unwrap();
    assert_eq!((pos.x, pos.y), (x + 5 + 2, y));
}

#[test]
fn list_screen_at_both_sizes() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    app.hint = Some("演示工作区：/tmp/demo.jury  以其他评委身份：jury --db /tmp/demo.jury --judge PW03".into());
    for (w, h) in [(80, 24), (120, 40)] {
        let term = render(&mut app, w, h);
        let text = screen(&term);
        let rows = lines(term.backend().buffer());
        assert!(rows[0].contains("家庭教育与心理健康教育专业技能大赛"), "{}", rows[0]);
        assert!(rows[0].contains("已提交 0/108"), "{}", rows[0]);
        assert!(
            rows[1].contains("教师组 (12)") && rows[1].contains("家长组 (12)"),
            "{}",
            rows[1]
        );
        assert!(text.contains("JS001") && text.contains("邓涵") && text.contains("我的家访日记"));
        assert!(text.contains("未开始 0/3"));
        assert!(
            text.contains("--judge") && text.contains("PW03"),
            "the demo hint\n{text}"
        );
        assert!(
            rows[usize::from(h) - 1].contains("Enter 打开"),
            "keys on the bottom line"
        );
        // The selected row is reversed even without colours.
        let (x, y) = find(term.backend().buffer(), "JS001").unwrap();
        assert_eq!(term.backend().buffer()[(x, y)].bg, ratatui::style::Color::LightBlue);
        insta::assert_snapshot!(format!("list_{w}x{h}"), term.backend());
    }
}

#[test]
fn list_shows_statuses_and_conflicts_in_english() {
    let (_dir, store) = demo();
    store
        .write(|s| s.put_conflict(DEMO_JUDGE, "JS002", "declared"))
        .unwrap();
    let mut app = Driven::new(&store, options(Lang::En, DEMO_JUDGE, true)).unwrap();
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "20");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.screen, Screen::List);
    let term = render(&mut app, 80, 24);
    let rows = lines(term.backend().buffer());
    let js1 = rows.iter().find(|l| l.contains("JS001")).unwrap();
    let js2 = rows.iter().find(|l| l.contains("JS002")).unwrap();
    assert!(js1.ends_with("draft 0/3"), "{js1}");
    assert!(js2.ends_with("conflict"), "{js2}");
    assert!(rows[0].contains("submitted 0/105"), "{}", rows[0]);
}

#[test]
fn search_screen_highlights_matched_characters() {
    let (_dir, store) = demo();
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let mut app = logged_in(&store, DEMO_JUDGE);
        ctrl(&mut app, 'f');
        type_text(&mut app, "家访");
        let term = render(&mut app, w, h);
        let buffer = term.backend().buffer();
        let text = screen(&term);
        assert!(text.contains("搜索：家访"), "{text}");
        assert!(text.contains("我的家访日记"));
        let (x, y) = find(buffer, "家访日记").unwrap();
        let cell = &buffer[(x, y)];
        assert!(
            cell.modifier.contains(Modifier::BOLD | Modifier::UNDERLINED),
            "{cell:?}"
        );
        let (mx, my) = find(buffer, "我的家访").unwrap();
        assert!(
            !buffer[(mx, my)].modifier.contains(Modifier::UNDERLINED),
            "我 is not a match"
        );
        // The cursor sits after the query, where the input method shows its candidates.
        let pos = term.backend().cursor_position();
        let (qx, qy) = find(buffer, "家访").unwrap();
        assert_eq!((pos.x, pos.y), (qx + 4, qy));
        insta::assert_snapshot!(format!("search_{w}x{h}"), term.backend());
    }
}

#[test]
fn sheet_screen_at_both_sizes() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "25");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "31");
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let term = render(&mut app, w, h);
        let text = screen(&term);
        assert!(
            text.contains("现场说课") && text.contains("案例分析"),
            "round tabs\n{text}"
        );
        assert!(text.contains("内容设计") && text.contains("[25"), "{text}");
        assert!(text.contains("[31"), "{text}");
        assert!(text.contains("31 超过满分 30"), "{text}");
        assert!(text.contains("本环节合计：25 / 100"), "{text}");
        assert!(text.contains("评分细则: 方法策略"), "{text}");
        assert!(
            text.contains("方法选择符合对象"),
            "the guide of the focused criterion\n{text}"
        );
        assert!(text.contains("F10 提交"));
        insta::assert_snapshot!(format!("sheet_{w}x{h}"), term.backend());
    }
    // The confirmation dialog.
    press(&mut app, KeyCode::Esc);
    for v in ["24", "18", "17"] {
        type_text(&mut app, v);
        press(&mut app, KeyCode::Tab);
    }
    press(&mut app, KeyCode::F(10));
    let term = render(&mut app, 80, 24);
    let text = screen(&term);
    assert!(text.contains("确认提交") && text.contains("合计 84 分"), "{text}");
    insta::assert_snapshot!("confirm_80x24", term.backend());
}

#[test]
fn reader_wraps_a_long_case_section_by_display_width() {
    let (_dir, store) = cases();
    let long = store
        .entries_with_texts()
        .unwrap()
        .into_iter()
        .max_by_key(|e| e.sections.strategy.chars().count())
        .unwrap();
    assert!(
        long.sections.strategy.chars().count() > 100,
        "{}",
        long.sections.strategy.chars().count()
    );
    let mut app = logged_in(&store, "PW03");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, &long.id);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.open.as_ref().unwrap().entry.id, long.id);
    assert_eq!(
        app.open.as_ref().unwrap().focus,
        Pane::Reader,
        "cases open on the text at 80 columns"
    );
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        render(&mut app, w, h);
        let reader = app.areas.reader;
        let width = usize::from(reader.width);
        // Scroll so that the strategy heading is the first line of the reader.
        let all = super::view::reader_lines(&app, &long, width);
        let heading = all.iter().position(|l| l.to_string().starts_with("解决策略")).unwrap();
        app.open.as_mut().unwrap().scroll = heading;
        let mut term = render(&mut app, w, h);
        let shown = lines(term.backend().buffer());
        let top = (usize::from(reader.y)..usize::from(reader.bottom()))
            .find(|&y| shown[y].trim_start().starts_with("解决策略"))
            .unwrap_or_else(|| panic!("no strategy heading at {w}x{h}:\n{}", shown.join("\n")));
        let expected = crate::core::text::wrap(&long.sections.strategy, width);
        let rows = usize::from(reader.bottom()) - top - 1;
        assert!(rows >= 2, "at least two lines of the section are visible");
        for (i, want) in expected.iter().take(rows).enumerate() {
            let got: String = shown[top + 1 + i].chars().take_while(|c| *c != '\u{2502}').collect();
            assert_eq!(got.trim(), want.trim(), "line {i} at {w}x{h}");
            assert!(crate::core::text::width(want) <= width);
        }
        // The first line is filled: Chinese next to Latin text is not pushed to the next line.
        assert!(crate::core::text::width(&expected[0]) >= width - 2, "{:?}", expected[0]);
        insta::assert_snapshot!(format!("reader_{w}x{h}"), term.backend());
        // End reaches the last section, Home the top.
        press(&mut app, KeyCode::End);
        term = render(&mut app, w, h);
        assert!(screen(&term).contains("结果评估"), "{}", screen(&term));
        press(&mut app, KeyCode::Home);
        assert_eq!(app.open.as_ref().unwrap().scroll, 0);
    }
}

#[test]
fn reader_marks_a_missing_section() {
    let (_dir, store) = cases();
    let missing = store
        .entries_with_texts()
        .unwrap()
        .into_iter()
        .find(|e| e.sections.problem.trim().is_empty())
        .expect("the fixture has cases with an empty section");
    let mut app = logged_in(&store, "PW03");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, &missing.id);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.open.as_ref().unwrap().entry.id, missing.id);
    ctrl(&mut app, 't');
    let term = render(&mut app, 120, 40);
    let text = screen(&term);
    assert!(text.contains("问题描述  [缺失]"), "{text}");
}

#[test]
fn help_lists_the_keys() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    press(&mut app, KeyCode::Char('?'));
    assert_eq!(app.overlay, Some(Overlay::Help));
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let term = render(&mut app, w, h);
        let text = screen(&term);
        assert!(
            text.contains("按键说明") && text.contains("下一个未完成的条目"),
            "{text}"
        );
        insta::assert_snapshot!(format!("help_{w}x{h}"), term.backend());
    }
    press(&mut app, KeyCode::F(1));
    assert_eq!(app.overlay, None);
}

#[test]
fn no_color_uses_no_colours() {
    let (_dir, store) = demo();
    let mut app = logged_in(&store, DEMO_JUDGE);
    app.theme = crate::tui::theme::Theme::new(true);
    let term = render(&mut app, 80, 24);
    let buffer = term.backend().buffer();
    for cell in buffer.content() {
        assert_eq!(cell.fg, ratatui::style::Color::Reset);
        assert_eq!(cell.bg, ratatui::style::Color::Reset);
    }
    let (x, y) = find(buffer, "JS001").unwrap();
    assert!(buffer[(x, y)].modifier.contains(Modifier::REVERSED));
}

/// A case imported from a Word document: the reader names the file and shows the four parts
/// under their own headings.
#[test]
fn the_reader_shows_the_source_document_and_the_parts_under_their_headings() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("docs.jury")).unwrap();
    let (file, source) = template_source("cases").unwrap();
    store.init(file, source, None).unwrap();
    let fixtures = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures"));
    import_judges(&store, &read_table(&fixtures.join("judges.csv"), None).unwrap()).unwrap();
    let options = crate::app::import::DocumentImportOptions {
        folder: fixtures.join("docx/docs"),
        id_prefix: "DOC".into(),
        ..Default::default()
    };
    crate::app::import::import_documents(&store, &crate::store::Actor::Cli, &options, &()).unwrap();
    let mut app = logged_in(&store, "PW05");
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "AL20250134");
    press(&mut app, KeyCode::Enter);
    let open = app.open.as_ref().unwrap();
    assert_eq!(open.entry.id, "AL20250134");
    assert_eq!(open.source.as_deref(), Some("AL20250134-一封家书架起亲子沟通的桥.docx"));
    let entry = open.entry.clone();
    let all: Vec<String> = super::view::reader_lines_with(&app, &entry, open.source.as_deref(), 60)
        .iter()
        .map(|l| l.to_string())
        .collect();
    let source = all
        .iter()
        .position(|l| l.starts_with("来源文件: AL20250134-"))
        .expect("the source line");
    let heading = |name: &str| {
        all.iter()
            .position(|l| l == name)
            .unwrap_or_else(|| panic!("{name}: {all:?}"))
    };
    let (b, p, s, o) = (
        heading("背景介绍"),
        heading("问题描述"),
        heading("解决策略"),
        heading("结果评估"),
    );
    assert!(source < b && b < p && p < s && s < o, "{all:?}");
    assert!(all[b + 1].starts_with("丰城市实验中学地处"), "{all:?}");
    assert_eq!(all[s + 1], "（一）建立每周沟通制度");
    let shown = lines(render(&mut app, 80, 24).backend().buffer()).join("\n");
    assert!(shown.contains("来源文件"), "{shown}");
}

/// One round submitted and the others untouched reads `已提交 1/3` (not `草稿 1/3`); a round with a
/// draft reads `草稿`.
#[test]
fn the_list_says_submitted_when_no_round_is_a_draft() {
    let (_dir, store) = demo();
    let s = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
    for (c, v) in [
        ("content", "25"),
        ("method", "24.5"),
        ("expression", "18"),
        ("effect", "17"),
    ] {
        s.set_score("JS001", "lesson", c, v).unwrap();
    }
    s.submit("JS001", "lesson").unwrap();
    let mut app = logged_in(&store, DEMO_JUDGE);
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let t = render(&mut app, w, h);
        let text = screen(&t);
        let line = text
            .lines()
            .find(|l| l.contains("JS001"))
            .unwrap_or_default()
            .to_string();
        assert!(line.contains("已提交 1/3"), "{w}x{h}: {line}");
        assert!(!line.contains("草稿"), "{w}x{h}: {line}");
    }
    // A draft in another round: 草稿, with the submitted count.
    s.set_score("JS001", "analysis", "diagnosis", "20").unwrap();
    let mut app = logged_in(&store, DEMO_JUDGE);
    let text = screen(&render(&mut app, 120, 40));
    let line = text
        .lines()
        .find(|l| l.contains("JS001"))
        .unwrap_or_default()
        .to_string();
    assert!(line.contains("草稿 1/3"), "{line}");
}
