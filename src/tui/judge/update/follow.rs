//! Judges follow the live stage (competitions): when the organiser puts a contestant on stage,
//! every judge's screen opens that contestant's sheet on that round, unless the judge is in the
//! middle of scoring: a value in the field, a draft sheet on screen, a search, a comment or a
//! submission being confirmed. That judge stays; one line says who is on stage now and that F6
//! (Ctrl-G) goes there. A judge in conflict (回避) or not on the group's panel sees a notice that
//! they sit this one out instead of the sheet.
//!
//! The stage is read through the workspace ([`Effect::ReadStage`], answered by
//! [`crate::app::judging::JudgeSession::on_stage`], which also says whether this judge may score
//! the contestant); what to do with it is decided here, on plain values.
//!
//! A child of `update` so it can use the screen's own private steps (open, commit, close).

use crate::app::judging::{OnStage, SheetProgress};
use crate::core::{Entry, Kind};

use super::super::effects::Effect;
use super::super::state::*;

/// Running number, id, the contestant's name and the title of their piece.
fn describe(entry: &Entry) -> String {
    let mut who = entry.order.map(|n| format!("{n} ")).unwrap_or_default();
    who.push_str(&entry.id);
    for part in [&entry.name, &entry.title] {
        if !part.is_empty() {
            who.push(' ');
            who.push_str(part);
        }
    }
    who
}

impl App {
    /// Ask who is on stage (after login and on every change of the workspace); the answer comes
    /// to [`App::stage_read`].
    pub(super) fn check_stage(&mut self) {
        if self.kind != Kind::Competition || self.judge.is_none() {
            return;
        }
        self.ask(Asked::Stage { go: false }, Effect::ReadStage);
    }

    /// The stage as read: act when it changed since last seen (`go`: F6, follow it now).
    pub(super) fn stage_read(&mut self, current: Option<OnStage>, go: bool) {
        if go {
            self.stage_who = None;
            if let Some(next) = current {
                self.stage_seen = Some((next.stage.entry.clone(), next.stage.round.clone()));
                self.follow(next);
            }
            return;
        }
        let Some(current) = current else {
            self.stage_seen = None;
            self.stage_pending = None;
            self.stage_who = None;
            return;
        };
        let key = (current.stage.entry.clone(), current.stage.round.clone());
        if self.stage_seen.as_ref() == Some(&key) {
            return;
        }
        self.stage_seen = Some(key);
        self.stage_who = self.who_is(&current);
        self.stage_pending = Some(current);
        self.follow_pending_stage();
    }

    /// Follow a stage change the judge has not followed yet, if nothing holds them now.
    pub(super) fn follow_pending_stage(&mut self) {
        let Some(pending) = self.stage_pending.as_ref() else {
            return;
        };
        if self.on_screen(pending) {
            // Already there (the judge went by themselves, or the stage came back).
            self.stage_pending = None;
            self.stage_who = None;
            return;
        }
        if self.holds_judge() {
            return;
        }
        if let Some(next) = self.stage_pending.take() {
            self.stage_who = None;
            self.follow(next);
        }
    }

    /// F6 / Ctrl-G: store the field (it stays if it cannot be stored), then go to the stage.
    pub(super) fn go_to_stage(&mut self) {
        if self.kind != Kind::Competition || self.judge.is_none() {
            return;
        }
        if self.screen == Screen::Entry {
            self.commit_then(Then::GoToStage);
        } else {
            self.go_to_stage_now();
        }
    }

    /// F6 once the field is stored: the stage held back, or read now.
    pub(super) fn go_to_stage_now(&mut self) {
        self.stage_who = None;
        match self.stage_pending.take() {
            Some(next) => {
                self.stage_seen = Some((next.stage.entry.clone(), next.stage.round.clone()));
                self.follow(next);
            }
            None => self.ask(Asked::Stage { go: true }, Effect::ReadStage),
        }
    }

    /// The stage's contestant described for the judge, from the list or as read with the stage.
    fn who_is(&self, on: &OnStage) -> Option<String> {
        match self.rows.iter().find(|r| r.entry.id() == on.stage.entry) {
            Some(row) => Some(describe(&row.entry.to_entry())),
            None => on.entry.as_deref().map(describe),
        }
    }

    /// The stage's contestant and round are on screen already.
    fn on_screen(&self, on: &OnStage) -> bool {
        let round = self.rubric.round_index(&on.stage.round);
        self.screen == Screen::Entry
            && self
                .open
                .as_ref()
                .is_some_and(|o| o.entry.id == on.stage.entry && Some(o.round) == round)
    }

    /// In the middle of something the stage must not take away: a value typed (in the sheet or
    /// kept while reading), a draft sheet on screen, a search, a comment, a confirmation.
    fn holds_judge(&self) -> bool {
        if matches!(self.overlay, Some(Overlay::ConfirmSubmit | Overlay::Comment(_))) {
            return true;
        }
        match self.screen {
            Screen::Search => true,
            Screen::Entry => self.open.as_ref().is_some_and(|o| {
                o.dirty
                    || (o.focus == Pane::Sheet
                        && o.sheets.get(o.round).is_some_and(|s| s.status == SheetProgress::Draft))
            }),
            Screen::Login | Screen::List => false,
        }
    }

