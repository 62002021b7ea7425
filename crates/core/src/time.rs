//! Time, once: the instant every wire type carries ([`Timestamp`], RFC 3339 on the wire), the one
//! reader of times people and clients send, and the community's calendar, China Standard Time
//! (UTC+8 all year, no daylight saving), whatever the device's or the server's time zone.
//!
//! The core reads no clock: callers pass "now" (the server's wall clock, the browser's
//! `Date.now()`). chrono does the calendar arithmetic, without its `clock` feature.
//!
//! A [`Timestamp`] is whole Unix seconds underneath, so holding, comparing and storing one (as the
//! app's first-load module does with a sign-in's expiry) needs no calendar code; chrono runs only
//! where a time is written, read or placed on a calendar.

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, SecondsFormat, Timelike};
use serde::de::{self, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// China Standard Time: eight hours ahead of UTC all year.
pub const CHINA: FixedOffset = match FixedOffset::east_opt(8 * 60 * 60) {
    Some(offset) => offset,
    None => panic!("UTC+8 is a valid offset"),
};

/// An instant, in whole seconds, within the years 0000–9999 that RFC 3339 can write. On the wire:
/// `2026-11-25T02:30:05Z` (UTC, whole seconds); read back from any RFC 3339 offset
/// (`2026-11-25T10:30:05+08:00` is the same instant).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(i64);

/// Why a text is not a [`Timestamp`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("not an RFC 3339 date-time between the years 0000 and 9999")]
pub struct NotATime;

impl Timestamp {
    /// `0000-01-01T00:00:00Z`.
    pub const MIN: Timestamp = Timestamp(-62_167_219_200);
    /// `9999-12-31T23:59:59Z`.
    pub const MAX: Timestamp = Timestamp(253_402_300_799);

    /// The instant `secs` after the Unix epoch, held to [`Timestamp::MIN`]..=[`Timestamp::MAX`]:
    /// for times this system recorded itself. A time a client sent goes through
    /// [`Timestamp::try_from_unix_secs`] instead.
    pub const fn from_unix_secs(secs: i64) -> Timestamp {
        if secs < Timestamp::MIN.0 {
            Timestamp::MIN
        } else if secs > Timestamp::MAX.0 {
            Timestamp::MAX
        } else {
            Timestamp(secs)
        }
    }

    /// `None` outside the years RFC 3339 can write.
    pub fn try_from_unix_secs(secs: i64) -> Option<Timestamp> {
        (Timestamp::MIN.0..=Timestamp::MAX.0)
            .contains(&secs)
            .then_some(Timestamp(secs))
    }

    /// Milliseconds since the epoch (a browser's `Date.now()`), rounded down to the second.
    pub const fn from_unix_millis(millis: i64) -> Timestamp {
        Timestamp::from_unix_secs(millis.div_euclid(1000))
    }

    pub const fn unix_secs(self) -> i64 {
        self.0
    }

    /// The one reader of a time given as text, wherever it comes from: an RFC 3339 date-time with
    /// any offset (`2026-11-24T09:00:00+08:00`, `2026-11-24T01:00:00Z`), surrounding spaces
    /// ignored, fractions of a second dropped. `2026-11-24 09:00` (no seconds, no offset) is not
    /// one: a time without its offset means different instants to different readers.
    pub fn parse(text: &str) -> Result<Timestamp, NotATime> {
        DateTime::parse_from_rfc3339(text.trim())
            .ok()
            .and_then(|t| Timestamp::try_from_unix_secs(t.timestamp()))
            .ok_or(NotATime)
    }

    /// `2026-11-25T02:30:05Z`.
    pub fn to_rfc3339(self) -> String {
        self.utc().to_rfc3339_opts(SecondsFormat::Secs, true)
    }

    fn utc(self) -> DateTime<chrono::Utc> {
        // Every Timestamp is within chrono's range (see `MIN`, `MAX`).
        DateTime::from_timestamp(self.0, 0).unwrap_or_default()
    }

    fn china(self) -> NaiveDateTime {
        self.utc().with_timezone(&CHINA).naive_local()
    }

    /// The date in China at this instant.
    pub fn china_date(self) -> NaiveDate {
        self.china().date()
    }

    /// `2026-11-25`: the date in China, as screens show it.
    pub fn china_day_text(self) -> String {
        day_text(self.china_date())
    }

    /// `2026-11-25 09:00`: the date and time in China, as screens show it.
    pub fn china_minute_text(self) -> String {
        let t = self.china();
        format!("{} {:02}:{:02}", day_text(t.date()), t.hour(), t.minute())
    }

    /// `2026-11-24T09:00`: the China time as an `<input type="datetime-local">` holds it.
    pub fn to_china_input(self) -> String {
        self.china_minute_text().replacen(' ', "T", 1)
    }

    /// A `datetime-local` input's value (`2026-11-24T09:00`, seconds and their fraction optional)
    /// read as China time. `None` when it is empty or not that form.
    pub fn from_china_input(value: &str) -> Option<Timestamp> {
        let value = value.trim();
        let digits = |text: &[u8]| !text.is_empty() && text.iter().all(u8::is_ascii_digit);
        let shaped = |pattern: &[u8], text: &[u8]| {
            pattern.len() == text.len()
                && pattern.iter().zip(text).all(|(p, c)| match p {
                    b'd' => c.is_ascii_digit(),
                    _ => p == c,
                })
        };
        let bytes = value.as_bytes();
        let fits = bytes.len() >= 16
            && shaped(b"dddd-dd-ddTdd:dd", &bytes[..16])
            && match &bytes[16..] {
                [] => true,
                [b':', rest @ ..] => {
                    rest.len() >= 2
                        && digits(&rest[..2])
                        && match &rest[2..] {
                            [] => true,
                            [b'.', fraction @ ..] => digits(fraction),
                            _ => false,
                        }
                }
                _ => false,
            };
        if !fits {
            return None;
        }
        // The shape is checked: the numbers are where it says. (chrono's format-string parser
        // would add kilobytes to the screens that take times, for nothing more.)
        let number = |from: usize, to: usize| value.get(from..to)?.parse::<u32>().ok();
        let seconds = if bytes.len() > 16 { number(17, 19)? } else { 0 };
        let local = NaiveDate::from_ymd_opt(
            i32::try_from(number(0, 4)?).ok()?,
            number(5, 7)?,
            number(8, 10)?,
        )?
        .and_hms_opt(number(11, 13)?, number(14, 16)?, seconds)?;
        let at = local.and_local_timezone(CHINA).single()?;
        Timestamp::try_from_unix_secs(at.timestamp())
    }
}

/// `2026-11-24 09:00–11:00`, China time, or both in full when they fall on different days.
pub fn china_span(start: Timestamp, end: Timestamp) -> String {
    let (from, to) = (start.china_minute_text(), end.china_minute_text());
    if start.china_date() == end.china_date() {
        format!("{from}–{}", to.get(11..).unwrap_or(&to))
    } else {
        format!("{from} – {to}")
    }
}

fn day_text(date: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month(), date.day())
}

