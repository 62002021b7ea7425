//! Sign-in rate limits, kept in memory (they only need to outlive a burst, not a restart).

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
