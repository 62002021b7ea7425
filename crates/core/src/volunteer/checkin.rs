//! On-site check-in (签到) and check-out (签退) at a volunteer activity.
//!
//! Staff show a 6-digit code on their phone; a volunteer on site types it. The code is RFC 6238
//! TOTP: HMAC-SHA256 over the activity's secret and the number of 30-second steps since 1970,
//! cut to 6 digits by dynamic truncation. It rotates every 30 seconds and the previous code is
//! still accepted (someone who read it just before it changed is not refused), so a screenshot
//! shared to the family group stops working within a minute. Nothing is stored per code: any
//! backend with the secret and a clock derives and checks the same codes.
//!
//! One million codes can be guessed by brute force: the backend that checks them must also
//! limit attempts per volunteer (see `crate::throttle`).
//!
//! Check-in opens 30 minutes before the activity starts and closes at its end. Time comes in as
//! Unix seconds; the core reads no clock.

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::fmt;
use thiserror::Error;

/// A code is valid for one 30-second step (RFC 6238's default).
pub const CODE_STEP_SECS: i64 = 30;
/// Codes have six digits: short enough to read aloud across a room.
pub const CODE_DIGITS: usize = 6;
/// Check-in opens this long before the activity starts, so people can queue before it begins.
pub const CHECK_IN_OPENS_BEFORE_SECS: i64 = 30 * 60;
/// How many steps back a code is still recognised, to tell the volunteer "expired" rather than
/// "wrong" (a code read ten minutes ago is a stale screen, not a typo). Never accepted.
const RECOGNISED_STEPS: i64 = 20;

/// An activity's secret: 16–64 random bytes (RFC 4226 asks for at least 128 bits). Its debug
/// form hides the bytes, so it never lands in a log; it is stored as lowercase hex.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CheckInSecret(Vec<u8>);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SecretError {
    #[error("a check-in secret has 16–64 bytes, got {0}")]
    Length(usize),
    #[error("a check-in secret is written as lowercase hex digits")]
    NotHex,
}

impl CheckInSecret {
    pub const MIN_BYTES: usize = 16;
    pub const MAX_BYTES: usize = 64;

    pub fn new(bytes: &[u8]) -> Result<CheckInSecret, SecretError> {
        if !(Self::MIN_BYTES..=Self::MAX_BYTES).contains(&bytes.len()) {
            return Err(SecretError::Length(bytes.len()));
        }
        Ok(CheckInSecret(bytes.to_vec()))
    }

    /// From 20 random bytes (160 bits, RFC 4226's recommendation). The caller brings the
    /// randomness: the core does no IO.
    pub fn from_random(bytes: [u8; 20]) -> CheckInSecret {
        CheckInSecret(bytes.to_vec())
    }

    pub fn parse_hex(raw: &str) -> Result<CheckInSecret, SecretError> {
        if !raw.len().is_multiple_of(2)
            || !raw.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        {
            return Err(SecretError::NotHex);
        }
        let bytes: Vec<u8> = (0..raw.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&raw[i..i + 2], 16).map_err(|_| SecretError::NotHex))
            .collect::<Result<_, _>>()?;
        CheckInSecret::new(&bytes)
    }

    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

impl fmt::Debug for CheckInSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CheckInSecret(…)")
    }
}

impl TryFrom<String> for CheckInSecret {
    type Error = SecretError;
    fn try_from(raw: String) -> Result<Self, SecretError> {
        CheckInSecret::parse_hex(&raw)
    }
}

impl From<CheckInSecret> for String {
    fn from(s: CheckInSecret) -> String {
        s.to_hex()
    }
}

/// Six decimal digits, leading zeros kept (`004127`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CheckInCode(u32);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("a check-in code is 6 digits")]
pub struct CodeFormatError;