    /// The contestant on stage as this judge sees them: their row on the list (if listed), the
    /// entry, and why the judge sits them out (conflict, not on the panel), if so. `None` when
    /// the stage names no entry the workspace has.
    fn stage_target(&self, on: &OnStage) -> Option<(Option<usize>, Box<Entry>, Option<String>)> {
        let row = self.rows.iter().position(|r| r.entry.id() == on.stage.entry);
        // A judge's list holds only what they may score: an entry not listed may still be on
        // stage, and the judge is told to sit out.
        let (entry, conflict) = match row {
            Some(i) => (Box::new(self.rows[i].entry.to_entry()), self.rows[i].conflict.clone()),
            None => (on.entry.clone()?, None),
        };
        let sit_out = match (&conflict, on.eligible) {
            (Some(reason), _) => Some((self.t.conflict_reason)(reason)),
            (None, false) => Some(self.t.not_on_panel.to_string()),
            (None, true) => None,
        };
        Some((row, entry, sit_out))
    }

    fn follow(&mut self, on: OnStage) {
        if self.judge.is_none() {
            return;
        }
        let Some((row, _, sit_out)) = self.stage_target(&on) else {
            return;
        };
        if sit_out.is_some() {
            if self.screen == Screen::Entry {
                // A valid value is stored on the way out, an invalid one forgotten.
                self.commit_then(Then::SitOut(Box::new(on)));
            } else {
                self.sit_out(&on);
            }
            return;
        }
        if matches!(self.overlay, Some(Overlay::SitOut(_))) {
            self.overlay = None;
        }
        if row.is_none() {
            return;
        }
        self.commit_then(Then::Follow(Box::new(on)));
    }

    /// The judge sits the contestant on stage out: the sheet closes and a notice says why.
    pub(super) fn sit_out(&mut self, on: &OnStage) {
        let Some((row, entry, Some(reason))) = self.stage_target(on) else {
            return;
        };
        let who = describe(&entry);
        if self.screen == Screen::Entry {
            self.close_entry();
        }
        self.screen = Screen::List;
        if let Some(row) = row {
            self.select_row(row);
        }
        self.overlay = Some(Overlay::SitOut(format!("{}\n{reason}", (self.t.stage_now)(&who))));
        self.info((self.t.stage_now)(&who));
    }

    /// Following the stage, the field stored: open the contestant, or go to the round.
    pub(super) fn follow_stored(&mut self, on: &OnStage) {
        let Some((Some(row), _, None)) = self.stage_target(on) else {
            return;
        };
        let same_entry =
            self.screen == Screen::Entry && self.open.as_ref().is_some_and(|o| o.entry.id == on.stage.entry);
        if same_entry {
            self.follow_round(on);
        } else {
            self.open_row_then(row, AfterOpen::Stage(Box::new(on.clone())));
        }
    }

