//! Messages in, state changed: every key, click and tick goes through [`App::update`]. Writes go
//! through the [`JudgeSession`], which commits before this returns, so what the screen shows as
//! saved is saved.

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use crate::app::judging::{JudgeError, JudgeSession, Refusal, SheetProgress, check_value, progress_of};
use crate::core::scoring::is_score_char;
use crate::core::{Kind, Points};
use crate::search::{IncrementalSearch, SearchIndex, entry_doc};
use crate::store::Store;

use super::state::*;
use super::theme::Theme;

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

/// How long a judge's write waits for another process's write lock before the screen says it is
/// waiting (and retries on the tick, [`RETRY_WAIT`] each time).
const WRITE_WAIT: Duration = Duration::from_secs(1);
const RETRY_WAIT: Duration = Duration::from_millis(100);

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

impl<'a> App<'a> {
    /// A new screen on `store`. With `options.trusted` and a judge, the login is skipped (demo).
    pub fn new(store: &'a Store, options: Options) -> crate::Result<App<'a>> {
        let rubric = store.rubric()?;
        let judges = store.judges()?;
        let mut login = LoginState::new(judges);
        if let Some(id) = &options.judge {
            match login.judges.iter().position(|j| &j.id == id) {
                Some(i) => {
                    login.selected = i;
                    login.stage = LoginStage::Pin;
                }
                None => {
                    return Err(crate::Error::refused(format!(
                        "no judge with the id \"{id}\" in {}",
                        store.path().display()
                    )));
                }
            }
        }
        let mut app = App {
            store,
            t: options.lang.texts(),
            theme: Theme::new(options.no_color),
            screen: Screen::Login,
            overlay: None,
            login,
            session: None,
            contest: rubric.name.clone(),
            kind: rubric.kind,
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
        };
        if options.trusted
            && let Some(id) = &options.judge
        {
            let session = JudgeSession::trusted(store, id).map_err(crate::Error::from)?;
            app.start(session)?;
        }
        Ok(app)
    }

    fn start(&mut self, session: JudgeSession<'a>) -> crate::Result<()> {
        // A write held up longer by another process is kept on screen and retried, never frozen on.
        session.set_write_wait(WRITE_WAIT);
        self.data_version = Some(session.data_version().map_err(crate::Error::from)?);
        self.session = Some(session);
        self.reload_rows().map_err(crate::Error::from)?;
        self.screen = Screen::List;
        self.login.pin.clear();
        self.check_stage();
        Ok(())
    }

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Key(key) => {
                // Windows reports releases too; only presses act.
                if key.kind != KeyEventKind::Press {
                    return;
                }
                // Esc followed quickly by a key arrives as Alt+key: nothing here uses Alt, so
                // treat it as the two keys the judge pressed.
                if key.modifiers.contains(KeyModifiers::ALT)
                    && let KeyCode::Char(_) = key.code
                {
                    self.key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
                    self.key(KeyEvent::new(key.code, key.modifiers - KeyModifiers::ALT));
                    return;
                }
                self.key(key);
            }
            Msg::Mouse(m) if !self.gone => self.mouse(m),
            Msg::Mouse(_) => {}
            Msg::Tick => self.tick(),
            Msg::Resize => {}
        }
        // A stage change held back while the judge was typing: now, if they have left the field.
        self.follow_pending_stage();
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

    fn judge_error_text(&self, e: &JudgeError) -> String {
        match e {
            JudgeError::Refused(r) => (self.t.refusal)(r),
            JudgeError::Store(e) => (self.t.failed)(&e.to_string()),
        }
    }

    // ---- keys ----

