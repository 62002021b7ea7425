//! The mobile number and SMS code of the sign-up and new-password forms, written once: the
//! number, the "get a code" button with its resend countdown, the line that says a code may be
//! on its way, and the code. The button asks `POST /sms-codes`; the server's answer says how long
//! to wait before the next code (60 s, or what is left of it), counted down in the button. The
//! countdown belongs to the number it was asked for: a corrected number may ask at once.
//!
//! The answer is the same whether or not a message went out, and so is what the screen says
//! ("if this number can sign up, a code is on its way"): nothing tells whether a number is
//! registered.

use crate::backend::account::{AccountError, AccountField, RestAccounts};
use crate::browser::dom::focus;
use crate::components::field::{Field, field};
use crate::components::notice::failure_notice;
use crate::i18n::{I18n, Msg, resend_in};
use crate::state::loader::act;
use crate::state::session::TYPED_MOBILE;
use crate::storage::screen;
use citizen_core::api::SmsCodeRequest;
use citizen_core::phone::{MobileNumber, PhoneError};
use citizen_core::sms::{SmsCode, SmsPurpose};
use leptos::prelude::*;
use std::time::Duration;

pub const MOBILE: &str = "sms-mobile";

/// The mobile number field of every account form (sign in, sign up, new password): a phone's
/// number pad, its own number offered, and what was typed kept across reloads of the tab.
pub fn mobile_field(id: &'static str, error_id: &'static str) -> Field {
    Field {
        id,
        name: "mobile",
        error_id,
        error_testid: "mobile-error",
        label: Msg::MobileLabel,
        kind: "tel",
        inputmode: Some("tel"),
        autocomplete: "tel",
        remember: Some(TYPED_MOBILE),
        hint: None,
    }
}
pub const CODE: &str = "sms-code";
const BUTTON: &str = "sms-code-button";

/// A code was asked for `mobile` (as the core reads it); another may be asked for from
/// `until_ms` (milliseconds since the epoch).
#[derive(Debug, Clone, PartialEq)]
pub struct Countdown {
    pub mobile: String,
    pub until_ms: f64,
}

impl Countdown {
    /// Starts when the server answered at `now_ms`, asking for `resend_after` seconds.
    pub fn start(mobile: &MobileNumber, resend_after: i64, now_ms: f64) -> Countdown {
        Countdown {
            mobile: mobile.as_str().to_owned(),
            until_ms: now_ms + resend_after.max(0) as f64 * 1000.0,
        }
    }

    /// Whole seconds to wait (rounded up) before another code for what is typed now; `None`
    /// when one may be asked for: the wait is over, or the number typed is another one.
    pub fn wait(&self, typed: &str, now_ms: f64) -> Option<u32> {
        let same = MobileNumber::parse(typed).is_ok_and(|m| m.as_str() == self.mobile);
        let left = ((self.until_ms - now_ms) / 1000.0).ceil();
        (same && left >= 1.0).then_some(left as u32)
    }
}

pub fn mobile_problem(e: &PhoneError) -> Msg {
    match e {
        PhoneError::Empty => Msg::MobileEmpty,
        _ => Msg::MobileInvalid,
    }
}

