use crate::components::icon::{Icon, IconKind};
use crate::components::notice::ErrorNotice;
use crate::components::page_header::PageHeader;
use crate::components::with_catalog::WithCatalog;
use crate::i18n::{Msg, use_i18n};
use crate::router::app_href;
use crate::state::use_personal;
use citizen_core::catalog::{Catalog, Tile, TileTarget};
use citizen_core::ids::TileId;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn TilePage(id: TileId) -> impl IntoView {
    view! {
        <WithCatalog let:catalog>
            {match catalog.tile(&id).cloned() {
                Some(tile) => view! { <TileDetail catalog=catalog.clone() tile=tile /> }.into_any(),
                None => view! { <TileMissing /> }.into_any(),
            }}
        </WithCatalog>
    }
}

#[component]
fn TileMissing() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::NotFoundTitle).to_owned()) />
        <ErrorNotice message=Msg::TileNotFound />
        <a href=app_href("/services") class="button">{move || i18n.t(Msg::AllServices)}</a>
    }
}

#[component]
fn TileDetail(catalog: Arc<Catalog>, tile: Tile) -> impl IntoView {
    let i18n = use_i18n();
    let personal = use_personal();
    // Opening a tile's page is using it.
    {
        let id = tile.id.clone();
        Effect::new(move |_| personal.recents.update(|r| r.record(&id)));
    }
    let provider = catalog.provider(&tile.provider).map(|p| p.name.clone());
    let category = catalog.category(&tile.category).map(|c| c.name.clone());
    let title = tile.title.clone();
    let summary = tile.summary.clone();
    let is_favourite = {
        let id = tile.id.clone();
        Signal::derive(move || personal.favourites.read().contains(&id))
    };
    let toggle = {
        let id = tile.id.clone();
        move |_| {
            personal.favourites.update(|f| {
                f.toggle(&id);
            })
        }
    };
    let action = match tile.target {
        TileTarget::Route { path } => view! {
            <a href=app_href(path.as_str()) class="button button--primary" data-testid="open-service">
                {move || i18n.t(Msg::OpenService)}
            </a>
        }
        .into_any(),
        TileTarget::H5 { url } => view! {
            <a href=url.as_str().to_owned() target="_blank" rel="noopener noreferrer"
                class="button button--primary" data-testid="open-service">
                <span>{move || i18n.t(Msg::OpenService)}</span>
                <Icon kind=IconKind::External />
                <span class="visually-hidden">{move || i18n.t(Msg::OpensInNewTab)}</span>
            </a>
            <p class="muted" aria-hidden="true">{move || i18n.t(Msg::OpensInNewTab)}</p>
        }
        .into_any(),
        TileTarget::Tel { number } => view! {
            <a href=number.href() class="button button--primary" data-testid="open-service">
                <Icon kind=IconKind::Phone />
                <span>{move || i18n.t(Msg::CallHotline)}</span>
                <span>{number.as_str().to_owned()}</span>
            </a>
        }
        .into_any(),
    };
    view! {
        <PageHeader title=Signal::derive(move || title.get(i18n.lang.get()).to_owned()) />
        <article class="card tile-detail" data-testid="tile-detail">
            <p class="tile-detail__summary">{move || summary.get(i18n.lang.get()).to_owned()}</p>
            <dl class="facts">
                <dt>{move || i18n.t(Msg::ProvidedBy)}</dt>
                <dd>{move || provider.as_ref().map(|p| p.get(i18n.lang.get()).to_owned())}</dd>
                <dt>{move || i18n.t(Msg::Category)}</dt>
                <dd>{move || category.as_ref().map(|c| c.get(i18n.lang.get()).to_owned())}</dd>
            </dl>
            <div class="actions">
                {action}
                <button type="button" class="button favourite" aria-pressed=move || is_favourite.get().to_string()
                    on:click=toggle>
                    {move || if is_favourite.get() {
                        view! { <Icon kind=IconKind::StarFilled /> }
                    } else {
                        view! { <Icon kind=IconKind::Star /> }
                    }}
                    <span>{move || i18n.t(Msg::Favourite)}</span>
                </button>
            </div>
        </article>
    }
}
