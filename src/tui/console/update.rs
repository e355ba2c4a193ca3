//! Messages in, state changed, effects out: every key, click and tick goes through
//! [`Console::update`] (or the [`Screen`] methods), and every outcome of an effect through
//! [`Console::outcome`]. The console never touches the workspace: a change is an [`Effect`] that
//! the runner ([`super::runner`]) hands to the library's organiser operations
//! ([`crate::app::organiser`], [`crate::app::stage`], the exports), which check, write in one
//! transaction and leave an audit row; the outcome comes back, and the console then asks for the
//! workspace again (its own commits do not move `data_version`).

use std::time::{Duration, Instant};

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Position, Rect};

use crate::app::organiser::PassCheck;
use crate::app::progress::Contest;
use crate::core::Kind;
use crate::core::shortlist::Status;
use crate::error::Error;
use crate::tui::Msg;
use crate::tui::runtime::{Event, Screen};
use crate::tui::state::PIN_PAUSE_SECS;
use crate::tui::theme::Theme;

use crate::app::progress::{self, lock_targets};

use super::effect::{Change, Effect, Loaded, Outcome};
use super::keymap::{self, Action};
use super::state::*;

/// Rows a page key moves when nothing has been drawn yet.
pub(crate) const DEFAULT_PAGE: usize = 10;

pub(crate) fn ctrl(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
}

/// `key` is the letter `c` (as typed, or with Ctrl, since letters do not reach the program while a
/// Chinese input method is on but Ctrl-letters do).
pub(crate) fn letter(key: &KeyEvent, c: char) -> bool {
    matches!(key.code, KeyCode::Char(k) if k == c || (ctrl(key) && k.eq_ignore_ascii_case(&c)))
}

pub(crate) fn inside(area: Rect, x: u16, y: u16) -> bool {
    area.contains(Position { x, y })
}

/// Next or previous index in `0..len`, wrapping.
pub(crate) fn cycle(i: usize, len: usize, back: bool) -> usize {
    if len == 0 {
        0
    } else if back {
        (i + len - 1) % len
    } else {
        (i + 1) % len
    }
}

impl Console {
    /// The console on `contest`; the passphrase is asked first unless `options.trusted` (tests).
    /// Nothing is read yet: the first tick asks for the workspace.
    pub fn new(contest: Contest, options: ConsoleOptions) -> Console {
        Console {
            t: super::texts(options.lang),
            lang: options.lang,
            theme: Theme::new(options.no_color),
            contest: contest.name,
            kind: contest.kind,
            logged_in: options.trusted,
            login: Login::default(),
            tab: Tab::Progress,
            overlay: None,
            message: None,
            data: None,
            group: 0,
            round: 0,
            selected: [0; 7],
            offset: [0; 7],
            column_offset: 0,
            progress: ProgressTab::default(),
            shortlist: ShortlistTab::default(),
            stage: StageTab::default(),
            export: ExportTab::default(),
            data_version: None,
            help_scroll: 0,
            phase: None,
            quit: false,
            areas: Areas::default(),
            effects: Vec::new(),
        }
    }

    /// Ask for an effect; the runtime runs it after this message.
    pub(crate) fn ask(&mut self, effect: Effect) {
        self.effects.push(effect);
    }

    /// The effects asked for so far, handed to the runtime.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
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

