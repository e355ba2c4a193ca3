//! The console's one keymap: every key on a tab (outside the login, prompts and forms) becomes an
//! [`Action`] here and nowhere else; the tabs act on actions. The help overlay
//! ([`crate::i18n::console::ConsoleTexts::help`]) lists these keys; a test checks that every key it
//! names is bound.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::state::Tab;

/// What a key asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Quit,
    Help,
    /// The tab at this place in the tab bar (0: the first).
    GoTo(usize),
    NextTab,
    PrevTab,
    NextGroup,
    PrevGroup,
    NextRound,
    PrevRound,
    Up,
    Down,
    PageUp,
    PageDown,
    Home,
    End,
    Left,
    Right,
    // progress
    Reopen,
    Assign,
    /// Lift the chosen judge's login pause.
    LiftPause,
    /// Remove the chosen judge from the contest (a reason is asked).
    RemoveJudge,
    // tally
    /// Withdraw the chosen entry, or restore a withdrawn one (a reason is asked).
    Withdraw,
    // locks
    LockOrUnlock,
    Lock,
    Unlock,
    /// Who is connected (the server's sessions).
    Connected,
    /// See the diff of a rubric file and apply it (a path and a reason are asked).
    Rubric,
    // shortlist
    NextStatus,
    PrevStatus,
    Batch,
    Propose,
    // export
    Export,
    // stage
    PutOnStage,
    NextOnStage,
    PrevOnStage,
    Reveal,
    /// The imports (`jury import list`), with undo.
    Imports,
    /// Open the chosen entry's discussion, or close it (tally).
    Discuss,
    // phases (on the tally tab)
    /// The phases, each one's leaders.
    Phases,
    /// Start the next phase (its name and the status it takes are asked).
    StartPhase,
    // progress
    /// Hand the chosen judge's open work to another judge (their id and a reason are asked).
    ReplaceJudge,
    /// Remove the chosen judge's scores of the chosen entry and round (a reason is asked).
    RemoveScore,
}

fn ctrl(key: &KeyEvent) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
}

/// `key` is the letter `c` (as typed, or with Ctrl, since letters do not reach the program while a
/// Chinese input method is on but Ctrl-letters do).
fn letter(key: &KeyEvent, c: char) -> bool {
    matches!(key.code, KeyCode::Char(k) if k == c || (ctrl(key) && k.eq_ignore_ascii_case(&c)))
}

/// The keys of every tab: quit, help, tabs, group and round. `tabs`: how many tabs there are.
fn global(key: &KeyEvent, tabs: usize) -> Option<Action> {
    Some(match key.code {
        KeyCode::Char('c' | 'q') if ctrl(key) => Action::Quit,
        KeyCode::Char('q') => Action::Quit,
        KeyCode::F(1) | KeyCode::Char('?') => Action::Help,
        KeyCode::F(n) if (2..2 + tabs as u8).contains(&n) => Action::GoTo(usize::from(n - 2)),
        KeyCode::Char(c @ '1'..='9') if !ctrl(key) && (c as usize - '1' as usize) < tabs => {
            Action::GoTo(c as usize - '1' as usize)
        }
        KeyCode::BackTab => Action::PrevTab,
        KeyCode::Tab if key.modifiers.contains(KeyModifiers::SHIFT) => Action::PrevTab,
        KeyCode::Tab => Action::NextTab,
        KeyCode::Char('G') => Action::PrevGroup,
        KeyCode::Char('R') => Action::PrevRound,
        _ if letter(key, 'g') => Action::NextGroup,
        _ if letter(key, 'r') => Action::NextRound,
        _ => return None,
    })
}

/// Up, Down, the page keys, Home and End: moving through a tab's rows.
fn moving(key: &KeyEvent) -> Option<Action> {
    Some(match key.code {
        KeyCode::Up => Action::Up,
        KeyCode::Down => Action::Down,
        KeyCode::PageUp => Action::PageUp,
        KeyCode::PageDown => Action::PageDown,
        KeyCode::Home => Action::Home,
        KeyCode::End => Action::End,
        _ => return None,
    })
}

