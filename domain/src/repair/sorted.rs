//! A map kept as a vector sorted by key, for what the repairs keep per column or per
//! edited cell: a few entries to a few thousand. The standard B-tree map would do, but
//! its code is generated again for every key and value type (several KB of wasm each,
//! and the repairs use six); this is a binary search over a `Vec`.

use std::ops::Range;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SortedMap<K, V>(Vec<(K, V)>);

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap(Vec::new())
    }
}

impl<K: Ord + Copy, V> SortedMap<K, V> {
    fn find(&self, key: &K) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.cmp(key))
    }

    pub fn get(&self, key: &K) -> Option<&V> {
        self.find(key).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, key: &K) -> bool {
        self.find(key).is_ok()
    }

    /// Sets `key` to `value`; returns the value it had.
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match self.find(&key) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (key, value));
                None
            }
        }
    }

    pub fn remove(&mut self, key: &K) -> Option<V> {
        self.find(key).ok().map(|i| self.0.remove(i).1)
    }

    /// The value of `key`, made by `V::default()` first if it has none.
    pub fn entry_or_default(&mut self, key: K) -> &mut V
    where
        V: Default,
    {
        let i = match self.find(&key) {
            Ok(i) => i,
            Err(i) => {
                self.0.insert(i, (key, V::default()));
                i
            }
        };
        &mut self.0[i].1
    }

    /// The entries whose keys are in `keys`, in key order.
    pub fn range(&self, keys: Range<K>) -> &[(K, V)] {
        let start = self.find(&keys.start).unwrap_or_else(|i| i);
        let end = self.find(&keys.end).unwrap_or_else(|i| i);
        self.0.get(start..end.max(start)).unwrap_or_default()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Every entry, in key order.
    pub fn iter(&self) -> impl Iterator<Item = &(K, V)> {
        self.0.iter()
    }
}

impl<K: Ord + Copy, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(entries: I) -> Self {
        let mut map = SortedMap::default();
        for (k, v) in entries {
            map.insert(k, v);
        }
        map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_keys_in_order_and_answers_as_a_map_would() {
        let mut m: SortedMap<(u64, usize), &str> = SortedMap::default();
        assert_eq!(m.insert((3, 1), "c"), None);
        assert_eq!(m.insert((1, 2), "a"), None);
        assert_eq!(m.insert((2, 0), "b"), None);
        assert_eq!(m.insert((1, 2), "A"), Some("a"));
        let keys: Vec<_> = m.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys, vec![(1, 2), (2, 0), (3, 1)]);
        assert_eq!(m.get(&(1, 2)), Some(&"A"));
        assert!(m.contains_key(&(2, 0)) && !m.contains_key(&(2, 1)));
        assert_eq!(m.range((2, 0)..(3, 0)), &[((2, 0), "b")]);
        assert_eq!(m.range((5, 0)..(6, 0)), &[]);
        assert_eq!(m.remove(&(2, 0)), Some("b"));
        assert_eq!(m.remove(&(2, 0)), None);
        let mut counts: SortedMap<usize, u32> = SortedMap::default();
        *counts.entry_or_default(4) += 1;
        *counts.entry_or_default(4) += 1;
        *counts.entry_or_default(1) += 1;
        assert_eq!(
            counts.iter().copied().collect::<Vec<_>>(),
            vec![(1, 1), (4, 2)]
        );
    }
}
