//! 活动详情: what, when, where and for how many points; then my part, with the one or two things
//! I can do now: sign up or cancel, check in with the code, check out, or see what was verified.

use super::check_in::CheckInForm;
use super::words::{award_rule, phase_chip, phase_name, points, slots_left};
use super::{Volunteering, back_link, volunteering};
use crate::backend::error::Failure;
use crate::backend::volunteer::VolunteerError;
use crate::components::loaded::{failed, loading};
use crate::components::page_header::PageHeader;
use crate::i18n::{Msg, duration, use_i18n};
use citizen_core::route::RequestRef;
use citizen_core::time::china_span;
use citizen_core::volunteer::{ActivityPhase, ActivityView};
use leptos::prelude::*;

type Loaded = RwSignal<Option<Result<ActivityView, VolunteerError>>>;

#[component]
pub fn ActivityPage(id: RequestRef) -> impl IntoView {
    let i18n = use_i18n();
    let id = StoredValue::new(id.as_str().to_owned());
    let loaded: Loaded = RwSignal::new(None);
    let title = Signal::derive(move || {
        loaded.with(|l| match l {
            Some(Ok(a)) => a.title.clone(),
            _ => i18n.t(Msg::VolunteerActivity).to_owned(),
        })
    });
    view! {
        <PageHeader title=title />
        {back_link()}
        {volunteering(move |v| view! { <Detail v=v id=id loaded=loaded /> }.into_any())}
    }
}

#[component]
fn Detail(v: Volunteering, id: StoredValue<String>, loaded: Loaded) -> impl IntoView {
    let i18n = use_i18n();
    let loader = v.load_into(loaded, move |b, t| {
        let id = id.get_value();
        async move { b.activity(&t, &id).await }
    });
    // Outside the part that re-renders with each change, so the result is announced and stays.
    let notice = RwSignal::new(None::<Msg>);
    let detail = move || match loaded.get() {
        None => loading(),
        Some(Err(VolunteerError::NotFound)) => view! {
            <section class="card" data-testid="activity-not-found">
                <p>{i18n.text(Msg::VolunteerNotFound)}</p>
            </section>
        }
        .into_any(),
        Some(Err(e)) => failed(&e, move || loader.reload()),
        Some(Ok(a)) => {
            let (left, slots, award) = (a.slots_left, a.slots, a.award);
            view! {
                <section class="card section volunteer-detail" data-testid="activity">
                    <p class="volunteer-activity__top">{phase_chip(i18n, a.phase, phase_name)}</p>
                    <dl class="facts">
                        <dt>{i18n.text(Msg::VolunteerTime)}</dt>
                        <dd data-testid="activity-time">{china_span(a.start, a.end)}</dd>
                        <dt>{i18n.text(Msg::VolunteerPlace)}</dt>
                        <dd>{a.place.clone()}</dd>
                        <dt>{i18n.text(Msg::VolunteerCheckInOpens)}</dt>
                        <dd>{a.check_in_opens.china_minute_text()}</dd>
                        <dt>{i18n.text(Msg::VolunteerSlots)}</dt>
                        <dd data-testid="activity-slots-left">{move || slots_left(i18n.lang.get(), left, slots)}</dd>
                        <dt>{i18n.text(Msg::VolunteerAward)}</dt>
                        <dd>{move || award_rule(i18n.lang.get(), award)}</dd>
                    </dl>
                    {a.details.clone().map(|d| view! {
                        <h2 class="request__heading">{i18n.text(Msg::VolunteerAbout)}</h2>
                        <p class="request__description">{d}</p>
                    })}
                </section>
                <MyPart v=v id=id activity=a loaded=loaded notice=notice />
            }
            .into_any()
        }
    };
    view! {
        {detail}
        <p class="volunteer-notice" role="status" data-testid="volunteer-notice">
            {move || notice.get().map(|msg| i18n.t(msg))}
        </p>
    }
}

/// What my sign-up allows now.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Not signed up, places left, not ended.
    CanSignUp,
    Full,
    /// Not signed up, and it is over.
    Over,
    /// Signed up; check-in opens later.
    Waiting,
    /// Signed up, check-in open.
    CheckInOpen,
    /// Signed up, never checked in, and it ended.
    Missed,
    CheckedIn,
    /// Checked out; staff have yet to verify.
    Awaiting,
    Verified {
        minutes: u32,
        points: u32,
    },
}

