//! The console as a pure state machine: plain values in (keys, outcomes), effects out, and what is
//! drawn; no workspace file, no terminal.

use std::collections::HashMap;
use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::effect::{Change, Effect, Loaded, Outcome};
use super::state::*;
use crate::app::organiser::Toggled;
use crate::app::progress::{Cell, Contest, RoomData, SheetStatus};
use crate::core::organiser::OrganiserRefusal;
use crate::core::rubric::{parse_rubric, template_source};
use crate::core::{Entry, Judge, Kind};
use crate::error::Error;
use crate::tui::Lang;
use crate::tui::runtime::{Event, Screen};
use crate::tui::test_support::screen;

/// A competition with two judges and two contestants of its first group; PW01 has submitted
/// JS001 in the first round.
fn room(per_entry: &[(&str, &[&str])]) -> RoomData {
    let (file, source) = template_source("competition").unwrap();
    let rubric = parse_rubric(file, source).unwrap();
    let group = rubric.groups[0].clone();
    let round = rubric.rounds[0].id.clone();
    let judges = ["PW01", "PW02"]
        .map(|id| Judge {
            id: id.into(),
            name: format!("评委{}", &id[3..]),
            ..Default::default()
        })
        .to_vec();
    let entries = [("JS001", "张老师"), ("JS002", "李老师")]
        .iter()
        .enumerate()
        .map(|(i, (id, name))| Entry {
            id: (*id).into(),
            group: Some(group.clone()),
            name: (*name).into(),
            order: Some(i as i64 + 1),
            ..Default::default()
        })
        .collect();
    let mut eligibility = crate::core::assign::Eligibility::default();
    for (entry, judges) in per_entry {
        eligibility
            .per_entry
            .insert(entry.to_string(), judges.iter().map(|j| j.to_string()).collect());
    }
    let tally = crate::app::tally::compute(&rubric, &[], &[], None);
    RoomData {
        judges,
        entries,
        statuses: HashMap::from([(("JS001".into(), round, "PW01".into()), SheetStatus::Submitted)]),
        conflicts: HashMap::new(),
        eligibility,
        tally,
        stats: Vec::new(),
        calibration: None,
        locks: Vec::new(),
        shortlist: HashMap::new(),
        targets: None,
        audit: Vec::new(),
        marks: HashMap::new(),
        findings: (None, Vec::new()),
        rubric,
        discussed: Vec::new(),
    }
}

fn loaded(data: RoomData) -> Outcome {
    Outcome::Loaded(Ok(Box::new(Loaded {
        data,
        version: 1,
        stage: None,
        submissions: Vec::new(),
        stage_order: Vec::new(),
    })))
}

/// The console past its passphrase, shown `data` after the first tick asked for it.
fn console(lang: Lang, data: RoomData) -> Console {
    let contest = Contest {
        name: "全市教师技能大赛".into(),
        kind: Kind::Competition,
    };
    let mut c = Console::new(
        contest,
        ConsoleOptions {
            trusted: true,
            ..ConsoleOptions::new(lang)
        },
    );
    assert_eq!(
        c.on_tick(Instant::now()),
        vec![Effect::Reload {
            with_audit: false,
            group: 0
        }]
    );
    assert_eq!(c.on_outcome(loaded(data)), vec![]);
    c
}

fn key(c: &mut Console, code: KeyCode) -> Vec<Effect> {
    c.on_event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

fn text(c: &mut Console) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).unwrap();
    terminal.draw(|f| super::view::draw(f, c)).unwrap();
    screen(&terminal)
}

fn cell(c: &Console, judge: &str, entry: &str) -> Cell {
    let col = c.progress.matrix.judges.iter().position(|j| j == judge).unwrap();
    let row = c.progress.matrix.rows.iter().find(|r| r.entry == entry).unwrap();
    row.cells[col]
}

