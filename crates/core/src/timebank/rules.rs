//! The time bank's guards against hours from nothing: when a service may have started, how many
//! pool-paid minutes a member may bank a month, how many recipients a member may look up an
//! hour, and the refusals they produce as one code every backend sends and every screen words.

use super::bank::TimeBankError;
use super::minutes::Minutes;
use crate::time::Timestamp;
use chrono::Datelike;

/// A service is logged within 30 days of its start: older claims cannot be checked.
pub const OLDEST_START_SECS: i64 = 30 * 86_400;

/// How far a phone's clock may run ahead of the bank's: a start (or an end) up to 5 minutes
/// after "now" is taken as now.
pub const CLOCK_SKEW_SECS: i64 = 5 * 60;

/// Records a member may log per hour, each a look-up of a mobile number: enough for a busy
/// volunteer, too few to walk the numbers of a community.
pub const RECORDS_LOGGED_PER_HOUR: u32 = 20;
pub const RECORDS_LOGGED_WINDOW_SECS: i64 = 60 * 60;

/// The most minutes of a member's service the community pool pays for in one calendar month
/// (China time), counting what is pending and what was credited: 40 hours unless configured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PoolCap(Minutes);

impl PoolCap {
    pub const DEFAULT_MINUTES: u32 = 40 * 60;

    pub const fn minutes(minutes: u32) -> PoolCap {
        PoolCap(Minutes::new(minutes as u64))
    }

    pub fn get(self) -> Minutes {
        self.0
    }
}

impl Default for PoolCap {
    fn default() -> PoolCap {
        PoolCap::minutes(PoolCap::DEFAULT_MINUTES)
    }
}

/// The calendar month in China of the instant `unix_secs`: the cap's unit.
pub fn china_month(unix_secs: i64) -> (i32, u8) {
    let date = Timestamp::from_unix_secs(unix_secs).china_date();
    // 1–12.
    (date.year(), date.month() as u8)
}

/// Whether a service that started at `start` and ended at `end` may be logged `now`.
pub fn check_start(start: i64, end: i64, now: i64) -> Result<(), TimeBankError> {
    if start < now.saturating_sub(OLDEST_START_SECS) {
        return Err(TimeBankError::StartTooOld);
    }
    if start > now.saturating_add(CLOCK_SKEW_SECS) {
        return Err(TimeBankError::StartInFuture);
    }
    if end > now.saturating_add(CLOCK_SKEW_SECS) {
        return Err(TimeBankError::NotFinished);
    }
    Ok(())
}

/// Why the time bank refused, as one code the server sends (`{"error": {"code"}}`), the app
/// reads back with [`Refusal::from_code`], and the local backend takes from the core's error
/// with [`Refusal::of`]. The refusals that keep hours from being minted each have their own code,
/// so every screen can say plainly what happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Refusal {
    /// The start is more than 30 days ago.
    StartTooOld,
    /// The start is in the future.
    StartInFuture,
    /// The pool-paid minutes of the provider's month would pass the cap.
    PoolCapReached,
    /// A pool-paid record waits for staff; its recipient cannot confirm it.
    StaffApproves,
    /// A recipient-paid record is confirmed by its recipient; staff may only reject it.
    RecipientConfirms,
    /// Nobody confirms (or, as provider, rejects) a record they gave or received.
    OwnRecord,
}

impl Refusal {
    pub const ALL: [Refusal; 6] = [
        Refusal::StartTooOld,
        Refusal::StartInFuture,
        Refusal::PoolCapReached,
        Refusal::StaffApproves,
        Refusal::RecipientConfirms,
        Refusal::OwnRecord,
    ];

    /// The error code in an API error body.
    pub fn code(self) -> &'static str {
        match self {
            Refusal::StartTooOld => "start_too_old",
            Refusal::StartInFuture => "start_in_future",
            Refusal::PoolCapReached => "pool_cap_reached",
            Refusal::StaffApproves => "staff_approves",
            Refusal::RecipientConfirms => "recipient_confirms",
            Refusal::OwnRecord => "own_record",
        }
    }

    pub fn from_code(code: &str) -> Option<Refusal> {
        Refusal::ALL.into_iter().find(|r| r.code() == code)
    }

    /// The typed refusal a core error is, if it is one of them.
    pub fn of(e: &TimeBankError) -> Option<Refusal> {
        match e {
            TimeBankError::StartTooOld => Some(Refusal::StartTooOld),
            TimeBankError::StartInFuture => Some(Refusal::StartInFuture),
            TimeBankError::PoolCapReached { .. } => Some(Refusal::PoolCapReached),
            TimeBankError::StaffApproves => Some(Refusal::StaffApproves),
            TimeBankError::RecipientConfirms => Some(Refusal::RecipientConfirms),
            TimeBankError::OwnRecord => Some(Refusal::OwnRecord),
            _ => None,
        }
    }

    /// Whether the refusal is about who acts (403) rather than what was sent (422) or the
    /// state of things (409).
    pub fn is_about_who(self) -> bool {
        matches!(
            self,
            Refusal::StaffApproves | Refusal::RecipientConfirms | Refusal::OwnRecord
        )
    }

    /// The request field at fault when logging, if any.
    pub fn field(self) -> Option<&'static str> {
        match self {
            Refusal::StartTooOld | Refusal::StartInFuture => Some("start"),
            Refusal::PoolCapReached => Some("duration"),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_795_564_800; // 2026-11-25T00:00:00Z

    #[test]
    fn refusal_codes_round_trip() {
        for r in Refusal::ALL {
            assert_eq!(Refusal::from_code(r.code()), Some(r));
        }
        assert_eq!(Refusal::from_code("forbidden"), None);
        assert_eq!(
            Refusal::of(&TimeBankError::PoolCapReached {
                cap: 2400,
                remaining: 30
            }),
            Some(Refusal::PoolCapReached)
        );
        assert_eq!(Refusal::of(&TimeBankError::NotLinked), None);
    }

    #[test]
    fn a_start_is_within_thirty_days_and_not_ahead_of_the_clock() {
        let hour = 3600;
        assert_eq!(
            check_start(0, 480 * 60, NOW),
            Err(TimeBankError::StartTooOld)
        );
        let oldest = NOW - OLDEST_START_SECS;
        assert_eq!(
            check_start(oldest - 1, oldest + hour, NOW),
            Err(TimeBankError::StartTooOld)
        );
        assert_eq!(check_start(oldest, oldest + hour, NOW), Ok(()));
        assert_eq!(check_start(NOW - hour, NOW, NOW), Ok(()));
        // A phone five minutes fast is taken at its word; six minutes is the future.
        assert_eq!(check_start(NOW - 10 * 60, NOW + 5 * 60, NOW), Ok(()));
        assert_eq!(
            check_start(NOW + 6 * 60, NOW + 21 * 60, NOW),
            Err(TimeBankError::StartInFuture)
        );
        assert_eq!(
            check_start(NOW, NOW + 15 * 60, NOW),
            Err(TimeBankError::NotFinished)
        );
        assert_eq!(
            check_start(i64::MIN, i64::MIN, i64::MIN),
            Ok(()),
            "no overflow at the edges"
        );
    }

    #[test]
    fn a_month_is_china_time() {
        // 2026-11-30T16:00:00Z is midnight of 1 December in Beijing.
        let december = 1_796_054_400;
        assert_eq!(china_month(december), (2026, 12));
        assert_eq!(china_month(december - 1), (2026, 11));
        assert_eq!(PoolCap::default().get(), Minutes::new(2400));
    }
}
