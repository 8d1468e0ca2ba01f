//! The words of the `rate_limit.*` and `clock.*` findings.

use crate::report::Finding;

pub(super) fn word(f: &mut Finding) {
    let _ = f;
}
