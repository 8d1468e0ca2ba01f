//! A rate-limit header's kept values ([`super::Field::values`]): the first [`INLINE`] in the
//! field itself, more spilt to a `Vec` (docs/performance-log.md, "liveFold, thirteenth pass"). A
//! response carries one value a header nearly always, so its three fields allocate nothing;
//! a full array of `MAX_KEPT` on the stack cost more to fill than the allocation it saved
//! (the eleventh pass's path segments).

use std::{fmt, ops::Deref};

/// Values held without an allocation.
const INLINE: usize = 2;

#[derive(Clone, Default)]
pub struct Values {
    /// The values while they fit (`len` of them); unused once `spill` holds them all.
    inline: [u64; INLINE],
    len: usize,
    /// Every value, once there were more than [`INLINE`].
    spill: Vec<u64>,
}

impl Values {
    /// Appends `v` (the caller bounds how many: `MAX_KEPT`).
    pub fn push(&mut self, v: u64) {
        if self.spill.is_empty() {
            if let Some(slot) = self.inline.get_mut(self.len) {
                *slot = v;
                self.len += 1;
                return;
            }
            self.spill.reserve(INLINE * 4);
            self.spill.extend_from_slice(&self.inline);
        }
        self.spill.push(v);
    }
}

impl Deref for Values {
    type Target = [u64];
    fn deref(&self) -> &[u64] {
        match self.spill.is_empty() {
            true => self.inline.get(..self.len).unwrap_or_default(),
            false => &self.spill,
        }
    }
}

impl From<Vec<u64>> for Values {
    fn from(all: Vec<u64>) -> Values {
        let mut v = Values::default();
        for x in all {
            v.push(x);
        }
        v
    }
}

impl PartialEq for Values {
    fn eq(&self, other: &Values) -> bool {
        **self == **other
    }
}

impl<const N: usize> PartialEq<[u64; N]> for Values {
    fn eq(&self, other: &[u64; N]) -> bool {
        **self == *other
    }
}

impl fmt::Debug for Values {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        (**self).fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Pushed one by one, from none to past `MAX_KEPT`, the values read back are a `Vec`'s
    /// pushed alike, at every length.
    #[test]
    fn values_read_back_as_a_vec_pushed_alike() {
        for n in 0..40u64 {
            let (mut values, mut vec) = (Values::default(), Vec::new());
            for i in 0..n {
                let v = i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ n;
                values.push(v);
                vec.push(v);
                assert_eq!(&*values, &vec[..], "{n} {i}");
                assert_eq!(values.len(), vec.len());
                assert_eq!(values.get(vec.len()), None);
            }
            assert_eq!(Values::from(vec.clone()), values);
            assert_eq!(format!("{values:?}"), format!("{vec:?}"));
        }
    }
}
