//! Service records: "I helped this person, this long, with this". A record credits nothing when
//! it is logged; only the recipient's (or staff's) confirmation turns it into a transfer, so
//! nobody can bank hours on their own word.

use super::minutes::Minutes;
use crate::bounded::bounded_u32;
use crate::ids::MemberId;
use crate::localized::Localized;
use crate::text::BoundedText;
use serde::{Deserialize, Serialize};

bounded_u32! {
    /// How long one service lasted: 15 minutes to 8 hours. Shorter help is a favour, not a banked
    /// service; longer is a working day that should be logged day by day.
    pub struct ServiceDuration(u32);
    range: ServiceDuration::MIN_MINUTES..=ServiceDuration::MAX_MINUTES;
    error: DurationError("a service lasts 15 minutes to 8 hours, got {0} minutes");
}

impl ServiceDuration {
    pub const MIN_MINUTES: u32 = 15;
    pub const MAX_MINUTES: u32 = 8 * 60;

    pub fn minutes(self) -> Minutes {
        Minutes::new(u64::from(self.0))
    }

    pub fn secs(self) -> i64 {
        i64::from(self.0) * 60
    }
}

/// The kinds of help a time bank trades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum ServiceType {
    /// 助老: visiting, helping an elder at home.
    ElderCare,
    /// 陪诊: going with someone to a clinic or hospital.
    Escort,
    /// 代购代办: shopping and errands.
    Errands,
    /// 家政保洁: cleaning and housework.
    Housework,
    /// 维修: small repairs.
    Repair,
    /// 辅导: tutoring and teaching (phones for elders included).
    Tutoring,
    /// 照看儿童
    Childcare,
    /// 其他
    Other,
}

impl ServiceType {
    pub const ALL: [ServiceType; 8] = [
        ServiceType::ElderCare,
        ServiceType::Escort,
        ServiceType::Errands,
        ServiceType::Housework,
        ServiceType::Repair,
        ServiceType::Tutoring,
        ServiceType::Childcare,
        ServiceType::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            ServiceType::ElderCare => "elder-care",
            ServiceType::Escort => "escort",
            ServiceType::Errands => "errands",
            ServiceType::Housework => "housework",
            ServiceType::Repair => "repair",
            ServiceType::Tutoring => "tutoring",
            ServiceType::Childcare => "childcare",
            ServiceType::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Option<ServiceType> {
        ServiceType::ALL.into_iter().find(|t| t.code() == raw)
    }

    pub fn name(self) -> Localized {
        let (zh, en) = match self {
            ServiceType::ElderCare => ("助老服务", "Elder care"),
            ServiceType::Escort => ("陪诊陪护", "Hospital escort"),
            ServiceType::Errands => ("代购代办", "Shopping and errands"),
            ServiceType::Housework => ("家政保洁", "Housework"),
            ServiceType::Repair => ("家电维修", "Repairs"),
            ServiceType::Tutoring => ("学习辅导", "Tutoring"),
            ServiceType::Childcare => ("照看儿童", "Childcare"),
            ServiceType::Other => ("其他", "Other"),
        };
        Localized {
            zh: zh.into(),
            en: en.into(),
        }
    }
}

/// Whose time pays the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Payer {
    /// The recipient spends banked time on the service received.
    Recipient,
    /// The community pool pays for public-benefit service (elder care for someone with nothing
    /// banked); the pool may go below zero.
    Pool,
}

/// A record's note, or the reason for rejecting one: 1–500 characters.
pub type ServiceNote = BoundedText<1, 500>;

/// Where a record stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum RecordState {
    /// Logged, waiting for the recipient or staff.
    Pending,
    /// Confirmed by `by` at `at`; transfer `transfer` credited the provider.
    Confirmed {
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        by: MemberId,
        at: i64,
        transfer: u64,
    },
    /// Rejected by `by` at `at`: it never credits.
    Rejected {
        #[cfg_attr(feature = "openapi", schema(value_type = i64))]
        by: MemberId,
        at: i64,
        #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
        reason: Option<ServiceNote>,
    },
}

/// What a provider logs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewServiceRecord {
    pub provider: MemberId,
    pub recipient: MemberId,
    pub service: ServiceType,
    /// Unix seconds.
    pub start: i64,
    pub duration: ServiceDuration,
    pub note: Option<ServiceNote>,
    pub payer: Payer,
}

/// A logged service and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ServiceRecord {
    /// Its position in the bank's records, from 0.
    pub id: u64,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub provider: MemberId,
    #[cfg_attr(feature = "openapi", schema(value_type = i64))]
    pub recipient: MemberId,
    pub service: ServiceType,
    /// Unix seconds.
    pub start: i64,
    pub duration: ServiceDuration,
    #[cfg_attr(feature = "openapi", schema(value_type = Option<String>))]
    pub note: Option<ServiceNote>,
    pub payer: Payer,
    /// When it was logged (Unix seconds).
    pub logged_at: i64,
    pub state: RecordState,
}

impl ServiceRecord {
    /// When the service ended (Unix seconds).
    pub fn end(&self) -> i64 {
        self.start.saturating_add(self.duration.secs())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_lasts_a_quarter_hour_to_eight_hours() {
        assert_eq!(ServiceDuration::new(14), Err(DurationError(14)));
        assert!(ServiceDuration::new(15).is_ok());
        assert!(ServiceDuration::new(480).is_ok());
        assert_eq!(ServiceDuration::new(481), Err(DurationError(481)));
        assert!(serde_json::from_str::<ServiceDuration>("600").is_err());
        assert_eq!(
            ServiceDuration::new(90).unwrap().minutes(),
            Minutes::new(90)
        );
    }

    #[test]
    fn service_types_have_codes_and_names() {
        for t in ServiceType::ALL {
            assert_eq!(ServiceType::parse(t.code()), Some(t));
            assert!(t.name().is_complete());
            assert_eq!(
                serde_json::to_string(&t).unwrap(),
                format!("\"{}\"", t.code())
            );
        }
    }
}
