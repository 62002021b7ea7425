//! Nearby service points (15分钟社区生活圈), nearest walk first, from the browser's position or
//! from a neighbourhood the resident picks when location is refused or unavailable.

use crate::browser::geolocation::{GeoFailure, current_position};
use crate::components::icon::{Icon, IconKind};
use crate::i18n::{Msg, labelled, use_i18n, walking};
use crate::state::use_personal;
use citizen_core::catalog::{Catalog, ServicePoint, ServicePointKind};
use citizen_core::geo::{LatLng, walking_minutes};
use citizen_core::ids::NeighbourhoodId;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::sync::Arc;

const SHOWN: usize = 5;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Locating {
    Idle,
    Busy,
    Found(LatLng),
    Failed(GeoFailure),
}

fn kind_label(kind: ServicePointKind) -> Msg {
    match kind {
        ServicePointKind::PartyServiceCenter => Msg::KindPartyServiceCenter,
        ServicePointKind::HealthCenter => Msg::KindHealthCenter,
        ServicePointKind::ConveniencePoint => Msg::KindConveniencePoint,
    }
}

#[component]
pub fn NearbyPoints(catalog: Arc<Catalog>) -> impl IntoView {
    let i18n = use_i18n();
    let personal = use_personal();
    let locating = RwSignal::new(Locating::Idle);

    let locate = move |_| {
        locating.set(Locating::Busy);
        spawn_local(async move {
            locating.set(match current_position().await {
                Ok(position) => Locating::Found(position),
                Err(failure) => Locating::Failed(failure),
            });
        });
    };

    let origin = {
        let catalog = catalog.clone();
        Signal::derive(move || match locating.get() {
            Locating::Found(position) => Some(position),
            _ => personal.neighbourhood.with(|chosen| {
                chosen.as_ref().and_then(|id| {
                    catalog
                        .neighbourhoods()
                        .iter()
                        .find(|n| &n.id == id)
                        .map(|n| n.location)
                })
            }),
        })
    };

    let status = move || match locating.get() {
        Locating::Busy => Some(i18n.t(Msg::Locating)),
        Locating::Failed(GeoFailure::Denied) => Some(i18n.t(Msg::LocationDenied)),
        Locating::Failed(GeoFailure::Unavailable) => Some(i18n.t(Msg::LocationUnavailable)),
        Locating::Found(_) => Some(i18n.t(Msg::FromMyLocation)),
        Locating::Idle => None,
    };

    let options = catalog
        .neighbourhoods()
        .iter()
        .map(|n| {
            let id = n.id.to_string();
            let name = n.name.clone();
            let selected = {
                let id = n.id.clone();
                move || personal.neighbourhood.read().as_ref() == Some(&id)
            };
            view! { <option value=id selected=selected>{move || name.get(i18n.lang.get()).to_owned()}</option> }
        })
        .collect_view();

    let on_choose = move |ev| {
        let value = event_target_value(&ev);
        locating.set(Locating::Idle);
        personal.choose_neighbourhood(NeighbourhoodId::parse(&value).ok());
    };

    let list = move || {
        origin.get().map(|from| {
            let items = catalog
                .service_points_near(from)
                .into_iter()
                .take(SHOWN)
                .map(|(point, metres)| view! { <PointItem point=point.clone() metres=metres /> })
                .collect_view();
            view! { <ol class="points" data-testid="nearby-list">{items}</ol> }
        })
    };

    view! {
        <section class="section" aria-labelledby="nearby-heading" data-testid="nearby">
            <h2 id="nearby-heading">{move || i18n.t(Msg::Nearby)}</h2>
            <p class="muted">{move || i18n.t(Msg::NearbyIntro)}</p>
            <div class="nearby__controls">
                <button type="button" class="button" on:click=locate
                    disabled=move || locating.get() == Locating::Busy>
                    <Icon kind=IconKind::Pin />
                    {move || i18n.t(Msg::UseMyLocation)}
                </button>
                <label class="field">
                    <span class="field__label">{move || i18n.t(Msg::NeighbourhoodLabel)}</span>
                    <select class="field__input" on:change=on_choose data-testid="neighbourhood-select">
                        <option value="" selected=move || personal.neighbourhood.read().is_none()>
                            {move || i18n.t(Msg::NeighbourhoodPrompt)}
                        </option>
                        {options}
                    </select>
                </label>
            </div>
            <p class="status" role="status" data-testid="location-status">{status}</p>
            {list}
        </section>
    }
}

#[component]
fn PointItem(point: ServicePoint, metres: u32) -> impl IntoView {
    let i18n = use_i18n();
    let ServicePoint {
        name,
        kind,
        address,
        hours,
        phone,
        ..
    } = point;
    let tel = format!("tel:{}", phone.replace('-', ""));
    view! {
        <li class="point" data-testid="nearby-point" data-metres=metres>
            <h3 class="point__name">{move || name.get(i18n.lang.get()).to_owned()}</h3>
            <p class="point__meta">
                <span class="chip">{move || i18n.t(kind_label(kind))}</span>
                <span class="point__distance">{move || walking(i18n.lang.get(), metres, walking_minutes(metres))}</span>
            </p>
            <p>{move || address.get(i18n.lang.get()).to_owned()}</p>
            <p class="muted">{move || labelled(i18n.lang.get(), Msg::OpeningHours, hours.get(i18n.lang.get()))}</p>
            <a class="button button--quiet" href=tel>
                <Icon kind=IconKind::Phone />
                <span>{move || i18n.t(Msg::CallPoint)}</span>
                <span>{phone.clone()}</span>
            </a>
        </li>
    }
}
