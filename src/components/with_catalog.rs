use super::notice::ErrorNotice;
use crate::i18n::{Msg, use_i18n};
use crate::state::use_catalog;
use citizen_core::catalog::Catalog;
use leptos::prelude::*;
use std::sync::Arc;

/// Renders `children` with the catalog once it has loaded; meanwhile a loading line, and on
/// failure the reason in plain words with a retry button.
#[component]
pub fn WithCatalog<F, V>(children: F) -> impl IntoView
where
    F: Fn(Arc<Catalog>) -> V + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let catalog = use_catalog();
    let i18n = use_i18n();
    move || match catalog.loaded.get() {
        None => {
            view! { <p class="loading" role="status">{move || i18n.t(Msg::Loading)}</p> }.into_any()
        }
        Some(Err(error)) => {
            leptos::logging::warn!("catalog: {error}");
            view! { <ErrorNotice message=error.message() on_retry=Callback::new(move |_| catalog.load()) /> }
                .into_any()
        }
        Some(Ok(loaded)) => children(loaded).into_any(),
    }
}
