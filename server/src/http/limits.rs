//! The attempt limits (sign-in, host credentials, SMS code requests, check-in codes, photo
//! uploads, the time bank's look-ups), and the one place an attempt is run through one: the
//! touched keys' state is loaded from the database (`store::limits`), the core's rule
//! (`citizen_core::throttle`) is applied, and the state is saved, in one write transaction. So
//! every replica on one database counts against the same tallies, and writes being serial (one
//! writer; on PostgreSQL one advisory lock across replicas, `http::transact`) makes checking and
//! counting one step that a parallel burst cannot slip past.
//!
//! Limits count an attempt before checking it: the counting write commits even when the attempt
//! is refused (the refusal is the write's value, turned into a 429 afterwards), and what gives a
//! count back later (`succeeded`, `proved`, `not_a_guess`) is a write of its own. A give-back
//! that fails leaves the count standing, the safe side, and is logged.
//!
//! This also works out who the caller is: the socket's address, or with `--trusted-proxy` the
//! last hop of `X-Forwarded-For`, which the proxy in front appends.

use crate::AppState;
use crate::http::error::ApiError;
use crate::http::transact;
use crate::store::limits::{self as store, SlotKey};
use axum::extract::ConnectInfo;
use axum::http::{Extensions, HeaderMap};
use citizen_core::ids::MemberId;
use citizen_core::throttle::{
    KeptGate, PartKey, RetryAfter, SignInGate, Slot, SmsAdmit, SmsGate, Throttle, address_key,
};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

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

/// Runs one step of a limit over the slots kept at `keys`, in one write transaction: each loaded
/// (`None` when nothing live is kept), `step` applied to them in place, the changed ones saved.
/// Whatever `step` returns (a refusal included) is committed.
async fn run<T: Send + 'static>(
    state: &AppState,
    keys: Vec<SlotKey>,
    now: i64,
    step: impl FnOnce(&mut [Option<Slot>]) -> T + Send + 'static,
) -> Result<T, ApiError> {
    // Kept under pseudonyms: the database never lists numbers or addresses that tried.
    let keys: Vec<SlotKey> = keys
        .into_iter()
        .map(|at| SlotKey {
            key: state.sms_key.pseudonym(at.limit, at.part, &at.key),
            ..at
        })
        .collect();
    transact::write(state, move |conn| {
        let loaded = keys
            .iter()
            .map(|key| store::load(conn, key, now))
            .collect::<Result<Vec<_>, _>>()?;
        let mut slots = loaded.clone();
        let out = step(&mut slots);
        for ((key, before), after) in keys.iter().zip(&loaded).zip(&slots) {
            if before != after {
                store::save(conn, key, *after)?;
            }
        }
        Ok(out)
    })
    .await
}

/// One step of a gate `G` (the core's sign-in or SMS rule) for `address` and `number`: the parts
/// the attempt touches loaded into a fresh gate, `step` applied, the parts saved again.
async fn run_gate<G: KeptGate<IpAddr, String>, T: Send + 'static>(
    state: &AppState,
    limit: &'static str,
    address: IpAddr,
    number: &str,
    now: i64,
    step: impl FnOnce(&mut G, &IpAddr, &String) -> T + Send + 'static,
) -> Result<T, ApiError> {
    let number = number.to_owned();
    let keys = G::PARTS
        .iter()
        .map(|&(part, kind)| SlotKey {
            limit,
            part,
            key: match kind {
                PartKey::Address => address.to_string(),
                PartKey::Number => number.clone(),
            },
        })
        .collect();
    run(state, keys, now, move |slots| {
        let mut gate = G::default();
        gate.load(&address, &number, slots);
        let out = step(&mut gate, &address, &number);
        for (slot, kept) in slots.iter_mut().zip(gate.slots(&address, &number, now)) {
            *slot = kept;
        }
        out
    })
    .await
}

/// A give-back step: its failure leaves the count standing (the safe side) and is logged.
fn given_back(limit: &'static str, done: Result<(), ApiError>) {
    if let Err(e) = done {
        tracing::warn!(limit, error = %e, "an attempt's count was not given back");
    }
}

fn refuse(RetryAfter(secs): RetryAfter) -> ApiError {
    ApiError::TooManyAttempts(secs)
}

/// The core's [`SignInGate`] over addresses and numbers (or any key an attempt is counted
/// under: a code's digest, a host's client id), kept under one limit name.
pub struct SignInLimits {
    limit: &'static str,
}

impl SignInLimits {
    /// Password, SMS-code and host-code sign-ins.
    pub fn sign_in() -> SignInLimits {
        SignInLimits { limit: "sign_in" }
    }

    /// Host apps' credentials, per claimed client id.
    pub fn host() -> SignInLimits {
        SignInLimits { limit: "host" }
    }

