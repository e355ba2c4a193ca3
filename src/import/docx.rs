//! Word documents (.docx): the text of `word/document.xml` as paragraphs, in reading order, for
//! [`super::parts`] to split; the title property; the label/value pairs of a form table at the top.
//!
//! Bounded like every reader: the file's size, the ZIP's directory (parts, total unpacked size,
//! how tightly each part is packed) and the document part are checked before anything is
//! inflated, and the zip crate stops any part at its declared size. Nothing here panics on any
//! input; a file that cannot be read is refused with what it is (a .doc, a password-protected
//! document, a PDF, a damaged ZIP) and what to do.

use std::io::{Cursor, Read};

use quick_xml::events::{BytesStart, Event};

use super::parts::{self, Paragraph};

/// Largest .docx read (a case of a few pages with pictures is a few MB).
pub const MAX_DOCX_BYTES: u64 = 64 * 1024 * 1024;
/// Most the parts of a .docx may unpack to, together.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;
/// Most `word/document.xml` may unpack to.
pub const MAX_DOCUMENT_XML_BYTES: u64 = 32 * 1024 * 1024;
/// Most a part larger than [`RATIO_CHECKED_BYTES`] may have been compressed (a zip bomb packs
/// a thousand times; Word's XML about ten).
pub const MAX_RATIO: u64 = 100;
const RATIO_CHECKED_BYTES: u64 = 1024 * 1024;
/// Most parts in a package (Word writes about fifteen).
const MAX_PARTS: usize = 10_000;
/// Most paragraphs read from one document.
const MAX_PARAGRAPHS: usize = 200_000;

/// A document's text as read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Document {
    /// The body's non-empty paragraphs and tables, in reading order (text boxes in place).
    pub paragraphs: Vec<Paragraph>,
    /// `dc:title` in `docProps/core.xml`, trimmed; often empty.
    pub title_property: String,
    /// The first table (its index in `paragraphs`) with its rows of cells as text (a cell's
    /// paragraphs joined by a space): a form table, when it comes before the first part.
    pub first_table: Option<(usize, Vec<Vec<String>>)>,
}

/// The signature of an OLE compound file: a Word 97-2003 .doc, a WPS .wps, or an encrypted
/// Office document (its package sealed in an `EncryptedPackage` stream).
const CFB_SIGNATURE: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// `EncryptionInfo`, as the compound file's directory names a stream (UTF-16LE).
fn is_encrypted_ooxml(bytes: &[u8]) -> bool {
    let name: Vec<u8> = "EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes).collect();
    bytes.windows(name.len()).any(|w| w == name.as_slice())
}

pub use crate::core::problems::{CONVERT_TO_DOCX, SAVE_AS_DOCX};
use crate::core::problems::{DocxPackage, Problem};

/// Why a file in a folder of submissions is refused by its name alone, before it is read.
pub fn refused_by_extension(name: &str) -> Option<crate::core::problems::Problem> {
    let lower = name.to_lowercase();
    let ext = lower.rsplit_once('.').map_or("", |(_, e)| e);
    match ext {
        "doc" | "wps" | "rtf" | "odt" | "docm" | "dotx" | "pdf" => {
            Some(crate::core::problems::Problem::NotDocx { ext: ext.to_string() })
        }
        _ => None,
    }
}

/// Read a .docx from its bytes. `Err` is the problem, to follow the file's name.
pub fn read_docx(bytes: &[u8]) -> Result<Document, Problem> {
    std::panic::catch_unwind(|| read_unguarded(bytes)).unwrap_or(Err(Problem::DocxMalformed))
}