#[test]
fn reopen_key_reason_and_enter_give_exactly_the_reopen_of_the_sheet_on_screen() {
    let mut c = console(Lang::Zh, room(&[]));
    let round = c.round_id().unwrap().to_string();
    // The cursor starts on the first judge and the first contestant, whose sheet is in.
    assert_eq!(
        c.progress_cursor(),
        Some(("PW01".into(), "JS001".into(), Cell::Submitted))
    );
    let shown = text(&mut c);
    assert!(shown.contains("PW01") && shown.contains("JS001"), "{shown}");
    assert_eq!(key(&mut c, KeyCode::Char('o')), vec![]);
    assert!(matches!(c.overlay, Some(Overlay::Prompt(_))));
    let mut effects = Vec::new();
    for ch in "评委误填".chars() {
        effects.extend(key(&mut c, KeyCode::Char(ch)));
    }
    effects.extend(key(&mut c, KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::Reopen {
            judge: "PW01".into(),
            entry: "JS001".into(),
            round: round.clone(),
            reason: "评委误填".into(),
        }]
    );
    // Nothing is claimed before the outcome: the prompt stays, the sheet is still submitted.
    assert!(matches!(c.overlay, Some(Overlay::Prompt(_))));
    assert_eq!(cell(&c, "PW01", "JS001"), Cell::Submitted);
    let done = Outcome::Changed {
        change: Change::Reopened {
            judge: "PW01".into(),
            entry: "JS001".into(),
        },
        result: Ok(()),
    };
    assert_eq!(
        c.on_outcome(done),
        vec![Effect::Reload {
            with_audit: false,
            group: 0
        }]
    );
    assert_eq!(c.overlay, None);
    assert_eq!(
        c.message.as_ref().map(|m| m.text.as_str()),
        Some("已重开 PW01 对 JS001 的评分表，现为草稿。")
    );
}

#[test]
fn a_typed_refusal_is_shown_in_the_consoles_language() {
    let locked = || {
        Error::Organiser(OrganiserRefusal::Locked {
            group: Some("教师组".into()),
            round: "lesson".into(),
            reason: "已公示".into(),
        })
    };
    let refused = |c: &mut Console| {
        key(c, KeyCode::Char('o'));
        for ch in "x".chars() {
            key(c, KeyCode::Char(ch));
        }
        assert_eq!(key(c, KeyCode::Enter).len(), 1);
        let effects = c.on_outcome(Outcome::Changed {
            change: Change::Reopened {
                judge: "PW01".into(),
                entry: "JS001".into(),
            },
            result: Err(locked()),
        });
        assert_eq!(effects, vec![], "nothing is read again after a refusal");
        match &c.overlay {
            Some(Overlay::Prompt(p)) => p.error.clone().unwrap(),
            other => panic!("the prompt stays open with the reason, got {other:?}"),
        }
    };
    let mut zh = console(Lang::Zh, room(&[]));
    assert_eq!(
        refused(&mut zh),
        "未完成：教师组 / lesson 的成绩已锁定（已公示），须由组织者先解锁。"
    );
    assert!(text(&mut zh).contains("须由组织者先解锁"));
    let mut en = console(Lang::En, room(&[]));
    assert_eq!(
        refused(&mut en),
        "Not done: the results for 教师组 / lesson are locked (已公示); the organiser must unlock them first"
    );
    // A refused toggle says why on the message line, in Chinese.
    let mut c = console(Lang::Zh, room(&[]));
    c.on_outcome(Outcome::Toggled {
        judge: "PW01".into(),
        entry: "JS001".into(),
        result: Err(Error::Organiser(OrganiserRefusal::UnassignSubmitted {
            judge: "PW01".into(),
            entry: "JS001".into(),
        })),
    });
    let message = c.message.clone().unwrap();
    assert_eq!(message.level, Level::Error);
    assert_eq!(
        message.text,
        "PW01 已提交 JS001 的评分表，不能取消分配；如需更正请先重开。"
    );
}

#[test]
fn a_toggle_changes_nothing_on_screen_until_its_outcome_and_the_reread() {
    let mut c = console(Lang::Zh, room(&[]));
    c.selected[Tab::Progress.index()] = 1;
    c.progress.column = 1;
    assert_eq!(
        c.progress_cursor(),
        Some(("PW02".into(), "JS002".into(), Cell::NotStarted))
    );
    assert_eq!(
        key(&mut c, KeyCode::Char('a')),
        vec![Effect::ToggleAssignment {
            judge: "PW02".into(),
            entry: "JS002".into(),
        }]
    );
    assert_eq!(cell(&c, "PW02", "JS002"), Cell::NotStarted);
    assert_eq!(c.message, None);
    let effects = c.on_outcome(Outcome::Toggled {
        judge: "PW02".into(),
        entry: "JS002".into(),
        result: Ok(Toggled::Unassigned),
    });
    assert_eq!(
        effects,
        vec![Effect::Reload {
            with_audit: false,
            group: 0
        }]
    );
    assert_eq!(
        c.message.as_ref().map(|m| m.text.as_str()),
        Some("已取消 PW02 对 JS002 的分配。")
    );
    // The matrix shows what the workspace holds, once read again.
    assert_eq!(cell(&c, "PW02", "JS002"), Cell::NotStarted);
    c.on_outcome(loaded(room(&[("JS002", &["PW01"])])));
    assert_eq!(cell(&c, "PW02", "JS002"), Cell::NotAssigned);
}

