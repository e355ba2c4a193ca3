//! Styles, with and without colour (`NO_COLOR`: bold, underline and reverse only).

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub header: Style,
    pub tab: Style,
    pub tab_active: Style,
    pub column_title: Style,
    pub selected: Style,
    pub dim: Style,
    pub conflict: Style,
    pub submitted: Style,
    pub draft: Style,
    pub highlight: Style,
    pub heading: Style,
    pub error: Style,
    pub info: Style,
    pub key: Style,
    pub field: Style,
    pub field_focused: Style,
    pub hint: Style,
}

impl Theme {
    /// `NO_COLOR` set to anything non-empty turns colours off (https://no-color.org).
    pub fn from_env() -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme::new(no_color)
    }

    pub fn new(no_color: bool) -> Theme {
        let plain = Style::default();
        let bold = plain.add_modifier(Modifier::BOLD);
        let reversed = plain.add_modifier(Modifier::REVERSED);
        if no_color {
            Theme {
                header: reversed.add_modifier(Modifier::BOLD),
                tab: plain,
                tab_active: reversed.add_modifier(Modifier::BOLD),
                column_title: bold.add_modifier(Modifier::UNDERLINED),
                selected: reversed,
                dim: plain,
                conflict: plain.add_modifier(Modifier::ITALIC),
                submitted: bold,
                draft: plain,
                highlight: bold.add_modifier(Modifier::UNDERLINED),
                heading: bold.add_modifier(Modifier::UNDERLINED),
                error: bold,
                info: plain,
                key: reversed,
                field: plain.add_modifier(Modifier::UNDERLINED),
                field_focused: reversed,
                hint: plain,
            }
        } else {
            Theme {
                header: Style::new()
                    .fg(Color::Black)
                    .bg(Color::Cyan)
                    .add_modifier(Modifier::BOLD),
                tab: Style::new().fg(Color::Gray),
                tab_active: Style::new()
                    .fg(Color::Black)
                    .bg(Color::Yellow)
                    .add_modifier(Modifier::BOLD),
                column_title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                selected: Style::new().fg(Color::Black).bg(Color::LightBlue),
                dim: Style::new().fg(Color::DarkGray),
                conflict: Style::new().fg(Color::DarkGray).add_modifier(Modifier::ITALIC),
                submitted: Style::new().fg(Color::Green),
                draft: Style::new().fg(Color::Yellow),
                highlight: Style::new()
                    .fg(Color::LightRed)
                    .add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                heading: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                error: Style::new().fg(Color::LightRed).add_modifier(Modifier::BOLD),
                info: Style::new().fg(Color::Green),
                key: Style::new().fg(Color::Black).bg(Color::Gray),
                field: Style::new().add_modifier(Modifier::UNDERLINED),
                field_focused: Style::new().fg(Color::Black).bg(Color::Yellow),
                hint: Style::new().fg(Color::Gray),
            }
        }
    }
}