    fn key(&mut self, key: KeyEvent) {
        let c = ctrl(&key);
        if c && matches!(key.code, KeyCode::Char('c' | 'q')) {
            self.leave_field_for_exit();
            // A value held back by another writer is not dropped on the first press.
            if self.waiting.is_some() && !self.quit_asked && !self.gone {
                self.quit_asked = true;
                self.error(self.t.quit_while_waiting);
                return;
            }
            self.quit = true;
            return;
        }
        self.quit_asked = false;
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
        match JudgeSession::login(self.store, &judge, &pin) {
            Ok(session) => {
                self.login.failures = 0;
                self.login.error = None;
                if let Err(e) = self.start(session) {
                    self.login.error = Some((self.t.failed)(&e.to_string()));
                }
            }
            Err(JudgeError::Refused(Refusal::WrongPin)) => {
                self.login.failures += 1;
                if self.login.failures >= MAX_PIN_TRIES {
                    self.login.failures = 0;
                    self.login.locked_until = Some(now + Duration::from_secs(PIN_PAUSE_SECS));
                    self.login.error = None;
                } else {
                    self.login.error = Some((self.t.login_wrong_pin)(MAX_PIN_TRIES - self.login.failures));
                }
            }
            Err(e) => self.login.error = Some(self.judge_error_text(&e)),
        }
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
            KeyCode::Char('t') if c => return self.toggle_pane(),
            KeyCode::F(4) => return self.start_comment(),
            KeyCode::Char('e') if c => return self.start_comment(),
            KeyCode::F(10) => return self.ask_submit(),
            KeyCode::Char('s') if c => return self.ask_submit(),
            KeyCode::Char('n') if c => return self.open_next_unscored(),
            KeyCode::Char('q') if !c => {
                self.leave_field_for_exit();
                self.quit = true;
                return;
            }
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
        if !self.commit_field() {
            return;
        }
        let current = self
            .open
            .as_ref()
            .and_then(|o| self.rows.iter().position(|r| r.entry.id == o.entry.id));
        match self.next_unscored_after(current) {
            Some(r) if Some(r) != current => {
                self.select_row(r);
                self.open_row(r);
            }
            _ => self.info(self.t.all_scored),
        }
    }

