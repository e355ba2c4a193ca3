//! The projector without a terminal: boards loaded from real workspaces, drawn at 80x24 and
//! 120x40 into a TestBackend, with Chinese names.

use crate::tui::test_support::lines;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier};

use super::*;
use crate::core::rubric::template_source;
use crate::demo::{DEMO_JUDGE, create_demo_workspace};
use crate::import::{import_entries, import_judges, import_scores, read_table};
use crate::judging::JudgeSession;
use crate::store::Actor;

fn demo() -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let store = Store::open(&path).unwrap();
    (dir, path, store)
}

fn render(app: &Projector, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
    terminal.draw(|f| view::draw(f, app)).unwrap();
    terminal
}

fn screen_text(t: &Terminal<TestBackend>) -> String {
    lines(t.backend().buffer()).join("\n")
}

/// Where `text` starts on screen (column in cells, row).
fn find(buffer: &Buffer, text: &str) -> Option<(u16, u16)> {
    let area = buffer.area;
    for y in 0..area.height {
        for x in 0..area.width {
            let mut s = String::new();
            let mut cx = x;
            while cx < area.width && crate::text::width(&s) < crate::text::width(text) {
                s.push_str(buffer[(cx, y)].symbol());
                cx += 1;
            }
            if s == text {
                return Some((x, y));
            }
        }
    }
    None
}

/// Cells lit as big-digit pixels: blank cells in exactly the pixel style.
fn pixels(buffer: &Buffer, pixel: ratatui::style::Style) -> usize {
    buffer
        .content()
        .iter()
        .filter(|c| c.symbol() == " ")
        .filter(|c| match pixel.bg {
            Some(bg) => c.bg == bg && Some(c.fg) == pixel.fg,
            None => c.modifier == pixel.add_modifier,
        })
        .count()
}

/// The screen with big-digit pixels drawn as '#', other cells as they are.
fn pixel_map(buffer: &Buffer) -> String {
    let pixel = view::Look::new(false).pixel;
    let mut marked = buffer.clone();
    for cell in marked.content.iter_mut() {
        if cell.symbol() == " " && Some(cell.bg) == pixel.bg && Some(cell.fg) == pixel.fg {
            cell.set_symbol("#");
        }
    }
    lines(&marked).join("\n")
}

fn round_score_from_tally(store: &Store, entry: &str, round: &str) -> String {
    let t = crate::cli::compute_tally(store, None).unwrap();
    let r = t.entry(entry).unwrap().round(round).unwrap();
    t.fmt(r.score.unwrap())
}