#[test]
fn a_judges_commit_elsewhere_is_read_on_the_next_tick_and_only_then() {
    let mut c = console(Lang::Zh, room(&[]));
    assert_eq!(c.on_tick(Instant::now()), vec![Effect::Poll]);
    assert_eq!(
        c.on_outcome(Outcome::Polled(Ok(1))),
        vec![],
        "same version: nothing to read"
    );
    assert_eq!(
        c.on_outcome(Outcome::Polled(Ok(2))),
        vec![Effect::Reload {
            with_audit: false,
            group: 0
        }]
    );
}

#[test]
fn the_passphrase_is_an_effect_and_a_pause_comes_from_the_library() {
    let contest = Contest {
        name: "全市教师技能大赛".into(),
        kind: Kind::Competition,
    };
    let mut c = Console::new(contest, ConsoleOptions::new(Lang::Zh));
    assert_eq!(
        c.on_tick(Instant::now()),
        vec![],
        "nothing is read before the passphrase"
    );
    let mut effects = Vec::new();
    for ch in "kaimen".chars() {
        effects.extend(key(&mut c, KeyCode::Char(ch)));
    }
    effects.extend(key(&mut c, KeyCode::Enter));
    assert_eq!(
        effects,
        vec![Effect::Login {
            passphrase: "kaimen".into()
        }]
    );
    c.on_outcome(Outcome::Login(Ok(crate::app::organiser::PassCheck::Paused {
        secs: 12,
    })));
    assert!(!c.logged_in);
    assert_eq!(c.login.locked_secs(Instant::now()), Some(12));
    let mut c = Console::new(
        Contest {
            name: "x".into(),
            kind: Kind::Competition,
        },
        ConsoleOptions::new(Lang::Zh),
    );
    key(&mut c, KeyCode::Enter);
    assert_eq!(
        c.on_outcome(Outcome::Login(Ok(crate::app::organiser::PassCheck::Right))),
        vec![Effect::Reload {
            with_audit: false,
            group: 0
        }]
    );
    assert!(c.logged_in);
}

#[test]
fn the_lift_key_on_a_judge_column_asks_exactly_to_lift_that_judges_pause() {
    let mut c = console(Lang::Zh, room(&[]));
    assert_eq!(key(&mut c, KeyCode::Right), vec![]);
    assert_eq!(
        key(&mut c, KeyCode::Char('u')),
        vec![Effect::LiftPause { judge: "PW02".into() }]
    );
    // Ctrl-U too (letters do not reach the program under a Chinese input method).
    assert_eq!(
        c.on_event(Event::Key(KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL))),
        vec![Effect::LiftPause { judge: "PW02".into() }]
    );
    let lifted = crate::app::login::Lifted {
        judge: "PW02".into(),
        wrong_tries: 3,
        was_paused: true,
    };
    assert_eq!(
        c.on_outcome(Outcome::PauseLifted {
            judge: "PW02".into(),
            result: Ok(lifted)
        }),
        vec![]
    );
    assert_eq!(
        c.message.as_ref().map(|m| m.text.as_str()),
        Some("已解除 PW02 的登录暂停，现在可以用正确的 PIN 登录。")
    );
    c.on_outcome(Outcome::PauseLifted {
        judge: "PW09".into(),
        result: Err(Error::Organiser(OrganiserRefusal::UnknownJudge {
            judge: "PW09".into(),
        })),
    });
    assert!(
        c.message.as_ref().is_some_and(|m| m.text.contains("PW09")),
        "{:?}",
        c.message
    );
}

fn session(
    id: u64,
    kind: crate::app::sessions::SessionKind,
    address: &str,
    idle: u64,
) -> crate::app::sessions::SessionInfo {
    crate::app::sessions::SessionInfo {
        id,
        kind,
        address: address.into(),
        since: "09:30:05".into(),
        idle: std::time::Duration::from_secs(idle),
    }
}

