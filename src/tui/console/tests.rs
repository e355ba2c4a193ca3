//! The console without a terminal: keys in, state and database out; and what each screen draws at
//! 80x24 and 120x40 with Chinese content (TestBackend, insta snapshots in src/tui/snapshots).

use std::time::{Duration, Instant};

use crate::tui::test_support::{find, lines, screen};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::style::Modifier;

use super::effect::Effect;
use super::runner::ConsoleRunner;
use super::state::*;
use super::view;
use crate::app::demo::create_demo_workspace;
use crate::app::import::{import_entries, import_judges, import_scores};
use crate::app::judging::JudgeSession;
use crate::app::organiser;
use crate::app::progress::Cell;
use crate::core::rubric::template_source;
use crate::core::shortlist::Status;
use crate::import::read_table;
use crate::store::{Actor, SheetStatus, Store};
use crate::tui::runtime::{Screen, settle};
use crate::tui::{Lang, Msg};

const PASS: &str = "kaimen-2026";

fn demo() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let store = Store::open(&path).unwrap();
    organiser::set_organiser_pass(&store, &Actor::Cli, PASS).unwrap();
    (dir, store)
}

/// The cases fixture (160 typical cases) with the fixture judges and their scores.
fn cases() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("cases.jury")).unwrap();
    let (file, source) = template_source("cases").unwrap();
    store.init(file, source, None).unwrap();
    let fixtures = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures"));
    import_entries(&store, &read_table(&fixtures.join("cases.csv"), None).unwrap(), false).unwrap();
    import_judges(&store, &read_table(&fixtures.join("judges.csv"), None).unwrap()).unwrap();
    import_scores(&store, &read_table(&fixtures.join("scores-cases.csv"), None).unwrap()).unwrap();
    organiser::set_organiser_pass(&store, &Actor::Cli, PASS).unwrap();
    (dir, store)
}

/// The console with its runner on a workspace, as `jury --organiser` runs it: each message's
/// effects run through the library and their outcomes come back before the next message.
struct Live<'a> {
    console: Console,
    runner: ConsoleRunner<'a>,
}

impl std::ops::Deref for Live<'_> {
    type Target = Console;
    fn deref(&self) -> &Console {
        &self.console
    }
}

impl std::ops::DerefMut for Live<'_> {
    fn deref_mut(&mut self) -> &mut Console {
        &mut self.console
    }
}

impl Live<'_> {
    fn update(&mut self, msg: Msg) {
        let effects = self.console.update(msg);
        settle(&mut self.console, &mut self.runner, effects);
    }

    /// Read the workspace again, as after a change of the console's own.
    fn reload_now(&mut self) -> crate::error::Result<()> {
        let reload = Effect::Reload {
            with_audit: self.tab == Tab::Room,
            group: self.group,
        };
        settle(&mut self.console, &mut self.runner, vec![reload]);
        Ok(())
    }
}

/// The console on `store`, after its first tick (which reads the workspace once logged in).
fn live(store: &Store, options: ConsoleOptions) -> crate::error::Result<Live<'_>> {
    let mut live = Live {
        console: Console::new(crate::app::progress::contest(store)?, options),
        runner: ConsoleRunner::new(store),
    };
    let first = live.console.on_tick(Instant::now());
    settle(&mut live.console, &mut live.runner, first);
    Ok(live)
}

fn console(store: &Store) -> Live<'_> {
    live(
        store,
        ConsoleOptions {
            trusted: true,
            ..ConsoleOptions::new(Lang::Zh)
        },
    )
    .unwrap()
}

fn press(c: &mut Live, code: KeyCode) {
    c.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
}

fn ctrl(c: &mut Live, ch: char) {
    c.update(Msg::Key(KeyEvent::new(KeyCode::Char(ch), KeyModifiers::CONTROL)));
}

fn type_text(c: &mut Live, text: &str) {
    for ch in text.chars() {
        press(c, KeyCode::Char(ch));
    }
}

fn render(c: &mut Live, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, &mut c.console)).unwrap();
    terminal
}

/// Put the progress cursor on the first cell in `state`, returning (judge, entry).
fn cursor_on(c: &mut Live, state: Cell, judge: Option<&str>) -> (String, String) {
    for (r, row) in c.progress.matrix.rows.iter().enumerate() {
        for (col, cell) in row.cells.iter().enumerate() {
            let id = &c.progress.matrix.judges[col];
            if *cell == state && judge.is_none_or(|j| j == id) {
                let found = (id.clone(), row.entry.clone());
                c.selected[Tab::Progress.index()] = r;
                c.progress.column = col;
                return found;
            }
        }
    }
    panic!("no cell in state {state:?}");
}

// ---- login ----

#[test]
fn login_masks_the_passphrase_and_pauses_after_three_wrong_tries() {
    let (_dir, store) = demo();
    let mut c = live(&store, ConsoleOptions::new(Lang::Zh)).unwrap();
    assert!(!c.logged_in);
    type_text(&mut c, "secret");
    let t = render(&mut c, 80, 24);
    let text = screen(&t);
    assert!(text.contains("******"), "{text}");
    assert!(!text.contains("secret"), "the passphrase is never drawn");
    press(&mut c, KeyCode::Enter);
    assert_eq!(c.login.error.as_deref(), Some("口令不正确，还可以再试 2 次。"));
    for _ in 0..2 {
        type_text(&mut c, "wrong");
        press(&mut c, KeyCode::Enter);
    }
    assert!(
        c.login.locked_secs(Instant::now()).is_some(),
        "paused after three wrong tries"
    );
    // Typing is ignored during the pause, even the right passphrase.
    type_text(&mut c, PASS);
    press(&mut c, KeyCode::Enter);
    assert!(!c.logged_in);
    assert_eq!(c.login.pass, "");
    let text = screen(&render(&mut c, 80, 24));
    assert!(text.contains("连续输错 3 次"), "{text}");
    // The screen's pause is over, but the library's (kept in the workspace) is not: refused, and
    // the screen pauses again.
    c.login.locked_until = Some(Instant::now() - Duration::from_secs(1));
    type_text(&mut c, PASS);
    press(&mut c, KeyCode::Enter);
    assert!(!c.logged_in);
    assert!(
        c.login.locked_secs(Instant::now()).is_some(),
        "the library's pause is shown"
    );
    // The pause is over: the right passphrase opens the console.
    c.login.locked_until = Some(Instant::now() - Duration::from_secs(1));
    store
        .forget_login_failures(crate::app::organiser::ORGANISER_TRIES)
        .unwrap();
    type_text(&mut c, PASS);
    press(&mut c, KeyCode::Enter);
    assert!(c.logged_in);
    assert!(c.data.is_some());
    assert_eq!(c.tab, Tab::Progress);
}

