//! Differential: whenever the fast YAML path accepts an input, it equals the full loader.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| test_support::bodies::yaml_fast(data));
