//! Issue 12, item 6: writing files safely. An export never replaces a device, FIFO, folder or
//! symbolic link, refuses an existing file unless --force (which keeps its mode), numbers the
//! default name when it exists, and makes new files 0640. Only `init` (and the demo) creates a
//! workspace: every other command refuses a missing or empty file, naming it.

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::Command;

use common::Workspace;

fn mode(path: &Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
}

fn export_to(w: &Workspace, out: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["export", "results", "--format", "md", "--out", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    w.run(&args)
}

fn refused(out: &std::process::Output, what: &str) {
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{}", String::from_utf8_lossy(&out.stdout));
    assert!(err.contains(what), "{err}");
}

#[test]
fn an_export_never_replaces_a_device_fifo_folder_or_symlink() {
    let w = Workspace::loaded("competition");
    // A FIFO.
    let fifo = w.path("pipe");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    refused(
        &export_to(&w, &fifo, &[]),
        "is a FIFO (named pipe): an export never replaces it",
    );
    refused(&export_to(&w, &fifo, &["--force"]), "is a FIFO");
    assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo_like());
    // A folder.
    let folder = w.path("folder");
    std::fs::create_dir(&folder).unwrap();
    refused(&export_to(&w, &folder, &["--force"]), "is a folder");
    assert!(folder.is_dir());
    // A symbolic link: the file it points to is untouched too.
    let target = w.path("target.txt");
    std::fs::write(&target, "keep me").unwrap();
    let link = w.path("link.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    refused(&export_to(&w, &link, &["--force"]), "is a symbolic link");
    assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");
    // A device (as root, like /dev/full; made here so nothing of the system is at stake).
    let device = w.path("full");
    if Command::new("mknod")
        .arg(&device)
        .args(["c", "1", "7"])
        .status()
        .is_ok_and(|s| s.success())
    {
        refused(&export_to(&w, &device, &["--force"]), "is a device");
        use std::os::unix::fs::FileTypeExt;
        assert!(std::fs::symlink_metadata(&device).unwrap().file_type().is_char_device());
    }
    // Nothing was left next to them.
    let parts: Vec<_> = std::fs::read_dir(w.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".part"))
        .collect();
    assert!(parts.is_empty(), "{parts:?}");
}

trait FifoLike {
    fn is_fifo_like(&self) -> bool;
}

impl FifoLike for std::fs::FileType {
    fn is_fifo_like(&self) -> bool {
        use std::os::unix::fs::FileTypeExt;
        self.is_fifo()
    }
}

#[test]
fn an_existing_file_needs_force_which_keeps_its_mode_and_new_files_are_0640() {
    let w = Workspace::loaded("competition");
    let out = w.path("results.md");
    assert!(export_to(&w, &out, &[]).status.success());
    assert_eq!(mode(&out), 0o640);
    std::fs::write(&out, "mine").unwrap();
    std::fs::set_permissions(&out, std::fs::Permissions::from_mode(0o600)).unwrap();
    refused(&export_to(&w, &out, &[]), "already exists; add --force to replace it");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    assert!(export_to(&w, &out, &["--force"]).status.success());
    assert!(std::fs::read_to_string(&out).unwrap().contains("教师组"));
    assert_eq!(mode(&out), 0o600, "--force keeps the mode");
    // --force without --out is a usage error.
    assert!(
        !w.run(&["export", "results", "--format", "md", "--force"])
            .status
            .success()
    );
}

#[test]
fn the_default_name_gets_a_number_when_it_exists() {
    let w = Workspace::loaded("competition");
    let run = || {
        let out = Command::new(common::BIN)
            .current_dir(w.dir.path())
            .args(["--db", w.db.to_str().unwrap(), "export", "sheets", "--format", "html"])
            .env("LANG", "C")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let name = format!(
        "sheets-家庭教育与心理健康教育专业技能大赛-{}",
        chrono::Local::now().format("%Y-%m-%d")
    );
    assert!(run().contains(&format!("{name}.html")));
    std::fs::write(w.path(&format!("{name}.html")), "first").unwrap();
    assert!(run().contains(&format!("{name}-2.html")));
    assert!(run().contains(&format!("{name}-3.html")));
    assert_eq!(
        std::fs::read_to_string(w.path(&format!("{name}.html"))).unwrap(),
        "first"
    );
    assert_eq!(mode(&w.path(&format!("{name}-3.html"))), 0o640);
}

#[test]
fn only_init_creates_a_workspace_every_other_command_names_the_missing_or_empty_file() {
    let w = Workspace::new();
    let db = w.db.to_str().unwrap().to_string();
    for args in [
        vec!["tally"],
        vec!["audit", "verify"],
        vec!["import", "entries", "x.csv"],
        vec!["export", "results", "--format", "md"],
        vec!["verify-print", "JURY2-1-0123456789ab"],
        vec!["find", "x"],
        vec!["rubric"],
        vec!["--organiser"],
        vec!["stage", "show"],
    ] {
        let err = w.fails(&args);
        assert!(err.contains(&db), "{args:?}: {err}");
        assert!(
            err.contains("there is no workspace here; run `jury init --template cases|competition` first"),
            "{args:?}: {err}"
        );
        assert!(!w.db.exists(), "{args:?} created the workspace");
    }
    std::fs::write(&w.db, "").unwrap();
    for args in [vec!["tally"], vec!["--organiser"], vec!["export", "backup", "b.jury"]] {
        let err = w.fails(&args);
        assert!(err.contains(&format!("{db} is empty")), "{args:?}: {err}");
        assert_eq!(std::fs::metadata(&w.db).unwrap().len(), 0, "{args:?} wrote to it");
    }
    // The template needs no workspace at all.
    assert!(w.ok(&["rubric", "--template", "cases"]).contains("[[round]]"));
    // init makes it (over the empty file too).
    w.ok(&["init", "--template", "cases"]);
    w.ok(&["tally"]);
}
