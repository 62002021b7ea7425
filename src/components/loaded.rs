//! How every loaded value shows: "loading" meanwhile, the failure in plain words with a retry
//! button, or the data (see `state::loader`).

use super::notice::ErrorNotice;
use crate::i18n::{Msg, use_i18n};
use crate::state::loader::{Failure, Loader};
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
/// How every loader shows its state (the catalog's too).
pub fn show<T, E: Failure, V: IntoView + 'static>(
    state: Option<Result<T, E>>,
    retry: impl Fn() + Send + Sync + 'static,
    data: impl FnOnce(T) -> V,
) -> AnyView {
    match state {
        None => loading().into_any(),
        Some(Err(e)) => {
            leptos::logging::warn!("{e}");
            view! { <ErrorNotice message=e.message() on_retry=Callback::new(move |()| retry()) /> }
                .into_any()
        }
        Some(Ok(value)) => data(value).into_any(),
    }
}

/// The line shown while something loads.
pub fn loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading" role="status">{move || i18n.t(Msg::Loading)}</p> }
}
