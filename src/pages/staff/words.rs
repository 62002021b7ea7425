//! The staff screens' words that carry numbers or states.

use crate::i18n::{Msg, duration};
use citizen_core::Lang;
use citizen_core::volunteer::ActivityPhase;

/// A phase in staff's words (for the chip, see `volunteer::words::phase_chip`).
pub fn phase_name(phase: ActivityPhase) -> Msg {
    match phase {
        ActivityPhase::Upcoming => Msg::StaffPhaseUpcoming,
        ActivityPhase::CheckInOpen => Msg::StaffPhaseCheckInOpen,
        ActivityPhase::Ended => Msg::StaffPhaseEnded,
    }
}

/// "已报名 3 / 10 人" / "3 of 10 places taken".
pub fn signed_up(lang: Lang, taken: u32, slots: u32) -> String {
    match lang {
        Lang::ZhCn => format!("已报名 {taken} / {slots} 人"),
        Lang::En => format!("{taken} of {slots} places taken"),
    }
}

/// "12 秒后换新码" / "New code in 12 s".
pub fn next_code_in(lang: Lang, secs: i64) -> String {
    match lang {
        Lang::ZhCn => format!("{secs} 秒后换新码"),
        Lang::En => format!("New code in {secs} s"),
    }
}

pub use crate::i18n::points;

/// A time-bank balance: below zero with its sign ("−1 小时 30 分"), otherwise plain.
pub fn balance(lang: Lang, minutes: i64) -> String {
    duration(lang, minutes, minutes < 0)
}

/// "—" for a time or figure not there yet.
pub const NONE: &str = "—";
