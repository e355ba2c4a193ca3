//! Issue 6, test 3: the disk fills up. The workspace lives on a tiny tmpfs (mounting one needs
//! root, as in CI); a filler file takes the rest of the space. A large import then fails with a
//! clear message, nothing of it is stored, everything stored before is intact, and the same
//! session goes on working: reads at once, writes as soon as space is freed.
//!
//! Why tmpfs and not `ulimit -f`: a file-size limit makes write() fail with EFBIG, which SQLite
//! reports as a generic I/O error, not SQLITE_FULL; only a real ENOSPC shows what a judge would see.
//! Where tmpfs cannot be mounted (not root, no CAP_SYS_ADMIN) the test says so and does nothing.

mod reliability_common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use jury::Error;
use jury::app::import::import_entries;
use jury::app::judging::JudgeSession;
use jury::core::Points;
use jury::import::read_table_bytes;
use jury::store::{ChainCheck, Store};
use reliability_common::{create_workspace, judge_id};

/// A mounted tmpfs, unmounted on drop (also when the test fails).
struct TinyDisk {
    dir: tempfile::TempDir,
}

impl TinyDisk {
    fn mount(size: &str) -> Option<TinyDisk> {
        let dir = tempfile::tempdir().ok()?;
        let status = Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size},mode=0755"), "tmpfs"])
            .arg(dir.path())
            .status()
            .ok()?;
        status.success().then_some(TinyDisk { dir })
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for TinyDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.dir.path()).status();
    }
}

/// Fill the file system with `filler` until a write fails with ENOSPC.
fn fill(filler: &Path) -> u64 {
    let mut file = std::fs::File::create(filler).unwrap();
    let mut written = 0;
    for chunk in [65536, 4096, 512, 1] {
        let block = vec![0x55u8; chunk];
        while file.write_all(&block).is_ok() && file.flush().is_ok() {
            written += chunk as u64;
        }
    }
    let _ = file.sync_all();
    written
}

/// Entries with long case texts: far more than the space left.
fn big_entries(count: usize) -> Vec<u8> {
    let mut csv = String::from("id,title,group,name,organization,background\n");
    let text = "家庭教育案例背景".repeat(400);
    for i in 0..count {
        csv.push_str(&format!("BIG{i:04},标题{i},教师组,姓名{i},单位{i},{text}{i}\n"));
    }
    csv.into_bytes()
}

#[test]
fn a_full_disk_refuses_the_write_clearly_and_keeps_everything_before() {
    let Some(disk) = TinyDisk::mount("3m") else {
        eprintln!("disk_full: skipped, cannot mount a tmpfs here (needs root); CI runs as root");
        return;
    };
    let db: PathBuf = create_workspace(disk.path(), 2);
    let store = Store::open(&db).unwrap();
    let session = JudgeSession::trusted(&store, &judge_id(1)).unwrap();
    session.set_score("JS001", "lesson", "content", "25.5").unwrap();
    let entries_before = store.entry_count().unwrap();
    let head_before = store.audit_head().unwrap();

    let filler = disk.path().join("filler");
    let filled = fill(&filler);
    assert!(filled > 0, "the filler took no space");

    let big = read_table_bytes("big.csv", &big_entries(400), None).unwrap();
    let err = import_entries(&store, &big, false).expect_err("the import cannot fit");
    assert!(matches!(err, Error::DiskFull { .. }), "{err:?}");
    let message = err.to_string();
    assert!(message.starts_with("the disk is full: "), "{message}");
    assert!(message.contains("nothing was stored"), "{message}");
    println!("disk_full: {filled} filler bytes; the import failed with: {message}");

    // Everything before is intact, read by the same session that just failed.
    assert_eq!(store.entry_count().unwrap(), entries_before);
    assert_eq!(store.audit_head().unwrap(), head_before);
    assert_eq!(
        store.score(&judge_id(1), "JS001", "lesson", "content").unwrap(),
        Some(Points::parse("25.5").unwrap())
    );
    assert_eq!(session.sheet("JS001", "lesson").unwrap().values.len(), 1);
    store.integrity_check().unwrap();

    // Space freed: the same session writes again, and the import goes through.
    std::fs::remove_file(&filler).unwrap();
    session.set_score("JS001", "lesson", "method", "20").unwrap();
    let small = read_table_bytes("big.csv", &big_entries(40), None).unwrap();
    import_entries(&store, &small, false).unwrap();
    assert_eq!(store.entry_count().unwrap(), entries_before + 40);
    store.integrity_check().unwrap();
    assert!(matches!(store.audit_verify().unwrap(), ChainCheck::Intact { .. }));
    drop(session);
    drop(store);
    // A fresh process-like open of the same file passes quick_check.
    Store::open(&db).unwrap().integrity_check().unwrap();
}

/// The names in `dir` other than `keep`.
fn left_in(dir: &Path, keep: &[&str]) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !keep.contains(&n.as_str()))
        .collect();
    names.sort();
    names
}

#[test]
fn a_backup_that_does_not_fit_leaves_nothing_and_the_retry_works() {
    // Issue 12, item 6: the backup goes to the tiny disk, the workspace stays on a normal one.
    let Some(disk) = TinyDisk::mount("2m") else {
        eprintln!("disk_full: skipped, cannot mount a tmpfs here (needs root); CI runs as root");
        return;
    };
    let home = tempfile::tempdir().unwrap();
    let db = create_workspace(home.path(), 2);
    let store = Store::open(&db).unwrap();
    let filler = disk.path().join("filler");
    fill(&filler);
    let copy = disk.path().join("backup.jury");
    let err = store.backup_to(&copy).expect_err("the backup cannot fit");
    assert!(err.to_string().contains("the backup failed"), "{err}");
    assert_eq!(
        left_in(disk.path(), &["filler"]),
        Vec::<String>::new(),
        "a failed backup left files"
    );
    // Space freed: the same backup goes through.
    std::fs::remove_file(&filler).unwrap();
    store.backup_to(&copy).unwrap();
    assert_eq!(left_in(disk.path(), &[]), vec!["backup.jury".to_string()]);
    Store::open(&copy).unwrap().integrity_check().unwrap();
}

#[test]
fn an_init_that_does_not_fit_leaves_nothing_and_the_retry_works() {
    let Some(disk) = TinyDisk::mount("2m") else {
        eprintln!("disk_full: skipped, cannot mount a tmpfs here (needs root); CI runs as root");
        return;
    };
    let filler = disk.path().join("filler");
    fill(&filler);
    let db = disk.path().join("contest").join("w.jury");
    let jury = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_jury"))
            .arg("--db")
            .arg(&db)
            .args(args)
            .env("LANG", "C")
            .output()
            .unwrap()
    };
    let out = jury(&["init", "--template", "competition"]);
    assert!(!out.status.success(), "init on a full disk succeeded");
    println!("disk_full: init failed with: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(
        left_in(disk.path(), &[]),
        vec!["filler".to_string()],
        "a failed init left files"
    );
    std::fs::remove_file(&filler).unwrap();
    let out = jury(&["init", "--template", "competition"]);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(jury(&["audit", "verify"]).status.success());
}
