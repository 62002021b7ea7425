//! Attempt limits, with time passed in so the rules are testable and the same everywhere:
//!
//! - [`Throttle`]: after `limit` counted attempts within `window_secs`, a key is refused until its
//!   window ends (sign-in attempts per network address, wrong check-in codes per person);
//! - [`Backoff`]: after a few free failures, a key waits longer after each further one (wrong
//!   passwords per mobile number), up to a cap, and is never locked for good;
//! - [`SignInGate`]: both together for signing in. An attempt is counted *before* the password is
//!   checked, so a burst of parallel guesses cannot all pass the check before any failure is
//!   recorded; a right password gives its count back. While a number waits, an address with no
//!   recent failures may still try it, so a stranger hammering a number cannot lock its owner out;
//! - [`address_key`]: the part of a network address a limit counts (an IPv6 /64, which one
//!   household or phone gets whole).
//!
//! A store that keeps limits between requests (the server's database, shared by its replicas)
//! keeps each key's state as a [`Slot`]: it loads the slots an attempt touches into a rule
//! ([`Throttle::put`], [`Backoff::put`], [`KeptGate::load`]), applies the rule, and saves what the
//! rule holds afterwards ([`Throttle::slot`], [`Backoff::slot`], [`KeptGate::slots`]).

use std::collections::HashMap;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};

/// A refusal, with how long to wait (for a `Retry-After` header and the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub i64);

#[derive(Debug, Clone, Copy)]
struct Window {
    started: i64,
    count: u32,
}

/// One key's state in one limit, as plain values a store keeps between requests: for a
/// [`Throttle`], when the key's window started (`at`) and the attempts counted in it; for a
/// [`Backoff`], the key's last failure (`at`) and its failures. `forget_at` is when the state
/// stops mattering (the window's end, or the backoff's memory), so a store may delete it then;
/// it is worked out by the rule and ignored when a slot is put back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slot {
    pub at: i64,
    pub count: u32,
    pub forget_at: i64,
}

#[derive(Debug, Clone)]
pub struct Throttle<K> {
    limit: u32,
    window_secs: i64,
    windows: HashMap<K, Window>,
}

/// Above this many keys, expired windows are dropped, so memory stays bounded under a flood.
const PRUNE_ABOVE: usize = 10_000;

impl<K: Hash + Eq + Clone> Throttle<K> {
    pub fn new(limit: u32, window_secs: i64) -> Throttle<K> {
        assert!(
            limit > 0 && window_secs > 0,
            "a throttle needs a limit and a window"
        );
        Throttle {
            limit,
            window_secs,
            windows: HashMap::new(),
        }
    }

    fn live(&self, key: &K, now: i64) -> Option<Window> {
        self.windows
            .get(key)
            .copied()
            .filter(|w| now < w.started + self.window_secs)
    }

    /// Whether `key` may try now.
    pub fn check(&self, key: &K, now: i64) -> Result<(), RetryAfter> {
        match self.live(key, now) {
            Some(w) if w.count >= self.limit => {
                Err(RetryAfter((w.started + self.window_secs - now).max(1)))
            }
            _ => Ok(()),
        }
    }

    /// Counts one attempt for `key`.
    pub fn record(&mut self, key: &K, now: i64) {
        if self.windows.len() > PRUNE_ABOVE {
            let window = self.window_secs;
            self.windows.retain(|_, w| now < w.started + window);
        }
        let next = match self.live(key, now) {
            Some(w) => Window {
                count: w.count.saturating_add(1),
                ..w
            },
            None => Window {
                started: now,
                count: 1,
            },
        };
        self.windows.insert(key.clone(), next);
    }

    /// Checks and counts in one step: admits an attempt for `key` (counting it) or refuses it
    /// (counting nothing).
    pub fn admit(&mut self, key: &K, now: i64) -> Result<(), RetryAfter> {
        self.check(key, now)?;
        self.record(key, now);
        Ok(())
    }

    /// Forgets `key` (a successful sign-in clears its failures).
    pub fn clear(&mut self, key: &K) {
        self.windows.remove(key);
    }

    /// `key`'s live window, to keep between requests (`None`: nothing to keep).
    pub fn slot(&self, key: &K, now: i64) -> Option<Slot> {
        self.live(key, now).map(|w| Slot {
            at: w.started,
            count: w.count,
            forget_at: w.started + self.window_secs,
        })
    }

    /// Puts back `key`'s window as a store kept it (`None`: the key has none).
    pub fn put(&mut self, key: &K, slot: Option<Slot>) {
        match slot {
            Some(s) => {
                self.windows.insert(
                    key.clone(),
                    Window {
                        started: s.at,
                        count: s.count,
                    },
                );
            }
            None => {
                self.windows.remove(key);
            }
        }
    }

