use super::search_box::SearchBox;
use super::search_results::SearchResults;
use super::with_catalog::WithCatalog;
use crate::storage;
use citizen_core::catalog::Catalog;
use leptos::prelude::*;
use std::sync::Arc;

/// The catalog behind a search box: ranked results while there is a query, and `browse` (the
/// page's own content) otherwise. The query is kept per `screen`, so coming back to the page
/// (back button, or a webview that re-ran the page) shows the same results.
#[component]
pub fn CatalogSearch<F, V>(screen: &'static str, browse: F) -> impl IntoView
where
    F: Fn(Arc<Catalog>) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let query = RwSignal::new(storage::screen::recall(screen).unwrap_or_default());
    Effect::new(move |_| storage::screen::remember(screen, &query.read()));
    view! {
        <SearchBox query=query />
        <WithCatalog let:catalog>
            {
                let browse = browse.clone();
                let for_results = catalog.clone();
                view! {
                    <Show
                        when=move || query.read().trim().is_empty()
                        fallback=move || view! { <SearchResults catalog=for_results.clone() query=query /> }
                    >
                        {browse(catalog.clone())}
                    </Show>
                }
            }
        </WithCatalog>
    }
}
