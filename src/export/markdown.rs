//! Results as Markdown: one plain table per group, padded by display width (a Chinese character
//! takes two columns) so the file also reads and prints well as plain text.

use crate::core::text::{pad, pad_left, width};

use super::output::percent;
use super::snapshot::Snapshot;

/// A cell's text in a Markdown table: one line (control characters become spaces), HTML
/// escaped (`<` `>` `&`), backslashes and `|` escaped so that no text can open a tag or a column.
fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' => out.push_str("\\\\"),
            '|' => out.push_str("\\|"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Rows of cells into an aligned Markdown table; `numeric[i]` right-aligns column i.
pub fn aligned_table(header: &[String], rows: &[Vec<String>], numeric: &[bool]) -> String {
    let columns = header.len();
    let mut widths: Vec<usize> = header.iter().map(|h| width(h).max(3)).collect();
    for row in rows {
        for (i, c) in row.iter().enumerate().take(columns) {
            widths[i] = widths[i].max(width(c));
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = (0..columns)
            .map(|i| {
                let text = cells.get(i).map(String::as_str).unwrap_or("");
                if numeric.get(i).copied().unwrap_or(false) {
                    pad_left(text, widths[i])
                } else {
                    // `pad` only truncates past the width, and every width fits its column.
                    pad(text, widths[i])
                }
            })
            .collect();
        format!("| {} |\n", padded.join(" | "))
    };
    let mut out = line(header);
    let rule: Vec<String> = widths
        .iter()
        .enumerate()
        .map(|(i, w)| {
            if numeric.get(i).copied().unwrap_or(false) {
                format!("{}:", "-".repeat(w - 1))
            } else {
                "-".repeat(*w)
            }
        })
        .collect();
    out.push_str(&format!("| {} |\n", rule.join(" | ")));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

pub fn results_markdown(snapshot: &Snapshot) -> String {
    use super::results_columns::{columns, note};
    let tally = &snapshot.tally;
    let rubric = &snapshot.rubric;
    let d = tally.decimals;
    let cols = columns(snapshot);
    let mut out = format!("# {} {}\n\n", cell(&tally.contest), cell(&snapshot.results_title()));
    if snapshot.public {
        out.push_str("公示稿  \n");
    }
    out.push_str(&format!(
        "生成时间：{}  \n数据指纹：`{}`  \n每轮得分：{}；结果保留 {d} 位小数（四舍五入）。  \n轮次与权重：{}\n",
        snapshot.made_at,
        snapshot.fingerprint,
        rubric.rule_in_words_zh(),
        rubric
            .rounds
            .iter()
            .map(|r| format!("{} {}%", cell(&r.name), percent(r.weight)))
            .collect::<Vec<_>>()
            .join("，")
    ));
    for group in &tally.groups {
        out.push_str(&format!(
            "\n## {}　{}\n\n",
            cell(&group.group),
            cell(&snapshot.standing(&group.group).heading_zh())
        ));
        let mut header: Vec<String> = cols
            .iter()
            .map(|c| cell(&c.header(snapshot).replace('\n', " ")))
            .collect();
        let mut numeric: Vec<bool> = cols.iter().map(|c| c.numeric()).collect();
        header.push("备注".into());
        numeric.push(false);
        let rows: Vec<Vec<String>> = group
            .entries
            .iter()
            .map(|e| {
                let mut row: Vec<String> = cols
                    .iter()
                    .map(|c| {
                        let v = c.value(snapshot, e);
                        if c.numeric() {
                            v.unwrap_or_else(|| "-".into())
                        } else {
                            cell(&v.unwrap_or_default())
                        }
                    })
                    .collect();
                row.push(cell(&note(snapshot, e)));
                row
            })
            .collect();
        out.push_str(&aligned_table(&header, &rows, &numeric));
    }
    let withdrawn = super::results::withdrawn_rows(tally);
    if !withdrawn.is_empty() {
        out.push_str(&format!("\n## {}\n\n", super::results::WITHDRAWN_HEADING));
        let rows: Vec<Vec<String>> = withdrawn.into_iter().map(Vec::from).collect();
        out.push_str(&aligned_table(&super::results::withdrawn_header(), &rows, &[false; 5]));
    }
    if !tally.ungrouped.is_empty() {
        out.push_str(&format!(
            "\n另有 {} 项没有组别，未参与排名：{}\n",
            tally.ungrouped.len(),
            cell(&tally.ungrouped.join("、"))
        ));
    }
    if snapshot.public {
        if let Some(text) = &rubric.publicity {
            out.push_str(&format!("\n{}\n", cell(text)));
        }
        out.push_str(&format!("\n{}\n", cell(&super::results_columns::seal_line(rubric))));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_lines_share_one_display_width() {
        let header = vec!["名次".to_string(), "标题".into(), "得分".into()];
        let rows = vec![
            vec!["1".to_string(), cell("亲子沟通|倾听"), "85.13".into()],
            vec!["2".to_string(), "AB".into(), "9.00".into()],
        ];
        let table = aligned_table(&header, &rows, &[true, false, true]);
        let widths: Vec<usize> = table.lines().map(width).collect();
        assert_eq!(widths.len(), 4);
        assert!(widths.iter().all(|w| *w == widths[0]), "{table}");
        assert!(table.contains("亲子沟通\\|倾听"));
        assert!(table.contains("| 85.13 |"));
    }

    #[test]
    fn cells_escape_html_backslashes_pipes_and_control_characters() {
        assert_eq!(
            cell("<script>alert(1)</script> & <b>"),
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;"
        );
        // A backslash before a pipe must not turn the escape of the pipe back into a column break.
        assert_eq!(cell("a\\|b"), "a\\\\\\|b");
        assert_eq!(cell("x\u{1b}[31my\nz\r"), "x [31my z ");
        let table = aligned_table(&["标题".to_string()], &[vec![cell("a\\|b|c")]], &[false]);
        let body = table.lines().nth(2).unwrap();
        // Unescaped pipes are only the two borders: `\\` pairs and `\|` pairs are skipped.
        let mut borders = 0;
        let mut chars = body.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '|' => borders += 1,
                _ => {}
            }
        }
        assert_eq!(borders, 2, "{body}");
    }
}
