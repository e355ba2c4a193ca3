//! Shared by every export: file names, writing a file whole, number texts.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::core::refusal::{FileKind, FileRefusal};
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

/// The mode of a new result file: the organiser reads and writes, the group reads, others do not.
#[cfg(unix)]
const NEW_FILE_MODE: u32 = 0o640;

/// Where an export writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Existing {
    /// `--out PATH`: an existing file is refused.
    Refuse,
    /// `--out PATH --force`: an existing regular file is replaced, keeping its mode.
    Replace,
    /// The default name: when it exists, `-2`, `-3`, … is added before the extension.
    Suffix,
}

/// What is at `path`, when it is something an export must never replace.
fn not_a_file(path: &Path) -> Option<FileKind> {
    let meta = std::fs::symlink_metadata(path).ok()?;
    let kind = meta.file_type();
    if kind.is_symlink() {
        return Some(FileKind::SymbolicLink);
    }
    if kind.is_dir() {
        return Some(FileKind::Folder);
    }
    if kind.is_file() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if kind.is_fifo() {
            return Some(FileKind::Fifo);
        }
        if kind.is_char_device() || kind.is_block_device() {
            return Some(FileKind::Device);
        }
        if kind.is_socket() {
            return Some(FileKind::Socket);
        }
    }
    Some(FileKind::Other)
}

/// `name-2.ext`, `name-3.ext`, …: the first that does not exist.
fn free_name(path: &Path) -> Result<PathBuf> {
    if std::fs::symlink_metadata(path).is_err() {
        return Ok(path.to_path_buf());
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    for n in 2..10_000 {
        let candidate = path.with_file_name(format!("{stem}-{n}{ext}"));
        if std::fs::symlink_metadata(&candidate).is_err() {
            return Ok(candidate);
        }
    }
    Err(FileRefusal::NumberedNamesTaken(path.to_path_buf()).into())
}

/// Write `bytes` to `path` whole: into a new file next to it, synced, then moved into place, so
/// a reader (or a crash) never sees half a file. Never replaces a device, FIFO, folder or
/// symbolic link; an existing file only with [`Existing::Replace`] (which keeps its mode); with
/// [`Existing::Suffix`] a free numbered name is chosen. New files get mode 0640. Returns the path
/// written.
pub fn write_output(path: &Path, bytes: &[u8], existing: Existing) -> Result<PathBuf> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !dir.is_dir() {
        return Err(FileRefusal::NoFolder {
            path: path.to_path_buf(),
            dir: dir.to_path_buf(),
        }
        .into());
    }
    if let Some(kind) = not_a_file(path) {
        return Err(FileRefusal::NotAFile {
            path: path.to_path_buf(),
            kind,
        }
        .into());
    }
    let path = match existing {
        Existing::Suffix => free_name(path)?,
        _ => path.to_path_buf(),
    };
    let old = std::fs::metadata(&path).ok();
    if old.is_some() && existing == Existing::Refuse {
        return Err(FileRefusal::Exists(path).into());
    }
    let name = path
        .file_name()
        .ok_or_else(|| Error::from(FileRefusal::NotAFileName(path.clone())))?;
    let tmp = dir.join(format!(".{}.{}.part", name.to_string_lossy(), std::process::id()));
    let written = (|| -> std::io::Result<()> {
        let mut file = std::fs::OpenOptions::new().write(true).create_new(true).open(&tmp)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = old.as_ref().map_or(NEW_FILE_MODE, |m| m.permissions().mode() & 0o7777);
            file.set_permissions(std::fs::Permissions::from_mode(mode))?;
        }
        file.write_all(bytes)?;
        file.sync_all()?;
        if old.is_some() {
            // --force: the regular file checked above is replaced in one step.
            std::fs::rename(&tmp, &path)
        } else {
            // A new name: linked in only if nothing appeared there meanwhile.
            match std::fs::hard_link(&tmp, &path) {
                Ok(()) => std::fs::remove_file(&tmp),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
                // A file system without hard links: check again, then move.
                Err(_) if std::fs::symlink_metadata(&path).is_err() => std::fs::rename(&tmp, &path),
                Err(e) => Err(e),
            }
        }
    })();
    if let Err(e) = written {
        // The partial file is ours; the error that matters is the write's.
        let _ = std::fs::remove_file(&tmp);
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            return Err(FileRefusal::Appeared(path).into());
        }
        return Err(FileRefusal::CannotWrite {
            path,
            detail: e.to_string(),
        }
        .into());
    }
    Ok(path)
}

/// [`write_output`] for `--out PATH` (with `--force` or not), or the default name `default`.
pub fn write_to(out: Option<&Path>, force: bool, default: impl FnOnce() -> PathBuf, bytes: &[u8]) -> Result<PathBuf> {
    match out {
        Some(p) => write_output(p, bytes, if force { Existing::Replace } else { Existing::Refuse }),
        None => write_output(&default(), bytes, Existing::Suffix),
    }
}

/// Write a new file at `path`, refusing anything already there (see [`write_output`]).
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<()> {
    write_output(path, bytes, Existing::Refuse).map(|_| ())
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
    fn write_file_replaces_whole_only_when_forced() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        write_file(&path, b"one").unwrap();
        let err = write_file(&path, b"two").unwrap_err().to_string();
        assert!(err.contains("already exists; add --force"), "{err}");
        assert_eq!(std::fs::read(&path).unwrap(), b"one");
        write_output(&path, b"two", Existing::Replace).unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert!(write_file(&dir.path().join("missing").join("a.txt"), b"x").is_err());
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(
            names,
            vec![std::ffi::OsString::from("a.txt")],
            "no temporary file is left"
        );
    }
}