    /// Gives back one attempt counted for `key` in its live window (it turned out not to be a
    /// failure: counted first, checked after).
    pub fn refund(&mut self, key: &K, now: i64) {
        if let Some(w) = self.live(key, now) {
            self.windows.insert(
                key.clone(),
                Window {
                    count: w.count.saturating_sub(1),
                    ..w
                },
            );
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Tally {
    failures: u32,
    last: i64,
}

/// Progressive delays: the first `free` failures cost nothing; after that, each failure makes the
/// key wait `first_wait` seconds, doubling with every further failure up to `max_wait`. Failures
/// are forgotten `forget_after` seconds after the last one.
#[derive(Debug, Clone)]
pub struct Backoff<K> {
    free: u32,
    first_wait: i64,
    max_wait: i64,
    forget_after: i64,
    tallies: HashMap<K, Tally>,
}

impl<K: Hash + Eq + Clone> Backoff<K> {
    pub fn new(free: u32, first_wait: i64, max_wait: i64, forget_after: i64) -> Backoff<K> {
        assert!(
            free > 0 && first_wait > 0 && max_wait >= first_wait && forget_after >= max_wait,
            "a backoff needs free failures, a first wait, a cap and a memory at least that long"
        );
        Backoff {
            free,
            first_wait,
            max_wait,
            forget_after,
            tallies: HashMap::new(),
        }
    }

    fn live(&self, key: &K, now: i64) -> Option<Tally> {
        self.tallies
            .get(key)
            .copied()
            .filter(|t| now < t.last + self.forget_after)
    }

    /// How long a key with `failures` waits after its last one.
    pub fn delay(&self, failures: u32) -> i64 {
        if failures < self.free {
            return 0;
        }
        let doublings = (failures - self.free).min(62);
        self.first_wait
            .checked_mul(1i64 << doublings)
            .map_or(self.max_wait, |d| d.min(self.max_wait))
    }

    /// Whether `key` may try now, or how long it must wait.
    pub fn check(&self, key: &K, now: i64) -> Result<(), RetryAfter> {
        match self.live(key, now) {
            Some(t) => {
                let until = t.last + self.delay(t.failures);
                if now < until {
                    Err(RetryAfter(until - now))
                } else {
                    Ok(())
                }
            }
            None => Ok(()),
        }
    }

    /// Whether `key` failed within the memory window.
    pub fn has_failed(&self, key: &K, now: i64) -> bool {
        self.live(key, now).is_some_and(|t| t.failures > 0)
    }

    /// Counts a failure of `key` at `now`.
    pub fn fail(&mut self, key: &K, now: i64) {
        if self.tallies.len() > PRUNE_ABOVE {
            let forget = self.forget_after;
            self.tallies.retain(|_, t| now < t.last + forget);
        }
        let failures = self.live(key, now).map_or(0, |t| t.failures);
        self.tallies.insert(
            key.clone(),
            Tally {
                failures: failures.saturating_add(1),
                last: now,
            },
        );
    }

    /// `key`'s live tally, to keep between requests (`None`: nothing to keep).
    pub fn slot(&self, key: &K, now: i64) -> Option<Slot> {
        self.live(key, now).map(|t| Slot {
            at: t.last,
            count: t.failures,
            forget_at: t.last + self.forget_after,
        })
    }

    /// Puts back `key`'s tally as a store kept it (`None`: the key has none).
    pub fn put(&mut self, key: &K, slot: Option<Slot>) {
        match slot {
            Some(s) => {
                self.tallies.insert(
                    key.clone(),
                    Tally {
                        failures: s.count,
                        last: s.at,
                    },
                );
            }
            None => {
                self.tallies.remove(key);
            }
        }
    }

    /// Gives back one counted failure (the attempt it was counted for succeeded).
    pub fn refund(&mut self, key: &K, now: i64) {
        if let Some(t) = self.live(key, now) {
            if t.failures <= 1 {
                self.tallies.remove(key);
            } else {
                self.tallies.insert(
                    key.clone(),
                    Tally {
                        failures: t.failures - 1,
                        ..t
                    },
                );
            }
        }
    }
}

/// Sign-in limits: sixty attempts per network address (a community centre's shared connection)
/// per fifteen minutes; per number, five wrong passwords free, then a wait of one minute doubling
/// with each further one up to fifteen minutes; failures are forgotten an hour after the last.
pub const SIGN_IN_FAILURES_PER_NUMBER: u32 = 5;
pub const SIGN_IN_ATTEMPTS_PER_ADDRESS: u32 = 60;
pub const SIGN_IN_WINDOW_SECS: i64 = 15 * 60;
pub const SIGN_IN_FIRST_WAIT_SECS: i64 = 60;
pub const SIGN_IN_MAX_WAIT_SECS: i64 = 15 * 60;
pub const SIGN_IN_FORGET_SECS: i64 = 60 * 60;

/// Which of an attempt's two keys a part of a gate counts under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartKey {
    Address,
    Number,
}

/// A gate (a rule over an address and a number, made of several limits) whose state a store
/// keeps between requests: the parts an attempt on one address and one number touches, each a
/// named [`Slot`] under one of the two keys. A store loads them into a fresh gate, applies one
/// step of the rule, and saves [`KeptGate::slots`] again; the rule itself stays the gate's.
pub trait KeptGate<A, N>: Default {
    /// The parts, in the order of [`KeptGate::slots`]: a name (stable: a store keys on it) and
    /// the key the part counts under.
    const PARTS: &'static [(&'static str, PartKey)];

