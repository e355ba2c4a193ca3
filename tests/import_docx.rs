//! `jury import entries` from Word documents: the fixture folder with its summary sheet and
//! alone, `--update` / `--force` on changed files, and refusals that leave the workspace unchanged.

mod common;

use std::path::{Path, PathBuf};

use common::{Workspace, fixture};

fn squeeze(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn expected() -> serde_json::Map<String, serde_json::Value> {
    let text = std::fs::read(fixture("docx/expected.json")).unwrap();
    serde_json::from_slice::<serde_json::Value>(&text)
        .unwrap()
        .as_object()
        .unwrap()
        .clone()
}

/// A copy of the fixture documents in the workspace's folder, to change.
fn copy_docs(w: &Workspace) -> PathBuf {
    let to = w.path("案例");
    std::fs::create_dir_all(&to).unwrap();
    for f in std::fs::read_dir(fixture("docx/docs")).unwrap() {
        let f = f.unwrap();
        std::fs::copy(f.path(), to.join(f.file_name())).unwrap();
    }
    to
}

fn exported(w: &Workspace) -> Vec<serde_json::Value> {
    let out = w.path("entries.json");
    w.ok(&[
        "export",
        "entries",
        "--format",
        "json",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out).unwrap()).unwrap();
    v["entries"].as_array().unwrap().clone()
}

fn by_source(entries: &[serde_json::Value], file: &str) -> serde_json::Value {
    entries
        .iter()
        .find(|e| e["source"] == file)
        .unwrap_or_else(|| panic!("no entry from {file}"))
        .clone()
}

const PARTS: [&str; 4] = ["background", "problem", "strategy", "outcome"];

#[test]
fn with_the_summary_every_entry_is_as_expected() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let out = w.ok(&[
        "import",
        "entries",
        fixture("docx/summary.csv").to_str().unwrap(),
        "--documents",
        fixture("docx/docs").to_str().unwrap(),
    ]);
    assert!(out.contains("Imported 16 entries"), "{out}");
    let entries = exported(&w);
    assert_eq!(entries.len(), 16);
    for (file, want) in expected() {
        let got = by_source(&entries, &file);
        for key in ["id", "title", "group", "organization", "county", "submitter"] {
            assert_eq!(
                squeeze(got[key].as_str().unwrap_or("")),
                squeeze(want[key].as_str().unwrap()),
                "{file}: {key}"
            );
        }
        for key in PARTS {
            assert_eq!(
                squeeze(got["sections"][key].as_str().unwrap()),
                squeeze(want[key].as_str().unwrap()),
                "{file}: {key}"
            );
        }
    }
    // The missing outcome is what the formal check reports.
    let check = w.run(&["check"]);
    let text = String::from_utf8_lossy(&check.stdout).to_string() + &String::from_utf8_lossy(&check.stderr);
    assert!(text.contains("AL20250050"), "{text}");
}

#[test]
fn the_summary_without_a_file_column_matches_by_id_or_title_and_organisation() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let summary = std::fs::read_to_string(fixture("docx/summary.csv")).unwrap();
    let without: String = summary
        .lines()
        .map(|l| l.rsplit_once(',').unwrap().0.to_string() + "\n")
        .collect();
    let path = w.path("汇总表.csv");
    std::fs::write(&path, &without).unwrap();
    let docs = fixture("docx/docs");
    w.ok(&[
        "import",
        "entries",
        path.to_str().unwrap(),
        "--documents",
        docs.to_str().unwrap(),
    ]);
    let entries = exported(&w);
    for (file, want) in expected() {
        assert_eq!(by_source(&entries, &file)["id"], want["id"], "{file}");
    }
    // A row without a document, and a document without a row: both named; nothing stored.
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let before = w.digest();
    let extra = without.replace("AL20250017,降低期待还是提供支持？", "AL20259999,另一个案例？");
    std::fs::write(&path, extra).unwrap();
    let e = w.fails(&[
        "import",
        "entries",
        path.to_str().unwrap(),
        "--documents",
        docs.to_str().unwrap(),
    ]);
    assert!(e.contains("row 2") && e.contains("no document for this row"), "{e}");
    assert!(
        e.contains("the document 宜丰县第二小学-降低期待还是提供.docx matches no row of the summary"),
        "{e}"
    );
    assert_eq!(w.digest(), before);
}

