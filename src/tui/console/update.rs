//! Messages in, state changed: every key, click and tick goes through [`Console::update`]. Every
//! change to the workspace goes through the library's organiser operations ([`crate::app::organiser`],
//! [`crate::app::stage`], the exports), which check, write in one transaction and leave an audit row;
//! the console then re-reads the workspace (its own commits do not move `data_version`).

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use crate::app::export::{
    ResultsFormat, SheetsFormat, current_fingerprint, default_file_name, export_results, export_sheets,
};
use crate::app::organiser;
use crate::core::Kind;
use crate::core::shortlist::{Status, Targets};
use crate::error::{Error, Result};
use crate::store::{Actor, SheetStatus, Store};
use crate::tui::Msg;
use crate::tui::state::PIN_PAUSE_SECS;
use crate::tui::theme::Theme;

use super::data::{self, Cell, RoomData, lock_targets};
use super::state::*;

/// Rows a page key moves when nothing has been drawn yet.
const DEFAULT_PAGE: usize = 10;

fn ctrl(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
}

/// `key` is the letter `c` (as typed, or with Ctrl, since letters do not reach the program while a
/// Chinese input method is on but Ctrl-letters do).
fn letter(key: &KeyEvent, c: char) -> bool {
    matches!(key.code, KeyCode::Char(k) if k == c || (ctrl(key) && k.eq_ignore_ascii_case(&c)))
}

fn inside(area: Rect, x: u16, y: u16) -> bool {
    area.contains(Position { x, y })
}

/// Next or previous index in `0..len`, wrapping.
fn cycle(i: usize, len: usize, back: bool) -> usize {
    if len == 0 {
        0
    } else if back {
        (i + len - 1) % len
    } else {
        (i + 1) % len
    }
}

