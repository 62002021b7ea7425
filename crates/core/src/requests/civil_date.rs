//! Calendar dates in China Standard Time (UTC+8, no daylight saving), from Unix seconds, without
//! a date library: tracking numbers carry the local date of submission.

use std::fmt;

/// China Standard Time is eight hours ahead of UTC all year.
pub const CHINA_OFFSET_SECS: i64 = 8 * 60 * 60;

/// `2026-11-25T02:30:00Z`: a Unix time as the API writes it (UTC, whole seconds).
pub fn rfc3339(unix_secs: i64) -> String {
    let date = CivilDate::from_days(unix_secs.div_euclid(86_400));
    let secs = unix_secs.rem_euclid(86_400);
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        date.year,
        date.month,
        date.day,
        secs / 3600,
        secs % 3600 / 60,
        secs % 60
    )
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct CivilDate {
    pub year: i32,
    pub month: u8,
    pub day: u8,
}

impl CivilDate {
    /// The date in China at the instant `unix_secs`.
    pub fn in_china(unix_secs: i64) -> CivilDate {
        let days = (unix_secs + CHINA_OFFSET_SECS).div_euclid(86_400);
        CivilDate::from_days(days)
    }

    /// Howard Hinnant's `civil_from_days`: days since 1970-01-01 to a proleptic Gregorian date.
    fn from_days(days: i64) -> CivilDate {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1_460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        CivilDate { year, month, day }
    }

    /// `20261125`.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }

    pub fn parse_compact(raw: &str) -> Option<CivilDate> {
        if raw.len() != 8 || !raw.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year = raw[..4].parse().ok()?;
        let month: u8 = raw[4..6].parse().ok()?;
        let day: u8 = raw[6..].parse().ok()?;
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
        let days_in_month = match month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            2 if leap => 29,
            2 => 28,
            _ => return None,
        };
        (1..=days_in_month)
            .contains(&day)
            .then_some(CivilDate { year, month, day })
    }
}

impl fmt::Display for CivilDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn unix_times_are_written_as_utc_rfc_3339() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_795_573_805), "2026-11-25T02:30:05Z");
        assert_eq!(rfc3339(-1), "1969-12-31T23:59:59Z");
    }

    #[test]
    fn midnight_in_chengdu_is_four_in_the_afternoon_in_london() {
        // 2026-11-24T16:00:00Z is 2026-11-25 00:00 in China.
        assert_eq!(CivilDate::in_china(1_795_536_000).to_string(), "2026-11-25");
        assert_eq!(CivilDate::in_china(1_795_535_999).to_string(), "2026-11-24");
        assert_eq!(CivilDate::in_china(0).to_string(), "1970-01-01");
        assert_eq!(CivilDate::in_china(951_782_400).to_string(), "2000-02-29");
    }

    #[test]
    fn compact_dates_are_checked() {
        assert!(CivilDate::parse_compact("20240229").is_some());
        assert!(CivilDate::parse_compact("20230229").is_none());
        assert!(CivilDate::parse_compact("20261301").is_none());
        assert!(CivilDate::parse_compact("2026112").is_none());
    }

    proptest! {
        #[test]
        fn every_day_survives_its_compact_form(secs in 0i64..4_102_444_800) {
            let date = CivilDate::in_china(secs);
            prop_assert_eq!(CivilDate::parse_compact(&date.compact()), Some(date));
        }

        #[test]
        fn days_follow_each_other(day in 0i64..50_000) {
            let a = CivilDate::in_china(day * 86_400);
            let b = CivilDate::in_china((day + 1) * 86_400);
            prop_assert!(b > a);
        }
    }
}