#[test]
fn a_folder_alone_gives_parts_titles_ids_and_the_form_tables_metadata() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let docs = fixture("docx/docs");
    w.ok(&["import", "entries", docs.to_str().unwrap(), "--id-prefix", "AL"]);
    let entries = exported(&w);
    assert_eq!(entries.len(), 16);
    let mut unnamed: Vec<&String> = Vec::new();
    let expected = expected();
    for (file, want) in &expected {
        let got = by_source(&entries, file);
        assert_eq!(
            squeeze(got["title"].as_str().unwrap()),
            squeeze(want["title"].as_str().unwrap()),
            "{file}"
        );
        for key in PARTS {
            assert_eq!(
                squeeze(got["sections"][key].as_str().unwrap()),
                squeeze(want[key].as_str().unwrap()),
                "{file}: {key}"
            );
        }
        if file.starts_with("AL") {
            assert_eq!(got["id"], want["id"], "{file}");
        } else {
            unnamed.push(file);
        }
        if want["style"] == "table" {
            for key in ["group", "organization", "county", "submitter"] {
                assert_eq!(got[key], want[key], "{file}: {key}");
            }
        } else {
            assert_eq!(got["organization"], "", "{file}: not guessed from the prose");
        }
    }
    // Files without an id: AL001, AL002, ... in the order of their paths.
    unnamed.sort();
    for (i, file) in unnamed.iter().enumerate() {
        assert_eq!(by_source(&entries, file)["id"], format!("AL{:03}", i + 1), "{file}");
    }
}

/// The fixture documents opened in LibreOffice 7.4 and saved back as .docx (`soffice --headless
/// --convert-to odt`, then `--convert-to docx`): its XML names styles `Normal`, writes bold off as
/// `w:val="false"` and splits runs differently. They import exactly as Word's.
#[test]
fn documents_saved_by_libreoffice_import_the_same() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/docx-libreoffice");
    w.ok(&[
        "import",
        "entries",
        fixture("docx/summary.csv").to_str().unwrap(),
        "--documents",
        docs.to_str().unwrap(),
    ]);
    let entries = exported(&w);
    for (file, want) in expected() {
        let got = by_source(&entries, &file);
        assert_eq!(got["id"], want["id"], "{file}");
        assert_eq!(
            squeeze(got["title"].as_str().unwrap()),
            squeeze(want["title"].as_str().unwrap())
        );
        for key in PARTS {
            assert_eq!(
                squeeze(got["sections"][key].as_str().unwrap()),
                squeeze(want[key].as_str().unwrap()),
                "{file}: {key}"
            );
        }
    }
}

fn scores_for(w: &Workspace, entry: &str) -> PathBuf {
    let all = std::fs::read_to_string(fixture("scores-cases.csv")).unwrap();
    let mut lines = all.lines();
    let mut text = format!("{}\n", lines.next().unwrap());
    for l in lines.filter(|l| l.split(',').nth(1) == Some(entry)) {
        text.push_str(l);
        text.push('\n');
    }
    let path = w.path("scores.csv");
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn update_replaces_changed_files_and_force_is_needed_once_scored() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let docs = copy_docs(&w);
    let d = docs.to_str().unwrap();
    w.ok(&["import", "entries", d]);
    let again = w.fails(&["import", "entries", d]);
    assert!(again.contains("AL20250007"), "{again}");
    let out = w.ok(&["import", "entries", d, "--update"]);
    assert!(out.contains("0 new, 0 updated, 16 unchanged"), "{out}");
    // AL20250007's document changes (another case's text under its name).
    let changed = "AL20250007-家庭会议里的倾听艺术——.docx";
    std::fs::copy(
        docs.join("AL20250134-一封家书架起亲子沟通的桥.docx"),
        docs.join(changed),
    )
    .unwrap();
    let out = w.ok(&["import", "entries", d, "--update"]);
    assert!(out.contains("0 new, 1 updated, 15 unchanged"), "{out}");
    let entries = exported(&w);
    assert_eq!(by_source(&entries, changed)["title"], "一封家书架起亲子沟通的桥梁");
    // Scored, then changed again: refused without --force.
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w.ok(&["import", "scores", scores_for(&w, "AL20250007").to_str().unwrap()]);
    std::fs::copy(fixture("docx/docs").join(changed), docs.join(changed)).unwrap();
    let before = w.digest();
    let e = w.fails(&["import", "entries", d, "--update"]);
    assert!(
        e.contains(&format!("{changed}: changed, but entry AL20250007 already has")),
        "{e}"
    );
    assert!(e.contains("give --force"), "{e}");
    assert_eq!(w.digest(), before);
    let out = w.ok(&["import", "entries", d, "--update", "--force"]);
    assert!(out.contains("AL20250007: its text was replaced although"), "{out}");
    let log = w.ok(&["audit", "log", "--entry", "AL20250007"]);
    assert!(log.contains("entry-text-replaced"), "{log}");
    assert_eq!(
        by_source(&exported(&w), changed)["title"],
        "家庭会议里的倾听艺术——丰城市青少年活动中心家长学校案例"
    );
}

