//! `jury export connect-cards`: a card per judge with the host, port, id, name, the host key's
//! fingerprint (the same `serve` shows) and the ssh lines, and never a PIN.

mod common;

use common::{Workspace, fixture};

/// (id, name, pin) of every judge in the fixtures.
fn fixture_judges() -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(fixture("judges.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .split(',')
        .collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (id, name, pin) = (col("id"), col("name"), col("pin"));
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            (cells[id].to_string(), cells[name].to_string(), cells[pin].to_string())
        })
        .collect()
}

#[test]
fn one_card_per_judge_with_the_serve_fingerprint_the_host_given_and_no_pin() {
    let w = Workspace::loaded("cases");
    let out = w.path("cards.html");
    assert!(!w.path("contest.jury.hostkey").exists());
    let said = w.ok(&[
        "export",
        "connect-cards",
        "--host",
        "192.168.1.5",
        "--out",
        out.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&out).unwrap();
    let judges = fixture_judges();
    assert!(judges.len() >= 3);
    assert!(
        said.contains(&format!(
            "Wrote {} connect cards for 192.168.1.5 port 2222",
            judges.len()
        )),
        "{said}"
    );
    assert_eq!(html.matches("<section class=\"card\"").count(), judges.len(), "{html}");
    for (id, name, pin) in &judges {
        assert!(html.contains(&format!("ssh -p 2222 {id}@192.168.1.5")), "{id}");
        assert!(html.contains(&format!("<span class=\"id\">{id}</span>")), "{id}");
        assert!(html.contains(name.as_str()), "{name}");
        assert!(!html.contains(pin.as_str()), "the PIN of {id} is in the file");
    }
    // The key was made here, where `serve` will read it, and the card shows its fingerprint.
    assert!(w.path("contest.jury.hostkey").exists());
    let fingerprint = jury::serve::hostkey::workspace_fingerprint(&w.db).unwrap();
    assert!(fingerprint.starts_with("SHA256:"));
    assert_eq!(html.matches(&fingerprint).count(), judges.len(), "{html}");
    assert!(html.contains("密码 = 您的评委密码"), "{html}");

    // The same fingerprint the next time (the key is kept); an existing file needs --force.
    let again = w.fails(&["export", "connect-cards", "--out", out.to_str().unwrap()]);
    assert!(again.contains("already exists"), "{again}");
    w.ok(&[
        "export",
        "connect-cards",
        "--host",
        "10.0.0.7",
        "--port",
        "2300",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.contains(&format!("ssh -p 2300 {}@10.0.0.7", judges[0].0)));
    assert_eq!(html.matches(&fingerprint).count(), judges.len());

    // A host a judge could not type is refused, writing nothing; IPv6 goes in brackets.
    let bad = w.path("bad.html");
    let e = w.fails(&[
        "export",
        "connect-cards",
        "--host",
        "a b",
        "--out",
        bad.to_str().unwrap(),
    ]);
    assert!(e.contains("--host"), "{e}");
    assert!(!bad.exists());
    let v6 = w.path("v6.html");
    w.ok(&[
        "export",
        "connect-cards",
        "--host",
        "fd00::5",
        "--out",
        v6.to_str().unwrap(),
    ]);
    let html = std::fs::read_to_string(&v6).unwrap();
    assert!(
        html.contains(&format!("ssh -p 2222 {}@[fd00::5]", judges[0].0)),
        "{html}"
    );
}
