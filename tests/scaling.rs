//! Every path is linear (or near it) in its input: the time at 4n is less than 6x the time at n.
//! Ratios, not absolute times; each side is the best of five runs so a busy machine does not fail
//! the test. (Speed goals live in `make bench`.) Sizes are chosen so that each side takes tens of
//! milliseconds at least, and the inputs outgrow the caches on both sides.




use test_support::scaling::{best_of_five, linear};
use test_support::VALID;
use spiderendpoint::{convert, normalize, validate, ApiVersion, ValidateOptions};


/// The valid endpoint, with its own name and address.
fn endpoint(i: usize) -> String {
    VALID.replace("name: pod-a\n", &format!("name: pod-{i}\n")).replace("10.1.0.5/24", &format!("10.{}.{}.{}/16", i / 65536 % 256, i / 256 % 256, i % 256))
}

fn stream(n: usize) -> String {
    (0..n).map(endpoint).collect::<Vec<_>>().join("---\n")
}

/// All endpoints as one JSON List on a single line.
fn one_line(n: usize) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| serde_json::to_string(&serde_json::from_str::<serde_json::Value>(&yaml_to_json(&endpoint(i))).unwrap()).unwrap())
        .collect();
    format!("{{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[{}]}}", items.join(","))
}

fn yaml_to_json(text: &str) -> String {
    let s = spiderendpoint::yaml::parse(text, Default::default());
    s.docs[0].root.as_ref().unwrap().to_json(text).to_string()
}

fn opts() -> ValidateOptions {
    ValidateOptions::default()
}

#[test]
fn a_stream_of_endpoints() {
    linear("validate stream", 8_000, stream, |t| drop(validate(t, &opts()).unwrap()));
    linear("normalize stream", 4_000, stream, |t| drop(normalize(t, &Default::default()).unwrap()));
    linear("convert stream to v1", 4_000, stream, |t| drop(convert(t, ApiVersion::V1, &Default::default()).unwrap()));
}

#[test]
fn one_very_long_line() {
    linear("validate one line", 4_000, one_line, |t| drop(validate(t, &opts()).unwrap()));
    linear("normalize one line", 4_000, one_line, |t| drop(normalize(t, &Default::default()).unwrap()));
    linear("convert one line", 4_000, one_line, |t| drop(convert(t, ApiVersion::V1, &Default::default()).unwrap()));
}

#[test]
fn merge_keys_with_many_keys() {
    let make = |n: usize| {
        let keys: Vec<String> = (0..n).map(|i| format!("k{i}: 1")).collect();
        endpoint(0).replace("status:\n", &format!("status:\n  <<: {{{}}}\n", keys.join(", ")))
    };
    linear("validate merge", 10_000, make, |t| drop(validate(t, &opts()).unwrap()));
    let make_block = |n: usize| {
        let keys: String = (0..n).map(|i| format!("  k{i}: 1\n")).collect();
        format!("base: &b\n{keys}{}", endpoint(0).replace("status:\n", "status:\n  <<: *b\n"))
    };
    linear("validate merge of an anchor", 5_000, make_block, |t| drop(validate(t, &opts()).unwrap()));
}

#[test]
fn many_unknown_fields_with_fixes() {
    let make = |n: usize| {
        let fields: Vec<String> = (0..n).map(|i| format!("u{i}: 1")).collect();
        endpoint(0).replace("status:\n", &format!("status:\n  x: {{{}}}\n", fields.join(", ")))
    };
    linear("validate unknown fields on one line", 20_000, make, |t| drop(validate(t, &opts()).unwrap()));
}

#[test]
fn many_aliases() {
    let make = |n: usize| format!("a: &a {}\nb: [{}]\n", "x".repeat(64), vec!["*a"; n].join(", "));
    linear("validate aliases", 20_000, make, |t| drop(validate(t, &opts()).unwrap()));
}

/// The same List as one line and pretty-printed over many lines: a long line costs no more per
/// object than short ones (at most 2x the time of the pretty text, which has more bytes).
#[test]
fn a_long_line_is_as_fast_as_short_ones() {
    if cfg!(debug_assertions) {
        eprintln!("skipped in a debug build (run `cargo test --release --test scaling`)");
        return;
    }
    let line = one_line(4_000);
    let pretty = serde_json::to_string_pretty(&serde_json::from_str::<serde_json::Value>(&line).unwrap()).unwrap();
    for (what, run) in [
        ("validate", &(|t: &str| drop(validate(t, &opts()).unwrap())) as &dyn Fn(&str)),
        ("normalize", &|t: &str| drop(normalize(t, &Default::default()).unwrap())),
        ("convert", &|t: &str| drop(convert(t, ApiVersion::V1, &Default::default()).unwrap())),
    ] {
        let mut ratios = Vec::new();
        for _ in 0..3 {
            let a = best_of_five(&|| run(&line));
            let b = best_of_five(&|| run(&pretty));
            let ratio = a.as_secs_f64() / b.as_secs_f64().max(1e-6);
            eprintln!("{what}: one line ({} bytes) {a:?}, pretty ({} bytes) {b:?}, ratio {ratio:.2}", line.len(), pretty.len());
            ratios.push(ratio);
            if ratio < 2.0 {
                break;
            }
        }
        assert!(ratios.iter().any(|r| *r < 2.0), "{what} of one long line is slower than of short lines: {ratios:.2?}");
    }
}

/// A document normalize rewrites whole (it has a merge key) with one mapping of many keys: the
/// renderer indexes the keys once (fuzz find rewrite-quadratic-keys: 64,000 keys took 14.8 s).
#[test]
fn whole_rewrite_of_a_mapping_with_many_keys() {
    let make = |n: usize| {
        let keys: String = (0..n).map(|i| format!("    k{i}: \"v\"\n")).collect();
        endpoint(0).replace("metadata:\n", &format!("metadata:\n  labels: {{<<: {{a: b}}}}\n  annotations:\n{keys}"))
    };
    linear("normalize whole rewrite", 3_000, make, |t| drop(normalize(t, &Default::default()).unwrap()));
}
