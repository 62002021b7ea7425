//! The monthly leaderboard: points awarded in a community in a calendar month, China time.

use super::{EntryKind, PointsEntry};
use crate::ids::MemberId;
use crate::time::{Timestamp, china_month_bounds};
use chrono::Datelike;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use thiserror::Error;

/// A calendar month in China time (UTC+8), written `2026-11`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Month {
    year: i32,
    month: u8,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a month is written like 2026-11")]
pub struct MonthError;

impl Month {
    pub fn new(year: i32, month: u8) -> Result<Month, MonthError> {
        if (1..=12).contains(&month) && (0..=9999).contains(&year) {
            Ok(Month { year, month })
        } else {
            Err(MonthError)
        }
    }

    /// The month in China at the instant `unix_secs`: a leaderboard month starts at midnight
    /// Beijing time, not UTC.
    pub fn in_china(unix_secs: i64) -> Month {
        let date = Timestamp::from_unix_secs(unix_secs).china_date();
        Month {
            year: date.year(),
            // 1–12.
            month: date.month() as u8,
        }
    }

    /// `[start, end)` of the month in China (see [`china_month_bounds`]).
    pub fn bounds_in_china(self) -> (Timestamp, Timestamp) {
        // A Month is always a real one (years 0–9999, months 1–12), so the bounds exist.
        china_month_bounds(self.year, u32::from(self.month))
            .unwrap_or((Timestamp::MIN, Timestamp::MIN))
    }

