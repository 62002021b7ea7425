//! The time bank (时间银行): hours of service given are banked, spent on services received, and
//! gifted to family. Amounts are whole minutes; every movement is a double-entry transfer, so
//! the accounts always sum to zero; a service credits only once it is confirmed: by staff when
//! the community pool pays, by the recipient when the recipient's hours pay. The rules live here
//! once; every backend applies them.

mod bank;
mod minutes;
mod rules;
mod service;
mod wire;

pub use bank::{
    AccountId, Confirmation, LedgerEntry, StatementLine, StatementLines, TimeBank, TimeBankData,
    TimeBankError, TimeBankRestoreError, Transfer, TransferReason,
};
pub use minutes::Minutes;
pub use rules::{
    CLOCK_SKEW_SECS, OLDEST_START_SECS, PoolCap, RECORDS_LOGGED_PER_HOUR,
    RECORDS_LOGGED_WINDOW_SECS, Refusal, check_start, china_month,
};
pub use service::{
    DurationError, NewServiceRecord, Payer, RecordState, ServiceDuration, ServiceNote,
    ServiceRecord, ServiceType,
};
pub use wire::{
    ConfirmOutcome, ConfirmReply, FamilyLink, LogService, MemberBalance, MemberRef, NewFamilyLink,
    NewGift, Party, PoolReport, RecordCounts, RecordStatus, RecordView, RejectService,
    ServiceStart, StatementEntry, StatementPage, TimeBankAccount,
};
