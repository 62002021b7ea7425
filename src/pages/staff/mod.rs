//! 工作台: the community staff's workspace. Every screen needs a staff sign-in; the server checks
//! it again on every call.

mod activities_page;
mod activity_form;
mod activity_page;
mod checkin_page;
mod mall_page;
mod messages;
mod qr;
mod requests_page;
mod timebank_page;
mod words;

pub use activities_page::StaffActivitiesPage;
pub use activity_page::StaffActivityPage;
pub use checkin_page::StaffCheckInPage;
pub use mall_page::StaffMallPage;
pub use requests_page::StaffRequestsPage;
pub use timebank_page::StaffTimebankPage;

use crate::backend::error::Failure;
use crate::backend::requests::RequestsBackend;
use crate::backend::timebank::TimebankBackend;
use crate::backend::volunteer::VolunteerBackend;
use crate::components::notice::ErrorNotice;
use crate::components::page_header::PageHeader;
use crate::components::sign_in_prompt::SignInPrompt;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use crate::state::acting::{DemoPerson, acting_as};
use crate::state::session::use_session;
use crate::state::use_backends;
use crate::state::use_config;
use citizen_core::module::Module;
use leptos::prelude::*;

/// `screen` with the staff member's token once `who` (`Some(token)` for staff, `Some("")` for
/// someone else, `None` for nobody) says so; otherwise why not, with the way to 我的.
fn for_staff(
    who: Memo<Option<String>>,
    screen: impl Fn(StoredValue<String>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    (move || match who.get() {
        Some(token) if !token.is_empty() => screen(StoredValue::new(token)),
        other => {
            let msg = match other {
                Some(_) => Msg::StaffOnly,
                None => Msg::StaffSignIn,
            };
            view! { <SignInPrompt message=msg testid="staff-only" /> }.into_any()
        }
    })
    .into_any()
}

/// Who acts, as [`for_staff`] wants it, on a module whose backend is in this browser (`local`:
/// the demo identity) or not (the signed-in person).
fn staff_token(local: bool) -> Memo<Option<String>> {
    let session = use_session();
    Memo::new(move |_| {
        acting_as(local, session).map(|a| if a.staff { a.token } else { String::new() })
    })
}

/// Renders `screen` for a signed-in staff member; otherwise says plainly why not, with the way
/// to 我的.
fn staff_only(
    screen: impl Fn(RequestsBackend, StoredValue<String>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let backend = use_backends().requests;
    if let Some(e) = backend.staff_unsupported() {
        return view! { <ErrorNotice message=e.message() /> }.into_any();
    }
    let local = matches!(backend, RequestsBackend::Local(_));
    for_staff(staff_token(local), move |token| screen(backend, token))
}

/// What stands before a staff screen of `module` whatever the sign-in: the community has not
/// switched the module on, or its configured backend does not have it (`None`).
fn module_closed(module: Module, configured: bool) -> Option<AnyView> {
    let msg = if !use_config().is_enabled(module) {
        Msg::ModuleDisabledBody
    } else if !configured {
        Msg::BackendUnsupported
    } else {
        return None;
    };
    Some(view! { <ErrorNotice message=msg /> }.into_any())
}

/// [`staff_only`] for the volunteering screens (activities, check-in, the mall).
fn volunteer_staff(
    screen: impl Fn(VolunteerBackend, StoredValue<String>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let backend = use_backends().volunteer;
    if let Some(closed) = module_closed(Module::Volunteer, backend.is_some()) {
        return closed;
    }
    let Some(backend) = backend else {
        return ().into_any();
    };
    for_staff(staff_token(backend.is_local()), move |token| {
        screen(backend, token)
    })
}

/// [`staff_only`] for the time bank's review screen.
fn timebank_staff(
    screen: impl Fn(TimebankBackend, StoredValue<String>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let backend = use_backends().timebank;
    if let Some(closed) = module_closed(Module::Timebank, backend.is_some()) {
        return closed;
    }
    let Some(backend) = backend else {
        return ().into_any();
    };
    let local = matches!(backend, TimebankBackend::Local(_));
    for_staff(staff_token(local), move |token| screen(backend, token))
}

/// The person id under which the acting staff member appears in an activity's attendee list
/// (on `local`, the demo identity's member id), to not offer verifying their own attendance.
fn my_person_id(local: bool) -> Option<i64> {
    acting_as(local, use_session()).map(|a| match local {
        true => DemoPerson::from_id(&a.token).map_or(a.person, DemoPerson::member_id),
        false => a.person,
    })
}

/// 工作台: the staff's tools, one link each, for the modules this community offers.
#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let backends = use_backends();
    let requests =
        config.is_enabled(Module::Requests) && backends.requests.staff_unsupported().is_none();
    let volunteer = config.is_enabled(Module::Volunteer) && backends.volunteer.is_some();
    let timebank = config.is_enabled(Module::Timebank) && backends.timebank.is_some();
    // Who acts: the demo identity when the requests (or else volunteering) stay in this browser.
    let local = match (requests, backends.volunteer) {
        (true, _) => matches!(backends.requests, RequestsBackend::Local(_)),
        (false, Some(backend)) => backend.is_local(),
        (false, None) => false,
    };
    let link = move |path: &'static str, title: Msg, hint: Msg| {
        view! {
            <li>
                <a class="request-item" href=app_href(path)>
                    <span class="request-item__tracking">{i18n.text(title)}</span>
                    <span class="muted">{i18n.text(hint)}</span>
                </a>
            </li>
        }
    };
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::ModuleStaff).to_owned()) />
        {for_staff(staff_token(local), move |_| view! {
            <ul class="request-list" data-testid="staff-home">
                {requests.then(|| link("/staff/requests", Msg::StaffRequests, Msg::StaffRequestsHint))}
                {volunteer.then(|| link("/staff/activities", Msg::StaffActivities, Msg::StaffActivitiesHint))}
                {timebank.then(|| link("/staff/timebank", Msg::StaffTimebank, Msg::StaffTimebankHint))}
                {volunteer.then(|| link("/staff/mall", Msg::StaffMall, Msg::StaffMallHint))}
            </ul>
        }.into_any())}
    }
}
