//! A request's photos, as thumbnails that open the full photo.

use crate::backend::requests::RequestsBackend;
use crate::i18n::{Msg, photo_name, use_i18n};
use citizen_core::requests::PhotoId;
use leptos::prelude::*;

#[component]
pub fn Gallery(backend: RequestsBackend, photos: Vec<PhotoId>) -> impl IntoView {
    let i18n = use_i18n();
    let items: Vec<(usize, String)> = photos
        .iter()
        .filter_map(|id| backend.photo_url(id))
        .enumerate()
        .collect();
    (!items.is_empty()).then(|| {
        view! {
            <h2 class="request__heading">{i18n.text(Msg::RequestPhotos)}</h2>
            <ul class="photos" data-testid="request-photos">
                {items.into_iter().map(|(i, url)| {
                    let href = url.clone();
                    view! {
                    <li class="photo">
                        <a href=href target="_blank" rel="noopener">
                            <img src=url alt=move || photo_name(i18n.lang.get(), i + 1) loading="lazy" />
                        </a>
                    </li>
                }}).collect_view()}
            </ul>
        }
    })
}
