//! Sorting by a number with one copy of the sorting code. The standard library's sort
//! is generated again for every element type and key (about 3.5 KB of wasm each, and the
//! app sorts seven kinds of lists); here only `(key, position)` pairs are ever sorted,
//! and the items follow by swaps.

/// Sorts `items` by `key`, equal keys keeping their order (as `sort_by_key` does).
pub fn sort_by_number<T>(items: &mut [T], key: impl Fn(&T) -> u64) {
    // Lists are often sorted already (a record's changes, by column): left alone.
    if items.windows(2).all(|w| key(&w[0]) <= key(&w[1])) {
        return;
    }
    let mut pairs: Vec<(u64, usize)> = items.iter().map(&key).zip(0..).collect();
    sort_pairs(&mut pairs);
    // `pairs[i].1` is where the item for position `i` started. Items before `i` are in
    // place; one that started there has since moved, so its trail is followed.
    let from: Vec<usize> = pairs.into_iter().map(|(_, at)| at).collect();
    for i in 0..items.len() {
        let mut at = from[i];
        while at < i {
            at = from[at];
        }
        items.swap(i, at);
    }
}

/// The one sort: positions break ties, so unstable is stable here.
#[inline(never)]
fn sort_pairs(pairs: &mut [(u64, usize)]) {
    pairs.sort_unstable();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn sorts_by_the_key_and_keeps_ties_in_order() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (0, 'd'), (1, 'e')];
        sort_by_number(&mut v, |&(k, _)| k);
        assert_eq!(v, vec![(0, 'd'), (1, 'b'), (1, 'e'), (3, 'a'), (3, 'c')]);
    }

    proptest! {
        #[test]
        fn agrees_with_the_standard_stable_sort(v in proptest::collection::vec((0u64..8, any::<u16>()), 0..200)) {
            let mut ours = v.clone();
            let mut std = v;
            sort_by_number(&mut ours, |&(k, _)| k);
            std.sort_by_key(|&(k, _)| k);
            prop_assert_eq!(ours, std);
        }
    }
}