fn read_unguarded(bytes: &[u8]) -> Result<Document, Problem> {
    if bytes.len() as u64 > MAX_DOCX_BYTES {
        return Err(Problem::DocumentTooBig {
            mb: bytes.len() as u64 / (1024 * 1024),
            most_mb: MAX_DOCX_BYTES / (1024 * 1024),
        });
    }
    if bytes.starts_with(CFB_SIGNATURE) {
        return Err(if is_encrypted_ooxml(bytes) {
            Problem::DocxProtected
        } else {
            Problem::DocxIsDoc
        });
    }
    if bytes.starts_with(b"%PDF") {
        return Err(Problem::DocxIsPdf);
    }
    if bytes.starts_with(b"{\\rtf") {
        return Err(Problem::DocxIsRtf);
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(Problem::DocxNotZip);
    }
    let mut zip = checked_zip(bytes).map_err(Problem::DocxPackage)?;
    let xml = read_part(&mut zip, "word/document.xml", MAX_DOCUMENT_XML_BYTES)
        .map_err(Problem::DocxPackage)?
        .ok_or(Problem::DocxNoDocument)?;
    let title_property = read_part(&mut zip, "docProps/core.xml", 1024 * 1024)
        .ok()
        .flatten()
        .map(|core| title_property(&core))
        .unwrap_or_default();
    let (paragraphs, first_table) = body(&xml).map_err(Problem::DocxPackage)?;
    // XML allows no control characters but tab and line breaks; quick-xml passes them through
    // (found by fuzzing: a NUL reached an entry). Such a document is damaged.
    if let Some(c) = paragraphs
        .iter()
        .flat_map(|p| p.text.chars())
        .find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(Problem::DocxControl { code: c as u32 });
    }
    Ok(Document {
        paragraphs,
        title_property,
        first_table,
    })
}

type Zip<'a> = zip::ZipArchive<Cursor<&'a [u8]>>;

fn checked_zip(bytes: &[u8]) -> Result<Zip<'_>, DocxPackage> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| DocxPackage::NotComplete)?;
    if zip.len() > MAX_PARTS {
        return Err(DocxPackage::TooManyParts {
            parts: zip.len(),
            most: MAX_PARTS,
        });
    }
    let mut total: u64 = 0;
    for i in 0..zip.len() {
        let part = zip
            .by_index_raw(i)
            .map_err(|e| DocxPackage::DirectoryDamaged { detail: e.to_string() })?;
        let (size, packed) = (part.size(), part.compressed_size());
        total = total.saturating_add(size);
        if total > MAX_UNPACKED_BYTES {
            return Err(DocxPackage::UnpacksTooLarge {
                most_mb: MAX_UNPACKED_BYTES / (1024 * 1024),
            });
        }
        if size > RATIO_CHECKED_BYTES && size / packed.max(1) > MAX_RATIO {
            return Err(DocxPackage::ZipBomb {
                part: part.name().unwrap_or_default().to_string(),
                mb: size / (1024 * 1024),
                kb: packed / 1024,
                ratio: MAX_RATIO,
            });
        }
    }
    Ok(zip)
}

/// The part `name` as UTF-8 text, at most `cap` bytes; `None` if the package has no such part.
fn read_part(zip: &mut Zip<'_>, name: &str, cap: u64) -> Result<Option<String>, DocxPackage> {
    let index = match zip.index_for_name(name) {
        Some(i) => i,
        None => return Ok(None),
    };
    let part = zip.by_index(index).map_err(|e| DocxPackage::PartNotUnpacked {
        part: name.to_string(),
        detail: e.to_string(),
    })?;
    if part.size() > cap {
        return Err(DocxPackage::PartTooLarge {
            part: name.to_string(),
            mb: part.size() / (1024 * 1024),
            most_mb: cap / (1024 * 1024),
        });
    }
    let mut bytes = Vec::with_capacity(part.size() as usize);
    part.take(cap + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DocxPackage::PartDamaged {
            part: name.to_string(),
            detail: e.to_string(),
        })?;
    if bytes.len() as u64 > cap {
        return Err(DocxPackage::PartOverCap {
            part: name.to_string(),
            most_mb: cap / (1024 * 1024),
        });
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    String::from_utf8(bytes.to_vec())
        .map(Some)
        .map_err(|_| DocxPackage::PartNotUtf8 { part: name.to_string() })
}

fn title_property(core: &str) -> String {
    let mut reader = quick_xml::Reader::from_str(core);
    let mut inside = false;
    let mut title = String::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.local_name().as_ref() == "title" => inside = true,
            Ok(Event::End(e)) if e.local_name().as_ref() == "title" => break,
            Ok(Event::Text(t)) if inside => title.push_str(&t.xml_content(quick_xml::XmlVersion::Implicit1_0)),
            Ok(Event::GeneralRef(r)) if inside => push_ref(&mut title, &r),
            Ok(Event::Eof) | Err(_) => break,
            _ => {}
        }
        if title.len() > 4096 {
            break;
        }
    }
    title.trim().to_string()
}

