//! Structure-aware: the bytes choose and mutate valid endpoints and how they are written.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| spiderendpoint_fuzz::validate_structured(data));
