//! 工作台: the community staff's workspace. Every screen needs a staff sign-in; the server checks
//! it again on every call.

mod requests_page;

pub use requests_page::StaffRequestsPage;

use crate::backend::requests::RequestsBackend;
use crate::components::notice::ErrorNotice;
use crate::components::page_header::PageHeader;
use crate::components::sign_in_prompt::SignInPrompt;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use crate::state::acting::acting;
use crate::state::session::use_session;
use crate::state::use_config;
use leptos::prelude::*;

/// Renders `screen` for a signed-in staff member; otherwise says plainly why not, with the way
/// to 我的.
fn staff_only(
    screen: impl Fn(RequestsBackend, StoredValue<String>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let backend = RequestsBackend::from_config(&use_config());
    if let Some(e) = backend.staff_unsupported() {
        return view! { <ErrorNotice message=e.message() /> }.into_any();
    }
    let session = use_session();
    // Some(token) for staff, Some("") for someone else, None for nobody.
    let who = Memo::new(move |_| {
        acting(backend, session).map(|a| if a.staff { a.token } else { String::new() })
    });
    (move || match who.get() {
        Some(token) if !token.is_empty() => screen(backend, StoredValue::new(token)),
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

/// 工作台: the staff's tools, one link each.
#[component]
pub fn StaffPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::ModuleStaff).to_owned()) />
        {staff_only(move |_, _| view! {
            <ul class="request-list" data-testid="staff-home">
                <li>
                    <a class="request-item" href=app_href("/staff/requests")>
                        <span class="request-item__tracking">{i18n.text(Msg::StaffRequests)}</span>
                        <span class="muted">{i18n.text(Msg::StaffRequestsHint)}</span>
                    </a>
                </li>
            </ul>
        }.into_any())}
    }
}
