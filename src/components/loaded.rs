//! How every loaded value shows: "loading" meanwhile, the failure in plain words with a retry
//! button, or the data (see `state::loader`).

use super::notice::ErrorNotice;
use crate::backend::error::Failure;
use crate::i18n::{Msg, use_i18n};
use crate::state::loader::Loader;
use leptos::prelude::*;

/// Renders `loader`'s state: "loading", the failure with a retry button, or `data`.
pub fn loaded<T, E, V>(
    loader: Loader<T, E>,
    data: impl Fn(T) -> V + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + 'static,
    E: Failure + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    move || show(loader.state.get(), move || loader.reload(), &data)
}
/// How every loader shows its state (screens that show one failure their own way match it
/// first and hand the rest here).
pub fn show<T, E: Failure, V: IntoView + 'static>(
    state: Option<Result<T, E>>,
    retry: impl Fn() + Send + Sync + 'static,
    data: impl FnOnce(T) -> V,
) -> AnyView {
    match state {
        None => loading(),
        Some(Err(e)) => failed(&e, retry),
        Some(Ok(value)) => data(value).into_any(),
    }
}

/// The line shown while something loads.
pub fn loading() -> AnyView {
    let i18n = use_i18n();
    view! { <p class="loading" role="status">{move || i18n.t(Msg::Loading)}</p> }.into_any()
}

/// A load that failed: its plain words and a retry button (the details go to the console).
pub fn failed<E: Failure>(e: &E, retry: impl Fn() + Send + Sync + 'static) -> AnyView {
    leptos::logging::warn!("{e}");
    view! { <ErrorNotice message=e.message() on_retry=Callback::new(move |()| retry()) /> }
        .into_any()
}
