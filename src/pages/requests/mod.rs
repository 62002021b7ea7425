//! 诉求: my requests, filing one, and following one through the closed loop. Every screen needs
//! a sign-in (the server keeps each person's own requests) and a backend that is written.

pub(crate) mod command;
mod detail_page;
mod gallery;
mod list_page;
mod new_page;
mod photo_picker;
mod queued;
pub mod words;

pub use detail_page::RequestPage;
pub use list_page::RequestsPage;
pub use new_page::NewRequestPage;

use crate::backend::requests::RequestsBackend;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use crate::state::acting::acting;
use crate::state::session::use_session;
use crate::state::use_config;
use leptos::prelude::*;

/// Renders `screen` with the backend and the acting person's token (on `local`, the demo
/// identity's id); otherwise says that nobody is signed in (with the way to 我的).
pub fn signed_in(
    screen: impl Fn(RequestsBackend, StoredValue<String>) -> AnyView + Send + Sync + 'static,
) -> AnyView {
    let i18n = use_i18n();
    let backend = RequestsBackend::from_config(&use_config());
    let session = use_session();
    let token = Memo::new(move |_| acting(backend, session).map(|a| a.token));
    (move || match token.get() {
        Some(token) => screen(backend, StoredValue::new(token)),
        None => view! {
            <section class="card" data-testid="requests-sign-in">
                <p>{i18n.text(Msg::RequestsSignIn)}</p>
                <div class="actions">
                    <a href=app_href("/me") class="button button--primary">{i18n.text(Msg::GoSignIn)}</a>
                </div>
            </section>
        }
        .into_any(),
    })
    .into_any()
}
