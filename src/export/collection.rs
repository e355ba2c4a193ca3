//! `jury export selected --format docx`: the case collection (入选案例集) for publication, a Word
//! document of the selected cases grouped by topic (the rubric's groups, in its order), each
//! case with its title, organisation and its four parts under their own headings.
//!
//! It opens with the list of topics and titles as plain text (目录), so the list is there in
//! Word, WPS and LibreOffice alike (a table-of-contents field shows as a raw field code in
//! LibreOffice until updated). Each topic starts on a new page.

use crate::core::Section;

use docx_rs::Paragraph;

use super::docx::{
    chinese_ordinal, document, heading, heading_fonts, on_new_page, pack, paragraphs, plain, text_run, title,
};
use super::selected::SelectedRow;
use super::snapshot::Snapshot;
use crate::error::Result;

/// The rows by topic: topics in the rubric's order (a case without a topic last), the cases of
/// a topic in the list's order (batch, then final, then id).
pub fn by_topic<'a>(snapshot: &Snapshot, rows: &'a [SelectedRow]) -> Vec<(String, Vec<&'a SelectedRow>)> {
    let rank = |g: &str| snapshot.rubric.groups.iter().position(|x| x == g).unwrap_or(usize::MAX);
    let mut topics: Vec<(String, Vec<&SelectedRow>)> = Vec::new();
    for r in rows {
        match topics.iter_mut().find(|(t, _)| *t == r.group) {
            Some((_, list)) => list.push(r),
            None => topics.push((r.group.clone(), vec![r])),
        }
    }
    topics.sort_by_key(|(t, _)| (rank(t), t.is_empty()));
    topics
}

fn topic_name(topic: &str) -> &str {
    if topic.is_empty() { "未分主题" } else { topic }
}

/// The collection's bytes. The four parts come from `snapshot.entries` (the caller reads the
/// texts of the selected cases into them); a part left empty says so.
pub fn collection_docx(snapshot: &Snapshot, rows: &[SelectedRow]) -> Result<Vec<u8>> {
    let contest = &snapshot.tally.contest;
    let topics = by_topic(snapshot, rows);
    let mut doc = document(false)
        .add_paragraph(title(&format!("{contest}\n入选案例集")))
        .add_paragraph(super::docx::centred(
            &format!(
                "共 {} 个主题、{} 个案例　生成于 {}　数据指纹 {}",
                topics.len(),
                rows.len(),
                snapshot.made_at,
                snapshot.fingerprint
            ),
            18,
        ))
        .add_paragraph(heading(1, "目录"));
    if rows.is_empty() {
        doc = doc.add_paragraph(plain("尚无入选案例。", 24));
    }
    let mut n = 0;
    for (i, (topic, cases)) in topics.iter().enumerate() {
        let line = format!(
            "{}、{}（{} 个）",
            chinese_ordinal(i + 1),
            topic_name(topic),
            cases.len()
        );
        doc = doc.add_paragraph(
            Paragraph::new()
                .style("Normal")
                .add_run(text_run(&line, heading_fonts(), 24).bold())
                .keep_next(true),
        );
        for r in cases {
            n += 1;
            let org = if r.organization.is_empty() {
                String::new()
            } else {
                format!("（{}）", r.organization)
            };
            doc = doc.add_paragraph(plain(&format!("　　{n}. {}{org}", r.title), 24));
        }
    }
    let mut n = 0;
    for (i, (topic, cases)) in topics.iter().enumerate() {
        doc = doc.add_paragraph(on_new_page(heading(
            1,
            &format!("{}、{}", chinese_ordinal(i + 1), topic_name(topic)),
        )));
        for r in cases {
            n += 1;
            doc = doc.add_paragraph(heading(2, &format!("{n}. {}", r.title)));
            let mut meta = vec![format!("编号：{}", r.id)];
            for (label, value) in [
                ("单位", &r.organization),
                ("县市区", &r.county),
                ("申报人", &r.submitter),
            ] {
                if !value.is_empty() {
                    meta.push(format!("{label}：{value}"));
                }
            }
            doc = doc.add_paragraph(plain(&meta.join("　"), 21));
            let sections = snapshot.entries.get(&r.id).map(|e| &e.sections);
            for section in Section::ALL {
                doc = doc.add_paragraph(heading(3, section.chinese()));
                let text = sections.map(|s| s.get(section)).unwrap_or("");
                let ps = paragraphs(text);
                if ps.is_empty() {
                    doc = doc.add_paragraph(plain("（未提交）", 24));
                }
                for p in ps {
                    doc = doc.add_paragraph(p);
                }
            }
        }
    }
    pack(doc)
}
