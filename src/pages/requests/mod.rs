//! 诉求: my requests, filing one, and following one through the closed loop. Every screen needs
//! a sign-in (the server keeps each person's own requests) and a backend that is written.

mod city_form;
pub(crate) mod command;
mod detail_page;
mod gallery;
mod list_page;
mod messages;
mod new_page;
mod photo_picker;
mod queued;
pub mod words;

pub use detail_page::RequestPage;
pub use list_page::RequestsPage;
pub use new_page::{NewRequestPage, forget_draft};

use crate::backend::requests::RequestsBackend;
use crate::components::sign_in_prompt::SignInPrompt;
use crate::i18n::Msg;
use crate::state::acting::acting;
use crate::state::session::use_session;
use crate::state::use_backends;
use leptos::prelude::*;

/// Renders `screen` with the backend and the acting person's token (on `local`, the demo
/// identity's id); otherwise says that nobody is signed in (with the way to 我的).
pub fn signed_in(
    screen: impl Fn(RequestsBackend, StoredValue<String>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let backend = use_backends().requests;
    let session = use_session();
    let token = Memo::new(move |_| acting(backend, session).map(|a| a.token));
    (move || match token.get() {
        Some(token) => screen(backend, StoredValue::new(token)),
        None => view! { <SignInPrompt message=Msg::RequestsSignIn testid="requests-sign-in" /> }
            .into_any(),
    })
    .into_any()
}
