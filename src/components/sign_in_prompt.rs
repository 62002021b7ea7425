//! "Sign in first": why a screen needs a sign-in, and the way to 我的.

use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use leptos::prelude::*;

#[component]
pub fn SignInPrompt(message: Msg, testid: &'static str) -> impl IntoView {
    let i18n = use_i18n();
    // An embedding host may sign the person in itself (`sign-in`, then `auth`).
    crate::embed::tell(|| crate::embed::Told::SignIn);
    view! {
        <section class="card" data-testid=testid>
            <p>{i18n.text(message)}</p>
            <div class="actions">
                <a href=app_href("/me") class="button button--primary">{i18n.text(Msg::GoSignIn)}</a>
            </div>
        </section>
    }
}
