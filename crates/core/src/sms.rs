//! Self-registration and password reset by SMS code: the rules both ends share. A code is six
//! random digits, valid for [`CODE_LIFETIME_SECS`], good for [`CODE_TRIES`] tries (each counted
//! before it is compared), used once. Whether a code is sent at all depends on the purpose and on
//! whether the number has an account ([`should_send`]), but the reply never says which: the
//! server answers every well-formed request the same way. The request limits (one code per number
//! per minute, daily caps per number and per network address) are [`crate::throttle::SmsGate`].

use serde::{Deserialize, Serialize};
use std::fmt;

/// How long a code may be used after it is sent: five minutes.
pub const CODE_LIFETIME_SECS: i64 = 5 * 60;
/// Tries a code allows, right or wrong; the sixth is refused even with the right digits.
pub const CODE_TRIES: u32 = 5;

/// Why a code is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum SmsPurpose {
    /// A new resident account (`POST /api/v1/accounts`).
    SignUp,
    /// A new password for an existing account (`POST /api/v1/password-reset`).
    Reset,
}

impl SmsPurpose {
    pub fn as_str(self) -> &'static str {
        match self {
            SmsPurpose::SignUp => "sign-up",
            SmsPurpose::Reset => "reset",
        }
    }
}

/// Whether a code is sent: for signing up, only to a number without an account; for a reset,
/// only to a number with one. The caller is answered the same either way.
pub fn should_send(purpose: SmsPurpose, registered: bool) -> bool {
    match purpose {
        SmsPurpose::SignUp => !registered,
        SmsPurpose::Reset => registered,
    }
}

/// Six ASCII digits, as sent and as typed back. Never shown in debug output.
#[derive(Clone, PartialEq, Eq, Deserialize)]
#[serde(try_from = "String")]
pub struct SmsCode(String);

/// The largest multiple of a million that fits in a `u32`: random values at or above it are
/// drawn again, so every code is equally likely.
const UNBIASED_BELOW: u32 = (u32::MAX / 1_000_000) * 1_000_000;

impl SmsCode {
    pub const LEN: usize = 6;

    /// Six digits, after trimming what a phone's keyboard or a paste adds around them.
    pub fn parse(raw: &str) -> Option<SmsCode> {
        let code = raw.trim();
        (code.len() == Self::LEN && code.bytes().all(|b| b.is_ascii_digit()))
            .then(|| SmsCode(code.to_owned()))
    }

    /// A code from four random bytes, or `None` (draw again) for the few values that would make
    /// some codes likelier than others.
    pub fn from_random(bytes: [u8; 4]) -> Option<SmsCode> {
        let value = u32::from_le_bytes(bytes);
        (value < UNBIASED_BELOW).then(|| SmsCode(format!("{:06}", value % 1_000_000)))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for SmsCode {
    type Error = &'static str;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        SmsCode::parse(&raw).ok_or("an SMS code is 6 digits")
    }
}

/// The app sends what was typed.
impl Serialize for SmsCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl fmt::Debug for SmsCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SmsCode(…)")
    }
}

/// The text message that carries a code.
pub fn message(code: &SmsCode) -> String {
    format!(
        "【市民云】验证码 {}，{} 分钟内有效。如非本人操作请忽略。",
        code.expose(),
        CODE_LIFETIME_SECS / 60
    )
}

/// A stored code's state, as the verifier sees it before this try.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoredCode {
    pub expires_at: i64,
    /// Tries already counted, this one not included.
    pub tries: u32,
    pub used: bool,
}

/// Whether a stored code may be tried at `now`: unused, unexpired, and with tries left. The try
/// is counted whether or not it may be made, before the digits are compared.
pub fn may_try(code: StoredCode, now: i64) -> bool {
    !code.used && now < code.expires_at && code.tries < CODE_TRIES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_six_digits_and_hidden_from_debug_output() {
        assert_eq!(SmsCode::parse(" 012345 ").unwrap().expose(), "012345");
        for bad in ["12345", "1234567", "12345a", "１２３４５６", ""] {
            assert!(SmsCode::parse(bad).is_none(), "{bad}");
        }
        let code = SmsCode::parse("987654").unwrap();
        assert!(!format!("{code:?}").contains("987654"));
    }

    #[test]
    fn random_bytes_make_zero_padded_codes_and_biased_values_are_drawn_again() {
        assert_eq!(
            SmsCode::from_random(7u32.to_le_bytes()).unwrap().expose(),
            "000007"
        );
        assert_eq!(
            SmsCode::from_random((UNBIASED_BELOW - 1).to_le_bytes())
                .unwrap()
                .expose(),
            "999999"
        );
        assert!(SmsCode::from_random(UNBIASED_BELOW.to_le_bytes()).is_none());
        assert!(SmsCode::from_random(u32::MAX.to_le_bytes()).is_none());
    }

    #[test]
    fn sign_up_codes_go_to_new_numbers_and_reset_codes_to_registered_ones() {
        assert!(should_send(SmsPurpose::SignUp, false));
        assert!(!should_send(SmsPurpose::SignUp, true));
        assert!(should_send(SmsPurpose::Reset, true));
        assert!(!should_send(SmsPurpose::Reset, false));
    }

    #[test]
    fn a_code_allows_five_tries_within_five_minutes_and_is_used_once() {
        let fresh = StoredCode {
            expires_at: 1000 + CODE_LIFETIME_SECS,
            tries: 0,
            used: false,
        };
        assert!(may_try(fresh, 1000));
        assert!(may_try(fresh, 1000 + CODE_LIFETIME_SECS - 1));
        assert!(!may_try(fresh, 1000 + CODE_LIFETIME_SECS), "expired");
        assert!(may_try(StoredCode { tries: 4, ..fresh }, 1000));
        assert!(
            !may_try(StoredCode { tries: 5, ..fresh }, 1000),
            "sixth try"
        );
        assert!(
            !may_try(
                StoredCode {
                    used: true,
                    ..fresh
                },
                1000
            ),
            "used"
        );
    }

    #[test]
    fn the_message_is_chinese_and_carries_the_code() {
        let text = message(&SmsCode::parse("123456").unwrap());
        assert_eq!(
            text,
            "【市民云】验证码 123456，5 分钟内有效。如非本人操作请忽略。"
        );
    }

    #[test]
    fn purposes_travel_in_kebab_case() {
        assert_eq!(
            serde_json::to_string(&SmsPurpose::SignUp).unwrap(),
            "\"sign-up\""
        );
        assert_eq!(
            serde_json::from_str::<SmsPurpose>("\"reset\"").unwrap(),
            SmsPurpose::Reset
        );
        for p in [SmsPurpose::SignUp, SmsPurpose::Reset] {
            assert_eq!(
                serde_json::to_string(&p).unwrap(),
                format!("\"{}\"", p.as_str())
            );
        }
    }
}
