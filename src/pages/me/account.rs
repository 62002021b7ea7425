use super::sign_in_form::SignInForm;
use super::signed_in_card::SignedInCard;
use crate::i18n::{Msg, use_i18n};
use crate::state::session::use_session;
use leptos::prelude::*;

/// 我的 › 账号: the sign-in form or the signed-in person; on static hosting, where there are no
/// accounts, one line saying where the data lives.
#[component]
pub fn AccountSection() -> impl IntoView {
    let i18n = use_i18n();
    let Some(session) = use_session() else {
        return view! {
            <section class="section card" aria-labelledby="account-heading">
                <h2 id="account-heading">{i18n.text(Msg::Account)}</h2>
                <p data-testid="device-only">{i18n.text(Msg::DataStaysOnDevice)}</p>
            </section>
        }
        .into_any();
    };
    // Switch views only on signing in or out, so a refreshed person does not reset the form.
    let signed_in = Memo::new(move |_| session.current.with(Option::is_some));
    let notice = move || {
        session.notice.get().map(|msg| {
            view! {
                <p class="notice notice--info" role="status" data-testid="session-notice">
                    {i18n.text(msg)}
                </p>
            }
        })
    };
    view! {
        <section class="section card" aria-labelledby="account-heading">
            <h2 id="account-heading">{i18n.text(Msg::Account)}</h2>
            {notice}
            {move || if signed_in.get() {
                view! { <SignedInCard session=session /> }.into_any()
            } else {
                view! { <SignInForm session=session /> }.into_any()
            }}
        </section>
    }
    .into_any()
}
