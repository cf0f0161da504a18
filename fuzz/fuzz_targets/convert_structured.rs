//! Structure-aware inputs into `convert`, lossless and not, with the lossless round trip.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| test_support::bodies::convert_structured(data));
