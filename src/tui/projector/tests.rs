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
use crate::app::board::load as load_board;
use crate::app::demo::{DEMO_JUDGE, create_demo_workspace};
use crate::app::import::{import_entries, import_judges, import_scores};
use crate::app::judging::JudgeSession;
use crate::app::stage;
use crate::core::rubric::template_source;
use crate::core::tally::Dropped;
use crate::import::read_table;
use crate::store::Actor;
use std::time::{Duration, Instant};

fn demo() -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let dir = tempfile::tempdir().unwrap();
    let path = create_demo_workspace(dir.path()).unwrap();
    let store = Store::open(&path).unwrap();
    (dir, path, store)
}

/// The demo with extra top-level rubric keys (e.g. `reveal = "as-submitted"`).
fn demo_with(keys: &str) -> (tempfile::TempDir, std::path::PathBuf, Store) {
    let (dir, path, store) = demo();
    let source = store.meta("rubric").unwrap().unwrap();
    let changed = source.replacen("groups = [", &format!("{keys}\ngroups = ["), 1);
    assert_ne!(changed, source);
    store.write(|s| s.set_meta("rubric", &changed)).unwrap();
    drop(store);
    let store = Store::open(&path).unwrap();
    (dir, path, store)
}

/// The six demo judges who scored everything as 教师组's panel: every judge is in everywhere.
fn six_judge_panel(store: &Store) {
    let panel: Vec<String> = (1..=6).map(|i| format!("PW0{i}")).collect();
    crate::app::organiser::assign_panel(store, &Actor::Organiser, "教师组", &panel).unwrap();
}

/// The projector on the board read from `store` now.
fn projector(store: &Store, lang: Lang, no_color: bool) -> Projector {
    Projector::new(load_board(store).unwrap(), lang, no_color)
}

