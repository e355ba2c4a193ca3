//! `jury export certificates`: one A4 landscape page per award winner (for cases: per selected
//! case), print-ready HTML like the results: the contest, the name, the organisation, the
//! award, the certificate number (证书编号), the date and the organiser, with a blank for the
//! seal. Which entries get one, their numbers and the date are decided by
//! [`crate::app::export::export_certificates`]; this only renders them. All text is escaped.

use super::html::{CJK_FONT_STACK, escape};
use super::output::default_file_name;

/// One certificate as printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificate {
    /// 证书编号, running per contest.
    pub number: String,
    pub group: String,
    /// The contestant's name, or for a case its title.
    pub name: String,
    pub organization: String,
    /// The award (一等奖), or for a case 入选案例.
    pub award: String,
    /// True for a case (the name is a title, printed in 《》).
    pub case: bool,
}

/// Everything on the pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Certificates {
    pub contest: String,
    /// As printed (`二〇二五年十二月一日`).
    pub date: String,
    /// Empty when the rubric names none: a line is left to write it in.
    pub organiser: String,
    pub fingerprint: String,
    pub certificates: Vec<Certificate>,
}

const CSS: &str = r#"
@page { size: A4 landscape; margin: 12mm; }
html { font-family: FONTS; color: #000; background: #fff; }
body { margin: 0; }
.cert { box-sizing: border-box; height: 185mm; padding: 14mm 22mm 12mm 22mm; border: 3pt double #8b0000;
  position: relative; break-after: page; break-inside: avoid; overflow: hidden; }
.cert:last-of-type { break-after: auto; }
.cert .number { position: absolute; top: 6mm; right: 10mm; font-size: 10.5pt; }
.cert h1 { font-size: 40pt; letter-spacing: 12pt; text-align: center; color: #8b0000; margin: 10mm 0 10mm 0; }
.cert .name { font-size: 20pt; margin: 0 0 6mm 0; }
.cert .name .org { font-size: 14pt; margin-left: 4mm; }
.cert .name.case .org { font-size: 20pt; margin-left: 0; }
.cert .text { font-size: 18pt; line-height: 1.9; text-indent: 2em; margin: 0; }
.cert .award { font-weight: bold; font-size: 22pt; }
.cert .sign { position: absolute; right: 26mm; bottom: 18mm; width: 90mm; text-align: center; font-size: 15pt; }
.cert .sign p { margin: 0 0 3mm 0; }
.cert .seal { display: inline-block; width: 40mm; height: 40mm; border: 0.5pt dashed #bbb; border-radius: 50%;
  color: #bbb; font-size: 9pt; line-height: 40mm; margin: 0 0 2mm 0; }
.cert .blank { display: inline-block; min-width: 60mm; border-bottom: 0.75pt solid #000; }
@media screen { body { max-width: 273mm; margin: 8mm auto; } .cert { margin-bottom: 8mm; } }
"#;

fn page(set: &Certificates, c: &Certificate) -> String {
    let contest = escape(&set.contest);
    let group = if c.group.is_empty() {
        String::new()
    } else {
        format!("（{}）", escape(&c.group))
    };
    let org = if c.organization.is_empty() {
        String::new()
    } else {
        format!("<span class=\"org\">{}</span>", escape(&c.organization))
    };
    let (name, text) = if c.case {
        (
            format!("<p class=\"name case\">{org}：</p>"),
            format!(
                "报送的案例<span class=\"title\">《{}》</span>在{contest}{group}中被评为<span class=\"award\">{}</span>。特发此证。",
                escape(&c.name),
                escape(&c.award)
            ),
        )
    } else {
        (
            format!(
                "<p class=\"name\"><span class=\"who\">{}</span>{org}：</p>",
                escape(&c.name)
            ),
            format!(
                "在{contest}{group}中荣获<span class=\"award\">{}</span>。特发此证，以资鼓励。",
                escape(&c.award)
            ),
        )
    };
    let organiser = if set.organiser.is_empty() {
        "<span class=\"blank\"></span>".to_string()
    } else {
        escape(&set.organiser)
    };
    format!(
        "<section class=\"cert\">\n<p class=\"number\">证书编号：<span class=\"no\">{}</span></p>\n<h1>荣誉证书</h1>\n{name}\n<p class=\"text\">{text}</p>\n\
         <div class=\"sign\"><span class=\"seal\">（盖章）</span><p class=\"organiser\">{organiser}</p><p class=\"date\">{}</p></div>\n</section>\n",
        escape(&c.number),
        escape(&set.date),
    )
}

/// The pages as one self-contained HTML file: inline CSS, no scripts, nothing fetched.
pub fn certificates_html(set: &Certificates) -> String {
    let body: String = set.certificates.iter().map(|c| page(set, c)).collect();
    format!(
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"generator\" content=\"jury\">\n<meta name=\"fingerprint\" content=\"{fp}\">\n\
         <title>{title}</title>\n<style>\n{css}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        fp = escape(&set.fingerprint),
        title = escape(&format!("{} 荣誉证书", set.contest)),
        css = CSS.replace("FONTS", CJK_FONT_STACK),
    )
}

/// `certificates-<contest>[-<group>]-<date>.html`.
pub fn certificates_file_name(contest: &str, group: Option<&str>, date: &str) -> String {
    let name = match group {
        Some(g) => format!("{contest}-{g}"),
        None => contest.to_string(),
    };
    default_file_name("certificates", &name, date, "html")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set() -> Certificates {
        Certificates {
            contest: "大赛<&>".into(),
            date: "二〇二五年十二月".into(),
            organiser: String::new(),
            fingerprint: "JURY2-1".into(),
            certificates: vec![
                Certificate {
                    number: "2025-001".into(),
                    group: "教师组".into(),
                    name: "张三".into(),
                    organization: "一中".into(),
                    award: "一等奖".into(),
                    case: false,
                },
                Certificate {
                    number: "2025-002".into(),
                    group: String::new(),
                    name: "案例".into(),
                    organization: "二中".into(),
                    award: "入选案例".into(),
                    case: true,
                },
            ],
        }
    }

    #[test]
    fn one_landscape_page_per_certificate() {
        let html = certificates_html(&set());
        assert_eq!(html.matches("<section class=\"cert\">").count(), 2);
        assert!(html.contains("size: A4 landscape"));
        assert!(html.contains("大赛&lt;&amp;&gt;"));
        assert!(html.contains("证书编号：<span class=\"no\">2025-001</span>"));
        assert!(html.contains("《案例》"));
        // No organiser in the rubric: a line to write it in.
        assert_eq!(html.matches("<span class=\"blank\"></span>").count(), 2);
    }
}