    /// The state of each part for `address` and `number` at `now`, in the order of `PARTS`.
    fn slots(&self, address: &A, number: &N, now: i64) -> Vec<Option<Slot>>;

    /// Puts back the state of each part for `address` and `number`, in the order of `PARTS`
    /// (missing entries are `None`).
    fn load(&mut self, address: &A, number: &N, slots: &[Option<Slot>]);
}

/// The sign-in rule for addresses `A` and numbers `N` (see the module's comment).
#[derive(Debug, Clone)]
pub struct SignInGate<A, N> {
    per_address: Throttle<A>,
    address_failures: Backoff<A>,
    per_number: Backoff<N>,
}

impl<A: Hash + Eq + Clone, N: Hash + Eq + Clone> Default for SignInGate<A, N> {
    fn default() -> Self {
        SignInGate {
            per_address: Throttle::new(SIGN_IN_ATTEMPTS_PER_ADDRESS, SIGN_IN_WINDOW_SECS),
            address_failures: Backoff::new(
                SIGN_IN_FAILURES_PER_NUMBER,
                SIGN_IN_FIRST_WAIT_SECS,
                SIGN_IN_MAX_WAIT_SECS,
                SIGN_IN_FORGET_SECS,
            ),
            per_number: Backoff::new(
                SIGN_IN_FAILURES_PER_NUMBER,
                SIGN_IN_FIRST_WAIT_SECS,
                SIGN_IN_MAX_WAIT_SECS,
                SIGN_IN_FORGET_SECS,
            ),
        }
    }
}

impl<A: Hash + Eq + Clone, N: Hash + Eq + Clone> SignInGate<A, N> {
    /// Admits an attempt on `number` from `address` and counts it as a failure until
    /// [`SignInGate::succeeded`] says otherwise; or refuses it, counting nothing against the number.
    pub fn admit(&mut self, address: &A, number: &N, now: i64) -> Result<(), RetryAfter> {
        self.per_address.admit(address, now)?;
        if let Err(wait) = self.per_number.check(number, now) {
            // The number waits; an address that has not failed lately (its owner's phone) may
            // still try, once: a wrong password there counts as that address's failure.
            if self.address_failures.has_failed(address, now) {
                return Err(wait);
            }
        }
        self.per_number.fail(number, now);
        self.address_failures.fail(address, now);
        Ok(())
    }

    /// The admitted attempt's password was right: its counts are given back.
    pub fn succeeded(&mut self, address: &A, number: &N, now: i64) {
        self.per_number.refund(number, now);
        self.address_failures.refund(address, now);
    }

    /// The admitted attempt proved a secret only its owner holds (a host app's server, which
    /// asks for codes for many residents from one address): every count it took is given back,
    /// the address's included. Wrong secrets are still counted and limited as wrong passwords.
    pub fn proved(&mut self, address: &A, number: &N, now: i64) {
        self.succeeded(address, number, now);
        self.per_address.refund(address, now);
    }
}

impl<A: Hash + Eq + Clone, N: Hash + Eq + Clone> KeptGate<A, N> for SignInGate<A, N> {
    const PARTS: &'static [(&'static str, PartKey)] = &[
        ("address", PartKey::Address),
        ("address_failures", PartKey::Address),
        ("number", PartKey::Number),
    ];

    fn slots(&self, address: &A, number: &N, now: i64) -> Vec<Option<Slot>> {
        vec![
            self.per_address.slot(address, now),
            self.address_failures.slot(address, now),
            self.per_number.slot(number, now),
        ]
    }

    fn load(&mut self, address: &A, number: &N, slots: &[Option<Slot>]) {
        let part = |i: usize| slots.get(i).copied().flatten();
        self.per_address.put(address, part(0));
        self.address_failures.put(address, part(1));
        self.per_number.put(number, part(2));
    }
}

