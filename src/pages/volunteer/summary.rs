//! My points at a glance: the balance, the star level and what the next star takes, with the
//! ways to the history, the mall and the leaderboard.

use super::Volunteering;
use super::words::{hours_to_next, points, stars, to_next_star};
use crate::components::loaded::{failed, loading};
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use citizen_core::volunteer::PointsAccount;
use leptos::prelude::*;

#[component]
pub fn PointsSummary(v: Volunteering) -> impl IntoView {
    let i18n = use_i18n();
    let account = v.load(|b, t| async move { b.points(&t).await });
    let figures = move || match account.state.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || account.reload()),
        Some(Ok(account)) => figures(account).into_any(),
    };
    view! {
        <section class="section card volunteer-summary" aria-labelledby="volunteer-points-heading"
            data-testid="volunteer-summary">
            <h2 id="volunteer-points-heading">{i18n.text(Msg::VolunteerMyPoints)}</h2>
            {figures}
            <ul class="volunteer-links">
                <li><a class="button button--quiet" href=app_href("/volunteer/points")>{i18n.text(Msg::VolunteerPointsHistory)}</a></li>
                <li><a class="button button--quiet" href=app_href("/volunteer/mall")>{i18n.text(Msg::VolunteerMall)}</a></li>
                <li><a class="button button--quiet" href=app_href("/volunteer/leaderboard")>{i18n.text(Msg::VolunteerLeaderboard)}</a></li>
            </ul>
        </section>
    }
}

/// The balance and star level, as on the summary and the history.
pub fn figures(account: PointsAccount) -> impl IntoView {
    let i18n = use_i18n();
    let balance = account.balance;
    let level = account.stars.stars();
    let next = account
        .next_star_hours
        .map(|h| (hours_to_next(account.verified_minutes, h), level + 1));
    view! {
        <dl class="volunteer-figures">
            <div class="volunteer-figures__item">
                <dt>{i18n.text(Msg::VolunteerBalance)}</dt>
                <dd class="volunteer-figures__balance" data-testid="volunteer-points-balance">
                    {move || points(i18n.lang.get(), balance)}
                </dd>
            </div>
            <div class="volunteer-figures__item">
                <dt>{i18n.text(Msg::VolunteerStarLevel)}</dt>
                <dd data-testid="volunteer-stars">
                    <span class="volunteer-stars" aria-hidden="true">
                        {(0..5u8).map(|i| if i < level { '★' } else { '☆' }).collect::<String>()}
                    </span>
                    " "
                    {move || stars(i18n.lang.get(), level)}
                </dd>
            </div>
        </dl>
        {next.map(|(hours, star)| view! {
            <p class="muted" data-testid="volunteer-next-star">{move || to_next_star(i18n.lang.get(), hours, star)}</p>
        })}
    }
}