fn push_ref(out: &mut String, r: &quick_xml::events::BytesRef<'_>) {
    if let Ok(Some(c)) = r.resolve_char_ref() {
        out.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_predefined_entity(r) {
        out.push_str(s);
    }
}

/// Whether `<w:b>` (or any on/off property) is on: absent `w:val`, or one that is not off.
fn is_on(e: &BytesStart<'_>) -> bool {
    let val = e
        .attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == "val")
        .map(|a| a.value.to_ascii_lowercase());
    !matches!(val.as_deref(), Some("0" | "false" | "off" | "none"))
}

#[derive(Default)]
struct ParaBuilder {
    text: String,
    bold_chars: usize,
    /// Still in the leading bold runs.
    bold_open: bool,
}

impl ParaBuilder {
    fn new() -> Self {
        ParaBuilder {
            bold_open: true,
            ..Default::default()
        }
    }

    fn push(&mut self, text: &str, bold: bool) {
        if self.bold_open {
            if bold {
                self.bold_chars += text.chars().count();
            } else if !text.trim().is_empty() {
                self.bold_open = false;
            } else {
                self.bold_chars += text.chars().count();
            }
        }
        self.text.push_str(text);
    }
}

#[derive(Default)]
struct TableBuilder {
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    cell: Vec<String>,
}

/// Elements whose content is left out: deleted text (tracked changes accepted), text moved away,
/// field codes, the fallback copy of a text box, footnote and comment references.
fn skipped(name: &str) -> bool {
    matches!(
        name,
        "del" | "moveFrom" | "instrText" | "delInstrText" | "Fallback" | "delText" | "pPrChange" | "rPrChange"
    )
}

/// The body's paragraphs and tables, and the first table if the document opens with one.
#[allow(clippy::type_complexity)]
fn body(xml: &str) -> Result<(Vec<Paragraph>, Option<(usize, Vec<Vec<String>>)>), DocxPackage> {
    let damaged = |e: quick_xml::Error| DocxPackage::XmlDamaged { detail: e.to_string() };
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out: Vec<Paragraph> = Vec::new();
    let mut first_table: Option<(usize, Vec<Vec<String>>)> = None;
    let mut paras: Vec<ParaBuilder> = Vec::new();
    let mut tables: Vec<TableBuilder> = Vec::new();
    let mut skip = 0usize;
    let mut in_t = false;
    let mut in_run = false;
    let mut run_bold = false;
    // Inside `w:pPr` (the paragraph mark's run properties are not a run's).
    let mut in_ppr = 0usize;
    let mut in_rpr = false;
    loop {
        let event = reader.read_event().map_err(damaged)?;
        match event {
            Event::Eof => break,
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name();
                let name = name.as_ref();
                if skip > 0 || skipped(name) {
                    if !empty {
                        skip += 1;
                    }
                    continue;
                }
                match name {
                    "p" => {
                        if empty {
                            continue;
                        }
                        paras.push(ParaBuilder::new());
                    }
                    "pPr" if !empty => in_ppr += 1,
                    "r" if !empty => {
                        in_run = true;
                        run_bold = false;
                    }
                    "rPr" if !empty && in_run && in_ppr == 0 => in_rpr = true,
                    "b" if in_rpr => run_bold = is_on(e),
                    "t" if in_run && !empty => in_t = true,
                    "tab" if in_run && in_ppr == 0 => push_text(&mut paras, "\t", run_bold),
                    "br" | "cr" if in_run => push_text(&mut paras, "\n", run_bold),
                    "noBreakHyphen" if in_run => push_text(&mut paras, "-", run_bold),
                    "tbl" if !empty => tables.push(TableBuilder::default()),
                    "tr" if !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.row.clear();
                        }
                    }
                    "tc" if !empty => {
                        if let Some(t) = tables.last_mut() {
                            t.cell.clear();
                        }
                    }
                    _ => {}
                }
            }
            Event::End(ref e) => {
                let name = e.local_name();
                let name = name.as_ref();
                if skip > 0 {
                    skip -= 1;
                    continue;
                }
                match name {
                    "p" => {
                        let Some(p) = paras.pop() else { continue };
                        if let Some(t) = tables.last_mut() {
                            if !p.text.trim().is_empty() {
                                t.cell.push(p.text.trim().replace(['\t', '\n'], " "));
                            }
                        } else if !p.text.trim().is_empty() {
                            if out.len() >= MAX_PARAGRAPHS {
                                return Err(DocxPackage::TooManyParagraphs { most: MAX_PARAGRAPHS });
                            }
                            out.push(Paragraph {
                                text: p.text,
                                bold_chars: p.bold_chars,
                                table: false,
                            });
                        }
                    }
                    "pPr" => in_ppr = in_ppr.saturating_sub(1),
                    "r" => {
                        in_run = false;
                        in_rpr = false;
                        run_bold = false;
                    }
                    "rPr" => in_rpr = false,
                    "t" => in_t = false,
                    "tc" => {
                        if let Some(t) = tables.last_mut() {
                            let cell = std::mem::take(&mut t.cell).join(" ");
                            t.row.push(cell);
                        }
                    }
                    "tr" => {
                        if let Some(t) = tables.last_mut() {
                            let row = std::mem::take(&mut t.row);
                            if t.rows.len() < MAX_PARAGRAPHS {
                                t.rows.push(row);
                            }
                        }
                    }
                    "tbl" => {
                        let Some(t) = tables.pop() else { continue };
                        let lines: Vec<String> = t
                            .rows
                            .iter()
                            .filter(|r| r.iter().any(|c| !c.is_empty()))
                            .map(|r| r.join("\t"))
                            .collect();
                        if let Some(outer) = tables.last_mut() {
                            // A table in a table cell: its rows as text of the cell.
                            outer.cell.push(lines.join(" "));
                        } else if !lines.is_empty() {
                            if first_table.is_none() {
                                first_table = Some((out.len(), t.rows));
                            }
                            out.push(Paragraph {
                                text: lines.join("\n"),
                                bold_chars: 0,
                                table: true,
                            });
                        }
                    }
                    _ => {}
                }
            }
            Event::Text(ref t) if in_t && skip == 0 => {
                let text = t.xml_content(quick_xml::XmlVersion::Implicit1_0);
                push_text(&mut paras, &text, run_bold);
            }
            Event::GeneralRef(ref r) if in_t && skip == 0 => {
                let mut s = String::new();
                push_ref(&mut s, r);
                push_text(&mut paras, &s, run_bold);
            }
            Event::CData(ref c) if in_t && skip == 0 => {
                let text = c.xml_content(quick_xml::XmlVersion::Implicit1_0);
                push_text(&mut paras, &text, run_bold);
            }
            _ => {}
        }
    }
    Ok((out, first_table))
}

