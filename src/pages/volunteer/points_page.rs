//! 积分明细: my balance, star level and time served, then every change to my points, newest
//! first, each with the balance after it.

use super::summary::figures;
use super::words::{line_kind, signed_points};
use super::{Volunteering, back_link, volunteering};
use crate::components::loaded::loaded;
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, duration, use_i18n};
use citizen_core::volunteer::{PointsAccount, PointsHistoryLine, PointsLineKind};
use leptos::prelude::*;

#[component]
pub fn PointsPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::VolunteerPointsHistory).to_owned()) />
        {back_link()}
        {volunteering(|v| view! { <Account v=v /> }.into_any())}
    }
}

#[component]
fn Account(v: Volunteering) -> impl IntoView {
    let account = v.load(|b, t| async move { b.points(&t).await });
    loaded(account, shown)
}

fn shown(account: PointsAccount) -> impl IntoView {
    let i18n = use_i18n();
    let served = account.verified_minutes;
    let history = account.history.clone();
    view! {
        <section class="section card" aria-labelledby="volunteer-points-heading">
            <h2 id="volunteer-points-heading">{i18n.text(Msg::VolunteerMyPoints)}</h2>
            {figures(account)}
            <dl class="volunteer-figures">
                <div class="volunteer-figures__item">
                    <dt>{i18n.text(Msg::VolunteerHoursServed)}</dt>
                    <dd data-testid="volunteer-hours">{move || duration(i18n.lang.get(), served as i64, false)}</dd>
                </div>
            </dl>
        </section>
        <section class="section" aria-labelledby="volunteer-history-heading">
            <h2 id="volunteer-history-heading">{i18n.text(Msg::VolunteerPointsHistory)}</h2>
            {if history.is_empty() {
                view! { <p class="muted" data-testid="points-empty">{i18n.text(Msg::VolunteerHistoryEmpty)}</p> }.into_any()
            } else {
                view! {
                    <ol class="volunteer-history" data-testid="points-history">
                        {history.into_iter().map(line).collect_view()}
                    </ol>
                }
                .into_any()
            }}
        </section>
    }
}

/// One line: when, what, the change and the balance after; a cancelled redemption says so.
fn line(l: PointsHistoryLine) -> impl IntoView {
    let i18n = use_i18n();
    let (delta, balance) = (l.delta, l.balance);
    let cancelled = l.cancelled && l.kind == PointsLineKind::Redeem;
    view! {
        <li class="volunteer-line" data-testid="points-line" data-kind=kind_key(l.kind)>
            <span class="volunteer-line__what">
                {i18n.text(line_kind(l.kind))}" · "{l.what.clone()}
                {cancelled.then(|| view! {
                    " "<span class="volunteer-cancelled" data-testid="points-line-cancelled">{i18n.text(Msg::VolunteerLineCancelled)}</span>
                })}
            </span>
            <span class="volunteer-line__date muted">{l.at.china_day_text()}</span>
            <span class="volunteer-line__delta" data-testid="points-line-delta">{move || signed_points(i18n.lang.get(), delta)}</span>
            <span class="volunteer-line__balance" data-testid="points-line-balance">
                <span class="visually-hidden">{i18n.text(Msg::VolunteerBalanceAfter)}" "</span>
                {move || super::words::points(i18n.lang.get(), balance)}
            </span>
        </li>
    }
}

fn kind_key(kind: PointsLineKind) -> &'static str {
    match kind {
        PointsLineKind::Award => "award",
        PointsLineKind::Redeem => "redeem",
        PointsLineKind::CancelRedeem => "cancel-redeem",
    }
}