#[test]
fn without_a_passphrase_the_console_is_locked_and_never_waits() {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let err = super::open_console(&path, Some("zh")).unwrap_err();
    assert!(err.to_string().contains("jury passwd --organiser"), "{err}");
    // With a passphrase but no terminal (as under cargo test): refused at once.
    let store = Store::open(&path).unwrap();
    organiser::set_organiser_pass(&store, &Actor::Cli, PASS).unwrap();
    let err = super::open_console(&path, Some("en")).unwrap_err();
    assert!(err.to_string().contains("needs a terminal"), "{err}");
}

// ---- progress: reopen and assignment ----

#[test]
fn progress_counts_sheets_per_judge_and_entry() {
    let (_dir, store) = demo();
    let c = console(&store);
    let m = &c.progress.matrix;
    // Demo: nine judges, six of whom scored every contestant of 教师组 in the first round.
    assert_eq!(m.judges.len(), 9);
    assert_eq!(m.rows.len(), 12);
    let submitted: Vec<usize> = m.per_judge.iter().map(|(s, _)| *s).collect();
    assert_eq!(submitted.iter().filter(|s| **s == 12).count(), 6);
    assert!(
        m.rows.iter().all(|r| r.submitted == 6 && r.expected == 9),
        "{:?}",
        m.rows[0]
    );
    assert_eq!(m.most_outstanding(), 12);
    assert_eq!(m.total(), (72, 108));
}

#[test]
fn reopen_with_a_reason_makes_the_sheet_a_draft_and_leaves_an_audit_row() {
    let (_dir, store) = demo();
    let mut c = console(&store);
    let (judge, entry) = cursor_on(&mut c, Cell::Submitted, None);
    let round = c.round_id().unwrap().to_string();
    press(&mut c, KeyCode::Char('o'));
    assert!(matches!(c.overlay, Some(Overlay::Prompt(_))));
    // A reason is required: the prompt stays open and says so.
    press(&mut c, KeyCode::Enter);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(p.error.as_deref(), Some("必须填写原因。")),
        other => panic!("expected the prompt, got {other:?}"),
    }
    type_text(&mut c, "评委误填");
    press(&mut c, KeyCode::Enter);
    assert_eq!(c.overlay, None);
    let sheet = store.sheet(&judge, &entry, &round).unwrap().unwrap();
    assert_eq!(sheet.status, SheetStatus::Draft);
    let audit = store.audit_log(Some(&entry), Some(&judge)).unwrap();
    let last = audit.last().unwrap();
    assert_eq!(
        (last.action.as_str(), last.actor.as_str(), last.reason.as_str()),
        ("reopen", "organiser", "评委误填")
    );
    // The matrix shows it at once.
    assert_eq!(c.progress_cursor().unwrap().2, Cell::Draft);
    assert!(c.message.as_ref().unwrap().text.contains("已重开"));
    // A draft cannot be reopened again.
    ctrl(&mut c, 'o');
    assert_eq!(c.overlay, None);
    assert_eq!(c.message.as_ref().unwrap().level, Level::Error);
}

#[test]
fn assignment_by_hand_keeps_the_others_and_is_audited() {
    let (_dir, store) = demo();
    let mut c = console(&store);
    // PW07 has not scored: take them off the first entry, then give it back.
    let (judge, entry) = cursor_on(&mut c, Cell::NotStarted, Some("PW07"));
    ctrl(&mut c, 'a');
    let el = store.eligibility().unwrap();
    let assigned = el.per_entry.get(&entry).unwrap();
    assert!(!assigned.contains(&judge));
    assert_eq!(
        assigned.len(),
        8,
        "the other eight judges stay on the entry: {assigned:?}"
    );
    assert_eq!(c.progress_cursor().unwrap().2, Cell::NotAssigned);
    let audit = store.audit_log(Some(&entry), Some(&judge)).unwrap();
    assert_eq!(audit.last().unwrap().action, "assign-entry");
    assert_eq!(audit.last().unwrap().new_value.as_deref(), Some("not assigned"));
    // The judge's own screen no longer lets them score it.
    let session = JudgeSession::trusted(&store, &judge).unwrap();
    let criterion = store.rubric().unwrap().rounds[0].criteria[0].id.clone();
    let round = c.round_id().unwrap().to_string();
    assert!(session.set_score(&entry, &round, &criterion, "20").is_err());
    press(&mut c, KeyCode::Char('a'));
    assert!(store.eligibility().unwrap().per_entry[&entry].contains(&judge));
    assert_eq!(c.progress_cursor().unwrap().2, Cell::NotStarted);
    // A judge who already submitted cannot be taken off.
    let (_, _) = cursor_on(&mut c, Cell::Submitted, None);
    press(&mut c, KeyCode::Char('a'));
    assert_eq!(c.message.as_ref().unwrap().level, Level::Error);
    assert!(c.message.as_ref().unwrap().text.contains("已提交"));
}

#[test]
fn the_chinese_console_shows_the_librarys_refusal_in_chinese() {
    let (_dir, store) = demo();
    organiser::lock(&store, &Actor::Cli, Some("教师组"), None, "已公示").unwrap();
    let mut c = console(&store);
    cursor_on(&mut c, Cell::Submitted, None);
    press(&mut c, KeyCode::Char('o'));
    type_text(&mut c, "评委误填");
    press(&mut c, KeyCode::Enter);
    let error = match &c.overlay {
        Some(Overlay::Prompt(p)) => p.error.clone().unwrap_or_default(),
        other => panic!("expected the prompt with the refusal, got {other:?}"),
    };
    assert_eq!(
        error,
        "未完成：教师组 / lesson 的成绩已锁定（已公示），须由组织者先解锁。"
    );
    let text = screen(&render(&mut c, 120, 40));
    assert!(text.contains("须由组织者先解锁"), "{text}");
    assert!(!text.contains("locked"), "{text}");
}

// ---- locks ----

