//! Arbitrary bytes into `normalize`: no panic, edits that give the output, idempotent.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| test_support::bodies::normalize_bytes(data));
