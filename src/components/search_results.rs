use super::tile_list::TileList;
use crate::i18n::{Msg, results_count, use_i18n};
use citizen_core::catalog::Catalog;
use leptos::prelude::*;
use std::sync::Arc;

/// Most a resident will scroll through; a longer list means the query needs another word.
const RESULT_LIMIT: usize = 50;

/// Ranked results for the query, with a count that screen readers hear as it changes.
#[component]
pub fn SearchResults(catalog: Arc<Catalog>, query: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let results = {
        let catalog = catalog.clone();
        Memo::new(move |_| {
            let hits = catalog.search_hits(&query.read());
            hits.into_iter()
                .take(RESULT_LIMIT)
                .map(|hit| hit.index)
                .collect::<Vec<usize>>()
        })
    };
    view! {
        <section class="section" aria-labelledby="search-results-heading" data-testid="search-results">
            <h2 id="search-results-heading">{move || i18n.t(Msg::SearchResults)}</h2>
            <p class="muted" role="status">
                {move || {
                    let n = results.read().len();
                    if n == 0 { i18n.t(Msg::SearchNoResults).to_owned() } else { results_count(i18n.lang.get(), n) }
                }}
            </p>
            {move || view! { <TileList catalog=catalog.clone() tiles=results.get() /> }}
        </section>
    }
}