fn push_text(paras: &mut [ParaBuilder], text: &str, bold: bool) {
    if let Some(p) = paras.last_mut() {
        p.push(text, bold);
    }
}

/// The metadata fields a form table at the top of a document fills, with their labels.
const FORM_LABELS: [(FormField, &[&str]); 5] = [
    (FormField::Title, &["案例名称", "标题", "案例标题", "题目"]),
    (FormField::Organization, &["申报单位", "单位", "工作单位"]),
    (FormField::County, &["所属县市区", "县市区", "县区", "所属县区"]),
    (FormField::Group, &["主题类别", "主题"]),
    (FormField::Submitter, &["申报人", "作者"]),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormField {
    Title,
    Organization,
    County,
    Group,
    Submitter,
}

/// A label as compared: NFKC, without spaces, punctuation or a trailing colon.
fn label_key(label: &str) -> String {
    crate::core::text::nfkc(label)
        .chars()
        .filter(|c| !c.is_whitespace() && !matches!(c, '(' | ')' | '、' | ',' | ':' | '*' | '：' | '（' | '）'))
        .collect()
}

/// The metadata in a form table: label cells followed by value cells, two or four cells a row.
pub fn form_fields(table: &[Vec<String>]) -> Vec<(FormField, String)> {
    let mut found: Vec<(FormField, String)> = Vec::new();
    for row in table {
        for pair in row.chunks(2) {
            let [label, value] = pair else { continue };
            let key = label_key(label);
            let Some((field, _)) = FORM_LABELS.iter().find(|(_, names)| names.contains(&key.as_str())) else {
                continue;
            };
            if !found.iter().any(|(f, _)| f == field) {
                found.push((*field, value.trim().to_string()));
            }
        }
    }
    found
}

/// A document read and split: what an entry takes from it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Case {
    pub title: String,
    /// From a form table at the top; empty without one.
    pub organization: String,
    pub county: String,
    pub group: String,
    pub submitter: String,
    /// background, problem, strategy, outcome.
    pub parts: [String; 4],
}

