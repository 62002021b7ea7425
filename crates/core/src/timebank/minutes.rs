//! Time-bank amounts: whole minutes, shown as hours and minutes. Whole minutes because a
//! service is logged by the quarter hour and nobody banks seconds; integers because a ledger that
//! must sum to exactly zero cannot use fractions of an hour.

use serde::{Deserialize, Serialize};
use std::ops::Add;

/// A non-negative number of whole minutes.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(transparent)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Minutes(u64);

impl Minutes {
    pub const ZERO: Minutes = Minutes(0);

    pub const fn new(minutes: u64) -> Minutes {
        Minutes(minutes)
    }

    /// `hours` h `minutes` min, with `minutes` below 60.
    pub fn from_hours_minutes(hours: u64, minutes: u64) -> Option<Minutes> {
        if minutes >= 60 {
            return None;
        }
        hours
            .checked_mul(60)
            .and_then(|m| m.checked_add(minutes))
            .map(Minutes)
    }

    /// The size of a signed balance (a pool's can be negative): what a screen shows after the
    /// sign.
    pub fn magnitude(signed: i64) -> Minutes {
        Minutes(signed.unsigned_abs())
    }

    pub fn get(self) -> u64 {
        self.0
    }

    pub fn is_zero(self) -> bool {
        self.0 == 0
    }

    /// The whole hours: 90 minutes is 1 (hour) and 30 (minutes).
    pub fn hours(self) -> u64 {
        self.0 / 60
    }

    /// The minutes after the whole hours, 0–59.
    pub fn minutes(self) -> u64 {
        self.0 % 60
    }

    /// As a signed ledger amount (balances are `i64` because the pool may be negative).
    pub fn signed(self) -> i64 {
        i64::try_from(self.0).unwrap_or(i64::MAX)
    }
}

impl Add for Minutes {
    type Output = Minutes;
    fn add(self, other: Minutes) -> Minutes {
        Minutes(self.0.saturating_add(other.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ninety_minutes_is_one_hour_thirty() {
        let m = Minutes::new(90);
        assert_eq!((m.hours(), m.minutes()), (1, 30));
        assert_eq!(Minutes::from_hours_minutes(1, 30), Some(m));
        assert_eq!(Minutes::from_hours_minutes(1, 60), None);
        assert_eq!(Minutes::magnitude(-135), Minutes::new(135));
        assert_eq!(Minutes::new(45) + Minutes::new(45), m);
        assert_eq!(serde_json::to_string(&m).unwrap(), "90");
    }

    proptest! {
        #[test]
        fn parts_put_back_together(total in 0u64..10_000_000) {
            let m = Minutes::new(total);
            prop_assert!(m.minutes() < 60);
            prop_assert_eq!(Minutes::from_hours_minutes(m.hours(), m.minutes()), Some(m));
        }
    }
}
