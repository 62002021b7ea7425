//! 志愿: my points at a glance, then the community's activities, running and upcoming first.

use super::summary::PointsSummary;
use super::words::{award_rule, my_status, phase_chip, phase_name, signed_points, slots_left};
use super::{Volunteering, volunteering};
use crate::components::loaded::{failed, loading};
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use citizen_core::time::china_span;
use citizen_core::volunteer::ActivityView;
use leptos::prelude::*;

#[component]
pub fn VolunteerPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::ModuleVolunteer).to_owned()) />
        <p class="muted section">{i18n.text(Msg::VolunteerIntro)}</p>
        {volunteering(|v| view! {
            <PointsSummary v=v />
            <Activities v=v />
        }.into_any())}
    }
}

#[component]
fn Activities(v: Volunteering) -> impl IntoView {
    let i18n = use_i18n();
    let list = v.load(|b, t| async move { b.activities(&t).await });
    let body = move || match list.state.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || list.reload()),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted">{i18n.text(Msg::VolunteerNoActivities)}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="volunteer-list" data-testid="activity-list">
                {list.into_iter().map(item).collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <section class="section" aria-labelledby="volunteer-activities-heading">
            <h2 id="volunteer-activities-heading">{i18n.text(Msg::VolunteerActivities)}</h2>
            {body}
        </section>
    }
}

/// One activity in the list: what, when, where, places left, the points, the phase, and where my
/// sign-up stands.
fn item(a: ActivityView) -> impl IntoView {
    let i18n = use_i18n();
    let mine = a.mine.as_ref().map(|m| {
        let status = my_status(m, a.phase);
        let earned = m.points;
        view! {
            <span class="volunteer-mine" data-testid="activity-mine">
                {i18n.text(status)}
                {earned.map(|p| view! { " " {move || signed_points(i18n.lang.get(), i64::from(p))} })}
            </span>
        }
    });
    let (left, slots, award) = (a.slots_left, a.slots, a.award);
    view! {
        <li>
            <a class="volunteer-activity" href=app_href(&format!("/volunteer/activities/{}", a.id))
                data-testid="activity-item">
                <span class="volunteer-activity__top">
                    <span class="volunteer-activity__title">{a.title.clone()}</span>
                    {phase_chip(i18n, a.phase, phase_name)}
                </span>
                <span class="muted">{china_span(a.start, a.end)}</span>
                <span class="muted">{a.place.clone()}</span>
                <span class="volunteer-activity__facts">
                    <span data-testid="activity-slots-left">{move || slots_left(i18n.lang.get(), left, slots)}</span>
                    <span>{move || award_rule(i18n.lang.get(), award)}</span>
                </span>
                {mine}
            </a>
        </li>
    }
}