#[test]
fn refused_documents_are_all_listed_and_nothing_is_stored() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "cases"]);
    let docs = copy_docs(&w);
    std::fs::create_dir_all(docs.join("某小学")).unwrap();
    std::fs::write(docs.join("某小学/旧格式.doc"), b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1").unwrap();
    std::fs::write(docs.join("扫描件.pdf"), b"%PDF-1.4").unwrap();
    std::fs::write(docs.join("坏文件.docx"), b"hello").unwrap();
    std::fs::write(docs.join("~$锁文件.docx"), b"lock").unwrap();
    std::fs::write(docs.join(".DS_Store"), b"x").unwrap();
    let before = w.digest();
    let e = w.fails(&["import", "entries", docs.to_str().unwrap()]);
    assert!(
        e.contains("某小学/旧格式.doc: is a Word 97-2003 document (.doc); 请另存为 .docx 后再导入"),
        "{e}"
    );
    assert!(e.contains("扫描件.pdf: is a PDF; 请转换为 .docx"), "{e}");
    assert!(!e.contains("锁文件") && !e.contains("DS_Store"), "{e}");
    assert!(e.contains("Nothing was imported; the workspace is unchanged."), "{e}");
    std::fs::remove_file(docs.join("某小学/旧格式.doc")).unwrap();
    std::fs::remove_file(docs.join("扫描件.pdf")).unwrap();
    // A password-protected document (encrypted with msoffcrypto-tool: an OLE file, not a ZIP) and a
    // Word 97 document (saved by LibreOffice) named .docx: each refused as what it is.
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    std::fs::copy(data.join("password-protected.docx"), docs.join("加密.docx")).unwrap();
    std::fs::copy(data.join("word97-renamed.docx"), docs.join("改名.docx")).unwrap();
    let e = w.fails(&["import", "entries", docs.to_str().unwrap()]);
    assert!(e.contains("坏文件.docx: is not a .docx"), "{e}");
    // One document named as the file to import: the way to import it is said.
    let one = docs.join("AL20250007-家庭会议里的倾听艺术——.docx");
    let single = w.fails(&["import", "entries", one.to_str().unwrap()]);
    assert!(single.contains("it is a Word document (.docx); cases written in Word are imported from their folder: jury import entries FOLDER"), "{single}");
    assert!(e.contains("加密.docx: is protected by a password"), "{e}");
    assert!(!e.lines().any(|l| l.contains("加密.docx") && l.contains("ZIP")), "{e}");
    assert!(
        e.contains(
            "改名.docx: is a Word 97-2003 (.doc) or WPS (.wps) document, whatever its name says; 请另存为 .docx"
        ),
        "{e}"
    );
    assert_eq!(w.digest(), before);
    // A document in which no part is found, and one with a part twice, both with the file named.
    for f in ["坏文件.docx", "加密.docx", "改名.docx"] {
        std::fs::remove_file(docs.join(f)).unwrap();
    }
    let e = w.fails(&["import", "entries", data.join("parts").to_str().unwrap()]);
    assert!(e.contains("no-parts.docx: none of the four parts was found"), "{e}");
    assert!(
        e.contains("twice.docx: paragraph 7: the part 问题描述 was already found at paragraph 4"),
        "{e}"
    );
    assert_eq!(w.digest(), before);
}