#[test]
fn a_lock_from_the_console_stops_the_judges_and_unlock_needs_a_reason() {
    let (_dir, store) = demo();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(4));
    assert_eq!(c.tab, Tab::Room);
    let targets = crate::app::progress::lock_targets(store.rubric().unwrap());
    let i = targets
        .iter()
        .position(|t| t.group.as_deref() == Some("教师组") && t.round.is_none())
        .unwrap();
    c.selected[Tab::Room.index()] = i;
    press(&mut c, KeyCode::Enter);
    type_text(&mut c, "结果已公布");
    press(&mut c, KeyCode::Enter);
    let locks = store.locks().unwrap();
    assert_eq!(locks.len(), 1);
    assert_eq!(
        (
            locks[0].group.as_deref(),
            locks[0].round.as_deref(),
            locks[0].reason.as_str()
        ),
        (Some("教师组"), None, "结果已公布")
    );
    // A judge can no longer change a score in that group.
    let session = JudgeSession::trusted(&store, "PW07").unwrap();
    let rubric = store.rubric().unwrap();
    let entry = store
        .entries()
        .unwrap()
        .into_iter()
        .find(|e| e.group.as_deref() == Some("教师组"))
        .unwrap();
    let refused = session.set_score(&entry.id, &rubric.rounds[0].id, &rubric.rounds[0].criteria[0].id, "20");
    assert!(refused.is_err(), "locked");
    // The screen shows the lock and the audit trail.
    let text = screen(&render(&mut c, 120, 40));
    assert!(text.contains("已锁定"), "{text}");
    assert!(text.contains("结果已公布"), "{text}");
    // Unlock without a reason is refused; with one it goes through.
    ctrl(&mut c, 'u');
    press(&mut c, KeyCode::Enter);
    assert!(matches!(&c.overlay, Some(Overlay::Prompt(p)) if p.error.is_some()));
    assert_eq!(store.locks().unwrap().len(), 1);
    type_text(&mut c, "更正录入");
    press(&mut c, KeyCode::Enter);
    assert!(store.locks().unwrap().is_empty());
    let actions: Vec<String> = store
        .audit_log(None, None)
        .unwrap()
        .into_iter()
        .map(|r| r.action)
        .collect();
    assert!(
        actions.ends_with(&["lock".to_string(), "unlock".to_string()]),
        "{actions:?}"
    );
    assert!(
        session
            .set_score(&entry.id, &rubric.rounds[0].id, &rubric.rounds[0].criteria[0].id, "20")
            .is_ok()
    );
}

// ---- shortlist ----

#[test]
fn propose_from_the_console_marks_entries_and_keeps_the_targets() {
    let (_dir, store) = cases();
    let mut c = console(&store);
    assert!(c.tabs().contains(&Tab::Shortlist));
    assert!(!c.tabs().contains(&Tab::Stage));
    press(&mut c, KeyCode::F(5));
    assert_eq!(c.tab, Tab::Shortlist);
    ctrl(&mut c, 'p');
    // total 12, at least 2 per topic, at most 3 per county, batch 1 (prefilled), as 入围.
    type_text(&mut c, "12");
    press(&mut c, KeyCode::Enter);
    type_text(&mut c, "2");
    press(&mut c, KeyCode::Tab);
    type_text(&mut c, "３"); // full-width, as an input method types it
    press(&mut c, KeyCode::Enter);
    press(&mut c, KeyCode::Enter);
    press(&mut c, KeyCode::Enter);
    // The last field: include flagged cases, no (as it stands).
    press(&mut c, KeyCode::Enter);
    let list = store.shortlist().unwrap();
    let chosen: Vec<_> = list.iter().filter(|(_, (s, _))| *s == Status::Shortlisted).collect();
    assert_eq!(chosen.len(), 12, "{:?}", c.message);
    assert!(chosen.iter().all(|(_, (_, b))| *b == Some(1)));
    let data = c.data.as_ref().unwrap();
    assert_eq!(
        data.targets
            .as_ref()
            .map(|t| (t.total, t.min_per_group, t.max_per_county)),
        Some((12, 2, Some(3)))
    );
    let counts = crate::app::progress::chosen_counts(data, &c.shortlist.rows);
    assert!(counts.by_county.iter().all(|(_, n)| *n <= 3), "{:?}", counts.by_county);
    assert!(counts.by_group.iter().all(|(_, n)| *n >= 2), "{:?}", counts.by_group);
    // The bars show counts against the targets.
    let text = screen(&render(&mut c, 120, 40));
    assert!(text.contains("目标：总数 12，每组至少 2，每县至多 3"), "{text}");
    assert!(text.contains("12/12"), "{text}");
}

#[test]
fn propose_says_exactly_which_target_cannot_be_met() {
    let (_dir, store) = cases();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(5));
    press(&mut c, KeyCode::Char('p'));
    // 150 cases with at most 1 per county cannot be met.
    type_text(&mut c, "150");
    press(&mut c, KeyCode::Down);
    press(&mut c, KeyCode::Down);
    type_text(&mut c, "1");
    press(&mut c, KeyCode::F(10));
    match &c.overlay {
        Some(Overlay::Report { lines, .. }) => {
            assert!(lines.iter().any(|l| l.contains("150 overall")), "{lines:?}");
        }
        other => panic!("expected the report, got {other:?}"),
    }
    press(&mut c, KeyCode::Esc);
    assert_eq!(c.overlay, None);
}

