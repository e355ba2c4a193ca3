//! The xlsx reader, then the entries and scores importers (never panic; all or nothing).
#![no_main]

use jury::import::fuzz::{FuzzWorkspace, fuzz_check_table};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static WORKSPACE: FuzzWorkspace = FuzzWorkspace::new().unwrap();
}

fuzz_target!(|data: &[u8]| {
    WORKSPACE.with(|w| fuzz_check_table(w, "input.xlsx", data));
});
