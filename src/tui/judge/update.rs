//! Messages in, state changed, effects out: every key, click and tick goes through
//! [`App::update`], which returns the [`Effect`]s to run (a value to store, a sheet to submit, the
//! workspace to look at again); what became of each comes back through [`App::outcome`]. The
//! screen never touches the workspace, and shows a value as saved only once
//! [`Outcome::Saved`] says it is committed.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use crate::app::judging::{
    EntryRow, EntrySheets, Opened, Poll, Refusal, SheetProgress, Start, Welcome, check_value, progress_of,
};
use crate::core::rubric::{Round, Rubric};
use crate::core::scoring::is_score_char;
use crate::core::{Kind, Points};
use crate::search::IncrementalSearch;

use super::effects::{Effect, Outcome};
use super::state::*;
use crate::tui::theme::Theme;

#[cfg(test)]
mod flow_tests;
mod follow;

/// What happens to the screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Msg {
    Key(KeyEvent),
    Mouse(MouseEvent),
    /// Time passes: poll the workspace for other processes' changes, count the PIN pause down.
    Tick,
    Resize,
}

/// Rows a page key moves when nothing has been drawn yet.
const DEFAULT_PAGE: usize = 10;

fn ctrl(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
}

/// What a key does in the comment box: the cursor moves and deletes by grapheme (tui-input).
fn comment_request(key: &KeyEvent) -> Option<tui_input::InputRequest> {
    use tui_input::InputRequest as R;
    let c = ctrl(key);
    Some(match key.code {
        KeyCode::Left if c => R::GoToPrevWord,
        KeyCode::Right if c => R::GoToNextWord,
        KeyCode::Left => R::GoToPrevChar,
        KeyCode::Right => R::GoToNextChar,
        KeyCode::Home => R::GoToStart,
        KeyCode::End => R::GoToEnd,
        KeyCode::Backspace => R::DeletePrevChar,
        KeyCode::Delete => R::DeleteNextChar,
        KeyCode::Char('a') if c => R::GoToStart,
        KeyCode::Char('e') if c => R::GoToEnd,
        KeyCode::Char('u') if c => R::DeleteLine,
        KeyCode::Char(ch) if !c && !ch.is_control() => R::InsertChar(ch),
        _ => return None,
    })
}

impl App {
    /// A new screen on the contest in `welcome`, nobody logged in yet. With `options.judge` the
    /// login starts at that judge's PIN; [`super::open`] logs a trusted judge in (demo).
    pub fn new(welcome: Welcome, options: Options) -> crate::Result<App> {
        let Welcome {
            rubric,
            judges,
            workspace,
        } = welcome;
        let mut login = LoginState::new(judges);
        if let Some(id) = &options.judge {
            match login.judges.iter().position(|j| &j.id == id) {
                Some(i) => {
                    login.selected = i;
                    login.stage = LoginStage::Pin;
                }
                None => {
                    return Err(crate::core::refusal::CommandRefusal::NoSuchJudge {
                        id: id.to_string(),
                        workspace: workspace.to_string(),
                    }
                    .into());
                }
            }
        }
        Ok(App {
            t: options.lang.texts(),
            theme: Theme::new(options.no_color),
            screen: Screen::Login,
            overlay: None,
            login,
            judge: None,
            contest: rubric.name.clone(),
            kind: rubric.kind,
            rubric: Arc::new(rubric),
            rows: Vec::new(),
            progress: (0, 0),
            id_width: 0,
            tabs: Vec::new(),
            list: ListState::default(),
            search: SearchState::default(),
            open: None,
            message: None,
            hint: options.hint.clone(),
            data_version: None,
            audit_seen: 0,
            quit: false,
            help_scroll: 0,
            areas: Areas::default(),
            stage_seen: None,
            stage_pending: None,
            stage_who: None,
            exit_note: None,
            waiting: None,
            gone: false,
            quit_asked: false,
            asked: VecDeque::new(),
            out: Vec::new(),
            retrying: false,
            saving: None,
            loading: false,
            held: Vec::new(),
        })
    }

    /// The judge is in: show their list (and the stage, in a competition).
    fn start(&mut self, start: Start) {
        self.data_version = Some(start.version);
        self.judge = Some(start.judge);
        self.apply_rows(start.head, start.rows);
        self.screen = Screen::List;
        self.login.pin.clear();
        self.check_stage();
    }

    /// Ask the workspace for `effect`; `asked` says what it is for, for when the outcome comes.
    /// A write that waited for another process's lock is retried briefly ([`Effect::Retry`]).
    pub(super) fn ask(&mut self, asked: Asked, effect: Effect) {
        self.asked.push_back(asked);
        self.out.push(if self.retrying {
            Effect::Retry(Box::new(effect))
        } else {
            effect
        });
    }

    /// The effects asked for since the last call, and the stage followed if nothing waits.
    fn effects(&mut self) -> Vec<Effect> {
        // A stage change held back while the judge was typing: now, if they have left the field.
        if self.asked.is_empty() && self.out.is_empty() {
            self.follow_pending_stage();
        }
        std::mem::take(&mut self.out)
    }

