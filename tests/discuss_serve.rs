//! `jury discuss open|close` while `jury serve` runs: forwarded over the local socket and carried
//! out by the server (audited as `cli@local`), as the other writing commands; `discuss list` reads
//! the file itself.

#![cfg(unix)]

mod common;

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::{BIN, Workspace, fixture};

const PASS: &str = "room-pass-1";

fn contest() -> Workspace {
    let w = Workspace::new().with_organiser_pass(PASS);
    let template = w.ok(&["rubric", "--template", "competition"]);
    let file = w.path("rubric.toml");
    std::fs::write(&file, format!("discussion = \"anonymous\"\n{template}")).unwrap();
    w.ok(&["init", "--rubric", file.to_str().unwrap()]);
    w.ok(&["import", "entries", fixture("contestants.csv").to_str().unwrap()]);
    w.ok(&["import", "judges", fixture("judges.csv").to_str().unwrap()]);
    w
}

fn serve(w: &Workspace) -> Child {
    let log = std::fs::File::create(w.path("serve.log")).unwrap();
    let mut child = Command::new(BIN)
        .arg("--db")
        .arg(&w.db)
        .args(["serve", "--listen", "127.0.0.1:0"])
        .env_remove("JURY_DB")
        .env("JURY_ORGANISER_PASS", PASS)
        .env("LANG", "C")
        .stdin(Stdio::null())
        .stdout(log.try_clone().unwrap())
        .stderr(log)
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while std::os::unix::net::UnixStream::connect(w.path("contest.jury.sock")).is_err() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("jury serve ended ({status})");
        }
        assert!(Instant::now() < deadline, "jury serve's socket never answered");
        std::thread::sleep(Duration::from_millis(50));
    }
    child
}

fn stop(mut child: Child) {
    let killed = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "jury serve did not stop");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn discuss_is_forwarded_to_the_server() {
    let w = contest();
    let server = serve(&w);
    let out = w.ok(&["discuss", "open", "JS001", "JS002"]);
    assert!(out.contains("Under discussion: JS001, JS002"), "{out}");
    let out = w.ok(&["discuss", "close", "JS002"]);
    assert!(out.contains("Discussion closed: JS002"), "{out}");
    let err = w.fails(&["discuss", "open", "NOPE"]);
    assert!(err.contains("no entry NOPE"), "{err}");
    let list = w.ok(&["discuss", "list"]);
    assert!(list.contains("JS001") && !list.contains("JS002"), "{list}");
    let rows: Vec<String> = w
        .ok(&["audit", "log"])
        .lines()
        .filter(|l| l.contains("discussion-"))
        .map(str::to_string)
        .collect();
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert!(
        rows.iter().all(|r| r.split(' ').nth(2) == Some("cli@local")),
        "{rows:?}"
    );
    stop(server);
    assert!(w.run(&["audit", "verify"]).status.success());
}