fn press(app: &mut Projector, code: KeyCode) {
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

#[test]
fn totals_are_revealed_one_by_one_in_submission_order() {
    let (_dir, _path, store) = demo();
    stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
    let app = Projector::new(&store, Lang::Zh, false).unwrap();
    let on = app.board.stage.as_ref().unwrap();
    assert_eq!(on.name, "邓涵");
    assert_eq!(on.organization, "靖安县实验小学");
    // Six demo judges are in (imported together: by judge id), three still to come.
    let judges: Vec<&str> = on.marks.iter().map(|m| m.judge.as_str()).collect();
    assert_eq!(judges, ["PW01", "PW02", "PW03", "PW04", "PW05", "PW06"]);
    assert_eq!(on.waiting, ["PW07", "PW08", "PW09"]);
    assert!(!on.finished);
    assert!(
        on.marks.iter().all(|m| m.dropped.is_none()),
        "nothing is struck before the end"
    );
    assert_eq!(on.round_score, None);
    let t = render(&app, 80, 24);
    let text = screen_text(&t);
    assert!(text.contains("1号   JS001   邓涵"), "{text}");
    assert!(text.contains("已亮分 6/9"), "{text}");
    for m in &on.marks {
        assert!(text.contains(&m.total), "{} missing:\n{text}", m.total);
    }
    assert_eq!(pixels(t.backend().buffer(), view::Look::new(false).pixel), 0);

    // The demo judge submits: their total comes last, the others keep their places.
    let session = JudgeSession::trusted(&store, DEMO_JUDGE).unwrap();
    for (c, v) in [
        ("content", "28"),
        ("method", "27"),
        ("expression", "18"),
        ("effect", "19.5"),
    ] {
        session.set_score("JS001", "lesson", c, v).unwrap();
    }
    session.submit("JS001", "lesson").unwrap();
    let board = load_board(&store).unwrap();
    let on = board.stage.unwrap();
    assert_eq!(on.marks.last().unwrap().judge, DEMO_JUDGE);
    assert_eq!(on.marks.last().unwrap().total, "92.5");
    assert_eq!(on.waiting, ["PW08", "PW09"]);
}

#[test]
fn when_every_judge_is_in_the_extremes_are_struck_and_the_score_is_big() {
    let (_dir, _path, store) = demo();
    // The panel is the six judges who scored: everyone eligible is in.
    let panel: Vec<String> = (1..=6).map(|i| format!("PW0{i}")).collect();
    crate::room::assign_panel(&store, &Actor::Organiser, "教师组", &panel).unwrap();
    stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
    let app = Projector::new(&store, Lang::Zh, false).unwrap();
    let on = app.board.stage.as_ref().unwrap();
    assert!(on.finished);
    let expected = round_score_from_tally(&store, "JS001", "lesson");
    assert_eq!(on.round_score.as_deref(), Some(expected.as_str()));
    // The demo's six judges scored every round: the final is there too, as the tally has it.
    let tally_final = crate::cli::compute_tally(&store, None).unwrap();
    let e = tally_final.entry("JS001").unwrap();
    assert_eq!(on.final_score, Some(tally_final.fmt(e.final_score.unwrap())));
    let tally = crate::cli::compute_tally(&store, None).unwrap();
    let marks = &tally.entry("JS001").unwrap().round("lesson").unwrap().marks;
    for m in marks {
        let shown = on.marks.iter().find(|s| *s.judge == *m.judge).unwrap();
        assert_eq!(shown.dropped, m.dropped, "{}", m.judge);
    }
    let high = on.marks.iter().find(|m| m.dropped == Some(Dropped::High)).unwrap();
    let low = on.marks.iter().find(|m| m.dropped == Some(Dropped::Low)).unwrap();
    let kept = on.marks.iter().find(|m| m.dropped.is_none()).unwrap();
    for (w, h) in [(80, 24), (120, 40)] {
        let t = render(&app, w, h);
        let buffer = t.backend().buffer();
        let text = screen_text(&t);
        assert!(text.contains(&format!("本环节得分 {expected}")), "{w}x{h}:\n{text}");
        assert!(
            text.contains("去掉最高") && text.contains("去掉最低"),
            "{w}x{h}:\n{text}"
        );
        for (mark, crossed) in [(high, true), (low, true), (kept, false)] {
            // The box row holds the totals; find the total under its judge's label.
            let (lx, ly) = find(buffer, &mark.judge).unwrap();
            let row = ly + 1;
            let cells: Vec<&ratatui::buffer::Cell> = (lx..lx + 5).map(|x| &buffer[(x, row)]).collect();
            assert_eq!(
                cells.iter().any(|c| c.modifier.contains(Modifier::CROSSED_OUT)),
                crossed,
                "{} at {w}x{h}",
                mark.judge
            );
        }
        let lit = pixels(buffer, view::Look::new(false).pixel);
        assert!(lit > 40, "{w}x{h}: the big digits are drawn ({lit} cells)");
        insta::assert_snapshot!(format!("stage_finished_{w}x{h}"), t.backend());
    }
    // Bigger screens show more: at 120x40 the final gets its own big digits under the round score.
    let small = pixels(render(&app, 80, 24).backend().buffer(), view::Look::new(false).pixel);
    let large = pixels(render(&app, 120, 40).backend().buffer(), view::Look::new(false).pixel);
    assert!(large > small * 3 / 2, "{small} -> {large}");
    // The digits themselves, lit cells as '#' (the screen draws them as coloured blanks).
    insta::assert_snapshot!(
        "stage_finished_pixels_80x24",
        pixel_map(render(&app, 80, 24).backend().buffer())
    );
}

#[test]
fn no_color_uses_reverse_video_and_words_for_the_dropped_marks() {
    let (_dir, _path, store) = demo();
    stage::set(&store, &Actor::Organiser, "JS002", "lesson").unwrap();
    stage::reveal(&store, &Actor::Organiser, true).unwrap();
    let app = Projector::new(&store, Lang::En, true).unwrap();
    let on = app.board.stage.as_ref().unwrap();
    assert!(on.finished, "revealed by the organiser with three judges still out");
    let t = render(&app, 80, 24);
    let text = screen_text(&t);
    // Nine boxes at 80 columns: the short words.
    assert!(text.contains(" high ") && text.contains(" low "), "{text}");
    let wide = screen_text(&render(&app, 120, 40));
    assert!(wide.contains("high out") && wide.contains("low out"), "{wide}");
    assert!(text.contains(&format!(
        "Round score {}",
        round_score_from_tally(&store, "JS002", "lesson")
    )));
    let buffer = t.backend().buffer();
    assert!(
        buffer
            .content()
            .iter()
            .all(|c| c.fg == Color::Reset && c.bg == Color::Reset)
    );
    let reversed_blanks = buffer
        .content()
        .iter()
        .filter(|c| c.symbol() == " " && c.modifier.contains(Modifier::REVERSED))
        .count();
    assert!(reversed_blanks > 40, "{reversed_blanks}");
}

#[test]
fn every_round_in_shows_the_final_equal_to_the_tally() {
    let (_dir, _path, store) = demo();
    let panel: Vec<String> = (1..=6).map(|i| format!("PW0{i}")).collect();
    crate::room::assign_panel(&store, &Actor::Organiser, "家长组", &panel).unwrap();
    stage::set(&store, &Actor::Organiser, "JS013", "story").unwrap();
    let app = Projector::new(&store, Lang::Zh, false).unwrap();
    let on = app.board.stage.as_ref().unwrap();
    let t = crate::cli::compute_tally(&store, None).unwrap();
    let e = t.entry("JS013").unwrap();
    assert_eq!(on.final_score, Some(t.fmt(e.final_score.unwrap())));
    let text = screen_text(&render(&app, 120, 40));
    assert!(
        text.contains(&format!("最终得分 {}", t.fmt(e.final_score.unwrap()))),
        "{text}"
    );
    insta::assert_snapshot!("stage_final_120x40", render(&app, 120, 40).backend());
}

#[test]
fn between_contestants_the_ranking_of_the_group_is_shown() {
    let (_dir, _path, store) = demo();
    let mut app = Projector::new(&store, Lang::Zh, false).unwrap();
    assert_eq!(app.screen(), Screen::Ranking, "nothing on stage");
    let t = crate::cli::compute_tally(&store, None).unwrap();
    let first = t.groups[0].ranked().next().unwrap();
    let t80 = render(&app, 80, 24);
    let text = screen_text(&t80);
    assert!(text.contains("教师组  实时排名"), "{text}");
    let name = store.entry(&first.id).unwrap().unwrap().name;
    let top = text.lines().find(|l| l.contains(&first.id)).unwrap();
    assert!(
        top.contains(&name) && top.contains(&t.fmt(first.final_score.unwrap())),
        "{top}"
    );
    assert!(top.trim_start().starts_with('1'), "{top}");
    insta::assert_snapshot!("ranking_80x24", t80.backend());
    press(&mut app, KeyCode::Right);
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("家长组  实时排名"), "{text}");
    insta::assert_snapshot!("ranking_120x40", render(&app, 120, 40).backend());
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Left);
    assert_eq!(app.board.groups[app.group].group, "社会工作者组");
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit);
}

