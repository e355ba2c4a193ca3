//! The .docx reader and the part splitter: any bytes as a .docx, and as the document.xml of one
//! (never a panic; a refused document is a message).
#![no_main]

use jury::app::fuzz::fuzz_check_docx;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    fuzz_check_docx(data);
});