    /// One message in, the effects to run out.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        self.message_in(msg);
        self.take_effects()
    }

    pub(crate) fn message_in(&mut self, msg: Msg) {
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

    pub(crate) fn info(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Info,
            text: text.into(),
        });
    }

    pub(crate) fn error(&mut self, text: impl Into<String>) {
        self.message = Some(Message {
            level: Level::Error,
            text: text.into(),
        });
    }

    pub(crate) fn failed(&mut self, e: &Error) {
        let text = self.failed_text(e);
        self.error(text);
    }

    /// "Not done: why", the why translated when the library's refusal is typed.
    pub(crate) fn failed_text(&self, e: &Error) -> String {
        match e {
            Error::Organiser(refusal) => (self.t.failed)(&(self.t.organiser_refusal)(refusal)),
            Error::Paper(refusal) => (self.t.failed)(&(crate::i18n::cli_paper::texts(self.lang).refusal)(refusal)),
            Error::ImportUndo(refusal) => {
                (self.t.failed)(&(crate::i18n::cli_importlog::texts(self.lang).refusal)(refusal))
            }
            Error::RubricChange(refusal) => {
                (self.t.failed)(&(crate::i18n::cli_rubricapply::texts(self.lang).refusal)(refusal))
            }
            Error::Discussion(refusal) => {
                (self.t.failed)(&(crate::i18n::cli_discuss::texts(self.lang).refusal)(refusal))
            }
            Error::Phase(refusal) => (self.t.failed)(&(crate::i18n::cli_phases::texts(self.lang).refusal)(refusal)),
            other => match crate::i18n::cli_refusals::translate(other, self.lang) {
                Some(text) => (self.t.failed)(&text),
                // The rest (disk full, busy, read-only, an import's problems ...) in the console's
                // language too (issue 17).
                None => (self.t.failed)(crate::i18n::cli::error(other, self.lang).trim_end()),
            },
        }
    }

    // ---- reading the workspace ----

    /// Ask to read everything again (the selections are kept, clamped, when it comes).
    pub(crate) fn reload(&mut self) {
        let with_audit = self.tab == Tab::Room;
        let group = self.group;
        self.ask(Effect::Reload { with_audit, group });
    }

    /// What was read: keep the selections (clamped) and recompute the views.
    pub(crate) fn loaded(&mut self, loaded: Loaded) {
        let Loaded {
            data,
            version,
            stage,
            submissions,
            stage_order,
        } = loaded;
        self.group = self.group.min(data.rubric.groups.len().saturating_sub(1));
        self.round = self.round.min(data.rubric.rounds.len().saturating_sub(1));
        self.data = Some(data);
        self.data_version = Some(version);
        if self.kind == Kind::Competition {
            self.stage.current = stage;
            self.stage.submissions = submissions;
            self.stage.order = stage_order;
        }
        self.refresh_views();
        if let Some(stage) = self.stage.follow.take() {
            self.followed(stage);
        }
    }

    /// Recompute what depends on the chosen group and round, and clamp the selections.
    pub(crate) fn refresh_views(&mut self) {
        let Some(data) = &self.data else { return };
        let group = data.rubric.groups.get(self.group).cloned().unwrap_or_default();
        let round = data
            .rubric
            .rounds
            .get(self.round)
            .map(|r| r.id.clone())
            .unwrap_or_default();
        self.progress.matrix = progress::matrix(data, &group, &round);
        self.shortlist.rows = progress::shortlist_rows(data);
        for tab in Tab::ALL {
            let i = tab.index();
            let len = self.row_count(tab);
            self.selected[i] = self.selected[i].min(len.saturating_sub(1));
            self.offset[i] = self.offset[i].min(self.selected[i]);
        }
        self.progress.column = self
            .progress
            .column
            .min(self.progress.matrix.judges.len().saturating_sub(1));
    }

    /// How many selectable rows a tab has (the statistics screen scrolls instead).
    pub fn row_count(&self, tab: Tab) -> usize {
        let Some(data) = &self.data else { return 0 };
        match tab {
            Tab::Progress => self.progress.matrix.rows.len(),
            Tab::Tally => {
                data.tally
                    .groups
                    .iter()
                    .find(|g| Some(g.group.as_str()) == self.group_name())
                    .map_or(0, |g| g.entries.len())
                    + self.withdrawn_here().len()
            }
            Tab::Room => lock_targets(&data.rubric).len(),
            Tab::Shortlist => self.shortlist.rows.len(),
            Tab::Stats => 0,
            Tab::Export => self.export_kinds().len(),
            Tab::Stage => self.stage.order.len(),
        }
    }

    pub(crate) fn tick(&mut self) {
        if !self.logged_in {
            return;
        }
        // Logged in but nothing read yet (the first tick, or a trusted start): read it all.
        if self.data.is_none() {
            self.reload();
        } else {
            self.ask(Effect::Poll);
        }
        // The list of who is connected follows by itself while it is open.
        if matches!(self.overlay, Some(Overlay::Connected { .. })) {
            self.ask(Effect::ListSessions);
        }
    }

    /// The workspace's data version: read again when someone else has written.
    pub(crate) fn polled(&mut self, version: i64) {
        if self.data_version == Some(version) {
            return;
        }
        self.data_version = Some(version);
        self.reload();
    }

    // ---- keys ----

    pub(crate) fn key(&mut self, key: KeyEvent) {
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
        let reveal_armed = std::mem::take(&mut self.stage.reveal_armed);
        let Some(action) = keymap::action(self.tab, &key, self.tabs().len()) else {
            return;
        };
        if self.global_action(action) {
            return;
        }
        match self.tab {
            Tab::Progress => self.progress_action(action),
            Tab::Tally => self.list_action(action),
            Tab::Room => self.room_action(action),
            Tab::Shortlist => self.shortlist_action(action),
            Tab::Stats => self.stats_action(action),
            Tab::Export => self.export_action(action),
            Tab::Stage => self.stage_action(action, reveal_armed),
        }
    }

    pub(crate) fn login_key(&mut self, key: KeyEvent) {
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

    pub(crate) fn try_login(&mut self, now: Instant) {
        if self.login.locked_secs(now).is_some() {
            return;
        }
        let passphrase = std::mem::take(&mut self.login.pass);
        // The library counts the tries in the workspace and keeps the pause.
        self.ask(Effect::Login { passphrase });
    }

    pub(crate) fn logged_in(&mut self, check: crate::error::Result<PassCheck>) {
        let now = Instant::now();
        match check {
            Ok(PassCheck::Right) => {
                self.logged_in = true;
                self.login = Login::default();
                self.reload();
            }
            Ok(PassCheck::Wrong { tries_left: 0 }) => {
                self.login.locked_until = Some(now + Duration::from_secs(PIN_PAUSE_SECS));
                self.login.error = None;
            }
            Ok(PassCheck::Wrong { tries_left }) => {
                self.login.error = Some((self.t.wrong_pass)(tries_left));
            }
            Ok(PassCheck::Paused { secs }) => {
                self.login.locked_until = Some(now + Duration::from_secs(secs));
                self.login.error = None;
            }
            Err(e) => self.login.error = Some(self.failed_text(&e)),
        }
    }

    /// The actions of every screen. `true` when the action was one.
    pub(crate) fn global_action(&mut self, action: Action) -> bool {
        let tabs = self.tabs();
        match action {
            Action::Quit => self.quit = true,
            Action::Help => {
                self.overlay = Some(Overlay::Help);
                self.help_scroll = 0;
            }
            Action::GoTo(i) => {
                if let Some(t) = tabs.get(i) {
                    self.go_to(*t);
                }
            }
            Action::NextTab | Action::PrevTab => {
                let i = tabs.iter().position(|t| *t == self.tab).unwrap_or(0);
                self.go_to(tabs[cycle(i, tabs.len(), action == Action::PrevTab)]);
            }
            Action::PrevGroup => self.next_group(true),
            Action::PrevRound => self.next_round(true),
            Action::NextGroup => self.next_group(false),
            Action::NextRound => self.next_round(false),
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

    pub(crate) fn next_group(&mut self, back: bool) {
        let Some(data) = &self.data else { return };
        self.group = cycle(self.group, data.rubric.groups.len(), back);
        for tab in [Tab::Progress, Tab::Tally, Tab::Stage] {
            self.selected[tab.index()] = 0;
            self.offset[tab.index()] = 0;
        }
        self.progress.column = 0;
        self.column_offset = 0;
        if self.kind == Kind::Competition {
            // The running order is per group.
            self.reload();
        } else {
            self.refresh_views();
        }
    }

    pub(crate) fn next_round(&mut self, back: bool) {
        let Some(data) = &self.data else { return };
        self.round = cycle(self.round, data.rubric.rounds.len(), back);
        self.refresh_views();
    }

    /// Up, Down, Page keys, Home and End on the current tab's rows. `true` when used.
    pub(crate) fn move_action(&mut self, action: Action) -> bool {
        let i = self.tab.index();
        let len = self.row_count(self.tab);
        let page = if self.areas.page == 0 {
            DEFAULT_PAGE
        } else {
            self.areas.page
        };
        let last = len.saturating_sub(1);
        let sel = &mut self.selected[i];
        match action {
            Action::Up => *sel = sel.saturating_sub(1),
            Action::Down => *sel = (*sel + 1).min(last),
            Action::PageUp => *sel = sel.saturating_sub(page),
            Action::PageDown => *sel = (*sel + page).min(last),
            Action::Home => *sel = 0,
            Action::End => *sel = last,
            _ => return false,
        }
        true
    }

    // ---- overlays ----

    pub(crate) fn overlay_key(&mut self, overlay: Overlay, key: KeyEvent) {
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
            Overlay::Connected { rows, selected, .. } => self.connected_key(&rows, selected, key),
            Overlay::Imports { rows, selected } => self.imports_key(&rows, selected, key),
            Overlay::Phases { newest, before, .. } => self.phases_key(newest, before, key),
            Overlay::Propose(form) => self.propose_key(form, key),
            Overlay::Prompt(mut prompt) => {
                prompt.error = None;
                match key.code {
                    KeyCode::Esc => {
                        self.overlay = None;
                        return;
                    }
                    KeyCode::Enter => {
                        // The prompt stays open until the outcome: closed when done, kept with
                        // the library's reason when refused.
                        let prompt = self.answer(prompt);
                        self.overlay = Some(Overlay::Prompt(prompt));
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

    /// Act on a prompt's answer: ask for the effect, or return the prompt with what to correct.
    pub(crate) fn answer(&mut self, mut prompt: Prompt) -> Prompt {
        let text = prompt.input.trim().to_string();
        let effect = match &prompt.ask {
            Ask::Reopen { judge, entry, round } => {
                if text.is_empty() {
                    prompt.error = Some(self.t.reason_required.to_string());
                    return prompt;
                }
                Effect::Reopen {
                    judge: judge.clone(),
                    entry: entry.clone(),
                    round: round.clone(),
                    reason: text,
                }
            }
            Ask::Lock { group, round } => Effect::Lock {
                group: group.clone(),
                round: round.clone(),
                reason: text,
            },
            Ask::Unlock { group, round } => {
                if text.is_empty() {
                    prompt.error = Some(self.t.reason_required.to_string());
                    return prompt;
                }
                Effect::Unlock {
                    group: group.clone(),
                    round: round.clone(),
                    reason: text,
                }
            }
            Ask::Batch { entry } => {
                let batch = if text.is_empty() {
                    None
                } else {
                    match text.parse::<i64>() {
                        Ok(b) if b > 0 => Some(b),
                        _ => {
                            prompt.error = Some(self.t.batch_number.to_string());
                            return prompt;
                        }
                    }
                };
                let status = self
                    .shortlist
                    .rows
                    .iter()
                    .find(|r| &r.entry == entry)
                    .map_or(Status::Pending, |r| r.status);
                Effect::Shortlist {
                    entry: entry.clone(),
                    status,
                    batch,
                    by_batch: true,
                }
            }
            Ask::RemoveJudge { .. }
            | Ask::Withdraw { .. }
            | Ask::Restore { .. }
            | Ask::UndoImport { .. }
            | Ask::RemoveScore { .. }
                if text.is_empty() =>
            {
                prompt.error = Some(self.t.reason_required.to_string());
                return prompt;
            }
            Ask::RemoveJudge { judge } => Effect::RemoveJudge {
                judge: judge.clone(),
                reason: text,
            },
            Ask::Withdraw { entry } => Effect::Withdraw {
                entry: entry.clone(),
                reason: text,
            },
            Ask::Restore { entry } => Effect::Restore {
                entry: entry.clone(),
                reason: text,
            },
            Ask::UndoImport { number } => Effect::UndoImport {
                number: *number,
                reason: text,
            },
            Ask::RemoveScore { judge, entry, round } => Effect::RemoveScore {
                judge: judge.clone(),
                entry: entry.clone(),
                round: round.clone(),
                reason: text,
            },
            Ask::ReplaceJudge { judge } => match text.split_once(char::is_whitespace) {
                Some((new, reason)) if !new.trim().is_empty() && !reason.trim().is_empty() => Effect::ReplaceJudge {
                    old: judge.clone(),
                    new: new.trim().to_string(),
                    reason: reason.trim().to_string(),
                },
                _ => {
                    prompt.error = Some(
                        crate::i18n::console_corrections::texts(self.lang)
                            .replace_format
                            .to_string(),
                    );
                    return prompt;
                }
            },
            Ask::RubricFile if text.is_empty() => {
                prompt.error = Some(self.t.file_needed.to_string());
                return prompt;
            }
            Ask::RubricFile => Effect::RubricDiff { path: text },
            Ask::RubricReason { .. } if text.is_empty() => {
                prompt.error = Some(self.t.reason_required.to_string());
                return prompt;
            }
            Ask::RubricReason { path, .. } => Effect::RubricApply {
                path: path.clone(),
                reason: text,
            },
            Ask::StartPhase { .. } => match text.split_once(char::is_whitespace) {
                Some((name, take)) if !name.trim().is_empty() && !take.trim().is_empty() => Effect::StartPhase {
                    name: name.trim().to_string(),
                    take: take.trim().to_string(),
                },
                _ => {
                    prompt.error = Some(self.t.start_phase_format.to_string());
                    return prompt;
                }
            },
            Ask::DropPhase { .. } if text.is_empty() => {
                prompt.error = Some(self.t.reason_required.to_string());
                return prompt;
            }
            Ask::DropPhase { .. } => Effect::DropPhase { reason: text },
            Ask::ExportFile(kind) => {
                if text.is_empty() {
                    prompt.error = Some(self.t.file_needed.to_string());
                    return prompt;
                }
                let suggested = prompt.input == prompt.initial && *kind != ExportKind::Backup;
                Effect::Export {
                    kind: *kind,
                    name: text,
                    suggested,
                }
            }
        };
        self.ask(effect);
        prompt
    }

    /// A change is done: close the prompt (if it came from one), read again, say so.
    pub(crate) fn changed(&mut self, change: Change, result: crate::error::Result<()>) {
        if let Err(e) = result {
            if matches!(self.overlay, Some(Overlay::Prompt(_))) {
                self.refused_in_prompt(&e);
            } else {
                self.failed(&e);
            }
            return;
        }
        let message = match change {
            Change::Reopened { judge, entry } => (self.t.reopened)(&judge, &entry),
            Change::Locked { group, round } => (self.t.locked)(&self.lock_label(group.as_deref(), round.as_deref())),
            Change::Unlocked { group, round } => {
                (self.t.unlocked)(&self.lock_label(group.as_deref(), round.as_deref()))
            }
            Change::Status { entry, status } => (self.t.status_set)(&entry, (self.t.shortlist_status)(status)),
            Change::Batch { entry, batch } => (self.t.batch_set)(&entry, batch),
            Change::JudgeRemoved { judge } => (self.t.judge_removed)(&judge),
            Change::Withdrawn { entry } => (self.t.entry_withdrawn)(&entry),
            Change::Restored { entry } => (self.t.entry_restored)(&entry),
            Change::ImportUndone { number } => (crate::i18n::cli_importlog::texts(self.lang).undone_in_console)(number),
            Change::DiscussionOpened { entry } => (self.t.discussion_opened)(&entry),
            Change::DiscussionClosed { entry } => (self.t.discussion_closed)(&entry),
            Change::JudgeReplaced { old, new } => {
                (crate::i18n::console_corrections::texts(self.lang).replaced)(&old, &new)
            }
            Change::ScoreRemoved { judge, entry, round } => {
                let name = self.round_name(&round);
                (crate::i18n::console_corrections::texts(self.lang).score_removed)(&judge, &entry, &name)
            }
            Change::PhaseStarted { name } => {
                self.phase = Some(name.clone());
                (self.t.phase_started)(&name)
            }
            Change::PhaseDropped { phase, back_to } => {
                self.phase = Some(back_to.clone());
                (crate::i18n::cli_phases::texts(self.lang).dropped)(&phase, &back_to)
            }
        };
        self.answered(message);
    }

    /// Close the prompt, read again and show `message`.
    pub(crate) fn answered(&mut self, message: String) {
        if matches!(self.overlay, Some(Overlay::Prompt(_))) {
            self.overlay = None;
        }
        self.reload();
        self.info(message);
    }

    /// Leave the prompt open with the library's reason, so the organiser can fix it.
    pub(crate) fn refused_in_prompt(&mut self, e: &Error) {
        let text = self.failed_text(e);
        match &mut self.overlay {
            Some(Overlay::Prompt(prompt)) => prompt.error = Some(text),
            _ => self.error(text),
        }
    }

    /// What became of an effect; the effects it leads to.
    pub fn outcome(&mut self, outcome: Outcome) -> Vec<Effect> {
        match outcome {
            Outcome::Login(check) => self.logged_in(check),
            Outcome::Loaded(Ok(loaded)) => self.loaded(*loaded),
            Outcome::Loaded(Err(e)) if self.data.is_none() => {
                // The first read after the passphrase failed: back to the login.
                self.login.error = Some(self.failed_text(&e));
                self.logged_in = false;
            }
            Outcome::Loaded(Err(e)) => self.failed(&e),
            Outcome::Polled(Ok(version)) => self.polled(version),
            Outcome::Polled(Err(_)) => {}
            Outcome::Changed { change, result } => self.changed(change, result),
            Outcome::Toggled { judge, entry, result } => self.toggled(&judge, &entry, result),
            Outcome::Proposed { status, result } => self.proposed(status, result),
            Outcome::Staged(result) => self.staged(result),
            Outcome::ExportName { kind, result } => self.export_named(kind, result),
            Outcome::Exported { kind, result } => self.exported(kind, result),
            Outcome::PauseLifted { judge, result } => self.pause_lifted(&judge, result),
            Outcome::Sessions(list) => self.sessions_listed(list),
            Outcome::Imports(list) => self.imports_listed(list),
            Outcome::SessionEnded { id, ended } => self.session_ended(id, ended),
            Outcome::RubricDiffed { path, result } => self.rubric_diffed(path, result),
            Outcome::RubricApplied { path, result } => match result {
                Ok(done) => {
                    let t = crate::i18n::cli_rubricapply::texts(self.lang);
                    let text = (t.console_applied)(&path, done.diff.changes.len(), done.diff.reopened.len());
                    self.answered(text);
                }
                Err(e) => self.refused_in_prompt(&e),
            },
            Outcome::Phases(result) => self.phases_listed(result),
        }
        self.take_effects()
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

    pub(crate) fn mouse(&mut self, m: MouseEvent) {
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
                        self.progress.column = *col;
                    }
                }
            }
            MouseEventKind::ScrollUp => self.key(KeyEvent::new(KeyCode::Up, KeyModifiers::NONE)),
            MouseEventKind::ScrollDown => self.key(KeyEvent::new(KeyCode::Down, KeyModifiers::NONE)),
            _ => {}
        }
    }
}

impl Screen for Console {
    type Effect = Effect;
    type Outcome = Outcome;

    fn on_event(&mut self, event: Event) -> Vec<Effect> {
        match event {
            Event::Key(key) => self.message_in(Msg::Key(key)),
            Event::Mouse(m) => self.message_in(Msg::Mouse(m)),
            Event::Resize(_, _) => self.message_in(Msg::Resize),
            // A paste (or an input method's phrase) is typed character by character.
            Event::Paste(text) => {
                for c in text.chars().filter(|c| !c.is_control()) {
                    self.message_in(Msg::Key(KeyEvent::from(KeyCode::Char(c))));
                }
            }
        }
        self.take_effects()
    }

    fn on_tick(&mut self, _now: Instant) -> Vec<Effect> {
        self.message_in(Msg::Tick);
        self.take_effects()
    }

    fn on_outcome(&mut self, outcome: Outcome) -> Vec<Effect> {
        self.outcome(outcome)
    }

    fn draw(&mut self, frame: &mut ratatui::Frame) {
        super::view::draw(frame, self);
    }

    fn done(&self) -> bool {
        self.quit
    }
}
