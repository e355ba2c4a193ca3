//! Shared by every export: file names, writing a file whole, number texts.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::core::{Points, Ratio};
use crate::error::{Error, Result};

/// `results-<contest>-<date>.<ext>`: the contest name kept readable (Chinese stays), with the
/// characters Windows, macOS and Linux refuse in file names replaced by `_`.
pub fn default_file_name(kind: &str, contest: &str, date: &str, ext: &str) -> String {
    format!("{kind}-{}-{date}.{ext}", file_name_part(contest))
}

/// A text made safe for a file name.
pub fn file_name_part(text: &str) -> String {
    let cleaned: String = text
        .trim()
        .chars()
        .map(|c| match c {
            '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() || c.is_whitespace() => '-',
            c => c,
        })
        .collect();
    let cleaned = cleaned.trim_matches(|c| c == '.' || c == '-').to_string();
    if cleaned.is_empty() { "contest".into() } else { cleaned }
}

/// Write `bytes` to `path` whole: into a new file next to it, synced, then renamed over it, so
/// a reader (or a crash) never sees half a file. The file gets the usual permissions (umask).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(Error::refused(format!(
            "{}: the folder {} does not exist",
            path.display(),
            dir.display()
        )));
    }
    let name = path
        .file_name()
        .ok_or_else(|| Error::refused(format!("{}: not a file name", path.display())))?;
    let tmp = dir.join(format!(".{}.{}.part", name.to_string_lossy(), std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if let Err(e) = written {
        // The partial file is ours; the error that matters is the write's.
        let _ = std::fs::remove_file(&tmp);
        return Err(Error::refused(format!("{}: cannot be written: {e}", path.display())));
    }
    Ok(())
}

/// A ratio as a percentage without trailing zeros: 2/5 → `40`, 1/3 → `33.33`.
pub fn percent(r: Ratio) -> String {
    let text = (r * Ratio::from_int(100)).format_fixed(2);
    trim_decimal_zeros(&text)
}

fn trim_decimal_zeros(text: &str) -> String {
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text.to_string()
    }
}

/// Decimals needed to show every multiple of `step` exactly (0.5 → 1, 0.25 → 2, 1 → 0).
pub fn step_decimals(step: Points) -> u32 {
    let text = step.to_string();
    text.split_once('.').map_or(0, |(_, frac)| frac.len() as u32)
}

/// A spreadsheet number format with `decimals` places: `0`, `0.0`, `0.00`.
pub fn number_format(decimals: u32) -> String {
    if decimals == 0 {
        "0".into()
    } else {
        format!("0.{}", "0".repeat(decimals as usize))
    }
}

/// The number a spreadsheet cell stores for a shown decimal text: parsed from the exactly
/// rounded text, so the stored value is the shown one (85.125 shown as 85.13 stores 85.13).
pub fn shown_number(text: &str) -> Option<f64> {
    text.parse::<f64>().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_keep_chinese_and_drop_separators() {
        assert_eq!(
            default_file_name("results", "家庭教育/心理:大赛 2026", "2026-11-29", "html"),
            "results-家庭教育_心理_大赛-2026-2026-11-29.html"
        );
        assert_eq!(file_name_part(" .. "), "contest");
    }

    #[test]
    fn percents_and_formats() {
        assert_eq!(percent(Ratio::new(2, 5)), "40");
        assert_eq!(percent(Ratio::new(1, 3)), "33.33");
        assert_eq!(percent(Ratio::new(1, 8)), "12.5");
        assert_eq!(step_decimals(Points::parse("0.5").unwrap()), 1);
        assert_eq!(step_decimals(Points::parse("1").unwrap()), 0);
        assert_eq!(number_format(2), "0.00");
        assert_eq!(number_format(0), "0");
        assert_eq!(shown_number("85.13"), Some(85.13));
    }

    #[test]
    fn write_file_replaces_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_file(&path, b"one").unwrap();
        write_file(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(write_file(&dir.path().join("missing").join("a.txt"), b"x").is_err());
    }
}