/// Moves focus to the first field with an error, in the order given (the form's order).
pub fn focus_first(fields: &[(&'static str, RwSignal<Option<Msg>>)]) {
    if let Some((id, _)) = fields
        .iter()
        .find(|(_, error)| error.with_untracked(Option::is_some))
    {
        focus(id);
    }
}

/// The number and the code of one form, what was typed and what is wrong with each.
#[derive(Clone, Copy)]
pub struct NumberAndCode {
    purpose: SmsPurpose,
    pub mobile: RwSignal<String>,
    pub mobile_error: RwSignal<Option<Msg>>,
    pub code: RwSignal<String>,
    pub code_error: RwSignal<Option<Msg>>,
    countdown: RwSignal<Option<Countdown>>,
    /// The clock the countdown reads, moved on every second while it runs.
    now_ms: RwSignal<f64>,
    sending: RwSignal<bool>,
    failure: RwSignal<Option<AccountError>>,
}

impl NumberAndCode {
    /// The number starts as typed last in this tab (in any account form).
    pub fn new(purpose: SmsPurpose) -> NumberAndCode {
        NumberAndCode {
            purpose,
            mobile: RwSignal::new(screen::recall(TYPED_MOBILE).unwrap_or_default()),
            mobile_error: RwSignal::new(None),
            code: RwSignal::new(String::new()),
            code_error: RwSignal::new(None),
            countdown: RwSignal::new(None),
            now_ms: RwSignal::new(js_sys::Date::now()),
            sending: RwSignal::new(false),
            failure: RwSignal::new(None),
        }
    }

    /// Both, checked with the core's rules; each error is set on its field (none is focused).
    pub fn parse(self) -> Option<(MobileNumber, SmsCode)> {
        let mobile = MobileNumber::parse(&self.mobile.get_untracked());
        self.mobile_error
            .set(mobile.as_ref().err().map(mobile_problem));
        let typed = self.code.get_untracked();
        let code = SmsCode::parse(&typed);
        self.code_error.set(match (&code, typed.trim().is_empty()) {
            (Some(_), _) => None,
            (None, true) => Some(Msg::SmsCodeEmpty),
            (None, false) => Some(Msg::SmsCodeMalformed),
        });
        Some((mobile.ok()?, code?))
    }

    /// Puts the server's refusal of the number or the code on its field; false for any other.
    pub fn place(self, e: &AccountError) -> bool {
        let (error, msg) = match e {
            AccountError::InvalidSmsCode => (self.code_error, Msg::SmsCodeRefused),
            AccountError::Field(AccountField::Code) => (self.code_error, Msg::SmsCodeMalformed),
            AccountError::Field(AccountField::Mobile) => (self.mobile_error, Msg::MobileInvalid),
            _ => return false,
        };
        error.set(Some(msg));
        true
    }

    /// Seconds to wait before another code for the number typed, while there are any.
    fn wait(self) -> Option<u32> {
        let now = self.now_ms.get();
        let typed = self.mobile.read();
        self.countdown.with(|c| c.as_ref()?.wait(&typed, now))
    }

    /// Moves the clock on each second until the countdown ends or the screen is gone.
    fn tick(self) {
        if self.now_ms.try_set(js_sys::Date::now()).is_some() {
            return;
        }
        let running = self.countdown.with_untracked(|c| {
            c.as_ref()
                .is_some_and(|c| c.until_ms > self.now_ms.get_untracked())
        });
        if running {
            set_timeout(move || self.tick(), Duration::from_secs(1));
        }
    }

    fn ask(self) {
        self.failure.set(None);
        let mobile = MobileNumber::parse(&self.mobile.get_untracked());
        self.mobile_error
            .set(mobile.as_ref().err().map(mobile_problem));
        let Ok(mobile) = mobile else {
            focus(MOBILE);
            return;
        };
        let request = SmsCodeRequest {
            mobile: mobile.clone(),
            purpose: self.purpose,
        };
        act(
            self.sending,
            async move { RestAccounts.send_sms_code(&request).await },
            move |result| match result {
                Ok(accepted) => {
                    let now = js_sys::Date::now();
                    self.countdown
                        .set(Some(Countdown::start(&mobile, accepted.resend_after, now)));
                    self.tick();
                    focus(CODE);
                }
                Err(e) => {
                    if self.place(&e) {
                        focus(MOBILE);
                    } else {
                        leptos::logging::warn!("no SMS code: {e}");
                        self.failure.set(Some(e));
                        focus(BUTTON);
                    }
                }
            },
        );
    }

    /// The number, the button, what happened, and the code, in that order.
    pub fn view(self, i18n: I18n) -> AnyView {
        let mobile_field = mobile_field(MOBILE, "sms-mobile-error");
        let code_field = Field {
            id: CODE,
            name: "code",
            error_id: "sms-code-error",
            error_testid: "code-error",
            label: Msg::SmsCodeLabel,
            kind: "text",
            inputmode: Some("numeric"),
            autocomplete: "one-time-code",
            remember: None,
            hint: None,
        };
        let sent = match self.purpose {
            SmsPurpose::SignUp => Msg::SmsCodeSentSignUp,
            SmsPurpose::Reset => Msg::SmsCodeSentReset,
        };
        let label = move || {
            let lang = i18n.lang.get();
            if self.sending.get() {
                return Msg::SendingSmsCode.text(lang).to_owned();
            }
            match (self.wait(), self.countdown.with(Option::is_some)) {
                (Some(seconds), _) => resend_in(lang, seconds),
                (None, true) => Msg::GetSmsCodeAgain.text(lang).to_owned(),
                (None, false) => Msg::GetSmsCode.text(lang).to_owned(),
            }
        };
        let busy = move || self.sending.get() || self.wait().is_some();
        view! {
            {field(i18n, mobile_field, self.mobile, self.mobile_error)}
            <div class="sms-code">
                <button type="button" id=BUTTON class="button" data-testid="get-sms-code"
                    disabled=busy on:click=move |_| self.ask()>
                    {label}
                </button>
                // Said once when a code is asked for, not every second: the count is in the button.
                <p class="status" role="status" data-testid="sms-code-status">
                    {move || self.countdown.with(Option::is_some).then(|| i18n.t(sent))}
                </p>
                {failure_notice(self.failure, "sms-code-error-notice")}
            </div>
            {field(i18n, code_field, self.code, self.code_error)}
        }
        .into_any()
    }
}