/// A tick, its effects run through the runner and their outcomes fed back, as the event loop does.
fn tick(app: &mut Projector, runner: &mut Runner, now: Instant) {
    let effects = app.tick(now);
    crate::tui::runtime::settle(app, runner, effects);
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
            while cx < area.width && crate::core::text::width(&s) < crate::core::text::width(text) {
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
    let t = crate::app::tally::compute_tally(store, None).unwrap();
    let r = t.entry(entry).unwrap().round(round).unwrap();
    t.fmt(r.score.unwrap())
}

fn press(app: &mut Projector, code: KeyCode) {
    app.key(KeyEvent::new(code, KeyModifiers::NONE));
}

#[test]
fn as_submitted_reveals_the_totals_one_by_one_in_submission_order() {
    let (_dir, _path, store) = demo_with("reveal = \"as-submitted\"");
    stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
    let app = projector(&store, Lang::Zh, false);
    let on = app.board.stage.as_ref().unwrap();
    assert_eq!(on.name, "邓涵");
    assert_eq!(on.organization, "靖安县实验小学");
    // Six demo judges are in (imported together: by judge id), three still to come.
    let judges: Vec<&str> = on.marks.iter().map(|m| m.judge.as_str()).collect();
    assert_eq!(judges, ["PW01", "PW02", "PW03", "PW04", "PW05", "PW06"]);
    let waiting: Vec<&str> = on.waiting.iter().map(|w| w.judge.as_str()).collect();
    assert_eq!(waiting, ["PW07", "PW08", "PW09"]);
    assert!(!on.finished);
    assert!(
        on.marks.iter().all(|m| m.dropped.is_none()),
        "nothing is struck before the end"
    );
    assert_eq!(on.round_score, None);
    let t = render(&app, 80, 24);
    let text = screen_text(&t);
    assert!(text.contains("1号   JS001   邓涵"), "{text}");
    assert!(text.contains("已提交 6/9"), "{text}");
    for m in &on.marks {
        let total = m.total.as_deref().unwrap();
        assert!(text.contains(total), "{total} missing:\n{text}");
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
    assert_eq!(on.marks.last().unwrap().total.as_deref(), Some("92.5"));
    let waiting: Vec<&str> = on.waiting.iter().map(|w| w.judge.as_str()).collect();
    assert_eq!(waiting, ["PW08", "PW09"]);
}

#[test]
fn when_every_judge_is_in_the_extremes_are_struck_and_the_score_is_big() {
    let (_dir, _path, store) = demo();
    // The panel is the six judges who scored: everyone eligible is in.
    six_judge_panel(&store);
    stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
    // Every total is up; the result waits for the host.
    let app = projector(&store, Lang::Zh, false);
    let on = app.board.stage.as_ref().unwrap();
    assert!(on.all_in && !on.finished);
    assert!(on.marks.iter().all(|m| m.total.is_some() && m.dropped.is_none()));
    let t = render(&app, 80, 24);
    let text = screen_text(&t);
    assert!(
        text.contains("已提交 6/6") && text.contains("评委已全部提交，等待亮分"),
        "{text}"
    );
    assert!(!text.contains("本环节得分"), "{text}");
    assert_eq!(pixels(t.backend().buffer(), view::Look::new(false).pixel), 0);
    stage::reveal(&store, &Actor::Organiser, true).unwrap();
    let app = projector(&store, Lang::Zh, false);
    let on = app.board.stage.as_ref().unwrap();
    assert!(on.finished);
    assert_eq!(on.provisional, None);
    let expected = round_score_from_tally(&store, "JS001", "lesson");
    assert_eq!(on.round_score.as_deref(), Some(expected.as_str()));
    // The demo's six judges scored every round: the final is there too, as the tally has it.
    let tally_final = crate::app::tally::compute_tally(&store, None).unwrap();
    let e = tally_final.entry("JS001").unwrap();
    assert_eq!(on.final_score, Some(tally_final.fmt(e.final_score.unwrap())));
    let tally = crate::app::tally::compute_tally(&store, None).unwrap();
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
    stage::reveal_provisional(&store, &Actor::Organiser).unwrap();
    let app = projector(&store, Lang::En, true);
    let on = app.board.stage.as_ref().unwrap();
    assert!(on.finished, "revealed by the organiser with three judges still out");
    assert_eq!(on.provisional, Some(3));
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
    crate::app::organiser::assign_panel(&store, &Actor::Organiser, "家长组", &panel).unwrap();
    stage::set(&store, &Actor::Organiser, "JS013", "story").unwrap();
    stage::reveal(&store, &Actor::Organiser, true).unwrap();
    let app = projector(&store, Lang::Zh, false);
    let on = app.board.stage.as_ref().unwrap();
    let t = crate::app::tally::compute_tally(&store, None).unwrap();
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
    let mut app = projector(&store, Lang::Zh, false);
    assert_eq!(app.screen(), Screen::Ranking, "nothing on stage");
    let t = crate::app::tally::compute_tally(&store, None).unwrap();
    let first = t.groups[0].ranked().next().unwrap();
    let t80 = render(&app, 80, 24);
    let text = screen_text(&t80);
    assert!(text.contains("教师组  暂定排名"), "{text}");
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
    assert!(text.contains("家长组  暂定排名"), "{text}");
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
    let mut runner = Runner::new(&store);
    let mut app = Projector::new(runner.first().unwrap(), Lang::Zh, false);
    assert!(app.board.stage.is_none());
    let organiser = Store::open(&path).unwrap();
    stage::set(&organiser, &Actor::Organiser, "JS014", "lesson").unwrap();
    tick(&mut app, &mut runner, Instant::now());
    assert_eq!(app.screen(), Screen::Stage);
    assert_eq!(app.board.stage.as_ref().unwrap().stage.entry, "JS014");
    assert_eq!(
        app.board.groups[app.group].group, "家长组",
        "the ranking follows the stage's group"
    );
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), Screen::Ranking);
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("家长组  暂定排名"), "{text}");
    // The highlighted row is the contestant on stage.
    let buffer = render(&app, 80, 24).backend().buffer().clone();
    if let Some((x, y)) = find(&buffer, "JS014") {
        assert_eq!(buffer[(x, y)].bg, Color::Yellow);
    }
    // The next contestant brings the stage back.
    stage::advance(&organiser, &Actor::Organiser, 1).unwrap();
    tick(&mut app, &mut runner, Instant::now());
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
    let mut app = projector(&store, Lang::Zh, false);
    assert_eq!(app.screen(), Screen::Ranking);
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), Screen::Ranking, "no stage in a case selection");
    let t = crate::app::tally::compute_tally(&store, None).unwrap();
    for (i, g) in t.groups.iter().enumerate() {
        assert_eq!(app.group, i);
        let text = screen_text(&render(&app, 120, 40));
        assert!(text.contains(&format!("{}  暂定排名", g.group)), "{text}");
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

// ---- what the room may see (issue 11, item 6) ----

/// Every character of the buffer that a CJK terminal may draw twice as wide as it is counted.
fn ambiguous(buffer: &Buffer) -> Vec<String> {
    use unicode_width::UnicodeWidthChar;
    buffer
        .content()
        .iter()
        .map(|c| c.symbol())
        .filter(|s| s.chars().any(|ch| ch.width() != ch.width_cjk()))
        .map(str::to_string)
        .collect()
}

#[test]
fn the_totals_stay_blind_until_every_judge_who_may_score_is_in() {
    let (_dir, _path, store) = demo();
    stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
    let app = projector(&store, Lang::Zh, false);
    let on = app.board.stage.as_ref().unwrap();
    // Six of nine are in: no value leaves the store for the room.
    assert_eq!(on.marks.len(), 6);
    assert!(on.marks.iter().all(|m| m.total.is_none()), "{:?}", on.marks);
    assert!(!on.all_in && !on.finished);
    let tally = crate::app::tally::compute_tally(&store, None).unwrap();
    let totals: Vec<String> = tally
        .entry("JS001")
        .unwrap()
        .round("lesson")
        .unwrap()
        .marks
        .iter()
        .map(|m| m.total.to_string())
        .collect();
    assert_eq!(totals.len(), 6);
    for (w, h) in [(80, 24), (120, 40)] {
        let t = render(&app, w, h);
        let text = screen_text(&t);
        assert!(text.contains("已提交 6/9"), "{w}x{h}:\n{text}");
        assert!(text.contains("评分中：PW07、PW08、PW09"), "{w}x{h}:\n{text}");
        assert_eq!(text.matches("已交").count(), 6, "{w}x{h}:\n{text}");
        for total in &totals {
            assert!(!text.contains(total.as_str()), "{total} shown at {w}x{h}:\n{text}");
        }
        assert_eq!(pixels(t.backend().buffer(), view::Look::new(false).pixel), 0);
    }
    insta::assert_snapshot!("stage_blind_80x24", render(&app, 80, 24).backend());
    let en = projector(&store, Lang::En, false);
    let text = screen_text(&render(&en, 80, 24));
    assert!(text.contains("Submitted 6/9"), "{text}");
    assert!(text.contains("Still scoring: PW07, PW08, PW09"), "{text}");
    // Nor does the ranking give it away: the round on stage counts only once it is shown (JS001
    // has every round in the demo, so its final would move).
    assert!(app.board.groups[0].ranked.iter().all(|s| s.id != "JS001"));
    assert_eq!(app.board.groups[0].pending, 1);
    stage::reveal_provisional(&store, &Actor::Organiser).unwrap();
    let board = load_board(&store).unwrap();
    let tally = crate::app::tally::compute_tally(&store, None).unwrap();
    let js001 = board.groups[0].ranked.iter().find(|s| s.id == "JS001").unwrap();
    assert_eq!(
        js001.final_score,
        tally.fmt(tally.entry("JS001").unwrap().final_score.unwrap())
    );
    stage::reveal(&store, &Actor::Organiser, false).unwrap();

    // The three others submit (logged in or not, they count): the totals are up, the result
    // still waits for the host's reveal.
    for judge in ["PW07", "PW08", "PW09"] {
        let session = JudgeSession::trusted(&store, judge).unwrap();
        for (c, v) in [
            ("content", "25"),
            ("method", "25"),
            ("expression", "15"),
            ("effect", "15"),
        ] {
            session.set_score("JS001", "lesson", c, v).unwrap();
        }
        session.submit("JS001", "lesson").unwrap();
    }
    let board = load_board(&store).unwrap();
    let on = board.stage.unwrap();
    assert!(on.all_in && !on.finished);
    assert!(on.marks.iter().all(|m| m.total.is_some()));
}

#[test]
fn numbered_names_hide_the_judges_ids_in_both_languages() {
    let (_dir, _path, store) = demo_with("projector_names = \"numbered\"");
    stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
    let app = projector(&store, Lang::Zh, false);
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("评委1") && text.contains("评委6"), "{text}");
    assert!(text.contains("评分中：评委7、评委8、评委9"), "{text}");
    assert!(!text.contains("PW0"), "{text}");
    let app = projector(&store, Lang::En, false);
    let text = screen_text(&render(&app, 120, 40));
    assert!(text.contains("Still scoring: Judge 7, Judge 8, Judge 9"), "{text}");
    assert!(text.contains("Judge 1"), "{text}");
    assert!(!text.contains("PW0"), "{text}");
}