#[test]
fn who_is_connected_lists_the_servers_sessions_and_x_ends_the_chosen_one() {
    use crate::app::sessions::SessionKind;
    let mut c = console(Lang::En, room(&[]));
    assert_eq!(
        key(&mut c, KeyCode::Char('3')),
        vec![Effect::Reload {
            with_audit: true,
            group: 0
        }]
    );
    assert_eq!(c.tab, Tab::Room);
    assert_eq!(key(&mut c, KeyCode::Char('w')), vec![Effect::ListSessions]);
    let rows = vec![
        session(3, SessionKind::Judge("PW01".into()), "192.168.1.23:50122", 5),
        session(7, SessionKind::Projector, "192.168.1.40:40001", 125),
    ];
    assert_eq!(c.on_outcome(Outcome::Sessions(Some(rows))), vec![]);
    let shown = text(&mut c);
    let line = shown.lines().find(|l| l.contains("PW01")).unwrap_or_default();
    assert!(
        line.contains("192.168.1.23:50122") && line.contains("09:30:05") && line.contains("5s"),
        "{shown}"
    );
    let line = shown.lines().find(|l| l.contains("projector")).unwrap_or_default();
    assert!(line.contains("192.168.1.40:40001") && line.contains("2m05s"), "{shown}");
    // The list follows by itself while open.
    assert_eq!(c.on_tick(Instant::now()), vec![Effect::Poll, Effect::ListSessions]);
    assert_eq!(key(&mut c, KeyCode::Down), vec![]);
    assert_eq!(key(&mut c, KeyCode::Char('x')), vec![Effect::EndSession { id: 7 }]);
    assert_eq!(
        c.on_outcome(Outcome::SessionEnded { id: 7, ended: true }),
        vec![Effect::ListSessions]
    );
    assert_eq!(
        c.message.as_ref().map(|m| m.text.as_str()),
        Some("projector's session is ended; their screen says why.")
    );
    // Any other key closes the list.
    assert_eq!(key(&mut c, KeyCode::Esc), vec![]);
    assert_eq!(c.overlay, None);
}

#[test]
fn a_console_not_served_says_so_instead_of_a_list() {
    let mut c = console(Lang::Zh, room(&[]));
    key(&mut c, KeyCode::Char('3'));
    assert_eq!(key(&mut c, KeyCode::Char('w')), vec![Effect::ListSessions]);
    c.on_outcome(Outcome::Sessions(None));
    let shown = text(&mut c);
    assert!(shown.contains("没有在线会话可列"), "{shown}");
    assert_eq!(key(&mut c, KeyCode::Char('x')), vec![], "nothing to end");
}

/// `room` with both contestants in the tally and a third one withdrawn.
fn room_with_withdrawn() -> RoomData {
    let mut data = room(&[]);
    let group = data.rubric.groups[0].clone();
    let entries: Vec<crate::core::tally::TallyEntry> = [("JS001", "张老师"), ("JS002", "李老师")]
        .iter()
        .map(|(id, title)| crate::core::tally::TallyEntry {
            id: (*id).into(),
            title: (*title).into(),
            group: Some(group.clone()),
            order: None,
        })
        .collect();
    data.tally = crate::app::tally::compute(&data.rubric, &entries, &[], None);
    data.tally.withdrawn = vec![crate::core::withdrawal::Withdrawn {
        id: "JS003".into(),
        title: "王老师".into(),
        group: Some(group),
        kind: crate::core::withdrawal::WithdrawalKind::Withdrawn,
        reason: "选手弃权".into(),
        at: String::new(),
    }];
    data
}

fn typed(c: &mut Console, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for ch in text.chars() {
        effects.extend(key(c, KeyCode::Char(ch)));
    }
    effects.extend(key(c, KeyCode::Enter));
    effects
}

#[test]
fn x_on_the_progress_tab_asks_a_reason_then_removes_the_chosen_judge() {
    let mut c = console(Lang::Zh, room(&[]));
    c.progress.column = 1;
    assert_eq!(key(&mut c, KeyCode::Char('x')), vec![]);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(p.ask, Ask::RemoveJudge { judge: "PW02".into() }),
        other => panic!("a prompt, got {other:?}"),
    }
    assert!(text(&mut c).contains("移出评委"));
    // Without a reason nothing is asked of the workspace.
    assert_eq!(key(&mut c, KeyCode::Enter), vec![]);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(p.error.as_deref(), Some("必须填写原因。")),
        other => panic!("the prompt stays, got {other:?}"),
    }
    assert_eq!(
        typed(&mut c, "评委因病缺席"),
        vec![Effect::RemoveJudge {
            judge: "PW02".into(),
            reason: "评委因病缺席".into(),
        }]
    );
    let effects = c.on_outcome(Outcome::Changed {
        change: Change::JudgeRemoved { judge: "PW02".into() },
        result: Ok(()),
    });
    assert_eq!(
        effects,
        vec![Effect::Reload {
            with_audit: false,
            group: 0
        }]
    );
    assert_eq!(c.overlay, None);
    assert!(
        c.message
            .as_ref()
            .is_some_and(|m| m.text.starts_with("已将 PW02 移出评委")),
        "{:?}",
        c.message
    );
}