/// Read a .docx and split it into its parts. `Err` is the problem, to follow the file's name.
pub fn read_case(bytes: &[u8]) -> Result<Case, Problem> {
    let doc = read_docx(bytes)?;
    case_of(&doc)
}

/// [`read_case`] on a document already read.
pub fn case_of(doc: &Document) -> Result<Case, Problem> {
    let split = parts::split(&doc.paragraphs).map_err(|p| match p {
        parts::PartsProblem::NoneFound => Problem::DocxNoParts,
        parts::PartsProblem::Twice { section, first, again } => Problem::DocxPartTwice {
            part: section_name(section),
            first,
            again,
        },
    })?;
    let mut case = Case {
        parts: split.texts,
        ..Case::default()
    };
    let first_part = split.found_at.iter().flatten().min().copied().unwrap_or(1);
    if let Some((at, table)) = &doc.first_table
        && *at + 1 < first_part
    {
        for (field, value) in form_fields(table) {
            let slot = match field {
                FormField::Title => &mut case.title,
                FormField::Organization => &mut case.organization,
                FormField::County => &mut case.county,
                FormField::Group => &mut case.group,
                FormField::Submitter => &mut case.submitter,
            };
            *slot = value;
        }
    }
    if case.title.is_empty() {
        case.title = doc
            .paragraphs
            .iter()
            .take(first_part.saturating_sub(1))
            .find(|p| !p.table && !p.text.trim().is_empty())
            .map(|p| p.text.replace(['\n', '\t'], " ").trim().to_string())
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| doc.title_property.clone());
    }
    Ok(case)
}

fn section_name(section: crate::core::rubric::Section) -> &'static str {
    parts::PART_NAMES
        .iter()
        .find(|(s, _)| *s == section)
        .and_then(|(_, names)| names.first())
        .copied()
        .unwrap_or("")
}

/// The SHA-256 of a file's bytes, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A package with `document_xml` as its `word/document.xml` (stored, not compressed): for the
/// fuzz target, and for tests and benchmarks that make documents.
pub fn package_of_document_xml(document_xml: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let written = zip
        .start_file("[Content_Types].xml", options)
        .and_then(|()| zip.write_all(b"<Types/>").map_err(Into::into))
        .and_then(|()| zip.start_file("word/document.xml", options))
        .and_then(|()| zip.write_all(document_xml).map_err(Into::into));
    match written.and_then(|()| zip.finish()) {
        Ok(cursor) => cursor.into_inner(),
        Err(_) => Vec::new(),
    }
}

/// Small .docx packages for tests: `document.xml`'s body from a string.
#[cfg(test)]
pub(crate) mod testing {
    use std::io::Write;

    pub const NS: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" \
                          xmlns:mc=\"http://schemas.openxmlformats.org/markup-compatibility/2006\"";

    /// A package holding `word/document.xml` with `body` inside `<w:body>`.
    pub fn docx(body: &str) -> Vec<u8> {
        let xml =
            format!("<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document {NS}><w:body>{body}</w:body></w:document>");
        package(&[("[Content_Types].xml", "<Types/>"), ("word/document.xml", &xml)])
    }