#[test]
fn a_provisional_reveal_is_labelled_with_the_judges_still_missing() {
    let (_dir, _path, store) = demo();
    stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
    stage::reveal_provisional(&store, &Actor::Organiser).unwrap();
    let app = projector(&store, Lang::Zh, false);
    let on = app.board.stage.as_ref().unwrap();
    assert!(on.finished);
    assert_eq!(on.provisional, Some(3));
    assert!(on.marks.iter().all(|m| m.total.is_some()), "the host showed what is in");
    let expected = round_score_from_tally(&store, "JS001", "lesson");
    let t = render(&app, 80, 24);
    let text = screen_text(&t);
    assert!(
        text.contains(&format!("暂定（尚缺 3 位评委）    本环节得分 {expected}")),
        "{text}"
    );
    assert!(pixels(t.backend().buffer(), view::Look::new(false).pixel) > 40);
    let en = projector(&store, Lang::En, false);
    let text = screen_text(&render(&en, 120, 40));
    assert!(
        text.contains(&format!("Provisional (3 judges missing)    Round score {expected}")),
        "{text}"
    );
}

#[test]
fn a_sheet_reopened_after_the_reveal_marks_the_contestant_changing_until_resubmitted() {
    let (_dir, _path, store) = demo();
    six_judge_panel(&store);
    stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
    stage::reveal(&store, &Actor::Organiser, true).unwrap();
    crate::app::organiser::reopen(&store, &Actor::Organiser, "PW03", "JS001", "lesson", "评委误填").unwrap();
    let mut app = projector(&store, Lang::Zh, false);
    let on = app.board.stage.as_ref().unwrap();
    assert!(on.changing && !on.finished);
    assert_eq!(
        on.waiting
            .iter()
            .map(|w| (w.judge.as_str(), w.reopened))
            .collect::<Vec<_>>(),
        [("PW03", true)]
    );
    let t = render(&app, 80, 24);
    let text = screen_text(&t);
    assert!(text.contains("修改中：评委正在修改评分，结果稍后公布"), "{text}");
    assert!(!text.contains("本环节得分"), "{text}");
    assert_eq!(pixels(t.backend().buffer(), view::Look::new(false).pixel), 0);
    insta::assert_snapshot!("stage_changing_80x24", t.backend());
    // On the ranking too.
    press(&mut app, KeyCode::Tab);
    let text = screen_text(&render(&app, 80, 24));
    let row = text.lines().find(|l| l.contains("JS001")).unwrap();
    assert!(row.trim_end().ends_with("修改中"), "{row}");
    let en = projector(&store, Lang::En, false);
    assert!(screen_text(&render(&en, 80, 24)).contains("Being corrected"));
    // Before a reveal a reopened judge is simply scoring again.
    stage::reveal(&store, &Actor::Organiser, false).unwrap();
    let board = load_board(&store).unwrap();
    let on = board.stage.as_ref().unwrap();
    assert!(!on.changing && !on.finished && !on.waiting[0].reopened);
    let text = screen_text(&render(&projector(&store, Lang::Zh, false), 80, 24));
    assert!(text.contains("评分中：PW03") && !text.contains("修改中"), "{text}");
    stage::reveal_provisional(&store, &Actor::Organiser).unwrap();
    assert!(load_board(&store).unwrap().stage.unwrap().changing);
    // Submitted again: the mark goes, the result is back.
    JudgeSession::trusted(&store, "PW03")
        .unwrap()
        .submit("JS001", "lesson")
        .unwrap();
    let board = load_board(&store).unwrap();
    let on = board.stage.as_ref().unwrap();
    assert!(!on.changing && on.finished);
    assert!(board.groups.iter().flat_map(|g| &g.ranked).all(|s| !s.changing));
}

