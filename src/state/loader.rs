//! The one way a screen loads something in the background: a signal that is `None` while the
//! answer is awaited, filled by a spawned task, with reload and refresh; `components::loaded`
//! shows it the one way (loading, the failure in plain words with a retry button, or the data).
//! A plain signal rather than a `LocalResource` with `Suspense` keeps Leptos's async machinery
//! (tens of KB) out of the bundle.

use leptos::prelude::*;
use leptos::task::spawn_local;
use std::future::Future;
use std::pin::Pin;

type Fetch<T, E> = Box<dyn Fn() -> Pin<Box<dyn Future<Output = Result<T, E>>>> + Send + Sync>;

/// How to load, and which load is the newest: an older answer arriving late is dropped.
struct Fetcher<T, E> {
    fetch: Fetch<T, E>,
    generation: u32,
}

/// Something loaded in the background: `state` is `None` while the first answer is awaited.
pub struct Loader<T: 'static, E: 'static> {
    pub state: RwSignal<Option<Result<T, E>>>,
    fetcher: StoredValue<Fetcher<T, E>>,
}

impl<T, E> Clone for Loader<T, E> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T, E> Copy for Loader<T, E> {}

impl<T, E> Loader<T, E>
where
    T: Send + Sync + 'static,
    E: Send + Sync + 'static,
{
    /// Starts loading now with `fetch`, which runs again on every reload.
    pub fn new<Fut>(fetch: impl Fn() -> Fut + Send + Sync + 'static) -> Self
    where
        Fut: Future<Output = Result<T, E>> + 'static,
    {
        Loader::into(RwSignal::new(None), fetch)
    }

    /// [`new`](Self::new), into a signal the caller already holds (a parent reads it too).
    pub fn into<Fut>(
        state: RwSignal<Option<Result<T, E>>>,
        fetch: impl Fn() -> Fut + Send + Sync + 'static,
    ) -> Self
    where
        Fut: Future<Output = Result<T, E>> + 'static,
    {
        let loader = Loader {
            state,
            fetcher: StoredValue::new(Fetcher {
                fetch: Box::new(move || Box::pin(fetch())),
                generation: 0,
            }),
        };
        loader.refresh();
        loader
    }

    /// Loads again, showing "loading" meanwhile.
    pub fn reload(self) {
        // Setting a signal of a screen that is gone does nothing.
        self.state.set(None);
        self.refresh();
    }

    /// Loads again, keeping what is shown until the new answer arrives. Once the screen is gone,
    /// nothing is loaded, and an answer still on its way is dropped.
    pub fn refresh(self) {
        let Some((future, mine)) = untrack(|| {
            self.fetcher.try_update_value(|f| {
                f.generation = f.generation.wrapping_add(1);
                ((f.fetch)(), f.generation)
            })
        }) else {
            return;
        };
        spawn_local(async move {
            let result = future.await;
            if self.fetcher.try_update_value(|f| f.generation) == Some(mine) {
                self.state.set(Some(result));
            }
        });
    }

    /// The loaded value, when there is one (reactive).
    pub fn loaded(self) -> Option<T>
    where
        T: Clone,
    {
        self.state
            .with(|s| s.as_ref().and_then(|r| r.as_ref().ok()).cloned())
    }
}

/// Runs one action in the background (a button, a form): `busy` is true until its answer, which
/// then goes to `done`. While `busy`, another action does nothing (a second tap sends nothing);
/// an answer arriving after the screen is gone is dropped.
pub fn act<T: 'static>(
    busy: RwSignal<bool>,
    action: impl Future<Output = T> + 'static,
    done: impl FnOnce(T) + 'static,
) {
    if busy.try_get_untracked() != Some(false) {
        return;
    }
    busy.set(true);
    spawn_local(async move {
        let answer = action.await;
        if busy.try_set(false).is_none() {
            done(answer);
        }
    });
}
