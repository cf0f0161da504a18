//! Structure-aware: the bytes choose and mutate valid endpoints and how they are written.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| test_support::bodies::validate_structured(data));
