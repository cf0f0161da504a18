//! Structure-aware inputs into `normalize` (with and without dropUnknown).
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| spiderendpoint_fuzz::normalize_structured(data));