    /// Load the judge's rows and rebuild the tabs, keeping the selected entry selected.
    pub fn reload_rows(&mut self) -> Result<(), JudgeError> {
        let Some(session) = &self.session else { return Ok(()) };
        let keep = self.selected_row().map(|r| self.rows[r].entry.id.clone());
        let head = session.audit_head()?;
        let rows = session.entries()?;
        let rubric = session.rubric()?;
        let entries_changed =
            rows.len() != self.rows.len() || rows.iter().zip(&self.rows).any(|(a, b)| a.entry != b.entry);
        self.audit_seen = head;
        self.progress = progress_of(&rows);
        self.id_width = rows
            .iter()
            .map(|r| crate::core::text::width(&r.entry.id))
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
            match r
                .entry
                .group
                .as_deref()
                .and_then(|g| rubric.groups.iter().position(|x| x == g))
            {
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
        match keep.and_then(|id| self.rows.iter().position(|r| r.entry.id == id)) {
            Some(r) => self.select_row(r),
            None => self.list.selected = 0,
        }
        if entries_changed {
            self.search.engine = None;
            if self.screen == Screen::Search {
                self.run_search();
            }
        }
        Ok(())
    }

    // ---- search ----

    fn enter_search(&mut self) {
        self.screen = Screen::Search;
        self.run_search();
    }

    fn run_search(&mut self) {
        if self.search.engine.is_none() {
            let docs = self.rows.iter().map(|r| entry_doc(&r.entry)).collect();
            self.search.engine = Some(IncrementalSearch::new(SearchIndex::new(docs)));
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
        let Some(r) = self.rows.get(row) else { return };
        if let Some(reason) = &r.conflict {
            self.error((self.t.conflict_reason)(reason));
            return;
        }
        let id = r.entry.id.clone();
        let Some(session) = &self.session else { return };
        let opened = (|| {
            let entry = session.open(&id)?;
            let rubric = session.rubric()?;
            let sheets = rubric
                .rounds
                .iter()
                .map(|round| session.sheet(&id, &round.id))
                .collect::<Result<Vec<_>, _>>()?;
            let comment = session.comment(&id)?;
            Ok::<_, JudgeError>((entry, sheets, comment))
        })();
        match opened {
            Ok((entry, sheets, comment)) => {
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
                    target: None,
                });
                self.load_field();
                self.select_row(row);
                self.screen = Screen::Entry;
                self.message = None;
                if self
                    .open
                    .as_ref()
                    .and_then(|o| o.sheets.get(round))
                    .is_some_and(|s| s.status == SheetProgress::Draft)
                {
                    self.tell_reopened(round);
                }
            }
            Err(e) => self.error(self.judge_error_text(&e)),
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

    /// The criteria of the open entry's current round: (round id, round name, criteria).
    fn current_round(&self) -> Option<&'a crate::core::rubric::Round> {
        let open = self.open.as_ref()?;
        let rubric = self.session.as_ref()?.rubric().ok()?;
        rubric.rounds.get(open.round)
    }

    /// Put the stored value of the focused criterion into the field.
    fn load_field(&mut self) {
        let Some(round) = self.current_round() else { return };
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
        let Some(round) = self.current_round() else { return };
        let Some(rubric) = self.session.as_ref().and_then(|s| s.rubric().ok()) else {
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
        // The cell this value is for, fixed when editing starts (see `commit_field`).
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
        o.error = check_value(rubric, criterion, &o.input).err().map(|r| (t.refusal)(&r));
    }

    /// Store the field if it changed, on the cell it was typed for ([`OpenEntry::target`]), not
    /// whatever is on screen now. An emptied field clears the criterion (nothing is written when
    /// it held nothing). `false` when it could not be stored (the reason is shown).
    fn commit_field(&mut self) -> bool {
        let Some(o) = self.open.as_ref() else { return true };
        if !o.dirty {
            return true;
        }
        let target = match &o.target {
            Some(t) => t.clone(),
            None => {
                let Some(round) = self.current_round() else { return true };
                let Some(criterion) = round.criteria.get(o.criterion) else {
                    return true;
                };
                FieldTarget {
                    entry: o.entry.id.clone(),
                    round: round.id.clone(),
                    criterion: criterion.id.clone(),
                }
            }
        };
        let Some(session) = self.session.as_ref() else {
            return false;
        };
        let Ok(rubric) = session.rubric() else { return false };
        let Some((ri, round)) = rubric.rounds.iter().enumerate().find(|(_, r)| r.id == target.round) else {
            return true;
        };
        let Some(criterion) = round.criteria.iter().find(|c| c.id == target.criterion) else {
            return true;
        };
        let result = if o.input.is_empty() {
            session
                .clear_score(&target.entry, &round.id, &criterion.id)
                .map(|cleared| (None, cleared))
        } else {
            session
                .set_score(&target.entry, &round.id, &criterion.id, &o.input)
                .map(|value| (value, true))
        };
        match result {
            Ok((value, changed)) => {
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
                    o.input = value.map(|v| v.to_string()).unwrap_or_default();
                    o.dirty = false;
                    o.fresh = true;
                    o.error = None;
                    o.target = None;
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
                true
            }
            Err(e) if self.held_back(&e, Waiting::Field) => false,
            Err(e) => {
                let text = self.judge_error_text(&e);
                if let Some(o) = self.open.as_mut() {
                    o.error = Some(text.clone());
                }
                self.error(text);
                false
            }
        }
    }

    /// Leaving the screen: store a valid field, forget an invalid one.
    fn leave_field_quietly(&mut self) {
        if self.screen == Screen::Entry {
            let _ = self.commit_field();
        }
    }

    /// Quitting (q, Ctrl-C): store a valid field, forget an invalid one, and keep what happened
    /// to say on the terminal once the screen is gone ([`App::exit_note`]).
    fn leave_field_for_exit(&mut self) {
        if self.screen != Screen::Entry || !self.open.as_ref().is_some_and(|o| o.dirty) {
            return;
        }
        self.message = None;
        let saved = self.commit_field();
        let said = self.message.as_ref().map(|m| m.text.clone());
        self.exit_note = match (saved, said) {
            (true, said) => said,
            (false, Some(reason)) => Some((self.t.not_saved)(&reason)),
            (false, None) => None,
        };
    }

    /// The organiser reopened round `ri` of the open entry: say why (from the audit trail,
    /// through the session) and, unless a value is being typed, show that round with the cursor
    /// on its first empty criterion (the first when none is empty).
    fn tell_reopened(&mut self, ri: usize) {
        let Some(session) = self.session.as_ref() else { return };
        let Ok(rubric) = session.rubric() else { return };
        let Some(round) = rubric.rounds.get(ri) else { return };
        let Some(o) = self.open.as_ref() else { return };
        let Ok(Some(reason)) = session.reopen_reason(&o.entry.id, &round.id) else {
            return;
        };
        let text = (self.t.reopened)(&round.name, &reason);
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
        if let Some(row) = self.rows.iter_mut().find(|r| r.entry.id == entry)
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
        if !self.commit_field() {
            return;
        }
        let Some(n) = self.current_round().map(|r| r.criteria.len()) else {
            return;
        };
        if let Some(o) = self.open.as_mut() {
            o.criterion = (o.criterion as isize + by).rem_euclid(n.max(1) as isize) as usize;
        }
        self.load_field();
    }

    fn focus_criterion(&mut self, index: usize) {
        if !self.commit_field() {
            return;
        }
        if let Some(o) = self.open.as_mut() {
            o.criterion = index;
            o.focus = Pane::Sheet;
        }
        self.load_field();
    }

    fn switch_round(&mut self, by: isize) {
        if !self.commit_field() {
            return;
        }
        let n = self
            .session
            .as_ref()
            .and_then(|s| s.rubric().ok())
            .map_or(1, |r| r.rounds.len());
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
        let Some(c) = self.current_round().and_then(|r| r.criteria.get(criterion)) else {
            return;
        };
        let kept = self.open.as_ref().map(|o| o.input.clone()).unwrap_or_default();
        let text = (self.t.edit_undone)(&c.name, (!kept.is_empty()).then_some(kept.as_str()));
        self.info(text);
    }

    fn ask_submit(&mut self) {
        if !self.commit_field() {
            return;
        }
        let Some(round) = self.current_round() else { return };
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

    fn submit_now(&mut self) {
        let Some(round) = self.current_round() else { return };
        let Some(o) = self.open.as_ref() else { return };
        let Some(session) = self.session.as_ref() else { return };
        let entry_id = o.entry.id.clone();
        let ri = o.round;
        match session.submit(&entry_id, &round.id) {
            Ok(()) => {
                if let Some(o) = self.open.as_mut()
                    && let Some(sheet) = o.sheets.get_mut(ri)
                {
                    sheet.status = SheetProgress::Submitted;
                }
                self.mark_row(&entry_id, ri, SheetProgress::Submitted);
                if self.waiting == Some(Waiting::Submit) {
                    self.waiting = None;
                }
                self.info((self.t.submitted_done)(&round.name));
            }
            Err(e) if self.held_back(&e, Waiting::Submit) => {}
            Err(e) => self.error(self.judge_error_text(&e)),
        }
    }

    /// Another writer holds the lock (keep what is waiting, say so, retry on the tick) or the
    /// workspace is gone (accept nothing more). `false` for any other error.
    fn held_back(&mut self, e: &JudgeError, what: Waiting) -> bool {
        match e.refusal() {
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
        if !self.commit_field() {
            return;
        }
        let Some(o) = &self.open else { return };
        let Some(session) = self.session.as_ref() else { return };
        // The library decides: read-only once every round of the entry is submitted.
        match session.comment_editable(&o.entry.id) {
            Ok(editable) => self.overlay = Some(Overlay::Comment(CommentBox::new(&o.comment, !editable))),
            Err(e) => self.error(self.judge_error_text(&e)),
        }
    }

    fn save_comment(&mut self, text: &str) {
        let Some(o) = self.open.as_ref() else { return };
        let Some(session) = self.session.as_ref() else { return };
        let id = o.entry.id.clone();
        match session.set_comment(&id, text) {
            Ok(()) => {
                if let Some(o) = self.open.as_mut() {
                    o.comment = text.trim().to_string();
                }
                self.info(self.t.comment_saved);
            }
            Err(e) => self.error(self.judge_error_text(&e)),
        }
    }

    /// The live total of the current round: stored values, with the field's valid text in place
    /// of the focused criterion's stored value.
    pub fn live_total(&self) -> Option<Points> {
        let round = self.current_round()?;
        let o = self.open.as_ref()?;
        let rubric = self.session.as_ref()?.rubric().ok()?;
        let sheet = o.sheets.get(o.round)?;
        let mut total = Points::ZERO;
        for (i, c) in round.criteria.iter().enumerate() {
            let v = if i == o.criterion && o.dirty {
                check_value(rubric, c, &o.input).ok().flatten()
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
        if self.session.as_ref().is_some_and(|s| s.workspace_gone()) {
            self.gone = true;
            self.waiting = None;
            self.error((self.t.refusal)(&Refusal::WorkspaceGone));
            return;
        }
        if let Some(what) = self.waiting.filter(|_| self.screen == Screen::Entry) {
            // A short look at the lock on each tick, so keys are still read while waiting.
            if let Some(s) = &self.session {
                s.set_write_wait(RETRY_WAIT);
            }
            match what {
                Waiting::Field => {
                    self.commit_field();
                }
                Waiting::Submit => self.submit_now(),
            }
            if let Some(s) = &self.session {
                s.set_write_wait(WRITE_WAIT);
            }
        }
        let Some(session) = &self.session else { return };
        let Ok(version) = session.data_version() else { return };
        if self.data_version == Some(version) {
            return;
        }
        self.data_version = Some(version);
        match session.list_changes_since(self.audit_seen) {
            // Only other judges scored: nothing on this screen changed.
            Ok((head, false)) => {
                self.audit_seen = head;
                return;
            }
            Ok((_, true)) => {}
            Err(e) => {
                self.error(self.judge_error_text(&e));
                return;
            }
        }
        let (seen, submitted) = (self.audit_seen, self.progress.0);
        if let Err(e) = self.reload_rows() {
            self.error(self.judge_error_text(&e));
            return;
        }
        if self.open.is_none() && self.progress.0 < submitted {
            self.tell_reopened_on_list(seen);
        }
        self.reload_open();
        self.check_stage();
    }

    /// On the list, fewer sheets are submitted than before: the organiser reopened some. Say
    /// which and why (instead of a stale "submitted" line).
    fn tell_reopened_on_list(&mut self, seen: i64) {
        let Some(session) = self.session.as_ref() else { return };
        let Ok(rubric) = session.rubric() else { return };
        let Ok(reopened) = session.reopened_since(seen) else {
            return;
        };
        if let Some((entry, round, reason)) = reopened.last() {
            let name = rubric
                .rounds
                .iter()
                .find(|r| &r.id == round)
                .map_or(round.as_str(), |r| r.name.as_str());
            let text = (self.t.reopened)(&format!("{entry} {name}"), reason);
            self.info(text);
        }
    }

    /// Another process changed the workspace: re-read the open entry's sheets and comment,
    /// keeping what the judge is typing.
    fn reload_open(&mut self) {
        let Some(session) = &self.session else { return };
        let Some(o) = self.open.as_ref() else { return };
        let id = o.entry.id.clone();
        if self.rows.iter().any(|r| r.entry.id == id && r.conflict.is_some()) {
            // Declared a conflict meanwhile: the entry can no longer be scored.
            let reason = self
                .rows
                .iter()
                .find(|r| r.entry.id == id)
                .and_then(|r| r.conflict.clone())
                .unwrap_or_default();
            self.close_entry();
            self.error((self.t.conflict_reason)(&reason));
            return;
        }
        let Ok(rubric) = session.rubric() else { return };
        let sheets: Result<Vec<_>, _> = rubric.rounds.iter().map(|r| session.sheet(&id, &r.id)).collect();
        let comment = session.comment(&id);
        let Some(o) = self.open.as_mut() else { return };
        let mut reopened = Vec::new();
        if let Ok(sheets) = sheets {
            reopened = (0..sheets.len())
                .filter(|&i| {
                    o.sheets.get(i).is_some_and(|s| s.status == SheetProgress::Submitted)
                        && sheets[i].status != SheetProgress::Submitted
                })
                .collect();
            o.sheets = sheets;
        }
        if let Ok(c) = comment {
            o.comment = c;
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