/// The action of `key` on `tab` (with `tabs` tabs in the bar), if it has one.
pub fn action(tab: Tab, key: &KeyEvent, tabs: usize) -> Option<Action> {
    if let Some(a) = global(key, tabs) {
        return Some(a);
    }
    if tab == Tab::Stats {
        // The statistics scroll as a page: Space pages down, Left and Right choose the judges.
        return match key.code {
            KeyCode::Char(' ') => Some(Action::PageDown),
            KeyCode::Left => Some(Action::Left),
            KeyCode::Right => Some(Action::Right),
            KeyCode::End => None,
            _ => moving(key),
        };
    }
    if let Some(a) = moving(key) {
        return Some(a);
    }
    let enter = key.code == KeyCode::Enter;
    Some(match tab {
        Tab::Progress => match key.code {
            KeyCode::Left => Action::Left,
            KeyCode::Right => Action::Right,
            _ if enter || letter(key, 'o') => Action::Reopen,
            _ if letter(key, 'a') => Action::Assign,
            _ if letter(key, 'u') => Action::LiftPause,
            _ if letter(key, 'x') => Action::RemoveJudge,
            _ if letter(key, 's') => Action::ReplaceJudge,
            KeyCode::Delete => Action::RemoveScore,
            _ if letter(key, 'd') => Action::RemoveScore,
            _ => return None,
        },
        Tab::Tally => match key.code {
            _ if letter(key, 'w') => Action::Withdraw,
            _ if letter(key, 'd') => Action::Discuss,
            _ if letter(key, 'p') => Action::Phases,
            _ if letter(key, 'n') => Action::StartPhase,
            _ => return None,
        },
        Tab::Stats => return None,
        Tab::Room => match key.code {
            _ if enter => Action::LockOrUnlock,
            _ if letter(key, 'l') => Action::Lock,
            _ if letter(key, 'u') => Action::Unlock,
            _ if letter(key, 'w') => Action::Connected,
            _ if letter(key, 'i') => Action::Imports,
            _ if letter(key, 'b') => Action::Rubric,
            _ => return None,
        },
        Tab::Shortlist => match key.code {
            KeyCode::Enter | KeyCode::Char(' ') => Action::NextStatus,
            KeyCode::Backspace => Action::PrevStatus,
            _ if letter(key, 'b') => Action::Batch,
            _ if letter(key, 'p') => Action::Propose,
            _ => return None,
        },
        Tab::Export => match key.code {
            _ if enter || letter(key, 'e') => Action::Export,
            _ => return None,
        },
        Tab::Stage => match key.code {
            _ if enter => Action::PutOnStage,
            _ if letter(key, 'n') => Action::NextOnStage,
            _ if letter(key, 'p') => Action::PrevOnStage,
            _ if letter(key, 'v') => Action::Reveal,
            _ => return None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn press(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    fn ctrl_letter(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn letters_work_typed_and_with_ctrl_and_mean_what_their_tab_says() {
        assert_eq!(
            action(Tab::Progress, &press(KeyCode::Char('o')), 6),
            Some(Action::Reopen)
        );
        assert_eq!(action(Tab::Progress, &ctrl_letter('o'), 6), Some(Action::Reopen));
        assert_eq!(action(Tab::Progress, &press(KeyCode::Enter), 6), Some(Action::Reopen));
        assert_eq!(
            action(Tab::Shortlist, &press(KeyCode::Char('p')), 6),
            Some(Action::Propose)
        );
        assert_eq!(
            action(Tab::Stage, &press(KeyCode::Char('p')), 6),
            Some(Action::PrevOnStage)
        );
        assert_eq!(action(Tab::Room, &ctrl_letter('u'), 6), Some(Action::Unlock));
        assert_eq!(action(Tab::Tally, &press(KeyCode::Char('o')), 6), None);
        assert_eq!(
            action(Tab::Stats, &press(KeyCode::Char(' ')), 6),
            Some(Action::PageDown)
        );
        assert_eq!(
            action(Tab::Shortlist, &press(KeyCode::Char(' ')), 6),
            Some(Action::NextStatus)
        );
        // Tabs by F-key and digit, only as many as there are.
        assert_eq!(action(Tab::Tally, &press(KeyCode::F(7)), 6), Some(Action::GoTo(5)));
        assert_eq!(action(Tab::Tally, &press(KeyCode::F(8)), 6), None);
        assert_eq!(action(Tab::Tally, &press(KeyCode::Char('7')), 6), None);
        assert_eq!(action(Tab::Tally, &ctrl_letter('q'), 6), Some(Action::Quit));
    }

    /// Every key the help names on a tab (single letters, F-keys, Enter, Space, Backspace) is bound
    /// there: the help shows this keymap.
    #[test]
    fn every_key_the_help_names_is_in_the_keymap() {
        use crate::i18n::console::texts;
        let tabs = [
            Tab::Progress,
            Tab::Tally,
            Tab::Room,
            Tab::Shortlist,
            Tab::Stats,
            Tab::Export,
            Tab::Stage,
        ];
        for chinese in [true, false] {
            let t = texts(chinese);
            assert_eq!(t.help.len(), 8, "one section for every tab, and one for all");
            for (i, (_, lines)) in t.help.iter().enumerate() {
                // Section 0 is for every tab; then the tabs in order.
                let on: Vec<Tab> = if i == 0 { tabs.to_vec() } else { vec![tabs[i - 1]] };
                for (keys, _) in lines.iter() {
                    for part in keys.split([' ', '/']).filter(|p| !p.is_empty()) {
                        let key = match part {
                            "Enter" => press(KeyCode::Enter),
                            "空格" | "Space" => press(KeyCode::Char(' ')),
                            _ if part.starts_with("Ctrl-") && part.len() == 6 => {
                                ctrl_letter(part.chars().last().unwrap().to_ascii_lowercase())
                            }
                            _ if part.len() == 1 && part.is_ascii() => {
                                press(KeyCode::Char(part.chars().next().unwrap()))
                            }
                            // Ranges and arrows (F2-F7, 1-6, 上下, PgUp) are checked above.
                            _ => continue,
                        };
                        for tab in &on {
                            assert!(
                                action(*tab, &key, 6).is_some(),
                                "{tab:?}: the help names {part:?} ({keys}), the keymap has nothing"
                            );
                        }
                    }
                }
            }
        }
    }

    /// The key bars (the bottom line of every tab and view) fit 80 columns with the space before
    /// them, hold no character of ambiguous width, and name the keys added for issue 16 (with
    /// `?` for the rest, which the help lists).
    #[test]
    fn every_key_bar_fits_80_columns_and_names_the_new_keys() {
        use crate::core::text::width;
        use crate::i18n::console::texts;
        use unicode_width::UnicodeWidthChar;
        let named = |tab: Tab| -> &'static [&'static str] {
            match tab {
                Tab::Progress => &["o ", "a ", "u ", "x ", "s ", "d "],
                Tab::Tally => &["w ", "d ", "p ", "n "],
                Tab::Room => &["Enter ", "w ", "i ", "b "],
                _ => &[],
            }
        };
        for chinese in [true, false] {
            let t = texts(chinese);
            let lang = if chinese {
                crate::i18n::Lang::Zh
            } else {
                crate::i18n::Lang::En
            };
            let mut bars: Vec<(String, &str)> = [
                Tab::Progress,
                Tab::Tally,
                Tab::Room,
                Tab::Shortlist,
                Tab::Stats,
                Tab::Export,
                Tab::Stage,
            ]
            .iter()
            .map(|tab| {
                let bar = (t.keys_tab)(*tab);
                for key in named(*tab) {
                    assert!(
                        bar.starts_with(key) || bar.contains(&format!("  {key}")),
                        "{tab:?}: {key:?} in {bar}"
                    );
                }
                assert!(bar.contains("? "), "{bar}");
                (format!("{tab:?}"), bar)
            })
            .collect();
            bars.push(("phases".into(), crate::i18n::cli_phases::texts(lang).console_keys));
            bars.push(("imports".into(), crate::i18n::cli_importlog::texts(lang).keys));
            bars.push(("connected".into(), t.keys_connected));
            for (what, bar) in bars {
                // The bar is drawn after one space.
                assert!(width(bar) < 80, "{what}: {} cells: {bar}", 1 + width(bar));
                let odd: Vec<char> = bar.chars().filter(|c| c.width() != c.width_cjk()).collect();
                assert!(odd.is_empty(), "{what}: {odd:?} in {bar}");
            }
        }
    }
}
