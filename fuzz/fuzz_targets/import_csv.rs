//! The csv reader, then the entries and scores importers (never panic; all or nothing).
#![no_main]

use jury::app::fuzz::{FuzzWorkspace, fuzz_check_table};
use libfuzzer_sys::fuzz_target;

thread_local! {
    static WORKSPACE: FuzzWorkspace = {
        // libfuzzer-sys aborts on every panic, even one jury catches: src/import/xlsx.rs catches
        // calamine's panics on malformed sheets and refuses the file. Any panic that escapes
        // still aborts, through libfuzzer-sys's own catch_unwind around this target.
        std::panic::set_hook(Box::new(|info| {
            if !info.location().is_some_and(|l| l.file().contains("calamine")) {
                eprintln!("{info}");
            }
        }));
        FuzzWorkspace::new().unwrap()
    };
}

fuzz_target!(|data: &[u8]| {
    WORKSPACE.with(|w| fuzz_check_table(w, "input.csv", data));
});