#[test]
fn award_tiers_wait_for_a_complete_group() {
    let (_dir, _path, store) = demo();
    let app = projector(&store, Lang::Zh, false);
    assert!(!app.board.groups[0].complete);
    assert!(app.board.groups[0].ranked.iter().all(|s| s.award.is_none()));
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("教师组  暂定排名"), "{text}");
    assert!(!text.contains("等奖"), "{text}");
    let en = projector(&store, Lang::En, false);
    assert!(screen_text(&render(&en, 80, 24)).contains("教师组  Provisional standings"));
    // Everyone who may score 教师组 has submitted everything: the tiers, as the tally has them.
    six_judge_panel(&store);
    let app = projector(&store, Lang::Zh, false);
    assert!(app.board.groups[0].complete);
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("教师组  实时排名"), "{text}");
    let t = crate::app::tally::compute_tally(&store, None).unwrap();
    let first = t.groups[0].ranked().next().unwrap();
    let top = text.lines().find(|l| l.contains(&first.id)).unwrap();
    assert!(top.contains(first.award.as_deref().unwrap()), "{top}");
    insta::assert_snapshot!("ranking_complete_80x24", render(&app, 80, 24).backend());
}

/// The case fixture: about forty cases per topic, more than one screen holds.
fn cases_store(dir: &tempfile::TempDir) -> Store {
    let store = Store::create(&dir.path().join("cases.jury")).unwrap();
    let (file, source) = template_source("cases").unwrap();
    store.init(file, source, None).unwrap();
    let fixtures = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures"));
    import_entries(&store, &read_table(&fixtures.join("cases.csv"), None).unwrap(), false).unwrap();
    import_judges(&store, &read_table(&fixtures.join("judges.csv"), None).unwrap()).unwrap();
    import_scores(&store, &read_table(&fixtures.join("scores-cases.csv"), None).unwrap()).unwrap();
    store
}

