//! The words of the `okta_error.*` findings.

use crate::report::Finding;

pub(super) fn word(f: &mut Finding) {
    let _ = f;
}
