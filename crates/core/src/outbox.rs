//! The outbox: what a person submitted, kept until a backend has acknowledged it. An entry is
//! written (with its idempotency key) before any network call; it is sent when it is due, with
//! exponential backoff after failures; a refusal the person must fix keeps the entry, marked, so
//! nothing typed is lost. The same key goes with every attempt, so a backend that honours
//! `Idempotency-Key` files it once however often it is sent. Time is passed in (milliseconds).

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// A client-chosen key: 16–64 characters of letters, digits and `-`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdempotencyKey(String);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("an idempotency key has 16–64 letters, digits or hyphens")]
pub struct KeyError;

impl IdempotencyKey {
    pub fn parse(raw: &str) -> Result<IdempotencyKey, KeyError> {
        let ok = (16..=64).contains(&raw.len())
            && raw.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        ok.then(|| IdempotencyKey(raw.to_owned())).ok_or(KeyError)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for IdempotencyKey {
    type Error = KeyError;
    fn try_from(raw: String) -> Result<Self, KeyError> {
        IdempotencyKey::parse(&raw)
    }
}

impl From<IdempotencyKey> for String {
    fn from(k: IdempotencyKey) -> String {
        k.0
    }
}

/// Where an entry stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting to be sent (again) at `next_attempt_at`.
    Waiting,
    /// The backend refused it for a reason a retry cannot fix (a field breaks a rule): kept for
    /// the person to correct or discard.
    Refused { reason: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry<T> {
    pub key: IdempotencyKey,
    pub payload: T,
    pub queued_at: i64,
    pub attempts: u32,
    pub next_attempt_at: i64,
    pub status: Status,
}

/// How an attempt ended, as the sender saw it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Acknowledged (created, or replayed for this key): the entry is done.
    Sent,
    /// No answer, a server error, a rate limit: try again later.
    Retry,
    /// Refused for good (4xx other than 408/429), with the reason to show.
    Refused(String),
}

/// The first retry waits 2 s, then 4, 8… up to 5 minutes.
pub const FIRST_BACKOFF_MS: i64 = 2_000;
pub const MAX_BACKOFF_MS: i64 = 5 * 60 * 1_000;

/// The wait after the `attempts`-th failed attempt (1-based).
pub fn backoff_ms(attempts: u32) -> i64 {
    let doublings = attempts.saturating_sub(1).min(20);
    FIRST_BACKOFF_MS
        .saturating_mul(1_i64 << doublings)
        .min(MAX_BACKOFF_MS)
}

/// An HTTP status as an outcome (`None`: no answer at all).
pub fn outcome_of(status: Option<u16>, reason: impl Into<String>) -> Outcome {
    match status {
        Some(200..=299) => Outcome::Sent,
        None | Some(408) | Some(429) | Some(500..) => Outcome::Retry,
        Some(_) => Outcome::Refused(reason.into()),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Outbox<T> {
    entries: Vec<Entry<T>>,
}

impl<T: Clone> Outbox<T> {
    pub fn new() -> Outbox<T> {
        Outbox {
            entries: Vec::new(),
        }
    }

    /// The entries as stored (one record each), oldest first.
    pub fn restore(mut entries: Vec<Entry<T>>) -> Outbox<T> {
        entries.sort_by_key(|e| e.queued_at);
        Outbox { entries }
    }

    pub fn entry(&self, key: &IdempotencyKey) -> Option<&Entry<T>> {
        self.entries.iter().find(|e| &e.key == key)
    }

    /// For progress kept in the payload (a photo uploaded before the request itself).
    pub fn payload_mut(&mut self, key: &IdempotencyKey) -> Option<&mut T> {
        self.entries
            .iter_mut()
            .find(|e| &e.key == key)
            .map(|e| &mut e.payload)
    }

    /// A refused entry the person corrected: waiting again, due now.
    pub fn resume(&mut self, key: &IdempotencyKey, now: i64) {
        if let Some(e) = self.entries.iter_mut().find(|e| &e.key == key) {
            e.status = Status::Waiting;
            e.next_attempt_at = now;
        }
    }

    pub fn entries(&self) -> &[Entry<T>] {
        &self.entries
    }

    /// Queues `payload` under `key`, due at once. A key already queued is left as it is (the
    /// same submission pressed twice).
    pub fn push(&mut self, key: IdempotencyKey, payload: T, now: i64) {
        if self.entries.iter().any(|e| e.key == key) {
            return;
        }
        self.entries.push(Entry {
            key,
            payload,
            queued_at: now,
            attempts: 0,
            next_attempt_at: now,
            status: Status::Waiting,
        });
    }

    /// The entries to send now, oldest first.
    pub fn due(&self, now: i64) -> Vec<&Entry<T>> {
        self.entries
            .iter()
            .filter(|e| e.status == Status::Waiting && e.next_attempt_at <= now)
            .collect()
    }

    /// When the next waiting entry falls due, for a timer.
    pub fn next_due(&self) -> Option<i64> {
        self.entries
            .iter()
            .filter(|e| e.status == Status::Waiting)
            .map(|e| e.next_attempt_at)
            .min()
    }

    /// Records how an attempt for `key` ended. Returns the finished entry when it was sent.
    pub fn record(&mut self, key: &IdempotencyKey, outcome: Outcome, now: i64) -> Option<Entry<T>> {
        let index = self.entries.iter().position(|e| &e.key == key)?;
        let entry = &mut self.entries[index];
        entry.attempts = entry.attempts.saturating_add(1);
        match outcome {
            Outcome::Sent => return Some(self.entries.remove(index)),
            Outcome::Retry => {
                entry.next_attempt_at = now.saturating_add(backoff_ms(entry.attempts))
            }
            Outcome::Refused(reason) => entry.status = Status::Refused { reason },
        }
        None
    }

    /// The person gave up on a refused (or waiting) entry.
    pub fn discard(&mut self, key: &IdempotencyKey) -> Option<Entry<T>> {
        let index = self.entries.iter().position(|e| &e.key == key)?;
        Some(self.entries.remove(index))
    }

    /// "Send now": the network came back, or the person asked.
    pub fn retry_all_now(&mut self, now: i64) {
        for e in &mut self.entries {
            if e.status == Status::Waiting {
                e.next_attempt_at = e.next_attempt_at.min(now);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn key(n: u32) -> IdempotencyKey {
        IdempotencyKey::parse(&format!("key-{n:012}")).unwrap()
    }

    #[test]
    fn backoff_doubles_from_two_seconds_to_five_minutes() {
        assert_eq!(backoff_ms(1), 2_000);
        assert_eq!(backoff_ms(2), 4_000);
        assert_eq!(backoff_ms(8), 256_000);
        assert_eq!(backoff_ms(9), MAX_BACKOFF_MS);
        assert_eq!(backoff_ms(u32::MAX), MAX_BACKOFF_MS);
    }

    #[test]
    fn a_restored_outbox_is_in_queue_order_and_keeps_progress_in_its_payload() {
        let mut outbox: Outbox<Vec<u8>> = Outbox::new();
        outbox.push(key(2), vec![], 200);
        outbox.push(key(1), vec![], 100);
        let restored = Outbox::restore(outbox.entries().to_vec());
        assert_eq!(restored.entries()[0].key, key(1), "oldest first");

        let mut outbox = restored;
        outbox.payload_mut(&key(2)).unwrap().push(7);
        assert_eq!(outbox.entry(&key(2)).unwrap().payload, vec![7]);
        assert!(outbox.payload_mut(&key(3)).is_none());

        outbox.record(&key(1), Outcome::Refused("description".into()), 300);
        assert!(outbox.due(10_000).iter().all(|e| e.key != key(1)));
        outbox.resume(&key(1), 400);
        assert!(outbox.due(400).iter().any(|e| e.key == key(1)));
    }

    #[test]
    fn statuses_become_outcomes() {
        assert_eq!(outcome_of(Some(201), ""), Outcome::Sent);
        assert_eq!(outcome_of(None, "offline"), Outcome::Retry);
        assert_eq!(outcome_of(Some(503), ""), Outcome::Retry);
        assert_eq!(outcome_of(Some(429), ""), Outcome::Retry);
        assert_eq!(
            outcome_of(Some(422), "description"),
            Outcome::Refused("description".into())
        );
    }

    #[test]
    fn an_offline_submission_waits_then_goes() {
        let mut outbox = Outbox::default();
        outbox.push(key(1), "report", 0);
        outbox.push(key(1), "report", 5);
        assert_eq!(outbox.entries().len(), 1, "pressing twice queues once");
        assert_eq!(outbox.due(0).len(), 1);
        assert_eq!(outbox.record(&key(1), Outcome::Retry, 0), None);
        assert!(outbox.due(1_999).is_empty());
        assert_eq!(outbox.next_due(), Some(2_000));
        outbox.retry_all_now(500);
        assert_eq!(outbox.due(500).len(), 1, "back online: send at once");
        let sent = outbox.record(&key(1), Outcome::Sent, 600).unwrap();
        assert_eq!(sent.attempts, 2);
        assert!(outbox.entries().is_empty());
    }

    #[test]
    fn a_refusal_keeps_what_was_typed() {
        let mut outbox = Outbox::default();
        outbox.push(key(2), "draft text", 0);
        outbox.record(
            &key(2),
            Outcome::Refused("description: too short".into()),
            1,
        );
        assert!(outbox.due(10_000_000).is_empty(), "not resent by itself");
        assert_eq!(outbox.entries()[0].payload, "draft text");
        assert_eq!(outbox.discard(&key(2)).unwrap().payload, "draft text");
    }

    #[test]
    fn keys_are_checked_and_round_trip() {
        assert!(IdempotencyKey::parse("short").is_err());
        assert!(IdempotencyKey::parse("has spaces in it ok?").is_err());
        let mut outbox = Outbox::default();
        outbox.push(key(3), 7u8, 0);
        let json = serde_json::to_string(&outbox).unwrap();
        assert_eq!(serde_json::from_str::<Outbox<u8>>(&json).unwrap(), outbox);
    }

    #[derive(Debug, Clone)]
    enum Step {
        Push(u32),
        Attempt(u8),
        Wait(i64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0u32..6).prop_map(Step::Push),
            (0u8..4).prop_map(Step::Attempt),
            (0i64..400_000).prop_map(Step::Wait),
        ]
    }

    proptest! {
        /// Whatever the network does, an entry leaves the outbox only by being sent, a key is
        /// queued at most once, and nothing is sent before it is due.
        #[test]
        fn nothing_is_lost_or_sent_twice(steps in proptest::collection::vec(step(), 0..80)) {
            let mut outbox = Outbox::default();
            let mut now = 0;
            let mut pushed = std::collections::BTreeSet::new();
            let mut sent = std::collections::BTreeSet::new();
            for s in steps {
                match s {
                    Step::Push(n) => {
                        if !sent.contains(&n) {
                            outbox.push(key(n), n, now);
                            pushed.insert(n);
                        }
                    }
                    Step::Attempt(result) => {
                        let due: Vec<u32> = outbox.due(now).iter().map(|e| e.payload).collect();
                        if let Some(&n) = due.first() {
                            let outcome = match result {
                                0 => Outcome::Sent,
                                1 => Outcome::Refused("no".into()),
                                _ => Outcome::Retry,
                            };
                            if let Some(done) = outbox.record(&key(n), outcome, now) {
                                prop_assert!(sent.insert(done.payload), "sent twice");
                            }
                        }
                    }
                    Step::Wait(ms) => now += ms,
                }
                for e in outbox.due(now) {
                    prop_assert!(e.next_attempt_at <= now);
                }
                let queued: Vec<u32> = outbox.entries().iter().map(|e| e.payload).collect();
                let unique: std::collections::BTreeSet<u32> = queued.iter().copied().collect();
                prop_assert_eq!(unique.len(), queued.len(), "a key at most once");
                for n in &pushed {
                    prop_assert!(sent.contains(n) || unique.contains(n), "entry {} was lost", n);
                }
            }
        }
    }
}