#[test]
fn a_long_ranking_pages_by_itself_on_the_clock_and_by_hand() {
    let dir = tempfile::tempdir().unwrap();
    let store = cases_store(&dir);
    let mut app = projector(&store, Lang::Zh, false);
    let ranked = app.board.groups[0].ranked.clone();
    let group = app.board.groups[0].group.clone();
    assert!(ranked.len() > 30, "{}", ranked.len());
    let first_shown = |app: &Projector| -> String {
        let text = screen_text(&render(app, 80, 24));
        let line = text
            .lines()
            .find(|l| ranked.iter().any(|s| l.contains(&s.id)))
            .unwrap_or_else(|| panic!("{text}"));
        ranked.iter().find(|s| line.contains(&s.id)).unwrap().id.clone()
    };
    let text = screen_text(&render(&app, 80, 24));
    let per_page = text
        .lines()
        .filter(|l| ranked.iter().any(|s| l.contains(&s.id)))
        .count();
    assert!((10..=17).contains(&per_page), "{per_page}:\n{text}");
    let pages = ranked.len().div_ceil(per_page);
    assert!(pages >= 3, "{pages}");
    assert!(text.contains(&format!("{group}  暂定排名  第 1/{pages} 页")), "{text}");
    assert!(text.contains("PgUp/PgDn 翻页"), "{text}");
    assert_eq!(first_shown(&app), ranked[0].id);
    // The clock: the first tick starts it, the page turns after 8 seconds, not before.
    let t0 = Instant::now();
    app.tick(t0);
    app.tick(t0 + Duration::from_millis(7_900));
    assert_eq!(first_shown(&app), ranked[0].id);
    app.tick(t0 + Duration::from_secs(8));
    assert_eq!(first_shown(&app), ranked[per_page].id);
    assert!(screen_text(&render(&app, 80, 24)).contains(&format!("第 2/{pages} 页")));
    // By hand: PgDn, PgUp (from the first page to the last), and the clock starts again.
    press(&mut app, KeyCode::PageUp);
    press(&mut app, KeyCode::PageUp);
    assert!(screen_text(&render(&app, 80, 24)).contains(&format!("第 {pages}/{pages} 页")));
    app.tick(t0 + Duration::from_secs(9));
    app.tick(t0 + Duration::from_secs(16));
    assert!(
        screen_text(&render(&app, 80, 24)).contains(&format!("第 {pages}/{pages} 页")),
        "a full period after the key"
    );
    app.tick(t0 + Duration::from_secs(17));
    assert_eq!(first_shown(&app), ranked[0].id, "after the last page the first");
    press(&mut app, KeyCode::PageDown);
    assert_eq!(first_shown(&app), ranked[per_page].id);
    insta::assert_snapshot!("cases_ranking_page_2_80x24", render(&app, 80, 24).backend());
    // Another group starts on its first page; at 120x40 fewer pages.
    press(&mut app, KeyCode::Right);
    assert_eq!(app.group, 1);
    assert!(screen_text(&render(&app, 80, 24)).contains("第 1/"));
    let en = projector(&store, Lang::En, false);
    let text = screen_text(&render(&en, 80, 24));
    assert!(
        text.contains(&format!("page 1/{pages}")) && text.contains("PgUp/PgDn page"),
        "{text}"
    );
    // Only by hand when told so.
    let mut manual = projector(&store, Lang::Zh, false);
    manual.page_every = None;
    manual.tick(t0);
    manual.tick(t0 + Duration::from_secs(60));
    assert_eq!(first_shown(&manual), ranked[0].id);
}

