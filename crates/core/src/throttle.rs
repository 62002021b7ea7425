//! Counting attempts in fixed windows, for sign-in limits: after `limit` counted attempts within
//! `window_secs`, a key is refused until its window ends. Time is passed in, so the rule is
//! testable and the same everywhere.

use std::collections::HashMap;
use std::hash::Hash;

/// A refusal, with how long to wait (for a `Retry-After` header and the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub i64);

#[derive(Debug, Clone, Copy)]
struct Window {
    started: i64,
    count: u32,
}

#[derive(Debug, Clone)]
pub struct Throttle<K> {
    limit: u32,
    window_secs: i64,
    windows: HashMap<K, Window>,
}

/// Above this many keys, expired windows are dropped, so memory stays bounded under a flood.
const PRUNE_ABOVE: usize = 10_000;

impl<K: Hash + Eq + Clone> Throttle<K> {
    pub fn new(limit: u32, window_secs: i64) -> Throttle<K> {
        assert!(
            limit > 0 && window_secs > 0,
            "a throttle needs a limit and a window"
        );
        Throttle {
            limit,
            window_secs,
            windows: HashMap::new(),
        }
    }

    fn live(&self, key: &K, now: i64) -> Option<Window> {
        self.windows
            .get(key)
            .copied()
            .filter(|w| now < w.started + self.window_secs)
    }

    /// Whether `key` may try now.
    pub fn check(&self, key: &K, now: i64) -> Result<(), RetryAfter> {
        match self.live(key, now) {
            Some(w) if w.count >= self.limit => {
                Err(RetryAfter((w.started + self.window_secs - now).max(1)))
            }
            _ => Ok(()),
        }
    }

    /// Counts one attempt for `key`.
    pub fn record(&mut self, key: &K, now: i64) {
        if self.windows.len() > PRUNE_ABOVE {
            let window = self.window_secs;
            self.windows.retain(|_, w| now < w.started + window);
        }
        let next = match self.live(key, now) {
            Some(w) => Window {
                count: w.count.saturating_add(1),
                ..w
            },
            None => Window {
                started: now,
                count: 1,
            },
        };
        self.windows.insert(key.clone(), next);
    }

    /// Forgets `key` (a successful sign-in clears its failures).
    pub fn clear(&mut self, key: &K) {
        self.windows.remove(key);
    }
}

/// Sign-in limits: five wrong passwords per number, and sixty attempts per network address
/// (a community centre's shared connection), each per fifteen minutes.
pub const SIGN_IN_FAILURES_PER_NUMBER: u32 = 5;
pub const SIGN_IN_ATTEMPTS_PER_ADDRESS: u32 = 60;
pub const SIGN_IN_WINDOW_SECS: i64 = 15 * 60;

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_sixth_failure_within_the_window_is_refused_until_it_ends() {
        let mut t = Throttle::new(5, 900);
        for i in 0..5 {
            assert!(t.check(&"138", 100 + i).is_ok());
            t.record(&"138", 100 + i);
        }
        assert_eq!(t.check(&"138", 200), Err(RetryAfter(800)));
        assert!(t.check(&"139", 200).is_ok(), "other keys are not affected");
        assert!(t.check(&"138", 1000).is_ok(), "a new window starts");
    }

    #[test]
    fn clearing_forgets_the_failures() {
        let mut t = Throttle::new(1, 60);
        t.record(&1, 0);
        assert!(t.check(&1, 1).is_err());
        t.clear(&1);
        assert!(t.check(&1, 1).is_ok());
    }

    proptest! {
        #[test]
        fn never_more_than_the_limit_is_let_through_in_one_window(
            times in proptest::collection::vec(0i64..1000, 0..200),
            limit in 1u32..10,
        ) {
            let mut sorted = times;
            sorted.sort_unstable();
            let mut t = Throttle::new(limit, 100);
            let mut passed: Vec<i64> = Vec::new();
            for now in sorted {
                if t.check(&"k", now).is_ok() {
                    t.record(&"k", now);
                    passed.push(now);
                }
            }
            // Fixed windows start at the first attempt after the previous one ended.
            let mut start = None;
            let mut in_window = 0;
            for now in passed {
                match start {
                    Some(s) if now < s + 100 => in_window += 1,
                    _ => { start = Some(now); in_window = 1; }
                }
                prop_assert!(in_window <= limit);
            }
        }
    }
}
