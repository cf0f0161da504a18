//! What every operation does to its input before parsing: decode bytes as UTF-8 and refuse inputs
//! above the size budget. Both give findings (never errors): the input is wrong, not the call.

use crate::diagnostic::Finding;
use crate::rules::Rule;
use crate::yaml::Span;

/// The text of the bytes, or the finding at the first invalid byte and the valid prefix it was
/// found after (positions are resolved against that prefix).
// The Err is made at most once per input, on the path that refuses it: its size costs nothing.
#[allow(clippy::result_large_err)]
pub fn decode(bytes: &[u8]) -> Result<&str, (&str, Finding)> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        // The prefix up to `valid_up_to` is valid UTF-8 by definition.
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or("");
        let bad = e.error_len().unwrap_or(bytes.len() - good);
        let message = format!("invalid UTF-8: byte 0x{:02X} at offset {good} ({bad} bad byte{}); save the file as UTF-8", bytes[good], if bad == 1 { "" } else { "s" });
        (prefix, Finding::new(Rule::InvalidUtf8, Span::new(good, good), "", message))
    })
}

/// The finding that refuses an input of `len` bytes above `max`, if it is.
pub fn too_large(len: usize, max: usize) -> Option<Finding> {
    (len > max).then(|| Finding::new(Rule::InputTooLarge, Span::new(0, 0), "", format!("input is {len} bytes, above the {max}-byte budget (maxBytes); not parsed")))
}