#[test]
fn no_ambiguous_width_character_reaches_the_projector() {
    let (_dir, _path, store) = demo();
    let mut buffers = Vec::new();
    let mut shoot = |store: &Store| {
        for lang in [Lang::Zh, Lang::En] {
            let mut app = projector(store, lang, false);
            for (w, h) in [(80, 24), (120, 40)] {
                buffers.push(render(&app, w, h).backend().buffer().clone());
            }
            press(&mut app, KeyCode::Tab);
            buffers.push(render(&app, 80, 24).backend().buffer().clone());
        }
    };
    stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
    shoot(&store); // blind
    stage::reveal_provisional(&store, &Actor::Organiser).unwrap();
    shoot(&store); // provisional
    six_judge_panel(&store);
    stage::set(&store, &Actor::Organiser, "JS001", "lesson").unwrap();
    shoot(&store); // all in
    stage::reveal(&store, &Actor::Organiser, true).unwrap();
    shoot(&store); // finished, complete ranking
    crate::app::organiser::reopen(&store, &Actor::Organiser, "PW03", "JS001", "lesson", "评委误填").unwrap();
    shoot(&store); // changing
    for b in &buffers {
        assert_eq!(ambiguous(b), Vec::<String>::new(), "\n{}", lines(b).join("\n"));
    }
    // The words themselves, in both languages.
    for lang in [Lang::Zh, Lang::En] {
        let w = view::words(lang);
        let all = [
            (w.judge_n)(7),
            w.submitted_box.into(),
            (w.still_scoring)("x"),
            w.list_separator.into(),
            w.all_in.into(),
            (w.provisional)(2),
            w.changing.into(),
            w.changing_line.into(),
            w.provisional_ranking.into(),
            (w.page)(1, 3),
            w.keys_ranking.into(),
            w.keys_stage.into(),
            (w.judges_in)(5, 7),
        ];
        for s in all {
            assert!(
                s.chars().all(|c| {
                    use unicode_width::UnicodeWidthChar;
                    c.width() == c.width_cjk()
                }),
                "{s}"
            );
        }
    }
}

