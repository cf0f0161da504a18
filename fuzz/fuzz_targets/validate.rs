//! Arbitrary bytes into `validate_bytes`/`validate`: no panic, a well-formed report.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| spiderendpoint_fuzz::validate_bytes(data));