impl CheckInCode {
    /// What a person typed: spaces anywhere are ignored (`119 246`, as codes are often shown),
    /// and full-width digits from a Chinese keyboard (`１１９２４６`) count as digits.
    pub fn parse(typed: &str) -> Result<CheckInCode, CodeFormatError> {
        let mut value = 0u32;
        let mut digits = 0usize;
        for c in typed.chars() {
            if c.is_whitespace() {
                continue;
            }
            let digit = match c {
                '0'..='9' => c as u32 - '0' as u32,
                '０'..='９' => c as u32 - '０' as u32,
                _ => return Err(CodeFormatError),
            };
            digits += 1;
            if digits > CODE_DIGITS {
                return Err(CodeFormatError);
            }
            value = value * 10 + digit;
        }
        if digits == CODE_DIGITS {
            Ok(CheckInCode(value))
        } else {
            Err(CodeFormatError)
        }
    }

    /// The code as a number below 1,000,000.
    pub fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for CheckInCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:06}", self.0)
    }
}

impl TryFrom<String> for CheckInCode {
    type Error = CodeFormatError;
    fn try_from(raw: String) -> Result<Self, CodeFormatError> {
        CheckInCode::parse(&raw)
    }
}

impl From<CheckInCode> for String {
    fn from(c: CheckInCode) -> String {
        c.to_string()
    }
}

/// The RFC 6238 time step of an instant: whole 30-second periods since 1970.
pub fn time_step(unix_secs: i64) -> i64 {
    unix_secs.div_euclid(CODE_STEP_SECS)
}

/// RFC 4226 HOTP with HMAC-SHA256 before the final modulo: 31 bits from dynamic truncation.
fn truncated(secret: &CheckInSecret, step: i64) -> u32 {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes())
        .expect("HMAC accepts a key of any length");
    // The counter is the step as an unsigned 64-bit big-endian number; steps before 1970 (never
    // an activity's time) wrap, which keeps the function total.
    mac.update(&(step as u64).to_be_bytes());
    let hash = mac.finalize().into_bytes();
    let offset = usize::from(hash[hash.len() - 1] & 0x0f);
    u32::from_be_bytes([
        hash[offset] & 0x7f,
        hash[offset + 1],
        hash[offset + 2],
        hash[offset + 3],
    ])
}

fn code_of_step(secret: &CheckInSecret, step: i64) -> CheckInCode {
    CheckInCode(truncated(secret, step) % 1_000_000)
}

/// The code to show at `unix_secs`.
pub fn code_at(secret: &CheckInSecret, unix_secs: i64) -> CheckInCode {
    code_of_step(secret, time_step(unix_secs))
}

/// Seconds until the code shown at `unix_secs` changes (1–30), for the countdown on the
/// staff's screen.
pub fn secs_until_next_code(unix_secs: i64) -> i64 {
    CODE_STEP_SECS - unix_secs.rem_euclid(CODE_STEP_SECS)
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckInError {
    #[error("a check-in code is 6 digits")]
    Malformed,
    #[error("this code has expired: type the code showing now")]
    Expired,
    #[error("this is not the code for this activity")]
    Wrong,
    /// Check-in opens 30 minutes before the start.
    #[error("check-in has not opened yet")]
    NotOpenYet { opens_at: i64 },
    #[error("check-in has closed: the activity has ended")]
    Closed { closed_at: i64 },
}

impl From<CodeFormatError> for CheckInError {
    fn from(_: CodeFormatError) -> Self {
        CheckInError::Malformed
    }
}

/// Checks what a volunteer typed at `now`: the current code or the previous one. A code from
/// two or more steps ago is refused as `Expired` (recognised up to 10 minutes back); anything
/// else, including a code from the future, is `Wrong`.
pub fn verify(secret: &CheckInSecret, typed: &str, now: i64) -> Result<(), CheckInError> {
    let typed = CheckInCode::parse(typed)?;
    let step = time_step(now);
    if typed == code_of_step(secret, step) || typed == code_of_step(secret, step - 1) {
        return Ok(());
    }
    if (2..=RECOGNISED_STEPS).any(|back| typed == code_of_step(secret, step - back)) {
        return Err(CheckInError::Expired);
    }
    Err(CheckInError::Wrong)
}

/// When an activity runs: it ends after it starts. Unix seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawActivityTime")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ActivityTime {
    start: i64,
    end: i64,
}