    pub fn package(parts: &[(&str, &str)]) -> Vec<u8> {
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        for (name, text) in parts {
            zip.start_file(*name, options).unwrap();
            zip.write_all(text.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    /// A paragraph of one plain run per line of `text`.
    pub fn p(text: &str) -> String {
        format!("<w:p><w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r></w:p>")
    }

    /// Paragraphs for each of `lines`.
    pub fn ps(lines: &[&str]) -> String {
        lines.iter().map(|l| p(l)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::*;
    use super::*;

    fn case(body: &str) -> Result<Case, Problem> {
        read_case(&docx(body))
    }

    const FOUR: &[&str] = &[
        "一、背景介绍",
        "甲",
        "二、问题描述",
        "乙",
        "三、解决策略",
        "丙",
        "四、结果评估",
        "丁",
    ];

    #[test]
    fn the_fixture_documents_read_as_expected() {
        let dir = std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/fixtures/docx"));
        let expected: serde_json::Value =
            serde_json::from_slice(&std::fs::read(dir.join("expected.json")).unwrap()).unwrap();
        let squeeze = |s: &str| s.chars().filter(|c| !c.is_whitespace()).collect::<String>();
        let mut n = 0;
        for (file, want) in expected.as_object().unwrap() {
            let got = read_case(&std::fs::read(dir.join("docs").join(file)).unwrap()).unwrap();
            for (i, key) in ["background", "problem", "strategy", "outcome"].iter().enumerate() {
                assert_eq!(
                    squeeze(&got.parts[i]),
                    squeeze(want[key].as_str().unwrap()),
                    "{file}: {key}"
                );
            }
            assert_eq!(
                squeeze(&got.title),
                squeeze(want["title"].as_str().unwrap()),
                "{file}: title"
            );
            if want["style"] == "table" {
                assert_eq!(got.organization, want["organization"].as_str().unwrap(), "{file}");
                assert_eq!(got.county, want["county"].as_str().unwrap(), "{file}");
                assert_eq!(got.group, want["group"].as_str().unwrap(), "{file}");
                assert_eq!(got.submitter, want["submitter"].as_str().unwrap(), "{file}");
            } else {
                assert_eq!((got.organization.as_str(), got.county.as_str()), ("", ""), "{file}");
            }
            n += 1;
        }
        assert_eq!(n, 16);
    }

    #[test]
    fn four_parts_and_the_title() {
        let mut lines = vec!["家庭会议里的倾听艺术", "作者：某某", "摘要：本文……", "关键词：沟通"];
        lines.extend(FOUR);
        let c = case(&ps(&lines)).unwrap();
        assert_eq!(c.title, "家庭会议里的倾听艺术");
        assert_eq!(c.parts, ["甲".to_string(), "乙".into(), "丙".into(), "丁".into()]);
    }

    #[test]
    fn tracked_changes_soft_breaks_tabs_and_entities() {
        let body = format!(
            "{}<w:p><w:r><w:t>留</w:t></w:r><w:del><w:r><w:delText>删掉的</w:delText></w:r></w:del>\
             <w:ins><w:r><w:t>加上的</w:t></w:r></w:ins><w:r><w:br/><w:t>第二行</w:t><w:tab/><w:t>A&amp;B&#x4E2D;</w:t></w:r></w:p>{}",
            p("背景介绍"),
            ps(&FOUR[2..])
        );
        let c = case(&body).unwrap();
        assert_eq!(c.parts[0], "留加上的\n第二行\tA&B中");
    }

    #[test]
    fn a_table_in_a_part_is_tab_separated_lines() {
        let table = "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>周次</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>次数</w:t></w:r></w:p></w:tc></w:tr>\
                     <w:tr><w:tc><w:p><w:r><w:t>1</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>3</w:t></w:r></w:p></w:tc></w:tr></w:tbl>";
        let body = format!("{}{}{table}{}", ps(&FOUR[..6]), p("四、结果评估"), p("见上表"));
        let c = case(&body).unwrap();
        assert_eq!(c.parts[3], "周次\t次数\n1\t3\n见上表");
    }

    #[test]
    fn a_text_box_is_read_in_place_once() {
        let txbx = format!(
            "<w:p><w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing><w:txbxContent>{}</w:txbxContent></w:drawing></mc:Choice>\
             <mc:Fallback><w:pict><w:txbxContent>{}</w:txbxContent></w:pict></mc:Fallback></mc:AlternateContent></w:r></w:p>",
            p("框里的话"),
            p("框里的话")
        );
        let body = format!("{}{}{txbx}{}", ps(&FOUR[..2]), p("二、问题描述"), ps(&FOUR[4..]));
        let c = case(&body).unwrap();
        assert_eq!(c.parts[1], "框里的话");
    }

    #[test]
    fn bold_is_a_run_whose_b_is_not_off() {
        let long = "：本案例来自一所乡村小学，学生中留守儿童比例较高，家长多在外务工，孩子由祖辈照看。";
        let para =
            |b: &str| format!("<w:p><w:r><w:rPr>{b}</w:rPr><w:t>背景</w:t></w:r><w:r><w:t>{long}</w:t></w:r></w:p>");
        let bold = format!("{}{}", para("<w:b/>"), ps(&FOUR[2..]));
        assert!(case(&bold).unwrap().parts[0].starts_with("本案例来自"));
        let on = format!("{}{}", para("<w:b w:val=\"1\"/>"), ps(&FOUR[2..]));
        assert!(case(&on).unwrap().parts[0].starts_with("本案例来自"));
        let off = format!("{}{}", para("<w:b w:val=\"0\"/>"), ps(&FOUR[2..]));
        assert_eq!(
            case(&off).unwrap().parts[0],
            "",
            "not bold: prose before the first part"
        );
        // Bold of the paragraph mark (w:pPr/w:rPr) is not a run's.
        let mark = format!(
            "<w:p><w:pPr><w:rPr><w:b/></w:rPr></w:pPr><w:r><w:t>背景{long}</w:t></w:r></w:p>{}",
            ps(&FOUR[2..])
        );
        assert_eq!(case(&mark).unwrap().parts[0], "");
    }

    #[test]
    fn refusals_say_what_the_file_is() {
        assert!(
            case(&p("正文"))
                .unwrap_err()
                .to_string()
                .contains("none of the four parts was found")
        );
        let twice = ps(&["一、背景介绍", "甲", "二、问题描述", "乙", "三、案例背景", "丙"]);
        let e = case(&twice).unwrap_err().to_string();
        assert!(
            e.contains("paragraph 5: the part 背景介绍 was already found at paragraph 1"),
            "{e}"
        );
        let e = read_case(b"not a zip at all").unwrap_err().to_string();
        assert!(e.contains("is not a .docx"), "{e}");
        let mut cfb = CFB_SIGNATURE.to_vec();
        cfb.resize(2048, 0);
        let e = read_case(&cfb).unwrap_err().to_string();
        assert!(e.contains("请另存为 .docx 后再导入"), "{e}");
        let mut encrypted = cfb.clone();
        encrypted.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
        encrypted.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        let e = read_case(&encrypted).unwrap_err().to_string();
        assert!(e.contains("is protected by a password"), "{e}");
        assert!(!e.contains("ZIP"), "{e}");
        let e = read_case(b"%PDF-1.7\n...").unwrap_err().to_string();
        assert!(e.contains("请转换为 .docx"), "{e}");
        let e = read_case(&package(&[("xl/workbook.xml", "<x/>")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("has no word/document.xml"), "{e}");
        let cut = docx(&ps(FOUR));
        let e = read_case(&cut[..cut.len() / 2]).unwrap_err().to_string();
        assert!(e.contains("not a complete ZIP package"), "{e}");
        let e = read_case(&package(&[("word/document.xml", "<w:document><w:body><w:p></w:body>")]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("word/document.xml is damaged"), "{e}");
        let nul = docx(&format!("{}{}", p("背景介绍"), p("甲\u{0}乙")));
        let e = read_case(&nul).unwrap_err().to_string();
        assert!(e.contains("holds the control character U+0000"), "{e}");
        assert_eq!(
            refused_by_extension("a.DOC").unwrap().to_string(),
            format!("is a Word 97-2003 document (.doc); {SAVE_AS_DOCX}")
        );
        assert!(
            refused_by_extension("a.wps")
                .unwrap()
                .to_string()
                .contains("请另存为 .docx 后再导入")
        );
        assert!(
            refused_by_extension("a.pdf")
                .unwrap()
                .to_string()
                .contains("请转换为 .docx")
        );
        assert_eq!(refused_by_extension("a.docx"), None);
    }

    #[test]
    fn a_zip_bomb_is_refused_before_it_is_unpacked() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(false);
        zip.start_file("word/document.xml", options).unwrap();
        let block = vec![b' '; 1 << 20];
        for _ in 0..40 {
            zip.write_all(&block).unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        let e = read_case(&bytes).unwrap_err().to_string();
        assert!(e.contains("as a ZIP bomb does"), "{e}");
    }

    #[test]
    fn a_form_table_fills_the_metadata() {
        let row = |a: &str, b: &str| {
            format!(
                "<w:tr><w:tc><w:p><w:r><w:t>{a}</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>{b}</w:t></w:r></w:p></w:tc></w:tr>"
            )
        };
        let table = format!(
            "<w:tbl>{}{}{}{}{}</w:tbl>",
            row("案例名称", "倾听"),
            row("申报单位：", "某小学"),
            row("所属县（市、区）", "某县"),
            row("主题类别", "亲子沟通"),
            row("申 报 人", "张三")
        );
        let c = case(&format!("{}{table}{}", p("倾听"), ps(FOUR))).unwrap();
        assert_eq!(
            (
                c.title.as_str(),
                c.organization.as_str(),
                c.county.as_str(),
                c.group.as_str(),
                c.submitter.as_str()
            ),
            ("倾听", "某小学", "某县", "亲子沟通", "张三")
        );
    }
}