fn stage(a: &ActivityView) -> Stage {
    let ended = a.phase == ActivityPhase::Ended;
    let Some(mine) = &a.mine else {
        return match (ended, a.slots_left) {
            (true, _) => Stage::Over,
            (false, 0) => Stage::Full,
            (false, _) => Stage::CanSignUp,
        };
    };
    if let (Some(minutes), Some(points)) = (mine.verified_minutes, mine.points) {
        return Stage::Verified { minutes, points };
    }
    match (&mine.checked_in_at, &mine.checked_out_at, a.phase) {
        (Some(_), Some(_), _) => Stage::Awaiting,
        (Some(_), None, _) => Stage::CheckedIn,
        (None, _, ActivityPhase::Upcoming) => Stage::Waiting,
        (None, _, ActivityPhase::CheckInOpen) => Stage::CheckInOpen,
        (None, _, ActivityPhase::Ended) => Stage::Missed,
    }
}

#[derive(Clone, Copy)]
enum Action {
    SignUp,
    Cancel,
    CheckOut,
}

#[component]
fn MyPart(
    v: Volunteering,
    id: StoredValue<String>,
    activity: ActivityView,
    loaded: Loaded,
    notice: RwSignal<Option<Msg>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let failure = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let shown = move |view: ActivityView, success: Msg| {
        failure.set(None);
        notice.set(Some(success));
        loaded.set(Some(Ok(view)));
    };
    let act = move |action: Action| {
        let id = id.get_value();
        v.call(
            busy,
            move |b, t| async move {
                match action {
                    Action::SignUp => b.sign_up(&t, &id).await,
                    Action::Cancel => b.cancel_sign_up(&t, &id).await,
                    Action::CheckOut => b.check_out(&t, &id).await,
                }
            },
            move |result| match result {
                Ok(view) => shown(
                    view,
                    match action {
                        Action::SignUp => Msg::VolunteerSignedUpNotice,
                        Action::Cancel => Msg::VolunteerCancelledNotice,
                        Action::CheckOut => Msg::VolunteerCheckedOutNotice,
                    },
                ),
                Err(e) => {
                    notice.set(None);
                    failure.set(Some(e.message()));
                }
            },
        );
    };
    let button = move |action: Action, label: Msg, primary: bool, testid: &'static str| {
        view! {
            <button type="button" class="button" class:button--primary=primary data-testid=testid
                prop:disabled=move || busy.get() on:click=move |_| act(action)>
                {i18n.text(label)}
            </button>
        }
    };
    let said = |msg: Msg| view! { <p data-testid="my-part-status">{i18n.text(msg)}</p> }.into_any();
    let now = stage(&activity);
    let body = match now {
        Stage::CanSignUp => view! {
            <div class="actions">{button(Action::SignUp, Msg::VolunteerSignUp, true, "sign-up")}</div>
        }
        .into_any(),
        Stage::Full => said(Msg::RefusalFull),
        Stage::Over => said(Msg::RefusalEnded),
        Stage::Waiting => view! {
            <p data-testid="my-part-status">{i18n.text(Msg::VolunteerMineSignedUp)}</p>
            <p class="muted">{i18n.text(Msg::VolunteerWaitForCheckIn)}</p>
            <div class="actions">{button(Action::Cancel, Msg::VolunteerCancelSignUp, false, "cancel-sign-up")}</div>
        }
        .into_any(),
        Stage::CheckInOpen => view! {
            <p data-testid="my-part-status">{i18n.text(Msg::VolunteerMineSignedUp)}</p>
            <CheckInForm v=v id=id
                on_done=Callback::new(move |view| shown(view, Msg::VolunteerCheckedInNotice)) />
            <div class="actions">{button(Action::Cancel, Msg::VolunteerCancelSignUp, false, "cancel-sign-up")}</div>
        }
        .into_any(),
        Stage::Missed => said(Msg::VolunteerMissed),
        Stage::CheckedIn => view! {
            <p data-testid="my-part-status">{i18n.text(Msg::VolunteerMineCheckedIn)}</p>
            <div class="actions">{button(Action::CheckOut, Msg::VolunteerCheckOut, true, "check-out")}</div>
        }
        .into_any(),
        Stage::Awaiting => said(Msg::VolunteerAwaiting),
        Stage::Verified { minutes, points: p } => view! {
            <p data-testid="my-part-status">{i18n.text(Msg::VolunteerMineVerified)}</p>
            <dl class="facts">
                <dt>{i18n.text(Msg::VolunteerVerifiedTime)}</dt>
                <dd data-testid="verified-time">{move || duration(i18n.lang.get(), i64::from(minutes), false)}</dd>
                <dt>{i18n.text(Msg::VolunteerPointsEarned)}</dt>
                <dd data-testid="points-earned">{move || points(i18n.lang.get(), u64::from(p))}</dd>
            </dl>
        }
        .into_any(),
    };
    view! {
        <section class="section card volunteer-part" aria-labelledby="my-part-heading" data-testid="my-part">
            <h2 id="my-part-heading">{i18n.text(Msg::VolunteerMyPart)}</h2>
            {body}
            {move || failure.get().map(|msg| view! {
                <p class="notice notice--error" role="alert" data-testid="volunteer-error">{i18n.text(msg)}</p>
            })}
        </section>
    }
}
