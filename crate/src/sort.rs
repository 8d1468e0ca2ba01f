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

/// A map as a `Vec` sorted by key, searched by bisection, for a catalogue's index built once,
/// then only read, off the fold's hot path (endpoint's): the `HashMap` it replaced was one more
/// hashbrown instantiation in each wasm module (−1.3 KB gzip). Not bucket's three maps: read
/// on every fold, bisection cost more instructions than hashing (docs/performance-log.md, "Size,
/// eighth pass").
pub(crate) struct Sorted<K, V>(pub(crate) Vec<(K, V)>);

impl<K: Ord, V> Sorted<K, V> {
    pub(crate) fn new() -> Self {
        Sorted(Vec::new())
    }

    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        let i = self.0.binary_search_by(|(k, _)| k.cmp(key)).ok()?;
        self.0.get(i).map(|(_, v)| v)
    }

    /// The value under `key`, `or` inserted first when there is none.
    pub(crate) fn entry(&mut self, key: K, or: impl FnOnce() -> V) -> Option<&mut V> {
        let i = match self.0.binary_search_by(|(k, _)| k.cmp(&key)) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key, or()));
                i
            }
        };
        self.0.get_mut(i).map(|(_, v)| v)
    }
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

    #[test]
    fn sorted_answers_like_a_map() {
        let cases: &[&[(&str, u8)]] = &[
            &[],
            &[("b", 0)],
            &[("b", 0), ("a", 1), ("b", 2), ("c", 3), ("a", 4)],
            &[("z", 0), ("y", 1), ("x", 2), ("x", 3)],
        ];
        for case in cases {
            let mut ours: Sorted<&str, Vec<u8>> = Sorted::new();
            let mut map: std::collections::BTreeMap<&str, Vec<u8>> = Default::default();
            for (k, v) in *case {
                if let Some(group) = ours.entry(*k, Vec::new) {
                    group.push(*v);
                }
                map.entry(*k).or_default().push(*v);
            }
            let flat: Vec<(&str, Vec<u8>)> = map.clone().into_iter().collect();
            assert_eq!(ours.0, flat, "{case:?}");
            for k in ["a", "b", "c", "x", "y", "z", "", "bb"] {
                assert_eq!(ours.get(&k), map.get(k), "{case:?} {k}");
            }
        }
    }
}
