//! Sign-in and check-in rate limits, kept in memory (they only need to outlive a burst, not a
//! restart).

use crate::error::ApiError;
use citizen_core::throttle::{
    RetryAfter, SIGN_IN_ATTEMPTS_PER_ADDRESS, SIGN_IN_FAILURES_PER_NUMBER, SIGN_IN_WINDOW_SECS,
    Throttle,
};
use std::net::IpAddr;
use std::sync::Mutex;

pub struct SignInLimits {
    per_address: Mutex<Throttle<IpAddr>>,
    per_number: Mutex<Throttle<String>>,
}

impl Default for SignInLimits {
    fn default() -> Self {
        SignInLimits {
            per_address: Mutex::new(Throttle::new(
                SIGN_IN_ATTEMPTS_PER_ADDRESS,
                SIGN_IN_WINDOW_SECS,
            )),
            per_number: Mutex::new(Throttle::new(
                SIGN_IN_FAILURES_PER_NUMBER,
                SIGN_IN_WINDOW_SECS,
            )),
        }
    }
}

fn refuse(RetryAfter(secs): RetryAfter) -> ApiError {
    ApiError::TooManyAttempts(secs)
}

impl SignInLimits {
    /// Counts an attempt from `address`; refuses when the address or the number is over its limit.
    pub fn admit(&self, address: IpAddr, number: &str, now: i64) -> Result<(), ApiError> {
        {
            let mut per_address = self.per_address.lock().unwrap_or_else(|e| e.into_inner());
            per_address.check(&address, now).map_err(refuse)?;
            per_address.record(&address, now);
        }
        let per_number = self.per_number.lock().unwrap_or_else(|e| e.into_inner());
        per_number.check(&number.to_owned(), now).map_err(refuse)
    }

    pub fn failed(&self, number: &str, now: i64) {
        let mut per_number = self.per_number.lock().unwrap_or_else(|e| e.into_inner());
        per_number.record(&number.to_owned(), now);
    }

    pub fn succeeded(&self, number: &str) {
        let mut per_number = self.per_number.lock().unwrap_or_else(|e| e.into_inner());
        per_number.clear(&number.to_owned());
    }
}

/// Wrong check-in codes one person may type in a window: a real volunteer mistypes a few times;
/// a guesser needs hundreds of thousands.
pub const CHECK_IN_FAILURES_PER_PERSON: u32 = 10;
pub const CHECK_IN_WINDOW_SECS: i64 = 10 * 60;

/// Check-in codes are six digits: wrong ones are counted per person, across activities.
pub struct CheckInLimits {
    per_person: Mutex<Throttle<i64>>,
}

impl Default for CheckInLimits {
    fn default() -> Self {
        CheckInLimits {
            per_person: Mutex::new(Throttle::new(
                CHECK_IN_FAILURES_PER_PERSON,
                CHECK_IN_WINDOW_SECS,
            )),
        }
    }
}

impl CheckInLimits {
    /// Refuses `person` while they are over the limit.
    pub fn admit(&self, person: i64, now: i64) -> Result<(), ApiError> {
        let per_person = self.per_person.lock().unwrap_or_else(|e| e.into_inner());
        per_person.check(&person, now).map_err(refuse)
    }

    /// Counts a code that was not accepted.
    pub fn failed(&self, person: i64, now: i64) {
        let mut per_person = self.per_person.lock().unwrap_or_else(|e| e.into_inner());
        per_person.record(&person, now);
    }
}
