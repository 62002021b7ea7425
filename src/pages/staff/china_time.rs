//! Times as the community reads them: China Standard Time (UTC+8, no daylight saving), whatever
//! the device's time zone, so the staff's tablet, the volunteers' phones and the server agree on
//! what "9:00" means.

use crate::browser::clock::parse_unix;
use citizen_core::requests::{CHINA_OFFSET_SECS, rfc3339};

/// `2026-11-24T09:00`: the China time of a Unix time, as a `datetime-local` input holds it.
pub fn input_value(unix_secs: i64) -> String {
    let mut text = rfc3339(unix_secs + CHINA_OFFSET_SECS);
    text.truncate(16);
    text
}

/// A `datetime-local` input's value (`2026-11-24T09:00`, seconds optional) read as China time:
/// `2026-11-24T09:00:00+08:00`. `None` when it is empty or not that form.
pub fn from_input(value: &str) -> Option<String> {
    let value = value.trim();
    let shape = b"dddd-dd-ddTdd:dd";
    let bytes = value.as_bytes();
    let fits = |pattern: &[u8], text: &[u8]| {
        pattern.len() == text.len()
            && pattern.iter().zip(text).all(|(p, c)| match p {
                b'd' => c.is_ascii_digit(),
                _ => p == c,
            })
    };
    let minutes = bytes.get(..16)?;
    let seconds = match &bytes[16..] {
        [] => "00",
        [b':', s @ ..] if (s.len() == 2 || s.get(2) == Some(&b'.')) && fits(b"dd", &s[..2]) => {
            &value[17..19]
        }
        _ => return None,
    };
    if !fits(shape, minutes) {
        return None;
    }
    let number = |range: std::ops::Range<usize>| value[range].parse::<u32>().unwrap_or(99);
    let valid = (1..=12).contains(&number(5..7))
        && (1..=31).contains(&number(8..10))
        && number(11..13) < 24
        && number(14..16) < 60
        && seconds < "60";
    valid.then(|| format!("{}:{seconds}+08:00", &value[..16]))
}

/// The China time of an RFC 3339 time, for a `datetime-local` input; empty when unreadable.
pub fn input_from_rfc3339(text: &str) -> String {
    parse_unix(text).map(input_value).unwrap_or_default()
}

/// `2026-11-24 09:00`, China time; the text as sent when it cannot be read.
pub fn shown(text: &str) -> String {
    match parse_unix(text) {
        Some(unix) => input_value(unix).replacen('T', " ", 1),
        None => text.to_owned(),
    }
}

/// `2026-11-24 09:00–11:00`, or both in full when they fall on different days.
pub fn span(start: &str, end: &str) -> String {
    let (start, end) = (shown(start), shown(end));
    match (start.get(..11), end.get(..11), end.get(11..)) {
        (Some(day), Some(same), Some(time)) if day == same => format!("{start}–{time}"),
        _ => format!("{start} – {end}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inputs_are_read_as_china_time() {
        assert_eq!(
            from_input("2026-11-24T09:00").as_deref(),
            Some("2026-11-24T09:00:00+08:00")
        );
        assert_eq!(
            from_input(" 2026-11-24T09:00:30 ").as_deref(),
            Some("2026-11-24T09:00:30+08:00")
        );
        for bad in [
            "",
            "2026-11-24",
            "2026-13-01T09:00",
            "2026-11-24T24:00",
            "明天 9 点",
        ] {
            assert_eq!(from_input(bad), None, "{bad}");
        }
    }

    #[test]
    fn unix_times_show_in_china_time() {
        // 2026-11-24T01:00:00Z is 09:00 in China.
        assert_eq!(input_value(1_795_482_000), "2026-11-24T09:00");
        // Just before midnight UTC is the next morning in China.
        assert_eq!(input_value(1_795_564_799), "2026-11-25T07:59");
    }
}
