//! The form field pattern: a label, the control, and its error underneath, announced as it
//! appears, tied to the control by `aria-describedby` and cleared as soon as the person edits.

use crate::i18n::{I18n, Msg};
use crate::storage::screen;
use leptos::prelude::*;

/// How one input differs from another: every text input is built by [`field`].
#[derive(Clone, Copy)]
pub struct Field {
    pub id: &'static str,
    pub name: &'static str,
    pub error_id: &'static str,
    pub error_testid: &'static str,
    pub label: Msg,
    pub kind: &'static str,
    pub inputmode: Option<&'static str>,
    pub autocomplete: &'static str,
    /// The `screen` entry that keeps what was typed across reloads (never for a password).
    pub remember: Option<&'static str>,
    /// A line of help under the label, with its id (`aria-describedby`).
    pub hint: Option<(&'static str, Msg)>,
}

impl Field {
    /// A plain text input named by its id: no hint, no autocomplete, nothing remembered (the
    /// staff forms).
    pub const fn plain(id: &'static str, error_id: &'static str, label: Msg) -> Field {
        Field {
            id,
            name: id,
            error_id,
            error_testid: error_id,
            label,
            kind: "text",
            inputmode: None,
            autocomplete: "off",
            remember: None,
            hint: None,
        }
    }

    /// [`plain`](Self::plain), for a whole number: phones show their number pad.
    pub const fn number(id: &'static str, error_id: &'static str, label: Msg) -> Field {
        Field {
            inputmode: Some("numeric"),
            ..Field::plain(id, error_id, label)
        }
    }
}

/// The error line of a field, present only while there is an error.
pub fn field_error(
    i18n: I18n,
    id: &'static str,
    testid: &'static str,
    error: RwSignal<Option<Msg>>,
) -> impl IntoView {
    move || {
        error.get().map(|msg| {
            view! {
                <p id=id class="field__error" role="alert" data-testid=testid>
                    {i18n.text(msg)}
                </p>
            }
        })
    }
}

/// `aria-describedby` for a control: its hints, and its error while there is one.
pub fn described_by(
    hints: &'static str,
    error_id: &'static str,
    error: RwSignal<Option<Msg>>,
) -> impl Fn() -> Option<String> + Copy + Send + Sync + 'static {
    move || match (hints.is_empty(), error.with(Option::is_some)) {
        (true, false) => None,
        (true, true) => Some(error_id.to_owned()),
        (false, false) => Some(hints.to_owned()),
        (false, true) => Some(format!("{hints} {error_id}")),
    }
}

/// A labelled text input with its error underneath.
pub fn field(
    i18n: I18n,
    f: Field,
    value: RwSignal<String>,
    error: RwSignal<Option<Msg>>,
) -> AnyView {
    let hint_id = f.hint.map_or("", |(id, _)| id);
    view! {
        <div class="field">
            <label class="field__label" for=f.id>{i18n.text(f.label)}</label>
            {f.hint.map(|(id, msg)| view! { <p id=id class="field__hint">{i18n.text(msg)}</p> })}
            <input id=f.id name=f.name class="field__input" type=f.kind
                inputmode=f.inputmode autocomplete=f.autocomplete
                aria-invalid=move || error.get().map(|_| "true")
                aria-describedby=described_by(hint_id, f.error_id, error)
                prop:value=move || value.get()
                on:input=move |ev| {
                    let typed = event_target_value(&ev);
                    if let Some(key) = f.remember {
                        screen::remember(key, &typed);
                    }
                    value.set(typed);
                    error.set(None);
                } />
            {field_error(i18n, f.error_id, f.error_testid, error)}
        </div>
    }
    .into_any()
}
