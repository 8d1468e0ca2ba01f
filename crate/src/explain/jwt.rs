//! The words of the `jwt.*` and `auth.*` findings.

use crate::report::Finding;

pub(super) fn word(f: &mut Finding) {
    let _ = f;
}
