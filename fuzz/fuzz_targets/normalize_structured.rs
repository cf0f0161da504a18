//! Structure-aware inputs into `normalize` (with and without dropUnknown).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| test_support::bodies::normalize_structured(data));
