use super::loaded::loaded;
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
    loaded(use_catalog(), children)
}