#[test]
fn w_on_the_tally_withdraws_the_chosen_entry_and_restores_a_withdrawn_one() {
    let mut c = console(Lang::Zh, room_with_withdrawn());
    key(&mut c, KeyCode::Char('2'));
    assert_eq!(c.tab, Tab::Tally);
    let shown = text(&mut c);
    assert!(shown.contains("退出评选 1 项"), "{shown}");
    assert!(shown.contains("JS003  王老师  弃权: 选手弃权"), "{shown}");
    assert_eq!(key(&mut c, KeyCode::Char('w')), vec![]);
    assert_eq!(
        typed(&mut c, "选手弃权"),
        vec![Effect::Withdraw {
            entry: "JS001".into(),
            reason: "选手弃权".into(),
        }]
    );
    c.on_outcome(Outcome::Changed {
        change: Change::Withdrawn { entry: "JS001".into() },
        result: Ok(()),
    });
    assert_eq!(
        c.message.as_ref().map(|m| m.text.as_str()),
        Some("JS001 已退出评选（记入审计）。")
    );
    // The withdrawn entry is the last row: w there restores it.
    key(&mut c, KeyCode::End);
    assert_eq!(c.selected[Tab::Tally.index()], 2);
    assert_eq!(key(&mut c, KeyCode::Char('w')), vec![]);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(p.ask, Ask::Restore { entry: "JS003".into() }),
        other => panic!("a prompt, got {other:?}"),
    }
    assert!(text(&mut c).contains("退出原因：选手弃权"));
    assert_eq!(
        typed(&mut c, "误操作"),
        vec![Effect::Restore {
            entry: "JS003".into(),
            reason: "误操作".into(),
        }]
    );
}

#[test]
fn b_on_the_room_tab_shows_a_rubric_files_diff_then_asks_a_reason_and_applies_it() {
    use crate::core::rubric_change::{KeyChange, RubricDiff, Touches};
    let mut c = console(Lang::En, room(&[]));
    c.tab = Tab::Room;
    assert_eq!(key(&mut c, KeyCode::Char('b')), vec![]);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(p.ask, Ask::RubricFile),
        other => panic!("a prompt, got {other:?}"),
    }
    assert!(text(&mut c).contains("Rubric file to apply"));
    assert_eq!(
        typed(&mut c, "new.toml"),
        vec![Effect::RubricDiff {
            path: "new.toml".into()
        }]
    );
    let diff = RubricDiff {
        changes: vec![KeyChange {
            key: "round.lesson.weight".into(),
            old: Some("0.4".into()),
            new: Some("0.5".into()),
            touches: Touches {
                entries: 36,
                ..Touches::default()
            },
        }],
        scored: true,
        ..RubricDiff::default()
    };
    assert_eq!(
        c.outcome(Outcome::RubricDiffed {
            path: "new.toml".into(),
            result: Ok((Box::new(diff), "competition.toml".into())),
        }),
        vec![]
    );
    let shown = text(&mut c);
    assert!(shown.contains("round.lesson.weight: 0.4 -> 0.5"), "{shown}");
    assert!(shown.contains("touches 36 entries"), "{shown}");
    assert!(shown.contains("Reason for the change"), "{shown}");
    // No reason: nothing is asked.
    assert_eq!(key(&mut c, KeyCode::Enter), vec![]);
    assert_eq!(
        typed(&mut c, "改权重"),
        vec![Effect::RubricApply {
            path: "new.toml".into(),
            reason: "改权重".into()
        }]
    );
}