/// Cases of the fixture the formal check flags: AL20250047 misses a required section and ranks
/// 9th overall; AL20250074 and AL20250008 share title and organisation, AL20250074 ranks higher.
#[test]
fn propose_leaves_flagged_cases_out_unless_included_and_the_list_marks_them() {
    let (_dir, store) = cases();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(5));
    press(&mut c, KeyCode::Char('p'));
    type_text(&mut c, "20");
    press(&mut c, KeyCode::F(10));
    let list = store.shortlist().unwrap();
    assert_eq!(list.len(), 20, "{:?}", c.message);
    assert!(
        !list.contains_key("AL20250047"),
        "a case failing the formal check is not proposed"
    );
    assert!(
        list.contains_key("AL20250074"),
        "the higher-ranked duplicate may be proposed"
    );
    // The list marks both, in either language.
    let row = |c: &Live, id: &str| c.shortlist.rows.iter().find(|r| r.entry == id).unwrap().clone();
    assert!(row(&c, "AL20250047").marks.held());
    assert!(row(&c, "AL20250074").marks.likely_duplicate() && !row(&c, "AL20250074").marks.held());
    for (w, h) in [(80, 24), (120, 40)] {
        let text = screen(&render(&mut c, w, h));
        let line = |id: &str| {
            text.lines()
                .find(|l| l.contains(id))
                .unwrap_or_else(|| panic!("{id}:\n{text}"))
                .to_string()
        };
        assert!(line("AL20250047").contains("[形式审查未通过]"), "{text}");
        if h == 40 {
            assert!(line("AL20250074").contains("[疑似重复]"), "{text}");
        }
        assert!(!line(&c.shortlist.rows[0].entry).contains('['), "{text}");
    }
    // Propose again with the toggle on (the last field): now the flagged case comes in.
    press(&mut c, KeyCode::Char('p'));
    let form = |c: &Live| match &c.overlay {
        Some(Overlay::Propose(f)) => f.clone(),
        other => panic!("expected the form, got {other:?}"),
    };
    press(&mut c, KeyCode::Up);
    assert_eq!(form(&c).focus, FIELD_FLAGGED);
    assert!(!form(&c).include_flagged);
    let text = screen(&render(&mut c, 80, 24));
    assert!(text.contains("含标记案例") && text.contains("< 否 >"), "{text}");
    press(&mut c, KeyCode::Right);
    assert!(form(&c).include_flagged);
    // One more than the 20 already chosen: the best case not chosen is the flagged one.
    press(&mut c, KeyCode::Down);
    press(&mut c, KeyCode::Backspace);
    press(&mut c, KeyCode::Backspace);
    type_text(&mut c, "21");
    press(&mut c, KeyCode::F(10));
    assert!(store.shortlist().unwrap().contains_key("AL20250047"), "{:?}", c.message);

    let mut en = live(
        &store,
        ConsoleOptions {
            trusted: true,
            ..ConsoleOptions::new(Lang::En)
        },
    )
    .unwrap();
    press(&mut en, KeyCode::F(5));
    let text = screen(&render(&mut en, 120, 40));
    let line = text.lines().find(|l| l.contains("AL20250047")).unwrap();
    assert!(line.contains("[check failed]"), "{text}");
    press(&mut en, KeyCode::Char('p'));
    let text = screen(&render(&mut en, 80, 24));
    assert!(text.contains("Include flagged") && text.contains("< no >"), "{text}");
    assert!(text.contains("lower-ranked of likely"), "{text}");
}

#[test]
fn the_marks_follow_a_corrected_case_and_survive_other_changes() {
    let (_dir, store) = cases();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(5));
    let held = |c: &Live| {
        c.shortlist
            .rows
            .iter()
            .find(|r| r.entry == "AL20250047")
            .unwrap()
            .marks
            .held()
    };
    assert!(held(&c));
    // A commit that leaves the entries alone keeps the marks (found once, not on every reload).
    organiser::shortlist_set(&store, &Actor::Cli, &["AL20250001".into()], Status::Rejected, None).unwrap();
    c.reload_now().unwrap();
    assert!(held(&c));
    // The missing section is filled in by a new import of the case: the mark goes.
    let mut e = store
        .entries_with_texts()
        .unwrap()
        .into_iter()
        .find(|e| e.id == "AL20250047")
        .unwrap();
    for section in crate::core::Section::ALL {
        if e.sections.get(section).trim().chars().count() < 20 {
            *e.sections.get_mut(section) = "补写的内容，说明这一部分的做法和效果。".repeat(3);
        }
    }
    store.write(|s| s.put_entries(&[e])).unwrap();
    c.reload_now().unwrap();
    assert!(!held(&c));
}

#[test]
fn status_and_batch_are_set_by_keys() {
    let (_dir, store) = cases();
    let mut c = console(&store);
    press(&mut c, KeyCode::Char('4'));
    assert_eq!(c.tab, Tab::Shortlist);
    let first = c.shortlist.rows[0].entry.clone();
    // Sorted by final, best first.
    let finals: Vec<String> = c.shortlist.rows.iter().filter_map(|r| r.final_text.clone()).collect();
    let numbers: Vec<f64> = finals.iter().map(|f| f.parse().unwrap()).collect();
    assert!(numbers.windows(2).all(|w| w[0] >= w[1]));
    press(&mut c, KeyCode::Enter);
    press(&mut c, KeyCode::Char(' '));
    assert_eq!(store.shortlist_status(&first).unwrap(), Some((Status::Selected, None)));
    ctrl(&mut c, 'b');
    type_text(&mut c, "2");
    press(&mut c, KeyCode::Enter);
    assert_eq!(
        store.shortlist_status(&first).unwrap(),
        Some((Status::Selected, Some(2)))
    );
    press(&mut c, KeyCode::Backspace);
    assert_eq!(
        store.shortlist_status(&first).unwrap(),
        Some((Status::Shortlisted, Some(2)))
    );
}

// ---- live updates ----

#[test]
fn the_console_follows_the_judges_without_a_key() {
    let (dir, store) = demo();
    let mut c = console(&store);
    let before = c.progress.matrix.total();
    // Another process (a judge) submits a whole sheet.
    let other = Store::open(&dir.path().join("demo.jury")).unwrap();
    let session = JudgeSession::trusted(&other, "PW07").unwrap();
    let rubric = other.rubric().unwrap();
    let round = &rubric.rounds[0];
    let entry = c.progress.matrix.rows[0].entry.clone();
    for criterion in &round.criteria {
        session.set_score(&entry, &round.id, &criterion.id, "15").unwrap();
    }
    session.submit(&entry, &round.id).unwrap();
    c.update(Msg::Tick);
    assert_eq!(c.progress.matrix.total(), (before.0 + 1, before.1));
    let col = c.progress.matrix.judges.iter().position(|j| j == "PW07").unwrap();
    assert_eq!(c.progress.matrix.rows[0].cells[col], Cell::Submitted);
}

// ---- export ----

