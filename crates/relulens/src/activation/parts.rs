//! How an elementwise kernel's array is cut for several threads: guided parts, each a share of what
//! is left, so the first are long and the last are short.
//!
//! Threads claim the parts in order, so every thread works on long runs of memory while much is
//! left, and when the array runs out they finish a short part apart: with equal parts of a tenth of
//! a millisecond each, a thread that starts the last one leaves the others idle for up to that long.
//! ReLU on 10^7 float32 over two threads from Python ran 1.05–1.20× PyTorch's speed with these
//! parts against 0.96–1.01× with eight equal parts per thread (`bench/BENCHMARKS.md`).
//!
//! ```
//! use relulens::activation::parts;
//!
//! let cuts = parts(10_000_000, 2);
//! assert_eq!(cuts.first().unwrap().start, 0);
//! assert_eq!(cuts.last().unwrap().end, 10_000_000);
//! assert!(cuts[0].len() > cuts[cuts.len() - 1].len());
//! assert_eq!(parts(1000, 2).len(), 1); // too short to share
//! ```

use core::ops::Range;

/// The fewest elements worth a part of their own: about what waking a waiting thread and waiting
/// for it costs, in ReLU on float32 in cache (a few microseconds).
pub const PART_MIN: usize = 1 << 15;

/// Part lengths are whole multiples of this many elements (4 KiB of float32, 8 KiB of float64), so
/// that two threads share a cache line only where their parts meet, and only if the array does not
/// start on a line.
const ALIGN: usize = 1024;

/// The parts `0..len` is cut into for `threads` threads, in the order they are to be claimed: each
/// is the remainder's share for twice the threads (rounded up to whole pages) while that share is
/// at least [`PART_MIN`] elements; what is left then is cut into equal parts of whole pages, one
/// per thread (fewer if they would be shorter than [`PART_MIN`]), the last taking the odd
/// elements. One part, the whole range, for one thread or fewer than `2 * PART_MIN` elements; no
/// more threads are counted than there are `PART_MIN` elements (any count is accepted).
///
/// With two threads each part is a quarter of what is left: 10^8 elements make 26 parts, the first
/// of 25 million and the last two of about 49,000 each; 10^5 elements make two halves.
pub fn parts(len: usize, threads: usize) -> Vec<Range<usize>> {
    if threads < 2 || len < 2 * PART_MIN {
        return std::iter::once(0..len).collect();
    }
    let threads = threads.min(len / PART_MIN);
    let mut cuts = Vec::new();
    let mut start = 0;
    loop {
        let left = len - start;
        let share = left / (2 * threads);
        if share < PART_MIN {
            break;
        }
        let end = start + share.next_multiple_of(ALIGN);
        cuts.push(start..end);
        start = end;
    }
    // The last round: as even as whole pages allow, so that threads arriving together leave
    // together.
    let left = len - start;
    let count = (left / PART_MIN).clamp(1, threads);
    let each = left / count / ALIGN * ALIGN; // at least PART_MIN, a multiple of ALIGN
    for _ in 1..count {
        cuts.push(start..start + each);
        start += each;
    }
    cuts.push(start..len);
    cuts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_parts_tile_the_range_in_whole_pages_and_shrink() {
        for threads in [2, 3, 4, 16, 64] {
            for len in [
                2 * PART_MIN,
                2 * PART_MIN + 1,
                3 * PART_MIN - 1,
                64 * PART_MIN + 1,
                1 << 20,
                (1 << 20) + 12_345,
                10_000_000,
                100_000_000,
            ] {
                let cuts = parts(len, threads);
                let context = format!("{len} over {threads} threads: {cuts:?}");
                assert!(cuts.len() >= 2, "{context}");
                assert_eq!(cuts[0].start, 0);
                assert_eq!(cuts[cuts.len() - 1].end, len);
                for pair in cuts.windows(2) {
                    assert_eq!(pair[0].end, pair[1].start, "{context}");
                }
                let (last, whole) = cuts.split_last().unwrap();
                for cut in whole {
                    assert_eq!(cut.len() % ALIGN, 0, "{context}");
                    assert!(cut.len() >= PART_MIN, "{context}");
                }
                // Shrinking, but for a last round of at most one part per thread, none much
                // longer than PART_MIN (threads that arrive together finish together).
                for pair in cuts[..cuts.len().saturating_sub(threads)].windows(2) {
                    assert!(pair[0].len() >= pair[1].len(), "{context}");
                }
                assert!(last.len() < 2 * PART_MIN + threads * ALIGN, "{context}");
                // The first part is the whole's share for twice the threads, in whole pages.
                let share = len / (2 * threads);
                if share >= PART_MIN {
                    assert_eq!(cuts[0].len(), share.next_multiple_of(ALIGN), "{context}");
                }
            }
        }
    }

    #[test]
    fn two_threads_take_a_quarter_of_what_is_left_then_halves() {
        let cuts = parts(100_000_000, 2);
        let first = 25_000_000usize.next_multiple_of(ALIGN);
        assert_eq!(cuts[0], 0..first);
        assert_eq!(
            cuts[1].len(),
            ((100_000_000 - first) / 4).next_multiple_of(ALIGN)
        );
        assert_eq!(cuts.len(), 26);
        let (a, b) = (&cuts[24], &cuts[25]);
        assert!(a.len() >= PART_MIN && a.len() < 2 * PART_MIN && b.len() - a.len() < 2 * ALIGN);
        assert_eq!(parts(100_000, 2), [0..49_152, 49_152..100_000]);
    }

    #[test]
    fn one_thread_or_a_short_range_is_one_part() {
        let whole = |len: usize| std::iter::once(0..len).collect::<Vec<_>>();
        assert_eq!(parts(100_000_000, 1), whole(100_000_000));
        assert_eq!(parts(0, 2), whole(0));
        assert_eq!(parts(2 * PART_MIN - 1, 8), whole(2 * PART_MIN - 1));
    }

    #[test]
    fn any_thread_count_is_accepted() {
        // The count comes from an environment variable: huge ones must neither overflow nor divide
        // by zero, and count as many threads as there are minimum parts.
        for threads in [usize::MAX, usize::MAX / 2 + 1, 1 << 40] {
            assert_eq!(
                parts(10_000_000, threads),
                parts(10_000_000, 10_000_000 / PART_MIN)
            );
        }
        assert_eq!(parts(3 * PART_MIN, usize::MAX).len(), 3);
    }
}
