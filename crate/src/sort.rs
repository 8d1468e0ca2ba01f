//! One stable sort for the core's short lists (a report's findings, a tab's finding groups and
//! buckets, catalogue rows read once). std's `sort_by` compiles a driftsort and a quicksort per
//! element type — nine copies, ~40 KB of the service worker's wasm (twiggy); this insertion sort
//! is a few hundred bytes per type. The lists are short, or already sorted when they are long
//! (the generated catalogues), where an insertion sort is linear; a digest's groups are re-sorted
//! after each change to one group, which moves that group only.

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stable: equal elements keep their order.
pub fn by<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    for i in 1..v.len() {
        let mut j = i;
        while j > 0 {
            match (v.get(j - 1), v.get(j)) {
                (Some(a), Some(b)) if cmp(a, b) == Ordering::Greater => v.swap(j - 1, j),
                _ => break,
            }
            j -= 1;
        }
    }
}

/// Sorts `v` by the key `f` gives, stable.
pub fn by_key<T, K: Ord>(v: &mut [T], mut f: impl FnMut(&T) -> K) {
    by(v, |a, b| f(a).cmp(&f(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_like_std_and_keeps_ties_in_order() {
        let cases: &[&[(u8, u8)]] = &[
            &[],
            &[(1, 0)],
            &[(2, 0), (1, 1)],
            &[(3, 0), (1, 1), (2, 2), (1, 3), (3, 4), (0, 5), (2, 6)],
            &[(5, 0), (4, 1), (3, 2), (2, 3), (1, 4), (0, 5)],
            &[(0, 0), (0, 1), (0, 2)],
        ];
        for case in cases {
            let mut ours = case.to_vec();
            by_key(&mut ours, |p| p.0);
            let mut std = case.to_vec();
            std.sort_by_key(|p| p.0);
            assert_eq!(ours, std, "{case:?}");
            let mut desc = case.to_vec();
            by(&mut desc, |a, b| b.0.cmp(&a.0));
            let mut std = case.to_vec();
            std.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(desc, std, "{case:?} descending");
        }
    }
}
