//! 我的 › 注册新账号: a new resident with a mobile number, an SMS code, a name and a password,
//! in the configured community. Checked here first with the core's rules; on success the person
//! is signed in (the session's one way, `SessionState::sign_up`) and lands on 我的.

use super::account_page::{ChosenPassword, account_page};
use super::sms_code::{CODE, MOBILE, NumberAndCode, focus_first};
use crate::backend::account::{AccountError, AccountField};
use crate::components::field::{Field, field};
use crate::components::notice::failure_notice;
use crate::i18n::{Msg, use_i18n};
use crate::router::{app_href, use_navigation};
use crate::state::loader::act;
use crate::state::session::SessionState;
use crate::state::use_config;
use citizen_core::account::DisplayName;
use citizen_core::api::NewAccount;
use citizen_core::sms::SmsPurpose;
use citizen_core::text::TextError;
use leptos::prelude::*;

const NAME: &str = "sign-up-name";
const PASSWORD: &str = "sign-up-password";

fn name_problem(e: &TextError) -> Msg {
    match e {
        TextError::TooShort { .. } => Msg::NameEmpty,
        TextError::TooLong { .. } => Msg::NameTooLong,
    }
}

/// Offered where the configuration names the community on the server (`community_id`).
#[component]
pub fn SignUpPage() -> impl IntoView {
    let community = use_config().community_id.clone();
    account_page(Msg::SignUpTitle, move |session| match community {
        Some(community) => {
            Ok(view! { <SignUpForm session=session community=community /> }.into_any())
        }
        None => Err(Msg::SignUpUnavailable),
    })
}

#[component]
fn SignUpForm(session: SessionState, community: String) -> impl IntoView {
    let i18n = use_i18n();
    let navigation = use_navigation();
    let config = use_config();
    let numbers = NumberAndCode::new(SmsPurpose::SignUp);
    let name = RwSignal::new(String::new());
    let name_error = RwSignal::new(None::<Msg>);
    let password = ChosenPassword::new(ChosenPassword::field(
        PASSWORD,
        "sign-up-password-error",
        "sign-up-password-hint",
        Msg::ChoosePasswordLabel,
    ));
    let failure = RwSignal::new(None::<AccountError>);
    let sending = RwSignal::new(false);
    let fields = move || {
        [
            (MOBILE, numbers.mobile_error),
            (CODE, numbers.code_error),
            (NAME, name_error),
            (PASSWORD, password.error),
        ]
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if sending.get_untracked() {
            return;
        }
        failure.set(None);
        let typed = numbers.parse();
        let chosen_name = DisplayName::parse(&name.get_untracked());
        name_error.set(chosen_name.as_ref().err().map(name_problem));
        let (Some((mobile, code)), Ok(name), Some(chosen)) = (typed, chosen_name, password.parse())
        else {
            focus_first(&fields());
            return;
        };
        let request = NewAccount {
            mobile,
            code,
            name,
            password: chosen,
            community: community.clone(),
        };
        act(
            sending,
            async move { session.sign_up(request).await },
            move |result| match result {
                Ok(()) => {
                    session.notice.set(Some(Msg::SignUpWelcome));
                    navigation.navigate("/me");
                }
                Err(AccountError::Field(AccountField::Name)) => {
                    name_error.set(Some(Msg::NameRefused));
                    focus_first(&fields());
                }
                Err(e) => {
                    if !(numbers.place(&e) || password.place(&e)) {
                        leptos::logging::warn!("sign-up failed: {e}");
                        failure.set(Some(e));
                    }
                    focus_first(&fields());
                }
            },
        );
    };

    let name_field = Field {
        id: NAME,
        name: "name",
        error_id: "sign-up-name-error",
        error_testid: "name-error",
        label: Msg::NameLabel,
        kind: "text",
        inputmode: None,
        autocomplete: "name",
        remember: None,
        hint: Some(("sign-up-name-hint", Msg::NameHint)),
    };
    let community_name = move || config.community.get(i18n.lang.get()).to_owned();

    view! {
        <form class="form" data-testid="sign-up" novalidate on:submit=submit>
            <p class="muted">{i18n.text(Msg::SignUpIntro)}</p>
            {numbers.view(i18n)}
            {field(i18n, name_field, name, name_error)}
            {password.view(i18n)}
            <dl class="facts">
                <dt>{i18n.text(Msg::CommunityLabel)}</dt>
                <dd data-testid="sign-up-community">{community_name}</dd>
            </dl>
            {failure_notice(failure, "sign-up-error")}
            <div class="actions">
                <button type="submit" class="button button--primary" data-testid="sign-up-submit"
                    disabled=move || sending.get()>
                    {move || i18n.t(if sending.get() { Msg::SigningUp } else { Msg::SignUpSubmit })}
                </button>
                <a href=app_href("/me") class="text-link">{i18n.text(Msg::HaveAccount)}</a>
            </div>
        </form>
    }
}