/// SMS code requests: at most one code per number per minute, [`SMS_CODES_PER_NUMBER_PER_DAY`]
/// per number and [`SMS_REQUESTS_PER_ADDRESS_PER_DAY`] requests per network address per day
/// (each a window that starts at its first request). A day's caps bound what a stranger can cost
/// (each message is paid for) and how many codes, five tries each, one number can be given.
pub const SMS_RESEND_AFTER_SECS: i64 = 60;
pub const SMS_CODES_PER_NUMBER_PER_DAY: u32 = 10;
pub const SMS_REQUESTS_PER_ADDRESS_PER_DAY: u32 = 30;
pub const SMS_DAY_SECS: i64 = 24 * 60 * 60;

/// What an admitted code request does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SmsAdmit {
    /// Go on: a code may be sent (when the purpose calls for one).
    Send,
    /// The number had a code less than a minute ago: nothing is sent, and the caller is told to
    /// wait this long, the same as after a code was sent.
    TooSoon(RetryAfter),
}

/// The SMS code request rule for addresses `A` and numbers `N`: every request counts against its
/// address before anything else is looked at; a number's minute and day count only requests that
/// could send.
#[derive(Debug, Clone)]
pub struct SmsGate<A, N> {
    per_address: Throttle<A>,
    per_number_day: Throttle<N>,
    per_number_minute: Throttle<N>,
}

impl<A: Hash + Eq + Clone, N: Hash + Eq + Clone> Default for SmsGate<A, N> {
    fn default() -> Self {
        SmsGate {
            per_address: Throttle::new(SMS_REQUESTS_PER_ADDRESS_PER_DAY, SMS_DAY_SECS),
            per_number_day: Throttle::new(SMS_CODES_PER_NUMBER_PER_DAY, SMS_DAY_SECS),
            per_number_minute: Throttle::new(1, SMS_RESEND_AFTER_SECS),
        }
    }
}

impl<A: Hash + Eq + Clone, N: Hash + Eq + Clone> SmsGate<A, N> {
    /// Counts a request from `address` for `number`: refused (with the wait) when the address or
    /// the number is over its day's cap; `TooSoon` within a minute of the number's last code.
    pub fn admit(&mut self, address: &A, number: &N, now: i64) -> Result<SmsAdmit, RetryAfter> {
        self.per_address.admit(address, now)?;
        if let Err(wait) = self.per_number_minute.check(number, now) {
            return Ok(SmsAdmit::TooSoon(wait));
        }
        self.per_number_day.admit(number, now)?;
        self.per_number_minute.record(number, now);
        Ok(SmsAdmit::Send)
    }
}

impl<A: Hash + Eq + Clone, N: Hash + Eq + Clone> KeptGate<A, N> for SmsGate<A, N> {
    const PARTS: &'static [(&'static str, PartKey)] = &[
        ("address", PartKey::Address),
        ("number_day", PartKey::Number),
        ("number_minute", PartKey::Number),
    ];

    fn slots(&self, address: &A, number: &N, now: i64) -> Vec<Option<Slot>> {
        vec![
            self.per_address.slot(address, now),
            self.per_number_day.slot(number, now),
            self.per_number_minute.slot(number, now),
        ]
    }

    fn load(&mut self, address: &A, number: &N, slots: &[Option<Slot>]) {
        let part = |i: usize| slots.get(i).copied().flatten();
        self.per_address.put(address, part(0));
        self.per_number_day.put(number, part(1));
        self.per_number_minute.put(number, part(2));
    }
}

