use crate::backend::error::Failure;
use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;

/// A problem explained in plain words, with a way forward when there is one.
#[component]
pub fn ErrorNotice(
    message: Msg,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="notice notice--error" role="alert">
            <p>{move || i18n.t(message)}</p>
            {on_retry.map(|retry| view! {
                <button type="button" class="button" on:click=move |_| retry.run(())>
                    {move || i18n.t(Msg::Retry)}
                </button>
            })}
        </div>
    }
}

/// The failure an action left in `failure`, in plain words, while there is one; an embedding
/// host is told the same words (`error`).
pub fn failure_notice<E>(failure: RwSignal<Option<E>>, testid: &'static str) -> impl IntoView
where
    E: Failure + Clone + Send + Sync + 'static,
{
    let i18n = use_i18n();
    move || {
        failure.get().map(|e| {
            crate::embed::tell(|| crate::embed::Told::Error(e.text(i18n.lang.get_untracked())));
            view! {
                <p class="notice notice--error" role="alert" data-testid=testid>
                    {move || e.text(i18n.lang.get())}
                </p>
            }
        })
    }
}
