//! The server's host key: made once, kept beside the workspace as `<workspace>.hostkey` (owner-only
//! on Unix; not in the SQLite file, so a backup of the workspace carries no key), and the same at
//! every start, so the judges' ssh clients see the same fingerprint every day of the contest.

use std::io::Write;
use std::path::{Path, PathBuf};

use russh::keys::ssh_key::LineEnding;
use russh::keys::{Algorithm, HashAlg, PrivateKey};

use crate::error::{Error, Result};

/// Where the host key of the workspace at `db` is kept: the workspace's file name plus `.hostkey`.
pub fn hostkey_path(db: &Path) -> PathBuf {
    let mut name = db.as_os_str().to_os_string();
    name.push(".hostkey");
    PathBuf::from(name)
}

/// The host key of the workspace at `db`: read from [`hostkey_path`], or made and saved there the
/// first time (Ed25519). A file that is there but cannot be read as a key is refused, never
/// replaced (the judges' clients would warn of a changed key).
pub fn load_or_create(db: &Path) -> Result<PrivateKey> {
    let path = hostkey_path(db);
    if path.exists() {
        return load(&path);
    }
    let key = PrivateKey::random(&mut rand::rng(), Algorithm::Ed25519)
        .map_err(|e| Error::from(crate::core::refusal::ServeRefusal::CannotMakeKey(e.to_string())))?;
    let text = key
        .to_openssh(LineEnding::LF)
        .map_err(|e| Error::from(crate::core::refusal::ServeRefusal::CannotWriteKey(e.to_string())))?;
    write_owner_only(&path, text.as_bytes())?;
    Ok(key)
}

fn load(path: &Path) -> Result<PrivateKey> {
    // A key file is a few hundred bytes; refuse anything large before reading it.
    let len = std::fs::metadata(path).map_err(|e| io_at(path, e))?.len();
    if len > 64 * 1024 {
        return Err(crate::core::refusal::ServeRefusal::KeyTooLarge {
            path: path.to_path_buf(),
            len,
        }
        .into());
    }
    #[cfg(unix)]
    make_owner_only(path)?;
    russh::keys::load_secret_key(path, None).map_err(|e| {
        Error::from(crate::core::refusal::ServeRefusal::KeyUnreadable {
            path: path.to_path_buf(),
            detail: e.to_string(),
        })
    })
}

/// The host key's fingerprint as OpenSSH shows it: `SHA256:` and the unpadded base64 hash.
pub fn fingerprint(key: &PrivateKey) -> String {
    key.public_key().fingerprint(HashAlg::Sha256).to_string()
}

/// The fingerprint of the workspace's host key, making the key if there is none yet (for the
/// connect cards, printed before `serve` has run).
pub fn workspace_fingerprint(db: &Path) -> Result<String> {
    Ok(fingerprint(&load_or_create(db)?))
}

fn io_at(path: &Path, e: std::io::Error) -> Error {
    crate::core::refusal::ServeRefusal::KeyFile {
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
    .into()
}

/// Creates `path` (never over an existing file) readable and writable by its owner only.
fn write_owner_only(path: &Path, bytes: &[u8]) -> Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(|e| io_at(path, e))?;
    file.write_all(bytes).map_err(|e| io_at(path, e))?;
    file.sync_all().map_err(|e| io_at(path, e))?;
    #[cfg(unix)]
    make_owner_only(path)?;
    Ok(())
}

/// Takes group and other permissions off `path` (a umask or a copy may have added them).
#[cfg(unix)]
fn make_owner_only(path: &Path) -> Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path)
        .map_err(|e| io_at(path, e))?
        .permissions()
        .mode();
    if mode & 0o077 != 0 {
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).map_err(|e| io_at(path, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_made_once_and_has_the_same_fingerprint_after_a_reload() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("contest.jury");
        assert_eq!(hostkey_path(&db), dir.path().join("contest.jury.hostkey"));
        let first = fingerprint(&load_or_create(&db).unwrap());
        assert!(first.starts_with("SHA256:"), "{first}");
        // 32 bytes of SHA-256 in unpadded base64.
        assert_eq!(first.len(), "SHA256:".len() + 43, "{first}");
        let text = std::fs::read_to_string(hostkey_path(&db)).unwrap();
        assert!(text.starts_with("-----BEGIN OPENSSH PRIVATE KEY-----"));
        let second = fingerprint(&load_or_create(&db).unwrap());
        assert_eq!(first, second);
        assert_eq!(workspace_fingerprint(&db).unwrap(), first);
        // Another workspace has another key.
        let other = workspace_fingerprint(&dir.path().join("other.jury")).unwrap();
        assert_ne!(other, first);
    }

    #[cfg(unix)]
    #[test]
    fn the_key_file_is_owner_only_even_when_loosened() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.jury");
        load_or_create(&db).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&hostkey_path(&db)), 0o600);
        std::fs::set_permissions(hostkey_path(&db), std::fs::Permissions::from_mode(0o644)).unwrap();
        load_or_create(&db).unwrap();
        assert_eq!(mode(&hostkey_path(&db)), 0o600);
    }

    #[test]
    fn a_damaged_key_file_is_refused_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("w.jury");
        std::fs::write(hostkey_path(&db), "not a key").unwrap();
        let e = load_or_create(&db).unwrap_err().to_string();
        assert!(e.contains("cannot be read as a host key"), "{e}");
        assert_eq!(std::fs::read_to_string(hostkey_path(&db)).unwrap(), "not a key");
    }
}
