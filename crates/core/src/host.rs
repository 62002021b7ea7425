//! Host sign-in: a host app (a WeChat-style app that embeds this one) is registered on the
//! server; its own server, having verified a resident's mobile number, asks for a single-use
//! code for that number, and the embedded app exchanges the code for a normal session. The rules
//! here are the ones both ends of that exchange share: where a host may live, what it is called,
//! how long a code lasts, when a code may be used, and what an exchange does with the account.
//! The code's text is [`crate::embed::HostCode`] (what the app accepts from its host).

use crate::account::DisplayName;
use crate::config::Origin;
use crate::phone::MobileNumber;
use crate::text::BoundedText;
use thiserror::Error;

/// How long a host code may be exchanged after it is issued.
pub const CODE_LIFETIME_SECS: i64 = 60;

/// What staff call a host app (`微信社区小程序`), for logs and the operator.
pub type HostName = BoundedText<1, 80>;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum HostOriginError {
    #[error("{0:?} is not an origin (scheme://host[:port])")]
    NotAnOrigin(String),
    #[error("{0:?}: a host is served over https (plain http only on this machine, for trying it)")]
    NotHttps(String),
}

/// The web origin a host app's page is served from: `https://host[:port]`, or plain `http` on
/// the loopback (`localhost`, `127.0.0.1`, `[::1]`) so a demo host can run beside the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostOrigin(Origin);

impl HostOrigin {
    pub fn parse(raw: &str) -> Result<HostOrigin, HostOriginError> {
        let origin =
            Origin::parse(raw).ok_or_else(|| HostOriginError::NotAnOrigin(raw.to_owned()))?;
        let text = origin.as_str();
        if let Some(rest) = text.strip_prefix("http://") {
            let host = match rest.strip_prefix('[') {
                Some(v6) => v6.split(']').next().unwrap_or(""),
                None => rest.split(':').next().unwrap_or(""),
            };
            if !matches!(host, "localhost" | "127.0.0.1" | "::1") {
                return Err(HostOriginError::NotHttps(raw.to_owned()));
            }
        }
        Ok(HostOrigin(origin))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// When a code issued at `issued_at` stops being exchangeable.
pub fn code_expires_at(issued_at: i64) -> i64 {
    issued_at + CODE_LIFETIME_SECS
}

/// Whether a stored code may be exchanged at `now`: once, before it expires.
pub fn code_redeemable(expires_at: i64, used_at: Option<i64>, now: i64) -> bool {
    used_at.is_none() && now < expires_at
}

/// What a host may do with a code's number, by the host's registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HostGrant<'a> {
    /// The community the host serves: it signs in only that community's people, and creates
    /// residents there.
    pub community: &'a str,
    /// Whether a number without an account gets a resident account.
    pub may_create_residents: bool,
}

/// What exchanging a valid code does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exchange {
    /// Sign in the account that has the number.
    SignIn,
    /// Create a resident account for the number in the host's community, then sign it in.
    CreateResident,
    /// Refuse (401, the same as an unknown code): the number has no account and the host may not
    /// create one, or its account belongs to another community than the host's.
    Refuse,
}

/// The exchange rule: `account_community` is the community of the account that has the code's
/// number, if one does.
pub fn exchange(grant: HostGrant<'_>, account_community: Option<&str>) -> Exchange {
    match account_community {
        Some(community) if community == grant.community => Exchange::SignIn,
        Some(_) => Exchange::Refuse,
        None if grant.may_create_residents => Exchange::CreateResident,
        None => Exchange::Refuse,
    }
}

/// The name a resident account created through a host starts with: 居民 and the number's last
/// four digits (`居民0001`), which the resident recognises and staff can tell apart; the host
/// vouched for the number, not for a name.
pub fn new_resident_name(mobile: &MobileNumber) -> DisplayName {
    let digits = mobile.as_str();
    let last_four = &digits[digits.len().saturating_sub(4)..];
    DisplayName::parse(&format!("居民{last_four}"))
        .expect("居民 and four digits are a valid display name")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_host_lives_on_https_or_on_this_machine() {
        for ok in [
            "https://app.example.cn",
            "https://app.example.cn:8443/",
            "http://localhost:5173",
            "http://127.0.0.1:8090",
            "http://[::1]:8090",
        ] {
            assert!(HostOrigin::parse(ok).is_ok(), "{ok}");
        }
        assert_eq!(
            HostOrigin::parse("https://App.Example.CN/")
                .unwrap()
                .as_str(),
            "https://app.example.cn"
        );
        for (bad, error) in [
            (
                "http://app.example.cn",
                HostOriginError::NotHttps("http://app.example.cn".into()),
            ),
            (
                "http://localhost.evil.cn",
                HostOriginError::NotHttps("http://localhost.evil.cn".into()),
            ),
            (
                "http://127.0.0.1.evil.cn",
                HostOriginError::NotHttps("http://127.0.0.1.evil.cn".into()),
            ),
            (
                "app.example.cn",
                HostOriginError::NotAnOrigin("app.example.cn".into()),
            ),
            (
                "https://app.example.cn/path",
                HostOriginError::NotAnOrigin("https://app.example.cn/path".into()),
            ),
            ("", HostOriginError::NotAnOrigin(String::new())),
        ] {
            assert_eq!(HostOrigin::parse(bad), Err(error), "{bad}");
        }
    }

    #[test]
    fn a_code_is_exchanged_once_within_its_minute() {
        let issued = 1000;
        let expires = code_expires_at(issued);
        assert_eq!(expires, 1060);
        assert!(code_redeemable(expires, None, issued));
        assert!(code_redeemable(expires, None, issued + 59));
        assert!(!code_redeemable(expires, None, issued + 60), "expired");
        assert!(
            !code_redeemable(expires, Some(issued + 1), issued + 2),
            "used"
        );
    }

    #[test]
    fn a_host_signs_in_its_own_community_and_creates_residents_only_when_allowed() {
        let creating = HostGrant {
            community: "yulin",
            may_create_residents: true,
        };
        let signing_only = HostGrant {
            may_create_residents: false,
            ..creating
        };
        assert_eq!(exchange(creating, Some("yulin")), Exchange::SignIn);
        assert_eq!(exchange(signing_only, Some("yulin")), Exchange::SignIn);
        assert_eq!(exchange(creating, None), Exchange::CreateResident);
        assert_eq!(exchange(signing_only, None), Exchange::Refuse);
        // Another community's account is not the host's to sign in, nor to shadow.
        assert_eq!(exchange(creating, Some("demo")), Exchange::Refuse);
        assert_eq!(exchange(signing_only, Some("demo")), Exchange::Refuse);
    }

    #[test]
    fn a_new_resident_is_named_by_the_last_four_digits() {
        let mobile = MobileNumber::parse("139 1234 5678").unwrap();
        assert_eq!(new_resident_name(&mobile).as_str(), "居民5678");
    }
}