    pub fn parse(raw: &str) -> Result<Month, MonthError> {
        let (year, month) = raw.split_once('-').ok_or(MonthError)?;
        if year.len() != 4
            || month.len() != 2
            || !year
                .bytes()
                .chain(month.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return Err(MonthError);
        }
        Month::new(
            year.parse().map_err(|_| MonthError)?,
            month.parse().map_err(|_| MonthError)?,
        )
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u8 {
        self.month
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl TryFrom<String> for Month {
    type Error = MonthError;
    fn try_from(raw: String) -> Result<Self, MonthError> {
        Month::parse(&raw)
    }
}

impl From<Month> for String {
    fn from(m: Month) -> String {
        m.to_string()
    }
}

/// One place on a monthly leaderboard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LeaderboardRow {
    /// 1 for the most points; equal points share a rank and the next rank is skipped (1, 1, 3).
    pub rank: u32,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub member: MemberId,
    /// Points awarded this month in this community.
    pub points: u64,
    pub verified_minutes: u64,
}

/// A community's leaderboard for `month`: points *awarded* there that month (China time).
/// Spending points in the mall does not lower anyone's place. Members with equal points share a
/// rank and are listed by member id, so every backend shows the same order.
pub fn leaderboard(entries: &[PointsEntry], community: &str, month: Month) -> Vec<LeaderboardRow> {
    let mut totals: BTreeMap<MemberId, (u64, u64)> = BTreeMap::new();
    for entry in entries {
        if let EntryKind::Award {
            member,
            community: c,
            points,
            verified_minutes,
            ..
        } = &entry.kind
            && c == community
            && Month::in_china(entry.at) == month
        {
            let total = totals.entry(*member).or_default();
            total.0 += u64::from(points.get());
            total.1 += u64::from(verified_minutes.get());
        }
    }
    let mut rows: Vec<LeaderboardRow> = totals
        .into_iter()
        .map(|(member, (points, verified_minutes))| LeaderboardRow {
            rank: 0,
            member,
            points,
            verified_minutes,
        })
        .collect();
    // Stable: equal points stay in member-id order from the map.
    rows.sort_by_key(|row| std::cmp::Reverse(row.points));
    for i in 0..rows.len() {
        rows[i].rank = if i > 0 && rows[i].points == rows[i - 1].points {
            rows[i - 1].rank
        } else {
            u32::try_from(i + 1).unwrap_or(u32::MAX)
        };
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::super::tests::{mins, pts};
    use super::super::{AwardRule, PointsBook};
    use super::*;
    use crate::volunteer::test_people::*;
    use proptest::prelude::*;
    use std::collections::BTreeSet;

    /// 2026-11-01 00:00 in China is 2026-10-31 16:00 UTC.
    const NOV_1_CHINA: i64 = 1_793_462_400;

    #[test]
    fn months_start_at_midnight_beijing_time() {
        assert_eq!(Month::in_china(NOV_1_CHINA).to_string(), "2026-11");
        assert_eq!(Month::in_china(NOV_1_CHINA - 1).to_string(), "2026-10");
        assert_eq!(Month::parse("2026-11"), Month::new(2026, 11));
        assert!(Month::parse("2026-13").is_err());
        assert!(Month::parse("2026-1").is_err());
        assert!(Month::parse("+026-11").is_err());
        let json = serde_json::to_string(&Month::new(2026, 3).unwrap()).unwrap();
        assert_eq!(json, r#""2026-03""#);
    }

    #[test]
    fn the_leaderboard_counts_a_communitys_awards_in_the_month() {
        let mut book = PointsBook::new();
        let fixed = |n| AwardRule::Fixed { points: pts(n) };
        book.award(ANN, "yulin", "a", fixed(30), mins(60), STAFF, NOV_1_CHINA)
            .unwrap();
        book.award(
            BOB,
            "yulin",
            "a",
            fixed(30),
            mins(90),
            STAFF,
            NOV_1_CHINA + 10,
        )
        .unwrap();
        book.award(
            CAT,
            "yulin",
            "a",
            fixed(10),
            mins(30),
            STAFF,
            NOV_1_CHINA + 20,
        )
        .unwrap();
        book.award(
            DAN,
            "yulin",
            "b",
            fixed(99),
            mins(60),
            STAFF,
            NOV_1_CHINA - 1,
        )
        .unwrap(); // October in China
        book.award(EVE, "other", "a", fixed(99), mins(60), STAFF, NOV_1_CHINA)
            .unwrap(); // another community
        book.restock("soap", 1, NOV_1_CHINA).unwrap();
        book.redeem(ANN, "soap", pts(30), NOV_1_CHINA + 30).unwrap(); // spending does not lower the place

        let board = leaderboard(book.entries(), "yulin", Month::new(2026, 11).unwrap());
        let summary: Vec<(u32, MemberId, u64)> =
            board.iter().map(|r| (r.rank, r.member, r.points)).collect();
        assert_eq!(summary, [(1, ANN, 30), (1, BOB, 30), (3, CAT, 10)]);
        assert_eq!(board[1].verified_minutes, 90);
        let october = leaderboard(book.entries(), "yulin", Month::new(2026, 10).unwrap());
        assert_eq!(october.len(), 1);
        assert_eq!(october[0].member, DAN);
    }

    proptest! {
        /// A leaderboard lists each member once, most points first, ranks 1-based with ties
        /// shared, and adds up to the month's awards in the community.
        #[test]
        fn leaderboards_are_ordered_and_complete(
            awards in proptest::collection::vec((0u8..5, 0u8..2, 1u32..100, 0i64..(90 * 86_400)), 0..40)
        ) {
            let mut book = PointsBook::new();
            for (i, (m, c, p, t)) in awards.iter().enumerate() {
                let community = ["yulin", "other"][usize::from(*c)];
                book.award(MemberId::new(i64::from(*m)), community, &format!("a{i}"), AwardRule::Fixed { points: pts(*p) }, mins(60), STAFF, NOV_1_CHINA - 30 * 86_400 + t)
                    .unwrap();
            }
            let month = Month::new(2026, 11).unwrap();
            let board = leaderboard(book.entries(), "yulin", month);
            let expected: u64 = book
                .entries()
                .iter()
                .filter_map(|e| match &e.kind {
                    EntryKind::Award { community, points, .. }
                        if community == "yulin" && Month::in_china(e.at) == month => Some(u64::from(points.get())),
                    _ => None,
                })
                .sum();
            prop_assert_eq!(board.iter().map(|r| r.points).sum::<u64>(), expected);
            let members: BTreeSet<MemberId> = board.iter().map(|r| r.member).collect();
            prop_assert_eq!(members.len(), board.len());
            if let Some(first) = board.first() {
                prop_assert_eq!(first.rank, 1);
            }
            for (i, pair) in board.windows(2).enumerate() {
                prop_assert!(pair[0].points >= pair[1].points);
                if pair[0].points == pair[1].points {
                    prop_assert_eq!(pair[0].rank, pair[1].rank);
                    prop_assert!(pair[0].member < pair[1].member);
                } else {
                    prop_assert_eq!(pair[1].rank as usize, i + 2);
                }
            }
        }
    }
}
