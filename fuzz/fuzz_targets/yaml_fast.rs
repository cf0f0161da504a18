//! Differential: whenever the fast YAML path accepts an input, it equals the full loader.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| spiderendpoint_fuzz::yaml_fast(data));