impl<'a> Console<'a> {
    /// The console on `store`; the passphrase is asked first unless `options.trusted` (tests).
    pub fn new(store: &'a Store, options: ConsoleOptions) -> Result<Console<'a>> {
        let rubric = store.rubric()?;
        let mut console = Console {
            store,
            t: super::i18n::texts(options.lang),
            lang: options.lang,
            theme: Theme::new(options.no_color),
            contest: rubric.name.clone(),
            kind: rubric.kind,
            logged_in: false,
            login: Login::default(),
            tab: Tab::Progress,
            overlay: None,
            message: None,
            data: None,
            group: 0,
            round: 0,
            selected: [0; 7],
            offset: [0; 7],
            column: 0,
            column_offset: 0,
            matrix: Default::default(),
            short_rows: Vec::new(),
            stage: None,
            stage_order: Vec::new(),
            submissions: Vec::new(),
            reveal_armed: false,
            exports: Vec::new(),
            data_version: None,
            help_scroll: 0,
            quit: false,
            areas: Areas::default(),
        };
        if options.trusted {
            console.start()?;
        }
        Ok(console)
    }

    fn start(&mut self) -> Result<()> {
        self.logged_in = true;
        self.login = Login::default();
        self.data_version = Some(self.store.data_version()?);
        self.reload_now()
    }

    /// The screens this contest has: the shortlist for cases, the stage for competitions.
    pub fn tabs(&self) -> Vec<Tab> {
        Tab::ALL
            .into_iter()
            .filter(|t| match t {
                Tab::Shortlist => self.kind == Kind::Cases,
                Tab::Stage => self.kind == Kind::Competition,
                _ => true,
            })
            .collect()
    }

    pub fn group_name(&self) -> Option<&str> {
        self.data.as_ref()?.rubric.groups.get(self.group).map(String::as_str)
    }

    pub fn round_id(&self) -> Option<&str> {
        self.data.as_ref()?.rubric.rounds.get(self.round).map(|r| r.id.as_str())
    }

    pub fn update(&mut self, msg: Msg) {
        match msg {
            Msg::Key(key) => {
                // Windows reports releases too; only presses act.
                if key.kind != KeyEventKind::Press {
                    return;
                }
                self.key(key);
            }
            Msg::Mouse(m) => self.mouse(m),
            Msg::Tick => self.tick(),
            Msg::Resize => {}
        }
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Info,
            text: text.into(),
        });
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Error,
            text: text.into(),
        });
    }

    fn failed(&mut self, e: &Error) {
        let text = (self.t.failed)(e.to_string().trim_end());
        self.error(text);
    }

    // ---- reading the workspace ----

    /// Re-read everything, keeping the selections (clamped).
    pub fn reload_now(&mut self) -> Result<()> {
        let data = RoomData::load_after(self.store, self.tab == Tab::Room, self.data.as_ref())?;
        self.group = self.group.min(data.rubric.groups.len().saturating_sub(1));
        self.round = self.round.min(data.rubric.rounds.len().saturating_sub(1));
        self.data = Some(data);
        if self.kind == Kind::Competition {
            self.stage = crate::app::stage::current(self.store)?;
            self.submissions = crate::app::stage::submissions(self.store)?;
            let order = match self.group_name() {
                Some(g) => crate::app::stage::running_order(self.store, g)?,
                None => Vec::new(),
            };
            self.stage_order = order;
        }
        self.refresh_views();
        Ok(())
    }

    fn reload(&mut self) {
        if let Err(e) = self.reload_now() {
            self.failed(&e);
        }
    }

    /// Recompute what depends on the chosen group and round, and clamp the selections.
    fn refresh_views(&mut self) {
        let Some(data) = &self.data else { return };
        let group = data.rubric.groups.get(self.group).cloned().unwrap_or_default();
        let round = data
            .rubric
            .rounds
            .get(self.round)
            .map(|r| r.id.clone())
            .unwrap_or_default();
        self.matrix = data::matrix(data, &group, &round);
        self.short_rows = data::shortlist_rows(data);
        for tab in Tab::ALL {
            let i = tab.index();
            let len = self.row_count(tab);
            self.selected[i] = self.selected[i].min(len.saturating_sub(1));
            self.offset[i] = self.offset[i].min(self.selected[i]);
        }
        self.column = self.column.min(self.matrix.judges.len().saturating_sub(1));
    }

    /// How many selectable rows a tab has (the statistics screen scrolls instead).
    pub fn row_count(&self, tab: Tab) -> usize {
        let Some(data) = &self.data else { return 0 };
        match tab {
            Tab::Progress => self.matrix.rows.len(),
            Tab::Tally => data
                .tally
                .groups
                .iter()
                .find(|g| Some(g.group.as_str()) == self.group_name())
                .map_or(0, |g| g.entries.len()),
            Tab::Room => lock_targets(&data.rubric).len(),
            Tab::Shortlist => self.short_rows.len(),
            Tab::Stats => 0,
            Tab::Export => ExportKind::ALL.len(),
            Tab::Stage => self.stage_order.len(),
        }
    }

    fn tick(&mut self) {
        if !self.logged_in {
            return;
        }
        let Ok(version) = self.store.data_version() else { return };
        if self.data_version == Some(version) {
            return;
        }
        self.data_version = Some(version);
        self.reload();
    }

    // ---- keys ----

    fn key(&mut self, key: KeyEvent) {
        if ctrl(&key) && matches!(key.code, KeyCode::Char('c' | 'q')) {
            self.quit = true;
            return;
        }
        if !self.logged_in {
            self.login_key(key);
            return;
        }
        if let Some(overlay) = self.overlay.clone() {
            self.overlay_key(overlay, key);
            return;
        }
        // A provisional reveal is confirmed by the very next key only.
        let reveal_armed = std::mem::take(&mut self.reveal_armed);
        if self.global_key(&key) {
            return;
        }
        match self.tab {
            Tab::Progress => self.progress_key(&key),
            Tab::Tally => self.list_key(&key),
            Tab::Room => self.room_key(&key),
            Tab::Shortlist => self.shortlist_key(&key),
            Tab::Stats => self.stats_key(&key),
            Tab::Export => self.export_key(&key),
            Tab::Stage => self.stage_key(&key, reveal_armed),
        }
    }

    fn login_key(&mut self, key: KeyEvent) {
        let now = Instant::now();
        match key.code {
            KeyCode::Esc => self.quit = true,
            KeyCode::Backspace => {
                self.login.pass.pop();
            }
            KeyCode::Enter => self.try_login(now),
            KeyCode::Char(c) if !ctrl(&key) && self.login.locked_secs(now).is_none() => self.login.pass.push(c),
            _ => {}
        }
    }

    fn try_login(&mut self, now: Instant) {
        if self.login.locked_secs(now).is_some() {
            return;
        }
        let pass = std::mem::take(&mut self.login.pass);
        // The library counts the tries in the workspace and keeps the pause (organiser::check_organiser_at).
        match organiser::check_organiser_at(self.store, &pass, crate::store::now_millis()) {
            Ok(organiser::PassCheck::Right) => {
                if let Err(e) = self.start() {
                    self.login.error = Some((self.t.failed)(&e.to_string()));
                    self.logged_in = false;
                }
            }
            Ok(organiser::PassCheck::Wrong { tries_left: 0 }) => {
                self.login.locked_until = Some(now + Duration::from_secs(PIN_PAUSE_SECS));
                self.login.error = None;
            }
            Ok(organiser::PassCheck::Wrong { tries_left }) => {
                self.login.error = Some((self.t.wrong_pass)(tries_left));
            }
            Ok(organiser::PassCheck::Paused { secs }) => {
                self.login.locked_until = Some(now + Duration::from_secs(secs));
                self.login.error = None;
            }
            Err(e) => self.login.error = Some((self.t.failed)(&e.to_string())),
        }
    }

    /// Keys that work on every screen. `true` when the key was used.
    fn global_key(&mut self, key: &KeyEvent) -> bool {
        let tabs = self.tabs();
        match key.code {
            KeyCode::Char('q') if !ctrl(key) => self.quit = true,
            KeyCode::F(1) | KeyCode::Char('?') => {
                self.overlay = Some(Overlay::Help);
                self.help_scroll = 0;
            }
            KeyCode::F(n) if (2..2 + tabs.len() as u8).contains(&n) => self.go_to(tabs[usize::from(n - 2)]),
            KeyCode::Char(c @ '1'..='9') if !ctrl(key) => {
                let i = c as usize - '1' as usize;
                match tabs.get(i) {
                    Some(t) => self.go_to(*t),
                    None => return false,
                }
            }
            KeyCode::Tab | KeyCode::BackTab => {
                let i = tabs.iter().position(|t| *t == self.tab).unwrap_or(0);
                let back = key.code == KeyCode::BackTab || key.modifiers.contains(KeyModifiers::SHIFT);
                self.go_to(tabs[cycle(i, tabs.len(), back)]);
            }
            KeyCode::Char('G') => self.next_group(true),
            KeyCode::Char('R') => self.next_round(true),
            _ if letter(key, 'g') => self.next_group(false),
            _ if letter(key, 'r') => self.next_round(false),
            _ => return false,
        }
        true
    }

    pub fn go_to(&mut self, tab: Tab) {
        if self.tab == tab {
            return;
        }
        self.tab = tab;
        // The audit trail and the stage are read for their screens only.
        if matches!(tab, Tab::Room | Tab::Stage) {
            self.reload();
        }
    }

    fn next_group(&mut self, back: bool) {
        let Some(data) = &self.data else { return };
        self.group = cycle(self.group, data.rubric.groups.len(), back);
        for tab in [Tab::Progress, Tab::Tally, Tab::Stage] {
            self.selected[tab.index()] = 0;
            self.offset[tab.index()] = 0;
        }
        self.column = 0;
        self.column_offset = 0;
        if self.kind == Kind::Competition {
            // The running order is per group.
            self.reload();
        } else {
            self.refresh_views();
        }
    }

    fn next_round(&mut self, back: bool) {
        let Some(data) = &self.data else { return };
        self.round = cycle(self.round, data.rubric.rounds.len(), back);
        self.refresh_views();
    }

    /// Up, Down, Page keys, Home and End on the current tab's rows. `true` when used.
    fn move_key(&mut self, key: &KeyEvent) -> bool {
        let i = self.tab.index();
        let len = self.row_count(self.tab);
        let page = if self.areas.page == 0 {
            DEFAULT_PAGE
        } else {
            self.areas.page
        };
        let last = len.saturating_sub(1);
        let sel = &mut self.selected[i];
        match key.code {
            KeyCode::Up => *sel = sel.saturating_sub(1),
            KeyCode::Down => *sel = (*sel + 1).min(last),
            KeyCode::PageUp => *sel = sel.saturating_sub(page),
            KeyCode::PageDown => *sel = (*sel + page).min(last),
            KeyCode::Home => *sel = 0,
            KeyCode::End => *sel = last,
            _ => return false,
        }
        true
    }

    fn list_key(&mut self, key: &KeyEvent) {
        self.move_key(key);
    }

    // ---- progress: reopen and assignment ----

    fn progress_key(&mut self, key: &KeyEvent) {
        if self.move_key(key) {
            return;
        }
        let columns = self.matrix.judges.len();
        match key.code {
            KeyCode::Left => self.column = self.column.saturating_sub(1),
            KeyCode::Right => self.column = (self.column + 1).min(columns.saturating_sub(1)),
            KeyCode::Enter => self.ask_reopen(),
            _ if letter(key, 'o') => self.ask_reopen(),
            _ if letter(key, 'a') => self.toggle_assignment(),
            _ => {}
        }
    }

    /// The judge and entry under the progress cursor, and the cell.
    pub fn progress_cursor(&self) -> Option<(String, String, Cell)> {
        let row = self.matrix.rows.get(self.selected[Tab::Progress.index()])?;
        let judge = self.matrix.judges.get(self.column)?;
        Some((judge.clone(), row.entry.clone(), *row.cells.get(self.column)?))
    }

    fn ask_reopen(&mut self) {
        let Some((judge, entry, cell)) = self.progress_cursor() else {
            return;
        };
        let Some(round) = self.round_id().map(str::to_string) else {
            return;
        };
        if cell != Cell::Submitted {
            self.error((self.t.nothing_to_reopen)(&judge, &entry));
            return;
        }
        self.overlay = Some(Overlay::Prompt(Prompt {
            ask: Ask::Reopen { judge, entry, round },
            input: String::new(),
            initial: String::new(),
            error: None,
        }));
    }

    /// Give or take one judge's assignment on one entry. An entry that was open to its group's
    /// panel (or to everyone) first gets that list written out, so taking one judge off does not
    /// hand the entry to that judge alone (an entry with assignments is scored by them only).
    fn toggle_assignment(&mut self) {
        let Some((judge, entry_id, cell)) = self.progress_cursor() else {
            return;
        };
        let Some(data) = &self.data else { return };
        let Some(entry) = data.entry(&entry_id).cloned() else {
            return;
        };
        if cell == Cell::Conflict {
            self.error((self.t.assign_conflict)(&judge, &entry_id));
            return;
        }
        let submitted = data.rubric.rounds.iter().any(|r| {
            data.statuses.get(&(entry_id.clone(), r.id.clone(), judge.clone())) == Some(&SheetStatus::Submitted)
        });
        let explicit = data.eligibility.per_entry.get(&entry_id).cloned();
        let mut now: std::collections::HashSet<String> =
            explicit.clone().unwrap_or_else(|| data::allowed_judges(data, &entry));
        let assign = !now.contains(&judge);
        if !assign && submitted {
            self.error((self.t.unassign_submitted)(&judge, &entry_id));
            return;
        }
        if !assign && now.len() <= 1 {
            self.error((self.t.unassign_last)(&entry_id));
            return;
        }
        let before = now.clone();
        if assign {
            now.insert(judge.clone());
        } else {
            now.remove(&judge);
        }
        let result = self.store.write(|s| {
            for j in before.difference(&now).chain(now.difference(&before)) {
                s.set_assignment(j, &entry_id, now.contains(j))?;
            }
            if explicit.is_none() {
                // Make the entry's list explicit (everyone who could score it stays).
                for j in &now {
                    s.set_assignment(j, &entry_id, true)?;
                }
            }
            s.audit(
                &Actor::Organiser,
                &crate::store::AuditEvent::AssignEntry {
                    entry: entry_id.clone(),
                    judge: judge.clone(),
                    assigned: assign,
                },
            )
        });
        match result {
            Ok(()) => {
                let text = if assign {
                    (self.t.assigned)(&judge, &entry_id)
                } else {
                    (self.t.unassigned)(&judge, &entry_id)
                };
                self.reload();
                self.info(text);
            }
            Err(e) => self.failed(&e),
        }
    }

    // ---- locks ----

    fn room_key(&mut self, key: &KeyEvent) {
        if self.move_key(key) {
            return;
        }
        let Some(data) = &self.data else { return };
        let Some(target) = lock_targets(&data.rubric)
            .get(self.selected[Tab::Room.index()])
            .cloned()
        else {
            return;
        };
        let locked = data::exact_lock(&data.locks, &target).is_some();
        let (group, round) = (target.group, target.round);
        let ask = match key.code {
            KeyCode::Enter if locked => Ask::Unlock { group, round },
            KeyCode::Enter => Ask::Lock { group, round },
            _ if letter(key, 'l') => Ask::Lock { group, round },
            _ if letter(key, 'u') => {
                if !locked {
                    self.error(self.t.not_locked);
                    return;
                }
                Ask::Unlock { group, round }
            }
            _ => return,
        };
        self.overlay = Some(Overlay::Prompt(Prompt {
            ask,
            input: String::new(),
            initial: String::new(),
            error: None,
        }));
    }

    // ---- shortlist ----

    fn shortlist_key(&mut self, key: &KeyEvent) {
        if self.move_key(key) {
            return;
        }
        let row = self.short_rows.get(self.selected[Tab::Shortlist.index()]).cloned();
        match key.code {
            KeyCode::Enter | KeyCode::Char(' ') => {
                if let Some(row) = row {
                    let i = Status::ALL.iter().position(|s| *s == row.status).unwrap_or(0);
                    self.set_status(&row.entry, Status::ALL[cycle(i, Status::ALL.len(), false)], None);
                }
            }
            KeyCode::Backspace => {
                if let Some(row) = row {
                    let i = Status::ALL.iter().position(|s| *s == row.status).unwrap_or(0);
                    self.set_status(&row.entry, Status::ALL[cycle(i, Status::ALL.len(), true)], None);
                }
            }
            _ if letter(key, 'b') => {
                if let Some(row) = row {
                    self.overlay = Some(Overlay::Prompt(Prompt {
                        ask: Ask::Batch { entry: row.entry },
                        input: row.batch.map(|b| b.to_string()).unwrap_or_default(),
                        initial: String::new(),
                        error: None,
                    }));
                }
            }
            _ if letter(key, 'p') => self.open_propose(),
            _ => {}
        }
    }

    fn set_status(&mut self, entry: &str, status: Status, batch: Option<i64>) {
        match organiser::shortlist_set(self.store, &Actor::Organiser, &[entry.to_string()], status, batch) {
            Ok(()) => {
                self.reload();
                self.info((self.t.status_set)(entry, (self.t.shortlist_status)(status)));
            }
            Err(e) => self.failed(&e),
        }
    }

    fn open_propose(&mut self) {
        let targets = self.data.as_ref().and_then(|d| d.targets.clone());
        let mut fields: [String; PROPOSE_FIELDS] = Default::default();
        if let Some(t) = targets {
            fields[FIELD_TOTAL] = t.total.to_string();
            fields[FIELD_MIN_GROUP] = t.min_per_group.to_string();
            fields[FIELD_MAX_COUNTY] = t.max_per_county.map(|m| m.to_string()).unwrap_or_default();
        }
        let batch = self
            .short_rows
            .iter()
            .filter_map(|r| r.batch)
            .max()
            .map_or(1, |b| b + 1);
        fields[FIELD_BATCH] = batch.to_string();
        self.overlay = Some(Overlay::Propose(ProposeForm {
            fields,
            focus: FIELD_TOTAL,
            status: Status::Shortlisted,
            error: None,
            include_flagged: false,
        }));
    }

    fn propose_key(&mut self, mut form: ProposeForm, key: KeyEvent) {
        form.error = None;
        match key.code {
            KeyCode::Esc => {
                self.overlay = None;
                return;
            }
            KeyCode::Tab | KeyCode::Down => form.focus = (form.focus + 1) % PROPOSE_FIELDS,
            KeyCode::BackTab | KeyCode::Up => form.focus = cycle(form.focus, PROPOSE_FIELDS, true),
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if form.focus == FIELD_STATUS => {
                form.status = if form.status == Status::Shortlisted {
                    Status::Selected
                } else {
                    Status::Shortlisted
                };
            }
            KeyCode::Left | KeyCode::Right | KeyCode::Char(' ') if form.focus == FIELD_FLAGGED => {
                form.include_flagged = !form.include_flagged;
            }
            KeyCode::Backspace if form.focus != FIELD_STATUS && form.focus != FIELD_FLAGGED => {
                form.fields[form.focus].pop();
            }
            KeyCode::Char(c) if !ctrl(&key) && form.focus != FIELD_STATUS && form.focus != FIELD_FLAGGED => {
                // Digits only; full-width digits from an input method count too.
                let digit = match c {
                    '0'..='9' => Some(c),
                    '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
                    _ => None,
                };
                match digit {
                    Some(d) => form.fields[form.focus].push(d),
                    None => form.error = Some(self.t.digits_only.to_string()),
                }
            }
            KeyCode::Enter if form.focus + 1 < PROPOSE_FIELDS => form.focus += 1,
            KeyCode::Enter | KeyCode::F(10) => {
                self.run_propose(form);
                return;
            }
            _ if ctrl(&key) && letter(&key, 's') => {
                self.run_propose(form);
                return;
            }
            _ => {}
        }
        self.overlay = Some(Overlay::Propose(form));
    }

    fn run_propose(&mut self, mut form: ProposeForm) {
        let number = |text: &str| -> Option<usize> { text.trim().parse().ok() };
        let Some(total) = number(&form.fields[FIELD_TOTAL]) else {
            form.error = Some(self.t.total_needed.to_string());
            form.focus = FIELD_TOTAL;
            self.overlay = Some(Overlay::Propose(form));
            return;
        };
        let targets = Targets {
            total,
            min_per_group: number(&form.fields[FIELD_MIN_GROUP]).unwrap_or(0),
            max_per_county: number(&form.fields[FIELD_MAX_COUNTY]),
        };
        let batch = form.fields[FIELD_BATCH].trim().parse::<i64>().ok();
        let saved = self.store.write(|s| data::save_targets(s, &targets));
        let proposed = saved.and_then(|()| {
            organiser::shortlist_propose(
                self.store,
                &Actor::Organiser,
                &targets,
                form.status,
                batch,
                form.include_flagged,
            )
        });
        self.overlay = None;
        match proposed {
            Ok(p) => {
                self.reload();
                let summary = (self.t.proposed)(p.picked.len(), (self.t.shortlist_status)(form.status));
                if p.unmet.is_empty() {
                    self.info(summary);
                } else {
                    self.error(summary.clone());
                    let mut lines = vec![summary, String::new(), self.t.unmet_heading.to_string()];
                    lines.extend(p.unmet.iter().map(|u| format!("- {u}")));
                    self.overlay = Some(Overlay::Report {
                        title: self.t.propose_title.to_string(),
                        lines,
                    });
                }
            }
            Err(e) => self.failed(&e),
        }
    }

    // ---- statistics ----

    fn stats_key(&mut self, key: &KeyEvent) {
        let i = Tab::Stats.index();
        let page = if self.areas.page == 0 {
            DEFAULT_PAGE
        } else {
            self.areas.page
        };
        match key.code {
            KeyCode::Up => self.offset[i] = self.offset[i].saturating_sub(1),
            KeyCode::Down => self.offset[i] += 1,
            KeyCode::PageUp => self.offset[i] = self.offset[i].saturating_sub(page),
            KeyCode::PageDown | KeyCode::Char(' ') => self.offset[i] += page,
            KeyCode::Home => self.offset[i] = 0,
            KeyCode::Left => self.column_offset = self.column_offset.saturating_sub(1),
            KeyCode::Right => self.column_offset += 1,
            _ => {}
        }
    }

    // ---- exports ----

    fn export_key(&mut self, key: &KeyEvent) {
        if self.move_key(key) {
            return;
        }
        if key.code == KeyCode::Enter || letter(key, 'e') {
            let kind = ExportKind::ALL[self.selected[Tab::Export.index()].min(ExportKind::ALL.len() - 1)];
            match self.default_export_name(kind) {
                Ok(name) => {
                    self.overlay = Some(Overlay::Prompt(Prompt {
                        ask: Ask::ExportFile(kind),
                        input: name.clone(),
                        initial: name,
                        error: None,
                    }));
                }
                Err(e) => self.failed(&e),
            }
        }
    }

    /// The file name the command line would choose (export/output.rs), in the current folder.
    pub fn default_export_name(&self, kind: ExportKind) -> Result<String> {
        let now = chrono::Local::now();
        let date = now.format("%Y-%m-%d").to_string();
        Ok(match kind {
            ExportKind::ResultsCsv => {
                let fingerprint = current_fingerprint(self.store)?;
                default_file_name("results", &self.contest, &format!("{date}-{fingerprint}"), "csv")
            }
            ExportKind::ResultsHtml => default_file_name("results", &self.contest, &date, "html"),
            ExportKind::ResultsXlsx => default_file_name("results", &self.contest, &date, "xlsx"),
            ExportKind::ResultsMd => default_file_name("results", &self.contest, &date, "md"),
            ExportKind::SheetsHtml => default_file_name("sheets", &self.contest, &date, "html"),
            ExportKind::SheetsXlsx => default_file_name("sheets", &self.contest, &date, "xlsx"),
            ExportKind::Backup => default_file_name(
                "backup",
                &self.contest,
                &now.format("%Y-%m-%d-%H%M%S").to_string(),
                "jury",
            ),
        })
    }

    /// Write the file as `jury export` does. A name left as suggested lets the library choose it
    /// again (the CSV name carries the fingerprint, which may have moved meanwhile).
    fn run_export(&mut self, kind: ExportKind, name: &str, suggested: bool) -> Result<Written> {
        let out = (!suggested).then(|| PathBuf::from(name));
        let what = (self.t.export_label)(kind).to_string();
        let written = match kind {
            ExportKind::Backup => {
                let path = PathBuf::from(name);
                self.store.backup_to(&path)?;
                let fingerprint = current_fingerprint(&Store::open(&path)?)?;
                return Ok(Written {
                    what,
                    path: absolute(&path),
                    fingerprint: fingerprint.to_string(),
                });
            }
            ExportKind::SheetsHtml | ExportKind::SheetsXlsx => {
                let format = if kind == ExportKind::SheetsHtml {
                    SheetsFormat::Html
                } else {
                    SheetsFormat::Xlsx
                };
                export_sheets(self.store, format, None, None, out.as_deref(), false)?
            }
            _ => {
                let format = match kind {
                    ExportKind::ResultsXlsx => ResultsFormat::Xlsx,
                    ExportKind::ResultsCsv => ResultsFormat::Csv,
                    ExportKind::ResultsMd => ResultsFormat::Md,
                    _ => ResultsFormat::Html,
                };
                export_results(self.store, format, None, out.as_deref(), false)?
            }
        };
        Ok(Written {
            what,
            path: absolute(&written.path),
            fingerprint: written.fingerprint.to_string(),
        })
    }

    // ---- the stage ----

    fn stage_key(&mut self, key: &KeyEvent, reveal_armed: bool) {
        if self.move_key(key) {
            return;
        }
        let actor = Actor::Organiser;
        let result = match key.code {
            KeyCode::Enter => {
                let Some(entry) = self
                    .stage_order
                    .get(self.selected[Tab::Stage.index()])
                    .map(|e| e.id.clone())
                else {
                    return;
                };
                let Some(round) = self.round_id().map(str::to_string) else {
                    return;
                };
                crate::app::stage::set(self.store, &actor, &entry, &round)
            }
            _ if letter(key, 'n') => crate::app::stage::advance(self.store, &actor, 1),
            _ if letter(key, 'p') => crate::app::stage::advance(self.store, &actor, -1),
            _ if letter(key, 'v') => {
                let revealed = self.stage.as_ref().is_some_and(|s| s.revealed);
                // The library refuses a result before every judge is in; the refusal arms a second
                // v that reveals it as provisional.
                let result = if !revealed && reveal_armed {
                    crate::app::stage::reveal_provisional(self.store, &actor)
                } else {
                    crate::app::stage::reveal(self.store, &actor, !revealed)
                };
                if let Err(Error::NotAllIn { missing, total, .. }) = &result {
                    self.reveal_armed = true;
                    let text = (self.t.not_all_in)(missing.len(), *total, missing);
                    self.error(text);
                    return;
                }
                result
            }
            _ => return,
        };
        match result {
            Ok(stage) => {
                // Follow the stage: its group and round, the contestant selected.
                if let Some(data) = &self.data {
                    self.group = data
                        .rubric
                        .groups
                        .iter()
                        .position(|g| *g == stage.group)
                        .unwrap_or(self.group);
                    self.round = data.rubric.round_index(&stage.round).unwrap_or(self.round);
                }
                self.reload();
                if let Some(i) = self.stage_order.iter().position(|e| e.id == stage.entry) {
                    self.selected[Tab::Stage.index()] = i;
                }
                let missing = self.submissions.iter().filter(|(_, done)| !done).count();
                if stage.revealed && missing > 0 {
                    self.info((self.t.revealed_provisional)(&stage.entry, missing));
                } else {
                    self.info((self.t.on_stage)(&stage.entry, stage.revealed));
                }
            }
            Err(e) => self.failed(&e),
        }
    }

    // ---- overlays ----

    fn overlay_key(&mut self, overlay: Overlay, key: KeyEvent) {
        match overlay {
            Overlay::Help => match key.code {
                KeyCode::Up => self.help_scroll = self.help_scroll.saturating_sub(1),
                KeyCode::Down => self.help_scroll += 1,
                KeyCode::PageUp => self.help_scroll = self.help_scroll.saturating_sub(DEFAULT_PAGE),
                KeyCode::PageDown | KeyCode::Char(' ') => self.help_scroll += DEFAULT_PAGE,
                _ => {
                    self.overlay = None;
                    self.help_scroll = 0;
                }
            },
            Overlay::Report { .. } => self.overlay = None,
            Overlay::Propose(form) => self.propose_key(form, key),
            Overlay::Prompt(mut prompt) => {
                prompt.error = None;
                match key.code {
                    KeyCode::Esc => {
                        self.overlay = None;
                        return;
                    }
                    KeyCode::Enter => {
                        self.overlay = None;
                        if let Some(back) = self.answer(prompt) {
                            self.overlay = Some(Overlay::Prompt(back));
                        }
                        return;
                    }
                    KeyCode::Backspace => {
                        prompt.input.pop();
                    }
                    KeyCode::Char('u') if ctrl(&key) => prompt.input.clear(),
                    KeyCode::Char(c) if !ctrl(&key) && !c.is_control() => prompt.input.push(c),
                    _ => {}
                }
                self.overlay = Some(Overlay::Prompt(prompt));
            }
        }
    }

    /// Act on a prompt's answer. Returns the prompt again (with the error) when it must be
    /// corrected rather than abandoned.
    fn answer(&mut self, mut prompt: Prompt) -> Option<Prompt> {
        let text = prompt.input.trim().to_string();
        let actor = Actor::Organiser;
        let result: Result<String> = match &prompt.ask {
            Ask::Reopen { judge, entry, round } => {
                if text.is_empty() {
                    prompt.error = Some(self.t.reason_required.to_string());
                    return Some(prompt);
                }
                organiser::reopen(self.store, &actor, judge, entry, round, &text)
                    .map(|()| (self.t.reopened)(judge, entry))
            }
            Ask::Lock { group, round } => {
                organiser::lock(self.store, &actor, group.as_deref(), round.as_deref(), &text)
                    .map(|()| (self.t.locked)(&self.lock_label(group.as_deref(), round.as_deref())))
            }
            Ask::Unlock { group, round } => {
                if text.is_empty() {
                    prompt.error = Some(self.t.reason_required.to_string());
                    return Some(prompt);
                }
                organiser::unlock(self.store, &actor, group.as_deref(), round.as_deref(), &text)
                    .map(|()| (self.t.unlocked)(&self.lock_label(group.as_deref(), round.as_deref())))
            }
            Ask::Batch { entry } => {
                let batch = if text.is_empty() {
                    None
                } else {
                    match text.parse::<i64>() {
                        Ok(b) if b > 0 => Some(b),
                        _ => {
                            prompt.error = Some(self.t.batch_number.to_string());
                            return Some(prompt);
                        }
                    }
                };
                let status = self
                    .short_rows
                    .iter()
                    .find(|r| &r.entry == entry)
                    .map_or(Status::Pending, |r| r.status);
                organiser::shortlist_set(self.store, &actor, std::slice::from_ref(entry), status, batch)
                    .map(|()| (self.t.batch_set)(entry, batch))
            }
            Ask::ExportFile(kind) => {
                if text.is_empty() {
                    prompt.error = Some(self.t.file_needed.to_string());
                    return Some(prompt);
                }
                let suggested = prompt.input == prompt.initial && *kind != ExportKind::Backup;
                match self.run_export(*kind, &text, suggested) {
                    Ok(w) => {
                        let message = (self.t.exported)(&w.what, &w.path, &w.fingerprint);
                        self.exports.push(w);
                        Ok(message)
                    }
                    Err(e) => Err(e),
                }
            }
        };
        match result {
            Ok(message) => {
                self.reload();
                self.info(message);
                None
            }
            Err(e) => {
                // Leave the prompt open with the library's reason, so the organiser can fix it.
                prompt.error = Some((self.t.failed)(e.to_string().trim_end()));
                Some(prompt)
            }
        }
    }

    /// "教师组 / 现场说课", with "all" for a missing part.
    pub fn lock_label(&self, group: Option<&str>, round: Option<&str>) -> String {
        let round_name = round.map(|r| {
            self.data
                .as_ref()
                .and_then(|d| d.rubric.round(r))
                .map_or(r.to_string(), |x| x.name.clone())
        });
        format!(
            "{} / {}",
            group.unwrap_or(self.t.all_groups),
            round_name.as_deref().unwrap_or(self.t.all_rounds)
        )
    }

    // ---- mouse ----

    fn mouse(&mut self, m: MouseEvent) {
        if !self.logged_in || self.overlay.is_some() {
            return;
        }
        match m.kind {
            MouseEventKind::Down(MouseButton::Left) => {
                let (x, y) = (m.column, m.row);
                if let Some(tab) = self.areas.tabs.iter().find(|(r, _)| inside(*r, x, y)).map(|(_, t)| *t) {
                    self.go_to(tab);
                } else if inside(self.areas.group, x, y) {
                    self.next_group(false);
                } else if inside(self.areas.round, x, y) {
                    self.next_round(false);
                } else if let Some(row) = self.areas.rows.iter().find(|(r, _)| inside(*r, x, y)).map(|(_, i)| *i) {
                    self.selected[self.tab.index()] = row;
                    if self.tab == Tab::Progress
                        && let Some((_, _, col)) = self.areas.columns.iter().find(|(cx, w, _)| x >= *cx && x < cx + w)
                    {
                        self.column = *col;
                    }
                }
            }
            MouseEventKind::ScrollUp => self.key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)),
            MouseEventKind::ScrollDown => self.key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
            _ => {}
        }
    }
}

/// The path as the organiser can find it again: absolute, from the current folder.
fn absolute(path: &Path) -> String {
    if path.is_absolute() {
        return path.display().to_string();
    }
    match std::env::current_dir() {
        Ok(dir) => dir.join(path).display().to_string(),
        Err(_) => path.display().to_string(),
    }
}