#[test]
fn d_on_the_tally_opens_the_chosen_entrys_discussion_and_closes_it_again() {
    let mut c = console(Lang::Zh, room_with_withdrawn());
    key(&mut c, KeyCode::Char('2'));
    assert_eq!(c.tab, Tab::Tally);
    assert!(!text(&mut c).contains("讨论中"));
    assert_eq!(
        key(&mut c, KeyCode::Char('d')),
        vec![Effect::Discuss {
            entry: "JS001".into(),
            open: true,
        }]
    );
    c.on_outcome(Outcome::Changed {
        change: Change::DiscussionOpened { entry: "JS001".into() },
        result: Ok(()),
    });
    assert!(
        c.message
            .as_ref()
            .is_some_and(|m| m.text.starts_with("JS001 已开启讨论")),
        "{:?}",
        c.message
    );
    // Read again: JS001 is under discussion, marked on the tally; d closes it.
    let mut data = room_with_withdrawn();
    data.discussed = vec!["JS001".into()];
    let mut c = console(Lang::Zh, data);
    key(&mut c, KeyCode::Char('2'));
    let shown = text(&mut c);
    let row = shown.lines().find(|l| l.contains("JS001")).unwrap_or_default();
    assert!(row.contains("讨论中"), "{shown}");
    assert!(
        !shown.lines().any(|l| l.contains("JS002") && l.contains("讨论中")),
        "{shown}"
    );
    assert_eq!(
        key(&mut c, KeyCode::Char('d')),
        vec![Effect::Discuss {
            entry: "JS001".into(),
            open: false,
        }]
    );
    // Refused by the library (discussion off): the typed refusal, translated.
    c.on_outcome(Outcome::Changed {
        change: Change::DiscussionClosed { entry: "JS001".into() },
        result: Err(crate::core::discussion::DiscussionRefusal::Off.into()),
    });
    assert!(
        c.message.as_ref().is_some_and(|m| m.text.contains("未开启讨论")),
        "{:?}",
        c.message
    );
}

#[test]
fn p_on_the_tally_lists_the_phases_and_n_starts_the_next() {
    use crate::core::phase::Phase;
    let mut c = console(Lang::Zh, room(&[]));
    key(&mut c, KeyCode::Char('2'));
    assert_eq!(c.tab, Tab::Tally);
    assert_eq!(key(&mut c, KeyCode::Char('p')), vec![Effect::Phases]);
    let (file, source) = template_source("competition").unwrap();
    let rubric = parse_rubric(file, source).unwrap();
    let entries = [crate::core::tally::TallyEntry {
        id: "JS001".into(),
        title: "张老师".into(),
        group: Some(rubric.groups[0].clone()),
        order: Some(1),
    }];
    let phase = |seq: i64, name: &str, locked: bool| Phase {
        seq,
        name: name.into(),
        take: None,
        started_at: String::new(),
        locked_at: locked.then(|| "2026-12-01".into()),
        entries: 36 / seq as usize,
        scores: 10,
    };
    let tally = crate::app::tally::compute(&rubric, &entries, &[], None);
    c.on_outcome(Outcome::Phases(Ok(vec![
        (phase(1, "初评", true), tally.clone()),
        (phase(2, "决赛", false), tally),
    ])));
    match &c.overlay {
        Some(Overlay::Phases { lines, newest, before }) => {
            assert_eq!(lines[0], "1 初评（已锁定）：36 个条目，10 个分数");
            assert_eq!(lines[1], "2 决赛（当前）：18 个条目，10 个分数");
            assert_eq!((newest.as_str(), before.as_str()), ("决赛", "初评"));
        }
        other => panic!("the phases, got {other:?}"),
    }
    assert!(text(&mut c).contains("评审阶段"));
    assert_eq!(c.phase.as_deref(), Some("决赛"));
    key(&mut c, KeyCode::Esc);
    assert_eq!(key(&mut c, KeyCode::Char('n')), vec![]);
    assert!(text(&mut c).contains("开始下一评审阶段"));
    // A name alone is refused in the prompt; a name and a status start the phase.
    assert_eq!(typed(&mut c, "复评"), vec![]);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(
            p.error.as_deref(),
            Some("请填写阶段名和状态，以空格分开，如：复评 入围")
        ),
        other => panic!("the prompt, got {other:?}"),
    }
    for _ in 0..2 {
        key(&mut c, KeyCode::Backspace);
    }
    assert_eq!(
        typed(&mut c, "复评 入围"),
        vec![Effect::StartPhase {
            name: "复评".into(),
            take: "入围".into(),
        }]
    );
    c.on_outcome(Outcome::Changed {
        change: Change::PhaseStarted { name: "复评".into() },
        result: Err(crate::core::phase::PhaseRefusal::NameTaken { name: "复评".into() }.into()),
    });
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert!(
            p.error
                .as_deref()
                .is_some_and(|e| e.contains("已有名为「复评」的评审阶段"))
        ),
        other => panic!("the prompt, got {other:?}"),
    }
}

