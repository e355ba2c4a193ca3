//! Where the workspace file may live, and with which permissions.
//!
//! - SQLite's locking (and WAL's shared memory) works between processes of one host only: on a
//!   network file system two judges' machines can both believe they hold the write lock, and the
//!   file is corrupted. The file system of the folder is looked up in `/proc/self/mountinfo`
//!   (no new dependency) and a network one is refused.
//! - Judges on one SSH server each run `jury` under their own account: the file and its folder
//!   must be writable by a shared group. A folder jury creates gets mode 2770 (setgid: files
//!   created inside inherit the folder's group), a database file it creates gets 0660 (SQLite gives
//!   the `-wal` and `-shm` files the database file's mode). The umask would strip the group bits,
//!   so the modes are set explicitly.

use std::path::{Path, PathBuf};

/// File system types on which SQLite's locks do not hold between machines.
const NETWORK_FILE_SYSTEMS: &[&str] = &[
    "nfs",
    "nfs4",
    "cifs",
    "smb3",
    "smbfs",
    "ncpfs",
    "afs",
    "9p",
    "ceph",
    "glusterfs",
    "lustre",
    "gpfs",
    "davfs",
    "fuse.sshfs",
    "fuse.rclone",
    "fuse.glusterfs",
    "fuse.s3fs",
];

/// One mount from `/proc/self/mountinfo`: where it is mounted and its file system type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mount {
    pub point: PathBuf,
    pub fs_type: String,
}

/// `\040` (space), `\011` (tab), `\012` (newline) and `\134` (backslash) as the kernel escapes them.
fn unescape_octal(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let octal = bytes
            .get(i + 1..i + 4)
            .filter(|d| d.iter().all(|b| (b'0'..=b'7').contains(b)));
        if bytes[i] == b'\\'
            && let Some(digits) = octal
            && let Ok(byte) = u8::try_from(digits.iter().fold(0u32, |v, d| v * 8 + u32::from(d - b'0')))
        {
            out.push(byte);
            i += 4;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parse `/proc/self/mountinfo`: `36 35 98:0 /root /mnt rw,noatime shared:1 - ext4 /dev/sda1 rw`.
/// Lines that do not have this shape are skipped.
pub fn parse_mountinfo(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(|line| {
            let (before, after) = line.split_once(" - ")?;
            let point = before.split(' ').nth(4)?;
            let fs_type = after.split(' ').next()?;
            if fs_type.is_empty() {
                return None;
            }
            Some(Mount {
                point: PathBuf::from(unescape_octal(point)),
                fs_type: fs_type.to_string(),
            })
        })
        .collect()
}

/// The mount holding `path` (already canonical): the longest mount point that is a prefix of it;
/// the last such line wins, as later mounts hide earlier ones.
pub fn mount_of<'a>(mounts: &'a [Mount], path: &Path) -> Option<&'a Mount> {
    let mut best: Option<&Mount> = None;
    for m in mounts {
        if path.starts_with(&m.point) && best.is_none_or(|b| m.point.as_os_str().len() >= b.point.as_os_str().len()) {
            best = Some(m);
        }
    }
    best
}

/// Whether `fs_type` is a network file system (or a FUSE one backed by the network).
pub fn is_network_fs(fs_type: &str) -> bool {
    let lower = fs_type.to_ascii_lowercase();
    NETWORK_FILE_SYSTEMS.contains(&lower.as_str())
}

/// The network file system type under `folder`, if it is on one. `None` also when this cannot be
/// told (no `/proc`, as on macOS): the check only refuses what it can see.
pub fn network_fs_of(folder: &Path) -> Option<String> {
    let folder = folder.canonicalize().ok()?;
    let text = std::fs::read_to_string("/proc/self/mountinfo").ok()?;
    let mounts = parse_mountinfo(&text);
    mount_of(&mounts, &folder)
        .filter(|m| is_network_fs(&m.fs_type))
        .map(|m| m.fs_type.clone())
}

/// Give a folder jury just created mode 2770 (group-shared, setgid).
#[cfg(unix)]
pub fn share_new_folder(folder: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(folder, std::fs::Permissions::from_mode(0o2770))
}

#[cfg(not(unix))]
pub fn share_new_folder(_folder: &Path) -> std::io::Result<()> {
    Ok(())
}

/// Give a database file jury just created mode 0660 (read and write for the group).
#[cfg(unix)]
pub fn share_new_file(file: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o660))
}

#[cfg(not(unix))]
pub fn share_new_file(_file: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro
23 22 0:21 / /proc rw,nosuid,nodev,noexec,relatime shared:12 - proc proc rw
40 22 0:35 / /srv/jury rw,relatime shared:20 - nfs4 fileserver:/export/jury rw,vers=4.2
41 40 0:36 / /srv/jury/local rw,relatime shared:21 - tmpfs tmpfs rw,size=1024k
42 22 0:37 / /mnt/my\\040share rw,relatime shared:22 - cifs //nas/share rw
43 22 0:38 / /home/pw/remote rw,nosuid,nodev,relatime shared:23 - fuse.sshfs pw@host:/data rw
this line is not a mount
";

    #[test]
    fn parses_mount_points_and_types_with_escapes() {
        let mounts = parse_mountinfo(SAMPLE);
        assert_eq!(mounts.len(), 6);
        assert_eq!(
            mounts[2],
            Mount {
                point: PathBuf::from("/srv/jury"),
                fs_type: "nfs4".into()
            }
        );
        assert_eq!(mounts[4].point, PathBuf::from("/mnt/my share"));
        assert_eq!(mounts[4].fs_type, "cifs");
        assert_eq!(mounts[5].fs_type, "fuse.sshfs");
    }

    #[test]
    fn the_longest_mount_point_holds_a_path() {
        let mounts = parse_mountinfo(SAMPLE);
        let fs = |p: &str| mount_of(&mounts, Path::new(p)).map(|m| m.fs_type.as_str());
        assert_eq!(fs("/srv/jury/contest.jury"), Some("nfs4"));
        assert_eq!(fs("/srv/jury/local/contest.jury"), Some("tmpfs"));
        assert_eq!(
            fs("/srv/jurymore/contest.jury"),
            Some("ext4"),
            "a prefix of a name is not a parent"
        );
        assert_eq!(fs("/home/pw/contest.jury"), Some("ext4"));
        assert_eq!(fs("/mnt/my share/x.jury"), Some("cifs"));
    }

    #[test]
    fn network_types_are_recognised() {
        for t in ["nfs", "nfs4", "cifs", "smb3", "fuse.sshfs", "NFS"] {
            assert!(is_network_fs(t), "{t}");
        }
        for t in ["ext4", "xfs", "btrfs", "tmpfs", "zfs", "overlay", "fuse.portal"] {
            assert!(!is_network_fs(t), "{t}");
        }
    }

    #[test]
    fn a_new_folder_is_group_shared_and_setgid_and_the_file_group_writable() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("contest");
        let db = folder.join("w.jury");
        let store = super::super::Store::create(&db).unwrap();
        store.write(|s| s.set_meta("k", "v")).unwrap();
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o7777;
        assert_eq!(mode(&folder), 0o2770);
        assert_eq!(mode(&db), 0o660);
        assert_eq!(mode(&folder.join("w.jury-wal")), 0o660, "SQLite copies the file's mode");
    }

    #[test]
    fn a_local_folder_is_not_refused() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(network_fs_of(dir.path()), None);
    }
}
