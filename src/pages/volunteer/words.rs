//! The volunteering screens' words that carry numbers, times or states.

use crate::i18n::{I18n, Msg};
use citizen_core::Lang;
use citizen_core::volunteer::{ActivityPhase, AwardRule, Month, MySignup, PointsLineKind};
use leptos::prelude::*;

pub fn phase_name(phase: ActivityPhase) -> Msg {
    match phase {
        ActivityPhase::Upcoming => Msg::VolunteerPhaseUpcoming,
        ActivityPhase::CheckInOpen => Msg::VolunteerPhaseCheckInOpen,
        ActivityPhase::Ended => Msg::VolunteerPhaseEnded,
    }
}

/// The phase as a chip, in the words `name` gives it (a resident's [`phase_name`], or staff's),
/// coloured by `data-phase`.
pub fn phase_chip(
    i18n: I18n,
    phase: ActivityPhase,
    name: fn(ActivityPhase) -> Msg,
) -> impl IntoView {
    let key = match phase {
        ActivityPhase::Upcoming => "upcoming",
        ActivityPhase::CheckInOpen => "open",
        ActivityPhase::Ended => "ended",
    };
    view! {
        <span class="state" data-phase=key data-testid="activity-phase">
            {i18n.text(name(phase))}
        </span>
    }
}

/// Where my sign-up stands, in a word: signed up, checked in, checked out, verified.
pub fn my_status(mine: &MySignup, phase: ActivityPhase) -> Msg {
    match (
        mine.verified_minutes,
        &mine.checked_out_at,
        &mine.checked_in_at,
    ) {
        (Some(_), _, _) => Msg::VolunteerMineVerified,
        (None, Some(_), _) => Msg::VolunteerMineCheckedOut,
        (None, None, Some(_)) => Msg::VolunteerMineCheckedIn,
        (None, None, None) if phase == ActivityPhase::Ended => Msg::VolunteerMineMissed,
        (None, None, None) => Msg::VolunteerMineSignedUp,
    }
}

pub use crate::i18n::points;

/// A change to a balance with its sign: "+45 积分", "−50 积分".
pub fn signed_points(lang: Lang, delta: i64) -> String {
    let sign = if delta < 0 { "−" } else { "+" };
    format!("{sign}{}", points(lang, delta.unsigned_abs()))
}

/// "剩余 19/20 个名额" / "19 of 20 places left".
pub fn slots_left(lang: Lang, left: u32, slots: u32) -> String {
    match lang {
        Lang::ZhCn => format!("剩余 {left}/{slots} 个名额"),
        Lang::En => format!("{left} of {slots} places left"),
    }
}

/// How the activity awards points, in a sentence.
pub fn award_rule(lang: Lang, rule: AwardRule) -> String {
    match (lang, rule) {
        (Lang::ZhCn, AwardRule::PerHour { per_hour, cap }) => format!(
            "每小时 {} 积分，每人最多 {} 积分",
            per_hour.get(),
            cap.get()
        ),
        (Lang::En, AwardRule::PerHour { per_hour, cap }) => format!(
            "{} an hour, at most {}",
            points(lang, u64::from(per_hour.get())),
            points(lang, u64::from(cap.get()))
        ),
        (Lang::ZhCn, AwardRule::Fixed { points: p }) => format!("参加即得 {} 积分", p.get()),
        (Lang::En, AwardRule::Fixed { points: p }) => {
            format!("{} for taking part", points(lang, u64::from(p.get())))
        }
    }
}

/// The star level in words: "2 星" / "2 stars", or "no stars yet".
pub fn stars(lang: Lang, n: u8) -> String {
    match (lang, n) {
        (_, 0) => Msg::VolunteerNoStars.text(lang).to_owned(),
        (Lang::ZhCn, n) => format!("{n} 星"),
        (Lang::En, 1) => "1 star".to_owned(),
        (Lang::En, n) => format!("{n} stars"),
    }
}

/// "再服务 98 小时可升至 1 星" / "98 more hours to reach 1 star".
pub fn to_next_star(lang: Lang, hours_left: u64, next: u8) -> String {
    match lang {
        Lang::ZhCn => format!("再服务 {hours_left} 小时可升至 {next} 星"),
        Lang::En if next == 1 => format!("{hours_left} more hours to reach 1 star"),
        Lang::En => format!("{hours_left} more hours to reach {next} stars"),
    }
}

/// Whole hours still to serve for the next star (rounded up), from the account's figures.
pub fn hours_to_next(verified_minutes: u64, next_star_hours: u64) -> u64 {
    (next_star_hours * 60)
        .saturating_sub(verified_minutes)
        .div_ceil(60)
}

/// "2026年11月" / "November 2026".
pub fn month_name(lang: Lang, month: Month) -> String {
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    match lang {
        Lang::ZhCn => format!("{}年{}月", month.year(), month.month()),
        Lang::En => format!(
            "{} {}",
            EN[usize::from(month.month().clamp(1, 12)) - 1],
            month.year()
        ),
    }
}

/// "用 50 积分兑换「环保购物袋」？" / "Spend 50 points on 环保购物袋?"
pub fn redeem_question(lang: Lang, price: u32, item: &str) -> String {
    match lang {
        Lang::ZhCn => format!("用 {price} 积分兑换「{item}」？"),
        Lang::En => format!("Spend {} on {item}?", points(lang, u64::from(price))),
    }
}

pub fn line_kind(kind: PointsLineKind) -> Msg {
    match kind {
        PointsLineKind::Award => Msg::VolunteerLineAward,
        PointsLineKind::Redeem => Msg::VolunteerLineRedeem,
        PointsLineKind::CancelRedeem => Msg::VolunteerLineCancelRedeem,
    }
}

/// "库存 20" / "20 in stock".
pub fn stock(lang: Lang, n: u64) -> String {
    match lang {
        Lang::ZhCn => format!("{} {n}", Msg::VolunteerStock.text(lang)),
        Lang::En => format!("{n} in stock"),
    }
}
