//! Sign-in and check-in rate limits, kept in memory (they only need to outlive a burst, not a
//! restart). The rules are the core's (`citizen_core::throttle`); this holds them behind locks and
//! works out who the caller is: the socket's address, or with `--trusted-proxy` the last hop of
//! `X-Forwarded-For`, which the proxy in front appends.

use crate::http::error::ApiError;
use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use citizen_core::ids::MemberId;
use citizen_core::throttle::{RetryAfter, SignInGate, SmsAdmit, SmsGate, Throttle, address_key};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Mutex;

/// The caller's network address as the limits count it (an IPv6 /64). Without a socket (tests
/// drive the router directly) the address is `0.0.0.0`.
pub fn client_address(extensions: &Extensions, headers: &HeaderMap, trusted_proxy: bool) -> IpAddr {
    let forwarded = trusted_proxy
        .then(|| {
            headers
                .get_all("x-forwarded-for")
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(','))
                .next_back()
                .and_then(|hop| hop.trim().parse::<IpAddr>().ok())
        })
        .flatten();
    let address = forwarded.unwrap_or_else(|| {
        extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))
    });
    address_key(address)
}

#[derive(Default)]
pub struct SignInLimits {
    gate: Mutex<SignInGate<IpAddr, String>>,
}

fn refuse(RetryAfter(secs): RetryAfter) -> ApiError {
    ApiError::TooManyAttempts(secs)
}

impl SignInLimits {
    /// Counts an attempt from `address` on `number` before its password is checked; refuses it
    /// when the address is over its limit or the number is waiting (and the address has failed).
    pub fn admit(&self, address: IpAddr, number: &str, now: i64) -> Result<(), ApiError> {
        let mut gate = self.gate.lock().unwrap_or_else(|e| e.into_inner());
        gate.admit(&address, &number.to_owned(), now)
            .map_err(refuse)
    }

    /// The admitted attempt's password was right.
    pub fn succeeded(&self, address: IpAddr, number: &str, now: i64) {
        let mut gate = self.gate.lock().unwrap_or_else(|e| e.into_inner());
        gate.succeeded(&address, &number.to_owned(), now);
    }

    /// The admitted attempt's secret was right and proves its caller (a host app's server):
    /// the address's count is given back too (`SignInGate::proved`).
    pub fn proved(&self, address: IpAddr, number: &str, now: i64) {
        let mut gate = self.gate.lock().unwrap_or_else(|e| e.into_inner());
        gate.proved(&address, &number.to_owned(), now);
    }
}

/// Wrong check-in codes one person may type in a window: a real volunteer mistypes a few times;
/// a guesser needs hundreds of thousands.
pub const CHECK_IN_FAILURES_PER_PERSON: u32 = 10;
pub const CHECK_IN_WINDOW_SECS: i64 = 10 * 60;

/// The core's [`Throttle`] per person behind one lock, so that checking and counting an attempt
/// are one step and a parallel burst cannot slip past. Check-in codes, photo uploads and the
/// time bank's look-ups each keep one.
pub struct PerPerson(Mutex<Throttle<MemberId>>);

impl PerPerson {
    /// At most `limit` attempts per person in any window of `window_secs`.
    pub fn new(limit: u32, window_secs: i64) -> PerPerson {
        PerPerson(Mutex::new(Throttle::new(limit, window_secs)))
    }

    /// Counts an attempt by `person`, or refuses it (counting nothing) while they are over the
    /// limit.
    pub fn admit(&self, person: MemberId, now: i64) -> Result<(), RetryAfter> {
        let mut throttle = self.0.lock().unwrap_or_else(|e| e.into_inner());
        throttle.admit(&person, now)
    }

    /// Gives back an admitted attempt that turned out not to count.
    pub fn refund(&self, person: MemberId, now: i64) {
        let mut throttle = self.0.lock().unwrap_or_else(|e| e.into_inner());
        throttle.refund(&person, now);
    }
}

/// Check-in codes are six digits: attempts are counted per person, across activities, before the
/// code is compared, and an attempt that was not a wrong code gives its count back.
pub struct CheckInLimits {
    per_person: PerPerson,
}

impl Default for CheckInLimits {
    fn default() -> Self {
        CheckInLimits {
            per_person: PerPerson::new(CHECK_IN_FAILURES_PER_PERSON, CHECK_IN_WINDOW_SECS),
        }
    }
}

impl CheckInLimits {
    /// Counts an attempt by `person`; refuses it while they are over the limit.
    pub fn admit(&self, person: MemberId, now: i64) -> Result<(), ApiError> {
        self.per_person.admit(person, now).map_err(refuse)
    }

    /// The admitted attempt was not a wrong code (accepted, or refused for another reason).
    pub fn not_a_guess(&self, person: MemberId, now: i64) {
        self.per_person.refund(person, now);
    }
}

/// SMS code requests: the core's [`SmsGate`] (one code per number per minute, daily caps per
/// number and per address) behind one lock, so that counting and checking are one step.
#[derive(Default)]
pub struct SmsLimits {
    gate: Mutex<SmsGate<IpAddr, String>>,
}

impl SmsLimits {
    /// Counts a request from `address` for `number`; 429 when a day's cap is reached.
    pub fn admit(&self, address: IpAddr, number: &str, now: i64) -> Result<SmsAdmit, ApiError> {
        let mut gate = self.gate.lock().unwrap_or_else(|e| e.into_inner());
        gate.admit(&address, &number.to_owned(), now)
            .map_err(refuse)
    }
}
