//! Turning a file's bytes into text: a BOM decides; else strict UTF-8; else strict GB18030 (which
//! also reads GBK, as Excel on Chinese Windows saves "CSV"); else the file is refused. Bad bytes
//! are never replaced silently.

use std::borrow::Cow;

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};

use crate::core::problems::Problem;

/// The text and the name of the encoding it was read as. UTF-8 is borrowed, not copied.
pub fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, &'static str), Problem> {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return std::str::from_utf8(rest)
            .map(|s| (Cow::Borrowed(s), "UTF-8 with BOM"))
            .map_err(|e| utf8_problem(rest, &e));
    }
    for (bom, encoding, name) in [
        (&b"\xFF\xFE"[..], UTF_16LE, "UTF-16LE"),
        (&b"\xFE\xFF"[..], UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            return encoding
                .decode_without_bom_handling_and_without_replacement(rest)
                .map(|s| (s, name))
                .ok_or(Problem::BadByteOrderMark { encoding: name });
        }
    }
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok((Cow::Borrowed(s), "UTF-8")),
        Err(utf8_error) => match GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
            Some(s) => Ok((s, "GB18030")),
            None => Err(utf8_problem(bytes, &utf8_error)),
        },
    }
}

fn utf8_problem(bytes: &[u8], e: &std::str::Utf8Error) -> Problem {
    let at = e.valid_up_to();
    let line = bytes.get(..at).unwrap_or(bytes).iter().filter(|&&b| b == b'\n').count() + 1;
    let byte = bytes.get(at).copied().unwrap_or(0);
    Problem::NotText { byte, line }
}

/// A CSV cell as `jury export` escaped it for spreadsheets, unescaped: a cell of one or more `'`
/// followed by `=`, `+`, `-` or `@` loses its first `'` (Excel's own mark for "this is text").
/// Any other cell is left as it is.
pub fn unescape_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.trim_start_matches('\'').starts_with(['=', '+', '-', '@']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_utf8_bom_and_gbk() {
        let (text, encoding) = decode("编号,标题".as_bytes()).unwrap();
        assert_eq!((text.as_ref(), encoding), ("编号,标题", "UTF-8"));
        assert!(matches!(text, Cow::Borrowed(_)), "valid UTF-8 is not copied");
        let mut bom = b"\xEF\xBB\xBF".to_vec();
        bom.extend_from_slice("编号".as_bytes());
        assert_eq!(decode(&bom).unwrap().0, "编号");
        let (gbk, _, _) = GB18030.encode("亲子沟通,習慣");
        let (text, encoding) = decode(&gbk).unwrap();
        assert_eq!((text.as_ref(), encoding), ("亲子沟通,習慣", "GB18030"));
    }

    #[test]
    fn refuses_garbage_with_its_line() {
        let err = decode(b"id,title\nA1,\xFF\xFF\xFF\n").unwrap_err();
        assert_eq!(err, Problem::NotText { byte: 0xFF, line: 2 });
        let err = err.to_string();
        assert!(err.contains("line 2"), "{err}");
        assert!(err.contains("0xFF"), "{err}");
    }
}
