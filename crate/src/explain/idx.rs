//! The words of the `idx.*` findings.

use crate::report::Finding;

pub(super) fn word(f: &mut Finding) {
    let _ = f;
}