#[test]
fn the_projector_follows_the_stage_set_by_another_process() {
    let (_dir, path, store) = demo();
    let mut app = Projector::new(&store, Lang::Zh, false).unwrap();
    assert!(app.board.stage.is_none());
    let organiser = Store::open(&path).unwrap();
    stage::set(&organiser, &Actor::Organiser, "JS014", "lesson").unwrap();
    app.tick();
    assert_eq!(app.screen(), Screen::Stage);
    assert_eq!(app.board.stage.as_ref().unwrap().stage.entry, "JS014");
    assert_eq!(
        app.board.groups[app.group].group, "家长组",
        "the ranking follows the stage's group"
    );
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), Screen::Ranking);
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("家长组  实时排名"), "{text}");
    // The highlighted row is the contestant on stage.
    let buffer = render(&app, 80, 24).backend().buffer().clone();
    if let Some((x, y)) = find(&buffer, "JS014") {
        assert_eq!(buffer[(x, y)].bg, Color::Yellow);
    }
    // The next contestant brings the stage back.
    stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
    app.tick();
    assert_eq!(app.screen(), Screen::Stage);
    assert_eq!(app.board.stage.as_ref().unwrap().stage.entry, "JS015");
    // The projector itself never writes: the audit trail has only the organiser's rows.
    let rows = store.audit_log(None, None).unwrap();
    assert!(rows.iter().rev().take(2).all(|r| r.actor == "organiser"));
}

