//! Tracking numbers residents can read out on the phone: `CD-20261125-000123` (city, the date of
//! submission in China, a sequence). The sequence is one counter per backend that only grows, so
//! a number is never issued twice, even across days.

use crate::time::{Timestamp, compact_date, parse_compact_date};
use chrono::NaiveDate;
use std::fmt;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TrackingError {
    #[error("a tracking number looks like CD-20261125-000123")]
    Format,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackingNumber {
    city: [u8; 2],
    date: NaiveDate,
    sequence: u64,
}

impl TrackingNumber {
    /// The number for the `sequence`-th request (from 1), submitted at `unix_secs`. `city` is two
    /// ASCII letters (`CD` for Chengdu); anything else falls back to `CC` (Citizen Cloud).
    pub fn issue(city: &str, sequence: u64, unix_secs: i64) -> TrackingNumber {
        let letters = city.as_bytes();
        let city = match letters {
            [a, b] if a.is_ascii_alphabetic() && b.is_ascii_alphabetic() => {
                [a.to_ascii_uppercase(), b.to_ascii_uppercase()]
            }
            _ => *b"CC",
        };
        TrackingNumber {
            city,
            date: Timestamp::from_unix_secs(unix_secs).china_date(),
            sequence,
        }
    }

    pub fn parse(raw: &str) -> Result<TrackingNumber, TrackingError> {
        let mut parts = raw.trim().split('-');
        let (Some(city), Some(date), Some(sequence), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(TrackingError::Format);
        };
        let city: [u8; 2] = city
            .as_bytes()
            .try_into()
            .ok()
            .filter(|c: &[u8; 2]| c.iter().all(u8::is_ascii_uppercase))
            .ok_or(TrackingError::Format)?;
        let date = parse_compact_date(date).ok_or(TrackingError::Format)?;
        if sequence.len() < 6 || !sequence.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TrackingError::Format);
        }
        let sequence = sequence.parse().map_err(|_| TrackingError::Format)?;
        Ok(TrackingNumber {
            city,
            date,
            sequence,
        })
    }

    pub fn sequence(&self) -> u64 {
        self.sequence
    }

    pub fn date(&self) -> NaiveDate {
        self.date
    }
}

impl fmt::Display for TrackingNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}-{}-{:06}",
            self.city[0] as char,
            self.city[1] as char,
            compact_date(self.date),
            self.sequence
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reads_like_the_brief() {
        let n = TrackingNumber::issue("cd", 123, 1_795_564_800);
        assert_eq!(n.to_string(), "CD-20261125-000123");
        assert_eq!(TrackingNumber::parse("CD-20261125-000123"), Ok(n));
        assert_eq!(
            TrackingNumber::issue("成都", 1, 0).to_string(),
            "CC-19700101-000001"
        );
        assert_eq!(
            TrackingNumber::issue("CD", 1_234_567, 0).to_string(),
            "CD-19700101-1234567",
            "the sequence grows past six digits rather than wrapping"
        );
    }

    #[test]
    fn malformed_numbers_are_refused() {
        for raw in [
            "",
            "CD-20261125",
            "cd-20261125-000123",
            "CD-20261325-000123",
            "CD-20261125-12",
            "CD-20261125-00012a",
            "CD-20261125-000123-1",
        ] {
            assert_eq!(
                TrackingNumber::parse(raw),
                Err(TrackingError::Format),
                "{raw}"
            );
        }
    }

    proptest! {
        #[test]
        fn distinct_sequences_give_distinct_numbers(a in 1u64..10_000_000, b in 1u64..10_000_000, t in 0i64..4_000_000_000) {
            prop_assume!(a != b);
            prop_assert_ne!(TrackingNumber::issue("CD", a, t).to_string(), TrackingNumber::issue("CD", b, t).to_string());
        }

        #[test]
        fn a_number_survives_its_text(seq in 1u64..100_000_000, t in 0i64..4_000_000_000) {
            let n = TrackingNumber::issue("CD", seq, t);
            prop_assert_eq!(TrackingNumber::parse(&n.to_string()), Ok(n));
        }
    }
}
