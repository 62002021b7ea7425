use super::sms_code::{mobile_field, mobile_problem};
use crate::backend::account::{AccountError, AccountField};
use crate::browser::dom::focus;
use crate::components::field::{Field, field};
use crate::components::notice::failure_notice;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use crate::state::loader::act;
use crate::state::session::{SessionState, TYPED_MOBILE};
use crate::state::use_config;
use crate::storage::screen;
use citizen_core::account::{PasswordError, TypedPassword};
use citizen_core::api::SignIn;
use citizen_core::phone::MobileNumber;
use leptos::prelude::*;

const MOBILE: &str = "sign-in-mobile";
const PASSWORD: &str = "sign-in-password";

fn password_problem(e: &PasswordError) -> Msg {
    match e {
        PasswordError::TooShort { .. } => Msg::PasswordEmpty,
        PasswordError::TooLong { .. } => Msg::PasswordTooLong,
        PasswordError::OnlyDigits => Msg::PasswordRefused,
    }
}

/// Sign in with a mobile number and password. Checked here first with the core's own rules, so
/// a mistyped number never leaves the phone; what was typed stays on every error, and the
/// number survives a reload of this tab (the password never is kept anywhere). Under it, the ways
/// to a new account (where the configuration names the community) and to a new password.
#[component]
pub fn SignInForm(session: SessionState) -> impl IntoView {
    let i18n = use_i18n();
    let sign_up = use_config().community_id.is_some().then(|| {
        view! { <a href=app_href("/me/sign-up") class="text-link">{i18n.text(Msg::SignUpLink)}</a> }
    });
    let mobile = RwSignal::new(screen::recall(TYPED_MOBILE).unwrap_or_default());
    let password = RwSignal::new(String::new());
    let mobile_error = RwSignal::new(None::<Msg>);
    let password_error = RwSignal::new(None::<Msg>);
    let failure = RwSignal::new(None::<AccountError>);
    let sending = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        failure.set(None);
        let number = MobileNumber::parse(&mobile.get_untracked());
        let typed = TypedPassword::parse(&password.get_untracked());
        mobile_error.set(number.as_ref().err().map(mobile_problem));
        password_error.set(typed.as_ref().err().map(password_problem));
        let (Ok(number), Ok(typed)) = (number, typed) else {
            focus(if mobile_error.get_untracked().is_some() {
                MOBILE
            } else {
                PASSWORD
            });
            return;
        };
        act(
            sending,
            async move {
                session
                    .sign_in(SignIn {
                        mobile: number,
                        password: typed,
                    })
                    .await
            },
            move |result| match result {
                Ok(()) => {}
                Err(AccountError::Field(AccountField::Mobile)) => {
                    mobile_error.set(Some(Msg::MobileInvalid));
                    focus(MOBILE);
                }
                Err(AccountError::Field(AccountField::Password)) => {
                    password_error.set(Some(Msg::PasswordRefused));
                    focus(PASSWORD);
                }
                Err(e) => {
                    leptos::logging::warn!("sign-in failed: {e}");
                    failure.set(Some(e));
                }
            },
        );
    };

    let mobile_field = mobile_field(MOBILE, "sign-in-mobile-error");
    let password_field = Field {
        id: PASSWORD,
        name: "password",
        error_id: "sign-in-password-error",
        error_testid: "password-error",
        label: Msg::PasswordLabel,
        kind: "password",
        inputmode: None,
        autocomplete: "current-password",
        remember: None,
        hint: None,
    };

    view! {
        <form class="form" data-testid="sign-in" on:submit=submit>
            <p class="muted">{i18n.text(Msg::SignInIntro)}</p>
            {field(i18n, mobile_field, mobile, mobile_error)}
            {field(i18n, password_field, password, password_error)}
            {failure_notice(failure, "sign-in-error")}
            <div class="actions">
                <button type="submit" class="button button--primary" data-testid="sign-in-submit"
                    disabled=move || sending.get()>
                    {move || i18n.t(if sending.get() { Msg::SigningIn } else { Msg::SignIn })}
                </button>
            </div>
            <p class="account-links">
                {sign_up}
                <a href=app_href("/me/reset-password") class="text-link">{i18n.text(Msg::ForgotPasswordLink)}</a>
            </p>
        </form>
    }
}
