use super::tile_list::TileList;
use crate::i18n::{Msg, results_count, use_i18n};
use crate::later::later;
use citizen_core::catalog::Catalog;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

/// Most a resident will scroll through; a longer list means the query needs another word.
const RESULT_LIMIT: usize = 50;

later!(search, preload_search:
    /// The ranked tiles for `query`, as catalog indices. The search (its index, built at the first
    /// query, and its ranking) is a chunk of its own, fetched when the search field is first
    /// used: the home page's first load does not carry it (3.3 KB gzip, measured).
    fn ranked(catalog: Arc<Catalog>, query: String) -> Vec<usize> {
        catalog
            .search_hits(&query)
            .into_iter()
            .take(RESULT_LIMIT)
            .map(|hit| hit.index)
            .collect()
    }
);

/// Fetches the search's code ahead of the first query (the field got focus, or the app is idle).
/// A failure here is left to the results, which fetch again.
pub async fn prefetch_search() {
    let _ = preload_search().await;
}

/// Ranked results for the query, with a count that screen readers hear as it changes. While a
/// new query is ranked the previous results stay; `None` is a search whose code could not be
/// fetched (offline before it was ever used).
#[component]
pub fn SearchResults(catalog: Arc<Catalog>, query: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    // A signal set by each ranking rather than a resource: resources weigh about 7 KB gzip in the
    // first-load module (measured). A ranking that finishes after a newer query started is dropped.
    let results = RwSignal::new(None::<Option<Vec<usize>>>);
    {
        let catalog = catalog.clone();
        Effect::new(move |_| {
            let asked = query.get();
            let ranking = ranked(catalog.clone(), asked.clone());
            spawn_local(async move {
                let ranked = ranking.await.ok();
                if query.with_untracked(|q| *q == asked) {
                    // `try_set`: the results may have left the page meanwhile.
                    results.try_set(Some(ranked));
                }
            });
        });
    }
    let status = move || match results.get() {
        None => i18n.t(Msg::Loading).to_owned(),
        Some(None) => i18n.t(Msg::PartLoadFailed).to_owned(),
        Some(Some(hits)) if hits.is_empty() => i18n.t(Msg::SearchNoResults).to_owned(),
        Some(Some(hits)) => results_count(i18n.lang.get(), hits.len()),
    };
    view! {
        <section class="section" aria-labelledby="search-results-heading" data-testid="search-results">
            <h2 id="search-results-heading">{move || i18n.t(Msg::SearchResults)}</h2>
            <p class="muted" role="status">{status}</p>
            {move || {
                let tiles = results.get().flatten().unwrap_or_default();
                view! { <TileList catalog=catalog.clone() tiles=tiles /> }
            }}
        </section>
    }
}