#[test]
fn d_on_a_scored_cell_asks_a_reason_then_removes_exactly_that_sheets_scores() {
    let mut c = console(Lang::Zh, room(&[]));
    let round = c.round_id().unwrap().to_string();
    // PW02 has nothing on JS001: nothing to remove, said at once, no prompt.
    c.progress.column = 1;
    assert_eq!(key(&mut c, KeyCode::Char('d')), vec![]);
    assert_eq!(c.overlay, None);
    assert!(
        c.message
            .as_ref()
            .is_some_and(|m| m.text == "PW02 对 JS001 本环节还没有评分")
    );
    // PW01's submitted sheet of JS001: the reason is asked, then the removal of that sheet.
    c.progress.column = 0;
    assert_eq!(key(&mut c, KeyCode::Delete), vec![]);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(
            p.ask,
            Ask::RemoveScore {
                judge: "PW01".into(),
                entry: "JS001".into(),
                round: round.clone()
            }
        ),
        other => panic!("a prompt, got {other:?}"),
    }
    assert!(text(&mut c).contains("删除评分"));
    assert_eq!(key(&mut c, KeyCode::Enter), vec![], "a reason is required");
    assert_eq!(
        typed(&mut c, "录入错误"),
        vec![Effect::RemoveScore {
            judge: "PW01".into(),
            entry: "JS001".into(),
            round: round.clone(),
            reason: "录入错误".into(),
        }]
    );
    let effects = c.on_outcome(Outcome::Changed {
        change: Change::ScoreRemoved {
            judge: "PW01".into(),
            entry: "JS001".into(),
            round: round.clone(),
        },
        result: Ok(()),
    });
    assert!(matches!(&effects[..], [Effect::Reload { .. }]));
    let name = c.round_name(&round);
    assert_eq!(
        c.message.as_ref().map(|m| m.text.clone()),
        Some(format!("已删除 PW01 对 JS001「{name}」的评分"))
    );
}

#[test]
fn s_on_the_progress_tab_asks_the_new_judge_and_a_reason_then_hands_the_work_over() {
    let mut c = console(Lang::En, room(&[]));
    c.progress.column = 1;
    assert_eq!(key(&mut c, KeyCode::Char('s')), vec![]);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(p.ask, Ask::ReplaceJudge { judge: "PW02".into() }),
        other => panic!("a prompt, got {other:?}"),
    }
    // An id alone is not enough: the reason is required.
    assert_eq!(typed(&mut c, "PW10"), vec![]);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(
            p.error.as_deref(),
            Some("Type the new judge's id and a reason, separated by a space (e.g. PW10 judge is ill)")
        ),
        other => panic!("the prompt stays, got {other:?}"),
    }
    assert_eq!(
        typed(&mut c, " judge is ill"),
        vec![Effect::ReplaceJudge {
            old: "PW02".into(),
            new: "PW10".into(),
            reason: "judge is ill".into(),
        }]
    );
    c.on_outcome(Outcome::Changed {
        change: Change::JudgeReplaced {
            old: "PW02".into(),
            new: "PW10".into(),
        },
        result: Ok(()),
    });
    assert_eq!(
        c.message.as_ref().map(|m| m.text.as_str()),
        Some("PW10 took over the open work of PW02")
    );
}

/// The phases view on the tally (`p`) with two phases: `x` asks why, Enter with a reason drops the
/// newest through the library (as `jury phase drop --reason R`); a refusal stays in the prompt.
fn phases_shown(lang: Lang) -> Console {
    use crate::core::phase::Phase;
    let mut c = console(lang, room(&[]));
    key(&mut c, KeyCode::Char('2'));
    assert_eq!(key(&mut c, KeyCode::Char('p')), vec![Effect::Phases]);
    let rubric = c.data.as_ref().unwrap().rubric.clone();
    let tally = crate::app::tally::compute(&rubric, &[], &[], None);
    let phase = |seq: i64, name: &str, locked: bool, scores: usize| Phase {
        seq,
        name: name.into(),
        take: None,
        started_at: String::new(),
        locked_at: locked.then(|| "2026-12-01".into()),
        entries: 36 / seq as usize,
        scores,
    };
    c.on_outcome(Outcome::Phases(Ok(vec![
        (phase(1, "初评", true, 80), tally.clone()),
        (phase(2, "复评", false, 0), tally),
    ])));
    c
}