#[test]
fn export_writes_the_file_and_shows_where_and_its_fingerprint() {
    let (dir, store) = demo();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(6));
    assert_eq!(c.tab, Tab::Export);
    let md = c
        .export_kinds()
        .iter()
        .position(|k| *k == ExportKind::ResultsMd)
        .unwrap();
    c.selected[Tab::Export.index()] = md;
    press(&mut c, KeyCode::Enter);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => {
            assert!(
                p.input.starts_with("results-家庭教育与心理健康教育专业技能大赛"),
                "{}",
                p.input
            );
            assert!(p.input.ends_with(".md"));
        }
        other => panic!("expected the file prompt, got {other:?}"),
    }
    ctrl(&mut c, 'u');
    let out = dir.path().join("成绩.md");
    type_text(&mut c, out.to_str().unwrap());
    press(&mut c, KeyCode::Enter);
    assert_eq!(c.overlay, None, "{:?}", c.message);
    let text = std::fs::read_to_string(&out).unwrap();
    assert!(text.contains("教师组"));
    let message = &c.message.as_ref().unwrap().text;
    assert!(message.contains(out.to_str().unwrap()), "{message}");
    assert!(message.contains("JURY2-"), "{message}");
    assert_eq!(c.export.written.len(), 1);
    // A backup where a file already exists is refused, and the prompt stays open to fix it.
    c.selected[Tab::Export.index()] = c.export_kinds().len() - 1;
    press(&mut c, KeyCode::Enter);
    ctrl(&mut c, 'u');
    type_text(&mut c, out.to_str().unwrap());
    press(&mut c, KeyCode::Enter);
    assert!(matches!(&c.overlay, Some(Overlay::Prompt(p)) if p.error.is_some()));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), text, "not overwritten");
}

// ---- the stage ----

#[test]
fn the_stage_moves_in_running_order_and_shows_who_has_submitted() {
    let (_dir, store) = demo();
    let mut c = console(&store);
    assert!(c.tabs().contains(&Tab::Stage));
    press(&mut c, KeyCode::Char('6'));
    assert_eq!(c.tab, Tab::Stage);
    ctrl(&mut c, 'n');
    let first = crate::app::stage::current(&store).unwrap().unwrap();
    assert_eq!(first.entry, c.stage.order[0].id);
    press(&mut c, KeyCode::Char('n'));
    let second = crate::app::stage::current(&store).unwrap().unwrap();
    assert_eq!(second.entry, c.stage.order[1].id);
    // Six judges have submitted the demo's first round; PW07 to PW09 have not.
    assert_eq!(c.stage.submissions.iter().filter(|(_, s)| *s).count(), 6);
    let text = screen(&render(&mut c, 120, 40));
    assert!(text.contains(&format!("台上 {}", second.entry)), "{text}");
    assert!(text.contains("PW07"), "{text}");
    press(&mut c, KeyCode::Char('p'));
    assert_eq!(crate::app::stage::current(&store).unwrap().unwrap().entry, first.entry);
    // PW07 to PW09 are not in: v is refused through the library, in the screen's language, and
    // a second v reveals the result as provisional.
    ctrl(&mut c, 'v');
    assert!(!crate::app::stage::current(&store).unwrap().unwrap().revealed);
    let message = c.message.as_ref().unwrap();
    assert_eq!(message.level, Level::Error);
    assert_eq!(
        message.text,
        "尚有 3/9 位评委未提交（PW07、PW08、PW09），暂不亮分。再按一次 v 暂定亮分（投影标明暂定）。"
    );
    press(&mut c, KeyCode::Char('v'));
    assert!(crate::app::stage::current(&store).unwrap().unwrap().revealed);
    assert_eq!(
        c.message.as_ref().unwrap().text,
        format!("{} 已暂定亮分（尚缺 3 位评委）。", first.entry)
    );
    let last = store.audit_log(Some(&first.entry), None).unwrap().pop().unwrap();
    assert!(last.reason.starts_with("provisional: 3 of 9"), "{}", last.reason);
    let text = screen(&render(&mut c, 120, 40));
    assert!(text.contains("已提交 6/9   投影：暂定亮分"), "{text}");
    // v hides it again; a refusal is confirmed by the very next key only.
    press(&mut c, KeyCode::Char('v'));
    assert!(!crate::app::stage::current(&store).unwrap().unwrap().revealed);
    press(&mut c, KeyCode::Char('v'));
    press(&mut c, KeyCode::Down);
    press(&mut c, KeyCode::Char('v'));
    assert!(!crate::app::stage::current(&store).unwrap().unwrap().revealed);
    assert_eq!(c.message.as_ref().unwrap().level, Level::Error);
}

#[test]
fn the_stage_refusal_follows_the_language() {
    let (_dir, store) = demo();
    let mut c = live(
        &store,
        ConsoleOptions {
            trusted: true,
            ..ConsoleOptions::new(Lang::En)
        },
    )
    .unwrap();
    press(&mut c, KeyCode::Char('6'));
    press(&mut c, KeyCode::Char('n'));
    press(&mut c, KeyCode::Char('v'));
    assert_eq!(
        c.message.as_ref().unwrap().text,
        "3 of 9 judges have not submitted (PW07, PW08, PW09): the result stays hidden. Press v again to reveal it as provisional."
    );
}

// ---- mouse ----

#[test]
fn clicks_choose_tabs_and_rows() {
    let (_dir, store) = demo();
    let mut c = console(&store);
    let t = render(&mut c, 120, 40);
    let (x, y) = find(t.backend().buffer(), "实时成绩").unwrap();
    let click = |c: &mut Live, x: u16, y: u16| {
        c.update(Msg::Mouse(MouseEvent {
            kind: MouseEventKind::Down(MouseButton::Left),
            column: x,
            row: y,
            modifiers: KeyModifiers::NONE,
        }))
    };
    click(&mut c, x, y);
    assert_eq!(c.tab, Tab::Tally);
    let t = render(&mut c, 120, 40);
    let third = c.data.as_ref().unwrap().tally.groups[0].entries[2].id.clone();
    let (x, y) = find(t.backend().buffer(), &third).unwrap();
    click(&mut c, x, y);
    assert_eq!(c.selected[Tab::Tally.index()], 2);
}

// ---- drawing ----

