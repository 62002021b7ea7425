//! A request's photos, as thumbnails that open the full photo.

use crate::backend::requests::RequestsBackend;
use crate::i18n::{Msg, photo_name, use_i18n};
use crate::state::loader::Loader;
use citizen_core::requests::PhotoId;
use leptos::prelude::*;
use std::convert::Infallible;

#[component]
pub fn Gallery(backend: RequestsBackend, photos: Vec<PhotoId>) -> impl IntoView {
    let i18n = use_i18n();
    // Addresses on the server, or object URLs of blobs kept in this browser (`local`).
    // A photo without an address is left out; the loading cannot fail otherwise.
    let photos = StoredValue::new(photos);
    let urls = Loader::new(move || {
        let photos = photos.get_value();
        async move {
            let mut found = Vec::with_capacity(photos.len());
            for id in &photos {
                if let Some(url) = backend.photo_url(id).await {
                    found.push(url);
                }
            }
            Ok::<_, Infallible>(found)
        }
    });
    on_cleanup(move || {
        let shown = urls
            .state
            .try_get_untracked()
            .flatten()
            .and_then(Result::ok);
        for url in shown.unwrap_or_default() {
            if url.starts_with("blob:") {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        }
    });
    move || {
        let items = urls.loaded().unwrap_or_default();
        (!items.is_empty()).then(|| {
            view! {
                <h2 class="request__heading">{i18n.text(Msg::RequestPhotos)}</h2>
                <ul class="photos" data-testid="request-photos">
                    {items.into_iter().enumerate().map(|(i, url)| {
                        let href = url.clone();
                        view! {
                            <li class="photo">
                                <a href=href target="_blank" rel="noopener">
                                    <img src=url alt=move || photo_name(i18n.lang.get(), i + 1) loading="lazy" />
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }
        })
    }
}
