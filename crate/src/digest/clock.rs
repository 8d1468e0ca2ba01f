//! One clock per session (issue 16 §4): how far Okta's clock is from the clock that saw the
//! session's responses (the browser's, live or when a HAR was recorded), estimated from the
//! `Date` headers of the Okta responses seen. Each response gives `Date − observed` in
//! seconds; the estimate is the median of the latest [`SAMPLES`] (one slow response or a
//! cached `Date` doesn't move it). Stored with the digest; a digest stored before it existed
//! reads back with none.

use serde::{Deserialize, Serialize};

/// Samples kept (the latest).
pub const SAMPLES: usize = 15;

/// Below this many seconds either way the clocks agree: `Date` has one-second resolution and a
/// response takes time to arrive (the same tolerance as `clock.skew`, 60 s).
pub const TOLERANCE_SECONDS: i64 = 60;

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase", default)]
pub struct Estimate {
    /// `Date − observed` (seconds) of the latest responses, oldest first.
    pub samples: Vec<i64>,
    /// Responses with a usable `Date` seen in the session (beyond the samples kept too).
    pub responses: u64,
}

impl Estimate {
    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    /// Adds one response's `Date` (epoch seconds) seen at `observed` (epoch seconds).
    pub fn add(&mut self, date: i64, observed: i64) {
        self.samples.push(date.saturating_sub(observed));
        if self.samples.len() > SAMPLES {
            let extra = self.samples.len() - SAMPLES;
            self.samples.drain(..extra);
        }
        self.responses = self.responses.saturating_add(1);
    }

    /// Okta's clock minus the observing clock, in seconds (the median sample; the lower of
    /// the middle two for an even count), when there is a sample.
    pub fn offset(&self) -> Option<i64> {
        // Sorted on the stack (asked twice per live fold; a stored digest may hold more).
        let mut buf = [0i64; SAMPLES];
        let mut heap;
        let sorted: &mut [i64] = match buf.get_mut(..self.samples.len()) {
            Some(b) => {
                b.copy_from_slice(&self.samples);
                b
            }
            None => {
                heap = self.samples.clone();
                &mut heap
            }
        };
        // The project's one sort (crate/src/sort.rs): std's `sort_unstable` linked a quicksort
        // of its own into the service worker's wasm for these at most 15 numbers.
        crate::sort::by(sorted, i64::cmp);
        let middle = sorted.len().checked_sub(1)? / 2;
        sorted.get(middle).copied()
    }

    /// [`Estimate::offset`] when the clocks disagree beyond [`TOLERANCE_SECONDS`]: the skew
    /// answers are corrected by. `None`: no estimate, or the clocks agree.
    pub fn skew(&self) -> Option<i64> {
        self.offset()
            .filter(|s| s.saturating_abs() > TOLERANCE_SECONDS)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_of_the_latest_samples_beyond_the_tolerance() {
        let mut e = Estimate::default();
        assert_eq!((e.offset(), e.skew()), (None, None));
        e.add(1_000_120, 1_000_000);
        assert_eq!((e.offset(), e.skew()), (Some(120), Some(120)));
        // One odd response (a cached Date) doesn't move the median.
        e.add(1_000_000, 1_000_500);
        e.add(1_000_240, 1_000_121);
        assert_eq!(e.offset(), Some(119));
        // Within 60 s either way: the clocks agree.
        let mut near = Estimate::default();
        near.add(100, 160);
        assert_eq!((near.offset(), near.skew()), (Some(-60), None));
        near.add(100, 200);
        near.add(100, 200);
        assert_eq!(near.skew(), Some(-100));
        // Bounded: the latest SAMPLES, every response counted.
        for i in 0..40 {
            e.add(2_000 + i, 2_000);
        }
        assert_eq!(e.samples.len(), SAMPLES);
        assert_eq!(e.responses, 43);
        assert_eq!(e.offset(), Some(32));
    }

    /// A stored digest holding more samples than are kept still gives their median.
    #[test]
    fn more_samples_than_kept_read_back() {
        let e = Estimate {
            samples: (0..20).rev().collect(),
            responses: 20,
        };
        assert_eq!(e.offset(), Some(9));
        let e = Estimate {
            samples: vec![300, -5, 120],
            responses: 3,
        };
        assert_eq!(e.offset(), Some(120));
    }
}