#[test]
fn dropped_marks_are_bracketed_and_struck_through() {
    let (_dir, store) = demo();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(3));
    let t = render(&mut c, 120, 40);
    let buffer = t.backend().buffer();
    let text = screen(&t);
    // Six marks per entry, highest and lowest in brackets (below the selectors' "(1/3)").
    let (x, y) = (4..buffer.area.height)
        .find_map(|y| {
            let row = &lines(buffer)[usize::from(y)];
            row.contains('(').then(|| find(buffer, row.trim()).map(|(_, y)| y))?
        })
        .and_then(|y| {
            (0..buffer.area.width)
                .find(|&x| buffer[(x, y)].symbol() == "(")
                .map(|x| (x, y))
        })
        .expect("a dropped mark");
    assert!(buffer[(x, y)].modifier.contains(Modifier::CROSSED_OUT));
    assert!(buffer[(x + 1, y)].modifier.contains(Modifier::CROSSED_OUT));
    let row = &lines(buffer)[usize::from(y)];
    assert_eq!(row.matches('(').count(), 2, "{row}");
    assert!(text.contains("名次"), "{text}");
    // Ranks 1.. in order.
    let rank_one = text.lines().find(|l| l.trim_start().starts_with("1 ")).unwrap();
    assert!(rank_one.contains("JS"), "{rank_one}");
    assert!(!text.contains("分差过大"), "{text}");
    // A seventh judge far below the others: their mark is flagged (and, being lowest, dropped).
    let entry = c.data.as_ref().unwrap().tally.groups[0].entries[0].id.clone();
    let session = JudgeSession::trusted(&store, "PW07").unwrap();
    let round = &store.rubric().unwrap().rounds[0];
    for criterion in &round.criteria {
        session.set_score(&entry, &round.id, &criterion.id, "5").unwrap();
    }
    session.submit(&entry, &round.id).unwrap();
    c.reload_now().unwrap();
    let t = render(&mut c, 120, 40);
    let buffer = t.backend().buffer();
    let (x, y) = find(buffer, "分差过大").expect("the flag");
    assert_eq!(buffer[(x, y)].fg, c.theme.error.fg.unwrap());
    let row = &lines(buffer)[usize::from(y)];
    assert!(
        row.contains(&entry) && row.contains("(20)!") || row.contains("(20)"),
        "{row}"
    );
}

fn snapshot_all(c: &mut Live, name: &str) {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let t = render(c, w, h);
        // Kept with the judges' screen's snapshots.
        insta::with_settings!({ snapshot_path => "../snapshots" }, {
            insta::assert_snapshot!(format!("console_{name}_{w}x{h}"), t.backend());
        });
    }
}

#[test]
fn screens_competition() {
    let (_dir, store) = demo();
    let mut c = live(&store, ConsoleOptions::new(Lang::Zh)).unwrap();
    type_text(&mut c, "abc");
    snapshot_all(&mut c, "login");
    let mut c = console(&store);
    // The locks first: the audit trail below them shows times.
    press(&mut c, KeyCode::F(4));
    snapshot_all(&mut c, "locks");
    press(&mut c, KeyCode::F(2));
    // A hand assignment makes the matrix show a blank (not assigned) cell too.
    let (_, _) = cursor_on(&mut c, Cell::NotStarted, Some("PW09"));
    press(&mut c, KeyCode::Char('a'));
    c.selected[Tab::Progress.index()] = 0;
    c.progress.column = 0;
    snapshot_all(&mut c, "progress");
    press(&mut c, KeyCode::F(3));
    snapshot_all(&mut c, "tally");
    press(&mut c, KeyCode::F(5));
    snapshot_all(&mut c, "stats");
    press(&mut c, KeyCode::F(6));
    snapshot_all(&mut c, "export");
    press(&mut c, KeyCode::F(7));
    press(&mut c, KeyCode::Char('n'));
    press(&mut c, KeyCode::Char('n'));
    c.message = None;
    snapshot_all(&mut c, "stage");
    press(&mut c, KeyCode::F(1));
    snapshot_all(&mut c, "help");
}

#[test]
fn screens_cases() {
    let (_dir, store) = cases();
    let mut c = console(&store);
    snapshot_all(&mut c, "cases_progress");
    press(&mut c, KeyCode::F(5));
    ctrl(&mut c, 'p');
    type_text(&mut c, "20");
    press(&mut c, KeyCode::Tab);
    type_text(&mut c, "2");
    press(&mut c, KeyCode::Tab);
    type_text(&mut c, "4");
    snapshot_all(&mut c, "cases_propose");
    press(&mut c, KeyCode::F(10));
    c.message = None;
    snapshot_all(&mut c, "cases_shortlist");
    press(&mut c, KeyCode::F(3));
    snapshot_all(&mut c, "cases_tally");
    press(&mut c, KeyCode::F(6));
    snapshot_all(&mut c, "cases_stats");
    // The reopen prompt with Chinese typed in.
    press(&mut c, KeyCode::F(2));
    let (_, _) = cursor_on(&mut c, Cell::Submitted, None);
    press(&mut c, KeyCode::Char('o'));
    type_text(&mut c, "评委误填分数");
    snapshot_all(&mut c, "cases_reopen_prompt");
}

#[test]
fn english_catalogue_draws_too() {
    let (_dir, store) = demo();
    let mut c = live(
        &store,
        ConsoleOptions {
            trusted: true,
            ..ConsoleOptions::new(Lang::En)
        },
    )
    .unwrap();
    let text = screen(&render(&mut c, 80, 24));
    assert!(text.contains("F2 Progress"), "{text}");
    assert!(text.contains("# submitted"), "{text}");
    let text = screen(&render(&mut c, 60, 20));
    assert!(text.contains("too small"), "{text}");
}

// ---- calibration ----