#[test]
fn a_case_selection_shows_the_ranking_per_topic() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::create(&dir.path().join("cases.jury")).unwrap();
    let (file, source) = template_source("cases").unwrap();
    store.init(file, source, None).unwrap();
    let fixtures = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures"));
    import_entries(&store, &read_table(&fixtures.join("cases.csv"), None).unwrap(), false).unwrap();
    import_judges(&store, &read_table(&fixtures.join("judges.csv"), None).unwrap()).unwrap();
    import_scores(&store, &read_table(&fixtures.join("scores-cases.csv"), None).unwrap()).unwrap();
    let mut app = Projector::new(&store, Lang::Zh, false).unwrap();
    assert_eq!(app.screen(), Screen::Ranking);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), Screen::Ranking, "no stage in a case selection");
    let t = crate::cli::compute_tally(&store, None).unwrap();
    for (i, g) in t.groups.iter().enumerate() {
        assert_eq!(app.group, i);
        let text = screen_text(&render(&app, 120, 40));
        assert!(text.contains(&format!("{}  实时排名", g.group)), "{text}");
        if let Some(top) = g.ranked().next() {
            let line = text.lines().find(|l| l.contains(&top.id)).unwrap();
            assert!(line.contains(&t.fmt(top.final_score.unwrap())), "{line}");
        }
        press(&mut app, KeyCode::Right);
    }
    insta::assert_snapshot!("cases_ranking_80x24", render(&app, 80, 24).backend());
}

#[test]
fn big_digits_scale_and_refuse_what_does_not_fit() {
    let style = view::Look::new(false).pixel;
    let small = Rect::new(0, 0, 30, 8);
    let mut buf = Buffer::empty(small);
    assert_eq!(
        view::big_number(&mut buf, small, "85.13", style),
        None,
        "40 columns needed"
    );
    let large = Rect::new(0, 0, 80, 16);
    let mut buf = Buffer::empty(large);
    let drawn = view::big_number(&mut buf, large, "85.13", style).unwrap();
    assert_eq!((drawn.width, drawn.height), (78, 14), "scaled twice");
    assert!(
        buf.content().iter().all(|c| c.symbol() == " "),
        "blank cells only, never a block glyph"
    );
    assert!(pixels(&buf, style) > 100);
}
