//! The words of the `token.*`, `token_storage.*` and `introspection.*` findings.

use crate::report::Finding;

pub(super) fn word(f: &mut Finding) {
    let _ = f;
}
