//! Sorting, once. Each `sort`/`sort_by_key` call with its own element type or closure is its own
//! copy of the standard library's sort in the browser bundle (about 1.5 KB gzip each, and the home
//! page needed four); every sort on the first load goes through this one function instead.

use std::cmp::Ordering;

/// The positions `0..len` in the order `cmp` gives; positions that compare equal keep their
/// order, so this is a stable sort.
pub fn sorted_indices(len: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut order: Vec<usize> = (0..len).collect();
    order.sort_unstable_by(|&a, &b| cmp(a, b).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn agrees_with_the_standard_stable_sort(keys in proptest::collection::vec(0u8..8, 0..80)) {
            let order = sorted_indices(keys.len(), &mut |a, b| keys[a].cmp(&keys[b]));
            let mut expected: Vec<usize> = (0..keys.len()).collect();
            expected.sort_by_key(|&i| keys[i]);
            prop_assert_eq!(order, expected);
        }
    }
}
