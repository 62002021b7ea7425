//! 我的 › 忘记密码: a new password with an SMS code. On success every sign-in of the account has
//! ended on the server, and the person goes to the sign-in form with the number filled in and a
//! notice saying to use the new password.

use super::account_page::{ChosenPassword, account_page};
use super::sms_code::{CODE, MOBILE, NumberAndCode, focus_first};
use crate::backend::account::{AccountError, RestAccounts};
use crate::components::notice::failure_notice;
use crate::i18n::{Msg, use_i18n};
use crate::router::{app_href, use_navigation};
use crate::state::loader::act;
use crate::state::session::{SessionState, TYPED_MOBILE};
use crate::storage::screen;
use citizen_core::api::PasswordReset;
use citizen_core::sms::SmsPurpose;
use leptos::prelude::*;

const PASSWORD: &str = "reset-password";

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    account_page(Msg::ResetTitle, |session| {
        Ok(view! { <ResetPasswordForm session=session /> }.into_any())
    })
}

#[component]
fn ResetPasswordForm(session: SessionState) -> impl IntoView {
    let i18n = use_i18n();
    let navigation = use_navigation();
    let numbers = NumberAndCode::new(SmsPurpose::Reset);
    let password = ChosenPassword::new(ChosenPassword::field(
        PASSWORD,
        "reset-password-error",
        "reset-password-hint",
        Msg::NewPasswordLabel,
    ));
    let failure = RwSignal::new(None::<AccountError>);
    let sending = RwSignal::new(false);
    let fields = move || {
        [
            (MOBILE, numbers.mobile_error),
            (CODE, numbers.code_error),
            (PASSWORD, password.error),
        ]
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        failure.set(None);
        let (Some((mobile, code)), Some(chosen)) = (numbers.parse(), password.parse()) else {
            focus_first(&fields());
            return;
        };
        let number = mobile.as_str().to_owned();
        let request = PasswordReset {
            mobile,
            code,
            password: chosen,
        };
        act(
            sending,
            async move { RestAccounts.reset_password(&request).await },
            move |result| match result {
                Ok(()) => {
                    // The sign-in form reads the number as it appears.
                    screen::remember(TYPED_MOBILE, &number);
                    session.notice.set(Some(Msg::PasswordUpdated));
                    navigation.navigate("/me");
                }
                Err(e) => {
                    if !(numbers.place(&e) || password.place(&e)) {
                        leptos::logging::warn!("the new password was not set: {e}");
                        failure.set(Some(e));
                    }
                    focus_first(&fields());
                }
            },
        );
    };

    view! {
        <form class="form" data-testid="reset-password" novalidate on:submit=submit>
            <p class="muted">{i18n.text(Msg::ResetIntro)}</p>
            {numbers.view(i18n)}
            {password.view(i18n)}
            {failure_notice(failure, "reset-error")}
            <div class="actions">
                <button type="submit" class="button button--primary" data-testid="reset-submit"
                    disabled=move || sending.get()>
                    {move || i18n.t(if sending.get() { Msg::Resetting } else { Msg::ResetSubmit })}
                </button>
                <a href=app_href("/me") class="text-link">{i18n.text(Msg::BackToSignIn)}</a>
            </div>
        </form>
    }
}