/// `20261125`: a date as a tracking number carries it.
pub fn compact_date(date: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", date.year(), date.month(), date.day())
}

/// A [`compact_date`] read back; `None` unless it is 8 digits naming a real day.
pub fn parse_compact_date(raw: &str) -> Option<NaiveDate> {
    if raw.len() != 8 || !raw.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::from_ymd_opt(
        raw[..4].parse().ok()?,
        raw[4..6].parse().ok()?,
        raw[6..].parse().ok()?,
    )
}

/// `[start, end)` of a calendar month (1–12) in China: from midnight Beijing time on its first
/// day to midnight on the next month's first. `None` when there is no such month.
pub fn china_month_bounds(year: i32, month: u32) -> Option<(Timestamp, Timestamp)> {
    let first = |year: i32, month: u32| {
        let midnight = NaiveDate::from_ymd_opt(year, month, 1)?.and_hms_opt(0, 0, 0)?;
        let at = midnight.and_local_timezone(CHINA).single()?;
        Some(Timestamp::from_unix_secs(at.timestamp()))
    };
    let (next_year, next) = if month == 12 {
        (year.checked_add(1)?, 1)
    } else {
        (year, month + 1)
    };
    Some((first(year, month)?, first(next_year, next)?))
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_rfc3339())
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_rfc3339())
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Timestamp, D::Error> {
        struct TimestampVisitor;
        impl Visitor<'_> for TimestampVisitor {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an RFC 3339 date-time")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Timestamp, E> {
                Timestamp::parse(v).map_err(|_| E::invalid_value(de::Unexpected::Str(v), &self))
            }
        }
        deserializer.deserialize_str(TimestampVisitor)
    }
}

/// In the OpenAPI document: one `Timestamp` component (a `date-time` string), which every field
/// of this type refers to.
#[cfg(feature = "openapi")]
impl utoipa::PartialSchema for Timestamp {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some(
                "An instant, RFC 3339 with whole seconds; written in UTC (`2026-11-25T02:30:05Z`), \
                 read with any offset",
            ))
            .into()
    }
}