#[derive(Deserialize)]
struct RawActivityTime {
    start: i64,
    end: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("an activity ends after it starts")]
pub struct ActivityTimeError;

impl TryFrom<RawActivityTime> for ActivityTime {
    type Error = ActivityTimeError;
    fn try_from(raw: RawActivityTime) -> Result<Self, ActivityTimeError> {
        ActivityTime::new(raw.start, raw.end)
    }
}

impl ActivityTime {
    pub fn new(start: i64, end: i64) -> Result<ActivityTime, ActivityTimeError> {
        if end > start {
            Ok(ActivityTime { start, end })
        } else {
            Err(ActivityTimeError)
        }
    }

    pub fn start(self) -> i64 {
        self.start
    }

    pub fn end(self) -> i64 {
        self.end
    }

    /// When check-in opens: 30 minutes before the start.
    pub fn check_in_opens(self) -> i64 {
        self.start.saturating_sub(CHECK_IN_OPENS_BEFORE_SECS)
    }

    /// Whether check-in is open at `now`: from 30 minutes before the start until (not
    /// including) the end.
    pub fn check_in_open(self, now: i64) -> Result<(), CheckInError> {
        if now < self.check_in_opens() {
            Err(CheckInError::NotOpenYet {
                opens_at: self.check_in_opens(),
            })
        } else if now >= self.end {
            Err(CheckInError::Closed {
                closed_at: self.end,
            })
        } else {
            Ok(())
        }
    }

    /// Whole minutes of `[from, to]` that fall inside the activity: time spent before the
    /// start or after the end is not service.
    pub fn minutes_within(self, from: i64, to: i64) -> u32 {
        let from = from.clamp(self.start, self.end);
        let to = to.clamp(self.start, self.end);
        u32::try_from((to - from).max(0) / 60).unwrap_or(u32::MAX)
    }
}

/// One volunteer's presence at one activity: when they checked in, and out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Attendance {
    checked_in_at: i64,
    checked_out_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CheckOutError {
    #[error("already checked out")]
    AlreadyCheckedOut { at: i64 },
    #[error("a check-out cannot come before the check-in")]
    BeforeCheckIn,
}

impl Attendance {
    /// Checks a volunteer in: the window first (a closed window is the answer whatever was
    /// typed), then the code.
    pub fn check_in(
        time: ActivityTime,
        secret: &CheckInSecret,
        typed: &str,
        now: i64,
    ) -> Result<Attendance, CheckInError> {
        time.check_in_open(now)?;
        verify(secret, typed, now)?;
        Ok(Attendance {
            checked_in_at: now,
            checked_out_at: None,
        })
    }

    /// Records the check-out time. It needs no code (leaving early or late is the volunteer's
    /// word, and staff verify the hours anyway) and may come after the activity's end: people
    /// forget, and the minutes counted stop at the end regardless.
    pub fn check_out(&mut self, now: i64) -> Result<(), CheckOutError> {
        if let Some(at) = self.checked_out_at {
            return Err(CheckOutError::AlreadyCheckedOut { at });
        }
        if now < self.checked_in_at {
            return Err(CheckOutError::BeforeCheckIn);
        }
        self.checked_out_at = Some(now);
        Ok(())
    }

    pub fn checked_in_at(self) -> i64 {
        self.checked_in_at
    }

    pub fn checked_out_at(self) -> Option<i64> {
        self.checked_out_at
    }

