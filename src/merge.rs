//! Time-ordered merge of several event streams.
//!
//! Each input is read as a stream and is expected to be *mostly* in time order (audit logs,
//! Falco and Tracee files are written in arrival order, which is close to event order). Every
//! input gets a bounded look-ahead buffer that repairs local disorder; across inputs the
//! earliest buffered item wins. Memory is bounded by `inputs × lookahead` items.
//!
//! Nothing is dropped: an item that arrives too late to be placed in order is still emitted,
//! and counted in [`MergeStats::out_of_order`]. Items without a time (errors) pass through at
//! once.

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use chrono::{DateTime, Utc};

/// Settings for [`Merge`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MergeSettings {
    /// Items buffered per input to repair local disorder. Default 256.
    pub lookahead: usize,
}

impl Default for MergeSettings {
    fn default() -> Self {
        MergeSettings { lookahead: 256 }
    }
}

/// Counters of a merge.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MergeStats {
    /// Items emitted.
    pub emitted: u64,
    /// Items emitted with a time earlier than an item already emitted.
    pub out_of_order: u64,
    /// Items without a time, passed through.
    pub untimed: u64,
}

/// A buffered item ordered by (time, arrival).
type Timed<T> = Reverse<(DateTime<Utc>, u64, Slot<T>)>;

struct Input<T, I> {
    iter: I,
    buf: BinaryHeap<Timed<T>>,
    done: bool,
}

/// Wraps an item so the heap orders by (time, arrival) only.
struct Slot<T>(T);

impl<T> PartialEq for Slot<T> {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl<T> Eq for Slot<T> {}
impl<T> PartialOrd for Slot<T> {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl<T> Ord for Slot<T> {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

/// Merges several iterators by the time `key` gives each item.
pub struct Merge<T, I, K> {
    inputs: Vec<Input<T, I>>,
    key: K,
    settings: MergeSettings,
    seq: u64,
    last: Option<DateTime<Utc>>,
    pending: std::collections::VecDeque<T>,
    stats: MergeStats,
}

impl<T, I, K> std::fmt::Debug for Merge<T, I, K> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Merge")
            .field("inputs", &self.inputs.len())
            .field("settings", &self.settings)
            .field("stats", &self.stats)
            .finish()
    }
}

impl<T, I, K> Merge<T, I, K>
where
    I: Iterator<Item = T>,
    K: Fn(&T) -> Option<DateTime<Utc>>,
{
    /// Merges `inputs`, ordering by `key` (items for which it returns `None` pass through).
    pub fn new(inputs: Vec<I>, key: K, settings: MergeSettings) -> Self {
        Merge {
            inputs: inputs
                .into_iter()
                .map(|iter| Input {
                    iter,
                    buf: BinaryHeap::new(),
                    done: false,
                })
                .collect(),
            key,
            settings,
            seq: 0,
            last: None,
            pending: std::collections::VecDeque::new(),
            stats: MergeStats::default(),
        }
    }

    /// Counters so far.
    pub fn stats(&self) -> MergeStats {
        self.stats
    }

    /// The inputs (for their own counters once the merge is exhausted).
    pub fn inputs(&self) -> impl Iterator<Item = &I> {
        self.inputs.iter().map(|i| &i.iter)
    }

    /// Ends the merge, returning the inputs in the order given (buffered items are dropped:
    /// call it once the merge is exhausted).
    pub fn into_inputs(self) -> Vec<I> {
        self.inputs.into_iter().map(|i| i.iter).collect()
    }

    fn fill(&mut self) {
        let want = self.settings.lookahead.max(1);
        for input in &mut self.inputs {
            while !input.done && input.buf.len() < want {
                match input.iter.next() {
                    None => input.done = true,
                    Some(item) => match (self.key)(&item) {
                        Some(t) => {
                            self.seq += 1;
                            input.buf.push(Reverse((t, self.seq, Slot(item))));
                        }
                        None => {
                            self.stats.untimed += 1;
                            self.pending.push_back(item);
                        }
                    },
                }
            }
        }
    }
}

impl<T, I, K> Iterator for Merge<T, I, K>
where
    I: Iterator<Item = T>,
    K: Fn(&T) -> Option<DateTime<Utc>>,
{
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if let Some(item) = self.pending.pop_front() {
            self.stats.emitted += 1;
            return Some(item);
        }
        self.fill();
        if let Some(item) = self.pending.pop_front() {
            self.stats.emitted += 1;
            return Some(item);
        }
        let best = self
            .inputs
            .iter()
            .enumerate()
            .filter_map(|(i, input)| input.buf.peek().map(|Reverse((t, s, _))| (*t, *s, i)))
            .min()?;
        let Reverse((t, _, Slot(item))) = self.inputs[best.2].buf.pop()?;
        if self.last.is_some_and(|l| t < l) {
            self.stats.out_of_order += 1;
        } else {
            self.last = Some(t);
        }
        self.stats.emitted += 1;
        Some(item)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn ts(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(s, 0).unwrap()
    }

    #[test]
    fn merges_sorted_inputs() {
        let a = vec![1, 4, 7];
        let b = vec![2, 3, 9];
        let c = vec![5];
        let m = Merge::new(
            vec![a.into_iter(), b.into_iter(), c.into_iter()],
            |x: &i64| Some(ts(*x)),
            MergeSettings::default(),
        );
        assert_eq!(m.collect::<Vec<_>>(), vec![1, 2, 3, 4, 5, 7, 9]);
    }

    #[test]
    fn repairs_local_disorder_within_lookahead() {
        let a = vec![3, 1, 2, 6, 5, 4];
        let m = Merge::new(
            vec![a.into_iter()],
            |x: &i64| Some(ts(*x)),
            MergeSettings { lookahead: 3 },
        );
        let out: Vec<_> = m.collect();
        assert_eq!(out, vec![1, 2, 3, 4, 5, 6]);
    }

    #[test]
    fn beyond_lookahead_is_emitted_and_counted() {
        let a = vec![5, 6, 7, 1];
        let mut m = Merge::new(
            vec![a.into_iter()],
            |x: &i64| Some(ts(*x)),
            MergeSettings { lookahead: 1 },
        );
        let out: Vec<_> = m.by_ref().collect();
        assert_eq!(out, vec![5, 6, 7, 1]);
        assert_eq!(m.stats().out_of_order, 1);
        assert_eq!(m.stats().emitted, 4);
    }

    #[test]
    fn untimed_items_pass_through() {
        let a = vec![Some(2), None, Some(1)];
        let mut m = Merge::new(
            vec![a.into_iter()],
            |x: &Option<i64>| x.map(ts),
            MergeSettings::default(),
        );
        let out: Vec<_> = m.by_ref().collect();
        assert_eq!(out, vec![None, Some(1), Some(2)]);
        assert_eq!(m.stats().untimed, 1);
    }

    #[test]
    fn equal_times_keep_arrival_order() {
        let a = vec![(1, 'a'), (1, 'b')];
        let b = vec![(1, 'c')];
        let m = Merge::new(
            vec![a.into_iter(), b.into_iter()],
            |x: &(i64, char)| Some(ts(x.0)),
            MergeSettings::default(),
        );
        let out: Vec<char> = m.map(|x| x.1).collect();
        assert_eq!(out, vec!['a', 'b', 'c']);
    }
}
