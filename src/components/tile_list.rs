use super::icon::{Icon, IconKind};
use crate::i18n::use_i18n;
use crate::router::app_href;
use citizen_core::catalog::Catalog;
use leptos::prelude::*;
use std::sync::Arc;

/// A list of tiles, each a link to its detail page (which says who provides it and opens it):
/// the catalog's tiles at these indices (see [`Catalog::tiles`]), in this order.
#[component]
pub fn TileList(
    catalog: Arc<Catalog>,
    tiles: Vec<usize>,
    #[prop(optional)] large: bool,
    #[prop(optional, into)] testid: Option<&'static str>,
) -> impl IntoView {
    let i18n = use_i18n();
    let items = tiles
        .into_iter()
        .filter_map(|i| catalog.tiles().get(i))
        .map(|tile| {
            // A checked catalog has every tile's category; the grid stands in otherwise.
            let icon = catalog
                .category(&tile.category)
                .map_or(IconKind::Grid, |c| IconKind::Service(c.icon));
            let href = format!("/services/{}", tile.id);
            let title = tile.title.clone();
            let summary = tile.summary.clone();
            view! {
                <li>
                    <a href=app_href(&href) class="tile" data-testid="tile">
                        <span class="tile__icon"><Icon kind=icon /></span>
                        <span class="tile__text">
                            <span class="tile__title">{move || title.get(i18n.lang.get()).to_owned()}</span>
                            <span class="tile__summary">{move || summary.get(i18n.lang.get()).to_owned()}</span>
                        </span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <ul class="tiles" class:tiles--large=large data-testid=testid>{items}</ul>
    }
}