    /// A key, a click, a tick or a resize: the state changes at once, and the effects returned
    /// must be run (their outcomes given to [`App::outcome`], in order).
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        // The runtime answers every effect before the next message: anything still waiting was
        // cut off, and is forgotten.
        self.asked.clear();
        self.out.clear();
        self.saving = None;
        self.update_more(msg)
    }

    /// [`App::update`] while effects of an earlier message may still wait for their outcomes
    /// (the characters of a paste, after the first).
    pub fn update_more(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => {
                // Windows reports releases too; only presses act.
                if key.kind != KeyEventKind::Press {
                    return Vec::new();
                }
                // Esc followed quickly by a key arrives as Alt+key: nothing here uses Alt, so
                // treat it as the two keys the judge pressed.
                if key.modifiers.contains(KeyModifiers::ALT)
                    && let KeyCode::Char(_) = key.code
                {
                    self.key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
                    self.key(KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT));
                } else {
                    self.key(key);
                }
            }
            Msg::Mouse(m) if !self.gone => self.mouse(m),
            Msg::Mouse(_) => {}
            Msg::Tick => self.tick(),
            Msg::Resize => {}
        }
        self.effects()
    }

    /// What became of the oldest effect not answered yet.
    pub fn outcome(&mut self, outcome: Outcome) -> Vec<Effect> {
        let asked = self.asked.pop_front();
        // The write is answered (stored or refused): the outcome says which, not the mark.
        if self.asked.is_empty() {
            self.saving = None;
        }
        match outcome {
            Outcome::LoggedIn(start) => {
                self.login.failures = 0;
                self.login.error = None;
                self.start(*start);
            }
            Outcome::FirstPage(start) => {
                self.login.failures = 0;
                self.login.error = None;
                self.loading = true;
                self.start(*start);
            }
            Outcome::ListLoaded(start) => self.list_loaded(*start),
            Outcome::ListLoading => {}
            Outcome::Saved {
                entry,
                round,
                criterion,
                value,
                changed,
            } => {
                let target = FieldTarget {
                    entry,
                    round,
                    criterion,
                };
                self.saved(target, value, changed);
                if let Some(Asked::Save(then)) = asked {
                    self.resume(then, true);
                }
            }
            Outcome::Submitted { entry, round } => self.submitted(&entry, &round),
            Outcome::CommentEditable { entry, editable } => {
                if let Some(o) = self.open.as_ref().filter(|o| o.entry.id == entry) {
                    self.overlay = Some(Overlay::Comment(CommentBox::new(&o.comment, !editable)));
                }
            }
            Outcome::CommentSaved { entry, text } => {
                if let Some(o) = self.open.as_mut().filter(|o| o.entry.id == entry) {
                    o.comment = text;
                }
                self.info(self.t.comment_saved);
            }
            Outcome::Opened(opened) => {
                let after = match asked {
                    Some(Asked::Open(after)) => after,
                    _ => AfterOpen::Nothing,
                };
                self.opened(*opened, after);
            }
            Outcome::Refreshed { entry, sheets } => self.refreshed(&entry, sheets.map(|s| *s)),
            Outcome::Polled(poll) => self.polled(poll),
            Outcome::Reopened(reopened) => self.tell_reopened_on_list(&reopened),
            Outcome::Stage(on) => {
                let go = matches!(asked, Some(Asked::Stage { go: true }));
                self.stage_read(on.map(|b| *b), go);
            }
            Outcome::Refused(r) => {
                let text = (self.t.refusal)(&r);
                self.failed(asked, Some(r), text);
            }
            Outcome::Failed(e) => {
                let text = (self.t.failed)(&e);
                self.failed(asked, None, text);
            }
            Outcome::Unstored(r) => {
                let text = (self.t.failed)(&(crate::i18n::cli_refusals::texts(self.t.lang).serve)(&r));
                self.failed(asked, None, text);
            }
            Outcome::Broken(failure) => {
                let text = (self.t.failed)(&failure.text(self.t.lang));
                self.failed(asked, None, text);
            }
        }
        self.effects()
    }

    /// The workspace refused (or failed) what was asked: say so where the judge asked.
    fn failed(&mut self, asked: Option<Asked>, refusal: Option<Refusal>, text: String) {
        match asked {
            Some(Asked::Login) => match refusal {
                Some(Refusal::WrongPin) => {
                    self.login.failures += 1;
                    if self.login.failures >= MAX_PIN_TRIES {
                        self.login.failures = 0;
                        self.login.locked_until = Some(Instant::now() + Duration::from_secs(PIN_PAUSE_SECS));
                        self.login.error = None;
                    } else {
                        self.login.error = Some((self.t.login_wrong_pin)(MAX_PIN_TRIES - self.login.failures));
                    }
                }
                _ => self.login.error = Some(text),
            },
            Some(Asked::Save(then)) => {
                if !self.held_back(refusal.as_ref(), Waiting::Field) {
                    if let Some(o) = self.open.as_mut() {
                        o.error = Some(text.clone());
                    }
                    self.error(text);
                }
                self.resume(then, false);
            }
            Some(Asked::Submit) => {
                if !self.held_back(refusal.as_ref(), Waiting::Submit) {
                    self.error(text);
                }
            }
            // Read again on the next change; the judge carries on meanwhile.
            Some(Asked::Refresh | Asked::Reopened | Asked::Stage { .. }) => {}
            // The rest of the list could not be read: the first page stays, and the keys held
            // for the whole list act on it; the next change of the workspace reads it whole.
            Some(Asked::Load) => {
                self.loading = false;
                self.data_version = None;
                self.error(text);
                self.press_held();
            }
            Some(Asked::Comment | Asked::SaveComment | Asked::Open(_) | Asked::Poll) | None => self.error(text),
        }
    }

    fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Info,
            text: text.into(),
        });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Error,
            text: text.into(),
        });
    }

    // ---- keys ----

    fn key(&mut self, key: KeyEvent) {
        let c = ctrl(&key);
        if c && matches!(key.code, KeyCode::Char('c' | 'q')) {
            self.leave_field_for_exit(true);
            return;
        }
        self.quit_asked = false;
        if self.loading && self.holds(&key) {
            self.held.push(key);
            self.info((self.t.list_loading_wait)(self.held.len()));
            return;
        }
        if self.gone {
            // Nothing typed now could be stored: only quitting is left.
            if matches!(key.code, KeyCode::Char('q') | KeyCode::Esc) {
                self.quit = true;
            }
            self.error((self.t.refusal)(&Refusal::WorkspaceGone));
            return;
        }
        if let Some(overlay) = self.overlay.clone() {
            self.overlay_key(overlay, key);
            return;
        }
        if key.code == KeyCode::F(1) {
            self.overlay = Some(Overlay::Help);
            return;
        }
        if key.code == KeyCode::F(6) || (c && key.code == KeyCode::Char('g')) {
            self.go_to_stage();
            return;
        }
        match self.screen {
            Screen::Login => self.login_key(key),
            Screen::List => self.list_key(key),
            Screen::Search => self.search_key(key),
            Screen::Entry => self.entry_key(key),
        }
    }

    fn overlay_key(&mut self, overlay: Overlay, key: KeyEvent) {
        match overlay {
            Overlay::Help => match key.code {
                KeyCode::Esc | KeyCode::F(1) | KeyCode::Char('?' | 'q') | KeyCode::Enter => {
                    self.overlay = None;
                    self.help_scroll = 0;
                }
                KeyCode::Up | KeyCode::Char('k') => self.help_scroll = self.help_scroll.saturating_sub(1),
                KeyCode::Down | KeyCode::Char('j') => self.help_scroll += 1,
                KeyCode::PageUp => self.help_scroll = self.help_scroll.saturating_sub(DEFAULT_PAGE),
                KeyCode::PageDown | KeyCode::Char(' ') => self.help_scroll += DEFAULT_PAGE,
                _ => {}
            },
            Overlay::ConfirmSubmit => match key.code {
                KeyCode::Char('y' | 'Y') | KeyCode::Enter => {
                    self.overlay = None;
                    self.submit_now();
                }
                KeyCode::Char('n' | 'N') | KeyCode::Esc => self.overlay = None,
                _ => {}
            },
            Overlay::SitOut(_) => {
                if matches!(key.code, KeyCode::Esc | KeyCode::Enter | KeyCode::Char('q' | ' ')) {
                    self.overlay = None;
                }
            }
            Overlay::Panel(scroll) => match key.code {
                KeyCode::Esc | KeyCode::Enter | KeyCode::F(7) | KeyCode::Char('q') => self.overlay = None,
                KeyCode::Char('d') if ctrl(&key) => self.overlay = None,
                KeyCode::Up | KeyCode::Char('k') => self.overlay = Some(Overlay::Panel(scroll.saturating_sub(1))),
                KeyCode::Down | KeyCode::Char('j') => self.overlay = Some(Overlay::Panel(scroll + 1)),
                KeyCode::PageUp => self.overlay = Some(Overlay::Panel(scroll.saturating_sub(DEFAULT_PAGE))),
                KeyCode::PageDown | KeyCode::Char(' ') => self.overlay = Some(Overlay::Panel(scroll + DEFAULT_PAGE)),
                KeyCode::Home => self.overlay = Some(Overlay::Panel(0)),
                _ => self.overlay = Some(Overlay::Panel(scroll)),
            },
            Overlay::Comment(mut comment) => match key.code {
                KeyCode::Esc => self.overlay = None,
                KeyCode::Enter | KeyCode::F(4) if comment.read_only => self.overlay = None,
                _ if comment.read_only => {}
                KeyCode::Enter => {
                    self.overlay = None;
                    self.save_comment(comment.text());
                }
                _ => {
                    if let Some(request) = comment_request(&key) {
                        comment.input.handle(request);
                        self.overlay = Some(Overlay::Comment(comment));
                    }
                }
            },
        }
    }

    fn login_key(&mut self, key: KeyEvent) {
        let now = Instant::now();
        match self.login.stage {
            LoginStage::Pick => {
                let visible = self.login.visible().len();
                match key.code {
                    KeyCode::Up => self.login.selected = self.login.selected.saturating_sub(1),
                    KeyCode::Down => {
                        self.login.selected = (self.login.selected + 1).min(visible.saturating_sub(1));
                    }
                    KeyCode::PageUp => self.login.selected = self.login.selected.saturating_sub(DEFAULT_PAGE),
                    KeyCode::PageDown => {
                        self.login.selected = (self.login.selected + DEFAULT_PAGE).min(visible.saturating_sub(1));
                    }
                    KeyCode::Home => self.login.selected = 0,
                    KeyCode::End => self.login.selected = visible.saturating_sub(1),
                    KeyCode::Enter if self.login.chosen().is_some() => {
                        self.login.stage = LoginStage::Pin;
                        self.login.pin.clear();
                        self.login.error = None;
                    }
                    KeyCode::Esc => {
                        if self.login.filter.is_empty() {
                            self.quit = true;
                        } else {
                            self.login.filter.clear();
                            self.login.selected = 0;
                        }
                    }
                    KeyCode::Backspace => {
                        self.login.filter.pop();
                        self.login.selected = 0;
                    }
                    KeyCode::Char(ch) if !ctrl(&key) => {
                        self.login.filter.push(ch);
                        self.login.selected = 0;
                    }
                    _ => {}
                }
            }
            LoginStage::Pin => match key.code {
                KeyCode::Esc => {
                    self.login.stage = LoginStage::Pick;
                    self.login.pin.clear();
                    self.login.error = None;
                }
                KeyCode::Backspace => {
                    self.login.pin.pop();
                }
                KeyCode::Enter => self.try_login(now),
                KeyCode::Char(ch) if !ctrl(&key) && self.login.locked_secs(now).is_none() => {
                    self.login.pin.push(ch);
                }
                _ => {}
            },
        }
    }

    fn try_login(&mut self, now: Instant) {
        if self.login.locked_secs(now).is_some() {
            return;
        }
        let Some(judge) = self.login.chosen().map(|j| j.id.clone()) else {
            return;
        };
        let pin = std::mem::take(&mut self.login.pin);
        self.ask(Asked::Login, Effect::Login { judge, pin });
    }

    fn list_key(&mut self, key: KeyEvent) {
        let c = ctrl(&key);
        match key.code {
            KeyCode::Char('q') if !c => self.quit = true,
            KeyCode::Char('?') => self.overlay = Some(Overlay::Help),
            KeyCode::Char('/') => self.enter_search(),
            KeyCode::Char('f') if c => self.enter_search(),
            KeyCode::Char('n') => self.select_next_unscored(),
            KeyCode::Up | KeyCode::Char('k') => self.move_selection(-1),
            KeyCode::Down | KeyCode::Char('j') => self.move_selection(1),
            KeyCode::PageUp => self.move_selection(-(self.list_page() as isize)),
            KeyCode::PageDown | KeyCode::Char(' ') => self.move_selection(self.list_page() as isize),
            KeyCode::Home => self.list.selected = 0,
            KeyCode::End => self.move_selection(isize::MAX / 2),
            KeyCode::Tab | KeyCode::Right => self.switch_tab(1),
            KeyCode::BackTab | KeyCode::Left => self.switch_tab(-1),
            KeyCode::Char(d @ '1'..='9') if !c => {
                let i = d as usize - '1' as usize;
                if i < self.tabs.len() {
                    self.list.tab = i;
                    self.list.selected = 0;
                    self.list.offset = 0;
                }
            }
            KeyCode::Enter => {
                if let Some(row) = self.selected_row() {
                    self.open_row(row);
                }
            }
            KeyCode::Esc => self.message = None,
            _ => {}
        }
    }

    fn search_key(&mut self, key: KeyEvent) {
        match key.code {
            KeyCode::Esc => {
                self.screen = Screen::List;
            }
            KeyCode::Enter => {
                if let Some(found) = self.search.results.get(self.search.selected) {
                    let row = found.row;
                    self.open_row(row);
                }
            }
            KeyCode::Up => self.search.selected = self.search.selected.saturating_sub(1),
            KeyCode::Down => {
                self.search.selected = (self.search.selected + 1).min(self.search.results.len().saturating_sub(1));
            }
            KeyCode::PageUp => self.search.selected = self.search.selected.saturating_sub(DEFAULT_PAGE),
            KeyCode::PageDown => {
                self.search.selected =
                    (self.search.selected + DEFAULT_PAGE).min(self.search.results.len().saturating_sub(1));
            }
            KeyCode::Backspace => {
                self.search.query.pop();
                self.run_search();
            }
            KeyCode::Char('u') if ctrl(&key) => {
                self.search.query.clear();
                self.run_search();
            }
            KeyCode::Char(ch) if !ctrl(&key) => {
                self.search.query.push(ch);
                self.run_search();
            }
            _ => {}
        }
    }

    fn entry_key(&mut self, key: KeyEvent) {
        let c = ctrl(&key);
        let Some(open) = self.open.as_ref() else {
            self.screen = Screen::List;
            return;
        };
        let focus = open.focus;
        // Keys for the whole entry screen.
        match key.code {
            KeyCode::F(2) => return self.toggle_pane(),
            KeyCode::F(7) => return self.show_panel(),
            KeyCode::Char('d') if c => return self.show_panel(),
            KeyCode::Char('t') if c => return self.toggle_pane(),
            KeyCode::F(4) => return self.start_comment(),
            KeyCode::Char('e') if c => return self.start_comment(),
            KeyCode::F(10) => return self.ask_submit(),
            KeyCode::Char('s') if c => return self.ask_submit(),
            KeyCode::Char('n') if c => return self.open_next_unscored(),
            KeyCode::Char('q') if !c => return self.leave_field_for_exit(false),
            KeyCode::Char('?') => {
                self.overlay = Some(Overlay::Help);
                return;
            }
            KeyCode::Char('c') if !c => return self.start_comment(),
            KeyCode::PageUp => return self.scroll_reader(-(self.reader_page() as isize)),
            KeyCode::PageDown => return self.scroll_reader(self.reader_page() as isize),
            KeyCode::Left if c || focus == Pane::Sheet => return self.switch_round(-1),
            KeyCode::Right if c || focus == Pane::Sheet => return self.switch_round(1),
            _ => {}
        }
        if focus == Pane::Reader {
            match key.code {
                KeyCode::Char(ch) if !c && is_score_char(ch) => {
                    // Typing a score while reading goes to the sheet.
                    self.toggle_pane();
                    self.entry_key(key);
                }
                KeyCode::Esc => self.close_entry(),
                KeyCode::Up | KeyCode::Char('k') => self.scroll_reader(-1),
                KeyCode::Down | KeyCode::Char('j') => self.scroll_reader(1),
                KeyCode::Char(' ') => self.scroll_reader(self.reader_page() as isize),
                KeyCode::Home => self.scroll_reader(isize::MIN / 2),
                KeyCode::End => self.scroll_reader(isize::MAX / 2),
                KeyCode::Tab => self.toggle_pane(),
                _ => {}
            }
            return;
        }
        // The score sheet.
        match key.code {
            KeyCode::Esc => self.sheet_escape(),
            KeyCode::Tab | KeyCode::Down | KeyCode::Enter => self.move_criterion(1),
            KeyCode::BackTab | KeyCode::Up => self.move_criterion(-1),
            KeyCode::Home => self.scroll_reader(isize::MIN / 2),
            KeyCode::End => self.scroll_reader(isize::MAX / 2),
            KeyCode::Backspace => self.edit_field(|s| {
                s.pop();
            }),
            KeyCode::Delete => self.edit_field(String::clear),
            // Every character that is no key of the sheet goes into the field as typed, so a comma,
            // a space or a `%` is seen and refused (check_value), never dropped.
            KeyCode::Char(ch) if !c && !ch.is_ascii_alphabetic() && !ch.is_control() => {
                if self.open.as_ref().is_some_and(|o| o.fresh) {
                    self.edit_field(|s| {
                        s.clear();
                        s.push(ch);
                    });
                } else {
                    self.edit_field(|s| s.push(ch));
                }
            }
            KeyCode::Char(ch) if !c && ch.is_ascii_alphabetic() => {
                // Letters are not numbers: show it at once, store nothing.
                self.edit_field(|s| s.push(ch));
            }
            _ => {}
        }
    }

    // ---- the list ----

    pub fn current_tab(&self) -> Option<&Tab> {
        self.tabs.get(self.list.tab)
    }

    pub fn selected_row(&self) -> Option<usize> {
        self.current_tab()?.rows.get(self.list.selected).copied()
    }

    fn list_page(&self) -> usize {
        match self.areas.list.height {
            0 => DEFAULT_PAGE,
            h => usize::from(h).max(1),
        }
    }

    fn move_selection(&mut self, by: isize) {
        let n = self.current_tab().map_or(0, |t| t.rows.len());
        if n == 0 {
            return;
        }
        let next = (self.list.selected as isize)
            .saturating_add(by)
            .clamp(0, n as isize - 1);
        self.list.selected = next as usize;
    }

    fn switch_tab(&mut self, by: isize) {
        let n = self.tabs.len() as isize;
        if n == 0 {
            return;
        }
        self.list.tab = ((self.list.tab as isize + by).rem_euclid(n)) as usize;
        self.list.selected = 0;
        self.list.offset = 0;
    }

    /// Show the tab and row of `row`.
    fn select_row(&mut self, row: usize) {
        for (ti, tab) in self.tabs.iter().enumerate() {
            if let Some(pos) = tab.rows.iter().position(|&r| r == row) {
                self.list.tab = ti;
                self.list.selected = pos;
                return;
            }
        }
    }

    /// The next row after `from` (in tab order, wrapping) that still needs scoring.
    fn next_unscored_after(&self, from: Option<usize>) -> Option<usize> {
        let order: Vec<usize> = self.tabs.iter().flat_map(|t| t.rows.iter().copied()).collect();
        let start = from
            .and_then(|r| order.iter().position(|&x| x == r))
            .map_or(0, |p| p + 1);
        (0..order.len())
            .map(|i| order[(start + i) % order.len()])
            .find(|&r| Some(r) != from && self.rows[r].needs_scoring())
            .or_else(|| from.filter(|&r| self.rows[r].needs_scoring()))
    }

    fn select_next_unscored(&mut self) {
        match self.next_unscored_after(self.selected_row()) {
            Some(r) => self.select_row(r),
            None => self.info(self.t.all_scored),
        }
    }

    fn open_next_unscored(&mut self) {
        self.commit_then(Then::OpenNextUnscored);
    }

    fn open_next_unscored_now(&mut self) {
        let current = self
            .open
            .as_ref()
            .and_then(|o| self.rows.iter().position(|r| r.entry.id() == o.entry.id));
        match self.next_unscored_after(current) {
            Some(r) if Some(r) != current => {
                self.select_row(r);
                self.open_row(r);
            }
            _ => self.info(self.t.all_scored),
        }
    }

    /// The judge's rows (read at audit row `head`): rebuild the tabs, keeping the selected entry
    /// selected.
    pub fn apply_rows(&mut self, head: i64, rows: Vec<EntryRow>) {
        let keep = self.selected_row().map(|r| self.rows[r].entry.id().to_string());
        let rubric = Arc::clone(&self.rubric);
        let entries_changed =
            rows.len() != self.rows.len() || rows.iter().zip(&self.rows).any(|(a, b)| a.entry != b.entry);
        self.audit_seen = head;
        self.progress = progress_of(&rows);
        self.id_width = rows
            .iter()
            .map(|r| crate::core::text::width(r.entry.id()))
            .max()
            .unwrap_or(0);
        self.rows = rows;
        let mut tabs: Vec<Tab> = rubric
            .groups
            .iter()
            .map(|g| Tab {
                label: g.clone(),
                rows: Vec::new(),
            })
            .collect();
        let mut other = Vec::new();
        for (i, r) in self.rows.iter().enumerate() {
            match r.entry.group().and_then(|g| rubric.groups.iter().position(|x| x == g)) {
                Some(t) => tabs[t].rows.push(i),
                None => other.push(i),
            }
        }
        if !other.is_empty() {
            tabs.push(Tab {
                label: self.t.no_group.to_string(),
                rows: other,
            });
        }
        tabs.retain(|t| !t.rows.is_empty());
        self.tabs = tabs;
        self.list.tab = self.list.tab.min(self.tabs.len().saturating_sub(1));
        match keep.and_then(|id| self.rows.iter().position(|r| r.entry.id() == id)) {
            Some(r) => self.select_row(r),
            None => self.list.selected = 0,
        }
        if entries_changed {
            self.search.engine = None;
            if self.screen == Screen::Search {
                self.run_search();
            }
        }
    }

    // ---- search ----

    fn enter_search(&mut self) {
        self.screen = Screen::Search;
        self.run_search();
    }

    fn run_search(&mut self) {
        if self.search.engine.is_none() {
            self.search.engine = Some(IncrementalSearch::new(crate::app::judging::shared_search_index(
                &self.rows,
            )));
        }
        let query = self.search.query.clone();
        let Some(engine) = self.search.engine.as_mut() else {
            return;
        };
        self.search.results = if query.trim().is_empty() {
            Vec::new()
        } else {
            // Highlights come later, for the rows drawn (`SearchState::highlight_window`).
            engine
                .update_lazy(&query)
                .iter()
                .map(|h| Found {
                    row: h.doc,
                    highlights: Vec::new(),
                    highlighted: false,
                })
                .collect()
        };
        self.search.selected = 0;
        self.search.offset = 0;
    }

    // ---- the entry ----

    fn open_row(&mut self, row: usize) {
        self.open_row_then(row, AfterOpen::Nothing);
    }

    /// Open the entry of `row` (read through the workspace), then `after`.
    pub(super) fn open_row_then(&mut self, row: usize, after: AfterOpen) {
        let Some(r) = self.rows.get(row) else { return };
        if let Some(reason) = &r.conflict {
            self.error((self.t.conflict_reason)(reason));
            return;
        }
        let entry = r.entry.id().to_string();
        self.ask(Asked::Open(after), Effect::OpenEntry { entry });
    }

    /// The entry asked for is read: show it on its first round not submitted.
    fn opened(&mut self, opened: Opened, after: AfterOpen) {
        let Opened { entry, sheets, source } = opened;
        let EntrySheets {
            sheets,
            comment,
            reopened,
            discussion,
        } = sheets;
        let in_discussion = discussion.is_some();
        let row = self.rows.iter().position(|r| r.entry.id() == entry.id);
        let round = sheets
            .iter()
            .position(|s| s.status != SheetProgress::Submitted)
            .unwrap_or(0);
        let focus = if self.kind == Kind::Cases && !self.areas.wide {
            Pane::Reader
        } else {
            Pane::Sheet
        };
        self.open = Some(OpenEntry {
            entry,
            focus,
            scroll: 0,
            round,
            criterion: 0,
            input: String::new(),
            fresh: true,
            dirty: false,
            error: None,
            sheets,
            comment,
            reopened,
            target: None,
            source,
            discussion,
        });
        self.load_field();
        if let Some(row) = row {
            self.select_row(row);
        }
        self.screen = Screen::Entry;
        self.message = None;
        if in_discussion {
            self.info(self.t.panel_hint.to_string());
        }
        if self
            .open
            .as_ref()
            .and_then(|o| o.sheets.get(round))
            .is_some_and(|s| s.status == SheetProgress::Draft)
        {
            self.tell_reopened(round);
        }
        match after {
            AfterOpen::Nothing => {}
            AfterOpen::Stage(on) => self.follow_round(&on),
        }
    }

    fn close_entry(&mut self) {
        self.open = None;
        self.screen = Screen::List;
    }

    fn toggle_pane(&mut self) {
        if let Some(o) = self.open.as_mut() {
            o.focus = match o.focus {
                Pane::Reader => Pane::Sheet,
                Pane::Sheet => Pane::Reader,
            };
        }
    }

    fn reader_page(&self) -> usize {
        match self.areas.reader.height {
            0 => DEFAULT_PAGE,
            h => usize::from(h).saturating_sub(1).max(1),
        }
    }

    fn scroll_reader(&mut self, by: isize) {
        let max = self
            .areas
            .reader_lines
            .saturating_sub(usize::from(self.areas.reader.height));
        if let Some(o) = self.open.as_mut() {
            let next = (o.scroll as isize).saturating_add(by).max(0) as usize;
            // Before the first draw the length is unknown; the view clamps.
            o.scroll = if self.areas.reader_lines > 0 {
                next.min(max)
            } else {
                next
            };
        }
    }

    /// The open entry's current round, in `rubric` (the screen's, [`App::rubric`]).
    fn current_round<'r>(&self, rubric: &'r Rubric) -> Option<&'r Round> {
        rubric.rounds.get(self.open.as_ref()?.round)
    }

    /// Put the stored value of the focused criterion into the field.
    fn load_field(&mut self) {
        let rubric = Arc::clone(&self.rubric);
        let Some(round) = self.current_round(&rubric) else {
            return;
        };
        let Some(o) = self.open.as_mut() else { return };
        let value = round
            .criteria
            .get(o.criterion)
            .and_then(|c| o.sheets.get(o.round).and_then(|s| s.values.get(&c.id)));
        o.input = value.map(|v| v.to_string()).unwrap_or_default();
        o.fresh = true;
        o.dirty = false;
        o.error = None;
        o.target = None;
    }

    fn edit_field(&mut self, edit: impl FnOnce(&mut String)) {
        let rubric = Arc::clone(&self.rubric);
        let Some(round) = self.current_round(&rubric) else {
            return;
        };
        let t = self.t;
        let Some(o) = self.open.as_mut() else { return };
        if o.sheets
            .get(o.round)
            .is_some_and(|s| s.status == SheetProgress::Submitted)
        {
            self.message = Some(Message {
                level: Level::Error,
                text: (t.refusal)(&Refusal::Submitted),
            });
            return;
        }
        let Some(criterion) = round.criteria.get(o.criterion) else {
            return;
        };
        // The cell this value is for, fixed when editing starts (see `commit_then`).
        if !o.dirty || o.target.is_none() {
            o.target = Some(FieldTarget {
                entry: o.entry.id.clone(),
                round: round.id.clone(),
                criterion: criterion.id.clone(),
            });
        }
        edit(&mut o.input);
        o.fresh = false;
        o.dirty = true;
        o.error = check_value(&rubric, criterion, &o.input).err().map(|r| (t.refusal)(&r));
    }

    /// Store the field if it changed, on the cell it was typed for ([`OpenEntry::target`]), not
    /// whatever is on screen now, then `then`. An emptied field clears the criterion. The value
    /// is read here (the library's rule, [`check_value`]); a value that is no score is refused
    /// at once (the reason is shown) and `then` runs as not stored. Otherwise the write is asked
    /// for, and `then` waits for its outcome: nothing is shown as saved before.
    pub(super) fn commit_then(&mut self, then: Then) {
        let Some(o) = self.open.as_ref() else {
            return self.resume(then, true);
        };
        if !o.dirty {
            return self.resume(then, true);
        }
        let rubric = Arc::clone(&self.rubric);
        let target = match &o.target {
            Some(t) => t.clone(),
            None => {
                let Some(round) = self.current_round(&rubric) else {
                    return self.resume(then, true);
                };
                let Some(criterion) = round.criteria.get(o.criterion) else {
                    return self.resume(then, true);
                };
                FieldTarget {
                    entry: o.entry.id.clone(),
                    round: round.id.clone(),
                    criterion: criterion.id.clone(),
                }
            }
        };
        let Some(round) = rubric.rounds.iter().find(|r| r.id == target.round) else {
            return self.resume(then, true);
        };
        let Some(criterion) = round.criteria.iter().find(|c| c.id == target.criterion) else {
            return self.resume(then, true);
        };
        let FieldTarget {
            entry,
            round,
            criterion: criterion_id,
        } = target;
        match check_value(&rubric, criterion, &o.input) {
            Ok(Some(value)) => {
                self.saving = Some((self.t.saving)(&criterion.name, &value.to_string()));
                self.ask(
                    Asked::Save(then),
                    Effect::SaveScore {
                        entry,
                        round,
                        criterion: criterion_id,
                        value,
                    },
                )
            }
            Ok(None) => self.ask(
                Asked::Save(then),
                Effect::ClearScore {
                    entry,
                    round,
                    criterion: criterion_id,
                },
            ),
            Err(refusal) => {
                let text = (self.t.refusal)(&refusal);
                if let Some(o) = self.open.as_mut() {
                    o.error = Some(text.clone());
                }
                self.error(text);
                self.resume(then, false);
            }
        }
    }

    /// The value of the field is committed on `target` (`None`: cleared, `changed` false when
    /// there was nothing to clear): now the sheet and the list show it, and the judge is told.
    fn saved(&mut self, target: FieldTarget, value: Option<Points>, changed: bool) {
        let rubric = Arc::clone(&self.rubric);
        let Some(ri) = rubric.round_index(&target.round) else {
            return;
        };
        let Some(criterion) = rubric.rounds[ri].criteria.iter().find(|c| c.id == target.criterion) else {
            return;
        };
        let text = match value {
            Some(v) => Some((self.t.saved)(&criterion.name, &v.to_string())),
            None if changed => Some((self.t.cleared)(&criterion.name)),
            None => None,
        };
        if let Some(o) = self.open.as_mut() {
            if o.entry.id == target.entry
                && let Some(sheet) = o.sheets.get_mut(ri)
            {
                match value {
                    Some(v) => sheet.values.insert(criterion.id.clone(), v),
                    None => sheet.values.remove(&criterion.id),
                };
                if changed && sheet.status == SheetProgress::NotStarted {
                    sheet.status = SheetProgress::Draft;
                }
            }
            // The field held this value: it shows the stored value now.
            if o.dirty && o.target.as_ref() == Some(&target) {
                o.input = value.map(|v| v.to_string()).unwrap_or_default();
                o.dirty = false;
                o.fresh = true;
                o.error = None;
                o.target = None;
            }
        }
        if changed {
            self.mark_row(&target.entry, ri, SheetProgress::Draft);
        }
        if let Some(text) = text {
            self.info(text);
        }
        if self.waiting == Some(Waiting::Field) {
            self.waiting = None;
        }
    }

    /// What waited for the field's value, now that it is stored (`saved`) or not.
    pub(super) fn resume(&mut self, then: Then, saved: bool) {
        match then {
            Then::Exit { ctrl_c } => {
                let said = self.message.as_ref().map(|m| m.text.clone());
                self.exit_note = match (saved, said) {
                    (true, said) => said,
                    (false, Some(reason)) => Some((self.t.not_saved)(&reason)),
                    (false, None) => None,
                };
                self.exit(ctrl_c);
            }
            // Leaving for the stage: a value that cannot be stored is forgotten.
            Then::SitOut(on) => self.sit_out(&on),
            _ if !saved => {}
            Then::Nothing => {}
            Then::MoveCriterion(by) => self.move_criterion_now(by),
            Then::FocusCriterion(i) => self.focus_criterion_now(i),
            Then::SwitchRound(by) => self.switch_round_now(by),
            Then::AskSubmit => self.ask_submit_now(),
            Then::StartComment => self.start_comment_now(),
            Then::OpenNextUnscored => self.open_next_unscored_now(),
            Then::GoToStage => self.go_to_stage_now(),
            Then::Follow(on) => self.follow_stored(&on),
        }
    }

    /// Quitting (q, Ctrl-C): store a valid field, forget an invalid one, and keep what happened
    /// to say on the terminal once the screen is gone ([`App::exit_note`]).
    fn leave_field_for_exit(&mut self, ctrl_c: bool) {
        if self.screen != Screen::Entry || !self.open.as_ref().is_some_and(|o| o.dirty) {
            return self.exit(ctrl_c);
        }
        self.message = None;
        self.commit_then(Then::Exit { ctrl_c });
    }

    fn exit(&mut self, ctrl_c: bool) {
        // A value held back by another writer is not dropped on the first Ctrl-C.
        if ctrl_c && self.waiting.is_some() && !self.quit_asked && !self.gone {
            self.quit_asked = true;
            self.error(self.t.quit_while_waiting);
            return;
        }
        self.quit = true;
    }

    /// The organiser reopened round `ri` of the open entry: say why (the reason read with the
    /// sheets, from the audit trail) and, unless a value is being typed, show that round with the
    /// cursor on its first empty criterion (the first when none is empty).
    fn tell_reopened(&mut self, ri: usize) {
        let rubric = Arc::clone(&self.rubric);
        let Some(round) = rubric.rounds.get(ri) else { return };
        let Some(o) = self.open.as_ref() else { return };
        let Some(Some(reason)) = o.reopened.get(ri) else {
            return;
        };
        let text = (self.t.reopened)(&round.name, reason);
        if let Some(o) = self.open.as_mut()
            && !o.dirty
        {
            let values = o.sheets.get(ri).map(|s| &s.values);
            o.criterion = round
                .criteria
                .iter()
                .position(|c| !values.is_some_and(|v| v.contains_key(&c.id)))
                .unwrap_or(0);
            o.round = ri;
            o.focus = Pane::Sheet;
            self.load_field();
        }
        self.info(text);
    }

    fn mark_row(&mut self, entry: &str, round: usize, progress: SheetProgress) {
        if let Some(row) = self.rows.iter_mut().find(|r| r.entry.id() == entry)
            && let Some(slot) = row.rounds.get_mut(round)
            && (*slot != SheetProgress::Submitted)
        {
            *slot = progress;
            // Conflicted rows are not counted in the progress (see `progress_of`).
            if progress == SheetProgress::Submitted && row.conflict.is_none() {
                self.progress.0 += 1;
            }
        }
    }

    fn move_criterion(&mut self, by: isize) {
        self.commit_then(Then::MoveCriterion(by));
    }

    fn move_criterion_now(&mut self, by: isize) {
        let rubric = Arc::clone(&self.rubric);
        let Some(n) = self.current_round(&rubric).map(|r| r.criteria.len()) else {
            return;
        };
        if let Some(o) = self.open.as_mut() {
            o.criterion = (o.criterion as isize + by).rem_euclid(n.max(1) as isize) as usize;
        }
        self.load_field();
    }

    fn focus_criterion(&mut self, index: usize) {
        self.commit_then(Then::FocusCriterion(index));
    }

    fn focus_criterion_now(&mut self, index: usize) {
        if let Some(o) = self.open.as_mut() {
            o.criterion = index;
            o.focus = Pane::Sheet;
        }
        self.load_field();
    }

    fn switch_round(&mut self, by: isize) {
        self.commit_then(Then::SwitchRound(by));
    }

    fn switch_round_now(&mut self, by: isize) {
        let n = self.rubric.rounds.len();
        if let Some(o) = self.open.as_mut() {
            o.round = (o.round as isize + by).rem_euclid(n.max(1) as isize) as usize;
            o.criterion = 0;
        }
        self.load_field();
    }

    /// Esc on the sheet: an edit is abandoned (the stored value comes back, and the judge is
    /// told); with nothing being edited, back to the list. Only Tab, Enter and Up/Down commit.
    fn sheet_escape(&mut self) {
        // A value the judge already committed (Tab, Enter) and that waits for another writer's
        // lock is no edit to abandon: it stays in the field and keeps being retried.
        if self.waiting == Some(Waiting::Field) {
            self.error((self.t.refusal)(&Refusal::Busy));
            return;
        }
        let Some(o) = self.open.as_ref() else { return };
        if !o.dirty {
            self.close_entry();
            return;
        }
        let criterion = o.criterion;
        self.load_field();
        let rubric = Arc::clone(&self.rubric);
        let Some(c) = self.current_round(&rubric).and_then(|r| r.criteria.get(criterion)) else {
            return;
        };
        let kept = self.open.as_ref().map(|o| o.input.clone()).unwrap_or_default();
        let text = (self.t.edit_undone)(&c.name, (!kept.is_empty()).then_some(kept.as_str()));
        self.info(text);
    }

    fn ask_submit(&mut self) {
        self.commit_then(Then::AskSubmit);
    }

    fn ask_submit_now(&mut self) {
        let rubric = Arc::clone(&self.rubric);
        let Some(round) = self.current_round(&rubric) else {
            return;
        };
        let Some(o) = self.open.as_ref() else { return };
        let Some(sheet) = o.sheets.get(o.round) else { return };
        if sheet.status == SheetProgress::Submitted {
            self.error((self.t.refusal)(&Refusal::Submitted));
            return;
        }
        let missing: Vec<String> = round
            .criteria
            .iter()
            .filter(|c| !sheet.values.contains_key(&c.id))
            .map(|c| c.name.clone())
            .collect();
        if !missing.is_empty() {
            self.error((self.t.refusal)(&Refusal::EmptyCriteria(missing)));
            return;
        }
        self.overlay = Some(Overlay::ConfirmSubmit);
    }

    /// The confirmed submission of the open sheet, asked of the workspace.
    fn submit_now(&mut self) {
        let rubric = Arc::clone(&self.rubric);
        let Some(round) = self.current_round(&rubric) else {
            return;
        };
        let Some(o) = self.open.as_ref() else { return };
        let entry = o.entry.id.clone();
        self.saving = Some(self.t.submitting.to_string());
        self.ask(
            Asked::Submit,
            Effect::Submit {
                entry,
                round: round.id.clone(),
            },
        );
    }

    /// The sheet of `entry` in round `round` is submitted (committed).
    fn submitted(&mut self, entry: &str, round: &str) {
        let rubric = Arc::clone(&self.rubric);
        let Some(ri) = rubric.round_index(round) else { return };
        if let Some(o) = self.open.as_mut().filter(|o| o.entry.id == entry)
            && let Some(sheet) = o.sheets.get_mut(ri)
        {
            sheet.status = SheetProgress::Submitted;
        }
        self.mark_row(entry, ri, SheetProgress::Submitted);
        if self.waiting == Some(Waiting::Submit) {
            self.waiting = None;
        }
        self.info((self.t.submitted_done)(&rubric.rounds[ri].name));
        // With discussion allowed, the panel's marks may be shown now that this round is in.
        if rubric.discussion != crate::core::rubric::Discussion::Off
            && self.open.as_ref().is_some_and(|o| o.entry.id == entry)
        {
            self.ask(
                Asked::Refresh,
                Effect::RefreshEntry {
                    entry: entry.to_string(),
                },
            );
        }
    }

    /// Another writer holds the lock (keep what is waiting, say so, retry on the tick) or the
    /// workspace is gone (accept nothing more). `false` for any other refusal.
    fn held_back(&mut self, refusal: Option<&Refusal>, what: Waiting) -> bool {
        match refusal {
            Some(Refusal::Busy) => {
                self.waiting = Some(what);
                if let Some(o) = self.open.as_mut() {
                    o.error = None;
                }
                self.info((self.t.refusal)(&Refusal::Busy));
                true
            }
            Some(Refusal::WorkspaceGone) => {
                self.gone = true;
                self.waiting = None;
                self.error((self.t.refusal)(&Refusal::WorkspaceGone));
                true
            }
            _ => false,
        }
    }

    fn start_comment(&mut self) {
        self.commit_then(Then::StartComment);
    }

    fn start_comment_now(&mut self) {
        let Some(o) = &self.open else { return };
        // The library decides: read-only once every round of the entry is submitted.
        let entry = o.entry.id.clone();
        self.ask(Asked::Comment, Effect::CheckComment { entry });
    }

    fn save_comment(&mut self, text: &str) {
        let Some(o) = self.open.as_ref() else { return };
        let entry = o.entry.id.clone();
        self.ask(
            Asked::SaveComment,
            Effect::SaveComment {
                entry,
                text: text.to_string(),
            },
        );
    }

    /// The live total of the current round: stored values, with the field's valid text in place
    /// of the focused criterion's stored value.
    pub fn live_total(&self) -> Option<Points> {
        let round = self.current_round(&self.rubric)?;
        let o = self.open.as_ref()?;
        let sheet = o.sheets.get(o.round)?;
        let mut total = Points::ZERO;
        for (i, c) in round.criteria.iter().enumerate() {
            let v = if i == o.criterion && o.dirty {
                check_value(&self.rubric, c, &o.input).ok().flatten()
            } else {
                sheet.values.get(&c.id).copied()
            };
            total = total + v.unwrap_or(Points::ZERO);
        }
        Some(total)
    }

    // ---- time ----

    fn tick(&mut self) {
        if self.gone {
            return;
        }
        if let Some(what) = self.waiting.filter(|_| self.screen == Screen::Entry) {
            // Tried again, waiting only briefly for the lock, so keys are still read meanwhile.
            self.retrying = true;
            match what {
                Waiting::Field => self.commit_then(Then::Nothing),
                Waiting::Submit => self.submit_now(),
            }
            self.retrying = false;
        }
        if self.judge.is_none() {
            return;
        }
        // While the list loads, the tick asks for it instead (the workspace is looked at once it
        // is in).
        if self.loading {
            self.ask(Asked::Load, Effect::TakeList);
            return;
        }
        let (version, seen) = (self.data_version, self.audit_seen);
        self.ask(Asked::Poll, Effect::Poll { version, seen });
    }

    /// While the list loads, whether `key` waits for the whole of it: every key after one that
    /// waits (they are pressed in order), and on the list every key but those that act on the
    /// first page alone (up, down, the first row, open, help, quit, Esc).
    fn holds(&self, key: &KeyEvent) -> bool {
        if !self.held.is_empty() {
            return true;
        }
        if self.screen != Screen::List || self.overlay.is_some() {
            return false;
        }
        let on_the_page = matches!(
            key.code,
            KeyCode::Up
                | KeyCode::Down
                | KeyCode::Home
                | KeyCode::Enter
                | KeyCode::Esc
                | KeyCode::F(1)
                | KeyCode::Char('k' | 'j' | 'q' | '?')
        );
        !on_the_page || ctrl(key)
    }

    /// The whole list is in: it takes the first page's place (the row selected stays selected,
    /// by id), the workspace is looked at at once (what this screen saved meanwhile may be newer
    /// than the list), and the keys held for it are pressed.
    fn list_loaded(&mut self, start: Start) {
        self.loading = false;
        // The list's version is of the loader's connection: this one's next look reads what
        // changed after the list's audit row.
        self.data_version = None;
        self.apply_rows(start.head, start.rows);
        let (version, seen) = (self.data_version, self.audit_seen);
        self.ask(Asked::Poll, Effect::Poll { version, seen });
        self.press_held();
    }

    fn press_held(&mut self) {
        let held = std::mem::take(&mut self.held);
        if !held.is_empty() && self.message.as_ref().is_some_and(|m| m.level == Level::Info) {
            self.message = None;
        }
        for key in held {
            self.key(key);
        }
    }

    /// What the look at the workspace found.
    fn polled(&mut self, poll: Poll) {
        match poll {
            Poll::Gone => {
                if !self.gone {
                    self.gone = true;
                    self.waiting = None;
                    self.error((self.t.refusal)(&Refusal::WorkspaceGone));
                }
            }
            Poll::Same => {}
            // Only other judges scored: nothing on this screen changed.
            Poll::Quiet { version, head } => {
                self.data_version = Some(version);
                self.audit_seen = head;
            }
            Poll::Sheets { version, head, sheets } => {
                self.data_version = Some(version);
                self.audit_seen = head;
                let open = self.open.as_ref().map(|o| o.entry.id.clone());
                let mut reload = false;
                for (id, rounds) in sheets {
                    reload |= open.as_deref() == Some(id.as_str());
                    if let Some(row) = self.rows.iter_mut().find(|r| r.entry.id() == id) {
                        row.rounds = rounds.into();
                    }
                }
                self.progress = progress_of(&self.rows);
                if reload {
                    self.reload_open();
                }
            }
            Poll::Changed {
                version,
                head,
                rows,
                rubric,
            } => {
                self.data_version = Some(version);
                if *rubric != *self.rubric {
                    // `jury rubric apply`: the new criteria from this refresh on; an open entry
                    // is closed (its sheet was laid out for the old ones).
                    self.contest = rubric.name.clone();
                    self.kind = rubric.kind;
                    self.rubric = rubric;
                    if self.open.is_some() {
                        self.close_entry();
                        self.info(self.t.rubric_changed.to_string());
                    }
                }
                let (seen, submitted) = (self.audit_seen, self.progress.0);
                self.apply_rows(head, rows);
                if self.open.is_none() && self.progress.0 < submitted {
                    self.ask(Asked::Reopened, Effect::ReopenedSince { seen });
                }
                self.reload_open();
                self.check_stage();
            }
        }
    }

    /// On the list, fewer sheets are submitted than before: the organiser reopened some. Say
    /// which and why (instead of a stale "submitted" line).
    fn tell_reopened_on_list(&mut self, reopened: &[(String, String, String)]) {
        if let Some((entry, round, reason)) = reopened.last() {
            let name = self
                .rubric
                .rounds
                .iter()
                .find(|r| &r.id == round)
                .map_or(round.as_str(), |r| r.name.as_str());
            let text = (self.t.reopened)(&format!("{entry} {name}"), reason);
            self.info(text);
        }
    }

    /// F7: the panel's marks of the entry under discussion, as the library gave them; otherwise
    /// a line that says when they are shown (the same whether or not the entry is discussed).
    fn show_panel(&mut self) {
        if self.open.as_ref().is_some_and(|o| o.discussion.is_some()) {
            self.overlay = Some(Overlay::Panel(0));
        } else {
            self.info(self.t.panel_none.to_string());
        }
    }

    /// Another process changed the workspace: re-read the open entry's sheets and comment,
    /// keeping what the judge is typing.
    fn reload_open(&mut self) {
        let Some(o) = self.open.as_ref() else { return };
        let id = o.entry.id.clone();
        if let Some(reason) = self
            .rows
            .iter()
            .find(|r| r.entry.id() == id)
            .and_then(|r| r.conflict.clone())
        {
            // Declared a conflict meanwhile: the entry can no longer be scored.
            self.close_entry();
            self.error((self.t.conflict_reason)(&reason));
            return;
        }
        self.ask(Asked::Refresh, Effect::RefreshEntry { entry: id });
    }

    /// The open entry's sheets read again (`None`: they could not be, keep what is shown).
    fn refreshed(&mut self, entry: &str, sheets: Option<EntrySheets>) {
        let Some(o) = self.open.as_mut().filter(|o| o.entry.id == entry) else {
            return;
        };
        let mut reopened = Vec::new();
        if let Some(read) = sheets {
            reopened = (0..read.sheets.len())
                .filter(|&i| {
                    o.sheets.get(i).is_some_and(|s| s.status == SheetProgress::Submitted)
                        && read.sheets[i].status != SheetProgress::Submitted
                })
                .collect();
            o.sheets = read.sheets;
            o.comment = read.comment;
            o.reopened = read.reopened;
            o.discussion = read.discussion;
        }
        // The round on screen first, if it is one of those reopened.
        let on_screen = o.round;
        reopened.sort_by_key(|&i| i != on_screen);
        if !o.dirty {
            self.load_field();
        }
        if let Some(&ri) = reopened.first() {
            self.tell_reopened(ri);
        }
    }

    // ---- mouse ----

    fn mouse(&mut self, m: MouseEvent) {
        if self.overlay.is_some() {
            return;
        }
        let at = Position::new(m.column, m.row);
        let inside = |r: Rect| r.contains(at);
        match m.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let by: isize = if m.kind == MouseEventKind::ScrollDown { 3 } else { -3 };
                match self.screen {
                    Screen::Entry => self.scroll_reader(by),
                    Screen::List => self.move_selection(by),
                    Screen::Search => {
                        let n = self.search.results.len();
                        let next = (self.search.selected as isize + by).clamp(0, n.saturating_sub(1) as isize);
                        self.search.selected = next as usize;
                    }
                    Screen::Login => {}
                }
            }
            MouseEventKind::Down(MouseButton::Left) => match self.screen {
                Screen::List => {
                    if let Some(&(_, t)) = self.areas.tabs.iter().find(|(r, _)| inside(*r)) {
                        self.list.tab = t;
                        self.list.selected = 0;
                        self.list.offset = 0;
                    } else if inside(self.areas.list) {
                        let index = self.list.offset + usize::from(m.row - self.areas.list.y);
                        let n = self.current_tab().map_or(0, |t| t.rows.len());
                        if index < n {
                            if index == self.list.selected {
                                if let Some(row) = self.selected_row() {
                                    self.open_row(row);
                                }
                            } else {
                                self.list.selected = index;
                            }
                        }
                    }
                }
                Screen::Search => {
                    if inside(self.areas.search) {
                        let index = self.search.offset + usize::from(m.row - self.areas.search.y);
                        if index < self.search.results.len() {
                            if index == self.search.selected {
                                let row = self.search.results[index].row;
                                self.open_row(row);
                            } else {
                                self.search.selected = index;
                            }
                        }
                    }
                }
                Screen::Entry => {
                    if let Some(&(_, i)) = self.areas.sheet_rows.iter().find(|(r, _)| inside(*r)) {
                        self.focus_criterion(i);
                    } else if inside(self.areas.reader)
                        && let Some(o) = self.open.as_mut()
                    {
                        o.focus = Pane::Reader;
                    }
                }
                Screen::Login => {
                    if self.login.stage == LoginStage::Pick && inside(self.areas.login_list) {
                        let index = self.areas.login_offset + usize::from(m.row - self.areas.login_list.y);
                        if index < self.login.visible().len() {
                            if index == self.login.selected {
                                self.login.stage = LoginStage::Pin;
                                self.login.pin.clear();
                            } else {
                                self.login.selected = index;
                            }
                        }
                    }
                }
            },
            _ => {}
        }
    }
}