    /// Counts an attempt from `address` on `number` before its password is checked; refuses it
    /// when the address is over its limit or the number is waiting (and the address has failed).
    /// The count is committed either way.
    pub async fn admit(
        &self,
        state: &AppState,
        address: IpAddr,
        number: &str,
        now: i64,
    ) -> Result<(), ApiError> {
        run_gate(
            state,
            self.limit,
            address,
            number,
            now,
            move |gate: &mut SignInGate<_, _>, a, n| gate.admit(a, n, now),
        )
        .await?
        .map_err(refuse)
    }

    /// The admitted attempt's password was right.
    pub async fn succeeded(&self, state: &AppState, address: IpAddr, number: &str, now: i64) {
        self.give_back(state, address, number, now, SignInGate::succeeded)
            .await;
    }

    /// The admitted attempt's secret was right and proves its caller (a host app's server):
    /// the address's count is given back too (`SignInGate::proved`).
    pub async fn proved(&self, state: &AppState, address: IpAddr, number: &str, now: i64) {
        self.give_back(state, address, number, now, SignInGate::proved)
            .await;
    }

    /// Gives an admitted attempt's counts back by `step`, in a write of its own.
    async fn give_back(
        &self,
        state: &AppState,
        address: IpAddr,
        number: &str,
        now: i64,
        step: fn(&mut SignInGate<IpAddr, String>, &IpAddr, &String, i64),
    ) {
        let done = run_gate(
            state,
            self.limit,
            address,
            number,
            now,
            move |gate, a, n| step(gate, a, n, now),
        )
        .await;
        given_back(self.limit, done);
    }
}

/// Wrong check-in codes one person may type in a window: a real volunteer mistypes a few times;
/// a guesser needs hundreds of thousands.
pub const CHECK_IN_FAILURES_PER_PERSON: u32 = 10;
pub const CHECK_IN_WINDOW_SECS: i64 = 10 * 60;

/// The core's [`Throttle`] per person, kept under one limit name. Check-in codes, photo uploads
/// and the time bank's look-ups each have one.
pub struct PerPerson {
    limit: &'static str,
    per_window: u32,
    window_secs: i64,
}

impl PerPerson {
    /// At most `per_window` attempts per person in any window of `window_secs`, kept as `limit`.
    pub fn new(limit: &'static str, per_window: u32, window_secs: i64) -> PerPerson {
        PerPerson {
            limit,
            per_window,
            window_secs,
        }
    }

    /// One step of the throttle on `person`'s window.
    async fn run<T: Send + 'static>(
        &self,
        state: &AppState,
        person: MemberId,
        now: i64,
        step: impl FnOnce(&mut Throttle<()>) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let key = SlotKey {
            limit: self.limit,
            part: "person",
            key: person.to_string(),
        };
        let (per_window, window_secs) = (self.per_window, self.window_secs);
        run(state, vec![key], now, move |slots| {
            let mut throttle = Throttle::new(per_window, window_secs);
            throttle.put(&(), slots[0]);
            let out = step(&mut throttle);
            slots[0] = throttle.slot(&(), now);
            out
        })
        .await
    }

    /// Counts an attempt by `person`, or refuses it (counting nothing) while they are over the
    /// limit: the outer error is the database's, the inner the limit's refusal.
    pub async fn admit(
        &self,
        state: &AppState,
        person: MemberId,
        now: i64,
    ) -> Result<Result<(), RetryAfter>, ApiError> {
        self.run(state, person, now, move |t| t.admit(&(), now))
            .await
    }

    /// Gives back an admitted attempt that turned out not to count.
    pub async fn refund(&self, state: &AppState, person: MemberId, now: i64) {
        let done = self
            .run(state, person, now, move |t| t.refund(&(), now))
            .await;
        given_back(self.limit, done);
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
            per_person: PerPerson::new(
                "check_in",
                CHECK_IN_FAILURES_PER_PERSON,
                CHECK_IN_WINDOW_SECS,
            ),
        }
    }
}

impl CheckInLimits {
    /// Counts an attempt by `person`; refuses it while they are over the limit.
    pub async fn admit(
        &self,
        state: &AppState,
        person: MemberId,
        now: i64,
    ) -> Result<(), ApiError> {
        self.per_person
            .admit(state, person, now)
            .await?
            .map_err(refuse)
    }

    /// The admitted attempt was not a wrong code (accepted, or refused for another reason).
    pub async fn not_a_guess(&self, state: &AppState, person: MemberId, now: i64) {
        self.per_person.refund(state, person, now).await;
    }
}

/// SMS code requests: the core's [`SmsGate`] (one code per number per minute, daily caps per
/// number and per address).
#[derive(Default)]
pub struct SmsLimits;

impl SmsLimits {
    /// Counts a request from `address` for `number`; 429 when a day's cap is reached.
    pub async fn admit(
        &self,
        state: &AppState,
        address: IpAddr,
        number: &str,
        now: i64,
    ) -> Result<SmsAdmit, ApiError> {
        run_gate(
            state,
            "sms",
            address,
            number,
            now,
            move |gate: &mut SmsGate<_, _>, a, n| gate.admit(a, n, now),
        )
        .await?
        .map_err(refuse)
    }
}
