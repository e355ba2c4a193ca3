//! Judges follow the live stage (competitions): when the organiser puts a contestant on stage,
//! every judge's screen opens that contestant's sheet on that round, unless the judge is in the
//! middle of scoring: a value in the field, a draft sheet on screen, a search, a comment or a
//! submission being confirmed. That judge stays; one line says who is on stage now and that F6
//! (Ctrl-G) goes there. A judge in conflict (回避) or not on the group's panel sees a notice that
//! they sit this one out instead of the sheet.
//!
//! A child of `update` so it can use the screen's own private steps (open, commit, close).

use crate::app::judging::SheetProgress;
use crate::app::stage::{self, Stage};
use crate::core::{Entry, Kind};

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

impl App<'_> {
    /// Read the stage and act when it changed since last seen (after login and on every change
    /// of the workspace).
    pub(super) fn check_stage(&mut self) {
        if self.kind != Kind::Competition || self.session.is_none() {
            return;
        }
        // The stage is an organiser's convenience: if it cannot be read, the judge carries on.
        let Ok(current) = stage::current(self.store) else {
            return;
        };
        let Some(current) = current else {
            self.stage_seen = None;
            self.stage_pending = None;
            self.stage_who = None;
            return;
        };
        let key = (current.entry.clone(), current.round.clone());
        if self.stage_seen.as_ref() == Some(&key) {
            return;
        }
        self.stage_seen = Some(key);
        self.stage_who = self.who_is(&current.entry);
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
            self.follow(&next);
        }
    }

    /// F6 / Ctrl-G: store the field (it stays if it cannot be stored), then go to the stage.
    pub(super) fn go_to_stage(&mut self) {
        if self.kind != Kind::Competition || self.session.is_none() {
            return;
        }
        if self.screen == Screen::Entry && !self.commit_field() {
            return;
        }
        let next = match self.stage_pending.take() {
            Some(next) => Some(next),
            None => stage::current(self.store).ok().flatten(),
        };
        self.stage_who = None;
        if let Some(next) = next {
            self.stage_seen = Some((next.entry.clone(), next.round.clone()));
            self.follow(&next);
        }
    }

    /// The stage's contestant described for the judge, from the list or the workspace.
    fn who_is(&self, entry: &str) -> Option<String> {
        match self.rows.iter().find(|r| r.entry.id == entry) {
            Some(row) => Some(describe(&row.entry)),
            None => self.store.entry(entry).ok().flatten().map(|e| describe(&e)),
        }
    }

    /// The stage's contestant and round are on screen already.
    fn on_screen(&self, on: &Stage) -> bool {
        let round = self
            .session
            .as_ref()
            .and_then(|s| s.rubric().ok())
            .and_then(|r| r.round_index(&on.round));
        self.screen == Screen::Entry
            && self
                .open
                .as_ref()
                .is_some_and(|o| o.entry.id == on.entry && Some(o.round) == round)
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

    fn follow(&mut self, on: &Stage) {
        let row = self.rows.iter().position(|r| r.entry.id == on.entry);
        let Some(judge) = self.session.as_ref().map(|s| s.judge().id.clone()) else {
            return;
        };
        // A judge's list holds only what they may score: an entry not listed may still be on
        // stage, and the judge is told to sit out.
        let (entry, conflict) = match row {
            Some(i) => (self.rows[i].entry.clone(), self.rows[i].conflict.clone()),
            None => match self.store.entry(&on.entry) {
                Ok(Some(entry)) => (Box::new(entry), None),
                _ => return,
            },
        };
        let who = describe(&entry);
        let eligible = self
            .store
            .eligibility()
            .map(|e| e.allows(&judge, &entry.id, entry.group.as_deref()))
            .unwrap_or(true);
        let sit_out = match (&conflict, eligible) {
            (Some(reason), _) => Some((self.t.conflict_reason)(reason)),
            (None, false) => Some(self.t.not_on_panel.to_string()),
            (None, true) => None,
        };
        let round_index = self
            .session
            .as_ref()
            .and_then(|s| s.rubric().ok())
            .and_then(|r| r.round_index(&on.round));
        if let Some(reason) = sit_out {
            if self.screen == Screen::Entry {
                self.leave_field_quietly();
                self.close_entry();
            }
            self.screen = Screen::List;
            if let Some(row) = row {
                self.select_row(row);
            }
            self.overlay = Some(Overlay::SitOut(format!("{}\n{reason}", (self.t.stage_now)(&who))));
            self.info((self.t.stage_now)(&who));
            return;
        }
        if matches!(self.overlay, Some(Overlay::SitOut(_))) {
            self.overlay = None;
        }
        let Some(row) = row else {
            return;
        };
        let same_entry = self.screen == Screen::Entry && self.open.as_ref().is_some_and(|o| o.entry.id == on.entry);
        if !same_entry {
            if self.screen == Screen::Entry && !self.commit_field() {
                return;
            }
            self.open_row(row);
        }
        if !self.commit_field() {
            return;
        }
        if let (Some(index), Some(o)) = (round_index, self.open.as_mut())
            && o.entry.id == on.entry
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
    use crate::core::Points;
    use crate::store::{Actor, Store};
    use crate::tui::{Lang, Msg, Options};

    fn demo() -> (tempfile::TempDir, Store, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = create_demo_workspace(dir.path()).unwrap();
        // The judge's connection and the organiser's, as two processes would have.
        (dir, Store::open(&path).unwrap(), Store::open(&path).unwrap())
    }

    fn judge_app(store: &Store) -> App<'_> {
        let options = Options {
            judge: Some(DEMO_JUDGE.to_string()),
            trusted: true,
            ..Options::new(Lang::Zh)
        };
        App::new(store, options).unwrap()
    }

    fn press(app: &mut App, code: KeyCode) {
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
        let mut app = App::new(&store, app).unwrap();
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
