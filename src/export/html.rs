//! Print-ready HTML: ranked results per group and each judge's score sheet (评分表).
//!
//! One self-contained file: inline CSS, no scripts, no web fonts, nothing fetched. A4 portrait;
//! every group (and every judge's sheet) starts on a new page; table headers repeat on each page;
//! page numbers and the fingerprint sit in the page margins (CSS `@page` margin boxes, which
//! Chromium draws since version 131; the fingerprint is also printed under each heading, so paper
//! from a browser without margin boxes still carries it). All text is escaped.

use std::fmt::Write;

use crate::core::tally::{Dropped, EntryResult, GroupTally};
use crate::core::{Points, Rubric};

use super::output::{percent, step_decimals};
use super::sheets::SheetPage;
use super::snapshot::Snapshot;

/// Fonts that carry Chinese on Windows, macOS and common Linux installs, before the generic one.
pub const CJK_FONT_STACK: &str = "\"Microsoft YaHei\", \"PingFang SC\", \"Hiragino Sans GB\", \"Noto Sans CJK SC\", \
     \"Source Han Sans SC\", \"WenQuanYi Micro Hei\", \"Noto Sans SC\", SimSun, sans-serif";

/// Text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Text inside a CSS string in a `<style>` element: quotes and backslashes escaped, `<` and `>`
/// as CSS escapes so the text cannot close the element, line breaks as spaces.
pub fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '<' => out.push_str("\\3c "),
            '>' => out.push_str("\\3e "),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A collapsed table's outer borders lie half outside it: a table as wide as the page's content
