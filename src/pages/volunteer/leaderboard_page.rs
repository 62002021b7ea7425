//! 排行榜: this month's points earned in the community, names shortened, my own row marked.

use super::words::{month_name, points};
use super::{Volunteering, back_link, volunteering};
use crate::components::loaded::loaded;
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, duration, use_i18n};
use citizen_core::volunteer::{LeaderboardPlace, LeaderboardView};
use leptos::prelude::*;

#[component]
pub fn LeaderboardPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::VolunteerLeaderboard).to_owned()) />
        {back_link()}
        <p class="muted section">{i18n.text(Msg::VolunteerLeaderboardIntro)}</p>
        {volunteering(|v| view! { <Board v=v /> }.into_any())}
    }
}

#[component]
fn Board(v: Volunteering) -> impl IntoView {
    let board = v.load(|b, t| async move { b.leaderboard(&t, None).await });
    loaded(board, table)
}

fn table(board: LeaderboardView) -> impl IntoView {
    let i18n = use_i18n();
    let month = board.month;
    let body = if board.rows.is_empty() {
        view! { <p class="muted" data-testid="leaderboard-empty">{i18n.text(Msg::VolunteerLeaderboardEmpty)}</p> }
            .into_any()
    } else {
        view! {
            <table class="volunteer-board" data-testid="leaderboard">
                <caption class="visually-hidden">{move || month_name(i18n.lang.get(), month)}</caption>
                <thead>
                    <tr>
                        <th scope="col">{i18n.text(Msg::VolunteerRank)}</th>
                        <th scope="col">{i18n.text(Msg::VolunteerName)}</th>
                        <th scope="col" class="volunteer-board__number">{i18n.text(Msg::VolunteerPoints)}</th>
                        <th scope="col" class="volunteer-board__number">{i18n.text(Msg::VolunteerHours)}</th>
                    </tr>
                </thead>
                <tbody>{board.rows.into_iter().map(row).collect_view()}</tbody>
            </table>
        }
        .into_any()
    };
    view! {
        <section class="section card" aria-labelledby="volunteer-board-heading">
            <h2 id="volunteer-board-heading" data-testid="leaderboard-month">{move || month_name(i18n.lang.get(), month)}</h2>
            {body}
        </section>
    }
}

fn row(place: LeaderboardPlace) -> impl IntoView {
    let i18n = use_i18n();
    let me = place.me;
    let (score, minutes) = (place.points, place.verified_minutes);
    view! {
        <tr class="volunteer-board__row" class:volunteer-board__row--me=me
            aria-current=me.then_some("true") data-testid="leaderboard-row">
            <td>{place.rank}</td>
            <th scope="row">
                {place.name.clone()}
                {me.then(|| view! { " "<span class="volunteer-board__me">{i18n.text(Msg::VolunteerMe)}</span> })}
            </th>
            <td class="volunteer-board__number">{move || points(i18n.lang.get(), score)}</td>
            <td class="volunteer-board__number">{move || duration(i18n.lang.get(), minutes as i64, false)}</td>
        </tr>
    }
}
