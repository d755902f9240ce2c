//! A short list kept in place: up to `N` items inside the value, more on the heap.
//!
//! A region enumeration makes one [`Region`](super::Region) per region, each with its vertices,
//! its gradient and value per output and an activation pattern: a heap block apiece was most of
//! what building the regions cost on small networks. Regions have a handful of vertices, networks
//! one or a few outputs and, on a slice, a few hundred switches at most, so these lists almost
//! always fit in place. It reads as a slice.
//!
//! ```
//! use relulens::explain::InlineVec;
//! let short: InlineVec<f64, 2> = vec![1.0, 2.0].into();
//! let long: InlineVec<f64, 2> = vec![1.0, 2.0, 3.0].into();
//! assert_eq!(short[1], 2.0);
//! assert_eq!(long.iter().sum::<f64>(), 6.0);
//! assert_eq!(short, [1.0, 2.0]);
//! ```

use core::fmt;
use core::ops::{Deref, DerefMut};

/// Up to `N` items in place, more on the heap; dereferences to a slice.
#[derive(Clone)]
pub struct InlineVec<T, const N: usize> {
    items: Items<T, N>,
}

#[derive(Clone)]
enum Items<T, const N: usize> {
    Inline { len: usize, items: [T; N] },
    Heap(Vec<T>),
}

impl<T: Copy + Default, const N: usize> InlineVec<T, N> {
    /// `len` default items (zeros for numbers).
    pub fn filled(len: usize) -> Self {
        let items = if len <= N {
            Items::Inline {
                len,
                items: [T::default(); N],
            }
        } else {
            Items::Heap(vec![T::default(); len])
        };
        InlineVec { items }
    }

    /// A copy of `items`.
    pub fn from_slice(items: &[T]) -> Self {
        let mut v = Self::filled(items.len());
        v.copy_from_slice(items);
        v
    }
}

impl<T, const N: usize> Deref for InlineVec<T, N> {
    type Target = [T];

    fn deref(&self) -> &[T] {
        match &self.items {
            Items::Inline { len, items } => &items[..*len],
            Items::Heap(items) => items,
        }
    }
}

impl<T, const N: usize> DerefMut for InlineVec<T, N> {
    fn deref_mut(&mut self) -> &mut [T] {
        match &mut self.items {
            Items::Inline { len, items } => &mut items[..*len],
            Items::Heap(items) => items,
        }
    }
}

impl<T: Copy + Default, const N: usize> From<Vec<T>> for InlineVec<T, N> {
    fn from(items: Vec<T>) -> Self {
        if items.len() <= N {
            Self::from_slice(&items)
        } else {
            InlineVec {
                items: Items::Heap(items),
            }
        }
    }
}

impl<T: Copy + Default, const N: usize> FromIterator<T> for InlineVec<T, N> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut inline = [T::default(); N];
        let mut iter = iter.into_iter();
        for len in 0..=N {
            match iter.next() {
                None => {
                    return InlineVec {
                        items: Items::Inline { len, items: inline },
                    }
                }
                Some(item) if len < N => inline[len] = item,
                Some(item) => {
                    let mut heap = inline.to_vec();
                    heap.push(item);
                    heap.extend(iter);
                    return InlineVec {
                        items: Items::Heap(heap),
                    };
                }
            }
        }
        unreachable!("the loop returns by its last turn")
    }
}

impl<'a, T, const N: usize> IntoIterator for &'a InlineVec<T, N> {
    type Item = &'a T;
    type IntoIter = core::slice::Iter<'a, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: fmt::Debug, const N: usize> fmt::Debug for InlineVec<T, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<T: PartialEq, const N: usize, const M: usize> PartialEq<InlineVec<T, M>> for InlineVec<T, N> {
    fn eq(&self, other: &InlineVec<T, M>) -> bool {
        **self == **other
    }
}

impl<T: PartialEq, const N: usize, const M: usize> PartialEq<[T; M]> for InlineVec<T, N> {
    fn eq(&self, other: &[T; M]) -> bool {
        **self == other[..]
    }
}

impl<T: PartialEq, const N: usize> PartialEq<Vec<T>> for InlineVec<T, N> {
    fn eq(&self, other: &Vec<T>) -> bool {
        **self == other[..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_lists_read_the_same() {
        for len in 0..7 {
            let items: Vec<u64> = (0..len).map(|i| i * 3 + 1).collect();
            let collected: InlineVec<u64, 4> = items.iter().copied().collect();
            let converted: InlineVec<u64, 4> = items.clone().into();
            let copied = InlineVec::<u64, 4>::from_slice(&items);
            assert_eq!(&*collected, &items[..], "{len}");
            assert_eq!(collected, converted);
            assert_eq!(copied, items);
            assert_eq!(format!("{collected:?}"), format!("{items:?}"));
        }
        let mut v = InlineVec::<f64, 2>::filled(3);
        v[2] = 5.0;
        assert_eq!(v, [0.0, 0.0, 5.0]);
    }
}
