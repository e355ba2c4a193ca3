//! The rarer import problems in Chinese (issue 17, helper zhrest): a folder of case documents, a
//! JSON file, a paper score form, a judges file without its PIN column, a CSV cell; each with its
//! file, row and column, under `--lang zh`, and English word for word as before.

mod common;

use common::{Workspace, stderr_of_failure};

fn zh(w: &Workspace, args: &[&str]) -> String {
    let mut all = vec!["--lang", "zh"];
    all.extend_from_slice(args);
    let before = w.digest();
    let out = stderr_of_failure(&w.run(&all));
    assert_eq!(before, w.digest(), "nothing stored");
    out
}

fn en(w: &Workspace, args: &[&str]) -> String {
    stderr_of_failure(&w.run(args))
}

const NOTHING_ZH: &str = "未导入任何内容，工作区没有改变。\n";
const NOTHING_EN: &str = "Nothing was imported; the workspace is unchanged.\n";

#[test]
fn a_folder_of_case_documents_is_refused_in_chinese() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let folder = w.path("cases");
    std::fs::create_dir(&folder).unwrap();
    let f = folder.to_str().unwrap();
    assert_eq!(
        zh(&w, &["import", "entries", f]),
        format!(
            "jury: {f}：是一个文件夹而不是文件，且其中（包括子文件夹）没有 .docx 文档；请导入 CSV、XLSX 或 JSON 文件，\
             或一个装有 .docx 案例文档的文件夹\n{NOTHING_ZH}"
        )
    );
    std::fs::write(folder.join("旧案例.doc"), b"\xD0\xCF\x11\xE0").unwrap();
    assert_eq!(
        zh(&w, &["import", "entries", f]),
        format!(
            "jury: {f}：旧案例.doc：是 Word 97-2003 文档（.doc）；请在 Word 或 WPS 中另存为 .docx 后再导入\n{NOTHING_ZH}"
        )
    );
    assert_eq!(
        en(&w, &["import", "entries", f]),
        format!(
            "jury: {f}: 旧案例.doc: is a Word 97-2003 document (.doc); 请另存为 .docx 后再导入 (save it as .docx in \
             Word or WPS and import that)\n{NOTHING_EN}"
        )
    );
}

#[test]
fn a_bad_json_file_is_refused_in_chinese_with_its_element_and_field() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    let path = w.path("entries.json");
    std::fs::write(
        &path,
        r#"[{"编号": "JS001", "标题": "甲"}, {"编号": "JS002", "标题": ["乙"]}]"#,
    )
    .unwrap();
    let f = path.to_str().unwrap();
    assert_eq!(
        zh(&w, &["import", "entries", f]),
        format!("jury: {f}：第 2 个元素，字段 \"标题\"：不接受嵌套的数组和对象；请写成文本\n{NOTHING_ZH}")
    );
    assert_eq!(
        en(&w, &["import", "entries", f]),
        format!(
            "jury: {f}: element 2, field \"标题\": nested arrays and objects are not accepted; use text\n{NOTHING_EN}"
        )
    );
    std::fs::write(&path, r#"{"entries": [], "备注": "x"}"#).unwrap();
    assert_eq!(
        zh(&w, &["import", "entries", f]),
        format!(
            "jury: {f}：顶层有键 \"备注\"；必须是由对象组成的 JSON 数组，如 [{{\"id\": \"A1\", …}}]，或放在 \
             {{\"entries\": […]}} 或 {{\"scores\": […]}} 中的这样一个数组（不能有其他键）\n{NOTHING_ZH}"
        )
    );
}

#[test]
fn a_paper_form_without_its_judge_is_refused_in_chinese_naming_the_sheet_row_and_column() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    w.ok(&[
        "import",
        "entries",
        common::fixture("contestants.csv").to_str().unwrap(),
    ]);
    w.ok(&["import", "judges", common::fixture("judges.csv").to_str().unwrap()]);
    let path = w.path("form.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("表").unwrap();
    for (r, (label, v)) in [("赛事", "大赛"), ("评委", ""), ("轮次", "lesson"), ("组别", "教师组")]
        .iter()
        .enumerate()
    {
        sheet.write_string(r as u32, 0, *label).unwrap();
        if !v.is_empty() {
            sheet.write_string(r as u32, 1, *v).unwrap();
        }
    }
    sheet.write_string(5, 0, "编号").unwrap();
    sheet.write_string(5, 1, "content").unwrap();
    sheet.write_string(6, 0, "JS001").unwrap();
    sheet.write_number(6, 1, 20).unwrap();
    book.save(&path).unwrap();
    let f = path.to_str().unwrap();
    assert_eq!(
        zh(&w, &["import", "scores", f]),
        format!(
            "jury: {f}：工作表 \"表\" 第 2 行，第 B 列（评委）：缺少评委编号：请写在这个单元格（B2）中，与空白评分表一致\n\
             {NOTHING_ZH}"
        )
    );
    assert_eq!(
        en(&w, &["import", "scores", f]),
        format!(
            "jury: {f}: sheet \"表\", row 2, column B (评委): the judge's id is missing: write it in this cell (B2), \
             as the blank form had it\n{NOTHING_EN}"
        )
    );
}

#[test]
fn a_judges_file_without_its_pin_column_and_a_csv_quote_left_open_are_refused_in_chinese() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    let path = w.path("judges.csv");
    std::fs::write(&path, "编号,姓名\nPW01,甲\n").unwrap();
    let f = path.to_str().unwrap();
    let accepted = "id/编号, name/姓名, organization/单位, county/县市区, pin/密码";
    assert_eq!(
        zh(&w, &["import", "judges", f]),
        format!("jury: {f}：缺少密码列。可用的表头：{accepted}\n{NOTHING_ZH}")
    );
    assert_eq!(
        en(&w, &["import", "judges", f]),
        format!("jury: {f}: needs a pin (密码) column. Accepted headers: {accepted}\n{NOTHING_EN}")
    );
    let path = w.path("entries.csv");
    std::fs::write(&path, "编号,标题,组别\nJS001,甲,教师组\nJS002,\"乙,教师组\n").unwrap();
    let f = path.to_str().unwrap();
    assert_eq!(
        zh(&w, &["import", "entries", f]),
        format!(
            "jury: {f}：第 3 行，第 B 列：该单元格以引号（\"）开头却没有闭合，因此其后直到文件末尾的内容都被读进了这一个单元格；\
             请补上闭合的引号，单元格内的引号请写成两个（\"\"）\n{NOTHING_ZH}"
        )
    );
    assert_eq!(
        en(&w, &["import", "entries", f]),
        format!(
            "jury: {f}: row 3, column B: the cell opens with a quote (\") that is never closed, so everything after it \
             to the end of the file was read into this one cell; close the quote, and write a quote inside a cell as \
             two (\"\")\n{NOTHING_EN}"
        )
    );
}