#[test]
fn x_on_the_phases_view_drops_the_newest_with_a_reason() {
    let mut c = phases_shown(Lang::Zh);
    let shown = text(&mut c);
    assert!(shown.contains("x 删除最新阶段（须尚无分数）"), "{shown}");
    assert_eq!(key(&mut c, KeyCode::Char('x')), vec![]);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(
            p.ask,
            Ask::DropPhase {
                phase: "复评".into(),
                back_to: "初评".into()
            }
        ),
        other => panic!("the drop prompt, got {other:?}"),
    }
    let shown = text(&mut c);
    assert!(
        shown.contains("删除评审阶段 复评（初评 重新成为当前阶段）？"),
        "{shown}"
    );
    // No reason: asked again, nothing done.
    assert_eq!(key(&mut c, KeyCode::Enter), vec![]);
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert_eq!(p.error.as_deref(), Some(c.t.reason_required)),
        other => panic!("the prompt, got {other:?}"),
    }
    assert_eq!(
        typed(&mut c, "复评名单有误"),
        vec![Effect::DropPhase {
            reason: "复评名单有误".into()
        }]
    );
    // Refused by the library (scores came in meanwhile): the typed refusal, translated, in the prompt.
    c.on_outcome(Outcome::Changed {
        change: Change::PhaseDropped {
            phase: String::new(),
            back_to: String::new(),
        },
        result: Err(crate::core::phase::PhaseRefusal::HasScores {
            phase: "复评".into(),
            scores: 3,
        }
        .into()),
    });
    match &c.overlay {
        Some(Overlay::Prompt(p)) => assert!(
            p.error
                .as_deref()
                .is_some_and(|e| e.contains("评审阶段 复评 已有 3 个分数")),
            "{:?}",
            p.error
        ),
        other => panic!("the prompt, got {other:?}"),
    }
    // Done: closed, said, read again; the phase before is current.
    let effects = c.on_outcome(Outcome::Changed {
        change: Change::PhaseDropped {
            phase: "复评".into(),
            back_to: "初评".into(),
        },
        result: Ok(()),
    });
    assert!(matches!(effects.as_slice(), [Effect::Reload { .. }]), "{effects:?}");
    assert_eq!(c.overlay, None);
    assert_eq!(c.phase.as_deref(), Some("初评"));
    assert!(
        c.message
            .as_ref()
            .is_some_and(|m| m.text == "已删除评审阶段 复评，初评 重新成为当前阶段。"),
        "{:?}",
        c.message
    );
    // Esc keeps the phase; any other key closes the view.
    let mut c = phases_shown(Lang::En);
    key(&mut c, KeyCode::Char('x'));
    assert_eq!(key(&mut c, KeyCode::Esc), vec![]);
    assert_eq!(c.overlay, None);
    let mut c = phases_shown(Lang::En);
    assert_eq!(key(&mut c, KeyCode::Char('q')), vec![]);
    assert_eq!(c.overlay, None);
}

#[test]
fn the_phases_view_and_its_drop_prompt_at_80_columns() {
    let mut c = phases_shown(Lang::Zh);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| super::view::draw(f, &mut c)).unwrap();
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!("console_phases_view_80x24", terminal.backend());
    });
    key(&mut c, KeyCode::Char('x'));
    for ch in "复评名单有误".chars() {
        key(&mut c, KeyCode::Char(ch));
    }
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    terminal.draw(|f| super::view::draw(f, &mut c)).unwrap();
    insta::with_settings!({ snapshot_path => "../snapshots" }, {
        insta::assert_snapshot!("console_phases_drop_prompt_80x24", terminal.backend());
    });
}

/// Issue 17: a failure of the workspace underneath (not a typed refusal) is said in the console's
/// language too, never the library's English.
#[test]
fn a_storage_failure_is_shown_in_the_consoles_language() {
    let full = || Error::DiskFull {
        path: "room.jury".into(),
        message: "database or disk is full".into(),
    };
    let zh = console(Lang::Zh, room(&[]));
    let shown = zh.failed_text(&full());
    assert!(
        shown.contains("磁盘已满：room.jury 无法增大（database or disk is full）；没有保存任何内容"),
        "{shown}"
    );
    assert!(!shown.contains("the disk is full"), "{shown}");
    let gone = zh.failed_text(&Error::WorkspaceGone {
        path: "room.jury".into(),
    });
    assert!(
        gone.contains("工作区 room.jury 在打开期间被删除或被另一个文件替换"),
        "{gone}"
    );
    let en = console(Lang::En, room(&[]));
    assert!(
        en.failed_text(&full())
            .contains("the disk is full: room.jury could not grow")
    );
}