// ---- the state machine with plain boards: no workspace, no terminal ----

fn plain_standings(group: &str, n: usize) -> GroupStandings {
    GroupStandings {
        group: group.into(),
        ranked: (1..=n)
            .map(|i| Standing {
                rank: i as u32,
                id: format!("X{i:03}"),
                label: format!("选手{i}"),
                organization: "实验小学".into(),
                final_score: format!("{}.50", 95 - i.min(90)),
                award: None,
                changing: false,
            })
            .collect(),
        pending: 0,
        complete: false,
    }
}

/// Two groups: 甲组 with forty entries (several pages at 80x24), 乙组 with three.
fn plain_board(stage: Option<OnStage>) -> Board {
    Board {
        contest: "测试赛".into(),
        kind: crate::core::Kind::Competition,
        stage,
        groups: vec![plain_standings("甲组", 40), plain_standings("乙组", 3)],
        names: crate::core::rubric::ProjectorNames::Ids,
    }
}

/// `entry` of 乙组 on stage, three judges in; its result revealed or not.
fn plain_stage(entry: &str, revealed: bool) -> OnStage {
    let marks = (1..=3)
        .map(|i| ShownMark {
            judge: format!("PW0{i}"),
            number: i,
            total: Some(format!("{}", 85 + i)),
            dropped: None,
        })
        .collect();
    OnStage {
        stage: stage::Stage {
            group: "乙组".into(),
            entry: entry.into(),
            round: "lesson".into(),
            revealed,
        },
        name: "邓涵".into(),
        title: String::new(),
        organization: "实验小学".into(),
        order: Some(1),
        round_name: "说课".into(),
        round_number: 1,
        rounds: 1,
        marks,
        waiting: Vec::new(),
        all_in: true,
        finished: revealed,
        provisional: None,
        changing: false,
        round_score: revealed.then(|| "87.00".into()),
        final_score: None,
        shortfall: None,
        calibration: false,
    }
}

#[test]
fn every_tick_asks_for_the_board_the_first_included() {
    let mut app = Projector::new(plain_board(None), Lang::Zh, false);
    let t0 = Instant::now();
    assert_eq!(app.tick(t0), vec![Effect::Reload]);
    assert_eq!(
        crate::tui::runtime::Screen::on_tick(&mut app, t0 + Duration::from_millis(500)),
        vec![Effect::Reload]
    );
    // Keys and outcomes ask for nothing.
    assert_eq!(
        crate::tui::runtime::Screen::on_event(&mut app, Event::Key(KeyEvent::from(KeyCode::Right))),
        vec![]
    );
    assert_eq!(
        crate::tui::runtime::Screen::on_outcome(&mut app, Outcome::Unchanged),
        vec![]
    );
    assert_eq!(app.group, 1);
}

#[test]
fn a_tick_after_page_every_turns_the_page() {
    let mut app = Projector::new(plain_board(None), Lang::Zh, false);
    app.page_every = Some(Duration::from_secs(5));
    assert_eq!(app.screen(), Screen::Ranking);
    let first_page = screen_text(&render(&app, 80, 24));
    assert!(first_page.contains("甲组  暂定排名  第 1/"), "{first_page}");
    assert!(first_page.contains("X001"), "{first_page}");
    let t0 = Instant::now();
    app.tick(t0);
    app.tick(t0 + Duration::from_millis(4_900));
    assert_eq!(app.page, 0, "not before the period is over");
    app.tick(t0 + Duration::from_secs(5));
    assert_eq!(app.page, 1);
    let second = screen_text(&render(&app, 80, 24));
    assert!(second.contains("第 2/"), "{second}");
    assert!(!second.contains("X001"), "{second}");
    // The next period counts from the turn.
    app.tick(t0 + Duration::from_secs(9));
    assert_eq!(app.page, 1);
    app.tick(t0 + Duration::from_secs(10));
    assert_eq!(app.page, 2);
    // The stage screen does not page.
    app.outcome(Outcome::Board(Box::new(plain_board(Some(plain_stage("X002", false))))));
    assert_eq!(app.screen(), Screen::Stage);
    let page = app.page;
    app.tick(t0 + Duration::from_secs(60));
    app.tick(t0 + Duration::from_secs(120));
    assert_eq!(app.page, page);
}

