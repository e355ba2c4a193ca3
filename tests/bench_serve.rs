//! The plumbing of `jury bench serve` (no figure is asserted: timings are the benchmark's, never a
//! test's): two SSH clients score through a real `jury serve` for two seconds, and every save the
//! screen confirmed is in the workspace.

mod common;

use std::process::Command;

use common::BIN;

#[test]
fn bench_serve_scores_through_the_server_and_every_confirmed_save_is_stored() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(BIN)
        .args(["bench", "serve", "--entries", "40", "--clients", "2", "--seconds", "2"])
        .arg("--dir")
        .arg(dir.path())
        .args(["--format", "json"])
        .env_remove("JURY_ORGANISER_PASS")
        .env("LANG", "C")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(report["clients"], 2);
    assert_eq!(report["entries"], 40);
    assert_eq!(report["client_errors"], serde_json::json!([]), "{report:#}");
    assert_eq!(report["login_to_first_frame"]["count"], 2, "{report:#}");
    let saves = report["saves"].as_u64().unwrap();
    assert!(saves > 0, "{report:#}");
    assert_eq!(report["save_to_saved_frame"]["count"].as_u64(), Some(saves));
    assert!(report["key_to_frame"]["count"].as_u64().unwrap() > saves);
    // Every save the screen said was saved is in the workspace, checked after the server stopped.
    assert_eq!(report["saves_missing"], 0, "{report:#}");
    assert!(report["saves_verified"].as_u64().unwrap() > 0);
    assert!(
        report["machine"]
            .as_str()
            .unwrap()
            .contains("shared by the server and the 2 clients")
    );
    // This branch's server has no --stats-file: said so, the client figures only.
    if report["server_stats"].is_null() {
        assert!(
            report["server_stats_note"]
                .as_str()
                .is_some_and(|n| n.contains("stats-file"))
        );
    } else {
        assert!(report["server_stats"]["requests"].as_u64().unwrap() >= saves);
    }
    #[cfg(target_os = "linux")]
    assert!(report["server_peak_mb"].as_f64().unwrap() > 1.0);
}