#[test]
fn statistics_show_each_judges_offset_on_the_calibration_samples() {
    let (_dir, store) = demo();
    // A sample entry of its own, so that only the two judges below have scored it.
    store
        .write(|s| {
            let mut e = s.entry("JS001")?.unwrap();
            e.id = "CAL01".into();
            e.order = None;
            s.put_entries(&[e])
        })
        .unwrap();
    crate::app::calibration::add(&store, &Actor::Cli, &["CAL01".into()]).unwrap();
    let rubric = store.rubric().unwrap().clone();
    let round = &rubric.rounds[0];
    // PW01 gives every criterion its maximum, PW02 zero: the panel mean is half the maximum.
    let mut scores = Vec::new();
    for (judge, full) in [("PW01", true), ("PW02", false)] {
        for criterion in &round.criteria {
            scores.push(crate::store::ScoreInput {
                judge: judge.into(),
                entry: "CAL01".into(),
                round: round.id.clone(),
                criterion: criterion.id.clone(),
                value: if full { criterion.max } else { crate::core::Points::ZERO },
            });
        }
    }
    store.write(|s| s.put_imported_scores(&scores)).unwrap();
    let max: crate::core::Points = round.criteria.iter().map(|c| c.max).sum();
    let half = crate::app::calibration::signed(max.as_ratio().div_int(2), rubric.decimals);
    let minus_half =
        crate::app::calibration::signed(crate::core::Ratio::ZERO - max.as_ratio().div_int(2), rubric.decimals);
    assert!(
        half.starts_with('+') && minus_half.starts_with('-'),
        "{half} {minus_half}"
    );

    let mut c = console(&store);
    press(&mut c, KeyCode::F(5));
    assert_eq!(c.tab, Tab::Stats);
    let text = screen(&render(&mut c, 120, 40));
    assert!(text.contains("试评"), "{text}");
    assert!(text.contains(&format!("CAL01/{}", round.id)), "{text}");
    let row = |judge: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(judge))
            .unwrap_or_else(|| panic!("no row for {judge}:\n{text}"))
            .to_string()
    };
    let pw01 = row("PW01");
    assert!(pw01.contains(&format!("{max} ({half})")), "{pw01}");
    assert!(
        pw01.trim_end().ends_with(&half),
        "the mean offset closes the row: {pw01}"
    );
    let pw02 = row("PW02");
    assert!(pw02.contains(&format!("({minus_half})")), "{pw02}");
    assert!(pw02.trim_end().ends_with(&minus_half), "{pw02}");
    // A judge who has not scored the sample has no offset.
    let pw07 = row("PW07");
    assert!(pw07.trim_end().ends_with('-'), "{pw07}");
    assert!(text.contains("平均偏差") && text.contains("评委组平均"), "{text}");
}

// ---- blank score sheets (paper) ----

#[test]
fn the_export_tab_writes_the_blank_paper_form_through_the_library() {
    use calamine::Reader;
    let (dir, store) = demo();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(6));
    // The demo is a competition: the tab lists the kinds a competition has.
    let at = ExportKind::for_contest(false)
        .iter()
        .position(|k| *k == ExportKind::BlankSheetsXlsx)
        .unwrap();
    c.selected[Tab::Export.index()] = at;
    press(&mut c, KeyCode::Enter);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert!(p.input.starts_with("sheets-blank-"), "{}", p.input),
        other => panic!("expected the file prompt, got {other:?}"),
    }
    ctrl(&mut c, 'u');
    let out = dir.path().join("空白评分表.xlsx");
    type_text(&mut c, out.to_str().unwrap());
    press(&mut c, KeyCode::Enter);
    assert_eq!(c.overlay, None, "{:?}", c.message);
    let mut book: calamine::Xlsx<_> = calamine::open_workbook(&out).unwrap();
    let rubric = store.rubric().unwrap();
    let judges = store.judges().unwrap();
    // Every judge, group and round: the demo has no panels, so every judge scores every group.
    assert_eq!(
        book.sheet_names().len(),
        judges.len() * rubric.groups.len() * rubric.rounds.len()
    );
    let first = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&first).unwrap();
    assert_eq!(
        range.get_value((1, 0)).map(ToString::to_string).as_deref(),
        Some("评委")
    );
    assert_eq!(
        range.get_value((1, 1)).map(ToString::to_string),
        Some(judges[0].id.clone())
    );
    assert!(c.message.as_ref().unwrap().text.contains(out.to_str().unwrap()));
}

// ---- imports (the import log, issue 16) ----

#[test]
fn the_imports_view_lists_every_import_and_undoes_one_behind_a_reason() {
    let (_dir, store) = cases();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(4));
    assert_eq!(c.tab, Tab::Room);
    press(&mut c, KeyCode::Char('i'));
    let text = screen(&render(&mut c, 80, 24));
    assert!(text.contains("导入记录"), "{text}");
    for (n, kind, file, rows) in [
        ("3", "分数", "scores-cases.csv", "3035"),
        ("2", "评委", "judges.csv", "9"),
        ("1", "作品", "cases.csv", "160"),
    ] {
        let line = text
            .lines()
            .find(|l| l.contains(file) && l.contains(kind))
            .unwrap_or_else(|| panic!("{file} in {text}"));
        assert!(line.contains(rows) && line.contains(&format!(" {n} ")), "{line}");
        assert!(line.contains("已导入"), "{line}");
    }
    // The newest is chosen: `u` asks why; an empty reason is refused.
    press(&mut c, KeyCode::Char('u'));
    assert!(matches!(
        &c.overlay,
        Some(Overlay::Prompt(Prompt {
            ask: Ask::UndoImport { number: 3 },
            ..
        }))
    ));
    press(&mut c, KeyCode::Enter);
    assert!(store.imports().unwrap()[2].undone.is_none());
    type_text(&mut c, "导错文件");
    press(&mut c, KeyCode::Enter);
    let undone = store.imports().unwrap()[2].undone.clone().expect("import 3 undone");
    assert_eq!((undone.by.as_str(), undone.reason.as_str()), ("organiser", "导错文件"));
    let sheets: i64 = store
        .conn()
        .query_row("SELECT COUNT(*) FROM sheets", [], |r| r.get(0))
        .unwrap();
    assert_eq!(sheets, 0);
    assert!(c.overlay.is_none());
    assert!(screen(&render(&mut c, 80, 24)).contains("第 3 次导入已撤销"));
    // The list shows it undone; import 1 cannot go while... nothing depends on it any more than
    // the judges' import does: undo of import 3 freed both. A second undo of 3 is refused.
    press(&mut c, KeyCode::Char('i'));
    let text = screen(&render(&mut c, 80, 24));
    assert!(text.contains("已撤销"), "{text}");
    press(&mut c, KeyCode::Char('u'));
    let text = screen(&render(&mut c, 80, 24));
    assert!(text.contains("第 3 次导入已于"), "{text}");
}

#[test]
fn a_refused_undo_in_the_console_says_why_in_the_prompt() {
    let (_dir, store) = cases();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(4));
    press(&mut c, KeyCode::Char('i'));
    // Import 1 (the entries): the oldest, last in the list.
    press(&mut c, KeyCode::End);
    press(&mut c, KeyCode::Char('u'));
    type_text(&mut c, "换文件");
    press(&mut c, KeyCode::Enter);
    let Some(Overlay::Prompt(prompt)) = &c.overlay else {
        panic!("{:?}", c.overlay)
    };
    let error = prompt.error.clone().unwrap_or_default();
    assert!(error.contains("第 1 次导入不能撤销"), "{error}");
    assert!(store.imports().unwrap()[0].undone.is_none());
}

