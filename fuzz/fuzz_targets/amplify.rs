//! Amplification: anchors, aliases, merge keys, Lists and repeated documents built to expand;
//! validate, normalize and convert within the time-per-byte budget and the output-size bound.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| test_support::bodies::amplify(data));
