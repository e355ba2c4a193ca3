//! Discussion after scoring on the judges' screen: F7 shows the panel's marks of an entry under
//! discussion to a judge who submitted it, as the library gives them; nothing to one who did not.

use ratatui::crossterm::event::KeyCode;

use super::state::*;
use crate::app::Actor;
use crate::app::demo::{DEMO_JUDGE, create_demo_workspace_with};
use crate::i18n::judge::Lang;
use crate::store::Store;
use crate::tui::test_support::{Driven, message, press, render, screen};

/// The demo contest with `discussion` set, two comments on JS001 and JS001 under discussion.
fn demo(discussion: &str) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace_with(dir.path(), &format!("discussion = \"{discussion}\"\n")).unwrap();
    let raw = rusqlite::Connection::open(&path).unwrap();
    for (judge, text) in [
        ("PW02", "说课结构清晰，家校沟通的案例很真实。"),
        ("PW05", "分析部分略显单薄，建议补充跟进措施。"),
    ] {
        raw.execute(
            "INSERT INTO comments(judge, entry, text, updated_at) VALUES (?1, 'JS001', ?2, 'now')",
            [judge, text],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    crate::app::discussion::open(&store, &Actor::Cli, &["JS001".to_string()]).unwrap();
    (dir, store)
}

fn logged_in<'a>(store: &'a Store, judge: &str, lang: Lang) -> Driven<'a> {
    let options = Options {
        judge: Some(judge.to_string()),
        trusted: true,
        ..Options::new(lang)
    };
    Driven::new(store, options).unwrap()
}

/// Open JS001 (the first entry of the list) and press F7.
fn open_panel(app: &mut Driven<'_>) {
    press(app, KeyCode::Enter);
    assert_eq!(app.open.as_ref().unwrap().entry.id, "JS001");
    press(app, KeyCode::F(7));
}

#[test]
fn a_judge_who_submitted_sees_the_panel_numbered_at_80x24() {
    let (_dir, store) = demo("anonymous");
    let mut app = logged_in(&store, "PW03", Lang::Zh);
    press(&mut app, KeyCode::Enter);
    assert!(message(&app).contains("F7"), "told on opening: {}", message(&app));
    press(&mut app, KeyCode::F(7));
    assert_eq!(app.overlay, Some(Overlay::Panel(0)));
    let term = render(&mut app, 80, 24);
    let text = screen(&term);
    assert!(text.contains("评审组评分（讨论）JS001"), "{text}");
    assert!(text.contains("现场说课"), "{text}");
    assert!(text.contains("评委1") && text.contains("评委3（本人）"), "{text}");
    // Numbered: no judge's id in the popup (the header names the judge logged in).
    let popup: String = text.lines().skip(1).collect::<Vec<_>>().join("\n");
    assert!(!popup.contains("PW0"), "{popup}");
    // The own mark is there once in each round's table: the first screen holds two whole ones
    // (six judges each) and the third's heading.
    assert_eq!(popup.matches("评委3（本人）").count(), 2, "{popup}");
    assert_eq!(popup.matches("评委6").count(), 2, "{popup}");
    assert!(
        popup.contains("评委3（本人）           18          15        14.5          15   62.5"),
        "{popup}"
    );
    insta::assert_snapshot!("discussion_anonymous_80x24", term.backend());
    // Scrolled to the end: the comments, by number.
    for _ in 0..40 {
        press(&mut app, KeyCode::Down);
    }
    let term = render(&mut app, 80, 24);
    let text = screen(&term);
    assert!(text.contains("评语"), "{text}");
    assert!(text.contains("评委2：说课结构清晰"), "{text}");
    assert!(text.contains("评委5：分析部分略显单薄"), "{text}");
    insta::assert_snapshot!("discussion_anonymous_comments_80x24", term.backend());
    press(&mut app, KeyCode::Esc);
    assert_eq!(app.overlay, None);
}

#[test]
fn named_shows_the_ids_in_english_too() {
    let (_dir, store) = demo("named");
    let mut app = logged_in(&store, "PW03", Lang::En);
    open_panel(&mut app);
    let term = render(&mut app, 80, 24);
    let text = screen(&term);
    assert!(text.contains("PW01") && text.contains("PW06"), "{text}");
    assert!(text.contains("PW03 (you)"), "{text}");
    assert!(!text.contains("Judge 1"), "{text}");
}

#[test]
fn a_judge_who_has_not_submitted_sees_nothing_of_it() {
    let (_dir, store) = demo("named");
    // The demo judge has scored nothing.
    let mut app = logged_in(&store, DEMO_JUDGE, Lang::Zh);
    press(&mut app, KeyCode::Enter);
    assert_eq!(app.open.as_ref().unwrap().discussion, None);
    assert!(!message(&app).contains("讨论"), "{}", message(&app));
    press(&mut app, KeyCode::F(7));
    assert_eq!(app.overlay, None);
    let text = screen(&render(&mut app, 80, 24));
    assert!(!text.contains("PW01") && !text.contains("评审组评分（讨论）"), "{text}");
    // The line F7 gives is the same as for an entry not under discussion.
    let said = message(&app);
    crate::app::discussion::close(&store, &Actor::Cli, &[]).unwrap();
    let mut other = logged_in(&store, DEMO_JUDGE, Lang::Zh);
    press(&mut other, KeyCode::Enter);
    press(&mut other, KeyCode::F(7));
    assert_eq!(message(&other), said);
}

#[test]
fn closing_the_discussion_takes_the_marks_away_on_the_next_look() {
    let (_dir, store) = demo("named");
    let mut app = logged_in(&store, "PW03", Lang::Zh);
    press(&mut app, KeyCode::Enter);
    assert!(app.open.as_ref().unwrap().discussion.is_some());
    // The organiser, in another process.
    let organiser = Store::open(store.path()).unwrap();
    crate::app::discussion::close(&organiser, &Actor::Cli, &[]).unwrap();
    // The periodic look sees the change and reads the open entry again.
    app.update(super::update::Msg::Tick);
    app.update(super::update::Msg::Tick);
    assert_eq!(app.open.as_ref().unwrap().discussion, None);
}
