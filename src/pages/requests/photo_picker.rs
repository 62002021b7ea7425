//! Choosing up to nine photos for a request: each is shrunk on the phone (`browser/photo.rs`)
//! and kept in IndexedDB at once, so a reload keeps the draft's photos as well as its text.

use crate::browser::idb::{self, Store};
use crate::browser::photo::shrink;
use crate::i18n::{Msg, photo_name, remove_photo, use_i18n};
use crate::state::loader::act;
use citizen_core::requests::MAX_PHOTOS;
use leptos::prelude::*;
use leptos::task::spawn_local;

pub const PHOTOS: &str = "request-photos";

/// A photo of the draft: where its blob is kept, and an object URL for its preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftPhoto {
    pub slot: String,
    pub url: String,
}

fn new_slot() -> String {
    let draw = || (js_sys::Math::random() * 1e15) as u64;
    format!("p-{:x}-{:x}", js_sys::Date::now() as u64, draw())
}

fn object_url(blob: &web_sys::Blob) -> String {
    web_sys::Url::create_object_url_with_blob(blob).unwrap_or_default()
}

/// The previews of photos a saved draft lists (a slot whose blob is gone is dropped).
pub async fn restore(slots: Vec<String>) -> Vec<DraftPhoto> {
    let Ok(db) = idb::open().await else {
        return Vec::new();
    };
    let mut photos = Vec::new();
    for slot in slots {
        if let Ok(Some(blob)) = db.get_blob(Store::Photos, &slot).await {
            photos.push(DraftPhoto {
                url: object_url(&blob),
                slot,
            });
        }
    }
    photos
}

/// Shrinks `files` and keeps each in the store, adding it to `photos` as soon as it is kept.
/// What stopped or skipped a photo, when something did.
async fn keep(
    files: Vec<web_sys::File>,
    photos: RwSignal<Vec<DraftPhoto>>,
    max: usize,
) -> Option<Msg> {
    let db = idb::open().await;
    let mut note = None;
    for file in files {
        // Until the draft is full, or gone with its screen.
        match photos.try_with_untracked(Vec::len) {
            Some(n) if n < max => {}
            Some(_) if max == 1 => return Some(Msg::PhotoOnlyOne),
            Some(_) => return Some(Msg::PhotosTooMany),
            None => return note,
        }
        let Ok(blob) = shrink(&file).await else {
            note = Some(Msg::PhotoUnreadable);
            continue;
        };
        let slot = new_slot();
        let kept = match &db {
            Ok(db) => db.put_blob(Store::Photos, &slot, &blob).await.is_ok(),
            Err(_) => false,
        };
        if !kept {
            return Some(Msg::StorageRefused);
        }
        photos.update(|p| {
            p.push(DraftPhoto {
                url: object_url(&blob),
                slot,
            })
        });
    }
    note
}

/// Forgets the previews' object URLs (the blobs stay in the store for the outbox).
pub fn release(photos: &[DraftPhoto]) {
    for photo in photos {
        let _ = web_sys::Url::revoke_object_url(&photo.url);
    }
}

#[component]
pub fn PhotoPicker(
    photos: RwSignal<Vec<DraftPhoto>>,
    /// At most this many (the backend's limit).
    #[prop(default = MAX_PHOTOS)]
    max: usize,
) -> impl IntoView {
    let i18n = use_i18n();
    // Photos being shrunk and kept: the picker waits for them.
    let busy = RwSignal::new(false);
    let note = RwSignal::new(None::<Msg>);

    let add = move |ev: leptos::ev::Event| {
        let input: web_sys::HtmlInputElement = event_target(&ev);
        let files: Vec<web_sys::File> = input
            .files()
            .map(|list| (0..list.length()).filter_map(|i| list.get(i)).collect())
            .unwrap_or_default();
        input.set_value("");
        note.set(None);
        act(busy, keep(files, photos, max), move |said| note.set(said));
    };

    let remove = move |slot: String| {
        let gone = photos.with_untracked(|p| p.iter().find(|x| x.slot == slot).cloned());
        photos.update(|p| p.retain(|x| x.slot != slot));
        if let Some(gone) = gone {
            release(std::slice::from_ref(&gone));
            spawn_local(async move {
                if let Ok(db) = idb::open().await {
                    let _ = db.delete(Store::Photos, &[gone.slot]).await;
                }
            });
        }
    };

    let previews = move || {
        let lang = i18n.lang.get();
        photos
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, photo)| {
                let slot = photo.slot.clone();
                view! {
                    <li class="photo" data-testid="photo-preview">
                        <img src=photo.url alt=photo_name(lang, i + 1) />
                        <button type="button" class="photo__remove" aria-label=remove_photo(lang, i + 1)
                            on:click=move |_| remove(slot.clone())>
                            "×"
                        </button>
                    </li>
                }
            })
            .collect_view()
    };

    view! {
        <div class="field">
            <label class="field__label" for=PHOTOS>
                {i18n.text(if max == 1 { Msg::PhotoLabelOne } else { Msg::PhotosLabel })}
            </label>
            <p id="request-photos-hint" class="field__hint">{i18n.text(Msg::PhotosHint)}</p>
            <ul class="photos" aria-label=move || i18n.t(Msg::RequestPhotos)>{previews}</ul>
            <input id=PHOTOS name="photos" type="file" accept="image/*" multiple={max > 1} class="field__file"
                aria-describedby="request-photos-hint"
                disabled=move || { busy.get() || photos.with(Vec::len) >= max }
                on:change=add />
            {move || busy.get().then(|| view! {
                <p class="status" role="status">{i18n.text(Msg::PhotosProcessing)}</p>
            })}
            {move || note.get().map(|msg| view! {
                <p class="field__error" role="alert" data-testid="photos-note">{i18n.text(msg)}</p>
            })}
        </div>
    }
}
