use super::nearby::NearbyPoints;
use crate::components::catalog_search::CatalogSearch;
use crate::components::icon::{Icon, IconKind};
use crate::components::page_header::PageHeader;
use crate::components::tile_list::TileList;
use crate::i18n::{Msg, tiles_in_category, use_i18n};
use crate::router::app_href;
use crate::state::{use_config, use_personal};
use citizen_core::catalog::Catalog;
use citizen_core::ids::TileId;
use leptos::prelude::*;
use std::sync::Arc;
use std::time::Duration;

/// Tiles for ids the resident saved, skipping any the catalog no longer has.
fn known_tiles(catalog: &Catalog, ids: &[TileId]) -> Vec<usize> {
    ids.iter().filter_map(|id| catalog.tile_index(id)).collect()
}

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let config = use_config();
    let title = Signal::derive(move || config.community.get(i18n.lang.get()).to_owned());
    view! {
        <PageHeader title=title />
        <CatalogSearch screen="home-search" browse=|catalog| view! { <HomeSections catalog=catalog /> } />
    }
}

#[component]
fn HomeSections(catalog: Arc<Catalog>) -> impl IntoView {
    let i18n = use_i18n();
    let personal = use_personal();
    let large = personal.large_text;
    let favourites = {
        let catalog = catalog.clone();
        move || {
            let tiles = personal.favourites.with(|f| known_tiles(&catalog, f.ids()));
            if tiles.is_empty() {
                view! { <p class="muted">{move || i18n.t(Msg::FavouritesEmpty)}</p> }.into_any()
            } else {
                view! { <TileList catalog=catalog.clone() tiles=tiles large=large.get() testid="favourites-list" /> }
                    .into_any()
            }
        }
    };
    let recents = {
        let catalog = catalog.clone();
        move || {
            let tiles = personal.recents.with(|r| known_tiles(&catalog, r.ids()));
            (!tiles.is_empty() && !large.get()).then(|| {
                view! {
                    <section class="section" aria-labelledby="recent-heading" data-testid="recents">
                        <h2 id="recent-heading">{move || i18n.t(Msg::Recent)}</h2>
                        <TileList catalog=catalog.clone() tiles=tiles />
                    </section>
                }
            })
        }
    };
    let popular: Vec<usize> = catalog.popular().collect();
    let popular_view = {
        let catalog = catalog.clone();
        move || view! { <TileList catalog=catalog.clone() tiles=popular.clone() large=large.get() /> }
    };
    // Below the fold, the category grid and the nearby section are drawn in a task of their own
    // once the tiles above are painted: the first screen's task stays short.
    let below_fold = RwSignal::new(false);
    request_animation_frame(move || {
        set_timeout(
            move || {
                below_fold.try_set(true);
            },
            Duration::ZERO,
        )
    });
    let grid_catalog = catalog.clone();
    let nearby = move || {
        below_fold.get().then(|| {
            view! { <NearbyPoints catalog=catalog.clone() /> }
        })
    };
    view! {
        <section class="section" aria-labelledby="favourites-heading" data-testid="favourites">
            <h2 id="favourites-heading">{move || i18n.t(Msg::Favourites)}</h2>
            {favourites}
        </section>
        {recents}
        <section class="section" aria-labelledby="popular-heading" data-testid="popular">
            <h2 id="popular-heading">{move || i18n.t(Msg::Popular)}</h2>
            {popular_view}
        </section>
        <Show when=move || below_fold.get() && !large.get()>
            <CategoryGrid catalog=grid_catalog.clone() />
        </Show>
        {nearby}
    }
}

#[component]
fn CategoryGrid(catalog: Arc<Catalog>) -> impl IntoView {
    let i18n = use_i18n();
    let cells = catalog
        .categories()
        .iter()
        .map(|category| {
            let count = catalog.tiles_in(&category.id).count();
            let name = category.name.clone();
            let icon = IconKind::Service(category.icon);
            view! {
                <li>
                    <a href=app_href(&format!("/services?category={}", category.id)) class="category">
                        <span class="category__icon"><Icon kind=icon /></span>
                        <span class="category__name">{move || name.get(i18n.lang.get()).to_owned()}</span>
                        <span class="category__count">{move || tiles_in_category(i18n.lang.get(), count)}</span>
                    </a>
                </li>
            }
        })
        .collect_view();
    view! {
        <section class="section" aria-labelledby="categories-heading" data-testid="categories">
            <h2 id="categories-heading">{move || i18n.t(Msg::Categories)}</h2>
            <ul class="categories">{cells}</ul>
        </section>
    }
}
