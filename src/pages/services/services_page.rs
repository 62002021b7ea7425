use crate::components::catalog_search::CatalogSearch;
use crate::components::page_header::PageHeader;
use crate::components::tile_list::TileList;
use crate::i18n::{Msg, use_i18n};
use crate::router::{app_href, use_navigation};
use citizen_core::catalog::Catalog;
use citizen_core::ids::CategoryId;
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn ServicesPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageHeader title=Signal::derive(move || i18n.t(Msg::AllServices).to_owned()) />
        <CatalogSearch screen="services-search" browse=|catalog| view! { <CategoryBrowser catalog=catalog /> } />
    }
}

/// Category chips (the selection lives in the URL, so it survives a reload and can be linked)
/// and the tiles of the chosen category, or of all categories in sections.
#[component]
fn CategoryBrowser(catalog: Arc<Catalog>) -> impl IntoView {
    let i18n = use_i18n();
    let category = use_navigation().query("category");
    let selected = Signal::derive(move || {
        category
            .read()
            .as_deref()
            .and_then(|raw| CategoryId::parse(raw).ok())
    });
    let chips = {
        let all = view! {
            <li>
                <a href=app_href("/services") class="chip chip--link"
                    aria-current=move || selected.read().is_none().then_some("true")>
                    {move || i18n.t(Msg::AllCategories)}
                </a>
            </li>
        };
        let each = catalog
            .categories()
            .iter()
            .map(|c| {
                let name = c.name.clone();
                let id = c.id.clone();
                view! {
                    <li>
                        <a href=app_href(&format!("/services?category={}", c.id)) class="chip chip--link"
                            aria-current=move || (selected.read().as_ref() == Some(&id)).then_some("true")>
                            {move || name.get(i18n.lang.get()).to_owned()}
                        </a>
                    </li>
                }
            })
            .collect_view();
        view! { <nav aria-label=move || i18n.t(Msg::Categories)><ul class="chips">{all}{each}</ul></nav> }
    };
    let sections = move || {
        let chosen = selected.get();
        catalog
            .categories()
            .iter()
            .filter(|c| chosen.as_ref().is_none_or(|id| &c.id == id))
            .map(|c| {
                let tiles: Vec<usize> = catalog.tiles_in(&c.id).collect();
                let name = c.name.clone();
                let heading_id = format!("category-{}", c.id);
                view! {
                    <section class="section" aria-labelledby=heading_id.clone() data-testid="category-section">
                        <h2 id=heading_id.clone()>{move || name.get(i18n.lang.get()).to_owned()}</h2>
                        <TileList catalog=catalog.clone() tiles=tiles />
                    </section>
                }
            })
            .collect_view()
    };
    view! { {chips} {sections} }
}
