//! A screen whose code arrives in its own wasm chunk (`pages/lazy.rs`): it says it is loading,
//! and when the chunk cannot be fetched it says so in plain words and offers a retry.

use crate::i18n::{Msg, use_i18n};
use leptos::prelude::*;
use leptos::wasm_split::SplitLoaderError;
use send_wrapper::SendWrapper;
use std::future::Future;
use std::pin::Pin;

/// What a chunk's loader resolves to: the screen, or why its chunk could not be fetched.
type Loading = Pin<Box<dyn Future<Output = Result<AnyView, SplitLoaderError>>>>;

pub fn lazy_screen<Fut>(load: impl Fn() -> Fut + 'static) -> AnyView
where
    Fut: Future<Output = Result<AnyView, SplitLoaderError>> + 'static,
{
    // Each screen's loader is boxed, so that the loading, failure and retry views below exist
    // once in the first-load module, not once per screen.
    any_lazy_screen(Box::new(move || Box::pin(load()) as Loading))
}

fn any_lazy_screen(load: Box<dyn Fn() -> Loading>) -> AnyView {
    let i18n = use_i18n();
    let attempt = RwSignal::new(0u32);
    let loading = RwSignal::new(true);
    let load = SendWrapper::new(load);
    let screen = move || {
        attempt.track();
        loading.set(true);
        let screen = (*load)();
        // The chunk loader is not Send; the app has one thread.
        Suspend::new(SendWrapper::new(async move {
            let view = match screen.await {
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
