//! A request's photos, as thumbnails that open the full photo.

use crate::backend::requests::RequestsBackend;
use crate::i18n::{Msg, photo_name, use_i18n};
use citizen_core::requests::PhotoId;
use leptos::prelude::*;
use leptos::task::spawn_local;

#[component]
pub fn Gallery(backend: RequestsBackend, photos: Vec<PhotoId>) -> impl IntoView {
    let i18n = use_i18n();
    // Addresses on the server, or object URLs of blobs kept in this browser (`local`).
    let urls = RwSignal::new(Vec::<String>::new());
    spawn_local(async move {
        let mut found = Vec::with_capacity(photos.len());
        for id in &photos {
            if let Some(url) = backend.photo_url(id).await {
                found.push(url);
            }
        }
        urls.set(found);
    });
    on_cleanup(move || {
        for url in urls.try_get_untracked().unwrap_or_default() {
            if url.starts_with("blob:") {
                let _ = web_sys::Url::revoke_object_url(&url);
            }
        }
    });
    move || {
        let items = urls.get();
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