    /// The whole minutes present during the activity, once checked out: what staff see as the
    /// suggested hours to verify. `None` before check-out.
    pub fn attended_minutes(self, time: ActivityTime) -> Option<u32> {
        let out = self.checked_out_at?;
        Some(time.minutes_within(self.checked_in_at, out))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// RFC 6238 Appendix B's SHA-256 seed.
    fn rfc_secret() -> CheckInSecret {
        CheckInSecret::new(b"12345678901234567890123456789012").unwrap()
    }

    fn secret() -> CheckInSecret {
        CheckInSecret::from_random([7; 20])
    }

    #[test]
    fn rfc_6238_sha256_vectors() {
        // Appendix B gives 8 digits; a 6-digit code is the last six of them.
        let vectors = [
            (59, 46_119_246),
            (1_111_111_109, 68_084_774),
            (1_111_111_111, 67_062_674),
            (1_234_567_890, 91_819_424),
            (2_000_000_000, 90_698_825),
            (20_000_000_000, 77_737_706),
        ];
        for (t, eight) in vectors {
            assert_eq!(truncated(&rfc_secret(), time_step(t)) % 100_000_000, eight);
            assert_eq!(code_at(&rfc_secret(), t).value(), eight % 1_000_000);
        }
        assert_eq!(code_at(&rfc_secret(), 59).to_string(), "119246");
    }

    #[test]
    fn codes_keep_leading_zeros() {
        assert_eq!(CheckInCode(4127).to_string(), "004127");
        assert_eq!(CheckInCode::parse("004127"), Ok(CheckInCode(4127)));
    }

    #[test]
    fn typed_codes_forgive_spaces_and_full_width_digits() {
        assert_eq!(CheckInCode::parse(" 119 246 "), Ok(CheckInCode(119_246)));
        assert_eq!(CheckInCode::parse("１１９２４６"), Ok(CheckInCode(119_246)));
        assert_eq!(CheckInCode::parse("11924"), Err(CodeFormatError));
        assert_eq!(CheckInCode::parse("1192466"), Err(CodeFormatError));
        assert_eq!(CheckInCode::parse("11924a"), Err(CodeFormatError));
        assert_eq!(CheckInCode::parse(""), Err(CodeFormatError));
        assert_eq!(CheckInCode::parse("-11924"), Err(CodeFormatError));
    }

    #[test]
    fn the_current_and_previous_codes_pass_and_older_ones_have_expired() {
        let s = rfc_secret();
        let now = 1_795_573_805;
        let current = code_at(&s, now).to_string();
        let previous = code_at(&s, now - 30).to_string();
        let two_ago = code_at(&s, now - 60).to_string();
        let ten_min_ago = code_at(&s, now - 600).to_string();
        let next = code_at(&s, now + 30).to_string();
        assert_eq!(verify(&s, &current, now), Ok(()));
        assert_eq!(verify(&s, &previous, now), Ok(()));
        assert_eq!(verify(&s, &two_ago, now), Err(CheckInError::Expired));
        assert_eq!(verify(&s, &ten_min_ago, now), Err(CheckInError::Expired));
        assert_eq!(verify(&s, &next, now), Err(CheckInError::Wrong));
        assert_eq!(verify(&s, "12345", now), Err(CheckInError::Malformed));
        // Another activity's code is not this one's.
        assert_ne!(code_at(&secret(), now), code_at(&s, now));
    }

    #[test]
    fn codes_change_on_step_boundaries() {
        let s = secret();
        assert_eq!(code_at(&s, 60), code_at(&s, 89));
        assert_eq!(secs_until_next_code(60), 30);
        assert_eq!(secs_until_next_code(89), 1);
        assert_eq!(time_step(-1), -1);
    }

    #[test]
    fn secrets_are_hidden_and_round_trip_as_hex() {
        let s = CheckInSecret::from_random([0xab; 20]);
        assert_eq!(format!("{s:?}"), "CheckInSecret(…)");
        assert_eq!(s.to_hex(), "ab".repeat(20));
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<CheckInSecret>(&json).unwrap(), s);
        assert_eq!(
            CheckInSecret::parse_hex("abcd"),
            Err(SecretError::Length(2))
        );
        assert_eq!(
            CheckInSecret::parse_hex(&"AB".repeat(20)),
            Err(SecretError::NotHex)
        );
        assert_eq!(CheckInSecret::parse_hex("abc"), Err(SecretError::NotHex));
        assert_eq!(CheckInSecret::new(&[0; 65]), Err(SecretError::Length(65)));
    }