    /// The contestant on stage is open: show the stage's round.
    pub(super) fn follow_round(&mut self, on: &OnStage) {
        let Some((_, entry, _)) = self.stage_target(on) else {
            return;
        };
        let who = describe(&entry);
        let round_index = self.rubric.round_index(&on.stage.round);
        if let (Some(index), Some(o)) = (round_index, self.open.as_mut())
            && o.entry.id == on.stage.entry
        {
            o.round = index;
            o.criterion = 0;
            o.focus = Pane::Sheet;
            self.load_field();
            self.info((self.t.stage_now)(&who));
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use super::*;
    use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
    use crate::app::stage;
    use crate::core::Points;
    use crate::store::{Actor, Store};
    use crate::tui::test_support::Driven;
    use crate::tui::{Lang, Msg, Options};

    fn demo() -> (tempfile::TempDir, Store, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        // The judge's connection and the organiser's, as two processes would have.
        (dir, Store::open(&path).unwrap(), Store::open(&path).unwrap())
    }

    fn judge_app(store: &Store) -> Driven<'_> {
        let options = Options {
            judge: Some(DEMO_JUDGE.to_string()),
            trusted: true,
            ..Options::new(Lang::Zh)
        };
        Driven::new(store, options).unwrap()
    }

    fn press(app: &mut Driven, code: KeyCode) {
        app.update(Msg::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }

    fn screen_text(app: &mut App, w: u16, h: u16) -> String {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        terminal.draw(|f| crate::tui::view::draw(f, app)).unwrap();
        let buffer = terminal.backend().buffer();
        (0..h)
            .map(|y| {
                let mut line = String::new();
                let mut skip = 0;
                for x in 0..w {
                    if skip > 0 {
                        skip -= 1;
                        continue;
                    }
                    let s = buffer[(x, y)].symbol();
                    skip = crate::core::text::width(s).saturating_sub(1);
                    line.push_str(s);
                }
                line
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn open_entry(app: &App) -> Option<(String, usize)> {
        app.open.as_ref().map(|o| (o.entry.id.clone(), o.round))
    }

    #[test]
    fn the_judge_follows_the_stage_to_the_contestant_and_round() {
        let (_dir, store, organiser) = demo();
        let mut app = judge_app(&store);
        assert_eq!(app.screen, Screen::List);
        stage::set(&organiser, &Actor::Organiser, "JS003", "案例分析").unwrap();
        app.update(Msg::Tick);
        assert_eq!(app.screen, Screen::Entry);
        assert_eq!(open_entry(&app), Some(("JS003".to_string(), 1)));
        let text = screen_text(&mut app, 120, 40);
        assert!(text.contains("现在上场：3 JS003 廖伟宇 一通深夜的电话"), "{text}");
        // The organiser moves on: the judge (not typing) follows at once, same round.
        stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
        app.update(Msg::Tick);
        assert_eq!(open_entry(&app), Some(("JS004".to_string(), 1)));
        // A new round for the same contestant.
        stage::set_round(&organiser, &Actor::Organiser, "story").unwrap();
        app.update(Msg::Tick);
        assert_eq!(open_entry(&app), Some(("JS004".to_string(), 2)));
    }

    #[test]
    fn a_judge_typing_a_value_stays_and_moves_with_f6() {
        let (_dir, store, organiser) = demo();
        let mut app = judge_app(&store);
        stage::set(&organiser, &Actor::Organiser, "JS003", "lesson").unwrap();
        app.update(Msg::Tick);
        assert_eq!(open_entry(&app), Some(("JS003".to_string(), 0)));
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Char('5'));
        stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
        app.update(Msg::Tick);
        assert_eq!(open_entry(&app), Some(("JS003".to_string(), 0)), "still typing: stays");
        assert_eq!(app.open.as_ref().unwrap().input, "25");
        press(&mut app, KeyCode::Tab);
        assert_eq!(
            open_entry(&app),
            Some(("JS003".to_string(), 0)),
            "left the field, but the sheet is a draft now: stays"
        );
        press(&mut app, KeyCode::F(6));
        assert_eq!(open_entry(&app), Some(("JS004".to_string(), 0)), "F6 goes");
        let first = &store.rubric().unwrap().rounds[0].criteria[0].id;
        assert_eq!(
            store.score(DEMO_JUDGE, "JS003", "lesson", first).unwrap(),
            Some(Points::from_int(25)),
            "the value typed was stored before moving"
        );
    }

    #[test]
    fn a_conflicted_judge_sits_out_with_a_notice() {
        let (_dir, store, organiser) = demo();
        organiser
            .write(|s| s.put_conflict(DEMO_JUDGE, "JS005", "亲属关系"))
            .unwrap();
        let mut app = judge_app(&store);
        stage::set(&organiser, &Actor::Organiser, "JS004", "lesson").unwrap();
        app.update(Msg::Tick);
        assert_eq!(open_entry(&app), Some(("JS004".to_string(), 0)));
        stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
        app.update(Msg::Tick);
        assert_eq!(app.screen, Screen::List);
        assert!(app.open.is_none(), "the previous sheet is closed");
        assert!(matches!(&app.overlay, Some(Overlay::SitOut(t)) if t.contains("回避") && t.contains("JS005")));
        let text = screen_text(&mut app, 80, 24);
        assert!(text.contains("本轮回避"), "{text}");
        assert!(text.contains("亲属关系"), "{text}");
        insta::assert_snapshot!("sit_out_conflict_80x24", text);
        // The next contestant: the notice goes and the sheet opens.
        stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
        app.update(Msg::Tick);
        assert_eq!(app.overlay, None);
        assert_eq!(open_entry(&app), Some(("JS006".to_string(), 0)));
    }

    #[test]
    fn a_judge_not_on_the_panel_sits_out() {
        let (_dir, store, organiser) = demo();
        let panel: Vec<String> = ["PW01", "PW02", "PW03"].map(String::from).to_vec();
        crate::app::organiser::assign_panel(&organiser, &Actor::Organiser, "家长组", &panel).unwrap();
        let mut app = Options {
            judge: Some(DEMO_JUDGE.to_string()),
            trusted: true,
            ..Options::new(Lang::En)
        };
        app.no_color = true;
        let mut app = Driven::new(&store, app).unwrap();
        stage::set(&organiser, &Actor::Organiser, "JS013", "lesson").unwrap();
        app.update(Msg::Tick);
        assert_eq!(app.open.as_ref().map(|o| o.entry.id.clone()), None);
        match &app.overlay {
            Some(Overlay::SitOut(t)) => assert!(t.contains("not on this group's panel"), "{t}"),
            other => panic!("{other:?}"),
        }
        press(&mut app, KeyCode::Esc);
        assert_eq!(app.overlay, None);
        assert_eq!(app.screen, Screen::List);
    }
}
