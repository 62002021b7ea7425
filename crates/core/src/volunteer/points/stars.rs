//! Star levels (星级): cumulative verified service hours.

use super::PointsBook;
use crate::ids::MemberId;
use serde::{Deserialize, Serialize};

/// A volunteer's star level (星级), from cumulative verified service hours: 1★ at 100 hours,
/// then 300, 600, 1,000 and 1,500 hours for 5★ (the national volunteer-record thresholds).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct StarLevel(u8);

impl StarLevel {
    /// The hours needed for 1★ to 5★.
    pub const THRESHOLD_HOURS: [u64; 5] = [100, 300, 600, 1_000, 1_500];

    pub fn for_minutes(verified_minutes: u64) -> StarLevel {
        let hours = verified_minutes / 60;
        let stars = StarLevel::THRESHOLD_HOURS
            .iter()
            .filter(|&&t| hours >= t)
            .count();
        StarLevel(stars as u8)
    }

    /// 0 (not yet rated) to 5.
    pub fn stars(self) -> u8 {
        self.0
    }

    /// The hours that reach the next level, if there is one.
    pub fn next_at_hours(self) -> Option<u64> {
        StarLevel::THRESHOLD_HOURS.get(usize::from(self.0)).copied()
    }

    /// Minutes still to serve for the next level, for a progress bar.
    pub fn minutes_to_next(verified_minutes: u64) -> Option<u64> {
        StarLevel::for_minutes(verified_minutes)
            .next_at_hours()
            .map(|h| h * 60 - verified_minutes)
    }
}

impl TryFrom<u8> for StarLevel {
    type Error = &'static str;
    fn try_from(n: u8) -> Result<Self, &'static str> {
        if n <= 5 {
            Ok(StarLevel(n))
        } else {
            Err("a star level is 0 to 5")
        }
    }
}

impl From<StarLevel> for u8 {
    fn from(s: StarLevel) -> u8 {
        s.0
    }
}

impl PointsBook {
    pub fn star_level(&self, member: MemberId) -> StarLevel {
        StarLevel::for_minutes(self.verified_minutes(member))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::{PER_HOUR, mins};
    use super::*;
    use crate::volunteer::test_people::*;

    #[test]
    fn star_levels_follow_cumulative_verified_hours() {
        let at = |hours: u64| StarLevel::for_minutes(hours * 60).stars();
        assert_eq!(at(0), 0);
        assert_eq!(StarLevel::for_minutes(100 * 60 - 1).stars(), 0);
        assert_eq!(at(100), 1);
        assert_eq!(at(299), 1);
        assert_eq!(at(300), 2);
        assert_eq!(at(600), 3);
        assert_eq!(at(1_000), 4);
        assert_eq!(at(1_500), 5);
        assert_eq!(at(9_999), 5);
        assert_eq!(StarLevel::for_minutes(0).next_at_hours(), Some(100));
        assert_eq!(StarLevel::minutes_to_next(99 * 60 + 30), Some(30));
        assert_eq!(StarLevel::minutes_to_next(1_500 * 60), None);

        let mut book = PointsBook::new();
        for day in 0..13 {
            book.award(
                ANN,
                "yulin",
                &format!("day-{day}"),
                PER_HOUR,
                mins(8 * 60),
                STAFF,
                day,
            )
            .unwrap();
        }
        assert_eq!(book.verified_minutes(ANN), 104 * 60);
        assert_eq!(book.star_level(ANN).stars(), 1);
    }
}
