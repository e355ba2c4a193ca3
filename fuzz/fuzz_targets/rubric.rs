//! The rubric parser (TOML): never panic.
#![no_main]

use jury::app::fuzz::fuzz_check_rubric;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| fuzz_check_rubric(data));