/// Nobody on stage: the stage tab says so once (it was in the summary line too).
#[test]
fn nobody_on_stage_is_said_once() {
    let (_dir, store) = demo();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(7));
    assert!(c.stage.current.is_none());
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        let text = crate::tui::test_support::screen(&render(&mut c, w, h));
        assert_eq!(text.matches("台上还没有选手").count(), 1, "{w}x{h}:\n{text}");
    }
}

/// The live tally's round names fit at 120 and 80 columns (`育人故事分享` was cut to `育人故事~`),
/// and the chosen entry's marks are shown with their judges' ids.
#[test]
fn tally_round_names_fit_and_marks_name_their_judges() {
    let (_dir, store) = demo();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(3));
    let text = crate::tui::test_support::screen(&render(&mut c, 120, 40));
    let head = text
        .lines()
        .find(|l| l.contains("名次"))
        .unwrap_or_default()
        .to_string();
    for name in ["现场说课", "案例分析", "育人故事分享"] {
        assert!(head.contains(name), "{head}");
    }
    assert!(!head.contains("~"), "{head}");
    // 80 columns: the chosen round only; every round's name fits.
    for _ in 0..3 {
        let name = c.data.as_ref().unwrap().rubric.rounds[c.round].name.clone();
        let text = crate::tui::test_support::screen(&render(&mut c, 80, 24));
        let head = text
            .lines()
            .find(|l| l.contains("名次"))
            .unwrap_or_default()
            .to_string();
        assert!(head.contains(&format!(" {name} ")), "{name}: {head}");
        assert!(!head.contains("~"), "{name}: {head}");
        press(&mut c, KeyCode::Char('r'));
    }
    // The chosen (first) entry's marks, each after its judge's id.
    let data = c.data.as_ref().unwrap();
    let e = data.tally.groups[0].entries[0].clone();
    let round = data.rubric.rounds[c.round].id.clone();
    let marks = e.round(&round).unwrap().marks.clone();
    let first = marks[0].clone();
    let round_name = c.data.as_ref().unwrap().rubric.rounds[c.round].name.clone();
    let text = crate::tui::test_support::screen(&render(&mut c, 120, 40));
    let foot = text
        .lines()
        .nth(text.lines().count() - 3)
        .unwrap_or_default()
        .to_string();
    assert!(foot.starts_with(&format!(" {} {round_name}：", e.id)), "{foot}");
    for m in &marks {
        let shown = match m.dropped {
            Some(_) => format!("{} ({})", m.judge, m.total),
            None => format!("{} {}", m.judge, m.total),
        };
        assert!(foot.contains(&shown), "{shown}: {foot}");
    }
    assert!(foot.contains(&format!("{} ", first.judge)), "{foot}");
}

/// The export tab has what `jury export` has: the Word results, the public copy and the
/// certificates; for cases the selected list and the case collection too.
#[test]
fn the_export_tab_writes_the_word_results_the_public_copy_and_the_certificates() {
    let (dir, store) = demo();
    organiser::lock(&store, &Actor::Cli, None, None, "结果已核对").unwrap();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(6));
    assert_eq!(c.tab, Tab::Export);
    let kinds = c.export_kinds();
    assert!(
        !kinds.contains(&ExportKind::SelectedHtml),
        "no selection in a competition"
    );
    let text = crate::tui::test_support::screen(&render(&mut c, 80, 24));
    for label in ["成绩 Word", "公示版 HTML", "荣誉证书", "备份"] {
        assert!(text.contains(label), "{label}:\n{text}");
    }
    for (kind, file, needle) in [
        (ExportKind::ResultsDocx, "成绩.docx", None),
        (ExportKind::ResultsPublic, "公示.html", Some("公示")),
        (ExportKind::Certificates, "证书.html", Some("荣誉证书")),
    ] {
        c.selected[Tab::Export.index()] = kinds.iter().position(|k| *k == kind).unwrap();
        press(&mut c, KeyCode::Enter);
        assert!(matches!(&c.overlay, Some(Overlay::Prompt(_))), "{kind:?}");
        ctrl(&mut c, 'u');
        let out = dir.path().join(file);
        type_text(&mut c, out.to_str().unwrap());
        press(&mut c, KeyCode::Enter);
        assert_eq!(c.overlay, None, "{kind:?}: {:?}", c.message);
        let bytes = std::fs::read(&out).unwrap();
        if let Some(needle) = needle {
            assert!(String::from_utf8_lossy(&bytes).contains(needle), "{kind:?}");
        } else {
            assert_eq!(&bytes[..2], b"PK", "a .docx is a ZIP");
        }
        assert!(c.message.as_ref().unwrap().text.contains(out.to_str().unwrap()));
    }
    // The public copy leaves the judges' marks out.
    let public = std::fs::read_to_string(dir.path().join("公示.html")).unwrap();
    assert!(!public.contains("class=\"marks\""));
    assert_eq!(c.export.written.len(), 3);

    let (_dir, store) = cases();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(7));
    assert_eq!(c.tab, Tab::Export);
    let text = crate::tui::test_support::screen(&render(&mut c, 120, 40));
    for label in ["入选名单 HTML", "入选案例集 Word"] {
        assert!(text.contains(label), "{label}:\n{text}");
    }
    let kinds = c.export_kinds();
    c.selected[Tab::Export.index()] = kinds.iter().position(|k| *k == ExportKind::SelectedHtml).unwrap();
    press(&mut c, KeyCode::Enter);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert!(
            p.input.starts_with("selected-") && p.input.ends_with(".html"),
            "{}",
            p.input
        ),
        other => panic!("expected the file prompt, got {other:?}"),
    }
}

#[test]
fn the_audit_trail_names_a_round_by_its_name() {
    let (_dir, store) = demo();
    let rubric = store.rubric().unwrap().clone();
    let round = &rubric.rounds[0];
    assert_ne!(round.id, round.name);
    organiser::lock(&store, &Actor::Cli, Some("教师组"), Some(&round.id), "已公示").unwrap();
    let mut c = console(&store);
    press(&mut c, KeyCode::F(4));
    assert_eq!(c.tab, Tab::Room);
    let text = screen(&render(&mut c, 120, 40));
    let trail: Vec<&str> = text.lines().filter(|l| l.contains("已公示")).collect();
    assert!(
        trail.iter().any(|l| l.contains(&format!("教师组 / {}", round.name))),
        "{text}"
    );
    assert!(!text.contains(&format!(" {}", round.id)), "{text}");
}
