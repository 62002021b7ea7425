use super::activity_form::ActivityForm;
use super::volunteer_staff;
use super::words::{phase_name, signed_up};
use crate::backend::volunteer::VolunteerBackend;
use crate::components::loaded::{failed, loading};
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, use_i18n};
use crate::pages::volunteer::words::phase_chip;
use crate::router::{app_href, use_navigation};
use crate::state::loader::Loader;
use citizen_core::time::china_span;
use citizen_core::volunteer::ActivityView;
use leptos::prelude::*;

/// 活动管理: the community's activities, each to its own page, and the form for a new one.
#[component]
pub fn StaffActivitiesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::StaffActivities).to_owned()) />
        {volunteer_staff(|backend, token| view! { <Activities backend=backend token=token /> }.into_any())}
    }
}

#[component]
fn Activities(backend: VolunteerBackend, token: StoredValue<String>) -> impl IntoView {
    let i18n = use_i18n();
    let navigation = use_navigation();
    let list = Loader::new(move || async move { backend.activities(&token.get_value()).await });
    let created = Callback::new(move |activity: ActivityView| {
        navigation.navigate(&format!("/staff/activities/{}", activity.id));
    });

    let activities = move || {
        match list.state.get() {
        None => loading(),
        Some(Err(e)) => failed(&e, move || list.reload()),
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="muted">{i18n.text(Msg::StaffNoActivities)}</p> }.into_any()
        }
        Some(Ok(list)) => view! {
            <ul class="request-list" data-testid="staff-activities">
                {list.into_iter().map(|a| {
                    let taken = a.slots.saturating_sub(a.slots_left);
                    view! {
                        <li>
                            <a class="request-item" href=app_href(&format!("/staff/activities/{}", a.id))
                                data-testid="staff-activity" data-id=a.id.clone()>
                                <span class="request-item__top">
                                    <span class="request-item__tracking">{a.title.clone()}</span>
                                    {phase_chip(i18n, a.phase, phase_name)}
                                </span>
                                <span>{china_span(a.start, a.end)}</span>
                                <span class="muted">{move || signed_up(i18n.lang.get(), taken, a.slots)}</span>
                            </a>
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
        .into_any(),
    }
    };
    view! {
        <section class="section" aria-labelledby="activities-heading">
            <h2 id="activities-heading">{i18n.text(Msg::StaffAllActivities)}</h2>
            {activities}
        </section>
        <section class="section" aria-labelledby="new-activity-heading">
            <h2 id="new-activity-heading">{i18n.text(Msg::StaffActivityNew)}</h2>
            <ActivityForm backend=backend token=token on_saved=created />
        </section>
    }
}