/// had the outer half of its right border clipped (fainter than the left). The table is inset
/// by 0.5pt on both sides (more than half the cells' 0.5pt border), so both edges print whole.
const BASE_CSS: &str = r#"
html { font-family: FONTS; font-size: 10pt; color: #000; background: #fff; }
body { margin: 0; }
h1 { font-size: 15pt; margin: 0 0 2mm 0; text-align: center; }
h2 { font-size: 13pt; margin: 0 0 2mm 0; text-align: center; }
h3 { font-size: 11pt; margin: 4mm 0 1.5mm 0; break-after: avoid; }
p { margin: 1mm 0; }
.meta { font-size: 9pt; text-align: center; }
.meta code, .fingerprint { white-space: nowrap; font-family: "DejaVu Sans Mono", Consolas, Menlo, monospace; font-size: 8.5pt; }
.rules { font-size: 9pt; border: 0.5pt solid #888; padding: 1.5mm 2mm; margin: 2mm 0 3mm 0; }
.page { break-before: page; }
.page:first-of-type { break-before: auto; }
table { border-collapse: collapse; width: calc(100% - 1pt); margin: 1mm 0.5pt 2mm 0.5pt; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
th, td { border: 0.5pt solid #444; padding: 1mm 1.5mm; vertical-align: top; }
th { background: #eee; font-weight: bold; text-align: center; white-space: nowrap; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.id { white-space: nowrap; }
tbody.entry { break-inside: avoid; }
tr.marks td { font-size: 8pt; color: #222; border-top: 0.25pt dotted #999; }
tr.main td { border-bottom: none; }
.dropped { text-decoration: line-through; }
.flag { font-weight: bold; }
.legend { font-size: 8.5pt; }
.signatures { break-inside: avoid; margin-top: 8mm; font-size: 10.5pt; }
.signatures .line { display: inline-block; min-width: 38mm; border-bottom: 0.75pt solid #000; }
.signatures .who { display: inline-block; width: 49%; margin: 0 0 6mm 0; white-space: nowrap; }
.signatures .who .line { min-width: 30mm; }
.signatures p { margin: 0 0 6mm 0; }
.empty { color: #555; }
@media screen { body { max-width: 190mm; margin: 8mm auto; } .page { border-top: 1px dashed #aaa; padding-top: 6mm; margin-top: 6mm; } }
"#;

/// The document around the pages: `<head>` with the page setup, then `body`.
pub(crate) fn document(title: &str, contest: &str, fingerprint: &str, body: &str) -> String {
    let page = format!(
        "@page {{ size: A4 portrait; margin: 14mm 12mm 16mm 12mm;\n  \
         @top-center {{ content: {contest}; font-size: 8pt; color: #444; }}\n  \
         @bottom-left {{ content: {fp}; font-size: 7.5pt; color: #444; }}\n  \
         @bottom-right {{ content: \"第 \" counter(page) \" 页 / 共 \" counter(pages) \" 页\"; font-size: 8pt; }}\n}}",
        contest = css_string(contest),
        fp = css_string(&format!("数据指纹 {fingerprint}")),
    );
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"generator\" content=\"jury\">\n<meta name=\"fingerprint\" content=\"{fp}\">\n\
         <title>{title}</title>\n<style>\n{page}\n{css}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        fp = escape(fingerprint),
        title = escape(title),
        css = BASE_CSS.replace("FONTS", CJK_FONT_STACK),
    )
}

/// The rubric in words: rounds with weights, the aggregation rule, rounding.
fn rules_summary(rubric: &Rubric, decimals: u32, public: bool) -> String {
    let rounds: Vec<String> = rubric
        .rounds
        .iter()
        .map(|r| {
            format!(
                "{}（权重 {}%，满分 {}）",
                escape(&r.name),
                percent(r.weight),
                r.max_total()
            )
        })
        .collect();
    let mut text = format!(
        "评分规则：{}。每轮得分：{}。",
        rounds.join("、"),
        escape(&rubric.rule_in_words_zh())
    );
    if rubric.rounds.len() > 1 {
        text.push_str("最终得分为各轮得分乘以权重之和。");
    }
    write!(text, "结果保留 {decimals} 位小数（四舍五入）。").ok();
    if rubric.min_judges > 0 {
        write!(text, "每轮至少 {} 位评委评分方可排名。", rubric.min_judges).ok();
    }
    if let Some(dev) = rubric.deviation.filter(|_| !public) {
        write!(text, "评委总分与该轮中位数相差超过 {dev} 分者标注“分差过大”。").ok();
    }
    text
}

fn fmt_opt(value: Option<String>) -> String {
    value.map(|v| escape(&v)).unwrap_or_else(|| "—".into())
}

/// Each judge's totals of one entry, dropped marks struck through, flagged ones marked.
fn marks_line(snapshot: &Snapshot, entry: &EntryResult) -> String {
    let mut parts = Vec::new();
    for (result, round) in entry.rounds.iter().zip(&snapshot.rubric.rounds) {
        if result.marks.is_empty() {
            continue;
        }
        let marks: Vec<String> = result
            .marks
            .iter()
            .map(|m| {
                let text = format!("{} {}", escape(&m.judge), m.total);
                let mut cell = match m.dropped {
                    Some(Dropped::High) => format!("<span class=\"dropped\">{text}</span>（高）"),
                    Some(Dropped::Low) => format!("<span class=\"dropped\">{text}</span>（低）"),
                    None => text,
                };
                if m.flagged {
                    cell.push_str("<span class=\"flag\">［分差过大］</span>");
                }
                cell
            })
            .collect();
        let label = if snapshot.rubric.rounds.len() > 1 {
            format!("{}：", escape(&round.name))
        } else {
            "评委总分：".into()
        };
        parts.push(format!("{label}{}", marks.join("　")));
    }
    parts.join("<br>")
}

/// The judges to sign for a group: those whose marks appear in it, else every judge.
fn signing_judges<'a>(snapshot: &'a Snapshot, group: &GroupTally) -> Vec<&'a crate::core::Judge> {
    let scored: std::collections::HashSet<&str> = group
        .entries
        .iter()
        .flat_map(|e| e.rounds.iter().flat_map(|r| r.marks.iter().map(|m| &*m.judge)))
        .collect();
    let some: Vec<&crate::core::Judge> = snapshot
        .judges
        .iter()
        .filter(|j| scored.contains(j.id.as_str()))
        .collect();
    if some.is_empty() {
        snapshot.judges.iter().collect()
    } else {
        some
    }
}

fn signatures(judges: &[&crate::core::Judge]) -> String {
    let mut out = String::from("<div class=\"signatures\">\n");
    out.push_str("<p>评审组长签字：<span class=\"line\">&nbsp;</span></p>\n<p>");
    for j in judges {
        write!(
            out,
            "<span class=\"who\">评委签字（{} {}）：<span class=\"line\">&nbsp;</span></span>",
            escape(&j.id),
            escape(&j.name)
        )
        .ok();
    }
    out.push_str("</p>\n<p>日期：<span class=\"line\">&nbsp;</span></p>\n</div>\n");
    out
}

fn page_header(snapshot: &Snapshot, subtitle: &str, extra: &str) -> String {
    format!(
        "<h1>{}</h1>\n<h2>{}</h2>\n<p class=\"meta\">{extra}生成时间：{}　数据指纹：<code class=\"fingerprint\">{}</code></p>\n",
        escape(&snapshot.tally.contest),
        subtitle,
        escape(&snapshot.made_at),
        escape(&snapshot.fingerprint.to_string()),
    )
}

/// How many ranked entries stay on the page with the signatures (`break-inside: avoid` on the
/// closing part of the table holding them and the signature block).
const ROWS_WITH_SIGNATURES: usize = 2;

/// More columns than this (the note included) and the results print on A4 landscape.
pub const PORTRAIT_COLUMNS: usize = 8;

/// The faint diagonal mark across every page of provisional results.
fn watermark_css(page_height_mm: u32) -> String {
    // A fixed-position element is repeated on every printed page (Chromium, Firefox).
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='600' height='600'><text x='300' y='300' \
         text-anchor='middle' dominant-baseline='middle' transform='rotate(-35 300 300)' font-size='64' \
         fill='rgba(0,0,0,0.09)' font-family='{}'>{}</text></svg>",
        CJK_FONT_STACK.replace('"', ""),
        crate::core::standing::PROVISIONAL_ZH
    );
    let uri: String = svg
        .chars()
        .map(|c| match c {
            '<' => "%3C".to_string(),
            '>' => "%3E".to_string(),
            '#' => "%23".to_string(),
            '"' => "%22".to_string(),
            ' ' => "%20".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!(
        ".watermark {{ position: fixed; top: 0; left: 0; right: 0; bottom: 0; z-index: -1; pointer-events: none; \
         display: flex; align-items: center; justify-content: center; }}\n\
         .watermark span {{ transform: rotate(-35deg); font-size: 48pt; font-weight: bold; color: rgba(0,0,0,0.08); \
         white-space: nowrap; }}\n\
         section.provisional-only {{ background-image: url(\"data:image/svg+xml,{uri}\"); background-repeat: repeat-y; \
         background-size: 100% {page_height_mm}mm; background-position: center top; }}\n\
         @media print {{ .watermark, section.provisional-only {{ -webkit-print-color-adjust: exact; print-color-adjust: exact; }} }}\n"
    )
}

const RESULTS_CSS: &str = r#"
h2 .standing { display: block; font-size: 11pt; margin-top: 1mm; }
h2 .standing.provisional { color: #a00; }
tr.caption th { background: #fff; border: none; font-size: 9pt; font-weight: normal; text-align: left; padding: 0 0 1mm 0; }
tbody.closing { break-inside: avoid; }
tbody.closing tr.notes td { border: none; padding: 2mm 0 0 0; }
.publicity { font-size: 10.5pt; border: 0.75pt solid #000; padding: 2mm 3mm; margin: 4mm 0 0 0; }
"#;

/// The ranked results, one page (or more) per group: every page names its group (the table's
/// header, repeated, carries the group's title and standing), provisional results carry
/// `暂定结果（未锁定）` in the heading and faintly across every page, and the signatures stay
/// with the last rows of their table.
pub fn results_html(snapshot: &Snapshot) -> String {
    let tally = &snapshot.tally;
    let rubric = &snapshot.rubric;
    let d = tally.decimals;
    let public = snapshot.public;
    let cols = super::results_columns::columns(snapshot);
    let all_provisional = tally.groups.iter().all(|g| !snapshot.standing(&g.group).is_final());
    let mut body = String::new();
    if !tally.groups.is_empty() && all_provisional {
        writeln!(
            body,
            "<div class=\"watermark\" aria-hidden=\"true\"><span>{}</span></div>",
            crate::core::standing::PROVISIONAL_ZH
        )
        .ok();
    }
    for group in &tally.groups {
        let standing = snapshot.standing(&group.group);
        // In a document mixing final and provisional groups, the fixed mark would cross the
        // final pages too: the provisional sections carry it as their background instead.
        let class = if !standing.is_final() && !all_provisional {
            "page group provisional-only"
        } else {
            "page group"
        };
        writeln!(body, "<section class=\"{class}\">").ok();
        let standing_class = if standing.is_final() { "final" } else { "provisional" };
        body.push_str(&page_header(
            snapshot,
            &format!(
                "{} {}<span class=\"standing {standing_class}\">{}</span>",
                escape(&group.group),
                escape(&snapshot.results_title()),
                escape(&standing.heading_zh())
            ),
            if public { "公示稿　" } else { "" },
        ));
        writeln!(body, "<div class=\"rules\">{}</div>", rules_summary(rubric, d, public)).ok();
        let columns = cols.len() + 1;
        writeln!(
            body,
            "<table class=\"results\">\n<thead><tr class=\"caption\"><th colspan=\"{columns}\">{}</th></tr>",
            escape(&super::results_columns::group_title(snapshot, &group.group))
        )
        .ok();
        body.push_str("<tr>");
        for c in &cols {
            let text = escape(&c.header(snapshot)).replace('\n', "<br>");
            if c.numeric() {
                write!(body, "<th class=\"num\">{text}</th>").ok();
            } else {
                write!(body, "<th>{text}</th>").ok();
            }
        }
        body.push_str("<th>备注</th></tr></thead>\n");
        let ranked: Vec<&EntryResult> = group.ranked().collect();
        let closing_from = ranked.len().saturating_sub(ROWS_WITH_SIGNATURES);
        for (i, e) in ranked.iter().enumerate() {
            if i == closing_from {
                body.push_str("<tbody class=\"closing\">\n");
            }
            if i < closing_from {
                body.push_str("<tbody class=\"entry\">");
            }
            // The panel's copy has a marks row under each entry; the main row leaves its bottom
            // border to it.
            let main = if public { "" } else { " class=\"main\"" };
            write!(body, "<tr{main} id=\"{}\">", escape(&e.id)).ok();
            for c in &cols {
                let text = fmt_opt(c.value(snapshot, e));
                match c {
                    super::results_columns::Column::Final => write!(body, "<td class=\"num\"><b>{text}</b></td>"),
                    super::results_columns::Column::Id => write!(body, "<td class=\"id\">{text}</td>"),
                    c if c.numeric() => write!(body, "<td class=\"num\">{text}</td>"),
                    _ => write!(body, "<td>{}</td>", if text == "—" { String::new() } else { text }),
                }
                .ok();
            }
            let note = super::results_columns::note(snapshot, e);
            if note.is_empty() {
                body.push_str("<td></td></tr>\n");
            } else {
                writeln!(body, "<td><span class=\"flag\">{}</span></td></tr>", escape(&note)).ok();
            }
            if !public {
                writeln!(
                    body,
                    "<tr class=\"marks\"><td></td><td colspan=\"{}\">{}</td></tr>",
                    columns - 1,
                    marks_line(snapshot, e)
                )
                .ok();
            }
            if i < closing_from {
                body.push_str("</tbody>\n");
            }
        }
        if ranked.is_empty() {
            body.push_str("<tbody class=\"closing\">\n");
            writeln!(
                body,
                "<tr><td colspan=\"{columns}\" class=\"empty\">本组尚无完成评分的作品。</td></tr>",
            )
            .ok();
        }
        // The closing part: the last rows, then the notes and the signatures, kept together.
        write!(body, "<tr class=\"notes\"><td colspan=\"{columns}\">").ok();
        if !public {
            body.push_str(
                "<p class=\"legend\">说明：每项下方列出各评委的总分；带删除线并注明（高）（低）的是按规则去掉的最高分、最低分，\
                 不计入该轮得分；［分差过大］表示该评委总分与该轮评委总分中位数的差超过规定分差。</p>\n",
            );
        }
        let incomplete: Vec<&EntryResult> = group.incomplete().collect();
        if !incomplete.is_empty() {
            body.push_str(
                "<h3>未完成评分（不参与排名）</h3>\n<table class=\"incomplete\">\n\
                 <thead><tr><th>编号</th><th>标题</th><th>原因</th></tr></thead>\n<tbody>\n",
            );
            for e in incomplete {
                let why: Vec<String> = e
                    .shortfalls
                    .iter()
                    .map(|s| {
                        let name = rubric.round(&s.round).map_or(s.round.as_str(), |r| r.name.as_str());
                        format!("{}：已有 {} 位评委提交，至少需要 {} 位", escape(name), s.have, s.need)
                    })
                    .collect();
                writeln!(
                    body,
                    "<tr id=\"{id}\"><td class=\"id\">{id}</td><td>{}</td><td>{}</td></tr>",
                    escape(&e.title),
                    why.join("；"),
                    id = escape(&e.id)
                )
                .ok();
            }
            body.push_str("</tbody></table>\n");
        }
        if public {
            body.push_str(&public_block(snapshot));
        } else {
            body.push_str(&signatures(&signing_judges(snapshot, group)));
        }
        body.push_str("</td></tr>\n</tbody>\n</table>\n");
        body.push_str("</section>\n");
    }
    if tally.groups.is_empty() {
        body.push_str(&page_header(snapshot, &escape(&snapshot.results_title()), ""));
        body.push_str("<p class=\"empty\">没有可打印的组别。</p>\n");
    }
    let withdrawn = super::results::withdrawn_rows(tally);
    if !withdrawn.is_empty() {
        writeln!(
            body,
            "<section class=\"withdrawn\">\n<h2>{}</h2>\n<table class=\"results\"><thead><tr>{}</tr></thead><tbody>",
            super::results::WITHDRAWN_HEADING,
            super::results::withdrawn_header()
                .iter()
                .map(|h| format!("<th>{h}</th>"))
                .collect::<String>()
        )
        .ok();
        for row in &withdrawn {
            let cells: String = row.iter().map(|c| format!("<td>{}</td>", escape(c))).collect();
            writeln!(body, "<tr>{cells}</tr>").ok();
        }
        body.push_str("</tbody></table>\n</section>\n");
    }
    if !tally.ungrouped.is_empty() {
        writeln!(
            body,
            "<p class=\"legend\">另有 {} 项没有组别，未参与排名：{}（请运行 jury check）。</p>",
            tally.ungrouped.len(),
            escape(&tally.ungrouped.join("、"))
        )
        .ok();
    }
    let fp = snapshot.fingerprint.to_string();
    let mut html = document(
        &format!("{} {} {fp}", tally.contest, snapshot.results_title()),
        &tally.contest,
        &fp,
        &body,
    );
    let landscape = cols.len() + 1 > PORTRAIT_COLUMNS;
    if landscape {
        // A wide table wraps every name into a column of single characters on a portrait page.
        html = html.replacen("size: A4 portrait", "size: A4 landscape", 1).replacen(
            "max-width: 190mm",
            "max-width: 277mm",
            1,
        );
    }
    html.replacen(
        "</style>",
        &format!(
            "{RESULTS_CSS}{}</style>",
            // The page's height inside its margins (14 mm top, 16 mm bottom): the period of the
            // mark a provisional group's section repeats down its pages.
            watermark_css(if landscape { 210 - 30 } else { 297 - 30 })
        ),
        1,
    )
}

/// The public copy's closing: the rubric's publicity text and the organiser's line for the seal.
fn public_block(snapshot: &Snapshot) -> String {
    let mut out = String::new();
    if let Some(text) = &snapshot.rubric.publicity {
        writeln!(
            out,
            "<div class=\"publicity\">{}</div>",
            escape(text).replace('\n', "<br>")
        )
        .ok();
    }
    // The organiser named by the rubric, else a blank to write it in.
    let organiser = match &snapshot.rubric.organiser {
        Some(name) => escape(name),
        None => "<span class=\"line\">&nbsp;</span>".to_string(),
    };
    writeln!(
        out,
        "<div class=\"signatures seal\"><p>{}{organiser}　　日期：<span class=\"line\">&nbsp;</span></p></div>",
        super::results_columns::SEAL_LINE
    )
    .ok();
    out
}

/// Every judge's score sheet (评分表): one page per judge and group.
pub fn sheets_html(snapshot: &Snapshot, pages: &[SheetPage<'_>]) -> String {
    let rubric = &snapshot.rubric;
    let score_decimals = step_decimals(rubric.step);
    let names = snapshot.has_names();
    let mut body = String::new();
    for page in pages {
        let judge = page.judge;
        body.push_str("<section class=\"page sheet\">\n");
        let who = format!(
            "评委：{} {}{}　",
            escape(&judge.id),
            escape(&judge.name),
            if judge.organization.is_empty() {
                String::new()
            } else {
                format!("（{}）", escape(&judge.organization))
            }
        );
        body.push_str(&page_header(
            snapshot,
            &format!(
                "{}　{}",
                escape(&snapshot.phase_titled("评分表")),
                escape(&page.group.group)
            ),
            &who,
        ));
        for round in &rubric.rounds {
            let rows: Vec<(&EntryResult, Vec<Option<Points>>)> = page
                .entries
                .iter()
                .map(|e| {
                    let values = round
                        .criteria
                        .iter()
                        .map(|c| score_of(snapshot, &judge.id, &e.id, &round.id, &c.id))
                        .collect();
                    (*e, values)
                })
                .filter(|(_, values): &(&EntryResult, Vec<Option<Points>>)| values.iter().any(Option::is_some))
                .collect();
            if rows.is_empty() {
                continue;
            }
            write!(
                body,
                "<h3>{}（权重 {}%）</h3>\n<table class=\"scores\">\n<thead><tr><th>编号</th><th>标题</th>",
                escape(&round.name),
                percent(round.weight)
            )
            .ok();
            if names {
                body.push_str("<th>选手</th>");
            }
            for c in &round.criteria {
                write!(body, "<th class=\"num\">{}<br>（{}）</th>", escape(&c.name), c.max).ok();
            }
            writeln!(
                body,
                "<th class=\"num\">合计<br>（{}）</th></tr></thead>\n<tbody>",
                round.max_total()
            )
            .ok();
            for (e, values) in rows {
                write!(
                    body,
                    "<tr><td class=\"id\">{}</td><td>{}</td>",
                    escape(&e.id),
                    escape(&e.title)
                )
                .ok();
                if names {
                    write!(body, "<td>{}</td>", escape(snapshot.entry_name(&e.id))).ok();
                }
                for v in &values {
                    write!(body, "<td class=\"num\">{}</td>", fmt_points(*v, score_decimals)).ok();
                }
                let total = if values.iter().all(Option::is_some) {
                    fmt_points(Some(values.iter().flatten().copied().sum()), score_decimals)
                } else {
                    "缺项".into()
                };
                writeln!(body, "<td class=\"num\"><b>{total}</b></td></tr>").ok();
            }
            body.push_str("</tbody></table>\n");
        }
        let comments: Vec<(&EntryResult, &String)> = page
            .entries
            .iter()
            .filter_map(|e| {
                snapshot
                    .comments
                    .get(&(judge.id.clone(), e.id.clone()))
                    .map(|c| (*e, c))
            })
            .collect();
        body.push_str("<h3>评语</h3>\n");
        if comments.is_empty() {
            body.push_str("<p class=\"empty\">（无）</p>\n");
        } else {
            body.push_str(
                "<table class=\"comments\">\n<thead><tr><th>编号</th><th>标题</th><th>评语</th></tr></thead>\n<tbody>\n",
            );
            for (e, c) in comments {
                writeln!(
                    body,
                    "<tr><td class=\"id\">{}</td><td>{}</td><td>{}</td></tr>",
                    escape(&e.id),
                    escape(&e.title),
                    escape(c).replace('\n', "<br>")
                )
                .ok();
            }
            body.push_str("</tbody></table>\n");
        }
        writeln!(
            body,
            "<div class=\"signatures\"><p>本人确认以上评分为本人独立评定。</p>\n\
             <p>评委签字（{} {}）：<span class=\"line\">&nbsp;</span>　　日期：<span class=\"line\">&nbsp;</span></p></div>",
            escape(&judge.id),
            escape(&judge.name)
        )
        .ok();
        body.push_str("</section>\n");
    }
    if pages.is_empty() {
        body.push_str(&page_header(snapshot, &escape(&snapshot.phase_titled("评分表")), ""));
        body.push_str("<p class=\"empty\">没有已提交的评分。</p>\n");
    }
    let fp = snapshot.fingerprint.to_string();
    document(
        &format!("{} {} {fp}", snapshot.tally.contest, snapshot.phase_titled("评分表")),
        &snapshot.tally.contest,
        &fp,
        &body,
    )
    .replacen("</style>", &format!("{SHEETS_CSS}</style>"), 1)
}

/// A judge's sheet for one group fits one A4 page when it can: with the results' spacing, three
/// rounds of twelve entries (36 rows, a two-line header each) plus the headings, comments and
/// signature ran a third of a page over, so every sheet spilled onto a mostly empty second
/// page. Tighter rows, headings and signature spacing, for the sheets only.
pub(crate) const SHEETS_CSS: &str = r#"
section.sheet h1 { font-size: 13pt; margin: 0 0 1mm 0; }
section.sheet h2 { font-size: 11.5pt; margin: 0 0 1mm 0; }
section.sheet h3 { font-size: 10pt; margin: 2mm 0 0.8mm 0; }
section.sheet .meta { margin: 0 0 1mm 0; }
section.sheet table { margin: 0.5mm 0 1mm 0; }
section.sheet th, section.sheet td { font-size: 8.5pt; line-height: 1.15; padding: 0.4mm 1.2mm; }
section.sheet .signatures { margin-top: 3mm; }
section.sheet .signatures p { margin: 0 0 3mm 0; }
"#;

/// A judge's submitted score on one criterion.
pub fn score_of(snapshot: &Snapshot, judge: &str, entry: &str, round: &str, criterion: &str) -> Option<Points> {
    // Scores are sorted by (entry, round, judge, criterion): binary search.
    snapshot
        .scores
        .binary_search_by(|s| {
            (
                s.entry.as_str(),
                s.round.as_str(),
                s.judge.as_str(),
                s.criterion.as_str(),
            )
                .cmp(&(entry, round, judge, criterion))
        })
        .ok()
        .map(|i| snapshot.scores[i].value)
}

/// A score with a fixed number of decimals (exact: scores are multiples of the step).
pub fn fmt_points(value: Option<Points>, decimals: u32) -> String {
    match value {
        Some(p) => p.as_ratio().format_fixed(decimals),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_css() {
        assert_eq!(
            escape("<script>alert(\"x\")</script> & 'y'"),
            "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;"
        );
        let css = css_string("a\"b\\c</style>\nd");
        assert_eq!(css, "\"a\\\"b\\\\c\\3c /style\\3e  d\"");
        assert!(!css.contains('<'));
    }

    /// The table's outer borders print equally: inset by the same margin on both sides, at least
    /// half the cells' border width, and narrower by both (the right border was clipped).
    #[test]
    fn the_table_is_inset_equally_so_both_outer_borders_print_whole() {
        let rule = |selector: &str| -> String {
            let at = BASE_CSS
                .find(&format!("\n{selector} {{"))
                .unwrap_or_else(|| panic!("{selector}"));
            let rest = &BASE_CSS[at + 1..];
            rest[..rest.find('}').unwrap()].to_string()
        };
        let pt = |text: &str| -> f64 { text.trim().trim_end_matches("pt").parse().unwrap() };
        let table = rule("table");
        let margin = table
            .split("margin:")
            .nth(1)
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .trim()
            .to_string();
        let parts: Vec<&str> = margin.split_whitespace().collect();
        assert_eq!(parts.len(), 4, "{margin}");
        assert_eq!(parts[1], parts[3], "left and right margins equal: {margin}");
        let cell = rule("th, td");
        let border = cell
            .split("border:")
            .nth(1)
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .to_string();
        let inset = pt(parts[1]);
        assert!(inset >= pt(&border) / 2.0, "inset {inset}pt, border {border}");
        assert!(
            table.contains(&format!("width: calc(100% - {}pt)", inset * 2.0)),
            "{table}"
        );
    }
}