#[test]
fn a_new_board_with_a_reveal_switches_the_screen() {
    let mut app = Projector::new(plain_board(None), Lang::Zh, false);
    assert_eq!((app.screen(), app.group), (Screen::Ranking, 0));
    // The host sets a contestant of 乙组 on stage and reveals: the stage, with the round score.
    app.outcome(Outcome::Board(Box::new(plain_board(Some(plain_stage("X002", true))))));
    assert_eq!(app.screen(), Screen::Stage);
    assert_eq!(app.group, 1, "the ranking follows the stage's group");
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("本环节得分 87.00"), "{text}");
    assert!(text.contains("邓涵"), "{text}");
    // The operator looks at the ranking; nothing new keeps it there.
    press(&mut app, KeyCode::Tab);
    assert_eq!(app.screen(), Screen::Ranking);
    app.outcome(Outcome::Unchanged);
    assert_eq!(app.screen(), Screen::Ranking);
    // A failed read is shown in the footer and the board stays; the next board clears it.
    // In the projector's language (issue 17), from the typed error, not its English.
    app.outcome(Outcome::Failed(
        crate::Error::Busy {
            path: "room.jury".into(),
            waited_secs: 5,
        }
        .into(),
    ));
    let text = screen_text(&render(&app, 80, 24));
    assert!(text.contains("另一个 jury 进程正在写入 room.jury"), "{text}");
    assert!(!text.contains("another jury process"), "{text}");
    assert!(text.contains("乙组  暂定排名"), "{text}");
    // The next contestant brings the stage back.
    app.outcome(Outcome::Board(Box::new(plain_board(Some(plain_stage("X003", false))))));
    assert_eq!(app.screen(), Screen::Stage);
    assert_eq!(app.problem, None);
    let text = screen_text(&render(&app, 80, 24));
    assert!(!text.contains("本环节得分"), "{text}");
}

/// Boards handed out in turn, one per reload; then nothing new.
struct Boards(std::collections::VecDeque<Board>, usize);

impl Effects<Projector> for Boards {
    fn run(&mut self, effect: Effect) -> Outcome {
        assert_eq!(effect, Effect::Reload);
        self.1 += 1;
        match self.0.pop_front() {
            Some(board) => Outcome::Board(Box::new(board)),
            None => Outcome::Unchanged,
        }
    }
}

#[test]
fn the_event_loop_runs_the_projector_on_a_test_backend() {
    use crate::tui::runtime::{ScriptedEvents, run};
    let mut app = Projector::new(plain_board(None), Lang::Zh, false);
    let mut boards = Boards(vec![plain_board(Some(plain_stage("X002", true)))].into(), 0);
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).unwrap();
    let key = |code| Event::Key(KeyEvent::from(code));
    let mut events = ScriptedEvents(vec![key(KeyCode::Tab), key(KeyCode::Char('q'))].into());
    run(&mut terminal, &mut events, &mut app, &mut boards).unwrap();
    assert!(app.quit);
    assert!(boards.1 >= 1, "the first tick reloaded");
    assert_eq!(app.board.stage.as_ref().unwrap().stage.entry, "X002");
    // The first tick's board was drawn, then Tab turned to the ranking of the stage's group.
    let text = screen_text(&terminal);
    assert!(text.contains("乙组  暂定排名"), "{text}");
}