#[cfg(feature = "openapi")]
impl utoipa::ToSchema for Timestamp {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::timebank::ServiceStart;
    use proptest::prelude::*;

    const NINE_AM_NOV_24_CHINA: i64 = 1_795_482_000;

    #[test]
    fn instants_are_written_as_utc_rfc_3339() {
        let text = |secs| Timestamp::from_unix_secs(secs).to_rfc3339();
        assert_eq!(text(0), "1970-01-01T00:00:00Z");
        assert_eq!(text(1_795_573_805), "2026-11-25T02:30:05Z");
        assert_eq!(text(-1), "1969-12-31T23:59:59Z");
        assert_eq!(
            text(i64::MAX),
            "9999-12-31T23:59:59Z",
            "held to what RFC 3339 writes"
        );
        assert_eq!(text(i64::MIN), "0000-01-01T00:00:00Z");
        assert_eq!(
            serde_json::to_string(&Timestamp::from_unix_secs(0)).unwrap(),
            r#""1970-01-01T00:00:00Z""#
        );
        assert_eq!(Timestamp::from_unix_millis(-1).unix_secs(), -1);
        assert_eq!(Timestamp::from_unix_millis(1_999).unix_secs(), 1);
    }

    #[test]
    fn any_offset_reads_as_the_same_instant() {
        let nine = Timestamp::from_unix_secs(NINE_AM_NOV_24_CHINA);
        for text in [
            "2026-11-24T09:00:00+08:00",
            "2026-11-24T01:00:00Z",
            "2026-11-24T01:00:00z",
            "2026-11-23T20:00:00-05:00",
            " 2026-11-24T01:00:00.999Z ",
        ] {
            assert_eq!(Timestamp::parse(text), Ok(nine), "{text}");
            let json = format!("\"{}\"", text.trim());
            assert_eq!(
                serde_json::from_str::<Timestamp>(&json).unwrap(),
                nine,
                "{text}"
            );
        }
        assert!(serde_json::from_str::<Timestamp>("1795482000").is_err());
        assert!(serde_json::from_str::<Timestamp>(r#""tomorrow""#).is_err());
    }

    /// What every backend (the in-browser `local` one and the server) accepts as a time a client
    /// sent: they both read it here, so the table holds for both.
    #[test]
    fn what_a_backend_accepts_as_a_time() {
        let cases: &[(&str, Option<i64>)] = &[
            (r#""2026-11-24T09:00:00+08:00""#, Some(NINE_AM_NOV_24_CHINA)),
            (r#""2026-11-24T01:00:00Z""#, Some(NINE_AM_NOV_24_CHINA)),
            (
                r#""2026-11-24T09:00:00.5+08:00""#,
                Some(NINE_AM_NOV_24_CHINA),
            ),
            (
                r#"" 2026-11-24T09:00:00+08:00 ""#,
                Some(NINE_AM_NOV_24_CHINA),
            ),
            ("1795482000", Some(NINE_AM_NOV_24_CHINA)),
            ("0", Some(0)),
            ("-1", Some(-1)),
            (r#""2026-11-24 09:00""#, None),
            (r#""2026-11-24T09:00""#, None),
            (r#""2026-11-24T09:00:00""#, None),
            (r#""2026-11-24""#, None),
            (r#""2026-02-30T09:00:00Z""#, None),
            (r#""2026-11-24T24:00:00Z""#, None),
            (r#""garbage""#, None),
            (r#""""#, None),
            (r#""1795482000""#, None),
            ("99999999999999", None),
            ("-99999999999999", None),
        ];
        for (json, expected) in cases {
            let start: ServiceStart = serde_json::from_str(json).unwrap();
            assert_eq!(
                start.timestamp().map(Timestamp::unix_secs),
                *expected,
                "{json}"
            );
        }
    }

    #[test]
    fn midnight_in_chengdu_is_four_in_the_afternoon_in_london() {
        let day = |secs| Timestamp::from_unix_secs(secs).china_day_text();
        // 2026-11-24T16:00:00Z is 2026-11-25 00:00 in China.
        assert_eq!(day(1_795_536_000), "2026-11-25");
        assert_eq!(day(1_795_535_999), "2026-11-24");
        assert_eq!(day(0), "1970-01-01");
        assert_eq!(day(951_782_400), "2000-02-29");
        assert_eq!(
            Timestamp::from_unix_secs(1_795_535_999).china_minute_text(),
            "2026-11-24 23:59"
        );
    }

    #[test]
    fn compact_dates_are_checked() {
        let date = Timestamp::from_unix_secs(1_795_536_000).china_date();
        assert_eq!(compact_date(date), "20261125");
        assert_eq!(parse_compact_date("20261125"), Some(date));
        assert!(parse_compact_date("20240229").is_some());
        for bad in [
            "20230229",
            "20261301",
            "20261100",
            "2026112",
            "2026-1125",
            "+2026112",
        ] {
            assert_eq!(parse_compact_date(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_month_runs_from_midnight_in_beijing() {
        let (start, end) = china_month_bounds(2026, 11).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-10-31T16:00:00Z");
        assert_eq!(end.to_rfc3339(), "2026-11-30T16:00:00Z");
        let (start, end) = china_month_bounds(2026, 12).unwrap();
        assert_eq!(start.to_rfc3339(), "2026-11-30T16:00:00Z");
        assert_eq!(end.to_rfc3339(), "2026-12-31T16:00:00Z");
        assert_eq!(china_month_bounds(2026, 13), None);
        assert_eq!(china_month_bounds(2026, 0), None);
        assert_eq!(start.china_date().month(), 12);
        assert_eq!(
            Timestamp::from_unix_secs(start.unix_secs() - 1)
                .china_date()
                .month(),
            11
        );
    }

    #[test]
    fn inputs_are_read_as_china_time() {
        let nine = Timestamp::from_unix_secs(NINE_AM_NOV_24_CHINA);
        assert_eq!(Timestamp::from_china_input("2026-11-24T09:00"), Some(nine));
        assert_eq!(
            Timestamp::from_china_input(" 2026-11-24T09:00:30 "),
            Timestamp::try_from_unix_secs(NINE_AM_NOV_24_CHINA + 30)
        );
        assert_eq!(
            Timestamp::from_china_input("2026-11-24T09:00:30.250"),
            Timestamp::try_from_unix_secs(NINE_AM_NOV_24_CHINA + 30)
        );
        for bad in [
            "",
            "2026-11-24",
            "2026-13-01T09:00",
            "2026-11-24T24:00",
            "2026-11-24T9:00",
            "2026-11-24 09:00",
            "2026-11-24T09:00:00+08:00",
            "明天 9 点",
        ] {
            assert_eq!(Timestamp::from_china_input(bad), None, "{bad}");
        }
    }

    #[test]
    fn instants_show_in_china_time() {
        // 2026-11-24T01:00:00Z is 09:00 in China.
        let at = |secs| Timestamp::from_unix_secs(secs);
        assert_eq!(
            at(NINE_AM_NOV_24_CHINA).to_china_input(),
            "2026-11-24T09:00"
        );
        // Just before midnight UTC is the next morning in China.
        assert_eq!(at(1_795_564_799).to_china_input(), "2026-11-25T07:59");
        assert_eq!(
            china_span(at(NINE_AM_NOV_24_CHINA), at(NINE_AM_NOV_24_CHINA + 7200)),
            "2026-11-24 09:00–11:00"
        );
        assert_eq!(
            china_span(at(NINE_AM_NOV_24_CHINA), at(NINE_AM_NOV_24_CHINA + 86_400)),
            "2026-11-24 09:00 – 2026-11-25 09:00"
        );
    }

    proptest! {
        #[test]
        fn an_instant_survives_its_text(secs in Timestamp::MIN.0..=Timestamp::MAX.0) {
            let at = Timestamp::from_unix_secs(secs);
            prop_assert_eq!(at.unix_secs(), secs);
            prop_assert_eq!(Timestamp::parse(&at.to_rfc3339()), Ok(at));
            let json = serde_json::to_string(&at).unwrap();
            prop_assert_eq!(serde_json::from_str::<Timestamp>(&json).unwrap(), at);
        }

        #[test]
        fn a_china_input_survives_its_text(minutes in 0i64..4_102_444_800 / 60) {
            let at = Timestamp::from_unix_secs(minutes * 60);
            prop_assert_eq!(Timestamp::from_china_input(&at.to_china_input()), Some(at));
        }

        #[test]
        fn every_day_survives_its_compact_form(secs in 0i64..4_102_444_800) {
            let date = Timestamp::from_unix_secs(secs).china_date();
            prop_assert_eq!(parse_compact_date(&compact_date(date)), Some(date));
        }

        #[test]
        fn days_follow_each_other(day in 0i64..50_000) {
            let a = Timestamp::from_unix_secs(day * 86_400).china_date();
            let b = Timestamp::from_unix_secs((day + 1) * 86_400).china_date();
            prop_assert!(b > a);
        }
    }
}