    const START: i64 = 1_795_600_000;
    const END: i64 = START + 3 * 3600;

    fn time() -> ActivityTime {
        ActivityTime::new(START, END).unwrap()
    }

    #[test]
    fn check_in_opens_half_an_hour_before_and_closes_at_the_end() {
        let t = time();
        let opens = START - 1800;
        assert_eq!(
            t.check_in_open(opens - 1),
            Err(CheckInError::NotOpenYet { opens_at: opens })
        );
        assert_eq!(t.check_in_open(opens), Ok(()));
        assert_eq!(t.check_in_open(END - 1), Ok(()));
        assert_eq!(
            t.check_in_open(END),
            Err(CheckInError::Closed { closed_at: END })
        );
        assert!(ActivityTime::new(START, START).is_err());
        assert!(serde_json::from_str::<ActivityTime>(r#"{"start":5,"end":4}"#).is_err());
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(serde_json::from_str::<ActivityTime>(&json).unwrap(), t);
    }

    #[test]
    fn a_closed_window_refuses_even_the_right_code() {
        let s = secret();
        let early = START - 1801;
        assert!(matches!(
            Attendance::check_in(time(), &s, &code_at(&s, early).to_string(), early),
            Err(CheckInError::NotOpenYet { .. })
        ));
        assert!(matches!(
            Attendance::check_in(time(), &s, &code_at(&s, END).to_string(), END),
            Err(CheckInError::Closed { .. })
        ));
    }

    #[test]
    fn check_in_then_out_counts_the_minutes_inside_the_activity() {
        let s = secret();
        let arrive = START - 600;
        let mut a =
            Attendance::check_in(time(), &s, &code_at(&s, arrive).to_string(), arrive).unwrap();
        assert_eq!(a.checked_in_at(), arrive);
        assert_eq!(a.attended_minutes(time()), None, "not yet checked out");
        assert_eq!(a.check_out(arrive - 1), Err(CheckOutError::BeforeCheckIn));
        a.check_out(END + 3600).unwrap();
        assert_eq!(a.checked_out_at(), Some(END + 3600));
        assert_eq!(
            a.check_out(END + 3700),
            Err(CheckOutError::AlreadyCheckedOut { at: END + 3600 })
        );
        assert_eq!(
            a.attended_minutes(time()),
            Some(180),
            "early and late time not counted"
        );

        let late = START + 3600 + 59;
        let mut b = Attendance::check_in(time(), &s, &code_at(&s, late).to_string(), late).unwrap();
        b.check_out(START + 7200).unwrap();
        assert_eq!(
            b.attended_minutes(time()),
            Some(59),
            "whole minutes, rounded down"
        );
    }

    proptest! {
        #[test]
        fn a_code_shown_is_accepted_for_its_step_and_the_next(
            bytes in proptest::array::uniform20(any::<u8>()),
            shown in 0i64..4_102_444_800,
            delay in 0i64..200,
        ) {
            let s = CheckInSecret::from_random(bytes);
            let code = code_at(&s, shown).to_string();
            prop_assert_eq!(code.len(), 6);
            let typed_at = shown + delay;
            let steps_late = time_step(typed_at) - time_step(shown);
            let result = verify(&s, &code, typed_at);
            if steps_late <= 1 {
                prop_assert_eq!(result, Ok(()));
            } else {
                // A later step may by chance carry the same code (one in a million).
                let same_now = code_at(&s, typed_at).to_string() == code
                    || code_at(&s, typed_at - 30).to_string() == code;
                prop_assert!(same_now || result == Err(CheckInError::Expired));
            }
        }

        #[test]
        fn parsing_never_panics_and_round_trips(typed in "\\PC{0,12}", n in 0u32..1_000_000) {
            let _ = CheckInCode::parse(&typed);
            let code = CheckInCode(n);
            prop_assert_eq!(CheckInCode::parse(&code.to_string()), Ok(code));
        }
    }
}