/// The key a per-address limit counts: an IPv4 address as it is (IPv4-mapped IPv6 included), an
/// IPv6 address by its /64 network, which one subscriber gets whole and can roam at will.
pub fn address_key(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V4(v4) => IpAddr::V4(v4),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_sixth_failure_within_the_window_is_refused_until_it_ends() {
        let mut t = Throttle::new(5, 900);
        for i in 0..5 {
            assert!(t.check(&"138", 100 + i).is_ok());
            t.record(&"138", 100 + i);
        }
        assert_eq!(t.check(&"138", 200), Err(RetryAfter(800)));
        assert!(t.check(&"139", 200).is_ok(), "other keys are not affected");
        assert!(t.check(&"138", 1000).is_ok(), "a new window starts");
    }

    #[test]
    fn failures_are_forgotten_an_hour_after_the_last_one() {
        let mut b = Backoff::new(5, 60, 900, 3600);
        for _ in 0..6 {
            b.fail(&"k", 0);
        }
        assert_eq!(
            b.check(&"k", 3599),
            Ok(()),
            "the longest wait (900 s) is over"
        );
        assert!(
            b.has_failed(&"k", 3599),
            "one second before the hour the failures still count"
        );
        b.fail(&"k", 3599);
        assert!(b.check(&"k", 3600).is_err(), "the seventh failure waits");
        assert!(
            !b.has_failed(&"k", 3599 + 3600),
            "an hour after the last failure, nothing is kept"
        );
        for at in 0..5 {
            assert_eq!(
                b.check(&"k", 7199 + at),
                Ok(()),
                "the free failures are free again"
            );
            b.fail(&"k", 7199 + at);
        }
    }

    #[test]
    fn clearing_forgets_the_failures() {
        let mut t = Throttle::new(1, 60);
        t.record(&1, 0);
        assert!(t.check(&1, 1).is_err());
        t.clear(&1);
        assert!(t.check(&1, 1).is_ok());
    }

    #[test]
    fn a_refund_gives_one_attempt_back() {
        let mut t = Throttle::new(2, 60);
        t.record(&1, 0);
        t.record(&1, 1);
        assert!(t.check(&1, 2).is_err());
        t.refund(&1, 2);
        assert!(t.check(&1, 2).is_ok());
    }

    #[test]
    fn delays_double_after_the_free_failures_up_to_the_cap() {
        let b: Backoff<u8> = Backoff::new(5, 60, 900, 3600);
        let delays: Vec<i64> = (0..12).map(|f| b.delay(f)).collect();
        assert_eq!(
            delays,
            vec![0, 0, 0, 0, 0, 60, 120, 240, 480, 900, 900, 900]
        );
        assert_eq!(b.delay(u32::MAX), 900, "no overflow");
    }

    #[test]
    fn a_waiting_key_may_try_again_after_its_delay_and_is_forgotten_later() {
        let mut b = Backoff::new(2, 60, 900, 3600);
        b.fail(&"138", 0);
        assert!(b.check(&"138", 0).is_ok());
        b.fail(&"138", 10);
        assert_eq!(b.check(&"138", 20), Err(RetryAfter(50)));
        assert!(b.check(&"138", 70).is_ok());
        b.fail(&"138", 70);
        assert_eq!(b.check(&"138", 70), Err(RetryAfter(120)));
        assert!(b.has_failed(&"138", 3000));
        assert!(!b.has_failed(&"138", 70 + 3600), "forgotten an hour later");
        assert!(b.check(&"138", 70 + 3600).is_ok());
    }

    #[test]
    fn a_burst_of_parallel_guesses_gets_five_checks() {
        // Twenty attempts arrive before any password check finishes: each is counted on entry.
        let mut gate: SignInGate<&str, &str> = SignInGate::default();
        let admitted = (0..20)
            .filter(|_| gate.admit(&"203.0.113.9", &"13800000001", 100).is_ok())
            .count();
        assert_eq!(admitted, SIGN_IN_FAILURES_PER_NUMBER as usize);
    }

    #[test]
    fn the_owner_signs_in_from_a_clean_address_while_a_stranger_hammers_the_number() {
        let mut gate: SignInGate<&str, &str> = SignInGate::default();
        for _ in 0..5 {
            gate.admit(&"stranger", &"138", 0).unwrap();
        }
        assert!(gate.admit(&"stranger", &"138", 1).is_err());
        // The owner's phone has not failed: it is let through, and the right password gives the
        // count back.
        gate.admit(&"owner", &"138", 2).unwrap();
        gate.succeeded(&"owner", &"138", 2);
        assert!(gate.admit(&"owner", &"138", 3).is_ok(), "and again later");
        gate.succeeded(&"owner", &"138", 3);
        // The stranger still waits.
        assert!(gate.admit(&"stranger", &"138", 4).is_err());
        // A third address gets one try; once wrong, it waits too.
        gate.admit(&"third", &"138", 5).unwrap();
        assert!(gate.admit(&"third", &"138", 6).is_err());
    }

    #[test]
    fn a_right_password_gives_its_count_back() {
        let mut gate: SignInGate<&str, &str> = SignInGate::default();
        for now in 0..50 {
            gate.admit(&"a", &"138", now).unwrap();
            gate.succeeded(&"a", &"138", now);
        }
    }

    #[test]
    fn a_proved_secret_gives_the_address_its_count_back_and_wrong_ones_still_wait() {
        let mut gate: SignInGate<&str, &str> = SignInGate::default();
        for now in 0..(SIGN_IN_ATTEMPTS_PER_ADDRESS as i64 * 3) {
            gate.admit(&"host server", &"host_a", now).unwrap();
            gate.proved(&"host server", &"host_a", now);
        }
        for _ in 0..SIGN_IN_FAILURES_PER_NUMBER {
            gate.admit(&"guesser", &"host_a", 500).unwrap();
        }
        assert!(gate.admit(&"guesser", &"host_a", 501).is_err());
    }

    #[test]
    fn the_address_limit_holds_across_numbers() {
        let mut gate: SignInGate<u8, u32> = SignInGate::default();
        for n in 0..SIGN_IN_ATTEMPTS_PER_ADDRESS {
            assert!(gate.admit(&1, &n, 0).is_ok());
            gate.succeeded(&1, &n, 0);
        }
        assert!(gate.admit(&1, &999, 0).is_err());
        assert!(gate.admit(&2, &999, 0).is_ok(), "another address");
    }

    #[test]
    fn ipv6_addresses_are_keyed_by_their_slash_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        assert_eq!(address_key(a), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        let v4: IpAddr = "203.0.113.7".parse().unwrap();
        assert_eq!(address_key(v4), v4);
        let mapped: IpAddr = "::ffff:203.0.113.7".parse().unwrap();
        assert_eq!(address_key(mapped), v4);
    }

    #[test]
    fn one_code_per_number_per_minute_and_daily_caps_per_number_and_address() {
        let mut gate: SmsGate<&str, &str> = SmsGate::default();
        assert_eq!(gate.admit(&"a", &"138", 0), Ok(SmsAdmit::Send));
        assert_eq!(
            gate.admit(&"a", &"138", 10),
            Ok(SmsAdmit::TooSoon(RetryAfter(50)))
        );
        assert_eq!(gate.admit(&"b", &"138", 60), Ok(SmsAdmit::Send));
        // The number's day: ten codes, whatever the address.
        for i in 2..SMS_CODES_PER_NUMBER_PER_DAY as i64 {
            assert_eq!(gate.admit(&"c", &"138", 60 * i), Ok(SmsAdmit::Send));
        }
        let later = 60 * SMS_CODES_PER_NUMBER_PER_DAY as i64;
        assert!(gate.admit(&"d", &"138", later).is_err());
        assert_eq!(
            gate.admit(&"d", &"138", SMS_DAY_SECS),
            Ok(SmsAdmit::Send),
            "a new day"
        );
        // The address's day: thirty requests, whatever the numbers (too-soon ones included).
        let mut gate: SmsGate<&str, u32> = SmsGate::default();
        for n in 0..SMS_REQUESTS_PER_ADDRESS_PER_DAY {
            assert!(gate.admit(&"a", &(n / 2), 0).is_ok());
        }
        assert_eq!(
            gate.admit(&"a", &999, 100),
            Err(RetryAfter(SMS_DAY_SECS - 100))
        );
        assert_eq!(gate.admit(&"b", &999, 100), Ok(SmsAdmit::Send));
    }

    /// A store as the server keeps one: slots by (limit, part, key), nothing else between steps.
    type Store = HashMap<(&'static str, &'static str, u8), Slot>;

    /// One step of a gate run the way a store runs it: a fresh gate, the touched slots loaded,
    /// the step applied, the slots saved (a `None` deletes).
    fn kept_step<G: KeptGate<u8, u8>, T>(
        store: &mut Store,
        limit: &'static str,
        address: u8,
        number: u8,
        now: i64,
        step: impl FnOnce(&mut G) -> T,
    ) -> T {
        let key = |kind: PartKey| match kind {
            PartKey::Address => address,
            PartKey::Number => number,
        };
        let loaded: Vec<Option<Slot>> = G::PARTS
            .iter()
            .map(|&(part, kind)| store.get(&(limit, part, key(kind))).copied())
            .collect();
        let mut gate = G::default();
        gate.load(&address, &number, &loaded);
        let out = step(&mut gate);
        for (&(part, kind), slot) in G::PARTS.iter().zip(gate.slots(&address, &number, now)) {
            match slot {
                Some(slot) => store.insert((limit, part, key(kind)), slot),
                None => store.remove(&(limit, part, key(kind))),
            };
        }
        out
    }

    #[test]
    fn a_throttle_slot_is_its_live_window_and_says_when_it_may_be_forgotten() {
        let mut t = Throttle::new(2, 60);
        assert_eq!(t.slot(&1, 0), None);
        t.record(&1, 10);
        t.record(&1, 20);
        let slot = Some(Slot {
            at: 10,
            count: 2,
            forget_at: 70,
        });
        assert_eq!(t.slot(&1, 69), slot);
        assert_eq!(t.slot(&1, 70), None, "the window is over");
        let mut fresh = Throttle::new(2, 60);
        fresh.put(&1, slot);
        assert_eq!(fresh.check(&1, 30), Err(RetryAfter(40)));
        fresh.put(&1, None);
        assert_eq!(fresh.check(&1, 30), Ok(()));
    }

    #[test]
    fn a_backoff_slot_is_its_tally_and_is_forgotten_with_it() {
        let mut b = Backoff::new(1, 60, 900, 3600);
        b.fail(&"k", 5);
        let slot = b.slot(&"k", 5);
        assert_eq!(
            slot,
            Some(Slot {
                at: 5,
                count: 1,
                forget_at: 3605
            })
        );
        assert_eq!(b.slot(&"k", 3605), None);
        let mut fresh = Backoff::new(1, 60, 900, 3600);
        fresh.put(&"k", slot);
        assert_eq!(fresh.check(&"k", 6), Err(RetryAfter(59)));
        assert!(fresh.has_failed(&"k", 6));
        fresh.refund(&"k", 6);
        assert_eq!(
            fresh.slot(&"k", 6),
            None,
            "a refund of the last failure forgets it"
        );
    }

    #[test]
    fn a_kept_sign_in_gate_refuses_the_sixth_guess_across_steps() {
        let mut store = Store::new();
        let admitted = (0..20)
            .filter(|_| {
                kept_step(
                    &mut store,
                    "sign_in",
                    9,
                    1,
                    100,
                    |g: &mut SignInGate<u8, u8>| g.admit(&9, &1, 100),
                )
                .is_ok()
            })
            .count();
        assert_eq!(admitted, SIGN_IN_FAILURES_PER_NUMBER as usize);
        // The owner's clean address still gets its try, and a right password gives it back.
        kept_step(
            &mut store,
            "sign_in",
            2,
            1,
            101,
            |g: &mut SignInGate<u8, u8>| g.admit(&2, &1, 101),
        )
        .unwrap();
        kept_step(
            &mut store,
            "sign_in",
            2,
            1,
            101,
            |g: &mut SignInGate<u8, u8>| g.succeeded(&2, &1, 101),
        );
        assert!(!store.contains_key(&("sign_in", "address_failures", 2)));
    }

    #[derive(Debug, Clone)]
    enum Step {
        SignIn(u8, u8),
        Succeeded(u8, u8),
        Proved(u8, u8),
        Sms(u8, u8),
        Throttle(u8),
        Refund(u8),
    }

    fn steps() -> impl Strategy<Value = Vec<(Step, i64)>> {
        let step = prop_oneof![
            (0u8..3, 0u8..3).prop_map(|(a, n)| Step::SignIn(a, n)),
            (0u8..3, 0u8..3).prop_map(|(a, n)| Step::Succeeded(a, n)),
            (0u8..3, 0u8..3).prop_map(|(a, n)| Step::Proved(a, n)),
            (0u8..3, 0u8..3).prop_map(|(a, n)| Step::Sms(a, n)),
            (0u8..3).prop_map(Step::Throttle),
            (0u8..3).prop_map(Step::Refund),
        ];
        proptest::collection::vec((step, 0i64..400), 0..200)
    }

    proptest! {
        #[test]
        fn rules_kept_in_slots_between_steps_decide_as_the_rules_kept_in_memory(
            steps in steps(),
        ) {
            let mut sign_in: SignInGate<u8, u8> = SignInGate::default();
            let mut sms: SmsGate<u8, u8> = SmsGate::default();
            let mut throttle: Throttle<u8> = Throttle::new(3, 60);
            let mut store = Store::new();
            let mut now = 0;
            for (step, gap) in steps {
                now += gap;
                match step {
                    Step::SignIn(a, n) => prop_assert_eq!(
                        kept_step(&mut store, "sign_in", a, n, now, |g: &mut SignInGate<u8, u8>| g.admit(&a, &n, now)),
                        sign_in.admit(&a, &n, now)
                    ),
                    Step::Succeeded(a, n) => {
                        kept_step(&mut store, "sign_in", a, n, now, |g: &mut SignInGate<u8, u8>| g.succeeded(&a, &n, now));
                        sign_in.succeeded(&a, &n, now);
                    }
                    Step::Proved(a, n) => {
                        kept_step(&mut store, "sign_in", a, n, now, |g: &mut SignInGate<u8, u8>| g.proved(&a, &n, now));
                        sign_in.proved(&a, &n, now);
                    }
                    // The SMS gate's parts live in the same store, under a limit of their own.
                    Step::Sms(a, n) => prop_assert_eq!(
                        kept_step(&mut store, "sms", a, n, now, |g: &mut SmsGate<u8, u8>| {
                            g.admit(&a, &n, now)
                        }),
                        sms.admit(&a, &n, now)
                    ),
                    Step::Throttle(k) | Step::Refund(k) => {
                        let mut fresh = Throttle::new(3, 60);
                        fresh.put(&k, store.get(&("check_in", "person", k)).copied());
                        if matches!(step, Step::Throttle(_)) {
                            prop_assert_eq!(fresh.admit(&k, now), throttle.admit(&k, now));
                        } else {
                            fresh.refund(&k, now);
                            throttle.refund(&k, now);
                        }
                        match fresh.slot(&k, now) {
                            Some(slot) => store.insert(("check_in", "person", k), slot),
                            None => store.remove(&("check_in", "person", k)),
                        };
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn a_number_is_never_locked_for_longer_than_the_cap(
            times in proptest::collection::vec(0i64..20_000, 0..100),
        ) {
            let mut sorted = times;
            sorted.sort_unstable();
            let mut b = Backoff::new(5, 60, 900, 3600);
            for now in sorted {
                match b.check(&"k", now) {
                    Ok(()) => b.fail(&"k", now),
                    Err(RetryAfter(wait)) => prop_assert!((1..=900).contains(&wait)),
                }
            }
        }

        #[test]
        fn failures_past_the_free_ones_are_spaced_by_growing_delays(
            // Under the hour after which failures are forgotten (`forget_after`), so no gap
            // between two of them forgets anything.
            times in proptest::collection::vec(0i64..3_600, 0..200),
        ) {
            let mut sorted = times;
            sorted.sort_unstable();
            let mut b = Backoff::new(5, 60, 900, 3600);
            let mut admitted: Vec<i64> = Vec::new();
            for now in sorted {
                if b.check(&"k", now).is_ok() {
                    b.fail(&"k", now);
                    admitted.push(now);
                }
            }
            // Nothing is forgotten within the hour: the n-th failure (from 0) waited delay(n).
            for (n, pair) in admitted.windows(2).enumerate() {
                prop_assert!(pair[1] - pair[0] >= b.delay(n as u32 + 1));
            }
        }

        #[test]
        fn guesses_from_one_address_never_exceed_the_free_failures_while_unanswered(
            numbers in proptest::collection::vec(0u8..3, 1..100),
            at in 0i64..1_000_000,
        ) {
            let mut gate: SignInGate<u8, u8> = SignInGate::default();
            let mut per_number = [0u32; 3];
            for n in numbers {
                if gate.admit(&7, &n, at).is_ok() {
                    per_number[n as usize] += 1;
                }
            }
            // Other numbers may be tried (up to the address limit), but each number gets at most
            // its free failures, and an address that has failed gets no bypass.
            for count in per_number {
                prop_assert!(count <= SIGN_IN_FAILURES_PER_NUMBER);
            }
        }

        #[test]
        fn a_clean_address_always_gets_one_try(
            stranger_attempts in 0usize..200,
            at in 0i64..1_000_000,
        ) {
            let mut gate: SignInGate<u8, u8> = SignInGate::default();
            for i in 0..stranger_attempts {
                let _ = gate.admit(&((i % 50) as u8 + 100), &1, at);
            }
            prop_assert!(gate.admit(&1, &1, at).is_ok());
        }

        #[test]
        fn never_more_than_the_limit_is_let_through_in_one_window(
            times in proptest::collection::vec(0i64..1000, 0..200),
            limit in 1u32..10,
        ) {
            let mut sorted = times;
            sorted.sort_unstable();
            let mut t = Throttle::new(limit, 100);
            let mut passed: Vec<i64> = Vec::new();
            for now in sorted {
                if t.admit(&"k", now).is_ok() {
                    passed.push(now);
                }
            }
            // Fixed windows start at the first attempt after the previous one ended.
            let mut start = None;
            let mut in_window = 0;
            for now in passed {
                match start {
                    Some(s) if now < s + 100 => in_window += 1,
                    _ => { start = Some(now); in_window = 1; }
                }
                prop_assert!(in_window <= limit);
            }
        }
    }
}
