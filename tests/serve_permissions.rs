//! `jury serve` keeps the workspace readable by its owner only, and refuses to start on a file it
//! cannot make so, unless `--allow-shared-file`.

mod common;

use std::os::unix::fs::PermissionsExt;

use common::{BIN, Workspace, euid};

/// Another account's `jury serve` on root's shared file (mode 0666): refused before anything
/// starts, the file's mode unchanged and no host key made. Run as `nobody`; skipped unless root.
#[test]
fn serve_refuses_a_workspace_it_cannot_make_owner_only() {
    let w = Workspace::new();
    w.ok(&["init", "--template", "competition"]);
    if euid() != 0 {
        eprintln!("skipped: needs to run as root, to run jury as nobody");
        return;
    }
    let set = |p: &std::path::Path, mode| std::fs::set_permissions(p, std::fs::Permissions::from_mode(mode)).unwrap();
    set(w.dir.path(), 0o777);
    set(&w.db, 0o666);
    let out = std::process::Command::new("setpriv")
        .args(["--reuid=65534", "--regid=65534", "--clear-groups", BIN, "--db"])
        .arg(&w.db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("JURY_DB")
        .env_remove("JURY_ORGANISER_PASS")
        .env("LANG", "C")
        .output()
        .expect("setpriv (util-linux)");
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("cannot be made readable by its owner only"), "{err}");
    assert!(err.contains("--allow-shared-file"), "{err}");
    let mode = std::fs::metadata(&w.db).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o666);
    assert!(!w.path("contest.jury.hostkey").exists(), "nothing was started");
}
