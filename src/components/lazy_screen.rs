//! A screen whose code arrives in its own wasm chunk (`pages/lazy.rs`): it says it is loading,
//! and when the chunk cannot be fetched it says so in plain words and offers a retry. (When this
//! browser cannot compile it, the chunk loader shows index.html's "please update" page instead.)

use crate::browser::styles;
use crate::i18n::{Msg, use_i18n};
use crate::pages::lazy::ChunkScreen;
use leptos::prelude::*;
use send_wrapper::SendWrapper;

pub fn lazy_screen(load: impl Fn() -> ChunkScreen + 'static) -> AnyView {
    // Boxed, so that the loading, failure and retry views below exist once in the first-load
    // module, not once per screen.
    any_lazy_screen(Box::new(load))
}

fn any_lazy_screen(load: Box<dyn Fn() -> ChunkScreen>) -> AnyView {
    let i18n = use_i18n();
    let attempt = RwSignal::new(0u32);
    let loading = RwSignal::new(true);
    let load = SendWrapper::new(load);
    let screen = move || {
        attempt.track();
        loading.set(true);
        let screen = (*load)();
        // The chunk's stylesheet is fetched alongside its code; the screen waits for both.
        let styled = styles::load(screen.chunk);
        // The chunk loader is not Send; the app has one thread.
        Suspend::new(SendWrapper::new(async move {
            let view = screen.view.await;
            styled.await;
            let view = match view {
                Ok(view) => view,
                Err(_) => view! {
                    <section class="card" role="alert" data-testid="part-load-failed">
                        <p>{move || i18n.t(Msg::PartLoadFailed)}</p>
                        <button type="button" class="button" on:click=move |_| attempt.update(|n| *n += 1)>
                            {move || i18n.t(Msg::Retry)}
                        </button>
                    </section>
                }
                .into_any(),
            };
            loading.set(false);
            view
        }))
    };
    view! {
        {move || loading.get().then(|| view! { <p class="splash" role="status">{i18n.t(Msg::Loading)}</p> })}
        {screen}
    }
    .into_any()
}
