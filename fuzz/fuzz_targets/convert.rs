//! Arbitrary bytes into `convert` (to v1 and to v2beta1): no panic, valid output, idempotent.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| test_support::bodies::convert_bytes(data));
