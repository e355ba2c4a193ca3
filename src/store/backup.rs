//! A consistent copy of the whole workspace while judges keep working: `VACUUM INTO` reads one
//! snapshot (writers are not blocked in WAL mode) and writes a compact new database, which is then
//! synced to disk. The online backup API is not used: it restarts whenever another connection writes.

use std::fs::File;
use std::path::Path;

use super::Store;
use crate::core::refusal::{FileRefusal, StoreRefusal};
use crate::error::{Error, Result};

impl Store {
    /// Copy the workspace to `path`, a file that must not exist yet. The copy opens as it is with
    /// `jury --db PATH`. Do not call inside [`Store::read`] or [`Store::write`].
    pub fn backup_to(&self, path: &Path) -> Result<()> {
        if path.exists() {
            return Err(StoreRefusal::BackupExists(path.to_path_buf()).into());
        }
        if let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
            && !dir.is_dir()
        {
            return Err(FileRefusal::NoFolder {
                path: path.to_path_buf(),
                dir: dir.to_path_buf(),
            }
            .into());
        }
        if path.to_str().is_none() {
            return Err(StoreRefusal::NotUnicode(path.to_path_buf()).into());
        }
        // Written under a temporary name next to it and linked in only when complete and synced:
        // a backup that fails (a full disk) leaves nothing behind, so the same command can be
        // run again, and no file is ever half a backup.
        let name = path
            .file_name()
            .ok_or_else(|| Error::from(FileRefusal::NotAFileName(path.to_path_buf())))?;
        let tmp = path.with_file_name(format!(".{}.{}.part", name.to_string_lossy(), std::process::id()));
        let remove_tmp = || {
            for suffix in ["", "-journal", "-wal", "-shm"] {
                let mut p = tmp.as_os_str().to_owned();
                p.push(suffix);
                let _ = std::fs::remove_file(std::path::PathBuf::from(p));
            }
        };
        remove_tmp();
        let target = tmp.to_str().unwrap_or_default().to_string();
        let done = (|| -> Result<()> {
            self.conn().execute("VACUUM INTO ?1", [&target]).map_err(|e| {
                Error::from(StoreRefusal::BackupFailed {
                    path: path.to_path_buf(),
                    detail: e.to_string(),
                })
            })?;
            File::open(&tmp)?.sync_all()?;
            // Never over a file that appeared meanwhile.
            std::fs::hard_link(&tmp, path).map_err(|e| {
                if e.kind() == std::io::ErrorKind::AlreadyExists {
                    Error::from(StoreRefusal::BackupExists(path.to_path_buf()))
                } else {
                    StoreRefusal::BackupFailed {
                        path: path.to_path_buf(),
                        detail: e.to_string(),
                    }
                    .into()
                }
            })?;
            Ok(())
        })();
        remove_tmp();
        done?;
        sync_parent_dir(path);
        Ok(())
    }
}

/// Make the new file's name durable too. Only possible (and needed) on Unix; a failure here
/// leaves a complete file whose directory entry may not yet be on disk, so it is not an error.
fn sync_parent_dir(path: &Path) {
    #[cfg(unix)]
    {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    #[cfg(not(unix))]
    let _ = path;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::rubric::template_source;

    #[test]
    fn backup_opens_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("w.jury")).unwrap();
        let (f, src) = template_source("competition").unwrap();
        store.init(f, src, Some("备份测试")).unwrap();
        let copy = dir.path().join("copy.jury");
        store.backup_to(&copy).unwrap();
        let err = store.backup_to(&copy).expect_err("refused");
        assert!(err.to_string().contains("already exists"), "{err}");
        let opened = Store::open(&copy).unwrap();
        opened.integrity_check().unwrap();
        assert_eq!(opened.rubric().unwrap().name, "备份测试");
        assert_eq!(opened.audit_head().unwrap(), store.audit_head().unwrap());
        assert!(store.backup_to(&dir.path().join("no").join("x.jury")).is_err());
    }
}
