//! Arbitrary bytes into `validate_bytes`/`validate`: no panic, a well-formed report.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| test_support::bodies::validate_bytes(data));
